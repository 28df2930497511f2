//! Geometry literals of filters, read from GeoJSON (CQL2-JSON) and GML
//! (FES) into plain WKT — the form the CQL2 text parser writes too
//! (`POLYGON ((x y,x y,…))`, numbers in Rust's shortest round-trip form),
//! so the three languages give equal trees for the same filter. Checked
//! here (closed rings of four points, lines of two, one dimension per
//! geometry); the feature store turns the text into a GEOS geometry in the
//! layer's CRS. Only the types a spatial filter needs: points, lines,
//! polygons and their multi forms.

use geocentre_ogc::xml_tree::Node;
use serde_json::Value;

type Pt = Vec<f64>;

/// Writes `(x y,x y,…)` after checking the points.
fn write_points(
    out: &mut String,
    pts: &[Pt],
    ring: bool,
    dim: &mut Option<usize>,
) -> Result<(), String> {
    if ring && (pts.len() < 4 || pts.first() != pts.last()) {
        return Err("a polygon ring must be closed and have four points at least".into());
    }
    if pts.len() < 2 {
        return Err("a line needs two points at least".into());
    }
    out.push('(');
    for (i, p) in pts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_coord(out, p, dim)?;
    }
    out.push(')');
    Ok(())
}

fn write_coord(out: &mut String, p: &[f64], dim: &mut Option<usize>) -> Result<(), String> {
    if !(2..=3).contains(&p.len()) || p.iter().any(|v| !v.is_finite()) {
        return Err("a position has two or three finite numbers".into());
    }
    match *dim {
        None => *dim = Some(p.len()),
        Some(d) if d != p.len() => {
            return Err(format!(
                "a position has {} values, not {d} as the others",
                p.len()
            ))
        }
        Some(_) => {}
    }
    let text: Vec<String> = p.iter().map(|v| v.to_string()).collect();
    out.push_str(&text.join(" "));
    Ok(())
}

fn write_rings(out: &mut String, rings: &[Vec<Pt>], dim: &mut Option<usize>) -> Result<(), String> {
    if rings.is_empty() {
        return Err("a polygon needs an exterior ring".into());
    }
    out.push('(');
    for (i, r) in rings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_points(out, r, true, dim)?;
    }
    out.push(')');
    Ok(())
}

/// A geometry built from its parts, written as WKT.
enum Geom {
    Point(Pt),
    Line(Vec<Pt>),
    Polygon(Vec<Vec<Pt>>),
    MultiPoint(Vec<Pt>),
    MultiLine(Vec<Vec<Pt>>),
    MultiPolygon(Vec<Vec<Vec<Pt>>>),
}

impl Geom {
    fn wkt(&self) -> Result<String, String> {
        let mut dim = None;
        let mut out = String::new();
        let d = &mut dim;
        match self {
            Geom::Point(p) => {
                out.push_str("POINT (");
                write_coord(&mut out, p, d)?;
                out.push(')');
            }
            Geom::Line(l) => {
                out.push_str("LINESTRING ");
                write_points(&mut out, l, false, d)?;
            }
            Geom::Polygon(r) => {
                out.push_str("POLYGON ");
                write_rings(&mut out, r, d)?;
            }
            Geom::MultiPoint(v) => {
                out.push_str("MULTIPOINT (");
                if v.is_empty() {
                    return Err("an empty multipoint is not supported".into());
                }
                for (i, p) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_coord(&mut out, p, d)?;
                }
                out.push(')');
            }
            Geom::MultiLine(v) => {
                out.push_str("MULTILINESTRING (");
                if v.is_empty() {
                    return Err("an empty multilinestring is not supported".into());
                }
                for (i, l) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_points(&mut out, l, false, d)?;
                }
                out.push(')');
            }
            Geom::MultiPolygon(v) => {
                out.push_str("MULTIPOLYGON (");
                if v.is_empty() {
                    return Err("an empty multipolygon is not supported".into());
                }
                for (i, r) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_rings(&mut out, r, d)?;
                }
                out.push(')');
            }
        }
        Ok(out)
    }
}

// ------------------------------------------------------------------ GeoJSON

fn json_pt(v: &Value) -> Result<Pt, String> {
    v.as_array()
        .ok_or("a position is an array of numbers")?
        .iter()
        .map(|x| {
            x.as_f64()
                .ok_or_else(|| "a position is an array of numbers".to_string())
        })
        .collect()
}

fn json_pts(v: &Value) -> Result<Vec<Pt>, String> {
    v.as_array()
        .ok_or("expected an array of positions")?
        .iter()
        .map(json_pt)
        .collect()
}

fn json_rings(v: &Value) -> Result<Vec<Vec<Pt>>, String> {
    v.as_array()
        .ok_or("expected an array of rings")?
        .iter()
        .map(json_pts)
        .collect()
}

/// A GeoJSON geometry, or CQL2's `{"bbox": [w, s, e, n]}`, as WKT.
pub fn geojson_to_wkt(g: &Value) -> Result<String, String> {
    if let Some(b) = g.get("bbox").and_then(|b| b.as_array()) {
        let n: Vec<f64> = b.iter().filter_map(|x| x.as_f64()).collect();
        let [a, b2, c, d] = n[..] else {
            return Err("bbox needs four numbers".into());
        };
        return Ok(format!(
            "POLYGON(({a} {b2},{c} {b2},{c} {d},{a} {d},{a} {b2}))"
        ));
    }
    let kind = g
        .get("type")
        .and_then(|t| t.as_str())
        .ok_or("a geometry has a \"type\"")?;
    if !matches!(
        kind,
        "Point" | "LineString" | "Polygon" | "MultiPoint" | "MultiLineString" | "MultiPolygon"
    ) {
        return Err(format!("geometry type '{kind}' is not supported"));
    }
    let c = g
        .get("coordinates")
        .ok_or_else(|| format!("a {kind} has \"coordinates\""))?;
    let geom = match kind {
        "Point" => Geom::Point(json_pt(c)?),
        "LineString" => Geom::Line(json_pts(c)?),
        "Polygon" => Geom::Polygon(json_rings(c)?),
        "MultiPoint" => Geom::MultiPoint(json_pts(c)?),
        "MultiLineString" => Geom::MultiLine(json_rings(c)?),
        "MultiPolygon" => Geom::MultiPolygon(
            c.as_array()
                .ok_or("expected an array of polygons")?
                .iter()
                .map(json_rings)
                .collect::<Result<_, _>>()?,
        ),
        other => return Err(format!("geometry type '{other}' is not supported")),
    };
    geom.wkt()
}

// ---------------------------------------------------------------------- GML

/// Numbers of a `gml:pos`, `gml:posList` or a GML 2 `gml:coordinates`
/// element, grouped by the dimension.
fn gml_pts(n: &Node, dim: usize) -> Result<Vec<Pt>, String> {
    let numbers = |text: &str| -> Result<Vec<f64>, String> {
        text.split_whitespace()
            .map(|v| {
                v.parse::<f64>()
                    .map_err(|_| format!("'{v}' is not a number"))
            })
            .collect()
    };
    if n.name == "coordinates" {
        let (cs, ts) = (n.attr("cs").unwrap_or(","), n.attr("ts").unwrap_or(" "));
        let dec = n.attr("decimal").unwrap_or(".");
        let mut out = Vec::new();
        for tuple in n.text.split(ts).filter(|t| !t.trim().is_empty()) {
            let t = tuple.replace(cs, " ");
            let t = if dec == "." { t } else { t.replace(dec, ".") };
            out.push(numbers(&t)?);
        }
        return Ok(out);
    }
    let dim = n
        .attr("srsDimension")
        .or_else(|| n.attr("dimension"))
        .and_then(|d| d.parse::<usize>().ok())
        .unwrap_or(dim);
    if !(2..=3).contains(&dim) {
        return Err(format!("srsDimension {dim} is not supported"));
    }
    let v = numbers(&n.text)?;
    if v.len() % dim != 0 {
        return Err(format!(
            "{} numbers cannot be positions of {dim} values",
            v.len()
        ));
    }
    Ok(v.chunks(dim).map(<[f64]>::to_vec).collect())
}

/// The points of a line or ring element: posList, a sequence of pos (or
/// GML 2 coord), or coordinates.
fn gml_line(n: &Node, dim: usize) -> Result<Vec<Pt>, String> {
    if let Some(c) = n.child("posList").or_else(|| n.child("coordinates")) {
        return gml_pts(c, dim);
    }
    let mut out = Vec::new();
    for c in &n.children {
        match c.name.as_str() {
            "pos" => out.extend(gml_pts(c, dim)?),
            "coord" => {
                let x = c.child("X").map(|x| x.text.trim());
                let y = c.child("Y").map(|y| y.text.trim());
                let (Some(x), Some(y)) = (x, y) else {
                    return Err("a gml:coord needs X and Y".into());
                };
                let p = |s: &str| {
                    s.parse::<f64>()
                        .map_err(|_| format!("'{s}' is not a number"))
                };
                out.push(vec![p(x)?, p(y)?]);
            }
            _ => {}
        }
    }
    Ok(out)
}

fn dim_of(n: &Node, inherited: usize) -> usize {
    n.attr("srsDimension")
        .and_then(|d| d.parse().ok())
        .unwrap_or(inherited)
}

fn gml_polygon(n: &Node, dim: usize) -> Result<Vec<Vec<Pt>>, String> {
    if n.name != "Polygon" {
        return Err(format!("GML '{}' is not supported in filters", n.name));
    }
    let dim = dim_of(n, dim);
    let mut rings = Vec::new();
    for b in &n.children {
        if !matches!(
            b.name.as_str(),
            "exterior" | "interior" | "outerBoundaryIs" | "innerBoundaryIs"
        ) {
            continue;
        }
        let r = b
            .child("LinearRing")
            .ok_or_else(|| format!("gml:{} needs a gml:LinearRing", b.name))?;
        let ring = gml_line(r, dim_of(r, dim))?;
        if matches!(b.name.as_str(), "exterior" | "outerBoundaryIs") {
            rings.insert(0, ring);
        } else {
            rings.push(ring);
        }
    }
    Ok(rings)
}

/// The members of a GML multi-geometry: `*Member` elements (one each) and
/// `*Members` elements (several).
fn members<'a>(n: &'a Node, single: &str, plural: &str) -> Vec<&'a Node> {
    let mut out = Vec::new();
    for c in &n.children {
        if c.name == single {
            out.extend(c.children.first());
        } else if c.name == plural {
            out.extend(c.children.iter());
        }
    }
    out
}

/// A GML 3 or GML 2 geometry element as WKT, coordinates as written.
pub fn gml_to_wkt(n: &Node) -> Result<String, String> {
    let dim = dim_of(n, 2);
    let geom = match n.name.as_str() {
        "Point" => {
            let mut pts = gml_line(n, dim)?;
            if pts.len() != 1 {
                return Err("a gml:Point has one position".into());
            }
            Geom::Point(pts.remove(0))
        }
        "LineString" => Geom::Line(gml_line(n, dim)?),
        "Polygon" => Geom::Polygon(gml_polygon(n, dim)?),
        "MultiPoint" => {
            let mut pts = Vec::new();
            for m in members(n, "pointMember", "pointMembers") {
                if m.name != "Point" {
                    return Err(format!("GML '{}' is not a point", m.name));
                }
                pts.extend(gml_line(m, dim_of(m, dim))?);
            }
            Geom::MultiPoint(pts)
        }
        "MultiLineString" | "MultiCurve" => {
            let mut lines = Vec::new();
            for m in members(n, "lineStringMember", "")
                .into_iter()
                .chain(members(n, "curveMember", "curveMembers"))
            {
                if m.name != "LineString" {
                    return Err(format!("GML '{}' is not supported in filters", m.name));
                }
                lines.push(gml_line(m, dim_of(m, dim))?);
            }
            Geom::MultiLine(lines)
        }
        "MultiPolygon" | "MultiSurface" => {
            let mut polys = Vec::new();
            for m in members(n, "polygonMember", "").into_iter().chain(members(
                n,
                "surfaceMember",
                "surfaceMembers",
            )) {
                polys.push(gml_polygon(m, dim_of(m, dim))?);
            }
            Geom::MultiPolygon(polys)
        }
        other => return Err(format!("GML '{other}' is not supported in filters")),
    };
    geom.wkt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geocentre_ogc::xml_tree::{parse, Limits};

    fn gml(text: &str) -> Result<String, String> {
        let limits = Limits {
            max_bytes: 1 << 20,
            max_depth: 32,
            max_nodes: 10_000,
        };
        gml_to_wkt(&parse(text, limits).map_err(|e| e.to_string())?)
    }

    const NS: &str = r#"xmlns:gml="http://www.opengis.net/gml/3.2""#;

    #[test]
    fn geojson_and_gml_give_the_same_text() {
        let j = geojson_to_wkt(&serde_json::json!({
            "type": "Polygon",
            "coordinates": [[[1.5, 47.0], [2.0, 47.0], [2.0, 48.25], [1.5, 47.0]]]
        }))
        .unwrap();
        assert_eq!(j, "POLYGON ((1.5 47,2 47,2 48.25,1.5 47))");
        let g = gml(&format!(
            "<gml:Polygon {NS}><gml:exterior><gml:LinearRing><gml:posList>1.5 47 2 47 2 48.25 1.5 47</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
        ))
        .unwrap();
        assert_eq!(g, j);
        // GML 2: outerBoundaryIs and coordinates with their separators.
        let g2 = gml(&format!(
            "<gml:Polygon {NS}><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>1.5,47 2,47 2,48.25 1.5,47</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>"
        ))
        .unwrap();
        assert_eq!(g2, j);
    }

    #[test]
    fn multi_geometries_points_and_3d() {
        assert_eq!(
            gml(&format!(
                "<gml:Point {NS}><gml:pos>1 2</gml:pos></gml:Point>"
            ))
            .unwrap(),
            "POINT (1 2)"
        );
        assert_eq!(
            gml(&format!(
                "<gml:LineString {NS} srsDimension=\"3\"><gml:posList>0 0 1 1 1 2</gml:posList></gml:LineString>"
            ))
            .unwrap(),
            "LINESTRING (0 0 1,1 1 2)"
        );
        assert_eq!(
            gml(&format!(
                "<gml:MultiCurve {NS}><gml:curveMember><gml:LineString><gml:pos>0 0</gml:pos><gml:pos>1 1</gml:pos></gml:LineString></gml:curveMember></gml:MultiCurve>"
            ))
            .unwrap(),
            "MULTILINESTRING ((0 0,1 1))"
        );
        assert_eq!(
            geojson_to_wkt(
                &serde_json::json!({"type": "MultiPoint", "coordinates": [[0, 0], [1, 1]]})
            )
            .unwrap(),
            "MULTIPOINT (0 0,1 1)"
        );
    }

    #[test]
    fn bad_geometries_are_named() {
        let open = geojson_to_wkt(&serde_json::json!({
            "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]
        }));
        assert!(open.unwrap_err().contains("closed"));
        let mixed = geojson_to_wkt(&serde_json::json!({
            "type": "LineString", "coordinates": [[0, 0], [1, 1, 1]]
        }));
        assert!(mixed.unwrap_err().contains("not 2"));
        assert!(
            geojson_to_wkt(&serde_json::json!({"type": "GeometryCollection"}))
                .unwrap_err()
                .contains("not supported")
        );
        assert!(gml(&format!("<gml:Curve {NS}/>"))
            .unwrap_err()
            .contains("not supported"));
        assert!(gml(&format!(
            "<gml:LineString {NS}><gml:posList>0 0 1</gml:posList></gml:LineString>"
        ))
        .unwrap_err()
        .contains("cannot be positions"));
    }
}
