//! Records in Dublin Core, as CSW 2.0.2 writes them: `csw:BriefRecord`,
//! `csw:SummaryRecord` and `csw:Record` (OGC 07-006r1 §10.2.5), elements in
//! the schema's order, the box as `ows:BoundingBox` in EPSG:4326
//! (latitude first, as its URN says).

use crate::record::Record;
use geocentre_ogc::wmts::fmt_num;
use geocentre_ogc::xml::Xml;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementSet {
    Brief,
    Summary,
    Full,
}

impl ElementSet {
    pub fn parse(s: &str) -> Option<ElementSet> {
        match s.trim().to_ascii_lowercase().as_str() {
            "brief" => Some(ElementSet::Brief),
            "summary" => Some(ElementSet::Summary),
            "full" => Some(ElementSet::Full),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ElementSet::Brief => "brief",
            ElementSet::Summary => "summary",
            ElementSet::Full => "full",
        }
    }
}

/// The namespaces a document holding DC records declares.
pub const NAMESPACES: &[(&str, &str)] = &[
    ("xmlns:csw", "http://www.opengis.net/cat/csw/2.0.2"),
    ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
    ("xmlns:dct", "http://purl.org/dc/terms/"),
    ("xmlns:ows", "http://www.opengis.net/ows"),
];

/// `url` made absolute against `base` when it is a path.
pub fn absolute(base: &str, url: &str) -> String {
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_string()
    }
}

/// The record's box, under the CRS name it came with (imported records)
/// or EPSG:4326's URN, latitude first when that name says so.
fn bbox(x: &mut Xml, r: &Record) {
    let Some(b) = r.bbox else { return };
    let crs = r
        .bbox_crs
        .as_deref()
        .unwrap_or("urn:ogc:def:crs:EPSG::4326");
    let lat_first =
        (crs.contains("def:crs:EPSG") || crs.contains("/def/crs/EPSG/")) && crs.ends_with("4326");
    let (lo, hi) = if lat_first {
        ((b[1], b[0]), (b[3], b[2]))
    } else {
        ((b[0], b[1]), (b[2], b[3]))
    };
    x.open("ows:BoundingBox", &[("crs", crs)]);
    x.text(
        "ows:LowerCorner",
        &format!("{} {}", fmt_num(lo.0), fmt_num(lo.1)),
    );
    x.text(
        "ows:UpperCorner",
        &format!("{} {}", fmt_num(hi.0), fmt_num(hi.1)),
    );
    x.close("ows:BoundingBox");
}

/// The date part of the record's date stamp (`dc:date`).
fn day(r: &Record) -> &str {
    r.modified.get(..10).unwrap_or(&r.modified)
}

/// Writes one element of a `csw:Record`, by local name (CSW
/// ElementName); false when there is no such element.
pub fn element(x: &mut Xml, r: &Record, local: &str, base: &str) -> bool {
    match local {
        "identifier" => {
            x.text("dc:identifier", &r.id);
        }
        "title" => {
            x.text("dc:title", &r.title);
        }
        "type" => {
            if !r.type_word().is_empty() {
                x.text("dc:type", r.type_word());
            }
        }
        "subject" => {
            for k in r.keywords.iter().chain(r.topics.iter()) {
                x.text("dc:subject", k);
            }
        }
        "format" => {
            for f in &r.formats {
                x.text("dc:format", f);
            }
        }
        "date" => {
            if !r.modified.is_empty() {
                x.text("dc:date", day(r));
            }
        }
        "modified" => {
            if !r.modified.is_empty() {
                x.text("dct:modified", &r.modified);
            }
        }
        "abstract" | "description" => {
            if !r.abstract_.is_empty() {
                x.text("dct:abstract", &r.abstract_);
            }
        }
        "relation" => {
            for rel in r.relations.iter().chain(r.operates_on.iter()) {
                x.text("dc:relation", rel);
            }
        }
        "creator" | "publisher" | "contributor" => {
            for o in &r.organisations {
                x.text(&format!("dc:{local}"), o);
            }
        }
        "language" => {
            if !r.language.is_empty() {
                x.text("dc:language", &r.language);
            }
        }
        "rights" => {
            for s in &r.rights {
                x.text("dc:rights", s);
            }
        }
        "source" => {
            for s in &r.sources {
                x.text("dc:source", s);
            }
        }
        "references" => {
            for l in &r.links {
                let url = absolute(base, &l.url);
                if l.protocol.is_empty() {
                    x.text("dct:references", &url);
                } else {
                    x.text_attrs("dct:references", &[("scheme", &l.protocol)], &url);
                }
            }
        }
        "spatial" => {
            for c in &r.crs {
                x.text("dct:spatial", c);
            }
        }
        "BoundingBox" => bbox(x, r),
        _ => return false,
    }
    true
}

/// Writes one record in an element set. Title and identifier are always
/// written (the brief and summary schemas require them: a record that
/// came without a title has an empty one).
pub fn write(x: &mut Xml, r: &Record, set: ElementSet, base: &str) {
    let (tag, elements): (&str, &[&str]) = match set {
        ElementSet::Brief => (
            "csw:BriefRecord",
            &["identifier", "title", "type", "BoundingBox"],
        ),
        // The schema's order (record.xsd, SummaryRecordType).
        ElementSet::Summary => (
            "csw:SummaryRecord",
            &[
                "identifier",
                "title",
                "type",
                "subject",
                "format",
                "relation",
                "modified",
                "abstract",
                "spatial",
                "BoundingBox",
            ],
        ),
        ElementSet::Full => (
            "csw:Record",
            &[
                "identifier",
                "title",
                "type",
                "subject",
                "format",
                "creator",
                "publisher",
                "language",
                "rights",
                "source",
                "relation",
                "date",
                "modified",
                "abstract",
                "references",
                "spatial",
                "BoundingBox",
            ],
        ),
    };
    x.open(tag, &[]);
    for e in elements {
        // Every name above is one `element` knows.
        element(x, r, e, base);
    }
    x.close(tag);
}

/// A standalone `csw:Record` document (full), for a record kept in Dublin Core.
pub fn document(r: &Record, base: &str) -> String {
    let mut x = Xml::new();
    let mut inner = Xml::default();
    write(&mut inner, r, ElementSet::Full, base);
    // Namespaces on the root element.
    let body = inner.finish();
    let decl: String = NAMESPACES
        .iter()
        .map(|(k, v)| format!(" {k}=\"{v}\""))
        .collect();
    x.out
        .push_str(&body.replacen("<csw:Record>", &format!("<csw:Record{decl}>"), 1));
    x.finish()
}
