//! Progress of long work: a bar with ETA on a terminal, plain lines otherwise.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

pub struct Progress {
    bar: Option<ProgressBar>,
    label: String,
    total: u64,
    done: u64,
    started: Instant,
    last_line: Instant,
}

impl Progress {
    pub fn new(label: &str, total: u64, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
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
        Progress {
            bar,
            label: label.to_string(),
            total,
            done: 0,
            started: now,
            last_line: now - Duration::from_secs(3600),
        }
    }

    pub fn inc(&mut self, quiet: bool) {
        self.done += 1;
        if let Some(b) = &self.bar {
            b.inc(1);
            return;
        }
        let finished = self.done == self.total;
        if quiet || !(finished || self.last_line.elapsed() >= Duration::from_secs(5)) {
            return;
        }
        self.last_line = Instant::now();
        let elapsed = self.started.elapsed().as_secs_f64();
        let eta = if self.done > 0 {
            elapsed / self.done as f64 * (self.total - self.done) as f64
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

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
