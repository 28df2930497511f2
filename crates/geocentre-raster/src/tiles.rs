//! Serving tiles of published pyramids. Every entry point takes an
//! [`Authorized`] view: the registry's authorization point is the only way
//! to get one, so nothing here can be reached around it.

use crate::cache::ByteLru;
pub use crate::cache::CacheStats;
use crate::cog::{self, CogError, CogHeader};
use bytes::Bytes;
use geocentre_blob::{BlobError, BlobStore};
use geocentre_core::config::TilesConfig;
use geocentre_core::tms::{TmsId, LAMB93, TILE_SIZE};
use geocentre_core::Resampling;
use geocentre_geo::crs::Transformer;
use geocentre_image::encode::{self, ImageFormat};
use geocentre_registry::authz::OrthoView;
use geocentre_registry::{Authorized, ChunkTile};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const TS: usize = TILE_SIZE as usize;
/// Header bytes read at first; GDAL puts all IFDs of a COG at its start.
const HEADER_PROBE: u64 = 16 * 1024;
const HEADER_MAX: u64 = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum TileError {
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error("stored chunk {0}: {1}")]
    Cog(String, CogError),
    #[error("stored tile of {0} cannot be decoded: {1}")]
    Decode(String, String),
    #[error(transparent)]
    Encode(#[from] encode::EncodeError),
    #[error("{0}")]
    Crs(String),
    #[error("worker: {0}")]
    Join(String),
}

impl TileError {
    /// The blob store failed (down, timed out): the request may succeed
    /// later (HTTP 503), unlike a broken chunk or a bug.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, TileError::Blob(e) if e.is_unavailable())
    }
}

#[derive(Debug, Clone)]
pub struct Tile {
    pub bytes: Bytes,
    pub format: ImageFormat,
    pub etag: String,
}

/// A decoded tile: 256×256 RGBA, alpha from the stored mask.
pub type Rgba = Arc<Vec<u8>>;

type DecodedKey = (String, u8, u32, u32);
type RenderedKey = (i64, TmsId, u8, u64, u64, ImageFormat, Resampling);

pub struct TileService {
    blobs: BlobStore,
    cfg: TilesConfig,
    headers: Mutex<lru::LruCache<String, Arc<CogHeader>>>,
    decoded: Mutex<ByteLru<DecodedKey, Option<Rgba>>>,
    rendered: Mutex<ByteLru<RenderedKey, Option<Bytes>>>,
    /// Stored native JPEG tiles, on an object store only (stored_cache_mb):
    /// a GET costs far more there (an HTTP exchange, the store's own work)
    /// than a read of a local file the page cache holds. Objects are
    /// immutable (a new ingest writes new keys), so an entry never goes
    /// stale; one of an object GC deleted is simply no longer asked for.
    stored: Mutex<ByteLru<DecodedKey, Option<Bytes>>>,
    transformers: Mutex<HashMap<(u32, u32), Arc<Transformer>>>,
    /// CPU-bound work (decoding, sampling, encoding) runs at most one job
    /// per core: more would only interleave them, stretching every
    /// request's latency and evicting each other's tiles from the caches.
    cpu: tokio::sync::Semaphore,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding a cache lock leaves the cache usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl TileService {
    pub fn new(blobs: BlobStore, cfg: TilesConfig) -> TileService {
        let cap = std::num::NonZeroUsize::new(cfg.cog_header_cache.max(1))
            .unwrap_or(std::num::NonZeroUsize::MIN);
        TileService {
            headers: Mutex::new(lru::LruCache::new(cap)),
            decoded: Mutex::new(ByteLru::new((cfg.decoded_cache_mb * 1024 * 1024) as usize)),
            rendered: Mutex::new(ByteLru::new((cfg.rendered_cache_mb * 1024 * 1024) as usize)),
            stored: Mutex::new(ByteLru::new((cfg.stored_cache_mb * 1024 * 1024) as usize)),
            transformers: Mutex::new(HashMap::new()),
            cpu: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
            blobs,
            cfg,
        }
    }

    /// What the tile caches did since the server started: the decoded
    /// native tiles and the rendered (reprojected, re-encoded) tiles.
    pub fn cache_stats(&self) -> [(&'static str, CacheStats); 3] {
        [
            ("decoded_tiles", lock(&self.decoded).stats()),
            ("rendered_tiles", lock(&self.rendered).stats()),
            ("stored_tiles", lock(&self.stored).stats()),
        ]
    }

    /// The blob store's backend (`local` or `s3`) and the requests sent to
    /// it by operation: (operation, requests, failed).
    pub fn store_requests(&self) -> (&'static str, Vec<(&'static str, u64, u64)>) {
        let counts = self.blobs.request_counts();
        let named = counts.into_iter().map(|(op, n, f)| (op.as_str(), n, f));
        (self.blobs.backend(), named.collect())
    }

    /// Bytes the blob store's reads brought back.
    pub fn store_read_bytes(&self) -> u64 {
        self.blobs.read_bytes()
    }

    /// Runs CPU-bound work off the async threads, one job per core.
    pub async fn run_cpu<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, TileError> {
        let _permit = self
            .cpu
            .acquire()
            .await
            .map_err(|e| TileError::Join(e.to_string()))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| TileError::Join(e.to_string()))
    }

    async fn header(&self, path: &str) -> Result<Arc<CogHeader>, TileError> {
        if let Some(h) = lock(&self.headers).get(path) {
            return Ok(h.clone());
        }
        // One GET (no HEAD): the first bytes also tell the object's size.
        let (mut bytes, size) = self.blobs.get_head(path, HEADER_PROBE).await?;
        let header = loop {
            match cog::parse(&bytes) {
                Ok(h) => break h,
                Err(CogError::NeedMore(n))
                    if n <= size && n <= HEADER_MAX && n > bytes.len() as u64 =>
                {
                    let want = (n + HEADER_PROBE).min(size);
                    bytes = self.blobs.get_range(path, 0..want).await?;
                }
                Err(e) => return Err(TileError::Cog(path.to_string(), e)),
            }
        };
        let header = Arc::new(header);
        lock(&self.headers).put(path.to_string(), header.clone());
        Ok(header)
    }

    /// The stored JPEG of a grid tile, as a self-contained JPEG.
    async fn stored_jpeg(
        &self,
        loc: &ChunkTile,
        header: &CogHeader,
    ) -> Result<Option<Bytes>, TileError> {
        let Some(ifd) = header.images.get(loc.overview as usize) else {
            return Ok(None);
        };
        let Some(range) = ifd.tile_range(loc.tile_col, loc.tile_row) else {
            return Ok(None);
        };
        let data = self.blobs.get_range(&loc.path, range).await?;
        Ok(Some(with_tables(ifd, data)))
    }

    /// The stored JPEG of a grid tile and its alpha from the chunk's 1-bit
    /// mask, in **one** read when they lie side by side: GDAL's COG writer
    /// puts each mask block right after its image block (a few bytes of
    /// block leader and trailer between them), so the tile and its mask
    /// cost one range GET on an object store.
    async fn stored_tile_and_mask(
        &self,
        loc: &ChunkTile,
        header: &CogHeader,
    ) -> Result<Option<(Bytes, Option<Vec<u8>>)>, TileError> {
        let Some(ifd) = header.images.get(loc.overview as usize) else {
            return Ok(None);
        };
        let Some(image) = ifd.tile_range(loc.tile_col, loc.tile_row) else {
            return Ok(None);
        };
        let Some(mask) = header.mask_for(loc.overview as usize) else {
            let data = self.blobs.get_range(&loc.path, image).await?;
            return Ok(Some((with_tables(ifd, data), None)));
        };
        let Some(mrange) = mask.tile_range(loc.tile_col, loc.tile_row) else {
            // A sparse mask block is an empty one.
            let data = self.blobs.get_range(&loc.path, image).await?;
            return Ok(Some((with_tables(ifd, data), Some(vec![0; TS * TS]))));
        };
        let (start, end) = (image.start.min(mrange.start), image.end.max(mrange.end));
        let (jpeg, mask_bytes) = if end - start
            <= (image.end - image.start) + (mrange.end - mrange.start) + ADJACENT_GAP
        {
            let both = self.blobs.get_range(&loc.path, start..end).await?;
            let slice = |r: &std::ops::Range<u64>| {
                both.slice((r.start - start) as usize..(r.end - start) as usize)
            };
            (slice(&image), slice(&mrange))
        } else {
            (
                self.blobs.get_range(&loc.path, image).await?,
                self.blobs.get_range(&loc.path, mrange).await?,
            )
        };
        let alpha = decode_mask(&loc.path, mask.compression, &mask_bytes)?;
        Ok(Some((with_tables(ifd, jpeg), Some(alpha))))
    }

    /// Decoded RGBA of a native grid tile, cached.
    pub async fn decoded(
        &self,
        view: &Authorized<OrthoView>,
        level: u8,
        col: u64,
        row: u64,
    ) -> Result<Option<Rgba>, TileError> {
        match self.fetch(view, level, col, row).await? {
            Fetched::Ready(v) => Ok(v),
            Fetched::Pending(p) => {
                let key = p.key.clone();
                let rgba = Arc::new(self.run_cpu(move || p.decode()).await??);
                lock(&self.decoded).put(key, Some(rgba.clone()), TS * TS * 4);
                Ok(Some(rgba))
            }
        }
    }

    /// A native grid tile from the decoded cache, or its stored bytes ready
    /// to decode (so that a render decodes all it lacks in one job).
    async fn fetch(
        &self,
        view: &Authorized<OrthoView>,
        level: u8,
        col: u64,
        row: u64,
    ) -> Result<Fetched, TileError> {
        let Some(loc) = view.pyramid.locate(level, col, row) else {
            return Ok(Fetched::Ready(None));
        };
        let key = (loc.path.clone(), loc.overview, loc.tile_col, loc.tile_row);
        if let Some(v) = lock(&self.decoded).get(&key) {
            return Ok(Fetched::Ready(v));
        }
        let header = self.header(&loc.path).await?;
        let Some((jpeg, mut mask)) = self.stored_tile_and_mask(&loc, &header).await? else {
            lock(&self.decoded).put(key, None, 64);
            return Ok(Fetched::Ready(None));
        };
        // Tiles on the right and bottom edges of a chunk are padded to 256
        // px; whatever the padding holds is not image.
        if let Some(ifd) = header.images.get(loc.overview as usize) {
            let valid_w = (ifd.width as usize)
                .saturating_sub(loc.tile_col as usize * TS)
                .min(TS);
            let valid_h = (ifd.height as usize)
                .saturating_sub(loc.tile_row as usize * TS)
                .min(TS);
            if valid_w < TS || valid_h < TS {
                let m = mask.get_or_insert_with(|| vec![255; TS * TS]);
                for y in 0..TS {
                    for x in 0..TS {
                        if x >= valid_w || y >= valid_h {
                            m[y * TS + x] = 0;
                        }
                    }
                }
            }
        }
        Ok(Fetched::Pending(PendingTile { key, jpeg, mask }))
    }

    /// A tile of `tms`. `None` means no data there (HTTP 204 for clients).
    pub async fn tile(
        &self,
        view: &Authorized<OrthoView>,
        tms: TmsId,
        level: u8,
        col: u64,
        row: u64,
        fmt: ImageFormat,
    ) -> Result<Option<Tile>, TileError> {
        match tms {
            TmsId::Lamb93 if level <= view.pyramid.native_level() => {
                self.native_tile(view, level, col, row, fmt).await
            }
            // Past the finest stored level: upsampled from it.
            _ => self.rendered_tile(view, tms, level, col, row, fmt).await,
        }
    }

    async fn native_tile(
        &self,
        view: &Authorized<OrthoView>,
        level: u8,
        col: u64,
        row: u64,
        fmt: ImageFormat,
    ) -> Result<Option<Tile>, TileError> {
        let Some(loc) = view.pyramid.locate(level, col, row) else {
            return Ok(None);
        };
        let etag = format!("{}-{}", loc.etag_seed, fmt.ext());
        if fmt == ImageFormat::Jpeg {
            // The native path: stored bytes, no decoding.
            let key = (loc.path.clone(), loc.overview, loc.tile_col, loc.tile_row);
            let remote = self.blobs.is_remote();
            let cached = if remote {
                lock(&self.stored).get(&key)
            } else {
                None
            };
            let bytes = match cached {
                Some(hit) => hit,
                None => {
                    let header = self.header(&loc.path).await?;
                    let bytes = self.stored_jpeg(&loc, &header).await?;
                    if remote {
                        let size = bytes.as_ref().map_or(64, |b| b.len() + 64);
                        lock(&self.stored).put(key, bytes.clone(), size);
                    }
                    bytes
                }
            };
            return Ok(bytes.map(|bytes| Tile {
                bytes,
                format: fmt,
                etag,
            }));
        }
        let Some(rgba) = self.decoded(view, level, col, row).await? else {
            return Ok(None);
        };
        let bytes = self.encode_tile(rgba, fmt).await?;
        Ok(Some(Tile {
            bytes,
            format: fmt,
            etag,
        }))
    }

    async fn rendered_tile(
        &self,
        view: &Authorized<OrthoView>,
        tms: TmsId,
        level: u8,
        col: u64,
        row: u64,
        fmt: ImageFormat,
    ) -> Result<Option<Tile>, TileError> {
        let ingest = view.pyramid.ingest_id();
        let etag = format!(
            "g{ingest}-{}-{level}-{col}-{row}-{}",
            tms.as_str(),
            fmt.ext()
        );
        let key = (ingest, tms, level, col, row, fmt, view.layer.resampling());
        if let Some(hit) = lock(&self.rendered).get(&key) {
            return Ok(hit.map(|bytes| Tile {
                bytes,
                format: fmt,
                etag,
            }));
        }
        let set = tms.get();
        let bbox = set.tile_bounds(level, col, row);
        let image = self
            .render(view, set.epsg, bbox, TILE_SIZE, TILE_SIZE)
            .await?;
        let bytes = match image {
            None => None,
            Some(rgba) => Some(self.encode_tile(Arc::new(rgba), fmt).await?),
        };
        let size = bytes.as_ref().map_or(64, |b| b.len() + 64);
        lock(&self.rendered).put(key, bytes.clone(), size);
        Ok(bytes.map(|bytes| Tile {
            bytes,
            format: fmt,
            etag,
        }))
    }

    /// Encodes a 256×256 RGBA tile off the async threads.
    async fn encode_tile(&self, rgba: Rgba, fmt: ImageFormat) -> Result<Bytes, TileError> {
        let (jq, wq) = (self.cfg.jpeg_quality, self.cfg.webp_quality);
        let b = self
            .run_cpu(move || encode::encode(&rgba, 256, 256, fmt, jq, wq))
            .await??;
        Ok(Bytes::from(b))
    }

    pub fn transformer(&self, src: u32, dst: u32) -> Result<Arc<Transformer>, TileError> {
        let mut map = lock(&self.transformers);
        if let Some(t) = map.get(&(src, dst)) {
            return Ok(t.clone());
        }
        let t = Arc::new(Transformer::new(src, dst).map_err(|e| TileError::Crs(e.to_string()))?);
        map.insert((src, dst), t.clone());
        Ok(t)
    }

    /// Renders `bbox` of `epsg` at `width`×`height` from the native pyramid
    /// (bilinear). `None` when nothing of the layer falls inside.
    pub async fn render(
        &self,
        view: &Authorized<OrthoView>,
        epsg: u32,
        bbox: [f64; 4],
        width: u32,
        height: u32,
    ) -> Result<Option<Vec<u8>>, TileError> {
        let to_native = self.transformer(epsg, LAMB93.epsg)?;
        let grid = crate::render::SampleGrid::new(&to_native, bbox, width, height);
        let Some(src_box) = grid.source_bounds() else {
            return Ok(None);
        };
        let pb = view.pyramid.bbox();
        if src_box[0] > pb[2] || src_box[2] < pb[0] || src_box[1] > pb[3] || src_box[3] < pb[1] {
            return Ok(None);
        }
        let level = crate::render::choose_level(&grid, view.pyramid.native_level(), src_box);
        let [c0, r0, c1, r1] = LAMB93.tile_range(level, src_box);
        let (c0, r0) = (c0.max(0) as u64, r0.max(0) as u64);
        let (c1, r1) = (c1.max(0) as u64, r1.max(0) as u64);
        let mut tiles = Vec::with_capacity(((c1 - c0 + 1) * (r1 - r0 + 1)) as usize);
        let mut pending = Vec::new();
        for r in r0..=r1 {
            for c in c0..=c1 {
                match self.fetch(view, level, c, r).await? {
                    Fetched::Ready(t) => tiles.push(t),
                    Fetched::Pending(p) => {
                        pending.push((tiles.len(), p));
                        tiles.push(None);
                    }
                }
            }
        }
        if pending.is_empty() && tiles.iter().all(Option::is_none) {
            return Ok(None);
        }
        let (cols, rows) = ((c1 - c0 + 1) as usize, (r1 - r0 + 1) as usize);
        let resampling = view.layer.resampling();
        // Decoding what the cache lacks and sampling are one job: handing
        // each tile to a blocking thread separately left cores idle between
        // jobs (measured: 1.5 of 2 cores busy under load).
        let (out, decoded) = self
            .run_cpu(move || -> Result<_, TileError> {
                let mut decoded = Vec::with_capacity(pending.len());
                for (i, p) in pending {
                    let rgba = Arc::new(p.decode()?);
                    tiles[i] = Some(rgba.clone());
                    decoded.push((p.key, rgba));
                }
                let mosaic = crate::render::Mosaic {
                    level,
                    col0: c0,
                    row0: r0,
                    cols,
                    rows,
                    tiles,
                };
                Ok((grid.sample(&mosaic, resampling), decoded))
            })
            .await??;
        let mut cache = lock(&self.decoded);
        for (key, rgba) in decoded {
            cache.put(key, Some(rgba), TS * TS * 4);
        }
        Ok(Some(out))
    }
}

/// A native tile read from storage, not decoded yet.
struct PendingTile {
    key: DecodedKey,
    jpeg: Bytes,
    mask: Option<Vec<u8>>,
}

impl PendingTile {
    fn decode(&self) -> Result<Vec<u8>, TileError> {
        decode_jpeg(&self.jpeg, self.mask.as_deref(), &self.key.0)
    }
}

enum Fetched {
    Ready(Option<Rgba>),
    Pending(PendingTile),
}

/// At most this many bytes between a tile and its mask block for both to
/// be read at once (GDAL writes 8: a block trailer and a block leader).
const ADJACENT_GAP: u64 = 64;

/// The tile's bytes as a self-contained JPEG (the shared tables spliced in).
fn with_tables(ifd: &cog::Ifd, data: Bytes) -> Bytes {
    match &ifd.jpeg_tables {
        Some(t) => Bytes::from(cog::splice_jpeg(Some(t), &data)),
        None => data,
    }
}

/// Alpha (0 or 255 per pixel) of a 1-bit mask block.
fn decode_mask(path: &str, compression: u16, data: &[u8]) -> Result<Vec<u8>, TileError> {
    let raw = match compression {
        8 | 32946 => miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, TS * TS)
            .map_err(|e| TileError::Decode(path.to_string(), format!("mask: {e:?}")))?,
        1 => data.to_vec(),
        c => {
            return Err(TileError::Decode(
                path.to_string(),
                format!("mask compression {c}"),
            ))
        }
    };
    let row_bytes = TS.div_ceil(8);
    let mut alpha = vec![0u8; TS * TS];
    for y in 0..TS {
        for x in 0..TS {
            let byte = raw.get(y * row_bytes + x / 8).copied().unwrap_or(0);
            if byte & (0x80 >> (x % 8)) != 0 {
                alpha[y * TS + x] = 255;
            }
        }
    }
    Ok(alpha)
}

fn decode_jpeg(jpeg: &[u8], mask: Option<&[u8]>, path: &str) -> Result<Vec<u8>, TileError> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let opts = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGBA)
        .set_max_width(TS)
        .set_max_height(TS);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(jpeg), opts);
    let mut rgba = dec
        .decode()
        .map_err(|e| TileError::Decode(path.to_string(), e.to_string()))?;
    if rgba.len() != TS * TS * 4 {
        return Err(TileError::Decode(
            path.to_string(),
            format!("{} bytes decoded", rgba.len()),
        ));
    }
    if let Some(alpha) = mask {
        for (px, &a) in rgba.chunks_exact_mut(4).zip(alpha) {
            px[3] = a;
            if a == 0 {
                px[0] = 0;
                px[1] = 0;
                px[2] = 0;
            }
        }
    }
    Ok(rgba)
}
