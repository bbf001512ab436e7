//! Resolve: one record per real thing across all documents.

use crate::extract::{Facts, Lexicon};
use crate::model::{Model, SCHEMA};

/// Merges every document's facts into one model. STUB.
pub fn resolve(facts: Vec<Facts>, _lex: &Lexicon) -> Model {
    let mut sources: Vec<_> = facts.into_iter().map(|f| f.source).collect();
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    Model { schema: SCHEMA.into(), sources, ..Default::default() }
}
