//! Documents about published imagery: ISO 19139 metadata records (the
//! MetadataURL of WMS layers, the INSPIRE service metadata) and the dalle
//! index as GeoJSON.

use crate::access::{self, listed_views, principal, view_title};
use crate::error::ApiError;
use crate::state::AppState;
use crate::urls::base_url;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_core::bbox;
use geocentre_core::tms::LAMB93;
use geocentre_ogc::iso19139::{
    self, DatasetRecord, InspireService, OnlineResource, Party, Protocol, ServiceKind,
    ServiceRecord,
};
use geocentre_raster::dalle_index;
use geocentre_registry::authz;

fn xml(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

/// The date part of an ISO 8601 timestamp (the epoch when absent).
fn day(ts: &str) -> String {
    match ts.get(..10) {
        Some(d) if d.len() == 10 => d.to_string(),
        _ => "1970-01-01".to_string(),
    }
}

fn published(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<geocentre_registry::Authorized<geocentre_registry::authz::OrthoView>, ApiError> {
    access::ortho(state, headers, id)
        .ok_or_else(|| ApiError::not_found(format!("no published orthophoto '{id}'")))
}

pub async fn layer_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = published(&state, &headers, &id)?;
    let base = base_url(&state, &headers);
    Ok(xml(ortho_iso(&state, &base, &view)))
}

/// What the record of an orthophoto view says, owned: written in ISO
/// 19139 ([`ortho_iso`]) and summarised for the catalog (`crate::catalog`).
pub(crate) struct OrthoParts {
    pub id: String,
    pub title: String,
    pub abstract_: String,
    pub lineage: String,
    pub published: String,
    pub wgs84: [f64; 4],
    pub resolution_m: f64,
    pub online: Vec<OnlineResource>,
}

pub(crate) const ORTHO_KEYWORDS: &[&str] = &["PCRS", "orthophotographie", "géocommun"];
pub(crate) const VECTOR_KEYWORDS: &[&str] = &["données vectorielles", "géocommun"];
pub(crate) const VECTOR_LINEAGE: &str = "Fichiers livrés par le producteur, contrôlés à l'import (SCR, géométries, encodage) puis publiés en GeoPackage.";

pub(crate) fn ortho_parts(
    state: &AppState,
    base: &str,
    view: &geocentre_registry::authz::OrthoView,
) -> OrthoParts {
    let svc = &state.inner.config.service;
    let p = &view.pyramid;
    let ext = state.inner.extents.get(p);
    let published = day(p.published_at());
    let lineage = if p.is_composite() {
        let years: Vec<String> = p.layers().iter().map(|l| l.vintage().to_string()).collect();
        format!(
            "Mosaïque des millésimes {} (ordre de superposition : priorité puis millésime, le dernier peint l'emporte), dalles COG alignées sur la grille LAMB93_5cm_EPSG.",
            years.join(", ")
        )
    } else {
        format!(
            "Dalles livrées par {} (millésime {}{}), contrôlées à la livraison puis converties en COG JPEG alignés sur la grille LAMB93_5cm_EPSG.",
            p.producer().unwrap_or("le producteur"),
            p.vintage(),
            p.acquired()
                .map(|d| format!(", prise de vue du {d}"))
                .unwrap_or_default()
        )
    };
    let title = view_title(&view.layer, view);
    let abstract_ = format!(
        "{} Résolution native {} m. Services : WMS, WMTS, TMS, XYZ.",
        svc.abstract_,
        LAMB93.resolution(p.native_level())
    );
    // The two view services that show it, each an INSPIRE view service
    // with its own record (TG Metadata 2.0, CC8: resource locators of the
    // linked services). No download service: the imagery is offered for
    // viewing only (WMS, WMTS, TMS, XYZ); there is no WCS or Atom feed of
    // the dalles (a design decision, docs/conformance.md).
    let online = vec![
        OnlineResource {
            url: format!("{base}/wms?SERVICE=WMS&REQUEST=GetCapabilities"),
            protocol: Protocol::Wms,
            name: view.id.clone(),
            service: Some(InspireService::View),
        },
        OnlineResource {
            url: format!("{base}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"),
            protocol: Protocol::Wmts,
            name: view.id.clone(),
            service: Some(InspireService::View),
        },
    ];
    OrthoParts {
        id: format!("geocentre-ortho-{}", view.id),
        title,
        abstract_,
        lineage,
        published,
        wgs84: ext.wgs84,
        resolution_m: LAMB93.resolution(p.native_level()),
        online,
    }
}

/// The ISO 19139 record of an orthophoto view.
pub(crate) fn ortho_iso(
    state: &AppState,
    base: &str,
    view: &geocentre_registry::authz::OrthoView,
) -> String {
    let svc = &state.inner.config.service;
    let o = ortho_parts(state, base, view);
    let record = DatasetRecord {
        id: &o.id,
        title: &o.title,
        abstract_: &o.abstract_,
        party: Party {
            organisation: &svc.provider_name,
            email: &svc.contact_email,
        },
        date_stamp: &o.published,
        publication_date: &o.published,
        wgs84: o.wgs84,
        resolution_m: Some(o.resolution_m),
        theme: "Ortho-imagerie",
        keywords: ORTHO_KEYWORDS,
        topic: "imageryBaseMapsEarthCover",
        lineage: &o.lineage,
        online: o.online,
        crs_epsg: LAMB93.epsg,
        formats: ORTHO_FORMATS,
    };
    iso19139::dataset_record(&record)
}

/// What the view services deliver of an orthophoto (WMS GetMap, WMTS
/// GetTile): the distribution formats of its record.
pub(crate) const ORTHO_FORMATS: &[(&str, &str)] = &[
    ("JPEG", "ISO/IEC 10918-1"),
    ("PNG", "ISO/IEC 15948:2004"),
    ("WebP", "RFC 9649"),
];

/// What the download services deliver of a vector dataset (WFS 2.0 GML,
/// GeoJSON from WFS and OGC API Features, CSV from WFS).
pub(crate) const VECTOR_FORMATS: &[(&str, &str)] = &[
    ("GML", "3.2.1"),
    ("GeoJSON", "RFC 7946"),
    ("CSV", "RFC 4180"),
];

/// The record of a view service over the published orthophotos: WMS or
/// WMTS, which show the same views.
pub(crate) fn view_service_iso(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    capabilities: &str,
    kind: ServiceKind,
) -> String {
    let base = base_url(state, headers);
    let svc = &state.inner.config.service;
    let views = listed_views(state, headers);
    let mut wgs84: Option<[f64; 4]> = None;
    let mut latest = String::new();
    for (_, v) in &views {
        let e = state.inner.extents.get(&v.pyramid).wgs84;
        wgs84 = Some(wgs84.map_or(e, |b| bbox::union(b, e)));
        latest = latest.max(day(v.pyramid.published_at()));
    }
    let record = ServiceRecord {
        id,
        title: &svc.title,
        abstract_: &svc.abstract_,
        party: Party {
            organisation: &svc.provider_name,
            email: &svc.contact_email,
        },
        date_stamp: if latest.is_empty() {
            "1970-01-01"
        } else {
            &latest
        },
        wgs84,
        capabilities_url: &format!("{base}{capabilities}"),
        operates_on: views
            .iter()
            .map(|(_, v)| format!("{base}/api/ortho/layers/{}/metadata.xml", v.id))
            .collect(),
        kind,
    };
    iso19139::service_record(&record)
}

pub async fn wms_service_metadata(State(state): State<AppState>, headers: HeaderMap) -> Response {
    xml(wms_service_iso(&state, &headers))
}

pub(crate) fn wms_service_iso(state: &AppState, headers: &HeaderMap) -> String {
    view_service_iso(
        state,
        headers,
        "geocentre-wms",
        "/wms?SERVICE=WMS&REQUEST=GetCapabilities",
        ServiceKind::View,
    )
}

/// The INSPIRE view service record of the WMTS (its MetadataUrl).
pub async fn wmts_service_metadata(State(state): State<AppState>, headers: HeaderMap) -> Response {
    xml(wmts_service_iso(&state, &headers))
}

pub(crate) fn wmts_service_iso(state: &AppState, headers: &HeaderMap) -> String {
    view_service_iso(
        state,
        headers,
        "geocentre-wmts",
        "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
        ServiceKind::ViewTiles,
    )
}

/// A vector dataset as its records describe it.
pub(crate) struct DatasetInfo {
    pub name: String,
    pub title: String,
    /// lon/lat extent of its layers with geometry.
    pub wgs84: Option<[f64; 4]>,
    pub published: String,
    pub layers: Vec<String>,
    /// The storage CRS of its first layer with geometry.
    pub crs: Option<u32>,
}

/// The vector datasets a principal sees.
pub(crate) fn vector_datasets(state: &AppState, headers: &HeaderMap) -> Vec<DatasetInfo> {
    let views = authz::visible_vector_layers(&state.snapshot(), &principal(headers));
    let mut out: Vec<DatasetInfo> = Vec::new();
    for v in &views {
        let name = v.dataset.name().to_string();
        let b = (v.layer.srid > 0).then_some(v.layer.bbox_wgs84);
        if out.last().map(|d| &d.name) != Some(&name) {
            out.push(DatasetInfo {
                name: name.clone(),
                title: v.dataset.title().to_string(),
                wgs84: None,
                published: day(v.dataset.published_at()),
                layers: Vec::new(),
                crs: None,
            });
        }
        if let Some(d) = out.last_mut() {
            d.layers.push(v.layer.name.clone());
            if d.crs.is_none() && v.layer.srid > 0 {
                d.crs = u32::try_from(v.layer.srid).ok();
            }
            d.wgs84 = match (d.wgs84, b) {
                (Some(a), Some(b)) => Some(bbox::union(a, b)),
                (a, b) => a.or(b),
            };
        }
    }
    out
}

/// The ISO 19139 record of a vector dataset (the MetadataURL of its WFS
/// feature types and the target of the WFS service record's operatesOn).
pub async fn vector_metadata(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let Some(info) = vector_datasets(&state, &headers)
        .into_iter()
        .find(|d| d.name == name)
    else {
        return Err(ApiError::not_found(format!(
            "no published vector dataset '{name}'"
        )));
    };
    let base = base_url(&state, &headers);
    Ok(xml(vector_iso(&state, &base, &info)))
}

/// The links of a vector dataset's record.
pub(crate) fn vector_online(base: &str, info: &DatasetInfo) -> Vec<OnlineResource> {
    let name = &info.name;
    // The INSPIRE download service (the WFS, with its service record and
    // the pre-defined GetSpatialDataSet query) and, when the dataset has
    // geometry, the view service that draws it (the WMS); the OGC API
    // Features collections are plain links: that API is not declared as
    // an INSPIRE network service (no service record of its own).
    let mut online = vec![OnlineResource {
        url: format!("{base}/wfs?SERVICE=WFS&REQUEST=GetCapabilities"),
        protocol: Protocol::Wfs,
        name: name.clone(),
        service: Some(InspireService::Download),
    }];
    if info.wgs84.is_some() {
        online.push(OnlineResource {
            url: format!("{base}/wms?SERVICE=WMS&REQUEST=GetCapabilities"),
            protocol: Protocol::Wms,
            name: name.clone(),
            service: Some(InspireService::View),
        });
    }
    online.extend(info.layers.iter().map(|l| OnlineResource {
        url: format!("{base}/ogcapi/collections/{name}.{l}"),
        protocol: Protocol::OgcApiFeatures,
        name: format!("{name}.{l}"),
        service: None,
    }));
    online
}

pub(crate) fn vector_abstract(info: &DatasetInfo) -> String {
    format!(
        "{}. Couches : {}. Services : WFS 2.0, OGC API Features, tuiles vectorielles, WMS.",
        info.title,
        info.layers.join(", ")
    )
}

/// The ISO 19139 record of a vector dataset (the MetadataURL of its WFS
/// feature types and the target of the WFS service record's operatesOn).
pub(crate) fn vector_iso(state: &AppState, base: &str, info: &DatasetInfo) -> String {
    let svc = &state.inner.config.service;
    let abstract_ = vector_abstract(info);
    let record = DatasetRecord {
        id: &format!("geocentre-vector-{}", info.name),
        title: &info.title,
        abstract_: &abstract_,
        party: Party {
            organisation: &svc.provider_name,
            email: &svc.contact_email,
        },
        date_stamp: &info.published,
        publication_date: &info.published,
        wgs84: info.wgs84.unwrap_or([-180.0, -90.0, 180.0, 90.0]),
        resolution_m: None,
        theme: "Unités administratives",
        keywords: VECTOR_KEYWORDS,
        topic: "boundaries",
        lineage: VECTOR_LINEAGE,
        online: vector_online(base, info),
        // A dataset without geometry has no CRS of its own: Lambert-93,
        // the platform's.
        crs_epsg: info.crs.unwrap_or(2154),
        formats: VECTOR_FORMATS,
    };
    iso19139::dataset_record(&record)
}

/// The INSPIRE download service record of the WFS.
pub async fn wfs_service_metadata(State(state): State<AppState>, headers: HeaderMap) -> Response {
    xml(wfs_service_iso(&state, &headers))
}

pub(crate) fn wfs_service_iso(state: &AppState, headers: &HeaderMap) -> String {
    let base = base_url(state, headers);
    let svc = &state.inner.config.service;
    let datasets = vector_datasets(state, headers);
    let wgs84 = datasets.iter().filter_map(|d| d.wgs84).reduce(bbox::union);
    let latest = datasets.iter().map(|d| d.published.clone()).max();
    let record = ServiceRecord {
        id: "geocentre-wfs",
        title: &svc.title,
        abstract_: &svc.abstract_,
        party: Party {
            organisation: &svc.provider_name,
            email: &svc.contact_email,
        },
        date_stamp: latest.as_deref().unwrap_or("1970-01-01"),
        wgs84,
        capabilities_url: &format!("{base}/wfs?SERVICE=WFS&REQUEST=GetCapabilities"),
        operates_on: datasets
            .iter()
            .map(|d| format!("{base}/api/vector/datasets/{}/metadata.xml", d.name))
            .collect(),
        kind: ServiceKind::Download,
    };
    iso19139::service_record(&record)
}

/// Most dalles one GeoJSON document of the index holds (about 1 KB each).
pub const MAX_DALLES_GEOJSON: usize = 100_000;

/// The dalle index of a view as GeoJSON (RFC 7946: lon/lat), with the
/// attributes GetFeatureInfo gives.
///
/// A region's vintage holds ~10⁶ dalles: past [`MAX_DALLES_GEOJSON`], the
/// client narrows the request with `bbox=minlon,minlat,maxlon,maxlat`.
pub async fn dalles_geojson(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let view = published(&state, &headers, &id)?;
    // Strictly decoded, and bounded, as every query string.
    let query = geocentre_ogc::kvp::decode_query(
        raw.as_deref().unwrap_or(""),
        geocentre_ogc::kvp::MAX_PARAMS,
    )
    .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let bbox_param = query.iter().find(|(k, _)| k == "bbox").map(|(_, v)| v);
    let to_wgs84 = state
        .inner
        .tiles
        .transformer(LAMB93.epsg, 4326)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let window = match bbox_param {
        None => dalle_index::EVERYWHERE,
        Some(text) => {
            let v: Vec<f64> = text
                .split(',')
                .map(|p| p.trim().parse::<f64>())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    ApiError::bad_request(format!(
                        "bbox '{text}': four numbers, minlon,minlat,maxlon,maxlat"
                    ))
                })?;
            let b: [f64; 4] = v.try_into().map_err(|_| {
                ApiError::bad_request(format!(
                    "bbox '{text}': four numbers, minlon,minlat,maxlon,maxlat"
                ))
            })?;
            let b = bbox::checked_lon_lat(b)
                .map_err(|e| ApiError::bad_request(format!("bbox '{text}': {e}")))?;
            state
                .inner
                .tiles
                .transformer(4326, LAMB93.epsg)
                .map_err(|e| ApiError::internal(e.to_string()))?
                .transform_bbox(b)
        }
    };
    let matched = dalle_index::count_in(&view, window);
    if matched > MAX_DALLES_GEOJSON {
        return Err(ApiError::Problem {
            status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            title: "Payload Too Large",
            detail: format!(
                "{matched} dalles: more than {MAX_DALLES_GEOJSON} in one document; narrow it with bbox=minlon,minlat,maxlon,maxlat"
            ),
        });
    }
    let features: Vec<serde_json::Value> =
        dalle_index::dalles_in(&view, window, MAX_DALLES_GEOJSON)
            .into_iter()
            .map(|(p, d)| {
                let mut ring = dalle_index::ring(d.footprint);
                to_wgs84.transform(&mut ring);
                let coords: Vec<[f64; 2]> = ring.into_iter().map(|(x, y)| [x, y]).collect();
                serde_json::json!({
                    "type": "Feature",
                    "id": format!("{}-{}/{}", view.layer.name(), p.vintage(), d.name),
                    "geometry": {"type": "Polygon", "coordinates": [coords]},
                    "properties": {
                        "dalle": d.name,
                        "vintage": p.vintage(),
                        "acquired": p.acquired(),
                        "producer": p.producer(),
                        "resolution_m": d.resolution,
                        "source": d.delivered_as(),
                        "format": d.format,
                        "bbox_l93": d.footprint,
                    },
                })
            })
            .collect();
    let body = serde_json::json!({
        "type": "FeatureCollection",
        "name": format!("{}-dalles", view.id),
        "features": features,
    });
    let mut r = body.to_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"{}-dalles.geojson\"",
            view.id
        ))
        .unwrap_or(HeaderValue::from_static("attachment")),
    );
    Ok(r)
}

/// The INSPIRE discovery service record of the CSW itself (the
/// MetadataUrl of its capabilities): it operates on every record of our
/// data (`summary.operates_on`).
pub(crate) fn csw_service_iso(
    state: &AppState,
    headers: &HeaderMap,
    summary: &geocentre_catalog::Record,
) -> String {
    let base = base_url(state, headers);
    let svc = &state.inner.config.service;
    let record = ServiceRecord {
        id: &summary.id,
        title: &summary.title,
        abstract_: &svc.abstract_,
        party: Party {
            organisation: &svc.provider_name,
            email: &svc.contact_email,
        },
        date_stamp: if summary.modified.is_empty() {
            "1970-01-01"
        } else {
            &summary.modified
        },
        wgs84: summary.bbox,
        capabilities_url: &format!("{base}/csw?SERVICE=CSW&REQUEST=GetCapabilities"),
        operates_on: summary
            .operates_on
            .iter()
            .map(|id| crate::routes::csw::record_url(&base, id))
            .collect(),
        kind: ServiceKind::Discovery,
    };
    iso19139::service_record(&record)
}
