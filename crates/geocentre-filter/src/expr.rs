//! Feature filters, shared by WFS (FES 2.0) and OGC API Features (CQL2):
//! one expression tree, checked against the layer's schema before use, and
//! evaluated in Rust on each feature by the feature store
//! (`geocentre-features::filter_eval`). A property name is only ever looked
//! up in the schema — never turned into SQL or an expression — and a
//! literal is only ever compared: no filter can do more than match.

/// Bounds on what a client's filter may make us build and walk.
pub const MAX_DEPTH: usize = 32;
pub const MAX_NODES: usize = 1_000;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FilterError {
    #[error("unknown property '{0}'")]
    UnknownProperty(String),
    #[error("filter nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("filter has more than {MAX_NODES} nodes")]
    TooLarge,
    #[error("{0}")]
    Invalid(String),
    /// Operands a comparison cannot compare (a geometry-valued property,
    /// a literal holding an element): a well-formed filter that cannot be
    /// carried out (WFS 2.0: OperationProcessingFailed).
    #[error("{0}")]
    NotComparable(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpatialOp {
    Intersects,
    Disjoint,
    Within,
    Contains,
    /// Within the distance (in the layer's CRS units).
    DWithin(f64),
}

/// FES 2.0 temporal operators (ISO 19143 §7.14): the ISO 19108 relation
/// of the property's value to the operand. The Minimum Temporal filter
/// (During) and the three that relate instants (After, Before, TEquals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemporalOp {
    After,
    Before,
    During,
    TEquals,
}

impl TemporalOp {
    pub const ALL: [TemporalOp; 4] = [
        TemporalOp::After,
        TemporalOp::Before,
        TemporalOp::During,
        TemporalOp::TEquals,
    ];

    /// The operator's FES 2.0 element name.
    pub fn name(self) -> &'static str {
        match self {
            TemporalOp::After => "After",
            TemporalOp::Before => "Before",
            TemporalOp::During => "During",
            TemporalOp::TEquals => "TEquals",
        }
    }

    /// Whether `value` stands in this relation to `operand` (ISO 19108
    /// Table 2, on closed spans: an instant is a span of one instant). A
    /// date is the span of its day, as everywhere a request meets a date
    /// (OGC API `datetime`): 10:00 on 3 May is not after 3 May, it is
    /// during it. During is strict at both ends: a value that begins or
    /// ends with the operand is not during it.
    pub fn holds(self, value: TimeSpan, operand: TimeSpan) -> bool {
        match self {
            TemporalOp::After => value.first > operand.last,
            TemporalOp::Before => value.last < operand.first,
            TemporalOp::During => operand.first < value.first && value.last < operand.last,
            TemporalOp::TEquals => value == operand,
        }
    }
}

/// A stretch of time: the first and last instants it covers, in
/// nanoseconds from 1970-01-01T00:00:00Z (`geocentre_core::datetime`).
/// An open end (an indeterminate position `unknown`) is `i128::MIN` or
/// `i128::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSpan {
    pub first: i128,
    pub last: i128,
}

impl TimeSpan {
    /// The span a date or date-time names (`YYYY[-MM[-DD[Thh:mm…]]]`):
    /// its whole year, month or day, or one instant.
    pub fn parse(text: &str) -> Result<TimeSpan, geocentre_core::datetime::DateError> {
        let m = geocentre_core::datetime::parse(text.trim())?;
        Ok(TimeSpan {
            first: m.first,
            last: m.last,
        })
    }
}

/// A geometry given by the client: WKT and its EPSG code.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterGeometry {
    pub wkt: String,
    pub epsg: u32,
    /// Coordinates in the CRS's own axis order (a GML URN for EPSG:4326
    /// is latitude first), not x/y.
    pub authority_axes: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cmp {
        prop: String,
        op: CmpOp,
        value: Literal,
    },
    Like {
        prop: String,
        pattern: String,
        wildcard: char,
        single: char,
        escape: char,
        case_insensitive: bool,
    },
    IsNull(String),
    /// FES 2.0 PropertyIsNil: the property is present with `xsi:nil`.
    /// Geocentre's schemas declare no property nillable (an absent value
    /// is left out): it never holds, but the property must exist.
    IsNil(String),
    Between {
        prop: String,
        low: Literal,
        high: Literal,
    },
    In {
        prop: String,
        values: Vec<Literal>,
    },
    Spatial {
        op: SpatialOp,
        geometry: FilterGeometry,
    },
    /// A temporal operator on a property holding dates or date-times.
    Temporal {
        prop: String,
        op: TemporalOp,
        operand: TimeSpan,
    },
}

impl Expr {
    /// Checks every property name against `fields` and the size bounds.
    pub fn check(&self, fields: &[&str]) -> Result<(), FilterError> {
        let mut nodes = 0;
        self.walk(fields, 0, &mut nodes)
    }

    fn walk(&self, fields: &[&str], depth: usize, nodes: &mut usize) -> Result<(), FilterError> {
        *nodes += 1;
        if *nodes > MAX_NODES {
            return Err(FilterError::TooLarge);
        }
        if depth > MAX_DEPTH {
            return Err(FilterError::TooDeep);
        }
        // The properties every GML feature inherits are known too (always
        // absent: see `geocentre_ogc::wfs::GML_PROPERTIES`).
        let known = |p: &str| {
            if fields.contains(&p) || geocentre_ogc::wfs::GML_PROPERTIES.contains(&p) {
                Ok(())
            } else {
                Err(FilterError::UnknownProperty(p.to_string()))
            }
        };
        match self {
            Expr::And(v) | Expr::Or(v) => {
                v.iter().try_for_each(|e| e.walk(fields, depth + 1, nodes))
            }
            Expr::Not(e) => e.walk(fields, depth + 1, nodes),
            Expr::Cmp { prop, .. }
            | Expr::Like { prop, .. }
            | Expr::Between { prop, .. }
            | Expr::In { prop, .. }
            | Expr::IsNull(prop)
            | Expr::IsNil(prop)
            | Expr::Temporal { prop, .. } => known(prop),
            Expr::Spatial { .. } => Ok(()),
        }
    }

    /// Whether the filter has a spatial part (evaluated with the geometry).
    pub fn is_spatial(&self) -> bool {
        match self {
            Expr::And(v) | Expr::Or(v) => v.iter().any(Expr::is_spatial),
            Expr::Not(e) => e.is_spatial(),
            Expr::Spatial { .. } => true,
            _ => false,
        }
    }

    /// The properties temporal operators are applied to (the store checks
    /// that they hold dates).
    pub fn temporal_properties<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.temporal_properties(out)),
            Expr::Not(e) => e.temporal_properties(out),
            Expr::Temporal { prop, .. } => out.push(prop),
            _ => {}
        }
    }

    /// The client's geometries of the filter, each once (the store
    /// prepares them once per query).
    pub fn geometries(&self, out: &mut Vec<FilterGeometry>) {
        match self {
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.geometries(out)),
            Expr::Not(e) => e.geometries(out),
            Expr::Spatial { geometry, .. } if !out.contains(geometry) => out.push(geometry.clone()),
            _ => {}
        }
    }
}

// ------------------------------------------------------------ CQL2-JSON

fn literal(v: &serde_json::Value) -> Result<Literal, FilterError> {
    match v {
        serde_json::Value::String(s) => Ok(Literal::Str(s.clone())),
        serde_json::Value::Number(n) => n
            .as_f64()
            .map(Literal::Num)
            .ok_or_else(|| FilterError::Invalid("number out of range".into())),
        serde_json::Value::Bool(b) => Ok(Literal::Bool(*b)),
        other => Err(FilterError::Invalid(format!("not a literal: {other}"))),
    }
}

fn property(v: &serde_json::Value) -> Result<String, FilterError> {
    v.get("property")
        .and_then(|p| p.as_str())
        .map(str::to_string)
        .ok_or_else(|| FilterError::Invalid(format!("expected {{\"property\": …}}, got {v}")))
}

/// Parses CQL2-JSON (OGC 21-065). serde_json itself refuses documents
/// nested deeper than 128 levels before anything is built.
pub fn from_cql2_json(text: &str, geometry_epsg: u32) -> Result<Expr, FilterError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| FilterError::Invalid(format!("CQL2-JSON: {e}")))?;
    let mut nodes = 0;
    cql2(&v, 0, &mut nodes, geometry_epsg)
}

fn cql2(
    v: &serde_json::Value,
    depth: usize,
    nodes: &mut usize,
    epsg: u32,
) -> Result<Expr, FilterError> {
    *nodes += 1;
    if depth > MAX_DEPTH {
        return Err(FilterError::TooDeep);
    }
    if *nodes > MAX_NODES {
        return Err(FilterError::TooLarge);
    }
    let op = v.get("op").and_then(|o| o.as_str()).ok_or_else(|| {
        FilterError::Invalid("expected an object with \"op\" and \"args\"".into())
    })?;
    let args: &[serde_json::Value] = v
        .get("args")
        .and_then(|a| a.as_array())
        .map(Vec::as_slice)
        .ok_or_else(|| FilterError::Invalid(format!("'{op}' needs \"args\"")))?;
    let sub = |a: &serde_json::Value, nodes: &mut usize| cql2(a, depth + 1, nodes, epsg);
    let cmp = |op| -> Result<Expr, FilterError> {
        match args {
            [p, l] => Ok(Expr::Cmp {
                prop: property(p)?,
                op,
                value: literal(l)?,
            }),
            _ => Err(FilterError::Invalid(
                "a comparison takes two arguments".into(),
            )),
        }
    };
    Ok(match op {
        "and" | "or" => {
            let mut v = Vec::with_capacity(args.len());
            for a in args {
                v.push(sub(a, nodes)?);
            }
            if op == "and" {
                Expr::And(v)
            } else {
                Expr::Or(v)
            }
        }
        "not" => match args {
            [a] => Expr::Not(Box::new(sub(a, nodes)?)),
            _ => return Err(FilterError::Invalid("'not' takes one argument".into())),
        },
        "=" => cmp(CmpOp::Eq)?,
        "<>" => cmp(CmpOp::Ne)?,
        "<" => cmp(CmpOp::Lt)?,
        "<=" => cmp(CmpOp::Le)?,
        ">" => cmp(CmpOp::Gt)?,
        ">=" => cmp(CmpOp::Ge)?,
        "like" => match args {
            [p, serde_json::Value::String(pat)] => Expr::Like {
                prop: property(p)?,
                pattern: pat.clone(),
                wildcard: '%',
                single: '_',
                escape: '\\',
                case_insensitive: false,
            },
            _ => {
                return Err(FilterError::Invalid(
                    "'like' takes a property and a pattern".into(),
                ))
            }
        },
        "isNull" => match args {
            [p] => Expr::IsNull(property(p)?),
            _ => return Err(FilterError::Invalid("'isNull' takes one property".into())),
        },
        "between" => match args {
            [p, lo, hi] => Expr::Between {
                prop: property(p)?,
                low: literal(lo)?,
                high: literal(hi)?,
            },
            _ => {
                return Err(FilterError::Invalid(
                    "'between' takes three arguments".into(),
                ))
            }
        },
        "in" => match args {
            [p, serde_json::Value::Array(list)] => Expr::In {
                prop: property(p)?,
                values: list.iter().map(literal).collect::<Result<_, _>>()?,
            },
            _ => {
                return Err(FilterError::Invalid(
                    "'in' takes a property and a list".into(),
                ))
            }
        },
        "s_intersects" | "s_disjoint" | "s_within" | "s_contains" => {
            let g = args
                .iter()
                .find(|a| a.get("type").is_some() || a.get("bbox").is_some())
                .ok_or_else(|| FilterError::Invalid(format!("'{op}' needs a geometry")))?;
            let wkt = crate::geometry::geojson_to_wkt(g)
                .map_err(|e| FilterError::Invalid(format!("geometry: {e}")))?;
            Expr::Spatial {
                op: match op {
                    "s_intersects" => SpatialOp::Intersects,
                    "s_disjoint" => SpatialOp::Disjoint,
                    "s_within" => SpatialOp::Within,
                    _ => SpatialOp::Contains,
                },
                geometry: FilterGeometry {
                    wkt,
                    epsg,
                    authority_axes: false,
                },
            }
        }
        other => {
            return Err(FilterError::Invalid(format!(
                "operator '{other}' is not supported"
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_capabilities_list_the_temporal_operators_read() {
        let names: Vec<&str> = TemporalOp::ALL.iter().map(|o| o.name()).collect();
        assert_eq!(names, geocentre_ogc::wfs::TEMPORAL_OPERATORS);
    }

    #[test]
    fn temporal_relations_on_spans() {
        let span = |t: &str| TimeSpan::parse(t).unwrap();
        let period = |a: &str, b: &str| TimeSpan {
            first: span(a).first,
            last: span(b).last,
        };
        let may = period("2021-05-01", "2021-05-31");
        use TemporalOp::*;
        // Instants and days inside, on the ends, outside.
        assert!(During.holds(span("2021-05-03"), may));
        assert!(During.holds(span("2021-05-03T10:00:00Z"), may));
        assert!(!During.holds(span("2021-05-01"), may), "begins with it");
        assert!(!During.holds(span("2021-05-31"), may), "ends with it");
        assert!(!During.holds(span("2021-06-01"), may));
        assert!(After.holds(span("2021-06-01"), may));
        assert!(!After.holds(span("2021-05-31T23:00:00Z"), may));
        assert!(Before.holds(span("2021-04-30T23:59:59Z"), may));
        assert!(!Before.holds(span("2021-05-01"), may));
        // A date is its day: not after itself, 10:00 is neither after nor equal.
        assert!(!After.holds(span("2021-05-03T10:00:00Z"), span("2021-05-03")));
        assert!(TEquals.holds(span("2021-05-03"), span("2021-05-03")));
        assert!(!TEquals.holds(span("2021-05-03T00:00:00Z"), span("2021-05-03")));
        assert!(TEquals.holds(
            span("2021-05-03T12:00:00+02:00"),
            span("2021-05-03T10:00:00Z")
        ));
        // Open ends.
        let from_may = TimeSpan {
            first: span("2021-05-01").first,
            last: i128::MAX,
        };
        assert!(During.holds(span("2999-01-01"), from_may));
        assert!(!After.holds(span("2999-01-01"), from_may));
    }

    #[test]
    fn unknown_properties_and_deep_nesting_are_refused() {
        let e = from_cql2_json(r#"{"op":"=","args":[{"property":"exec(x)"},"1"]}"#, 4326).unwrap();
        assert_eq!(
            e.check(&["nom"]),
            Err(FilterError::UnknownProperty("exec(x)".into()))
        );
        let mut deep = String::from(r#"{"op":"=","args":[{"property":"nom"},"a"]}"#);
        for _ in 0..2000 {
            deep = format!(r#"{{"op":"not","args":[{deep}]}}"#);
        }
        let t = std::time::Instant::now();
        assert!(from_cql2_json(&deep, 4326).is_err());
        assert!(t.elapsed().as_millis() < 500);
    }
}
