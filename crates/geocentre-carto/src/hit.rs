//! Which features are under a pixel: WMS GetFeatureInfo on vector layers.
//! Distances are measured in pixels of the map, so the tolerance means the
//! same on the screen at every scale.

use crate::draw::Frame;
use geocentre_features::store::Shape;

fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 - (a.0 + t * dx)).hypot(p.1 - (a.1 + t * dy))
}

/// Distance in pixels from `at` (pixel coordinates) to the shape: 0 inside
/// a polygon. `None` for an empty shape.
pub fn distance(shape: &Shape, frame: &Frame, at: (f64, f64)) -> Option<f64> {
    let b = frame.bbox;
    let sx = f64::from(frame.width) / (b[2] - b[0]);
    let sy = f64::from(frame.height) / (b[3] - b[1]);
    let px = |p: &[f64; 2]| ((p[0] - b[0]) * sx, (b[3] - p[1]) * sy);
    let mut best: Option<f64> = None;
    let mut keep = |d: f64| {
        if d.is_finite() && best.is_none_or(|b| d < b) {
            best = Some(d);
        }
    };
    for p in &shape.points {
        let q = px(p);
        keep((q.0 - at.0).hypot(q.1 - at.1));
    }
    let edges = |pts: &[[f64; 2]], closed: bool, keep: &mut dyn FnMut(f64)| {
        let n = pts.len();
        let m = if closed { n } else { n.saturating_sub(1) };
        for i in 0..m {
            keep(seg_dist(at, px(&pts[i]), px(&pts[(i + 1) % n])));
        }
    };
    for l in &shape.lines {
        edges(l, false, &mut keep);
    }
    for poly in &shape.polygons {
        let mut inside = false;
        for r in poly {
            let n = r.len();
            for i in 0..n {
                let (a, c) = (px(&r[i]), px(&r[(i + 1) % n]));
                if (a.1 > at.1) != (c.1 > at.1)
                    && at.0 < a.0 + (at.1 - a.1) * (c.0 - a.0) / (c.1 - a.1)
                {
                    inside = !inside;
                }
            }
            edges(r, true, &mut keep);
        }
        if inside {
            keep(0.0);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_a_polygon_is_zero_and_near_its_edge_is_the_gap() {
        let frame = Frame {
            bbox: [0.0, 0.0, 100.0, 100.0],
            width: 100,
            height: 100,
            scale: 1.0,
        };
        let shape = Shape {
            polygons: vec![vec![vec![
                [10.0, 10.0],
                [50.0, 10.0],
                [50.0, 50.0],
                [10.0, 50.0],
                [10.0, 10.0],
            ]]],
            ..Default::default()
        };
        // Pixel (30, 70) is map (30, 30).
        assert_eq!(distance(&shape, &frame, (30.0, 70.0)), Some(0.0));
        let d = distance(&shape, &frame, (53.0, 70.0)).unwrap();
        assert!((d - 3.0).abs() < 1e-9, "{d}");
        let line = Shape {
            lines: vec![vec![[0.0, 0.0], [100.0, 100.0]]],
            ..Default::default()
        };
        let d = distance(&line, &frame, (50.0, 50.0)).unwrap();
        assert!(d < 1e-9);
        assert_eq!(distance(&Shape::default(), &frame, (1.0, 1.0)), None);
    }
}
