//! Admission of map renders. A 4096² map holds about 200 MB while it is
//! drawn (canvas, layer image, encoded copy); 64 at once took a server
//! from 0.7 to 4.7 GB. Maps are rendered by at most `render_slots` at a
//! time; a few more wait in a short queue; beyond, or after waiting too
//! long, the answer is 503 with `Retry-After` at once, before any pixel is
//! allocated. Tiles read from storage, capabilities and features do not
//! pass here: a burst of maps never holds them up.

use geocentre_core::config::LimitsConfig;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct RenderGate {
    /// Renders running plus waiting.
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
    wait: Duration,
}

/// Held while a map renders.
pub struct RenderPermit {
    _admitted: OwnedSemaphorePermit,
    _running: OwnedSemaphorePermit,
}

/// Why a render was not admitted: the client may retry after a moment.
#[derive(Debug)]
pub struct Busy;

/// Seconds a refused client is told to wait.
pub const RETRY_AFTER_S: u32 = 2;

impl RenderGate {
    pub fn new(limits: &LimitsConfig) -> RenderGate {
        let slots = limits.render_slots().max(1);
        RenderGate {
            admitted: Arc::new(Semaphore::new(slots + limits.render_queue)),
            running: Arc::new(Semaphore::new(slots)),
            wait: Duration::from_millis(limits.render_queue_wait_ms),
        }
    }

    /// A rendering slot, or [`Busy`] when the slots and the queue are
    /// full, or no slot freed up within the queue's wait.
    pub async fn enter(&self) -> Result<RenderPermit, Busy> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| Busy)?;
        let running = tokio::time::timeout(self.wait, self.running.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        Ok(RenderPermit {
            _admitted: admitted,
            _running: running,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn full_slots_and_queue_refuse_at_once() {
        let limits = LimitsConfig {
            render_concurrency: 1,
            render_queue: 1,
            render_queue_wait_ms: 50,
            ..LimitsConfig::default()
        };
        let gate = Arc::new(RenderGate::new(&limits));
        let first = gate.enter().await.expect("a free slot");
        // The second waits in the queue and gives up after the wait.
        let g = gate.clone();
        let queued = tokio::spawn(async move { g.enter().await.is_err() });
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        // The queue is full: refused without waiting.
        let started = std::time::Instant::now();
        assert!(gate.enter().await.is_err());
        assert!(started.elapsed() < Duration::from_millis(40));
        assert!(queued.await.expect("joined"), "queued render timed out");
        drop(first);
        assert!(gate.enter().await.is_ok(), "slot freed");
    }
}
