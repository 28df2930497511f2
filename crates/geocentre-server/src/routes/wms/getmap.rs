//! GetMap: layers drawn in order over a background (orthophotos, dalle
//! indexes and vector layers mixed as LAYERS lists them), then the labels
//! of every vector layer, placed together and drawn above all of them; the
//! WMS-C shortcut, and exceptions delivered in the image (INIMAGE, BLANK).

use super::{fail, parse_frame, size, Fail, Target};
use crate::error::ApiError;
use crate::state::AppState;
use crate::tile_serving::{self, TileKey};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_carto::labels::MapLabels;
use geocentre_core::tms::TmsId;
use geocentre_image::{annotate, encode, ImageFormat};
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wms::WmsVersion;

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

fn format_of(k: &Kvp) -> Result<ImageFormat, Fail> {
    let format = k.get("FORMAT").ok_or_else(|| {
        fail(
            "MissingParameterValue",
            Some("FORMAT"),
            "FORMAT is required",
        )
    })?;
    ImageFormat::from_mime(format).ok_or_else(|| {
        fail(
            "InvalidFormat",
            Some("FORMAT"),
            &format!("format '{format}' is not offered"),
        )
    })
}

/// Background handling: TRANSPARENT, BGCOLOR.
pub(super) struct Background {
    transparent: bool,
    color: [u8; 3],
}

/// A boolean parameter: TRUE or FALSE, case-blind (WMS 1.3.0 §7.3.3.9);
/// any other word was once read as FALSE, hiding the client's mistake.
fn boolean(k: &Kvp, key: &str) -> Result<bool, Fail> {
    match k.get(key) {
        None => Ok(false),
        Some(t) if t.eq_ignore_ascii_case("true") => Ok(true),
        Some(t) if t.eq_ignore_ascii_case("false") => Ok(false),
        Some(t) => Err(fail(
            "InvalidParameterValue",
            Some(key),
            &format!("{key} must be TRUE or FALSE, not '{t}'"),
        )),
    }
}

pub(super) fn background(k: &Kvp) -> Result<Background, Fail> {
    let transparent = boolean(k, "TRANSPARENT")?;
    let color = match k.get("BGCOLOR") {
        None => [255, 255, 255],
        Some(c) => parse_color(c).ok_or_else(|| {
            fail(
                "InvalidParameterValue",
                Some("BGCOLOR"),
                "BGCOLOR must be 0xRRGGBB",
            )
        })?,
    };
    Ok(Background { transparent, color })
}

pub(super) async fn encoded(
    state: &AppState,
    mut rgba: Vec<u8>,
    w: u32,
    h: u32,
    fmt: ImageFormat,
    bg: &Background,
) -> Result<Response, Fail> {
    let opaque = !(bg.transparent && fmt != ImageFormat::Jpeg);
    let bg_color = bg.color;
    let (jq, wq) = (
        state.inner.config.tiles.jpeg_quality,
        state.inner.config.tiles.webp_quality,
    );
    let bytes = state
        .inner
        .tiles
        .run_cpu(move || {
            if opaque {
                flatten(&mut rgba, bg_color);
            }
            encode::encode(&rgba, w, h, fmt, jq, wq)
        })
        .await
        .map_err(super::tile_fail)?
        .map_err(|e| Fail::Api(ApiError::internal(e.to_string())))?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(fmt.content_type()),
    );
    Ok(r)
}

fn refused(state: &AppState, reason: &'static str) {
    state
        .inner
        .metrics
        .refused
        .get_or_create(&crate::observe::RefusedLabels { reason })
        .inc();
}

pub(super) async fn get_map(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    v: WmsVersion,
) -> Result<Response, Fail> {
    let fmt = format_of(k)?;
    // Mandatory in GetMap (WMS 1.3.0 Table 8, 1.1.1 too; the INSPIRE ETS
    // checks it): `STYLES=` asks for every layer's default, leaving it out
    // is a mistake. (GetFeatureInfo stays lenient: its map part is the
    // client's copy of a GetMap.)
    if !k.has("STYLES") {
        return Err(fail(
            "MissingParameterValue",
            Some("STYLES"),
            "STYLES is required (STYLES= for each layer's default style)",
        ));
    }
    let frame = parse_frame(state, headers, k, v)?;
    let bg = background(k)?;
    let (w, h) = (frame.width, frame.height);

    // WMS-C: a single layer, a grid tile, no background to paint.
    let tiled = boolean(k, "TILED")?;
    if let ([Target::Ortho(view)], true) = (&frame.targets[..], tiled) {
        let tms = match frame.epsg {
            2154 => Some(TmsId::Lamb93),
            3857 => Some(TmsId::WebMercatorQuad),
            _ => None,
        };
        if let Some((tms, (z, col, row))) =
            tms.and_then(|t| t.get().tile_for_bbox(frame.bbox, w, h).map(|x| (t, x)))
        {
            let ext = state.inner.extents.get(&view.pyramid);
            if ext.contains(tms, z, col, row) && fmt != ImageFormat::Png8 {
                let key = TileKey {
                    tms,
                    z,
                    col,
                    row,
                    fmt,
                };
                return tile_serving::serve(
                    state,
                    headers,
                    view,
                    key,
                    false,
                    tile_serving::Empty::Blank,
                )
                .await
                .map_err(Fail::Api);
            }
        }
    }

    // Admitted before any pixel is allocated: a full server answers 503
    // at once instead of queueing without bound.
    let pixels = u64::from(w) * u64::from(h);
    let _permit = state.inner.renders.enter(pixels).await.map_err(|_| {
        refused(state, "render_busy");
        Fail::Unavailable(
            Some(crate::admission::RETRY_AFTER_S),
            "the server is rendering as many maps as it can; retry in a moment".into(),
        )
    })?;
    let budget_ms = state.inner.config.limits.render_budget_ms;
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(budget_ms);

    // Layers are drawn in order, each over the previous ones; labels wait
    // for all of them (MapServer's label cache).
    let tiles = &state.inner.tiles;
    let mut canvas: Option<Vec<u8>> = None;
    let mut labels = MapLabels::default();
    for t in &frame.targets {
        // The budget is checked between layers: one layer's draw is
        // bounded by the size and feature caps; their sum is bounded here.
        if std::time::Instant::now() > deadline {
            refused(state, "render_budget");
            return Err(Fail::Unavailable(
                None,
                format!(
                    "the map took longer than its rendering budget of {} ms; ask for fewer layers, a smaller area or a smaller image",
                    budget_ms
                ),
            ));
        }
        let img = match t {
            Target::Ortho(view) => tiles.render(view, frame.epsg, frame.bbox, w, h).await,
            Target::Index(view) => tiles.render_index(view, frame.epsg, frame.bbox, w, h).await,
            Target::Vector(v) => Ok(super::vector::render(state, v, &frame).await?.map(|d| {
                labels.push_layer(d.labels);
                d.rgba
            })),
        }
        .map_err(super::tile_fail)?;
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
    if !labels.is_empty() {
        rgba = tiles
            .run_cpu(move || {
                if let Some((text, _)) = labels.overlay(w, h) {
                    over(&mut rgba, &text);
                }
                rgba
            })
            .await
            .map_err(super::tile_fail)?;
    }
    encoded(state, rgba, w, h, fmt, &bg).await
}

/// EXCEPTIONS=INIMAGE or BLANK: the error as an image of the requested
/// size and format (HTTP 200, as clients that asked for it expect).
/// `None` when XML was asked for, or when the image itself cannot be made
/// (bad size or format): the XML report then says why.
pub(super) async fn exception_image(
    state: &AppState,
    k: &Kvp,
    code: &str,
    msg: &str,
) -> Option<Response> {
    let mode = k.get("EXCEPTIONS")?.to_ascii_lowercase();
    let inimage = match mode.as_str() {
        "inimage" | "application/vnd.ogc.se_inimage" => true,
        "blank" | "application/vnd.ogc.se_blank" => false,
        _ => return None,
    };
    let fmt = format_of(k).ok()?;
    let (w, h) = (size(k, "WIDTH").ok()?, size(k, "HEIGHT").ok()?);
    let bg = background(k).ok()?;
    let mut rgba = vec![0u8; (w * h * 4) as usize];
    if inimage {
        annotate::text(&mut rgba, w, h, &format!("{code}: {msg}"));
    }
    encoded(state, rgba, w, h, fmt, &bg).await.ok()
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
    // Runs of one colour (a semi-transparent fill) reuse the last answer.
    let mut last = ([0u8; 4], [bg[0], bg[1], bg[2], 255]);
    for px in rgba.chunks_exact_mut(4) {
        let a = u32::from(px[3]);
        // Most of a map is opaque imagery.
        if a == 255 {
            continue;
        }
        if px == last.0 {
            px.copy_from_slice(&last.1);
            continue;
        }
        last.0.copy_from_slice(px);
        for c in 0..3 {
            px[c] = ((u32::from(px[c]) * a + u32::from(bg[c]) * (255 - a)) / 255) as u8;
        }
        px[3] = 255;
        last.1.copy_from_slice(px);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn flattening_runs_equals_flattening_each_pixel() {
        let bg = [255, 250, 240];
        let pixels: [[u8; 4]; 7] = [
            [0, 0, 0, 0],
            [166, 206, 227, 150],
            [166, 206, 227, 150],
            [10, 20, 30, 255],
            [166, 206, 227, 150],
            [31, 120, 180, 90],
            [0, 0, 0, 0],
        ];
        let mut rgba: Vec<u8> = pixels.iter().flatten().copied().collect();
        super::flatten(&mut rgba, bg);
        for (p, out) in pixels.iter().zip(rgba.chunks_exact(4)) {
            let a = u32::from(p[3]);
            let want: Vec<u8> = (0..3)
                .map(|c| ((u32::from(p[c]) * a + u32::from(bg[c]) * (255 - a)) / 255) as u8)
                .chain([255])
                .collect();
            assert_eq!(out, &want[..], "{p:?}");
        }
    }
}
