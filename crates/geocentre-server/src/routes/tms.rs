//! OSGeo TMS 1.0.0: rows counted from the bottom of the level-0 tile.

use super::tile_path;
use crate::access::{self, listed_views, view_title};
use crate::error::ApiError;
use crate::state::AppState;
use crate::tile_serving;
use crate::urls::base_url;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_core::tms::TmsId;
use geocentre_ogc::tms_doc::{self, TileMapEntry};

fn xml(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

pub async fn service(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let mut maps = Vec::new();
    for (layer, view) in listed_views(&state, &headers) {
        for tms in TmsId::ALL {
            maps.push(TileMapEntry {
                title: format!("{} ({})", view_title(&layer, &view), tms.as_str()),
                path: format!("{}/{}", view.id, tms.as_str()),
                tms,
            });
        }
    }
    xml(tms_doc::service(
        &base,
        &state.inner.config.service.title,
        &maps,
    ))
}

pub async fn tile_map(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((layer, tms)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let view = access::ortho(&state, &headers, &layer)
        .ok_or_else(|| ApiError::not_found(format!("unknown layer '{layer}'")))?;
    let tms = TmsId::parse(&tms)
        .ok_or_else(|| ApiError::not_found(format!("unknown tile matrix set '{tms}'")))?;
    let ext = state.inner.extents.get(&view.pyramid);
    let base = base_url(&state, &headers);
    Ok(xml(tms_doc::tile_map(
        &base,
        &format!("{}/{}", view.id, tms.as_str()),
        view.layer.title(),
        tms,
        ext.bbox(tms),
        ext.max_level(tms),
    )))
}

pub async fn tile(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((layer, tms, z, x, y_ext)): Path<(String, String, String, String, String)>,
) -> Result<Response, ApiError> {
    let (x, y, fmt) = tile_path::xy(&x, &y_ext)?;
    let zl: u32 = z
        .parse()
        .map_err(|_| ApiError::bad_request(format!("'{z}' is not a zoom level")))?;
    if zl > 30 || y >= (1u64 << zl) {
        return Err(ApiError::not_found(format!(
            "tile {z}/{x}/{y} is outside the tile map"
        )));
    }
    let row = (1u64 << zl) - 1 - y;
    let view = access::ortho(&state, &headers, &layer)
        .ok_or_else(|| ApiError::not_found(format!("unknown layer '{layer}'")))?;
    let key = tile_path::key(&tms, &z, (x, row), fmt)?;
    tile_serving::serve_in_extent(&state, &headers, &view, key).await
}
