//! Untrusted text made safe to print on a terminal or in a log line.
//!
//! A credential's issuer, a key id or a verification method comes from
//! whoever made the credential. Printed as it is, a control sequence in it
//! can move the cursor, erase the real verdict and write a forged
//! "VALID"; a carriage return or line feed can start a line of its own; a
//! bidirectional override can reverse what is read; a long one can fill
//! the screen. [`printable`] escapes every such character (as `\u{…}`) and
//! clips the text. JSON output stays exact: its encoder escapes control
//! characters itself.

use std::borrow::Cow;

/// The most characters of one untrusted value printed in text output.
pub const MAX_PRINTED: usize = 200;

/// Whether `c` must not reach a terminal as it is: control characters
/// (C0, DEL, C1, which include ESC and CSI), line and paragraph
/// separators, and the bidirectional formatting characters.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every character that could change what a terminal shows
/// escaped as `\u{…}`, clipped to `max` characters (with `…` when cut).
pub fn printable(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max && !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_sequences_and_long_text_are_escaped_and_clipped() {
        assert_eq!(printable("did:key:z6Mk", 200), "did:key:z6Mk");
        assert!(matches!(printable("plain", 200), Cow::Borrowed(_)));
        // A cursor-up-and-erase followed by a forged verdict.
        let forged = "did:web:x\u{1b}[1A\u{1b}[2K\rVALID\n";
        let shown = printable(forged, 200);
        assert!(!shown.contains('\u{1b}') && !shown.contains('\r') && !shown.contains('\n'));
        assert_eq!(shown, "did:web:x\\u{1b}[1A\\u{1b}[2K\\u{d}VALID\\u{a}");
        // A right-to-left override and a C1 control.
        assert_eq!(printable("a\u{202e}b\u{9b}c", 200), "a\\u{202e}b\\u{9b}c");
        // 900 KB become 200 characters and an ellipsis.
        let long = "x".repeat(900_000);
        let shown = printable(&long, 200);
        assert_eq!(shown.chars().count(), 201);
        assert!(shown.ends_with('…'));
    }
}
