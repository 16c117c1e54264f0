//! QR codes in images: a photo or screenshot (PNG or JPEG) of one or more
//! QR codes, read into their texts. Image size and pixel count are limited
//! before anything is decoded; a picture that is not an image, or holds no
//! readable code, is a clear error.

#![forbid(unsafe_code)]

/// Largest image file accepted.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;
/// Largest image side accepted, in pixels.
pub const MAX_SIDE: u32 = 8_000;
/// Largest decoded image accepted, in bytes.
pub const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;

/// Why no QR text came out of an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The file is larger than [`MAX_IMAGE_BYTES`] or its pixels larger
    /// than the limits.
    #[error("the image is larger than allowed")]
    TooLarge,
    /// Not a PNG or JPEG image, or a damaged one.
    #[error("not a readable PNG or JPEG image")]
    NotAnImage,
    /// The image holds no QR code that can be read.
    #[error("no readable QR code in the image")]
    NoCode,
    /// A QR code was found but its content is not text.
    #[error("the QR code does not hold text")]
    NotText,
}

/// The texts of the QR codes in an image (PNG or JPEG bytes), in the
/// order found.
///
/// # Errors
/// [`QrError`].
pub fn read_image(bytes: &[u8]) -> Result<Vec<String>, QrError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(QrError::TooLarge);
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| QrError::NotAnImage)?;
    if !matches!(
        reader.format(),
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg)
    ) {
        return Err(QrError::NotAnImage);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => QrError::TooLarge,
        _ => QrError::NotAnImage,
    })?;
    let luma = img.to_luma8();
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        luma.get_pixel(x as u32, y as u32)[0]
    });
    let mut out = Vec::new();
    let mut not_text = false;
    for grid in prepared.detect_grids() {
        match grid.decode() {
            Ok((_, text)) => out.push(text),
            Err(rqrr::DeQRError::EncodingError) => not_text = true,
            Err(_) => {}
        }
    }
    match (out.is_empty(), not_text) {
        (false, _) => Ok(out),
        (true, true) => Err(QrError::NotText),
        (true, false) => Err(QrError::NoCode),
    }
}
