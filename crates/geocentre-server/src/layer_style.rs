//! The style a vector layer is drawn with, wherever it is drawn (WMS maps
//! and legends, web map styles).

use geocentre_carto::style::{self, Style, StyleFormat};
use geocentre_registry::authz::VectorView;
use std::sync::Arc;

/// The layer's stored style, or the default one for its geometry. A stored
/// style that no longer reads (the format changed) is logged and replaced
/// by the default rather than failing every map.
pub fn stored_or_default(view: &VectorView) -> Arc<Style> {
    let default = || {
        Arc::new(style::default_style(
            &view.layer.geometry_type,
            &view.layer.title,
        ))
    };
    let Some(s) = view.dataset.style(&view.layer.name) else {
        return default();
    };
    let format = StyleFormat::parse(&s.format).unwrap_or(StyleFormat::Json);
    match style::parse_cached(&s.body, format) {
        Ok(st) => st,
        Err(e) => {
            tracing::error!(
                layer = %format!("{}.{}", view.dataset.name(), view.layer.name),
                "stored style does not read: {e}"
            );
            default()
        }
    }
}
