//! OSGeo TMS 1.0.0 documents (TileMapService and TileMap).

use crate::wmts::fmt_num;
use crate::xml::Xml;
use geocentre_core::tms::{TmsId, TILE_SIZE};

pub struct TileMapEntry {
    pub title: String,
    /// `{layer}/{tms}`, relative to the service URL.
    pub path: String,
    pub tms: TmsId,
}

pub fn service(base_url: &str, title: &str, maps: &[TileMapEntry]) -> String {
    let mut x = Xml::new();
    x.open(
        "TileMapService",
        &[
            ("version", "1.0.0"),
            ("services", &format!("{base_url}/tms/")),
        ],
    );
    x.text("Title", title);
    x.text(
        "Abstract",
        "Tuiles au format OSGeo TMS 1.0.0 (rangées comptées depuis le bas).",
    );
    x.open("TileMaps", &[]);
    for m in maps {
        let set = m.tms.get();
        x.empty(
            "TileMap",
            &[
                ("title", &m.title),
                ("srs", &format!("EPSG:{}", set.epsg)),
                ("profile", profile(m.tms)),
                ("href", &format!("{base_url}/tms/1.0.0/{}", m.path)),
            ],
        );
    }
    x.close("TileMaps");
    x.close("TileMapService");
    x.finish()
}

fn profile(t: TmsId) -> &'static str {
    match t {
        TmsId::WebMercatorQuad => "global-mercator",
        TmsId::Lamb93 => "none",
    }
}

/// The TMS origin is the bottom-left corner of the level-0 tile, so that
/// row `y` of level `z` is `2^z - 1 - row` of the WMTS grid at every level.
pub fn origin(t: TmsId) -> (f64, f64) {
    let set = t.get();
    let span0 = set.level0_resolution * f64::from(TILE_SIZE);
    (set.origin.0, set.origin.1 - span0)
}

pub fn tile_map(
    base_url: &str,
    path: &str,
    title: &str,
    tms: TmsId,
    bbox: [f64; 4],
    max_level: u8,
) -> String {
    let set = tms.get();
    let (ox, oy) = origin(tms);
    let mut x = Xml::new();
    x.open(
        "TileMap",
        &[
            ("version", "1.0.0"),
            ("tilemapservice", &format!("{base_url}/tms/1.0.0/")),
        ],
    );
    x.text("Title", title);
    x.text("Abstract", "");
    x.text("SRS", &format!("EPSG:{}", set.epsg));
    x.empty(
        "BoundingBox",
        &[
            ("minx", &fmt_num(bbox[0])),
            ("miny", &fmt_num(bbox[1])),
            ("maxx", &fmt_num(bbox[2])),
            ("maxy", &fmt_num(bbox[3])),
        ],
    );
    x.empty("Origin", &[("x", &fmt_num(ox)), ("y", &fmt_num(oy))]);
    x.empty(
        "TileFormat",
        &[
            ("width", "256"),
            ("height", "256"),
            ("mime-type", "image/jpeg"),
            ("extension", "jpg"),
        ],
    );
    x.open("TileSets", &[("profile", profile(tms))]);
    for l in 0..=max_level.min(set.max_level) {
        x.empty(
            "TileSet",
            &[
                ("href", &format!("{base_url}/tms/1.0.0/{path}/{l}")),
                ("units-per-pixel", &fmt_num(set.resolution(l))),
                ("order", &l.to_string()),
            ],
        );
    }
    x.close("TileSets");
    x.close("TileMap");
    x.finish()
}
