//! Axis-aligned boxes `[min x, min y, max x, max y]`.

/// Why a box a client gave is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BoxError {
    /// NaN or ±infinity (`1e400` parses as infinity).
    #[error("its coordinates must be finite numbers")]
    NotFinite,
    #[error("its minimum exceeds its maximum on an axis")]
    Inverted,
}

/// A box from a request, checked the same way by every service: four
/// finite numbers with min <= max on both axes (a point is a box). Boxes
/// that cross the antimeridian are not taken: no service here reads them.
pub fn checked(b: [f64; 4]) -> Result<[f64; 4], BoxError> {
    if !b.iter().all(|v| v.is_finite()) {
        return Err(BoxError::NotFinite);
    }
    if b[0] > b[2] || b[1] > b[3] {
        return Err(BoxError::Inverted);
    }
    Ok(b)
}

/// A box from a request in a geographic CRS, longitude first: as
/// [`checked`], except that a minimum longitude above the maximum is a
/// box crossing the antimeridian (`177,65,-177,70`: OGC API Features,
/// /req/core/fc-bbox-definition), taken when both longitudes lie in
/// [-180, 180]. Latitudes stay ordered.
pub fn checked_lon_lat(b: [f64; 4]) -> Result<[f64; 4], BoxError> {
    let lon = |x: f64| (-180.0..=180.0).contains(&x);
    match checked(b) {
        Err(BoxError::Inverted) if b[1] <= b[3] && lon(b[0]) && lon(b[2]) => Ok(b),
        r => r,
    }
}

/// The parts of a longitude/latitude box either side of the antimeridian:
/// the box itself when it does not cross it.
pub fn split_antimeridian(b: [f64; 4]) -> Vec<[f64; 4]> {
    if b[0] > b[2] {
        vec![[b[0], b[1], 180.0, b[3]], [-180.0, b[1], b[2], b[3]]]
    } else {
        vec![b]
    }
}

/// Where two boxes overlap (edges count); None when they do not meet.
pub fn intersection(a: [f64; 4], b: [f64; 4]) -> Option<[f64; 4]> {
    let i = [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ];
    (i[0] <= i[2] && i[1] <= i[3]).then_some(i)
}

/// The box grown by `d` on every side.
pub fn grown(b: [f64; 4], d: f64) -> [f64; 4] {
    [b[0] - d, b[1] - d, b[2] + d, b[3] + d]
}

/// The box rounded outward to multiples of `step`: what a published
/// extent is, so that it holds every feature although the extent and the
/// features were reprojected apart (the last digits differ: CITE's
/// ets-ogcapi-features10 found a PCRS point 6e-14 degrees outside the
/// extent it had been given).
pub fn outward(b: [f64; 4], step: f64) -> [f64; 4] {
    let down = |x: f64| {
        let r = (x / step).floor() * step;
        if r > x {
            r - step
        } else {
            r
        }
    };
    let up = |x: f64| {
        let r = (x / step).ceil() * step;
        if r < x {
            r + step
        } else {
            r
        }
    };
    [down(b[0]), down(b[1]), up(b[2]), up(b[3])]
}

/// The box that contains nothing: the start of a union.
pub const EMPTY: [f64; 4] = [
    f64::INFINITY,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NEG_INFINITY,
];

/// The smallest box holding both.
pub fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

#[cfg(test)]
mod tests {
    use super::{checked, BoxError};

    #[test]
    fn request_boxes_are_finite_and_ordered() {
        assert_eq!(checked([1.0, 2.0, 3.0, 4.0]), Ok([1.0, 2.0, 3.0, 4.0]));
        assert_eq!(checked([1.0, 2.0, 1.0, 2.0]), Ok([1.0, 2.0, 1.0, 2.0]));
        assert_eq!(checked([3.0, 2.0, 1.0, 4.0]), Err(BoxError::Inverted));
        assert_eq!(checked([1.0, 4.0, 3.0, 2.0]), Err(BoxError::Inverted));
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            "1e400".parse().unwrap(),
        ] {
            assert_eq!(checked([bad, 2.0, 3.0, 4.0]), Err(BoxError::NotFinite));
            assert_eq!(checked([1.0, 2.0, 3.0, bad]), Err(BoxError::NotFinite));
        }
    }

    #[test]
    fn antimeridian_boxes() {
        use super::{checked_lon_lat, intersection, split_antimeridian};
        let b = [177.0, 65.0, -177.0, 70.0];
        assert_eq!(checked_lon_lat(b), Ok(b));
        assert_eq!(checked(b), Err(BoxError::Inverted));
        assert_eq!(
            split_antimeridian(b),
            vec![[177.0, 65.0, 180.0, 70.0], [-180.0, 65.0, -177.0, 70.0]]
        );
        assert_eq!(
            split_antimeridian([1.0, 2.0, 3.0, 4.0]),
            vec![[1.0, 2.0, 3.0, 4.0]]
        );
        // Latitudes stay ordered; longitudes out of range are no crossing.
        assert_eq!(
            checked_lon_lat([177.0, 70.0, -177.0, 65.0]),
            Err(BoxError::Inverted)
        );
        assert_eq!(
            checked_lon_lat([500.0, 0.0, 0.0, 1.0]),
            Err(BoxError::Inverted)
        );
        assert_eq!(
            checked_lon_lat([f64::NAN, 0.0, 0.0, 1.0]),
            Err(BoxError::NotFinite)
        );
        assert_eq!(
            intersection([-180.0, -90.0, 180.0, -85.0], [1.0, 45.0, 2.0, 46.0]),
            None
        );
        assert_eq!(
            intersection([-180.0, -90.0, 180.0, 90.0], [1.0, 45.0, 2.0, 46.0]),
            Some([1.0, 45.0, 2.0, 46.0])
        );
    }

    #[test]
    fn outward_rounding_holds_the_box() {
        let b = [
            4.884362467646714,
            45.818681484564834,
            4.884612097156547,
            45.818716480891666,
        ];
        let o = super::outward(b, 1e-7);
        assert!(
            o[0] <= b[0] && o[1] <= b[1] && o[2] >= b[2] && o[3] >= b[3],
            "{o:?}"
        );
        assert!(o.iter().zip(b).all(|(a, b)| (a - b).abs() < 2e-7), "{o:?}");
        assert!(o[3] >= 45.81871648089173);
        let z = super::outward([0.3, -0.3, 0.3, -0.3], 0.1);
        assert!(
            z[0] <= 0.3 && z[1] <= -0.3 && z[2] >= 0.3 && z[3] >= -0.3,
            "{z:?}"
        );
    }

    #[test]
    fn union_starts_from_empty() {
        let b = super::union(super::EMPTY, [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(super::union(b, [0.0, 3.0, 2.0, 5.0]), [0.0, 2.0, 3.0, 5.0]);
    }
}
