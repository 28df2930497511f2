//! The one place where errors become HTTP responses: OGC exception reports
//! on OGC endpoints, RFC 9457 problem details elsewhere.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_ogc::OgcError;
use geocentre_raster::TileError;

#[derive(Debug)]
pub enum ApiError {
    /// An OGC endpoint's error: an OWS exception report.
    Ogc(OgcError),
    /// An OGC endpoint that cannot answer now (a store down): an OWS
    /// exception report with HTTP 503 and `Retry-After`.
    OgcUnavailable(OgcError),
    /// A REST endpoint's error: application/problem+json.
    Problem {
        status: StatusCode,
        title: &'static str,
        detail: String,
    },
}

/// Seconds a client is asked to wait when a store is unavailable.
pub const UNAVAILABLE_RETRY_S: u32 = 2;

/// `r` as a 503 with `Retry-After` (for reports written elsewhere, as WFS
/// writes its versions' own).
pub fn unavailable(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(UNAVAILABLE_RETRY_S));
    r
}

/// A feature read that failed for want of its data source (the store's
/// `Unavailable`: the database of a PostGIS layer down, refusing us, or
/// past its statement timeout): logged with its cause, answered 503 with
/// `Retry-After` and a message that names the layer, not the database.
/// None for any other failure, which each service maps.
pub fn store_unavailable(e: &geocentre_features::store::StoreError, ogc: bool) -> Option<ApiError> {
    let geocentre_features::store::StoreError::Unavailable(layer, _) = e else {
        return None;
    };
    tracing::warn!("feature store unavailable: {e}");
    let message = format!("the data of {layer} cannot be read now; retry shortly");
    Some(if ogc {
        ApiError::OgcUnavailable(OgcError::new(
            geocentre_ogc::OwsCode::NoApplicableCode,
            None,
            message,
        ))
    } else {
        ApiError::Problem {
            status: StatusCode::SERVICE_UNAVAILABLE,
            title: "Service Unavailable",
            detail: message,
        }
    })
}

impl ApiError {
    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::Problem {
            status: StatusCode::NOT_FOUND,
            title: "Not Found",
            detail: detail.into(),
        }
    }
    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::Problem {
            status: StatusCode::BAD_REQUEST,
            title: "Bad Request",
            detail: detail.into(),
        }
    }
    pub fn internal(detail: impl Into<String>) -> ApiError {
        ApiError::Problem {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            title: "Internal Server Error",
            detail: detail.into(),
        }
    }
}

impl From<OgcError> for ApiError {
    fn from(e: OgcError) -> Self {
        ApiError::Ogc(e)
    }
}

/// An OWS 1.1 exception report whose `version` attribute is `version`
/// (WMTS: 1.1.0; WFS 2.0: 2.0.0), with the code's HTTP status.
pub fn ows_report(e: &OgcError, version: &str) -> Response {
    let status = StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = (status, e.to_xml_version(version)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

/// Storage or decoding trouble is the server's fault; it is logged with
/// its cause, and the client gets a generic message.
pub fn tile_failure(e: TileError, ogc: bool) -> ApiError {
    if e.is_unavailable() {
        // The object store is down or slow: a retry may succeed, and a
        // load balancer or client should know it (503, not 500).
        tracing::warn!("tile read failed, store unavailable: {e}");
        let message = "the image store is unavailable; retry shortly";
        return if ogc {
            ApiError::OgcUnavailable(OgcError::new(
                geocentre_ogc::OwsCode::NoApplicableCode,
                None,
                message,
            ))
        } else {
            ApiError::Problem {
                status: StatusCode::SERVICE_UNAVAILABLE,
                title: "Service Unavailable",
                detail: message.into(),
            }
        };
    }
    tracing::error!("tile read failed: {e}");
    if ogc {
        ApiError::Ogc(OgcError::new(
            geocentre_ogc::OwsCode::NoApplicableCode,
            None,
            "internal error while reading the tile",
        ))
    } else {
        ApiError::internal("internal error while reading the tile")
    }
}

/// Any path no route answers.
pub async fn no_route(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("nothing is published at {}", uri.path()))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Ogc(e) => ows_report(&e, "1.1.0"),
            ApiError::OgcUnavailable(e) => unavailable(ows_report(&e, "1.1.0")),
            ApiError::Problem {
                status,
                title,
                detail,
            } => {
                let body = serde_json::json!({
                    "type": "about:blank",
                    "title": title,
                    "status": status.as_u16(),
                    "detail": detail,
                });
                let mut r = (status, body.to_string()).into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/problem+json"),
                );
                if status == StatusCode::SERVICE_UNAVAILABLE {
                    r.headers_mut()
                        .entry(header::RETRY_AFTER)
                        .or_insert(HeaderValue::from(UNAVAILABLE_RETRY_S));
                }
                r
            }
        }
    }
}

/// Refusals made by the framework before a handler runs (a path segment
/// that is not UTF-8, a body over the size limit, a wrong content type)
/// come as plain text; they are rewritten here into the endpoint's error
/// format, so a client always reads the kind of error it was promised.
pub async fn framework_rejections(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path().to_string();
    // RFC 9112 §3.2: a request with more than one Host field is refused
    // with 400 (hyper lets it through). Two Hosts let a proxy and the
    // server disagree on which site is asked, and links are made from it.
    let res = if req.headers().get_all(header::HOST).iter().count() > 1 {
        (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "more than one Host header",
        )
            .into_response()
    } else {
        next.run(req).await
    };
    let status = res.status();
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(plain && status.is_client_error()) {
        return res;
    }
    // The framework's own message, bounded: it may quote the input.
    let body = axum::body::to_bytes(res.into_body(), 4096)
        .await
        .unwrap_or_default();
    let mut detail: String = String::from_utf8_lossy(&body).chars().take(300).collect();
    if detail.is_empty() {
        detail = status.canonical_reason().unwrap_or("refused").to_string();
    }
    let ogc = ["/wms", "/wfs", "/wmts"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if path == "/wms" {
        let mut r = crate::routes::wms_exception(&detail);
        *r.status_mut() = status;
        r
    } else if path == "/csw" {
        // CSW 2.0.2's report (OWS 1.0.0, version 1.2.0).
        let e = OgcError::new(
            geocentre_ogc::OwsCode::InvalidParameterValue,
            Some("request"),
            detail,
        );
        let mut r = (status, e.to_xml_csw()).into_response();
        r.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/xml; charset=utf-8"),
        );
        r
    } else if ogc {
        // WFS answers in its default version's report (2.0.0): the
        // request was refused before its version could be read.
        let version = if path == "/wfs" || path.starts_with("/wfs/") {
            "2.0.0"
        } else {
            "1.1.0"
        };
        let e = OgcError::new(geocentre_ogc::OwsCode::InvalidParameterValue, None, detail);
        let mut r = ows_report(&e, version);
        *r.status_mut() = status;
        r
    } else {
        ApiError::Problem {
            status,
            title: status.canonical_reason().unwrap_or("Bad Request"),
            detail,
        }
        .into_response()
    }
}
