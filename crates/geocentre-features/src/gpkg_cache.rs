//! A replica's bounded local cache of the GeoPackages it serves, when they
//! live in the object store (scale-out: `[store] blobs = "s3://…"`).
//!
//! Published GeoPackages are immutable and each is recorded in the
//! catalog with its SHA-256 and size, so a local copy is named by its
//! checksum (`<sha256>.gpkg`) and never needs revalidating against the
//! store. GDAL's GeoPackage driver is SQLite, which wants a local file
//! with random access: reading through `/vsis3/` would turn each R-tree
//! page into a ranged GET. So a file is fetched whole on first use:
//!
//! - one GET streamed into a temporary file of the cache directory, hashed
//!   as it is written, checked against the recorded size and checksum,
//!   then renamed into place: a reader never sees half a file, and a file
//!   that fails the check is refused (an error, counted) and fetched again
//!   on the next use;
//! - concurrent first uses of one file wait for the one fetch;
//! - beyond `gpkg_cache_mb`, the least recently used files are removed,
//!   never one a reader holds ([`Held`]); the caller closes the datasets
//!   it kept open on the files removed ([`Acquired::evicted`]);
//! - files found in the directory at start (a restart), or put there by
//!   another replica sharing it, are adopted and their checksum is verified
//!   on their first use: a file damaged on disk is refused, counted and
//!   fetched again. Replicas on one machine may share the directory (each
//!   keeps its own LRU and bound: a file another one evicted is fetched
//!   again on its next use).
//!
//! The calls are synchronous (GDAL runs on blocking threads): the cache
//! owns a small Tokio runtime that drives the store's requests, as
//! [`crate::postgis::PostgisStore`] does for its connections.

use geocentre_blob::{BlobError, BlobStore};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The object store cannot be reached or fails: a passing trouble (503).
    #[error("object store unavailable for {0}: {1}")]
    Unavailable(String, String),
    #[error("object {0}: {1}")]
    Store(String, String),
    #[error("{object}: fetched {size} bytes with SHA-256 {got}, the catalog records {expected_size} bytes with {expected}")]
    Checksum {
        object: String,
        expected: String,
        expected_size: u64,
        got: String,
        size: u64,
    },
    #[error("GeoPackage cache {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("no valid checksum recorded for {0}")]
    NoChecksum(String),
}

/// What `/metrics` shows of the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Uses served by a file already there.
    pub hits: u64,
    /// Uses that fetched the file.
    pub misses: u64,
    /// Files refused for a wrong size or checksum (fetched or on disk).
    pub checksum_failures: u64,
    pub evictions: u64,
    /// Bytes of the files held now.
    pub bytes: u64,
    pub files: u64,
}

struct Entry {
    size: u64,
    /// Its checksum was checked by this process (fetched, or adopted and
    /// hashed on first use).
    verified: bool,
    /// Readers holding it: never evicted while above zero.
    readers: usize,
}

#[derive(Default)]
struct State {
    /// By checksum; the most recently used first.
    lru: Option<lru::LruCache<String, Entry>>,
    bytes: u64,
}

impl State {
    fn lru(&mut self) -> &mut lru::LruCache<String, Entry> {
        self.lru.get_or_insert_with(lru::LruCache::unbounded)
    }
}

pub struct GpkgCache {
    dir: PathBuf,
    bound: u64,
    blobs: BlobStore,
    /// Drives the store's requests; None only while being dropped.
    runtime: Option<tokio::runtime::Runtime>,
    state: Mutex<State>,
    /// One lock per file being filled: concurrent first uses fetch once.
    filling: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    hits: AtomicU64,
    misses: AtomicU64,
    checksum_failures: AtomicU64,
    evictions: AtomicU64,
    tmp_seq: AtomicU64,
}

impl Drop for GpkgCache {
    fn drop(&mut self) {
        // Dropping a runtime from async code panics; this never waits.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl std::fmt::Debug for GpkgCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpkgCache")
            .field("dir", &self.dir)
            .field("bound", &self.bound)
            .finish()
    }
}

/// A file of the cache held by a reader: not evicted until dropped.
pub struct Held<'a> {
    cache: &'a GpkgCache,
    key: String,
    path: PathBuf,
}

impl Held<'_> {
    /// The local file, for GDAL to open.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        let mut st = self.cache.lock_state();
        if let Some(e) = st.lru().peek_mut(&self.key) {
            e.readers = e.readers.saturating_sub(1);
        }
    }
}

/// What [`GpkgCache::acquire`] gives: the file held, and the files it
/// removed to stay within its bound (whose open datasets the caller
/// closes).
pub struct Acquired<'a> {
    pub held: Held<'a>,
    pub evicted: Vec<PathBuf>,
}

fn valid_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (hex) and size of a local file.
pub fn file_sha256(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let r = f.read(&mut buf)?;
        if r == 0 {
            break;
        }
        h.update(&buf[..r]);
        n += r as u64;
    }
    Ok((hex(&h.finalize()), n))
}

impl GpkgCache {
    /// The cache in `dir` (made if missing), holding at most `bound_bytes`
    /// of files no reader holds, filled from `blobs`. Files already there
    /// are adopted; temporary files an interrupted fetch left are removed.
    pub fn open(dir: &Path, bound_bytes: u64, blobs: BlobStore) -> Result<GpkgCache, CacheError> {
        let io = |e| CacheError::Io(dir.to_path_buf(), e);
        std::fs::create_dir_all(dir).map_err(io)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("geocentre-gpkg-cache")
            .enable_all()
            .build()
            .map_err(io)?;
        let mut found = Vec::new();
        for e in std::fs::read_dir(dir).map_err(io)?.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Ok(meta) = e.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            match name.strip_suffix(".gpkg") {
                Some(key) if valid_sha256(key) => {
                    let used = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
                    found.push((used, key.to_string(), meta.len()));
                }
                // A temporary file of a fetch cut short, or a stranger.
                _ if name.ends_with(".tmp") => {
                    let _ = std::fs::remove_file(e.path());
                }
                _ => {}
            }
        }
        // Oldest first, so that the most recent ends up most recently used.
        found.sort();
        let mut state = State::default();
        for (_, key, size) in found {
            state.bytes += size;
            state.lru().put(
                key,
                Entry {
                    size,
                    verified: false,
                    readers: 0,
                },
            );
        }
        let cache = GpkgCache {
            dir: dir.to_path_buf(),
            bound: bound_bytes,
            blobs,
            runtime: Some(runtime),
            state: Mutex::new(state),
            filling: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            checksum_failures: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
            tmp_seq: AtomicU64::new(0),
        };
        cache.evict(&mut cache.lock_state());
        Ok(cache)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn file(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.gpkg"))
    }

    pub fn stats(&self) -> CacheStats {
        let mut st = self.lock_state();
        let files = st.lru().len() as u64;
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            checksum_failures: self.checksum_failures.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
            bytes: st.bytes,
            files,
        }
    }

    /// Holds the local copy of `object` (a key of the store), whose
    /// catalog records `sha256` and `size`: already there, or fetched now.
    pub fn acquire(
        &self,
        object: &str,
        sha256: &str,
        size: u64,
    ) -> Result<Acquired<'_>, CacheError> {
        if !valid_sha256(sha256) {
            return Err(CacheError::NoChecksum(object.to_string()));
        }
        if let Some(held) = self.hold_verified(sha256) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(Acquired {
                held,
                evicted: Vec::new(),
            });
        }
        // One filler per file; the others wait here, then find it held.
        let lock = {
            let mut filling = self.filling.lock().unwrap_or_else(|p| p.into_inner());
            filling.entry(sha256.to_string()).or_default().clone()
        };
        let r = {
            let _filling = lock.lock().unwrap_or_else(|p| p.into_inner());
            self.fill(object, sha256, size)
        };
        self.filling
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(sha256);
        r
    }

    /// The file if it is there and verified, held (and made the most
    /// recently used).
    fn hold_verified(&self, key: &str) -> Option<Held<'_>> {
        let mut st = self.lock_state();
        let e = st.lru().get_mut(key)?;
        if !e.verified {
            return None;
        }
        // Replicas sharing the directory: another one may have evicted it
        // (a stat per use, next to opening a dataset), even while readers
        // here hold it (their open datasets read the unlinked file): it
        // is fetched again, and the entry keeps their count.
        if !self.file(key).exists() {
            e.verified = false;
            return None;
        }
        e.readers += 1;
        Some(Held {
            cache: self,
            key: key.to_string(),
            path: self.file(key),
        })
    }

    /// Under the file's fill lock: the file verified, adopted after a
    /// check, or fetched.
    fn fill(&self, object: &str, key: &str, size: u64) -> Result<Acquired<'_>, CacheError> {
        if let Some(held) = self.hold_verified(key) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(Acquired {
                held,
                evicted: Vec::new(),
            });
        }
        let path = self.file(key);
        // Found on disk at start, or fetched since by another replica
        // sharing the directory: hashed once before its first use here.
        let adopted = path.exists();
        if adopted {
            let ok = matches!(file_sha256(&path), Ok((sum, n)) if sum == key && n == size);
            let mut st = self.lock_state();
            if ok {
                if st.lru().peek(key).is_none() {
                    st.bytes += size;
                    st.lru().put(
                        key.to_string(),
                        Entry {
                            size,
                            verified: false,
                            readers: 0,
                        },
                    );
                }
                if let Some(e) = st.lru().get_mut(key) {
                    e.verified = true;
                    e.readers += 1;
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    let evicted = self.evict(&mut st);
                    return Ok(Acquired {
                        held: Held {
                            cache: self,
                            key: key.to_string(),
                            path,
                        },
                        evicted,
                    });
                }
            } else {
                tracing::warn!(file = %path.display(), object, "cached GeoPackage fails its checksum: fetched again");
                self.checksum_failures.fetch_add(1, Ordering::Relaxed);
                if let Some(e) = st.lru().pop(key) {
                    st.bytes = st.bytes.saturating_sub(e.size);
                }
                let _ = std::fs::remove_file(&path);
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let got = self.fetch(object, key, size, &path)?;
        let mut st = self.lock_state();
        // An entry left is a file removed under readers still holding it.
        let (was, readers) = match st.lru().pop(key) {
            Some(e) => (e.size, e.readers),
            None => (0, 0),
        };
        st.bytes = st.bytes.saturating_sub(was) + got;
        st.lru().put(
            key.to_string(),
            Entry {
                size: got,
                verified: true,
                readers: readers + 1,
            },
        );
        let evicted = self.evict(&mut st);
        Ok(Acquired {
            held: Held {
                cache: self,
                key: key.to_string(),
                path,
            },
            evicted,
        })
    }

    /// One GET into a temporary file, checked, renamed to `dest`.
    fn fetch(&self, object: &str, key: &str, size: u64, dest: &Path) -> Result<u64, CacheError> {
        let tmp = self.dir.join(format!(
            ".{key}.{}.{}.tmp",
            std::process::id(),
            self.tmp_seq.fetch_add(1, Ordering::Relaxed)
        ));
        let io = |e| CacheError::Io(tmp.clone(), e);
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut hasher = Sha256::new();
        let got = {
            let mut sink = |b: &[u8]| {
                hasher.update(b);
                out.write_all(b)
            };
            let runtime = self.runtime.as_ref().ok_or_else(|| {
                CacheError::Unavailable(object.to_string(), "shutting down".into())
            })?;
            // Waited on here, on the caller's thread, while the cache's
            // runtime drives the sockets: this works from any thread.
            let _entered = runtime.enter();
            futures::executor::block_on(tokio::task::unconstrained(
                self.blobs.download(object, &mut sink),
            ))
        };
        let done = got
            .map_err(|e| store_error(object, e))
            .and_then(|n| {
                out.flush().map_err(io)?;
                Ok(n)
            })
            .and_then(|n| {
                let sum = hex(&hasher.finalize());
                if sum != key || n != size {
                    self.checksum_failures.fetch_add(1, Ordering::Relaxed);
                    return Err(CacheError::Checksum {
                        object: object.to_string(),
                        expected: key.to_string(),
                        expected_size: size,
                        got: sum,
                        size: n,
                    });
                }
                Ok(n)
            })
            .and_then(|n| {
                std::fs::rename(&tmp, dest).map_err(io)?;
                Ok(n)
            });
        if done.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        done
    }

    /// Removes the least recently used files no reader holds until the
    /// cache is within its bound; returns their paths.
    fn evict(&self, st: &mut State) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if st.bytes <= self.bound {
            return out;
        }
        let victims: Vec<(String, u64)> = st
            .lru()
            .iter()
            .rev()
            .filter(|(_, e)| e.readers == 0)
            .map(|(k, e)| (k.clone(), e.size))
            .collect();
        for (key, size) in victims {
            if st.bytes <= self.bound {
                break;
            }
            st.lru().pop(&key);
            st.bytes = st.bytes.saturating_sub(size);
            let path = self.file(&key);
            // An open dataset keeps reading an unlinked file until closed.
            let _ = std::fs::remove_file(&path);
            self.evictions.fetch_add(1, Ordering::Relaxed);
            out.push(path);
        }
        out
    }
}

fn store_error(object: &str, e: BlobError) -> CacheError {
    if e.is_unavailable() {
        CacheError::Unavailable(object.to_string(), e.to_string())
    } else {
        CacheError::Store(object.to_string(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(PathBuf);
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn scratch(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!(
            "geocentre-gpkg-cache-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }

    /// A store (a local object store stands for the bucket) holding
    /// objects of the given sizes; their checksums.
    fn store(root: &Path, objects: &[(&str, usize)]) -> (BlobStore, HashMap<String, String>) {
        let mut sums = HashMap::new();
        for (i, (name, len)) in objects.iter().enumerate() {
            let body: Vec<u8> = (0..*len).map(|j| (i * 31 + j) as u8).collect();
            let p = root.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, &body).unwrap();
            sums.insert(name.to_string(), hex(&Sha256::digest(&body)));
        }
        (BlobStore::local(root).unwrap(), sums)
    }

    fn gets(b: &BlobStore) -> u64 {
        b.request_counts()
            .iter()
            .filter(|(op, _, _)| op.as_str() == "get")
            .map(|(_, n, _)| n)
            .sum()
    }

    #[test]
    fn fills_once_then_hits_and_stays_within_its_bound_lru_first() {
        let s = scratch("bound");
        let (blobs, sums) = store(
            &s.0.join("bucket"),
            &[("v/a.gpkg", 400), ("v/b.gpkg", 400), ("v/c.gpkg", 400)],
        );
        let cache = GpkgCache::open(&s.0.join("cache"), 1000, blobs.clone()).unwrap();
        let use_ = |name: &str| {
            let a = cache.acquire(name, &sums[name], 400).unwrap();
            assert_eq!(std::fs::read(a.held.path()).unwrap().len(), 400);
            a.evicted
        };
        assert!(use_("v/a.gpkg").is_empty());
        assert!(use_("v/b.gpkg").is_empty());
        assert!(use_("v/a.gpkg").is_empty()); // a is now the most recent
        assert_eq!(gets(&blobs), 2);
        let evicted = use_("v/c.gpkg");
        // b was the least recently used.
        assert_eq!(evicted, vec![cache.file(&sums["v/b.gpkg"])]);
        assert!(!cache.file(&sums["v/b.gpkg"]).exists());
        assert!(cache.file(&sums["v/a.gpkg"]).exists());
        let st = cache.stats();
        assert_eq!((st.hits, st.misses, st.evictions), (1, 3, 1));
        assert!(st.bytes <= 1000, "{st:?}");
        assert_eq!(st.files, 2);
    }

    #[test]
    fn a_held_file_is_never_evicted() {
        let s = scratch("held");
        let (blobs, sums) = store(&s.0.join("bucket"), &[("a", 600), ("b", 600)]);
        let cache = GpkgCache::open(&s.0.join("cache"), 1000, blobs).unwrap();
        let a = cache.acquire("a", &sums["a"], 600).unwrap();
        let b = cache.acquire("b", &sums["b"], 600).unwrap();
        // Both held: over the bound for a while, nothing removed.
        assert!(b.evicted.is_empty());
        assert!(a.held.path().exists() && b.held.path().exists());
        drop(a);
        drop(b);
        let c = cache.acquire("a", &sums["a"], 600).unwrap();
        assert!(c.evicted.is_empty()); // a hit evicts nothing
        drop(c);
        assert_eq!(cache.stats().bytes, 1200);
    }

    #[test]
    fn a_wrong_checksum_is_refused_counted_and_fetched_again() {
        let s = scratch("sum");
        let (blobs, sums) = store(&s.0.join("bucket"), &[("a", 500)]);
        let cache = GpkgCache::open(&s.0.join("cache"), 10_000, blobs.clone()).unwrap();
        let wrong = "0".repeat(64);
        let e = cache.acquire("a", &wrong, 500).err().unwrap();
        assert!(matches!(e, CacheError::Checksum { .. }), "{e}");
        // Nothing half-written or wrong is left to be used.
        assert_eq!(std::fs::read_dir(cache.dir()).unwrap().count(), 0);
        assert_eq!(cache.stats().checksum_failures, 1);
        // A wrong size alone is refused too.
        assert!(cache.acquire("a", &sums["a"], 499).is_err());
        assert_eq!(cache.stats().checksum_failures, 2);
        // The right record: fetched again, and used.
        cache.acquire("a", &sums["a"], 500).unwrap();
        assert_eq!(gets(&blobs), 3);
        assert!(cache.acquire("a", "not-hex", 500).is_err());
    }

    #[test]
    fn a_file_damaged_on_disk_is_found_at_its_first_use_and_fetched_again() {
        let s = scratch("damaged");
        let (blobs, sums) = store(&s.0.join("bucket"), &[("a", 500)]);
        let dir = s.0.join("cache");
        {
            let cache = GpkgCache::open(&dir, 10_000, blobs.clone()).unwrap();
            cache.acquire("a", &sums["a"], 500).unwrap();
        }
        let f = dir.join(format!("{}.gpkg", sums["a"]));
        let mut body = std::fs::read(&f).unwrap();
        body[100] ^= 0xff;
        std::fs::write(&f, &body).unwrap();
        std::fs::write(dir.join(".x.1.2.tmp"), b"cut short").unwrap();
        // A restart adopts the file, and removes what a fetch left.
        let cache = GpkgCache::open(&dir, 10_000, blobs.clone()).unwrap();
        assert!(!dir.join(".x.1.2.tmp").exists());
        assert_eq!(cache.stats().bytes, 500);
        let a = cache.acquire("a", &sums["a"], 500).unwrap();
        assert_eq!(file_sha256(a.held.path()).unwrap().0, sums["a"]);
        let st = cache.stats();
        assert_eq!((st.checksum_failures, st.misses, st.bytes), (1, 1, 500));
        assert_eq!(gets(&blobs), 2);
    }

    #[test]
    fn replicas_sharing_the_directory_fetch_a_file_once() {
        let s = scratch("shared");
        let (blobs, sums) = store(&s.0.join("bucket"), &[("a", 700), ("b", 700)]);
        let dir = s.0.join("cache");
        let one = GpkgCache::open(&dir, 1000, blobs.clone()).unwrap();
        let two = GpkgCache::open(&dir, 1000, blobs.clone()).unwrap();
        drop(one.acquire("a", &sums["a"], 700).unwrap());
        // The second finds it on disk, checks it, fetches nothing.
        drop(two.acquire("a", &sums["a"], 700).unwrap());
        assert_eq!(gets(&blobs), 1);
        assert_eq!(two.stats().misses, 0);
        // The second evicts it (over its bound); the first fetches it again.
        drop(two.acquire("b", &sums["b"], 700).unwrap());
        assert!(!one.file(&sums["a"]).exists());
        let a = one.acquire("a", &sums["a"], 700).unwrap();
        assert!(a.held.path().exists());
        assert_eq!(gets(&blobs), 3);
    }

    /// The shared-directory race: another replica removes a file while a
    /// reader here holds it. The next use fetches it again (no error), and
    /// the count of readers survives: once all are gone, it may go.
    #[test]
    fn a_file_removed_while_held_is_fetched_again_and_its_readers_kept() {
        let s = scratch("removed");
        let (blobs, sums) = store(&s.0.join("bucket"), &[("a", 700), ("b", 700), ("c", 700)]);
        let cache = GpkgCache::open(&s.0.join("cache"), 1000, blobs.clone()).unwrap();
        let first = cache.acquire("a", &sums["a"], 700).unwrap();
        std::fs::remove_file(first.held.path()).unwrap();
        let second = cache.acquire("a", &sums["a"], 700).unwrap();
        assert_eq!(std::fs::read(second.held.path()).unwrap().len(), 700);
        assert_eq!(gets(&blobs), 2);
        let st = cache.stats();
        assert_eq!((st.misses, st.bytes, st.files), (2, 700, 1), "{st:?}");
        // Both readers hold it: b goes over the bound and a stays.
        drop(first);
        assert!(cache
            .acquire("b", &sums["b"], 700)
            .unwrap()
            .evicted
            .is_empty());
        drop(second);
        // Now nothing holds a: the next fill evicts it.
        let c = cache.acquire("c", &sums["c"], 700).unwrap();
        assert!(
            c.evicted.contains(&cache.file(&sums["a"])),
            "{:?}",
            c.evicted
        );
        assert!(!cache.file(&sums["a"]).exists());
    }

    #[test]
    fn concurrent_first_uses_fetch_once() {
        let s = scratch("concurrent");
        let (blobs, sums) = store(&s.0.join("bucket"), &[("a", 3 << 20)]);
        let cache = GpkgCache::open(&s.0.join("cache"), 1 << 30, blobs.clone()).unwrap();
        std::thread::scope(|sc| {
            for _ in 0..8 {
                sc.spawn(|| {
                    let a = cache.acquire("a", &sums["a"], 3 << 20).unwrap();
                    assert_eq!(std::fs::metadata(a.held.path()).unwrap().len(), 3 << 20);
                });
            }
        });
        assert_eq!(gets(&blobs), 1);
        let st = cache.stats();
        assert_eq!((st.misses, st.hits), (1, 7));
    }

    #[test]
    fn a_missing_object_is_an_error_not_a_file() {
        let s = scratch("missing");
        let (blobs, _) = store(&s.0.join("bucket"), &[]);
        let cache = GpkgCache::open(&s.0.join("cache"), 10_000, blobs).unwrap();
        let e = cache.acquire("nope", &"a".repeat(64), 1).err().unwrap();
        assert!(matches!(e, CacheError::Store(..)), "{e}");
        assert_eq!(std::fs::read_dir(cache.dir()).unwrap().count(), 0);
    }
}
