//! Revocation and suspension with Bitstring Status Lists: a revoked
//! credential is REVOKED (exit 1) and the others stay valid; a stale,
//! missing or foreign list makes the status unknown (exit 2), never valid.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use ddcc_assets::ContextRegistry;
use ddcc_credential::{Check, CheckStatus, Checks, FixedClock, Issuer, Outcome, Verdict, Verifier};
use ddcc_crypto::SecretKey;
use ddcc_status::{GivenLists, Purpose, StatusEntry, StatusList};
use serde_json::Value;

const RECORD: &str = include_str!("../../../examples/records/primary-series-complete.json");
const REVOCATION: &str = "https://status.example/lists/r1";
const SUSPENSION: &str = "https://status.example/lists/s1";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).single().unwrap()
}

fn entries(index: usize) -> Vec<StatusEntry> {
    vec![
        StatusEntry {
            purpose: Purpose::Revocation,
            index,
            list_url: REVOCATION.into(),
        },
        StatusEntry {
            purpose: Purpose::Suspension,
            index,
            list_url: SUSPENSION.into(),
        },
    ]
}

struct Setup {
    issuer: Issuer,
    revocation: StatusList,
    suspension: StatusList,
    vcs: Vec<Value>,
}

async fn setup() -> Setup {
    let issuer = Issuer::new(SecretKey::generate()).unwrap();
    let record: Value = serde_json::from_str(RECORD).unwrap();
    let mut vcs = Vec::new();
    for index in [17, 94_567, 131_071] {
        vcs.push(
            issuer
                .issue_with_status(&record, now() - Duration::days(10), &entries(index))
                .await
                .unwrap(),
        );
    }
    Setup {
        issuer,
        revocation: StatusList::new(REVOCATION, Purpose::Revocation),
        suspension: StatusList::new(SUSPENSION, Purpose::Suspension),
        vcs,
    }
}

async fn verifier_with(s: &Setup, fetched_ago: Duration, signer: &Issuer) -> Verifier {
    let mut lists = GivenLists::new();
    let at = (now() - fetched_ago).timestamp();
    for list in [&s.revocation, &s.suspension] {
        let signed = signer
            .sign_status_list(list, now() - Duration::days(1), None)
            .await
            .unwrap();
        lists.add(signed, at).unwrap();
    }
    Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now()))
        .unwrap()
        .with_status_lists(Arc::new(lists), Duration::hours(24))
}

fn status(v: &Verdict) -> (CheckStatus, &'static str, String) {
    let r = v.report(Check::Status).unwrap();
    (r.status, r.code, r.message.clone())
}

#[tokio::test]
async fn revoked_and_suspended_credentials_are_named_and_others_stay_valid() {
    let mut s = setup().await;
    assert_eq!(s.vcs[0]["credentialStatus"][0]["statusListIndex"], "17");
    let v = verifier_with(&s, Duration::minutes(5), &s.issuer).await;
    for vc in &s.vcs {
        let verdict = v.verify(vc, Checks::all()).await;
        assert!(verdict.is_authentic(), "{}", verdict.to_text());
        assert_eq!(status(&verdict).0, CheckStatus::Passed);
    }

    s.revocation.bits.set(94_567, true).unwrap();
    s.suspension.bits.set(131_071, true).unwrap();
    let v = verifier_with(&s, Duration::minutes(5), &s.issuer).await;
    let revoked = v.verify(&s.vcs[1], Checks::all()).await;
    assert!(
        matches!(revoked.outcome(), Outcome::Revoked(_)),
        "{}",
        revoked.to_text()
    );
    assert_eq!(revoked.exit_code(), 1);
    assert_eq!(revoked.to_json()["verdict"], "revoked");
    assert!(revoked.to_text().starts_with("REVOKED"));
    // Again, with the verified list remembered: the same verdicts.
    let again = v.verify(&s.vcs[1], Checks::all()).await;
    assert!(matches!(again.outcome(), Outcome::Revoked(_)));
    let suspended = v.verify(&s.vcs[2], Checks::all()).await;
    assert!(matches!(suspended.outcome(), Outcome::Suspended(_)));
    assert_eq!(suspended.exit_code(), 1);
    assert!(v.verify(&s.vcs[0], Checks::all()).await.is_authentic());

    // Reinstated: the suspension bit cleared, valid again.
    s.suspension.bits.set(131_071, false).unwrap();
    let v = verifier_with(&s, Duration::minutes(5), &s.issuer).await;
    assert!(v.verify(&s.vcs[2], Checks::all()).await.is_authentic());
}

#[tokio::test]
async fn unknown_status_is_never_valid() {
    let s = setup().await;
    // Stale: fetched two days ago, 24 hours allowed.
    let v = verifier_with(&s, Duration::days(2), &s.issuer).await;
    let verdict = v.verify(&s.vcs[0], Checks::all()).await;
    assert_eq!(verdict.exit_code(), 2, "{}", verdict.to_text());
    let (st, code, message) = status(&verdict);
    assert_eq!((st, code), (CheckStatus::CouldNotVerify, "status_unknown"));
    assert!(message.contains("fetched 172800 s ago"), "{message}");

    // Signed by another issuer: refused.
    let other = Issuer::new(SecretKey::generate()).unwrap();
    let v = verifier_with(&s, Duration::minutes(5), &other).await;
    let verdict = v.verify(&s.vcs[0], Checks::all()).await;
    assert_eq!(verdict.exit_code(), 2);
    assert!(
        status(&verdict)
            .2
            .contains("not issued by the credential's issuer")
    );

    // A list claiming the issuer but not signed by it: refused (proof).
    let mut lists = GivenLists::new();
    let mut forged = other
        .sign_status_list(&s.revocation, now() - Duration::days(1), None)
        .await
        .unwrap();
    forged["issuer"] = s.issuer.did().as_str().into();
    lists.add(forged, now().timestamp()).unwrap();
    let signed = s
        .issuer
        .sign_status_list(&s.suspension, now() - Duration::days(1), None)
        .await
        .unwrap();
    lists.add(signed, now().timestamp()).unwrap();
    let v = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now()))
        .unwrap()
        .with_status_lists(Arc::new(lists), Duration::hours(24));
    let verdict = v.verify(&s.vcs[0], Checks::all()).await;
    assert_eq!(verdict.exit_code(), 2, "{}", verdict.to_text());
    assert!(
        status(&verdict).2.contains("refused"),
        "{}",
        status(&verdict).2
    );

    // No list source at all.
    let v = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now())).unwrap();
    let verdict = v.verify(&s.vcs[0], Checks::all()).await;
    assert_eq!(verdict.exit_code(), 2);
    assert_eq!(status(&verdict).1, "status_unknown");

    // A list past its validUntil.
    let mut lists = GivenLists::new();
    for list in [&s.revocation, &s.suspension] {
        let signed = s
            .issuer
            .sign_status_list(
                list,
                now() - Duration::days(3),
                Some(now() - Duration::days(1)),
            )
            .await
            .unwrap();
        lists.add(signed, now().timestamp()).unwrap();
    }
    let v = Verifier::new(ContextRegistry::builtin().unwrap(), FixedClock(now()))
        .unwrap()
        .with_status_lists(Arc::new(lists), Duration::hours(24));
    let verdict = v.verify(&s.vcs[0], Checks::all()).await;
    assert_eq!(verdict.exit_code(), 2);
    assert!(
        status(&verdict).2.contains("validity"),
        "{}",
        status(&verdict).2
    );
}
