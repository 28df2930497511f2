//! Vector datasets. An ingest reads any format GDAL/OGR reads (GeoPackage,
//! Shapefile plain or zipped, GeoJSON, CSV with coordinates or WKT, KML,
//! GML including CNIG PCRS v2.0) and writes one GeoPackage per delivered file, with
//! an R-tree per layer, published atomically.

mod approx;
pub mod clip;
pub mod cql2_text;
pub mod csv_types;
pub mod draw;
pub mod fes;
pub mod filter;
pub mod font;
mod geojson_text;
mod hairline;
pub mod hit;
pub mod ingest;
pub mod labels;
pub mod legend;
pub mod mvt;
pub mod scan;
pub mod sld;
pub mod store;
pub mod style;

pub use ingest::{ingest, VectorIngestReport, VectorIngestRequest};
