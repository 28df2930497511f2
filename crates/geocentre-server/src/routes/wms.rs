//! WMS 1.3.0 and 1.1.1 at `/wms`: GetCapabilities and GetMap of the
//! orthophoto layers. A GetMap with TILED=true whose BBOX and size are a
//! grid tile (WMS-C, the OSGeo tiling recommendation) is answered from the
//! stored tiles.

use super::{base_url, listed_views, reply_tile, resolve, view_title, TileKey};
use crate::error::{tile_failure, ApiError};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_core::tms::{TmsId, LAMB93};
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wms::{self, WmsLayer, WmsService, WmsVersion, MAX_SIZE};
use geocentre_raster::crs::Transformer;
use geocentre_raster::{encode, ImageFormat};

fn exception(v: WmsVersion, code: &str, locator: Option<&str>, msg: &str) -> Response {
    let body = wms::exception(v, code, locator, msg);
    let ctype = match v {
        WmsVersion::V130 => "text/xml; charset=utf-8",
        WmsVersion::V111 => "application/vnd.ogc.se_xml; charset=utf-8",
    };
    let mut r = (StatusCode::BAD_REQUEST, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r
}

pub async fn kvp(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let k = match Kvp::parse(q) {
        Ok(k) => k,
        Err(e) => {
            return exception(
                WmsVersion::V130,
                "InvalidParameterValue",
                e.locator.as_deref(),
                &e.message,
            )
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
            capabilities(&state, &headers, v)
        }
        "getmap" | "map" => match get_map(&state, &headers, &k, v).await {
            Ok(r) => r,
            Err(Fail::Wms(code, locator, msg)) => exception(v, code, locator.as_deref(), &msg),
            Err(Fail::Api(e)) => e.into_response(),
        },
        _ => exception(
            v,
            "OperationNotSupported",
            Some("REQUEST"),
            &format!("request '{request}' is not supported: use GetCapabilities or GetMap"),
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

fn capabilities(state: &AppState, headers: &HeaderMap, v: WmsVersion) -> Response {
    let base = base_url(state, headers);
    let svc = &state.inner.config.service;
    let mut layers = Vec::new();
    for (layer, view) in listed_views(state, headers) {
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
        // TIME selects a vintage of the layer's latest-vintage name.
        let times = if view.id == layer.name() {
            layer.vintages().map(|p| p.vintage()).collect()
        } else {
            Vec::new()
        };
        layers.push(WmsLayer {
            name: view.id.clone(),
            title: view_title(&layer, &view),
            abstract_: format!("Orthophotographie, millésime {}.", p.vintage()),
            wgs84: ext.wgs84,
            bboxes,
            times,
        });
    }
    let formats: Vec<&str> = ImageFormat::ALL.iter().map(|f| f.mime()).collect();
    let xml = wms::capabilities(
        v,
        &WmsService {
            title: &svc.title,
            abstract_: &svc.abstract_,
            base_url: &base,
            formats: &formats,
        },
        &svc.title,
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

/// Why a GetMap failed: a WMS exception to report, or a server fault.
enum Fail {
    Wms(&'static str, Option<String>, String),
    Api(ApiError),
}

fn fail(code: &'static str, locator: Option<&str>, msg: &str) -> Fail {
    Fail::Wms(code, locator.map(str::to_string), msg.to_string())
}

fn parse_color(s: &str) -> Option<[u8; 3]> {
    let h = s
        .trim()
        .trim_start_matches("0x")
        .trim_start_matches("0X")
        .trim_start_matches('#');
    if h.len() != 6 {
        return None;
    }
    let n = u32::from_str_radix(h, 16).ok()?;
    Some([(n >> 16) as u8, (n >> 8) as u8, n as u8])
}

async fn get_map(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    v: WmsVersion,
) -> Result<Response, Fail> {
    let crs_key = if v == WmsVersion::V130 { "CRS" } else { "SRS" };
    for p in ["LAYERS", "BBOX", "WIDTH", "HEIGHT", "FORMAT"] {
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
    let format = k.get("FORMAT").unwrap_or_default();
    let fmt = ImageFormat::from_mime(format).ok_or_else(|| {
        fail(
            "InvalidFormat",
            Some("FORMAT"),
            &format!("format '{format}' is not offered"),
        )
    })?;
    let mut bbox = k
        .bbox("BBOX")
        .map_err(|e| fail("InvalidParameterValue", Some("BBOX"), &e.message))?;
    if lat_first {
        bbox = [bbox[1], bbox[0], bbox[3], bbox[2]];
    }
    let size = |key: &str| -> Result<u32, Fail> {
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
    };
    let (w, h) = (size("WIDTH")?, size("HEIGHT")?);
    let names: Vec<&str> = k
        .get("LAYERS")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .collect();
    let styles: Vec<&str> = k
        .get("STYLES")
        .map(|s| s.split(',').map(str::trim).collect())
        .unwrap_or_default();
    if let Some(bad) = styles.iter().find(|s| !(s.is_empty() || **s == "default")) {
        return Err(fail(
            "StyleNotDefined",
            Some("STYLES"),
            &format!("unknown style '{bad}'"),
        ));
    }
    // TIME (ISO 8601; a vintage is a year) picks `{name}-{year}`.
    let year = match k.get("TIME") {
        None => None,
        Some(t) => Some(
            t.get(..4)
                .and_then(|y| y.parse::<i32>().ok())
                .filter(|_| t.len() == 4 || t.as_bytes().get(4) == Some(&b'-'))
                .ok_or_else(|| {
                    fail(
                        "InvalidDimensionValue",
                        Some("TIME"),
                        &format!("TIME '{t}' is not a year"),
                    )
                })?,
        ),
    };
    let mut views = Vec::with_capacity(names.len());
    for n in &names {
        let n = &match year {
            Some(y) if !n.ends_with(&format!("-{y}")) => {
                let id = format!("{n}-{y}");
                if resolve(state, headers, n).is_some() && resolve(state, headers, &id).is_none() {
                    return Err(fail(
                        "InvalidDimensionValue",
                        Some("TIME"),
                        &format!("layer '{n}' has no vintage {y}; see the time dimension in the capabilities"),
                    ));
                }
                id
            }
            _ => n.to_string(),
        };
        let view = resolve(state, headers, n).ok_or_else(|| {
            fail(
                "LayerNotDefined",
                Some("LAYERS"),
                &format!("unknown layer '{n}'"),
            )
        })?;
        views.push(view);
    }
    let transparent = k
        .get("TRANSPARENT")
        .is_some_and(|t| t.eq_ignore_ascii_case("true"));
    let bg = match k.get("BGCOLOR") {
        None => [255, 255, 255],
        Some(c) => parse_color(c).ok_or_else(|| {
            fail(
                "InvalidParameterValue",
                Some("BGCOLOR"),
                "BGCOLOR must be 0xRRGGBB",
            )
        })?,
    };

    // WMS-C: a single layer, a grid tile, no background to paint.
    let tiled = k
        .get("TILED")
        .is_some_and(|t| t.eq_ignore_ascii_case("true"));
    if tiled && views.len() == 1 {
        let tms = match epsg {
            2154 => Some(TmsId::Lamb93),
            3857 => Some(TmsId::WebMercatorQuad),
            _ => None,
        };
        if let Some((tms, (z, col, row))) =
            tms.and_then(|t| t.get().tile_for_bbox(bbox, w, h).map(|x| (t, x)))
        {
            let ext = state.inner.extents.get(&views[0].pyramid);
            if ext.contains(tms, z, col, row) {
                return reply_tile(
                    state,
                    headers,
                    &views[0],
                    TileKey {
                        tms,
                        z,
                        col,
                        row,
                        fmt,
                    },
                    false,
                )
                .await
                .map_err(Fail::Api);
            }
        }
    }

    // Layers are drawn in order, each over the previous ones.
    let mut canvas: Option<Vec<u8>> = None;
    for view in &views {
        let img = state
            .inner
            .tiles
            .render(view, epsg, bbox, w, h)
            .await
            .map_err(|e| Fail::Api(tile_failure(e, false)))?;
        if let Some(img) = img {
            canvas = Some(match canvas {
                None => img,
                Some(mut under) => {
                    over(&mut under, &img);
                    under
                }
            });
        }
    }
    let mut rgba = canvas.unwrap_or_else(|| vec![0; (w * h * 4) as usize]);
    if !(transparent && fmt != ImageFormat::Jpeg) {
        flatten(&mut rgba, bg);
    }
    let (jq, wq) = (
        state.inner.config.tiles.jpeg_quality,
        state.inner.config.tiles.webp_quality,
    );
    let bytes = tokio::task::spawn_blocking(move || encode::encode(&rgba, w, h, fmt, jq, wq))
        .await
        .map_err(|e| Fail::Api(ApiError::internal(e.to_string())))?
        .map_err(|e| Fail::Api(ApiError::internal(e.to_string())))?;
    let mut r = bytes.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(fmt.mime()));
    Ok(r)
}

/// Straight-alpha "over" of `top` onto `under`.
fn over(under: &mut [u8], top: &[u8]) {
    for (u, t) in under.chunks_exact_mut(4).zip(top.chunks_exact(4)) {
        let a = u32::from(t[3]);
        if a == 255 {
            u.copy_from_slice(t);
        } else if a > 0 {
            let ua = u32::from(u[3]);
            let out_a = a + ua * (255 - a) / 255;
            for c in 0..3 {
                let v =
                    (u32::from(t[c]) * a + u32::from(u[c]) * ua * (255 - a) / 255) / out_a.max(1);
                u[c] = v.min(255) as u8;
            }
            u[3] = out_a.min(255) as u8;
        }
    }
}

/// Composites onto an opaque background colour.
fn flatten(rgba: &mut [u8], bg: [u8; 3]) {
    for px in rgba.chunks_exact_mut(4) {
        let a = u32::from(px[3]);
        for c in 0..3 {
            px[c] = ((u32::from(px[c]) * a + u32::from(bg[c]) * (255 - a)) / 255) as u8;
        }
        px[3] = 255;
    }
}
