//! FES 2.0 (WFS 2.0) and FES 1.1 (WFS 1.1) filters into the shared filter
//! tree. Elements are matched by local name, so `fes:ValueReference` and
//! `ogc:PropertyName`, GML 3.2, 3.1.1 and 2 geometries all read; the same
//! bounds and schema checks apply to both. The shared element tree
//! (`geocentre_ogc::xml_tree`) never resolves entities or DTDs: a document
//! type declaration is refused outright, and depth and size are bounded.

use crate::expr::{
    CmpOp, Expr, FilterError, FilterGeometry, Literal, SpatialOp, TemporalOp, TimeSpan, MAX_DEPTH,
    MAX_NODES,
};

/// Longest filter document accepted.
pub const MAX_BYTES: usize = 256 * 1024;

use geocentre_ogc::wfs::{value_reference, Namespaces, PropertyRef, GML_COMPLEX_PROPERTIES};
use geocentre_ogc::wfs11::{srs_epsg, xy_axes};
use geocentre_ogc::xml_tree::{Limits, Node, TreeError};
use std::borrow::Cow;

/// How geometries without an srsName are read.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    /// The layer's CRS.
    pub epsg: u32,
    /// In that CRS's own axis order (latitude first for EPSG:4326) rather
    /// than x/y: WFS 1.1 advertises its default CRS as a URN, and GDAL
    /// writes its spatial filters in that order without naming the CRS.
    pub authority_axes: bool,
    /// What property names name.
    pub names: Names,
}

/// Whose properties a filter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Names {
    /// A feature type's (WFS): resolved against the service's namespace;
    /// spatial operators test `geom`.
    #[default]
    Features,
    /// A catalog's queryables (CSW): kept as written, for the catalog to
    /// look up; spatial operators test `ows:BoundingBox`.
    Catalog,
}

/// What a filter selects: an expression, or only feature identifiers
/// (FES 1.1 `FeatureId` / `GmlObjectId`, FES 2.0 `ResourceId`).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Expr(Expr),
    Ids(Vec<String>),
}

fn invalid(m: impl Into<String>) -> FilterError {
    FilterError::Invalid(m.into())
}

fn parse_tree(text: &str) -> Result<Node, FilterError> {
    let limits = Limits {
        max_bytes: MAX_BYTES,
        max_depth: MAX_DEPTH * 2,
        max_nodes: MAX_NODES,
    };
    geocentre_ogc::xml_tree::parse(text, limits).map_err(|e| match e {
        TreeError::TooDeep(_) => FilterError::TooDeep,
        TreeError::TooLarge(_) => FilterError::TooLarge,
        TreeError::Invalid(m) => invalid(format!("filter {m}")),
    })
}

/// The value reference of `n`, if it has one, as the property name the
/// filter tree uses: a property of the type by its local name, or a GML
/// standard property as `gml:{name}`. Its QName is resolved through the
/// bindings in scope (`ns`, then the element's own declarations);
/// anything else XPath can say is refused rather than guessed at.
fn value_ref_opt(n: &Node, ns: &Namespaces, d: Defaults) -> Result<Option<String>, FilterError> {
    let Some(v) = n
        .child("ValueReference")
        .or_else(|| n.child("PropertyName"))
    else {
        return Ok(None);
    };
    if d.names == Names::Catalog {
        // Catalog queryables are QNames of several namespaces (dc, dct,
        // csw, apiso, ows): the catalog looks them up as written.
        let t = v.text.trim();
        if t.is_empty() || t.len() > 256 {
            return Err(FilterError::UnknownProperty(v.text.clone()));
        }
        return Ok(Some(t.to_string()));
    }
    let scope = ns.with(&v.xmlns);
    match value_reference(&v.text, &scope) {
        Ok(PropertyRef::Own(name)) => Ok(Some(name)),
        Ok(PropertyRef::Gml(g)) => Ok(Some(g.to_string())),
        // Identifiers are selected by ResourceId, not compared.
        Ok(PropertyRef::Id) | Err(_) => Err(FilterError::UnknownProperty(v.text.clone())),
    }
}

fn value_ref(n: &Node, ns: &Namespaces, d: Defaults) -> Result<String, FilterError> {
    value_ref_opt(n, ns, d)?.ok_or_else(|| invalid(format!("{} needs a ValueReference", n.name)))
}

/// The geometry property of our features, the one a spatial operator
/// tests.
const GEOMETRY_PROPERTY: &str = "geom";

/// A spatial operator's value reference, when it has one, must name the
/// geometry property (FES 2.0 §7.8: the operand is geometry-valued; CITE's
/// ets-wfs20 BBOXTests.invalidGeometryOperand sends gml:description):
/// anything else is refused, not read as "the geometry". GML's envelope
/// and location properties are never written, so no operator tests them.
fn geometry_ref(n: &Node, ns: &Namespaces, d: Defaults) -> Result<(), FilterError> {
    match value_ref_opt(n, ns, d)? {
        None => Ok(()),
        Some(p) if d.names == Names::Catalog => {
            let local = p.rsplit(':').next().unwrap_or(&p);
            if local.eq_ignore_ascii_case("BoundingBox") {
                Ok(())
            } else {
                Err(invalid(format!(
                    "{}: '{p}' is not a geometry queryable (records have one: ows:BoundingBox)",
                    n.name
                )))
            }
        }
        Some(p) if p == GEOMETRY_PROPERTY => Ok(()),
        Some(p) => Err(invalid(format!(
            "{}: '{p}' is not a geometry property (features have one: {GEOMETRY_PROPERTY})",
            n.name
        ))),
    }
}

/// A property a comparison can use: not one of GML's complex ones.
fn comparable(prop: String, op: &str) -> Result<String, FilterError> {
    if GML_COMPLEX_PROPERTIES.contains(&prop.as_str()) {
        return Err(FilterError::NotComparable(format!(
            "{op}: {prop} is not a simple value and cannot be compared"
        )));
    }
    Ok(prop)
}

fn literal_of(n: &Node) -> Result<Literal, FilterError> {
    let l = n
        .child("Literal")
        .ok_or_else(|| invalid(format!("{} needs a Literal", n.name)))?;
    // FES 2.0 lets a Literal hold any XML (a gml:Envelope): such a value is
    // well-formed but not one a comparison of simple values can use.
    if let Some(c) = l.children.first() {
        return Err(FilterError::NotComparable(format!(
            "{}: a Literal holding a {} element cannot be compared",
            n.name, c.name
        )));
    }
    Ok(match l.text.parse::<f64>() {
        Ok(x) if !l.text.trim().is_empty() && l.text.trim() == l.text => Literal::Num(x),
        _ => Literal::Str(l.text.clone()),
    })
}

/// Parses a FES filter that holds an expression. Geometries without an
/// srsName are in the layer's CRS (`default_epsg`), x/y.
pub fn parse(text: &str, default_epsg: u32) -> Result<Expr, FilterError> {
    let d = Defaults {
        epsg: default_epsg,
        authority_axes: false,
        names: Names::Features,
    };
    match parse_filter(text, d, &Namespaces::default())? {
        Filter::Expr(e) => Ok(e),
        Filter::Ids(_) => Err(invalid("identifiers are not an expression")),
    }
}

/// Parses a FES 2.0 or 1.1 filter: an expression or identifiers. `ns`
/// binds the prefixes the filter uses without declaring them (the KVP
/// NAMESPACES, or the declarations around a POST's filter).
pub fn parse_filter(text: &str, d: Defaults, ns: &Namespaces) -> Result<Filter, FilterError> {
    let root = parse_tree(text)?;
    if root.name != "Filter" {
        return Ok(Filter::Expr(expr(&root, d, 0, ns)?));
    }
    let ns = &ns.with(&root.xmlns);
    let ids: Vec<String> = root
        .children
        .iter()
        .filter_map(|c| id_of(c).map(str::to_string))
        .collect();
    match (&root.children[..], ids.len()) {
        ([one], 0) => Ok(Filter::Expr(expr(one, d, 0, ns)?)),
        (all, n) if n > 0 && n == all.len() => Ok(Filter::Ids(ids)),
        (_, 0) => Err(invalid("a Filter holds one expression")),
        _ => Err(invalid(
            "identifiers cannot be mixed with other filter operators",
        )),
    }
}

fn expr(n: &Node, d: Defaults, depth: usize, ns: &Namespaces) -> Result<Expr, FilterError> {
    if depth > MAX_DEPTH {
        return Err(FilterError::TooDeep);
    }
    // The bindings in scope here: the element's own declarations win.
    let ns: Cow<Namespaces> = if n.xmlns.is_empty() {
        Cow::Borrowed(ns)
    } else {
        Cow::Owned(ns.with(&n.xmlns))
    };
    let ns = ns.as_ref();
    let cmp = |op| -> Result<Expr, FilterError> {
        // FES 2.0 §7.7.3.3: how a multi-valued property matches. Ours
        // occur once, where Any, All and One agree.
        if let Some(m) = n.attr("matchAction") {
            if !matches!(m, "Any" | "All" | "One") {
                return Err(invalid(format!(
                    "matchAction must be Any, All or One, not '{m}'"
                )));
            }
        }
        let prop = comparable(value_ref(n, ns, d)?, &n.name)?;
        let value = literal_of(n)?;
        // matchCase="false" (FES 1.1 and 2.0) on text equality: a LIKE
        // without wildcards, case-blind.
        if let (Literal::Str(s), Some("false"), CmpOp::Eq | CmpOp::Ne) =
            (&value, n.attr("matchCase"), op)
        {
            let same = case_blind_equal(prop, s);
            return Ok(if op == CmpOp::Eq {
                same
            } else {
                Expr::Not(Box::new(same))
            });
        }
        Ok(Expr::Cmp { prop, op, value })
    };
    let attr = |k: &str| {
        n.attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    };
    let one_char = |k: &str, d: char| -> Result<char, FilterError> {
        match attr(k) {
            None => Ok(d),
            Some(v) => {
                let mut c = v.chars();
                match (c.next(), c.next()) {
                    (Some(x), None) => Ok(x),
                    _ => Err(invalid(format!("{k} must be one character"))),
                }
            }
        }
    };
    Ok(match n.name.as_str() {
        "And" | "Or" => {
            let v = n
                .children
                .iter()
                .map(|c| expr(c, d, depth + 1, ns))
                .collect::<Result<Vec<_>, _>>()?;
            if n.name == "And" {
                Expr::And(v)
            } else {
                Expr::Or(v)
            }
        }
        "Not" => match &n.children[..] {
            [c] => Expr::Not(Box::new(expr(c, d, depth + 1, ns)?)),
            _ => return Err(invalid("Not holds one expression")),
        },
        "PropertyIsEqualTo" => cmp(CmpOp::Eq)?,
        "PropertyIsNotEqualTo" => cmp(CmpOp::Ne)?,
        "PropertyIsLessThan" => cmp(CmpOp::Lt)?,
        "PropertyIsLessThanOrEqualTo" => cmp(CmpOp::Le)?,
        "PropertyIsGreaterThan" => cmp(CmpOp::Gt)?,
        "PropertyIsGreaterThanOrEqualTo" => cmp(CmpOp::Ge)?,
        "PropertyIsLike" => Expr::Like {
            prop: comparable(value_ref(n, ns, d)?, &n.name)?,
            pattern: n
                .child("Literal")
                .map(|l| l.text.clone())
                .ok_or_else(|| invalid("PropertyIsLike needs a Literal"))?,
            wildcard: one_char("wildCard", '*')?,
            single: one_char("singleChar", '?')?,
            // `escape` is FES 1.0's name, still written by 1.1 clients.
            escape: match attr("escapeChar") {
                Some(_) => one_char("escapeChar", '\\')?,
                None => one_char("escape", '\\')?,
            },
            case_insensitive: attr("matchCase") == Some("false"),
        },
        "PropertyIsNull" => Expr::IsNull(value_ref(n, ns, d)?),
        // `nilReason` only narrows what never holds here.
        "PropertyIsNil" => Expr::IsNil(value_ref(n, ns, d)?),
        "PropertyIsBetween" => {
            let bound = |k: &str| -> Result<Literal, FilterError> {
                n.child(k)
                    .ok_or_else(|| invalid(format!("PropertyIsBetween needs {k}")))
                    .and_then(literal_of)
            };
            Expr::Between {
                prop: comparable(value_ref(n, ns, d)?, &n.name)?,
                low: bound("LowerBoundary")?,
                high: bound("UpperBoundary")?,
            }
        }
        "BBOX" => {
            geometry_ref(n, ns, d)?;
            let env = n
                .children
                .iter()
                .find(|c| c.name == "Envelope" || c.name == "Box")
                .ok_or_else(|| invalid("BBOX needs a gml:Envelope"))?;
            Expr::Spatial {
                op: SpatialOp::Intersects,
                geometry: envelope(env, d)?,
            }
        }
        "Intersects" | "Within" | "Contains" | "Disjoint" | "DWithin" => {
            geometry_ref(n, ns, d)?;
            let g = n
                .children
                .iter()
                .find(|c| {
                    !matches!(
                        c.name.as_str(),
                        "ValueReference" | "PropertyName" | "Distance"
                    )
                })
                .ok_or_else(|| invalid(format!("{} needs a GML geometry", n.name)))?;
            let op = match n.name.as_str() {
                "Intersects" => SpatialOp::Intersects,
                "Within" => SpatialOp::Within,
                "Contains" => SpatialOp::Contains,
                "Disjoint" => SpatialOp::Disjoint,
                _ => SpatialOp::DWithin(
                    n.child("Distance")
                        .and_then(|d| d.text.trim().parse::<f64>().ok())
                        .filter(|d| d.is_finite() && *d >= 0.0)
                        .ok_or_else(|| invalid("DWithin needs a non-negative Distance"))?,
                ),
            };
            let geometry = if g.name == "Envelope" || g.name == "Box" {
                envelope(g, d)?
            } else {
                let (epsg, authority_axes) = crs_of(g, d)?;
                // Coordinates are kept as written: their order is the one
                // the srsName (or the default) implies.
                let wkt = crate::geometry::gml_to_wkt(g)
                    .map_err(|e| invalid(format!("GML geometry: {e}")))?;
                FilterGeometry {
                    wkt,
                    epsg,
                    authority_axes,
                }
            };
            Expr::Spatial { op, geometry }
        }
        "After" | "Before" | "During" | "TEquals" => {
            let op = match n.name.as_str() {
                "After" => TemporalOp::After,
                "Before" => TemporalOp::Before,
                "During" => TemporalOp::During,
                _ => TemporalOp::TEquals,
            };
            let operand = n
                .children
                .iter()
                .find(|c| !matches!(c.name.as_str(), "ValueReference" | "PropertyName"))
                .ok_or_else(|| invalid(format!("{} needs a time operand", n.name)))
                .and_then(time_operand)?;
            Expr::Temporal {
                prop: comparable(value_ref(n, ns, d)?, &n.name)?,
                op,
                operand,
            }
        }
        other => {
            return Err(invalid(format!(
                "filter operator '{other}' is not supported"
            )))
        }
    })
}

/// The operand of a temporal operator (FES 2.0 §7.14.2): a
/// gml:TimeInstant, a gml:TimePeriod (bounds as `beginPosition` /
/// `endPosition` or `begin` / `end` instants), or a fes:Literal holding one
/// of them or a date or date-time. A date names its whole day (and a
/// period from one date to another runs from the first one's start to the
/// second one's end).
fn time_operand(n: &Node) -> Result<TimeSpan, FilterError> {
    match n.name.as_str() {
        "Literal" => match n.children.first() {
            Some(c) => time_operand(c),
            None => position(n),
        },
        "TimeInstant" => n
            .child("timePosition")
            .ok_or_else(|| invalid("gml:TimeInstant needs a gml:timePosition"))
            .and_then(position),
        "TimePeriod" => {
            let bound = |pos: &str, instant: &str| -> Result<TimeSpan, FilterError> {
                match (n.child(pos), n.child(instant)) {
                    (Some(p), _) => position(p),
                    (None, Some(b)) => b
                        .child("TimeInstant")
                        .ok_or_else(|| invalid(format!("gml:{instant} needs a gml:TimeInstant")))
                        .and_then(time_operand),
                    (None, None) => Err(invalid(format!(
                        "gml:TimePeriod needs gml:{pos} or gml:{instant}"
                    ))),
                }
            };
            let (begin, end) = (
                bound("beginPosition", "begin")?,
                bound("endPosition", "end")?,
            );
            if begin.first > end.last {
                return Err(invalid("gml:TimePeriod ends before it begins"));
            }
            Ok(TimeSpan {
                first: begin.first,
                last: end.last,
            })
        }
        other => Err(invalid(format!(
            "'{other}' is not a time (gml:TimeInstant, gml:TimePeriod or a date in fes:Literal)"
        ))),
    }
}

/// A time position (ISO 8601, the default frame): a date or date-time,
/// or the indeterminate positions `now` and `unknown` (an open end).
fn position(n: &Node) -> Result<TimeSpan, FilterError> {
    if let Some(frame) = n.attr("frame") {
        if frame != "#ISO-8601" {
            return Err(invalid(format!(
                "time frame '{frame}' is not supported (ISO 8601 only)"
            )));
        }
    }
    match n.attr("indeterminatePosition") {
        None => {}
        Some("now") => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as i128);
            return Ok(TimeSpan {
                first: now,
                last: now,
            });
        }
        Some("unknown") if n.text.trim().is_empty() => {
            return Ok(TimeSpan {
                first: i128::MIN,
                last: i128::MAX,
            })
        }
        Some(other) => {
            return Err(invalid(format!(
                "indeterminate position '{other}' is not supported (now, unknown)"
            )))
        }
    }
    TimeSpan::parse(&n.text).map_err(|e| {
        invalid(format!(
            "'{}' is not a date or date-time: {e}",
            n.text.trim()
        ))
    })
}

/// The identifier an Id operator names, if `n` is one.
fn id_of(n: &Node) -> Option<&str> {
    match n.name.as_str() {
        "FeatureId" => n.attr("fid"),
        "GmlObjectId" => n.attr("id"),
        "ResourceId" => n.attr("rid"),
        _ => None,
    }
}

/// Equality to `s` whatever the case: its own marks escaped.
fn case_blind_equal(prop: String, s: &str) -> Expr {
    let mut pattern = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    Expr::Like {
        prop,
        pattern,
        wildcard: '*',
        single: '?',
        escape: '\\',
        case_insensitive: true,
    }
}

/// The EPSG code and axis order of a geometry element: its srsName, or
/// the defaults.
fn crs_of(g: &Node, d: Defaults) -> Result<(u32, bool), FilterError> {
    match g.attr("srsName") {
        Some(s) => Ok((
            srs_epsg(s).ok_or_else(|| invalid(format!("unknown srsName '{s}'")))?,
            !xy_axes(s),
        )),
        None => Ok((d.epsg, d.authority_axes)),
    }
}

/// A gml:Envelope (GML 3: lowerCorner/upperCorner, or two pos) or a
/// gml:Box (GML 2, GDAL's BBOX in WFS 1.1: coordinates or two coord), as
/// a rectangle in its CRS, coordinates as written.
fn envelope(env: &Node, d: Defaults) -> Result<FilterGeometry, FilterError> {
    let numbers = |text: &str, what: &str| -> Result<Vec<f64>, FilterError> {
        text.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<f64>()
                    .map_err(|_| invalid(format!("{what}: not numbers")))
            })
            .collect()
    };
    let corners: Vec<f64> =
        if let (Some(lo), Some(hi)) = (env.child("lowerCorner"), env.child("upperCorner")) {
            let mut v = numbers(&lo.text, "lowerCorner")?;
            v.truncate(2);
            v.extend(numbers(&hi.text, "upperCorner")?.into_iter().take(2));
            v
        } else if let Some(c) = env.child("coordinates") {
            let (cs, ts) = (c.attr("cs").unwrap_or(","), c.attr("ts").unwrap_or(" "));
            let mut v = Vec::new();
            for tuple in c.text.split(ts).filter(|t| !t.trim().is_empty()) {
                v.extend(
                    numbers(&tuple.replace(cs, " "), "coordinates")?
                        .into_iter()
                        .take(2),
                );
            }
            v
        } else {
            let mut v = Vec::new();
            for p in env.children_named("pos") {
                v.extend(numbers(&p.text, "pos")?.into_iter().take(2));
            }
            for c in env.children_named("coord") {
                for axis in ["X", "Y"] {
                    let t = c
                        .child(axis)
                        .ok_or_else(|| invalid(format!("coord needs {axis}")))?;
                    v.extend(numbers(&t.text, "coord")?);
                }
            }
            v
        };
    let [a, b, c, e] = corners[..] else {
        return Err(invalid(format!(
            "{} needs two corners of two numbers",
            env.name
        )));
    };
    // Checked as the services check a BBOX parameter: finite, and the
    // lower corner below the upper one on each axis.
    let [a, b, c, e] = geocentre_core::bbox::checked([a, b, c, e])
        .map_err(|err| invalid(format!("{}: {err}", env.name)))?;
    let (epsg, authority_axes) = crs_of(env, d)?;
    Ok(FilterGeometry {
        wkt: format!("POLYGON(({a} {b},{c} {b},{c} {e},{a} {e},{a} {b}))"),
        epsg,
        authority_axes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without outer bindings (shadows the glob import).
    fn parse_filter(text: &str, d: Defaults) -> Result<Filter, FilterError> {
        super::parse_filter(text, d, &Namespaces::default())
    }

    #[test]
    fn value_references_are_resolved_in_scope() {
        let null = |decl: &str, r: &str| {
            format!(
                r#"<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" {decl}><fes:PropertyIsNull><fes:ValueReference>{r}</fes:ValueReference></fes:PropertyIsNull></fes:Filter>"#
            )
        };
        let prop = |f: &str, ns: &Namespaces| match super::parse_filter(f, D11, ns) {
            Ok(Filter::Expr(Expr::IsNull(p))) => Ok(p),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e),
        };
        let none = Namespaces::default();
        let gml = r#"xmlns:gml="http://www.opengis.net/gml/3.2""#;
        let ours = r#"xmlns:t="urn:x-geocentre:features""#;
        assert_eq!(prop(&null(gml, "gml:name"), &none), Ok("gml:name".into()));
        // The conventional prefix, undeclared; GML 3.1.1's namespace too.
        assert_eq!(
            prop(&null("", "gml:boundedBy"), &none),
            Ok("gml:boundedBy".into())
        );
        assert_eq!(
            prop(
                &null(r#"xmlns:g="http://www.opengis.net/gml""#, "g:identifier"),
                &none
            ),
            Ok("gml:identifier".into())
        );
        assert_eq!(prop(&null(ours, "t:nom"), &none), Ok("nom".into()));
        assert_eq!(prop(&null("", "./nom[1]"), &none), Ok("nom".into()));
        // Bound outside the filter (NAMESPACES, a POST's root).
        let outer = Namespaces::parse("xmlns(h,http://www.opengis.net/gml/3.2)").unwrap();
        assert_eq!(prop(&null("", "h:name"), &outer), Ok("gml:name".into()));
        for (decl, r) in [
            (gml, "gml:nom"),
            (r#"xmlns:x="http://example.org""#, "x:nom"),
            ("", "nom/x"),
            ("", "@gml:id"),
            ("", "nom[2]"),
        ] {
            assert!(
                matches!(
                    prop(&null(decl, r), &none),
                    Err(FilterError::UnknownProperty(_))
                ),
                "{r}"
            );
        }
    }

    #[test]
    fn spatial_operators_test_the_geometry_property_only() {
        let bbox = |r: &str| {
            format!(
                r#"<Filter xmlns:gml="http://www.opengis.net/gml/3.2"><BBOX>{r}<gml:Envelope srsName="EPSG:2154"><gml:lowerCorner>0 0</gml:lowerCorner><gml:upperCorner>1 1</gml:upperCorner></gml:Envelope></BBOX></Filter>"#
            )
        };
        for ok in [
            "",
            "<ValueReference>geom</ValueReference>",
            "<ValueReference>gc:geom</ValueReference>",
        ] {
            assert!(parse(&bbox(ok), 2154).is_ok(), "{ok}");
        }
        for bad in [
            "<ValueReference>gml:description</ValueReference>",
            "<ValueReference>nom</ValueReference>",
            "<ValueReference>gml:boundedBy</ValueReference>",
            "<ValueReference>nope/x</ValueReference>",
        ] {
            assert!(parse(&bbox(bad), 2154).is_err(), "{bad}");
        }
        let inter = r#"<Filter xmlns:gml="http://www.opengis.net/gml/3.2"><Intersects><ValueReference>nom</ValueReference><gml:Point srsName="EPSG:2154"><gml:pos>1 1</gml:pos></gml:Point></Intersects></Filter>"#;
        assert!(parse(inter, 2154).is_err());
        assert!(parse(&inter.replace(">nom<", ">geom<"), 2154).is_ok());
    }

    #[test]
    fn complex_operands_are_not_comparable() {
        let f = r#"<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"><fes:PropertyIsLessThanOrEqualTo><fes:Literal><gml:Envelope><gml:lowerCorner>0 0</gml:lowerCorner><gml:upperCorner>1 1</gml:upperCorner></gml:Envelope></fes:Literal><fes:ValueReference>REF</fes:ValueReference></fes:PropertyIsLessThanOrEqualTo></fes:Filter>"#;
        for r in ["gml:boundedBy", "nom"] {
            assert!(
                matches!(
                    parse(&f.replace("REF", r), 2154),
                    Err(FilterError::NotComparable(_))
                ),
                "{r}"
            );
        }
        let text = r#"<Filter><PropertyIsEqualTo><ValueReference>gml:boundedBy</ValueReference><Literal>1</Literal></PropertyIsEqualTo></Filter>"#;
        assert!(matches!(
            parse(text, 2154),
            Err(FilterError::NotComparable(_))
        ));
        let name = text.replace("boundedBy", "name");
        assert!(parse(&name, 2154).is_ok());
    }

    #[test]
    fn comparison_like_and_logic() {
        let f = r#"<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:And>
            <fes:PropertyIsEqualTo><fes:ValueReference>gc:code</fes:ValueReference><fes:Literal>45234</fes:Literal></fes:PropertyIsEqualTo>
            <fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!"><fes:ValueReference>nom</fes:ValueReference><fes:Literal>Orl*</fes:Literal></fes:PropertyIsLike>
            <fes:Not><fes:PropertyIsNull><fes:ValueReference>nom</fes:ValueReference></fes:PropertyIsNull></fes:Not>
        </fes:And></fes:Filter>"#;
        let e = parse(f, 2154).unwrap();
        let Expr::And(v) = e else { panic!("{e:?}") };
        assert_eq!(v.len(), 3);
        assert!(matches!(
            &v[1],
            Expr::Like {
                wildcard: '*',
                single: '.',
                escape: '!',
                ..
            }
        ));
    }

    #[test]
    fn doctype_and_entities_are_refused() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]><fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo><fes:ValueReference>nom</fes:ValueReference><fes:Literal>&x;</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>"#;
        // Refused by the element tree for its DOCTYPE, before any entity.
        match parse(xxe, 2154) {
            Err(FilterError::Invalid(m)) => assert!(m.contains("DOCTYPE"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn xpath_and_function_names_are_not_properties() {
        for p in ["exec(x)", "../x", "a/b", "@id"] {
            let f = format!(
                r#"<Filter><PropertyIsEqualTo><ValueReference>{p}</ValueReference><Literal>1</Literal></PropertyIsEqualTo></Filter>"#
            );
            assert!(
                matches!(parse(&f, 2154), Err(FilterError::UnknownProperty(_))),
                "{p}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut f =
            String::from("<PropertyIsNull><ValueReference>nom</ValueReference></PropertyIsNull>");
        for _ in 0..2000 {
            f = format!("<Not>{f}</Not>");
        }
        assert_eq!(
            parse(&format!("<Filter>{f}</Filter>"), 2154),
            Err(FilterError::TooDeep)
        );
    }

    const OGC: &str =
        r#"xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml""#;
    const D11: Defaults = Defaults {
        epsg: 4326,
        authority_axes: true,
        names: Names::Features,
    };

    #[test]
    fn fes11_comparisons_like_and_unknown_names() {
        let f = format!(
            r#"<ogc:Filter {OGC}><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>gc:code</ogc:PropertyName><ogc:Literal>45234</ogc:Literal></ogc:PropertyIsEqualTo>
            <ogc:PropertyIsLike wildCard="%" singleChar="_" escape="!"><ogc:PropertyName>nom</ogc:PropertyName><ogc:Literal>Orl%</ogc:Literal></ogc:PropertyIsLike></ogc:And></ogc:Filter>"#
        );
        let Ok(Filter::Expr(Expr::And(v))) = parse_filter(&f, D11) else {
            panic!("{:?}", parse_filter(&f, D11))
        };
        assert!(matches!(&v[0], Expr::Cmp { prop, value: Literal::Num(_), .. } if prop == "code"));
        assert!(matches!(
            &v[1],
            Expr::Like {
                wildcard: '%',
                single: '_',
                escape: '!',
                ..
            }
        ));
        let bad = format!(
            r#"<ogc:Filter {OGC}><ogc:PropertyIsEqualTo><ogc:PropertyName>exec(x)</ogc:PropertyName><ogc:Literal>1</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"#
        );
        assert!(matches!(
            parse_filter(&bad, D11),
            Err(FilterError::UnknownProperty(_))
        ));
    }

    #[test]
    fn match_case_false_is_a_case_blind_equality() {
        let f = r#"<Filter><PropertyIsEqualTo matchCase="false"><PropertyName>nom</PropertyName><Literal>a*b</Literal></PropertyIsEqualTo></Filter>"#;
        let e = parse(f, 2154).expect("parses");
        assert!(
            matches!(&e, Expr::Like { pattern, case_insensitive: true, .. } if pattern == "a\\*b"),
            "{e:?}"
        );
    }

    #[test]
    fn gdal_box_is_read_in_the_default_axis_order() {
        // GDAL's WFS 1.1 BBOX: a GML 2 Box, no srsName, latitude first.
        let f = r#"<Filter xmlns="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml"><BBOX><PropertyName>geom</PropertyName><gml:Box><gml:coordinates>47.8,1.8 47.95,2.0</gml:coordinates></gml:Box></BBOX></Filter>"#;
        let Ok(Filter::Expr(Expr::Spatial { geometry, .. })) = parse_filter(f, D11) else {
            panic!()
        };
        assert_eq!(geometry.epsg, 4326);
        assert!(geometry.authority_axes);
        assert!(
            geometry.wkt.starts_with("POLYGON((47.8 1.8,"),
            "{}",
            geometry.wkt
        );
        // A short srsName is x/y, a URN the CRS's order.
        for (srs, authority) in [("EPSG:4326", false), ("urn:x-ogc:def:crs:EPSG:4326", true)] {
            let f = format!(
                r#"<Filter><BBOX><Envelope srsName="{srs}"><lowerCorner>1 2</lowerCorner><upperCorner>3 4</upperCorner></Envelope></BBOX></Filter>"#
            );
            let Ok(Filter::Expr(Expr::Spatial { geometry, .. })) = parse_filter(&f, D11) else {
                panic!()
            };
            assert_eq!(geometry.authority_axes, authority, "{srs}");
        }
    }

    #[test]
    fn envelopes_are_finite_and_ordered() {
        let env = |lo: &str, hi: &str| {
            format!(
                r#"<Filter><BBOX><Envelope srsName="EPSG:4326"><lowerCorner>{lo}</lowerCorner><upperCorner>{hi}</upperCorner></Envelope></BBOX></Filter>"#
            )
        };
        assert!(parse_filter(&env("1 2", "3 4"), D11).is_ok());
        for (lo, hi) in [
            ("3 4", "1 2"),
            ("1 4", "3 2"),
            ("NaN NaN", "NaN NaN"),
            ("-inf -inf", "inf inf"),
            ("-1e400 2", "3 4"),
        ] {
            let Err(e) = parse_filter(&env(lo, hi), D11) else {
                panic!("{lo} / {hi} accepted")
            };
            assert!(e.to_string().contains("Envelope"), "{e}");
        }
    }

    #[test]
    fn gml311_and_gml2_geometries() {
        for g in [
            r#"<gml:Polygon srsName="EPSG:2154"><gml:exterior><gml:LinearRing><gml:posList>0 0 10 0 10 10 0 0</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"#,
            r#"<gml:Polygon srsName="EPSG:2154"><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>0,0 10,0 10,10 0,0</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>"#,
        ] {
            let f = format!(
                r#"<ogc:Filter {OGC}><ogc:Intersects><ogc:PropertyName>geom</ogc:PropertyName>{g}</ogc:Intersects></ogc:Filter>"#
            );
            let Ok(Filter::Expr(Expr::Spatial { geometry, .. })) = parse_filter(&f, D11) else {
                panic!("{g}")
            };
            assert_eq!((geometry.epsg, geometry.authority_axes), (2154, false));
            assert!(
                geometry.wkt.starts_with("POLYGON ((0 0,10 0"),
                "{}",
                geometry.wkt
            );
        }
    }

    #[test]
    fn gml_standard_properties_are_absent() {
        // GML's own properties are properties of every feature, which no
        // geocentre feature carries: they reach the evaluator by their
        // `gml:` name, where they are absent (PropertyIsNull holds, no
        // comparison does); geometry-valued ones cannot be compared.
        let f = |body: &str| {
            parse(
                &format!(
                    r#"<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">{body}</fes:Filter>"#
                ),
                4326,
            )
        };
        let null = f("<fes:PropertyIsNull><fes:ValueReference>gml:name</fes:ValueReference></fes:PropertyIsNull>");
        assert_eq!(null, Ok(Expr::IsNull("gml:name".into())));
        assert_eq!(null.unwrap().check(&[]), Ok(()));
        let eq = f("<fes:PropertyIsEqualTo><fes:ValueReference>gml:description</fes:ValueReference><fes:Literal>x</fes:Literal></fes:PropertyIsEqualTo>");
        assert!(
            matches!(&eq, Ok(Expr::Cmp { prop, .. }) if prop == "gml:description"),
            "{eq:?}"
        );
        let geom = f("<fes:PropertyIsLessThanOrEqualTo><fes:ValueReference>gml:boundedBy</fes:ValueReference><fes:Literal>1</fes:Literal></fes:PropertyIsLessThanOrEqualTo>");
        assert!(
            matches!(geom, Err(FilterError::NotComparable(_))),
            "{geom:?}"
        );
        // geocentre's conventional prefix: a property of the type.
        let own = f("<fes:PropertyIsNull><fes:ValueReference>gc:name</fes:ValueReference></fes:PropertyIsNull>");
        assert_eq!(own, Ok(Expr::IsNull("name".into())));
    }

    #[test]
    fn temporal_operators_and_their_operands() {
        let f = |body: &str| {
            parse(
                &format!(
                    r#"<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">{body}</fes:Filter>"#
                ),
                4326,
            )
        };
        let span = |t: &str| TimeSpan::parse(t).unwrap();
        let during = f(
            r#"<fes:During><fes:ValueReference>gc:dateLeve</fes:ValueReference><gml:TimePeriod gml:id="p"><gml:beginPosition>2019-12-01</gml:beginPosition><gml:endPosition>2020-01-31T12:00:00Z</gml:endPosition></gml:TimePeriod></fes:During>"#,
        );
        assert_eq!(
            during,
            Ok(Expr::Temporal {
                prop: "dateLeve".into(),
                op: TemporalOp::During,
                operand: TimeSpan {
                    first: span("2019-12-01").first,
                    last: span("2020-01-31T12:00:00Z").last
                },
            })
        );
        // begin/end instants, a TimeInstant, a Literal holding either or a date.
        let nested = f(
            r#"<fes:During><fes:ValueReference>d</fes:ValueReference><gml:TimePeriod gml:id="p"><gml:begin><gml:TimeInstant gml:id="a"><gml:timePosition>2019-12-01</gml:timePosition></gml:TimeInstant></gml:begin><gml:end><gml:TimeInstant gml:id="b"><gml:timePosition>2020-01-31T12:00:00Z</gml:timePosition></gml:TimeInstant></gml:end></gml:TimePeriod></fes:During>"#,
        );
        assert_eq!(
            nested,
            during.map(|e| match e {
                Expr::Temporal { op, operand, .. } => Expr::Temporal {
                    prop: "d".into(),
                    op,
                    operand
                },
                e => e,
            })
        );
        for (op, want) in [
            ("After", TemporalOp::After),
            ("Before", TemporalOp::Before),
            ("TEquals", TemporalOp::TEquals),
        ] {
            for operand in [
                r#"<gml:TimeInstant gml:id="i"><gml:timePosition>2019-12-31</gml:timePosition></gml:TimeInstant>"#,
                r#"<fes:Literal><gml:TimeInstant gml:id="i"><gml:timePosition>2019-12-31</gml:timePosition></gml:TimeInstant></fes:Literal>"#,
                "<fes:Literal>2019-12-31</fes:Literal>",
            ] {
                let e = f(&format!(
                    "<fes:{op}><fes:ValueReference>d</fes:ValueReference>{operand}</fes:{op}>"
                ));
                assert_eq!(
                    e,
                    Ok(Expr::Temporal {
                        prop: "d".into(),
                        op: want,
                        operand: span("2019-12-31")
                    }),
                    "{op} {operand}"
                );
            }
        }
        // An open end.
        let open = f(
            r#"<fes:During><fes:ValueReference>d</fes:ValueReference><gml:TimePeriod gml:id="p"><gml:beginPosition>2019-01-01</gml:beginPosition><gml:endPosition indeterminatePosition="unknown"/></gml:TimePeriod></fes:During>"#,
        );
        assert!(
            matches!(
                open,
                Ok(Expr::Temporal {
                    operand: TimeSpan {
                        last: i128::MAX,
                        ..
                    },
                    ..
                })
            ),
            "{open:?}"
        );
        // Refused: no operand, an impossible date, a period backwards, a
        // geometry as operand, another frame.
        for bad in [
            "<fes:After><fes:ValueReference>d</fes:ValueReference></fes:After>",
            "<fes:After><fes:ValueReference>d</fes:ValueReference><fes:Literal>2019-02-29</fes:Literal></fes:After>",
            "<fes:After><fes:ValueReference>d</fes:ValueReference><fes:Literal>hier</fes:Literal></fes:After>",
            r#"<fes:During><fes:ValueReference>d</fes:ValueReference><gml:TimePeriod gml:id="p"><gml:beginPosition>2020-01-01</gml:beginPosition><gml:endPosition>2019-01-01</gml:endPosition></gml:TimePeriod></fes:During>"#,
            r#"<fes:During><fes:ValueReference>d</fes:ValueReference><gml:Point gml:id="p"><gml:pos>1 2</gml:pos></gml:Point></fes:During>"#,
            r#"<fes:After><fes:ValueReference>d</fes:ValueReference><gml:TimeInstant gml:id="i"><gml:timePosition frame="urn:x:julian">2019-12-31</gml:timePosition></gml:TimeInstant></fes:After>"#,
        ] {
            assert!(matches!(f(bad), Err(FilterError::Invalid(_))), "{bad}: {:?}", f(bad));
        }
        // GML's own properties reach the evaluator by their `gml:` name,
        // where they are absent: no temporal relation holds.
        let absent = f(
            r#"<fes:After><fes:ValueReference>gml:name</fes:ValueReference><fes:Literal>2019-12-31</fes:Literal></fes:After>"#,
        );
        assert!(
            matches!(&absent, Ok(Expr::Temporal { prop, .. }) if prop == "gml:name"),
            "{absent:?}"
        );
    }

    #[test]
    fn identifiers() {
        let f = format!(
            r#"<ogc:Filter {OGC}><ogc:GmlObjectId gml:id="a.b.1"/><ogc:FeatureId fid="a.b.2"/></ogc:Filter>"#
        );
        assert_eq!(
            parse_filter(&f, D11),
            Ok(Filter::Ids(vec!["a.b.1".into(), "a.b.2".into()]))
        );
        let mixed = r#"<Filter><FeatureId fid="a.b.2"/><PropertyIsNull><PropertyName>nom</PropertyName></PropertyIsNull></Filter>"#;
        assert!(parse_filter(mixed, D11).is_err());
        assert!(parse(&f, 4326).is_err());
    }
}
