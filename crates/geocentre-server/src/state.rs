use geocentre_core::Config;
use geocentre_raster::TileService;
use geocentre_registry::{Registry, Snapshot};
use std::sync::{Arc, RwLock};
use std::time::Duration;

#[derive(Clone)]
pub struct AppState {
    pub inner: Arc<Inner>,
}

pub struct Inner {
    pub config: Config,
    pub registry: Registry,
    pub tiles: TileService,
    pub features: Arc<dyn geocentre_features::store::FeatureStore>,
    snapshot: RwLock<Arc<Snapshot>>,
    pub extents: crate::extent::ExtentCache,
    pub coverage: tokio::sync::Mutex<crate::routes::CoverageCache>,
    /// The territory (`indicators.region`), once read.
    pub territory: tokio::sync::Mutex<Option<Arc<geocentre_raster::coverage::Region>>>,
    /// Glyph ranges already made, by font stack and first code point.
    pub glyphs: std::sync::Mutex<std::collections::HashMap<(String, u32), bytes::Bytes>>,
}

impl AppState {
    pub async fn new(
        config: Config,
        registry: Registry,
        tiles: TileService,
        features: Arc<dyn geocentre_features::store::FeatureStore>,
    ) -> Result<AppState, geocentre_registry::RegistryError> {
        let snapshot = registry.load_snapshot().await?;
        Ok(AppState {
            inner: Arc::new(Inner {
                config,
                registry,
                tiles,
                features,
                snapshot: RwLock::new(Arc::new(snapshot)),
                extents: Default::default(),
                coverage: Default::default(),
                territory: Default::default(),
                glyphs: Default::default(),
            }),
        })
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.inner.snapshot.read() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Polls the registry generation and swaps in a new snapshot when an
    /// ingest (possibly in another process) has published.
    pub fn spawn_registry_watch(&self) {
        let state = self.clone();
        let every = Duration::from_millis(self.inner.config.server.catalog_poll_ms.max(100));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let current = state.snapshot().generation();
                match state.inner.registry.generation().await {
                    Ok(g) if g != current => match state.inner.registry.load_snapshot().await {
                        Ok(s) => {
                            tracing::info!(
                                generation = s.generation(),
                                "registry changed, snapshot reloaded"
                            );
                            if let Ok(mut w) = state.inner.snapshot.write() {
                                *w = Arc::new(s);
                            }
                        }
                        Err(e) => tracing::warn!("registry reload failed: {e}"),
                    },
                    Ok(_) => {}
                    Err(e) => tracing::warn!("registry poll failed: {e}"),
                }
            }
        });
    }
}
