//! CQL2-JSON, the OGC API Features `filter` with `filter-lang=cql2-json`
//! (or any filter that starts with `{`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = geocentre_fuzz::text(data) else {
        return;
    };
    if let Ok(e) = geocentre_filter::expr::from_cql2_json(text, 4326) {
        geocentre_fuzz::use_filter(&e);
    }
});
