//! A plain ISO 19139 `gmd:MD_Metadata` written from a record's fields, for
//! records that came in Dublin Core when a client asks for ISO. Records
//! imported in ISO are served as they came; our own data's records are
//! written by `geocentre_ogc::iso19139` with their INSPIRE content.

use crate::dc::absolute;
use crate::record::Record;
use geocentre_ogc::iso19139::{code, extent, string, SCHEMA_LOCATION_GMD, SCHEMA_LOCATION_GMX};
use geocentre_ogc::xml::Xml;

fn date(x: &mut Xml, tag: &str, value: &str) {
    x.open(tag, &[]);
    if value.len() > 10 {
        x.text("gco:DateTime", value.trim_end_matches('Z'));
    } else {
        x.text("gco:Date", value);
    }
    x.close(tag);
}

/// The record as an ISO 19139 document.
pub fn document(r: &Record, base: &str) -> String {
    let mut x = Xml::new();
    let location = format!("{SCHEMA_LOCATION_GMD} {SCHEMA_LOCATION_GMX}");
    x.open(
        "gmd:MD_Metadata",
        &[
            ("xmlns:gmd", "http://www.isotc211.org/2005/gmd"),
            ("xmlns:gco", "http://www.isotc211.org/2005/gco"),
            ("xmlns:gmx", "http://www.isotc211.org/2005/gmx"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &location),
        ],
    );
    string(&mut x, "gmd:fileIdentifier", &r.id);
    if !r.language.is_empty() {
        string(&mut x, "gmd:language", &r.language);
    }
    let scope = match r.type_word() {
        "dataset" | "series" | "service" => r.type_word(),
        _ => "dataset",
    };
    code(&mut x, "gmd:hierarchyLevel", "MD_ScopeCode", scope);
    let org = r.organisations.first().map(String::as_str).unwrap_or("");
    x.open("gmd:contact", &[]);
    x.open("gmd:CI_ResponsibleParty", &[]);
    if !org.is_empty() {
        string(&mut x, "gmd:organisationName", org);
    }
    code(&mut x, "gmd:role", "CI_RoleCode", "pointOfContact");
    x.close("gmd:CI_ResponsibleParty");
    x.close("gmd:contact");
    let stamp = if r.modified.is_empty() {
        "1970-01-01"
    } else {
        &r.modified
    };
    date(&mut x, "gmd:dateStamp", stamp);
    for c in &r.crs {
        x.open("gmd:referenceSystemInfo", &[]);
        x.open("gmd:MD_ReferenceSystem", &[]);
        x.open("gmd:referenceSystemIdentifier", &[]);
        x.open("gmd:RS_Identifier", &[]);
        string(&mut x, "gmd:code", c);
        x.close("gmd:RS_Identifier");
        x.close("gmd:referenceSystemIdentifier");
        x.close("gmd:MD_ReferenceSystem");
        x.close("gmd:referenceSystemInfo");
    }
    x.open("gmd:identificationInfo", &[]);
    x.open("gmd:MD_DataIdentification", &[]);
    x.open("gmd:citation", &[]);
    x.open("gmd:CI_Citation", &[]);
    string(&mut x, "gmd:title", &r.title);
    let dates: Vec<(&str, &str)> = [
        ("creation", r.created.as_deref()),
        ("publication", r.published.as_deref()),
        ("revision", r.revised.as_deref().or(Some(stamp))),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    for (kind, when) in dates {
        x.open("gmd:date", &[]);
        x.open("gmd:CI_Date", &[]);
        date(&mut x, "gmd:date", when);
        code(&mut x, "gmd:dateType", "CI_DateTypeCode", kind);
        x.close("gmd:CI_Date");
        x.close("gmd:date");
    }
    for id in &r.resource_ids {
        x.open("gmd:identifier", &[]);
        x.open("gmd:MD_Identifier", &[]);
        string(&mut x, "gmd:code", id);
        x.close("gmd:MD_Identifier");
        x.close("gmd:identifier");
    }
    x.close("gmd:CI_Citation");
    x.close("gmd:citation");
    string(&mut x, "gmd:abstract", &r.abstract_);
    if !r.keywords.is_empty() {
        x.open("gmd:descriptiveKeywords", &[]);
        x.open("gmd:MD_Keywords", &[]);
        for k in &r.keywords {
            string(&mut x, "gmd:keyword", k);
        }
        x.close("gmd:MD_Keywords");
        x.close("gmd:descriptiveKeywords");
    }
    for rights in &r.rights {
        x.open("gmd:resourceConstraints", &[]);
        x.open("gmd:MD_Constraints", &[]);
        string(&mut x, "gmd:useLimitation", rights);
        x.close("gmd:MD_Constraints");
        x.close("gmd:resourceConstraints");
    }
    string(
        &mut x,
        "gmd:language",
        if r.language.is_empty() {
            "und"
        } else {
            &r.language
        },
    );
    for t in &r.topics {
        x.open("gmd:topicCategory", &[]);
        x.text("gmd:MD_TopicCategoryCode", t);
        x.close("gmd:topicCategory");
    }
    if let Some(b) = r.bbox {
        extent(&mut x, "gmd:extent", b);
    }
    x.close("gmd:MD_DataIdentification");
    x.close("gmd:identificationInfo");
    if !r.formats.is_empty() || !r.links.is_empty() {
        x.open("gmd:distributionInfo", &[]);
        x.open("gmd:MD_Distribution", &[]);
        for f in &r.formats {
            x.open("gmd:distributionFormat", &[]);
            x.open("gmd:MD_Format", &[]);
            string(&mut x, "gmd:name", f);
            string(&mut x, "gmd:version", "");
            x.close("gmd:MD_Format");
            x.close("gmd:distributionFormat");
        }
        if !r.links.is_empty() {
            x.open("gmd:transferOptions", &[]);
            x.open("gmd:MD_DigitalTransferOptions", &[]);
            for l in &r.links {
                x.open("gmd:onLine", &[]);
                x.open("gmd:CI_OnlineResource", &[]);
                x.open("gmd:linkage", &[]);
                x.text("gmd:URL", &absolute(base, &l.url));
                x.close("gmd:linkage");
                if !l.protocol.is_empty() {
                    string(&mut x, "gmd:protocol", &l.protocol);
                }
                if !l.name.is_empty() {
                    string(&mut x, "gmd:name", &l.name);
                }
                if !l.function.is_empty() {
                    code(&mut x, "gmd:function", "CI_OnLineFunctionCode", &l.function);
                }
                x.close("gmd:CI_OnlineResource");
                x.close("gmd:onLine");
            }
            x.close("gmd:MD_DigitalTransferOptions");
            x.close("gmd:transferOptions");
        }
        x.close("gmd:MD_Distribution");
        x.close("gmd:distributionInfo");
    }
    if let Some(l) = &r.lineage {
        x.open("gmd:dataQualityInfo", &[]);
        x.open("gmd:DQ_DataQuality", &[]);
        x.open("gmd:scope", &[]);
        x.open("gmd:DQ_Scope", &[]);
        code(&mut x, "gmd:level", "MD_ScopeCode", scope);
        x.close("gmd:DQ_Scope");
        x.close("gmd:scope");
        x.open("gmd:lineage", &[]);
        x.open("gmd:LI_Lineage", &[]);
        string(&mut x, "gmd:statement", l);
        x.close("gmd:LI_Lineage");
        x.close("gmd:lineage");
        x.close("gmd:DQ_DataQuality");
        x.close("gmd:dataQualityInfo");
    }
    x.close("gmd:MD_Metadata");
    x.finish()
}
