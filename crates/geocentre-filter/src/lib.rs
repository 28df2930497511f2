//! Feature filters as clients write them — FES 2.0 and 1.1 (WFS),
//! CQL2-JSON and CQL2 text (OGC API Features) — parsed into one expression
//! tree (`expr`), bounded in size and depth and checked against the
//! layer's schema. Protocol code: no I/O, no GDAL; the feature store
//! evaluates the tree.

pub mod cql2_text;
pub mod expr;
pub mod fes;
pub mod geometry;
pub mod like;

pub use expr::{
    CmpOp, Expr, FilterError, FilterGeometry, Literal, SpatialOp, TemporalOp, TimeSpan, MAX_DEPTH,
    MAX_NODES,
};
pub use like::LikePattern;
