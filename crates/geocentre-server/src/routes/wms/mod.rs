//! WMS 1.3.0 and 1.1.1 at `/wms`: GetCapabilities, GetMap and
//! GetFeatureInfo of the orthophoto layers, of their dalle indexes
//! (`{layer}-dalles`) and of the vector layers (`{dataset}.{layer}`, a
//! dataset's name drawing all its layers), GetLegendGraphic of the vector
//! layers. A GetMap with TILED=true whose BBOX and size are a grid tile
//! (WMS-C) is answered from the stored tiles. Named layer groups stand for
//! their members wherever a layer name is accepted.

mod featureinfo;
pub use featureinfo::gml_schema;
mod getmap;
mod group;
mod vector;

use crate::access::{listed_views, view_title};
use crate::state::AppState;
use crate::urls::base_url;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_core::tms::LAMB93;
use geocentre_geo::crs::Transformer;
use geocentre_image::ImageFormat;
use geocentre_ogc::featureinfo::InfoFormat;
use geocentre_ogc::inspire::Language;
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wms::{self, WmsLayer, WmsService, WmsVersion, MAX_SIZE};
use geocentre_registry::authz::OrthoView;
use geocentre_registry::Authorized;

/// Suffix of the dalle index layer of a view.
pub const INDEX_SUFFIX: &str = "-dalles";

/// A service exception report, answered with HTTP 200 as MapServer and
/// GeoServer do: WMS 1.1.1 and 1.3.0 define the report, not an HTTP status
/// (unlike OWS Common, whose WMTS/WFS reports keep their 4xx), and the
/// INSPIRE view-service tests require 200. `no-store`: a report must not
/// be cached as if it were the answer. A refusal by design (503, the
/// server busy) keeps its status: see [`unavailable`].
pub(crate) fn exception(v: WmsVersion, code: &str, locator: Option<&str>, msg: &str) -> Response {
    let body = wms::exception(v, code, locator, msg);
    let ctype = match v {
        WmsVersion::V130 => "text/xml; charset=utf-8",
        WmsVersion::V111 => "application/vnd.ogc.se_xml; charset=utf-8",
    };
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The versions GetMap and GetFeatureInfo answer in (1.1.0 read as its
/// corrigendum 1.1.1).
const MAP_VERSIONS: [&str; 3] = ["1.3.0", "1.1.1", "1.1.0"];

/// VERSION is mandatory for GetMap and GetFeatureInfo (WMS 1.3.0 §6.9.2,
/// 1.1.1 §6.9.2), and must name a version this server implements; only
/// GetCapabilities negotiates.
fn exact_version(k: &Kvp) -> Result<(), Fail> {
    match k.get("VERSION").or_else(|| k.get("WMTVER")).map(str::trim) {
        None => Err(fail(
            "MissingParameterValue",
            Some("VERSION"),
            "VERSION is required: 1.3.0 or 1.1.1",
        )),
        Some(s) if MAP_VERSIONS.contains(&s) => Ok(()),
        Some(s) => Err(fail(
            "InvalidParameterValue",
            Some("VERSION"),
            &format!("VERSION '{s}' is not implemented: use 1.3.0 or 1.1.1"),
        )),
    }
}

pub async fn kvp(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let k = match Kvp::from_query(q.as_deref()) {
        Ok(k) => k,
        Err(e) => {
            // Answered in the version the refused query asked for.
            let asked = geocentre_ogc::kvp::sniff(q.as_deref(), "VERSION")
                .or_else(|| geocentre_ogc::kvp::sniff(q.as_deref(), "WMTVER"));
            return exception(
                WmsVersion::negotiate(asked.as_deref()),
                "InvalidParameterValue",
                e.locator.as_deref(),
                &e.message,
            );
        }
    };
    let v = WmsVersion::negotiate(k.get("VERSION").or_else(|| k.get("WMTVER")));
    let Some(request) = k.get("REQUEST") else {
        return exception(
            v,
            "MissingParameterValue",
            Some("REQUEST"),
            "REQUEST is required",
        );
    };
    let reply = |r: Result<Response, Fail>| match r {
        Ok(r) => r,
        Err(Fail::Wms(code, locator, msg)) => exception(v, code, locator.as_deref(), &msg),
        Err(Fail::Api(e)) => e.into_response(),
        Err(Fail::Unavailable(retry, msg)) => unavailable(v, retry, &msg),
    };
    match request.to_ascii_lowercase().as_str() {
        "getcapabilities" | "capabilities" => {
            match k.get("SERVICE") {
                Some(s) if s.eq_ignore_ascii_case("WMS") => {}
                Some(s) => {
                    return exception(
                        v,
                        "InvalidParameterValue",
                        Some("SERVICE"),
                        &format!("service '{s}' is not WMS"),
                    )
                }
                None => {
                    return exception(
                        v,
                        "MissingParameterValue",
                        Some("SERVICE"),
                        "SERVICE is required",
                    )
                }
            }
            capabilities(&state, &headers, v, Language::from_param(k.get("LANGUAGE")))
        }
        "getmap" | "map" => match async {
            exact_version(&k)?;
            getmap::get_map(&state, &headers, &k, v).await
        }
        .await
        {
            Err(Fail::Wms(code, locator, msg)) => {
                match getmap::exception_image(&state, &k, code, &msg).await {
                    Some(image) => image,
                    None => exception(v, code, locator.as_deref(), &msg),
                }
            }
            r => reply(r),
        },
        "getfeatureinfo" | "feature_info" => reply(match exact_version(&k) {
            Ok(()) => featureinfo::get_feature_info(&state, &headers, &k, v).await,
            Err(e) => Err(e),
        }),
        "getlegendgraphic" => reply(vector::legend_graphic(&state, &headers, &k).await),
        _ => exception(
            v,
            "OperationNotSupported",
            Some("REQUEST"),
            &format!(
                "request '{request}' is not supported: use GetCapabilities, GetMap, GetFeatureInfo or GetLegendGraphic"
            ),
        ),
    }
}

/// A requested CRS: the EPSG code to render in, and whether the BBOX is
/// given latitude first (EPSG geographic CRSs in WMS 1.3.0).
fn parse_crs(v: WmsVersion, s: &str) -> Option<(u32, bool)> {
    let s = s.trim().to_ascii_uppercase();
    if s == "CRS:84" {
        return Some((4326, false));
    }
    let code: u32 = s.strip_prefix("EPSG:")?.parse().ok()?;
    let code = if code == 900913 { 3857 } else { code };
    let listed = wms::CRS_LIST.iter().any(|c| *c == format!("EPSG:{code}"));
    if !listed {
        return None;
    }
    let lat_first = v == WmsVersion::V130 && matches!(code, 4326 | 4171);
    Some((code, lat_first))
}

/// GetCapabilities; `language` (INSPIRE LANGUAGE) picks the service's title
/// and abstract and is written as the ResponseLanguage.
fn capabilities(
    state: &AppState,
    headers: &HeaderMap,
    v: WmsVersion,
    language: Language,
) -> Response {
    let base = base_url(state, headers);
    let svc = &state.inner.config.service;
    let (title, abstract_) = svc.texts(language == Language::Eng);
    let mut layers = Vec::new();
    let mut ortho_names = Vec::new();
    for (layer, view) in listed_views(state, headers) {
        ortho_names.push(view.id.clone());
        let p = &view.pyramid;
        let ext = state.inner.extents.get(p);
        let mut bboxes = vec![("EPSG:2154".to_string(), p.bbox())];
        for (name, code) in [("EPSG:3857", 3857u32), ("EPSG:4326", 4326u32)] {
            if let Ok(t) = Transformer::new(LAMB93.epsg, code) {
                let b = t.transform_bbox(p.bbox());
                let b = if code == 4326 && v == WmsVersion::V130 {
                    [b[1], b[0], b[3], b[2]]
                } else {
                    b
                };
                bboxes.push((name.to_string(), b));
            }
        }
        // TIME selects a vintage of the layer's bare name; by default the
        // composite ("current").
        let bare = view.id == layer.name();
        let times: Vec<i32> = if bare {
            layer.vintages().map(|p| p.vintage()).collect()
        } else {
            Vec::new()
        };
        let time_default = (bare && p.is_composite()).then(|| "current".to_string());
        let metadata_urls = vec![format!("{base}/api/ortho/layers/{}/metadata.xml", view.id)];
        let era = if p.is_composite() {
            "mosaïque des millésimes".to_string()
        } else {
            format!("millésime {}", p.vintage())
        };
        let title = view_title(&layer, &view);
        layers.push(WmsLayer {
            style: None,
            min_scale: None,
            max_scale: None,
            children: Vec::new(),
            name: view.id.clone(),
            abstract_: if p.is_composite() {
                "Mosaïque de tous les millésimes : en chaque point, la dalle la plus récente (ou la plus prioritaire).".into()
            } else {
                format!("Orthophotographie, millésime {}.", p.vintage())
            },
            title: title.clone(),
            wgs84: ext.wgs84,
            bboxes: bboxes.clone(),
            times: times.clone(),
            time_default: time_default.clone(),
            queryable: true,
            keywords: vec!["orthophotographie".into(), "orthoimagerie".into(), era.clone()],
            metadata_urls: metadata_urls.clone(),
        });
        layers.push(WmsLayer {
            style: None,
            min_scale: None,
            max_scale: None,
            children: Vec::new(),
            name: format!("{}{INDEX_SUFFIX}", view.id),
            title: format!("Index des dalles — {title}"),
            abstract_: "Emprises des dalles livrées par les producteurs, avec leurs attributs (nom, millésime, date de prise de vue, producteur, résolution).".into(),
            wgs84: ext.wgs84,
            bboxes,
            times,
            time_default,
            queryable: true,
            keywords: vec![
                "index des dalles".into(),
                "orthophotographie".into(),
                era,
            ],
            metadata_urls,
        });
    }
    layers.extend(vector::capabilities_layers(
        state,
        headers,
        v,
        &base,
        &ortho_names,
    ));
    let groups = group::capabilities_layers(state, v, &base, &layers);
    layers.extend(groups);
    let formats: Vec<&str> = ImageFormat::MAPS.iter().map(|f| f.mime()).collect();
    let info_formats: Vec<&str> = InfoFormat::ALL.iter().map(|f| f.mime()).collect();
    let metadata_url = format!("{base}/api/services/wms/metadata.xml");
    let xml = wms::capabilities(
        v,
        &WmsService {
            title,
            abstract_,
            base_url: &base,
            formats: &formats,
            info_formats: &info_formats,
            // ISO 19119 category of a view service (INSPIRE).
            keywords: &["WMS", "infoMapAccessService"],
            contact_email: &svc.contact_email,
            metadata_url: &metadata_url,
            language,
        },
        title,
        &layers,
    );
    let ctype = match v {
        WmsVersion::V130 => "text/xml; charset=utf-8",
        WmsVersion::V111 => "application/vnd.ogc.wms_xml; charset=utf-8",
    };
    let mut r = xml.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r
}

/// Why a request failed: a WMS exception to report, or a server fault.
pub(crate) enum Fail {
    Wms(&'static str, Option<String>, String),
    Api(crate::error::ApiError),
    /// 503: the server declines the work now (no WMS exception code
    /// names this); with the seconds to wait when a retry may succeed.
    Unavailable(Option<u32>, String),
}

/// What WMS answers when reading imagery fails: a 503 exception report
/// in the request's version with `Retry-After` when the store is down
/// (never problem+json on /wms), else the internal error.
pub(crate) fn tile_fail(e: geocentre_raster::TileError) -> Fail {
    if e.is_unavailable() {
        tracing::warn!("tile read failed, store unavailable: {e}");
        return Fail::Unavailable(
            Some(crate::error::UNAVAILABLE_RETRY_S),
            "the image store is unavailable; retry shortly".into(),
        );
    }
    Fail::Api(crate::error::tile_failure(e, false))
}

/// A 503 exception report, with `Retry-After` when given.
pub(crate) fn unavailable(v: WmsVersion, retry_after: Option<u32>, msg: &str) -> Response {
    let mut r = exception(v, "", None, msg);
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    if let Some(s) = retry_after {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    r
}

pub(crate) fn fail(code: &'static str, locator: Option<&str>, msg: &str) -> Fail {
    Fail::Wms(code, locator.map(str::to_string), msg.to_string())
}

/// What a map layer name designates.
pub(crate) enum Target {
    Ortho(Authorized<OrthoView>),
    /// The outlines and attributes of the view's dalles.
    Index(Authorized<OrthoView>),
    Vector(Box<vector::VectorTarget>),
}

impl Target {
    fn name(&self) -> String {
        match self {
            Target::Ortho(v) => v.id.clone(),
            Target::Index(v) => format!("{}{INDEX_SUFFIX}", v.id),
            Target::Vector(t) => vector::layer_name(&t.view),
        }
    }
}

/// The parameters GetMap and GetFeatureInfo share (WMS 1.3.0 §7.4.3).
pub(crate) struct MapFrame {
    pub epsg: u32,
    pub crs_text: String,
    /// x/y order, whatever the CRS's axis order.
    pub bbox: [f64; 4],
    pub width: u32,
    pub height: u32,
    pub targets: Vec<Target>,
}

fn parse_time(k: &Kvp) -> Result<Option<i32>, Fail> {
    let Some(t) = k.get("TIME") else {
        return Ok(None);
    };
    if t.eq_ignore_ascii_case("current") {
        return Ok(None);
    }
    geocentre_ogc::kvp::year_of(t).map(Some).ok_or_else(|| {
        fail(
            "InvalidDimensionValue",
            Some("TIME"),
            &format!("TIME '{t}' is not a year, nor a real date or date-time"),
        )
    })
}

/// Resolves one layer name (with TIME and its STYLES entry) through the
/// authorization point: an orthophoto view, its dalle index, a vector
/// layer, a vector dataset (all its layers, in order), or a layer group
/// (its members the caller may read, in order).
fn resolve_target(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    year: Option<i32>,
    style: Option<&str>,
    locator: &'static str,
) -> Result<Vec<Target>, Fail> {
    resolve_name(state, headers, name, year, style, locator, true)
}

/// [`resolve_target`]; `groups` false for a group's members, which are
/// layers only (a layer named later like a group must not recurse).
fn resolve_name(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    year: Option<i32>,
    style: Option<&str>,
    locator: &'static str,
    groups: bool,
) -> Result<Vec<Target>, Fail> {
    let (base, index) = match name.strip_suffix(INDEX_SUFFIX) {
        Some(b) => (b, true),
        None => (name, false),
    };
    // Vector layers have no time dimension: TIME does not apply to them.
    // Layers win over a group of the same name.
    if crate::access::ortho(state, headers, base).is_none() {
        if let Some(views) = crate::access::vector(state, headers, name) {
            return views
                .into_iter()
                .map(|view| {
                    Ok(Target::Vector(Box::new(vector::VectorTarget {
                        style: vector::style_for(&view, style)?,
                        view,
                    })))
                })
                .collect();
        }
        if groups {
            if let Some(members) = group::resolve(state, headers, name, year, style, locator)? {
                return Ok(members);
            }
        }
    }
    if let Some(bad) = style.filter(|s| !s.is_empty() && *s != "default") {
        return Err(fail(
            "StyleNotDefined",
            Some("STYLES"),
            &format!("unknown style '{bad}'"),
        ));
    }
    let id = match year {
        Some(y) if !base.ends_with(&format!("-{y}")) => {
            let id = format!("{base}-{y}");
            if crate::access::ortho(state, headers, base).is_some()
                && crate::access::ortho(state, headers, &id).is_none()
            {
                return Err(fail(
                    "InvalidDimensionValue",
                    Some("TIME"),
                    &format!("layer '{name}' has no vintage {y}; see the time dimension in the capabilities"),
                ));
            }
            id
        }
        _ => base.to_string(),
    };
    let view = crate::access::ortho(state, headers, &id).ok_or_else(|| {
        fail(
            "LayerNotDefined",
            Some(locator),
            &format!("unknown layer '{name}'"),
        )
    })?;
    Ok(vec![if index {
        Target::Index(view)
    } else {
        Target::Ortho(view)
    }])
}

pub(crate) fn names(k: &Kvp, key: &str) -> Vec<String> {
    k.get(key)
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub(crate) fn parse_frame(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    v: WmsVersion,
) -> Result<MapFrame, Fail> {
    let crs_key = if v == WmsVersion::V130 { "CRS" } else { "SRS" };
    for p in ["LAYERS", "BBOX", "WIDTH", "HEIGHT"] {
        if k.get(p).is_none() {
            return Err(fail(
                "MissingParameterValue",
                Some(p),
                &format!("{p} is required"),
            ));
        }
    }
    let crs_text = k
        .get(crs_key)
        .or_else(|| k.get("CRS"))
        .or_else(|| k.get("SRS"))
        .ok_or_else(|| {
            fail(
                "MissingParameterValue",
                Some(crs_key),
                &format!("{crs_key} is required"),
            )
        })?;
    let invalid_crs = if v == WmsVersion::V130 {
        "InvalidCRS"
    } else {
        "InvalidSRS"
    };
    let (epsg, lat_first) = parse_crs(v, crs_text).ok_or_else(|| {
        fail(
            invalid_crs,
            Some(crs_key),
            &format!("{crs_text} is not offered; see the capabilities"),
        )
    })?;
    let mut bbox = k
        .bbox("BBOX")
        .map_err(|e| fail("InvalidParameterValue", Some("BBOX"), &e.message))?;
    if lat_first {
        bbox = [bbox[1], bbox[0], bbox[3], bbox[2]];
    }
    let (width, height) = (size(k, "WIDTH")?, size(k, "HEIGHT")?);
    let year = parse_time(k)?;
    let layer_names = names(k, "LAYERS");
    if layer_names.is_empty() {
        return Err(fail(
            "MissingParameterValue",
            Some("LAYERS"),
            "LAYERS is empty",
        ));
    }
    // STYLES is positional: the n-th style is the n-th layer's; empty
    // entries (or none at all) mean each layer's default.
    let styles: Vec<&str> = k
        .get("STYLES")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    if let Some(extra) = styles
        .get(layer_names.len()..)
        .and_then(|e| e.iter().find(|s| !s.is_empty()))
    {
        return Err(fail(
            "StyleNotDefined",
            Some("STYLES"),
            &format!(
                "style '{extra}' has no layer: STYLES lists more styles than LAYERS has layers"
            ),
        ));
    }
    // Each layer costs a full draw: the cap counts what datasets and
    // groups expand to, so a group of many datasets is no way around it.
    let max_layers = state.inner.config.limits.max_map_layers;
    let mut targets = Vec::with_capacity(layer_names.len().min(max_layers));
    for (i, n) in layer_names.iter().enumerate() {
        let style = styles.get(i).copied().filter(|s| !s.is_empty());
        targets.extend(resolve_target(state, headers, n, year, style, "LAYERS")?);
        if targets.len() > max_layers {
            return Err(fail(
                "InvalidParameterValue",
                Some("LAYERS"),
                &format!(
                    "the map draws more than {max_layers} layers once datasets and groups are expanded; ask for fewer layers"
                ),
            ));
        }
    }
    Ok(MapFrame {
        epsg,
        crs_text: crs_text.to_string(),
        bbox,
        width,
        height,
        targets,
    })
}

/// WIDTH/HEIGHT within 1..=MaxWidth: refused before any work.
pub(crate) fn size(k: &Kvp, key: &str) -> Result<u32, Fail> {
    k.require_u64(key)
        .ok()
        .filter(|n| (1..=u64::from(MAX_SIZE)).contains(n))
        .map(|n| n as u32)
        .ok_or_else(|| {
            fail(
                "InvalidParameterValue",
                Some(key),
                &format!("{key} must be between 1 and {MAX_SIZE}"),
            )
        })
}
