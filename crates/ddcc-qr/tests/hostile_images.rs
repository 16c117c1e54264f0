//! The QR reader against pictures made to stall it, and against synthetic
//! photos of real codes. The hostile pictures are read to their verdict (no
//! code) with bounded work; how long they take is in the `hostile_images`
//! benchmark.
#![allow(missing_docs, clippy::unwrap_used)]

use ddcc_qr::{QrError, read_image};
use ddcc_test_support::images;

/// An EU DCC-sized text (the length of a real `HC1:` code).
fn certificate_text(seed: u8) -> String {
    let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let body: String = (0..560usize)
        .map(|i| alphabet[(i * 7 + usize::from(seed) * 13 + i / 5) % alphabet.len()] as char)
        .collect();
    format!("HC1:{body}")
}

#[test]
fn photos_of_codes_read_in_uneven_light_turned_and_in_perspective() {
    // (frame, angle, far side darker by, JPEG quality)
    let shots = [
        ((1600, 1200), 0.2, 0.5, 70),
        ((1600, 1200), 0.6, 0.6, 50),
        ((3000, 2000), 0.35, 0.65, 60),
        ((4000, 3000), -0.3, 0.4, 75),
        ((1200, 1600), 0.05, 0.0, 85),
    ];
    for (i, (frame, angle, dim, quality)) in shots.into_iter().enumerate() {
        let text = certificate_text(i as u8);
        let photo = images::photo(&text, frame, angle, dim, 7 + i as u64, quality);
        assert_eq!(
            read_image(&photo).unwrap_or_else(|e| panic!("photo {i}: {e}")),
            vec![text],
            "photo {i}"
        );
    }
}

#[test]
fn pictures_made_to_stall_the_reader_get_their_verdict() {
    let hostile = [
        (
            "finder patterns, 3-pixel modules, 8000²",
            images::finder_tiles(8000, 3),
        ),
        (
            "finder patterns, 1-pixel modules, 8000²",
            images::finder_tiles(8000, 1),
        ),
        (
            "finder patterns, 10-pixel modules, 8000²",
            images::finder_tiles(8000, 10),
        ),
        (
            "finder patterns, 150-pixel modules, 8000²",
            images::finder_tiles(8000, 150),
        ),
        (
            "finder patterns, 2-pixel modules, 560²",
            images::finder_tiles(560, 2),
        ),
        (
            "checkerboard of 2-pixel squares, 8000²",
            images::checkerboard(8000, 2),
        ),
        (
            "checkerboard of 3-pixel squares, 8000²",
            images::checkerboard(8000, 3),
        ),
        ("noise, 2000²", images::noise(2000, 1, 1)),
        ("noise of 5-pixel blocks, 8000²", images::noise(8000, 5, 2)),
    ];
    for (name, picture) in hostile {
        let png = images::png(&picture);
        assert!(
            png.len() <= ddcc_qr::MAX_IMAGE_BYTES,
            "{name}: {} bytes",
            png.len()
        );
        assert_eq!(read_image(&png), Err(QrError::NoCode), "{name}");
    }
}

#[test]
fn a_code_among_decoys_still_reads_when_the_decoys_are_few() {
    // A real code on a page with a few finder-like marks around it.
    let text = certificate_text(9);
    let code = ddcc_qr::render_png(&text).unwrap();
    let code = image::load_from_memory(&code.bytes).unwrap().to_luma8();
    let mut page = image::GrayImage::from_pixel(2400, 2400, image::Luma([255]));
    let decoys = images::finder_tiles(160, 10);
    for (x, y) in [(40, 40), (2200, 40), (40, 2200)] {
        image::imageops::replace(&mut page, &decoys, x, y);
    }
    image::imageops::replace(&mut page, &code, 700, 700);
    assert_eq!(read_image(&images::png(&page)).unwrap(), vec![text]);
}
