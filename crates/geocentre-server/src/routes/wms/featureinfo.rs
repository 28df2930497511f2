//! GetFeatureInfo: which producer dalle made the pixel (orthophoto layers),
//! which dalles cover the point (index layers), which features are drawn
//! there (vector layers). What QA reviewers click.

use super::{fail, names, parse_frame, resolve_target, Fail, Target, INDEX_SUFFIX};
use crate::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_core::tms::LAMB93;
use geocentre_ogc::featureinfo::{self, InfoFeature, InfoFormat, InfoKind, InfoLayer};
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wms::WmsVersion;
use geocentre_raster::dalle_index;
use geocentre_registry::{Dalle, Pyramid};

/// Most features listed per layer, whatever FEATURE_COUNT asks.
const MAX_FEATURES: u64 = 50;

fn pixel(k: &Kvp, v: WmsVersion, key130: &'static str, key111: &'static str) -> Result<u64, Fail> {
    let key = if v == WmsVersion::V130 {
        key130
    } else {
        key111
    };
    let text = k
        .get(key)
        .or_else(|| k.get(key130))
        .or_else(|| k.get(key111))
        .ok_or_else(|| {
            fail(
                "MissingParameterValue",
                Some(key),
                &format!("{key} is required"),
            )
        })?;
    text.trim().parse::<u64>().map_err(|_| {
        fail(
            "InvalidPoint",
            Some(key),
            &format!("{key} '{text}' is not a pixel column/row"),
        )
    })
}

pub(super) async fn get_feature_info(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    v: WmsVersion,
) -> Result<Response, Fail> {
    let frame = parse_frame(state, headers, k, v)?;
    // Mandatory in 1.3.0; 1.1.1 leaves it to the server.
    let info_text = match (k.get("INFO_FORMAT"), v) {
        (Some(f), _) => f,
        (None, WmsVersion::V111) => "text/plain",
        (None, WmsVersion::V130) => {
            return Err(fail(
                "MissingParameterValue",
                Some("INFO_FORMAT"),
                "INFO_FORMAT is required",
            ))
        }
    };
    let fmt = InfoFormat::from_mime(info_text).ok_or_else(|| {
        fail(
            "InvalidFormat",
            Some("INFO_FORMAT"),
            &format!("INFO_FORMAT '{info_text}' is not offered"),
        )
    })?;
    let query = names(k, "QUERY_LAYERS");
    if query.is_empty() {
        return Err(fail(
            "MissingParameterValue",
            Some("QUERY_LAYERS"),
            "QUERY_LAYERS is required",
        ));
    }
    let (i, j) = (pixel(k, v, "I", "X")?, pixel(k, v, "J", "Y")?);
    if i >= u64::from(frame.width) || j >= u64::from(frame.height) {
        return Err(fail(
            "InvalidPoint",
            Some(if v == WmsVersion::V130 { "I" } else { "X" }),
            &format!(
                "pixel ({i}, {j}) is outside the {}×{} map",
                frame.width, frame.height
            ),
        ));
    }
    let count = k
        .get("FEATURE_COUNT")
        .map(|c| {
            c.trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    fail(
                        "InvalidParameterValue",
                        Some("FEATURE_COUNT"),
                        "FEATURE_COUNT must be a positive integer",
                    )
                })
        })
        .transpose()?
        .unwrap_or(1)
        .min(MAX_FEATURES) as usize;

    // The centre of the pixel, in the map's CRS, then in Lambert-93.
    let b = frame.bbox;
    let x = b[0] + (i as f64 + 0.5) * (b[2] - b[0]) / f64::from(frame.width);
    let y = b[3] - (j as f64 + 0.5) * (b[3] - b[1]) / f64::from(frame.height);
    let tiles = &state.inner.tiles;
    let to_native = tiles
        .transformer(frame.epsg, LAMB93.epsg)
        .map_err(super::tile_fail)?;
    let mut pt = [(x, y)];
    to_native.transform(&mut pt);
    let (nx, ny) = pt[0];

    let year = super::parse_time(k)?;
    let mut layers = Vec::new();
    for name in &query {
        for queried in resolve_target(state, headers, name, year, None, "QUERY_LAYERS")? {
            let qname = queried.name();
            // The layer as LAYERS drew it, with the style given there.
            let Some(target) = frame.targets.iter().find(|t| t.name() == qname) else {
                return Err(fail(
                    "LayerNotQueryable",
                    Some("QUERY_LAYERS"),
                    &format!("layer '{name}' is not in LAYERS"),
                ));
            };
            let (view, index) = match target {
                Target::Vector(t) => {
                    layers
                        .push(super::vector::feature_info(state, t, &frame, (i, j), count).await?);
                    continue;
                }
                Target::Ortho(view) => (view, false),
                Target::Index(view) => (view, true),
            };
            let hits: Vec<(&Pyramid, Dalle)> = if index {
                // The dalles under the point, the one painted last first.
                let mut all = dalle_index::dalles_in(view, [nx, ny, nx, ny], usize::MAX);
                all.reverse();
                all.truncate(count);
                all
            } else {
                view.pyramid.dalle_at(nx, ny).into_iter().collect()
            };
            let mut features = Vec::new();
            for (p, d) in hits {
                features.push(feature(state, view, p, &d, frame.epsg)?);
            }
            layers.push(InfoLayer {
                name: qname,
                features,
                kind: InfoKind::Dalles,
            });
        }
    }
    let base = crate::urls::base_url(state, headers);
    let body = featureinfo::write(fmt, &layers, &frame.crs_text, &base);
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(fmt.content_type(info_text)),
    );
    Ok(r)
}

/// The XML Schema the GML answer names (`xsi:noNamespaceSchemaLocation`).
pub async fn gml_schema() -> Response {
    let mut r = featureinfo::GML_SCHEMA.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

fn feature(
    state: &AppState,
    view: &geocentre_registry::Authorized<geocentre_registry::authz::OrthoView>,
    p: &Pyramid,
    d: &Dalle,
    epsg: u32,
) -> Result<InfoFeature, Fail> {
    let tiles = &state.inner.tiles;
    let err = super::tile_fail;
    let bbox = tiles
        .transformer(LAMB93.epsg, epsg)
        .map_err(err)?
        .transform_bbox(d.footprint);
    let mut ring = dalle_index::ring(d.footprint);
    tiles
        .transformer(LAMB93.epsg, 4326)
        .map_err(err)?
        .transform(&mut ring);
    let layer = view.layer.name().to_string();
    let fields = [
        ("dalle", "Dalle", d.name.clone()),
        ("vintage", "Millésime", p.vintage().to_string()),
        (
            "acquired",
            "Date de prise de vue",
            p.acquired().unwrap_or("").to_string(),
        ),
        (
            "producer",
            "Producteur",
            p.producer().unwrap_or("").to_string(),
        ),
        (
            "resolution_m",
            "Résolution (m)",
            format!("{:.3}", d.resolution),
        ),
        ("source", "Fichier source", d.delivered_as()),
        ("format", "Format", d.format.clone().unwrap_or_default()),
        ("layer", "Couche", layer.clone()),
    ]
    .into_iter()
    .map(|(k, l, v)| (k.into(), l.into(), v.into()))
    .collect();
    Ok(InfoFeature {
        id: format!("{layer}-{}{INDEX_SUFFIX}.{}", p.vintage(), d.name),
        fields,
        bbox,
        lonlat_ring: ring,
        geometry: None,
    })
}
