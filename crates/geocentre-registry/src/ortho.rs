//! Bookkeeping of orthophoto ingests: resumable, published by one transaction.

use crate::db::{Registry, RegistryError};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;

/// Where a stored chunk COG lives in the object store. The layout is the
/// registry's business: ingest writes there and readers derive it, so the
/// registry stores no path per chunk.
pub fn chunk_path(base: &str, lo: u8, hi: u8, cx: i64, cy: i64) -> String {
    format!("{base}/L{lo}-{hi}/{cx}-{cy}.tif")
}

pub fn ingest_base(layer: &str, vintage: i32, ingest_id: i64) -> String {
    format!("ortho/{layer}/{vintage}/g{ingest_id}")
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRecord {
    pub path: String,
    pub ingested: bool,
    pub code: Option<String>,
    /// The scan report of the file, as produced by the raster crate.
    pub scan: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct IngestRow {
    pub ingest_id: i64,
    pub layer: String,
    pub vintage: i32,
    pub state: String,
    pub producer: Option<String>,
    pub native_level: Option<u8>,
    pub files: i64,
    pub rejected: i64,
    pub chunks: i64,
    pub created_at: String,
    pub published_at: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct BeginIngest<'a> {
    pub layer: &'a str,
    pub vintage: i32,
    pub producer: Option<&'a str>,
    pub params_key: &'a str,
    pub tms: &'a str,
    pub chunk_log2: u8,
    /// Painting priority in the layer's composite (higher wins).
    pub priority: i64,
    pub acquired: Option<&'a str>,
}

pub struct Begun {
    pub ingest_id: i64,
    pub resumed: bool,
    /// Building ingests of the same vintage abandoned for different inputs:
    /// their files can be deleted.
    pub abandoned: Vec<i64>,
}

impl Registry {
    pub async fn ensure_ortho_layer(&self, name: &str, title: &str) -> Result<(), RegistryError> {
        sqlx::query(
            "INSERT INTO ortho_layers (name, title) VALUES ($1, $2)
             ON CONFLICT(name) DO UPDATE SET title = excluded.title",
        )
        .bind(name)
        .bind(title)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sets how maps resample the layer. False when there is no such layer.
    pub async fn set_ortho_resampling(
        &self,
        name: &str,
        resampling: geocentre_core::Resampling,
    ) -> Result<bool, RegistryError> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE ortho_layers SET resampling = $1 WHERE name = $2")
            .bind(resampling.as_str())
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        crate::db::bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    pub async fn ortho_layer_title(&self, name: &str) -> Result<Option<String>, RegistryError> {
        Ok(
            sqlx::query_scalar("SELECT title FROM ortho_layers WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Starts an ingest, or resumes the building one with the same inputs.
    pub async fn begin_ingest(&self, b: &BeginIngest<'_>) -> Result<Begun, RegistryError> {
        let BeginIngest {
            layer,
            vintage,
            producer,
            params_key,
            tms,
            chunk_log2,
            priority,
            acquired,
        } = *b;
        let mut tx = self.begin_write().await?;
        let building: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, params_key FROM ortho_ingests
             WHERE layer = $1 AND vintage = $2 AND state = 'building'",
        )
        .bind(layer)
        .bind(vintage)
        .fetch_all(&mut *tx)
        .await?;
        let mut abandoned = Vec::new();
        let mut resumed = None;
        for (id, key) in building {
            if key == params_key && resumed.is_none() {
                resumed = Some(id);
            } else {
                abandoned.push(id);
            }
        }
        for id in &abandoned {
            sqlx::query("UPDATE ortho_ingests SET state = 'failed', ended_at = $2 WHERE id = $1")
                .bind(id)
                .bind(crate::db::now_unix())
                .execute(&mut *tx)
                .await?;
        }
        let (ingest_id, was_resumed) = match resumed {
            Some(id) => {
                // Descriptive fields and the priority do not change the
                // pixels of the vintage: a re-run may correct them.
                sqlx::query(
                    "UPDATE ortho_ingests SET producer = $1, priority = $2, acquired = $3 WHERE id = $4",
                )
                .bind(producer)
                .bind(priority)
                .bind(acquired)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (id, true)
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO ortho_ingests (layer, vintage, producer, state, params_key, tms, chunk_log2, priority, acquired)
                     VALUES ($1, $2, $3, 'building', $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(layer)
                .bind(vintage)
                .bind(producer)
                .bind(params_key)
                .bind(tms)
                .bind(i64::from(chunk_log2))
                .bind(priority)
                .bind(acquired)
                .fetch_one(&mut *tx)
                .await?;
                (id, false)
            }
        };
        tx.commit().await?;
        Ok(Begun {
            ingest_id,
            resumed: was_resumed,
            abandoned,
        })
    }

    pub async fn set_plan(
        &self,
        ingest_id: i64,
        native_level: u8,
        tiers: &[(u8, u8)],
        bbox: [f64; 4],
    ) -> Result<(), RegistryError> {
        let tiers =
            serde_json::to_string(tiers).map_err(|e| RegistryError::Corrupt(e.to_string()))?;
        let bbox =
            serde_json::to_string(&bbox).map_err(|e| RegistryError::Corrupt(e.to_string()))?;
        sqlx::query(
            "UPDATE ortho_ingests SET native_level = $1, tiers = $2, bbox = $3 WHERE id = $4",
        )
        .bind(i64::from(native_level))
        .bind(tiers)
        .bind(bbox)
        .bind(ingest_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn record_sources(
        &self,
        ingest_id: i64,
        sources: &[SourceRecord],
    ) -> Result<(), RegistryError> {
        let mut tx = self.begin_write().await?;
        for s in sources {
            sqlx::query(
                "INSERT INTO ortho_sources (ingest_id, path, status, code, scan) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT(ingest_id, path) DO UPDATE SET status = excluded.status,
                     code = excluded.code, scan = excluded.scan",
            )
            .bind(ingest_id)
            .bind(&s.path)
            .bind(if s.ingested { "ingested" } else { "rejected" })
            .bind(&s.code)
            .bind(s.scan.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Chunks already stored by this ingest, with their pixel sizes.
    pub async fn done_chunks(
        &self,
        ingest_id: i64,
    ) -> Result<HashMap<(u8, i64, i64), (u32, u32)>, RegistryError> {
        let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT tier, cx, cy, width, height FROM ortho_chunks WHERE ingest_id = $1",
        )
        .bind(ingest_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(t, cx, cy, w, h)| ((t as u8, cx, cy), (w as u32, h as u32)))
            .collect())
    }

    /// Records a chunk whose file is already fully written (after the rename).
    pub async fn record_chunk(
        &self,
        ingest_id: i64,
        tier: u8,
        cx: i64,
        cy: i64,
        size: (u32, u32),
        bytes: u64,
    ) -> Result<(), RegistryError> {
        sqlx::query(
            "INSERT INTO ortho_chunks (ingest_id, tier, cx, cy, width, height, bytes)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (ingest_id, tier, cx, cy) DO UPDATE SET width = excluded.width,
                 height = excluded.height, bytes = excluded.bytes",
        )
        .bind(ingest_id)
        .bind(i64::from(tier))
        .bind(cx)
        .bind(cy)
        .bind(i64::from(size.0))
        .bind(i64::from(size.1))
        .bind(bytes as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn forget_chunk(
        &self,
        ingest_id: i64,
        tier: u8,
        cx: i64,
        cy: i64,
    ) -> Result<(), RegistryError> {
        sqlx::query(
            "DELETE FROM ortho_chunks WHERE ingest_id = $1 AND tier = $2 AND cx = $3 AND cy = $4",
        )
        .bind(ingest_id)
        .bind(i64::from(tier))
        .bind(cx)
        .bind(cy)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Makes the ingest the vintage's published one and, with it, the
    /// layer's new composite version, in one transaction: readers see both
    /// or neither. Returns the ingest it replaced.
    pub async fn publish_ingest(
        &self,
        ingest_id: i64,
        report: &serde_json::Value,
        composite: Option<(i64, &serde_json::Value)>,
    ) -> Result<Option<i64>, RegistryError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT layer, vintage, state FROM ortho_ingests WHERE id = $1")
            .bind(ingest_id)
            .fetch_one(&mut *tx)
            .await?;
        let layer: String = row.try_get("layer")?;
        let vintage: i64 = row.try_get("vintage")?;
        let state: String = row.try_get("state")?;
        if state != "building" {
            return Err(RegistryError::Invalid(format!(
                "ingest {ingest_id} is {state}, not building"
            )));
        }
        let previous: Option<i64> = sqlx::query_scalar(
            "SELECT ingest_id FROM ortho_vintages WHERE layer = $1 AND vintage = $2",
        )
        .bind(&layer)
        .bind(vintage)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(prev) = previous {
            sqlx::query(
                "UPDATE ortho_ingests SET state = 'superseded', ended_at = $2 WHERE id = $1",
            )
            .bind(prev)
            .bind(crate::db::now_unix())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE ortho_ingests SET state = 'published', report = $1,
                 published_at = $3 WHERE id = $2",
        )
        .bind(report.to_string())
        .bind(ingest_id)
        .bind(crate::db::now_iso())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO ortho_vintages (layer, vintage, ingest_id) VALUES ($1, $2, $3)
             ON CONFLICT(layer, vintage) DO UPDATE SET ingest_id = excluded.ingest_id",
        )
        .bind(&layer)
        .bind(vintage)
        .bind(ingest_id)
        .execute(&mut *tx)
        .await?;
        if let Some((id, report)) = composite {
            crate::composite::publish_in(&mut tx, &layer, id, report).await?;
        }
        crate::db::bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(previous)
    }

    pub async fn fail_ingest(
        &self,
        ingest_id: i64,
        report: &serde_json::Value,
    ) -> Result<(), RegistryError> {
        sqlx::query("UPDATE ortho_ingests SET state = 'failed', report = $1, ended_at = $3 WHERE id = $2 AND state = 'building'")
            .bind(report.to_string())
            .bind(ingest_id)
            .bind(crate::db::now_unix()).execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks every ingest and composite version still building as failed,
    /// and returns their ids (`ortho gc --abandon-building`). Nothing
    /// tells a run killed and never resumed from one still running: the
    /// operator, who knows no ingest is running, says so. Their files are
    /// then collected like those of any failed run, after the grace period.
    pub async fn abandon_building(&self) -> Result<(Vec<i64>, Vec<i64>), RegistryError> {
        let now = crate::db::now_unix();
        let mut tx = self.begin_write().await?;
        let ingests: Vec<(i64,)> = sqlx::query_as(
            "UPDATE ortho_ingests SET state = 'failed', ended_at = $1 WHERE state = 'building' RETURNING id",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        let composites: Vec<(i64,)> = sqlx::query_as(
            "UPDATE ortho_composites SET state = 'failed', ended_at = $1 WHERE state = 'building' RETURNING id",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let ids = |v: Vec<(i64,)>| v.into_iter().map(|(id,)| id).collect::<Vec<_>>();
        Ok((ids(ingests), ids(composites)))
    }

    /// Every ingest, newest first, with file and chunk counts.
    pub async fn list_ingests(&self) -> Result<Vec<IngestRow>, RegistryError> {
        let rows = sqlx::query(
            "SELECT i.id, i.layer, i.vintage, i.state, i.producer, i.native_level, i.created_at, i.published_at,
                    (SELECT count(*) FROM ortho_sources s WHERE s.ingest_id = i.id) AS files,
                    (SELECT count(*) FROM ortho_sources s WHERE s.ingest_id = i.id AND s.status = 'rejected') AS rejected,
                    (SELECT count(*) FROM ortho_chunks c WHERE c.ingest_id = i.id) AS chunks
             FROM ortho_ingests i ORDER BY i.layer, i.vintage DESC, i.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let native: Option<i64> = r.try_get("native_level")?;
                let vintage: i64 = r.try_get("vintage")?;
                Ok(IngestRow {
                    ingest_id: r.try_get("id")?,
                    layer: r.try_get("layer")?,
                    vintage: vintage as i32,
                    state: r.try_get("state")?,
                    producer: r.try_get("producer")?,
                    native_level: native.map(|n| n as u8),
                    files: r.try_get("files")?,
                    rejected: r.try_get("rejected")?,
                    chunks: r.try_get("chunks")?,
                    created_at: r.try_get("created_at")?,
                    published_at: r.try_get("published_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Ingests whose files have been unreferenced (superseded or failed) for
    /// at least `grace_s` seconds: servers may still read them for a moment
    /// after a publication, so their files are removed later.
    pub async fn dead_ingests(
        &self,
        grace_s: i64,
    ) -> Result<Vec<(i64, String, i32)>, RegistryError> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, layer, vintage FROM ortho_ingests
             WHERE state IN ('superseded', 'failed') AND files_removed = 0
               AND ended_at IS NOT NULL AND ended_at <= $2 - $1",
        )
        .bind(grace_s)
        .bind(crate::db::now_unix())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(a, b, c)| (a, b, c as i32)).collect())
    }

    /// Marks a dead ingest's files as removed and forgets its chunks.
    pub async fn files_removed(&self, ingest_id: i64) -> Result<(), RegistryError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM ortho_chunks WHERE ingest_id = $1")
            .bind(ingest_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE ortho_ingests SET files_removed = 1 WHERE id = $1")
            .bind(ingest_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
