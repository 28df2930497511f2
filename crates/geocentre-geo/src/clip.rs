//! Clipping to an axis-aligned box `[min x, min y, max x, max y]`, shared by
//! map drawing (pixels) and vector tiles (tile units): geometries are cut
//! in f64 before anything narrower (tiny-skia's f32, MVT's integers) sees
//! them. Buffers are the caller's, so a hot loop allocates nothing.

/// Sutherland–Hodgman, one side at a time: exact for the fill of a ring
/// (the box is convex), whatever the ring's shape. `ring` is not closed;
/// `tmp` is scratch space.
pub fn ring(ring: &mut Vec<[f64; 2]>, tmp: &mut Vec<[f64; 2]>, b: [f64; 4]) {
    for side in 0..4 {
        let (axis, k, keep_above) = match side {
            0 => (0, b[0], true),
            1 => (0, b[2], false),
            2 => (1, b[1], true),
            _ => (1, b[3], false),
        };
        let inside = |p: [f64; 2]| {
            if keep_above {
                p[axis] >= k
            } else {
                p[axis] <= k
            }
        };
        let cut = |a: [f64; 2], c: [f64; 2]| {
            let t = (k - a[axis]) / (c[axis] - a[axis]);
            let mut p = [a[0] + t * (c[0] - a[0]), a[1] + t * (c[1] - a[1])];
            p[axis] = k;
            p
        };
        tmp.clear();
        let Some(&last) = ring.last() else { return };
        let (mut prev, mut prev_in) = (last, inside(last));
        for &cur in ring.iter() {
            let cur_in = inside(cur);
            if cur_in != prev_in {
                tmp.push(cut(prev, cur));
            }
            if cur_in {
                tmp.push(cur);
            }
            (prev, prev_in) = (cur, cur_in);
        }
        std::mem::swap(ring, tmp);
    }
}

/// A polyline cut into the pieces inside the box (Liang–Barsky on each
/// segment): the pieces' points go to `out`, each piece ended by an index
/// in `ends`.
pub fn line(line: &[[f64; 2]], b: [f64; 4], out: &mut Vec<[f64; 2]>, ends: &mut Vec<usize>) {
    out.clear();
    ends.clear();
    let mut open = false;
    for s in line.windows(2) {
        let (a, c) = (s[0], s[1]);
        match segment(a, c, b) {
            None => {
                if open {
                    ends.push(out.len());
                    open = false;
                }
            }
            Some((t0, t1)) => {
                let at = |t: f64| [a[0] + t * (c[0] - a[0]), a[1] + t * (c[1] - a[1])];
                if !open || t0 > 0.0 {
                    if open {
                        ends.push(out.len());
                    }
                    out.push(at(t0));
                    open = true;
                }
                out.push(at(t1));
                if t1 < 1.0 {
                    ends.push(out.len());
                    open = false;
                }
            }
        }
    }
    if open {
        ends.push(out.len());
    }
}

/// The parameter range of segment `a`→`c` inside the box.
fn segment(a: [f64; 2], c: [f64; 2], b: [f64; 4]) -> Option<(f64, f64)> {
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let d = [c[0] - a[0], c[1] - a[1]];
    for axis in 0..2 {
        for (p, q) in [
            (-d[axis], a[axis] - b[axis]),
            (d[axis], b[axis + 2] - a[axis]),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ring_cut_to_a_rectangle() {
        // A square crossing the right side of a wide box keeps its left part.
        let mut r = vec![[8.0, 1.0], [12.0, 1.0], [12.0, 3.0], [8.0, 3.0]];
        super::ring(&mut r, &mut Vec::new(), [0.0, 0.0, 10.0, 4.0]);
        let xs: Vec<f64> = r.iter().map(|p| p[0]).collect();
        assert!(xs.iter().all(|x| (8.0..=10.0).contains(x)) && xs.contains(&10.0));
        let mut out = vec![[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]];
        super::ring(&mut out, &mut Vec::new(), [0.0, 0.0, 10.0, 4.0]);
        assert!(out.is_empty());
    }

    #[test]
    fn line_leaving_and_coming_back_gives_two_pieces() {
        let l = [[1.0, 1.0], [1.0, 9.0], [3.0, 9.0], [3.0, 1.0]];
        let (mut out, mut ends) = (Vec::new(), Vec::new());
        super::line(&l, [0.0, 0.0, 4.0, 5.0], &mut out, &mut ends);
        assert_eq!(ends, vec![2, 4]);
        assert_eq!(out, vec![[1.0, 1.0], [1.0, 5.0], [3.0, 5.0], [3.0, 1.0]]);
    }
}
