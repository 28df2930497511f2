//! Reading published features. [`FeatureStore`] is what the services call;
//! [`GpkgStore`] is the embedded backend (the dataset's GeoPackage through
//! OGR, with its R-tree), [`crate::postgis::PostgisStore`] reads tables and
//! views in place, and [`DatasetStores`] sends each layer to the one that
//! holds it. Both backends hand OGR features to the same writers (GeoJSON
//! text, GML, the shapes drawn and tiled), so that a layer answers the same
//! wherever it lives. Every call takes an [`Authorized`] view: the
//! registry's authorization point is the only way to get one.

use crate::filter_eval::Evaluate;
use crate::gpkg_cache::{CacheError, CacheStats, GpkgCache, Held};
use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{FieldValue, LayerAccess};
use gdal::Dataset;
use geocentre_geo::reproject::Reprojection;
use geocentre_registry::authz::VectorView;
use geocentre_registry::Authorized;
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
    /// The CRS a request gave its box in cannot be used: the request's
    /// fault, unlike [`StoreError::Crs`] (a layer's own CRS).
    #[error("the box's CRS EPSG:{0} cannot be used: {1}")]
    BboxCrs(u32, String),
    #[error(transparent)]
    Filter(#[from] geocentre_filter::FilterError),
    #[error("more than {0} features to sort: narrow the query")]
    TooManyToSort(u64),
    /// The database holding a PostGIS layer is down, too slow (statement
    /// timeout) or refuses us: the server's trouble, and a passing one
    /// (503), not the request's.
    #[error("layer {0}: its database is unavailable: {1}")]
    Unavailable(String, String),
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
    /// Also give each geometry as text (WFS GML, CSV WKT).
    pub geometry_text: GeometryText,
    /// Leave geometries out (WFS PROPERTYNAME without the geometry).
    pub skip_geometry: bool,
    /// A FES or CQL2 filter, checked against the schema here.
    pub filter: Option<geocentre_filter::Expr>,
    /// Sort keys: property name and descending; empty: storage order.
    pub sort_by: Vec<(String, bool)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum GeometryText {
    #[default]
    None,
    /// GML 3.2, with this gml:id prefix.
    Gml32(String),
    /// GML 3.1.1 (WFS 1.1.0), URN srsName.
    Gml31,
    Wkt,
}

/// Most matching features a sorted query orders (their keys are held).
pub const MAX_SORT: u64 = 1_000_000;

#[derive(Debug)]
pub struct FeaturePage {
    pub features: Vec<serde_json::Value>,
    /// Each feature's geometry as text, when asked (`geometry_text`).
    pub geometry_text: Vec<Option<String>>,
    pub number_matched: u64,
}

/// A page written as GeoJSON text by [`FeatureStore::query_geojson`].
#[derive(Debug, Default)]
pub struct GeoJsonPage {
    /// The features, comma-separated, without the enclosing brackets.
    pub features: Vec<u8>,
    pub returned: u64,
    pub number_matched: u64,
}

/// What a renderer or a tiler asks of a layer: the features in a box,
/// their geometry in one CRS, and a few attributes.
#[derive(Debug, Clone, Default)]
pub struct ScanQuery {
    /// In `epsg`, x/y order.
    pub bbox: [f64; 4],
    /// EPSG code of the box and of the returned coordinates.
    pub epsg: u32,
    /// Attributes to read, in this order (checked against the schema).
    pub properties: Vec<String>,
    pub filter: Option<geocentre_filter::Expr>,
    /// Stop after this many features (0: [`MAX_SCAN`]).
    pub limit: u64,
    /// Points of a line or ring closer than this (in `epsg` units) to the
    /// previous point kept are dropped before reprojection: what a map or
    /// tile cannot show (0: keep every point). Reprojecting every point of
    /// a small-scale tile was most of its cost (perf).
    pub min_spacing: f64,
}

/// Most features one scan reads: bounds a map or a tile's work.
pub const MAX_SCAN: u64 = 200_000;

/// A geometry in x/y order, curves made straight, Z dropped: what drawing
/// and tiling need, whatever the backend.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    pub points: Vec<[f64; 2]>,
    pub lines: Vec<Vec<[f64; 2]>>,
    /// Each polygon is its rings, the exterior first.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

impl Shape {
    pub fn is_empty(&self) -> bool {
        self.points.is_empty() && self.lines.is_empty() && self.polygons.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Scanned {
    pub fid: u64,
    pub shape: Shape,
    /// The values of [`ScanQuery::properties`], in that order.
    pub properties: Vec<serde_json::Value>,
}

pub trait FeatureStore: Send + Sync {
    /// Calls `each` with every feature whose geometry meets `q.bbox`, until
    /// it returns false or `q.limit` is reached; returns how many were given.
    fn scan(
        &self,
        view: &Authorized<VectorView>,
        q: &ScanQuery,
        each: &mut dyn FnMut(Scanned) -> bool,
    ) -> Result<u64, StoreError>;

    fn query(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
    ) -> Result<FeaturePage, StoreError>;

    /// The same page as [`FeatureStore::query`], written as GeoJSON
    /// features (comma-separated, to go inside a FeatureCollection's
    /// array): what OGC API items pages send, never held as values.
    fn query_geojson(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
    ) -> Result<GeoJsonPage, StoreError>;

    /// One feature by identifier, written as `q` asks (CRS, axes,
    /// properties, geometry text); its selection fields are ignored.
    fn feature_with(
        &self,
        view: &Authorized<VectorView>,
        fid: u64,
        q: &FeatureQuery,
    ) -> Result<Option<(serde_json::Value, Option<String>)>, StoreError>;

    fn feature(
        &self,
        view: &Authorized<VectorView>,
        fid: u64,
        out_epsg: u32,
        authority_axes: bool,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let q = FeatureQuery {
            out_epsg,
            authority_axes,
            ..Default::default()
        };
        Ok(self.feature_with(view, fid, &q)?.map(|(f, _)| f))
    }

    /// The figures of the replica's GeoPackage cache, when the
    /// GeoPackages live in the object store (`/metrics`).
    fn gpkg_cache_stats(&self) -> Option<CacheStats> {
        None
    }
}

/// What a backend's page reader gives each feature of the page, in order:
/// the feature, the output transformation, and whether to write latitude
/// first.
pub(crate) type Emit<'e> = dyn FnMut(&gdal::vector::Feature<'_>, Option<&Reprojection>, bool) + 'e;

/// [`FeatureStore::query`] over a backend's page reader (which returns
/// numberMatched).
pub(crate) fn values_page(
    q: &FeatureQuery,
    read: impl FnOnce(&mut Emit<'_>) -> Result<u64, StoreError>,
) -> Result<FeaturePage, StoreError> {
    let (mut features, mut geometry_text) = (Vec::new(), Vec::new());
    let number_matched = read(&mut |f, to, swap| {
        features.push(feature_json(f, to, swap, q));
        if q.geometry_text != GeometryText::None {
            geometry_text.push(feature_text(f, to, q));
        }
    })?;
    Ok(FeaturePage {
        features,
        geometry_text,
        number_matched,
    })
}

/// [`FeatureStore::query_geojson`] over a backend's page reader.
pub(crate) fn text_page(
    q: &FeatureQuery,
    read: impl FnOnce(&mut Emit<'_>) -> Result<u64, StoreError>,
) -> Result<GeoJsonPage, StoreError> {
    let mut page = GeoJsonPage::default();
    let mut writer = None;
    page.number_matched = read(&mut |f, to, swap| {
        let w = writer.get_or_insert_with(|| {
            crate::geojson_text::GeoJsonWriter::new(q.properties.as_deref(), swap, q.skip_geometry)
        });
        if page.returned > 0 {
            page.features.push(b',');
        }
        w.feature(f, to, &mut page.features);
        page.returned += 1;
    })?;
    Ok(page)
}

/// Refuses a property selection naming a field the layer does not have.
pub(crate) fn check_properties(
    l: &geocentre_registry::vector::VectorLayerRecord,
    q: &FeatureQuery,
) -> Result<(), StoreError> {
    match q
        .properties
        .iter()
        .flatten()
        .find(|p| !l.fields.iter().any(|f| &f.name == *p))
    {
        Some(bad) => Err(StoreError::UnknownProperty(bad.clone())),
        None => Ok(()),
    }
}

/// The output transformation of a query (None: the layer's own CRS, or no
/// geometry) and whether coordinates are written latitude first.
pub(crate) fn output(
    l: &geocentre_registry::vector::VectorLayerRecord,
    out_epsg: u32,
    authority_axes: bool,
) -> Result<(Option<std::rc::Rc<Reprojection>>, bool), StoreError> {
    let spatial = l.srid > 0;
    let out = (spatial && out_epsg != l.srid as u32)
        .then(|| transform(l.srid as u32, out_epsg))
        .transpose()?;
    let swap = spatial && authority_axes && crate::scan::is_geographic(out_epsg);
    Ok((out, swap))
}

/// Every layer read from where it lives: the ingest's GeoPackage, or the
/// PostGIS table or view it was connected to. What the server holds.
pub struct DatasetStores {
    pub gpkg: GpkgStore,
    pub postgis: crate::postgis::PostgisStore,
}

impl DatasetStores {
    fn of(&self, view: &VectorView) -> &dyn FeatureStore {
        if view.layer.postgis.is_some() {
            &self.postgis
        } else {
            &self.gpkg
        }
    }
}

impl FeatureStore for DatasetStores {
    fn scan(
        &self,
        view: &Authorized<VectorView>,
        q: &ScanQuery,
        each: &mut dyn FnMut(Scanned) -> bool,
    ) -> Result<u64, StoreError> {
        self.of(view).scan(view, q, each)
    }

    fn query(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
    ) -> Result<FeaturePage, StoreError> {
        self.of(view).query(view, q)
    }

    fn query_geojson(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
    ) -> Result<GeoJsonPage, StoreError> {
        self.of(view).query_geojson(view, q)
    }

    fn feature_with(
        &self,
        view: &Authorized<VectorView>,
        fid: u64,
        q: &FeatureQuery,
    ) -> Result<Option<(serde_json::Value, Option<String>)>, StoreError> {
        self.of(view).feature_with(view, fid, q)
    }

    fn gpkg_cache_stats(&self) -> Option<CacheStats> {
        self.gpkg.cache_stats()
    }
}

/// GeoPackages opened once and kept, a few per file, as MapServer's
/// CLOSE_CONNECTION=DEFER does (opening per request halves throughput).
/// With blobs in a bucket, the files are the local copies a
/// [`GpkgCache`] keeps: the datasets open on a file it evicts are closed
/// with it.
pub struct GpkgStore {
    root: PathBuf,
    open: Mutex<HashMap<PathBuf, Vec<Dataset>>>,
    cache: Option<GpkgCache>,
}

/// How a stored GeoPackage is opened: read-only, by the GeoPackage
/// driver alone (whatever the file's bytes say it is).
fn gpkg_only() -> gdal::DatasetOptions<'static> {
    gdal::DatasetOptions {
        open_flags: gdal::GdalOpenFlags::GDAL_OF_VECTOR | gdal::GdalOpenFlags::GDAL_OF_READONLY,
        allowed_drivers: Some(&["GPKG"]),
        ..Default::default()
    }
}

/// The output CRS in x/y order; a latitude-first order is applied to the
/// written coordinates (OGR's GeoJSON writer always writes x/y).
pub(crate) fn srs(epsg: u32) -> Result<SpatialRef, StoreError> {
    let mut s = SpatialRef::from_epsg(epsg).map_err(|e| StoreError::Crs(epsg, e.to_string()))?;
    s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(s)
}

thread_local! {
    /// Transformations built on this (blocking) thread, kept: building one
    /// (PROJ's pipeline) costs more than reprojecting a tile's features,
    /// and OGR's transformations may not be shared between threads.
    static TRANSFORMS: std::cell::RefCell<HashMap<(u32, u32), std::rc::Rc<Reprojection>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// The transformation from EPSG `from` to `to`, built once per thread:
/// per feature (what `Geometry::transform_to` does) or per request it
/// cost more than the rest of the work.
pub(crate) fn transform(from: u32, to: u32) -> Result<std::rc::Rc<Reprojection>, StoreError> {
    if let Some(t) = TRANSFORMS.with(|m| m.borrow().get(&(from, to)).cloned()) {
        return Ok(t);
    }
    let t = std::rc::Rc::new(
        Reprojection::new(&srs(from)?, &srs(to)?)
            .map_err(|e| StoreError::Crs(to, e.to_string()))?,
    );
    TRANSFORMS.with(|m| {
        let mut m = m.borrow_mut();
        // A handful of CRS pairs are in use; the bound is for odd clients.
        if m.len() >= 64 {
            m.clear();
        }
        m.insert((from, to), t.clone());
    });
    Ok(t)
}

pub(crate) fn json_value(v: Option<FieldValue>) -> serde_json::Value {
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
pub(crate) fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl GpkgStore {
    /// The GeoPackages in the data directory (local blobs).
    pub fn new(data_dir: &Path) -> GpkgStore {
        GpkgStore {
            root: data_dir.to_path_buf(),
            open: Mutex::new(HashMap::new()),
            cache: None,
        }
    }

    /// The GeoPackages in the object store, read through `cache`.
    pub fn cached(cache: GpkgCache) -> GpkgStore {
        GpkgStore {
            root: cache.dir().to_path_buf(),
            open: Mutex::new(HashMap::new()),
            cache: Some(cache),
        }
    }

    pub fn cache_stats(&self) -> Option<CacheStats> {
        self.cache.as_ref().map(GpkgCache::stats)
    }

    /// The local file of `file` and, from the cache, the hold that keeps
    /// it there (never evicted) until the dataset is back in the pool.
    fn local(
        &self,
        view: &VectorView,
        file: &str,
    ) -> Result<(PathBuf, Option<Held<'_>>), StoreError> {
        let Some(cache) = &self.cache else {
            return Ok((self.root.join(file), None));
        };
        let l = &view.layer;
        let (Some(sum), Some(size)) = (l.sha256.as_deref(), l.size) else {
            return Err(StoreError::Open(
                file.to_string(),
                "no checksum recorded: copy the installation with `geocentre copy-store`".into(),
            ));
        };
        let got = cache
            .acquire(file, sum, u64::try_from(size).unwrap_or(0))
            .map_err(|e| match e {
                // A copy that fails its checksum is refetched by the next
                // request: a transfer cut or damaged on the way passes.
                // One damaged in the bucket shows in the log and
                // `/metrics` (checksum failures).
                CacheError::Unavailable(..) | CacheError::Checksum { .. } => {
                    StoreError::Unavailable(l.name.clone(), e.to_string())
                }
                e => StoreError::Open(file.to_string(), e.to_string()),
            })?;
        if !got.evicted.is_empty() {
            let mut map = self.open.lock().unwrap_or_else(|p| p.into_inner());
            map.retain(|p, _| !got.evicted.contains(p));
        }
        Ok((got.held.path().to_path_buf(), Some(got.held)))
    }

    fn with_dataset<T>(
        &self,
        view: &VectorView,
        f: impl FnOnce(&Dataset) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // Each layer sits in the GeoPackage of the file it came from.
        let file = match view.layer.file.as_str() {
            "" => view.dataset.file(),
            f => f,
        };
        // `_held`, only ever dropped, keeps a cached file from eviction
        // until the dataset is back in the pool (the end of this function).
        let (mut path, mut _held) = self.local(view, file)?;
        let taken = {
            let mut map = self.open.lock().unwrap_or_else(|p| p.into_inner());
            map.get_mut(&path).and_then(Vec::pop)
        };
        let open = |path: &Path| {
            Dataset::open_ex(path, gpkg_only())
                .map_err(|e| StoreError::Open(path.display().to_string(), e.to_string()))
        };
        let ds = match taken {
            Some(ds) => ds,
            None => match open(&path) {
                Ok(ds) => ds,
                // Another replica sharing the cache directory removed the
                // file between this one's check and the open: released,
                // and fetched again.
                Err(_) if _held.is_some() && !path.exists() => {
                    drop(_held.take());
                    (path, _held) = self.local(view, file)?;
                    open(&path)?
                }
                Err(e) => return Err(e),
            },
        };
        let out = f(&ds);
        let mut map = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let pool = map.entry(path).or_default();
        if pool.len() < 8 {
            pool.push(ds);
        }
        out
    }

    /// Forgets files no longer published (called when the registry changes).
    /// Reads the page `q` selects and gives its features to `emit`, in
    /// page order; returns numberMatched. `emit` also gets the output
    /// transformation and whether to write latitude first.
    fn read_page(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
        emit: &mut Emit<'_>,
    ) -> Result<u64, StoreError> {
        let l = &view.layer;
        check_query(l, q)?;
        let spatial = l.srid > 0;
        let (out, swap) = output(l, q.out_epsg, q.authority_axes)?;
        let area = match (q.bbox, spatial) {
            (Some(b), true) => Some(box_area(b, q.bbox_epsg, l)?),
            _ => None,
        };
        if let Some(BoxArea::Nothing) = area {
            // Outside the layer's extent: no feature can meet the box.
            return Ok(0);
        }
        self.with_dataset(view, |ds| {
            let err = |e: gdal::errors::GdalError| StoreError::Layer(l.name.clone(), e.to_string());
            let mut layer = ds.layer_by_name(&l.table_name).map_err(err)?;
            match &area {
                Some(BoxArea::Rect(n)) => layer.set_spatial_filter_rect(n[0], n[1], n[2], n[3]),
                Some(BoxArea::Shape(g)) => layer.set_spatial_filter(g),
                // Not reached: a box meeting nothing returned above.
                Some(BoxArea::Nothing) | None => layer.clear_spatial_filter(),
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
            let sorted = !q.sort_by.is_empty();
            let known = if q.filter.is_none() && !(q.bbox.is_some() && spatial) && !sorted {
                // A count OGR could not make is an error, never a number.
                Some(
                    geocentre_gdal::feature_count(&layer)
                        .map_err(|e| StoreError::Layer(l.name.clone(), e.to_string()))?,
                )
            } else {
                None
            };
            let end = q.offset.saturating_add(q.limit.min(MAX_LIMIT));
            let mut matched = 0u64;
            let mut keyed: Vec<(Vec<serde_json::Value>, u64)> = Vec::new();
            // A read that fails ends like one that reached the end: the
            // error GDAL noted tells a short page from a wrong one.
            geocentre_gdal::clear_last_error();
            layer.reset_feature_reading();
            for f in layer.features() {
                if passes(&f, q.filter.as_ref().zip(prepared.as_ref())) {
                    if sorted {
                        // Keys only: the page is read again by fid once ordered.
                        if matched >= MAX_SORT {
                            return Err(StoreError::TooManyToSort(MAX_SORT));
                        }
                        let keys = q
                            .sort_by
                            .iter()
                            .map(|(name, _)| json_value(field(&f, name)))
                            .collect();
                        keyed.push((keys, f.fid().unwrap_or(0)));
                    } else if matched >= q.offset && matched < end {
                        emit(&f, out.as_deref(), swap);
                    }
                    matched += 1;
                }
                // What testing and writing this feature left (a point that
                // does not reproject, a GEOS complaint) is not a failed
                // read: only the fetch that ends the loop is checked below.
                geocentre_gdal::clear_last_error();
                if known.is_some() && matched >= end {
                    break;
                }
            }
            if let Some(e) = geocentre_gdal::last_failure() {
                return Err(StoreError::Layer(l.name.clone(), e));
            }
            layer.clear_spatial_filter();
            let _ = layer.set_attribute_filter("1=1");
            if sorted {
                // Stable: equal keys keep storage order, so pages don't overlap.
                keyed.sort_by(|(a, _), (b, _)| {
                    for ((x, y), (_, desc)) in a.iter().zip(b).zip(&q.sort_by) {
                        let o = key_order(x, y);
                        let o = if *desc { o.reverse() } else { o };
                        if o != std::cmp::Ordering::Equal {
                            return o;
                        }
                    }
                    std::cmp::Ordering::Equal
                });
                let page = keyed
                    .iter()
                    .skip(usize::try_from(q.offset).unwrap_or(usize::MAX))
                    .take(usize::try_from(end - q.offset.min(end)).unwrap_or(0));
                for (_, fid) in page {
                    if let Some(f) = layer.feature(*fid) {
                        emit(&f, out.as_deref(), swap);
                    }
                }
            }
            Ok(known.unwrap_or(matched))
        })
    }

    pub fn retain(&self, live: &[PathBuf]) {
        let mut map = self.open.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|p, _| live.iter().any(|l| self.root.join(l) == *p));
    }
}

/// Checks every name a query uses against the layer's schema (equality,
/// properties, sort keys, the filter's): the same refusals whatever the
/// backend.
pub(crate) fn check_query(
    l: &geocentre_registry::vector::VectorLayerRecord,
    q: &FeatureQuery,
) -> Result<(), StoreError> {
    for (name, _) in &q.equals {
        if !l.fields.iter().any(|f| &f.name == name) {
            return Err(StoreError::UnknownProperty(name.clone()));
        }
    }
    let named = q
        .properties
        .iter()
        .flatten()
        .chain(q.sort_by.iter().map(|(n, _)| n));
    for name in named {
        if !l.fields.iter().any(|f| &f.name == name) {
            return Err(StoreError::UnknownProperty(name.clone()));
        }
    }
    if let Some(f) = &q.filter {
        check_filter(&l.fields, f)?;
        if f.is_spatial() && l.srid == 0 {
            return Err(geocentre_filter::FilterError::Invalid(format!(
                "layer '{}' has no geometry",
                l.name
            ))
            .into());
        }
    }
    Ok(())
}

/// A request box as the spatial filter of a layer, in the layer's CRS.
pub(crate) enum BoxArea {
    /// Same CRS, one box: the R-tree filters it as it is.
    Rect([f64; 4]),
    /// The box's parts, densified and reprojected: OGR tests each
    /// candidate's geometry against this shape (GEOS), not against its
    /// envelope, which a reprojected box overshoots.
    Shape(gdal::vector::Geometry),
    /// The box lies outside the layer's extent.
    Nothing,
}

/// Points per edge when a box is reprojected (its edges curve).
const BOX_EDGE_POINTS: usize = 21;

/// `b` (x/y in EPSG `epsg`; in a geographic CRS a minimum longitude above
/// the maximum crosses the antimeridian) as the spatial filter of layer
/// `l`. The box is first cut to the layer's extent (known in lon/lat,
/// grown a little): only that part can hold features, and only there is
/// the reprojection sound. A world-wide or polar box taken whole to a
/// conic projection such as Lambert-93 came out as a plane-sized envelope
/// (the poles go to infinity or wrap), and selected every feature.
pub(crate) fn box_area(
    b: [f64; 4],
    epsg: u32,
    l: &geocentre_registry::vector::VectorLayerRecord,
) -> Result<BoxArea, StoreError> {
    // The extent as written at ingest, grown by ~100 m against rounding;
    // the whole world when ingest could not write one ([0; 4]).
    let extent_wgs84 = match l.bbox_wgs84 {
        [0.0, 0.0, 0.0, 0.0] => [-180.0, -90.0, 180.0, 90.0],
        e => geocentre_core::bbox::grown(e, 1e-3),
    };
    box_area_within(b, epsg, l.srid as u32, extent_wgs84)
}

/// [`box_area`] cut to `extent_wgs84` (lon/lat) rather than to the layer's
/// recorded extent: a table read in place may hold features beyond the
/// extent read when it was connected.
pub(crate) fn box_area_within(
    b: [f64; 4],
    epsg: u32,
    srid: u32,
    extent_wgs84: [f64; 4],
) -> Result<BoxArea, StoreError> {
    use geocentre_core::bbox;
    use geocentre_geo::crs::Transformer;
    let crosses = b[0] > b[2];
    if crosses && !crate::scan::is_geographic(epsg) {
        return Err(StoreError::BboxCrs(
            epsg,
            "a box whose minimum x exceeds its maximum crosses the antimeridian, \
             which only a geographic CRS has"
                .into(),
        ));
    }
    if epsg == srid && !crosses {
        return Ok(BoxArea::Rect(b));
    }
    let bad = |e: geocentre_geo::crs::CrsError| StoreError::BboxCrs(epsg, e.to_string());
    let extent = if epsg == 4326 {
        extent_wgs84
    } else {
        Transformer::new(4326, epsg)
            .map_err(bad)?
            .transform_bbox(extent_wgs84)
    };
    let parts: Vec<[f64; 4]> = bbox::split_antimeridian(b)
        .into_iter()
        .filter_map(|p| bbox::intersection(p, extent))
        .collect();
    if parts.is_empty() {
        return Ok(BoxArea::Nothing);
    }
    let to_layer = (epsg != srid)
        .then(|| Transformer::new(epsg, srid))
        .transpose()
        .map_err(bad)?;
    let mut polygons = Vec::new();
    for p in parts {
        let mut ring = Vec::with_capacity(4 * BOX_EDGE_POINTS + 1);
        let n = BOX_EDGE_POINTS - 1;
        let at = |i: usize, a: f64, z: f64| a + (z - a) * i as f64 / n as f64;
        // Counter-clockwise: bottom, right, top, left.
        ring.extend((0..n).map(|i| (at(i, p[0], p[2]), p[1])));
        ring.extend((0..n).map(|i| (p[2], at(i, p[1], p[3]))));
        ring.extend((0..n).map(|i| (at(i, p[2], p[0]), p[3])));
        ring.extend((0..n).map(|i| (p[0], at(i, p[3], p[1]))));
        ring.push(ring[0]);
        if let Some(t) = &to_layer {
            t.transform(&mut ring);
        }
        if !ring.iter().all(|(x, y)| x.is_finite() && y.is_finite()) {
            return Err(StoreError::BboxCrs(
                epsg,
                format!("the box does not reproject to EPSG:{srid}"),
            ));
        }
        let coords: Vec<String> = ring.iter().map(|(x, y)| format!("{x} {y}")).collect();
        polygons.push(format!("(({}))", coords.join(",")));
    }
    let wkt = format!("MULTIPOLYGON({})", polygons.join(","));
    gdal::vector::Geometry::from_wkt(&wkt)
        .map(BoxArea::Shape)
        .map_err(|e| StoreError::BboxCrs(epsg, e.to_string()))
}

/// The filter's geometries, parsed and reprojected to the layer's CRS.
pub(crate) fn prepare(
    filter: &geocentre_filter::Expr,
    srid: u32,
) -> Result<crate::filter_eval::Prepared, StoreError> {
    let mut geoms = Vec::new();
    filter.geometries(&mut geoms);
    let mut out = Vec::new();
    for fg in geoms {
        let bad = |e: gdal::errors::GdalError| {
            StoreError::Filter(geocentre_filter::FilterError::Invalid(format!(
                "geometry: {e}"
            )))
        };
        let mut g = gdal::vector::Geometry::from_wkt(&fg.wkt).map_err(bad)?;
        // The filter's CRS is the client's: one PROJ does not know is a
        // bad filter, not a fault of the server.
        let mut from = srs(fg.epsg).map_err(|e| {
            StoreError::Filter(geocentre_filter::FilterError::Invalid(format!(
                "geometry: {e}"
            )))
        })?;
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

/// The feature's geometry as text, in the output CRS, when `q` asks for it.
pub(crate) fn feature_text(
    f: &gdal::vector::Feature<'_>,
    to: Option<&Reprojection>,
    q: &FeatureQuery,
) -> Option<String> {
    if q.skip_geometry || q.geometry_text == GeometryText::None {
        return None;
    }
    let g = geocentre_gdal::geometry_of(f)?;
    let g = match to {
        Some(ct) => g.transform(ct.ogr()).ok()?,
        None => g.clone(),
    };
    let id = |prefix: &str| format!("{prefix}.{}.geom", f.fid().unwrap_or(0));
    match &q.geometry_text {
        GeometryText::None => None,
        // OGR's curve rings are not valid GML: made so (`gml_rings`).
        GeometryText::Gml32(prefix) => {
            let gid = id(prefix);
            geocentre_gdal::gml32(&g, &gid)
                .ok()
                .map(|t| geocentre_ogc::gml_rings::valid_rings(&t, Some(&gid)))
        }
        GeometryText::Gml31 => geocentre_gdal::gml31(&g)
            .ok()
            .map(|t| geocentre_ogc::gml_rings::valid_rings(&t, None)),
        GeometryText::Wkt => g.wkt().ok(),
    }
}

/// A sort key's order: numbers by value, text by code point, absent last.
pub(crate) fn key_order(a: &serde_json::Value, b: &serde_json::Value) -> std::cmp::Ordering {
    use serde_json::Value;
    use std::cmp::Ordering;
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (x, y) => x.to_string().cmp(&y.to_string()),
    }
}

pub(crate) fn is_curve(t: u32) -> bool {
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

/// A feature as a GeoJSON value: the page writer's text, read back, so
/// that there is one GeoJSON writer. The geometry is left out when the
/// caller takes it as text instead (WFS GML and CSV pages).
pub(crate) fn feature_json(
    f: &gdal::vector::Feature<'_>,
    to: Option<&Reprojection>,
    swap: bool,
    q: &FeatureQuery,
) -> serde_json::Value {
    let skip = q.skip_geometry || q.geometry_text != GeometryText::None;
    let mut out = Vec::new();
    crate::geojson_text::GeoJsonWriter::new(q.properties.as_deref(), swap, skip)
        .feature(f, to, &mut out);
    serde_json::from_slice(&out).unwrap_or(serde_json::Value::Null)
}

/// A feature's field by name (None: absent or null).
pub(crate) fn field(f: &gdal::vector::Feature<'_>, name: &str) -> Option<FieldValue> {
    f.field_index(name)
        .ok()
        .and_then(|i| f.field(i).ok().flatten())
}

/// A client's filter against the layer's schema: every property it names
/// exists, and temporal operators compare dates: a Date or DateTime
/// field, or a text field (which may hold them, as PCRS's `dateLeve`
/// does); a number or a boolean is no date.
pub(crate) fn check_filter(
    fields: &[geocentre_registry::vector::FieldDef],
    f: &geocentre_filter::Expr,
) -> Result<(), geocentre_filter::FilterError> {
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    f.check(&names)?;
    let mut temporal = Vec::new();
    f.temporal_properties(&mut temporal);
    for p in temporal {
        if let Some(d) = fields.iter().find(|d| d.name == p) {
            if !matches!(d.kind.as_str(), "Date" | "DateTime" | "String") {
                return Err(geocentre_filter::FilterError::Invalid(format!(
                    "temporal operator on '{p}', which holds {} values, not dates",
                    d.kind
                )));
            }
        }
    }
    Ok(())
}

/// Whether a feature passes the filter (none: every one does).
pub(crate) fn passes(
    f: &gdal::vector::Feature<'_>,
    filter: Option<(&geocentre_filter::Expr, &crate::filter_eval::Prepared)>,
) -> bool {
    let Some((filter, prepared)) = filter else {
        return true;
    };
    let value = |name: &str| field(f, name);
    let subject = crate::filter_eval::Subject {
        value: &value,
        geometry: geocentre_gdal::geometry_of(f),
    };
    filter.eval(&subject, prepared)
}

/// Reads OGR geometries (already straight) into [`Shape`]s, their points
/// fetched and reprojected as arrays: cloning each geometry to transform
/// it and reading its points one by one showed in tile profiles.
#[derive(Default)]
struct ShapeReader {
    xs: Vec<f64>,
    ys: Vec<f64>,
    zs: Vec<f64>,
    /// [`ScanQuery::min_spacing`] in the stored CRS.
    spacing: f64,
    /// The reprojection interpolated, when the scan may use it.
    grid: Option<geocentre_geo::approx::GridTransform>,
    outside: Vec<usize>,
}

impl ShapeReader {
    /// The points of a curve (or point) through `to`; None if one failed.
    fn points(
        &mut self,
        g: &gdal::vector::Geometry,
        to: Option<&Reprojection>,
    ) -> Option<Vec<[f64; 2]>> {
        geocentre_gdal::points_into(g, &mut self.xs, &mut self.ys, &mut self.zs);
        if self.spacing > 0.0 {
            self.thin();
        }
        if let Some(ct) = to.filter(|_| !self.xs.is_empty()) {
            match &self.grid {
                Some(g) => g
                    .apply(ct.ogr(), &mut self.xs, &mut self.ys, &mut self.outside)
                    .then_some(())?,
                None => ct
                    .transform_coords(&mut self.xs, &mut self.ys, &mut self.zs)
                    .then_some(())?,
            }
        }
        Some(
            self.xs
                .iter()
                .zip(&self.ys)
                .map(|(x, y)| [*x, *y])
                .collect(),
        )
    }

    /// Drops the points within `spacing` of the previous one kept; the
    /// first and last stay, so rings stay closed.
    fn thin(&mut self) {
        let n = self.xs.len();
        if n <= 2 {
            return;
        }
        let d2 = self.spacing * self.spacing;
        let mut kept = 1;
        for i in 1..n {
            let (dx, dy) = (
                self.xs[i] - self.xs[kept - 1],
                self.ys[i] - self.ys[kept - 1],
            );
            if i == n - 1 || dx * dx + dy * dy >= d2 {
                self.xs[kept] = self.xs[i];
                self.ys[kept] = self.ys[i];
                self.zs[kept] = self.zs[i];
                kept += 1;
            }
        }
        self.xs.truncate(kept);
        self.ys.truncate(kept);
        self.zs.truncate(kept);
    }

    fn add(
        &mut self,
        g: &gdal::vector::Geometry,
        to: Option<&Reprojection>,
        out: &mut Shape,
    ) -> Option<()> {
        use gdal::vector::OGRwkbGeometryType as T;
        match gdal::vector::geometry_type_flatten(g.geometry_type()) {
            T::wkbPoint => out.points.extend(self.points(g, to)?.first()),
            T::wkbLineString | T::wkbLinearRing => {
                let l = self.points(g, to)?;
                if l.len() >= 2 {
                    out.lines.push(l);
                }
            }
            T::wkbPolygon | T::wkbTriangle => {
                let mut rings = Vec::with_capacity(g.geometry_count());
                for i in 0..g.geometry_count() {
                    let r = self.points(&g.get_geometry(i), to)?;
                    if r.len() >= 3 {
                        rings.push(r);
                    }
                }
                if !rings.is_empty() {
                    out.polygons.push(rings);
                }
            }
            _ => {
                for i in 0..g.geometry_count() {
                    self.add(&g.get_geometry(i), to, out)?;
                }
            }
        }
        Some(())
    }

    fn shape(&mut self, g: &gdal::vector::Geometry, to: Option<&Reprojection>) -> Option<Shape> {
        let mut out = Shape::default();
        self.add(g, to, &mut out)?;
        Some(out)
    }
}

/// What a scan does to each feature it reads, whatever the backend: the
/// box in the stored CRS, the attributes it reads, the reprojection (on a
/// grid when only drawn) and the thinning of points a map cannot show.
pub(crate) struct ScanPlan {
    /// The layer's CRS.
    pub(crate) srid: u32,
    /// The scan's box in the layer's CRS.
    pub(crate) bbox: [f64; 4],
    /// Stop after this many features.
    pub(crate) limit: u64,
    properties: Vec<String>,
    transform: Option<std::rc::Rc<Reprojection>>,
    reader: ShapeReader,
}

impl ScanPlan {
    /// None for a layer without geometry (nothing to draw or tile).
    pub(crate) fn new(
        l: &geocentre_registry::vector::VectorLayerRecord,
        q: &ScanQuery,
    ) -> Result<Option<ScanPlan>, StoreError> {
        if l.srid <= 0 {
            return Ok(None);
        }
        let srid = l.srid as u32;
        for p in &q.properties {
            if !l.fields.iter().any(|f| &f.name == p) {
                return Err(StoreError::UnknownProperty(p.clone()));
            }
        }
        if let Some(f) = &q.filter {
            check_filter(&l.fields, f)?;
        }
        let (bbox, transform) = if q.epsg == srid {
            (q.bbox, None)
        } else {
            let b = geocentre_geo::crs::Transformer::new(q.epsg, srid)
                .map_err(|e| StoreError::Crs(q.epsg, e.to_string()))?
                .transform_bbox(q.bbox);
            // One transformation for the whole scan: creating one per
            // geometry costs more than transforming it.
            let ct = transform(srid, q.epsg)?;
            (b, Some(ct))
        };
        let limit = match q.limit {
            0 => MAX_SCAN,
            n => n.min(MAX_SCAN),
        };
        // The box's size in both CRSs gives the spacing in the stored
        // one; the smaller ratio errs towards keeping points.
        let ratio = ((bbox[2] - bbox[0]) / (q.bbox[2] - q.bbox[0]))
            .min((bbox[3] - bbox[1]) / (q.bbox[3] - q.bbox[1]));
        // What is only drawn may be reprojected on a grid, within a
        // quarter of what it can show; the grid reaches past the box
        // for the features crossing its edge.
        let grid = transform
            .as_deref()
            .filter(|_| q.min_spacing > 0.0)
            .and_then(|ct| {
                let (mx, my) = ((bbox[2] - bbox[0]) / 4.0, (bbox[3] - bbox[1]) / 4.0);
                let around = [bbox[0] - mx, bbox[1] - my, bbox[2] + mx, bbox[3] + my];
                geocentre_geo::approx::GridTransform::new(ct.ogr(), around, q.min_spacing / 4.0)
            });
        let reader = ShapeReader {
            spacing: if ratio.is_finite() && ratio > 0.0 {
                q.min_spacing.max(0.0) * ratio
            } else {
                0.0
            },
            grid,
            ..Default::default()
        };
        Ok(Some(ScanPlan {
            srid,
            bbox,
            limit,
            properties: q.properties.clone(),
            transform,
            reader,
        }))
    }

    /// A feature with a geometry as the scan gives it; None when its
    /// geometry cannot be read or reprojected.
    pub(crate) fn scanned(&mut self, f: &gdal::vector::Feature<'_>) -> Option<Scanned> {
        let g = geocentre_gdal::geometry_of(f)?;
        let straight = if is_curve(g.geometry_type()) {
            geocentre_gdal::linearized(g)
        } else {
            None
        };
        let g = straight.as_ref().unwrap_or(g);
        let shape = self.reader.shape(g, self.transform.as_deref())?;
        let properties = self
            .properties
            .iter()
            .map(|name| json_value(field(f, name)))
            .collect();
        Some(Scanned {
            fid: f.fid().unwrap_or(0),
            shape,
            properties,
        })
    }
}

impl FeatureStore for GpkgStore {
    fn gpkg_cache_stats(&self) -> Option<CacheStats> {
        self.cache_stats()
    }

    fn scan(
        &self,
        view: &Authorized<VectorView>,
        q: &ScanQuery,
        each: &mut dyn FnMut(Scanned) -> bool,
    ) -> Result<u64, StoreError> {
        let l = &view.layer;
        let Some(mut plan) = ScanPlan::new(l, q)? else {
            return Ok(0);
        };
        self.with_dataset(view, |ds| {
            let err = |e: gdal::errors::GdalError| StoreError::Layer(l.name.clone(), e.to_string());
            let mut layer = ds.layer_by_name(&l.table_name).map_err(err)?;
            let bbox = plan.bbox;
            layer.set_spatial_filter_rect(bbox[0], bbox[1], bbox[2], bbox[3]);
            let _ = layer.set_attribute_filter("1=1");
            let prepared = match &q.filter {
                Some(f) => Some(prepare(f, plan.srid)?),
                None => None,
            };
            let mut given = 0u64;
            layer.reset_feature_reading();
            for f in layer.features() {
                if geocentre_gdal::geometry_of(&f).is_none()
                    || !passes(&f, q.filter.as_ref().zip(prepared.as_ref()))
                {
                    continue;
                }
                let Some(scanned) = plan.scanned(&f) else {
                    continue;
                };
                given += 1;
                if !each(scanned) || given >= plan.limit {
                    break;
                }
            }
            layer.clear_spatial_filter();
            Ok(given)
        })
    }

    fn query(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
    ) -> Result<FeaturePage, StoreError> {
        values_page(q, |emit| self.read_page(view, q, emit))
    }

    fn query_geojson(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
    ) -> Result<GeoJsonPage, StoreError> {
        text_page(q, |emit| self.read_page(view, q, emit))
    }

    fn feature_with(
        &self,
        view: &Authorized<VectorView>,
        fid: u64,
        q: &FeatureQuery,
    ) -> Result<Option<(serde_json::Value, Option<String>)>, StoreError> {
        let l = &view.layer;
        check_properties(l, q)?;
        let (out, swap) = output(l, q.out_epsg, q.authority_axes)?;
        self.with_dataset(view, |ds| {
            let layer = ds
                .layer_by_name(&l.table_name)
                .map_err(|e| StoreError::Layer(l.name.clone(), e.to_string()))?;
            Ok(layer.feature(fid).map(|f| {
                let json = feature_json(&f, out.as_deref(), swap, q);
                let text = feature_text(&f, out.as_deref(), q);
                (json, text)
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thinning_keeps_the_ends_and_the_spaced_points() {
        let mut r = super::ShapeReader {
            xs: vec![0.0, 0.1, 0.2, 1.0, 1.05, 2.0, 2.01],
            ys: vec![0.0; 7],
            zs: vec![0.0; 7],
            spacing: 0.5,
            ..Default::default()
        };
        r.thin();
        assert_eq!(r.xs, vec![0.0, 1.0, 2.0, 2.01]);
        assert_eq!(r.zs.len(), 4);
        let g = gdal::vector::Geometry::from_wkt("LINESTRING (0 0, 0.1 0, 5 0)").unwrap();
        let mut r = super::ShapeReader {
            spacing: 1.0,
            ..Default::default()
        };
        assert_eq!(r.points(&g, None).unwrap(), vec![[0.0, 0.0], [5.0, 0.0]]);
    }

    #[test]
    fn literals_cannot_close_the_quote() {
        assert_eq!(super::literal("O'Brien"), "'O''Brien'");
        assert_eq!(super::literal("' OR 1=1 --"), "''' OR 1=1 --'");
    }
}
