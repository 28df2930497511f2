//! Pixels out, for rasters and maps alike: the image formats clients ask
//! for and their encoders (`encode`), and what is drawn on a finished image
//! without a style (`annotate`: dalle outlines, the message of an INIMAGE
//! exception, straight alpha from tiny-skia's premultiplied pixels).

pub mod annotate;
pub mod encode;

pub use encode::ImageFormat;
