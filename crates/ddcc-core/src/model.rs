//! Serde types of the DDCC:VS vaccination certificate (DOMAIN model §7).
//!
//! Field names follow the DDCC logical model in camelCase. Dates are kept as
//! the text the issuer gave (validated by the JSON Schema), so that partial
//! dates of birth (`1961`, `1961-05`) survive unchanged.

use serde::{Deserialize, Serialize};

/// Implements a `Debug` that names the type and hides every field: these
/// types carry personal health data.
macro_rules! redacted_debug {
    ($($t:ty),* $(,)?) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($t), " { <redacted> }"))
            }
        }
    )*};
}

/// A coded value: a code from a code system, with optional equivalent codes
/// in other systems so that a verifier needs no terminology server.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Coding {
    /// Code system URI, e.g. `http://id.who.int/icd11/mms`.
    pub system: String,
    /// The code, e.g. `XM0GQ8`.
    pub code: String,
    /// Human-readable text of the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// The same concept in other code systems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equivalents: Vec<Coding>,
}

/// A person identifier (national ID, passport number, medical record number).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Identifier {
    /// Identifier type (HL7 v2-0203 code: `PPN`, `NI`, `MR`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier_type: Option<String>,
    /// The identifier value.
    pub value: String,
    /// Who assigned it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigner: Option<String>,
}

/// A salted commitment to an identity document number (DOMAIN §4.7): the
/// number itself never enters the credential.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentityBinding {
    /// ICAO 9303 document type (`P` passport, `I` ID card…).
    pub doc_type: String,
    /// ISO 3166-1 alpha-3 code of the issuing state.
    pub issuing_state: String,
    /// Digest algorithm, `sha-256`.
    pub alg: String,
    /// base64url digest of salt ‖ normalised document data.
    pub digest: String,
    /// base64url salt (128 bits or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

/// The issuing authority named inside the certificate.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertificateIssuer {
    /// Name of the authority (≤ 80 characters).
    pub name: String,
    /// ISO 3166-1 alpha-3 country code.
    pub country: String,
}

/// The certificate block of DDCC:VS.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertificateInfo {
    /// Health certificate identifier (HCID), e.g. a UVCI.
    pub hcid: String,
    /// Version of the core data set.
    pub version: String,
    /// The authority that issued the certificate.
    pub issuer: CertificateIssuer,
}

/// One vaccination event (DDCC:VS carries exactly one per certificate).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaccinationEvent {
    /// Vaccine or prophylaxis (ICD-11 MMS `XM…`).
    pub vaccine: Coding,
    /// Vaccine brand.
    pub brand: Coding,
    /// Manufacturer (this or `maholder` is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<Coding>,
    /// Market authorization holder (this or `manufacturer` is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maholder: Option<Coding>,
    /// Batch or lot number.
    pub lot: String,
    /// Date of vaccination (`YYYY-MM-DD`).
    pub date: String,
    /// Dose number (≥ 1).
    pub dose: u32,
    /// Total doses of the series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_doses: Option<u32>,
    /// When the issuer considers the dose effective (DDCC `vaccination.validFrom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaccine_valid_from: Option<String>,
    /// ISO 3166-1 alpha-3 country of vaccination.
    pub country: String,
    /// Administering centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre: Option<String>,
    /// Health worker identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<String>,
    /// Disease or agent targeted (ICD-11 `RA01`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease: Option<Coding>,
    /// Due date of the next dose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_dose: Option<String>,
}

/// The `credentialSubject` of a `DDCCVaccinationCredential`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaccinationSubject {
    /// Holder DID, when the credential is bound to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `DDCCVaccinationSubject` in an issued credential.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub subject_type: Option<String>,
    /// Full name.
    pub name: String,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// Given name(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// ICAO 9303 standardised family name (`^[A-Z<]*$`), computed by the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standardized_family_name: Option<String>,
    /// ICAO 9303 standardised given name(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standardized_given_name: Option<String>,
    /// Date of birth: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_date: String,
    /// Administrative sex (continuity of care only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// Person identifiers (continuity of care only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// Commitment to an identity document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_binding: Option<IdentityBinding>,
    /// The certificate block.
    pub certificate: CertificateInfo,
    /// The vaccination event.
    pub vaccination: VaccinationEvent,
}

/// An issuer's input record: one vaccination certificate to issue.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaccinationRecord {
    /// Optional credential `id` (a URI). Omitted by default: an id is a
    /// correlation handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Start of the credential's validity (RFC 3339); defaults to issuance time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// End of the credential's validity (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// The certificate's subject.
    pub subject: VaccinationSubject,
}

redacted_debug!(
    Coding,
    Identifier,
    IdentityBinding,
    CertificateIssuer,
    CertificateInfo,
    VaccinationEvent,
    VaccinationSubject,
    VaccinationRecord,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let c = Coding {
            system: "http://id.who.int/icd11/mms".into(),
            code: "XM0GQ8".into(),
            display: None,
            equivalents: vec![],
        };
        let text = format!("{c:?}");
        assert!(!text.contains("XM0GQ8"));
        assert!(text.contains("redacted"));
    }
}
