//! Bookkeeping of composite versions: what a differential update reads
//! and records, and the reference checks that keep shared files alive.

use crate::db::{Registry, RegistryError};
use crate::ortho::ingest_base;
use sqlx::Row;
use std::collections::HashMap;

pub type ChunkKey = (u8, i64, i64);

/// A published vintage, as the composite builder sees it.
#[derive(Debug, Clone)]
pub struct VintageInput {
    pub ingest_id: i64,
    pub vintage: i32,
    pub priority: i64,
    pub native_level: u8,
    pub tiers: Vec<(u8, u8)>,
    /// Footprint of its dalles (Lambert-93).
    pub bbox: [f64; 4],
    pub base: String,
    pub chunks: HashMap<ChunkKey, (u32, u32)>,
}

/// The published composite of a layer.
#[derive(Debug, Clone)]
pub struct CompositeState {
    pub id: i64,
    pub native_level: u8,
    pub tiers: Vec<(u8, u8)>,
    pub sources: Vec<i64>,
}

/// Where composite versions of a layer write the chunks they build.
pub fn composites_prefix(layer: &str) -> String {
    format!("ortho/{layer}/composite")
}

pub fn composite_base(layer: &str, id: i64) -> String {
    format!("{}/c{id}", composites_prefix(layer))
}

/// The painting order: the last painted wins.
pub fn paint_order(v: &mut [VintageInput]) {
    v.sort_by_key(|p| (p.priority, p.vintage, p.ingest_id));
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, RegistryError> {
    serde_json::to_string(v).map_err(|e| RegistryError::Corrupt(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, RegistryError> {
    serde_json::from_str(s).map_err(|_| RegistryError::Corrupt(what.to_string()))
}

#[derive(Debug, Clone, Copy)]
pub struct CompositePlan<'a> {
    pub layer: &'a str,
    pub trigger_ingest: i64,
    /// The published version this one replaces.
    pub based_on: Option<i64>,
    /// Whether the untouched chunks of `based_on` carry over (false: a full
    /// rebuild, e.g. when the composite gains a finer level).
    pub carry_over: bool,
    pub native_level: u8,
    pub tiers: &'a [(u8, u8)],
    pub bbox: [f64; 4],
    pub sources: &'a [i64],
}

pub struct BegunComposite {
    pub id: i64,
    pub resumed: bool,
    /// Chunks this version already decided (built, referenced or emptied).
    pub done: HashMap<ChunkKey, Option<String>>,
}

impl Registry {
    /// The published vintages of a layer with their chunks.
    pub async fn vintage_inputs(&self, layer: &str) -> Result<Vec<VintageInput>, RegistryError> {
        let rows = sqlx::query(
            "SELECT i.id, i.vintage, i.priority, i.native_level, i.tiers, i.bbox
             FROM ortho_vintages v JOIN ortho_ingests i ON i.id = v.ingest_id
             WHERE v.layer = $1 AND i.state = 'published'",
        )
        .bind(layer)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.try_get("id")?;
            out.push(self.vintage_input(id, layer, &r).await?);
        }
        Ok(out)
    }

    /// One ingest (published or building) as a composite input.
    pub async fn ingest_input(
        &self,
        ingest_id: i64,
        layer: &str,
    ) -> Result<VintageInput, RegistryError> {
        let r = sqlx::query(
            "SELECT id, vintage, priority, native_level, tiers, bbox FROM ortho_ingests WHERE id = $1",
        )
        .bind(ingest_id)
        .fetch_one(&self.pool)
        .await?;
        self.vintage_input(ingest_id, layer, &r).await
    }

    async fn vintage_input(
        &self,
        id: i64,
        layer: &str,
        r: &sqlx::any::AnyRow,
    ) -> Result<VintageInput, RegistryError> {
        let vintage: i64 = r.try_get("vintage")?;
        let native: Option<i64> = r.try_get("native_level")?;
        let tiers: Option<String> = r.try_get("tiers")?;
        let bbox: Option<String> = r.try_get("bbox")?;
        let what = format!("ingest {id}: plan");
        Ok(VintageInput {
            ingest_id: id,
            vintage: vintage as i32,
            priority: r.try_get("priority")?,
            native_level: native.ok_or_else(|| RegistryError::Corrupt(what.clone()))? as u8,
            tiers: parse(
                &tiers.ok_or_else(|| RegistryError::Corrupt(what.clone()))?,
                &what,
            )?,
            bbox: parse(
                &bbox.ok_or_else(|| RegistryError::Corrupt(what.clone()))?,
                &what,
            )?,
            base: ingest_base(layer, vintage as i32, id),
            chunks: self.done_chunks(id).await?,
        })
    }

    pub async fn composite_state(
        &self,
        layer: &str,
    ) -> Result<Option<CompositeState>, RegistryError> {
        let row = sqlx::query(
            "SELECT c.id, c.native_level, c.tiers, c.sources FROM ortho_layers l
             JOIN ortho_composites c ON c.id = l.composite_id WHERE l.name = $1",
        )
        .bind(layer)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let id: i64 = r.try_get("id")?;
        let what = format!("composite {id}");
        Ok(Some(CompositeState {
            id,
            native_level: r.try_get::<i64, _>("native_level")? as u8,
            tiers: parse(&r.try_get::<String, _>("tiers")?, &what)?,
            sources: parse(&r.try_get::<String, _>("sources")?, &what)?,
        }))
    }

    /// Starts a composite version for `trigger_ingest`, or resumes the one
    /// an interrupted run left with the same plan.
    pub async fn begin_composite(
        &self,
        plan: &CompositePlan<'_>,
    ) -> Result<BegunComposite, RegistryError> {
        let CompositePlan {
            layer,
            trigger_ingest,
            based_on,
            carry_over,
            native_level,
            tiers,
            bbox,
            sources,
        } = *plan;
        let (tiers_j, bbox_j, sources_j) = (json(&tiers)?, json(&bbox)?, json(&sources)?);
        let mut tx = self.begin_write().await?;
        let building: Vec<(i64, Option<i64>, String, String)> = sqlx::query_as(
            "SELECT id, based_on, tiers, sources FROM ortho_composites
             WHERE layer = $1 AND state = 'building'",
        )
        .bind(layer)
        .fetch_all(&mut *tx)
        .await?;
        let mut resumed = None;
        for (id, b, t, s) in building {
            if resumed.is_none() && b == based_on && t == tiers_j && s == sources_j {
                resumed = Some(id);
            } else {
                sqlx::query(
                    "UPDATE ortho_composites SET state = 'failed', ended_at = $2 WHERE id = $1",
                )
                .bind(id)
                .bind(crate::db::now_unix())
                .execute(&mut *tx)
                .await?;
            }
        }
        let id = match resumed {
            Some(id) => id,
            None => {
                sqlx::query_scalar(
                    "INSERT INTO ortho_composites
                         (layer, state, trigger_ingest, based_on, carry_over, native_level, tiers, bbox, sources)
                     VALUES ($1, 'building', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(layer)
                .bind(trigger_ingest)
                .bind(based_on)
                .bind(i64::from(carry_over))
                .bind(i64::from(native_level))
                .bind(&tiers_j)
                .bind(&bbox_j)
                .bind(&sources_j)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        let rows: Vec<(i64, i64, i64, Option<String>)> = sqlx::query_as(
            "SELECT tier, cx, cy, path FROM ortho_composite_chunks WHERE composite_id = $1",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(BegunComposite {
            id,
            resumed: resumed.is_some(),
            done: rows
                .into_iter()
                .map(|(t, cx, cy, p)| ((t as u8, cx, cy), p))
                .collect(),
        })
    }

    /// Records the decision for one chunk of a building version: a path
    /// (written or shared), or `None` when nothing is there any more.
    pub async fn record_composite_chunk(
        &self,
        composite_id: i64,
        key: ChunkKey,
        size: (u32, u32),
        path: Option<&str>,
    ) -> Result<(), RegistryError> {
        sqlx::query(
            "INSERT INTO ortho_composite_chunks
                 (composite_id, tier, cx, cy, width, height, path) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (composite_id, tier, cx, cy) DO UPDATE SET width = excluded.width,
                 height = excluded.height, path = excluded.path",
        )
        .bind(composite_id)
        .bind(i64::from(key.0))
        .bind(key.1)
        .bind(key.2)
        .bind(i64::from(size.0))
        .bind(i64::from(size.1))
        .bind(path)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Composite versions unreferenced for `grace_s` seconds.
    pub async fn dead_composites(&self, grace_s: i64) -> Result<Vec<(i64, String)>, RegistryError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, layer FROM ortho_composites
             WHERE state IN ('superseded', 'failed') AND files_removed = 0
               AND ended_at IS NOT NULL AND ended_at <= $2 - $1",
        )
        .bind(grace_s)
        .bind(crate::db::now_unix())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Files of composites (under `prefix`) that a dead version lists and
    /// no live version uses. Files of vintages are left to their ingest.
    pub async fn composite_files_to_remove(
        &self,
        composite_id: i64,
        prefix: &str,
    ) -> Result<Vec<String>, RegistryError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT c.path FROM ortho_composite_chunks c
             WHERE c.composite_id = $1 AND c.path IS NOT NULL AND substr(c.path, 1, length($2) + 1) = $3 || '/'
               AND NOT EXISTS (
                 SELECT 1 FROM ortho_composite_chunks o JOIN ortho_composites k ON k.id = o.composite_id
                 WHERE o.path = c.path AND k.id != c.composite_id
                   AND k.state IN ('building', 'published'))",
        )
        .bind(composite_id)
        .bind(prefix)
        .bind(prefix)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn composite_files_removed(&self, composite_id: i64) -> Result<(), RegistryError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM ortho_composite_chunks WHERE composite_id = $1")
            .bind(composite_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE ortho_composites SET files_removed = 1 WHERE id = $1")
            .bind(composite_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The paths under `base` that a live (building or published)
    /// composite version uses: what GC must keep of a dead version's
    /// folder (a later version carries chunks of the one it was based on).
    pub async fn composite_paths_in_use(
        &self,
        base: &str,
    ) -> Result<std::collections::HashSet<String>, RegistryError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT o.path FROM ortho_composite_chunks o JOIN ortho_composites k ON k.id = o.composite_id
             WHERE k.state IN ('building', 'published') AND o.path IS NOT NULL
               AND substr(o.path, 1, length($1) + 1) = $2 || '/'",
        )
        .bind(base)
        .bind(base)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Whether a live composite version still uses files under `base`.
    pub async fn base_in_use(&self, base: &str) -> Result<bool, RegistryError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM ortho_composite_chunks o JOIN ortho_composites k ON k.id = o.composite_id
             WHERE k.state IN ('building', 'published') AND substr(o.path, 1, length($1) + 1) = $2 || '/'",
        )
        .bind(base)
        .bind(base)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }
}

/// Inside the publishing transaction: completes composite `id` with the
/// chunks of the version it was based on that it did not touch, and makes
/// it the layer's composite.
pub(crate) async fn publish_in(
    tx: &mut sqlx::AnyConnection,
    layer: &str,
    id: i64,
    report: &serde_json::Value,
) -> Result<(), RegistryError> {
    let (based_on, carry_over): (Option<i64>, i64) = sqlx::query_as(
        "SELECT based_on, carry_over FROM ortho_composites WHERE id = $1 AND state = 'building'",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| RegistryError::Invalid(format!("composite {id} is not building")))?;
    let current: Option<i64> =
        sqlx::query_scalar("SELECT composite_id FROM ortho_layers WHERE name = $1")
            .bind(layer)
            .fetch_one(&mut *tx)
            .await?;
    if current != based_on {
        return Err(RegistryError::Invalid(format!(
            "the composite of {layer} changed while composite {id} was built; run the ingest again"
        )));
    }
    if let Some(prev) = based_on.filter(|_| carry_over != 0) {
        sqlx::query(
            "INSERT INTO ortho_composite_chunks (composite_id, tier, cx, cy, width, height, path)
             SELECT $1, p.tier, p.cx, p.cy, p.width, p.height, p.path FROM ortho_composite_chunks p
             WHERE p.composite_id = $2 AND NOT EXISTS (
                 SELECT 1 FROM ortho_composite_chunks n
                 WHERE n.composite_id = $3 AND n.tier = p.tier AND n.cx = p.cx AND n.cy = p.cy)",
        )
        .bind(id)
        .bind(prev)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(prev) = based_on {
        sqlx::query(
            "UPDATE ortho_composites SET state = 'superseded', ended_at = $2 WHERE id = $1",
        )
        .bind(prev)
        .bind(crate::db::now_unix())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM ortho_composite_chunks WHERE composite_id = $1 AND path IS NULL")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE ortho_composites SET state = 'published', report = $1,
             published_at = $3 WHERE id = $2",
    )
    .bind(report.to_string())
    .bind(id)
    .bind(crate::db::now_iso())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE ortho_layers SET composite_id = $1 WHERE name = $2")
        .bind(id)
        .bind(layer)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
