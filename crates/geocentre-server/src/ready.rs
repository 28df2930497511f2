//! Liveness and readiness. `/healthz` says the process answers and its
//! registry database does; `/readyz` says it serves data: not until the
//! first snapshot of published data is loaded. Until then every data route
//! answers 503 with `Retry-After`, so a load balancer (or a client that
//! raced the start) retries instead of seeing an empty platform.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn not_ready() -> Response {
    let mut r = ApiError::Problem {
        status: StatusCode::SERVICE_UNAVAILABLE,
        title: "Service Unavailable",
        detail: "starting: the published data is not loaded yet".into(),
    }
    .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// Before every data route.
pub async fn gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state.is_ready() {
        next.run(req).await
    } else {
        not_ready()
    }
}

/// `GET /readyz`.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.is_ready() {
        format!("ready (generation {})", state.snapshot().generation()).into_response()
    } else {
        not_ready()
    }
}
