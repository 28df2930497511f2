//! The viewer's files, compiled into the binary: one file to deploy.

pub fn get(path: &str) -> Option<(&'static [u8], &'static str)> {
    Some(match path {
        "index.html" => (
            include_bytes!("../assets/index.html"),
            "text/html; charset=utf-8",
        ),
        "viewer.js" => (
            include_bytes!("../assets/viewer.js"),
            "text/javascript; charset=utf-8",
        ),
        "viewer.css" => (
            include_bytes!("../assets/viewer.css"),
            "text/css; charset=utf-8",
        ),
        "vendor/ol.js" => (
            include_bytes!("../assets/vendor/ol.js"),
            "text/javascript; charset=utf-8",
        ),
        "vendor/ol.css" => (
            include_bytes!("../assets/vendor/ol.css"),
            "text/css; charset=utf-8",
        ),
        "vendor/proj4.js" => (
            include_bytes!("../assets/vendor/proj4.js"),
            "text/javascript; charset=utf-8",
        ),
        _ => return None,
    })
}
