//! What a delivered GeoPackage holds besides tables, checked before GDAL
//! opens it.
//!
//! A GeoPackage is an SQLite database: a "feature table" may be a view
//! whose SQL runs when it is read (a recursive view ran for ever: review
//! F7), a virtual table whose module reads something else, or a table
//! with generated columns computed on every read. GDAL evaluates them as
//! soon as it reads gpkg_contents or a layer, before the ingest can look.
//! So the schema is read first, from `sqlite_master` (its rows are the
//! stored CREATE statements: reading them evaluates nothing), on a
//! connection opened read-only and immutable (nothing is written beside
//! the file, no trigger can fire), and any of these refuses the file.

use geocentre_delivery::formats::printable;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};
use std::path::Path;

/// Why a GeoPackage is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed(pub String);

/// Reads the schema of the GeoPackage at `path` and refuses views,
/// virtual tables other than R-tree indexes, and generated columns. A file
/// SQLite cannot read is left to GDAL (which rejects it as damaged).
/// Blocking: call it from a blocking thread of the Tokio runtime.
pub fn check(path: &Path) -> Result<(), Computed> {
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return Ok(());
    };
    match handle.block_on(schema(path)) {
        Ok(objects) => refusal(&objects),
        Err(e) => {
            tracing::debug!("GeoPackage schema of {} not read: {e}", path.display());
            Ok(())
        }
    }
}

/// One object of `sqlite_master`, and the generated columns of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Object {
    kind: String,
    name: String,
    sql: String,
    generated: Option<String>,
}

async fn schema(path: &Path) -> Result<Vec<Object>, sqlx::Error> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .create_if_missing(false)
        .connect()
        .await?;
    let rows = sqlx::query(
        "SELECT type, name, COALESCE(sql, ''), rootpage FROM sqlite_master WHERE type IN ('table', 'view')",
    )
    .fetch_all(&mut conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind: String = r.try_get(0)?;
        let name: String = r.try_get(1)?;
        let mut sql: String = r.try_get(2)?;
        // A table without pages of its own is virtual, whatever its text.
        let rootpage: i64 = r.try_get(3)?;
        if kind == "table" && rootpage == 0 && !is_virtual(&sql) {
            sql = format!("CREATE VIRTUAL TABLE {name} USING unknown");
        }
        let mut generated = None;
        if kind == "table" && !is_virtual(&sql) {
            // Hidden 2 and 3: virtual and stored generated columns. The
            // pragma reads the declaration only.
            generated = sqlx::query_scalar(
                "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden IN (2, 3) LIMIT 1",
            )
            .bind(&name)
            .fetch_optional(&mut conn)
            .await?;
        }
        out.push(Object {
            kind,
            name,
            sql,
            generated,
        });
    }
    conn.close().await?;
    Ok(out)
}

/// A virtual table, by its CREATE statement (`rootpage` 0 says the same).
fn is_virtual(sql: &str) -> bool {
    let words: Vec<String> = sql
        .split_whitespace()
        .take(3)
        .map(str::to_ascii_lowercase)
        .collect();
    words == ["create", "virtual", "table"]
}

/// The module a virtual table uses (`rtree`, `fts5`, …).
fn module(sql: &str) -> String {
    let lower = sql.to_ascii_lowercase();
    lower
        .find(" using ")
        .map(|i| {
            sql[i + 7..]
                .trim_start()
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default()
}

fn refusal(objects: &[Object]) -> Result<(), Computed> {
    for o in objects {
        let name = printable(&o.name);
        if o.kind == "view" {
            return Err(Computed(format!(
                "«{name}» is an SQL view, computed when it is read: only tables are read from a GeoPackage"
            )));
        }
        if is_virtual(&o.sql) {
            let m = module(&o.sql);
            // GeoPackage spatial indexes are R-tree virtual tables.
            if !m.eq_ignore_ascii_case("rtree") {
                return Err(Computed(format!(
                    "«{name}» is a virtual table (module {}), computed when it is read: only tables are read from a GeoPackage",
                    printable(&m)
                )));
            }
        }
        if let Some(col) = &o.generated {
            return Err(Computed(format!(
                "column «{}» of «{name}» is generated, computed when it is read: only stored values are read from a GeoPackage",
                printable(col)
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(kind: &str, name: &str, sql: &str) -> Object {
        Object {
            kind: kind.into(),
            name: name.into(),
            sql: sql.into(),
            generated: None,
        }
    }

    #[test]
    fn views_virtual_tables_and_generated_columns_are_refused() {
        let ok = [
            obj(
                "table",
                "communes",
                "CREATE TABLE communes (fid INTEGER PRIMARY KEY)",
            ),
            obj(
                "table",
                "rtree_communes_geom",
                "CREATE VIRTUAL TABLE rtree_communes_geom USING rtree(id, minx, maxx, miny, maxy)",
            ),
        ];
        assert_eq!(refusal(&ok), Ok(()));
        let view = [obj("view", "bomb", "CREATE VIEW bomb AS WITH RECURSIVE …")];
        assert!(refusal(&view)
            .unwrap_err()
            .0
            .contains("«bomb» is an SQL view"));
        let vt = [obj(
            "table",
            "x",
            "create  virtual table x using VirtualOGR('/etc/passwd')",
        )];
        let e = refusal(&vt).unwrap_err().0;
        assert!(
            e.contains("virtual table") && e.contains("VirtualOGR"),
            "{e}"
        );
        let mut g = obj("table", "t", "CREATE TABLE t (a, b AS (a * 2))");
        g.generated = Some("b".into());
        assert!(refusal(&[g]).unwrap_err().0.contains("column «b» of «t»"));
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_schema_is_read_without_running_a_view() {
        let dir = std::env::temp_dir().join(format!("gc-gpkg-check-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("v.gpkg");
        {
            let mut c = SqliteConnectOptions::new()
                .filename(&db)
                .create_if_missing(true)
                .connect()
                .await
                .unwrap();
            for q in [
                "CREATE TABLE base (fid INTEGER PRIMARY KEY, v INTEGER)",
                "CREATE VIEW bomb AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c",
                "CREATE TABLE g (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL)",
            ] {
                sqlx::query(q).execute(&mut c).await.unwrap();
            }
            c.close().await.unwrap();
        }
        let before = std::fs::read(&db).unwrap();
        let started = std::time::Instant::now();
        let db2 = db.clone();
        let r = tokio::task::spawn_blocking(move || check(&db2))
            .await
            .unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let e = r.unwrap_err().0;
        assert!(e.contains("«bomb»") || e.contains("«b» of «g»"), "{e}");
        assert_eq!(std::fs::read(&db).unwrap(), before);
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
