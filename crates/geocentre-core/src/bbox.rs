//! Axis-aligned boxes `[min x, min y, max x, max y]`.

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
    #[test]
    fn union_starts_from_empty() {
        let b = super::union(super::EMPTY, [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(super::union(b, [0.0, 3.0, 2.0, 5.0]), [0.0, 2.0, 3.0, 5.0]);
    }
}
