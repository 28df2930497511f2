//! Mapbox Vector Tiles of every vector layer, addressed like the XYZ
//! orthophoto tiles (rows from the top) in both tile matrix sets:
//! `/tiles/{dataset}.{layer}/{tms}/{z}/{x}/{y}.mvt` (`.pbf` too; the XYZ
//! route hands them over here), and their TileJSON 3.0.0 at
//! `/tiles/{dataset}.{layer}/{tms}/tilejson.json`.
//!
//! A tile without features is answered 204, as Martin does: clients draw
//! nothing and caches keep the answer. Outside the tile matrix set: 404.

use super::{base_url, principal, urlencode};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_core::tms::TmsId;
use geocentre_mvt::{MvtError, Options, TileAddr};
use geocentre_registry::authz::{self, VectorView};
use geocentre_registry::Authorized;
use serde_json::{json, Map, Value};

pub const CONTENT_TYPE: &str = "application/vnd.mapbox-vector-tile";
/// Changes every ETag when the encoding changes.
const ENCODING_VERSION: u32 = 1;
/// TileJSON advertises zoom levels down to about this resolution (m/px);
/// past it, clients overzoom: tiles carry 1/16 px of precision.
const FINEST_ADVERTISED_RES_M: f64 = 2.0;

/// Whether an XYZ tile name asks for a vector tile.
pub fn is_vector_tile(y_ext: &str) -> bool {
    y_ext.ends_with(".mvt") || y_ext.ends_with(".pbf")
}

/// The layer through the authorization point, with the generation of the
/// snapshot it came from. Hidden and unknown layers answer alike.
fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Authorized<VectorView>, i64), ApiError> {
    let not_found = || ApiError::not_found(format!("unknown layer '{id}'"));
    let (dataset, layer) = id.split_once('.').ok_or_else(not_found)?;
    let snapshot = state.snapshot();
    let view = authz::resolve_vector(&snapshot, &principal(headers), dataset, layer)
        .map_err(|_| not_found())?;
    if view.layer.srid <= 0 {
        return Err(ApiError::not_found(format!("layer '{id}' has no geometry")));
    }
    Ok((view, snapshot.generation()))
}

fn parse_tms(tms: &str) -> Result<TmsId, ApiError> {
    TmsId::parse(tms).ok_or_else(|| ApiError::not_found(format!("unknown tile matrix set '{tms}'")))
}

/// A tile index: anything but digits is a bad request; a number too large
/// for any grid saturates, so that it is answered as out of range.
fn index(s: &str, what: &str) -> Result<u64, ApiError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(format!("'{s}' is not a {what}")));
    }
    Ok(s.parse().unwrap_or(u64::MAX))
}

fn address(tms: &str, z: &str, x: &str, y_ext: &str) -> Result<TileAddr, ApiError> {
    let tms = parse_tms(tms)?;
    let y = y_ext.rsplit_once('.').map_or(y_ext, |(y, _)| y);
    let addr = TileAddr {
        tms,
        z: u8::try_from(index(z, "zoom level")?).unwrap_or(u8::MAX),
        x: index(x, "tile column")?,
        y: index(y, "tile row")?,
    };
    if addr.bounds().is_none() {
        return Err(ApiError::not_found(format!(
            "tile {z}/{x}/{y} is outside the tile matrix set {}",
            tms.as_str()
        )));
    }
    Ok(addr)
}

/// FNV-1a: a stable digest of the tile key for the ETag (layer names may
/// hold characters an ETag may not).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn cache_control(state: &AppState) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "public, max-age={}",
        state.inner.config.tiles.max_age_s
    ))
    .unwrap_or(HeaderValue::from_static("public, max-age=3600"))
}

fn matches(req: &HeaderMap, etag: &str) -> bool {
    req.get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn failure(e: MvtError) -> ApiError {
    match e {
        MvtError::OutOfRange(t) => ApiError::not_found(format!("tile {t} is out of range")),
        e => {
            tracing::error!("vector tile: {e}");
            ApiError::internal("internal error while reading the tile")
        }
    }
}

/// `GET /tiles/{dataset}.{layer}/{tms}/{z}/{x}/{y}.mvt`.
pub async fn tile(
    state: &AppState,
    headers: &HeaderMap,
    layer: &str,
    (tms, z, x, y_ext): (&str, &str, &str, &str),
) -> Result<Response, ApiError> {
    let (view, generation) = resolve(state, headers, layer)?;
    let addr = address(tms, z, x, y_ext)?;
    // The tag depends only on what the registry published: a revalidation
    // is answered without reading anything.
    let key = format!("{}.{}/{addr}", view.dataset.name(), view.layer.name);
    let etag = format!(
        "\"mvt{ENCODING_VERSION}-{generation}-{:016x}\"",
        fnv1a(&key)
    );
    let cache = cache_control(state);
    if matches(headers, &etag) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        set_tags(&mut r, &etag, cache);
        return Ok(r);
    }
    let store = state.inner.features.clone();
    let tile = tokio::task::spawn_blocking(move || {
        geocentre_mvt::render(store.as_ref(), &view, addr, Options::default())
    })
    .await
    .map_err(|e| ApiError::internal(format!("vector tile task: {e}")))?
    .map_err(failure)?;
    if tile.truncated {
        tracing::warn!(
            tile = %key,
            features = tile.features,
            bytes = tile.bytes.len(),
            tolerance = tile.tolerance,
            "vector tile cut short by its size bound"
        );
    }
    if tile.features == 0 {
        let mut r = StatusCode::NO_CONTENT.into_response();
        r.headers_mut().insert(header::CACHE_CONTROL, cache);
        return Ok(r);
    }
    let mut r = tile.bytes.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    set_tags(&mut r, &etag, cache);
    Ok(r)
}

fn set_tags(r: &mut Response, etag: &str, cache: HeaderValue) {
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, cache);
}

/// TileJSON's field descriptions: the JSON type of each attribute.
fn field_type(ogr_kind: &str) -> &'static str {
    match ogr_kind {
        "Integer" | "Integer64" | "Real" => "Number",
        _ => "String",
    }
}

/// A zoom level at which the layer's extent spans about one tile.
fn center_zoom(tms: TmsId, bbox: [f64; 4], max: u8) -> u8 {
    const M_PER_DEG: f64 = 111_320.0;
    let set = tms.get();
    let lat = (bbox[1] + bbox[3]) / 2.0;
    // Mercator stretches east-west distances by 1/cos(lat); Lambert-93
    // metres are ground metres.
    let scale = match tms {
        TmsId::WebMercatorQuad => 1.0,
        TmsId::Lamb93 => lat.to_radians().cos(),
    };
    let width = ((bbox[2] - bbox[0]).max(bbox[3] - bbox[1]) * M_PER_DEG * scale).max(1.0);
    let z = (set.level0_resolution * f64::from(geocentre_core::tms::TILE_SIZE) / width).log2();
    (z.floor().max(0.0) as u8).min(max)
}

/// `GET /tiles/{dataset}.{layer}/{tms}/tilejson.json`.
pub async fn tilejson(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((layer, tms)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (view, _) = resolve(&state, &headers, &layer)?;
    let tms = parse_tms(&tms)?;
    let set = tms.get();
    let id = format!("{}.{}", view.dataset.name(), view.layer.name);
    let maxzoom = set.level_for_resolution(FINEST_ADVERTISED_RES_M);
    let b = view.layer.bbox_wgs84;
    let fields: Map<String, Value> = view
        .layer
        .fields
        .iter()
        .map(|f| (f.name.clone(), json!(field_type(&f.kind))))
        .collect();
    let title = format!("{} — {}", view.dataset.title(), view.layer.title);
    let doc = json!({
        "tilejson": "3.0.0",
        "name": id,
        "description": title,
        "scheme": "xyz",
        "tiles": [format!(
            "{}/tiles/{}/{}/{{z}}/{{x}}/{{y}}.mvt",
            base_url(&state, &headers),
            urlencode(&id),
            tms.as_str()
        )],
        "minzoom": 0,
        "maxzoom": maxzoom,
        "bounds": b,
        "center": [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0, center_zoom(tms, b, maxzoom)],
        "vector_layers": [{
            "id": view.layer.name,
            "description": title,
            "minzoom": 0,
            "maxzoom": maxzoom,
            "fields": fields,
        }],
        // Not TileJSON: which grid {z}/{x}/{y} count in, for clients that
        // are not Web Mercator only.
        "crs": format!("EPSG:{}", set.epsg),
        "tileMatrixSet": tms.as_str(),
    });
    let mut r = doc.to_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(r)
}
