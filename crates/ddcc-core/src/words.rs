//! A certificate's facts in words, for a person reading them: on a
//! printed card, on a checkpoint's screen. Codes are named (in any system
//! the code tables map), with the code in brackets.

use serde_json::Value;

/// What a certificate says, for people.
#[derive(Clone, PartialEq, Eq)]
pub struct Facts {
    /// `COVID-19 vaccination certificate`, …
    pub title: &'static str,
    /// `vaccination`, `test` or `recovery`.
    pub kind: &'static str,
    /// Label and value, in reading order (personal data).
    pub lines: Vec<(String, String)>,
}

impl std::fmt::Debug for Facts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The values are personal data.
        f.debug_struct("Facts")
            .field("title", &self.title)
            .field("lines", &self.lines.len())
            .finish()
    }
}

/// A value in words: a coding by its display or known name, text as is.
pub fn in_words(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let text = |k: &str| o.get(k).and_then(Value::as_str);
            match (text("display"), text("system"), text("code")) {
                (Some(d), _, _) => d.to_owned(),
                (None, Some(s), Some(c)) => crate::codes::display_name(s, c)
                    .map_or_else(|| c.to_owned(), |n| format!("{n} ({c})")),
                (None, _, Some(c)) => c.to_owned(),
                _ => String::new(),
            }
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The facts of a DDCC subject (vaccination, test or recovery), with the
/// issuer's identifier last.
pub fn facts_of(subject: &Value, issuer: &str) -> Facts {
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut fact = |label: &str, v: Option<&Value>| {
        if let Some(v) = v.filter(|v| !v.is_null()) {
            lines.push((label.to_owned(), in_words(v)));
        }
    };
    fact("Name", subject.get("name"));
    fact("Date of birth", subject.get("birthDate"));
    let (title, kind) = if let Some(e) = subject.get("vaccination") {
        fact("Vaccine", e.get("vaccine"));
        fact("Product", e.get("brand"));
        fact("Date", e.get("date"));
        let dose = match (e.get("dose"), e.get("totalDoses")) {
            (Some(d), Some(t)) => Some(Value::from(format!("{d} of {t}"))),
            _ => None,
        };
        fact("Dose", dose.as_ref());
        fact("Country", e.get("country"));
        ("COVID-19 vaccination certificate", "vaccination")
    } else if let Some(e) = subject.get("test") {
        fact("Test", e.get("testType"));
        fact("Sample taken", e.get("sampleDate"));
        fact("Result", e.get("result"));
        fact("Country", e.get("country"));
        ("COVID-19 test certificate", "test")
    } else {
        let e = subject.get("recovery");
        fact(
            "First positive test",
            e.and_then(|e| e.get("firstPositiveDate")),
        );
        fact("Country", e.and_then(|e| e.get("country")));
        ("COVID-19 recovery certificate", "recovery")
    };
    let cert = subject.get("certificate");
    fact("Issued by", cert.and_then(|c| c.pointer("/issuer/name")));
    fact("Certificate id", cert.and_then(|c| c.get("hcid")));
    if !issuer.is_empty() {
        fact("Issuer", Some(&Value::from(issuer)));
    }
    Facts { title, kind, lines }
}
