//! The source page: the cleaned article with every sentence anchored for citations, known
//! names linked to their pages, and what each sentence is cited for.

use super::context::PageContext as Context;
use super::index::SourceFacts;
use super::text::Linker;
use super::urls;
use super::views::{Cx, Link};
use crate::model::Source;
use serde::Serialize;

#[derive(Serialize)]
struct SentenceView {
    anchor: String,
    runs: Vec<Link>,
    /// "Cited for: …" when some fact cites this sentence.
    cited_for: Option<String>,
}

#[derive(Serialize)]
struct Mentions {
    partnerships: Vec<Link>,
    organizations: Vec<Link>,
    people: Vec<Link>,
}

/// A source: its metadata and its text, every sentence anchored and names linked.
pub fn source(cx: &mut Cx<'_, '_>, ctx: &mut Context, s: &Source, linker: &Linker) {
    let ix = cx.ix;
    let none = SourceFacts::default();
    // What each sentence is cited for, so a reader of the article sees which lines carry facts.
    let facts = ix.cited_in(&s.id).unwrap_or(&none);
    let paragraphs: Vec<Vec<SentenceView>> = s
        .paragraphs
        .iter()
        .enumerate()
        .map(|(pi, sentences)| {
            sentences
                .iter()
                .enumerate()
                .map(|(si, text)| SentenceView {
                    anchor: urls::sentence_anchor(pi, si),
                    runs: linker
                        .runs(&s.id, text)
                        .into_iter()
                        .map(|r| Link {
                            name: r.text,
                            href: r.target.map(|t| cx.href(&t)),
                            here: false,
                        })
                        .collect(),
                    cited_for: facts
                        .cited_for(pi, si)
                        .map(|w| format!("Cited for: {}", w.join("; "))),
                })
                .collect()
        })
        .collect();
    let mentions = Mentions {
        partnerships: facts
            .partnerships
            .iter()
            .map(|p| cx.partnership(&p.id))
            .collect(),
        organizations: facts.organizations.iter().map(|o| cx.org(&o.id)).collect(),
        people: facts.people.iter().map(|p| cx.person(&p.id)).collect(),
    };
    ctx.insert("source", &cx.source_row(s));
    ctx.insert("dek", &s.dek);
    ctx.insert("paragraphs", &paragraphs);
    ctx.insert("mentions", &mentions);
}
