//! PostGIS tables and views published in place (`geocentre vector
//! connect`): the scale-out [`FeatureStore`] backend.
//!
//! Selection is SQL: the box, `name=value` equality, the filter tree
//! (`sql.rs`), the sort keys and the page (LIMIT/OFFSET) run in PostgreSQL,
//! every value bound as a parameter, every identifier taken from the
//! layer's record and quoted. What SQL cannot say with the meaning the
//! GeoPackage backend gives it (see `sql.rs`) is evaluated on the rows in
//! Rust, after the part that translates has narrowed them: the answers
//! are the same, only slower.
//!
//! Rows come back as WKB (`ST_AsBinary`, in the stored CRS) and values cast
//! to the types of the layer's fields, and are made into OGR features of an
//! in-memory layer with the layer's schema. From there the GeoPackage
//! backend's own code writes them (GeoJSON text, GML, shapes for maps and
//! tiles, reprojection with the same PROJ transformations), so coordinates,
//! precision and axis order are the same byte for byte.
//!
//! The trait is synchronous (it is called on blocking threads, as GDAL
//! needs): the store owns a small Tokio runtime that drives its
//! connections, and each call waits for its rows on the calling thread,
//! so it works the same from the server, the CLI or a test. Each database (connection URL) has its own bounded
//! pool; every session is read-only, in UTC, with a statement timeout. A
//! database that cannot be reached, or a query cancelled by the timeout,
//! is [`StoreError::Unavailable`] (503), never a hang.

pub mod connect;
pub(crate) mod sql;

use crate::store::{
    box_area_within, check_query, output, passes, prepare, srs, text_page, values_page, BoxArea,
    Emit, FeaturePage, FeatureQuery, FeatureStore, GeoJsonPage, ScanPlan, ScanQuery, Scanned,
    StoreError, MAX_LIMIT, MAX_SORT,
};
use futures::TryStreamExt;
use gdal::spatial_ref::SpatialRef;
use gdal::vector::{Defn, Feature, Geometry, LayerAccess, OGRFieldType};
use geocentre_core::config::PostgisConfig;
use geocentre_registry::authz::VectorView;
use geocentre_registry::vector::{PostgisSource, VectorLayerRecord};
use geocentre_registry::Authorized;
use sql::{Bind, Binds, FilterSql, Kind, Table};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::Row;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

/// Reads layers from the PostGIS tables and views they were connected to.
pub struct PostgisStore {
    /// Drives the connections; None only while being dropped.
    runtime: Option<tokio::runtime::Runtime>,
    /// One pool per database, by the URL the layers record.
    pools: Mutex<HashMap<String, PgPool>>,
    cfg: PostgisConfig,
}

impl Drop for PostgisStore {
    fn drop(&mut self) {
        // Dropping a runtime from async code panics; this never waits.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// Session settings of every connection to a connected database: reads
/// only (nothing a query could do writes), dates in UTC (as they are
/// given to OGR), and the statement timeout.
pub(crate) fn connect_options(
    url: &str,
    statement_timeout_ms: u64,
) -> Result<PgConnectOptions, sqlx::Error> {
    Ok(PgConnectOptions::from_str(url)?
        .application_name("geocentre")
        .options([
            ("default_transaction_read_only", "on".to_string()),
            ("TimeZone", "UTC".to_string()),
            ("statement_timeout", statement_timeout_ms.to_string()),
        ]))
}

/// A database error as the store reports it: the database unreachable,
/// refusing us, shutting down, out of resources or cancelling a statement
/// past its timeout is [`StoreError::Unavailable`] (the client may retry);
/// anything else (a table dropped since `connect`…) is the layer's fault.
pub(crate) fn failure(layer: &str, e: sqlx::Error) -> StoreError {
    use sqlx::Error as E;
    let unavailable = match &e {
        E::PoolTimedOut | E::PoolClosed | E::Io(_) | E::Tls(_) | E::Protocol(_) => true,
        E::WorkerCrashed => true,
        // 08 connection, 28 authorisation, 53 resources, 57 operator
        // intervention (57014: statement timeout), 3D000 no such database.
        E::Database(d) => d.code().is_some_and(|c| {
            ["08", "28", "53", "57"].iter().any(|p| c.starts_with(p)) || c == "3D000"
        }),
        _ => false,
    };
    if unavailable {
        StoreError::Unavailable(layer.to_string(), e.to_string())
    } else {
        StoreError::Layer(layer.to_string(), e.to_string())
    }
}

fn source(l: &VectorLayerRecord) -> Result<&PostgisSource, StoreError> {
    l.postgis
        .as_ref()
        .ok_or_else(|| StoreError::Layer(l.name.clone(), "not a PostGIS layer".into()))
}

/// An OGR in-memory layer with the layer's fields, whose definition the
/// features read are made of. Its dataset must outlive the definition.
struct Template {
    defn: Defn,
    _ds: gdal::Dataset,
}

fn ogr_type(kind: Kind) -> OGRFieldType::Type {
    match kind {
        Kind::Integer => OGRFieldType::OFTInteger,
        Kind::Integer64 => OGRFieldType::OFTInteger64,
        Kind::Real => OGRFieldType::OFTReal,
        Kind::String => OGRFieldType::OFTString,
        Kind::Date => OGRFieldType::OFTDate,
        Kind::DateTime => OGRFieldType::OFTDateTime,
    }
}

impl Template {
    fn new(l: &VectorLayerRecord) -> Result<Template, StoreError> {
        let err = |e: gdal::errors::GdalError| StoreError::Layer(l.name.clone(), e.to_string());
        let mut ds = gdal::DriverManager::get_driver_by_name("Memory")
            .and_then(|d| d.create_vector_only(""))
            .map_err(err)?;
        let defn = {
            let layer = ds
                .create_layer(gdal::vector::LayerOptions {
                    name: "f",
                    ty: gdal::vector::OGRwkbGeometryType::wkbUnknown,
                    ..Default::default()
                })
                .map_err(err)?;
            let fields: Vec<(&str, OGRFieldType::Type)> = l
                .fields
                .iter()
                .map(|f| (f.name.as_str(), ogr_type(Kind::of(&f.kind))))
                .collect();
            layer.create_defn_fields(&fields).map_err(err)?;
            Defn::from_layer(&layer)
        };
        Ok(Template { defn, _ds: ds })
    }
}

/// What a query selects and how its rows become features: the feature
/// id, the geometry (WKB) when asked, then the fields asked, in order.
struct Select {
    list: String,
    geometry: bool,
    /// Each selected field: its index in the template, its kind.
    fields: Vec<(usize, Kind)>,
    /// The layer's CRS, given to each geometry (GML writes it as srsName).
    srs: Option<SpatialRef>,
}

impl Select {
    fn new(
        table: &Table<'_>,
        geometry: bool,
        properties: Option<&[String]>,
    ) -> Result<Select, StoreError> {
        let l = table.layer;
        let mut list = vec![format!("{}::int8", table.fid())];
        let geometry = match (geometry, table.geometry()) {
            (true, Some(g)) => {
                list.push(format!("ST_AsBinary({g})"));
                true
            }
            _ => false,
        };
        let mut fields = Vec::new();
        for (i, f) in l.fields.iter().enumerate() {
            if properties.is_some_and(|p| !p.contains(&f.name)) {
                continue;
            }
            let Some(c) = table.column(&f.name) else {
                continue;
            };
            list.push(c.read());
            fields.push((i, c.kind));
        }
        let srs = if geometry && l.srid > 0 {
            Some(srs(l.srid as u32)?)
        } else {
            None
        };
        Ok(Select {
            list: list.join(", "),
            geometry,
            fields,
            srs,
        })
    }

    /// A row as an OGR feature of the template.
    fn feature<'t>(
        &self,
        t: &'t Template,
        layer: &str,
        row: &PgRow,
    ) -> Result<Feature<'t>, StoreError> {
        let err = |e: String| StoreError::Layer(layer.to_string(), e);
        let mut f = Feature::new(&t.defn).map_err(|e| err(e.to_string()))?;
        let fid: i64 = row.try_get(0).map_err(|e| err(e.to_string()))?;
        if let Ok(fid) = u64::try_from(fid) {
            geocentre_gdal::set_fid(&mut f, fid);
        }
        let mut col = 1;
        if self.geometry {
            let wkb: Option<Vec<u8>> = row.try_get(col).map_err(|e| err(e.to_string()))?;
            if let Some(mut g) = wkb.and_then(|b| Geometry::from_wkb(&b).ok()) {
                if let Some(s) = &self.srs {
                    g.set_spatial_ref(s.clone());
                }
                f.set_geometry(g).map_err(|e| err(e.to_string()))?;
            }
            col += 1;
        }
        for &(i, kind) in &self.fields {
            let set = match kind {
                Kind::Integer => match row.try_get::<Option<i32>, _>(col) {
                    Ok(Some(v)) => f.set_field_integer(i, v),
                    Ok(None) => f.set_field_null(i),
                    Err(e) => return Err(err(e.to_string())),
                },
                Kind::Integer64 => match row.try_get::<Option<i64>, _>(col) {
                    Ok(Some(v)) => f.set_field_integer64(i, v),
                    Ok(None) => f.set_field_null(i),
                    Err(e) => return Err(err(e.to_string())),
                },
                Kind::Real => match row.try_get::<Option<f64>, _>(col) {
                    Ok(Some(v)) => f.set_field_double(i, v),
                    Ok(None) => f.set_field_null(i),
                    Err(e) => return Err(err(e.to_string())),
                },
                // Text, and dates written as OGR reads them.
                Kind::String | Kind::Date | Kind::DateTime => {
                    match row.try_get::<Option<String>, _>(col) {
                        Ok(Some(v)) => f.set_field_string(i, &v),
                        Ok(None) => f.set_field_null(i),
                        Err(e) => return Err(err(e.to_string())),
                    }
                }
            };
            set.map_err(|e| err(e.to_string()))?;
            col += 1;
        }
        Ok(f)
    }
}

/// Where a table read in place may hold features, as far as a box in EPSG
/// `box_epsg` can say, in lon/lat: the extent read at `connect` and the
/// area of use of the layer's CRS (PROJ's) together, within the area of
/// use of the box's CRS. Rows added since `connect` may lie beyond the
/// extent, so a request's box is cut to this rather than to the extent
/// alone; the cut keeps a world-wide box from blowing up in a conic
/// projection (`store::box_area`), hence the box CRS's own area. None:
/// the box's CRS and the layer's share no ground.
fn live_extent(l: &VectorLayerRecord, box_epsg: u32) -> Option<[f64; 4]> {
    use geocentre_core::bbox;
    let world = [-180.0, -90.0, 180.0, 90.0];
    let area = |epsg: u32| {
        srs(epsg)
            .ok()
            .and_then(|s| s.area_of_use())
            .map(|a| {
                [
                    a.west_lon_degree,
                    a.south_lat_degree,
                    a.east_lon_degree,
                    a.north_lat_degree,
                ]
            })
            // An area across the antimeridian: the world.
            .filter(|a| a[0] <= a[2])
            .unwrap_or(world)
    };
    let layer = match l.bbox_wgs84 {
        [0.0, 0.0, 0.0, 0.0] => area(l.srid as u32),
        e => bbox::union(area(l.srid as u32), e),
    };
    bbox::intersection(bbox::grown(layer, 1e-3), bbox::grown(area(box_epsg), 1e-3))
}

/// `ST_MakeEnvelope` of a box, its corners bound.
fn envelope(binds: &mut Binds, b: [f64; 4], srid: i64) -> String {
    let c: Vec<String> = b.iter().map(|v| binds.push(Bind::Float(*v))).collect();
    format!(
        "ST_MakeEnvelope({}, {}, {}, {}, {srid})",
        c[0], c[1], c[2], c[3]
    )
}

fn rect(b: [f64; 4]) -> Result<Geometry, StoreError> {
    Geometry::from_wkt(&format!(
        "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))",
        b[0], b[1], b[2], b[3]
    ))
    .map_err(|e| StoreError::BboxCrs(0, e.to_string()))
}

/// The condition a box (in the layer's CRS) puts on the rows, and the
/// geometry to test in Rust when the layer may hold arcs (the condition is
/// then only the index's box test).
fn area_sql(
    table: &Table<'_>,
    binds: &mut Binds,
    g: &str,
    area: &BoxArea,
) -> Result<(String, Option<Geometry>), StoreError> {
    let srid = table.src.srid;
    Ok(match area {
        BoxArea::Rect(b) if table.curved() => (
            format!("{g} && {}", envelope(binds, *b, srid)),
            Some(rect(*b)?),
        ),
        BoxArea::Rect(b) => (
            format!("ST_Intersects({g}, {})", envelope(binds, *b, srid)),
            None,
        ),
        BoxArea::Shape(s) if table.curved() => {
            let e = s.envelope();
            (
                format!(
                    "{g} && {}",
                    envelope(binds, [e.MinX, e.MinY, e.MaxX, e.MaxY], srid)
                ),
                Some(s.clone()),
            )
        }
        BoxArea::Shape(s) => {
            let wkb = s.wkb().map_err(|e| StoreError::BboxCrs(0, e.to_string()))?;
            let p = binds.push(Bind::Bytes(wkb));
            (
                format!("ST_Intersects({g}, ST_GeomFromWKB({p}, {srid}))"),
                None,
            )
        }
        BoxArea::Nothing => ("FALSE".into(), None),
    })
}

/// The filter's condition, and whether the filter must also be evaluated
/// on the rows (only its conjuncts that translate were pushed down).
fn filter_sql(
    table: &Table<'_>,
    prepared: &crate::filter_eval::Prepared,
    binds: Binds,
    filter: &geocentre_filter::Expr,
    conds: &mut Vec<String>,
) -> (Binds, bool) {
    let mut f = FilterSql::new(table, prepared, binds);
    if let Some(c) = f.expr(filter) {
        conds.push(c);
        return (f.binds, false);
    }
    if let geocentre_filter::Expr::And(parts) = filter {
        for p in parts {
            if let Some(c) = f.expr(p) {
                conds.push(c);
            }
        }
    }
    (f.binds, true)
}

fn where_clause(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    }
}

impl PostgisStore {
    pub fn new(cfg: &PostgisConfig) -> std::io::Result<PostgisStore> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("geocentre-postgis")
            .enable_all()
            .build()?;
        Ok(PostgisStore {
            runtime: Some(runtime),
            pools: Mutex::new(HashMap::new()),
            cfg: cfg.clone(),
        })
    }

    fn runtime(&self, layer: &str) -> Result<&tokio::runtime::Runtime, StoreError> {
        self.runtime
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable(layer.to_string(), "shutting down".into()))
    }

    /// The pool of the layer's database, made on first use (connections
    /// are opened when a request needs one, so a database down at start
    /// delays nothing).
    fn pool(&self, layer: &str, src: &PostgisSource) -> Result<PgPool, StoreError> {
        let mut pools = self.pools.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(p) = pools.get(&src.connection) {
            return Ok(p.clone());
        }
        let options = connect_options(&src.connection, self.cfg.statement_timeout_ms)
            .map_err(|e| StoreError::Layer(layer.to_string(), e.to_string()))?;
        let _entered = self.runtime(layer)?.enter();
        let pool = PgPoolOptions::new()
            .max_connections(self.cfg.max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(Duration::from_millis(self.cfg.connect_timeout_ms.max(1)))
            .idle_timeout(Duration::from_secs(300))
            .connect_lazy_with(options);
        pools.insert(src.connection.clone(), pool.clone());
        Ok(pool)
    }

    /// Runs `sql` and gives each row to `each` until it returns false.
    fn rows(
        &self,
        layer: &str,
        pool: &PgPool,
        sql: String,
        binds: Vec<Bind>,
        each: &mut dyn FnMut(&PgRow) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        // Waited on here, on the caller's thread, while the store's own
        // runtime drives the sockets and timers: this works from any thread
        // (a blocking thread of the server, a CPU pool, a test's async
        // code), where `Handle::block_on` refuses async contexts.
        // Unconstrained: a caller inside a Tokio task (a test) would
        // otherwise spend the task's cooperative budget, never given back
        // while it waits here, and spin.
        let _entered = self.runtime(layer)?.enter();
        futures::executor::block_on(tokio::task::unconstrained(async {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for b in binds {
                query = match b {
                    Bind::Int(v) => query.bind(v),
                    Bind::Float(v) => query.bind(v),
                    Bind::Text(v) => query.bind(v),
                    Bind::Bytes(v) => query.bind(v),
                    Bind::Bool(v) => query.bind(v),
                };
            }
            let mut rows = query.fetch(pool);
            while let Some(row) = rows.try_next().await.map_err(|e| failure(layer, e))? {
                if !each(&row)? {
                    break;
                }
            }
            Ok(())
        }))
    }

    fn count(
        &self,
        layer: &str,
        pool: &PgPool,
        from: &str,
        conds: &[String],
        binds: &Binds,
    ) -> Result<u64, StoreError> {
        let mut n = 0i64;
        self.rows(
            layer,
            pool,
            format!("SELECT count(*) FROM {from}{}", where_clause(conds)),
            binds.values.clone(),
            &mut |row| {
                n = row.try_get(0).map_err(|e| failure(layer, e))?;
                Ok(false)
            },
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Reads the page `q` selects, as the GeoPackage backend does (same
    /// checks, order, numberMatched), and gives its features to `emit`.
    fn read_page(
        &self,
        view: &Authorized<VectorView>,
        q: &FeatureQuery,
        emit: &mut Emit<'_>,
    ) -> Result<u64, StoreError> {
        let l = &view.layer;
        let src = source(l)?;
        check_query(l, q)?;
        let table = Table::new(l, src);
        let geometry = table.geometry().filter(|_| l.srid > 0);
        let (out, swap) = output(l, q.out_epsg, q.authority_axes)?;
        let area = match (q.bbox, &geometry) {
            (Some(b), Some(_)) => Some(match live_extent(l, q.bbox_epsg) {
                Some(extent) => box_area_within(b, q.bbox_epsg, l.srid as u32, extent)?,
                None => BoxArea::Nothing,
            }),
            _ => None,
        };
        if let Some(BoxArea::Nothing) = area {
            return Ok(0);
        }
        let prepared = match &q.filter {
            Some(f) if l.srid > 0 => prepare(f, l.srid as u32)?,
            _ => Vec::new(),
        };
        let mut binds = Binds::default();
        let mut conds = Vec::new();
        let mut residual_area = None;
        if let (Some(a), Some(g)) = (&area, &geometry) {
            let (cond, rest) = area_sql(&table, &mut binds, g, a)?;
            conds.push(cond);
            residual_area = rest;
        }
        for (k, v) in &q.equals {
            conds.push(sql::equals(&table, &mut binds, k, v));
        }
        let mut residual_filter = false;
        if let Some(f) = &q.filter {
            (binds, residual_filter) = filter_sql(&table, &prepared, binds, f, &mut conds);
        }
        let residual = residual_filter || residual_area.is_some();
        tracing::debug!(
            layer = %l.name,
            conditions = conds.len(),
            residual_filter,
            residual_area = residual_area.is_some(),
            "PostGIS page"
        );
        let select = Select::new(
            &table,
            !q.skip_geometry || residual,
            if residual {
                None
            } else {
                q.properties.as_deref()
            },
        )?;
        let template = Template::new(l)?;
        let pool = self.pool(&l.name, src)?;
        let from = table.from();
        let order = sql::order_by(&table, &q.sort_by);
        let sorted = !q.sort_by.is_empty();
        let end = q.offset.saturating_add(q.limit.min(MAX_LIMIT));
        let page = end - q.offset;
        let mut failed = None;
        if !residual {
            let mut page_binds = binds.clone();
            // One row more than the page: when it does not come, the page
            // tells numberMatched and the `count(*)` (every match tested
            // again: 6-16 % of a request, docs/benchmarks.md) is skipped.
            let limit = page_binds.push(Bind::Int(
                i64::try_from(page.saturating_add(1)).unwrap_or(i64::MAX),
            ));
            let offset = page_binds.push(Bind::Int(i64::try_from(q.offset).unwrap_or(i64::MAX)));
            let sql = format!(
                "SELECT {} FROM {from}{} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
                select.list,
                where_clause(&conds)
            );
            let mut returned = 0u64;
            let mut more = false;
            self.rows(&l.name, &pool, sql, page_binds.values, &mut |row| {
                if returned == page {
                    more = true;
                    return Ok(false);
                }
                let f = select.feature(&template, &l.name, row)?;
                emit(&f, out.as_deref(), swap);
                returned += 1;
                Ok(true)
            })?;
            // An offset past the end returns nothing and says nothing of
            // how many match: that one is counted too.
            let matched = if !more && (returned > 0 || q.offset == 0) {
                q.offset + returned
            } else {
                self.count(&l.name, &pool, &from, &conds, &binds)?
            };
            if sorted && matched > MAX_SORT {
                return Err(StoreError::TooManyToSort(MAX_SORT));
            }
            return Ok(matched);
        }
        // Residual: every row the pushed-down part leaves is tested here,
        // in order, and counted.
        let sql = format!(
            "SELECT {} FROM {from}{} ORDER BY {order}",
            select.list,
            where_clause(&conds)
        );
        let mut matched = 0u64;
        self.rows(&l.name, &pool, sql, binds.values, &mut |row| {
            let f = select.feature(&template, &l.name, row)?;
            if let Some(a) = &residual_area {
                if !geocentre_gdal::geometry_of(&f).is_some_and(|g| g.intersects(a)) {
                    return Ok(true);
                }
            }
            let filter = q.filter.as_ref().filter(|_| residual_filter);
            if !passes(&f, filter.zip(Some(&prepared))) {
                return Ok(true);
            }
            if sorted && matched >= MAX_SORT {
                failed = Some(StoreError::TooManyToSort(MAX_SORT));
                return Ok(false);
            }
            if matched >= q.offset && matched < end {
                emit(&f, out.as_deref(), swap);
            }
            matched += 1;
            Ok(true)
        })?;
        match failed {
            Some(e) => Err(e),
            None => Ok(matched),
        }
    }
}

impl FeatureStore for PostgisStore {
    fn scan(
        &self,
        view: &Authorized<VectorView>,
        q: &ScanQuery,
        each: &mut dyn FnMut(Scanned) -> bool,
    ) -> Result<u64, StoreError> {
        let l = &view.layer;
        let src = source(l)?;
        let Some(mut plan) = ScanPlan::new(l, q)? else {
            return Ok(0);
        };
        let table = Table::new(l, src);
        let Some(g) = table.geometry() else {
            return Ok(0);
        };
        let prepared = match &q.filter {
            Some(f) => prepare(f, plan.srid)?,
            None => Vec::new(),
        };
        let mut binds = Binds::default();
        let mut conds = Vec::new();
        let (cond, residual_area) = area_sql(&table, &mut binds, &g, &BoxArea::Rect(plan.bbox))?;
        conds.push(cond);
        let mut residual_filter = false;
        if let Some(f) = &q.filter {
            (binds, residual_filter) = filter_sql(&table, &prepared, binds, f, &mut conds);
        }
        let residual = residual_filter || residual_area.is_some();
        let select = Select::new(
            &table,
            true,
            if residual_filter {
                None
            } else {
                Some(q.properties.as_slice())
            },
        )?;
        let template = Template::new(l)?;
        let pool = self.pool(&l.name, src)?;
        let mut sql = format!(
            "SELECT {} FROM {}{} ORDER BY {}",
            select.list,
            table.from(),
            where_clause(&conds),
            table.fid()
        );
        if !residual {
            sql.push_str(&format!(
                " LIMIT {}",
                binds.push(Bind::Int(i64::try_from(plan.limit).unwrap_or(i64::MAX)))
            ));
        }
        let mut given = 0u64;
        self.rows(&l.name, &pool, sql, binds.values, &mut |row| {
            let f = select.feature(&template, &l.name, row)?;
            if let Some(a) = &residual_area {
                if !geocentre_gdal::geometry_of(&f).is_some_and(|g| g.intersects(a)) {
                    return Ok(true);
                }
            }
            let filter = q.filter.as_ref().filter(|_| residual_filter);
            if geocentre_gdal::geometry_of(&f).is_none() || !passes(&f, filter.zip(Some(&prepared)))
            {
                return Ok(true);
            }
            let Some(scanned) = plan.scanned(&f) else {
                return Ok(true);
            };
            given += 1;
            Ok(each(scanned) && given < plan.limit)
        })?;
        Ok(given)
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
        let src = source(l)?;
        crate::store::check_properties(l, q)?;
        let Ok(fid) = i64::try_from(fid) else {
            return Ok(None);
        };
        let table = Table::new(l, src);
        let (out, swap) = output(l, q.out_epsg, q.authority_axes)?;
        let select = Select::new(&table, !q.skip_geometry, q.properties.as_deref())?;
        let template = Template::new(l)?;
        let pool = self.pool(&l.name, src)?;
        let mut binds = Binds::default();
        let p = binds.push(Bind::Int(fid));
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = {p}",
            select.list,
            table.from(),
            table.fid()
        );
        let mut found = None;
        self.rows(&l.name, &pool, sql, binds.values, &mut |row| {
            let f = select.feature(&template, &l.name, row)?;
            let json = crate::store::feature_json(&f, out.as_deref(), swap, q);
            let text = crate::store::feature_text(&f, out.as_deref(), q);
            found = Some((json, text));
            Ok(false)
        })?;
        Ok(found)
    }
}
