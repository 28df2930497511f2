//! `geocentre vector ingest`: every usable layer of the given files into one
//! new GeoPackage (R-tree per layer), renamed into place when complete and
//! published by one registry transaction. Re-ingesting a dataset writes a new
//! file: URLs (the dataset and layer names) stay, readers switch at once.

use crate::csv_types::{self, ColumnNote};
use crate::gpkg_check;
use crate::scan::{self, LayerScan, RejectCode};
use gdal::vector::LayerAccess;
use gdal::Dataset;
use geocentre_blob::BlobStore;
use geocentre_core::progress::Progress;
use geocentre_delivery::formats::{self, Family};
use geocentre_delivery::inventory::{self, ArchiveLimits, DataFile, OtherFile, Totals};
use geocentre_delivery::{Refusal, RefusalCode};
use geocentre_geo::crs::Transformer;
use geocentre_registry::valid_dataset_name;
use geocentre_registry::vector::{FieldDef, VectorLayerRecord};
use geocentre_registry::{Registry, RegistryError};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Files of superseded datasets stay this long for servers still reading them.
pub const GC_GRACE_S: i64 = 300;

#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("writing the GeoPackage: {0}")]
    Write(String),
    #[error("ingest worker failed: {0}")]
    Worker(String),
    /// A PostGIS database `vector connect` reads.
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    /// The object store holding the GeoPackages (blobs in a bucket).
    #[error("object store, {0}: {1}")]
    Store(String, String),
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
    /// Bounds on the zip archives of the delivery.
    pub archive_limits: ArchiveLimits,
    /// Where the ingest reports what it does (silent with `--json`).
    pub progress: std::sync::Arc<dyn Progress>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LayerReport {
    /// Its name in the dataset (the collection / feature type name).
    pub name: String,
    #[serde(flatten)]
    pub scan: LayerScan,
    pub repaired: bool,
    /// CSV columns stored with another type than GDAL guessed from the
    /// start of the file (codes with leading zeros kept as text…), and why.
    pub column_notes: Vec<ColumnNote>,
    /// Fields whose delivered name is not an XML name, and the name they
    /// are stored and served under (the delivered one is their title).
    pub renamed: Vec<Renamed>,
}

/// A field stored under another name than it was delivered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
}

/// The fields of a layer whose names are not XML names (they become
/// element names in GML, DescribeFeatureType, GetFeatureInfo: a name with
/// markup injected a script, review F3), each mapped by
/// [`geocentre_core::names::safe_ncname`] and made unique among the
/// layer's names (case-insensitively, as SQLite compares column names),
/// the FID and geometry columns included.
pub(crate) fn field_renames(fields: &[FieldDef], fid: &str) -> Vec<Renamed> {
    use geocentre_core::names::{is_safe_name, safe_ncname};
    let mut taken: HashSet<String> = fields
        .iter()
        .filter(|f| is_safe_name(&f.name))
        .map(|f| f.name.to_ascii_lowercase())
        .chain([fid.to_string(), "geom".to_string()])
        .collect();
    let mut out = Vec::new();
    for f in fields.iter().filter(|f| !is_safe_name(&f.name)) {
        // Room for a `_N` suffix within the length a safe name keeps.
        let base: String = safe_ncname(&f.name)
            .chars()
            .take(geocentre_core::names::MAX_NAME_CHARS - 8)
            .collect();
        let to = unique(base, &mut taken);
        out.push(Renamed {
            from: f.name.clone(),
            to,
        });
    }
    out
}

/// Renames the fields of the layers written into `dest` (our own
/// GeoPackage, opened for update).
fn apply_renames(dest: &Path, layers: &[LayerReport]) -> Result<(), String> {
    use gdal::{DatasetOptions, GdalOpenFlags};
    if layers.iter().all(|l| l.renamed.is_empty()) {
        return Ok(());
    }
    let ds = Dataset::open_ex(
        dest,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_UPDATE,
            allowed_drivers: Some(&["GPKG"]),
            ..Default::default()
        },
    )
    .map_err(|e| e.to_string())?;
    for l in layers.iter().filter(|l| !l.renamed.is_empty()) {
        let layer = ds.layer_by_name(&l.name).map_err(|e| e.to_string())?;
        for r in &l.renamed {
            let index = layer
                .defn()
                .fields()
                .position(|f| f.name() == r.from)
                .ok_or_else(|| format!("field {:?} not written", r.from))?;
            geocentre_gdal::rename_field(&layer, index, &r.to).map_err(|e| e.0)?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    /// ingested, rejected; sidecar or ignored for the files not tried.
    pub status: &'static str,
    /// The file a sidecar belongs to.
    pub sidecar_of: Option<String>,
    /// What a sidecar or an ignored file is.
    pub kind: Option<String>,
    pub code: Option<RejectCode>,
    pub reason: Option<String>,
    pub driver: Option<String>,
    pub layers: Vec<LayerReport>,
    /// GDAL's warnings while reading it.
    pub warnings: Vec<String>,
}

impl FileReport {
    /// The line of a file the ingest does not try.
    fn other(f: &OtherFile) -> FileReport {
        FileReport {
            path: f.path.display().to_string(),
            status: f.status(),
            sidecar_of: f.sidecar_of.as_ref().map(|p| p.display().to_string()),
            kind: Some(f.kind.clone()),
            code: None,
            reason: None,
            driver: None,
            layers: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn refused(path: &Path, refusal: &Refusal) -> FileReport {
        FileReport::rejected(path, refusal.code.into(), refusal.reason.clone())
    }

    fn rejected(path: &Path, code: RejectCode, reason: String) -> FileReport {
        FileReport {
            path: path.display().to_string(),
            status: "rejected",
            sidecar_of: None,
            kind: None,
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
    /// One line per file found: data files (ingested or rejected),
    /// sidecars and ignored files, in path order.
    pub files: Vec<FileReport>,
    /// The lines counted by status.
    pub totals: Totals,
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

/// The `[ingest]` bounds on the zip archives of a delivery.
pub fn archive_limits(cfg: &geocentre_core::config::IngestConfig) -> ArchiveLimits {
    ArchiveLimits {
        max_bytes: cfg.max_archive_bytes,
        max_ratio: cfg.max_archive_ratio,
        max_entries: cfg.max_archive_entries,
    }
}

/// A name usable as a collection id, a WFS type name and a table name.
pub(crate) fn sanitize(s: &str) -> String {
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

pub(crate) fn unique(name: String, taken: &mut HashSet<String>) -> String {
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

/// The checks a file must pass after being read and written: GDAL
/// failures (a truncated Shapefile reads as features without geometry and
/// a failure message), text it could not decode.
fn trouble(messages: &[String]) -> Option<(RejectCode, String)> {
    if let Some(m) = scan::encoding_trouble(messages) {
        return Some((
            RejectCode::Encoding,
            format!("text cannot be decoded (give the encoding in a .cpg file next to a Shapefile): {m}"),
        ));
    }
    messages
        .iter()
        .find_map(|m| m.strip_prefix(geocentre_gdal::ERROR_PREFIX))
        .map(|m| (RejectCode::Corrupt, format!("GDAL failed reading it: {m}")))
}

/// A file of the ingest's own folder removed when it goes out of scope.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Reads, checks and copies one file into its own GeoPackage `dest`: a bad
/// file is rejected alone, whatever it left behind is removed.
fn build_file(
    req: &VectorIngestRequest,
    file: &DataFile,
    dest: &Path,
    taken: &mut HashSet<String>,
) -> FileReport {
    let path = file.path.as_path();
    if let Some(refusal) = &file.refusal {
        return FileReport::refused(path, refusal);
    }
    // A GeoPackage's schema is read before GDAL opens it: a view or a
    // virtual table would run when GDAL reads it. One inside an archive is
    // first copied into the ingest's folder (SQLite needs a file; the
    // archive limits bound its size); the copy is what GDAL reads then,
    // and it goes when this function returns (declared before the
    // dataset, so dropped after it).
    let mut open_path = PathBuf::from(&file.gdal_path);
    let _copy: Option<RemoveOnDrop>;
    if file.drivers.contains(&"GPKG") {
        if file.gdal_path.starts_with("/vsi") {
            let local = dest.with_extension("source.gpkg");
            if let Err(e) = geocentre_gdal::vsi_copy(&file.gdal_path, &local) {
                let _ = std::fs::remove_file(&local);
                return FileReport::rejected(
                    path,
                    RejectCode::Corrupt,
                    format!("cannot read it from its archive: {e}"),
                );
            }
            _copy = Some(RemoveOnDrop(local.clone()));
            open_path = local;
        }
        if let Err(gpkg_check::Computed(why)) = gpkg_check::check(&open_path) {
            return FileReport::rejected(path, RejectCode::ViewRefused, why);
        }
    }
    // Declared before the dataset so that the link it may have made
    // outlives the dataset reading through it.
    let source = csv_types::prepare(&open_path, &dest.with_extension("csvt.d"));
    let (opened, mut messages) = geocentre_gdal::capture(|| scan::open(&source.path, file.drivers));
    messages.extend(source.warning.clone());
    let ds = match opened {
        Ok(ds) => ds,
        Err(e @ scan::OpenError::WrongDriver { .. }) => {
            return FileReport::rejected(path, RefusalCode::FormatMismatch.into(), e.to_string());
        }
        Err(e) => {
            let name = path.to_string_lossy();
            return match formats::mismatch(Family::Vector, &name, &file.content) {
                Some(refusal) => FileReport::refused(path, &refusal),
                None => FileReport::rejected(path, RejectCode::Corrupt, e.to_string()),
            };
        }
    };
    let driver = ds.driver().short_name();
    let (mut scans, m) = geocentre_gdal::capture(|| {
        let mut out = Vec::new();
        for mut layer in ds.layers() {
            out.push(scan::scan_layer(&mut layer));
        }
        out
    });
    messages.extend(m);
    // GDAL names the link it was given; the producer knows the file.
    let unlinked = |messages: Vec<String>| -> Vec<String> {
        let Some(dir) = source.link_dir() else {
            return messages;
        };
        let link = source.path.display().to_string();
        let own_dir = path.parent().unwrap_or(Path::new("")).display().to_string();
        let own = path.display().to_string();
        let dir = dir.display().to_string();
        messages
            .into_iter()
            .map(|m| m.replace(&link, &own).replace(&dir, &own_dir))
            .collect()
    };
    let reject = |code, reason: String, messages: Vec<String>| {
        let reason = unlinked(vec![reason]).concat();
        let mut r = FileReport::rejected(path, code, reason);
        r.warnings = unlinked(messages).into_iter().take(20).collect();
        r
    };
    if let Some((code, reason)) = trouble(&messages) {
        return reject(code, reason, messages);
    }
    if scans.is_empty() || scans.iter().all(|s| s.geometry_type == "None") {
        return reject(
            RejectCode::NoGeometry,
            "no layer has a geometry".into(),
            messages,
        );
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
    if let Some(s) = scans.iter().find(|s| spatial(s) && s.epsg.is_none()) {
        return reject(
            RejectCode::UnknownCrs,
            format!(
                "layer '{}' has no CRS GDAL can identify; give one with --crs EPSG:N",
                s.source_layer
            ),
            messages,
        );
    }
    // GeoJSON always says WGS 84; metres in it mean the CRS was dropped.
    if let Some(s) = scans.iter().find(|s| {
        spatial(s)
            && req.crs.is_none()
            && s.epsg.is_some_and(scan::is_geographic)
            && !scan::in_degrees(s)
    }) {
        return reject(
            RejectCode::UnknownCrs,
            format!(
                "layer '{}' says EPSG:{} but its coordinates are not degrees; give the CRS with --crs EPSG:N",
                s.source_layer,
                s.epsg.unwrap_or(0)
            ),
            messages,
        );
    }
    let single = scans.len() == 1;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "layer".into());
    let dest_s = dest.to_string_lossy().into_owned();
    let mut layers = Vec::new();
    let mut names = Vec::new();
    for s in scans {
        let base = if single {
            stem.clone()
        } else {
            s.source_layer.clone()
        };
        let name = unique(sanitize(&base), taken);
        names.push(name.clone());
        // A source attribute named like the FID column would become the FID
        // (or clash with it): the FID column takes another name then.
        let fid = if s.fields.iter().any(|f| f.name.eq_ignore_ascii_case("fid")) {
            "gc_fid"
        } else {
            "fid"
        };
        let mut args: Vec<String> = vec!["-f".into(), "GPKG".into()];
        if !layers.is_empty() {
            args.extend(["-update".into(), "-append".into()]);
        }
        args.extend([
            "-nln".into(),
            name.clone(),
            "-lco".into(),
            format!("FID={fid}"),
            "-lco".into(),
            "GEOMETRY_NAME=geom".into(),
            "-lco".into(),
            "SPATIAL_INDEX=YES".into(),
        ]);
        // A GeoPackage column declared POLYGON may hold only polygons:
        // Shapefiles mix them with multipolygons, repairs make some.
        let flat = s.geometry_type.trim_start_matches("3D ").to_string();
        if ["Curve", "Circular", "Compound", "Surface"]
            .iter()
            .any(|c| flat.contains(c))
        {
            // Arcs (PCRS curve polygons) are kept; the column is declared
            // with the curve type, which also admits plain polygons.
            // Services that cannot write arcs linearise on the way out.
            args.extend(["-nlt".into(), "CONVERT_TO_CURVE".into()]);
        } else if s.mixed_multi || (req.repair && s.invalid_geometries > 0) {
            // Types are kept as delivered, unless singles and multis are
            // mixed (or a repair splits a polygon): a GeoPackage column
            // declared POLYGON may hold only polygons.
            args.extend(["-nlt".into(), "PROMOTE_TO_MULTI".into()]);
        }
        if let Some(code) = s.epsg.filter(|_| spatial(&s)) {
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
            geocentre_gdal::capture(|| geocentre_gdal::vector_translate(&dest_s, &ds, &args));
        messages.extend(m);
        if let Err(e) = r {
            let _ = std::fs::remove_file(dest);
            for n in &names {
                taken.remove(&n.to_ascii_lowercase());
            }
            return reject(RejectCode::Corrupt, e.0, messages);
        }
        // Geometry columns (lon/lat) are not attributes once read.
        let column_notes = source
            .notes
            .iter()
            .filter(|n| s.fields.iter().any(|f| f.name == n.column))
            .cloned()
            .collect();
        let renamed = field_renames(&s.fields, fid);
        layers.push(LayerReport {
            name,
            scan: s,
            repaired: repair,
            column_notes,
            renamed,
        });
    }
    let (renaming, m) = geocentre_gdal::capture(|| apply_renames(dest, &layers));
    messages.extend(m);
    if let Err(e) = renaming {
        let _ = std::fs::remove_file(dest);
        for n in &names {
            taken.remove(&n.to_ascii_lowercase());
        }
        return reject(
            RejectCode::Corrupt,
            format!("renaming fields that are not XML names: {e}"),
            messages,
        );
    }
    // The report gives the stored names, with the delivered ones as titles.
    for l in &mut layers {
        for r in &l.renamed {
            if let Some(f) = l.scan.fields.iter_mut().find(|f| f.name == r.from) {
                f.title = Some(std::mem::replace(&mut f.name, r.to.clone()));
            }
        }
    }
    if let Some((code, reason)) = trouble(&messages) {
        let _ = std::fs::remove_file(dest);
        for n in &names {
            taken.remove(&n.to_ascii_lowercase());
        }
        return reject(code, reason, messages);
    }
    let mut messages = unlinked(messages);
    messages.truncate(20);
    FileReport {
        path: path.display().to_string(),
        status: "ingested",
        sidecar_of: None,
        kind: None,
        code: None,
        reason: None,
        driver: Some(driver),
        layers,
        warnings: messages,
    }
}

/// Reads, checks and writes every file into the ingest's directory, one
/// GeoPackage per file. Runs on a blocking thread: GDAL is synchronous.
fn build(
    req: &VectorIngestRequest,
    files: &[DataFile],
    dir: &Path,
) -> Vec<(FileReport, Option<PathBuf>)> {
    let mut out = Vec::new();
    let mut taken = HashSet::new();
    let mut steps = req.progress.steps("fichiers", files.len() as u64);
    for (i, file) in files.iter().enumerate() {
        let dest = dir.join(format!("f{i}.gpkg"));
        let _ = std::fs::remove_file(&dest);
        let report = build_file(req, file, &dest, &mut taken);
        let file = (report.status == "ingested").then_some(dest);
        out.push((report, file));
        steps.inc();
    }
    steps.finish();
    out
}

/// Layer records of the written GeoPackage, as the registry stores them.
fn describe(
    data_dir: &Path,
    files: &[(FileReport, Option<PathBuf>)],
) -> Result<Vec<VectorLayerRecord>, VectorError> {
    let mut out = Vec::new();
    for (f, gpkg) in files {
        let Some(gpkg) = gpkg else { continue };
        let ds = Dataset::open(gpkg).map_err(|e| VectorError::Write(e.to_string()))?;
        let rel = gpkg
            .strip_prefix(data_dir)
            .unwrap_or(gpkg)
            .to_string_lossy()
            .into_owned();
        for l in &f.layers {
            let layer = ds
                .layer_by_name(&l.name)
                .map_err(|e| VectorError::Write(format!("layer {}: {e}", l.name)))?;
            let srid = layer
                .spatial_ref()
                .and_then(|s| geocentre_geo::crs::identify(&s))
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
                .map(|fd| {
                    let name = fd.name();
                    // The delivered name of a renamed field is its title.
                    let title = l
                        .renamed
                        .iter()
                        .find(|r| r.to == name)
                        .map(|r| r.from.clone());
                    FieldDef {
                        name,
                        kind: gdal::vector::field_type_to_name(fd.field_type()),
                        title,
                    }
                })
                .collect();
            out.push(VectorLayerRecord {
                name: l.name.clone(),
                title: l.scan.source_layer.clone(),
                table_name: l.name.clone(),
                geometry_type: l.scan.geometry_type.clone(),
                srid: i64::from(srid),
                has_z: l.scan.has_z,
                // OGR's -1 (count failed) must not become a count.
                feature_count: geocentre_gdal::feature_count(&layer)
                    .map_err(|e| VectorError::Write(e.to_string()))
                    .and_then(|n| {
                        i64::try_from(n).map_err(|e| VectorError::Write(e.to_string()))
                    })?,
                bbox,
                bbox_wgs84,
                fields,
                source: f.path.clone(),
                file: rel.clone(),
                postgis: None,
                // Filled in by the ingest once the files are closed.
                sha256: None,
                size: None,
            });
        }
    }
    Ok(out)
}

pub async fn ingest(
    registry: &Registry,
    data_dir: &Path,
    blobs: &BlobStore,
    req: VectorIngestRequest,
) -> Result<VectorIngestReport, VectorError> {
    let started = Instant::now();
    // No '.': a collection is addressed as `{dataset}.{layer}`.
    if !valid_dataset_name(&req.dataset) {
        return Err(VectorError::Invalid(format!(
            "dataset name '{}' must be made of letters, digits, '_' and '-', and not end in '-' and digits",
            req.dataset
        )));
    }
    if req.paths.is_empty() {
        return Err(VectorError::Invalid("no file given".into()));
    }
    let inv = inventory::walk(&req.paths, &inventory::VECTOR, &req.archive_limits);
    if inv.data.is_empty() && inv.refused.is_empty() {
        return Err(VectorError::Invalid(format!(
            "no vector file found in the given paths{}",
            match inv.others.len() {
                0 => String::new(),
                n => format!(" ({n} other file(s), none of them vector data)"),
            }
        )));
    }
    // Every other file is accounted for in the report; a folder that
    // cannot be read is a rejected line.
    let others: Vec<FileReport> = inv
        .others
        .iter()
        .map(FileReport::other)
        .chain(inv.unreadable.iter().map(|(d, why)| {
            FileReport::rejected(
                d,
                RejectCode::Corrupt,
                format!("cannot read the folder: {why}"),
            )
        }))
        .chain(
            inv.refused
                .iter()
                .map(|(p, refusal)| FileReport::refused(p, refusal)),
        )
        .collect();
    let files = inv.data;
    gc_dead(registry, data_dir, blobs).await?;
    let id = registry
        .begin_vector_ingest(&req.dataset, req.title.as_deref())
        .await?;
    let rel = dataset_dir(&req.dataset).join(format!("g{id}"));
    let dir = data_dir.join(&rel);
    std::fs::create_dir_all(&dir).map_err(|e| VectorError::Io(dir.clone(), e))?;
    req.progress.note(&format!(
        "Ingest {id} of {} file(s) into dataset {}",
        files.len(),
        req.dataset
    ));
    let req = std::sync::Arc::new(req);
    let (req_c, dir_c) = (req.clone(), dir.clone());
    let built = tokio::task::spawn_blocking(move || build(&req_c, &files, &dir_c))
        .await
        .map_err(|e| VectorError::Worker(e.to_string()))?;
    let mut report = VectorIngestReport {
        dataset: req.dataset.clone(),
        ingest_id: id,
        status: "failed",
        layers: Vec::new(),
        features: 0,
        files: inventory::report_order(
            built.iter().map(|(r, _)| r.clone()).collect(),
            others,
            |r| (r.path.clone(), r.sidecar_of.clone()),
        ),
        totals: Totals::default(),
        elapsed_s: 0.0,
    };
    report.totals = Totals::count(report.files.iter().map(|f| f.status));
    if built.iter().all(|(_, f)| f.is_none()) {
        let _ = std::fs::remove_dir_all(&dir);
        report.elapsed_s = started.elapsed().as_secs_f64();
        registry
            .fail_vector_ingest(id, &serde_json::to_value(&report).unwrap_or_default())
            .await?;
        return Ok(report);
    }
    let data = data_dir.to_path_buf();
    report.layers = tokio::task::spawn_blocking(move || -> Result<_, VectorError> {
        // Complete and closed: made durable before the registry points at them.
        for p in built.iter().filter_map(|(_, f)| f.as_ref()) {
            std::fs::File::open(p)
                .and_then(|f| f.sync_all())
                .map_err(|e| VectorError::Io(p.clone(), e))?;
        }
        let mut layers = describe(&data, &built)?;
        // Each file's checksum and size, recorded with its layers: what a
        // replica checks its copy of a file from the bucket against. Also
        // on local files (one read of what was just written), so that
        // `copy-store` can move them to a bucket as they are.
        let mut sums: HashMap<String, (String, i64)> = HashMap::new();
        for l in &mut layers {
            if !sums.contains_key(&l.file) {
                let p = data.join(&l.file);
                let (sum, size) = crate::gpkg_cache::file_sha256(&p)
                    .map_err(|e| VectorError::Io(p.clone(), e))?;
                sums.insert(
                    l.file.clone(),
                    (sum, i64::try_from(size).unwrap_or(i64::MAX)),
                );
            }
            let (sum, size) = &sums[&l.file];
            l.sha256 = Some(sum.clone());
            l.size = Some(*size);
        }
        Ok(layers)
    })
    .await
    .map_err(|e| VectorError::Worker(e.to_string()))??;
    report.features = report.layers.iter().map(|l| l.feature_count).sum();
    report.status = if report.files.iter().any(|f| f.status == "rejected") {
        "partial"
    } else {
        "published"
    };
    report.elapsed_s = started.elapsed().as_secs_f64();
    let json = serde_json::to_value(&report).unwrap_or_default();
    let rel_s = rel.to_string_lossy().into_owned();
    if blobs.backend() == "s3" {
        // Scale-out: the files go to the bucket, under the ingest's own
        // (never reused) keys, before the registry points at them; the
        // data directory keeps none.
        if let Err(e) = upload(data_dir, blobs, &report.layers).await {
            let _ = blobs.delete_prefix(&rel_s).await;
            let _ = std::fs::remove_dir_all(&dir);
            registry.fail_vector_ingest(id, &json).await?;
            return Err(e);
        }
        remove_local(data_dir, &rel);
    }
    registry
        .publish_vector_ingest(id, &rel_s, &report.layers, &json)
        .await?;
    gc_dead(registry, data_dir, blobs).await?;
    Ok(report)
}

/// Uploads each GeoPackage of the layers to the bucket, under its path.
async fn upload(
    data_dir: &Path,
    blobs: &BlobStore,
    layers: &[VectorLayerRecord],
) -> Result<(), VectorError> {
    let files: std::collections::BTreeSet<&str> = layers.iter().map(|l| l.file.as_str()).collect();
    for f in files {
        blobs
            .put_file(f, &data_dir.join(f))
            .await
            .map_err(|e| VectorError::Store(f.to_string(), e.to_string()))?;
    }
    Ok(())
}

/// Removes an ingest's local folder once its files are in the bucket, and
/// the dataset's and `vector/` folders when they are left empty.
fn remove_local(data_dir: &Path, rel: &Path) {
    let _ = std::fs::remove_dir_all(data_dir.join(rel));
    let mut up = rel.parent();
    while let Some(p) = up.filter(|p| !p.as_os_str().is_empty()) {
        if std::fs::remove_dir(data_dir.join(p)).is_err() {
            break;
        }
        up = p.parent();
    }
}

/// Removes the GeoPackages of superseded or failed ingests after the grace
/// period.
pub async fn gc_dead(
    registry: &Registry,
    data_dir: &Path,
    blobs: &BlobStore,
) -> Result<(), VectorError> {
    gc_dead_after(registry, data_dir, blobs, GC_GRACE_S)
        .await
        .map(|_| ())
}

/// What [`gc_dead_after`] removed.
#[derive(Debug, Default, Serialize)]
pub struct VectorGcReport {
    pub ingests: Vec<i64>,
    pub objects_removed: usize,
}

/// [`gc_dead`] with another grace period (`geocentre vector gc`): the
/// ingest's folder in the data directory, and with blobs in a bucket its
/// objects there.
pub async fn gc_dead_after(
    registry: &Registry,
    data_dir: &Path,
    blobs: &BlobStore,
    grace_s: i64,
) -> Result<VectorGcReport, VectorError> {
    let mut report = VectorGcReport::default();
    for (id, file) in registry.dead_vector_ingests(grace_s).await? {
        if !file.is_empty() {
            let p = data_dir.join(&file);
            let removed = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
            match removed {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(VectorError::Io(p, e)),
            }
            if blobs.backend() == "s3" {
                report.objects_removed += blobs
                    .delete_prefix(&file)
                    .await
                    .map_err(|e| VectorError::Store(file.clone(), e.to_string()))?;
            }
        }
        registry.vector_files_removed(id).await?;
        report.ingests.push(id);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> FieldDef {
        FieldDef {
            name: name.into(),
            kind: "String".into(),
            title: None,
        }
    }

    #[test]
    fn ill_formed_field_names_are_mapped_and_unique() {
        let fields: Vec<FieldDef> = [
            "nom",
            "a b",
            "a_b",
            "A B",
            "<img src=x onerror=alert(3)>",
            "1st",
            "geom ",
            "fid",
        ]
        .into_iter()
        .map(field)
        .collect();
        let r = field_renames(&fields, "gc_fid");
        let pairs: Vec<(&str, &str)> = r.iter().map(|r| (r.from.as_str(), r.to.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("a b", "a_b_2"),
                ("A B", "A_B_3"),
                (
                    "<img src=x onerror=alert(3)>",
                    "_img_src_x_onerror_alert_3__"
                ),
                ("1st", "_1st"),
                ("geom ", "geom_"),
            ]
        );
        for p in &r {
            assert!(geocentre_core::names::is_safe_name(&p.to), "{}", p.to);
        }
        let long = field(&"é<".repeat(200));
        let r = field_renames(&[long.clone(), long], "fid");
        assert_ne!(r[0].to, r[1].to);
        assert!(r.iter().all(|p| geocentre_core::names::is_safe_name(&p.to)));
        assert!(field_renames(&[field("nom"), field("code_insee")], "fid").is_empty());
    }

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
