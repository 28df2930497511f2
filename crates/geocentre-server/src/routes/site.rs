//! The viewer, health check and the JSON API of published imagery.

use crate::access::principal;
use crate::assets;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use geocentre_core::tms::LAMB93;
use geocentre_registry::authz;

fn asset_response(path: &str) -> Result<Response, ApiError> {
    let (bytes, mime) =
        assets::get(path).ok_or_else(|| ApiError::not_found(format!("no asset '{path}'")))?;
    let mut r = bytes.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(r)
}

pub async fn index() -> Result<Response, ApiError> {
    asset_response("index.html")
}

pub async fn asset(Path(path): Path<String>) -> Result<Response, ApiError> {
    asset_response(&path)
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.inner.registry.generation().await {
        Ok(_) => "ok".into_response(),
        Err(e) => ApiError::internal(format!("registry unavailable: {e}")).into_response(),
    }
}

pub async fn ortho_layers(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Json<serde_json::Value> {
    let snapshot = state.snapshot();
    let layers: Vec<_> = authz::visible_ortho_layers(&snapshot, &principal(&headers))
        .iter()
        .map(|layer| {
            let vintages: Vec<_> = authz::vintage_views(layer)
                .iter()
                .rev()
                .map(|v| {
                    let p = &v.pyramid;
                    let ext = state.inner.extents.get(p);
                    serde_json::json!({
                        "vintage": p.vintage(),
                        "wmts_layer": v.id,
                        "native_level": p.native_level(),
                        "resolution_m": LAMB93.resolution(p.native_level()),
                        "bbox_l93": p.bbox(),
                        "bbox_wgs84": ext.wgs84,
                        "producer": p.producer(),
                        "published_at": p.published_at(),
                        "chunks": p.chunk_count(),
                        "acquired": p.acquired(),
                        "priority": p.priority(),
                        "dalles": p.dalles().len(),
                        "dalles_geojson": format!("/api/ortho/layers/{}/dalles.geojson", v.id),
                        "metadata": format!("/api/ortho/layers/{}/metadata.xml", v.id),
                    })
                })
                .collect();
            serde_json::json!({
                "name": layer.name(),
                "title": layer.title(),
                "access": layer.access().as_str(),
                "wmts_layer": layer.name(),
                "latest": layer.latest().map(|p| p.vintage()),
                "composite": layer.current().is_some_and(|p| p.is_composite()),
                "painting_order": layer.current().map(|p| {
                    p.layers().iter().map(|l| l.vintage()).collect::<Vec<_>>()
                }),
                "resampling": layer.resampling().as_str(),
                "dalles_geojson": format!("/api/ortho/layers/{}/dalles.geojson", layer.name()),
                "metadata": format!("/api/ortho/layers/{}/metadata.xml", layer.name()),
                "vintages": vintages,
            })
        })
        .collect();
    Json(serde_json::json!({ "layers": layers }))
}
