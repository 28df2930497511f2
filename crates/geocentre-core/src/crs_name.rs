//! EPSG codes in the forms OGC requests and documents name them.

/// The EPSG code of `EPSG:N`, `urn:ogc:def:crs:EPSG::N` (and the older
/// `urn:x-ogc:def:crs:EPSG:N`), `http://www.opengis.net/def/crs/EPSG/0/N`
/// or GML's `http://www.opengis.net/gml/srs/epsg.xml#N`.
pub fn epsg_code(name: &str) -> Option<u32> {
    let s = name.trim();
    [
        "urn:ogc:def:crs:EPSG::",
        "urn:x-ogc:def:crs:EPSG:",
        "EPSG:",
        "http://www.opengis.net/def/crs/EPSG/0/",
        "http://www.opengis.net/gml/srs/epsg.xml#",
    ]
    .iter()
    .find_map(|p| s.strip_prefix(p))
    .and_then(|c| c.parse().ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_form_names_the_same_code() {
        for s in [
            "EPSG:2154",
            "urn:ogc:def:crs:EPSG::2154",
            "urn:x-ogc:def:crs:EPSG:2154",
            "http://www.opengis.net/def/crs/EPSG/0/2154",
            "http://www.opengis.net/gml/srs/epsg.xml#2154",
        ] {
            assert_eq!(super::epsg_code(s), Some(2154), "{s}");
        }
        assert_eq!(super::epsg_code("CRS:84"), None);
    }
}
