//! Where a published pyramid lies in each tile matrix set, and how deep it
//! goes: the basis of TileMatrixSetLimits and of out-of-range answers.

use geocentre_catalog::Pyramid;
use geocentre_core::tms::{TmsId, LAMB93};
use geocentre_ogc::wmts::Limits;
use geocentre_raster::crs::Transformer;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
pub struct Extent {
    pub wgs84: [f64; 4],
    by_tms: Vec<(TmsId, [f64; 4], u8)>,
}

impl Extent {
    fn compute(p: &Pyramid) -> Extent {
        let native = p.bbox();
        let bbox_in = |epsg: u32| {
            Transformer::new(LAMB93.epsg, epsg)
                .map(|t| t.transform_bbox(native))
                .unwrap_or([0.0; 4])
        };
        let wgs84 = bbox_in(4326);
        let merc = bbox_in(3857);
        // Web Mercator stretches by 1/cos(latitude): match the ground resolution.
        let lat = ((wgs84[1] + wgs84[3]) / 2.0).to_radians();
        let merc_res = LAMB93.resolution(p.native_level()) / lat.cos().max(0.01);
        let merc_level = TmsId::WebMercatorQuad.get().level_for_resolution(merc_res);
        Extent {
            wgs84,
            by_tms: vec![
                (TmsId::Lamb93, native, p.native_level()),
                (TmsId::WebMercatorQuad, merc, merc_level),
            ],
        }
    }

    pub fn max_level(&self, tms: TmsId) -> u8 {
        self.by_tms.iter().find(|e| e.0 == tms).map_or(0, |e| e.2)
    }

    pub fn bbox(&self, tms: TmsId) -> [f64; 4] {
        self.by_tms
            .iter()
            .find(|e| e.0 == tms)
            .map_or([0.0; 4], |e| e.1)
    }

    pub fn limits(&self, tms: TmsId) -> Vec<Limits> {
        let set = tms.get();
        let bbox = self.bbox(tms);
        (0..=self.max_level(tms))
            .map(|level| {
                let [c0, r0, c1, r1] = set.tile_range(level, bbox);
                let m = set.matrix(level);
                let clamp = |v: i64, max: u64| (v.max(0) as u64).min(max.saturating_sub(1));
                Limits {
                    level,
                    min_row: clamp(r0, m.matrix_height),
                    max_row: clamp(r1, m.matrix_height),
                    min_col: clamp(c0, m.matrix_width),
                    max_col: clamp(c1, m.matrix_width),
                }
            })
            .collect()
    }

    /// The limits written in capabilities. The WMTS 1.0 schema types
    /// MaxTileRow/MaxTileCol as positive integers, so a level whose data
    /// sits in row or column 0 cannot be described; it is left out, which
    /// per the standard means the whole matrix is available.
    pub fn advertised_limits(&self, tms: TmsId) -> Vec<Limits> {
        self.limits(tms)
            .into_iter()
            .filter(|l| l.max_row > 0 && l.max_col > 0)
            .collect()
    }

    /// Whether (level, col, row) lies within what capabilities advertise.
    pub fn contains(&self, tms: TmsId, level: u8, col: u64, row: u64) -> bool {
        if level > self.max_level(tms) {
            return false;
        }
        match self
            .advertised_limits(tms)
            .iter()
            .find(|l| l.level == level)
        {
            Some(l) => {
                (l.min_col..=l.max_col).contains(&col) && (l.min_row..=l.max_row).contains(&row)
            }
            None => {
                let m = tms.get().matrix(level);
                col < m.matrix_width && row < m.matrix_height
            }
        }
    }

    /// The advertised limits of one level, or the whole matrix.
    pub fn level_limits(&self, tms: TmsId, level: u8) -> Limits {
        self.advertised_limits(tms)
            .into_iter()
            .find(|l| l.level == level)
            .unwrap_or_else(|| {
                let m = tms.get().matrix(level);
                Limits {
                    level,
                    min_row: 0,
                    max_row: m.matrix_height - 1,
                    min_col: 0,
                    max_col: m.matrix_width - 1,
                }
            })
    }
}

#[derive(Default)]
pub struct ExtentCache {
    map: Mutex<HashMap<i64, Arc<Extent>>>,
}

impl ExtentCache {
    pub fn get(&self, p: &Pyramid) -> Arc<Extent> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(p.ingest_id())
            .or_insert_with(|| Arc::new(Extent::compute(p)))
            .clone()
    }
}
