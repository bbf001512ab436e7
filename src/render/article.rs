//! The source page: the cleaned article with every sentence anchored for citations, known
//! names linked to their pages, and what each sentence is cited for.

use super::text::Linker;
use super::urls;
use super::views::{Cx, Link, label};
use crate::model::{Citation, Source};
use serde::Serialize;
use std::collections::HashMap;
use tera::Context;

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
    let model = cx.ix.model;
    // What each sentence is cited for, so a reader of the article sees which lines carry facts.
    let mut cited: HashMap<(usize, usize), Vec<String>> = HashMap::new();
    let mut mark = |cs: &mut dyn Iterator<Item = &Citation>, what: String| {
        for c in cs.filter(|c| c.source == s.id) {
            let list = cited.entry((c.paragraph, c.sentence_index)).or_default();
            if !list.contains(&what) {
                list.push(what.clone());
            }
        }
    };
    for p in &model.partnerships {
        mark(&mut p.citations.iter(), label(&p.title, &p.id).to_owned());
    }
    for c in &model.commitments {
        mark(
            &mut c.citations.iter(),
            format!("funding of {}", c.amount.text),
        );
    }
    for o in &model.organizations {
        mark(&mut o.citations.iter(), label(&o.name, &o.id).to_owned());
    }
    for p in &model.people {
        let name = label(&p.name, &p.id);
        mark(&mut p.citations.iter(), name.to_owned());
        mark(
            &mut p.quotes.iter().map(|q| &q.citation),
            format!("quote of {name}"),
        );
    }
    for e in &model.events {
        mark(&mut e.citations.iter(), e.title.clone());
    }
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
                        .runs(text)
                        .into_iter()
                        .map(|r| Link {
                            name: r.text,
                            href: r.target.map(|t| cx.href(&t)),
                        })
                        .collect(),
                    cited_for: cited
                        .get(&(pi, si))
                        .map(|w| format!("Cited for: {}", w.join("; "))),
                })
                .collect()
        })
        .collect();
    let here = |cs: &[Citation]| cs.iter().any(|c| c.source == s.id);
    let mentions = Mentions {
        partnerships: model
            .partnerships
            .iter()
            .filter(|p| here(&p.citations))
            .map(|p| cx.partnership(&p.id))
            .collect(),
        organizations: model
            .organizations
            .iter()
            .filter(|o| here(&o.citations))
            .map(|o| cx.org(&o.id))
            .collect(),
        people: model
            .people
            .iter()
            .filter(|p| here(&p.citations) || p.quotes.iter().any(|q| q.citation.source == s.id))
            .map(|p| cx.person(&p.id))
            .collect(),
    };
    ctx.insert("source", &cx.source_row(s));
    ctx.insert("dek", &s.dek);
    ctx.insert("paragraphs", &paragraphs);
    ctx.insert("mentions", &mentions);
}
