//! Anti-aliased lines of a pixel or less, drawn straight into a pixmap's
//! premultiplied pixels. tiny-skia runs its raster pipeline once per
//! blitted pixel run for hairlines, a run of one or two pixels here: commune
//! outlines cost a third of a vector map's time that way (perf,
//! bench/vector.sh). Each pixel column (or row) crossed by the line gets
//! its coverage split between the two pixels the line's centre falls
//! between, as Wu's algorithm does.

use tiny_skia::Pixmap;

/// Premultiplied colour and coverage of a line, 0–255 each.
#[derive(Clone, Copy)]
struct Ink {
    rgba: [u32; 4],
}

impl Ink {
    /// `rgba` straight; `width` ≤ 1 scales the coverage, as tiny-skia does
    /// for thin strokes.
    fn new(rgba: [u8; 4], width: f32) -> Ink {
        let a = (f32::from(rgba[3]) * width.clamp(0.0, 1.0)).round() as u32;
        let pre = |c: u8| (u32::from(c) * a + 127) / 255;
        Ink {
            rgba: [pre(rgba[0]), pre(rgba[1]), pre(rgba[2]), a],
        }
    }
}

/// Blends `ink` at coverage `cov` (0–256) over pixel (x, y), source-over.
#[inline]
fn plot(data: &mut [u8], w: i64, h: i64, x: i64, y: i64, ink: Ink, cov: u32) {
    if x < 0 || y < 0 || x >= w || y >= h || cov == 0 {
        return;
    }
    let i = ((y * w + x) * 4) as usize;
    let Some(px) = data.get_mut(i..i + 4) else {
        return;
    };
    let sa = (ink.rgba[3] * cov) >> 8;
    let keep = 255 - sa;
    for (d, s) in px.iter_mut().zip(ink.rgba) {
        let s = (s * cov) >> 8;
        *d = (s + (u32::from(*d) * keep + 127) / 255).min(255) as u8;
    }
}

/// Draws one segment from `a` to `b` (pixel coordinates, pixel centres at
/// .5). Its last column or row is left to the next segment, so a polyline
/// darkens no joint twice when it keeps its direction.
fn segment(data: &mut [u8], w: i64, h: i64, a: (f64, f64), b: (f64, f64), ink: Ink) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    if !(dx.is_finite() && dy.is_finite()) || (dx == 0.0 && dy == 0.0) {
        return;
    }
    // Walk the major axis; `flip` swaps x and y for steep lines.
    let flip = dy.abs() > dx.abs();
    let (a, b) = if flip {
        ((a.1, a.0), (b.1, b.0))
    } else {
        (a, b)
    };
    let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    let slope = (b.1 - a.1) / (b.0 - a.0);
    // Columns whose centre lies in [a.x, b.x).
    let first = (a.0 - 0.5).ceil() as i64;
    let last = (b.0 - 0.5).ceil() as i64 - 1;
    let limit = if flip { h } else { w };
    let (first, last) = (first.max(-1), last.min(limit));
    for col in first..=last {
        let yc = a.1 + (col as f64 + 0.5 - a.0) * slope - 0.5;
        let row = yc.floor();
        let f = ((yc - row) * 256.0) as u32;
        let row = row as i64;
        let (near, far) = (256 - f, f);
        if flip {
            plot(data, w, h, row, col, ink, near);
            plot(data, w, h, row + 1, col, ink, far);
        } else {
            plot(data, w, h, col, row, ink, near);
            plot(data, w, h, col, row + 1, ink, far);
        }
    }
}

/// Draws a polyline (closed: back to its first point) `width` ≤ 1 px wide.
pub(crate) fn polyline(
    pix: &mut Pixmap,
    pts: &[(f64, f64)],
    closed: bool,
    rgba: [u8; 4],
    width: f32,
) {
    let (w, h) = (i64::from(pix.width()), i64::from(pix.height()));
    let ink = Ink::new(rgba, width);
    if ink.rgba[3] == 0 || pts.len() < 2 {
        return;
    }
    let data = pix.data_mut();
    for s in pts.windows(2) {
        segment(data, w, h, s[0], s[1], ink);
    }
    if let (true, Some(&first), Some(&last)) = (closed, pts.first(), pts.last()) {
        if first != last {
            segment(data, w, h, last, first, ink);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alpha(p: &Pixmap, x: u32, y: u32) -> u8 {
        p.pixel(x, y).map_or(0, |c| c.alpha())
    }

    #[test]
    fn a_line_between_pixel_centres_is_one_pixel_wide() {
        let mut p = Pixmap::new(20, 10).unwrap();
        polyline(
            &mut p,
            &[(2.5, 4.5), (12.5, 4.5)],
            false,
            [0, 0, 255, 255],
            1.0,
        );
        for x in 2..12 {
            assert_eq!(alpha(&p, x, 4), 255, "x={x}");
            assert_eq!((alpha(&p, x, 3), alpha(&p, x, 5)), (0, 0), "x={x}");
        }
        assert_eq!((alpha(&p, 1, 4), alpha(&p, 12, 4)), (0, 0));
    }

    #[test]
    fn a_line_between_rows_shares_its_ink_and_keeps_its_total() {
        let mut p = Pixmap::new(20, 20).unwrap();
        polyline(
            &mut p,
            &[(1.0, 5.0), (19.0, 5.0)],
            false,
            [255, 0, 0, 255],
            1.0,
        );
        let (up, down) = (alpha(&p, 10, 4), alpha(&p, 10, 5));
        assert!(
            (126..=129).contains(&up) && (126..=129).contains(&down),
            "{up} {down}"
        );
        // A steep diagonal: one pixel's worth of ink per row.
        let mut q = Pixmap::new(20, 20).unwrap();
        polyline(
            &mut q,
            &[(3.2, 1.0), (9.7, 18.0)],
            false,
            [0, 0, 0, 255],
            1.0,
        );
        for y in 2..17 {
            let row: u32 = (0..20).map(|x| u32::from(alpha(&q, x, y))).sum();
            assert!((250..=256).contains(&row), "row {y}: {row}");
        }
    }

    #[test]
    fn thin_lines_are_fainter_and_off_map_parts_are_skipped() {
        let mut p = Pixmap::new(10, 10).unwrap();
        polyline(
            &mut p,
            &[(-50.0, 5.5), (60.0, 5.5)],
            false,
            [0, 0, 0, 255],
            0.5,
        );
        for x in 0..10 {
            assert!((126..=129).contains(&alpha(&p, x, 5)), "x={x}");
        }
        // Closed rings come back to their start.
        let mut r = Pixmap::new(10, 10).unwrap();
        polyline(
            &mut r,
            &[(2.5, 2.5), (7.5, 2.5), (7.5, 7.5)],
            true,
            [0, 0, 0, 255],
            1.0,
        );
        assert!(alpha(&r, 5, 5) > 100, "the closing diagonal");
    }

    #[test]
    fn ink_blends_over_what_is_there() {
        let mut p = Pixmap::new(4, 1).unwrap();
        p.fill(tiny_skia::Color::from_rgba8(255, 255, 255, 255));
        polyline(
            &mut p,
            &[(0.0, 0.5), (4.0, 0.5)],
            false,
            [0, 0, 0, 128],
            1.0,
        );
        let c = p.pixel(1, 0).unwrap();
        assert_eq!(c.alpha(), 255);
        assert!((126..=129).contains(&c.red()), "{}", c.red());
    }
}
