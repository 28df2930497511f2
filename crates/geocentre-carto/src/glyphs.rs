//! Glyph range PBFs for MapLibre GL JS (`glyphs` URL of a style:
//! `.../fonts/{fontstack}/{range}.pbf`, e.g. `0-255.pbf`).
//!
//! Each response is a protobuf `glyphs` message (the `glyphs.proto` of
//! node-fontnik, "Protocol Version 1", proto2):
//!
//! ```text
//! message glyph     { required uint32 id = 1; optional bytes bitmap = 2;
//!                     required uint32 width = 3; required uint32 height = 4;
//!                     required sint32 left = 5; required sint32 top = 6;
//!                     required uint32 advance = 7; }
//! message fontstack { required string name = 1; required string range = 2;
//!                     repeated glyph glyphs = 3; }
//! message glyphs    { repeated fontstack stacks = 1; extensions 16 to 8191; }
//! ```
//!
//! Conventions (the ones node-fontnik / sdf-glyph-foundry produce and
//! MapLibre's `parse_glyph_pbf.ts` / `quads.ts` / symbol SDF shader consume):
//!
//! * glyphs are laid out at 24 px per em (FreeType `FT_Set_Char_Size(24pt)`
//!   at 72 dpi), unhinted; font units are scaled to 26.6 fixed point the way
//!   FreeType does it;
//! * `left`, `width`, `height` come from the glyph's outline bounding box,
//!   each edge rounded to whole pixels (`width = round(xMax) - round(xMin)`);
//! * `top = round(yMax) - ascender`, where `ascender` is the font's hhea
//!   ascender scaled to 24 px and rounded up to whole pixels, as FreeType's
//!   `size->metrics.ascender` (the "origin above the em box" MapLibre's
//!   glyph_manager.ts mentions); 23 px for DejaVu Sans;
//! * `advance` = the unhinted advance at 24 px, truncated to whole pixels;
//! * the bitmap is a signed distance field of `(width + 6) × (height + 6)`
//!   bytes, rows top to bottom, a 3 px buffer on every side, one sample per
//!   pixel centre; byte = 255 − 255·(d/8 + 0.25), rounded and clamped, with
//!   `d` the Euclidean distance in px from the pixel centre to the outline,
//!   negative inside (so the edge is at 191.25, 6 px outside is 0, 2 px
//!   inside is 255);
//! * code points the font does not map are omitted; glyphs without ink
//!   (space, no-break space, ...) are present with `width = height = 0`,
//!   no bitmap, `left = 0`, `top = -ascender` and their advance.
//!
//! The distance field is computed exactly from the outline (curves
//! flattened to within 0.01 px), not from a raster: every pixel centre gets
//! its true distance to the nearest outline segment and its inside/outside
//! state from the nonzero winding rule (TrueType's fill rule).
//!
//! Sources of the conventions: `proto/glyphs.proto`, `src/glyphs.cpp` and
//! `include/mapbox/glyph_foundry_impl.hpp` of mapbox/node-fontnik (which
//! vendors mapbox/sdf-glyph-foundry and builds FreeType 2.14.3);
//! `src/style/parse_glyph_pbf.ts`, `src/style/load_glyph_range.ts`,
//! `src/render/glyph_manager.ts`, `src/render/glyph_atlas.ts` and
//! `src/symbol/quads.ts` of maplibre/maplibre-gl-js; `index.js` of
//! mapbox/tiny-sdf (byte encoding); FreeType's `ft_recompute_scaled_metrics`
//! (ascender rounding). Metrics were checked against FreeType 2.12.1 for
//! every BMP glyph of DejaVu Sans, and against node-fontnik's Open Sans
//! fixture (`test/fixtures/range.0.256.pbf`).
//!
//! Known, deliberate differences from node-fontnik: the byte scale is
//! 255-based and rounded (fontnik: 256-based, truncated; ±1 level), and
//! curves are flattened to 0.01 px (fontnik's AGG flattening is coarser, up
//! to a few levels on curves). Component offsets of composite glyphs are
//! scaled together with the component's points, not separately, so for 2 of
//! DejaVu's 5370 BMP glyphs (U+02EC, U+05F2) one bbox edge rounds the other
//! way (the bitmap is one row/column smaller; the rendering is the same).

use ttf_parser::{Face, GlyphId, OutlineBuilder};

/// Pixels per em the glyphs are rendered at (MapLibre's `ONE_EM`).
pub const FONT_SIZE: u32 = 24;
/// Empty border around each bitmap, in px (MapLibre's `GLYPH_PBF_BORDER`).
pub const BUFFER: u32 = 3;
/// Distance in px that spans the whole byte range.
pub const RADIUS: f32 = 8.0;
/// Fraction of the byte range used for the inside of the glyph.
pub const CUTOFF: f32 = 0.25;

/// Largest bitmap side accepted (as sdf-glyph-foundry, which drops bigger glyphs' bitmaps).
const MAX_DIMENSION: i32 = 256;
/// Maximum distance of a flattened curve from the true curve, in px.
const FLATNESS: f32 = 0.01;

/// One glyph of a range, in MapLibre's metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glyph {
    pub id: u32,
    /// `(width + 6) * (height + 6)` SDF bytes, rows top to bottom; empty when `width == 0`.
    pub bitmap: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub left: i32,
    pub top: i32,
    pub advance: u32,
}

/// The glyph PBF of the 256 code points starting at `start` (a multiple of 256), for the font stack `stack` (the name MapLibre asked for; echoed in the message).
pub fn range_pbf(face: &Face<'_>, stack: &str, start: u32) -> Vec<u8> {
    debug_assert_eq!(start % 256, 0, "unaligned range start");
    let start = start & !0xff;
    let end = start + 255;
    let scaler = Scaler::new(face);
    let mut work = Work::default();

    let mut stack_msg = Vec::with_capacity(64 * 1024);
    pb::bytes_field(&mut stack_msg, 1, stack.as_bytes());
    pb::bytes_field(&mut stack_msg, 2, format!("{start}-{end}").as_bytes());
    let mut glyph_msg = Vec::with_capacity(4096);
    for cp in start..=end {
        let Some(gid) = glyph_index(face, cp) else {
            continue;
        };
        let g = render(face, &scaler, gid, cp, &mut work);
        glyph_msg.clear();
        encode_glyph(&mut glyph_msg, &g);
        pb::bytes_field(&mut stack_msg, 3, &glyph_msg);
    }
    let mut out = Vec::with_capacity(stack_msg.len() + 8);
    pb::bytes_field(&mut out, 1, &stack_msg);
    out
}

/// Parses "0-255" into 0; None for anything that is not a valid aligned range (start multiple of 256, end = start+255, end <= 65535).
pub fn parse_range(s: &str) -> Option<u32> {
    let (a, b) = s.split_once('-')?;
    let start = canonical_u32(a)?;
    let end = canonical_u32(b)?;
    (start % 256 == 0 && end <= 65535 && end.checked_sub(start) == Some(255)).then_some(start)
}

/// Decimal digits only, no sign, no leading zero (so each range has one spelling).
fn canonical_u32(s: &str) -> Option<u32> {
    let ok =
        !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

/// The glyph of code point `cp`, or None when the font does not map it.
pub fn glyph(face: &Face<'_>, cp: u32) -> Option<Glyph> {
    let gid = glyph_index(face, cp)?;
    Some(render(
        face,
        &Scaler::new(face),
        gid,
        cp,
        &mut Work::default(),
    ))
}

/// Unicode cmap lookup by u32 (FreeType's `FT_Get_Char_Index`: glyph 0 means "missing").
fn glyph_index(face: &Face<'_>, cp: u32) -> Option<GlyphId> {
    let cmap = face.tables().cmap?;
    cmap.subtables
        .into_iter()
        .filter(|t| t.is_unicode())
        .find_map(|t| t.glyph_index(cp))
        .filter(|g| g.0 != 0)
}

fn encode_glyph(out: &mut Vec<u8>, g: &Glyph) {
    pb::uint_field(out, 1, g.id as u64);
    if g.width > 0 {
        pb::bytes_field(out, 2, &g.bitmap);
    }
    pb::uint_field(out, 3, g.width as u64);
    pb::uint_field(out, 4, g.height as u64);
    pb::sint_field(out, 5, g.left);
    pb::sint_field(out, 6, g.top);
    pb::uint_field(out, 7, g.advance as u64);
}

/// Protobuf wire-format writer: just what `glyphs.proto` needs.
mod pb {
    const VARINT: u64 = 0;
    const LEN: u64 = 2;

    pub fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    fn key(out: &mut Vec<u8>, field: u32, wire_type: u64) {
        varint(out, (u64::from(field) << 3) | wire_type);
    }

    pub fn uint_field(out: &mut Vec<u8>, field: u32, v: u64) {
        key(out, field, VARINT);
        varint(out, v);
    }

    /// `sint32`: zigzag encoding.
    pub fn sint_field(out: &mut Vec<u8>, field: u32, v: i32) {
        key(out, field, VARINT);
        varint(out, u64::from(((v << 1) ^ (v >> 31)) as u32));
    }

    /// Length-delimited: `string`, `bytes` and embedded messages.
    pub fn bytes_field(out: &mut Vec<u8>, field: u32, data: &[u8]) {
        key(out, field, LEN);
        varint(out, data.len() as u64);
        out.extend_from_slice(data);
    }
}

/// Font units to 24 px, with FreeType's fixed-point arithmetic.
struct Scaler {
    /// 26.6 units per font unit (FreeType's 16.16 `x_scale`, as f64).
    to_26_6: f64,
    /// Scaled, pixel-rounded ascender, in px.
    ascender: i32,
}

impl Scaler {
    fn new(face: &Face<'_>) -> Self {
        let upem = i64::from(face.units_per_em().max(1));
        // FT_DivFix(24 << 6, units_per_EM): 16.16, rounded.
        let scale_16_16 = ((i64::from(FONT_SIZE) << 6 << 16) + upem / 2) / upem;
        let to_26_6 = scale_16_16 as f64 / 65536.0;

        // FreeType's face->ascender: hhea, or OS/2 typo then win metrics when hhea has none.
        let hhea = face.tables().hhea;
        let mut asc = hhea.ascender;
        if hhea.ascender == 0 && hhea.descender == 0 {
            if let Some(os2) = face.tables().os2 {
                asc = if os2.typographic_ascender() != 0 || os2.typographic_descender() != 0 {
                    os2.typographic_ascender()
                } else {
                    os2.windows_ascender()
                };
            }
        }
        // FreeType (>= 2.8, GRID_FIT_METRICS) reports the scaled ascender rounded *up* to
        // whole pixels in `size->metrics` (the TrueType driver's rounding only goes to the
        // hinted metrics); sdf-glyph-foundry takes `size->metrics.ascender / 64`.
        let asc26 = fix_mul(f64::from(asc), to_26_6);
        let asc_px = (asc26 + 63).div_euclid(64);
        Scaler {
            to_26_6,
            ascender: asc_px as i32,
        }
    }

    /// Font units to px, rounded to 1/64 px like FreeType's scaled outline points.
    fn px(&self, v: f32) -> f32 {
        fix_mul(f64::from(v), self.to_26_6) as f32 / 64.0
    }

    /// Advance in whole px: the unhinted 26.6 advance, truncated.
    fn advance(&self, units: u16) -> u32 {
        (fix_mul(f64::from(units), self.to_26_6) / 64) as u32
    }
}

/// `FT_MulFix` semantics: the product rounded half away from zero.
fn fix_mul(v: f64, scale: f64) -> i64 {
    (v * scale).round() as i64
}

/// A straight piece of the flattened outline, in px (y up, origin on the baseline).
#[derive(Clone, Copy, Debug)]
struct Seg {
    x0: f32,
    y0: f32,
    dx: f32,
    dy: f32,
    /// 1 / (dx² + dy²), 0 for a degenerate segment.
    inv_len2: f32,
}

impl Seg {
    fn new(x0: f32, y0: f32, x1: f32, y1: f32) -> Self {
        let (dx, dy) = (x1 - x0, y1 - y0);
        let l2 = dx * dx + dy * dy;
        Seg {
            x0,
            y0,
            dx,
            dy,
            inv_len2: if l2 > 0.0 { 1.0 / l2 } else { 0.0 },
        }
    }

    fn ymin(&self) -> f32 {
        self.y0.min(self.y0 + self.dy)
    }

    fn ymax(&self) -> f32 {
        self.y0.max(self.y0 + self.dy)
    }

    /// Squared distance from (px, py).
    #[inline]
    fn dist2(&self, px: f32, py: f32) -> f32 {
        let (ex, ey) = (px - self.x0, py - self.y0);
        let t = ((ex * self.dx + ey * self.dy) * self.inv_len2).clamp(0.0, 1.0);
        let (fx, fy) = (ex - t * self.dx, ey - t * self.dy);
        fx * fx + fy * fy
    }
}

/// Reusable buffers.
#[derive(Default)]
struct Work {
    segs: Vec<Seg>,
    near: Vec<Seg>,
    crossings: Vec<(f32, i32)>,
}

/// Collects the outline as px-space line segments, flattening curves.
struct Flattener<'a> {
    scaler: &'a Scaler,
    segs: &'a mut Vec<Seg>,
    start: (f32, f32),
    cur: (f32, f32),
    open: bool,
    bbox: [f32; 4],
}

impl Flattener<'_> {
    fn pt(&self, x: f32, y: f32) -> (f32, f32) {
        (self.scaler.px(x), self.scaler.px(y))
    }

    fn extend_bbox(&mut self, p: (f32, f32)) {
        let b = &mut self.bbox;
        b[0] = b[0].min(p.0);
        b[1] = b[1].min(p.1);
        b[2] = b[2].max(p.0);
        b[3] = b[3].max(p.1);
    }

    /// A segment to an outline point (which counts for the bounding box).
    fn line(&mut self, p: (f32, f32)) {
        self.seg_to(p);
        self.extend_bbox(p);
    }

    /// A segment to an intermediate point of a flattened curve (which does not: the
    /// bounding box takes the curve's exact extrema instead).
    fn seg_to(&mut self, p: (f32, f32)) {
        if p != self.cur {
            self.segs.push(Seg::new(self.cur.0, self.cur.1, p.0, p.1));
        }
        self.cur = p;
    }

    fn close_contour(&mut self) {
        if self.open {
            let s = self.start;
            self.line(s);
            self.open = false;
        }
    }
}

impl OutlineBuilder for Flattener<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close_contour();
        let p = self.pt(x, y);
        self.start = p;
        self.cur = p;
        self.open = true;
        self.extend_bbox(p);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.pt(x, y);
        self.line(p);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let p0 = self.cur;
        let p1 = self.pt(x1, y1);
        let p2 = self.pt(x, y);
        // Chord error with n uniform steps <= |p0 - 2p1 + p2| / (4 n²).
        let (ax, ay) = (p0.0 - 2.0 * p1.0 + p2.0, p0.1 - 2.0 * p1.1 + p2.1);
        // Exact bounding box: include the curve's extrema (as FT_Outline_Get_BBox).
        if let Some(x) = quad_extremum(p0.0, p1.0, p2.0) {
            self.extend_bbox((x, p0.1));
        }
        if let Some(y) = quad_extremum(p0.1, p1.1, p2.1) {
            self.extend_bbox((p0.0, y));
        }
        let dd = (ax * ax + ay * ay).sqrt();
        let n = ((dd / (4.0 * FLATNESS)).sqrt().ceil() as usize).clamp(1, 100);
        for i in 1..n {
            let t = i as f32 / n as f32;
            let u = 1.0 - t;
            let (a, b, c) = (u * u, 2.0 * u * t, t * t);
            self.seg_to((
                a * p0.0 + b * p1.0 + c * p2.0,
                a * p0.1 + b * p1.1 + c * p2.1,
            ));
        }
        self.line(p2);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let p0 = self.cur;
        let p1 = self.pt(x1, y1);
        let p2 = self.pt(x2, y2);
        let p3 = self.pt(x, y);
        // |B''| <= 6 max(|p0 - 2p1 + p2|, |p1 - 2p2 + p3|); chord error <= |B''| / (8 n²).
        let d1 = ((p0.0 - 2.0 * p1.0 + p2.0).powi(2) + (p0.1 - 2.0 * p1.1 + p2.1).powi(2)).sqrt();
        let d2 = ((p1.0 - 2.0 * p2.0 + p3.0).powi(2) + (p1.1 - 2.0 * p2.1 + p3.1).powi(2)).sqrt();
        let n = ((6.0 * d1.max(d2) / (8.0 * FLATNESS)).sqrt().ceil() as usize).clamp(1, 100);
        for x in cubic_extrema(p0.0, p1.0, p2.0, p3.0).into_iter().flatten() {
            self.extend_bbox((x, p0.1));
        }
        for y in cubic_extrema(p0.1, p1.1, p2.1, p3.1).into_iter().flatten() {
            self.extend_bbox((p0.0, y));
        }
        for i in 1..n {
            let t = i as f32 / n as f32;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.seg_to((
                a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
                a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
            ));
        }
        self.line(p3);
    }

    fn close(&mut self) {
        self.close_contour();
    }
}

/// The value at the interior extremum of the quadratic Bézier (a, b, c), if any.
fn quad_extremum(a: f32, b: f32, c: f32) -> Option<f32> {
    let acc = a - 2.0 * b + c;
    let t = (a - b) / acc;
    (acc != 0.0 && t > 0.0 && t < 1.0).then(|| {
        let u = 1.0 - t;
        u * u * a + 2.0 * u * t * b + t * t * c
    })
}

/// The values at the interior extrema of the cubic Bézier (a, b, c, d).
fn cubic_extrema(a: f32, b: f32, c: f32, d: f32) -> [Option<f32>; 2] {
    let eval = |t: f32| {
        let u = 1.0 - t;
        u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
    };
    let inside = |t: f32| (t > 0.0 && t < 1.0).then(|| eval(t));
    // B'(t)/3 = qa t² + qb t + qc
    let (qa, qb, qc) = (-a + 3.0 * b - 3.0 * c + d, 2.0 * (a - 2.0 * b + c), b - a);
    if qa.abs() < 1e-9 {
        return [if qb != 0.0 { inside(-qc / qb) } else { None }, None];
    }
    let disc = qb * qb - 4.0 * qa * qc;
    if disc < 0.0 {
        return [None, None];
    }
    let r = disc.sqrt();
    [
        inside((-qb + r) / (2.0 * qa)),
        inside((-qb - r) / (2.0 * qa)),
    ]
}

fn render(face: &Face<'_>, scaler: &Scaler, gid: GlyphId, cp: u32, work: &mut Work) -> Glyph {
    let advance = scaler.advance(face.glyph_hor_advance(gid).unwrap_or(0));
    let mut g = Glyph {
        id: cp,
        bitmap: Vec::new(),
        width: 0,
        height: 0,
        left: 0,
        top: -scaler.ascender,
        advance,
    };

    work.segs.clear();
    let mut fl = Flattener {
        scaler,
        segs: &mut work.segs,
        start: (0.0, 0.0),
        cur: (0.0, 0.0),
        open: false,
        bbox: [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ],
    };
    if face.outline_glyph(gid, &mut fl).is_none() {
        return g; // no outline: whitespace
    }
    fl.close_contour();
    let bbox = fl.bbox;
    if work.segs.is_empty() || !bbox.iter().all(|v| v.is_finite()) {
        return g;
    }
    // Round each bbox edge (half away from zero, as C's round()).
    let [x0, y0, x1, y1] = bbox.map(|v| v.round() as i32);
    let (w, h) = (x1 - x0, y1 - y0);
    if w <= 0 || h <= 0 || w > MAX_DIMENSION || h > MAX_DIMENSION {
        return g; // too thin (or absurdly big) to get a bitmap, as sdf-glyph-foundry
    }
    g.width = w as u32;
    g.height = h as u32;
    g.left = x0;
    g.top = y1 - scaler.ascender;
    g.bitmap = sdf(
        work,
        x0 - BUFFER as i32,
        y1 + BUFFER as i32,
        (w as u32 + 2 * BUFFER) as usize,
        (h as u32 + 2 * BUFFER) as usize,
    );
    g
}

/// Signed distance field of the outline in `work.segs` over a `bw × bh` pixel grid whose
/// top-left corner is (`left`, `top`) in px (y up); one sample per pixel centre.
fn sdf(work: &mut Work, left: i32, top: i32, bw: usize, bh: usize) -> Vec<u8> {
    // Beyond these distances the byte saturates: d >= 6 px → 0 and d <= -2 px → 255.
    let reach = RADIUS * (1.0 - CUTOFF);
    let reach2 = reach * reach;
    let scale = 255.0 / RADIUS;
    let base = 255.0 * (1.0 - CUTOFF);

    let mut out = vec![0u8; bw * bh];
    let Work {
        segs,
        near,
        crossings,
    } = work;
    for r in 0..bh {
        let cy = top as f32 - r as f32 - 0.5;

        // Nonzero winding along this row: signed crossings of the horizontal line y = cy.
        crossings.clear();
        for s in segs.iter() {
            let y1 = s.y0 + s.dy;
            if (s.y0 <= cy) != (y1 <= cy) {
                let x = s.x0 + (cy - s.y0) * s.dx / s.dy;
                crossings.push((x, if s.dy > 0.0 { 1 } else { -1 }));
            }
        }
        crossings.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));

        // Only segments within `reach` vertically can matter on this row.
        near.clear();
        near.extend(
            segs.iter()
                .filter(|s| s.ymin() - reach <= cy && s.ymax() + reach >= cy),
        );

        let mut winding = 0;
        let mut k = 0;
        let row = &mut out[r * bw..(r + 1) * bw];
        for (c, px) in row.iter_mut().enumerate() {
            let cx = left as f32 + c as f32 + 0.5;
            while k < crossings.len() && crossings[k].0 < cx {
                winding += crossings[k].1;
                k += 1;
            }
            let mut best = reach2;
            for s in near.iter() {
                best = best.min(s.dist2(cx, cy));
            }
            let mut d = best.sqrt();
            if winding != 0 {
                d = -d;
            }
            *px = (base - scale * d).round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// The label font, as the server embeds it.
    fn dejavu_sans() -> Face<'static> {
        crate::font::face()
            .expect("embedded DejaVu Sans parses")
            .clone()
    }

    use super::*;

    /// Minimal, independent protobuf reader (wire types 0 and 2 only).
    struct Reader<'a> {
        buf: &'a [u8],
        pos: usize,
    }

    #[derive(Debug)]
    enum Value<'a> {
        Varint(u64),
        Bytes(&'a [u8]),
    }

    impl<'a> Reader<'a> {
        fn new(buf: &'a [u8]) -> Self {
            Reader { buf, pos: 0 }
        }

        fn varint(&mut self) -> u64 {
            let mut v = 0u64;
            for shift in (0..64).step_by(7) {
                let b = self.buf[self.pos];
                self.pos += 1;
                v |= u64::from(b & 0x7f) << shift;
                if b < 0x80 {
                    return v;
                }
            }
            panic!("varint too long");
        }

        fn next(&mut self) -> Option<(u32, Value<'a>)> {
            if self.pos >= self.buf.len() {
                return None;
            }
            let key = self.varint();
            let field = (key >> 3) as u32;
            match key & 7 {
                0 => Some((field, Value::Varint(self.varint()))),
                2 => {
                    let n = self.varint() as usize;
                    let b = &self.buf[self.pos..self.pos + n];
                    self.pos += n;
                    Some((field, Value::Bytes(b)))
                }
                t => panic!("unexpected wire type {t}"),
            }
        }
    }

    #[derive(Debug, Default, Clone)]
    struct G {
        id: Option<u32>,
        bitmap: Option<Vec<u8>>,
        width: Option<u32>,
        height: Option<u32>,
        left: Option<i32>,
        top: Option<i32>,
        advance: Option<u32>,
    }

    fn unzigzag(v: u64) -> i32 {
        let v = v as u32;
        ((v >> 1) as i32) ^ -((v & 1) as i32)
    }

    fn decode(buf: &[u8]) -> Vec<(String, String, Vec<G>)> {
        let mut stacks = Vec::new();
        let mut r = Reader::new(buf);
        while let Some((f, v)) = r.next() {
            let (1, Value::Bytes(stack)) = (f, v) else {
                panic!("bad glyphs field {f}")
            };
            let (mut name, mut range, mut glyphs) = (None, None, Vec::new());
            let mut rs = Reader::new(stack);
            while let Some((f, v)) = rs.next() {
                match (f, v) {
                    (1, Value::Bytes(b)) => name = Some(String::from_utf8(b.to_vec()).unwrap()),
                    (2, Value::Bytes(b)) => range = Some(String::from_utf8(b.to_vec()).unwrap()),
                    (3, Value::Bytes(b)) => {
                        let mut g = G::default();
                        let mut rg = Reader::new(b);
                        while let Some((f, v)) = rg.next() {
                            match (f, v) {
                                (1, Value::Varint(x)) => g.id = Some(x as u32),
                                (2, Value::Bytes(x)) => g.bitmap = Some(x.to_vec()),
                                (3, Value::Varint(x)) => g.width = Some(x as u32),
                                (4, Value::Varint(x)) => g.height = Some(x as u32),
                                (5, Value::Varint(x)) => g.left = Some(unzigzag(x)),
                                (6, Value::Varint(x)) => g.top = Some(unzigzag(x)),
                                (7, Value::Varint(x)) => g.advance = Some(x as u32),
                                (f, v) => panic!("unexpected glyph field {f}: {v:?}"),
                            }
                        }
                        glyphs.push(g);
                    }
                    (f, v) => panic!("unexpected fontstack field {f}: {v:?}"),
                }
            }
            stacks.push((name.expect("name"), range.expect("range"), glyphs));
        }
        stacks
    }

    fn find(glyphs: &[G], cp: u32) -> &G {
        glyphs
            .iter()
            .find(|g| g.id == Some(cp))
            .unwrap_or_else(|| panic!("U+{cp:04X} missing"))
    }

    #[test]
    fn range_0_255_decodes_and_has_sane_glyphs() {
        let face = dejavu_sans();
        let pbf = range_pbf(&face, "DejaVu Sans Book", 0);
        let stacks = decode(&pbf);
        assert_eq!(stacks.len(), 1);
        let (name, range, glyphs) = &stacks[0];
        assert_eq!(name, "DejaVu Sans Book");
        assert_eq!(range, "0-255");

        // Every glyph has all required fields, ids ascend within the range, and the
        // bitmap has exactly (w+6)(h+6) bytes when present.
        let mut last = None;
        for g in glyphs {
            let id = g.id.unwrap();
            assert!(id <= 255 && last < Some(id));
            last = Some(id);
            let (w, h) = (g.width.unwrap(), g.height.unwrap());
            assert!(g.left.is_some() && g.top.is_some() && g.advance.is_some());
            match &g.bitmap {
                Some(b) => {
                    assert!(w > 0 && h > 0);
                    assert_eq!(b.len() as u32, (w + 6) * (h + 6), "U+{id:04X}");
                }
                None => assert_eq!((w, h), (0, 0)),
            }
        }
        // Printable ASCII and Latin-1 are all there (DejaVu maps no C0/C1 controls).
        for cp in (0x20..=0x7e).chain(0xa0..=0xff) {
            find(glyphs, cp);
        }
        assert_eq!(glyphs.len(), 95 + 96);

        let scale = 24.0 / f64::from(face.units_per_em());
        let asc = 23; // ceil(1901 · 24/2048)

        // Space: present, no bitmap, advance = 1038 units · 24/2048 = 7.6 → 7.
        let space = find(glyphs, 0x20);
        assert!(space.bitmap.is_none());
        assert_eq!(
            (space.width, space.height, space.left, space.top),
            (Some(0), Some(0), Some(0), Some(-asc))
        );
        let adv = f64::from(
            face.glyph_hor_advance(face.glyph_index(' ').unwrap())
                .unwrap(),
        ) * scale;
        assert_eq!(space.advance.unwrap(), adv as u32);
        assert_eq!(space.advance.unwrap(), 7);

        // 'A': advance consistent with ttf-parser's advance scaled to 24 px.
        let a = find(glyphs, 'A' as u32);
        let gid = face.glyph_index('A').unwrap();
        let adv = f64::from(face.glyph_hor_advance(gid).unwrap()) * scale;
        assert_eq!(
            a.advance.unwrap(),
            adv.floor() as u32,
            "advance {:?} vs {adv}",
            a.advance
        );
        // Bounding box from ttf-parser, scaled (with FreeType's 1/64 px rounding) and rounded.
        let bb = face.glyph_bounding_box(gid).unwrap();
        let px = |v: i16| ((f64::from(v) * 0.75).round() / 64.0).round() as i32;
        assert_eq!(a.left.unwrap(), px(bb.x_min));
        assert_eq!(a.width.unwrap() as i32, px(bb.x_max) - px(bb.x_min));
        assert_eq!(a.height.unwrap() as i32, px(bb.y_max) - px(bb.y_min));
        assert_eq!(a.top.unwrap(), px(bb.y_max) - asc);

        // SDF of 'A': inside pixels > 191 near the glyph centre; far outside == 0.
        let (w, h) = (
            a.width.unwrap() as usize + 6,
            a.height.unwrap() as usize + 6,
        );
        let bm = a.bitmap.as_ref().unwrap();
        let at = |x: usize, y: usize| bm[y * w + x];
        // The corners of the buffered box are > 6 px from the ink (the apex is centred).
        for (x, y) in [(0, 0), (w - 1, 0), (1, 1), (w - 2, 1)] {
            assert_eq!(at(x, y), 0, "({x},{y})");
        }
        // The crossbar (DejaVu's spans y = 377..580 units, 4.4..6.8 px above the baseline)
        // crosses the centre column; the apex is at the top centre.
        let crossbar_row = h - 1 - 3 - 5; // pixel centre 5.5 px above the baseline
        assert!(
            at(w / 2, crossbar_row) > 191,
            "crossbar {}",
            at(w / 2, crossbar_row)
        );
        // (row 3 is centred exactly on the apex's top edge at 17.5 px: 191 there)
        assert_eq!(at(w / 2, 3), 191);
        assert!(at(w / 2, 4) > 191, "apex {}", at(w / 2, 4));
        // The counter above the crossbar is outside; so is the gap between the legs.
        assert!(at(w / 2, crossbar_row - 4) < 191);
        assert!(at(w / 2, h - 4) < 191);

        // 'é' (a composite glyph): present, with a bitmap, taller than 'e', same advance.
        let e_acute = find(glyphs, 0xe9);
        let e = find(glyphs, 'e' as u32);
        assert!(e_acute.bitmap.is_some());
        assert!(e_acute.top.unwrap() > e.top.unwrap());
        assert_eq!(e_acute.advance, e.advance);
        assert_eq!(
            e_acute.height.unwrap() as i32 - e_acute.top.unwrap(),
            e.height.unwrap() as i32 - e.top.unwrap()
        );

        // Baseline: 'A' sits on it (bottom = top - height = -ascender), 'g' descends below it.
        let g = find(glyphs, 'g' as u32);
        assert_eq!(a.top.unwrap() - a.height.unwrap() as i32, -asc);
        assert!(g.top.unwrap() - (g.height.unwrap() as i32) < -asc - 3);
    }

    #[test]
    fn inside_is_high_and_far_outside_is_zero() {
        let face = dejavu_sans();
        // Vertical bars: the centre pixel of the bar is inside.
        for ch in ['l', 'I', '|', '.', '\u{b7}'] {
            let g = glyph(&face, ch as u32).unwrap();
            let (w, h) = (g.width as usize + 6, g.height as usize + 6);
            let v = g.bitmap[(h / 2) * w + w / 2];
            assert!(v > 191, "{ch}: centre {v}");
        }
        // Column 0, beside the left stem of 'M': d = xMin − (left − 3 + 0.5) px.
        let m = glyph(&face, 'M' as u32).unwrap();
        let w = m.width as usize + 6;
        let v = m.bitmap[(m.height as usize + 6) / 2 * w];
        let xmin = f32::from(
            face.glyph_bounding_box(face.glyph_index('M').unwrap())
                .unwrap()
                .x_min,
        ) * 24.0
            / 2048.0;
        let d = xmin - (m.left as f32 - 2.5);
        let expect = 255.0 - 255.0 * (d / 8.0 + 0.25);
        assert!(
            (f32::from(v) - expect).abs() <= 1.0,
            "beside the stem: {v}, expected {expect}"
        );
        // Top-right corner of 'L': far from the ink.
        let l = glyph(&face, 'L' as u32).unwrap();
        let w = l.width as usize + 6;
        assert_eq!(l.bitmap[w - 1], 0);
        // A heavy glyph has saturated (255) pixels more than 2 px inside: '■' (U+25A0).
        let sq = glyph(&face, 0x25a0).unwrap();
        let w = sq.width as usize + 6;
        assert_eq!(sq.bitmap[(sq.height as usize + 6) / 2 * w + w / 2], 255);
    }

    #[test]
    fn dejavu_metrics_match_freetype() {
        // (cp, width, height, left, top, advance) printed for DejaVuSans.ttf 2.37 by a small
        // C program on FreeType 2.12.1: FT_Set_Char_Size(24·64) at 72 dpi, FT_LOAD_NO_HINTING,
        // FT_Outline_Get_BBox rounded to px, top = yMax − size->metrics.ascender/64,
        // advance = metrics.horiAdvance/64 (sdf-glyph-foundry's conventions).
        // All 5370 BMP glyphs agree except U+02EC and U+05F2 (a 1/64 px composite-offset
        // rounding difference flips one bbox edge).
        let expected = [
            (0x20, 0, 0, 0, -23, 7),
            (0x21, 2, 18, 4, -5, 9),
            (0x2e, 2, 3, 3, -20, 7),
            (0x40, 20, 21, 2, -6, 24),
            (0x41, 16, 18, 0, -5, 16),
            (0x67, 12, 18, 1, -10, 15),
            (0x6a, 4, 23, 0, -5, 6),
            (0xa0, 0, 0, 0, -23, 7),
            (0xad, 6, 2, 1, -15, 8),
            (0xc5, 16, 22, 0, -1, 16),
            (0xe9, 12, 19, 1, -4, 14),
            (0xff, 12, 23, 1, -5, 14),
        ];
        let face = dejavu_sans();
        assert_eq!(Scaler::new(&face).ascender, 23);
        for (cp, w, h, left, top, adv) in expected {
            let g = glyph(&face, cp).unwrap();
            assert_eq!(
                (g.width, g.height, g.left, g.top, g.advance),
                (w, h, left, top, adv),
                "U+{cp:04X}"
            );
        }
    }

    #[test]
    fn parse_range_accepts_and_rejects() {
        assert_eq!(parse_range("0-255"), Some(0));
        assert_eq!(parse_range("256-511"), Some(256));
        assert_eq!(parse_range("65280-65535"), Some(65280));
        for bad in [
            "1-256",
            "0-256",
            "abc",
            "65536-65791",
            "",
            "-",
            "0-",
            "-255",
            "00-255",
            "+0-255",
            "0-255.pbf",
            " 0-255",
            "0 - 255",
            "256-255",
            "512-511",
            "4294967040-4294967295",
        ] {
            assert_eq!(parse_range(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn private_use_range_is_a_valid_empty_message() {
        let face = dejavu_sans();
        let pbf = range_pbf(&face, "DejaVu Sans Book", 0xe000);
        let stacks = decode(&pbf);
        assert_eq!(stacks.len(), 1);
        assert_eq!(stacks[0].0, "DejaVu Sans Book");
        assert_eq!(stacks[0].1, "57344-57599");
        assert!(stacks[0].2.is_empty());
    }

    #[test]
    fn varint_and_zigzag() {
        let mut v = Vec::new();
        pb::varint(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
        let mut b = Vec::new();
        pb::sint_field(&mut b, 6, -1);
        assert_eq!(b, [0x30, 0x01]);
        for x in [0, -1, 1, -23, 63, -64, 64, i32::MAX, i32::MIN] {
            let mut b = Vec::new();
            pb::sint_field(&mut b, 6, x);
            match Reader::new(&b).next() {
                Some((6, Value::Varint(z))) => assert_eq!(unzigzag(z), x),
                other => panic!("{other:?}"),
            }
        }
    }

    /// Cross-check against an independent rasteriser: where tiny-skia's anti-aliased
    /// coverage says a pixel is fully covered the SDF must say inside, where it says
    /// empty it must say outside (both up to the byte rounding at the edge).
    #[test]
    fn agrees_with_tiny_skia_coverage() {
        use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Transform};
        struct Pb(PathBuilder);
        impl OutlineBuilder for Pb {
            fn move_to(&mut self, x: f32, y: f32) {
                self.0.move_to(x, y)
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.0.line_to(x, y)
            }
            fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
                self.0.quad_to(a, b, x, y)
            }
            fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
                self.0.cubic_to(a, b, c, d, x, y)
            }
            fn close(&mut self) {
                self.0.close()
            }
        }
        let face = dejavu_sans();
        let asc = Scaler::new(&face).ascender;
        let s = 24.0 / f32::from(face.units_per_em());
        let mut checked = 0;
        for cp in (0x21..=0x7eu32).chain(0xa1..=0x24f) {
            let Some(g) = glyph(&face, cp) else { continue };
            if g.width == 0 {
                continue;
            }
            let (bw, bh) = (g.width + 6, g.height + 6);
            let mut pb = Pb(PathBuilder::new());
            face.outline_glyph(glyph_index(&face, cp).unwrap(), &mut pb)
                .unwrap();
            let path = pb.0.finish().unwrap();
            let mut pm = Pixmap::new(bw, bh).unwrap();
            let mut paint = Paint {
                anti_alias: true,
                ..Default::default()
            };
            paint.set_color_rgba8(0, 0, 0, 255);
            // Font units → bitmap px: x' = x·s − (left − 3), y' = (top + asc + 3) − y·s.
            let t = Transform::from_row(
                s,
                0.0,
                0.0,
                -s,
                3.0 - g.left as f32,
                (g.top + asc + 3) as f32,
            );
            pm.fill_path(&path, &paint, FillRule::Winding, t, None);
            let mut disagree = 0;
            for (i, px) in pm.pixels().iter().enumerate() {
                let (a, v) = (px.alpha(), g.bitmap[i]);
                if a == 255 {
                    assert!(v >= 187, "U+{cp:04X} pixel {i}: covered but sdf {v}");
                } else if a == 0 {
                    assert!(v <= 195, "U+{cp:04X} pixel {i}: empty but sdf {v}");
                }
                if (a >= 192 && v < 191) || (a <= 64 && v > 191) {
                    disagree += 1;
                }
            }
            assert!(disagree <= 1, "U+{cp:04X}: {disagree} pixels disagree");
            checked += 1;
        }
        assert!(checked > 400, "{checked}");
    }

    #[test]
    fn timing_full_range() {
        let face = dejavu_sans();
        let _ = range_pbf(&face, "DejaVu Sans Book", 0); // warm-up
        let n = 10;
        let t = std::time::Instant::now();
        let mut len = 0;
        for _ in 0..n {
            len += range_pbf(&face, "DejaVu Sans Book", 0).len();
        }
        let dt = t.elapsed() / n;
        eprintln!(
            "range 0-255 (191 glyphs): {dt:?} per range, {} bytes",
            len / n as usize
        );
        if !cfg!(debug_assertions) {
            assert!(dt.as_millis() < 100, "too slow: {dt:?}");
        }
    }
}
