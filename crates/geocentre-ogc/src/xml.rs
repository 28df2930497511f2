//! Minimal XML writing on top of quick-xml's escaping.

use std::fmt::Write;

pub fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
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
