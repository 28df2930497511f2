//! Glyphs for web map labels: `/fonts/{fontstack}/{start}-{end}.pbf`, the
//! signed distance fields MapLibre GL JS draws text with, made from the
//! font the WMS labels with (DejaVu Sans), whatever stack is named.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use geocentre_carto::{font, glyphs};

/// Longest font stack name answered (it is echoed in the response).
const MAX_STACK_LEN: usize = 256;

/// `GET /fonts/{fontstack}/{range}.pbf`.
pub async fn glyph_range(
    State(state): State<AppState>,
    Path((stack, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let start = file
        .strip_suffix(".pbf")
        .and_then(glyphs::parse_range)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "'{file}' is not a glyph range such as 0-255.pbf (256 code points from a multiple of 256)"
            ))
        })?;
    if stack.is_empty() || stack.len() > MAX_STACK_LEN {
        return Err(ApiError::bad_request(format!(
            "a font stack name has 1 to {MAX_STACK_LEN} bytes"
        )));
    }
    let key = (stack.clone(), start);
    let cached = state
        .inner
        .glyphs
        .lock()
        .ok()
        .and_then(|c| c.get(&key).cloned());
    let pbf = match cached {
        Some(b) => b,
        None => {
            let face =
                font::face().ok_or_else(|| ApiError::internal("the label font does not read"))?;
            let stack_c = stack.clone();
            let b = Bytes::from(
                tokio::task::spawn_blocking(move || glyphs::range_pbf(face, &stack_c, start))
                    .await
                    .map_err(|e| ApiError::internal(format!("glyph task: {e}")))?,
            );
            if let Ok(mut c) = state.inner.glyphs.lock() {
                // A few ranges cover what maps show; a client naming many
                // stacks only empties the cache.
                if c.len() >= 256 {
                    c.clear();
                }
                c.insert(key, b.clone());
            }
            b
        }
    };
    let mut r = pbf.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-protobuf"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(r)
}
