//! Unions of many geometries with GEOS (through OGR).

use gdal::vector::Geometry;

#[derive(Debug, thiserror::Error)]
#[error("geometry union failed")]
pub struct UnionError;

/// Unions geometries pairwise, level by level: each union stays small, so
/// tens of thousands of dalles take seconds, not the quadratic time of a
/// running union.
pub fn union_all(mut parts: Vec<Geometry>) -> Result<Option<Geometry>, UnionError> {
    while parts.len() > 1 {
        let mut next = Vec::with_capacity(parts.len().div_ceil(2));
        let mut it = parts.into_iter();
        while let Some(a) = it.next() {
            match it.next() {
                Some(b) => next.push(a.union(&b).ok_or(UnionError)?),
                None => next.push(a),
            }
        }
        parts = next;
    }
    Ok(parts.pop())
}
