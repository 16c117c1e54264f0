use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use ssi::claims::data_integrity::{AnySuite, DataIntegrity, DataIntegrityDocument};
use ssi::claims::{ValidateProof, VerificationParameters};

use ddcc_assets::ContextRegistry;
use ddcc_core::{Did, DidUrl, vocab};
use ddcc_did::{DidResolver, LocalResolver, Resolution, ResolveError, VerificationRelationship};

use crate::fast::{FastSuite, FastVerification, PathCounters};
use crate::verdict::{
    Check, CheckReport, CheckStatus, DocumentSource, Outcome, ProofPath, ProofPathStats, Verdict,
    VerifiedCredential,
};
use crate::{
    CRYPTOSUITE, Clock, ECDSA_CRYPTOSUITE, MAX_CREDENTIAL_BYTES, ProofError, SystemClock, ld,
};

/// The set of checks to run. [`Check::Format`] always runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checks(u8);

impl Checks {
    /// Every check.
    pub fn all() -> Self {
        Self(0xff)
    }

    /// Only the given checks (plus [`Check::Format`]).
    pub fn only(checks: &[Check]) -> Self {
        let mut bits = 1u8 << (Check::Format as u8);
        for c in checks {
            bits |= 1 << (*c as u8);
        }
        Self(bits)
    }

    /// Parses a comma-separated list of check names (`proof,issuer`).
    ///
    /// # Errors
    /// The first unknown name.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut checks = Vec::new();
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if name == "all" {
                return Ok(Self::all());
            }
            checks.push(Check::from_name(name).ok_or_else(|| name.to_owned())?);
        }
        Ok(Self::only(&checks))
    }

    /// Whether `check` is in the set.
    pub fn contains(self, check: Check) -> bool {
        check == Check::Format || self.0 & (1 << (check as u8)) != 0
    }

    /// Takes `check` out of the set.
    pub fn remove(&mut self, check: Check) {
        self.0 &= !(1 << (check as u8));
    }
}

/// Verifies credentials offline against pinned contexts and an injected clock.
pub struct Verifier {
    pub(crate) registry: ContextRegistry,
    loader: ssi::json_ld::ContextLoader,
    clock: Arc<dyn Clock>,
    skew: Duration,
    pub(crate) fast: FastSuite,
    fast_enabled: bool,
    /// Refuse inline `@context` objects (a deployment's stricter policy).
    pub(crate) refuse_inline_contexts: bool,
    counters: PathCounters,
    pub(crate) resolver: Arc<dyn DidResolver>,
    trust: Option<crate::trust::TrustHandle>,
    status_lists: Option<Arc<dyn ddcc_status::StatusLists>>,
    status_max_age: Duration,
    status_memo: std::sync::RwLock<std::collections::HashMap<String, VerifiedList>>,
    /// The bbs-2023 suite, built on first use.
    bbs: std::sync::OnceLock<crate::bbs::Bbs2023>,
}

/// A status list that passed verification, remembered for the fetch it
/// came from.
#[derive(Clone)]
struct VerifiedList {
    fetched_at: i64,
    /// The list credential's proof: a list signed again (its bits
    /// changed) within the same second is a different list.
    proof: String,
    valid_until: Option<DateTime<Utc>>,
    list: Arc<ddcc_status::StatusList>,
}

/// The proof of a list credential, as text (what tells two signings of
/// a list apart).
fn proof_of(credential: &Value) -> String {
    credential
        .get("proof")
        .map(Value::to_string)
        .unwrap_or_default()
}

/// Most verified status lists a verifier remembers.
const STATUS_MEMO_LIMIT: usize = 256;
/// The most proofs in a proof set this verifier checks.
const MAX_PROOFS: usize = 16;

/// What resolving the proof's DID gave, kept for the issuer check.
type Resolved = Result<Resolution, ResolveError>;

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("skew", &self.skew)
            .finish_non_exhaustive()
    }
}

/// Default tolerance between the verifier's clock and the issuer's (5 minutes).
const DEFAULT_SKEW_SECONDS: i64 = 300;

impl Verifier {
    /// A verifier using `registry` for contexts and `clock` for time.
    ///
    /// # Errors
    /// If a context in the registry is not valid JSON-LD.
    pub fn new(registry: ContextRegistry, clock: impl Clock + 'static) -> Result<Self, ProofError> {
        let loader = ld::loader(&registry)?;
        let fast = FastSuite::new(&registry)?;
        Ok(Self {
            registry,
            loader,
            clock: Arc::new(clock),
            skew: Duration::seconds(DEFAULT_SKEW_SECONDS),
            refuse_inline_contexts: false,
            fast,
            fast_enabled: true,
            counters: PathCounters::default(),
            resolver: Arc::new(LocalResolver::default()),
            trust: None,
            status_lists: None,
            status_max_age: Duration::hours(24),
            status_memo: std::sync::RwLock::new(std::collections::HashMap::new()),
            bbs: std::sync::OnceLock::new(),
        })
    }

    /// A verifier with the embedded contexts and the system clock.
    ///
    /// # Errors
    /// Only if the embedded contexts are broken.
    pub fn builtin() -> Result<Self, ProofError> {
        let registry = ContextRegistry::builtin().map_err(|e| ProofError::new(e.to_string()))?;
        Self::new(registry, SystemClock)
    }

    /// Refuses credentials and presentations whose `@context` holds inline
    /// context objects (*could not verify*, `inline_context`). VC 2.0
    /// allows them after the base context, and by default they are
    /// processed like pinned ones (protected terms stay protected, nothing
    /// is fetched); a deployment that wants every term from a pinned
    /// context turns this on.
    pub fn refuse_inline_contexts(mut self, refuse: bool) -> Self {
        self.refuse_inline_contexts = refuse;
        self
    }

    /// Sets the tolerated clock skew for the validity window.
    pub fn with_skew(mut self, skew: Duration) -> Self {
        self.skew = skew;
        self
    }

    /// Resolves DIDs with `resolver` instead of the default
    /// [`LocalResolver`] (`did:key` and `did:jwk`, offline).
    pub fn with_resolver(mut self, resolver: Arc<dyn DidResolver>) -> Self {
        self.resolver = resolver;
        self
    }

    /// Checks every credential's issuer against `policy` (the `trust`
    /// check): an issuer it does not accredit makes the verdict
    /// [`Outcome::UnknownIssuer`]; an unusable policy makes it *could not
    /// verify*.
    pub fn with_trust(self, policy: crate::trust::TrustPolicy) -> Self {
        self.with_trust_handle(crate::trust::TrustHandle::new(policy))
    }

    /// As [`Verifier::with_trust`], with a policy the holder of `handle`
    /// may replace while the verifier runs (a service refreshing its trust
    /// lists): each verification uses the policy current when its trust
    /// check starts.
    pub fn with_trust_handle(mut self, handle: crate::trust::TrustHandle) -> Self {
        self.trust = Some(handle);
        self
    }

    /// Checks credentials' status entries against lists from `lists`
    /// (the `status` check). A list older than `max_age` (or than its own
    /// `ttl`), unreachable, invalid or signed by another issuer than the
    /// credential's makes the status unknown: *could not verify*, never
    /// valid.
    pub fn with_status_lists(
        mut self,
        lists: Arc<dyn ddcc_status::StatusLists>,
        max_age: Duration,
    ) -> Self {
        self.status_lists = Some(lists);
        self.status_max_age = max_age;
        self.status_memo = std::sync::RwLock::new(std::collections::HashMap::new());
        self
    }

    /// Turns the fast path off (every proof then goes through the general
    /// JSON-LD processor): for comparisons, and as an operational switch.
    pub fn with_fast_path(mut self, enabled: bool) -> Self {
        self.fast_enabled = enabled;
        self
    }

    /// How many proofs this verifier checked on the fast path, how many
    /// fell back to the general JSON-LD processor, and why.
    pub fn proof_path_stats(&self) -> ProofPathStats {
        self.counters.snapshot()
    }

    /// Verifies credential text (JSON).
    pub async fn verify_str(&self, text: &str, checks: Checks) -> Verdict {
        let mut r = Reports::new(checks);
        if text.len() > MAX_CREDENTIAL_BYTES {
            r.set(
                Check::Format,
                CheckStatus::CouldNotVerify,
                "too_large",
                format!("input is larger than {MAX_CREDENTIAL_BYTES} bytes"),
            );
            return r.finish(None, Vec::new(), None);
        }
        match serde_json::from_str::<Value>(text) {
            Ok(doc) => {
                let duplicates = ddcc_ld::duplicate_keys(text, &doc);
                self.verify_value(std::borrow::Cow::Owned(doc), checks, duplicates)
                    .await
            }
            Err(e) => {
                r.set(
                    Check::Format,
                    CheckStatus::CouldNotVerify,
                    "not_json",
                    format!(
                        "input is not JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                );
                r.finish(None, Vec::new(), None)
            }
        }
    }

    /// Verifies a credential.
    pub async fn verify(&self, doc: &Value, checks: Checks) -> Verdict {
        self.verify_value(std::borrow::Cow::Borrowed(doc), checks, false)
            .await
    }

    /// Verifies a credential without the trust check (for the trust list
    /// itself, which is anchored by its signer instead).
    pub(crate) async fn verify_without_trust(&self, doc: &Value, checks: Checks) -> Verdict {
        let mut checks = checks;
        checks.remove(Check::Trust);
        self.verify_value(std::borrow::Cow::Borrowed(doc), checks, false)
            .await
    }

    async fn verify_value(
        &self,
        owned: std::borrow::Cow<'_, Value>,
        checks: Checks,
        duplicate_keys: bool,
    ) -> Verdict {
        let doc: &Value = &owned;
        let mut r = Reports::new(checks);
        let Some(obj) = doc.as_object() else {
            r.set(
                Check::Format,
                CheckStatus::CouldNotVerify,
                "not_an_object",
                format!(
                    "input is a JSON {}, not a credential object",
                    json_kind(doc)
                ),
            );
            return r.finish(None, Vec::new(), None);
        };
        let types = string_list(obj.get("type"));
        let issuer = issuer_id(obj.get("issuer"));
        if !types.iter().any(|t| t == "VerifiableCredential") {
            r.set(
                Check::Format,
                CheckStatus::Failed,
                "not_a_credential",
                "\"type\" does not include VerifiableCredential".into(),
            );
            return r.finish(issuer, types, None);
        }
        if let Err(e) = crate::model::check_received_credential(obj) {
            r.set(Check::Format, CheckStatus::Failed, e.code, e.message);
            return r.finish(issuer, types, None);
        }
        r.set(
            Check::Format,
            CheckStatus::Passed,
            "ok",
            "a verifiable credential".into(),
        );

        let context_problem = self.check_contexts(Some(obj), obj.get("@context"), &mut r);
        let mut resolved = None;
        let method = self
            .check_proof(doc, context_problem, duplicate_keys, &mut resolved, &mut r)
            .await;
        self.check_issuer(issuer.as_deref(), method.as_ref(), resolved, &mut r)
            .await;
        self.check_trust(obj, issuer.as_deref(), &types, method.as_ref(), &mut r);
        self.check_status(doc, issuer.as_deref(), &mut r).await;
        self.check_validity(obj, &mut r);
        let selectively_disclosed = obj
            .get("proof")
            .and_then(|p| p.get("cryptosuite"))
            .and_then(Value::as_str)
            == Some(crate::bbs::CRYPTOSUITE);
        if selectively_disclosed && r.wanted(Check::Schema) {
            r.set(
                Check::Schema,
                CheckStatus::NotApplicable,
                "selectively_disclosed",
                "a bbs-2023 derived credential carries only what the holder revealed; the issuer checked the whole record against the schema before signing".into(),
            );
        } else {
            check_schema(obj, &types, &mut r);
        }

        let mut verdict = r.finish(issuer, types, None);
        if verdict.is_valid() {
            verdict.verified = Some(VerifiedCredential {
                document: owned.into_owned(),
            });
        }
        verdict
    }

    /// Returns why the contexts are unusable, if they are.
    fn check_contexts(
        &self,
        root: Option<&serde_json::Map<String, Value>>,
        ctx: Option<&Value>,
        r: &mut Reports,
    ) -> Option<String> {
        match self.context_problem(root, ctx) {
            Ok(count) => {
                r.set(
                    Check::Contexts,
                    CheckStatus::Passed,
                    "ok",
                    format!("{count} pinned context(s)"),
                );
                None
            }
            Err((status, code, message)) => {
                r.set(Check::Contexts, status, code, message.clone());
                Some(message)
            }
        }
    }

    /// The number of pinned contexts, or what is wrong with them.
    fn context_problem(
        &self,
        root: Option<&serde_json::Map<String, Value>>,
        ctx: Option<&Value>,
    ) -> Result<usize, (CheckStatus, &'static str, String)> {
        let inline = || {
            (
                CheckStatus::CouldNotVerify,
                "inline_context",
                if self.refuse_inline_contexts {
                    "inline (embedded) contexts are refused by this verifier; only pinned context URLs"
                } else {
                    "the @context must be context URLs and, after the first, inline context objects; below the root only in a proof"
                }
                .to_owned(),
            )
        };
        let list: Vec<&Value> = match ctx {
            None => {
                return Err((
                    CheckStatus::Failed,
                    "missing_context",
                    "the credential has no @context".to_owned(),
                ));
            }
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v) => vec![v],
        };
        // Inline context objects (VC 2.0 allows them after the base
        // context) are processed as the document's own unless refused.
        let mut urls: Vec<&str> = Vec::with_capacity(list.len());
        for (i, v) in list.iter().enumerate() {
            match v {
                Value::String(u) => urls.push(u),
                Value::Object(_) if i > 0 && !self.refuse_inline_contexts => {}
                _ => return Err(inline()),
            }
        }
        if let Some(unknown) = urls.iter().find(|u| !self.registry.contains(u)) {
            return Err((
                CheckStatus::CouldNotVerify,
                "unknown_context",
                format!(
                    "unknown context {} (not pinned; pin it with --context URL=FILE)",
                    clip(unknown)
                ),
            ));
        }
        let base = list.first().and_then(|v| v.as_str());
        if base != Some(vocab::CREDENTIALS_V2_CONTEXT)
            && base != Some("https://www.w3.org/2018/credentials/v1")
        {
            return Err((
                CheckStatus::Failed,
                "missing_base_context",
                "the first context must be the W3C credentials context".to_owned(),
            ));
        }
        // The proof's own @context (allowed by Data Integrity) is the proof
        // check's business; anywhere else an embedded context is refused.
        if root.is_some_and(|o| {
            o.iter()
                .any(|(k, v)| k != "@context" && k != "proof" && has_embedded_context(v, 0))
        }) {
            return Err(inline());
        }
        Ok(urls.len())
    }

    /// Returns the proof's verification method when the proof is
    /// well-formed enough to name one (for a proof set, the issuer's).
    async fn check_proof(
        &self,
        doc: &Value,
        context_problem: Option<String>,
        duplicate_keys: bool,
        resolved: &mut Option<Resolved>,
        r: &mut Reports,
    ) -> Option<DidUrl> {
        if let Some(Value::Array(set)) = doc.get("proof")
            && set.len() > 1
        {
            // Boxed: the set's future nests the single proof's, and would
            // otherwise deepen every caller's future type.
            return Box::pin(self.check_proof_set(
                doc,
                set,
                context_problem,
                duplicate_keys,
                resolved,
                r,
            ))
            .await;
        }
        self.check_one_proof(doc, None, context_problem, duplicate_keys, resolved, r)
            .await
    }

    /// A proof set, and chains in it (Data Integrity §4.5 "Verify Proof
    /// Sets and Chains"): every proof must verify. A proof naming
    /// `previousProof` signs the credential with `proof` set to exactly
    /// the proofs it names, which must be in the set. Each proof's key must
    /// be an `assertionMethod` of its DID; the issuer is bound through the
    /// first proof made with a key of the issuer.
    async fn check_proof_set(
        &self,
        doc: &Value,
        set: &[Value],
        context_problem: Option<String>,
        duplicate_keys: bool,
        resolved: &mut Option<Resolved>,
        r: &mut Reports,
    ) -> Option<DidUrl> {
        let fail = |r: &mut Reports, status, code, message: String| {
            r.set(Check::Proof, status, code, message);
            None
        };
        let obj = doc.as_object()?;
        // Each proof costs a verification and a copy of the credential: a
        // set is bounded so that one request cannot ask for thousands.
        if set.len() > MAX_PROOFS {
            return fail(
                r,
                CheckStatus::CouldNotVerify,
                "proof_set",
                format!(
                    "{} proofs: this verifier checks sets of at most {MAX_PROOFS}",
                    set.len()
                ),
            );
        }
        // The credential without its proofs, copied for each proof.
        let mut base = obj.clone();
        base.remove("proof");
        let mut ids = std::collections::HashMap::new();
        for (i, p) in set.iter().enumerate() {
            let Some(p) = p.as_object() else {
                return fail(
                    r,
                    CheckStatus::Failed,
                    "malformed_proof",
                    format!("proof {} of {} is not an object", i + 1, set.len()),
                );
            };
            if p.get("cryptosuite").and_then(Value::as_str) == Some(crate::bbs::CRYPTOSUITE) {
                return fail(
                    r,
                    CheckStatus::CouldNotVerify,
                    "proof_set",
                    format!(
                        "a {} proof is verified alone, not in a proof set",
                        crate::bbs::CRYPTOSUITE
                    ),
                );
            }
            match p.get("id") {
                None => {}
                Some(Value::String(id)) => {
                    let repeated = ids.insert(id.as_str(), i).is_some();
                    if repeated {
                        return fail(
                            r,
                            CheckStatus::Failed,
                            "malformed_proof",
                            format!("two proofs have the id {}", clip(id)),
                        );
                    }
                }
                Some(_) => {
                    return fail(
                        r,
                        CheckStatus::Failed,
                        "malformed_proof",
                        format!("the id of proof {} of {} is not a string", i + 1, set.len()),
                    );
                }
            }
        }
        let issuer = issuer_id(obj.get("issuer")).and_then(|i| Did::parse(&i).ok());
        let wanted = r.wanted(Check::Proof);
        let mut bound: Option<(DidUrl, Option<Resolved>)> = None;
        let mut first: Option<(DidUrl, Option<Resolved>)> = None;
        let mut could_not: Option<(String, &'static str)> = None;
        // The chain's shape first: what each proof names must be in the set.
        let mut chains: Vec<Vec<usize>> = Vec::with_capacity(set.len());
        for (i, p) in set.iter().enumerate() {
            let which = format!("proof {} of {}", i + 1, set.len());
            // The proofs this one names, in the set's order.
            let named: Vec<&str> = match p.get("previousProof") {
                None => Vec::new(),
                Some(Value::String(id)) => vec![id.as_str()],
                Some(Value::Array(a)) if !a.is_empty() && a.iter().all(Value::is_string) => {
                    a.iter().filter_map(Value::as_str).collect()
                }
                Some(_) => {
                    return fail(
                        r,
                        CheckStatus::Failed,
                        "malformed_proof",
                        format!("{which}: previousProof must be a proof id or a list of them"),
                    );
                }
            };
            let mut previous = Vec::new();
            for id in &named {
                match ids.get(id) {
                    Some(&j) if j != i => previous.push(j),
                    _ => {
                        return fail(
                            r,
                            CheckStatus::Failed,
                            "missing_previous_proof",
                            format!(
                                "{which}: its previous proof {} is not in the proof set",
                                clip(id)
                            ),
                        );
                    }
                }
            }
            previous.sort_unstable();
            previous.dedup();
            chains.push(previous);
        }
        for (i, (p, previous)) in set.iter().zip(&chains).enumerate() {
            let which = format!("proof {} of {}", i + 1, set.len());
            let mut single = base.clone();
            single.insert("proof".into(), p.clone());
            let chained = (!previous.is_empty()).then(|| {
                let mut c = base.clone();
                c.insert(
                    "proof".into(),
                    Value::Array(previous.iter().map(|&j| set[j].clone()).collect()),
                );
                c
            });
            let mut one = Reports::new(if wanted {
                Checks::only(&[Check::Proof])
            } else {
                Checks::only(&[])
            });
            let mut one_resolved = None;
            let method = self
                .check_one_proof(
                    &Value::Object(single),
                    chained.as_ref(),
                    context_problem.clone(),
                    duplicate_keys,
                    &mut one_resolved,
                    &mut one,
                )
                .await;
            if r.path.is_none() {
                r.path = one.path.take();
            }
            let report = one.reports.into_iter().find(|x| x.check == Check::Proof);
            let passed = match report {
                Some(x) if x.status == CheckStatus::Passed => true,
                Some(x) if x.status == CheckStatus::CouldNotVerify => {
                    could_not.get_or_insert((format!("{which}: {}", x.message), x.code));
                    false
                }
                Some(x) => return fail(r, x.status, x.code, format!("{which}: {}", x.message)),
                // Not asked for: the set is read for the issuer's key only.
                None if !wanted => false,
                None => {
                    return fail(
                        r,
                        CheckStatus::CouldNotVerify,
                        "proof_set",
                        format!("{which} was not checked"),
                    );
                }
            };
            let Some(method) = method else {
                continue;
            };
            if passed
                && let Some(Ok(res)) = &one_resolved
                && !res
                    .document
                    .has_relationship(method.as_str(), VerificationRelationship::AssertionMethod)
            {
                return fail(
                    r,
                    CheckStatus::Failed,
                    "method_not_for_assertion",
                    format!(
                        "{which}: {} is not an assertionMethod of its DID",
                        clip(method.as_str())
                    ),
                );
            }
            if bound.is_none() && issuer.as_ref() == Some(&method.did()) {
                bound = Some((method, one_resolved));
            } else if first.is_none() {
                first = Some((method, one_resolved));
            }
        }
        if let Some((message, code)) = could_not {
            r.set(Check::Proof, CheckStatus::CouldNotVerify, code, message);
        } else {
            let chained = set
                .iter()
                .filter(|p| p.get("previousProof").is_some())
                .count();
            r.set(
                Check::Proof,
                CheckStatus::Passed,
                "ok",
                format!(
                    "all {} proofs verify ({chained} chained to proofs they name)",
                    set.len()
                ),
            );
        }
        let (method, res) = bound.or(first)?;
        *resolved = res;
        Some(method)
    }

    /// One proof: `doc`'s only one. `chained` is the credential with
    /// `proof` set to the proofs it names as previous, which is what it
    /// signs.
    async fn check_one_proof(
        &self,
        doc: &Value,
        chained: Option<&serde_json::Map<String, Value>>,
        context_problem: Option<String>,
        duplicate_keys: bool,
        resolved: &mut Option<Resolved>,
        r: &mut Reports,
    ) -> Option<DidUrl> {
        let proof = match doc.get("proof") {
            None | Some(Value::Null) => {
                r.set(
                    Check::Proof,
                    CheckStatus::Failed,
                    "missing_proof",
                    "the credential has no proof".into(),
                );
                return None;
            }
            Some(Value::Array(a)) if a.is_empty() => {
                r.set(
                    Check::Proof,
                    CheckStatus::Failed,
                    "missing_proof",
                    "the credential's proof list is empty".into(),
                );
                return None;
            }
            Some(Value::Array(a)) => &a[0],
            Some(p) => p,
        };
        let Some(p) = proof.as_object() else {
            r.set(
                Check::Proof,
                CheckStatus::Failed,
                "malformed_proof",
                "the proof is not an object".into(),
            );
            return None;
        };
        let field = |k: &str| p.get(k).and_then(Value::as_str);
        if field("type") != Some("DataIntegrityProof") {
            r.set(
                Check::Proof,
                CheckStatus::CouldNotVerify,
                "unsupported_proof_type",
                "only DataIntegrityProof is supported".into(),
            );
            return None;
        }
        // Data Integrity §2.1: `created` and `expires`, when present, are
        // dateTimeStamps; a proof past its `expires` is no longer valid.
        if let Some(problem) = crate::model::proof_dates_problem(p) {
            r.set(
                Check::Proof,
                CheckStatus::Failed,
                "malformed_proof",
                problem,
            );
            return None;
        }
        if let Some(expires) =
            field("expires").and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            && expires.with_timezone(&chrono::Utc) < self.clock.now()
        {
            r.set(
                Check::Proof,
                CheckStatus::Failed,
                "proof_expired",
                "the proof has expired (its expires is in the past)".into(),
            );
            return None;
        }
        // eddsa-rdfc-2022 (fast path, then ssi); ecdsa-rdfc-2019 (ssi).
        let suite = match field("cryptosuite") {
            Some(
                s @ (CRYPTOSUITE
                | ECDSA_CRYPTOSUITE
                | crate::bbs::CRYPTOSUITE
                | crate::jcs::CRYPTOSUITE),
            ) => s,
            _ => {
                r.set(
                    Check::Proof,
                    CheckStatus::CouldNotVerify,
                    "unsupported_cryptosuite",
                    format!(
                        "only the {CRYPTOSUITE}, {}, {ECDSA_CRYPTOSUITE} and {} cryptosuites are supported",
                        crate::jcs::CRYPTOSUITE,
                        crate::bbs::CRYPTOSUITE
                    ),
                );
                return None;
            }
        };
        let method = match field("verificationMethod").map(DidUrl::parse) {
            // A bare did:key names its one key (as in the Bitstring Status
            // List Recommendation's examples).
            Some(Ok(m))
                if m.fragment().is_none()
                    && m.did().method() == "key"
                    && m.as_str() == m.did().as_str() =>
            {
                let did = m.did();
                match DidUrl::parse(&format!("{did}#{}", did.method_specific_id())) {
                    Ok(full) => full,
                    Err(_) => m,
                }
            }
            Some(Ok(m)) => m,
            _ => {
                r.set(
                    Check::Proof,
                    CheckStatus::Failed,
                    "malformed_proof",
                    "verificationMethod is missing or not a DID URL".into(),
                );
                return None;
            }
        };
        if field("proofPurpose") != Some("assertionMethod") {
            r.set(
                Check::Proof,
                CheckStatus::Failed,
                "wrong_proof_purpose",
                "proofPurpose must be assertionMethod".into(),
            );
            return Some(method);
        }
        let bbs = suite == crate::bbs::CRYPTOSUITE;
        if bbs && field("proofValue").is_none_or(|v| !v.starts_with('u')) {
            r.set(
                Check::Proof,
                CheckStatus::Failed,
                "malformed_proof",
                "proofValue is missing or not base64url (multibase 'u')".into(),
            );
            return Some(method);
        }
        if !bbs && field("proofValue").is_none_or(|v| !v.starts_with('z')) {
            r.set(
                Check::Proof,
                CheckStatus::Failed,
                "malformed_proof",
                "proofValue is missing or not base58btc".into(),
            );
            return Some(method);
        }
        if !r.wanted(Check::Proof) {
            return Some(method);
        }
        if let Some(problem) = context_problem {
            r.set(
                Check::Proof,
                CheckStatus::CouldNotVerify,
                "contexts_unusable",
                format!("the proof cannot be checked: {problem}"),
            );
            return Some(method);
        }
        let method_did = method.did();
        let outcome = self.resolver.resolve(&method_did).await;
        let document = match &outcome {
            Ok(d) => d.document.clone(),
            Err(e) => {
                let (status, code) = if e.is_invalid() {
                    (CheckStatus::Failed, "method_invalid_did")
                } else {
                    (CheckStatus::CouldNotVerify, "method_not_resolvable")
                };
                r.set(
                    Check::Proof,
                    status,
                    code,
                    format!("{} cannot be resolved: {e}", clip(method_did.as_str())),
                );
                *resolved = Some(outcome);
                return Some(method);
            }
        };
        *resolved = Some(outcome);
        let Some(vm) = document.method(method.as_str()) else {
            r.set(
                Check::Proof,
                CheckStatus::Failed,
                "unknown_verification_method",
                format!(
                    "{} is not a verification method in the DID document of {}",
                    clip(method.as_str()),
                    clip(method_did.as_str())
                ),
            );
            return Some(method);
        };
        if bbs {
            self.check_bbs_proof(doc, vm, &method, r).await;
            return Some(method);
        }
        let key = vm.ed25519;
        if suite == crate::jcs::CRYPTOSUITE {
            let outcome = match (doc.as_object(), key, chained) {
                (_, _, Some(_)) => Err((
                    CheckStatus::CouldNotVerify,
                    "unsupported_proof_chain",
                    "an eddsa-jcs-2022 proof in a proof chain is not supported",
                )),
                (_, None, _) => Err((
                    CheckStatus::Failed,
                    "unknown_verification_method",
                    "the verification method is not an Ed25519 key, as eddsa-jcs-2022 needs",
                )),
                (None, _, _) => Err((
                    CheckStatus::Failed,
                    "malformed_proof",
                    "the credential is not a JSON object",
                )),
                (Some(obj), Some(key), None) => crate::jcs::verify(obj, p, &key)
                    .map_err(|why| (CheckStatus::Failed, "signature_mismatch", why)),
            };
            match outcome {
                Ok(()) => r.set(
                    Check::Proof,
                    CheckStatus::Passed,
                    "ok",
                    format!("{suite} signature by {}", clip(method.as_str())),
                ),
                Err((status, code, why)) => r.set(Check::Proof, status, code, why.to_owned()),
            }
            return Some(method);
        }
        if suite == CRYPTOSUITE && key.is_none() {
            r.set(
                Check::Proof,
                CheckStatus::Failed,
                "unknown_verification_method",
                format!(
                    "{} is not an Ed25519 key, as {CRYPTOSUITE} needs",
                    clip(method.as_str())
                ),
            );
            return Some(method);
        }
        // ecdsa-rdfc-2019 with a Multikey takes the exact path too.
        let ecdsa_key = (suite == ECDSA_CRYPTOSUITE)
            .then(|| vm.properties.get("publicKeyMultibase"))
            .flatten()
            .and_then(Value::as_str)
            .and_then(crate::fast::EcdsaKey::from_multikey);
        let fast = match (doc.as_object(), key, &ecdsa_key) {
            _ if !self.fast_enabled => Err(ddcc_ld::Unsupported::Disabled),
            _ if duplicate_keys => Err(ddcc_ld::Unsupported::DuplicateKey),
            (Some(obj), _, Some(ec)) => {
                self.fast
                    .verify_ecdsa(chained.unwrap_or(obj), p, ec, chained.is_some())
            }
            _ if suite != CRYPTOSUITE => Err(ddcc_ld::Unsupported::Cryptosuite(suite.to_owned())),
            (Some(obj), Some(key), _) => match chained {
                Some(c) => self.fast.verify_chained(c, p, &key),
                None => self.fast.verify(obj, p, &key),
            },
            _ => Err(ddcc_ld::Unsupported::NotAnObject),
        };
        match fast {
            Ok(FastVerification::Valid) => {
                self.counters.fast();
                r.path = Some(ProofPath::Fast);
                r.set(
                    Check::Proof,
                    CheckStatus::Passed,
                    "ok",
                    format!("{suite} signature by {}", clip(method.as_str())),
                );
                return Some(method);
            }
            Ok(FastVerification::Invalid(why)) => {
                self.counters.fast();
                r.path = Some(ProofPath::Fast);
                let message = match why {
                    Some(why) => why.to_owned(),
                    None => "the signature does not match the credential (it was altered or signed by another key)".into(),
                };
                r.set(
                    Check::Proof,
                    CheckStatus::Failed,
                    "signature_mismatch",
                    message,
                );
                return Some(method);
            }
            Err(reason) if chained.is_some() => {
                r.set(
                    Check::Proof,
                    CheckStatus::CouldNotVerify,
                    "unsupported_proof_chain",
                    format!(
                        "a proof with previousProof is checked on the exact path only, which cannot take this credential: {}",
                        clip(&reason.to_string())
                    ),
                );
                return Some(method);
            }
            // ssi 0.16 canonicalizes with SHA-256 only: its verdict on a
            // P-384 proof could be a wrong "invalid".
            Err(reason) if suite == ECDSA_CRYPTOSUITE && is_p384(vm) => {
                r.set(
                    Check::Proof,
                    CheckStatus::CouldNotVerify,
                    "unsupported_key_type",
                    format!(
                        "{ECDSA_CRYPTOSUITE} with a P-384 key is checked on the exact path only (it needs RDFC-1.0 with SHA-384), which cannot take this credential: {}",
                        clip(&reason.to_string())
                    ),
                );
                return Some(method);
            }
            // A graph the exact path gave up on for its work: the general
            // processor would canonicalize it without any bound (minutes for
            // a few dozen blank nodes), so it is could not verify, by name.
            Err(reason) if reason.code() == "work_budget_exceeded" => {
                too_costly(r, &reason.to_string());
                return Some(method);
            }
            // A document's own contexts are processed on the exact path,
            // under its work budget, or not at all: the general processor
            // would expand them with no bound (a stranger's type-scoped
            // contexts on thousands of nodes take it seconds). A verifier
            // that turned the exact path off chose the general processor.
            Err(reason) if reason.code() != "disabled" && has_inline_root_context(doc) => {
                r.set(
                    Check::Proof,
                    CheckStatus::CouldNotVerify,
                    "inline_context_unsupported",
                    format!(
                        "the credential's inline context uses what the exact path does not implement, and inline contexts are processed on the exact path only: {}",
                        clip(&reason.to_string())
                    ),
                );
                return Some(method);
            }
            Err(reason) => {
                // The fallback canonicalizes with no bound of its own: the
                // graph is first canonicalized under the budget (ssi's RDF,
                // ddcc-ld's RDFC-1.0), and refused by name when too costly.
                if let Err(e) = crate::canon::canonical_document(doc, &self.registry).await
                    && e.to_string().contains("work_budget_exceeded")
                {
                    too_costly(r, &e.to_string());
                    return Some(method);
                }
                self.counters.fallback(&reason);
                r.path = Some(ProofPath::Fallback {
                    code: reason.code(),
                    reason: clip(&reason.to_string()),
                });
            }
        }
        let secured: DataIntegrity<DataIntegrityDocument, AnySuite> =
            match serde_json::from_value(doc.clone()) {
                Ok(s) => s,
                Err(_) => {
                    r.set(
                        Check::Proof,
                        CheckStatus::Failed,
                        "malformed_proof",
                        "the proof does not have the shape of a Data Integrity proof".into(),
                    );
                    return Some(method);
                }
            };
        let as_written = field("verificationMethod").unwrap_or(method.as_str());
        let Some(resolver) = ld::resolver_for(vm, as_written) else {
            r.set(
                Check::Proof,
                CheckStatus::CouldNotVerify,
                "method_not_resolvable",
                "the DID document cannot be handed to the general processor".into(),
            );
            return Some(method);
        };
        let params = VerificationParameters::from_resolver(resolver)
            .with_json_ld_loader(&self.loader)
            .with_date_time(self.clock.now());
        match secured.proofs.validate_proof(&params, &secured.claims).await {
            Ok(Ok(())) => r.set(Check::Proof, CheckStatus::Passed, "ok",
                format!("{suite} signature by {}", clip(method.as_str()))),
            Ok(Err(_)) => r.set(Check::Proof, CheckStatus::Failed, "signature_mismatch",
                "the signature does not match the credential (it was altered or signed by another key)".into()),
            Err(e) => {
                let text = e.to_string();
                let safe = ld::sanitize(&text);
                let (status, code) = if text.contains("expansion failed") {
                    (CheckStatus::Failed, "undefined_term")
                } else if text.contains("nknown context") {
                    (CheckStatus::CouldNotVerify, "unknown_context")
                } else if text.contains("signature") || text.contains("Signature") {
                    (CheckStatus::Failed, "signature_mismatch")
                } else if text.contains("resol") || text.contains("key") {
                    (CheckStatus::CouldNotVerify, "method_not_resolvable")
                } else {
                    (CheckStatus::Failed, "proof_error")
                };
                r.set(Check::Proof, status, code, safe.to_string());
            }
        }
        Some(method)
    }

    /// A `bbs-2023` derived proof (a base proof is refused: it is the
    /// holder's, never shown to verifiers).
    async fn check_bbs_proof(
        &self,
        doc: &Value,
        vm: &ddcc_did::VerificationMethod,
        method: &DidUrl,
        r: &mut Reports,
    ) {
        let key = match crate::bbs::public_key_of_properties(&vm.properties) {
            Ok(k) => k,
            Err(e) => {
                r.set(
                    Check::Proof,
                    CheckStatus::Failed,
                    "unknown_verification_method",
                    format!("{}: {e}", clip(method.as_str())),
                );
                return;
            }
        };
        let suite = match self.bbs.get() {
            Some(s) => s,
            None => match crate::bbs::Bbs2023::new(self.registry.clone()) {
                Ok(s) => self.bbs.get_or_init(|| s),
                Err(e) => {
                    r.set(
                        Check::Proof,
                        CheckStatus::CouldNotVerify,
                        "contexts_unusable",
                        e.to_string(),
                    );
                    return;
                }
            },
        };
        match suite.verify_derived(doc, &key).await {
            Ok(d) => r.set(
                Check::Proof,
                CheckStatus::Passed,
                "ok",
                format!(
                    "{} derived proof by {} ({} statements revealed)",
                    crate::bbs::CRYPTOSUITE,
                    clip(method.as_str()),
                    d.mandatory_indexes.len() + d.selective_indexes.len()
                ),
            ),
            Err(e) => {
                let (status, code) = match &e {
                    crate::bbs::BbsError::Signature(_) => {
                        (CheckStatus::Failed, "signature_mismatch")
                    }
                    crate::bbs::BbsError::JsonLd(m)
                        if m.contains("nknown context") || m.contains("not pinned") =>
                    {
                        (CheckStatus::CouldNotVerify, "unknown_context")
                    }
                    crate::bbs::BbsError::JsonLd(_) => (CheckStatus::Failed, "undefined_term"),
                    crate::bbs::BbsError::Key(_) => {
                        (CheckStatus::Failed, "unknown_verification_method")
                    }
                    _ => (CheckStatus::Failed, "malformed_proof"),
                };
                // Messages of this suite name checks, pointers and indexes,
                // never values; those from the JSON-LD processor are sanitized.
                let message = match &e {
                    crate::bbs::BbsError::JsonLd(_) => ld::sanitize(&e.to_string()).to_string(),
                    _ => e.to_string(),
                };
                r.set(Check::Proof, status, code, message);
            }
        }
    }

    async fn check_issuer(
        &self,
        issuer: Option<&str>,
        method: Option<&DidUrl>,
        resolved: Option<Resolved>,
        r: &mut Reports,
    ) {
        if !r.wanted(Check::Issuer) {
            return;
        }
        let Some(issuer) = issuer else {
            r.set(
                Check::Issuer,
                CheckStatus::Failed,
                "missing_issuer",
                "the credential has no issuer".into(),
            );
            return;
        };
        let Some(method) = method else {
            r.set(
                Check::Issuer,
                CheckStatus::CouldNotVerify,
                "no_method",
                "no verification method to bind to the issuer".into(),
            );
            return;
        };
        let Ok(issuer_did) = Did::parse(issuer) else {
            r.set(
                Check::Issuer,
                CheckStatus::Failed,
                "issuer_not_did",
                format!(
                    "issuer {} is not a DID, so the signing key cannot be bound to it",
                    clip(issuer)
                ),
            );
            return;
        };
        if method.did() != issuer_did {
            r.set(
                Check::Issuer,
                CheckStatus::Failed,
                "method_not_controlled_by_issuer",
                format!(
                    "the proof was made with a key of {}, which is not the issuer {}",
                    clip(method.did().as_str()),
                    clip(issuer)
                ),
            );
            return;
        }
        let resolved = match resolved {
            Some(r) => r,
            None => self.resolver.resolve(&issuer_did).await,
        };
        let resolution = match resolved {
            Ok(d) => d,
            Err(e) if e.is_invalid() => {
                r.set(
                    Check::Issuer,
                    CheckStatus::Failed,
                    "issuer_invalid_did",
                    e.to_string(),
                );
                return;
            }
            Err(e) => {
                r.set(
                    Check::Issuer,
                    CheckStatus::CouldNotVerify,
                    "issuer_not_resolvable",
                    e.to_string(),
                );
                return;
            }
        };
        if !resolution
            .document
            .has_relationship(method.as_str(), VerificationRelationship::AssertionMethod)
        {
            r.set(
                Check::Issuer,
                CheckStatus::Failed,
                "not_assertion_method",
                format!(
                    "{} is not an assertionMethod of the issuer",
                    clip(method.as_str())
                ),
            );
            return;
        }
        r.set(
            Check::Issuer,
            CheckStatus::Passed,
            "ok",
            match resolution.describe() {
                note if note.is_empty() => {
                    "the signing key is an assertionMethod of the issuer".into()
                }
                note => format!("the signing key is an assertionMethod of the issuer ({note})"),
            },
        );
        r.resolution = Some(resolution);
    }

    fn check_trust(
        &self,
        obj: &serde_json::Map<String, Value>,
        issuer: Option<&str>,
        types: &[String],
        method: Option<&DidUrl>,
        r: &mut Reports,
    ) {
        if !r.wanted(Check::Trust) {
            return;
        }
        let Some(handle) = &self.trust else {
            r.set(
                Check::Trust,
                CheckStatus::NotApplicable,
                NO_TRUST_LIST,
                "no trust list given: nobody vouched for the issuer, whose accreditation was not checked".into(),
            );
            return;
        };
        let issuer_ok = r
            .reports
            .iter()
            .any(|x| x.check == Check::Issuer && x.status == CheckStatus::Passed);
        let (Some(issuer), true) = (issuer, issuer_ok) else {
            r.set(
                Check::Trust,
                CheckStatus::NotApplicable,
                "not_run",
                "not run: the signing key is not bound to the issuer".into(),
            );
            return;
        };
        let key = r.resolution.as_ref().and_then(|res| {
            method
                .and_then(|m| res.document.method(m.as_str()))
                .and_then(|m| m.ed25519)
                .map(|k| k.to_bytes())
        });
        let jurisdiction = obj
            .get("credentialSubject")
            .and_then(|s| s.pointer("/certificate/issuer/country"))
            .and_then(Value::as_str);
        let (status, code, message) =
            handle
                .get()
                .decide_issuer(issuer, types, jurisdiction, key.as_ref(), self.clock.now());
        r.set(Check::Trust, status, code, message);
    }

    /// The trust check of a credential that is not Data Integrity (an
    /// SD-JWT VC): `issuer` signed it (already checked), for `types` in
    /// `jurisdiction`. Without a trust policy, the report says nobody
    /// vouched for the issuer.
    pub(crate) fn trust_report(
        &self,
        issuer: &str,
        types: &[String],
        jurisdiction: Option<&str>,
        key: Option<&[u8; 32]>,
    ) -> CheckReport {
        let (status, code, message) = match &self.trust {
            None => (
                CheckStatus::NotApplicable,
                NO_TRUST_LIST,
                "no trust list given: nobody vouched for the issuer, whose accreditation was not checked".to_owned(),
            ),
            Some(handle) => {
                handle
                    .get()
                    .decide_issuer(issuer, types, jurisdiction, key, self.clock.now())
            }
        };
        CheckReport {
            check: Check::Trust,
            status,
            code,
            message,
        }
    }

    /// Verifies a status list credential (contexts, proof, issuer binding,
    /// validity), boxed because it is the verifier calling itself.
    fn verify_list<'a>(
        &'a self,
        list: &'a Value,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Verdict> + Send + 'a>> {
        let checks = Checks::only(&[
            Check::Contexts,
            Check::Proof,
            Check::Issuer,
            Check::Validity,
        ]);
        Box::pin(self.verify_value(std::borrow::Cow::Borrowed(list), checks, false))
    }

    /// The status check alone, for a credential of another format whose
    /// `credentialStatus` entries (Bitstring Status List) are in `doc`
    /// and whose issuer is `issuer` (an SD-JWT VC's `status` claim): the
    /// same fetching, list verification, issuer match and freshness limit
    /// as for a Data Integrity credential.
    pub async fn check_status_of(&self, doc: &Value, issuer: &str) -> CheckReport {
        let mut r = Reports::new(Checks::only(&[Check::Status]));
        self.check_status(doc, Some(issuer), &mut r).await;
        r.reports.pop().unwrap_or(CheckReport {
            check: Check::Status,
            status: CheckStatus::NotApplicable,
            code: "no_status",
            message: "the credential has no status entry".into(),
        })
    }

    async fn check_status(&self, doc: &Value, issuer: Option<&str>, r: &mut Reports) {
        use ddcc_status::{Purpose, StatusEntry, StatusList};
        if !r.wanted(Check::Status) {
            return;
        }
        let (entries, other) = match StatusEntry::all_of(doc) {
            Ok(e) => e,
            Err(e) => {
                r.set(
                    Check::Status,
                    CheckStatus::Failed,
                    "malformed_status",
                    e.to_string(),
                );
                return;
            }
        };
        if entries.is_empty() {
            if let Some(t) = other.first() {
                r.set(
                    Check::Status,
                    CheckStatus::CouldNotVerify,
                    "status_unknown",
                    format!("status entries of type {} are not supported", clip(t)),
                );
            } else {
                r.set(
                    Check::Status,
                    CheckStatus::NotApplicable,
                    "no_status",
                    "the credential has no status entry".into(),
                );
            }
            return;
        }
        let unknown = |r: &mut Reports, why: String| {
            r.set(
                Check::Status,
                CheckStatus::CouldNotVerify,
                "status_unknown",
                why,
            );
        };
        let Some(lists) = &self.status_lists else {
            unknown(
                r,
                "status unknown: no status list source was given to this verifier".into(),
            );
            return;
        };
        let now = self.clock.now();
        let mut notes = Vec::new();
        let mut suspended = None;
        for entry in &entries {
            let url = clip(&entry.list_url);
            let fetched = match lists.fetch(&entry.list_url).await {
                Ok(f) => f,
                Err(why) => return unknown(r, format!("status unknown: list {url}: {why}")),
            };
            let age = now.timestamp() - fetched.fetched_at;
            // A list already verified in the same fetch is not verified (nor
            // decompressed) again, while it is within its validity.
            // Only the credential's issuer speaks for its status.
            if issuer_id(fetched.credential.get("issuer")).as_deref() != issuer {
                return unknown(
                    r,
                    format!("status unknown: list {url} is not issued by the credential's issuer"),
                );
            }
            let memo = self
                .status_memo
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(&entry.list_url)
                .filter(|m| {
                    m.fetched_at == fetched.fetched_at
                        && m.proof == proof_of(&fetched.credential)
                        && m.valid_until.is_none_or(|u| now <= u)
                })
                .cloned();
            let list = match memo {
                Some(m) => m.list,
                None => {
                    let list = match StatusList::from_credential(&fetched.credential) {
                        Ok(l) => Arc::new(l),
                        Err(e) => return unknown(r, format!("status unknown: list {url}: {e}")),
                    };
                    let verdict = self.verify_list(&fetched.credential).await;
                    if !verdict.is_valid() {
                        let why = match verdict.outcome() {
                            Outcome::Invalid(x) | Outcome::CouldNotVerify(x) => {
                                format!("{} check: {}", x.check.name(), x.message)
                            }
                            _ => "it does not verify".into(),
                        };
                        return unknown(r, format!("status unknown: list {url} refused: {why}"));
                    }
                    let valid_until = fetched
                        .credential
                        .get("validUntil")
                        .and_then(Value::as_str)
                        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                        .map(|t| t.with_timezone(&Utc));
                    let mut memo = self.status_memo.write().unwrap_or_else(|e| e.into_inner());
                    if memo.len() >= STATUS_MEMO_LIMIT {
                        memo.clear();
                    }
                    memo.insert(
                        entry.list_url.clone(),
                        VerifiedList {
                            fetched_at: fetched.fetched_at,
                            proof: proof_of(&fetched.credential),
                            valid_until,
                            list: list.clone(),
                        },
                    );
                    list
                }
            };
            let limit = list
                .ttl_ms
                .map(|t| i64::try_from(t / 1000).unwrap_or(i64::MAX))
                .map_or(self.status_max_age.num_seconds(), |t| {
                    t.min(self.status_max_age.num_seconds())
                });
            if age > limit {
                return unknown(
                    r,
                    format!(
                        "status unknown: list {url} was fetched {age} s ago, more than the {limit} s allowed"
                    ),
                );
            }
            match list.is_set(entry) {
                Ok(true) if entry.purpose == Purpose::Revocation => {
                    r.set(
                        Check::Status,
                        CheckStatus::Failed,
                        "revoked",
                        format!("revoked by its issuer (list {url}, index {})", entry.index),
                    );
                    return;
                }
                Ok(true) => {
                    suspended = Some(format!(
                        "suspended by its issuer (list {url}, index {})",
                        entry.index
                    ))
                }
                Ok(false) => notes.push(format!(
                    "not {} (list fetched {age} s ago)",
                    match entry.purpose {
                        Purpose::Revocation => "revoked",
                        _ => "suspended",
                    }
                )),
                Err(e) => return unknown(r, format!("status unknown: list {url}: {e}")),
            }
        }
        if let Some(why) = suspended {
            r.set(Check::Status, CheckStatus::Failed, "suspended", why);
            return;
        }
        r.set(Check::Status, CheckStatus::Passed, "ok", notes.join("; "));
    }

    fn check_validity(&self, obj: &serde_json::Map<String, Value>, r: &mut Reports) {
        if !r.wanted(Check::Validity) {
            return;
        }
        let now = self.clock.now();
        let v1 = obj.contains_key("issuanceDate");
        let (from_key, until_key) = if v1 {
            ("issuanceDate", "expirationDate")
        } else {
            ("validFrom", "validUntil")
        };
        let parse = |key: &str| -> Result<Option<DateTime<Utc>>, ()> {
            match obj.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
                    .map(|t| Some(t.with_timezone(&Utc)))
                    .map_err(|_| ()),
                Some(_) => Err(()),
            }
        };
        let (Ok(from), Ok(until)) = (parse(from_key), parse(until_key)) else {
            r.set(
                Check::Validity,
                CheckStatus::Failed,
                "malformed_date",
                format!("{from_key} or {until_key} is not a date-time with a time zone"),
            );
            return;
        };
        let fmt = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        if let Some(from) = from
            && now + self.skew < from
        {
            r.set(
                Check::Validity,
                CheckStatus::Failed,
                "not_yet_valid",
                format!("not valid before {} (now {})", fmt(from), fmt(now)),
            );
            return;
        }
        if let Some(until) = until
            && now - self.skew > until
        {
            r.set(
                Check::Validity,
                CheckStatus::Failed,
                "expired",
                format!("expired at {} (now {})", fmt(until), fmt(now)),
            );
            return;
        }
        let message = match until {
            Some(u) => format!("valid at {} (until {})", fmt(now), fmt(u)),
            None => format!("valid at {} (no end date)", fmt(now)),
        };
        r.set(Check::Validity, CheckStatus::Passed, "ok", message);
    }
}

fn check_schema(obj: &serde_json::Map<String, Value>, types: &[String], r: &mut Reports) {
    use vocab::CredentialKind;
    if !r.wanted(Check::Schema) {
        return;
    }
    let typed: Vec<CredentialKind> = types
        .iter()
        .filter_map(|t| CredentialKind::from_credential_type(t))
        .collect();
    let schema_ids: Vec<&str> = match obj.get("credentialSchema") {
        None => Vec::new(),
        Some(Value::Array(a)) => a.iter().filter_map(|s| s.get("id")?.as_str()).collect(),
        Some(s) => s.get("id").and_then(Value::as_str).into_iter().collect(),
    };
    if schema_ids.is_empty() {
        if let Some(k) = typed.first() {
            r.set(
                Check::Schema,
                CheckStatus::Failed,
                "missing_schema",
                format!("a {} must name its credentialSchema", k.credential_type()),
            );
        } else {
            r.set(
                Check::Schema,
                CheckStatus::NotApplicable,
                "no_schema",
                "the credential names no credentialSchema".into(),
            );
        }
        return;
    }
    let mut kinds = Vec::new();
    for id in &schema_ids {
        match CredentialKind::from_subject_schema(id) {
            Some(k) => kinds.push(k),
            None => {
                r.set(
                    Check::Schema,
                    CheckStatus::CouldNotVerify,
                    "unknown_schema",
                    format!("credentialSchema {} is not one ddcc knows", clip(id)),
                );
                return;
            }
        }
    }
    // One of our types names one schema, and it is that type's.
    if typed.len() > 1 || kinds.len() > 1 || (!typed.is_empty() && typed != kinds) {
        r.set(
            Check::Schema,
            CheckStatus::Failed,
            "schema_mismatch",
            "the credential's type and its credentialSchema do not belong together".into(),
        );
        return;
    }
    let kind = kinds[0];
    let subject = obj.get("credentialSubject").unwrap_or(&Value::Null);
    let name = kind
        .subject_schema_id()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".schema.json");
    match ddcc_assets::validate_subject_of(kind, subject) {
        Ok(()) => r.set(
            Check::Schema,
            CheckStatus::Passed,
            "ok",
            format!("credentialSubject matches {name}"),
        ),
        Err(e) => r.set(
            Check::Schema,
            CheckStatus::Failed,
            "schema_violation",
            format!("credentialSubject {e}"),
        ),
    }
}

/// Collects the reports and decides the outcome.
struct Reports {
    checks: Checks,
    reports: Vec<CheckReport>,
    path: Option<ProofPath>,
    resolution: Option<Resolution>,
}

impl Reports {
    fn new(checks: Checks) -> Self {
        Self {
            checks,
            reports: Vec::new(),
            path: None,
            resolution: None,
        }
    }

    fn wanted(&self, check: Check) -> bool {
        self.checks.contains(check)
    }

    fn set(&mut self, check: Check, status: CheckStatus, code: &'static str, message: String) {
        if !self.checks.contains(check) || self.reports.iter().any(|r| r.check == check) {
            return;
        }
        self.reports.push(CheckReport {
            check,
            status,
            code,
            message,
        });
    }

    fn finish(
        mut self,
        issuer: Option<String>,
        types: Vec<String>,
        verified: Option<VerifiedCredential>,
    ) -> Verdict {
        let format_failed = self
            .reports
            .iter()
            .any(|r| r.check == Check::Format && r.status != CheckStatus::Passed);
        for check in Check::ALL {
            if !self.reports.iter().any(|r| r.check == check) {
                let (status, message) = if !self.checks.contains(check) {
                    (CheckStatus::Skipped, "not requested")
                } else if format_failed {
                    (
                        CheckStatus::Skipped,
                        "not run: the input is not a well-formed credential",
                    )
                } else {
                    (CheckStatus::CouldNotVerify, "not run")
                };
                self.reports.push(CheckReport {
                    check,
                    status,
                    code: "not_run",
                    message: message.into(),
                });
            }
        }
        self.reports.sort_by_key(|r| r.check);
        let first = |s: CheckStatus| self.reports.iter().find(|r| r.status == s).cloned();
        let outcome = if let Some(f) = first(CheckStatus::Failed) {
            match (f.check, f.code) {
                (Check::Trust, "unknown_issuer") => Outcome::UnknownIssuer(f),
                (Check::Status, "revoked") => Outcome::Revoked(f),
                (Check::Status, "suspended") => Outcome::Suspended(f),
                _ => Outcome::Invalid(f),
            }
        } else if let Some(c) = first(CheckStatus::CouldNotVerify) {
            Outcome::CouldNotVerify(c)
        } else if !self
            .reports
            .iter()
            .any(|r| r.check != Check::Format && r.status == CheckStatus::Passed)
        {
            Outcome::CouldNotVerify(CheckReport {
                check: Check::Format,
                status: CheckStatus::CouldNotVerify,
                code: "nothing_checked",
                message: "no requested check applied to this credential".into(),
            })
        } else if let Some(t) = self.reports.iter().find(|r| {
            r.check == Check::Trust
                && r.status == CheckStatus::NotApplicable
                && r.code == NO_TRUST_LIST
        }) {
            Outcome::IssuerNotChecked(t.clone())
        } else {
            Outcome::Valid
        };
        let verified = if outcome == Outcome::Valid {
            verified
        } else {
            None
        };
        Verdict {
            outcome,
            reports: self.reports,
            issuer,
            types,
            verified,
            proof_path: self.path,
            did_document: self.resolution.map(|r| DocumentSource {
                source: r.source.as_str(),
                age_seconds: r.age_seconds,
                stale: r.stale,
            }),
        }
    }
}

/// The proof check's verdict on a graph that costs more to canonicalize
/// than the work budget allows.
fn too_costly(r: &mut Reports, why: &str) {
    r.set(
        Check::Proof,
        CheckStatus::CouldNotVerify,
        "work_budget_exceeded",
        format!(
            "the credential's graph takes more work to canonicalize than this verifier allows ({})",
            clip(why)
        ),
    );
}

/// The trust check's code when the verifier has no trust policy.
pub(crate) const NO_TRUST_LIST: &str = "no_trust_list";

/// Whether a verification method carries a P-384 key (Multikey codec
/// 0x1201, or a JWK on the P-384 curve).
fn is_p384(vm: &ddcc_did::VerificationMethod) -> bool {
    let multikey = vm
        .properties
        .get("publicKeyMultibase")
        .and_then(Value::as_str)
        .and_then(|m| multibase::decode(m).ok())
        .is_some_and(|(_, bytes)| bytes.starts_with(&[0x81, 0x24]));
    let jwk = vm
        .properties
        .get("publicKeyJwk")
        .and_then(|j| j.get("crv"))
        .and_then(Value::as_str)
        == Some("P-384");
    multikey || jwk
}

/// Whether a value holds an `@context` member at any depth. Deeper than 64
/// levels counts as embedded.
/// Whether the root `@context` holds an inline context object.
fn has_inline_root_context(doc: &Value) -> bool {
    matches!(doc.get("@context"), Some(Value::Array(a)) if a.iter().any(Value::is_object))
}

fn has_embedded_context(v: &Value, depth: usize) -> bool {
    if depth > 64 {
        return true;
    }
    match v {
        Value::Object(o) => o
            .iter()
            .any(|(k, x)| k == "@context" || has_embedded_context(x, depth + 1)),
        Value::Array(a) => a.iter().any(|x| has_embedded_context(x, depth + 1)),
        _ => false,
    }
}

fn issuer_id(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("id")?.as_str().map(str::to_owned),
        _ => None,
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn clip(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(160).collect()
}
