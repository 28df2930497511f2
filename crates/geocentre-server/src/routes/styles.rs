//! Web map styles: `/styles/{name}.json` is a MapLibre GL style drawing a
//! dataset (or one layer) from its vector tiles as the WMS draws it,
//! generated from the stored styles (`geocentre_carto::maplibre`);
//! `/styles/{name}/sprite[@2x].{json,png}` holds its markers.

use crate::error::ApiError;
use crate::layer_style::stored_or_default;
use crate::state::AppState;
use crate::urls::{base_url, urlencode};
use crate::vector_tiles::{center_zoom, has_label_points, resolve};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_carto::maplibre::{self, Urls, WebLayer, WebStyle};
use geocentre_carto::style::GeomKind;
use geocentre_core::bbox;
use geocentre_core::tms::TmsId;
use geocentre_image::{encode, ImageFormat};
use std::collections::BTreeSet;

/// Builds the style of `name` for the caller.
fn build(state: &AppState, headers: &HeaderMap, name: &str) -> Result<(WebStyle, i64), ApiError> {
    let (views, generation) = resolve(state, headers, name)?;
    let base = base_url(state, headers);
    let styles: Vec<_> = views.iter().map(|v| stored_or_default(v)).collect();
    let numeric: Vec<BTreeSet<String>> = views
        .iter()
        .map(|v| {
            v.layer
                .fields
                .iter()
                .filter(|f| matches!(f.kind.as_str(), "Integer" | "Integer64" | "Real"))
                .map(|f| f.name.clone())
                .collect()
        })
        .collect();
    let label_layers: Vec<Option<String>> = views
        .iter()
        .map(|v| has_label_points(v).then(|| geocentre_mvt::label_layer_name(&v.layer.name)))
        .collect();
    let layers: Vec<WebLayer<'_>> = views
        .iter()
        .zip(&styles)
        .zip(&numeric)
        .zip(&label_layers)
        .map(|(((v, s), n), l)| WebLayer {
            name: &v.layer.name,
            geometry: GeomKind::of(&v.layer.geometry_type),
            style: s,
            numeric: n,
            label_points: l.as_deref(),
        })
        .collect();
    let b = views
        .iter()
        .fold(bbox::EMPTY, |b, v| bbox::union(b, v.layer.bbox_wgs84));
    // TileJSON zooms count 256-px tiles; MapLibre's, 512-px ones.
    let zoom = center_zoom(TmsId::WebMercatorQuad, b, 22).saturating_sub(1);
    let title = match &views[..] {
        [v] if name.contains('.') => format!("{} — {}", v.dataset.title(), v.layer.title),
        _ => views
            .first()
            .map(|v| v.dataset.title().to_string())
            .unwrap_or_default(),
    };
    let id = urlencode(name);
    let tilejson = format!("{base}/tiles/{id}/WebMercatorQuad/tilejson.json");
    let glyphs = format!("{base}/fonts/{{fontstack}}/{{range}}.pbf");
    let sprite = format!("{base}/styles/{id}/sprite");
    let style = maplibre::web_style(
        name,
        &title,
        [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0, f64::from(zoom)],
        &Urls {
            tilejson: &tilejson,
            glyphs: &glyphs,
            sprite: &sprite,
        },
        &layers,
    );
    Ok((style, generation))
}

/// The answer with its type and caching: an ETag from the registry
/// generation (styles follow the stored ones and the platform's address),
/// a short max-age, 304 on If-None-Match.
fn respond(
    headers: &HeaderMap,
    base: &str,
    key: &str,
    generation: i64,
    body: impl FnOnce() -> Result<Vec<u8>, ApiError>,
    mime: &'static str,
) -> Result<Response, ApiError> {
    let digest = crate::http_cache::fnv1a(&format!("{base} {key}"));
    let etag = format!("\"style-{generation}-{digest:016x}\"");
    let mut r = if crate::http_cache::if_none_match(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body()?.into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        r
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(r)
}

/// `GET /styles/{name}.json`.
pub async fn style(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let name = file
        .strip_suffix(".json")
        .ok_or_else(|| ApiError::not_found(format!("no style '{file}': styles end in .json")))?;
    let (built, generation) = build(&state, &headers, name)?;
    respond(
        &headers,
        &base_url(&state, &headers),
        &file,
        generation,
        || Ok(built.style.to_string().into_bytes()),
        "application/json",
    )
}

/// `GET /styles/{name}/sprite[@2x].{json,png}`.
pub async fn sprite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((name, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (ratio, ext) = match file.as_str() {
        "sprite.json" => (1.0, "json"),
        "sprite.png" => (1.0, "png"),
        "sprite@2x.json" => (2.0, "json"),
        "sprite@2x.png" => (2.0, "png"),
        _ => return Err(ApiError::not_found(format!("no sprite file '{file}'"))),
    };
    let (built, generation) = build(&state, &headers, &name)?;
    let key = format!("{name}/{file}");
    let base = base_url(&state, &headers);
    let q = &state.inner.config.tiles;
    let (jq, wq) = (q.jpeg_quality, q.webp_quality);
    respond(
        &headers,
        &base,
        &key,
        generation,
        move || {
            let (index, rgba, w, h) = maplibre::sprite_sheet(&built.icons, ratio)
                .ok_or_else(|| ApiError::internal("the sprite sheet could not be drawn"))?;
            if ext == "json" {
                return Ok(index.to_string().into_bytes());
            }
            encode::encode(&rgba, w, h, ImageFormat::Png, jq, wq)
                .map_err(|e| ApiError::internal(format!("sprite encoding: {e}")))
        },
        if ext == "json" {
            "application/json"
        } else {
            "image/png"
        },
    )
}
