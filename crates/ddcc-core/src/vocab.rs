//! Identifiers of the ddcc vocabulary: context, types and schema URLs.

/// URL of our JSON-LD context (`contexts/ddcc-v1.jsonld`).
pub const DDCC_CONTEXT_V1: &str = "https://w3id.org/ddcc/v1";
/// Base IRI of the ddcc vocabulary.
pub const DDCC_VOCAB: &str = "https://w3id.org/ddcc/vocab#";
/// URL of the W3C Verifiable Credentials 2.0 context.
pub const CREDENTIALS_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// Credential type of a DDCC:VS vaccination certificate.
pub const VACCINATION_CREDENTIAL_TYPE: &str = "DDCCVaccinationCredential";
/// `credentialSubject.type` of a vaccination certificate.
pub const VACCINATION_SUBJECT_TYPE: &str = "DDCCVaccinationSubject";
/// `$id` of the JSON Schema of a vaccination `credentialSubject`
/// (`schemas/ddcc-vs-subject-1.0.0.schema.json`).
pub const VACCINATION_SUBJECT_SCHEMA_ID: &str =
    "https://w3id.org/ddcc/schemas/ddcc-vs-subject-1.0.0.schema.json";
/// `$id` of the JSON Schema of an issuer's vaccination input record
/// (`schemas/ddcc-vs-record-1.0.0.schema.json`).
pub const VACCINATION_RECORD_SCHEMA_ID: &str =
    "https://w3id.org/ddcc/schemas/ddcc-vs-record-1.0.0.schema.json";
/// Version of the DDCC:VS core data set this model follows.
pub const DDCC_VS_VERSION: &str = "1.0.0";
/// Credential type of a DDCC:TR test-result certificate.
pub const TEST_RESULT_CREDENTIAL_TYPE: &str = "DDCCTestResultCredential";
/// Credential type of a recovery certificate.
pub const RECOVERY_CREDENTIAL_TYPE: &str = "DDCCRecoveryCredential";

/// The kinds of certificate ddcc issues, each with its types, schemas and
/// the subject member holding its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    /// DDCC:VS: one vaccination event.
    Vaccination,
    /// DDCC:TR: one test result (negative test, or proof of previous
    /// infection).
    TestResult,
    /// Recovery (EU DCC style: first positive test and a validity window).
    Recovery,
}

impl CredentialKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Vaccination, Self::TestResult, Self::Recovery];

    /// The VC type (`DDCCVaccinationCredential`, …).
    pub fn credential_type(self) -> &'static str {
        match self {
            Self::Vaccination => VACCINATION_CREDENTIAL_TYPE,
            Self::TestResult => TEST_RESULT_CREDENTIAL_TYPE,
            Self::Recovery => RECOVERY_CREDENTIAL_TYPE,
        }
    }

    /// The `credentialSubject.type`.
    pub fn subject_type(self) -> &'static str {
        match self {
            Self::Vaccination => VACCINATION_SUBJECT_TYPE,
            Self::TestResult => "DDCCTestResultSubject",
            Self::Recovery => "DDCCRecoverySubject",
        }
    }

    /// The subject member holding the event (`vaccination`, `test`,
    /// `recovery`).
    pub fn event_member(self) -> &'static str {
        match self {
            Self::Vaccination => "vaccination",
            Self::TestResult => "test",
            Self::Recovery => "recovery",
        }
    }

    /// `$id` of the subject schema.
    pub fn subject_schema_id(self) -> &'static str {
        match self {
            Self::Vaccination => VACCINATION_SUBJECT_SCHEMA_ID,
            Self::TestResult => "https://w3id.org/ddcc/schemas/ddcc-tr-subject-1.0.0.schema.json",
            Self::Recovery => "https://w3id.org/ddcc/schemas/ddcc-rc-subject-1.0.0.schema.json",
        }
    }

    /// `$id` of the issuer's input record schema.
    pub fn record_schema_id(self) -> &'static str {
        match self {
            Self::Vaccination => VACCINATION_RECORD_SCHEMA_ID,
            Self::TestResult => "https://w3id.org/ddcc/schemas/ddcc-tr-record-1.0.0.schema.json",
            Self::Recovery => "https://w3id.org/ddcc/schemas/ddcc-rc-record-1.0.0.schema.json",
        }
    }

    /// The SD-JWT VC type (`vct`).
    pub fn vct(self) -> &'static str {
        match self {
            Self::Vaccination => "https://w3id.org/ddcc/vct/vaccination/v1",
            Self::TestResult => "https://w3id.org/ddcc/vct/test-result/v1",
            Self::Recovery => "https://w3id.org/ddcc/vct/recovery/v1",
        }
    }

    /// The kind whose credential type is `t`.
    pub fn from_credential_type(t: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.credential_type() == t)
    }

    /// The kind whose subject schema is `id`.
    pub fn from_subject_schema(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.subject_schema_id() == id)
    }

    /// The kind whose `vct` is `vct`.
    pub fn from_vct(vct: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.vct() == vct)
    }

    /// The kind of an issuer record (or subject): the one whose event
    /// member it has (`vaccination`, `test` or `recovery`); `None` when it
    /// has none or more than one.
    pub fn of_subject(subject: &serde_json::Value) -> Option<Self> {
        let mut found = Self::ALL
            .into_iter()
            .filter(|k| subject.get(k.event_member()).is_some());
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }
}
