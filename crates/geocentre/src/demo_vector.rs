//! The demo's vector reference layers: the region's administrative limits
//! (real, IGN ADMIN EXPRESS 2018, stored in Lambert-93), its EPCI (DERIVED:
//! unions of their member communes, membership from the npm package
//! `@etalab/decoupage-administratif`), and the real Lyon PCRS sample.

use crate::Env;
use anyhow::Context;
use gdal::vector::{Geometry, LayerAccess};
use gdal::Dataset;
use geocentre_features::{VectorIngestReport, VectorIngestRequest};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where `scripts/install-deps.sh` unpacks the npm package.
pub const DECOUPAGE_DATA: &str = ".cache/decoupage-administratif-6.0.0/package/data";

const ADMIN: [(&str, &str); 4] = [
    ("communes", "communes-centre-val-de-loire.geojson"),
    ("departements", "departements-centre-val-de-loire.geojson"),
    ("region", "region-centre-val-de-loire.geojson"),
    ("cantons", "cantons-centre-val-de-loire.geojson"),
];

/// Writes the region's EPCI as a GeoJSON (WGS 84). Returns the number of
/// EPCI and the member communes whose polygon was not found.
fn derive_epci(
    source: &Path,
    decoupage: &Path,
    out: &Path,
) -> anyhow::Result<(usize, Vec<String>)> {
    let read = |name: &str| -> anyhow::Result<serde_json::Value> {
        let p = decoupage.join(name);
        let text =
            std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", p.display()))
    };
    let epci = read("epci.json")?;
    let communes = read("communes.json")?;
    // Communes merged since 2018: their old code points at the new one.
    let mut merged_into: HashMap<String, String> = HashMap::new();
    for c in communes.as_array().into_iter().flatten() {
        if let (Some(code), Some(chef)) = (c["code"].as_str(), c["chefLieu"].as_str()) {
            merged_into.insert(code.to_string(), chef.to_string());
        }
    }
    let src = source.join("admin/communes-centre-val-de-loire.geojson");
    let ds = Dataset::open(&src).with_context(|| format!("cannot open {}", src.display()))?;
    let mut layer = ds.layer(0)?;
    let idx = layer.defn().field_index("code")?;
    let mut by_code: HashMap<String, Vec<Geometry>> = HashMap::new();
    for f in layer.features() {
        let (Ok(Some(code)), Some(g)) = (f.field_as_string(idx), geocentre_gdal::geometry_of(&f))
        else {
            continue;
        };
        let key = merged_into.get(&code).cloned().unwrap_or(code);
        by_code.entry(key).or_default().push(g.clone());
    }
    let mut features = Vec::new();
    let mut missing = Vec::new();
    for e in epci.as_array().into_iter().flatten() {
        let members: Vec<&str> = e["membres"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["code"].as_str())
            .collect();
        let in_region: Vec<&str> = members
            .iter()
            .copied()
            .filter(|c| c.len() == 5 && ["18", "28", "36", "37", "41", "45"].contains(&&c[..2]))
            .collect();
        if in_region.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        for c in &in_region {
            match by_code.get(*c) {
                Some(gs) => parts.extend(gs.iter().cloned()),
                None => missing.push(c.to_string()),
            }
        }
        let Some(g) = geocentre_geo::union::union_all(parts)? else {
            continue;
        };
        let geometry: serde_json::Value = serde_json::from_str(&g.json()?)?;
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "siren": e["code"], "nom": e["nom"], "type": e["type"],
                "population": e["populationTotale"], "communes": members.len() as i64,
                "communes_region": in_region.len() as i64,
            },
        }));
    }
    let n = features.len();
    let doc = serde_json::json!({
        "type": "FeatureCollection",
        "name": "epci",
        "description": "DERIVED: unions of the 2018 commune polygons (IGN ADMIN EXPRESS, data/admin) by EPCI membership of @etalab/decoupage-administratif 6.0.0",
        "features": features,
    });
    let tmp = out.with_extension("geojson.part");
    std::fs::write(&tmp, doc.to_string())?;
    std::fs::rename(&tmp, out)?;
    Ok((n, missing))
}

async fn ingest(env: &Env, req: VectorIngestRequest) -> anyhow::Result<VectorIngestReport> {
    let report = geocentre_features::ingest(&env.registry, &env.data_dir, &env.blobs, req).await?;
    crate::vector_cmd::print_report(&report);
    if report.exit_code() != 0 {
        anyhow::bail!(
            "demo ingest of dataset {} did not fully succeed",
            report.dataset
        );
    }
    Ok(report)
}

/// Loads what is not yet published.
pub async fn prepare(env: &Env, source: &Path, decoupage: &Path) -> anyhow::Result<()> {
    let published: Vec<String> = env
        .registry
        .vector_datasets()
        .await?
        .into_iter()
        .map(|d| d.name)
        .collect();
    let dir = env.data_dir.join("demo-derived").join("vector");
    std::fs::create_dir_all(&dir)?;
    if !published.iter().any(|d| d == "admin") {
        // Links give the layers short names (a layer is named after its file).
        let mut paths = Vec::new();
        for (name, file) in ADMIN {
            let link = dir.join(format!("{name}.geojson"));
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(
                std::fs::canonicalize(source.join("admin").join(file))?,
                &link,
            )?;
            paths.push(link);
        }
        ingest(
            env,
            VectorIngestRequest {
                dataset: "admin".into(),
                title: Some(
                    "Limites administratives — Centre-Val de Loire (IGN ADMIN EXPRESS 2018)".into(),
                ),
                crs: None,
                repair: false,
                reproject: Some(2154),
                paths,
                archive_limits: Default::default(),
                progress: crate::progress::reporter(false),
            },
        )
        .await?;
    }
    if !published.iter().any(|d| d == "epci") {
        if decoupage.join("epci.json").is_file() {
            let out: PathBuf = dir.join("epci.geojson");
            let (sh, dc, o) = (source.to_path_buf(), decoupage.to_path_buf(), out.clone());
            let (n, missing) =
                tokio::task::spawn_blocking(move || derive_epci(&sh, &dc, &o)).await??;
            eprintln!(
                "Demo: {n} EPCI DERIVED as unions of their communes; {} member commune(s) without a 2018 polygon: {:?}",
                missing.len(),
                missing
            );
            ingest(
                env,
                VectorIngestRequest {
                    dataset: "epci".into(),
                    title: Some(
                        "EPCI de Centre-Val de Loire (dérivés : unions des communes membres)"
                            .into(),
                    ),
                    crs: None,
                    repair: false,
                    reproject: Some(2154),
                    paths: vec![out],
                    archive_limits: Default::default(),
                    progress: crate::progress::reporter(false),
                },
            )
            .await?;
        } else {
            eprintln!(
                "Demo: no EPCI membership at {} (run scripts/install-deps.sh): EPCI skipped",
                decoupage.display()
            );
        }
    }
    if !published.iter().any(|d| d == "pcrs-lyon") {
        ingest(
            env,
            VectorIngestRequest {
                dataset: "pcrs-lyon".into(),
                title: Some("PCRS vecteur v2.0 — extrait de Lyon (CC46)".into()),
                crs: None,
                repair: false,
                reproject: None,
                paths: vec![source.join("pcrs/pcrs-v2-lyon-extract-cc46.gml")],
                archive_limits: Default::default(),
                progress: crate::progress::reporter(false),
            },
        )
        .await?;
    }
    demo_group(env).await
}

/// The demo's layer group: the orthophoto under the communes' outlines and
/// names (a style of its own: the default one would veil the imagery).
async fn demo_group(env: &Env) -> anyhow::Result<()> {
    use geocentre_registry::{vector_style::StoredStyle, GroupMember, LayerGroup};
    const STYLE: &str = "name = \"contours-noms\"\ntitle = \"Contours et noms\"\n\
        [[rule]]\ntitle = \"Commune\"\nstroke = \"#f5c400\"\nstroke-width = 1.2\n\
        [[rule]]\ntitle = \"Nom\"\nmax-scale = 150000\n\
        label = { field = \"nom\", size = 12, halo = \"#ffffff\", halo-width = 2 }\n";
    if env
        .registry
        .layer_groups()
        .await?
        .iter()
        .any(|g| g.name == "plan-de-situation")
    {
        return Ok(());
    }
    geocentre_carto::style::parse(STYLE, geocentre_carto::style::StyleFormat::Toml)?;
    let style = StoredStyle {
        name: "contours-noms".into(),
        format: "toml".into(),
        body: STYLE.into(),
        source: "demo".into(),
        updated_at: String::new(),
    };
    env.registry
        .set_vector_style("admin", "communes", &style)
        .await?;
    let member = |layer: &str| GroupMember {
        layer: layer.into(),
        style: None,
    };
    let group = LayerGroup {
        name: "plan-de-situation".into(),
        title: "Plan de situation (orthophotographie, communes)".into(),
        abstract_: String::new(),
        members: vec![member("ortho-hr"), member("admin.communes")],
        updated_at: String::new(),
    };
    env.registry.set_layer_group(&group).await?;
    eprintln!("Demo: layer group plan-de-situation = ortho-hr + admin.communes (WMS LAYERS=plan-de-situation)");
    Ok(())
}
