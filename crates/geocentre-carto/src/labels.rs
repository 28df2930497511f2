//! Label placement: candidates are tried in order of importance (largest
//! polygons, longest lines first, points before both); a label that would
//! overlap one already placed, or leave the map, is dropped, as MapServer
//! and GeoServer do by default. Point labels try four sides of their symbol.
//!
//! A map's labels are placed together, whatever layer they come from
//! ([`MapLabels`]): one placer, so that labels of two layers avoid each
//! other, and drawn once every layer is, so that no layer covers them
//! (MapServer's label cache, GeoTools' `LabelCacheImpl`).

use crate::font::{self, Shaped};
use crate::style::{Label, Rgba};
use std::collections::HashMap;
use tiny_skia::{FillRule, LineCap, LineJoin, Paint, Pixmap, Stroke, Transform};

/// Free space kept around a label, in pixels.
const PAD: f32 = 2.0;
const CELL: f32 = 64.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// Centred on the point (polygons).
    Center,
    /// Centred on the point, turned by this angle in radians (lines).
    Along(f32),
    /// Beside a symbol of this radius (points).
    Beside(f32),
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub text: String,
    /// Pixels.
    pub at: (f32, f32),
    pub placement: Placement,
    pub label: Label,
    /// Higher first.
    pub priority: f32,
}

/// Boxes already taken, in a coarse grid so that a map with thousands of
/// candidates does not test every pair.
pub struct Placer {
    w: f32,
    h: f32,
    boxes: Vec<[f32; 4]>,
    grid: HashMap<(i32, i32), Vec<usize>>,
}

impl Placer {
    pub fn new(w: u32, h: u32) -> Placer {
        Placer {
            w: w as f32,
            h: h as f32,
            boxes: Vec::new(),
            grid: HashMap::new(),
        }
    }

    fn cells(b: [f32; 4]) -> impl Iterator<Item = (i32, i32)> {
        let (c0, r0) = ((b[0] / CELL).floor() as i32, (b[1] / CELL).floor() as i32);
        let (c1, r1) = ((b[2] / CELL).floor() as i32, (b[3] / CELL).floor() as i32);
        (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| (c, r)))
    }

    /// Inside the map and clear of every placed box.
    pub fn fits(&self, b: [f32; 4]) -> bool {
        if b[0] < 0.0 || b[1] < 0.0 || b[2] > self.w || b[3] > self.h {
            return false;
        }
        Self::cells(b).all(|cell| {
            self.grid.get(&cell).is_none_or(|ids| {
                ids.iter().all(|&i| {
                    let o = self.boxes[i];
                    b[2] <= o[0] || o[2] <= b[0] || b[3] <= o[1] || o[3] <= b[1]
                })
            })
        })
    }

    /// Takes `b` if it fits.
    pub fn take(&mut self, b: [f32; 4]) -> bool {
        if !self.fits(b) {
            return false;
        }
        let id = self.boxes.len();
        self.boxes.push(b);
        for cell in Self::cells(b) {
            self.grid.entry(cell).or_default().push(id);
        }
        true
    }

    pub fn placed(&self) -> &[[f32; 4]] {
        &self.boxes
    }
}

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.0[0], c.0[1], c.0[2], c.0[3]);
    p.anti_alias = true;
    p
}

/// Where the text's baseline starts, and the box it takes (with its halo
/// and padding), for each position the placement allows, best first.
fn positions(c: &Candidate, t: &Shaped) -> Vec<(Transform, [f32; 4])> {
    let halo = c.label.halo.map_or(0.0, |(_, r)| r);
    let (w, asc, desc) = (t.width, t.ascent(), t.descent());
    let m = halo + PAD;
    let (x, y) = c.at;
    let boxed = |x0: f32, base: f32| {
        (
            Transform::from_translate(x0, base),
            [x0 - m, base - asc - m, x0 + w + m, base + desc + m],
        )
    };
    // The baseline that centres the glyphs' height on y.
    let mid = y + (asc - desc) / 2.0;
    match c.placement {
        Placement::Center => vec![boxed(x - w / 2.0, mid)],
        Placement::Beside(r) => {
            let gap = r + 3.0;
            vec![
                boxed(x + gap, mid),
                boxed(x - gap - w, mid),
                boxed(x - w / 2.0, y - gap - desc),
                boxed(x - w / 2.0, y + gap + asc),
            ]
        }
        Placement::Along(angle) => {
            let ts = Transform::from_translate(x, y)
                .pre_concat(Transform::from_rotate(angle.to_degrees()))
                .pre_concat(Transform::from_translate(-w / 2.0, (asc - desc) / 2.0));
            // The turned box's bounds.
            let corners = [
                (-m, -asc - m),
                (w + m, -asc - m),
                (w + m, desc + m),
                (-m, desc + m),
            ];
            let mut pts = corners.map(|(cx, cy)| tiny_skia::Point::from_xy(cx, cy));
            ts.map_points(&mut pts);
            let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
            for p in pts {
                b = [b[0].min(p.x), b[1].min(p.y), b[2].max(p.x), b[3].max(p.y)];
            }
            vec![(ts, b)]
        }
    }
}

/// The label candidates of one map, layer by layer in drawing order.
#[derive(Debug, Default)]
pub struct MapLabels {
    layers: Vec<Vec<Candidate>>,
}

impl MapLabels {
    /// Adds the candidates of the layer drawn after the previous ones.
    pub fn push_layer(&mut self, cands: Vec<Candidate>) {
        if !cands.is_empty() {
            self.layers.push(cands);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// Places and draws every label on a transparent image of the map's
    /// size, to be laid over the finished map: straight RGBA and how many
    /// labels were placed. `None` when none was. One image per map, not
    /// per layer: the layers' own images stay untouched, so their pixels
    /// are exact where no label lands.
    pub fn overlay(self, width: u32, height: u32) -> Option<(Vec<u8>, usize)> {
        if self.layers.is_empty() {
            return None;
        }
        let mut pix = Pixmap::new(width, height)?;
        let mut placer = Placer::new(width, height);
        let placed = draw_layers(&mut pix, &mut placer, self.layers);
        (placed > 0).then(|| (geocentre_image::annotate::into_straight(pix), placed))
    }
}

/// Places and draws the candidates of one layer, most important first;
/// returns how many were drawn.
pub fn draw(pix: &mut Pixmap, placer: &mut Placer, cands: Vec<Candidate>) -> usize {
    draw_layers(pix, placer, vec![cands])
}

/// Places and draws the candidates of several layers (in drawing order).
/// The upper layer's labels are placed first and win a collision, as in
/// MapServer (its label cache walks the layers from the top) and GeoServer
/// (equal priorities, latest layer first); within a layer, by importance.
pub fn draw_layers(pix: &mut Pixmap, placer: &mut Placer, layers: Vec<Vec<Candidate>>) -> usize {
    let mut drawn = 0;
    for mut cands in layers.into_iter().rev() {
        // Stable: equal priorities keep the order features were read in.
        cands.sort_by(|a, b| b.priority.total_cmp(&a.priority));
        drawn += draw_sorted(pix, placer, cands);
    }
    drawn
}

fn draw_sorted(pix: &mut Pixmap, placer: &mut Placer, cands: Vec<Candidate>) -> usize {
    let mut drawn = 0;
    for c in cands {
        let Some(t) = font::shape(&c.text, c.label.size) else {
            continue;
        };
        if t.width <= 0.0 {
            continue;
        }
        let Some((ts, _)) = positions(&c, &t).into_iter().find(|(_, b)| placer.take(*b)) else {
            continue;
        };
        let Some(path) = t.path(ts) else { continue };
        if let Some((color, radius)) = c.label.halo.filter(|(_, r)| *r > 0.0) {
            let stroke = Stroke {
                width: radius * 2.0,
                line_join: LineJoin::Round,
                line_cap: LineCap::Round,
                ..Stroke::default()
            };
            pix.stroke_path(&path, &paint(color), &stroke, Transform::identity(), None);
        }
        pix.fill_path(
            &path,
            &paint(c.label.color),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
        drawn += 1;
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(text: &str, at: (f32, f32), priority: f32) -> Candidate {
        Candidate {
            text: text.into(),
            at,
            placement: Placement::Center,
            label: Label {
                field: "nom".into(),
                size: 12.0,
                color: Rgba::BLACK,
                halo: Some((Rgba::WHITE, 1.5)),
            },
            priority,
        }
    }

    #[test]
    fn of_two_overlapping_labels_the_more_important_is_placed() {
        let mut pix = Pixmap::new(200, 100).unwrap();
        let mut placer = Placer::new(200, 100);
        let n = draw(
            &mut pix,
            &mut placer,
            vec![
                cand("Olivet", (100.0, 50.0), 1.0),
                cand("Orléans", (104.0, 53.0), 2.0),
            ],
        );
        assert_eq!(n, 1);
        assert_eq!(placer.placed().len(), 1);
        // Orléans (wider, more important) won: its box is the one kept.
        let b = placer.placed()[0];
        let width = font::shape("Orléans", 12.0).unwrap().width;
        assert!((b[2] - b[0] - width - 2.0 * (1.5 + PAD)).abs() < 0.01);
        // Apart, both are placed.
        let mut placer = Placer::new(200, 100);
        let n = draw(
            &mut pix,
            &mut placer,
            vec![
                cand("Olivet", (50.0, 20.0), 1.0),
                cand("Orléans", (130.0, 70.0), 2.0),
            ],
        );
        assert_eq!(n, 2);
    }

    #[test]
    fn labels_leaving_the_map_are_dropped_and_point_labels_change_side() {
        let mut pix = Pixmap::new(100, 40).unwrap();
        let mut placer = Placer::new(100, 40);
        assert_eq!(
            draw(
                &mut pix,
                &mut placer,
                vec![cand("Orléans", (2.0, 20.0), 1.0)]
            ),
            0
        );
        let mut c = cand("Tours", (95.0, 20.0), 1.0);
        c.placement = Placement::Beside(4.0);
        assert_eq!(draw(&mut pix, &mut placer, vec![c]), 1);
        // No room on the right: it went to the left of the point.
        assert!(placer.placed()[0][2] < 95.0);
        // Dark text pixels were drawn there, with a light halo.
        let dark = pix
            .pixels()
            .iter()
            .filter(|p| p.alpha() > 200 && p.red() < 60)
            .count();
        let light = pix
            .pixels()
            .iter()
            .filter(|p| p.alpha() > 200 && p.red() > 200)
            .count();
        assert!(dark > 20 && light > 20, "{dark} {light}");
    }

    #[test]
    fn labels_of_two_layers_avoid_each_other_and_the_upper_layer_wins() {
        let mut lower = cand("Orléans", (100.0, 50.0), 1e9);
        lower.label.color = Rgba([255, 0, 0, 255]);
        let mut upper = cand("Olivet", (104.0, 53.0), 1.0);
        upper.label.color = Rgba([0, 0, 255, 255]);
        let apart = cand("Tours", (30.0, 15.0), 1.0);
        let mut map = MapLabels::default();
        map.push_layer(vec![lower, apart]);
        map.push_layer(Vec::new());
        map.push_layer(vec![upper]);
        let (rgba, placed) = map.overlay(200, 100).unwrap();
        // Olivet (upper layer) is placed despite its lower importance;
        // Orléans, under it, is dropped; Tours, clear of both, stays.
        assert_eq!(placed, 2);
        let count = |f: &dyn Fn(&[u8]) -> bool| rgba.chunks_exact(4).filter(|p| f(p)).count();
        assert!(count(&|p| p[2] > 200 && p[0] < 60 && p[3] > 200) > 10);
        assert_eq!(count(&|p| p[0] > 200 && p[2] < 60 && p[3] > 200), 0);
        assert!(MapLabels::default().overlay(10, 10).is_none());
    }
}
