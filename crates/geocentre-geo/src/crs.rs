//! CRS handling: recognising Lambert-93 and the CC zones in incomplete
//! descriptions found in the wild, and fast point transforms for serving.

use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use std::collections::HashMap;

/// The codes recognised even when a file's description is incomplete:
/// Lambert-93 and the conic conformal CC zones 42 to 50.
pub const FRENCH_CODES: [u32; 10] = [2154, 3942, 3943, 3944, 3945, 3946, 3947, 3948, 3949, 3950];

pub fn proj4_of_epsg(code: u32) -> Option<String> {
    let mut s = SpatialRef::from_epsg(code).ok()?;
    s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    s.to_proj4().ok()
}

fn params(proj4: &str) -> HashMap<String, String> {
    proj4
        .split_whitespace()
        .filter_map(|t| t.strip_prefix('+'))
        .map(|t| match t.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (t.to_string(), String::new()),
        })
        .collect()
}

/// Semi-major axis and inverse flattening named by a proj4 parameter set.
fn ellipsoid(p: &HashMap<String, String>) -> Option<(f64, f64)> {
    let explicit = || Some((p.get("a")?.parse().ok()?, p.get("rf")?.parse().ok()?));
    match p
        .get("ellps")
        .or_else(|| p.get("datum"))
        .map(String::as_str)
    {
        Some("GRS80" | "WGS84") => Some((6_378_137.0, 298.257_222)),
        _ => explicit(),
    }
}

/// Whether two proj4 descriptions are the same projection on a
/// GRS80-equivalent ellipsoid, ignoring the datum name and towgs84: RGF93
/// files are often written with an "unknown" datum based on WGS84, whose
/// ellipsoid differs from GRS80 by 0.1 mm.
pub fn same_projection(a: &str, b: &str) -> bool {
    let (pa, pb) = (params(a), params(b));
    if pa.get("proj") != pb.get("proj") || !pa.contains_key("proj") {
        return false;
    }
    for k in ["lat_0", "lon_0", "lat_1", "lat_2", "x_0", "y_0", "k", "k_0"] {
        let va = pa.get(k).and_then(|v| v.parse::<f64>().ok());
        let vb = pb.get(k).and_then(|v| v.parse::<f64>().ok());
        match (va, vb) {
            (None, None) => {}
            (Some(x), Some(y)) if (x - y).abs() <= 1e-9 * x.abs().max(1.0) => {}
            _ => return false,
        }
    }
    if pa.get("units").map(String::as_str).unwrap_or("m")
        != pb.get("units").map(String::as_str).unwrap_or("m")
    {
        return false;
    }
    match (ellipsoid(&pa), ellipsoid(&pb)) {
        (Some((a1, f1)), Some((a2, f2))) => (a1 - a2).abs() < 0.01 && (f1 - f2).abs() < 1e-5,
        _ => false,
    }
}

/// What a file's CRS description was recognised as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Identified {
    pub epsg: u32,
    /// False when the description is incomplete or differs in form (e.g.
    /// IGN's "unknown datum based on WGS84"): the file must then be opened
    /// with `epsg` assigned, so that GDAL does not resample for nothing.
    pub complete: bool,
}

/// The EPSG code of a spatial reference: its own authority code when its
/// parameters agree with it, else one of [`FRENCH_CODES`] it is equivalent
/// to, else what GDAL can identify.
pub fn identify(srs: &SpatialRef) -> Option<Identified> {
    if let (Some(name), Ok(code)) = (srs.auth_name(), srs.auth_code()) {
        if name == "EPSG" && code > 0 {
            // The authority code may sit on an incomplete description (as
            // in IGN's files); trust it only if the parameters agree.
            let code = code as u32;
            if let (Ok(p), Some(reference)) = (srs.to_proj4(), proj4_of_epsg(code)) {
                if same_projection(&p, &reference) {
                    let complete = !FRENCH_CODES.contains(&code) || p == reference;
                    return Some(Identified {
                        epsg: code,
                        complete,
                    });
                }
            }
        }
    }
    let p = srs.to_proj4().ok()?;
    for code in FRENCH_CODES {
        if let Some(reference) = proj4_of_epsg(code) {
            if same_projection(&p, &reference) {
                return Some(Identified {
                    epsg: code,
                    complete: false,
                });
            }
        }
    }
    let mut s = srs.clone();
    if s.auto_identify_epsg().is_ok() {
        if let (Some(name), Ok(code)) = (s.auth_name(), s.auth_code()) {
            if name == "EPSG" && code > 0 {
                return Some(Identified {
                    epsg: code as u32,
                    complete: true,
                });
            }
        }
    }
    None
}

/// A point transform between two EPSG codes, in pure Rust (proj4rs), cheap
/// enough for per-tile grids on the serving hot path.
pub struct Transformer {
    src: proj4rs::Proj,
    dst: proj4rs::Proj,
    src_geo: bool,
    dst_geo: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("CRS EPSG:{0}: {1}")]
pub struct CrsError(pub u32, pub String);

/// [`proj4_of_epsg`], remembered: GDAL asks PROJ's database each time,
/// which cost more than the rest of a vector tile (perf, bench/vector.sh).
fn cached_proj4(code: u32) -> Option<String> {
    static DEFS: std::sync::OnceLock<std::sync::Mutex<HashMap<u32, Option<String>>>> =
        std::sync::OnceLock::new();
    let defs = DEFS.get_or_init(Default::default);
    if let Some(d) = defs.lock().ok().and_then(|m| m.get(&code).cloned()) {
        return d;
    }
    let d = proj4_of_epsg(code);
    if let Ok(mut m) = defs.lock() {
        // Clients choose codes: the bound keeps odd ones from growing it.
        if m.len() >= 256 {
            m.clear();
        }
        m.insert(code, d.clone());
    }
    d
}

fn proj_for(code: u32) -> Result<(proj4rs::Proj, bool), CrsError> {
    let def = match code {
        4326 | 4171 => "+proj=longlat +ellps=GRS80 +no_defs".to_string(),
        3857 => "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs".to_string(),
        _ => cached_proj4(code).ok_or_else(|| CrsError(code, "unknown code".into()))?,
    };
    // Datum shifts are below a millimetre between RGF93 and WGS84 for our
    // purposes; dropping towgs84 keeps proj4rs on the fast path.
    let def: String = def
        .split_whitespace()
        .filter(|t| !t.starts_with("+towgs84"))
        .collect::<Vec<_>>()
        .join(" ");
    let p = proj4rs::Proj::from_proj_string(&def).map_err(|e| CrsError(code, e.to_string()))?;
    let geo = def.contains("+proj=longlat");
    Ok((p, geo))
}

impl Transformer {
    pub fn new(src: u32, dst: u32) -> Result<Transformer, CrsError> {
        let (s, sg) = proj_for(src)?;
        let (d, dg) = proj_for(dst)?;
        Ok(Transformer {
            src: s,
            dst: d,
            src_geo: sg,
            dst_geo: dg,
        })
    }

    /// Transforms (x, y) pairs in place; geographic coordinates are in
    /// degrees, longitude first. Points that fail become NaN.
    pub fn transform(&self, pts: &mut [(f64, f64)]) {
        for p in pts.iter_mut() {
            let mut q = if self.src_geo {
                (p.0.to_radians(), p.1.to_radians(), 0.0)
            } else {
                (p.0, p.1, 0.0)
            };
            match proj4rs::transform::transform(&self.src, &self.dst, &mut q) {
                Ok(()) => {
                    *p = if self.dst_geo {
                        (q.0.to_degrees(), q.1.to_degrees())
                    } else {
                        (q.0, q.1)
                    }
                }
                Err(_) => *p = (f64::NAN, f64::NAN),
            }
        }
    }

    /// Transformed bounding box of `bbox`, densified along its edges.
    pub fn transform_bbox(&self, bbox: [f64; 4]) -> [f64; 4] {
        let n = 20;
        let mut pts = Vec::with_capacity(4 * n);
        for i in 0..n {
            let t = i as f64 / (n - 1) as f64;
            let x = bbox[0] + t * (bbox[2] - bbox[0]);
            let y = bbox[1] + t * (bbox[3] - bbox[1]);
            pts.extend_from_slice(&[(x, bbox[1]), (x, bbox[3]), (bbox[0], y), (bbox[2], y)]);
        }
        self.transform(&mut pts);
        let mut out = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for (x, y) in pts
            .into_iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
        {
            out = [out[0].min(x), out[1].min(y), out[2].max(x), out[3].max(y)];
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wgs84_based_lambert93_is_lambert93() {
        let ign = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +datum=WGS84 +units=m +no_defs";
        let l93 = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";
        assert!(same_projection(ign, l93));
        let cc46 = l93
            .replace("+lat_0=46.5", "+lat_0=46")
            .replace("+y_0=6600000", "+y_0=5200000");
        assert!(!same_projection(&cc46, l93));
        let other_ellps = ign.replace("+datum=WGS84", "+ellps=intl");
        assert!(!same_projection(&other_ellps, l93));
    }

    #[test]
    fn lambert93_to_wgs84_roundtrip() {
        let t = Transformer::new(2154, 4326).unwrap();
        let mut p = [(700_000.0, 6_600_000.0)];
        t.transform(&mut p);
        assert!(
            (p[0].0 - 3.0).abs() < 1e-9 && (p[0].1 - 46.5).abs() < 1e-9,
            "{p:?}"
        );
        let back = Transformer::new(4326, 2154).unwrap();
        back.transform(&mut p);
        assert!((p[0].0 - 700_000.0).abs() < 1e-4 && (p[0].1 - 6_600_000.0).abs() < 1e-4);
    }
}
