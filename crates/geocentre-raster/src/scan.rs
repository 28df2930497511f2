//! The delivery check of one input file: what a producer's delivery report
//! records, and whether the file can be used.

use gdal::raster::{ColorInterpretation, GdalDataType};
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags, Metadata};
use geocentre_core::config::IngestConfig;
use geocentre_delivery::formats::{self, Family};
use geocentre_delivery::{DataFile, OtherFile, Refusal, RefusalCode};
use geocentre_geo::crs;
use serde::Serialize;
use std::path::Path;

/// Why a file was rejected. The string form is stable: tests and operators
/// match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectCode {
    Unreadable,
    Corrupt,
    NotGeoreferenced,
    NoCrs,
    UnexpectedBands,
    UnsupportedDataType,
    AbsurdDimensions,
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
            RejectCode::Unreadable => "unreadable",
            RejectCode::Corrupt => "corrupt",
            RejectCode::NotGeoreferenced => "not-georeferenced",
            RejectCode::NoCrs => "no-crs",
            RejectCode::UnexpectedBands => "unexpected-bands",
            RejectCode::UnsupportedDataType => "unsupported-data-type",
            RejectCode::AbsurdDimensions => "absurd-dimensions",
            RejectCode::Delivery(c) => c.as_str(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub path: String,
    /// ingested, rejected; sidecar or ignored for the files not tried.
    pub status: &'static str,
    /// The image a sidecar belongs to.
    pub sidecar_of: Option<String>,
    /// What a sidecar or an ignored file is.
    pub kind: Option<String>,
    pub code: Option<RejectCode>,
    pub reason: Option<String>,
    pub format: Option<String>,
    pub file_bytes: Option<u64>,
    pub width: Option<u64>,
    pub height: Option<u64>,
    pub bands: Option<usize>,
    pub color_interp: Vec<String>,
    pub data_type: Option<String>,
    pub block_size: Option<[usize; 2]>,
    pub compression: Option<String>,
    pub overviews: Option<i32>,
    pub mask: Option<String>,
    pub nodata: Option<f64>,
    pub crs: Option<String>,
    pub crs_note: Option<String>,
    pub pixel_size: Option<[f64; 2]>,
    pub footprint: Option<[f64; 4]>,
    pub footprint_l93: Option<[f64; 4]>,
}

/// A usable source, ready for planning.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    /// The sidecars GDAL may read beside it (world file, .aux.xml…).
    pub siblings: Vec<String>,
    /// The only GDAL drivers allowed to open it.
    pub drivers: &'static [&'static str],
    pub epsg: u32,
    /// Whether the file's own description must be replaced by `epsg` when
    /// opening it (missing, incomplete or overridden CRS).
    pub assign_srs: bool,
    pub footprint_l93: [f64; 4],
    /// Approximate pixel size in Lambert-93 metres.
    pub resolution_l93: f64,
    pub geotransform: [f64; 6],
}

impl Source {
    /// Whether the source's pixels are exactly the grid's at `level`: same
    /// CRS, no rotation, same pixel size, corners on pixel boundaries. Such
    /// a source (the usual producer dalle) is copied, not resampled.
    pub fn on_grid(&self, tms: &geocentre_core::TileMatrixSet, level: u8) -> bool {
        let res = tms.resolution(level);
        let g = &self.geotransform;
        let on = |v: f64| (v - v.round()).abs() < 1e-6;
        self.epsg == tms.epsg
            && g[2] == 0.0
            && g[4] == 0.0
            && ((g[1] - res) / res).abs() < 1e-9
            && ((g[5] + res) / res).abs() < 1e-9
            && on((g[0] - tms.origin.0) / res)
            && on((tms.origin.1 - g[3]) / res)
    }
}

impl ScanReport {
    /// A report for a file that could not be scanned at all.
    pub fn unreadable(path: &Path, reason: impl Into<String>) -> ScanReport {
        let mut r = ScanReport::new(path);
        r.reject(RejectCode::Unreadable, reason);
        r
    }

    fn new(path: &Path) -> ScanReport {
        ScanReport {
            path: path.display().to_string(),
            status: "rejected",
            sidecar_of: None,
            kind: None,
            code: None,
            reason: None,
            format: None,
            file_bytes: std::fs::metadata(path).ok().map(|m| m.len()),
            width: None,
            height: None,
            bands: None,
            color_interp: Vec::new(),
            data_type: None,
            block_size: None,
            compression: None,
            overviews: None,
            mask: None,
            nodata: None,
            crs: None,
            crs_note: None,
            pixel_size: None,
            footprint: None,
            footprint_l93: None,
        }
    }

    /// The line of a file the ingest does not try: a sidecar of an image,
    /// or an ignored file with its type.
    pub fn other(f: &OtherFile) -> ScanReport {
        let mut r = ScanReport::new(&f.path);
        r.status = f.status();
        r.sidecar_of = f.sidecar_of.as_ref().map(|p| p.display().to_string());
        r.kind = Some(f.kind.clone());
        r
    }

    /// A line for a path refused as a whole (a GDAL virtual path).
    pub fn refused(path: &Path, refusal: &Refusal) -> ScanReport {
        let mut r = ScanReport::new(path);
        r.refuse(refusal);
        r
    }

    pub fn refuse(&mut self, refusal: &Refusal) {
        self.reject(refusal.code.into(), refusal.reason.clone());
    }

    pub fn reject(&mut self, code: RejectCode, reason: impl Into<String>) {
        self.status = "rejected";
        self.code = Some(code);
        self.reason = Some(reason.into());
    }
}

fn interp_name(c: ColorInterpretation) -> String {
    c.name()
}

/// Scans one file. Never panics; anything unusable becomes a rejection.
pub fn scan(
    file: &DataFile,
    crs_override: Option<u32>,
    cfg: &IngestConfig,
) -> (ScanReport, Option<Source>) {
    let mut r = ScanReport::new(&file.path);
    let source = scan_into(file, crs_override, cfg, &mut r);
    if source.is_some() {
        r.status = "ingested";
    }
    (r, source)
}

/// Opens a delivered image with exactly its sidecars as sibling files
/// (GDAL reads its world file or `.aux.xml`, and nothing else around it)
/// and only the drivers its format allows (never VRT: a VRT reads any
/// file it names).
pub fn open(
    gdal_path: &str,
    siblings: &[String],
    drivers: &[&str],
) -> gdal::errors::Result<Dataset> {
    let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
    let ds = Dataset::open_ex(
        gdal_path,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_RASTER | GdalOpenFlags::GDAL_OF_READONLY,
            allowed_drivers: Some(drivers),
            sibling_files: Some(&names),
            ..Default::default()
        },
    )?;
    let used = ds.driver().short_name();
    if !drivers.contains(&used.as_str()) {
        return Err(gdal::errors::GdalError::BadArgument(format!(
            "opened by GDAL's {used} driver, not one of {}",
            drivers.join(", ")
        )));
    }
    Ok(ds)
}

/// The CRS of a `.prj` sidecar (ESRI or OGC WKT), which GDAL does not read
/// for world-file images; bounded, as any delivered file.
fn prj_crs(file: &DataFile) -> Option<SpatialRef> {
    const MAX_PRJ_BYTES: u64 = 64 * 1024;
    let prj = file
        .sidecar_paths
        .iter()
        .find(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("prj")))?;
    if std::fs::metadata(prj).ok()?.len() > MAX_PRJ_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(prj).ok()?;
    let text = text.trim();
    SpatialRef::from_esri(text)
        .or_else(|_| SpatialRef::from_wkt(text))
        .ok()
}

fn scan_into(
    file: &DataFile,
    crs_override: Option<u32>,
    cfg: &IngestConfig,
    r: &mut ScanReport,
) -> Option<Source> {
    if let Some(refusal) = &file.refusal {
        r.refuse(refusal);
        return None;
    }
    if !file.gdal_path.starts_with("/vsi") && !file.path.exists() {
        r.reject(RejectCode::Unreadable, "no such file");
        return None;
    }
    let ds = match open(&file.gdal_path, &file.siblings, file.drivers) {
        Ok(ds) => ds,
        Err(e) => {
            match formats::mismatch(Family::Ortho, &file.path.to_string_lossy(), &file.content) {
                Some(refusal) => r.refuse(&refusal),
                None => r.reject(
                    RejectCode::Unreadable,
                    format!("GDAL cannot open the file as a raster: {e}"),
                ),
            }
            return None;
        }
    };
    r.format = Some(ds.driver().short_name());
    let (w, h) = ds.raster_size();
    r.width = Some(w as u64);
    r.height = Some(h as u64);
    r.bands = Some(ds.raster_count());
    r.compression = ds
        .metadata_item("COMPRESSION", "IMAGE_STRUCTURE")
        .or_else(|| Some("NONE".into()).filter(|_| r.format.as_deref() == Some("GTiff")));
    if (w as u64) > cfg.max_dimension
        || (h as u64) > cfg.max_dimension
        || (w as u64).saturating_mul(h as u64) > cfg.max_pixels
    {
        r.reject(
            RejectCode::AbsurdDimensions,
            format!(
                "declares {w}×{h} pixels, beyond the limits ({} px per side, {} px in all)",
                cfg.max_dimension, cfg.max_pixels
            ),
        );
        return None;
    }
    for i in 1..=ds.raster_count() {
        if let Ok(b) = ds.rasterband(i) {
            r.color_interp.push(interp_name(b.color_interpretation()));
            if i == 1 {
                let (bw, bh) = b.block_size();
                r.block_size = Some([bw, bh]);
                r.data_type = Some(b.band_type().name());
                r.overviews = b.overview_count().ok();
                r.nodata = b.no_data_value();
                r.mask = b.mask_flags().ok().map(|f| {
                    if f.is_alpha() {
                        "alpha"
                    } else if f.is_nodata() {
                        "nodata"
                    } else if f.is_per_dataset() {
                        "per-dataset mask"
                    } else {
                        "none"
                    }
                    .to_string()
                });
            }
        }
    }
    // Geotransform.
    let gt = ds.geo_transform().ok();
    let georef = gt.filter(|g| *g != [0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    // CRS: the file's own, else a `.prj` beside it (assigned on opening,
    // like --crs).
    let mut srs = ds.spatial_ref().ok();
    let mut from_prj = false;
    if srs.is_none() && crs_override.is_none() {
        srs = prj_crs(file);
        from_prj = srs.is_some();
    }
    let (epsg, assign_srs) = match (crs_override, srs.as_ref()) {
        (Some(code), _) => {
            r.crs_note = Some(format!("overridden by --crs EPSG:{code}"));
            (Some(code), true)
        }
        (None, Some(s)) => match crs::identify(s) {
            Some(crs::Identified {
                epsg: code,
                complete,
            }) => {
                if from_prj {
                    r.crs_note = Some("read from the .prj beside the file".into());
                } else if !complete {
                    r.crs_note =
                        Some("incomplete description, identified by its parameters".into());
                }
                (Some(code), !complete || from_prj)
            }
            None => {
                r.crs_note = Some(s.to_proj4().unwrap_or_default());
                (None, false)
            }
        },
        (None, None) => (None, false),
    };
    r.crs = epsg.map(|c| format!("EPSG:{c}"));
    let Some(gt) = georef else {
        r.reject(
            RejectCode::NotGeoreferenced,
            "no geotransform: the file is not georeferenced",
        );
        return None;
    };
    r.pixel_size = Some([gt[1].hypot(gt[2]), gt[4].hypot(gt[5])]);
    let corners = [
        (0.0, 0.0),
        (w as f64, 0.0),
        (0.0, h as f64),
        (w as f64, h as f64),
    ]
    .map(|(px, py)| {
        (
            gt[0] + px * gt[1] + py * gt[2],
            gt[3] + px * gt[4] + py * gt[5],
        )
    });
    let fp = bounds(&corners);
    r.footprint = Some(fp);
    let Some(epsg) = epsg else {
        let why = if srs.is_some() {
            "the CRS cannot be identified as an EPSG projected CRS; use --crs EPSG:N"
        } else {
            "the file has no CRS; use --crs EPSG:N"
        };
        r.reject(RejectCode::NoCrs, why);
        return None;
    };
    // Bands.
    let n = ds.raster_count();
    let alpha_last = n == 4
        && ds
            .rasterband(4)
            .map(|b| {
                matches!(
                    b.color_interpretation(),
                    ColorInterpretation::AlphaBand | ColorInterpretation::Undefined
                )
            })
            .unwrap_or(false);
    if !(n == 3 || alpha_last) {
        r.reject(
            RejectCode::UnexpectedBands,
            format!(
                "{n} band(s) ({}): expected 3 colour bands, optionally with alpha",
                r.color_interp.join(", ")
            ),
        );
        return None;
    }
    let types_ok = (1..=n).all(|i| {
        ds.rasterband(i)
            .map(|b| b.band_type() == GdalDataType::UInt8)
            .unwrap_or(false)
    });
    if !types_ok {
        r.reject(
            RejectCode::UnsupportedDataType,
            format!(
                "data type {} where 8-bit (Byte) is expected",
                r.data_type.clone().unwrap_or_default()
            ),
        );
        return None;
    }
    // Footprint in Lambert-93.
    let fp93 = match to_l93(epsg, &corners, w, h, &gt) {
        Ok(f) => f,
        Err(e) => {
            r.reject(
                RejectCode::NoCrs,
                format!("cannot reproject the footprint from EPSG:{epsg}: {e}"),
            );
            return None;
        }
    };
    if !(fp93.iter().all(|v| v.is_finite()) && fp93[2] > fp93[0] && fp93[3] > fp93[1]) {
        r.reject(
            RejectCode::NotGeoreferenced,
            "footprint does not map to Lambert-93",
        );
        return None;
    }
    r.footprint_l93 = Some(fp93);
    // A truncated file usually keeps a valid header: read the last block.
    if let Err(e) = last_block_check(&ds, w, h) {
        r.reject(
            RejectCode::Corrupt,
            format!("pixel data cannot be read: {e}"),
        );
        return None;
    }
    let res = ((fp93[2] - fp93[0]) / w as f64).min((fp93[3] - fp93[1]) / h as f64);
    Some(Source {
        path: file.gdal_path.clone(),
        siblings: file.siblings.clone(),
        drivers: file.drivers,
        epsg,
        assign_srs,
        footprint_l93: fp93,
        resolution_l93: res,
        geotransform: gt,
    })
}

fn bounds(pts: &[(f64, f64)]) -> [f64; 4] {
    pts.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, &(x, y)| [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)],
    )
}

fn to_l93(
    epsg: u32,
    corners: &[(f64, f64)],
    w: usize,
    h: usize,
    gt: &[f64; 6],
) -> Result<[f64; 4], String> {
    if epsg == 2154 {
        return Ok(bounds(corners));
    }
    let mut src = SpatialRef::from_epsg(epsg).map_err(|e| e.to_string())?;
    let mut dst = SpatialRef::from_epsg(2154).map_err(|e| e.to_string())?;
    src.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    dst.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let ct = CoordTransform::new(&src, &dst).map_err(|e| e.to_string())?;
    // Densify the edges: a footprint is not a rectangle once reprojected.
    let n = 16;
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for i in 0..=n {
        let t = i as f64 / n as f64;
        for (px, py) in [
            (t * w as f64, 0.0),
            (t * w as f64, h as f64),
            (0.0, t * h as f64),
            (w as f64, t * h as f64),
        ] {
            xs.push(gt[0] + px * gt[1] + py * gt[2]);
            ys.push(gt[3] + px * gt[4] + py * gt[5]);
        }
    }
    let mut zs = vec![0.0; xs.len()];
    ct.transform_coords(&mut xs, &mut ys, &mut zs)
        .map_err(|e| e.to_string())?;
    let pts: Vec<(f64, f64)> = xs.into_iter().zip(ys).collect();
    Ok(bounds(&pts))
}

fn last_block_check(ds: &Dataset, w: usize, h: usize) -> Result<(), String> {
    let band = ds.rasterband(1).map_err(|e| e.to_string())?;
    let (bw, bh) = band.block_size();
    let (bw, bh) = (bw.clamp(1, w), bh.clamp(1, h));
    let x = ((w - 1) / bw) * bw;
    let y = ((h - 1) / bh) * bh;
    geocentre_gdal::read_window_check(ds, (x as isize, y as isize), (w - x, h - y)).map_err(|e| e.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geocentre_core::tms::LAMB93;

    fn source(gt: [f64; 6], epsg: u32) -> Source {
        Source {
            path: String::new(),
            siblings: Vec::new(),
            drivers: &["GTiff"],
            epsg,
            assign_srs: false,
            footprint_l93: [0.0; 4],
            resolution_l93: gt[1],
            geotransform: gt,
        }
    }

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
    }

    #[test]
    fn producer_dalles_are_on_the_grid() {
        // A 5 cm dalle at round coordinates, as PCRS deliveries are.
        let s = source([652_000.0, 0.05, 0.0, 6_734_000.0, 0.0, -0.05], 2154);
        assert!(s.on_grid(&LAMB93, 22));
        assert!(!s.on_grid(&LAMB93, 21), "another level's pixel size");
        let shifted = source([652_000.01, 0.05, 0.0, 6_734_000.0, 0.0, -0.05], 2154);
        assert!(!shifted.on_grid(&LAMB93, 22));
        let cc46 = source([652_000.0, 0.05, 0.0, 6_734_000.0, 0.0, -0.05], 3946);
        assert!(!cc46.on_grid(&LAMB93, 22));
        // The real IGN tile: 20 cm with float noise in its geotransform.
        let ign = source(
            [
                770_549.8,
                0.199_999_999_999_63,
                0.0,
                6_277_600.2,
                0.0,
                -0.200_000_000_001_478,
            ],
            2154,
        );
        assert!(ign.on_grid(&LAMB93, 20));
    }
}
