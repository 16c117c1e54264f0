//! DDCC vaccination certificates as SD-JWT VCs (`typ: dc+sd-jwt`): every
//! subject leaf its own disclosure, decoys, holder binding through `cnf`, and
//! disclosure profiles (`profiles/disclosure-profiles.json`) that pick what a
//! holder shows for a verifier's purpose.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use ddcc_core::Did;
use ddcc_crypto::PublicKey;
use ddcc_sd::{
    Disclosable, IssuedSdJwt, PublicJwk, SaltSource, SdError, VerifiedSdJwt, VerifyOptions,
};

use crate::{IssueError, Issuer};

/// The `vct` of a DDCC:VS vaccination SD-JWT VC.
pub const VCT_VACCINATION: &str = "https://w3id.org/ddcc/vct/vaccination/v1";
/// The SD-JWT VC media type in the JOSE header.
pub const SD_JWT_VC_TYP: &str = "dc+sd-jwt";
/// Decoy digests added to each `_sd` array.
const DECOYS: usize = 2;

/// The embedded disclosure profiles.
pub const PROFILES_JSON: &str = include_str!("../../../profiles/disclosure-profiles.json");

/// A disclosure profile: claim paths revealed for some verifier purposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Its name (`checkpoint`, `travel`, …).
    pub name: String,
    /// The verifier purposes it serves.
    pub purposes: Vec<String>,
    /// JSON Pointers revealed; `*` reveals everything.
    pub reveal: Vec<String>,
}

/// Loads profiles from a JSON document shaped like `PROFILES_JSON`.
///
/// # Errors
/// A message naming what is malformed.
pub fn load_profiles(json_text: &str) -> Result<Vec<Profile>, String> {
    let v: Value =
        serde_json::from_str(json_text).map_err(|e| format!("profiles are not JSON: {e}"))?;
    let list = v
        .get("profiles")
        .and_then(Value::as_array)
        .ok_or("no \"profiles\" array")?;
    list.iter()
        .map(|p| {
            let strings = |k: &str| -> Result<Vec<String>, String> {
                p.get(k)
                    .and_then(Value::as_array)
                    .ok_or(format!("profile member {k} is missing"))?
                    .iter()
                    .map(|s| {
                        s.as_str()
                            .map(str::to_owned)
                            .ok_or(format!("{k} must hold strings"))
                    })
                    .collect()
            };
            Ok(Profile {
                name: p
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or("a profile has no name")?
                    .to_owned(),
                purposes: strings("purposes")?,
                reveal: strings("reveal")?,
            })
        })
        .collect()
}

/// The built-in profiles.
pub fn builtin_profiles() -> Vec<Profile> {
    load_profiles(PROFILES_JSON).unwrap_or_default()
}

/// The smallest profile that serves `purpose` and reveals every path in
/// `required` (a verifier's request).
pub fn choose_profile<'p>(
    profiles: &'p [Profile],
    purpose: &str,
    required: &[String],
) -> Option<&'p Profile> {
    profiles
        .iter()
        .filter(|p| p.purposes.iter().any(|x| x == purpose))
        .filter(|p| {
            p.reveal.iter().any(|r| r == "*") || required.iter().all(|r| p.reveal.contains(r))
        })
        .min_by_key(|p| {
            if p.reveal.iter().any(|r| r == "*") {
                usize::MAX
            } else {
                p.reveal.len()
            }
        })
}

/// Every subject leaf, as JSON Pointers: top-level members, and the members
/// of the event (`vaccination`, `test` or `recovery`), `certificate` (but
/// `version`), `certificate.issuer` and
/// `identityBinding`. Codings are disclosed whole.
fn subject_pointers(subject: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in subject {
        match (k.as_str(), v) {
            ("type" | "id", _) => {}
            ("vaccination" | "test" | "recovery", Value::Object(o)) => {
                out.extend(o.keys().map(|m| format!("/{k}/{m}")))
            }
            ("certificate", Value::Object(o)) => {
                for (m, mv) in o {
                    match (m.as_str(), mv) {
                        // The issuing authority (its name and country) is
                        // always disclosed, as bbs-2023 credentials always
                        // reveal it: it is the jurisdiction a trust list
                        // accredits, the same in every credential of the
                        // issuer, so it says nothing about the holder.
                        ("version" | "issuer", _) => {}
                        _ => out.push(format!("/certificate/{m}")),
                    }
                }
            }
            ("identityBinding", Value::Object(o)) => {
                out.extend(o.keys().map(|m| format!("/identityBinding/{m}")));
                out.push("/identityBinding".into());
            }
            _ => out.push(format!("/{k}")),
        }
    }
    out
}

fn okp_jwk(key: &PublicKey) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": B64.encode(key.to_bytes())})
}

impl Issuer {
    /// Issues the record as an SD-JWT VC (`dc+sd-jwt`), with the holder's
    /// key in `cnf` when given. The record is checked against the schema
    /// first, exactly as for [`Issuer::issue`].
    ///
    /// # Errors
    /// As [`Issuer::credential_from_record`], or [`IssueError::SdJwt`].
    pub fn issue_sd_jwt(
        &self,
        record: &Value,
        now: DateTime<Utc>,
        holder: Option<&PublicKey>,
        salts: &mut dyn SaltSource,
    ) -> Result<IssuedSdJwt, IssueError> {
        self.issue_sd_jwt_with_status(record, now, holder, &[], salts)
    }

    /// [`Issuer::issue_sd_jwt`] with status entries: the always-disclosed
    /// `status` claim carries them as Bitstring Status List entries
    /// (`{"credentialStatus": [...]}`, the form they have in a Data
    /// Integrity credential), so one register and one set of published
    /// lists serve both formats.
    ///
    /// # Errors
    /// As [`Issuer::issue_sd_jwt`].
    pub fn issue_sd_jwt_with_status(
        &self,
        record: &Value,
        now: DateTime<Utc>,
        holder: Option<&PublicKey>,
        status: &[ddcc_status::StatusEntry],
        salts: &mut dyn SaltSource,
    ) -> Result<IssuedSdJwt, IssueError> {
        let vc = self.credential_from_record(record, now)?;
        self.sd_jwt_from_credential(&vc, now, holder, status, salts)
    }

    /// The SD-JWT VC of a credential made by
    /// [`Issuer::credential_from_record`] (checked already): what batch
    /// issuance uses, so a record is checked once.
    ///
    /// # Errors
    /// [`IssueError::SdJwt`].
    pub fn sd_jwt_from_credential(
        &self,
        vc: &Value,
        now: DateTime<Utc>,
        holder: Option<&PublicKey>,
        status: &[ddcc_status::StatusEntry],
        salts: &mut dyn SaltSource,
    ) -> Result<IssuedSdJwt, IssueError> {
        let time = |k: &str| {
            vc.get(k)
                .and_then(Value::as_str)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp())
        };
        let mut claims = Map::new();
        claims.insert("iss".into(), Value::from(self.did().as_str()));
        // The vct of the credential's kind.
        let kind = vc
            .get("type")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find_map(ddcc_core::vocab::CredentialKind::from_credential_type)
            .unwrap_or(ddcc_core::vocab::CredentialKind::Vaccination);
        claims.insert("vct".into(), Value::from(kind.vct()));
        claims.insert("iat".into(), Value::from(now.timestamp()));
        if let Some(t) = time("validFrom") {
            claims.insert("nbf".into(), Value::from(t));
        }
        if let Some(t) = time("validUntil") {
            claims.insert("exp".into(), Value::from(t));
        }
        if let Some(h) = holder {
            claims.insert("cnf".into(), json!({"jwk": okp_jwk(h)}));
        }
        if !status.is_empty() {
            let entries: Vec<Value> = status
                .iter()
                .map(ddcc_status::StatusEntry::to_json)
                .collect();
            let mut st = Map::new();
            st.insert(STATUS_MEMBER.into(), Value::from(entries));
            // The revocation entry also as an IETF Token Status List
            // reference, for verifiers that read SD-JWT VC status that way.
            if let Some(r) = status
                .iter()
                .find(|e| e.purpose == ddcc_status::Purpose::Revocation)
            {
                st.insert(
                    "status_list".into(),
                    json!({"idx": r.index, "uri": ddcc_status::token_list_url(&r.list_url)}),
                );
            }
            claims.insert("status".into(), Value::Object(st));
        }
        let subject = vc
            .get("credentialSubject")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let pointers = subject_pointers(&subject);
        for (k, v) in subject {
            if k != "type" {
                claims.insert(k, v);
            }
        }
        let mut header = Map::new();
        header.insert("typ".into(), Value::from(SD_JWT_VC_TYP));
        header.insert(
            "kid".into(),
            Value::from(self.verification_method().as_str()),
        );
        let spec = Disclosable {
            pointers,
            decoys_per_object: DECOYS,
        };
        ddcc_sd::issue_sd_jwt(
            Value::Object(claims),
            header,
            &spec,
            self.secret_key(),
            salts,
        )
        .map_err(IssueError::SdJwt)
    }
}

/// The claims of an SD-JWT VC that are the token's, not the subject's.
const JWT_CLAIMS: [&str; 11] = [
    "iss",
    "sub",
    "vct",
    "vct#integrity",
    "iat",
    "nbf",
    "exp",
    "cnf",
    "status",
    "jti",
    "aud",
];

/// The member of an SD-JWT VC's `status` claim that holds Bitstring Status
/// List entries.
pub const STATUS_MEMBER: &str = "credentialStatus";

impl Issuer {
    /// A one-bit status list as an IETF Token Status List JWT
    /// (`typ: statuslist+jwt`, `sub` = its URL, `iat`, `exp`, `ttl`),
    /// signed by this issuer: the form `status.status_list` of an SD-JWT
    /// VC points at.
    pub fn sign_token_status_list(
        &self,
        list: &ddcc_status::StatusList,
        now: DateTime<Utc>,
        valid_until: Option<DateTime<Utc>>,
    ) -> String {
        let mut header = Map::new();
        header.insert("typ".into(), Value::from("statuslist+jwt"));
        header.insert(
            "kid".into(),
            Value::from(self.verification_method().as_str()),
        );
        let mut claims = json!({
            "sub": ddcc_status::token_list_url(&list.url),
            "iss": self.did().as_str(),
            "iat": now.timestamp(),
            "status_list": {"bits": 1, "lst": ddcc_status::token_status_list_lst(&list.bits)},
        });
        if let Some(until) = valid_until {
            claims["exp"] = Value::from(until.timestamp());
            claims["ttl"] = Value::from((until - now).num_seconds().max(0));
        }
        ddcc_sd::sign_jwt(header, &claims, self.secret_key())
    }
}

/// Verifies a DDCC SD-JWT VC presentation: the issuer key comes from the
/// header `kid`, a `did:key` verification method of the `iss` DID; `typ` and
/// `vct` must be ours.
///
/// # Errors
/// The specific [`SdError`], or [`SdError::Malformed`] for a wrong issuer,
/// `typ` or `vct`.
pub fn verify_sd_jwt_vc(text: &str, options: &VerifyOptions) -> Result<VerifiedSdJwt, SdError> {
    let mut did: Option<Did> = None;
    let verified = ddcc_sd::verify_with(
        text,
        |header| {
            let kid = header
                .get("kid")
                .and_then(Value::as_str)
                .ok_or(SdError::Malformed("no kid in the header"))?;
            let method = ddcc_core::DidUrl::parse(kid)
                .map_err(|_| SdError::Malformed("kid is not a DID URL"))?;
            let d = method.did();
            if d.method() != "key" || method.fragment() != Some(d.method_specific_id()) {
                return Err(SdError::BadKey(
                    "kid is not an Ed25519 did:key verification method",
                ));
            }
            let key = PublicKey::from_multibase(d.method_specific_id())
                .map_err(|_| SdError::BadKey("kid is not an Ed25519 did:key"))?;
            did = Some(d);
            Ok(PublicJwk::Ed25519(key))
        },
        options,
    )?;
    let did = did.ok_or(SdError::Malformed("no kid in the header"))?;
    if verified.header.get("typ").and_then(Value::as_str) != Some(SD_JWT_VC_TYP) {
        return Err(SdError::Malformed("typ is not dc+sd-jwt"));
    }
    if verified
        .claims
        .get("vct")
        .and_then(Value::as_str)
        .and_then(ddcc_core::vocab::CredentialKind::from_vct)
        .is_none()
    {
        return Err(SdError::Malformed(
            "vct is not a DDCC vaccination, test-result or recovery type",
        ));
    }
    if verified.claims.get("iss").and_then(Value::as_str) != Some(did.as_str()) {
        return Err(SdError::Malformed("the signing key does not belong to iss"));
    }
    Ok(verified)
}

/// What a verifier asks a holder for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentationRequest {
    /// The purpose it states (`checkpoint`, `border-crossing`, …).
    pub purpose: String,
    /// Claim paths it needs.
    pub required: Vec<String>,
    /// Who it is (the KB-JWT `aud`).
    pub audience: String,
    /// Its fresh nonce.
    pub nonce: String,
}

/// A holder's credentials, in memory: add SD-JWT VCs, see what each can
/// disclose, answer a verifier's request with the least profile.
#[derive(Default)]
pub struct Wallet {
    credentials: Vec<(String, IssuedSdJwt)>,
    profiles: Vec<Profile>,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("credentials", &self.credentials.len())
            .finish_non_exhaustive()
    }
}

impl Wallet {
    /// An empty wallet with the built-in profiles.
    pub fn new() -> Self {
        Self {
            credentials: Vec::new(),
            profiles: builtin_profiles(),
        }
    }

    /// Stores an SD-JWT VC after checking its issuer signature and
    /// disclosures; returns its id (a digest of the issuer-signed JWT).
    ///
    /// # Errors
    /// The [`SdError`] that makes the credential unusable.
    pub fn add(&mut self, sd: IssuedSdJwt, now: i64) -> Result<String, SdError> {
        let mut options = VerifyOptions::at(now);
        options.require_key_binding = false;
        verify_sd_jwt_vc(sd.as_str(), &options)?;
        let jwt = sd.as_str().split('~').next().unwrap_or_default();
        let id = B64.encode(&<sha2::Sha256 as sha2::Digest>::digest(jwt.as_bytes())[..12]);
        if !self.credentials.iter().any(|(i, _)| *i == id) {
            self.credentials.push((id.clone(), sd));
        }
        Ok(id)
    }

    /// The ids of the stored credentials.
    pub fn ids(&self) -> Vec<&str> {
        self.credentials.iter().map(|(i, _)| i.as_str()).collect()
    }

    fn get(&self, id: &str) -> Result<&IssuedSdJwt, SdError> {
        self.credentials
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, c)| c)
            .ok_or(SdError::Malformed("no credential with that id"))
    }

    /// The claim paths a credential can disclose.
    ///
    /// # Errors
    /// Unknown id, or an unreadable credential.
    pub fn disclosable(&self, id: &str) -> Result<Vec<String>, SdError> {
        let sd = self.get(id)?;
        let mut paths = ddcc_sd::disclosure_paths(&ddcc_sd::Presentation::parse(sd.as_str())?)?;
        paths.retain(|p| !p.is_empty());
        paths.sort();
        Ok(paths)
    }

    /// Answers `request` with the smallest profile that serves its purpose
    /// and covers its required claims, bound to `holder`.
    ///
    /// # Errors
    /// [`SdError::Malformed`] when no profile fits (the wallet then shows
    /// nothing), or the credential cannot be presented.
    pub fn present(
        &self,
        id: &str,
        request: &PresentationRequest,
        holder: &ddcc_crypto::SecretKey,
        now: i64,
    ) -> Result<(String, String), SdError> {
        let sd = self.get(id)?;
        let profile = choose_profile(&self.profiles, &request.purpose, &request.required).ok_or(
            SdError::Malformed("no disclosure profile serves this request"),
        )?;
        let reveal = if profile.reveal.iter().any(|r| r == "*") {
            self.disclosable(id)?
        } else {
            profile.reveal.clone()
        };
        let text = ddcc_sd::present(
            sd,
            &reveal,
            Some((holder, &request.audience, &request.nonce, now)),
        )?;
        Ok((profile.name.clone(), text))
    }
}

/// The verdict on an SD-JWT VC (or a presentation of one): its signature,
/// disclosures and key binding, then its status claim, as the CLI and the
/// service report it.
#[derive(Clone)]
pub struct SdJwtVerdict {
    /// `valid`, `invalid`, `unknown_issuer`, `revoked`, `suspended`,
    /// `could_not_verify`, or `issuer_not_checked` (everything verified but
    /// the verifier was given no trust policy: never shown as valid).
    pub verdict: &'static str,
    /// 0 valid (or issuer not checked), 1 invalid, 2 could not verify.
    pub exit_code: u8,
    /// The failing check (`sd-jwt` or `status`), if any.
    pub check: Option<&'static str>,
    /// Why, if not valid (no claim values).
    pub message: Option<String>,
    /// Whether a Key Binding JWT bound it to the holder.
    pub holder_bound: bool,
    /// Who vouched for the issuer, when a trust policy accredited it.
    pub trust: Option<String>,
    /// The JSON pointers of the claims disclosed.
    pub disclosed: Vec<String>,
    /// The disclosed claims (personal data: shown only when asked for).
    pub claims: Option<Value>,
}

impl std::fmt::Debug for SdJwtVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SdJwtVerdict")
            .field("verdict", &self.verdict)
            .field("check", &self.check)
            .field("message", &self.message)
            .field("holder_bound", &self.holder_bound)
            .field("disclosed", &self.disclosed)
            .finish_non_exhaustive()
    }
}

impl SdJwtVerdict {
    /// The kind of DDCC certificate its `vct` names, when valid.
    pub fn kind(&self) -> Option<ddcc_core::vocab::CredentialKind> {
        self.claims
            .as_ref()?
            .get("vct")
            .and_then(Value::as_str)
            .and_then(ddcc_core::vocab::CredentialKind::from_vct)
    }

    /// The verdict as JSON (without the claims).
    pub fn to_json(&self) -> Value {
        json!({
            "verdict": self.verdict, "format": "dc+sd-jwt", "check": self.check,
            "message": self.message, "holder_bound": self.holder_bound,
            "trust": self.trust, "disclosed": self.disclosed,
        })
    }
}

impl crate::Verifier {
    /// Verifies an SD-JWT VC or presentation (`options` say the time, the
    /// audience and nonce a Key Binding JWT must carry), then its status
    /// claim against the verifier's status lists.
    pub async fn verify_sd_jwt(&self, text: &str, options: &VerifyOptions) -> SdJwtVerdict {
        use crate::{Check, CheckReport, CheckStatus};
        let result = verify_sd_jwt_vc(text, options);
        let (mut exit_code, mut verdict, mut message) = match &result {
            Ok(_) => (0u8, "valid", None),
            Err(
                e @ (SdError::Malformed(_) | SdError::UnsupportedAlgorithm(_) | SdError::BadKey(_)),
            ) => (2, "could_not_verify", Some(e.to_string())),
            Err(e) => (1, "invalid", Some(e.to_string())),
        };
        let mut check = message.as_ref().map(|_| "sd-jwt");
        let mut trust = None;
        // What was disclosed of the subject must be of the DDCC subject
        // schema's shape (nothing is required: the holder chose what to
        // show), so claims the schema does not define are refused.
        if let Ok(v) = &result
            && let Some(kind) = v
                .claims
                .get("vct")
                .and_then(Value::as_str)
                .and_then(ddcc_core::vocab::CredentialKind::from_vct)
        {
            let subject: serde_json::Map<String, Value> = v
                .claims
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| !JWT_CLAIMS.contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect();
            if let Err(e) =
                ddcc_assets::validate_disclosed_subject_of(kind, &Value::Object(subject))
            {
                exit_code = 1;
                verdict = "invalid";
                check = Some("schema");
                message = Some(format!("the disclosed claims {e}"));
            }
        }
        // The status claim (always disclosed), checked as a Data Integrity
        // credential's status is.
        if let Ok(v) = &result
            && verdict == "valid"
            && let Some(status) = v.claims.get("status")
        {
            let iss = v.claims.get("iss").and_then(Value::as_str).unwrap_or("");
            let report = if status.get(STATUS_MEMBER).is_some() {
                self.check_status_of(status, iss).await
            } else {
                CheckReport {
                    check: Check::Status,
                    status: CheckStatus::CouldNotVerify,
                    code: "status_unknown",
                    message:
                        "status unknown: the status claim names no mechanism this verifier supports"
                            .into(),
                }
            };
            match report.status {
                CheckStatus::Failed => {
                    exit_code = 1;
                    verdict = match report.code {
                        "revoked" => "revoked",
                        "suspended" => "suspended",
                        _ => "invalid",
                    };
                    check = Some("status");
                    message = Some(report.message);
                }
                CheckStatus::CouldNotVerify => {
                    exit_code = 2;
                    verdict = "could_not_verify";
                    check = Some("status");
                    message = Some(report.message);
                }
                _ => {}
            }
        }
        // Who vouches for the issuer (after the signature, schema and status, so
        // that a forgery or a revoked credential says so first).
        if let (Ok(v), "valid") = (&result, verdict) {
            let iss = v.claims.get("iss").and_then(Value::as_str).unwrap_or("");
            let types: Vec<String> = v
                .claims
                .get("vct")
                .and_then(Value::as_str)
                .and_then(ddcc_core::vocab::CredentialKind::from_vct)
                .map(|k| vec![k.credential_type().to_owned()])
                .unwrap_or_default();
            let jurisdiction = v
                .claims
                .pointer("/certificate/issuer/country")
                .and_then(Value::as_str);
            // The issuer is a did:key: its DID names its key.
            let report = self.trust_report(iss, &types, jurisdiction, None);
            match report.status {
                CheckStatus::Passed => trust = Some(report.message),
                CheckStatus::Failed => {
                    exit_code = 1;
                    verdict = "unknown_issuer";
                    check = Some("trust");
                    message = Some(report.message);
                }
                CheckStatus::CouldNotVerify => {
                    exit_code = 2;
                    verdict = "could_not_verify";
                    check = Some("trust");
                    message = Some(report.message);
                }
                _ => {
                    verdict = "issuer_not_checked";
                    check = Some("trust");
                    message = Some(report.message);
                }
            }
        }
        let mut disclosed = Vec::new();
        if let Ok(v) = &result {
            fn walk(v: &Value, prefix: String, out: &mut Vec<String>) {
                match v {
                    Value::Object(o) => o
                        .iter()
                        .for_each(|(k, c)| walk(c, format!("{prefix}/{k}"), out)),
                    _ => out.push(prefix),
                }
            }
            walk(&v.claims, String::new(), &mut disclosed);
        }
        SdJwtVerdict {
            verdict,
            exit_code,
            check,
            message,
            holder_bound: result.as_ref().is_ok_and(|v| v.key_bound),
            trust,
            disclosed,
            claims: result.ok().map(|v| v.claims),
        }
    }
}
