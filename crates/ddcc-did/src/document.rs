use serde::Serialize;
use serde_json::{Map, Value};

use ddcc_core::{Did, DidUrl};
use ddcc_crypto::PublicKey;

/// A verification relationship of a DID document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerificationRelationship {
    /// `assertionMethod`: may sign credentials.
    AssertionMethod,
    /// `authentication`: may authenticate as the DID subject.
    Authentication,
    /// `capabilityDelegation`.
    CapabilityDelegation,
    /// `capabilityInvocation`.
    CapabilityInvocation,
    /// `keyAgreement`: encryption key agreement.
    KeyAgreement,
}

impl VerificationRelationship {
    /// The property name in a DID document.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AssertionMethod => "assertionMethod",
            Self::Authentication => "authentication",
            Self::CapabilityDelegation => "capabilityDelegation",
            Self::CapabilityInvocation => "capabilityInvocation",
            Self::KeyAgreement => "keyAgreement",
        }
    }
}

/// A verification method of a DID document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationMethod {
    /// The method's DID URL.
    pub id: DidUrl,
    /// Its type (`Multikey`, `Ed25519VerificationKey2018`, …).
    pub method_type: String,
    /// The DID that controls it.
    pub controller: Did,
    /// The Ed25519 key, when the method carries one.
    pub ed25519: Option<PublicKey>,
    /// The key's properties as they appear in the document
    /// (`publicKeyMultibase`, `publicKeyBase58`, …).
    pub properties: Map<String, Value>,
}

/// A resolved DID document.
#[derive(Debug, Clone, PartialEq)]
pub struct DidDocument {
    /// `@context` of the document.
    pub context: Vec<String>,
    /// The DID.
    pub id: Did,
    /// The verification methods.
    pub verification_method: Vec<VerificationMethod>,
    /// Relationship → ids of the methods in it, in document order.
    pub relationships: Vec<(VerificationRelationship, Vec<DidUrl>)>,
    /// DIDs (or DID URLs) listed as plain strings in `verificationMethod`:
    /// references to other documents holding the keys, as in WHO GDHCN
    /// reference-type trust lists.
    pub references: Vec<String>,
    /// Other properties (`service`, `alsoKnownAs`, `controller`, …), kept
    /// as they were.
    pub extra: Map<String, Value>,
}

impl DidDocument {
    /// The verification method with this id (a percent-encoded fragment
    /// names the same method as its decoded form).
    pub fn method(&self, id: &str) -> Option<&VerificationMethod> {
        let id = crate::web::normalize_url(id);
        self.verification_method
            .iter()
            .find(|m| m.id.as_str() == id)
    }

    /// Whether the method `id` is listed under `relationship`.
    pub fn has_relationship(&self, id: &str, relationship: VerificationRelationship) -> bool {
        let id = crate::web::normalize_url(id);
        self.relationships
            .iter()
            .any(|(r, ids)| *r == relationship && ids.iter().any(|u| u.as_str() == id))
    }

    /// The document as JSON (properties in the conventional order).
    pub fn to_json(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("@context".into(), Value::from(self.context.clone()));
        doc.insert("id".into(), Value::from(self.id.as_str()));
        let methods: Vec<Value> = self
            .verification_method
            .iter()
            .map(|m| {
                let mut o = Map::new();
                o.insert("id".into(), Value::from(m.id.as_str()));
                o.insert("type".into(), Value::from(m.method_type.as_str()));
                o.insert("controller".into(), Value::from(m.controller.as_str()));
                for (k, v) in &m.properties {
                    o.insert(k.clone(), v.clone());
                }
                Value::Object(o)
            })
            .collect();
        let mut methods = methods;
        methods.extend(self.references.iter().map(|r| Value::from(r.as_str())));
        doc.insert("verificationMethod".into(), Value::Array(methods));
        for (rel, ids) in &self.relationships {
            let ids: Vec<Value> = ids.iter().map(|u| Value::from(u.as_str())).collect();
            doc.insert(rel.as_str().into(), Value::Array(ids));
        }
        for (k, v) in &self.extra {
            doc.insert(k.clone(), v.clone());
        }
        Value::Object(doc)
    }
}

impl Serialize for DidDocument {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}
