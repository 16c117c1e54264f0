//! `ddcc verify` at a checkpoint with an EU DCC: the HC1 text or a photo
//! of its QR, against signer certificates given as PEM, at a given clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use common::run;
use serde_json::Value;

fn case(dir: &std::path::Path, rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("eu-dcc-testdata").join(rel)).unwrap())
        .unwrap()
}

fn pem(case: &Value) -> String {
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        case["TESTCTX"]["CERTIFICATE"].as_str().unwrap()
    )
}

#[test]
fn eu_dcc_text_and_qr_photo_verify_against_given_signers() {
    let Some(vectors) = ddcc_test_support::vectors("EU DCC at the checkpoint") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let de = case(&vectors, "DE/1.json");
    std::fs::write(d.join("de.txt"), de["PREFIX"].as_str().unwrap()).unwrap();
    std::fs::write(d.join("de.pem"), pem(&de)).unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(de["2DCODE"].as_str().unwrap())
        .unwrap();
    std::fs::write(d.join("de.png"), png).unwrap();
    let at = "2021-06-01T20:00:00+02:00";
    let verify = |args: &[&str]| {
        let o = run(d, &[&["verify", "--json", "--at", at][..], args].concat());
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
        (
            o.status.code().unwrap(),
            v,
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let (code, v, text) = verify(&["de.txt", "--dsc", "de.pem"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(v["verdict"], "valid");
    assert_eq!(v["format"], "EU DCC (HC1)");
    assert_eq!(v["type"], "vaccination");
    assert_eq!(v["issuer_country"], "DE");
    // No personal data unless asked for.
    let name = de["JSON"]["nam"]["fn"].as_str().unwrap();
    assert!(!text.contains(name), "{text}");
    let (_, v, _) = verify(&["de.txt", "--dsc", "de.pem", "--show-claims"]);
    assert_eq!(v["claims"]["nam"]["fn"], name);
    // The same facts in the DDCC model.
    assert_eq!(v["ddcc"]["type"], "DDCCVaccinationCredential");
    assert_eq!(
        v["ddcc"]["credentialSubject"]["certificate"]["issuer"]["country"],
        "DEU"
    );
    assert!(
        v["ddcc"]["credentialSubject"]["name"]
            .as_str()
            .unwrap()
            .contains(name)
    );
    // The photo of the QR code, the same verdict.
    let (code, v, text) = verify(&["--qr", "de.png", "--dsc", "de.pem"]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("valid")), "{text}");

    // No signers given: could not verify. Another country's signer only:
    // unknown issuer. Years later: expired. Altered: invalid.
    let (code, v, _) = verify(&["de.txt"]);
    assert_eq!((code, v["verdict"].as_str()), (2, Some("could_not_verify")));
    let at_ = case(&vectors, "AT/1.json");
    std::fs::write(d.join("at.pem"), pem(&at_)).unwrap();
    let (code, v, _) = verify(&["de.txt", "--dsc", "at.pem"]);
    assert_eq!(
        (code, v["verdict"].as_str(), v["check"].as_str()),
        (1, Some("unknown_issuer"), Some("signer"))
    );
    let o = run(
        d,
        &[
            "verify",
            "--json",
            "--at",
            "2024-01-01T00:00:00Z",
            "de.txt",
            "--dsc",
            "de.pem",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (o.status.code(), v["check"].as_str()),
        (Some(1), Some("validity"))
    );
    // The same certificate with its signature's last byte changed,
    // encoded again as a scanner would read it.
    let mut cose = hex::decode(de["COSE"].as_str().unwrap()).unwrap();
    let last = cose.len() - 1;
    cose[last] ^= 1;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, &cose).unwrap();
    let forged = format!("HC1:{}", base45::encode(z.finish().unwrap()));
    std::fs::write(d.join("forged.txt"), forged).unwrap();
    let (code, v, _) = verify(&["forged.txt", "--dsc", "de.pem"]);
    assert_eq!(
        (code, v["verdict"].as_str(), v["check"].as_str()),
        (1, Some("invalid"), Some("signature"))
    );
    // Validly signed, with a country outside the EU value set
    // (PL-1.3.0/8): the schema check names the field, not its value.
    let pl = case(&vectors, "PL-1.3.0/8.json");
    std::fs::write(d.join("pl.txt"), pl["PREFIX"].as_str().unwrap()).unwrap();
    std::fs::write(d.join("pl.pem"), pem(&pl)).unwrap();
    let o = run(
        d,
        &[
            "verify",
            "--json",
            "--at",
            pl["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap(),
            "pl.txt",
            "--dsc",
            "pl.pem",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (o.status.code(), v["verdict"].as_str(), v["check"].as_str()),
        (Some(1), Some("invalid"), Some("schema")),
        "{v}"
    );
    let m = v["message"].as_str().unwrap();
    assert!(
        m.contains("is not in the EU value set country-2-codes"),
        "{m}"
    );
    assert!(!m.contains("XY"), "{m}");
    let cut = &de["PREFIX"].as_str().unwrap()[..80];
    std::fs::write(d.join("cut.txt"), cut).unwrap();
    let (code, v, _) = verify(&["cut.txt", "--dsc", "de.pem"]);
    assert_eq!((code, v["verdict"].as_str()), (1, Some("invalid")));
    // A picture with no code in it, and a file that is not a picture.
    std::fs::write(d.join("blank.png"), blank_png()).unwrap();
    let (code, v, _) = verify(&["--qr", "blank.png", "--dsc", "de.pem"]);
    assert_eq!((code, v["check"].as_str()), (2, Some("qr")));
    let (code, _, _) = verify(&["--qr", "de.txt", "--dsc", "de.pem"]);
    assert_eq!(code, 2);
}

/// A 64×64 white PNG.
fn blank_png() -> Vec<u8> {
    let img = image::GrayImage::from_pixel(64, 64, image::Luma([255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn smart_health_cards_by_qr_content_file_and_chunks() {
    let Some(vectors) = ddcc_test_support::vectors("SMART Health Cards at the checkpoint") else {
        return;
    };
    let shc = vectors.join("smart-health-cards");
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ex = |name: &str| std::fs::read_to_string(shc.join("examples").join(name)).unwrap();
    std::fs::write(
        d.join("one.txt"),
        ex("example-00-f-qr-code-numeric-value-0.txt"),
    )
    .unwrap();
    let chunks: String = (0..3)
        .map(|k| {
            ex(&format!("example-02-f-qr-code-numeric-value-{k}.txt"))
                .trim()
                .to_owned()
                + "\n"
        })
        .rev()
        .collect();
    std::fs::write(d.join("chunks.txt"), chunks).unwrap();
    std::fs::write(
        d.join("card.smart-health-card"),
        ex("example-01-e-file.smart-health-card"),
    )
    .unwrap();
    std::fs::write(d.join("revoked.txt"), ex("example-03-d-jws.txt")).unwrap();
    let iss = "https://spec.smarthealth.cards/examples/issuer";
    let keys = format!(
        "{iss}={}",
        shc.join("issuer/well-known/jwks.json").display()
    );
    let crl = format!(
        "{iss}={}",
        shc.join("issuer/well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json")
            .display()
    );
    let verify = |args: &[&str]| {
        let o = run(
            d,
            &[
                &["verify", "--json", "--at", "2023-11-14T00:00:00Z"][..],
                args,
            ]
            .concat(),
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
        (o.status.code().unwrap(), v)
    };
    for file in ["one.txt", "chunks.txt", "card.smart-health-card"] {
        let (code, v) = verify(&[file, "--shc-issuer", &keys, "--shc-crl", &crl]);
        assert_eq!(
            (code, v["verdict"].as_str()),
            (0, Some("valid")),
            "{file}: {v}"
        );
        assert_eq!(v["format"], "SMART Health Card");
        assert_eq!(v["issuer"], iss);
        // The list given is for the key that advertises one (crlVersion);
        // the issuer's other key advertises none.
        let expected = if v["signer_kid"] == "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s" {
            "checked"
        } else {
            "no_list"
        };
        assert_eq!(v["revocation"], expected, "{file}");
        assert!(v.get("claims").is_none());
    }
    // The revoked card's key advertises a revocation list (crlVersion):
    // without the list it cannot be known revoked, so the verdict says the
    // revocation was not checked, and a policy makes that could not verify.
    let (code, v) = verify(&["revoked.txt", "--shc-issuer", &keys]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("valid")), "{v}");
    assert_eq!(v["revocation"], "not_checked");
    let o = run(
        d,
        &[
            "verify",
            "--at",
            "2023-11-14T00:00:00Z",
            "revoked.txt",
            "--shc-issuer",
            &keys,
        ],
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("revocation: NOT CHECKED"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let (code, v) = verify(&[
        "revoked.txt",
        "--shc-issuer",
        &keys,
        "--require-revocation-check",
    ]);
    assert_eq!(
        (code, v["verdict"].as_str(), v["check"].as_str()),
        (2, Some("could_not_verify"), Some("revocation")),
        "{v}"
    );
    let (code, v) = verify(&["revoked.txt", "--shc-issuer", &keys, "--shc-crl", &crl]);
    assert_eq!(
        (code, v["verdict"].as_str(), v["check"].as_str()),
        (1, Some("revoked"), Some("revocation"))
    );
    let (code, v) = verify(&["one.txt"]);
    assert_eq!((code, v["verdict"].as_str()), (2, Some("could_not_verify")));
    let (code, v) = verify(&[
        "one.txt",
        "--shc-issuer",
        &format!(
            "https://other.example={}",
            shc.join("issuer/well-known/jwks.json").display()
        ),
    ]);
    assert_eq!((code, v["verdict"].as_str()), (1, Some("unknown_issuer")));
    let (_, v) = verify(&["one.txt", "--shc-issuer", &keys, "--show-claims"]);
    assert_eq!(v["claims"]["resourceType"], "Bundle");
    assert_eq!(v["ddcc"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["ddcc"][0]["credentialSubject"]["name"],
        "John B. Anyperson"
    );
    // Rules: the EU reference set needs the disease targeted and the dose
    // numbers, which a health card does not carry: the card fails the first
    // such rule, named.
    let rules = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../rules/eu-reference-1.0.0.json"
    );
    let (code, v) = verify(&["one.txt", "--shc-issuer", &keys, "--rules", rules]);
    assert_eq!((code, v["check"].as_str()), (1, Some("rules")), "{v}");
    assert_eq!(v["rules"]["failed_rule"], "vaccination.targetDisease");
    // Two chunks of three: refused with the reason.
    let two: String = (0..2)
        .map(|k| {
            ex(&format!("example-02-f-qr-code-numeric-value-{k}.txt"))
                .trim()
                .to_owned()
                + "\n"
        })
        .collect();
    std::fs::write(d.join("two.txt"), two).unwrap();
    let (code, v) = verify(&["two.txt", "--shc-issuer", &keys]);
    assert_eq!((code, v["check"].as_str()), (1, Some("encoding")));
}

/// The QR version `ddcc qr` reports on standard error.
fn version_of(stderr: &[u8]) -> u32 {
    let text = String::from_utf8_lossy(stderr);
    text.split("QR version ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no version in: {text}"))
}

#[test]
fn our_checkpoint_presentation_round_trips_through_a_qr_png() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    common::ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    let holder = common::ok(&run(d, &["key", "generate", "--out", "holder.key"]));
    common::ok(&run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--record",
            common::RECORD,
            "--format",
            "sd-jwt",
            "--holder",
            &holder,
            "--out",
            "vc.sdjwt",
        ],
    ));
    common::ok(&run(
        d,
        &[
            "present",
            "--credential",
            "vc.sdjwt",
            "--profile",
            "checkpoint",
            "--holder-key",
            "holder.key",
            "--aud",
            "https://venue.example",
            "--nonce",
            "n-7",
            "--out",
            "pres.txt",
        ],
    ));
    let o = run(d, &["qr", "--in", "pres.txt", "--out", "pres.png"]);
    common::ok(&o);
    let ours = version_of(&o.stderr);
    eprintln!("checkpoint presentation: QR version {ours}");
    assert!((1..=40).contains(&ours));
    // Read back from the picture and verified, key binding included.
    let o = run(
        d,
        &[
            "verify",
            "--qr",
            "pres.png",
            "--aud",
            "https://venue.example",
            "--nonce",
            "n-7",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = run(
        d,
        &[
            "verify",
            "--qr",
            "pres.png",
            "--aud",
            "https://venue.example",
            "--nonce",
            "n-8",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    // Straight from `present`: the same QR.
    let o = run(
        d,
        &[
            "present",
            "--credential",
            "vc.sdjwt",
            "--profile",
            "checkpoint",
            "--holder-key",
            "holder.key",
            "--aud",
            "https://venue.example",
            "--nonce",
            "n-9",
            "--out",
            "pres2.txt",
            "--qr",
            "pres2.png",
        ],
    );
    common::ok(&o);
    assert!((1..=40).contains(&version_of(&o.stderr)));
    let o = run(
        d,
        &[
            "verify",
            "--qr",
            "pres2.png",
            "--aud",
            "https://venue.example",
            "--nonce",
            "n-9",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // SVG too, and a Data Integrity credential.
    let o = run(d, &["qr", "--in", "pres.txt", "--out", "pres.svg"]);
    common::ok(&o);
    assert_eq!(version_of(&o.stderr), ours);
    common::ok(&run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--record",
            common::RECORD,
            "--out",
            "vc.json",
        ],
    ));
    let o = run(d, &["qr", "--in", "vc.json", "--out", "vc.png"]);
    common::ok(&o);
    eprintln!(
        "Data Integrity credential: QR version {}",
        version_of(&o.stderr)
    );
    let o = run(
        d,
        &[
            "verify",
            "--qr",
            "vc.png",
            "--checks",
            "contexts,proof,issuer,validity,schema",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("vc.png"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "a QR of personal data readable by others");
    }

    // An EU DCC carrying the same kind of facts, for comparison.
    if let Some(vectors) = ddcc_test_support::vectors("EU DCC QR size") {
        let de = case(&vectors, "DE/1.json");
        std::fs::write(d.join("hc1.txt"), de["PREFIX"].as_str().unwrap()).unwrap();
        let o = run(d, &["qr", "--raw", "--in", "hc1.txt", "--out", "hc1.png"]);
        common::ok(&o);
        eprintln!("EU DCC (DE/1): QR version {}", version_of(&o.stderr));
    }
}

#[test]
fn checkpoint_rules_name_the_rule_that_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let rules = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../rules/eu-reference-1.0.0.json"
    );
    common::ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    // The sample: dose 2 of 2 on 2021-06-24.
    common::ok(&run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--record",
            common::RECORD,
            "--now",
            "2021-06-25T00:00:00Z",
            "--out",
            "vc.json",
        ],
    ));
    let verify = |at: &str| {
        let o = run(
            d,
            &["verify", "vc.json", "--json", "--rules", rules, "--at", at],
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        (o.status.code().unwrap(), v)
    };
    let (code, v) = verify("2021-07-01T12:00:00Z");
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["verdict"], "invalid");
    assert_eq!(v["rules"]["failed_rule"], "vaccination.minDaysAfterPrimary");
    let (code, v) = verify("2021-07-10T12:00:00Z");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["rules"]["passed"], true);
    assert_eq!(v["rules"]["set"], "eu-reference@1.0.0");
    let (code, v) = verify("2022-04-01T12:00:00Z");
    assert_eq!(
        (code, v["rules"]["failed_rule"].as_str()),
        (1, Some("vaccination.maxDaysAfterPrimary"))
    );
    // Text output names the rule too.
    let o = run(
        d,
        &[
            "verify",
            "vc.json",
            "--rules",
            rules,
            "--at",
            "2021-07-01T12:00:00Z",
        ],
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("rule vaccination.minDaysAfterPrimary failed")
    );

    // A checkpoint presentation of an SD-JWT VC: the rules see what it
    // discloses (the checkpoint profile carries dates, doses, product).
    common::ok(&run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--record",
            common::RECORD,
            "--format",
            "sd-jwt",
            "--now",
            "2021-06-25T00:00:00Z",
            "--out",
            "vc.sdjwt",
        ],
    ));
    common::ok(&run(
        d,
        &[
            "present",
            "--credential",
            "vc.sdjwt",
            "--profile",
            "checkpoint",
            "--out",
            "pres.txt",
        ],
    ));
    let sd = |at: &str| {
        let o = run(
            d,
            &["verify", "pres.txt", "--json", "--rules", rules, "--at", at],
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        (o.status.code().unwrap(), v)
    };
    let (code, v) = sd("2021-07-01T12:00:00Z");
    assert_eq!(
        (
            code,
            v["check"].as_str(),
            v["rules"]["failed_rule"].as_str()
        ),
        (1, Some("rules"), Some("vaccination.minDaysAfterPrimary")),
        "{v}"
    );
    let (code, v) = sd("2021-07-10T12:00:00Z");
    assert_eq!(
        (code, v["rules"]["passed"].as_bool()),
        (0, Some(true)),
        "{v}"
    );

    // An EU DCC under the same rules.
    if let Some(vectors) = ddcc_test_support::vectors("EU DCC rules") {
        let de = case(&vectors, "DE/1.json");
        std::fs::write(d.join("de.txt"), de["PREFIX"].as_str().unwrap()).unwrap();
        std::fs::write(d.join("de.pem"), pem(&de)).unwrap();
        let o = run(
            d,
            &[
                "verify",
                "de.txt",
                "--dsc",
                "de.pem",
                "--json",
                "--rules",
                rules,
                "--at",
                "2021-06-01T20:00:00+02:00",
            ],
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["rules"]["set"], "eu-reference@1.0.0", "{v}");
        assert!(!v["rules"]["results"].as_array().unwrap().is_empty());
        let expect = if v["rules"]["passed"] == true { 0 } else { 1 };
        assert_eq!(o.status.code(), Some(expect), "{v}");
    }
}

/// `pdftoppm` (poppler), to read a printed card as a scanner would;
/// `None`, said loudly, when missing, unless `DDCC_REQUIRE_PDFTOPPM=1`.
fn pdftoppm(test: &str) -> Option<()> {
    let found = std::process::Command::new("pdftoppm")
        .arg("-v")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var("DDCC_REQUIRE_PDFTOPPM").as_deref() != Ok("1"),
            "DDCC_REQUIRE_PDFTOPPM=1 but pdftoppm is not installed"
        );
        eprintln!("SKIPPED {test}: pdftoppm (poppler-utils) is not installed");
        return None;
    }
    Some(())
}

#[test]
fn a_printed_card_is_read_back_from_its_pdf_and_verifies() {
    if pdftoppm("a_printed_card_is_read_back_from_its_pdf_and_verifies").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    common::ok(&run(d, &["key", "generate", "--out", "moh.key"]));
    common::ok(&run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--record",
            common::RECORD,
            "--format",
            "sd-jwt",
            "--out",
            "vc.sdjwt",
        ],
    ));
    common::ok(&run(
        d,
        &[
            "issue",
            "--key",
            "moh.key",
            "--record",
            common::RECORD,
            "--out",
            "vc.json",
        ],
    ));
    for (input, pdf) in [("vc.sdjwt", "sd.pdf"), ("vc.json", "di.pdf")] {
        let o = run(d, &["print", "--credential", input, "--out", pdf]);
        common::ok(&o);
        assert!(String::from_utf8_lossy(&o.stderr).contains("QR version"));
        assert!(std::fs::read(d.join(pdf)).unwrap().starts_with(b"%PDF-"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(d.join(pdf)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "a printed card readable by others");
        }
        // Rendered as a printer or scanner would see it, at 150 dpi.
        let stem = pdf.trim_end_matches(".pdf");
        let o = std::process::Command::new("pdftoppm")
            .current_dir(d)
            .args(["-r", "150", "-png", pdf, stem])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let page = format!("{stem}-1.png");
        // The facts in words, for the officer reading the paper.
        let o = std::process::Command::new("pdftotext")
            .current_dir(d)
            .args([pdf, "-"])
            .output()
            .unwrap();
        let words = String::from_utf8_lossy(&o.stdout);
        for fact in [
            "Jane Sue Citizen",
            "1961-05-15",
            "Comirnaty",
            "2 of 2",
            "URN:UVCI:01:UT:DADFCC47C7334E45A906DB12FD859FB7#1",
        ] {
            assert!(words.contains(fact), "{pdf}: {fact} not printed:\n{words}");
        }
        let o = run(
            d,
            &[
                "verify",
                "--qr",
                &page,
                "--json",
                "--checks",
                "contexts,proof,issuer,validity,schema",
            ],
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(o.status.code(), Some(0), "{input}: {v}");
        if input == "vc.sdjwt" {
            // The card's QR holds the checkpoint profile: no certificate id,
            // no lot, no centre.
            let o = run(d, &["verify", "--qr", &page, "--json", "--show-claims"]);
            let v: Value = serde_json::from_slice(&o.stdout).unwrap();
            assert!(v["claims"]["certificate"].get("hcid").is_none(), "{v}");
            assert!(v["claims"]["vaccination"].get("lot").is_none(), "{v}");
            assert_eq!(v["holder_bound"], false);
        }
    }
    // A credential that does not verify is not printed, in either format.
    let mut vc: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("vc.json")).unwrap()).unwrap();
    vc["credentialSubject"]["name"] = "Someone Else".into();
    std::fs::write(d.join("forged.json"), vc.to_string()).unwrap();
    let o = run(
        d,
        &[
            "print",
            "--credential",
            "forged.json",
            "--out",
            "forged-di.pdf",
        ],
    );
    assert!(!o.status.success());
    assert!(!d.join("forged-di.pdf").exists());
    let mut forged = std::fs::read_to_string(d.join("vc.sdjwt")).unwrap();
    forged = forged.replacen('.', ".x", 1);
    std::fs::write(d.join("forged.sdjwt"), forged).unwrap();
    let o = run(
        d,
        &[
            "print",
            "--credential",
            "forged.sdjwt",
            "--out",
            "forged.pdf",
        ],
    );
    assert!(!o.status.success());
    assert!(!d.join("forged.pdf").exists());
}

/// The `--context` options pinning DIVOC's contexts (not embedded: GPL).
fn divoc_contexts(vectors: &std::path::Path) -> Vec<String> {
    let c = vectors.join("divoc/contexts");
    [
        (
            "https://cowin.gov.in/credentials/vaccination/v1",
            "cowin-vaccination-v1.jsonld",
        ),
        (
            "https://cowin.gov.in/credentials/vaccination/v2",
            "cowin-vaccination-v2.jsonld",
        ),
        (
            "https://divoc.dev/credentials/vaccination/v1",
            "cowin-vaccination-v1.jsonld",
        ),
    ]
    .into_iter()
    .flat_map(|(url, file)| {
        [
            "--context".to_owned(),
            format!("{url}={}", c.join(file).display()),
        ]
    })
    .collect()
}

fn as_refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn zip_of(name: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        name,
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    w.write_all(bytes).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn divoc_certificates_as_json_archive_b64_text_and_qr_photos() {
    let Some(vectors) = ddcc_test_support::vectors("DIVOC at the checkpoint") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let signed = vectors.join("divoc/signed");
    let text = std::fs::read_to_string(signed.join("cowin-v2-rsa2018-valid-1.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let name = doc["credentialSubject"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    std::fs::write(d.join("cert.json"), &text).unwrap();
    let archive = zip_of("certificate.json", &serde_json::to_vec(&doc).unwrap());
    std::fs::write(d.join("cert.zip"), &archive).unwrap();
    let b64 = format!(
        "B64:{}",
        base64::engine::general_purpose::STANDARD.encode(&archive)
    );
    std::fs::write(d.join("b64.txt"), &b64).unwrap();
    // DIVOC's QR codes hold the archive as bytes; some deployments the
    // B64: text.
    let raw_qr = ddcc::qr::render_png_bytes(&archive).unwrap();
    eprintln!(
        "DIVOC QR: version {} for a {}-byte archive",
        raw_qr.version,
        archive.len()
    );
    std::fs::write(d.join("raw.png"), &raw_qr.bytes).unwrap();
    std::fs::write(d.join("b64.png"), ddcc::qr::render_png(&b64).unwrap().bytes).unwrap();
    std::fs::write(
        d.join("tampered.json"),
        std::fs::read(signed.join("divoc-dev-v1-rsa2018-INVALID-tampered-subject-id.json"))
            .unwrap(),
    )
    .unwrap();
    std::fs::write(d.join("truncated.zip"), &archive[..archive.len() / 2]).unwrap();
    std::fs::write(d.join("bad-b64.txt"), "B64:!!!").unwrap();

    let key = format!(
        "did:india={}",
        vectors
            .join("divoc/keys/divoc-dev-rsa-public.pem")
            .display()
    );
    let contexts = divoc_contexts(&vectors);
    let verify = |args: &[&str]| {
        let mut all = vec!["verify", "--json", "--at", "2022-04-08T00:00:00Z"];
        all.extend_from_slice(args);
        let o = run(d, &all);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
        (o.status.code().unwrap(), v, o)
    };
    let with = |input: &'static str, extra: &[&'static str]| -> Vec<String> {
        let mut a = vec![input.to_owned(), "--divoc-key".to_owned(), key.clone()];
        a.extend(contexts.iter().cloned());
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a
    };
    for (input, extra) in [
        ("cert.json", &[][..]),
        ("cert.zip", &[][..]),
        ("b64.txt", &[][..]),
        ("raw.png", &["--qr"][..]),
        ("b64.png", &["--qr"][..]),
    ] {
        let args = with(input, extra);
        let (code, v, o) = verify(&as_refs(&args));
        assert_eq!(
            (code, v["verdict"].as_str()),
            (0, Some("valid")),
            "{input}: {v} {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(v["format"], "DIVOC");
        assert_eq!(v["issuer"], "https://cowin.gov.in/");
        assert_eq!(v["signer"]["verificationMethod"], "did:india");
        assert_eq!(v["signer"]["proofType"], "RsaSignature2018");
        assert!(v.get("claims").is_none());
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains(&name),
            "{input}"
        );
    }
    // The same facts in the DDCC model with --show-claims.
    let args = with("cert.json", &["--show-claims"]);
    let (_, v, _) = verify(&as_refs(&args));
    let s = &v["ddcc"][0]["credentialSubject"];
    assert_eq!(s["vaccination"]["vaccine"]["code"], "XM9QW8");
    assert_eq!(s["certificate"]["hcid"], "303232161");
    // Text output names format, issuer and key, not the person.
    let args = with("cert.zip", &[]);
    let o = run(
        d,
        &[
            &["verify", "--at", "2022-04-08T00:00:00Z"][..],
            &as_refs(&args),
        ]
        .concat(),
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.starts_with("VALID (DIVOC, ProofOfVaccinationCredential, issued by https://cowin.gov.in/, RsaSignature2018 key "),
        "{out}"
    );
    assert!(!out.contains(&name));

    // Refusals, each with its check.
    let args = with("tampered.json", &[]);
    let (code, v, _) = verify(&as_refs(&args));
    assert_eq!(
        (code, v["verdict"].as_str(), v["check"].as_str()),
        (1, Some("invalid"), Some("signature")),
        "{v}"
    );
    let (code, v, _) = verify(&["cert.json"]);
    assert_eq!(
        (code, v["verdict"].as_str(), v["check"].as_str()),
        (2, Some("could_not_verify"), Some("signer"))
    );
    let (code, v, _) = verify(&["cert.json", "--divoc-key", &key]);
    assert_eq!(
        (code, v["verdict"].as_str(), v["check"].as_str()),
        (2, Some("could_not_verify"), Some("contexts"))
    );
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("unknown context https://cowin.gov.in/credentials/vaccination/v2")
    );
    let other = format!(
        "did:example:other={}",
        vectors
            .join("divoc/keys/divoc-dev-rsa-public.pem")
            .display()
    );
    let mut args = with("cert.json", &[]);
    args[2] = other;
    let (code, v, _) = verify(&as_refs(&args));
    assert_eq!(
        (code, v["verdict"].as_str(), v["check"].as_str()),
        (1, Some("unknown_issuer"), Some("signer"))
    );
    for input in ["truncated.zip", "bad-b64.txt"] {
        let args = with(input, &[]);
        let (code, v, _) = verify(&as_refs(&args));
        assert_eq!(
            (code, v["verdict"].as_str(), v["check"].as_str()),
            (1, Some("invalid"), Some("encoding")),
            "{input}: {v}"
        );
    }
    // Rules: the EU reference set asks for the disease targeted, which a
    // DIVOC certificate does not state: the rule is named.
    let rules = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../rules/eu-reference-1.0.0.json"
    );
    let args = with("cert.json", &["--rules", rules]);
    let (code, v, _) = verify(&as_refs(&args));
    assert_eq!((code, v["check"].as_str()), (1, Some("rules")), "{v}");
    assert!(v["rules"]["failed_rule"].is_string());
}
