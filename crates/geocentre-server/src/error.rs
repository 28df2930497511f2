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
    /// A REST endpoint's error: application/problem+json.
    Problem {
        status: StatusCode,
        title: &'static str,
        detail: String,
    },
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

/// Storage or decoding trouble is the server's fault; it is logged with
/// its cause, and the client gets a generic message.
pub fn tile_failure(e: TileError, ogc: bool) -> ApiError {
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
            ApiError::Ogc(e) => {
                let status =
                    StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
                let mut r = (status, e.to_xml()).into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/xml; charset=utf-8"),
                );
                r
            }
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
                r
            }
        }
    }
}
