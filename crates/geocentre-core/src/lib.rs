//! Vocabulary shared by every geocentre crate. Nothing here does I/O beyond
//! reading the configuration file, so protocol crates can depend on it freely.

pub mod access;
pub mod bbox;
pub mod config;
pub mod crs_name;
pub mod datetime;
pub mod names;
pub mod progress;
pub mod resampling;
pub mod tms;

pub use access::{Access, Principal};
pub use config::Config;
pub use progress::{Progress, Silent, Steps};
pub use resampling::Resampling;
pub use tms::{TileMatrix, TileMatrixSet, TmsId};
