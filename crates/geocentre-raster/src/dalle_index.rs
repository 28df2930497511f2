//! The dalle index of a layer: the producer files' footprints, drawn as
//! outlines on maps and listed for GetFeatureInfo and downloads. Every
//! entry point takes an [`Authorized`] view, like the tile readers.

use crate::tiles::{TileError, TileService};
use geocentre_core::tms::LAMB93;
use geocentre_registry::authz::OrthoView;
use geocentre_registry::{Authorized, Dalle, Pyramid};

/// Most outlines one map draws; beyond, the map is too small to read them.
const MAX_OUTLINES: usize = 50_000;
/// Points per footprint edge: a rectangle in Lambert-93 is curved in
/// Web Mercator or geographic coordinates.
const EDGE_POINTS: usize = 8;

/// The dalles of the view meeting `bbox` (Lambert-93) with their vintage:
/// a vintage's own, or those of every vintage of a composite in painting
/// order; at most `limit`. The snapshot's spatial index answers.
pub fn dalles_in(
    view: &Authorized<OrthoView>,
    bbox: [f64; 4],
    limit: usize,
) -> Vec<(&Pyramid, Dalle)> {
    let mut out = Vec::new();
    for p in view.pyramid.layers() {
        let left = limit.saturating_sub(out.len());
        if left == 0 {
            break;
        }
        out.extend(p.dalles_in(bbox, left).into_iter().map(|d| (p, d)));
    }
    out
}

/// How many dalles of the view meet `bbox` (Lambert-93).
pub fn count_in(view: &Authorized<OrthoView>, bbox: [f64; 4]) -> usize {
    view.pyramid
        .layers()
        .into_iter()
        .map(|p| p.dalle_count_in(bbox))
        .sum()
}

/// Everywhere: a box that holds any Lambert-93 footprint.
pub const EVERYWHERE: [f64; 4] = [-1e9, -1e9, 1e9, 1e9];

/// A footprint as a closed ring, densified, in Lambert-93.
pub fn ring(f: [f64; 4]) -> Vec<(f64, f64)> {
    let corners = [(f[0], f[1]), (f[2], f[1]), (f[2], f[3]), (f[0], f[3])];
    let mut out = Vec::with_capacity(4 * EDGE_POINTS + 1);
    for k in 0..4 {
        let (a, b) = (corners[k], corners[(k + 1) % 4]);
        for i in 0..EDGE_POINTS {
            let t = i as f64 / EDGE_POINTS as f64;
            out.push((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
        }
    }
    out.push(corners[0]);
    out
}

impl TileService {
    /// Draws the outlines of the view's dalles over `bbox` of `epsg`.
    /// `None` when no dalle falls inside.
    pub async fn render_index(
        &self,
        view: &Authorized<OrthoView>,
        epsg: u32,
        bbox: [f64; 4],
        width: u32,
        height: u32,
    ) -> Result<Option<Vec<u8>>, TileError> {
        let to_native = self.transformer(epsg, LAMB93.epsg)?;
        let from_native = self.transformer(LAMB93.epsg, epsg)?;
        let window = to_native.transform_bbox(bbox);
        let (sx, sy) = (
            f64::from(width) / (bbox[2] - bbox[0]),
            f64::from(height) / (bbox[3] - bbox[1]),
        );
        let rings: Vec<Vec<(f32, f32)>> = dalles_in(view, window, MAX_OUTLINES)
            .into_iter()
            .map(|(_, d)| d.footprint)
            .map(|f| {
                let mut pts = ring(f);
                from_native.transform(&mut pts);
                pts.into_iter()
                    .map(|(x, y)| (((x - bbox[0]) * sx) as f32, ((bbox[3] - y) * sy) as f32))
                    .collect()
            })
            .collect();
        if rings.is_empty() {
            return Ok(None);
        }
        self.run_cpu(move || {
            geocentre_image::annotate::outlines(&rings, width, height, [230, 40, 20])
        })
        .await
    }
}
