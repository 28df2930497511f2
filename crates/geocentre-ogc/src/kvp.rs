//! Key-value-pair requests: parameter names are case-insensitive (OGC
//! 06-121r3 §11.5.2), values are not.

use crate::exception::OgcError;
use std::collections::HashMap;

/// Bounds what a client can make us hold for one request.
const MAX_PARAMS: usize = 100;
const MAX_VALUE_LEN: usize = 8192;

/// The year of an ISO 8601 time value ("2024", "2024-06-01",
/// "2024-06-01T00:00:00Z"): a vintage is a year.
pub fn year_of(t: &str) -> Option<i32> {
    t.get(..4)
        .filter(|_| t.len() == 4 || t.as_bytes().get(4) == Some(&b'-'))
        .and_then(|y| y.parse().ok())
}

#[derive(Debug, Default)]
pub struct Kvp {
    map: HashMap<String, String>,
}

impl Kvp {
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
        for (k, v) in pairs {
            if map.len() >= MAX_PARAMS {
                return Err(OgcError::invalid("request", "too many parameters"));
            }
            if v.len() > max_value_len {
                return Err(OgcError::invalid(&k, "value too long"));
            }
            // The first occurrence wins, as in most servers.
            map.entry(k.to_ascii_uppercase()).or_insert(v);
        }
        Ok(Kvp { map })
    }

    /// Every parameter (upper-cased name, value), in no particular order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.map
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
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
        match parts.as_slice() {
            [a, b, c, d]
                if a.is_finite()
                    && b.is_finite()
                    && c.is_finite()
                    && d.is_finite()
                    && a < c
                    && b < d =>
            {
                Ok([*a, *b, *c, *d])
            }
            [_, _, _, _] => Err(OgcError::invalid(
                key,
                format!("{key} must have min < max on both axes"),
            )),
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

    #[test]
    fn names_are_case_insensitive() {
        let k = kvp(&[("service", "WMTS"), ("TileRow", "3")]);
        assert_eq!(k.get("SERVICE"), Some("WMTS"));
        assert_eq!(k.require_u64("TILEROW"), Ok(3));
        assert!(k.require("LAYER").is_err());
    }

    #[test]
    fn bad_numbers_are_invalid_parameter_values() {
        let k = kvp(&[("TILEROW", "-1"), ("BBOX", "1,2,3")]);
        assert_eq!(
            k.require_u64("TILEROW").unwrap_err().locator.as_deref(),
            Some("TILEROW")
        );
        assert!(k.bbox("BBOX").is_err());
        assert!(kvp(&[("BBOX", "3,2,1,4")]).bbox("BBOX").is_err());
        assert_eq!(
            kvp(&[("BBOX", "1,2,3,4")]).bbox("BBOX"),
            Ok([1.0, 2.0, 3.0, 4.0])
        );
    }
}
