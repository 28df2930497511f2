//! WMS GetFeatureInfo responses: plain text, HTML (French), GeoJSON and
//! GML (MapServer's `msGMLOutput` shape, which QGIS and OpenLayers read).
//! The GML names its schema ([`GML_SCHEMA`], served by the server), so a
//! validating client can check it: WMS 1.1.1 asks for GML that validates.

use crate::wmts::fmt_num;
use crate::xml::{esc, Xml};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfoFormat {
    Text,
    Html,
    Json,
    Gml,
}

impl InfoFormat {
    pub const ALL: [InfoFormat; 4] = [
        InfoFormat::Text,
        InfoFormat::Html,
        InfoFormat::Json,
        InfoFormat::Gml,
    ];
    pub fn from_mime(s: &str) -> Option<InfoFormat> {
        let s = s.trim().to_ascii_lowercase();
        let base = s.split(';').next().unwrap_or("").trim();
        match base {
            "text/plain" => Some(InfoFormat::Text),
            "text/html" => Some(InfoFormat::Html),
            "application/json" | "application/geo+json" | "geojson" => Some(InfoFormat::Json),
            "application/vnd.ogc.gml" | "application/gml+xml" | "text/xml" | "gml" => {
                Some(InfoFormat::Gml)
            }
            _ => None,
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            InfoFormat::Text => "text/plain",
            InfoFormat::Html => "text/html",
            InfoFormat::Json => "application/json",
            InfoFormat::Gml => "application/vnd.ogc.gml",
        }
    }
    /// The Content-Type answering INFO_FORMAT `asked`: the media type the
    /// client asked for where it is one of the format's names (WMS 1.3.0
    /// §7.4.3.5: the answer is in the requested format; OGC CITE compares
    /// them), else the advertised one; text formats say their charset.
    pub fn content_type(self, asked: &str) -> &'static str {
        let base = asked.split(';').next().unwrap_or("").trim();
        let is = |m: &str| base.eq_ignore_ascii_case(m);
        match self {
            InfoFormat::Text => "text/plain; charset=utf-8",
            InfoFormat::Html => "text/html; charset=utf-8",
            InfoFormat::Json if is("application/geo+json") => "application/geo+json",
            InfoFormat::Json => "application/json",
            InfoFormat::Gml if is("application/gml+xml") => "application/gml+xml; charset=utf-8",
            InfoFormat::Gml if is("text/xml") => "text/xml; charset=utf-8",
            InfoFormat::Gml => "application/vnd.ogc.gml; charset=utf-8",
        }
    }
}

/// The XML Schema of the GML answer, served at [`GML_SCHEMA_PATH`]. Layer
/// and attribute names come from the data, so it declares the root
/// `msGMLOutput` and lets its content be assessed laxly: the GML 2.1.2
/// elements it holds (`gml:name`, `gml:boundedBy/gml:Box`) are validated
/// against GML, the `{layer}_layer`/`{layer}_feature` elements only for
/// being well-formed.
pub const GML_SCHEMA: &str = include_str!("featureinfo_gml.xsd");
/// Where the server serves [`GML_SCHEMA`], below its base URL.
pub const GML_SCHEMA_PATH: &str = "/wms/schemas/featureinfo.xsd";

/// One attribute: machine name, French label, value (JSON keeps its
/// type; the other formats write it as text).
pub type Field = (Cow<'static, str>, Cow<'static, str>, Value);

#[derive(Debug, Clone)]
pub struct InfoFeature {
    pub id: String,
    pub fields: Vec<Field>,
    /// Bounding box in the request's CRS, x/y order.
    pub bbox: [f64; 4],
    /// The footprint as a closed lon/lat ring (GeoJSON), when `geometry`
    /// is not given.
    pub lonlat_ring: Vec<(f64, f64)>,
    /// A GeoJSON geometry (lon/lat).
    pub geometry: Option<Value>,
}

/// What a layer's features are, for the "nothing here" messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InfoKind {
    #[default]
    Dalles,
    Features,
}

#[derive(Debug, Clone)]
pub struct InfoLayer {
    pub name: String,
    pub features: Vec<InfoFeature>,
    pub kind: InfoKind,
}

/// A value as the text formats write it: text as is, nothing for null.
fn value_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    }
}

/// Writes the response; `crs` names the CRS of the bounding boxes (GML),
/// `base_url` the server's, where GML finds its schema.
pub fn write(fmt: InfoFormat, layers: &[InfoLayer], crs: &str, base_url: &str) -> String {
    match fmt {
        InfoFormat::Text => text(layers),
        InfoFormat::Html => html(layers),
        InfoFormat::Json => json(layers),
        InfoFormat::Gml => gml(layers, crs, &format!("{base_url}{GML_SCHEMA_PATH}")),
    }
}

fn text(layers: &[InfoLayer]) -> String {
    let mut out = String::new();
    for l in layers {
        let _ = writeln!(out, "Layer '{}'", l.name);
        if l.features.is_empty() {
            let _ = match l.kind {
                InfoKind::Dalles => writeln!(out, "  no dalle at this point"),
                InfoKind::Features => writeln!(out, "  no feature at this point"),
            };
        }
        for f in &l.features {
            let _ = writeln!(out, "  Feature {}:", f.id);
            for (name, _, value) in &f.fields {
                let _ = writeln!(out, "    {name} = '{}'", value_text(value));
            }
        }
    }
    out
}

fn html(layers: &[InfoLayer]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Informations</title></head><body>\n",
    );
    for l in layers {
        let _ = writeln!(out, "<h2>{}</h2>", esc(&l.name));
        if l.features.is_empty() {
            out.push_str(match l.kind {
                InfoKind::Dalles => "<p>Aucune dalle à cet endroit.</p>\n",
                InfoKind::Features => "<p>Aucun objet à cet endroit.</p>\n",
            });
        }
        for f in &l.features {
            out.push_str("<table>\n");
            for (_, label, value) in &f.fields {
                let _ = writeln!(
                    out,
                    "<tr><th>{}</th><td>{}</td></tr>",
                    esc(label),
                    esc(&value_text(value))
                );
            }
            out.push_str("</table>\n");
        }
    }
    out.push_str("</body></html>\n");
    out
}

fn json(layers: &[InfoLayer]) -> String {
    let features: Vec<serde_json::Value> = layers
        .iter()
        .flat_map(|l| {
            l.features.iter().map(move |f| {
                let mut props = serde_json::Map::new();
                props.insert("layer".into(), l.name.clone().into());
                for (name, _, value) in &f.fields {
                    props.insert(name.to_string(), value.clone());
                }
                let geometry = f.geometry.clone().unwrap_or_else(|| {
                    let ring: Vec<[f64; 2]> = f.lonlat_ring.iter().map(|&(x, y)| [x, y]).collect();
                    serde_json::json!({"type": "Polygon", "coordinates": [ring]})
                });
                serde_json::json!({
                    "type": "Feature",
                    "id": f.id,
                    "geometry": geometry,
                    "properties": props,
                })
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn gml(layers: &[InfoLayer], crs: &str, schema: &str) -> String {
    let mut x = Xml::new();
    x.open(
        "msGMLOutput",
        &[
            ("xmlns:gml", "http://www.opengis.net/gml"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:noNamespaceSchemaLocation", schema),
        ],
    );
    for l in layers {
        let tag = xml_name(&l.name);
        x.open(&format!("{tag}_layer"), &[]);
        x.text("gml:name", &l.name);
        for f in &l.features {
            x.open(&format!("{tag}_feature"), &[("fid", f.id.as_str())]);
            x.open("gml:boundedBy", &[]);
            x.open("gml:Box", &[("srsName", crs)]);
            let b = f.bbox;
            x.text(
                "gml:coordinates",
                &format!(
                    "{},{} {},{}",
                    fmt_num(b[0]),
                    fmt_num(b[1]),
                    fmt_num(b[2]),
                    fmt_num(b[3])
                ),
            );
            x.close("gml:Box");
            x.close("gml:boundedBy");
            for (name, _, value) in &f.fields {
                x.text(&xml_name(name), &value_text(value));
            }
            x.close(&format!("{tag}_feature"));
        }
        x.close(&format!("{tag}_layer"));
    }
    x.close("msGMLOutput");
    x.finish()
}

/// A name from data as an XML element name.
fn xml_name(s: &str) -> String {
    geocentre_core::names::safe_ncname(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<InfoLayer> {
        vec![InfoLayer {
            name: "ortho-hr".into(),
            features: vec![InfoFeature {
                id: "ortho-hr-2024.d1".into(),
                fields: vec![("dalle".into(), "Dalle".into(), "a<b&c.tif".into())],
                bbox: [1.0, 2.0, 3.0, 4.0],
                lonlat_ring: vec![(1.0, 2.0), (3.0, 2.0), (3.0, 4.0), (1.0, 2.0)],
                geometry: None,
            }],
            kind: InfoKind::Dalles,
        }]
    }

    #[test]
    fn every_format_carries_the_value_escaped_where_needed() {
        let l = sample();
        assert!(
            write(InfoFormat::Text, &l, "EPSG:2154", "http://x").contains("dalle = 'a<b&c.tif'")
        );
        assert!(write(InfoFormat::Html, &l, "EPSG:2154", "http://x").contains("a&lt;b&amp;c.tif"));
        let j: serde_json::Value =
            serde_json::from_str(&write(InfoFormat::Json, &l, "EPSG:2154", "http://x")).unwrap();
        assert_eq!(j["features"][0]["properties"]["dalle"], "a<b&c.tif");
        let g = write(InfoFormat::Gml, &l, "EPSG:2154", "http://x");
        assert!(g.contains("<ortho-hr_layer>") && g.contains("a&lt;b&amp;c.tif"));
    }

    #[test]
    fn vector_features_keep_their_types_and_geometry() {
        let l = vec![InfoLayer {
            name: "admin.communes".into(),
            features: vec![InfoFeature {
                id: "admin.communes.7".into(),
                fields: vec![
                    ("nom".into(), "nom".into(), "Orléans".into()),
                    ("population".into(), "population".into(), 116_000.into()),
                    ("code insee".into(), "code insee".into(), Value::Null),
                ],
                bbox: [1.0, 2.0, 3.0, 4.0],
                lonlat_ring: Vec::new(),
                geometry: Some(serde_json::json!({"type": "Point", "coordinates": [1.9, 47.9]})),
            }],
            kind: InfoKind::Features,
        }];
        let j: serde_json::Value =
            serde_json::from_str(&write(InfoFormat::Json, &l, "EPSG:2154", "http://x")).unwrap();
        assert_eq!(j["features"][0]["properties"]["population"], 116_000);
        assert_eq!(j["features"][0]["geometry"]["type"], "Point");
        let g = write(InfoFormat::Gml, &l, "EPSG:2154", "http://x");
        assert!(
            g.contains("<code_insee></code_insee>")
                && g.contains("<population>116000</population>")
        );
        assert!(write(InfoFormat::Text, &l, "x", "http://x").contains("nom = 'Orléans'"));
        let empty = vec![InfoLayer {
            features: Vec::new(),
            ..l[0].clone()
        }];
        assert!(write(InfoFormat::Html, &empty, "x", "http://x").contains("Aucun objet"));
    }

    #[test]
    fn the_answer_is_labelled_as_asked() {
        assert_eq!(
            InfoFormat::Json.content_type("application/json"),
            "application/json"
        );
        assert_eq!(
            InfoFormat::Json.content_type("application/geo+json"),
            "application/geo+json"
        );
        assert!(InfoFormat::Gml
            .content_type("application/vnd.ogc.gml")
            .starts_with("application/vnd.ogc.gml;"));
        assert!(InfoFormat::Gml
            .content_type("text/xml; subtype=gml/2.1.2")
            .starts_with("text/xml;"));
        let g = write(InfoFormat::Gml, &sample(), "EPSG:2154", "http://h/g");
        assert!(
            g.contains("xsi:noNamespaceSchemaLocation=\"http://h/g/wms/schemas/featureinfo.xsd\""),
            "{g}"
        );
        assert!(GML_SCHEMA.contains("name=\"msGMLOutput\""));
    }

    #[test]
    fn formats_are_recognised_with_parameters() {
        assert_eq!(
            InfoFormat::from_mime("application/vnd.ogc.gml; subtype=gml/2"),
            Some(InfoFormat::Gml)
        );
        assert_eq!(InfoFormat::from_mime("image/png"), None);
    }
}
