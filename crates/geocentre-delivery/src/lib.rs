//! Deliveries as they arrive from producers: what a folder or an archive
//! holds, file by file (`inventory`), so that ingests and, later, the
//! acceptance of deliveries ("recette") account for every file.

pub mod formats;
pub mod inventory;

pub use formats::{Family, Refusal, RefusalCode};
pub use inventory::{ArchiveLimits, DataFile, Inventory, OtherFile, Rules, Totals};
