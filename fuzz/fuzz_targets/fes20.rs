//! FES 2.0 (`fes:Filter`), the WFS 2.0 FILTER parameter, read through
//! both entry points: `parse_filter` (expressions or resource ids, as
//! the WFS handler calls it) and `parse` (expressions only, x/y).
#![no_main]

use geocentre_filter::fes::{self, Defaults, Filter};
use geocentre_ogc::wfs::Namespaces;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = geocentre_fuzz::text(data) else {
        return;
    };
    let d = Defaults {
        epsg: 2154,
        authority_axes: false,
        names: fes::Names::Features,
    };
    if let Ok(Filter::Expr(e)) = fes::parse_filter(text, d, &Namespaces::default()) {
        geocentre_fuzz::use_filter(&e);
    }
    if let Ok(e) = fes::parse(text, 4326) {
        geocentre_fuzz::use_filter(&e);
    }
});
