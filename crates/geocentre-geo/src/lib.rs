//! Coordinates and geometries, below every data crate: which CRS a file
//! is in and how to transform between CRSs (`crs`), a reprojection
//! interpolated on a grid for what is only drawn (`approx`), clipping to a
//! box (`clip`), unions of many geometries (`union`) and a polygon's
//! label point (`interior`), and the transformation of the features a
//! service writes out (`reproject`, with `lcc`, the inverse Lambert
//! written out).

pub mod approx;
pub mod clip;
pub mod crs;
pub mod interior;
pub mod lcc;
pub mod reproject;
pub mod union;
