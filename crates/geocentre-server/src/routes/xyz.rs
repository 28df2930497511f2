//! XYZ tiles: `/tiles/{name}/{tms}/{z}/{x}/{y}.{ext}`, rows from the top.
//! Orthophoto tiles (`.jpg`, `.png`, `.webp`) and vector tiles (`.mvt`,
//! `.pbf`, of a layer or a dataset) share the address scheme.

use super::tile_path;
use crate::access;
use crate::error::ApiError;
use crate::state::AppState;
use crate::tile_serving;
use crate::vector_tiles;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

pub async fn tile(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((layer, tms, z, x, y_ext)): Path<(String, String, String, String, String)>,
) -> Result<Response, ApiError> {
    if vector_tiles::is_vector_tile(&y_ext) {
        return vector_tiles::serve(&state, &headers, &layer, (&tms, &z, &x, &y_ext)).await;
    }
    let (x, y, fmt) = tile_path::xy(&x, &y_ext)?;
    let view = access::ortho(&state, &headers, &layer)
        .ok_or_else(|| ApiError::not_found(format!("unknown layer '{layer}'")))?;
    let key = tile_path::key(&tms, &z, (x, y), fmt)?;
    tile_serving::serve_in_extent(&state, &headers, &view, key).await
}
