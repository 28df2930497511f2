//! Bookkeeping of vector datasets: one GeoPackage per published ingest, or
//! PostGIS tables and views read in place (`geocentre vector connect`).

use crate::db::{Registry, RegistryError};
use serde::{Deserialize, Serialize};
use sqlx::Row;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FieldDef {
    /// Its name in the stored table and in every service: an XML NCName
    /// (geocentre_core::names), safe as an element name.
    pub name: String,
    /// OGR type name: Integer, Integer64, Real, String, Date, DateTime…
    #[serde(rename = "type")]
    pub kind: String,
    /// The name in the delivered file, when it was not an XML name and was
    /// mapped to `name` at ingest (shown as the field's title or alias).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VectorLayerRecord {
    pub name: String,
    pub title: String,
    pub table_name: String,
    pub geometry_type: String,
    pub srid: i64,
    pub has_z: bool,
    pub feature_count: i64,
    pub bbox: [f64; 4],
    pub bbox_wgs84: [f64; 4],
    pub fields: Vec<FieldDef>,
    pub source: String,
    /// Its GeoPackage, relative to the data directory ("" when in PostGIS).
    pub file: String,
    /// Set when the layer is a PostGIS table or view read in place: the
    /// feature store reads it there instead of from a GeoPackage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postgis: Option<PostgisSource>,
    /// SHA-256 (hex) of `file`, recorded at ingest: a replica that keeps
    /// a local copy of a GeoPackage fetched from the object store checks
    /// it before use. None for PostGIS layers and older ingests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Size of `file` in bytes, with `sha256`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
}

/// Where a layer read in place from PostGIS lives. Identifiers come from the
/// database's own catalog at `connect` time and are only ever written into
/// SQL quoted; no password is ever recorded here (docs/configuration.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PostgisSource {
    /// `postgres://user@host:port/db[?sslmode=…]`, without password: each
    /// server finds it in `~/.pgpass` (or `PGPASSFILE`, `PGPASSWORD`).
    pub connection: String,
    pub schema: String,
    /// A table, view or materialized view.
    pub table: String,
    /// The integer column giving each feature its identifier (the primary
    /// key of a table, `--fid` for a view).
    pub fid: String,
    /// The geometry column; None for a table without one.
    #[serde(default)]
    pub geometry: Option<String>,
    /// The PostGIS SRID of the geometry column (the EPSG code the layer's
    /// `srid` gives, unless spatial_ref_sys numbers it otherwise).
    #[serde(default)]
    pub srid: i64,
    /// The column of each field, in the order of the layer's `fields`.
    pub columns: Vec<PostgisColumn>,
}

/// A table column behind a field: its name (the field's may differ when
/// the column's is not an XML name) and its PostgreSQL type.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PostgisColumn {
    pub name: String,
    pub pg_type: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VectorDatasetRow {
    pub name: String,
    pub title: String,
    pub access: String,
    pub ingest_id: i64,
    pub file: String,
    pub published_at: Option<String>,
    pub layers: Vec<VectorLayerRecord>,
}

impl Registry {
    /// Starts an ingest of `dataset`. The title changes only when given.
    pub async fn begin_vector_ingest(
        &self,
        dataset: &str,
        title: Option<&str>,
    ) -> Result<i64, RegistryError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO vector_datasets (name, title) VALUES ($1, COALESCE($2, $3))
             ON CONFLICT(name) DO UPDATE SET title = COALESCE($4, vector_datasets.title)",
        )
        .bind(dataset)
        .bind(title)
        .bind(dataset)
        .bind(title)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO vector_ingests (dataset, state, file) VALUES ($1, 'building', '') RETURNING id",
        )
        .bind(dataset)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Publishes ingest `id` (its file fully written) as the dataset's
    /// content, in one transaction with its layer records.
    pub async fn publish_vector_ingest(
        &self,
        id: i64,
        file: &str,
        layers: &[VectorLayerRecord],
        report: &serde_json::Value,
    ) -> Result<Option<i64>, RegistryError> {
        let mut tx = self.begin_write().await?;
        let dataset: String = sqlx::query_scalar(
            "SELECT dataset FROM vector_ingests WHERE id = $1 AND state = 'building'",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| RegistryError::Invalid(format!("vector ingest {id} is not building")))?;
        for l in layers {
            sqlx::query(
                "INSERT INTO vector_layers (ingest_id, name, title, table_name, geometry_type, srid,
                     has_z, feature_count, bbox, bbox_wgs84, fields, source, file, postgis,
                     sha256, size)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            )
            .bind(id)
            .bind(&l.name)
            .bind(&l.title)
            .bind(&l.table_name)
            .bind(&l.geometry_type)
            .bind(l.srid)
            .bind(i64::from(l.has_z))
            .bind(l.feature_count)
            .bind(json(&l.bbox)?)
            .bind(json(&l.bbox_wgs84)?)
            .bind(json(&l.fields)?)
            .bind(&l.source)
            .bind(&l.file)
            .bind(l.postgis.as_ref().map(json).transpose()?)
            .bind(l.sha256.as_deref())
            .bind(l.size)
            .execute(&mut *tx)
            .await?;
        }
        let previous: Option<i64> =
            sqlx::query_scalar("SELECT current_ingest FROM vector_datasets WHERE name = $1")
                .bind(&dataset)
                .fetch_one(&mut *tx)
                .await?;
        if let Some(prev) = previous {
            sqlx::query(
                "UPDATE vector_ingests SET state = 'superseded', ended_at = $2 WHERE id = $1",
            )
            .bind(prev)
            .bind(crate::db::now_unix())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE vector_ingests SET state = 'published', file = $1, report = $2,
                 published_at = $4 WHERE id = $3",
        )
        .bind(file)
        .bind(report.to_string())
        .bind(id)
        .bind(crate::db::now_iso())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE vector_datasets SET current_ingest = $1 WHERE name = $2")
            .bind(id)
            .bind(&dataset)
            .execute(&mut *tx)
            .await?;
        crate::db::bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(previous)
    }

    pub async fn fail_vector_ingest(
        &self,
        id: i64,
        report: &serde_json::Value,
    ) -> Result<(), RegistryError> {
        sqlx::query(
            "UPDATE vector_ingests SET state = 'failed', report = $1, ended_at = $3
             WHERE id = $2 AND state = 'building'",
        )
        .bind(report.to_string())
        .bind(id)
        .bind(crate::db::now_unix())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Published datasets with their layers.
    pub async fn vector_datasets(&self) -> Result<Vec<VectorDatasetRow>, RegistryError> {
        let mut tx = self.begin_read().await?;
        let out = vector_datasets_in(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Vector ingests unreferenced for `grace_s` seconds, with their files.
    pub async fn dead_vector_ingests(
        &self,
        grace_s: i64,
    ) -> Result<Vec<(i64, String)>, RegistryError> {
        Ok(sqlx::query_as(
            "SELECT id, file FROM vector_ingests
             WHERE state IN ('superseded', 'failed') AND files_removed = 0
               AND ended_at IS NOT NULL AND ended_at <= $2 - $1",
        )
        .bind(grace_s)
        .bind(crate::db::now_unix())
        .fetch_all(&self.pool)
        .await?)
    }

    /// The GeoPackages whose layers have no checksum yet (ingests published
    /// before checksums were recorded), by path.
    pub async fn vector_files_without_checksum(&self) -> Result<Vec<String>, RegistryError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT file FROM vector_layers
             WHERE sha256 IS NULL AND postgis IS NULL AND file <> '' ORDER BY file",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records the checksum and size of the GeoPackage `file` on the
    /// layers it holds that have none (`geocentre copy-store` into a
    /// bucket: the replicas' caches need them).
    pub async fn set_vector_checksum(
        &self,
        file: &str,
        sha256: &str,
        size: i64,
    ) -> Result<(), RegistryError> {
        sqlx::query(
            "UPDATE vector_layers SET sha256 = $1, size = $2 WHERE file = $3 AND sha256 IS NULL",
        )
        .bind(sha256)
        .bind(size)
        .bind(file)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn vector_files_removed(&self, id: i64) -> Result<(), RegistryError> {
        sqlx::query("UPDATE vector_ingests SET files_removed = 1 WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// JSON text of a record field.
fn json<T: Serialize>(v: &T) -> Result<String, RegistryError> {
    serde_json::to_string(v).map_err(|e| RegistryError::Corrupt(e.to_string()))
}

/// Published datasets with their layers, read on `conn` (the snapshot's
/// read transaction: datasets, styles and groups are seen at the same
/// instant as the imagery).
pub(crate) async fn vector_datasets_in(
    conn: &mut sqlx::AnyConnection,
) -> Result<Vec<VectorDatasetRow>, RegistryError> {
    let rows = sqlx::query(
        "SELECT d.name, d.title, d.access, i.id, i.file, i.published_at
         FROM vector_datasets d JOIN vector_ingests i ON i.id = d.current_ingest
         WHERE i.state = 'published' ORDER BY d.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let layer_rows = sqlx::query(
            "SELECT name, title, table_name, geometry_type, srid, has_z, feature_count, bbox,
                    bbox_wgs84, fields, source, file, postgis, sha256, size
             FROM vector_layers WHERE ingest_id = $1 ORDER BY name",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let corrupt = |w: &str| RegistryError::Corrupt(format!("vector ingest {id}: {w}"));
        let mut layers = Vec::new();
        for l in layer_rows {
            let parse = |col: &str| -> Result<String, RegistryError> {
                l.try_get::<String, _>(col).map_err(Into::into)
            };
            layers.push(VectorLayerRecord {
                name: l.try_get("name")?,
                title: l.try_get("title")?,
                table_name: l.try_get("table_name")?,
                geometry_type: l.try_get("geometry_type")?,
                srid: l.try_get("srid")?,
                has_z: l.try_get::<i64, _>("has_z")? != 0,
                feature_count: l.try_get("feature_count")?,
                bbox: serde_json::from_str(&parse("bbox")?).map_err(|_| corrupt("bbox"))?,
                bbox_wgs84: serde_json::from_str(&parse("bbox_wgs84")?)
                    .map_err(|_| corrupt("bbox_wgs84"))?,
                fields: serde_json::from_str(&parse("fields")?).map_err(|_| corrupt("fields"))?,
                source: l.try_get("source")?,
                file: l.try_get("file")?,
                postgis: l
                    .try_get::<Option<String>, _>("postgis")?
                    .map(|t| serde_json::from_str(&t).map_err(|_| corrupt("postgis")))
                    .transpose()?,
                sha256: l.try_get("sha256")?,
                size: l.try_get("size")?,
            });
        }
        out.push(VectorDatasetRow {
            name: r.try_get("name")?,
            title: r.try_get("title")?,
            access: r.try_get("access")?,
            ingest_id: id,
            file: r.try_get("file")?,
            published_at: r.try_get("published_at")?,
            layers,
        });
    }
    Ok(out)
}
