//! The formats a delivery may hold, and the only GDAL drivers that open
//! them.
//!
//! GDAL opens a file with whichever driver recognises its content, whatever
//! its name: a `.geojson` that is an OGR VRT is read as one, and a VRT
//! reads any file or URL it names (review 2026-12-07, F1/F2). Every
//! delivered file is therefore opened with the drivers its extension
//! allows (GDALOpenEx `allowed_drivers`), the driver GDAL used is checked
//! after opening, and content that describes other files or services
//! (a VRT, a MapInfo view) is refused before GDAL sees it, with a reason
//! that names what it refers to.
//!
//! This table is the one place where formats are decided; the inventory
//! ([`crate::inventory`]) applies it to every data file it lists.

use serde::Serialize;

/// Why a delivered file is refused before or after GDAL opens it. The
/// string forms are stable: reports, tests and operators match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefusalCode {
    /// A description of other files, URLs or services (GDAL VRT, OGR VRT,
    /// MapInfo view, a schema including files outside the delivery).
    IndirectSource,
    /// The content is not what the extension says.
    FormatMismatch,
    /// An extension that is not a delivery format, or a format refused on
    /// purpose (ERDAS Imagine, ECW, MrSID).
    UnsupportedFormat,
    /// The file, or a companion GDAL would read beside it, is a symbolic
    /// link out of the delivery.
    OutsideDelivery,
    /// A GDAL virtual path (`/vsicurl/…`) given instead of a file.
    VirtualPath,
    /// A zip archive beyond the `[ingest]` archive limits.
    ArchiveLimit,
}

impl RefusalCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::IndirectSource => "indirect-source",
            RefusalCode::FormatMismatch => "format-mismatch",
            RefusalCode::UnsupportedFormat => "unsupported-format",
            RefusalCode::OutsideDelivery => "outside-delivery",
            RefusalCode::VirtualPath => "virtual-path",
            RefusalCode::ArchiveLimit => "archive-limit",
        }
    }
}

/// A refusal and its reason, for the report line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: RefusalCode,
    pub reason: String,
}

impl Refusal {
    pub fn new(code: RefusalCode, reason: impl Into<String>) -> Refusal {
        Refusal {
            code,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.reason)
    }
}

/// Which ingest a delivery is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Ortho,
    Vector,
}

/// One delivery format: its extensions, and the GDAL drivers allowed to
/// open it; or the reason it is refused.
#[derive(Debug)]
pub struct Format {
    pub extensions: &'static [&'static str],
    /// Its name in reports.
    pub name: &'static str,
    pub drivers: &'static [&'static str],
    pub refused: Option<&'static str>,
}

const fn ok(
    extensions: &'static [&'static str],
    name: &'static str,
    drivers: &'static [&'static str],
) -> Format {
    Format {
        extensions,
        name,
        drivers,
        refused: None,
    }
}

const fn refused(
    extensions: &'static [&'static str],
    name: &'static str,
    why: &'static str,
) -> Format {
    Format {
        extensions,
        name,
        drivers: &[],
        refused: Some(why),
    }
}

/// Orthophoto dalles. COGs are GeoTIFFs to GDAL (the COG driver writes
/// only). The images a contractor may leave beside them are tried too and
/// rejected with a reason when unusable.
pub const ORTHO: &[Format] = &[
    ok(&["tif", "tiff"], "GeoTIFF", &["GTiff"]),
    ok(&["jp2", "j2k", "jpf", "jpx"], "JPEG 2000", &["JP2OpenJPEG"]),
    ok(&["jpg", "jpeg"], "JPEG", &["JPEG"]),
    ok(&["png"], "PNG", &["PNG"]),
    ok(&["gif"], "GIF", &["GIF", "BIGGIF"]),
    ok(&["bmp"], "BMP", &["BMP"]),
    ok(&["webp"], "WebP", &["WEBP"]),
    // HFA names its external spill file (.ige) and dependent files by
    // path inside the header: a file could make GDAL read anywhere.
    refused(
        &["img"],
        "ERDAS Imagine",
        "ERDAS Imagine (.img) files can name external files (spill files, dependent rasters) anywhere on the machine, and are not accepted: deliver GeoTIFF or JPEG 2000",
    ),
    // Not built into Debian's GDAL (proprietary SDKs): say so instead of
    // "cannot open".
    refused(
        &["ecw"],
        "ECW",
        "ECW needs a proprietary SDK that this GDAL does not have: deliver GeoTIFF or JPEG 2000",
    ),
    refused(
        &["sid"],
        "MrSID",
        "MrSID needs a proprietary SDK that this GDAL does not have: deliver GeoTIFF or JPEG 2000",
    ),
];

/// Vector data.
///
/// KML: GDAL's KML driver does not read `<ExtendedData>` (every attribute
/// of a Placemark but its name and description would be lost), so LIBKML
/// reads it. GDAL 3.6's LIBKML does not follow the NetworkLinks of a
/// `.kml` file (checked: no file opened, no request sent); it follows
/// those of a KMZ or folder's `doc.kml`, which are not accepted. A KML
/// holding a NetworkLink is refused all the same ([`kml_refusal`]), so
/// that no version of the driver can be led elsewhere.
pub const VECTOR: &[Format] = &[
    ok(&["gpkg"], "GeoPackage", &["GPKG"]),
    ok(&["shp"], "Shapefile", &["ESRI Shapefile"]),
    ok(
        &["geojson", "json"],
        "GeoJSON",
        &["GeoJSON", "ESRIJSON", "TopoJSON"],
    ),
    ok(&["csv"], "CSV", &["CSV"]),
    ok(&["kml"], "KML", &["LIBKML", "KML"]),
    ok(&["gml"], "GML", &["GML"]),
    ok(&["fgb"], "FlatGeobuf", &["FlatGeobuf"]),
    ok(&["gpx"], "GPX", &["GPX"]),
    ok(&["tab", "mif"], "MapInfo", &["MapInfo File"]),
];

pub fn table(family: Family) -> &'static [Format] {
    match family {
        Family::Ortho => ORTHO,
        Family::Vector => VECTOR,
    }
}

/// The extension of a file name, lower case ("" without one).
pub fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase()
}

/// The format a file name belongs to, by its extension.
pub fn format_of(family: Family, name: &str) -> Option<&'static Format> {
    let ext = extension(name);
    table(family)
        .iter()
        .find(|f| f.extensions.contains(&ext.as_str()))
}

/// How many bytes of a file are read to tell what it is: the whole header
/// of a VRT or a MapInfo table, and more than GDAL's own 1 KiB probe.
pub const HEAD_BYTES: usize = 64 * 1024;

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A description of other files or services.
    Indirect {
        what: &'static str,
        /// The first file, URL or connection it names, as written
        /// (bounded, control characters escaped).
        reference: Option<String>,
        /// It carries an SQL query run against that source.
        sql: bool,
    },
    /// A format recognised by its signature, and the drivers that read it.
    Known {
        label: &'static str,
        drivers: &'static [&'static str],
    },
    /// Anything else (text, unknown binary, empty).
    Other,
}

/// XML roots of GDAL formats that only describe other data.
const INDIRECT_ROOTS: &[(&str, &str)] = &[
    ("VRTDataset", "GDAL VRT"),
    ("OGRVRTDataSource", "OGR VRT"),
    ("GDAL_WMS", "GDAL WMS description"),
    ("GDAL_WMTS", "GDAL WMTS description"),
    ("WCS_GDAL", "GDAL WCS description"),
    ("OGRWFSDataSource", "GDAL WFS description"),
];

/// Elements of those formats that hold what they refer to.
const REFERENCE_TAGS: &[&str] = &[
    "SrcDataSource",
    "SourceFilename",
    "ServerUrl",
    "ServerURL",
    "URL",
    "GetCapabilitiesUrl",
];

/// Binary signatures, and the drivers that read them.
const SIGNATURES: &[(&[u8], &str, &[&str])] = &[
    (b"II*\x00", "TIFF image", &["GTiff"]),
    (b"MM\x00*", "TIFF image", &["GTiff"]),
    (b"II+\x00", "BigTIFF image", &["GTiff"]),
    (b"MM\x00+", "BigTIFF image", &["GTiff"]),
    (
        b"\x00\x00\x00\x0cjP  \r\n\x87\n",
        "JPEG 2000 image",
        &["JP2OpenJPEG"],
    ),
    (
        b"\xff\x4f\xff\x51",
        "JPEG 2000 codestream",
        &["JP2OpenJPEG"],
    ),
    (b"\xff\xd8\xff", "JPEG image", &["JPEG"]),
    (b"\x89PNG\r\n\x1a\n", "PNG image", &["PNG"]),
    (b"GIF87a", "GIF image", &["GIF", "BIGGIF"]),
    (b"GIF89a", "GIF image", &["GIF", "BIGGIF"]),
    (b"EHFA_HEADER_TAG", "ERDAS Imagine image", &["HFA"]),
    (
        b"SQLite format 3\x00",
        "GeoPackage or SQLite database",
        &["GPKG"],
    ),
    (b"PK\x03\x04", "zip archive", &[]),
    (b"%PDF", "PDF document", &[]),
    (b"\x00\x00\x27\x0a", "Shapefile", &["ESRI Shapefile"]),
    (b"fgb\x03", "FlatGeobuf file", &["FlatGeobuf"]),
];

/// The head with a UTF-8 byte order mark and leading blanks removed.
fn trimmed(head: &[u8]) -> &[u8] {
    let h = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = h
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(h.len());
    &h[start..]
}

/// The name of the first element of an XML document: after the XML
/// declaration, comments, processing instructions and a DOCTYPE.
fn xml_root(head: &[u8]) -> Option<&str> {
    let mut h = trimmed(head);
    loop {
        if h.starts_with(b"<?") {
            h = trimmed(&h[find(h, b"?>")? + 2..]);
        } else if h.starts_with(b"<!--") {
            h = trimmed(&h[find(h, b"-->")? + 3..]);
        } else if h.starts_with(b"<!") {
            h = trimmed(&h[find(h, b">")? + 1..]);
        } else if let Some(rest) = h.strip_prefix(b"<") {
            let end = rest
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
                .unwrap_or(rest.len());
            let name = std::str::from_utf8(&rest[..end]).ok()?;
            // A prefix (`ogr:FeatureCollection`) is not part of the name.
            return Some(name.rsplit(':').next().unwrap_or(name));
        } else {
            return None;
        }
    }
}

fn find(h: &[u8], needle: &[u8]) -> Option<usize> {
    h.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(h: &[u8], needle: &[u8]) -> Option<usize> {
    h.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// At most this many characters of a referenced path are shown.
const SHOWN_CHARS: usize = 160;

/// `s` for a report line: control characters escaped, cut at
/// [`SHOWN_CHARS`] characters.
pub fn printable(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// XML's predefined entities in a short text (the reference of a VRT).
fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of the first `<tag …>text</tag>` in the head.
fn element_text(head: &[u8], tag: &str) -> Option<String> {
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(i) = find(&head[from..], open.as_bytes()) {
        let at = from + i + open.len();
        // `<SrcDataSource>` or `<SrcDataSource relativeToVRT="1">`, not
        // `<SrcDataSourceX>`.
        if matches!(head.get(at), Some(b'>' | b' ' | b'\t' | b'\r' | b'\n')) {
            let gt = at + find(&head[at..], b">")? + 1;
            let end = gt + find(&head[gt..], b"<")?;
            let text = String::from_utf8_lossy(&head[gt..end]);
            let text = unescape_xml(text.trim());
            if !text.is_empty() {
                return Some(printable(&text));
            }
        }
        from = at;
    }
    None
}

/// What a file is, from its first bytes ([`HEAD_BYTES`] are enough).
pub fn sniff(head: &[u8]) -> Content {
    // GDAL's VRT drivers recognise their root anywhere in the first 1 KiB;
    // an XML document is recognised by its root further on too.
    let probe = &head[..head.len().min(1024)];
    let root = xml_root(head);
    for (tag, what) in INDIRECT_ROOTS {
        let needle = format!("<{tag}");
        if root == Some(*tag) || find_ci(probe, needle.as_bytes()).is_some() {
            let reference = REFERENCE_TAGS.iter().find_map(|t| element_text(head, t));
            let sql = find(head, b"<SrcSQL").is_some();
            return Content::Indirect {
                what,
                reference,
                sql,
            };
        }
    }
    if let Some((_, label, drivers)) = SIGNATURES.iter().find(|(m, _, _)| head.starts_with(m)) {
        return Content::Known { label, drivers };
    }
    if head.starts_with(b"BM") && head.len() >= 14 {
        return Content::Known {
            label: "BMP image",
            drivers: &["BMP"],
        };
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        return Content::Known {
            label: "WebP image",
            drivers: &["WEBP"],
        };
    }
    match root {
        Some("kml") => {
            return Content::Known {
                label: "KML document",
                drivers: &["KML"],
            }
        }
        Some("gpx") => {
            return Content::Known {
                label: "GPX document",
                drivers: &["GPX"],
            }
        }
        _ => {}
    }
    let t = trimmed(head);
    if t.starts_with(b"{") {
        return Content::Known {
            label: "JSON document",
            drivers: &["GeoJSON", "ESRIJSON", "TopoJSON"],
        };
    }
    if root.is_some() {
        // GML, KML and GPX are XML; an XML document is not a raster.
        return Content::Known {
            label: "XML document",
            drivers: &["GML", "KML", "GPX"],
        };
    }
    Content::Other
}

/// The refusal of content that only describes other data.
fn indirect(what: &str, reference: &Option<String>, sql: bool, at: Option<&str>) -> Refusal {
    let within = at.map(|a| format!(" ({a})")).unwrap_or_default();
    let reason = match reference {
        Some(r) => format!(
            "{what}{within} refers to {r}{}: only the delivered data is read",
            if sql { " through an SQL query" } else { "" }
        ),
        None => format!(
            "{what}{within}: a description of other files or services, not data; only the delivered data is read"
        ),
    };
    Refusal::new(RefusalCode::IndirectSource, reason)
}

/// MapInfo tables that are views or seamless tables (lists of other
/// tables), or whose data lives elsewhere (linked, raster, WMS…).
fn mapinfo_refusal(head: &[u8]) -> Option<Refusal> {
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    let refers = |why: &str| {
        let target = text
            .lines()
            .find(|l| {
                l.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("open table")
            })
            .map(|l| printable(l.trim()));
        Some(Refusal::new(
            RefusalCode::IndirectSource,
            match target {
                Some(t) => format!("MapInfo {why} refers to other tables ({t})"),
                None => format!("MapInfo {why} refers to other tables or services"),
            },
        ))
    };
    if lower.contains("create view") || lower.contains("open table") {
        return refers("view");
    }
    if lower.contains("isseamless") {
        return refers("seamless table");
    }
    // `Definition Table / Type NATIVE` (or DBF) holds its own data.
    let typed = lower
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("type "))
        .map(|t| t.split_whitespace().next().unwrap_or("").to_string());
    match typed.as_deref() {
        None | Some("native") | Some("dbf") => None,
        Some(other) => Some(Refusal::new(
            RefusalCode::IndirectSource,
            format!(
                "MapInfo table of type {}: its data lives outside the file",
                printable(other)
            ),
        )),
    }
}

/// The marker of a KML element that loads another document.
pub const KML_NETWORK_LINK: &[u8] = b"NetworkLink";

/// The refusal of a KML holding a NetworkLink, from the text around the
/// marker (what its `<href>` names, when it is there).
pub fn kml_refusal(around: &[u8]) -> Refusal {
    let href = element_text(around, "href");
    Refusal::new(
        RefusalCode::IndirectSource,
        match href {
            Some(h) => format!("KML NetworkLink refers to {h}: only the delivered data is read"),
            None => "KML with a NetworkLink (a link to other documents): only the delivered data is read"
                .to_string(),
        },
    )
}

/// Whether a delivered data file may be opened, from its name and first
/// bytes: the drivers allowed for it, or why it is refused.
pub fn admit(family: Family, name: &str, head: &[u8]) -> Result<&'static [&'static str], Refusal> {
    if let Content::Indirect {
        what,
        reference,
        sql,
    } = sniff(head)
    {
        return Err(indirect(what, &reference, sql, None));
    }
    let ext = extension(name);
    let Some(format) = format_of(family, name) else {
        let accepted: Vec<&str> = table(family)
            .iter()
            .filter(|f| f.refused.is_none())
            .flat_map(|f| f.extensions.iter().copied())
            .collect();
        return Err(Refusal::new(
            RefusalCode::UnsupportedFormat,
            format!(
                "{} is not a delivery format (accepted: .{})",
                if ext.is_empty() {
                    "a name without extension".to_string()
                } else {
                    format!(".{}", printable(&ext))
                },
                accepted.join(", .")
            ),
        ));
    };
    if let Some(why) = format.refused {
        return Err(Refusal::new(RefusalCode::UnsupportedFormat, why));
    }
    if ext == "tab" {
        if let Some(r) = mapinfo_refusal(head) {
            return Err(r);
        }
    }
    Ok(format.drivers)
}

/// The refusal of a sidecar GDAL would read with its data file: one that
/// describes other data (a VRT named `.ovr`), or external overviews and
/// masks that are not TIFF (GDAL opens them with any driver).
pub fn sidecar_refusal(sidecar_name: &str, head: &[u8]) -> Option<Refusal> {
    let content = sniff(head);
    if let Content::Indirect {
        what,
        reference,
        sql,
    } = &content
    {
        return Some(indirect(what, reference, *sql, Some(sidecar_name)));
    }
    let lower = sidecar_name.to_ascii_lowercase();
    if lower.ends_with(".ovr") || lower.ends_with(".msk") {
        let tiff = matches!(&content, Content::Known { drivers, .. } if drivers.contains(&"GTiff"));
        if !tiff {
            return Some(Refusal::new(
                RefusalCode::FormatMismatch,
                format!(
                    "{} beside it is not a TIFF (GDAL reads external overviews and masks as TIFF only)",
                    printable(sidecar_name)
                ),
            ));
        }
    }
    None
}

/// After GDAL failed to open a file with its allowed drivers: the refusal
/// when its content (as [`sniff`] found it) is another known format, None
/// when it is simply unreadable or damaged (the ingest's usual codes apply).
pub fn mismatch(family: Family, name: &str, content: &Content) -> Option<Refusal> {
    let format = format_of(family, name)?;
    match content {
        Content::Known { label, drivers }
            if !drivers.iter().any(|d| format.drivers.contains(d)) =>
        {
            Some(Refusal::new(
                RefusalCode::FormatMismatch,
                format!(
                    "the content is a {label}, not {} as .{} says",
                    format.name,
                    extension(name)
                ),
            ))
        }
        _ => None,
    }
}

/// Checks the driver GDAL actually used against the allowed ones (GDAL
/// honours the allow-list; this says so if that ever changes).
pub fn check_driver(allowed: &[&str], used: &str) -> Result<(), Refusal> {
    if allowed.contains(&used) {
        Ok(())
    } else {
        Err(Refusal::new(
            RefusalCode::FormatMismatch,
            format!(
                "opened by GDAL's {} driver, not one of {}",
                printable(used),
                allowed.join(", ")
            ),
        ))
    }
}

/// The `schemaLocation` values of a W3C XML Schema's include, import,
/// redefine and override elements: the files GDAL's GML reader would read
/// next.
pub fn xsd_references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("schemaLocation") {
        let after = &rest[i + "schemaLocation".len()..];
        let after = after.trim_start();
        let Some(after) = after.strip_prefix('=') else {
            rest = &rest[i + 1..];
            continue;
        };
        let after = after.trim_start();
        let quote = after.chars().next();
        match quote {
            Some(q @ ('"' | '\'')) => {
                let body = &after[1..];
                let end = body.find(q).unwrap_or(body.len());
                out.push(unescape_xml(body[..end].trim()));
                rest = &body[end..];
            }
            _ => rest = after,
        }
        if out.len() >= 256 {
            break;
        }
    }
    out
}

/// Whether a schema reference stays in the delivery: a URL (never
/// fetched: the ingest has no network) or a plain relative path without
/// `..`. Absolute paths, drive letters, `file:` and other schemes,
/// `/vsi…` and backslashes are not.
pub fn reference_stays_inside(r: &str) -> bool {
    let lower = r.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return true;
    }
    !(r.is_empty()
        || r.starts_with('/')
        || r.contains('\\')
        || r.contains(':')
        || r.split('/').any(|c| c == ".."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_extension_has_one_format_and_drivers() {
        for family in [Family::Ortho, Family::Vector] {
            let mut seen = std::collections::HashSet::new();
            for f in table(family) {
                assert!(
                    f.refused.is_some() == f.drivers.is_empty(),
                    "{}: drivers or a refusal",
                    f.name
                );
                for e in f.extensions {
                    assert!(seen.insert(*e), "{e} twice");
                    assert_eq!(*e, e.to_ascii_lowercase());
                }
                for d in f.drivers {
                    assert!(
                        !["VRT", "OGR_VRT", "HFA", "WMS", "WFS", "SQLite"].contains(d),
                        "{d} may read other files"
                    );
                }
            }
        }
    }

    #[test]
    fn the_allow_list_follows_the_extension() {
        let d = |f, n| format_of(f, n).map(|f| f.drivers);
        assert_eq!(d(Family::Ortho, "A.TIF"), Some(&["GTiff"][..]));
        assert_eq!(d(Family::Ortho, "x.jp2"), Some(&["JP2OpenJPEG"][..]));
        assert_eq!(d(Family::Vector, "x.kml"), Some(&["LIBKML", "KML"][..]));
        assert_eq!(
            d(Family::Vector, "a.b.GeoJSON").map(|d| d[0]),
            Some("GeoJSON")
        );
        assert_eq!(d(Family::Vector, "x.vrt"), None);
        assert_eq!(d(Family::Ortho, "x.gpkg"), None);
        assert!(admit(Family::Ortho, "x.tif", b"II*\x00").is_ok());
        let e = admit(Family::Ortho, "x.img", b"EHFA_HEADER_TAG").unwrap_err();
        assert_eq!(e.code, RefusalCode::UnsupportedFormat);
        let e = admit(Family::Vector, "x.vrt", b"").unwrap_err();
        assert_eq!(e.code, RefusalCode::UnsupportedFormat);
        assert!(e.reason.contains(".vrt"), "{e}");
        let e = admit(Family::Vector, "noext", b"").unwrap_err();
        assert!(e.reason.contains("without extension"), "{e}");
    }

    #[test]
    fn vrts_are_refused_and_name_what_they_read() {
        let ogr = b"<?xml version=\"1.0\"?>\n<!-- hi -->\n<OGRVRTDataSource><OGRVRTLayer name=\"leak\"><SrcDataSource relativeToVRT=\"0\">/etc/secret.csv</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>";
        let e = admit(Family::Vector, "delivery.geojson", ogr).unwrap_err();
        assert_eq!(e.code, RefusalCode::IndirectSource);
        assert!(
            e.to_string()
                .starts_with("indirect-source: OGR VRT refers to /etc/secret.csv"),
            "{e}"
        );
        let raster = "\u{feff}  <VRTDataset rasterXSize=\"1\"><VRTRasterBand><SimpleSource><SourceFilename>/vsicurl/http://127.0.0.1:1/x.tif</SourceFilename></SimpleSource></VRTRasterBand></VRTDataset>";
        let e = admit(Family::Ortho, "dalle.tif", raster.as_bytes()).unwrap_err();
        assert!(
            e.reason
                .contains("GDAL VRT refers to /vsicurl/http://127.0.0.1:1/x.tif"),
            "{e}"
        );
        let sql = b"<OGRVRTDataSource><OGRVRTLayer name=\"l\"><SrcDataSource>/x/catalog.sqlite</SrcDataSource><SrcSQL dialect=\"SQLITE\">SELECT 1</SrcSQL></OGRVRTLayer></OGRVRTDataSource>";
        let e = admit(Family::Vector, "a.gml", sql).unwrap_err();
        assert!(
            e.reason.contains("catalog.sqlite through an SQL query"),
            "{e}"
        );
        // GDAL finds the root anywhere in its 1 KiB probe: so do we.
        let hidden = [b"junk junk ".as_slice(), b"<VRTDataset>".as_slice()].concat();
        assert!(matches!(sniff(&hidden), Content::Indirect { .. }));
        // References are bounded and escaped.
        let long = format!(
            "<OGRVRTDataSource><SrcDataSource>{}\u{1b}[2J</SrcDataSource></OGRVRTDataSource>",
            "a".repeat(400)
        );
        let e = admit(Family::Vector, "a.kml", long.as_bytes()).unwrap_err();
        assert!(!e.reason.contains('\u{1b}') && e.reason.len() < 400, "{e}");
        let esc =
            b"<OGRVRTDataSource><SrcDataSource>/tmp/a&amp;b\x1b</SrcDataSource></OGRVRTDataSource>";
        let e = admit(Family::Vector, "a.kml", esc).unwrap_err();
        assert!(e.reason.contains("/tmp/a&b\\u{1b}"), "{e}");
        // Without a reference: still refused.
        let e = admit(Family::Vector, "a.json", b"<GDAL_WMS><Service/></GDAL_WMS>").unwrap_err();
        assert_eq!(e.code, RefusalCode::IndirectSource);
    }

    #[test]
    fn ordinary_content_is_not_indirect() {
        for (name, head) in [
            ("a.geojson", &b"{\"type\":\"FeatureCollection\",\"name\":\"VRTDataset\"}"[..]),
            ("a.gml", b"<?xml version=\"1.0\"?><ogr:FeatureCollection xmlns:ogr=\"x\">"),
            ("a.kml", b"<kml xmlns=\"http://www.opengis.net/kml/2.2\">"),
            ("a.csv", b"id,nom,wkt\n1,VRT,POINT(0 0)\n"),
            ("a.tab", b"!table\n!version 300\n!charset WindowsLatin1\n\nDefinition Table\n  Type NATIVE Charset \"WindowsLatin1\"\n"),
        ] {
            assert!(admit(Family::Vector, name, head).is_ok(), "{name}");
        }
        assert!(admit(Family::Ortho, "a.tif", b"II*\x00\x08\x00").is_ok());
    }

    #[test]
    fn kml_network_links_name_their_target() {
        let e = kml_refusal(b"<NetworkLink><name>x</name><Link><href>http://h/x.kml</href></Link>");
        assert_eq!(e.code, RefusalCode::IndirectSource);
        assert!(e.reason.contains("refers to http://h/x.kml"), "{e}");
        assert!(kml_refusal(b"NetworkLink").reason.contains("NetworkLink"));
    }

    #[test]
    fn mapinfo_views_and_seamless_tables_are_refused() {
        let view = b"!Table\n!Version 100\nOpen Table \"/data/other\" Hide\nCreate View x As Select * From other\n";
        let e = admit(Family::Vector, "v.tab", view).unwrap_err();
        assert_eq!(e.code, RefusalCode::IndirectSource);
        assert!(e.reason.contains("/data/other"), "{e}");
        let seamless = b"!table\n!version 300\nDefinition Table\n  Type NATIVE\nbegin_metadata\n\"\\IsSeamless\" = \"TRUE\"\nend_metadata\n";
        assert!(admit(Family::Vector, "s.TAB", seamless).is_err());
        let linked = b"!table\n!version 300\nDefinition Table\n  Type LINKED\n";
        assert!(admit(Family::Vector, "l.tab", linked).is_err());
    }

    #[test]
    fn signatures_explain_a_mismatch() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00";
        let e = mismatch(Family::Ortho, "dalle.tif", &sniff(png)).unwrap();
        assert_eq!(e.code, RefusalCode::FormatMismatch);
        assert!(
            e.reason.contains("PNG image") && e.reason.contains("GeoTIFF"),
            "{e}"
        );
        let gpkg = b"SQLite format 3\x00rest";
        let e = mismatch(Family::Vector, "x.geojson", &sniff(gpkg)).unwrap();
        assert!(e.reason.contains("GeoPackage"), "{e}");
        // Text, a truncated file of the right kind, nothing: no mismatch.
        assert_eq!(
            mismatch(Family::Ortho, "t.tif", &sniff(b"This is not a TIFF")),
            None
        );
        assert_eq!(
            mismatch(Family::Vector, "t.geojson", &sniff(b"{\"type\":\"Feat")),
            None
        );
        assert_eq!(mismatch(Family::Vector, "t.geojson", &sniff(b"")), None);
        assert!(check_driver(&["GTiff"], "GTiff").is_ok());
        assert_eq!(
            check_driver(&["GTiff"], "VRT").unwrap_err().code,
            RefusalCode::FormatMismatch
        );
    }

    #[test]
    fn sidecars_that_redirect_are_refused() {
        let vrt = b"<VRTDataset><VRTRasterBand><SimpleSource><SourceFilename>/etc/x.tif</SourceFilename></SimpleSource></VRTRasterBand></VRTDataset>";
        let e = sidecar_refusal("dalle.tif.ovr", vrt).unwrap();
        assert_eq!(e.code, RefusalCode::IndirectSource);
        assert!(
            e.reason.contains("dalle.tif.ovr") && e.reason.contains("/etc/x.tif"),
            "{e}"
        );
        assert!(sidecar_refusal("dalle.tif.ovr", b"II*\x00").is_none());
        assert!(sidecar_refusal("dalle.msk", b"\x89PNG\r\n\x1a\n").is_some());
        assert!(sidecar_refusal("dalle.tfw", b"0.2\n0\n0\n-0.2\n1\n2\n").is_none());
        assert!(sidecar_refusal("dalle.tif.aux.xml", b"<PAMDataset/>").is_none());
    }

    #[test]
    fn schema_references_must_stay_inside() {
        let xsd = r#"<xs:schema><xs:include schemaLocation="common.xsd"/>
            <xs:import namespace="g" schemaLocation = 'http://schemas.opengis.net/gml/3.1.1/base/gml.xsd'/>
            <xs:include schemaLocation="/etc/secret.xsd"/><xs:redefine schemaLocation="../up.xsd"/></xs:schema>"#;
        let refs = xsd_references(xsd);
        assert_eq!(
            refs,
            [
                "common.xsd",
                "http://schemas.opengis.net/gml/3.1.1/base/gml.xsd",
                "/etc/secret.xsd",
                "../up.xsd"
            ]
        );
        let inside: Vec<bool> = refs.iter().map(|r| reference_stays_inside(r)).collect();
        assert_eq!(inside, [true, true, false, false]);
        for r in [
            "file:///etc/x.xsd",
            "C:\\x.xsd",
            "/vsicurl/http://x",
            "a/../../b.xsd",
            "",
        ] {
            assert!(!reference_stays_inside(r), "{r}");
        }
        assert!(reference_stays_inside("sub/part.xsd"));
    }

    #[test]
    fn printable_bounds_and_escapes() {
        assert_eq!(printable("a\nb"), "a\\nb");
        assert_eq!(printable(&"x".repeat(500)).chars().count(), SHOWN_CHARS + 1);
    }
}
