//! An immutable picture of what is published, held by servers.

use crate::db::{Registry, RegistryError};
use crate::ortho::{chunk_path, ingest_base};
use futures::TryStreamExt;
use geocentre_core::{Access, Resampling};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A producer file that went into a vintage: what GetFeatureInfo and the
/// dalle index tell about it.
#[derive(Debug, Clone)]
pub struct Dalle {
    /// The file name, as the producer named the dalle.
    pub name: String,
    /// The file as given to the ingest command.
    pub source: String,
    /// Footprint in Lambert-93.
    pub footprint: [f64; 4],
    /// Pixel size in metres (Lambert-93).
    pub resolution: f64,
    pub format: Option<String>,
}

impl Dalle {
    /// The source file as the delivery named it (its folder and name), not
    /// where it sat on the ingesting machine: that is not the public's
    /// business.
    pub fn delivered_as(&self) -> String {
        let p = std::path::Path::new(&self.source);
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let folder = p
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        match (folder, name) {
            (Some(d), Some(n)) => format!("{d}/{n}"),
            (None, Some(n)) => n,
            _ => self.name.clone(),
        }
    }
}

/// A published pyramid of grid-aligned chunk COGs: one vintage, or the
/// layer's composite of all of them.
#[derive(Debug)]
pub struct Pyramid {
    /// The ingest of a vintage; minus the version id for a composite.
    pub(crate) ingest_id: i64,
    /// The vintage; for a composite, the newest one it holds.
    pub(crate) vintage: i32,
    pub(crate) producer: Option<String>,
    pub(crate) priority: i64,
    pub(crate) acquired: Option<String>,
    pub(crate) native_level: u8,
    /// (coarsest, finest) level of each tier, finest tier first.
    pub(crate) tiers: Vec<(u8, u8)>,
    pub(crate) bbox: [f64; 4],
    pub(crate) chunks: crate::chunk_index::ChunkIndex,
    pub(crate) published_at: String,
    pub(crate) dalles: crate::dalle_set::DalleSet,
    /// For a composite: its vintages in painting order (the last wins).
    pub(crate) paint: Vec<Arc<Pyramid>>,
}

/// FNV-1a, for validators that change exactly when a stored file does.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
    pub fn priority(&self) -> i64 {
        self.priority
    }
    pub fn acquired(&self) -> Option<&str> {
        self.acquired.as_deref()
    }
    pub fn is_composite(&self) -> bool {
        self.ingest_id < 0
    }
    /// The vintages of a composite, in painting order; a vintage alone.
    pub fn layers(&self) -> Vec<&Pyramid> {
        if self.paint.is_empty() {
            vec![self]
        } else {
            self.paint.iter().map(|p| p.as_ref()).collect()
        }
    }
    /// How many producer dalles made this vintage (a composite: none of
    /// its own; see [`Pyramid::layers`]).
    pub fn dalle_count(&self) -> usize {
        self.dalles.len()
    }

    /// The footprints of its dalles, in order (the coverage indicator).
    pub fn dalle_footprints(&self) -> impl Iterator<Item = [f64; 4]> + '_ {
        self.dalles.footprints()
    }

    /// Its dalles meeting `bbox` (Lambert-93, edges included), in order, at
    /// most `limit`: a spatial index answers, not a scan.
    pub fn dalles_in(&self, bbox: [f64; 4], limit: usize) -> Vec<Dalle> {
        self.dalles.in_box(bbox, limit)
    }

    /// How many of its dalles meet `bbox`.
    pub fn dalle_count_in(&self, bbox: [f64; 4]) -> usize {
        self.dalles.count_in(bbox)
    }

    /// Its dalles from `offset`, at most `limit`, in order.
    pub fn dalles_page(&self, offset: usize, limit: usize) -> Vec<Dalle> {
        self.dalles.page(offset, limit)
    }

    /// The dalle whose pixel is shown at (x, y) in Lambert-93, with the
    /// vintage it belongs to: in a composite, the one painted last.
    pub fn dalle_at(&self, x: f64, y: f64) -> Option<(&Pyramid, Dalle)> {
        self.layers()
            .into_iter()
            .rev()
            .find_map(|p| p.dalles.at(x, y).map(|d| (p, d)))
    }

    /// Bytes its chunk and dalle indexes hold, roughly.
    pub fn heap_bytes(&self) -> usize {
        self.chunks.heap_bytes() + self.dalles.heap_bytes()
    }

    /// For each tier, finest first, its largest chunk: its stored path and
    /// pixel size (the synthetic catalog points at them).
    pub fn largest_chunks(&self) -> Vec<Option<(String, u32, u32)>> {
        (0..self.tiers.len())
            .map(|t| {
                self.chunks
                    .iter()
                    .filter(|c| usize::from(c.tier) == t)
                    .max_by_key(|c| (u64::from(c.size.0) * u64::from(c.size.1), -c.cx, -c.cy))
                    .map(|c| (self.chunk_file(&c), c.size.0, c.size.1))
            })
            .collect()
    }

    /// The stored file of a chunk of this pyramid.
    fn chunk_file(&self, c: &crate::chunk_index::Chunk<'_>) -> String {
        use crate::chunk_index::ChunkLoc;
        match c.loc {
            ChunkLoc::Path(p) => p.to_string(),
            ChunkLoc::Base(base) => {
                let (lo, hi) = self
                    .tiers
                    .get(usize::from(c.tier))
                    .copied()
                    .unwrap_or((0, 0));
                chunk_path(base, lo, hi, c.cx, c.cy)
            }
        }
    }

    /// (coarsest, finest) level of each tier, finest first.
    pub fn tiers(&self) -> &[(u8, u8)] {
        &self.tiers
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
        let chunk = self.chunks.get(tier as u8, cx, cy)?;
        let (w, h) = chunk.size;
        let tile_col = (col - ((cx as u64) << shift)) as u32;
        let tile_row = (row - ((cy as u64) << shift)) as u32;
        let overview = hi - level;
        // Tiles of overview n of a w×h chunk.
        let ow = w.div_ceil(1 << overview).div_ceil(256);
        let oh = h.div_ceil(1 << overview).div_ceil(256);
        if tile_col >= ow || tile_row >= oh {
            return None;
        }
        let path = self.chunk_file(&chunk);
        Some(ChunkTile {
            etag_seed: format!("{:x}-{level}-{col}-{row}", fnv(&path)),
            path,
            overview,
            tile_col,
            tile_row,
        })
    }
}

#[derive(Debug)]
pub struct OrthoLayer {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) access: Access,
    pub(crate) resampling: Resampling,
    /// Published vintages by year.
    pub(crate) vintages: BTreeMap<i32, Arc<Pyramid>>,
    /// Every vintage in one mosaic; absent until the first ingest that
    /// follows the introduction of composites.
    pub(crate) composite: Option<Arc<Pyramid>>,
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
    pub fn resampling(&self) -> Resampling {
        self.resampling
    }
    pub fn latest(&self) -> Option<&Arc<Pyramid>> {
        self.vintages.values().next_back()
    }
    /// What the bare layer name shows: the composite, or the latest
    /// vintage while there is no composite.
    pub fn current(&self) -> Option<&Arc<Pyramid>> {
        self.composite.as_ref().or_else(|| self.latest())
    }
    pub fn vintages(&self) -> impl DoubleEndedIterator<Item = &Arc<Pyramid>> {
        self.vintages.values()
    }
}

/// A published vector dataset: its ingest directory (one GeoPackage per
/// delivered file) and its layers.
#[derive(Debug)]
pub struct VectorDataset {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) access: Access,
    /// The ingest's directory, relative to the data directory.
    pub(crate) file: String,
    pub(crate) layers: Vec<crate::vector::VectorLayerRecord>,
    pub(crate) published_at: String,
    /// Stored styles by layer name.
    pub(crate) styles: BTreeMap<String, crate::vector_style::StoredStyle>,
}

impl VectorDataset {
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn access(&self) -> Access {
        self.access
    }
    pub fn file(&self) -> &str {
        &self.file
    }
    pub fn layers(&self) -> &[crate::vector::VectorLayerRecord] {
        &self.layers
    }
    pub fn published_at(&self) -> &str {
        &self.published_at
    }
    /// The stored style of one of its layers, if any.
    pub fn style(&self, layer: &str) -> Option<&crate::vector_style::StoredStyle> {
        self.styles.get(layer)
    }
}

/// What servers read from. Its contents are reachable only through
/// [`crate::authz`].
#[derive(Debug, Default)]
pub struct Snapshot {
    pub(crate) generation: i64,
    pub(crate) layers: BTreeMap<String, Arc<OrthoLayer>>,
    pub(crate) vectors: BTreeMap<String, Arc<VectorDataset>>,
    /// Layer groups by name (`layer_group.rs`).
    pub(crate) groups: BTreeMap<String, Arc<crate::layer_group::LayerGroup>>,
    /// Stored catalog records (imported, harvested) by identifier.
    pub(crate) records: BTreeMap<String, Arc<crate::catalog::StoredRecord>>,
}

impl Snapshot {
    pub fn generation(&self) -> i64 {
        self.generation
    }
}

impl Registry {
    pub async fn load_snapshot(&self) -> Result<Snapshot, RegistryError> {
        self.load_snapshot_after(&Snapshot::default()).await
    }

    /// Loads what is published now, taking from `previous` every pyramid
    /// that has not changed: a published ingest, and a published composite
    /// version, never change, so only new ones are read. At the size of a
    /// region (10⁶ dalles and chunks a vintage) this is what makes a
    /// publication of anything else cost milliseconds, not a full reload.
    pub async fn load_snapshot_after(
        &self,
        previous: &Snapshot,
    ) -> Result<Snapshot, RegistryError> {
        let mut tx = self.begin_read().await?;
        let generation: i64 =
            sqlx::query_scalar("SELECT generation FROM catalog_state WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        let layer_rows =
            sqlx::query("SELECT name, title, access, resampling, composite_id FROM ortho_layers")
                .fetch_all(&mut *tx)
                .await?;
        let rows = sqlx::query(
            "SELECT v.layer, v.vintage, i.id, i.producer, i.priority, i.acquired, i.native_level, i.tiers, i.bbox, i.published_at
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
            if let Some(p) = previous
                .layers
                .get(&layer)
                .and_then(|l| l.vintages.get(&(vintage as i32)))
                .filter(|p| p.ingest_id == ingest_id)
            {
                by_layer
                    .entry(layer)
                    .or_default()
                    .insert(vintage as i32, p.clone());
                continue;
            }
            let native: Option<i64> = r.try_get("native_level")?;
            let tiers: Option<String> = r.try_get("tiers")?;
            let bbox: Option<String> = r.try_get("bbox")?;
            let corrupt =
                |what: &str| RegistryError::Corrupt(format!("ingest {ingest_id}: {what}"));
            let tiers: Vec<(u8, u8)> =
                serde_json::from_str(&tiers.ok_or_else(|| corrupt("no tiers"))?)
                    .map_err(|_| corrupt("tiers"))?;
            let bbox: [f64; 4] = serde_json::from_str(&bbox.ok_or_else(|| corrupt("no bbox"))?)
                .map_err(|_| corrupt("bbox"))?;
            let base = ingest_base(&layer, vintage as i32, ingest_id);
            let mut chunks = crate::chunk_index::ChunkIndexBuilder::new(&tiers);
            // Streamed: a region's vintage is 10⁶ rows, never held at once.
            let mut chunk_rows = sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(
                "SELECT tier, cx, cy, width, height FROM ortho_chunks WHERE ingest_id = $1",
            )
            .bind(ingest_id)
            .fetch(&mut *tx);
            while let Some((t, cx, cy, w, h)) = chunk_rows.try_next().await? {
                chunks
                    .push_base(t as u8, cx, cy, (w as u32, h as u32), &base)
                    .map_err(|e| corrupt(&e))?;
            }
            drop(chunk_rows);
            let dalles = load_dalles(&mut tx, ingest_id).await?;
            let pyramid = Pyramid {
                ingest_id,
                vintage: vintage as i32,
                producer: r.try_get("producer")?,
                priority: r.try_get("priority")?,
                acquired: r.try_get("acquired")?,
                native_level: native.ok_or_else(|| corrupt("no native level"))? as u8,
                tiers,
                bbox,
                chunks: chunks.finish(),
                published_at: r
                    .try_get::<Option<String>, _>("published_at")?
                    .unwrap_or_default(),
                dalles,
                paint: Vec::new(),
            };
            by_layer
                .entry(layer)
                .or_default()
                .insert(vintage as i32, Arc::new(pyramid));
        }
        let mut layers = BTreeMap::new();
        for r in layer_rows {
            let name: String = r.try_get("name")?;
            let access: String = r.try_get("access")?;
            let composite_id: Option<i64> = r.try_get("composite_id")?;
            let Some(vintages) = by_layer.remove(&name) else {
                continue;
            };
            let unchanged = previous
                .layers
                .get(&name)
                .and_then(|l| l.composite.clone())
                .filter(|c| Some(-c.ingest_id) == composite_id);
            let composite = match (composite_id, unchanged) {
                (_, Some(c)) => Some(c),
                (Some(id), None) => Some(Arc::new(load_composite(&mut tx, id, &vintages).await?)),
                (None, None) => None,
            };
            let layer = OrthoLayer {
                title: r.try_get("title")?,
                access: Access::parse(&access).ok_or_else(|| {
                    RegistryError::Corrupt(format!("layer {name}: access {access}"))
                })?,
                resampling: Resampling::parse(&r.try_get::<String, _>("resampling")?)
                    .unwrap_or_default(),
                name: name.clone(),
                vintages,
                composite,
            };
            layers.insert(name, Arc::new(layer));
        }
        let mut vectors = BTreeMap::new();
        let mut styles: HashMap<String, BTreeMap<String, crate::vector_style::StoredStyle>> =
            HashMap::new();
        for (dataset, layer, style) in crate::vector_style::vector_styles_in(&mut tx).await? {
            styles.entry(dataset).or_default().insert(layer, style);
        }
        for d in crate::vector::vector_datasets_in(&mut tx).await? {
            let access = Access::parse(&d.access).ok_or_else(|| {
                RegistryError::Corrupt(format!("dataset {}: access {}", d.name, d.access))
            })?;
            let v = VectorDataset {
                name: d.name.clone(),
                title: d.title,
                access,
                file: d.file,
                layers: d.layers,
                published_at: d.published_at.unwrap_or_default(),
                styles: styles.remove(&d.name).unwrap_or_default(),
            };
            vectors.insert(d.name, Arc::new(v));
        }
        let groups = crate::layer_group::layer_groups_in(&mut tx)
            .await?
            .into_iter()
            .map(|g| (g.name.clone(), Arc::new(g)))
            .collect();
        let records = crate::catalog::records_in(&mut tx, previous).await?;
        // One transaction for all of it: a publication that touches imagery
        // and vectors (or a group naming a new layer) is seen whole or not.
        tx.commit().await?;
        Ok(Snapshot {
            generation,
            layers,
            vectors,
            groups,
            records,
        })
    }
}

async fn load_dalles(
    tx: &mut sqlx::AnyConnection,
    ingest_id: i64,
) -> Result<crate::dalle_set::DalleSet, RegistryError> {
    let mut rows = sqlx::query_as::<_, (String, String)>(
        "SELECT path, scan FROM ortho_sources WHERE ingest_id = $1 AND status = 'ingested' ORDER BY path",
    )
    .bind(ingest_id)
    .fetch(&mut *tx);
    let mut out = crate::dalle_set::DalleSetBuilder::default();
    while let Some((path, scan)) = rows.try_next().await? {
        #[derive(serde::Deserialize)]
        struct Scan {
            footprint_l93: Option<[f64; 4]>,
            pixel_size: Option<[f64; 2]>,
            format: Option<String>,
        }
        let Ok(scan) = serde_json::from_str::<Scan>(&scan) else {
            return Err(RegistryError::Corrupt(format!(
                "ingest {ingest_id}: scan record of {path}"
            )));
        };
        let Some(footprint) = scan.footprint_l93 else {
            continue;
        };
        // The pixel size in Lambert-93 metres, from the footprint: the
        // file's own may be in degrees or in another projection.
        let resolution = match scan.pixel_size {
            Some([px, _]) if px.abs() > 0.0 => {
                let w = footprint[2] - footprint[0];
                let cols = 1.0_f64.max(((w / px.abs()).round()).abs());
                if px.abs() < 0.01 {
                    w / cols
                } else {
                    px.abs()
                }
            }
            _ => 0.0,
        };
        out.push(&path, footprint, resolution, scan.format.as_deref());
    }
    Ok(out.finish())
}

async fn load_composite(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    vintages: &BTreeMap<i32, Arc<Pyramid>>,
) -> Result<Pyramid, RegistryError> {
    let corrupt = |what: &str| RegistryError::Corrupt(format!("composite {id}: {what}"));
    let (native, tiers, bbox, sources, published_at): (i64, String, String, String, Option<String>) =
        sqlx::query_as(
            "SELECT native_level, tiers, bbox, sources, published_at FROM ortho_composites WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let tiers: Vec<(u8, u8)> = serde_json::from_str(&tiers).map_err(|_| corrupt("tiers"))?;
    let bbox: [f64; 4] = serde_json::from_str(&bbox).map_err(|_| corrupt("bbox"))?;
    let sources: Vec<i64> = serde_json::from_str(&sources).map_err(|_| corrupt("sources"))?;
    let paint: Vec<Arc<Pyramid>> = sources
        .iter()
        .filter_map(|sid| vintages.values().find(|p| p.ingest_id == *sid).cloned())
        .collect();
    let mut chunks = crate::chunk_index::ChunkIndexBuilder::new(&tiers);
    let mut rows = sqlx::query_as::<_, (i64, i64, i64, i64, i64, Option<String>)>(
        "SELECT tier, cx, cy, width, height, path FROM ortho_composite_chunks WHERE composite_id = $1",
    )
    .bind(id)
    .fetch(&mut *tx);
    while let Some((t, cx, cy, w, h, p)) = rows.try_next().await? {
        // NULL: the update found nothing there any more.
        let Some(p) = p else { continue };
        chunks
            .push_path(t as u8, cx, cy, (w as u32, h as u32), &p)
            .map_err(|e| corrupt(&e))?;
    }
    let chunks = chunks.finish();
    Ok(Pyramid {
        ingest_id: -id,
        vintage: paint.iter().map(|p| p.vintage).max().unwrap_or(0),
        producer: None,
        priority: 0,
        acquired: None,
        native_level: native as u8,
        tiers,
        bbox,
        chunks,
        published_at: published_at.unwrap_or_default(),
        dalles: Default::default(),
        paint,
    })
}
