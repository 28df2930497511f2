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
    match root.name.as_str() {
        "GetCapabilities" | "ListStoredQueries" => {}
        "DescribeFeatureType" => {
            let names: Vec<&str> = root
                .children_named("TypeName")
                .map(|n| n.text.as_str())
                .collect();
            if !names.is_empty() {
                kvp.push(("TYPENAMES".into(), names.join(",")));
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
        "GetFeature" | "GetPropertyValue" => query(&root, text, &mut kvp)?,
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

/// The one `wfs:Query` or `wfs:StoredQuery` of a GetFeature or
/// GetPropertyValue.
fn query(root: &Node, text: &str, kvp: &mut Vec<(String, String)>) -> Result<(), OgcError> {
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
        let ids: Vec<&str> = f
            .children_named("ResourceId")
            .filter_map(|r| r.attr("rid"))
            .collect();
        if ids.is_empty() {
            // The filter as written: the FES parser reads it (bounded, no DTDs).
            let src = text.get(f.span.0..f.span.1).unwrap_or_default();
            kvp.push(("FILTER".into(), src.to_string()));
        } else if ids.len() == f.children.len() {
            kvp.push(("RESOURCEID".into(), ids.join(",")));
        } else {
            return Err(invalid(
                "ResourceId cannot be mixed with other filter operators",
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
    use super::to_kvp;

    fn get<'a>(kvp: &'a [(String, String)], k: &str) -> Option<&'a str> {
        kvp.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
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
        assert!(to_kvp("<Transaction/>").is_err());
        assert!(
            to_kvp("<GetFeature><Query typeNames='a'/><Query typeNames='b'/></GetFeature>")
                .is_err()
        );
        let xxe =
            r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><GetFeature>&e;</GetFeature>"#;
        assert!(to_kvp(xxe).is_err());
    }
}
