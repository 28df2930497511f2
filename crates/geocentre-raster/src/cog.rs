//! Reading the structure of our own chunk COGs: tile offsets, byte counts
//! and JPEG tables, for each overview and its mask.
//!
//! Hand-written on purpose: it is the hot path of native tile serving and
//! needs only a few tags. It is bounded (IFD count, entry count, array sizes)
//! and fails cleanly on anything unexpected: the files come from our ingest,
//! but a storage fault must not become a panic.

use std::ops::Range;

const MAX_IFDS: usize = 64;
const MAX_ENTRIES: usize = 512;
const MAX_TILES_PER_IFD: u64 = 1 << 20;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CogError {
    #[error("not a TIFF file")]
    NotTiff,
    #[error("TIFF header needs {0} bytes")]
    NeedMore(u64),
    #[error("malformed TIFF: {0}")]
    Malformed(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ifd {
    pub width: u32,
    pub height: u32,
    pub tile_width: u32,
    pub tile_height: u32,
    pub compression: u16,
    pub is_mask: bool,
    pub offsets: Vec<u64>,
    pub counts: Vec<u64>,
    pub jpeg_tables: Option<Vec<u8>>,
}

impl Ifd {
    pub fn tiles_across(&self) -> u32 {
        self.width.div_ceil(self.tile_width.max(1))
    }
    pub fn tiles_down(&self) -> u32 {
        self.height.div_ceil(self.tile_height.max(1))
    }
    /// Byte range of tile (col, row); `None` when the tile is sparse (absent).
    pub fn tile_range(&self, col: u32, row: u32) -> Option<Range<u64>> {
        if col >= self.tiles_across() || row >= self.tiles_down() {
            return None;
        }
        let i = (row as usize) * (self.tiles_across() as usize) + col as usize;
        let (off, len) = (*self.offsets.get(i)?, *self.counts.get(i)?);
        (off != 0 && len != 0).then(|| off..off + len)
    }
}

/// The images of a COG, full resolution first, and their masks likewise.
#[derive(Debug, Clone, PartialEq)]
pub struct CogHeader {
    pub images: Vec<Ifd>,
    pub masks: Vec<Ifd>,
}

impl CogHeader {
    pub fn mask_for(&self, overview: usize) -> Option<&Ifd> {
        let img = self.images.get(overview)?;
        self.masks
            .iter()
            .find(|m| m.width == img.width && m.height == img.height)
    }
}

struct Reader<'a> {
    d: &'a [u8],
    le: bool,
    big: bool,
}

impl Reader<'_> {
    fn bytes(&self, at: u64, n: u64) -> Result<&[u8], CogError> {
        let end = at
            .checked_add(n)
            .ok_or(CogError::Malformed("offset overflow"))?;
        if end > self.d.len() as u64 {
            return Err(CogError::NeedMore(end));
        }
        Ok(&self.d[at as usize..end as usize])
    }
    fn u16(&self, at: u64) -> Result<u16, CogError> {
        let b = self.bytes(at, 2)?;
        let a = [b[0], b[1]];
        Ok(if self.le {
            u16::from_le_bytes(a)
        } else {
            u16::from_be_bytes(a)
        })
    }
    fn u32(&self, at: u64) -> Result<u32, CogError> {
        let b = self.bytes(at, 4)?;
        let a = [b[0], b[1], b[2], b[3]];
        Ok(if self.le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }
    fn u64(&self, at: u64) -> Result<u64, CogError> {
        let b = self.bytes(at, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(if self.le {
            u64::from_le_bytes(a)
        } else {
            u64::from_be_bytes(a)
        })
    }
    fn offset(&self, at: u64) -> Result<u64, CogError> {
        if self.big {
            self.u64(at)
        } else {
            self.u32(at).map(u64::from)
        }
    }

    /// Values of an entry as unsigned integers (SHORT, LONG or LONG8).
    fn values(&self, typ: u16, count: u64, value_at: u64) -> Result<Vec<u64>, CogError> {
        let size = match typ {
            1 | 7 => 1,
            3 => 2,
            4 => 4,
            16 => 8,
            _ => return Err(CogError::Malformed("unexpected tag type")),
        };
        if count > MAX_TILES_PER_IFD {
            return Err(CogError::Malformed("array too large"));
        }
        let total = size * count;
        let inline = if self.big { 8 } else { 4 };
        let start = if total <= inline {
            value_at
        } else {
            self.offset(value_at)?
        };
        let raw = self.bytes(start, total)?;
        let mut out = Vec::with_capacity(count as usize);
        for i in 0..count {
            let at = start + i * size;
            out.push(match size {
                1 => u64::from(raw[i as usize]),
                2 => u64::from(self.u16(at)?),
                4 => u64::from(self.u32(at)?),
                _ => self.u64(at)?,
            });
        }
        Ok(out)
    }

    fn raw(&self, typ: u16, count: u64, value_at: u64) -> Result<Vec<u8>, CogError> {
        if !matches!(typ, 1 | 7) || count > (1 << 20) {
            return Err(CogError::Malformed("unexpected JPEGTables"));
        }
        let inline = if self.big { 8 } else { 4 };
        let start = if count <= inline {
            value_at
        } else {
            self.offset(value_at)?
        };
        Ok(self.bytes(start, count)?.to_vec())
    }
}

/// Parses every IFD of a COG whose header lies within `d`. Returns
/// `NeedMore(n)` when the first `n` bytes are needed: the caller reads more
/// and tries again.
pub fn parse(d: &[u8]) -> Result<CogHeader, CogError> {
    if d.len() < 16 {
        return Err(CogError::NeedMore(16));
    }
    let le = match &d[0..2] {
        b"II" => true,
        b"MM" => false,
        _ => return Err(CogError::NotTiff),
    };
    let mut r = Reader { d, le, big: false };
    let magic = r.u16(2)?;
    let mut next = match magic {
        42 => u64::from(r.u32(4)?),
        43 => {
            r.big = true;
            r.u64(8)?
        }
        _ => return Err(CogError::NotTiff),
    };
    let (count_size, entry_size) = if r.big { (8u64, 20u64) } else { (2, 12) };
    let mut images = Vec::new();
    let mut masks = Vec::new();
    let mut seen = 0;
    while next != 0 {
        seen += 1;
        if seen > MAX_IFDS {
            return Err(CogError::Malformed("too many IFDs"));
        }
        let n = if r.big {
            r.u64(next)?
        } else {
            u64::from(r.u16(next)?)
        };
        if n as usize > MAX_ENTRIES {
            return Err(CogError::Malformed("too many entries"));
        }
        let mut ifd = Ifd {
            width: 0,
            height: 0,
            tile_width: 0,
            tile_height: 0,
            compression: 1,
            is_mask: false,
            offsets: Vec::new(),
            counts: Vec::new(),
            jpeg_tables: None,
        };
        for i in 0..n {
            let e = next + count_size + i * entry_size;
            let tag = r.u16(e)?;
            let typ = r.u16(e + 2)?;
            let count = if r.big {
                r.u64(e + 4)?
            } else {
                u64::from(r.u32(e + 4)?)
            };
            let value_at = e + if r.big { 12 } else { 8 };
            let first = |r: &Reader| -> Result<u32, CogError> {
                r.values(typ, 1, value_at).map(|v| v[0] as u32)
            };
            match tag {
                254 => ifd.is_mask = first(&r)? & 4 != 0,
                256 => ifd.width = first(&r)?,
                257 => ifd.height = first(&r)?,
                259 => ifd.compression = first(&r)? as u16,
                322 => ifd.tile_width = first(&r)?,
                323 => ifd.tile_height = first(&r)?,
                324 => ifd.offsets = r.values(typ, count, value_at)?,
                325 => ifd.counts = r.values(typ, count, value_at)?,
                347 => ifd.jpeg_tables = Some(r.raw(typ, count, value_at)?),
                _ => {}
            }
        }
        if ifd.tile_width == 0 || ifd.tile_height == 0 {
            return Err(CogError::Malformed("not tiled"));
        }
        let expected = u64::from(ifd.tiles_across()) * u64::from(ifd.tiles_down());
        if ifd.offsets.len() as u64 != expected || ifd.counts.len() as u64 != expected {
            return Err(CogError::Malformed("tile arrays do not match the size"));
        }
        // `tile_range` adds them: a range past 2^64 is a corrupt file, not a
        // panic (found by the fuzz target cog_header).
        if ifd
            .offsets
            .iter()
            .zip(&ifd.counts)
            .any(|(o, c)| o.checked_add(*c).is_none())
        {
            return Err(CogError::Malformed("tile range beyond 2^64"));
        }
        if ifd.is_mask {
            masks.push(ifd)
        } else {
            images.push(ifd)
        }
        next = r.offset(next + count_size + n * entry_size)?;
    }
    if images.is_empty() {
        return Err(CogError::Malformed("no image"));
    }
    images.sort_by_key(|i| std::cmp::Reverse(i.width));
    masks.sort_by_key(|i| std::cmp::Reverse(i.width));
    Ok(CogHeader { images, masks })
}

/// A self-contained JPEG from a TIFF JPEG tile and the shared tables:
/// the tables' SOI+DQT+DHT without their EOI, then the tile without its SOI.
pub fn splice_jpeg(tables: Option<&[u8]>, tile: &[u8]) -> Vec<u8> {
    match tables {
        Some(t) if t.len() >= 4 && tile.len() >= 2 && tile[..2] == [0xFF, 0xD8] => {
            let mut out = Vec::with_capacity(t.len() + tile.len());
            out.extend_from_slice(&t[..t.len() - 2]);
            out.extend_from_slice(&tile[2..]);
            out
        }
        _ => tile.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_garbage_without_panicking() {
        assert_eq!(parse(b"hello world, not a tiff"), Err(CogError::NotTiff));
        assert_eq!(parse(b"II*\0"), Err(CogError::NeedMore(16)));
        let mut d = b"II*\0\x08\0\0\0".to_vec();
        d.extend_from_slice(&[0xFF, 0xFF, 0, 0, 0, 0, 0, 0]);
        assert!(parse(&d).is_err());
        // IFD pointing far beyond the buffer asks for more bytes.
        let d = b"II*\0\0\0\x10\0\0\0\0\0\0\0\0\0".to_vec();
        assert!(matches!(parse(&d), Err(CogError::NeedMore(_))));
    }

    /// A little-endian BigTIFF of one 256x256 image in one tile at
    /// `offset`, `count` bytes long.
    fn one_tile_bigtiff(offset: u64, count: u64) -> Vec<u8> {
        let mut d = b"II\x2b\0\x08\0\0\0".to_vec();
        d.extend_from_slice(&16u64.to_le_bytes());
        let tags: [(u16, u16, u64); 6] = [
            (256, 3, 256),
            (257, 3, 256),
            (322, 3, 256),
            (323, 3, 256),
            (324, 16, offset),
            (325, 16, count),
        ];
        d.extend_from_slice(&(tags.len() as u64).to_le_bytes());
        for (tag, typ, value) in tags {
            d.extend_from_slice(&tag.to_le_bytes());
            d.extend_from_slice(&typ.to_le_bytes());
            d.extend_from_slice(&1u64.to_le_bytes());
            d.extend_from_slice(&value.to_le_bytes());
        }
        d.extend_from_slice(&0u64.to_le_bytes());
        d
    }

    #[test]
    fn tile_range_past_u64_is_malformed_not_a_panic() {
        let h = parse(&one_tile_bigtiff(4096, 100)).expect("a valid header");
        assert_eq!(h.images[0].tile_range(0, 0), Some(4096..4196));
        // fuzz/artifacts/cog_header/crash-6c4f7523…: offset + count overflowed.
        assert_eq!(
            parse(&one_tile_bigtiff(u64::MAX, 2)),
            Err(CogError::Malformed("tile range beyond 2^64"))
        );
    }

    #[test]
    fn splices_tables_and_tile() {
        let tables = [0xFF, 0xD8, 0xFF, 0xDB, 1, 2, 0xFF, 0xD9];
        let tile = [0xFF, 0xD8, 0xFF, 0xDA, 9, 0xFF, 0xD9];
        assert_eq!(
            splice_jpeg(Some(&tables), &tile),
            vec![0xFF, 0xD8, 0xFF, 0xDB, 1, 2, 0xFF, 0xDA, 9, 0xFF, 0xD9]
        );
    }
}
