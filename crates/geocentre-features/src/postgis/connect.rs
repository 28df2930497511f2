//! `geocentre vector connect`: PostGIS tables and views published as a
//! dataset, read in place. The schema, extent and count are read now (a
//! re-run reads them again) and published like an ingest, in one registry
//! transaction that bumps the generation, so that every service serves the
//! layers without knowing where they live.
//!
//! What is recorded per layer ([`PostgisSource`]): the connection URL
//! **without its password** (each server takes it from `~/.pgpass`,
//! `PGPASSFILE` or `PGPASSWORD`: docs/configuration.md), the schema, the
//! table, the feature id column, the geometry column and its SRID, and the
//! column behind each field. Feature ids are a table's single-column
//! integer primary key, or the unique, non-null, non-negative integer
//! column `--fid` names (required for a view, which has no key: it is
//! checked now, and must stay unique). That column is not a property, as
//! a GeoPackage's FID is not.

use super::connect_options;
use crate::ingest::{field_renames, sanitize, unique, VectorError};
use geocentre_geo::crs::Transformer;
use geocentre_registry::vector::{FieldDef, PostgisColumn, PostgisSource, VectorLayerRecord};
use geocentre_registry::{valid_dataset_name, Registry};
use serde::Serialize;
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Row};
use std::collections::HashSet;
use std::path::Path;

/// Reading a large table's extent and count may take a while.
const INTROSPECTION_TIMEOUT_MS: u64 = 600_000;

pub struct ConnectRequest {
    pub dataset: String,
    /// The dataset's title (kept when not given).
    pub title: Option<String>,
    /// `postgres://user[:password]@host[:port]/database[?sslmode=…]`.
    pub url: String,
    /// `[schema.]table`, each a layer.
    pub tables: Vec<String>,
    /// The feature id column of tables without an integer primary key.
    pub fid: Option<String>,
    /// The geometry column, where a table has several.
    pub geometry: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ConnectReport {
    pub dataset: String,
    pub ingest_id: i64,
    pub status: &'static str,
    /// As recorded: without password.
    pub connection: String,
    pub layers: Vec<VectorLayerRecord>,
    pub features: i64,
    pub warnings: Vec<String>,
}

/// The URL as recorded (password removed, from the authority and from the
/// query) and whether it had one. User, host and database must be named:
/// servers on other machines read the URL as it is, and would otherwise
/// fill them from their own environment.
pub fn recorded_url(url: &str) -> Result<(String, bool), VectorError> {
    let bad = |why: &str| VectorError::Invalid(format!("--postgres: {why}"));
    let mut u = url::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    if !matches!(u.scheme(), "postgres" | "postgresql") {
        return Err(bad("a postgres:// URL is expected"));
    }
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let named = |k: &str| pairs.iter().any(|(n, v)| n == k && !v.is_empty());
    let had = u.password().is_some() || named("password");
    if u.username().is_empty() && !named("user") {
        return Err(bad("name the user (postgres://user@host/database)"));
    }
    if u.host_str().is_none_or(str::is_empty) && !named("host") {
        return Err(bad("name the host (postgres://user@host/database)"));
    }
    if u.path().trim_start_matches('/').is_empty() && !named("dbname") {
        return Err(bad("name the database (postgres://user@host/database)"));
    }
    u.set_password(None)
        .map_err(|_| bad("the URL cannot have its password removed"))?;
    let kept: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "password").collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut()
            .clear()
            .extend_pairs(kept.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
    Ok((u.to_string(), had))
}

/// The OGR geometry type name of a PostGIS type name (`MultiPolygonZ`,
/// `CURVEPOLYGON`…) and whether it is 3D: `3D Multi Polygon`, as OGR
/// names a GeoPackage layer's type.
fn ogr_type(base: u32, z: bool) -> String {
    let code = match (z, base) {
        (false, b) => b,
        // OGR's 2.5D codes for the classic types, ISO's +1000 for others.
        (true, b @ 0..=7) => b | 0x8000_0000,
        (true, b) => b + 1000,
    };
    gdal::vector::geometry_type_to_name(code)
}

/// A PostGIS type name without its Z/M suffix, as the OGR base code.
fn base_code(name: &str) -> Option<u32> {
    let n = name.to_ascii_uppercase();
    let n = n
        .strip_suffix("ZM")
        .or_else(|| n.strip_suffix('Z'))
        .or_else(|| n.strip_suffix('M'))
        .filter(|b| base_of(b).is_some())
        .unwrap_or(&n);
    base_of(n)
}

fn base_of(n: &str) -> Option<u32> {
    Some(match n {
        "GEOMETRY" => 0,
        "POINT" => 1,
        "LINESTRING" => 2,
        "POLYGON" => 3,
        "MULTIPOINT" => 4,
        "MULTILINESTRING" => 5,
        "MULTIPOLYGON" => 6,
        "GEOMETRYCOLLECTION" => 7,
        "CIRCULARSTRING" => 8,
        "COMPOUNDCURVE" => 9,
        "CURVEPOLYGON" => 10,
        "MULTICURVE" => 11,
        "MULTISURFACE" => 12,
        "POLYHEDRALSURFACE" => 15,
        "TIN" => 16,
        "TRIANGLE" => 17,
        _ => return None,
    })
}

/// A field's OGR type name from the column's PostgreSQL type (its
/// `pg_type.typname`); None for a geometry.
fn field_kind(typname: &str) -> Option<&'static str> {
    Some(match typname {
        "int2" | "int4" | "bool" => "Integer",
        "int8" => "Integer64",
        "float4" | "float8" | "numeric" => "Real",
        "date" => "Date",
        "timestamp" | "timestamptz" => "DateTime",
        "geometry" | "geography" => return None,
        // Text, and anything else as its text.
        _ => "String",
    })
}

struct Col {
    name: String,
    pg_type: String,
    typname: String,
    typmod: i32,
    comment: Option<String>,
}

fn db(e: sqlx::Error) -> VectorError {
    VectorError::Postgres(e.to_string())
}

/// Finds `spec` (`table`, `schema.table`, or a quoted name PostgreSQL
/// reads): (oid, schema, name).
async fn relation(
    conn: &mut PgConnection,
    spec: &str,
) -> Result<(i64, String, String), VectorError> {
    let found = if spec.contains('"') {
        None
    } else {
        let (schema, table) = match spec.split_once('.') {
            Some((s, t)) => (Some(s), t),
            None => (None, spec),
        };
        sqlx::query(
            "SELECT c.oid::int8, n.nspname::text, c.relname::text
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relname = $2::text AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
               AND (($1::text IS NULL AND n.nspname = ANY (current_schemas(false)))
                    OR n.nspname = $1::text)
             ORDER BY array_position(current_schemas(false), n.nspname) NULLS LAST
             LIMIT 1",
        )
        .bind(schema)
        .bind(table)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
    };
    let found = match found {
        Some(r) => Some(r),
        None => sqlx::query(
            "SELECT c.oid::int8, n.nspname::text, c.relname::text
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.oid = to_regclass($1::text) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')",
        )
        .bind(spec)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?,
    };
    let r = found
        .ok_or_else(|| VectorError::Invalid(format!("--table {spec}: no such table or view")))?;
    Ok((
        r.try_get(0).map_err(db)?,
        r.try_get(1).map_err(db)?,
        r.try_get(2).map_err(db)?,
    ))
}

/// Reads one table or view into a layer record.
async fn describe(
    conn: &mut PgConnection,
    connection: &str,
    spec: &str,
    req: &ConnectRequest,
    names: &mut HashSet<String>,
    warnings: &mut Vec<String>,
) -> Result<VectorLayerRecord, VectorError> {
    use super::sql::ident;
    let (oid, schema, table) = relation(conn, spec).await?;
    let shown = format!("{schema}.{table}");
    let from = format!("{}.{}", ident(&schema), ident(&table));
    let cols: Vec<Col> = sqlx::query(
        "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), t.typname::text,
                a.atttypmod::int4, col_description(a.attrelid, a.attnum)
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
         WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum",
    )
    .bind(oid)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .into_iter()
    .map(|r| -> Result<Col, sqlx::Error> {
        Ok(Col {
            name: r.try_get(0)?,
            pg_type: r.try_get(1)?,
            typname: r.try_get(2)?,
            typmod: r.try_get(3)?,
            comment: r.try_get(4)?,
        })
    })
    .collect::<Result<_, _>>()
    .map_err(db)?;
    // The geometry column: the one named, else the first.
    let geometries: Vec<&Col> = cols.iter().filter(|c| c.typname == "geometry").collect();
    let geometry = match &req.geometry {
        Some(g) => match cols.iter().find(|c| &c.name == g) {
            Some(c) if c.typname == "geometry" => Some(c),
            Some(c) => {
                return Err(VectorError::Invalid(format!(
                    "--geometry {g}: the column of {shown} is {}, not a geometry",
                    c.pg_type
                )))
            }
            // Tables without geometry are served too; one of several
            // tables may lack the column.
            None if geometries.is_empty() => None,
            None => {
                return Err(VectorError::Invalid(format!(
                    "--geometry {g}: {shown} has no such column"
                )))
            }
        },
        None => geometries.first().copied(),
    };
    for c in cols.iter().filter(|c| {
        matches!(c.typname.as_str(), "geometry" | "geography")
            && geometry.is_none_or(|g| g.name != c.name)
    }) {
        warnings.push(format!(
            "{shown}: column {} ({}) is not served (one geometry per layer; geography is not read)",
            c.name, c.pg_type
        ));
    }
    // The feature id.
    let primary: Vec<String> = sqlx::query_scalar(
        "SELECT a.attname::text FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = $1::int8::oid AND i.indisprimary",
    )
    .bind(oid)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let integer = |c: &Col| matches!(c.typname.as_str(), "int2" | "int4" | "int8");
    let key = match primary.as_slice() {
        [k] => cols.iter().find(|c| &c.name == k).filter(|c| integer(c)),
        _ => None,
    };
    let fid = match (&req.fid, key) {
        (Some(f), _) => {
            let c = cols.iter().find(|c| &c.name == f).ok_or_else(|| {
                VectorError::Invalid(format!("--fid {f}: {shown} has no such column"))
            })?;
            if !integer(c) {
                return Err(VectorError::Invalid(format!(
                    "--fid {f}: the column of {shown} is {}, not an integer",
                    c.pg_type
                )));
            }
            c
        }
        (None, Some(k)) => k,
        (None, None) => {
            return Err(VectorError::Invalid(format!(
                "{shown} has no single-column integer primary key (a view has none): name a \
                 unique integer column with --fid"
            )))
        }
    };
    let f = ident(&fid.name);
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT count(*)::int8, count({f})::int8, count(DISTINCT {f})::int8, min({f})::int8 FROM {from}"
    )))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    let (rows, present, distinct, min): (i64, i64, i64, Option<i64>) = (
        row.try_get(0).map_err(db)?,
        row.try_get(1).map_err(db)?,
        row.try_get(2).map_err(db)?,
        row.try_get(3).map_err(db)?,
    );
    if present < rows || distinct < present || min.is_some_and(|m| m < 0) {
        return Err(VectorError::Invalid(format!(
            "{shown}: column {} cannot identify features: it must be unique, never null and \
             not negative ({rows} rows, {present} values, {distinct} distinct, smallest {})",
            fid.name,
            min.map_or("none".into(), |m| m.to_string())
        )));
    }
    // Geometry type, dimension and CRS: as declared, else from the data.
    let (mut geometry_type, mut has_z, mut srid, mut bbox) =
        ("None".to_string(), false, 0i64, [0.0; 4]);
    let mut epsg = 0u32;
    if let Some(g) = geometry {
        let gq = ident(&g.name);
        let row = sqlx::query(
            "SELECT postgis_typmod_type($1::int4), postgis_typmod_srid($1::int4)::int8",
        )
        .bind(g.typmod)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
        let declared: String = row.try_get(0).map_err(db)?;
        srid = row.try_get(1).map_err(db)?;
        // `PointZ`, `MultiPolygonZM`: no base name ends in Z.
        let declared_z = declared.to_ascii_uppercase().ends_with(['Z'])
            || declared.to_ascii_uppercase().ends_with("ZM");
        // The declared type is the layer's: a column declared `geometry`
        // alone (a view's computed column, often) holds any geometry, as
        // GeoServer says too. Declare it (`::geometry(Polygon, 2154)` in
        // the view) to have it advertised.
        let base = base_code(&declared).unwrap_or(0);
        has_z = declared_z;
        if base == 0 || srid == 0 {
            // Undeclared SRID or dimension: the values say.
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT DISTINCT ST_Zmflag({gq})::int4, ST_SRID({gq})::int8
                 FROM {from} WHERE {gq} IS NOT NULL LIMIT 100"
            )))
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            let mut srids = HashSet::new();
            for r in rows {
                let zm: i32 = r.try_get(0).map_err(db)?;
                srids.insert(r.try_get::<i64, _>(1).map_err(db)?);
                if base == 0 {
                    has_z |= zm >= 2;
                }
            }
            if srid == 0 {
                srid = match srids.into_iter().collect::<Vec<_>>().as_slice() {
                    [s] => *s,
                    [] => 0,
                    _ => {
                        return Err(VectorError::Invalid(format!(
                            "{shown}: the geometries of {} are in several CRSs",
                            g.name
                        )))
                    }
                };
            }
        }
        if srid > 0 {
            let auth: Option<(String, i32)> = sqlx::query_as(
                "SELECT auth_name::text, auth_srid::int4 FROM spatial_ref_sys WHERE srid = $1::int4",
            )
            .bind(srid)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
            epsg = match auth {
                Some((a, code)) if a.eq_ignore_ascii_case("EPSG") => {
                    u32::try_from(code).unwrap_or(0)
                }
                _ => 0,
            };
            if epsg == 0 {
                return Err(VectorError::Invalid(format!(
                    "{shown}: SRID {srid} of {} is not an EPSG code",
                    g.name
                )));
            }
        } else {
            return Err(VectorError::Invalid(format!(
                "{shown}: the geometries of {} have no CRS (SRID 0)",
                g.name
            )));
        }
        geometry_type = ogr_type(base, has_z);
        // Exact: the boxes of the geometries themselves (ST_Extent reads
        // their cached float boxes, rounded outwards).
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT min(ST_XMin({gq})), min(ST_YMin({gq})), max(ST_XMax({gq})), max(ST_YMax({gq}))
             FROM {from}"
        )))
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
        let v: [Option<f64>; 4] = [
            row.try_get(0).map_err(db)?,
            row.try_get(1).map_err(db)?,
            row.try_get(2).map_err(db)?,
            row.try_get(3).map_err(db)?,
        ];
        if let [Some(a), Some(b), Some(c), Some(d)] = v {
            bbox = [a, b, c, d];
        }
    }
    let bbox_wgs84 = match (epsg, geometry_type.as_str()) {
        (0, _) | (_, "None") => [0.0; 4],
        (code, _) => Transformer::new(code, 4326)
            .map(|t| t.transform_bbox(bbox))
            .unwrap_or([0.0; 4]),
    };
    // Fields: every other column, named as XML allows.
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    for c in &cols {
        if c.name == fid.name {
            continue;
        }
        let Some(kind) = field_kind(&c.typname) else {
            continue;
        };
        fields.push(FieldDef {
            name: c.name.clone(),
            kind: kind.to_string(),
            title: c.comment.clone().filter(|t| !t.trim().is_empty()),
        });
        columns.push(PostgisColumn {
            name: c.name.clone(),
            pg_type: c.pg_type.clone(),
        });
    }
    for r in field_renames(&fields, &fid.name) {
        if let Some(f) = fields.iter_mut().find(|f| f.name == r.from) {
            warnings.push(format!(
                "{shown}: column {:?} is served as {} (an XML name)",
                r.from, r.to
            ));
            f.title.get_or_insert_with(|| r.from.clone());
            f.name = r.to;
        }
    }
    let feature_count = rows;
    let title: Option<String> =
        sqlx::query_scalar("SELECT obj_description($1::int8::oid, 'pg_class')")
            .bind(oid)
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
    Ok(VectorLayerRecord {
        name: unique(sanitize(&table), names),
        title: title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| table.clone()),
        table_name: table.clone(),
        geometry_type,
        srid: i64::from(epsg),
        has_z,
        feature_count,
        bbox,
        bbox_wgs84,
        fields,
        source: format!("{connection} {shown}"),
        file: String::new(),
        postgis: Some(PostgisSource {
            connection: connection.to_string(),
            schema,
            table,
            fid: fid.name.clone(),
            geometry: geometry.map(|g| g.name.clone()),
            srid,
            columns,
        }),
        sha256: None,
        size: None,
    })
}

/// Reads the tables and publishes them as `req.dataset`.
pub async fn connect(
    registry: &Registry,
    data_dir: &Path,
    blobs: &geocentre_blob::BlobStore,
    req: ConnectRequest,
) -> Result<ConnectReport, VectorError> {
    if !valid_dataset_name(&req.dataset) {
        return Err(VectorError::Invalid(format!(
            "dataset name '{}' must be made of letters, digits, '_' and '-', and not end in '-' and digits",
            req.dataset
        )));
    }
    if req.tables.is_empty() {
        return Err(VectorError::Invalid("no --table given".into()));
    }
    let (connection, had_password) = recorded_url(&req.url)?;
    let shown = geocentre_core::config::redact_url(&req.url);
    let options = connect_options(&req.url, INTROSPECTION_TIMEOUT_MS)
        .map_err(|e| VectorError::Invalid(format!("--postgres: {e}")))?;
    let mut conn = PgConnection::connect_with(&options)
        .await
        .map_err(|e| VectorError::Postgres(format!("cannot connect to {shown}: {e}")))?;
    let mut warnings = Vec::new();
    let mut names = HashSet::new();
    let mut layers = Vec::new();
    let mut seen = HashSet::new();
    for spec in &req.tables {
        let l = describe(
            &mut conn,
            &connection,
            spec,
            &req,
            &mut names,
            &mut warnings,
        )
        .await?;
        let key = l
            .postgis
            .as_ref()
            .map(|s| (s.schema.clone(), s.table.clone()));
        if !seen.insert(key) {
            return Err(VectorError::Invalid(format!(
                "--table {spec}: the same table is given twice"
            )));
        }
        layers.push(l);
    }
    let _ = conn.close().await;
    if had_password {
        // What servers will do: connect with the URL as recorded.
        let recorded = connect_options(&connection, INTROSPECTION_TIMEOUT_MS)
            .map_err(|e| VectorError::Invalid(format!("--postgres: {e}")))?;
        match PgConnection::connect_with(&recorded).await {
            Ok(c) => {
                let _ = c.close().await;
            }
            Err(e) => warnings.push(format!(
                "the password given in the URL is not recorded, and without it the database \
                 refuses the connection ({e}): servers find it in ~/.pgpass, PGPASSFILE or \
                 PGPASSWORD (docs/configuration.md)"
            )),
        }
    }
    let id = registry
        .begin_vector_ingest(&req.dataset, req.title.as_deref())
        .await?;
    let mut report = ConnectReport {
        dataset: req.dataset.clone(),
        ingest_id: id,
        status: "published",
        connection,
        features: layers.iter().map(|l| l.feature_count).sum(),
        layers,
        warnings,
    };
    // The layers are listed in the registry by name, as ingests list theirs.
    report.layers.sort_by(|a, b| a.name.cmp(&b.name));
    let json = serde_json::to_value(&report).unwrap_or_default();
    registry
        .publish_vector_ingest(id, "", &report.layers, &json)
        .await?;
    // The GeoPackages of an ingest this replaces go after the grace period.
    crate::ingest::gc_dead(registry, data_dir, blobs).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_never_recorded() {
        let (u, had) =
            recorded_url("postgres://gc:s3cr%27t@db.example:5433/geo?sslmode=require").unwrap();
        assert!(had);
        assert_eq!(u, "postgres://gc@db.example:5433/geo?sslmode=require");
        let (u, had) =
            recorded_url("postgresql://gc@db/geo?password=hunter2&application_name=x").unwrap();
        assert!(had);
        assert!(!u.contains("hunter2"), "{u}");
        assert_eq!(u, "postgresql://gc@db/geo?application_name=x");
        let (u, had) = recorded_url("postgres://gc@db/geo").unwrap();
        assert!(!had);
        assert_eq!(u, "postgres://gc@db/geo");
        for incomplete in [
            "postgres://db/geo",
            "postgres://gc@db",
            "mysql://gc@db/geo",
            "nope",
        ] {
            assert!(recorded_url(incomplete).is_err(), "{incomplete}");
        }
    }

    #[test]
    fn postgis_types_have_ogr_names() {
        assert_eq!(
            ogr_type(base_code("MultiPolygon").unwrap(), false),
            "Multi Polygon"
        );
        assert_eq!(ogr_type(base_code("PointZ").unwrap(), true), "3D Point");
        assert_eq!(
            ogr_type(base_code("CURVEPOLYGON").unwrap(), true),
            "3D Curve Polygon"
        );
        assert_eq!(base_code("Geometry"), Some(0));
        assert_eq!(base_code("POINTM"), Some(1));
        assert_eq!(ogr_type(0, false), "Unknown (any)");
    }
}
