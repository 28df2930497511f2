//! The connection loop: accepts TCP connections and serves HTTP/1.1 on
//! each, with the bounds `axum::serve` lacks (a slow-loris review held
//! 2000 half-sent requests open for as long as the clients liked):
//!
//! - a header-read timeout, counted from a request's first byte;
//! - an idle keep-alive timeout, counted from the end of the last
//!   response (or the connection's start);
//! - a cap on open connections in all and per client IP address.
//!
//! hyper's own `header_read_timeout` starts when the connection waits for
//! a request, so it would also close idle keep-alive connections after
//! the same delay; the two timeouts are kept apart here with a watchdog
//! that reads what the connection's I/O and service report.

use crate::observe::RefusedLabels;
use crate::state::AppState;
use axum::Router;
use geocentre_core::config::LimitsConfig;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Open connections, in all and per client address.
#[derive(Default)]
struct Counts {
    total: usize,
    by_ip: HashMap<IpAddr, usize>,
}

/// A connection's place in [`Counts`], given back when it closes.
struct Slot {
    counts: Arc<Mutex<Counts>>,
    ip: IpAddr,
}

fn lock(m: &Mutex<Counts>) -> std::sync::MutexGuard<'_, Counts> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Slot {
    fn take(counts: &Arc<Mutex<Counts>>, ip: IpAddr, limits: &LimitsConfig) -> Option<Slot> {
        let mut c = lock(counts);
        let mine = c.by_ip.get(&ip).copied().unwrap_or(0);
        let per_client = limits.max_connections_per_client;
        if c.total >= limits.max_connections || (per_client > 0 && mine >= per_client) {
            return None;
        }
        c.total += 1;
        c.by_ip.insert(ip, mine + 1);
        Some(Slot {
            counts: counts.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut c = lock(&self.counts);
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.by_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                c.by_ip.remove(&self.ip);
            }
        }
    }
}

/// What the watchdog needs to know about one connection. Times are
/// milliseconds since the connection opened.
struct Activity {
    opened: Instant,
    /// Requests whose response is not complete yet.
    in_flight: AtomicUsize,
    /// Bytes of a request head arrived while nothing was in flight.
    reading_head: AtomicBool,
    head_started: AtomicU64,
    /// Last time bytes moved either way, or a response completed.
    last_activity: AtomicU64,
}

impl Activity {
    fn now(&self) -> u64 {
        self.opened.elapsed().as_millis() as u64
    }
    fn touch(&self) {
        self.last_activity.store(self.now(), Ordering::Relaxed);
    }
    /// Why the connection should close now, if it should.
    fn expired(&self, limits: &LimitsConfig) -> Option<&'static str> {
        // Reasons are metric label values (`geocentre_refused`).
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let now = self.now();
        if self.reading_head.load(Ordering::Acquire) {
            let started = self.head_started.load(Ordering::Relaxed);
            (now.saturating_sub(started) > limits.header_read_timeout_ms)
                .then_some("header_timeout")
        } else {
            let last = self.last_activity.load(Ordering::Relaxed);
            (now.saturating_sub(last) > limits.keepalive_idle_s.saturating_mul(1000))
                .then_some("idle_timeout")
        }
    }
}

/// The socket, reporting its traffic to [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            let a = &self.activity;
            if a.in_flight.load(Ordering::Acquire) == 0 && !a.reading_head.load(Ordering::Acquire) {
                a.head_started.store(a.now(), Ordering::Relaxed);
                a.reading_head.store(true, Ordering::Release);
            }
            a.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Marks one request in flight until its response future ends.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn start(a: &Arc<Activity>) -> InFlight {
        a.reading_head.store(false, Ordering::Release);
        a.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(a.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Counts a connection as open until it ends.
struct OpenConnection(AppState);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.inner.metrics.connections_open.dec();
    }
}

/// Accepts connections until `shutdown` turns true, then lets each
/// connection finish its current request and waits for all of them.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: LimitsConfig,
    state: AppState,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let counts = Arc::new(Mutex::new(Counts::default()));
    let limits = Arc::new(limits);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => break,
        };
        // Reap finished connection tasks so the set does not grow.
        while tasks.try_join_next().is_some() {}
        let (stream, peer) = match accepted {
            Ok(x) => x,
            Err(e) => {
                // Out of file descriptors, mostly: wait instead of spinning.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let Some(slot) = Slot::take(&counts, peer.ip(), &limits) else {
            state
                .inner
                .metrics
                .refused
                .get_or_create(&RefusedLabels {
                    reason: "connection_cap",
                })
                .inc();
            refuse(stream, peer);
            continue;
        };
        let _ = stream.set_nodelay(true);
        tasks.spawn(connection(
            stream,
            app.clone(),
            limits.clone(),
            state.clone(),
            shutdown.clone(),
            slot,
        ));
    }
    drop(listener);
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// A connection over the caps: a bare 503 if the socket takes it at once,
/// then closed.
fn refuse(stream: TcpStream, peer: SocketAddr) {
    // Counted in geocentre_refused_total; a log line per refusal would let
    // a client fill the log.
    tracing::debug!(%peer, "connection refused: too many open connections");
    let _ = stream.try_write(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    );
}

async fn connection(
    stream: TcpStream,
    app: Router,
    limits: Arc<LimitsConfig>,
    state: AppState,
    mut shutdown: watch::Receiver<bool>,
    _slot: Slot,
) {
    state.inner.metrics.connections_open.inc();
    let _open = OpenConnection(state.clone());
    let activity = Arc::new(Activity {
        opened: Instant::now(),
        in_flight: AtomicUsize::new(0),
        reading_head: AtomicBool::new(false),
        head_started: AtomicU64::new(0),
        last_activity: AtomicU64::new(0),
    });
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let service_activity = activity.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let guard = InFlight::start(&service_activity);
        let mut app = app.clone();
        async move {
            let r = tower::Service::call(&mut app, req.map(axum::body::Body::new)).await;
            drop(guard);
            r
        }
    });
    // Header names go out as `Content-Type`, not `content-type`: HTTP says
    // names are case-blind, but some OGC clients (and the OGC CITE WMS 1.1.1
    // suite) look them up case-sensitively, and every OGC server they were
    // written against (Apache, nginx, Jetty, Tomcat) sends title case.
    let conn = http1::Builder::new()
        .keep_alive(true)
        .title_case_headers(true)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut draining = *shutdown.borrow();
    if draining {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            r = conn.as_mut() => {
                if let Err(e) = r {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            _ = shutdown.changed(), if !draining => {
                draining = true;
                conn.as_mut().graceful_shutdown();
            }
            _ = tick.tick() => {
                if let Some(why) = activity.expired(&limits) {
                    tracing::debug!(why, "connection closed");
                    state.inner.metrics.refused.get_or_create(&RefusedLabels { reason: why }).inc();
                    return;
                }
            }
        }
    }
}
