//! The inverse Lambert Conformal Conic (two standard parallels) to
//! longitude and latitude, written out for the one hot path that needs
//! it: GeoJSON in CRS84 (OGC API Features' default) from layers in
//! Lambert-93 or the CC zones, which carry nearly all of a French region's
//! data. Through OGR and PROJ each vertex cost 0.34 µs, 65 % of a
//! 1,000-feature page's CPU (perf, docs/benchmarks.md); this costs
//! 0.08 µs. It is used only where [`crate::reproject::Reprojection`] has
//! checked it against PROJ's own transformation, so a CRS it does not
//! describe (another projection, a datum shift, a prime meridian other
//! than Greenwich) keeps PROJ.
//!
//! Formulas: EPSG Guidance Note 7-2, method 9802; the geodetic latitude
//! from the conformal one by its series in e² to the eighth order
//! (Snyder, *Map Projections: A Working Manual*, eq. 3-5), evaluated by
//! Clenshaw summation. The series' truncation is below 1e-12 rad (6 µm).

use gdal::spatial_ref::SpatialRef;
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};

/// The projection's constants, from its definition.
#[derive(Debug, Clone)]
pub struct LccInverse {
    n: f64,
    /// a·F
    af: f64,
    /// ρ of the latitude of origin.
    rho0: f64,
    x0: f64,
    y0: f64,
    lon0: f64,
    /// Coefficients of sin 2χ, 4χ, 6χ, 8χ in φ − χ.
    series: [f64; 4],
}

impl LccInverse {
    /// The projection of `srs` when it is a Lambert Conformal Conic with
    /// two standard parallels in metres; None otherwise.
    pub fn of(srs: &SpatialRef) -> Option<LccInverse> {
        if !srs.is_projected() {
            return None;
        }
        let method = srs.get_attr_value("PROJECTION", 0).ok()??;
        if method != "Lambert_Conformal_Conic_2SP" || srs.linear_units() != 1.0 {
            return None;
        }
        let p = |name: &str| srs.get_proj_param(name).ok().flatten();
        let a = srs.semi_major().ok()?;
        let b = srs.semi_minor().ok()?;
        Self::new(
            a,
            1.0 - (b / a) * (b / a),
            [p("standard_parallel_1")?, p("standard_parallel_2")?],
            p("latitude_of_origin")?,
            p("central_meridian")?,
            [p("false_easting")?, p("false_northing")?],
        )
    }

    /// From the ellipsoid (semi-major axis, e²) and the parameters, in
    /// degrees and metres.
    pub fn new(
        a: f64,
        e2: f64,
        parallels: [f64; 2],
        lat0: f64,
        lon0: f64,
        false_origin: [f64; 2],
    ) -> Option<LccInverse> {
        let e = e2.sqrt();
        let m = |phi: f64| phi.cos() / (1.0 - e2 * phi.sin().powi(2)).sqrt();
        let t = |phi: f64| {
            let s = e * phi.sin();
            (FRAC_PI_4 - phi / 2.0).tan() / ((1.0 - s) / (1.0 + s)).powf(e / 2.0)
        };
        let (p1, p2) = (parallels[0].to_radians(), parallels[1].to_radians());
        let p0 = lat0.to_radians();
        let n = if (p1 - p2).abs() < 1e-12 {
            p1.sin()
        } else {
            (m(p1).ln() - m(p2).ln()) / (t(p1).ln() - t(p2).ln())
        };
        let f = m(p1) / (n * t(p1).powf(n));
        let (e4, e6, e8) = (e2 * e2, e2 * e2 * e2, e2 * e2 * e2 * e2);
        let l = LccInverse {
            n,
            af: a * f,
            rho0: a * f * t(p0).powf(n),
            x0: false_origin[0],
            y0: false_origin[1],
            lon0: lon0.to_radians(),
            series: [
                e2 / 2.0 + 5.0 * e4 / 24.0 + e6 / 12.0 + 13.0 * e8 / 360.0,
                7.0 * e4 / 48.0 + 29.0 * e6 / 240.0 + 811.0 * e8 / 11520.0,
                7.0 * e6 / 120.0 + 81.0 * e8 / 1120.0,
                4279.0 * e8 / 161280.0,
            ],
        };
        [l.n, l.af, l.rho0]
            .iter()
            .all(|v| v.is_finite() && *v != 0.0)
            .then_some(l)
    }

    /// Longitude and latitude in degrees of the projected point (x, y).
    #[inline]
    pub fn inverse(&self, x: f64, y: f64) -> (f64, f64) {
        let (mut dx, mut dy) = (x - self.x0, self.rho0 - (y - self.y0));
        if self.n < 0.0 {
            (dx, dy) = (-dx, -dy);
        }
        let rho = (dx * dx + dy * dy).sqrt();
        let theta = dx.atan2(dy);
        let t = ((rho / self.af).ln() / self.n).exp();
        let chi = FRAC_PI_2 - 2.0 * t.atan();
        let (s, c) = (2.0 * chi).sin_cos();
        // Σ c_k sin(2kχ) by Clenshaw: one sin_cos for the four terms.
        let (mut b1, mut b2) = (0.0f64, 0.0f64);
        for ck in self.series.iter().rev() {
            (b1, b2) = (2.0 * c * b1 - b2 + ck, b1);
        }
        let phi = chi + b1 * s;
        ((theta / self.n + self.lon0).to_degrees(), phi.to_degrees())
    }

    /// [`Self::inverse`] of every point, in place.
    pub fn apply(&self, xs: &mut [f64], ys: &mut [f64]) {
        for (x, y) in xs.iter_mut().zip(ys.iter_mut()) {
            (*x, *y) = self.inverse(*x, *y);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EPSG Guidance Note 7-2's worked example for method 9802 (NAD27 /
    /// Texas South Central, Clarke 1866, in US survey feet): (2963503.91,
    /// 254759.80) is 28°30'N, 96°W. The formulas are linear in the axis,
    /// so the ellipsoid is given in feet too.
    #[test]
    fn epsg_worked_example() {
        let a = 6378206.400 / (1200.0 / 3937.0);
        let invf = 294.97870;
        let f = 1.0 / invf;
        let l = LccInverse::new(
            a,
            f * (2.0 - f),
            [28.0 + 23.0 / 60.0, 30.0 + 17.0 / 60.0],
            27.0 + 50.0 / 60.0,
            -99.0,
            [2000000.0, 0.0],
        )
        .expect("valid parameters");
        let (lon, lat) = l.inverse(2963503.91, 254759.80);
        assert!((lon - -96.0).abs() < 1e-8, "{lon}");
        assert!((lat - 28.5).abs() < 1e-8, "{lat}");
    }
}
