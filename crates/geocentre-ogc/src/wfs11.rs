//! WFS 1.1.0 documents, for the clients that still speak it (older QGIS,
//! FME, GDAL and OWSLib asked for 1.1.0): OWS 1.0.0 capabilities with FES
//! 1.1 filter capabilities, the application schema against GML 3.1.1 and
//! `wfs:FeatureCollection`s of `gml:featureMember`s. What a request selects
//! is read by the same code as WFS 2.0; only these documents and the
//! srsName rules below differ.

use crate::ows::service_sections;
use crate::wfs::{self, Collection, FeatureTypeInfo, GmlFeature, InspireDownload, Property};
use crate::xml::Xml;

const WFS: &str = "http://www.opengis.net/wfs";
const GML: &str = "http://www.opengis.net/gml";
const OWS: &str = "http://www.opengis.net/ows";
const OGC: &str = "http://www.opengis.net/ogc";
const WFS_XSD: &str = "http://schemas.opengis.net/wfs/1.1.0/wfs.xsd";

/// The GML 3.1.1 output format's name in WFS 1.1.0 (its default).
pub const GML31: &str = "text/xml; subtype=gml/3.1.1";

pub const OUTPUT_FORMATS: [&str; 3] = [GML31, "application/json", "text/csv"];

/// Whether `f` names GML 3.1.1: the standard name, spaced or not, and the
/// short names GeoServer and MapServer also take.
pub fn is_gml31(f: &str) -> bool {
    let squeezed: String = f
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        squeezed.as_str(),
        "text/xml;subtype=gml/3.1.1" | "gml3" | "application/gml+xml;version=3.1"
    )
}

const GML311_SCHEMA: wfs::GmlSchema = wfs::GmlSchema {
    ns: GML,
    location: "http://schemas.opengis.net/gml/3.1.1/base/gml.xsd",
    feature_head: "gml:_Feature",
};

/// `urn:x-ogc:def:crs:EPSG:N`, the form GeoServer writes in 1.1
/// capabilities (and GDAL and OWSLib read as latitude first for 4326).
pub fn srs_urn(epsg: u32) -> String {
    format!("urn:x-ogc:def:crs:EPSG:{epsg}")
}

/// The EPSG code of an srsName as WFS 1.1 clients write it: the forms
/// `crs_name::epsg_code` reads, plus OWSLib's `urn:x-ogc:def:crs:EPSG::N`
/// and versioned URNs (`urn:ogc:def:crs:EPSG:6.9:N`).
pub fn srs_epsg(name: &str) -> Option<u32> {
    let s = name.trim();
    // `get`, not indexing: the client's name may have a multi-byte
    // character across the prefix's end (found by the fuzz target kvp).
    let urn = ["urn:ogc:def:crs:EPSG:", "urn:x-ogc:def:crs:EPSG:"]
        .iter()
        .any(|p| {
            let head = s.get(..p.len());
            s.len() > p.len() && head.is_some_and(|h| h.eq_ignore_ascii_case(p))
        });
    if urn {
        return s.rsplit(':').next().and_then(|c| c.parse().ok());
    }
    geocentre_core::crs_name::epsg_code(s)
}

/// Whether coordinates under the srsName `name` are x/y (longitude first)
/// rather than in the CRS's own axis order: GeoServer's rule, which WFS 1.1
/// clients follow — `EPSG:4326` and `…/gml/srs/epsg.xml#4326` are lon/lat,
/// URNs and `http://www.opengis.net/def/crs/…` lat/lon.
pub fn xy_axes(name: &str) -> bool {
    let s = name.trim();
    s.starts_with("EPSG:") || s.starts_with("http://www.opengis.net/gml/srs/epsg.xml#")
}

/// `gml` (a geometry OGR wrote with a URN srsName, hence latitude first in
/// a geographic CRS) with the short srsName `EPSG:{epsg}` and, when
/// `swap`, the first two ordinates of every position exchanged: what a
/// client asking for `SRSNAME=EPSG:4326` gets (longitude first).
pub fn short_srs(gml: &str, epsg: u32, swap: bool) -> String {
    let urn = format!("srsName=\"urn:ogc:def:crs:EPSG::{epsg}\"");
    if !gml.contains(&urn) {
        return gml.to_string();
    }
    let gml = gml.replace(&urn, &format!("srsName=\"EPSG:{epsg}\""));
    if !swap {
        return gml;
    }
    let mut out = String::with_capacity(gml.len());
    let mut rest = gml.as_str();
    // OGR's GML 3 writer puts coordinates in gml:pos and gml:posList only.
    while let Some(at) = rest.find("<gml:pos") {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        let Some(gt) = tail.find('>') else {
            rest = tail;
            break;
        };
        let (tag, after) = tail.split_at(gt + 1);
        out.push_str(tag);
        if tag.ends_with("/>") {
            rest = after;
            continue;
        }
        let end = after.find('<').unwrap_or(after.len());
        let (coords, next) = after.split_at(end);
        let values: Vec<&str> = coords.split_whitespace().collect();
        let dim = if tag.starts_with("<gml:posList") {
            attr(tag, "srsDimension")
                .and_then(|d| d.parse::<usize>().ok())
                .unwrap_or(2)
        } else {
            values.len()
        };
        out.push_str(&swapped(&values, dim));
        rest = next;
    }
    out.push_str(rest);
    out
}

/// Positions of `dim` ordinates with the first two exchanged.
fn swapped(values: &[&str], dim: usize) -> String {
    if dim < 2 {
        return values.join(" ");
    }
    let mut v = values.to_vec();
    for p in v.chunks_mut(dim) {
        if p.len() >= 2 {
            p.swap(0, 1);
        }
    }
    v.join(" ")
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let from = tag.find(&key)? + key.len();
    tag[from..].split('"').next()
}

/// The capabilities; `max_features` is the most one GetFeature answers
/// (1.1 has no paging to reach further).
pub fn capabilities(
    svc: &wfs::ServiceInfo,
    types: &[FeatureTypeInfo],
    inspire: Option<&InspireDownload>,
    max_features: u64,
) -> String {
    let href = format!("{}/wfs?", svc.base_url);
    let mut x = Xml::new();
    x.open(
        "wfs:WFS_Capabilities",
        &[
            ("version", "1.1.0"),
            ("xmlns:wfs", WFS),
            ("xmlns:ows", OWS),
            ("xmlns:ogc", OGC),
            ("xmlns:gml", GML),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xmlns:gc", wfs::NS),
            ("xsi:schemaLocation", &format!("{WFS} {WFS_XSD}")),
        ],
    );
    service_sections(&mut x, svc, "WFS", "1.1.0");
    operations(&mut x, &href, max_features);
    if let Some(i) = inspire {
        wfs::inspire_download(&mut x, i);
    }
    x.close("ows:OperationsMetadata");
    // Optional in 1.1 (unlike an empty list): left out when nothing is published.
    if !types.is_empty() {
        x.open("wfs:FeatureTypeList", &[]);
        // Read-only: no Insert, Update, Delete or Lock on any type.
        x.open("wfs:Operations", &[]);
        x.text("wfs:Operation", "Query");
        x.close("wfs:Operations");
        for t in types {
            feature_type(&mut x, t);
        }
        x.close("wfs:FeatureTypeList");
    }
    filter_capabilities_11(&mut x, &crate::wfs::SPATIAL_OPERATORS);
    x.close("wfs:WFS_Capabilities");
    x.finish()
}

/// ows:OperationsMetadata up to (not including) its extended capabilities.
fn operations(x: &mut Xml, href: &str, max_features: u64) {
    let values = |x: &mut Xml, name: &str, values: &[&str]| {
        x.open("ows:Parameter", &[("name", name)]);
        for v in values {
            x.text("ows:Value", v);
        }
        x.close("ows:Parameter");
    };
    x.open("ows:OperationsMetadata", &[]);
    for op in ["GetCapabilities", "DescribeFeatureType", "GetFeature"] {
        x.open("ows:Operation", &[("name", op)]);
        x.open("ows:DCP", &[]);
        x.open("ows:HTTP", &[]);
        x.empty("ows:Get", &[("xlink:href", href)]);
        x.empty("ows:Post", &[("xlink:href", href)]);
        x.close("ows:HTTP");
        x.close("ows:DCP");
        match op {
            "GetCapabilities" => values(x, "AcceptVersions", &["2.0.0", "1.1.0"]),
            "DescribeFeatureType" => values(x, "outputFormat", &[GML31]),
            _ => {
                // GDAL asks for hits (its feature count) only when listed.
                values(x, "resultType", &["results", "hits"]);
                values(x, "outputFormat", &OUTPUT_FORMATS);
                // No paging in 1.1: one answer holds at most this many.
                x.open("ows:Constraint", &[("name", "DefaultMaxFeatures")]);
                x.text("ows:Value", &max_features.to_string());
                x.close("ows:Constraint");
            }
        }
        x.close("ows:Operation");
    }
}

fn feature_type(x: &mut Xml, t: &FeatureTypeInfo) {
    x.open("wfs:FeatureType", &[]);
    x.text("wfs:Name", &format!("gc:{}", t.name));
    x.text("wfs:Title", t.title);
    if t.wgs84.is_some() {
        x.text("wfs:DefaultSRS", &srs_urn(t.default_epsg));
        for c in wfs::OTHER_CRS.iter().filter(|c| **c != t.default_epsg) {
            x.text("wfs:OtherSRS", &srs_urn(*c));
        }
    } else {
        x.empty("wfs:NoSRS", &[]);
    }
    x.open("wfs:OutputFormats", &[]);
    for f in OUTPUT_FORMATS {
        x.text("wfs:Format", f);
    }
    x.close("wfs:OutputFormats");
    if let Some(b) = t.wgs84 {
        wfs::wgs84_bounding_box(x, b);
    }
    x.close("wfs:FeatureType");
}

/// FES 1.1 `ogc:Filter_Capabilities` (WFS 1.1.0, CSW 2.0.2) with the
/// spatial operators the service evaluates; comparisons, logical
/// operators and identifiers are those `geocentre_filter::fes` reads.
/// GDAL pushes its attribute filters to the server only when every
/// comparison it may write is listed.
pub fn filter_capabilities_11(x: &mut Xml, spatial_operators: &[&str]) {
    x.open("ogc:Filter_Capabilities", &[]);
    x.open("ogc:Spatial_Capabilities", &[]);
    x.open("ogc:GeometryOperands", &[]);
    for g in ["gml:Envelope", "gml:Point", "gml:LineString", "gml:Polygon"] {
        x.text("ogc:GeometryOperand", g);
    }
    x.close("ogc:GeometryOperands");
    x.open("ogc:SpatialOperators", &[]);
    for op in spatial_operators {
        x.empty("ogc:SpatialOperator", &[("name", op)]);
    }
    x.close("ogc:SpatialOperators");
    x.close("ogc:Spatial_Capabilities");
    x.open("ogc:Scalar_Capabilities", &[]);
    x.empty("ogc:LogicalOperators", &[]);
    x.open("ogc:ComparisonOperators", &[]);
    for op in [
        "LessThan",
        "GreaterThan",
        "LessThanEqualTo",
        "GreaterThanEqualTo",
        "EqualTo",
        "NotEqualTo",
        "Like",
        "Between",
        "NullCheck",
    ] {
        x.text("ogc:ComparisonOperator", op);
    }
    x.close("ogc:ComparisonOperators");
    x.close("ogc:Scalar_Capabilities");
    x.open("ogc:Id_Capabilities", &[]);
    x.empty("ogc:EID", &[]);
    x.empty("ogc:FID", &[]);
    x.close("ogc:Id_Capabilities");
    x.close("ogc:Filter_Capabilities");
}

/// The application schema of `types` against GML 3.1.1.
pub fn describe(types: &[(&str, bool, Vec<Property>)]) -> String {
    wfs::describe_for(types, &GML311_SCHEMA)
}

/// A GetFeature answer; with `hits`, the count alone (numberOfFeatures is
/// then the number matched, otherwise the number in the document).
pub fn feature_collection(c: &Collection, features: &[GmlFeature], hits: bool) -> String {
    let mut x = Xml::new();
    let number = if hits {
        c.number_matched
    } else {
        features.len() as u64
    }
    .to_string();
    let location = format!(
        "{WFS} {WFS_XSD} {GML} http://schemas.opengis.net/gml/3.1.1/base/gml.xsd {} {}",
        wfs::NS,
        c.schema_url
    );
    x.open(
        "wfs:FeatureCollection",
        &[
            ("xmlns:wfs", WFS),
            ("xmlns:gml", GML),
            ("xmlns:gc", wfs::NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", location.as_str()),
            ("numberOfFeatures", number.as_str()),
            ("timeStamp", c.time_stamp),
        ],
    );
    for f in features {
        x.open("gml:featureMember", &[]);
        wfs::write_feature(&mut x, c, f, &[]);
        x.close("gml:featureMember");
    }
    x.close("wfs:FeatureCollection");
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srs_names() {
        for s in [
            "EPSG:4326",
            "urn:ogc:def:crs:EPSG::4326",
            "urn:x-ogc:def:crs:EPSG:4326",
            "urn:x-ogc:def:crs:EPSG::4326",
            "urn:ogc:def:crs:EPSG:6.9:4326",
            "http://www.opengis.net/gml/srs/epsg.xml#4326",
        ] {
            assert_eq!(srs_epsg(s), Some(4326), "{s}");
        }
        assert_eq!(srs_epsg("urn:ogc:def:crs:EPSG::x"), None);
        // A multi-byte character across the end of a URN prefix is no
        // prefix, and no panic (fuzz/artifacts/kvp/crash-9afc1ab6…).
        assert_eq!(srs_epsg("urn:ogc:def:crs:EPSG\u{fffd}:4326"), None);
        assert_eq!(
            srs_epsg("VERSION\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}2.0.0"),
            None
        );
        assert!(xy_axes("EPSG:4326") && xy_axes("http://www.opengis.net/gml/srs/epsg.xml#4326"));
        assert!(!xy_axes("urn:x-ogc:def:crs:EPSG:4326") && !xy_axes("urn:ogc:def:crs:EPSG::4326"));
    }

    #[test]
    fn short_srs_swaps_every_position() {
        let g = r#"<gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::4326"><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>47 1 48 2 47 1</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface>"#;
        let s = short_srs(g, 4326, true);
        assert!(s.contains(r#"srsName="EPSG:4326""#));
        assert!(
            s.contains("<gml:posList>1 47 2 48 1 47</gml:posList>"),
            "{s}"
        );
        let p3 = r#"<gml:LineString srsName="urn:ogc:def:crs:EPSG::4326"><gml:posList srsDimension="3">2 1 3 5 4 6</gml:posList></gml:LineString>"#;
        assert!(short_srs(p3, 4326, true).contains(">1 2 3 4 5 6<"));
        let pt = r#"<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>47.9 1.9 3</gml:pos></gml:Point>"#;
        assert!(short_srs(pt, 4326, true).contains("<gml:pos>1.9 47.9 3</gml:pos>"));
        // Projected: the name changes, the order does not.
        let l93 = r#"<gml:Point srsName="urn:ogc:def:crs:EPSG::2154"><gml:pos>600000 6700000</gml:pos></gml:Point>"#;
        let s = short_srs(l93, 2154, false);
        assert!(s.contains(r#"srsName="EPSG:2154""#) && s.contains(">600000 6700000<"));
        // Another CRS's geometry is left alone.
        assert_eq!(short_srs(l93, 4326, true), l93);
    }

    #[test]
    fn gml31_names() {
        for f in [
            "text/xml; subtype=gml/3.1.1",
            "text/xml;subtype=gml/3.1.1",
            "GML3",
        ] {
            assert!(is_gml31(f), "{f}");
        }
        assert!(!is_gml31("text/xml; subtype=gml/3.2"));
    }

    #[test]
    fn hits_count_what_matched() {
        let c = Collection {
            type_name: "a.b",
            property_names: vec!["nom"],
            number_matched: 42,
            time_stamp: "2026-01-01T00:00:00Z",
            schema_url: "http://h/wfs?x",
            next: None,
            previous: None,
        };
        let doc = feature_collection(&c, &[], true);
        assert!(doc.contains(r#"numberOfFeatures="42""#) && !doc.contains("featureMember"));
        let f = GmlFeature {
            id: "a.b.1".into(),
            geometry: None,
            values: vec![Some("Orléans & co".into())],
        };
        let doc = feature_collection(&c, &[f], false);
        assert!(doc.contains(r#"numberOfFeatures="1""#));
        assert!(doc.contains(r#"<gml:featureMember><gc:a.b gml:id="a.b.1"><gc:nom>Orléans &amp; co</gc:nom></gc:a.b></gml:featureMember>"#), "{doc}");
    }
}
