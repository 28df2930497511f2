//! Encoding RGBA tiles and maps into the formats clients ask for.

use gdal::DriverManager;
use geocentre_gdal as gdal_ffi;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    /// Palette PNG (256 colours, quantised): small maps for slow links.
    Png8,
    Webp,
}

impl ImageFormat {
    pub fn from_ext(ext: &str) -> Option<ImageFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
            "png" => Some(ImageFormat::Png),
            "webp" => Some(ImageFormat::Webp),
            _ => None,
        }
    }
    pub fn from_mime(mime: &str) -> Option<ImageFormat> {
        match mime.trim().to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" => Some(ImageFormat::Jpeg),
            "image/png" | "image/png; mode=24bit" => Some(ImageFormat::Png),
            "image/png; mode=8bit" | "image/png8" => Some(ImageFormat::Png8),
            "image/webp" => Some(ImageFormat::Webp),
            _ => None,
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Png8 => "image/png; mode=8bit",
            ImageFormat::Webp => "image/webp",
        }
    }
    /// The Content-Type of the encoded bytes.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Png8 => "image/png",
            f => f.mime(),
        }
    }
    pub fn ext(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::Png8 => "png8",
            ImageFormat::Webp => "webp",
        }
    }
    /// Tile formats.
    pub const ALL: [ImageFormat; 3] = [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Webp];
    /// Map formats (WMS GetMap).
    pub const MAPS: [ImageFormat; 4] = [
        ImageFormat::Jpeg,
        ImageFormat::Png,
        ImageFormat::Png8,
        ImageFormat::Webp,
    ];
}

#[derive(Debug, thiserror::Error)]
#[error("encoding {0}: {1}")]
pub struct EncodeError(&'static str, String);

/// Encodes an RGBA buffer. JPEG drops alpha; transparent pixels are black,
/// as in the stored tiles.
pub fn encode(
    rgba: &[u8],
    w: u32,
    h: u32,
    fmt: ImageFormat,
    jpeg_q: u8,
    webp_q: u8,
) -> Result<Vec<u8>, EncodeError> {
    match fmt {
        ImageFormat::Jpeg => {
            let mut out = Vec::with_capacity((w * h) as usize / 4);
            let enc = jpeg_encoder::Encoder::new(&mut out, jpeg_q);
            enc.encode(rgba, w as u16, h as u16, jpeg_encoder::ColorType::Rgba)
                .map_err(|e| EncodeError("JPEG", e.to_string()))?;
            Ok(out)
        }
        ImageFormat::Png => {
            let mut out = Vec::new();
            {
                let mut enc = png::Encoder::new(&mut out, w, h);
                enc.set_color(png::ColorType::Rgba);
                enc.set_depth(png::BitDepth::Eight);
                // Photographic content: fast deflate costs ~10 % in size
                // and saves most of the time.
                enc.set_compression(png::Compression::Fast);
                let mut wr = enc
                    .write_header()
                    .map_err(|e| EncodeError("PNG", e.to_string()))?;
                wr.write_image_data(rgba)
                    .map_err(|e| EncodeError("PNG", e.to_string()))?;
            }
            Ok(out)
        }
        ImageFormat::Png8 => encode_png8(rgba, w, h),
        ImageFormat::Webp => encode_webp(rgba, w, h, webp_q),
    }
}

/// NeuQuant (colour_quant) palette of the opaque colours, sampling one
/// pixel in ten (quality close to full sampling at a tenth of the time),
/// plus one fully transparent entry. Alpha is not quantised with the
/// colours: a palette mixing them makes parts of the photo see-through.
fn encode_png8(rgba: &[u8], w: u32, h: u32) -> Result<Vec<u8>, EncodeError> {
    const CLEAR: u8 = 255;
    let opaque: Vec<u8> = rgba
        .chunks_exact(4)
        .filter(|px| px[3] >= 128)
        .flat_map(|px| [px[0], px[1], px[2], 255])
        .collect();
    let nq = color_quant::NeuQuant::new(
        10,
        255,
        if opaque.is_empty() {
            &[0, 0, 0, 255]
        } else {
            &opaque
        },
    );
    let indices: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|px| {
            if px[3] < 128 {
                CLEAR
            } else {
                nq.index_of(&[px[0], px[1], px[2], 255]) as u8
            }
        })
        .collect();
    let mut palette = Vec::with_capacity(256 * 3);
    let mut trns = Vec::with_capacity(256);
    for c in nq.color_map_rgb().chunks_exact(3).take(255) {
        palette.extend_from_slice(c);
        trns.push(255);
    }
    // Pad to index CLEAR, then the transparent entry.
    while palette.len() < usize::from(CLEAR) * 3 {
        palette.extend_from_slice(&[0, 0, 0]);
        trns.push(255);
    }
    palette.extend_from_slice(&[0, 0, 0]);
    trns.push(0);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(palette);
        if trns.iter().any(|&a| a != 255) {
            enc.set_trns(trns);
        }
        enc.set_compression(png::Compression::Fast);
        let mut wr = enc
            .write_header()
            .map_err(|e| EncodeError("PNG", e.to_string()))?;
        wr.write_image_data(&indices)
            .map_err(|e| EncodeError("PNG", e.to_string()))?;
    }
    Ok(out)
}

static SEQ: AtomicU64 = AtomicU64::new(0);

/// WebP through GDAL's driver (Debian's libwebp), so no second libwebp is
/// linked into the binary.
fn encode_webp(rgba: &[u8], w: u32, h: u32, q: u8) -> Result<Vec<u8>, EncodeError> {
    let e = |x: gdal::errors::GdalError| EncodeError("WebP", x.to_string());
    let mem = DriverManager::get_driver_by_name("MEM").map_err(e)?;
    let ds = mem
        .create_with_band_type::<u8, _>("", w as usize, h as usize, 4)
        .map_err(e)?;
    let n = (w * h) as usize;
    for b in 0..4 {
        let plane: Vec<u8> = (0..n).map(|i| rgba[i * 4 + b]).collect();
        let mut buf = gdal::raster::Buffer::new((w as usize, h as usize), plane);
        ds.rasterband(b + 1)
            .map_err(e)?
            .write((0, 0), (w as usize, h as usize), &mut buf)
            .map_err(e)?;
    }
    ds.rasterband(4)
        .map_err(e)?
        .set_color_interpretation(gdal::raster::ColorInterpretation::AlphaBand)
        .map_err(e)?;
    let name = format!(
        "/vsimem/geocentre-webp-{}.webp",
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let drv = DriverManager::get_driver_by_name("WEBP").map_err(e)?;
    let q = format!("QUALITY={q}");
    let opts: gdal::raster::RasterCreationOptions = [q.as_str()].into_iter().collect();
    drop(ds.create_copy(&drv, &name, &opts).map_err(e)?);
    gdal_ffi::take_mem_file(&name).map_err(|x| EncodeError("WebP", x.0))
}
