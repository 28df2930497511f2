//! The coverage indicator: the area of a territory covered by imagery
//! (dalle footprints), computed with GEOS through OGR. Geometry work is done
//! in Lambert-93 (the footprints' CRS); areas are measured in ETRS89-LAEA
//! (EPSG:3035), an equal-area projection: Lambert-93 is conformal and
//! shrinks areas by up to 0.2 % across the region.

use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{Geometry, LayerAccess};
use gdal::Dataset;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error("territory {0}: {1}")]
    Region(String, String),
    #[error("geometry: {0}")]
    Geometry(String),
}

impl From<geocentre_geo::union::UnionError> for CoverageError {
    fn from(e: geocentre_geo::union::UnionError) -> Self {
        CoverageError::Geometry(e.to_string())
    }
}

/// A territory in Lambert-93, kept as WKB (OGR geometries stay on the
/// thread that uses them).
#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub wkb: Vec<u8>,
    pub area_km2: f64,
    pub bbox: [f64; 4],
}

fn gerr(e: gdal::errors::GdalError) -> CoverageError {
    CoverageError::Geometry(e.to_string())
}

/// Reads every feature of `path` as one territory, reprojected to
/// Lambert-93.
pub fn load_region(path: &Path) -> Result<Region, CoverageError> {
    let fail = |m: String| CoverageError::Region(path.display().to_string(), m);
    let ds = Dataset::open(path).map_err(|e| fail(e.to_string()))?;
    let mut layer = ds.layer(0).map_err(|e| fail(e.to_string()))?;
    let mut l93 = SpatialRef::from_epsg(2154).map_err(gerr)?;
    l93.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut union: Option<Geometry> = None;
    let mut name = String::new();
    for f in layer.features() {
        if name.is_empty() {
            for key in ["nom", "name", "NOM", "libelle"] {
                let value = f
                    .field_index(key)
                    .ok()
                    .and_then(|i| f.field_as_string(i).ok().flatten());
                if let Some(v) = value {
                    name = v;
                    break;
                }
            }
        }
        let Some(g) = geocentre_gdal::geometry_of(&f) else {
            continue;
        };
        let mut g = g.clone();
        if let Some(mut srs) = g.spatial_ref() {
            srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            g.set_spatial_ref(srs);
        }
        let g = g.transform_to(&l93).map_err(|e| fail(e.to_string()))?;
        union = Some(match union {
            None => g,
            Some(u) => u.union(&g).ok_or_else(|| fail("union failed".into()))?,
        });
    }
    let g = union.ok_or_else(|| fail("no geometry".into()))?;
    let e = g.envelope();
    Ok(Region {
        name,
        area_km2: equal_area_m2(&g)? / 1e6,
        bbox: [e.MinX, e.MinY, e.MaxX, e.MaxY],
        wkb: g.wkb().map_err(gerr)?,
    })
}

/// Area of a Lambert-93 geometry, measured in EPSG:3035.
fn equal_area_m2(g: &Geometry) -> Result<f64, CoverageError> {
    let mut l93 = SpatialRef::from_epsg(2154).map_err(gerr)?;
    l93.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut laea = SpatialRef::from_epsg(3035).map_err(gerr)?;
    laea.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut g = g.clone();
    g.set_spatial_ref(l93);
    Ok(g.transform_to(&laea).map_err(gerr)?.area())
}

fn rectangle(f: [f64; 4]) -> Result<Geometry, CoverageError> {
    Geometry::from_wkt(&format!(
        "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))",
        f[0], f[1], f[2], f[3]
    ))
    .map_err(gerr)
}

/// The area (km²) of the union of `footprints` (Lambert-93) inside `region`.
pub fn covered_km2(region: &Region, footprints: &[[f64; 4]]) -> Result<f64, CoverageError> {
    let r = region.bbox;
    let inside: Vec<[f64; 4]> = footprints
        .iter()
        .filter(|f| f[0] < r[2] && f[2] > r[0] && f[1] < r[3] && f[3] > r[1])
        .copied()
        .collect();
    let parts = merge_rectangles(inside)
        .into_iter()
        .map(rectangle)
        .collect::<Result<Vec<_>, _>>()?;
    let Some(u) = geocentre_geo::union::union_all(parts)? else {
        return Ok(0.0);
    };
    let territory = Geometry::from_wkb(&region.wkb).map_err(gerr)?;
    match u.intersection(&territory) {
        Some(g) => Ok(equal_area_m2(&g)? / 1e6),
        None => Ok(0.0),
    }
}

/// The same union of axis-aligned rectangles in fewer rectangles: runs
/// that share their two horizontal edges and touch or overlap become one,
/// then runs that share their vertical edges, until nothing merges. Exact
/// (only unions that are themselves rectangles are made), and it turns a
/// region's 10⁶ grid-aligned dalles into a few hundred strips: GEOS's
/// union of the dalles themselves took minutes and a gigabyte.
pub fn merge_rectangles(mut rects: Vec<[f64; 4]>) -> Vec<[f64; 4]> {
    rects.retain(|f| f.iter().all(|v| v.is_finite()) && f[0] < f[2] && f[1] < f[3]);
    for _ in 0..8 {
        let before = rects.len();
        for axis in [0usize, 1] {
            // axis 0: rows (same y0, y1), merged along x; axis 1: columns.
            let (a0, a1, b0, b1) = if axis == 0 {
                (1, 3, 0, 2)
            } else {
                (0, 2, 1, 3)
            };
            rects.sort_by(|p, q| {
                p[a0]
                    .total_cmp(&q[a0])
                    .then(p[a1].total_cmp(&q[a1]))
                    .then(p[b0].total_cmp(&q[b0]))
            });
            let mut out: Vec<[f64; 4]> = Vec::with_capacity(rects.len());
            for f in rects.drain(..) {
                match out.last_mut() {
                    Some(last) if last[a0] == f[a0] && last[a1] == f[a1] && f[b0] <= last[b1] => {
                        last[b1] = last[b1].max(f[b1]);
                    }
                    _ => out.push(f),
                }
            }
            rects = out;
        }
        if rects.len() == before {
            break;
        }
    }
    rects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_rectangles_cover_exactly_the_same_ground() {
        // A 30 x 20 grid of 200 m dalles with holes, an overlap and a
        // stray dalle off the grid.
        let mut fps = Vec::new();
        for r in 0..20 {
            for c in 0..30 {
                if (r * 7 + c * 3) % 11 == 0 {
                    continue;
                }
                let (x, y) = (
                    600_000.0 + 200.0 * f64::from(c),
                    6_700_000.0 + 200.0 * f64::from(r),
                );
                fps.push([x, y, x + 200.0, y + 200.0]);
            }
        }
        fps.push([600_050.0, 6_700_050.0, 600_750.0, 6_700_130.0]);
        fps.push([590_000.0, 6_690_000.0, 590_100.0, 6_690_100.0]);
        let merged = merge_rectangles(fps.clone());
        assert!(
            merged.len() * 3 < fps.len(),
            "{} → {}",
            fps.len(),
            merged.len()
        );
        // The same point set: probe a fine lattice.
        let inside = |set: &[[f64; 4]], x: f64, y: f64| {
            set.iter()
                .any(|f| f[0] <= x && x < f[2] && f[1] <= y && y < f[3])
        };
        let mut y = 6_689_995.0;
        while y < 6_704_100.0 {
            let mut x = 589_995.0;
            while x < 606_100.0 {
                assert_eq!(inside(&fps, x, y), inside(&merged, x, y), "({x}, {y})");
                x += 25.0;
            }
            y += 25.0;
        }
        // Merged pieces never overlap more than the input did: the area
        // sum is at most the input's and at least the union's.
        let area = |s: &[[f64; 4]]| s.iter().map(|f| (f[2] - f[0]) * (f[3] - f[1])).sum::<f64>();
        assert!(area(&merged) <= area(&fps) + 1e-6);
    }

    fn square_region() -> Region {
        let g = rectangle([0.0, 0.0, 1000.0, 1000.0]).unwrap();
        Region {
            name: "carré".into(),
            wkb: g.wkb().unwrap(),
            area_km2: 1.0,
            bbox: [0.0, 0.0, 1000.0, 1000.0],
        }
    }

    #[test]
    fn overlaps_count_once_and_outside_does_not_count() {
        let r = square_region();
        // Two overlapping halves and a square outside the territory.
        let fps = [
            [0.0, 0.0, 600.0, 1000.0],
            [400.0, 0.0, 1000.0, 500.0],
            [5000.0, 5000.0, 6000.0, 6000.0],
        ];
        // A square near Orléans, in Lambert-93.
        let (x0, y0) = (618_000.0, 6_752_000.0);
        let r = {
            let g = rectangle([x0, y0, x0 + 1000.0, y0 + 1000.0]).unwrap();
            Region {
                wkb: g.wkb().unwrap(),
                bbox: [x0, y0, x0 + 1000.0, y0 + 1000.0],
                ..r
            }
        };
        let fps: Vec<[f64; 4]> = fps
            .iter()
            .map(|f| [f[0] + x0, f[1] + y0, f[2] + x0, f[3] + y0])
            .collect();
        let km2 = covered_km2(&r, &fps).unwrap();
        // 0.8 km² in Lambert-93; the scale factor there (~0.9991) makes the
        // true area ~0.15 % larger.
        assert!((km2 / 0.8 - 1.0).abs() < 0.003, "{km2}");
        assert_eq!(covered_km2(&r, &[]).unwrap(), 0.0);
    }
}
