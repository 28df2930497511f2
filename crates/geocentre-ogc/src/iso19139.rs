//! ISO 19115/19139 metadata records, INSPIRE flavoured: one per published
//! orthophoto view (dataset) and one for the view service (scenario 1 of
//! the INSPIRE view-service guidance links the capabilities to it).

use crate::wmts::fmt_num;
use crate::xml::Xml;

const CODELISTS: &str = "http://standards.iso.org/iso/19139/resources/gmxCodelists.xml";

pub struct Party<'a> {
    pub organisation: &'a str,
    pub email: &'a str,
}

pub struct OnlineResource {
    pub url: String,
    pub protocol: Protocol,
    pub name: String,
    /// The INSPIRE network service this locator reaches, for the links
    /// from a data set to the services that offer it (TG Metadata 2.0,
    /// conformance class 8): `gmd:applicationProfile`. None for a plain
    /// link (a service not declared as an INSPIRE network service).
    pub service: Option<InspireService>,
}

/// What a resource locator speaks: a value of the INSPIRE ProtocolValue
/// register (TG Metadata 2.0, 3.3.3), written as a `gmx:Anchor` to its
/// URI with the protocol's name as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Wms,
    Wmts,
    Wfs,
    OgcApiFeatures,
}

impl Protocol {
    /// The register value (its URI) and its label.
    pub fn anchor(self) -> (&'static str, &'static str) {
        match self {
            Protocol::Wms => (
                "http://www.opengis.net/def/serviceType/ogc/wms",
                "OGC Web Map Service",
            ),
            Protocol::Wmts => (
                "http://www.opengis.net/def/serviceType/ogc/wmts",
                "OGC Web Map Tile Service",
            ),
            Protocol::Wfs => (
                "http://www.opengis.net/def/serviceType/ogc/wfs",
                "OGC Web Feature Service",
            ),
            Protocol::OgcApiFeatures => (
                "http://www.opengis.net/def/docs/17-069r3",
                "OGC API - Features - Part 1: Core",
            ),
        }
    }
}

/// The INSPIRE network service types a data set's resource locator may
/// name (SpatialDataServiceType register; labels in the records'
/// language, French, as Regulation 1205/2008 names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspireService {
    View,
    Download,
}

impl InspireService {
    pub fn anchor(self) -> (&'static str, &'static str) {
        match self {
            InspireService::View => (
                "http://inspire.ec.europa.eu/metadata-codelist/SpatialDataServiceType/view",
                "Service de consultation",
            ),
            InspireService::Download => (
                "http://inspire.ec.europa.eu/metadata-codelist/SpatialDataServiceType/download",
                "Service de téléchargement",
            ),
        }
    }
}

pub struct DatasetRecord<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub abstract_: &'a str,
    pub party: Party<'a>,
    /// YYYY-MM-DD.
    pub date_stamp: &'a str,
    pub publication_date: &'a str,
    /// lon/lat.
    pub wgs84: [f64; 4],
    /// Ground resolution of imagery; None for vector data.
    pub resolution_m: Option<f64>,
    /// INSPIRE theme (GEMET), e.g. "Ortho-imagerie", "Unités administratives".
    pub theme: &'a str,
    pub keywords: &'a [&'a str],
    /// ISO topic category, e.g. `imageryBaseMapsEarthCover`, `boundaries`.
    pub topic: &'a str,
    pub lineage: &'a str,
    pub online: Vec<OnlineResource>,
    /// EPSG code of the data's reference system.
    pub crs_epsg: u32,
    /// Distribution formats (name, version): what the services deliver.
    pub formats: &'a [(&'a str, &'a str)],
}

pub struct ServiceRecord<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub abstract_: &'a str,
    pub party: Party<'a>,
    pub date_stamp: &'a str,
    pub wgs84: Option<[f64; 4]>,
    pub capabilities_url: &'a str,
    /// URLs of the dataset records the service shows.
    pub operates_on: Vec<String>,
    pub kind: ServiceKind,
}

/// INSPIRE service types: view (WMS, WMTS) or download (WFS, OGC API).
#[derive(Debug, Clone, Copy)]
pub enum ServiceKind {
    /// WMS 1.3.0.
    View,
    /// WMTS 1.0.0.
    ViewTiles,
    Download,
    /// CSW 2.0.2, the INSPIRE discovery service.
    Discovery,
}

impl ServiceKind {
    /// Classification keyword (ISO 19119), service type, protocol version.
    fn terms(self) -> (&'static str, &'static str, &'static str) {
        match self {
            ServiceKind::View => ("infoMapAccessService", "view", "1.3.0"),
            ServiceKind::ViewTiles => ("infoMapAccessService", "view", "1.0.0"),
            ServiceKind::Download => ("infoFeatureAccessService", "download", "2.0.0"),
            ServiceKind::Discovery => ("infoCatalogueService", "discovery", "2.0.2"),
        }
    }
}

/// INSPIRE code list registers: the values of the legal constraints are
/// anchors to them (TG Metadata 2.0, requirements C.17 and C.18).
const LIMITATIONS_NO_LIMITATIONS: &str =
    "http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/noLimitations";
const CONDITIONS_NONE_APPLY: &str =
    "http://inspire.ec.europa.eu/metadata-codelist/ConditionsApplyingToAccessAndUse/noConditionsApply";

/// The regulations conformity is declared against, with the title and
/// date of publication the INSPIRE validator expects in the metadata
/// language (French). The title of Regulation 1089/2010 is copied from
/// the validator's enumeration (schemas/common/1.0/enums/enum_fre.xsd of
/// inspire-eu-validation/ets-repository, `N o` included); 976/2009's is
/// its title in the Official Journal.
pub const REG_1089_2010_FR: &str = "RÈGLEMENT (UE) N o 1089/2010 DE LA COMMISSION du 23 novembre 2010 portant modalités d'application de la directive 2007/2/CE du Parlement européen et du Conseil en ce qui concerne l'interopérabilité des séries et des services de données géographiques";
pub const REG_1089_2010_DATE: &str = "2010-12-08";
pub const REG_976_2009_FR: &str = "Règlement (CE) n o 976/2009 de la Commission du 19 octobre 2009 portant modalités d'application de la directive 2007/2/CE du Parlement européen et du Conseil en ce qui concerne les services en réseau";
pub const REG_976_2009_DATE: &str = "2009-10-20";

/// The official ISO 19139 schemas (the ISO/TC 211 schemas as the OGC
/// schema repository serves them, 2007-04-17), by namespace: gmd for
/// every record, gmx for the register anchors every record holds
/// (constraints, protocols), srv for service records. gmd comes first,
/// then gmx and srv, which import it: validators that build one schema
/// from the list in order (Xerces, as the INSPIRE validator's own
/// wrapper does) need that order.
pub const SCHEMA_LOCATION_GMD: &str =
    "http://www.isotc211.org/2005/gmd http://schemas.opengis.net/iso/19139/20070417/gmd/gmd.xsd";
pub const SCHEMA_LOCATION_GMX: &str =
    "http://www.isotc211.org/2005/gmx http://schemas.opengis.net/iso/19139/20070417/gmx/gmx.xsd";
pub const SCHEMA_LOCATION_SRV: &str =
    "http://www.isotc211.org/2005/srv http://schemas.opengis.net/iso/19139/20070417/srv/1.0/srv.xsd";

/// The root element, with the schemas the record validates against
/// (xsi:schemaLocation: validators such as the INSPIRE download service
/// tests refuse a record that does not name them).
fn root(x: &mut Xml, service: bool) {
    let location = if service {
        format!("{SCHEMA_LOCATION_GMD} {SCHEMA_LOCATION_GMX} {SCHEMA_LOCATION_SRV}")
    } else {
        format!("{SCHEMA_LOCATION_GMD} {SCHEMA_LOCATION_GMX}")
    };
    x.open(
        "gmd:MD_Metadata",
        &[
            ("xmlns:gmd", "http://www.isotc211.org/2005/gmd"),
            ("xmlns:gco", "http://www.isotc211.org/2005/gco"),
            ("xmlns:gmx", "http://www.isotc211.org/2005/gmx"),
            ("xmlns:srv", "http://www.isotc211.org/2005/srv"),
            ("xmlns:gml", "http://www.opengis.net/gml"),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &location),
        ],
    );
}

/// A property holding a `gco:CharacterString`.
pub fn string(x: &mut Xml, tag: &str, value: &str) {
    x.open(tag, &[]);
    x.text("gco:CharacterString", value);
    x.close(tag);
}

/// A property holding a value of an ISO code list (`gmd:{list}`).
pub fn code(x: &mut Xml, tag: &str, list: &str, value: &str) {
    x.open(tag, &[]);
    let list_url = format!("{CODELISTS}#{list}");
    x.text_attrs(
        &format!("gmd:{list}"),
        &[("codeList", &list_url), ("codeListValue", value)],
        value,
    );
    x.close(tag);
}

fn language(x: &mut Xml, tag: &str) {
    x.open(tag, &[]);
    x.text_attrs(
        "gmd:LanguageCode",
        &[
            ("codeList", "http://www.loc.gov/standards/iso639-2/"),
            ("codeListValue", "fre"),
        ],
        "fre",
    );
    x.close(tag);
}

fn header(x: &mut Xml, id: &str, scope: &str, party: &Party, date_stamp: &str) {
    string(x, "gmd:fileIdentifier", id);
    language(x, "gmd:language");
    code(x, "gmd:characterSet", "MD_CharacterSetCode", "utf8");
    code(x, "gmd:hierarchyLevel", "MD_ScopeCode", scope);
    if scope == "service" {
        // A service record names its level once more (TG Metadata 2.0,
        // SDS requirement 3.1).
        string(x, "gmd:hierarchyLevelName", "service");
    }
    responsible(x, "gmd:contact", party, "pointOfContact");
    x.open("gmd:dateStamp", &[]);
    x.text("gco:Date", date_stamp);
    x.close("gmd:dateStamp");
    string(
        x,
        "gmd:metadataStandardName",
        "ISO 19115:2003/19139 (INSPIRE)",
    );
    string(x, "gmd:metadataStandardVersion", "1.0");
}

fn responsible(x: &mut Xml, tag: &str, party: &Party, role: &str) {
    x.open(tag, &[]);
    x.open("gmd:CI_ResponsibleParty", &[]);
    string(x, "gmd:organisationName", party.organisation);
    x.open("gmd:contactInfo", &[]);
    x.open("gmd:CI_Contact", &[]);
    x.open("gmd:address", &[]);
    x.open("gmd:CI_Address", &[]);
    string(x, "gmd:electronicMailAddress", party.email);
    x.close("gmd:CI_Address");
    x.close("gmd:address");
    x.close("gmd:CI_Contact");
    x.close("gmd:contactInfo");
    code(x, "gmd:role", "CI_RoleCode", role);
    x.close("gmd:CI_ResponsibleParty");
    x.close(tag);
}

/// A citation's publication date.
fn publication_date(x: &mut Xml, date: &str) {
    x.open("gmd:date", &[]);
    x.open("gmd:CI_Date", &[]);
    x.open("gmd:date", &[]);
    x.text("gco:Date", date);
    x.close("gmd:date");
    code(x, "gmd:dateType", "CI_DateTypeCode", "publication");
    x.close("gmd:CI_Date");
    x.close("gmd:date");
}

fn citation(x: &mut Xml, title: &str, date: &str, identifier: Option<&str>) {
    x.open("gmd:citation", &[]);
    x.open("gmd:CI_Citation", &[]);
    string(x, "gmd:title", title);
    publication_date(x, date);
    if let Some(id) = identifier {
        x.open("gmd:identifier", &[]);
        x.open("gmd:MD_Identifier", &[]);
        string(x, "gmd:code", id);
        x.close("gmd:MD_Identifier");
        x.close("gmd:identifier");
    }
    x.close("gmd:CI_Citation");
    x.close("gmd:citation");
}

fn keywords(x: &mut Xml, words: &[&str], thesaurus: Option<(&str, &str)>) {
    x.open("gmd:descriptiveKeywords", &[]);
    x.open("gmd:MD_Keywords", &[]);
    for w in words {
        string(x, "gmd:keyword", w);
    }
    if let Some((title, date)) = thesaurus {
        x.open("gmd:thesaurusName", &[]);
        x.open("gmd:CI_Citation", &[]);
        string(x, "gmd:title", title);
        publication_date(x, date);
        x.close("gmd:CI_Citation");
        x.close("gmd:thesaurusName");
    }
    x.close("gmd:MD_Keywords");
    x.close("gmd:descriptiveKeywords");
}

/// A `gmd:otherConstraints` whose value is an INSPIRE register entry.
fn anchored(x: &mut Xml, href: &str, text: &str) {
    x.open("gmd:otherConstraints", &[]);
    x.text_attrs("gmx:Anchor", &[("xlink:href", href)], text);
    x.close("gmd:otherConstraints");
}

/// Open data: no limitation on public access and no condition on access
/// and use, each its own MD_LegalConstraints with its register anchor
/// (TG Metadata 2.0 C.17, C.18). A free text where the anchor belongs
/// failed C.17, and was then read as the conditions.
fn open_constraints(x: &mut Xml) {
    x.open("gmd:resourceConstraints", &[]);
    x.open("gmd:MD_LegalConstraints", &[]);
    code(
        x,
        "gmd:accessConstraints",
        "MD_RestrictionCode",
        "otherRestrictions",
    );
    anchored(
        x,
        LIMITATIONS_NO_LIMITATIONS,
        "Pas de restriction d'accès public",
    );
    x.close("gmd:MD_LegalConstraints");
    x.close("gmd:resourceConstraints");
    x.open("gmd:resourceConstraints", &[]);
    x.open("gmd:MD_LegalConstraints", &[]);
    code(
        x,
        "gmd:useConstraints",
        "MD_RestrictionCode",
        "otherRestrictions",
    );
    anchored(x, CONDITIONS_NONE_APPLY, "Aucune condition ne s'applique");
    x.close("gmd:MD_LegalConstraints");
    x.close("gmd:resourceConstraints");
}

/// A conformity report against `title` (published `date`). Conformity is
/// not evaluated here: `pass` is nil, reason unknown (TG Metadata 2.0
/// C.20-C.22: "not evaluated").
fn conformity(x: &mut Xml, title: &str, date: &str) {
    x.open("gmd:report", &[]);
    x.open("gmd:DQ_DomainConsistency", &[]);
    x.open("gmd:result", &[]);
    x.open("gmd:DQ_ConformanceResult", &[]);
    x.open("gmd:specification", &[]);
    x.open("gmd:CI_Citation", &[]);
    string(x, "gmd:title", title);
    publication_date(x, date);
    x.close("gmd:CI_Citation");
    x.close("gmd:specification");
    string(x, "gmd:explanation", "Voir la spécification référencée");
    x.empty("gmd:pass", &[("gco:nilReason", "unknown")]);
    x.close("gmd:DQ_ConformanceResult");
    x.close("gmd:result");
    x.close("gmd:DQ_DomainConsistency");
    x.close("gmd:report");
}

/// An extent property (`tag`) holding a lon/lat bounding box.
pub fn extent(x: &mut Xml, tag: &str, b: [f64; 4]) {
    x.open(tag, &[]);
    x.open("gmd:EX_Extent", &[]);
    x.open("gmd:geographicElement", &[]);
    x.open("gmd:EX_GeographicBoundingBox", &[]);
    for (t, v) in [
        ("gmd:westBoundLongitude", b[0]),
        ("gmd:eastBoundLongitude", b[2]),
        ("gmd:southBoundLatitude", b[1]),
        ("gmd:northBoundLatitude", b[3]),
    ] {
        x.open(t, &[]);
        x.text("gco:Decimal", &fmt_num(v));
        x.close(t);
    }
    x.close("gmd:EX_GeographicBoundingBox");
    x.close("gmd:geographicElement");
    x.close("gmd:EX_Extent");
    x.close(tag);
}

fn online(x: &mut Xml, r: &OnlineResource) {
    x.open("gmd:onLine", &[]);
    x.open("gmd:CI_OnlineResource", &[]);
    x.open("gmd:linkage", &[]);
    x.text("gmd:URL", &r.url);
    x.close("gmd:linkage");
    // Register values as anchors, the TG Metadata 2.0 encoding (a free
    // text such as `OGC:WMS` is no value of the ProtocolValue register).
    let (href, label) = r.protocol.anchor();
    x.open("gmd:protocol", &[]);
    x.text_attrs("gmx:Anchor", &[("xlink:href", href)], label);
    x.close("gmd:protocol");
    if let Some(s) = r.service {
        let (href, label) = s.anchor();
        x.open("gmd:applicationProfile", &[]);
        x.text_attrs("gmx:Anchor", &[("xlink:href", href)], label);
        x.close("gmd:applicationProfile");
    }
    string(x, "gmd:name", &r.name);
    x.close("gmd:CI_OnlineResource");
    x.close("gmd:onLine");
}

pub fn dataset_record(m: &DatasetRecord) -> String {
    let mut x = Xml::new();
    root(&mut x, false);
    header(&mut x, m.id, "dataset", &m.party, m.date_stamp);
    x.open("gmd:referenceSystemInfo", &[]);
    x.open("gmd:MD_ReferenceSystem", &[]);
    x.open("gmd:referenceSystemIdentifier", &[]);
    x.open("gmd:RS_Identifier", &[]);
    string(
        &mut x,
        "gmd:code",
        &format!("http://www.opengis.net/def/crs/EPSG/0/{}", m.crs_epsg),
    );
    x.close("gmd:RS_Identifier");
    x.close("gmd:referenceSystemIdentifier");
    x.close("gmd:MD_ReferenceSystem");
    x.close("gmd:referenceSystemInfo");
    x.open("gmd:identificationInfo", &[]);
    x.open("gmd:MD_DataIdentification", &[]);
    citation(&mut x, m.title, m.publication_date, Some(m.id));
    string(&mut x, "gmd:abstract", m.abstract_);
    responsible(&mut x, "gmd:pointOfContact", &m.party, "custodian");
    keywords(
        &mut x,
        &[m.theme],
        Some(("GEMET - INSPIRE themes, version 1.0", "2008-06-01")),
    );
    keywords(&mut x, m.keywords, None);
    open_constraints(&mut x);
    code(
        &mut x,
        "gmd:spatialRepresentationType",
        "MD_SpatialRepresentationTypeCode",
        if m.resolution_m.is_some() {
            "grid"
        } else {
            "vector"
        },
    );
    if let Some(r) = m.resolution_m {
        x.open("gmd:spatialResolution", &[]);
        x.open("gmd:MD_Resolution", &[]);
        x.open("gmd:distance", &[]);
        x.text_attrs("gco:Distance", &[("uom", "m")], &fmt_num(r));
        x.close("gmd:distance");
        x.close("gmd:MD_Resolution");
        x.close("gmd:spatialResolution");
    }
    language(&mut x, "gmd:language");
    x.open("gmd:topicCategory", &[]);
    x.text("gmd:MD_TopicCategoryCode", m.topic);
    x.close("gmd:topicCategory");
    extent(&mut x, "gmd:extent", m.wgs84);
    x.close("gmd:MD_DataIdentification");
    x.close("gmd:identificationInfo");
    x.open("gmd:distributionInfo", &[]);
    x.open("gmd:MD_Distribution", &[]);
    // The encodings delivered (TG Metadata 2.0, data sets 2.6).
    for (name, version) in m.formats {
        x.open("gmd:distributionFormat", &[]);
        x.open("gmd:MD_Format", &[]);
        string(&mut x, "gmd:name", name);
        string(&mut x, "gmd:version", version);
        x.close("gmd:MD_Format");
        x.close("gmd:distributionFormat");
    }
    x.open("gmd:transferOptions", &[]);
    x.open("gmd:MD_DigitalTransferOptions", &[]);
    for r in &m.online {
        online(&mut x, r);
    }
    x.close("gmd:MD_DigitalTransferOptions");
    x.close("gmd:transferOptions");
    x.close("gmd:MD_Distribution");
    x.close("gmd:distributionInfo");
    x.open("gmd:dataQualityInfo", &[]);
    x.open("gmd:DQ_DataQuality", &[]);
    x.open("gmd:scope", &[]);
    x.open("gmd:DQ_Scope", &[]);
    code(&mut x, "gmd:level", "MD_ScopeCode", "dataset");
    x.close("gmd:DQ_Scope");
    x.close("gmd:scope");
    conformity(&mut x, REG_1089_2010_FR, REG_1089_2010_DATE);
    x.open("gmd:lineage", &[]);
    x.open("gmd:LI_Lineage", &[]);
    string(&mut x, "gmd:statement", m.lineage);
    x.close("gmd:LI_Lineage");
    x.close("gmd:lineage");
    x.close("gmd:DQ_DataQuality");
    x.close("gmd:dataQualityInfo");
    x.close("gmd:MD_Metadata");
    x.finish()
}

pub fn service_record(m: &ServiceRecord) -> String {
    let mut x = Xml::new();
    root(&mut x, true);
    header(&mut x, m.id, "service", &m.party, m.date_stamp);
    x.open("gmd:identificationInfo", &[]);
    x.open("srv:SV_ServiceIdentification", &[]);
    citation(&mut x, m.title, m.date_stamp, None);
    string(&mut x, "gmd:abstract", m.abstract_);
    responsible(&mut x, "gmd:pointOfContact", &m.party, "custodian");
    let (keyword, service_type, version) = m.kind.terms();
    keywords(&mut x, &[keyword], None);
    open_constraints(&mut x);
    x.open("srv:serviceType", &[]);
    x.text("gco:LocalName", service_type);
    x.close("srv:serviceType");
    string(&mut x, "srv:serviceTypeVersion", version);
    if let Some(b) = m.wgs84 {
        extent(&mut x, "srv:extent", b);
    }
    x.open("srv:couplingType", &[]);
    x.text_attrs(
        "srv:SV_CouplingType",
        &[
            ("codeList", "http://www.isotc211.org/2005/iso19119/resources/Codelist/gmxCodelists.xml#SV_CouplingType"),
            ("codeListValue", "tight"),
        ],
        "tight",
    );
    x.close("srv:couplingType");
    x.open("srv:containsOperations", &[]);
    x.open("srv:SV_OperationMetadata", &[]);
    string(&mut x, "srv:operationName", "GetCapabilities");
    x.open("srv:DCP", &[]);
    x.text_attrs(
        "srv:DCPList",
        &[
            (
                "codeList",
                "http://www.isotc211.org/2005/iso19119/resources/Codelist/gmxCodelists.xml#DCPList",
            ),
            ("codeListValue", "WebServices"),
        ],
        "WebServices",
    );
    x.close("srv:DCP");
    x.open("srv:connectPoint", &[]);
    x.open("gmd:CI_OnlineResource", &[]);
    x.open("gmd:linkage", &[]);
    x.text("gmd:URL", m.capabilities_url);
    x.close("gmd:linkage");
    x.close("gmd:CI_OnlineResource");
    x.close("srv:connectPoint");
    x.close("srv:SV_OperationMetadata");
    x.close("srv:containsOperations");
    for href in &m.operates_on {
        x.empty("srv:operatesOn", &[("xlink:href", href.as_str())]);
    }
    x.close("srv:SV_ServiceIdentification");
    x.close("gmd:identificationInfo");
    // One data quality element, scope service, with the conformity to the
    // network services regulation and to the interoperability one (TG
    // Metadata 2.0 C.20-C.22, SDS 3.8).
    x.open("gmd:dataQualityInfo", &[]);
    x.open("gmd:DQ_DataQuality", &[]);
    x.open("gmd:scope", &[]);
    x.open("gmd:DQ_Scope", &[]);
    code(&mut x, "gmd:level", "MD_ScopeCode", "service");
    x.open("gmd:levelDescription", &[]);
    x.open("gmd:MD_ScopeDescription", &[]);
    string(&mut x, "gmd:other", "service");
    x.close("gmd:MD_ScopeDescription");
    x.close("gmd:levelDescription");
    x.close("gmd:DQ_Scope");
    x.close("gmd:scope");
    conformity(&mut x, REG_976_2009_FR, REG_976_2009_DATE);
    conformity(&mut x, REG_1089_2010_FR, REG_1089_2010_DATE);
    x.close("gmd:DQ_DataQuality");
    x.close("gmd:dataQualityInfo");
    x.close("gmd:MD_Metadata");
    x.finish()
}
