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

/// The published imagery, regional layers first: those that meet the
/// platform's territory, the widest first, then the others (samples,
/// neighbours) by name. A client opening on the first layer opens on the
/// region's mosaic.
pub async fn ortho_layers(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Json<serde_json::Value> {
    let snapshot = state.snapshot();
    // Without a readable territory every layer is listed, widest first.
    let region = crate::territory::region(&state).await.ok();
    let mut visible = authz::visible_ortho_layers(&snapshot, &principal(&headers));
    // Whether each layer meets the territory (None: no territory to say).
    let in_region = |l: &geocentre_registry::OrthoLayer| {
        let b = l.current().map(|p| p.bbox()).unwrap_or([0.0; 4]);
        region.as_ref().map(|r| crate::territory::meets(r, b))
    };
    let rank = |l: &geocentre_registry::OrthoLayer| {
        let b = l.current().map(|p| p.bbox()).unwrap_or([0.0; 4]);
        let area = (b[2] - b[0]).max(0.0) * (b[3] - b[1]).max(0.0);
        (in_region(l).unwrap_or(true), area)
    };
    visible.sort_by(|a, b| {
        let ((ra, aa), (rb, ab)) = (rank(a), rank(b));
        rb.cmp(&ra)
            .then(ab.total_cmp(&aa))
            .then(a.name().cmp(b.name()))
    });
    let layers: Vec<_> = visible
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
                        "dalles": p.dalle_count(),
                        "dalles_geojson": format!("/api/ortho/layers/{}/dalles.geojson", v.id),
                        "metadata": format!("/api/ortho/layers/{}/metadata.xml", v.id),
                    })
                })
                .collect();
            serde_json::json!({
                "name": layer.name(),
                "title": layer.title(),
                "in_region": in_region(layer),
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

/// The published vector datasets the caller may read, with the layers a
/// map can draw, for the viewer: each is drawn by the WMS under the
/// dataset's name, or by a web map from its style.
pub async fn vector_datasets(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Json<serde_json::Value> {
    let snapshot = state.snapshot();
    let mut out: Vec<serde_json::Value> = Vec::new();
    for v in authz::visible_vector_layers(&snapshot, &principal(&headers)) {
        if !v.has_geometry() {
            continue;
        }
        let name = v.dataset.name().to_string();
        let layer = serde_json::json!({
            "name": v.layer.name,
            "title": v.layer.title,
            "geometry_type": v.layer.geometry_type,
            "features": v.layer.feature_count,
            "bbox_wgs84": v.layer.bbox_wgs84,
        });
        match out.last_mut().filter(|d| d["name"] == name.as_str()) {
            Some(d) => {
                if let Some(a) = d["layers"].as_array_mut() {
                    a.push(layer);
                }
                let b = &mut d["bbox_wgs84"];
                let w = v.layer.bbox_wgs84;
                *b = serde_json::json!([
                    b[0].as_f64().unwrap_or(w[0]).min(w[0]),
                    b[1].as_f64().unwrap_or(w[1]).min(w[1]),
                    b[2].as_f64().unwrap_or(w[2]).max(w[2]),
                    b[3].as_f64().unwrap_or(w[3]).max(w[3]),
                ]);
            }
            None => out.push(serde_json::json!({
                "name": name,
                "title": v.dataset.title(),
                "wms_layer": name,
                "style": format!("/styles/{}.json", crate::urls::urlencode(&name)),
                "bbox_wgs84": v.layer.bbox_wgs84,
                "layers": [layer],
            })),
        }
    }
    Json(serde_json::json!({ "datasets": out }))
}
