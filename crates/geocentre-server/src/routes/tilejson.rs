//! TileJSON 3.0.0 for the vector tiles of a layer or a whole dataset:
//! `/tiles/{name}/{tms}/tilejson.json`, `vector_layers` listing each layer
//! with its fields (the tiles themselves: `crate::vector_tiles`).

use crate::error::ApiError;
use crate::state::AppState;
use crate::urls::{base_url, urlencode};
use crate::vector_tiles::{center_zoom, has_label_points, parse_tms, resolve};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_core::bbox;
use serde_json::{json, Map, Value};

/// TileJSON advertises zoom levels down to about this resolution (m/px),
/// the orthophotos': past it, clients overzoom (tiles carry 1/16 px of
/// precision). PCRS data is centimetre-accurate: at 2 m (zoom 17) MapLibre
/// overzoomed tiles that had dropped its smallest features (a 30 cm
/// manhole cover) as smaller than a quarter pixel.
pub const FINEST_ADVERTISED_RES_M: f64 = 0.2;

/// TileJSON's field descriptions: the JSON type of each attribute.
fn field_type(ogr_kind: &str) -> &'static str {
    match ogr_kind {
        "Integer" | "Integer64" | "Real" => "Number",
        _ => "String",
    }
}

/// `GET /tiles/{name}/{tms}/tilejson.json`.
pub async fn tilejson(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((name, tms)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (views, _) = resolve(&state, &headers, &name)?;
    let tms = parse_tms(&tms)?;
    let set = tms.get();
    let maxzoom = set.level_for_resolution(FINEST_ADVERTISED_RES_M);
    let b = views
        .iter()
        .fold(bbox::EMPTY, |b, v| bbox::union(b, v.layer.bbox_wgs84));
    let layer_title = |v: &geocentre_registry::authz::VectorView| {
        format!("{} — {}", v.dataset.title(), v.layer.title)
    };
    let (id, description) = match &views[..] {
        [v] if name.contains('.') => (
            format!("{}.{}", v.dataset.name(), v.layer.name),
            layer_title(v),
        ),
        _ => (
            name.clone(),
            views
                .first()
                .map(|v| v.dataset.title().to_string())
                .unwrap_or_default(),
        ),
    };
    let mut vector_layers: Vec<Value> = Vec::new();
    for v in &views {
        let fields: Map<String, Value> = v
            .layer
            .fields
            .iter()
            .map(|f| (f.name.clone(), json!(field_type(&f.kind))))
            .collect();
        vector_layers.push(json!({
            "id": v.layer.name,
            "description": layer_title(v),
            "minzoom": 0,
            "maxzoom": maxzoom,
            "fields": fields,
        }));
        if has_label_points(v) {
            vector_layers.push(json!({
                "id": geocentre_mvt::label_layer_name(&v.layer.name),
                "description": format!("{} (points d'étiquette)", layer_title(v)),
                "minzoom": 0,
                "maxzoom": maxzoom,
                "fields": fields,
            }));
        }
    }
    let doc = json!({
        "tilejson": "3.0.0",
        "name": id,
        "description": description,
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
        "vector_layers": vector_layers,
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
