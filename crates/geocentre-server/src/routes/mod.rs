//! The route table. Each protocol module parses its requests and writes
//! its responses; published data is reached only through `crate::access`
//! (the authorization point), tiles only through `crate::tile_serving` and
//! `crate::vector_tiles`. Handlers do not call each other.

pub(crate) mod csw;
mod fonts;
mod indicators;
mod ogcapi;
pub(crate) mod records;
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
use axum::routing::{get, MethodRouter};
use axum::Router;

pub use indicators::CoverageCache;

/// A WMS 1.3.0 exception report for a refusal made before the WMS
/// handler ran (`error::framework_rejections`).
pub(crate) fn wms_exception(msg: &str) -> axum::response::Response {
    wms::exception(
        geocentre_ogc::wms::WmsVersion::V130,
        "InvalidParameterValue",
        None,
        msg,
    )
}

/// A path the server answers, as the router lists it: the hostile-input
/// tests read this list (`geocentre routes --json`), so a new endpoint is
/// probed without anyone writing a test for it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Listed {
    pub path: &'static str,
    pub methods: &'static [&'static str],
    /// `ogc`, `site` or `ops`.
    pub group: &'static str,
}

/// A router that remembers what it routes. Routes are added only through
/// [`Table::route`], so the list and the router cannot disagree.
#[derive(Default)]
pub struct Table {
    pub router: Router<AppState>,
    listed: Vec<(&'static str, &'static [&'static str])>,
}

impl Table {
    fn route(
        mut self,
        path: &'static str,
        handler: MethodRouter<AppState>,
        methods: &'static [&'static str],
    ) -> Table {
        self.router = self.router.route(path, handler);
        self.listed.push((path, methods));
        self
    }
}

/// Every route of the server, in the router's order.
pub fn listed() -> Vec<Listed> {
    [
        ("ogc", ogc_routes()),
        ("site", site_routes()),
        ("ops", ops_routes()),
    ]
    .into_iter()
    .flat_map(|(group, t)| {
        t.listed.into_iter().map(move |(path, methods)| Listed {
            path,
            methods,
            group,
        })
    })
    .collect()
}

pub fn ogc_routes() -> Table {
    Table::default()
        .route("/wmts", get(wmts::kvp), &["GET"])
        .route(
            "/wmts/1.0.0/WMTSCapabilities.xml",
            get(wmts::rest_capabilities),
            &["GET"],
        )
        .route("/wmts/1.0.0/", get(wmts::rest_root), &["GET"])
        .route(
            "/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col_ext}",
            get(wmts::rest_tile),
            &["GET"],
        )
        .route(
            "/wmts/1.0.0/{layer}/{style}/{time}/{tms}/{z}/{row}/{col_ext}",
            get(wmts::rest_tile_time),
            &["GET"],
        )
        .route(
            "/tiles/{layer}/{tms}/{z}/{x}/{y_ext}",
            get(xyz::tile),
            &["GET"],
        )
        .route(
            "/tiles/{layer}/{tms}/tilejson.json",
            get(tilejson::tilejson),
            &["GET"],
        )
        .route("/styles/{file}", get(styles::style), &["GET"])
        .route("/styles/{name}/{file}", get(styles::sprite), &["GET"])
        .route("/fonts/{stack}/{range}", get(fonts::glyph_range), &["GET"])
        .route("/tms/1.0.0", get(tms::service), &["GET"])
        .route("/tms/1.0.0/", get(tms::service), &["GET"])
        .route("/tms/1.0.0/{layer}/{tms}", get(tms::tile_map), &["GET"])
        .route(
            "/tms/1.0.0/{layer}/{tms}/{z}/{x}/{y_ext}",
            get(tms::tile),
            &["GET"],
        )
        .route("/wms", get(wms::kvp), &["GET"])
        .route(
            geocentre_ogc::featureinfo::GML_SCHEMA_PATH,
            get(wms::gml_schema),
            &["GET"],
        )
        .route("/wfs", get(wfs::kvp).post(wfs::post), &["GET", "POST"])
        .route("/csw", get(csw::kvp).post(csw::post), &["GET", "POST"])
        .route("/ogcapi", get(ogcapi::landing), &["GET"])
        .route("/ogcapi/", get(ogcapi::landing), &["GET"])
        .route("/ogcapi/conformance", get(ogcapi::conformance), &["GET"])
        .route("/ogcapi/api", get(ogcapi::openapi), &["GET"])
        .route(
            "/ogcapi/collections/{id}/queryables",
            get(ogcapi::queryables),
            &["GET"],
        )
        .route("/ogcapi/collections", get(ogcapi::collections), &["GET"])
        .route(
            "/ogcapi/collections/{id}",
            get(ogcapi::collection),
            &["GET"],
        )
        .route(
            "/ogcapi/collections/{id}/items",
            get(ogcapi::items),
            &["GET"],
        )
        .route(
            "/ogcapi/collections/{id}/items/{fid}",
            get(ogcapi::item),
            &["GET"],
        )
}

pub fn site_routes() -> Table {
    Table::default()
        .route("/", get(site::index), &["GET"])
        .route("/assets/{*path}", get(site::asset), &["GET"])
        .route("/api/ortho/layers", get(site::ortho_layers), &["GET"])
        .route("/api/vector/datasets", get(site::vector_datasets), &["GET"])
        .route(
            "/api/indicators/coverage",
            get(indicators::coverage),
            &["GET"],
        )
        .route(
            "/api/ortho/layers/{id}/metadata.xml",
            get(records::layer_metadata),
            &["GET"],
        )
        .route(
            "/api/ortho/layers/{id}/dalles.geojson",
            get(records::dalles_geojson),
            &["GET"],
        )
        .route(
            "/api/services/wms/metadata.xml",
            get(records::wms_service_metadata),
            &["GET"],
        )
        .route(
            "/api/services/wmts/metadata.xml",
            get(records::wmts_service_metadata),
            &["GET"],
        )
        .route(
            "/api/services/wfs/metadata.xml",
            get(records::wfs_service_metadata),
            &["GET"],
        )
        .route(
            "/api/vector/datasets/{name}/metadata.xml",
            get(records::vector_metadata),
            &["GET"],
        )
}

/// What operators and orchestrators poll; answered even before the first
/// snapshot is loaded.
pub fn ops_routes() -> Table {
    Table::default()
        .route("/healthz", get(site::healthz), &["GET"])
        .route("/readyz", get(crate::ready::readyz), &["GET"])
        .route("/metrics", get(crate::observe::metrics), &["GET"])
}
