//! The PostGIS backend against a real PostgreSQL + PostGIS server
//! (`geocentre_registry::test_support`: `GEOCENTRE_TEST_POSTGRES`, or a
//! throwaway cluster started for the test run).
//!
//! 1. The same data as a GeoPackage ingest and as PostGIS tables (the
//!    GeoPackage copied with GDAL, as an operator loads data): every filter
//!    of a list — pushed down to SQL, partly pushed down, or left to Rust —
//!    gives the same page, byte for byte, and the same numberMatched, with
//!    sorting, paging, property selection, boxes and equality.
//! 2. Hostile identifiers (schema, table and column names that are SQL) and
//!    hostile values go through as names and values, never as SQL.
//! 3. `connect` refuses what cannot identify features; it never records a
//!    password.
//! 4. A database down, or a statement past its timeout, is `Unavailable`.

use geocentre_core::config::{CatalogLocation, PostgisConfig};
use geocentre_core::Principal;
use geocentre_features::postgis::connect::{connect, ConnectRequest};
use geocentre_features::postgis::PostgisStore;
use geocentre_features::store::{FeatureQuery, FeatureStore, GpkgStore, ScanQuery, StoreError};
use geocentre_filter::{CmpOp, Expr, FilterGeometry, Literal, SpatialOp, TemporalOp, TimeSpan};
use geocentre_registry::authz::{resolve_vector, VectorView};
use geocentre_registry::{Authorized, Migrate, Registry};
use sqlx::postgres::PgConnection;
use sqlx::Connection;
use std::path::{Path, PathBuf};

/// A scratch folder, removed when the test ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

fn temp_dir(tag: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!(
        "geocentre-postgis-{tag}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&d).unwrap();
    Scratch(d)
}

/// Places with every kind of value the filters compare: text with accents,
/// quotes and LIKE marks, numbers as text, integers, reals, booleans,
/// dates and date-times, nulls.
const PLACES: &str = r#"{"type": "FeatureCollection", "features": [
 {"type":"Feature","geometry":{"type":"Point","coordinates":[1.90,47.90]},
  "properties":{"nom":"Orléans","pop":116000,"surf":27.48,"ok":true,"jour":"2021-05-03","quand":"2021-05-03T10:00:00Z","code":"45234"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[1.91,47.85]},
  "properties":{"nom":"ORLÉANS","pop":10,"surf":2.5,"ok":false,"jour":"2021-05-01","quand":"2021-05-01T00:00:00Z","code":"01001"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[2.30,47.08]},
  "properties":{"nom":"O'Brien","pop":null,"surf":null,"ok":null,"jour":null,"quand":null,"code":"10"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[1.33,47.59]},
  "properties":{"nom":"50%_off\\","pop":7,"surf":0.000001,"ok":true,"jour":"2020-12-31","quand":"2020-12-31T23:59:59Z","code":" 7"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[0.70,47.39]},
  "properties":{"nom":"'; DROP TABLE victim; --","pop":5000,"surf":-3.25,"ok":false,"jour":"2021-06-01","quand":"2021-06-01T12:30:00Z","code":"abc"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[2.5,46.9]},
  "properties":{"nom":null,"pop":100,"surf":100.0,"ok":true,"jour":"2021-05-31","quand":"2021-05-31T23:00:00Z","code":null}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[3.00,47.00]},
  "properties":{"nom":"Saint-Éloi","pop":100,"surf":1e-7,"ok":false,"jour":"2021-05-03","quand":"2021-05-03T10:00:00.600Z","code":"010"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[1.5,48.5]},
  "properties":{"nom":"abc","pop":-2,"surf":3,"ok":true,"jour":"1999-01-01","quand":"1999-01-01T00:00:00Z","code":"2.50"}}
]}"#;

/// Zones with arcs (a curve polygon) and without, for spatial filters on a
/// layer whose tests are made in Rust.
const ZONES_WKT: [(&str, &str); 3] = [
    (
        "carre",
        "POLYGON((1.8 47.8,2.0 47.8,2.0 48.0,1.8 48.0,1.8 47.8))",
    ),
    (
        "rond",
        "CURVEPOLYGON(CIRCULARSTRING(1.0 47.0,1.2 47.2,1.0 47.4,0.8 47.2,1.0 47.0))",
    ),
    ("loin", "POLYGON((5 45,6 45,6 46,5 46,5 45))"),
];

struct Fixture {
    gpkg: GpkgStore,
    pg: PostgisStore,
    registry: Registry,
    url: String,
    _dir: Scratch,
}

impl Fixture {
    async fn view(&self, dataset: &str, layer: &str) -> Authorized<VectorView> {
        let snap = self.registry.load_snapshot().await.unwrap();
        resolve_vector(&snap, &Principal::Anonymous, dataset, layer).unwrap()
    }
}

fn pg_conninfo(url: &str) -> String {
    let u = url::Url::parse(url).unwrap();
    format!(
        "PG:host={} port={} user={} dbname={}",
        u.host_str().unwrap(),
        u.port().unwrap_or(5432),
        u.username(),
        u.path().trim_start_matches('/')
    )
}

async fn execute(url: &str, sql: &str) {
    let mut c = PgConnection::connect(url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut c)
        .await
        .unwrap();
}

/// Copies every layer of the ingest's GeoPackages into `schema` (GDAL's
/// ogr2ogr, FIDs kept) and connects dataset `to` to them.
async fn mirror(f: &Fixture, data: &Path, from: &str, to: &str, schema: &str) {
    execute(&f.url, &format!("CREATE SCHEMA \"{schema}\"")).await;
    let sets = f.registry.vector_datasets().await.unwrap();
    let ds = sets.iter().find(|d| d.name == from).unwrap();
    let mut tables = Vec::new();
    for l in &ds.layers {
        let src = gdal::Dataset::open(data.join(&l.file)).unwrap();
        let mut args: Vec<String> = [
            "-f",
            "PostgreSQL",
            "-lco",
            "LAUNDER=NO",
            "-lco",
            "GEOMETRY_NAME=geom",
            "-lco",
            "FID=fid",
            "-preserve_fid",
            "-lco",
            "PRECISION=NO",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(["-lco".into(), format!("SCHEMA={schema}")]);
        let curved = l.geometry_type.contains("Curve");
        if curved {
            args.extend(["-nlt".into(), "GEOMETRY".into()]);
        }
        args.push(l.table_name.clone());
        geocentre_gdal::vector_translate(&pg_conninfo(&f.url), &src, &args).unwrap();
        if curved {
            // A PostGIS column declared with a curve type holds only
            // curves: plain polygons become curve polygons with straight
            // rings.
            execute(
                &f.url,
                &format!(
                    "ALTER TABLE \"{schema}\".\"{}\" ALTER COLUMN geom
                     TYPE geometry(CurvePolygon, {}) USING ST_ForceCurve(geom)",
                    l.table_name, l.srid
                ),
            )
            .await;
        }
        execute(
            &f.url,
            &format!(
                "COMMENT ON TABLE \"{schema}\".\"{}\" IS '{}'",
                l.table_name,
                l.title.replace('\'', "''")
            ),
        )
        .await;
        tables.push(format!("{schema}.{}", l.table_name));
    }
    connect(
        &f.registry,
        data,
        &blobs(data),
        ConnectRequest {
            dataset: to.into(),
            title: None,
            url: f.url.clone(),
            tables,
            fid: None,
            geometry: None,
        },
    )
    .await
    .unwrap();
}

async fn fixture() -> Fixture {
    let dir = temp_dir("store");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let places = dir.join("places.geojson");
    std::fs::write(&places, PLACES).unwrap();
    // A GeoPackage whose layer is declared with a curve type, as PCRS
    // deliveries are ingested.
    let zones = dir.join("zones.gpkg");
    {
        use gdal::vector::LayerAccess;
        let drv = gdal::DriverManager::get_driver_by_name("GPKG").unwrap();
        let mut ds = drv.create_vector_only(&zones).unwrap();
        let srs = gdal::spatial_ref::SpatialRef::from_epsg(4326).unwrap();
        let layer = ds
            .create_layer(gdal::vector::LayerOptions {
                name: "zones",
                srs: Some(&srs),
                ty: gdal::vector::OGRwkbGeometryType::wkbCurvePolygon,
                options: None,
            })
            .unwrap();
        layer
            .create_defn_fields(&[("nom", gdal::vector::OGRFieldType::OFTString)])
            .unwrap();
        let defn = gdal::vector::Defn::from_layer(&layer);
        for (n, w) in ZONES_WKT {
            let mut feature = gdal::vector::Feature::new(&defn).unwrap();
            feature.set_field_string(0, n).unwrap();
            feature
                .set_geometry(gdal::vector::Geometry::from_wkt(w).unwrap())
                .unwrap();
            feature.create(&layer).unwrap();
        }
    }
    let registry = Registry::connect(
        &CatalogLocation::Sqlite(data.join("catalog.sqlite")),
        Migrate::Apply,
    )
    .await
    .unwrap();
    geocentre_gdal::init(64);
    let report = geocentre_features::ingest(
        &registry,
        &data,
        &blobs(&data),
        geocentre_features::VectorIngestRequest {
            dataset: "g".into(),
            title: Some("Lieux".into()),
            crs: Some(4326),
            repair: false,
            reproject: None,
            paths: vec![places, zones],
            archive_limits: geocentre_features::ingest::archive_limits(&Default::default()),
            progress: std::sync::Arc::new(geocentre_core::progress::Silent),
        },
    )
    .await
    .unwrap();
    assert_eq!(report.status, "published", "{report:?}");
    let url = geocentre_registry::test_support::new_postgres_database()
        .await
        .unwrap();
    let f = Fixture {
        gpkg: GpkgStore::new(&data),
        pg: PostgisStore::new(&PostgisConfig::default()).unwrap(),
        registry,
        url,
        _dir: dir,
    };
    mirror(&f, &data, "g", "p", "copie").await;
    f
}

fn cql(text: &str) -> Expr {
    geocentre_filter::cql2_text::from_cql2_text(text, 4326).unwrap()
}

fn query(filter: Option<Expr>) -> FeatureQuery {
    FeatureQuery {
        bbox_epsg: 4326,
        limit: 100,
        out_epsg: 4326,
        filter,
        ..Default::default()
    }
}

/// A page's text and numberMatched, or the error's message.
type Answer = Result<(String, u64), String>;

/// Both backends' answer to `q`.
fn both(
    f: &Fixture,
    g: &Authorized<VectorView>,
    p: &Authorized<VectorView>,
    q: &FeatureQuery,
) -> (Answer, Answer) {
    let run = |s: &dyn FeatureStore, v: &Authorized<VectorView>| {
        s.query_geojson(v, q)
            .map(|page| {
                (
                    String::from_utf8(page.features).unwrap(),
                    page.number_matched,
                )
            })
            .map_err(|e| e.to_string())
    };
    (run(&f.gpkg, g), run(&f.pg, p))
}

fn temporal(prop: &str, op: TemporalOp, a: &str, b: &str) -> Expr {
    Expr::Temporal {
        prop: prop.into(),
        op,
        operand: TimeSpan {
            first: TimeSpan::parse(a).unwrap().first,
            last: TimeSpan::parse(b).unwrap().last,
        },
    }
}

fn spatial(op: SpatialOp, wkt: &str) -> Expr {
    Expr::Spatial {
        op,
        geometry: FilterGeometry {
            wkt: wkt.into(),
            epsg: 4326,
            authority_axes: false,
        },
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn postgis_answers_as_the_geopackage() {
    let f = fixture().await;
    let places = "places";
    let (g, p) = (f.view("g", places).await, f.view("p", places).await);
    assert_eq!(g.layer.fields, p.layer.fields, "same schema");
    assert_eq!(g.layer.geometry_type, p.layer.geometry_type);
    assert_eq!(g.layer.bbox, p.layer.bbox);
    assert_eq!(g.layer.feature_count, p.layer.feature_count);
    let filters: Vec<Expr> = [
        "pop > 100",
        "pop = 100",
        "pop <> 100",
        "NOT (pop = 100)",
        "NOT (nom = 'abc')",
        "surf < 2.5",
        "surf >= '2.5'",
        "pop < ' 10'",
        "pop = 'abc'",
        "pop < 'abc'",
        "surf = 'x'",
        "nom = 'O''Brien'",
        "nom = '''; DROP TABLE victim; --'",
        "nom < 'P'",
        "nom > 'Orléans'",
        "nom >= 'ORLÉANS'",
        "nom LIKE 'Orl%'",
        "nom LIKE '%\\%%'",
        "nom LIKE '50\\%\\_off\\\\'",
        "nom LIKE '_RL%'",
        "nom NOT LIKE '%a%'",
        "CASEI(nom) LIKE CASEI('orl%')",
        "CASEI(nom) LIKE CASEI('orlé%')",
        "CASEI(nom) = CASEI('ABC')",
        "code LIKE '0%'",
        "pop LIKE '1%'",
        "surf LIKE '2%'",
        "jour LIKE '2021-05%'",
        "nom IS NULL",
        "nom IS NOT NULL",
        "pop BETWEEN 10 AND 200",
        "pop NOT BETWEEN 10 AND 200",
        "pop IN (1, 100, 5000)",
        "nom IN ('abc', 'O''Brien')",
        "code IN ('10', '010')",
        "code = 10",
        "code < 5",
        "ok = TRUE",
        "ok <> TRUE",
        "pop = TRUE",
        "jour > '2021-01-01'",
        "jour = DATE('2021-05-03')",
        "jour < 5",
        "quand >= TIMESTAMP('2021-05-03T10:00:00Z')",
        "quand = '2021-05-03T10:00:00+00:00'",
        "quand > '2021'",
        "pop > 10 AND code = 10",
        "pop > 10 AND (nom LIKE 'O%' OR code < 5)",
        "pop > 10 OR code = 10",
        "gml:name IS NULL",
        "gml:name = 'x'",
        "S_INTERSECTS(geom, POLYGON((1.8 47.8,2.0 47.8,2.0 48.0,1.8 48.0,1.8 47.8)))",
        "S_DISJOINT(geom, POLYGON((1.8 47.8,2.0 47.8,2.0 48.0,1.8 48.0,1.8 47.8)))",
        "NOT S_INTERSECTS(geom, BBOX(1.8, 47.8, 2.0, 48.0))",
        "S_WITHIN(geom, BBOX(0, 45, 3, 48))",
        "S_CONTAINS(geom, POINT(1.9 47.9))",
    ]
    .iter()
    .map(|t| cql(t))
    .chain([
        temporal("jour", TemporalOp::During, "2021-05-01", "2021-05-31"),
        temporal(
            "jour",
            TemporalOp::After,
            "2021-05-03T10:00:00Z",
            "2021-05-03T10:00:00Z",
        ),
        temporal("jour", TemporalOp::Before, "2021-05-03", "2021-05-03"),
        temporal("jour", TemporalOp::TEquals, "2021-05-03", "2021-05-03"),
        temporal("jour", TemporalOp::TEquals, "2021-05", "2021-05"),
        temporal("quand", TemporalOp::During, "2021-05-01", "2021-05-31"),
        temporal(
            "quand",
            TemporalOp::After,
            "2021-05-03T10:00:00.5Z",
            "2021-05-03T10:00:00.5Z",
        ),
        temporal(
            "quand",
            TemporalOp::Before,
            "2021-05-03T10:00:00.5Z",
            "2021-05-03T10:00:00.5Z",
        ),
        temporal(
            "quand",
            TemporalOp::TEquals,
            "2021-05-03T10:00:00Z",
            "2021-05-03T10:00:00Z",
        ),
        temporal("code", TemporalOp::After, "2000-01-01", "2000-01-01"),
        Expr::Temporal {
            prop: "jour".into(),
            op: TemporalOp::After,
            operand: TimeSpan {
                first: i128::MIN,
                last: TimeSpan::parse("2021-01-01").unwrap().last,
            },
        },
        spatial(SpatialOp::DWithin(0.1), "POINT(1.95 47.9)"),
        Expr::And(vec![]),
        Expr::Or(vec![]),
        Expr::IsNil("nom".into()),
    ])
    .collect();
    let mut checked = 0;
    for filter in filters {
        for (sort, offset, limit) in [
            (vec![], 0, 100),
            (vec![("nom".to_string(), false)], 0, 100),
            (
                vec![("pop".to_string(), true), ("nom".to_string(), false)],
                1,
                2,
            ),
            (vec![("jour".to_string(), false)], 0, 3),
            (vec![("quand".to_string(), true)], 0, 100),
            (vec![], 5, 100),
            (vec![], 0, 0),
        ] {
            let mut q = query(Some(filter.clone()));
            q.sort_by = sort;
            q.offset = offset;
            q.limit = limit;
            let (a, b) = both(&f, &g, &p, &q);
            assert_eq!(
                a, b,
                "filter {filter:?}, sort {:?}, page {offset}+{limit}",
                q.sort_by
            );
            checked += 1;
        }
    }
    // Boxes (also across CRSs and the antimeridian), equality, properties,
    // output CRS and axis order.
    let mut queries = Vec::new();
    for (bbox, epsg) in [
        ([1.8, 47.8, 2.0, 48.0], 4326),
        ([170.0, -10.0, -170.0, 10.0], 4326),
        ([550_000.0, 6_650_000.0, 650_000.0, 6_750_000.0], 2154),
        ([-180.0, -90.0, 180.0, 90.0], 4326),
    ] {
        queries.push(FeatureQuery {
            bbox: Some(bbox),
            bbox_epsg: epsg,
            ..query(None)
        });
    }
    for (k, v) in [
        ("nom", "O'Brien"),
        ("pop", "100"),
        ("pop", " 100.0 "),
        ("pop", "abc"),
        ("code", "010"),
        ("jour", "2021-05-03"),
        ("surf", "1e-7"),
        ("ok", "1"),
    ] {
        queries.push(FeatureQuery {
            equals: vec![(k.into(), v.into())],
            ..query(None)
        });
    }
    queries.push(FeatureQuery {
        properties: Some(vec!["pop".into(), "nom".into()]),
        out_epsg: 2154,
        ..query(Some(cql("pop > 7")))
    });
    queries.push(FeatureQuery {
        authority_axes: true,
        skip_geometry: true,
        ..query(Some(cql("nom = 10")))
    });
    for q in &queries {
        let (a, b) = both(&f, &g, &p, q);
        assert_eq!(a, b, "{q:?}");
        checked += 1;
    }
    // Values and GML, one by one.
    for fid in [1, 3, 6, 99, u64::MAX] {
        let q = FeatureQuery {
            out_epsg: 4326,
            authority_axes: true,
            geometry_text: geocentre_features::store::GeometryText::Gml32("x".into()),
            ..Default::default()
        };
        let a = f.gpkg.feature_with(&g, fid, &q).unwrap();
        let b = f.pg.feature_with(&p, fid, &q).unwrap();
        assert_eq!(a, b, "feature {fid}");
    }
    // Refusals are the same.
    let (a, b) = both(&f, &g, &p, &query(Some(cql("nope > 1"))));
    assert_eq!(a, b);
    assert!(a.is_err());
    let q = FeatureQuery {
        sort_by: vec![("nope".into(), false)],
        ..query(None)
    };
    let (a, b) = both(&f, &g, &p, &q);
    assert_eq!(a, b);
    assert!(a.is_err());
    assert!(checked > 400, "{checked}");

    // Scans (maps, tiles), on a layer with arcs too: its tests are Rust's.
    for (layer, bbox, epsg) in [
        ("places", [1.0, 47.0, 2.0, 48.0], 4326),
        ("zones", [0.9, 47.1, 1.1, 47.3], 4326),
        (
            "zones",
            [100_000.0, 6_000_000.0, 1_000_000.0, 7_000_000.0],
            2154,
        ),
    ] {
        let (g, p) = (f.view("g", layer).await, f.view("p", layer).await);
        for filter in [None, Some(cql("nom <> 'loin'")), Some(cql("nom = 3"))] {
            let q = ScanQuery {
                bbox,
                epsg,
                properties: vec!["nom".into()],
                filter,
                limit: 0,
                min_spacing: 0.0,
            };
            let mut a = Vec::new();
            f.gpkg
                .scan(&g, &q, &mut |s| {
                    a.push(s);
                    true
                })
                .unwrap();
            let mut b = Vec::new();
            f.pg.scan(&p, &q, &mut |s| {
                b.push(s);
                true
            })
            .unwrap();
            assert_eq!(
                format!("{a:?}"),
                format!("{b:?}"),
                "scan of {layer} in {bbox:?}"
            );
        }
    }
    let (g, p) = (f.view("g", "zones").await, f.view("p", "zones").await);
    assert_eq!(p.layer.geometry_type, g.layer.geometry_type);
    for filter in [
        "S_INTERSECTS(geom, POINT(1.19 47.2))",
        "S_INTERSECTS(geom, POINT(1.199 47.2))",
        "S_CONTAINS(geom, POINT(1.0 47.2))",
        "NOT S_DISJOINT(geom, BBOX(1.15, 47.15, 1.3, 47.3))",
    ] {
        let mut q = query(Some(cql(filter)));
        q.bbox = Some([0.0, 46.0, 3.0, 49.0]);
        let (a, b) = both(&f, &g, &p, &q);
        assert_eq!(a, b, "{filter}");
    }
    // No value ever ran as SQL.
    let mut c = PgConnection::connect(&f.url).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM copie.places")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(n, 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_names_stay_names() {
    let dir = temp_dir("hostile");
    let url = geocentre_registry::test_support::new_postgres_database()
        .await
        .unwrap();
    execute(
        &url,
        r#"CREATE SCHEMA "s""; DROP TABLE victim; --";
           CREATE TABLE victim (a int);
           CREATE TABLE "s""; DROP TABLE victim; --"."t"" OR 1=1 --" (
               id serial PRIMARY KEY,
               "x"" OR 1=1 --" text,
               "n; DELETE FROM victim" int4,
               "3 <b>" text,
               geom geometry(Point, 2154));
           COMMENT ON COLUMN "s""; DROP TABLE victim; --"."t"" OR 1=1 --"."3 <b>" IS 'trois';
           INSERT INTO "s""; DROP TABLE victim; --"."t"" OR 1=1 --"
               ("x"" OR 1=1 --", "n; DELETE FROM victim", "3 <b>", geom) VALUES
               ('a', 1, 'u', ST_SetSRID(ST_MakePoint(600000, 6700000), 2154)),
               (''') OR 1=1 --', 2, NULL, ST_SetSRID(ST_MakePoint(600100, 6700100), 2154));
           INSERT INTO victim VALUES (1);"#,
    )
    .await;
    let registry = Registry::connect(
        &CatalogLocation::Sqlite(dir.join("catalog.sqlite")),
        Migrate::Apply,
    )
    .await
    .unwrap();
    let report = connect(
        &registry,
        &dir,
        &blobs(&dir),
        ConnectRequest {
            dataset: "h".into(),
            title: None,
            url: url.clone(),
            tables: vec![r#""s""; DROP TABLE victim; --"."t"" OR 1=1 --""#.into()],
            fid: None,
            geometry: None,
        },
    )
    .await
    .unwrap();
    let l = &report.layers[0];
    // Column names that are not XML names are served under safe ones, the
    // column's comment (or name) their title.
    let names: Vec<&str> = l.fields.iter().map(|f| f.name.as_str()).collect();
    assert!(
        names.iter().all(|n| geocentre_core::names::is_safe_name(n)),
        "{names:?}"
    );
    assert_eq!(l.fields[2].title.as_deref(), Some("trois"));
    let snap = registry.load_snapshot().await.unwrap();
    let view = resolve_vector(&snap, &Principal::Anonymous, "h", &l.name).unwrap();
    let store = PostgisStore::new(&PostgisConfig::default()).unwrap();
    let x = l.fields[0].name.clone();
    let n = l.fields[1].name.clone();
    let run = |filter: Option<Expr>, sort: Vec<(String, bool)>, equals: Vec<(String, String)>| {
        let q = FeatureQuery {
            limit: 10,
            out_epsg: 2154,
            filter,
            sort_by: sort,
            equals,
            properties: Some(vec![x.clone(), n.clone()]),
            ..Default::default()
        };
        let page = store.query(&view, &q).unwrap();
        page.features
            .iter()
            .map(|f| f["id"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(None, vec![(n.clone(), true)], vec![]), vec![2, 1]);
    let hostile = "') OR 1=1 --";
    let eq = Expr::Cmp {
        prop: x.clone(),
        op: CmpOp::Eq,
        value: Literal::Str(hostile.into()),
    };
    assert_eq!(run(Some(eq), vec![], vec![]), vec![2]);
    assert_eq!(
        run(None, vec![], vec![(x.clone(), "a' OR 'a'='a".into())]),
        Vec::<u64>::new()
    );
    let like = Expr::Like {
        prop: x.clone(),
        pattern: "%' OR ''='".into(),
        wildcard: '%',
        single: '_',
        escape: '\\',
        case_insensitive: false,
    };
    assert_eq!(run(Some(like), vec![], vec![]), Vec::<u64>::new());
    // A client's name that is SQL names nothing: refused, not run.
    let q = FeatureQuery {
        limit: 10,
        out_epsg: 2154,
        sort_by: vec![("id; DROP TABLE victim".into(), false)],
        ..Default::default()
    };
    assert!(matches!(
        store.query(&view, &q),
        Err(StoreError::UnknownProperty(_))
    ));
    let mut c = PgConnection::connect(&url).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM victim")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(left, 1, "the victim table is untouched");
}

#[tokio::test(flavor = "multi_thread")]
async fn views_need_an_identifier_and_passwords_are_not_recorded() {
    let dir = temp_dir("views");
    let url = geocentre_registry::test_support::new_postgres_database()
        .await
        .unwrap();
    execute(
        &url,
        "CREATE TABLE t (id serial PRIMARY KEY, k int4, nom text, geom geometry(Point, 4326));
         INSERT INTO t (k, nom, geom) VALUES
             (10, 'a', ST_SetSRID(ST_MakePoint(1, 47), 4326)),
             (20, 'b', ST_SetSRID(ST_MakePoint(2, 48), 4326)),
             (20, 'c', NULL);
         CREATE VIEW v AS SELECT id * 10 AS gid, k, nom, geom FROM t;
         CREATE VIEW dup AS SELECT k, nom, geom FROM t;
         CREATE VIEW slow AS SELECT id, nom, geom, pg_sleep(0.5)::text AS z FROM t;",
    )
    .await;
    let registry = Registry::connect(
        &CatalogLocation::Sqlite(dir.join("catalog.sqlite")),
        Migrate::Apply,
    )
    .await
    .unwrap();
    let req = |tables: &[&str], fid: Option<&str>, url: &str| ConnectRequest {
        dataset: "v".into(),
        title: Some("Vue".into()),
        url: url.into(),
        tables: tables.iter().map(|t| t.to_string()).collect(),
        fid: fid.map(str::to_string),
        geometry: None,
    };
    let err = connect(&registry, &dir, &blobs(&dir), req(&["v"], None, &url))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("--fid"), "{err}");
    let err = connect(
        &registry,
        &dir,
        &blobs(&dir),
        req(&["dup"], Some("k"), &url),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("unique"), "{err}");
    let err = connect(
        &registry,
        &dir,
        &blobs(&dir),
        req(&["dup"], Some("nom"), &url),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("not an integer"), "{err}");
    assert!(
        connect(&registry, &dir, &blobs(&dir), req(&["nowhere"], None, &url))
            .await
            .is_err()
    );
    // The test server trusts local connections: any password is accepted,
    // and none is recorded.
    let with_password = url.replacen("geocentre@", "geocentre:hunter2@", 1);
    let report = connect(
        &registry,
        &dir,
        &blobs(&dir),
        req(&["v", "public.t"], Some("gid"), &with_password),
    )
    .await
    .unwrap_err()
    .to_string();
    // `--fid gid` names no column of t: one --fid for tables that need it.
    assert!(report.contains("gid"), "{report}");
    let report = connect(
        &registry,
        &dir,
        &blobs(&dir),
        req(&["v"], Some("gid"), &with_password),
    )
    .await
    .unwrap();
    assert!(!serde_json::to_string(&report).unwrap().contains("hunter2"));
    let sets = registry.vector_datasets().await.unwrap();
    assert!(!serde_json::to_string(&sets).unwrap().contains("hunter2"));
    let l = &report.layers[0];
    assert_eq!(l.feature_count, 3);
    assert_eq!(l.geometry_type, "Point");
    assert_eq!(l.srid, 4326);
    assert_eq!(l.bbox, [1.0, 47.0, 2.0, 48.0]);
    // The id column is not a property.
    let names: Vec<&str> = l.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["k", "nom"]);
    let snap = registry.load_snapshot().await.unwrap();
    let view = resolve_vector(&snap, &Principal::Anonymous, "v", "v").unwrap();
    let store = PostgisStore::new(&PostgisConfig::default()).unwrap();
    let page = store
        .query(
            &view,
            &FeatureQuery {
                limit: 10,
                out_epsg: 4326,
                ..Default::default()
            },
        )
        .unwrap();
    let ids: Vec<u64> = page
        .features
        .iter()
        .map(|f| f["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [10, 20, 30]);
    assert_eq!(page.number_matched, 3);

    // A statement past its timeout: unavailable, not an endless wait.
    connect(
        &registry,
        &dir,
        &blobs(&dir),
        req(&["slow"], Some("id"), &url),
    )
    .await
    .unwrap();
    let snap = registry.load_snapshot().await.unwrap();
    let view = resolve_vector(&snap, &Principal::Anonymous, "v", "slow").unwrap();
    let impatient = PostgisStore::new(&PostgisConfig {
        statement_timeout_ms: 200,
        ..Default::default()
    })
    .unwrap();
    let t = std::time::Instant::now();
    let r = impatient.query(
        &view,
        &FeatureQuery {
            limit: 10,
            out_epsg: 4326,
            ..Default::default()
        },
    );
    assert!(matches!(r, Err(StoreError::Unavailable(..))), "{r:?}");
    assert!(t.elapsed().as_secs() < 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_down_is_unavailable() {
    let dir = temp_dir("down");
    let url = geocentre_registry::test_support::new_postgres_database()
        .await
        .unwrap();
    execute(
        &url,
        "CREATE TABLE t (id serial PRIMARY KEY, geom geometry(Point, 4326));
         INSERT INTO t (geom) VALUES (ST_SetSRID(ST_MakePoint(1, 47), 4326));",
    )
    .await;
    let registry = Registry::connect(
        &CatalogLocation::Sqlite(dir.join("catalog.sqlite")),
        Migrate::Apply,
    )
    .await
    .unwrap();
    connect(
        &registry,
        &dir,
        &blobs(&dir),
        ConnectRequest {
            dataset: "d".into(),
            title: None,
            url: url.clone(),
            tables: vec!["t".into()],
            fid: None,
            geometry: None,
        },
    )
    .await
    .unwrap();
    // The same layer, its database moved to a port nobody listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut u = url::Url::parse(&url).unwrap();
    u.set_port(Some(closed)).unwrap();
    {
        use sqlx::sqlite::SqliteConnection;
        let mut c = SqliteConnection::connect(&format!(
            "sqlite://{}",
            dir.join("catalog.sqlite").display()
        ))
        .await
        .unwrap();
        let moved = sqlx::query("UPDATE vector_layers SET postgis = replace(postgis, $1, $2)")
            .bind(&url)
            .bind(u.to_string())
            .execute(&mut c)
            .await
            .unwrap();
        assert_eq!(moved.rows_affected(), 1);
    }
    let snap = registry.load_snapshot().await.unwrap();
    let view = resolve_vector(&snap, &Principal::Anonymous, "d", "t").unwrap();
    assert!(view
        .layer
        .postgis
        .as_ref()
        .unwrap()
        .connection
        .contains(&closed.to_string()));
    let store = PostgisStore::new(&PostgisConfig {
        connect_timeout_ms: 1000,
        ..Default::default()
    })
    .unwrap();
    let t = std::time::Instant::now();
    let q = FeatureQuery {
        limit: 1,
        out_epsg: 4326,
        ..Default::default()
    };
    let r = store.query(&view, &q);
    assert!(matches!(r, Err(StoreError::Unavailable(..))), "{r:?}");
    assert!(t.elapsed().as_secs() < 10);
    let r = store.scan(
        &view,
        &ScanQuery {
            bbox: [0.0, 46.0, 2.0, 48.0],
            epsg: 4326,
            ..Default::default()
        },
        &mut |_| true,
    );
    assert!(matches!(r, Err(StoreError::Unavailable(..))), "{r:?}");
}

/// The local blob store of a scratch data directory.
fn blobs(data: &std::path::Path) -> geocentre_blob::BlobStore {
    geocentre_blob::BlobStore::local(&data.join("objects")).unwrap()
}
