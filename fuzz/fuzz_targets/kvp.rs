//! A WMS, WMTS or WFS query string, decoded as the server's `Query`
//! extractor decodes it, then every reading a request handler makes of
//! its parameters: names, numbers, boxes, times, versions, CRS names and
//! output formats. Each reading runs on every parameter, whatever its
//! name, so that the fuzzer need not find the names first.
#![no_main]

use geocentre_ogc::kvp::{year_of, Kvp};
use geocentre_ogc::wfs11::{is_gml31, srs_epsg, xy_axes};
use geocentre_ogc::wms::WmsVersion;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else {
        return;
    };
    // The POST path's bound (the body's length) as well as the GET one.
    let _ = Kvp::parse_bounded(pairs.clone(), data.len());
    let Ok(k) = Kvp::parse(pairs) else {
        return;
    };
    let keys: Vec<String> = k.pairs().map(|(n, _)| n.to_string()).collect();
    for key in &keys {
        let _ = k.require(key);
        let _ = k.require_u64(key);
        let _ = k.bbox(key);
        if let Some(v) = k.get(key) {
            let _ = year_of(v);
            let _ = srs_epsg(v);
            let _ = xy_axes(v);
            let _ = is_gml31(v);
            let _ = geocentre_core::crs_name::epsg_code(v);
            let _ = WmsVersion::negotiate(Some(v));
        }
    }
});
