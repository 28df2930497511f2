//! An immutable picture of what is published, held by servers.

use crate::db::{Catalog, CatalogError};
use crate::ortho::{chunk_path, ingest_base};
use geocentre_core::Access;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One published vintage: a pyramid of grid-aligned chunk COGs.
#[derive(Debug)]
pub struct Pyramid {
    pub(crate) ingest_id: i64,
    pub(crate) vintage: i32,
    pub(crate) producer: Option<String>,
    pub(crate) native_level: u8,
    /// (coarsest, finest) level of each tier, finest tier first.
    pub(crate) tiers: Vec<(u8, u8)>,
    pub(crate) bbox: [f64; 4],
    pub(crate) base: String,
    pub(crate) chunks: HashMap<(u8, i64, i64), (u32, u32)>,
    pub(crate) published_at: String,
}

/// Where the bytes of one grid tile are stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkTile {
    pub path: String,
    /// 0 is the full-resolution image of the chunk, n its n-th overview.
    pub overview: u8,
    pub tile_col: u32,
    pub tile_row: u32,
    /// Identifies the stored bytes for HTTP validators.
    pub etag_seed: String,
}

impl Pyramid {
    pub fn ingest_id(&self) -> i64 {
        self.ingest_id
    }
    pub fn vintage(&self) -> i32 {
        self.vintage
    }
    pub fn producer(&self) -> Option<&str> {
        self.producer.as_deref()
    }
    pub fn native_level(&self) -> u8 {
        self.native_level
    }
    pub fn bbox(&self) -> [f64; 4] {
        self.bbox
    }
    pub fn published_at(&self) -> &str {
        &self.published_at
    }
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Locates tile (level, col, row) of the native grid. `None` when the
    /// pyramid holds nothing there.
    pub fn locate(&self, level: u8, col: u64, row: u64) -> Option<ChunkTile> {
        let (tier, &(lo, hi)) = self
            .tiers
            .iter()
            .enumerate()
            .find(|(_, (lo, hi))| *lo <= level && level <= *hi)?;
        let shift = level - lo;
        let (cx, cy) = ((col >> shift) as i64, (row >> shift) as i64);
        let &(w, h) = self.chunks.get(&(tier as u8, cx, cy))?;
        let tile_col = (col - ((cx as u64) << shift)) as u32;
        let tile_row = (row - ((cy as u64) << shift)) as u32;
        let overview = hi - level;
        // Tiles of overview n of a w×h chunk.
        let ow = w.div_ceil(1 << overview).div_ceil(256);
        let oh = h.div_ceil(1 << overview).div_ceil(256);
        if tile_col >= ow || tile_row >= oh {
            return None;
        }
        Some(ChunkTile {
            path: chunk_path(&self.base, lo, hi, cx, cy),
            overview,
            tile_col,
            tile_row,
            etag_seed: format!("g{}-{level}-{col}-{row}", self.ingest_id),
        })
    }
}

#[derive(Debug)]
pub struct OrthoLayer {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) access: Access,
    /// Published vintages by year.
    pub(crate) vintages: BTreeMap<i32, Arc<Pyramid>>,
}

impl OrthoLayer {
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn access(&self) -> Access {
        self.access
    }
    pub fn latest(&self) -> Option<&Arc<Pyramid>> {
        self.vintages.values().next_back()
    }
    pub fn vintages(&self) -> impl DoubleEndedIterator<Item = &Arc<Pyramid>> {
        self.vintages.values()
    }
}

/// What servers read from. Its contents are reachable only through
/// [`crate::authz`].
#[derive(Debug, Default)]
pub struct OrthoSnapshot {
    pub(crate) generation: i64,
    pub(crate) layers: BTreeMap<String, Arc<OrthoLayer>>,
}

impl OrthoSnapshot {
    pub fn generation(&self) -> i64 {
        self.generation
    }
}

impl Catalog {
    pub async fn load_snapshot(&self) -> Result<OrthoSnapshot, CatalogError> {
        let mut tx = self.pool.begin().await?;
        let generation: i64 =
            sqlx::query_scalar("SELECT generation FROM catalog_state WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        let layer_rows = sqlx::query("SELECT name, title, access FROM ortho_layers")
            .fetch_all(&mut *tx)
            .await?;
        let rows = sqlx::query(
            "SELECT v.layer, v.vintage, i.id, i.producer, i.native_level, i.tiers, i.bbox, i.published_at
             FROM ortho_vintages v JOIN ortho_ingests i ON i.id = v.ingest_id
             WHERE i.state = 'published'",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut by_layer: HashMap<String, BTreeMap<i32, Arc<Pyramid>>> = HashMap::new();
        for r in rows {
            let layer: String = r.try_get("layer")?;
            let vintage: i64 = r.try_get("vintage")?;
            let ingest_id: i64 = r.try_get("id")?;
            let native: Option<i64> = r.try_get("native_level")?;
            let tiers: Option<String> = r.try_get("tiers")?;
            let bbox: Option<String> = r.try_get("bbox")?;
            let corrupt = |what: &str| CatalogError::Corrupt(format!("ingest {ingest_id}: {what}"));
            let tiers: Vec<(u8, u8)> =
                serde_json::from_str(&tiers.ok_or_else(|| corrupt("no tiers"))?)
                    .map_err(|_| corrupt("tiers"))?;
            let bbox: [f64; 4] = serde_json::from_str(&bbox.ok_or_else(|| corrupt("no bbox"))?)
                .map_err(|_| corrupt("bbox"))?;
            let chunk_rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
                "SELECT tier, cx, cy, width, height FROM ortho_chunks WHERE ingest_id = ?",
            )
            .bind(ingest_id)
            .fetch_all(&mut *tx)
            .await?;
            let chunks = chunk_rows
                .into_iter()
                .map(|(t, cx, cy, w, h)| ((t as u8, cx, cy), (w as u32, h as u32)))
                .collect();
            let pyramid = Pyramid {
                ingest_id,
                vintage: vintage as i32,
                producer: r.try_get("producer")?,
                native_level: native.ok_or_else(|| corrupt("no native level"))? as u8,
                tiers,
                bbox,
                base: ingest_base(&layer, vintage as i32, ingest_id),
                chunks,
                published_at: r
                    .try_get::<Option<String>, _>("published_at")?
                    .unwrap_or_default(),
            };
            by_layer
                .entry(layer)
                .or_default()
                .insert(vintage as i32, Arc::new(pyramid));
        }
        tx.commit().await?;
        let mut layers = BTreeMap::new();
        for r in layer_rows {
            let name: String = r.try_get("name")?;
            let access: String = r.try_get("access")?;
            let Some(vintages) = by_layer.remove(&name) else {
                continue;
            };
            let layer = OrthoLayer {
                title: r.try_get("title")?,
                access: Access::parse(&access).ok_or_else(|| {
                    CatalogError::Corrupt(format!("layer {name}: access {access}"))
                })?,
                name: name.clone(),
                vintages,
            };
            layers.insert(name, Arc::new(layer));
        }
        Ok(OrthoSnapshot { generation, layers })
    }
}
