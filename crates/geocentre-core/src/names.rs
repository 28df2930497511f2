//! Names taken from data (field names, layer names) become XML element
//! names in GML, DescribeFeatureType and GetFeatureInfo. A name that is
//! not an XML NCName would make the document ill-formed, or inject markup
//! (a `<script>` in the XHTML namespace ran in a browser). Ingest maps
//! such names to safe ones and keeps the original as a title; writers
//! check again, since older data may predate that rule.

/// Longest name kept (GeoPackage and PostgreSQL columns stay readable).
pub const MAX_NAME_CHARS: usize = 128;

fn is_name_start(c: char) -> bool {
    // XML 1.0 (fifth edition) NameStartChar, without ':' (NCName).
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` is an XML NCName (usable as an element name after a prefix).
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// Whether `s` is already what [`safe_ncname`] would make of it.
pub fn is_safe_name(s: &str) -> bool {
    is_ncname(s) && s.chars().count() <= MAX_NAME_CHARS
}

/// `s` as an NCName: every character that cannot appear becomes `_`, a
/// name that cannot start as it does gets a leading `_`, and it is cut at
/// [`MAX_NAME_CHARS`]. Valid names are returned unchanged. The mapping is
/// not injective: callers that need unique names de-duplicate after it.
pub fn safe_ncname(s: &str) -> String {
    if is_safe_name(s) {
        return s.to_string();
    }
    let mut out: String = s
        .chars()
        .map(|c| if is_name_char(c) { c } else { '_' })
        .collect();
    if !out.starts_with(is_name_start) {
        out.insert(0, '_');
    }
    out.chars().take(MAX_NAME_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names_stay() {
        for n in ["nom", "code_insee", "début", "a-b.c", "_x", "Éléments2"] {
            assert!(is_ncname(n), "{n}");
            assert_eq!(safe_ncname(n), n);
        }
    }

    #[test]
    fn hostile_names_become_safe() {
        for n in [
            "",
            "1st",
            "a b",
            "x:y",
            "<img src=x onerror=alert(3)>",
            "b><x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">alert(1)</x:script",
            "-lead",
            "\u{0}nul",
            &"long".repeat(100),
        ] {
            let s = safe_ncname(n);
            assert!(is_safe_name(&s), "{n:?} -> {s:?}");
            assert!(!s.contains(['<', '>', '"', ':', ' ']), "{s}");
        }
        assert_eq!(safe_ncname("1st"), "_1st");
        assert_eq!(safe_ncname("a b"), "a_b");
    }
}
