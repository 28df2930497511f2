//! Orthophoto rasters: ingest of producer dalles into grid-aligned COG
//! pyramids (GDAL), and reading tiles back out of them.

mod cache;
mod chunk_writer;
pub mod cog;
pub mod composite;
pub mod coverage;
pub mod dalle_index;
pub mod ingest;
pub mod plan;
mod render;
pub mod scan;
pub mod tiles;

pub use ingest::{ingest, IngestReport, IngestRequest};
pub use tiles::{Tile, TileError, TileService};
