//! A catalog record: the fields the catalog searches, sorts and writes in
//! Dublin Core, whatever the record's origin. ISO 19139 documents that were
//! imported are kept whole beside it (the registry stores them); the
//! records of our own data are written in ISO 19139 from the published
//! data each time they are asked for.

use serde::{Deserialize, Serialize};

/// ISO 19115 hierarchy level / Dublin Core type, as the catalog filters on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ResourceType {
    #[default]
    Dataset,
    Series,
    Service,
    /// Anything else a source calls its records (`nonGeographicDataset`,
    /// DCMI `Text`, …): kept as `type_name`.
    Other,
}

impl ResourceType {
    pub fn parse(s: &str) -> ResourceType {
        match s.trim().to_ascii_lowercase().as_str() {
            "dataset" => ResourceType::Dataset,
            "series" => ResourceType::Series,
            "service" => ResourceType::Service,
            _ => ResourceType::Other,
        }
    }
}

/// A link to a service, a download or a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Link {
    /// Absolute, or a path from the server's base URL (`/wms?…`): our own
    /// records are written with the address a request reached us at.
    pub url: String,
    /// OGC:WMS, OGC:WFS, OGC:WMTS, OGC:CSW, WWW:LINK, WWW:DOWNLOAD, or
    /// the INSPIRE register URI the ISO record gives.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    /// The layer or resource the link names.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// ISO CI_OnLineFunctionCode: download, information, offlineAccess, order, search.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub function: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Record {
    /// The record's identifier (ISO fileIdentifier, dc:identifier).
    pub id: String,
    #[serde(rename = "type")]
    pub resource_type: ResourceType,
    /// The type as the record states it (a DCMI type URI…), when it is
    /// not written as one of ours.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub type_name: String,
    pub title: String,
    #[serde(default, rename = "abstract", skip_serializing_if = "String::is_empty")]
    pub abstract_: String,
    /// Free keywords and thesaurus keywords, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// ISO topic categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// The responsible organisations (ISO pointOfContact, DC creator/publisher).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<String>,
    /// The metadata's date stamp (dct:modified): `YYYY-MM-DD` or a date-time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised: Option<String>,
    /// Temporal extent: begin, end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal: Option<(String, String)>,
    /// WGS 84, lon/lat: west, south, east, north.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
    /// The CRS name an imported Dublin Core record gave its box, written
    /// back as it came (clients compare it as a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_crs: Option<String>,
    /// Reference systems (`EPSG:2154`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formats: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The language of the resource (ISO 639-2/B: `fre`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// Rights, licence or use conditions, as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rights: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lineage: Option<String>,
    /// Ground resolution in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_m: Option<f64>,
    /// The identifiers of the resource (ISO RS_Identifier / MD_Identifier codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_ids: Vec<String>,
    /// Parent (series) identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// For a service: the identifiers of the records of what it serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operates_on: Vec<String>,
    /// For a service: OGC service type (`view`, `download`, `discovery`, `WMS`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// Related resources (dc:relation), and DC elements kept as they came.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<String>,
    /// dc:source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Where the record comes from: `local` (our data), `import`, or a
    /// harvest source's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
}

impl Record {
    /// The DC type word: `dataset`, `series`, `service`, or the record's own.
    pub fn type_word(&self) -> &str {
        if !self.type_name.is_empty() {
            return &self.type_name;
        }
        match self.resource_type {
            ResourceType::Dataset => "dataset",
            ResourceType::Series => "series",
            ResourceType::Service => "service",
            ResourceType::Other => "",
        }
    }

    /// The word of the resource type alone.
    pub fn resource_type_word(&self) -> &'static str {
        match self.resource_type {
            ResourceType::Dataset => "dataset",
            ResourceType::Series => "series",
            ResourceType::Service => "service",
            ResourceType::Other => "",
        }
    }

    /// Every text of the record, for `AnyText` (lower-cased by the caller).
    pub fn any_text(&self) -> String {
        let mut s = String::with_capacity(256);
        for t in [&self.id, &self.title, &self.abstract_]
            .into_iter()
            .chain(self.keywords.iter())
            .chain(self.topics.iter())
            .chain(self.organisations.iter())
            .chain(self.formats.iter())
            .chain(self.rights.iter())
            .chain(self.resource_ids.iter())
            .chain(self.relations.iter())
            .chain(self.sources.iter())
            .chain(self.crs.iter())
            .chain(self.lineage.iter())
        {
            s.push_str(t);
            s.push('\n');
        }
        s.push_str(self.type_word());
        s
    }
}
