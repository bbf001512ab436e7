//! Extract: sentences → mentions (names, money, dates) → one registry of the document's
//! organizations and people → quotes and relations (partnerships, commitments, events), every
//! fact with its citation.

pub mod announced;
pub mod classify;
pub mod commitments;
pub mod dates;
pub mod lexicon;
pub mod money;
pub mod names;
pub mod people;
pub mod quotes;
pub mod registry;
pub mod relations;
pub mod spans;
pub mod tokens;

use crate::clean::Article;
use crate::model::{Amount, Citation, CommitmentStatus, Date, OrgKind, Source, SourceKind};
use dates::{DateMention, Ymd};
use foldhash::{HashMap, HashMapExt};
use money::Money;
use names::Mention;
use registry::Located;
use std::sync::Arc;
use tokens::Token;

pub use lexicon::Lexicon;

/// What one document says, with local names (indices into its own lists); `resolve` turns
/// these into model records.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    /// The cleaned source.
    pub source: Source,
    /// Organizations named in the document.
    pub orgs: Vec<OrgFact>,
    /// People named in the document.
    pub people: Vec<PersonFact>,
    /// Partnerships the document states.
    pub partnerships: Vec<PartnershipFact>,
    /// Money committed.
    pub commitments: Vec<CommitmentFact>,
    /// Dated happenings.
    pub events: Vec<EventFact>,
}

/// An organization as one document names it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OrgFact {
    /// Name (the gazetteer's canonical name where known).
    pub name: String,
    /// Other forms in the document.
    pub aliases: Vec<String>,
    /// Kind.
    pub kind: OrgKind,
    /// Country, from the gazetteer or a cue in the text.
    pub country: Option<String>,
    /// Gazetteer index.
    pub gaz: Option<usize>,
    /// Where it is named.
    pub citations: Vec<Citation>,
}

/// A person as one document names them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PersonFact {
    /// Full name.
    pub name: String,
    /// Other forms (variant spellings).
    pub aliases: Vec<String>,
    /// Role as written.
    pub role: Option<String>,
    /// Local organization index.
    pub org: Option<usize>,
    /// Country.
    pub country: Option<String>,
    /// Quotes with their citations.
    pub quotes: Vec<(String, Citation)>,
    /// Where they are named.
    pub citations: Vec<Citation>,
}

/// A partnership as one document states it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PartnershipFact {
    /// Local organization indices.
    pub parties: Vec<usize>,
    /// Topic names.
    pub focus: Vec<String>,
    /// When it was announced.
    pub announced: Option<Date>,
    /// Where.
    pub venue: Option<String>,
    /// On what occasion.
    pub occasion: Option<String>,
    /// Where it is stated.
    pub citations: Vec<Citation>,
}

/// Money committed, as one document states it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CommitmentFact {
    /// The amount.
    pub amount: Amount,
    /// Local organization indices of the givers.
    pub from: Vec<usize>,
    /// Local organization indices of the receivers.
    pub to_orgs: Vec<usize>,
    /// Local partnership indices it is for.
    pub to_partnerships: Vec<usize>,
    /// What it is for, as written.
    pub purpose: Option<String>,
    /// How firm.
    pub status: CommitmentStatus,
    /// Where it is stated.
    pub citations: Vec<Citation>,
}

/// A dated happening in one document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventFact {
    /// When.
    pub date: Date,
    /// What happened (a sentence, or empty for a partnership's announcement).
    pub title: String,
    /// Local organization indices.
    pub orgs: Vec<usize>,
    /// Local person indices.
    pub people: Vec<usize>,
    /// Local partnership indices.
    pub partnerships: Vec<usize>,
    /// Where it is stated.
    pub citation: Citation,
}

/// Everything a document's facts hold but its source: organizations, people, partnerships,
/// commitments and events, in `Facts`' order.
pub type Named = (
    Vec<OrgFact>,
    Vec<PersonFact>,
    Vec<PartnershipFact>,
    Vec<CommitmentFact>,
    Vec<EventFact>,
);

impl Facts {
    /// The source, and the rest (`Named`). A field added to `Facts` fails to compile here
    /// until it is placed.
    pub fn split(self) -> (Source, Named) {
        let Facts {
            source,
            orgs,
            people,
            partnerships,
            commitments,
            events,
        } = self;
        (source, (orgs, people, partnerships, commitments, events))
    }

    /// The source, and every citation the facts hold. A field added to `Facts` fails to
    /// compile here until it is placed; a citation added inside a fact is not, and is then
    /// only stored whole by `pack`.
    fn source_and_citations(&mut self) -> (&Source, impl Iterator<Item = &mut Citation>) {
        let Facts {
            source,
            orgs,
            people,
            partnerships,
            commitments,
            events,
        } = self;
        let people = people.iter_mut().flat_map(|p| {
            let quotes = p.quotes.iter_mut().map(|(_, c)| c);
            quotes.chain(p.citations.iter_mut())
        });
        let citations = orgs
            .iter_mut()
            .flat_map(|o| o.citations.iter_mut())
            .chain(people)
            .chain(partnerships.iter_mut().flat_map(|p| p.citations.iter_mut()))
            .chain(commitments.iter_mut().flat_map(|c| c.citations.iter_mut()))
            .chain(events.iter_mut().map(|e| &mut e.citation));
        (source, citations)
    }

    /// Every citation the facts hold, as `source_and_citations` finds them.
    pub fn citations(&self) -> impl Iterator<Item = &Citation> {
        let people =
            (self.people.iter()).flat_map(|p| p.quotes.iter().map(|(_, c)| c).chain(&p.citations));
        (self.orgs.iter().flat_map(|o| &o.citations))
            .chain(people)
            .chain(self.partnerships.iter().flat_map(|p| &p.citations))
            .chain(self.commitments.iter().flat_map(|c| &c.citations))
            .chain(self.events.iter().map(|e| &e.citation))
    }

    /// Leaves out of each citation what the document itself gives: the source id when it is
    /// this document's, and the sentence when it is the one at the citation's place in the
    /// paragraphs. For the extraction cache, where the sentences stored again in citations
    /// were over a third of an entry's bytes, each to be checked as UTF-8 and allocated when
    /// read back. `unpack` puts them back. Returns false, leaving the facts as they are, when
    /// a citation has an empty source or sentence, which would read back as left out.
    pub fn pack(&mut self) -> bool {
        if (self.source_and_citations().1).any(|c| c.source.is_empty() || c.sentence.is_empty()) {
            return false;
        }
        let (source, citations) = self.source_and_citations();
        for c in citations {
            if *c.source == *source.id {
                c.source = Arc::from("");
            }
            if source.sentence(c.paragraph, c.sentence_index) == Some(&c.sentence) {
                c.sentence = Arc::from("");
            }
        }
        true
    }

    /// The facts `pack` made, whole again; false when a citation's place is not in the
    /// paragraphs (the packed facts are not this document's).
    pub fn unpack(&mut self) -> bool {
        let (source, citations) = self.source_and_citations();
        let id: Arc<str> = Arc::from(source.id.as_str());
        for c in citations {
            if c.source.is_empty() {
                c.source = Arc::clone(&id);
            }
            if c.sentence.is_empty() {
                let Some(sentence) = source.sentence(c.paragraph, c.sentence_index) else {
                    return false;
                };
                c.sentence.clone_from(sentence);
            }
        }
        true
    }
}

/// One sentence with everything found in it.
#[derive(Debug, Clone)]
pub struct Sent<'a> {
    /// Source id, shared by the document's citations.
    pub source: &'a Arc<str>,
    /// Paragraph index.
    pub p: usize,
    /// Sentence index in the paragraph.
    pub s: usize,
    /// The sentence, as the source keeps it (citations share it).
    pub text: &'a Arc<str>,
    /// Its tokens.
    pub toks: Vec<Token<'a>>,
    /// Names found.
    pub mentions: Vec<Mention>,
    /// Names resolved to the document's records, in order.
    pub refs: Vec<Located>,
    /// Money found.
    pub money: Vec<Money>,
    /// Dates found.
    pub dates: Vec<DateMention>,
    /// Byte ranges inside quotation marks.
    pub quoted: Vec<(usize, usize)>,
    /// The sentence is a short item of a list introduced by a colon.
    pub list_item: bool,
    /// Its words outside quotes, lowercased (`relations::plain_words`), made on first use:
    /// the cue finders of relations, commitments and announcements each ask for them.
    pub plain: std::cell::OnceCell<String>,
}

impl Sent<'_> {
    /// The citation of this sentence.
    pub fn citation(&self) -> Citation {
        Citation {
            source: Arc::clone(self.source),
            paragraph: self.p,
            sentence_index: self.s,
            sentence: Arc::clone(self.text),
        }
    }

    /// Whether byte `at` is inside quotation marks.
    pub fn in_quote(&self, at: usize) -> bool {
        self.quoted.iter().any(|&(a, b)| at >= a && at < b)
    }
}

/// Byte ranges inside quotation marks, per sentence of a paragraph (a quote may span sentences).
fn quoted_ranges(sentences: &[Arc<str>]) -> Vec<Vec<(usize, usize)>> {
    let mut open: Option<char> = None;
    sentences
        .iter()
        .map(|s| {
            let mut out = Vec::new();
            let mut start = open.map(|_| 0);
            for (i, c) in s.char_indices() {
                match (open, c) {
                    (None, '“' | '"' | '«') => {
                        open = Some(if c == '“' {
                            '”'
                        } else if c == '«' {
                            '»'
                        } else {
                            '"'
                        });
                        start = Some(i);
                    }
                    (Some(close), _) if c == close => {
                        out.push((start.unwrap_or(0), i + c.len_utf8()));
                        open = None;
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(st) = start {
                out.push((st, s.len()));
            }
            out
        })
        .collect()
}

/// Extracts the facts of one cleaned article.
pub fn extract(article: &Article, lex: &Lexicon) -> Facts {
    let source = &article.source;
    let source_id: Arc<str> = Arc::from(source.id.as_str());
    let anchor = source.published.as_ref().and_then(|d| Ymd::parse(&d.0));
    let money_re = lex.money_pattern();
    let mut sents: Vec<Sent> = Vec::new();
    let mut prev_colon = false;
    // A sentence repeated word for word (a page that repeats itself) is read once: what the
    // finders make of a sentence depends on its text alone.
    let mut read: HashMap<&str, usize> = HashMap::new();
    for (p, para) in source.paragraphs.iter().enumerate() {
        let quoted = quoted_ranges(para);
        // an item is a bare name, or a name before a dash and its description
        // ("Acme — makes drones")
        let short = para.len() == 1 && {
            let item = &*para[0];
            match [" — ", " – ", " - "]
                .iter()
                .find_map(|d| item.split_once(d))
            {
                Some((name, _)) => name.split_whitespace().count() <= 5,
                None => item.split_whitespace().count() <= 5 && !item.ends_with(['.', '!', '?']),
            }
        };
        let list_item = short && prev_colon;
        prev_colon = para.last().is_some_and(|s| s.trim_end().ends_with(':')) || list_item;
        for (s, text) in para.iter().enumerate() {
            let (toks, mentions, money, dates) = match read.get(&**text) {
                Some(&i) => {
                    let d: &Sent = &sents[i];
                    (
                        d.toks.clone(),
                        d.mentions.clone(),
                        d.money.clone(),
                        d.dates.clone(),
                    )
                }
                None => {
                    let toks = tokens::tokenize(text);
                    let mentions = names::find(lex, text, &toks);
                    let money = money::find(lex, money_re, text);
                    let dates = dates::find_dates(text, anchor, article.day_first);
                    (toks, mentions, money, dates)
                }
            };
            read.entry(text).or_insert(sents.len());
            let quoted = quoted.get(s).cloned().unwrap_or_default();
            sents.push(Sent {
                source: &source_id,
                p,
                s,
                text,
                toks,
                mentions,
                refs: Vec::new(),
                money,
                dates,
                quoted,
                list_item,
                plain: std::cell::OnceCell::new(),
            });
        }
    }
    let (mut orgs, mut people) = registry::build(lex, &mut sents);
    quotes::attach(lex, &sents, &mut people);
    let mut partnerships = relations::partnerships(lex, &sents, &mut orgs);
    announced::default_dates(
        &sents,
        &mut partnerships,
        anchor,
        source.kind == SourceKind::PressRelease,
    );
    let commitments = commitments::find(lex, &sents, &orgs, &partnerships);
    let events = commitments::events(&sents, &partnerships);
    Facts {
        source: source.clone(),
        orgs,
        people,
        partnerships,
        commitments,
        events,
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// The facts of a one-document body (plain text), with the built-in lexicon.
    static LEX: std::sync::LazyLock<Lexicon> =
        std::sync::LazyLock::new(|| Lexicon::load(None).unwrap());

    pub fn facts_of(body: &str) -> Facts {
        let lex = &*LEX;
        let text = format!("Title line\n\n{body}\n");
        let doc = crate::load::parse(
            std::path::Path::new("t.txt"),
            "t.txt".into(),
            text.as_bytes(),
            &crate::load::Limits::default(),
        )
        .unwrap();
        let article = crate::clean::clean(&doc).unwrap();
        extract(&article, lex)
    }
}

#[cfg(test)]
mod packing {
    use super::tests_support::facts_of;
    use std::sync::Arc;

    fn json(f: &super::Facts) -> String {
        serde_json::to_string(f).unwrap()
    }

    #[test]
    fn packed_citations_leave_out_what_the_document_gives_and_unpack_whole() {
        let mut f = facts_of(
            "Zed University and Quorn Institute of Technology signed an agreement on \
             March 3, 2024 to study robotics. Quorn will give Zed University $4 million.\n\n\
             \"It is a start,\" said Ada Quill, president of Zed University.",
        );
        let whole = json(&f);
        let cited = f.source_and_citations().1.count();
        assert!(cited >= 4, "facts with citations to pack: {whole}");
        assert!(f.pack());
        let (_, citations) = f.source_and_citations();
        for c in citations {
            assert_eq!((&*c.source, &*c.sentence), ("", ""));
        }
        assert!(json(&f).len() < whole.len());
        assert!(f.unpack());
        assert_eq!(json(&f), whole);
    }

    #[test]
    fn a_citation_the_paragraphs_do_not_give_is_kept_as_it_is() {
        let mut f = facts_of("Zed University and Quorn Institute of Technology signed a pact.");
        let c = f.source_and_citations().1.next().unwrap();
        c.sentence = "Another sentence.".into();
        c.source = "other-source".into();
        let whole = json(&f);
        assert!(f.pack());
        assert!(f.unpack());
        assert_eq!(json(&f), whole);

        // An empty sentence would read back as left out: such facts are not packed.
        f.source_and_citations().1.next().unwrap().sentence = Arc::from("");
        let whole = json(&f);
        assert!(!f.pack());
        assert_eq!(json(&f), whole);

        // Packed facts whose places are not in the paragraphs do not unpack.
        let mut f = facts_of("Zed University and Quorn Institute of Technology signed a pact.");
        assert!(f.pack());
        f.source.paragraphs.clear();
        assert!(!f.unpack());
    }
}

#[cfg(test)]
mod robustness {
    use super::tests_support::facts_of;

    /// Deterministic pseudo-random text from pieces that stress the finders.
    fn noise(seed: u64, len: usize) -> String {
        const PIECES: &[&str] = &[
            "University",
            "of",
            "and",
            "the",
            "“",
            "”",
            "\"",
            "(",
            ")",
            "$",
            "€",
            "¥",
            "₩",
            "1",
            "2.5",
            "million",
            "billion",
            "won",
            "said",
            ",",
            ".",
            ":",
            "—",
            "Ministry",
            "東京",
            "Ünï",
            "Dr.",
            "Jo",
            "Roe",
            "Inc.",
            "’s",
            "'",
            "\n",
            "\n\n",
            "Monday",
            "the 12th",
            "last",
            "summer",
            "2024",
            "16.02.2018",
            "-",
            "/",
            "MOU",
            "signed",
            "partnership",
            "X",
            "Y",
            "Z",
            "Zed",
            "Labs",
            "Group",
            "of the",
            "van",
            "den",
            "•",
            "|",
            "#",
        ];
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut out = String::new();
        for _ in 0..len {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            out.push_str(PIECES[(x >> 33) as usize % PIECES.len()]);
            if !(x >> 20).is_multiple_of(3) {
                out.push(' ');
            }
        }
        out
    }

    #[test]
    fn no_input_makes_extraction_panic() {
        for seed in 0..300 {
            let text = noise(seed, 80);
            if text.trim().is_empty() {
                continue;
            }
            let _ = facts_of(&text);
        }
    }
}
