//! The header of a chunk COG, as native tile serving reads it from
//! storage: the IFDs, then each tile's byte range, the mask of each
//! overview, and the JPEG spliced from the tables and a tile.
#![no_main]

use geocentre_fuzz::cog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(h) = cog::parse(data) else {
        return;
    };
    for (i, ifd) in h.images.iter().enumerate() {
        let _ = h.mask_for(i);
        let (across, down) = (ifd.tiles_across(), ifd.tiles_down());
        // Corners, middle and just outside: the edges of the tile grid (an
        // image may be 0 pixels wide: the grid is then empty).
        let (last_c, last_r) = (across.saturating_sub(1), down.saturating_sub(1));
        for (c, r) in [
            (0, 0),
            (last_c, last_r),
            (across / 2, down / 2),
            (across, 0),
            (0, down),
            (u32::MAX, u32::MAX),
        ] {
            if let Some(range) = ifd.tile_range(c, r) {
                let tile = data
                    .get(range.start as usize..(range.end as usize).min(data.len()))
                    .unwrap_or_default();
                let _ = cog::splice_jpeg(ifd.jpeg_tables.as_deref(), tile);
            }
        }
    }
});
