//! OWS exception reports (OWS 1.1, as WMTS 1.0 uses).

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
            OwsCode::NoApplicableCode => "NoApplicableCode",
        }
    }

    /// HTTP status per OGC 07-057r7 (WMTS 1.0) table 28 and OWS 1.1 §8.6.
    pub fn http_status(self) -> u16 {
        match self {
            OwsCode::OperationNotSupported => 501,
            OwsCode::NotFound => 404,
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

    pub fn to_xml(&self) -> String {
        let mut x = Xml::new();
        x.open(
            "ows:ExceptionReport",
            &[
                ("xmlns:ows", "http://www.opengis.net/ows/1.1"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                (
                    "xsi:schemaLocation",
                    "http://www.opengis.net/ows/1.1 http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd",
                ),
                ("version", "1.1.0"),
                ("xml:lang", "fr"),
            ],
        );
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
