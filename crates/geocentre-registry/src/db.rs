use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
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
}

#[derive(Clone)]
pub struct Registry {
    pub(crate) pool: SqlitePool,
}

impl Registry {
    /// Opens (creating if needed) `<data_dir>/catalog.sqlite` and migrates it.
    pub async fn open(data_dir: &Path) -> Result<Registry, RegistryError> {
        let path = data_dir.join("catalog.sqlite");
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            // WAL lets servers read while an ingest process writes.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Registry { pool })
    }

    pub async fn generation(&self) -> Result<i64, RegistryError> {
        let g: i64 = sqlx::query_scalar("SELECT generation FROM catalog_state WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(g)
    }
}

/// Marks the registry changed, inside the transaction that changes it:
/// servers reload their snapshot when the generation moves, so readers see
/// the change whole or not at all.
pub(crate) async fn bump_generation(tx: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE catalog_state SET generation = generation + 1 WHERE id = 1")
        .execute(tx)
        .await?;
    Ok(())
}
