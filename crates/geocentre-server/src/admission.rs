//! Admission of map renders. A 4096² map holds about 200 MB while it is
//! drawn (canvas, layer image, encoded copy); 64 at once took a server
//! from 0.7 to 4.7 GB. Maps are rendered by at most `render_slots` at a
//! time, and with at most `render_pixels` pixels among them (the load
//! benchmark peaked at 1.4 GB with four 4096² maps at once: memory goes
//! with pixels, not with maps); a few more wait in a short queue; beyond,
//! or after waiting too long, the answer is 503 with `Retry-After` at
//! once, before any pixel is allocated. Tiles read from storage, capabilities and features do not
//! pass here: a burst of maps never holds them up.

use geocentre_core::config::LimitsConfig;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct RenderGate {
    /// Renders running plus waiting.
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
    /// Pixels being rendered, in units of [`PIXEL_UNIT`].
    pixels: Arc<Semaphore>,
    pixel_units: u32,
    wait: Duration,
}

/// Pixels per permit of the pixel budget (a 256×256 tile).
const PIXEL_UNIT: u64 = 65_536;

/// Held while a map renders.
pub struct RenderPermit {
    _admitted: OwnedSemaphorePermit,
    _running: OwnedSemaphorePermit,
    _pixels: OwnedSemaphorePermit,
}

/// Why a render was not admitted: the client may retry after a moment.
#[derive(Debug)]
pub struct Busy;

/// Seconds a refused client is told to wait.
pub const RETRY_AFTER_S: u32 = 2;

impl RenderGate {
    pub fn new(limits: &LimitsConfig) -> RenderGate {
        let slots = limits.render_slots().max(1);
        let pixel_units = u32::try_from(limits.render_pixels.div_ceil(PIXEL_UNIT).max(1))
            .unwrap_or(u32::MAX >> 4);
        RenderGate {
            admitted: Arc::new(Semaphore::new(slots + limits.render_queue)),
            running: Arc::new(Semaphore::new(slots)),
            pixels: Arc::new(Semaphore::new(pixel_units as usize)),
            pixel_units,
            wait: Duration::from_millis(limits.render_queue_wait_ms),
        }
    }

    /// A rendering slot and room for a map of `pixels`, or [`Busy`] when
    /// the slots and the queue are full, or neither freed up within the
    /// queue's wait. A map larger than the whole pixel budget waits for all
    /// of it (it is alone then), so any allowed size can render.
    pub async fn enter(&self, pixels: u64) -> Result<RenderPermit, Busy> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| Busy)?;
        let deadline = tokio::time::Instant::now() + self.wait;
        let running = tokio::time::timeout_at(deadline, self.running.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let units = u32::try_from(pixels.div_ceil(PIXEL_UNIT).max(1))
            .unwrap_or(u32::MAX)
            .min(self.pixel_units);
        let room = tokio::time::timeout_at(deadline, self.pixels.clone().acquire_many_owned(units))
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        Ok(RenderPermit {
            _admitted: admitted,
            _running: running,
            _pixels: room,
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
        let first = gate.enter(256 * 256).await.expect("a free slot");
        // The second waits in the queue and gives up after the wait.
        let g = gate.clone();
        let queued = tokio::spawn(async move { g.enter(256 * 256).await.is_err() });
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        // The queue is full: refused without waiting.
        let started = std::time::Instant::now();
        assert!(gate.enter(256 * 256).await.is_err());
        assert!(started.elapsed() < Duration::from_millis(40));
        assert!(queued.await.expect("joined"), "queued render timed out");
        drop(first);
        assert!(gate.enter(256 * 256).await.is_ok(), "slot freed");
    }

    #[tokio::test]
    async fn pixels_are_budgeted_across_slots() {
        let limits = LimitsConfig {
            render_concurrency: 4,
            render_queue: 4,
            render_queue_wait_ms: 50,
            render_pixels: 2 * 4096 * 4096,
            ..LimitsConfig::default()
        };
        let gate = RenderGate::new(&limits);
        let a = gate.enter(4096 * 4096).await.expect("first large map");
        let b = gate.enter(4096 * 4096).await.expect("second large map");
        // Slots are free, pixels are not: a third large map waits, then 503.
        assert!(gate.enter(4096 * 4096).await.is_err());
        drop(a);
        assert!(gate.enter(4096 * 4096).await.is_ok());
        drop(b);
        // Larger than the whole budget: admitted alone.
        assert!(gate.enter(u64::MAX).await.is_ok());
    }
}
