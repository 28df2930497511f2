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
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: "127.0.0.1:8080".into(),
            public_url: String::new(),
            workers: 0,
            catalog_poll_ms: 1000,
        }
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
    pub provider_name: String,
    pub provider_site: String,
    pub contact_email: String,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            title: "GéoCentre — orthophotographie régionale".into(),
            abstract_: "Orthophotographie partagée de la région (géocommun PCRS image) servie par geocentre.".into(),
            provider_name: "Plateforme régionale GéoCentre".into(),
            provider_site: "http://127.0.0.1:8080/".into(),
            contact_email: "contact@example.org".into(),
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error() {
        let e = toml::from_str::<Config>("[server]\nbindd = 'x'").unwrap_err();
        assert!(e.to_string().contains("bindd"));
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
