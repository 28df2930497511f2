//! A reprojection interpolated on a grid, for what is only drawn (maps and
//! tiles). Exact PROJ transforms of every vertex were a fifth of a Web
//! Mercator map's time and most of a small-scale tile's (perf,
//! bench/vector.sh). Like GDAL's approximate transformer for warping, the
//! grid is checked against exact transforms, and not used where its error
//! would exceed what the caller can show.

use gdal::spatial_ref::CoordTransform;

/// Cells per side tried, coarsest first: the interpolation error falls
/// with the square of the cell size.
const SIDES: [usize; 3] = [8, 24, 64];

pub struct GridTransform {
    /// Source box covered, x/y order.
    bbox: [f64; 4],
    n: usize,
    /// Target coordinates of the (n+1)² nodes, row by row from `bbox`'s
    /// lower-left corner.
    tx: Vec<f64>,
    ty: Vec<f64>,
}

impl GridTransform {
    /// A grid over `bbox` (source CRS) whose interpolation stays within
    /// `max_error` (target units) of exact transforms where it errs most;
    /// None if no grid size does, or if a node cannot be transformed.
    pub fn new(ct: &CoordTransform, bbox: [f64; 4], max_error: f64) -> Option<Self> {
        if !(bbox[2] > bbox[0] && bbox[3] > bbox[1] && max_error > 0.0) {
            return None;
        }
        SIDES.iter().find_map(|&n| {
            let g = Self::nodes(ct, bbox, n)?;
            (g.error(ct)? <= max_error).then_some(g)
        })
    }

    fn nodes(ct: &CoordTransform, bbox: [f64; 4], n: usize) -> Option<Self> {
        let (cw, ch) = (
            (bbox[2] - bbox[0]) / n as f64,
            (bbox[3] - bbox[1]) / n as f64,
        );
        let m = (n + 1) * (n + 1);
        let (mut tx, mut ty) = (Vec::with_capacity(m), Vec::with_capacity(m));
        for j in 0..=n {
            for i in 0..=n {
                tx.push(bbox[0] + i as f64 * cw);
                ty.push(bbox[1] + j as f64 * ch);
            }
        }
        let mut tz = vec![0.0; m];
        ct.transform_coords(&mut tx, &mut ty, &mut tz).ok()?;
        if tx.iter().chain(&ty).any(|v| !v.is_finite()) {
            return None;
        }
        Some(GridTransform { bbox, n, tx, ty })
    }

    /// The largest distance between interpolation and exact transform at
    /// the middles of the cell edges: a conformal projection's second
    /// derivatives cancel at the cell centres, not there.
    fn error(&self, ct: &CoordTransform) -> Option<f64> {
        let n = self.n;
        let (cw, ch) = self.cell();
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for j in 0..=n {
            for i in 0..=n {
                let (x, y) = (self.bbox[0] + i as f64 * cw, self.bbox[1] + j as f64 * ch);
                if i < n {
                    xs.push(x + cw / 2.0);
                    ys.push(y);
                }
                if j < n {
                    xs.push(x);
                    ys.push(y + ch / 2.0);
                }
            }
        }
        let (sx, sy) = (xs.clone(), ys.clone());
        let mut zs = vec![0.0; xs.len()];
        ct.transform_coords(&mut xs, &mut ys, &mut zs).ok()?;
        let mut worst = 0.0f64;
        for k in 0..xs.len() {
            let (ix, iy) = self.interpolate(sx[k], sy[k])?;
            worst = worst.max((ix - xs[k]).hypot(iy - ys[k]));
        }
        Some(worst)
    }

    fn cell(&self) -> (f64, f64) {
        (
            (self.bbox[2] - self.bbox[0]) / self.n as f64,
            (self.bbox[3] - self.bbox[1]) / self.n as f64,
        )
    }

    /// Bilinear interpolation; None outside the grid.
    fn interpolate(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (cw, ch) = self.cell();
        let (u, v) = ((x - self.bbox[0]) / cw, (y - self.bbox[1]) / ch);
        let n = self.n as f64;
        if !(u >= 0.0 && v >= 0.0 && u <= n && v <= n) {
            return None;
        }
        // The far edge belongs to the last cell.
        let (i, j) = ((u as usize).min(self.n - 1), (v as usize).min(self.n - 1));
        let (fu, fv) = (u - i as f64, v - j as f64);
        let row = self.n + 1;
        let k = j * row + i;
        let lerp = |t: &[f64]| {
            let bottom = t[k] + (t[k + 1] - t[k]) * fu;
            let top = t[k + row] + (t[k + row + 1] - t[k + row]) * fu;
            bottom + (top - bottom) * fv
        };
        Some((lerp(&self.tx), lerp(&self.ty)))
    }

    /// Transforms the points in place: interpolated inside the grid, exact
    /// outside it. Z is left as it is (drawing drops it). False when an
    /// exact transform failed.
    pub fn apply(
        &self,
        ct: &CoordTransform,
        xs: &mut [f64],
        ys: &mut [f64],
        outside: &mut Vec<usize>,
    ) -> bool {
        outside.clear();
        for k in 0..xs.len() {
            match self.interpolate(xs[k], ys[k]) {
                Some((x, y)) => {
                    xs[k] = x;
                    ys[k] = y;
                }
                None => outside.push(k),
            }
        }
        if outside.is_empty() {
            return true;
        }
        let mut ox: Vec<f64> = outside.iter().map(|&k| xs[k]).collect();
        let mut oy: Vec<f64> = outside.iter().map(|&k| ys[k]).collect();
        let mut oz = vec![0.0; ox.len()];
        if ct.transform_coords(&mut ox, &mut oy, &mut oz).is_err() {
            return false;
        }
        for (n, &k) in outside.iter().enumerate() {
            xs[k] = ox[n];
            ys[k] = oy[n];
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};

    fn ct(from: u32, to: u32) -> CoordTransform {
        let srs = |c| {
            let mut s = SpatialRef::from_epsg(c).unwrap();
            s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            s
        };
        CoordTransform::new(&srs(from), &srs(to)).unwrap()
    }

    #[test]
    fn interpolation_stays_within_its_error_and_outside_points_are_exact() {
        let t = ct(2154, 3857);
        // A Web Mercator zoom-10 tile's worth of Lambert-93 (about 40 km).
        let bbox = [600_000.0, 6_700_000.0, 640_000.0, 6_740_000.0];
        let g = GridTransform::new(&t, bbox, 0.05).expect("a grid within 5 cm");
        let mut xs = vec![600_123.4, 633_333.3, 639_999.0, 700_000.0];
        let mut ys = vec![6_700_456.7, 6_712_345.6, 6_739_999.0, 6_600_000.0];
        let (mut ex, mut ey, mut ez) = (xs.clone(), ys.clone(), vec![0.0; 4]);
        t.transform_coords(&mut ex, &mut ey, &mut ez).unwrap();
        let mut outside = Vec::new();
        assert!(g.apply(&t, &mut xs, &mut ys, &mut outside));
        assert_eq!(outside, vec![3]);
        for k in 0..4 {
            let d = (xs[k] - ex[k]).hypot(ys[k] - ey[k]);
            assert!(d <= 0.05, "point {k}: {d} m");
        }
        assert_eq!((xs[3], ys[3]), (ex[3], ey[3]));
        // Anywhere in the box, not only at the points checked.
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = (0..2000)
            .map(|_| {
                (
                    600_000.0 + 40_000.0 * next(),
                    6_700_000.0 + 40_000.0 * next(),
                )
            })
            .unzip();
        let (mut ex, mut ey, mut ez) = (xs.clone(), ys.clone(), vec![0.0; xs.len()]);
        t.transform_coords(&mut ex, &mut ey, &mut ez).unwrap();
        assert!(g.apply(&t, &mut xs, &mut ys, &mut outside));
        let worst = (0..xs.len())
            .map(|k| (xs[k] - ex[k]).hypot(ys[k] - ey[k]))
            .fold(0.0, f64::max);
        assert!(worst <= 0.05, "{worst} m");
    }

    #[test]
    fn a_budget_no_grid_meets_gives_none() {
        let t = ct(2154, 3857);
        let whole = [100_000.0, 6_050_000.0, 1_200_000.0, 7_150_000.0];
        assert!(GridTransform::new(&t, whole, 1e-6).is_none());
    }
}
