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
];

/// Vaccine brands with their EU Union Register and CVX codes.
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
        &[(EU_UNION_REGISTER, "EU/1/21/1529"), (CVX, "210")],
    ),
    (
        "XM6QV1",
        &[(EU_UNION_REGISTER, "EU/1/20/1525"), (CVX, "212")],
    ),
    (
        "XM9T65",
        &[(EU_UNION_REGISTER, "EU/1/21/1618"), (CVX, "211")],
    ),
];

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
        ("XM8NQ0", "Comirnaty"),
        ("XM3DT5", "Spikevax (Moderna)"),
        ("XM4YL8", "Vaxzevria (AstraZeneca)"),
        ("XM6QV1", "Jcovden (Janssen)"),
        ("XM9T65", "Nuvaxovid (Novavax)"),
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
    NAMES.iter().find(|(c, _)| *c == icd).map(|(_, n)| *n)
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
