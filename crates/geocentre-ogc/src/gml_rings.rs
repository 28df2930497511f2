//! GML geometries as OGR writes them, made schema-valid where OGR's writer
//! is not (GDAL 3.6, curve polygons such as the PCRS's):
//!
//! * a ring made of several curves is written as `gml:CompositeCurve`, or
//!   a single `gml:Curve`, straight under `gml:exterior` / `gml:interior`,
//!   where GML (3.2 and 3.1.1) wants an `AbstractRing`: it becomes a
//!   `gml:Ring`, whose content is the same `gml:curveMember` list (a
//!   lone curve is wrapped in one);
//! * in GML 3.2 every geometry is an `AbstractGML` whose `gml:id` is
//!   required, and OGR leaves it out on the curves inside a ring: they get
//!   `{id of the geometry}.c{n}`.
//!
//! CITE's ets-wfs20 validates GetFeature responses and found the PCRS
//! curve polygons invalid. Geometries without curves are returned as they
//! are, without being read.

use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer};

/// Geometry elements that are `AbstractGML` in GML 3.2 (gml:id required).
const IDENTIFIED: [&str; 14] = [
    "gml:Point",
    "gml:LineString",
    "gml:Curve",
    "gml:CompositeCurve",
    "gml:OrientableCurve",
    "gml:Polygon",
    "gml:Surface",
    "gml:CompositeSurface",
    "gml:PolyhedralSurface",
    "gml:MultiPoint",
    "gml:MultiCurve",
    "gml:MultiSurface",
    "gml:MultiGeometry",
    "gml:OrientableSurface",
];

/// What closing an element must write.
enum Close {
    Same,
    /// `gml:CompositeCurve` renamed `gml:Ring`.
    Ring,
    /// A curve wrapped in `gml:Ring/gml:curveMember`.
    Wrapped,
}

/// `gml` with its rings made valid; `id_base` (GML 3.2) is the gml:id the
/// geometry's own ids start from, None (GML 3.1.1, ids optional) to add
/// none. Text that does not parse is returned unchanged.
pub fn valid_rings(gml: &str, id_base: Option<&str>) -> String {
    if !gml.contains("CompositeCurve") && !gml.contains("<gml:Curve") {
        return gml.to_string();
    }
    rewrite(gml, id_base).unwrap_or_else(|| gml.to_string())
}

fn rewrite(gml: &str, id_base: Option<&str>) -> Option<String> {
    let mut reader = Reader::from_str(gml);
    let mut w = Writer::new(Vec::with_capacity(gml.len() + 256));
    let mut stack: Vec<(String, Close)> = Vec::new();
    let mut n = 0usize;
    // The base of new ids: the outermost geometry's own id when it has one.
    let mut base = id_base.map(str::to_string);
    loop {
        let ev = reader.read_event().ok()?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = e.name().as_ref().to_string();
                if let (Some(b), true) = (base.as_mut(), stack.is_empty()) {
                    if let Some(id) = attr(e, "gml:id") {
                        *b = id;
                    }
                }
                let in_ring_slot = stack
                    .last()
                    .is_some_and(|(p, _)| p == "gml:exterior" || p == "gml:interior");
                let ring = name == "gml:LinearRing" || name == "gml:Ring";
                let close = if in_ring_slot && name == "gml:CompositeCurve" {
                    w.write_event(Event::Start(BytesStart::new("gml:Ring")))
                        .ok()?;
                    Close::Ring
                } else {
                    if in_ring_slot && !ring {
                        w.write_event(Event::Start(BytesStart::new("gml:Ring")))
                            .ok()?;
                        w.write_event(Event::Start(BytesStart::new("gml:curveMember")))
                            .ok()?;
                    }
                    let mut el = BytesStart::new(name.clone());
                    for a in e.attributes() {
                        el.push_attribute(a.ok()?);
                    }
                    if let Some(b) = &base {
                        if IDENTIFIED.contains(&name.as_str()) && attr(e, "gml:id").is_none() {
                            n += 1;
                            el.push_attribute(("gml:id", format!("{b}.c{n}").as_str()));
                        }
                    }
                    w.write_event(if empty {
                        Event::Empty(el)
                    } else {
                        Event::Start(el)
                    })
                    .ok()?;
                    if in_ring_slot && !ring {
                        Close::Wrapped
                    } else {
                        Close::Same
                    }
                };
                if empty {
                    end(&mut w, &name, &close, true)?;
                } else {
                    stack.push((name, close));
                }
            }
            Event::End(_) => {
                let (name, close) = stack.pop()?;
                end(&mut w, &name, &close, false)?;
            }
            Event::Eof => break,
            other => w.write_event(other).ok()?,
        }
    }
    if !stack.is_empty() {
        return None;
    }
    String::from_utf8(w.into_inner()).ok()
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.to_string())
}

/// Writes what closes `name`; `empty`: the element itself was written
/// self-closed.
fn end(w: &mut Writer<Vec<u8>>, name: &str, close: &Close, empty: bool) -> Option<()> {
    let mut put = |n: &str| w.write_event(Event::End(BytesEnd::new(n))).ok();
    match close {
        Close::Same => {
            if !empty {
                put(name)?;
            }
        }
        Close::Ring => put("gml:Ring")?,
        Close::Wrapped => {
            if !empty {
                put(name)?;
            }
            put("gml:curveMember")?;
            put("gml:Ring")?;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::valid_rings;

    #[test]
    fn composite_curve_rings_become_rings_with_ids() {
        let ogr = r#"<gml:Polygon srsName="urn:ogc:def:crs:EPSG::3946" gml:id="t.3.geom"><gml:exterior><gml:CompositeCurve><gml:curveMember><gml:LineString><gml:posList srsDimension="2">0 0 1 0</gml:posList></gml:LineString></gml:curveMember><gml:curveMember><gml:Curve><gml:segments><gml:ArcString><gml:posList srsDimension="2">1 0 1 1 0 0</gml:posList></gml:ArcString></gml:segments></gml:Curve></gml:curveMember></gml:CompositeCurve></gml:exterior><gml:interior><gml:Curve><gml:segments><gml:ArcString><gml:posList>0 0 1 1 0 0</gml:posList></gml:ArcString></gml:segments></gml:Curve></gml:interior></gml:Polygon>"#;
        let got = valid_rings(ogr, Some("t.3"));
        assert_eq!(
            got,
            r#"<gml:Polygon srsName="urn:ogc:def:crs:EPSG::3946" gml:id="t.3.geom"><gml:exterior><gml:Ring><gml:curveMember><gml:LineString gml:id="t.3.geom.c1"><gml:posList srsDimension="2">0 0 1 0</gml:posList></gml:LineString></gml:curveMember><gml:curveMember><gml:Curve gml:id="t.3.geom.c2"><gml:segments><gml:ArcString><gml:posList srsDimension="2">1 0 1 1 0 0</gml:posList></gml:ArcString></gml:segments></gml:Curve></gml:curveMember></gml:Ring></gml:exterior><gml:interior><gml:Ring><gml:curveMember><gml:Curve gml:id="t.3.geom.c3"><gml:segments><gml:ArcString><gml:posList>0 0 1 1 0 0</gml:posList></gml:ArcString></gml:segments></gml:Curve></gml:curveMember></gml:Ring></gml:interior></gml:Polygon>"#
        );
        // GML 3.1.1: rings only, no ids added.
        let v31 = valid_rings(ogr, None);
        assert!(v31.contains("<gml:exterior><gml:Ring><gml:curveMember><gml:LineString>"));
        assert!(!v31.contains(".c1"));
    }

    #[test]
    fn plain_geometries_are_untouched() {
        let p = r#"<gml:Polygon gml:id="a"><gml:exterior><gml:LinearRing><gml:posList>0 0 1 0 1 1 0 0</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"#;
        assert_eq!(valid_rings(p, Some("a")), p);
        // Broken text is handed back as it came.
        let broken = "<gml:Polygon><gml:exterior><gml:CompositeCurve>";
        assert_eq!(valid_rings(broken, Some("a")), broken);
    }
}
