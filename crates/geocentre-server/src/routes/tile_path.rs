//! The `{tms}/{z}/{x}/{y}.{ext}` tail that XYZ and TMS URLs share.

use crate::error::ApiError;
use crate::tile_serving::{split_ext, TileKey};
use geocentre_core::tms::TmsId;
use geocentre_image::ImageFormat;

/// `{x}` and `{y}.{ext}`.
pub fn xy(x: &str, y_ext: &str) -> Result<(u64, u64, ImageFormat), ApiError> {
    let x: u64 = x
        .parse()
        .map_err(|_| ApiError::bad_request(format!("'{x}' is not a tile column")))?;
    let (y, fmt) = split_ext(y_ext).ok_or_else(|| {
        ApiError::bad_request(format!(
            "'{y_ext}' is not a tile row with a .jpg, .png or .webp extension"
        ))
    })?;
    Ok((x, y, fmt))
}

pub fn zoom(z: &str) -> Result<u8, ApiError> {
    z.parse()
        .map_err(|_| ApiError::bad_request(format!("'{z}' is not a zoom level")))
}

/// The tile key once the grid is known (`row` from the top).
pub fn key(
    tms: &str,
    z: &str,
    (col, row): (u64, u64),
    fmt: ImageFormat,
) -> Result<TileKey, ApiError> {
    let tms = TmsId::parse(tms)
        .ok_or_else(|| ApiError::not_found(format!("unknown tile matrix set '{tms}'")))?;
    Ok(TileKey {
        tms,
        z: zoom(z)?,
        col,
        row,
        fmt,
    })
}
