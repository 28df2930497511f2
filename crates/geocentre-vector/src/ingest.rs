//! `geocentre vector ingest`: every usable layer of the given files into one
//! new GeoPackage (R-tree per layer), renamed into place when complete and
//! published by one catalog transaction. Re-ingesting a dataset writes a new
//! file: URLs (the dataset and layer names) stay, readers switch at once.

use crate::scan::{self, LayerScan, RejectCode};
use gdal::vector::LayerAccess;
use gdal::Dataset;
use geocentre_catalog::vector::{FieldDef, VectorLayerRecord};
use geocentre_catalog::{Catalog, CatalogError};
use geocentre_raster::crs::Transformer;
use geocentre_raster::ingest::valid_layer_name;
use geocentre_raster::progress::Progress;
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Files of superseded datasets stay this long for servers still reading them.
const GC_GRACE_S: i64 = 300;

#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("writing the GeoPackage: {0}")]
    Write(String),
    #[error("ingest worker failed: {0}")]
    Worker(String),
}

pub struct VectorIngestRequest {
    pub dataset: String,
    pub title: Option<String>,
    /// CRS to assume where a file has none, or to replace a wrong one.
    pub crs: Option<u32>,
    /// Repair invalid geometries (GEOS MakeValid) instead of only reporting them.
    pub repair: bool,
    /// Store the layers reprojected to this CRS instead of their own.
    pub reproject: Option<u32>,
    pub paths: Vec<PathBuf>,
    pub quiet: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LayerReport {
    /// Its name in the dataset (the collection / feature type name).
    pub name: String,
    #[serde(flatten)]
    pub scan: LayerScan,
    pub repaired: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub status: &'static str,
    pub code: Option<RejectCode>,
    pub reason: Option<String>,
    pub driver: Option<String>,
    pub layers: Vec<LayerReport>,
    /// GDAL's warnings while reading it.
    pub warnings: Vec<String>,
}

impl FileReport {
    fn rejected(path: &Path, code: RejectCode, reason: String) -> FileReport {
        FileReport {
            path: path.display().to_string(),
            status: "rejected",
            code: Some(code),
            reason: Some(reason),
            driver: None,
            layers: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct VectorIngestReport {
    pub dataset: String,
    pub ingest_id: i64,
    /// published, partial (some files rejected) or failed.
    pub status: &'static str,
    pub layers: Vec<VectorLayerRecord>,
    pub features: i64,
    pub files: Vec<FileReport>,
    pub elapsed_s: f64,
}

impl VectorIngestReport {
    /// 0: every file ingested; 3: some rejected, the rest published; 1: nothing published.
    pub fn exit_code(&self) -> i32 {
        match self.status {
            "published" => 0,
            "partial" => 3,
            _ => 1,
        }
    }
}

/// A name usable as a collection id, a WFS type name and a table name.
fn sanitize(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'l');
    }
    out.truncate(63);
    out
}

fn unique(name: String, taken: &mut HashSet<String>) -> String {
    let mut n = name.clone();
    let mut k = 2;
    while !taken.insert(n.to_ascii_lowercase()) {
        n = format!("{name}_{k}");
        k += 1;
    }
    n
}

/// Where the dataset's files live, relative to the data directory.
pub fn dataset_dir(dataset: &str) -> PathBuf {
    PathBuf::from("vector").join(dataset)
}

/// Reads, checks and copies every file into `tmp`. Runs on a blocking
/// thread: GDAL is synchronous.
fn build(req: &VectorIngestRequest, tmp: &Path) -> (Vec<FileReport>, Result<(), VectorError>) {
    let mut reports = Vec::new();
    let mut taken = HashSet::new();
    let dest = tmp.to_string_lossy().into_owned();
    let mut written = false;
    let mut progress = Progress::new("fichiers", req.paths.len() as u64, req.quiet);
    for path in &req.paths {
        progress.inc(req.quiet);
        let (opened, messages) = geocentre_gdal::capture(|| scan::open(path));
        let ds = match opened {
            Ok(ds) => ds,
            Err(e) => {
                reports.push(FileReport::rejected(path, RejectCode::Corrupt, e));
                continue;
            }
        };
        let driver = ds.driver().short_name();
        let (mut scans, mut messages) = {
            let (s, m) = geocentre_gdal::capture(|| {
                let mut out = Vec::new();
                for mut layer in ds.layers() {
                    out.push(scan::scan_layer(&mut layer));
                }
                out
            });
            (s, [messages, m].concat())
        };
        if let Some(m) = scan::encoding_trouble(&messages) {
            reports.push(FileReport::rejected(
                path,
                RejectCode::Encoding,
                format!("text cannot be decoded (give the encoding in a .cpg file next to a Shapefile): {m}"),
            ));
            continue;
        }
        if scans.is_empty() || scans.iter().all(|s| s.geometry_type == "None") {
            reports.push(FileReport::rejected(
                path,
                RejectCode::NoGeometry,
                "no layer has a geometry".into(),
            ));
            continue;
        }
        for s in &mut scans {
            match req.crs {
                Some(code) if s.geometry_type != "None" => {
                    s.crs_note = Some(match s.epsg {
                        Some(found) if found != code => {
                            format!("EPSG:{found} in the file replaced by EPSG:{code} (--crs)")
                        }
                        _ => format!("EPSG:{code} given with --crs"),
                    });
                    s.epsg = Some(code);
                }
                _ => scan::infer_crs(&driver, s),
            }
        }
        let spatial = |s: &LayerScan| s.geometry_type != "None";
        if req.crs.is_none() {
            if let Some(s) = scans.iter().find(|s| spatial(s) && s.epsg.is_none()) {
                reports.push(FileReport::rejected(
                    path,
                    RejectCode::UnknownCrs,
                    format!(
                        "layer '{}' has no CRS GDAL can identify; give one with --crs EPSG:N",
                        s.source_layer
                    ),
                ));
                continue;
            }
        }
        let single = scans.len() == 1;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "layer".into());
        let mut layers = Vec::new();
        let mut failure = None;
        for s in scans {
            let base = if single {
                stem.clone()
            } else {
                s.source_layer.clone()
            };
            let name = unique(sanitize(&base), &mut taken);
            let mut args: Vec<String> = vec!["-f".into(), "GPKG".into()];
            if written {
                args.extend(["-update".into(), "-append".into()]);
            }
            args.extend([
                "-nln".into(),
                name.clone(),
                "-lco".into(),
                "FID=fid".into(),
                "-lco".into(),
                "GEOMETRY_NAME=geom".into(),
                "-lco".into(),
                "SPATIAL_INDEX=YES".into(),
            ]);
            if let Some(code) = s.epsg.filter(|_| s.geometry_type != "None") {
                // The identified code, not the file's (possibly incomplete)
                // description: what clients are told must be exact.
                match req.reproject.filter(|&to| to != code) {
                    Some(to) => args.extend([
                        "-s_srs".into(),
                        format!("EPSG:{code}"),
                        "-t_srs".into(),
                        format!("EPSG:{to}"),
                    ]),
                    None => args.extend(["-a_srs".into(), format!("EPSG:{code}")]),
                }
            }
            let repair = req.repair && s.invalid_geometries > 0;
            if repair {
                args.push("-makevalid".into());
            }
            args.push(s.source_layer.clone());
            let (r, m) =
                geocentre_gdal::capture(|| geocentre_gdal::vector_translate(&dest, &ds, &args));
            messages.extend(m);
            if let Err(e) = r {
                failure = Some(e.0);
                break;
            }
            written = true;
            layers.push(LayerReport {
                name,
                scan: s,
                repaired: repair,
            });
        }
        messages.truncate(20);
        match failure {
            Some(e) => {
                let mut r = FileReport::rejected(path, RejectCode::Corrupt, e);
                r.warnings = messages;
                reports.push(r);
                // A failed append may have left a partial layer: start over
                // is the caller's decision; here the whole ingest fails.
                return (
                    reports,
                    Err(VectorError::Write(format!("{}", path.display()))),
                );
            }
            None => reports.push(FileReport {
                path: path.display().to_string(),
                status: "ingested",
                code: None,
                reason: None,
                driver: Some(driver),
                layers,
                warnings: messages,
            }),
        }
    }
    progress.finish();
    (reports, Ok(()))
}

/// Layer records of the written GeoPackage, as the catalog stores them.
fn describe(gpkg: &Path, reports: &[FileReport]) -> Result<Vec<VectorLayerRecord>, VectorError> {
    let ds = Dataset::open(gpkg).map_err(|e| VectorError::Write(e.to_string()))?;
    let mut out = Vec::new();
    for f in reports.iter().filter(|f| f.status == "ingested") {
        for l in &f.layers {
            let layer = ds
                .layer_by_name(&l.name)
                .map_err(|e| VectorError::Write(format!("layer {}: {e}", l.name)))?;
            let srid = layer
                .spatial_ref()
                .and_then(|s| geocentre_raster::crs::identify(&s))
                .map_or(0, |i| i.epsg);
            let bbox = match layer.try_get_extent() {
                Ok(Some(e)) => [e.MinX, e.MinY, e.MaxX, e.MaxY],
                _ => [0.0; 4],
            };
            let bbox_wgs84 = match (srid, l.scan.geometry_type.as_str()) {
                (0, _) | (_, "None") => [0.0; 4],
                (code, _) => Transformer::new(code, 4326)
                    .map(|t| t.transform_bbox(bbox))
                    .unwrap_or([0.0; 4]),
            };
            let fields: Vec<FieldDef> = layer
                .defn()
                .fields()
                .map(|fd| FieldDef {
                    name: fd.name(),
                    kind: gdal::vector::field_type_to_name(fd.field_type()),
                })
                .collect();
            out.push(VectorLayerRecord {
                name: l.name.clone(),
                title: l.scan.source_layer.clone(),
                table_name: l.name.clone(),
                geometry_type: l.scan.geometry_type.clone(),
                srid: i64::from(srid),
                has_z: l.scan.has_z,
                feature_count: layer.feature_count() as i64,
                bbox,
                bbox_wgs84,
                fields,
                source: f.path.clone(),
            });
        }
    }
    Ok(out)
}

pub async fn ingest(
    catalog: &Catalog,
    data_dir: &Path,
    req: VectorIngestRequest,
) -> Result<VectorIngestReport, VectorError> {
    let started = Instant::now();
    // No '.': a collection is addressed as `{dataset}.{layer}`.
    if !valid_layer_name(&req.dataset) || req.dataset.contains('.') {
        return Err(VectorError::Invalid(format!(
            "dataset name '{}' must be made of letters, digits, '_' and '-', and not end in '-' and digits",
            req.dataset
        )));
    }
    if req.paths.is_empty() {
        return Err(VectorError::Invalid("no file given".into()));
    }
    gc_dead(catalog, data_dir).await?;
    let title = req.title.clone().unwrap_or_else(|| req.dataset.clone());
    let id = catalog.begin_vector_ingest(&req.dataset, &title).await?;
    let rel = dataset_dir(&req.dataset).join(format!("g{id}.gpkg"));
    let final_path = data_dir.join(&rel);
    let dir = final_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| data_dir.to_path_buf());
    std::fs::create_dir_all(&dir).map_err(|e| VectorError::Io(dir.clone(), e))?;
    let tmp = dir.join(format!("g{id}.gpkg.part"));
    let _ = std::fs::remove_file(&tmp);
    if !req.quiet {
        eprintln!(
            "Ingest {id} of {} file(s) into dataset {}",
            req.paths.len(),
            req.dataset
        );
    }
    let (req, tmp_c) = (std::sync::Arc::new(req), tmp.clone());
    let req_c = req.clone();
    let (files, built) = tokio::task::spawn_blocking(move || build(&req_c, &tmp_c))
        .await
        .map_err(|e| VectorError::Worker(e.to_string()))?;
    let mut report = VectorIngestReport {
        dataset: req.dataset.clone(),
        ingest_id: id,
        status: "failed",
        layers: Vec::new(),
        features: 0,
        files,
        elapsed_s: 0.0,
    };
    let nothing = report.files.iter().all(|f| f.status != "ingested");
    if built.is_err() || nothing {
        let _ = std::fs::remove_file(&tmp);
        report.elapsed_s = started.elapsed().as_secs_f64();
        catalog
            .fail_vector_ingest(id, &serde_json::to_value(&report).unwrap_or_default())
            .await?;
        return Ok(report);
    }
    let (tmp_c, files_c) = (tmp.clone(), report.files.clone());
    report.layers = tokio::task::spawn_blocking(move || describe(&tmp_c, &files_c))
        .await
        .map_err(|e| VectorError::Worker(e.to_string()))??;
    report.features = report.layers.iter().map(|l| l.feature_count).sum();
    // The file is complete and closed: make it durable, then put it in place.
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| VectorError::Io(tmp.clone(), e))?;
    std::fs::rename(&tmp, &final_path).map_err(|e| VectorError::Io(final_path.clone(), e))?;
    report.status = if report.files.iter().any(|f| f.status != "ingested") {
        "partial"
    } else {
        "published"
    };
    report.elapsed_s = started.elapsed().as_secs_f64();
    let json = serde_json::to_value(&report).unwrap_or_default();
    catalog
        .publish_vector_ingest(id, &rel.to_string_lossy(), &report.layers, &json)
        .await?;
    gc_dead(catalog, data_dir).await?;
    Ok(report)
}

/// Removes the GeoPackages of superseded or failed ingests after the grace
/// period.
pub async fn gc_dead(catalog: &Catalog, data_dir: &Path) -> Result<(), VectorError> {
    for (id, file) in catalog.dead_vector_ingests(GC_GRACE_S).await? {
        if !file.is_empty() {
            let p = data_dir.join(&file);
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(VectorError::Io(p, e)),
            }
        }
        catalog.vector_files_removed(id).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(
            unique(sanitize("communes-centre"), &mut taken),
            "communes_centre"
        );
        assert_eq!(
            unique(sanitize("communes centre"), &mut taken),
            "communes_centre_2"
        );
        assert_eq!(sanitize("2024 réseau"), "l2024_r_seau");
        assert_eq!(sanitize("x; DROP TABLE y"), "x__DROP_TABLE_y");
    }
}
