//! Code systems and static equivalence tables.
//!
//! A checkpoint has no terminology server, so an issued certificate carries
//! the equivalents of its ICD-11 codes. The tables below come from the WHO
//! DDCC implementation guide's concept maps (CVX/SNOMED/EU Union Register →
//! ICD-11) as summarised in DOMAIN §1.3.

use crate::Coding;

/// ICD-11 MMS, the system URI the DDCC guide uses. Preferred form.
pub const ICD11: &str = "http://id.who.int/icd11/mms";
/// ICD-11 MMS as the SMART Health Cards vaccination guide writes it.
pub const ICD11_ALT: &str = "http://id.who.int/icd/release/11/mms";
/// SNOMED CT.
pub const SNOMED: &str = "http://snomed.info/sct";
/// CDC vaccine codes.
pub const CVX: &str = "http://hl7.org/fhir/sid/cvx";
/// EU Union Register of medicinal products.
pub const EU_UNION_REGISTER: &str =
    "https://ec.europa.eu/health/documents/community-register/html/";

/// Returns the preferred form of a code system URI (the two ICD-11 URIs in
/// use are folded into [`ICD11`]).
pub fn normalize_system(system: &str) -> &str {
    if system == ICD11_ALT { ICD11 } else { system }
}

/// (ICD-11 code, equivalents as (system, code)).
type Row = (&'static str, &'static [(&'static str, &'static str)]);

/// Vaccine types (WHO value set `WHODDCCVaccinesCOVID19`).
const VACCINES: &[Row] = &[
    ("XM68M6", &[(SNOMED, "28531000087107")]),
    ("XM1NL1", &[(SNOMED, "1157024006")]),
    ("XM9QW8", &[(SNOMED, "29061000087103")]),
    ("XM0GQ8", &[(SNOMED, "1119349007")]),
    ("XM5DF6", &[]),
    ("XM6AT1", &[]),
    ("XM0CX4", &[]),
    ("XM5JC5", &[]),
    ("XM1J92", &[]),
];

/// Vaccine brands (ICD-11 product codes) with the EU product codes WHO's
/// `vaccine-covid19-euur-to-icd11` concept map declares *equivalent* to
/// them (EU Union Register numbers, and the names the EU DCC value set
/// uses for vaccines outside the Union Register), and their CVX codes.
/// Products that map only to a *wider* ICD-11 concept (Nuvaxovid's
/// EU/1/21/1618, say, which WHO maps as narrower than XM9T65) are not
/// equivalents and stay in their own code system.
const BRANDS: &[Row] = &[
    (
        "XM8NQ0",
        &[(EU_UNION_REGISTER, "EU/1/20/1528"), (CVX, "208")],
    ),
    (
        "XM3DT5",
        &[(EU_UNION_REGISTER, "EU/1/20/1507"), (CVX, "207")],
    ),
    (
        "XM4YL8",
        &[
            (EU_UNION_REGISTER, "EU/1/21/1529"),
            (EU_UNION_REGISTER, "R-COVI"),
            (EU_UNION_REGISTER, "AZD2816"),
            (CVX, "210"),
        ],
    ),
    (
        "XM6QV1",
        &[(EU_UNION_REGISTER, "EU/1/20/1525"), (CVX, "212")],
    ),
    (
        "XM9T65",
        &[(EU_UNION_REGISTER, "NVX-CoV2373"), (CVX, "211")],
    ),
    ("XM5ZJ4", &[(EU_UNION_REGISTER, "Sputnik-V")]),
    ("XM1AG7", &[(EU_UNION_REGISTER, "Convidecia")]),
    ("XM6SZ8", &[(EU_UNION_REGISTER, "EpiVacCorona")]),
    ("XM8866", &[(EU_UNION_REGISTER, "BBIBP-CorV")]),
    ("XM7HT3", &[(EU_UNION_REGISTER, "CoronaVac")]),
    ("XM1G90", &[(EU_UNION_REGISTER, "Covaxin")]),
    ("XM97T2", &[(EU_UNION_REGISTER, "Covishield")]),
    ("XM3CT4", &[(EU_UNION_REGISTER, "Covid-19-recombinant")]),
    ("XM85P5", &[(EU_UNION_REGISTER, "CoviVac")]),
    ("XM5QM6", &[(EU_UNION_REGISTER, "Sputnik-Light")]),
    ("XM9FQ7", &[(EU_UNION_REGISTER, "Hayat-Vax")]),
    ("XM1AU2", &[(EU_UNION_REGISTER, "WIBP-CorV")]),
    ("XM4EC8", &[(EU_UNION_REGISTER, "MVC-COV1901")]),
    ("XM3SK8", &[(EU_UNION_REGISTER, "EpiVacCorona-N")]),
    ("XM3PG0", &[(EU_UNION_REGISTER, "Soberana-02")]),
    ("XM0RV9", &[(EU_UNION_REGISTER, "Soberana-Plus")]),
];

/// (ICD-11 brand, name, ICD-11 vaccine type where WHO's
/// `who-ddcc-map-eudcc-icd11-vaccines` concept map states it).
const BRAND_NAMES: &[(&str, &str, Option<&str>)] = &[
    ("XM8NQ0", "Comirnaty", Some("XM0GQ8")),
    ("XM3DT5", "Spikevax (Moderna)", Some("XM0GQ8")),
    ("XM4YL8", "Vaxzevria (AstraZeneca)", Some("XM9QW8")),
    ("XM6QV1", "Jcovden (Janssen)", Some("XM0CX4")),
    ("XM9T65", "Nuvaxovid (Novavax)", Some("XM5JC5")),
    ("XM5ZJ4", "Sputnik V", Some("XM9QW8")),
    ("XM1AG7", "Convidecia", Some("XM9QW8")),
    ("XM6SZ8", "EpiVacCorona", None),
    ("XM8866", "BBIBP-CorV (Sinopharm)", Some("XM1NL1")),
    ("XM7HT3", "CoronaVac (Sinovac)", Some("XM1NL1")),
    ("XM1G90", "Covaxin", Some("XM1NL1")),
    ("XM97T2", "Covishield", Some("XM9QW8")),
    ("XM3CT4", "COVID-19 (recombinant)", None),
    ("XM85P5", "CoviVac", None),
    ("XM5QM6", "Sputnik Light", None),
    ("XM9FQ7", "Hayat-Vax", None),
    ("XM1AU2", "WIBP-CorV", None),
    ("XM4EC8", "MVC COVID-19 vaccine", None),
    ("XM3SK8", "EpiVacCorona-N", None),
    ("XM3PG0", "Soberana 02", None),
    ("XM0RV9", "Soberana Plus", None),
];

/// Letters and digits only, lower case: how product names are compared.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The ICD-11 brand of a vaccine named in free text (as DIVOC
/// certificates name them: `Covishield`, `covaxin`, `Sputnik V`): a brand
/// whose name, or one of whose EU product codes, reads the same ignoring
/// case, spaces and punctuation.
pub fn brand_by_name(name: &str) -> Option<Coding> {
    let key = name_key(name);
    if key.is_empty() {
        return None;
    }
    let code = BRAND_NAMES
        .iter()
        .find(|(_, n, _)| name_key(n) == key || name_key(n.split(" (").next().unwrap_or(n)) == key)
        .map(|(c, _, _)| *c)
        .or_else(|| {
            BRANDS
                .iter()
                .find(|(_, eq)| {
                    eq.iter()
                        .any(|(s, c)| *s == EU_UNION_REGISTER && name_key(c) == key)
                })
                .map(|(c, _)| *c)
        })?;
    let mut coding = Coding {
        system: ICD11.to_owned(),
        code: code.to_owned(),
        display: None,
        equivalents: Vec::new(),
    };
    complete_equivalents(&mut coding);
    Some(coding)
}

/// The ICD-11 vaccine type of an ICD-11 brand, where WHO's concept map
/// states it.
pub fn vaccine_type_of_brand(brand: &str) -> Option<&'static str> {
    BRAND_NAMES
        .iter()
        .find(|(c, _, _)| *c == brand)
        .and_then(|(_, _, t)| *t)
}

/// Diseases.
const DISEASES: &[Row] = &[("RA01", &[(SNOMED, "840539006")])];

/// LOINC.
pub const LOINC: &str = "http://loinc.org";
/// ICD-11 foundation entities (the test types of DDCC:TR are entities).
pub const ICD11_ENTITY: &str = "http://id.who.int/icd/entity";

/// DDCC:TR pathogens and results (DOMAIN §1.4; the EU DCC's SNOMED codes
/// for detected / not detected follow the UK ones).
const TEST_CODES: &[Row] = &[
    ("XN109", &[(SNOMED, "840533007")]),
    (
        "RA01.0",
        &[(SNOMED, "1240581000000104"), (SNOMED, "260373001")],
    ),
    (
        "QA02",
        &[(SNOMED, "1240591000000102"), (SNOMED, "260415000")],
    ),
];

/// DDCC:TR test types, as ICD-11 foundation entities: NAAT and Ag-RDT.
const TEST_TYPES: &[Row] = &[
    ("1334426561", &[(SNOMED, "117244003"), (LOINC, "LP6464-4")]),
    (
        "2056159157",
        &[(SNOMED, "414464004"), (LOINC, "LP217198-3")],
    ),
];

/// Adds the known equivalents of an ICD-11 coding that has none, and
/// normalises its system URI. Codings that already list equivalents, or that
/// are not ICD-11, are left as they are (apart from the URI).
pub fn complete_equivalents(coding: &mut Coding) {
    let normalized = normalize_system(&coding.system);
    if normalized != coding.system {
        coding.system = normalized.to_owned();
    }
    if !coding.equivalents.is_empty() {
        return;
    }
    let row = match coding.system.as_str() {
        ICD11 => VACCINES
            .iter()
            .chain(BRANDS)
            .chain(DISEASES)
            .chain(TEST_CODES)
            .find(|(code, _)| *code == coding.code),
        ICD11_ENTITY => TEST_TYPES.iter().find(|(code, _)| *code == coding.code),
        _ => None,
    };
    if let Some((_, equivalents)) = row {
        coding.equivalents = equivalents
            .iter()
            .map(|(system, code)| Coding {
                system: (*system).to_owned(),
                code: (*code).to_owned(),
                display: None,
                equivalents: Vec::new(),
            })
            .collect();
    }
}

/// The coding (ICD-11, or an ICD-11 entity for test types) of which
/// `(system, code)` is a known equivalent, with all its equivalents: what
/// a certificate of another format maps to.
pub fn from_equivalent(system: &str, code: &str) -> Option<Coding> {
    let tables: [(&str, &[Row]); 5] = [
        (ICD11, VACCINES),
        (ICD11, BRANDS),
        (ICD11, DISEASES),
        (ICD11, TEST_CODES),
        (ICD11_ENTITY, TEST_TYPES),
    ];
    for (own, table) in tables {
        if let Some((icd, _)) = table
            .iter()
            .find(|(_, eq)| eq.iter().any(|(s, c)| *s == system && *c == code))
        {
            let mut coding = Coding {
                system: own.to_owned(),
                code: (*icd).to_owned(),
                display: None,
                equivalents: Vec::new(),
            };
            complete_equivalents(&mut coding);
            return Some(coding);
        }
    }
    None
}

/// Words for a person reading a certificate (a printed card, a checkpoint
/// screen): the English name of a known code, in any system we map.
pub fn display_name(system: &str, code: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &str)] = &[
        ("XM68M6", "COVID-19 vaccine"),
        ("XM1NL1", "COVID-19 vaccine, inactivated virus"),
        ("XM9QW8", "COVID-19 vaccine, non-replicating viral vector"),
        ("XM0GQ8", "COVID-19 vaccine, RNA based"),
        ("XM5DF6", "COVID-19 vaccine, live attenuated virus"),
        ("XM6AT1", "COVID-19 vaccine, DNA based"),
        ("XM0CX4", "COVID-19 vaccine, replicating viral vector"),
        ("XM5JC5", "COVID-19 vaccine, virus protein subunit"),
        ("XM1J92", "COVID-19 vaccine, virus like particle"),
        ("RA01", "COVID-19"),
        ("XN109", "SARS-CoV-2"),
        ("RA01.0", "Detected"),
        ("QA02", "Not detected"),
        ("1334426561", "Nucleic acid amplification test (NAAT)"),
        ("2056159157", "Rapid antigen test"),
    ];
    let icd = if system == ICD11 || system == ICD11_ALT || system == ICD11_ENTITY {
        code.to_owned()
    } else {
        from_equivalent(system, code)?.code
    };
    NAMES
        .iter()
        .find(|(c, _)| *c == icd)
        .map(|(_, n)| *n)
        .or_else(|| {
            BRAND_NAMES
                .iter()
                .find(|(c, _, _)| *c == icd)
                .map(|(_, n, _)| *n)
        })
}

/// [`complete_equivalents`] for every coding (an object with `system` and
/// `code`) among the members of a JSON object (a test or recovery event).
pub fn complete_equivalents_in(event: &mut serde_json::Value) {
    let Some(members) = event.as_object_mut() else {
        return;
    };
    for v in members.values_mut() {
        if v.get("system").is_some()
            && v.get("code").is_some()
            && let Ok(mut c) = serde_json::from_value::<Coding>(v.clone())
        {
            complete_equivalents(&mut c);
            if let Ok(done) = serde_json::to_value(&c) {
                *v = done;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_names_in_any_system() {
        assert_eq!(display_name(ICD11, "XM8NQ0"), Some("Comirnaty"));
        assert_eq!(
            display_name(EU_UNION_REGISTER, "EU/1/20/1528"),
            Some("Comirnaty")
        );
        assert_eq!(display_name(CVX, "207"), Some("Spikevax (Moderna)"));
        assert_eq!(display_name(SNOMED, "260415000"), Some("Not detected"));
        assert_eq!(display_name(SNOMED, "1"), None);
    }

    #[test]
    fn completes_icd11_and_normalises_uri() {
        let mut c = Coding {
            system: ICD11_ALT.into(),
            code: "XM8NQ0".into(),
            display: None,
            equivalents: vec![],
        };
        complete_equivalents(&mut c);
        assert_eq!(c.system, ICD11);
        assert_eq!(c.equivalents.len(), 2);
        assert_eq!(c.equivalents[0].code, "EU/1/20/1528");
    }

    #[test]
    fn leaves_given_equivalents_alone() {
        let given = Coding {
            system: SNOMED.into(),
            code: "1".into(),
            display: None,
            equivalents: vec![],
        };
        let mut c = Coding {
            system: ICD11.into(),
            code: "XM0GQ8".into(),
            display: None,
            equivalents: vec![given.clone()],
        };
        complete_equivalents(&mut c);
        assert_eq!(c.equivalents, vec![given]);
    }
}
