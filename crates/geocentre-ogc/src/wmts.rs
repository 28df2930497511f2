//! WMTS 1.0.0 capabilities (OGC 07-057r7).

use crate::ows::service_sections;
pub use crate::ows::ServiceInfo;
use crate::xml::Xml;
use geocentre_core::tms::TmsId;

/// Inclusive tile ranges of one level.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub level: u8,
    pub min_row: u64,
    pub max_row: u64,
    pub min_col: u64,
    pub max_col: u64,
}

pub struct TmsLink {
    pub tms: TmsId,
    pub limits: Vec<Limits>,
}

pub struct Layer {
    pub id: String,
    pub title: String,
    pub abstract_: String,
    pub wgs84_bbox: [f64; 4],
    pub native_bbox: [f64; 4],
    pub formats: Vec<&'static str>,
    pub links: Vec<TmsLink>,
    /// Values of the Time dimension, default first (empty: no dimension).
    pub times: Vec<String>,
    /// The layer's ISO 19139 record (INSPIRE: `ows:Metadata` per Layer).
    pub metadata_url: Option<String>,
}

/// INSPIRE view service extended capabilities (Technical Guidance for view
/// services, WMTS, scenario 1): the service's metadata record.
pub const INSPIRE_VS_OWS11: &str = "http://inspire.ec.europa.eu/schemas/inspire_vs_ows11/1.0";

fn corner(x: f64, y: f64) -> String {
    format!("{} {}", fmt_num(x), fmt_num(y))
}

/// Shortest exact-enough decimal form.
pub fn fmt_num(v: f64) -> String {
    let s = format!("{v:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

fn ext_of(mime: &str) -> &'static str {
    match mime {
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "jpg",
    }
}

/// The capabilities; `service_metadata_url` is the service's ISO 19139
/// record, linked from the INSPIRE extended capabilities.
pub fn capabilities(
    info: &ServiceInfo,
    layers: &[Layer],
    sets: &[TmsId],
    service_metadata_url: &str,
    language: crate::inspire::Language,
) -> String {
    let base = info.base_url;
    let kvp = format!("{base}/wmts?");
    let mut x = Xml::new();
    x.open(
        "Capabilities",
        &[
            ("xmlns", "http://www.opengis.net/wmts/1.0"),
            ("xmlns:ows", "http://www.opengis.net/ows/1.1"),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xmlns:gml", "http://www.opengis.net/gml"),
            ("xmlns:inspire_vs", INSPIRE_VS_OWS11),
            ("xmlns:inspire_common", crate::inspire::COMMON),
            (
                "xsi:schemaLocation",
                "http://www.opengis.net/wmts/1.0 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd \
                 http://inspire.ec.europa.eu/schemas/inspire_vs_ows11/1.0 https://inspire.ec.europa.eu/schemas/inspire_vs_ows11/1.0/inspire_vs_ows_11.xsd",
            ),
            ("version", "1.0.0"),
        ],
    );
    service_sections(&mut x, info, "OGC WMTS", "1.0.0");

    x.open("ows:OperationsMetadata", &[]);
    for (op, rest) in [
        (
            "GetCapabilities",
            format!("{base}/wmts/1.0.0/WMTSCapabilities.xml"),
        ),
        ("GetTile", format!("{base}/wmts/1.0.0/")),
    ] {
        x.open("ows:Operation", &[("name", op)]);
        x.open("ows:DCP", &[]);
        x.open("ows:HTTP", &[]);
        // KVP first (QGIS takes the first Get: listed first, RESTful would
        // have it fill the {Time} of the templates itself, which it does
        // not). Clients that ignore the GetEncoding constraint and send KVP
        // to the last, RESTful address (the OGC CITE WMTS suite) are
        // answered there too: routes/wmts.rs.
        for (href, encoding) in [(kvp.as_str(), "KVP"), (rest.as_str(), "RESTful")] {
            x.open("ows:Get", &[("xlink:href", href)]);
            x.open("ows:Constraint", &[("name", "GetEncoding")]);
            x.open("ows:AllowedValues", &[]);
            x.text("ows:Value", encoding);
            x.close("ows:AllowedValues");
            x.close("ows:Constraint");
            x.close("ows:Get");
        }
        x.close("ows:HTTP");
        x.close("ows:DCP");
        x.close("ows:Operation");
    }
    // In the substitution group of ows:ExtendedCapabilities (INSPIRE TG
    // view services, WMTS: inspire_vs_ows11), scenario 1.
    x.open("inspire_vs:ExtendedCapabilities", &[]);
    crate::inspire::metadata_and_languages(
        &mut x,
        service_metadata_url,
        crate::inspire::RECORD_MEDIA_TYPE,
        false,
        language,
    );
    x.close("inspire_vs:ExtendedCapabilities");
    x.close("ows:OperationsMetadata");

    x.open("Contents", &[]);
    for l in layers {
        x.open("Layer", &[]);
        x.text("ows:Title", &l.title);
        x.text("ows:Abstract", &l.abstract_);
        x.open("ows:WGS84BoundingBox", &[]);
        x.text("ows:LowerCorner", &corner(l.wgs84_bbox[0], l.wgs84_bbox[1]));
        x.text("ows:UpperCorner", &corner(l.wgs84_bbox[2], l.wgs84_bbox[3]));
        x.close("ows:WGS84BoundingBox");
        x.text("ows:Identifier", &l.id);
        x.open("ows:BoundingBox", &[("crs", "urn:ogc:def:crs:EPSG::2154")]);
        x.text(
            "ows:LowerCorner",
            &corner(l.native_bbox[0], l.native_bbox[1]),
        );
        x.text(
            "ows:UpperCorner",
            &corner(l.native_bbox[2], l.native_bbox[3]),
        );
        x.close("ows:BoundingBox");
        if let Some(href) = &l.metadata_url {
            x.empty(
                "ows:Metadata",
                &[("xlink:type", "simple"), ("xlink:href", href)],
            );
        }
        x.open("Style", &[("isDefault", "true")]);
        x.text("ows:Title", "Défaut");
        x.text("ows:Identifier", "default");
        x.close("Style");
        for f in &l.formats {
            x.text("Format", f);
        }
        if let Some(default) = l.times.first() {
            x.open("Dimension", &[]);
            x.text("ows:Identifier", "Time");
            x.text("Default", default);
            for t in &l.times {
                x.text("Value", t);
            }
            x.close("Dimension");
        }
        for link in &l.links {
            x.open("TileMatrixSetLink", &[]);
            x.text("TileMatrixSet", link.tms.as_str());
            x.open("TileMatrixSetLimits", &[]);
            for lim in &link.limits {
                x.open("TileMatrixLimits", &[]);
                x.text("TileMatrix", &lim.level.to_string());
                x.text("MinTileRow", &lim.min_row.to_string());
                x.text("MaxTileRow", &lim.max_row.to_string());
                x.text("MinTileCol", &lim.min_col.to_string());
                x.text("MaxTileCol", &lim.max_col.to_string());
                x.close("TileMatrixLimits");
            }
            x.close("TileMatrixSetLimits");
            x.close("TileMatrixSetLink");
        }
        // A dimension of the layer is a path segment of its templates.
        let time = if l.times.is_empty() { "" } else { "{Time}/" };
        for f in &l.formats {
            let template = format!(
                "{base}/wmts/1.0.0/{}/{{Style}}/{time}{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.{}",
                l.id,
                ext_of(f)
            );
            x.empty(
                "ResourceURL",
                &[
                    ("format", f),
                    ("resourceType", "tile"),
                    ("template", &template),
                ],
            );
        }
        x.close("Layer");
    }
    for id in sets {
        let set = id.get();
        let crs = format!("urn:ogc:def:crs:EPSG::{}", set.epsg);
        x.open("TileMatrixSet", &[]);
        x.text("ows:Title", set.title);
        x.text("ows:Identifier", id.as_str());
        x.text("ows:SupportedCRS", &crs);
        if let Some(w) = set.well_known_scale_set {
            x.text("WellKnownScaleSet", w);
        }
        for m in set.matrices(set.max_level) {
            x.open("TileMatrix", &[]);
            x.text("ows:Identifier", &m.level.to_string());
            x.text(
                "ScaleDenominator",
                &format!("{:.10}", m.scale_denominator()),
            );
            x.text("TopLeftCorner", &corner(set.origin.0, set.origin.1));
            x.text("TileWidth", "256");
            x.text("TileHeight", "256");
            x.text("MatrixWidth", &m.matrix_width.to_string());
            x.text("MatrixHeight", &m.matrix_height.to_string());
            x.close("TileMatrix");
        }
        x.close("TileMatrixSet");
    }
    x.close("Contents");
    x.empty(
        "ServiceMetadataURL",
        &[(
            "xlink:href",
            &format!("{base}/wmts/1.0.0/WMTSCapabilities.xml"),
        )],
    );
    x.close("Capabilities");
    x.finish()
}
