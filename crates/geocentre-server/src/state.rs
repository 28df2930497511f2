use geocentre_catalog::{Catalog, OrthoSnapshot};
use geocentre_core::Config;
use geocentre_raster::TileService;
use std::sync::{Arc, RwLock};
use std::time::Duration;

#[derive(Clone)]
pub struct AppState {
    pub inner: Arc<Inner>,
}

pub struct Inner {
    pub config: Config,
    pub catalog: Catalog,
    pub tiles: TileService,
    pub features: Arc<dyn geocentre_vector::store::FeatureStore>,
    snapshot: RwLock<Arc<OrthoSnapshot>>,
    pub extents: crate::extent::ExtentCache,
    pub coverage: tokio::sync::Mutex<crate::routes::CoverageCache>,
}

impl AppState {
    pub async fn new(
        config: Config,
        catalog: Catalog,
        tiles: TileService,
        features: Arc<dyn geocentre_vector::store::FeatureStore>,
    ) -> Result<AppState, geocentre_catalog::CatalogError> {
        let snapshot = catalog.load_snapshot().await?;
        Ok(AppState {
            inner: Arc::new(Inner {
                config,
                catalog,
                tiles,
                features,
                snapshot: RwLock::new(Arc::new(snapshot)),
                extents: Default::default(),
                coverage: Default::default(),
            }),
        })
    }

    pub fn snapshot(&self) -> Arc<OrthoSnapshot> {
        match self.inner.snapshot.read() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Polls the catalog generation and swaps in a new snapshot when an
    /// ingest (possibly in another process) has published.
    pub fn spawn_catalog_watch(&self) {
        let state = self.clone();
        let every = Duration::from_millis(self.inner.config.server.catalog_poll_ms.max(100));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let current = state.snapshot().generation();
                match state.inner.catalog.generation().await {
                    Ok(g) if g != current => match state.inner.catalog.load_snapshot().await {
                        Ok(s) => {
                            tracing::info!(
                                generation = s.generation(),
                                "catalog changed, snapshot reloaded"
                            );
                            if let Ok(mut w) = state.inner.snapshot.write() {
                                *w = Arc::new(s);
                            }
                        }
                        Err(e) => tracing::warn!("catalog reload failed: {e}"),
                    },
                    Ok(_) => {}
                    Err(e) => tracing::warn!("catalog poll failed: {e}"),
                }
            }
        });
    }
}
