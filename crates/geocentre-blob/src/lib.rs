//! Storage of raster files behind `object_store`: local files now, an
//! S3-compatible store later without touching the raster code.

use bytes::Bytes;
use futures::TryStreamExt;
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
}

#[derive(Clone, Debug)]
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
    /// Set for the local backend, where GDAL can open files directly.
    local_root: Option<PathBuf>,
    local_files: Option<Arc<OpenFiles>>,
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
    /// S3-compatible bucket.
    pub fn open(
        location: &geocentre_core::config::BlobLocation,
        s3: &geocentre_core::config::S3Config,
    ) -> Result<BlobStore, BlobError> {
        use geocentre_core::config::BlobLocation;
        let _ = s3;
        match location {
            BlobLocation::Local(root) => BlobStore::local(root),
            BlobLocation::S3 { bucket, .. } => Err(BlobError::Path(
                format!("s3://{bucket}"),
                "S3 storage is not built yet".into(),
            )),
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
        })
    }

    /// Writes the whole object atomically (the local backend writes a
    /// temporary file and renames it).
    pub async fn put(&self, path: &str, bytes: Bytes) -> Result<(), BlobError> {
        self.store
            .put(&obj_path(path)?, PutPayload::from_bytes(bytes))
            .await?;
        Ok(())
    }

    pub async fn get_range(&self, path: &str, range: Range<u64>) -> Result<Bytes, BlobError> {
        if let Some(local) = &self.local_files {
            obj_path(path)?;
            return local.read(path, range);
        }
        Ok(self.store.get_range(&obj_path(path)?, range).await?)
    }

    pub async fn size(&self, path: &str) -> Result<u64, BlobError> {
        if let Some(local) = &self.local_files {
            obj_path(path)?;
            let f = local
                .handle(path)
                .map_err(|e| BlobError::Io(path.to_string(), e))?;
            return f
                .metadata()
                .map(|m| m.len())
                .map_err(|e| BlobError::Io(path.to_string(), e));
        }
        Ok(self.store.head(&obj_path(path)?).await?.size)
    }

    /// Removes one object; a missing one is not an error.
    pub async fn delete(&self, path: &str) -> Result<(), BlobError> {
        match self.store.delete(&obj_path(path)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete_prefix(&self, prefix: &str) -> Result<usize, BlobError> {
        let prefix = obj_path(prefix)?;
        let items: Vec<_> = self.store.list(Some(&prefix)).try_collect().await?;
        for m in &items {
            match self.store.delete(&m.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(items.len())
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

    /// A name GDAL can open for reading this object.
    pub fn gdal_path(&self, path: &str) -> String {
        match &self.local_root {
            Some(root) => root.join(path).to_string_lossy().into_owned(),
            None => format!("/vsis3/{path}"),
        }
    }
}
