//! Cartography: how vector layers look. Styles in the project's text
//! format or imported from SLD (`style`, `sld`), drawn with tiny-skia
//! (`draw`, `hairline`), labelled once per map (`labels`, `font`), explained
//! by legends (`legend`) and picked by GetFeatureInfo (`hit`).

pub mod draw;
pub mod font;
pub mod glyphs;
mod hairline;
pub mod hit;
pub mod labels;
pub mod legend;
pub mod maplibre;
pub mod sld;
pub mod style;
