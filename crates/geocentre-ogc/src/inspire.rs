//! The INSPIRE common part of extended capabilities (Technical Guidance,
//! scenario 1), shared by the view service (WMS) and the download service
//! (WFS): a link to the service's metadata record and the languages,
//! French first.

use crate::xml::Xml;

pub const COMMON: &str = "http://inspire.ec.europa.eu/schemas/common/1.0";

/// The media type the server's ISO 19139 records are served with (bare
/// `gmd:MD_Metadata` documents, `routes/records.rs`). Every link to one
/// names it — WMS `MetadataURL/Format`, INSPIRE `MetadataUrl/MediaType`,
/// WMTS `ows:Metadata` — so that what a client is told is what it gets
/// (OGC CITE `getcapabilities:resource-format` compares them).
pub const RECORD_MEDIA_TYPE: &str = "application/xml";

/// The languages a view service answers in: French, its default, and
/// English (INSPIRE: the LANGUAGE parameter of GetCapabilities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Fre,
    Eng,
}

impl Language {
    /// The LANGUAGE parameter: a supported ISO 639-2/B code (case-blind),
    /// else (absent, unsupported) the default, French (INSPIRE TG view
    /// services: an unsupported language is answered in the default one).
    pub fn from_param(p: Option<&str>) -> Language {
        match p.map(str::trim) {
            Some(l) if l.eq_ignore_ascii_case("eng") => Language::Eng,
            _ => Language::Fre,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Language::Fre => "fre",
            Language::Eng => "eng",
        }
    }
}

/// Writes MetadataUrl, SupportedLanguages (`languages`, the default
/// first) and ResponseLanguage (`response`). `typed` adds the `xsi:type`
/// the WMS 1.3.0 substitution group needs.
pub fn metadata_and_languages_in(
    x: &mut Xml,
    metadata_url: &str,
    media_type: &str,
    typed: bool,
    languages: &[&str],
    response: &str,
) {
    let attrs: &[(&str, &str)] = if typed {
        &[("xsi:type", "inspire_common:resourceLocatorType")]
    } else {
        &[]
    };
    x.open("inspire_common:MetadataUrl", attrs);
    x.text("inspire_common:URL", metadata_url);
    x.text("inspire_common:MediaType", media_type);
    x.close("inspire_common:MetadataUrl");
    x.open("inspire_common:SupportedLanguages", &[]);
    for (i, l) in languages.iter().enumerate() {
        let el = if i == 0 {
            "inspire_common:DefaultLanguage"
        } else {
            "inspire_common:SupportedLanguage"
        };
        x.open(el, &[]);
        x.text("inspire_common:Language", l);
        x.close(el);
    }
    x.close("inspire_common:SupportedLanguages");
    x.open("inspire_common:ResponseLanguage", &[]);
    x.text("inspire_common:Language", response);
    x.close("inspire_common:ResponseLanguage");
}

/// The view services' block (WMS, WMTS): French and English, answered in
/// `response`.
pub fn metadata_and_languages(
    x: &mut Xml,
    metadata_url: &str,
    media_type: &str,
    typed: bool,
    response: Language,
) {
    metadata_and_languages_in(
        x,
        metadata_url,
        media_type,
        typed,
        &["fre", "eng"],
        response.code(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_or_absent_language_is_the_default() {
        assert_eq!(Language::from_param(Some("eng")), Language::Eng);
        assert_eq!(Language::from_param(Some(" ENG ")), Language::Eng);
        for p in [None, Some(""), Some("fre"), Some("ger"), Some("zzzz")] {
            assert_eq!(Language::from_param(p), Language::Fre, "{p:?}");
        }
        let mut x = Xml::new();
        metadata_and_languages(&mut x, "http://x", RECORD_MEDIA_TYPE, false, Language::Eng);
        assert!(x
            .finish()
            .contains("<inspire_common:ResponseLanguage><inspire_common:Language>eng<"));
    }
}
