//! Vector styles: the model the map renderer, the legend and
//! GetFeatureInfo share, and its documented text format (TOML, or JSON with
//! the same keys: docs/styles.md). SLD 1.0 / SE 1.1 documents are imported
//! into the same model (`sld.rs`) and stored in this format, so the server
//! reads one format only.
//!
//! Documents are read into a generic tree first and walked by hand, so that
//! every error names the key where it happened (`rule[2].marker.shape`) and
//! a misspelt key is an error rather than silently ignored.

use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// OGC standardized rendering pixel (SLD/SE, WMTS): 0.28 mm.
pub const OGC_PIXEL_M: f64 = 0.00028;
/// Metres per degree at the equator (WGS 84 semi-major axis), as the WMTS
/// well-known scale sets use for geographic CRSs.
pub const METRES_PER_DEGREE: f64 = 6_378_137.0 * 2.0 * std::f64::consts::PI / 360.0;
/// Conditions nest at most this deep.
const MAX_DEPTH: usize = 32;
/// Most rules a style may have after categories and classes are expanded.
pub const MAX_RULES: usize = 1000;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum StyleError {
    #[error("{0}")]
    Syntax(String),
    #[error("{path}: {msg}")]
    Invalid { path: String, msg: String },
    #[error("{path}: unknown property '{name}' (the layer has: {known})")]
    UnknownProperty {
        path: String,
        name: String,
        known: String,
    },
    #[error("SLD: {0}")]
    Sld(String),
}

fn invalid(path: &str, msg: impl Into<String>) -> StyleError {
    StyleError::Invalid {
        path: if path.is_empty() {
            "style".into()
        } else {
            path.to_string()
        },
        msg: msg.into(),
    }
}

/// How a style is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StyleFormat {
    Toml,
    Json,
}

impl StyleFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            StyleFormat::Toml => "toml",
            StyleFormat::Json => "json",
        }
    }
    pub fn parse(s: &str) -> Option<StyleFormat> {
        match s {
            "toml" => Some(StyleFormat::Toml),
            "json" => Some(StyleFormat::Json),
            _ => None,
        }
    }
}

/// A colour with straight alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const BLACK: Rgba = Rgba([0, 0, 0, 255]);
    pub const WHITE: Rgba = Rgba([255, 255, 255, 255]);
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }
    pub fn opacity(self) -> f64 {
        f64::from(self.0[3]) / 255.0
    }
    fn with_opacity(self, o: f64) -> Rgba {
        let mut c = self;
        c.0[3] = (o.clamp(0.0, 1.0) * 255.0).round() as u8;
        c
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineStyle {
    pub color: Rgba,
    /// Pixels.
    pub width: f32,
    /// Dash and gap lengths in pixels; empty: solid.
    pub dash: Vec<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerShape {
    Circle,
    Square,
    Triangle,
    Cross,
    X,
    Star,
}

impl MarkerShape {
    const ALL: [(&'static str, MarkerShape); 6] = [
        ("circle", MarkerShape::Circle),
        ("square", MarkerShape::Square),
        ("triangle", MarkerShape::Triangle),
        ("cross", MarkerShape::Cross),
        ("x", MarkerShape::X),
        ("star", MarkerShape::Star),
    ];
    pub fn parse(s: &str) -> Option<MarkerShape> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, m)| *m)
    }
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("circle", |(n, _)| n)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub shape: MarkerShape,
    /// Diameter in pixels.
    pub size: f32,
    pub fill: Option<Rgba>,
    pub stroke: Option<LineStyle>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The attribute whose value is written.
    pub field: String,
    /// Font size in pixels.
    pub size: f32,
    pub color: Rgba,
    /// Colour and radius (pixels) of the halo.
    pub halo: Option<(Rgba, f32)>,
}

/// What is drawn for a feature a rule selects. Polygons take the fill and
/// the stroke, lines the stroke, points the marker; a marker on a polygon
/// or a line (an SLD PointSymbolizer) is drawn at its label point.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Symbolizer {
    pub fill: Option<Rgba>,
    pub stroke: Option<LineStyle>,
    pub marker: Option<Marker>,
    pub label: Option<Label>,
}

impl Symbolizer {
    fn is_empty(&self) -> bool {
        self.fill.is_none()
            && self.stroke.is_none()
            && self.marker.is_none()
            && self.label.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

const CMP_KEYS: [(&str, &str, CmpOp); 6] = [
    ("equals", "eq", CmpOp::Eq),
    ("not-equals", "ne", CmpOp::Ne),
    ("less-than", "lt", CmpOp::Lt),
    ("less-than-or-equal", "le", CmpOp::Le),
    ("greater-than", "gt", CmpOp::Gt),
    ("greater-than-or-equal", "ge", CmpOp::Ge),
];

/// A rule's condition on a feature's attributes.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Cmp {
        property: String,
        op: CmpOp,
        value: Value,
    },
    /// Inclusive at both ends (as SLD's PropertyIsBetween).
    Between {
        property: String,
        lo: f64,
        hi: f64,
    },
    In {
        property: String,
        values: Vec<Value>,
    },
    /// `%` any run of characters, `_` one character.
    Like {
        property: String,
        pattern: String,
    },
    IsNull(String),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rule {
    pub name: Option<String>,
    pub title: Option<String>,
    pub filter: Option<Cond>,
    /// Applies to the features no other rule of its pass selected.
    pub else_filter: bool,
    /// Drawn when `min_scale <= scale < max_scale` (SLD semantics).
    pub min_scale: Option<f64>,
    pub max_scale: Option<f64>,
    /// Drawing pass (an SLD FeatureTypeStyle): every feature is drawn in
    /// pass 0 before any in pass 1.
    pub pass: usize,
    pub symbolizers: Vec<Symbolizer>,
}

impl Rule {
    pub fn in_scale(&self, scale: f64) -> bool {
        self.min_scale.is_none_or(|m| scale >= m) && self.max_scale.is_none_or(|m| scale < m)
    }
    /// What a legend writes beside the rule's swatch.
    pub fn legend_title(&self) -> String {
        self.title
            .clone()
            .or_else(|| self.name.clone())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// What STYLES= names; `default` when the document gives none.
    pub name: String,
    pub title: Option<String>,
    pub rules: Vec<Rule>,
}

/// A feature's attribute values, by name.
pub type Lookup<'a> = dyn Fn(&str) -> Option<&'a Value> + 'a;

impl Style {
    /// The rules that draw a feature at `scale` in `pass`: those whose
    /// filter it passes, else the else-rules.
    pub fn matching<'s>(&'s self, pass: usize, scale: f64, get: &Lookup<'_>) -> Vec<&'s Rule> {
        let live = self
            .rules
            .iter()
            .filter(|r| r.pass == pass && r.in_scale(scale));
        let mut out: Vec<&Rule> = live
            .clone()
            .filter(|r| !r.else_filter && r.filter.as_ref().is_none_or(|c| c.eval(get)))
            .collect();
        if out.is_empty() {
            out = live.filter(|r| r.else_filter).collect();
        }
        out
    }

    /// Does any rule draw at this scale?
    pub fn visible_at(&self, scale: f64) -> bool {
        self.rules.iter().any(|r| r.in_scale(scale))
    }

    pub fn passes(&self) -> Vec<usize> {
        let set: BTreeSet<usize> = self.rules.iter().map(|r| r.pass).collect();
        set.into_iter().collect()
    }

    /// The attributes the style reads (filters and labels), sorted.
    pub fn properties(&self) -> Vec<String> {
        let mut set = BTreeSet::new();
        for r in &self.rules {
            if let Some(c) = &r.filter {
                c.properties(&mut set);
            }
            for s in &r.symbolizers {
                if let Some(l) = &s.label {
                    set.insert(l.field.clone());
                }
            }
        }
        set.into_iter().collect()
    }

    /// Every attribute the style reads must be one of the layer's.
    pub fn check_properties(&self, fields: &[&str]) -> Result<(), StyleError> {
        for (i, r) in self.rules.iter().enumerate() {
            let mut set = BTreeSet::new();
            if let Some(c) = &r.filter {
                c.properties(&mut set);
            }
            for s in &r.symbolizers {
                if let Some(l) = &s.label {
                    set.insert(l.field.clone());
                }
            }
            if let Some(bad) = set.into_iter().find(|p| !fields.contains(&p.as_str())) {
                return Err(StyleError::UnknownProperty {
                    path: format!("rule[{i}]"),
                    name: bad,
                    known: fields.join(", "),
                });
            }
        }
        Ok(())
    }

    /// The scales at which the style draws anything: the smallest minimum
    /// and the largest maximum, each `None` when some rule has no bound.
    pub fn scale_range(&self) -> (Option<f64>, Option<f64>) {
        let min = self
            .rules
            .iter()
            .map(|r| r.min_scale)
            .try_fold(f64::INFINITY, |m, s| s.map(|s| m.min(s)));
        let max = self
            .rules
            .iter()
            .map(|r| r.max_scale)
            .try_fold(0.0f64, |m, s| s.map(|s| m.max(s)));
        (
            min.filter(|m| m.is_finite() && *m > 0.0),
            max.filter(|m| m.is_finite() && *m > 0.0),
        )
    }
}

impl Cond {
    fn properties(&self, out: &mut BTreeSet<String>) {
        match self {
            Cond::Cmp { property, .. }
            | Cond::Between { property, .. }
            | Cond::In { property, .. }
            | Cond::Like { property, .. }
            | Cond::IsNull(property) => {
                out.insert(property.clone());
            }
            Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| c.properties(out)),
            Cond::Not(c) => c.properties(out),
        }
    }

    pub fn eval(&self, get: &Lookup<'_>) -> bool {
        let val = |p: &str| get(p).filter(|v| !v.is_null());
        match self {
            Cond::Cmp {
                property,
                op,
                value,
            } => val(property).is_some_and(|v| compare(v, *op, value)),
            Cond::Between { property, lo, hi } => val(property)
                .and_then(number)
                .is_some_and(|v| *lo <= v && v <= *hi),
            Cond::In { property, values } => {
                val(property).is_some_and(|v| values.iter().any(|l| compare(v, CmpOp::Eq, l)))
            }
            Cond::Like { property, pattern } => val(property)
                .and_then(text)
                .is_some_and(|t| like(pattern.as_bytes(), t.as_bytes())),
            Cond::IsNull(p) => val(p).is_none(),
            Cond::All(v) => v.iter().all(|c| c.eval(get)),
            Cond::Any(v) => v.iter().any(|c| c.eval(get)),
            Cond::Not(c) => !c.eval(get),
        }
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value as text, the way it was stored: integers without a decimal point.
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A feature value against a literal: numerically when both are numbers
/// (or text that reads as one, so "45" matches 45 and 45.0), as text
/// otherwise. A missing value never compares (SQL's NULL).
fn compare(v: &Value, op: CmpOp, lit: &Value) -> bool {
    use std::cmp::Ordering;
    let ord = match (number(v), number(lit)) {
        (Some(a), Some(b)) if v.is_number() || lit.is_number() => a.partial_cmp(&b),
        _ => match (text(v), text(lit)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        },
    };
    let Some(o) = ord else { return false };
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    }
}

/// SQL LIKE on bytes (`%`, `_`), iterative with one backtrack point.
fn like(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'_' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'%' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == b'%')
}

/// Scale denominator of a map, the OGC way (0.28 mm pixels); geographic
/// CRSs are converted at the equator.
pub fn scale_denominator(bbox: [f64; 4], width: u32, geographic: bool) -> f64 {
    let mut res = (bbox[2] - bbox[0]).abs() / f64::from(width.max(1));
    if geographic {
        res *= METRES_PER_DEGREE;
    }
    res / OGC_PIXEL_M
}

/// What a layer's geometry type calls for in a default style or a legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeomKind {
    Point,
    Line,
    Polygon,
    Any,
}

impl GeomKind {
    pub fn of(geometry_type: &str) -> GeomKind {
        let t = geometry_type.to_ascii_lowercase();
        if t.contains("polygon") || t.contains("surface") {
            GeomKind::Polygon
        } else if t.contains("line") || t.contains("curve") {
            GeomKind::Line
        } else if t.contains("point") {
            GeomKind::Point
        } else {
            GeomKind::Any
        }
    }
}

/// The style of a layer that has none, so that every layer draws.
pub fn default_style(geometry_type: &str, title: &str) -> Style {
    let blue = Rgba([31, 120, 180, 255]);
    let line = |w| LineStyle {
        color: blue,
        width: w,
        dash: Vec::new(),
    };
    let marker = Marker {
        shape: MarkerShape::Circle,
        size: 7.0,
        fill: Some(blue),
        stroke: Some(LineStyle {
            color: Rgba::WHITE,
            width: 1.0,
            dash: Vec::new(),
        }),
    };
    let s = match GeomKind::of(geometry_type) {
        GeomKind::Polygon => Symbolizer {
            fill: Some(Rgba([166, 206, 227, 150])),
            stroke: Some(line(1.0)),
            ..Default::default()
        },
        GeomKind::Line => Symbolizer {
            stroke: Some(line(1.5)),
            ..Default::default()
        },
        GeomKind::Point => Symbolizer {
            marker: Some(marker),
            ..Default::default()
        },
        GeomKind::Any => Symbolizer {
            fill: Some(Rgba([166, 206, 227, 150])),
            stroke: Some(line(1.0)),
            marker: Some(marker),
            label: None,
        },
    };
    Style {
        name: "default".into(),
        title: Some("Défaut".into()),
        rules: vec![Rule {
            title: Some(title.to_string()),
            symbolizers: vec![s],
            ..Default::default()
        }],
    }
}

// ---------------------------------------------------------------------------
// Reading the text format
// ---------------------------------------------------------------------------

/// Parses and checks a style document.
pub fn parse(text: &str, format: StyleFormat) -> Result<Style, StyleError> {
    let doc: Value = match format {
        StyleFormat::Toml => toml::from_str(text)
            .map_err(|e| StyleError::Syntax(format!("TOML: {}", e.to_string().trim_end())))?,
        StyleFormat::Json => {
            serde_json::from_str(text).map_err(|e| StyleError::Syntax(format!("JSON: {e}")))?
        }
    };
    compile(&doc)
}

/// [`parse`] through a small cache: servers parse a layer's stored style
/// once, not on every map.
pub fn parse_cached(text: &str, format: StyleFormat) -> Result<Arc<Style>, StyleError> {
    use std::hash::{Hash, Hasher};
    static CACHE: OnceLock<Mutex<HashMap<u64, Arc<Style>>>> = OnceLock::new();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (format, text).hash(&mut h);
    let key = h.finish();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(s) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(s.clone());
    }
    let style = Arc::new(parse(text, format)?);
    let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
    if map.len() >= 256 {
        map.clear();
    }
    map.insert(key, style.clone());
    Ok(style)
}

/// A table of the document, with the keys read so far: what is left at
/// the end was misspelt or is not part of the format.
struct Obj<'a> {
    path: String,
    map: &'a Map<String, Value>,
    used: std::cell::RefCell<BTreeSet<&'a str>>,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, path: &str) -> Result<Obj<'a>, StyleError> {
        match v {
            Value::Object(map) => Ok(Obj {
                path: path.to_string(),
                map,
                used: Default::default(),
            }),
            _ => Err(invalid(path, "expected a table")),
        }
    }
    fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }
    fn get(&self, key: &'a str) -> Option<&'a Value> {
        let (k, v) = self.map.get_key_value(key)?;
        self.used.borrow_mut().insert(k.as_str());
        Some(v)
    }
    fn string(&self, key: &'a str) -> Result<Option<String>, StyleError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(&self.at(key), "expected text")),
        }
    }
    fn number(&self, key: &'a str, range: (f64, f64)) -> Result<Option<f64>, StyleError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if x.is_finite() && range.0 <= x && x <= range.1 {
                    Ok(Some(x))
                } else {
                    Err(invalid(
                        &self.at(key),
                        format!("{x} is outside {}..{}", range.0, range.1),
                    ))
                }
            }
            Some(_) => Err(invalid(&self.at(key), "expected a number")),
        }
    }
    fn boolean(&self, key: &'a str) -> Result<Option<bool>, StyleError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(invalid(&self.at(key), "expected true or false")),
        }
    }
    fn color(&self, key: &'a str) -> Result<Option<Rgba>, StyleError> {
        match self.string(key)? {
            None => Ok(None),
            Some(s) => parse_color(&s).map(Some).ok_or_else(|| {
                invalid(
                    &self.at(key),
                    format!("'{s}' is not a colour (#rrggbb or #rrggbbaa)"),
                )
            }),
        }
    }
    fn array(&self, key: &'a str) -> Result<Option<&'a Vec<Value>>, StyleError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(invalid(&self.at(key), "expected a list")),
        }
    }
    /// Refuses keys outside `allowed` before anything else is read, so
    /// that a misspelt key is what the error names.
    fn only(&self, allowed: &[&[&str]]) -> Result<(), StyleError> {
        let ok = |k: &str| allowed.iter().any(|set| set.contains(&k));
        if let Some(k) = self.map.keys().find(|k| !ok(k)) {
            let all: Vec<&str> = allowed.iter().flat_map(|s| s.iter().copied()).collect();
            return Err(invalid(
                &self.at(k),
                format!("unknown key (expected one of: {})", all.join(", ")),
            ));
        }
        Ok(())
    }

    /// Every key must have been read.
    fn finish(self, expected: &[&str]) -> Result<(), StyleError> {
        let used = self.used.borrow();
        if let Some(k) = self.map.keys().find(|k| !used.contains(k.as_str())) {
            return Err(invalid(
                &self.at(k),
                format!("unknown key (expected one of: {})", expected.join(", ")),
            ));
        }
        Ok(())
    }
}

/// `#rgb`, `#rrggbb` or `#rrggbbaa`.
pub fn parse_color(s: &str) -> Option<Rgba> {
    let h = s.trim().strip_prefix('#')?;
    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
    match h.len() {
        3 => {
            let d = |i: usize| {
                u8::from_str_radix(h.get(i..i + 1)?, 16)
                    .ok()
                    .map(|v| v * 17)
            };
            Some(Rgba([d(0)?, d(1)?, d(2)?, 255]))
        }
        6 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, 255])),
        8 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, byte(6)?])),
        _ => None,
    }
}

const SYMBOL_KEYS: [&str; 9] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "marker",
    "label",
    "symbolizer",
];
const RULE_KEYS: [&str; 8] = [
    "name",
    "title",
    "where",
    "filter",
    "else",
    "min-scale",
    "max-scale",
    "pass",
];

fn compile(doc: &Value) -> Result<Style, StyleError> {
    let top = Obj::new(doc, "")?;
    let name = top.string("name")?.unwrap_or_else(|| "default".into());
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.".contains(c))
    {
        return Err(invalid(
            "name",
            format!("'{name}' must be 1 to 64 letters, digits, '_', '-' or '.'"),
        ));
    }
    let title = top.string("title")?;
    top.only(&[&["name", "title", "rule", "rules", "categorized", "graduated"]])?;
    // Rules keep the document's order: legends list them so.
    let mut rules = Vec::new();
    for key in top.map.keys() {
        match key.as_str() {
            "rule" | "rules" => {
                for (i, r) in top.array(key)?.into_iter().flatten().enumerate() {
                    rules.push(rule(r, &format!("rule[{i}]"))?);
                }
            }
            "categorized" => {
                if let Some(c) = top.get("categorized") {
                    rules.extend(categorized(c, "categorized")?);
                }
            }
            "graduated" => {
                if let Some(g) = top.get("graduated") {
                    rules.extend(graduated(g, "graduated")?);
                }
            }
            _ => {}
        }
    }
    top.finish(&["name", "title", "rule", "categorized", "graduated"])?;
    if rules.is_empty() {
        return Err(invalid(
            "",
            "no rule: give [[rule]], [categorized] or [graduated]",
        ));
    }
    if rules.len() > MAX_RULES {
        return Err(invalid("", format!("more than {MAX_RULES} rules")));
    }
    Ok(Style { name, title, rules })
}

/// The scale bounds, name, title and pass of a rule-like table.
fn rule_head(o: &Obj<'_>, r: &mut Rule) -> Result<(), StyleError> {
    r.min_scale = o.number("min-scale", (0.0, 1e12))?;
    r.max_scale = o.number("max-scale", (0.0, 1e12))?;
    if let (Some(a), Some(b)) = (r.min_scale, r.max_scale) {
        if a >= b {
            return Err(invalid(
                &o.at("max-scale"),
                format!("{b} is not above min-scale {a}"),
            ));
        }
    }
    r.pass = o.number("pass", (0.0, 16.0))?.map_or(0, |p| p as usize);
    Ok(())
}

fn rule(v: &Value, path: &str) -> Result<Rule, StyleError> {
    let o = Obj::new(v, path)?;
    o.only(&[&RULE_KEYS, &SYMBOL_KEYS])?;
    let mut r = Rule {
        name: o.string("name")?,
        title: o.string("title")?,
        ..Default::default()
    };
    rule_head(&o, &mut r)?;
    let filter = match o.get("where") {
        Some(w) => Some(w),
        None => o.get("filter"),
    };
    r.filter = filter.map(|w| cond(w, &o.at("where"), 0)).transpose()?;
    r.else_filter = o.boolean("else")?.unwrap_or(false);
    if r.else_filter && r.filter.is_some() {
        return Err(invalid(path, "a rule has either 'where' or 'else'"));
    }
    r.symbolizers = symbolizers(&o)?;
    let mut keys = RULE_KEYS.to_vec();
    keys.extend(SYMBOL_KEYS);
    o.finish(&keys)?;
    Ok(r)
}

/// The symbol keys of a table, then its `symbolizer` list.
fn symbolizers(o: &Obj<'_>) -> Result<Vec<Symbolizer>, StyleError> {
    let mut out = Vec::new();
    let first = symbolizer(o)?;
    if !first.is_empty() {
        out.push(first);
    }
    for (i, s) in o.array("symbolizer")?.into_iter().flatten().enumerate() {
        let so = Obj::new(s, &o.at(&format!("symbolizer[{i}]")))?;
        so.only(&[&SYMBOL_KEYS[..8]])?;
        let sym = symbolizer(&so)?;
        so.finish(&SYMBOL_KEYS[..8])?;
        out.push(sym);
    }
    if out.is_empty() {
        return Err(invalid(
            &o.path,
            "draws nothing: give fill, stroke, marker or label",
        ));
    }
    Ok(out)
}

fn line_style(o: &Obj<'_>, color: Rgba) -> Result<LineStyle, StyleError> {
    let opacity = o.number("stroke-opacity", (0.0, 1.0))?;
    let width = o.number("stroke-width", (0.0, 100.0))?.unwrap_or(1.0) as f32;
    let mut dash = Vec::new();
    for (i, d) in o
        .array("stroke-dasharray")?
        .into_iter()
        .flatten()
        .enumerate()
    {
        match d.as_f64() {
            Some(x) if x > 0.0 && x <= 1000.0 => dash.push(x as f32),
            _ => {
                return Err(invalid(
                    &o.at(&format!("stroke-dasharray[{i}]")),
                    "expected a length in pixels above 0",
                ))
            }
        }
    }
    if dash.len() > 16 {
        return Err(invalid(&o.at("stroke-dasharray"), "at most 16 lengths"));
    }
    Ok(LineStyle {
        color: opacity.map_or(color, |op| color.with_opacity(op)),
        width,
        dash,
    })
}

fn symbolizer(o: &Obj<'_>) -> Result<Symbolizer, StyleError> {
    let fill_opacity = o.number("fill-opacity", (0.0, 1.0))?;
    let fill = o
        .color("fill")?
        .map(|c| fill_opacity.map_or(c, |op| c.with_opacity(op)));
    let stroke = match o.color("stroke")? {
        Some(c) => Some(line_style(o, c)?),
        None => {
            for k in ["stroke-width", "stroke-opacity", "stroke-dasharray"] {
                if o.get(k).is_some() {
                    return Err(invalid(&o.at(k), "given without 'stroke' (its colour)"));
                }
            }
            None
        }
    };
    if fill.is_none() && fill_opacity.is_some() {
        return Err(invalid(
            &o.at("fill-opacity"),
            "given without 'fill' (its colour)",
        ));
    }
    let marker = o
        .get("marker")
        .map(|m| marker(m, &o.at("marker")))
        .transpose()?;
    let label = o
        .get("label")
        .map(|l| label(l, &o.at("label")))
        .transpose()?;
    Ok(Symbolizer {
        fill,
        stroke,
        marker,
        label,
    })
}

const MARKER_KEYS: [&str; 8] = [
    "shape",
    "size",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
];

fn marker(v: &Value, path: &str) -> Result<Marker, StyleError> {
    let o = Obj::new(v, path)?;
    o.only(&[&MARKER_KEYS])?;
    let shape = match o.string("shape")? {
        None => MarkerShape::Circle,
        Some(s) => MarkerShape::parse(&s).ok_or_else(|| {
            invalid(
                &o.at("shape"),
                format!("unknown shape '{s}' (circle, square, triangle, cross, x, star)"),
            )
        })?,
    };
    let size = o.number("size", (1.0, 200.0))?.unwrap_or(8.0) as f32;
    let fill_opacity = o.number("fill-opacity", (0.0, 1.0))?;
    let fill = o
        .color("fill")?
        .map(|c| fill_opacity.map_or(c, |op| c.with_opacity(op)));
    let stroke = match o.color("stroke")? {
        Some(c) => Some(line_style(&o, c)?),
        None => None,
    };
    if fill.is_none() && stroke.is_none() {
        return Err(invalid(path, "a marker needs a fill or a stroke"));
    }
    o.finish(&MARKER_KEYS)?;
    Ok(Marker {
        shape,
        size,
        fill,
        stroke,
    })
}

const LABEL_KEYS: [&str; 5] = ["field", "size", "color", "halo", "halo-width"];

fn label(v: &Value, path: &str) -> Result<Label, StyleError> {
    let o = Obj::new(v, path)?;
    o.only(&[&LABEL_KEYS])?;
    let field = o
        .string("field")?
        .filter(|f| !f.is_empty())
        .ok_or_else(|| invalid(path, "'field' (the attribute to write) is required"))?;
    let size = o.number("size", (4.0, 96.0))?.unwrap_or(11.0) as f32;
    let color = o.color("color")?.unwrap_or(Rgba::BLACK);
    let halo = match o.color("halo")? {
        Some(c) => Some((
            c,
            o.number("halo-width", (0.0, 20.0))?.unwrap_or(1.5) as f32,
        )),
        None => {
            if o.get("halo-width").is_some() {
                return Err(invalid(&o.at("halo-width"), "given without 'halo'"));
            }
            None
        }
    };
    o.finish(&LABEL_KEYS)?;
    Ok(Label {
        field,
        size,
        color,
        halo,
    })
}

fn scalar(v: &Value, path: &str) -> Result<Value, StyleError> {
    match v {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(v.clone()),
        _ => Err(invalid(path, "expected text, a number or true/false")),
    }
}

fn cond(v: &Value, path: &str, depth: usize) -> Result<Cond, StyleError> {
    if depth > MAX_DEPTH {
        return Err(invalid(path, format!("nested deeper than {MAX_DEPTH}")));
    }
    let o = Obj::new(v, path)?;
    let mut keys = vec![
        "property", "all", "any", "not", "between", "in", "like", "is-null",
    ];
    for (l, s, _) in CMP_KEYS {
        keys.push(l);
        keys.push(s);
    }
    o.only(&[&keys])?;
    let mut found: Vec<Cond> = Vec::new();
    for (key, cons) in [
        ("all", Cond::All as fn(Vec<Cond>) -> Cond),
        ("any", Cond::Any),
    ] {
        if let Some(list) = o.array(key)? {
            let mut v = Vec::with_capacity(list.len());
            for (i, c) in list.iter().enumerate() {
                v.push(cond(c, &o.at(&format!("{key}[{i}]")), depth + 1)?);
            }
            if v.is_empty() {
                return Err(invalid(&o.at(key), "is empty"));
            }
            found.push(cons(v));
        }
    }
    if let Some(n) = o.get("not") {
        found.push(Cond::Not(Box::new(cond(n, &o.at("not"), depth + 1)?)));
    }
    let property = o.string("property")?;
    let prop = || -> Result<String, StyleError> {
        property
            .clone()
            .ok_or_else(|| invalid(path, "'property' is required with a comparison"))
    };
    for (long, short, op) in CMP_KEYS {
        let v = match o.get(long) {
            Some(v) => Some((long, v)),
            None => o.get(short).map(|v| (short, v)),
        };
        if let Some((k, v)) = v {
            found.push(Cond::Cmp {
                property: prop()?,
                op,
                value: scalar(v, &o.at(k))?,
            });
        }
    }
    if let Some(b) = o.array("between")? {
        let n: Vec<f64> = b.iter().filter_map(Value::as_f64).collect();
        if b.len() != 2 || n.len() != 2 || n[0] > n[1] {
            return Err(invalid(&o.at("between"), "expected [low, high] numbers"));
        }
        found.push(Cond::Between {
            property: prop()?,
            lo: n[0],
            hi: n[1],
        });
    }
    if let Some(list) = o.array("in")? {
        let values = list
            .iter()
            .enumerate()
            .map(|(i, v)| scalar(v, &o.at(&format!("in[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        found.push(Cond::In {
            property: prop()?,
            values,
        });
    }
    if let Some(p) = o.string("like")? {
        found.push(Cond::Like {
            property: prop()?,
            pattern: p,
        });
    }
    if let Some(b) = o.boolean("is-null")? {
        let c = Cond::IsNull(prop()?);
        found.push(if b { c } else { Cond::Not(Box::new(c)) });
    }
    o.finish(&keys)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(invalid(
            path,
            "no condition: give property with equals, less-than…, or all/any/not",
        )),
        _ => Err(invalid(
            path,
            "one condition per table: combine several with 'all' or 'any'",
        )),
    }
}

/// The symbol keys of `base` overridden by those of `over`.
fn merged(base: &Map<String, Value>, over: &Map<String, Value>, own: &[&str]) -> Value {
    let mut m: Map<String, Value> = base
        .iter()
        .filter(|(k, _)| SYMBOL_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in over {
        if !own.contains(&k.as_str()) {
            m.insert(k.clone(), v.clone());
        }
    }
    Value::Object(m)
}

/// A sub-table's own keys checked; its symbol keys checked by [`symbolizers`].
fn symbol_of(
    base: &Map<String, Value>,
    item: &Value,
    path: &str,
    own: &[&str],
) -> Result<Vec<Symbolizer>, StyleError> {
    let Value::Object(m) = item else {
        return Err(invalid(path, "expected a table"));
    };
    let sym = merged(base, m, own);
    let o = Obj::new(&sym, path)?;
    o.only(&[own, &SYMBOL_KEYS])?;
    let out = symbolizers(&o)?;
    let mut keys = own.to_vec();
    keys.extend(SYMBOL_KEYS);
    o.finish(&keys)?;
    Ok(out)
}

fn categorized(v: &Value, path: &str) -> Result<Vec<Rule>, StyleError> {
    let o = Obj::new(v, path)?;
    let Value::Object(base) = v else {
        return Err(invalid(path, "expected a table"));
    };
    let property = o
        .string("property")?
        .ok_or_else(|| invalid(path, "'property' is required"))?;
    let mut head = Rule::default();
    rule_head(&o, &mut head)?;
    let mut rules = Vec::new();
    let cats = o
        .array("categories")?
        .ok_or_else(|| invalid(path, "'categories' is required"))?;
    for (i, c) in cats.iter().enumerate() {
        let p = format!("{path}.categories[{i}]");
        let co = Obj::new(c, &p)?;
        let mut values: Vec<Value> = match (co.get("value"), co.array("values")?) {
            (Some(v), None) => vec![scalar(v, &co.at("value"))?],
            (None, Some(list)) if !list.is_empty() => list
                .iter()
                .map(|v| scalar(v, &co.at("values")))
                .collect::<Result<_, _>>()?,
            _ => return Err(invalid(&p, "give 'value' or a non-empty 'values'")),
        };
        let title = co.string("title")?.unwrap_or_else(|| {
            values
                .iter()
                .filter_map(text)
                .collect::<Vec<_>>()
                .join(", ")
        });
        let filter = if values.len() == 1 {
            Cond::Cmp {
                property: property.clone(),
                op: CmpOp::Eq,
                value: values.remove_first(),
            }
        } else {
            Cond::In {
                property: property.clone(),
                values,
            }
        };
        rules.push(Rule {
            name: Some(format!("{property}-{i}")),
            title: Some(title),
            filter: Some(filter),
            symbolizers: symbol_of(base, c, &p, &["value", "values", "title"])?,
            ..head.clone()
        });
    }
    if let Some(other) = o.get("other") {
        let p = format!("{path}.other");
        let oo = Obj::new(other, &p)?;
        rules.push(Rule {
            name: Some(format!("{property}-other")),
            title: Some(oo.string("title")?.unwrap_or_else(|| "Autres".into())),
            else_filter: true,
            symbolizers: symbol_of(base, other, &p, &["title"])?,
            ..head.clone()
        });
    }
    let own = [
        "property",
        "categories",
        "other",
        "min-scale",
        "max-scale",
        "pass",
    ];
    finish_expansion(o, &own, "categories", rules)
}

/// Ends a categorized or graduated section: the shared symbol keys were
/// read through each class, any other key is unknown, and the list of
/// classes may not be empty.
fn finish_expansion(
    o: Obj<'_>,
    own: &[&str],
    list: &str,
    rules: Vec<Rule>,
) -> Result<Vec<Rule>, StyleError> {
    let mut keys = own.to_vec();
    keys.extend(SYMBOL_KEYS);
    for k in SYMBOL_KEYS {
        o.get(k);
    }
    let at = o.at(list);
    o.finish(&keys)?;
    if rules.is_empty() {
        return Err(invalid(&at, "is empty"));
    }
    Ok(rules)
}

trait RemoveFirst {
    fn remove_first(&mut self) -> Value;
}
impl RemoveFirst for Vec<Value> {
    fn remove_first(&mut self) -> Value {
        if self.is_empty() {
            Value::Null
        } else {
            self.remove(0)
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn graduated(v: &Value, path: &str) -> Result<Vec<Rule>, StyleError> {
    let o = Obj::new(v, path)?;
    let Value::Object(base) = v else {
        return Err(invalid(path, "expected a table"));
    };
    let property = o
        .string("property")?
        .ok_or_else(|| invalid(path, "'property' is required"))?;
    let mut head = Rule::default();
    rule_head(&o, &mut head)?;
    let classes = o
        .array("classes")?
        .ok_or_else(|| invalid(path, "'classes' is required"))?;
    let mut rules = Vec::new();
    for (i, c) in classes.iter().enumerate() {
        let p = format!("{path}.classes[{i}]");
        let co = Obj::new(c, &p)?;
        let lo = co.number("min", (f64::MIN, f64::MAX))?;
        let hi = co.number("max", (f64::MIN, f64::MAX))?;
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Err(invalid(&p, "'min' and 'max' are required"));
        };
        if lo > hi {
            return Err(invalid(&co.at("max"), format!("{hi} is below min {lo}")));
        }
        let last = i + 1 == classes.len();
        let ge = Cond::Cmp {
            property: property.clone(),
            op: CmpOp::Ge,
            value: Value::from(lo),
        };
        // Classes meet at their bounds: a value on a break belongs to the
        // upper class; the last class includes its maximum.
        let upper = Cond::Cmp {
            property: property.clone(),
            op: if last { CmpOp::Le } else { CmpOp::Lt },
            value: Value::from(hi),
        };
        let title = co
            .string("title")?
            .unwrap_or_else(|| format!("{} – {}", fmt_num(lo), fmt_num(hi)));
        rules.push(Rule {
            name: Some(format!("{property}-{i}")),
            title: Some(title),
            filter: Some(Cond::All(vec![ge, upper])),
            symbolizers: symbol_of(base, c, &p, &["min", "max", "title"])?,
            ..head.clone()
        });
    }
    let own = ["property", "classes", "min-scale", "max-scale", "pass"];
    finish_expansion(o, &own, "classes", rules)
}

// ---------------------------------------------------------------------------
// Writing the text format (what an SLD import is stored as)
// ---------------------------------------------------------------------------

fn line_json(m: &mut Map<String, Value>, l: &LineStyle) {
    m.insert("stroke".into(), l.color.hex().into());
    m.insert("stroke-width".into(), f64::from(l.width).into());
    if l.color.0[3] != 255 {
        m.insert("stroke-opacity".into(), round3(l.color.opacity()).into());
    }
    if !l.dash.is_empty() {
        let d: Vec<Value> = l.dash.iter().map(|x| f64::from(*x).into()).collect();
        m.insert("stroke-dasharray".into(), d.into());
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn symbolizer_json(s: &Symbolizer) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(f) = s.fill {
        m.insert("fill".into(), f.hex().into());
        if f.0[3] != 255 {
            m.insert("fill-opacity".into(), round3(f.opacity()).into());
        }
    }
    if let Some(l) = &s.stroke {
        line_json(&mut m, l);
    }
    if let Some(k) = &s.marker {
        let mut mm = Map::new();
        mm.insert("shape".into(), k.shape.name().into());
        mm.insert("size".into(), f64::from(k.size).into());
        if let Some(f) = k.fill {
            mm.insert("fill".into(), f.hex().into());
            if f.0[3] != 255 {
                mm.insert("fill-opacity".into(), round3(f.opacity()).into());
            }
        }
        if let Some(l) = &k.stroke {
            line_json(&mut mm, l);
        }
        m.insert("marker".into(), mm.into());
    }
    if let Some(l) = &s.label {
        let mut lm = Map::new();
        lm.insert("field".into(), l.field.clone().into());
        lm.insert("size".into(), f64::from(l.size).into());
        lm.insert("color".into(), l.color.hex().into());
        if let Some((c, w)) = l.halo {
            lm.insert("halo".into(), c.hex().into());
            lm.insert("halo-width".into(), f64::from(w).into());
        }
        m.insert("label".into(), lm.into());
    }
    m
}

fn cond_json(c: &Cond) -> Value {
    let mut m = Map::new();
    match c {
        Cond::Cmp {
            property,
            op,
            value,
        } => {
            m.insert("property".into(), property.clone().into());
            let key = CMP_KEYS
                .iter()
                .find(|(_, _, o)| o == op)
                .map_or("equals", |(l, _, _)| l);
            m.insert(key.into(), value.clone());
        }
        Cond::Between { property, lo, hi } => {
            m.insert("property".into(), property.clone().into());
            m.insert("between".into(), vec![*lo, *hi].into());
        }
        Cond::In { property, values } => {
            m.insert("property".into(), property.clone().into());
            m.insert("in".into(), values.clone().into());
        }
        Cond::Like { property, pattern } => {
            m.insert("property".into(), property.clone().into());
            m.insert("like".into(), pattern.clone().into());
        }
        Cond::IsNull(p) => {
            m.insert("property".into(), p.clone().into());
            m.insert("is-null".into(), true.into());
        }
        Cond::All(v) => {
            m.insert("all".into(), v.iter().map(cond_json).collect());
        }
        Cond::Any(v) => {
            m.insert("any".into(), v.iter().map(cond_json).collect());
        }
        Cond::Not(c) => {
            m.insert("not".into(), cond_json(c));
        }
    }
    m.into()
}

/// The style as a document of the text format (rules only), which
/// [`parse`] reads back to the same style.
pub fn to_json(s: &Style) -> Value {
    let mut top = Map::new();
    top.insert("name".into(), s.name.clone().into());
    if let Some(t) = &s.title {
        top.insert("title".into(), t.clone().into());
    }
    let rules: Vec<Value> = s
        .rules
        .iter()
        .map(|r| {
            let mut m = Map::new();
            if let Some(n) = &r.name {
                m.insert("name".into(), n.clone().into());
            }
            if let Some(t) = &r.title {
                m.insert("title".into(), t.clone().into());
            }
            if let Some(c) = &r.filter {
                m.insert("where".into(), cond_json(c));
            }
            if r.else_filter {
                m.insert("else".into(), true.into());
            }
            if let Some(x) = r.min_scale {
                m.insert("min-scale".into(), x.into());
            }
            if let Some(x) = r.max_scale {
                m.insert("max-scale".into(), x.into());
            }
            if r.pass > 0 {
                m.insert("pass".into(), r.pass.into());
            }
            let mut syms = r.symbolizers.iter();
            if let Some(first) = syms.next() {
                m.extend(symbolizer_json(first));
            }
            let rest: Vec<Value> = syms.map(|s| symbolizer_json(s).into()).collect();
            if !rest.is_empty() {
                m.insert("symbolizer".into(), rest.into());
            }
            m.into()
        })
        .collect();
    top.insert("rule".into(), rules.into());
    top.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props<'a>(pairs: &'a [(&'a str, Value)]) -> impl Fn(&str) -> Option<&'a Value> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v)
    }

    const CATEGORIZED: &str = r##"
name = "communes"
title = "Communes par département"

[categorized]
property = "dep"
stroke = "#444444"
stroke-width = 0.5
categories = [
  { value = "18", title = "Cher", fill = "#e41a1c" },
  { values = ["28", "36"], fill = "#377eb8", fill-opacity = 0.5 },
]
other = { fill = "#cccccc" }

[[rule]]
title = "Noms"
min-scale = 1000
max-scale = 200000
label = { field = "nom", size = 12, halo = "#ffffff" }
"##;

    #[test]
    fn a_categorized_style_selects_by_value_and_falls_back_to_other() {
        let s = parse(CATEGORIZED, StyleFormat::Toml).unwrap();
        assert_eq!(s.name, "communes");
        assert_eq!(s.rules.len(), 4);
        let cher = [("dep", Value::from("18"))];
        let m = s.matching(0, 500_000.0, &props(&cher));
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].title.as_deref(), Some("Cher"));
        let sym = &m[0].symbolizers[0];
        assert_eq!(sym.fill, Some(Rgba([0xe4, 0x1a, 0x1c, 255])));
        assert_eq!(sym.stroke.as_ref().map(|l| l.width), Some(0.5));
        // An integer attribute matches the text value.
        let indre = [("dep", Value::from(36))];
        let m = s.matching(0, 500_000.0, &props(&indre));
        assert_eq!(
            m[0].symbolizers[0].fill,
            Some(Rgba([0x37, 0x7e, 0xb8, 128]))
        );
        let loiret = [("dep", Value::from("45"))];
        let m = s.matching(0, 500_000.0, &props(&loiret));
        assert_eq!(m.len(), 1);
        assert!(m[0].else_filter);
        // In the label rule's scale range, it applies too, and "other" no
        // longer does (else means: no other rule).
        let m = s.matching(0, 50_000.0, &props(&loiret));
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].title.as_deref(), Some("Noms"));
        assert_eq!(s.properties(), vec!["dep".to_string(), "nom".to_string()]);
    }

    #[test]
    fn graduated_classes_meet_at_their_breaks() {
        let s = parse(
            r##"
[graduated]
property = "pop"
classes = [
  { min = 0, max = 1000, fill = "#fee5d9" },
  { min = 1000, max = 10000, fill = "#fcae91" },
  { min = 10000, max = 200000, fill = "#cb181d" },
]"##,
            StyleFormat::Toml,
        )
        .unwrap();
        let title = |v: Value| {
            let p = [("pop", v)];
            let get = props(&p);
            let t = s
                .matching(0, 1e5, &get)
                .first()
                .and_then(|r| r.title.clone());
            t
        };
        assert_eq!(title(Value::from(999)).as_deref(), Some("0 – 1000"));
        assert_eq!(title(Value::from(1000)).as_deref(), Some("1000 – 10000"));
        assert_eq!(
            title(Value::from(200000)).as_deref(),
            Some("10000 – 200000")
        );
        assert_eq!(title(Value::from(200001)), None);
        assert_eq!(title(Value::Null), None);
        assert_eq!(title(Value::from("5000")).as_deref(), Some("1000 – 10000"));
    }

    #[test]
    fn scale_ranges_follow_sld_semantics() {
        let r = Rule {
            min_scale: Some(1000.0),
            max_scale: Some(5000.0),
            ..Default::default()
        };
        assert!(r.in_scale(1000.0) && r.in_scale(4999.0));
        assert!(!r.in_scale(999.0) && !r.in_scale(5000.0));
        // 256 px over 1 km: 3.90625 m/px, 13 951 at 0.28 mm.
        let s = scale_denominator([0.0, 0.0, 1000.0, 1000.0], 256, false);
        assert!((s - 13950.89).abs() < 0.1, "{s}");
        let g = scale_denominator([0.0, 0.0, 1.0, 1.0], 256, true);
        assert!((g - METRES_PER_DEGREE / 256.0 / OGC_PIXEL_M).abs() < 1e-6);
    }

    #[test]
    fn errors_name_the_key() {
        let bad = |text: &str| parse(text, StyleFormat::Toml).unwrap_err().to_string();
        assert!(bad("[[rule]]\nfil = \"#ff0000\"").contains("rule[0].fil: unknown key"));
        assert!(bad("[[rule]]\nfill = \"red\"").contains("rule[0].fill: 'red' is not a colour"));
        assert!(bad("[[rule]]\nfill = \"#ff0000\"\nfill-opacity = 2")
            .contains("rule[0].fill-opacity: 2 is outside 0..1"));
        assert!(
            bad("[[rule]]\nmarker = { shape = \"hexagon\", fill = \"#000000\" }")
                .contains("unknown shape 'hexagon'")
        );
        assert!(bad("[[rule]]\nlabel = { size = 10 }").contains("'field'"));
        assert!(bad("[[rule]]\ntitle = \"x\"").contains("draws nothing"));
        assert!(bad("title = \"x\"").contains("no rule"));
        assert!(
            bad("[[rule]]\nfill = \"#ff0000\"\nwhere = { property = \"a\" }")
                .contains("rule[0].where: no condition")
        );
        assert!(bad(
            "[[rule]]\nfill = \"#ff0000\"\nwhere = { property = \"a\", equals = 1, less-than = 3 }"
        )
        .contains("one condition per table"));
        assert!(
            bad("[[rule]]\nfill = \"#ff0000\"\nmin-scale = 10\nmax-scale = 5")
                .contains("not above min-scale")
        );
        assert!(bad(
            "[categorized]\nproperty = \"a\"\ncategories = [{ value = 1, fil = \"#000000\" }]"
        )
        .contains("categorized.categories[0].fil: unknown key"));
        assert!(bad("[[rule]\n").starts_with("TOML:"));
        assert!(parse("{\"rule\": [}", StyleFormat::Json)
            .unwrap_err()
            .to_string()
            .starts_with("JSON:"));
        let s = parse(CATEGORIZED, StyleFormat::Toml).unwrap();
        let e = s
            .check_properties(&["dep", "name"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown property 'nom'"), "{e}");
    }

    #[test]
    fn conditions_combine_and_compare_like_sql() {
        let s = parse(
            r##"
[[rule]]
fill = "#000000"
where = { any = [
  { all = [ { property = "a", ge = 10 }, { not = { property = "b", like = "Saint-%" } } ] },
  { property = "b", is-null = true },
] }"##,
            StyleFormat::Toml,
        )
        .unwrap();
        let hit = |a: Value, b: Value| {
            let p = [("a", a), ("b", b)];
            let get = props(&p);
            let hit = !s.matching(0, 1.0, &get).is_empty();
            hit
        };
        assert!(hit(Value::from(12), Value::from("Orléans")));
        assert!(!hit(Value::from(12), Value::from("Saint-Cyr")));
        assert!(!hit(Value::from(9), Value::from("Orléans")));
        assert!(hit(Value::from(9), Value::Null));
        assert!(like(b"a%c_", b"abbbcd") && !like(b"a%c_", b"abbbc"));
    }

    #[test]
    fn the_written_form_reads_back_to_the_same_style() {
        let s = parse(CATEGORIZED, StyleFormat::Toml).unwrap();
        let text = to_json(&s).to_string();
        let back = parse(&text, StyleFormat::Json).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn default_styles_fit_the_geometry() {
        let p = default_style("MultiPolygon", "Communes");
        assert!(p.rules[0].symbolizers[0].fill.is_some());
        assert_eq!(p.rules[0].title.as_deref(), Some("Communes"));
        let l = default_style("CompoundCurve", "x");
        assert!(l.rules[0].symbolizers[0].fill.is_none());
        let pt = default_style("MultiPoint", "x");
        assert!(pt.rules[0].symbolizers[0].marker.is_some());
        assert_eq!(GeomKind::of("CurvePolygon"), GeomKind::Polygon);
    }
}
