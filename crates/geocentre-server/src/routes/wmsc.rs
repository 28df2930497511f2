//! WMS-C (OSGeo WMS tiling recommendation): a GetMap with TILED=true whose
//! BBOX and size are exactly a grid tile is answered from the tiles. The
//! general WMS arrives with its own issue; other requests get a WMS
//! exception naming what is supported.

use super::{reply_tile, resolve, TileKey};
use crate::error::ApiError;
use crate::state::AppState;
use crate::tile_response::tile_response;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_core::tms::TmsId;
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::xml::Xml;
use geocentre_raster::ImageFormat;

fn wms_exception(code: &str, locator: Option<&str>, msg: &str) -> Response {
    let mut x = Xml::new();
    x.open(
        "ServiceExceptionReport",
        &[
            ("xmlns", "http://www.opengis.net/ogc"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", "http://www.opengis.net/ogc http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd"),
            ("version", "1.3.0"),
        ],
    );
    let mut attrs = vec![("code", code)];
    if let Some(l) = locator {
        attrs.push(("locator", l));
    }
    x.text_attrs("ServiceException", &attrs, msg);
    x.close("ServiceExceptionReport");
    let mut r = (StatusCode::BAD_REQUEST, x.finish()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    r
}

pub async fn kvp(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let k = match Kvp::parse(q) {
        Ok(k) => k,
        Err(e) => {
            return Ok(wms_exception(
                "InvalidParameterValue",
                e.locator.as_deref(),
                &e.message,
            ))
        }
    };
    let Some(request) = k.get("REQUEST") else {
        return Ok(wms_exception(
            "MissingParameterValue",
            Some("REQUEST"),
            "REQUEST is required",
        ));
    };
    if !request.eq_ignore_ascii_case("GetMap") {
        return Ok(wms_exception(
            "OperationNotSupported",
            Some("REQUEST"),
            "this endpoint serves WMS-C tiled GetMap requests only",
        ));
    }
    for p in ["LAYERS", "BBOX", "WIDTH", "HEIGHT", "FORMAT"] {
        if k.get(p).is_none() {
            return Ok(wms_exception(
                "MissingParameterValue",
                Some(p),
                &format!("{p} is required"),
            ));
        }
    }
    let layer = k.get("LAYERS").unwrap_or_default();
    let Some(view) = resolve(&state, &headers, layer) else {
        return Ok(wms_exception(
            "LayerNotDefined",
            Some("LAYERS"),
            &format!("unknown layer '{layer}'"),
        ));
    };
    let crs = k.get("CRS").or_else(|| k.get("SRS")).unwrap_or("EPSG:2154");
    let tms = match crs.to_ascii_uppercase().as_str() {
        "EPSG:2154" => TmsId::Lamb93,
        "EPSG:3857" | "EPSG:900913" => TmsId::WebMercatorQuad,
        _ => {
            return Ok(wms_exception(
                "InvalidCRS",
                Some("CRS"),
                "WMS-C tiles are offered in EPSG:2154 and EPSG:3857",
            ))
        }
    };
    let format = k.get("FORMAT").unwrap_or_default();
    let Some(fmt) = ImageFormat::from_mime(format) else {
        return Ok(wms_exception(
            "InvalidFormat",
            Some("FORMAT"),
            &format!("format '{format}' is not offered"),
        ));
    };
    let bbox = match k.bbox("BBOX") {
        Ok(b) => b,
        Err(e) => {
            return Ok(wms_exception(
                "InvalidParameterValue",
                Some("BBOX"),
                &e.message,
            ))
        }
    };
    let (w, h) = match (k.require_u64("WIDTH"), k.require_u64("HEIGHT")) {
        (Ok(w), Ok(h)) => (w, h),
        _ => {
            return Ok(wms_exception(
                "InvalidParameterValue",
                Some("WIDTH"),
                "WIDTH and HEIGHT must be integers",
            ))
        }
    };
    let tile = tms.get().tile_for_bbox(
        bbox,
        w.min(u32::MAX as u64) as u32,
        h.min(u32::MAX as u64) as u32,
    );
    let Some((z, col, row)) = tile else {
        return Ok(wms_exception(
            "InvalidParameterValue",
            Some("BBOX"),
            "BBOX and size do not match a tile of the grid (WMS-C: 256×256 tiles of LAMB93_5cm_EPSG or WebMercatorQuad)",
        ));
    };
    let ext = state.inner.extents.get(&view.pyramid);
    if !ext.contains(tms, z, col, row) {
        return Ok(tile_response(
            None,
            &headers,
            state.inner.config.tiles.max_age_s,
        ));
    }
    reply_tile(
        &state,
        &headers,
        &view,
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
}
