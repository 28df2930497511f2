//! What operators watch: Prometheus metrics (`/metrics`, OpenMetrics text
//! written by the `prometheus-client` crate) and one log line per request.
//!
//! Every request passes one middleware ([`track`]) that names its service
//! and operation, and counts it, its latency and the bytes of its body once
//! the body is sent (or the client went away). Label values are bounded:
//! operations are the OGC `REQUEST` values the services know or the route
//! templates, never what a client typed.

use crate::state::AppState;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use http_body::{Frame, SizeHint};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::pin::Pin;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;
use tracing::Level;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub service: &'static str,
    pub operation: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    pub service: &'static str,
    pub operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ServiceLabels {
    pub service: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    pub cache: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StoreLabels {
    /// `local` or `s3`.
    pub backend: &'static str,
    /// `get` (a range read), `head`, `put`, `multipart_create`,
    /// `multipart_part`, `multipart_complete`, `multipart_abort`, `list`,
    /// `delete`.
    pub operation: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms to ~33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The server's metrics. Counters and histograms are updated where things
/// happen; the cache and registry figures are read when scraped.
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: HistogramFamily<OperationLabels>,
    pub bytes_sent: Family<ServiceLabels, Counter>,
    pub in_flight: Gauge,
    pub cache_hits: Family<CacheLabels, Counter<u64, AtomicU64>>,
    pub cache_misses: Family<CacheLabels, Counter<u64, AtomicU64>>,
    pub cache_bytes: Family<CacheLabels, Gauge>,
    pub generation: Gauge,
    pub snapshot_load: Histogram,
    pub snapshot_loads_failed: Counter,
    pub ready: Gauge,
    /// Open client connections (`connections.rs`).
    pub connections_open: Gauge,
    /// Connections and maps turned away by the limits, by what refused them.
    pub refused: Family<RefusedLabels, Counter>,
    /// Requests to the blob store (imagery), by operation, and those that failed.
    pub store_requests: Family<StoreLabels, Counter<u64, AtomicU64>>,
    pub store_failures: Family<StoreLabels, Counter<u64, AtomicU64>>,
    /// Bytes the blob store's reads brought back.
    pub store_read_bytes: Family<BackendLabels, Counter<u64, AtomicU64>>,
    /// GeoPackages of the replica's cache refused for a wrong checksum.
    pub gpkg_checksum_failures: Counter<u64, AtomicU64>,
    /// GeoPackages removed from the replica's cache to keep its bound.
    pub gpkg_evictions: Counter<u64, AtomicU64>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct BackendLabels {
    pub backend: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RefusedLabels {
    /// `connection_cap`, `header_timeout`, `idle_timeout`, `render_busy`,
    /// `render_budget`.
    pub reason: &'static str,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("geocentre");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by service, operation and status",
            requests.clone(),
        );
        let latency: HistogramFamily<OperationLabels> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from the request to the last byte of its answer",
            latency.clone(),
        );
        let bytes_sent = Family::<ServiceLabels, Counter>::default();
        registry.register(
            "http_response_bytes",
            "Bytes of response bodies sent, by service",
            bytes_sent.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "http_requests_in_flight",
            "Requests being answered",
            in_flight.clone(),
        );
        let cache_hits = Family::<CacheLabels, Counter<u64, AtomicU64>>::default();
        registry.register(
            "cache_hits",
            "Lookups found in a cache (tile caches, glyph ranges)",
            cache_hits.clone(),
        );
        let cache_misses = Family::<CacheLabels, Counter<u64, AtomicU64>>::default();
        registry.register(
            "cache_misses",
            "Lookups a cache did not hold",
            cache_misses.clone(),
        );
        let cache_bytes = Family::<CacheLabels, Gauge>::default();
        registry.register(
            "cache_bytes",
            "Bytes a cache holds now",
            cache_bytes.clone(),
        );
        let generation = Gauge::default();
        registry.register(
            "registry_generation",
            "Generation of the registry of published data the server answers from",
            generation.clone(),
        );
        let snapshot_load = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        registry.register(
            "snapshot_load_seconds",
            "Time to load the snapshot of published data, at start and after each publication",
            snapshot_load.clone(),
        );
        let snapshot_loads_failed = Counter::default();
        registry.register(
            "snapshot_load_failures",
            "Snapshot loads that failed (the previous snapshot stays in use)",
            snapshot_loads_failed.clone(),
        );
        let ready = Gauge::default();
        registry.register(
            "ready",
            "1 once the first snapshot is loaded (/readyz answers 200)",
            ready.clone(),
        );
        let connections_open = Gauge::default();
        registry.register(
            "connections_open",
            "Client connections open now",
            connections_open.clone(),
        );
        let refused = Family::<RefusedLabels, Counter>::default();
        registry.register(
            "refused",
            "Connections closed and maps refused by the [limits], by reason",
            refused.clone(),
        );
        let store_requests = Family::<StoreLabels, Counter<u64, AtomicU64>>::default();
        registry.register(
            "object_store_requests",
            "Requests sent to the blob store (imagery: local files or S3), by operation; \
             a native tile costs one get once its chunk's header is cached",
            store_requests.clone(),
        );
        let store_failures = Family::<StoreLabels, Counter<u64, AtomicU64>>::default();
        registry.register(
            "object_store_request_failures",
            "Requests to the blob store that failed, by operation",
            store_failures.clone(),
        );
        let store_read_bytes = Family::<BackendLabels, Counter<u64, AtomicU64>>::default();
        registry.register(
            "object_store_read_bytes",
            "Bytes read from the blob store (tiles read by range: never whole objects)",
            store_read_bytes.clone(),
        );
        let gpkg_checksum_failures = Counter::<u64, AtomicU64>::default();
        registry.register(
            "gpkg_cache_checksum_failures",
            "GeoPackages of the local cache (blobs in a bucket) refused for a wrong size or \
             SHA-256, fetched or found on disk: each is fetched again",
            gpkg_checksum_failures.clone(),
        );
        let gpkg_evictions = Counter::<u64, AtomicU64>::default();
        registry.register(
            "gpkg_cache_evictions",
            "GeoPackages removed from the local cache to keep it within gpkg_cache_mb",
            gpkg_evictions.clone(),
        );
        Metrics {
            gpkg_checksum_failures,
            gpkg_evictions,
            store_read_bytes,
            store_requests,
            store_failures,
            connections_open,
            refused,
            registry,
            requests,
            latency,
            bytes_sent,
            in_flight,
            cache_hits,
            cache_misses,
            cache_bytes,
            generation,
            snapshot_load,
            snapshot_loads_failed,
            ready,
        }
    }
}

impl Metrics {
    /// Sets a cache's counters to the totals it keeps itself.
    pub fn set_cache(&self, cache: &'static str, hits: u64, misses: u64, bytes: usize) {
        let l = CacheLabels { cache };
        let (h, m) = (
            self.cache_hits.get_or_create(&l),
            self.cache_misses.get_or_create(&l),
        );
        h.inner()
            .store(hits.max(h.get()), std::sync::atomic::Ordering::Relaxed);
        m.inner()
            .store(misses.max(m.get()), std::sync::atomic::Ordering::Relaxed);
        self.cache_bytes
            .get_or_create(&l)
            .set(i64::try_from(bytes).unwrap_or(i64::MAX));
    }

    /// Sets the blob store's counters to the totals it keeps itself.
    pub fn set_store(
        &self,
        backend: &'static str,
        counts: &[(&'static str, u64, u64)],
        read_bytes: u64,
    ) {
        let c = self
            .store_read_bytes
            .get_or_create(&BackendLabels { backend });
        c.inner().store(
            read_bytes.max(c.get()),
            std::sync::atomic::Ordering::Relaxed,
        );
        for &(operation, done, failed) in counts {
            let l = StoreLabels { backend, operation };
            for (family, v) in [(&self.store_requests, done), (&self.store_failures, failed)] {
                let c = family.get_or_create(&l);
                c.inner()
                    .store(v.max(c.get()), std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    /// The text Prometheus scrapes.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// `GET /metrics`: the figures read now (caches, registry) and the counters.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let m = &state.inner.metrics;
    for (name, s) in state.inner.tiles.cache_stats() {
        m.set_cache(name, s.hits, s.misses, s.bytes);
    }
    if let Some(g) = state.inner.features.gpkg_cache_stats() {
        m.set_cache(
            "gpkg",
            g.hits,
            g.misses,
            usize::try_from(g.bytes).unwrap_or(usize::MAX),
        );
        for (c, v) in [
            (&m.gpkg_checksum_failures, g.checksum_failures),
            (&m.gpkg_evictions, g.evictions),
        ] {
            c.inner()
                .store(v.max(c.get()), std::sync::atomic::Ordering::Relaxed);
        }
    }
    let (backend, counts) = state.inner.tiles.store_requests();
    m.set_store(backend, &counts, state.inner.tiles.store_read_bytes());
    let mut r = Response::new(Body::from(m.encode()));
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    r
}

/// The service a path belongs to.
fn service_of(path: &str) -> &'static str {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "" => "viewer",
        "wms" => "wms",
        "wmts" => "wmts",
        "wfs" => "wfs",
        "tms" => "tms",
        "tiles" => "tiles",
        "ogcapi" => "ogcapi",
        "styles" => "styles",
        "fonts" => "fonts",
        "api" => "api",
        "assets" => "assets",
        "healthz" | "readyz" | "metrics" => "ops",
        _ => "other",
    }
}

/// The `REQUEST` values the KVP services know, as they are spelt.
const OGC_REQUESTS: [&str; 12] = [
    "GetCapabilities",
    "GetMap",
    "GetFeatureInfo",
    "GetLegendGraphic",
    "GetTile",
    "DescribeFeatureType",
    "GetFeature",
    "GetPropertyValue",
    "ListStoredQueries",
    "DescribeStoredQueries",
    "DescribeLayer",
    "GetStyles",
];

/// The operation: an OGC KVP request's `REQUEST`, a POST to WFS, or the
/// route template for everything else.
fn operation_of(
    service: &str,
    method: &Method,
    query: Option<&str>,
    route: Option<&str>,
) -> String {
    if matches!(service, "wms" | "wmts" | "wfs") && route.is_some_and(|r| !r.contains('{')) {
        if method == Method::POST {
            return "POST".into();
        }
        let request = query.and_then(|q| {
            q.split('&').find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                k.eq_ignore_ascii_case("request").then_some(v)
            })
        });
        return match request {
            None => "none".into(),
            Some(v) => OGC_REQUESTS
                .iter()
                .find(|r| r.eq_ignore_ascii_case(v))
                .map_or("other".into(), |r| (*r).to_string()),
        };
    }
    route.map_or("unmatched".into(), str::to_string)
}

/// Query parameters whose values are never logged.
fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "token",
        "password",
        "passwd",
        "secret",
        "apikey",
        "api_key",
        "key",
        "auth",
        "session",
        "signature",
        "sig",
        "credential",
    ]
    .iter()
    .any(|s| k.contains(s))
}

/// The query string with secret values replaced, for the log.
pub fn redacted_query(q: &str) -> String {
    q.split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if is_secret(k) => format!("{k}=REDACTED"),
            _ => kv.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The level of a request's log line. A client's mistake (4xx) and an
/// operation that is not implemented (501) are not faults of the server:
/// INFO, so that no client can write ERROR lines at will. A 503 is a
/// refusal by design (not ready yet, or full), a warning. Any other 5xx
/// is a fault: ERROR.
fn level_of(status: u16) -> Level {
    match status {
        501 => Level::INFO,
        503 => Level::WARN,
        500..=599 => Level::ERROR,
        _ => Level::INFO,
    }
}

/// What is known of a request when its answer's body is done.
struct Done {
    state: AppState,
    started: Instant,
    method: Method,
    path: String,
    query: Option<String>,
    service: &'static str,
    operation: String,
    status: u16,
    bytes: u64,
    log: bool,
}

impl Drop for Done {
    fn drop(&mut self) {
        let m = &self.state.inner.metrics;
        let elapsed = self.started.elapsed();
        m.in_flight.dec();
        m.requests
            .get_or_create(&RequestLabels {
                service: self.service,
                operation: self.operation.clone(),
                status: self.status,
            })
            .inc();
        m.latency
            .get_or_create(&OperationLabels {
                service: self.service,
                operation: self.operation.clone(),
            })
            .observe(elapsed.as_secs_f64());
        m.bytes_sent
            .get_or_create(&ServiceLabels {
                service: self.service,
            })
            .inc_by(self.bytes);
        if self.log {
            // tracing wants each event's level as a constant: one line,
            // written at the level its status calls for.
            macro_rules! access_line {
                ($level:expr) => {
                    tracing::event!(
                        target: "geocentre::access",
                        $level,
                        method = %self.method,
                        path = %self.path,
                        query = %self.query.as_deref().map(redacted_query).unwrap_or_default(),
                        status = self.status,
                        duration_ms = (elapsed.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
                        bytes = self.bytes,
                        service = self.service,
                        operation = %self.operation,
                        "request"
                    )
                };
            }
            match level_of(self.status) {
                Level::ERROR => access_line!(Level::ERROR),
                Level::WARN => access_line!(Level::WARN),
                _ => access_line!(Level::INFO),
            }
        }
    }
}

/// A response body that counts what it sends, and reports when it ends.
struct Counted {
    inner: Body,
    done: Option<Done>,
}

impl http_body::Body for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(d), Some(data)) = (this.done.as_mut(), frame.data_ref()) {
                    d.bytes += data.len() as u64;
                }
            }
            Poll::Ready(None) | Poll::Ready(Some(Err(_))) => {
                // Reported now rather than when the connection drops it.
                this.done.take();
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Where the route a request matched is noted for [`track`], which runs
/// before routing (so that unmatched requests are counted too).
#[derive(Clone, Default)]
struct RouteSlot(Arc<OnceLock<String>>);

/// Runs after routing (`route_layer`): notes the matched route template.
pub async fn note_route(req: Request, next: Next) -> Response {
    if let (Some(slot), Some(m)) = (
        req.extensions().get::<RouteSlot>(),
        req.extensions().get::<MatchedPath>(),
    ) {
        let _ = slot.0.set(m.as_str().to_string());
    }
    next.run(req).await
}

/// The middleware every request passes, outermost.
pub async fn track(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let slot = RouteSlot::default();
    req.extensions_mut().insert(slot.clone());
    state.inner.metrics.in_flight.inc();
    let response = next.run(req).await;
    let service = service_of(&path);
    let operation = operation_of(
        service,
        &method,
        query.as_deref(),
        slot.0.get().map(String::as_str),
    );
    let (parts, body) = response.into_parts();
    let done = Done {
        log: state.inner.config.log.requests,
        state,
        started,
        method,
        path,
        query,
        service,
        operation,
        status: parts.status.as_u16(),
        bytes: 0,
    };
    Response::from_parts(
        parts,
        Body::new(Counted {
            inner: body,
            done: Some(done),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_bounded() {
        let get = Method::GET;
        assert_eq!(
            operation_of(
                "wms",
                &get,
                Some("service=WMS&request=getmap"),
                Some("/wms")
            ),
            "GetMap"
        );
        assert_eq!(
            operation_of("wms", &get, Some("REQUEST=DropTables"), Some("/wms")),
            "other"
        );
        assert_eq!(
            operation_of("wfs", &Method::POST, None, Some("/wfs")),
            "POST"
        );
        assert_eq!(
            operation_of(
                "wmts",
                &get,
                None,
                Some("/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col_ext}")
            ),
            "/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col_ext}"
        );
        assert_eq!(operation_of("other", &get, None, None), "unmatched");
    }

    #[test]
    fn only_faults_are_errors() {
        for (status, level) in [
            (200, Level::INFO),
            (304, Level::INFO),
            (400, Level::INFO),
            (404, Level::INFO),
            (413, Level::INFO),
            (500, Level::ERROR),
            (501, Level::INFO),
            (502, Level::ERROR),
            (503, Level::WARN),
            (504, Level::ERROR),
        ] {
            assert_eq!(level_of(status), level, "{status}");
        }
    }

    #[test]
    fn secrets_are_not_logged() {
        assert_eq!(
            redacted_query("LAYERS=a&access_token=xyz&apiKey=1&bbox=1,2"),
            "LAYERS=a&access_token=REDACTED&apiKey=REDACTED&bbox=1,2"
        );
    }
}
