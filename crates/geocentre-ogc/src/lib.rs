//! OGC encodings, free of I/O: request parsing and document writing.

pub mod exception;
pub mod featureinfo;
pub mod gml_rings;
pub mod inspire;
pub mod iso19139;
pub mod kvp;
pub mod ows;
pub mod tms_doc;
pub mod wfs;
pub mod wfs11;
pub mod wfs_xml;
pub mod wms;
pub mod wmts;
pub mod xml;
pub mod xml_tree;

pub use exception::{OgcError, OwsCode};
