//! Clean: strip page clutter from a loaded document and keep the article, split into
//! paragraphs of sentences.

use crate::error::DocError;
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

/// Cleans one document. STUB: the extraction work replaces this.
pub fn clean(doc: &Document) -> Result<Article, DocError> {
    let paragraphs: Vec<Vec<String>> = doc
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| vec![p.to_owned()])
        .collect();
    let lines = vec![doc.body_line; paragraphs.len()];
    let source = Source {
        id: crate::slug::slugify(doc.rel.trim_end_matches(".txt").trim_end_matches(".md")),
        path: doc.rel.clone(),
        title: doc.front.title.clone().unwrap_or_else(|| doc.rel.clone()),
        dek: None,
        author: doc.front.author.clone(),
        publisher: doc.front.publisher.clone(),
        published: None,
        url: doc.front.source_url.clone(),
        kind: Default::default(),
        paragraphs,
    };
    Ok(Article { source, lines })
}
