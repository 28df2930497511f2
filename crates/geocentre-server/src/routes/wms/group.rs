//! Named layer groups (`geocentre group set`) in the WMS: a group's name in
//! LAYERS, QUERY_LAYERS or GetLegendGraphic's LAYER stands for its members,
//! in order. Each member is resolved through the authorization point as if
//! the caller had listed it: one the caller may not read, or that is gone,
//! is left out (hidden and unknown answer alike), and a group with nothing
//! left is an unknown layer. A layer of the same name wins over a group.
//!
//! In the capabilities a group is ONE named layer without nested `Layer`s
//! (GeoServer's "single" layer groups): its members are already listed
//! where they belong (under their dataset, or as imagery), and WMS 1.3.0
//! §7.2.4.6.3 wants every Name unique, so they are not listed again under
//! the group. Its abstract names its members; its box covers theirs.

use super::{fail, resolve_name, Fail, Target};
use crate::state::AppState;
use axum::http::HeaderMap;
use geocentre_carto::legend::{self, LegendError, LegendOptions};
use geocentre_carto::style::GeomKind;
use geocentre_ogc::wms::{LegendUrl, WmsLayer, WmsStyle, WmsVersion};
use geocentre_registry::{GroupMember, LayerGroup};

/// Pixels between the stacked legends of a group's layers.
const LEGEND_GAP: u32 = 8;

/// A group has only its default style: its members bring their own.
fn check_style(name: &str, style: Option<&str>, locator: &str) -> Result<(), Fail> {
    match style.map(str::trim) {
        None | Some("") | Some("default") => Ok(()),
        Some(bad) => Err(fail(
            "StyleNotDefined",
            Some(locator),
            &format!(
                "layer group '{name}' has no style '{bad}': it draws each of its layers with \
                 the style the group gives it (styles: default)"
            ),
        )),
    }
}

/// The members of group `name` the caller may read, as targets; `None`
/// when there is no such group or nothing of it is left for the caller.
pub(super) fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    year: Option<i32>,
    style: Option<&str>,
    locator: &'static str,
) -> Result<Option<Vec<Target>>, Fail> {
    let Some(g) = state.snapshot().group(name).cloned() else {
        return Ok(None);
    };
    check_style(name, style, "STYLES")?;
    let mut out = Vec::new();
    for m in &g.members {
        out.extend(member(state, headers, &g, m, year, locator)?);
    }
    Ok((!out.is_empty()).then_some(out))
}

fn member(
    state: &AppState,
    headers: &HeaderMap,
    g: &LayerGroup,
    m: &GroupMember,
    year: Option<i32>,
    locator: &'static str,
) -> Result<Vec<Target>, Fail> {
    let resolved = match resolve_name(
        state,
        headers,
        &m.layer,
        year,
        m.style.as_deref(),
        locator,
        false,
    ) {
        // The style was renamed or removed since the group was set: the
        // group still draws (a shared base map must not break), logged.
        Err(Fail::Wms("StyleNotDefined", _, msg)) if m.style.is_some() => {
            let r = resolve_name(state, headers, &m.layer, year, None, locator, false);
            if r.is_ok() {
                tracing::warn!(group = %g.name, member = %m.layer, "{msg}; drawn with its own style");
            }
            r
        }
        r => r,
    };
    match resolved {
        Err(Fail::Wms("LayerNotDefined", ..)) => Ok(Vec::new()),
        r => r,
    }
}

/// The layer named `name` among `layers` and their children.
fn find<'a>(layers: &'a [WmsLayer], name: &str) -> Option<&'a WmsLayer> {
    layers.iter().find_map(|l| {
        if l.name == name {
            Some(l)
        } else {
            find(&l.children, name)
        }
    })
}

/// Sizes of the legends a group's GetLegendGraphic stacks, from its
/// members' entries; `None` when one of them has no legend.
fn leaf_legends(l: &WmsLayer, out: &mut Vec<(u32, u32)>) -> Option<()> {
    if !l.children.is_empty() {
        for c in &l.children {
            leaf_legends(c, out)?;
        }
        return Some(());
    }
    // Imagery has no style of its own, hence no legend to stack.
    if let Some(s) = &l.style {
        let lg = s.legend.as_ref()?;
        out.push((lg.width, lg.height));
    }
    Some(())
}

/// The size of legends stacked top to bottom; empty ones (no rule at that
/// scale: 1×1) take no room. `None` when nothing is left.
fn stacked_size(sizes: &[(u32, u32)]) -> Option<(u32, u32)> {
    let kept: Vec<&(u32, u32)> = sizes.iter().filter(|s| **s != (1, 1)).collect();
    let width = kept.iter().map(|s| s.0).max()?;
    let height = kept.iter().map(|s| s.1).sum::<u32>() + LEGEND_GAP * (kept.len() as u32 - 1);
    Some((width, height))
}

/// Capabilities entries of the groups the caller sees anything of: each a
/// named layer with no nested layers, built from its members' entries as
/// listed elsewhere in `listed` (which holds only what the caller may read):
/// the union of their boxes, queryable if one of them is, and the legend of
/// their legends stacked. Members are not repeated under the group: a Name
/// is listed once (WMS 1.3.0 §7.2.4.6.3).
pub(super) fn capabilities_layers(
    state: &AppState,
    v: WmsVersion,
    base: &str,
    listed: &[WmsLayer],
) -> Vec<WmsLayer> {
    let snapshot = state.snapshot();
    let mut out = Vec::new();
    for g in snapshot.groups() {
        if find(listed, &g.name).is_some() {
            continue;
        }
        let members: Vec<&WmsLayer> = g
            .members
            .iter()
            .filter_map(|m| find(listed, &m.layer))
            .collect();
        if members.is_empty() {
            continue;
        }
        let wgs84 = members.iter().fold([180.0, 90.0, -180.0, -90.0], |b, c| {
            geocentre_core::bbox::union(b, c.wgs84)
        });
        let mut sizes = Vec::new();
        let legend = members
            .iter()
            .try_for_each(|c| leaf_legends(c, &mut sizes))
            .and_then(|_| stacked_size(&sizes))
            .filter(|(w, h)| *w <= legend::MAX_SIDE && *h <= legend::MAX_SIDE)
            .map(|(width, height)| LegendUrl {
                width,
                height,
                format: "image/png".into(),
                href: super::vector::legend_href(base, v, &g.name, "default"),
            });
        let abstract_ = if g.abstract_.is_empty() {
            format!(
                "Groupe de couches, dessinées dans cet ordre : {}.",
                members
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            g.abstract_.clone()
        };
        // The records describing its members' data, each once.
        let mut metadata_urls: Vec<String> = Vec::new();
        for u in members.iter().flat_map(|m| &m.metadata_urls) {
            if !metadata_urls.contains(u) {
                metadata_urls.push(u.clone());
            }
        }
        let keywords = std::iter::once("groupe de couches".to_string())
            .chain(members.iter().map(|m| m.name.clone()))
            .collect();
        out.push(WmsLayer {
            abstract_,
            keywords,
            metadata_urls,
            bboxes: super::vector::bboxes(state, v, wgs84),
            queryable: members.iter().any(|c| c.queryable),
            style: Some(WmsStyle {
                name: "default".into(),
                title: "Défaut".into(),
                legend,
            }),
            ..WmsLayer::new(g.name.clone(), g.title.clone(), wgs84)
        });
    }
    out
}

/// GetLegendGraphic of a group: the legends of its vector layers the
/// caller may read, stacked in the group's order. `None` when `name` is no
/// group (or a layer takes the name). SCALE, WIDTH and HEIGHT apply to
/// every legend; RULE names a rule of one style, so it is refused.
pub(super) async fn legend(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    style: Option<&str>,
    opts: &LegendOptions,
) -> Result<Option<(Vec<u8>, u32, u32)>, Fail> {
    if state.snapshot().group(name).is_none()
        || crate::access::ortho(state, headers, name).is_some()
        || crate::access::vector(state, headers, name).is_some()
    {
        return Ok(None);
    }
    check_style(name, style, "STYLE")?;
    if opts.rule.is_some() {
        return Err(fail(
            "InvalidParameterValue",
            Some("RULE"),
            &format!(
                "RULE names a rule of one layer's style: ask the legend of that layer of group '{name}' (LAYER=dataset.layer)"
            ),
        ));
    }
    let Some(targets) = resolve(state, headers, name, None, None, "LAYER")? else {
        return Ok(None);
    };
    let styles: Vec<_> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Vector(v) => Some((v.style.clone(), GeomKind::of(&v.view.layer.geometry_type))),
            _ => None,
        })
        .collect();
    if styles.is_empty() {
        return Err(fail(
            "LayerNotDefined",
            Some("LAYER"),
            &format!("layer group '{name}' has no vector layer: there is no legend to draw"),
        ));
    }
    let opts = opts.clone();
    let drawn = state
        .inner
        .tiles
        .run_cpu(move || -> Result<_, LegendError> {
            let mut parts = Vec::with_capacity(styles.len());
            for (st, kind) in &styles {
                parts.push(legend::render(st, *kind, &opts)?);
            }
            stack(parts)
        })
        .await
        .map_err(super::tile_fail)?
        .map_err(|e| {
            fail(
                "InvalidParameterValue",
                Some("LAYER"),
                &format!("legend of layer group '{name}': {e}; ask its layers' legends one by one"),
            )
        })?;
    Ok(Some(drawn))
}

/// Straight RGBA legends one under the other, left-aligned.
fn stack(parts: Vec<(Vec<u8>, u32, u32)>) -> Result<(Vec<u8>, u32, u32), LegendError> {
    let sizes: Vec<(u32, u32)> = parts.iter().map(|p| (p.1, p.2)).collect();
    let Some((w, h)) = stacked_size(&sizes) else {
        return Ok((vec![0; 4], 1, 1));
    };
    if w > legend::MAX_SIDE || h > legend::MAX_SIDE {
        return Err(LegendError::TooLarge(w, h));
    }
    let mut out = vec![0u8; (w as usize) * (h as usize) * 4];
    let mut y0 = 0usize;
    for (rgba, pw, ph) in parts.into_iter().filter(|p| (p.1, p.2) != (1, 1)) {
        let row = pw as usize * 4;
        for (y, src) in rgba.chunks_exact(row).enumerate() {
            let at = (y0 + y) * w as usize * 4;
            out[at..at + row].copy_from_slice(src);
        }
        y0 += ph as usize + LEGEND_GAP as usize;
    }
    Ok((out, w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legends_stack_left_aligned_with_a_gap_and_empty_ones_take_no_room() {
        let red = ([255, 0, 0, 255].repeat(6), 3, 2);
        let blue = ([0, 0, 255, 255].repeat(5), 5, 1);
        let empty = (vec![0; 4], 1, 1);
        let (rgba, w, h) = stack(vec![red, empty, blue]).unwrap();
        assert_eq!((w, h), (5, 2 + LEGEND_GAP + 1));
        assert_eq!(stacked_size(&[(3, 2), (1, 1), (5, 1)]), Some((w, h)));
        let at = |x: u32, y: u32| &rgba[((y * w + x) * 4) as usize..((y * w + x) * 4 + 4) as usize];
        assert_eq!(at(2, 1), [255, 0, 0, 255]);
        assert_eq!(at(4, 1), [0, 0, 0, 0], "narrower legends are padded");
        assert_eq!(at(0, 2), [0, 0, 0, 0], "the gap is transparent");
        assert_eq!(at(4, h - 1), [0, 0, 255, 255]);
        assert_eq!(stack(vec![(vec![0; 4], 1, 1)]).unwrap().1, 1);
        assert!(stacked_size(&[]).is_none());
        let tall = (vec![0; 4 * 3000], 1, 3000);
        assert!(matches!(
            stack(vec![tall.clone(), tall]),
            Err(LegendError::TooLarge(..))
        ));
    }
}
