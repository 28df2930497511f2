mod indicators;
mod mvt;
mod ogcapi;
mod records;
mod site;
mod tms;
mod wfs;
mod wms;
mod wmts;
mod xyz;

use crate::error::{tile_failure, ApiError};
use crate::state::AppState;
use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;
use geocentre_core::tms::TmsId;
use geocentre_core::Principal;
use geocentre_image::ImageFormat;
use geocentre_raster::Tile;
use geocentre_registry::authz::{self, OrthoView};
use geocentre_registry::{Authorized, OrthoLayer};
use std::sync::Arc;

pub use indicators::CoverageCache;
pub use wmts::OVERZOOM_LEVELS;

pub fn ogc_routes() -> Router<AppState> {
    Router::new()
        .route("/wmts", get(wmts::kvp))
        .route(
            "/wmts/1.0.0/WMTSCapabilities.xml",
            get(wmts::rest_capabilities),
        )
        .route(
            "/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col_ext}",
            get(wmts::rest_tile),
        )
        .route(
            "/wmts/1.0.0/{layer}/{style}/{time}/{tms}/{z}/{row}/{col_ext}",
            get(wmts::rest_tile_time),
        )
        .route("/tiles/{layer}/{tms}/{z}/{x}/{y_ext}", get(xyz::tile))
        .route("/tiles/{layer}/{tms}/tilejson.json", get(mvt::tilejson))
        .route("/tms/1.0.0", get(tms::service))
        .route("/tms/1.0.0/", get(tms::service))
        .route("/tms/1.0.0/{layer}/{tms}", get(tms::tile_map))
        .route("/tms/1.0.0/{layer}/{tms}/{z}/{x}/{y_ext}", get(tms::tile))
        .route("/wms", get(wms::kvp))
        .route("/wfs", get(wfs::kvp).post(wfs::post))
        .route("/ogcapi", get(ogcapi::landing))
        .route("/ogcapi/", get(ogcapi::landing))
        .route("/ogcapi/conformance", get(ogcapi::conformance))
        .route("/ogcapi/api", get(ogcapi::openapi))
        .route(
            "/ogcapi/collections/{id}/queryables",
            get(ogcapi::queryables),
        )
        .route("/ogcapi/collections", get(ogcapi::collections))
        .route("/ogcapi/collections/{id}", get(ogcapi::collection))
        .route("/ogcapi/collections/{id}/items", get(ogcapi::items))
        .route("/ogcapi/collections/{id}/items/{fid}", get(ogcapi::item))
}

pub fn site_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(site::index))
        .route("/assets/{*path}", get(site::asset))
        .route("/healthz", get(site::healthz))
        .route("/api/ortho/layers", get(site::ortho_layers))
        .route("/api/indicators/coverage", get(indicators::coverage))
        .route(
            "/api/ortho/layers/{id}/metadata.xml",
            get(records::layer_metadata),
        )
        .route(
            "/api/ortho/layers/{id}/dalles.geojson",
            get(records::dalles_geojson),
        )
        .route(
            "/api/services/wms/metadata.xml",
            get(records::wms_service_metadata),
        )
        .route(
            "/api/services/wfs/metadata.xml",
            get(records::wfs_service_metadata),
        )
        .route(
            "/api/vector/datasets/{name}/metadata.xml",
            get(records::vector_metadata),
        )
}

/// The caller of a request. Every request is anonymous until accounts exist.
pub fn principal(_headers: &HeaderMap) -> Principal {
    Principal::Anonymous
}

/// The one way handlers obtain a layer: through the authorization point.
pub fn resolve(state: &AppState, headers: &HeaderMap, id: &str) -> Option<Authorized<OrthoView>> {
    authz::resolve_ortho(&state.snapshot(), &principal(headers), id).ok()
}

/// Every published view the caller may read, as services list them: for
/// each layer its composite (named `{name}`), then each vintage
/// (`{name}-{year}`), newest first.
pub fn listed_views(
    state: &AppState,
    headers: &HeaderMap,
) -> Vec<(Authorized<Arc<OrthoLayer>>, Authorized<OrthoView>)> {
    let snapshot = state.snapshot();
    let mut out = Vec::new();
    for layer in authz::visible_ortho_layers(&snapshot, &principal(headers)) {
        let views: Vec<_> = authz::current_view(&layer)
            .into_iter()
            .chain(authz::vintage_views(&layer).into_iter().rev())
            .collect();
        for view in views {
            out.push((layer.clone(), view));
        }
    }
    out
}

/// The title of a listed view, in French.
pub fn view_title(layer: &OrthoLayer, view: &OrthoView) -> String {
    if view.id == layer.name() && view.pyramid.is_composite() {
        format!(
            "{} (mosaïque des millésimes, le plus récent devant)",
            layer.title()
        )
    } else if view.id == layer.name() {
        format!(
            "{} (millésime le plus récent : {})",
            layer.title(),
            view.pyramid.vintage()
        )
    } else {
        format!("{} — {}", layer.title(), view.pyramid.vintage())
    }
}

pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let configured = state.inner.config.server.public_url.trim_end_matches('/');
    if !configured.is_empty() {
        return configured.to_string();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:8080");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// Percent-encodes a query-string key or value (RFC 3986 unreserved kept).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Splits "123.jpg" into (123, format).
pub fn split_ext(s: &str) -> Option<(u64, ImageFormat)> {
    let (n, ext) = s.rsplit_once('.')?;
    Some((n.parse().ok()?, ImageFormat::from_ext(ext)?))
}

/// A tile as a client addresses it.
#[derive(Debug, Clone, Copy)]
pub struct TileKey {
    pub tms: TmsId,
    pub z: u8,
    pub col: u64,
    pub row: u64,
    pub fmt: ImageFormat,
}

/// Reads a tile the caller may see and answers it with caching headers
/// (204 where the layer has no data). `ogc` selects the error format.
pub async fn reply_tile(
    state: &AppState,
    headers: &HeaderMap,
    view: &Authorized<OrthoView>,
    k: TileKey,
    ogc: bool,
) -> Result<axum::response::Response, ApiError> {
    let tile: Option<Tile> = state
        .inner
        .tiles
        .tile(view, k.tms, k.z, k.col, k.row, k.fmt)
        .await
        .map_err(|e| tile_failure(e, ogc))?;
    Ok(crate::tile_response::tile_response(
        tile,
        headers,
        state.inner.config.tiles.max_age_s,
    ))
}
