//! The one way an orthophoto tile reaches a client. Every tile protocol
//! (WMTS KVP and REST, XYZ, TMS, WMS-C) parses its request, resolves the
//! layer through the authorization point (`access`), applies its own
//! limits and calls [`serve`]: the tile store is read here and nowhere
//! else, with the same caching headers for all of them.

use crate::error::{tile_failure, ApiError};
use crate::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use geocentre_core::tms::TmsId;
use geocentre_core::tms::TILE_SIZE;
use geocentre_image::encode::encode;
use geocentre_image::ImageFormat;
use geocentre_raster::Tile;
use geocentre_registry::authz::OrthoView;
use geocentre_registry::Authorized;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

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

/// What a tile without data is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Empty {
    /// 204 No Content: the REST tile protocols (XYZ, TMS), whose clients
    /// (MapLibre, OpenLayers, GDAL) read it as an empty tile.
    NoContent,
    /// A blank tile of the format asked for (transparent; black in JPEG,
    /// like the stored tiles' edges): WMTS GetTile and WMS-C GetMap answer
    /// an image for a tile their capabilities promise.
    Blank,
}

/// Levels past a layer's finest that the REST tile protocols (XYZ, TMS)
/// serve upsampled; deeper is 404 there (WMTS serves every level of the
/// set: its capabilities advertise limits for all of them).
pub const OVERZOOM_LEVELS: u8 = 3;

/// Reads a tile of a view the caller may see and answers it with caching
/// headers (`empty` where the layer has no data). `ogc` selects the error
/// format: an OWS exception report or problem+json.
pub async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    view: &Authorized<OrthoView>,
    k: TileKey,
    ogc: bool,
    empty: Empty,
) -> Result<Response, ApiError> {
    let tile: Option<Tile> = state
        .inner
        .tiles
        .tile(view, k.tms, k.z, k.col, k.row, k.fmt)
        .await
        .map_err(|e| tile_failure(e, ogc))?;
    let tile = match (tile, empty) {
        (None, Empty::Blank) => Some(blank(state, k.fmt).await.map_err(|e| {
            tracing::error!("blank tile: {e}");
            ApiError::internal("internal error while encoding a tile")
        })?),
        (t, _) => t,
    };
    Ok(respond(tile, headers, state.inner.config.tiles.max_age_s))
}

/// The blank tile of a format, encoded once.
async fn blank(
    state: &AppState,
    fmt: ImageFormat,
) -> Result<Tile, geocentre_image::encode::EncodeError> {
    static BLANK: OnceLock<Mutex<HashMap<ImageFormat, Bytes>>> = OnceLock::new();
    let cache = BLANK.get_or_init(Default::default);
    let cached = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&fmt)
        .cloned();
    let bytes = match cached {
        Some(b) => b,
        None => {
            let (jq, wq) = (
                state.inner.config.tiles.jpeg_quality,
                state.inner.config.tiles.webp_quality,
            );
            let side = TILE_SIZE as usize;
            let rgba = vec![0u8; side * side * 4];
            let b = Bytes::from(encode(&rgba, TILE_SIZE, TILE_SIZE, fmt, jq, wq)?);
            cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(fmt, b.clone());
            b
        }
    };
    Ok(Tile {
        bytes,
        format: fmt,
        etag: format!("blank-{}", fmt.ext()),
    })
}

/// The REST tile protocols' rule (XYZ, TMS): a tile outside the layer's
/// extent, or deeper than [`OVERZOOM_LEVELS`] past its finest level, is
/// 404; one inside without data is 204.
pub async fn serve_in_extent(
    state: &AppState,
    headers: &HeaderMap,
    view: &Authorized<OrthoView>,
    k: TileKey,
) -> Result<Response, ApiError> {
    let ext = state.inner.extents.get(&view.pyramid);
    let too_deep = k.z > ext.max_level(k.tms).saturating_add(OVERZOOM_LEVELS);
    if too_deep || !ext.contains(k.tms, k.z, k.col, k.row) {
        return Err(ApiError::not_found(format!(
            "tile {}/{}/{} is outside the layer's extent",
            k.z, k.col, k.row
        )));
    }
    serve(state, headers, view, k, false, Empty::NoContent).await
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
