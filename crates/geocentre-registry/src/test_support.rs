//! Real databases for the tests of every crate that keeps data in the
//! registry: each test gets a new SQLite file and a new PostgreSQL
//! database, so that the same test runs on both backends.
//!
//! PostgreSQL is the server `GEOCENTRE_TEST_POSTGRES` names (an admin URL
//! that may create databases; `make test` starts one), or, when unset, a
//! throwaway cluster this process starts with `scripts/pg-test-cluster.sh`
//! and that stops when the process ends. A missing server is an error,
//! never a skipped test.

use geocentre_core::config::CatalogLocation;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

static ADMIN_URL: OnceLock<Result<String, String>> = OnceLock::new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The admin URL of the test PostgreSQL server, starting one if needed.
pub fn postgres_admin_url() -> Result<String, String> {
    ADMIN_URL
        .get_or_init(|| {
            if let Ok(url) = std::env::var("GEOCENTRE_TEST_POSTGRES") {
                if !url.trim().is_empty() {
                    return Ok(url);
                }
            }
            // A free port from the kernel; another process may take it
            // before the server binds it, so a failed start is retried.
            let mut last = String::new();
            for attempt in 0..5 {
                let port = std::net::TcpListener::bind("127.0.0.1:0")
                    .and_then(|l| l.local_addr())
                    .map(|a| a.port())
                    .map_err(|e| format!("no free port: {e}"))?;
                let dir = std::env::temp_dir()
                    .join(format!("geocentre-pg-{}-{attempt}", std::process::id()));
                let out = std::process::Command::new("bash")
                    .arg(repo_root().join("scripts/pg-test-cluster.sh"))
                    .arg("start")
                    .arg(&dir)
                    .arg(port.to_string())
                    .arg(std::process::id().to_string())
                    .output()
                    .map_err(|e| format!("cannot run scripts/pg-test-cluster.sh: {e}"))?;
                if out.status.success() {
                    return Ok(String::from_utf8_lossy(&out.stdout).trim().to_string());
                }
                last = String::from_utf8_lossy(&out.stderr).into_owned();
                let _ = std::fs::remove_dir_all(&dir);
            }
            Err(format!("scripts/pg-test-cluster.sh failed: {last}"))
        })
        .clone()
}

/// A new, empty PostgreSQL database (with PostGIS) for one test.
pub async fn new_postgres_database() -> Result<String, String> {
    use sqlx::Connection;
    let admin = postgres_admin_url()?;
    sqlx::any::install_default_drivers();
    let name = format!(
        "geocentre_t{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .map_err(|e| format!("cannot connect to the test PostgreSQL server: {e}"))?;
    // The name is ours (digits and underscores), never from input.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

/// Both catalogs, new and empty: a SQLite file in `dir`, and a PostgreSQL
/// database.
pub async fn both_catalogs(dir: &std::path::Path) -> Vec<CatalogLocation> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let pg = match new_postgres_database().await {
        Ok(url) => url,
        Err(e) => panic!("{e}"),
    };
    vec![
        CatalogLocation::Sqlite(dir.join(format!("catalog-{n}.sqlite"))),
        CatalogLocation::Postgres(pg),
    ]
}
