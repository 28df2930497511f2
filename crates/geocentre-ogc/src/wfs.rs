//! WFS 2.0.0 documents: capabilities, the application schema
//! (DescribeFeatureType) and GML 3.2 feature collections. WFS 1.1.0's
//! documents (`wfs11`) reuse the parts that do not depend on the version.

use crate::ows::service_sections;
pub use crate::ows::ServiceInfo;
use crate::wmts::fmt_num;
use crate::xml::{esc, Xml};
use geocentre_core::names::safe_ncname;
use std::fmt::Write;

/// Namespace of geocentre's feature types (prefix `gc`).
pub const NS: &str = "urn:x-geocentre:features";
const WFS: &str = "http://www.opengis.net/wfs/2.0";
const GML: &str = "http://www.opengis.net/gml/3.2";

/// The prefixes a request binds: the KVP parameter `NAMESPACES`
/// (`xmlns(prefix,uri)`, comma separated; WFS 2.0, OGC 09-025r2, Table 7)
/// or, in an XML request, the `xmlns:prefix` declarations in scope. Type
/// and property names are QNames resolved through them: a client may use
/// any prefix for geocentre's namespace (CITE's ets-wfs20 sends
/// `ns82:{type}` with `xmlns(ns82,urn:x-geocentre:features)`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Namespaces(Vec<(String, String)>);

/// Why a QName names nothing here.
#[derive(Debug, Clone, PartialEq)]
pub enum QNameError {
    /// The prefix is bound to another namespace than geocentre's.
    Foreign { prefix: String, uri: String },
    /// The prefix is not bound (and is not `gc`, the advertised one).
    Unbound(String),
}

impl std::fmt::Display for QNameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QNameError::Foreign { prefix, uri } => write!(
                f,
                "prefix '{prefix}' is bound to '{uri}', not to this service's namespace {NS}"
            ),
            QNameError::Unbound(p) => write!(
                f,
                "prefix '{p}' is not bound: declare it with NAMESPACES=xmlns({p},{NS})"
            ),
        }
    }
}

impl Namespaces {
    /// Bindings given as (prefix, namespace URI) pairs; a default
    /// namespace (empty prefix) is kept but never needed (see [`Self::local`]).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Namespaces {
        Namespaces(pairs)
    }

    /// Reads the KVP form: `xmlns(p,uri)` or `xmlns(uri)` (the default
    /// namespace), comma separated.
    pub fn parse(v: &str) -> Result<Namespaces, crate::OgcError> {
        let bad = |why: &str| {
            crate::OgcError::invalid(
                "NAMESPACES",
                format!("NAMESPACES must be xmlns(prefix,uri),... : {why}"),
            )
        };
        let mut out = Vec::new();
        let mut rest = v.trim();
        while !rest.is_empty() {
            let inner = rest
                .strip_prefix("xmlns(")
                .ok_or_else(|| bad(&format!("'{rest}' does not start with xmlns(")))?;
            let (decl, after) = inner
                .split_once(')')
                .ok_or_else(|| bad("a declaration is not closed by ')'"))?;
            let (prefix, uri) = match decl.split_once(',') {
                Some((p, u)) => (p.trim(), u.trim()),
                None => ("", decl.trim()),
            };
            if uri.is_empty() || prefix.contains(':') || prefix.contains(char::is_whitespace) {
                return Err(bad(&format!("'xmlns({decl})' is not a declaration")));
            }
            out.push((prefix.to_string(), uri.to_string()));
            rest = after.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        }
        Ok(Namespaces(out))
    }

    /// The KVP form of these bindings (what [`Self::parse`] reads).
    pub fn to_kvp(&self) -> String {
        self.0
            .iter()
            .map(|(p, u)| {
                if p.is_empty() {
                    format!("xmlns({u})")
                } else {
                    format!("xmlns({p},{u})")
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The namespace `prefix` is bound to (the innermost binding).
    pub fn uri(&self, prefix: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
    }

    /// These bindings followed by `inner` (which win, as inner
    /// declarations do in XML).
    pub fn with(&self, inner: &[(String, String)]) -> Namespaces {
        let mut all = self.0.clone();
        all.extend_from_slice(inner);
        Namespaces(all)
    }

    /// The local part of `qname` when it names something in geocentre's
    /// namespace: unprefixed names are taken as ours whatever the default
    /// namespace (type names are unique, and clients often make the WFS
    /// namespace the default of their XML requests); a prefix must be
    /// bound to [`NS`] here, or be `gc` (the prefix the capabilities
    /// use) when the request does not bind it.
    pub fn local<'a>(&self, qname: &'a str) -> Result<&'a str, QNameError> {
        let Some((prefix, local)) = qname.split_once(':') else {
            return Ok(qname);
        };
        match self.0.iter().rev().find(|(p, _)| p == prefix) {
            Some((_, uri)) if uri == NS => Ok(local),
            Some((_, uri)) => Err(QNameError::Foreign {
                prefix: prefix.to_string(),
                uri: uri.clone(),
            }),
            None if prefix == "gc" => Ok(local),
            None => Err(QNameError::Unbound(prefix.to_string())),
        }
    }
}

/// GML 3.2 and GML 3.1.1 (WFS 1.1): the namespaces of the properties
/// every feature has by inheritance.
pub const GML_NAMESPACES: [&str; 2] = [GML, "http://www.opengis.net/gml"];

/// The properties every GML feature inherits (GML 3.2.1
/// `StandardObjectProperties` and `AbstractFeatureType`), named with the
/// `gml:` prefix. Geocentre writes none of them: each is always absent
/// (PropertyIsNull holds, comparisons fail, no value), but each is a
/// property of every feature type, so naming one is not an error.
pub const GML_PROPERTIES: [&str; 7] = [
    "gml:metaDataProperty",
    "gml:description",
    "gml:descriptionReference",
    "gml:identifier",
    "gml:name",
    "gml:boundedBy",
    "gml:location",
];

/// Those of [`GML_PROPERTIES`] whose values are not simple values
/// (envelopes, geometries, metadata, references): a comparison with them
/// cannot be carried out.
pub const GML_COMPLEX_PROPERTIES: [&str; 4] = [
    "gml:metaDataProperty",
    "gml:descriptionReference",
    "gml:boundedBy",
    "gml:location",
];

/// What a value reference (FES 2.0 §7.4) names in one of our features.
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyRef {
    /// A property of the type (or `geom`), by local name.
    Own(String),
    /// A GML standard property, one of [`GML_PROPERTIES`].
    Gml(&'static str),
    /// The feature's `@gml:id`.
    Id,
}

/// Reads a value reference: a QName resolved through `ns` (see
/// [`Namespaces::local`]; an unbound `gml` prefix is taken as GML's, by
/// convention), in the part of FES 2.0's Minimum XPath (§7.4.4) that
/// means something in a flat feature: `./` (the context item) before the
/// step, the predicate `[1]` (our properties occur once), and the
/// attribute `@gml:id`. A path into a property's content (`a/b`) or any
/// other expression names nothing in our schemas: the error says why.
pub fn value_reference(text: &str, ns: &Namespaces) -> Result<PropertyRef, String> {
    let mut t = text.trim();
    while let Some(rest) = t.strip_prefix("./") {
        t = rest.trim_start();
    }
    let t = t.strip_suffix("[1]").unwrap_or(t).trim_end();
    let gml = |prefix: &str, uri: Option<&str>| match uri {
        Some(u) => GML_NAMESPACES.contains(&u),
        None => prefix == "gml",
    };
    if let Some(attr) = t.strip_prefix('@') {
        return match attr.split_once(':') {
            Some((p, "id")) if gml(p, ns.uri(p)) => Ok(PropertyRef::Id),
            _ => Err(format!(
                "'{text}' is no attribute of our features (only @gml:id)"
            )),
        };
    }
    if t.is_empty() || t.contains(|c: char| "/[]()@=,'\"".contains(c) || c.is_whitespace()) {
        return Err(format!("'{text}' names no property of our features"));
    }
    match ns.local(t) {
        Ok(local) if !local.contains(':') && !local.is_empty() => {
            Ok(PropertyRef::Own(local.to_string()))
        }
        Ok(_) => Err(format!("'{text}' names no property of our features")),
        Err(QNameError::Foreign { prefix, uri }) if gml(&prefix, Some(&uri)) => {
            gml_property(t, text)
        }
        Err(QNameError::Unbound(p)) if p == "gml" => gml_property(t, text),
        // Another prefix nobody bound: taken as ours, as clients have
        // long written `ns:name` without declaring `ns` (the name must
        // still be one of the type's).
        Err(QNameError::Unbound(_)) => Ok(PropertyRef::Own(
            t.split_once(':').map_or(t, |(_, l)| l).to_string(),
        )),
        Err(e) => Err(format!("'{text}': {e}")),
    }
}

fn gml_property(qname: &str, text: &str) -> Result<PropertyRef, String> {
    let local = qname.split_once(':').map_or(qname, |(_, l)| l);
    GML_PROPERTIES
        .iter()
        .find(|g| g[4..] == *local)
        .map(|g| PropertyRef::Gml(g))
        .ok_or_else(|| format!("'{text}' is not a property of GML features"))
}

pub struct FeatureTypeInfo<'a> {
    /// Local name (without the `gc:` prefix).
    pub name: &'a str,
    pub title: &'a str,
    pub default_epsg: u32,
    /// lon/lat; None for a type without geometry.
    pub wgs84: Option<[f64; 4]>,
}

/// The names of GML 3.2 (the one GML of WFS 2.0): ISO 19142's media
/// type first (the default), then the `text/xml` subtypes clients and
/// validators send: `gml/3.2.1` is the version's full number, as the
/// INSPIRE download service tests and deegree name it. One encoding, so
/// features and schemas alike (GetFeature, GetPropertyValue,
/// DescribeFeatureType) are asked for by any of them.
pub const GML32_FORMATS: [&str; 3] = [
    "application/gml+xml; version=3.2",
    "text/xml; subtype=gml/3.2",
    "text/xml; subtype=gml/3.2.1",
];

pub const OUTPUT_FORMATS: [&str; 5] = [
    GML32_FORMATS[0],
    GML32_FORMATS[1],
    GML32_FORMATS[2],
    "application/json",
    "text/csv",
];

/// Whether `f` names GML 3.2: one of [`GML32_FORMATS`], blanks around
/// `;` and `=` and the case of the names aside (media types and their
/// parameter names are case-blind, RFC 2045).
pub fn is_gml32(f: &str) -> bool {
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let f = squeeze(f);
    GML32_FORMATS.iter().any(|g| squeeze(g) == f)
}

/// The versions GetCapabilities negotiates (AcceptVersions, OWS 1.1
/// §7.3.2), preferred first.
pub const ACCEPT_VERSIONS: [&str; 2] = ["2.0.0", "1.1.0"];

/// The `resolve` values served (ISO 19142 §7.6.4): features hold no
/// references, so both are answered as `none`.
pub const RESOLVE_VALUES: [&str; 2] = ["local", "none"];

/// The one stored query every WFS 2.0 offers.
pub const GET_FEATURE_BY_ID: &str = "urn:ogc:def:query:OGC-WFS::GetFeatureById";

pub const OPERATIONS: [&str; 6] = [
    "GetCapabilities",
    "DescribeFeatureType",
    "GetFeature",
    "GetPropertyValue",
    "ListStoredQueries",
    "DescribeStoredQueries",
];

/// INSPIRE download service extended capabilities (Technical Guidance
/// for Download Services, pre-defined datasets): the service metadata
/// record and one identifier per dataset offered.
pub struct InspireDownload<'a> {
    pub metadata_url: &'a str,
    /// Code and namespace of each dataset.
    pub datasets: Vec<(&'a str, &'a str)>,
}

const INSPIRE_DLS: &str = "http://inspire.ec.europa.eu/schemas/inspire_dls/1.0";
const INSPIRE_DLS_XSD: &str = "http://inspire.ec.europa.eu/schemas/inspire_dls/1.0/inspire_dls.xsd";

/// The languages the WFS answers in: French only. Titles, abstracts and
/// data are French; claiming English (as the capabilities once did) made
/// `LANGUAGE=eng` a promise nothing kept. A request for another language
/// is answered in French (INSPIRE TG Download Services, requirement 57).
pub const LANGUAGES: [&str; 1] = ["fre"];

/// The INSPIRE pre-defined dataset download (TG Download Services,
/// recommendation 13): a whole dataset by its identifier, in a CRS and a
/// language.
pub const GET_SPATIAL_DATASET: &str =
    "http://inspire.ec.europa.eu/operation/download/GetSpatialDataSet";

/// The parameters of [`GET_SPATIAL_DATASET`], in the TG's names.
pub const GET_SPATIAL_DATASET_PARAMETERS: [&str; 4] =
    ["CRS", "DataSetIdCode", "DataSetIdNamespace", "Language"];

pub(crate) fn inspire_download(x: &mut Xml, i: &InspireDownload) {
    x.open("ows:ExtendedCapabilities", &[]);
    x.open(
        "inspire_dls:ExtendedCapabilities",
        &[
            ("xmlns:inspire_dls", INSPIRE_DLS),
            ("xmlns:inspire_common", crate::inspire::COMMON),
        ],
    );
    // The record is served as a bare gmd:MD_Metadata (application/xml),
    // not wrapped in a CSW GetRecordById response.
    crate::inspire::metadata_and_languages_in(
        x,
        i.metadata_url,
        crate::inspire::RECORD_MEDIA_TYPE,
        false,
        &LANGUAGES,
        LANGUAGES[0],
    );
    for (code, ns) in &i.datasets {
        x.open("inspire_dls:SpatialDataSetIdentifier", &[]);
        x.text("inspire_common:Code", code);
        x.text("inspire_common:Namespace", ns);
        x.close("inspire_dls:SpatialDataSetIdentifier");
    }
    x.close("inspire_dls:ExtendedCapabilities");
    x.close("ows:ExtendedCapabilities");
}

pub fn crs_urn(epsg: u32) -> String {
    format!("urn:ogc:def:crs:EPSG::{epsg}")
}

/// The CRSs a feature type is offered in, after its default.
pub const OTHER_CRS: [u32; 3] = [4326, 2154, 3857];

/// ows:WGS84BoundingBox (the same element in OWS 1.0 and 1.1).
pub(crate) fn wgs84_bounding_box(x: &mut Xml, b: [f64; 4]) {
    x.open("ows:WGS84BoundingBox", &[]);
    x.text(
        "ows:LowerCorner",
        &format!("{} {}", fmt_num(b[0]), fmt_num(b[1])),
    );
    x.text(
        "ows:UpperCorner",
        &format!("{} {}", fmt_num(b[2]), fmt_num(b[3])),
    );
    x.close("ows:WGS84BoundingBox");
}

fn constraint(x: &mut Xml, ns: &str, name: &str, value: bool) {
    x.open(&format!("{ns}:Constraint"), &[("name", name)]);
    x.empty("ows:NoValues", &[]);
    x.text("ows:DefaultValue", if value { "TRUE" } else { "FALSE" });
    x.close(&format!("{ns}:Constraint"));
}

pub fn capabilities(
    svc: &ServiceInfo,
    types: &[FeatureTypeInfo],
    inspire: Option<&InspireDownload>,
) -> String {
    let href = format!("{}/wfs?", svc.base_url);
    let mut x = Xml::new();
    // The INSPIRE element's schema is named too (TG Download Services:
    // the capabilities validate against inspire_dls.xsd).
    let location = match inspire {
        Some(_) => format!(
            "{WFS} http://schemas.opengis.net/wfs/2.0/wfs.xsd {INSPIRE_DLS} {INSPIRE_DLS_XSD}"
        ),
        None => format!("{WFS} http://schemas.opengis.net/wfs/2.0/wfs.xsd"),
    };
    x.open(
        "wfs:WFS_Capabilities",
        &[
            ("version", "2.0.0"),
            ("xmlns:wfs", WFS),
            ("xmlns:ows", "http://www.opengis.net/ows/1.1"),
            ("xmlns:fes", "http://www.opengis.net/fes/2.0"),
            ("xmlns:gml", GML),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xmlns:gc", NS),
            ("xsi:schemaLocation", location.as_str()),
        ],
    );
    service_sections(&mut x, svc, "WFS", "2.0.0");
    x.open("ows:OperationsMetadata", &[]);
    for op in OPERATIONS {
        x.open("ows:Operation", &[("name", op)]);
        x.open("ows:DCP", &[]);
        x.open("ows:HTTP", &[]);
        x.empty("ows:Get", &[("xlink:href", &href)]);
        x.empty("ows:Post", &[("xlink:href", &href)]);
        x.close("ows:HTTP");
        x.close("ows:DCP");
        // What each operation takes, where there is a choice: the
        // versions GetCapabilities negotiates (clients, the INSPIRE
        // validator among them, read them here), the schema encodings of
        // DescribeFeatureType.
        let choices: &[&str] = match op {
            "GetCapabilities" => &ACCEPT_VERSIONS,
            "DescribeFeatureType" => &GML32_FORMATS,
            _ => &[],
        };
        if !choices.is_empty() {
            let name = match op {
                "GetCapabilities" => "AcceptVersions",
                _ => "outputFormat",
            };
            x.open("ows:Parameter", &[("name", name)]);
            x.open("ows:AllowedValues", &[]);
            for v in choices {
                x.text("ows:Value", v);
            }
            x.close("ows:AllowedValues");
            x.close("ows:Parameter");
        }
        if op == "GetFeature" || op == "GetPropertyValue" {
            x.open("ows:Parameter", &[("name", "outputFormat")]);
            x.open("ows:AllowedValues", &[]);
            // GetPropertyValue answers in GML only (its values are XML
            // fragments).
            let formats: &[&str] = match op {
                "GetFeature" => &OUTPUT_FORMATS,
                _ => &GML32_FORMATS,
            };
            for f in formats {
                x.text("ows:Value", f);
            }
            x.close("ows:AllowedValues");
            x.close("ows:Parameter");
            // ISO 19142 §7.6.4 / Table 12: every WFS resolves local
            // references (ours hold none, so resolving is a no-op);
            // remote ones are not (ImplementsRemoteResolve is FALSE).
            x.open("ows:Parameter", &[("name", "resolve")]);
            x.open("ows:AllowedValues", &[]);
            for v in RESOLVE_VALUES {
                x.text("ows:Value", v);
            }
            x.close("ows:AllowedValues");
            x.close("ows:Parameter");
        }
        x.close("ows:Operation");
    }
    for (name, value) in [
        ("ImplementsBasicWFS", true),
        ("ImplementsTransactionalWFS", false),
        ("ImplementsLockingWFS", false),
        ("KVPEncoding", true),
        ("XMLEncoding", true),
        ("SOAPEncoding", false),
        ("ImplementsInheritance", false),
        ("ImplementsRemoteResolve", false),
        ("ImplementsResultPaging", true),
        ("ImplementsStandardJoins", false),
        ("ImplementsSpatialJoins", false),
        ("ImplementsTemporalJoins", false),
        ("ImplementsFeatureVersioning", false),
        ("ManageStoredQueries", false),
    ] {
        constraint(&mut x, "ows", name, value);
    }
    if let Some(i) = inspire {
        inspire_download(&mut x, i);
    }
    x.close("ows:OperationsMetadata");
    // The list may not be empty (schema): left out when nothing is published.
    if !types.is_empty() {
        x.open("wfs:FeatureTypeList", &[]);
    }
    for t in types {
        x.open("wfs:FeatureType", &[]);
        x.text("wfs:Name", &format!("gc:{}", t.name));
        x.text("wfs:Title", t.title);
        if t.wgs84.is_some() {
            x.text("wfs:DefaultCRS", &crs_urn(t.default_epsg));
            for c in OTHER_CRS.iter().filter(|c| **c != t.default_epsg) {
                x.text("wfs:OtherCRS", &crs_urn(*c));
            }
        } else {
            x.empty("wfs:NoCRS", &[]);
        }
        if let Some(b) = t.wgs84 {
            wgs84_bounding_box(&mut x, b);
        }
        x.close("wfs:FeatureType");
    }
    if !types.is_empty() {
        x.close("wfs:FeatureTypeList");
    }
    x.open("fes:Filter_Capabilities", &[]);
    x.open("fes:Conformance", &[]);
    for (name, value) in [
        ("ImplementsQuery", true),
        ("ImplementsAdHocQuery", true),
        ("ImplementsFunctions", false),
        ("ImplementsResourceId", true),
        ("ImplementsMinStandardFilter", true),
        // FES 2.0 Standard filter: Like, Null, Nil, Between, matchAction
        // and matchCase besides the minimum (ISO 19142 A.1.2 requires it
        // of a Basic WFS).
        ("ImplementsStandardFilter", true),
        ("ImplementsMinSpatialFilter", true),
        ("ImplementsSpatialFilter", false),
        // During, with After, Before and TEquals (ISO 19143 §7.14), on
        // Date, DateTime and text properties holding dates; INSPIRE
        // direct access download requires it.
        ("ImplementsMinTemporalFilter", true),
        ("ImplementsTemporalFilter", false),
        ("ImplementsVersionNav", false),
        ("ImplementsSorting", true),
        ("ImplementsExtendedOperators", false),
        // FES 2.0 §7.4.4 on flat features: `./`, `[1]`, `@gml:id`, QName
        // steps (`value_reference`); a path into a property's content
        // names nothing in our schemas and is refused.
        ("ImplementsMinimumXPath", true),
        ("ImplementsSchemaElementFunc", false),
    ] {
        constraint(&mut x, "fes", name, value);
    }
    x.close("fes:Conformance");
    filter_operators(&mut x);
    x.close("fes:Filter_Capabilities");
    x.close("wfs:WFS_Capabilities");
    x.finish()
}

/// The spatial operators the FES parser reads, in FES 2.0 and 1.1 alike.
pub(crate) const SPATIAL_OPERATORS: [&str; 6] = [
    "BBOX",
    "Intersects",
    "Disjoint",
    "Within",
    "Contains",
    "DWithin",
];

/// The temporal operators the FES parser reads (`geocentre_filter`'s
/// `TemporalOp`), and their operands.
pub const TEMPORAL_OPERATORS: [&str; 4] = ["After", "Before", "During", "TEquals"];
pub const TEMPORAL_OPERANDS: [&str; 2] = ["gml:TimeInstant", "gml:TimePeriod"];

/// What the FES parser reads, listed so that clients (QGIS among them)
/// send their filters to the server rather than filtering locally.
fn filter_operators(x: &mut Xml) {
    x.open("fes:Id_Capabilities", &[]);
    x.empty("fes:ResourceIdentifier", &[("name", "fes:ResourceId")]);
    x.close("fes:Id_Capabilities");
    x.open("fes:Scalar_Capabilities", &[]);
    x.empty("fes:LogicalOperators", &[]);
    x.open("fes:ComparisonOperators", &[]);
    for op in [
        "PropertyIsEqualTo",
        "PropertyIsNotEqualTo",
        "PropertyIsLessThan",
        "PropertyIsGreaterThan",
        "PropertyIsLessThanOrEqualTo",
        "PropertyIsGreaterThanOrEqualTo",
        "PropertyIsLike",
        "PropertyIsNull",
        "PropertyIsNil",
        "PropertyIsBetween",
    ] {
        x.empty("fes:ComparisonOperator", &[("name", op)]);
    }
    x.close("fes:ComparisonOperators");
    x.close("fes:Scalar_Capabilities");
    x.open("fes:Spatial_Capabilities", &[]);
    x.open("fes:GeometryOperands", &[]);
    for g in [
        "gml:Envelope",
        "gml:Point",
        "gml:LineString",
        "gml:Polygon",
        "gml:MultiPoint",
        "gml:MultiCurve",
        "gml:MultiSurface",
    ] {
        x.empty("fes:GeometryOperand", &[("name", g)]);
    }
    x.close("fes:GeometryOperands");
    x.open("fes:SpatialOperators", &[]);
    for op in SPATIAL_OPERATORS {
        x.empty("fes:SpatialOperator", &[("name", op)]);
    }
    x.close("fes:SpatialOperators");
    x.close("fes:Spatial_Capabilities");
    x.open("fes:Temporal_Capabilities", &[]);
    x.open("fes:TemporalOperands", &[]);
    for t in TEMPORAL_OPERANDS {
        x.empty("fes:TemporalOperand", &[("name", t)]);
    }
    x.close("fes:TemporalOperands");
    x.open("fes:TemporalOperators", &[]);
    for op in TEMPORAL_OPERATORS {
        x.empty("fes:TemporalOperator", &[("name", op)]);
    }
    x.close("fes:TemporalOperators");
    x.close("fes:Temporal_Capabilities");
}

/// One property of a feature type: name and OGR type.
pub struct Property<'a> {
    pub name: &'a str,
    pub ogr_type: &'a str,
}

fn xsd_type(ogr: &str) -> &'static str {
    match ogr {
        "Integer" => "xsd:int",
        "Integer64" => "xsd:long",
        "Real" => "xsd:double",
        "Date" => "xsd:date",
        "DateTime" => "xsd:dateTime",
        _ => "xsd:string",
    }
}

/// What differs between the GML versions an application schema imports.
pub(crate) struct GmlSchema {
    pub ns: &'static str,
    pub location: &'static str,
    /// The head of the features' substitution group.
    pub feature_head: &'static str,
}

const GML32_SCHEMA: GmlSchema = GmlSchema {
    ns: GML,
    location: "http://schemas.opengis.net/gml/3.2.1/gml.xsd",
    feature_head: "gml:AbstractFeature",
};

/// The application schema of `types` (name, has geometry, properties).
pub fn describe(types: &[(&str, bool, Vec<Property>)]) -> String {
    describe_for(types, &GML32_SCHEMA)
}

/// The application schema of `types` against the GML version `g`.
pub(crate) fn describe_for(types: &[(&str, bool, Vec<Property>)], g: &GmlSchema) -> String {
    let mut x = Xml::new();
    x.open(
        "xsd:schema",
        &[
            ("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"),
            ("xmlns:gml", g.ns),
            ("xmlns:gc", NS),
            ("targetNamespace", NS),
            ("elementFormDefault", "qualified"),
            ("version", "1.0"),
        ],
    );
    x.empty(
        "xsd:import",
        &[("namespace", g.ns), ("schemaLocation", g.location)],
    );
    for (name, spatial, props) in types {
        // The same names as the features are written with.
        let name = safe_ncname(name);
        let name = name.as_str();
        let ty = format!("{name}Type");
        x.empty(
            "xsd:element",
            &[
                ("name", name),
                ("type", &format!("gc:{ty}")),
                ("substitutionGroup", g.feature_head),
            ],
        );
        x.open("xsd:complexType", &[("name", &ty)]);
        x.open("xsd:complexContent", &[]);
        x.open("xsd:extension", &[("base", "gml:AbstractFeatureType")]);
        x.open("xsd:sequence", &[]);
        if *spatial {
            x.empty(
                "xsd:element",
                &[
                    ("name", "geom"),
                    ("type", "gml:GeometryPropertyType"),
                    ("minOccurs", "0"),
                ],
            );
        }
        for p in props {
            x.empty(
                "xsd:element",
                &[
                    ("name", &safe_ncname(p.name)),
                    ("type", xsd_type(p.ogr_type)),
                    ("minOccurs", "0"),
                ],
            );
        }
        x.close("xsd:sequence");
        x.close("xsd:extension");
        x.close("xsd:complexContent");
        x.close("xsd:complexType");
    }
    x.close("xsd:schema");
    x.finish()
}

/// One feature to write: gml:id, GML geometry, property values in schema
/// order (None: absent).
pub struct GmlFeature {
    pub id: String,
    pub geometry: Option<String>,
    pub values: Vec<Option<String>>,
}

pub struct Collection<'a> {
    pub type_name: &'a str,
    pub property_names: Vec<&'a str>,
    pub number_matched: u64,
    pub time_stamp: &'a str,
    pub schema_url: &'a str,
    pub next: Option<&'a str>,
    /// The page before (WFS 2.0 `previous`).
    pub previous: Option<&'a str>,
}

pub fn feature_collection(c: &Collection, features: &[GmlFeature]) -> String {
    let parts = [(c, features)];
    feature_collection_of(c, &parts)
}

/// A feature collection of several types (the INSPIRE dataset download):
/// `head` gives the collection's attributes and application schema, each
/// part its type, property names and features.
pub fn feature_collection_of(head: &Collection, parts: &[(&Collection, &[GmlFeature])]) -> String {
    let c = head;
    let mut x = Xml::new();
    let matched = c.number_matched.to_string();
    let returned = parts
        .iter()
        .map(|(_, f)| f.len())
        .sum::<usize>()
        .to_string();
    let location = format!(
        "{WFS} http://schemas.opengis.net/wfs/2.0/wfs.xsd {GML} http://schemas.opengis.net/gml/3.2.1/gml.xsd {NS} {}",
        c.schema_url
    );
    let mut attrs = vec![
        ("xmlns:wfs", WFS),
        ("xmlns:gml", GML),
        ("xmlns:gc", NS),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ("xsi:schemaLocation", location.as_str()),
        ("timeStamp", c.time_stamp),
        ("numberMatched", matched.as_str()),
        ("numberReturned", returned.as_str()),
    ];
    if let Some(n) = c.next {
        attrs.push(("next", n));
    }
    if let Some(p) = c.previous {
        attrs.push(("previous", p));
    }
    x.open("wfs:FeatureCollection", &attrs);
    for (part, features) in parts {
        for f in *features {
            x.open("wfs:member", &[]);
            write_feature(&mut x, part, f, &[]);
            x.close("wfs:member");
        }
    }
    x.close("wfs:FeatureCollection");
    x.finish()
}

/// One feature element; the caller's root binds `gml` and `gc`.
pub(crate) fn write_feature(x: &mut Xml, c: &Collection, f: &GmlFeature, extra: &[(&str, &str)]) {
    let el = format!("gc:{}", safe_ncname(c.type_name));
    let mut attrs = vec![("gml:id", f.id.as_str())];
    attrs.extend_from_slice(extra);
    x.open(&el, &attrs);
    if let Some(g) = &f.geometry {
        let _ = write!(x.out, "<gc:geom>{g}</gc:geom>");
    }
    for (name, v) in c.property_names.iter().zip(&f.values) {
        if let Some(v) = v {
            // Names come from data: checked here too, since data ingested
            // before names were mapped may still hold any name.
            let name = safe_ncname(name);
            let _ = write!(x.out, "<gc:{name}>{}</gc:{name}>", esc(v));
        }
    }
    x.close(&el);
}

/// GetFeatureById's answer: the feature alone, not in a collection
/// (WFS 2.0 §7.9.3.6).
pub fn single_feature(c: &Collection, f: &GmlFeature) -> String {
    let mut x = Xml::new();
    let location = format!(
        "{GML} http://schemas.opengis.net/gml/3.2.1/gml.xsd {NS} {}",
        c.schema_url
    );
    write_feature(
        &mut x,
        c,
        f,
        &[
            ("xmlns:gml", GML),
            ("xmlns:gc", NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", location.as_str()),
        ],
    );
    x.finish()
}

/// GetPropertyValue's answer: each value is text (escaped here) or a GML
/// geometry (written as given).
pub enum Value {
    Text(String),
    Gml(String),
}

pub fn value_collection(number_matched: u64, time_stamp: &str, values: &[Value]) -> String {
    let mut x = Xml::new();
    let matched = number_matched.to_string();
    let returned = values.len().to_string();
    let location = format!(
        "{WFS} http://schemas.opengis.net/wfs/2.0/wfs.xsd {GML} http://schemas.opengis.net/gml/3.2.1/gml.xsd"
    );
    x.open(
        "wfs:ValueCollection",
        &[
            ("xmlns:wfs", WFS),
            ("xmlns:gml", GML),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", location.as_str()),
            ("timeStamp", time_stamp),
            ("numberMatched", matched.as_str()),
            ("numberReturned", returned.as_str()),
        ],
    );
    for v in values {
        match v {
            Value::Text(t) => {
                x.text("wfs:member", t);
            }
            Value::Gml(g) => {
                let _ = write!(x.out, "<wfs:member>{g}</wfs:member>");
            }
        }
    }
    x.close("wfs:ValueCollection");
    x.finish()
}

fn stored_queries_root(x: &mut Xml, el: &str) {
    let attrs = [
        ("xmlns:wfs", WFS),
        ("xmlns:gc", NS),
        ("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (
            "xsi:schemaLocation",
            "http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd",
        ),
    ];
    x.open(el, &attrs);
}

/// The stored queries served: GetFeatureById, and the INSPIRE dataset
/// download when a dataset is published.
pub fn stored_query_ids(datasets: bool) -> Vec<&'static str> {
    let mut ids = vec![GET_FEATURE_BY_ID];
    if datasets {
        ids.push(GET_SPATIAL_DATASET);
    }
    ids
}

fn stored_query_title(id: &str) -> &'static str {
    if id == GET_SPATIAL_DATASET {
        "Téléchargement d'une série de données (INSPIRE, pré-définie)"
    } else {
        "Get feature by identifier"
    }
}

/// ListStoredQueries: the queries of `ids`, each returning every type.
pub fn list_stored_queries(types: &[&str], ids: &[&str]) -> String {
    let mut x = Xml::new();
    stored_queries_root(&mut x, "wfs:ListStoredQueriesResponse");
    for id in ids {
        x.open("wfs:StoredQuery", &[("id", id)]);
        x.text("wfs:Title", stored_query_title(id));
        for t in types {
            x.text("wfs:ReturnFeatureType", &format!("gc:{t}"));
        }
        x.close("wfs:StoredQuery");
    }
    x.close("wfs:ListStoredQueriesResponse");
    x.finish()
}

/// DescribeStoredQueries for the queries of `ids`.
pub fn describe_stored_queries(types: &[&str], ids: &[&str]) -> String {
    let mut x = Xml::new();
    stored_queries_root(&mut x, "wfs:DescribeStoredQueriesResponse");
    let returns: Vec<String> = types.iter().map(|t| format!("gc:{t}")).collect();
    for id in ids {
        x.open("wfs:StoredQueryDescription", &[("id", id)]);
        x.text("wfs:Title", stored_query_title(id));
        if *id == GET_SPATIAL_DATASET {
            x.text(
                "wfs:Abstract",
                "Renvoie tous les objets d'une série de données désignée par son identifiant \
                 (DataSetIdCode, DataSetIdNamespace : ceux des SpatialDataSetIdentifier des \
                 capacités), dans le SCR demandé (CRS : un DefaultCRS ou OtherCRS de ses types) \
                 et la langue demandée (Language : une des langues des capacités).",
            );
            for p in GET_SPATIAL_DATASET_PARAMETERS {
                x.empty("wfs:Parameter", &[("name", p), ("type", "xsd:string")]);
            }
        } else {
            x.text(
                "wfs:Abstract",
                "Returns the feature whose gml:id is ID ({type}.{fid}), alone.",
            );
            x.empty("wfs:Parameter", &[("name", "ID"), ("type", "xsd:string")]);
        }
        x.empty(
            "wfs:QueryExpressionText",
            &[
                ("returnFeatureTypes", &returns.join(" ")),
                (
                    "language",
                    "urn:ogc:def:queryLanguage:OGC-WFS::WFS_QueryExpression",
                ),
                ("isPrivate", "true"),
            ],
        );
        x.close("wfs:StoredQueryDescription");
    }
    x.close("wfs:DescribeStoredQueriesResponse");
    x.finish()
}

/// RFC 4180 CSV: a header, then one row per feature; geometry as WKT in
/// the last column (what spreadsheet users and GDAL's CSV driver read).
pub fn csv(header: &[&str], rows: &[Vec<Option<String>>]) -> String {
    fn field(out: &mut String, v: &str) {
        let guarded;
        let v = if is_formula(v) {
            guarded = format!("'{v}");
            guarded.as_str()
        } else {
            v
        };
        if v.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&v.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(v);
        }
    }
    let mut out = String::new();
    for (i, h) in header.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(&mut out, h);
    }
    out.push_str("\r\n");
    for r in rows {
        for (i, v) in r.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(&mut out, v.as_deref().unwrap_or(""));
        }
        out.push_str("\r\n");
    }
    out
}

/// Whether a spreadsheet would run the cell as a formula (`=`, `+`, `-`,
/// `@`, or a tab or carriage return before one): such cells get a leading
/// `'` (OWASP's advice for CSV injection). Numbers stay numbers: `-3.5`
/// is a value, not a formula.
fn is_formula(v: &str) -> bool {
    v.starts_with(['=', '+', '-', '@', '\t', '\r']) && v.trim().parse::<f64>().is_err()
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn namespaces_resolve_type_names() {
        let ns = Namespaces::parse(&format!(
            "xmlns(xml,http://www.w3.org/XML/1998/namespace),xmlns(ns82,{NS}), xmlns(wfs,http://www.opengis.net/wfs/2.0),xmlns(http://d)"
        ))
        .unwrap();
        assert_eq!(ns.local("ns82:a.b"), Ok("a.b"));
        assert_eq!(ns.local("a.b"), Ok("a.b"));
        assert_eq!(ns.local("gc:a.b"), Ok("a.b"));
        assert!(matches!(
            ns.local("wfs:a.b"),
            Err(QNameError::Foreign { .. })
        ));
        assert_eq!(ns.local("x:a.b"), Err(QNameError::Unbound("x".into())));
        // `gc` bound elsewhere is not ours.
        let other = Namespaces::parse("xmlns(gc,http://other)").unwrap();
        assert!(other.local("gc:a.b").is_err());
        assert_eq!(Namespaces::default().local("gc:a.b"), Ok("a.b"));
        assert_eq!(
            Namespaces::parse(&ns.to_kvp()).unwrap(),
            ns,
            "{}",
            ns.to_kvp()
        );
        for bad in [
            "ns82,urn:x",
            "xmlns(a,b",
            "xmlns()",
            "xmlns(a:b,c)",
            "xmlns(a,b)x",
        ] {
            assert!(Namespaces::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        let out = csv(
            &["a", "=b"],
            &[
                vec![
                    Some("=HYPERLINK(\"http://x/\",\"x\")".into()),
                    Some("-3.5".into()),
                ],
                vec![
                    Some("@SUM(1+1)*cmd|' /C calc'!A0".into()),
                    Some("+33 6".into()),
                ],
                vec![Some("plain".into()), Some("-".into())],
            ],
        );
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[0], "a,'=b");
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"http://x/\"\",\"\"x\"\")\",-3.5"
        );
        assert_eq!(lines[2], "'@SUM(1+1)*cmd|' /C calc'!A0,'+33 6");
        assert_eq!(lines[3], "plain,'-");
    }

    #[test]
    fn names_from_data_are_safe_element_names() {
        let c = Collection {
            type_name: "d.l",
            property_names: vec!["<img src=x onerror=alert(3)>", "nom"],
            number_matched: 1,
            time_stamp: "2026-01-01T00:00:00Z",
            schema_url: "http://x/s",
            next: None,
            previous: None,
        };
        let f = GmlFeature {
            id: "l.1".into(),
            geometry: None,
            values: vec![Some("v".into()), Some("n".into())],
        };
        let xml = feature_collection(&c, &[f]);
        assert!(
            xml.contains("<gc:_img_src_x_onerror_alert_3__>v</gc:_img_src_x_onerror_alert_3__>"),
            "{xml}"
        );
        assert!(!xml.contains("<img"));
        let props = vec![Property {
            name: "a b",
            ogr_type: "String",
        }];
        let xsd = describe(&[("d.l", false, props)]);
        assert!(xsd.contains("name=\"a_b\""), "{xsd}");
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;

    #[test]
    fn gml32_names_blanks_and_case_aside() {
        for f in [
            "application/gml+xml; version=3.2",
            "application/gml+xml;version=3.2",
            "text/xml; subtype=gml/3.2",
            "text/xml; subtype=gml/3.2.1",
            "TEXT/XML;SUBTYPE=GML/3.2.1",
            "text/xml; subtype = gml/3.2.1",
        ] {
            assert!(is_gml32(f), "{f}");
        }
        for f in [
            "text/xml; subtype=gml/3.1.1",
            "application/gml+xml; version=3.1",
            "text/xml",
            "application/json",
            "",
        ] {
            assert!(!is_gml32(f), "{f}");
        }
    }
}
