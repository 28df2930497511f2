//! Mapbox Vector Tiles (MVT 2.1): the features of one layer, or of every
//! layer of a dataset, in one tile of a tile matrix set, clipped,
//! quantized, simplified and encoded (one MVT layer per layer).
//!
//! Per feature: tile coordinates (y down) → clip to the tile plus a buffer
//! (Sutherland–Hodgman for rings, Liang–Barsky for lines; skipped when the
//! part lies inside) → round to the integer grid, consecutive duplicates
//! dropped → Douglas–Peucker → rings under a minimum area dropped, winding
//! set (exterior positive by the surveyor's formula, holes negative) →
//! commands. All of it runs on reused buffers: it is the per-tile hot path.
//!
//! The protobuf is written by hand. The `mvt` crate would bring prost (with
//! its derive macros) and pointy, build an owned message tree per tile, and
//! still leave clipping and simplification to us; the wire format needed
//! here is four small messages of varints and length-delimited fields,
//! written straight into the output buffers.

use geocentre_core::tms::TmsId;
use geocentre_features::store::{FeatureStore, ScanQuery, Shape, StoreError};
use geocentre_geo::clip;
use geocentre_registry::authz::VectorView;
use geocentre_registry::Authorized;
use serde_json::Value;
use std::collections::HashMap;

/// Tile units across a tile: 16 per pixel of a 256-px tile.
pub const EXTENT: u32 = 4096;
/// Features are kept this far outside the tile (4 px), so that strokes and
/// labels do not stop at tile edges.
pub const BUFFER: u32 = 64;
/// Most bytes one tile may hold; above it, the tile is simplified harder,
/// then cut short.
pub const MAX_TILE_BYTES: usize = 512 * 1024;
/// Most features one tile reads from the store.
pub const MAX_FEATURES: u64 = 50_000;
/// Tolerance multipliers tried in turn while a tile exceeds its budget.
const HARDER: [f64; 3] = [1.0, 4.0, 16.0];

#[derive(Debug, thiserror::Error)]
pub enum MvtError {
    #[error("tile {0} is outside its tile matrix set")]
    OutOfRange(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A tile as a client addresses it (rows from the top).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileAddr {
    pub tms: TmsId,
    pub z: u8,
    pub x: u64,
    pub y: u64,
}

impl TileAddr {
    /// The tile's bounds in its grid's CRS; None outside the grid.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        let set = self.tms.get();
        if self.z > set.max_level {
            return None;
        }
        let m = set.matrix(self.z);
        (self.x < m.matrix_width && self.y < m.matrix_height)
            .then(|| set.tile_bounds(self.z, self.x, self.y))
    }
}

impl std::fmt::Display for TileAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}/{}", self.tms.as_str(), self.z, self.x, self.y)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub extent: u32,
    pub buffer: u32,
    /// Douglas–Peucker tolerance, in tile units.
    pub tolerance: f64,
    /// Rings smaller than this (tile units²) are dropped.
    pub min_area: f64,
    pub max_bytes: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            extent: EXTENT,
            buffer: BUFFER,
            // 1/16 px: invisible, and removes the collinear points that
            // quantization leaves.
            tolerance: 1.0,
            // A quarter of a pixel: a mosaic of small polygons (communes at
            // low zoom) keeps few visible gaps.
            min_area: 64.0,
            max_bytes: MAX_TILE_BYTES,
        }
    }
}

impl Options {
    fn harder(self, factor: f64) -> Options {
        Options {
            tolerance: self.tolerance * factor,
            min_area: self.min_area * factor,
            ..self
        }
    }
}

/// An encoded tile.
#[derive(Debug, Clone)]
pub struct VectorTile {
    /// The `Tile` message; empty when no feature is in the tile.
    pub bytes: Vec<u8>,
    pub features: usize,
    /// The byte budget or the feature cap cut the tile short.
    pub truncated: bool,
    /// The Douglas–Peucker tolerance finally used, in tile units.
    pub tolerance: f64,
}

/// One layer of a tile, and whether its polygons also get label points.
pub struct TileLayer<'a> {
    pub view: &'a Authorized<VectorView>,
    /// Also write, in the layer [`label_layer_name`], one point per polygon
    /// feature at its label point (the one the WMS labels at), in the one
    /// tile that holds it: a web map labels each polygon once, where a
    /// label on each tile's piece of it would repeat on every tile.
    pub label_points: bool,
}

/// The MVT layer holding the label points of `layer`'s polygons.
pub fn label_layer_name(layer: &str) -> String {
    format!("{layer}:label")
}

/// The label point of a feature's largest polygon, in the shape's CRS.
fn label_point(shape: &Shape) -> Option<[f64; 2]> {
    let area = |poly: &Vec<Vec<[f64; 2]>>| {
        poly.iter()
            .enumerate()
            .map(|(i, r)| {
                let a = r
                    .iter()
                    .zip(r.iter().cycle().skip(1))
                    .map(|(p, q)| p[0] * q[1] - q[0] * p[1])
                    .sum::<f64>()
                    .abs()
                    / 2.0;
                if i == 0 {
                    a
                } else {
                    -a
                }
            })
            .sum::<f64>()
    };
    let largest = shape
        .polygons
        .iter()
        .max_by(|a, b| area(a).total_cmp(&area(b)))?;
    let rings: Vec<Vec<(f64, f64)>> = largest
        .iter()
        .map(|r| r.iter().map(|p| (p[0], p[1])).collect())
        .collect();
    geocentre_geo::interior::interior_point(&rings).map(|(x, y)| [x, y])
}

/// Reads the features of each layer in the tile (plus buffer) and encodes
/// them as one MVT layer each, named after the layer, with every
/// attribute, in the order given (a dataset's tile carries all its
/// layers). The byte budget is the tile's: layers share it.
pub fn render(
    store: &dyn FeatureStore,
    layers: &[TileLayer<'_>],
    addr: TileAddr,
    opts: Options,
) -> Result<VectorTile, MvtError> {
    let bounds = addr
        .bounds()
        .ok_or_else(|| MvtError::OutOfRange(addr.to_string()))?;
    let pad = (bounds[2] - bounds[0]) * f64::from(opts.buffer) / f64::from(opts.extent);
    let query = |view: &VectorView| ScanQuery {
        bbox: [
            bounds[0] - pad,
            bounds[1] - pad,
            bounds[2] + pad,
            bounds[3] + pad,
        ],
        epsg: addr.tms.get().epsg,
        properties: view.layer.fields.iter().map(|f| f.name.clone()).collect(),
        filter: None,
        limit: MAX_FEATURES,
        // A quarter of a tile unit: below what rounding to the grid keeps.
        min_spacing: 0.25 * (bounds[2] - bounds[0]) / f64::from(opts.extent),
    };
    // Exactly one tile holds a point: x in [min, max), y in (min, max].
    let in_tile = |p: [f64; 2]| {
        p[0] >= bounds[0] && p[0] < bounds[2] && p[1] > bounds[1] && p[1] <= bounds[3]
    };
    let mut last = None;
    for factor in HARDER {
        let o = opts.harder(factor);
        let mut tile = VectorTile {
            bytes: Vec::new(),
            features: 0,
            truncated: false,
            tolerance: o.tolerance,
        };
        let mut full = false;
        for layer in layers {
            let view = layer.view;
            let q = query(view);
            let left = Options {
                max_bytes: o.max_bytes.saturating_sub(tile.bytes.len()),
                ..o
            };
            let mut enc = LayerEncoder::new(&view.layer.name, bounds, &q.properties, left);
            let mut labels = layer.label_points.then(|| {
                LayerEncoder::new(
                    &label_layer_name(&view.layer.name),
                    bounds,
                    &q.properties,
                    left,
                )
            });
            let read = store.scan(view, &q, &mut |f| {
                if let Some(l) = labels.as_mut() {
                    if let Some(p) = label_point(&f.shape).filter(|p| in_tile(*p)) {
                        let point = Shape {
                            points: vec![p],
                            ..Shape::default()
                        };
                        full = l.add(f.fid, &point, f.properties.clone()) == Added::Full;
                    }
                }
                full = full || enc.add(f.fid, &f.shape, f.properties) == Added::Full;
                !full
            })?;
            tile.features += enc.features();
            tile.truncated |= full || read >= MAX_FEATURES;
            tile.bytes.extend(enc.finish());
            if let Some(l) = labels {
                tile.bytes.extend(l.finish());
            }
            if full || tile.bytes.len() > o.max_bytes {
                full = true;
                tile.truncated = true;
                break;
            }
        }
        if !full {
            return Ok(tile);
        }
        last = Some(tile);
    }
    Ok(last.unwrap_or(VectorTile {
        bytes: Vec::new(),
        features: 0,
        truncated: true,
        tolerance: opts.tolerance,
    }))
}

/// What [`LayerEncoder::add`] did with a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Encoded,
    /// Nothing of it is left in the tile.
    Empty,
    /// It would exceed the byte budget: not added, and the layer is closed.
    Full,
}

/// A value of the layer's value table (MVT `Value`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Val {
    Str(String),
    Int(i64),
    UInt(u64),
    /// The bits of an f64 (serde_json numbers are never NaN).
    Double(u64),
    Bool(bool),
}

fn val_of(v: Value) -> Option<Val> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => Val::Bool(b),
        Value::String(s) => Val::Str(s),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Val::Int(i),
            (None, Some(u), _) => Val::UInt(u),
            (_, _, Some(f)) => Val::Double(f.to_bits()),
            _ => return None,
        },
        // MVT has no lists or maps: they travel as their JSON text.
        other => Val::Str(other.to_string()),
    })
}

/// Tile coordinates of the grid's coordinates, and the clip box.
#[derive(Debug, Clone, Copy)]
struct Frame {
    minx: f64,
    maxy: f64,
    sx: f64,
    sy: f64,
    lo: f64,
    hi: f64,
}

impl Frame {
    fn new(bounds: [f64; 4], extent: u32, buffer: u32) -> Frame {
        let e = f64::from(extent);
        Frame {
            minx: bounds[0],
            maxy: bounds[3],
            sx: e / (bounds[2] - bounds[0]),
            sy: e / (bounds[3] - bounds[1]),
            lo: -f64::from(buffer),
            hi: e + f64::from(buffer),
        }
    }

    /// Projects `src` into `dst`; returns where it lies against the clip box.
    fn project(&self, src: &[[f64; 2]], dst: &mut Vec<[f64; 2]>) -> Placement {
        dst.clear();
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in src {
            let q = [(p[0] - self.minx) * self.sx, (self.maxy - p[1]) * self.sy];
            x0 = x0.min(q[0]);
            y0 = y0.min(q[1]);
            x1 = x1.max(q[0]);
            y1 = y1.max(q[1]);
            dst.push(q);
        }
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            return Placement::Outside;
        }
        if x1 < self.lo || y1 < self.lo || x0 > self.hi || y0 > self.hi {
            Placement::Outside
        } else if x0 >= self.lo && y0 >= self.lo && x1 <= self.hi && y1 <= self.hi {
            Placement::Inside
        } else {
            Placement::Crossing
        }
    }

    fn square(&self) -> [f64; 4] {
        [self.lo, self.lo, self.hi, self.hi]
    }

    fn contains(&self, p: [f64; 2]) -> bool {
        p[0] >= self.lo && p[0] <= self.hi && p[1] >= self.lo && p[1] <= self.hi
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    Inside,
    Crossing,
    Outside,
}

/// Rounds to the integer grid, dropping consecutive duplicates.
fn quantize(src: &[[f64; 2]], dst: &mut Vec<[i32; 2]>) {
    dst.clear();
    for p in src {
        // Coordinates are finite and within the clip box (or a part wholly
        // inside it) here, so the cast cannot saturate.
        let q = [p[0].round() as i32, p[1].round() as i32];
        if dst.last() != Some(&q) {
            dst.push(q);
        }
    }
}

/// A segment prepared for distance queries (Douglas–Peucker asks many per
/// segment).
struct Segment {
    a: [f64; 2],
    d: [f64; 2],
    /// 1 / |d|², 0 for a segment that is a point.
    inv_len2: f64,
}

impl Segment {
    fn new(a: [i32; 2], b: [i32; 2]) -> Segment {
        let a = [f64::from(a[0]), f64::from(a[1])];
        let d = [f64::from(b[0]) - a[0], f64::from(b[1]) - a[1]];
        let len2 = d[0] * d[0] + d[1] * d[1];
        Segment {
            a,
            d,
            inv_len2: if len2 > 0.0 { 1.0 / len2 } else { 0.0 },
        }
    }

    /// Squared distance from `p` (to `a` when the segment is a point).
    fn dist2(&self, p: [i32; 2]) -> f64 {
        let (px, py) = (f64::from(p[0]) - self.a[0], f64::from(p[1]) - self.a[1]);
        let t = ((px * self.d[0] + py * self.d[1]) * self.inv_len2).clamp(0.0, 1.0);
        let (ex, ey) = (px - t * self.d[0], py - t * self.d[1]);
        ex * ex + ey * ey
    }
}

#[derive(Debug, Default)]
struct DpScratch {
    keep: Vec<bool>,
    stack: Vec<(usize, usize)>,
}

/// Douglas–Peucker in place; the end points are kept. Iterative, so a long
/// line cannot overflow the stack.
fn simplify(pts: &mut Vec<[i32; 2]>, tol: f64, s: &mut DpScratch) {
    let n = pts.len();
    if n < 3 || tol <= 0.0 {
        return;
    }
    let tol2 = tol * tol;
    s.keep.clear();
    s.keep.resize(n, false);
    s.keep[0] = true;
    s.keep[n - 1] = true;
    s.stack.clear();
    s.stack.push((0, n - 1));
    while let Some((a, b)) = s.stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let seg = Segment::new(pts[a], pts[b]);
        let (mut far, mut at) = (-1.0, a);
        for (k, p) in pts[a + 1..b].iter().enumerate() {
            let d = seg.dist2(*p);
            if d > far {
                (far, at) = (d, a + 1 + k);
            }
        }
        if far > tol2 {
            s.keep[at] = true;
            s.stack.push((a, at));
            s.stack.push((at, b));
        }
    }
    let mut j = 0;
    for i in 0..n {
        if s.keep[i] {
            pts[j] = pts[i];
            j += 1;
        }
    }
    pts.truncate(j);
}

/// Twice the signed area (surveyor's formula) of an unclosed ring, in tile
/// coordinates: positive is clockwise on screen (y down).
fn area2(ring: &[[i32; 2]]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a[0]) * i64::from(b[1]) - i64::from(b[0]) * i64::from(a[1])
        })
        .sum()
}

/// MVT geometry commands of one feature; the cursor runs across parts.
#[derive(Debug, Default)]
struct Commands {
    out: Vec<u32>,
    cursor: [i32; 2],
}

fn zigzag32(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

impl Commands {
    fn reset(&mut self) {
        self.out.clear();
        self.cursor = [0, 0];
    }

    fn command(&mut self, id: u32, count: usize) {
        self.out.push((id & 7) | ((count as u32) << 3));
    }

    fn delta(&mut self, p: [i32; 2]) {
        self.out.push(zigzag32(p[0] - self.cursor[0]));
        self.out.push(zigzag32(p[1] - self.cursor[1]));
        self.cursor = p;
    }

    /// A line (≥ 2 points) or, with `close`, a ring (≥ 3 points, unclosed).
    fn path(&mut self, pts: &[[i32; 2]], close: bool) {
        let Some((first, rest)) = pts.split_first() else {
            return;
        };
        self.command(1, 1);
        self.delta(*first);
        self.command(2, rest.len());
        for p in rest {
            self.delta(*p);
        }
        if close {
            self.command(7, 1);
        }
    }

    fn points(&mut self, pts: &[[i32; 2]]) {
        self.command(1, pts.len());
        for p in pts {
            self.delta(*p);
        }
    }
}

/// Buffers reused from feature to feature.
#[derive(Debug, Default)]
struct Scratch {
    a: Vec<[f64; 2]>,
    b: Vec<[f64; 2]>,
    q: Vec<[i32; 2]>,
    ends: Vec<usize>,
    dp: DpScratch,
    cmds: Commands,
    tags: Vec<u32>,
    msg: Vec<u8>,
}

/// One MVT layer, fed feature by feature, within a byte budget.
#[derive(Debug)]
pub struct LayerEncoder {
    name: String,
    frame: Frame,
    opts: Options,
    keys: Vec<String>,
    /// Index in the key table of each of `keys`, once used.
    key_ids: Vec<Option<u32>>,
    key_count: u32,
    values: HashMap<Val, u32>,
    keys_buf: Vec<u8>,
    values_buf: Vec<u8>,
    features_buf: Vec<u8>,
    features: usize,
    s: Scratch,
}

const GEOM_POINT: u64 = 1;
const GEOM_LINE: u64 = 2;
const GEOM_POLYGON: u64 = 3;

impl LayerEncoder {
    /// `bounds` are the tile's, in the CRS of the shapes to come; `keys`
    /// name the attribute values given with each feature, in that order.
    pub fn new(name: &str, bounds: [f64; 4], keys: &[String], opts: Options) -> LayerEncoder {
        LayerEncoder {
            name: name.to_string(),
            frame: Frame::new(bounds, opts.extent, opts.buffer),
            opts,
            keys: keys.to_vec(),
            key_ids: vec![None; keys.len()],
            key_count: 0,
            values: HashMap::new(),
            keys_buf: Vec::new(),
            values_buf: Vec::new(),
            features_buf: Vec::new(),
            features: 0,
            s: Scratch::default(),
        }
    }

    pub fn features(&self) -> usize {
        self.features
    }

    /// Bytes of the tile if it were finished now.
    fn size(&self) -> usize {
        self.features_buf.len() + self.keys_buf.len() + self.values_buf.len() + self.name.len() + 24
    }

    /// Adds a feature: each kind of geometry it has (points, lines,
    /// polygons) becomes one MVT feature with the same id and attributes.
    pub fn add(&mut self, id: u64, shape: &Shape, properties: Vec<Value>) -> Added {
        let start = self.features_buf.len();
        let mark = (
            self.key_count,
            self.keys_buf.len(),
            self.values.len(),
            self.values_buf.len(),
        );
        let mut properties = Some(properties);
        for kind in [GEOM_POLYGON, GEOM_LINE, GEOM_POINT] {
            let drawn = match kind {
                GEOM_POLYGON => !shape.polygons.is_empty() && self.polygons(&shape.polygons),
                GEOM_LINE => !shape.lines.is_empty() && self.lines(&shape.lines),
                _ => !shape.points.is_empty() && self.points(&shape.points),
            };
            if !drawn {
                continue;
            }
            // Attributes are looked up only for features that show.
            if let Some(p) = properties.take() {
                self.tags(p);
            }
            self.feature(id, kind);
        }
        if properties.is_some() {
            return Added::Empty;
        }
        if self.size() + 6 > self.opts.max_bytes {
            self.features_buf.truncate(start);
            self.rollback(mark);
            return Added::Full;
        }
        self.features += 1;
        Added::Encoded
    }

    /// Forgets the keys and values added since `mark`.
    fn rollback(&mut self, (keys, keys_len, values, values_len): (u32, usize, usize, usize)) {
        for k in self.key_ids.iter_mut() {
            if k.is_some_and(|i| i >= keys) {
                *k = None;
            }
        }
        self.key_count = keys;
        self.keys_buf.truncate(keys_len);
        let values = values as u32;
        self.values.retain(|_, i| *i < values);
        self.values_buf.truncate(values_len);
    }

    /// Fills `s.tags` with the feature's key/value index pairs.
    fn tags(&mut self, properties: Vec<Value>) {
        self.s.tags.clear();
        for (i, v) in properties.into_iter().enumerate().take(self.keys.len()) {
            let Some(v) = val_of(v) else { continue };
            let key = match self.key_ids[i] {
                Some(k) => k,
                None => {
                    let k = self.key_count;
                    self.key_count += 1;
                    self.key_ids[i] = Some(k);
                    bytes_field(&mut self.keys_buf, 3, self.keys[i].as_bytes());
                    k
                }
            };
            let value = match self.values.get(&v) {
                Some(&id) => id,
                None => {
                    let id = self.values.len() as u32;
                    write_value(&mut self.values_buf, &v, &mut self.s.msg);
                    self.values.insert(v, id);
                    id
                }
            };
            self.s.tags.push(key);
            self.s.tags.push(value);
        }
    }

    /// Writes a feature from `s.tags` and `s.cmds`.
    fn feature(&mut self, id: u64, kind: u64) {
        let Scratch {
            msg: m, tags, cmds, ..
        } = &mut self.s;
        m.clear();
        key(m, 1, 0);
        varint(m, id);
        if !tags.is_empty() {
            packed(m, 2, tags);
        }
        key(m, 3, 0);
        varint(m, kind);
        packed(m, 4, &cmds.out);
        bytes_field(&mut self.features_buf, 2, m);
    }

    /// Commands of the polygons in `s.cmds`; false when none is left.
    fn polygons(&mut self, polygons: &[Vec<Vec<[f64; 2]>>]) -> bool {
        self.s.cmds.reset();
        for rings in polygons {
            for (i, ring) in rings.iter().enumerate() {
                let exterior = i == 0;
                if !self.ring(ring, exterior) {
                    if exterior {
                        break;
                    }
                    continue;
                }
                let q = std::mem::take(&mut self.s.q);
                self.s.cmds.path(&q, true);
                self.s.q = q;
            }
        }
        !self.s.cmds.out.is_empty()
    }

    /// The ring in tile units in `s.q`, wound for its role; false when it
    /// leaves nothing worth drawing.
    fn ring(&mut self, ring: &[[f64; 2]], exterior: bool) -> bool {
        let s = &mut self.s;
        // Closed rings repeat their first point; the commands close them.
        let open = match ring.split_last() {
            Some((last, rest)) if ring.len() > 1 && *last == ring[0] => rest,
            _ => ring,
        };
        match self.frame.project(open, &mut s.a) {
            Placement::Outside => return false,
            Placement::Crossing => clip::ring(&mut s.a, &mut s.b, self.frame.square()),
            Placement::Inside => {}
        }
        quantize(&s.a, &mut s.q);
        while s.q.len() > 1 && s.q.first() == s.q.last() {
            s.q.pop();
        }
        if let Some(&first) = s.q.first() {
            s.q.push(first);
            simplify(&mut s.q, self.opts.tolerance, &mut s.dp);
            s.q.pop();
        }
        if s.q.len() < 3 {
            return false;
        }
        let a2 = area2(&s.q);
        if (a2.unsigned_abs() as f64) < 2.0 * self.opts.min_area {
            return false;
        }
        if (a2 > 0) != exterior {
            s.q.reverse();
        }
        true
    }

    fn lines(&mut self, lines: &[Vec<[f64; 2]>]) -> bool {
        self.s.cmds.reset();
        for line in lines {
            let s = &mut self.s;
            let whole = match self.frame.project(line, &mut s.a) {
                Placement::Outside => continue,
                Placement::Inside => true,
                Placement::Crossing => false,
            };
            if whole {
                s.ends.clear();
                s.ends.push(s.a.len());
            } else {
                clip::line(&s.a, self.frame.square(), &mut s.b, &mut s.ends);
                std::mem::swap(&mut s.a, &mut s.b);
            }
            let mut from = 0;
            for &to in &s.ends {
                quantize(&s.a[from..to], &mut s.q);
                from = to;
                simplify(&mut s.q, self.opts.tolerance, &mut s.dp);
                if s.q.len() >= 2 {
                    s.cmds.path(&s.q, false);
                }
            }
        }
        !self.s.cmds.out.is_empty()
    }

    fn points(&mut self, points: &[[f64; 2]]) -> bool {
        self.s.cmds.reset();
        let s = &mut self.s;
        s.a.clear();
        for p in points {
            let t = [
                (p[0] - self.frame.minx) * self.frame.sx,
                (self.frame.maxy - p[1]) * self.frame.sy,
            ];
            if self.frame.contains(t) {
                s.a.push(t);
            }
        }
        s.q.clear();
        s.q.extend(
            s.a.iter()
                .map(|p| [p[0].round() as i32, p[1].round() as i32]),
        );
        if !s.q.is_empty() {
            s.cmds.points(&s.q);
        }
        !self.s.cmds.out.is_empty()
    }

    /// The `Tile` message holding this layer; empty when it has no feature.
    pub fn finish(self) -> Vec<u8> {
        if self.features == 0 {
            return Vec::new();
        }
        let mut layer = Vec::with_capacity(self.size());
        key(&mut layer, 15, 0);
        varint(&mut layer, 2);
        bytes_field(&mut layer, 1, self.name.as_bytes());
        layer.extend_from_slice(&self.features_buf);
        layer.extend_from_slice(&self.keys_buf);
        layer.extend_from_slice(&self.values_buf);
        key(&mut layer, 5, 0);
        varint(&mut layer, u64::from(self.opts.extent));
        let mut tile = Vec::with_capacity(layer.len() + 6);
        bytes_field(&mut tile, 3, &layer);
        tile
    }
}

// Protobuf wire format: varints, keys, length-delimited fields.

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn key(out: &mut Vec<u8>, field: u32, wire: u8) {
    varint(out, (u64::from(field) << 3) | u64::from(wire));
}

fn bytes_field(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    key(out, field, 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn packed(out: &mut Vec<u8>, field: u32, values: &[u32]) {
    let len: usize = values.iter().map(|&v| varint_len(u64::from(v))).sum();
    key(out, field, 2);
    varint(out, len as u64);
    for &v in values {
        varint(out, u64::from(v));
    }
}

fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// A `Value` message: non-negative integers as uint_value, negative ones
/// zigzagged (sint_value), as PostGIS writes them.
fn write_value(out: &mut Vec<u8>, v: &Val, m: &mut Vec<u8>) {
    m.clear();
    match v {
        Val::Str(s) => bytes_field(m, 1, s.as_bytes()),
        Val::Double(bits) => {
            key(m, 3, 1);
            m.extend_from_slice(&bits.to_le_bytes());
        }
        Val::Int(i) if *i >= 0 => {
            key(m, 5, 0);
            varint(m, *i as u64);
        }
        Val::Int(i) => {
            key(m, 6, 0);
            varint(m, ((*i << 1) ^ (*i >> 63)) as u64);
        }
        Val::UInt(u) => {
            key(m, 5, 0);
            varint(m, *u);
        }
        Val::Bool(b) => {
            key(m, 7, 0);
            varint(m, u64::from(*b));
        }
    }
    bytes_field(out, 4, m);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_polygon_label_point_is_inside_its_largest_part() {
        let square = |x0: f64, s: f64| {
            vec![vec![
                [x0, 0.0],
                [x0 + s, 0.0],
                [x0 + s, s],
                [x0, s],
                [x0, 0.0],
            ]]
        };
        let shape = Shape {
            polygons: vec![square(0.0, 1.0), square(10.0, 4.0)],
            ..Shape::default()
        };
        let p = super::label_point(&shape).unwrap();
        assert!(
            p[0] > 10.0 && p[0] < 14.0 && p[1] > 0.0 && p[1] < 4.0,
            "{p:?}"
        );
        assert!(super::label_point(&Shape::default()).is_none());
        assert_eq!(super::label_layer_name("communes"), "communes:label");
    }

    use super::*;
    use serde_json::json;

    // A minimal reader of what the encoder writes, to check it by decoding.

    struct Reader<'a> {
        b: &'a [u8],
        at: usize,
    }

    impl<'a> Reader<'a> {
        fn new(b: &'a [u8]) -> Self {
            Reader { b, at: 0 }
        }
        fn varint(&mut self) -> u64 {
            let (mut v, mut shift) = (0u64, 0);
            loop {
                let byte = self.b[self.at];
                self.at += 1;
                v |= u64::from(byte & 0x7f) << shift;
                if byte < 0x80 {
                    return v;
                }
                shift += 7;
            }
        }
        fn next(&mut self) -> Option<(u32, Field<'a>)> {
            if self.at >= self.b.len() {
                return None;
            }
            let k = self.varint();
            let f = match k & 7 {
                0 => Field::Varint(self.varint()),
                1 => {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(&self.b[self.at..self.at + 8]);
                    self.at += 8;
                    Field::Fixed64(u64::from_le_bytes(a))
                }
                2 => {
                    let n = self.varint() as usize;
                    let s = &self.b[self.at..self.at + n];
                    self.at += n;
                    Field::Bytes(s)
                }
                w => panic!("wire type {w}"),
            };
            Some(((k >> 3) as u32, f))
        }
    }

    #[derive(Debug)]
    enum Field<'a> {
        Varint(u64),
        Fixed64(u64),
        Bytes(&'a [u8]),
    }

    fn packed_u32(b: &[u8]) -> Vec<u32> {
        let mut r = Reader::new(b);
        let mut out = Vec::new();
        while r.at < b.len() {
            out.push(r.varint() as u32);
        }
        out
    }

    #[derive(Debug, Default)]
    struct DFeature {
        id: u64,
        kind: u64,
        tags: Vec<u32>,
        geom: Vec<u32>,
    }

    #[derive(Debug, Default)]
    struct DLayer {
        version: u64,
        name: String,
        extent: u64,
        keys: Vec<String>,
        values: Vec<Value>,
        features: Vec<DFeature>,
    }

    fn decode_value(b: &[u8]) -> Value {
        let mut r = Reader::new(b);
        match r.next() {
            Some((1, Field::Bytes(s))) => json!({"string": String::from_utf8(s.to_vec()).unwrap()}),
            Some((3, Field::Fixed64(bits))) => json!({"double": f64::from_bits(bits)}),
            Some((5, Field::Varint(u))) => json!({"uint": u}),
            Some((6, Field::Varint(z))) => json!({"sint": ((z >> 1) as i64) ^ -((z & 1) as i64)}),
            Some((7, Field::Varint(b))) => json!({"bool": b != 0}),
            other => panic!("value {other:?}"),
        }
    }

    fn decode(tile: &[u8]) -> DLayer {
        let mut r = Reader::new(tile);
        let Some((3, Field::Bytes(layer))) = r.next() else {
            panic!("no layer")
        };
        assert!(r.next().is_none(), "one layer");
        let mut l = DLayer::default();
        let mut r = Reader::new(layer);
        while let Some((f, v)) = r.next() {
            match (f, v) {
                (15, Field::Varint(v)) => l.version = v,
                (1, Field::Bytes(s)) => l.name = String::from_utf8(s.to_vec()).unwrap(),
                (5, Field::Varint(v)) => l.extent = v,
                (3, Field::Bytes(s)) => l.keys.push(String::from_utf8(s.to_vec()).unwrap()),
                (4, Field::Bytes(s)) => l.values.push(decode_value(s)),
                (2, Field::Bytes(s)) => {
                    let mut feat = DFeature::default();
                    let mut fr = Reader::new(s);
                    while let Some((ff, fv)) = fr.next() {
                        match (ff, fv) {
                            (1, Field::Varint(v)) => feat.id = v,
                            (3, Field::Varint(v)) => feat.kind = v,
                            (2, Field::Bytes(p)) => feat.tags = packed_u32(p),
                            (4, Field::Bytes(p)) => feat.geom = packed_u32(p),
                            other => panic!("feature field {other:?}"),
                        }
                    }
                    l.features.push(feat);
                }
                other => panic!("layer field {other:?}"),
            }
        }
        l
    }

    /// Commands back to parts: each part is its points, with whether it
    /// was closed.
    fn parts(geom: &[u32]) -> Vec<(Vec<[i32; 2]>, bool)> {
        let (mut out, mut i, mut cur) = (Vec::<(Vec<[i32; 2]>, bool)>::new(), 0, [0i32, 0]);
        let unzig = |v: u32| ((v >> 1) as i32) ^ -((v & 1) as i32);
        while i < geom.len() {
            let (id, count) = (geom[i] & 7, (geom[i] >> 3) as usize);
            i += 1;
            match id {
                1 | 2 => {
                    for _ in 0..count {
                        cur = [cur[0] + unzig(geom[i]), cur[1] + unzig(geom[i + 1])];
                        i += 2;
                        if id == 1 {
                            out.push((vec![cur], false));
                        } else {
                            out.last_mut().unwrap().0.push(cur);
                        }
                    }
                }
                7 => out.last_mut().unwrap().1 = true,
                c => panic!("command {c}"),
            }
        }
        out
    }

    // A tile of 4096 m on a side, so that 1 m is one tile unit.
    const B: [f64; 4] = [0.0, 0.0, 4096.0, 4096.0];

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
        // Counter-clockwise in map coordinates (y up), closed.
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    }

    fn poly(rings: Vec<Vec<[f64; 2]>>) -> Shape {
        Shape {
            polygons: vec![rings],
            ..Shape::default()
        }
    }

    fn encode_one(shape: &Shape, props: Vec<Value>, keys: &[&str]) -> DLayer {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        let mut e = LayerEncoder::new("l", B, &keys, Options::default());
        assert_eq!(e.add(7, shape, props), Added::Encoded);
        decode(&e.finish())
    }

    fn bbox(pts: &[[i32; 2]]) -> [i32; 4] {
        let xs = pts.iter().map(|p| p[0]);
        let ys = pts.iter().map(|p| p[1]);
        [
            xs.clone().min().unwrap(),
            ys.clone().min().unwrap(),
            xs.max().unwrap(),
            ys.max().unwrap(),
        ]
    }

    #[test]
    fn a_square_crossing_the_edge_is_cut_at_the_buffer() {
        // From x = -1000 to 1000 m, y 1000..2000 m (map, y up).
        let l = encode_one(
            &poly(vec![square(-1000.0, 1000.0, 1000.0, 2000.0)]),
            vec![],
            &[],
        );
        let f = &l.features[0];
        assert_eq!(f.kind, GEOM_POLYGON);
        let p = parts(&f.geom);
        assert_eq!(p.len(), 1);
        assert!(p[0].1, "closed");
        // y flips: map y 2000 → tile 2096, 1000 → 3096.
        assert_eq!(bbox(&p[0].0), [-64, 2096, 1000, 3096]);
        assert_eq!(area2(&p[0].0), 2 * 1064 * 1000);
        // Wholly outside, even within the R-tree's reach: nothing.
        let mut e = LayerEncoder::new("l", B, &[], Options::default());
        let s = poly(vec![square(-1000.0, 0.0, -65.0, 100.0)]);
        assert_eq!(e.add(1, &s, vec![]), Added::Empty);
        // A tile inside a huge polygon gets the buffered square.
        let l = encode_one(&poly(vec![square(-1e6, -1e6, 1e6, 1e6)]), vec![], &[]);
        let p = parts(&l.features[0].geom);
        assert_eq!(bbox(&p[0].0), [-64, -64, 4160, 4160]);
        assert_eq!(p[0].0.len(), 4);
    }

    #[test]
    fn lines_are_cut_into_pieces_at_the_buffer() {
        let shape = Shape {
            lines: vec![vec![
                [-500.0, 100.0],
                [100.0, 100.0],
                [100.0, -500.0],
                [200.0, -500.0],
                [200.0, 200.0],
            ]],
            ..Shape::default()
        };
        let l = encode_one(&shape, vec![], &[]);
        assert_eq!(l.features[0].kind, GEOM_LINE);
        let p = parts(&l.features[0].geom);
        // In at x = -64, out at the bottom buffer, back in, to the end.
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].0, vec![[-64, 3996], [100, 3996], [100, 4160]]);
        assert_eq!(p[1].0, vec![[200, 4160], [200, 3896]]);
        assert!(!p[0].1 && !p[1].1);
    }

    #[test]
    fn exteriors_are_clockwise_and_holes_counter_clockwise_on_screen() {
        let outer = square(100.0, 100.0, 1100.0, 1100.0);
        let mut hole = square(400.0, 400.0, 600.0, 600.0);
        // Both given counter-clockwise in map coordinates: the hole is
        // wound wrong for OGC, and the y flip reverses everything.
        let l = encode_one(&poly(vec![outer.clone(), hole.clone()]), vec![], &[]);
        let p = parts(&l.features[0].geom);
        assert_eq!(p.len(), 2);
        assert!(area2(&p[0].0) > 0, "exterior: positive area");
        assert!(area2(&p[1].0) < 0, "hole: negative area");
        hole.reverse();
        let mut outer_cw = outer;
        outer_cw.reverse();
        let l = encode_one(&poly(vec![outer_cw, hole]), vec![], &[]);
        let p = parts(&l.features[0].geom);
        assert!(area2(&p[0].0) > 0 && area2(&p[1].0) < 0);
    }

    #[test]
    fn coordinates_are_quantized_deduplicated_and_simplified() {
        let b = [1000.0, 2000.0, 1256.0, 2256.0]; // 16 units per metre
        let mut e = LayerEncoder::new("l", b, &[], Options::default());
        let line = Shape {
            lines: vec![vec![
                [1000.0, 2256.0],
                [1000.01, 2256.0], // same unit as the previous point
                [1010.02, 2255.99],
                [1020.0, 2256.0], // collinear within a unit: simplified away
                [1020.0, 2246.0],
            ]],
            ..Shape::default()
        };
        assert_eq!(e.add(1, &line, vec![]), Added::Encoded);
        let l = decode(&e.finish());
        let p = parts(&l.features[0].geom);
        assert_eq!(p[0].0, vec![[0, 0], [320, 0], [320, 160]]);
        // Commands: MoveTo(1), LineTo(2), zigzag deltas.
        assert_eq!(l.features[0].geom, vec![9, 0, 0, 18, 640, 0, 0, 320]);
        // A polygon that rounds to less than the minimum area disappears.
        let mut e = LayerEncoder::new("l", B, &[], Options::default());
        let tiny = poly(vec![square(10.0, 10.0, 16.0, 16.0)]);
        assert_eq!(e.add(1, &tiny, vec![]), Added::Empty);
        let big = poly(vec![square(10.0, 10.0, 19.0, 19.0)]);
        assert_eq!(e.add(2, &big, vec![]), Added::Encoded);
    }

    #[test]
    fn douglas_peucker_keeps_what_matters() {
        // A roof from (0, 0) up to (50, 10) and down to (100, 0), its
        // points floored to the grid (less than a unit off).
        let roof = |i: i32| [i, (50 - (i - 50).abs()) / 5];
        let mut pts: Vec<[i32; 2]> = (0..=100).map(roof).collect();
        simplify(&mut pts, 1.0, &mut DpScratch::default());
        assert_eq!(pts, vec![[0, 0], [50, 10], [100, 0]]);
        let mut flat: Vec<[i32; 2]> = (0..=100).map(|i| [i, i % 2]).collect();
        simplify(&mut flat, 1.0, &mut DpScratch::default());
        assert_eq!(flat, vec![[0, 0], [100, 0]]);
    }

    #[test]
    fn attributes_keep_their_types_and_tables_are_shared() {
        let keys = ["name", "n", "neg", "x", "ok", "none", "list"];
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        let mut e = LayerEncoder::new("communes", B, &keys, Options::default());
        let pt = |x: f64| Shape {
            points: vec![[x, 100.0]],
            ..Shape::default()
        };
        let props = |name: &str| {
            vec![
                json!(name),
                json!(42),
                json!(-3),
                json!(2.5),
                json!(true),
                Value::Null,
                json!([1, 2]),
            ]
        };
        assert_eq!(e.add(1, &pt(10.0), props("Orléans")), Added::Encoded);
        assert_eq!(e.add(2, &pt(20.0), props("Olivet")), Added::Encoded);
        let l = decode(&e.finish());
        assert_eq!(
            (l.version, l.extent, l.name.as_str()),
            (2, 4096, "communes")
        );
        // The null attribute has no key.
        assert_eq!(l.keys, vec!["name", "n", "neg", "x", "ok", "list"]);
        assert_eq!(
            l.values,
            vec![
                json!({"string": "Orléans"}),
                json!({"uint": 42}),
                json!({"sint": -3}),
                json!({"double": 2.5}),
                json!({"bool": true}),
                json!({"string": "[1,2]"}),
                json!({"string": "Olivet"}),
            ]
        );
        let f = &l.features[1];
        assert_eq!((f.id, f.kind), (2, GEOM_POINT));
        assert_eq!(f.tags, vec![0, 6, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(parts(&f.geom), vec![(vec![[20, 3996]], false)]);
    }

    #[test]
    fn the_tile_stays_within_its_byte_budget() {
        let keys = vec!["name".to_string()];
        let opts = Options {
            max_bytes: 2000,
            ..Options::default()
        };
        let mut e = LayerEncoder::new("l", B, &keys, opts);
        let mut added = 0;
        for i in 0..1000 {
            let x = f64::from(i % 60) * 60.0 + 10.0;
            let y = f64::from(i / 60) * 60.0 + 10.0;
            let shape = poly(vec![square(x, y, x + 40.0, y + 40.0)]);
            match e.add(i as u64, &shape, vec![json!(format!("feature number {i}"))]) {
                Added::Encoded => added += 1,
                Added::Full => break,
                Added::Empty => panic!("square {i} is in the tile"),
            }
        }
        assert!(added > 10 && added < 1000, "{added}");
        let n = e.features();
        let tile = e.finish();
        assert!(tile.len() <= 2000, "{}", tile.len());
        let l = decode(&tile);
        assert_eq!(l.features.len(), n);
        // The refused feature left no key or value behind.
        assert_eq!(l.values.len(), n);
    }

    #[test]
    fn tile_addresses_are_checked_against_the_grid() {
        let a = |tms, z, x, y| TileAddr { tms, z, x, y };
        let wm = TmsId::WebMercatorQuad;
        assert!(a(wm, 0, 0, 0).bounds().is_some());
        assert!(a(wm, 3, 7, 7).bounds().is_some());
        assert!(a(wm, 3, 8, 0).bounds().is_none());
        assert!(a(wm, 3, 0, 8).bounds().is_none());
        assert!(a(wm, 24, 0, 0).bounds().is_none());
        let l93 = TmsId::Lamb93;
        let b = a(l93, 10, 20, 100).bounds().unwrap();
        assert!((b[2] - b[0] - 209_715.2 / 1024.0 * 256.0).abs() < 1e-6);
        assert!(a(l93, 23, 0, 0).bounds().is_none());
        let m = l93.get().matrix(10);
        assert!(a(l93, 10, m.matrix_width, 0).bounds().is_none());
    }

    #[test]
    fn an_empty_layer_is_an_empty_tile() {
        let e = LayerEncoder::new("l", B, &[], Options::default());
        assert!(e.finish().is_empty());
        assert_eq!(varint_len(0), 1);
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
        assert_eq!(varint_len(u64::MAX), 10);
    }
}
