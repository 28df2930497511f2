//! The catalog a caller sees: one record per published orthophoto view
//! (each layer's composite and each vintage), per vector dataset, per
//! service that has something to serve, and the stored records (imported,
//! harvested). Every record is reached through `crate::access`, so a
//! caller finds only what it may read.
//!
//! Our own records are built from the snapshot on each request (a region
//! has tens of them; the summaries cost microseconds), written in ISO
//! 19139 by the same code as their `metadata.xml` documents. Stored
//! records' summaries are parsed once per snapshot generation.

use crate::access::{self, listed_views};
use crate::routes::records::{self, DatasetInfo};
use crate::state::AppState;
use axum::http::HeaderMap;
use geocentre_catalog::record::{Link, Record, ResourceType};
use geocentre_core::bbox;
use geocentre_core::tms::LAMB93;
use geocentre_ogc::iso19139::OnlineResource;
use geocentre_registry::authz::OrthoView;
use geocentre_registry::{Authorized, RecordFormat, StoredRecord};
use std::collections::HashMap;
use std::sync::Arc;

/// Stored records' parsed summaries, for one snapshot generation.
pub struct StoredSummaries {
    generation: i64,
    by_id: Arc<HashMap<String, Arc<Record>>>,
}

/// What a record describes, to write it in ISO 19139.
pub enum Source {
    Ortho(Authorized<OrthoView>),
    Vector(DatasetInfo),
    Service(&'static str),
    Stored(Authorized<Arc<StoredRecord>>),
}

pub struct Entry {
    pub record: Arc<Record>,
    pub source: Source,
}

pub const CSW_RECORD_ID: &str = "geocentre-csw";

fn links(base: &str, online: &[OnlineResource]) -> Vec<Link> {
    online
        .iter()
        .map(|o| Link {
            url: o
                .url
                .strip_prefix(base)
                .map_or(o.url.clone(), str::to_string),
            protocol: match o.protocol {
                geocentre_ogc::iso19139::Protocol::Wms => "OGC:WMS",
                geocentre_ogc::iso19139::Protocol::Wmts => "OGC:WMTS",
                geocentre_ogc::iso19139::Protocol::Wfs => "OGC:WFS",
                geocentre_ogc::iso19139::Protocol::OgcApiFeatures => "OGC:API-Features",
            }
            .into(),
            name: o.name.clone(),
            function: if o.service == Some(geocentre_ogc::iso19139::InspireService::Download) {
                "download".into()
            } else {
                "information".into()
            },
        })
        .collect()
}

fn formats(list: &[(&str, &str)]) -> Vec<String> {
    list.iter().map(|(n, _)| n.to_string()).collect()
}

fn ortho_record(state: &AppState, base: &str, view: &OrthoView) -> Record {
    let o = records::ortho_parts(state, base, view);
    let svc = &state.inner.config.service;
    let mut keywords = vec!["Ortho-imagerie".to_string()];
    keywords.extend(records::ORTHO_KEYWORDS.iter().map(|k| k.to_string()));
    Record {
        id: o.id,
        resource_type: ResourceType::Dataset,
        title: o.title,
        abstract_: o.abstract_,
        keywords,
        topics: vec!["imageryBaseMapsEarthCover".into()],
        organisations: vec![svc.provider_name.clone()],
        modified: o.published.clone(),
        published: Some(o.published),
        bbox: Some(o.wgs84),
        crs: vec![format!("EPSG:{}", LAMB93.epsg)],
        formats: formats(records::ORTHO_FORMATS),
        links: links(base, &o.online),
        language: "fre".into(),
        rights: vec!["Licence Ouverte 2.0".into()],
        lineage: Some(o.lineage),
        resolution_m: Some(o.resolution_m),
        origin: "local".into(),
        ..Record::default()
    }
}

fn vector_record(state: &AppState, base: &str, info: &DatasetInfo) -> Record {
    let svc = &state.inner.config.service;
    let mut keywords = vec!["Unités administratives".to_string()];
    keywords.extend(records::VECTOR_KEYWORDS.iter().map(|k| k.to_string()));
    Record {
        id: format!("geocentre-vector-{}", info.name),
        resource_type: ResourceType::Dataset,
        title: info.title.clone(),
        abstract_: records::vector_abstract(info),
        keywords,
        topics: vec!["boundaries".into()],
        organisations: vec![svc.provider_name.clone()],
        modified: info.published.clone(),
        published: Some(info.published.clone()),
        bbox: info.wgs84,
        crs: vec![format!("EPSG:{}", info.crs.unwrap_or(2154))],
        formats: formats(records::VECTOR_FORMATS),
        links: links(base, &records::vector_online(base, info)),
        language: "fre".into(),
        rights: vec!["Licence Ouverte 2.0".into()],
        lineage: Some(records::VECTOR_LINEAGE.into()),
        origin: "local".into(),
        ..Record::default()
    }
}

/// What a service serves: its records' identifiers, their extent and
/// latest date.
struct Served {
    ids: Vec<String>,
    wgs84: Option<[f64; 4]>,
    latest: String,
}

fn service_record(
    state: &AppState,
    id: &str,
    title: String,
    service_type: &str,
    capabilities: &str,
    served: Served,
) -> Record {
    let Served {
        ids: operates_on,
        wgs84,
        latest: modified,
    } = served;
    let svc = &state.inner.config.service;
    Record {
        id: id.into(),
        resource_type: ResourceType::Service,
        title,
        abstract_: svc.abstract_.clone(),
        keywords: vec![service_type.to_string()],
        organisations: vec![svc.provider_name.clone()],
        modified,
        bbox: wgs84,
        links: vec![Link {
            url: capabilities.into(),
            protocol: format!("OGC:{}", id.trim_start_matches("geocentre-").to_uppercase()),
            name: String::new(),
            function: "information".into(),
        }],
        language: "fre".into(),
        service_type: Some(service_type.into()),
        operates_on,
        origin: "local".into(),
        ..Record::default()
    }
}

/// The stored records' summaries for the current generation.
fn stored(
    state: &AppState,
    generation: i64,
    visible: &[Authorized<Arc<StoredRecord>>],
) -> Arc<HashMap<String, Arc<Record>>> {
    let mut slot = match state.inner.stored_records.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if let Some(s) = slot.as_ref().filter(|s| s.generation == generation) {
        return s.by_id.clone();
    }
    let mut by_id = HashMap::with_capacity(visible.len());
    for r in visible {
        // A summary that no longer parses (written by another version)
        // leaves the record out rather than failing the catalog.
        match serde_json::from_str::<Record>(&r.summary) {
            Ok(rec) => {
                by_id.insert(r.id.clone(), Arc::new(rec));
            }
            Err(e) => {
                tracing::warn!(record = %r.id, error = %e, "catalog record summary unreadable")
            }
        }
    }
    let by_id = Arc::new(by_id);
    *slot = Some(StoredSummaries {
        generation,
        by_id: by_id.clone(),
    });
    by_id
}

/// Whether the caller's catalogue holds records of the platform's own
/// data, and so the catalogue's own service record ([`CSW_RECORD_ID`]).
pub fn describes_own_data(state: &AppState, headers: &HeaderMap) -> bool {
    !listed_views(state, headers).is_empty() || !records::vector_datasets(state, headers).is_empty()
}

/// Every record the caller may read: ours first (orthophotos, vector
/// datasets, services), then the stored ones by identifier.
pub fn entries(state: &AppState, headers: &HeaderMap, base: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let views = listed_views(state, headers);
    let mut ortho_ids = Vec::new();
    let mut ortho_box: Option<[f64; 4]> = None;
    let mut ortho_latest = String::new();
    for (_, view) in views {
        let rec = ortho_record(state, base, &view);
        ortho_ids.push(rec.id.clone());
        if let Some(b) = rec.bbox {
            ortho_box = Some(ortho_box.map_or(b, |a| bbox::union(a, b)));
        }
        ortho_latest = ortho_latest.max(rec.modified.clone());
        out.push(Entry {
            record: Arc::new(rec),
            source: Source::Ortho(view),
        });
    }
    let datasets = records::vector_datasets(state, headers);
    let mut vector_ids = Vec::new();
    let mut vector_box: Option<[f64; 4]> = None;
    let mut vector_latest = String::new();
    for info in datasets {
        let rec = vector_record(state, base, &info);
        vector_ids.push(rec.id.clone());
        if let Some(b) = rec.bbox {
            vector_box = Some(vector_box.map_or(b, |a| bbox::union(a, b)));
        }
        vector_latest = vector_latest.max(rec.modified.clone());
        out.push(Entry {
            record: Arc::new(rec),
            source: Source::Vector(info),
        });
    }
    let title = &state.inner.config.service.title;
    // A service's record exists when it has something to serve; the
    // catalogue's own when it describes some of our data.
    if !ortho_ids.is_empty() {
        for (id, kind, caps) in [
            (
                "geocentre-wms",
                "view",
                "/wms?SERVICE=WMS&REQUEST=GetCapabilities",
            ),
            (
                "geocentre-wmts",
                "view",
                "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
            ),
        ] {
            let rec = service_record(
                state,
                id,
                format!(
                    "{title} — {}",
                    id.trim_start_matches("geocentre-").to_uppercase()
                ),
                kind,
                caps,
                Served {
                    ids: ortho_ids.clone(),
                    wgs84: ortho_box,
                    latest: ortho_latest.clone(),
                },
            );
            out.push(Entry {
                record: Arc::new(rec),
                source: Source::Service(id),
            });
        }
    }
    if !vector_ids.is_empty() {
        let rec = service_record(
            state,
            "geocentre-wfs",
            format!("{title} — WFS"),
            "download",
            "/wfs?SERVICE=WFS&REQUEST=GetCapabilities",
            Served {
                ids: vector_ids.clone(),
                wgs84: vector_box,
                latest: vector_latest.clone(),
            },
        );
        out.push(Entry {
            record: Arc::new(rec),
            source: Source::Service("geocentre-wfs"),
        });
    }
    if !ortho_ids.is_empty() || !vector_ids.is_empty() {
        let all: Vec<String> = ortho_ids.iter().chain(vector_ids.iter()).cloned().collect();
        let b = match (ortho_box, vector_box) {
            (Some(a), Some(b)) => Some(bbox::union(a, b)),
            (a, b) => a.or(b),
        };
        let rec = service_record(
            state,
            CSW_RECORD_ID,
            format!("{title} — catalogue CSW"),
            "discovery",
            "/csw?SERVICE=CSW&REQUEST=GetCapabilities",
            Served {
                ids: all,
                wgs84: b,
                latest: ortho_latest.max(vector_latest),
            },
        );
        out.push(Entry {
            record: Arc::new(rec),
            source: Source::Service(CSW_RECORD_ID),
        });
    }
    let (generation, visible) = access::stored_records(state, headers);
    let summaries = stored(state, generation, &visible);
    for r in visible {
        if let Some(rec) = summaries.get(&r.id) {
            out.push(Entry {
                record: rec.clone(),
                source: Source::Stored(r),
            });
        }
    }
    out
}

/// A record in ISO 19139: ours as their `metadata.xml`, imported ISO
/// records as they came, Dublin Core ones converted.
pub fn iso(state: &AppState, headers: &HeaderMap, base: &str, e: &Entry) -> String {
    match &e.source {
        Source::Ortho(v) => records::ortho_iso(state, base, v),
        Source::Vector(info) => records::vector_iso(state, base, info),
        Source::Service("geocentre-wms") => records::wms_service_iso(state, headers),
        Source::Service("geocentre-wmts") => records::wmts_service_iso(state, headers),
        Source::Service("geocentre-wfs") => records::wfs_service_iso(state, headers),
        Source::Service(_) => records::csw_service_iso(state, headers, &e.record),
        Source::Stored(s) => match s.format {
            RecordFormat::Iso19139 => s.document.clone(),
            RecordFormat::DublinCore => geocentre_catalog::iso::document(&e.record, base),
        },
    }
}
