//! The label font: DejaVu Sans (Debian's fonts-dejavu-core, embedded at
//! build time), its glyph outlines read with ttf-parser and drawn as
//! tiny-skia paths: anti-aliased like the rest of the map, and a halo is
//! the same path stroked. Latin-1 and Latin Extended are covered, so
//! French accents render.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tiny_skia::{Path, PathBuilder, Transform};

static FONT_DATA: &[u8] = include_bytes!("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

struct Font {
    face: ttf_parser::Face<'static>,
    units: f32,
    ascender: f32,
    descender: f32,
    /// Outlines in font units (y up), by glyph; `None` for blank glyphs.
    outlines: Mutex<HashMap<u16, Option<Path>>>,
}

fn font() -> Option<&'static Font> {
    static FONT: OnceLock<Option<Font>> = OnceLock::new();
    FONT.get_or_init(|| {
        let face = ttf_parser::Face::parse(FONT_DATA, 0).ok()?;
        Some(Font {
            units: f32::from(face.units_per_em()),
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            face,
            outlines: Mutex::new(HashMap::new()),
        })
    })
    .as_ref()
}

/// The label font's face, for the glyphs web maps fetch (`glyphs.rs`).
pub fn face() -> Option<&'static ttf_parser::Face<'static>> {
    font().map(|f| &f.face)
}

/// The font stack name web map styles ask for.
pub const FONT_STACK: &str = "DejaVu Sans";

struct Outline(PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

/// A line of text laid out at a size: glyphs and their pen positions.
#[derive(Debug, Clone)]
pub struct Shaped {
    glyphs: Vec<(u16, f32)>,
    /// Advance width in pixels.
    pub width: f32,
    pub size: f32,
}

impl Shaped {
    /// Pixels above the baseline.
    pub fn ascent(&self) -> f32 {
        font().map_or(self.size * 0.76, |f| f.ascender / f.units * self.size)
    }
    /// Pixels below the baseline (positive).
    pub fn descent(&self) -> f32 {
        font().map_or(self.size * 0.24, |f| -f.descender / f.units * self.size)
    }
    pub fn height(&self) -> f32 {
        self.ascent() + self.descent()
    }

    /// The outline of the text with its baseline's left end at the origin
    /// of `ts` (y down, as on the map). `None` for blank text.
    pub fn path(&self, ts: Transform) -> Option<Path> {
        let f = font()?;
        let s = self.size / f.units;
        let mut pb = PathBuilder::new();
        let mut cache = f.outlines.lock().unwrap_or_else(|p| p.into_inner());
        for &(id, x) in &self.glyphs {
            let outline = cache.entry(id).or_insert_with(|| {
                let mut o = Outline(PathBuilder::new());
                f.face.outline_glyph(ttf_parser::GlyphId(id), &mut o)?;
                o.0.finish()
            });
            if let Some(p) = outline {
                let glyph_ts = ts.pre_concat(Transform::from_row(s, 0.0, 0.0, -s, x, 0.0));
                if let Some(p) = p.clone().transform(glyph_ts) {
                    pb.push_path(&p);
                }
            }
        }
        pb.finish()
    }
}

/// Lays `text` out on one line at `size` pixels. Characters the font
/// lacks are drawn as its replacement glyph.
pub fn shape(text: &str, size: f32) -> Option<Shaped> {
    let f = font()?;
    let s = size / f.units;
    let mut x = 0.0;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars().filter(|c| !c.is_control()) {
        let id = f
            .face
            .glyph_index(c)
            .or_else(|| f.face.glyph_index('\u{FFFD}'))
            .unwrap_or(ttf_parser::GlyphId(0));
        glyphs.push((id.0, x));
        x += f32::from(f.face.glyph_hor_advance(id).unwrap_or(0)) * s;
    }
    Some(Shaped {
        glyphs,
        width: x,
        size,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn accented_text_has_outlines_and_a_width() {
        let s = super::shape("Orléans-Saint-Étienne", 12.0).unwrap();
        assert!(s.width > 100.0 && s.width < 200.0, "{}", s.width);
        let p = s.path(tiny_skia::Transform::identity()).unwrap();
        let b = p.bounds();
        // Above the baseline (negative y), É's accent included.
        assert!(b.top() < -s.ascent() * 0.8, "{b:?}");
        let e = super::shape("e", 12.0).unwrap();
        let e_acute = super::shape("é", 12.0).unwrap();
        let (pe, pa) = (
            e.path(tiny_skia::Transform::identity()).unwrap(),
            e_acute.path(tiny_skia::Transform::identity()).unwrap(),
        );
        assert!(pa.bounds().top() < pe.bounds().top() - 1.0);
    }
}
