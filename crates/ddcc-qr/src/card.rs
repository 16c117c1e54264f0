//! A printable certificate (PDF, A4) for people without a smartphone: the
//! QR code a checkpoint scans, the facts it holds in words, the issuer and
//! the certificate id. Text uses the PDF base font Helvetica (WinAnsi);
//! characters outside it are printed as `?` rather than dropped silently.

use std::io::Write as _;

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use crate::CodeError;

/// What goes on the card.
#[derive(Clone, Default)]
pub struct Card {
    /// The title (`COVID-19 vaccination certificate`).
    pub title: String,
    /// Lines of facts, label and value.
    pub facts: Vec<(String, String)>,
    /// The text the QR code holds.
    pub qr_text: String,
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The facts are personal data.
        f.debug_struct("Card")
            .field("title", &self.title)
            .finish_non_exhaustive()
    }
}

/// WinAnsi bytes for the base font (Latin-1 covers the common accents).
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match u32::from(c) {
            0x20..=0x7e | 0xa0..=0xff => c as u8,
            _ => b'?',
        })
        .collect()
}

/// The card as a one-page A4 PDF; returns the PDF and the QR version.
///
/// # Errors
/// [`CodeError::DoesNotFit`] when the QR text does not fit a QR code.
pub fn render_card_pdf(card: &Card) -> Result<(Vec<u8>, i16), CodeError> {
    let code =
        qrcode::QrCode::with_error_correction_level(card.qr_text.as_bytes(), qrcode::EcLevel::M)
            .or_else(|_| {
                qrcode::QrCode::with_error_correction_level(
                    card.qr_text.as_bytes(),
                    qrcode::EcLevel::L,
                )
            })
            .map_err(|_| CodeError::DoesNotFit)?;
    let version = match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    };
    // One pixel per module, with a quiet zone of 4 modules.
    let modules = code.width();
    let side = modules + 8;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = (i % modules + 4, i / modules + 4);
            pixels[y * side + x] = 0;
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = z.write_all(&pixels);
    let compressed = z.finish().unwrap_or_default();

    let (catalog, pages, page, font, bold, image, content_id) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
        Ref::new(7),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.parent(pages)
        .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
        .contents(content_id);
    let mut resources = p.resources();
    resources
        .fonts()
        .pair(Name(b"F1"), font)
        .pair(Name(b"F2"), bold);
    resources.x_objects().pair(Name(b"Im1"), image);
    resources.finish();
    p.finish();
    pdf.type1_font(font).base_font(Name(b"Helvetica"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold"));
    let mut img = pdf.image_xobject(image, &compressed);
    img.filter(Filter::FlateDecode);
    img.width(side as i32)
        .height(side as i32)
        .bits_per_component(8)
        .interpolate(false);
    img.color_space().device_gray();
    img.finish();

    let mut c = Content::new();
    let title = win_ansi(&card.title);
    c.begin_text();
    c.set_font(Name(b"F2"), 18.0);
    c.next_line(56.0, 790.0);
    c.show(Str(&title));
    c.end_text();
    // The QR code, 360 points wide, centred.
    let size = 360.0;
    c.save_state();
    c.transform([size, 0.0, 0.0, size, (595.0 - size) / 2.0, 400.0]);
    c.x_object(Name(b"Im1"));
    c.restore_state();
    let mut y = 360.0;
    for (label, value) in &card.facts {
        let (l, v) = (win_ansi(label), win_ansi(value));
        c.begin_text();
        c.set_font(Name(b"F2"), 11.0);
        c.next_line(56.0, y);
        c.show(Str(&l));
        c.end_text();
        c.begin_text();
        c.set_font(Name(b"F1"), 11.0);
        c.next_line(210.0, y);
        c.show(Str(&v));
        c.end_text();
        y -= 18.0;
        if y < 40.0 {
            break;
        }
    }
    let content = c.finish();
    pdf.stream(content_id, &content);
    Ok((pdf.finish(), version))
}
