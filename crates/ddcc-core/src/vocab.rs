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
