//! The registry database: SQLite (embedded) or PostgreSQL (scale-out).
//!
//! One set of queries serves both, through sqlx's `Any` driver: the SQL is
//! written in the dialect both engines share (`$1` placeholders, `ON
//! CONFLICT`, `RETURNING`, integers and text only), and the clock is read
//! here and bound as a parameter instead of calling the engine's date
//! functions. What differs — connection settings, isolation, the migration
//! files — is in this module only, so no business logic is written twice.
//! `tests/migrations_parity.rs` checks that both migration sets build the
//! same tables, columns and constraints.

use geocentre_core::config::{redact_url, CatalogLocation};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("registry database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("registry migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("registry record is inconsistent: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the registry database {0} is at schema version {1}, this program needs {2}: \
         run `geocentre migrate` (docs/deployment.md)"
    )]
    Outdated(String, i64, i64),
    #[error(
        "the registry database {0} is at schema version {1}, newer than this program knows \
         ({2}): upgrade geocentre"
    )]
    TooNew(String, i64, i64),
}

/// Which engine holds the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Whether [`Registry::connect`] brings the schema up to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Migrate {
    /// Apply the missing migrations (the embedded database, owned by the
    /// process that opens it; `geocentre migrate`).
    Apply,
    /// Refuse a database whose schema is not exactly this program's: a
    /// shared database is migrated by the operator, once, before the
    /// replicas are upgraded (docs/deployment.md).
    Check,
}

/// sqlx logs every statement over a second with its full text: bulk
/// inserts (a synthetic catalog, copy-store) would fill the log with
/// parameters. Only statements over 10 s are worth a warning.
fn quiet(opts: AnyConnectOptions) -> AnyConnectOptions {
    use sqlx::ConnectOptions;
    opts.log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(10))
}

#[derive(Clone)]
pub struct Registry {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// The PostgreSQL URL, for the LISTEN connection.
    listen_url: Option<String>,
    /// For messages: the path, or the URL without its password.
    shown: String,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Registry({} {})", self.backend.as_str(), self.shown)
    }
}

impl Registry {
    /// Opens (creating if needed) `<data_dir>/catalog.sqlite` and migrates it.
    pub async fn open(data_dir: &Path) -> Result<Registry, RegistryError> {
        Registry::connect(
            &CatalogLocation::Sqlite(data_dir.join("catalog.sqlite")),
            Migrate::Apply,
        )
        .await
    }

    /// Connects to the catalog `[store] catalog` names.
    pub async fn connect(
        location: &CatalogLocation,
        migrate: Migrate,
    ) -> Result<Registry, RegistryError> {
        sqlx::any::install_default_drivers();
        let registry = match location {
            CatalogLocation::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        RegistryError::Invalid(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
                let url = format!("sqlite://{}?mode=rwc", path.display());
                let pool = AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets servers read while an ingest process
                            // writes; a writer waits up to 30 s for another.
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(quiet(AnyConnectOptions::from_str(&url)?))
                    .await?;
                Registry {
                    pool,
                    backend: Backend::Sqlite,
                    listen_url: None,
                    shown: path.display().to_string(),
                }
            }
            CatalogLocation::Postgres(url) => {
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    // A replica whose database is down answers 503 quickly
                    // instead of queueing requests behind a dead pool.
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(quiet(AnyConnectOptions::from_str(url)?))
                    .await?;
                Registry {
                    pool,
                    backend: Backend::Postgres,
                    listen_url: Some(url.clone()),
                    shown: redact_url(url),
                }
            }
        };
        match migrate {
            Migrate::Apply => {
                registry.migrate().await?;
            }
            Migrate::Check => registry.check_schema().await?,
        }
        Ok(registry)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database, for messages (a URL without its password).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// The schema version this program expects.
    pub fn expected_version(&self) -> i64 {
        self.migrator().iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Applies the missing migrations; returns the versions applied. On
    /// PostgreSQL, sqlx holds an advisory lock meanwhile, so two processes
    /// migrating at once do not collide.
    pub async fn migrate(&self) -> Result<Vec<i64>, RegistryError> {
        let before = self.applied_version().await.unwrap_or(0);
        self.migrator().run(&self.pool).await?;
        Ok(self
            .migrator()
            .iter()
            .map(|m| m.version)
            .filter(|v| *v > before)
            .collect())
    }

    /// The highest migration applied (0 on an empty database).
    pub async fn applied_version(&self) -> Result<i64, RegistryError> {
        let exists: i64 = match self.backend {
            Backend::Sqlite => {
                sqlx::query_scalar(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
                )
                .fetch_one(&self.pool)
                .await?
            }
            Backend::Postgres => {
                sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE tablename = '_sqlx_migrations' AND schemaname = current_schema()")
                    .fetch_one(&self.pool)
                    .await?
            }
        };
        if exists == 0 {
            return Ok(0);
        }
        let v: Option<i64> =
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success = $1")
                .bind(true)
                .fetch_one(&self.pool)
                .await?;
        Ok(v.unwrap_or(0))
    }

    /// Refuses a schema older or newer than this program's.
    pub async fn check_schema(&self) -> Result<(), RegistryError> {
        let have = self.applied_version().await?;
        let want = self.expected_version();
        if have < want {
            return Err(RegistryError::Outdated(self.shown.clone(), have, want));
        }
        if have > want {
            return Err(RegistryError::TooNew(self.shown.clone(), have, want));
        }
        Ok(())
    }

    pub async fn generation(&self) -> Result<i64, RegistryError> {
        let g: i64 = sqlx::query_scalar("SELECT generation FROM catalog_state WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(g)
    }

    /// A transaction that changes the registry. Its first statement takes
    /// the registry's write lock (the `catalog_state` row): writers run one
    /// at a time on both engines, as SQLite always did, so that
    /// read-then-write steps (resuming an ingest, moving a pointer) never
    /// interleave, and SQLite never has to upgrade a read lock (which can
    /// fail with "database is locked" instead of waiting).
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'_, sqlx::Any>, RegistryError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE catalog_state SET generation = generation WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// A transaction that only reads, and sees one state of the registry
    /// through all its statements (a snapshot load reads many tables).
    /// SQLite's read transactions are that already; PostgreSQL's default
    /// (read committed) is not.
    pub(crate) async fn begin_read(
        &self,
    ) -> Result<sqlx::Transaction<'_, sqlx::Any>, RegistryError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }
}

/// Notifications of registry changes (PostgreSQL `LISTEN`), for servers
/// that share the registry with other processes.
pub struct ChangeListener {
    inner: sqlx::postgres::PgListener,
}

impl ChangeListener {
    /// Waits until the registry may have changed: a change was notified,
    /// or the connection was lost and re-established (notifications sent
    /// meanwhile are lost: the caller checks the generation either way).
    /// An error means the database cannot be reached now.
    pub async fn next(&mut self) -> Result<(), RegistryError> {
        self.inner.try_recv().await?;
        Ok(())
    }
}

impl Registry {
    /// A listener of changes, for the backends that can push them (None on
    /// SQLite: its one server polls).
    pub async fn listen(&self) -> Result<Option<ChangeListener>, RegistryError> {
        let Some(url) = &self.listen_url else {
            return Ok(None);
        };
        let mut inner = sqlx::postgres::PgListener::connect(url).await?;
        inner.listen("geocentre_catalog").await?;
        Ok(Some(ChangeListener { inner }))
    }
}

/// Marks the registry changed, inside the transaction that changes it:
/// servers reload their snapshot when the generation moves, so readers see
/// the change whole or not at all.
pub(crate) async fn bump_generation(tx: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE catalog_state SET generation = generation + 1 WHERE id = 1")
        .execute(tx)
        .await?;
    Ok(())
}

/// Now, in Unix seconds: the `ended_at` clock of the garbage collector.
pub(crate) fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Now, as the ISO 8601 UTC text the `*_at` columns hold
/// (`2026-12-07T18:15:59Z`, what the migrations' defaults write).
pub(crate) fn now_iso() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
