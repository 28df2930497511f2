//! The demo region: the real IGN tile, plus mosaics of dalles DERIVED from
//! it (mirror-tiled copies of its pixels, relocated over a commune of
//! Centre-Val de Loire). The derived files say so in their names' folder
//! and in a README written beside them.

use crate::Env;
use anyhow::{bail, Context};
use gdal::raster::Buffer;
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::vector::LayerAccess;
use gdal::{Dataset, DriverManager};
use geocentre_raster::ingest::IngestRequest;
use std::path::{Path, PathBuf};

/// Orléans (INSEE 45234): a well-known commune at the heart of the region.
const COMMUNE: &str = "45234";
const GRID: u32 = 8; // 8×8 = 64 dalles
const DALLE_M: f64 = 200.0;
const RES: f64 = 0.2;

struct DemoSet {
    layer: &'static str,
    title: &'static str,
    vintage: i32,
    source: &'static str,
    suffix: &'static str,
    producer: &'static str,
    acquired: &'static str,
    /// Dalle columns covered, from the west: a newer flight over part of
    /// the area shows the composite's differential update.
    columns: u32,
}

/// Ingested in this order: the older vintage first, then the newer one
/// over part of it.
const SETS: [DemoSet; 2] = [
    DemoSet {
        layer: "ortho-hr",
        title: "Orthophotographie régionale (démo, dérivée d'IGN)",
        vintage: 2021,
        source: "ortho/ign-ortho-irc-0m20-lamb93.tif",
        suffix: "IRC",
        producer: "Démo geocentre — dérivé de l'ortho IGN IRC 20 cm",
        acquired: "2021-06-18",
        columns: GRID,
    },
    DemoSet {
        layer: "ortho-hr",
        title: "Orthophotographie régionale (démo, dérivée d'IGN)",
        vintage: 2024,
        source: "ortho/ign-ortho-rvb-0m20-lamb93.tif",
        suffix: "RVB",
        producer: "Démo geocentre — dérivé de l'ortho IGN RVB 20 cm",
        acquired: "2024-07-02",
        columns: GRID * 5 / 8,
    },
];

fn mirror(i: i64, n: i64) -> usize {
    let p = i.rem_euclid(2 * n);
    (if p < n { p } else { 2 * n - 1 - p }) as usize
}

/// Top-left corner (Lambert-93) of the dalle grid, centred on the commune.
fn grid_origin(source: &Path) -> anyhow::Result<(f64, f64)> {
    let path = source.join("admin/communes-centre-val-de-loire.geojson");
    let ds = Dataset::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut layer = ds.layer(0)?;
    let mut center = None;
    for f in layer.features() {
        let idx = f.field_index("code")?;
        if f.field_as_string(idx)?.as_deref() == Some(COMMUNE) {
            if let Some(g) = geocentre_gdal::geometry_of(&f) {
                let e = g.envelope();
                center = Some(((e.MinX + e.MaxX) / 2.0, (e.MinY + e.MaxY) / 2.0));
            }
        }
    }
    let Some((lon, lat)) = center else {
        bail!("commune {COMMUNE} not found in {}", path.display())
    };
    let mut wgs = SpatialRef::from_epsg(4326)?;
    wgs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut l93 = SpatialRef::from_epsg(2154)?;
    l93.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let ct = CoordTransform::new(&wgs, &l93)?;
    let (mut x, mut y, mut z) = ([lon], [lat], [0.0]);
    ct.transform_coords(&mut x, &mut y, &mut z)?;
    let half = f64::from(GRID) / 2.0 * DALLE_M;
    Ok((
        ((x[0] - half) / DALLE_M).round() * DALLE_M,
        ((y[0] + half) / DALLE_M).round() * DALLE_M,
    ))
}

fn derive_set(
    source: &Path,
    out: &Path,
    set: &DemoSet,
    origin: (f64, f64),
) -> anyhow::Result<Vec<PathBuf>> {
    let marker = out.join(".complete");
    let mut files = Vec::new();
    let px = (DALLE_M / RES) as usize;
    let names: Vec<(u32, u32, PathBuf)> = (0..GRID)
        .flat_map(|j| (0..set.columns).map(move |i| (i, j)))
        .map(|(i, j)| {
            let x = origin.0 + f64::from(i) * DALLE_M;
            let y = origin.1 - f64::from(j) * DALLE_M;
            // JPEG 2000 for one dalle in eight, as mixed deliveries have.
            let ext = if (i + j) % 8 == 3 { "jp2" } else { "tif" };
            let name = format!(
                "{}-{:05}-{:05}-LA93-0M20-{}.{ext}",
                set.vintage,
                (x / 100.0).round() as i64,
                (y / 100.0).round() as i64,
                set.suffix
            );
            (i, j, out.join(name))
        })
        .collect();
    if marker.exists() {
        return Ok(names.into_iter().map(|n| n.2).collect());
    }
    std::fs::create_dir_all(out)?;
    std::fs::write(
        out.join("README.txt"),
        format!(
            "DERIVED DATA — not a real acquisition.\n\
             {} dalles of {DALLE_M} m at {RES} m, made by mirror-tiling the pixels of\n\
             data/{} of the geocentre repository (IGN, ign-pdal-tools test data,\n\
             MIT) and placing them\n\
             over the commune {COMMUNE} (Orléans) in Lambert-93.\n",
            names.len(),
            set.source
        ),
    )?;
    let src_path = source.join(set.source);
    let src =
        Dataset::open(&src_path).with_context(|| format!("cannot open {}", src_path.display()))?;
    let (sw, sh) = src.raster_size();
    let planes: Vec<Vec<u8>> = (1..=3)
        .map(|b| -> anyhow::Result<Vec<u8>> {
            Ok(src
                .rasterband(b)?
                .read_as::<u8>((0, 0), (sw, sh), (sw, sh), None)?
                .into_shape_and_vec()
                .1)
        })
        .collect::<anyhow::Result<_>>()?;
    let mem = DriverManager::get_driver_by_name("MEM")?;
    let gtiff = DriverManager::get_driver_by_name("GTiff")?;
    let jp2 = DriverManager::get_driver_by_name("JP2OpenJPEG")?;
    let srs = SpatialRef::from_epsg(2154)?;
    for (i, j, path) in &names {
        let mut ds = mem.create_with_band_type::<u8, _>("", px, px, 3)?;
        let x0 = origin.0 + f64::from(*i) * DALLE_M;
        let y0 = origin.1 - f64::from(*j) * DALLE_M;
        ds.set_geo_transform(&[x0, RES, 0.0, y0, 0.0, -RES])?;
        ds.set_spatial_ref(&srs)?;
        // Global pixel offsets keep the mosaic seamless across dalles.
        let (gx, gy) = ((*i as usize * px) as i64, (*j as usize * px) as i64);
        for (b, plane) in planes.iter().enumerate() {
            let mut data = vec![0u8; px * px];
            for y in 0..px {
                let sy = mirror(gy + y as i64, sh as i64);
                for x in 0..px {
                    data[y * px + x] = plane[sy * sw + mirror(gx + x as i64, sw as i64)];
                }
            }
            let mut buf = Buffer::new((px, px), data);
            ds.rasterband(b + 1)?.write((0, 0), (px, px), &mut buf)?;
        }
        let tmp = path.with_extension(format!(
            "{}.part",
            path.extension().and_then(|e| e.to_str()).unwrap_or("")
        ));
        let is_jp2 = path.extension().is_some_and(|e| e == "jp2");
        let (driver, opts): (_, Vec<&str>) = if is_jp2 {
            (&jp2, vec!["CODEC=JP2", "QUALITY=60", "REVERSIBLE=NO"])
        } else {
            (
                &gtiff,
                vec![
                    "COMPRESS=JPEG",
                    "PHOTOMETRIC=YCBCR",
                    "TILED=YES",
                    "JPEG_QUALITY=90",
                ],
            )
        };
        let opts: gdal::raster::RasterCreationOptions = opts.into_iter().collect();
        let mut out_ds = ds.create_copy(driver, &tmp, &opts)?;
        out_ds.flush_cache()?;
        drop(out_ds);
        std::fs::rename(&tmp, path)?;
        files.push(path.clone());
    }
    std::fs::write(&marker, b"")?;
    Ok(files)
}

/// Derives the demo dalles (once) and ingests what is not yet published.
pub async fn prepare(env: &Env, source: &Path) -> anyhow::Result<()> {
    if !source.join("ortho").is_dir() {
        bail!(
            "{} does not look like the demo data folder (no ortho/ inside): give the repository's data/ with --source",
            source.display()
        );
    }
    let published = env.registry.list_ingests().await?;
    let is_published = |layer: &str, vintage: i32| {
        published
            .iter()
            .any(|r| r.layer == layer && r.vintage == vintage && r.state == "published")
    };
    let real = source.join("ortho/ign-ortho-rvb-0m20-lamb93.tif");
    let mut jobs: Vec<IngestRequest> = Vec::new();
    if !is_published("ign_echantillon", 2021) {
        jobs.push(IngestRequest {
            layer: "ign_echantillon".into(),
            title: Some("Échantillon réel IGN (ORTHO RVB 20 cm, Montpellier)".into()),
            vintage: 2021,
            producer: Some("IGN".into()),
            crs: None,
            priority: 0,
            acquired: None,
            paths: vec![real],
            progress: crate::progress::reporter(false),
        });
    }
    let origin = {
        let source = source.to_path_buf();
        tokio::task::spawn_blocking(move || grid_origin(&source)).await??
    };
    for set in &SETS {
        if is_published(set.layer, set.vintage) {
            continue;
        }
        let out = env.data_dir.join("demo-derived").join(format!(
            "{}-{}",
            set.vintage,
            set.suffix.to_lowercase()
        ));
        eprintln!(
            "Demo: deriving {} dalles into {} (DERIVED from {})",
            GRID * set.columns,
            out.display(),
            set.source
        );
        let files = {
            let (source, out) = (source.to_path_buf(), out.clone());
            let set_ref: &'static DemoSet = SETS
                .iter()
                .find(|s| s.vintage == set.vintage)
                .unwrap_or(&SETS[0]);
            tokio::task::spawn_blocking(move || derive_set(&source, &out, set_ref, origin))
                .await??
        };
        jobs.push(IngestRequest {
            layer: set.layer.into(),
            title: Some(set.title.into()),
            vintage: set.vintage,
            producer: Some(set.producer.into()),
            crs: None,
            priority: 0,
            acquired: Some(set.acquired.into()),
            paths: files,
            progress: crate::progress::reporter(false),
        });
    }
    for req in jobs {
        let report =
            geocentre_raster::ingest(&env.registry, &env.blobs, &env.config.ingest, req).await?;
        crate::ortho_cmd::print_report(&report);
        if report.exit_code() != 0 {
            bail!(
                "demo ingest of {}-{} did not fully succeed",
                report.layer,
                report.vintage
            );
        }
    }
    Ok(())
}
