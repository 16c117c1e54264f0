//! Reading each source of a trust configuration into its contribution.

use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use ddcc_core::Did;
use ddcc_credential::Verifier;
use ddcc_credential::trust::{DidTrustList, TrustEntry, TrustError, TrustList, TrustPolicy};
use serde_json::{Value, json};

use crate::config::{
    ConfigError, DdccListSource, DivocKeySource, GdhcnSource, ShcDirectorySource, ShcIssuerSource,
    TrustConfig, certificates, check_chain, read_file, read_json,
};
use crate::gdhcn::{self, GdhcnError, GdhcnList, Signers};
use crate::snapshot::{Part, ShcKeys, Trust, Vouch};

/// Most issuers read from one SMART Health Card directory.
const MAX_DIRECTORY_ISSUERS: usize = 5000;
/// Default staleness limit of signed lists and bundles.
const DEFAULT_MAX_AGE_HOURS: u64 = 720;

/// One configured source, in the configuration's order.
#[derive(Clone, Copy)]
enum Source<'a> {
    Ddcc(&'a DdccListSource),
    Gdhcn(&'a GdhcnSource),
    Dsc(&'a Path),
    Shc(&'a ShcIssuerSource),
    ShcDirectory(&'a ShcDirectorySource),
    Divoc(&'a DivocKeySource),
}

/// What loading needs besides the configuration.
struct Ctx<'a> {
    verifier: &'a Verifier,
    net: Option<&'a ddcc_resolve::HttpClient>,
    now: DateTime<Utc>,
    warnings: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn new(
        verifier: &'a Verifier,
        net: Option<&'a ddcc_resolve::HttpClient>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            verifier,
            net,
            now,
            warnings: Vec::new(),
        }
    }
}

impl TrustConfig {
    fn sources(&self) -> Vec<Source<'_>> {
        let mut out: Vec<Source<'_>> = Vec::new();
        out.extend(self.ddcc_lists.iter().map(Source::Ddcc));
        out.extend(self.gdhcn.iter().map(Source::Gdhcn));
        if let Some(eu) = &self.eu_dcc {
            out.extend(eu.dsc.iter().map(|p| Source::Dsc(p.as_path())));
        }
        out.extend(self.shc.iter().map(Source::Shc));
        out.extend(self.shc_directory.iter().map(Source::ShcDirectory));
        out.extend(self.divoc.iter().map(Source::Divoc));
        out
    }

    /// Loads every source at `now`: files are read, lists verified. A
    /// source that cannot be used is recorded in [`Trust::sources`] and
    /// makes what it would have decided *could not verify*. `net` fetches
    /// online sources (without it, an online source is read from its cache
    /// or bundle, or is unusable).
    ///
    /// # Errors
    /// [`ConfigError`] for a configuration that is wrong in itself (a
    /// missing file it names, a value that is not a DID): an operator's
    /// mistake, reported before anything runs.
    pub async fn load(
        &self,
        verifier: &Verifier,
        net: Option<&ddcc_resolve::HttpClient>,
        now: DateTime<Utc>,
    ) -> Result<Trust, ConfigError> {
        let mut ctx = Ctx::new(verifier, net, now);
        let mut parts = Vec::new();
        for source in self.sources() {
            parts.push(Box::pin(self.part(source, &mut ctx)).await?);
        }
        Trust::from_parts(parts, ctx.warnings, now)
    }

    /// Reads every source again for a service that keeps running: a
    /// source that now fails (unreachable, tampered, a file gone) keeps
    /// its copy from `previous` while that copy is usable and not stale,
    /// marked with why; a list whose proof fails is never swapped in.
    ///
    /// # Errors
    /// Only when the builtin contexts are broken (a build defect).
    pub async fn refresh(
        &self,
        previous: &Trust,
        verifier: &Verifier,
        net: Option<&ddcc_resolve::HttpClient>,
        now: DateTime<Utc>,
    ) -> Result<Trust, ConfigError> {
        let mut ctx = Ctx::new(verifier, net, now);
        let mut parts = Vec::new();
        for (i, source) in self.sources().into_iter().enumerate() {
            let fresh = match Box::pin(self.part(source, &mut ctx)).await {
                Ok(p) => p,
                Err(e) => Part::new(kind_of(source), name_of(source), now)
                    .unusable(TrustError::Unavailable(e.to_string())),
            };
            let old = previous.parts().get(i);
            let part = match old {
                Some(old) if !fresh.usable() && old.usable() => match old.stale_at(now) {
                    None => {
                        let why = fresh
                            .report
                            .problem
                            .as_ref()
                            .map(|p| p.1.clone())
                            .unwrap_or_default();
                        let mut kept = old.clone();
                        kept.report.fallback = Some(format!(
                            "the copy read at {} is kept: reading it again failed: {why}",
                            old.report.loaded_at.to_rfc3339()
                        ));
                        kept
                    }
                    Some(stale) => old.clone().unusable(TrustError::Expired(stale)),
                },
                _ => fresh,
            };
            parts.push(part);
        }
        Trust::from_parts(parts, ctx.warnings, now)
    }

    async fn part(&self, source: Source<'_>, ctx: &mut Ctx<'_>) -> Result<Part, ConfigError> {
        match source {
            Source::Ddcc(s) => self.ddcc_list(s, ctx).await,
            Source::Gdhcn(s) => self.gdhcn_list(s, ctx).await,
            Source::Dsc(p) => self.dsc_file(p, ctx),
            Source::Shc(s) => self.shc_issuer(s, ctx),
            Source::ShcDirectory(s) => self.shc_directory(s, ctx).await,
            Source::Divoc(s) => self.divoc_key(s, ctx),
        }
    }

    async fn ddcc_list(
        &self,
        src: &DdccListSource,
        ctx: &mut Ctx<'_>,
    ) -> Result<Part, ConfigError> {
        let path = self.path(&src.file);
        let name = path.display().to_string();
        let anchors: Vec<Did> = src
            .anchors
            .iter()
            .map(|a| Did::parse(a).map_err(|_| ConfigError::Invalid(format!("{a} is not a DID"))))
            .collect::<Result<_, _>>()?;
        if anchors.is_empty() {
            return Err(ConfigError::Invalid(format!(
                "the ddcc trust list {name} names no anchor"
            )));
        }
        let mut part = Part::new("ddcc_list", name, ctx.now);
        // Published at a URL: fetched when online; a copy that verifies
        // replaces the file, which is served when the fetch fails.
        let mut fetched = None;
        if let Some(url) = &src.url {
            let got = match ctx.net {
                Some(client) => match client.get_json(url, "application/json").await {
                    Ok((200, doc)) => Ok(doc),
                    Ok((status, _)) => Err(format!("{url} answered HTTP {status}")),
                    Err(e) => Err(ddcc_resolve::fetch_error(&e, "the trust list")),
                },
                None => Err("this verifier has no network access".to_owned()),
            };
            match got {
                Ok(doc) => fetched = Some(doc),
                Err(why) if path.exists() => {
                    part.report.fallback = Some(format!(
                        "served from the cache: the list could not be fetched: {why}"
                    ));
                }
                Err(why) => {
                    return Ok(part.unusable(TrustError::Unavailable(format!(
                        "the trust list could not be fetched and has no cached copy: {why}"
                    ))));
                }
            }
        }
        let from_web = fetched.is_some();
        let doc = match fetched {
            Some(doc) => doc,
            None => read_json(&path)?,
        };
        let list = match Box::pin(TrustList::verify(&doc, &anchors, ctx.verifier)).await {
            Ok(list) => list,
            Err(e) => return Ok(part.unusable(e)),
        };
        if from_web {
            let tmp = path.with_extension("json.tmp");
            if let Err(e) =
                std::fs::write(&tmp, doc.to_string()).and_then(|()| std::fs::rename(&tmp, &path))
            {
                ctx.warnings
                    .push(format!("the fetched trust list could not be cached: {e}"));
            }
        }
        part.report.name = list.name.clone();
        part.report.summary = format!(
            "{} accredited issuer(s), signed by {}",
            list.entries.len(),
            list.anchor
        );
        part.policy = Some(TrustPolicy::List(list));
        Ok(part)
    }

    async fn gdhcn_list(&self, src: &GdhcnSource, ctx: &mut Ctx<'_>) -> Result<Part, ConfigError> {
        let root = Did::parse(&src.root)
            .map_err(|_| ConfigError::Invalid(format!("{} is not a DID", src.root)))?;
        let name = src.name.clone().unwrap_or_else(|| src.root.clone());
        let mut signers = Signers::new();
        for file in &src.signer {
            let path = self.path(file);
            signers
                .add_document(&read_json(&path)?)
                .map_err(|why| ConfigError::File { path, why })?;
        }
        if signers.ids().is_empty() {
            return Err(ConfigError::Invalid(format!(
                "the GDHCN list {name} names no signer document"
            )));
        }
        let contexts = ddcc_assets::ContextRegistry::gdhcn()
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        let folder_of = |folder: &Path| {
            gdhcn::FolderSource::for_did(&root, &self.path(folder))
                .map_err(|e| ConfigError::Invalid(format!("{}: {e}", src.root)))
        };
        let mut part = Part::new("gdhcn", name.clone(), ctx.now);
        part.decides_dscs = true;
        part.max_age = Some(Duration::from_secs(
            src.max_age_hours.unwrap_or(DEFAULT_MAX_AGE_HOURS) * 3600,
        ));
        let now = ctx.now;
        let loaded = match (&src.folder, src.online) {
            (Some(folder), false) => {
                let source = folder_of(folder)?;
                Box::pin(GdhcnList::load(&source, &root, &signers, &contexts, now)).await
            }
            (None, false) => {
                return Err(ConfigError::Invalid(format!(
                    "the GDHCN list {name} needs a folder or online = true"
                )));
            }
            (_, true) => {
                let online = match ctx.net {
                    Some(client) => {
                        let source =
                            gdhcn::WebSource::new(ddcc_resolve::WebResolver::new(client.clone()));
                        Box::pin(GdhcnList::load(&source, &root, &signers, &contexts, now)).await
                    }
                    None => Err(GdhcnError::Fetch {
                        did: src.root.clone(),
                        why: "this verifier has no network access".into(),
                    }),
                };
                match (&online, &src.cache) {
                    (Ok(list), Some(cache)) => {
                        if let Err(e) = list.write_folder(&self.path(cache)) {
                            ctx.warnings
                                .push(format!("the GDHCN list '{name}' could not be cached: {e}"));
                        }
                        online
                    }
                    // Unreachable (not refused): the last good copy.
                    (Err(GdhcnError::Fetch { why, .. }), Some(cache)) => {
                        let source = folder_of(cache)?;
                        let cached =
                            Box::pin(GdhcnList::load(&source, &root, &signers, &contexts, now))
                                .await;
                        if cached.is_ok() {
                            part.report.fallback = Some(format!(
                                "served from the cache: the web could not be reached: {why}"
                            ));
                            cached
                        } else {
                            online
                        }
                    }
                    _ => online,
                }
            }
        };
        let list = match loaded {
            Ok(list) => list,
            Err(e) => {
                let mut p = part.unusable(TrustError::Unavailable(format!(
                    "the GDHCN list '{name}': {e}"
                )));
                // Keep the precise code (tampered, not anchored, …).
                p.report.problem = Some((e.code(), e.to_string()));
                return Ok(p);
            }
        };
        part.report.signed_at = list.signed_at;
        if let Some(stale) = part.stale_at(now) {
            let mut p = part.unusable(TrustError::Expired(format!("the GDHCN list {stale}")));
            p.report.problem = Some(("trust_list_stale", format!("the GDHCN list {stale}")));
            return Ok(p);
        }
        // EU DCC signers: DSC keys with an x5c chain whose kid is the
        // certificate's, the chain checked when it is given.
        let mut refused = 0;
        for key in &list.keys {
            if key.placement.key_usage.as_deref() != Some("DSC") {
                continue;
            }
            let Some(chain) = key.jwk.get("x5c").and_then(Value::as_array) else {
                continue;
            };
            let ders: Vec<Vec<u8>> = chain
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|c| base64::engine::general_purpose::STANDARD.decode(c).ok())
                .collect();
            let Some(leaf) = ders.first() else {
                continue;
            };
            let Ok(dsc) = ddcc_hcert::Dsc::from_der(leaf) else {
                refused += 1;
                continue;
            };
            let kid = base64::engine::general_purpose::STANDARD.encode(dsc.kid());
            let chain_ok = ders.get(1).is_none_or(|ca| check_chain(leaf, ca).is_ok());
            if kid != key.kid || !chain_ok {
                refused += 1;
                ctx.warnings.push(format!(
                    "the GDHCN list '{name}': the signer key {} is refused ({})",
                    key.method,
                    if kid != key.kid {
                        "its kid is not its certificate's"
                    } else {
                        "its certificate chain does not hold"
                    }
                ));
                continue;
            }
            part.dscs.push((
                dsc,
                Vouch {
                    list: name.clone(),
                    jurisdiction: key.placement.participant.clone(),
                    signed_at: list.signed_at,
                },
            ));
        }
        // SMART Health Card issuers: keys in the SHC domain (or of SHC key
        // usage) with an x5c chain, whose leaf certificate names the issuer
        // (`iss`) as its subjectAltName URI, as SMART Health Cards require
        // of keys published with a chain.
        for key in &list.keys {
            let shc_domain = key.placement.domain.as_deref() == Some("SHC")
                || key.placement.key_usage.as_deref() == Some("SHC");
            if !shc_domain {
                continue;
            }
            match shc_issuer_of(&key.jwk) {
                Ok(iss) => {
                    let mut jwk = key.jwk.clone();
                    if let Some(o) = jwk.as_object_mut() {
                        o.remove("x5c");
                    }
                    part.shc.push(ShcKeys {
                        iss,
                        jwks: json!({ "keys": [jwk] }),
                        crls: Vec::new(),
                        vouch: Vouch {
                            list: name.clone(),
                            jurisdiction: key.placement.participant.clone(),
                            signed_at: list.signed_at,
                        },
                    });
                }
                Err(why) => {
                    refused += 1;
                    ctx.warnings.push(format!(
                        "the GDHCN list '{name}': the health card key {} is refused ({why})",
                        key.method
                    ));
                }
            }
        }
        part.decides_shc = true;
        // DID issuers: listed by DID (for the participant's jurisdiction),
        // or by an Ed25519 key.
        let entries: Vec<TrustEntry> = list
            .issuers
            .iter()
            .filter_map(|(did, placement)| {
                Some(TrustEntry {
                    issuer: Did::parse(did).ok()?,
                    credential_types: Vec::new(),
                    jurisdictions: placement
                        .participant
                        .iter()
                        .filter(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_uppercase()))
                        .cloned()
                        .collect(),
                    until: None,
                })
            })
            .collect();
        let keys = list
            .keys
            .iter()
            .filter(|k| {
                k.jwk.get("kty").and_then(Value::as_str) == Some("OKP")
                    && k.jwk.get("crv").and_then(Value::as_str) == Some("Ed25519")
            })
            .filter_map(|k| {
                let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(k.jwk.get("x")?.as_str()?)
                    .ok()?;
                <[u8; 32]>::try_from(x.as_slice()).ok()
            })
            .collect();
        let missing = list.missing.len();
        part.report.summary = format!(
            "{} document(s), {} DID issuer(s), {} EU DCC signer(s), {} health card key(s){}{}",
            list.documents.len(),
            entries.len(),
            part.dscs.len(),
            part.shc.len(),
            if refused > 0 {
                format!(", {refused} signer key(s) refused (kid or chain)")
            } else {
                String::new()
            },
            if missing > 0 {
                format!(", {missing} sub-list(s) unreadable")
            } else {
                String::new()
            }
        );
        let anchor = signers
            .ids()
            .first()
            .and_then(|s| Did::parse(s.split('#').next().unwrap_or(s)).ok())
            .unwrap_or_else(|| root.clone());
        let mut policies = vec![
            TrustPolicy::List(TrustList {
                name: name.clone(),
                anchor,
                valid_until: None,
                entries,
            }),
            TrustPolicy::Did(DidTrustList {
                root: root.clone(),
                documents: Default::default(),
                keys,
            }),
        ];
        if missing > 0 {
            policies.push(TrustPolicy::Unusable(TrustError::Unavailable(format!(
                "{missing} sub-list(s) of the GDHCN list '{name}' could not be read"
            ))));
        }
        part.policy = Some(TrustPolicy::AnyOf(policies));
        Ok(part)
    }

    fn dsc_file(&self, file: &Path, ctx: &mut Ctx<'_>) -> Result<Part, ConfigError> {
        let path = self.path(file);
        let bytes = read_file(&path)?;
        let ders = certificates(&bytes).map_err(|why| ConfigError::File {
            path: path.clone(),
            why,
        })?;
        let mut part = Part::new("eu_dcc", path.display().to_string(), ctx.now);
        for der in ders {
            let dsc = ddcc_hcert::Dsc::from_der(&der).map_err(|e| ConfigError::File {
                path: path.clone(),
                why: format!("not a signer certificate: {e}"),
            })?;
            part.dscs.push((
                dsc,
                Vouch {
                    list: format!("the signer certificate file {}", path.display()),
                    jurisdiction: None,
                    signed_at: None,
                },
            ));
        }
        part.report.summary = format!("{} signer certificate(s)", part.dscs.len());
        Ok(part)
    }

    fn shc_issuer(&self, src: &ShcIssuerSource, ctx: &mut Ctx<'_>) -> Result<Part, ConfigError> {
        let name = src.name.clone().unwrap_or_else(|| src.iss.clone());
        let jwks = read_json(&self.path(&src.jwks))?;
        let mut check = ddcc_shc::Issuers::new();
        check
            .add_jwks(&src.iss, &jwks)
            .map_err(|e| ConfigError::Invalid(format!("the keys of {}: {e}", src.iss)))?;
        let mut crls = Vec::new();
        for crl in &src.crl {
            let crl = read_json(&self.path(crl))?;
            check.add_crl(&src.iss, &crl).map_err(|e| {
                ConfigError::Invalid(format!("the revocation list of {}: {e}", src.iss))
            })?;
            crls.push(crl);
        }
        let mut part = Part::new("shc", name.clone(), ctx.now);
        part.decides_shc = true;
        part.report.summary = format!("issuer {}", src.iss);
        part.shc.push(ShcKeys {
            iss: src.iss.clone(),
            jwks,
            crls,
            vouch: Vouch {
                list: format!("the SMART Health Card issuer entry '{name}'"),
                jurisdiction: None,
                signed_at: None,
            },
        });
        Ok(part)
    }

    async fn shc_directory(
        &self,
        src: &ShcDirectorySource,
        ctx: &mut Ctx<'_>,
    ) -> Result<Part, ConfigError> {
        let file = self.path(&src.file);
        let name = src
            .name
            .clone()
            .unwrap_or_else(|| file.display().to_string());
        let directory = read_json(&file)?;
        let listed: Vec<(String, String)> = directory
            .get("participating_issuers")
            .and_then(Value::as_array)
            .ok_or_else(|| ConfigError::File {
                path: file.clone(),
                why: "not an issuer directory (no participating_issuers list)".into(),
            })?
            .iter()
            .filter_map(|e| {
                let iss = e.get("iss")?.as_str()?.trim_end_matches('/').to_owned();
                let who = e
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(&iss)
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect();
                Some((iss, who))
            })
            .take(MAX_DIRECTORY_ISSUERS)
            .collect();
        let mut part = Part::new("shc_directory", name.clone(), ctx.now);
        part.decides_shc = true;
        part.max_age = Some(Duration::from_secs(
            src.max_age_hours.unwrap_or(DEFAULT_MAX_AGE_HOURS) * 3600,
        ));
        let vouch = |who: &str, at: Option<DateTime<Utc>>| Vouch {
            list: format!("the SMART Health Card issuer directory '{name}' ({who})"),
            jurisdiction: None,
            signed_at: at,
        };
        let bundle_path = src.bundle.as_ref().map(|b| self.path(b));
        let mut fetched: Vec<Value> = Vec::new();
        let mut failed = Vec::new();
        if let (true, Some(client)) = (src.online, ctx.net) {
            for (iss, who) in &listed {
                match fetch_issuer(client, iss).await {
                    Ok((jwks, crls)) => {
                        fetched.push(json!({"iss": iss, "name": who, "jwks": jwks, "crls": crls}))
                    }
                    Err(why) => {
                        part.shc_unfetched.push((iss.clone(), why.clone()));
                        failed.push(format!("{iss}: {why}"));
                    }
                }
            }
        }
        let from_web = src.online && ctx.net.is_some() && !fetched.is_empty();
        let (issuers, at) = if from_web {
            if let Some(b) = &bundle_path {
                let doc = json!({"fetched_at": ctx.now.to_rfc3339(), "issuers": fetched});
                let tmp = b.with_extension("tmp");
                if let Err(e) =
                    std::fs::write(&tmp, doc.to_string()).and_then(|()| std::fs::rename(&tmp, b))
                {
                    ctx.warnings.push(format!(
                        "the issuer bundle of '{name}' could not be written: {e}"
                    ));
                }
            }
            (fetched, Some(ctx.now))
        } else if let Some(b) = &bundle_path {
            let doc = match read_json(b) {
                Ok(d) => d,
                Err(e) if src.online => {
                    return Ok(part.unusable(TrustError::Unavailable(format!(
                        "the issuers of '{name}' could not be fetched ({}) and there is no bundle: {e}",
                        failed.first().cloned().unwrap_or_else(|| "no network access".into())
                    ))));
                }
                Err(e) => return Err(e),
            };
            if src.online {
                part.report.fallback = Some(format!(
                    "served from the bundle: the issuers' keys could not be fetched ({})",
                    failed
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "no network access".into())
                ));
            }
            let at = doc
                .get("fetched_at")
                .and_then(Value::as_str)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc));
            let issuers = doc
                .get("issuers")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            (issuers, at)
        } else if src.online {
            return Ok(part.unusable(TrustError::Unavailable(format!(
                "the issuers of '{name}' could not be fetched: {}",
                failed
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "no network access".into())
            ))));
        } else {
            return Err(ConfigError::Invalid(format!(
                "the issuer directory '{name}' needs online = true or a bundle"
            )));
        };
        part.report.signed_at = at;
        if let Some(stale) = part.stale_at(ctx.now) {
            return Ok(part.unusable(TrustError::Expired(format!("the issuer bundle of {stale}"))));
        }
        // Only issuers the directory lists, whatever the bundle holds.
        for entry in &issuers {
            let (Some(iss), Some(jwks)) =
                (entry.get("iss").and_then(Value::as_str), entry.get("jwks"))
            else {
                continue;
            };
            let Some((_, who)) = listed.iter().find(|(l, _)| l == iss) else {
                continue;
            };
            part.shc.push(ShcKeys {
                iss: iss.to_owned(),
                jwks: jwks.clone(),
                crls: entry
                    .get("crls")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
                vouch: vouch(who, at),
            });
        }
        if !failed.is_empty() && from_web {
            ctx.warnings.push(format!(
                "the keys of {} issuer(s) of '{name}' could not be fetched, first: {}",
                failed.len(),
                failed[0]
            ));
        }
        part.report.summary = format!(
            "{} issuer(s) listed, keys for {}",
            listed.len(),
            part.shc.len()
        );
        Ok(part)
    }

    fn divoc_key(&self, src: &DivocKeySource, ctx: &mut Ctx<'_>) -> Result<Part, ConfigError> {
        let path = self.path(&src.key);
        let text = String::from_utf8(read_file(&path)?).map_err(|_| ConfigError::File {
            path: path.clone(),
            why: "not UTF-8".into(),
        })?;
        let key = ddcc_divoc::PublicKey::parse(&text).map_err(|e| ConfigError::File {
            path: path.clone(),
            why: format!("not a DIVOC key: {e}"),
        })?;
        let name = src.name.clone().unwrap_or_else(|| src.method.clone());
        let mut part = Part::new("divoc", name.clone(), ctx.now);
        for pin in &src.contexts {
            let (url, file) = pin.split_once('=').ok_or_else(|| {
                ConfigError::Invalid(format!("the DIVOC context {pin} is not URL=FILE"))
            })?;
            let file = self.path(Path::new(file));
            let text = String::from_utf8(read_file(&file)?).map_err(|_| ConfigError::File {
                path: file.clone(),
                why: "not UTF-8".into(),
            })?;
            // Pinned (and checked to be a context) when the parts are put
            // together.
            part.divoc_contexts
                .push((url.to_owned(), text, file.display().to_string()));
        }
        part.report.summary = format!("key for {}", src.method);
        part.divoc.push((
            src.method.clone(),
            key,
            Vouch {
                list: format!("the DIVOC keys of {name}"),
                jurisdiction: None,
                signed_at: None,
            },
        ));
        Ok(part)
    }
}

/// The SMART Health Card issuer a key with an x5c chain names: its leaf
/// certificate's subjectAltName URI (an https URL), the chain checked
/// when a CA certificate follows, and the JWK's own key the certificate's.
fn shc_issuer_of(jwk: &Value) -> Result<String, &'static str> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let chain: Vec<Vec<u8>> = jwk
        .get("x5c")
        .and_then(Value::as_array)
        .ok_or("no x5c chain names its issuer")?
        .iter()
        .map(|c| c.as_str().and_then(|c| b64.decode(c).ok()))
        .collect::<Option<_>>()
        .ok_or("its x5c chain is not base64")?;
    let leaf = chain.first().ok_or("its x5c chain is empty")?;
    if jwk.get("kid").and_then(Value::as_str).is_none() {
        return Err("it has no kid");
    }
    let (_, cert) =
        x509_parser::parse_x509_certificate(leaf).map_err(|_| "its certificate is not X.509")?;
    let point = cert.public_key().subject_public_key.data.as_ref();
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let same_key = point.len() == 65
        && jwk.get("x").and_then(Value::as_str) == Some(b64url.encode(&point[1..33]).as_str())
        && jwk.get("y").and_then(Value::as_str) == Some(b64url.encode(&point[33..65]).as_str());
    if !same_key {
        return Err("its key is not its certificate's");
    }
    if let Some(ca) = chain.get(1) {
        check_chain(leaf, ca).map_err(|_| "its certificate chain does not hold")?;
    }
    let san = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .ok_or("its certificate names no issuer (no subjectAltName)")?;
    san.value
        .general_names
        .iter()
        .find_map(|n| match n {
            x509_parser::extensions::GeneralName::URI(u) if u.starts_with("https://") => {
                Some(u.trim_end_matches('/').to_owned())
            }
            _ => None,
        })
        .ok_or("its certificate names no https issuer URI")
}

fn kind_of(source: Source<'_>) -> &'static str {
    match source {
        Source::Ddcc(_) => "ddcc_list",
        Source::Gdhcn(_) => "gdhcn",
        Source::Dsc(_) => "eu_dcc",
        Source::Shc(_) => "shc",
        Source::ShcDirectory(_) => "shc_directory",
        Source::Divoc(_) => "divoc",
    }
}

fn name_of(source: Source<'_>) -> String {
    match source {
        Source::Ddcc(s) => s.file.display().to_string(),
        Source::Gdhcn(s) => s.name.clone().unwrap_or_else(|| s.root.clone()),
        Source::Dsc(p) => p.display().to_string(),
        Source::Shc(s) => s.name.clone().unwrap_or_else(|| s.iss.clone()),
        Source::ShcDirectory(s) => s
            .name
            .clone()
            .unwrap_or_else(|| s.file.display().to_string()),
        Source::Divoc(s) => s.name.clone().unwrap_or_else(|| s.method.clone()),
    }
}

/// An issuer's JWKS from `ISS/.well-known/jwks.json`, and the revocation
/// lists of its keys that advertise a `crlVersion`.
async fn fetch_issuer(
    client: &ddcc_resolve::HttpClient,
    iss: &str,
) -> Result<(Value, Vec<Value>), String> {
    if !iss.starts_with("https://") {
        return Err("the issuer is not an https URL".into());
    }
    let url = format!("{iss}/.well-known/jwks.json");
    let jwks = match client.get_json(&url, "application/json").await {
        Ok((200, v)) => v,
        Ok((s, _)) => return Err(format!("{url} answered HTTP {s}")),
        Err(e) => return Err(ddcc_resolve::fetch_error(&e, "the issuer's keys")),
    };
    let mut check = ddcc_shc::Issuers::new();
    check.add_jwks(iss, &jwks).map_err(|e| e.to_string())?;
    let mut crls = Vec::new();
    for key in jwks
        .get("keys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(kid), Some(_)) = (
            key.get("kid").and_then(Value::as_str),
            key.get("crlVersion"),
        ) else {
            continue;
        };
        if kid.contains(['/', '?', '#', '.']) {
            continue;
        }
        let url = format!("{iss}/.well-known/crl/{kid}.json");
        match client.get_json(&url, "application/json").await {
            Ok((200, crl)) if check.add_crl(iss, &crl).is_ok() => crls.push(crl),
            Ok((s, _)) => return Err(format!("{url} answered HTTP {s} or is not a rid list")),
            Err(e) => return Err(ddcc_resolve::fetch_error(&e, "the revocation list")),
        }
    }
    Ok((jwks, crls))
}
