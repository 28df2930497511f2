//! What a CSW constraint can name (the queryables of the CSW 2.0.2 core
//! and of the ISO Application Profile 1.0, with the INSPIRE additions that
//! map onto the record) and how it selects records. A constraint, in OGC
//! Filter 1.1 or CQL text, is parsed by `geocentre-filter` into its shared
//! tree; here it is compiled against the queryables (an unknown name is
//! refused before anything is searched) and evaluated on each record.
//!
//! Text matching follows what catalogs do (pycsw, GeoNetwork): `LIKE` is
//! case-insensitive; equality is exact unless `matchCase="false"`.

use crate::record::Record;
use geocentre_filter::{CmpOp, Expr, LikePattern, Literal, SpatialOp, TemporalOp, TimeSpan};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queryable {
    AnyText,
    Title,
    Abstract,
    Subject,
    Type,
    Modified,
    Identifier,
    Format,
    BoundingBox,
    OrganisationName,
    TopicCategory,
    ResourceIdentifier,
    ParentIdentifier,
    Crs,
    CreationDate,
    PublicationDate,
    RevisionDate,
    Language,
    ServiceType,
    OperatesOn,
    TempExtentBegin,
    TempExtentEnd,
    Lineage,
    Rights,
    Relation,
    Source,
    Denominator,
}

/// Every queryable with the names it answers to (prefix-less, compared
/// without case): the CSW core name first, then the ISO AP's.
pub const QUERYABLES: &[(Queryable, &[&str])] = &[
    (Queryable::AnyText, &["AnyText"]),
    (Queryable::Title, &["Title", "dc:title"]),
    (Queryable::Abstract, &["Abstract", "description"]),
    (Queryable::Subject, &["Subject", "Keyword"]),
    (Queryable::Type, &["Type", "hierarchyLevel"]),
    (Queryable::Modified, &["Modified", "date"]),
    (Queryable::Identifier, &["Identifier", "fileIdentifier"]),
    (Queryable::Format, &["Format"]),
    (Queryable::BoundingBox, &["BoundingBox", "Envelope"]),
    (
        Queryable::OrganisationName,
        &["OrganisationName", "creator", "publisher", "contributor"],
    ),
    (Queryable::TopicCategory, &["TopicCategory"]),
    (Queryable::ResourceIdentifier, &["ResourceIdentifier"]),
    (Queryable::ParentIdentifier, &["ParentIdentifier"]),
    (Queryable::Crs, &["CRS", "ReferenceSystem"]),
    (Queryable::CreationDate, &["CreationDate"]),
    (Queryable::PublicationDate, &["PublicationDate"]),
    (Queryable::RevisionDate, &["RevisionDate"]),
    (Queryable::Language, &["Language", "ResourceLanguage"]),
    (Queryable::ServiceType, &["ServiceType"]),
    (
        Queryable::OperatesOn,
        &["OperatesOn", "OperatesOnIdentifier"],
    ),
    (Queryable::TempExtentBegin, &["TempExtent_begin"]),
    (Queryable::TempExtentEnd, &["TempExtent_end"]),
    (Queryable::Lineage, &["Lineage"]),
    (
        Queryable::Rights,
        &[
            "rights",
            "ConditionApplyingToAccessAndUse",
            "OtherConstraints",
            "AccessConstraints",
        ],
    ),
    (Queryable::Relation, &["relation"]),
    (Queryable::Source, &["source"]),
    (Queryable::Denominator, &["Denominator", "DistanceValue"]),
];

/// The queryables the capabilities advertise, per namespace prefix.
pub const CORE_NAMES: &[&str] = &[
    "csw:AnyText",
    "dc:title",
    "dct:abstract",
    "dc:subject",
    "dc:type",
    "dct:modified",
    "dc:identifier",
    "dc:format",
    "ows:BoundingBox",
];
pub const ISO_NAMES: &[&str] = &[
    "apiso:Subject",
    "apiso:Title",
    "apiso:Abstract",
    "apiso:AnyText",
    "apiso:Format",
    "apiso:Identifier",
    "apiso:Modified",
    "apiso:Type",
    "apiso:BoundingBox",
    "apiso:CRS",
    "apiso:OrganisationName",
    "apiso:TopicCategory",
    "apiso:ResourceIdentifier",
    "apiso:ParentIdentifier",
    "apiso:CreationDate",
    "apiso:PublicationDate",
    "apiso:RevisionDate",
    "apiso:ResourceLanguage",
    "apiso:ServiceType",
    "apiso:OperatesOn",
    "apiso:OperatesOnIdentifier",
    "apiso:TempExtent_begin",
    "apiso:TempExtent_end",
    "apiso:Denominator",
];
pub const INSPIRE_NAMES: &[&str] = &[
    "apiso:Lineage",
    "apiso:ConditionApplyingToAccessAndUse",
    "apiso:AccessConstraints",
    "apiso:OtherConstraints",
];

/// The queryable a property name designates: a prefix (`csw:`, `dc:`,
/// `dct:`, `apiso:`, `ows:`, `gmd:`…) is ignored, as is case.
pub fn queryable(name: &str) -> Option<Queryable> {
    let bare = name
        .trim()
        .rsplit(':')
        .next()
        .unwrap_or(name)
        .trim_start_matches('/');
    QUERYABLES.iter().find_map(|(q, names)| {
        names
            .iter()
            .any(|n| n.rsplit(':').next().unwrap_or(n).eq_ignore_ascii_case(bare))
            .then_some(*q)
    })
}

/// The values a record holds for a queryable (none: the property is absent).
pub fn values(r: &Record, q: Queryable) -> Vec<String> {
    let one = |s: &str| {
        if s.is_empty() {
            vec![]
        } else {
            vec![s.to_string()]
        }
    };
    match q {
        Queryable::AnyText => vec![r.any_text()],
        Queryable::Title => one(&r.title),
        Queryable::Abstract => one(&r.abstract_),
        Queryable::Subject => r.keywords.iter().chain(r.topics.iter()).cloned().collect(),
        Queryable::Type => {
            let mut v = one(r.type_word());
            let word = r.resource_type_word();
            if !word.is_empty() && word != r.type_word() {
                v.push(word.to_string());
            }
            v
        }
        Queryable::Modified => one(&r.modified),
        Queryable::Identifier => one(&r.id),
        Queryable::Format => r.formats.clone(),
        Queryable::BoundingBox => vec![],
        Queryable::OrganisationName => r.organisations.clone(),
        Queryable::TopicCategory => r.topics.clone(),
        Queryable::ResourceIdentifier => r.resource_ids.clone(),
        Queryable::ParentIdentifier => r.parent.iter().cloned().collect(),
        Queryable::Crs => r.crs.clone(),
        Queryable::CreationDate => r.created.iter().cloned().collect(),
        Queryable::PublicationDate => r.published.iter().cloned().collect(),
        Queryable::RevisionDate => r.revised.iter().cloned().collect(),
        Queryable::Language => one(&r.language),
        Queryable::ServiceType => r.service_type.iter().cloned().collect(),
        Queryable::OperatesOn => r.operates_on.clone(),
        Queryable::TempExtentBegin => r.temporal.iter().map(|t| t.0.clone()).collect(),
        Queryable::TempExtentEnd => r.temporal.iter().map(|t| t.1.clone()).collect(),
        Queryable::Lineage => r.lineage.iter().cloned().collect(),
        Queryable::Rights => r.rights.clone(),
        Queryable::Relation => r.relations.clone(),
        Queryable::Source => r.sources.clone(),
        Queryable::Denominator => r.resolution_m.iter().map(|v| v.to_string()).collect(),
    }
}

/// A constraint compiled against the queryables.
#[derive(Debug, Clone)]
pub enum Cond {
    All,
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Cmp(Queryable, CmpOp, Literal),
    Like(Queryable, LikePattern),
    Null(Queryable),
    Never,
    Between(Queryable, Literal, Literal),
    In(Queryable, Vec<Literal>),
    /// The record's box against an envelope, lon/lat.
    Spatial(SpatialOp, [f64; 4]),
    Temporal(Queryable, TemporalOp, TimeSpan),
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum QueryError {
    #[error("unknown queryable '{0}'")]
    UnknownQueryable(String),
    #[error("{0}")]
    Invalid(String),
}

fn q_of(name: &str) -> Result<Queryable, QueryError> {
    queryable(name).ok_or_else(|| QueryError::UnknownQueryable(name.to_string()))
}

/// The envelope of a WKT geometry's coordinates, x/y.
fn wkt_envelope(wkt: &str) -> Option<[f64; 4]> {
    let nums: Vec<f64> = wkt
        .split(|c: char| {
            !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+')
        })
        .filter(|s| !s.is_empty() && s.chars().any(|c| c.is_ascii_digit()))
        .filter_map(|s| s.parse::<f64>().ok())
        .collect();
    if nums.len() < 2 || !nums.len().is_multiple_of(2) {
        return None;
    }
    let mut e = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in nums.chunks(2) {
        e[0] = e[0].min(p[0]);
        e[1] = e[1].min(p[1]);
        e[2] = e[2].max(p[0]);
        e[3] = e[3].max(p[1]);
    }
    Some(e)
}

/// Compiles a filter tree against the queryables. Geometries must be in
/// WGS 84 (EPSG:4326, either axis order as its CRS name says, or CRS84):
/// records carry a WGS 84 box only.
pub fn compile(e: &Expr) -> Result<Cond, QueryError> {
    Ok(match e {
        Expr::And(v) => Cond::And(v.iter().map(compile).collect::<Result<_, _>>()?),
        Expr::Or(v) => Cond::Or(v.iter().map(compile).collect::<Result<_, _>>()?),
        Expr::Not(x) => Cond::Not(Box::new(compile(x)?)),
        Expr::Cmp { prop, op, value } => Cond::Cmp(q_of(prop)?, *op, value.clone()),
        Expr::Like {
            prop,
            pattern,
            wildcard,
            single,
            escape,
            ..
        } => Cond::Like(
            q_of(prop)?,
            LikePattern::new(pattern, *wildcard, *single, *escape, true),
        ),
        Expr::IsNull(p) => Cond::Null(q_of(p)?),
        Expr::IsNil(p) => {
            q_of(p)?;
            Cond::Never
        }
        Expr::Between { prop, low, high } => Cond::Between(q_of(prop)?, low.clone(), high.clone()),
        Expr::In { prop, values } => Cond::In(q_of(prop)?, values.clone()),
        Expr::Spatial { op, geometry } => {
            if geometry.epsg != 4326 {
                return Err(QueryError::Invalid(format!(
                    "spatial constraints are in WGS 84 (EPSG:4326 or CRS84), not EPSG:{}",
                    geometry.epsg
                )));
            }
            let mut env = wkt_envelope(&geometry.wkt).ok_or_else(|| {
                QueryError::Invalid(format!("no coordinates in geometry {}", geometry.wkt))
            })?;
            if geometry.authority_axes {
                env = [env[1], env[0], env[3], env[2]];
            }
            Cond::Spatial(*op, env)
        }
        Expr::Temporal { prop, op, operand } => Cond::Temporal(q_of(prop)?, *op, *operand),
    })
}

fn text_cmp(a: &str, lit: &Literal) -> Option<std::cmp::Ordering> {
    match lit {
        Literal::Num(n) => a.trim().parse::<f64>().ok().and_then(|v| v.partial_cmp(n)),
        Literal::Str(s) => Some(a.cmp(s.as_str())),
        Literal::Bool(b) => Some(a.cmp(if *b { "true" } else { "false" })),
    }
}

fn cmp_holds(op: CmpOp, o: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    match (op, o) {
        (_, None) => false,
        (CmpOp::Eq, Some(o)) => o == Equal,
        (CmpOp::Ne, Some(o)) => o != Equal,
        (CmpOp::Lt, Some(o)) => o == Less,
        (CmpOp::Le, Some(o)) => o != Greater,
        (CmpOp::Gt, Some(o)) => o == Greater,
        (CmpOp::Ge, Some(o)) => o != Less,
    }
}

fn intersects(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

fn contains(outer: [f64; 4], inner: [f64; 4]) -> bool {
    outer[0] <= inner[0] && outer[1] <= inner[1] && inner[2] <= outer[2] && inner[3] <= outer[3]
}

/// Whether the record meets the condition.
pub fn eval(c: &Cond, r: &Record) -> bool {
    match c {
        Cond::All => true,
        Cond::Never => false,
        Cond::And(v) => v.iter().all(|c| eval(c, r)),
        Cond::Or(v) => v.iter().any(|c| eval(c, r)),
        Cond::Not(c) => !eval(c, r),
        Cond::Cmp(q, op, lit) => {
            let vals = values(r, *q);
            match op {
                // Not equal: no value equals it (a multi-valued property).
                CmpOp::Ne => vals.iter().all(|v| cmp_holds(*op, text_cmp(v, lit))),
                _ => vals.iter().any(|v| cmp_holds(*op, text_cmp(v, lit))),
            }
        }
        Cond::Like(q, p) => values(r, *q).iter().any(|v| p.matches(v)),
        Cond::Null(Queryable::BoundingBox) => r.bbox.is_none(),
        Cond::Null(q) => values(r, *q).is_empty(),
        Cond::Between(q, lo, hi) => values(r, *q).iter().any(|v| {
            cmp_holds(CmpOp::Ge, text_cmp(v, lo)) && cmp_holds(CmpOp::Le, text_cmp(v, hi))
        }),
        Cond::In(q, lits) => values(r, *q)
            .iter()
            .any(|v| lits.iter().any(|l| cmp_holds(CmpOp::Eq, text_cmp(v, l)))),
        Cond::Spatial(op, env) => match r.bbox {
            None => matches!(op, SpatialOp::Disjoint),
            Some(b) => match op {
                SpatialOp::Intersects => intersects(b, *env),
                SpatialOp::Disjoint => !intersects(b, *env),
                SpatialOp::Within => contains(*env, b),
                SpatialOp::Contains => contains(b, *env),
                SpatialOp::DWithin(d) => {
                    intersects(b, [env[0] - d, env[1] - d, env[2] + d, env[3] + d])
                }
            },
        },
        Cond::Temporal(q, op, span) => values(r, *q)
            .iter()
            .filter_map(|v| TimeSpan::parse(v).ok())
            .any(|v| op.holds(v, *span)),
    }
}

/// The order of two records under sort keys (queryable, descending); ties
/// keep the records' own order (a stable sort).
pub fn compare(a: &Record, b: &Record, by: &[(Queryable, bool)]) -> std::cmp::Ordering {
    let key = |r: &Record, q: Queryable| -> String {
        values(r, q)
            .into_iter()
            .next()
            .unwrap_or_default()
            .to_lowercase()
    };
    for (q, desc) in by {
        let o = key(a, *q).cmp(&key(b, *q));
        let o = if *desc { o.reverse() } else { o };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    std::cmp::Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queryables_ignore_prefix_and_case() {
        assert_eq!(queryable("csw:AnyText"), Some(Queryable::AnyText));
        assert_eq!(queryable("apiso:title"), Some(Queryable::Title));
        assert_eq!(queryable("dc:title"), Some(Queryable::Title));
        assert_eq!(queryable("ows:BoundingBox"), Some(Queryable::BoundingBox));
        assert_eq!(queryable("nope"), None);
    }

    #[test]
    fn spatial_on_the_records_box() {
        let r = Record {
            bbox: Some([1.0, 47.0, 2.0, 48.0]),
            ..Record::default()
        };
        assert!(eval(
            &Cond::Spatial(SpatialOp::Intersects, [1.5, 47.5, 3.0, 49.0]),
            &r
        ));
        assert!(!eval(
            &Cond::Spatial(SpatialOp::Intersects, [3.0, 47.5, 4.0, 49.0]),
            &r
        ));
        assert!(eval(
            &Cond::Spatial(SpatialOp::Within, [0.0, 46.0, 3.0, 49.0]),
            &r
        ));
    }
}
