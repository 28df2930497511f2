//! `geocentre ortho ingest`: scan a delivery, build the vintage's pyramid
//! of chunk COGs with every core, publish it atomically.
//!
//! Memory does not grow with the batch: a worker holds one chunk (at most
//! 2^k·256 px square, 4 bands) and the channel to the writer holds at most
//! two finished chunks per worker. Resuming after a crash relies on two
//! facts: a chunk file is put atomically before it is recorded, and the
//! vintage pointer only moves in the final transaction.

use crate::chunk_writer::{self, Built, Input, WriterSettings};
use crate::composite::{self, CompositeReport};
use crate::plan::{self, ChunkJob};
use crate::scan::{self, RejectCode, ScanReport, Source};
use geocentre_blob::{BlobError, BlobStore};
use geocentre_core::bbox;
use geocentre_core::config::IngestConfig;
use geocentre_core::progress::Progress;
use geocentre_core::tms::{TmsId, LAMB93};
use geocentre_delivery::inventory::{self, ArchiveLimits, DataFile, Totals};
use geocentre_registry::composite::{composite_base, composites_prefix, VintageInput};
use geocentre_registry::ortho::ingest_base;
use geocentre_registry::{chunk_path, BeginIngest, Registry, RegistryError, SourceRecord};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Files of superseded vintages stay this long for servers still reading them.
pub const GC_GRACE_S: i64 = 300;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error("building chunk {0}: {1}")]
    Chunk(String, String),
    #[error("{0}")]
    Invalid(String),
    #[error("ingest worker failed: {0}")]
    Worker(String),
}

pub struct IngestRequest {
    pub layer: String,
    pub title: Option<String>,
    pub vintage: i32,
    pub producer: Option<String>,
    pub crs: Option<u32>,
    /// Painting priority in the layer's composite (higher wins over newer).
    pub priority: i64,
    /// Acquisition date of the flight (YYYY-MM-DD), for reviewers.
    pub acquired: Option<String>,
    pub paths: Vec<PathBuf>,
    /// Where the ingest reports what it does (silent with `--json`).
    pub progress: Arc<dyn Progress>,
}

#[derive(Debug, Serialize)]
pub struct IngestReport {
    pub layer: String,
    pub vintage: i32,
    pub ingest_id: i64,
    /// published, partial (some files rejected) or failed.
    pub status: &'static str,
    pub resumed: bool,
    pub native_level: Option<u8>,
    pub resolution_m: Option<f64>,
    pub chunks: usize,
    pub chunks_built: usize,
    /// What the publication changed in the layer's composite.
    pub composite: Option<CompositeReport>,
    pub elapsed_s: f64,
    /// One line per file found: images (ingested or rejected), sidecars
    /// and ignored files.
    pub files: Vec<ScanReport>,
    /// The lines counted by status.
    pub totals: Totals,
}

impl IngestReport {
    fn set_files(&mut self, files: Vec<ScanReport>) {
        self.totals = Totals::count(files.iter().map(|f| f.status));
        self.files = files;
    }

    /// 0: every file ingested; 3: some rejected, the rest published; 1: nothing published.
    pub fn exit_code(&self) -> i32 {
        match self.status {
            "published" => 0,
            "partial" => 3,
            _ => 1,
        }
    }
}

/// The report's lines: each scanned image followed by its sidecars, then
/// the ignored files.
fn all_lines(scanned: &[ScanReport], others: &[ScanReport]) -> Vec<ScanReport> {
    inventory::report_order(scanned.to_vec(), others.to_vec(), |r| {
        (r.path.clone(), r.sidecar_of.clone())
    })
}

/// FNV-1a: a stable fingerprint of the inputs, to recognise a re-run.
fn fingerprint(parts: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn params_key(req: &IngestRequest, files: &[DataFile], cfg: &IngestConfig) -> String {
    let mut parts = vec![
        req.layer.clone(),
        req.vintage.to_string(),
        format!("{:?}", req.crs),
        format!(
            "{}/{}/{}",
            cfg.chunk_tiles_log2, cfg.jpeg_quality, cfg.resampling
        ),
    ];
    // An image and its sidecars (a corrected world file changes the result).
    for f in files
        .iter()
        .flat_map(|d| std::iter::once(&d.path).chain(&d.sidecar_paths))
    {
        let meta = std::fs::metadata(f).ok();
        let mtime = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        parts.push(format!(
            "{}|{}|{}",
            f.display(),
            meta.map(|m| m.len()).unwrap_or(0),
            mtime
        ));
    }
    fingerprint(&parts)
}

pub fn worker_count(cfg: &IngestConfig) -> usize {
    if cfg.workers > 0 {
        cfg.workers
    } else {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    }
}

/// Scans every file with all workers.
fn scan_all(
    files: &[DataFile],
    crs: Option<u32>,
    cfg: &IngestConfig,
    progress: &dyn Progress,
) -> Vec<(ScanReport, Option<Source>)> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Scanned>>> = Mutex::new(vec![None; files.len()]);
    let steps = Mutex::new(progress.steps("scan", files.len() as u64));
    std::thread::scope(|s| {
        for _ in 0..worker_count(cfg).min(files.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(f) = files.get(i) else { break };
                let r = scan::scan(f, crs, cfg);
                if let Ok(mut v) = results.lock() {
                    v[i] = Some(r);
                }
                if let Ok(mut p) = steps.lock() {
                    p.inc();
                }
            });
        }
    });
    if let Ok(p) = steps.into_inner() {
        p.finish();
    }
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .zip(files)
        .map(|(r, f)| {
            r.unwrap_or_else(|| {
                (
                    ScanReport::unreadable(&f.path, "the scan did not complete"),
                    None,
                )
            })
        })
        .collect()
}

type Scanned = (ScanReport, Option<Source>);
/// A stored chunk: (tier, cx, cy) and its pixel size.
type StoredChunk = ((u8, i64, i64), (u32, u32));

pub(crate) struct Ctx<'a> {
    pub(crate) registry: &'a Registry,
    pub(crate) blobs: &'a BlobStore,
    pub(crate) cfg: &'a IngestConfig,
    pub(crate) ingest_id: i64,
    pub(crate) base: String,
    pub(crate) progress: &'a dyn Progress,
}

/// Where built chunks go: the vintage's own pyramid, or a composite
/// version (an empty chunk is then recorded as such: it replaces one).
pub(crate) enum Sink<'a> {
    Vintage(&'a mut HashMap<(u8, i64, i64), (u32, u32)>),
    Composite { id: i64, base: String },
}

impl Sink<'_> {
    async fn accept(
        &mut self,
        ctx: &Ctx<'_>,
        job: &ChunkJob,
        cog: Option<Vec<u8>>,
    ) -> Result<(), IngestError> {
        let key = job.key();
        let size = (job.width, job.height);
        match (self, cog) {
            (Sink::Vintage(stored), Some(bytes)) => {
                let path = chunk_path(&ctx.base, job.lo, job.hi, job.cx, job.cy);
                let len = bytes.len() as u64;
                ctx.blobs.put(&path, bytes.into()).await?;
                ctx.registry
                    .record_chunk(ctx.ingest_id, job.tier, job.cx, job.cy, size, len)
                    .await?;
                stored.insert(key, size);
            }
            (Sink::Vintage(stored), None) => {
                if stored.remove(&key).is_some() {
                    ctx.registry
                        .forget_chunk(ctx.ingest_id, job.tier, job.cx, job.cy)
                        .await?;
                }
            }
            (Sink::Composite { id, base }, cog) => {
                let path = match cog {
                    Some(bytes) => {
                        let path = chunk_path(base, job.lo, job.hi, job.cx, job.cy);
                        ctx.blobs.put(&path, bytes.into()).await?;
                        Some(path)
                    }
                    None => None,
                };
                ctx.registry
                    .record_composite_chunk(*id, key, size, path.as_deref())
                    .await?;
            }
        }
        Ok(())
    }
}

/// Runs `jobs` on the worker threads; stores and records each result as it
/// arrives. Returns the chunks written and the inputs found bad.
pub(crate) async fn run_jobs(
    ctx: &Ctx<'_>,
    label: &str,
    jobs: Vec<ChunkJob>,
    inputs: Arc<Vec<Input>>,
    sink: &mut Sink<'_>,
) -> Result<(HashSet<(u8, i64, i64)>, Vec<(usize, String)>), IngestError> {
    let workers = worker_count(ctx.cfg).min(jobs.len().max(1));
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(ChunkJob, Result<Built, String>)>(workers * 2);
    let settings = Arc::new(WriterSettings {
        jpeg_quality: ctx.cfg.jpeg_quality,
        resampling: ctx.cfg.resampling.clone(),
    });
    let total = jobs.len() as u64;
    let jobs = Arc::new(jobs);
    let pool = tokio::task::spawn_blocking({
        let jobs = jobs.clone();
        move || {
            let next = AtomicUsize::new(0);
            std::thread::scope(|s| {
                for _ in 0..workers {
                    s.spawn(|| loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        let r = chunk_writer::build(job, &inputs, &settings).map_err(|e| e.0);
                        if tx.blocking_send((job.clone(), r)).is_err() {
                            break;
                        }
                    });
                }
            });
        }
    });
    let mut steps = ctx.progress.steps(label, total);
    let mut built = HashSet::new();
    let mut bad = Vec::new();
    let mut failure = None;
    while let Some((job, result)) = rx.recv().await {
        steps.inc();
        let name = format!("tier {} chunk {},{}", job.tier, job.cx, job.cy);
        match result {
            Err(e) => {
                failure.get_or_insert(IngestError::Chunk(name, e));
            }
            Ok(b) => {
                bad.extend(b.bad_inputs);
                sink.accept(ctx, &job, b.cog).await?;
                built.insert(job.key());
            }
        }
    }
    steps.finish();
    pool.await.map_err(|e| IngestError::Worker(e.to_string()))?;
    match failure {
        Some(e) => Err(e),
        None => Ok((built, bad)),
    }
}

pub async fn ingest(
    registry: &Registry,
    blobs: &BlobStore,
    cfg: &IngestConfig,
    req: IngestRequest,
) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    if !geocentre_registry::valid_layer_name(&req.layer) {
        return Err(IngestError::Invalid(format!(
            "layer name '{}' must be made of letters, digits, '_', '.' and '-', start with a letter or digit, and not end in '-' and digits (that names a vintage, e.g. ortho-hr-2024) nor in '-dalles' (a dalle index)",
            req.layer
        )));
    }
    if let Some(d) = &req.acquired {
        if !is_iso_date(d) {
            return Err(IngestError::Invalid(format!(
                "acquisition date '{d}' is not a date like 2024-06-15"
            )));
        }
    }
    if !(1900..=2999).contains(&req.vintage) {
        return Err(IngestError::Invalid(format!(
            "vintage {} is not a year",
            req.vintage
        )));
    }
    gc_dead(registry, blobs).await?;
    // Orthophoto deliveries list zip archives as ignored files (not
    // opened): the limits are those of the configuration all the same.
    let limits = ArchiveLimits {
        max_bytes: cfg.max_archive_bytes,
        max_ratio: cfg.max_archive_ratio,
        max_entries: cfg.max_archive_entries,
    };
    let inv = inventory::walk(&req.paths, &inventory::ORTHO, &limits);
    let files = inv.data;
    if files.is_empty() && inv.refused.is_empty() {
        return Err(IngestError::Invalid(format!(
            "no image found in the given paths{}",
            match inv.others.len() {
                0 => String::new(),
                n => format!(" ({n} other file(s), none of them an image)"),
            }
        )));
    }
    // Every other file is accounted for in the report; a folder that
    // cannot be read is a rejected line.
    let others: Vec<ScanReport> =
        inv.others
            .iter()
            .map(ScanReport::other)
            .chain(inv.unreadable.iter().map(|(d, why)| {
                ScanReport::unreadable(d, format!("cannot read the folder: {why}"))
            }))
            .chain(
                inv.refused
                    .iter()
                    .map(|(p, refusal)| ScanReport::refused(p, refusal)),
            )
            .collect();
    let title = match &req.title {
        Some(t) => t.clone(),
        None => registry
            .ortho_layer_title(&req.layer)
            .await?
            .unwrap_or_else(|| format!("Orthophotographie {}", req.layer)),
    };
    registry.ensure_ortho_layer(&req.layer, &title).await?;
    let key = params_key(&req, &files, cfg);
    let begun = registry
        .begin_ingest(&BeginIngest {
            layer: &req.layer,
            vintage: req.vintage,
            producer: req.producer.as_deref(),
            params_key: &key,
            tms: TmsId::Lamb93.as_str(),
            chunk_log2: cfg.chunk_tiles_log2,
            priority: req.priority,
            acquired: req.acquired.as_deref(),
        })
        .await?;
    let ingest_id = begun.ingest_id;
    let base = ingest_base(&req.layer, req.vintage, ingest_id);
    req.progress.note(&format!(
        "{} ingest {ingest_id} of {} file(s) into {}-{}",
        if begun.resumed {
            "Resuming"
        } else {
            "Starting"
        },
        files.len(),
        req.layer,
        req.vintage
    ));

    // Scan.
    let scan_files = files.clone();
    let (crs, cfg_c, progress) = (req.crs, cfg.clone(), req.progress.clone());
    let scanned =
        tokio::task::spawn_blocking(move || scan_all(&scan_files, crs, &cfg_c, progress.as_ref()))
            .await
            .map_err(|e| IngestError::Worker(e.to_string()))?;
    let mut reports: Vec<ScanReport> = Vec::with_capacity(scanned.len());
    let mut sources: Vec<Source> = Vec::new();
    let mut source_report: Vec<usize> = Vec::new();
    for (rep, src) in scanned {
        if let Some(s) = src {
            source_report.push(reports.len());
            sources.push(s);
        }
        reports.push(rep);
    }

    let mut report = IngestReport {
        layer: req.layer.clone(),
        vintage: req.vintage,
        ingest_id,
        status: "failed",
        resumed: begun.resumed,
        native_level: None,
        resolution_m: None,
        chunks: 0,
        chunks_built: 0,
        composite: None,
        elapsed_s: 0.0,
        files: Vec::new(),
        totals: Totals::default(),
    };
    if sources.is_empty() {
        report.set_files(all_lines(&reports, &others));
        finish_failed(registry, blobs, &base, &mut report, started).await?;
        return Ok(report);
    }

    // Plan.
    let finest = sources
        .iter()
        .map(|s| s.resolution_l93)
        .fold(f64::INFINITY, f64::min);
    let native = LAMB93.level_for_resolution(finest);
    let tiers = plan::tiers(native, cfg.chunk_tiles_log2);
    let bbox = sources
        .iter()
        .fold(bbox::EMPTY, |b, s| bbox::union(b, s.footprint_l93));
    registry.set_plan(ingest_id, native, &tiers, bbox).await?;
    report.native_level = Some(native);
    report.resolution_m = Some(LAMB93.resolution(native));

    let ctx = Ctx {
        registry,
        blobs,
        cfg,
        ingest_id,
        base: base.clone(),
        progress: req.progress.as_ref(),
    };
    let mut stored = registry.done_chunks(ingest_id).await?;
    let inputs: Arc<Vec<Input>> = Arc::new(
        sources
            .iter()
            .map(|s| Input {
                gdal_path: s.path.clone(),
                siblings: s.siblings.clone(),
                drivers: s.drivers,
                assign_epsg: s.assign_srs.then_some(s.epsg),
                on_grid: s.on_grid(&LAMB93, native),
                stored: false,
            })
            .collect(),
    );

    // Tier 0, from the sources. Inputs found bad while warping are dropped
    // and every chunk that used them is built again without them.
    let mut excluded: HashSet<usize> = HashSet::new();
    let mut rebuilt: HashSet<(u8, i64, i64)> = HashSet::new();
    let mut force: HashSet<(u8, i64, i64)> = HashSet::new();
    loop {
        let extents: Vec<[f64; 4]> = sources.iter().map(|s| s.footprint_l93).collect();
        let mut jobs = plan::chunks_for(&LAMB93, 0, tiers[0], &extents);
        for j in &mut jobs {
            j.inputs.retain(|i| !excluded.contains(i));
        }
        let all_jobs = jobs.clone();
        jobs.retain(|j| force.contains(&j.key()) || !stored.contains_key(&j.key()));
        if jobs.is_empty() {
            break;
        }
        let (built, bad) = run_jobs(
            &ctx,
            "tier 0",
            jobs,
            inputs.clone(),
            &mut Sink::Vintage(&mut stored),
        )
        .await?;
        report.chunks_built += built.len();
        rebuilt.extend(built);
        force.clear();
        let mut new_bad = false;
        for (i, msg) in bad {
            if excluded.insert(i) {
                new_bad = true;
                if let Some(rep) = source_report.get(i).and_then(|&r| reports.get_mut(r)) {
                    rep.reject(
                        RejectCode::Corrupt,
                        format!("pixel data cannot be read: {msg}"),
                    );
                }
            }
        }
        if !new_bad {
            break;
        }
        // Chunks built earlier from a now-excluded input are built again.
        for j in all_jobs {
            if extents_touch(&j, &sources, &excluded) {
                force.insert(j.key());
            }
        }
    }

    // Upper tiers, each from the chunks of the tier below.
    for t in 1..tiers.len() {
        let (clo, chi) = tiers[t - 1];
        let mut children: Vec<StoredChunk> = stored
            .iter()
            .filter(|(k, _)| k.0 == (t - 1) as u8)
            .map(|(k, v)| (*k, *v))
            .collect();
        // In a fixed order: the warper paints its sources in turn, and along
        // the seams between two children the later one wins. In HashMap
        // order the same ingest gave different bytes along the seams from
        // one run to the next (found comparing an ingest on S3 with the
        // same ingest on local files).
        children.sort_unstable();
        let child_inputs: Vec<Input> = children
            .iter()
            .map(|((_, cx, cy), _)| {
                Input::stored_chunk(
                    blobs.gdal_path(&chunk_path(&base, clo, chi, *cx, *cy)),
                    false,
                )
            })
            .collect();
        let child_extents: Vec<[f64; 4]> = children
            .iter()
            .map(|((_, cx, cy), (w, h))| {
                let b = LAMB93.tile_bounds(clo, *cx as u64, *cy as u64);
                let r = LAMB93.resolution(chi);
                [
                    b[0],
                    b[3] - f64::from(*h) * r,
                    b[0] + f64::from(*w) * r,
                    b[3],
                ]
            })
            .collect();
        let mut jobs = plan::chunks_for(&LAMB93, t as u8, tiers[t], &child_extents);
        jobs.retain(|j| {
            let dirty = j.inputs.iter().any(|&i| rebuilt.contains(&children[i].0));
            dirty || !stored.contains_key(&j.key())
        });
        if jobs.is_empty() {
            continue;
        }
        let label = format!("tier {t}");
        let (built, bad) = run_jobs(
            &ctx,
            &label,
            jobs,
            Arc::new(child_inputs),
            &mut Sink::Vintage(&mut stored),
        )
        .await?;
        if let Some((_, msg)) = bad.first() {
            return Err(IngestError::Chunk(
                label,
                format!("a stored chunk cannot be read back: {msg}"),
            ));
        }
        report.chunks_built += built.len();
        rebuilt.extend(built);
    }

    // Publish.
    report.chunks = stored.len();
    let records: Vec<SourceRecord> = reports
        .iter()
        .map(|r| SourceRecord {
            path: r.path.clone(),
            ingested: r.status == "ingested",
            code: r.code.map(|c| c.as_str().to_string()),
            scan: serde_json::to_value(r).unwrap_or_default(),
        })
        .collect();
    registry.record_sources(ingest_id, &records).await?;
    let rejected = reports.iter().any(|r| r.status != "ingested");
    let any_ingested = reports.iter().any(|r| r.status == "ingested");
    report.set_files(all_lines(&reports, &others));
    if !any_ingested || stored.is_empty() {
        finish_failed(registry, blobs, &base, &mut report, started).await?;
        return Ok(report);
    }
    let update = composite::update(
        &ctx,
        &req.layer,
        VintageInput {
            ingest_id,
            vintage: req.vintage,
            priority: req.priority,
            native_level: native,
            tiers: tiers.clone(),
            bbox,
            base: base.clone(),
            chunks: stored.clone(),
        },
        &sources
            .iter()
            .enumerate()
            .filter(|(i, _)| !excluded.contains(i))
            .map(|(_, s)| s.footprint_l93)
            .collect::<Vec<_>>(),
    )
    .await?;
    let composite_json = serde_json::to_value(&update.report).unwrap_or_default();
    report.composite = Some(update.report);
    report.status = if rejected { "partial" } else { "published" };
    report.elapsed_s = started.elapsed().as_secs_f64();
    let json = serde_json::to_value(&report).unwrap_or_default();
    registry
        .publish_ingest(ingest_id, &json, Some((update.id, &composite_json)))
        .await?;
    blobs.sweep_staging(&base)?;
    gc_dead(registry, blobs).await?;
    Ok(report)
}

fn extents_touch(job: &ChunkJob, sources: &[Source], excluded: &HashSet<usize>) -> bool {
    let b = job.bounds();
    excluded.iter().any(|&i| {
        sources.get(i).is_some_and(|s| {
            let f = s.footprint_l93;
            f[0] < b[2] && f[2] > b[0] && f[1] < b[3] && f[3] > b[1]
        })
    })
}

async fn finish_failed(
    registry: &Registry,
    blobs: &BlobStore,
    base: &str,
    report: &mut IngestReport,
    started: Instant,
) -> Result<(), IngestError> {
    report.status = "failed";
    report.elapsed_s = started.elapsed().as_secs_f64();
    let json = serde_json::to_value(&*report).unwrap_or_default();
    registry.fail_ingest(report.ingest_id, &json).await?;
    blobs.delete_prefix(base).await?;
    blobs.sweep_staging(base)?;
    Ok(())
}

/// Removes the files of ingests and composite versions dead for longer
/// than the grace period, except those a live composite still shares.
pub async fn gc_dead(registry: &Registry, blobs: &BlobStore) -> Result<(), IngestError> {
    gc_dead_after(registry, blobs, GC_GRACE_S).await.map(|_| ())
}

/// What [`gc_dead_after`] removed.
#[derive(Debug, Default, Serialize)]
pub struct GcReport {
    pub ingests: Vec<i64>,
    pub composite_versions: Vec<i64>,
    pub objects_removed: usize,
}

/// [`gc_dead`] with another grace period (`geocentre ortho gc`).
pub async fn gc_dead_after(
    registry: &Registry,
    blobs: &BlobStore,
    grace_s: i64,
) -> Result<GcReport, IngestError> {
    let mut report = GcReport::default();
    for (id, layer) in registry.dead_composites(grace_s).await? {
        let prefix = composites_prefix(&layer);
        for path in registry.composite_files_to_remove(id, &prefix).await? {
            blobs.delete(&path).await?;
            report.objects_removed += 1;
        }
        // The version's own folder, listed: a chunk stored but never
        // recorded (the run killed between the PUT and the INSERT, then
        // the version abandoned for another plan) is in no row, and only
        // the listing finds it. Nothing writes to a dead version's folder
        // any more; what a live version carried over from it stays.
        let base = composite_base(&layer, id);
        let keep = registry.composite_paths_in_use(&base).await?;
        for path in blobs.list(&base).await? {
            if !keep.contains(&path) {
                blobs.delete(&path).await?;
                report.objects_removed += 1;
            }
        }
        blobs.sweep_staging(&base)?;
        registry.composite_files_removed(id).await?;
        report.composite_versions.push(id);
    }
    for (id, layer, vintage) in registry.dead_ingests(grace_s).await? {
        let base = ingest_base(&layer, vintage, id);
        if registry.base_in_use(&base).await? {
            continue;
        }
        report.objects_removed += blobs.delete_prefix(&base).await?;
        blobs.sweep_staging(&base)?;
        registry.files_removed(id).await?;
        report.ingests.push(id);
    }
    Ok(report)
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}
