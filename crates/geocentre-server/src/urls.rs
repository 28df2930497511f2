//! The platform's address as clients reach it, and URL encoding.

use crate::state::AppState;
use axum::http::HeaderMap;

/// `server.public_url` when configured, else the request's Host (checked:
/// it is written into documents) with `X-Forwarded-Proto: https` honoured.
/// With `server.allowed_hosts`, a Host the list does not hold is never
/// echoed (a shared cache would keep the links it made): the list's first
/// entry is written instead, the name the operator gave the server.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let server = &state.inner.config.server;
    let configured = server.public_url.trim_end_matches('/');
    if !configured.is_empty() {
        return configured.to_string();
    }
    let fallback = server
        .allowed_hosts
        .first()
        .map_or("127.0.0.1:8080", String::as_str);
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| geocentre_core::config::split_host(h).is_some() && server.allows_host(h))
        .unwrap_or(fallback);
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// Percent-encodes a query-string key or value (RFC 3986 unreserved kept).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
