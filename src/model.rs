//! The typed model: plain data that the JSON export and the templates both see (DESIGN.md §2).

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Identifies the JSON layout; bumped when a field changes meaning.
pub const SCHEMA: &str = "accord-model/1";

/// Everything accord knows after resolving all documents; every list is sorted by id.
///
/// Rebuilds know a record by the digest of its postcard encoding (`render::reads`), and copy
/// its JSON from the last build when the digest is the same. That holds while the encoding
/// tells apart any two records the JSON does: no `skip_serializing_if` (two skipped
/// neighbouring fields encode alike), no maps with unordered keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Model {
    pub schema: String,
    pub sources: Vec<Source>,
    pub organizations: Vec<Organization>,
    pub people: Vec<Person>,
    pub partnerships: Vec<Partnership>,
    pub commitments: Vec<Commitment>,
    pub events: Vec<Event>,
    pub topics: Vec<Topic>,
    pub countries: Vec<Country>,
}

/// A date as written precisely as the text allows: "2024-04-15", "2024-04", "2023", "2023-summer".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(pub String);

/// One place in a source that states a fact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Citation {
    /// Source id: shared by the citations of one source, not copied (a 10k site has 214,000).
    #[serde(deserialize_with = "shared::text")]
    pub source: Arc<str>,
    /// Paragraph index in the cleaned article (0-based).
    pub paragraph: usize,
    /// Sentence index within the paragraph (0-based); with `paragraph` it names the page anchor.
    pub sentence_index: usize,
    /// The sentence exactly as the cleaned article holds it: shared with the source's
    /// paragraphs and with every other citation of it, not copied (a 10k site's 214,000
    /// citations quote 29 MB of sentences, each one read back, cloned and compared on every
    /// build).
    #[serde(deserialize_with = "shared::text")]
    pub sentence: Arc<str>,
}

/// Shared texts read back: made straight from the bytes read, where serde's `Arc<str>` makes
/// a `Box<str>` first and copies it (two allocations for each of the 400,000 sentences a
/// rebuild at 10,000 documents reads from its pack); and an empty text, what the cache keeps
/// in a citation for "this document's" (`Facts::pack`), is one shared empty text, not an
/// allocation of its own for each citation.
pub mod shared {
    use serde::de::{Deserializer, Visitor};
    use std::sync::Arc;

    /// A text.
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
        d.deserialize_str(Text)
    }

    /// Paragraphs of sentences, each read as `text` reads it.
    pub fn paragraphs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<Arc<str>>>, D::Error> {
        let read: Vec<Vec<Sentence>> = serde::Deserialize::deserialize(d)?;
        // (Collected in place: a `Sentence` is laid out as the text it holds.)
        Ok(read
            .into_iter()
            .map(|p| p.into_iter().map(|s| s.0).collect())
            .collect())
    }

    fn of(s: &str) -> Arc<str> {
        thread_local! {
            static EMPTY: Arc<str> = Arc::from("");
        }
        if s.is_empty() {
            EMPTY.with(Arc::clone)
        } else {
            Arc::from(s)
        }
    }

    struct Text;

    impl Visitor<'_> for Text {
        type Value = Arc<str>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Arc<str>, E> {
            Ok(of(s))
        }
    }

    /// A sentence, read as `text` reads it.
    #[derive(serde::Deserialize)]
    #[serde(transparent)]
    struct Sentence(#[serde(deserialize_with = "text")] Arc<str>);
}

/// At most this many citations of one record come from one source document. A citation shows
/// where a fact is stated; past a handful more add nothing, and a page that repeats itself
/// (a scrape with one paragraph thousands of times) must not give thousands of copies. The
/// development corpus's busiest record has 11 distinct sentences in one article.
pub const MAX_CITATIONS_PER_SOURCE: usize = 16;

/// The sources `citations` name, each once, in id order.
pub fn cited_sources(citations: &[Citation]) -> Vec<&str> {
    let mut ids: Vec<&str> = citations.iter().map(|c| &*c.source).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Adds `c` to a record's citations unless its source already states the fact in the same
/// words (a repeated sentence counts once) or already gives `MAX_CITATIONS_PER_SOURCE`
/// citations. Costs one pass over the citations already kept, so it suits the lists of one
/// document; `cap_citations` bounds a list gathered from many.
pub fn add_citation(list: &mut Vec<Citation>, c: &Citation) {
    let mut from_source = 0;
    for k in list.iter().filter(|k| k.source == c.source) {
        let same_place = k.paragraph == c.paragraph && k.sentence_index == c.sentence_index;
        if same_place || k.sentence == c.sentence {
            return;
        }
        from_source += 1;
    }
    if from_source < MAX_CITATIONS_PER_SOURCE {
        list.push(c.clone());
    }
}

/// Sorts citations gathered from many documents and keeps, per source, the first
/// `MAX_CITATIONS_PER_SOURCE` distinct sentences in document order.
pub fn cap_citations(citations: impl IntoIterator<Item = Citation>) -> Vec<Citation> {
    let mut all: Vec<Citation> = citations.into_iter().collect();
    all.sort();
    let mut out: Vec<Citation> = Vec::with_capacity(all.len());
    let mut start = 0; // where the current source's citations begin in `out`
    for c in all {
        if out.last().is_some_and(|l| l.source != c.source) {
            start = out.len();
        }
        let kept = &out[start..];
        if kept.len() < MAX_CITATIONS_PER_SOURCE && !kept.iter().any(|k| k.sentence == c.sentence) {
            out.push(c);
        }
    }
    out
}

/// What kind of document a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    #[default]
    News,
    PressRelease,
    Note,
}

/// A cleaned input document with its metadata and its article text, paragraph by sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    /// Path relative to the content folder, with `/` separators.
    pub path: String,
    pub title: String,
    pub dek: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
    pub kind: SourceKind,
    /// The article body: paragraphs, each a list of sentences (shared with the citations).
    #[serde(deserialize_with = "shared::paragraphs")]
    pub paragraphs: Vec<Vec<Arc<str>>>,
}

impl Source {
    /// The sentence at a citation's place (paragraph and sentence index), if there is one.
    pub fn sentence(&self, paragraph: usize, sentence_index: usize) -> Option<&Arc<str>> {
        self.paragraphs.get(paragraph)?.get(sentence_index)
    }
}

/// The kind of an organization.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    University,
    Company,
    Government,
    Lab,
    Nonprofit,
    Consortium,
    #[default]
    Other,
}

/// A university, company, agency, lab or other body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: OrgKind,
    /// English short name ("Japan", "United States"), or none when nothing says.
    pub country: Option<String>,
    pub citations: Vec<Citation>,
}

/// A named person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    /// Organization id.
    pub organization: Option<String>,
    pub country: Option<String>,
    pub quotes: Vec<Quote>,
    pub citations: Vec<Citation>,
}

/// Words a person said, as the source quotes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    /// Person id.
    pub speaker: Option<String>,
    pub citation: Citation,
}

/// Who partners with whom, on what, when, where and on what occasion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partnership {
    pub id: String,
    pub title: String,
    /// Organization ids.
    pub parties: Vec<String>,
    /// Topic ids.
    pub focus: Vec<String>,
    /// Commitment ids.
    pub commitments: Vec<String>,
    pub announced: Option<Date>,
    pub venue: Option<String>,
    pub occasion: Option<String>,
    pub citations: Vec<Citation>,
}

/// A sum of money as written and as understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub text: String,
    pub value: f64,
    /// ISO 4217 code.
    pub currency: String,
    /// Value in US dollars, or none where no rate is stated or known.
    pub usd: Option<f64>,
}

/// How firm a commitment of money is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CommitmentStatus {
    #[default]
    Announced,
    Pledged,
    Invested,
    Other,
}

/// Money promised or spent by some organizations for a partnership or an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: String,
    pub amount: Amount,
    /// Organization ids.
    pub from: Vec<String>,
    /// Partnership or organization ids.
    pub to: Vec<String>,
    pub purpose: Option<String>,
    pub status: CommitmentStatus,
    /// The commitment id this one is a part of, so a total is not counted twice.
    pub part_of: Option<String>,
    pub citations: Vec<Citation>,
}

/// A dated happening, for the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub date: Date,
    pub title: String,
    /// Ids of the organizations, people and partnerships involved.
    pub involves: Vec<String>,
    pub citations: Vec<Citation>,
}

/// A focus area of partnerships.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub id: String,
    pub name: String,
    /// Partnership ids.
    pub partnerships: Vec<String>,
}

/// A country that organizations belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Country {
    pub id: String,
    pub name: String,
    /// Organization ids.
    pub organizations: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(source: &str, paragraph: usize, sentence: &str) -> Citation {
        Citation {
            source: source.into(),
            paragraph,
            sentence_index: 0,
            sentence: sentence.into(),
        }
    }

    #[test]
    fn a_sentence_repeated_in_one_source_is_cited_once() {
        let mut list = Vec::new();
        for p in 0..1000 {
            add_citation(&mut list, &cite("a", p, "Acme and Zed signed."));
        }
        assert_eq!(list, [cite("a", 0, "Acme and Zed signed.")]);
        add_citation(&mut list, &cite("b", 3, "Acme and Zed signed."));
        assert_eq!(
            list.len(),
            2,
            "the same words in another source still count"
        );
    }

    #[test]
    fn one_source_gives_at_most_the_cap() {
        let mut list = Vec::new();
        for p in 0..100 {
            add_citation(&mut list, &cite("a", p, &format!("Sentence {p}.")));
        }
        assert_eq!(list.len(), MAX_CITATIONS_PER_SOURCE);
        assert_eq!(list[0].paragraph, 0, "the first places are kept");
    }

    #[test]
    fn capping_a_merged_list_keeps_the_first_distinct_sentences_of_each_source() {
        let mut all = Vec::new();
        for p in (0..50).rev() {
            all.push(cite("b", p, &format!("B {p}.")));
            all.push(cite("a", p, "Same words."));
        }
        let capped = cap_citations(all);
        assert_eq!(capped[0], cite("a", 0, "Same words."));
        assert_eq!(&*capped[1].source, "b");
        assert_eq!(capped.len(), 1 + MAX_CITATIONS_PER_SOURCE);
        assert_eq!(
            capped.last().unwrap().paragraph,
            MAX_CITATIONS_PER_SOURCE - 1
        );
    }
}
