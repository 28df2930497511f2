//! CSW 2.0.2 (OGC 07-006r1) with the ISO Application Profile 1.0 (OGC
//! 07-045) and the INSPIRE discovery service's extended capabilities:
//! requests by GET (KVP) and POST (XML) into one [`Request`], and the
//! response documents. No I/O: the server selects the records.
//!
//! Choices, where the specification leaves them open (written down in
//! docs/conformance-choices.md):
//! - `resultType` defaults to `hits` and `maxRecords` to 10 (the
//!   specification's defaults, which CITE relies on); `maxRecords` above
//!   [`MAX_RECORDS`] is lowered to it (a page, not an error);
//! - a QName with a prefix the request does not bind is read with the
//!   conventional binding (`csw`, `gmd`, `dc`, `dct`, `ows`, `apiso`), as
//!   INSPIRE's discovery tests send them undeclared; a name with no prefix
//!   and no default namespace names nothing;
//! - constraints: OGC Filter 1.1 (`FILTER`) and CQL text (`CQL_TEXT`,
//!   the CQL2 text subset geocentre parses, plus CQL 1's
//!   `BBOX(property, w, s, e, n)`); nesting and size are bounded by the
//!   filter parsers.

use crate::dc::{self, ElementSet};
use crate::query::{self, Cond, Queryable};
use crate::record::Record;
use geocentre_filter::fes::{self, Defaults, Filter, Names};
use geocentre_ogc::exception::{OgcError, OwsCode};
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wfs::Namespaces;
use geocentre_ogc::xml::Xml;
use geocentre_ogc::xml_tree::{self, Limits, Node};

pub const NS_CSW: &str = "http://www.opengis.net/cat/csw/2.0.2";
pub const NS_GMD: &str = "http://www.isotc211.org/2005/gmd";
pub const NS_OGC: &str = "http://www.opengis.net/ogc";
/// Largest page.
pub const MAX_RECORDS: usize = 1000;
/// Largest POST body read.
pub const MAX_BODY: usize = 512 * 1024;

const CONVENTIONAL: &[(&str, &str)] = &[
    ("csw", NS_CSW),
    ("gmd", NS_GMD),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("ows", "http://www.opengis.net/ows"),
    ("apiso", "http://www.opengis.net/cat/csw/apiso/1.0"),
    ("ogc", NS_OGC),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputSchema {
    /// `csw:Record` (Dublin Core).
    Csw,
    /// `gmd:MD_Metadata` (ISO 19139).
    Iso,
}

impl OutputSchema {
    fn parse(v: &str) -> Result<OutputSchema, OgcError> {
        match v.trim() {
            "" | NS_CSW | "csw:Record" => Ok(OutputSchema::Csw),
            NS_GMD | "gmd:MD_Metadata" => Ok(OutputSchema::Iso),
            other => Err(OgcError::invalid(
                "outputschema",
                format!("outputSchema '{other}' is not offered: {NS_CSW} or {NS_GMD}"),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultType {
    Hits,
    Results,
    Validate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Elements {
    Set(ElementSet),
    /// `ElementName`s, as written (QNames).
    Names(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct GetRecords {
    pub result_type: ResultType,
    pub schema: OutputSchema,
    /// 1-based.
    pub start: usize,
    pub max: usize,
    pub elements: Elements,
    pub condition: Cond,
    pub sort: Vec<(Queryable, bool)>,
    /// The request as it came (POST), echoed by `resultType=validate`.
    pub echo: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Request {
    GetCapabilities {
        /// None: all sections.
        sections: Option<Vec<String>>,
        language: Option<String>,
    },
    DescribeRecord {
        /// Empty: every type.
        types: Vec<RecordType>,
    },
    GetRecords(GetRecords),
    GetRecordById {
        ids: Vec<String>,
        set: ElementSet,
        schema: OutputSchema,
    },
    GetDomain {
        parameter: Option<String>,
        property: Option<Queryable>,
        property_name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordType {
    CswRecord,
    MdMetadata,
}

fn invalid(locator: &str, m: impl Into<String>) -> OgcError {
    OgcError::invalid(locator, m)
}

fn check_format(v: Option<&str>) -> Result<(), OgcError> {
    match v.map(str::trim) {
        None | Some("") | Some("application/xml") | Some("text/xml") => Ok(()),
        Some(other) => Err(invalid(
            "outputformat",
            format!("outputFormat '{other}' is not offered: application/xml"),
        )),
    }
}

/// Resolves a QName against the request's bindings, then the conventional ones.
fn resolve<'a>(qname: &'a str, ns: &[(String, String)]) -> Option<(String, &'a str)> {
    let q = qname.trim();
    let (prefix, local) = q.split_once(':').unwrap_or(("", q));
    let bound = ns
        .iter()
        .rev()
        .find(|(p, _)| p == prefix)
        .map(|(_, u)| u.clone());
    let uri = match bound {
        Some(u) => u,
        None if prefix.is_empty() => return None,
        None => CONVENTIONAL
            .iter()
            .find(|(p, _)| *p == prefix)?
            .1
            .to_string(),
    };
    Some((uri, local))
}

fn record_type(
    qname: &str,
    ns: &[(String, String)],
    locator: &str,
) -> Result<RecordType, OgcError> {
    match resolve(qname, ns) {
        Some((uri, "Record")) if uri == NS_CSW => Ok(RecordType::CswRecord),
        Some((uri, "MD_Metadata")) if uri == NS_GMD => Ok(RecordType::MdMetadata),
        _ => Err(invalid(
            locator,
            format!(
                "'{qname}' is not a record type of this catalogue: csw:Record or gmd:MD_Metadata"
            ),
        )),
    }
}

/// The namespace bindings of a KVP `NAMESPACE=xmlns(p=uri),xmlns(q=uri)`
/// (CSW writes `=`; WFS-style `,` is read too).
fn kvp_namespaces(v: Option<&str>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(v) = v else { return out };
    for part in v.split("xmlns(").skip(1) {
        let inner = part.split(')').next().unwrap_or("");
        let (p, u) = inner
            .split_once('=')
            .or_else(|| inner.split_once(','))
            .unwrap_or(("", inner));
        out.push((p.trim().to_string(), u.trim().to_string()));
    }
    out
}

fn element_set(v: &str) -> Result<ElementSet, OgcError> {
    ElementSet::parse(v).ok_or_else(|| {
        invalid(
            "elementsetname",
            format!("ElementSetName '{v}': brief, summary or full"),
        )
    })
}

/// A count parameter (`startPosition`, `maxRecords`) as given, or its default.
fn count(name: &str, v: Option<&str>, default: usize) -> Result<usize, OgcError> {
    match v {
        None => Ok(default),
        Some(v) => v.trim().parse::<usize>().map_err(|_| {
            invalid(
                &name.to_ascii_lowercase(),
                format!("{name} '{v}' is not a non-negative integer"),
            )
        }),
    }
}

/// `startPosition` (from 1) and `maxRecords` (bounded by [`MAX_RECORDS`]).
fn paging(start: Option<&str>, max: Option<&str>) -> Result<(usize, usize), OgcError> {
    let start = count("startPosition", start, 1)?;
    if start == 0 {
        return Err(invalid("startposition", "startPosition counts from 1"));
    }
    Ok((start, count("maxRecords", max, 10)?.min(MAX_RECORDS)))
}

fn result_type(v: Option<&str>) -> Result<ResultType, OgcError> {
    match v {
        None | Some("hits") => Ok(ResultType::Hits),
        Some("results") => Ok(ResultType::Results),
        Some("validate") => Ok(ResultType::Validate),
        Some(other) => Err(invalid(
            "resulttype",
            format!("resultType '{other}': hits, results or validate"),
        )),
    }
}

/// What to write of each record: an element set (summary by default) or
/// the elements named, never both.
fn elements(set: Option<&str>, names: Vec<String>) -> Result<Elements, OgcError> {
    match (set, names.is_empty()) {
        (Some(_), false) => Err(invalid(
            "elementname",
            "ElementSetName and ElementName are mutually exclusive",
        )),
        (Some(s), true) => Ok(Elements::Set(element_set(s)?)),
        (None, false) => Ok(Elements::Names(names)),
        (None, true) => Ok(Elements::Set(ElementSet::Summary)),
    }
}

fn sort_of(name: &str) -> Result<Queryable, OgcError> {
    query::queryable(name)
        .filter(|q| *q != Queryable::BoundingBox && *q != Queryable::AnyText)
        .ok_or_else(|| invalid("sortby", format!("cannot sort by '{name}'")))
}

fn constraint_error(e: impl std::fmt::Display) -> OgcError {
    invalid("constraint", e.to_string())
}

/// CQL 1's `BBOX(property, w, s, e, n[, crs])` as the CQL2 text parser
/// reads it: `S_INTERSECTS(property, BBOX(w, s, e, n))`.
fn cql1_bbox(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    loop {
        let upper = rest.to_ascii_uppercase();
        let Some(i) = upper.find("BBOX(") else {
            out.push_str(rest);
            return out;
        };
        let before = rest[..i].trim_end();
        let after = &rest[i + 5..];
        let first_arg = after.split(',').next().unwrap_or("").trim();
        let is_prop = first_arg
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '"');
        if !is_prop
            || before.ends_with(',')
            || before.to_ascii_uppercase().ends_with("S_INTERSECTS(")
        {
            out.push_str(&rest[..i + 5]);
            rest = after;
            continue;
        }
        let Some(close) = after.find(')') else {
            out.push_str(rest);
            return out;
        };
        let args: Vec<&str> = after[..close].split(',').map(str::trim).collect();
        if args.len() < 5 {
            out.push_str(&rest[..i + 5]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..i]);
        out.push_str(&format!(
            "S_INTERSECTS({}, BBOX({}, {}, {}, {}))",
            args[0], args[1], args[2], args[3], args[4]
        ));
        rest = &after[close + 1..];
    }
}

fn cql_condition(text: &str) -> Result<Cond, OgcError> {
    let e = geocentre_filter::cql2_text::from_cql2_text(&cql1_bbox(text), 4326)
        .map_err(constraint_error)?;
    query::compile(&e).map_err(constraint_error)
}

fn filter_condition(root: &Node, src: &str, ns: &[(String, String)]) -> Result<Cond, OgcError> {
    // The filter must be OGC Filter 1.1's (`ogc:Filter`): an element of
    // another namespace by the same name is not a filter.
    let tag = &src[root.span.0..];
    let qname = tag
        .trim_start_matches('<')
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or("");
    let mut scope: Vec<(String, String)> = ns.to_vec();
    scope.extend(root.xmlns.iter().cloned());
    match resolve(qname, &scope) {
        Some((uri, "Filter")) if uri == NS_OGC => {}
        _ => {
            return Err(invalid(
                "constraint",
                format!("<{qname}> is not an OGC Filter 1.1 (namespace {NS_OGC})"),
            ))
        }
    }
    let d = Defaults {
        epsg: 4326,
        authority_axes: true,
        names: Names::Catalog,
    };
    let text = &src[root.span.0..root.span.1];
    let pairs: Vec<(String, String)> = scope;
    match fes::parse_filter(text, d, &Namespaces::from_pairs(pairs)).map_err(constraint_error)? {
        Filter::Expr(e) => query::compile(&e).map_err(constraint_error),
        Filter::Ids(ids) => Ok(Cond::Or(
            ids.into_iter()
                .map(|i| {
                    Cond::Cmp(
                        Queryable::Identifier,
                        geocentre_filter::CmpOp::Eq,
                        geocentre_filter::Literal::Str(i),
                    )
                })
                .collect(),
        )),
    }
}

fn check_service(service: Option<&str>) -> Result<(), OgcError> {
    match service.map(str::trim) {
        None | Some("") => Err(OgcError::missing("service")),
        Some(s) if s.eq_ignore_ascii_case("CSW") => Ok(()),
        Some(s) => Err(invalid("service", format!("service '{s}' is not CSW"))),
    }
}

fn check_version(version: Option<&str>) -> Result<(), OgcError> {
    match version.map(str::trim) {
        None | Some("") | Some("2.0.2") => Ok(()),
        Some(v) => Err(OgcError::new(
            OwsCode::VersionNegotiationFailed,
            Some("version"),
            format!("version {v} is not offered: 2.0.2"),
        )),
    }
}

/// A GET request.
pub fn parse_kvp(k: &Kvp) -> Result<Request, OgcError> {
    let request = k
        .get("REQUEST")
        .ok_or_else(|| OgcError::missing("request"))?;
    check_service(k.get("SERVICE"))?;
    if !request.eq_ignore_ascii_case("GetCapabilities") {
        match k.get("VERSION") {
            None => return Err(OgcError::missing("version")),
            v => check_version(v)?,
        }
    }
    let ns = kvp_namespaces(k.get("NAMESPACE"));
    match request.to_ascii_lowercase().as_str() {
        "getcapabilities" => {
            if let Some(v) = k.get("ACCEPTVERSIONS") {
                if !v.split(',').any(|v| v.trim() == "2.0.2") {
                    return Err(OgcError::new(
                        OwsCode::VersionNegotiationFailed,
                        Some("acceptversions"),
                        format!("none of {v} is offered: 2.0.2"),
                    ));
                }
            }
            let sections = k.has("SECTIONS").then(|| {
                k.get("SECTIONS")
                    .unwrap_or("")
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            });
            Ok(Request::GetCapabilities {
                sections,
                language: k.get("LANGUAGE").map(str::to_string),
            })
        }
        "describerecord" => {
            check_format(k.get("OUTPUTFORMAT"))?;
            schema_language(k.get("SCHEMALANGUAGE"))?;
            let types = match k.get("TYPENAME").or(k.get("TYPENAMES")) {
                None => vec![],
                Some(v) => v
                    .split(',')
                    .map(|t| record_type(t, &ns, "typename"))
                    .collect::<Result<_, _>>()?,
            };
            Ok(Request::DescribeRecord { types })
        }
        "getrecords" => {
            check_format(k.get("OUTPUTFORMAT"))?;
            let schema = OutputSchema::parse(k.get("OUTPUTSCHEMA").unwrap_or(""))?;
            let type_names = k.get("TYPENAMES").ok_or_else(|| OgcError::missing("typenames"))?;
            for t in type_names.split(',') {
                record_type(t, &ns, "typenames")?;
            }
            let result_type =
                result_type(k.get("RESULTTYPE").map(str::to_ascii_lowercase).as_deref())?;
            let names = k
                .get("ELEMENTNAME")
                .map(|n| n.split(',').map(|s| s.trim().to_string()).collect())
                .unwrap_or_default();
            let elements = elements(k.get("ELEMENTSETNAME"), names)?;
            let condition = match (k.get("CONSTRAINT"), k.get("CONSTRAINTLANGUAGE")) {
                (None, _) => Cond::All,
                (Some(_), None) => return Err(OgcError::missing("constraintlanguage")),
                (Some(c), Some(l)) if l.eq_ignore_ascii_case("CQL_TEXT") => cql_condition(c)?,
                (Some(c), Some(l)) if l.eq_ignore_ascii_case("FILTER") => {
                    let root = parse_xml_tree(c)?;
                    filter_condition(&root, c, &ns)?
                }
                (Some(_), Some(l)) => {
                    return Err(invalid(
                        "constraintlanguage",
                        format!("constraint language '{l}': FILTER or CQL_TEXT"),
                    ))
                }
            };
            let mut sort = Vec::new();
            if let Some(s) = k.get("SORTBY") {
                for part in s.split(',') {
                    // `name:A` / `name:D`; the name may itself hold a prefix.
                    let (name, desc) = match part.rsplit_once(':') {
                        Some((n, "D")) | Some((n, "DESC")) => (n, true),
                        Some((n, "A")) | Some((n, "ASC")) => (n, false),
                        _ => (part, false),
                    };
                    sort.push((sort_of(name)?, desc));
                }
            }
            let (start, max) = paging(k.get("STARTPOSITION"), k.get("MAXRECORDS"))?;
            Ok(Request::GetRecords(GetRecords {
                result_type,
                schema,
                start,
                max,
                elements,
                condition,
                sort,
                echo: None,
            }))
        }
        "getrecordbyid" => {
            check_format(k.get("OUTPUTFORMAT"))?;
            let schema = OutputSchema::parse(k.get("OUTPUTSCHEMA").unwrap_or(""))?;
            let ids: Vec<String> = k
                .get("ID")
                .ok_or_else(|| OgcError::missing("id"))?
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if ids.is_empty() {
                return Err(OgcError::missing("id"));
            }
            Ok(Request::GetRecordById {
                ids,
                set: element_set(k.get("ELEMENTSETNAME").unwrap_or("summary"))?,
                schema,
            })
        }
        "getdomain" => domain(k.get("PARAMETERNAME"), k.get("PROPERTYNAME")),
        other => Err(OgcError::new(
            OwsCode::OperationNotSupported,
            Some("request"),
            format!("request '{other}' is not offered: GetCapabilities, DescribeRecord, GetRecords, GetRecordById, GetDomain"),
        )),
    }
}

fn domain(parameter: Option<&str>, property: Option<&str>) -> Result<Request, OgcError> {
    match (parameter, property) {
        (Some(p), None) => Ok(Request::GetDomain {
            parameter: Some(p.trim().to_string()),
            property: None,
            property_name: String::new(),
        }),
        (None, Some(p)) => Ok(Request::GetDomain {
            parameter: None,
            property: Some(
                query::queryable(p)
                    .filter(|q| !matches!(q, Queryable::AnyText | Queryable::BoundingBox))
                    .ok_or_else(|| {
                        invalid(
                            "propertyname",
                            format!("'{p}' is not a queryable with a domain"),
                        )
                    })?,
            ),
            property_name: p.trim().to_string(),
        }),
        _ => Err(OgcError::missing("parametername")),
    }
}

fn schema_language(v: Option<&str>) -> Result<(), OgcError> {
    match v.map(str::trim) {
        None
        | Some("")
        | Some("http://www.w3.org/XML/Schema")
        | Some("http://www.w3.org/2001/XMLSchema")
        | Some("XMLSCHEMA") => Ok(()),
        Some(other) => Err(invalid(
            "schemalanguage",
            format!("schemaLanguage '{other}' is not offered: http://www.w3.org/XML/Schema"),
        )),
    }
}

fn parse_xml_tree(text: &str) -> Result<Node, OgcError> {
    xml_tree::parse(
        text,
        Limits {
            max_bytes: MAX_BODY,
            max_depth: 64,
            max_nodes: 4000,
        },
    )
    .map_err(|e| invalid("request", format!("request body: {e}")))
}

/// Namespace bindings in scope at `n`, with those of `outer`.
fn scope(outer: &[(String, String)], n: &Node) -> Vec<(String, String)> {
    let mut v = outer.to_vec();
    v.extend(n.xmlns.iter().cloned());
    v
}

/// A POST request.
pub fn parse_xml(body: &str) -> Result<Request, OgcError> {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    if body.trim().is_empty() {
        return Err(OgcError::missing("request"));
    }
    let root = parse_xml_tree(body)?;
    let ns = scope(&[], &root);
    let attr = |n: &str| root.attr(n);
    let name = root.name.as_str();
    check_service(attr("service").or(if name == "GetCapabilities" {
        Some("CSW")
    } else {
        None
    }))?;
    if name != "GetCapabilities" {
        check_version(attr("version"))?;
    }
    match name {
        "GetCapabilities" => {
            let sections = root.child("Sections").map(|s| {
                s.children_named("Section")
                    .map(|c| c.text.trim().to_string())
                    .collect()
            });
            if let Some(av) = root.child("AcceptVersions") {
                let versions: Vec<&str> = av
                    .children_named("Version")
                    .map(|v| v.text.trim())
                    .collect();
                if !versions.is_empty() && !versions.contains(&"2.0.2") {
                    return Err(OgcError::new(
                        OwsCode::VersionNegotiationFailed,
                        Some("acceptversions"),
                        format!("none of {} is offered: 2.0.2", versions.join(", ")),
                    ));
                }
            }
            Ok(Request::GetCapabilities {
                sections,
                language: None,
            })
        }
        "DescribeRecord" => {
            check_format(attr("outputFormat"))?;
            schema_language(attr("schemaLanguage"))?;
            let types = root
                .children_named("TypeName")
                .map(|t| record_type(&t.text, &scope(&ns, t), "typename"))
                .collect::<Result<_, _>>()?;
            Ok(Request::DescribeRecord { types })
        }
        "GetRecordById" => {
            check_format(attr("outputFormat"))?;
            let schema = OutputSchema::parse(attr("outputSchema").unwrap_or(""))?;
            let ids: Vec<String> = root
                .children_named("Id")
                .map(|i| i.text.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if ids.is_empty() {
                return Err(OgcError::missing("id"));
            }
            let set = match root.child("ElementSetName") {
                Some(s) => element_set(&s.text)?,
                None => ElementSet::Summary,
            };
            Ok(Request::GetRecordById { ids, set, schema })
        }
        "GetDomain" => domain(
            root.child("ParameterName").map(|n| n.text.as_str()),
            root.child("PropertyName").map(|n| n.text.as_str()),
        ),
        "GetRecords" => get_records_xml(&root, body, &ns),
        other => Err(OgcError::new(
            OwsCode::OperationNotSupported,
            Some("request"),
            format!("<{other}> is not an operation of this catalogue"),
        )),
    }
}

fn get_records_xml(root: &Node, body: &str, ns: &[(String, String)]) -> Result<Request, OgcError> {
    let attr = |n: &str| root.attr(n);
    check_format(attr("outputFormat"))?;
    let schema = OutputSchema::parse(attr("outputSchema").unwrap_or(""))?;
    let result_type = result_type(attr("resultType").map(str::trim))?;
    let (start, max) = paging(attr("startPosition"), attr("maxRecords"))?;
    let q = root
        .child("Query")
        .ok_or_else(|| OgcError::missing("query"))?;
    let qns = scope(ns, q);
    let types = q
        .attr("typeNames")
        .ok_or_else(|| OgcError::missing("typenames"))?;
    for t in types.split_whitespace() {
        record_type(t, &qns, "typenames")?;
    }
    let names: Vec<String> = q
        .children_named("ElementName")
        .map(|e| e.text.trim().to_string())
        .collect();
    let elements = elements(q.child("ElementSetName").map(|s| s.text.as_str()), names)?;
    let condition = match q.child("Constraint") {
        None => Cond::All,
        Some(c) => {
            let cns = scope(&qns, c);
            if let Some(f) = c.children.iter().find(|n| n.name != "CqlText") {
                filter_condition(f, body, &cns)?
            } else if let Some(t) = c.child("CqlText") {
                cql_condition(&t.text)?
            } else {
                return Err(invalid("constraint", "an empty Constraint"));
            }
        }
    };
    let mut sort = Vec::new();
    if let Some(s) = q.child("SortBy") {
        for p in s.children_named("SortProperty") {
            let name = p
                .child("PropertyName")
                .map(|n| n.text.trim().to_string())
                .unwrap_or_default();
            let desc = p
                .child("SortOrder")
                .is_some_and(|o| o.text.trim().eq_ignore_ascii_case("DESC"));
            sort.push((sort_of(&name)?, desc));
        }
    }
    Ok(Request::GetRecords(GetRecords {
        result_type,
        schema,
        start,
        max,
        elements,
        condition,
        sort,
        echo: Some(body[root.span.0..root.span.1].to_string()),
    }))
}

/// A record written as the request asks: an element set, or the named
/// elements of a `csw:Record` in the order asked.
pub fn write_dc(x: &mut Xml, r: &Record, elements: &Elements, base: &str) -> Result<(), OgcError> {
    match elements {
        Elements::Set(set) => {
            dc::write(x, r, *set, base);
            Ok(())
        }
        Elements::Names(names) => {
            x.open("csw:Record", &[]);
            for n in names {
                let local = n.rsplit(':').next().unwrap_or(n);
                if !dc::element(x, r, local, base) {
                    return Err(invalid(
                        "elementname",
                        format!("'{n}' is not an element of csw:Record"),
                    ));
                }
            }
            x.close("csw:Record");
            Ok(())
        }
    }
}

/// The envelope of a GetRecords answer around the records (written
/// already: Dublin Core by [`write_dc`], ISO documents without their XML
/// declaration).
pub fn records_response(
    q: &GetRecords,
    matched: usize,
    records: &[String],
    timestamp: &str,
) -> String {
    let mut x = Xml::new();
    let mut attrs: Vec<(&str, &str)> = dc::NAMESPACES.to_vec();
    attrs.push(("xmlns:gmd", NS_GMD));
    attrs.push(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
    let location = format!("{NS_CSW} http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd");
    attrs.push(("xsi:schemaLocation", &location));
    attrs.push(("version", "2.0.2"));
    x.open("csw:GetRecordsResponse", &attrs);
    x.empty("csw:SearchStatus", &[("timestamp", timestamp)]);
    let returned = records.len();
    let next = if q.start - 1 + returned < matched {
        q.start + returned
    } else {
        0
    };
    let (m, r, n) = (matched.to_string(), returned.to_string(), next.to_string());
    let mut a = vec![
        ("numberOfRecordsMatched", m.as_str()),
        ("numberOfRecordsReturned", r.as_str()),
        ("nextRecord", n.as_str()),
    ];
    if let Elements::Set(s) = &q.elements {
        a.push(("elementSet", s.as_str()));
    }
    if q.schema == OutputSchema::Iso {
        a.push(("recordSchema", NS_GMD));
    }
    x.open("csw:SearchResults", &a);
    for rec in records {
        x.out.push_str(rec);
    }
    x.close("csw:SearchResults");
    x.close("csw:GetRecordsResponse");
    x.finish()
}

/// `resultType=validate`: the request is valid, echoed.
pub fn acknowledgement(q: &GetRecords, timestamp: &str) -> String {
    let mut x = Xml::new();
    x.open(
        "csw:Acknowledgement",
        &[("xmlns:csw", NS_CSW), ("timeStamp", timestamp)],
    );
    x.open("csw:EchoedRequest", &[]);
    match &q.echo {
        Some(body) => x.out.push_str(body),
        None => {
            x.empty(
                "csw:GetRecords",
                &[("service", "CSW"), ("version", "2.0.2")],
            );
        }
    }
    x.close("csw:EchoedRequest");
    x.close("csw:Acknowledgement");
    x.finish()
}

/// GetRecordById's answer around its records.
pub fn by_id_response(records: &[String]) -> String {
    let mut x = Xml::new();
    let mut attrs: Vec<(&str, &str)> = dc::NAMESPACES.to_vec();
    attrs.push(("xmlns:gmd", NS_GMD));
    attrs.push(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
    // Both schemas: INSPIRE's download-service tests look for a
    // schemaLocation in a metadata answer.
    let location = format!(
        "{NS_CSW} http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd {}",
        geocentre_ogc::iso19139::SCHEMA_LOCATION_GMD
    );
    attrs.push(("xsi:schemaLocation", &location));
    x.open("csw:GetRecordByIdResponse", &attrs);
    for r in records {
        x.out.push_str(r);
    }
    x.close("csw:GetRecordByIdResponse");
    x.finish()
}

/// An ISO document without its XML declaration, to sit inside a response.
pub fn embedded(doc: &str) -> &str {
    let d = doc.trim_start_matches('\u{feff}').trim_start();
    match d.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(d, |(_, r)| r.trim_start()),
        None => d,
    }
}

const RECORD_XSD: &str = include_str!("../../../schemas/csw-tree/ogc/csw/2.0.2/record.xsd");

/// DescribeRecord's answer: the schema of each type asked.
pub fn describe_record(types: &[RecordType]) -> String {
    let all = [RecordType::CswRecord, RecordType::MdMetadata];
    let types = if types.is_empty() { &all[..] } else { types };
    let mut x = Xml::new();
    x.open(
        "csw:DescribeRecordResponse",
        &[
            ("xmlns:csw", NS_CSW),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.opengis.net/cat/csw/2.0.2 http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd",
            ),
        ],
    );
    for t in types {
        match t {
            RecordType::CswRecord => {
                x.open(
                    "csw:SchemaComponent",
                    &[
                        ("schemaLanguage", "http://www.w3.org/XML/Schema"),
                        ("targetNamespace", NS_CSW),
                    ],
                );
                // The official schema, its imports made absolute.
                let s = embedded(RECORD_XSD)
                    .replace(
                        "schemaLocation=\"rec-",
                        "schemaLocation=\"http://schemas.opengis.net/csw/2.0.2/rec-",
                    )
                    .replace(
                        "schemaLocation=\"../../ows/1.0.0/",
                        "schemaLocation=\"http://schemas.opengis.net/ows/1.0.0/",
                    );
                x.out.push_str(&s);
                x.close("csw:SchemaComponent");
            }
            RecordType::MdMetadata => {
                x.open(
                    "csw:SchemaComponent",
                    &[
                        ("schemaLanguage", "http://www.w3.org/XML/Schema"),
                        ("targetNamespace", NS_GMD),
                    ],
                );
                x.open(
                    "xsd:schema",
                    &[
                        ("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"),
                        ("targetNamespace", NS_GMD),
                        ("elementFormDefault", "qualified"),
                    ],
                );
                x.empty(
                    "xsd:include",
                    &[(
                        "schemaLocation",
                        "http://schemas.opengis.net/iso/19139/20070417/gmd/gmd.xsd",
                    )],
                );
                x.close("xsd:schema");
                x.close("csw:SchemaComponent");
            }
        }
    }
    x.close("csw:DescribeRecordResponse");
    x.finish()
}

/// The parameters GetDomain can list, with their values.
pub const PARAMETER_DOMAINS: &[(&str, &[&str])] = &[
    ("GetRecords.resultType", &["hits", "results", "validate"]),
    ("GetRecords.outputSchema", &[NS_CSW, NS_GMD]),
    ("GetRecords.outputFormat", &["application/xml"]),
    ("GetRecords.typeNames", &["csw:Record", "gmd:MD_Metadata"]),
    ("GetRecords.ElementSetName", &["brief", "summary", "full"]),
    ("GetRecords.CONSTRAINTLANGUAGE", &["FILTER", "CQL_TEXT"]),
    (
        "GetRecordById.ElementSetName",
        &["brief", "summary", "full"],
    ),
    ("GetRecordById.outputSchema", &[NS_CSW, NS_GMD]),
    (
        "DescribeRecord.typeName",
        &["csw:Record", "gmd:MD_Metadata"],
    ),
];

/// GetDomain's answer: `values` with their counts for a property, or a
/// parameter's values.
pub fn domain_response(
    parameter: Option<&str>,
    property_name: &str,
    values: &[(String, usize)],
) -> Result<String, OgcError> {
    let mut x = Xml::new();
    x.open(
        "csw:GetDomainResponse",
        &[
            ("xmlns:csw", NS_CSW),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.opengis.net/cat/csw/2.0.2 http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd",
            ),
        ],
    );
    match parameter {
        Some(p) => {
            let (name, vals) = PARAMETER_DOMAINS
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(p))
                .ok_or_else(|| {
                    invalid(
                        "parametername",
                        format!("no domain is known for parameter '{p}'"),
                    )
                })?;
            x.open("csw:DomainValues", &[("type", "csw:Record")]);
            x.text("csw:ParameterName", name);
            x.open("csw:ListOfValues", &[]);
            for v in *vals {
                x.text("csw:Value", v);
            }
            x.close("csw:ListOfValues");
            x.close("csw:DomainValues");
        }
        None => {
            x.open("csw:DomainValues", &[("type", "csw:Record")]);
            x.text("csw:PropertyName", property_name);
            if !values.is_empty() {
                x.open("csw:ListOfValues", &[]);
                for (v, n) in values {
                    x.text_attrs("csw:Value", &[("count", &n.to_string())], v);
                }
                x.close("csw:ListOfValues");
            }
            x.close("csw:DomainValues");
        }
    }
    x.close("csw:GetDomainResponse");
    Ok(x.finish())
}

/// What the capabilities say about the service.
pub struct Service<'a> {
    pub title: &'a str,
    pub abstract_: &'a str,
    pub keywords: &'a [&'a str],
    pub provider: &'a str,
    pub email: &'a str,
    /// The endpoint, absolute (`http://host/csw`).
    pub endpoint: &'a str,
    /// The URL of the service's own metadata record (INSPIRE MetadataUrl).
    /// None when there is none (a catalogue holding no record of the
    /// platform's own data): then no INSPIRE extended capabilities either,
    /// as they exist to link to that record.
    pub metadata_url: Option<&'a str>,
    /// ISO 639-2/B, the default first.
    pub languages: &'a [&'a str],
    pub response_language: &'a str,
}

fn section_wanted(sections: &Option<Vec<String>>, name: &str) -> bool {
    match sections {
        None => true,
        Some(v) => v
            .iter()
            .any(|s| s.eq_ignore_ascii_case(name) || s.eq_ignore_ascii_case("All")),
    }
}

fn param(x: &mut Xml, name: &str, values: &[&str]) {
    x.open("ows:Parameter", &[("name", name)]);
    for v in values {
        x.text("ows:Value", v);
    }
    x.close("ows:Parameter");
}

fn constraint(x: &mut Xml, name: &str, values: &[&str]) {
    x.open("ows:Constraint", &[("name", name)]);
    for v in values {
        x.text("ows:Value", v);
    }
    x.close("ows:Constraint");
}

fn operation(
    x: &mut Xml,
    name: &str,
    endpoint: &str,
    post: bool,
    params: &[(&str, &[&str])],
    constraints: &[(&str, &[&str])],
) {
    x.open("ows:Operation", &[("name", name)]);
    x.open("ows:DCP", &[]);
    x.open("ows:HTTP", &[]);
    x.empty("ows:Get", &[("xlink:href", endpoint)]);
    if post {
        x.open("ows:Post", &[("xlink:href", endpoint)]);
        constraint(x, "PostEncoding", &["XML"]);
        x.close("ows:Post");
    }
    x.close("ows:HTTP");
    x.close("ows:DCP");
    for (n, v) in params {
        param(x, n, v);
    }
    for (n, v) in constraints {
        constraint(x, n, v);
    }
    x.close("ows:Operation");
}

/// The ISO AP queryables, unprefixed, as INSPIRE reads them.
const SUPPORTED_ISO_QUERYABLES: &[&str] = &[
    "Subject",
    "Title",
    "Abstract",
    "AnyText",
    "Format",
    "Identifier",
    "Modified",
    "Type",
    "BoundingBox",
    "CRS",
    "OrganisationName",
    "TopicCategory",
    "ResourceIdentifier",
    "ParentIdentifier",
    "CreationDate",
    "PublicationDate",
    "RevisionDate",
    "Language",
    "ResourceLanguage",
    "ServiceType",
    "OperatesOn",
    "OperatesOnIdentifier",
    "TempExtent_begin",
    "TempExtent_end",
    "Denominator",
];

/// The INSPIRE additional queryables (TG discovery services §3.2.2).
/// Those geocentre cannot answer from a record's summary (degree,
/// specification, classification, role) match no record.
const ADDITIONAL_QUERYABLES: &[&str] = &[
    "Degree",
    "SpecificationTitle",
    "SpecificationDate",
    "SpecificationDateType",
    "AccessConstraints",
    "OtherConstraints",
    "Classification",
    "ConditionApplyingToAccessAndUse",
    "Lineage",
    "ResponsiblePartyRole",
];

pub fn capabilities(s: &Service, sections: &Option<Vec<String>>) -> String {
    let mut x = Xml::new();
    let location = format!(
        "{NS_CSW} http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd http://inspire.ec.europa.eu/schemas/inspire_ds/1.0 http://inspire.ec.europa.eu/schemas/inspire_ds/1.0/inspire_ds.xsd"
    );
    x.open(
        "csw:Capabilities",
        &[
            ("xmlns:csw", NS_CSW),
            ("xmlns:ows", "http://www.opengis.net/ows"),
            ("xmlns:ogc", NS_OGC),
            ("xmlns:gml", "http://www.opengis.net/gml"),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xmlns:inspire_ds",
                "http://inspire.ec.europa.eu/schemas/inspire_ds/1.0",
            ),
            ("xmlns:inspire_common", geocentre_ogc::inspire::COMMON),
            ("xsi:schemaLocation", &location),
            ("version", "2.0.2"),
        ],
    );
    if section_wanted(sections, "ServiceIdentification") {
        x.open("ows:ServiceIdentification", &[]);
        x.text("ows:Title", s.title);
        x.text("ows:Abstract", s.abstract_);
        x.open("ows:Keywords", &[]);
        for k in s.keywords {
            x.text("ows:Keyword", k);
        }
        x.close("ows:Keywords");
        x.text("ows:ServiceType", "CSW");
        x.text("ows:ServiceTypeVersion", "2.0.2");
        x.text("ows:Fees", "Aucun frais");
        x.text("ows:AccessConstraints", "Aucune restriction d'accès public");
        x.close("ows:ServiceIdentification");
    }
    if section_wanted(sections, "ServiceProvider") {
        x.open("ows:ServiceProvider", &[]);
        x.text("ows:ProviderName", s.provider);
        x.open("ows:ServiceContact", &[]);
        x.open("ows:ContactInfo", &[]);
        x.open("ows:Address", &[]);
        x.text("ows:ElectronicMailAddress", s.email);
        x.close("ows:Address");
        x.close("ows:ContactInfo");
        x.text("ows:Role", "pointOfContact");
        x.close("ows:ServiceContact");
        x.close("ows:ServiceProvider");
    }
    if section_wanted(sections, "OperationsMetadata") {
        let e = s.endpoint;
        x.open("ows:OperationsMetadata", &[]);
        operation(
            &mut x,
            "GetCapabilities",
            e,
            true,
            &[(
                "sections",
                &[
                    "ServiceIdentification",
                    "ServiceProvider",
                    "OperationsMetadata",
                    "Filter_Capabilities",
                ],
            )],
            &[],
        );
        operation(
            &mut x,
            "DescribeRecord",
            e,
            true,
            &[
                ("typeName", &["csw:Record", "gmd:MD_Metadata"]),
                ("outputFormat", &["application/xml"]),
                ("schemaLanguage", &["http://www.w3.org/XML/Schema"]),
            ],
            &[],
        );
        operation(
            &mut x,
            "GetRecords",
            e,
            true,
            &[
                ("typeNames", &["csw:Record", "gmd:MD_Metadata"]),
                ("outputSchema", &[NS_CSW, NS_GMD]),
                ("outputFormat", &["application/xml"]),
                ("resultType", &["hits", "results", "validate"]),
                ("ElementSetName", &["brief", "summary", "full"]),
                ("CONSTRAINTLANGUAGE", &["FILTER", "CQL_TEXT"]),
            ],
            &[
                ("SupportedISOQueryables", SUPPORTED_ISO_QUERYABLES),
                ("AdditionalQueryables", ADDITIONAL_QUERYABLES),
            ],
        );
        operation(
            &mut x,
            "GetRecordById",
            e,
            true,
            &[
                ("outputSchema", &[NS_CSW, NS_GMD]),
                ("outputFormat", &["application/xml"]),
                ("ElementSetName", &["brief", "summary", "full"]),
            ],
            &[],
        );
        operation(
            &mut x,
            "GetDomain",
            e,
            true,
            &[(
                "ParameterName",
                &PARAMETER_DOMAINS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>(),
            )],
            &[],
        );
        param(&mut x, "service", &["CSW"]);
        param(&mut x, "version", &["2.0.2"]);
        constraint(&mut x, "MaxRecordDefault", &[&MAX_RECORDS.to_string()]);
        if let Some(url) = s.metadata_url {
            x.open("inspire_ds:ExtendedCapabilities", &[]);
            geocentre_ogc::inspire::metadata_and_languages_in(
                &mut x,
                url,
                "application/vnd.ogc.csw.GetRecordByIdResponse_xml",
                false,
                s.languages,
                s.response_language,
            );
            x.close("inspire_ds:ExtendedCapabilities");
        }
        x.close("ows:OperationsMetadata");
    }
    // Filter_Capabilities: mandatory in CSW 2.0.2's schema, whatever the
    // sections. The spatial operators are those `query::eval` tests on a
    // record's box.
    geocentre_ogc::wfs11::filter_capabilities_11(
        &mut x,
        &["BBOX", "Intersects", "Within", "Contains", "Disjoint"],
    );
    x.close("csw:Capabilities");
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kvp(q: &str) -> Kvp {
        Kvp::from_query(Some(q)).unwrap()
    }

    #[test]
    fn kvp_get_records() {
        let r = parse_kvp(&kvp("service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&elementSetName=brief&constraintLanguage=CQL_TEXT&constraint=AnyText%20like%20%27%25route%25%27&maxRecords=5&startPosition=2&sortBy=dc:title:D")).unwrap();
        let Request::GetRecords(q) = r else { panic!() };
        assert_eq!((q.start, q.max, q.result_type), (2, 5, ResultType::Results));
        assert_eq!(q.sort, vec![(Queryable::Title, true)]);
        assert!(matches!(q.condition, Cond::Like(Queryable::AnyText, _)));
    }

    #[test]
    fn bad_requests_name_their_parameter() {
        let e = parse_kvp(&kvp("request=GetCapabilities")).unwrap_err();
        assert_eq!(
            (e.code, e.locator.as_deref()),
            (OwsCode::MissingParameterValue, Some("service"))
        );
        let e = parse_kvp(&kvp("service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&constraintLanguage=CQL_TEXT&constraint=nope%3D1")).unwrap_err();
        assert!(e.message.contains("unknown queryable"), "{e}");
        let e = parse_kvp(&kvp(
            "service=CSW&version=2.0.2&request=GetRecordById&id=x&outputSchema=http://example.org",
        ))
        .unwrap_err();
        assert_eq!(e.locator.as_deref(), Some("outputschema"));
    }

    #[test]
    fn cql1_bbox_reads_as_cql2() {
        assert_eq!(
            cql1_bbox("BBOX(ows:BoundingBox, 1, 47, 2, 48) AND title like 'x'"),
            "S_INTERSECTS(ows:BoundingBox, BBOX(1, 47, 2, 48)) AND title like 'x'"
        );
        assert_eq!(
            cql1_bbox("S_INTERSECTS(g, BBOX(1, 2, 3, 4))"),
            "S_INTERSECTS(g, BBOX(1, 2, 3, 4))"
        );
    }

    #[test]
    fn post_filter_in_another_namespace_is_refused() {
        let body = r#"<csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" service="CSW" version="2.0.2"><csw:Query typeNames="csw:Record"><csw:Constraint version="1.1.0"><ogc:Filter xmlns:ogc="http://www.opengis.net/foo"><ogc:PropertyIsEqualTo><ogc:PropertyName>dc:title</ogc:PropertyName><ogc:Literal>x</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter></csw:Constraint></csw:Query></csw:GetRecords>"#;
        assert!(parse_xml(body).is_err());
        let ok = body.replace("http://www.opengis.net/foo", NS_OGC);
        let Request::GetRecords(q) = parse_xml(&ok).unwrap() else {
            panic!()
        };
        assert!(matches!(q.condition, Cond::Cmp(Queryable::Title, _, _)));
    }
}
