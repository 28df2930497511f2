//! A small XML element tree for request bodies and filters from clients.
//! The parser (quick-xml) never resolves entities or DTDs: a document type
//! declaration is refused outright, only the five predefined entities and
//! character references are read, and size, depth and element count are
//! bounded before anything is built.

use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TreeError {
    #[error("document nested deeper than {0} levels")]
    TooDeep(usize),
    #[error("document has more than {0} elements")]
    TooLarge(usize),
    #[error("{0}")]
    Invalid(String),
}

/// Bounds on what a client's document may make us build.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_nodes: usize,
}

/// A parsed element: local name, attributes (local names), children, text,
/// and its byte span in the source (a WFS POST hands its filter on as written).
#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// The namespace declarations written on this element (`xmlns:p="uri"`
    /// as `("p", uri)`, `xmlns="uri"` as `("", uri)`): QName values such
    /// as WFS type names are resolved through them. They are not `attrs`.
    pub xmlns: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub text: String,
    pub span: (usize, usize),
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(a, _)| a == name)
            .map(|(_, v)| v.as_str())
    }
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

fn invalid(m: impl Into<String>) -> TreeError {
    TreeError::Invalid(m.into())
}

pub fn parse(text: &str, limits: Limits) -> Result<Node, TreeError> {
    if text.len() > limits.max_bytes {
        return Err(invalid(format!(
            "document longer than {} bytes",
            limits.max_bytes
        )));
    }
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    let mut nodes = 0usize;
    let mut root = None;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            invalid(format!(
                "not well-formed XML near byte {}: {e}",
                reader.buffer_position()
            ))
        })?;
        match ev {
            Event::DocType(_) => {
                return Err(invalid(
                    "document type declarations (DOCTYPE) are not allowed",
                ))
            }
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(invalid("content after the root element"))
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                nodes += 1;
                if nodes > limits.max_nodes {
                    return Err(TreeError::TooLarge(limits.max_nodes));
                }
                if stack.len() >= limits.max_depth {
                    return Err(TreeError::TooDeep(limits.max_depth));
                }
                let mut attrs = Vec::new();
                let mut xmlns = Vec::new();
                for a in e.attributes().filter_map(Result::ok) {
                    // Predefined entities only: nothing else is ever resolved.
                    let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) else {
                        continue;
                    };
                    let (key, v) = (a.key.as_ref(), v.into_owned());
                    match key.strip_prefix("xmlns") {
                        Some("") => xmlns.push((String::new(), v)),
                        Some(p) if p.starts_with(':') => xmlns.push((p[1..].to_string(), v)),
                        _ => attrs.push((local(key), v)),
                    }
                }
                stack.push(Node {
                    name: local(e.name().as_ref()),
                    attrs,
                    xmlns,
                    children: Vec::new(),
                    text: String::new(),
                    span: (before, 0),
                });
                // A self-closing element has no End event.
                if matches!(ev, Event::Empty(_)) {
                    close(&mut stack, &mut root, reader.buffer_position() as usize);
                }
            }
            Event::Text(t) => {
                if let Some(n) = stack.last_mut() {
                    // Trimmed once the element closes: entity and character
                    // references split text into pieces whose spaces count.
                    n.text.push_str(&t.xml10_content());
                }
            }
            // `&name;` and `&#n;`: the five predefined entities and
            // character references are text; any other is refused, never
            // looked up.
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    _ => match r.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(invalid(format!("entity '&{other};' is not allowed"))),
                    },
                };
                if let Some(n) = stack.last_mut() {
                    n.text.push(c);
                }
            }
            Event::CData(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t.into_inner());
                }
            }
            Event::End(_) => close(&mut stack, &mut root, reader.buffer_position() as usize),
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(invalid(format!("document ends inside <{}>", open.name)));
                }
                break;
            }
            _ => {}
        }
    }
    root.ok_or_else(|| invalid("empty document"))
}

fn close(stack: &mut Vec<Node>, root: &mut Option<Node>, end: usize) {
    if let Some(mut n) = stack.pop() {
        n.span.1 = end;
        let trimmed = n.text.trim();
        if trimmed.len() != n.text.len() {
            n.text = trimmed.to_string();
        }
        match stack.last_mut() {
            Some(parent) => parent.children.push(n),
            None => *root = Some(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const L: Limits = Limits {
        max_bytes: 1 << 16,
        max_depth: 8,
        max_nodes: 100,
    };

    #[test]
    fn doctype_and_entities_refused() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#;
        assert!(matches!(parse(xxe, L), Err(TreeError::Invalid(_))));
        assert!(parse("<a>&x;</a>", L).is_err());
        assert_eq!(
            parse("<a>&lt;&#233;</a>", L).map(|n| n.text),
            Ok("<é".into())
        );
    }

    #[test]
    fn references_keep_the_spaces_around_them() {
        let n = parse("<a>  Loiret &amp; co &#233;t&#233; </a>", L).expect("parses");
        assert_eq!(n.text, "Loiret & co été");
    }

    #[test]
    fn bounds() {
        let deep = "<a>".repeat(50) + &"</a>".repeat(50);
        assert_eq!(parse(&deep, L).err(), Some(TreeError::TooDeep(8)));
        let wide = format!("<a>{}</a>", "<b/>".repeat(200));
        assert_eq!(parse(&wide, L).err(), Some(TreeError::TooLarge(100)));
        let unclosed = parse("<a><b>", L).err().map(|e| e.to_string());
        assert!(unclosed.is_some_and(|m| m.contains("document ends inside <b>")));
        assert!(parse("<a/><b/>", L).is_err());
    }

    #[test]
    fn local_names_and_spans() {
        let src = r#"<w:Q xmlns:w="u" w:typeNames="x"><f:F>t</f:F></w:Q>"#;
        let n = parse(src, L).expect("parses");
        assert_eq!(n.name, "Q");
        assert_eq!(n.attr("typeNames"), Some("x"));
        let f = n.child("F").expect("child");
        assert_eq!(&src[f.span.0..f.span.1], "<f:F>t</f:F>");
    }

    #[test]
    fn namespace_declarations_are_kept_apart() {
        let src = r#"<Q xmlns="d" xmlns:w="u" xmlnsx="a" count="2"><F xmlns:x="v"/></Q>"#;
        let n = parse(src, L).expect("parses");
        assert_eq!(
            n.xmlns,
            vec![("".to_string(), "d".to_string()), ("w".into(), "u".into())]
        );
        // `xmlnsx` is an attribute, not a declaration.
        assert_eq!(n.attr("xmlnsx"), Some("a"));
        assert_eq!(n.attr("w"), None);
        assert_eq!(n.attrs.len(), 2);
        assert_eq!(
            n.children[0].xmlns,
            vec![("x".to_string(), "v".to_string())]
        );
    }
}
