//! The layer's composite: every vintage in one pyramid where, at each
//! point, the source painted last wins (painting order: priority, then
//! vintage, then ingest). Updated differentially when a vintage is
//! published: only the composite chunks that intersect the new vintage (or
//! the one it replaces) are decided again, at every tier; the others carry
//! over. A decided chunk is either shared with a vintage's pyramid (one
//! contributor on the same grid: no copy), built from the vintages' chunks
//! of the same area and level, or emptied.

use crate::chunk_writer::Input;
use crate::cog;
use crate::ingest::{run_jobs, Ctx, IngestError, Sink};
use crate::plan::{self, ChunkJob};
use geocentre_core::bbox;
use geocentre_core::tms::{LAMB93, TILE_SIZE};
use geocentre_registry::chunk_path;
use geocentre_registry::composite::{
    composite_base, paint_order, ChunkKey, CompositePlan, VintageInput,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

#[derive(Debug, Clone, Serialize)]
pub struct CompositeReport {
    pub composite_id: i64,
    /// Whether every chunk was decided (first composite, or a finer level).
    pub full_rebuild: bool,
    /// Vintages in painting order (the last wins).
    pub painting_order: Vec<i32>,
    /// Area covered by the new vintage's dalles, km².
    pub changed_area_km2: f64,
    pub chunks_written: usize,
    pub chunks_shared: usize,
    pub chunks_emptied: usize,
    /// Grid tiles (all levels) whose stored bytes changed for readers.
    pub tiles_rewritten: u64,
}

pub(crate) struct Update {
    pub id: i64,
    pub report: CompositeReport,
}

/// Bounds of a stored chunk of a pyramid whose tier has levels (lo, hi).
fn chunk_bounds((lo, hi): (u8, u8), (cx, cy): (i64, i64), (w, h): (u32, u32)) -> [f64; 4] {
    let b = LAMB93.tile_bounds(lo, cx as u64, cy as u64);
    let r = LAMB93.resolution(hi);
    [b[0], b[3] - f64::from(h) * r, b[0] + f64::from(w) * r, b[3]]
}

/// Tiles of every level stored in a chunk of `w`×`h` px with `levels` levels.
fn tiles_in(w: u32, h: u32, levels: u8) -> u64 {
    (0..levels)
        .map(|o| {
            let tw = w.div_ceil(1 << o).div_ceil(TILE_SIZE);
            let th = h.div_ceil(1 << o).div_ceil(TILE_SIZE);
            u64::from(tw) * u64::from(th)
        })
        .sum()
}

/// The tier of `v` to read for a composite tier whose finest level is
/// `hi`: the one holding that level, or the vintage's finest when it is
/// coarser (then resampled up).
fn source_tier(v: &VintageInput, hi: u8) -> usize {
    v.tiers
        .iter()
        .position(|&(l, h)| l <= hi && hi <= h)
        .unwrap_or(0)
}

/// One vintage chunk that may contribute to composite chunks.
struct Piece {
    path: String,
    bounds: [f64; 4],
    /// Same tier geometry as the composite's: shareable and copyable.
    aligned: bool,
    key: ChunkKey,
    size: (u32, u32),
    /// Holds the target level (no upsampling needed).
    holds_level: bool,
}

/// Whether a stored chunk is fully covered: written without a mask.
async fn is_opaque(ctx: &Ctx<'_>, path: &str) -> bool {
    // One request (no HEAD): the first 64 KiB hold every IFD of our COGs.
    match ctx.blobs.get_head(path, 64 * 1024).await {
        Ok((bytes, _)) => matches!(cog::parse(&bytes), Ok(h) if h.masks.is_empty()),
        Err(_) => false,
    }
}

/// Recomputes the composite of `layer` for the publication of `new`
/// (replacing the published ingest of the same vintage, if any), whose
/// dalles have the footprints `footprints`.
pub(crate) async fn update(
    ctx: &Ctx<'_>,
    layer: &str,
    new: VintageInput,
    footprints: &[[f64; 4]],
) -> Result<Update, IngestError> {
    let registry = ctx.registry;
    let published = registry.vintage_inputs(layer).await?;
    let replaced: Vec<VintageInput> = published
        .iter()
        .filter(|v| v.vintage == new.vintage && v.ingest_id != new.ingest_id)
        .cloned()
        .collect();
    let mut vintages: Vec<VintageInput> = published
        .into_iter()
        .filter(|v| v.vintage != new.vintage)
        .collect();
    let changed: Vec<[f64; 4]> = std::iter::once(&new)
        .chain(replaced.iter())
        .flat_map(|v| {
            let tier0 = v.tiers[0];
            v.chunks
                .iter()
                .filter(|(k, _)| k.0 == 0)
                .map(move |(k, &s)| chunk_bounds(tier0, (k.1, k.2), s))
        })
        .collect();
    vintages.push(new);
    paint_order(&mut vintages);

    let native = vintages.iter().map(|v| v.native_level).max().unwrap_or(0);
    let tiers = plan::tiers(native, ctx.cfg.chunk_tiles_log2);
    let bbox = vintages
        .iter()
        .fold(bbox::EMPTY, |b, v| bbox::union(b, v.bbox));
    let previous = registry.composite_state(layer).await?;
    let differential = previous.as_ref().is_some_and(|p| p.tiers == tiers);
    let sources: Vec<i64> = vintages.iter().map(|v| v.ingest_id).collect();
    let begun = registry
        .begin_composite(&CompositePlan {
            layer,
            trigger_ingest: ctx.ingest_id,
            based_on: previous.as_ref().map(|p| p.id),
            carry_over: differential,
            native_level: native,
            tiers: &tiers,
            bbox,
            sources: &sources,
        })
        .await?;
    let base = composite_base(layer, begun.id);
    let mut report = CompositeReport {
        composite_id: begun.id,
        full_rebuild: !differential,
        painting_order: vintages.iter().map(|v| v.vintage).collect(),
        changed_area_km2: footprints
            .iter()
            .map(|b| (b[2] - b[0]) * (b[3] - b[1]))
            .sum::<f64>()
            / 1e6,
        chunks_written: 0,
        chunks_shared: 0,
        chunks_emptied: 0,
        tiles_rewritten: 0,
    };
    ctx.progress.note(&format!(
        "Composite {layer}: {} (painting order {:?})",
        if differential {
            "differential update"
        } else {
            "full build"
        },
        report.painting_order
    ));

    for (t, &(lo, hi)) in tiers.iter().enumerate() {
        let t = t as u8;
        // Composite chunks to decide at this tier.
        let affected: Option<BTreeSet<(i64, i64)>> = differential.then(|| {
            let mut set = BTreeSet::new();
            for b in &changed {
                let [c0, r0, c1, r1] = LAMB93.tile_range(lo, *b);
                for cy in r0.max(0)..=r1 {
                    for cx in c0.max(0)..=c1 {
                        set.insert((cx, cy));
                    }
                }
            }
            set
        });
        let in_scope = |b: [f64; 4]| match &affected {
            None => true,
            Some(set) => {
                let [c0, r0, c1, r1] = LAMB93.tile_range(lo, b);
                (r0.max(0)..=r1).any(|cy| (c0.max(0)..=c1).any(|cx| set.contains(&(cx, cy))))
            }
        };
        // Contributing pieces, in painting order.
        let mut pieces: Vec<Piece> = Vec::new();
        for v in &vintages {
            let vt = source_tier(v, hi);
            let (vlo, vhi) = v.tiers[vt];
            let mut keys: Vec<(&ChunkKey, &(u32, u32))> =
                v.chunks.iter().filter(|(k, _)| k.0 == vt as u8).collect();
            keys.sort();
            for (k, &size) in keys {
                let bounds = chunk_bounds((vlo, vhi), (k.1, k.2), size);
                if !in_scope(bounds) {
                    continue;
                }
                pieces.push(Piece {
                    path: chunk_path(&v.base, vlo, vhi, k.1, k.2),
                    bounds,
                    aligned: (vlo, vhi) == (lo, hi),
                    key: (t, k.1, k.2),
                    size,
                    holds_level: vhi >= hi,
                });
            }
        }
        let extents: Vec<[f64; 4]> = pieces.iter().map(|p| p.bounds).collect();
        let mut jobs = plan::chunks_for(&LAMB93, t, (lo, hi), &extents);
        jobs.retain(|j| {
            affected
                .as_ref()
                .is_none_or(|set| set.contains(&(j.cx, j.cy)))
        });
        // Chunks that lost every contributor are emptied.
        if let Some(set) = &affected {
            let with_job: BTreeSet<(i64, i64)> = jobs.iter().map(|j| (j.cx, j.cy)).collect();
            for &(cx, cy) in set.difference(&with_job) {
                let key = (t, cx, cy);
                if begun.done.contains_key(&key) {
                    continue;
                }
                registry
                    .record_composite_chunk(begun.id, key, (0, 0), None)
                    .await?;
                report.chunks_emptied += 1;
            }
        }
        let mut to_build: Vec<ChunkJob> = Vec::new();
        for mut job in jobs {
            let key = job.key();
            if let Some(done) = begun.done.get(&key) {
                // Decided before an interruption.
                match done {
                    Some(p) if p.starts_with(&base) => report.chunks_written += 1,
                    Some(_) => report.chunks_shared += 1,
                    None => report.chunks_emptied += 1,
                }
                report.tiles_rewritten += tiles_in(job.width, job.height, hi - lo + 1);
                continue;
            }
            // The chunk is the top piece's when that one is on the same grid
            // and either alone or opaque (everything under it is hidden):
            // shared, not re-encoded.
            let top = job.inputs.last().map(|&i| &pieces[i]);
            if let Some(p) = top.filter(|p| p.key == key && p.aligned) {
                let same = p.size == (job.width, job.height);
                if same && (job.inputs.len() == 1 || is_opaque(ctx, &p.path).await) {
                    registry
                        .record_composite_chunk(begun.id, key, p.size, Some(&p.path))
                        .await?;
                    report.chunks_shared += 1;
                    report.tiles_rewritten += tiles_in(job.width, job.height, hi - lo + 1);
                    continue;
                }
            }
            // Exact copies where every piece holds the level; resampled up
            // (with the configured kernel) where one is coarser.
            if job.inputs.iter().all(|&i| pieces[i].holds_level) {
                job.resampling = Some("near");
            }
            to_build.push(job);
        }
        if to_build.is_empty() {
            continue;
        }
        let inputs: Vec<Input> = pieces
            .iter()
            .map(|p| Input::stored_chunk(ctx.blobs.gdal_path(&p.path), p.aligned))
            .collect();
        let sizes: HashMap<ChunkKey, (u32, u32)> = to_build
            .iter()
            .map(|j| (j.key(), (j.width, j.height)))
            .collect();
        let label = format!("composite tier {t}");
        let (built, bad) = run_jobs(
            ctx,
            &label,
            to_build,
            Arc::new(inputs),
            &mut Sink::Composite {
                id: begun.id,
                base: base.clone(),
            },
        )
        .await?;
        if let Some((_, msg)) = bad.first() {
            return Err(IngestError::Chunk(
                label,
                format!("a stored chunk cannot be read back: {msg}"),
            ));
        }
        for key in built {
            if let Some(&(w, h)) = sizes.get(&key) {
                report.chunks_written += 1;
                report.tiles_rewritten += tiles_in(w, h, hi - lo + 1);
            }
        }
    }
    Ok(Update {
        id: begun.id,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_of_a_chunk_count_every_level() {
        // 4096² with 5 levels: 256 + 64 + 16 + 4 + 1.
        assert_eq!(tiles_in(4096, 4096, 5), 341);
        // A clipped chunk: 512×256 with 2 levels: 2 + 1.
        assert_eq!(tiles_in(512, 256, 2), 3);
    }

    #[test]
    fn a_coarser_vintage_is_read_from_its_finest_tier() {
        let v = VintageInput {
            ingest_id: 1,
            vintage: 2021,
            priority: 0,
            native_level: 18,
            tiers: plan::tiers(18, 4),
            bbox: [0.0; 4],
            base: "b".into(),
            chunks: HashMap::new(),
        };
        // Its tiers: (14, 18), (9, 13), (4, 8), (0, 3); the composite's for
        // level 20: (16, 20), (11, 15), (6, 10), (1, 5), (0, 0).
        assert_eq!(source_tier(&v, 20), 0);
        assert_eq!(v.tiers[source_tier(&v, 15)], (14, 18));
        assert_eq!(v.tiers[source_tier(&v, 10)], (9, 13));
        assert_eq!(v.tiers[source_tier(&v, 0)], (0, 3));
    }
}
