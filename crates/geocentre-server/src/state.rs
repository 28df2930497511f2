use geocentre_core::Config;
use geocentre_raster::TileService;
use geocentre_registry::{Registry, Snapshot};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct AppState {
    pub inner: Arc<Inner>,
}

pub struct Inner {
    pub config: Config,
    pub registry: Registry,
    pub tiles: TileService,
    pub features: Arc<dyn geocentre_features::store::FeatureStore>,
    /// Empty until the first load; then the published data answered from.
    snapshot: RwLock<Arc<Snapshot>>,
    /// Set once the first snapshot is loaded: `/readyz`, and the gate
    /// before every data route.
    ready: AtomicBool,
    pub metrics: crate::observe::Metrics,
    pub extents: crate::extent::ExtentCache,
    pub coverage: tokio::sync::Mutex<crate::routes::CoverageCache>,
    /// The territory (`indicators.region`), once read.
    pub territory: tokio::sync::Mutex<Option<Arc<geocentre_raster::coverage::Region>>>,
    /// Glyph ranges already made, by font stack and first code point.
    pub glyphs: std::sync::Mutex<std::collections::HashMap<(String, u32), bytes::Bytes>>,
    /// Admission of map renders (`[limits]`).
    pub renders: crate::admission::RenderGate,
    /// The stored catalog records' summaries, parsed once per snapshot
    /// generation (`crate::catalog`).
    pub stored_records: std::sync::Mutex<Option<crate::catalog::StoredSummaries>>,
}

impl AppState {
    /// A server state with nothing loaded yet: [`AppState::spawn_registry_watch`]
    /// loads the first snapshot (and retries until it can).
    pub fn new(
        config: Config,
        registry: Registry,
        tiles: TileService,
        features: Arc<dyn geocentre_features::store::FeatureStore>,
    ) -> AppState {
        let renders = crate::admission::RenderGate::new(&config.limits);
        AppState {
            inner: Arc::new(Inner {
                renders,
                config,
                registry,
                tiles,
                features,
                snapshot: RwLock::new(Arc::new(Snapshot::default())),
                ready: AtomicBool::new(false),
                metrics: Default::default(),
                extents: Default::default(),
                coverage: Default::default(),
                territory: Default::default(),
                glyphs: Default::default(),
                stored_records: Default::default(),
            }),
        }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.inner.snapshot.read() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Whether the first snapshot is loaded.
    pub fn is_ready(&self) -> bool {
        self.inner.ready.load(Ordering::Acquire)
    }

    /// Loads the snapshot of what is published now and swaps it in.
    async fn reload(&self) -> Result<(), geocentre_registry::RegistryError> {
        let started = Instant::now();
        let previous = self.snapshot();
        let loaded = self.inner.registry.load_snapshot_after(&previous).await;
        let m = &self.inner.metrics;
        let s = match loaded {
            Ok(s) => s,
            Err(e) => {
                m.snapshot_loads_failed.inc();
                return Err(e);
            }
        };
        m.snapshot_load.observe(started.elapsed().as_secs_f64());
        m.generation.set(s.generation());
        tracing::info!(
            generation = s.generation(),
            load_ms = started.elapsed().as_millis() as u64,
            "snapshot loaded"
        );
        if let Ok(mut w) = self.inner.snapshot.write() {
            *w = Arc::new(s);
        }
        if !self.inner.ready.swap(true, Ordering::AcqRel) {
            m.ready.set(1);
        }
        Ok(())
    }

    /// Loads the first snapshot (retrying until the registry answers),
    /// then keeps it current: it reloads when the registry generation
    /// moves, checked every `server.catalog_poll_ms` and at once when the
    /// registry notifies a change (PostgreSQL LISTEN/NOTIFY: a publication
    /// by another replica or a CLI elsewhere is seen within milliseconds;
    /// the poll is the fallback when the notification connection is down).
    pub fn spawn_registry_watch(&self) {
        let wake = Arc::new(tokio::sync::Notify::new());
        self.spawn_change_listener(wake.clone());
        let state = self.clone();
        let every = Duration::from_millis(self.inner.config.server.catalog_poll_ms.max(100));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = wake.notified() => {}
                }
                if !state.is_ready() {
                    if let Err(e) = state.reload().await {
                        tracing::warn!("first snapshot load failed, retrying: {e}");
                    }
                    continue;
                }
                let current = state.snapshot().generation();
                match state.inner.registry.generation().await {
                    Ok(g) if g != current => {
                        if let Err(e) = state.reload().await {
                            tracing::warn!("registry reload failed: {e}");
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!("registry poll failed: {e}"),
                }
            }
        });
    }

    /// Wakes the watch on every change the registry pushes; reconnects
    /// (after a second) when the database goes away.
    fn spawn_change_listener(&self, wake: Arc<tokio::sync::Notify>) {
        let registry = self.inner.registry.clone();
        tokio::spawn(async move {
            loop {
                match registry.listen().await {
                    Ok(None) => return,
                    Ok(Some(mut listener)) => {
                        // Changes made before LISTEN took effect.
                        wake.notify_one();
                        loop {
                            if let Err(e) = listener.next().await {
                                tracing::warn!("registry notifications lost: {e}");
                                break;
                            }
                            wake.notify_one();
                        }
                    }
                    Err(e) => tracing::warn!("cannot listen for registry changes: {e}"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
}
