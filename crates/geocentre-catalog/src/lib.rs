//! The metadata catalog, protocol side: what a record holds ([`record`]),
//! how imported documents become records ([`import`]), how records are
//! written (Dublin Core [`dc`], ISO 19139 [`iso`]), how a CSW constraint
//! selects them ([`query`]), and the CSW 2.0.2 requests and responses
//! ([`csw`]). No I/O: the registry stores records, the server serves them.

pub mod csw;
pub mod dc;
pub mod import;
pub mod iso;
pub mod query;
pub mod record;

pub use record::{Link, Record, ResourceType};
