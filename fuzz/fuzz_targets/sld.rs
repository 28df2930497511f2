//! SLD 1.0 / SE 1.1, as `geocentre style --sld` imports it: the import,
//! the JSON style it stores, that style read back as the server reads
//! it, and the readings a map and a legend make of it.
#![no_main]

use geocentre_fuzz::{sld, style};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Some(text) = geocentre_fuzz::text(data) else {
        return;
    };
    let Ok(imp) = sld::import(text) else {
        return;
    };
    let body = style::to_json(&imp.style).to_string();
    for st in [
        Some(imp.style),
        style::parse(&body, style::StyleFormat::Json).ok(),
    ]
    .into_iter()
    .flatten()
    {
        let _ = st.check_properties(geocentre_fuzz::FIELDS);
        let _ = st.properties();
        let _ = st.scale_range();
        for scale in [1.0, 25_000.0, 1e9] {
            let _ = st.visible_at(scale);
        }
        // A feature of the repository's communes: every rule's filter is
        // evaluated against it, as drawing a map does.
        let feature: [(&str, Value); 3] = [
            ("nom", json!("Saint-Jean-de-la-Ruelle")),
            ("code", json!("45285")),
            ("pop", json!(16_283)),
        ];
        let get = |p: &str| feature.iter().find(|(k, _)| *k == p).map(|(_, v)| v);
        for pass in st.passes() {
            for rule in st.matching(pass, 25_000.0, &get) {
                let _ = rule.legend_title();
            }
        }
    }
});
