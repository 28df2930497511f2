//! The route table. Each protocol module parses its requests and writes
//! its responses; published data is reached only through `crate::access`
//! (the authorization point), tiles only through `crate::tile_serving` and
//! `crate::vector_tiles`. Handlers do not call each other.

mod fonts;
mod indicators;
mod ogcapi;
mod records;
mod site;
mod styles;
mod tile_path;
mod tilejson;
mod tms;
mod wfs;
mod wms;
pub(crate) mod wmts;
mod xyz;

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

pub use indicators::CoverageCache;

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
        .route(
            "/tiles/{layer}/{tms}/tilejson.json",
            get(tilejson::tilejson),
        )
        .route("/styles/{file}", get(styles::style))
        .route("/styles/{name}/{file}", get(styles::sprite))
        .route("/fonts/{stack}/{range}", get(fonts::glyph_range))
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
        .route("/api/ortho/layers", get(site::ortho_layers))
        .route("/api/vector/datasets", get(site::vector_datasets))
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

/// What operators and orchestrators poll; answered even before the first
/// snapshot is loaded.
pub fn ops_routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(site::healthz))
        .route("/readyz", get(crate::ready::readyz))
        .route("/metrics", get(crate::observe::metrics))
}
