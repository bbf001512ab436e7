//! The search index: every partnership, organization, person, topic, country and source as a
//! small document, written as `static/search-index.js` for `static/search.js`.
//!
//! Why a plain document list and a hand-written matcher rather than elasticlunr-rs (mdBook's
//! choice): the site has thousands of records, not millions of words, so a list of names,
//! aliases and a little text, matched by word prefix in the browser, is small, needs no crate,
//! and ranks names the way people look for them (an exact name first). The index is a script
//! that assigns a global, not JSON fetched at run time, because `fetch()` does not work from
//! file:// and the site must.

use super::index::Index;
use super::urls;
use super::views::{label, org_kind, source_kind};
use crate::model::Partnership;
use serde::Serialize;

/// How much of a source's article text goes into its search document.
const SOURCE_TEXT: usize = 400;

/// One searchable record.
#[derive(Serialize)]
struct Doc<'m> {
    /// Kind: partnership, organization, person, topic, country, source.
    k: &'static str,
    /// Name or title.
    n: &'m str,
    /// Aliases.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    a: Vec<&'m str>,
    /// Site path of the record page.
    h: String,
    /// A short line shown under the result, and searched as text.
    d: String,
    /// Further text, searched but not shown.
    #[serde(skip_serializing_if = "String::is_empty")]
    x: String,
    /// Country ids, for the country filter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    c: Vec<&'m str>,
    /// Topic ids, for the topic filter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    t: Vec<&'m str>,
}

#[derive(Serialize)]
struct SearchIndex<'m> {
    docs: Vec<Doc<'m>>,
}

fn push_once<'m>(list: &mut Vec<&'m str>, id: &'m str) {
    if !list.contains(&id) {
        list.push(id);
    }
}

/// The text of `s`, cut at a character boundary after at most `max` bytes.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl<'m> Index<'m> {
    fn org_country(&self, org: &str) -> Option<&'m str> {
        let o = self.orgs.get(org)?;
        self.country(o.country.as_deref()?).map(|c| c.id.as_str())
    }

    fn topics_of(&self, p: &'m Partnership, into: &mut Vec<&'m str>) {
        for f in &p.focus {
            if let Some(t) = self.topic(f) {
                push_once(into, &t.id);
            }
        }
    }
}

/// The search documents of the whole model, in a stable order.
fn docs<'m>(ix: &Index<'m>) -> Vec<Doc<'m>> {
    let model = ix.model;
    let mut out = Vec::new();
    for p in &model.partnerships {
        let mut c = Vec::new();
        let mut names = Vec::new();
        for party in &p.parties {
            if let Some(id) = ix.org_country(party) {
                push_once(&mut c, id);
            }
            names.push(
                ix.orgs
                    .get(party.as_str())
                    .map_or(party.as_str(), |o| &o.name),
            );
        }
        let mut t = Vec::new();
        ix.topics_of(p, &mut t);
        let mut x = names.join(" · ");
        for extra in [&p.venue, &p.occasion].into_iter().flatten() {
            x.push(' ');
            x.push_str(extra);
        }
        out.push(Doc {
            k: "partnership",
            n: label(&p.title, &p.id),
            a: Vec::new(),
            h: urls::record("partnerships", &p.id),
            d: names.join(", "),
            x,
            c,
            t,
        });
    }
    for o in &model.organizations {
        let mut t = Vec::new();
        for p in ix.partnerships_of(&o.id) {
            ix.topics_of(p, &mut t);
        }
        let d = match o.country.as_deref() {
            Some(c) => format!("{}, {c}", org_kind(o.kind)),
            None => org_kind(o.kind).to_owned(),
        };
        out.push(Doc {
            k: "organization",
            n: label(&o.name, &o.id),
            a: o.aliases.iter().map(String::as_str).collect(),
            h: urls::record("organizations", &o.id),
            d,
            x: String::new(),
            c: ix.org_country(&o.id).into_iter().collect(),
            t,
        });
    }
    for person in &model.people {
        let org = person.organization.as_deref();
        let mut c = Vec::new();
        if let Some(id) = person.country.as_deref().and_then(|n| ix.country(n)) {
            push_once(&mut c, &id.id);
        }
        if let Some(id) = org.and_then(|o| ix.org_country(o)) {
            push_once(&mut c, id);
        }
        let mut t = Vec::new();
        for p in org.map_or(&[][..], |o| ix.partnerships_of(o)) {
            ix.topics_of(p, &mut t);
        }
        let org_name = org.and_then(|o| ix.orgs.get(o)).map(|o| o.name.as_str());
        let d = [person.role.as_deref(), org_name]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        out.push(Doc {
            k: "person",
            n: label(&person.name, &person.id),
            a: person.aliases.iter().map(String::as_str).collect(),
            h: urls::record("people", &person.id),
            d,
            x: String::new(),
            c,
            t,
        });
    }
    for topic in &model.topics {
        let n = ix.partnerships_on(&topic.id).len();
        out.push(Doc {
            k: "topic",
            n: label(&topic.name, &topic.id),
            a: Vec::new(),
            h: urls::record("topics", &topic.id),
            d: format!("{n} partnership{}", if n == 1 { "" } else { "s" }),
            x: String::new(),
            c: Vec::new(),
            t: vec![&topic.id],
        });
    }
    for country in &model.countries {
        let n = ix.orgs_in(&country.id).len();
        out.push(Doc {
            k: "country",
            n: label(&country.name, &country.id),
            a: Vec::new(),
            h: urls::record("countries", &country.id),
            d: format!("{n} organization{}", if n == 1 { "" } else { "s" }),
            x: String::new(),
            c: vec![&country.id],
            t: Vec::new(),
        });
    }
    for s in &model.sources {
        let mut d = source_kind(s.kind).to_owned();
        for extra in [&s.publisher, &s.author].into_iter().flatten() {
            d.push_str(", ");
            d.push_str(extra);
        }
        let body = s
            .paragraphs
            .iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let mut x = s.dek.clone().unwrap_or_default();
        x.push(' ');
        x.push_str(cut(&body, SOURCE_TEXT));
        let mut c = Vec::new();
        let mut t = Vec::new();
        if let Some(facts) = ix.cited_in(&s.id) {
            for o in &facts.organizations {
                if let Some(id) = ix.org_country(&o.id) {
                    push_once(&mut c, id);
                }
            }
            for p in &facts.partnerships {
                ix.topics_of(p, &mut t);
            }
        }
        out.push(Doc {
            k: "source",
            n: label(&s.title, &s.path),
            a: Vec::new(),
            h: urls::record("sources", &s.id),
            d,
            x,
            c,
            t,
        });
    }
    out
}

/// `static/search-index.js`: the documents as a script assigning `window.accordSearch`.
pub fn index_js(ix: &Index<'_>) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(&SearchIndex { docs: docs(ix) })?;
    Ok(format!(
        "// The search index of this site, written by accord; read by search.js.\nwindow.accordSearch = {};\n",
        super::json_for_the_web(&json)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_is_a_document_and_no_markup_escapes() {
        let model = crate::render::tests::small_model();
        let ix = Index::new(&model);
        let js = index_js(&ix).unwrap();
        let n = model.partnerships.len()
            + model.organizations.len()
            + model.people.len()
            + model.topics.len()
            + model.countries.len()
            + model.sources.len();
        assert_eq!(js.matches("\"k\":").count(), n);
        assert!(js.contains("Northwind University"));
        assert!(!js.contains('<') && !js.contains('>'), "{js}");
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        assert_eq!(cut("ééé", 3), "é");
        assert_eq!(cut("abc", 10), "abc");
    }
}
