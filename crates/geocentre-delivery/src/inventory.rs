//! Every file of a delivery, accounted for. An ingest walks the paths it
//! is given (directories recursively, zip archives when the rules say so)
//! and sorts each file into one of three piles:
//!
//! - **data**: a file the ingest tries (an image for orthophotos, a vector
//!   file for vector data), with the sidecars GDAL may read beside it;
//! - **sidecar**: a known companion of a data file (world file, `.aux.xml`,
//!   `.prj`, `.ovr`, `.msk`; `.shx`, `.dbf`, `.cpg`… for Shapefiles), listed
//!   with the file it belongs to;
//! - **ignored**: everything else, listed with its type (a PDF report, a
//!   metadata XML, a stray archive, a sidecar whose file is missing).
//!
//! Nothing is silently skipped: a reviewer sees that nothing was missed.
//! The walk does not follow symbolic links to directories (a loop, or a
//! way out of the delivery) and reads no file content beyond a few bytes
//! to name its type.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What an ingest tries, and what goes with it.
pub struct Rules {
    /// Extensions (lower case) of the files the ingest tries.
    pub data: &'static [&'static str],
    /// Sidecar suffixes (lower case, after the data file's stem or full
    /// name) and what each is.
    pub sidecars: &'static [(&'static str, &'static str)],
    /// Whether zip archives are opened and their members walked like a
    /// directory's files (vector deliveries), or listed as ignored files.
    pub open_archives: bool,
}

/// Orthophoto deliveries: GeoTIFF and JPEG 2000 dalles, and every image
/// format a contractor might leave beside them (tried, and rejected with a
/// reason when GDAL cannot use them).
pub const ORTHO: Rules = Rules {
    data: &[
        "tif", "tiff", "jp2", "j2k", "jpf", "jpx", "jpg", "jpeg", "png", "gif", "bmp", "webp",
        "ecw", "sid", "img",
    ],
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
    data: &[
        "gpkg", "shp", "geojson", "json", "csv", "kml", "gml", "fgb", "gpx", "tab", "mif",
    ],
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
}

/// A file found by the walk: where it is shown, how GDAL opens it.
struct Found {
    shown: PathBuf,
    gdal: String,
    /// Files named on the command line are tried as they are, whatever
    /// their name (a wrong one is reported by the ingest).
    explicit: bool,
}

fn lower_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn ext_of(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// Walks `paths` under `rules`: files in the order given, each folder's
/// files in path order (the order an ingest processes them, and the order
/// names are given in when two layers would take the same one).
pub fn walk(paths: &[PathBuf], rules: &Rules) -> Inventory {
    let mut inv = Inventory::default();
    let mut found: Vec<Found> = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut here = Vec::new();
            folder(p, rules, &mut here, &mut inv);
            here.sort_by(|a, b| a.shown.cmp(&b.shown));
            found.extend(here);
        } else if opens_as_archive(rules, p) {
            archive(p, &mut found, &mut inv);
        } else {
            found.push(Found {
                shown: p.clone(),
                gdal: p.to_string_lossy().into_owned(),
                explicit: true,
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(f.shown.clone()));
    sort(found, rules, &mut inv);
    inv
}

/// Whether a file is a zip archive the rules walk like a folder.
fn opens_as_archive(rules: &Rules, p: &Path) -> bool {
    rules.open_archives && ext_of(&lower_name(p)) == "zip" && p.is_file()
}

/// The files under a folder, recursively.
fn folder(root: &Path, rules: &Rules, found: &mut Vec<Found>, inv: &mut Inventory) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) => {
                inv.unreadable.push((dir, e.to_string()));
                continue;
            }
        };
        for e in rd.flatten() {
            if found.len() >= MAX_FILES {
                inv.unreadable
                    .push((dir.clone(), format!("more than {MAX_FILES} files")));
                return;
            }
            let p = e.path();
            // A link to a directory is not followed; a link to a file is
            // read as the file.
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                stack.push(p);
            } else if opens_as_archive(rules, &p) {
                archive(&p, found, inv);
            } else if e.file_type().is_ok_and(|t| t.is_symlink()) && p.is_dir() {
                inv.others.push(OtherFile {
                    path: p,
                    sidecar_of: None,
                    kind: "symbolic link to a directory (not followed)".into(),
                });
            } else {
                found.push(Found {
                    gdal: p.to_string_lossy().into_owned(),
                    shown: p,
                    explicit: false,
                });
            }
        }
    }
}

/// The members of a zip archive, listed through GDAL's /vsizip/ (the
/// central directory only: nothing is inflated here).
fn archive(zip: &Path, found: &mut Vec<Found>, inv: &mut Inventory) {
    let root = format!("/vsizip/{}", zip.to_string_lossy());
    match gdal::vsi::read_dir(&root, true) {
        Ok(members) => {
            let mut n = 0;
            for m in members {
                let inner = format!("{root}/{}", m.to_string_lossy());
                // Directories inside the archive list as entries too.
                if gdal::vsi::read_dir(&inner, false).is_ok_and(|c| !c.is_empty()) {
                    continue;
                }
                n += 1;
                found.push(Found {
                    shown: zip.join(&m),
                    gdal: inner,
                    explicit: false,
                });
            }
            if n == 0 {
                inv.others.push(OtherFile {
                    path: zip.to_path_buf(),
                    sidecar_of: None,
                    kind: "empty or unreadable zip archive".into(),
                });
            }
        }
        Err(_) => inv.others.push(OtherFile {
            path: zip.to_path_buf(),
            sidecar_of: None,
            kind: "zip archive that cannot be read".into(),
        }),
    }
}

/// Sorts the found files into data, sidecars and ignored files.
fn sort(found: Vec<Found>, rules: &Rules, inv: &mut Inventory) {
    // Data files by folder, to find each sidecar's data file.
    let mut data_by_dir: HashMap<PathBuf, Vec<usize>> = HashMap::new();
    let mut rest = Vec::new();
    for f in found {
        let name = lower_name(&f.shown);
        let is_sidecar = rules.sidecars.iter().any(|(s, _)| name.ends_with(s));
        if f.explicit || (rules.data.contains(&ext_of(&name)) && !is_sidecar) {
            let dir = f.shown.parent().map(Path::to_path_buf).unwrap_or_default();
            data_by_dir.entry(dir).or_default().push(inv.data.len());
            inv.data.push(DataFile {
                path: f.shown,
                gdal_path: f.gdal,
                siblings: Vec::new(),
                sidecar_paths: Vec::new(),
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
}

/// What a file is, from its first bytes, else its extension: the type an
/// ignored file is listed with.
pub fn file_type(shown: &Path, gdal_path: &str) -> String {
    let mut head = [0u8; 16];
    let n = read_head(gdal_path, &mut head);
    let h = &head[..n];
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

/// The first bytes of a file (through GDAL's virtual file system for zip
/// members).
fn read_head(gdal_path: &str, buf: &mut [u8]) -> usize {
    use std::io::Read;
    if gdal_path.starts_with("/vsi") {
        // Zip members are typed by their extension: reading one would
        // inflate it.
        return 0;
    }
    std::fs::File::open(gdal_path)
        .and_then(|mut f| f.read(buf))
        .unwrap_or(0)
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
        let inv = walk(std::slice::from_ref(&d), &ORTHO);
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

    #[test]
    fn totals_add_up() {
        let t = Totals::count(["ingested", "rejected", "sidecar", "ignored", "ignored"]);
        assert_eq!(
            (t.files, t.ingested, t.rejected, t.sidecar, t.ignored),
            (5, 1, 1, 1, 2)
        );
    }
}
