//! The registry: what is published, and who may read it.
//!
//! Two backends share one set of queries (`db`): SQLite, embedded (through
//! sqlx, linked to the system library: see `shared/rust-notes.md`), and
//! PostgreSQL, which several replicas share. Servers never query it on the
//! hot path: they hold an immutable [`Snapshot`] rebuilt when the registry
//! generation changes, and every read of it goes through [`authz`].

pub mod authz;
pub mod catalog;
pub mod chunk_index;
pub mod composite;
pub mod copy;
pub mod dalle_set;
mod db;
pub mod layer_group;
mod names;
pub mod ortho;
mod snapshot;
pub mod synthetic;
#[doc(hidden)]
pub mod test_support;
pub mod vector;
pub mod vector_style;

pub use authz::{Authorized, AuthzError};
pub use catalog::{PutOutcome, RecordFormat, StoredRecord};
pub use db::{Backend, ChangeListener, Migrate, Registry, RegistryError};
pub use layer_group::{GroupMember, LayerGroup};
pub use names::{valid_dataset_name, valid_layer_name};
pub use ortho::{chunk_path, BeginIngest, IngestRow, SourceRecord};
pub use snapshot::{ChunkTile, Dalle, OrthoLayer, Pyramid, Snapshot, VectorDataset};
