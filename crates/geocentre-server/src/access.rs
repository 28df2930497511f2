//! The HTTP side of authorization: who calls, and what they may see.
//! Every handler reaches published data through these functions, which
//! hand the caller's `Principal` to the registry's one authorization point
//! (`geocentre_registry::authz`); there is no other way to a layer.

use crate::state::AppState;
use axum::http::HeaderMap;
use geocentre_carto::style::GeomKind;
use geocentre_core::Principal;
use geocentre_registry::authz::{self, OrthoView, VectorView};
use geocentre_registry::{Authorized, OrthoLayer};
use std::sync::Arc;

/// The caller of a request. Every request is anonymous until accounts exist.
pub fn principal(_headers: &HeaderMap) -> Principal {
    Principal::Anonymous
}

/// An orthophoto view (`{layer}` composite or `{layer}-{year}`) the caller
/// may read; hidden and unknown names answer alike.
pub fn ortho(state: &AppState, headers: &HeaderMap, id: &str) -> Option<Authorized<OrthoView>> {
    authz::resolve_ortho(&state.snapshot(), &principal(headers), id).ok()
}

/// What a vector name addresses: `{dataset}.{layer}`, or a dataset's name
/// for all its layers with a geometry, areas first, then lines, then
/// points (WMS `LAYERS`,
/// vector tiles and web map styles read names the same way). None when
/// nothing readable is there.
pub fn vector(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
) -> Option<Vec<Authorized<VectorView>>> {
    let snapshot = state.snapshot();
    let who = principal(headers);
    if let Some((dataset, layer)) = name.split_once('.') {
        let v = authz::resolve_vector(&snapshot, &who, dataset, layer).ok()?;
        return v.has_geometry().then(|| vec![v]);
    }
    let mut group: Vec<_> = authz::visible_vector_layers(&snapshot, &who)
        .into_iter()
        .filter(|v| v.dataset.name() == name && v.has_geometry())
        .collect();
    // Drawn as a map is: areas under lines under points, in the dataset's
    // order within each (a delivery's footprint polygon must not veil its
    // manholes and trees).
    group.sort_by_key(|v| match GeomKind::of(&v.layer.geometry_type) {
        GeomKind::Polygon => 0,
        GeomKind::Line => 1,
        GeomKind::Point => 2,
        GeomKind::Any => 3,
    });
    (!group.is_empty()).then_some(group)
}

/// Every published view the caller may read, as services list them: for
/// each layer its composite (named `{name}`), then each vintage
/// (`{name}-{year}`), newest first.
pub fn listed_views(
    state: &AppState,
    headers: &HeaderMap,
) -> Vec<(Authorized<Arc<OrthoLayer>>, Authorized<OrthoView>)> {
    let snapshot = state.snapshot();
    let mut out = Vec::new();
    for layer in authz::visible_ortho_layers(&snapshot, &principal(headers)) {
        let views: Vec<_> = authz::current_view(&layer)
            .into_iter()
            .chain(authz::vintage_views(&layer).into_iter().rev())
            .collect();
        for view in views {
            out.push((layer.clone(), view));
        }
    }
    out
}

/// The title of a listed view, in French.
pub fn view_title(layer: &OrthoLayer, view: &OrthoView) -> String {
    if view.id == layer.name() && view.pyramid.is_composite() {
        format!(
            "{} (mosaïque des millésimes, le plus récent devant)",
            layer.title()
        )
    } else if view.id == layer.name() {
        format!(
            "{} (millésime le plus récent : {})",
            layer.title(),
            view.pyramid.vintage()
        )
    } else {
        format!("{} — {}", layer.title(), view.pyramid.vintage())
    }
}

/// The stored catalog records (imported, harvested) the caller may read.
pub fn stored_records(
    state: &AppState,
    headers: &HeaderMap,
) -> (i64, Vec<Authorized<Arc<geocentre_registry::StoredRecord>>>) {
    let snapshot = state.snapshot();
    (
        snapshot.generation(),
        authz::visible_records(&snapshot, &principal(headers)),
    )
}
