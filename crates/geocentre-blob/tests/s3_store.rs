//! `BlobStore` on a real S3 server (SeaweedFS, started by
//! `scripts/s3-server.sh`): keys under the prefix, range reads, multipart
//! uploads (and their abort), deletes, listing, request counts, and the
//! data kept across a restart of the server.

mod common;

use bytes::Bytes;
use common::S3Server;
use geocentre_blob::{BlobStore, Op};
use object_store::path::Path as ObjPath;
use object_store::{
    GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    PutMultipartOptions, PutOptions, PutPayload, PutResult, UploadPart,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn count(store: &BlobStore, op: Op) -> u64 {
    store
        .request_counts()
        .into_iter()
        .find(|(o, _, _)| *o == op)
        .map_or(0, |(_, n, _)| n)
}

/// Deterministic bytes that differ everywhere (a misplaced range shows).
fn pattern(len: usize, seed: u32) -> Bytes {
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect::<Vec<u8>>()
        .into()
}

/// The multipart uploads the server still holds for `bucket` (S3's
/// ListMultipartUploads, signed by curl).
fn pending_uploads(server: &S3Server, bucket: &str) -> String {
    let out = std::process::Command::new("curl")
        .args([
            "-s",
            "--noproxy",
            "*",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "--user",
            &format!("{}:{}", common::ACCESS_KEY, common::SECRET_KEY),
            &format!("{}/{bucket}?uploads=", server.endpoint()),
        ])
        .output()
        .expect("curl");
    let body = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(body.contains("ListMultipartUploadsResult"), "{body}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_store_on_a_real_server() {
    let server = S3Server::start("store", 18300);
    let store = server.store("geocentre-blob-test", "some/prefix", 1);
    let root = server.store("geocentre-blob-test", "", 1);

    // A small object: one PUT, read back by ranges, its size by HEAD.
    let small = pattern(300_000, 1);
    store
        .put("objects/a/one.bin", small.clone())
        .await
        .expect("put");
    assert_eq!(count(&store, Op::Put), 1);
    assert_eq!(count(&store, Op::MultipartCreate), 0);
    assert_eq!(
        store
            .get_range("objects/a/one.bin", 1000..1100)
            .await
            .unwrap(),
        small.slice(1000..1100)
    );
    assert_eq!(store.size("objects/a/one.bin").await.unwrap(), 300_000);
    let (head, size) = store.get_head("objects/a/one.bin", 16_384).await.unwrap();
    assert_eq!((head, size), (small.slice(0..16_384), 300_000));
    // Longer than the object: what there is, in the same one request.
    let gets = count(&store, Op::Get);
    let (all, size) = store.get_head("objects/a/one.bin", 1 << 20).await.unwrap();
    assert_eq!((all, size), (small.clone(), 300_000));
    assert_eq!(count(&store, Op::Get), gets + 1);

    // Every key is under the prefix.
    assert_eq!(
        root.list("").await.unwrap(),
        vec!["some/prefix/objects/a/one.bin".to_string()]
    );
    assert_eq!(
        store.gdal_path("objects/a/one.bin"),
        "/vsis3/geocentre-blob-test/some/prefix/objects/a/one.bin"
    );

    // Over the threshold (1 MiB): multipart, in parts of 5 MiB (S3's
    // minimum), read back whole and across a part boundary.
    let big = pattern(12 * 1024 * 1024 + 123, 2);
    store
        .put("objects/a/big.bin", big.clone())
        .await
        .expect("multipart put");
    assert_eq!(count(&store, Op::MultipartCreate), 1);
    assert_eq!(count(&store, Op::MultipartPart), 3);
    assert_eq!(count(&store, Op::MultipartComplete), 1);
    assert_eq!(count(&store, Op::MultipartAbort), 0);
    let boundary = 5 * 1024 * 1024;
    assert_eq!(
        store
            .get_range("objects/a/big.bin", boundary - 10..boundary + 10)
            .await
            .unwrap(),
        big.slice(boundary as usize - 10..boundary as usize + 10)
    );
    assert_eq!(
        store
            .get_range("objects/a/big.bin", 0..big.len() as u64)
            .await
            .unwrap(),
        big
    );
    assert!(
        !pending_uploads(&server, "geocentre-blob-test").contains("<Upload>"),
        "a completed upload is still listed"
    );

    // A missing object: NotFound, and deleting it is no error.
    let err = store.size("objects/absent.bin").await.unwrap_err();
    assert!(err.is_not_found() && !err.is_unavailable(), "{err}");
    store.delete("objects/absent.bin").await.unwrap();

    // Listing is by directory: objects/a lists a/, not a-b/.
    store
        .put("objects/a-b/x.bin", Bytes::from_static(b"x"))
        .await
        .unwrap();
    let mut listed = store.list("objects/a").await.unwrap();
    listed.sort();
    assert_eq!(listed, vec!["objects/a/big.bin", "objects/a/one.bin"]);

    // The data outlives a crash of the server (the fault tests rely on it).
    server.kill();
    let t0 = std::time::Instant::now();
    let down = store
        .get_range("objects/a/one.bin", 0..10)
        .await
        .expect_err("a stopped server answered");
    // Said as such (a 503 for clients), and soon: no long retry loop.
    assert!(down.is_unavailable(), "{down}");
    assert!(
        t0.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        t0.elapsed()
    );
    server.restart();
    assert_eq!(
        store.get_range("objects/a/one.bin", 0..10).await.unwrap(),
        small.slice(0..10)
    );

    // delete_prefix removes what is under it, and only that.
    assert_eq!(store.delete_prefix("objects/a").await.unwrap(), 2);
    assert_eq!(
        root.list("").await.unwrap(),
        vec!["some/prefix/objects/a-b/x.bin".to_string()]
    );
    let (_, failed_gets) = store
        .request_counts()
        .into_iter()
        .find(|(o, _, _)| *o == Op::Get)
        .map(|(_, n, f)| (n, f))
        .unwrap();
    assert_eq!(failed_gets, 1, "the one read while the server was down");
}

/// An object store that fails the second part of every multipart upload,
/// between our code and the real server.
#[derive(Debug)]
struct FailSecondPart(Arc<dyn ObjectStore>);

impl std::fmt::Display for FailSecondPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FailSecondPart({})", self.0)
    }
}

#[derive(Debug)]
struct FailingUpload {
    inner: Box<dyn MultipartUpload>,
    parts: AtomicUsize,
}

#[async_trait::async_trait]
impl MultipartUpload for FailingUpload {
    fn put_part(&mut self, data: PutPayload) -> UploadPart {
        if self.parts.fetch_add(1, Ordering::SeqCst) == 1 {
            return Box::pin(async {
                Err(object_store::Error::Generic {
                    store: "test",
                    source: "the network broke".into(),
                })
            });
        }
        self.inner.put_part(data)
    }
    async fn complete(&mut self) -> object_store::Result<PutResult> {
        self.inner.complete().await
    }
    async fn abort(&mut self) -> object_store::Result<()> {
        self.inner.abort().await
    }
}

#[async_trait::async_trait]
impl ObjectStore for FailSecondPart {
    async fn put_opts(
        &self,
        location: &ObjPath,
        payload: PutPayload,
        opts: PutOptions,
    ) -> object_store::Result<PutResult> {
        self.0.put_opts(location, payload, opts).await
    }
    async fn put_multipart_opts(
        &self,
        location: &ObjPath,
        opts: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        let inner = self.0.put_multipart_opts(location, opts).await?;
        Ok(Box::new(FailingUpload {
            inner,
            parts: AtomicUsize::new(0),
        }))
    }
    async fn get_opts(
        &self,
        location: &ObjPath,
        options: GetOptions,
    ) -> object_store::Result<GetResult> {
        self.0.get_opts(location, options).await
    }
    fn delete_stream(
        &self,
        locations: futures::stream::BoxStream<'static, object_store::Result<ObjPath>>,
    ) -> futures::stream::BoxStream<'static, object_store::Result<ObjPath>> {
        self.0.delete_stream(locations)
    }
    fn list(
        &self,
        prefix: Option<&ObjPath>,
    ) -> futures::stream::BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.0.list(prefix)
    }
    async fn list_with_delimiter(
        &self,
        prefix: Option<&ObjPath>,
    ) -> object_store::Result<ListResult> {
        self.0.list_with_delimiter(prefix).await
    }
    async fn copy_opts(
        &self,
        from: &ObjPath,
        to: &ObjPath,
        options: object_store::CopyOptions,
    ) -> object_store::Result<()> {
        self.0.copy_opts(from, to, options).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_multipart_upload_is_aborted_and_leaves_nothing() {
    let server = S3Server::start("abort", 18500);
    let target = server.target("geocentre-abort-test", "", 1);
    let real: Arc<dyn ObjectStore> = Arc::new(target.client().unwrap());
    let store = BlobStore::s3_over(Arc::new(FailSecondPart(real)), target);
    let err = store
        .put("big.bin", pattern(11 * 1024 * 1024, 3))
        .await
        .expect_err("a part failed");
    assert!(err.to_string().contains("the network broke"), "{err}");
    assert_eq!(count(&store, Op::MultipartCreate), 1);
    assert_eq!(count(&store, Op::MultipartComplete), 0);
    assert_eq!(count(&store, Op::MultipartAbort), 1);
    assert!(store.size("big.bin").await.unwrap_err().is_not_found());
    let pending = pending_uploads(&server, "geocentre-abort-test");
    assert!(
        !pending.contains("<Upload>"),
        "parts left on the server: {pending}"
    );
    // The same upload without the fault goes through.
    let ok = server.store("geocentre-abort-test", "", 1);
    ok.put("big.bin", pattern(11 * 1024 * 1024, 3))
        .await
        .unwrap();
    assert_eq!(ok.size("big.bin").await.unwrap(), 11 * 1024 * 1024);
}

/// `kill -SIG -- -PGID`: `weed mini` runs in a process group of its own.
fn signal_server(server: &S3Server, sig: &str) {
    let pid = std::fs::read_to_string(server.dir.join("server.pid")).unwrap();
    let ok = std::process::Command::new("kill")
        .args([&format!("-{sig}"), "--", &format!("-{}", pid.trim())])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig} of the S3 server");
    if sig == "STOP" {
        // kill returns once the signal is queued; the threads stop when
        // they are next scheduled. On a loaded machine (CI) a request
        // sent right after was still answered: wait until every thread
        // of the group's processes shows state T.
        let pgid = pid.trim().to_string();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !group_stopped(&pgid) {
            assert!(
                std::time::Instant::now() < deadline,
                "the S3 server did not stop within 10 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// Whether every thread of every process in process group `pgid` is
/// stopped (`/proc/PID/task/TID/stat`: state `T`, field 5 the group).
fn group_stopped(pgid: &str) -> bool {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return false;
    };
    let mut seen = false;
    for p in procs.flatten() {
        let Ok(stat) = std::fs::read_to_string(p.path().join("stat")) else {
            continue;
        };
        // The fields after the command name, which is in parentheses.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2) != Some(&pgid) {
            continue;
        }
        seen = true;
        let Ok(tasks) = std::fs::read_dir(p.path().join("task")) else {
            return false;
        };
        for t in tasks.flatten() {
            let state = std::fs::read_to_string(t.path().join("stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit_once(')')
                        .map(|(_, r)| r.trim_start().chars().next())
                })
                .flatten();
            if !matches!(state, Some('T') | Some('t')) {
                return false;
            }
        }
    }
    seen
}

/// A hung store (SIGSTOP: the kernel still accepts connections, nothing
/// answers) holds a read for the client's two-minute timeout; with
/// `with_read_timeout` (what `geocentre serve` sets from
/// `store.s3.read_timeout_s`) every kind of read fails as unavailable
/// within the bound, and reads work again once the store answers.
/// The unbounded read of the same object, started alongside, is still
/// waiting when the bounded ones have failed: the failure the bound
/// guards against, seen in the same run. Seen failing with the bound
/// disabled in `BlobStore::bounded`: the first read returned after
/// 120 s (the client's request timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_server_fails_bounded_reads_within_the_read_timeout() {
    let server = S3Server::start("hung", 19450);
    let unbounded = server.store("geocentre-blob-test", "hung", 1);
    let limit = std::time::Duration::from_secs(2);
    let store = unbounded.clone().with_read_timeout(limit);
    let body = pattern(100_000, 7);
    store.put("o/x.bin", body.clone()).await.unwrap();
    assert_eq!(
        store.get_range("o/x.bin", 5..10).await.unwrap(),
        body.slice(5..10)
    );

    signal_server(&server, "STOP");
    let pending = tokio::spawn(async move { unbounded.get_range("o/x.bin", 0..10).await });
    let bound = limit + std::time::Duration::from_secs(2);
    let t0 = std::time::Instant::now();
    let e = store.get_range("o/x.bin", 0..10).await.unwrap_err();
    assert!(
        e.is_unavailable() && t0.elapsed() < bound,
        "{e} after {:?}",
        t0.elapsed()
    );
    let t0 = std::time::Instant::now();
    let e = store.get_head("o/x.bin", 1000).await.unwrap_err();
    assert!(
        e.is_unavailable() && t0.elapsed() < bound,
        "{e} after {:?}",
        t0.elapsed()
    );
    let t0 = std::time::Instant::now();
    let e = store.size("o/x.bin").await.unwrap_err();
    assert!(
        e.is_unavailable() && t0.elapsed() < bound,
        "{e} after {:?}",
        t0.elapsed()
    );
    assert!(
        !pending.is_finished(),
        "the unbounded read did not hang: the test shows nothing"
    );

    signal_server(&server, "CONT");
    let t0 = std::time::Instant::now();
    loop {
        match store.get_range("o/x.bin", 0..10).await {
            Ok(b) => {
                assert_eq!(b, body.slice(0..10));
                break;
            }
            Err(e) if t0.elapsed() < std::time::Duration::from_secs(10) => {
                let _ = e;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("still failing 10 s after the server was resumed: {e}"),
        }
    }
    // The unbounded read, resumed with the server, completes too.
    let late = tokio::time::timeout(std::time::Duration::from_secs(30), pending)
        .await
        .expect("the unbounded read after the resume")
        .unwrap();
    assert_eq!(late.unwrap(), body.slice(0..10));
}
