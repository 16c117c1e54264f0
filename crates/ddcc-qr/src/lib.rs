//! QR codes of ddcc.
//!
//! - **Reading** a photo or screenshot (PNG or JPEG) of one or more QR
//!   codes into their texts. Image size and pixel count are limited before
//!   anything is decoded; a picture that is not an image, or holds no
//!   readable code, is a clear error.
//! - **Our compact encoding** of a credential or presentation for a QR
//!   code: `DDCC1:` followed by the Base45 of a zlib-compressed container
//!   (the prefix says what it is and which version; Base45 fits the QR
//!   alphanumeric mode, as the EU's `HC1:` does). The container holds the
//!   text as it is (kind 0), or, for JWS and SD-JWT texts, the bytes behind
//!   each base64url segment with the separators between them (kind 1), so
//!   that JSON compresses as JSON and signatures and digests take their
//!   raw size; decoding gives back the exact text.
//! - **Rendering** a text as the smallest QR code that holds it (PNG or
//!   SVG), saying which version it took.

#![forbid(unsafe_code)]

pub mod card;

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
    let raw = read_image_bytes(bytes)?;
    let texts: Vec<String> = raw
        .into_iter()
        .filter_map(|b| String::from_utf8(b).ok())
        .collect();
    if texts.is_empty() {
        return Err(QrError::NotText);
    }
    Ok(texts)
}

/// The contents of the QR codes in an image (PNG or JPEG bytes), in the
/// order found, as bytes: what a code holds in byte mode need not be text
/// (DIVOC's codes hold a ZIP archive).
///
/// # Errors
/// [`QrError`].
pub fn read_image_bytes(bytes: &[u8]) -> Result<Vec<Vec<u8>>, QrError> {
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
    drop(img);
    let out = read_luma(&luma);
    if out.is_empty() {
        return Err(QrError::NoCode);
    }
    Ok(out)
}

/// Longest side the QR reader looks at: a larger picture is scaled down to
/// it first. A phone photo of a code reads as well at this size, and the
/// reader's work grows with the pixels.
pub const READ_SIDE: u32 = 1_600;

/// The work one pass of the QR reader may do, in pixel visits and region
/// look-ups per pixel of the picture it reads, on top of [`READ_WORK_BASE`].
/// A pass that runs out stops with the codes it has read.
pub const READ_WORK_PER_PIXEL: u64 = 8;
/// The fixed part of one pass's work (see [`READ_WORK_PER_PIXEL`]).
pub const READ_WORK_BASE: u64 = 4_000_000;

/// The codes in a greyscale picture. The picture is read at up to four
/// sizes (at most [`READ_SIDE`], three quarters and half of that, and
/// twice it for pictures larger than that), each as it is and then
/// thresholded against its neighbourhood (for uneven light); the first
/// pass that reads a code gives the answer. The finder's luck varies with
/// the scale, and a code that one size misses another reads. Every pass has
/// a work bound, so an adversarial picture (thousands of finder-like
/// patterns, noise) costs no more than an ordinary one of its size.
fn read_luma(luma: &image::GrayImage) -> Vec<Vec<u8>> {
    let longest = luma.width().max(luma.height());
    let mut sides: Vec<u32> = Vec::new();
    for side in [READ_SIDE, READ_SIDE * 3 / 4, READ_SIDE / 2] {
        let side = side.min(longest);
        if !sides.contains(&side) {
            sides.push(side);
        }
    }
    if longest >= 2 * READ_SIDE {
        sides.push(2 * READ_SIDE);
    }
    for side in sides {
        let scaled;
        let picture = if side == longest {
            luma
        } else {
            let ratio = f64::from(side) / f64::from(longest);
            let w = ((f64::from(luma.width()) * ratio).round() as u32).max(1);
            let h = ((f64::from(luma.height()) * ratio).round() as u32).max(1);
            scaled = image::imageops::thumbnail(luma, w, h);
            &scaled
        };
        let found = identify(picture);
        if !found.is_empty() {
            return found;
        }
        let found = identify(&local_threshold(picture));
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// One pass of the (patched, work-bounded) quirc reader.
fn identify(picture: &image::GrayImage) -> Vec<Vec<u8>> {
    let (w, h) = (picture.width() as usize, picture.height() as usize);
    let mut reader = quircs::Quirc::new();
    reader.work_limit = READ_WORK_BASE + READ_WORK_PER_PIXEL * (w as u64 * h as u64);
    reader
        .identify(w, h, picture.as_raw())
        .filter_map(Result::ok)
        .filter_map(|code| code.decode().ok())
        .map(|data| data.payload)
        .collect()
}

/// Each pixel made black or white against the mean of the square around it
/// (a side of an eighth of the picture's longest side): a code in uneven
/// light, half in shadow, then reads as one. Written here with a summed-area
/// table, linear in the pixels; the image-processing crates that have it
/// would bring a linear-algebra stack along.
fn local_threshold(picture: &image::GrayImage) -> image::GrayImage {
    let (w, h) = (picture.width() as usize, picture.height() as usize);
    let raw = picture.as_raw();
    let stride = w + 1;
    let mut sums = vec![0u64; stride * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(raw[y * w + x]);
            sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row;
        }
    }
    let r = (w.max(h) / 16).max(8);
    let mut out = image::GrayImage::new(picture.width(), picture.height());
    for (i, pixel) in out.as_mut().iter_mut().enumerate() {
        let (x, y) = (i % w, i / w);
        let (x0, y0) = (x.saturating_sub(r), y.saturating_sub(r));
        let (x1, y1) = ((x + r + 1).min(w), (y + r + 1).min(h));
        let sum = sums[y1 * stride + x1] + sums[y0 * stride + x0]
            - sums[y0 * stride + x1]
            - sums[y1 * stride + x0];
        let n = ((x1 - x0) * (y1 - y0)) as u64;
        // Dark when below nine tenths of the local mean.
        let dark = u64::from(raw[i]) * n * 10 < sum * 9;
        *pixel = if dark { 0 } else { 255 };
    }
    out
}

/// The prefix of our compact QR encoding, version 1.
pub const PREFIX_V1: &str = "DDCC1:";
/// Largest text accepted inside a `DDCC1:` code once decompressed.
pub const MAX_DECODED_TEXT: usize = 64 * 1024;

/// Why a `DDCC1:` text could not be read, or a QR code not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeError {
    /// It does not start with a prefix of ours.
    #[error("the text does not start with DDCC1:")]
    Prefix,
    /// The Base45 part is malformed.
    #[error("the Base45 text is malformed")]
    Base45,
    /// The compressed part is malformed.
    #[error("the compressed data is malformed")]
    Zlib,
    /// Larger than allowed.
    #[error("the content is larger than allowed")]
    TooLarge,
    /// Not UTF-8 text inside.
    #[error("the content is not text")]
    NotText,
    /// The text does not fit in any QR code.
    #[error("the text does not fit in a QR code (even at version 40)")]
    DoesNotFit,
}

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Kind 1: base64url segments separated by `.` and `~`, as raw bytes.
fn segments(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'~')
    {
        return None;
    }
    let mut out = vec![1u8];
    let mut sep = 0u8;
    let mut rest = text;
    loop {
        let end = rest.find(['.', '~']).unwrap_or(rest.len());
        let raw = B64.decode(&rest[..end]).ok()?;
        out.push(sep);
        let mut n = raw.len();
        // Length as a base-128 varint.
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            out.push(if n > 0 { byte | 0x80 } else { byte });
            if n == 0 {
                break;
            }
        }
        out.extend_from_slice(&raw);
        if end == rest.len() {
            break;
        }
        sep = rest.as_bytes()[end];
        rest = &rest[end + 1..];
    }
    // Only when it gives back exactly this text (canonical base64url).
    (unsegment(&out).as_deref() == Some(text)).then_some(out)
}

fn unsegment(bytes: &[u8]) -> Option<String> {
    use base64::Engine as _;
    let mut text = String::new();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            0 if i == 1 => {}
            b'.' | b'~' if i > 1 => text.push(char::from(bytes[i])),
            _ => return None,
        }
        i += 1;
        let mut n = 0usize;
        let mut shift = 0;
        loop {
            let b = *bytes.get(i)?;
            i += 1;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
            if shift > 28 {
                return None;
            }
        }
        let raw = bytes.get(i..i.checked_add(n)?)?;
        text.push_str(&B64.encode(raw));
        i += n;
    }
    Some(text)
}

/// `DDCC1:` + Base45(zlib(container)); see the crate documentation.
pub fn encode_compact(text: &str) -> String {
    use std::io::Write as _;
    let container = segments(text).unwrap_or_else(|| {
        let mut c = vec![0u8];
        c.extend_from_slice(text.as_bytes());
        c
    });
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = z.write_all(&container);
    let compressed = z.finish().unwrap_or_default();
    format!("{PREFIX_V1}{}", base45::encode(compressed))
}

/// The text inside a `DDCC1:` code.
///
/// # Errors
/// [`CodeError`].
pub fn decode_compact(code: &str) -> Result<String, CodeError> {
    use std::io::Read as _;
    let b45 = code
        .trim()
        .strip_prefix(PREFIX_V1)
        .ok_or(CodeError::Prefix)?;
    if b45.len() > 3 * MAX_DECODED_TEXT {
        return Err(CodeError::TooLarge);
    }
    let compressed = base45::decode(b45).map_err(|_| CodeError::Base45)?;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .take(MAX_DECODED_TEXT as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| CodeError::Zlib)?;
    if out.len() > MAX_DECODED_TEXT {
        return Err(CodeError::TooLarge);
    }
    match out.first() {
        Some(0) => String::from_utf8(out[1..].to_vec()).map_err(|_| CodeError::NotText),
        Some(1) => unsegment(&out).ok_or(CodeError::NotText),
        _ => Err(CodeError::NotText),
    }
}

/// A QR code made for a text.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The image (PNG bytes or SVG text).
    pub bytes: Vec<u8>,
    /// The QR version (1–40) the text needed.
    pub version: i16,
    /// Modules per side.
    pub modules: usize,
    /// The error correction level (`M`, or `L` when M does not fit).
    pub level: char,
}

fn code_for(text: &str) -> Result<(qrcode::QrCode, char), CodeError> {
    code_for_bytes(text.as_bytes())
}

fn code_for_bytes(data: &[u8]) -> Result<(qrcode::QrCode, char), CodeError> {
    // Error correction M (15%) where it fits, else L (7%, what SMART
    // Health Cards use); the library picks the smallest version.
    qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
        .map(|c| (c, 'M'))
        .or_else(|_| {
            qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::L).map(|c| (c, 'L'))
        })
        .map_err(|_| CodeError::DoesNotFit)
}

fn version_of(code: &qrcode::QrCode) -> i16 {
    match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    }
}

/// The smallest QR code for `text`, as a PNG (4 pixels per module, quiet
/// zone included).
///
/// # Errors
/// [`CodeError::DoesNotFit`].
pub fn render_png(text: &str) -> Result<Rendered, CodeError> {
    render_png_bytes(text.as_bytes())
}

/// The smallest QR code holding `data` as bytes (which need not be text,
/// as in DIVOC's codes), as a PNG.
///
/// # Errors
/// [`CodeError::DoesNotFit`].
pub fn render_png_bytes(data: &[u8]) -> Result<Rendered, CodeError> {
    let (code, level) = code_for_bytes(data)?;
    let img = code
        .render::<image::Luma<u8>>()
        .module_dimensions(4, 4)
        .build();
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|_| CodeError::DoesNotFit)?;
    Ok(Rendered {
        bytes: out.into_inner(),
        version: version_of(&code),
        modules: code.width(),
        level,
    })
}

/// The smallest QR code for `text`, as SVG.
///
/// # Errors
/// [`CodeError::DoesNotFit`].
pub fn render_svg(text: &str) -> Result<Rendered, CodeError> {
    let (code, level) = code_for(text)?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    Ok(Rendered {
        bytes: svg.into_bytes(),
        version: version_of(&code),
        modules: code.width(),
        level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_codes_round_trip_through_a_png() {
        let text = "{\"hello\":\"checkpoint\"}".repeat(40);
        let code = encode_compact(&text);
        assert!(code.starts_with(PREFIX_V1));
        assert!(code.len() < text.len(), "compression did not help");
        let png = render_png(&code).unwrap();
        assert!((1..=40).contains(&png.version));
        let read = read_image(&png.bytes).unwrap();
        assert_eq!(read, std::slice::from_ref(&code));
        assert_eq!(decode_compact(&read[0]).unwrap(), text);
        let svg = render_svg(&code).unwrap();
        assert_eq!(svg.version, png.version);
        assert!(String::from_utf8(svg.bytes).unwrap().starts_with("<?xml"));
    }

    #[test]
    fn jws_texts_are_stored_as_bytes_and_come_back_exactly() {
        for text in [
            "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2lnbmF0dXJl",
            "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2lnbmF0dXJl~WyJzYWx0IiwiYSIsMV0~",
            "eyJhbGciOiJFZERTQSJ9..c2ln",
            "plain text, not base64url",
            "QUJD~",  // canonical
            "QUJDRA", // canonical, no padding
            "QUJDRB", // not canonical: kept as text
        ] {
            assert_eq!(
                decode_compact(&encode_compact(text)).unwrap(),
                text,
                "{text}"
            );
        }
        assert!(segments("QUJDRB").is_none());
        // A forged container that lies about lengths is refused.
        assert!(unsegment(&[1, 0, 200, 1]).is_none());
    }

    #[test]
    fn photos_as_jpeg_read_too_and_bad_pictures_are_refused() {
        let code = encode_compact("a credential, photographed");
        let png = render_png(&code).unwrap();
        let img = image::load_from_memory(&png.bytes).unwrap();
        let mut jpeg = std::io::Cursor::new(Vec::new());
        img.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
        let jpeg = jpeg.into_inner();
        assert_eq!(read_image(&jpeg).unwrap(), std::slice::from_ref(&code));
        // Cut short (the decoder may keep the top half: no code then),
        // wider than allowed, or too big a file.
        assert!(matches!(
            read_image(&jpeg[..jpeg.len() / 2]),
            Err(QrError::NotAnImage | QrError::NoCode)
        ));
        assert_eq!(read_image(&jpeg[..20]), Err(QrError::NotAnImage));
        let wide = image::GrayImage::new(MAX_SIDE + 1, 1);
        let mut wide_png = std::io::Cursor::new(Vec::new());
        wide.write_to(&mut wide_png, image::ImageFormat::Png)
            .unwrap();
        assert_eq!(read_image(&wide_png.into_inner()), Err(QrError::TooLarge));
        assert_eq!(
            read_image(&vec![0u8; MAX_IMAGE_BYTES + 1]),
            Err(QrError::TooLarge)
        );
        // A GIF is not accepted, whatever it holds.
        assert_eq!(
            read_image(b"GIF89a\x01\x00\x01\x00"),
            Err(QrError::NotAnImage)
        );
    }

    #[test]
    fn bad_codes_are_refused() {
        assert_eq!(decode_compact("HC1:ABC"), Err(CodeError::Prefix));
        assert_eq!(decode_compact("DDCC1:abc"), Err(CodeError::Base45));
        assert_eq!(decode_compact("DDCC1:ABCABC"), Err(CodeError::Zlib));
        assert_eq!(
            render_png(&"9".repeat(20_000)).unwrap_err(),
            CodeError::DoesNotFit
        );
        assert_eq!(read_image(b"not an image"), Err(QrError::NotAnImage));
    }
}
