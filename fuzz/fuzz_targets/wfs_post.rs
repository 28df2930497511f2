//! A WFS 2.0 or 1.1 request body (HTTP POST): GetFeature,
//! GetPropertyValue, DescribeFeatureType, GetCapabilities and the stored
//! queries, turned into KVP parameters as the server does, with the
//! parameters the handler then reads from them: the filter, the srsName,
//! the output format and the numbers.
#![no_main]

use geocentre_filter::fes::{self, Defaults, Filter};
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wfs::Namespaces;
use geocentre_ogc::wfs11::{is_gml31, srs_epsg, xy_axes};
use geocentre_ogc::wfs_xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = geocentre_fuzz::text(data) else {
        return;
    };
    let pairs = match wfs_xml::to_kvp(text) {
        Ok(p) => p,
        Err(_) => {
            // The refusal is answered in the version the body declares.
            let _ = wfs_xml::declared_version(text);
            return;
        }
    };
    let Ok(k) = Kvp::parse_bounded(pairs, data.len()) else {
        return;
    };
    if let Some(s) = k.get("SRSNAME") {
        let _ = srs_epsg(s);
        let _ = xy_axes(s);
    }
    if let Some(f) = k.get("OUTPUTFORMAT") {
        let _ = is_gml31(f);
    }
    for n in ["COUNT", "MAXFEATURES", "STARTINDEX"] {
        let _ = k.require_u64(n);
    }
    if let Some(f) = k.get("FILTER") {
        let d = Defaults {
            epsg: 4326,
            authority_axes: true,
            names: fes::Names::Features,
        };
        // The prefixes the body declared reach the filter as NAMESPACES,
        // as in the server.
        let ns = match k.get("NAMESPACES") {
            Some(v) => match Namespaces::parse(v) {
                Ok(ns) => ns,
                Err(_) => return,
            },
            None => Namespaces::default(),
        };
        if let Ok(Filter::Expr(e)) = fes::parse_filter(f, d, &ns) {
            geocentre_fuzz::use_filter(&e);
        }
    }
});
