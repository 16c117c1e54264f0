//! Numbered, offline examples for wallet and issuer developers; see the
//! `[[example]]` targets (`cargo run -p ddcc-examples --example 02_issue_covid_vc`).
//! The sample input records are in `examples/records/`.
