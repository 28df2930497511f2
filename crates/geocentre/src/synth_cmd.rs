//! `geocentre synth-region`: the SYNTHETIC full-region catalog that the
//! scale measurements use (crates/geocentre-registry/src/synthetic.rs,
//! docs/benchmarks.md). It fills this data directory's registry with a
//! region's worth of dalles, chunks and composite rows, pointing at a few
//! real chunk COGs copied from another, real installation (the demo).

use crate::Env;
use anyhow::{bail, Context};
use geocentre_blob::BlobStore;
use geocentre_registry::synthetic::SynthSpec;
use geocentre_registry::Registry;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct SynthArgs {
    /// A real installation whose layer's composite lends its chunk files.
    #[arg(long)]
    from_data_dir: PathBuf,
    /// Its registry, when not the embedded one (sqlite:PATH or a
    /// postgres:// URL, as `[store] catalog`).
    #[arg(long, default_value = "")]
    from_catalog: String,
    /// Its blob store, when not its objects/ folder (a directory or
    /// s3://bucket/prefix, as `[store] blobs`; reached with this
    /// configuration's `[store.s3]`).
    #[arg(long, default_value = "")]
    from_blobs: String,
    #[arg(long, default_value = "ortho-hr")]
    layer: String,
    /// Dalles per side of the square grid (1000: 10^6 dalles per vintage).
    #[arg(long, default_value_t = 1000)]
    side: u32,
    /// Dalle side in metres (PCRS: 200 m).
    #[arg(long, default_value_t = 200.0)]
    dalle_m: f64,
    /// Lower-left corner, Lambert-93 (default: a 200 km square inside
    /// Centre-Val de Loire).
    #[arg(long, default_value_t = 520_000.0)]
    x0: f64,
    #[arg(long, default_value_t = 6_590_000.0)]
    y0: f64,
    #[arg(long, value_delimiter = ',', default_value = "2021,2024")]
    vintages: Vec<i32>,
    /// The level of the dalles' pixel size (22: 5 cm).
    #[arg(long, default_value_t = 22)]
    native_level: u8,
}

pub async fn run(env: &Env, a: SynthArgs) -> anyhow::Result<u8> {
    if !env.registry.is_empty().await? {
        bail!(
            "the registry {} already holds data: synth-region fills an empty one",
            env.registry.shown()
        );
    }
    let catalog = geocentre_core::config::parse_catalog(&a.from_catalog, &a.from_data_dir)
        .map_err(anyhow::Error::msg)?;
    let source = Registry::connect(&catalog, crate::migrate_for(&catalog, false))
        .await
        .with_context(|| format!("cannot open the registry of {}", a.from_data_dir.display()))?;
    let snap = source.load_snapshot().await?;
    let Some(pyramid) = geocentre_registry::authz::resolve_ortho(
        &snap,
        &geocentre_core::Principal::Anonymous,
        &a.layer,
    )
    .ok()
    .map(|v| v.pyramid.clone()) else {
        bail!(
            "{} has no published layer {}",
            a.from_data_dir.display(),
            a.layer
        );
    };
    let source_blobs = BlobStore::open(
        &geocentre_core::config::parse_blobs(&a.from_blobs, &a.from_data_dir)
            .map_err(anyhow::Error::msg)?,
        &env.config.store.s3,
    )?;
    let mut chunk_files = Vec::new();
    for (t, c) in pyramid.largest_chunks().into_iter().enumerate() {
        let Some((path, w, h)) = c else {
            bail!("the layer {} has no chunk in tier {t}", a.layer);
        };
        let size = source_blobs.size(&path).await?;
        let bytes = source_blobs.get_range(&path, 0..size).await?;
        let to = format!("synthetic/{}/tier{t}.tif", a.layer);
        env.blobs.put(&to, bytes).await?;
        chunk_files.push((to, w, h));
    }
    // The region's grid at its own level; the borrowed files keep their
    // tier's place (the same chunk size: k+1 levels per tier).
    let native_level = a.native_level;
    let k = pyramid.tiers().first().map_or(4, |(lo, hi)| hi - lo);
    let tiers = geocentre_raster::plan::tiers(native_level, k);
    if tiers.len() != chunk_files.len() {
        bail!(
            "{} tiers at level {native_level}, but the source layer has {}",
            tiers.len(),
            chunk_files.len()
        );
    }
    let spec = SynthSpec {
        layer: a.layer.clone(),
        origin: [a.x0, a.y0],
        dalle_m: a.dalle_m,
        cols: a.side,
        rows: a.side,
        pixel_m: 209_715.2 / f64::from(1u32 << native_level),
        vintages: a.vintages.clone(),
        native_level,
        tiers,
        chunk_files,
    };
    let started = std::time::Instant::now();
    let total_dalles = u64::from(a.side) * u64::from(a.side) * a.vintages.len() as u64;
    let last = std::sync::Mutex::new(std::time::Instant::now());
    let report = env
        .registry
        .synthesize_region(&spec, &|n| {
            let mut l = last.lock().unwrap_or_else(|p| p.into_inner());
            if l.elapsed().as_secs() >= 5 {
                eprintln!(
                    "synth-region: {n} rows written ({:.0} s)",
                    started.elapsed().as_secs_f64()
                );
                *l = std::time::Instant::now();
            }
        })
        .await?;
    println!(
        "{}",
        serde_json::json!({
            "synthetic": true,
            "layer": a.layer,
            "dalles": report.dalles,
            "expected_dalles": total_dalles,
            "vintage_chunks": report.vintage_chunks,
            "composite_chunks": report.composite_chunks,
            "composite_id": report.composite_id,
            "registry": env.registry.shown(),
            "seconds": started.elapsed().as_secs_f64(),
        })
    );
    Ok(0)
}
