//! `ddcc status revoke|suspend|reinstate|publish`: change a certificate's
//! status in the register and publish the signed status lists.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use clap::{Args, Subcommand};
use ddcc::register::Register;
use ddcc::status::Purpose;

use crate::io::write_output;

/// `ddcc status …`.
#[derive(Debug, Subcommand)]
pub(crate) enum StatusCommand {
    /// Revoke a certificate for good; republish its list.
    Revoke(ChangeArgs),
    /// Suspend a certificate; republish its list.
    Suspend(ChangeArgs),
    /// Lift a suspension; republish its list.
    Reinstate(ChangeArgs),
    /// Sign every status list of the register again and write them out
    /// (lists must be republished before verifiers find them stale).
    Publish(PublishArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ChangeArgs {
    /// The certificate id (HCID).
    #[arg(long)]
    hcid: String,
    #[command(flatten)]
    publish: PublishArgs,
}

#[derive(Debug, Args)]
pub(crate) struct PublishArgs {
    /// The issuer, who signs the lists.
    #[command(flatten)]
    signer: crate::net::SignerArgs,
    /// The issuance register: a SQLite file (default: register.sqlite
    /// next to the key) or a PostgreSQL URL (password from PGPASSWORD).
    #[arg(long, value_name = "FILE|URL")]
    register: Option<String>,
    /// Where to write the signed lists: the directory a web server (or
    /// `ddcc registry serve`) publishes; each list goes to its URL's path.
    #[arg(long)]
    dir: PathBuf,
    /// Seconds the lists stay valid (their validUntil).
    #[arg(long, default_value_t = 86_400)]
    valid_for: u32,
}

/// The register file: the one given, or `register.sqlite` next to the key.
pub(crate) fn register_path(given: Option<&Path>, key: &Path) -> PathBuf {
    match given {
        Some(p) => p.to_owned(),
        None => key
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("register.sqlite"),
    }
}

/// Opens the register at `given` (a file or a `postgres://` URL), or
/// `register.sqlite` next to the key. A missing file is created only when
/// `create` (issuing); changing a status needs a register that exists.
pub(crate) fn open_register(
    given: Option<&str>,
    key: &Path,
    base: &str,
    create: bool,
) -> Result<Register> {
    if let Some(url) = given.filter(|g| ddcc::register::is_postgres_url(g)) {
        if url_has_password(url) {
            bail!(
                "the register URL carries a password; give it in PGPASSWORD instead (a command line is visible to every user)"
            );
        }
        return Register::connect(url, base).context("cannot open the PostgreSQL register");
    }
    if given.is_some_and(|g| g.contains("://")) {
        bail!("--register is a file path or a postgres:// URL");
    }
    let path = register_path(given.map(Path::new), key);
    if !create && !path.exists() {
        bail!(
            "no register at {}: issue with --status-base first",
            path.display()
        );
    }
    Register::open(&path, base)
        .with_context(|| format!("cannot open the register {}", path.display()))
}

/// Whether a URL's user part has a password (`user:pass@`).
fn url_has_password(url: &str) -> bool {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?']).next().unwrap_or(""))
        .and_then(|authority| authority.rsplit_once('@'))
        .is_some_and(|(user, _)| user.contains(':'))
}

/// The digest the register keeps of an issued credential.
pub(crate) fn digest(text: &str) -> String {
    use sha2::Digest as _;
    format!(
        "sha-256:{}",
        hex::encode(sha2::Sha256::digest(text.as_bytes()))
    )
}

pub(crate) async fn run(cmd: StatusCommand) -> Result<u8> {
    let (change, publish) = match &cmd {
        StatusCommand::Revoke(a) => (Some((a, Purpose::Revocation, true)), &a.publish),
        StatusCommand::Suspend(a) => (Some((a, Purpose::Suspension, true)), &a.publish),
        StatusCommand::Reinstate(a) => (Some((a, Purpose::Suspension, false)), &a.publish),
        StatusCommand::Publish(p) => (None, p),
    };
    let signer = ListSigner::of(&publish.signer)?;
    // The base URL is only used to open new lists, which this does not.
    let mut register = open_register(
        publish.register.as_deref(),
        &publish.signer.key,
        "https://unused.invalid",
        false,
    )?;
    if let ListSigner::Bbs(key, _) = &signer {
        register = register.with_issuer(&key.did_key());
    }
    if let Some((a, purpose, set)) = change {
        let url = register.set_status(&a.hcid, purpose, set)?;
        eprintln!(
            "{} {} in {url}",
            match (purpose, set) {
                (Purpose::Revocation, _) => "revoked",
                (_, true) => "suspended",
                _ => "reinstated",
            },
            a.hcid.chars().take(80).collect::<String>()
        );
    }
    let now = Utc::now();
    let until = now + chrono::Duration::seconds(i64::from(publish.valid_for));
    for list in register.lists()? {
        let signed = match &signer {
            ListSigner::Ed25519(issuer) => issuer.sign_status_list(&list, now, Some(until)).await?,
            ListSigner::Bbs(key, suite) => {
                suite.sign_status_list(&list, key, now, Some(until)).await?
            }
        };
        let file = list_file(&publish.dir, &list.url)?;
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        write_output(
            Some(&file),
            &(serde_json::to_string_pretty(&signed)? + "\n"),
        )?;
        eprintln!(
            "published {} ({} set) to {}",
            list.url,
            list.bits.count_set(),
            file.display()
        );
        // Revocation lists also as IETF Token Status Lists, for SD-JWT VC
        // verifiers that read `status.status_list` (an Ed25519 issuer's:
        // a BLS key signs no JWT, and issues no SD-JWT VC).
        if let (ListSigner::Ed25519(issuer), Purpose::Revocation) = (&signer, list.purpose) {
            let url = ddcc::status::token_list_url(&list.url);
            let jwt = issuer.sign_token_status_list(&list, now, Some(until));
            let file = list_file(&publish.dir, &url)?;
            write_output(Some(&file), &(jwt + "\n"))?;
            eprintln!("published {url} (Token Status List) to {}", file.display());
        }
    }
    Ok(0)
}

/// Who signs the lists: an Ed25519 issuer (eddsa-rdfc-2022), or a
/// BLS12-381 issuer (bbs-2023, under its did:key).
enum ListSigner {
    Ed25519(ddcc::credential::Issuer),
    Bbs(
        ddcc::credential::bbs::BbsKeyPair,
        ddcc::credential::bbs::Bbs2023,
    ),
}

impl ListSigner {
    fn of(args: &crate::net::SignerArgs) -> Result<Self> {
        use ddcc::credential::bbs;
        match bbs::BbsKeyPair::read_file(&args.key) {
            Ok(key) => {
                if args.issuer_did.is_some() {
                    bail!(
                        "a BLS12-381 key signs under its did:key; --issuer-did is for Ed25519 keys"
                    );
                }
                let suite = bbs::Bbs2023::new(ddcc::assets::ContextRegistry::builtin()?)?;
                Ok(Self::Bbs(key, suite))
            }
            Err(_) => Ok(Self::Ed25519(args.issuer()?)),
        }
    }
}

/// The file under `dir` for a list URL's path (`https://h/status/x.json`
/// → `dir/status/x.json`); paths that could escape `dir` are refused.
fn list_file(dir: &Path, url: &str) -> Result<PathBuf> {
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, p)| p)
        .context("the list URL has no path")?;
    let mut file = dir.to_owned();
    for s in path.split('/') {
        if s.is_empty() || s == "." || s == ".." || s.contains('\\') {
            bail!("the list URL path cannot be written under the directory");
        }
        file.push(s);
    }
    Ok(file)
}
