//! The register: random, never repeated indexes; idempotent by HCID;
//! status changes; a file with no personal data in it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use ddcc_register::{Owner, Register, RegisterError};
use ddcc_status::Purpose;

const BASE: &str = "https://moh.example/status";
const BOTH: [Purpose; 2] = [Purpose::Revocation, Purpose::Suspension];

/// Where a test's register lives: a SQLite file or a PostgreSQL database.
enum Store {
    Sqlite(tempfile::TempDir),
    Postgres(ddcc_test_support::TestDatabase),
}

impl Store {
    fn open(&self) -> Register {
        match self {
            Store::Sqlite(dir) => {
                Register::open(&dir.path().join("register.sqlite"), BASE).unwrap()
            }
            Store::Postgres(db) => Register::connect(&db.url, BASE).unwrap(),
        }
    }
}

/// The stores to run a test against: SQLite always, PostgreSQL when a
/// server is configured (required in CI).
fn stores(test: &str) -> Vec<Store> {
    let mut out = vec![Store::Sqlite(tempfile::tempdir().unwrap())];
    if let Some(db) = ddcc_test_support::postgres_database(test) {
        out.push(Store::Postgres(db));
    }
    out
}

#[test]
fn the_sqlite_file_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.sqlite");
    Register::open(&path, BASE).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the register is readable by others");
    }
}

#[test]
fn indexes_are_unique_random_and_stable_per_hcid() {
    for store in stores("indexes_are_unique_random_and_stable_per_hcid") {
        indexes_are_unique_random_and_stable(&store);
    }
}

fn indexes_are_unique_random_and_stable(store: &Store) {
    let mut reg = store.open();
    let mut seen = HashSet::new();
    let mut first = Vec::new();
    for i in 0..2000 {
        let r = reg
            .reserve(
                &format!("URN:UVCI:01:UT:{i:08}"),
                "DDCCVaccinationCredential",
                &BOTH,
                &mut rand_core::OsRng,
            )
            .unwrap();
        assert_eq!(r.entries.len(), 2);
        for e in &r.entries {
            assert!(
                seen.insert((e.list_url.clone(), e.index)),
                "index allocated twice"
            );
        }
        first.push(r.entries[0].index);
    }
    // Random, not sequential: the first 2000 revocation indexes spread
    // over the list rather than filling 0..2000.
    assert!(first.iter().filter(|i| **i >= 2000).count() > 1900);
    // Idempotent: the same HCID gets the same entries, also after reopening.
    let again = reg
        .reserve(
            "URN:UVCI:01:UT:00000007",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    drop(reg);
    let mut reg = store.open();
    let reopened = reg
        .reserve(
            "URN:UVCI:01:UT:00000007",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert_eq!(again, reopened);
    assert_eq!(reopened.issued_digest, None);
    reg.mark_issued(
        "URN:UVCI:01:UT:00000007",
        "sha256:abc",
        "2025-03-01T00:00:00Z",
    )
    .unwrap();
    let done = reg
        .reserve(
            "URN:UVCI:01:UT:00000007",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert_eq!(done.issued_digest.as_deref(), Some("sha256:abc"));
    assert_eq!(reg.counts().unwrap(), (2000, 1));
}

#[test]
fn status_changes_show_in_the_lists() {
    for store in stores("status_changes_show_in_the_lists") {
        status_changes(&store);
    }
}

fn status_changes(store: &Store) {
    let mut reg = store.open();
    let a = reg
        .reserve(
            "A",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    reg.reserve(
        "B",
        "DDCCVaccinationCredential",
        &BOTH,
        &mut rand_core::OsRng,
    )
    .unwrap();
    let url = reg.set_status("A", Purpose::Revocation, true).unwrap();
    assert_eq!(url, format!("{BASE}/revocation-1.json"));
    let lists = reg.lists().unwrap();
    let rev = lists
        .iter()
        .find(|l| l.purpose == Purpose::Revocation)
        .unwrap();
    assert_eq!(rev.bits.count_set(), 1);
    assert!(
        rev.is_set(
            &a.entries
                .iter()
                .find(|e| e.purpose == Purpose::Revocation)
                .unwrap()
                .clone()
        )
        .unwrap()
    );
    // Suspend and reinstate; revocation is final.
    reg.set_status("B", Purpose::Suspension, true).unwrap();
    reg.set_status("B", Purpose::Suspension, false).unwrap();
    assert!(matches!(
        reg.set_status("A", Purpose::Revocation, false),
        Err(RegisterError::Revoked)
    ));
    assert!(matches!(
        reg.set_status("Z", Purpose::Revocation, true),
        Err(RegisterError::UnknownHcid)
    ));
    let only_rev = reg
        .reserve(
            "C",
            "DDCCVaccinationCredential",
            &[Purpose::Revocation],
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert_eq!(only_rev.entries.len(), 1);
    assert!(matches!(
        reg.set_status("C", Purpose::Suspension, true),
        Err(RegisterError::NoEntry(_))
    ));
}

#[test]
fn two_issuers_keep_their_own_lists_in_one_register() {
    for store in stores("two_issuers_keep_their_own_lists_in_one_register") {
        two_issuers(&store);
    }
}

fn two_issuers(store: &Store) {
    const BBS: &str = "did:key:zUC7example";
    let mut own = store.open();
    let a = own
        .reserve(
            "A",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    let mut bbs = store.open().with_issuer(BBS);
    let base_bbs = format!("{BASE}/bbs");
    // The BLS issuer's lists go under their own base URL.
    let mut bbs_under = match store {
        Store::Sqlite(dir) => Register::open(&dir.path().join("register.sqlite"), &base_bbs),
        Store::Postgres(db) => Register::connect(&db.url, &base_bbs),
    }
    .unwrap()
    .with_issuer(BBS);
    let b = bbs_under
        .reserve(
            "B",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert!(
        b.entries
            .iter()
            .all(|e| e.list_url.starts_with(&format!("{base_bbs}/"))),
        "{:?}",
        b.entries
    );
    assert!(a.entries.iter().all(|e| !e.list_url.contains("/bbs/")));
    // An HCID is issued once, whoever asks: the other issuer gets the
    // existing entries, not new ones.
    let again = bbs
        .reserve(
            "A",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert_eq!(again.entries, a.entries);

    // Each issuer sees and signs only its own lists.
    let urls = |r: &mut Register| -> HashSet<String> {
        r.lists().unwrap().into_iter().map(|l| l.url).collect()
    };
    let (mine, theirs) = (urls(&mut own), urls(&mut bbs));
    assert_eq!(mine.len(), 2);
    assert_eq!(theirs.len(), 2);
    assert!(mine.is_disjoint(&theirs));
    assert!(
        theirs
            .iter()
            .all(|u| u.starts_with(&format!("{base_bbs}/")))
    );
    // A status change shows in the list of the issuer that holds it.
    own.set_status("B", Purpose::Revocation, true).unwrap();
    let revoked: Vec<_> = bbs
        .lists()
        .unwrap()
        .into_iter()
        .filter(|l| l.bits.count_set() == 1)
        .collect();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].purpose, Purpose::Revocation);
    assert!(own.lists().unwrap().iter().all(|l| l.bits.count_set() == 0));
}

#[test]
fn a_reservation_belongs_to_its_process_until_issued() {
    for store in stores("a_reservation_belongs_to_its_process_until_issued") {
        reservations_have_owners(&store);
    }
}

fn reservations_have_owners(store: &Store) {
    let ty = "DDCCVaccinationCredential";
    let mut a = store.open().with_owner(Owner::named("issuer-a"));
    let mut b = store.open().with_owner(Owner::named("issuer-b"));
    let ra = a.reserve("X", ty, &BOTH, &mut rand_core::OsRng).unwrap();
    assert!(!ra.held_elsewhere);
    // B may not issue what A holds, nor record it as issued.
    let rb = b.reserve("X", ty, &BOTH, &mut rand_core::OsRng).unwrap();
    assert!(rb.held_elsewhere && rb.entries.is_empty());
    assert!(matches!(
        b.mark_issued("X", "sha-256:b", "2025-03-01T00:00:00Z"),
        Err(RegisterError::HeldElsewhere)
    ));
    // A issues it; then everyone sees it issued, with A's digest.
    a.mark_issued("X", "sha-256:a", "2025-03-01T00:00:00Z")
        .unwrap();
    a.mark_issued("X", "sha-256:a", "2025-03-01T00:00:00Z")
        .unwrap();
    let seen = b.reserve("X", ty, &BOTH, &mut rand_core::OsRng).unwrap();
    assert_eq!(seen.issued_digest.as_deref(), Some("sha-256:a"));
    assert_eq!(seen.entries, ra.entries);
    assert!(matches!(
        b.mark_issued("X", "sha-256:other", "2025-03-01T00:00:00Z"),
        Err(RegisterError::HeldElsewhere)
    ));

    // A process on this host that died holding a reservation: it is taken
    // over, with the same status entries.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    let mut dead = store.open().with_owner(Owner::local(pid, 1));
    let rd = dead.reserve("Y", ty, &BOTH, &mut rand_core::OsRng).unwrap();
    let mut c = store.open();
    let rc = c.reserve("Y", ty, &BOTH, &mut rand_core::OsRng).unwrap();
    assert!(
        !rc.held_elsewhere,
        "a dead owner's reservation was not taken over"
    );
    assert_eq!(rc.entries, rd.entries);
    c.mark_issued("Y", "sha-256:c", "2025-03-01T00:00:00Z")
        .unwrap();
    assert!(matches!(
        dead.mark_issued("Y", "sha-256:d", "2025-03-01T00:00:00Z"),
        Err(RegisterError::HeldElsewhere)
    ));
    assert!(matches!(
        c.mark_issued("Z", "sha-256:c", "2025-03-01T00:00:00Z"),
        Err(RegisterError::UnknownHcid)
    ));
    // One HCID twice in one call: one reservation, given twice.
    let twice = c
        .reserve_many(
            &[("D", ty), ("E", ty), ("D", ty)],
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert_eq!(twice[0], twice[2]);
    assert_ne!(twice[0].entries, twice[1].entries);
    // A mark that fails for one item records none of them.
    assert!(matches!(
        c.mark_issued_many(
            &[("D", "sha-256:d"), ("X", "sha-256:other")],
            "2025-03-01T00:00:00Z"
        ),
        Err(RegisterError::HeldElsewhere)
    ));
    assert_eq!(c.issued_digest("D").unwrap(), None);
}

#[test]
fn two_issuers_at_once_never_share_an_index_or_a_certificate() {
    for store in stores("two_issuers_at_once_never_share_an_index_or_a_certificate") {
        concurrent_issuers(&store);
    }
}

fn concurrent_issuers(store: &Store) {
    let hcids: Vec<String> = (0..3000)
        .map(|i| format!("URN:UVCI:01:UT:C{i:06}"))
        .collect();
    let results: Vec<Vec<(String, Vec<ddcc_status::StatusEntry>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = ["p1", "p2"]
            .into_iter()
            .map(|name| {
                let hcids = &hcids;
                s.spawn(move || {
                    let mut reg = store.open().with_owner(Owner::named(name));
                    let mut mine = Vec::new();
                    for chunk in hcids.chunks(100) {
                        let items: Vec<(&str, &str)> = chunk
                            .iter()
                            .map(|h| (h.as_str(), "DDCCVaccinationCredential"))
                            .collect();
                        let got = reg
                            .reserve_many(&items, &BOTH, &mut rand_core::OsRng)
                            .unwrap();
                        let mut issued = Vec::new();
                        for (h, r) in chunk.iter().zip(got) {
                            if !r.held_elsewhere && r.issued_digest.is_none() {
                                issued.push(h.as_str());
                                mine.push((h.clone(), r.entries));
                            }
                        }
                        let marks: Vec<(&str, &str)> =
                            issued.iter().map(|h| (*h, "sha-256:x")).collect();
                        reg.mark_issued_many(&marks, "2025-03-01T00:00:00Z")
                            .unwrap();
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut hcid_seen = HashSet::new();
    let mut index_seen = HashSet::new();
    for (h, entries) in results.iter().flatten() {
        assert!(hcid_seen.insert(h.clone()), "a certificate issued twice");
        assert_eq!(entries.len(), 2);
        for e in entries {
            assert!(
                index_seen.insert((e.list_url.clone(), e.index)),
                "a status index allocated twice"
            );
        }
    }
    assert_eq!(hcid_seen.len(), hcids.len(), "a certificate was not issued");
    assert_eq!(store.open().counts().unwrap(), (3000, 3000));
}

#[test]
fn postgres_over_tls_is_verified() {
    let Some(db) = ddcc_test_support::postgres_database("postgres_over_tls_is_verified") else {
        return;
    };
    let required = std::env::var("DDCC_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    let Ok(ca) = std::env::var("DDCC_TEST_POSTGRES_TLS_CA") else {
        assert!(
            !required,
            "DDCC_TEST_POSTGRES_TLS_CA must name the server's certificate"
        );
        eprintln!("SKIPPED postgres_over_tls_is_verified: DDCC_TEST_POSTGRES_TLS_CA is not set");
        return;
    };
    // The same database by the name its certificate carries, TLS required.
    let url = db
        .url
        .replace("127.0.0.1", "localhost")
        .replace("sslmode=disable", "sslmode=require");
    let url = if url.contains("sslmode=") {
        url
    } else if url.contains('?') {
        format!("{url}&sslmode=require")
    } else {
        format!("{url}?sslmode=require")
    };
    let mut reg = Register::connect_with_root(&url, BASE, Some(std::path::Path::new(&ca))).unwrap();
    let r = reg
        .reserve(
            "T",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert_eq!(r.entries.len(), 2);
    // A server whose certificate is not trusted is refused, with the reason.
    let other = tempfile::NamedTempFile::new().unwrap();
    let unrelated = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    std::fs::write(other.path(), unrelated.cert.pem()).unwrap();
    let e = Register::connect_with_root(&url, BASE, Some(other.path())).unwrap_err();
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");
}

#[test]
fn a_new_status_base_gets_lists_of_its_own() {
    for store in stores("a_new_status_base_gets_lists_of_its_own") {
        new_base(&store);
    }
}

/// Lists published under one base, then the issuer moves its lists: new
/// certificates point at the new base (never silently at the old one), and
/// the old certificates keep theirs.
fn new_base(store: &Store) {
    let mut old = store.open();
    let a = old
        .reserve(
            "A",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert!(
        a.entries
            .iter()
            .all(|e| e.list_url.starts_with(&format!("{BASE}/")))
    );
    drop(old);
    let moved = "https://status.moh.example/v2";
    let mut new = match store {
        Store::Sqlite(dir) => Register::open(&dir.path().join("register.sqlite"), moved),
        Store::Postgres(db) => Register::connect(&db.url, moved),
    }
    .unwrap();
    let b = new
        .reserve(
            "B",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    for e in &b.entries {
        assert!(
            e.list_url.starts_with(&format!("{moved}/")),
            "{}",
            e.list_url
        );
        assert!(a.entries.iter().all(|x| x.list_url != e.list_url));
    }
    // A certificate reserved before keeps its entries, whatever the base now.
    let again = new
        .reserve(
            "A",
            "DDCCVaccinationCredential",
            &BOTH,
            &mut rand_core::OsRng,
        )
        .unwrap();
    assert_eq!(again.entries, a.entries);
}
