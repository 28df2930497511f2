//! The platform's headline indicator for imagery: the share of the
//! territory each vintage, and each layer's composite, covers.

use crate::access::principal;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use geocentre_raster::coverage::{self, Region};
use geocentre_registry::authz;
use std::sync::Arc;
use std::time::Instant;

/// What the coverage was computed from: the registry generation and the
/// layers the caller may see.
pub type CoverageKey = (i64, Vec<String>);

/// A layer's name, title, and dalle footprints per vintage.
type LayerFootprints = (String, String, Vec<(i32, Vec<[f64; 4]>)>);

#[derive(Default)]
pub struct CoverageCache {
    last: Option<(CoverageKey, Arc<serde_json::Value>)>,
}

fn share(region: &Region, km2: f64) -> serde_json::Value {
    let percent = if region.area_km2 > 0.0 {
        100.0 * km2 / region.area_km2
    } else {
        0.0
    };
    serde_json::json!({ "km2": (km2 * 1000.0).round() / 1000.0, "percent": (percent * 10000.0).round() / 10000.0 })
}

pub async fn coverage(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    let snapshot = state.snapshot();
    let layers = authz::visible_ortho_layers(&snapshot, &principal(&headers));
    let key: CoverageKey = (
        snapshot.generation(),
        layers.iter().map(|l| l.name().to_string()).collect(),
    );
    // One computation at a time; others wait for its result.
    let mut cache = state.inner.coverage.lock().await;
    if let Some((k, v)) = &cache.last {
        if *k == key {
            return Ok(Json((**v).clone()));
        }
    }
    let region = crate::territory::region(&state).await?;
    // Footprints per vintage, per layer, gathered from the authorized views.
    let sets: Vec<LayerFootprints> = layers
        .iter()
        .map(|l| {
            let vintages = authz::vintage_views(l)
                .iter()
                .map(|v| {
                    let fps = v.pyramid.dalle_footprints().collect();
                    (v.pyramid.vintage(), fps)
                })
                .collect();
            (l.name().to_string(), l.title().to_string(), vintages)
        })
        .collect();
    let started = Instant::now();
    let reg = region.clone();
    let computed = tokio::task::spawn_blocking(move || {
        sets.into_iter()
            .map(|(name, title, vintages)| {
                let all: Vec<[f64; 4]> = vintages.iter().flat_map(|(_, f)| f.clone()).collect();
                let composite = coverage::covered_km2(&reg, &all)?;
                let per: Vec<serde_json::Value> = vintages
                    .iter()
                    .rev()
                    .map(|(year, fps)| {
                        let km2 = coverage::covered_km2(&reg, fps)?;
                        let mut v = share(&reg, km2);
                        v["vintage"] = (*year).into();
                        v["dalles"] = fps.len().into();
                        Ok(v)
                    })
                    .collect::<Result<_, coverage::CoverageError>>()?;
                Ok(serde_json::json!({
                    "layer": name,
                    "title": title,
                    "composite": share(&reg, composite),
                    "vintages": per,
                }))
            })
            .collect::<Result<Vec<_>, coverage::CoverageError>>()
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(|e| ApiError::internal(e.to_string()))?;
    // The regional mosaics first: the widest covered area, then by name.
    let mut computed = computed;
    let km2 = |v: &serde_json::Value| v["composite"]["km2"].as_f64().unwrap_or(0.0);
    computed.sort_by(|a, b| {
        km2(b)
            .total_cmp(&km2(a))
            .then(a["layer"].as_str().cmp(&b["layer"].as_str()))
    });
    let body = Arc::new(serde_json::json!({
        "indicator": "coverage",
        "region": {
            "name": region.name,
            "area_km2": (region.area_km2 * 1000.0).round() / 1000.0,
            "source": state.inner.config.indicators.region.file_name()
                .map(|n| n.to_string_lossy().into_owned()),
        },
        "layers": computed,
        "generation": key.0,
        "computed_ms": started.elapsed().as_millis() as u64,
    }));
    cache.last = Some((key, body.clone()));
    Ok(Json((*body).clone()))
}
