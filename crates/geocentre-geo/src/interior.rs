//! A point inside a polygon, where its label goes: the WMS labels and the
//! label points of vector tiles use the same one.

/// A point inside the polygon where a label reads well: the middle of the
/// widest inside run of a few horizontal lines (as GEOS's interior point),
/// never outside, even for a crescent or a ring.
pub fn interior_point(rings: &[Vec<(f64, f64)>]) -> Option<(f64, f64)> {
    let (y0, y1) = rings
        .first()?
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    if y1 <= y0 {
        return None;
    }
    let mut best: Option<(f64, (f64, f64))> = None;
    for f in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] {
        let y = y0 + (y1 - y0) * f;
        let mut xs: Vec<f64> = Vec::new();
        for r in rings {
            for i in 0..r.len() {
                let (a, b) = (r[i], r[(i + 1) % r.len()]);
                if (a.1 > y) != (b.1 > y) {
                    xs.push(a.0 + (y - a.1) * (b.0 - a.0) / (b.1 - a.1));
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks_exact(2) {
            let w = pair[1] - pair[0];
            // Central lines win ties: a label there looks centred.
            let score = w * (1.0 - (f - 0.5f64).abs());
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, ((pair[0] + pair[1]) / 2.0, y)));
            }
        }
    }
    best.map(|(_, p)| p)
}
