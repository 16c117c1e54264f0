//! What a checkpoint trusts at one moment: every source's contribution,
//! and the views each format's verifier uses.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ddcc_credential::trust::{TrustError, TrustPolicy};
use serde_json::Value;

/// Who vouched for an issuer or a key: the list's name and the
/// jurisdiction it accredits them for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vouch {
    /// The source's name (a trust list's name, a GDHCN root, a file).
    pub list: String,
    /// The jurisdiction, when the source says it.
    pub jurisdiction: Option<String>,
    /// When the source was signed (its newest proof), when known.
    pub signed_at: Option<DateTime<Utc>>,
}

/// The state of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    /// Its kind (`ddcc_list`, `gdhcn`, `eu_dcc`, `shc`, `shc_directory`, `divoc`).
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// `None` when usable, else why not (a stable code and the reason).
    pub problem: Option<(&'static str, String)>,
    /// What it contributes, in words (`6 document(s), 1 DID issuer(s)…`).
    pub summary: String,
    /// When it was signed (its newest proof) or its keys fetched, when known.
    pub signed_at: Option<DateTime<Utc>>,
    /// When this copy was read.
    pub loaded_at: DateTime<Utc>,
    /// Where the copy came from when not from its usual place: its cache
    /// or bundle because the web could not be reached, or the last good
    /// copy because a refresh failed (with why).
    pub fallback: Option<String>,
}

impl SourceReport {
    /// Whether it is served from its cache (or kept from before) because
    /// its usual place could not be read.
    pub fn from_cache(&self) -> bool {
        self.fallback.is_some()
    }
}

/// A SMART Health Card issuer's keys and revocation lists.
#[derive(Debug, Clone)]
pub(crate) struct ShcKeys {
    pub(crate) iss: String,
    pub(crate) jwks: Value,
    pub(crate) crls: Vec<Value>,
    pub(crate) vouch: Vouch,
}

/// One source's contribution.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) report: SourceReport,
    /// Accreditation of DID issuers (or why it cannot be decided).
    pub(crate) policy: Option<TrustPolicy>,
    pub(crate) dscs: Vec<(ddcc_hcert::Dsc, Vouch)>,
    pub(crate) shc: Vec<ShcKeys>,
    pub(crate) divoc: Vec<(String, ddcc_divoc::PublicKey, Vouch)>,
    /// DIVOC contexts: URL, text, where from.
    pub(crate) divoc_contexts: Vec<(String, String, String)>,
    /// What this source decides (when it cannot be used, those verdicts
    /// are *could not verify*).
    pub(crate) decides_dscs: bool,
    pub(crate) decides_shc: bool,
    /// Issuers it lists whose keys could not be fetched, with why.
    pub(crate) shc_unfetched: Vec<(String, String)>,
    /// How old its signature may get before it is stale.
    pub(crate) max_age: Option<Duration>,
}

impl Part {
    pub(crate) fn new(kind: &'static str, name: String, now: DateTime<Utc>) -> Self {
        Self {
            report: SourceReport {
                kind,
                name,
                problem: None,
                summary: String::new(),
                signed_at: None,
                loaded_at: now,
                fallback: None,
            },
            policy: None,
            dscs: Vec::new(),
            shc: Vec::new(),
            divoc: Vec::new(),
            divoc_contexts: Vec::new(),
            decides_dscs: false,
            decides_shc: false,
            shc_unfetched: Vec::new(),
            max_age: None,
        }
    }

    /// This source, unusable for `error` (its contributions dropped).
    pub(crate) fn unusable(mut self, error: TrustError) -> Self {
        self.report.problem = Some((error.code(), error.to_string()));
        self.report.summary.clear();
        self.policy = Some(TrustPolicy::Unusable(error));
        self.dscs.clear();
        self.shc.clear();
        self.divoc.clear();
        self
    }

    pub(crate) fn usable(&self) -> bool {
        self.report.problem.is_none()
    }

    /// `Some(why)` when its signature is older than its limit at `now`.
    pub(crate) fn stale_at(&self, now: DateTime<Utc>) -> Option<String> {
        let (Some(signed), Some(max)) = (self.report.signed_at, self.max_age) else {
            return None;
        };
        let age = (now - signed).to_std().unwrap_or_default();
        (age > max).then(|| {
            format!(
                "'{}' was signed {} hours ago, beyond its limit of {} hours: it is stale",
                self.report.name,
                age.as_secs() / 3600,
                max.as_secs() / 3600
            )
        })
    }
}

/// Everything a checkpoint trusts, verified, at one moment.
#[derive(Debug, Clone)]
pub struct Trust {
    parts: Vec<Part>,
    /// Accreditation of DID issuers (Data Integrity, bbs-2023, SD-JWT VC).
    pub policy: TrustPolicy,
    /// EU DCC signer certificates.
    pub dscs: ddcc_hcert::TrustList,
    dsc_vouch: HashMap<[u8; 8], Vouch>,
    /// SMART Health Card issuers.
    pub shc: ddcc_shc::Issuers,
    shc_vouch: HashMap<String, Vouch>,
    /// DIVOC keys.
    pub divoc: ddcc_divoc::KeySet,
    divoc_vouch: HashMap<String, Vouch>,
    /// The contexts DIVOC certificates are read with: the builtin ones and
    /// those the DIVOC sources pin.
    pub divoc_contexts: ddcc_assets::ContextRegistry,
    /// Every source, usable or not, in the configuration's order.
    pub sources: Vec<SourceReport>,
    /// When it was put together.
    pub loaded_at: DateTime<Utc>,
    dsc_unusable: Vec<String>,
    shc_unusable: Vec<String>,
    shc_unfetched: HashMap<String, String>,
    /// Things the operator should know that do not make a source unusable
    /// (a cache that could not be written, a key refused).
    pub warnings: Vec<String>,
}

impl Trust {
    /// Puts the sources' contributions together.
    pub(crate) fn from_parts(
        parts: Vec<Part>,
        warnings: Vec<String>,
        now: DateTime<Utc>,
    ) -> Result<Self, crate::ConfigError> {
        let mut trust = Trust {
            parts: Vec::new(),
            policy: TrustPolicy::AnyOf(Vec::new()),
            dscs: ddcc_hcert::TrustList::new(),
            dsc_vouch: HashMap::new(),
            shc: ddcc_shc::Issuers::new(),
            shc_vouch: HashMap::new(),
            divoc: ddcc_divoc::KeySet::new(),
            divoc_vouch: HashMap::new(),
            divoc_contexts: ddcc_assets::ContextRegistry::builtin()
                .map_err(|e| crate::ConfigError::Invalid(e.to_string()))?,
            sources: Vec::new(),
            loaded_at: now,
            dsc_unusable: Vec::new(),
            shc_unusable: Vec::new(),
            shc_unfetched: HashMap::new(),
            warnings,
        };
        let mut policies = Vec::new();
        for part in &parts {
            trust.sources.push(part.report.clone());
            if let Some(p) = &part.policy {
                policies.push(p.clone());
            }
            if !part.usable() {
                if part.decides_dscs {
                    trust.dsc_unusable.push(part.report.name.clone());
                }
                if part.decides_shc {
                    trust.shc_unusable.push(part.report.name.clone());
                }
                continue;
            }
            for (dsc, vouch) in &part.dscs {
                trust.dsc_vouch.insert(*dsc.kid(), vouch.clone());
                trust.dscs.add(dsc.clone());
            }
            for keys in &part.shc {
                if trust.shc.add_jwks(&keys.iss, &keys.jwks).is_err() {
                    trust
                        .warnings
                        .push(format!("the keys of {} hold no usable key", keys.iss));
                    continue;
                }
                for crl in &keys.crls {
                    if let Err(e) = trust.shc.add_crl(&keys.iss, crl) {
                        trust
                            .warnings
                            .push(format!("a revocation list of {}: {e}", keys.iss));
                    }
                }
                trust.shc_vouch.insert(keys.iss.clone(), keys.vouch.clone());
            }
            for (iss, why) in &part.shc_unfetched {
                trust.shc_unfetched.insert(iss.clone(), why.clone());
            }
            for (method, key, vouch) in &part.divoc {
                trust.divoc.add(method, key.clone());
                trust.divoc_vouch.insert(method.clone(), vouch.clone());
            }
            for (url, text, from) in &part.divoc_contexts {
                trust
                    .divoc_contexts
                    .pin(url, text, from)
                    .map_err(|e| crate::ConfigError::Invalid(format!("{url}: {e}")))?;
            }
        }
        trust.policy = TrustPolicy::AnyOf(policies);
        trust.parts = parts;
        Ok(trust)
    }

    /// Who vouched for the EU DCC signer with this key id.
    pub fn dsc_vouch(&self, kid: &[u8]) -> Option<&Vouch> {
        <[u8; 8]>::try_from(kid)
            .ok()
            .and_then(|k| self.dsc_vouch.get(&k))
    }

    /// Sources of EU DCC signers that could not be used: a signer missing
    /// from [`Trust::dscs`] may be in one of them, so it is *could not
    /// verify* rather than unknown.
    pub fn dsc_unusable(&self) -> &[String] {
        &self.dsc_unusable
    }

    /// Who vouched for the SMART Health Card issuer `iss`.
    pub fn shc_vouch(&self, iss: &str) -> Option<&Vouch> {
        self.shc_vouch.get(iss)
    }

    /// Sources of SMART Health Card issuers that could not be used.
    pub fn shc_unusable(&self) -> &[String] {
        &self.shc_unusable
    }

    /// Why the keys of `iss`, which a directory lists, could not be
    /// fetched: its cards are *could not verify*, not unknown.
    pub fn shc_unfetched(&self, iss: &str) -> Option<&str> {
        self.shc_unfetched.get(iss).map(String::as_str)
    }

    /// Who vouched for the DIVOC key of `method`.
    pub fn divoc_vouch(&self, method: &str) -> Option<&Vouch> {
        self.divoc_vouch.get(method)
    }

    /// Whether every source is usable.
    pub fn all_usable(&self) -> bool {
        self.sources.iter().all(|s| s.problem.is_none())
    }

    /// The sources as JSON, for the API and the page: name, kind, state,
    /// what they hold, when they were signed and read, and their ages.
    pub fn sources_json(&self, now: DateTime<Utc>) -> Value {
        Value::Array(
            self.sources
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "kind": s.kind,
                        "name": s.name,
                        "usable": s.problem.is_none(),
                        "code": s.problem.as_ref().map(|p| p.0),
                        "problem": s.problem.as_ref().map(|p| p.1.clone()),
                        "summary": s.summary,
                        "fallback": s.fallback,
                        "signed_at": s.signed_at.map(|t| t.to_rfc3339()),
                        "age_seconds": s.signed_at.map(|t| (now - t).num_seconds().max(0)),
                        "loaded_at": s.loaded_at.to_rfc3339(),
                        "loaded_seconds_ago": (now - s.loaded_at).num_seconds().max(0),
                    })
                })
                .collect(),
        )
    }

    pub(crate) fn parts(&self) -> &[Part] {
        &self.parts
    }
}
