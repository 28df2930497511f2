//! Orthophoto rasters: ingest of producer dalles into grid-aligned COG
//! pyramids (GDAL), and reading tiles back out of them.

pub mod annotate;
pub mod blob;
mod cache;
mod chunk_writer;
pub mod cog;
pub mod composite;
pub mod coverage;
pub mod crs;
pub mod dalle_index;
pub mod encode;
pub mod ingest;
pub mod plan;
pub mod progress;
mod render;
pub mod scan;
pub mod tiles;

pub use blob::BlobStore;
pub use encode::ImageFormat;
pub use ingest::{ingest, IngestReport, IngestRequest};
pub use tiles::{Tile, TileError, TileService};

/// Process-wide GDAL setup: drivers, error routing, cache size.
pub fn init_gdal(cache_mb: u32) {
    gdal::DriverManager::register_all();
    geocentre_gdal::quiet_errors();
    let _ = gdal::config::set_config_option("GDAL_CACHEMAX", &cache_mb.to_string());
    // Our COGs are read by path many times; skip the sibling-file probe.
    let _ = gdal::config::set_config_option("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
    // The COG driver's temporary overview file lives in /vsimem with ours;
    // compressing it (ZSTD by default) cost a quarter of the ingest's CPU
    // time for a file that is read once, a few seconds later.
    let _ = gdal::config::set_config_option("COG_TMP_COMPRESSION", "NONE");
}
