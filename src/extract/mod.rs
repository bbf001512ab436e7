//! Extract: sentences → mentions → relations, each fact with its citation.

pub mod dates;
pub mod lexicon;
pub mod names;
pub mod people;
pub mod tokens;

use crate::clean::Article;
use crate::model::Source;

pub use lexicon::Lexicon;

/// What one document says, with local names; `resolve` turns these into model records.
#[derive(Debug, Clone)]
pub struct Facts {
    pub source: Source,
}

/// Extracts the facts of one cleaned article. STUB.
pub fn extract(article: &Article, _lex: &Lexicon) -> Facts {
    Facts { source: article.source.clone() }
}
