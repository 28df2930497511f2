//! A MapLibre GL style (style specification v8) for a dataset's vector
//! tiles, generated from the stored styles: a web map draws the dataset as
//! the WMS does, from one URL.
//!
//! Each rule becomes one style layer per kind of drawing (fill, line,
//! circle, icon, label), in the WMS's order: layers of the dataset bottom
//! to top, passes in order, rules in order; labels of every layer come
//! last, the upper layer's on top (MapLibre places the symbols of upper
//! layers first, as the WMS label cache does). Conditions become filter
//! expressions typed by the layer's fields (numbers compare as numbers,
//! as in the WMS); scale ranges become zoom ranges (OGC 0.28 mm pixels at
//! MapLibre's 512-px Web Mercator tiles); `else` rules are split into zoom
//! bands so that they apply exactly where no other rule of their pass does.
//! Markers other than circles are drawn into a sprite sheet by the same
//! code as the WMS legend. What MapLibre cannot express (a LIKE with `_`) is
//! left out and said in the style's `metadata`.

use crate::draw::draw_marker;
use crate::style::{
    CmpOp, Cond, GeomKind, Label, LineStyle, Marker, MarkerShape, Rgba, Rule, Style,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use tiny_skia::Pixmap;

/// Scale denominator at MapLibre zoom 0: 2π·6378137 m / 512 px / 0.28 mm.
pub const SCALE_AT_ZOOM_0: f64 = 279_541_132.014_358_8;
/// MapLibre's deepest zoom.
const MAX_ZOOM: f64 = 24.0;

/// The zoom at which a map shows `scale` (1:scale).
pub fn zoom_of_scale(scale: f64) -> f64 {
    (SCALE_AT_ZOOM_0 / scale).log2().clamp(0.0, MAX_ZOOM)
}

/// One layer of the dataset, as the style draws it.
pub struct WebLayer<'a> {
    /// The MVT layer (`source-layer`): the layer's name.
    pub name: &'a str,
    pub geometry: GeomKind,
    pub style: &'a Style,
    /// Names of the numeric fields (Integer, Integer64, Real).
    pub numeric: &'a BTreeSet<String>,
    /// The tiles' layer of label points of these polygons, when they have
    /// one: labels are written there, once per polygon, rather than on each
    /// tile's piece of it.
    pub label_points: Option<&'a str>,
}

/// Where the style's resources are.
pub struct Urls<'a> {
    /// The TileJSON of the dataset's vector tiles.
    pub tilejson: &'a str,
    /// The glyphs template (`…/fonts/{fontstack}/{range}.pbf`).
    pub glyphs: &'a str,
    /// The sprite base (MapLibre adds `.json`, `.png`, `@2x`).
    pub sprite: &'a str,
}

/// The generated style, and the markers its sprite sheet must hold.
pub struct WebStyle {
    pub style: Value,
    pub icons: Vec<(String, Marker)>,
}

/// The source every layer reads.
const SOURCE: &str = "geocentre";

fn color(c: Rgba) -> String {
    format!(
        "rgba({}, {}, {}, {})",
        c.0[0],
        c.0[1],
        c.0[2],
        (c.opacity() * 1000.0).round() / 1000.0
    )
}

/// A number for JSON (f32 style values written as the user wrote them).
fn num(v: f32) -> Value {
    json!((f64::from(v) * 1000.0).round() / 1000.0)
}

fn geometry_filter(kind: GeomKind) -> Option<Value> {
    let types: &[&str] = match kind {
        GeomKind::Polygon => &["Polygon", "MultiPolygon"],
        GeomKind::Line => &["LineString", "MultiLineString"],
        GeomKind::Point => &["Point", "MultiPoint"],
        GeomKind::Any => return None,
    };
    Some(json!(["in", ["geometry-type"], ["literal", types]]))
}

/// A condition as a MapLibre expression; None when MapLibre cannot say it.
fn cond(c: &Cond, numeric: &BTreeSet<String>) -> Option<Value> {
    let get = |p: &str| json!(["get", p]);
    let as_number = |p: &str| {
        if numeric.contains(p) {
            get(p)
        } else {
            json!(["to-number", get(p)])
        }
    };
    let op_name = |op: CmpOp| match op {
        CmpOp::Eq => "==",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    };
    // As the WMS: numbers when the literal or the attribute is a number and
    // the other reads as one, text otherwise. A missing attribute never
    // compares (MVT leaves nulls out: `has` is false).
    let compare = |p: &str, op: CmpOp, lit: &Value| -> Value {
        let number = match lit {
            Value::Number(n) => n.as_f64(),
            Value::String(s) if numeric.contains(p) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let test = match (number, lit) {
            (Some(n), _) => json!([op_name(op), as_number(p), n]),
            (None, Value::Bool(b)) => json!([op_name(op), get(p), b]),
            (None, other) => {
                let text = match other {
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                };
                json!([op_name(op), ["to-string", get(p)], text])
            }
        };
        json!(["all", ["has", p], test])
    };
    Some(match c {
        Cond::Cmp {
            property,
            op,
            value,
        } => compare(property, *op, value),
        Cond::Between { property, lo, hi } => json!([
            "all",
            ["has", property],
            [">=", as_number(property), lo],
            ["<=", as_number(property), hi]
        ]),
        Cond::In { property, values } => {
            let mut any = vec![json!("any")];
            any.extend(values.iter().map(|v| compare(property, CmpOp::Eq, v)));
            Value::Array(any)
        }
        Cond::Like { property, pattern } => like(property, pattern)?,
        Cond::IsNull(p) => json!(["!", ["has", p]]),
        Cond::All(v) | Cond::Any(v) => {
            let mut out = vec![json!(if matches!(c, Cond::All(_)) {
                "all"
            } else {
                "any"
            })];
            for x in v {
                out.push(cond(x, numeric)?);
            }
            Value::Array(out)
        }
        Cond::Not(x) => json!(["!", cond(x, numeric)?]),
    })
}

/// SQL LIKE with `%` only: the pieces between `%` must appear in order,
/// the first at the start and the last at the end unless a `%` stands
/// there. `_` has no MapLibre equivalent.
fn like(property: &str, pattern: &str) -> Option<Value> {
    if pattern.contains('_') {
        return None;
    }
    let s = json!(["to-string", ["get", property]]);
    let pieces: Vec<&str> = pattern.split('%').collect();
    if pieces.len() == 1 {
        return Some(json!(["all", ["has", property], ["==", s, pattern]]));
    }
    let len = |t: &str| t.chars().count();
    let mut tests = vec![json!("all"), json!(["has", property])];
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !first.is_empty() {
        tests.push(json!(["==", ["slice", s, 0, len(first)], first]));
    }
    if !last.is_empty() {
        tests.push(json!([
            "==",
            ["slice", s, ["-", ["length", s], len(last)]],
            last
        ]));
        tests.push(json!([">=", ["length", s], len(first) + len(last)]));
    }
    // Middle pieces in order, each after the previous one.
    let mut from = json!(len(first));
    for piece in &pieces[1..pieces.len() - 1] {
        if piece.is_empty() {
            continue;
        }
        let at = json!(["index-of", piece, s, from]);
        tests.push(json!([">=", at, 0]));
        from = json!(["+", at, len(piece)]);
    }
    Some(Value::Array(tests))
}

fn and(parts: Vec<Value>) -> Option<Value> {
    match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => {
            let mut v = vec![json!("all")];
            v.extend(parts);
            Some(Value::Array(v))
        }
    }
}

/// The zoom range a rule draws in: [min, max).
fn zooms(r: &Rule) -> (f64, f64) {
    (
        r.max_scale.map_or(0.0, zoom_of_scale),
        r.min_scale.map_or(MAX_ZOOM, zoom_of_scale),
    )
}

/// The filters a rule's layers carry, each with its zoom band: one for an
/// ordinary rule; for an `else` rule, one per band where the other rules
/// of its pass stay the same, saying that none of them applies.
fn rule_filters(
    style: &Style,
    rule: &Rule,
    numeric: &BTreeSet<String>,
    notes: &mut Vec<String>,
    layer: &str,
) -> Vec<((f64, f64), Option<Value>)> {
    let (lo, hi) = zooms(rule);
    if !rule.else_filter {
        return match &rule.filter {
            None => vec![((lo, hi), None)],
            Some(c) => match cond(c, numeric) {
                Some(f) => vec![((lo, hi), Some(f))],
                None => {
                    notes.push(format!(
                        "{layer}: rule '{}' left out (its condition has no MapLibre form)",
                        rule.legend_title()
                    ));
                    Vec::new()
                }
            },
        };
    }
    let others: Vec<&Rule> = style
        .rules
        .iter()
        .filter(|r| r.pass == rule.pass && !r.else_filter)
        .collect();
    let mut cuts: BTreeSet<u64> = [lo, hi].iter().map(|z| z.to_bits()).collect();
    for r in &others {
        let (a, b) = zooms(r);
        for z in [a, b] {
            if z > lo && z < hi {
                cuts.insert(z.to_bits());
            }
        }
    }
    let mut cuts: Vec<f64> = cuts.into_iter().map(f64::from_bits).collect();
    cuts.sort_by(f64::total_cmp);
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut live = Vec::new();
        let mut all_match = false;
        for r in &others {
            let (ra, rb) = zooms(r);
            if ra <= a && b <= rb {
                match &r.filter {
                    None => all_match = true,
                    Some(c) => match cond(c, numeric) {
                        Some(f) => live.push(f),
                        None => {
                            notes.push(format!(
                                "{layer}: else rule '{}' left out (another rule's condition has no MapLibre form)",
                                rule.legend_title()
                            ));
                            return Vec::new();
                        }
                    },
                }
            }
        }
        if all_match {
            continue;
        }
        let filter = if live.is_empty() {
            None
        } else {
            let mut any = vec![json!("any")];
            any.extend(live);
            Some(json!(["!", Value::Array(any)]))
        };
        out.push(((a, b), filter));
    }
    out
}

fn dash(s: &LineStyle) -> Option<Value> {
    // MapLibre's dashes are in line widths.
    (!s.dash.is_empty() && s.width > 0.0)
        .then(|| Value::Array(s.dash.iter().map(|d| num(d / s.width)).collect()))
}

fn line_paint(s: &LineStyle) -> Value {
    let mut p = Map::new();
    p.insert("line-color".into(), json!(color(s.color)));
    p.insert("line-width".into(), num(s.width));
    if let Some(d) = dash(s) {
        p.insert("line-dasharray".into(), d);
    }
    Value::Object(p)
}

/// The sprite name of a marker: its look, so equal markers share an icon.
fn icon_name(m: &Marker) -> String {
    let stroke = m
        .stroke
        .as_ref()
        .map(|s| format!("{}{:02x}-{}", s.color.hex(), s.color.0[3], s.width))
        .unwrap_or_default();
    format!(
        "{}-{}-{}-{}",
        m.shape.name(),
        m.size,
        m.fill
            .map(|f| format!("{}{:02x}", f.hex(), f.0[3]))
            .unwrap_or_default(),
        stroke
    )
    .replace('#', "")
}

struct Builder<'a> {
    layers: Vec<Value>,
    labels: Vec<Value>,
    icons: Vec<(String, Marker)>,
    notes: Vec<String>,
    next: usize,
    layer: &'a WebLayer<'a>,
}

impl Builder<'_> {
    fn push(
        &mut self,
        kind: &str,
        band: (f64, f64),
        filter: Option<Value>,
        geometry: Option<Value>,
        body: Map<String, Value>,
        label: bool,
    ) {
        let source_layer = self.layer.name;
        self.push_from(source_layer, kind, band, filter, geometry, body, label);
    }

    /// A style layer reading `source_layer` of the tiles.
    #[allow(clippy::too_many_arguments)]
    fn push_from(
        &mut self,
        source_layer: &str,
        kind: &str,
        band: (f64, f64),
        filter: Option<Value>,
        geometry: Option<Value>,
        body: Map<String, Value>,
        label: bool,
    ) {
        self.next += 1;
        let mut l = Map::new();
        l.insert(
            "id".into(),
            json!(format!("{}-{}-{}", self.layer.name, self.next, kind)),
        );
        l.insert("type".into(), json!(kind));
        l.insert("source".into(), json!(SOURCE));
        l.insert("source-layer".into(), json!(source_layer));
        if band.0 > 0.0 {
            l.insert("minzoom".into(), json!((band.0 * 1000.0).round() / 1000.0));
        }
        if band.1 < MAX_ZOOM {
            l.insert("maxzoom".into(), json!((band.1 * 1000.0).round() / 1000.0));
        }
        if let Some(f) = and(geometry.into_iter().chain(filter).collect()) {
            l.insert("filter".into(), f);
        }
        l.extend(body);
        if label {
            self.labels.push(Value::Object(l));
        } else {
            self.layers.push(Value::Object(l));
        }
    }

    fn marker(
        &mut self,
        m: &Marker,
        band: (f64, f64),
        filter: &Option<Value>,
        geometry: Option<Value>,
    ) {
        let mut body = Map::new();
        if m.shape == MarkerShape::Circle {
            let mut p = Map::new();
            p.insert("circle-radius".into(), num(m.size / 2.0));
            p.insert(
                "circle-color".into(),
                json!(color(m.fill.unwrap_or(Rgba([0, 0, 0, 0])))),
            );
            if let Some(s) = &m.stroke {
                p.insert("circle-stroke-color".into(), json!(color(s.color)));
                p.insert("circle-stroke-width".into(), num(s.width));
            }
            body.insert("paint".into(), Value::Object(p));
            self.push("circle", band, filter.clone(), geometry, body, false);
        } else {
            let name = icon_name(m);
            if !self.icons.iter().any(|(n, _)| *n == name) {
                self.icons.push((name.clone(), m.clone()));
            }
            body.insert(
                "layout".into(),
                json!({
                    "icon-image": name,
                    "icon-allow-overlap": true,
                    "icon-ignore-placement": true,
                }),
            );
            self.push("symbol", band, filter.clone(), geometry, body, false);
        }
    }

    fn label(
        &mut self,
        lab: &Label,
        marker_size: f32,
        band: (f64, f64),
        filter: &Option<Value>,
        geometry: Option<Value>,
    ) {
        let mut layout = Map::new();
        layout.insert(
            "text-field".into(),
            json!(["to-string", ["get", lab.field]]),
        );
        layout.insert("text-font".into(), json!([crate::font::FONT_STACK]));
        layout.insert("text-size".into(), num(lab.size));
        match self.layer.geometry {
            GeomKind::Line => {
                layout.insert("symbol-placement".into(), json!("line-center"));
            }
            GeomKind::Point => {
                // Beside the symbol, four sides tried (as the WMS).
                layout.insert(
                    "text-variable-anchor".into(),
                    json!(["left", "right", "top", "bottom"]),
                );
                layout.insert(
                    "text-radial-offset".into(),
                    num((marker_size / 2.0 + 2.0) / lab.size.max(1.0)),
                );
            }
            _ => {}
        }
        let mut paint = Map::new();
        paint.insert("text-color".into(), json!(color(lab.color)));
        if let Some((c, w)) = lab.halo {
            paint.insert("text-halo-color".into(), json!(color(c)));
            paint.insert("text-halo-width".into(), num(w));
        }
        let mut body = Map::new();
        body.insert("layout".into(), Value::Object(layout));
        body.insert("paint".into(), Value::Object(paint));
        match self.layer.label_points {
            // Polygons labelled at their label points: once each.
            Some(points) if self.layer.geometry == GeomKind::Polygon => {
                self.push_from(points, "symbol", band, filter.clone(), None, body, true)
            }
            _ => self.push("symbol", band, filter.clone(), geometry, body, true),
        }
    }

    fn rule(&mut self, style: &Style, rule: &Rule) {
        let geometry = geometry_filter(self.layer.geometry);
        let mut notes = Vec::new();
        let bands = rule_filters(style, rule, self.layer.numeric, &mut notes, self.layer.name);
        self.notes.extend(notes);
        for (band, filter) in bands {
            if band.0 >= band.1 {
                continue;
            }
            for s in &rule.symbolizers {
                let kind = self.layer.geometry;
                let polygons = matches!(kind, GeomKind::Polygon | GeomKind::Any);
                let lines = matches!(kind, GeomKind::Line | GeomKind::Any);
                let points = matches!(kind, GeomKind::Point | GeomKind::Any);
                if polygons {
                    if let Some(f) = s.fill {
                        let mut body = Map::new();
                        body.insert("paint".into(), json!({ "fill-color": color(f) }));
                        self.push(
                            "fill",
                            band,
                            filter.clone(),
                            geometry_filter(GeomKind::Polygon),
                            body,
                            false,
                        );
                    }
                    if let Some(st) = &s.stroke {
                        let mut body = Map::new();
                        body.insert("paint".into(), line_paint(st));
                        self.push(
                            "line",
                            band,
                            filter.clone(),
                            geometry_filter(GeomKind::Polygon),
                            body,
                            false,
                        );
                    }
                }
                if lines {
                    if let Some(st) = &s.stroke {
                        let mut body = Map::new();
                        body.insert("paint".into(), line_paint(st));
                        body.insert(
                            "layout".into(),
                            json!({"line-join": "round", "line-cap": "round"}),
                        );
                        self.push(
                            "line",
                            band,
                            filter.clone(),
                            geometry_filter(GeomKind::Line),
                            body,
                            false,
                        );
                    }
                }
                if points {
                    // Points take the marker, or a circle in the rule's
                    // fill and stroke when it has none (as the WMS).
                    let m = s.marker.clone().or_else(|| {
                        (s.fill.is_some() || s.stroke.is_some()).then(|| Marker {
                            shape: MarkerShape::Circle,
                            size: 8.0,
                            fill: s.fill,
                            stroke: s.stroke.clone(),
                        })
                    });
                    if let Some(m) = m {
                        self.marker(&m, band, &filter, geometry_filter(GeomKind::Point));
                    }
                } else if let (Some(m), None, None) = (&s.marker, s.fill, &s.stroke) {
                    // A marker alone on polygons or lines: at their label point.
                    self.marker(m, band, &filter, geometry.clone());
                }
                if let Some(lab) = &s.label {
                    let size = s.marker.as_ref().map_or(0.0, |m| m.size);
                    self.label(lab, size, band, &filter, geometry.clone());
                }
            }
        }
    }
}

/// The style of a dataset: `layers` bottom to top.
pub fn web_style(
    name: &str,
    title: &str,
    center: [f64; 3],
    urls: &Urls<'_>,
    layers: &[WebLayer<'_>],
) -> WebStyle {
    let mut drawn = Vec::new();
    let mut labels = Vec::new();
    let mut icons: Vec<(String, Marker)> = Vec::new();
    let mut notes = Vec::new();
    for layer in layers {
        let mut b = Builder {
            layers: Vec::new(),
            labels: Vec::new(),
            icons: std::mem::take(&mut icons),
            notes: Vec::new(),
            next: 0,
            layer,
        };
        for pass in layer.style.passes() {
            for rule in layer.style.rules.iter().filter(|r| r.pass == pass) {
                b.rule(layer.style, rule);
            }
        }
        drawn.extend(b.layers);
        labels.push(b.labels);
        icons = b.icons;
        notes.extend(b.notes);
    }
    // Labels above everything, the upper layer's last (drawn on top and
    // placed first).
    drawn.extend(labels.into_iter().flatten());
    let mut style = json!({
        "version": 8,
        "name": title,
        "metadata": {
            "geocentre:dataset": name,
            "geocentre:notes": notes,
        },
        "center": [center[0], center[1]],
        "zoom": center[2],
        "sources": {
            SOURCE: { "type": "vector", "url": urls.tilejson }
        },
        "glyphs": urls.glyphs,
        "layers": drawn,
    });
    if !icons.is_empty() {
        style["sprite"] = json!(urls.sprite);
    }
    WebStyle { style, icons }
}

/// A sprite sheet of `icons` at `ratio` (1 or 2): its index (MapLibre's
/// sprite JSON) and its straight-alpha RGBA pixels, one row of icons.
pub fn sprite_sheet(icons: &[(String, Marker)], ratio: f32) -> Option<(Value, Vec<u8>, u32, u32)> {
    let cells: Vec<(u32, &String, &Marker)> = icons
        .iter()
        .map(|(n, m)| {
            let reach = m.size + m.stroke.as_ref().map_or(0.0, |s| s.width) + 2.0;
            ((reach * ratio).ceil() as u32, n, m)
        })
        .collect();
    let width = cells.iter().map(|c| c.0).sum::<u32>().max(1);
    let height = cells.iter().map(|c| c.0).max().unwrap_or(1).max(1);
    let mut pix = Pixmap::new(width, height)?;
    let mut index = Map::new();
    let mut x = 0;
    for (side, name, m) in cells {
        let mut scaled = m.clone();
        scaled.size *= ratio;
        if let Some(s) = scaled.stroke.as_mut() {
            s.width *= ratio;
        }
        let c = side as f32 / 2.0;
        draw_marker(&mut pix, &scaled, x as f32 + c, c);
        index.insert(
            name.clone(),
            json!({"x": x, "y": 0, "width": side, "height": side, "pixelRatio": ratio}),
        );
        x += side;
    }
    Some((
        Value::Object(index),
        geocentre_image::annotate::into_straight(pix),
        width,
        height,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::{parse, StyleFormat};

    fn numeric(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn build(toml: &str, kind: GeomKind, num: &[&str]) -> WebStyle {
        let style = parse(toml, StyleFormat::Toml).unwrap();
        let n = numeric(num);
        let l = WebLayer {
            name: "communes",
            geometry: kind,
            style: &style,
            numeric: &n,
            label_points: Some("communes:label"),
        };
        let urls = Urls {
            tilejson: "http://h/tiles/admin/WebMercatorQuad/tilejson.json",
            glyphs: "http://h/fonts/{fontstack}/{range}.pbf",
            sprite: "http://h/styles/admin/sprite",
        };
        web_style("admin", "Admin", [1.0, 47.0, 6.0], &urls, &[l])
    }

    #[test]
    fn scales_become_zooms() {
        // 1:100 000 is zoom ~11.4 at 512-px tiles.
        assert!((zoom_of_scale(100_000.0) - 11.449).abs() < 0.01);
        let s = build(
            "[[rule]]\nmax-scale = 100000\nfill = \"#ff0000\"\n",
            GeomKind::Polygon,
            &[],
        );
        let l = &s.style["layers"][0];
        assert_eq!(l["type"], "fill");
        assert!((l["minzoom"].as_f64().unwrap() - 11.449).abs() < 0.01);
        assert!(l.get("maxzoom").is_none());
        assert_eq!(l["paint"]["fill-color"], "rgba(255, 0, 0, 1)");
    }

    #[test]
    fn conditions_are_typed_by_the_fields() {
        let s = build(
            "[[rule]]\nwhere = { property = \"population\", ge = \"10000\" }\nfill = \"#000\"\n[[rule]]\nwhere = { property = \"code\", eq = 45 }\nfill = \"#fff\"\n",
            GeomKind::Polygon,
            &["population"],
        );
        let f0 = s.style["layers"][0]["filter"].to_string();
        assert!(
            f0.contains(r#"[">=",["get","population"],10000.0]"#),
            "{f0}"
        );
        let f1 = s.style["layers"][1]["filter"].to_string();
        // A text field against a number: the attribute read as a number.
        assert!(
            f1.contains(r#"["==",["to-number",["get","code"]],45.0]"#),
            "{f1}"
        );
    }

    #[test]
    fn like_else_and_labels() {
        let s = build(
            "[[rule]]\nwhere = { property = \"nom\", like = \"Saint-%\" }\nfill = \"#00ff00\"\n[[rule]]\nelse = true\nfill = \"#0000ff\"\n[[rule]]\npass = 1\nlabel = { field = \"nom\", size = 12, halo = \"#ffffff\" }\n",
            GeomKind::Polygon,
            &[],
        );
        let layers = s.style["layers"].as_array().unwrap();
        let like = layers[0]["filter"].to_string();
        assert!(
            like.contains(r#"["slice",["to-string",["get","nom"]],0,6],"Saint-"]"#),
            "{like}"
        );
        let other = layers[1]["filter"].to_string();
        assert!(
            other.starts_with(r#"["all",["in",["geometry-type"]"#)
                && other.contains(r#"["!",["any","#),
            "{other}"
        );
        let last = layers.last().unwrap();
        assert_eq!(last["type"], "symbol");
        // Polygons are labelled from their label points.
        assert_eq!(last["source-layer"], "communes:label");
        assert_eq!(last["layout"]["text-font"][0], "DejaVu Sans");
        assert_eq!(last["paint"]["text-halo-color"], "rgba(255, 255, 255, 1)");
    }

    #[test]
    fn an_underscore_pattern_is_left_out_and_said() {
        let s = build(
            "[[rule]]\nwhere = { property = \"nom\", like = \"T_urs\" }\nfill = \"#00ff00\"\n",
            GeomKind::Polygon,
            &[],
        );
        assert_eq!(s.style["layers"].as_array().unwrap().len(), 0);
        assert!(s.style["metadata"]["geocentre:notes"][0]
            .as_str()
            .unwrap()
            .contains("no MapLibre form"));
    }

    #[test]
    fn markers_other_than_circles_go_to_the_sprite() {
        let s = build(
            "[[rule]]\nmarker = { shape = \"star\", size = 10, fill = \"#ff0000\" }\n",
            GeomKind::Point,
            &[],
        );
        assert_eq!(s.icons.len(), 1);
        assert_eq!(
            s.style["layers"][0]["layout"]["icon-image"],
            s.icons[0].0.as_str()
        );
        assert!(s.style["sprite"].is_string());
        let (index, rgba, w, h) = sprite_sheet(&s.icons, 2.0).unwrap();
        assert_eq!(index[&s.icons[0].0]["pixelRatio"], 2.0);
        assert_eq!(rgba.len(), (w * h * 4) as usize);
        // The star's centre is red.
        let c = ((h / 2) * w + w / 2) as usize * 4;
        assert_eq!(&rgba[c..c + 4], &[255, 0, 0, 255]);
    }
}
