//! How long work reports its advance. The data crates count their steps
//! and say what they start; the program that runs them decides how that
//! looks: the command line draws a bar on a terminal, writes plain lines in
//! a log, and says nothing with `--json`.

/// Where an ingest (or any long work) reports.
pub trait Progress: Send + Sync {
    /// A line about what starts or what was decided ("Starting ingest 3 …").
    fn note(&self, text: &str);
    /// A counted piece of work begins: `total` steps, under `label`.
    fn steps(&self, label: &str, total: u64) -> Box<dyn Steps>;
}

/// The steps of one piece of work.
pub trait Steps: Send {
    fn inc(&mut self);
    fn finish(self: Box<Self>);
}

/// Reports nothing (`--json`, servers, tests).
pub struct Silent;

impl Progress for Silent {
    fn note(&self, _: &str) {}
    fn steps(&self, _: &str, _: u64) -> Box<dyn Steps> {
        Box::new(Silent)
    }
}

impl Steps for Silent {
    fn inc(&mut self) {}
    fn finish(self: Box<Self>) {}
}
