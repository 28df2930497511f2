//! The one way an orthophoto tile reaches a client. Every tile protocol
//! (WMTS KVP and REST, XYZ, TMS, WMS-C) parses its request, resolves the
//! layer through the authorization point (`access`), applies its own
//! limits and calls [`serve`]: the tile store is read here and nowhere
//! else, with the same caching headers for all of them.

use crate::error::{tile_failure, ApiError};
use crate::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_core::tms::TmsId;
use geocentre_image::ImageFormat;
use geocentre_raster::Tile;
use geocentre_registry::authz::OrthoView;
use geocentre_registry::Authorized;

/// A tile as a client addresses it (rows from the top).
#[derive(Debug, Clone, Copy)]
pub struct TileKey {
    pub tms: TmsId,
    pub z: u8,
    pub col: u64,
    pub row: u64,
    pub fmt: ImageFormat,
}

/// Splits "123.jpg" into (123, format).
pub fn split_ext(s: &str) -> Option<(u64, ImageFormat)> {
    let (n, ext) = s.rsplit_once('.')?;
    Some((n.parse().ok()?, ImageFormat::from_ext(ext)?))
}

/// Reads a tile of a view the caller may see and answers it with caching
/// headers (204 where the layer has no data). `ogc` selects the error
/// format: an OWS exception report or problem+json.
pub async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    view: &Authorized<OrthoView>,
    k: TileKey,
    ogc: bool,
) -> Result<Response, ApiError> {
    let tile: Option<Tile> = state
        .inner
        .tiles
        .tile(view, k.tms, k.z, k.col, k.row, k.fmt)
        .await
        .map_err(|e| tile_failure(e, ogc))?;
    Ok(respond(tile, headers, state.inner.config.tiles.max_age_s))
}

/// The REST tile protocols' rule (XYZ, TMS): a tile outside the layer's
/// extent, at any level, is 404.
pub async fn serve_in_extent(
    state: &AppState,
    headers: &HeaderMap,
    view: &Authorized<OrthoView>,
    k: TileKey,
) -> Result<Response, ApiError> {
    let ext = state.inner.extents.get(&view.pyramid);
    if !ext.contains(k.tms, k.z, k.col, k.row) {
        return Err(ApiError::not_found(format!(
            "tile {}/{}/{} is outside the layer's extent",
            k.z, k.col, k.row
        )));
    }
    serve(state, headers, view, k, false).await
}

/// HTTP caching for tiles: strong ETags from the stored generation, so a
/// republished vintage changes every tag; 304 on If-None-Match.
fn respond(tile: Option<Tile>, req_headers: &HeaderMap, max_age: u32) -> Response {
    let cache = HeaderValue::from_str(&format!("public, max-age={max_age}"))
        .unwrap_or(HeaderValue::from_static("public, max-age=3600"));
    let Some(tile) = tile else {
        // Inside the layer's limits but no data: nothing to draw.
        let mut r = StatusCode::NO_CONTENT.into_response();
        r.headers_mut().insert(header::CACHE_CONTROL, cache);
        return r;
    };
    let etag = format!("\"{}\"", tile.etag);
    let mut r = if crate::http_cache::if_none_match(req_headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = tile.bytes.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(tile.format.mime()),
        );
        r
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, cache);
    r
}
