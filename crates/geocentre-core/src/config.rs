//! `geocentre.toml`. Every key has a default; `docs/configuration.md` lists them.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration in {path}: {message}")]
    Parse { path: PathBuf, message: String },
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub ingest: IngestConfig,
    pub tiles: TilesConfig,
    pub service: ServiceConfig,
    pub indicators: IndicatorsConfig,
    pub log: LogConfig,
    pub limits: LimitsConfig,
    pub store: StoreConfig,
    pub postgis: PostgisConfig,
}

/// Where the registry and the published files live (`[store]`): the
/// embedded default (SQLite and local files in the data directory), or the
/// scale-out engines (PostgreSQL/PostGIS and S3-compatible storage) that
/// several stateless replicas share (docs/deployment.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// `sqlite:PATH`, or a `postgres://` URL. Empty: `sqlite:` on
    /// `<data-dir>/catalog.sqlite`. The environment variable
    /// `GEOCENTRE_CATALOG` overrides it, so that a password need not be
    /// written in the file.
    pub catalog: String,
    /// A local directory, or `s3://bucket/prefix`. Empty: the directory
    /// `<data-dir>/objects`. `GEOCENTRE_BLOBS` overrides it.
    pub blobs: String,
    pub s3: S3Config,
    /// With blobs in a bucket, the published GeoPackages are there too and
    /// each server keeps a local copy of those it serves in this directory
    /// (empty: `<data-dir>/cache/gpkg`), fetched on first use and checked
    /// by their SHA-256.
    pub gpkg_cache_dir: String,
    /// The bound of that cache: beyond it the least recently used files are
    /// removed (never one being read).
    pub gpkg_cache_mb: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            catalog: String::new(),
            blobs: String::new(),
            s3: S3Config::default(),
            gpkg_cache_dir: String::new(),
            gpkg_cache_mb: 4096,
        }
    }
}

/// How an `s3://` blob store is reached. Credentials are never written
/// here: they come from the usual `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) variables, or from
/// the `AWS_PROFILE` profile of `~/.aws/credentials`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    /// Empty: AWS itself; otherwise the URL of an S3-compatible server
    /// (`http://127.0.0.1:8333`). `AWS_ENDPOINT_URL` overrides it.
    pub endpoint: String,
    /// `AWS_REGION` overrides it.
    pub region: String,
    /// Path-style URLs (`endpoint/bucket/key`), which most S3-compatible
    /// servers need; false: virtual-hosted (`bucket.endpoint/key`).
    pub path_style: bool,
    /// Whether an `http://` endpoint is accepted (a store on loopback or
    /// a private network).
    pub allow_http: bool,
    /// Objects larger than this are uploaded in parts (multipart upload).
    pub multipart_threshold_mb: u64,
    /// The longest a read of `geocentre serve` (a tile's range GET, a
    /// chunk header, a HEAD) waits for the store, retries included: past
    /// it the request answers 503 with Retry-After instead of hanging on
    /// a store that accepts connections and answers nothing (hung,
    /// stopped, partitioned). The CLI's reads (ingest, copy-store) are
    /// not bounded by it: they may copy whole objects.
    pub read_timeout_s: f64,
}

impl Default for S3Config {
    fn default() -> Self {
        S3Config {
            endpoint: String::new(),
            region: "us-east-1".into(),
            path_style: true,
            allow_http: false,
            multipart_threshold_mb: 16,
            read_timeout_s: 5.0,
        }
    }
}

/// The catalog database [`StoreConfig::catalog`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogLocation {
    Sqlite(PathBuf),
    Postgres(String),
}

/// The blob store [`StoreConfig::blobs`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobLocation {
    Local(PathBuf),
    S3 { bucket: String, prefix: String },
}

impl StoreConfig {
    /// The catalog, with `GEOCENTRE_CATALOG` applied and the default
    /// resolved against the data directory.
    pub fn catalog_location(&self, data_dir: &Path) -> Result<CatalogLocation, String> {
        let env = std::env::var("GEOCENTRE_CATALOG").ok();
        parse_catalog(env.as_deref().unwrap_or(&self.catalog), data_dir)
    }

    /// The blob store, with `GEOCENTRE_BLOBS` applied and the default
    /// resolved against the data directory.
    pub fn blob_location(&self, data_dir: &Path) -> Result<BlobLocation, String> {
        let env = std::env::var("GEOCENTRE_BLOBS").ok();
        parse_blobs(env.as_deref().unwrap_or(&self.blobs), data_dir)
    }

    /// The directory of the GeoPackage cache (relative paths are in the
    /// data directory).
    pub fn gpkg_cache_dir(&self, data_dir: &Path) -> PathBuf {
        match self.gpkg_cache_dir.trim() {
            "" => data_dir.join("cache").join("gpkg"),
            d => data_dir.join(d),
        }
    }

    /// Whether both stores are the embedded ones.
    pub fn is_embedded(&self, data_dir: &Path) -> bool {
        matches!(
            self.catalog_location(data_dir),
            Ok(CatalogLocation::Sqlite(_))
        ) && matches!(self.blob_location(data_dir), Ok(BlobLocation::Local(_)))
    }
}

pub fn parse_catalog(s: &str, data_dir: &Path) -> Result<CatalogLocation, String> {
    let s = s.trim();
    if s.is_empty() || s == "sqlite:" {
        return Ok(CatalogLocation::Sqlite(data_dir.join("catalog.sqlite")));
    }
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        return Ok(CatalogLocation::Postgres(s.to_string()));
    }
    if let Some(p) = s.strip_prefix("sqlite:") {
        let p = p.strip_prefix("//").unwrap_or(p);
        if p.is_empty() {
            return Err("store.catalog: 'sqlite:' needs a path".into());
        }
        let p = PathBuf::from(p);
        return Ok(CatalogLocation::Sqlite(if p.is_absolute() {
            p
        } else {
            data_dir.join(p)
        }));
    }
    Err(format!(
        "store.catalog: '{}' is neither sqlite:PATH nor a postgres:// URL",
        redact_url(s)
    ))
}

pub fn parse_blobs(s: &str, data_dir: &Path) -> Result<BlobLocation, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(BlobLocation::Local(data_dir.join("objects")));
    }
    if let Some(rest) = s.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        // S3 bucket names: 3-63 lower-case letters, digits, dots, hyphens.
        let ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !ok {
            return Err(format!("store.blobs: '{bucket}' is not an S3 bucket name"));
        }
        let prefix = prefix.trim_matches('/');
        if prefix.split('/').any(|seg| seg == "." || seg == "..")
            || prefix.contains("//")
            || prefix.bytes().any(|b| b.is_ascii_control())
        {
            return Err(format!("store.blobs: '{prefix}' is not a valid key prefix"));
        }
        return Ok(BlobLocation::S3 {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        });
    }
    if s.contains("://") {
        return Err(format!(
            "store.blobs: '{s}' is neither a directory nor an s3://bucket/prefix URL"
        ));
    }
    let p = PathBuf::from(s.strip_prefix("file:").unwrap_or(s));
    Ok(BlobLocation::Local(if p.is_absolute() {
        p
    } else {
        data_dir.join(p)
    }))
}

/// A URL with its password replaced by `***`, for messages and logs.
pub fn redact_url(s: &str) -> String {
    let Some((scheme, rest)) = s.split_once("://") else {
        return s.to_string();
    };
    let (auth, host) = match rest.split_once('@') {
        Some((a, h)) if !a.contains('/') => (a, h),
        _ => return s.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => s.to_string(),
    }
}

/// What one request, one client and the whole server may cost (`[limits]`).
/// Every bound a client can reach is here, so `docs/security.md` can list
/// them in one place.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Layers one GetMap may draw, counted after datasets and groups are
    /// expanded into their layers.
    pub max_map_layers: usize,
    /// Maps rendered at once; 0 means two per core (one renders while the
    /// other waits on storage).
    pub render_concurrency: usize,
    /// Pixels being rendered at once, all maps together (memory goes with
    /// pixels: about 12 bytes each while a map is drawn and encoded).
    pub render_pixels: u64,
    /// Maps that may wait for a rendering slot; beyond, 503 at once.
    pub render_queue: usize,
    /// How long a queued map waits for a slot before its 503.
    pub render_queue_wait_ms: u64,
    /// Time one map may take to render, checked between layers.
    pub render_budget_ms: u64,
    /// Time a client has to send a request's headers, from its first byte.
    pub header_read_timeout_ms: u64,
    /// An idle keep-alive connection is closed after this.
    pub keepalive_idle_s: u64,
    /// Open connections in all; beyond, new ones are closed at once.
    pub max_connections: usize,
    /// Open connections from one IP address (0: no per-client cap; raise
    /// it, or set 0, when a reverse proxy is the only client).
    pub max_connections_per_client: usize,
    /// Threads for blocking work (GDAL reads of features, file I/O); more
    /// requests wait for one. Without a cap a load test grew the pool to
    /// 240 threads, each holding its page of features.
    pub blocking_threads: usize,
    /// Arenas of glibc's allocator (GDAL allocates through it); 0 leaves
    /// glibc's default of 8 per core, which kept freed memory resident.
    pub malloc_arenas: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_map_layers: 32,
            render_concurrency: 0,
            render_pixels: 2 * 4096 * 4096,
            render_queue: 32,
            render_queue_wait_ms: 10_000,
            render_budget_ms: 30_000,
            header_read_timeout_ms: 10_000,
            keepalive_idle_s: 60,
            max_connections: 10_000,
            max_connections_per_client: 512,
            blocking_threads: 64,
            malloc_arenas: 8,
        }
    }
}

impl LimitsConfig {
    /// [`LimitsConfig::render_concurrency`] with its default resolved.
    pub fn render_slots(&self) -> usize {
        match self.render_concurrency {
            0 => 2 * std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        }
    }
}

/// How the server logs (`[log]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` (human lines) or `json` (one JSON object per line, for log
    /// collectors).
    pub format: LogFormat,
    /// One line per request answered (method, path, status, duration,
    /// bytes), at `info` level.
    pub requests: bool,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: LogFormat::Text,
            requests: true,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IndicatorsConfig {
    /// The territory the coverage indicator is computed against (any
    /// vector format GDAL reads, any CRS; all its features together).
    pub region: PathBuf,
}

impl Default for IndicatorsConfig {
    fn default() -> Self {
        IndicatorsConfig {
            region: PathBuf::from("data/admin/region-centre-val-de-loire.geojson"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub bind: String,
    /// Base URL advertised in capabilities; empty means derived from the Host header.
    pub public_url: String,
    /// Worker threads of the HTTP runtime; 0 means one per core.
    pub workers: usize,
    /// How often the registry is polled for newly published data.
    pub catalog_poll_ms: u64,
    /// Without `public_url`, the Host header names the server in the links
    /// it writes. When this list is not empty, only a Host it holds is
    /// taken (`name` allows any port, `name:port` that port); any other
    /// gets the first entry's address. Empty: any Host (the demo).
    pub allowed_hosts: Vec<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: "127.0.0.1:8080".into(),
            public_url: String::new(),
            workers: 0,
            catalog_poll_ms: 250,
            allowed_hosts: Vec::new(),
        }
    }
}

/// `name` or `name:port` as a Host header or an `allowed_hosts` entry
/// writes it: a DNS name or IPv4 address (letters, digits, `.` and `-`),
/// or an IPv6 address in brackets. None for anything else (a scheme, a
/// path, a blank).
pub fn split_host(s: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = match s.rsplit_once(':') {
        // The last colon of a bracketed IPv6 address is inside the brackets.
        Some((n, p)) if !p.contains(']') => (n, Some(p)),
        _ => (s, None),
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(p.parse::<u16>().ok().filter(|p| *p > 0)?)
        }
        Some(_) => return None,
    };
    let ok = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => {
            !v6.is_empty()
                && v6
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        }
        None => {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        }
    };
    ok.then_some((name, port))
}

impl ServerConfig {
    /// Whether links may be written with the Host header `host`.
    pub fn allows_host(&self, host: &str) -> bool {
        if self.allowed_hosts.is_empty() {
            return true;
        }
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        self.allowed_hosts
            .iter()
            .any(|entry| match split_host(entry) {
                Some((n, p)) => n.eq_ignore_ascii_case(name) && (p.is_none() || p == port),
                None => false,
            })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// Parallel chunk workers; 0 means one per core.
    pub workers: usize,
    /// log2 of the stored COG width in tiles: 4 gives 4096 px chunks.
    pub chunk_tiles_log2: u8,
    pub jpeg_quality: u8,
    /// Resampling when warping sources onto the grid (GDAL names).
    pub resampling: String,
    /// Files declaring more pixels than this are rejected as absurd.
    pub max_pixels: u64,
    pub max_dimension: u64,
    /// GDAL block cache per ingest process, in MiB.
    pub gdal_cache_mb: u32,
    /// A zip archive of a delivery whose members inflate to more bytes
    /// than this is refused as a whole (archive-limit).
    pub max_archive_bytes: u64,
    /// ... or whose inflated size is more than this many times its size on
    /// disk (only checked beyond 64 MiB inflated: small archives of padded
    /// DBF files compress that well).
    pub max_archive_ratio: f64,
    /// ... or that holds more entries (files and folders) than this.
    pub max_archive_entries: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            workers: 0,
            chunk_tiles_log2: 4,
            jpeg_quality: 85,
            resampling: "cubic".into(),
            // 5·10⁹ px is a 70 km-wide 5 cm dalle: far beyond any real delivery.
            max_pixels: 5_000_000_000,
            max_dimension: 200_000,
            gdal_cache_mb: 128,
            // 4 GiB inflated, 100×, 10 000 entries: far beyond a zipped
            // Shapefile or a folder of GML; a 2.5 MB zip holding 560 MB of
            // GeoJSON (review F9) is 224×.
            max_archive_bytes: 4 << 30,
            max_archive_ratio: 100.0,
            max_archive_entries: 10_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TilesConfig {
    /// `Cache-Control: max-age` of tiles, in seconds.
    pub max_age_s: u32,
    /// Decoded source tiles kept for reprojection and format conversion, in MiB.
    pub decoded_cache_mb: u64,
    /// Encoded reprojected (e.g. WebMercatorQuad) tiles kept, in MiB.
    pub rendered_cache_mb: u64,
    /// Stored native tiles (the JPEG bytes of a chunk's grid tile) kept
    /// when the imagery is on an object store, in MiB: a hit costs no GET.
    /// Local files are read from the page cache and never kept here.
    pub stored_cache_mb: u64,
    /// Parsed COG headers kept in memory.
    pub cog_header_cache: usize,
    pub jpeg_quality: u8,
    pub webp_quality: u8,
}

impl Default for TilesConfig {
    fn default() -> Self {
        TilesConfig {
            max_age_s: 3600,
            decoded_cache_mb: 256,
            rendered_cache_mb: 128,
            stored_cache_mb: 128,
            cog_header_cache: 8192,
            jpeg_quality: 85,
            webp_quality: 80,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceConfig {
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_: String,
    /// The title and abstract in English, for capabilities asked with
    /// LANGUAGE=eng (INSPIRE). Left out of a configuration file, they are
    /// absent (the French ones answer): a default English text would not
    /// match a configured French one.
    #[serde(default)]
    pub title_en: Option<String>,
    #[serde(default, rename = "abstract_en")]
    pub abstract_en: Option<String>,
    pub provider_name: String,
    pub provider_site: String,
    pub contact_email: String,
}

impl ServiceConfig {
    /// The title and abstract: in English where configured when `english`
    /// (each falling back to the French one), else in French.
    pub fn texts(&self, english: bool) -> (&str, &str) {
        if english {
            (
                self.title_en.as_deref().unwrap_or(&self.title),
                self.abstract_en.as_deref().unwrap_or(&self.abstract_),
            )
        } else {
            (&self.title, &self.abstract_)
        }
    }
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            title: "GéoCentre — orthophotographie régionale".into(),
            abstract_: "Orthophotographie partagée de la région (géocommun PCRS image) servie par geocentre.".into(),
            title_en: Some("GéoCentre — regional orthophotography".into()),
            abstract_en: Some(
                "The region's shared orthophotography (PCRS image commons) served by geocentre."
                    .into(),
            ),
            provider_name: "Plateforme régionale GéoCentre".into(),
            provider_site: "http://127.0.0.1:8080/".into(),
            contact_email: "contact@example.org".into(),
        }
    }
}

/// How servers read layers published from PostGIS tables and views
/// (`geocentre vector connect`, `[postgis]`). Each distinct connection (a
/// database as the dataset records it) gets its own pool.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PostgisConfig {
    /// Connections one server keeps to one database, at most.
    pub max_connections: u32,
    /// A query running longer is cancelled by PostgreSQL (its request
    /// answers 503).
    pub statement_timeout_ms: u64,
    /// How long a request waits for a connection (the database down or all
    /// connections busy) before its 503.
    pub connect_timeout_ms: u64,
}

impl Default for PostgisConfig {
    fn default() -> Self {
        PostgisConfig {
            max_connections: 8,
            statement_timeout_ms: 30_000,
            connect_timeout_ms: 5_000,
        }
    }
}

impl Config {
    /// Reads `path` if given; otherwise `geocentre.toml` in the working
    /// directory if present; otherwise defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("geocentre.toml"), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::default())
            }
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        let cfg: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.clone(),
            message: e.to_string(),
        })?;
        cfg.validate()
            .map_err(|message| ConfigError::Parse { path, message })?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), String> {
        // Checked against a placeholder directory: only the syntax matters here.
        parse_catalog(&self.store.catalog, Path::new("."))?;
        parse_blobs(&self.store.blobs, Path::new("."))?;
        if let Some(bad) = self
            .server
            .allowed_hosts
            .iter()
            .find(|h| split_host(h).is_none())
        {
            return Err(format!(
                "server.allowed_hosts: '{bad}' is not a host name with an optional port (such as geo.example.org or geo.example.org:8443)"
            ));
        }
        let t = self.store.s3.read_timeout_s;
        if !(t.is_finite() && (0.1..=600.0).contains(&t)) {
            return Err(
                "store.s3.read_timeout_s must be a number of seconds from 0.1 to 600".into(),
            );
        }
        if self.postgis.max_connections == 0 {
            return Err("postgis.max_connections must be at least 1".into());
        }
        if !(1..=6).contains(&self.ingest.chunk_tiles_log2) {
            return Err("ingest.chunk_tiles_log2 must be between 1 and 6".into());
        }
        for (k, q) in [
            ("ingest.jpeg_quality", self.ingest.jpeg_quality),
            ("tiles.jpeg_quality", self.tiles.jpeg_quality),
            ("tiles.webp_quality", self.tiles.webp_quality),
        ] {
            if !(1..=100).contains(&q) {
                return Err(format!("{k} must be between 1 and 100"));
            }
        }
        if self.ingest.max_archive_bytes == 0 || self.ingest.max_archive_entries == 0 {
            return Err(
                "ingest.max_archive_bytes and ingest.max_archive_entries must be positive".into(),
            );
        }
        if !(self.ingest.max_archive_ratio.is_finite() && self.ingest.max_archive_ratio >= 1.0) {
            return Err("ingest.max_archive_ratio must be a number of at least 1".into());
        }
        if ![
            "near",
            "bilinear",
            "cubic",
            "cubicspline",
            "lanczos",
            "average",
        ]
        .contains(&self.ingest.resampling.as_str())
        {
            return Err("ingest.resampling must be one of near, bilinear, cubic, cubicspline, lanczos, average".into());
        }
        for (k, v) in [
            ("limits.max_map_layers", self.limits.max_map_layers as u64),
            ("limits.render_budget_ms", self.limits.render_budget_ms),
            ("limits.render_pixels", self.limits.render_pixels),
            (
                "limits.header_read_timeout_ms",
                self.limits.header_read_timeout_ms,
            ),
            ("limits.keepalive_idle_s", self.limits.keepalive_idle_s),
            ("limits.max_connections", self.limits.max_connections as u64),
            (
                "limits.blocking_threads",
                self.limits.blocking_threads as u64,
            ),
        ] {
            if v == 0 {
                return Err(format!("{k} must be at least 1"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_deployment_configuration_reads() {
        // deploy/geocentre.toml.example is what docs/deployment.md tells
        // operators to start from: it must stay valid.
        let text = include_str!("../../../deploy/geocentre.toml.example");
        let c: Config = toml::from_str(text).unwrap();
        c.validate().unwrap();
        assert_eq!(
            c.store.blob_location(Path::new("/var/lib/geocentre")),
            Ok(BlobLocation::S3 {
                bucket: "geocentre-region".into(),
                prefix: "prod".into()
            })
        );
        assert_eq!(c.limits.max_connections_per_client, 0);
        assert_eq!(c.store.s3.read_timeout_s, 5.0);
    }

    #[test]
    fn s3_read_timeout_read_and_checked() {
        let c: Config = toml::from_str("[store.s3]\nread_timeout_s = 1.5").unwrap();
        assert!(c.validate().is_ok());
        assert_eq!(c.store.s3.read_timeout_s, 1.5);
        assert_eq!(Config::default().store.s3.read_timeout_s, 5.0);
        for bad in ["0", "0.01", "-1", "601", "nan", "inf"] {
            let c: Config = toml::from_str(&format!("[store.s3]\nread_timeout_s = {bad}")).unwrap();
            let e = c.validate().unwrap_err();
            assert!(e.contains("store.s3.read_timeout_s"), "{bad}: {e}");
        }
    }

    #[test]
    fn store_locations_parse_and_refuse() {
        let d = Path::new("/data");
        assert_eq!(
            parse_catalog("", d).unwrap(),
            CatalogLocation::Sqlite("/data/catalog.sqlite".into())
        );
        assert_eq!(
            parse_catalog("sqlite:other.db", d).unwrap(),
            CatalogLocation::Sqlite("/data/other.db".into())
        );
        assert_eq!(
            parse_catalog("sqlite:///abs/c.db", d).unwrap(),
            CatalogLocation::Sqlite("/abs/c.db".into())
        );
        assert!(matches!(
            parse_catalog("postgres://u:p@h/db", d).unwrap(),
            CatalogLocation::Postgres(_)
        ));
        // The password never reaches the message.
        let e = parse_catalog("mysql://u:secret@h/db", d).unwrap_err();
        assert!(!e.contains("secret"), "{e}");
        assert_eq!(
            parse_blobs("s3://geo-bucket/region/ortho/", d).unwrap(),
            BlobLocation::S3 {
                bucket: "geo-bucket".into(),
                prefix: "region/ortho".into()
            }
        );
        assert_eq!(
            parse_blobs("", d).unwrap(),
            BlobLocation::Local("/data/objects".into())
        );
        for bad in ["s3://Up/x", "s3://ab", "s3://bucket/../x", "http://x/y"] {
            assert!(parse_blobs(bad, d).is_err(), "{bad}");
        }
    }

    #[test]
    fn english_texts_only_where_configured() {
        let d = ServiceConfig::default();
        assert!(d.texts(true).0.contains("regional orthophotography"));
        assert_eq!(d.texts(false).0, d.title);
        // A file that sets the French title without an English one: the
        // French answers, not the default English text.
        let c: Config = toml::from_str("[service]\ntitle = \"Ma plateforme\"\n").unwrap();
        assert_eq!(
            c.service.texts(true),
            ("Ma plateforme", c.service.abstract_.as_str())
        );
        assert_eq!(c.service.abstract_en, None);
    }

    #[test]
    fn unknown_key_is_an_error() {
        let e = toml::from_str::<Config>("[server]\nbindd = 'x'").unwrap_err();
        assert!(e.to_string().contains("bindd"));
    }

    #[test]
    fn host_allow_list() {
        let c: Config = toml::from_str(
            "[server]\nallowed_hosts = ['geo.example.org', 'maps.example.org:8443', '[::1]:8080']",
        )
        .unwrap();
        assert!(c.validate().is_ok());
        let s = &c.server;
        for ok in [
            "geo.example.org",
            "GEO.example.org:8080",
            "maps.example.org:8443",
            "[::1]:8080",
        ] {
            assert!(s.allows_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "maps.example.org",
            "maps.example.org:9999",
            "geo.example.org.evil.example",
            "geo.example.org:0",
            "geo.example.org:x",
            "[::1]",
            "geo.example.org\"><script>",
            "",
        ] {
            assert!(!s.allows_host(bad), "{bad}");
        }
        // Empty: any Host, as the demo needs.
        assert!(ServerConfig::default().allows_host("evil.example:80"));
        for entry in [
            "http://geo.example.org/",
            "geo.example.org/wms",
            "",
            "a b",
            "x:99999",
        ] {
            let c: Config =
                toml::from_str(&format!("[server]\nallowed_hosts = ['{entry}']")).unwrap();
            let e = c.validate().unwrap_err();
            assert!(e.contains("allowed_hosts"), "{entry}: {e}");
        }
    }

    #[test]
    fn request_limits_read_and_checked() {
        let c: Config =
            toml::from_str("[limits]\nmax_map_layers = 4\nrender_concurrency = 3").unwrap();
        assert!(c.validate().is_ok());
        assert_eq!((c.limits.max_map_layers, c.limits.render_slots()), (4, 3));
        for key in [
            "max_map_layers",
            "render_budget_ms",
            "render_pixels",
            "header_read_timeout_ms",
            "keepalive_idle_s",
            "max_connections",
            "blocking_threads",
        ] {
            let c: Config = toml::from_str(&format!("[limits]\n{key} = 0")).unwrap();
            let e = c.validate().unwrap_err();
            assert!(e.contains(&format!("limits.{key}")), "{key}: {e}");
        }
        assert!(toml::from_str::<Config>("[limits]\nmax_map_layer = 4").is_err());
    }

    #[test]
    fn archive_limits_read_and_checked() {
        let c: Config = toml::from_str(
            "[ingest]\nmax_archive_bytes = 1000\nmax_archive_ratio = 20\nmax_archive_entries = 5",
        )
        .unwrap();
        assert_eq!(
            (
                c.ingest.max_archive_bytes,
                c.ingest.max_archive_ratio,
                c.ingest.max_archive_entries
            ),
            (1000, 20.0, 5)
        );
        assert!(c.validate().is_ok());
        for bad in [
            "max_archive_ratio = 0.5",
            "max_archive_ratio = nan",
            "max_archive_bytes = 0",
            "max_archive_entries = 0",
        ] {
            let c: Config = toml::from_str(&format!("[ingest]\n{bad}")).unwrap();
            assert!(c.validate().unwrap_err().contains("max_archive"), "{bad}");
        }
    }

    #[test]
    fn empty_file_gives_defaults() {
        let c: Config = toml::from_str("").unwrap();
        assert_eq!(c.ingest.chunk_tiles_log2, 4);
        assert!(c.validate().is_ok());
    }
}
