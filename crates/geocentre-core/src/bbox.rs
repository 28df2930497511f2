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
    fn union_starts_from_empty() {
        let b = super::union(super::EMPTY, [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(super::union(b, [0.0, 3.0, 2.0, 5.0]), [0.0, 2.0, 3.0, 5.0]);
    }
}
