//! The transformation of the features a service writes out (GeoJSON, and
//! maps drawn without a grid): OGR's, with the inverse Lambert written
//! out (`lcc`) where it gives PROJ's answer. The written-out one is used
//! only after it has been compared with PROJ on a grid over the source
//! CRS's area of use: any difference above [`AGREEMENT`] degrees (a datum
//! shift, another prime meridian, latitude-first axes, a parameter read
//! wrongly) and every point goes through PROJ, as before.

use crate::lcc::LccInverse;
use gdal::spatial_ref::{CoordTransform, SpatialRef};

/// Largest difference allowed from PROJ, in degrees: a thousandth of the
/// 1e-9° (0.1 mm) that geographic output is written to is out of reach of
/// the series' truncation; 1e-10° leaves room for rounding in both.
const AGREEMENT: f64 = 1e-10;

/// Sample points per side of the comparison grid.
const SAMPLES: usize = 9;

pub struct Reprojection {
    ct: CoordTransform,
    fast: Option<LccInverse>,
    geographic: bool,
}

impl Reprojection {
    /// The transformation from `src` to `dst`, with the written-out path
    /// when it agrees with PROJ.
    pub fn new(src: &SpatialRef, dst: &SpatialRef) -> gdal::errors::Result<Reprojection> {
        let ct = CoordTransform::new(src, dst)?;
        let fast = if dst.is_geographic() {
            LccInverse::of(src).filter(|l| agrees(l, src, dst, &ct))
        } else {
            None
        };
        Ok(Reprojection {
            ct,
            fast,
            geographic: dst.is_geographic(),
        })
    }

    /// OGR's transformation, for what takes one (OGR geometries, the
    /// drawing grid's nodes).
    pub fn ogr(&self) -> &CoordTransform {
        &self.ct
    }

    /// Whether the target CRS is geographic (degrees).
    pub fn geographic(&self) -> bool {
        self.geographic
    }

    /// Whether the written-out inverse Lambert is used (tests, logs).
    pub fn fast(&self) -> bool {
        self.fast.is_some()
    }

    /// Transforms the points in place; false when PROJ refused one.
    pub fn transform_coords(&self, xs: &mut [f64], ys: &mut [f64], zs: &mut [f64]) -> bool {
        match &self.fast {
            Some(l) => {
                l.apply(xs, ys);
                true
            }
            None => self.ct.transform_coords(xs, ys, zs).is_ok(),
        }
    }
}

/// Whether `l` gives what `ct` gives over the source CRS's area of use.
fn agrees(l: &LccInverse, src: &SpatialRef, dst: &SpatialRef, ct: &CoordTransform) -> bool {
    let Some(area) = src.area_of_use() else {
        return false;
    };
    let Ok(back) = CoordTransform::new(dst, src) else {
        return false;
    };
    let (w, e) = (area.west_lon_degree, area.east_lon_degree);
    let (s, n) = (area.south_lat_degree, area.north_lat_degree);
    if !(e > w && n > s) {
        return false;
    }
    let step = |lo: f64, hi: f64, i: usize| lo + (hi - lo) * i as f64 / (SAMPLES - 1) as f64;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for i in 0..SAMPLES {
        for j in 0..SAMPLES {
            xs.push(step(w, e, i));
            ys.push(step(s, n, j));
        }
    }
    let mut zs = vec![0.0; xs.len()];
    // Projected points from the target's own axes: if those are not
    // longitude first, the points land elsewhere and the comparison
    // below fails, which is the answer wanted.
    if back.transform_coords(&mut xs, &mut ys, &mut zs).is_err() {
        return false;
    }
    let (mut px, mut py, mut pz) = (xs.clone(), ys.clone(), vec![0.0; xs.len()]);
    if ct.transform_coords(&mut px, &mut py, &mut pz).is_err() {
        return false;
    }
    l.apply(&mut xs, &mut ys);
    xs.iter()
        .zip(&ys)
        .zip(px.iter().zip(&py))
        .all(|((x, y), (u, v))| (x - u).abs() <= AGREEMENT && (y - v).abs() <= AGREEMENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gdal::spatial_ref::AxisMappingStrategy;

    fn srs(code: u32) -> SpatialRef {
        let mut s = SpatialRef::from_epsg(code).expect("EPSG code");
        s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        s
    }

    /// A deterministic spread of points over (and beyond) metropolitan
    /// France in Lambert-93.
    fn points() -> (Vec<f64>, Vec<f64>) {
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for i in 0..101 {
            for j in 0..101 {
                xs.push(-100_000.0 + 14_000.0 * i as f64 + 0.123 * j as f64);
                ys.push(6_000_000.0 + 12_000.0 * j as f64 + 0.456 * i as f64);
            }
        }
        (xs, ys)
    }

    fn max_difference(from: u32, to: u32) -> (bool, f64) {
        let r = Reprojection::new(&srs(from), &srs(to)).expect("transformation");
        let (mut xs, mut ys) = points();
        if from != 2154 {
            // the same spread moved into the zone's own coordinates
            let to_zone = CoordTransform::new(&srs(2154), &srs(from)).expect("2154 to zone");
            let mut zs = vec![0.0; xs.len()];
            to_zone
                .transform_coords(&mut xs, &mut ys, &mut zs)
                .expect("into the zone");
        }
        let (mut px, mut py, mut pz) = (xs.clone(), ys.clone(), vec![0.0; xs.len()]);
        r.ogr()
            .transform_coords(&mut px, &mut py, &mut pz)
            .expect("PROJ");
        let mut zs = vec![0.0; xs.len()];
        assert!(r.transform_coords(&mut xs, &mut ys, &mut zs));
        let d = xs
            .iter()
            .zip(&ys)
            .zip(px.iter().zip(&py))
            .map(|((x, y), (u, v))| (x - u).abs().max((y - v).abs()))
            .fold(0.0, f64::max);
        (r.fast(), d)
    }

    /// Lambert-93 and a CC zone to WGS 84 and RGF93 take the written-out
    /// path, and agree with PROJ everywhere on a 1,000 km square, not
    /// only where the check sampled.
    #[test]
    fn lambert_to_geographic_is_written_out_and_agrees() {
        for (from, to) in [(2154, 4326), (2154, 4171), (3946, 4326)] {
            let (fast, d) = max_difference(from, to);
            assert!(fast, "EPSG:{from} to EPSG:{to} should be written out");
            assert!(d <= AGREEMENT, "EPSG:{from} to EPSG:{to}: {d:e}°");
        }
    }

    /// What the written-out path does not describe keeps PROJ: NTF
    /// Lambert II étendu (a datum shift, a Paris meridian), a projected
    /// target, and a target with latitude first.
    #[test]
    fn other_transformations_keep_proj() {
        let (fast, d) = max_difference(27572, 4326);
        assert!(!fast);
        assert_eq!(d, 0.0);
        assert!(!max_difference(2154, 3857).0);
        let mut lat_first = SpatialRef::from_epsg(4326).expect("4326");
        lat_first.set_axis_mapping_strategy(AxisMappingStrategy::AuthorityCompliant);
        let r = Reprojection::new(&srs(2154), &lat_first).expect("transformation");
        assert!(!r.fast());
    }
}
