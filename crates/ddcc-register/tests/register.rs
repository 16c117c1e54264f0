//! The register: random, never repeated indexes; idempotent by HCID;
//! status changes; a file with no personal data in it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use ddcc_register::{Register, RegisterError};
use ddcc_status::Purpose;

const BASE: &str = "https://moh.example/status";
const BOTH: [Purpose; 2] = [Purpose::Revocation, Purpose::Suspension];

#[test]
fn indexes_are_unique_random_and_stable_per_hcid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.sqlite");
    let mut reg = Register::open(&path, BASE).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the register is readable by others");
    }
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
    let mut reg = Register::open(&path, BASE).unwrap();
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
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(&dir.path().join("r.sqlite"), BASE).unwrap();
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
