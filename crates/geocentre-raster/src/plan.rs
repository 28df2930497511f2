//! The layout of a vintage on the native grid: tiers of chunk COGs.
//!
//! A chunk of tier t is exactly one tile of the tier's coarsest level `lo`,
//! stored at its finest level `hi` (2^(hi-lo) tiles across) with hi-lo
//! internal overviews. Because its origin is a tile corner at `lo`, every
//! overview's tiles coincide with grid tiles: a native tile is a stored
//! tile. Tiers stack until level 0, so a tile at any zoom is read from
//! exactly one file — the per-dalle mosaic trap never opens.

use geocentre_core::tms::{TileMatrixSet, TILE_SIZE};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct ChunkJob {
    pub tier: u8,
    pub cx: i64,
    pub cy: i64,
    pub lo: u8,
    pub hi: u8,
    /// Top-left corner and resolution of the stored image.
    pub origin: (f64, f64),
    pub resolution: f64,
    pub width: u32,
    pub height: u32,
    /// Indices of the inputs: sources for tier 0, child chunks above.
    pub inputs: Vec<usize>,
    /// Resampling for this chunk instead of the default rule.
    pub resampling: Option<&'static str>,
}

impl ChunkJob {
    pub fn key(&self) -> (u8, i64, i64) {
        (self.tier, self.cx, self.cy)
    }
    pub fn bounds(&self) -> [f64; 4] {
        let (x0, y1) = self.origin;
        [
            x0,
            y1 - f64::from(self.height) * self.resolution,
            x0 + f64::from(self.width) * self.resolution,
            y1,
        ]
    }
}

/// (lo, hi) of each tier, finest first.
pub fn tiers(native_level: u8, chunk_log2: u8) -> Vec<(u8, u8)> {
    let mut out = Vec::new();
    let mut hi = i32::from(native_level);
    while hi >= 0 {
        let lo = (hi - i32::from(chunk_log2)).max(0);
        out.push((lo as u8, hi as u8));
        hi = lo - 1;
    }
    out
}

/// Chunks of one tier covering `extents` (each an input's bounds in the
/// grid CRS). A chunk is clipped on its right and bottom to the data it
/// holds, in whole tiles: the origin must stay on the `lo` tile corner.
pub fn chunks_for(
    tms: &TileMatrixSet,
    tier: u8,
    (lo, hi): (u8, u8),
    extents: &[[f64; 4]],
) -> Vec<ChunkJob> {
    let mut map: BTreeMap<(i64, i64), (Vec<usize>, [f64; 2])> = BTreeMap::new();
    for (i, e) in extents.iter().enumerate() {
        let [c0, r0, c1, r1] = tms.tile_range(lo, *e);
        for cy in r0.max(0)..=r1 {
            for cx in c0.max(0)..=c1 {
                let entry = map
                    .entry((cx, cy))
                    .or_insert((Vec::new(), [f64::NEG_INFINITY, f64::INFINITY]));
                entry.0.push(i);
                entry.1[0] = entry.1[0].max(e[2]);
                entry.1[1] = entry.1[1].min(e[1]);
            }
        }
    }
    let res = tms.resolution(hi);
    let full = TILE_SIZE << (hi - lo);
    map.into_iter()
        .map(|((cx, cy), (inputs, [maxx, miny]))| {
            let b = tms.tile_bounds(lo, cx as u64, cy as u64);
            let tiles = |len: f64| {
                // The tolerance keeps an extent that is already whole tiles
                // (a stored chunk's) from gaining one through rounding.
                ((len / res / f64::from(TILE_SIZE) - 1e-6).ceil().max(1.0) as u32 * TILE_SIZE)
                    .min(full)
            };
            ChunkJob {
                tier,
                cx,
                cy,
                lo,
                hi,
                origin: (b[0], b[3]),
                resolution: res,
                width: tiles(maxx.min(b[2]) - b[0]),
                height: tiles(b[3] - miny.max(b[1])),
                inputs,
                resampling: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geocentre_core::tms::LAMB93;

    #[test]
    fn tiers_reach_level_zero() {
        assert_eq!(
            tiers(20, 4),
            vec![(16, 20), (11, 15), (6, 10), (1, 5), (0, 0)]
        );
        assert_eq!(tiers(22, 5), vec![(17, 22), (11, 16), (5, 10), (0, 4)]);
    }

    #[test]
    fn a_small_source_gives_one_clipped_chunk() {
        // The real IGN tile's footprint, 50.4 m square at 20 cm.
        let fp = [770_549.8, 6_277_549.8, 770_600.2, 6_277_600.2];
        let c = chunks_for(&LAMB93, 0, (16, 20), &[fp]);
        assert_eq!(c.len(), 1);
        let b = c[0].bounds();
        assert!(
            b[0] <= fp[0] && b[1] <= fp[1] && b[2] >= fp[2] && b[3] >= fp[3],
            "{b:?}"
        );
        // Origin on a level-16 tile corner.
        let span16 = LAMB93.resolution(16) * 256.0;
        assert!((b[0] / span16).fract().abs() < 1e-9);
        assert!(((12_000_000.0 - b[3]) / span16).fract().abs() < 1e-9);
        assert!(c[0].width.is_multiple_of(256) && c[0].width <= 4096);
    }

    #[test]
    fn overlapping_sources_share_chunks() {
        let a = [600_000.0, 6_700_000.0, 600_200.0, 6_700_200.0];
        let b = [600_100.0, 6_700_100.0, 600_300.0, 6_700_300.0];
        let c = chunks_for(&LAMB93, 0, (18, 22), &[a, b]);
        assert!(c.iter().any(|j| j.inputs == vec![0, 1]));
        let total: usize = c.iter().map(|j| j.inputs.len()).sum();
        assert!(total >= 2);
    }
}
