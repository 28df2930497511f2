//! Vector datasets. An ingest reads the delivery formats (GeoPackage,
//! Shapefile plain or zipped, GeoJSON, CSV with coordinates or WKT, KML,
//! GML including CNIG PCRS v2.0) and writes one GeoPackage per delivered
//! file, with an R-tree per layer, published atomically. The
//! [`store::FeatureStore`] reads them back for every service, filters
//! (`geocentre-filter` trees) evaluated on the way.

pub mod csv_types;
pub mod filter_eval;
mod geojson_text;
pub mod gpkg_cache;
pub mod gpkg_check;
pub mod ingest;
pub mod postgis;
pub mod scan;
pub mod store;

pub use ingest::{ingest, VectorIngestReport, VectorIngestRequest};
