//! Headers every response carries so that a browser never runs what data
//! put in a response (a review ran a script from a field name in a WFS
//! answer, and found JSON and CSV carrying raw `<script>` from data):
//!
//! - `X-Content-Type-Options: nosniff` everywhere: a JSON, CSV or XML
//!   answer is never sniffed into HTML;
//! - on HTML pages, a Content-Security-Policy that runs only our own
//!   scripts (no inline script, no `eval`), and `frame-ancestors` with
//!   `X-Frame-Options` against framing by other sites.
//!
//! - on every other answer, a policy that runs nothing: an XML answer
//!   opened in a browser is rendered as a document, and its scripts (in
//!   the XHTML namespace) would run under our origin.
//!
//! Inline styles stay allowed: the OGC API pages carry one `<style>`, and
//! OpenLayers positions its overlays with `style` attributes.

use axum::extract::Request;
use axum::http::header::{HeaderValue, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use axum::middleware::Next;
use axum::response::Response;

pub const HTML_CSP: &str = "default-src 'self'; script-src 'self'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'self'";

/// For data (XML, JSON, CSV, images): nothing runs, nothing loads.
pub const DATA_CSP: &str = "default-src 'none'; frame-ancestors 'self'";

pub async fn add(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let html = h
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            // Case-blind prefix tests, without a lowered copy per answer.
            let v = v.trim_start().as_bytes();
            [&b"text/html"[..], b"application/xhtml"]
                .iter()
                .any(|p| v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p))
        });
    if html {
        h.insert(
            axum::http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(HTML_CSP),
        );
        h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    } else {
        h.insert(
            axum::http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DATA_CSP),
        );
    }
    res
}
