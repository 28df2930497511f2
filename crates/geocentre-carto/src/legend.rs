//! Legends (WMS GetLegendGraphic): one swatch per rule, drawn with the
//! rule's own symbolizers, and the rule's title beside it.

use crate::draw::{draw_marker, into_straight, marker_path};
use crate::font;
use crate::style::{GeomKind, LineStyle, Rgba, Rule, Style, Symbolizer};
use tiny_skia::{FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform};

const PAD: u32 = 4;
const GAP: u32 = 6;
const TEXT_SIZE: f32 = 12.0;
/// Default swatch size, as GeoServer's.
pub const SWATCH: u32 = 20;

#[derive(Debug, Clone, Default)]
pub struct LegendOptions {
    /// Swatch size (WIDTH, HEIGHT); 20×20 by default.
    pub swatch: Option<(u32, u32)>,
    /// Only the rules that draw at this scale (SCALE).
    pub scale: Option<f64>,
    /// Only this rule, as a bare swatch (RULE).
    pub rule: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LegendError {
    #[error("style '{style}' has no rule named '{rule}'")]
    UnknownRule { style: String, rule: String },
    #[error("legend of {0}×{1} pixels is too large")]
    TooLarge(u32, u32),
}

/// Largest legend drawn, either side.
pub const MAX_SIDE: u32 = 4096;

struct Layout<'a> {
    rules: Vec<(&'a Rule, String)>,
    swatch: (u32, u32),
    row: u32,
    width: u32,
    height: u32,
    titles: bool,
}

fn layout<'a>(style: &'a Style, o: &LegendOptions) -> Result<Layout<'a>, LegendError> {
    let swatch = o.swatch.unwrap_or((SWATCH, SWATCH));
    if let Some(name) = &o.rule {
        let r = style
            .rules
            .iter()
            .find(|r| r.name.as_deref() == Some(name.as_str()))
            .ok_or_else(|| LegendError::UnknownRule {
                style: style.name.clone(),
                rule: name.clone(),
            })?;
        return Ok(Layout {
            rules: vec![(r, String::new())],
            swatch,
            row: swatch.1,
            width: swatch.0,
            height: swatch.1,
            titles: false,
        });
    }
    let rules: Vec<(&Rule, String)> = style
        .rules
        .iter()
        .filter(|r| o.scale.is_none_or(|s| r.in_scale(s)))
        .map(|r| (r, r.legend_title()))
        .collect();
    let text_w = rules
        .iter()
        .filter_map(|(_, t)| font::shape(t, TEXT_SIZE))
        .map(|s| s.width.ceil() as u32)
        .max()
        .unwrap_or(0);
    let row = swatch.1.max(TEXT_SIZE as u32 + 4) + PAD;
    let (width, height) = if rules.is_empty() {
        (1, 1)
    } else {
        (
            PAD + swatch.0 + GAP + text_w + PAD,
            PAD + row * rules.len() as u32,
        )
    };
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(LegendError::TooLarge(width, height));
    }
    Ok(Layout {
        rules,
        swatch,
        row,
        width,
        height,
        titles: true,
    })
}

/// The legend's size in pixels, without drawing it (capabilities' LegendURL).
pub fn size(style: &Style, o: &LegendOptions) -> Result<(u32, u32), LegendError> {
    layout(style, o).map(|l| (l.width, l.height))
}

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.0[0], c.0[1], c.0[2], c.0[3]);
    p.anti_alias = true;
    p
}

fn stroke(l: &LineStyle) -> Stroke {
    Stroke {
        width: l.width.clamp(0.5, 8.0),
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        dash: (!l.dash.is_empty() && l.dash.len().is_multiple_of(2))
            .then(|| tiny_skia::StrokeDash::new(l.dash.clone(), 0.0))
            .flatten(),
        ..Stroke::default()
    }
}

/// One symbolizer in the box (x, y, w, h), as the layer's geometry draws it.
fn swatch(pix: &mut Pixmap, s: &Symbolizer, kind: GeomKind, b: (f32, f32, f32, f32)) {
    let (x, y, w, h) = b;
    let id = Transform::identity();
    let areal = s.fill.is_some() && kind != GeomKind::Line && kind != GeomKind::Point;
    if areal || (kind == GeomKind::Polygon && s.stroke.is_some()) {
        let inset = s
            .stroke
            .as_ref()
            .map_or(0.5, |l| l.width.clamp(0.5, 8.0) / 2.0);
        if let Some(r) = tiny_skia::Rect::from_xywh(
            x + inset,
            y + inset,
            (w - 2.0 * inset).max(1.0),
            (h - 2.0 * inset).max(1.0),
        ) {
            let path = PathBuilder::from_rect(r);
            if let Some(f) = s.fill {
                pix.fill_path(&path, &paint(f), FillRule::Winding, id, None);
            }
            if let Some(l) = &s.stroke {
                pix.stroke_path(&path, &paint(l.color), &stroke(l), id, None);
            }
        }
    } else if let (Some(l), true) = (&s.stroke, kind != GeomKind::Point || s.marker.is_none()) {
        let mut pb = PathBuilder::new();
        pb.move_to(x + 1.0, y + h * 0.75);
        pb.line_to(x + w * 0.4, y + h * 0.25);
        pb.line_to(x + w * 0.6, y + h * 0.75);
        pb.line_to(x + w - 1.0, y + h * 0.25);
        if let Some(path) = pb.finish() {
            pix.stroke_path(&path, &paint(l.color), &stroke(l), id, None);
        }
    }
    if let Some(m) = &s.marker {
        if kind == GeomKind::Point || !areal && s.stroke.is_none() || kind == GeomKind::Any {
            let mut m = m.clone();
            m.size = m.size.min(w.min(h) - 2.0).max(2.0);
            if marker_path(m.shape, 0.0, 0.0, m.size).is_some() {
                draw_marker(pix, &m, x + w / 2.0, y + h / 2.0);
            }
        }
    }
    if let Some(l) = &s.label {
        if s.fill.is_none() && s.stroke.is_none() && s.marker.is_none() {
            // A label rule's swatch is a sample of its text.
            if let Some(t) = font::shape("Aa", l.size.min(h)) {
                let base = y + h / 2.0 + (t.ascent() - t.descent()) / 2.0;
                let ts = Transform::from_translate(x + (w - t.width) / 2.0, base);
                if let Some(p) = t.path(ts) {
                    if let Some((c, r)) = l.halo {
                        let st = Stroke {
                            width: r * 2.0,
                            line_join: LineJoin::Round,
                            ..Stroke::default()
                        };
                        pix.stroke_path(&p, &paint(c), &st, id, None);
                    }
                    pix.fill_path(&p, &paint(l.color), FillRule::Winding, id, None);
                }
            }
        }
    }
}

/// Draws the legend of `style` for a layer of geometry `kind`: straight
/// RGBA with its width and height.
pub fn render(
    style: &Style,
    kind: GeomKind,
    o: &LegendOptions,
) -> Result<(Vec<u8>, u32, u32), LegendError> {
    let l = layout(style, o)?;
    let Some(mut pix) = Pixmap::new(l.width, l.height) else {
        return Err(LegendError::TooLarge(l.width, l.height));
    };
    let (sw, sh) = (l.swatch.0 as f32, l.swatch.1 as f32);
    for (i, (rule, title)) in l.rules.iter().enumerate() {
        let (x, y) = if l.titles {
            (PAD as f32, (PAD + l.row * i as u32) as f32)
        } else {
            (0.0, 0.0)
        };
        let row_h = if l.titles { (l.row - PAD) as f32 } else { sh };
        let sy = y + (row_h - sh) / 2.0;
        for s in &rule.symbolizers {
            swatch(&mut pix, s, kind, (x, sy, sw, sh));
        }
        if l.titles && !title.is_empty() {
            if let Some(t) = font::shape(title, TEXT_SIZE) {
                let base = y + row_h / 2.0 + (t.ascent() - t.descent()) / 2.0;
                let ts = Transform::from_translate(x + sw + GAP as f32, base);
                if let Some(p) = t.path(ts) {
                    pix.fill_path(
                        &p,
                        &paint(Rgba::BLACK),
                        FillRule::Winding,
                        Transform::identity(),
                        None,
                    );
                }
            }
        }
    }
    Ok((into_straight(pix), l.width, l.height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::{parse, StyleFormat};

    const STYLE: &str = r##"
[categorized]
property = "dep"
stroke = "#000000"
categories = [
  { value = "18", title = "Cher", fill = "#ff0000" },
  { value = "45", title = "Loiret", fill = "#0000ff" },
]
[[rule]]
title = "Noms"
max-scale = 100000
label = { field = "nom" }
"##;

    #[test]
    fn one_swatch_per_rule_in_its_colour_with_its_title() {
        let s = parse(STYLE, StyleFormat::Toml).unwrap();
        let (rgba, w, h) = render(&s, GeomKind::Polygon, &LegendOptions::default()).unwrap();
        assert_eq!((w, h), size(&s, &LegendOptions::default()).unwrap());
        let at = |x: u32, y: u32| {
            let o = ((y * w + x) * 4) as usize;
            [rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]]
        };
        let row = (h - PAD) / 3;
        let index = |t: &str| {
            s.rules
                .iter()
                .position(|r| r.title.as_deref() == Some(t))
                .unwrap() as u32
        };
        // The middle of each category's swatch.
        assert_eq!(
            at(PAD + 10, PAD + row * index("Cher") + 10),
            [255, 0, 0, 255]
        );
        assert_eq!(
            at(PAD + 10, PAD + row * index("Loiret") + 10),
            [0, 0, 255, 255]
        );
        // Text beside them.
        let dark = (PAD + SWATCH + GAP..w)
            .filter(|&x| (0..row).any(|y| at(x, y)[3] > 200))
            .count();
        assert!(dark > 10);
        // At a small scale the label rule is left out.
        let o = LegendOptions {
            scale: Some(1e6),
            ..Default::default()
        };
        let (_, _, h2) = render(&s, GeomKind::Polygon, &o).unwrap();
        assert!(h2 < h);
        // RULE: the swatch alone.
        let o = LegendOptions {
            rule: Some("dep-1".into()),
            swatch: Some((30, 15)),
            ..Default::default()
        };
        let (rgba, w, h) = render(&s, GeomKind::Polygon, &o).unwrap();
        assert_eq!((w, h), (30, 15));
        assert_eq!(
            &rgba[(7 * 30 + 15) * 4..(7 * 30 + 15) * 4 + 4],
            &[0, 0, 255, 255]
        );
        let o = LegendOptions {
            rule: Some("nope".into()),
            ..Default::default()
        };
        assert!(render(&s, GeomKind::Polygon, &o).is_err());
    }
}
