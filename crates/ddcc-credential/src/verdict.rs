use serde_json::{Value, json};

/// One verification check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Check {
    /// The input is a JSON object shaped like a credential.
    Format,
    /// Every `@context` is one of the pinned contexts.
    Contexts,
    /// The Data Integrity proof verifies (signature, suite, purpose).
    Proof,
    /// The proof's verification method belongs to the issuer and is
    /// authorised for `assertionMethod`.
    Issuer,
    /// The issuer is accredited, by the verifier's trust list, for this
    /// credential type and jurisdiction at this time.
    Trust,
    /// The credential is not revoked or suspended, by a fresh status list
    /// signed by its issuer.
    Status,
    /// The credential is within `validFrom`/`validUntil` at the clock's time.
    Validity,
    /// The subject matches the credential's JSON Schema.
    Schema,
}

impl Check {
    /// Every check, in the order they run and are reported.
    pub const ALL: [Check; 8] = [
        Check::Format,
        Check::Contexts,
        Check::Proof,
        Check::Issuer,
        Check::Trust,
        Check::Status,
        Check::Validity,
        Check::Schema,
    ];

    /// The stable name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Check::Format => "format",
            Check::Contexts => "contexts",
            Check::Proof => "proof",
            Check::Issuer => "issuer",
            Check::Trust => "trust",
            Check::Status => "status",
            Check::Validity => "validity",
            Check::Schema => "schema",
        }
    }

    /// Parses a check name.
    pub fn from_name(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The result of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckStatus {
    /// The check ran and passed.
    Passed,
    /// The check ran and the credential failed it.
    Failed,
    /// The check could not be carried out.
    CouldNotVerify,
    /// The check does not apply to this credential.
    NotApplicable,
    /// The check was not requested.
    Skipped,
}

impl CheckStatus {
    /// The stable name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            CheckStatus::Passed => "passed",
            CheckStatus::Failed => "failed",
            CheckStatus::CouldNotVerify => "could_not_verify",
            CheckStatus::NotApplicable => "not_applicable",
            CheckStatus::Skipped => "skipped",
        }
    }
}

/// What one check found. `code` is stable; `message` is for people and
/// never contains personal data from the credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The check.
    pub check: Check,
    /// Its result.
    pub status: CheckStatus,
    /// A stable machine-readable reason (`ok`, `expired`, `signature_mismatch`…).
    pub code: &'static str,
    /// An explanation.
    pub message: String,
}

/// The overall verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Every requested check passed.
    Valid,
    /// At least one check failed; this is the first (in [`Check::ALL`] order).
    Invalid(CheckReport),
    /// The credential is genuine (signature and issuer binding hold) but
    /// its issuer is not accredited by the verifier's trust list for it.
    UnknownIssuer(CheckReport),
    /// The issuer revoked the credential.
    Revoked(CheckReport),
    /// The issuer suspended the credential (it may be reinstated).
    Suspended(CheckReport),
    /// No check failed but at least one could not be carried out.
    CouldNotVerify(CheckReport),
    /// Every requested check passed, but the verifier was given no trust
    /// policy, so nobody vouched for the issuer: the signature is genuine
    /// and says nothing about whether its issuer is an accredited
    /// authority. Never to be shown as valid. The report is the trust
    /// check's (`no_trust_list`).
    IssuerNotChecked(CheckReport),
}

impl Outcome {
    /// The stable name used in JSON (`valid`, `issuer_not_checked`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Valid => "valid",
            Outcome::Invalid(_) => "invalid",
            Outcome::UnknownIssuer(_) => "unknown_issuer",
            Outcome::Revoked(_) => "revoked",
            Outcome::Suspended(_) => "suspended",
            Outcome::CouldNotVerify(_) => "could_not_verify",
            Outcome::IssuerNotChecked(_) => "issuer_not_checked",
        }
    }
}

/// A credential that passed every requested check. Only the verifier builds it.
#[derive(Clone)]
pub struct VerifiedCredential {
    pub(crate) document: Value,
}

impl std::fmt::Debug for VerifiedCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The document carries personal health data.
        f.write_str("VerifiedCredential { <redacted> }")
    }
}

impl VerifiedCredential {
    /// The verified credential (it carries personal data: do not log it).
    pub fn document(&self) -> &Value {
        &self.document
    }
}

/// Which implementation checked the proof.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProofPath {
    /// The exact fast path (compiled contexts, `ddcc-ld`).
    Fast,
    /// The general JSON-LD processor (`ssi`), because the fast path refused
    /// the credential.
    Fallback {
        /// Stable reason code (`undefined_term`, `unpinned_context`, …).
        code: &'static str,
        /// The reason in words.
        reason: String,
    },
}

/// Counts of proofs checked on each path since a verifier was built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProofPathStats {
    /// Proofs checked on the fast path.
    pub fast: u64,
    /// Proofs that fell back to the general processor.
    pub fallback: u64,
    /// Fallbacks by reason code, most frequent first.
    pub fallback_reasons: Vec<(String, u64)>,
}

/// The result of verifying one credential.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub(crate) outcome: Outcome,
    pub(crate) reports: Vec<CheckReport>,
    pub(crate) issuer: Option<String>,
    pub(crate) types: Vec<String>,
    pub(crate) verified: Option<VerifiedCredential>,
    pub(crate) proof_path: Option<ProofPath>,
    pub(crate) did_document: Option<DocumentSource>,
}

/// Where the verifier got the issuer's DID document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSource {
    /// `local` (did:key, did:jwk), `network`, `cache` or `bundle`.
    pub source: &'static str,
    /// How long ago it was fetched, for cached and bundled documents.
    pub age_seconds: Option<u64>,
    /// Older than its cache's freshness limit (used because the verifier
    /// was offline or the network failed).
    pub stale: bool,
}

impl Verdict {
    /// The overall outcome.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// Whether every requested check passed, the trust check included
    /// when it was requested: a credential from an issuer nobody vouched
    /// for ([`Outcome::IssuerNotChecked`]) is not valid.
    pub fn is_valid(&self) -> bool {
        matches!(self.outcome, Outcome::Valid)
    }

    /// Whether every requested check passed except that no trust policy
    /// said who vouches for the issuer: valid, or
    /// [`Outcome::IssuerNotChecked`]. For tools that check signatures, not
    /// for a checkpoint's decision.
    pub fn is_authentic(&self) -> bool {
        matches!(self.outcome, Outcome::Valid | Outcome::IssuerNotChecked(_))
    }

    /// Every check's report, in [`Check::ALL`] order.
    pub fn reports(&self) -> &[CheckReport] {
        &self.reports
    }

    /// The report of one check.
    pub fn report(&self, check: Check) -> Option<&CheckReport> {
        self.reports.iter().find(|r| r.check == check)
    }

    /// The credential, if the verdict is valid.
    pub fn verified(&self) -> Option<&VerifiedCredential> {
        self.verified.as_ref()
    }

    /// Where the issuer's DID document came from, when it was resolved.
    pub fn did_document(&self) -> Option<&DocumentSource> {
        self.did_document.as_ref()
    }

    /// Which implementation checked the proof (`None` if no proof was checked).
    pub fn proof_path(&self) -> Option<&ProofPath> {
        self.proof_path.as_ref()
    }

    /// The process exit code: 0 valid (or issuer not checked), 1 invalid,
    /// 2 could not verify.
    pub fn exit_code(&self) -> u8 {
        match self.outcome {
            Outcome::Valid | Outcome::IssuerNotChecked(_) => 0,
            Outcome::Invalid(_)
            | Outcome::UnknownIssuer(_)
            | Outcome::Revoked(_)
            | Outcome::Suspended(_) => 1,
            Outcome::CouldNotVerify(_) => 2,
        }
    }

    /// The stable JSON form:
    /// `{"verdict", "check", "code", "message", "issuer", "type", "checks": [...]}`.
    pub fn to_json(&self) -> Value {
        let verdict = self.outcome.name();
        let reason = match &self.outcome {
            Outcome::Valid => None,
            Outcome::Invalid(r)
            | Outcome::UnknownIssuer(r)
            | Outcome::Revoked(r)
            | Outcome::Suspended(r)
            | Outcome::CouldNotVerify(r)
            | Outcome::IssuerNotChecked(r) => Some(r),
        };
        let checks: Vec<Value> = self
            .reports
            .iter()
            .map(|r| {
                json!({"check": r.check.name(), "status": r.status.name(), "code": r.code, "message": r.message})
            })
            .collect();
        let (path, fallback_reason) = match &self.proof_path {
            None => (None, None),
            Some(ProofPath::Fast) => (Some("fast"), None),
            Some(ProofPath::Fallback { code, reason }) => (
                Some("fallback"),
                Some(json!({"code": code, "reason": reason})),
            ),
        };
        json!({
            "verdict": verdict,
            "check": reason.map(|r| r.check.name()),
            "code": reason.map(|r| r.code),
            "message": reason.map(|r| r.message.clone()),
            "issuer": self.issuer,
            "type": self.types,
            "checks": checks,
            "proof_path": path,
            "fallback_reason": fallback_reason,
            "did_document": self.did_document.as_ref().map(|d| json!({
                "source": d.source, "age_seconds": d.age_seconds, "stale": d.stale
            })),
        })
    }

    /// A human-readable summary, one line per check.
    pub fn to_text(&self) -> String {
        // Every value that came from the credential (in the issuer, and
        // quoted in messages) is escaped and clipped: a credential cannot
        // write a line of its own, or erase one, on the verifier's terminal.
        use ddcc_core::printable::{MAX_PRINTED, printable};
        let msg = |r: &CheckReport| printable(&r.message, MAX_PRINTED * 3).into_owned();
        let mut out = match &self.outcome {
            Outcome::Valid => "VALID\n".to_owned(),
            Outcome::IssuerNotChecked(r) => {
                format!("SIGNATURE VALID, ISSUER NOT CHECKED: {}\n", msg(r))
            }
            Outcome::UnknownIssuer(r) => format!("UNKNOWN ISSUER: {}\n", msg(r)),
            Outcome::Revoked(r) => format!("REVOKED: {}\n", msg(r)),
            Outcome::Suspended(r) => format!("SUSPENDED: {}\n", msg(r)),
            Outcome::Invalid(r) => {
                format!("INVALID: {} check failed: {}\n", r.check.name(), msg(r))
            }
            Outcome::CouldNotVerify(r) => {
                format!("COULD NOT VERIFY: {} check: {}\n", r.check.name(), msg(r))
            }
        };
        if let Some(issuer) = &self.issuer {
            out.push_str(&format!("  issuer: {}\n", printable(issuer, MAX_PRINTED)));
        }
        for r in &self.reports {
            let mark = match r.status {
                CheckStatus::Passed => "ok  ",
                CheckStatus::Failed => "FAIL",
                CheckStatus::CouldNotVerify => "??  ",
                CheckStatus::NotApplicable => "n/a ",
                CheckStatus::Skipped => "skip",
            };
            out.push_str(&format!("  [{mark}] {:<9} {}\n", r.check.name(), msg(r)));
        }
        out
    }
}
