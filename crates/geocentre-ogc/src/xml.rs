//! Minimal XML writing on top of quick-xml's escaping.

use std::fmt::Write;

pub fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    // XML 1.0 cannot carry most control characters, even as references:
    // one in a value from data, or echoed from a request, would make the
    // whole document ill-formed for every client. They become U+FFFD.
    if s.chars().any(not_xml_char) {
        let clean: String = s
            .chars()
            .map(|c| if not_xml_char(c) { '\u{FFFD}' } else { c })
            .collect();
        return std::borrow::Cow::Owned(quick_xml::escape::escape(&clean).into_owned());
    }
    quick_xml::escape::escape(s)
}

/// Characters outside XML 1.0's `Char` production (Rust strings hold no
/// surrogates, so only the controls and U+FFFE/U+FFFF are left).
fn not_xml_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A string builder with element helpers; the documents we write are
/// small and flat, so a string is both the fastest and the clearest.
#[derive(Default)]
pub struct Xml {
    pub out: String,
}

impl Xml {
    pub fn new() -> Xml {
        let mut x = Xml::default();
        x.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x
    }
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        let _ = write!(self.out, "<{tag}");
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", esc(v));
        }
        self.out.push('>');
        self
    }
    pub fn close(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.out, "</{tag}>");
        self
    }
    pub fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        let _ = write!(self.out, "<{tag}");
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", esc(v));
        }
        self.out.push_str("/>");
        self
    }
    pub fn text(&mut self, tag: &str, text: &str) -> &mut Self {
        let _ = write!(self.out, "<{tag}>{}</{tag}>", esc(text));
        self
    }
    pub fn text_attrs(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.open(tag, attrs);
        self.out.push_str(&esc(text));
        self.close(tag)
    }
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn control_characters_cannot_break_a_document() {
        assert_eq!(esc("a\u{0}b\u{1b}c\td\ne"), "a\u{FFFD}b\u{FFFD}c\td\ne");
        assert_eq!(esc("<x>&\u{1}"), "&lt;x&gt;&amp;\u{FFFD}");
        assert_eq!(esc("plain"), "plain");
    }
}
