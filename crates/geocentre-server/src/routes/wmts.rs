//! WMTS 1.0.0: KVP and RESTful encodings.

use crate::access::{self, listed_views, view_title};
use crate::error::ApiError;
use crate::state::AppState;
use crate::tile_serving::{self, split_ext, TileKey};
use crate::urls::base_url;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_core::tms::TmsId;
use geocentre_image::ImageFormat;
use geocentre_ogc::inspire::Language;
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wmts::{self, ServiceInfo, TmsLink};
use geocentre_ogc::{OgcError, OwsCode};

fn capabilities(state: &AppState, headers: &HeaderMap, language: Language) -> Response {
    let base = base_url(state, headers);
    let svc = &state.inner.config.service;
    let (title, abstract_) = svc.texts(language == Language::Eng);
    let info = ServiceInfo {
        title,
        abstract_,
        provider_name: &svc.provider_name,
        provider_site: &svc.provider_site,
        contact_email: &svc.contact_email,
        base_url: &base,
    };
    let mut layers = Vec::new();
    for (layer, view) in listed_views(state, headers) {
        let p = &view.pyramid;
        let ext = state.inner.extents.get(p);
        let title = view_title(&layer, &view);
        // The bare name shows the composite ("current"); Time picks a vintage.
        let times = if view.id == layer.name() {
            std::iter::once("current".to_string())
                .chain(layer.vintages().rev().map(|p| p.vintage().to_string()))
                .collect()
        } else {
            Vec::new()
        };
        layers.push(wmts::Layer {
            times,
            id: view.id.clone(),
            title,
            abstract_: format!(
                "Orthophotographie, millésime {}, résolution native {} m{}.",
                p.vintage(),
                wmts::fmt_num(geocentre_core::tms::LAMB93.resolution(p.native_level())),
                p.producer()
                    .map(|s| format!(", producteur : {s}"))
                    .unwrap_or_default()
            ),
            // The layer's record through the catalogue's GetRecordById
            // (INSPIRE's WMTS tests read the record as a child of the
            // answer's root); the bare document stays at
            // /api/ortho/layers/{id}/metadata.xml.
            metadata_url: Some(crate::routes::csw::record_url(
                &base,
                &format!("geocentre-ortho-{}", view.id),
            )),
            wgs84_bbox: ext.wgs84,
            native_bbox: p.bbox(),
            formats: ImageFormat::ALL.iter().map(|f| f.mime()).collect(),
            links: TmsId::ALL
                .iter()
                .map(|&t| TmsLink {
                    tms: t,
                    limits: ext.advertised_limits(t).to_vec(),
                })
                .collect(),
        });
    }
    // The WMTS service record (routes/records.rs).
    let metadata_url = format!("{base}/api/services/wmts/metadata.xml");
    let xml = wmts::capabilities(&info, &layers, &TmsId::ALL, &metadata_url, language);
    let mut r = xml.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

/// Whether a query string is a KVP request (it names a SERVICE or a
/// REQUEST): sent to one of the RESTful addresses, it is answered as KVP.
fn is_kvp(q: Option<&str>) -> bool {
    ["SERVICE", "REQUEST"]
        .iter()
        .any(|k| geocentre_ogc::kvp::sniff(q, k).is_some())
}

/// The RESTful capabilities; a KVP request sent to their address (by a
/// client that took it for the KVP one: both are GetCapabilities hrefs) is
/// answered as KVP.
pub async fn rest_capabilities(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    if is_kvp(q.as_deref()) {
        return kvp(State(state), headers, RawQuery(q))
            .await
            .into_response();
    }
    capabilities(&state, &headers, Language::Fre)
}

/// `/wmts/1.0.0/`, the GetTile RESTful href (the base of the tile
/// templates): a KVP request sent there is answered as KVP, anything else
/// is a missing REQUEST.
pub async fn rest_root(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    kvp(State(state), headers, RawQuery(q)).await
}

pub async fn kvp(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let k = Kvp::from_query(q.as_deref())?;
    let request = k.require("REQUEST")?;
    let is_known = ["getcapabilities", "gettile"].contains(&request.to_ascii_lowercase().as_str());
    if is_known {
        let service = k.require("SERVICE")?;
        if !service.eq_ignore_ascii_case("WMTS") {
            return Err(
                OgcError::invalid("SERVICE", format!("service '{service}' is not WMTS")).into(),
            );
        }
    }
    match request.to_ascii_lowercase().as_str() {
        "getcapabilities" => {
            if let Some(v) = k.get("ACCEPTVERSIONS") {
                if !v.split(',').any(|x| x.trim() == "1.0.0") {
                    return Err(OgcError::new(
                        OwsCode::VersionNegotiationFailed,
                        Some("AcceptVersions"),
                        "only version 1.0.0 is supported",
                    )
                    .into());
                }
            }
            let language = Language::from_param(k.get("LANGUAGE"));
            Ok(capabilities(&state, &headers, language))
        }
        "gettile" => {
            let version = k.require("VERSION")?;
            if version != "1.0.0" {
                return Err(OgcError::invalid("VERSION", "only version 1.0.0 is supported").into());
            }
            let layer = k.require("LAYER")?;
            let style = k.require("STYLE")?;
            // Mandatory (WMTS 1.0 Table 26): a client that omits it is told
            // so, not served a format it did not choose.
            let format = k.require("FORMAT")?;
            let tms = k.require("TILEMATRIXSET")?;
            let matrix = k.require("TILEMATRIX")?;
            let row = k.require_u64("TILEROW")?;
            let col = k.require_u64("TILECOL")?;
            let fmt = ImageFormat::from_mime(format).ok_or_else(|| {
                OgcError::invalid("FORMAT", format!("format '{format}' is not offered"))
            })?;
            let layer = &with_time(&state, &headers, layer, k.get("TIME"))?;
            get_tile(&state, &headers, layer, style, tms, matrix, row, col, fmt).await
        }
        // GetFeatureInfo is a WMTS operation this server does not offer:
        // OperationNotSupported (501).
        "getfeatureinfo" => Err(OgcError::new(
            OwsCode::OperationNotSupported,
            Some("REQUEST"),
            "GetFeatureInfo is not offered by this WMTS: use the WMS GetFeatureInfo",
        )
        .into()),
        // A REQUEST that names no WMTS operation is an invalid value of
        // the parameter (OWS Common 1.1 Table 25; the OGC CITE WMTS suite
        // wants InvalidParameterValue, locator request).
        _ => Err(OgcError::invalid(
            "REQUEST",
            format!("request '{request}' is not a WMTS operation: use GetCapabilities or GetTile"),
        )
        .into()),
    }
}

pub async fn rest_tile(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((layer, style, tms, z, row, col_ext)): Path<(
        String,
        String,
        String,
        String,
        String,
        String,
    )>,
) -> Result<Response, ApiError> {
    let row: u64 = row
        .parse()
        .map_err(|_| OgcError::invalid("TileRow", format!("'{row}' is not a tile row")))?;
    let (col, fmt) = split_ext(&col_ext).ok_or_else(|| {
        OgcError::invalid(
            "TileCol",
            format!("'{col_ext}' is not a tile column with a .jpg, .png or .webp extension"),
        )
    })?;
    get_tile(&state, &headers, &layer, &style, &tms, &z, row, col, fmt).await
}

/// The Time dimension: `current` (or absent, or `default`: the declared
/// Default, WMTS 1.0 §7.2.4.7) is the composite, a year that vintage.
fn with_time(
    state: &AppState,
    headers: &HeaderMap,
    layer: &str,
    time: Option<&str>,
) -> Result<String, ApiError> {
    let Some(t) = time
        .map(str::trim)
        .filter(|t| !t.eq_ignore_ascii_case("current") && !t.eq_ignore_ascii_case("default"))
    else {
        return Ok(layer.to_string());
    };
    let year = geocentre_ogc::kvp::year_of(t).ok_or_else(|| {
        OgcError::invalid(
            "Time",
            format!("Time '{t}' is not a year, nor a real date or date-time"),
        )
    })?;
    let id = format!("{layer}-{year}");
    if access::ortho(state, headers, &id).is_none()
        && access::ortho(state, headers, layer).is_some()
    {
        return Err(OgcError::invalid(
            "Time",
            format!("layer '{layer}' has no vintage {year}; see its Time dimension"),
        )
        .into());
    }
    Ok(id)
}

/// REST with the Time dimension in the path.
pub async fn rest_tile_time(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((layer, style, time, tms, z, row, col_ext)): Path<(
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    )>,
) -> Result<Response, ApiError> {
    let layer = with_time(&state, &headers, &layer, Some(&time))?;
    rest_tile(
        State(state),
        headers,
        Path((layer, style, tms, z, row, col_ext)),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn get_tile(
    state: &AppState,
    headers: &HeaderMap,
    layer: &str,
    style: &str,
    tms: &str,
    matrix: &str,
    row: u64,
    col: u64,
    fmt: ImageFormat,
) -> Result<Response, ApiError> {
    let view = access::ortho(state, headers, layer)
        .ok_or_else(|| OgcError::invalid("LAYER", format!("unknown layer '{layer}'")))?;
    if !(style.is_empty() || style == "default") {
        return Err(
            OgcError::invalid("STYLE", format!("unknown style '{style}': use 'default'")).into(),
        );
    }
    let tms = TmsId::parse(tms).ok_or_else(|| {
        OgcError::invalid("TILEMATRIXSET", format!("unknown tile matrix set '{tms}'"))
    })?;
    let z: u8 = matrix
        .parse()
        .ok()
        .filter(|z| *z <= tms.get().max_level)
        .ok_or_else(|| {
            OgcError::invalid("TILEMATRIX", format!("unknown tile matrix '{matrix}'"))
        })?;
    let ext = state.inner.extents.get(&view.pyramid);
    // Every matrix of the set is served within the limits the capabilities
    // advertise for it (levels past the finest stored are upsampled), and
    // nothing narrower is enforced: see extent.rs.
    if let Some(lim) = ext
        .level_limits(tms, z)
        .filter(|_| !ext.contains(tms, z, col, row))
    {
        let locator = if row < lim.min_row || row > lim.max_row {
            "TILEROW"
        } else {
            "TILECOL"
        };
        return Err(OgcError::new(
            OwsCode::TileOutOfRange,
            Some(locator),
            format!(
                "tile ({row}, {col}) is outside rows {}–{} and columns {}–{} of matrix {z}",
                lim.min_row, lim.max_row, lim.min_col, lim.max_col
            ),
        )
        .into());
    }
    tile_serving::serve(
        state,
        headers,
        &view,
        TileKey {
            tms,
            z,
            col,
            row,
            fmt,
        },
        true,
        tile_serving::Empty::Blank,
    )
    .await
}
