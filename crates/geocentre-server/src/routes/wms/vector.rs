//! Vector layers in the WMS: `{dataset}.{layer}` drawn with its stored
//! style (or the default one for its geometry type), a dataset's name as a
//! group of its layers, GetFeatureInfo at a clicked pixel, and
//! GetLegendGraphic. Features are read and drawn on the CPU job pool
//! (GDAL is synchronous), through the authorization point like every read.

use super::getmap::{background, encoded, Background};
use super::{fail, Fail, MapFrame};
use crate::access::principal;
use crate::error::ApiError;
use crate::state::AppState;
use axum::http::HeaderMap;
use axum::response::Response;
use geocentre_carto::legend::{self, LegendOptions};
use geocentre_carto::style::{self, GeomKind, Style};
use geocentre_carto::{draw, hit};
use geocentre_features::store::{ScanQuery, Scanned, StoreError};
use geocentre_image::ImageFormat;
use geocentre_ogc::featureinfo::{InfoFeature, InfoKind, InfoLayer};
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wms::{LegendUrl, WmsLayer, WmsStyle, WmsVersion};
use geocentre_registry::authz::{self, VectorView};
use geocentre_registry::Authorized;
use serde_json::Value;
use std::sync::Arc;

/// Most features one map reads per layer; past it the map shows what was
/// read, and the log says so.
pub const MAX_MAP_FEATURES: u64 = 100_000;
/// How far from a feature a click still selects it, in pixels.
const TOLERANCE_PX: f64 = 4.0;
/// Largest legend swatch a client may ask for.
const MAX_SWATCH: u64 = 512;

/// A vector layer to draw, with the style chosen for it.
pub(crate) struct VectorTarget {
    pub view: Authorized<VectorView>,
    pub style: Arc<Style>,
}

pub(crate) fn layer_name(v: &VectorView) -> String {
    format!("{}.{}", v.dataset.name(), v.layer.name)
}

/// The style STYLES= asks for: empty or `default` is the layer's own.
pub(super) fn style_for(view: &VectorView, requested: Option<&str>) -> Result<Arc<Style>, Fail> {
    let own = crate::layer_style::stored_or_default(view);
    match requested {
        None | Some("") | Some("default") => Ok(own),
        Some(s) if s == own.name => Ok(own),
        Some(s) => Err(fail(
            "StyleNotDefined",
            Some("STYLES"),
            &format!(
                "layer '{}' has no style '{s}' (styles: {})",
                layer_name(view),
                if own.name == "default" {
                    "default".to_string()
                } else {
                    format!("default, {}", own.name)
                }
            ),
        )),
    }
}

fn scale_of(f: &MapFrame) -> f64 {
    style::scale_denominator(f.bbox, f.width, matches!(f.epsg, 4326 | 4171))
}

/// The attributes the style reads that the layer has; a stored style may
/// name an attribute a re-ingest dropped: it then reads as null.
fn properties(view: &VectorView, st: &Style) -> Vec<String> {
    st.properties()
        .into_iter()
        .filter(|p| {
            let known = view.layer.fields.iter().any(|f| &f.name == p);
            if !known {
                tracing::warn!(layer = %layer_name(view), "style reads '{p}', which the layer lacks");
            }
            known
        })
        .collect()
}

fn store_failure(e: StoreError) -> Fail {
    if let StoreError::Unavailable(layer, _) = &e {
        tracing::warn!("feature store unavailable: {e}");
        return Fail::Unavailable(
            Some(crate::error::UNAVAILABLE_RETRY_S),
            format!("the data of {layer} cannot be read now"),
        );
    }
    tracing::error!("feature read failed: {e}");
    Fail::Api(ApiError::internal("internal error while reading features"))
}

/// How far (pixels) the style draws from a feature's geometry: features
/// that close outside the map still reach into it.
fn reach(st: &Style) -> f64 {
    let mut r: f32 = 2.0;
    for s in st.rules.iter().flat_map(|r| &r.symbolizers) {
        if let Some(m) = &s.marker {
            r = r.max(m.size / 2.0 + m.stroke.as_ref().map_or(0.0, |l| l.width));
        }
        if let Some(l) = &s.stroke {
            r = r.max(l.width);
        }
    }
    f64::from(r) + 1.0
}

fn grow(b: [f64; 4], f: &MapFrame, px: f64) -> [f64; 4] {
    let (mx, my) = (
        px * (b[2] - b[0]) / f64::from(f.width),
        px * (b[3] - b[1]) / f64::from(f.height),
    );
    [b[0] - mx, b[1] - my, b[2] + mx, b[3] + my]
}

/// Reads the features of the map's box and draws them; their labels come
/// back undrawn, for the map to place with the other layers' ones. `None`
/// when the style draws nothing at this scale or nothing is there.
pub(super) async fn render(
    state: &AppState,
    t: &VectorTarget,
    f: &MapFrame,
) -> Result<Option<draw::Drawn>, Fail> {
    let scale = scale_of(f);
    if !t.style.visible_at(scale) {
        return Ok(None);
    }
    let names = properties(&t.view, &t.style);
    let q = ScanQuery {
        bbox: grow(f.bbox, f, reach(&t.style)),
        epsg: f.epsg,
        properties: names.clone(),
        filter: None,
        limit: MAX_MAP_FEATURES,
        // What the drawing thins anyway, in map units (GeoTools decimates
        // at 0.8 px).
        min_spacing: draw::THIN * (f.bbox[2] - f.bbox[0]) / f64::from(f.width.max(1)),
    };
    let frame = draw_frame(f, scale);
    let (store, view, st) = (
        state.inner.features.clone(),
        t.view.clone(),
        t.style.clone(),
    );
    state
        .inner
        .tiles
        .run_cpu(move || -> Result<Option<draw::Drawn>, StoreError> {
            let mut features = Vec::new();
            let read = store.scan(&view, &q, &mut |s| {
                features.push(s);
                true
            })?;
            if read >= MAX_MAP_FEATURES {
                tracing::warn!(
                    layer = %layer_name(&view),
                    limit = MAX_MAP_FEATURES,
                    "map over the feature limit: drawing the features read"
                );
            }
            Ok(draw::render(&st, &names, &features, &frame))
        })
        .await
        .map_err(super::tile_fail)?
        .map_err(store_failure)
}

fn draw_frame(f: &MapFrame, scale: f64) -> draw::Frame {
    draw::Frame {
        bbox: f.bbox,
        width: f.width,
        height: f.height,
        scale,
    }
}

/// The features drawn within a few pixels of pixel (i, j), nearest first.
pub(super) async fn feature_info(
    state: &AppState,
    t: &VectorTarget,
    f: &MapFrame,
    (i, j): (u64, u64),
    count: usize,
) -> Result<InfoLayer, Fail> {
    let name = layer_name(&t.view);
    let mut out = InfoLayer {
        name: name.clone(),
        features: Vec::new(),
        kind: InfoKind::Features,
    };
    let scale = scale_of(f);
    if !t.style.visible_at(scale) {
        return Ok(out);
    }
    // Point symbols are selected anywhere on them.
    let tol = TOLERANCE_PX.max(reach(&t.style).min(50.0));
    let at = (i as f64 + 0.5, j as f64 + 0.5);
    let b = f.bbox;
    let (rx, ry) = (
        (b[2] - b[0]) / f64::from(f.width),
        (b[3] - b[1]) / f64::from(f.height),
    );
    let (x, y) = (b[0] + at.0 * rx, b[3] - at.1 * ry);
    let names = properties(&t.view, &t.style);
    let q = ScanQuery {
        bbox: [x - tol * rx, y - tol * ry, x + tol * rx, y + tol * ry],
        epsg: f.epsg,
        properties: names.clone(),
        filter: None,
        limit: MAX_MAP_FEATURES,
        // Hits are tested on the full geometry.
        min_spacing: 0.0,
    };
    let frame = draw_frame(f, scale);
    let (store, view, st) = (
        state.inner.features.clone(),
        t.view.clone(),
        t.style.clone(),
    );
    out.features = state
        .inner
        .tiles
        .run_cpu(move || -> Result<Vec<InfoFeature>, StoreError> {
            let passes = st.passes();
            let mut hits: Vec<(f64, Scanned)> = Vec::new();
            store.scan(&view, &q, &mut |s| {
                let get = |k: &str| -> Option<&Value> {
                    names
                        .iter()
                        .position(|n| n == k)
                        .and_then(|i| s.properties.get(i))
                };
                let drawn = passes
                    .iter()
                    .any(|p| !st.matching(*p, scale, &get).is_empty());
                if let Some(d) = hit::distance(&s.shape, &frame, at).filter(|d| drawn && *d <= tol)
                {
                    hits.push((d, s));
                }
                true
            })?;
            hits.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut features = Vec::new();
            for (_, s) in hits.into_iter().take(count) {
                let Some(doc) = store.feature(&view, s.fid, 4326, false)? else {
                    continue;
                };
                let fields = match doc.get("properties") {
                    Some(Value::Object(m)) => m
                        .iter()
                        .map(|(k, v)| (k.clone().into(), k.clone().into(), v.clone()))
                        .collect(),
                    _ => Vec::new(),
                };
                features.push(InfoFeature {
                    id: format!("{}.{}", layer_name(&view), s.fid),
                    fields,
                    bbox: shape_bbox(&s),
                    lonlat_ring: Vec::new(),
                    geometry: doc.get("geometry").cloned().filter(|g| !g.is_null()),
                });
            }
            Ok(features)
        })
        .await
        .map_err(super::tile_fail)?
        .map_err(store_failure)?;
    Ok(out)
}

fn shape_bbox(s: &Scanned) -> [f64; 4] {
    let sh = &s.shape;
    let pts = sh
        .points
        .iter()
        .chain(sh.lines.iter().flatten())
        .chain(sh.polygons.iter().flatten().flatten());
    pts.fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
        geocentre_core::bbox::union(b, [p[0], p[1], p[0], p[1]])
    })
}

pub(super) fn legend_href(base: &str, v: WmsVersion, layer: &str, style: &str) -> String {
    use crate::urls::urlencode;
    format!(
        "{base}/wms?SERVICE=WMS&VERSION={}&REQUEST=GetLegendGraphic&FORMAT=image%2Fpng&LAYER={}&STYLE={}",
        v.as_str(),
        urlencode(layer),
        urlencode(style)
    )
}

/// A lon/lat box as the capabilities give it in EPSG:2154, 3857 and 4326
/// (latitude first in 1.3.0).
pub(super) fn bboxes(state: &AppState, v: WmsVersion, wgs84: [f64; 4]) -> Vec<(String, [f64; 4])> {
    let mut out = Vec::new();
    for code in [2154u32, 3857, 4326] {
        let b = if code == 4326 {
            wgs84
        } else {
            match state.inner.tiles.transformer(4326, code) {
                Ok(t) => t.transform_bbox(wgs84),
                Err(_) => continue,
            }
        };
        let b = if code == 4326 && v == WmsVersion::V130 {
            [b[1], b[0], b[3], b[2]]
        } else {
            b
        };
        out.push((format!("EPSG:{code}"), b));
    }
    out
}

/// Capabilities entries of the vector layers: each dataset a group
/// (unless its name is taken by an orthophoto layer), its layers inside.
pub(super) fn capabilities_layers(
    state: &AppState,
    headers: &HeaderMap,
    v: WmsVersion,
    base: &str,
    taken: &[String],
) -> Vec<WmsLayer> {
    let snapshot = state.snapshot();
    let views: Vec<_> = authz::visible_vector_layers(&snapshot, &principal(headers))
        .into_iter()
        .filter(|v| v.has_geometry())
        .collect();
    let bboxes = |wgs84: [f64; 4]| bboxes(state, v, wgs84);
    let mut groups: Vec<WmsLayer> = Vec::new();
    let mut loose: Vec<WmsLayer> = Vec::new();
    let mut current: Option<WmsLayer> = None;
    for view in &views {
        let name = layer_name(view);
        let st = crate::layer_style::stored_or_default(view);
        let legend = legend::size(&st, &LegendOptions::default())
            .ok()
            .map(|(width, height)| LegendUrl {
                width,
                height,
                format: "image/png".into(),
                href: legend_href(base, v, &name, &st.name),
            });
        let (min_scale, max_scale) = st.scale_range();
        let l = &view.layer;
        let dataset = view.dataset.name();
        // The dataset's ISO 19139 record describes its layers too.
        let metadata_urls = vec![format!(
            "{base}/api/vector/datasets/{}/metadata.xml",
            crate::urls::urlencode(dataset)
        )];
        let layer = WmsLayer {
            abstract_: format!(
                "Couche vectorielle « {} » du jeu de données « {} » : {} objets ({}).",
                l.title,
                view.dataset.title(),
                l.feature_count,
                l.geometry_type
            ),
            bboxes: bboxes(l.bbox_wgs84),
            queryable: true,
            style: Some(WmsStyle {
                name: st.name.clone(),
                title: st.title.clone().unwrap_or_else(|| "Défaut".into()),
                legend,
            }),
            min_scale,
            max_scale,
            keywords: vec![
                "données vectorielles".into(),
                dataset.to_string(),
                l.geometry_type.clone(),
            ],
            metadata_urls: metadata_urls.clone(),
            ..WmsLayer::new(name, l.title.clone(), l.bbox_wgs84)
        };
        if taken.iter().any(|t| t == dataset) {
            loose.push(layer);
            continue;
        }
        if current.as_ref().is_none_or(|g| g.name != dataset) {
            if let Some(g) = current.take() {
                groups.push(g);
            }
            current = Some(WmsLayer {
                abstract_: format!(
                    "Toutes les couches du jeu de données « {} », dans cet ordre.",
                    view.dataset.title()
                ),
                queryable: true,
                keywords: vec!["données vectorielles".into(), dataset.to_string()],
                metadata_urls,
                ..WmsLayer::new(
                    dataset.to_string(),
                    view.dataset.title().to_string(),
                    [180.0, 90.0, -180.0, -90.0],
                )
            });
        }
        if let Some(g) = current.as_mut() {
            g.wgs84 = geocentre_core::bbox::union(g.wgs84, layer.wgs84);
            g.children.push(layer);
        }
    }
    groups.extend(current);
    for g in &mut groups {
        g.bboxes = bboxes(g.wgs84);
    }
    groups.extend(loose);
    groups
}

/// FORMAT, TRANSPARENT/BGCOLOR and the legend's options (WIDTH and HEIGHT
/// of the swatch, SCALE, RULE) of a GetLegendGraphic.
fn legend_request(k: &Kvp) -> Result<(ImageFormat, Background, LegendOptions), Fail> {
    let fmt = match k.get("FORMAT") {
        None => ImageFormat::Png,
        Some(f) => ImageFormat::from_mime(f).ok_or_else(|| {
            fail(
                "InvalidFormat",
                Some("FORMAT"),
                &format!("format '{f}' is not offered"),
            )
        })?,
    };
    let bg = background(k)?;
    let dim = |key: &'static str| -> Result<Option<u32>, Fail> {
        k.get(key)
            .map(|t| {
                t.trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=MAX_SWATCH).contains(n))
                    .map(|n| n as u32)
                    .ok_or_else(|| {
                        fail(
                            "InvalidParameterValue",
                            Some(key),
                            &format!("{key} must be between 1 and {MAX_SWATCH}"),
                        )
                    })
            })
            .transpose()
    };
    let (w, h) = (dim("WIDTH")?, dim("HEIGHT")?);
    let swatch = (w.is_some() || h.is_some())
        .then(|| (w.unwrap_or(legend::SWATCH), h.unwrap_or(legend::SWATCH)));
    let scale = k
        .get("SCALE")
        .map(|s| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0)
                .ok_or_else(|| {
                    fail(
                        "InvalidParameterValue",
                        Some("SCALE"),
                        "SCALE must be a positive scale denominator",
                    )
                })
        })
        .transpose()?;
    let opts = LegendOptions {
        swatch,
        scale,
        rule: k.get("RULE").map(|r| r.trim().to_string()),
    };
    Ok((fmt, bg, opts))
}

/// GetLegendGraphic (SLD 1.1 WMS profile): LAYER, STYLE, FORMAT, WIDTH and
/// HEIGHT (the swatch), SCALE, RULE, TRANSPARENT.
pub(super) async fn legend_graphic(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
) -> Result<Response, Fail> {
    let name = k
        .get("LAYER")
        .ok_or_else(|| fail("MissingParameterValue", Some("LAYER"), "LAYER is required"))?
        .trim();
    let (fmt, bg, opts) = legend_request(k)?;
    let views = match crate::access::vector(state, headers, name) {
        Some(views) if views.len() == 1 && name.contains('.') => views,
        _ => {
            if let Some((rgba, w, h)) =
                super::group::legend(state, headers, name, k.get("STYLE"), &opts).await?
            {
                return encoded(state, rgba, w, h, fmt, &bg).await;
            }
            return Err(fail(
                "LayerNotDefined",
                Some("LAYER"),
                &format!("no legend for layer '{name}': give one vector layer (dataset.layer) or a layer group"),
            ));
        }
    };
    let view = &views[0];
    let st = style_for(view, k.get("STYLE").map(str::trim)).map_err(|e| match e {
        Fail::Wms(code, _, msg) => Fail::Wms(code, Some("STYLE".into()), msg),
        other => other,
    })?;
    let kind = GeomKind::of(&view.layer.geometry_type);
    let (rgba, w, h) = state
        .inner
        .tiles
        .run_cpu(move || legend::render(&st, kind, &opts))
        .await
        .map_err(super::tile_fail)?
        .map_err(|e| {
            let locator = match e {
                legend::LegendError::UnknownRule { .. } => "RULE",
                legend::LegendError::TooLarge(..) => "LAYER",
            };
            fail("InvalidParameterValue", Some(locator), &e.to_string())
        })?;
    encoded(state, rgba, w, h, fmt, &bg).await
}
