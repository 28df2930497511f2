//! FES 2.0 filters (WFS 2.0 `FILTER`) into the shared filter tree. The
//! shared element tree (`geocentre_ogc::xml_tree`) never resolves entities
//! or DTDs: a document type declaration is refused outright, and depth and
//! size are bounded.

use crate::filter::{
    CmpOp, Expr, FilterError, FilterGeometry, Literal, SpatialOp, MAX_DEPTH, MAX_NODES,
};

/// Longest filter document accepted.
pub const MAX_BYTES: usize = 256 * 1024;

use geocentre_ogc::xml_tree::{Limits, Node, TreeError};

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

fn value_ref(n: &Node) -> Result<String, FilterError> {
    let v = n
        .child("ValueReference")
        .or_else(|| n.child("PropertyName"))
        .ok_or_else(|| invalid(format!("{} needs a ValueReference", n.name)))?;
    // A plain property name: a prefix is dropped, anything XPath-like is
    // refused rather than guessed at.
    let name = v.text.rsplit(':').next().unwrap_or("").to_string();
    if name.is_empty() || name.contains(['/', '[', '(', '@', ' ']) {
        return Err(FilterError::UnknownProperty(v.text.clone()));
    }
    Ok(name)
}

fn literal_of(n: &Node) -> Result<Literal, FilterError> {
    let l = n
        .child("Literal")
        .ok_or_else(|| invalid(format!("{} needs a Literal", n.name)))?;
    Ok(match l.text.parse::<f64>() {
        Ok(x) if !l.text.trim().is_empty() && l.text.trim() == l.text => Literal::Num(x),
        _ => Literal::Str(l.text.clone()),
    })
}

/// Parses a FES 2.0 filter. Geometries without an srsName are in the
/// layer's CRS (`default_epsg`).
pub fn parse(text: &str, default_epsg: u32) -> Result<Expr, FilterError> {
    let root = parse_tree(text)?;
    let root = if root.name == "Filter" {
        match &root.children[..] {
            [one] => one,
            _ => return Err(invalid("a Filter holds one expression")),
        }
    } else {
        &root
    };
    expr(root, text, default_epsg, 0)
}

fn expr(n: &Node, src: &str, epsg: u32, depth: usize) -> Result<Expr, FilterError> {
    if depth > MAX_DEPTH {
        return Err(FilterError::TooDeep);
    }
    let cmp = |op| -> Result<Expr, FilterError> {
        Ok(Expr::Cmp {
            prop: value_ref(n)?,
            op,
            value: literal_of(n)?,
        })
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
                .map(|c| expr(c, src, epsg, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            if n.name == "And" {
                Expr::And(v)
            } else {
                Expr::Or(v)
            }
        }
        "Not" => match &n.children[..] {
            [c] => Expr::Not(Box::new(expr(c, src, epsg, depth + 1)?)),
            _ => return Err(invalid("Not holds one expression")),
        },
        "PropertyIsEqualTo" => cmp(CmpOp::Eq)?,
        "PropertyIsNotEqualTo" => cmp(CmpOp::Ne)?,
        "PropertyIsLessThan" => cmp(CmpOp::Lt)?,
        "PropertyIsLessThanOrEqualTo" => cmp(CmpOp::Le)?,
        "PropertyIsGreaterThan" => cmp(CmpOp::Gt)?,
        "PropertyIsGreaterThanOrEqualTo" => cmp(CmpOp::Ge)?,
        "PropertyIsLike" => Expr::Like {
            prop: value_ref(n)?,
            pattern: n
                .child("Literal")
                .map(|l| l.text.clone())
                .ok_or_else(|| invalid("PropertyIsLike needs a Literal"))?,
            wildcard: one_char("wildCard", '*')?,
            single: one_char("singleChar", '?')?,
            escape: one_char("escapeChar", '\\')?,
            case_insensitive: attr("matchCase") == Some("false"),
        },
        "PropertyIsNull" => Expr::IsNull(value_ref(n)?),
        "PropertyIsBetween" => {
            let bound = |k: &str| -> Result<Literal, FilterError> {
                n.child(k)
                    .ok_or_else(|| invalid(format!("PropertyIsBetween needs {k}")))
                    .and_then(literal_of)
            };
            Expr::Between {
                prop: value_ref(n)?,
                low: bound("LowerBoundary")?,
                high: bound("UpperBoundary")?,
            }
        }
        "BBOX" => {
            let env = n
                .children
                .iter()
                .find(|c| c.name == "Envelope")
                .ok_or_else(|| invalid("BBOX needs a gml:Envelope"))?;
            let corner = |k: &str| -> Result<Vec<f64>, FilterError> {
                env.child(k)
                    .ok_or_else(|| invalid(format!("Envelope needs {k}")))?
                    .text
                    .split_whitespace()
                    .map(|v| {
                        v.parse::<f64>()
                            .map_err(|_| invalid(format!("{k}: not numbers")))
                    })
                    .collect()
            };
            let (lo, hi) = (corner("lowerCorner")?, corner("upperCorner")?);
            let (srs, code) = match env.attrs.iter().find(|(k, _)| k == "srsName") {
                Some((_, s)) => (
                    Some(s.as_str()),
                    geocentre_core::crs_name::epsg_code(s)
                        .ok_or_else(|| invalid(format!("unknown srsName '{s}'")))?,
                ),
                None => (None, epsg),
            };
            let (Some(&a), Some(&b), Some(&c), Some(&d)) =
                (lo.first(), lo.get(1), hi.first(), hi.get(1))
            else {
                return Err(invalid("Envelope corners need two numbers"));
            };
            // EPSG:4326 named as a URN is latitude first.
            let [x0, y0, x1, y1] = if code == 4326 && srs.is_some_and(|s| !s.starts_with("EPSG:")) {
                [b, a, d, c]
            } else {
                [a, b, c, d]
            };
            Expr::Spatial {
                op: SpatialOp::Intersects,
                geometry: FilterGeometry {
                    wkt: format!("POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"),
                    epsg: code,
                    authority_axes: false,
                },
            }
        }
        "Intersects" | "Within" | "Contains" | "Disjoint" | "DWithin" => {
            let g = n
                .children
                .iter()
                .find(|c| c.name != "ValueReference" && c.name != "Distance")
                .ok_or_else(|| invalid(format!("{} needs a GML geometry", n.name)))?;
            let gml = src
                .get(g.span.0..g.span.1)
                .ok_or_else(|| invalid("geometry span"))?;
            let srs_name = g
                .attrs
                .iter()
                .find(|(k, _)| k == "srsName")
                .map(|(_, s)| s.as_str());
            let code = match srs_name {
                Some(s) => geocentre_core::crs_name::epsg_code(s)
                    .ok_or_else(|| invalid(format!("unknown srsName '{s}'")))?,
                None => epsg,
            };
            // OGR keeps GML coordinates as written: a URN or URL srsName
            // means the CRS's own axis order (latitude first for 4326).
            let authority_axes = srs_name.is_some_and(|s| !s.starts_with("EPSG:"));
            let geom = gdal::vector::Geometry::from_gml(gml)
                .and_then(|g| g.wkt())
                .map_err(|e| invalid(format!("GML geometry: {e}")))?;
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
            Expr::Spatial {
                op,
                geometry: FilterGeometry {
                    wkt: geom,
                    epsg: code,
                    authority_axes,
                },
            }
        }
        other => {
            return Err(invalid(format!(
                "filter operator '{other}' is not supported"
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(parse(xxe, 2154).is_err());
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
        assert!(parse(&format!("<Filter>{f}</Filter>"), 2154).is_err());
    }
}
