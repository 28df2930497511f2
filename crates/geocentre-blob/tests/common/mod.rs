//! A real S3 server for the tests: SeaweedFS started by
//! `scripts/s3-server.sh` (installed by `scripts/install-deps.sh --test`)
//! in a fresh directory, stopped when the handle is dropped. Each test
//! binary uses part of it.
#![allow(dead_code)]

use geocentre_blob::{BlobStore, Credentials, S3Target};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const ACCESS_KEY: &str = "geocentre-test";
pub const SECRET_KEY: &str = "geocentre-test-secret";

pub struct S3Server {
    pub dir: PathBuf,
    pub port: u16,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/s3-server.sh")
}

/// Whether PORT..PORT+9 (the ports the script uses) are all free now.
fn ports_free(port: u16) -> bool {
    (port..port + 10).all(|p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok())
}

impl S3Server {
    /// Starts a server on the first free block of ports from `first`
    /// (each test binary its own block, so that they can run at once).
    pub fn start(name: &str, first: u16) -> S3Server {
        let dir = std::env::temp_dir().join(format!(
            "geocentre-blob-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for attempt in 0..20u16 {
            let port = first + attempt * 10;
            if !ports_free(port) {
                continue;
            }
            let out = Command::new("bash")
                .arg(script())
                .args(["start", &dir.to_string_lossy(), &port.to_string()])
                .output()
                .expect("running scripts/s3-server.sh");
            if out.status.success() {
                return S3Server { dir, port };
            }
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !log.contains("address already in use") && !stderr.contains("is taken") {
                panic!(
                    "scripts/s3-server.sh start failed: {}\n{}\n{}",
                    stderr,
                    String::from_utf8_lossy(&out.stdout),
                    &log[log.len().saturating_sub(3000)..]
                );
            }
            // Someone took a port meanwhile: the next block.
            let _ = std::fs::remove_dir_all(dir.join("data"));
        }
        panic!("no free block of 10 ports from {first}");
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn stop(&self) {
        let _ = Command::new("bash")
            .arg(script())
            .args(["stop", &self.dir.to_string_lossy()])
            .status();
    }

    /// SIGKILL: a crash.
    pub fn kill(&self) {
        let _ = Command::new("bash")
            .arg(script())
            .args(["kill", &self.dir.to_string_lossy()])
            .status();
    }

    /// Starts the stopped server again on the same data and port.
    pub fn restart(&self) {
        let out = Command::new("bash")
            .arg(script())
            .args(["start", &self.dir.to_string_lossy(), &self.port.to_string()])
            .output()
            .expect("running scripts/s3-server.sh");
        assert!(
            out.status.success(),
            "restart failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The target `s3://bucket/prefix` on this server with the test keys.
    pub fn target(&self, bucket: &str, prefix: &str, threshold_mb: u64) -> S3Target {
        S3Target {
            bucket: bucket.into(),
            prefix: prefix.into(),
            endpoint: self.endpoint(),
            region: "us-east-1".into(),
            path_style: true,
            allow_http: true,
            multipart_threshold: threshold_mb * 1024 * 1024,
            credentials: Some(Credentials {
                access_key_id: ACCESS_KEY.into(),
                secret_access_key: SECRET_KEY.into(),
                session_token: None,
            }),
        }
    }

    pub fn store(&self, bucket: &str, prefix: &str, threshold_mb: u64) -> BlobStore {
        BlobStore::s3(self.target(bucket, prefix, threshold_mb)).expect("S3 store")
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
