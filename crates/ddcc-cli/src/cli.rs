//! Command-line layer: clap types, then validated calls into the library.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};

use ddcc::assets::ContextRegistry;
use ddcc::credential::{Checks, Clock, FixedClock, IssueError, Issuer, SystemClock, Verifier};
use ddcc::did::{DidKeyOptions, Representation, resolve_did_key};
use ddcc::keys::{SecretKey, read_secret_key_file, write_secret_key_file};
use ddcc::model::Did;

use crate::io::{read_input, write_output};

/// Issue and verify WHO DDCC vaccination certificates as W3C Verifiable
/// Credentials under DIDs.
#[derive(Debug, Parser)]
#[command(name = "ddcc", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Manage issuer and holder keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Work with DIDs.
    #[command(subcommand)]
    Did(DidCommand),
    /// Issue a vaccination credential from an input record.
    Issue(IssueArgs),
    /// Add an eddsa-rdfc-2022 proof to any JSON-LD document (as the W3C
    /// test suites do); `issue` is the command for certificates.
    Sign(SignArgs),
    /// Verify a credential: exit 0 valid, 1 invalid, 2 could not verify.
    Verify(VerifyArgs),
    /// Run the whole flow with nothing set up: create an issuer, issue the
    /// sample certificate, verify it, and show a tampered copy failing.
    Demo(DemoArgs),
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Generate an Ed25519 key; write it to a new file (mode 0600) and print its DID.
    Generate {
        /// The key file to create (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum DidCommand {
    /// Resolve a DID offline and print its DID document.
    Resolve {
        /// The DID (did:key).
        did: String,
        /// Also derive the X25519 key agreement key.
        #[arg(long)]
        key_agreement: bool,
        /// How to write verification methods.
        #[arg(long, value_enum, default_value_t = Repr::Multikey)]
        representation: Repr,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Repr {
    /// Multikey with publicKeyMultibase (did:key v0.7).
    Multikey,
    /// Ed25519VerificationKey2018 with publicKeyBase58.
    Legacy2018,
    /// JsonWebKey2020 with publicKeyJwk.
    Jwk2020,
}

#[derive(Debug, Args)]
struct IssueArgs {
    /// The issuer's key file.
    #[arg(long)]
    key: PathBuf,
    /// The input record (JSON), or - for standard input.
    #[arg(long)]
    record: PathBuf,
    /// Where to write the credential (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Issuance time, RFC 3339 (default: now).
    #[arg(long)]
    now: Option<String>,
}

#[derive(Debug, Args)]
struct SignArgs {
    /// The signer's key file.
    #[arg(long)]
    key: PathBuf,
    /// The document (JSON-LD), or - for standard input.
    document: PathBuf,
    /// The proof's `created` time, RFC 3339 (default: now).
    #[arg(long)]
    created: Option<String>,
    /// Where to write the signed document (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Pin an extra context: URL=FILE (repeatable).
    #[arg(long = "context", value_name = "URL=FILE")]
    contexts: Vec<String>,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// The credential (JSON), or - for standard input; with --batch, a file
    /// of credentials, one JSON document per line.
    credential: PathBuf,
    /// Verify one credential per line (JSON Lines) on every core; print one
    /// verdict line each and a summary with the rate.
    #[arg(long)]
    batch: bool,
    /// Threads for --batch (default: the number of cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print the verdict as JSON.
    #[arg(long)]
    json: bool,
    /// Verify as of this time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Checks to run, comma-separated: contexts,proof,issuer,validity,schema (default: all).
    #[arg(long, default_value = "all")]
    checks: String,
    /// Tolerated clock skew in seconds.
    #[arg(long, default_value_t = 300)]
    skew: u32,
    /// Pin an extra context: URL=FILE (repeatable).
    #[arg(long = "context", value_name = "URL=FILE")]
    contexts: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Folder to write the demo's files into (default: a new temporary folder).
    #[arg(long)]
    pub(crate) dir: Option<PathBuf>,
}

pub(crate) async fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Key(KeyCommand::Generate { out }) => {
            let key = SecretKey::generate();
            write_secret_key_file(&out, &key)
                .with_context(|| format!("cannot create key file {}", out.display()))?;
            println!("{}", ddcc::did::did_key_for(&key.public_key()));
            Ok(0)
        }
        Command::Did(DidCommand::Resolve {
            did,
            key_agreement,
            representation,
        }) => {
            let did = Did::parse(&did)?;
            let representation = match representation {
                Repr::Multikey => Representation::Multikey,
                Repr::Legacy2018 => Representation::Legacy2018,
                Repr::Jwk2020 => Representation::JsonWebKey2020,
            };
            let options = DidKeyOptions::default()
                .with_encryption_key_derivation(key_agreement)
                .with_representation(representation);
            let doc = resolve_did_key(&did, options)?;
            write_output(
                None,
                &(serde_json::to_string_pretty(&doc.to_json())? + "\n"),
            )?;
            Ok(0)
        }
        Command::Issue(a) => issue(a).await,
        Command::Sign(a) => sign(a).await,
        Command::Verify(a) => verify(a).await,
        Command::Demo(a) => crate::demo::run(a).await,
    }
}

fn parse_time(text: &str, flag: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| {
            format!("{flag} must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z")
        })
}

fn registry_with(pins: &[String]) -> Result<ContextRegistry> {
    let mut registry = ContextRegistry::builtin()?;
    for pin in pins {
        let Some((url, file)) = pin.split_once('=') else {
            bail!("--context takes URL=FILE");
        };
        let text = read_input(Path::new(file))?;
        registry
            .pin(url, &text, &format!("file:{file}"))
            .with_context(|| format!("cannot pin {file}"))?;
    }
    Ok(registry)
}

async fn issue(a: IssueArgs) -> Result<u8> {
    let key = read_secret_key_file(&a.key)
        .with_context(|| format!("cannot use key file {}", a.key.display()))?;
    let now = match &a.now {
        Some(t) => parse_time(t, "--now")?,
        None => Utc::now(),
    };
    let text = read_input(&a.record)?;
    let record: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!(
                "ddcc: record refused: {}",
                IssueError::NotJson {
                    line: e.line(),
                    column: e.column()
                }
            );
            return Ok(1);
        }
    };
    let issuer = Issuer::new(key)?;
    match issuer.issue(&record, now).await {
        Ok(vc) => {
            write_output(
                a.out.as_deref(),
                &(serde_json::to_string_pretty(&vc)? + "\n"),
            )?;
            if let Some(out) = &a.out {
                eprintln!(
                    "issued a DDCCVaccinationCredential by {} to {}",
                    issuer.did(),
                    out.display()
                );
            }
            Ok(0)
        }
        Err(e @ (IssueError::Schema(_) | IssueError::EmptyValidity)) => {
            eprintln!("ddcc: record refused, nothing was signed: {e}");
            Ok(1)
        }
        Err(e) => Err(e.into()),
    }
}

async fn sign(a: SignArgs) -> Result<u8> {
    let key = read_secret_key_file(&a.key)
        .with_context(|| format!("cannot use key file {}", a.key.display()))?;
    let created = match &a.created {
        Some(t) => parse_time(t, "--created")?,
        None => Utc::now(),
    };
    let doc: serde_json::Value =
        serde_json::from_str(&read_input(&a.document)?).context("document is not JSON")?;
    let issuer = Issuer::with_contexts(key, registry_with(&a.contexts)?)?;
    let signed = issuer.sign_document(doc, created).await?;
    write_output(a.out.as_deref(), &serde_json::to_string_pretty(&signed)?)?;
    Ok(0)
}

async fn verify(a: VerifyArgs) -> Result<u8> {
    let checks = Checks::parse(&a.checks).map_err(|name| {
        anyhow::anyhow!(
            "unknown check '{name}' (known: contexts, proof, issuer, validity, schema, all)"
        )
    })?;
    let clock: Box<dyn Clock> = match &a.at {
        Some(t) => Box::new(FixedClock(parse_time(t, "--at")?)),
        None => Box::new(SystemClock),
    };
    let verifier = Verifier::new(registry_with(&a.contexts)?, BoxedClock(clock))?
        .with_skew(chrono::Duration::seconds(i64::from(a.skew)));
    if a.batch {
        return crate::batch::verify_batch(verifier, &a.credential, checks, a.json, a.threads);
    }
    let text = read_input(&a.credential)?;
    let verdict = verifier.verify_str(&text, checks).await;
    if a.json {
        write_output(
            None,
            &(serde_json::to_string_pretty(&verdict.to_json())? + "\n"),
        )?;
    } else {
        write_output(None, &verdict.to_text())?;
    }
    Ok(verdict.exit_code())
}

struct BoxedClock(Box<dyn Clock>);

impl Clock for BoxedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}
