//! The QR reader's time on pictures made to stall it (8000×8000 PNGs tiled
//! with finder patterns, checkerboards, noise) and on ordinary ones (a
//! rendered code, a synthetic 12-megapixel phone photo), file bytes to
//! verdict.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use ddcc_test_support::images;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("read_image");
    group.sample_size(10);
    let text = format!(
        "HC1:{}",
        "6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N".repeat(12)
    );
    let pictures = [
        ("rendered code", ddcc_qr::render_png(&text).unwrap().bytes),
        (
            "photo 4000x3000 JPEG",
            images::photo(&text, (4000, 3000), 0.3, 0.5, 3, 75),
        ),
        (
            "finder tiles 8000² m3",
            images::png(&images::finder_tiles(8000, 3)),
        ),
        (
            "finder tiles 8000² m150",
            images::png(&images::finder_tiles(8000, 150)),
        ),
        (
            "checkerboard 8000² 2px",
            images::png(&images::checkerboard(8000, 2)),
        ),
        ("noise 8000² 5px", images::png(&images::noise(8000, 5, 2))),
    ];
    for (name, bytes) in &pictures {
        group.bench_function(*name, |b| b.iter(|| ddcc_qr::read_image(bytes)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
