//! Reading a delivered file: its layers, CRS, fields, geometry validity,
//! and the reasons it cannot be used.

use gdal::spatial_ref::SpatialRef;
use gdal::vector::{Layer, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geocentre_delivery::RefusalCode;
use geocentre_registry::vector::FieldDef;
use serde::Serialize;
use std::path::Path;

/// Why a file is rejected: stable codes for reports and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectCode {
    /// Missing, unreadable, or not a vector format GDAL knows.
    Corrupt,
    /// No layer has a geometry.
    NoGeometry,
    /// No CRS in the file and none given with --crs.
    UnknownCrs,
    /// Text that is not valid in the file's declared encoding.
    Encoding,
    /// A GeoPackage holding a view, a virtual table or generated columns
    /// (SQL run when read).
    ViewRefused,
    /// Refused by the delivery's rules, before opening or after
    /// (`formats::RefusalCode`): written as that code's own string.
    #[serde(untagged)]
    Delivery(RefusalCode),
}

impl From<RefusalCode> for RejectCode {
    fn from(c: RefusalCode) -> RejectCode {
        RejectCode::Delivery(c)
    }
}

impl RejectCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RejectCode::Corrupt => "corrupt",
            RejectCode::NoGeometry => "no-geometry",
            RejectCode::UnknownCrs => "unknown-crs",
            RejectCode::Encoding => "encoding",
            RejectCode::ViewRefused => "view-refused",
            RejectCode::Delivery(c) => c.as_str(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LayerScan {
    /// The layer's name in the source.
    pub source_layer: String,
    pub geometry_type: String,
    pub features: u64,
    /// EPSG code of its CRS (detected or given).
    pub epsg: Option<u32>,
    pub has_z: bool,
    pub fields: Vec<FieldDef>,
    /// Features whose geometry is not valid (OGC simple features).
    pub invalid_geometries: u64,
    /// A few of them, to find them in the source.
    pub invalid_examples: Vec<i64>,
    /// Extent in the layer's coordinates.
    pub extent: Option<[f64; 4]>,
    /// Set when the CRS was not in the file but inferred (see `infer_crs`).
    pub crs_note: Option<String>,
    /// Single and multi geometries of one kind mixed (as in Shapefiles):
    /// stored as multi, since a GeoPackage column holds one type.
    pub mixed_multi: bool,
}

/// How GDAL opens a path: zipped Shapefiles through /vsizip/, CSV with
/// coordinate and WKT column detection and typed columns.
pub fn gdal_path_and_options(path: &Path) -> (String, Vec<&'static str>) {
    let p = path.to_string_lossy().into_owned();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "zip" => (format!("/vsizip/{p}"), Vec::new()),
        "csv" => (
            p,
            vec![
                "X_POSSIBLE_NAMES=lon,lng,longitude,x,X",
                "Y_POSSIBLE_NAMES=lat,latitude,y,Y",
                "GEOM_POSSIBLE_NAMES=wkt,WKT,geom,geometry,the_geom",
                "KEEP_GEOM_COLUMNS=NO",
                "AUTODETECT_TYPE=YES",
                "EMPTY_STRING_AS_NULL=YES",
            ],
        ),
        // GDAL would write a `.gfs` schema beside a GML it reads: never
        // into a delivery. Nor does it download the schema a GML names
        // (the ingest has no network anyway).
        "gml" => (p, vec!["WRITE_GFS=NO", "DOWNLOAD_SCHEMA=NO"]),
        // SQLite would create `-shm`/`-wal` files beside a database in WAL
        // mode, even read-only: IMMUTABLE writes nothing into a delivery.
        "gpkg" => (p, vec!["IMMUTABLE=YES"]),
        _ => (p, Vec::new()),
    }
}

/// Why a delivered file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no such file")]
    Missing,
    #[error("not a vector format GDAL reads, or a damaged file")]
    Unreadable,
    #[error("opened by GDAL's {used} driver, not one of {allowed}")]
    WrongDriver { used: String, allowed: String },
}

/// Opens a delivered file with only the drivers its format allows (never
/// OGR_VRT, never LIBKML: they read other files and URLs) and checks the
/// driver GDAL used.
pub fn open(path: &Path, drivers: &[&str]) -> Result<Dataset, OpenError> {
    // Archive members (`/vsizip/…`) are checked by GDAL itself.
    if !path.to_string_lossy().starts_with("/vsi") && !path.exists() {
        return Err(OpenError::Missing);
    }
    let (p, opts) = gdal_path_and_options(path);
    let ds = Dataset::open_ex(
        &p,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
            allowed_drivers: Some(drivers),
            open_options: (!opts.is_empty()).then_some(opts.as_slice()),
            ..Default::default()
        },
    )
    .map_err(|_| OpenError::Unreadable)?;
    let used = ds.driver().short_name();
    if !drivers.contains(&used.as_str()) {
        return Err(OpenError::WrongDriver {
            used,
            allowed: drivers.join(", "),
        });
    }
    Ok(ds)
}

/// Whether an EPSG CRS is geographic (degrees, latitude first in its own
/// axis order).
pub fn is_geographic(epsg: u32) -> bool {
    SpatialRef::from_epsg(epsg).is_ok_and(|s| s.is_geographic())
}

/// Whether the layer's coordinates all lie within longitude/latitude ranges.
pub fn in_degrees(scan: &LayerScan) -> bool {
    scan.extent
        .is_some_and(|e| e[0] >= -180.0 && e[2] <= 180.0 && e[1] >= -90.0 && e[3] <= 90.0)
}

/// A CSV carries no CRS. Coordinates that all lie within longitude and
/// latitude ranges are taken as WGS 84 (what lon/lat columns mean in
/// practice); anything else needs --crs.
pub fn infer_crs(driver: &str, scan: &mut LayerScan) {
    if scan.epsg.is_none() && driver == "CSV" && in_degrees(scan) {
        scan.epsg = Some(4326);
        scan.crs_note = Some("no CRS in a CSV; coordinates in degrees taken as EPSG:4326".into());
    }
}

fn geometry_name(t: u32) -> String {
    gdal::vector::geometry_type_to_name(t)
}

fn field_type_name(t: u32) -> String {
    gdal::vector::field_type_to_name(t)
}

/// The EPSG code of a layer's CRS, if it has one GDAL can identify.
fn layer_epsg(srs: Option<SpatialRef>) -> Option<u32> {
    let srs = srs?;
    geocentre_geo::crs::identify(&srs).map(|i| i.epsg)
}

pub fn scan_layer(layer: &mut Layer) -> LayerScan {
    let defn = layer.defn();
    let fields = defn
        .fields()
        .map(|f| FieldDef {
            name: f.name(),
            kind: field_type_name(f.field_type()),
            title: None,
        })
        .collect();
    let gtype = defn.geometry_type();
    let epsg = layer_epsg(layer.spatial_ref());
    let mut scan = LayerScan {
        source_layer: layer.name(),
        geometry_type: geometry_name(gtype),
        features: 0,
        epsg,
        has_z: gdal::vector::geometry_type_has_z(gtype),
        fields,
        invalid_geometries: 0,
        invalid_examples: Vec::new(),
        // Forced: formats without a stored extent (CSV) are read through.
        extent: layer
            .get_extent()
            .ok()
            .map(|e| [e.MinX, e.MinY, e.MaxX, e.MaxY]),
        crs_note: None,
        mixed_multi: false,
    };
    let mut kinds = std::collections::BTreeSet::new();
    layer.reset_feature_reading();
    for f in layer.features() {
        scan.features += 1;
        if let Some(g) = geocentre_gdal::geometry_of(&f) {
            if !g.is_empty() && !g.is_valid() {
                scan.invalid_geometries += 1;
                if scan.invalid_examples.len() < 5 {
                    scan.invalid_examples.push(f.fid().map_or(-1, |v| v as i64));
                }
            }
            if gdal::vector::geometry_type_has_z(g.geometry_type()) {
                scan.has_z = true;
            }
            kinds.insert(gdal::vector::geometry_type_flatten(g.geometry_type()));
        }
    }
    layer.reset_feature_reading();
    use gdal::vector::OGRwkbGeometryType as T;
    let has = |t| kinds.contains(&t);
    scan.mixed_multi = (has(T::wkbPolygon) && has(T::wkbMultiPolygon))
        || (has(T::wkbLineString) && has(T::wkbMultiLineString))
        || (has(T::wkbPoint) && has(T::wkbMultiPoint));
    scan
}

/// Whether GDAL's messages while reading tell of text it could not decode.
pub fn encoding_trouble(messages: &[String]) -> Option<String> {
    messages
        .iter()
        .find(|m| {
            let m = m.to_ascii_lowercase();
            m.contains("couldn't be converted")
                || (m.contains("utf-8") && (m.contains("not valid") || m.contains("not a valid")))
                || m.contains("invalid utf-8")
                || m.contains("recode")
        })
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_read_the_same_in_text_and_json() {
        for c in [
            RefusalCode::IndirectSource,
            RefusalCode::FormatMismatch,
            RefusalCode::UnsupportedFormat,
            RefusalCode::OutsideDelivery,
            RefusalCode::VirtualPath,
            RefusalCode::ArchiveLimit,
        ] {
            let r = RejectCode::from(c);
            assert_eq!(r.as_str(), c.as_str());
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        assert_eq!(
            serde_json::to_string(&RejectCode::ViewRefused).unwrap(),
            "\"view-refused\""
        );
    }
}
