//! The one way a vector tile reaches a client: Mapbox Vector Tiles of a
//! layer (`{dataset}.{layer}`, one MVT layer) or of a whole dataset
//! (`{dataset}`, one MVT layer per layer with a geometry), resolved through
//! the authorization point, with ETags from the registry generation.
//!
//! A tile without features is answered 204, as Martin does: clients draw
//! nothing and caches keep the answer. Outside the tile matrix set: 404.

use crate::access;
use crate::error::ApiError;
use crate::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_carto::style::GeomKind;
use geocentre_core::tms::TmsId;
use geocentre_mvt::{MvtError, Options, TileAddr, TileLayer};
use geocentre_registry::authz::VectorView;
use geocentre_registry::Authorized;

pub const CONTENT_TYPE: &str = "application/vnd.mapbox-vector-tile";
/// Changes every ETag when the encoding changes.
const ENCODING_VERSION: u32 = 1;

/// Whether an XYZ tile name asks for a vector tile.
pub fn is_vector_tile(y_ext: &str) -> bool {
    y_ext.ends_with(".mvt") || y_ext.ends_with(".pbf")
}

/// The layers a tile name addresses, through the authorization point,
/// with the generation of the snapshot they came from. Hidden and unknown
/// names answer alike.
pub fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Vec<Authorized<VectorView>>, i64), ApiError> {
    let generation = state.snapshot().generation();
    let views = access::vector(state, headers, id)
        .ok_or_else(|| ApiError::not_found(format!("unknown layer '{id}'")))?;
    Ok((views, generation))
}

/// A zoom level at which the extent spans about one tile.
pub fn center_zoom(tms: TmsId, bbox: [f64; 4], max: u8) -> u8 {
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

/// Whether a layer's tiles carry label points: polygons whose style labels
/// them (a web map then writes each label once; see
/// `geocentre_mvt::TileLayer`).
pub fn has_label_points(view: &VectorView) -> bool {
    // Default styles label nothing: no style to build on the tile path.
    view.dataset.style(&view.layer.name).is_some()
        && GeomKind::of(&view.layer.geometry_type) == GeomKind::Polygon
        && crate::layer_style::stored_or_default(view)
            .rules
            .iter()
            .flat_map(|r| &r.symbolizers)
            .any(|s| s.label.is_some())
}

pub fn parse_tms(tms: &str) -> Result<TmsId, ApiError> {
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

fn cache_control(state: &AppState) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "public, max-age={}",
        state.inner.config.tiles.max_age_s
    ))
    .unwrap_or(HeaderValue::from_static("public, max-age=3600"))
}

fn failure(e: MvtError) -> ApiError {
    match e {
        MvtError::OutOfRange(t) => ApiError::not_found(format!("tile {t} is out of range")),
        MvtError::Store(s) => match crate::error::store_unavailable(&s, false) {
            Some(u) => u,
            None => {
                tracing::error!("vector tile: {s}");
                ApiError::internal("internal error while reading the tile")
            }
        },
    }
}

/// `GET /tiles/{name}/{tms}/{z}/{x}/{y}.mvt` (or `.pbf`), `name` a layer
/// or a dataset.
pub async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    (tms, z, x, y_ext): (&str, &str, &str, &str),
) -> Result<Response, ApiError> {
    let (views, generation) = resolve(state, headers, id)?;
    let addr = address(tms, z, x, y_ext)?;
    // The tag depends only on what the registry published: a revalidation
    // is answered without reading anything.
    let key = format!("{id}/{addr}");
    let mut etag = format!(
        "\"mvt{ENCODING_VERSION}-{generation}-{:016x}\"",
        crate::http_cache::fnv1a(&key)
    );
    let cache = cache_control(state);
    // A PostGIS table's rows change without a publication: its tiles are
    // tagged by their bytes, once read.
    let live = views.iter().any(|v| v.layer.postgis.is_some());
    if !live && crate::http_cache::if_none_match(headers, &etag) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        set_tags(&mut r, &etag, cache);
        return Ok(r);
    }
    let store = state.inner.features.clone();
    let labelled: Vec<bool> = views.iter().map(|v| has_label_points(v)).collect();
    let tile = tokio::task::spawn_blocking(move || {
        let layers: Vec<TileLayer<'_>> = views
            .iter()
            .zip(labelled)
            .map(|(view, label_points)| TileLayer { view, label_points })
            .collect();
        geocentre_mvt::render(store.as_ref(), &layers, addr, Options::default())
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
    if live {
        let digest = tile.bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
        etag = format!("\"mvt{ENCODING_VERSION}-pg-{digest:016x}\"");
        if crate::http_cache::if_none_match(headers, &etag) {
            let mut r = StatusCode::NOT_MODIFIED.into_response();
            set_tags(&mut r, &etag, cache);
            return Ok(r);
        }
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
