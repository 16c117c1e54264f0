//! Command-line layer: clap types, then validated calls into the library.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};

use ddcc::assets::ContextRegistry;
use ddcc::credential::trust::TrustPolicy;
use ddcc::credential::{Checks, Clock, FixedClock, IssueError, Issuer, SystemClock, Verifier};
use ddcc::did::{DidKeyOptions, Representation, resolve_did_key};
use ddcc::keys::{SecretKey, read_secret_key_file, write_secret_key_file};
use ddcc::model::{Did, DidUrl};

use crate::io::{read_input, write_output};

/// Issue and verify WHO DDCC vaccination certificates as W3C Verifiable
/// Credentials under DIDs.
#[derive(Debug, Parser)]
#[command(name = "ddcc", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

impl Cli {
    /// Whether the command serves requests (and wants a thread per core).
    pub(crate) fn is_service(&self) -> bool {
        matches!(self.command, Command::Serve(_))
    }
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
    /// Build a selective-disclosure presentation of an SD-JWT VC, bound to the holder's key.
    Present(PresentArgs),
    /// Verify a credential or SD-JWT presentation: exit 0 valid, 1 invalid, 2 could not verify.
    Verify(Box<VerifyArgs>),
    /// Run the whole flow with nothing set up: create an issuer, issue the
    /// sample certificate, verify it, and show a tampered copy failing.
    Demo(DemoArgs),
    /// Run a DID registry (did:web hosting, Universal Resolver interface).
    #[command(subcommand)]
    Registry(crate::net::RegistryCommand),
    /// Trust lists of accredited issuers.
    #[command(subcommand)]
    Trust(crate::trust::TrustCommand),
    /// Revoke, suspend or reinstate issued certificates; publish status lists.
    #[command(subcommand)]
    Status(crate::status::StatusCommand),
    /// Render a credential or presentation as a QR code (PNG or SVG) in
    /// the compact DDCC1: encoding (or its text as is, with --raw), in the
    /// smallest QR version that holds it.
    Qr(QrArgs),
    /// Print a certificate for someone without a smartphone: a one-page
    /// PDF with the QR of a checkpoint presentation (SD-JWT VC, no key
    /// binding: the holder shows an ID document at the door) or of the
    /// credential, the facts in words, the issuer and the certificate id.
    Print(PrintArgs),
    /// Run the issuer, verifier and resolver as one HTTPS service speaking
    /// the W3C VC API. With no configuration: a fresh did:key issuer, a
    /// SQLite register and a self-signed certificate in --data-dir,
    /// listening on 127.0.0.1:8443. Stops gracefully on SIGTERM / Ctrl-C.
    ///
    /// Credentials are signed with eddsa-rdfc-2022 by the issuer, or with
    /// bbs-2023 (selective disclosure) by a second issuer, a BLS did:key
    /// printed at start and in GET /health ("bbs_issuer"): chosen by
    /// options.cryptosuite "bbs-2023" or by naming that issuer. Status list
    /// URLs are under --public-url.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// A TOML configuration file (data_dir, listen, public_url, tls_cert,
    /// tls_key, plain_http, api_key_file, register, max_body_bytes,
    /// status_list_valid_for, trust_config, allowed_hosts, contexts,
    /// bbs_labels (hmac or structural), the limits:
    /// request_deadline_seconds, work_threads, max_pending_requests,
    /// max_connections, header_read_timeout_seconds, idle_timeout_seconds,
    /// shutdown_grace_seconds); flags override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The address to listen on (default 127.0.0.1:8443).
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Option<std::net::SocketAddr>,
    /// Where the issuer key, register and TLS files live (default ddcc-data).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The URL clients reach the service at (default https://LISTEN).
    #[arg(long)]
    public_url: Option<String>,
    /// A file holding the API key the issuing endpoints require (or set
    /// DDCC_API_KEY). Without one they are off.
    #[arg(long)]
    api_key_file: Option<PathBuf>,
    /// Open the issuing endpoints without an API key, on a loopback
    /// address only: any program on this machine, and any web page a
    /// browser here opens, can then issue. For development and test suites.
    #[arg(long)]
    issue_without_api_key_dangerously: bool,
    /// Time a request has to be answered, in seconds (default 10).
    #[arg(long, value_name = "SECONDS")]
    request_deadline: Option<u32>,
    /// Client connections held at once (default 1024).
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// The issuance register: a SQLite file or a postgres:// URL.
    #[arg(long)]
    register: Option<String>,
    /// Checkpoint rules the checkpoint page applies (a rule set, JSON).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// The trust configuration (TOML): who the checkpoint page and the
    /// verify endpoints accept as issuers, for every format. Without it
    /// the checkpoint page does not run.
    #[arg(long, value_name = "FILE")]
    trust_config: Option<PathBuf>,
    /// Run the checkpoint page with no trust configuration: any genuine
    /// signature is shown as "signature valid, issuer not checked". For
    /// development only.
    #[arg(long, conflicts_with = "trust_config")]
    accept_any_issuer_dangerously: bool,
    /// Pin an extra context for issuing and verifying: URL=FILE
    /// (repeatable; added to the configuration's `contexts`).
    #[arg(long = "context", value_name = "URL=FILE")]
    contexts: Vec<String>,
    /// A TLS certificate chain (PEM, leaf first) to serve instead of the
    /// generated self-signed one; with --key.
    #[arg(long, alias = "tls-cert", value_name = "PEM", requires = "key")]
    cert: Option<PathBuf>,
    /// The private key (PEM) of --cert.
    #[arg(long, alias = "tls-key", value_name = "PEM", requires = "cert")]
    key: Option<PathBuf>,
    /// Serve plain HTTP instead of HTTPS.
    #[arg(long, conflicts_with_all = ["cert", "key"])]
    plain_http: bool,
    /// Log JSON lines instead of text.
    #[arg(long)]
    log_json: bool,
}

async fn serve(a: ServeArgs) -> Result<u8> {
    ddcc_server::init_logging(a.log_json);
    let mut config = match &a.config {
        Some(f) => ddcc_server::Config::from_toml(&read_input(f)?)
            .with_context(|| format!("in {}", f.display()))?,
        None => ddcc_server::Config::default(),
    };
    if let Some(l) = a.listen {
        config.listen = l;
    }
    if let Some(d) = a.data_dir {
        config.data_dir = d;
    }
    if let Some(u) = a.public_url {
        config.public_url = Some(u);
    }
    if let Some(f) = a.api_key_file {
        config.api_key_file = Some(f);
    }
    if let Some(r) = a.register {
        config.register = Some(r);
    }
    if a.issue_without_api_key_dangerously {
        config.issue_without_api_key_dangerously = true;
    }
    config.contexts.extend(a.contexts);
    if let Some(d) = a.request_deadline {
        config.request_deadline_seconds = d;
    }
    if let Some(n) = a.max_connections {
        config.max_connections = n;
    }
    if let (Some(cert), Some(key)) = (a.cert, a.key) {
        config.tls_cert = Some(cert);
        config.tls_key = Some(key);
        config.plain_http = false;
    }
    if a.plain_http {
        config.plain_http = true;
        config.tls_cert = None;
        config.tls_key = None;
    }
    if let Some(r) = a.rules {
        config.rules_file = Some(r);
    }
    if let Some(t) = a.trust_config {
        config.trust_config = Some(t);
        config.accept_any_issuer_dangerously = false;
    }
    if a.accept_any_issuer_dangerously {
        config.accept_any_issuer_dangerously = true;
    }
    if let Ok(k) = std::env::var("DDCC_API_KEY")
        && !k.is_empty()
    {
        config.set_api_key(k);
    }
    let prepared = ddcc_server::prepare(&config).await?;
    eprintln!(
        "ddcc serve: {} (issuer {}, also {}; bbs-2023 issuer {}; issuing: {}; checkpoint: {}){}",
        prepared.public_url,
        prepared.issuer_did,
        prepared.issuer_did_web,
        prepared.bbs_issuer_did,
        prepared.issuer_access,
        prepared.checkpoint,
        prepared
            .ca_file
            .as_ref()
            .map(|f| format!("; trust {}", f.display()))
            .unwrap_or_default()
    );
    let running = prepared.start(None).await?;
    ddcc_server::shutdown_signal().await;
    ddcc_server::flush_logs();
    eprintln!("ddcc serve: shutting down, finishing requests in flight");
    running.stop().await;
    Ok(0)
}

#[derive(Debug, Args)]
struct PrintArgs {
    /// The credential as issued (SD-JWT VC or Data Integrity JSON).
    #[arg(long)]
    credential: PathBuf,
    /// The PDF to write.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct QrArgs {
    /// The credential, presentation or text, or - for standard input.
    #[arg(long = "in")]
    input: PathBuf,
    /// The image to write: .png or .svg.
    #[arg(long)]
    out: PathBuf,
    /// Put the text in the code as it is (an HC1: or shc:/ text, say)
    /// instead of the compact DDCC1: encoding.
    #[arg(long)]
    raw: bool,
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Generate a key; write it to a new file (mode 0600) and print its DID.
    Generate {
        /// The key file to create (never overwritten).
        #[arg(long)]
        out: PathBuf,
        /// Which DID to print for the key.
        #[arg(long, value_enum, default_value_t = DidMethod::Key)]
        method: DidMethod,
        /// The key type: Ed25519 (eddsa-rdfc-2022, SD-JWT, presentations)
        /// or BLS12-381 G2 (bbs-2023 unlinkable selective disclosure).
        #[arg(long = "type", value_enum, default_value_t = KeyType::Ed25519)]
        key_type: KeyType,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum KeyType {
    /// Ed25519.
    Ed25519,
    /// BLS12-381 G2 (did:key zUC7…), for bbs-2023.
    Bls12381g2,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DidMethod {
    /// did:key (Ed25519 Multikey).
    Key,
    /// did:jwk (Ed25519 OKP JWK).
    Jwk,
}

#[derive(Debug, Subcommand)]
enum DidCommand {
    /// Resolve a DID (or dereference a DID URL) and print its DID document
    /// (or verification method). did:key and did:jwk never touch the
    /// network; did:web is fetched over HTTPS unless --offline.
    Resolve {
        /// The DID or DID URL.
        did: String,
        /// did:key: also derive the X25519 key agreement key.
        #[arg(long)]
        key_agreement: bool,
        /// did:key: how to write verification methods.
        #[arg(long, value_enum, default_value_t = Repr::Multikey)]
        representation: Repr,
        #[command(flatten)]
        net: crate::net::NetArgs,
    },
    /// Resolve DIDs now and write their documents to a bundle file that a
    /// verifier can use offline (`ddcc verify --bundle FILE`).
    Bundle {
        /// The DIDs.
        #[arg(required = true)]
        dids: Vec<String>,
        /// The bundle file to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        net: crate::net::NetArgs,
    },
    /// did:web documents.
    #[command(subcommand)]
    Web(WebCommand),
}

#[derive(Debug, Subcommand)]
enum WebCommand {
    /// Write an issuer's did.json into a registry directory and print its DID.
    Init(crate::net::WebInitArgs),
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
pub(crate) struct IssueArgs {
    /// The issuer's key file.
    #[arg(long)]
    pub(crate) key: PathBuf,
    /// The input record (JSON, or a FHIR DDCC:VS QuestionnaireResponse), or - for standard input.
    #[arg(long, required_unless_present = "batch", conflicts_with = "batch")]
    pub(crate) record: Option<PathBuf>,
    /// Issue one credential per line of a JSON Lines file of records,
    /// appending them to --out (required); re-running after an interruption
    /// issues each certificate (by HCID) exactly once.
    #[arg(long, value_name = "FILE", requires = "out")]
    pub(crate) batch: Option<PathBuf>,
    /// Where to write the credential (default: standard output).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Issuance time, RFC 3339 (default: now).
    #[arg(long)]
    pub(crate) now: Option<String>,
    /// Credential format: a Data Integrity VC, or an SD-JWT VC (dc+sd-jwt).
    #[arg(long, value_enum, default_value_t = Format::Di)]
    pub(crate) format: Format,
    /// The holder's DID (an Ed25519 did:key); its key goes into `cnf` (SD-JWT).
    #[arg(long)]
    pub(crate) holder: Option<String>,
    /// Issue under this DID (e.g. the did:web from `ddcc did web init`)
    /// instead of the key's did:key; its document must list the key.
    #[arg(long)]
    pub(crate) issuer_did: Option<String>,
    /// With --issuer-did: the fragment of the signing key's verification method.
    #[arg(long, default_value = "key-1", requires = "issuer_did")]
    pub(crate) key_id: String,
    /// Make the credential revocable and suspendable: status lists are
    /// published under this URL, indexes come from the register.
    #[arg(long, value_name = "URL")]
    pub(crate) status_base: Option<String>,
    /// The issuance register: a SQLite file (default: register.sqlite
    /// next to the key) or a PostgreSQL URL `postgres://user@host/db`
    /// (the password from PGPASSWORD, never on the command line).
    #[arg(long, value_name = "FILE|URL")]
    pub(crate) register: Option<String>,
    /// Issue again a certificate the register says was issued (a lost or
    /// damaged copy), with the same status entries; without it, an HCID is
    /// issued once.
    #[arg(long, conflicts_with = "batch")]
    pub(crate) reissue: bool,
    /// With --batch: signing threads (default: the number of cores).
    #[arg(long, requires = "batch")]
    pub(crate) threads: Option<usize>,
    /// With --format bbs: how blank nodes are labelled. `hmac` (the
    /// default) is the specification's shuffle, which any bbs-2023 holder
    /// derives from, and which links presentations of one credential;
    /// `structural` makes them indistinguishable from those of other
    /// credentials with the same disclosed values, but only ddcc holders
    /// derive from it.
    #[arg(long, value_enum, default_value_t = BbsLabels::Hmac)]
    pub(crate) bbs_labels: BbsLabels,
}

/// How a bbs-2023 credential's blank nodes are labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum BbsLabels {
    /// By the objects' places in the credential.
    Structural,
    /// The specification's HMAC shuffle under a fresh key.
    Hmac,
}

impl From<BbsLabels> for ddcc::credential::bbs::Labels {
    fn from(l: BbsLabels) -> Self {
        match l {
            BbsLabels::Structural => Self::Structural,
            BbsLabels::Hmac => Self::Hmac(None),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// VC 2.0 with a Data Integrity eddsa-rdfc-2022 proof.
    Di,
    /// SD-JWT VC: every subject claim selectively disclosable.
    SdJwt,
    /// VC 2.0 with a bbs-2023 base proof: the holder derives an unlinkable
    /// credential revealing chosen members for each presentation.
    Bbs,
}

#[derive(Debug, Args)]
struct PresentArgs {
    /// The SD-JWT VC the holder received (issuance form); with --format di,
    /// the Data Integrity credentials to present (repeatable).
    #[arg(long, required = true)]
    credential: Vec<PathBuf>,
    /// sd-jwt: a selective-disclosure presentation; di: a signed VerifiablePresentation.
    #[arg(long, value_enum, default_value_t = Format::SdJwt)]
    format: Format,
    /// di: the verifier's challenge.
    #[arg(long)]
    challenge: Option<String>,
    /// di: the verifier's domain.
    #[arg(long)]
    domain: Option<String>,
    /// A disclosure profile (checkpoint, travel, identity-bound, continuity-of-care).
    #[arg(long, conflicts_with_all = ["reveal", "purpose"])]
    profile: Option<String>,
    /// Reveal exactly these claim paths (JSON Pointers), instead of a profile.
    #[arg(long, conflicts_with = "purpose")]
    reveal: Vec<String>,
    /// The verifier's stated purpose: the smallest profile serving it is used.
    #[arg(long)]
    purpose: Option<String>,
    /// With --purpose: claim paths the verifier requires.
    #[arg(long)]
    require: Vec<String>,
    /// The holder's key file (signs the Key Binding JWT).
    #[arg(long)]
    holder_key: Option<PathBuf>,
    /// di: the holder DID to present as: the did:key (default) or the
    /// did:jwk of --holder-key.
    #[arg(long, requires = "holder_key")]
    holder: Option<String>,
    /// The verifier (KB-JWT aud).
    #[arg(long, requires = "holder_key")]
    aud: Option<String>,
    /// The verifier's nonce (KB-JWT nonce).
    #[arg(long, requires = "holder_key")]
    nonce: Option<String>,
    /// Where to write the presentation (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write it as a QR code (.png or .svg, compact DDCC1: encoding)
    /// for the checkpoint to scan.
    #[arg(long, value_name = "FILE")]
    qr: Option<PathBuf>,
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
    /// The Data Integrity cryptosuite: eddsa-rdfc-2022 (RDF, the default)
    /// or eddsa-jcs-2022 (the JSON itself, RFC 8785).
    #[arg(long, value_enum, default_value_t = Cryptosuite::EddsaRdfc2022)]
    cryptosuite: Cryptosuite,
}

/// The Ed25519 Data Integrity cryptosuites `ddcc sign` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Cryptosuite {
    /// eddsa-rdfc-2022: the document's RDF, canonicalized (RDFC-1.0).
    #[value(name = "eddsa-rdfc-2022")]
    EddsaRdfc2022,
    /// eddsa-jcs-2022: the document's JSON, canonicalized (RFC 8785).
    #[value(name = "eddsa-jcs-2022")]
    EddsaJcs2022,
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
    /// SD-JWT: the audience the Key Binding JWT must name (implies holder binding).
    #[arg(long)]
    aud: Option<String>,
    /// SD-JWT: the nonce the Key Binding JWT must carry (implies holder binding).
    #[arg(long)]
    nonce: Option<String>,
    /// SD-JWT: refuse presentations without a Key Binding JWT.
    #[arg(long)]
    require_holder_binding: bool,
    /// SD-JWT: print the disclosed claims (personal data) with the verdict.
    #[arg(long)]
    show_claims: bool,
    /// The input is a photo or screenshot (PNG, JPEG) of a QR code: read
    /// the code(s) and verify what they hold (format detected).
    #[arg(long)]
    qr: bool,
    /// Checkpoint rules (a rule set, JSON, e.g. rules/eu-reference-1.0.0.json)
    /// the certificate must also meet at --at; the verdict names the rule
    /// that failed.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// EU DCC: a signer certificate (DSC) to trust, PEM (one or more) or
    /// DER (repeatable); the certificate's key id picks it.
    #[arg(long, value_name = "FILE")]
    dsc: Vec<PathBuf>,
    /// SMART Health Card: an issuer and its keys, ISS=JWKS_FILE (the JWKS
    /// the issuer publishes at ISS/.well-known/jwks.json; repeatable).
    #[arg(long = "shc-issuer", value_name = "ISS=FILE")]
    shc_issuers: Vec<String>,
    /// SMART Health Card: a revocation list of an issuer's key,
    /// ISS=CRL_FILE (repeatable).
    #[arg(long = "shc-crl", value_name = "ISS=FILE")]
    shc_crls: Vec<String>,
    /// SMART Health Card: a card whose issuer publishes a revocation list
    /// for its key, and none was given, is could not verify (exit 2)
    /// instead of valid with "revocation not checked".
    #[arg(long)]
    require_revocation_check: bool,
    /// DIVOC: a deployment's public key, METHOD=FILE, where METHOD is the
    /// proof's verificationMethod (e.g. did:india) and FILE a PEM, JWK or
    /// base58 Ed25519 key (repeatable). DIVOC's contexts are pinned with
    /// --context.
    #[arg(long = "divoc-key", value_name = "METHOD=FILE")]
    divoc_keys: Vec<String>,
    /// Presentation: the challenge this verifier issued.
    #[arg(long)]
    challenge: Option<String>,
    /// Presentation: this verifier's domain.
    #[arg(long)]
    domain: Option<String>,
    #[command(flatten)]
    net: crate::net::NetArgs,
    #[command(flatten)]
    trust: crate::trust::TrustArgs,
    #[command(flatten)]
    status: crate::net::StatusArgs,
    /// The trust configuration, once loaded.
    #[arg(skip)]
    loaded_trust: Option<std::sync::Arc<ddcc::trust::Trust>>,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Folder to write the demo's files into (default: a new temporary folder).
    #[arg(long)]
    pub(crate) dir: Option<PathBuf>,
}

pub(crate) async fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Key(KeyCommand::Generate {
            out,
            method,
            key_type: KeyType::Bls12381g2,
        }) => {
            if !matches!(method, DidMethod::Key) {
                bail!("a BLS12-381 G2 key is named by its did:key (--method key)");
            }
            let key = ddcc::credential::bbs::BbsKeyPair::generate()?;
            key.write_file(&out)
                .with_context(|| format!("cannot create key file {}", out.display()))?;
            println!("{}", key.did_key());
            Ok(0)
        }
        Command::Key(KeyCommand::Generate { out, method, .. }) => {
            let key = SecretKey::generate();
            write_secret_key_file(&out, &key)
                .with_context(|| format!("cannot create key file {}", out.display()))?;
            match method {
                DidMethod::Key => println!("{}", ddcc::did::did_key_for(&key.public_key())),
                DidMethod::Jwk => println!("{}", ddcc::did::did_jwk_for(&key.public_key())),
            }
            Ok(0)
        }
        Command::Did(DidCommand::Resolve {
            did,
            key_agreement,
            representation,
            net,
        }) => {
            let url = DidUrl::parse(&did)?;
            let did = url.did();
            let representation = match representation {
                Repr::Multikey => Representation::Multikey,
                Repr::Legacy2018 => Representation::Legacy2018,
                Repr::Jwk2020 => Representation::JsonWebKey2020,
            };
            let options = DidKeyOptions::default()
                .with_encryption_key_derivation(key_agreement)
                .with_representation(representation);
            let built = net.build(true)?;
            let (doc, note) = match did.method() {
                "key" => (resolve_did_key(&did, options)?, String::new()),
                _ => {
                    let r = ddcc::did::DidResolver::resolve(&*built.resolver, &did).await?;
                    let note = r.describe();
                    ((*r.document).clone(), note)
                }
            };
            built.save()?;
            if !note.is_empty() {
                eprintln!("{note}");
            }
            let out = match url.fragment() {
                None => doc.to_json(),
                Some(_) => {
                    let Some(m) = doc.method(url.as_str()) else {
                        bail!(
                            "the DID document has no verification method {}",
                            url.as_str()
                        );
                    };
                    let mut o = serde_json::Map::new();
                    o.insert("id".into(), m.id.as_str().into());
                    o.insert("type".into(), m.method_type.as_str().into());
                    o.insert("controller".into(), m.controller.as_str().into());
                    for (k, v) in &m.properties {
                        o.insert(k.clone(), v.clone());
                    }
                    serde_json::Value::Object(o)
                }
            };
            write_output(None, &(serde_json::to_string_pretty(&out)? + "\n"))?;
            Ok(0)
        }
        Command::Did(DidCommand::Bundle { dids, out, net }) => {
            crate::net::bundle(&dids, &out, &net).await
        }
        Command::Did(DidCommand::Web(WebCommand::Init(a))) => crate::net::web_init(&a),
        Command::Registry(crate::net::RegistryCommand::Serve(a)) => crate::net::serve(&a).await,
        Command::Trust(c) => crate::trust::run(c).await,
        Command::Status(c) => crate::status::run(c).await,
        Command::Issue(a) => issue(a).await,
        Command::Sign(a) => sign(a).await,
        Command::Verify(a) => verify(*a).await,
        Command::Present(a) if a.format == Format::Bbs => present_bbs(&a).await,
        Command::Present(a) => present(a),
        Command::Demo(a) => crate::demo::run(a).await,
        Command::Qr(a) => qr(&a),
        Command::Print(a) => print_card(&a).await,
        Command::Serve(a) => serve(a).await,
    }
}

fn qr(a: &QrArgs) -> Result<u8> {
    let text = read_input(&a.input)?;
    let content = if a.raw {
        text.trim().to_owned()
    } else {
        ddcc::qr::encode_compact(text.trim())
    };
    write_qr(&content, &a.out)?;
    Ok(0)
}

/// The printable card: the credential is checked first (a card is never
/// printed for a credential that does not verify as issued).
async fn print_card(a: &PrintArgs) -> Result<u8> {
    let text = read_input(&a.credential)?;
    let text = text.trim();
    let (subject, issuer, qr_text, what) = if text.starts_with('{') {
        let vc: serde_json::Value =
            serde_json::from_str(text).context("the credential is not JSON")?;
        // Its proof, issuer binding, contexts and schema: a card is never
        // printed for a credential that does not verify as issued.
        let verdict = Verifier::builtin()?
            .verify(
                &vc,
                Checks::only(&[
                    ddcc::credential::Check::Contexts,
                    ddcc::credential::Check::Proof,
                    ddcc::credential::Check::Issuer,
                    ddcc::credential::Check::Schema,
                ]),
            )
            .await;
        if !verdict.is_valid() {
            bail!(
                "the credential does not verify; no card is printed:\n{}",
                verdict.to_text()
            );
        }
        let issuer = vc["issuer"].as_str().unwrap_or("").to_owned();
        let compact = serde_json::to_string(&vc)?;
        (
            vc["credentialSubject"].clone(),
            issuer,
            ddcc::qr::encode_compact(&compact),
            "the credential",
        )
    } else {
        let mut options = ddcc::sd::VerifyOptions::at(Utc::now().timestamp());
        options.require_key_binding = false;
        let verified = ddcc::credential::sdjwt::verify_sd_jwt_vc(text, &options)
            .context("the SD-JWT VC does not verify; no card is printed")?;
        let sd = ddcc::sd::IssuedSdJwt::from_text(text);
        let profile = ddcc::credential::sdjwt::builtin_profiles()
            .into_iter()
            .find(|p| p.name == "checkpoint")
            .context("no checkpoint profile")?;
        let presentation = ddcc::sd::present(&sd, &profile.reveal, None)?;
        let issuer = verified.claims["iss"].as_str().unwrap_or("").to_owned();
        (
            verified.claims,
            issuer,
            ddcc::qr::encode_compact(&presentation),
            "a checkpoint presentation",
        )
    };
    let facts = ddcc::model::words::facts_of(&subject, &issuer);
    let (title, kind) = (facts.title, facts.kind);
    let card = ddcc::qr::card::Card {
        title: title.into(),
        facts: facts.lines,
        qr_text,
    };
    let (pdf, version) = ddcc::qr::card::render_card_pdf(&card)?;
    crate::io::write_bytes(Some(&a.out), &pdf)?;
    eprintln!(
        "printed a {kind} card with {what} as QR version {version} to {}",
        a.out.display()
    );
    Ok(0)
}

/// Renders `content` as the smallest QR code into `out` (.png or .svg) and
/// says which version it took.
fn write_qr(content: &str, out: &Path) -> Result<()> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let rendered = match ext.as_deref() {
        Some("png") => ddcc::qr::render_png(content),
        Some("svg") => ddcc::qr::render_svg(content),
        _ => bail!("a QR file must end in .png or .svg"),
    }?;
    crate::io::write_bytes(Some(out), &rendered.bytes)?;
    eprintln!(
        "QR version {} ({}×{} modules, error correction {}), {} characters, to {}",
        rendered.version,
        rendered.modules,
        rendered.modules,
        rendered.level,
        content.len(),
        out.display()
    );
    Ok(())
}

fn parse_time(text: &str, flag: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| {
            format!("{flag} must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z")
        })
}

fn registry_with(pins: &[String]) -> Result<ContextRegistry> {
    pin_into(ContextRegistry::builtin()?, pins)
}

/// `registry` with the `--context URL=FILE` pins added.
fn pin_into(mut registry: ContextRegistry, pins: &[String]) -> Result<ContextRegistry> {
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
    if a.format == Format::Bbs {
        return issue_bbs(&a).await;
    }
    let key = read_secret_key_file(&a.key)
        .with_context(|| format!("cannot use key file {}", a.key.display()))?;
    let now = match &a.now {
        Some(t) => parse_time(t, "--now")?,
        None => Utc::now(),
    };
    if let Some(batch) = &a.batch {
        return crate::issue_batch::run(&a, batch, key, now).await;
    }
    let Some(record_path) = &a.record else {
        bail!("--record or --batch is required");
    };
    let Some(record) = read_record(record_path)? else {
        return Ok(1);
    };
    let mut issuer = Issuer::new(key)?;
    if let Some((did, method)) = crate::net::issuer_identity(a.issuer_did.as_deref(), &a.key_id)? {
        if a.format == Format::SdJwt {
            bail!(
                "--issuer-did is for Data Integrity credentials; SD-JWT VCs are issued under the key's did:key"
            );
        }
        issuer = issuer.with_did(did, method)?;
    }
    // A Data Integrity credential names its holder as the subject's id (an
    // SD-JWT VC binds the holder's key in cnf instead).
    let mut record = record;
    if let Some(h) = a.holder.as_ref().filter(|_| a.format == Format::Di) {
        Did::parse(h)?;
        if let Some(subject) = record.get_mut("subject").and_then(|s| s.as_object_mut()) {
            subject.insert("id".into(), serde_json::Value::from(h.as_str()));
        }
    }
    let mut register = None;
    let mut entries = Vec::new();
    let mut reissue = false;
    if let Some(base) = &a.status_base {
        // Refuse a bad record before anything is registered.
        if let Err(e @ (IssueError::Schema(_) | IssueError::EmptyValidity)) =
            issuer.credential_from_record(&record, now)
        {
            eprintln!("ddcc: record refused, nothing was signed: {e}");
            return Ok(1);
        }
        let reg = crate::status::open_register(a.register.as_deref(), &a.key, base, true)?;
        let Some(r) = reserve_status(&a, reg, &record)? else {
            return Ok(1);
        };
        reissue = r.reissue;
        entries = r.entries;
        register = Some((r.register, r.hcid));
    }
    if a.format == Format::SdJwt {
        let holder = match &a.holder {
            Some(h) => {
                let did = Did::parse(h)?;
                Some(
                    ddcc::did::ed25519_key_of(&did)
                        .context("--holder must be an Ed25519 did:key or did:jwk")?,
                )
            }
            None => None,
        };
        return match issuer.issue_sd_jwt_with_status(
            &record,
            now,
            holder.as_ref(),
            &entries,
            &mut ddcc::sd::OsSalts,
        ) {
            Ok(sd) => {
                let text = format!("{}\n", sd.as_str());
                write_output(a.out.as_deref(), &text)?;
                if let Some((mut reg, hcid)) = register {
                    record_issued(&mut reg, &hcid, &text, now, reissue)?;
                }
                Ok(0)
            }
            Err(e @ (IssueError::Schema(_) | IssueError::EmptyValidity)) => {
                eprintln!("ddcc: record refused, nothing was signed: {e}");
                Ok(1)
            }
            Err(e) => Err(e.into()),
        };
    }
    match issuer.issue_with_status(&record, now, &entries).await {
        Ok(vc) => {
            let text = serde_json::to_string_pretty(&vc)? + "\n";
            write_output(a.out.as_deref(), &text)?;
            if let Some((mut reg, hcid)) = register {
                record_issued(&mut reg, &hcid, &text, now, reissue)?;
            }
            if let Some(out) = &a.out {
                let ty = vc
                    .get("type")
                    .and_then(serde_json::Value::as_array)
                    .and_then(|t| t.last())
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("credential");
                eprintln!("issued a {ty} by {} to {}", issuer.did(), out.display());
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

/// A certificate's status entries, reserved in the register.
struct Reserved {
    register: ddcc::register::Register,
    hcid: String,
    entries: Vec<ddcc::status::StatusEntry>,
    /// The register says it was issued and `--reissue` was given.
    reissue: bool,
}

/// Reserves the record's revocation and suspension entries in `register`
/// (`--status-base`); `None` when the register refuses (said on standard
/// error, nothing signed).
fn reserve_status(
    a: &IssueArgs,
    mut register: ddcc::register::Register,
    record: &serde_json::Value,
) -> Result<Option<Reserved>> {
    let hcid = record
        .pointer("/subject/certificate/hcid")
        .and_then(serde_json::Value::as_str)
        .context("the record has no subject.certificate.hcid")?
        .to_owned();
    let kind = record
        .get("subject")
        .and_then(ddcc::model::vocab::CredentialKind::of_subject)
        .unwrap_or(ddcc::model::vocab::CredentialKind::Vaccination);
    let r = register.reserve(
        &hcid,
        kind.credential_type(),
        &[
            ddcc::status::Purpose::Revocation,
            ddcc::status::Purpose::Suspension,
        ],
        &mut rand_core::OsRng,
    )?;
    if r.held_elsewhere {
        eprintln!("ddcc: another issuing process holds this certificate id; nothing was signed");
        return Ok(None);
    }
    if r.issued_digest.is_some() && !a.reissue {
        eprintln!(
            "ddcc: the register says this certificate id was already issued; nothing was signed (a certificate is issued once; --reissue replaces a lost copy)"
        );
        return Ok(None);
    }
    Ok(Some(Reserved {
        register,
        hcid,
        reissue: r.issued_digest.is_some(),
        entries: r.entries,
    }))
}

/// Reads an input record (JSON, or a FHIR DDCC:VS QuestionnaireResponse).
/// A record that is not usable is refused on standard error (`None`).
fn read_record(path: &Path) -> Result<Option<serde_json::Value>> {
    match serde_json::from_str(&read_input(path)?) {
        Ok(v) => match crate::issue_batch::from_fhir(v) {
            Ok(r) => Ok(Some(r)),
            Err(why) => {
                eprintln!("ddcc: record refused: {why}");
                Ok(None)
            }
        },
        Err(e) => {
            eprintln!(
                "ddcc: record refused: {}",
                IssueError::NotJson {
                    line: e.line(),
                    column: e.column()
                }
            );
            Ok(None)
        }
    }
}

/// Issues a bbs-2023 credential under the BLS12-381 key's did:key.
async fn issue_bbs(a: &IssueArgs) -> Result<u8> {
    use ddcc::credential::bbs;
    if a.batch.is_some() || a.issuer_did.is_some() || a.holder.is_some() {
        bail!(
            "--format bbs issues one record under the key's did:key (no --batch, --issuer-did or --holder yet)"
        );
    }
    if a.reissue && a.status_base.is_none() {
        bail!("--reissue needs the register: give --status-base");
    }
    let key = bbs::BbsKeyPair::read_file(&a.key)
        .with_context(|| format!("cannot use key file {}", a.key.display()))?;
    let now = match &a.now {
        Some(t) => parse_time(t, "--now")?,
        None => Utc::now(),
    };
    let Some(record_path) = &a.record else {
        bail!("--record is required");
    };
    let Some(record) = read_record(record_path)? else {
        return Ok(1);
    };
    let mut vc = match bbs::credential_from_record(&record, now, &key.did_key()) {
        Ok(vc) => vc,
        Err(e @ (IssueError::Schema(_) | IssueError::EmptyValidity)) => {
            eprintln!("ddcc: record refused, nothing was signed: {e}");
            return Ok(1);
        }
        Err(e) => return Err(e.into()),
    };
    // Status entries: the register keeps this issuer's lists apart from
    // an Ed25519 issuer's sharing it. The index is revealed with every
    // presentation (a verifier must read it), so it links them.
    let mut reserved = None;
    if let Some(base) = &a.status_base {
        let reg = crate::status::open_register(a.register.as_deref(), &a.key, base, true)?
            .with_issuer(&key.did_key());
        let Some(r) = reserve_status(a, reg, &record)? else {
            return Ok(1);
        };
        if let Some(o) = vc.as_object_mut() {
            ddcc::credential::insert_status(o, &r.entries);
        }
        reserved = Some(r);
    }
    let suite = bbs::Bbs2023::new(ContextRegistry::builtin()?)?;
    let mandatory = bbs::default_mandatory_pointers(&vc);
    let created = bbs::issuance_day(now).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let signed = suite
        .sign_base(&vc, &key, &mandatory, Some(&created), a.bbs_labels.into())
        .await?;
    let text = serde_json::to_string_pretty(&signed)? + "\n";
    write_output(a.out.as_deref(), &text)?;
    if let Some(mut r) = reserved {
        record_issued(&mut r.register, &r.hcid, &text, now, r.reissue)?;
    }
    if let Some(out) = &a.out {
        eprintln!(
            "issued a bbs-2023 base credential by {} to {} (for the holder only: verifiers get derived credentials from `ddcc present --format bbs`)",
            key.did_key(),
            out.display()
        );
    }
    Ok(0)
}

/// A bbs-2023 derived credential revealing a profile or chosen pointers.
async fn present_bbs(a: &PresentArgs) -> Result<u8> {
    use ddcc::credential::bbs;
    if a.credential.len() != 1 {
        bail!("a bbs-2023 derivation takes exactly one --credential");
    }
    if a.holder_key.is_some() || a.purpose.is_some() {
        bail!("--format bbs takes --profile or --reveal (bbs-2023 baseline has no holder binding)");
    }
    let path = &a.credential[0];
    let signed: serde_json::Value = serde_json::from_str(&read_input(path)?)
        .with_context(|| format!("{} is not JSON", path.display()))?;
    let pointers: Vec<String> = if let Some(name) = &a.profile {
        let profiles = ddcc::credential::sdjwt::builtin_profiles();
        let p = profiles
            .iter()
            .find(|p| &p.name == name)
            .with_context(|| format!("no disclosure profile named '{name}'"))?;
        bbs::profile_pointers(&signed, &p.reveal)
    } else if !a.reveal.is_empty() {
        a.reveal.clone()
    } else {
        bail!("say what to reveal: --profile or --reveal (JSON Pointers into the credential)");
    };
    // The presentation header binds the proof to this presentation: the
    // verifier's challenge when given, otherwise fresh random bytes.
    let presentation_header = match &a.challenge {
        Some(c) => c.as_bytes().to_vec(),
        None => {
            let mut h = vec![0u8; 32];
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut h);
            h
        }
    };
    let suite = bbs::Bbs2023::new(ContextRegistry::builtin()?)?;
    let derived = suite
        .derive(
            &signed,
            &bbs::DeriveOptions {
                selective_pointers: pointers,
                presentation_header,
            },
        )
        .await?;
    write_output(
        a.out.as_deref(),
        &(serde_json::to_string_pretty(&derived)? + "\n"),
    )?;
    if let Some(qr) = &a.qr {
        write_qr(
            &ddcc::qr::encode_compact(&serde_json::to_string(&derived)?),
            qr,
        )?;
    }
    Ok(0)
}

/// Records in the register that `hcid` was written out as `text`.
fn record_issued(
    reg: &mut ddcc::register::Register,
    hcid: &str,
    text: &str,
    now: chrono::DateTime<Utc>,
    reissue: bool,
) -> Result<()> {
    let digest = crate::status::digest(text);
    if reissue {
        reg.mark_reissued(hcid, &digest, &now.to_rfc3339())?;
    } else {
        reg.mark_issued(hcid, &digest, &now.to_rfc3339())?;
    }
    Ok(())
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
    let signed = match a.cryptosuite {
        Cryptosuite::EddsaRdfc2022 => issuer.sign_document(doc, created).await?,
        Cryptosuite::EddsaJcs2022 => issuer.sign_document_jcs(doc, created).await?,
    };
    write_output(a.out.as_deref(), &serde_json::to_string_pretty(&signed)?)?;
    Ok(0)
}

async fn verify(mut a: VerifyArgs) -> Result<u8> {
    let checks = Checks::parse(&a.checks).map_err(|name| {
        anyhow::anyhow!(
            "unknown check '{name}' (known: contexts, proof, issuer, validity, schema, all)"
        )
    })?;
    let clock: Box<dyn Clock> = match &a.at {
        Some(t) => Box::new(FixedClock(parse_time(t, "--at")?)),
        None => Box::new(SystemClock),
    };
    if a.batch && (a.net.online || a.net.resolver.is_some()) {
        bail!("--batch resolves DIDs offline: run `ddcc did bundle` first and pass --bundle FILE");
    }
    let built = a.net.build(false)?;
    let mut verifier = Verifier::new(registry_with(&a.contexts)?, BoxedClock(clock))?
        .with_skew(chrono::Duration::seconds(i64::from(a.skew)))
        .with_resolver(built.resolver.clone())
        .with_status_lists(
            a.status.lists(&a.net)?,
            chrono::Duration::seconds(i64::from(a.status.status_max_age)),
        );
    let listed = a.trust.policy(&verifier, &a.net).await?;
    a.loaded_trust = a.trust.load_config(&verifier, &a.net).await?;
    let policy = match (listed, &a.loaded_trust) {
        (Some(l), Some(t)) => Some(TrustPolicy::AnyOf(vec![l, t.policy.clone()])),
        (Some(l), None) => Some(l),
        (None, Some(t)) => Some(t.policy.clone()),
        (None, None) => None,
    };
    if let Some(policy) = policy {
        verifier = verifier.with_trust(policy);
    }
    if a.batch {
        return crate::batch::verify_batch(verifier, &a.credential, checks, a.json, a.threads);
    }
    let code = verify_one(&a, &verifier, checks).await;
    built.save()?;
    code
}

async fn verify_one(a: &VerifyArgs, verifier: &Verifier, checks: Checks) -> Result<u8> {
    if a.qr {
        let bytes = crate::io::read_limited(&a.credential, ddcc::qr::MAX_IMAGE_BYTES)?;
        let contents = match ddcc::qr::read_image_bytes(&bytes) {
            Ok(t) => t,
            Err(e) => {
                let out = crate::checkpoint::unreadable(&e.to_string(), a.json)?;
                write_output(None, &out)?;
                return Ok(2);
            }
        };
        let mut texts = Vec::new();
        let mut worst = 0;
        for content in contents {
            // DIVOC's codes hold a ZIP archive, not text.
            if content.starts_with(b"PK") {
                worst = worst.max(verify_divoc(&content, a).await?);
                continue;
            }
            match String::from_utf8(content) {
                Ok(t) => texts.push(t),
                Err(_) => {
                    let out = crate::checkpoint::unreadable(
                        "the QR code holds bytes that are neither text nor a DIVOC archive",
                        a.json,
                    )?;
                    write_output(None, &out)?;
                    worst = worst.max(2);
                }
            }
        }
        if texts.is_empty() {
            return Ok(worst);
        }
        // The chunks of one SMART Health Card are verified together.
        if texts.iter().all(|t| t.starts_with("shc:/")) {
            let joined = texts.join("\n");
            return Box::pin(verify_text(&joined, a, verifier, checks)).await;
        }
        for text in texts {
            worst = worst.max(Box::pin(verify_text(&text, a, verifier, checks)).await?);
        }
        return Ok(worst);
    }
    let bytes = crate::io::read_limited(&a.credential, 16 * 1024 * 1024)?;
    if bytes.starts_with(b"PK") {
        // A DIVOC archive (what its QR code holds), saved as a file.
        return verify_divoc(&bytes, a).await;
    }
    let text = String::from_utf8(bytes).with_context(|| {
        format!(
            "cannot read {} as UTF-8 text (nor as a DIVOC archive)",
            a.credential.display()
        )
    })?;
    verify_text(&text, a, verifier, checks).await
}

/// Verifies a DIVOC certificate (its QR content, archive or JSON) and
/// prints the verdict.
async fn verify_divoc(payload: &[u8], a: &VerifyArgs) -> Result<u8> {
    // The contexts the trust configuration pins for DIVOC, and --context.
    let registry = match &a.loaded_trust {
        Some(t) => pin_into(t.divoc_contexts.clone(), &a.contexts)?,
        None => registry_with(&a.contexts)?,
    };
    let (code, out) = crate::checkpoint::verify_divoc(
        payload,
        a.loaded_trust.as_deref(),
        &a.divoc_keys,
        &registry,
        a.rules.as_deref(),
        verifier_now(a)?,
        i64::from(a.skew),
        a.json,
        a.show_claims,
    )
    .await?;
    write_output(None, &out)?;
    Ok(code)
}

async fn verify_text(
    text: &str,
    a: &VerifyArgs,
    verifier: &Verifier,
    checks: Checks,
) -> Result<u8> {
    let trimmed = text.trim();
    if trimmed.starts_with(ddcc::qr::PREFIX_V1) {
        // Our compact QR encoding: what it holds is verified.
        let inner = ddcc::qr::decode_compact(trimmed)
            .map_err(|e| anyhow::anyhow!("the DDCC1: code cannot be read: {e}"))?;
        return Box::pin(verify_text(&inner, a, verifier, checks)).await;
    }
    if let Some(jws) = crate::checkpoint::shc_jws(trimmed) {
        let now = verifier_now(a)?;
        let (code, out) = crate::checkpoint::verify_shc(
            jws,
            a.loaded_trust.as_deref(),
            &a.shc_issuers,
            &a.shc_crls,
            a.require_revocation_check,
            a.rules.as_deref(),
            now,
            i64::from(a.skew),
            a.json,
            a.show_claims,
        )?;
        write_output(None, &out)?;
        return Ok(code);
    }
    if trimmed.starts_with("B64:") {
        return verify_divoc(trimmed.as_bytes(), a).await;
    }
    if trimmed.starts_with('{')
        && let Ok(doc) = serde_json::from_str::<serde_json::Value>(trimmed)
        && ddcc::divoc::is_divoc(&doc)
    {
        return verify_divoc(trimmed.as_bytes(), a).await;
    }
    if trimmed.starts_with("HC1:") {
        let now = verifier_now(a)?;
        let (code, out) = crate::checkpoint::verify_hc1(
            trimmed,
            &a.dsc,
            a.loaded_trust.as_deref(),
            a.rules.as_deref(),
            now,
            a.json,
            a.show_claims,
        )?;
        write_output(None, &out)?;
        return Ok(code);
    }
    if !trimmed.starts_with('{') && trimmed.contains('~') {
        return verify_sd_jwt(trimmed, a, verifier, verifier_now(a)?).await;
    }
    if let Ok(doc) = serde_json::from_str::<serde_json::Value>(trimmed)
        && doc.get("verifiableCredential").is_some()
    {
        let (Some(challenge), Some(domain)) = (&a.challenge, &a.domain) else {
            bail!("verifying a presentation needs --challenge and --domain");
        };
        let v = verifier
            .verify_presentation(&doc, challenge, domain, checks)
            .await;
        if a.json {
            write_output(None, &(serde_json::to_string_pretty(&v.to_json())? + "\n"))?;
        } else {
            write_output(None, &v.to_text())?;
        }
        return Ok(require_trust(a, v.verdict_name(), v.exit_code()));
    }
    let verdict = verifier.verify_str(text, checks).await;
    // Checkpoint rules on a credential of ours whose every check passed
    // (a rule that fails makes it invalid, whoever vouched for it).
    let document = if verdict.is_authentic() {
        serde_json::from_str::<serde_json::Value>(text).ok()
    } else {
        None
    };
    let kind = document
        .as_ref()
        .and_then(|d| d.get("type"))
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .find_map(ddcc::model::vocab::CredentialKind::from_credential_type);
    let rules = match (verdict.is_authentic(), kind) {
        (true, Some(k)) => crate::checkpoint::apply_rules(
            a.rules.as_deref(),
            k,
            document
                .as_ref()
                .and_then(|d| d.get("credentialSubject"))
                .unwrap_or(&serde_json::Value::Null),
            verifier_now(a)?,
        )?,
        (true, None) if a.rules.is_some() => {
            bail!("--rules applies to DDCC vaccination, test and recovery credentials")
        }
        _ => None,
    };
    let failed = matches!(rules, Some((false, _, _)));
    if a.json {
        let mut j = verdict.to_json();
        if let Some((_, r, _)) = &rules {
            j["rules"] = r.clone();
            if failed {
                j["verdict"] = serde_json::json!("invalid");
            }
        }
        write_output(None, &(serde_json::to_string_pretty(&j)? + "\n"))?;
    } else {
        let mut out = verdict.to_text();
        if let Some((_, _, t)) = &rules {
            if failed {
                out = format!("INVALID: checkpoint rules\n{out}");
            }
            out.push_str(t);
        }
        write_output(None, &out)?;
    }
    Ok(if failed {
        1
    } else {
        require_trust(a, verdict.outcome().name(), verdict.exit_code())
    })
}

/// With --require-trust, a verdict nobody vouched for is could not verify.
fn require_trust(a: &VerifyArgs, verdict: &str, code: u8) -> u8 {
    if a.trust.require_trust && verdict == "issuer_not_checked" {
        2
    } else {
        code
    }
}

fn verifier_now(a: &VerifyArgs) -> Result<i64> {
    Ok(match &a.at {
        Some(t) => parse_time(t, "--at")?.timestamp(),
        None => Utc::now().timestamp(),
    })
}

/// Verifies an SD-JWT VC presentation; prints the disclosed claim paths
/// (values only with --show-claims).
async fn verify_sd_jwt(text: &str, a: &VerifyArgs, verifier: &Verifier, now: i64) -> Result<u8> {
    let mut options = ddcc::sd::VerifyOptions::at(now);
    options.skew = i64::from(a.skew);
    options.audience = a.aud.clone();
    options.nonce = a.nonce.clone();
    options.require_key_binding = a.require_holder_binding || a.aud.is_some() || a.nonce.is_some();
    let mut v = verifier.verify_sd_jwt(text, &options).await;
    // Checkpoint rules on what the presentation discloses.
    let rules = match (&v.claims, v.exit_code, v.kind()) {
        (Some(claims), 0, Some(kind)) => {
            crate::checkpoint::apply_rules(a.rules.as_deref(), kind, claims, now)?
        }
        _ => None,
    };
    if let Some((false, r, _)) = &rules {
        v.exit_code = 1;
        v.verdict = "invalid";
        v.check = Some("rules");
        v.message = Some(format!(
            "rule {} failed",
            r["failed_rule"].as_str().unwrap_or("")
        ));
    }
    if a.json {
        let mut j = v.to_json();
        if let Some((_, r, _)) = &rules {
            j["rules"] = r.clone();
        }
        if a.show_claims
            && let Some(c) = &v.claims
        {
            j["claims"] = c.clone();
        }
        write_output(None, &(serde_json::to_string_pretty(&j)? + "\n"))?;
    } else {
        use ddcc::model::printable::{MAX_PRINTED, printable};
        let bound = if v.holder_bound { ", holder-bound" } else { "" };
        let mut out = match (&v.message, v.verdict) {
            (None, _) => format!("VALID (SD-JWT VC{bound})\n"),
            (Some(r), "issuer_not_checked") => format!(
                "SIGNATURE VALID, ISSUER NOT CHECKED (SD-JWT VC{bound}): {}\n",
                printable(r, MAX_PRINTED * 3)
            ),
            (Some(r), verdict) => format!(
                "{}: {}\n",
                verdict.replace('_', " ").to_uppercase(),
                printable(r, MAX_PRINTED * 3)
            ),
        };
        if let Some(t) = &v.trust {
            out.push_str(&format!("  trust: {}\n", printable(t, MAX_PRINTED * 3)));
        }
        // Claim names come from the credential: escaped too.
        for p in &v.disclosed {
            out.push_str(&format!("  disclosed {}\n", printable(p, MAX_PRINTED)));
        }
        if let Some((_, _, t)) = &rules {
            out.push_str(t);
        }
        if a.show_claims
            && let Some(c) = &v.claims
        {
            out.push_str(&serde_json::to_string_pretty(c)?);
            out.push('\n');
        }
        write_output(None, &out)?;
    }
    Ok(require_trust(a, v.verdict, v.exit_code))
}

fn present(a: PresentArgs) -> Result<u8> {
    if a.format == Format::Di {
        return present_di(&a);
    }
    if a.credential.len() != 1 {
        bail!("an SD-JWT presentation takes exactly one --credential");
    }
    let text = read_input(&a.credential[0])?;
    let sd = ddcc::sd::IssuedSdJwt::from_text(text.trim());
    let profiles = ddcc::credential::sdjwt::builtin_profiles();
    let reveal: Vec<String> = if let Some(name) = &a.profile {
        profiles
            .iter()
            .find(|p| &p.name == name)
            .with_context(|| format!("no disclosure profile named '{name}'"))?
            .reveal
            .clone()
    } else if let Some(purpose) = &a.purpose {
        let p = ddcc::credential::sdjwt::choose_profile(&profiles, purpose, &a.require)
            .with_context(|| {
                format!("no profile serves purpose '{purpose}' with the required claims")
            })?;
        eprintln!("using profile '{}' for purpose '{purpose}'", p.name);
        p.reveal.clone()
    } else if !a.reveal.is_empty() {
        a.reveal.clone()
    } else {
        bail!("say what to reveal: --profile, --purpose or --reveal");
    };
    let reveal = if reveal.iter().any(|r| r == "*") {
        every_path(&sd)?
    } else {
        reveal
    };
    let holder_key = match &a.holder_key {
        Some(p) => Some(
            read_secret_key_file(p)
                .with_context(|| format!("cannot use key file {}", p.display()))?,
        ),
        None => None,
    };
    let binding = match (&holder_key, &a.aud, &a.nonce) {
        (Some(k), Some(aud), Some(nonce)) => {
            Some((k, aud.as_str(), nonce.as_str(), Utc::now().timestamp()))
        }
        (Some(_), _, _) => bail!("--holder-key needs --aud and --nonce"),
        _ => None,
    };
    let presentation = ddcc::sd::present(&sd, &reveal, binding)?;
    write_output(a.out.as_deref(), &format!("{presentation}\n"))?;
    if let Some(qr) = &a.qr {
        write_qr(&ddcc::qr::encode_compact(&presentation), qr)?;
    }
    Ok(0)
}

/// A Data Integrity presentation of the given credentials.
fn present_di(a: &PresentArgs) -> Result<u8> {
    let (Some(key), Some(challenge), Some(domain)) = (&a.holder_key, &a.challenge, &a.domain)
    else {
        bail!("--format di needs --holder-key, --challenge and --domain");
    };
    let key = read_secret_key_file(key)
        .with_context(|| format!("cannot use key file {}", key.display()))?;
    let public = key.public_key();
    let holder = match a.holder.as_deref() {
        None => ddcc::credential::Holder::new(key)?,
        Some(d) if d == ddcc::did::did_key_for(&public).as_str() => {
            ddcc::credential::Holder::new(key)?
        }
        Some(d) if d == ddcc::did::did_jwk_for(&public).as_str() => {
            ddcc::credential::Holder::with_did_jwk(key)?
        }
        Some(_) => bail!("--holder must be the did:key or the did:jwk of --holder-key"),
    };
    let mut credentials = Vec::new();
    for path in &a.credential {
        let vc: serde_json::Value = serde_json::from_str(&read_input(path)?)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        credentials.push(vc);
    }
    let vp = holder.present(credentials, challenge, domain, Utc::now())?;
    write_output(
        a.out.as_deref(),
        &(serde_json::to_string_pretty(&vp)? + "\n"),
    )?;
    if let Some(qr) = &a.qr {
        write_qr(&ddcc::qr::encode_compact(&serde_json::to_string(&vp)?), qr)?;
    }
    Ok(0)
}

/// Every claim path of an SD-JWT (for the continuity-of-care profile).
fn every_path(sd: &ddcc::sd::IssuedSdJwt) -> Result<Vec<String>> {
    let p = ddcc::sd::Presentation::parse(sd.as_str())?;
    Ok(ddcc::sd::disclosure_paths(&p)?)
}

struct BoxedClock(Box<dyn Clock>);

impl Clock for BoxedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}
