//! Data Integrity presentations: a VC 2.0 `VerifiablePresentation` holding
//! credentials, with an `eddsa-rdfc-2022` proof by the holder
//! (`proofPurpose: authentication`, `challenge`, `domain`).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use ddcc_core::{Did, DidUrl, vocab};
use ddcc_crypto::SecretKey;
use ddcc_did::{DidResolver as _, VerificationRelationship};

use crate::fast::{FastSuite, FastVerification};
use crate::verdict::{CheckReport, CheckStatus, Outcome};
use crate::{Check, Checks, IssueError, Verdict, Verifier};

/// A holder that signs presentations with its Ed25519 key, under its
/// `did:key` ([`Holder::new`]) or its `did:jwk` ([`Holder::with_did_jwk`]).
pub struct Holder {
    key: SecretKey,
    did: Did,
    method: DidUrl,
    fast: FastSuite,
}

impl std::fmt::Debug for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Holder")
            .field("did", &self.did)
            .finish_non_exhaustive()
    }
}

impl Holder {
    /// A holder whose DID is the `did:key` of `key`.
    ///
    /// # Errors
    /// Only if the embedded contexts are broken.
    pub fn new(key: SecretKey) -> Result<Self, IssueError> {
        let (did, method) = ddcc_did::did_key_method(&key.public_key());
        Self::with_identity(key, did, method)
    }

    fn with_identity(key: SecretKey, did: Did, method: DidUrl) -> Result<Self, IssueError> {
        let registry = ddcc_assets::ContextRegistry::builtin()?;
        let fast = FastSuite::new(&registry).map_err(IssueError::Proof)?;
        Ok(Self {
            key,
            did,
            method,
            fast,
        })
    }

    /// A holder whose DID is the `did:jwk` of `key` (verification method
    /// `#0`).
    ///
    /// # Errors
    /// Only if the embedded contexts are broken.
    pub fn with_did_jwk(key: SecretKey) -> Result<Self, IssueError> {
        let did = ddcc_did::did_jwk_for(&key.public_key());
        let method = DidUrl::parse(&format!("{did}#0"))
            .unwrap_or_else(|_| unreachable!("a did:jwk with fragment 0 is a DID URL"));
        Self::with_identity(key, did, method)
    }

    /// The holder's DID.
    pub fn did(&self) -> &Did {
        &self.did
    }

    /// Wraps `credentials` in a presentation signed for a verifier's
    /// `challenge` and `domain`.
    ///
    /// # Errors
    /// [`IssueError::Unsupported`] if a credential uses something the exact
    /// path refuses.
    pub fn present(
        &self,
        credentials: Vec<Value>,
        challenge: &str,
        domain: &str,
        now: DateTime<Utc>,
    ) -> Result<Value, IssueError> {
        let mut vp = Map::new();
        vp.insert("@context".into(), json!([vocab::CREDENTIALS_V2_CONTEXT]));
        vp.insert("type".into(), json!(["VerifiablePresentation"]));
        vp.insert("holder".into(), Value::from(self.did.as_str()));
        vp.insert("verifiableCredential".into(), Value::from(credentials));
        self.sign_presentation(vp, challenge, domain, now)
    }

    /// Signs a presentation the caller built (with or without a `holder`,
    /// with members of its own) for a verifier's `challenge` and `domain`.
    ///
    /// # Errors
    /// [`IssueError::AlreadySigned`], [`IssueError::Model`] when it breaks
    /// the data model, or [`IssueError::Unsupported`].
    pub fn sign_presentation(
        &self,
        mut vp: Map<String, Value>,
        challenge: &str,
        domain: &str,
        now: DateTime<Utc>,
    ) -> Result<Value, IssueError> {
        if vp.contains_key("proof") {
            return Err(IssueError::AlreadySigned);
        }
        crate::model::check_presentation(&vp)?;
        let created = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let proof = self
            .fast
            .sign_with(
                &vp,
                &self.key,
                &self.method,
                &created,
                "authentication",
                Some(challenge),
                Some(domain),
            )
            .map_err(IssueError::Unsupported)?;
        vp.insert("proof".into(), proof);
        Ok(Value::Object(vp))
    }
}

/// Whether a presentation must be bound to its holder: a `holder`, a proof
/// by one of the holder's keys, and every credential that names its
/// subject naming the holder.
///
/// VC 2.0 requires none of it: a presentation may have no `holder`, and
/// may carry credentials about someone else (a parent showing a child's).
/// A checkpoint that admits the person a certificate is about needs all of
/// it, so binding is a verifier's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HolderBinding {
    /// Never required (the VC 2.0 data model alone).
    Never,
    /// Required when the presentation carries a DDCC certificate (the DDCC
    /// checkpoint profile): the default.
    #[default]
    DdccCertificates,
    /// Always required.
    Always,
}

/// How presentations are verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PresentationPolicy {
    /// When the presentation must be bound to its holder.
    pub holder_binding: HolderBinding,
}

/// The result of verifying a presentation: the holder's proof, then each
/// embedded credential.
#[derive(Debug, Clone)]
pub struct PresentationVerdict {
    /// The presentation-level verdict (format, contexts, holder proof,
    /// challenge/domain, holder binding of every credential).
    pub presentation: Verdict,
    /// One verdict per embedded credential, in order.
    pub credentials: Vec<Verdict>,
}

impl PresentationVerdict {
    /// Valid only if the presentation and every credential are.
    pub fn is_valid(&self) -> bool {
        self.presentation.is_valid()
            && !self.credentials.is_empty()
            && self.credentials.iter().all(Verdict::is_valid)
    }

    /// 0 valid, 1 invalid, 2 could not verify (the worst of all parts).
    pub fn exit_code(&self) -> u8 {
        if self.credentials.is_empty() {
            return self.presentation.exit_code().max(1);
        }
        let invalid = std::iter::once(&self.presentation)
            .chain(&self.credentials)
            .any(|v| v.exit_code() == 1);
        if invalid {
            1
        } else {
            std::iter::once(&self.presentation)
                .chain(&self.credentials)
                .map(Verdict::exit_code)
                .max()
                .unwrap_or(2)
        }
    }

    /// Whether the presentation is valid and every credential is authentic
    /// (valid, or from an issuer nobody was asked about: see
    /// [`Verdict::is_authentic`]).
    pub fn is_authentic(&self) -> bool {
        self.presentation.is_valid()
            && !self.credentials.is_empty()
            && self.credentials.iter().all(Verdict::is_authentic)
    }

    /// The overall verdict's stable name: the worst part's, with
    /// `issuer_not_checked` when everything verified but no trust policy
    /// vouched for a credential's issuer.
    pub fn verdict_name(&self) -> &'static str {
        match self.exit_code() {
            0 if self.is_valid() => "valid",
            0 => "issuer_not_checked",
            1 => "invalid",
            _ => "could_not_verify",
        }
    }

    /// Stable JSON: `{"verdict", "presentation": {...}, "credentials": [...]}`.
    pub fn to_json(&self) -> Value {
        let verdict = self.verdict_name();
        // The presentation-level verdict's subject is the holder.
        let mut presentation = self.presentation.to_json();
        if let Some(o) = presentation.as_object_mut()
            && let Some(holder) = o.remove("issuer")
        {
            o.insert("holder".into(), holder);
        }
        json!({
            "verdict": verdict,
            "presentation": presentation,
            "credentials": self.credentials.iter().map(Verdict::to_json).collect::<Vec<_>>(),
        })
    }

    /// Human-readable summary.
    pub fn to_text(&self) -> String {
        let text = self.presentation.to_text();
        let text = text.replacen("\n  issuer: ", "\n  holder: ", 1);
        let mut out = format!("PRESENTATION: {text}");
        for (i, c) in self.credentials.iter().enumerate() {
            out.push_str(&format!("CREDENTIAL {}: {}", i + 1, c.to_text()));
        }
        out
    }
}

fn report(
    check: Check,
    status: CheckStatus,
    code: &'static str,
    message: impl Into<String>,
) -> CheckReport {
    CheckReport {
        check,
        status,
        code,
        message: message.into(),
    }
}

impl Verifier {
    /// Verifies a Data Integrity presentation: its holder proof
    /// (`authentication`, the expected `challenge` and `domain`, a key of the
    /// `holder`), that every credential's subject is the holder when it
    /// names one, and every embedded credential with `checks`.
    pub async fn verify_presentation(
        &self,
        vp: &Value,
        challenge: &str,
        domain: &str,
        checks: Checks,
    ) -> PresentationVerdict {
        self.verify_presentation_with(vp, challenge, domain, checks, PresentationPolicy::default())
            .await
    }

    /// As [`Verifier::verify_presentation`], under `policy`.
    pub async fn verify_presentation_with(
        &self,
        vp: &Value,
        challenge: &str,
        domain: &str,
        checks: Checks,
        policy: PresentationPolicy,
    ) -> PresentationVerdict {
        let mut reports = Vec::new();
        let holder = vp
            .get("holder")
            .and_then(|h| h.as_str().or_else(|| h.get("id")?.as_str()))
            .map(str::to_owned);
        let credentials: Vec<Value> = match vp.get("verifiableCredential") {
            Some(Value::Array(a)) => a.clone(),
            Some(v @ Value::Object(_)) => vec![v.clone()],
            _ => Vec::new(),
        };
        let types = vp
            .get("type")
            .map(|t| match t {
                Value::Array(a) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                Value::String(s) => vec![s.clone()],
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let Some(obj) = vp
            .as_object()
            .filter(|_| types.iter().any(|t| t == "VerifiablePresentation"))
        else {
            reports.push(report(
                Check::Format,
                CheckStatus::CouldNotVerify,
                "not_a_presentation",
                "the input is not a VerifiablePresentation",
            ));
            return PresentationVerdict {
                presentation: finish(reports, holder, types),
                credentials: Vec::new(),
            };
        };
        if let Err(e) = crate::model::check_presentation(obj) {
            reports.push(CheckReport {
                check: Check::Format,
                status: CheckStatus::Failed,
                code: e.code,
                message: e.message,
            });
            return PresentationVerdict {
                presentation: finish(reports, holder, types),
                credentials: Vec::new(),
            };
        }
        reports.push(report(
            Check::Format,
            CheckStatus::Passed,
            "ok",
            format!("a presentation of {} credential(s)", credentials.len()),
        ));
        let bound = match policy.holder_binding {
            HolderBinding::Never => false,
            HolderBinding::Always => true,
            HolderBinding::DdccCertificates => credentials.iter().any(|c| {
                c.get("type").is_some_and(|t| {
                    let one = |t: &Value| {
                        t.as_str()
                            .and_then(vocab::CredentialKind::from_credential_type)
                            .is_some()
                    };
                    match t {
                        Value::Array(a) => a.iter().any(one),
                        t => one(t),
                    }
                })
            }),
        };
        // Pinned context URLs, and after the first, inline context objects
        // unless this verifier refuses them.
        let pinned = match obj.get("@context") {
            Some(Value::Array(a)) => a.iter().enumerate().all(|(i, c)| match c {
                Value::String(u) => self.registry.contains(u),
                Value::Object(_) => i > 0 && !self.refuse_inline_contexts,
                _ => false,
            }),
            Some(Value::String(u)) => self.registry.contains(u),
            _ => false,
        };
        reports.push(if pinned {
            report(
                Check::Contexts,
                CheckStatus::Passed,
                "ok",
                "pinned contexts",
            )
        } else {
            report(
                Check::Contexts,
                CheckStatus::CouldNotVerify,
                "unknown_context",
                "the presentation's contexts are not all pinned URLs (or inline objects after the first)",
            )
        });
        reports.push(
            self.presentation_proof(obj, bound.then_some(holder.as_deref()), challenge, domain)
                .await,
        );
        // Holder binding of each credential that names its subject.
        let unbound = credentials.iter().position(|c| {
            c.get("credentialSubject")
                .and_then(|s| s.get("id"))
                .and_then(Value::as_str)
                .is_some_and(|id| Some(id) != holder.as_deref())
        });
        reports.push(match (&holder, unbound) {
            _ if !bound => report(
                Check::Issuer,
                CheckStatus::NotApplicable,
                "holder_binding_not_required",
                "this verifier's policy does not bind these credentials to the holder",
            ),
            (_, Some(i)) => report(
                Check::Issuer,
                CheckStatus::Failed,
                "subject_not_holder",
                format!(
                    "credential {} is about another subject than the holder",
                    i + 1
                ),
            ),
            (Some(_), None) => report(
                Check::Issuer,
                CheckStatus::Passed,
                "ok",
                "every credential naming a subject names the holder",
            ),
            (None, None) => report(
                Check::Issuer,
                CheckStatus::Failed,
                "missing_holder",
                "the presentation names no holder",
            ),
        });
        let mut verdicts = Vec::new();
        for c in &credentials {
            verdicts.push(self.verify(c, checks).await);
        }
        PresentationVerdict {
            presentation: finish(reports, holder, types),
            credentials: verdicts,
        }
    }

    /// The holder's proof. `holder` is `Some` when the proof must be made
    /// with a key of the holder (`Some(None)`: a holder was required and
    /// there is none).
    async fn presentation_proof(
        &self,
        vp: &Map<String, Value>,
        holder: Option<Option<&str>>,
        challenge: &str,
        domain: &str,
    ) -> CheckReport {
        let Some(proof) = vp.get("proof").and_then(Value::as_object) else {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "missing_proof",
                "the presentation has no proof (or several)",
            );
        };
        let field = |k: &str| proof.get(k).and_then(Value::as_str);
        if field("type") != Some("DataIntegrityProof")
            || field("cryptosuite") != Some(crate::CRYPTOSUITE)
        {
            return report(
                Check::Proof,
                CheckStatus::CouldNotVerify,
                "unsupported_cryptosuite",
                "only eddsa-rdfc-2022 presentation proofs are supported",
            );
        }
        if field("proofPurpose") != Some("authentication") {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "wrong_proof_purpose",
                "a presentation proof must have proofPurpose authentication",
            );
        }
        if field("challenge") != Some(challenge) {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "challenge_mismatch",
                "the proof's challenge is not the one this verifier issued",
            );
        }
        let domain_ok = match proof.get("domain") {
            Some(Value::String(d)) => d == domain,
            Some(Value::Array(a)) => a.iter().any(|d| d.as_str() == Some(domain)),
            _ => false,
        };
        if !domain_ok {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "domain_mismatch",
                "the proof's domain is not this verifier's",
            );
        }
        let Some(Ok(method)) = field("verificationMethod").map(DidUrl::parse) else {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "malformed_proof",
                "verificationMethod is missing or not a DID URL",
            );
        };
        if let Some(problem) = crate::model::proof_dates_problem(proof) {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "malformed_proof",
                problem,
            );
        }
        if let Some(holder) = holder
            && Some(method.did().as_str()) != holder
        {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "method_not_holders",
                "the presentation was signed with a key that is not the holder's",
            );
        }
        let method_did = method.did();
        let document = match self.resolver.resolve(&method_did).await {
            Ok(d) => d.document,
            Err(e) if e.is_invalid() => {
                return report(
                    Check::Proof,
                    CheckStatus::Failed,
                    "holder_invalid_did",
                    e.to_string(),
                );
            }
            Err(e) => {
                return report(
                    Check::Proof,
                    CheckStatus::CouldNotVerify,
                    "holder_not_resolvable",
                    e.to_string(),
                );
            }
        };
        if !document.has_relationship(method.as_str(), VerificationRelationship::Authentication) {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "not_authentication",
                "the key is not an authentication method of the holder",
            );
        }
        let Some(key) = document.method(method.as_str()).and_then(|m| m.ed25519) else {
            return report(
                Check::Proof,
                CheckStatus::Failed,
                "unknown_verification_method",
                "the holder's DID document has no Ed25519 key for that method",
            );
        };
        match self.fast.verify(vp, proof, &key) {
            Ok(FastVerification::Valid) => report(
                Check::Proof,
                CheckStatus::Passed,
                "ok",
                "the holder's eddsa-rdfc-2022 signature is valid",
            ),
            Ok(FastVerification::Invalid(why)) => report(
                Check::Proof,
                CheckStatus::Failed,
                "signature_mismatch",
                why.unwrap_or("the presentation was altered or signed by another key"),
            ),
            Err(u) => report(
                Check::Proof,
                CheckStatus::CouldNotVerify,
                "unsupported",
                format!("the presentation cannot be checked: {u}"),
            ),
        }
    }
}

fn finish(mut reports: Vec<CheckReport>, issuer: Option<String>, types: Vec<String>) -> Verdict {
    for check in [Check::Format, Check::Contexts, Check::Proof, Check::Issuer] {
        if !reports.iter().any(|r| r.check == check) {
            reports.push(report(check, CheckStatus::Skipped, "not_run", "not run"));
        }
    }
    reports.sort_by_key(|r| r.check);
    let outcome = if let Some(f) = reports.iter().find(|r| r.status == CheckStatus::Failed) {
        Outcome::Invalid(f.clone())
    } else if let Some(c) = reports
        .iter()
        .find(|r| matches!(r.status, CheckStatus::CouldNotVerify | CheckStatus::Skipped))
    {
        Outcome::CouldNotVerify(c.clone())
    } else {
        Outcome::Valid
    };
    Verdict {
        outcome,
        reports,
        issuer,
        types,
        verified: None,
        proof_path: Some(crate::ProofPath::Fast),
        did_document: None,
    }
}
