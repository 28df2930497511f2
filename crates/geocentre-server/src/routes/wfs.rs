//! WFS 2.0.0 and 1.1.0 at `/wfs` (KVP and XML POST): GetCapabilities,
//! DescribeFeatureType and GetFeature (TYPENAMES, RESOURCEID / FEATUREID,
//! BBOX with its CRS, COUNT/MAXFEATURES/STARTINDEX, SRSNAME, FILTER, GML
//! 3.2 or 3.1.1, GeoJSON, CSV), and 2.0's GetPropertyValue and stored
//! queries. Both versions share one selection and one read; they differ in
//! parameter names, axis-order rules and the documents written. Feature
//! types are `gc:{dataset}.{layer}`, read through the same feature store
//! and authorization point as OGC API Features.

use crate::access::principal;
use crate::error::ApiError;
use crate::state::AppState;
use crate::urls::{base_url, urlencode};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geocentre_core::crs_name::epsg_code;
use geocentre_features::store::{FeaturePage, FeatureQuery, GeometryText, StoreError, MAX_LIMIT};
use geocentre_filter::fes::{self, Defaults, Filter};
use geocentre_ogc::kvp::Kvp;
use geocentre_ogc::wfs::{
    self, Collection, FeatureTypeInfo, GmlFeature, Namespaces, Property, PropertyRef, ServiceInfo,
};
use geocentre_ogc::{wfs11, wfs_xml};
use geocentre_ogc::{OgcError, OwsCode};
use geocentre_registry::authz::{self, VectorView};
use geocentre_registry::Authorized;

/// Features per response when COUNT is not given (2.0 pages with `next`).
const DEFAULT_COUNT: u64 = 1_000;

/// WFS 1.1's GML media type, with the charset: `text/xml` without one is
/// ASCII (RFC 3023), and clients decode it so.
const GML31_TYPE: &str = "text/xml; subtype=gml/3.1.1; charset=utf-8";

/// The protocol versions served.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    V2,
    V11,
}

impl Version {
    fn parse(s: &str) -> Option<Version> {
        match s.trim() {
            "2.0.0" => Some(Version::V2),
            "1.1.0" => Some(Version::V11),
            _ => None,
        }
    }
    /// The names this version gives the parameters that differ, so that
    /// an exception's locator is the one the client sent.
    fn type_names_key(self) -> &'static str {
        match self {
            Version::V2 => "TYPENAMES",
            Version::V11 => "TYPENAME",
        }
    }
    fn ids_key(self) -> &'static str {
        match self {
            Version::V2 => "RESOURCEID",
            Version::V11 => "FEATUREID",
        }
    }
}

/// The version a request is answered in. GetCapabilities negotiates
/// (ACCEPTVERSIONS, OWS 1.1 §7.3.2, or VERSION as 1.1 clients send it);
/// other requests name theirs (2.0.0 when they don't).
fn version(k: &Kvp) -> Result<Version, OgcError> {
    let negotiation_failed = |locator: &str, asked: &str| {
        OgcError::new(
            OwsCode::VersionNegotiationFailed,
            Some(locator),
            format!("version {asked} is not served: 2.0.0 and 1.1.0 are"),
        )
    };
    let caps = k
        .get("REQUEST")
        .is_some_and(|r| r.eq_ignore_ascii_case("GetCapabilities"));
    match (caps, k.get("ACCEPTVERSIONS"), k.get("VERSION")) {
        (true, Some(list), _) => list
            .split(',')
            .find_map(Version::parse)
            .ok_or_else(|| negotiation_failed("AcceptVersions", list)),
        (true, None, Some(v)) => Version::parse(v).ok_or_else(|| negotiation_failed("VERSION", v)),
        (false, _, Some(v)) => Version::parse(v).ok_or_else(|| {
            OgcError::new(
                OwsCode::InvalidParameterValue,
                Some("VERSION"),
                format!("version {v} is not supported: use 2.0.0 or 1.1.0"),
            )
        }),
        (_, _, None) => Ok(Version::V2),
    }
}

/// WFS 2.0.0's exception report: OWS 1.1 with `version="2.0.0"` (ISO
/// 19142 §7.5).
fn exception20(e: &OgcError) -> Response {
    crate::error::ows_report(e, "2.0.0")
}

/// The report of the version a refused request named (`declared`): 1.1.0's
/// own, else 2.0.0's, the default version.
fn refusal(e: &OgcError, declared: Option<&str>) -> Response {
    match declared {
        Some("1.1.0") => exception11(e),
        _ => exception20(e),
    }
}

/// WFS 1.1.0's exception report (OWS 1.0.0), with 2.0's HTTP statuses.
fn exception11(e: &OgcError) -> Response {
    let status = StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = (status, e.to_xml_ows10()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

fn type_name(v: &VectorView) -> String {
    format!("{}.{}", v.dataset.name(), v.layer.name)
}

fn xml(body: String, ctype: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r
}

/// The prefixes the request binds: 2.0's NAMESPACES, 1.1's NAMESPACE
/// (same form), or what an XML request declared (`wfs_xml`).
fn namespaces(k: &Kvp) -> Result<Namespaces, OgcError> {
    match k.get("NAMESPACES").or_else(|| k.get("NAMESPACE")) {
        Some(v) => Namespaces::parse(v),
        None => Ok(Namespaces::default()),
    }
}

/// A feature type named by a QName (`gc:d.l`, `d.l`, or any prefix bound
/// to geocentre's namespace), visible to the caller.
fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    name: &str,
    locator: &str,
) -> Result<Authorized<VectorView>, OgcError> {
    let unknown = |why: String| {
        OgcError::new(
            OwsCode::InvalidParameterValue,
            Some(locator),
            format!("unknown feature type '{name}'{why}"),
        )
    };
    let local = namespaces(k)?
        .local(name)
        .map_err(|e| unknown(format!(": {e}")))?;
    let (dataset, layer) = local
        .split_once('.')
        .ok_or_else(|| unknown(String::new()))?;
    authz::resolve_vector(&state.snapshot(), &principal(headers), dataset, layer)
        .map_err(|_| unknown(String::new()))
}

pub async fn kvp(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let k = match Kvp::from_query(q.as_deref()) {
        Ok(k) => k,
        // A refused query is still answered in the version it asked for.
        Err(e) => {
            let declared = geocentre_ogc::kvp::sniff(q.as_deref(), "VERSION");
            return Ok(refusal(&e, declared.as_deref()));
        }
    };
    dispatch(&state, &headers, &k).await
}

/// XML-encoded requests (POST): turned into the same parameters as KVP,
/// so both encodings share one path and one set of checks.
pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let Ok(text) = std::str::from_utf8(&body) else {
        let e = OgcError::invalid("request", "the request body is not UTF-8");
        return Ok(exception20(&e));
    };
    // A refused body is answered in the version its root declares, read
    // apart because the body itself may be what does not parse.
    let refused = |e: OgcError| Ok(refusal(&e, wfs_xml::declared_version(text).as_deref()));
    let pairs = match wfs_xml::to_kvp(text) {
        Ok(p) => p,
        Err(e) => return refused(e),
    };
    let k = match Kvp::parse_bounded(pairs, body.len()) {
        Ok(k) => k,
        Err(e) => return refused(e),
    };
    dispatch(&state, &headers, &k).await
}

async fn dispatch(state: &AppState, headers: &HeaderMap, k: &Kvp) -> Result<Response, ApiError> {
    let v = match version(k) {
        Ok(v) => v,
        // A version not served is refused in the default version's report.
        Err(e) => return Ok(exception20(&e)),
    };
    match (v, serve(state, headers, k, v).await) {
        (Version::V11, Err(ApiError::Ogc(e))) => Ok(exception11(&e)),
        (Version::V2, Err(ApiError::Ogc(e))) => Ok(exception20(&e)),
        // Unavailable data: the version's report, with a 503.
        (Version::V11, Err(ApiError::OgcUnavailable(e))) => {
            Ok(crate::error::unavailable(exception11(&e)))
        }
        (Version::V2, Err(ApiError::OgcUnavailable(e))) => {
            Ok(crate::error::unavailable(exception20(&e)))
        }
        (_, r) => r,
    }
}

async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    v: Version,
) -> Result<Response, ApiError> {
    let request = k.require("REQUEST")?;
    let service = k.require("SERVICE")?;
    if !service.eq_ignore_ascii_case("WFS") {
        return Err(OgcError::invalid("SERVICE", format!("service '{service}' is not WFS")).into());
    }
    let request = request.to_ascii_lowercase();
    match (request.as_str(), v) {
        ("getcapabilities", _) => Ok(capabilities(state, headers, v)),
        ("describefeaturetype", _) => describe(state, headers, k, v),
        ("getfeature", _) => get_feature(state, headers, k, v).await,
        ("getpropertyvalue", Version::V2) => get_property_value(state, headers, k).await,
        ("liststoredqueries", Version::V2) => Ok(stored_queries(state, headers, k, false)?),
        ("describestoredqueries", Version::V2) => Ok(stored_queries(state, headers, k, true)?),
        // Transaction, LockFeature, GetGmlObject, GetFeatureWithLock, and
        // 2.0's operations asked in 1.1.
        _ => Err(OgcError::new(
            OwsCode::OperationNotSupported,
            Some("REQUEST"),
            format!("request '{request}' is not supported"),
        )
        .into()),
    }
}

fn capabilities(state: &AppState, headers: &HeaderMap, v: Version) -> Response {
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
            // Rounded outward (~1 cm), as OGC API's extents: it must hold
            // every feature, reprojected apart from it.
            wgs84: (v.layer.srid > 0)
                .then(|| geocentre_core::bbox::outward(v.layer.bbox_wgs84, 1e-7)),
        })
        .collect();
    let mut datasets: Vec<&str> = views.iter().map(|v| v.dataset.name()).collect();
    datasets.dedup();
    // Dataset identifiers are namespaced by the service's address: unique
    // per platform and stable as long as the platform keeps its name.
    let namespace = format!("{base}/api/vector/datasets");
    let metadata_url = format!("{base}/api/services/wfs/metadata.xml");
    let inspire = wfs::InspireDownload {
        metadata_url: &metadata_url,
        datasets: datasets.iter().map(|d| (*d, namespace.as_str())).collect(),
    };
    let info = ServiceInfo {
        title: &svc.title,
        abstract_: &svc.abstract_,
        provider_name: &svc.provider_name,
        provider_site: &svc.provider_site,
        contact_email: &svc.contact_email,
        base_url: &base,
    };
    // The INSPIRE element needs at least one dataset identifier.
    let inspire = (!inspire.datasets.is_empty()).then_some(&inspire);
    let doc = match v {
        Version::V2 => wfs::capabilities(&info, &types, inspire),
        Version::V11 => wfs11::capabilities(&info, &types, inspire, MAX_LIMIT),
    };
    xml(doc, "application/xml; charset=utf-8")
}

fn stored_queries(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    describe: bool,
) -> Result<Response, ApiError> {
    let views = authz::visible_vector_layers(&state.snapshot(), &principal(headers));
    let served = wfs::stored_query_ids(!views.is_empty());
    let mut ids = served.clone();
    if describe {
        if let Some(asked) = k.get("STOREDQUERY_ID") {
            ids = Vec::new();
            for a in asked.split(',').map(str::trim) {
                match served.iter().find(|s| **s == a) {
                    Some(s) => ids.push(*s),
                    None => {
                        return Err(OgcError::invalid(
                            "STOREDQUERY_ID",
                            format!("unknown stored query '{a}'"),
                        )
                        .into())
                    }
                }
            }
        }
    }
    let names: Vec<String> = views.iter().map(|v| type_name(v)).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let doc = if describe {
        wfs::describe_stored_queries(&names, &ids)
    } else {
        wfs::list_stored_queries(&names, &ids)
    };
    Ok(xml(doc, "application/xml; charset=utf-8"))
}

fn type_names(k: &Kvp, v: Version) -> Result<Vec<String>, OgcError> {
    let raw = k
        .get("TYPENAMES")
        .or_else(|| k.get("TYPENAME"))
        .ok_or_else(|| OgcError::missing(v.type_names_key()))?;
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

fn describe(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    v: Version,
) -> Result<Response, ApiError> {
    // The schema is an XML Schema for the version's GML, asked for by any
    // of that GML's names (the capabilities list them); nothing else.
    if let Some(f) = k.get("OUTPUTFORMAT") {
        let (ok, offered) = match v {
            Version::V2 => (wfs::is_gml32(f), wfs::GML32_FORMATS.join("', '")),
            Version::V11 => (wfs11::is_gml31(f), wfs11::GML31.to_string()),
        };
        if !ok {
            return Err(OgcError::invalid(
                "OUTPUTFORMAT",
                format!("'{f}' is not offered for DescribeFeatureType (offered: '{offered}')"),
            )
            .into());
        }
    }
    let views: Vec<Authorized<VectorView>> = match k.get("TYPENAMES").or_else(|| k.get("TYPENAME"))
    {
        None => authz::visible_vector_layers(&state.snapshot(), &principal(headers)),
        Some(_) => type_names(k, v)?
            .iter()
            .map(|n| resolve(state, headers, k, n, v.type_names_key()))
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
    Ok(match v {
        Version::V2 => xml(wfs::describe(&types), "application/gml+xml; version=3.2"),
        Version::V11 => xml(wfs11::describe(&types), GML31_TYPE),
    })
}

/// What GetFeature and GetPropertyValue select: a layer, the identifiers
/// asked for (RESOURCEID / GetFeatureById) or a query.
struct Selection {
    view: Authorized<VectorView>,
    fids: Option<Vec<u64>>,
    fq: FeatureQuery,
    /// The stored query GetFeatureById: the answer is the feature alone.
    by_id: bool,
}

/// The feature a resource identifier names: `{type}.{fid}` of a type the
/// caller sees, or None. An identifier of another shape, of an unknown
/// (or hidden) type, or whose fid is not a number names no feature: FES
/// 2.0 §7.11 makes `rid` opaque to the client, so a malformed one is not a
/// malformed request (CITE's ets-wfs20 sends `test-{uuid}` and expects an
/// empty answer), and a hidden type must answer as an unknown one does.
fn feature_of(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    rid: &str,
) -> Option<(Authorized<VectorView>, Option<u64>)> {
    let (tn, id) = rid.trim().rsplit_once('.')?;
    let view = resolve(state, headers, k, tn, "RESOURCEID").ok()?;
    Some((view, id.parse().ok()))
}

/// `name [ASC|DESC]`, comma separated (also the WFS 1.1 `A`/`D` forms).
/// Nothing may follow the order: `nom DESC NULLS FIRST` asks for what is
/// not done, and was once sorted as if the rest were not there.
/// A GML standard property is no key: always absent, it orders nothing.
fn sort_keys(v: &str, ns: &Namespaces) -> Result<Vec<(String, bool)>, OgcError> {
    let keys: Vec<(Option<String>, bool)> = v
        .split(',')
        .map(|key| {
            let mut words = key.split_whitespace();
            let name = words
                .next()
                .ok_or_else(|| OgcError::invalid("SORTBY", "empty sort key"))?;
            let desc = match words.next().map(str::to_ascii_uppercase).as_deref() {
                None | Some("ASC") | Some("A") => false,
                Some("DESC") | Some("D") => true,
                Some(o) => {
                    return Err(OgcError::invalid(
                        "SORTBY",
                        format!("sort order '{o}' is not ASC or DESC"),
                    ))
                }
            };
            if let Some(extra) = words.next() {
                return Err(OgcError::invalid(
                    "SORTBY",
                    format!("unexpected '{extra}' after the sort key '{}'", key.trim()),
                ));
            }
            Ok((own_name(name, ns), desc))
        })
        .collect::<Result<_, OgcError>>()?;
    Ok(keys
        .into_iter()
        .filter_map(|(k, desc)| k.map(|k| (k, desc)))
        .collect())
}

/// The property of the type a name (a value reference: QName, `./`,
/// `[1]`) names, by local name; None for a GML standard property or
/// `@gml:id`, which every feature has and which are not among the type's
/// own. What names nothing is kept as given: no property has that name,
/// and the request is then refused, naming it.
fn own_name(n: &str, ns: &Namespaces) -> Option<String> {
    match wfs::value_reference(n, ns) {
        Ok(PropertyRef::Own(name)) => Some(name),
        Ok(PropertyRef::Gml(_) | PropertyRef::Id) => None,
        Err(_) => Some(n.to_string()),
    }
}

/// A layer and the fids of its features that identifiers name.
type IdSelection = (Authorized<VectorView>, Vec<u64>);

/// The layer of the identifiers `ids` and the fids they name. `of` is the
/// type TYPENAMES named, if any: an identifier of another (visible) type
/// is refused (ISO 19142 §7.9.2.4.1: InvalidParameterValue); without it
/// the identifiers pick the type, one per request. None: no identifier
/// names a feature type, and no type was named (nothing is selected).
fn by_ids(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    ids: &[&str],
    locator: &str,
    of: Option<&Authorized<VectorView>>,
) -> Result<Option<IdSelection>, ApiError> {
    // A broken NAMESPACES is the request's fault, not an identifier's.
    namespaces(k)?;
    let mut view: Option<Authorized<VectorView>> = of.cloned();
    let mut fids = Vec::new();
    for rid in ids {
        let Some((v, fid)) = feature_of(state, headers, k, rid) else {
            continue;
        };
        match &view {
            Some(w) if type_name(w) != type_name(&v) => {
                return Err(if of.is_some() {
                    OgcError::invalid(
                        locator,
                        format!("'{}' is not a feature of {}", rid.trim(), type_name(w)),
                    )
                } else {
                    OgcError::new(
                        OwsCode::OperationNotSupported,
                        Some(locator),
                        "identifiers of one feature type per request",
                    )
                }
                .into());
            }
            Some(_) => {}
            None => view = Some(v),
        }
        fids.extend(fid);
    }
    Ok(view.map(|v| (v, fids)))
}

/// Whether EPSG `code` is geographic, hence latitude first in its own
/// axis order; PROJ is asked off the async threads.
async fn lat_first(code: u32) -> bool {
    tokio::task::spawn_blocking(move || geocentre_features::scan::is_geographic(code))
        .await
        .unwrap_or(code == 4326)
}

/// BBOX: four numbers and an optional CRS, as x/y in that CRS.
async fn bbox_param(b: &str, v: Version, srid: u32) -> Result<([f64; 4], u32), OgcError> {
    let bad = || OgcError::invalid("BBOX", "BBOX must be four numbers and an optional CRS");
    let parts: Vec<&str> = b.split(',').collect();
    let nums: Vec<f64> = parts
        .iter()
        .take(4)
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let [a, b2, c, d] = nums[..] else {
        return Err(bad());
    };
    // The check WMS and OGC API make: finite, min <= max on each axis
    // (whatever the axis order, each axis is checked against itself).
    let [a, b2, c, d] = geocentre_core::bbox::checked([a, b2, c, d])
        .map_err(|e| OgcError::invalid("BBOX", format!("BBOX: {e}")))?;
    let named = parts.get(4).map(|c| c.trim());
    let unknown = || OgcError::invalid("BBOX", format!("unknown CRS '{}'", named.unwrap_or("")));
    let crs = match (named, v) {
        (Some(c), Version::V2) => epsg_code(c),
        (Some(c), Version::V11) => wfs11::srs_epsg(c),
        (None, _) => Some(srid.max(1)),
    }
    .ok_or_else(unknown)?;
    // A code of the right form may still be no CRS at all (EPSG:999999):
    // the store finds that out when it takes the box to the layer's CRS,
    // and answers `StoreError::BboxCrs`, a 400 on BBOX (`read_failure`).
    let swap = match v {
        // EPSG:4326 (as a URN) is latitude first.
        Version::V2 => crs == 4326 && named.is_some(),
        // GeoServer's rule: a URN, or no CRS (the default CRS is advertised
        // as a URN), is the CRS's own order; `EPSG:4326` is x/y.
        Version::V11 => !named.is_some_and(wfs11::xy_axes) && lat_first(crs).await,
    };
    Ok((if swap { [b2, a, d, c] } else { [a, b2, c, d] }, crs))
}

/// RESOLVE, RESOLVEDEPTH and RESOLVETIMEOUT (ISO 19142 §7.6.4): checked,
/// then nothing to do — features hold no references. `local` and `none`
/// are served (the capabilities say so); `remote` and `all` are not
/// (ImplementsRemoteResolve is FALSE).
fn resolve_params(k: &Kvp) -> Result<(), OgcError> {
    if let Some(r) = k.get("RESOLVE") {
        if !wfs::RESOLVE_VALUES
            .iter()
            .any(|v| v.eq_ignore_ascii_case(r))
        {
            return Err(OgcError::invalid(
                "RESOLVE",
                format!(
                    "resolve '{r}' is not served: {} (remote references are not resolved)",
                    wfs::RESOLVE_VALUES.join(", ")
                ),
            ));
        }
    }
    if let Some(d) = k.get("RESOLVEDEPTH") {
        if d.trim() != "*" && d.trim().parse::<u64>().is_err() {
            return Err(OgcError::invalid(
                "RESOLVEDEPTH",
                "RESOLVEDEPTH must be a non-negative integer or *",
            ));
        }
    }
    if let Some(t) = k.get("RESOLVETIMEOUT") {
        if t.trim().parse::<u64>().map_or(true, |t| t == 0) {
            return Err(OgcError::invalid(
                "RESOLVETIMEOUT",
                "RESOLVETIMEOUT must be a positive number of seconds",
            ));
        }
    }
    Ok(())
}

async fn selection(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    v: Version,
) -> Result<Option<Selection>, ApiError> {
    resolve_params(k)?;
    let mut fq = FeatureQuery {
        // 1.1 has no paging to reach what a default page would leave out.
        limit: match v {
            Version::V2 => DEFAULT_COUNT,
            Version::V11 => MAX_LIMIT,
        },
        ..Default::default()
    };
    let mut by_id = false;
    // TYPENAMES, when given, names the one type queried.
    let named = match k.get("TYPENAMES").or_else(|| k.get("TYPENAME")) {
        None => None,
        Some(_) => match &type_names(k, v)?[..] {
            [one] => Some(resolve(state, headers, k, one, v.type_names_key())?),
            _ => {
                return Err(OgcError::new(
                    OwsCode::OperationNotSupported,
                    Some(v.type_names_key()),
                    "one feature type per request (joins are not supported)",
                )
                .into())
            }
        },
    };
    // A stored query, RESOURCEID / FEATUREID or TYPENAMES picks the layer.
    let (view, mut fids) = if let Some(sq) = k.get("STOREDQUERY_ID").filter(|_| v == Version::V2) {
        if sq != wfs::GET_FEATURE_BY_ID {
            return Err(OgcError::invalid(
                "STOREDQUERY_ID",
                format!("unknown stored query '{sq}'"),
            )
            .into());
        }
        by_id = true;
        let id = k.require("ID")?;
        // An identifier that names no feature is not found, whatever its
        // shape (WFS 2.0.2 §7.9.3.6: 404 NotFound).
        match feature_of(state, headers, k, id) {
            Some((view, Some(fid))) => (view, Some(vec![fid])),
            _ => {
                return Err(OgcError::new(
                    OwsCode::NotFound,
                    Some("ID"),
                    format!("no feature '{id}'"),
                )
                .into())
            }
        }
    } else if let Some(rids) = k.get(v.ids_key()) {
        let ids: Vec<&str> = rids.split(',').collect();
        match by_ids(state, headers, k, &ids, v.ids_key(), named.as_ref())? {
            Some((view, fids)) => (view, Some(fids)),
            None => return Ok(None),
        }
    } else {
        match named {
            Some(view) => (view, None),
            None => return Err(OgcError::missing(v.type_names_key()).into()),
        }
    };
    let srid = view.layer.srid as u32;
    let out_epsg = match k.get("SRSNAME") {
        // A type without geometry has no CRS: nothing to reproject.
        None => srid,
        Some(_) if srid == 0 => 0,
        Some(s) => match v {
            Version::V2 => epsg_code(s),
            Version::V11 => wfs11::srs_epsg(s),
        }
        .filter(|c| *c == srid || wfs::OTHER_CRS.contains(c))
        .ok_or_else(|| OgcError::invalid("SRSNAME", format!("'{s}' is not offered")))?,
    };
    fq.out_epsg = if out_epsg == 0 { 4326 } else { out_epsg };
    let count = [
        ("COUNT", k.get("COUNT")),
        ("MAXFEATURES", k.get("MAXFEATURES")),
    ]
    .into_iter()
    .find_map(|(key, c)| c.map(|c| (key, c)));
    if let Some((key, c)) = count {
        fq.limit = c
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                OgcError::invalid(key, format!("{key} must be between 1 and {MAX_LIMIT}"))
            })?;
    }
    // WFS 1.1 has no STARTINDEX, but GDAL (OGR_WFS_PAGING_ALLOWED) and
    // GeoServer use it as 2.0 does: zero-based.
    if let Some(s) = k.get("STARTINDEX") {
        fq.offset = s.parse().map_err(|_| {
            OgcError::invalid("STARTINDEX", "STARTINDEX must be a non-negative integer")
        })?;
    }
    match k.get("BBOX") {
        Some(b) => {
            let (bbox, crs) = bbox_param(b, v, srid).await?;
            fq.bbox = Some(bbox);
            fq.bbox_epsg = crs;
        }
        None => fq.bbox_epsg = 4326,
    }
    // OWSLib's GET encoding sends its filter as QUERY: taken as FILTER
    // rather than ignored, which would answer every feature.
    if let Some(f) = k.get("FILTER").or_else(|| k.get("QUERY")) {
        if k.get("BBOX").is_some() {
            return Err(
                OgcError::invalid("FILTER", "FILTER and BBOX are mutually exclusive").into(),
            );
        }
        let defaults = Defaults {
            epsg: srid.max(1),
            // Both versions advertise the default CRS as a URN: a geometry
            // without srsName is in its own axis order (latitude first for
            // EPSG:4326), which is how GDAL writes its spatial filters.
            authority_axes: true,
            names: fes::Names::Features,
        };
        let ns = namespaces(k)?;
        match fes::parse_filter(f, defaults, &ns).map_err(|e| filter_error(&e))? {
            Filter::Expr(e) => fq.filter = Some(e),
            // Identifiers select as RESOURCEID / FEATUREID do, in this type.
            Filter::Ids(ids) => {
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                fids = by_ids(state, headers, k, &ids, "FILTER", Some(&view))?.map(|(_, f)| f);
            }
        }
    }
    if let Some(s) = k.get("SORTBY") {
        fq.sort_by = sort_keys(s, &namespaces(k)?)?;
    }
    if let Some(p) = k.get("PROPERTYNAME") {
        let ns = namespaces(k)?;
        // One list for the one type; `(a,b)` is the multi-type form.
        let given: Vec<&str> = p
            .trim_start_matches('(')
            .trim_end_matches(')')
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != "*")
            .collect();
        if !given.is_empty() {
            // GML's standard properties are never written, @gml:id always.
            let names: Vec<String> = given.iter().filter_map(|n| own_name(n, &ns)).collect();
            fq.skip_geometry = !names.iter().any(|n| n == "geom");
            fq.properties = Some(names.into_iter().filter(|n| n != "geom").collect());
        }
    }
    // Names are checked here too, so that the report names the parameter.
    let known = |n: &str| view.layer.fields.iter().any(|f| f.name == n);
    if let Some((bad, _)) = fq.sort_by.iter().find(|(n, _)| !known(n)) {
        return Err(OgcError::invalid("SORTBY", format!("unknown property '{bad}'")).into());
    }
    if let Some(bad) = fq.properties.iter().flatten().find(|n| !known(n)) {
        return Err(OgcError::invalid("PROPERTYNAME", format!("unknown property '{bad}'")).into());
    }
    Ok(Some(Selection {
        view,
        fids,
        fq,
        by_id,
    }))
}

/// Reads what `sel` selects, off the async threads.
async fn read(state: &AppState, sel: &Selection) -> Result<FeaturePage, ApiError> {
    let store = state.inner.features.clone();
    let (v, fq, fids) = (sel.view.clone(), sel.fq.clone(), sel.fids.clone());
    tokio::task::spawn_blocking(move || match fids {
        None => store.query(&v, &fq),
        Some(ids) => {
            // Identifiers read one by one: the filter, sort and paging of
            // a query do not apply to them (FES: ResourceId is the filter).
            let mut page = FeaturePage {
                features: Vec::new(),
                geometry_text: Vec::new(),
                number_matched: 0,
            };
            for id in ids {
                if let Some(f) = store.feature_with(&v, id, &fq)? {
                    page.features.push(f.0);
                    page.geometry_text.push(f.1);
                    page.number_matched += 1;
                }
            }
            Ok(page)
        }
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(read_failure)
}

/// A store failure as the WFS exception a client can act on.
fn read_failure(e: StoreError) -> ApiError {
    match e {
        StoreError::UnknownProperty(p) => ApiError::from(OgcError::invalid(
            "PROPERTYNAME",
            format!("unknown property '{p}'"),
        )),
        StoreError::Filter(f) => ApiError::from(filter_error(&f)),
        StoreError::TooManyToSort(_) => ApiError::from(OgcError::invalid("SORTBY", e.to_string())),
        StoreError::BboxCrs(..) => ApiError::from(OgcError::invalid("BBOX", e.to_string())),
        e => {
            if let Some(u) = crate::error::store_unavailable(&e, true) {
                return u;
            }
            tracing::error!("feature store: {e}");
            ApiError::Ogc(OgcError::new(
                OwsCode::NoApplicableCode,
                None,
                "internal error while reading features",
            ))
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Gml,
    Json,
    Csv,
}

/// The format asked for: GML of the version's own (3.2 or 3.1.1) by
/// default, GeoJSON or CSV in both.
fn output_format(k: &Kvp, v: Version) -> Result<Format, OgcError> {
    let f = k.get("OUTPUTFORMAT").unwrap_or(match v {
        Version::V2 => wfs::OUTPUT_FORMATS[0],
        Version::V11 => wfs11::GML31,
    });
    let lower = f.to_ascii_lowercase();
    let gml = match v {
        Version::V2 => wfs::is_gml32(f),
        Version::V11 => wfs11::is_gml31(f),
    };
    Ok(match lower.as_str() {
        "application/json" | "geojson" | "application/geo+json" | "json" => Format::Json,
        "text/csv" | "csv" => Format::Csv,
        _ if gml => Format::Gml,
        _ => {
            return Err(OgcError::invalid(
                "OUTPUTFORMAT",
                format!("'{f}' is not offered"),
            ))
        }
    })
}

async fn get_feature(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
    v: Version,
) -> Result<Response, ApiError> {
    if v == Version::V2 && k.get("STOREDQUERY_ID") == Some(wfs::GET_SPATIAL_DATASET) {
        return spatial_dataset(state, headers, k).await;
    }
    let sel = selection(state, headers, k, v).await?;
    let format = output_format(k, v)?;
    let hits = match k.get("RESULTTYPE") {
        None => false,
        Some(rt) if rt.eq_ignore_ascii_case("results") => false,
        Some(rt) if rt.eq_ignore_ascii_case("hits") => true,
        Some(rt) => {
            return Err(
                OgcError::invalid("RESULTTYPE", format!("'{rt}' is not results or hits")).into(),
            )
        }
    };
    let Some(mut sel) = sel else {
        return Ok(nothing_selected(state, headers, v, format));
    };
    // The page size asked for (paging links keep it).
    let count = sel.fq.limit;
    if hits {
        // Counted, not read: the store stops building features at once.
        sel.fq.limit = 0;
    }
    let tn = type_name(&sel.view);
    sel.fq.geometry_text = match (format, v) {
        (Format::Gml, Version::V2) => GeometryText::Gml32(tn.clone()),
        (Format::Gml, Version::V11) => GeometryText::Gml31,
        (Format::Csv, _) => GeometryText::Wkt,
        (Format::Json, _) => GeometryText::None,
    };
    if let (Format::Json, false, None) = (format, sel.by_id, &sel.fids) {
        // Written as text by the store, as OGC API pages are.
        let store = state.inner.features.clone();
        let (view, fq) = (sel.view.clone(), sel.fq.clone());
        let page = tokio::task::spawn_blocking(move || store.query_geojson(&view, &fq))
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?
            .map_err(read_failure)?;
        let mut head = serde_json::Map::new();
        head.insert("type".into(), "FeatureCollection".into());
        head.insert("numberMatched".into(), page.number_matched.into());
        head.insert("numberReturned".into(), page.returned.into());
        return Ok(crate::geojson_body::feature_collection(head, &page));
    }
    let page = read(state, &sel).await?;
    if sel.by_id && page.features.is_empty() {
        return Err(OgcError::new(
            OwsCode::NotFound,
            Some("ID"),
            format!("no feature '{}'", k.get("ID").unwrap_or_default()),
        )
        .into());
    }
    let names: Vec<&str> = match &sel.fq.properties {
        Some(p) => p.iter().map(String::as_str).collect(),
        None => sel
            .view
            .layer
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect(),
    };
    match format {
        Format::Json => {
            if let (true, Some(f)) = (sel.by_id, page.features.first()) {
                return Ok(xml(f.to_string(), "application/geo+json"));
            }
            let body = serde_json::json!({
                "type": "FeatureCollection",
                "numberMatched": page.number_matched,
                "numberReturned": page.features.len(),
                "features": page.features,
            });
            Ok(xml(body.to_string(), "application/geo+json"))
        }
        Format::Csv => {
            let mut header = vec!["fid"];
            header.extend(names.iter().copied());
            let spatial = sel.view.layer.srid > 0 && !sel.fq.skip_geometry;
            if spatial {
                header.push("geom");
            }
            let rows: Vec<Vec<Option<String>>> = page
                .features
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let mut row = vec![Some(f["id"].to_string())];
                    row.extend(names.iter().map(|n| text_value(&f["properties"][*n])));
                    if spatial {
                        row.push(page.geometry_text.get(i).cloned().flatten());
                    }
                    row
                })
                .collect();
            let mut r = xml(wfs::csv(&header, &rows), "text/csv; charset=utf-8");
            let disposition = format!("attachment; filename=\"{tn}.csv\"");
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(r)
        }
        Format::Gml => {
            let base = base_url(state, headers);
            let (version, typenames) = match v {
                Version::V2 => ("2.0.0", "TYPENAMES"),
                Version::V11 => ("1.1.0", "TYPENAME"),
            };
            let schema_url = format!(
                "{base}/wfs?SERVICE=WFS&VERSION={version}&REQUEST=DescribeFeatureType&{typenames}=gc:{tn}"
            );
            let returned = page.features.len() as u64;
            let offset = sel.fq.offset;
            // Paging links: 2.0's, not for identifiers; 1.1 has none.
            let paged = v == Version::V2 && sel.fids.is_none();
            let (next, previous) = if paged {
                page_links(&base, k, hits, offset, returned, page.number_matched, count)
            } else {
                (None, None)
            };
            // 1.1's short `EPSG:N` is x/y; OGR wrote a URN, latitude
            // first in a geographic CRS.
            let short = match (v, k.get("SRSNAME")) {
                (Version::V11, Some(s)) if wfs11::xy_axes(s) => {
                    Some((sel.fq.out_epsg, lat_first(sel.fq.out_epsg).await))
                }
                _ => None,
            };
            let features: Vec<GmlFeature> =
                page.features
                    .iter()
                    .enumerate()
                    .map(|(i, f)| GmlFeature {
                        id: format!("{tn}.{}", f["id"]),
                        geometry: page.geometry_text.get(i).cloned().flatten().map(
                            |g| match short {
                                Some((epsg, swap)) => wfs11::short_srs(&g, epsg, swap),
                                None => g,
                            },
                        ),
                        values: names
                            .iter()
                            .map(|n| text_value(&f["properties"][*n]))
                            .collect(),
                    })
                    .collect();
            let now = time_stamp();
            let c = Collection {
                type_name: &tn,
                property_names: names,
                number_matched: page.number_matched,
                time_stamp: &now,
                schema_url: &schema_url,
                next: next.as_deref(),
                previous: previous.as_deref(),
            };
            if v == Version::V11 {
                let doc = wfs11::feature_collection(&c, &features, hits);
                return Ok(xml(doc, GML31_TYPE));
            }
            let doc = match (sel.by_id, features.first()) {
                (true, Some(f)) => wfs::single_feature(&c, f),
                _ => wfs::feature_collection(&c, &features),
            };
            Ok(xml(doc, "application/gml+xml; version=3.2"))
        }
    }
}

/// The paging links (`next`, `previous`) of a 2.0 answer to `k`, which
/// started at `offset`, returned `returned` of `matched` features, pages
/// of `count` (ISO 19142 §7.7.4.4): the same request at another
/// STARTINDEX. Those of a hits answer fetch the features it counted: its
/// `next` is the results from the same start (it returned none), as
/// CITE's ets-wfs20 PagingTests.getFeatureWithHitsOnly follows it.
fn page_links(
    base: &str,
    k: &Kvp,
    hits: bool,
    offset: u64,
    returned: u64,
    matched: u64,
    count: u64,
) -> (Option<String>, Option<String>) {
    let link = |start: u64| {
        let mut params: Vec<String> = k
            .pairs()
            .filter(|(key, _)| {
                let replaced = key.eq_ignore_ascii_case("STARTINDEX")
                    || (hits && key.eq_ignore_ascii_case("RESULTTYPE"));
                !replaced
            })
            .map(|(key, v)| format!("{key}={}", urlencode(v)))
            .collect();
        params.push(format!("STARTINDEX={start}"));
        format!("{base}/wfs?{}", params.join("&"))
    };
    let next_start = if hits { offset } else { offset + returned };
    let next = ((hits || returned > 0) && next_start < matched).then(|| link(next_start));
    let previous = (offset > 0).then(|| link(offset.saturating_sub(count)));
    (next, previous)
}

/// INSPIRE's pre-defined dataset download (stored query
/// GetSpatialDataSet): every feature of every layer of the dataset
/// DataSetIdCode (the layers the caller may see, through the one
/// authorization point), in CRS, as one GML 3.2 FeatureCollection paged
/// like GetFeature (COUNT, STARTINDEX, next / previous). Language only
/// chooses among the languages served (French), so any value is answered
/// in French (TG Download Services, requirement 57).
async fn spatial_dataset(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
) -> Result<Response, ApiError> {
    let code = k.require("DATASETIDCODE")?;
    let base = base_url(state, headers);
    let namespace = format!("{base}/api/vector/datasets");
    if let Some(ns) = k.get("DATASETIDNAMESPACE") {
        if ns.trim_end_matches('/') != namespace {
            return Err(OgcError::invalid(
                "DataSetIdNamespace",
                format!("'{ns}' is not this service's dataset namespace ({namespace})"),
            )
            .into());
        }
    }
    if output_format(k, Version::V2)? != Format::Gml {
        return Err(
            OgcError::invalid("OUTPUTFORMAT", "GetSpatialDataSet answers in GML 3.2 only").into(),
        );
    }
    let visible = authz::visible_vector_layers(&state.snapshot(), &principal(headers));
    // The CRSs the capabilities list, all types together: the validator
    // asks each dataset in each of them, and any can be reprojected to.
    let advertised: Vec<u32> = visible
        .iter()
        .filter(|v| v.layer.srid > 0)
        .map(|v| v.layer.srid as u32)
        .chain(wfs::OTHER_CRS)
        .collect();
    let views: Vec<Authorized<VectorView>> = visible
        .into_iter()
        .filter(|v| v.dataset.name() == code)
        .collect();
    if views.is_empty() {
        return Err(OgcError::invalid(
            "DataSetIdCode",
            format!("no dataset '{code}' is served here (see the SpatialDataSetIdentifier of the capabilities)"),
        )
        .into());
    }
    let crs = match k.get("CRS") {
        None => None,
        Some(c) => Some(
            epsg_code(c)
                .filter(|e| advertised.contains(e))
                .ok_or_else(|| OgcError::invalid("CRS", format!("'{c}' is not offered")))?,
        ),
    };
    let limit = match k.get("COUNT") {
        None => DEFAULT_COUNT,
        Some(c) => c
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                OgcError::invalid("COUNT", format!("COUNT must be between 1 and {MAX_LIMIT}"))
            })?,
    };
    let start: u64 = match k.get("STARTINDEX") {
        None => 0,
        Some(s) => s.parse().map_err(|_| {
            OgcError::invalid("STARTINDEX", "STARTINDEX must be a non-negative integer")
        })?,
    };
    let hits = k
        .get("RESULTTYPE")
        .is_some_and(|r| r.eq_ignore_ascii_case("hits"));
    // Layer after layer: the page is the slice [start, start + limit) of
    // their features in order; each layer also counts what it matches.
    let mut parts: Vec<(String, Vec<String>, Vec<GmlFeature>)> = Vec::new();
    let (mut seen, mut remaining) = (0u64, if hits { 0 } else { limit });
    for view in views {
        let tn = type_name(&view);
        let srid = view.layer.srid as u32;
        let fq = FeatureQuery {
            limit: remaining,
            offset: start.saturating_sub(seen),
            out_epsg: match (srid, crs) {
                (0, _) => 4326,
                (_, Some(c)) => c,
                (s, None) => s,
            },
            geometry_text: GeometryText::Gml32(tn.clone()),
            bbox_epsg: 4326,
            ..Default::default()
        };
        let sel = Selection {
            view,
            fids: None,
            fq,
            by_id: false,
        };
        let page = read(state, &sel).await?;
        seen += page.number_matched;
        remaining = remaining.saturating_sub(page.features.len() as u64);
        let names: Vec<String> = sel
            .view
            .layer
            .fields
            .iter()
            .map(|f| f.name.clone())
            .collect();
        let features: Vec<GmlFeature> = page
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| GmlFeature {
                id: format!("{tn}.{}", f["id"]),
                geometry: page.geometry_text.get(i).cloned().flatten(),
                values: names
                    .iter()
                    .map(|n| text_value(&f["properties"][n.as_str()]))
                    .collect(),
            })
            .collect();
        parts.push((tn, names, features));
    }
    let returned: u64 = parts.iter().map(|p| p.2.len() as u64).sum();
    let (next, previous) = page_links(&base, k, hits, start, returned, seen, limit);
    let typenames: Vec<String> = parts.iter().map(|p| format!("gc:{}", p.0)).collect();
    let schema_url = format!(
        "{base}/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES={}",
        typenames.join(",")
    );
    let now = time_stamp();
    let collections: Vec<Collection> = parts
        .iter()
        .map(|(tn, names, _)| Collection {
            type_name: tn,
            property_names: names.iter().map(String::as_str).collect(),
            number_matched: seen,
            time_stamp: &now,
            schema_url: &schema_url,
            next: next.as_deref(),
            previous: previous.as_deref(),
        })
        .collect();
    let members: Vec<(&Collection, &[GmlFeature])> = collections
        .iter()
        .zip(&parts)
        .map(|(c, p)| (c, p.2.as_slice()))
        .collect();
    let head = collections
        .first()
        .ok_or_else(|| ApiError::internal("a dataset without layers"))?;
    let doc = wfs::feature_collection_of(head, &members);
    Ok(xml(doc, "application/gml+xml; version=3.2"))
}

/// The answer to identifiers that name no feature of any type, with no
/// type named: an empty collection in the format asked for.
fn nothing_selected(state: &AppState, headers: &HeaderMap, v: Version, format: Format) -> Response {
    match format {
        Format::Json => xml(
            serde_json::json!({
                "type": "FeatureCollection",
                "numberMatched": 0,
                "numberReturned": 0,
                "features": [],
            })
            .to_string(),
            "application/geo+json",
        ),
        Format::Csv => xml(wfs::csv(&["fid"], &[]), "text/csv; charset=utf-8"),
        Format::Gml => {
            let version = match v {
                Version::V2 => "2.0.0",
                Version::V11 => "1.1.0",
            };
            // No type: the schema of them all.
            let schema_url = format!(
                "{}/wfs?SERVICE=WFS&VERSION={version}&REQUEST=DescribeFeatureType",
                base_url(state, headers)
            );
            let now = time_stamp();
            let c = Collection {
                type_name: "",
                property_names: Vec::new(),
                number_matched: 0,
                time_stamp: &now,
                schema_url: &schema_url,
                next: None,
                previous: None,
            };
            match v {
                Version::V2 => xml(
                    wfs::feature_collection(&c, &[]),
                    "application/gml+xml; version=3.2",
                ),
                Version::V11 => xml(wfs11::feature_collection(&c, &[], false), GML31_TYPE),
            }
        }
    }
}

/// A property value as text (None: absent or null).
fn text_value(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// GetPropertyValue: one property (or the geometry) of each selected
/// feature, as a wfs:ValueCollection.
async fn get_property_value(
    state: &AppState,
    headers: &HeaderMap,
    k: &Kvp,
) -> Result<Response, ApiError> {
    // Given but empty is a wrong value, not a missing one (ets-wfs20
    // GetPropertyValueTests.getProperty_emptyValueRef).
    if k.has("VALUEREFERENCE") && k.get("VALUEREFERENCE").is_none_or(|r| r.trim().is_empty()) {
        return Err(OgcError::invalid("VALUEREFERENCE", "VALUEREFERENCE is empty").into());
    }
    let text = k.require("VALUEREFERENCE")?;
    let reference = wfs::value_reference(text, &namespaces(k)?)
        .map_err(|why| OgcError::invalid("VALUEREFERENCE", why))?;
    if k.get("PROPERTYNAME").is_some() {
        return Err(OgcError::invalid(
            "PROPERTYNAME",
            "GetPropertyValue takes VALUEREFERENCE, not PROPERTYNAME",
        )
        .into());
    }
    if output_format(k, Version::V2)? != Format::Gml {
        return Err(
            OgcError::invalid("OUTPUTFORMAT", "GetPropertyValue answers in GML 3.2 only").into(),
        );
    }
    let Some(mut sel) = selection(state, headers, k, Version::V2).await? else {
        // Identifiers that name no feature: no value.
        let doc = wfs::value_collection(0, &time_stamp(), &[]);
        return Ok(xml(doc, "application/gml+xml; version=3.2"));
    };
    let tn = type_name(&sel.view);
    /// What is read of each feature.
    enum Read {
        Geometry,
        Property(String),
        /// `@gml:id`: the identifier every feature is written with.
        Id,
        /// A GML standard property: never written, so no value.
        Nothing,
    }
    let what = match reference {
        PropertyRef::Own(n) if n == "geom" && sel.view.layer.srid > 0 => Read::Geometry,
        PropertyRef::Own(n) if sel.view.layer.fields.iter().any(|f| f.name == n) => {
            Read::Property(n)
        }
        PropertyRef::Own(_) => {
            return Err(
                OgcError::invalid("VALUEREFERENCE", format!("unknown property '{text}'")).into(),
            )
        }
        PropertyRef::Id => Read::Id,
        PropertyRef::Gml(_) => Read::Nothing,
    };
    if let Some(rt) = k.get("RESULTTYPE") {
        if rt.eq_ignore_ascii_case("hits") {
            sel.fq.limit = 0;
        }
    }
    match &what {
        Read::Geometry => {
            sel.fq.properties = Some(Vec::new());
            sel.fq.geometry_text = GeometryText::Gml32(tn.clone());
        }
        Read::Property(n) => {
            sel.fq.properties = Some(vec![n.clone()]);
            sel.fq.skip_geometry = true;
        }
        Read::Id | Read::Nothing => {
            sel.fq.properties = Some(Vec::new());
            sel.fq.skip_geometry = true;
        }
    }
    let page = read(state, &sel).await?;
    // Absent values have no member (a null is not a value).
    let values: Vec<wfs::Value> = match &what {
        Read::Geometry => page
            .geometry_text
            .into_iter()
            .flatten()
            .map(wfs::Value::Gml)
            .collect(),
        Read::Property(n) => page
            .features
            .iter()
            .filter_map(|f| text_value(&f["properties"][n.as_str()]))
            .map(wfs::Value::Text)
            .collect(),
        // The gml:id the features are written with (`get_feature`).
        Read::Id => page
            .features
            .iter()
            .map(|f| wfs::Value::Text(format!("{tn}.{}", f["id"])))
            .collect(),
        Read::Nothing => Vec::new(),
    };
    let now = time_stamp();
    Ok(xml(
        wfs::value_collection(page.number_matched, &now, &values),
        "application/gml+xml; version=3.2",
    ))
}

/// A bad filter (unknown property, syntax, bounds, a DTD): FES 2.0's
/// InvalidParameterValue on FILTER, with the reason; operands that cannot
/// be compared (a well-formed filter that cannot be carried out):
/// OperationProcessingFailed (ISO 19142 Table 3; CITE's ets-wfs20
/// ComparisonOperatorTests.invalidOperand_boundedBy expects it).
fn filter_error(e: &geocentre_filter::expr::FilterError) -> OgcError {
    use geocentre_filter::expr::FilterError;
    let code = match e {
        FilterError::NotComparable(_) => OwsCode::OperationProcessingFailed,
        _ => OwsCode::InvalidParameterValue,
    };
    OgcError::new(code, Some("FILTER"), format!("filter: {e}"))
}

fn time_stamp() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::sort_keys;
    use geocentre_ogc::wfs::Namespaces;

    #[test]
    fn sort_keys_take_a_name_and_an_order_only() {
        assert_eq!(
            sort_keys("gc:nom DESC, code,n A", &Namespaces::default()).unwrap(),
            vec![
                ("nom".to_string(), true),
                ("code".to_string(), false),
                ("n".to_string(), false)
            ]
        );
        for bad in [
            "nom DESC NULLS FIRST",
            "nom ASC x",
            "nom DESC,code ASC extra",
            "nom  DESC  DESC",
            "nom UP",
            "nom,,code",
        ] {
            let e = sort_keys(bad, &Namespaces::default()).unwrap_err();
            assert_eq!(e.locator.as_deref(), Some("SORTBY"), "{bad}");
        }
    }
}
