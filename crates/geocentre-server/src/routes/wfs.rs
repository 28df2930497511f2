//! WFS 2.0.0 at `/wfs` (KVP): GetCapabilities, DescribeFeatureType and
//! GetFeature (TYPENAMES, RESOURCEID, BBOX with its CRS, COUNT/STARTINDEX
//! paging, SRSNAME, GML 3.2 or GeoJSON). Feature types are
//! `gc:{dataset}.{layer}`, read through the same feature store and
//! authorization point as OGC API Features.

use super::{base_url, principal, urlencode};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use geocentre_catalog::authz::{self, VectorView};
use geocentre_catalog::Authorized;
use geocentre_core::crs_name::epsg_code;
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wfs::{self, Collection, FeatureTypeInfo, GmlFeature, Property, ServiceInfo};
use geocentre_ogc::{OgcError, OwsCode};
use geocentre_vector::store::{FeatureQuery, StoreError, MAX_LIMIT};

/// Features per response when COUNT is not given.
const DEFAULT_COUNT: u64 = 1_000;

fn type_name(v: &VectorView) -> String {
    format!("{}.{}", v.dataset.name(), v.layer.name)
}

fn xml(body: String, ctype: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r
}

fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    locator: &str,
) -> Result<Authorized<VectorView>, OgcError> {
    // The prefix is optional; any other prefix is a different namespace.
    let local = match name.split_once(':') {
        Some(("gc", l)) => l,
        Some(_) => "",
        None => name,
    };
    let not_found = || {
        OgcError::new(
            OwsCode::InvalidParameterValue,
            Some(locator),
            format!("unknown feature type '{name}'"),
        )
    };
    let (dataset, layer) = local.split_once('.').ok_or_else(not_found)?;
    authz::resolve_vector(&state.snapshot(), &principal(headers), dataset, layer)
        .map_err(|_| not_found())
}

pub async fn kvp(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let k = Kvp::parse(q)?;
    let request = k.require("REQUEST")?;
    let service = k.require("SERVICE")?;
    if !service.eq_ignore_ascii_case("WFS") {
        return Err(OgcError::invalid("SERVICE", format!("service '{service}' is not WFS")).into());
    }
    match request.to_ascii_lowercase().as_str() {
        "getcapabilities" => Ok(capabilities(&state, &headers)),
        "describefeaturetype" | "getfeature" => {
            let version = k.get("VERSION").unwrap_or("2.0.0");
            if version != "2.0.0" {
                return Err(OgcError::new(
                    OwsCode::InvalidParameterValue,
                    Some("VERSION"),
                    format!("version {version} is not supported: use 2.0.0"),
                )
                .into());
            }
            if request.eq_ignore_ascii_case("getfeature") {
                get_feature(&state, &headers, &k).await
            } else {
                describe(&state, &headers, &k)
            }
        }
        _ => Err(OgcError::new(
            OwsCode::OperationNotSupported,
            Some("REQUEST"),
            format!("request '{request}' is not supported"),
        )
        .into()),
    }
}

fn capabilities(state: &AppState, headers: &HeaderMap) -> Response {
    let base = base_url(state, headers);
    let svc = &state.inner.config.service;
    let views = authz::visible_vector_layers(&state.snapshot(), &principal(headers));
    let names: Vec<String> = views.iter().map(|v| type_name(v)).collect();
    let types: Vec<FeatureTypeInfo> = views
        .iter()
        .zip(&names)
        .map(|(v, n)| FeatureTypeInfo {
            name: n,
            title: &v.layer.title,
            default_epsg: v.layer.srid as u32,
            wgs84: (v.layer.srid > 0).then_some(v.layer.bbox_wgs84),
        })
        .collect();
    let doc = wfs::capabilities(
        &ServiceInfo {
            title: &svc.title,
            abstract_: &svc.abstract_,
            provider_name: &svc.provider_name,
            provider_site: &svc.provider_site,
            contact_email: &svc.contact_email,
            base_url: &base,
        },
        &types,
    );
    xml(doc, "application/xml; charset=utf-8")
}

fn type_names(k: &Kvp) -> Result<Vec<String>, OgcError> {
    let raw = k
        .get("TYPENAMES")
        .or_else(|| k.get("TYPENAME"))
        .ok_or_else(|| OgcError::missing("TYPENAMES"))?;
    Ok(raw
        .split(',')
        .map(|s| {
            s.trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect())
}

fn describe(state: &AppState, headers: &HeaderMap, k: &Kvp) -> Result<Response, ApiError> {
    let views: Vec<Authorized<VectorView>> = match k.get("TYPENAMES").or_else(|| k.get("TYPENAME"))
    {
        None => authz::visible_vector_layers(&state.snapshot(), &principal(headers)),
        Some(_) => type_names(k)?
            .iter()
            .map(|n| resolve(state, headers, n, "TYPENAMES"))
            .collect::<Result<_, _>>()?,
    };
    let names: Vec<String> = views.iter().map(|v| type_name(v)).collect();
    let types: Vec<(&str, bool, Vec<Property>)> = views
        .iter()
        .zip(&names)
        .map(|(v, n)| {
            let props = v
                .layer
                .fields
                .iter()
                .map(|f| Property {
                    name: &f.name,
                    ogr_type: &f.kind,
                })
                .collect();
            (n.as_str(), v.layer.srid > 0, props)
        })
        .collect();
    Ok(xml(
        wfs::describe(&types),
        "application/gml+xml; version=3.2",
    ))
}

async fn get_feature(state: &AppState, headers: &HeaderMap, k: &Kvp) -> Result<Response, ApiError> {
    // Parameters not implemented yet are refused, never ignored: a client
    // must not get every feature believing its query was applied.
    for p in [
        "SORTBY",
        "PROPERTYNAME",
        "STOREDQUERY_ID",
        "RESOLVE",
        "RESOLVEDEPTH",
    ] {
        if k.get(p).is_some() {
            return Err(OgcError::new(
                OwsCode::OperationNotSupported,
                Some(p),
                format!("{p} is not supported yet"),
            )
            .into());
        }
    }
    if let Some(rt) = k.get("RESULTTYPE") {
        if !rt.eq_ignore_ascii_case("results") {
            return Err(OgcError::new(
                OwsCode::OperationNotSupported,
                Some("RESULTTYPE"),
                format!("RESULTTYPE={rt} is not supported yet"),
            )
            .into());
        }
    }
    let mut fq = FeatureQuery {
        limit: DEFAULT_COUNT,
        ..Default::default()
    };
    // RESOURCEID=type.fid picks one feature; otherwise TYPENAMES.
    let mut fid: Option<u64> = None;
    let view = if let Some(rid) = k.get("RESOURCEID") {
        let (tn, id) = rid
            .rsplit_once('.')
            .ok_or_else(|| OgcError::invalid("RESOURCEID", format!("'{rid}' is not type.fid")))?;
        fid =
            Some(id.parse().map_err(|_| {
                OgcError::invalid("RESOURCEID", format!("'{rid}' is not type.fid"))
            })?);
        resolve(state, headers, tn, "RESOURCEID")?
    } else {
        let names = type_names(k)?;
        match &names[..] {
            [one] => resolve(state, headers, one, "TYPENAMES")?,
            _ => {
                return Err(OgcError::new(
                    OwsCode::OperationNotSupported,
                    Some("TYPENAMES"),
                    "one feature type per GetFeature (joins are not supported)",
                )
                .into())
            }
        }
    };
    let srid = view.layer.srid as u32;
    let out_epsg = match k.get("SRSNAME") {
        None => srid,
        Some(s) => epsg_code(s)
            .filter(|c| *c == srid || wfs::OTHER_CRS.contains(c))
            .ok_or_else(|| OgcError::invalid("SRSNAME", format!("'{s}' is not offered")))?,
    };
    fq.out_epsg = if out_epsg == 0 { 4326 } else { out_epsg };
    if let Some(c) = k.get("COUNT").or_else(|| k.get("MAXFEATURES")) {
        fq.limit = c
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                OgcError::invalid("COUNT", format!("COUNT must be between 1 and {MAX_LIMIT}"))
            })?;
    }
    if let Some(s) = k.get("STARTINDEX") {
        fq.offset = s.parse().map_err(|_| {
            OgcError::invalid("STARTINDEX", "STARTINDEX must be a non-negative integer")
        })?;
    }
    if let Some(b) = k.get("BBOX") {
        let parts: Vec<&str> = b.split(',').collect();
        let nums: Vec<f64> = parts
            .iter()
            .take(4)
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| {
                OgcError::invalid("BBOX", "BBOX must be four numbers and an optional CRS")
            })?;
        let crs = match parts.get(4) {
            Some(c) => epsg_code(c)
                .ok_or_else(|| OgcError::invalid("BBOX", format!("unknown CRS '{c}'")))?,
            None => srid.max(1),
        };
        let [a, b2, c, d] = nums[..] else {
            return Err(
                OgcError::invalid("BBOX", "BBOX must be four numbers and an optional CRS").into(),
            );
        };
        // EPSG:4326 (as a URN) is latitude first.
        fq.bbox = Some(if crs == 4326 && parts.len() > 4 {
            [b2, a, d, c]
        } else {
            [a, b2, c, d]
        });
        fq.bbox_epsg = crs;
    } else {
        fq.bbox_epsg = 4326;
    }
    if let Some(f) = k.get("FILTER") {
        if k.get("BBOX").is_some() {
            return Err(
                OgcError::invalid("FILTER", "FILTER and BBOX are mutually exclusive").into(),
            );
        }
        fq.filter =
            Some(geocentre_vector::fes::parse(f, srid.max(1)).map_err(|e| filter_error(&e))?);
    }
    let format = k.get("OUTPUTFORMAT").unwrap_or(wfs::OUTPUT_FORMATS[0]);
    let json =
        format.eq_ignore_ascii_case("application/json") || format.eq_ignore_ascii_case("geojson");
    if !json
        && !wfs::OUTPUT_FORMATS
            .iter()
            .any(|f| f.eq_ignore_ascii_case(format))
    {
        return Err(OgcError::invalid("OUTPUTFORMAT", format!("'{format}' is not offered")).into());
    }
    let tn = type_name(&view);
    if !json {
        fq.gml_id_prefix = Some(tn.clone());
        // GML URNs for EPSG:4326 mean latitude first; OGR writes them so.
    }
    let store = state.inner.features.clone();
    let (v, fq_c) = (view.clone(), fq.clone());
    let page = tokio::task::spawn_blocking(move || match fid {
        None => store.query(&v, &fq_c),
        Some(id) => store.feature(&v, id, fq_c.out_epsg, false).map(|f| {
            geocentre_vector::store::FeaturePage {
                number_matched: u64::from(f.is_some()),
                features: f.into_iter().collect(),
                gml: Vec::new(),
            }
        }),
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(|e| match e {
        StoreError::UnknownProperty(p) => ApiError::from(OgcError::invalid(
            "PROPERTYNAME",
            format!("unknown property '{p}'"),
        )),
        StoreError::Filter(f) => ApiError::from(filter_error(&f)),
        e => {
            tracing::error!("feature store: {e}");
            ApiError::Ogc(OgcError::new(
                OwsCode::NoApplicableCode,
                None,
                "internal error while reading features",
            ))
        }
    })?;
    if json {
        let body = serde_json::json!({
            "type": "FeatureCollection",
            "numberMatched": page.number_matched,
            "numberReturned": page.features.len(),
            "features": page.features,
        });
        return Ok(xml(body.to_string(), "application/geo+json"));
    }
    let base = base_url(state, headers);
    let schema_url = format!(
        "{base}/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES=gc:{tn}"
    );
    let returned = page.features.len() as u64;
    let next = (returned > 0 && fq.offset + returned < page.number_matched).then(|| {
        let mut params: Vec<String> = k
            .pairs()
            .filter(|(key, _)| !key.eq_ignore_ascii_case("STARTINDEX"))
            .map(|(key, v)| format!("{key}={}", urlencode(v)))
            .collect();
        params.push(format!("STARTINDEX={}", fq.offset + returned));
        format!("{base}/wfs?{}", params.join("&"))
    });
    let names: Vec<&str> = view.layer.fields.iter().map(|f| f.name.as_str()).collect();
    let features: Vec<GmlFeature> = page
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| GmlFeature {
            id: format!("{tn}.{}", f["id"]),
            geometry: page.gml.get(i).cloned().flatten(),
            values: names
                .iter()
                .map(|n| match &f["properties"][*n] {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s.clone()),
                    other => Some(other.to_string()),
                })
                .collect(),
        })
        .collect();
    let now = time_stamp();
    let doc = wfs::feature_collection(
        &Collection {
            type_name: &tn,
            property_names: names,
            number_matched: page.number_matched,
            time_stamp: &now,
            schema_url: &schema_url,
            next: next.as_deref(),
        },
        &features,
    );
    Ok(xml(doc, "application/gml+xml; version=3.2"))
}

/// A bad filter (unknown property, syntax, bounds, a DTD): FES 2.0's
/// InvalidParameterValue on FILTER, with the reason.
fn filter_error(e: &geocentre_vector::filter::FilterError) -> OgcError {
    OgcError::invalid("FILTER", format!("filter: {e}"))
}

fn time_stamp() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
