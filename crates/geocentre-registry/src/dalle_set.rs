//! The dalles of a vintage, held compactly and indexed by place.
//!
//! A region's vintage is about 10⁶ producer dalles (5 cm, 200 m each). As
//! one struct with two `String`s each they cost ~200 bytes a dalle and
//! every lookup scanned them all; here a dalle is a fixed record (box,
//! pixel size, format, where its name lies in one text buffer, its folder
//! interned) and a grid of buckets answers "which dalles meet this box"
//! and "which dalle holds this point" by looking at a few cells.

use crate::snapshot::Dalle;

#[derive(Debug, Clone, Copy)]
struct Record {
    footprint: [f64; 4],
    resolution: f32,
    /// The file name's bytes in `DalleSet::text`.
    name_at: u32,
    name_len: u16,
    /// Index in `DalleSet::folders`; u32::MAX: no folder.
    folder: u32,
    /// Index in `DalleSet::formats`; u8::MAX: none.
    format: u8,
}

/// Dalles in their loading order (the order the last one wins in).
#[derive(Debug, Default)]
pub struct DalleSet {
    records: Vec<Record>,
    text: String,
    folders: Vec<String>,
    formats: Vec<String>,
    grid: Grid,
}

/// Buckets over the dalles' extent, in compressed-row form: the dalles
/// meeting cell `c` are `items[starts[c]..starts[c + 1]]`, ascending.
#[derive(Debug, Default)]
struct Grid {
    origin: [f64; 2],
    cell: f64,
    cols: usize,
    rows: usize,
    starts: Vec<u32>,
    items: Vec<u32>,
}

/// About this many dalles per cell: a point lookup reads one cell.
const PER_CELL: f64 = 8.0;

#[derive(Default)]
pub struct DalleSetBuilder {
    set: DalleSet,
    folder_ids: std::collections::HashMap<String, u32>,
}

impl DalleSetBuilder {
    pub fn push(
        &mut self,
        source: &str,
        footprint: [f64; 4],
        resolution: f64,
        format: Option<&str>,
    ) {
        let (folder, name) = match source.rsplit_once('/') {
            Some((f, n)) => (Some(f), n),
            None => (None, source),
        };
        let folder = match folder {
            None => u32::MAX,
            Some(f) => match self.folder_ids.get(f) {
                Some(id) => *id,
                None => {
                    let id = self.set.folders.len() as u32;
                    self.set.folders.push(f.to_string());
                    self.folder_ids.insert(f.to_string(), id);
                    id
                }
            },
        };
        let format = match format {
            None => u8::MAX,
            Some(f) => match self.set.formats.iter().position(|x| x == f) {
                Some(i) => i as u8,
                None if self.set.formats.len() < usize::from(u8::MAX) => {
                    self.set.formats.push(f.to_string());
                    (self.set.formats.len() - 1) as u8
                }
                None => u8::MAX,
            },
        };
        // A name longer than 64 KiB is no producer's: kept cut.
        let mut end = name.len().min(usize::from(u16::MAX));
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        let name_at = self.set.text.len() as u32;
        self.set.text.push_str(&name[..end]);
        self.set.records.push(Record {
            footprint,
            resolution: resolution as f32,
            name_at,
            name_len: end as u16,
            folder,
            format,
        });
    }

    pub fn finish(mut self) -> DalleSet {
        self.set.text.shrink_to_fit();
        self.set.records.shrink_to_fit();
        self.set.grid = Grid::build(&self.set.records);
        self.set
    }
}

impl Grid {
    fn build(records: &[Record]) -> Grid {
        let finite = |f: &[f64; 4]| f.iter().all(|v| v.is_finite()) && f[0] <= f[2] && f[1] <= f[3];
        let mut ext = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for r in records.iter().filter(|r| finite(&r.footprint)) {
            let f = r.footprint;
            ext = [
                ext[0].min(f[0]),
                ext[1].min(f[1]),
                ext[2].max(f[2]),
                ext[3].max(f[3]),
            ];
        }
        if ext[0] > ext[2] {
            return Grid::default();
        }
        let (w, h) = ((ext[2] - ext[0]).max(1e-6), (ext[3] - ext[1]).max(1e-6));
        let cells = (records.len() as f64 / PER_CELL).clamp(1.0, 4.0e6);
        let cell = ((w * h) / cells).sqrt().max(1e-6);
        let cols = ((w / cell).ceil() as usize).clamp(1, 4096);
        let rows = ((h / cell).ceil() as usize).clamp(1, 4096);
        let cell = (w / cols as f64).max(h / rows as f64);
        let mut g = Grid {
            origin: [ext[0], ext[1]],
            cell,
            cols,
            rows,
            starts: vec![0; cols * rows + 1],
            items: Vec::new(),
        };
        // Two passes: count per cell, then place (compressed rows).
        for r in records.iter().filter(|r| finite(&r.footprint)) {
            let (c0, r0, c1, r1) = g.span(r.footprint);
            for y in r0..=r1 {
                for x in c0..=c1 {
                    g.starts[y * cols + x + 1] += 1;
                }
            }
        }
        for i in 1..g.starts.len() {
            g.starts[i] += g.starts[i - 1];
        }
        let mut fill = g.starts.clone();
        g.items = vec![0; g.starts[cols * rows] as usize];
        for (i, r) in records.iter().enumerate() {
            if !finite(&r.footprint) {
                continue;
            }
            let (c0, r0, c1, r1) = g.span(r.footprint);
            for y in r0..=r1 {
                for x in c0..=c1 {
                    let c = y * cols + x;
                    g.items[fill[c] as usize] = i as u32;
                    fill[c] += 1;
                }
            }
        }
        g
    }

    /// The cells a box meets, clamped to the grid.
    fn span(&self, b: [f64; 4]) -> (usize, usize, usize, usize) {
        let at =
            |v: f64, o: f64, n: usize| (((v - o) / self.cell).floor().max(0.0) as usize).min(n - 1);
        (
            at(b[0], self.origin[0], self.cols),
            at(b[1], self.origin[1], self.rows),
            at(b[2], self.origin[0], self.cols),
            at(b[3], self.origin[1], self.rows),
        )
    }

    fn cell_items(&self, x: usize, y: usize) -> &[u32] {
        let c = y * self.cols + x;
        &self.items[self.starts[c] as usize..self.starts[c + 1] as usize]
    }
}

fn meets(f: [f64; 4], b: [f64; 4]) -> bool {
    f[0] <= b[2] && f[2] >= b[0] && f[1] <= b[3] && f[3] >= b[1]
}

impl DalleSet {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    fn get(&self, i: usize) -> Dalle {
        let r = &self.records[i];
        let name = &self.text[r.name_at as usize..r.name_at as usize + usize::from(r.name_len)];
        let source = match self.folders.get(r.folder as usize) {
            Some(f) => format!("{f}/{name}"),
            None => name.to_string(),
        };
        let name = std::path::Path::new(&source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| source.clone());
        Dalle {
            name,
            source,
            footprint: r.footprint,
            resolution: f64::from(r.resolution),
            format: self.formats.get(usize::from(r.format)).cloned(),
        }
    }

    /// Every footprint, in order (the coverage indicator).
    pub fn footprints(&self) -> impl Iterator<Item = [f64; 4]> + '_ {
        self.records.iter().map(|r| r.footprint)
    }

    /// Indexes of the dalles meeting `bbox` (edges included), ascending.
    fn indexes_in(&self, bbox: [f64; 4]) -> Vec<usize> {
        let g = &self.grid;
        if g.items.is_empty() || !bbox.iter().all(|v| v.is_finite()) {
            return Vec::new();
        }
        let (c0, r0, c1, r1) = g.span(bbox);
        let mut out = Vec::new();
        for y in r0..=r1 {
            for x in c0..=c1 {
                for &i in g.cell_items(x, y) {
                    let f = self.records[i as usize].footprint;
                    // Reported from the first cell both the dalle and the
                    // box meet, so never twice.
                    let (fc0, fr0, _, _) = g.span(f);
                    if x == fc0.max(c0) && y == fr0.max(r0) && meets(f, bbox) {
                        out.push(i as usize);
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// The dalles meeting `bbox`, in order, at most `limit`.
    pub fn in_box(&self, bbox: [f64; 4], limit: usize) -> Vec<Dalle> {
        self.indexes_in(bbox)
            .into_iter()
            .take(limit)
            .map(|i| self.get(i))
            .collect()
    }

    /// How many dalles meet `bbox`.
    pub fn count_in(&self, bbox: [f64; 4]) -> usize {
        self.indexes_in(bbox).len()
    }

    /// The last dalle (in order) whose footprint holds (x, y).
    pub fn at(&self, x: f64, y: f64) -> Option<Dalle> {
        self.indexes_in([x, y, x, y])
            .into_iter()
            .next_back()
            .map(|i| self.get(i))
    }

    /// Every dalle, in order (small sets: tests, exports by pages).
    pub fn page(&self, offset: usize, limit: usize) -> Vec<Dalle> {
        (offset..self.records.len().min(offset.saturating_add(limit)))
            .map(|i| self.get(i))
            .collect()
    }

    /// Bytes held, roughly (for the snapshot's memory report).
    pub fn heap_bytes(&self) -> usize {
        self.records.capacity() * std::mem::size_of::<Record>()
            + self.text.capacity()
            + self
                .folders
                .iter()
                .map(|f| f.capacity() + 24)
                .sum::<usize>()
            + (self.grid.starts.capacity() + self.grid.items.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(n: usize) -> (DalleSet, Vec<(String, [f64; 4])>) {
        let mut b = DalleSetBuilder::default();
        let mut all = Vec::new();
        // A grid of 200 m dalles, plus overlapping ones and odd names.
        for i in 0..n {
            let (x, y) = (
                (i % 37) as f64 * 200.0 + 600_000.0,
                (i / 37) as f64 * 200.0 + 6_700_000.0,
            );
            let f = [x, y, x + 200.0, y + 200.0];
            let src = format!("lot-{}/D_{i}.jp2", i % 3);
            b.push(&src, f, 0.05, Some("JPEG2000"));
            all.push((src, f));
        }
        let big = [600_050.0, 6_700_050.0, 601_000.0, 6_701_000.0];
        b.push("sans-dossier.tif", big, 0.2, None);
        all.push(("sans-dossier.tif".into(), big));
        (b.finish(), all)
    }

    #[test]
    fn lookups_match_a_full_scan() {
        let (s, all) = set(2000);
        assert_eq!(s.len(), all.len());
        for (k, bbox) in [
            [600_000.0, 6_700_000.0, 600_000.0, 6_700_000.0],
            [600_100.0, 6_700_100.0, 600_900.0, 6_702_000.0],
            [0.0, 0.0, 1e7, 1e7],
            [599_000.0, 6_699_000.0, 599_999.0, 6_699_999.0],
            [607_399.0, 6_710_000.0, 607_500.0, 6_710_500.0],
        ]
        .into_iter()
        .enumerate()
        {
            let want: Vec<&str> = all
                .iter()
                .filter(|(_, f)| meets(*f, bbox))
                .map(|(s, _)| s.as_str())
                .collect();
            let got: Vec<String> = s
                .in_box(bbox, usize::MAX)
                .into_iter()
                .map(|d| d.source)
                .collect();
            assert_eq!(got, want, "box {k}");
            assert_eq!(s.count_in(bbox), want.len());
        }
        // A point on the big dalle and a grid dalle: the last one loaded wins.
        let d = s.at(600_150.0, 6_700_150.0).unwrap();
        assert_eq!(d.source, "sans-dossier.tif");
        assert_eq!(d.name, "sans-dossier.tif");
        assert_eq!(d.format, None);
        let d = s.at(605_010.0, 6_703_010.0).unwrap();
        let want = all
            .iter()
            .rev()
            .find(|(_, f)| meets(*f, [605_010.0, 6_703_010.0, 605_010.0, 6_703_010.0]))
            .unwrap();
        assert_eq!(d.source, want.0);
        assert_eq!(d.name, want.0.rsplit_once('/').unwrap().1);
        assert_eq!(d.format.as_deref(), Some("JPEG2000"));
        assert!((d.resolution - 0.05).abs() < 1e-6);
        assert!(s.at(1.0, 1.0).is_none());
    }

    #[test]
    fn an_empty_or_degenerate_set_answers_nothing() {
        let s = DalleSetBuilder::default().finish();
        assert!(s.at(0.0, 0.0).is_none());
        let mut b = DalleSetBuilder::default();
        b.push("x.tif", [f64::NAN, 0.0, 1.0, 1.0], 1.0, None);
        b.push("y.tif", [5.0, 5.0, 5.0, 5.0], 1.0, None);
        let s = b.finish();
        assert_eq!(s.len(), 2);
        assert_eq!(s.at(5.0, 5.0).map(|d| d.source), Some("y.tif".into()));
        assert!(s.in_box([f64::NAN, 0.0, 1.0, 1.0], 10).is_empty());
    }
}
