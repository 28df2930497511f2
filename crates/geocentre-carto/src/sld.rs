//! Import of the common subset of SLD 1.0 and SE 1.1 (what QGIS, GeoServer
//! and MapServer write) into the style model. The document is read by the
//! shared element tree ([`geocentre_ogc::xml_tree`]): entities and DTDs are
//! never resolved, size and depth are bounded. What the model cannot express is either refused
//! with the element's name (filters: a wrong filter would draw wrong data)
//! or approximated with a warning (graphic fills, fonts, placements: the
//! map still reads).

use crate::style::{
    CmpOp, Cond, Label, LineStyle, Marker, MarkerShape, Rgba, Rule, Style, StyleError, Symbolizer,
};
use geocentre_ogc::xml_tree::{Limits, Node};
use serde_json::Value;

/// Largest SLD document accepted.
pub const MAX_BYTES: usize = 1024 * 1024;
const MAX_NODES: usize = 50_000;
const MAX_DEPTH: usize = 64;

/// An imported style, with what was approximated or left out.
#[derive(Debug)]
pub struct SldImport {
    pub style: Style,
    pub warnings: Vec<String>,
}

fn err(m: impl Into<String>) -> StyleError {
    StyleError::Sld(m.into())
}

fn parse_tree(text: &str) -> Result<Node, StyleError> {
    let limits = Limits {
        max_bytes: MAX_BYTES,
        max_depth: MAX_DEPTH,
        max_nodes: MAX_NODES,
    };
    geocentre_ogc::xml_tree::parse(text, limits).map_err(|e| err(e.to_string()))
}

/// Name and Title of a style or rule: SLD 1.0 has Title, SE 1.1 puts it
/// in Description.
fn title_of(n: &Node) -> Option<String> {
    n.child("Title")
        .or_else(|| n.child("Description").and_then(|d| d.child("Title")))
        .map(|t| t.text.clone())
        .filter(|t| !t.is_empty())
}

struct Importer {
    warnings: Vec<String>,
}

impl Importer {
    fn warn(&mut self, m: String) {
        if !self.warnings.contains(&m) {
            self.warnings.push(m);
        }
    }
}

/// Imports the default UserStyle of the first layer of an SLD document.
pub fn import(text: &str) -> Result<SldImport, StyleError> {
    let root = parse_tree(text)?;
    let mut imp = Importer {
        warnings: Vec::new(),
    };
    let (layer, user_style) = match root.name.as_str() {
        "StyledLayerDescriptor" => {
            let layers: Vec<&Node> = root
                .children
                .iter()
                .filter(|c| c.name == "NamedLayer" || c.name == "UserLayer")
                .collect();
            let layer = *layers
                .first()
                .ok_or_else(|| err("no NamedLayer or UserLayer"))?;
            if layers.len() > 1 {
                imp.warn(format!(
                    "{} layers in the document: only the first is imported",
                    layers.len()
                ));
            }
            (Some(layer), pick_style(layer, &mut imp)?)
        }
        "NamedLayer" | "UserLayer" => (Some(&root), pick_style(&root, &mut imp)?),
        "UserStyle" | "FeatureTypeStyle" => (None, &root),
        other => {
            return Err(err(format!(
                "the root element is {other}, expected StyledLayerDescriptor"
            )))
        }
    };
    let raw_name = user_style
        .child("Name")
        .or_else(|| layer.and_then(|l| l.child("Name")))
        .map(|n| n.text.clone())
        .unwrap_or_default();
    let name: String = raw_name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "_-.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let name = if name.is_empty() {
        "default".to_string()
    } else {
        name
    };
    let ftss: Vec<&Node> = if user_style.name == "FeatureTypeStyle" {
        vec![user_style]
    } else {
        user_style.children_named("FeatureTypeStyle").collect()
    };
    if user_style.child("CoverageStyle").is_some() {
        return Err(err(
            "CoverageStyle is not supported: this is a vector layer",
        ));
    }
    let mut rules = Vec::new();
    for (pass, fts) in ftss.iter().enumerate() {
        for (i, r) in fts.children_named("Rule").enumerate() {
            let label = match r.child("Name") {
                Some(n) => format!("Rule '{}'", n.text),
                None => format!("Rule {}", i + 1),
            };
            if let Some(rule) = imp.rule(r, pass, &label)? {
                rules.push(rule);
            }
        }
    }
    if rules.is_empty() {
        return Err(err("no Rule with a symbolizer"));
    }
    if rules.len() > crate::style::MAX_RULES {
        return Err(err(format!("more than {} rules", crate::style::MAX_RULES)));
    }
    Ok(SldImport {
        style: Style {
            name,
            title: title_of(user_style),
            rules,
        },
        warnings: imp.warnings,
    })
}

/// The layer's default UserStyle (IsDefault), else its first.
fn pick_style<'a>(layer: &'a Node, imp: &mut Importer) -> Result<&'a Node, StyleError> {
    let styles: Vec<&Node> = layer.children_named("UserStyle").collect();
    if styles.is_empty() {
        return Err(err(
            "no UserStyle in the layer (a NamedStyle refers to a style held elsewhere)",
        ));
    }
    let default = styles.iter().copied().find(|s| {
        s.child("IsDefault")
            .is_some_and(|d| matches!(d.text.as_str(), "1" | "true"))
    });
    if styles.len() > 1 {
        imp.warn(format!(
            "{} UserStyles in the layer: only the default one is imported",
            styles.len()
        ));
    }
    Ok(default.unwrap_or(styles[0]))
}

fn number(n: &Node, what: &str) -> Result<f64, StyleError> {
    let t = literal_text(n);
    t.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| err(format!("{what}: '{t}' is not a number")))
}

/// The text of a parameter or an expression holding one ogc:Literal.
fn literal_text(n: &Node) -> String {
    match n.child("Literal") {
        Some(l) => l.text.clone(),
        None => n.text.clone(),
    }
}

/// An ogc:Literal as a value: numbers where the text is one, so that
/// `45` matches an integer attribute and "45" a text one.
fn literal_value(t: &str) -> Value {
    let t = t.trim();
    if let Ok(i) = t.parse::<i64>() {
        if !(t.len() > 1 && t.starts_with('0')) {
            return Value::from(i);
        }
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && (!t.starts_with('0') || t.starts_with("0.")) => {
            serde_json::Number::from_f64(f).map_or_else(|| Value::from(t), Value::Number)
        }
        _ => Value::from(t),
    }
}

const FILTER_OPS: &str = "PropertyIsEqualTo, PropertyIsNotEqualTo, PropertyIsLessThan, PropertyIsLessThanOrEqualTo, PropertyIsGreaterThan, PropertyIsGreaterThanOrEqualTo, PropertyIsBetween, PropertyIsLike, PropertyIsNull, And, Or, Not";

fn property_name(n: &Node, op: &str) -> Result<String, StyleError> {
    let p = n
        .child("PropertyName")
        .or_else(|| n.child("ValueReference"))
        .ok_or_else(|| err(format!("ogc:{op} needs an ogc:PropertyName")))?;
    let name = p.text.rsplit(':').next().unwrap_or("").trim().to_string();
    if name.is_empty() || name.contains('/') || name.contains('[') {
        return Err(err(format!(
            "ogc:{op}: property '{}' is not a plain attribute name",
            p.text
        )));
    }
    Ok(name)
}

fn filter(n: &Node, depth: usize) -> Result<Cond, StyleError> {
    if depth > 32 {
        return Err(err("ogc:Filter nested deeper than 32 levels"));
    }
    let sub = |n: &Node| -> Result<Vec<Cond>, StyleError> {
        n.children.iter().map(|c| filter(c, depth + 1)).collect()
    };
    let cmp = |op: CmpOp| -> Result<Cond, StyleError> {
        // Either order: `Literal op PropertyName` reverses the comparison.
        let exprs: Vec<&Node> = n.children.iter().collect();
        if let Some(bad) = exprs
            .iter()
            .find(|c| c.name != "PropertyName" && c.name != "Literal" && c.name != "ValueReference")
        {
            return Err(err(format!(
                "ogc:{}: ogc:{} is not supported (only ogc:PropertyName against ogc:Literal)",
                n.name, bad.name
            )));
        }
        let (Some(a), Some(b), 2) = (exprs.first(), exprs.get(1), exprs.len()) else {
            return Err(err(format!(
                "ogc:{} needs an ogc:PropertyName and an ogc:Literal",
                n.name
            )));
        };
        let (prop, lit, flipped) = match (a.name.as_str(), b.name.as_str()) {
            ("Literal", "Literal") => {
                return Err(err(format!("ogc:{} compares two literals", n.name)))
            }
            ("Literal", _) => (b, a, true),
            (_, "Literal") => (a, b, false),
            _ => {
                return Err(err(format!(
                    "ogc:{}: comparing two properties is not supported",
                    n.name
                )))
            }
        };
        let property = prop
            .text
            .rsplit(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if property.is_empty() {
            return Err(err(format!("ogc:{}: empty ogc:PropertyName", n.name)));
        }
        let op = match (flipped, op) {
            (true, CmpOp::Lt) => CmpOp::Gt,
            (true, CmpOp::Le) => CmpOp::Ge,
            (true, CmpOp::Gt) => CmpOp::Lt,
            (true, CmpOp::Ge) => CmpOp::Le,
            (_, o) => o,
        };
        Ok(Cond::Cmp {
            property,
            op,
            value: literal_value(&lit.text),
        })
    };
    Ok(match n.name.as_str() {
        "PropertyIsEqualTo" => cmp(CmpOp::Eq)?,
        "PropertyIsNotEqualTo" => cmp(CmpOp::Ne)?,
        "PropertyIsLessThan" => cmp(CmpOp::Lt)?,
        "PropertyIsLessThanOrEqualTo" => cmp(CmpOp::Le)?,
        "PropertyIsGreaterThan" => cmp(CmpOp::Gt)?,
        "PropertyIsGreaterThanOrEqualTo" => cmp(CmpOp::Ge)?,
        "PropertyIsBetween" => {
            let bound = |k: &str| -> Result<f64, StyleError> {
                let b = n
                    .child(k)
                    .ok_or_else(|| err(format!("ogc:PropertyIsBetween needs ogc:{k}")))?;
                number(b, &format!("ogc:PropertyIsBetween/ogc:{k}"))
            };
            let (lo, hi) = (bound("LowerBoundary")?, bound("UpperBoundary")?);
            if lo > hi {
                return Err(err(format!(
                    "ogc:PropertyIsBetween: lower boundary {lo} above upper {hi}"
                )));
            }
            Cond::Between {
                property: property_name(n, "PropertyIsBetween")?,
                lo,
                hi,
            }
        }
        "PropertyIsLike" => {
            let wild = n.attr("wildCard").unwrap_or("*");
            let single = n.attr("singleChar").unwrap_or(".");
            let escape = n
                .attr("escapeChar")
                .or_else(|| n.attr("escape"))
                .unwrap_or("\\");
            let lit = n
                .child("Literal")
                .ok_or_else(|| err("ogc:PropertyIsLike needs an ogc:Literal"))?;
            let mut pattern = String::new();
            let mut chars = lit.text.chars().peekable();
            while let Some(c) = chars.next() {
                let s = c.to_string();
                if s == escape {
                    match chars.next() {
                        Some('%' | '_') => {
                            return Err(err(
                                "ogc:PropertyIsLike: a literal % or _ is not supported",
                            ))
                        }
                        Some(e) => pattern.push(e),
                        None => {}
                    }
                } else if s == wild {
                    pattern.push('%');
                } else if s == single {
                    pattern.push('_');
                } else if c == '%' || c == '_' {
                    return Err(err("ogc:PropertyIsLike: a literal % or _ is not supported"));
                } else {
                    pattern.push(c);
                }
            }
            Cond::Like {
                property: property_name(n, "PropertyIsLike")?,
                pattern,
            }
        }
        "PropertyIsNull" => Cond::IsNull(property_name(n, "PropertyIsNull")?),
        "And" | "Or" => {
            let v = sub(n)?;
            if v.is_empty() {
                return Err(err(format!("ogc:{} is empty", n.name)));
            }
            if n.name == "And" {
                Cond::All(v)
            } else {
                Cond::Any(v)
            }
        }
        "Not" => {
            let mut v = sub(n)?;
            if v.len() != 1 {
                return Err(err("ogc:Not takes exactly one operand"));
            }
            Cond::Not(Box::new(v.remove(0)))
        }
        other => {
            return Err(err(format!(
                "ogc:Filter: <{other}> is not supported (supported: {FILTER_OPS})"
            )))
        }
    })
}

/// The SvgParameter / CssParameter values of a Fill, Stroke or Font.
fn params(n: &Node) -> Result<Vec<(String, String)>, StyleError> {
    let mut out = Vec::new();
    for p in n
        .children
        .iter()
        .filter(|c| c.name == "SvgParameter" || c.name == "CssParameter")
    {
        let name = p.attr("name").unwrap_or("").to_string();
        if let Some(expr) = p.children.iter().find(|c| c.name != "Literal") {
            return Err(err(format!(
                "{} '{name}': ogc:{} (a value computed per feature) is not supported",
                p.name, expr.name
            )));
        }
        out.push((name, literal_text(p).trim().to_string()));
    }
    Ok(out)
}

fn color(v: &str, what: &str) -> Result<Rgba, StyleError> {
    crate::style::parse_color(v)
        .ok_or_else(|| err(format!("{what}: '{v}' is not a #rrggbb colour")))
}

fn opacity(v: &str, what: &str) -> Result<f64, StyleError> {
    v.parse::<f64>()
        .ok()
        .filter(|o| (0.0..=1.0).contains(o))
        .ok_or_else(|| err(format!("{what}: '{v}' is not an opacity between 0 and 1")))
}

fn with_opacity(c: Rgba, o: f64) -> Rgba {
    let mut c = c;
    c.0[3] = (f64::from(c.0[3]) * o).round() as u8;
    c
}

impl Importer {
    fn rule(&mut self, r: &Node, pass: usize, label: &str) -> Result<Option<Rule>, StyleError> {
        let scale = |k: &str| -> Result<Option<f64>, StyleError> {
            r.child(k)
                .map(|n| number(n, &format!("{label}: {k}")))
                .transpose()
        };
        let filter_node = r.child("Filter");
        let filter = match filter_node {
            Some(f) => {
                let mut ops = f.children.iter();
                match (ops.next(), ops.next()) {
                    (Some(op), None) => Some(
                        filter(op, 0).map_err(|e| err(format!("{label}: {}", unwrap_sld(e))))?,
                    ),
                    (None, _) => None,
                    _ => {
                        return Err(err(format!(
                            "{label}: ogc:Filter holds more than one operator"
                        )))
                    }
                }
            }
            None => None,
        };
        let mut rule = Rule {
            name: r
                .child("Name")
                .map(|n| n.text.clone())
                .filter(|t| !t.is_empty()),
            title: title_of(r),
            filter,
            else_filter: r.child("ElseFilter").is_some(),
            min_scale: scale("MinScaleDenominator")?,
            max_scale: scale("MaxScaleDenominator")?,
            pass,
            symbolizers: Vec::new(),
        };
        if rule.else_filter && rule.filter.is_some() {
            return Err(err(format!("{label}: both ogc:Filter and ElseFilter")));
        }
        if let (Some(a), Some(b)) = (rule.min_scale, rule.max_scale) {
            if a >= b {
                return Err(err(format!(
                    "{label}: MaxScaleDenominator {b} is not above MinScaleDenominator {a}"
                )));
            }
        }
        for s in &r.children {
            let sym = match s.name.as_str() {
                "PolygonSymbolizer" => self.polygon(s, label)?,
                "LineSymbolizer" => Symbolizer {
                    stroke: s
                        .child("Stroke")
                        .map(|st| self.stroke(st, label))
                        .transpose()?,
                    ..Default::default()
                },
                "PointSymbolizer" => Symbolizer {
                    marker: Some(self.point(s, label)?),
                    ..Default::default()
                },
                "TextSymbolizer" => match self.text(s, label)? {
                    Some(l) => Symbolizer {
                        label: Some(l),
                        ..Default::default()
                    },
                    None => continue,
                },
                "RasterSymbolizer" => {
                    return Err(err(format!(
                        "{label}: RasterSymbolizer is not supported (vector layers only)"
                    )))
                }
                _ => continue,
            };
            if s.children.iter().any(|c| c.name == "Geometry") {
                self.warn(format!(
                    "{label}: {}/Geometry is ignored (the feature's geometry is drawn)",
                    s.name
                ));
            }
            if let Some(u) = s.attr("uom").filter(|u| !u.ends_with("pixel")) {
                self.warn(format!("{label}: {} uom '{u}' is read as pixels", s.name));
            }
            if sym != Symbolizer::default() {
                rule.symbolizers.push(sym);
            }
        }
        if rule.symbolizers.is_empty() {
            self.warn(format!("{label}: no symbolizer, left out"));
            return Ok(None);
        }
        Ok(Some(rule))
    }

    fn polygon(&mut self, s: &Node, label: &str) -> Result<Symbolizer, StyleError> {
        let mut fill = None;
        if let Some(f) = s.child("Fill") {
            let ps = params(f)?;
            let mut c = Rgba([128, 128, 128, 255]);
            let mut o = 1.0;
            if let Some(g) = f.child("GraphicFill") {
                // A hatch or pattern: its mark's colour, half transparent,
                // reads as the same class.
                let m = g
                    .child("Graphic")
                    .map(|g| self.graphic(g, label))
                    .transpose()?;
                if let Some(mc) = m.and_then(|m| m.fill.or(m.stroke.map(|s| s.color))) {
                    c = with_opacity(mc, 0.5);
                }
                self.warn(format!(
                    "{label}: GraphicFill is drawn as a plain fill of its mark's colour"
                ));
            }
            for (k, v) in &ps {
                match k.as_str() {
                    "fill" => c = color(v, label)?,
                    "fill-opacity" => o = opacity(v, label)?,
                    _ => {}
                }
            }
            c = with_opacity(c, o);
            fill = Some(c);
        }
        let stroke = s
            .child("Stroke")
            .map(|st| self.stroke(st, label))
            .transpose()?;
        if s.child("Displacement").is_some() || s.child("PerpendicularOffset").is_some() {
            self.warn(format!("{label}: polygon offsets are ignored"));
        }
        Ok(Symbolizer {
            fill,
            stroke,
            ..Default::default()
        })
    }

    fn stroke(&mut self, st: &Node, label: &str) -> Result<LineStyle, StyleError> {
        let mut l = LineStyle {
            color: Rgba::BLACK,
            width: 1.0,
            dash: Vec::new(),
        };
        let mut op = 1.0;
        if st.child("GraphicStroke").is_some() {
            self.warn(format!("{label}: GraphicStroke is drawn as a plain line"));
        }
        for (k, v) in params(st)? {
            match k.as_str() {
                "stroke" => l.color = color(&v, label)?,
                "stroke-opacity" => op = opacity(&v, label)?,
                "stroke-width" => {
                    l.width = v
                        .parse::<f32>()
                        .ok()
                        .filter(|w| (0.0..=100.0).contains(w))
                        .ok_or_else(|| err(format!("{label}: stroke-width '{v}'")))?
                }
                "stroke-dasharray" => {
                    l.dash = v
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .filter(|s| !s.is_empty())
                        .map(|d| d.parse::<f32>().ok().filter(|d| *d > 0.0 && *d <= 1000.0))
                        .collect::<Option<Vec<_>>>()
                        .filter(|d| d.len() <= 16)
                        .ok_or_else(|| err(format!("{label}: stroke-dasharray '{v}'")))?;
                }
                _ => {}
            }
        }
        l.color = with_opacity(l.color, op);
        Ok(l)
    }

    fn graphic(&mut self, g: &Node, label: &str) -> Result<Marker, StyleError> {
        let size = match g.child("Size") {
            Some(s) => number(s, &format!("{label}: Graphic/Size"))?,
            None => 6.0,
        };
        let op = match g.child("Opacity") {
            Some(o) => opacity(&literal_text(o), label)?,
            None => 1.0,
        };
        if g.child("Rotation")
            .is_some_and(|r| literal_text(r).trim().parse::<f64>() != Ok(0.0))
        {
            self.warn(format!("{label}: Graphic/Rotation is ignored"));
        }
        let mut m = Marker {
            shape: MarkerShape::Square,
            size: (size as f32).clamp(1.0, 200.0),
            // SLD's defaults for a Mark: grey fill, black outline.
            fill: Some(Rgba([128, 128, 128, 255])),
            stroke: Some(LineStyle {
                color: Rgba::BLACK,
                width: 1.0,
                dash: Vec::new(),
            }),
        };
        match g.child("Mark") {
            Some(mark) => {
                if let Some(w) = mark.child("WellKnownName") {
                    let name = literal_text(w);
                    m.shape = MarkerShape::parse(&name).unwrap_or_else(|| {
                        self.warn(format!("{label}: mark '{name}' is drawn as a circle"));
                        MarkerShape::Circle
                    });
                }
                let (has_fill, has_stroke) =
                    (mark.child("Fill").is_some(), mark.child("Stroke").is_some());
                if has_fill || has_stroke {
                    m.fill = None;
                    m.stroke = None;
                }
                if let Some(f) = mark.child("Fill") {
                    let mut c = Rgba([128, 128, 128, 255]);
                    let mut o = 1.0;
                    for (k, v) in params(f)? {
                        match k.as_str() {
                            "fill" => c = color(&v, label)?,
                            "fill-opacity" => o = opacity(&v, label)?,
                            _ => {}
                        }
                    }
                    m.fill = Some(with_opacity(c, o));
                }
                if let Some(st) = mark.child("Stroke") {
                    m.stroke = Some(self.stroke(st, label)?);
                }
            }
            None => {
                self.warn(format!(
                    "{label}: ExternalGraphic is drawn as a grey circle"
                ));
                m.shape = MarkerShape::Circle;
            }
        }
        m.fill = m.fill.map(|c| with_opacity(c, op));
        if let Some(s) = &mut m.stroke {
            s.color = with_opacity(s.color, op);
        }
        Ok(m)
    }

    fn point(&mut self, s: &Node, label: &str) -> Result<Marker, StyleError> {
        match s.child("Graphic") {
            Some(g) => self.graphic(g, label),
            None => Err(err(format!("{label}: PointSymbolizer needs a Graphic"))),
        }
    }

    fn text(&mut self, s: &Node, label: &str) -> Result<Option<Label>, StyleError> {
        let Some(l) = s.child("Label") else {
            self.warn(format!("{label}: TextSymbolizer without Label, left out"));
            return Ok(None);
        };
        let Some(p) = l.child("PropertyName") else {
            self.warn(format!(
                "{label}: a Label without ogc:PropertyName is left out"
            ));
            return Ok(None);
        };
        if !l.text.is_empty() || l.children.len() > 1 {
            self.warn(format!(
                "{label}: only the attribute of a composite Label is written"
            ));
        }
        let field = p.text.rsplit(':').next().unwrap_or("").trim().to_string();
        let mut out = Label {
            field,
            size: 10.0,
            color: Rgba::BLACK,
            halo: None,
        };
        if let Some(f) = s.child("Font") {
            for (k, v) in params(f)? {
                match k.as_str() {
                    "font-size" => {
                        out.size = v
                            .trim_end_matches("px")
                            .parse::<f32>()
                            .ok()
                            .filter(|s| (4.0..=96.0).contains(s))
                            .ok_or_else(|| err(format!("{label}: font-size '{v}'")))?
                    }
                    "font-family" | "font-style" | "font-weight" => self.warn(format!(
                        "{label}: {k} is not applied (labels use DejaVu Sans)"
                    )),
                    _ => {}
                }
            }
        }
        if let Some(f) = s.child("Fill") {
            let mut o = 1.0;
            for (k, v) in params(f)? {
                match k.as_str() {
                    "fill" => out.color = color(&v, label)?,
                    "fill-opacity" => o = opacity(&v, label)?,
                    _ => {}
                }
            }
            out.color = with_opacity(out.color, o);
        }
        if let Some(h) = s.child("Halo") {
            let radius = match h.child("Radius") {
                Some(r) => number(r, &format!("{label}: Halo/Radius"))?.clamp(0.0, 20.0) as f32,
                None => 1.0,
            };
            let mut c = Rgba::WHITE;
            if let Some(f) = h.child("Fill") {
                let mut o = 1.0;
                for (k, v) in params(f)? {
                    match k.as_str() {
                        "fill" => c = color(&v, label)?,
                        "fill-opacity" => o = opacity(&v, label)?,
                        _ => {}
                    }
                }
                c = with_opacity(c, o);
            }
            out.halo = Some((c, radius));
        }
        if s.child("LabelPlacement").is_some() {
            self.warn(format!(
                "{label}: LabelPlacement is ignored (labels are placed by geometry type)"
            ));
        }
        Ok(Some(out))
    }
}

/// An error of the filter as its message alone (the prefix is added once).
fn unwrap_sld(e: StyleError) -> String {
    match e {
        StyleError::Sld(m) => m,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped like a QGIS 3 export (SE 1.1): a categorized fill by
    /// département, a scale-limited label rule, a default fill.
    pub const QGIS_SLD: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1.0" xmlns:se="http://www.opengis.net/se" xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>communes</se:Name>
    <UserStyle>
      <se:Name>communes par département</se:Name>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>18</se:Name>
          <se:Description><se:Title>Cher</se:Title></se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:PropertyIsEqualTo>
              <ogc:PropertyName>dep</ogc:PropertyName>
              <ogc:Literal>18</ogc:Literal>
            </ogc:PropertyIsEqualTo>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#e41a1c</se:SvgParameter></se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#232323</se:SvgParameter>
              <se:SvgParameter name="stroke-width">1</se:SvgParameter>
              <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>45</se:Name>
          <se:Description><se:Title>Loiret &amp; co</se:Title></se:Description>
          <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
            <ogc:Or>
              <ogc:PropertyIsEqualTo><ogc:PropertyName>dep</ogc:PropertyName><ogc:Literal>45</ogc:Literal></ogc:PropertyIsEqualTo>
              <ogc:And>
                <ogc:PropertyIsBetween><ogc:PropertyName>pop</ogc:PropertyName>
                  <ogc:LowerBoundary><ogc:Literal>100</ogc:Literal></ogc:LowerBoundary>
                  <ogc:UpperBoundary><ogc:Literal>200</ogc:Literal></ogc:UpperBoundary>
                </ogc:PropertyIsBetween>
                <ogc:PropertyIsLessThan><ogc:Literal>5</ogc:Literal><ogc:PropertyName>rank</ogc:PropertyName></ogc:PropertyIsLessThan>
              </ogc:And>
            </ogc:Or>
          </ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill>
              <se:SvgParameter name="fill">#377eb8</se:SvgParameter>
              <se:SvgParameter name="fill-opacity">0.5</se:SvgParameter>
            </se:Fill>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>autres</se:Name>
          <se:ElseFilter/>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#cccccc</se:SvgParameter></se:Fill>
            <se:Stroke>
              <se:SvgParameter name="stroke">#000000</se:SvgParameter>
              <se:SvgParameter name="stroke-dasharray">4 2</se:SvgParameter>
            </se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>Étiquettes</se:Name>
          <se:MinScaleDenominator>1</se:MinScaleDenominator>
          <se:MaxScaleDenominator>250000</se:MaxScaleDenominator>
          <se:TextSymbolizer>
            <se:Label><ogc:PropertyName>nom</ogc:PropertyName></se:Label>
            <se:Font>
              <se:SvgParameter name="font-family">Open Sans</se:SvgParameter>
              <se:SvgParameter name="font-size">13</se:SvgParameter>
            </se:Font>
            <se:LabelPlacement><se:PointPlacement><se:AnchorPoint><se:AnchorPointX>0</se:AnchorPointX><se:AnchorPointY>0.5</se:AnchorPointY></se:AnchorPoint></se:PointPlacement></se:LabelPlacement>
            <se:Halo>
              <se:Radius>2</se:Radius>
              <se:Fill><se:SvgParameter name="fill">#ffffff</se:SvgParameter></se:Fill>
            </se:Halo>
            <se:Fill><se:SvgParameter name="fill">#323232</se:SvgParameter></se:Fill>
          </se:TextSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
"##;

    #[test]
    fn a_qgis_export_is_imported() {
        let imp = import(QGIS_SLD).unwrap();
        let s = &imp.style;
        assert_eq!(s.name, "communes_par_département");
        assert_eq!(s.rules.len(), 4);
        let r0 = &s.rules[0];
        assert_eq!(r0.title.as_deref(), Some("Cher"));
        assert_eq!(
            r0.filter,
            Some(Cond::Cmp {
                property: "dep".into(),
                op: CmpOp::Eq,
                value: Value::from(18)
            })
        );
        let sym = &r0.symbolizers[0];
        assert_eq!(sym.fill, Some(Rgba([0xe4, 0x1a, 0x1c, 255])));
        assert_eq!(
            sym.stroke.as_ref().map(|l| l.color),
            Some(Rgba([0x23, 0x23, 0x23, 255]))
        );
        assert_eq!(s.rules[1].title.as_deref(), Some("Loiret & co"));
        assert_eq!(
            s.rules[1].symbolizers[0].fill,
            Some(Rgba([0x37, 0x7e, 0xb8, 128]))
        );
        let Some(Cond::Any(or)) = &s.rules[1].filter else {
            panic!("{:?}", s.rules[1].filter)
        };
        let Cond::All(and) = &or[1] else { panic!() };
        // `5 > rank` is `rank < 5`... written Literal first, it reverses.
        assert_eq!(
            and[1],
            Cond::Cmp {
                property: "rank".into(),
                op: CmpOp::Gt,
                value: Value::from(5)
            }
        );
        assert!(s.rules[2].else_filter);
        assert_eq!(
            s.rules[2].symbolizers[0]
                .stroke
                .as_ref()
                .map(|l| l.dash.clone()),
            Some(vec![4.0, 2.0])
        );
        let lab = &s.rules[3];
        assert_eq!((lab.min_scale, lab.max_scale), (Some(1.0), Some(250000.0)));
        let l = lab.symbolizers[0].label.as_ref().unwrap();
        assert_eq!(l.field, "nom");
        assert_eq!(l.size, 13.0);
        assert_eq!(l.color, Rgba([0x32, 0x32, 0x32, 255]));
        assert_eq!(l.halo, Some((Rgba::WHITE, 2.0)));
        assert!(imp.warnings.iter().any(|w| w.contains("LabelPlacement")));
        assert!(imp.warnings.iter().any(|w| w.contains("font-family")));
        // Stored as the text format, it reads back the same.
        let back = crate::style::parse(
            &crate::style::to_json(s).to_string(),
            crate::style::StyleFormat::Json,
        )
        .unwrap();
        assert_eq!(&back, s);
        // The rules select as the SLD says.
        let (cher, blois) = (Value::from("18"), Value::from("41"));
        let m = s.matching(0, 1e6, &|k: &str| (k == "dep").then_some(&cher));
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].name.as_deref(), Some("18"));
        let m = s.matching(0, 1e6, &|k: &str| (k == "dep").then_some(&blois));
        assert_eq!(m[0].name.as_deref(), Some("autres"));
        let m = s.matching(0, 1e5, &|k: &str| (k == "dep").then_some(&cher));
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn unsupported_filters_are_refused_by_name() {
        let with = |f: &str| {
            QGIS_SLD.replacen(
                "<ogc:PropertyIsEqualTo>\n              <ogc:PropertyName>dep</ogc:PropertyName>\n              <ogc:Literal>18</ogc:Literal>\n            </ogc:PropertyIsEqualTo>",
                f,
                1,
            )
        };
        let e = import(&with(
            "<ogc:BBOX><ogc:PropertyName>geom</ogc:PropertyName></ogc:BBOX>",
        ))
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("<BBOX> is not supported") && e.contains("Rule '18'"),
            "{e}"
        );
        let e = import(&with(
            "<ogc:PropertyIsEqualTo><ogc:Function name=\"upper\"/><ogc:Literal>A</ogc:Literal></ogc:PropertyIsEqualTo>",
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("ogc:Function is not supported"), "{e}");
    }

    #[test]
    fn hostile_documents_are_refused() {
        let doctype = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><StyledLayerDescriptor>&e;</StyledLayerDescriptor>";
        assert!(import(doctype).unwrap_err().to_string().contains("DOCTYPE"));
        let entity = "<StyledLayerDescriptor>&e;</StyledLayerDescriptor>";
        assert!(import(entity).unwrap_err().to_string().contains("entity"));
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(import(&deep).unwrap_err().to_string().contains("deeper"));
        assert!(
            import("<StyledLayerDescriptor><NamedLayer/></StyledLayerDescriptor>")
                .unwrap_err()
                .to_string()
                .contains("no UserStyle")
        );
        assert!(import("not xml at all <").is_err());
        let e = import("<Foo/>").unwrap_err().to_string();
        assert!(e.contains("root element is Foo"), "{e}");
    }

    #[test]
    fn literals_keep_codes_with_leading_zeros_as_text() {
        assert_eq!(literal_value("18"), Value::from(18));
        assert_eq!(literal_value("045"), Value::from("045"));
        assert_eq!(literal_value("2A"), Value::from("2A"));
        assert_eq!(literal_value("0.5"), Value::from(0.5));
        assert_eq!(literal_value("1000.5"), Value::from(1000.5));
    }
}
