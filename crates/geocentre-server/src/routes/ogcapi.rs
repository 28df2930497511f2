//! OGC API – Features (Part 1, core and GeoJSON) at `/ogcapi`: the landing
//! page, conformance, collections (one per vector layer, `{dataset}.{layer}`)
//! and their items, in JSON and in HTML (French). CRS84 output.

use crate::access::principal;
use crate::error::ApiError;
use crate::state::AppState;
use crate::urls::{base_url, urlencode};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_features::store::{FeatureQuery, StoreError, MAX_LIMIT};
use geocentre_ogc::xml::esc;
use geocentre_registry::authz::{self, VectorView};
use geocentre_registry::Authorized;
use serde_json::{json, Value};

const DEFAULT_LIMIT: u64 = 10;
/// Published extents are rounded outward to this (degrees, ~1 cm).
const EXTENT_STEP: f64 = 1e-7;
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

fn epsg_uri(code: u32) -> String {
    format!("http://www.opengis.net/def/crs/EPSG/0/{code}")
}

/// The CRSs a collection is offered in (Part 2): CRS84 first (the
/// default), WGS 84 in its own lat/lon order, Lambert-93, Web Mercator,
/// and the storage CRS. A table without geometry (some PCRS feature
/// classes) has no coordinates to give in any CRS (its WFS feature type
/// says wfs:NoCRS): only the default is listed, since Part 2 wants a `crs`
/// list on every collection (an empty one broke CITE's
/// ets-ogcapi-features10, which then found no CRS for it at all).
fn offered_crs(v: &VectorView) -> Vec<String> {
    if !v.has_geometry() {
        return vec![CRS84.to_string()];
    }
    let mut out = vec![
        CRS84.to_string(),
        epsg_uri(4326),
        epsg_uri(2154),
        epsg_uri(3857),
    ];
    let storage = epsg_uri(v.layer.srid as u32);
    if v.layer.srid > 0 && !out.contains(&storage) {
        out.push(storage);
    }
    out
}

/// A CRS URI as (EPSG code, axes in the CRS's own order).
fn parse_crs_uri(v: &VectorView, uri: &str) -> Result<(u32, bool), ApiError> {
    if !offered_crs(v).iter().any(|c| c == uri) {
        return Err(ApiError::bad_request(format!(
            "CRS '{uri}' is not offered for this collection (see its 'crs' list)"
        )));
    }
    if uri == CRS84 {
        return Ok((4326, false));
    }
    let code: u32 = uri
        .rsplit('/')
        .next()
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| ApiError::bad_request(format!("CRS '{uri}' is not understood")))?;
    // Geographic EPSG CRSs are latitude first; the projected ones offered
    // here are easting first, as GeoJSON writes them anyway.
    Ok((code, code == 4326))
}

/// The query's pairs, decoded strictly (bytes that are not UTF-8 are
/// refused, not replaced) and as many as the KVP services take: past that
/// a request is refused before anything is read (a thousand equality
/// filters once made the store count -1).
fn query_pairs(raw: Option<String>) -> Result<Vec<(String, String)>, ApiError> {
    geocentre_ogc::kvp::decode_query(raw.as_deref().unwrap_or(""), geocentre_ogc::kvp::MAX_PARAMS)
        .map_err(|e| bad(e.to_string()))
}

fn wants_html(headers: &HeaderMap, q: &[(String, String)]) -> bool {
    match q.iter().find(|(k, _)| k == "f").map(|(_, v)| v.as_str()) {
        Some("html") => true,
        Some(_) => false,
        None => headers
            .get(header::ACCEPT)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|a| a.contains("text/html")),
    }
}

fn json_response(v: &Value, ctype: &'static str) -> Response {
    let mut r = v.to_string().into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r
}

fn html_response(title: &str, body: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:sans-serif;margin:2rem;max-width:70rem}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}}</style></head>\
         <body><h1>{t}</h1>{body}</body></html>\n",
        t = esc(title)
    );
    let mut r = page.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

fn link(href: String, rel: &str, ty: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": ty, "title": title})
}

pub async fn landing(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = query_pairs(q)?;
    let base = format!("{}/ogcapi", base_url(&state, &headers));
    let svc = &state.inner.config.service;
    if wants_html(&headers, &q) {
        let body = format!(
            "<p>{}</p><ul><li><a href=\"{base}/collections?f=html\">Collections</a></li>\
             <li><a href=\"{base}/conformance?f=html\">Conformité</a></li></ul>",
            esc(&svc.abstract_)
        );
        return Ok(html_response(&svc.title, &body));
    }
    let v = json!({
        "title": svc.title,
        "description": svc.abstract_,
        "links": [
            link(format!("{base}?f=json"), "self", "application/json", "Cette page"),
            link(format!("{base}?f=html"), "alternate", "text/html", "Cette page en HTML"),
            link(format!("{base}/conformance"), "conformance", "application/json", "Conformité"),
            link(format!("{base}/api"), "service-desc", "application/vnd.oai.openapi+json;version=3.0", "Définition OpenAPI"),
            link(format!("{base}/collections"), "data", "application/json", "Collections"),
        ],
    });
    Ok(json_response(&v, "application/json"))
}

const CONFORMANCE: [&str; 12] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
];

pub async fn conformance(headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let q = query_pairs(q)?;
    if wants_html(&headers, &q) {
        let items: String = CONFORMANCE
            .iter()
            .map(|c| format!("<li>{}</li>", esc(c)))
            .collect();
        return Ok(html_response("Conformité", &format!("<ul>{items}</ul>")));
    }
    Ok(json_response(
        &json!({ "conformsTo": CONFORMANCE }),
        "application/json",
    ))
}

fn collection_id(v: &VectorView) -> String {
    format!("{}.{}", v.dataset.name(), v.layer.name)
}

fn collection_json(base: &str, v: &VectorView) -> Value {
    let id = collection_id(v);
    // Rounded outward to 1e-7 degrees (~1 cm): the extent must hold every
    // feature, and the features are reprojected apart from it.
    let b = geocentre_core::bbox::outward(v.layer.bbox_wgs84, EXTENT_STEP);
    // A layer without geometry has no spatial extent (not null island).
    let extent = if v.layer.srid > 0 {
        json!({"spatial": {"bbox": [b], "crs": CRS84}})
    } else {
        json!({})
    };
    let mut c = json!({
        "id": id,
        "title": format!("{} — {}", v.dataset.title(), v.layer.title),
        "itemType": "feature",
        "extent": extent,
        "crs": offered_crs(v),
        "links": [
            link(format!("{base}/collections/{id}"), "self", "application/json", "Cette collection"),
            link(format!("{base}/collections/{id}?f=html"), "alternate", "text/html", "Cette collection en HTML"),
            link(format!("{base}/collections/{id}/items"), "items", "application/geo+json", "Les entités"),
            link(format!("{base}/collections/{id}/items?f=html"), "items", "text/html", "Les entités (HTML)"),
            link(format!("{base}/collections/{id}/queryables"), "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Propriétés interrogeables"),
        ],
    });
    // A table without geometry has no storage CRS (EPSG/0/0 is none).
    if v.has_geometry() {
        c["storageCrs"] = json!(epsg_uri(v.layer.srid as u32));
    }
    c
}

fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<Authorized<VectorView>, ApiError> {
    let (dataset, layer) = id
        .split_once('.')
        .ok_or_else(|| ApiError::not_found(format!("no collection '{id}'")))?;
    authz::resolve_vector(&state.snapshot(), &principal(headers), dataset, layer)
        .map_err(|_| ApiError::not_found(format!("no collection '{id}'")))
}

pub async fn collections(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = query_pairs(q)?;
    let base = format!("{}/ogcapi", base_url(&state, &headers));
    let views = authz::visible_vector_layers(&state.snapshot(), &principal(&headers));
    if wants_html(&headers, &q) {
        let rows: String = views
            .iter()
            .map(|v| {
                let id = collection_id(v);
                format!(
                    "<tr><td><a href=\"{base}/collections/{id}/items?f=html\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&id),
                    esc(&v.layer.title),
                    esc(&v.layer.geometry_type),
                    v.layer.feature_count
                )
            })
            .collect();
        return Ok(html_response(
            "Collections",
            &format!("<table><tr><th>Identifiant</th><th>Titre</th><th>Géométrie</th><th>Entités</th></tr>{rows}</table>"),
        ));
    }
    let list: Vec<Value> = views.iter().map(|v| collection_json(&base, v)).collect();
    Ok(json_response(
        &json!({
            "links": [
                link(format!("{base}/collections"), "self", "application/json", "Collections"),
                link(format!("{base}/collections?f=html"), "alternate", "text/html", "Collections en HTML"),
            ],
            "collections": list,
        }),
        "application/json",
    ))
}

pub async fn collection(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = query_pairs(q)?;
    let view = resolve(&state, &headers, &id)?;
    let base = format!("{}/ogcapi", base_url(&state, &headers));
    if wants_html(&headers, &q) {
        let fields: String = view
            .layer
            .fields
            .iter()
            .map(|f| {
                format!(
                    "<tr><td>{}</td><td>{}</td></tr>",
                    esc(&f.name),
                    esc(&f.kind)
                )
            })
            .collect();
        return Ok(html_response(
            &view.layer.title,
            &format!(
                "<p><a href=\"{base}/collections/{id}/items?f=html\">Entités</a> ({})</p><table><tr><th>Propriété</th><th>Type</th></tr>{fields}</table>",
                view.layer.feature_count
            ),
        ));
    }
    Ok(json_response(
        &collection_json(&base, &view),
        "application/json",
    ))
}

/// JSON Schema type of an OGR field type.
fn json_type(kind: &str) -> &'static str {
    match kind {
        "Integer" | "Integer64" => "integer",
        "Real" => "number",
        _ => "string",
    }
}

/// The properties a client may filter on (Part 3 queryables), as JSON
/// Schema.
pub async fn queryables(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = resolve(&state, &headers, &id)?;
    let base = format!("{}/ogcapi", base_url(&state, &headers));
    let mut props = serde_json::Map::new();
    for f in &view.layer.fields {
        // The delivered name when ingest had to rename the field.
        let title = f.title.as_deref().unwrap_or(&f.name);
        let mut p = json!({"title": title, "type": json_type(&f.kind)});
        match f.kind.as_str() {
            "Date" => p["format"] = "date".into(),
            "DateTime" => p["format"] = "date-time".into(),
            _ => {}
        }
        props.insert(f.name.clone(), p);
    }
    if view.layer.srid > 0 {
        props.insert(
            "geometry".into(),
            json!({"format": "geometry-any", "x-ogc-role": "primary-geometry"}),
        );
    }
    let body = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}/collections/{id}/queryables"),
        "type": "object",
        "title": view.layer.title,
        "properties": props,
        "additionalProperties": false,
    });
    Ok(json_response(&body, "application/schema+json"))
}

/// The OpenAPI 3.0 definition of this API, with the collections served.
pub async fn openapi(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = format!("{}/ogcapi", base_url(&state, &headers));
    let ids: Vec<String> = authz::visible_vector_layers(&state.snapshot(), &principal(&headers))
        .iter()
        .map(|v| collection_id(v))
        .collect();
    // Query parameters are `style: form, explode: false` (a list is one
    // comma-separated value), as Part 1 defines bbox, limit and datetime.
    let param = |name: &str, desc: &str, schema: Value| json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema, "style": "form", "explode": false});
    let collection_id_param = json!({"name": "collectionId", "in": "path", "required": true,
        "schema": {"type": "string", "enum": ids}});
    let ok = |desc: &str, ty: &str| json!({"200": {"description": desc, "content": {ty: {}}}});
    let items_params = vec![
        collection_id_param.clone(),
        param(
            "bbox",
            "minx,miny,maxx,maxy, or six numbers with heights (CRS84 unless bbox-crs); in CRS84 a box across the antimeridian has minx > maxx",
            json!({"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 6}),
        ),
        param(
            "datetime",
            "an RFC 3339 date or date-time, or an interval a/b (`..` or empty for an open end): features whose temporal property meets it; ignored by a collection without one",
            json!({"type": "string"}),
        ),
        param("bbox-crs", "CRS of bbox (URI)", json!({"type": "string"})),
        param(
            "crs",
            "CRS of the returned geometries (URI)",
            json!({"type": "string"}),
        ),
        param(
            "limit",
            "features per page",
            json!({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
        ),
        param(
            "offset",
            "first feature (0-based)",
            json!({"type": "integer", "minimum": 0, "default": 0}),
        ),
        param(
            "properties",
            "properties to return, comma-separated",
            json!({"type": "array", "items": {"type": "string"}}),
        ),
        param(
            "f",
            "json or html",
            json!({"type": "string", "enum": ["json", "html"]}),
        ),
    ];
    let body = json!({
        "openapi": "3.0.3",
        "info": {"title": state.inner.config.service.title, "version": env!("CARGO_PKG_VERSION"),
                 "description": "OGC API – Features (Part 1 core, GeoJSON, HTML; Part 2 CRS). Any property of a collection can also be given as property=value."},
        "servers": [{"url": base}],
        "paths": {
            "/": {"get": {"summary": "Landing page", "responses": ok("landing page", "application/json")}},
            "/conformance": {"get": {"summary": "Conformance classes", "responses": ok("conformance", "application/json")}},
            "/api": {"get": {"summary": "This document", "responses": ok("OpenAPI 3.0", "application/vnd.oai.openapi+json;version=3.0")}},
            "/collections": {"get": {"summary": "Collections", "responses": ok("collections", "application/json")}},
            "/collections/{collectionId}": {"get": {"summary": "A collection", "parameters": [collection_id_param.clone()], "responses": ok("collection", "application/json")}},
            "/collections/{collectionId}/queryables": {"get": {"summary": "Queryable properties", "parameters": [collection_id_param.clone()], "responses": ok("JSON Schema", "application/schema+json")}},
            "/collections/{collectionId}/items": {"get": {"summary": "Features", "parameters": items_params, "responses": ok("features", "application/geo+json")}},
            "/collections/{collectionId}/items/{featureId}": {"get": {"summary": "A feature", "parameters": [collection_id_param, {"name": "featureId", "in": "path", "required": true, "schema": {"type": "integer"}}, param("crs", "CRS of the geometry (URI)", json!({"type": "string"}))], "responses": ok("feature", "application/geo+json")}},
        },
    });
    json_response(&body, "application/vnd.oai.openapi+json;version=3.0")
}

fn bad(detail: impl Into<String>) -> ApiError {
    ApiError::bad_request(detail)
}

fn parse_query(view: &VectorView, q: &[(String, String)]) -> Result<FeatureQuery, ApiError> {
    let mut fq = FeatureQuery {
        limit: DEFAULT_LIMIT,
        out_epsg: 4326,
        bbox_epsg: 4326,
        ..Default::default()
    };
    let mut bbox_lat_first = false;
    let (mut filter, mut filter_lang, mut filter_epsg) = (None, None, 4326);
    let mut datetime = None;
    for (k, v) in q {
        match k.as_str() {
            "f" => {}
            "filter" => filter = Some(v.as_str()),
            "filter-lang" => filter_lang = Some(v.as_str()),
            "datetime" => datetime = Some(v.as_str()),
            "filter-crs" => filter_epsg = parse_crs_uri(view, v)?.0,
            "crs" => (fq.out_epsg, fq.authority_axes) = parse_crs_uri(view, v)?,
            "bbox-crs" => (fq.bbox_epsg, bbox_lat_first) = parse_crs_uri(view, v)?,
            "limit" => {
                fq.limit = v
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| bad(format!("limit must be between 1 and {MAX_LIMIT}")))?
            }
            "offset" => {
                fq.offset = v
                    .parse::<u64>()
                    .map_err(|_| bad("offset must be a non-negative integer"))?
            }
            "bbox" => {
                let n: Vec<f64> = v
                    .split(',')
                    .map(|s| s.trim().parse::<f64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad("bbox must be four or six numbers"))?;
                // Six numbers are a 3D box (min x, y, z, max x, y, z):
                // the heights are not filtered on (features are 2D here).
                fq.bbox = Some(match n[..] {
                    [a, b, c, d] => [a, b, c, d],
                    [a, b, _, d, e, _] => [a, b, d, e],
                    _ => return Err(bad(
                        "bbox must be minlon,minlat,maxlon,maxlat (or six numbers with heights)",
                    )),
                });
            }
            "properties" => {
                fq.properties = Some(
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            name if view.layer.fields.iter().any(|f| f.name == name) => {
                if v.contains('\0') {
                    return Err(bad(format!(
                        "the value of '{name}' contains a NUL character"
                    )));
                }
                fq.equals.push((name.to_string(), v.clone()))
            }
            other => return Err(bad(format!("unknown query parameter '{other}'"))),
        }
    }
    if let Some(b) = fq.bbox {
        let b = if bbox_lat_first {
            [b[1], b[0], b[3], b[2]]
        } else {
            b
        };
        // In a geographic CRS (CRS84 by default) a box may cross the
        // antimeridian (min lon > max lon, /req/core/fc-bbox-definition):
        // the store splits it in two.
        let geographic = fq.bbox_epsg == 4326;
        fq.bbox = Some(
            if geographic {
                geocentre_core::bbox::checked_lon_lat(b)
            } else {
                geocentre_core::bbox::checked(b)
            }
            .map_err(|e| bad(format!("bbox: {e}")))?,
        );
    }
    if let Some(text) = filter {
        let parsed = match filter_lang {
            Some("cql2-json") => geocentre_filter::expr::from_cql2_json(text, filter_epsg),
            Some("cql2-text") => geocentre_filter::cql2_text::from_cql2_text(text, filter_epsg),
            // The standard's default is text; a JSON object is taken as JSON.
            None if text.trim_start().starts_with('{') => {
                geocentre_filter::expr::from_cql2_json(text, filter_epsg)
            }
            None => geocentre_filter::cql2_text::from_cql2_text(text, filter_epsg),
            Some(lang) => {
                return Err(bad(format!(
                    "filter-lang '{lang}' is not supported: use cql2-text or cql2-json"
                )))
            }
        };
        fq.filter = Some(parsed.map_err(|e| bad(format!("filter: {e}")))?);
    }
    if let Some(e) = datetime
        .map(|dt| datetime_filter(view, dt))
        .transpose()?
        .flatten()
    {
        fq.filter = Some(match fq.filter.take() {
            Some(f) => geocentre_filter::expr::Expr::And(vec![f, e]),
            None => e,
        });
    }
    Ok(fq)
}

/// The property `datetime` applies to: the first Date or DateTime field,
/// else the first text field named `date…` (PCRS GML's `dateLeve` is an
/// ISO date that GDAL's GML reader types as text).
fn temporal_property(view: &VectorView) -> Option<&geocentre_registry::vector::FieldDef> {
    let fields = &view.layer.fields;
    fields
        .iter()
        .find(|f| f.kind == "Date" || f.kind == "DateTime")
        .or_else(|| {
            fields
                .iter()
                .find(|f| f.kind == "String" && f.name.to_ascii_lowercase().starts_with("date"))
        })
}

/// `datetime` (an instant, or an interval `a/b` with `..` or nothing for
/// an open end) as a filter on the layer's temporal property. Values are
/// RFC 3339 dates or date-times; a date-time compared with a Date field
/// is cut to its day, a day compared with a DateTime field covers it.
/// A collection without a temporal property has no filter (None): the
/// value is checked, then every feature is kept ("Only features that have
/// a temporal geometry that intersects [it] SHALL be part of the result
/// set, if the collection includes temporal information",
/// /req/core/fc-time-response; CITE's ets-ogcapi-features10 asks it of
/// every collection). It used to be refused (400).
fn datetime_filter(
    view: &VectorView,
    dt: &str,
) -> Result<Option<geocentre_filter::expr::Expr>, ApiError> {
    use geocentre_filter::expr::{CmpOp, Expr, Literal};
    let field = temporal_property(view);
    let is_datetime = field.is_some_and(|f| f.kind == "DateTime");
    // RFC 3339 dates or date-times, read strictly: an impossible date is
    // refused rather than compared (it matched nothing).
    let read = |t: &str| -> Result<Option<geocentre_core::datetime::Moment>, ApiError> {
        if t.is_empty() || t == ".." {
            return Ok(None);
        }
        let refused = |why: String| {
            bad(format!(
                "datetime: '{t}' is not an RFC 3339 date or date-time: {why}"
            ))
        };
        let m = geocentre_core::datetime::parse(t).map_err(|e| refused(e.to_string()))?;
        if m.precision < geocentre_core::datetime::Precision::Day {
            return Err(refused("a whole date is needed".into()));
        }
        Ok(Some(m))
    };
    let (a, b) = dt.split_once('/').unwrap_or((dt, dt));
    let (start, end) = (read(a)?, read(b)?);
    if let (Some(s), Some(e)) = (start, end) {
        if s.first > e.last {
            return Err(bad(format!(
                "datetime: the interval '{dt}' ends before it starts"
            )));
        }
    }
    // Bound values written as the field holds them.
    let bound =
        |t: &str, m: Option<geocentre_core::datetime::Moment>, end: bool| -> Option<Literal> {
            let m = m?;
            Some(Literal::Str(if !is_datetime {
                t[..10].to_string()
            } else if m.precision == geocentre_core::datetime::Precision::Day {
                format!(
                    "{t}T{}+00:00",
                    if end { "23:59:59.999" } else { "00:00:00" }
                )
            } else {
                t.replace(['Z', 'z'], "+00:00")
            }))
        };
    if start.is_none() && end.is_none() {
        return Err(bad("datetime: an interval needs at least one end"));
    }
    let Some(field) = field else {
        return Ok(None);
    };
    let (start, end) = (bound(a, start, false), bound(b, end, true));
    let prop = field.name.clone();
    let cmp = |op, value| Expr::Cmp {
        prop: prop.clone(),
        op,
        value,
    };
    Ok(Some(match (start, end) {
        (Some(a), Some(b)) => Expr::And(vec![cmp(CmpOp::Ge, a), cmp(CmpOp::Le, b)]),
        (Some(a), None) => cmp(CmpOp::Ge, a),
        (None, Some(b)) => cmp(CmpOp::Le, b),
        (None, None) => return Err(bad("datetime: an interval needs at least one end")),
    }))
}

/// The response's Content-Crs header (Part 2), as `<uri>`.
fn with_content_crs(mut r: Response, epsg: u32, authority_axes: bool) -> Response {
    let uri = if epsg == 4326 && !authority_axes {
        CRS84.to_string()
    } else {
        epsg_uri(epsg)
    };
    if let Ok(v) = HeaderValue::from_str(&format!("<{uri}>")) {
        r.headers_mut().insert("content-crs", v);
    }
    r
}

fn store_failure(e: StoreError) -> ApiError {
    match e {
        StoreError::UnknownProperty(p) => bad(format!("unknown property '{p}'")),
        StoreError::BboxCrs(..) => bad(format!("bbox-crs: {e}")),
        StoreError::Filter(f) => bad(format!("filter: {f}")),
        e => {
            if let Some(u) = crate::error::store_unavailable(&e, false) {
                return u;
            }
            tracing::error!("feature store: {e}");
            ApiError::internal("internal error while reading features")
        }
    }
}

/// A page of features as the response format needs it.
enum Page {
    Values(geocentre_features::store::FeaturePage),
    Text(geocentre_features::store::GeoJsonPage),
}

pub async fn items(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = query_pairs(q)?;
    let view = resolve(&state, &headers, &id)?;
    let fq = parse_query(&view, &q)?;
    let html = wants_html(&headers, &q);
    let store = state.inner.features.clone();
    let (v, mut fq_c) = (view.clone(), fq.clone());
    // JSON pages are written as text by the store; the HTML table needs
    // the values, not the geometries.
    fq_c.skip_geometry |= html;
    let page = tokio::task::spawn_blocking(move || {
        if html {
            store.query(&v, &fq_c).map(Page::Values)
        } else {
            store.query_geojson(&v, &fq_c).map(Page::Text)
        }
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(store_failure)?;
    let base = format!(
        "{}/ogcapi/collections/{id}/items",
        base_url(&state, &headers)
    );
    let keep: Vec<String> = q
        .iter()
        .filter(|(k, _)| k != "offset" && k != "f")
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect();
    let page_url = |offset: u64, f: &str| {
        let mut parts = keep.clone();
        parts.push(format!("offset={offset}"));
        parts.push(format!("f={f}"));
        format!("{base}?{}", parts.join("&"))
    };
    let (returned, number_matched) = match &page {
        Page::Values(p) => (p.features.len() as u64, p.number_matched),
        Page::Text(p) => (p.returned, p.number_matched),
    };
    if let Page::Values(page) = &page {
        let names: Vec<String> = match &fq.properties {
            Some(p) => p.clone(),
            None => view.layer.fields.iter().map(|f| f.name.clone()).collect(),
        };
        let head: String = names
            .iter()
            .map(|n| format!("<th>{}</th>", esc(n)))
            .collect();
        let rows: String = page
            .features
            .iter()
            .map(|f| {
                let cells: String = names
                    .iter()
                    .map(|n| {
                        let v = &f["properties"][n];
                        let text = match v {
                            Value::String(s) => s.clone(),
                            Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        format!("<td>{}</td>", esc(&text))
                    })
                    .collect();
                format!("<tr><td>{}</td>{cells}</tr>", f["id"])
            })
            .collect();
        let mut nav = String::new();
        if fq.offset > 0 {
            nav.push_str(&format!(
                "<a href=\"{}\">← précédentes</a> ",
                esc(&page_url(fq.offset.saturating_sub(fq.limit), "html"))
            ));
        }
        if returned > 0 && fq.offset + returned < page.number_matched {
            nav.push_str(&format!(
                "<a href=\"{}\">suivantes →</a>",
                esc(&page_url(fq.offset + returned, "html"))
            ));
        }
        return Ok(html_response(
            &view.layer.title,
            &format!(
                "<p>{} entité(s) correspondent, {} affichée(s) à partir de {}.</p><p>{nav}</p><table><tr><th>id</th>{head}</tr>{rows}</table>",
                page.number_matched, returned, fq.offset
            ),
        ));
    }
    let mut links = vec![
        link(
            page_url(fq.offset, "json"),
            "self",
            "application/geo+json",
            "Cette page",
        ),
        link(
            page_url(fq.offset, "html"),
            "alternate",
            "text/html",
            "Cette page en HTML",
        ),
    ];
    if returned > 0 && fq.offset + returned < number_matched {
        links.push(link(
            page_url(fq.offset + returned, "json"),
            "next",
            "application/geo+json",
            "Page suivante",
        ));
    }
    if fq.offset > 0 {
        links.push(link(
            page_url(fq.offset.saturating_sub(fq.limit), "json"),
            "prev",
            "application/geo+json",
            "Page précédente",
        ));
    }
    let Page::Text(page) = page else {
        return Err(ApiError::internal("feature page not written as GeoJSON"));
    };
    let mut head = serde_json::Map::new();
    head.insert("type".into(), json!("FeatureCollection"));
    head.insert("numberMatched".into(), json!(number_matched));
    head.insert("numberReturned".into(), json!(returned));
    // When the response was made (/req/core/fc-timeStamp, optional).
    head.insert(
        "timeStamp".into(),
        json!(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    );
    head.insert("links".into(), json!(links));
    let r = crate::geojson_body::feature_collection(head, &page);
    Ok(with_content_crs(r, fq.out_epsg, fq.authority_axes))
}

pub async fn item(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, fid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = query_pairs(q)?;
    let view = resolve(&state, &headers, &id)?;
    let fid: u64 = fid
        .parse()
        .map_err(|_| ApiError::not_found(format!("no feature '{fid}' in '{id}'")))?;
    let (mut epsg, mut authority) = (4326, false);
    for (k, v) in &q {
        match k.as_str() {
            "f" => {}
            "crs" => (epsg, authority) = parse_crs_uri(&view, v)?,
            other => return Err(bad(format!("unknown query parameter '{other}'"))),
        }
    }
    let store = state.inner.features.clone();
    let v = view.clone();
    let mut feature = tokio::task::spawn_blocking(move || store.feature(&v, fid, epsg, authority))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(store_failure)?
        .ok_or_else(|| ApiError::not_found(format!("no feature {fid} in '{id}'")))?;
    if wants_html(&headers, &q) {
        let rows: String = feature["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                format!("<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&text))
            })
            .collect();
        let base = format!("{}/ogcapi/collections/{id}", base_url(&state, &headers));
        return Ok(html_response(
            &format!("{} — entité {fid}", view.layer.title),
            &format!(
                "<p><a href=\"{base}/items?f=html\">Toutes les entités</a></p><table>{rows}</table>"
            ),
        ));
    }
    // /req/core/f-links: this document, its other encodings, and the
    // collection it belongs to. The CRS asked for is kept in both links.
    let base = format!("{}/ogcapi/collections/{id}", base_url(&state, &headers));
    let crs_part: String = q
        .iter()
        .filter(|(k, _)| k == "crs")
        .map(|(k, v)| format!("&{k}={}", urlencode(v)))
        .collect();
    feature["links"] = json!([
        link(
            format!("{base}/items/{fid}?f=json{crs_part}"),
            "self",
            "application/geo+json",
            "Cette entité"
        ),
        link(
            format!("{base}/items/{fid}?f=html"),
            "alternate",
            "text/html",
            "Cette entité en HTML"
        ),
        link(
            base.clone(),
            "collection",
            "application/json",
            "La collection"
        ),
    ]);
    Ok(with_content_crs(
        json_response(&feature, "application/geo+json"),
        epsg,
        authority,
    ))
}
