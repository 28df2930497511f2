//! `geocentre vector …`

use crate::out::outln;
use crate::Env;
use clap::Subcommand;
use geocentre_features::{VectorIngestReport, VectorIngestRequest};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum VectorCommand {
    /// Ingest vector files (GeoPackage, Shapefile plain or zipped, GeoJSON,
    /// CSV, KML, GML incl. PCRS) as a dataset; each layer or feature class
    /// becomes a layer of it. Re-ingesting replaces the dataset atomically.
    /// Exit status: 0 all files ingested, 3 some rejected, 1 nothing published.
    Ingest {
        #[arg(long)]
        dataset: String,
        #[arg(long)]
        title: Option<String>,
        /// CRS to assume (replaces a missing or wrong one), EPSG:N.
        #[arg(long, value_parser = crate::ortho_cmd::parse_epsg)]
        crs: Option<u32>,
        /// Repair invalid geometries (they are always reported).
        #[arg(long)]
        repair: bool,
        /// Store the data reprojected to this CRS (EPSG:N), e.g. Lambert-93.
        #[arg(long, value_parser = crate::ortho_cmd::parse_epsg)]
        reproject: Option<u32>,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Publish PostGIS tables or views as a dataset, read in place (not
    /// copied): every service serves them like an ingested dataset. A
    /// re-run reads their schema, extent and count again. The URL is
    /// recorded without its password: servers find it in ~/.pgpass,
    /// PGPASSFILE or PGPASSWORD (docs/configuration.md).
    Connect {
        #[arg(long)]
        dataset: String,
        #[arg(long)]
        title: Option<String>,
        /// postgres://user[:password]@host[:port]/database[?sslmode=…]
        #[arg(long = "postgres", value_name = "URL")]
        url: String,
        /// [schema.]table or view, each a layer (repeat for several).
        #[arg(long = "table", required = true, value_name = "[SCHEMA.]TABLE")]
        tables: Vec<String>,
        /// The unique integer column identifying features, for views and
        /// tables without a single-column integer primary key.
        #[arg(long, value_name = "COLUMN")]
        fid: Option<String>,
        /// The geometry column, where a table has several (default: the first).
        #[arg(long, value_name = "COLUMN")]
        geometry: Option<String>,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// List the published datasets and their layers.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete the GeoPackages (local files, or objects in the bucket) of
    /// superseded and failed ingests dead for longer than the grace period
    /// (each ingest also does it). Prints what it removed as JSON.
    Gc {
        /// Seconds a superseded file stays for servers still reading it.
        #[arg(long, default_value_t = geocentre_features::ingest::GC_GRACE_S)]
        grace_s: i64,
    },
    /// Store a layer's style (docs/styles.md; --sld imports SLD 1.0 / SE 1.1),
    /// checked against the layer, or remove it (--reset).
    Style(crate::style_cmd::StyleArgs),
}

pub async fn run(env: &Env, cmd: VectorCommand) -> anyhow::Result<u8> {
    match cmd {
        VectorCommand::Ingest {
            dataset,
            title,
            crs,
            repair,
            reproject,
            json,
            paths,
        } => {
            // A delivered file may name URLs (a GeoJSON `crs` link, a GML
            // schema, a VRT): an ingest sends no request at all.
            geocentre_gdal::forbid_network();
            let req = VectorIngestRequest {
                dataset,
                title,
                crs,
                repair,
                reproject,
                paths,
                archive_limits: geocentre_features::ingest::archive_limits(&env.config.ingest),
                progress: crate::progress::reporter(json),
            };
            let report =
                geocentre_features::ingest(&env.registry, &env.data_dir, &env.blobs, req).await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_report(&report);
            }
            Ok(report.exit_code() as u8)
        }
        VectorCommand::Connect {
            dataset,
            title,
            url,
            tables,
            fid,
            geometry,
            json,
        } => {
            let req = geocentre_features::postgis::connect::ConnectRequest {
                dataset,
                title,
                url,
                tables,
                fid,
                geometry,
            };
            let report = geocentre_features::postgis::connect::connect(
                &env.registry,
                &env.data_dir,
                &env.blobs,
                req,
            )
            .await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                outln!(
                    "Publié : {} (ingest {}), {} couche(s), {} entité(s), lues en place dans {}",
                    report.dataset,
                    report.ingest_id,
                    report.layers.len(),
                    report.features,
                    report.connection
                );
                for l in &report.layers {
                    let src = l.postgis.as_ref();
                    outln!(
                        "  {} ← {}.{} : {} entité(s), {}, EPSG:{}{}",
                        l.name,
                        crate::out::shown(src.map_or("", |s| s.schema.as_str())),
                        crate::out::shown(src.map_or("", |s| s.table.as_str())),
                        l.feature_count,
                        l.geometry_type,
                        l.srid,
                        if l.has_z { ", 3D" } else { "" }
                    );
                }
                for w in &report.warnings {
                    outln!("  attention : {}", crate::out::shown(w));
                }
            }
            Ok(0)
        }
        VectorCommand::Gc { grace_s } => {
            let removed = geocentre_features::ingest::gc_dead_after(
                &env.registry,
                &env.data_dir,
                &env.blobs,
                grace_s.max(0),
            )
            .await?;
            outln!("{}", serde_json::to_string_pretty(&removed)?);
            Ok(0)
        }
        VectorCommand::Style(args) => crate::style_cmd::run(env, args).await,
        VectorCommand::List { json } => {
            let sets = env.registry.vector_datasets().await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&sets)?);
                return Ok(0);
            }
            if sets.is_empty() {
                outln!("Aucun jeu de données vecteur publié.");
            }
            for d in sets {
                outln!("{} — {} (ingest {})", d.name, d.title, d.ingest_id);
                for l in d.layers {
                    outln!(
                        "  {}  {} entité(s), {}, EPSG:{}{}",
                        l.name,
                        l.feature_count,
                        l.geometry_type,
                        l.srid,
                        if l.has_z { ", 3D" } else { "" }
                    );
                }
            }
            Ok(0)
        }
    }
}

pub fn print_report(r: &VectorIngestReport) {
    outln!(
        "Rapport d'intégration — {} (ingest {})",
        r.dataset,
        r.ingest_id
    );
    for f in &r.files {
        if f.status == "ingested" {
            outln!(
                "  OK      {}  ({})",
                f.path,
                f.driver.as_deref().unwrap_or("?")
            );
            for l in &f.layers {
                let invalid = match (l.scan.invalid_geometries, l.repaired) {
                    (0, _) => String::new(),
                    (n, true) => format!(", {n} géométrie(s) invalide(s) réparée(s)"),
                    (n, false) => format!(
                        ", {n} géométrie(s) invalide(s) (non réparées ; --repair), ex. fid {:?}",
                        l.scan.invalid_examples
                    ),
                };
                outln!(
                    "          {} ← {} : {} entité(s), {}, EPSG:{}{}{}{}",
                    l.name,
                    crate::out::shown(&l.scan.source_layer),
                    l.scan.features,
                    l.scan.geometry_type,
                    l.scan.epsg.map_or("-".into(), |c| c.to_string()),
                    if l.scan.has_z { ", 3D" } else { "" },
                    invalid,
                    l.scan
                        .crs_note
                        .as_ref()
                        .map(|n| format!(" [{n}]"))
                        .unwrap_or_default()
                );
                for n in &l.column_notes {
                    outln!("            {}", crate::out::shown(&n.describe()));
                }
                // A name that is not an XML name is stored under a safe
                // one; the delivered name stays as the field's title.
                for r in &l.renamed {
                    outln!(
                        "            champ « {} » renommé en {} (nom XML valide ; le nom livré reste son titre)",
                        crate::out::shown(&r.from),
                        r.to
                    );
                }
            }
        } else if let Some(line) = crate::out::other_file(
            f.status,
            &f.path,
            f.kind.as_deref(),
            f.sidecar_of.as_deref(),
        ) {
            outln!("{line}");
        } else {
            outln!(
                "  REJETÉ  {}  {}: {}",
                f.path,
                f.code.map(|c| c.as_str()).unwrap_or("?"),
                f.reason.as_deref().unwrap_or("")
            );
        }
    }
    outln!("{}", r.totals.line());
    outln!(
        "{} : {} couche(s), {} entité(s), {:.1} s",
        match r.status {
            "published" => "Publié",
            "partial" => "Publié partiellement",
            _ => "Échec, rien n'est publié",
        },
        r.layers.len(),
        r.features,
        r.elapsed_s
    );
}
