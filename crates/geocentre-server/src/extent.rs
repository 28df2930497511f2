//! Where a published pyramid lies in each tile matrix set, and how deep it
//! goes: the basis of TileMatrixSetLimits and of out-of-range answers.
//! Computed once per published ingest: every tile request consults it.

use geocentre_core::tms::{TmsId, LAMB93};
use geocentre_geo::crs::Transformer;
use geocentre_ogc::wmts::Limits;
use geocentre_registry::Pyramid;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
struct InTms {
    tms: TmsId,
    bbox: [f64; 4],
    max_level: u8,
    /// What a WMTS request is checked against, level by level, for every
    /// level of the set: the advertised limits, or the whole matrix where
    /// none can be advertised. Nothing is enforced that is not advertised.
    levels: Vec<Limits>,
    advertised: Vec<Limits>,
}

#[derive(Debug)]
pub struct Extent {
    pub wgs84: [f64; 4],
    by_tms: Vec<InTms>,
}

/// The limits of every level of `tms` for data within `bbox`. Levels past
/// the finest stored one are included (served upsampled): a client may ask
/// for any matrix of the set, and gets the tiles its limits promise.
///
/// The WMTS 1.0 schema (wmtsGetCapabilities_response.xsd 1.0.2) types
/// MaxTileRow/MaxTileCol as positive integers. Where the data lie in row or
/// column 0 of a matrix at least two tiles wide and high, the advertised
/// range is widened to row/column 1 (tiles there are blank); a matrix one
/// tile wide or high cannot be described, so it is left out, which per the
/// standard means the whole matrix is valid — and requests there are
/// checked against the whole matrix, nothing narrower.
fn in_tms(tms: TmsId, bbox: [f64; 4], max_level: u8) -> InTms {
    let set = tms.get();
    let mut levels = Vec::new();
    let mut advertised = Vec::new();
    for level in 0..=set.max_level {
        let [c0, r0, c1, r1] = set.tile_range(level, bbox);
        let m = set.matrix(level);
        let clamp = |v: i64, max: u64| (v.max(0) as u64).min(max.saturating_sub(1));
        if m.matrix_width >= 2 && m.matrix_height >= 2 {
            let l = Limits {
                level,
                min_row: clamp(r0, m.matrix_height),
                max_row: clamp(r1, m.matrix_height).max(1),
                min_col: clamp(c0, m.matrix_width),
                max_col: clamp(c1, m.matrix_width).max(1),
            };
            advertised.push(l);
            levels.push(l);
        } else {
            levels.push(Limits {
                level,
                min_row: 0,
                max_row: m.matrix_height - 1,
                min_col: 0,
                max_col: m.matrix_width - 1,
            });
        }
    }
    InTms {
        tms,
        bbox,
        max_level,
        levels,
        advertised,
    }
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
                in_tms(TmsId::Lamb93, native, p.native_level()),
                in_tms(TmsId::WebMercatorQuad, merc, merc_level),
            ],
        }
    }

    fn get(&self, tms: TmsId) -> Option<&InTms> {
        self.by_tms.iter().find(|e| e.tms == tms)
    }

    pub fn max_level(&self, tms: TmsId) -> u8 {
        self.get(tms).map_or(0, |e| e.max_level)
    }

    pub fn bbox(&self, tms: TmsId) -> [f64; 4] {
        self.get(tms).map_or([0.0; 4], |e| e.bbox)
    }

    /// The limits written in capabilities.
    pub fn advertised_limits(&self, tms: TmsId) -> &[Limits] {
        self.get(tms).map_or(&[], |e| &e.advertised)
    }

    /// The range a WMTS request at `level` is checked against (`None`: no
    /// such level in the set).
    pub fn level_limits(&self, tms: TmsId, level: u8) -> Option<Limits> {
        self.get(tms)?.levels.get(level as usize).copied()
    }

    /// Whether (level, col, row) lies within what capabilities advertise
    /// (the whole matrix where a level has no limits).
    pub fn contains(&self, tms: TmsId, level: u8, col: u64, row: u64) -> bool {
        self.level_limits(tms, level).is_some_and(|l| {
            (l.min_col..=l.max_col).contains(&col) && (l.min_row..=l.max_row).contains(&row)
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
