//! Imported documents into records: ISO 19139 `gmd:MD_Metadata` and Dublin
//! Core `csw:Record`, one per document or several inside a
//! `csw:GetRecordsResponse`, `csw:GetRecordByIdResponse` or
//! `csw:Transaction`. The parser is the shared bounded one
//! (`geocentre_ogc::xml_tree`): no DTD, no external entity, bounded size,
//! depth and element count. An ISO document is kept as it came (with the
//! namespace declarations its wrapper held), so fields geocentre does not
//! model round-trip.

use crate::record::{Link, Record, ResourceType};
use geocentre_ogc::xml_tree::{self, Limits, Node};

/// Largest document read.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
const LIMITS: Limits = Limits {
    max_bytes: MAX_BYTES,
    max_depth: 64,
    max_nodes: 2_000_000,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Iso19139,
    DublinCore,
}

#[derive(Debug, Clone)]
pub struct Imported {
    pub record: Record,
    pub format: Format,
    /// The record's own XML, standalone.
    pub document: String,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImportError {
    #[error("{0}")]
    Xml(String),
    #[error("the root element is <{0}>: expected gmd:MD_Metadata, csw:Record, or a CSW response or transaction holding them")]
    NotARecord(String),
    #[error("record {index}: {reason}")]
    Invalid { index: usize, reason: String },
}

/// Every record of a document.
pub fn parse(text: &str) -> Result<Vec<Imported>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = xml_tree::parse(text, LIMITS).map_err(|e| ImportError::Xml(e.to_string()))?;
    let mut found: Vec<(&Node, Vec<&Node>)> = Vec::new();
    collect(&root, &mut Vec::new(), &mut found, 0);
    if found.is_empty() {
        return Err(ImportError::NotARecord(root.name.clone()));
    }
    let mut out = Vec::with_capacity(found.len());
    for (i, (node, ancestors)) in found.into_iter().enumerate() {
        let invalid = |reason: String| ImportError::Invalid {
            index: i + 1,
            reason,
        };
        let (record, format) = match node.name.as_str() {
            "MD_Metadata" => (iso_record(node), Format::Iso19139),
            _ => (dc_record(node), Format::DublinCore),
        };
        if record.id.trim().is_empty() {
            return Err(invalid(
                "no identifier (gmd:fileIdentifier or dc:identifier)".into(),
            ));
        }
        if let Some(b) = record.bbox {
            if !(b[0] <= b[2]
                && b[1] <= b[3]
                && b[0] >= -180.0
                && b[2] <= 180.0
                && b[1] >= -90.0
                && b[3] <= 90.0)
            {
                return Err(invalid(format!(
                    "{}: bounding box {b:?} is not west ≤ east, south ≤ north in WGS 84",
                    record.id
                )));
            }
        }
        out.push(Imported {
            record,
            format,
            document: standalone(text, node, &ancestors),
        });
    }
    Ok(out)
}

/// Finds the records: the root itself, or the children of CSW wrappers.
fn collect<'a>(
    n: &'a Node,
    path: &mut Vec<&'a Node>,
    out: &mut Vec<(&'a Node, Vec<&'a Node>)>,
    depth: usize,
) {
    match n.name.as_str() {
        "MD_Metadata" | "Record" => out.push((n, path.clone())),
        "GetRecordsResponse"
        | "GetRecordByIdResponse"
        | "SearchResults"
        | "Transaction"
        | "Insert"
        | "Update"
        | "metadata"
        | "RecordSet"
            if depth < 4 =>
        {
            path.push(n);
            for c in &n.children {
                collect(c, path, out, depth + 1);
            }
            path.pop();
        }
        _ => {}
    }
}

/// The element's source text, with the namespace declarations of its
/// ancestors that it uses but does not repeat.
fn standalone(text: &str, n: &Node, ancestors: &[&Node]) -> String {
    let body = &text[n.span.0..n.span.1];
    let mut extra = String::new();
    for a in ancestors.iter().rev() {
        for (p, uri) in &a.xmlns {
            let declared = n.xmlns.iter().any(|(q, _)| q == p)
                || extra.contains(&format!(" xmlns:{p}="))
                || (p.is_empty() && extra.contains(" xmlns="));
            if declared {
                continue;
            }
            let attr = if p.is_empty() {
                format!(" xmlns=\"{}\"", geocentre_ogc::xml::esc(uri))
            } else {
                format!(" xmlns:{p}=\"{}\"", geocentre_ogc::xml::esc(uri))
            };
            extra.push_str(&attr);
        }
    }
    // After the element's name: `<gmd:MD_Metadata` + extra + the rest.
    let name_end = body
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(body.len());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}{}{}",
        &body[..name_end],
        extra,
        &body[name_end..]
    )
}

fn descendants<'a>(n: &'a Node, name: &str, out: &mut Vec<&'a Node>) {
    for c in &n.children {
        if c.name == name {
            out.push(c);
        }
        descendants(c, name, out);
    }
}

fn all<'a>(n: &'a Node, name: &str) -> Vec<&'a Node> {
    let mut v = Vec::new();
    descendants(n, name, &mut v);
    v
}

/// Follows a path of child names.
fn path<'a>(n: &'a Node, names: &[&str]) -> Option<&'a Node> {
    names.iter().try_fold(n, |n, name| n.child(name))
}

/// The text an ISO property holds: its gco:CharacterString, gmx:Anchor,
/// gco:Date… child, a code list value, or its own text.
fn value(n: &Node) -> Option<String> {
    let v = n
        .children
        .iter()
        .find_map(|c| {
            if let Some(v) = c.attr("codeListValue").filter(|v| !v.trim().is_empty()) {
                return Some(v.trim().to_string());
            }
            let t = c.text.trim();
            (!t.is_empty()).then(|| t.to_string())
        })
        .or_else(|| {
            let t = n.text.trim();
            (!t.is_empty()).then(|| t.to_string())
        })?;
    Some(v)
}

fn values(n: &Node, name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in all(n, name).into_iter().filter_map(value) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn first(n: &Node, name: &str) -> Option<String> {
    all(n, name).into_iter().find_map(value)
}

fn decimal(n: &Node, name: &str) -> Option<f64> {
    first(n, name).and_then(|v| v.parse::<f64>().ok())
}

fn iso_record(md: &Node) -> Record {
    let mut r = Record {
        id: md
            .child("fileIdentifier")
            .and_then(value)
            .unwrap_or_default(),
        origin: "import".into(),
        ..Record::default()
    };
    r.language = md.child("language").and_then(value).unwrap_or_default();
    let level = md
        .child("hierarchyLevel")
        .and_then(value)
        .unwrap_or_else(|| "dataset".into());
    r.resource_type = ResourceType::parse(&level);
    if r.resource_type == ResourceType::Other {
        r.type_name = level;
    }
    r.parent = md.child("parentIdentifier").and_then(value);
    r.modified = md.child("dateStamp").and_then(value).unwrap_or_default();
    let ident = md
        .child("identificationInfo")
        .and_then(|i| i.children.first());
    if let Some(id) = ident {
        if let Some(c) = path(id, &["citation", "CI_Citation"]) {
            r.title = c.child("title").and_then(value).unwrap_or_default();
            for d in c.children_named("date") {
                let Some(cd) = d.child("CI_Date") else {
                    continue;
                };
                let when = cd.child("date").and_then(value);
                let kind = cd.child("dateType").and_then(value).unwrap_or_default();
                match kind.as_str() {
                    "creation" => r.created = when,
                    "publication" => r.published = when,
                    "revision" => r.revised = when,
                    _ => {}
                }
            }
            for i in c.children_named("identifier") {
                if let Some(code) = i
                    .children
                    .first()
                    .and_then(|x| x.child("code"))
                    .and_then(value)
                {
                    r.resource_ids.push(code);
                }
            }
        }
        r.abstract_ = id.child("abstract").and_then(value).unwrap_or_default();
        r.keywords = values(id, "keyword");
        r.topics = values(id, "topicCategory");
        r.organisations = all(id, "organisationName")
            .into_iter()
            .filter_map(value)
            .fold(Vec::new(), |mut v, o| {
                if !v.contains(&o) {
                    v.push(o);
                }
                v
            });
        r.language = id
            .child("language")
            .and_then(value)
            .unwrap_or(std::mem::take(&mut r.language));
        r.resolution_m = all(id, "Distance")
            .into_iter()
            .find_map(|d| d.text.trim().parse::<f64>().ok());
        if let Some(b) = all(id, "EX_GeographicBoundingBox").first() {
            if let (Some(w), Some(e), Some(s), Some(n)) = (
                decimal(b, "westBoundLongitude"),
                decimal(b, "eastBoundLongitude"),
                decimal(b, "southBoundLatitude"),
                decimal(b, "northBoundLatitude"),
            ) {
                r.bbox = Some([w, s, e, n]);
            }
        }
        if let Some(t) = all(id, "TimePeriod").first() {
            let begin = first(t, "beginPosition").unwrap_or_default();
            let end = first(t, "endPosition").unwrap_or_default();
            r.temporal = Some((begin, end));
        }
        for c in all(id, "resourceConstraints") {
            for name in ["useLimitation", "otherConstraints"] {
                for v in values(c, name) {
                    if !r.rights.contains(&v) {
                        r.rights.push(v);
                    }
                }
            }
        }
        r.service_type = id.child("serviceType").and_then(value);
        for o in id.children_named("operatesOn") {
            if let Some(v) = o.attr("uuidref").or_else(|| o.attr("href")) {
                r.operates_on.push(v.to_string());
            }
        }
    }
    r.crs = md
        .children_named("referenceSystemInfo")
        .flat_map(|s| all(s, "code"))
        .filter_map(value)
        .collect();
    if let Some(d) = md.child("distributionInfo") {
        r.formats = all(d, "MD_Format")
            .into_iter()
            .filter_map(|f| f.child("name").and_then(value))
            .collect();
        for o in all(d, "CI_OnlineResource") {
            let Some(url) = o.child("linkage").and_then(value) else {
                continue;
            };
            r.links.push(Link {
                url,
                protocol: o.child("protocol").and_then(value).unwrap_or_default(),
                name: o.child("name").and_then(value).unwrap_or_default(),
                function: o.child("function").and_then(value).unwrap_or_default(),
            });
        }
    }
    if let Some(q) = md.child("dataQualityInfo") {
        r.lineage = first(q, "statement");
    }
    r
}

fn text(n: &Node) -> Option<String> {
    let t = n.text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn dc_texts(n: &Node, name: &str) -> Vec<String> {
    n.children_named(name).filter_map(text).collect()
}

/// The lon/lat box of an `ows:BoundingBox` / `ows:WGS84BoundingBox`.
fn ows_bbox(b: &Node) -> Option<[f64; 4]> {
    let corner = |name: &str| -> Option<(f64, f64)> {
        let t = b.child(name)?.text.clone();
        let mut it = t.split_whitespace().map(|v| v.parse::<f64>().ok());
        Some((it.next()??, it.next()??))
    };
    let (l0, l1) = corner("LowerCorner")?;
    let (u0, u1) = corner("UpperCorner")?;
    let crs = b.attr("crs").unwrap_or("");
    // The URN and http forms of EPSG:4326 are latitude first (the CSW
    // 2.0.2 test records are written that way); WGS84BoundingBox, CRS84
    // and the bare `EPSG:4326` are longitude first.
    let lat_first = b.name == "BoundingBox"
        && (crs.contains("def:crs:EPSG") || crs.contains("/def/crs/EPSG/"))
        && crs.ends_with("4326");
    Some(if lat_first {
        [l1, l0, u1, u0]
    } else {
        [l0, l1, u0, u1]
    })
}

fn dc_record(n: &Node) -> Record {
    let one = |name: &str| n.children_named(name).find_map(text);
    let mut r = Record {
        id: one("identifier").unwrap_or_default(),
        title: one("title").unwrap_or_default(),
        origin: "import".into(),
        ..Record::default()
    };
    let ty = one("type").unwrap_or_default();
    // DCMI types are URIs or words; the word after the last '/' or '#'.
    let word = ty.rsplit(['/', '#', ':']).next().unwrap_or(&ty).to_string();
    r.resource_type = ResourceType::parse(&word);
    if ty != r.resource_type_word() {
        r.type_name = ty;
    }
    r.keywords = dc_texts(n, "subject");
    r.formats = dc_texts(n, "format");
    r.modified = one("modified").or_else(|| one("date")).unwrap_or_default();
    r.abstract_ = one("abstract")
        .or_else(|| one("description"))
        .unwrap_or_default();
    for who in ["creator", "publisher", "contributor"] {
        for o in dc_texts(n, who) {
            if !r.organisations.contains(&o) {
                r.organisations.push(o);
            }
        }
    }
    r.language = one("language").unwrap_or_default();
    r.rights = dc_texts(n, "rights");
    r.rights.extend(dc_texts(n, "license"));
    r.relations = dc_texts(n, "relation");
    r.sources = dc_texts(n, "source");
    for l in n
        .children_named("references")
        .chain(n.children_named("URI"))
    {
        if let Some(url) = text(l) {
            r.links.push(Link {
                url,
                protocol: l.attr("scheme").or(l.attr("protocol")).unwrap_or("").into(),
                name: l.attr("name").unwrap_or("").into(),
                function: String::new(),
            });
        }
    }
    if let Some((b, node)) = n
        .children
        .iter()
        .filter(|c| c.name == "BoundingBox" || c.name == "WGS84BoundingBox")
        .find_map(|c| ows_bbox(c).map(|b| (b, c)))
    {
        r.bbox = Some(b);
        r.bbox_crs = node.attr("crs").map(str::to_string);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    const DC: &str = r#"<?xml version="1.0"?>
<csw:Record xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dct="http://purl.org/dc/terms/" xmlns:ows="http://www.opengis.net/ows">
  <dc:identifier>urn:uuid:1</dc:identifier>
  <dc:title>Lorem ipsum</dc:title>
  <dc:type>http://purl.org/dc/dcmitype/Image</dc:type>
  <dc:subject>Tourism--Greece</dc:subject>
  <dc:format>image/svg+xml</dc:format>
  <dct:modified>2004-03-01</dct:modified>
  <ows:BoundingBox crs="urn:x-ogc:def:crs:EPSG:6.11:4326">
    <ows:LowerCorner>47.595 -4.097</ows:LowerCorner>
    <ows:UpperCorner>51.217 0.889</ows:UpperCorner>
  </ows:BoundingBox>
</csw:Record>"#;

    #[test]
    fn dublin_core_record_reads_with_its_box_latitude_first() {
        let v = parse(DC).unwrap();
        assert_eq!(v.len(), 1);
        let r = &v[0].record;
        assert_eq!(r.id, "urn:uuid:1");
        assert_eq!(r.type_name, "http://purl.org/dc/dcmitype/Image");
        assert_eq!(r.keywords, ["Tourism--Greece"]);
        assert_eq!(r.bbox, Some([-4.097, 47.595, 0.889, 51.217]));
        assert_eq!(v[0].format, Format::DublinCore);
    }

    #[test]
    fn wrapped_records_keep_the_wrappers_namespaces() {
        let doc = r#"<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco"><csw:SearchResults>
<gmd:MD_Metadata><gmd:fileIdentifier><gco:CharacterString>abc</gco:CharacterString></gmd:fileIdentifier>
<gmd:identificationInfo><gmd:MD_DataIdentification><gmd:citation><gmd:CI_Citation><gmd:title><gco:CharacterString>Routes</gco:CharacterString></gmd:title></gmd:CI_Citation></gmd:citation></gmd:MD_DataIdentification></gmd:identificationInfo>
</gmd:MD_Metadata></csw:SearchResults></csw:GetRecordsResponse>"#;
        let v = parse(doc).unwrap();
        assert_eq!(v[0].record.title, "Routes");
        assert!(v[0].document.contains("xmlns:gco="), "{}", v[0].document);
        // The standalone document parses on its own.
        assert_eq!(parse(&v[0].document).unwrap()[0].record.id, "abc");
    }

    #[test]
    fn doctype_and_missing_identifier_are_refused() {
        let e = parse("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
            .unwrap_err();
        assert!(matches!(e, ImportError::Xml(_)), "{e}");
        let e =
            parse(r#"<csw:Record xmlns:csw="x"><dc:title xmlns:dc="y">t</dc:title></csw:Record>"#)
                .unwrap_err();
        assert!(e.to_string().contains("no identifier"), "{e}");
        assert!(matches!(
            parse("<a/>").unwrap_err(),
            ImportError::NotARecord(_)
        ));
    }
}
