//! Storage of raster files behind `object_store`: local files (the
//! embedded default), or an S3-compatible bucket for scale-out (`s3.rs`),
//! without the raster code knowing which.
//!
//! Every request to the store is counted by operation ([`BlobStore::
//! request_counts`]): `/metrics` exports them, and the tests check with
//! them that a native tile costs one GET.

mod s3;
mod stats;

pub use s3::{profile_credentials, Credentials, S3Target};
pub use stats::Op;
use stats::Stats;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("object store: {0}")]
    Store(#[from] object_store::Error),
    #[error("object store path '{0}': {1}")]
    Path(String, String),
    #[error("cannot create storage root {0}: {1}")]
    Root(PathBuf, std::io::Error),
    #[error("reading stored object {0}: {1}")]
    Io(String, std::io::Error),
    #[error("object store configuration: {0}")]
    Config(String),
}

impl BlobError {
    /// Whether the store itself failed (unreachable, timed out, answered
    /// with a server error): worth a 503 and a retry, unlike a missing
    /// object or a bad path.
    pub fn is_unavailable(&self) -> bool {
        match self {
            BlobError::Store(object_store::Error::NotFound { .. })
            | BlobError::Store(object_store::Error::InvalidPath { .. }) => false,
            BlobError::Store(_) => true,
            BlobError::Io(_, e) => e.kind() != std::io::ErrorKind::NotFound,
            BlobError::Path(..) | BlobError::Root(..) | BlobError::Config(_) => false,
        }
    }

    /// Whether the object is absent (as opposed to the store failing).
    pub fn is_not_found(&self) -> bool {
        match self {
            BlobError::Store(object_store::Error::NotFound { .. }) => true,
            BlobError::Io(_, e) => e.kind() == std::io::ErrorKind::NotFound,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
    /// Set for the local backend, where GDAL can open files directly.
    local_root: Option<PathBuf>,
    local_files: Option<Arc<OpenFiles>>,
    /// Set for the S3 backend.
    s3: Option<Arc<S3Target>>,
    stats: Arc<Stats>,
    /// The bound on one read of the S3 backend ([`BlobStore::with_read_timeout`]).
    read_timeout: Option<std::time::Duration>,
}

/// Open handles of local chunk files, read with positional reads.
///
/// Measured on the native tile path: object_store's local `get_range`
/// opens the file and hops to the blocking pool on every call, which held
/// the server at a third of nginx's rate. Chunk files are immutable (a new
/// ingest writes new paths), so a handle stays valid for as long as it is
/// cached, even after garbage collection unlinks the file.
#[derive(Debug)]
struct OpenFiles {
    root: PathBuf,
    handles: Mutex<lru::LruCache<String, Arc<std::fs::File>>>,
}

/// Kept well under the default limit of 1024 descriptors per process.
const OPEN_FILES: usize = 256;

impl OpenFiles {
    fn handle(&self, path: &str) -> std::io::Result<Arc<std::fs::File>> {
        let mut cache = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = cache.get(path) {
            return Ok(f.clone());
        }
        let f = Arc::new(std::fs::File::open(self.root.join(path))?);
        cache.put(path.to_string(), f.clone());
        Ok(f)
    }

    /// The first `len` bytes (fewer if the file is shorter) and the size.
    fn read_head(&self, path: &str, len: u64) -> Result<(Bytes, u64), BlobError> {
        let io = |e: std::io::Error| BlobError::Io(path.to_string(), e);
        let size = self
            .handle(path)
            .and_then(|f| f.metadata())
            .map_err(io)?
            .len();
        Ok((self.read(path, 0..len.min(size))?, size))
    }

    /// A positional read. It runs on the calling thread: chunk headers and
    /// tiles are small and, when hot, in the page cache (as for nginx's
    /// sendfile).
    fn read(&self, path: &str, range: Range<u64>) -> Result<Bytes, BlobError> {
        use std::os::unix::fs::FileExt;
        let io = |e: std::io::Error| BlobError::Io(path.to_string(), e);
        let f = self.handle(path).map_err(io)?;
        let mut buf = vec![0u8; (range.end.saturating_sub(range.start)) as usize];
        f.read_exact_at(&mut buf, range.start).map_err(io)?;
        Ok(Bytes::from(buf))
    }
}

fn obj_path(p: &str) -> Result<ObjPath, BlobError> {
    ObjPath::parse(p).map_err(|e| BlobError::Path(p.to_string(), e.to_string()))
}

impl BlobStore {
    /// The store `[store] blobs` names: a local directory, or an
    /// S3-compatible bucket. For a bucket, GDAL is also set up to read it
    /// through `/vsis3/` ([`geocentre_gdal::allow_vsis3`]).
    pub fn open(
        location: &geocentre_core::config::BlobLocation,
        s3: &geocentre_core::config::S3Config,
    ) -> Result<BlobStore, BlobError> {
        use geocentre_core::config::BlobLocation;
        match location {
            BlobLocation::Local(root) => BlobStore::local(root),
            BlobLocation::S3 { bucket, prefix } => {
                BlobStore::s3(S3Target::resolve(bucket, prefix, s3)?)
            }
        }
    }

    pub fn local(root: &Path) -> Result<BlobStore, BlobError> {
        std::fs::create_dir_all(root).map_err(|e| BlobError::Root(root.to_path_buf(), e))?;
        let root = root
            .canonicalize()
            .map_err(|e| BlobError::Root(root.to_path_buf(), e))?;
        // Removing a chunk must also remove its now-empty directories.
        let fs = LocalFileSystem::new_with_prefix(&root)?.with_automatic_cleanup(true);
        let cap = std::num::NonZeroUsize::new(OPEN_FILES).unwrap_or(std::num::NonZeroUsize::MIN);
        Ok(BlobStore {
            store: Arc::new(fs),
            local_files: Some(Arc::new(OpenFiles {
                root: root.clone(),
                handles: Mutex::new(lru::LruCache::new(cap)),
            })),
            local_root: Some(root),
            s3: None,
            stats: Arc::new(Stats::default()),
            read_timeout: None,
        })
    }

    /// A bucket (every key under the target's prefix). Sends no request:
    /// a store that is down is found out by the first read or write.
    pub fn s3(target: S3Target) -> Result<BlobStore, BlobError> {
        let client = target.client()?;
        let store: Arc<dyn ObjectStore> = if target.prefix.is_empty() {
            Arc::new(client)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(
                client,
                obj_path(&target.prefix)?,
            ))
        };
        let options = target.gdal_options();
        let opts: Vec<(&str, &str)> = options.iter().map(|(k, v)| (*k, v.as_str())).collect();
        geocentre_gdal::allow_vsis3(&target.bucket, &target.prefix, &opts);
        Ok(BlobStore {
            store,
            local_root: None,
            local_files: None,
            s3: Some(Arc::new(target)),
            stats: Arc::new(Stats::default()),
            read_timeout: None,
        })
    }

    /// An S3 store over any `object_store` client for `target` (already
    /// under its prefix): for tests that put a fault between this crate
    /// and a real server.
    #[doc(hidden)]
    pub fn s3_over(store: Arc<dyn ObjectStore>, target: S3Target) -> BlobStore {
        BlobStore {
            store,
            local_root: None,
            local_files: None,
            s3: Some(Arc::new(target)),
            stats: Arc::new(Stats::default()),
            read_timeout: None,
        }
    }

    /// The same store, every range read, header read and HEAD of its S3
    /// backend bounded by `limit`, retries included (`geocentre serve`:
    /// `store.s3.read_timeout_s`). A store that accepts connections and
    /// answers nothing (hung, SIGSTOPped, partitioned) would otherwise
    /// hold a request for the client's own timeout (two minutes): past
    /// the bound the read fails as unavailable ([`BlobError::
    /// is_unavailable`]), which the server answers 503 with Retry-After.
    /// Listing is not bounded (GC lists whole prefixes); the local
    /// backend reads files and is not either.
    pub fn with_read_timeout(mut self, limit: std::time::Duration) -> BlobStore {
        self.read_timeout = Some(limit);
        self
    }

    /// `read` within the read bound, if the S3 backend has one.
    async fn bounded<T>(
        &self,
        what: &str,
        read: impl std::future::Future<Output = object_store::Result<T>>,
    ) -> object_store::Result<T> {
        match self.read_timeout {
            Some(limit) if self.s3.is_some() => match tokio::time::timeout(limit, read).await {
                Ok(r) => r,
                Err(_) => Err(object_store::Error::Generic {
                    store: "S3",
                    source: format!(
                        "{what}: no answer from the object store within {:.1} s                          (store.s3.read_timeout_s)",
                        limit.as_secs_f64()
                    )
                    .into(),
                }),
            },
            _ => read.await,
        }
    }

    /// Whether reads cross the network (an object store), not a local file.
    pub fn is_remote(&self) -> bool {
        self.s3.is_some()
    }

    /// `local` or `s3`.
    pub fn backend(&self) -> &'static str {
        if self.s3.is_some() {
            "s3"
        } else {
            "local"
        }
    }

    /// Objects larger than this go by multipart upload (S3 only).
    pub fn multipart_threshold(&self) -> Option<u64> {
        self.s3.as_ref().map(|t| t.multipart_threshold)
    }

    /// The bucket and prefix of the S3 backend.
    pub fn s3_target(&self) -> Option<&S3Target> {
        self.s3.as_deref()
    }

    /// Requests sent to the store since it was opened, by operation (and
    /// those that failed): what `/metrics` exports.
    pub fn request_counts(&self) -> Vec<(Op, u64, u64)> {
        self.stats.snapshot()
    }

    /// Bytes brought back by reads since the store was opened.
    pub fn read_bytes(&self) -> u64 {
        self.stats.read_bytes()
    }

    /// Writes the whole object atomically: the local backend writes a
    /// temporary file and renames it; on S3 an object appears whole or not
    /// at all. Objects over `multipart_threshold_mb` go by multipart
    /// upload, aborted on error so that no parts are left behind.
    pub async fn put(&self, path: &str, bytes: Bytes) -> Result<(), BlobError> {
        let p = obj_path(path)?;
        if let Some(t) = &self.s3 {
            if bytes.len() as u64 > t.multipart_threshold {
                return self.put_multipart(&p, bytes, t.multipart_threshold).await;
            }
        }
        self.stats
            .count(
                Op::Put,
                self.store.put(&p, PutPayload::from_bytes(bytes)).await,
            )
            .map_err(BlobError::from)?;
        Ok(())
    }

    async fn put_multipart(
        &self,
        p: &ObjPath,
        bytes: Bytes,
        threshold: u64,
    ) -> Result<(), BlobError> {
        let part_size = part_size(threshold);
        let mut upload = self
            .stats
            .count(Op::MultipartCreate, self.store.put_multipart(p).await)?;
        let mut parts = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let end = (at + part_size).min(bytes.len());
            parts.push(upload.put_part(PutPayload::from_bytes(bytes.slice(at..end))));
            at = end;
        }
        // A few parts in flight at once; all must succeed.
        let sent = futures::stream::iter(parts)
            .buffer_unordered(PARTS_IN_FLIGHT)
            .map(|r| self.stats.count(Op::MultipartPart, r))
            .try_collect::<Vec<()>>()
            .await;
        let done = match sent {
            Ok(_) => self
                .stats
                .count(Op::MultipartComplete, upload.complete().await)
                .map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = done {
            // The parts already sent are dropped with the upload.
            let _ = self.stats.count(Op::MultipartAbort, upload.abort().await);
            return Err(e.into());
        }
        Ok(())
    }

    /// Uploads the local file `file` as the object `path`, whole or not at
    /// all (as [`BlobStore::put`]), without holding it in memory: over
    /// the multipart threshold it is read and sent part by part, a few
    /// parts in flight. For GeoPackages, which may be large.
    pub async fn put_file(&self, path: &str, file: &Path) -> Result<(), BlobError> {
        use std::io::Read;
        let io = |e: std::io::Error| BlobError::Io(file.display().to_string(), e);
        let p = obj_path(path)?;
        let size = std::fs::metadata(file).map_err(io)?.len();
        let threshold = self.s3.as_ref().map(|t| t.multipart_threshold);
        match threshold {
            Some(t) if size > t => {}
            _ => {
                let bytes = std::fs::read(file).map_err(io)?;
                return self.put(path, Bytes::from(bytes)).await;
            }
        }
        let part_size = part_size(threshold.unwrap_or(MIN_PART));
        let mut reader = std::fs::File::open(file).map_err(io)?;
        let mut upload = self
            .stats
            .count(Op::MultipartCreate, self.store.put_multipart(&p).await)?;
        let mut in_flight = futures::stream::FuturesUnordered::new();
        let mut sent: Result<(), BlobError> = Ok(());
        let mut left = size;
        while left > 0 && sent.is_ok() {
            let n = part_size.min(usize::try_from(left).unwrap_or(usize::MAX));
            let mut buf = vec![0u8; n];
            if let Err(e) = reader.read_exact(&mut buf) {
                sent = Err(io(e));
                break;
            }
            left -= n as u64;
            in_flight.push(upload.put_part(PutPayload::from(buf)));
            if in_flight.len() >= PARTS_IN_FLIGHT {
                if let Some(r) = in_flight.next().await {
                    sent = self.stats.count(Op::MultipartPart, r).map_err(Into::into);
                }
            }
        }
        while let Some(r) = in_flight.next().await {
            if sent.is_ok() {
                sent = self.stats.count(Op::MultipartPart, r).map_err(Into::into);
            }
        }
        let done = match sent {
            Ok(()) => self
                .stats
                .count(Op::MultipartComplete, upload.complete().await)
                .map(|_| ())
                .map_err(Into::into),
            Err(e) => Err(e),
        };
        if let Err(e) = done {
            let _ = self.stats.count(Op::MultipartAbort, upload.abort().await);
            return Err(e);
        }
        Ok(())
    }

    /// Reads the whole object `path` as a stream, giving each piece to
    /// `sink` in order (one GET); returns its size. What a replica's cache
    /// of GeoPackages fetches with, writing and hashing as it goes.
    pub async fn download(
        &self,
        path: &str,
        sink: &mut (dyn FnMut(&[u8]) -> std::io::Result<()> + Send),
    ) -> Result<u64, BlobError> {
        let p = obj_path(path)?;
        let r: Result<u64, object_store::Error> = async {
            let mut stream = self.store.get(&p).await?.into_stream();
            let mut n = 0u64;
            while let Some(chunk) = stream.next().await {
                let chunk = chunk?;
                n += chunk.len() as u64;
                sink(&chunk).map_err(|e| object_store::Error::Generic {
                    store: "download",
                    source: Box::new(e),
                })?;
            }
            Ok(n)
        }
        .await;
        let n = self.stats.count(Op::Get, r)?;
        self.stats
            .add_read(usize::try_from(n).unwrap_or(usize::MAX));
        Ok(n)
    }

    pub async fn get_range(&self, path: &str, range: Range<u64>) -> Result<Bytes, BlobError> {
        if let Some(local) = &self.local_files {
            obj_path(path)?;
            return self
                .stats
                .read(self.stats.count(Op::Get, local.read(path, range)));
        }
        let p = obj_path(path)?;
        let r = self.stats.count(
            Op::Get,
            self.bounded(path, self.store.get_range(&p, range)).await,
        );
        Ok(self.stats.read(r)?)
    }

    /// The first `len` bytes of an object (fewer if it is shorter) and
    /// its size, in one request.
    pub async fn get_head(&self, path: &str, len: u64) -> Result<(Bytes, u64), BlobError> {
        if let Some(local) = &self.local_files {
            obj_path(path)?;
            let r = self.stats.count(Op::Get, local.read_head(path, len));
            if let Ok((b, _)) = &r {
                self.stats.add_read(b.len());
            }
            return r;
        }
        let p = obj_path(path)?;
        let opts = object_store::GetOptions {
            range: Some((0..len.max(1)).into()),
            ..Default::default()
        };
        let read = async {
            let got = self.store.get_opts(&p, opts).await?;
            let size = got.meta.size;
            got.bytes().await.map(|b| (b, size))
        };
        let r = self.bounded(path, read).await;
        let r = self.stats.count(Op::Get, r);
        if let Ok((b, _)) = &r {
            self.stats.add_read(b.len());
        }
        Ok(r?)
    }

    pub async fn size(&self, path: &str) -> Result<u64, BlobError> {
        if let Some(local) = &self.local_files {
            obj_path(path)?;
            let len = local
                .handle(path)
                .and_then(|f| f.metadata())
                .map(|m| m.len())
                .map_err(|e| BlobError::Io(path.to_string(), e));
            return self.stats.count(Op::Head, len);
        }
        let p = obj_path(path)?;
        let r = self.bounded(path, self.store.head(&p)).await;
        Ok(self.stats.count(Op::Head, r)?.size)
    }

    /// Removes one object; a missing one is not an error.
    pub async fn delete(&self, path: &str) -> Result<(), BlobError> {
        let p = obj_path(path)?;
        let r = match self.store.delete(&p).await {
            Err(object_store::Error::NotFound { .. }) => Ok(()),
            r => r,
        };
        Ok(self.stats.count(Op::Delete, r)?)
    }

    /// The paths of every object under `prefix` (a directory-like prefix:
    /// `a/b` lists `a/b/…`, not `a/bc`).
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, BlobError> {
        let prefix = obj_path(prefix)?;
        let prefix = (!prefix.as_ref().is_empty()).then_some(&prefix);
        let items: Vec<_> = self
            .stats
            .count(Op::List, self.store.list(prefix).try_collect().await)?;
        Ok(items.into_iter().map(|m| m.location.to_string()).collect())
    }

    pub async fn delete_prefix(&self, prefix: &str) -> Result<usize, BlobError> {
        let paths = self.list(prefix).await?;
        for p in &paths {
            self.delete(p).await?;
        }
        Ok(paths.len())
    }

    /// Removes the staging files an interrupted local `put` leaves beside
    /// its target (`name#N`). Object stores with atomic uploads have none.
    pub fn sweep_staging(&self, prefix: &str) -> Result<usize, BlobError> {
        let Some(root) = &self.local_root else {
            return Ok(0);
        };
        let mut removed = 0;
        let mut stack = vec![root.join(prefix)];
        while let Some(dir) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if e.file_name().to_string_lossy().contains('#') {
                    std::fs::remove_file(&p).map_err(|err| BlobError::Root(p.clone(), err))?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// A name GDAL can open for reading this object: the file itself, or
    /// `/vsis3/bucket/prefix/path`, which [`BlobStore::s3`] set GDAL up
    /// to read.
    pub fn gdal_path(&self, path: &str) -> String {
        match (&self.local_root, &self.s3) {
            (Some(root), _) => root.join(path).to_string_lossy().into_owned(),
            (None, Some(t)) => format!("/vsis3/{}/{}", t.bucket, t.key(path)),
            (None, None) => format!("/vsis3/{path}"),
        }
    }
}

/// Parts of a multipart upload: the threshold, at least the 5 MiB S3
/// requires of every part but the last.
fn part_size(threshold: u64) -> usize {
    usize::try_from(threshold.max(MIN_PART)).unwrap_or(usize::MAX)
}

const MIN_PART: u64 = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT: usize = 4;
