//! DDCC certificates as SD-JWT VCs: issuance with every subject leaf a
//! disclosure, holder presentations by profile with key binding, and what a
//! checkpoint sees.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use ddcc_credential::Issuer;
use ddcc_credential::sdjwt::{VCT_VACCINATION, builtin_profiles, choose_profile, verify_sd_jwt_vc};
use ddcc_crypto::SecretKey;
use ddcc_sd::{OsSalts, SaltSource, SdError, VerifyOptions, present};
use serde_json::Value;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");

/// Deterministic salts for tests only.
struct CountingSalts(u32);
impl SaltSource for CountingSalts {
    fn salt(&mut self) -> String {
        self.0 += 1;
        format!("salt-{:04}", self.0)
    }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).single().unwrap()
}

fn opts(aud: &str, nonce: &str) -> VerifyOptions {
    let mut o = VerifyOptions::at(now().timestamp() + 30);
    o.audience = Some(aud.into());
    o.nonce = Some(nonce.into());
    o.require_key_binding = true;
    o
}

#[test]
fn issuance_form_verifies_with_every_claim() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let holder = SecretKey::generate();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let sd = issuer
        .issue_sd_jwt(&record, now(), Some(&holder.public_key()), &mut OsSalts)
        .unwrap();
    let mut o = VerifyOptions::at(now().timestamp());
    o.require_key_binding = false;
    let v = verify_sd_jwt_vc(sd.as_str(), &o).unwrap();
    assert_eq!(v.header["typ"], "dc+sd-jwt");
    assert_eq!(v.claims["vct"], VCT_VACCINATION);
    assert_eq!(v.claims["iss"], issuer.did().as_str());
    assert_eq!(v.claims["vaccination"]["dose"], 2);
    assert_eq!(v.claims["vaccination"]["lot"], "PT123F");
    assert_eq!(v.claims["certificate"]["version"], "1.0.0");
    assert_eq!(v.claims["certificate"]["issuer"]["country"], "UTO");
    assert_eq!(v.claims["cnf"]["jwk"]["crv"], "Ed25519");
    // Nothing personal is in the clear in the issuer-signed JWT.
    let jwt = sd.as_str().split('~').next().unwrap();
    let payload = jwt.split('.').nth(1).unwrap();
    let payload = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).unwrap(),
    )
    .unwrap();
    for secret in ["Jane", "Citizen", "1961", "PT123F", "XM0GQ8", "URN:UVCI"] {
        assert!(!payload.contains(secret), "{secret} is not concealed");
    }
}

#[test]
fn checkpoint_presentation_shows_only_the_checkpoint_profile() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let holder = SecretKey::generate();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let sd = issuer
        .issue_sd_jwt(
            &record,
            now(),
            Some(&holder.public_key()),
            &mut CountingSalts(0),
        )
        .unwrap();
    let profiles = builtin_profiles();
    let profile = choose_profile(&profiles, "checkpoint", &["/vaccination/dose".into()]).unwrap();
    assert_eq!(profile.name, "checkpoint");
    let aud = "https://checkpoint.example";
    let text = present(
        &sd,
        &profile.reveal,
        Some((&holder, aud, "n-42", now().timestamp())),
    )
    .unwrap();
    let v = verify_sd_jwt_vc(&text, &opts(aud, "n-42")).unwrap();
    assert!(v.key_bound);
    let c = &v.claims;
    for shown in [
        "/name",
        "/birthDate",
        "/vaccination/vaccine",
        "/vaccination/brand",
        "/vaccination/date",
        "/vaccination/dose",
        "/vaccination/totalDoses",
        "/certificate/version",
        // The issuing authority is always disclosed: the jurisdiction a
        // trust list accredits, the same for every holder.
        "/certificate/issuer/name",
        "/certificate/issuer/country",
        "/iss",
        "/vct",
        "/exp",
    ] {
        assert!(c.pointer(shown).is_some(), "{shown} missing");
    }
    for withheld in [
        "/vaccination/lot",
        "/vaccination/centre",
        "/vaccination/country",
        "/vaccination/maholder",
        "/certificate/hcid",
        "/familyName",
        "/givenName",
    ] {
        assert!(c.pointer(withheld).is_none(), "{withheld} disclosed");
    }
    // The size is recorded in the README as the baseline for QR work.
    eprintln!("checkpoint presentation: {} bytes", text.len());
    assert!(text.len() < 8000, "{} bytes", text.len());

    // The same presentation replayed to another verifier, or with another
    // nonce, is refused.
    assert_eq!(
        verify_sd_jwt_vc(&text, &opts("https://other.example", "n-42")).unwrap_err(),
        SdError::KeyBindingAudience
    );
    assert_eq!(
        verify_sd_jwt_vc(&text, &opts(aud, "n-43")).unwrap_err(),
        SdError::KeyBindingNonce
    );
    // Presented by someone else's key.
    let thief = SecretKey::generate();
    let stolen = present(
        &sd,
        &profile.reveal,
        Some((&thief, aud, "n-42", now().timestamp())),
    )
    .unwrap();
    assert_eq!(
        verify_sd_jwt_vc(&stolen, &opts(aud, "n-42")).unwrap_err(),
        SdError::KeyBindingSignature
    );
    // Without key binding where it is required.
    let bare = present(&sd, &profile.reveal, None).unwrap();
    assert_eq!(
        verify_sd_jwt_vc(&bare, &opts(aud, "n-42")).unwrap_err(),
        SdError::KeyBindingMissing
    );
}

#[test]
fn profiles_are_chosen_by_purpose_and_request() {
    let profiles = builtin_profiles();
    assert_eq!(profiles.len(), 4);
    assert_eq!(
        choose_profile(
            &profiles,
            "border-crossing",
            &["/vaccination/country".into()]
        )
        .unwrap()
        .name,
        "travel"
    );
    assert!(choose_profile(&profiles, "checkpoint", &["/vaccination/lot".into()]).is_none());
    assert_eq!(
        choose_profile(&profiles, "clinical-care", &["/vaccination/lot".into()])
            .unwrap()
            .name,
        "continuity-of-care"
    );
    assert!(choose_profile(&profiles, "marketing", &[]).is_none());
}

#[test]
fn every_presentation_reveals_the_issuing_authority() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let holder = SecretKey::generate();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let sd = issuer
        .issue_sd_jwt(&record, now(), Some(&holder.public_key()), &mut OsSalts)
        .unwrap();
    let profiles = builtin_profiles();
    let travel = profiles.iter().find(|p| p.name == "travel").unwrap();
    let text = present(
        &sd,
        &travel.reveal,
        Some((&holder, "https://border.example", "n", now().timestamp())),
    )
    .unwrap();
    let v = verify_sd_jwt_vc(&text, &opts("https://border.example", "n")).unwrap();
    assert_eq!(
        v.claims["certificate"]["issuer"]["name"],
        "Ministry of Health of Utopia"
    );
    assert_eq!(v.claims["certificate"]["issuer"]["country"], "UTO");
    assert_eq!(v.claims["vaccination"]["country"], "UTO");
}

#[test]
fn wallet_answers_requests_with_the_least_profile() {
    use ddcc_credential::sdjwt::{PresentationRequest, Wallet};
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let holder = SecretKey::generate();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let sd = issuer
        .issue_sd_jwt(&record, now(), Some(&holder.public_key()), &mut OsSalts)
        .unwrap();
    let mut wallet = Wallet::new();
    let id = wallet.add(sd.clone(), now().timestamp()).unwrap();
    assert_eq!(
        wallet.add(sd, now().timestamp()).unwrap(),
        id,
        "same credential, same id"
    );
    assert_eq!(wallet.ids().len(), 1);
    let paths = wallet.disclosable(&id).unwrap();
    assert!(paths.contains(&"/vaccination/lot".to_owned()));
    for fixed in [
        "/certificate/version",
        "/certificate/issuer",
        "/certificate/issuer/name",
        "/certificate/issuer/country",
    ] {
        assert!(
            !paths.contains(&fixed.to_owned()),
            "{fixed} is never selectively disclosable"
        );
    }

    let mut request = PresentationRequest {
        purpose: "checkpoint".into(),
        required: vec!["/vaccination/dose".into()],
        audience: "https://c.example".into(),
        nonce: "n".into(),
    };
    let (profile, text) = wallet
        .present(&id, &request, &holder, now().timestamp())
        .unwrap();
    assert_eq!(profile, "checkpoint");
    let v = verify_sd_jwt_vc(&text, &opts("https://c.example", "n")).unwrap();
    assert!(v.claims.pointer("/vaccination/lot").is_none());
    // Asking a checkpoint question for the lot number: no profile serves it.
    request.required = vec!["/vaccination/lot".into()];
    assert!(
        wallet
            .present(&id, &request, &holder, now().timestamp())
            .is_err()
    );
    // Clinical care sees everything.
    request.purpose = "clinical-care".into();
    let (profile, text) = wallet
        .present(&id, &request, &holder, now().timestamp())
        .unwrap();
    assert_eq!(profile, "continuity-of-care");
    let v = verify_sd_jwt_vc(&text, &opts("https://c.example", "n")).unwrap();
    assert_eq!(v.claims["vaccination"]["lot"], "PT123F");
    // A tampered credential is refused by the wallet.
    let mut w2 = Wallet::new();
    let bad = ddcc_sd::IssuedSdJwt::from_text(format!(
        "{}{}~",
        text.rsplit_once('~').unwrap().0,
        "WyJ4IiwieSIsMV0"
    ));
    assert!(w2.add(bad, now().timestamp()).is_err());
}

#[test]
fn debug_output_never_shows_claims() {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let holder = SecretKey::generate();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let sd = issuer
        .issue_sd_jwt(&record, now(), Some(&holder.public_key()), &mut OsSalts)
        .unwrap();
    let mut o = VerifyOptions::at(now().timestamp());
    o.require_key_binding = false;
    let v = verify_sd_jwt_vc(sd.as_str(), &o).unwrap();
    let p = ddcc_sd::Presentation::parse(sd.as_str()).unwrap();
    let shown = format!("{v:?} {p:?} {sd:?}");
    for secret in ["Jane", "1961", "PT123F", "XM0GQ8"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(!shown.contains(sd.as_str().split('~').nth(1).unwrap()));
}

#[test]
fn status_claims_carry_a_token_status_list_reference_and_the_list_is_signed() {
    use ddcc_status::{Purpose, StatusEntry, StatusList, token_list_url, token_status_at};
    let key = SecretKey::generate();
    let public = key.public_key();
    let issuer = Issuer::new(key).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let url = "https://moh.example/status/revocation-1.json";
    let entries = [
        StatusEntry {
            purpose: Purpose::Revocation,
            index: 4242,
            list_url: url.into(),
        },
        StatusEntry {
            purpose: Purpose::Suspension,
            index: 7,
            list_url: "https://moh.example/status/suspension-1.json".into(),
        },
    ];
    let sd = issuer
        .issue_sd_jwt_with_status(&record, now(), None, &entries, &mut OsSalts)
        .unwrap();
    let mut o = VerifyOptions::at(now().timestamp());
    o.require_key_binding = false;
    let claims = verify_sd_jwt_vc(sd.as_str(), &o).unwrap().claims;
    assert_eq!(claims["status"]["status_list"]["idx"], 4242);
    assert_eq!(
        claims["status"]["status_list"]["uri"],
        "https://moh.example/status/revocation-1.jwt"
    );
    assert_eq!(
        claims["status"]["credentialStatus"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The list as a Token Status List JWT, signed by the issuer.
    let mut list = StatusList::new(url, Purpose::Revocation);
    list.bits.set(4242, true).unwrap();
    let jwt = issuer.sign_token_status_list(&list, now(), Some(now() + chrono::Duration::days(1)));
    let (header, payload) = ddcc_sd::verify_jws(
        &jwt,
        &ddcc_sd::PublicJwk::Ed25519(public),
        SdError::IssuerSignature,
    )
    .unwrap();
    assert_eq!(header["typ"], "statuslist+jwt");
    assert_eq!(payload["sub"], token_list_url(url));
    assert_eq!(payload["ttl"], 86_400);
    let lst = payload["status_list"]["lst"].as_str().unwrap();
    assert_eq!(payload["status_list"]["bits"], 1);
    assert_eq!(token_status_at(lst, 1, 4242).unwrap(), 1);
    assert_eq!(token_status_at(lst, 1, 4243).unwrap(), 0);
    // Another key does not verify it.
    let other = SecretKey::generate().public_key();
    assert!(
        ddcc_sd::verify_jws(
            &jwt,
            &ddcc_sd::PublicJwk::Ed25519(other),
            SdError::IssuerSignature
        )
        .is_err()
    );
}

#[test]
fn disclosed_claims_must_be_of_the_ddcc_subject_schema() {
    // Signed by a real key with the DDCC vct, holding only claims the
    // subject schema does not define: invalid, by the schema check.
    let key = SecretKey::generate();
    let did = ddcc_did::did_key_for(&key.public_key());
    let kid = format!("{did}#{}", did.method_specific_id());
    let mut claims = serde_json::Map::new();
    claims.insert("iss".into(), Value::from(did.as_str()));
    claims.insert("vct".into(), Value::from(VCT_VACCINATION));
    claims.insert("iat".into(), Value::from(now().timestamp()));
    for i in 0..1024 {
        claims.insert(format!("c{i}"), Value::from("x"));
    }
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), Value::from("dc+sd-jwt"));
    header.insert("kid".into(), Value::from(kid));
    let sd = ddcc_sd::issue_sd_jwt(
        Value::Object(claims),
        header,
        &ddcc_sd::Disclosable {
            pointers: vec!["/c0".into(), "/c1".into()],
            decoys_per_object: 0,
        },
        &key,
        &mut OsSalts,
    )
    .unwrap();
    let verifier = ddcc_credential::Verifier::builtin().unwrap();
    let mut options = VerifyOptions::at(now().timestamp());
    options.require_key_binding = false;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let v = rt.block_on(verifier.verify_sd_jwt(sd.as_str(), &options));
    assert_eq!((v.verdict, v.check), ("invalid", Some("schema")), "{v:?}");
    let m = v.message.as_deref().unwrap();
    assert!(
        m.contains("fields the schema does not define") && m.contains("and 1014 more"),
        "{m}"
    );
    assert!(m.len() < 400, "{} bytes", m.len());
    // A real one, with only a few claims disclosed: what is shown is of
    // the schema's shape, and nothing withheld is missed.
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let sd = issuer
        .issue_sd_jwt(&record, now(), None, &mut OsSalts)
        .unwrap();
    let shown = present(&sd, &["/vaccination/dose".to_owned()], None).unwrap();
    let v = rt.block_on(verifier.verify_sd_jwt(&shown, &options));
    assert_eq!(v.verdict, "issuer_not_checked", "{v:?}");
    // A disclosed claim of the wrong type (a dose as text) signed anew.
    let mut claims = serde_json::Map::new();
    claims.insert("iss".into(), Value::from(did.as_str()));
    claims.insert("vct".into(), Value::from(VCT_VACCINATION));
    claims.insert("iat".into(), Value::from(now().timestamp()));
    claims.insert("vaccination".into(), serde_json::json!({"dose": "two"}));
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), Value::from("dc+sd-jwt"));
    header.insert(
        "kid".into(),
        Value::from(format!("{did}#{}", did.method_specific_id())),
    );
    let bad = ddcc_sd::issue_sd_jwt(
        Value::Object(claims),
        header,
        &ddcc_sd::Disclosable {
            pointers: vec![],
            decoys_per_object: 0,
        },
        &key,
        &mut OsSalts,
    )
    .unwrap();
    let v = rt.block_on(verifier.verify_sd_jwt(bad.as_str(), &options));
    assert_eq!((v.verdict, v.check), ("invalid", Some("schema")), "{v:?}");
    assert!(
        !v.message.as_deref().unwrap().contains("two"),
        "no values in messages"
    );
}
