//! `geocentre`: the regional SDI in one binary.

mod catalog_cmd;
mod copy_cmd;
mod demo;
mod demo_vector;
mod group_cmd;
mod ortho_cmd;
mod out;
mod progress;
mod style_cmd;
mod synth_cmd;
mod vector_cmd;

use anyhow::Context;
use clap::{Parser, Subcommand};
use geocentre_blob::BlobStore;
use geocentre_core::config::{redact_url, CatalogLocation, LogFormat};
use geocentre_core::Config;
use geocentre_raster::TileService;
use geocentre_registry::{Migrate, Registry};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "geocentre",
    version,
    about = "Regional spatial data infrastructure: orthophoto géocommun, OGC services, published data."
)]
struct Cli {
    /// Where the registry and stored rasters live.
    #[arg(
        long,
        global = true,
        env = "GEOCENTRE_DATA_DIR",
        default_value = "./geocentre-data"
    )]
    data_dir: PathBuf,
    /// Configuration file (default: ./geocentre.toml if present).
    #[arg(long, global = true, env = "GEOCENTRE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the published data over HTTP (OGC services, viewer, API).
    Serve {
        /// Address to listen on (default: server.bind of the configuration).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Build the demo region from the repository's data/ (derived dalles included) and serve it.
    Demo {
        #[arg(long)]
        bind: Option<String>,
        /// The demo's real data: the repository's data/ folder (admin/, ortho/, pcrs/).
        #[arg(long, default_value = "data")]
        source: PathBuf,
        /// Prepare the data, then exit without serving.
        #[arg(long)]
        no_serve: bool,
        /// The data folder of @etalab/decoupage-administratif (EPCI membership).
        #[arg(long, default_value = demo_vector::DECOUPAGE_DATA)]
        decoupage: PathBuf,
    },
    /// Orthophotography: ingest producer dalles, list vintages.
    Ortho {
        #[command(subcommand)]
        command: ortho_cmd::OrthoCommand,
    },
    /// Vector data: ingest datasets, list them.
    Vector {
        #[command(subcommand)]
        command: vector_cmd::VectorCommand,
    },
    /// Layer groups: one WMS layer name for several layers (set, list, remove).
    Group {
        #[command(subcommand)]
        command: group_cmd::GroupCommand,
    },
    /// The metadata catalog: import records (ISO 19139, Dublin Core), remove them.
    Catalog {
        #[command(subcommand)]
        command: catalog_cmd::CatalogCommand,
    },
    /// Create or upgrade the registry database ([store] catalog: the
    /// embedded SQLite file, or a shared PostgreSQL database, which the
    /// other commands only check).
    Migrate,
    /// Copy this installation's registry, stored objects and published
    /// files to other stores (SQLite/files ↔ PostgreSQL/S3), either way;
    /// the target registry must be empty (docs/deployment.md).
    CopyStore(copy_cmd::CopyArgs),
    /// Fill an empty registry with a SYNTHETIC full-region catalog (10^6
    /// dalles per vintage) for the scale measurements (docs/benchmarks.md).
    #[command(hide = true)]
    SynthRegion(synth_cmd::SynthArgs),
    /// List the HTTP routes the server answers (what the hostile-input
    /// tests probe).
    Routes {
        #[arg(long)]
        json: bool,
    },
}

fn init_tracing(default: &str, format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        // One JSON object per line, for log collectors.
        LogFormat::Json => fmt.json().flatten_event(true).init(),
        LogFormat::Text => fmt.init(),
    }
}

pub struct Env {
    pub config: Config,
    pub registry: Registry,
    pub blobs: BlobStore,
    pub data_dir: PathBuf,
}

/// Whether opening `catalog` may migrate it: the embedded database
/// belongs to its data directory and is brought up to date by whoever opens
/// it; a shared one is migrated once, by `geocentre migrate` (`migrate`),
/// before replicas of a new version start.
pub(crate) fn migrate_for(catalog: &CatalogLocation, migrate: bool) -> Migrate {
    match (catalog, migrate) {
        (CatalogLocation::Sqlite(_), _) | (_, true) => Migrate::Apply,
        (CatalogLocation::Postgres(_), false) => Migrate::Check,
    }
}

async fn open_env(data_dir: &Path, config: Option<&Path>, migrate: bool) -> anyhow::Result<Env> {
    let config = Config::load(config)?;
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    let catalog = config
        .store
        .catalog_location(data_dir)
        .map_err(anyhow::Error::msg)?;
    let registry = Registry::connect(&catalog, migrate_for(&catalog, migrate))
        .await
        .with_context(|| match &catalog {
            CatalogLocation::Sqlite(p) => format!("cannot open the registry {}", p.display()),
            CatalogLocation::Postgres(url) => {
                format!("cannot open the registry {}", redact_url(url))
            }
        })?;
    let blob_location = config
        .store
        .blob_location(data_dir)
        .map_err(anyhow::Error::msg)?;
    let blobs = BlobStore::open(&blob_location, &config.store.s3)?;
    geocentre_gdal::init(config.ingest.gdal_cache_mb);
    Ok(Env {
        config,
        registry,
        blobs,
        data_dir: data_dir.to_path_buf(),
    })
}

pub async fn serve(env: Env, bind: Option<String>) -> anyhow::Result<()> {
    let bind = bind.unwrap_or_else(|| env.config.server.bind.clone());
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let server = &env.config.server;
    let public = listener.local_addr().is_ok_and(|a| !a.ip().is_loopback());
    if public && server.public_url.trim().is_empty() && server.allowed_hosts.is_empty() {
        // Fine for a demo; behind a shared cache, a forged Host would be
        // written into the links other clients get.
        tracing::warn!(
            %bind,
            "serving on a non-loopback address with neither server.public_url nor \
             server.allowed_hosts set: capabilities and links take their address from each \
             request's Host header; set one of them (docs/configuration.md)"
        );
    }
    // A serving read waits at most store.s3.read_timeout_s for the object
    // store (a hung store answers 503, not a hang); the CLI's are unbounded.
    let blobs = env
        .blobs
        .clone()
        .with_read_timeout(std::time::Duration::from_secs_f64(
            env.config.store.s3.read_timeout_s,
        ));
    let tiles = TileService::new(blobs, env.config.tiles.clone());
    // Each layer is read where it lives: its GeoPackage, or the PostGIS
    // table it was connected to (`vector connect`).
    // With blobs in a bucket, the GeoPackages are there too, and this
    // server keeps a bounded local copy of those it serves.
    let gpkg = if env.blobs.backend() == "s3" {
        let store = &env.config.store;
        let cache = geocentre_features::gpkg_cache::GpkgCache::open(
            &store.gpkg_cache_dir(&env.data_dir),
            store.gpkg_cache_mb.saturating_mul(1 << 20),
            env.blobs.clone(),
        )
        .context("cannot open the GeoPackage cache ([store] gpkg_cache_dir)")?;
        geocentre_features::store::GpkgStore::cached(cache)
    } else {
        geocentre_features::store::GpkgStore::new(&env.data_dir)
    };
    let features = std::sync::Arc::new(geocentre_features::store::DatasetStores {
        gpkg,
        postgis: geocentre_features::postgis::PostgisStore::new(&env.config.postgis)
            .context("cannot start the PostGIS connections' runtime")?,
    });
    let state = geocentre_server::AppState::new(env.config, env.registry, tiles, features);
    geocentre_server::serve(state, listener).await?;
    Ok(())
}

fn print_routes(json: bool) -> ExitCode {
    let routes = geocentre_server::routes();
    if json {
        match serde_json::to_string_pretty(&routes) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        for r in routes {
            println!("{:<5} {:<9} {}", r.group, r.methods.join(","), r.path);
        }
    }
    ExitCode::SUCCESS
}

fn runtime(workers: usize, blocking: usize) -> std::io::Result<tokio::runtime::Runtime> {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    if workers > 0 {
        b.worker_threads(workers);
    }
    b.max_blocking_threads(blocking.max(1));
    b.enable_all().build()
}

/// libcurl sends a request directly, past GDAL_HTTP_PROXY, to any host a
/// NO_PROXY (or no_proxy) environment variable names: an ingest runs
/// without them, so that the closed proxy of
/// [`geocentre_gdal::forbid_network`] catches every request. Done before
/// any thread starts (the environment is not thread-safe to change).
fn clear_proxy_exceptions() {
    for k in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(k);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Routes { json } = cli.command {
        return print_routes(json);
    }
    let ingesting = matches!(
        cli.command,
        Command::Ortho {
            command: ortho_cmd::OrthoCommand::Ingest { .. }
        } | Command::Vector {
            command: vector_cmd::VectorCommand::Ingest { .. }
        }
    );
    if ingesting {
        clear_proxy_exceptions();
    }
    let serving = matches!(cli.command, Command::Serve { .. } | Command::Demo { .. });
    // A configuration that does not read is reported by open_env below.
    let config = Config::load(cli.config.as_deref()).ok();
    init_tracing(
        if serving { "info" } else { "warn" },
        config.as_ref().map_or(LogFormat::Text, |c| c.log.format),
    );
    let (workers, blocking) = config
        .as_ref()
        .map_or((0, 64), |c| (c.server.workers, c.limits.blocking_threads));
    // Before the runtime starts its threads.
    geocentre_gdal::limit_malloc_arenas(config.as_ref().map_or(8, |c| c.limits.malloc_arenas));
    let rt = match runtime(workers, blocking) {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result: anyhow::Result<u8> = rt.block_on(async {
        let migrating = matches!(cli.command, Command::Migrate);
        let env = open_env(&cli.data_dir, cli.config.as_deref(), migrating).await?;
        match cli.command {
            Command::Serve { bind } => serve(env, bind).await.map(|_| 0),
            Command::Demo {
                bind,
                source,
                no_serve,
                decoupage,
            } => {
                demo::prepare(&env, &source).await?;
                demo_vector::prepare(&env, &source, &decoupage).await?;
                if no_serve {
                    return Ok(0);
                }
                let mut env = env;
                // The demo's territory is its data's region.
                env.config.indicators.region =
                    source.join("admin/region-centre-val-de-loire.geojson");
                serve(env, bind).await.map(|_| 0)
            }
            Command::Ortho { command } => ortho_cmd::run(&env, command).await,
            Command::Vector { command } => vector_cmd::run(&env, command).await,
            Command::Group { command } => group_cmd::run(&env, command).await,
            Command::Catalog { command } => catalog_cmd::run(&env, command).await,
            Command::Migrate => {
                // open_env applied what was missing.
                println!(
                    "registry {} ({}) at schema version {}",
                    env.registry.shown(),
                    env.registry.backend().as_str(),
                    env.registry.applied_version().await?
                );
                Ok(0)
            }
            Command::SynthRegion(a) => synth_cmd::run(&env, a).await,
            Command::CopyStore(a) => copy_cmd::run(&env, a).await,
            Command::Routes { .. } => Ok(0),
        }
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
