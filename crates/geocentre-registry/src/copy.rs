//! Copying a whole registry to another database, of either backend
//! (`geocentre copy-store`): every row of every table, identifiers kept, in
//! one transaction on the target, so that a copy is whole or absent.

use crate::db::{Backend, Registry, RegistryError};
use sqlx::{Column, Row};

/// Every table, parents before children. `tests` checks that this list is
/// the schema's, so a table added by a migration cannot be forgotten here.
pub const TABLES: &[&str] = &[
    "catalog_state",
    "ortho_layers",
    "ortho_ingests",
    "ortho_chunks",
    "ortho_sources",
    "ortho_vintages",
    "ortho_composites",
    "ortho_composite_chunks",
    "vector_ingests",
    "vector_datasets",
    "vector_layers",
    "vector_styles",
    "layer_groups",
    "layer_group_members",
    "catalog_records",
];

/// References that close a cycle (a layer points at its composite, which
/// points at its layer): copied as NULL, then set once both rows exist.
const DEFERRED: &[(&str, &str, &str)] = &[
    ("ortho_layers", "composite_id", "name"),
    ("vector_datasets", "current_ingest", "name"),
];

/// Tables whose `id` is generated: PostgreSQL's identity must continue
/// after the copied ids (SQLite's AUTOINCREMENT follows inserted ids).
const IDENTITIES: &[&str] = &["ortho_ingests", "ortho_composites", "vector_ingests"];

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct CopyReport {
    /// Rows copied, by table, in [`TABLES`] order.
    pub rows: Vec<(String, u64)>,
    pub generation: i64,
}

/// One value as both engines store ours: integer, text or null.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Int(i64),
    Text(String),
}

fn read(row: &sqlx::any::AnyRow, i: usize) -> Result<Value, RegistryError> {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return Ok(v.map_or(Value::Null, Value::Int));
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return Ok(v.map_or(Value::Null, Value::Text));
    }
    Err(RegistryError::Corrupt(format!(
        "column {} holds neither an integer nor a text",
        row.column(i).name()
    )))
}

fn bind(
    q: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    v: Value,
    integer: bool,
) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
    match v {
        Value::Null if integer => q.bind(None::<i64>),
        Value::Null => q.bind(None::<String>),
        Value::Int(n) => q.bind(n),
        Value::Text(s) => q.bind(s),
    }
}

/// Table and column names come from [`TABLES`] and the engine's own list
/// of columns, never from input; quoted all the same.
fn ident(name: &str) -> Result<String, RegistryError> {
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(RegistryError::Corrupt(format!(
            "unexpected column name {name:?}"
        )));
    }
    Ok(format!("\"{name}\""))
}

impl Registry {
    /// Whether nothing was ever published or defined here.
    pub async fn is_empty(&self) -> Result<bool, RegistryError> {
        let mut tx = self.begin_read().await?;
        for t in TABLES.iter().filter(|t| **t != "catalog_state") {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {}",
                ident(t)?
            )))
            .fetch_one(&mut *tx)
            .await?;
            if n > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The columns of a table, in order, each with whether it holds
    /// integers (a NULL is bound with its column's type: PostgreSQL
    /// refuses a text NULL in an integer column).
    async fn columns(&self, table: &str) -> Result<Vec<(String, bool)>, RegistryError> {
        let sql = match self.backend() {
            Backend::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
            Backend::Postgres => {
                "SELECT column_name::text, data_type::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
            }
        };
        let rows: Vec<(String, String)> = sqlx::query_as(sql)
            .bind(table)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(n, t)| (n, t.to_ascii_lowercase().contains("int")))
            .collect())
    }

    /// Every table of the schema (for the check of [`TABLES`]).
    pub async fn tables(&self) -> Result<Vec<String>, RegistryError> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                   AND table_name NOT IN ('_sqlx_migrations', 'spatial_ref_sys') ORDER BY table_name"
            }
        };
        Ok(sqlx::query_scalar(sql).fetch_all(&self.pool).await?)
    }

    /// Copies every row of this registry into `target`, which must be
    /// migrated to the same version and empty. One read transaction here
    /// (a consistent state even while an ingest publishes), one write
    /// transaction there.
    pub async fn copy_to(&self, target: &Registry) -> Result<CopyReport, RegistryError> {
        if self.applied_version().await? != target.applied_version().await? {
            return Err(RegistryError::Invalid(format!(
                "the registries are at different schema versions ({} here, {} in {}): run `geocentre migrate` on both",
                self.applied_version().await?,
                target.applied_version().await?,
                target.shown()
            )));
        }
        if !target.is_empty().await? {
            return Err(RegistryError::Invalid(format!(
                "{} already holds data: copy-store only fills an empty registry",
                target.shown()
            )));
        }
        let mut report = CopyReport::default();
        let mut src = self.begin_read().await?;
        let mut dst = target.begin_write().await?;
        let mut deferred = Vec::new();
        for table in TABLES {
            let typed = target.columns(table).await?;
            let cols: Vec<String> = typed.iter().map(|(c, _)| c.clone()).collect();
            let integer = |col: &str| typed.iter().any(|(c, int)| c == col && *int);
            let list = cols
                .iter()
                .map(|c| ident(c))
                .collect::<Result<Vec<_>, _>>()?;
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM {}",
                list.join(", "),
                ident(table)?
            )))
            .fetch_all(&mut *src)
            .await?;
            if *table == "catalog_state" {
                let g: i64 = match rows.first() {
                    Some(r) => r.try_get("generation")?,
                    None => 0,
                };
                // Moved past the source's, so that servers that knew the
                // source reload.
                report.generation = g + 1;
                sqlx::query("UPDATE catalog_state SET generation = $1 WHERE id = 1")
                    .bind(report.generation)
                    .execute(&mut *dst)
                    .await?;
                report.rows.push((table.to_string(), rows.len() as u64));
                continue;
            }
            let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
            let insert = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                ident(table)?,
                list.join(", "),
                placeholders.join(", ")
            );
            for row in &rows {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(insert.clone()));
                for (i, col) in cols.iter().enumerate() {
                    let mut v = read(row, i)?;
                    if let Some((_, _, key)) = DEFERRED
                        .iter()
                        .find(|(t, c, _)| t == table && c == col)
                        .filter(|_| v != Value::Null)
                    {
                        let key_idx = cols.iter().position(|c| c == key).ok_or_else(|| {
                            RegistryError::Corrupt(format!("{table} has no column {key}"))
                        })?;
                        deferred.push((
                            table.to_string(),
                            (col.clone(), integer(col)),
                            (key.to_string(), integer(key)),
                            v.clone(),
                            read(row, key_idx)?,
                        ));
                        v = Value::Null;
                    }
                    q = bind(q, v, integer(col));
                }
                q.execute(&mut *dst).await?;
            }
            report.rows.push((table.to_string(), rows.len() as u64));
        }
        // The cycles close once every row is in.
        for (table, (col, col_int), (key, key_int), v, k) in deferred {
            let q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {} SET {} = $1 WHERE {} = $2",
                ident(&table)?,
                ident(&col)?,
                ident(&key)?
            )));
            bind(bind(q, v, col_int), k, key_int)
                .execute(&mut *dst)
                .await?;
        }
        drop(src);
        if target.backend() == Backend::Postgres {
            for table in IDENTITIES {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                   COALESCE((SELECT max(id) FROM {}), 0) + 1, false)",
                    ident(table)?
                )))
                .execute(&mut *dst)
                .await?;
            }
        }
        dst.commit().await?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Migrate;

    /// Every table's rows, as text, in a stable order.
    async fn dump(r: &Registry) -> Vec<(String, Vec<Vec<String>>)> {
        let mut out = Vec::new();
        for t in TABLES {
            let cols = r.columns(t).await.unwrap();
            let list: Vec<String> = cols.iter().map(|(c, _)| ident(c).unwrap()).collect();
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM {t}",
                list.join(", ")
            )))
            .fetch_all(&r.pool)
            .await
            .unwrap();
            let mut rows: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    (0..cols.len())
                        .map(|i| format!("{:?}", read(row, i).unwrap()))
                        .collect()
                })
                .collect();
            rows.sort();
            out.push((t.to_string(), rows));
        }
        out
    }

    async fn fill(r: &Registry) {
        let id = r.begin_vector_ingest("admin", Some("Admin")).await.unwrap();
        r.publish_vector_ingest(id, "vector/admin/g1", &[], &serde_json::json!({"n": 1}))
            .await
            .unwrap();
        for sql in [
            "INSERT INTO ortho_layers (name, title) VALUES ('ortho-hr', 'Ortho « HR »')",
            "INSERT INTO ortho_ingests (id, layer, vintage, state, params_key, tms, chunk_log2, native_level, tiers, bbox)
             VALUES (7, 'ortho-hr', 2021, 'published', 'k', 'LAMB93_5cm_EPSG', 4, 20, '[[16, 20]]', '[0, 0, 1, 1]')",
            "INSERT INTO ortho_chunks (ingest_id, tier, cx, cy, width, height, bytes) VALUES (7, 0, 1, 2, 4096, 4096, 123456789012)",
            "INSERT INTO ortho_sources (ingest_id, path, status, code, scan) VALUES (7, 'a/b.tif', 'ingested', NULL, '{}')",
            "INSERT INTO ortho_vintages (layer, vintage, ingest_id) VALUES ('ortho-hr', 2021, 7)",
            "INSERT INTO ortho_composites (id, layer, state, trigger_ingest, native_level, tiers, bbox, sources)
             VALUES (3, 'ortho-hr', 'published', 7, 20, '[[16, 20]]', '[0, 0, 1, 1]', '[7]')",
            "INSERT INTO ortho_composite_chunks (composite_id, tier, cx, cy, width, height, path) VALUES (3, 0, 1, 2, 256, 256, NULL)",
            "UPDATE ortho_layers SET composite_id = 3",
        ] {
            sqlx::query(sql).execute(&r.pool).await.unwrap();
        }
    }

    #[tokio::test]
    async fn a_registry_is_copied_whole_between_backends_and_back() {
        let dir = std::env::temp_dir().join(format!("geocentre-copy-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let locs = crate::test_support::both_catalogs(&dir).await;
        let sqlite = Registry::connect(&locs[0], Migrate::Apply).await.unwrap();
        let pg = Registry::connect(&locs[1], Migrate::Apply).await.unwrap();
        // The list above is the schema's, on both engines.
        for r in [&sqlite, &pg] {
            let mut want: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
            want.sort();
            assert_eq!(r.tables().await.unwrap(), want, "{r:?}");
        }
        fill(&sqlite).await;
        let g = sqlite.generation().await.unwrap();
        let report = sqlite.copy_to(&pg).await.unwrap();
        assert_eq!(report.generation, g + 1);
        assert_eq!(pg.generation().await.unwrap(), g + 1);
        let mut a = dump(&sqlite).await;
        let mut b = dump(&pg).await;
        // The generation moved on purpose.
        a.retain(|(t, _)| t != "catalog_state");
        b.retain(|(t, _)| t != "catalog_state");
        assert_eq!(a, b);
        // Ids continue after the copied ones.
        let next = pg.begin_vector_ingest("other", None).await.unwrap();
        assert!(next > 1, "identity restarted at {next}");
        // A registry that holds data is not overwritten.
        let e = sqlite.copy_to(&pg).await.unwrap_err();
        assert!(e.to_string().contains("already holds data"), "{e}");
        // And back, into a new embedded registry.
        let back = Registry::connect(
            &geocentre_core::config::CatalogLocation::Sqlite(dir.join("back.sqlite")),
            Migrate::Apply,
        )
        .await
        .unwrap();
        pg.copy_to(&back).await.unwrap();
        let mut c = dump(&back).await;
        let mut b = dump(&pg).await;
        c.retain(|(t, _)| t != "catalog_state");
        b.retain(|(t, _)| t != "catalog_state");
        assert_eq!(b, c);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
