use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use ddcc_assets::ContextRegistry;
use ddcc_core::{Did, DidUrl, VaccinationRecord, codes, vocab};
use ddcc_crypto::SecretKey;

use crate::fast::FastSuite;
use crate::{IssueError, ProofError};

/// Order of the members of an emitted proof (as in the W3C test vectors).
const PROOF_ORDER: &[&str] = &[
    "@context",
    "id",
    "type",
    "cryptosuite",
    "created",
    "expires",
    "verificationMethod",
    "proofPurpose",
    "challenge",
    "domain",
    "nonce",
    "previousProof",
    "proofValue",
];

/// Signs credentials as one `did:key` issuer.
///
/// ```no_run
/// # async fn demo(record: serde_json::Value) -> Result<(), Box<dyn std::error::Error>> {
/// let issuer = ddcc_credential::Issuer::new(ddcc_crypto::SecretKey::generate())?;
/// let vc = issuer.issue(&record, chrono::Utc::now()).await?;
/// assert_eq!(vc["issuer"], issuer.did().as_str());
/// # Ok(()) }
/// ```
pub struct Issuer {
    key: SecretKey,
    did: Did,
    method: DidUrl,
    registry: ContextRegistry,
    fast: FastSuite,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer")
            .field("did", &self.did)
            .finish_non_exhaustive()
    }
}

impl Issuer {
    /// An issuer whose DID is the `did:key` of `key`, using the embedded
    /// contexts.
    ///
    /// # Errors
    /// [`IssueError::Contexts`] only if the embedded contexts are broken.
    pub fn new(key: SecretKey) -> Result<Self, IssueError> {
        Self::with_contexts(key, ContextRegistry::builtin()?)
    }

    /// An issuer using `registry` for its contexts.
    ///
    /// # Errors
    /// [`IssueError::Proof`] if a context in the registry is not JSON-LD.
    pub fn with_contexts(key: SecretKey, registry: ContextRegistry) -> Result<Self, IssueError> {
        let (did, method) = ddcc_did::did_key_method(&key.public_key());
        let fast = FastSuite::new(&registry).map_err(IssueError::Proof)?;
        Ok(Self {
            key,
            did,
            method,
            registry,
            fast,
        })
    }

    /// An issuer under another DID (typically a `did:web` the issuer
    /// publishes), signing as `method`, which must be a verification
    /// method of `did` (the document published for `did` must list this
    /// key under `assertionMethod`, or verifiers will refuse the binding).
    ///
    /// # Errors
    /// [`IssueError::Proof`] when `method` is not a URL of `did`.
    pub fn with_did(mut self, did: Did, method: DidUrl) -> Result<Self, IssueError> {
        if method.did() != did || method.fragment().is_none() {
            return Err(IssueError::Proof(crate::ProofError::new(
                "the verification method must be a fragment of the issuer DID",
            )));
        }
        self.did = did;
        self.method = method;
        Ok(self)
    }

    /// The issuer's DID.
    pub fn did(&self) -> &Did {
        &self.did
    }

    /// The verification method proofs name.
    pub fn verification_method(&self) -> &DidUrl {
        &self.method
    }

    /// The issuer's signing key (for the crate's other proof formats).
    pub(crate) fn secret_key(&self) -> &SecretKey {
        &self.key
    }

    /// The contexts this issuer signs with.
    pub fn contexts(&self) -> &ContextRegistry {
        &self.registry
    }

    /// Builds the unsigned `DDCCVaccinationCredential` for an input record.
    /// The record is checked against the record schema first; ICD-11 codes
    /// get their known equivalents, and the alternative ICD-11 system URI is
    /// normalised. `validFrom` defaults to `now`.
    ///
    /// # Errors
    /// [`IssueError::Schema`] naming the failing fields, or
    /// [`IssueError::EmptyValidity`].
    pub fn credential_from_record(
        &self,
        record: &Value,
        now: DateTime<Utc>,
    ) -> Result<Value, IssueError> {
        let kind = record
            .get("subject")
            .and_then(vocab::CredentialKind::of_subject)
            .unwrap_or(vocab::CredentialKind::Vaccination);
        if kind != vocab::CredentialKind::Vaccination {
            return self.event_credential(kind, record, now);
        }
        ddcc_assets::validate_record(record)?;
        let record: VaccinationRecord = serde_json::from_value(record.clone()).map_err(|_| {
            // The schema accepted it, so this is a model/schema mismatch.
            IssueError::Schema(ddcc_assets::SchemaError {
                schema: vocab::VACCINATION_RECORD_SCHEMA_ID,
                violations: vec![ddcc_assets::SchemaViolation {
                    path: String::new(),
                    rule: "does not fit the data model".into(),
                }],
            })
        })?;
        let valid_from = match &record.valid_from {
            Some(t) => parse_time(t)?,
            None => now,
        };
        if let Some(until) = &record.valid_until
            && parse_time(until)? <= valid_from
        {
            return Err(IssueError::EmptyValidity);
        }
        let mut subject = record.subject;
        subject.subject_type = Some(vocab::VACCINATION_SUBJECT_TYPE.to_owned());
        let v = &mut subject.vaccination;
        for coding in [Some(&mut v.vaccine), Some(&mut v.brand), v.disease.as_mut()]
            .into_iter()
            .flatten()
        {
            codes::complete_equivalents(coding);
        }
        for coding in [v.manufacturer.as_mut(), v.maholder.as_mut()]
            .into_iter()
            .flatten()
        {
            let system = codes::normalize_system(&coding.system).to_owned();
            coding.system = system;
        }

        let mut vc = Map::new();
        vc.insert(
            "@context".into(),
            json!([vocab::CREDENTIALS_V2_CONTEXT, vocab::DDCC_CONTEXT_V1]),
        );
        if let Some(id) = record.id {
            vc.insert("id".into(), Value::from(id));
        }
        vc.insert(
            "type".into(),
            json!(["VerifiableCredential", vocab::VACCINATION_CREDENTIAL_TYPE]),
        );
        vc.insert("issuer".into(), Value::from(self.did.as_str()));
        vc.insert(
            "validFrom".into(),
            Value::from(match &record.valid_from {
                Some(t) => t.clone(),
                None => now.to_rfc3339_opts(SecondsFormat::Secs, true),
            }),
        );
        if let Some(until) = record.valid_until {
            vc.insert("validUntil".into(), Value::from(until));
        }
        vc.insert(
            "credentialSchema".into(),
            json!({"id": vocab::VACCINATION_SUBJECT_SCHEMA_ID, "type": "JsonSchema"}),
        );
        let subject = serde_json::to_value(&subject)
            .map_err(|_| IssueError::Proof(ProofError::new("subject could not be serialised")))?;
        vc.insert("credentialSubject".into(), subject);
        Ok(Value::Object(vc))
    }

    /// A test-result or recovery credential from its record: checked
    /// against the kind's record schema, codings completed with their
    /// equivalents, typed and linked to the kind's subject schema.
    fn event_credential(
        &self,
        kind: vocab::CredentialKind,
        record: &Value,
        now: DateTime<Utc>,
    ) -> Result<Value, IssueError> {
        ddcc_assets::validate_record_of(kind, record)?;
        let text = |k: &str| record.get(k).and_then(Value::as_str).map(str::to_owned);
        let (valid_from, valid_until) = (text("validFrom"), text("validUntil"));
        let from = match &valid_from {
            Some(t) => parse_time(t)?,
            None => now,
        };
        if let Some(until) = &valid_until
            && parse_time(until)? <= from
        {
            return Err(IssueError::EmptyValidity);
        }
        let mut subject = record.get("subject").cloned().unwrap_or(Value::Null);
        if let Some(o) = subject.as_object_mut() {
            o.insert("type".into(), Value::from(kind.subject_type()));
            if let Some(event) = o.get_mut(kind.event_member()) {
                codes::complete_equivalents_in(event);
            }
        }
        let mut vc = Map::new();
        vc.insert(
            "@context".into(),
            json!([vocab::CREDENTIALS_V2_CONTEXT, vocab::DDCC_CONTEXT_V1]),
        );
        if let Some(id) = text("id") {
            vc.insert("id".into(), Value::from(id));
        }
        vc.insert(
            "type".into(),
            json!(["VerifiableCredential", kind.credential_type()]),
        );
        vc.insert("issuer".into(), Value::from(self.did.as_str()));
        vc.insert(
            "validFrom".into(),
            Value::from(
                valid_from.unwrap_or_else(|| now.to_rfc3339_opts(SecondsFormat::Secs, true)),
            ),
        );
        if let Some(until) = valid_until {
            vc.insert("validUntil".into(), Value::from(until));
        }
        vc.insert(
            "credentialSchema".into(),
            json!({"id": kind.subject_schema_id(), "type": "JsonSchema"}),
        );
        vc.insert("credentialSubject".into(), subject);
        Ok(Value::Object(vc))
    }

    /// Checks `record` and issues a signed credential for it.
    ///
    /// # Errors
    /// As [`Issuer::credential_from_record`] and [`Issuer::sign_document`].
    pub async fn issue(&self, record: &Value, now: DateTime<Utc>) -> Result<Value, IssueError> {
        let vc = self.credential_from_record(record, now)?;
        self.sign_document(vc, now).await
    }

    /// As [`Issuer::issue`], with `credentialStatus` entries (Bitstring
    /// Status List) so the credential can be revoked or suspended.
    ///
    /// # Errors
    /// As [`Issuer::issue`].
    pub async fn issue_with_status(
        &self,
        record: &Value,
        now: DateTime<Utc>,
        status: &[ddcc_status::StatusEntry],
    ) -> Result<Value, IssueError> {
        let vc = self.credential_from_record(record, now)?;
        self.sign_credential_with_status(vc, now, status).await
    }

    /// Adds the status entries to a credential made by
    /// [`Issuer::credential_from_record`] (checked already) and signs it:
    /// what batch issuance uses, so a record is checked once.
    ///
    /// # Errors
    /// As [`Issuer::sign_document`].
    pub async fn sign_credential_with_status(
        &self,
        mut vc: Value,
        now: DateTime<Utc>,
        status: &[ddcc_status::StatusEntry],
    ) -> Result<Value, IssueError> {
        if let Value::Object(map) = &mut vc {
            insert_status(map, status);
        }
        self.sign_document(vc, now).await
    }

    /// Signs a status list as its issuer: the list credential to publish at
    /// its URL.
    ///
    /// # Errors
    /// As [`Issuer::sign_document`].
    pub async fn sign_status_list(
        &self,
        list: &ddcc_status::StatusList,
        now: DateTime<Utc>,
        valid_until: Option<DateTime<Utc>>,
    ) -> Result<Value, IssueError> {
        let from = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let until = valid_until.map(|u| u.to_rfc3339_opts(SecondsFormat::Secs, true));
        let unsigned = list.to_credential(self.did.as_str(), &from, until.as_deref());
        self.sign_document(unsigned, now).await
    }

    /// Adds an `eddsa-rdfc-2022` proof by this issuer's key to any JSON-LD
    /// document, keeping its members in their order. The document's own
    /// `issuer` is not touched: this is the primitive the W3C test suites
    /// exercise, and what [`Issuer::issue`] builds on.
    ///
    /// Signing always takes the exact fast path (`ddcc-ld`); a document it
    /// refuses is an error rather than a proof from a processor that may
    /// canonicalise it differently.
    ///
    /// # Errors
    /// [`IssueError::NotAnObject`], [`IssueError::AlreadySigned`], or
    /// [`IssueError::Unsupported`] naming what the fast path refused
    /// (an undefined term, an unpinned context, …).
    pub async fn sign_document(
        &self,
        document: Value,
        created: DateTime<Utc>,
    ) -> Result<Value, IssueError> {
        self.sign_with(document, created, |map, created| {
            self.fast
                .sign(map, &self.key, &self.method, created)
                .map_err(IssueError::Unsupported)
        })
    }

    /// The steps every proof this issuer makes shares: an object without a
    /// proof, within the data model, then `proof` from `make`.
    fn sign_with(
        &self,
        document: Value,
        created: DateTime<Utc>,
        make: impl FnOnce(&Map<String, Value>, &str) -> Result<Value, IssueError>,
    ) -> Result<Value, IssueError> {
        let Value::Object(mut map) = document else {
            return Err(IssueError::NotAnObject);
        };
        if map.contains_key("proof") {
            return Err(IssueError::AlreadySigned);
        }
        crate::model::check_document(&map)?;
        let created_text = created.to_rfc3339_opts(SecondsFormat::Secs, true);
        let proof = make(&map, &created_text)?;
        map.insert("proof".into(), order_proof(proof));
        Ok(Value::Object(map))
    }
}

impl Issuer {
    /// As [`Issuer::sign_document`], with an `eddsa-jcs-2022` proof: the
    /// document's JSON canonicalized (RFC 8785) rather than its RDF, for
    /// verifiers that do not process JSON-LD.
    ///
    /// # Errors
    /// [`IssueError::NotAnObject`], [`IssueError::AlreadySigned`],
    /// [`IssueError::Model`], or [`IssueError::Jcs`].
    pub async fn sign_document_jcs(
        &self,
        document: Value,
        created: DateTime<Utc>,
    ) -> Result<Value, IssueError> {
        self.sign_with(document, created, |map, created| {
            crate::jcs::sign(map, &self.key, self.method.as_str(), created).map_err(IssueError::Jcs)
        })
    }
}

/// Puts status entries into an unsigned credential as its
/// `credentialStatus` (one entry as an object, several as a list; none
/// leaves the credential as it is), whatever its proof will be.
pub fn insert_status(credential: &mut Map<String, Value>, status: &[ddcc_status::StatusEntry]) {
    let entries: Vec<Value> = status
        .iter()
        .map(ddcc_status::StatusEntry::to_json)
        .collect();
    let value = match <[Value; 1]>::try_from(entries) {
        Ok([one]) => one,
        Err(many) if many.is_empty() => return,
        Err(many) => Value::Array(many),
    };
    credential.insert("credentialStatus".into(), value);
}

fn order_proof(proof: Value) -> Value {
    let Value::Object(mut p) = proof else {
        return proof;
    };
    let mut out = Map::new();
    for key in PROOF_ORDER {
        if let Some(v) = p.remove(*key) {
            out.insert((*key).to_owned(), v);
        }
    }
    // Anything else keeps its order, before proofValue.
    let value = out.remove("proofValue");
    out.extend(p);
    if let Some(v) = value {
        out.insert("proofValue".into(), v);
    }
    Value::Object(out)
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, IssueError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            IssueError::Schema(ddcc_assets::SchemaError {
                schema: vocab::VACCINATION_RECORD_SCHEMA_ID,
                violations: vec![ddcc_assets::SchemaViolation {
                    path: "/validFrom or /validUntil".into(),
                    rule: "is not an RFC 3339 date-time".into(),
                }],
            })
        })
}
