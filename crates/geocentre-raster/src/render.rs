//! Resampling the native pyramid onto another grid (Web Mercator tiles now,
//! WMS maps later): a coarse grid of exactly transformed points with
//! bilinear interpolation between them (as GDAL's approximate transformer
//! does), then bilinear sampling of the decoded source tiles.

use crate::crs::Transformer;
use crate::tiles::Rgba;
use geocentre_core::tms::{LAMB93, TILE_SIZE};
use geocentre_core::Resampling;

/// Output pixels between exactly transformed points. At 16 px, the error of
/// the linear interpolation is far below a pixel for conformal projections
/// at tile scale.
const STEP: u32 = 16;

pub struct SampleGrid {
    width: u32,
    height: u32,
    nx: usize,
    ny: usize,
    /// Source coordinates of the grid nodes, row-major, (ny) × (nx).
    nodes: Vec<(f64, f64)>,
}

impl SampleGrid {
    pub fn new(t: &Transformer, bbox: [f64; 4], width: u32, height: u32) -> SampleGrid {
        let nx = (width.div_ceil(STEP) + 1) as usize;
        let ny = (height.div_ceil(STEP) + 1) as usize;
        let rx = (bbox[2] - bbox[0]) / f64::from(width);
        let ry = (bbox[3] - bbox[1]) / f64::from(height);
        let mut nodes = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let py = (j as u32 * STEP).min(height) as f64;
            for i in 0..nx {
                let px = (i as u32 * STEP).min(width) as f64;
                nodes.push((bbox[0] + px * rx, bbox[3] - py * ry));
            }
        }
        t.transform(&mut nodes);
        SampleGrid {
            width,
            height,
            nx,
            ny,
            nodes,
        }
    }

    pub fn source_bounds(&self) -> Option<[f64; 4]> {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for &(x, y) in &self.nodes {
            if !(x.is_finite() && y.is_finite()) {
                return None;
            }
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        Some(b)
    }

    /// Output pixel size in source units, measured at the grid's centre.
    fn source_pixel_size(&self) -> f64 {
        let j = self.ny / 2;
        let i = (self.nx / 2).min(self.nx.saturating_sub(2));
        let a = self.nodes[j * self.nx + i];
        let b = self.nodes[j * self.nx + i + 1];
        let px = (((i + 1) as u32 * STEP).min(self.width) - i as u32 * STEP).max(1);
        (b.0 - a.0).hypot(b.1 - a.1) / f64::from(px)
    }

    /// Source coordinates of the centre of output pixel (x, y).
    #[inline]
    fn at(&self, x: u32, y: u32) -> (f64, f64) {
        let fx = (x as f64 + 0.5) / STEP as f64;
        let fy = (y as f64 + 0.5) / STEP as f64;
        let i = (fx as usize).min(self.nx - 2);
        let j = (fy as usize).min(self.ny - 2);
        // Nodes sit every STEP pixels except the clamped last column/row.
        let x0 = (i as u32 * STEP) as f64;
        let x1 = ((i as u32 + 1) * STEP).min(self.width) as f64;
        let y0 = (j as u32 * STEP) as f64;
        let y1 = ((j as u32 + 1) * STEP).min(self.height) as f64;
        let tx = ((x as f64 + 0.5 - x0) / (x1 - x0).max(1e-9)).clamp(0.0, 1.0);
        let ty = ((y as f64 + 0.5 - y0) / (y1 - y0).max(1e-9)).clamp(0.0, 1.0);
        let n = |ii: usize, jj: usize| self.nodes[jj * self.nx + ii];
        let (a, b, c, d) = (n(i, j), n(i + 1, j), n(i, j + 1), n(i + 1, j + 1));
        let top = (a.0 + (b.0 - a.0) * tx, a.1 + (b.1 - a.1) * tx);
        let bot = (c.0 + (d.0 - c.0) * tx, c.1 + (d.1 - c.1) * tx);
        (top.0 + (bot.0 - top.0) * ty, top.1 + (bot.1 - top.1) * ty)
    }

    /// Samples the mosaic for every output pixel; returns straight RGBA.
    pub fn sample(&self, m: &Mosaic, resampling: Resampling) -> Vec<u8> {
        let res = LAMB93.resolution(m.level);
        let ts = TILE_SIZE as f64;
        let ox = LAMB93.origin.0 + m.col0 as f64 * ts * res;
        let oy = LAMB93.origin.1 - m.row0 as f64 * ts * res;
        let (w, h) = (self.width as usize, self.height as usize);
        let mut out = vec![0u8; w * h * 4];
        for y in 0..self.height {
            for x in 0..self.width {
                let (sx, sy) = self.at(x, y);
                let fx = (sx - ox) / res - 0.5;
                let fy = (oy - sy) / res - 0.5;
                let px = match resampling {
                    Resampling::Bilinear => m.bilinear(fx, fy),
                    Resampling::Nearest => m.nearest(fx, fy),
                };
                let o = (y as usize * w + x as usize) * 4;
                out[o..o + 4].copy_from_slice(&px);
            }
        }
        out
    }
}

/// The decoded tiles a render reads, `cols`×`rows` from (col0, row0).
pub struct Mosaic {
    pub level: u8,
    pub col0: u64,
    pub row0: u64,
    pub cols: usize,
    pub rows: usize,
    pub tiles: Vec<Option<Rgba>>,
}

impl Mosaic {
    #[inline]
    fn pixel(&self, x: i64, y: i64) -> [f32; 4] {
        let ts = TILE_SIZE as i64;
        if x < 0 || y < 0 {
            return [0.0; 4];
        }
        let (c, r) = ((x / ts) as usize, (y / ts) as usize);
        if c >= self.cols || r >= self.rows {
            return [0.0; 4];
        }
        match &self.tiles[r * self.cols + c] {
            None => [0.0; 4],
            Some(t) => {
                let o = (((y % ts) * ts + (x % ts)) * 4) as usize;
                [
                    f32::from(t[o]),
                    f32::from(t[o + 1]),
                    f32::from(t[o + 2]),
                    f32::from(t[o + 3]),
                ]
            }
        }
    }

    /// The pixel whose centre is nearest to (fx, fy) (pixel-centre coordinates).
    fn nearest(&self, fx: f64, fy: f64) -> [u8; 4] {
        let p = self.pixel((fx + 0.5).floor() as i64, (fy + 0.5).floor() as i64);
        [p[0] as u8, p[1] as u8, p[2] as u8, p[3] as u8]
    }

    /// Bilinear sample at continuous pixel position (fx, fy). Masked pixels
    /// are stored as (0,0,0,0), i.e. premultiplied, so edges blend right.
    fn bilinear(&self, fx: f64, fy: f64) -> [u8; 4] {
        let (x0, y0) = (fx.floor(), fy.floor());
        let (tx, ty) = ((fx - x0) as f32, (fy - y0) as f32);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let a = self.pixel(x0, y0);
        let b = self.pixel(x0 + 1, y0);
        let c = self.pixel(x0, y0 + 1);
        let d = self.pixel(x0 + 1, y0 + 1);
        let mut v = [0f32; 4];
        for k in 0..4 {
            let top = a[k] + (b[k] - a[k]) * tx;
            let bot = c[k] + (d[k] - c[k]) * tx;
            v[k] = top + (bot - top) * ty;
        }
        let alpha = v[3];
        if alpha <= 0.5 {
            return [0, 0, 0, 0];
        }
        let k = 255.0 / alpha;
        [
            (v[0] * k).round().clamp(0.0, 255.0) as u8,
            (v[1] * k).round().clamp(0.0, 255.0) as u8,
            (v[2] * k).round().clamp(0.0, 255.0) as u8,
            alpha.round().clamp(0.0, 255.0) as u8,
        ]
    }
}

/// The native level to read: as fine as the output needs, never finer than
/// the data, and coarse enough to bound the tiles read.
pub fn choose_level(grid: &SampleGrid, native: u8, src_box: [f64; 4]) -> u8 {
    // Tiles one render may decode: twice what the output spans at its own
    // resolution (room for rotation between CRSs), at least 64. Bounds the
    // work a single request can cause.
    let span = |n: u32| i64::from(n.div_ceil(TILE_SIZE) + 2);
    let max_tiles = (2 * span(grid.width) * span(grid.height)).max(64);
    let mut level = LAMB93
        .level_for_resolution(grid.source_pixel_size())
        .min(native);
    while level > 0 {
        let [c0, r0, c1, r1] = LAMB93.tile_range(level, src_box);
        if (c1 - c0 + 1) * (r1 - r0 + 1) <= max_tiles {
            break;
        }
        level -= 1;
    }
    level
}
