//! `eddsa-jcs-2022` (W3C Data Integrity EdDSA Cryptosuites §3.3): the
//! document and the proof configuration canonicalized with the JSON
//! Canonicalization Scheme (RFC 8785) instead of RDF, hashed with SHA-256,
//! and signed with Ed25519.
//!
//! The JCS serializer is written here, small and bounded: `serde_jcs` 0.1
//! (the crate in the dependency tree) stops the program on numbers kept as
//! text, which `serde_json`'s `arbitrary_precision` (enabled by `ssi`)
//! makes of every number.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use ddcc_crypto::{PublicKey, SecretKey};

/// The cryptosuite's name.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";

/// Deepest nesting canonicalized.
const MAX_DEPTH: usize = 128;

/// Why a value has no JCS form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JcsError {
    /// Nested deeper than the limit.
    #[error("the document is nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// A number that is not an IEEE 754 double (RFC 8785 §3.2.2.3).
    #[error("a number outside what JSON Canonicalization can represent")]
    Number,
}

/// The RFC 8785 canonical form of `value`.
///
/// # Errors
/// [`JcsError`] for values nested too deep or numbers out of range.
pub fn canonicalize(value: &Value) -> Result<String, JcsError> {
    let mut out = String::new();
    write(&mut out, value, 0)?;
    Ok(out)
}

fn write(out: &mut String, v: &Value, depth: usize) -> Result<(), JcsError> {
    if depth > MAX_DEPTH {
        return Err(JcsError::TooDeep);
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n)?,
        Value::String(s) => write_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, x, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(m) => {
            // Members sorted by their names' UTF-16 code units.
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write(out, &m[k], depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// ECMAScript's Number-to-String (RFC 8785 §3.2.2.3).
fn write_number(out: &mut String, n: &serde_json::Number) -> Result<(), JcsError> {
    let f = n
        .as_f64()
        .filter(|f| f.is_finite())
        .ok_or(JcsError::Number)?;
    // Integers beyond 2^53 lose precision as doubles; RFC 8785 serializes
    // the double, as JavaScript would, and so does this.
    out.push_str(ryu_js::Buffer::new().format_finite(f));
    Ok(())
}

/// A JSON string as RFC 8785 writes it: `"` and `\` escaped, the five
/// short escapes, other controls as `\u00xx`, everything else as is.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < '\u{20}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The bytes signed: SHA-256 of the canonical proof configuration, then
/// SHA-256 of the canonical document (without its proof).
fn hash_data(
    document: &Map<String, Value>,
    config: &Map<String, Value>,
) -> Result<Vec<u8>, JcsError> {
    let mut unsecured = document.clone();
    unsecured.remove("proof");
    let mut data =
        Sha256::digest(canonicalize(&Value::Object(config.clone()))?.as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(
        canonicalize(&Value::Object(unsecured))?.as_bytes(),
    ));
    Ok(data)
}

/// An `eddsa-jcs-2022` proof over `document` by `key`: the proof's
/// `@context` is the document's, as the cryptosuite requires.
///
/// # Errors
/// [`JcsError`] when the document has no JCS form.
pub(crate) fn sign(
    document: &Map<String, Value>,
    key: &SecretKey,
    verification_method: &str,
    created: &str,
) -> Result<Value, JcsError> {
    let mut config = Map::new();
    config.insert("type".into(), "DataIntegrityProof".into());
    config.insert("cryptosuite".into(), CRYPTOSUITE.into());
    config.insert("created".into(), created.into());
    config.insert("verificationMethod".into(), verification_method.into());
    config.insert("proofPurpose".into(), "assertionMethod".into());
    if let Some(c) = document.get("@context") {
        config.insert("@context".into(), c.clone());
    }
    let signature = key.sign(&hash_data(document, &config)?);
    config.insert(
        "proofValue".into(),
        Value::from(multibase::encode(multibase::Base::Base58Btc, signature)),
    );
    Ok(Value::Object(config))
}

/// Why an `eddsa-jcs-2022` proof does not verify, or `Ok` when it does.
pub(crate) fn verify(
    document: &Map<String, Value>,
    proof: &Map<String, Value>,
    key: &PublicKey,
) -> Result<(), &'static str> {
    // The proof's @context, when the document has one, must be the
    // document's (Data Integrity §4.4, step 6 of "Verify Proof").
    if let Some(c) = document.get("@context")
        && proof.get("@context") != Some(c)
    {
        return Err("the proof's @context is not the credential's, as eddsa-jcs-2022 requires");
    }
    let mut config = proof.clone();
    let Some(Value::String(value)) = config.remove("proofValue") else {
        return Err("proofValue is missing");
    };
    let signature = match multibase::decode(&value) {
        Ok((multibase::Base::Base58Btc, bytes)) if bytes.len() == 64 => bytes,
        _ => return Err("proofValue is not a base58btc Ed25519 signature"),
    };
    let data = hash_data(document, &config).map_err(|_| "the credential has no JCS form")?;
    if key.verify(&data, &signature) {
        Ok(())
    } else {
        Err("the signature does not match the credential (it was altered or signed by another key)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc_8785_examples() {
        // RFC 8785 §3.2.2: the sample with numbers, strings and literals.
        let v: Value = serde_json::from_str(
            r#"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
                "literals": [null, true, false]}"#,
        )
        .unwrap();
        assert_eq!(
            canonicalize(&v).unwrap(),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        // §3.2.3: members sorted by UTF-16 code units, not by UTF-8 bytes.
        let v = json!({"\u{20ac}": "Euro Sign", "\r": "Carriage Return", "\u{fb33}": "Hebrew Letter Dalet With Dagesh",
                       "1": "One", "\u{1f600}": "Emoji: Grinning Face", "\u{0080}": "Control", "\u{00f6}": "Latin Small Letter O With Diaeresis"});
        let text = canonicalize(&v).unwrap();
        let order: Vec<&str> = [
            "\\r",
            "1",
            "\u{0080}",
            "\u{00f6}",
            "\u{20ac}",
            "\u{1f600}",
            "\u{fb33}",
        ]
        .to_vec();
        let mut at = 0;
        for k in order {
            let i = text[at..]
                .find(&format!("\"{k}\""))
                .unwrap_or_else(|| panic!("{k} in {text}"));
            at += i + 1;
        }
    }

    #[test]
    fn deep_values_are_refused() {
        let mut v = json!(1);
        for _ in 0..200 {
            v = json!([v]);
        }
        assert_eq!(canonicalize(&v), Err(JcsError::TooDeep));
    }
}
