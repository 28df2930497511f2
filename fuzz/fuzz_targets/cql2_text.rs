//! CQL2 text, the OGC API Features `filter` parameter's default language.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = geocentre_fuzz::text(data) else {
        return;
    };
    if let Ok(e) = geocentre_filter::cql2_text::from_cql2_text(text, 4326) {
        geocentre_fuzz::use_filter(&e);
    }
});
