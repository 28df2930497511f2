//! XYZ tiles: `/tiles/{layer}/{tms}/{z}/{x}/{y}.{ext}`, rows from the top;
//! vector tiles (`.mvt`, `.pbf`) are handed to `routes/mvt.rs`.

use super::{reply_tile, resolve, split_ext, TileKey};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use geocentre_core::tms::TmsId;

/// Shared by XYZ and TMS: resolves, checks limits, reads.
pub async fn serve_tile(
    state: &AppState,
    headers: &HeaderMap,
    layer: &str,
    tms: &str,
    z: &str,
    (x, y): (u64, u64),
    fmt: geocentre_image::ImageFormat,
) -> Result<Response, ApiError> {
    let view = resolve(state, headers, layer)
        .ok_or_else(|| ApiError::not_found(format!("unknown layer '{layer}'")))?;
    let tms = TmsId::parse(tms)
        .ok_or_else(|| ApiError::not_found(format!("unknown tile matrix set '{tms}'")))?;
    let z: u8 = z
        .parse()
        .map_err(|_| ApiError::bad_request(format!("'{z}' is not a zoom level")))?;
    let ext = state.inner.extents.get(&view.pyramid);
    if !ext.contains(tms, z, x, y) {
        return Err(ApiError::not_found(format!(
            "tile {z}/{x}/{y} is outside the layer's extent"
        )));
    }
    reply_tile(
        state,
        headers,
        &view,
        TileKey {
            tms,
            z,
            col: x,
            row: y,
            fmt,
        },
        false,
    )
    .await
}

pub async fn tile(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((layer, tms, z, x, y_ext)): Path<(String, String, String, String, String)>,
) -> Result<Response, ApiError> {
    if super::mvt::is_vector_tile(&y_ext) {
        return super::mvt::tile(&state, &headers, &layer, (&tms, &z, &x, &y_ext)).await;
    }
    let (x, y, fmt) = parse_xy(&x, &y_ext)?;
    serve_tile(&state, &headers, &layer, &tms, &z, (x, y), fmt).await
}

/// The `{x}/{y}.{ext}` tail shared by XYZ and TMS URLs.
pub fn parse_xy(
    x: &str,
    y_ext: &str,
) -> Result<(u64, u64, geocentre_image::ImageFormat), ApiError> {
    let x: u64 = x
        .parse()
        .map_err(|_| ApiError::bad_request(format!("'{x}' is not a tile column")))?;
    let (y, fmt) = split_ext(y_ext).ok_or_else(|| {
        ApiError::bad_request(format!(
            "'{y_ext}' is not a tile row with a .jpg, .png or .webp extension"
        ))
    })?;
    Ok((x, y, fmt))
}
