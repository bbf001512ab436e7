//! Clean: strip page clutter from a loaded document and keep the article, split into
//! paragraphs of sentences.

use crate::load::Document;
use crate::model::Source;

/// A cleaned document: its `Source` record (metadata and paragraphs of sentences) plus where
/// each paragraph came from in the file, for error messages.
#[derive(Debug, Clone)]
pub struct Article {
    pub source: Source,
    /// 1-based line in the file of each paragraph in `source.paragraphs`.
    pub lines: Vec<usize>,
}

/// Cleans one document. (stub: replaced by the real stage)
pub fn clean(_doc: &Document) -> Article {
    todo!()
}
