//! `ddcc trust list create|add|sign|show`, and the trust policy of `ddcc verify`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use ddcc::credential::Verifier;
use ddcc::credential::trust::{TrustEntry, TrustList, TrustPolicy};
use ddcc::model::Did;

use crate::io::{read_input, write_output};

/// `ddcc trust …`.
#[derive(Debug, Subcommand)]
pub(crate) enum TrustCommand {
    /// Trust lists: accredited issuer DIDs, signed by a trust anchor.
    #[command(subcommand)]
    List(ListCommand),
    /// Read a trust configuration as a checkpoint would, and show every
    /// source: usable or why not, what it holds, when it was signed and
    /// read. Exit 0 when every source is usable, 2 otherwise.
    Check {
        /// The trust configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        net: crate::net::NetArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ListCommand {
    /// Start an unsigned trust list.
    Create {
        /// A name for people.
        #[arg(long)]
        name: String,
        /// The trust anchor DID that will sign it.
        #[arg(long)]
        anchor: String,
        /// When the list starts being usable (RFC 3339; default now).
        #[arg(long)]
        valid_from: Option<String>,
        /// When the list stops being usable (RFC 3339; not before it starts).
        #[arg(long)]
        valid_until: Option<String>,
        /// The list file to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// Add an accredited issuer to an unsigned list (a signed list loses its proof).
    Add {
        /// The list file (rewritten in place).
        #[arg(long)]
        list: PathBuf,
        /// The issuer DID.
        #[arg(long)]
        issuer: String,
        /// Credential types it may issue (repeatable; none = any).
        #[arg(long = "type")]
        types: Vec<String>,
        /// Jurisdictions it issues for, ISO 3166-1 alpha-3 (repeatable; none = any).
        #[arg(long)]
        jurisdiction: Vec<String>,
        /// End of its accreditation (RFC 3339).
        #[arg(long)]
        until: Option<String>,
    },
    /// Sign a list with the anchor's key.
    Sign {
        /// The list file.
        #[arg(long)]
        list: PathBuf,
        /// The anchor, who signs the list.
        #[command(flatten)]
        signer: crate::net::SignerArgs,
        /// Where to write the signed list.
        #[arg(long)]
        out: PathBuf,
    },
    /// Show a list; with --trust-anchor, verify it first.
    Show {
        /// The list file.
        #[arg(long)]
        list: PathBuf,
        /// Anchors to verify it against (repeatable).
        #[arg(long = "trust-anchor")]
        anchors: Vec<String>,
    },
}

fn time(text: &str, flag: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("{flag} must be an RFC 3339 date-time"))
}

fn read_list(path: &Path) -> Result<(serde_json::Value, TrustList)> {
    let doc: serde_json::Value = serde_json::from_str(&read_input(path)?)
        .with_context(|| format!("{} is not JSON", path.display()))?;
    let list = TrustList::read(&doc)?;
    Ok((doc, list))
}

fn valid_from(doc: &serde_json::Value) -> DateTime<Utc> {
    doc.get("validFrom")
        .and_then(serde_json::Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

pub(crate) async fn run(cmd: TrustCommand) -> Result<u8> {
    let cmd = match cmd {
        TrustCommand::List(cmd) => cmd,
        TrustCommand::Check { config, json, net } => return check(&config, json, &net).await,
    };
    match cmd {
        ListCommand::Create {
            name,
            anchor,
            valid_from,
            valid_until,
            out,
        } => {
            let from = valid_from
                .as_deref()
                .map(|t| time(t, "--valid-from"))
                .transpose()?
                .unwrap_or_else(Utc::now);
            let list = TrustList {
                name,
                anchor: Did::parse(&anchor).context("--anchor is not a DID")?,
                valid_until: valid_until
                    .as_deref()
                    .map(|t| time(t, "--valid-until"))
                    .transpose()?,
                entries: Vec::new(),
            };
            if out.exists() {
                bail!("{} exists; not overwriting it", out.display());
            }
            if list.valid_until.is_some_and(|u| u < from) {
                bail!(
                    "--valid-until is before the list starts ({}); give an earlier --valid-from",
                    from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                );
            }
            let doc = list.to_credential(from);
            write_output(Some(&out), &(serde_json::to_string_pretty(&doc)? + "\n"))?;
            Ok(0)
        }
        ListCommand::Add {
            list: path,
            issuer,
            types,
            jurisdiction,
            until,
        } => {
            let (doc, mut list) = read_list(&path)?;
            if doc.get("proof").is_some() {
                eprintln!("the list was signed; the edit removes its proof: sign it again");
            }
            let issuer = Did::parse(&issuer).context("--issuer is not a DID")?;
            list.entries.retain(|e| e.issuer != issuer);
            list.entries.push(TrustEntry {
                issuer,
                credential_types: types,
                jurisdictions: jurisdiction,
                until: until.as_deref().map(|t| time(t, "--until")).transpose()?,
            });
            let out = list.to_credential(valid_from(&doc));
            write_output(Some(&path), &(serde_json::to_string_pretty(&out)? + "\n"))?;
            Ok(0)
        }
        ListCommand::Sign {
            list: path,
            signer,
            out,
        } => {
            let (doc, list) = read_list(&path)?;
            let anchor = signer.issuer()?;
            if anchor.did() != &list.anchor {
                bail!(
                    "the list names the anchor {}, but the key's DID is {}",
                    list.anchor,
                    anchor.did()
                );
            }
            let signed = list.sign(&anchor, valid_from(&doc)).await?;
            write_output(Some(&out), &(serde_json::to_string_pretty(&signed)? + "\n"))?;
            eprintln!(
                "signed the trust list '{}' ({} issuer(s)) as {}",
                list.name,
                list.entries.len(),
                list.anchor
            );
            Ok(0)
        }
        ListCommand::Show {
            list: path,
            anchors,
        } => {
            let (doc, list) = read_list(&path)?;
            if !anchors.is_empty() {
                let anchors: Vec<Did> = anchors
                    .iter()
                    .map(|a| Did::parse(a).with_context(|| format!("{a} is not a DID")))
                    .collect::<Result<_>>()?;
                if let Err(e) = TrustList::verify(&doc, &anchors, &Verifier::builtin()?).await {
                    println!("REFUSED: {e}");
                    return Ok(1);
                }
                println!("VERIFIED: signed by the anchor {}", list.anchor);
            }
            println!("trust list '{}' by {}", list.name, list.anchor);
            if let Some(u) = list.valid_until {
                println!("  valid until {}", u.to_rfc3339());
            }
            for e in &list.entries {
                let any = |v: &[String]| {
                    if v.is_empty() {
                        "any".to_owned()
                    } else {
                        v.join(",")
                    }
                };
                println!(
                    "  {}  types={} jurisdictions={}{}",
                    e.issuer,
                    any(&e.credential_types),
                    any(&e.jurisdictions),
                    e.until
                        .map(|u| format!(" until={}", u.to_rfc3339()))
                        .unwrap_or_default()
                );
            }
            Ok(0)
        }
    }
}

/// `ddcc trust check`.
async fn check(path: &Path, json: bool, net: &crate::net::NetArgs) -> Result<u8> {
    let args = TrustArgs {
        trust: None,
        anchors: Vec::new(),
        config: Some(path.to_owned()),
        require_trust: false,
    };
    let Some(trust) = args.load_config(&Verifier::builtin()?, net).await? else {
        bail!("no configuration");
    };
    let now = Utc::now();
    if json {
        let out = serde_json::json!({
            "all_usable": trust.all_usable(),
            "sources": trust.sources_json(now),
            "warnings": trust.warnings,
        });
        write_output(None, &(serde_json::to_string_pretty(&out)? + "\n"))?;
    } else {
        let mut out = String::new();
        for s in &trust.sources {
            let state = match &s.problem {
                None => "ok  ".to_owned(),
                Some((code, _)) => format!("FAIL {code}"),
            };
            out.push_str(&format!("[{state}] {} '{}'", s.kind, s.name));
            if let Some(t) = s.signed_at {
                out.push_str(&format!(", signed {}", t.to_rfc3339()));
            }
            out.push('\n');
            match &s.problem {
                None => out.push_str(&format!("       {}\n", s.summary)),
                Some((_, why)) => out.push_str(&format!("       {why}\n")),
            }
            if let Some(f) = &s.fallback {
                out.push_str(&format!("       {f}\n"));
            }
        }
        write_output(None, &out)?;
    }
    Ok(if trust.all_usable() { 0 } else { 2 })
}

/// The trust flags of `ddcc verify`.
#[derive(Debug, Args, Clone)]
pub(crate) struct TrustArgs {
    /// Accept only issuers on this trust list: a signed list file, or an
    /// https URL of one (with --online). WHO GDHCN did:web lists go in a
    /// --trust-config, with their signer pinned.
    #[arg(long, value_name = "FILE|URL|DID")]
    pub(crate) trust: Option<String>,
    /// A trust anchor whose signature makes a list file or URL usable (repeatable).
    #[arg(long = "trust-anchor", value_name = "DID")]
    pub(crate) anchors: Vec<String>,
    /// A trust configuration (TOML): the trust lists, GDHCN lists, EU DCC
    /// signers, SMART Health Card issuers and DIVOC keys this checkpoint
    /// trusts, for every format.
    #[arg(long = "trust-config", value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Exit 2 (could not verify) when nobody vouched for the issuer
    /// (no --trust or --trust-config), instead of reporting a genuine
    /// signature from an unchecked issuer.
    #[arg(long)]
    pub(crate) require_trust: bool,
}

impl TrustArgs {
    /// The policy for the verifier, or `None` without --trust. A list that
    /// cannot be used becomes [`TrustPolicy::Unusable`], so that every
    /// verdict says why instead of trusting anyone.
    pub(crate) async fn policy(
        &self,
        verifier: &Verifier,
        net: &crate::net::NetArgs,
    ) -> Result<Option<TrustPolicy>> {
        let Some(source) = &self.trust else {
            if !self.anchors.is_empty() && self.config.is_none() {
                bail!("--trust-anchor needs --trust");
            }
            return Ok(None);
        };
        if source.starts_with("did:") {
            bail!(
                "a did:web trust list (WHO GDHCN) is read through --trust-config, with the signer's DID document pinned ([[gdhcn]] root = \"{}\", signer = [\"signer-did.json\"]): its proofs are verified against a root you name, never trusted because HTTPS served them",
                source
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect::<String>()
            );
        }
        if self.anchors.is_empty() {
            bail!("--trust FILE|URL needs at least one --trust-anchor DID");
        }
        let anchors: Vec<Did> = self
            .anchors
            .iter()
            .map(|a| Did::parse(a).with_context(|| format!("{a} is not a DID")))
            .collect::<Result<_>>()?;
        let doc: serde_json::Value =
            if source.starts_with("https://") || source.starts_with("http://") {
                if !(net.online || net.resolver.is_some()) {
                    bail!("--trust URL needs --online");
                }
                let client = net.policy()?.client()?;
                match client.get_json(source, "application/json").await {
                    Ok((200, doc)) => doc,
                    Ok((status, _)) => {
                        return Ok(Some(TrustPolicy::Unusable(
                            ddcc::credential::trust::TrustError::Unavailable(format!(
                                "the trust list URL answered HTTP {status}"
                            )),
                        )));
                    }
                    Err(e) => {
                        return Ok(Some(TrustPolicy::Unusable(
                            ddcc::credential::trust::TrustError::Unavailable(
                                ddcc::resolve::fetch_error(&e, "the trust list"),
                            ),
                        )));
                    }
                }
            } else {
                let path = PathBuf::from(source);
                serde_json::from_str(&read_input(&path)?)
                    .with_context(|| format!("{} is not JSON", path.display()))?
            };
        Ok(Some(
            match TrustList::verify(&doc, &anchors, verifier).await {
                Ok(list) => TrustPolicy::List(list),
                Err(e) => TrustPolicy::Unusable(e),
            },
        ))
    }
}

impl TrustArgs {
    /// Loads `--trust-config`, when given: every source read and verified
    /// now. Online GDHCN lists are fetched only with --online.
    pub(crate) async fn load_config(
        &self,
        verifier: &Verifier,
        net: &crate::net::NetArgs,
    ) -> Result<Option<std::sync::Arc<ddcc::trust::Trust>>> {
        let Some(path) = &self.config else {
            return Ok(None);
        };
        let config = ddcc::trust::TrustConfig::from_file(path)?;
        if config.is_empty() {
            bail!("{} names no trust source", path.display());
        }
        let client = if config.needs_network() && (net.online || net.resolver.is_some()) {
            Some(net.policy()?.client()?)
        } else {
            None
        };
        let trust = config.load(verifier, client.as_ref(), Utc::now()).await?;
        for w in &trust.warnings {
            eprintln!("warning: {w}");
        }
        for s in &trust.sources {
            if let Some((_, why)) = &s.problem {
                eprintln!(
                    "warning: the trust source '{}' cannot be used: {why}",
                    s.name
                );
            }
        }
        Ok(Some(std::sync::Arc::new(trust)))
    }
}
