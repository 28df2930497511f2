//! Tile matrix sets (OGC 17-083r4 vocabulary).
//!
//! `LAMB93_5cm_EPSG` is the grid of IGN's national PCRS stream, so a client
//! configured for the national service works on ours unchanged. Stored COGs are
//! aligned to it, which is what lets a native tile be served as stored bytes.

use serde::Serialize;

/// Standardized rendering pixel size (0.28 mm), used for scale denominators.
pub const PIXEL_SIZE_M: f64 = 0.00028;
pub const TILE_SIZE: u32 = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TmsId {
    Lamb93,
    WebMercatorQuad,
}

impl TmsId {
    pub const ALL: [TmsId; 2] = [TmsId::Lamb93, TmsId::WebMercatorQuad];

    pub fn as_str(self) -> &'static str {
        match self {
            TmsId::Lamb93 => "LAMB93_5cm_EPSG",
            TmsId::WebMercatorQuad => "WebMercatorQuad",
        }
    }

    /// Accepts the identifiers clients commonly send for these grids.
    pub fn parse(s: &str) -> Option<TmsId> {
        match s {
            "LAMB93_5cm_EPSG" | "LAMB93" => Some(TmsId::Lamb93),
            "WebMercatorQuad" | "GoogleMapsCompatible" | "EPSG:3857" | "3857" => {
                Some(TmsId::WebMercatorQuad)
            }
            _ => None,
        }
    }

    pub fn get(self) -> &'static TileMatrixSet {
        match self {
            TmsId::Lamb93 => &LAMB93,
            TmsId::WebMercatorQuad => &WEB_MERCATOR,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct TileMatrix {
    pub level: u8,
    pub resolution: f64,
    pub matrix_width: u64,
    pub matrix_height: u64,
}

impl TileMatrix {
    pub fn scale_denominator(&self) -> f64 {
        self.resolution / PIXEL_SIZE_M
    }
    pub fn tile_span(&self) -> f64 {
        self.resolution * TILE_SIZE as f64
    }
}

#[derive(Debug)]
pub struct TileMatrixSet {
    pub id: TmsId,
    pub epsg: u32,
    pub title: &'static str,
    /// Top-left corner, easting then northing (both CRSs are E,N in EPSG order).
    pub origin: (f64, f64),
    pub level0_resolution: f64,
    pub max_level: u8,
    /// Extent the matrices cover, used for MatrixWidth/MatrixHeight.
    pub extent: [f64; 4],
    pub well_known_scale_set: Option<&'static str>,
}

pub static LAMB93: TileMatrixSet = TileMatrixSet {
    id: TmsId::Lamb93,
    epsg: 2154,
    title: "Lambert-93, grille du flux PCRS national (5 cm au niveau 22)",
    origin: (0.0, 12_000_000.0),
    level0_resolution: 209_715.2,
    max_level: 22,
    // Metropolitan France in Lambert-93 lies well within x 0..1.5e6, y 6e6..12e6.
    extent: [0.0, 6_000_000.0, 1_500_000.0, 12_000_000.0],
    well_known_scale_set: None,
};

const MERC_HALF: f64 = 20_037_508.342_789_244;

pub static WEB_MERCATOR: TileMatrixSet = TileMatrixSet {
    id: TmsId::WebMercatorQuad,
    epsg: 3857,
    title: "Google Maps Compatible for the World",
    origin: (-MERC_HALF, MERC_HALF),
    level0_resolution: 2.0 * MERC_HALF / 256.0,
    max_level: 23,
    extent: [-MERC_HALF, -MERC_HALF, MERC_HALF, MERC_HALF],
    well_known_scale_set: Some("http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible"),
};

impl TileMatrixSet {
    pub fn resolution(&self, level: u8) -> f64 {
        self.level0_resolution / f64::from(1u32 << level.min(31))
    }

    pub fn matrix(&self, level: u8) -> TileMatrix {
        let resolution = self.resolution(level);
        let span = resolution * TILE_SIZE as f64;
        let w = ((self.extent[2] - self.origin.0) / span).ceil().max(1.0) as u64;
        let h = ((self.origin.1 - self.extent[1]) / span).ceil().max(1.0) as u64;
        TileMatrix {
            level,
            resolution,
            matrix_width: w,
            matrix_height: h,
        }
    }

    pub fn matrices(&self, max_level: u8) -> impl Iterator<Item = TileMatrix> + '_ {
        (0..=max_level.min(self.max_level)).map(|l| self.matrix(l))
    }

    /// Bounds of a tile: [minx, miny, maxx, maxy].
    pub fn tile_bounds(&self, level: u8, col: u64, row: u64) -> [f64; 4] {
        let span = self.resolution(level) * TILE_SIZE as f64;
        let minx = self.origin.0 + col as f64 * span;
        let maxy = self.origin.1 - row as f64 * span;
        [minx, maxy - span, minx + span, maxy]
    }

    /// Inclusive tile index range [col_min, row_min, col_max, row_max] covering bbox.
    pub fn tile_range(&self, level: u8, bbox: [f64; 4]) -> [i64; 4] {
        let span = self.resolution(level) * TILE_SIZE as f64;
        // A tiny inset keeps a bbox that ends exactly on a tile edge from
        // claiming the next tile.
        let eps = span * 1e-9;
        let c0 = ((bbox[0] - self.origin.0 + eps) / span).floor() as i64;
        let c1 = ((bbox[2] - self.origin.0 - eps) / span).floor() as i64;
        let r0 = ((self.origin.1 - bbox[3] + eps) / span).floor() as i64;
        let r1 = ((self.origin.1 - bbox[1] - eps) / span).floor() as i64;
        [c0, r0, c1.max(c0), r1.max(r0)]
    }

    /// The coarsest level whose resolution is at least as fine as `res`,
    /// with a 2 % tolerance: a 20 cm source reprojected from a CC zone
    /// measures 0.19993 m and must still map to level 20, not 21.
    pub fn level_for_resolution(&self, res: f64) -> u8 {
        if !(res.is_finite() && res > 0.0) {
            return self.max_level;
        }
        let l = (self.level0_resolution / res).log2();
        let l = (l - 0.03).ceil().max(0.0);
        (l as u8).min(self.max_level)
    }

    /// Find the tile whose bounds equal `bbox` (within 1e-6 of a pixel), for WMS-C.
    pub fn tile_for_bbox(&self, bbox: [f64; 4], width: u32, height: u32) -> Option<(u8, u64, u64)> {
        if width != TILE_SIZE || height != TILE_SIZE {
            return None;
        }
        let res = (bbox[2] - bbox[0]) / f64::from(width);
        let level = (self.level0_resolution / res).log2().round();
        if !(0.0..=f64::from(self.max_level)).contains(&level) {
            return None;
        }
        let level = level as u8;
        let r = self.resolution(level);
        let span = r * TILE_SIZE as f64;
        let tol = r * 1e-3;
        let colf = (bbox[0] - self.origin.0) / span;
        let rowf = (self.origin.1 - bbox[3]) / span;
        let (col, row) = (colf.round(), rowf.round());
        if col < 0.0 || row < 0.0 {
            return None;
        }
        let b = self.tile_bounds(level, col as u64, row as u64);
        let ok = b.iter().zip(bbox.iter()).all(|(a, b)| (a - b).abs() <= tol);
        ok.then_some((level, col as u64, row as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lamb93_matches_ign_national_stream() {
        let m0 = LAMB93.matrix(0);
        assert!((m0.scale_denominator() - 748_982_857.142_857).abs() < 1e-3);
        assert!((LAMB93.resolution(22) - 0.05).abs() < 1e-12);
        assert_eq!(LAMB93.level_for_resolution(0.2), 20);
        assert_eq!(LAMB93.level_for_resolution(0.05), 22);
        assert_eq!(LAMB93.level_for_resolution(0.25), 20);
        assert_eq!(LAMB93.level_for_resolution(0.19993), 20);
        assert_eq!(LAMB93.level_for_resolution(0.19), 21);
    }

    #[test]
    fn tile_roundtrip_through_bbox() {
        let b = LAMB93.tile_bounds(20, 15_050, 112_350);
        assert_eq!(
            LAMB93.tile_for_bbox(b, 256, 256),
            Some((20, 15_050, 112_350))
        );
        let shifted = [b[0] + 1.0, b[1], b[2] + 1.0, b[3]];
        assert_eq!(LAMB93.tile_for_bbox(shifted, 256, 256), None);
        assert_eq!(LAMB93.tile_for_bbox(b, 512, 512), None);
        let r = LAMB93.tile_range(20, b);
        assert_eq!(r, [15_050, 112_350, 15_050, 112_350]);
    }

    #[test]
    fn web_mercator_level0_is_one_tile() {
        let m = WEB_MERCATOR.matrix(0);
        assert_eq!((m.matrix_width, m.matrix_height), (1, 1));
        assert_eq!(WEB_MERCATOR.matrix(3).matrix_width, 8);
    }
}
