//! OWS exception reports: OWS 1.1 (WMTS 1.0, WFS 2.0) and OWS 1.0.0
//! (WFS 1.1.0).

use crate::xml::Xml;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwsCode {
    MissingParameterValue,
    InvalidParameterValue,
    OperationNotSupported,
    VersionNegotiationFailed,
    InvalidUpdateSequence,
    TileOutOfRange,
    /// WFS 2.0.2: the resource asked for by identifier does not exist.
    NotFound,
    /// WFS 2.0 (ISO 19142 Table 3): the request was understood but could
    /// not be carried out, e.g. a comparison whose operands cannot be
    /// compared (a geometry-valued property against an envelope).
    OperationProcessingFailed,
    NoApplicableCode,
}

impl OwsCode {
    pub fn as_str(self) -> &'static str {
        match self {
            OwsCode::MissingParameterValue => "MissingParameterValue",
            OwsCode::InvalidParameterValue => "InvalidParameterValue",
            OwsCode::OperationNotSupported => "OperationNotSupported",
            OwsCode::VersionNegotiationFailed => "VersionNegotiationFailed",
            OwsCode::InvalidUpdateSequence => "InvalidUpdateSequence",
            OwsCode::TileOutOfRange => "TileOutOfRange",
            OwsCode::NotFound => "NotFound",
            OwsCode::OperationProcessingFailed => "OperationProcessingFailed",
            OwsCode::NoApplicableCode => "NoApplicableCode",
        }
    }

    /// HTTP status per OGC 07-057r7 (WMTS 1.0) table 28 and OWS 1.1 §8.6;
    /// OperationProcessingFailed per WFS 2.0 (OGC 09-025r2) Table D.2,
    /// which CITE's ets-wfs20 also expects (opengeospatial/ets-wfs20#147).
    pub fn http_status(self) -> u16 {
        match self {
            OwsCode::OperationNotSupported => 501,
            OwsCode::NotFound => 404,
            OwsCode::OperationProcessingFailed => 403,
            OwsCode::NoApplicableCode => 500,
            _ => 400,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OgcError {
    pub code: OwsCode,
    pub locator: Option<String>,
    pub message: String,
}

impl OgcError {
    pub fn new(code: OwsCode, locator: Option<&str>, message: impl Into<String>) -> OgcError {
        OgcError {
            code,
            locator: locator.map(str::to_string),
            message: message.into(),
        }
    }
    pub fn missing(param: &str) -> OgcError {
        OgcError::new(
            OwsCode::MissingParameterValue,
            Some(param),
            format!("parameter {param} is required"),
        )
    }
    pub fn invalid(param: &str, message: impl Into<String>) -> OgcError {
        OgcError::new(OwsCode::InvalidParameterValue, Some(param), message)
    }

    /// The OWS 1.1 report (WMTS 1.0 and the other OWS 1.1 services).
    pub fn to_xml(&self) -> String {
        self.to_xml_version("1.1.0")
    }

    /// The OWS 1.1 report with the given `version` attribute: WFS 2.0
    /// requires "2.0.0" (ISO 19142 / OGC 09-025r2 §7.5: "The mandatory
    /// version attribute … shall be 2.0.0"), checked by CITE's ets-wfs20.
    pub fn to_xml_version(&self, version: &str) -> String {
        self.report(
            "http://www.opengis.net/ows/1.1",
            "http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd",
            &[("version", version), ("xml:lang", "fr")],
        )
    }

    /// The OWS 1.0.0 report WFS 1.1.0 answers with: another namespace, and
    /// the language as a `language` attribute (1.0 declares no `xml:lang`).
    pub fn to_xml_ows10(&self) -> String {
        self.report(
            "http://www.opengis.net/ows",
            "http://schemas.opengis.net/ows/1.0.0/owsExceptionReport.xsd",
            &[("version", "1.0.0"), ("language", "fr")],
        )
    }

    /// The report CSW 2.0.2 answers with (OGC 07-006r1 §10.3.7): OWS
    /// 1.0.0's schema, `version="1.2.0"` as the CSW specification and
    /// CITE's ets-csw202 require.
    pub fn to_xml_csw(&self) -> String {
        self.report(
            "http://www.opengis.net/ows",
            "http://schemas.opengis.net/ows/1.0.0/owsExceptionReport.xsd",
            &[("version", "1.2.0"), ("language", "fr")],
        )
    }

    fn report(&self, ns: &str, schema: &str, attrs: &[(&str, &str)]) -> String {
        let mut x = Xml::new();
        let location = format!("{ns} {schema}");
        let mut root = vec![
            ("xmlns:ows", ns),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", location.as_str()),
        ];
        root.extend_from_slice(attrs);
        x.open("ows:ExceptionReport", &root);
        let mut attrs = vec![("exceptionCode", self.code.as_str())];
        if let Some(l) = &self.locator {
            attrs.push(("locator", l.as_str()));
        }
        x.open("ows:Exception", &attrs);
        x.text("ows:ExceptionText", &self.message);
        x.close("ows:Exception");
        x.close("ows:ExceptionReport");
        x.finish()
    }
}

impl std::fmt::Display for OgcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for OgcError {}
