//! Pictures for the QR reader's tests, benchmarks and fuzzing: hostile ones
//! (finder-like patterns by the thousand, noise, checkerboards, a few large
//! decoys), and a synthetic photo of a real code (turned, in perspective,
//! unevenly lit, noisy, saved as JPEG).

use image::{GrayImage, ImageFormat, Luma};

/// The next number of a xorshift sequence (never 0 from a state that is
/// not 0).
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// A picture as PNG bytes.
pub fn png(picture: &GrayImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, ImageFormat::Png)
        .expect("a PNG is written to memory");
    out.into_inner()
}

/// A picture as JPEG bytes of the given quality.
pub fn jpeg(picture: &GrayImage, quality: u8) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    picture
        .write_with_encoder(encoder)
        .expect("a JPEG is written to memory");
    out.into_inner()
}

/// A `side`×`side` picture tiled with QR finder patterns (7×7 modules of
/// `module` pixels, one light module between them): every tile looks like
/// a corner of a code.
pub fn finder_tiles(side: u32, module: u32) -> GrayImage {
    let module = module.max(1);
    let cell = 8 * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (cx, cy) = ((x % cell) / module, (y % cell) / module);
        if cx == 7 || cy == 7 {
            return Luma([255]);
        }
        let ring = cx.min(cy).min(6 - cx).min(6 - cy);
        Luma([if ring == 1 { 255 } else { 0 }])
    })
}

/// A `side`×`side` checkerboard of `cell`-pixel squares.
pub fn checkerboard(side: u32, cell: u32) -> GrayImage {
    let cell = cell.max(1);
    GrayImage::from_fn(side, side, |x, y| {
        Luma([if (x / cell + y / cell).is_multiple_of(2) {
            0
        } else {
            255
        }])
    })
}

/// A `side`×`side` picture of random `block`-pixel squares (xorshift from
/// `seed`).
pub fn noise(side: u32, block: u32, seed: u64) -> GrayImage {
    let block = block.max(1);
    let blocks = side.div_ceil(block) as usize;
    let mut state = seed | 1;
    let values: Vec<u8> = (0..blocks * blocks)
        .map(|_| (xorshift(&mut state) >> 24) as u8)
        .collect();
    GrayImage::from_fn(side, side, |x, y| {
        Luma([values[(y / block) as usize * blocks + (x / block) as usize]])
    })
}

/// A synthetic photo of the QR code of `text`: the code fills about half
/// of a `width`×`height` frame over a patterned background, turned by
/// `angle` radians, in mild perspective, lit from one side (the far side
/// `dim` darker, 0 to 1), with noise, then saved as JPEG of `quality` and
/// returned as those bytes.
pub fn photo(
    text: &str,
    (width, height): (u32, u32),
    angle: f64,
    dim: f64,
    seed: u64,
    quality: u8,
) -> Vec<u8> {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("the text fits a QR code");
    let n = code.width() as i64;
    let colors = code.to_colors();
    let mut state = seed | 1;
    let mut random = move || (xorshift(&mut state) % 1000) as f64 / 1000.0;
    let side = f64::from(width.min(height)) * 0.55;
    let (cx, cy) = (f64::from(width) / 2.0, f64::from(height) / 2.0);
    let (sin, cos) = angle.sin_cos();
    let quiet = n as f64 + 8.0;
    let module = side / quiet;
    let picture = GrayImage::from_fn(width, height, |x, y| {
        let (dx, dy) = (f64::from(x) - cx, f64::from(y) - cy);
        let depth = 1.0 + 0.15 * (dy / f64::from(height));
        let (u, v) = (
            (dx * cos + dy * sin) / depth,
            (-dx * sin + dy * cos) / depth,
        );
        let mx = (u / module + quiet / 2.0 - 4.0).floor() as i64;
        let my = (v / module + quiet / 2.0 - 4.0).floor() as i64;
        let dark = (0..n).contains(&mx)
            && (0..n).contains(&my)
            && colors[(my * n + mx) as usize] == qrcode::Color::Dark;
        let on_paper = u.abs() < side / 2.0 && v.abs() < side / 2.0;
        let base = if dark {
            40.0
        } else if on_paper {
            235.0
        } else {
            150.0 + 40.0 * f64::from((x / 37 + y / 23) % 2)
        };
        let light = 1.0 - dim * (f64::from(x) / f64::from(width));
        let value = base * light + (random() - 0.5) * 50.0;
        Luma([value.clamp(0.0, 255.0) as u8])
    });
    jpeg(&picture, quality)
}
