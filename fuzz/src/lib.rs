//! What the fuzz targets share, and two parsers compiled from their own
//! source files.
//!
//! `geocentre-carto` and `geocentre-raster` bring GDAL, SQLite (sqlx),
//! tokio and object_store with them: instrumented for libFuzzer, that tree
//! alone would take most of the CI's short pass to build on two cores. The
//! SLD importer (with the style model it fills) and the COG header reader
//! need none of it, so their very files are compiled here, unchanged: the
//! code fuzzed is the code the server runs. A `use` they gain of another
//! module of their crate breaks this build, and `scripts/fuzz.sh short`
//! (in CI) says so.

#![allow(dead_code)]

/// `geocentre_carto::style`: the model an SLD is imported into.
#[path = "../../crates/geocentre-carto/src/style.rs"]
pub mod style;

/// `geocentre_carto::sld`: reaches `crate::style`, which is the module above.
#[path = "../../crates/geocentre-carto/src/sld.rs"]
pub mod sld;

/// `geocentre_raster::cog`: self-contained by design (its header says so).
#[path = "../../crates/geocentre-raster/src/cog.rs"]
pub mod cog;

use geocentre_filter::Expr;

/// Field names for the schema check: some the seeds use, so that a
/// parsed filter also runs the check's success path.
pub const FIELDS: &[&str] = &["nom", "code", "pop", "geom", "d", "t", "actif", "n"];

/// What the server does with a filter it parsed before the feature store
/// sees it: the schema check, the spatial test, and the geometries it
/// reprojects. None of it may panic on any tree a parser accepts.
pub fn use_filter(e: &Expr) {
    let _ = e.check(FIELDS);
    let _ = e.is_spatial();
    let mut g = Vec::new();
    e.geometries(&mut g);
    // Debug formatting walks the whole tree, as logging a filter does.
    let _ = format!("{e:?}");
}

/// The input as text, as every text parser here takes it; the server
/// refuses a body that is not UTF-8 before any parser runs.
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}
