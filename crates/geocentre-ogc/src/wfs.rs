//! WFS 2.0.0 documents: capabilities, the application schema
//! (DescribeFeatureType) and GML 3.2 feature collections.

use crate::ows::service_sections;
pub use crate::ows::ServiceInfo;
use crate::wmts::fmt_num;
use crate::xml::{esc, Xml};
use std::fmt::Write;

/// Namespace of geocentre's feature types (prefix `gc`).
pub const NS: &str = "urn:x-geocentre:features";
const WFS: &str = "http://www.opengis.net/wfs/2.0";
const GML: &str = "http://www.opengis.net/gml/3.2";

pub struct FeatureTypeInfo<'a> {
    /// Local name (without the `gc:` prefix).
    pub name: &'a str,
    pub title: &'a str,
    pub default_epsg: u32,
    /// lon/lat; None for a type without geometry.
    pub wgs84: Option<[f64; 4]>,
}

pub const OUTPUT_FORMATS: [&str; 3] = [
    "application/gml+xml; version=3.2",
    "text/xml; subtype=gml/3.2",
    "application/json",
];

pub fn crs_urn(epsg: u32) -> String {
    format!("urn:ogc:def:crs:EPSG::{epsg}")
}

/// The CRSs a feature type is offered in, after its default.
pub const OTHER_CRS: [u32; 3] = [4326, 2154, 3857];

fn constraint(x: &mut Xml, ns: &str, name: &str, value: bool) {
    x.open(&format!("{ns}:Constraint"), &[("name", name)]);
    x.empty("ows:NoValues", &[]);
    x.text("ows:DefaultValue", if value { "TRUE" } else { "FALSE" });
    x.close(&format!("{ns}:Constraint"));
}

pub fn capabilities(svc: &ServiceInfo, types: &[FeatureTypeInfo]) -> String {
    let href = format!("{}/wfs?", svc.base_url);
    let mut x = Xml::new();
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
            (
                "xsi:schemaLocation",
                "http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd",
            ),
        ],
    );
    service_sections(&mut x, svc, "WFS", "2.0.0");
    x.open("ows:OperationsMetadata", &[]);
    for op in ["GetCapabilities", "DescribeFeatureType", "GetFeature"] {
        x.open("ows:Operation", &[("name", op)]);
        x.open("ows:DCP", &[]);
        x.open("ows:HTTP", &[]);
        x.empty("ows:Get", &[("xlink:href", &href)]);
        x.close("ows:HTTP");
        x.close("ows:DCP");
        if op == "GetFeature" {
            x.open("ows:Parameter", &[("name", "outputFormat")]);
            x.open("ows:AllowedValues", &[]);
            for f in OUTPUT_FORMATS {
                x.text("ows:Value", f);
            }
            x.close("ows:AllowedValues");
            x.close("ows:Parameter");
        }
        x.close("ows:Operation");
    }
    for (name, value) in [
        ("ImplementsBasicWFS", false),
        ("ImplementsTransactionalWFS", false),
        ("ImplementsLockingWFS", false),
        ("KVPEncoding", true),
        ("XMLEncoding", false),
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
        ("ImplementsMinStandardFilter", false),
        ("ImplementsStandardFilter", false),
        ("ImplementsMinSpatialFilter", true),
        ("ImplementsSpatialFilter", false),
        ("ImplementsMinTemporalFilter", false),
        ("ImplementsTemporalFilter", false),
        ("ImplementsVersionNav", false),
        ("ImplementsSorting", false),
        ("ImplementsExtendedOperators", false),
        ("ImplementsMinimumXPath", false),
        ("ImplementsSchemaElementFunc", false),
    ] {
        constraint(&mut x, "fes", name, value);
    }
    x.close("fes:Conformance");
    x.close("fes:Filter_Capabilities");
    x.close("wfs:WFS_Capabilities");
    x.finish()
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

/// The application schema of `types` (name, has geometry, properties).
pub fn describe(types: &[(&str, bool, Vec<Property>)]) -> String {
    let mut x = Xml::new();
    x.open(
        "xsd:schema",
        &[
            ("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"),
            ("xmlns:gml", GML),
            ("xmlns:gc", NS),
            ("targetNamespace", NS),
            ("elementFormDefault", "qualified"),
            ("version", "1.0"),
        ],
    );
    x.empty(
        "xsd:import",
        &[
            ("namespace", GML),
            (
                "schemaLocation",
                "http://schemas.opengis.net/gml/3.2.1/gml.xsd",
            ),
        ],
    );
    for (name, spatial, props) in types {
        let ty = format!("{name}Type");
        x.empty(
            "xsd:element",
            &[
                ("name", name),
                ("type", &format!("gc:{ty}")),
                ("substitutionGroup", "gml:AbstractFeature"),
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
                    ("name", p.name),
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
}

pub fn feature_collection(c: &Collection, features: &[GmlFeature]) -> String {
    let mut x = Xml::new();
    let matched = c.number_matched.to_string();
    let returned = features.len().to_string();
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
    x.open("wfs:FeatureCollection", &attrs);
    let el = format!("gc:{}", c.type_name);
    for f in features {
        x.open("wfs:member", &[]);
        x.open(&el, &[("gml:id", f.id.as_str())]);
        if let Some(g) = &f.geometry {
            let _ = write!(x.out, "<gc:geom>{g}</gc:geom>");
        }
        for (name, v) in c.property_names.iter().zip(&f.values) {
            if let Some(v) = v {
                let _ = write!(x.out, "<gc:{name}>{}</gc:{name}>", esc(v));
            }
        }
        x.close(&el);
        x.close("wfs:member");
    }
    x.close("wfs:FeatureCollection");
    x.finish()
}
