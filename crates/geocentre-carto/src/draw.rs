//! Drawing features with a style onto a map image (tiny-skia,
//! anti-aliased). Geometries are turned into pixels in f64, clipped to the
//! map plus a margin (tiny-skia works in f32: a vertex kilometres off-map
//! at a large scale would lose precision) and thinned to what a pixel can
//! show. Labels are only collected while drawing: the map places those of
//! all its layers together and draws them last, above every layer
//! ([`crate::labels::MapLabels`]).

use crate::hairline;
use crate::labels::{Candidate, Placement};
use crate::style::{self, LineStyle, Marker, MarkerShape, Rgba, Style, Symbolizer};
use geocentre_features::store::{Scanned, Shape};
use geocentre_geo::clip;
pub use geocentre_image::annotate::into_straight;
use serde_json::Value;
use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

/// Pixels kept around the map when clipping: wide strokes and symbols of
/// features just outside still reach in.
const MARGIN: f64 = 256.0;
/// Vertices closer than this (pixels) to the previous one are dropped.
pub const THIN: f64 = 0.3;

/// The map being drawn: its box (x/y order, in the CRS the features were
/// read in), size and scale denominator.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub bbox: [f64; 4],
    pub width: u32,
    pub height: u32,
    pub scale: f64,
}

impl Frame {
    fn pixel_fn(&self) -> impl Fn([f64; 2]) -> (f64, f64) {
        let b = self.bbox;
        let sx = f64::from(self.width) / (b[2] - b[0]);
        let sy = f64::from(self.height) / (b[3] - b[1]);
        move |p| ((p[0] - b[0]) * sx, (b[3] - p[1]) * sy)
    }
}

/// A geometry in pixels, clipped.
#[derive(Debug, Default)]
pub struct PxShape {
    pub points: Vec<(f64, f64)>,
    pub lines: Vec<Vec<(f64, f64)>>,
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// Points in pixels, non-finite ones dropped and runs closer than
/// [`THIN`] merged (they draw as one).
fn thin(pts: impl Iterator<Item = (f64, f64)>) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::new();
    for p in pts.filter(|p| p.0.is_finite() && p.1.is_finite()) {
        match out.last() {
            Some(l) if (l[0] - p.0).abs() < THIN && (l[1] - p.1).abs() < THIN => {}
            _ => out.push([p.0, p.1]),
        }
    }
    out
}

fn tuples(pts: &[[f64; 2]]) -> Vec<(f64, f64)> {
    pts.iter().map(|p| (p[0], p[1])).collect()
}

/// The shape in pixels, clipped to the map and `margin` around it.
pub fn to_pixels(shape: &Shape, frame: &Frame, margin: f64) -> PxShape {
    let px = frame.pixel_fn();
    let c = [
        -margin,
        -margin,
        f64::from(frame.width) + margin,
        f64::from(frame.height) + margin,
    ];
    let mut out = PxShape::default();
    for p in &shape.points {
        let q = px(*p);
        if q.0 >= c[0] && q.0 <= c[2] && q.1 >= c[1] && q.1 <= c[3] {
            out.points.push(q);
        }
    }
    let (mut pieces, mut ends, mut tmp) = (Vec::new(), Vec::new(), Vec::new());
    for l in &shape.lines {
        let pts = thin(l.iter().map(|p| px(*p)));
        clip::line(&pts, c, &mut pieces, &mut ends);
        let mut start = 0;
        for &end in &ends {
            if end - start >= 2 {
                out.lines.push(tuples(&pieces[start..end]));
            }
            start = end;
        }
    }
    for poly in &shape.polygons {
        let rings: Vec<Vec<(f64, f64)>> = poly
            .iter()
            .map(|r| {
                let mut ring = thin(r.iter().map(|p| px(*p)));
                clip::ring(&mut ring, &mut tmp, c);
                tuples(&ring)
            })
            .filter(|r| r.len() >= 3)
            .collect();
        if !rings.is_empty() {
            out.polygons.push(rings);
        }
    }
    out
}

fn ring_area(r: &[(f64, f64)]) -> f64 {
    let mut a = 0.0;
    for i in 0..r.len() {
        let (p, q) = (r[i], r[(i + 1) % r.len()]);
        a += p.0 * q.1 - q.0 * p.1;
    }
    a / 2.0
}

/// Area of a polygon (exterior less holes), in square pixels.
pub fn polygon_area(rings: &[Vec<(f64, f64)>]) -> f64 {
    let mut it = rings.iter();
    let outer = it.next().map_or(0.0, |r| ring_area(r).abs());
    outer - it.map(|r| ring_area(r).abs()).sum::<f64>()
}

pub use geocentre_geo::interior::interior_point;

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.0[0], c.0[1], c.0[2], c.0[3]);
    p.anti_alias = true;
    p
}

fn stroke_of(l: &LineStyle) -> Stroke {
    // SVG repeats an odd dash list to make it even; tiny-skia needs it even.
    let dash = if l.dash.is_empty() {
        None
    } else {
        let mut d = l.dash.clone();
        if !d.len().is_multiple_of(2) {
            d.extend(l.dash.clone());
        }
        StrokeDash::new(d, 0.0)
    };
    Stroke {
        width: l.width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        dash,
        ..Stroke::default()
    }
}

/// Lines of a pixel or less without dashes are drawn by [`hairline`].
fn is_hairline(l: &LineStyle) -> bool {
    l.width > 0.0 && l.width <= 1.0 && l.dash.is_empty()
}

fn stroke_path(pix: &mut Pixmap, path: &Path, l: &LineStyle) {
    if l.width > 0.0 && l.color.0[3] > 0 {
        pix.stroke_path(
            path,
            &paint(l.color),
            &stroke_of(l),
            Transform::identity(),
            None,
        );
    }
}

/// The outline of a marker centred on (x, y).
pub fn marker_path(shape: MarkerShape, x: f32, y: f32, size: f32) -> Option<Path> {
    let r = size / 2.0;
    let poly = |pts: &[(f32, f32)]| {
        let mut pb = PathBuilder::new();
        let mut it = pts.iter();
        let &(x0, y0) = it.next()?;
        pb.move_to(x + x0, y + y0);
        for &(px, py) in it {
            pb.line_to(x + px, y + py);
        }
        pb.close();
        pb.finish()
    };
    let arm = r * 0.25;
    let cross = [
        (-arm, -r),
        (arm, -r),
        (arm, -arm),
        (r, -arm),
        (r, arm),
        (arm, arm),
        (arm, r),
        (-arm, r),
        (-arm, arm),
        (-r, arm),
        (-r, -arm),
        (-arm, -arm),
    ];
    match shape {
        MarkerShape::Circle => PathBuilder::from_circle(x, y, r),
        MarkerShape::Square => poly(&[(-r, -r), (r, -r), (r, r), (-r, r)]),
        MarkerShape::Triangle => {
            let h = r * 3f32.sqrt() / 2.0;
            poly(&[(0.0, -r), (h, r / 2.0), (-h, r / 2.0)])
        }
        MarkerShape::Cross => poly(&cross),
        MarkerShape::X => {
            let (s, c) = std::f32::consts::FRAC_PI_4.sin_cos();
            let turned: Vec<(f32, f32)> = cross
                .iter()
                .map(|&(px, py)| (px * c - py * s, px * s + py * c))
                .collect();
            poly(&turned)
        }
        MarkerShape::Star => {
            let pts: Vec<(f32, f32)> = (0..10)
                .map(|i| {
                    let a = std::f32::consts::PI * (i as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
                    let rr = if i % 2 == 0 { r } else { r * 0.4 };
                    (rr * a.cos(), rr * a.sin())
                })
                .collect();
            poly(&pts)
        }
    }
}

pub fn draw_marker(pix: &mut Pixmap, m: &Marker, x: f32, y: f32) {
    let Some(path) = marker_path(m.shape, x, y, m.size) else {
        return;
    };
    if let Some(f) = m.fill {
        pix.fill_path(
            &path,
            &paint(f),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
    if let Some(s) = &m.stroke {
        stroke_path(pix, &path, s);
    }
}

fn rings_path(rings: &[Vec<(f64, f64)>]) -> Option<Path> {
    let mut pb = PathBuilder::new();
    for r in rings {
        let mut it = r.iter();
        let Some(&(x0, y0)) = it.next() else { continue };
        pb.move_to(x0 as f32, y0 as f32);
        for &(x, y) in it {
            pb.line_to(x as f32, y as f32);
        }
        pb.close();
    }
    pb.finish()
}

fn line_path(l: &[(f64, f64)]) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let mut it = l.iter();
    let &(x0, y0) = it.next()?;
    pb.move_to(x0 as f32, y0 as f32);
    for &(x, y) in it {
        pb.line_to(x as f32, y as f32);
    }
    pb.finish()
}

/// A marker drawn for a point geometry when the symbolizer has none: a
/// circle in the symbolizer's colours.
fn implied_marker(s: &Symbolizer) -> Option<Marker> {
    if s.fill.is_none() && s.stroke.is_none() {
        return None;
    }
    Some(Marker {
        shape: MarkerShape::Circle,
        size: 7.0,
        fill: s.fill,
        stroke: s.stroke.clone(),
    })
}

/// Where a line's label goes: the middle of its longest piece, and the
/// direction there, turned to read left to right.
fn line_anchor(lines: &[Vec<(f64, f64)>]) -> Option<((f64, f64), f32, f64)> {
    let len = |l: &Vec<(f64, f64)>| {
        l.windows(2)
            .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
            .sum::<f64>()
    };
    let longest = lines.iter().max_by(|a, b| len(a).total_cmp(&len(b)))?;
    let total = len(longest);
    let mut walked = 0.0;
    for w in longest.windows(2) {
        let d = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        if walked + d >= total / 2.0 && d > 0.0 {
            let t = (total / 2.0 - walked) / d;
            let p = (
                w[0].0 + t * (w[1].0 - w[0].0),
                w[0].1 + t * (w[1].1 - w[0].1),
            );
            let mut a = (w[1].1 - w[0].1).atan2(w[1].0 - w[0].0);
            if a > std::f64::consts::FRAC_PI_2 {
                a -= std::f64::consts::PI;
            } else if a < -std::f64::consts::FRAC_PI_2 {
                a += std::f64::consts::PI;
            }
            return Some((p, a as f32, total));
        }
        walked += d;
    }
    None
}

/// Draws one symbolizer on one feature; queues its label.
fn draw_symbolizer(
    pix: &mut Pixmap,
    s: &Symbolizer,
    px: &PxShape,
    value: Option<&Value>,
    labels: &mut Vec<Candidate>,
) {
    let areal = s.fill.is_some() || s.stroke.is_some();
    for rings in &px.polygons {
        let Some(path) = rings_path(rings) else {
            continue;
        };
        if let Some(f) = s.fill.filter(|f| f.0[3] > 0) {
            let mut p = paint(f);
            // An opaque outline of a pixel or more covers the fill's edge:
            // anti-aliasing it there was a quarter of a map's time (perf,
            // bench/vector.sh) for pixels the outline paints over.
            p.anti_alias = !s
                .stroke
                .as_ref()
                .is_some_and(|l| l.color.0[3] == 255 && l.width >= 1.0 && l.dash.is_empty());
            pix.fill_path(&path, &p, FillRule::EvenOdd, Transform::identity(), None);
        }
        if let Some(l) = &s.stroke {
            if is_hairline(l) {
                for r in rings {
                    hairline::polyline(pix, r, true, l.color.0, l.width);
                }
            } else {
                stroke_path(pix, &path, l);
            }
        }
        if let (Some(m), false) = (&s.marker, areal) {
            if let Some((x, y)) = interior_point(rings) {
                draw_marker(pix, m, x as f32, y as f32);
            }
        }
    }
    for l in &px.lines {
        match &s.stroke {
            Some(st) if is_hairline(st) => hairline::polyline(pix, l, false, st.color.0, st.width),
            Some(st) => {
                if let Some(path) = line_path(l) {
                    stroke_path(pix, &path, st);
                }
            }
            None => {}
        }
    }
    if let (Some(m), None, false) = (&s.marker, &s.stroke, px.lines.is_empty()) {
        if let Some(((x, y), _, _)) = line_anchor(&px.lines) {
            draw_marker(pix, m, x as f32, y as f32);
        }
    }
    let point_marker = s.marker.clone().or_else(|| implied_marker(s));
    if let Some(m) = &point_marker {
        for &(x, y) in &px.points {
            draw_marker(pix, m, x as f32, y as f32);
        }
    }
    let (Some(label), Some(text)) = (&s.label, value.and_then(style::text)) else {
        return;
    };
    let text: String = text.trim().chars().take(200).collect();
    if text.is_empty() {
        return;
    }
    let mut cand = |at: (f64, f64), placement, priority: f64| {
        labels.push(Candidate {
            text: text.clone(),
            at: (at.0 as f32, at.1 as f32),
            placement,
            label: label.clone(),
            priority: priority as f32,
        })
    };
    // Points first, then the largest polygons and longest lines.
    if let Some(&p) = px.points.first() {
        let r = point_marker.as_ref().map_or(2.0, |m| m.size / 2.0);
        cand(p, Placement::Beside(r), 1e12);
    } else if let Some(rings) = px
        .polygons
        .iter()
        .max_by(|a, b| polygon_area(a).total_cmp(&polygon_area(b)))
    {
        let area = polygon_area(rings);
        if area >= 1.0 {
            if let Some(p) = interior_point(rings) {
                cand(p, Placement::Center, area);
            }
        }
    } else if let Some((p, angle, len)) = line_anchor(&px.lines) {
        cand(p, Placement::Along(angle), len);
    }
}

/// What a map layer drew.
#[derive(Debug)]
pub struct Drawn {
    /// Straight-alpha RGBA, `width × height`, without the labels.
    pub rgba: Vec<u8>,
    /// Features some rule drew.
    pub features: usize,
    /// Labels to place with the other layers' ones (pixels of this map).
    pub labels: Vec<Candidate>,
}

/// Draws `features` (whose `properties` are the values of `names`) with
/// `style`, and returns their label candidates undrawn. `None` when no rule
/// applies at this scale or nothing was drawn.
pub fn render(
    style: &Style,
    names: &[String],
    features: &[Scanned],
    frame: &Frame,
) -> Option<Drawn> {
    if !style.visible_at(frame.scale) {
        return None;
    }
    let mut pix = Pixmap::new(frame.width, frame.height)?;
    let mut labels = Vec::new();
    let mut px_cache: Vec<Option<PxShape>> = features.iter().map(|_| None).collect();
    let mut drawn = vec![false; features.len()];
    for pass in style.passes() {
        for (i, f) in features.iter().enumerate() {
            let get = |k: &str| -> Option<&Value> {
                names
                    .iter()
                    .position(|n| n == k)
                    .and_then(|j| f.properties.get(j))
            };
            let rules = style.matching(pass, frame.scale, &get);
            if rules.is_empty() {
                continue;
            }
            let px = px_cache[i].get_or_insert_with(|| to_pixels(&f.shape, frame, MARGIN));
            for r in rules {
                for s in &r.symbolizers {
                    let value = s.label.as_ref().and_then(|l| get(&l.field));
                    draw_symbolizer(&mut pix, s, px, value, &mut labels);
                }
            }
            drawn[i] = true;
        }
    }
    let count = drawn.iter().filter(|d| **d).count();
    if count == 0 {
        return None;
    }
    Some(Drawn {
        rgba: into_straight(pix),
        features: count,
        labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::{parse, StyleFormat};

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Vec<[f64; 2]>> {
        vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]
    }

    fn feature(polys: Vec<Vec<Vec<[f64; 2]>>>, props: Vec<Value>) -> Scanned {
        Scanned {
            fid: 1,
            shape: Shape {
                polygons: polys,
                ..Default::default()
            },
            properties: props,
        }
    }

    fn frame() -> Frame {
        Frame {
            bbox: [0.0, 0.0, 100.0, 100.0],
            width: 100,
            height: 100,
            scale: 1000.0,
        }
    }

    fn px(d: &Drawn, x: usize, y: usize) -> [u8; 4] {
        let o = (y * 100 + x) * 4;
        [d.rgba[o], d.rgba[o + 1], d.rgba[o + 2], d.rgba[o + 3]]
    }

    #[test]
    fn a_polygon_with_a_hole_is_filled_around_it() {
        let s = parse(
            "[[rule]]\nfill = \"#ff0000\"\nstroke = \"#0000ff\"\nstroke-width = 2",
            StyleFormat::Toml,
        )
        .unwrap();
        let mut rings = square(10.0, 10.0, 90.0, 90.0);
        rings.extend(square(40.0, 40.0, 60.0, 60.0));
        let d = render(&s, &[], &[feature(vec![rings], vec![])], &frame()).unwrap();
        // y grows downwards on the image: map y 75 is row 25.
        assert_eq!(px(&d, 25, 25), [255, 0, 0, 255]);
        assert_eq!(px(&d, 50, 50)[3], 0, "the hole is empty");
        assert_eq!(px(&d, 5, 5)[3], 0, "outside is empty");
        assert_eq!(px(&d, 50, 10), [0, 0, 255, 255], "the outline is stroked");
        assert_eq!(d.features, 1);
    }

    #[test]
    fn huge_coordinates_are_clipped_not_garbled() {
        let s = parse("[[rule]]\nfill = \"#00ff00\"", StyleFormat::Toml).unwrap();
        let poly = square(-1e9, -1e9, 50.0, 1e9);
        let d = render(&s, &[], &[feature(vec![poly], vec![])], &frame()).unwrap();
        assert_eq!(px(&d, 25, 50), [0, 255, 0, 255]);
        assert_eq!(px(&d, 75, 50)[3], 0);
    }

    #[test]
    fn categories_choose_the_colour_and_scale_ranges_hide() {
        let s = parse(
            r##"
[categorized]
property = "dep"
max-scale = 5000
categories = [{ value = "18", fill = "#ff0000" }, { value = "45", fill = "#0000ff" }]
"##,
            StyleFormat::Toml,
        )
        .unwrap();
        let names = vec!["dep".to_string()];
        let fs = vec![
            feature(vec![square(0.0, 0.0, 50.0, 100.0)], vec![Value::from("18")]),
            feature(vec![square(50.0, 0.0, 100.0, 100.0)], vec![Value::from(45)]),
        ];
        let d = render(&s, &names, &fs, &frame()).unwrap();
        assert_eq!(px(&d, 25, 50), [255, 0, 0, 255]);
        assert_eq!(px(&d, 75, 50), [0, 0, 255, 255]);
        let far = Frame {
            scale: 5000.0,
            ..frame()
        };
        assert!(render(&s, &names, &fs, &far).is_none());
    }

    #[test]
    fn semi_transparent_fills_come_out_straight() {
        let s = parse(
            "[[rule]]\nfill = \"#ff8000\"\nfill-opacity = 0.5",
            StyleFormat::Toml,
        )
        .unwrap();
        let d = render(
            &s,
            &[],
            &[feature(vec![square(0.0, 0.0, 100.0, 100.0)], vec![])],
            &frame(),
        )
        .unwrap();
        let p = px(&d, 50, 50);
        assert!(
            p[0] >= 254 && (p[1] as i32 - 128).abs() <= 2 && p[2] == 0,
            "{p:?}"
        );
        assert_eq!(p[3], 128);
    }

    #[test]
    fn labels_land_inside_their_polygon() {
        let s = parse(
            "[[rule]]\nfill = \"#ffffff\"\nlabel = { field = \"nom\", size = 10 }",
            StyleFormat::Toml,
        )
        .unwrap();
        let names = vec!["nom".to_string()];
        // A U shape: its centroid is outside, in the notch.
        let u = vec![vec![
            [10.0, 10.0],
            [90.0, 10.0],
            [90.0, 90.0],
            [70.0, 90.0],
            [70.0, 30.0],
            [30.0, 30.0],
            [30.0, 90.0],
            [10.0, 90.0],
            [10.0, 10.0],
        ]];
        let mut d = render(
            &s,
            &names,
            &[feature(vec![u], vec![Value::from("Été")])],
            &frame(),
        )
        .unwrap();
        assert_eq!(d.labels.len(), 1);
        // The layer's own image carries no text: the map draws it last.
        assert!(d.rgba.chunks_exact(4).all(|p| p[3] == 0 || p[0] == 255));
        let mut map = crate::labels::MapLabels::default();
        map.push_layer(std::mem::take(&mut d.labels));
        let (text, placed) = map.overlay(100, 100).unwrap();
        assert_eq!(placed, 1);
        d.rgba = text;
        let dark = (0..100)
            .flat_map(|y| (0..100).map(move |x| (x, y)))
            .filter(|&(x, y)| px(&d, x, y)[0] < 100 && px(&d, x, y)[3] > 200)
            .collect::<Vec<_>>();
        assert!(!dark.is_empty());
        // Map y 30..10 is rows 70..90: the U's base.
        assert!(
            dark.iter().all(|&(_, y)| (68..=92).contains(&y)),
            "{dark:?}"
        );
    }

    #[test]
    fn markers_and_lines_are_drawn() {
        let s = parse(
            "[[rule]]\nstroke = \"#000000\"\nstroke-width = 3\nmarker = { shape = \"square\", size = 10, fill = \"#ff0000\" }",
            StyleFormat::Toml,
        )
        .unwrap();
        let f = Scanned {
            fid: 1,
            shape: Shape {
                points: vec![[20.0, 80.0]],
                lines: vec![vec![[0.0, 50.0], [100.0, 50.0]]],
                polygons: vec![],
            },
            properties: vec![],
        };
        let d = render(&s, &[], &[f], &frame()).unwrap();
        assert_eq!(px(&d, 20, 20), [255, 0, 0, 255]);
        assert_eq!(px(&d, 24, 24)[0], 255);
        assert_eq!(px(&d, 27, 27)[3], 0);
        assert_eq!(px(&d, 50, 50), [0, 0, 0, 255]);
    }
}
