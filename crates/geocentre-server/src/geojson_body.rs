//! GeoJSON FeatureCollection responses around a page the store wrote as
//! text (OGC API items, WFS GeoJSON): the small members are serialised, the
//! features put in place without being parsed again.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_features::store::GeoJsonPage;

/// `head` (a JSON object of the members before "features") with the page's
/// features appended, as `application/geo+json`.
pub(crate) fn feature_collection(
    head: serde_json::Map<String, serde_json::Value>,
    page: &GeoJsonPage,
) -> Response {
    let head = serde_json::Value::Object(head).to_string();
    let mut body = Vec::with_capacity(head.len() + page.features.len() + 16);
    // `head` ends with its closing brace, replaced by the features.
    body.extend_from_slice(&head.as_bytes()[..head.len() - 1]);
    if head.len() > 2 {
        body.push(b',');
    }
    body.extend_from_slice(b"\"features\":[");
    body.extend_from_slice(&page.features);
    body.extend_from_slice(b"]}");
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    r
}
