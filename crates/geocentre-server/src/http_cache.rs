//! HTTP revalidation shared by every cached answer (tiles, vector tiles,
//! styles): strong ETags, and `If-None-Match` answered with 304 before any
//! work.

use axum::http::{header, HeaderMap};

/// Whether the request's `If-None-Match` names `etag` (or `*`).
pub fn if_none_match(req: &HeaderMap, etag: &str) -> bool {
    req.get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// FNV-1a: a stable digest for ETags (names may hold characters an ETag
/// may not; the tag must not change between releases or replicas).
pub fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
