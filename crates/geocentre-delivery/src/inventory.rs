//! Every file of a delivery, accounted for. An ingest walks the paths it
//! is given (directories recursively, zip archives when the rules say so)
//! and sorts each file into one of three piles:
//!
//! - **data**: a file the ingest tries (an image for orthophotos, a vector
//!   file for vector data), with the sidecars GDAL may read beside it and
//!   the drivers allowed to open it ([`crate::formats`]), or the reason it
//!   must not be opened at all;
//! - **sidecar**: a known companion of a data file (world file, `.aux.xml`,
//!   `.prj`, `.ovr`, `.msk`; `.shx`, `.dbf`, `.cpg`… for Shapefiles), listed
//!   with the file it belongs to;
//! - **ignored**: everything else, listed with its type (a PDF report, a
//!   metadata XML, a stray archive, a sidecar whose file is missing, a
//!   symbolic link out of the delivery).
//!
//! Nothing is silently skipped: a reviewer sees that nothing was missed.
//! Nothing outside the delivery is read: the walk does not follow symbolic
//! links to directories (a loop, or a way out), nor links to files outside
//! the folder it was given; a data file with such a link beside it (a
//! `.dbf` GDAL would open by name) is refused; GDAL virtual paths given as
//! arguments are refused; zip archives are bounded in entries and inflated
//! size. The walk reads no file content beyond the first bytes of data
//! files and sidecars, to tell what they are, and schemas a GML names.

use crate::formats::{self, Content, Family, Refusal, RefusalCode};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What an ingest tries, and what goes with it.
pub struct Rules {
    /// The formats tried, with their drivers ([`formats::table`]).
    pub family: Family,
    /// Sidecar suffixes (lower case, after the data file's stem or full
    /// name) and what each is.
    pub sidecars: &'static [(&'static str, &'static str)],
    /// Whether zip archives are opened and their members walked like a
    /// directory's files (vector deliveries), or listed as ignored files.
    pub open_archives: bool,
}

impl Rules {
    /// Whether a (lower-case) extension names a format the ingest tries.
    fn is_data(&self, ext: &str) -> bool {
        formats::table(self.family)
            .iter()
            .any(|f| f.extensions.contains(&ext))
    }
}

/// Orthophoto deliveries: GeoTIFF and JPEG 2000 dalles, and every image
/// format a contractor might leave beside them (tried, and rejected with a
/// reason when GDAL cannot use them).
pub const ORTHO: Rules = Rules {
    family: Family::Ortho,
    sidecars: &[
        (".tfw", "world file"),
        (".tifw", "world file"),
        (".tiffw", "world file"),
        (".jgw", "world file"),
        (".jpgw", "world file"),
        (".jpegw", "world file"),
        (".pgw", "world file"),
        (".pngw", "world file"),
        (".gfw", "world file"),
        (".gifw", "world file"),
        (".bpw", "world file"),
        (".bmpw", "world file"),
        (".j2w", "world file"),
        (".jp2w", "world file"),
        (".wld", "world file"),
        (".eww", "world file"),
        (".sdw", "world file"),
        (".aux.xml", "GDAL auxiliary metadata (.aux.xml)"),
        (".prj", "projection (.prj)"),
        (".ovr", "external overviews (.ovr)"),
        (".msk", "external mask (.msk)"),
    ],
    open_archives: false,
};

/// Vector deliveries: every format the vector ingest reads; zip archives
/// are walked like folders.
pub const VECTOR: Rules = Rules {
    family: Family::Vector,
    sidecars: &[
        (".shx", "Shapefile index (.shx)"),
        (".dbf", "Shapefile attributes (.dbf)"),
        (".prj", "projection (.prj)"),
        (".cpg", "Shapefile encoding (.cpg)"),
        (".qix", "Shapefile spatial index (.qix)"),
        (".sbn", "Shapefile spatial index (.sbn)"),
        (".sbx", "Shapefile spatial index (.sbx)"),
        (".shp.xml", "Shapefile metadata (.shp.xml)"),
        (".gfs", "GML schema for GDAL (.gfs)"),
        (".xsd", "GML application schema (.xsd)"),
        (".csvt", "CSV column types (.csvt)"),
        (".dat", "MapInfo table data (.dat)"),
        (".map", "MapInfo table objects (.map)"),
        (".id", "MapInfo table index (.id)"),
        (".ind", "MapInfo table index (.ind)"),
        (".mid", "MapInfo attributes (.mid)"),
        (".aux.xml", "GDAL auxiliary metadata (.aux.xml)"),
    ],
    open_archives: true,
};

/// Most files one delivery may list (a bound on what a client's folder
/// or archive makes us hold).
pub const MAX_FILES: usize = 1_000_000;

/// Bounds on a zip archive of a delivery (`[ingest]` max_archive_bytes,
/// max_archive_ratio, max_archive_entries). An archive beyond one of them
/// is refused as a whole.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArchiveLimits {
    /// Total uncompressed size of the members, in bytes.
    pub max_bytes: u64,
    /// Uncompressed size over the archive's size on disk, for archives
    /// that inflate beyond [`RATIO_FLOOR`].
    pub max_ratio: f64,
    /// Entries in the archive (files and folders).
    pub max_entries: usize,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_bytes: 4 << 30,
            max_ratio: 100.0,
            max_entries: 10_000,
        }
    }
}

/// Below this uncompressed size the ratio is not checked: a small
/// Shapefile whose DBF pads wide text columns with blanks compresses
/// several hundred times and is no threat.
pub const RATIO_FLOOR: u64 = 64 << 20;

/// A file the ingest tries.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Where it is, as the report shows it (a zip member as `a.zip/x.shp`).
    pub path: PathBuf,
    /// How GDAL opens it (`/vsizip/…` for a zip member).
    pub gdal_path: String,
    /// The names (not paths) of its sidecars, given to GDAL as the only
    /// sibling files it may read.
    pub siblings: Vec<String>,
    /// Its sidecars' paths, for fingerprints.
    pub sidecar_paths: Vec<PathBuf>,
    /// The only GDAL drivers that may open it (from its extension).
    pub drivers: &'static [&'static str],
    /// Why it must not be opened at all; None: open it with `drivers`.
    pub refusal: Option<Refusal>,
    /// What its first bytes say it is, to explain a failed open.
    pub content: Content,
}

/// A file the ingest does not try.
#[derive(Debug, Clone)]
pub struct OtherFile {
    pub path: PathBuf,
    /// The data file it goes with; None for an ignored file.
    pub sidecar_of: Option<PathBuf>,
    /// What it is: the sidecar's kind, or the ignored file's type.
    pub kind: String,
}

impl OtherFile {
    /// Its status in a report: `sidecar` or `ignored`.
    pub fn status(&self) -> &'static str {
        if self.sidecar_of.is_some() {
            "sidecar"
        } else {
            "ignored"
        }
    }
}

/// The delivery, sorted: what to try, and the rest.
#[derive(Debug, Default)]
pub struct Inventory {
    pub data: Vec<DataFile>,
    pub others: Vec<OtherFile>,
    /// Directories that could not be read, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Paths refused as a whole before anything in them is read: GDAL
    /// virtual paths, zip archives beyond the limits.
    pub refused: Vec<(PathBuf, Refusal)>,
}

/// A file found by the walk: where it is shown, how GDAL opens it.
struct Found {
    shown: PathBuf,
    gdal: String,
    /// Files named on the command line are tried as they are, whatever
    /// their name (a wrong one is reported by the ingest).
    explicit: bool,
    /// The folder it was delivered in (canonical): what its companions and
    /// schemas must stay inside. None for an archive member.
    root: Option<PathBuf>,
}

/// Symbolic links that lead out of the delivery (or nowhere), by folder:
/// the lower-case names, to refuse a data file that GDAL would read them
/// with.
type OutsideLinks = HashMap<PathBuf, Vec<String>>;

fn lower_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn ext_of(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// How GDAL is given a local path: a relative one starts with `./`, so
/// that a name like `CSV:x` or `GTIFF_DIR:1:x.tif` is a file name to GDAL,
/// not a driver prefix.
fn gdal_local(p: &Path) -> String {
    if p.is_relative() {
        Path::new(".").join(p).to_string_lossy().into_owned()
    } else {
        p.to_string_lossy().into_owned()
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Walks `paths` under `rules`: files in the order given, each folder's
/// files in path order (the order an ingest processes them, and the order
/// names are given in when two layers would take the same one).
pub fn walk(paths: &[PathBuf], rules: &Rules, limits: &ArchiveLimits) -> Inventory {
    let mut inv = Inventory::default();
    let mut found: Vec<Found> = Vec::new();
    let mut outside = OutsideLinks::new();
    for p in paths {
        let s = p.to_string_lossy();
        // `/vsicurl/…`, `/vsizip/…`: GDAL would read whatever they name.
        if s.starts_with("/vsi") {
            inv.refused.push((
                p.clone(),
                Refusal::new(
                    RefusalCode::VirtualPath,
                    format!(
                        "{} is a GDAL virtual path, not a delivered file: give files or folders",
                        formats::printable(&s)
                    ),
                ),
            ));
            continue;
        }
        if p.is_dir() {
            let mut here = Vec::new();
            folder(p, rules, limits, &mut here, &mut inv, &mut outside);
            here.sort_by(|a, b| a.shown.cmp(&b.shown));
            found.extend(here);
        } else if opens_as_archive(rules, p) {
            archive(p, limits, &mut found, &mut inv);
        } else {
            let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
            found.push(Found {
                shown: p.clone(),
                gdal: gdal_local(p),
                explicit: true,
                root: Some(canonical(if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    &dir
                })),
            });
        }
    }
    let mut seen = HashSet::new();
    found.retain(|f| seen.insert(f.shown.clone()));
    // The folders of files named one by one: their links out are found
    // too (not listed: the rest of such a folder is not the delivery).
    let dirs: HashSet<PathBuf> = found
        .iter()
        .filter(|f| f.explicit)
        .filter_map(|f| f.shown.parent().map(Path::to_path_buf))
        .collect();
    for dir in dirs {
        if outside.contains_key(&dir) {
            continue;
        }
        let root = canonical(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &dir
        });
        let names = std::fs::read_dir(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &dir
        })
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
                .filter(|e| link_leaves(&e.path(), &root).is_some())
                .map(|e| e.file_name().to_string_lossy().to_lowercase())
                .collect()
        })
        .unwrap_or_default();
        outside.insert(dir, names);
    }
    sort(found, rules, &mut inv, &outside);
    inv
}

/// Whether a file is a zip archive the rules walk like a folder.
fn opens_as_archive(rules: &Rules, p: &Path) -> bool {
    rules.open_archives && ext_of(&lower_name(p)) == "zip" && p.is_file()
}

/// Why a symbolic link is not followed: it leads out of `root`, or
/// nowhere. None for a link that stays inside.
fn link_leaves(link: &Path, root: &Path) -> Option<&'static str> {
    match std::fs::canonicalize(link) {
        Err(_) => Some("broken symbolic link (not followed)"),
        Ok(target) if !target.starts_with(root) => {
            Some("symbolic link to a file outside the delivery (not followed)")
        }
        Ok(_) => None,
    }
}

/// The files under a folder, recursively.
fn folder(
    root: &Path,
    rules: &Rules,
    limits: &ArchiveLimits,
    found: &mut Vec<Found>,
    inv: &mut Inventory,
    outside: &mut OutsideLinks,
) {
    let canon_root = canonical(root);
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) => {
                inv.unreadable.push((dir, e.to_string()));
                continue;
            }
        };
        let mut links_out = Vec::new();
        for e in rd.flatten() {
            if found.len() >= MAX_FILES {
                inv.unreadable
                    .push((dir.clone(), format!("more than {MAX_FILES} files")));
                return;
            }
            let p = e.path();
            let Ok(ft) = e.file_type() else {
                inv.unreadable
                    .push((p, "cannot tell what this entry is".into()));
                continue;
            };
            let ignore = |inv: &mut Inventory, p: PathBuf, kind: &str| {
                inv.others.push(OtherFile {
                    path: p,
                    sidecar_of: None,
                    kind: kind.into(),
                })
            };
            if ft.is_dir() {
                stack.push(p);
                continue;
            }
            if ft.is_symlink() {
                // A link to a file inside the delivery is read as that
                // file; a link out of it, or to a directory, is not.
                if let Some(why) = link_leaves(&p, &canon_root) {
                    links_out.push(lower_name(&p));
                    ignore(inv, p, why);
                    continue;
                }
                if p.is_dir() {
                    ignore(inv, p, "symbolic link to a directory (not followed)");
                    continue;
                }
            }
            // FIFOs, sockets, devices: reading one could block for ever.
            if !p.is_file() {
                ignore(inv, p, "special file (not a regular file, not read)");
            } else if opens_as_archive(rules, &p) {
                archive(&p, limits, found, inv);
            } else {
                found.push(Found {
                    gdal: gdal_local(&p),
                    shown: p,
                    explicit: false,
                    root: Some(canon_root.clone()),
                });
            }
        }
        outside.insert(dir, links_out);
    }
}

/// A size for a report line.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The members of a zip archive, listed through GDAL's /vsizip/ and
/// bounded by `limits`; an archive beyond them is refused as a whole and
/// none of its members is listed.
///
/// The declared sizes (central directory, read by VSIStat: nothing
/// inflated) refuse an honest bomb at once. They are not trusted: GDAL's
/// /vsizip/ reads a member's deflate stream to its end whatever its header
/// declares (a member declaring 1000 bytes reads back as 20 MB), so the
/// members are then inflated once, counting, and the count stops as soon
/// as it passes the limit. The ingest reads the same bytes afterwards.
fn archive(zip: &Path, limits: &ArchiveLimits, found: &mut Vec<Found>, inv: &mut Inventory) {
    let root = format!("/vsizip/{}", gdal_local(zip));
    let ignore = |inv: &mut Inventory, kind: &str| {
        inv.others.push(OtherFile {
            path: zip.to_path_buf(),
            sidecar_of: None,
            kind: kind.into(),
        })
    };
    let members = match gdal::vsi::read_dir(&root, true) {
        Ok(m) => m,
        Err(_) => return ignore(inv, "zip archive that cannot be read"),
    };
    let refuse = |inv: &mut Inventory, reason: String| {
        inv.refused.push((
            zip.to_path_buf(),
            Refusal::new(RefusalCode::ArchiveLimit, reason),
        ))
    };
    if members.len() > limits.max_entries {
        return refuse(
            inv,
            format!(
                "the archive holds {} entries, beyond max_archive_entries = {} ([ingest] in the configuration)",
                members.len(),
                limits.max_entries
            ),
        );
    }
    let on_disk = std::fs::metadata(zip).map(|m| m.len()).unwrap_or(0).max(1);
    let mut files = Vec::new();
    let mut declared = 0u64;
    for m in members {
        let inner = format!("{root}/{}", m.to_string_lossy());
        match geocentre_gdal::vsi_stat(&inner) {
            // Directories inside the archive list as entries too.
            Some(st) if st.is_dir => continue,
            Some(st) => declared = declared.saturating_add(st.size),
            None => {}
        }
        files.push((m, inner));
    }
    let limit = |name: &str, value: String| {
        format!("beyond {name} = {value} ([ingest] in the configuration)")
    };
    if declared > limits.max_bytes {
        return refuse(
            inv,
            format!(
                "the archive declares {} uncompressed, {}",
                size(declared),
                limit("max_archive_bytes", limits.max_bytes.to_string())
            ),
        );
    }
    let ratio = declared as f64 / on_disk as f64;
    if declared > RATIO_FLOOR && ratio > limits.max_ratio {
        return refuse(
            inv,
            format!(
                "the archive declares {} uncompressed in {} (ratio {ratio:.0}), {}",
                size(declared),
                size(on_disk),
                limit("max_archive_ratio", limits.max_ratio.to_string())
            ),
        );
    }
    // What the streams really hold: at most the limits' worth is inflated.
    let ratio_cap = (limits.max_ratio * on_disk as f64).max(RATIO_FLOOR as f64);
    let (cap, which) = if (limits.max_bytes as f64) <= ratio_cap {
        (
            limits.max_bytes,
            limit("max_archive_bytes", limits.max_bytes.to_string()),
        )
    } else {
        (
            ratio_cap as u64,
            limit("max_archive_ratio", limits.max_ratio.to_string()),
        )
    };
    let mut actual = 0u64;
    for (_, inner) in &files {
        // A member that does not inflate is left to the ingest, which
        // reports it damaged.
        let n = geocentre_gdal::vsi_count(inner, cap - actual.min(cap)).unwrap_or(0);
        actual = actual.saturating_add(n);
        if actual > cap {
            return refuse(
                inv,
                format!(
                    "the archive inflates to more than {} from {} on disk, {which}; its headers declare {}",
                    size(cap),
                    size(on_disk),
                    size(declared)
                ),
            );
        }
    }
    if files.is_empty() {
        return ignore(inv, "empty or unreadable zip archive");
    }
    for (m, inner) in files {
        // A member named `/etc/x` is shown inside the archive, not as /etc/x.
        let rel: PathBuf = m
            .components()
            .filter(|c| matches!(c, std::path::Component::Normal(_)))
            .collect();
        found.push(Found {
            shown: zip.join(rel),
            gdal: inner,
            explicit: false,
            root: None,
        });
    }
}

/// Sorts the found files into data, sidecars and ignored files, then
/// decides how each data file may be opened.
fn sort(found: Vec<Found>, rules: &Rules, inv: &mut Inventory, outside: &OutsideLinks) {
    // Data files by folder, to find each sidecar's data file.
    let mut data_by_dir: HashMap<PathBuf, Vec<usize>> = HashMap::new();
    let mut roots: Vec<Option<PathBuf>> = Vec::new();
    let mut rest = Vec::new();
    for f in found {
        let name = lower_name(&f.shown);
        let is_sidecar = rules.sidecars.iter().any(|(s, _)| name.ends_with(s));
        if f.explicit || (rules.is_data(ext_of(&name)) && !is_sidecar) {
            let dir = f.shown.parent().map(Path::to_path_buf).unwrap_or_default();
            data_by_dir.entry(dir).or_default().push(inv.data.len());
            roots.push(f.root);
            inv.data.push(DataFile {
                path: f.shown,
                gdal_path: f.gdal,
                siblings: Vec::new(),
                sidecar_paths: Vec::new(),
                drivers: &[],
                refusal: None,
                content: Content::Other,
            });
        } else {
            rest.push(f);
        }
    }
    for f in rest {
        let name = lower_name(&f.shown);
        let dir = f.shown.parent().map(Path::to_path_buf).unwrap_or_default();
        let owner = rules
            .sidecars
            .iter()
            .filter(|(s, _)| name.ends_with(s))
            .find_map(|(suffix, kind)| {
                let base = &name[..name.len() - suffix.len()];
                let candidates = data_by_dir.get(&dir)?;
                // `image.tif.aux.xml` (the full name) or `image.tfw` (the stem).
                candidates
                    .iter()
                    .copied()
                    .find(|&i| {
                        let d = lower_name(&inv.data[i].path);
                        d == base || d.rsplit_once('.').is_some_and(|(stem, _)| stem == base)
                    })
                    .map(|i| (i, *kind))
            });
        match owner {
            Some((i, kind)) => {
                let d = &mut inv.data[i];
                if let Some(n) = f.shown.file_name() {
                    d.siblings.push(n.to_string_lossy().into_owned());
                }
                d.sidecar_paths.push(f.shown.clone());
                inv.others.push(OtherFile {
                    sidecar_of: Some(d.path.clone()),
                    path: f.shown,
                    kind: kind.to_string(),
                });
            }
            None => {
                let orphan = rules
                    .sidecars
                    .iter()
                    .find(|(s, _)| name.ends_with(s))
                    .map(|(_, k)| format!("{k} without its file"));
                let kind = orphan.unwrap_or_else(|| file_type(&f.shown, &f.gdal));
                inv.others.push(OtherFile {
                    path: f.shown,
                    sidecar_of: None,
                    kind,
                });
            }
        }
    }
    for (d, root) in inv.data.iter_mut().zip(roots) {
        admit(d, rules.family, root.as_deref(), outside);
    }
}

/// A path beside `gdal_path` (same folder, or same folder of the archive).
fn beside(gdal_path: &str, name: &str) -> String {
    match gdal_path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_string(),
    }
}

/// Decides how a data file may be opened: its drivers, or the refusal.
fn admit(d: &mut DataFile, family: Family, root: Option<&Path>, outside: &OutsideLinks) {
    let name = lower_name(&d.path);
    // GDAL opens a Shapefile's .dbf, a GML's .gfs and .xsd, an image's
    // .ovr by name: one that leads out of the delivery refuses its file.
    let prefix = format!(
        "{}.",
        name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s)
    );
    let dir = d.path.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Some(link) = outside
        .get(&dir)
        .and_then(|names| names.iter().find(|n| n.starts_with(&prefix) && **n != name))
    {
        d.refusal = Some(Refusal::new(
            RefusalCode::OutsideDelivery,
            format!(
                "{} beside it is a symbolic link out of the delivery, which GDAL would read with it",
                formats::printable(link)
            ),
        ));
        return;
    }
    let head = read_head(&d.gdal_path, formats::HEAD_BYTES);
    d.content = formats::sniff(&head);
    match formats::admit(family, &name, &head) {
        Ok(drivers) => d.drivers = drivers,
        Err(r) => {
            d.refusal = Some(r);
            return;
        }
    }
    for sibling in &d.siblings {
        let sc_head = read_head(&beside(&d.gdal_path, sibling), formats::HEAD_BYTES);
        if let Some(r) = formats::sidecar_refusal(sibling, &sc_head) {
            d.refusal = Some(r);
            return;
        }
    }
    if formats::extension(&name) == "kml" {
        if let Some(around) = find_in_file(&d.gdal_path, formats::KML_NETWORK_LINK) {
            d.refusal = Some(formats::kml_refusal(&around));
            return;
        }
    }
    // GDAL's GML reader reads the .xsd beside the file and every schema it
    // includes or imports, wherever they are.
    if formats::extension(&name) == "gml" {
        if let Some(xsd) = d
            .siblings
            .iter()
            .find(|s| s.to_ascii_lowercase().ends_with(".xsd"))
        {
            d.refusal = schema_refusal(&beside(&d.gdal_path, xsd), xsd, root);
        }
    }
}

/// Most schema files followed from one GML's schema, and the most read
/// of each.
const MAX_SCHEMAS: usize = 32;
const MAX_SCHEMA_BYTES: usize = 1 << 20;

/// The refusal of a GML whose schema (`first`, named `xsd` in the report)
/// includes or imports a file outside the delivery, directly or through
/// the schemas it names. URLs are allowed: the ingest has no network.
fn schema_refusal(first: &str, xsd: &str, root: Option<&Path>) -> Option<Refusal> {
    let refuse = |what: String| {
        Some(Refusal::new(
            RefusalCode::IndirectSource,
            format!(
                "the GML schema {} beside it refers to {what}: only the delivered files are read",
                formats::printable(xsd)
            ),
        ))
    };
    let mut queue = vec![first.to_string()];
    let mut seen = HashSet::new();
    while let Some(p) = queue.pop() {
        if !seen.insert(p.clone()) {
            continue;
        }
        if seen.len() > MAX_SCHEMAS {
            return refuse(format!("more than {MAX_SCHEMAS} schema files"));
        }
        let text = String::from_utf8_lossy(&read_head(&p, MAX_SCHEMA_BYTES)).into_owned();
        for r in formats::xsd_references(&text) {
            if !formats::reference_stays_inside(&r) {
                return refuse(formats::printable(&r));
            }
            let lower = r.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                continue;
            }
            let next = beside(&p, &r);
            if !next.starts_with("/vsi") {
                match (std::fs::canonicalize(&next), root) {
                    (Ok(c), Some(root)) if !c.starts_with(root) => {
                        return refuse(format!("{} (a link out of it)", formats::printable(&r)))
                    }
                    (Err(_), _) => continue,
                    _ => {}
                }
            }
            queue.push(next);
        }
    }
    None
}

/// What a file is, from its first bytes, else its extension: the type an
/// ignored file is listed with.
pub fn file_type(shown: &Path, gdal_path: &str) -> String {
    // Zip members are typed by their extension: reading one would
    // inflate it.
    let head = if gdal_path.starts_with("/vsi") {
        Vec::new()
    } else {
        read_head(gdal_path, 16)
    };
    let h = &head[..];
    let magic = [
        (&b"%PDF"[..], "PDF document"),
        (&b"PK\x03\x04"[..], "zip archive"),
        (&b"Rar!"[..], "RAR archive"),
        (&b"7z\xbc\xaf\x27\x1c"[..], "7-Zip archive"),
        (&b"\x1f\x8b"[..], "gzip archive"),
        (&b"\x89PNG"[..], "PNG image"),
        (&b"\xff\xd8\xff"[..], "JPEG image"),
        (&b"II*\x00"[..], "TIFF image"),
        (&b"MM\x00*"[..], "TIFF image"),
        (&b"GIF8"[..], "GIF image"),
        (&b"\xd0\xcf\x11\xe0"[..], "Microsoft Office document (OLE)"),
        (&b"<?xml"[..], "XML document"),
    ];
    if let Some((_, t)) = magic.iter().find(|(m, _)| h.starts_with(m)) {
        return (*t).to_string();
    }
    let name = lower_name(shown);
    let by_ext: BTreeMap<&str, &str> = [
        ("txt", "text file"),
        ("md", "text file"),
        ("csv", "CSV table"),
        ("xml", "XML document"),
        ("html", "HTML document"),
        ("htm", "HTML document"),
        ("json", "JSON document"),
        ("doc", "Word document"),
        ("docx", "Word document"),
        ("xls", "spreadsheet"),
        ("xlsx", "spreadsheet"),
        ("ods", "spreadsheet"),
        ("odt", "text document"),
        ("zip", "zip archive"),
        ("tar", "tar archive"),
        ("gz", "gzip archive"),
        ("7z", "7-Zip archive"),
        ("rar", "RAR archive"),
        ("vrt", "GDAL virtual dataset (not delivery data)"),
        ("qgs", "QGIS project"),
        ("qgz", "QGIS project"),
        ("qml", "QGIS style"),
        ("sld", "SLD style"),
        ("lyr", "ArcGIS layer file"),
        ("mxd", "ArcGIS map document"),
        ("exe", "program"),
        ("db", "database file"),
    ]
    .into_iter()
    .collect();
    match by_ext.get(ext_of(&name)) {
        Some(t) => (*t).to_string(),
        None if h.is_empty() => "empty file".into(),
        None if h
            .iter()
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()) =>
        {
            "text file".into()
        }
        None => "unknown binary file".into(),
    }
}

/// Whether `needle` occurs anywhere in a file (read once, in blocks):
/// the bytes from it on (up to 4 KiB) when it does.
fn find_in_file(gdal_path: &str, needle: &[u8]) -> Option<Vec<u8>> {
    const BLOCK: usize = 1 << 20;
    let mut offset = 0u64;
    loop {
        let block = read_at(gdal_path, offset, BLOCK + needle.len() + 4096);
        if let Some(i) = block.windows(needle.len()).position(|w| w == needle) {
            return Some(block[i..].iter().copied().take(4096).collect());
        }
        if block.len() < BLOCK + needle.len() {
            return None;
        }
        offset += BLOCK as u64;
    }
}

/// Up to `len` bytes of a file from `offset`.
fn read_at(gdal_path: &str, offset: u64, len: usize) -> Vec<u8> {
    use std::io::{Read, Seek, SeekFrom};
    if gdal_path.starts_with("/vsi") {
        return geocentre_gdal::vsi_read_at(gdal_path, offset, len).unwrap_or_default();
    }
    if !std::fs::metadata(gdal_path).is_ok_and(|m| m.is_file()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Ok(mut f) = std::fs::File::open(gdal_path) {
        if f.seek(SeekFrom::Start(offset)).is_ok() {
            let _ = f.take(len as u64).read_to_end(&mut out);
        }
    }
    out
}

/// The first `max` bytes of a file: through GDAL's virtual file system
/// for a zip member (inflated that far only), a regular file only
/// otherwise (a FIFO would block).
fn read_head(gdal_path: &str, max: usize) -> Vec<u8> {
    use std::io::Read;
    if gdal_path.starts_with("/vsi") {
        return geocentre_gdal::vsi_head(gdal_path, max).unwrap_or_default();
    }
    if !std::fs::metadata(gdal_path).is_ok_and(|m| m.is_file()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Ok(f) = std::fs::File::open(gdal_path) {
        let _ = f.take(max as u64).read_to_end(&mut out);
    }
    out
}

/// The order of a report's lines: each data file in processing order,
/// followed by its sidecars, then the ignored files in path order.
/// `line_of` gives a line's path and, for a sidecar, its data file's path.
pub fn report_order<T>(
    data: Vec<T>,
    others: Vec<T>,
    line_of: impl Fn(&T) -> (String, Option<String>),
) -> Vec<T> {
    let mut by_owner: HashMap<String, Vec<(String, T)>> = HashMap::new();
    let mut ignored: Vec<(String, T)> = Vec::new();
    for o in others {
        match line_of(&o) {
            (path, Some(owner)) => by_owner.entry(owner).or_default().push((path, o)),
            (path, None) => ignored.push((path, o)),
        }
    }
    ignored.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for d in data {
        let mine = by_owner.remove(&line_of(&d).0);
        out.push(d);
        if let Some(mut mine) = mine {
            mine.sort_by(|a, b| a.0.cmp(&b.0));
            out.extend(mine.into_iter().map(|(_, s)| s));
        }
    }
    // Sidecars whose data file has no line (none expected), then the rest.
    let mut left: Vec<(String, T)> = by_owner.into_values().flatten().collect();
    left.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(left.into_iter().map(|(_, s)| s));
    out.extend(ignored.into_iter().map(|(_, s)| s));
    out
}

/// How many files of each status a report lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub files: usize,
    pub ingested: usize,
    pub rejected: usize,
    pub sidecar: usize,
    pub ignored: usize,
}

impl Totals {
    /// Counts statuses (`ingested`, `rejected`, `sidecar`, `ignored`).
    pub fn count<'a>(statuses: impl IntoIterator<Item = &'a str>) -> Totals {
        let mut t = Totals::default();
        for s in statuses {
            t.files += 1;
            match s {
                "ingested" => t.ingested += 1,
                "sidecar" => t.sidecar += 1,
                "ignored" => t.ignored += 1,
                _ => t.rejected += 1,
            }
        }
        t
    }

    /// The French line ending a text report.
    pub fn line(&self) -> String {
        format!(
            "Fichiers : {} au total — {} intégré(s), {} rejeté(s), {} fichier(s) annexe(s), {} ignoré(s)",
            self.files, self.ingested, self.rejected, self.sidecar, self.ignored
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str, bytes: &[u8]) {
        std::fs::write(dir.join(name), bytes).unwrap();
    }

    #[test]
    fn every_file_is_sorted_and_sidecars_find_their_image() {
        let d = std::env::temp_dir().join(format!("gc-inv-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub")).unwrap();
        touch(&d, "a.tif", b"II*\x00");
        touch(&d, "a.tfw", b"0.2\n0\n0\n-0.2\n1\n2\n");
        touch(&d, "a.tif.aux.xml", b"<PAMDataset/>");
        touch(&d, "b.jpg", b"\xff\xd8\xff");
        touch(&d, "b.jgw", b"");
        touch(&d, "b.prj", b"PROJCS[]");
        touch(&d, "orphan.tfw", b"");
        touch(&d, "rapport", b"%PDF-1.4");
        touch(&d, "sub/notes.txt", b"hello");
        let inv = walk(std::slice::from_ref(&d), &ORTHO, &ArchiveLimits::default());
        let names: Vec<_> = inv.data.iter().map(|f| lower_name(&f.path)).collect();
        assert_eq!(names, ["a.tif", "b.jpg"]);
        assert_eq!(inv.data[0].siblings.len(), 2, "{:?}", inv.data[0].siblings);
        assert_eq!(inv.data[1].siblings.len(), 2, "{:?}", inv.data[1].siblings);
        let kind = |n: &str| {
            inv.others
                .iter()
                .find(|o| lower_name(&o.path) == n)
                .map(|o| (o.sidecar_of.is_some(), o.kind.clone()))
                .unwrap()
        };
        assert_eq!(kind("a.tfw"), (true, "world file".into()));
        assert_eq!(kind("b.prj"), (true, "projection (.prj)".into()));
        assert_eq!(
            kind("orphan.tfw"),
            (false, "world file without its file".into())
        );
        assert_eq!(kind("rapport"), (false, "PDF document".into()));
        assert_eq!(kind("notes.txt"), (false, "text file".into()));
        assert_eq!(inv.data.len() + inv.others.len(), 9);
        std::fs::remove_dir_all(&d).unwrap();
    }

    fn scratch(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gc-inv-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn links_out_of_the_delivery_are_not_followed() {
        let base = scratch("links");
        let (d, out) = (base.join("livraison"), base.join("ailleurs"));
        std::fs::create_dir_all(d.join("sous")).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        touch(&out, "secret.geojson", b"{}");
        touch(&out, "deps.dbf", b"");
        touch(&d, "deps.shp", b"\x00\x00\x27\x0a");
        touch(&d, "ok.geojson", b"{}");
        std::os::unix::fs::symlink(out.join("secret.geojson"), d.join("secret.geojson")).unwrap();
        std::os::unix::fs::symlink(out.join("deps.dbf"), d.join("deps.dbf")).unwrap();
        std::os::unix::fs::symlink(d.join("ok.geojson"), d.join("sous/copie.geojson")).unwrap();
        std::os::unix::fs::symlink(d.join("absent"), d.join("casse.geojson")).unwrap();
        let inv = walk(std::slice::from_ref(&d), &VECTOR, &ArchiveLimits::default());
        let data: Vec<_> = inv.data.iter().map(|f| lower_name(&f.path)).collect();
        assert_eq!(data, ["deps.shp", "ok.geojson", "copie.geojson"]);
        let kind = |n: &str| {
            inv.others
                .iter()
                .find(|o| lower_name(&o.path) == n)
                .map(|o| o.kind.clone())
                .unwrap()
        };
        assert!(kind("secret.geojson").contains("outside"));
        assert!(kind("deps.dbf").contains("outside"));
        assert!(kind("casse.geojson").contains("broken"));
        let shp = &inv.data[0];
        let r = shp.refusal.as_ref().expect("refused");
        assert_eq!(r.code, RefusalCode::OutsideDelivery);
        assert!(r.reason.contains("deps.dbf"), "{}", r.reason);
        assert!(inv.data[1].refusal.is_none() && inv.data[2].refusal.is_none());
        // A file named on the command line: its folder's links count too.
        let inv = walk(&[d.join("deps.shp")], &VECTOR, &ArchiveLimits::default());
        assert_eq!(
            inv.data[0].refusal.as_ref().map(|r| r.code),
            Some(RefusalCode::OutsideDelivery)
        );
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn virtual_paths_are_refused_and_content_decides_drivers() {
        let d = scratch("vsi");
        touch(&d, "vrt.geojson", b"<OGRVRTDataSource><OGRVRTLayer name=\"x\"><SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>");
        touch(
            &d,
            "nl.kml",
            format!(
                "<kml>{}<NetworkLink><Link><href>http://x/y.kml</href></Link></NetworkLink></kml>",
                " ".repeat(2 << 20)
            )
            .as_bytes(),
        );
        touch(&d, "ok.kml", b"<kml><Placemark/></kml>");
        let paths = [
            PathBuf::from("/vsicurl/http://127.0.0.1:1/x.geojson"),
            d.join("vrt.geojson"),
            d.join("nl.kml"),
            d.join("ok.kml"),
        ];
        let inv = walk(&paths, &VECTOR, &ArchiveLimits::default());
        assert_eq!(inv.refused.len(), 1);
        assert_eq!(inv.refused[0].1.code, RefusalCode::VirtualPath);
        let codes: Vec<_> = inv
            .data
            .iter()
            .map(|f| f.refusal.as_ref().map(|r| r.code))
            .collect();
        assert_eq!(
            codes,
            [
                Some(RefusalCode::IndirectSource),
                Some(RefusalCode::IndirectSource),
                None
            ]
        );
        assert!(inv.data[1]
            .refusal
            .as_ref()
            .unwrap()
            .reason
            .contains("http://x/y.kml"));
        assert_eq!(inv.data[2].drivers, &["LIBKML", "KML"]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn totals_add_up() {
        let t = Totals::count(["ingested", "rejected", "sidecar", "ignored", "ignored"]);
        assert_eq!(
            (t.files, t.ingested, t.rejected, t.sidecar, t.ignored),
            (5, 1, 1, 1, 2)
        );
    }
}
