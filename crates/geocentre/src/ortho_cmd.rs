//! `geocentre ortho …`

use crate::out::outln;
use crate::Env;
use clap::Subcommand;
use geocentre_core::Resampling;
use geocentre_raster::ingest::IngestRequest;
use geocentre_raster::IngestReport;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum OrthoCommand {
    /// Ingest producer dalles (GeoTIFF, JPEG 2000) as a vintage of a layer.
    /// Exit status: 0 all files ingested, 3 some rejected and the rest
    /// published, 1 nothing published.
    Ingest {
        #[arg(long)]
        layer: String,
        #[arg(long)]
        vintage: i32,
        #[arg(long)]
        producer: Option<String>,
        /// Painting priority in the layer's composite: a higher priority
        /// is drawn over a lower one; at equal priority the newer vintage wins.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        priority: i64,
        /// Acquisition date of the flight (YYYY-MM-DD), shown to reviewers.
        #[arg(long)]
        acquired: Option<String>,
        /// Layer title (kept from earlier ingests when omitted).
        #[arg(long)]
        title: Option<String>,
        /// CRS to assume for every file, replacing a missing or wrong one (EPSG:N).
        #[arg(long, value_parser = parse_epsg)]
        crs: Option<u32>,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Change how a layer is served.
    Layer {
        #[arg(long)]
        name: String,
        /// Resampling of maps that are not on the layer's grid: bilinear
        /// (default, for photographs) or nearest (exact pixel values).
        #[arg(long, value_parser = parse_resampling)]
        resampling: Option<Resampling>,
    },
    /// List layers, vintages and unfinished ingests.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete the stored files of superseded and failed ingests and
    /// composite versions dead for longer than the grace period (each
    /// ingest also does it). Prints what it removed as JSON.
    Gc {
        /// Seconds a superseded file stays for servers still reading it.
        #[arg(long, default_value_t = geocentre_raster::ingest::GC_GRACE_S)]
        grace_s: i64,
        /// First mark every ingest and composite version still building as
        /// failed, so that their files are collected too: for runs killed
        /// and never resumed. Only when no ingest is running.
        #[arg(long)]
        abandon_building: bool,
    },
}

fn parse_resampling(s: &str) -> Result<Resampling, String> {
    Resampling::parse(s).ok_or_else(|| format!("'{s}' is not nearest or bilinear"))
}

pub fn parse_epsg(s: &str) -> Result<u32, String> {
    let code = s
        .strip_prefix("EPSG:")
        .or_else(|| s.strip_prefix("epsg:"))
        .unwrap_or(s);
    code.parse::<u32>()
        .ok()
        .filter(|c| (1024..=32767).contains(c))
        .ok_or_else(|| format!("'{s}' is not an EPSG code like EPSG:2154"))
}

pub async fn run(env: &Env, cmd: OrthoCommand) -> anyhow::Result<u8> {
    match cmd {
        OrthoCommand::Ingest {
            layer,
            vintage,
            producer,
            priority,
            acquired,
            title,
            crs,
            json,
            paths,
        } => {
            // A delivered file may name URLs (a GeoJSON `crs` link, a GML
            // schema, a VRT): an ingest sends no request at all.
            geocentre_gdal::forbid_network();
            let req = IngestRequest {
                layer,
                title,
                vintage,
                producer,
                crs,
                priority,
                acquired,
                paths,
                progress: crate::progress::reporter(json),
            };
            let report =
                geocentre_raster::ingest(&env.registry, &env.blobs, &env.config.ingest, req)
                    .await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_report(&report);
            }
            Ok(report.exit_code() as u8)
        }
        OrthoCommand::Layer { name, resampling } => {
            if let Some(r) = resampling {
                if !env.registry.set_ortho_resampling(&name, r).await? {
                    anyhow::bail!(
                        "no orthophoto layer named '{name}' (see `geocentre ortho list`)"
                    );
                }
                outln!("{name} : rééchantillonnage {}", r.as_str());
            }
            Ok(0)
        }
        OrthoCommand::List { json } => {
            list(env, json).await?;
            Ok(0)
        }
        OrthoCommand::Gc {
            grace_s,
            abandon_building,
        } => {
            let abandoned = if abandon_building {
                Some(env.registry.abandon_building().await?)
            } else {
                None
            };
            let removed =
                geocentre_raster::ingest::gc_dead_after(&env.registry, &env.blobs, grace_s.max(0))
                    .await?;
            let mut out = serde_json::to_value(&removed)?;
            if let (Some((ingests, composites)), Some(o)) = (abandoned, out.as_object_mut()) {
                o.insert(
                    "abandoned".into(),
                    serde_json::json!({ "ingests": ingests, "composite_versions": composites }),
                );
            }
            outln!("{}", serde_json::to_string_pretty(&out)?);
            Ok(0)
        }
    }
}

pub fn print_report(r: &IngestReport) {
    outln!(
        "Rapport de livraison — {}-{} (ingest {})",
        r.layer,
        r.vintage,
        r.ingest_id
    );
    for f in &r.files {
        if f.status == "ingested" {
            outln!(
                "  OK      {}  {} {}×{} {} bandes ({}) {} bloc {} {} {} pixel {} m{}",
                f.path,
                f.format.as_deref().unwrap_or("?"),
                f.width.unwrap_or(0),
                f.height.unwrap_or(0),
                f.bands.unwrap_or(0),
                f.color_interp.join("/"),
                f.data_type.as_deref().unwrap_or("?"),
                f.block_size
                    .map(|b| format!("{}×{}", b[0], b[1]))
                    .unwrap_or_default(),
                f.compression.as_deref().unwrap_or("-"),
                f.crs.as_deref().unwrap_or("?"),
                f.pixel_size
                    .map(|p| format!("{:.3}", p[0]))
                    .unwrap_or_default(),
                f.crs_note
                    .as_ref()
                    .map(|n| format!(" [{n}]"))
                    .unwrap_or_default(),
            );
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
    let t = &r.totals;
    outln!(
        "{} : {}/{} image(s) intégrée(s), niveau natif {} ({} m), {} dalle(s) COG ({} construites), {:.1} s",
        match r.status {
            "published" => "Publié",
            "partial" => "Publié partiellement",
            _ => "Échec, rien n'est publié",
        },
        t.ingested,
        t.ingested + t.rejected,
        r.native_level.map(|l| l.to_string()).unwrap_or("-".into()),
        r.resolution_m.map(|m| format!("{m}")).unwrap_or("-".into()),
        r.chunks,
        r.chunks_built,
        r.elapsed_s
    );
    outln!("{}", t.line());
    if let Some(c) = &r.composite {
        outln!(
            "Mosaïque {} ({}) : zone modifiée {:.3} km², {} tuile(s) réécrite(s) — {} dalle(s) COG écrite(s), {} partagée(s) avec le millésime, {} vidée(s) ; ordre de superposition {:?}",
            r.layer,
            if c.full_rebuild { "construite en entier" } else { "mise à jour différentielle" },
            c.changed_area_km2,
            c.tiles_rewritten,
            c.chunks_written,
            c.chunks_shared,
            c.chunks_emptied,
            c.painting_order
        );
    }
}

async fn list(env: &Env, json: bool) -> anyhow::Result<()> {
    let rows = env.registry.list_ingests().await?;
    let mut layers: std::collections::BTreeMap<String, Vec<serde_json::Value>> = Default::default();
    let mut pending = Vec::new();
    for r in &rows {
        let v = serde_json::json!({
            "layer": r.layer, "vintage": r.vintage, "ingest_id": r.ingest_id, "state": r.state,
            "files": r.files, "rejected": r.rejected, "chunks": r.chunks, "native_level": r.native_level,
            "producer": r.producer, "created_at": r.created_at, "published_at": r.published_at,
        });
        match r.state.as_str() {
            "published" => layers.entry(r.layer.clone()).or_default().push(v),
            "building" => pending.push(v),
            _ => {}
        }
    }
    if json {
        let layers: Vec<_> = layers
            .into_iter()
            .map(|(name, vintages)| serde_json::json!({"name": name, "vintages": vintages}))
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"layers": layers, "pending": pending})
            )?
        );
        return Ok(());
    }
    if layers.is_empty() {
        outln!("Aucune orthophotographie publiée.");
    }
    for (name, vintages) in &layers {
        outln!("{name}");
        for v in vintages {
            outln!(
                "  {}  ingest {}  {} fichier(s), {} rejeté(s), {} dalle(s) COG, niveau {}  publié {}",
                v["vintage"], v["ingest_id"], v["files"], v["rejected"], v["chunks"], v["native_level"],
                v["published_at"].as_str().unwrap_or("")
            );
        }
    }
    for p in &pending {
        outln!(
            "En cours (interrompu ?) : {}-{} ingest {} — relancer la même commande reprend le travail",
            p["layer"].as_str().unwrap_or(""),
            p["vintage"],
            p["ingest_id"]
        );
    }
    Ok(())
}
