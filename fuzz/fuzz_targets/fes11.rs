//! FES 1.1 (`ogc:Filter`) as WFS 1.1 clients send it: GDAL, QGIS and
//! OWSLib. The server reads it with the layer's CRS as the default and
//! in that CRS's own axis order (routes/wfs.rs).
#![no_main]

use geocentre_filter::fes::{self, Defaults, Filter};
use geocentre_ogc::wfs::Namespaces;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = geocentre_fuzz::text(data) else {
        return;
    };
    let d = Defaults {
        epsg: 4326,
        authority_axes: true,
        names: fes::Names::Features,
    };
    if let Ok(Filter::Expr(e)) = fes::parse_filter(text, d, &Namespaces::default()) {
        geocentre_fuzz::use_filter(&e);
    }
});
