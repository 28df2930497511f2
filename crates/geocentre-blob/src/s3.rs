//! The S3 backend: the object_store client for `s3://bucket/prefix`, its
//! credentials, and the request signing done with the SHA-256 and HMAC
//! crates already in the tree.
//!
//! **Why these features.** object_store's `aws` feature brings rustls with
//! aws-lc-rs (a C and assembly build of 30 s here) for TLS *and* signing.
//! We take `aws-base` + `reqwest` with `native-tls` instead: TLS through the
//! system's OpenSSL, the one GDAL's libcurl already loads, so HTTPS to AWS
//! works without a second TLS stack; signing (SigV4 needs SHA-256 and
//! HMAC-SHA256, nothing else) through `sha2`/`hmac`, pure Rust crates that
//! the PostgreSQL driver compiles anyway.

use geocentre_core::config::S3Config;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{
    CryptoProvider, DigestAlgorithm, DigestContext, HmacContext, Signer, SigningAlgorithm,
};
use object_store::{ClientOptions, RetryConfig};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Where an S3 blob store lives and how GDAL reaches it: what
/// [`crate::BlobStore::open`] resolved from the configuration and the
/// environment.
#[derive(Clone)]
pub struct S3Target {
    pub bucket: String,
    /// Key prefix, without leading or trailing '/': empty for the whole bucket.
    pub prefix: String,
    /// The endpoint URL (`http://127.0.0.1:8333`); empty for AWS itself.
    pub endpoint: String,
    pub region: String,
    pub path_style: bool,
    pub allow_http: bool,
    pub multipart_threshold: u64,
    pub credentials: Option<Credentials>,
}

impl std::fmt::Debug for S3Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("S3Target")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("path_style", &self.path_style)
            .field("allow_http", &self.allow_http)
            .field(
                "access_key_id",
                &self.credentials.as_ref().map(|c| &c.access_key_id),
            )
            .finish()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

fn env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

impl S3Target {
    /// The configuration with the `AWS_ENDPOINT_URL` and `AWS_REGION`
    /// overrides applied, and the credentials found.
    pub fn resolve(
        bucket: &str,
        prefix: &str,
        cfg: &S3Config,
    ) -> Result<S3Target, crate::BlobError> {
        let endpoint = env("AWS_ENDPOINT_URL")
            .unwrap_or_else(|| cfg.endpoint.clone())
            .trim()
            .trim_end_matches('/')
            .to_string();
        let region = env("AWS_REGION").unwrap_or_else(|| cfg.region.clone());
        // `AWS_ALLOW_HTTP=true` (object_store's own variable) turns it on
        // too: a deployment (or the test suite) that gives the endpoint in
        // the environment gives this with it.
        let allow_http = cfg.allow_http
            || env("AWS_ALLOW_HTTP").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        if endpoint.starts_with("http://") && !allow_http {
            return Err(crate::BlobError::Config(format!(
                "the S3 endpoint {endpoint} is plain http: set store.s3.allow_http = true \
                 for a store on loopback or a private network"
            )));
        }
        let is_url = endpoint.starts_with("http://") || endpoint.starts_with("https://");
        if !endpoint.is_empty() && !is_url {
            return Err(crate::BlobError::Config(format!(
                "the S3 endpoint '{endpoint}' must be an http:// or https:// URL"
            )));
        }
        Ok(S3Target {
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            endpoint,
            region,
            path_style: cfg.path_style,
            allow_http,
            multipart_threshold: cfg.multipart_threshold_mb.saturating_mul(1024 * 1024),
            credentials: credentials()?,
        })
    }

    /// The key of `path` in the bucket.
    pub fn key(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.prefix)
        }
    }

    /// The object_store client, every key under the prefix.
    pub fn client(&self) -> Result<AmazonS3, crate::BlobError> {
        // Requests fail in seconds when the store is down, so that a tile
        // answers 503 instead of hanging for object_store's default three
        // minutes of retries; a transient error is still retried.
        let retry = RetryConfig {
            max_retries: 3,
            retry_timeout: Duration::from_secs(10),
            ..RetryConfig::default()
        };
        let options = ClientOptions::new()
            .with_connect_timeout(Duration::from_secs(3))
            .with_timeout(Duration::from_secs(120))
            .with_allow_http(self.allow_http);
        // from_env: the other AWS ways of getting credentials (web
        // identity, container credentials, instance metadata) keep working.
        let mut b = AmazonS3Builder::from_env()
            .with_bucket_name(&self.bucket)
            .with_region(&self.region)
            .with_virtual_hosted_style_request(!self.path_style)
            .with_allow_http(self.allow_http)
            .with_client_options(options)
            .with_retry(retry)
            .with_crypto_provider(Arc::new(Sha2Crypto));
        if !self.endpoint.is_empty() {
            b = b.with_endpoint(&self.endpoint);
        }
        if let Some(c) = &self.credentials {
            b = b
                .with_access_key_id(&c.access_key_id)
                .with_secret_access_key(&c.secret_access_key);
            if let Some(t) = &c.session_token {
                b = b.with_token(t);
            }
        }
        Ok(b.build()?)
    }

    /// GDAL's settings for `/vsis3/` on this bucket (its `AWS_*` options).
    pub fn gdal_options(&self) -> Vec<(&'static str, String)> {
        let mut o = vec![
            ("AWS_REGION", self.region.clone()),
            (
                "AWS_VIRTUAL_HOSTING",
                if self.path_style { "FALSE" } else { "TRUE" }.into(),
            ),
        ];
        if let Some(rest) = self.endpoint.strip_prefix("http://") {
            o.push(("AWS_S3_ENDPOINT", rest.to_string()));
            o.push(("AWS_HTTPS", "NO".into()));
        } else if let Some(rest) = self.endpoint.strip_prefix("https://") {
            o.push(("AWS_S3_ENDPOINT", rest.to_string()));
            o.push(("AWS_HTTPS", "YES".into()));
        }
        // Without them GDAL finds credentials as object_store does
        // (instance metadata, web identity).
        if let Some(c) = &self.credentials {
            o.push(("AWS_ACCESS_KEY_ID", c.access_key_id.clone()));
            o.push(("AWS_SECRET_ACCESS_KEY", c.secret_access_key.clone()));
            if let Some(t) = &c.session_token {
                o.push(("AWS_SESSION_TOKEN", t.clone()));
            }
        }
        o
    }
}

/// The credentials of `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (and
/// `AWS_SESSION_TOKEN`), else of the `AWS_PROFILE` profile (`default`
/// when unset) of the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`,
/// `~/.aws/credentials`); `None` leaves the other AWS ways to the client.
fn credentials() -> Result<Option<Credentials>, crate::BlobError> {
    if let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        return Ok(Some(Credentials {
            access_key_id: id,
            secret_access_key: secret,
            session_token: env("AWS_SESSION_TOKEN"),
        }));
    }
    let file = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".aws").join("credentials")));
    let named = env("AWS_PROFILE");
    let profile = named.clone().unwrap_or_else(|| "default".into());
    let Some(file) = file else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        // No file: fine unless a profile was asked for by name.
        Err(e) if named.is_none() && e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(crate::BlobError::Config(format!(
                "AWS_PROFILE={profile}: cannot read {}: {e}",
                file.display()
            )))
        }
    };
    match profile_credentials(&text, &profile) {
        Some(c) => Ok(Some(c)),
        None if named.is_none() => Ok(None),
        None => Err(crate::BlobError::Config(format!(
            "AWS_PROFILE={profile}: no such profile with aws_access_key_id and \
             aws_secret_access_key in {}",
            file.display()
        ))),
    }
}

/// One profile of an AWS shared credentials file (INI: `[name]` sections of
/// `key = value` lines, `#` and `;` comments).
pub fn profile_credentials(ini: &str, profile: &str) -> Option<Credentials> {
    let mut in_section = false;
    let (mut id, mut secret, mut token) = (None, None, None);
    for line in ini.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_section = name.trim() == profile;
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim().to_string();
        match k.trim().to_ascii_lowercase().as_str() {
            "aws_access_key_id" => id = Some(v),
            "aws_secret_access_key" => secret = Some(v),
            "aws_session_token" => token = Some(v),
            _ => {}
        }
    }
    Some(Credentials {
        access_key_id: id.filter(|s| !s.is_empty())?,
        secret_access_key: secret.filter(|s| !s.is_empty())?,
        session_token: token.filter(|s| !s.is_empty()),
    })
}

/// SigV4's digests with the `sha2` and `hmac` crates (see the module
/// documentation). RSA signing is for Google Cloud only.
#[derive(Debug)]
struct Sha2Crypto;

fn unsupported(what: &str) -> object_store::Error {
    object_store::Error::NotSupported {
        source: format!("{what} is not available in geocentre's S3 client").into(),
    }
}

impl CryptoProvider for Sha2Crypto {
    fn digest(&self, algorithm: DigestAlgorithm) -> object_store::Result<Box<dyn DigestContext>> {
        match algorithm {
            DigestAlgorithm::Sha256 => Ok(Box::new(Sha256Digest {
                ctx: sha2::Sha256::default(),
                out: Vec::new(),
            })),
            _ => Err(unsupported("this digest")),
        }
    }

    fn hmac(
        &self,
        algorithm: DigestAlgorithm,
        secret: &[u8],
    ) -> object_store::Result<Box<dyn HmacContext>> {
        use hmac::KeyInit;
        match algorithm {
            DigestAlgorithm::Sha256 => {
                let mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret)
                    .map_err(|_| unsupported("this HMAC key"))?;
                Ok(Box::new(Sha256Hmac {
                    mac: Some(mac),
                    out: Vec::new(),
                }))
            }
            _ => Err(unsupported("this HMAC")),
        }
    }

    fn sign(
        &self,
        _algorithm: SigningAlgorithm,
        _pem: &[u8],
    ) -> object_store::Result<Box<dyn Signer>> {
        Err(unsupported("RSA signing"))
    }
}

struct Sha256Digest {
    ctx: sha2::Sha256,
    out: Vec<u8>,
}

impl DigestContext for Sha256Digest {
    fn update(&mut self, data: &[u8]) {
        sha2::Digest::update(&mut self.ctx, data);
    }
    fn finish(&mut self) -> object_store::Result<&[u8]> {
        let ctx = std::mem::take(&mut self.ctx);
        self.out = sha2::Digest::finalize(ctx).to_vec();
        Ok(&self.out)
    }
}

struct Sha256Hmac {
    mac: Option<hmac::Hmac<sha2::Sha256>>,
    out: Vec<u8>,
}

impl HmacContext for Sha256Hmac {
    fn update(&mut self, data: &[u8]) {
        if let Some(m) = self.mac.as_mut() {
            hmac::Mac::update(m, data);
        }
    }
    fn finish(&mut self) -> object_store::Result<&[u8]> {
        let mac = self
            .mac
            .take()
            .ok_or_else(|| unsupported("finishing an HMAC twice"))?;
        self.out = hmac::Mac::finalize(mac).into_bytes().to_vec();
        Ok(&self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_read_from_the_shared_credentials_file() {
        let ini = "# comment\n[default]\naws_access_key_id = AK1\naws_secret_access_key=S1\n\n\
                   [other]\n; comment\naws_access_key_id = AK2\naws_secret_access_key = S2\n\
                   aws_session_token = T2\n[empty]\naws_access_key_id =\n";
        let d = profile_credentials(ini, "default").unwrap();
        assert_eq!(
            (d.access_key_id.as_str(), d.secret_access_key.as_str()),
            ("AK1", "S1")
        );
        assert_eq!(d.session_token, None);
        let o = profile_credentials(ini, "other").unwrap();
        assert_eq!(o.session_token.as_deref(), Some("T2"));
        assert!(profile_credentials(ini, "empty").is_none());
        assert!(profile_credentials(ini, "absent").is_none());
    }

    /// RFC 4231 test case 2 and the SHA-256 of "abc" (FIPS 180-2).
    #[test]
    fn digests_match_the_reference_vectors() {
        let c = Sha2Crypto;
        let mut h = c.hmac(DigestAlgorithm::Sha256, b"Jefe").unwrap();
        h.update(b"what do ya want ");
        h.update(b"for nothing?");
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(
            hex(h.finish().unwrap()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let mut d = c.digest(DigestAlgorithm::Sha256).unwrap();
        d.update(b"abc");
        assert_eq!(
            hex(d.finish().unwrap()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
