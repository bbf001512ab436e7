//! Extract: sentences → mentions → relations, each fact with its citation.

use crate::clean::Article;
use crate::error::DocError;
use crate::model::Source;
use std::path::Path;

/// Word lists and the gazetteer that extraction uses: built-in data, extended by a site's data/.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {}

impl Lexicon {
    /// The built-in data, extended by `site_data/*.toml` where that folder exists.
    pub fn load(_site_data: Option<&Path>) -> Result<Lexicon, DocError> {
        Ok(Lexicon {})
    }
}

/// What one document says, with local names; `resolve` turns these into model records.
#[derive(Debug, Clone)]
pub struct Facts {
    pub source: Source,
}

/// Extracts the facts of one cleaned article. STUB.
pub fn extract(article: &Article, _lex: &Lexicon) -> Facts {
    Facts { source: article.source.clone() }
}
