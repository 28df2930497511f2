//! Deliveries as they arrive from producers: what a folder or an archive
//! holds, file by file (`inventory`), so that ingests and, later, the
//! acceptance of deliveries ("recette") account for every file.

pub mod inventory;

pub use inventory::{DataFile, Inventory, OtherFile, Rules, Totals};
