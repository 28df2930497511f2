//! Drawing on rendered maps: dalle outlines (tiny-skia) and the message of
//! an INIMAGE exception (an 8×8 bitmap font, no font files to ship).

use tiny_skia::{Color, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform};

/// Premultiplied (tiny-skia) to straight alpha, as the compositor expects.
pub fn into_straight(p: Pixmap) -> Vec<u8> {
    let mut data = p.take();
    // Maps are mostly runs of one colour (a fill, the background): the
    // last pixel's answer is reused, sparing three divisions a pixel,
    // which showed in vector map profiles.
    let mut last = ([0u8; 4], [0u8; 4]);
    for px in data.chunks_exact_mut(4) {
        let a = u32::from(px[3]);
        if a > 0 && a < 255 {
            if px == last.0 {
                px.copy_from_slice(&last.1);
                continue;
            }
            last.0.copy_from_slice(px);
            for c in &mut px[..3] {
                *c = ((u32::from(*c) * 255 + a / 2) / a).min(255) as u8;
            }
            last.1.copy_from_slice(px);
        }
    }
    data
}

/// Strokes closed rings given in pixel coordinates. `None` when the size
/// is not drawable.
pub fn outlines(rings: &[Vec<(f32, f32)>], w: u32, h: u32, rgb: [u8; 3]) -> Option<Vec<u8>> {
    let mut pix = Pixmap::new(w, h)?;
    let mut pb = PathBuilder::new();
    for ring in rings {
        let mut pts = ring.iter();
        let Some(&(x0, y0)) = pts.next() else {
            continue;
        };
        pb.move_to(x0, y0);
        for &(x, y) in pts {
            pb.line_to(x, y);
        }
        pb.close();
    }
    if let Some(path) = pb.finish() {
        let mut paint = Paint::default();
        paint.set_color(Color::from_rgba8(rgb[0], rgb[1], rgb[2], 255));
        paint.anti_alias = true;
        let stroke = Stroke {
            width: 1.5,
            line_cap: LineCap::Butt,
            line_join: LineJoin::Miter,
            ..Stroke::default()
        };
        pix.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
    }
    Some(into_straight(pix))
}

/// Writes `text` in black onto a straight-alpha RGBA image, wrapped to the
/// width, with an opaque background behind each line for legibility.
pub fn text(rgba: &mut [u8], w: u32, h: u32, text: &str) {
    use font8x8::UnicodeFonts;
    let (w, h) = (w as usize, h as usize);
    let cols = (w.saturating_sub(8) / 8).max(1);
    let chars: Vec<char> = text.chars().collect();
    for (line_no, line) in chars.chunks(cols).enumerate() {
        let y0 = 4 + line_no * 10;
        if y0 + 8 > h {
            break;
        }
        for (i, ch) in line.iter().enumerate() {
            let glyph = font8x8::BASIC_FONTS
                .get(*ch)
                .or_else(|| font8x8::LATIN_FONTS.get(*ch))
                .unwrap_or([0; 8]);
            let x0 = 4 + i * 8;
            for (gy, bits) in glyph.iter().enumerate() {
                for gx in 0..8 {
                    let (x, y) = (x0 + gx, y0 + gy);
                    if x >= w || y >= h {
                        continue;
                    }
                    let o = (y * w + x) * 4;
                    let on = bits & (1 << gx) != 0;
                    let v = if on { 0 } else { 255 };
                    rgba[o..o + 4].copy_from_slice(&[v, v, v, 255]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn straight_alpha_of_runs_equals_each_pixel() {
        let mut p = tiny_skia::Pixmap::new(6, 1).unwrap();
        let premul: [[u8; 4]; 6] = [
            [88, 108, 119, 150],
            [88, 108, 119, 150],
            [0, 0, 0, 0],
            [88, 108, 119, 150],
            [11, 42, 63, 90],
            [31, 120, 180, 255],
        ];
        p.data_mut()
            .copy_from_slice(&premul.iter().flatten().copied().collect::<Vec<u8>>());
        let out = super::into_straight(p);
        for (q, o) in premul.iter().zip(out.chunks_exact(4)) {
            let a = u32::from(q[3]);
            let want: Vec<u8> = (0..3)
                .map(|c| {
                    if a == 0 || a == 255 {
                        q[c]
                    } else {
                        ((u32::from(q[c]) * 255 + a / 2) / a).min(255) as u8
                    }
                })
                .chain([q[3]])
                .collect();
            assert_eq!(o, &want[..]);
        }
    }

    #[test]
    fn a_square_outline_is_drawn_on_its_edges_only() {
        let ring = vec![(10.0, 10.0), (50.0, 10.0), (50.0, 50.0), (10.0, 50.0)];
        let img = super::outlines(&[ring], 64, 64, [255, 0, 0]).unwrap();
        let a = |x: usize, y: usize| img[(y * 64 + x) * 4 + 3];
        assert!(a(30, 10) > 128 && a(50, 30) > 128);
        assert_eq!(a(30, 30), 0);
        assert_eq!(a(2, 2), 0);
    }

    #[test]
    fn text_leaves_dark_pixels() {
        let mut img = vec![0u8; 200 * 40 * 4];
        super::text(&mut img, 200, 40, "InvalidCRS");
        assert!(img.chunks_exact(4).any(|p| p[0] == 0 && p[3] == 255));
        assert!(img.chunks_exact(4).any(|p| p[0] == 255));
    }
}
