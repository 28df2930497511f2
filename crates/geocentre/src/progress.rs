//! Progress on the command line: a bar with ETA on a terminal (indicatif),
//! a plain line every few seconds otherwise (logs), nothing with `--json`.

use geocentre_core::progress::{Progress, Silent, Steps};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The progress reporter of a command: silent with `--json`.
pub fn reporter(quiet: bool) -> Arc<dyn Progress> {
    if quiet {
        Arc::new(Silent)
    } else {
        Arc::new(Terminal)
    }
}

/// Notes and steps on standard error.
pub struct Terminal;

impl Progress for Terminal {
    fn note(&self, text: &str) {
        eprintln!("{text}");
    }

    fn steps(&self, label: &str, total: u64) -> Box<dyn Steps> {
        Box::new(Bar::new(label, total))
    }
}

struct Bar {
    bar: Option<ProgressBar>,
    label: String,
    total: u64,
    done: u64,
    started: Instant,
    last_line: Instant,
}

impl Bar {
    fn new(label: &str, total: u64) -> Bar {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new(total);
            b.set_style(
                ProgressStyle::with_template(
                    "{msg:>12} [{bar:40}] {pos}/{len} ({percent}%) ETA {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b.set_message(label.to_string());
            b
        });
        let now = Instant::now();
        Bar {
            bar,
            label: label.to_string(),
            total,
            done: 0,
            started: now,
            last_line: now - Duration::from_secs(3600),
        }
    }
}

impl Steps for Bar {
    fn inc(&mut self) {
        self.done += 1;
        if let Some(b) = &self.bar {
            b.inc(1);
            return;
        }
        let finished = self.done == self.total;
        if !(finished || self.last_line.elapsed() >= Duration::from_secs(5)) {
            return;
        }
        self.last_line = Instant::now();
        let elapsed = self.started.elapsed().as_secs_f64();
        let eta = if self.done > 0 {
            elapsed / self.done as f64 * (self.total.saturating_sub(self.done)) as f64
        } else {
            0.0
        };
        eprintln!(
            "{}: {}/{} ({:.0}%), elapsed {:.0}s, ETA {:.0}s",
            self.label,
            self.done,
            self.total,
            100.0 * self.done as f64 / self.total.max(1) as f64,
            elapsed,
            eta
        );
    }

    fn finish(self: Box<Self>) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
