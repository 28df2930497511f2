//! How a layer's pixels are resampled when a map is not on its grid.

/// Bilinear is the default: a photogrammetrist checks orthophotos against
/// reality at any scale and wants neither the staircase of nearest nor the
/// ringing (halos along roofs) of cubic kernels. Nearest suits classified
/// rasters and pixel-level checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Resampling {
    Nearest,
    #[default]
    Bilinear,
}

impl Resampling {
    pub fn parse(s: &str) -> Option<Resampling> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nearest" | "near" => Some(Resampling::Nearest),
            "bilinear" | "linear" => Some(Resampling::Bilinear),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Resampling::Nearest => "nearest",
            Resampling::Bilinear => "bilinear",
        }
    }
}
