//! Reading published features. [`FeatureStore`] is what the services call;
//! [`GpkgStore`] is the embedded backend (the dataset's GeoPackage through
//! OGR, with its R-tree); a PostGIS backend will sit behind the same trait.
//! Every call takes an [`Authorized`] view: the catalog's authorization
//! point is the only way to get one.

use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{FieldValue, LayerAccess};
use gdal::Dataset;
use geocentre_catalog::authz::VectorView;
use geocentre_catalog::Authorized;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Most features one request may return.
pub const MAX_LIMIT: u64 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("opening {0}: {1}")]
    Open(String, String),
    #[error("layer {0}: {1}")]
    Layer(String, String),
    #[error("unknown property '{0}'")]
    UnknownProperty(String),
    #[error("CRS EPSG:{0}: {1}")]
    Crs(u32, String),
    #[error(transparent)]
    Filter(#[from] crate::filter::FilterError),
}

/// What a client asks of a layer.
#[derive(Debug, Clone, Default)]
pub struct FeatureQuery {
    /// In `bbox_epsg`, x/y order (longitude first for geographic CRSs).
    pub bbox: Option<[f64; 4]>,
    /// 4326 unless the client said otherwise (bbox-crs).
    pub bbox_epsg: u32,
    pub limit: u64,
    pub offset: u64,
    /// property = value, all required.
    pub equals: Vec<(String, String)>,
    /// Properties to return (None: all).
    pub properties: Option<Vec<String>>,
    /// EPSG code of the output coordinates.
    pub out_epsg: u32,
    /// Write coordinates in the CRS's own axis order (EPSG:4326 is lat/lon)
    /// rather than x/y (CRS84 and GeoJSON are lon/lat).
    pub authority_axes: bool,
    /// Also give each geometry as GML 3.2 (WFS), with this gml:id prefix.
    pub gml_id_prefix: Option<String>,
    /// A FES or CQL2 filter, checked against the schema here.
    pub filter: Option<crate::filter::Expr>,
}

#[derive(Debug)]
pub struct FeaturePage {
    pub features: Vec<serde_json::Value>,
    /// GML 3.2 of each feature's geometry, when asked (`gml_id_prefix`).
    pub gml: Vec<Option<String>>,
    pub number_matched: u64,
}

pub trait FeatureStore: Send + Sync {
    fn query(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
    ) -> Result<FeaturePage, StoreError>;
    fn feature(
        &self,
        view: &Authorized<VectorView>,
        fid: u64,
        out_epsg: u32,
        authority_axes: bool,
    ) -> Result<Option<serde_json::Value>, StoreError>;
}

/// GeoPackages opened once and kept, a few per file, as MapServer's
/// CLOSE_CONNECTION=DEFER does (opening per request halves throughput).
pub struct GpkgStore {
    root: PathBuf,
    open: Mutex<HashMap<PathBuf, Vec<Dataset>>>,
}

/// The output CRS in x/y order; a latitude-first order is applied to the
/// written coordinates (OGR's GeoJSON writer always writes x/y).
fn srs(epsg: u32) -> Result<SpatialRef, StoreError> {
    let mut s = SpatialRef::from_epsg(epsg).map_err(|e| StoreError::Crs(epsg, e.to_string()))?;
    s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(s)
}

/// Swaps the two first ordinates of every position of a GeoJSON geometry.
fn swap_axes(v: &mut serde_json::Value) {
    if let serde_json::Value::Array(a) = v {
        if a.len() >= 2 && a.iter().all(serde_json::Value::is_number) {
            a.swap(0, 1);
        } else {
            a.iter_mut().for_each(swap_axes);
        }
    } else if let serde_json::Value::Object(o) = v {
        if let Some(c) = o.get_mut("coordinates") {
            swap_axes(c);
        }
        if let Some(serde_json::Value::Array(gs)) = o.get_mut("geometries") {
            gs.iter_mut().for_each(swap_axes);
        }
    }
}

fn json_value(v: Option<FieldValue>) -> serde_json::Value {
    use serde_json::Value;
    match v {
        None => Value::Null,
        Some(FieldValue::IntegerValue(i)) => i.into(),
        Some(FieldValue::Integer64Value(i)) => i.into(),
        Some(FieldValue::RealValue(f)) => {
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        Some(FieldValue::StringValue(s)) => s.into(),
        Some(FieldValue::DateValue(d)) => d.to_string().into(),
        Some(FieldValue::DateTimeValue(d)) => d.to_rfc3339().into(),
        Some(FieldValue::IntegerListValue(l)) => l.into(),
        Some(FieldValue::Integer64ListValue(l)) => l.into(),
        Some(FieldValue::RealListValue(l)) => l.into(),
        Some(FieldValue::StringListValue(l)) => l.into(),
    }
}

/// An OGR SQL string literal.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl GpkgStore {
    pub fn new(data_dir: &Path) -> GpkgStore {
        GpkgStore {
            root: data_dir.to_path_buf(),
            open: Mutex::new(HashMap::new()),
        }
    }

    fn with_dataset<T>(
        &self,
        view: &VectorView,
        f: impl FnOnce(&Dataset) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // Each layer sits in the GeoPackage of the file it came from.
        let path = match view.layer.file.as_str() {
            "" => self.root.join(view.dataset.file()),
            f => self.root.join(f),
        };
        let taken = {
            let mut map = self.open.lock().unwrap_or_else(|p| p.into_inner());
            map.get_mut(&path).and_then(Vec::pop)
        };
        let ds = match taken {
            Some(ds) => ds,
            None => Dataset::open(&path)
                .map_err(|e| StoreError::Open(path.display().to_string(), e.to_string()))?,
        };
        let out = f(&ds);
        let mut map = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let pool = map.entry(path).or_default();
        if pool.len() < 8 {
            pool.push(ds);
        }
        out
    }

    /// Forgets files no longer published (called when the catalog changes).
    pub fn retain(&self, live: &[PathBuf]) {
        let mut map = self.open.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|p, _| live.iter().any(|l| self.root.join(l) == *p));
    }
}

/// The filter's geometries, parsed and reprojected to the layer's CRS.
fn prepare(filter: &crate::filter::Expr, srid: u32) -> Result<crate::filter::Prepared, StoreError> {
    let mut geoms = Vec::new();
    filter.geometries(&mut geoms);
    let mut out = Vec::new();
    for fg in geoms {
        let bad = |e: gdal::errors::GdalError| {
            StoreError::Filter(crate::filter::FilterError::Invalid(format!(
                "geometry: {e}"
            )))
        };
        let mut g = gdal::vector::Geometry::from_wkt(&fg.wkt).map_err(bad)?;
        let mut from = srs(fg.epsg)?;
        if fg.authority_axes {
            from.set_axis_mapping_strategy(AxisMappingStrategy::AuthorityCompliant);
        }
        g.set_spatial_ref(from);
        let g = if fg.epsg == srid && !fg.authority_axes {
            g
        } else {
            g.transform_to(&srs(srid)?).map_err(bad)?
        };
        out.push((fg, g));
    }
    Ok(out)
}

/// The feature's geometry as GML 3.2, in the output CRS.
fn feature_gml(
    f: &gdal::vector::Feature<'_>,
    to: Option<&SpatialRef>,
    prefix: &str,
) -> Option<String> {
    let g = f.geometry()?;
    let id = format!("{prefix}.{}.geom", f.fid().unwrap_or(0));
    let g = match to {
        Some(s) => g.transform_to(s).ok()?,
        None => g.clone(),
    };
    geocentre_gdal::gml32(&g, &id).ok()
}

fn is_curve(t: u32) -> bool {
    use gdal::vector::OGRwkbGeometryType as T;
    matches!(
        gdal::vector::geometry_type_flatten(t),
        T::wkbCircularString
            | T::wkbCompoundCurve
            | T::wkbCurvePolygon
            | T::wkbMultiCurve
            | T::wkbMultiSurface
    )
}

fn feature_json(
    f: &gdal::vector::Feature<'_>,
    to: Option<&SpatialRef>,
    swap: bool,
    properties: Option<&[String]>,
) -> serde_json::Value {
    let mut props = serde_json::Map::new();
    for (name, value) in f.fields() {
        if properties.is_some_and(|p| !p.contains(&name)) {
            continue;
        }
        props.insert(name, json_value(value));
    }
    let geometry = f
        .geometry()
        .map(|g| {
            // GeoJSON has no arcs: straight segments, computed in the
            // stored CRS (in degrees they would be distorted).
            if is_curve(g.geometry_type()) {
                match geocentre_gdal::linearized(g) {
                    Some(mut l) => {
                        // Made from WKB: it needs its CRS back to be reprojected.
                        if let Some(srs) = g.spatial_ref() {
                            l.set_spatial_ref(srs);
                        }
                        l
                    }
                    None => g.clone(),
                }
            } else {
                g.clone()
            }
        })
        .and_then(|g| match to {
            Some(s) => g.transform_to(s).ok().and_then(|g| g.json().ok()),
            None => g.json().ok(),
        })
        .and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok())
        .map(|mut g| {
            if swap {
                swap_axes(&mut g);
            }
            g
        })
        .unwrap_or(serde_json::Value::Null);
    serde_json::json!({
        "type": "Feature",
        "id": f.fid(),
        "geometry": geometry,
        "properties": props,
    })
}

impl FeatureStore for GpkgStore {
    fn query(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
    ) -> Result<FeaturePage, StoreError> {
        let l = &view.layer;
        for (name, _) in &q.equals {
            if !l.fields.iter().any(|f| &f.name == name) {
                return Err(StoreError::UnknownProperty(name.clone()));
            }
        }
        if let Some(props) = &q.properties {
            if let Some(bad) = props
                .iter()
                .find(|p| !l.fields.iter().any(|f| &f.name == *p))
            {
                return Err(StoreError::UnknownProperty(bad.clone()));
            }
        }
        if let Some(f) = &q.filter {
            let names: Vec<&str> = l.fields.iter().map(|f| f.name.as_str()).collect();
            f.check(&names)?;
            if f.is_spatial() && l.srid == 0 {
                return Err(crate::filter::FilterError::Invalid(format!(
                    "layer '{}' has no geometry",
                    l.name
                ))
                .into());
            }
        }
        let spatial = l.srid > 0;
        let out = (spatial && q.out_epsg != l.srid as u32)
            .then(|| srs(q.out_epsg))
            .transpose()?;
        let swap = spatial && q.authority_axes && crate::scan::is_geographic(q.out_epsg);
        self.with_dataset(view, |ds| {
            let err = |e: gdal::errors::GdalError| StoreError::Layer(l.name.clone(), e.to_string());
            let mut layer = ds.layer_by_name(&l.table_name).map_err(err)?;
            if let (Some(b), true) = (q.bbox, spatial) {
                // The R-tree filters in the layer's CRS; corners are
                // densified so that curved edges are covered.
                let n = if q.bbox_epsg == l.srid as u32 {
                    b
                } else {
                    geocentre_raster::crs::Transformer::new(q.bbox_epsg, l.srid as u32)
                        .map_err(|e| StoreError::Crs(q.bbox_epsg, e.to_string()))?
                        .transform_bbox(b)
                };
                layer.set_spatial_filter_rect(n[0], n[1], n[2], n[3]);
            } else {
                layer.clear_spatial_filter();
            }
            // Names are checked against the schema above; values are
            // literals with quotes doubled: nothing is an expression.
            let filter = q
                .equals
                .iter()
                .map(|(k, v)| format!("\"{}\" = {}", k.replace('"', ""), literal(v)))
                .collect::<Vec<_>>()
                .join(" AND ");
            layer
                .set_attribute_filter(if filter.is_empty() { "1=1" } else { &filter })
                .map_err(err)?;
            let prepared = match &q.filter {
                Some(f) => Some(prepare(f, l.srid as u32)?),
                None => None,
            };
            // OGR's count is exact only when nothing is tested here: with
            // a bbox it counts R-tree boxes while reading tests geometries,
            // and a filter is evaluated below. Otherwise what is read is
            // counted, in the same single pass.
            let known = (q.filter.is_none() && !(q.bbox.is_some() && spatial))
                .then(|| layer.feature_count());
            let end = q.offset.saturating_add(q.limit.min(MAX_LIMIT));
            let (mut features, mut gml, mut matched) = (Vec::new(), Vec::new(), 0u64);
            layer.reset_feature_reading();
            for f in layer.features() {
                if let (Some(filter), Some(prepared)) = (&q.filter, &prepared) {
                    let value = |name: &str| -> Option<FieldValue> {
                        f.field_index(name)
                            .ok()
                            .and_then(|i| f.field(i).ok().flatten())
                    };
                    let subject = crate::filter::Subject {
                        value: &value,
                        geometry: f.geometry(),
                    };
                    if !filter.eval(&subject, prepared) {
                        continue;
                    }
                }
                if matched >= q.offset && matched < end {
                    features.push(feature_json(
                        &f,
                        out.as_ref(),
                        swap,
                        q.properties.as_deref(),
                    ));
                    if let Some(prefix) = &q.gml_id_prefix {
                        gml.push(feature_gml(&f, out.as_ref(), prefix));
                    }
                }
                matched += 1;
                if known.is_some() && matched >= end {
                    break;
                }
            }
            layer.clear_spatial_filter();
            let _ = layer.set_attribute_filter("1=1");
            let number_matched = known.unwrap_or(matched);
            Ok(FeaturePage {
                features,
                gml,
                number_matched,
            })
        })
    }

    fn feature(
        &self,
        view: &Authorized<VectorView>,
        fid: u64,
        out_epsg: u32,
        authority_axes: bool,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let l = &view.layer;
        let out = (l.srid > 0 && out_epsg != l.srid as u32)
            .then(|| srs(out_epsg))
            .transpose()?;
        let swap = l.srid > 0 && authority_axes && crate::scan::is_geographic(out_epsg);
        self.with_dataset(view, |ds| {
            let layer = ds
                .layer_by_name(&l.table_name)
                .map_err(|e| StoreError::Layer(l.name.clone(), e.to_string()))?;
            Ok(layer
                .feature(fid)
                .map(|f| feature_json(&f, out.as_ref(), swap, None)))
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn literals_cannot_close_the_quote() {
        assert_eq!(super::literal("O'Brien"), "'O''Brien'");
        assert_eq!(super::literal("' OR 1=1 --"), "''' OR 1=1 --'");
    }
}
