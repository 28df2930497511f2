//! WMS 1.3.0 and 1.1.1: capabilities and service exception reports.

use crate::wmts::fmt_num;
use crate::xml::Xml;

/// Largest map a GetMap may ask for, advertised as MaxWidth/MaxHeight.
pub const MAX_SIZE: u32 = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WmsVersion {
    V111,
    V130,
}

impl WmsVersion {
    /// Version negotiation (WMS 1.3.0 §6.2.4): unknown or absent → 1.3.0,
    /// anything below 1.3.0 → 1.1.1.
    pub fn negotiate(v: Option<&str>) -> WmsVersion {
        match v {
            Some(s) if s.trim() < "1.3.0" && !s.trim().is_empty() => WmsVersion::V111,
            _ => WmsVersion::V130,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            WmsVersion::V111 => "1.1.1",
            WmsVersion::V130 => "1.3.0",
        }
    }
}

/// The CRSs GetMap accepts, as advertised.
pub const CRS_LIST: [&str; 16] = [
    "EPSG:2154",
    "EPSG:3857",
    "EPSG:4326",
    "CRS:84",
    "EPSG:4171",
    "EPSG:3942",
    "EPSG:3943",
    "EPSG:3944",
    "EPSG:3945",
    "EPSG:3946",
    "EPSG:3947",
    "EPSG:3948",
    "EPSG:3949",
    "EPSG:3950",
    "EPSG:900913",
    "EPSG:3395",
];

#[derive(Debug, Clone)]
pub struct WmsLayer {
    pub name: String,
    pub title: String,
    pub abstract_: String,
    /// lon/lat.
    pub wgs84: [f64; 4],
    /// Bounding boxes per CRS, in that CRS's axis order for the version.
    pub bboxes: Vec<(String, [f64; 4])>,
    /// Vintages selectable with TIME, oldest first.
    pub times: Vec<i32>,
    /// The TIME default (`current` for a composite).
    pub time_default: Option<String>,
    pub queryable: bool,
    /// Keywords for catalogues (WMS 1.3.0 §7.2.4.6.4, recommended).
    pub keywords: Vec<String>,
    /// The ISO 19139 records describing the layer (a group: its members').
    pub metadata_urls: Vec<String>,
    /// Its style; `None`: the built-in `default`.
    pub style: Option<WmsStyle>,
    /// Scale denominators outside which nothing is drawn.
    pub min_scale: Option<f64>,
    pub max_scale: Option<f64>,
    /// Layers nested under this one (a dataset or a layer group: its name
    /// draws them all, in this order).
    pub children: Vec<WmsLayer>,
}

impl WmsLayer {
    /// A layer with nothing optional set.
    pub fn new(name: String, title: String, wgs84: [f64; 4]) -> WmsLayer {
        WmsLayer {
            name,
            title,
            abstract_: String::new(),
            wgs84,
            bboxes: Vec::new(),
            times: Vec::new(),
            time_default: None,
            queryable: false,
            keywords: Vec::new(),
            metadata_urls: Vec::new(),
            style: None,
            min_scale: None,
            max_scale: None,
            children: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct WmsStyle {
    pub name: String,
    pub title: String,
    pub legend: Option<LegendUrl>,
}

/// A legend image of a style (GetLegendGraphic).
#[derive(Debug, Clone)]
pub struct LegendUrl {
    pub width: u32,
    pub height: u32,
    pub format: String,
    pub href: String,
}

pub struct WmsService<'a> {
    pub title: &'a str,
    pub abstract_: &'a str,
    pub base_url: &'a str,
    pub formats: &'a [&'a str],
    pub info_formats: &'a [&'a str],
    /// Keywords describing the service.
    pub keywords: &'a [&'a str],
    /// Where to write to the provider (ContactElectronicMailAddress).
    pub contact_email: &'a str,
    /// The service's ISO 19139 metadata record (INSPIRE scenario 1).
    pub metadata_url: &'a str,
    /// The language the title and abstract are in (INSPIRE LANGUAGE).
    pub language: crate::inspire::Language,
}

/// Exception formats, as each version names them.
pub fn exception_formats(v: WmsVersion) -> [&'static str; 3] {
    match v {
        WmsVersion::V130 => ["XML", "INIMAGE", "BLANK"],
        WmsVersion::V111 => [
            "application/vnd.ogc.se_xml",
            "application/vnd.ogc.se_inimage",
            "application/vnd.ogc.se_blank",
        ],
    }
}

const INSPIRE_VS: &str = "http://inspire.ec.europa.eu/schemas/inspire_vs/1.0";

pub fn capabilities(
    v: WmsVersion,
    svc: &WmsService,
    root_title: &str,
    layers: &[WmsLayer],
) -> String {
    let href = format!("{}/wms?", svc.base_url);
    let mut x = Xml::new();
    let crs_tag = match v {
        WmsVersion::V130 => "CRS",
        WmsVersion::V111 => "SRS",
    };
    match v {
        WmsVersion::V130 => {
            x.open(
                "WMS_Capabilities",
                &[
                    ("version", "1.3.0"),
                    ("xmlns", "http://www.opengis.net/wms"),
                    ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
                    ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                    ("xmlns:inspire_vs", INSPIRE_VS),
                    ("xmlns:inspire_common", crate::inspire::COMMON),
                    (
                        "xsi:schemaLocation",
                        "http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd \
                         http://inspire.ec.europa.eu/schemas/inspire_vs/1.0 https://inspire.ec.europa.eu/schemas/inspire_vs/1.0/inspire_vs.xsd",
                    ),
                ],
            );
        }
        WmsVersion::V111 => {
            x.out.push_str(
                "<!DOCTYPE WMT_MS_Capabilities SYSTEM \"http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd\">\n",
            );
            // The 1.1.1 DTD declares xmlns:xlink on OnlineResource only.
            x.open("WMT_MS_Capabilities", &[("version", "1.1.1")]);
        }
    }
    x.open("Service", &[]);
    x.text(
        "Name",
        if v == WmsVersion::V130 {
            "WMS"
        } else {
            "OGC:WMS"
        },
    );
    x.text("Title", svc.title);
    x.text("Abstract", svc.abstract_);
    keyword_list(&mut x, svc.keywords.iter().copied());
    online_resource(&mut x, v, &href);
    if !svc.contact_email.is_empty() {
        x.open("ContactInformation", &[]);
        x.text("ContactElectronicMailAddress", svc.contact_email);
        x.close("ContactInformation");
    }
    x.text("Fees", "none");
    x.text("AccessConstraints", "none");
    if v == WmsVersion::V130 {
        x.text("MaxWidth", &MAX_SIZE.to_string());
        x.text("MaxHeight", &MAX_SIZE.to_string());
    }
    x.close("Service");
    x.open("Capability", &[]);
    x.open("Request", &[]);
    let cap_format = if v == WmsVersion::V130 {
        "text/xml"
    } else {
        "application/vnd.ogc.wms_xml"
    };
    for (op, formats) in [
        ("GetCapabilities", vec![cap_format]),
        ("GetMap", svc.formats.to_vec()),
        ("GetFeatureInfo", svc.info_formats.to_vec()),
    ] {
        x.open(op, &[]);
        for f in formats {
            x.text("Format", f);
        }
        x.open("DCPType", &[]);
        x.open("HTTP", &[]);
        x.open("Get", &[]);
        online_resource(&mut x, v, &href);
        x.close("Get");
        x.close("HTTP");
        x.close("DCPType");
        x.close(op);
    }
    x.close("Request");
    x.open("Exception", &[]);
    for f in exception_formats(v) {
        x.text("Format", f);
    }
    x.close("Exception");
    if v == WmsVersion::V130 {
        inspire_extended_capabilities(&mut x, svc.metadata_url, svc.language);
    }
    x.open("Layer", &[]);
    x.text("Title", root_title);
    for c in CRS_LIST {
        x.text(crs_tag, c);
    }
    let all = layers.iter().fold([180.0f64, 90.0, -180.0, -90.0], |b, l| {
        geocentre_core::bbox::union(b, l.wgs84)
    });
    if !layers.is_empty() {
        geographic_bbox(&mut x, v, all);
    }
    for l in layers {
        layer(&mut x, v, l, &[]);
    }
    x.close("Layer");
    x.close("Capability");
    x.close(match v {
        WmsVersion::V130 => "WMS_Capabilities",
        WmsVersion::V111 => "WMT_MS_Capabilities",
    });
    x.finish()
}

/// One Layer element, its children nested. `inherited` are the style names
/// its ancestors declare: a child inherits them and may not declare one of
/// them again (WMS 1.3.0 §7.2.4.6.5, 1.1.1 §7.1.4.5.4).
fn layer(x: &mut Xml, v: WmsVersion, l: &WmsLayer, inherited: &[&str]) {
    let crs_tag = match v {
        WmsVersion::V130 => "CRS",
        WmsVersion::V111 => "SRS",
    };
    x.open(
        "Layer",
        &[
            ("queryable", if l.queryable { "1" } else { "0" }),
            ("opaque", "0"),
        ],
    );
    x.text("Name", &l.name);
    x.text("Title", &l.title);
    x.text("Abstract", &l.abstract_);
    keyword_list(x, l.keywords.iter().map(String::as_str));
    geographic_bbox(x, v, l.wgs84);
    for (crs, b) in &l.bboxes {
        x.empty(
            "BoundingBox",
            &[
                (crs_tag, crs.as_str()),
                ("minx", &fmt_num(b[0])),
                ("miny", &fmt_num(b[1])),
                ("maxx", &fmt_num(b[2])),
                ("maxy", &fmt_num(b[3])),
            ],
        );
    }
    let default = l
        .time_default
        .clone()
        .or_else(|| l.times.last().map(|t| t.to_string()));
    if let Some(default) = default.filter(|_| !l.times.is_empty()) {
        let values = l
            .times
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(",");
        match v {
            WmsVersion::V130 => {
                let mut attrs = vec![
                    ("name", "time"),
                    ("units", "ISO8601"),
                    ("default", default.as_str()),
                    ("nearestValue", "0"),
                ];
                // TIME=current is valid only where declared (Annex C).
                if default == "current" {
                    attrs.push(("current", "1"));
                }
                x.text_attrs("Dimension", &attrs, &values);
            }
            WmsVersion::V111 => {
                x.empty("Dimension", &[("name", "time"), ("units", "ISO8601")]);
                x.text_attrs(
                    "Extent",
                    &[
                        ("name", "time"),
                        ("default", &default),
                        ("nearestValue", "0"),
                    ],
                    &values,
                );
            }
        }
    }
    for url in &l.metadata_urls {
        // 1.1.1 knows the standard as its committee: 'TC211'.
        let kind = match v {
            WmsVersion::V130 => "ISO19115:2003",
            WmsVersion::V111 => "TC211",
        };
        x.open("MetadataURL", &[("type", kind)]);
        x.text("Format", crate::inspire::RECORD_MEDIA_TYPE);
        online_resource(x, v, url);
        x.close("MetadataURL");
    }
    // A layer holding others (a dataset) declares no style of its own: its
    // layers declare theirs, which would otherwise redefine an inherited
    // `default`. A style an ancestor declares is inherited, not repeated.
    let builtin = WmsStyle {
        name: "default".into(),
        title: "Défaut".into(),
        legend: None,
    };
    let own = match &l.style {
        Some(s) => Some(s),
        None if l.children.is_empty() => Some(&builtin),
        None => None,
    }
    .filter(|s| !inherited.contains(&s.name.as_str()));
    match own {
        None => {}
        Some(s) => {
            x.open("Style", &[]);
            x.text("Name", &s.name);
            x.text("Title", &s.title);
            if let Some(lg) = &s.legend {
                let (w, h) = (lg.width.to_string(), lg.height.to_string());
                x.open("LegendURL", &[("width", &w), ("height", &h)]);
                x.text("Format", &lg.format);
                online_resource(x, v, &lg.href);
                x.close("LegendURL");
            }
            x.close("Style");
        }
    }
    match v {
        WmsVersion::V130 => {
            if let Some(m) = l.min_scale {
                x.text("MinScaleDenominator", &fmt_num(m));
            }
            if let Some(m) = l.max_scale {
                x.text("MaxScaleDenominator", &fmt_num(m));
            }
        }
        // 1.1.1 gives the diagonal of a pixel in metres on the ground.
        WmsVersion::V111 if l.min_scale.is_some() || l.max_scale.is_some() => {
            let diag = |s: f64| fmt_num(s * 0.00028 * std::f64::consts::SQRT_2);
            let min = diag(l.min_scale.unwrap_or(0.0));
            let max = l.max_scale.map_or("1e12".to_string(), diag);
            x.empty("ScaleHint", &[("min", &min), ("max", &max)]);
        }
        WmsVersion::V111 => {}
    }
    let mut names = inherited.to_vec();
    names.extend(own.map(|s| s.name.as_str()));
    for c in &l.children {
        layer(x, v, c, &names);
    }
    x.close("Layer");
}

/// A KeywordList, when there are keywords (the same in 1.3.0 and 1.1.1).
fn keyword_list<'k>(x: &mut Xml, keywords: impl Iterator<Item = &'k str>) {
    let mut keywords = keywords.peekable();
    if keywords.peek().is_none() {
        return;
    }
    x.open("KeywordList", &[]);
    for k in keywords {
        x.text("Keyword", k);
    }
    x.close("KeywordList");
}

/// A link; in 1.1.1 it declares the xlink namespace itself, as the DTD
/// has it (the root may not).
fn online_resource(x: &mut Xml, v: WmsVersion, href: &str) {
    let mut attrs = vec![("xlink:type", "simple"), ("xlink:href", href)];
    if v == WmsVersion::V111 {
        attrs.insert(0, ("xmlns:xlink", "http://www.w3.org/1999/xlink"));
    }
    x.empty("OnlineResource", &attrs);
}

/// INSPIRE Technical Guidance for view services, scenario 1: a link to the
/// service's metadata record, and the languages (French first).
fn inspire_extended_capabilities(x: &mut Xml, metadata_url: &str, lang: crate::inspire::Language) {
    x.open("inspire_vs:ExtendedCapabilities", &[]);
    crate::inspire::metadata_and_languages(
        x,
        metadata_url,
        crate::inspire::RECORD_MEDIA_TYPE,
        true,
        lang,
    );
    x.close("inspire_vs:ExtendedCapabilities");
}

fn geographic_bbox(x: &mut Xml, v: WmsVersion, b: [f64; 4]) {
    match v {
        WmsVersion::V130 => {
            x.open("EX_GeographicBoundingBox", &[]);
            x.text("westBoundLongitude", &fmt_num(b[0]));
            x.text("eastBoundLongitude", &fmt_num(b[2]));
            x.text("southBoundLatitude", &fmt_num(b[1]));
            x.text("northBoundLatitude", &fmt_num(b[3]));
            x.close("EX_GeographicBoundingBox");
        }
        WmsVersion::V111 => {
            x.empty(
                "LatLonBoundingBox",
                &[
                    ("minx", &fmt_num(b[0])),
                    ("miny", &fmt_num(b[1])),
                    ("maxx", &fmt_num(b[2])),
                    ("maxy", &fmt_num(b[3])),
                ],
            );
        }
    }
}

/// A service exception report in the version's format.
pub fn exception(v: WmsVersion, code: &str, locator: Option<&str>, message: &str) -> String {
    let mut x = Xml::new();
    match v {
        WmsVersion::V130 => {
            x.open(
                "ServiceExceptionReport",
                &[
                    ("version", "1.3.0"),
                    ("xmlns", "http://www.opengis.net/ogc"),
                    ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                    (
                        "xsi:schemaLocation",
                        "http://www.opengis.net/ogc http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd",
                    ),
                ],
            );
        }
        WmsVersion::V111 => {
            x.out.push_str(
                "<!DOCTYPE ServiceExceptionReport SYSTEM \"http://schemas.opengis.net/wms/1.1.1/exception_1_1_1.dtd\">\n",
            );
            x.open("ServiceExceptionReport", &[("version", "1.1.1")]);
        }
    }
    // A refusal that no WMS code names (the server is busy) has none.
    let mut attrs = Vec::new();
    if !code.is_empty() {
        attrs.push(("code", code));
    }
    // 1.1.1's DTD declares `code` only: a locator would make the report
    // invalid for clients that validate it.
    if let (Some(l), WmsVersion::V130) = (locator, v) {
        attrs.push(("locator", l));
    }
    x.text_attrs("ServiceException", &attrs, message);
    x.close("ServiceExceptionReport");
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_service() -> WmsService<'static> {
        WmsService {
            title: "t",
            abstract_: "a",
            base_url: "http://x",
            formats: &["image/png"],
            info_formats: &["text/plain"],
            keywords: &["WMS"],
            contact_email: "a@b.c",
            metadata_url: "http://x/md",
            language: crate::inspire::Language::Fre,
        }
    }

    #[test]
    fn styles_legends_scales_and_groups_are_written_in_schema_order() {
        let child = WmsLayer {
            queryable: true,
            style: Some(WmsStyle {
                name: "communes".into(),
                title: "Communes".into(),
                legend: Some(LegendUrl {
                    width: 120,
                    height: 48,
                    format: "image/png".into(),
                    href: "http://x/wms?A=1&B=2".into(),
                }),
            }),
            min_scale: Some(1000.0),
            max_scale: Some(500000.0),
            ..WmsLayer::new(
                "admin.communes".into(),
                "Communes".into(),
                [0.0, 46.0, 3.0, 49.0],
            )
        };
        let group = WmsLayer {
            children: vec![child],
            ..WmsLayer::new("admin".into(), "Admin".into(), [0.0, 46.0, 3.0, 49.0])
        };
        let svc = test_service();
        let x = capabilities(WmsVersion::V130, &svc, "root", &[group]);
        let at = |s: &str| x.find(s).unwrap_or_else(|| panic!("{s} missing in {x}"));
        assert!(at("<Name>admin</Name>") < at("<Name>admin.communes</Name>"));
        assert!(at("<Name>communes</Name>") < at("<LegendURL width=\"120\" height=\"48\">"));
        assert!(
            at("</Style><MinScaleDenominator>1000</MinScaleDenominator>")
                < at("<MaxScaleDenominator>500000</MaxScaleDenominator>")
        );
        assert!(x.contains("xlink:href=\"http://x/wms?A=1&amp;B=2\""));
        // A layer holding others declares no style: its child's is its own.
        assert!(!x.contains("<Name>default</Name>"), "{x}");
        // Keywords after the abstract, contact after the online resource.
        assert!(x.contains("<Abstract>a</Abstract><KeywordList><Keyword>WMS</Keyword></KeywordList><OnlineResource"));
        assert!(x.contains("<ContactInformation><ContactElectronicMailAddress>a@b.c</ContactElectronicMailAddress></ContactInformation><Fees>"));
        let x = capabilities(
            WmsVersion::V111,
            &svc,
            "root",
            &[WmsLayer {
                min_scale: Some(1000.0),
                ..WmsLayer::new("a".into(), "A".into(), [0.0, 0.0, 1.0, 1.0])
            }],
        );
        assert!(
            x.contains("<ScaleHint min=\"0.3959797975\" max=\"1e12\"/>"),
            "{x}"
        );
    }

    #[test]
    fn a_style_an_ancestor_declares_is_inherited_not_redeclared() {
        let style = |name: &str| WmsStyle {
            name: name.into(),
            title: name.into(),
            legend: None,
        };
        let leaf = |name: &str, st: Option<WmsStyle>| WmsLayer {
            style: st,
            ..WmsLayer::new(name.into(), name.into(), [0.0, 0.0, 1.0, 1.0])
        };
        let parent = WmsLayer {
            style: Some(style("default")),
            children: vec![
                leaf("a", None),
                leaf("b", Some(style("default"))),
                leaf("c", Some(style("fancy"))),
            ],
            ..WmsLayer::new("p".into(), "P".into(), [0.0, 0.0, 1.0, 1.0])
        };
        let svc = test_service();
        for v in [WmsVersion::V130, WmsVersion::V111] {
            let x = capabilities(v, &svc, "root", &[parent.clone(), leaf("d", None)]);
            assert_eq!(x.matches("<Name>default</Name>").count(), 2, "{x}");
            assert_eq!(x.matches("<Name>fancy</Name>").count(), 1, "{x}");
            // The parent's, and the sibling's outside it.
            assert!(x.find("<Name>default</Name>") < x.find("<Name>a</Name>"));
            assert!(x.rfind("<Name>default</Name>") > x.find("<Name>d</Name>"));
        }
    }

    #[test]
    fn version_negotiation() {
        assert_eq!(WmsVersion::negotiate(None), WmsVersion::V130);
        assert_eq!(WmsVersion::negotiate(Some("1.1.1")), WmsVersion::V111);
        assert_eq!(WmsVersion::negotiate(Some("1.1.0")), WmsVersion::V111);
        assert_eq!(WmsVersion::negotiate(Some("1.3.0")), WmsVersion::V130);
        assert_eq!(WmsVersion::negotiate(Some("2.0.0")), WmsVersion::V130);
    }

    #[test]
    fn exceptions_carry_what_their_version_declares() {
        let x = exception(WmsVersion::V130, "LayerNotDefined", Some("LAYERS"), "m");
        assert!(x.contains("locator=\"LAYERS\""), "{x}");
        let x = exception(WmsVersion::V111, "LayerNotDefined", Some("LAYERS"), "m");
        assert!(
            x.contains("code=\"LayerNotDefined\"") && !x.contains("locator"),
            "{x}"
        );
    }
}
