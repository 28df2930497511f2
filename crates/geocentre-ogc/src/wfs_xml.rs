//! WFS requests encoded in XML (HTTP POST) turned into the KVP parameters
//! the KVP path already understands: one request model, one code path, so
//! a POST can do exactly what a GET can and nothing else. The body is read
//! with the bounded, DTD-free tree of [`crate::xml_tree`].

use crate::exception::{OgcError, OwsCode};
use crate::xml_tree::{self, Limits, Node, TreeError};

/// Bounds on a request body (filters inside are bounded again when parsed).
const LIMITS: Limits = Limits {
    max_bytes: 1024 * 1024,
    max_depth: 80,
    max_nodes: 5_000,
};

fn invalid(m: impl Into<String>) -> OgcError {
    OgcError::new(OwsCode::InvalidParameterValue, Some("request"), m)
}

/// The KVP parameters equivalent to the XML request `text`.
pub fn to_kvp(text: &str) -> Result<Vec<(String, String)>, OgcError> {
    let root = xml_tree::parse(text, LIMITS).map_err(|e| match e {
        TreeError::Invalid(m) => invalid(format!("request body: {m}")),
        e => invalid(format!("request body: {e}")),
    })?;
    let mut kvp: Vec<(String, String)> = vec![("REQUEST".into(), root.name.clone())];
    for (attr, key) in [
        ("service", "SERVICE"),
        ("version", "VERSION"),
        ("count", "COUNT"),
        ("maxFeatures", "MAXFEATURES"),
        ("startIndex", "STARTINDEX"),
        ("resultType", "RESULTTYPE"),
        ("outputFormat", "OUTPUTFORMAT"),
        ("valueReference", "VALUEREFERENCE"),
        ("resolve", "RESOLVE"),
        ("resolveDepth", "RESOLVEDEPTH"),
        ("resolveTimeout", "RESOLVETIMEOUT"),
    ] {
        // Case-blind, as KVP names are: OWSLib writes `outputformat`.
        if let Some((_, v)) = root
            .attrs
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(attr))
        {
            kvp.push((key.into(), v.clone()));
        }
    }
    // WFS 1.1 declares `service` optional, "WFS" by default; 2.0 requires it.
    if root.attr("service").is_none() && root.attr("version") != Some("2.0.0") {
        kvp.push(("SERVICE".into(), "WFS".into()));
    }
    match root.name.as_str() {
        "GetCapabilities" => {
            let versions: Vec<&str> = root
                .children_named("AcceptVersions")
                .flat_map(|a| a.children_named("Version"))
                .map(|v| v.text.as_str())
                .collect();
            if !versions.is_empty() {
                kvp.push(("ACCEPTVERSIONS".into(), versions.join(",")));
            }
        }
        "ListStoredQueries" => {}
        "DescribeFeatureType" => {
            let names: Vec<&Node> = root.children_named("TypeName").collect();
            if !names.is_empty() {
                let texts: Vec<&str> = names.iter().map(|n| n.text.as_str()).collect();
                kvp.push(("TYPENAMES".into(), texts.join(",")));
                namespaces(&[&root], &names, &mut kvp);
            }
        }
        "DescribeStoredQueries" => {
            let ids: Vec<&str> = root
                .children_named("StoredQueryId")
                .map(|n| n.text.as_str())
                .collect();
            if !ids.is_empty() {
                kvp.push(("STOREDQUERY_ID".into(), ids.join(",")));
            }
        }
        "GetFeature" | "GetPropertyValue" => {
            // 1.1 names identifiers FEATUREID, 2.0 RESOURCEID.
            let ids_key = match root.attr("version") {
                Some("1.1.0") => "FEATUREID",
                _ => "RESOURCEID",
            };
            query(&root, text, ids_key, &mut kvp)?
        }
        other => {
            return Err(OgcError::new(
                OwsCode::OperationNotSupported,
                Some("request"),
                format!("request '{other}' is not supported"),
            ))
        }
    }
    Ok(kvp)
}

/// The `version` attribute of a request body's root element: a refused
/// request is answered in that version's exception format, even when the
/// rest of the body does not parse (the reason it is refused). Only the
/// prolog and the root's start tag are read; nothing is resolved: a
/// document type declaration ends the search, as it ends the parse, and
/// the value is taken as written, without entities.
pub fn declared_version(text: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    // The XML declaration, comments, processing instructions and blanks
    // before the root: a handful in any real request.
    for _ in 0..64 {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => {
                return e
                    .attributes()
                    .filter_map(Result::ok)
                    .find(|a| a.key.as_ref() == "version")
                    .map(|a| a.value.to_string());
            }
            Event::DocType(_) | Event::Eof => return None,
            _ => {}
        }
    }
    None
}

/// The namespace bindings in scope at `path` (root first, then down),
/// declared on the elements of `path` or on any of `leaves` (a name list
/// whose items each declare their own), as the KVP `NAMESPACES`: the
/// QNames of an XML request (type names, property names) are resolved on
/// one path. Later declarations win, as inner ones do in XML.
fn namespaces(path: &[&Node], leaves: &[&Node], kvp: &mut Vec<(String, String)>) {
    let decls: Vec<(String, String)> = path
        .iter()
        .chain(leaves)
        .flat_map(|n| n.xmlns.iter().cloned())
        .collect();
    if !decls.is_empty() {
        let ns = crate::wfs::Namespaces::from_pairs(decls);
        kvp.push(("NAMESPACES".into(), ns.to_kvp()));
    }
}

/// The one `wfs:Query` or `wfs:StoredQuery` of a GetFeature or
/// GetPropertyValue; a filter of identifiers only goes to `ids_key`.
fn query(
    root: &Node,
    text: &str,
    ids_key: &str,
    kvp: &mut Vec<(String, String)>,
) -> Result<(), OgcError> {
    let queries: Vec<&Node> = root
        .children
        .iter()
        .filter(|c| c.name == "Query" || c.name == "StoredQuery")
        .collect();
    let q = match queries[..] {
        [one] => one,
        [] => return Err(OgcError::missing("Query")),
        _ => {
            return Err(OgcError::new(
                OwsCode::OperationNotSupported,
                Some("Query"),
                "one query per request (joins are not supported)",
            ))
        }
    };
    namespaces(&[root, q], &[], kvp);
    if q.name == "StoredQuery" {
        let id = q.attr("id").ok_or_else(|| OgcError::missing("id"))?;
        kvp.push(("STOREDQUERY_ID".into(), id.to_string()));
        for p in q.children_named("Parameter") {
            let name = p.attr("name").ok_or_else(|| OgcError::missing("name"))?;
            kvp.push((name.to_ascii_uppercase(), p.text.clone()));
        }
        return Ok(());
    }
    let types = q
        .attr("typeNames")
        .or_else(|| q.attr("typeName"))
        .ok_or_else(|| OgcError::missing("typeNames"))?;
    kvp.push(("TYPENAMES".into(), types.to_string()));
    if let Some(s) = q.attr("srsName") {
        kvp.push(("SRSNAME".into(), s.to_string()));
    }
    let props: Vec<&str> = q
        .children
        .iter()
        .filter(|c| c.name == "PropertyName")
        .map(|c| c.text.as_str())
        .collect();
    if !props.is_empty() {
        kvp.push(("PROPERTYNAME".into(), props.join(",")));
    }
    if let Some(f) = q.child("Filter") {
        // FES 2.0 ResourceId, FES 1.1 FeatureId and GmlObjectId.
        let ids: Vec<&str> = f
            .children
            .iter()
            .filter_map(|r| match r.name.as_str() {
                "ResourceId" => r.attr("rid"),
                "FeatureId" => r.attr("fid"),
                "GmlObjectId" => r.attr("id"),
                _ => None,
            })
            .collect();
        if ids.is_empty() {
            // The filter as written: the FES parser reads it (bounded, no DTDs).
            let src = text.get(f.span.0..f.span.1).unwrap_or_default();
            kvp.push(("FILTER".into(), src.to_string()));
        } else if ids.len() == f.children.len() {
            kvp.push((ids_key.into(), ids.join(",")));
        } else {
            return Err(invalid(
                "identifiers cannot be mixed with other filter operators",
            ));
        }
    }
    if let Some(s) = q.child("SortBy") {
        let keys = s
            .children_named("SortProperty")
            .map(|p| {
                let name = p
                    .child("ValueReference")
                    .or_else(|| p.child("PropertyName"))
                    .map(|n| n.text.as_str())
                    .ok_or_else(|| OgcError::missing("ValueReference"))?;
                let order = p.child("SortOrder").map_or("ASC", |o| o.text.as_str());
                Ok(format!("{name} {order}"))
            })
            .collect::<Result<Vec<_>, OgcError>>()?;
        kvp.push(("SORTBY".into(), keys.join(",")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{declared_version, to_kvp};

    #[test]
    fn the_version_is_read_from_the_root_of_a_broken_body() {
        let v = |body: &str| declared_version(body);
        // Each body fails to parse, for its own reason.
        for body in [
            r#"<wfs:GetFeature service="WFS" version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs"><wfs:Query typeName="nope">"#,
            "<?xml version=\"1.0\"?>\n<!-- c -->\n<GetFeature version=\"1.1.0\"><Query></Quer></GetFeature>",
            "<GetFeature version='1.1.0'><Query typeName='a'/></GetFeature><GetFeature/>",
        ] {
            assert!(to_kvp(body).is_err(), "{body}");
            assert_eq!(v(body).as_deref(), Some("1.1.0"), "{body}");
        }
        assert_eq!(
            v(r#"<GetFeature version="2.0.0"><"#).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(v("<GetFeature service='WFS'><Query>"), None);
        // `xml version` is the declaration's, not the root's.
        assert_eq!(v("<?xml version=\"1.0\"?><GetFeature/>"), None);
        assert_eq!(v("not xml at all"), None);
        assert_eq!(v(""), None);
        // Nothing before the root is resolved: a DOCTYPE ends the search.
        let xxe = r#"<!DOCTYPE x [<!ENTITY v "1.1.0">]><GetFeature version="&v;"/>"#;
        assert_eq!(v(xxe), None);
        // Entities in the value are not expanded either.
        assert_eq!(
            v(r#"<GetFeature version="&amp;1.1.0"/>"#).as_deref(),
            Some("&amp;1.1.0")
        );
    }

    fn get<'a>(kvp: &'a [(String, String)], k: &str) -> Option<&'a str> {
        kvp.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
    }

    #[test]
    fn namespaces_in_scope_become_the_kvp_parameter() {
        let body = r#"<GetFeature service="WFS" version="2.0.0" xmlns="http://www.opengis.net/wfs/2.0"
          xmlns:a="urn:x-geocentre:features"><Query xmlns:b="urn:b" typeNames="a:d.l"/></GetFeature>"#;
        let kvp = to_kvp(body).expect("parses");
        assert_eq!(
            get(&kvp, "NAMESPACES"),
            Some("xmlns(http://www.opengis.net/wfs/2.0),xmlns(a,urn:x-geocentre:features),xmlns(b,urn:b)")
        );
        let ns = crate::wfs::Namespaces::parse(get(&kvp, "NAMESPACES").unwrap()).unwrap();
        assert_eq!(ns.local("a:d.l"), Ok("d.l"));
        assert!(ns.local("b:d.l").is_err());
        let dft = r#"<DescribeFeatureType service="WFS" version="2.0.0"><TypeName
          xmlns:t="urn:x-geocentre:features">t:d.l</TypeName></DescribeFeatureType>"#;
        assert_eq!(
            get(&to_kvp(dft).expect("parses"), "NAMESPACES"),
            Some("xmlns(t,urn:x-geocentre:features)")
        );
    }

    #[test]
    fn get_feature_with_filter_sort_and_properties() {
        let body = r#"<wfs:GetFeature service="WFS" version="2.0.0" count="5"
  xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:fes="http://www.opengis.net/fes/2.0">
  <wfs:Query typeNames="gc:admin.communes" srsName="urn:ogc:def:crs:EPSG::4326">
    <wfs:PropertyName>nom</wfs:PropertyName>
    <fes:Filter><fes:PropertyIsEqualTo><fes:ValueReference>code</fes:ValueReference>
      <fes:Literal>45234</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>
    <fes:SortBy><fes:SortProperty><fes:ValueReference>nom</fes:ValueReference>
      <fes:SortOrder>DESC</fes:SortOrder></fes:SortProperty></fes:SortBy>
  </wfs:Query></wfs:GetFeature>"#;
        let kvp = to_kvp(body).expect("parses");
        assert_eq!(get(&kvp, "REQUEST"), Some("GetFeature"));
        assert_eq!(get(&kvp, "COUNT"), Some("5"));
        assert_eq!(get(&kvp, "TYPENAMES"), Some("gc:admin.communes"));
        assert_eq!(get(&kvp, "PROPERTYNAME"), Some("nom"));
        assert_eq!(get(&kvp, "SORTBY"), Some("nom DESC"));
        let f = get(&kvp, "FILTER").expect("filter");
        assert!(f.starts_with("<fes:Filter>") && f.ends_with("</fes:Filter>"));
    }

    #[test]
    fn stored_query_and_resource_ids() {
        let body = r#"<GetFeature service="WFS" version="2.0.0"><StoredQuery
          id="urn:ogc:def:query:OGC-WFS::GetFeatureById"><Parameter name="ID">a.b.3</Parameter>
          </StoredQuery></GetFeature>"#;
        let kvp = to_kvp(body).expect("parses");
        assert_eq!(get(&kvp, "ID"), Some("a.b.3"));
        let body = r#"<GetFeature><Query typeNames="a.b"><Filter><ResourceId rid="a.b.1"/>
          <ResourceId rid="a.b.2"/></Filter></Query></GetFeature>"#;
        assert_eq!(
            get(&to_kvp(body).expect("parses"), "RESOURCEID"),
            Some("a.b.1,a.b.2")
        );
    }

    #[test]
    fn refusals() {
        // Each refused for its own reason, not for a parse error.
        let why = |body: &str| {
            let e = to_kvp(body).unwrap_err();
            (e.code, e.to_string())
        };
        let (code, m) = why("<Transaction/>");
        assert_eq!(code, crate::OwsCode::OperationNotSupported, "{m}");
        assert!(m.contains("Transaction"), "{m}");
        let (_, m) = why("<GetFeature><Query typeNames='a'/><Query typeNames='b'/></GetFeature>");
        assert!(m.contains("one query per request"), "{m}");
        let xxe =
            r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><GetFeature>&e;</GetFeature>"#;
        let (_, m) = why(xxe);
        assert!(m.contains("DOCTYPE"), "{m}");
        assert!(!m.contains("root:"), "{m}");
    }

    #[test]
    fn wfs11_get_feature_and_capabilities() {
        let body = r#"<wfs:GetFeature version="1.1.0" maxFeatures="7" resultType="hits"
  outputFormat="text/xml; subtype=gml/3.1.1"
  xmlns:wfs="http://www.opengis.net/wfs" xmlns:ogc="http://www.opengis.net/ogc">
  <wfs:Query typeName="gc:admin.communes" srsName="EPSG:4326">
    <wfs:PropertyName>nom</wfs:PropertyName><wfs:PropertyName>geom</wfs:PropertyName>
    <ogc:Filter><ogc:PropertyIsLike wildCard="*" singleChar="." escapeChar="!">
      <ogc:PropertyName>code</ogc:PropertyName><ogc:Literal>45*</ogc:Literal></ogc:PropertyIsLike></ogc:Filter>
    <ogc:SortBy><ogc:SortProperty><ogc:PropertyName>nom</ogc:PropertyName>
      <ogc:SortOrder>DESC</ogc:SortOrder></ogc:SortProperty></ogc:SortBy>
  </wfs:Query></wfs:GetFeature>"#;
        let kvp = to_kvp(body).expect("parses");
        assert_eq!(get(&kvp, "SERVICE"), Some("WFS"));
        assert_eq!(get(&kvp, "VERSION"), Some("1.1.0"));
        assert_eq!(get(&kvp, "MAXFEATURES"), Some("7"));
        assert_eq!(get(&kvp, "RESULTTYPE"), Some("hits"));
        assert_eq!(get(&kvp, "TYPENAMES"), Some("gc:admin.communes"));
        assert_eq!(get(&kvp, "SRSNAME"), Some("EPSG:4326"));
        assert_eq!(get(&kvp, "PROPERTYNAME"), Some("nom,geom"));
        assert_eq!(get(&kvp, "SORTBY"), Some("nom DESC"));
        assert!(get(&kvp, "FILTER").is_some_and(|f| f.starts_with("<ogc:Filter>")));
        let ids = r#"<GetFeature version="1.1.0"><Query typeName="a.b"><Filter>
          <GmlObjectId id="a.b.1"/><FeatureId fid="a.b.2"/></Filter></Query></GetFeature>"#;
        assert_eq!(
            get(&to_kvp(ids).expect("parses"), "FEATUREID"),
            Some("a.b.1,a.b.2")
        );
        let caps = r#"<GetCapabilities service="WFS"><ows:AcceptVersions xmlns:ows="http://www.opengis.net/ows">
          <ows:Version>1.1.0</ows:Version><ows:Version>1.0.0</ows:Version></ows:AcceptVersions></GetCapabilities>"#;
        assert_eq!(
            get(&to_kvp(caps).expect("parses"), "ACCEPTVERSIONS"),
            Some("1.1.0,1.0.0")
        );
    }
}
