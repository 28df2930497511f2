//! The chunks of a pyramid, held compactly: 16 bytes a chunk.
//!
//! A region's 5 cm vintage has ~10⁶ chunks, and so has its composite. In a
//! hash map with a path per composite chunk they cost ~120 bytes each;
//! here a chunk is its packed key, its pixel size and where its file is,
//! in a vector sorted by key (a lookup is a binary search). A file is
//! named either by a base (`…/g12`, `…/composite/c3`) from which the usual
//! path follows (`{base}/L{lo}-{hi}/{cx}-{cy}.tif`), or, when it does not
//! follow that pattern, by an interned path.

use std::collections::HashMap;
use std::sync::Arc;

/// Chunk coordinates are kept in 28 bits each, offset: far beyond any
/// grid (2.7·10⁸ chunks across).
const COORD_BITS: u32 = 28;
const COORD_OFFSET: i64 = 1 << (COORD_BITS - 1);
const BASE_FLAG: u32 = 1 << 31;

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u64,
    w: u16,
    h: u16,
    /// `BASE_FLAG | i`: base `i`; otherwise the interned path `i`.
    loc: u32,
}

fn pack(tier: u8, cx: i64, cy: i64) -> Option<u64> {
    let (x, y) = (cx + COORD_OFFSET, cy + COORD_OFFSET);
    let max = 1i64 << COORD_BITS;
    ((0..max).contains(&x) && (0..max).contains(&y) && tier < 16)
        .then(|| (u64::from(tier) << (2 * COORD_BITS)) | ((y as u64) << COORD_BITS) | x as u64)
}

fn unpack(key: u64) -> (u8, i64, i64) {
    let mask = (1u64 << COORD_BITS) - 1;
    (
        (key >> (2 * COORD_BITS)) as u8,
        (key & mask) as i64 - COORD_OFFSET,
        ((key >> COORD_BITS) & mask) as i64 - COORD_OFFSET,
    )
}

/// Where one chunk's file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkLoc<'a> {
    /// `{base}/L{lo}-{hi}/{cx}-{cy}.tif`
    Base(&'a str),
    Path(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub tier: u8,
    pub cx: i64,
    pub cy: i64,
    pub size: (u32, u32),
    pub loc: ChunkLoc<'a>,
}

#[derive(Debug, Default, Clone)]
pub struct ChunkIndex {
    entries: Vec<Entry>,
    bases: Vec<Arc<str>>,
    paths: Vec<Arc<str>>,
}

#[derive(Debug, Default)]
pub struct ChunkIndexBuilder {
    index: ChunkIndex,
    base_ids: HashMap<Arc<str>, u32>,
    path_ids: HashMap<Arc<str>, u32>,
    /// (lo, hi) of each tier, to recognise derived paths.
    tiers: Vec<(u8, u8)>,
}

impl ChunkIndexBuilder {
    pub fn new(tiers: &[(u8, u8)]) -> ChunkIndexBuilder {
        ChunkIndexBuilder {
            tiers: tiers.to_vec(),
            ..Default::default()
        }
    }

    fn intern(ids: &mut HashMap<Arc<str>, u32>, list: &mut Vec<Arc<str>>, s: &str) -> u32 {
        if let Some(id) = ids.get(s) {
            return *id;
        }
        let a: Arc<str> = Arc::from(s);
        let id = list.len() as u32;
        list.push(a.clone());
        ids.insert(a, id);
        id
    }

    /// A chunk whose file follows from `base`.
    pub fn push_base(
        &mut self,
        tier: u8,
        cx: i64,
        cy: i64,
        size: (u32, u32),
        base: &str,
    ) -> Result<(), String> {
        let id = Self::intern(&mut self.base_ids, &mut self.index.bases, base);
        self.push(tier, cx, cy, size, BASE_FLAG | id)
    }

    /// A chunk stored at `path`: kept as a base when the path follows the
    /// pattern for its own key, as an interned path otherwise.
    pub fn push_path(
        &mut self,
        tier: u8,
        cx: i64,
        cy: i64,
        size: (u32, u32),
        path: &str,
    ) -> Result<(), String> {
        if let Some(&(lo, hi)) = self.tiers.get(usize::from(tier)) {
            let tail = format!("/L{lo}-{hi}/{cx}-{cy}.tif");
            if let Some(base) = path.strip_suffix(&tail) {
                if !base.is_empty() {
                    return self.push_base(tier, cx, cy, size, base);
                }
            }
        }
        let id = Self::intern(&mut self.path_ids, &mut self.index.paths, path);
        if id >= BASE_FLAG {
            return Err("more than 2^31 distinct chunk paths".into());
        }
        self.push(tier, cx, cy, size, id)
    }

    fn push(
        &mut self,
        tier: u8,
        cx: i64,
        cy: i64,
        (w, h): (u32, u32),
        loc: u32,
    ) -> Result<(), String> {
        let key = pack(tier, cx, cy)
            .ok_or_else(|| format!("chunk ({tier}, {cx}, {cy}) is off the grid"))?;
        let (Ok(w), Ok(h)) = (u16::try_from(w), u16::try_from(h)) else {
            return Err(format!(
                "chunk ({tier}, {cx}, {cy}) is {w}×{h} px: larger than a chunk can be"
            ));
        };
        self.index.entries.push(Entry { key, w, h, loc });
        Ok(())
    }

    pub fn finish(mut self) -> ChunkIndex {
        // The last row for a key wins, as it did in a map.
        self.index.entries.sort_by_key(|e| e.key);
        let mut out: Vec<Entry> = Vec::with_capacity(self.index.entries.len());
        for e in self.index.entries.drain(..) {
            match out.last_mut() {
                Some(last) if last.key == e.key => *last = e,
                _ => out.push(e),
            }
        }
        out.shrink_to_fit();
        self.index.entries = out;
        self.index
    }
}

impl ChunkIndex {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn chunk(&self, e: &Entry) -> Chunk<'_> {
        let (tier, cx, cy) = unpack(e.key);
        let loc = if e.loc & BASE_FLAG != 0 {
            ChunkLoc::Base(
                self.bases
                    .get((e.loc & !BASE_FLAG) as usize)
                    .map_or("", |b| b),
            )
        } else {
            ChunkLoc::Path(self.paths.get(e.loc as usize).map_or("", |p| p))
        };
        Chunk {
            tier,
            cx,
            cy,
            size: (u32::from(e.w), u32::from(e.h)),
            loc,
        }
    }

    pub fn get(&self, tier: u8, cx: i64, cy: i64) -> Option<Chunk<'_>> {
        let key = pack(tier, cx, cy)?;
        let i = self.entries.binary_search_by_key(&key, |e| e.key).ok()?;
        Some(self.chunk(&self.entries[i]))
    }

    /// Every chunk, by tier then row then column.
    pub fn iter(&self) -> impl Iterator<Item = Chunk<'_>> + '_ {
        self.entries.iter().map(|e| self.chunk(e))
    }

    /// Bytes held, roughly (for the snapshot's memory report).
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<Entry>()
            + self
                .bases
                .iter()
                .chain(&self.paths)
                .map(|s| s.len() + 32)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_found_with_their_files() {
        let tiers = [(18, 22), (13, 17)];
        let mut b = ChunkIndexBuilder::new(&tiers);
        b.push_base(0, 3000, 4000, (4096, 4096), "ortho/x/2021/g7")
            .unwrap();
        // A composite row that follows the pattern of a vintage's base…
        b.push_path(
            0,
            3001,
            4000,
            (4096, 2048),
            "ortho/x/2021/g7/L18-22/3001-4000.tif",
        )
        .unwrap();
        // …and one that does not (a tier's pattern, another key).
        b.push_path(1, 93, 125, (256, 256), "ortho/x/2021/g7/L18-22/1-1.tif")
            .unwrap();
        b.push_path(1, -5, 0, (256, 256), "synthetic/tier1.tif")
            .unwrap();
        // The last row for a key wins.
        b.push_base(0, 3000, 4000, (4096, 4096), "ortho/x/composite/c9")
            .unwrap();
        assert!(b.push_base(0, 1 << 40, 0, (1, 1), "b").is_err());
        assert!(b.push_base(0, 0, 0, (70_000, 1), "b").is_err());
        let ix = b.finish();
        assert_eq!(ix.len(), 4);
        let c = ix.get(0, 3000, 4000).unwrap();
        assert_eq!(c.loc, ChunkLoc::Base("ortho/x/composite/c9"));
        assert_eq!(
            ix.get(0, 3001, 4000).unwrap().loc,
            ChunkLoc::Base("ortho/x/2021/g7")
        );
        assert_eq!(ix.get(0, 3001, 4000).unwrap().size, (4096, 2048));
        assert_eq!(
            ix.get(1, 93, 125).unwrap().loc,
            ChunkLoc::Path("ortho/x/2021/g7/L18-22/1-1.tif")
        );
        assert_eq!(
            ix.get(1, -5, 0).unwrap().loc,
            ChunkLoc::Path("synthetic/tier1.tif")
        );
        assert!(ix.get(1, 93, 126).is_none());
        assert!(ix.get(2, 93, 125).is_none());
        let keys: Vec<(u8, i64, i64)> = ix.iter().map(|c| (c.tier, c.cx, c.cy)).collect();
        assert_eq!(
            keys,
            [(0, 3000, 4000), (0, 3001, 4000), (1, -5, 0), (1, 93, 125)]
        );
    }
}
