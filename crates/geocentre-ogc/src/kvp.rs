//! Key-value-pair requests: parameter names are case-insensitive (OGC
//! 06-121r3 §11.5.2), values are not.

use crate::exception::OgcError;
use std::collections::HashMap;

/// Bounds what a client can make us hold for one request: every pair
/// counts, repeated or not (OGC API queries are bounded by the same figure).
pub const MAX_PARAMS: usize = 100;
const MAX_VALUE_LEN: usize = 8192;

/// Why a query string was refused before any parameter was looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("too many parameters: at most {0}")]
    TooMany(usize),
    /// The parameter's name (with U+FFFD where its own bytes were bad).
    #[error("parameter '{0}' is not valid UTF-8 once percent-decoded")]
    NotUtf8(String),
}

/// Percent-decoding of one `application/x-www-form-urlencoded` name or
/// value, to bytes (`+` is a space; a `%` not followed by two hex digits
/// is kept as it is, as browsers and the form decoders do).
fn percent_decode(s: &str) -> Vec<u8> {
    let spaced: Vec<u8> = s
        .bytes()
        .map(|b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&spaced).collect()
}

/// The pairs of a raw query string, in order. Unlike the lenient form
/// decoders, bytes that are not UTF-8 once decoded (`%FF`, the overlong
/// `%C0%AF`) are refused rather than turned into U+FFFD, which would make
/// a different value than the client sent; and at most `max` pairs are
/// read, counted before any is decoded.
pub fn decode_query(raw: &str, max: usize) -> Result<Vec<(String, String)>, QueryError> {
    let pieces = raw.split('&').filter(|p| !p.is_empty());
    if pieces.clone().count() > max {
        return Err(QueryError::TooMany(max));
    }
    pieces
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let (k, v) = (percent_decode(k), percent_decode(v));
            let name = String::from_utf8(k)
                .map_err(|e| QueryError::NotUtf8(String::from_utf8_lossy(e.as_bytes()).into()))?;
            let value = String::from_utf8(v).map_err(|_| QueryError::NotUtf8(name.clone()))?;
            Ok((name, value))
        })
        .collect()
}

/// The value of `key` (case-blind) in a raw query, decoded leniently:
/// only to choose the format of an exception for a query that was refused
/// (the version asked), never to serve it.
pub fn sniff(raw: Option<&str>, key: &str) -> Option<String> {
    raw?.split('&').take(MAX_PARAMS).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        String::from_utf8_lossy(&percent_decode(k))
            .eq_ignore_ascii_case(key)
            .then(|| {
                String::from_utf8_lossy(&percent_decode(v))
                    .trim()
                    .to_string()
            })
    })
}

/// The year of an ISO 8601 time value ("2024", "2024-06", "2024-06-01",
/// "2024-06-01T00:00:00Z"): a vintage is a year. A value that is no date
/// (`2019-13-45`, an interval) names no year, even if it starts with one.
pub fn year_of(t: &str) -> Option<i32> {
    geocentre_core::datetime::parse(t.trim())
        .ok()
        .map(|m| m.year)
}

#[derive(Debug, Default)]
pub struct Kvp {
    map: HashMap<String, String>,
    /// The names in the request's order: what is written back (paging
    /// links) is the same text from every replica, not a hash order that
    /// changes with each process.
    order: Vec<String>,
}

impl Kvp {
    /// The parameters of a request's raw query string (none: no query).
    pub fn from_query(raw: Option<&str>) -> Result<Kvp, OgcError> {
        let pairs = decode_query(raw.unwrap_or(""), MAX_PARAMS).map_err(|e| match &e {
            QueryError::TooMany(_) => OgcError::invalid("request", "too many parameters"),
            QueryError::NotUtf8(name) => OgcError::invalid(name, e.to_string()),
        })?;
        Kvp::parse(pairs)
    }

    pub fn parse(pairs: impl IntoIterator<Item = (String, String)>) -> Result<Kvp, OgcError> {
        Kvp::parse_bounded(pairs, MAX_VALUE_LEN)
    }

    /// For parameters taken from a request body (a POST's filter may hold
    /// long geometries), already bounded by the body's own limits.
    pub fn parse_bounded(
        pairs: impl IntoIterator<Item = (String, String)>,
        max_value_len: usize,
    ) -> Result<Kvp, OgcError> {
        let mut map = HashMap::new();
        let mut order = Vec::new();
        // Every pair counts: `P=1` five thousand times is five thousand.
        for (n, (k, v)) in pairs.into_iter().enumerate() {
            if n >= MAX_PARAMS {
                return Err(OgcError::invalid("request", "too many parameters"));
            }
            if v.len() > max_value_len {
                return Err(OgcError::invalid(&k, "value too long"));
            }
            // The first occurrence wins, as in most servers.
            if let std::collections::hash_map::Entry::Vacant(e) = map.entry(k.to_ascii_uppercase())
            {
                order.push(e.key().clone());
                e.insert(v);
            }
        }
        Ok(Kvp { map, order })
    }

    /// Every parameter (upper-cased name, value), in the request's order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.order
            .iter()
            .filter_map(|k| self.map.get(k).map(|v| (k.as_str(), v.as_str())))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.map
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Whether the parameter was given at all, empty included (`STYLES=`
    /// is a value; [`Kvp::get`] reads an empty one as absent).
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn require(&self, key: &str) -> Result<&str, OgcError> {
        self.get(key).ok_or_else(|| OgcError::missing(key))
    }

    pub fn require_u64(&self, key: &str) -> Result<u64, OgcError> {
        let v = self.require(key)?;
        v.trim().parse().map_err(|_| {
            OgcError::invalid(
                key,
                format!("{key} must be a non-negative integer, not '{v}'"),
            )
        })
    }

    pub fn bbox(&self, key: &str) -> Result<[f64; 4], OgcError> {
        let v = self.require(key)?;
        let parts: Vec<f64> = v
            .split(',')
            .take(5)
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| OgcError::invalid(key, format!("{key} must be four numbers")))?;
        match parts[..] {
            [a, b, c, d] => {
                let b = geocentre_core::bbox::checked([a, b, c, d])
                    .map_err(|e| OgcError::invalid(key, format!("{key}: {e}")))?;
                // A map needs an area: a point or a line is not a box here.
                if b[0] == b[2] || b[1] == b[3] {
                    return Err(OgcError::invalid(
                        key,
                        format!("{key} must have min < max on both axes"),
                    ));
                }
                Ok(b)
            }
            _ => Err(OgcError::invalid(
                key,
                format!("{key} must be four numbers"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kvp(s: &[(&str, &str)]) -> Kvp {
        Kvp::parse(s.iter().map(|(a, b)| (a.to_string(), b.to_string()))).unwrap()
    }

    /// Paging links are written from `pairs`: the request's order, the
    /// first occurrence of a repeated name, whatever the process.
    #[test]
    fn pairs_keep_the_request_order() {
        let names = [
            "service",
            "REQUEST",
            "typeNames",
            "count",
            "Zeta",
            "alpha",
            "request",
        ];
        let k = kvp(&names.map(|n| (n, n)));
        let got: Vec<(&str, &str)> = k.pairs().collect();
        assert_eq!(
            got,
            [
                ("SERVICE", "service"),
                ("REQUEST", "REQUEST"),
                ("TYPENAMES", "typeNames"),
                ("COUNT", "count"),
                ("ZETA", "Zeta"),
                ("ALPHA", "alpha"),
            ]
        );
    }

    #[test]
    fn a_time_names_a_year_only_if_it_is_a_date() {
        for (t, y) in [
            ("2024", Some(2024)),
            ("2024-06", Some(2024)),
            (" 2024-02-29 ", Some(2024)),
            ("2024-06-01T10:00:00Z", Some(2024)),
            ("2023-02-29", None),
            ("2019-13-45", None),
            ("0000-00-00", None),
            ("2021-01-01/2019-01-01", None),
            ("2021-xx", None),
            ("current", None),
        ] {
            assert_eq!(year_of(t), y, "{t}");
        }
    }

    #[test]
    fn an_empty_value_is_present_but_reads_as_absent() {
        let k = kvp(&[("styles", ""), ("LAYERS", "a")]);
        assert!(k.has("STYLES") && k.get("STYLES").is_none());
        assert!(!k.has("FORMAT"));
    }

    #[test]
    fn names_are_case_insensitive() {
        let k = kvp(&[("service", "WMTS"), ("TileRow", "3")]);
        assert_eq!(k.get("SERVICE"), Some("WMTS"));
        assert_eq!(k.require_u64("TILEROW"), Ok(3));
        assert!(k.require("LAYER").is_err());
    }

    #[test]
    fn queries_are_decoded_strictly() {
        assert_eq!(
            decode_query("a=1&B=x+y%20z&&c&d=%C3%A9&e=%ZZ%4", 10),
            Ok(vec![
                ("a".into(), "1".into()),
                ("B".into(), "x y z".into()),
                ("c".into(), "".into()),
                ("d".into(), "é".into()),
                ("e".into(), "%ZZ%4".into()),
            ])
        );
        for bad in ["%FF", "%C0%AF", "Orl%E9ans", "%ED%A0%80"] {
            assert_eq!(
                decode_query(&format!("x=1&nom={bad}"), 10),
                Err(QueryError::NotUtf8("nom".into())),
                "{bad}"
            );
        }
        assert_eq!(
            decode_query("%FF=1", 10),
            Err(QueryError::NotUtf8("\u{FFFD}".into()))
        );
        assert_eq!(decode_query("a=1&a=1&a=1", 2), Err(QueryError::TooMany(2)));
        assert!(decode_query("a=1&a=1", 2).is_ok());
    }

    #[test]
    fn every_pair_counts_toward_the_cap() {
        let same = |n: usize| Kvp::from_query(Some(&vec!["P=1"; n].join("&")));
        assert!(same(MAX_PARAMS).is_ok());
        assert_eq!(
            same(MAX_PARAMS + 1).unwrap_err().locator.as_deref(),
            Some("request")
        );
        let pairs = vec![("P".to_string(), "1".to_string()); MAX_PARAMS + 1];
        assert!(Kvp::parse(pairs).is_err());
        let e = Kvp::from_query(Some("SERVICE=WMS&LAYERS=%FF")).unwrap_err();
        assert_eq!(e.locator.as_deref(), Some("LAYERS"));
    }

    #[test]
    fn sniffing_finds_the_version_of_a_refused_query() {
        let q = "service=WFS&version=1.1.0&typename=%FF";
        assert_eq!(sniff(Some(q), "VERSION").as_deref(), Some("1.1.0"));
        assert_eq!(sniff(Some(q), "REQUEST"), None);
        assert_eq!(sniff(None, "VERSION"), None);
    }

    #[test]
    fn bad_numbers_are_invalid_parameter_values() {
        let k = kvp(&[("TILEROW", "-1"), ("BBOX", "1,2,3")]);
        assert_eq!(
            k.require_u64("TILEROW").unwrap_err().locator.as_deref(),
            Some("TILEROW")
        );
        assert!(k.bbox("BBOX").is_err());
        for bad in [
            "3,2,1,4",
            "1,2,1,4",
            "NaN,2,3,4",
            "1,2,inf,4",
            "-1e400,2,3,4",
        ] {
            assert!(kvp(&[("BBOX", bad)]).bbox("BBOX").is_err(), "{bad}");
        }
        assert_eq!(
            kvp(&[("BBOX", "1,2,3,4")]).bbox("BBOX"),
            Ok([1.0, 2.0, 3.0, 4.0])
        );
    }
}
