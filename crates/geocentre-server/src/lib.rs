//! The HTTP layer: routing, error mapping, caching headers, the viewer.
//! Handlers parse with `geocentre-ogc`, resolve layers through the
//! registry's authorization point, and read tiles with `geocentre-raster`.

mod access;
mod admission;
mod assets;
mod catalog;
mod connections;
mod error;
mod extent;
mod geojson_body;
mod http_cache;
mod layer_style;
mod observe;
mod ready;
mod routes;
mod security_headers;
mod state;
mod territory;
mod tile_serving;
mod urls;
mod vector_tiles;

pub use error::ApiError;
pub use routes::{listed as routes, Listed};
pub use state::AppState;

use axum::middleware;
use axum::Router;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::cors::{Any, CorsLayer};

pub fn router(state: AppState) -> Router {
    // Browsers load tiles, styles and capabilities cross-origin from web maps.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            axum::http::Method::GET,
            axum::http::Method::HEAD,
            axum::http::Method::OPTIONS,
        ])
        .allow_headers(Any)
        .expose_headers([axum::http::header::ETAG]);
    let ogc = routes::ogc_routes().router.layer(cors);
    // Data routes answer 503 until the first snapshot is loaded.
    let data = Router::new()
        .merge(ogc)
        .merge(routes::site_routes().router)
        .route_layer(middleware::from_fn_with_state(state.clone(), ready::gate));
    Router::new()
        .merge(data)
        .merge(routes::ops_routes().router)
        .fallback(error::no_route)
        .route_layer(middleware::from_fn(observe::note_route))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            observe::track,
        ))
        .layer(middleware::from_fn(error::framework_rejections))
        .layer(middleware::from_fn(security_headers::add))
        .with_state(state)
}

/// Serves until SIGINT or SIGTERM, then drains in-flight requests.
pub async fn serve(state: AppState, listener: TcpListener) -> std::io::Result<()> {
    let addr: SocketAddr = listener.local_addr()?;
    state.spawn_registry_watch();
    // Tests and scripts read this first line to learn the port.
    println!("listening on http://{addr}");
    tracing::info!(%addr, "geocentre listening");
    let limits = state.inner.config.limits.clone();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    connections::run(listener, router(state.clone()), limits, state, stopped).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
