//! CSW 2.0.2 at `/csw`: the catalogue's discovery service (INSPIRE). The
//! protocol (requests, responses, constraint evaluation) is
//! `geocentre_catalog`; the records are `crate::catalog`'s, each reached
//! through the authorization point.

use crate::catalog::{self, Entry};
use crate::state::AppState;
use crate::urls::base_url;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_catalog::csw::{self, Elements, OutputSchema, Request, ResultType};
use geocentre_catalog::query;
use geocentre_ogc::exception::OgcError;
use geocentre_ogc::inspire::Language;
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::xml::Xml;

fn xml(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

fn exception(e: &OgcError) -> Response {
    let status = StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    xml(status, e.to_xml_csw())
}

/// The GetRecordById URL of a record in ISO 19139: what links to a
/// record point at (WMTS layer metadata, INSPIRE MetadataUrl,
/// operatesOn).
pub fn record_url(base: &str, id: &str) -> String {
    let id: String =
        percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!(
        "{base}/csw?SERVICE=CSW&VERSION=2.0.2&REQUEST=GetRecordById&ID={id}&OUTPUTSCHEMA=http%3A%2F%2Fwww.isotc211.org%2F2005%2Fgmd&ELEMENTSETNAME=full"
    )
}

pub async fn kvp(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let req = Kvp::from_query(raw.as_deref()).and_then(|k| {
        let language = k.get("LANGUAGE").map(str::to_string);
        csw::parse_kvp(&k).map(|r| match r {
            Request::GetCapabilities { sections, .. } => {
                Request::GetCapabilities { sections, language }
            }
            other => other,
        })
    });
    match req {
        Ok(r) => serve(&state, &headers, r),
        Err(e) => exception(&e),
    }
}

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if body.len() > csw::MAX_BODY {
        return exception(&OgcError::invalid(
            "request",
            format!("request body over {} bytes", csw::MAX_BODY),
        ));
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return exception(&OgcError::invalid(
            "request",
            "the request body is not UTF-8",
        ));
    };
    match csw::parse_xml(text) {
        Ok(r) => serve(&state, &headers, r),
        Err(e) => exception(&e),
    }
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A record as a response holds it.
fn render(
    state: &AppState,
    headers: &HeaderMap,
    base: &str,
    e: &Entry,
    schema: OutputSchema,
    elements: &Elements,
) -> Result<String, OgcError> {
    match schema {
        OutputSchema::Iso => Ok(csw::embedded(&catalog::iso(state, headers, base, e)).to_string()),
        OutputSchema::Csw => {
            let mut x = Xml::default();
            csw::write_dc(&mut x, &e.record, elements, base)?;
            Ok(x.finish())
        }
    }
}

fn serve(state: &AppState, headers: &HeaderMap, req: Request) -> Response {
    match answer(state, headers, req) {
        Ok(body) => xml(StatusCode::OK, body),
        Err(e) => exception(&e),
    }
}

fn answer(state: &AppState, headers: &HeaderMap, req: Request) -> Result<String, OgcError> {
    let base = base_url(state, headers);
    match req {
        Request::GetCapabilities { sections, language } => {
            let lang = Language::from_param(language.as_deref());
            let svc = &state.inner.config.service;
            let (title, abstract_) = svc.texts(lang == Language::Eng);
            let endpoint = format!("{base}/csw");
            let metadata_url = catalog::describes_own_data(state, headers)
                .then(|| record_url(&base, catalog::CSW_RECORD_ID));
            Ok(csw::capabilities(
                &csw::Service {
                    title,
                    abstract_,
                    keywords: &[
                        "catalogue",
                        "CSW",
                        "métadonnées",
                        "INSPIRE",
                        "infoCatalogueService",
                    ],
                    provider: &svc.provider_name,
                    email: &svc.contact_email,
                    endpoint: &endpoint,
                    metadata_url: metadata_url.as_deref(),
                    languages: &["fre", "eng"],
                    response_language: lang.code(),
                },
                &sections,
            ))
        }
        Request::DescribeRecord { types } => Ok(csw::describe_record(&types)),
        Request::GetRecordById { ids, set, schema } => {
            let entries = catalog::entries(state, headers, &base);
            let mut out = Vec::new();
            for id in &ids {
                if let Some(e) = entries.iter().find(|e| &e.record.id == id) {
                    out.push(render(
                        state,
                        headers,
                        &base,
                        e,
                        schema,
                        &Elements::Set(set),
                    )?);
                }
            }
            Ok(csw::by_id_response(&out))
        }
        Request::GetRecords(q) => {
            if q.result_type == ResultType::Validate {
                return Ok(csw::acknowledgement(&q, &now()));
            }
            let entries = catalog::entries(state, headers, &base);
            let mut hits: Vec<&Entry> = entries
                .iter()
                .filter(|e| query::eval(&q.condition, &e.record))
                .collect();
            if !q.sort.is_empty() {
                hits.sort_by(|a, b| query::compare(&a.record, &b.record, &q.sort));
            }
            let matched = hits.len();
            let mut page = Vec::new();
            if q.result_type == ResultType::Results {
                for e in hits.iter().skip(q.start - 1).take(q.max) {
                    page.push(render(state, headers, &base, e, q.schema, &q.elements)?);
                }
            }
            Ok(csw::records_response(&q, matched, &page, &now()))
        }
        Request::GetDomain {
            parameter,
            property,
            property_name,
        } => {
            let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
            if let Some(p) = property {
                for e in catalog::entries(state, headers, &base) {
                    // A type counts once, as written (the values a filter
                    // also matches, `dataset` for a DCMI Dataset, are not listed).
                    let vals = match p {
                        query::Queryable::Type => vec![e.record.type_word().to_string()],
                        _ => query::values(&e.record, p),
                    };
                    for v in vals {
                        *counts.entry(v).or_default() += 1;
                    }
                }
            }
            let values: Vec<(String, usize)> = counts.into_iter().collect();
            csw::domain_response(parameter.as_deref(), &property_name, &values)
        }
    }
}
