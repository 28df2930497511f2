//! Evaluation of filter trees (`geocentre-filter`) on stored features:
//! attribute values as OGR reads them, spatial predicates with GEOS (through
//! OGR) against the client's geometries, prepared once per query in the
//! layer's CRS.

use gdal::vector::{FieldValue, Geometry};
use geocentre_filter::{CmpOp, Expr, FilterGeometry, Literal, SpatialOp, TimeSpan};

/// Filter geometries parsed once per query, in the layer's CRS.
pub type Prepared = Vec<(FilterGeometry, Geometry)>;

/// A feature as the evaluator sees it.
pub struct Subject<'a> {
    pub value: &'a dyn Fn(&str) -> Option<FieldValue>,
    pub geometry: Option<&'a Geometry>,
}

fn num(v: &FieldValue) -> Option<f64> {
    match v {
        FieldValue::IntegerValue(i) => Some(f64::from(*i)),
        FieldValue::Integer64Value(i) => Some(*i as f64),
        FieldValue::RealValue(f) => Some(*f),
        FieldValue::StringValue(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(v: &FieldValue) -> Option<String> {
    match v {
        FieldValue::StringValue(s) => Some(s.clone()),
        FieldValue::IntegerValue(i) => Some(i.to_string()),
        FieldValue::Integer64Value(i) => Some(i.to_string()),
        FieldValue::RealValue(f) => Some(f.to_string()),
        FieldValue::DateValue(d) => Some(d.to_string()),
        FieldValue::DateTimeValue(d) => Some(d.to_rfc3339()),
        _ => None,
    }
}

fn compare(v: &FieldValue, lit: &Literal) -> Option<std::cmp::Ordering> {
    match lit {
        Literal::Num(n) => num(v)?.partial_cmp(n),
        Literal::Str(s) => match v {
            FieldValue::StringValue(x) => Some(x.as_str().cmp(s.as_str())),
            other => match (num(other), s.trim().parse::<f64>()) {
                (Some(a), Ok(b)) => a.partial_cmp(&b),
                _ => text(other).map(|t| t.as_str().cmp(s.as_str())),
            },
        },
        Literal::Bool(b) => num(v).map(|n| (n != 0.0).cmp(b)),
    }
}

/// The stretch of time a value names: a Date its day, a DateTime its
/// instant, a text written as a date or date-time (GDAL types PCRS's
/// `dateLeve` as text) what it names; anything else none (no temporal
/// relation holds).
fn time_span(v: &FieldValue) -> Option<TimeSpan> {
    match v {
        FieldValue::DateValue(d) => TimeSpan::parse(&d.to_string()).ok(),
        FieldValue::DateTimeValue(d) => TimeSpan::parse(&d.to_rfc3339()).ok(),
        FieldValue::StringValue(s) => TimeSpan::parse(s).ok(),
        _ => None,
    }
}

/// LIKE with the client's wildcard, single-character and escape marks.
fn like(text: &str, pattern: &str, wild: char, single: char, escape: char, ci: bool) -> bool {
    geocentre_filter::LikePattern::new(pattern, wild, single, escape, ci).matches(text)
}

/// Evaluation of a filter on one feature.
pub trait Evaluate {
    fn eval(&self, s: &Subject<'_>, prepared: &Prepared) -> bool;
}

impl Evaluate for Expr {
    fn eval(&self, s: &Subject<'_>, prepared: &Prepared) -> bool {
        match self {
            Expr::And(v) => v.iter().all(|e| e.eval(s, prepared)),
            Expr::Or(v) => v.iter().any(|e| e.eval(s, prepared)),
            Expr::Not(e) => !e.eval(s, prepared),
            Expr::Cmp { prop, op, value } => {
                let Some(v) = (s.value)(prop) else {
                    return false;
                };
                let Some(o) = compare(&v, value) else {
                    return false;
                };
                use std::cmp::Ordering::*;
                match op {
                    CmpOp::Eq => o == Equal,
                    CmpOp::Ne => o != Equal,
                    CmpOp::Lt => o == Less,
                    CmpOp::Le => o != Greater,
                    CmpOp::Gt => o == Greater,
                    CmpOp::Ge => o != Less,
                }
            }
            Expr::Like {
                prop,
                pattern,
                wildcard,
                single,
                escape,
                case_insensitive,
            } => (s.value)(prop)
                .and_then(|v| text(&v))
                .is_some_and(|t| like(&t, pattern, *wildcard, *single, *escape, *case_insensitive)),
            Expr::IsNull(prop) => (s.value)(prop).is_none(),
            // No property is nillable: none is ever nil.
            Expr::IsNil(_) => false,
            Expr::Between { prop, low, high } => (s.value)(prop).is_some_and(|v| {
                compare(&v, low).is_some_and(|o| o != std::cmp::Ordering::Less)
                    && compare(&v, high).is_some_and(|o| o != std::cmp::Ordering::Greater)
            }),
            Expr::In { prop, values } => (s.value)(prop).is_some_and(|v| {
                values
                    .iter()
                    .any(|l| compare(&v, l) == Some(std::cmp::Ordering::Equal))
            }),
            Expr::Temporal { prop, op, operand } => (s.value)(prop)
                .and_then(|v| time_span(&v))
                .is_some_and(|v| op.holds(v, *operand)),
            Expr::Spatial { op, geometry } => {
                let (Some(g), Some(f)) = (
                    s.geometry,
                    prepared.iter().find(|(k, _)| k == geometry).map(|(_, g)| g),
                ) else {
                    return false;
                };
                match op {
                    SpatialOp::Intersects => g.intersects(f),
                    SpatialOp::Disjoint => g.disjoint(f),
                    SpatialOp::Within => g.within(f),
                    SpatialOp::Contains => g.contains(f),
                    SpatialOp::DWithin(d) => f.buffer(*d, 8).is_ok_and(|b| g.intersects(&b)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_honours_custom_marks_and_escapes() {
        assert!(like("Orléans", "Orl*", '*', '?', '!', false));
        assert!(like("50% off", "50!%*", '*', '?', '!', false));
        assert!(!like("50 off", "50!%*", '*', '?', '!', false));
        assert!(like("abc", "a?c", '*', '?', '!', false));
        assert!(like("ABC", "a%", '%', '_', '\\', true));
        assert!(!like("ABC", "a%", '%', '_', '\\', false));
        // Many wildcards against a long text: no exponential blow-up.
        let long = "a".repeat(10_000);
        assert!(!like(
            &long,
            &"%a".repeat(50).replace("a%", "a%b"),
            '%',
            '_',
            '\\',
            false
        ));
    }

    #[test]
    fn casei_equality_matches_the_whole_text_only() {
        let e =
            geocentre_filter::cql2_text::from_cql2_text("CASEI(nom) = CASEI('50%_off\\')", 4326)
                .unwrap();
        let matches = |v: &str| {
            let v = v.to_string();
            let value = move |_: &str| Some(FieldValue::StringValue(v.clone()));
            let subject = Subject {
                value: &value,
                geometry: None,
            };
            e.eval(&subject, &Vec::new())
        };
        assert!(matches("50%_off\\"));
        assert!(matches("50%_OFF\\"));
        assert!(!matches("50x-off\\"));
        assert!(!matches("50%_off"));
        assert!(!matches("50%_off\\x"));
    }
}
