//! The platform's territory (`indicators.region`): read once, in
//! Lambert-93, for the coverage indicator and to list the regional layers
//! first.

use crate::error::ApiError;
use crate::state::AppState;
use geocentre_raster::coverage::{self, Region};
use std::sync::Arc;

/// The territory, read on first use and kept; an unreadable file is a 503
/// (asked again next time: an operator may fix it while serving).
pub async fn region(state: &AppState) -> Result<Arc<Region>, ApiError> {
    let mut slot = state.inner.territory.lock().await;
    if let Some(r) = slot.as_ref() {
        return Ok(r.clone());
    }
    let path = state.inner.config.indicators.region.clone();
    let r = tokio::task::spawn_blocking(move || coverage::load_region(&path))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(|e| {
            // The path and GDAL's message are for the operator, not for
            // every visitor: the log has them.
            tracing::error!("the territory of the indicator cannot be read: {e}");
            ApiError::Problem {
                status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
                title: "Service Unavailable",
                detail: "the territory of the indicator cannot be read (indicators.region); the server log says why".into(),
            }
        })?;
    let r = Arc::new(r);
    *slot = Some(r.clone());
    Ok(r)
}

/// Whether a Lambert-93 box meets the territory's box.
pub fn meets(region: &Region, b: [f64; 4]) -> bool {
    let r = region.bbox;
    b[0] < r[2] && b[2] > r[0] && b[1] < r[3] && b[3] > r[1]
}
