//! `geocentre copy-store`: moves an installation between the embedded stores
//! (SQLite and local files) and the scale-out ones (PostgreSQL and an
//! S3-compatible bucket), either way, without losing anything.
//!
//! Order makes it safe to interrupt: the files first (each object written
//! whole; one already there with the same size is kept, so a re-run
//! resumes), the published GeoPackages next, and the registry last, in one
//! transaction on an empty target: until that commits, the target
//! publishes nothing. The source is only read.
//!
//! The GeoPackages live where the blobs do: in the data directory's
//! `vector/` folder with local blobs, under the bucket's `vector/` keys
//! (the same relative paths) with blobs in a bucket; they move between the
//! two either way. Ingests published before checksums were recorded get
//! theirs in the target when it is a bucket (the replicas' caches check
//! every file they fetch against it).

use crate::Env;
use anyhow::{bail, Context};
use geocentre_blob::BlobStore;
use geocentre_core::config::{parse_blobs, parse_catalog};
use geocentre_registry::{Migrate, Registry};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct CopyArgs {
    /// The target registry: sqlite:PATH or a postgres:// URL (as
    /// [store] catalog; relative paths are in --to-data-dir).
    #[arg(long, env = "GEOCENTRE_TO_CATALOG")]
    to_catalog: String,
    /// The target blob store: a directory or s3://bucket/prefix (as
    /// [store] blobs; the endpoint and credentials are this
    /// configuration's [store.s3] and the AWS_* variables).
    #[arg(long)]
    to_blobs: String,
    /// The target data directory (its published GeoPackages; default: this
    /// one, when only the registry and blobs move).
    #[arg(long)]
    to_data_dir: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Files under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = match std::fs::read_dir(&d) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for e in rd {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                if let Ok(rel) = e.path().strip_prefix(dir) {
                    out.push(rel.to_path_buf());
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Copies one file whole: a temporary name beside the target, then a
/// rename, so that a reader never sees a part of it.
fn copy_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = to.with_extension("copy-tmp");
    std::fs::copy(from, &tmp)
        .with_context(|| format!("cannot copy {} to {}", from.display(), tmp.display()))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot sync {}", tmp.display()))?;
    std::fs::rename(&tmp, to).with_context(|| format!("cannot rename {}", tmp.display()))?;
    Ok(())
}

/// Copies one object between two stores. Up to 64 MiB, and no more than
/// the target's multipart threshold, it is held in memory; a larger one (a
/// region's GeoPackage may be gigabytes) goes through a temporary file in
/// `scratch` (the data directory: on disk, where a tmpfs `/tmp` may be
/// small), sent part by part.
async fn copy_object(
    from: &BlobStore,
    to: &BlobStore,
    key: &str,
    size: u64,
    scratch: &Path,
) -> anyhow::Result<()> {
    let in_memory = to.multipart_threshold().unwrap_or(u64::MAX).min(64 << 20);
    if size <= in_memory {
        let body = from.get_range(key, 0..size).await?;
        return Ok(to.put(key, body).await?);
    }
    let tmp = scratch.join(format!(
        ".geocentre-copy-{}-{}.tmp",
        std::process::id(),
        key.replace('/', "_")
    ));
    let done = match download_file(from, key, &tmp).await {
        Ok(()) => to.put_file(key, &tmp).await.map_err(anyhow::Error::from),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&tmp);
    done.with_context(|| format!("cannot copy {key}"))
}

/// Downloads one object into a local file whole: a temporary name beside
/// it, then a rename.
async fn download_file(from: &BlobStore, key: &str, to: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = to.with_extension("copy-tmp");
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?,
    );
    let got = from.download(key, &mut |b: &[u8]| out.write_all(b)).await;
    let done = got
        .map_err(anyhow::Error::from)
        .and_then(|_| Ok(out.into_inner().map_err(|e| e.into_error())?.sync_all()?))
        .and_then(|_| Ok(std::fs::rename(&tmp, to)?));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done.with_context(|| format!("cannot copy {key} to {}", to.display()))
}

pub async fn run(env: &Env, a: CopyArgs) -> anyhow::Result<u8> {
    let to_dir = a
        .to_data_dir
        .clone()
        .unwrap_or_else(|| env.data_dir.clone());
    let to_catalog = parse_catalog(&a.to_catalog, &to_dir).map_err(anyhow::Error::msg)?;
    let to_blobs = parse_blobs(&a.to_blobs, &to_dir).map_err(anyhow::Error::msg)?;
    let target = Registry::connect(&to_catalog, Migrate::Apply)
        .await
        .with_context(|| format!("cannot open the target registry {}", a.to_catalog))?;
    if !target.is_empty().await? {
        bail!(
            "the target registry {} already holds data: copy-store fills an empty one",
            target.shown()
        );
    }
    let blobs = BlobStore::open(&to_blobs, &env.config.store.s3)?;
    let started = std::time::Instant::now();

    // 1. Every stored object (imagery).
    let objects: Vec<String> = env
        .blobs
        .list("")
        .await?
        .into_iter()
        // Staging files of an interrupted local write are not objects;
        // the GeoPackages of a bucket are copied below.
        .filter(|p| !p.contains('#') && !p.starts_with("vector/"))
        .collect();
    let steps = crate::progress::reporter(a.json).steps("objets", objects.len() as u64);
    let mut steps = steps;
    let (mut copied, mut kept, mut bytes) = (0u64, 0u64, 0u64);
    for path in &objects {
        let size = env.blobs.size(path).await?;
        match blobs.size(path).await {
            Ok(s) if s == size => kept += 1,
            _ => {
                copy_object(&env.blobs, &blobs, path, size, &env.data_dir).await?;
                copied += 1;
                bytes += size;
            }
        }
        steps.inc();
    }
    steps.finish();

    // 2. The published GeoPackages: the data directory's vector/ folder,
    // or the bucket's vector/ keys.
    let mut vector_files = 0u64;
    let from_vector = env.data_dir.join("vector");
    let to_vector = to_dir.join("vector");
    let same_dir = std::fs::canonicalize(&env.data_dir).ok() == std::fs::canonicalize(&to_dir).ok();
    let (from_s3, to_s3) = (env.blobs.backend() == "s3", blobs.backend() == "s3");
    let sources: Vec<String> = if from_s3 {
        env.blobs.list("vector").await?
    } else {
        files_under(&from_vector)?
            .iter()
            .map(|rel| format!("vector/{}", rel.to_string_lossy()))
            .collect()
    };
    for key in &sources {
        let rel = key.strip_prefix("vector/").unwrap_or(key);
        let copied = match (from_s3, to_s3) {
            (false, false) if same_dir => false,
            (false, false) => {
                let (from, to) = (from_vector.join(rel), to_vector.join(rel));
                let same = std::fs::metadata(&to)
                    .ok()
                    .zip(std::fs::metadata(&from).ok())
                    .is_some_and(|(t, f)| t.len() == f.len());
                if !same {
                    copy_file(&from, &to)?;
                }
                !same
            }
            (false, true) => {
                let from = from_vector.join(rel);
                let size = std::fs::metadata(&from)
                    .with_context(|| format!("cannot read {}", from.display()))?
                    .len();
                let same = blobs.size(key).await.ok() == Some(size);
                if !same {
                    blobs.put_file(key, &from).await?;
                }
                !same
            }
            (true, false) => {
                let to = to_vector.join(rel);
                let size = env.blobs.size(key).await?;
                let same = std::fs::metadata(&to).ok().map(|m| m.len()) == Some(size);
                if !same {
                    download_file(&env.blobs, key, &to).await?;
                }
                !same
            }
            (true, true) => {
                let size = env.blobs.size(key).await?;
                let same = blobs.size(key).await.ok() == Some(size);
                if !same {
                    copy_object(&env.blobs, &blobs, key, size, &env.data_dir).await?;
                }
                !same
            }
        };
        vector_files += u64::from(copied);
    }

    // 3. The registry, in one transaction: the target publishes all or nothing.
    let report = env.registry.copy_to(&target).await?;
    // Checksums of GeoPackages published before they were recorded: a
    // bucket's readers need them.
    if to_s3 {
        for file in target.vector_files_without_checksum().await? {
            let (sum, size) = if from_s3 {
                let tmp = std::env::temp_dir()
                    .join(format!("geocentre-copy-{}.gpkg", std::process::id()));
                download_file(&env.blobs, &file, &tmp).await?;
                let r = geocentre_features::gpkg_cache::file_sha256(&tmp);
                let _ = std::fs::remove_file(&tmp);
                r
            } else {
                geocentre_features::gpkg_cache::file_sha256(&env.data_dir.join(&file))
            }
            .with_context(|| format!("cannot read {file}"))?;
            target
                .set_vector_checksum(&file, &sum, i64::try_from(size).unwrap_or(i64::MAX))
                .await?;
        }
    }
    let rows: u64 = report.rows.iter().map(|(_, n)| n).sum();
    let out = serde_json::json!({
        "from": {"registry": env.registry.shown()},
        "to": {"registry": target.shown(), "blobs": a.to_blobs, "data_dir": to_dir},
        "objects": {"listed": objects.len(), "copied": copied, "already_there": kept, "bytes": bytes},
        "vector_files_copied": vector_files,
        "registry_rows": report.rows,
        "generation": report.generation,
        "seconds": started.elapsed().as_secs_f64(),
    });
    if a.json {
        println!("{out}");
    } else {
        println!(
            "copié : {} objet(s) ({} déjà présent(s)), {} fichier(s) vecteur, {rows} ligne(s) du registre → {} ({:.1} s)",
            copied,
            kept,
            vector_files,
            target.shown(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(0)
}
