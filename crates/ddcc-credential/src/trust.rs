//! Trust: which issuers a verifier accepts, for which credential types and
//! jurisdictions, until when.
//!
//! Two sources: our own trust list, a credential of type `DDCCTrustList`
//! signed by a trust anchor the verifier names; and WHO GDHCN-style trust
//! lists published as `did:web` documents, in which an issuer is listed by
//! its DID (a reference) or by its key (an embedded JWK).

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use ddcc_core::{Did, vocab};
use ddcc_did::{DidResolver, ResolveError};

use crate::{Checks, Issuer, Outcome, Verifier};

/// The credential type of a trust list.
pub const TRUST_LIST_TYPE: &str = "DDCCTrustList";

/// One accredited issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustEntry {
    /// The issuer's DID.
    pub issuer: Did,
    /// Credential types it may issue (`DDCCVaccinationCredential`…); empty
    /// means any.
    pub credential_types: Vec<String>,
    /// Jurisdictions (ISO 3166-1 alpha-3 of the issuing authority,
    /// `certificate.issuer.country`) it issues for; empty means any.
    pub jurisdictions: Vec<String>,
    /// End of the accreditation, if any.
    pub until: Option<DateTime<Utc>>,
}

/// A trust list: its name, the anchor that signed it, until when it may be
/// used, and its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    /// A name for people (`credentialSubject.name`).
    pub name: String,
    /// The anchor DID that signed it.
    pub anchor: Did,
    /// When the list itself expires (`validUntil`).
    pub valid_until: Option<DateTime<Utc>>,
    /// The accredited issuers.
    pub entries: Vec<TrustEntry>,
}

/// Why a trust list cannot be used. Every variant is a reason a verifier
/// must not silently fall back to trusting anyone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// The list is not a `DDCCTrustList` credential of the expected shape.
    #[error("not a trust list: {0}")]
    Malformed(String),
    /// The list's own verification failed (signature, contexts, validity…).
    #[error("the trust list does not verify: {0}")]
    Invalid(String),
    /// The list is past its `validUntil` (or not yet valid).
    #[error("the trust list is not valid now: {0}")]
    Expired(String),
    /// The list is signed by an issuer that is not one of the verifier's anchors.
    #[error("the trust list is signed by {0}, which is not a trust anchor of this verifier")]
    NotAnAnchor(String),
    /// The list could not be checked (resolution, network).
    #[error("the trust list could not be checked: {0}")]
    Unavailable(String),
}

impl TrustError {
    /// A stable code for verdicts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "trust_list_malformed",
            Self::Invalid(_) => "trust_list_invalid",
            Self::Expired(_) => "trust_list_expired",
            Self::NotAnAnchor(_) => "trust_list_not_anchored",
            Self::Unavailable(_) => "trust_list_unavailable",
        }
    }
}

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl TrustList {
    /// The unsigned `DDCCTrustList` credential for this list, valid from
    /// `from` (sign it with the anchor's [`Issuer::sign_document`]).
    pub fn to_credential(&self, from: DateTime<Utc>) -> Value {
        let entries: Vec<Value> = self
            .entries
            .iter()
            .map(|e| {
                let mut o = Map::new();
                o.insert("id".into(), Value::from(e.issuer.as_str()));
                if !e.credential_types.is_empty() {
                    o.insert("credentialType".into(), json!(e.credential_types));
                }
                if !e.jurisdictions.is_empty() {
                    o.insert("jurisdiction".into(), json!(e.jurisdictions));
                }
                if let Some(u) = &e.until {
                    o.insert("accreditedUntil".into(), Value::from(time(u)));
                }
                Value::Object(o)
            })
            .collect();
        let mut vc = Map::new();
        vc.insert(
            "@context".into(),
            json!([vocab::CREDENTIALS_V2_CONTEXT, vocab::DDCC_CONTEXT_V1]),
        );
        vc.insert(
            "type".into(),
            json!(["VerifiableCredential", TRUST_LIST_TYPE]),
        );
        vc.insert("issuer".into(), Value::from(self.anchor.as_str()));
        vc.insert("validFrom".into(), Value::from(time(&from)));
        if let Some(u) = &self.valid_until {
            vc.insert("validUntil".into(), Value::from(time(u)));
        }
        vc.insert(
            "credentialSubject".into(),
            json!({"name": self.name, "accreditedIssuer": entries}),
        );
        Value::Object(vc)
    }

    /// Signs the list as `anchor`.
    ///
    /// # Errors
    /// [`crate::IssueError`] if the anchor's DID is not the list's `anchor`
    /// or signing fails.
    pub async fn sign(
        &self,
        anchor: &Issuer,
        now: DateTime<Utc>,
    ) -> Result<Value, crate::IssueError> {
        if anchor.did() != &self.anchor {
            return Err(crate::IssueError::Proof(crate::ProofError::new(
                "the list names another anchor than the signing key's DID",
            )));
        }
        anchor.sign_document(self.to_credential(now), now).await
    }

    /// Reads a list from its credential without checking its proof (for
    /// showing and editing; [`TrustList::verify`] is the way to use one).
    ///
    /// # Errors
    /// [`TrustError::Malformed`].
    pub fn read(doc: &Value) -> Result<Self, TrustError> {
        let bad = |why: &str| TrustError::Malformed(why.to_owned());
        let types: Vec<&str> = match doc.get("type") {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.contains(&TRUST_LIST_TYPE) {
            return Err(bad("its type does not include DDCCTrustList"));
        }
        let anchor = doc
            .get("issuer")
            .and_then(|i| i.as_str().or_else(|| i.get("id")?.as_str()))
            .and_then(|i| Did::parse(i).ok())
            .ok_or_else(|| bad("its issuer is not a DID"))?;
        let parse_time = |v: Option<&Value>| -> Result<Option<DateTime<Utc>>, TrustError> {
            match v {
                None => Ok(None),
                Some(v) => v
                    .as_str()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| Some(t.with_timezone(&Utc)))
                    .ok_or_else(|| bad("a date is not RFC 3339")),
            }
        };
        let valid_until = parse_time(doc.get("validUntil"))?;
        let subject = doc
            .get("credentialSubject")
            .ok_or_else(|| bad("it has no credentialSubject"))?;
        let name = subject
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .chars()
            .take(200)
            .collect();
        let strings = |v: Option<&Value>| -> Result<Vec<String>, TrustError> {
            match v {
                None => Ok(Vec::new()),
                Some(Value::String(s)) => Ok(vec![s.clone()]),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| bad("a list holds a non-string"))
                    })
                    .collect(),
                Some(_) => Err(bad("a list is neither a string nor an array")),
            }
        };
        let mut entries = Vec::new();
        let list = match subject.get("accreditedIssuer") {
            Some(Value::Array(a)) => a.clone(),
            Some(v @ Value::Object(_)) => vec![v.clone()],
            None => Vec::new(),
            Some(_) => return Err(bad("accreditedIssuer is not a list of issuers")),
        };
        for e in &list {
            let issuer = e
                .get("id")
                .and_then(Value::as_str)
                .and_then(|i| Did::parse(i).ok())
                .ok_or_else(|| bad("an accredited issuer's id is not a DID"))?;
            entries.push(TrustEntry {
                issuer,
                credential_types: strings(e.get("credentialType"))?,
                jurisdictions: strings(e.get("jurisdiction"))?,
                until: parse_time(e.get("accreditedUntil"))?,
            });
        }
        Ok(Self {
            name,
            anchor,
            valid_until,
            entries,
        })
    }

    /// Verifies a trust-list credential with `verifier` (contexts, proof,
    /// issuer binding and validity, so an expired list is refused) and
    /// checks that its issuer is one of `anchors`.
    ///
    /// # Errors
    /// The [`TrustError`] that makes the list unusable.
    pub async fn verify(
        doc: &Value,
        anchors: &[Did],
        verifier: &Verifier,
    ) -> Result<Self, TrustError> {
        let list = Self::read(doc)?;
        if !anchors.contains(&list.anchor) {
            return Err(TrustError::NotAnAnchor(list.anchor.as_str().to_owned()));
        }
        let checks = Checks::only(&[
            crate::Check::Contexts,
            crate::Check::Proof,
            crate::Check::Issuer,
            crate::Check::Validity,
        ]);
        let verdict = verifier.verify_without_trust(doc, checks).await;
        match verdict.outcome() {
            Outcome::Valid | Outcome::IssuerNotChecked(_) => Ok(list),
            Outcome::Invalid(r) | Outcome::UnknownIssuer(r)
                if r.check == crate::Check::Validity =>
            {
                Err(TrustError::Expired(r.message.clone()))
            }
            Outcome::Invalid(r)
            | Outcome::UnknownIssuer(r)
            | Outcome::Revoked(r)
            | Outcome::Suspended(r) => Err(TrustError::Invalid(format!(
                "{} check: {}",
                r.check.name(),
                r.message
            ))),
            Outcome::CouldNotVerify(r) => Err(TrustError::Unavailable(format!(
                "{} check: {}",
                r.check.name(),
                r.message
            ))),
        }
    }

    /// Whether `issuer` is accredited for a credential of `types` in
    /// `jurisdiction` at `now`: `Ok(entry)`, or `Err(reason)`.
    pub fn decide(
        &self,
        issuer: &str,
        types: &[String],
        jurisdiction: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<&TrustEntry, String> {
        let entries: Vec<&TrustEntry> = self
            .entries
            .iter()
            .filter(|e| e.issuer.as_str() == issuer)
            .collect();
        if entries.is_empty() {
            return Err(format!(
                "the issuer is not on the trust list '{}'",
                self.name
            ));
        }
        let mut why = String::new();
        for e in entries {
            let type_ok = e.credential_types.is_empty()
                || types.iter().any(|t| e.credential_types.contains(t));
            let place_ok = e.jurisdictions.is_empty()
                || jurisdiction.is_some_and(|j| e.jurisdictions.iter().any(|x| x == j));
            let time_ok = e.until.is_none_or(|u| now <= u);
            match (type_ok, place_ok, time_ok) {
                (true, true, true) => return Ok(e),
                (false, _, _) => {
                    why = format!(
                        "the issuer is accredited on '{}' for {}, not for this credential type",
                        self.name,
                        e.credential_types.join(", ")
                    );
                }
                (_, false, _) => {
                    why = if jurisdiction.is_some() {
                        format!(
                            "the issuer is accredited on '{}' for {}, not for this jurisdiction",
                            self.name,
                            e.jurisdictions.join(", ")
                        )
                    } else {
                        format!(
                            "the issuer is accredited on '{}' for {}, and the credential does not disclose its jurisdiction (certificate.issuer.country)",
                            self.name,
                            e.jurisdictions.join(", ")
                        )
                    };
                }
                (_, _, false) => {
                    why = format!(
                        "the issuer's accreditation on '{}' ended at {}",
                        self.name,
                        e.until.as_ref().map(time).unwrap_or_default()
                    );
                }
            }
        }
        Err(why)
    }
}

/// A GDHCN-style trust list: the `did:web` document at its root and every
/// document it references. An issuer is accredited when its DID is among
/// the referenced documents, or when the key it signed with is listed as an
/// embedded key (an OKP Ed25519 JWK with the same public key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DidTrustList {
    /// The root DID of the list.
    pub root: Did,
    /// Every DID reached from the root (the root included).
    pub documents: HashSet<String>,
    /// The Ed25519 keys embedded in those documents.
    pub keys: HashSet<[u8; 32]>,
}

/// Most documents read from one DID trust list.
const MAX_LIST_DOCUMENTS: usize = 1000;
/// Deepest chain of references followed in one DID trust list.
const MAX_LIST_DEPTH: usize = 6;

impl DidTrustList {
    /// Resolves the list from `root`, following references (depth-first,
    /// each document once). The documents' proofs are not verified here:
    /// the list is as trustworthy as the resolver that fetched it. A WHO
    /// GDHCN list is read with `ddcc-trust` (`GdhcnList`), which verifies
    /// every document against the signer the operator names.
    ///
    /// # Errors
    /// The first resolution error.
    pub async fn resolve(resolver: &dyn DidResolver, root: &Did) -> Result<Self, ResolveError> {
        let docs =
            ddcc_did::resolve_with_references(resolver, root, MAX_LIST_DOCUMENTS, MAX_LIST_DEPTH)
                .await?;
        let documents = docs.iter().map(|d| d.id.as_str().to_owned()).collect();
        let keys = docs
            .iter()
            .flat_map(|d| d.verification_method.iter())
            .filter_map(|m| m.ed25519.map(|k| k.to_bytes()))
            .collect();
        Ok(Self {
            root: root.clone(),
            documents,
            keys,
        })
    }
}

/// What a verifier trusts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum TrustPolicy {
    /// A verified trust list.
    List(TrustList),
    /// A DID trust list, resolved.
    Did(DidTrustList),
    /// A trust list was given but cannot be used: every credential is
    /// *could not verify* with this reason (never silently trusted).
    Unusable(TrustError),
    /// Several sources: an issuer is accredited when one of them
    /// accredits it; when none does and one of them cannot be used, the
    /// verdict is *could not verify* (that one might have).
    AnyOf(Vec<TrustPolicy>),
}

/// A trust policy that can be replaced while verifiers use it (see
/// [`crate::Verifier::with_trust_handle`]). Clones share the policy.
#[derive(Debug, Clone)]
pub struct TrustHandle(std::sync::Arc<arc_swap::ArcSwap<TrustPolicy>>);

impl TrustHandle {
    /// A handle holding `policy`.
    pub fn new(policy: TrustPolicy) -> Self {
        Self(std::sync::Arc::new(arc_swap::ArcSwap::from_pointee(policy)))
    }

    /// The current policy.
    pub fn get(&self) -> std::sync::Arc<TrustPolicy> {
        self.0.load_full()
    }

    /// Replaces the policy; verifications already past their trust check
    /// keep the one they used.
    pub fn set(&self, policy: TrustPolicy) {
        self.0.store(std::sync::Arc::new(policy));
    }
}

fn clip(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(160).collect()
}

impl TrustPolicy {
    /// The trust decision on `issuer` (whose signature verified, with the
    /// Ed25519 `key` when known) for a credential of `types` in
    /// `jurisdiction` at `now`: the check's status, its stable code (`ok`,
    /// `unknown_issuer`, or the unusable list's code) and the reason,
    /// naming the list that accredits the issuer.
    pub fn decide_issuer(
        &self,
        issuer: &str,
        types: &[String],
        jurisdiction: Option<&str>,
        key: Option<&[u8; 32]>,
        now: DateTime<Utc>,
    ) -> (crate::CheckStatus, &'static str, String) {
        use crate::CheckStatus;
        match self {
            TrustPolicy::Unusable(e) => (CheckStatus::CouldNotVerify, e.code(), e.to_string()),
            TrustPolicy::List(list) => match list.decide(issuer, types, jurisdiction, now) {
                Ok(entry) => {
                    let place = match (jurisdiction, entry.jurisdictions.is_empty()) {
                        (Some(j), false) => format!(" for {}", clip(j)),
                        _ => String::new(),
                    };
                    (
                        CheckStatus::Passed,
                        "ok",
                        format!(
                            "accredited{place} on the trust list '{}' signed by {}",
                            clip(&list.name),
                            clip(list.anchor.as_str())
                        ),
                    )
                }
                Err(why) => (CheckStatus::Failed, "unknown_issuer", why),
            },
            TrustPolicy::Did(list) => {
                if list.documents.contains(issuer) {
                    (
                        CheckStatus::Passed,
                        "ok",
                        format!(
                            "the issuer is referenced by the trust list {}",
                            clip(list.root.as_str())
                        ),
                    )
                } else if key.is_some_and(|k| list.keys.contains(k)) {
                    (
                        CheckStatus::Passed,
                        "ok",
                        format!(
                            "the signing key is listed in the trust list {}",
                            clip(list.root.as_str())
                        ),
                    )
                } else {
                    (
                        CheckStatus::Failed,
                        "unknown_issuer",
                        format!(
                            "neither the issuer nor its key is in the trust list {}",
                            clip(list.root.as_str())
                        ),
                    )
                }
            }
            TrustPolicy::AnyOf(policies) => {
                let mut unusable = None;
                let mut refusals = Vec::new();
                for p in policies {
                    let d = p.decide_issuer(issuer, types, jurisdiction, key, now);
                    match d.0 {
                        CheckStatus::Passed => return d,
                        CheckStatus::CouldNotVerify => {
                            unusable.get_or_insert(d);
                        }
                        _ => refusals.push(d.2),
                    }
                }
                if let Some(d) = unusable {
                    return d;
                }
                if refusals.is_empty() {
                    return (
                        CheckStatus::Failed,
                        "unknown_issuer",
                        "the verifier's trust configuration lists no issuer".into(),
                    );
                }
                (CheckStatus::Failed, "unknown_issuer", refusals.join("; "))
            }
        }
    }
}
