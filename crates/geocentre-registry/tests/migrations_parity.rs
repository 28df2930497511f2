//! The two migration sets (migrations/sqlite, migrations/postgres) must
//! build the same registry: same migration versions, tables, columns
//! (type family, NOT NULL, default present), primary keys, foreign keys,
//! indexes and CHECK constraints. Both are applied to real, empty
//! databases and read back from the engines' catalogs.

use geocentre_core::config::CatalogLocation;
use geocentre_registry::{Migrate, Registry};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    versions: Vec<i64>,
    /// table → column → (type family, not null, has default)
    columns: BTreeMap<String, BTreeMap<String, (String, bool, bool)>>,
    primary_keys: BTreeMap<String, Vec<String>>,
    /// (table, columns, referenced table, referenced columns, on delete)
    foreign_keys: BTreeSet<(String, String, String, String, String)>,
    /// (table, columns, unique) of explicit indexes
    indexes: BTreeSet<(String, String, bool)>,
    /// table → the columns and literals its CHECK constraints name
    checks: BTreeMap<String, BTreeSet<String>>,
}

fn family(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
        "real"
    } else if t.contains("blob") || t.contains("bytea") {
        "blob"
    } else if t.contains("bool") {
        "boolean"
    } else {
        return t;
    }
    .to_string()
}

/// The identifiers and literals of CHECK expressions, whatever each engine
/// prints around them: `access IN ('public', …)` and
/// `((access = ANY (ARRAY['public'::text, …])))` give the same set.
fn check_terms(expr: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = expr;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            let end = rest[1..].find('\'').map_or(rest.len(), |i| i + 2);
            out.insert(rest[..end].to_string());
            rest = &rest[end..];
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let end = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            let word = rest[..end].to_ascii_lowercase();
            // Keywords and PostgreSQL's casts are not part of the meaning.
            if ![
                "check", "in", "any", "array", "text", "bigint", "and", "or", "not",
            ]
            .contains(&word.as_str())
            {
                out.insert(word);
            }
            rest = &rest[end..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The CHECK constraints of a CREATE TABLE statement as SQLite keeps it,
/// with the ones added by ALTER TABLE … ADD COLUMN (the statement is
/// rewritten to hold them).
fn sqlite_checks(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(i) = upper[from..].find("CHECK") {
        let start = from + i;
        let Some(open) = sql[start..].find('(').map(|o| start + o) else {
            break;
        };
        let mut depth = 0;
        let mut end = open;
        for (k, ch) in sql[open..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(sql[open..=end].to_string());
        from = end + 1;
    }
    out
}

async fn sqlite_schema(path: &std::path::Path) -> Schema {
    let url = format!("sqlite://{}", path.display());
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let mut s = Schema {
        versions: sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap(),
        ..Schema::default()
    };
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, sql) in tables {
        let cols = sqlx::query(
            "SELECT name, type, \"notnull\" AS nn, dflt_value IS NOT NULL AS has_default, pk
             FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in cols {
            let name: String = c.get("name");
            let ty: String = c.get("type");
            let nn: i64 = c.get("nn");
            let has_default: i64 = c.get("has_default");
            let pk_pos: i64 = c.get("pk");
            if pk_pos > 0 {
                pk.push((pk_pos, name.clone()));
            }
            // SQLite lets a primary key column be NULL unless declared
            // otherwise; PostgreSQL makes it NOT NULL. Compare the meaning.
            let nn = nn != 0 || pk_pos > 0;
            s.columns
                .entry(table.clone())
                .or_default()
                .insert(name, (family(&ty), nn, has_default != 0));
        }
        pk.sort();
        s.primary_keys
            .insert(table.clone(), pk.into_iter().map(|(_, n)| n).collect());
        let fks = sqlx::query(
            "SELECT id, \"from\" AS col, \"table\" AS ref, \"to\" AS refcol, on_delete
             FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, (Vec<String>, String, Vec<String>, String)> = BTreeMap::new();
        for f in fks {
            let e = by_id.entry(f.get("id")).or_default();
            e.0.push(f.get("col"));
            e.1 = f.get("ref");
            e.2.push(f.get("refcol"));
            e.3 = f.get::<String, _>("on_delete").to_ascii_lowercase();
        }
        for (_, (cols, r, rcols, del)) in by_id {
            s.foreign_keys
                .insert((table.clone(), cols.join(","), r, rcols.join(","), del));
        }
        let idx: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT name, \"unique\", origin FROM pragma_index_list($1) ORDER BY name",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        for (name, unique, origin) in idx {
            if origin != "c" {
                continue; // pk and unique constraints are compared above
            }
            let cols: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            s.indexes
                .insert((table.clone(), cols.join(","), unique != 0));
        }
        let checks = s.checks.entry(table.clone()).or_default();
        for c in sqlite_checks(&sql) {
            checks.extend(check_terms(&c));
        }
    }
    s.checks.retain(|_, v| !v.is_empty());
    s
}

async fn postgres_schema(url: &str) -> Schema {
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let mut s = Schema {
        versions: sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap(),
        ..Schema::default()
    };
    // PostGIS's own table is not ours.
    let ours =
        "table_schema = 'public' AND table_name NOT IN ('_sqlx_migrations', 'spatial_ref_sys')
        AND table_name IN (SELECT table_name FROM information_schema.tables
                           WHERE table_type = 'BASE TABLE' AND table_schema = 'public')";
    let cols = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty,
                (CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END)::int8 AS nn, (CASE WHEN column_default IS NOT NULL OR is_identity = 'YES' THEN 1 ELSE 0 END)::int8 AS d,
                is_identity::text AS ident
         FROM information_schema.columns WHERE {ours} ORDER BY table_name, ordinal_position"
    )))
    .fetch_all(&pool)
    .await
    .unwrap();
    for c in cols {
        let ident: String = c.get("ident");
        let d: i64 = c.get("d");
        // An identity column stands for SQLite's INTEGER PRIMARY KEY
        // AUTOINCREMENT, which pragma_table_info shows without a default.
        let has_default = d != 0 && ident != "YES";
        s.columns.entry(c.get("t")).or_default().insert(
            c.get("c"),
            (
                family(&c.get::<String, _>("ty")),
                c.get::<i64, _>("nn") != 0,
                has_default,
            ),
        );
    }
    let cons = sqlx::query(
        "SELECT con.contype::text AS kind, cl.relname::text AS t,
                (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(n, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS cols,
                coalesce(rc.relname::text, '') AS ref,
                coalesce((SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(n, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n), '') AS refcols,
                con.confdeltype::text AS del, pg_get_constraintdef(con.oid) AS def
         FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
         JOIN pg_namespace ns ON ns.oid = cl.relnamespace AND ns.nspname = 'public'
         LEFT JOIN pg_class rc ON rc.oid = con.confrelid
         WHERE cl.relname NOT IN ('_sqlx_migrations', 'spatial_ref_sys')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for c in cons {
        let kind: String = c.get("kind");
        let table: String = c.get("t");
        let cols: String = c.get::<Option<String>, _>("cols").unwrap_or_default();
        match kind.as_str() {
            "p" => {
                s.primary_keys
                    .insert(table, cols.split(',').map(str::to_string).collect());
            }
            "f" => {
                let del = match c.get::<String, _>("del").as_str() {
                    "c" => "cascade",
                    "n" => "set null",
                    "d" => "set default",
                    "r" => "restrict",
                    _ => "no action",
                };
                s.foreign_keys.insert((
                    table,
                    cols,
                    c.get("ref"),
                    c.get("refcols"),
                    del.to_string(),
                ));
            }
            "c" => {
                let def: String = c.get("def");
                s.checks.entry(table).or_default().extend(check_terms(&def));
            }
            other => panic!("constraint kind {other} on {table} has no SQLite counterpart here"),
        }
    }
    let idx: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT t.relname::text, (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord)
                   FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, ord)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n),
                (CASE WHEN ix.indisunique THEN 1 ELSE 0 END)::int8
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace AND ns.nspname = 'public'
         WHERE NOT ix.indisprimary AND t.relname NOT IN ('_sqlx_migrations', 'spatial_ref_sys')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (t, cols, unique) in idx {
        s.indexes.insert((t, cols, unique != 0));
    }
    s
}

#[tokio::test]
async fn both_migration_sets_build_the_same_registry() {
    let dir = std::env::temp_dir().join(format!("geocentre-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = dir.join("catalog.sqlite");
    let _ = std::fs::remove_file(&sqlite);
    let pg = geocentre_registry::test_support::new_postgres_database()
        .await
        .unwrap();
    for loc in [
        CatalogLocation::Sqlite(sqlite.clone()),
        CatalogLocation::Postgres(pg.clone()),
    ] {
        let reg = Registry::connect(&loc, Migrate::Apply).await.unwrap();
        assert_eq!(reg.applied_version().await.unwrap(), reg.expected_version());
        reg.check_schema().await.unwrap();
    }
    let a = sqlite_schema(&sqlite).await;
    let b = postgres_schema(&pg).await;
    assert!(!a.columns.is_empty() && !a.foreign_keys.is_empty() && !a.checks.is_empty());
    assert_eq!(a.versions, b.versions, "migration versions");
    assert_eq!(
        a.columns.keys().collect::<Vec<_>>(),
        b.columns.keys().collect::<Vec<_>>(),
        "tables"
    );
    for (table, cols) in &a.columns {
        assert_eq!(Some(cols), b.columns.get(table), "columns of {table}");
    }
    assert_eq!(a.primary_keys, b.primary_keys, "primary keys");
    assert_eq!(a.foreign_keys, b.foreign_keys, "foreign keys");
    assert_eq!(a.indexes, b.indexes, "indexes");
    assert_eq!(a.checks, b.checks, "CHECK constraints");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_shared_database_behind_this_program_is_refused_until_migrated() {
    let pg = geocentre_registry::test_support::new_postgres_database()
        .await
        .unwrap();
    let loc = CatalogLocation::Postgres(pg);
    match Registry::connect(&loc, Migrate::Check).await {
        Err(e) => assert!(e.to_string().contains("geocentre migrate"), "{e}"),
        Ok(_) => panic!("an empty shared database was accepted"),
    }
    let reg = Registry::connect(&loc, Migrate::Apply).await.unwrap();
    assert_eq!(
        reg.migrate().await.unwrap(),
        Vec::<i64>::new(),
        "idempotent"
    );
    Registry::connect(&loc, Migrate::Check).await.unwrap();
}
