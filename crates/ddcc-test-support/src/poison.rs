//! Graphs of blank nodes that cannot be told apart (cliques, complete
//! bipartite graphs, cycles), as DDCC credentials with a proof by a
//! did:key: what canonicalization must refuse quickly.

use serde_json::{Value, json};

/// The shapes: which node links to which.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Every node linked to every other.
    Clique,
    /// Two halves, each node linked to every node of the other half.
    Bipartite,
    /// A ring.
    Cycle,
}

fn edges(shape: Shape, n: usize) -> Vec<Vec<usize>> {
    (0..n)
        .map(|i| match shape {
            Shape::Clique => (0..n).filter(|j| *j != i).collect(),
            Shape::Bipartite => (0..n).filter(|j| (j % 2) != (i % 2)).collect(),
            Shape::Cycle => vec![(i + 1) % n],
        })
        .collect()
}

/// A credential whose vaccine coding is node 0 of the graph, every node
/// listing its neighbours as `equivalents`, with a proof by a did:key.
pub fn poisoned(shape: Shape, n: usize) -> Value {
    let e = edges(shape, n);
    let node = |i: usize| -> Value {
        json!({
            "id": format!("_:b{i}"),
            "equivalents": e[i].iter().map(|j| json!({"id": format!("_:b{j}")})).collect::<Vec<_>>(),
        })
    };
    let mut root = node(0);
    // Every other node written out once, as a neighbour list of node 0's
    // first equivalent's holder: JSON-LD merges node objects by id.
    let all: Vec<Value> = (1..n).map(node).collect();
    root["equivalents"] = Value::Array(
        e[0].iter()
            .map(|j| json!({"id": format!("_:b{j}")}))
            .chain(all)
            .collect(),
    );
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/ddcc/v1"],
        "type": ["VerifiableCredential", "DDCCVaccinationCredential"],
        "issuer": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "type": "DDCCVaccinationSubject",
            "name": "X",
            "vaccination": {"vaccine": root}
        },
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2025-01-01T00:00:00Z",
            "proofPurpose": "assertionMethod",
            "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKWAYvyvsoeGBH2TQ5U"
        }
    })
}
