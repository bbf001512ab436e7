//! The search index: every partnership, organization, person, topic, country and source as a
//! small document, indexed with elasticlunr-rs and written as `static/search-index.js`, which
//! `static/search.js` reads with the vendored elasticlunr.js (`static/elasticlunr.min.js`).
//!
//! Why elasticlunr-rs: it writes the index that elasticlunr.js loads as it is (mdBook ships its
//! search this way), so the browser gets a ranked, prefix-expanding full-text index without any
//! matcher of ours, and it needs no network: the index is a script that assigns a global, loaded
//! by a `<script>` tag, so it works from file://, where `fetch()` of JSON fails. Rejected:
//! Pagefind and tinysearch, the better-kept alternatives the crate's own README points to, both
//! load their index (and tinysearch its WebAssembly) with `fetch()`, which fails from file://.
//! The crate is passively maintained, but its format is fixed by elasticlunr.js 0.9.5, which is
//! done; it costs one dependency besides what accord already uses (regex, serde).
//!
//! Words are folded the same way here and in search.js: decomposed (NFD), accents off, lower
//! case, split at anything not a letter or digit; English stop words are dropped, and words are
//! not stemmed, so what a reader has typed so far is a prefix of the words it should find.
//! To keep the file small and the build quick at thousands of records, a source contributes
//! its title, publisher, author and dek, not its article.

use super::index::Index;
use super::urls;
use super::views::{label, org_kind, source_kind};
use crate::model::Partnership;
use elasticlunr::{IndexBuilder, Language, Pipeline};
use foldhash::HashMap;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// The search page's script, written to `static/search.js`.
const SEARCH_JS: &str = include_str!("../../static/search.js");

/// elasticlunr.js 0.9.5 from npm, minified as published, with its MIT licence header
/// (the full licence is `static/elasticlunr.LICENSE` in accord's repository).
const ELASTICLUNR_JS: &str = include_str!("../../static/elasticlunr.min.js");

/// The one indexed field: a record's name, aliases, summary line and a little more text. One
/// field, so that elasticlunr.js can ask for every word of a query in it; search.js ranks names
/// first itself, which costs nothing in the file (a second field for names cost a sixth of it).
const FIELDS: [&str; 1] = ["text"];

/// One searchable record.
#[derive(Serialize)]
struct Doc<'m> {
    /// Kind: partnership, organization, person, topic, country, source.
    k: &'static str,
    /// Name or title.
    n: &'m str,
    /// Aliases, shown nowhere but ranked like the name.
    a: Vec<&'m str>,
    /// The record's folder in its section (search.js knows the section by the kind).
    h: Cow<'m, str>,
    /// A short line shown under the result.
    d: String,
    /// The words indexed besides the name and aliases: the parts of `d` worth finding a
    /// record by (not a kind or a count) and a little more text.
    x: String,
    /// Country ids, for the country filter.
    c: Vec<&'m str>,
    /// Topic ids, for the topic filter.
    t: Vec<&'m str>,
}

/// A record as search.js reads it; its place in the list is its index reference. Countries
/// and topics are numbers into the lists beside the documents, which keeps the file small.
#[derive(Serialize)]
struct DocOut<'a> {
    k: &'static str,
    n: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    a: &'a [&'a str],
    h: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    d: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    c: Vec<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    t: Vec<usize>,
}

/// What `static/search-index.js` assigns: the documents and the country and topic ids their
/// numbers stand for; the elasticlunr index over them follows as its `index`.
#[derive(Serialize)]
struct SearchData<'a> {
    countries: Vec<&'a str>,
    topics: Vec<&'a str>,
    docs: Vec<DocOut<'a>>,
}

/// accord's words for elasticlunr: folded as search.js folds a query, English stop words out,
/// no trimmer (the words are clean already) and no stemmer (see the top of this file).
struct Words;

impl Language for Words {
    fn name(&self) -> String {
        "English".into()
    }

    fn code(&self) -> String {
        "en".into()
    }

    /// The text comes folded already, words apart by single spaces (see [`index_of`]).
    fn tokenize(&self, text: &str) -> Vec<String> {
        text.split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn make_pipeline(&self) -> Pipeline {
        let english = elasticlunr::lang::English::new().make_pipeline();
        Pipeline {
            queue: english
                .queue
                .into_iter()
                .filter(|f| f.name() == "stopWordFilter")
                .collect(),
        }
    }
}

/// Appends the words of `text` to `out`, each after a space, as search.js splits a query:
/// NFD, combining accents (U+0300 to U+036F) removed, lower case, split at every character
/// that is neither alphabetic nor numeric. ASCII text, most of it, skips the decomposition.
fn push_words(text: &str, out: &mut String) {
    let folded = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.nfd()
            .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
            .collect::<String>()
            .to_lowercase()
    };
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            out.push(' ');
            out.push_str(word);
        }
    }
}

/// The words of `text`, folded as [`push_words`] folds them.
#[cfg(test)]
fn words(text: &str) -> Vec<String> {
    let mut out = String::new();
    push_words(text, &mut out);
    out.split_whitespace().map(str::to_owned).collect()
}

fn push_once<'m>(list: &mut Vec<&'m str>, id: &'m str) {
    if !list.contains(&id) {
        list.push(id);
    }
}

impl<'m> Index<'m> {
    fn org_country(&self, org: &str) -> Option<&'m str> {
        let o = self.org(org)?;
        self.country_card(o.country.as_deref()?).map(|c| c.id)
    }

    fn topics_of(&self, p: &'m Partnership, into: &mut Vec<&'m str>) {
        for f in &p.focus {
            if let Some(t) = self.topic_card(f) {
                push_once(into, t.id);
            }
        }
    }
}

/// The search documents of the whole model, in a stable order.
fn docs<'m>(ix: &Index<'m>) -> Vec<Doc<'m>> {
    let model = ix.model();
    let mut out = Vec::new();
    for p in &model.partnerships {
        let mut c = Vec::new();
        let mut names = Vec::new();
        for party in &p.parties {
            if let Some(id) = ix.org_country(party) {
                push_once(&mut c, id);
            }
            names.push(ix.org(party.as_str()).map_or(party.as_str(), |o| &o.name));
        }
        let mut t = Vec::new();
        ix.topics_of(p, &mut t);
        let d = names.join(", ");
        let mut x = d.clone();
        for extra in [&p.venue, &p.occasion].into_iter().flatten() {
            x.push(' ');
            x.push_str(extra);
        }
        out.push(Doc {
            k: "partnership",
            n: label(&p.title, &p.id),
            a: Vec::new(),
            h: urls::segment(&p.id),
            d,
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
            h: urls::segment(&o.id),
            x: d.clone(),
            d,
            c: ix.org_country(&o.id).into_iter().collect(),
            t,
        });
    }
    for person in &model.people {
        let org = person.organization.as_deref();
        let mut c = Vec::new();
        if let Some(id) = person.country.as_deref().and_then(|n| ix.country_card(n)) {
            push_once(&mut c, id.id);
        }
        if let Some(id) = org.and_then(|o| ix.org_country(o)) {
            push_once(&mut c, id);
        }
        let mut t = Vec::new();
        for p in org.map_or(&[][..], |o| ix.partnerships_of(o)) {
            ix.topics_of(p, &mut t);
        }
        let org_name = org.and_then(|o| ix.org(o)).map(|o| o.name.as_str());
        let d = [person.role.as_deref(), org_name]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        out.push(Doc {
            k: "person",
            n: label(&person.name, &person.id),
            a: person.aliases.iter().map(String::as_str).collect(),
            h: urls::segment(&person.id),
            x: d.clone(),
            d,
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
            h: urls::segment(&topic.id),
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
            h: urls::segment(&country.id),
            d: format!("{n} organization{}", if n == 1 { "" } else { "s" }),
            x: String::new(),
            c: vec![&country.id],
            t: Vec::new(),
        });
    }
    for s in &model.sources {
        let mut d = source_kind(s.kind).to_owned();
        let mut x = String::new();
        for extra in [&s.publisher, &s.author].into_iter().flatten() {
            d.push_str(", ");
            d.push_str(extra);
            x.push_str(extra);
            x.push(' ');
        }
        // The dek is the source's own summary; its article text is left out, which keeps the
        // index at a few words a record (at 10,000 sources an opening of 120 bytes doubled it).
        if let Some(dek) = s.dek.as_deref() {
            x.push_str(dek);
        }
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
            h: urls::segment(&s.id),
            d,
            x,
            c,
            t,
        });
    }
    out
}

/// A document's reference in the index: its place in the list in base 36, all references as
/// wide as the last one (search.js reads them with `parseInt(ref, 36)`). Short, because the
/// index repeats a reference for every word; of one width, so that references in document
/// order are also in the string order elasticlunr-rs keeps its maps in, and every insertion
/// lands at the end of a map, which keeps building the index linear at thousands of records.
fn reference(i: usize, width: usize) -> String {
    let mut digits = vec!['0'; width];
    let mut rest = i;
    for d in digits.iter_mut().rev() {
        *d = char::from_digit((rest % 36) as u32, 36).unwrap_or('0');
        rest /= 36;
    }
    digits.into_iter().collect()
}

/// How many base-36 digits the largest of `n` references needs (at least one).
fn reference_width(n: usize) -> usize {
    let mut width = 1;
    let mut max = n.saturating_sub(1) / 36;
    while max > 0 {
        width += 1;
        max /= 36;
    }
    width
}

/// The elasticlunr index of `docs`. Folding the words is most of the work and each document's
/// is independent, so it runs in parallel; elasticlunr then only splits at the spaces.
fn index_of(docs: &[Doc<'_>]) -> elasticlunr::Index {
    let texts: Vec<String> = docs
        .par_iter()
        .map(|d| {
            let mut text = String::new();
            for part in std::iter::once(&d.n)
                .chain(&d.a)
                .copied()
                .chain([d.x.as_str()])
            {
                push_words(part, &mut text);
            }
            text
        })
        .collect();
    let mut index = IndexBuilder::with_language(Box::new(Words))
        .save_docs(false)
        .add_fields(FIELDS)
        .build();
    let width = reference_width(texts.len());
    for (i, text) in texts.iter().enumerate() {
        index.add_doc(&reference(i, width), [text.as_str()]);
    }
    index
}

/// The elasticlunr index of `docs` as JSON. Its strings are field names, references and
/// folded words, which are letters and digits only, so unlike the documents it needs no
/// escaping for the web.
fn index_json(docs: &[Doc<'_>]) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(&index_of(docs))?;
    // elasticlunr-rs writes a whole term frequency as `1.0`; `1` is the same number, shorter.
    // `{"tf":1.0}` cannot occur inside a JSON string, where a quote is written `\"`.
    Ok(json.replace(r#"{"tf":1.0}"#, r#"{"tf":1}"#))
}

/// `static/search-index.js`: the documents and their index, as a script assigning
/// `window.accordSearch`. The index is built while the documents are written out.
#[cfg(test)]
fn index_js(ix: &Index<'_>) -> Result<String, serde_json::Error> {
    index_js_of(&Inputs::of(ix))
}

/// All the index is made of: the documents, and the country and topic ids their numbers stand
/// for.
#[derive(Serialize)]
struct Inputs<'m> {
    docs: Vec<Doc<'m>>,
    countries: Vec<&'m str>,
    topics: Vec<&'m str>,
}

impl<'m> Inputs<'m> {
    fn of(ix: &Index<'m>) -> Inputs<'m> {
        let model = ix.model();
        Inputs {
            docs: docs(ix),
            countries: model.countries.iter().map(|c| c.id.as_str()).collect(),
            topics: model.topics.iter().map(|t| t.id.as_str()).collect(),
        }
    }
}

/// `static/search-index.js` made of `inputs`.
fn index_js_of(inputs: &Inputs<'_>) -> Result<String, serde_json::Error> {
    let docs = &inputs.docs;
    let (countries, topics) = (inputs.countries.clone(), inputs.topics.clone());
    let place = |list: &[&str]| -> HashMap<String, usize> {
        list.iter()
            .enumerate()
            .map(|(i, id)| ((*id).to_owned(), i))
            .collect()
    };
    let (country_at, topic_at) = (place(&countries), place(&topics));
    let numbers = |ids: &[&str], at: &HashMap<String, usize>| -> Vec<usize> {
        ids.iter().filter_map(|id| at.get(*id).copied()).collect()
    };
    let (index, data) = rayon::join(
        || index_json(docs),
        || {
            let out = docs
                .iter()
                .map(|d| DocOut {
                    k: d.k,
                    n: d.n,
                    a: &d.a,
                    h: &d.h,
                    d: &d.d,
                    c: numbers(&d.c, &country_at),
                    t: numbers(&d.t, &topic_at),
                })
                .collect();
            super::web_json_compact(&SearchData {
                countries,
                topics,
                docs: out,
            })
        },
    );
    let (index, data) = (index?, data?);
    let mut js = String::with_capacity(index.len() + data.len() + 200);
    js.push_str("// The search index of this site, written by accord with elasticlunr-rs; read by search.js.\n");
    js.push_str("window.accordSearch = ");
    js.push_str(&data);
    js.push_str(";\nwindow.accordSearch.index = ");
    js.push_str(&index);
    js.push_str(";\n");
    Ok(js)
}

/// The search page's two fixed scripts, as (path, bytes): the client and elasticlunr.js.
pub fn scripts() -> [(&'static str, &'static str); 2] {
    [
        ("static/search.js", SEARCH_JS),
        ("static/elasticlunr.min.js", ELASTICLUNR_JS),
    ]
}

/// Where the index goes.
pub const INDEX_PATH: &str = "static/search-index.js";

/// The search index of the model `ix` indexes, handed to `derived` with what it is made from:
/// most edits (a date, a sentence, a figure) leave every document as it was, and then the
/// index need not be built again.
pub fn index_file<E: From<super::RenderError>>(
    ix: &Index<'_>,
    derived: &super::Derived<'_, E>,
) -> Result<(), E> {
    let inputs = crate::timings::time("search docs", || Inputs::of(ix));
    let fingerprint =
        super::reads::derived_fingerprint(INDEX_PATH, &super::reads::digest_of(&inputs));
    let bytes = || {
        let js = crate::timings::time("search", || index_js_of(&inputs))?;
        Ok(js.into_bytes())
    };
    derived(INDEX_PATH.into(), fingerprint, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What search-index.js assigns, read back: the documents, with the index as `index`.
    fn data_of(js: &str) -> serde_json::Value {
        let rest = js.split_once("window.accordSearch = ").unwrap().1;
        let (docs, index) = rest.split_once(";\nwindow.accordSearch.index = ").unwrap();
        let mut data: serde_json::Value = serde_json::from_str(docs).unwrap();
        data["index"] = serde_json::from_str(index.trim_end().trim_end_matches(';')).unwrap();
        data
    }

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
        let data = data_of(&js);
        assert_eq!(data["docs"].as_array().unwrap().len(), n);
        assert!(js.contains("Northwind University"));
        assert!(!js.contains('<') && !js.contains('>'), "{js}");
    }

    /// The references of the documents whose `field` holds `word`, read from the written index
    /// the way elasticlunr.js walks it: one nested object per character.
    fn refs(js: &str, field: &str, word: &str) -> Vec<String> {
        let data = data_of(js);
        let mut node = &data["index"]["index"][field]["root"];
        for c in word.chars() {
            node = &node[c.to_string().as_str()];
        }
        node["docs"]
            .as_object()
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The name of the document with reference `r`.
    fn name_of(js: &str, r: &str) -> String {
        let data = data_of(js);
        data["docs"][usize::from_str_radix(r, 36).unwrap()]["n"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn names_aliases_and_summaries_are_indexed_as_folded_unstemmed_words() {
        let mut model = crate::render::tests::small_model();
        model.organizations[0].aliases.push("Nörthwind Ü".into());
        let js = index_js(&Index::new(&model)).unwrap();
        let named = |word: &str| -> Vec<String> {
            refs(&js, "text", word)
                .iter()
                .map(|r| name_of(&js, r))
                .collect()
        };
        let org = model.organizations[0].name.clone();
        assert!(
            named("u").contains(&org),
            "an alias is indexed, accents off"
        );
        // A partnership's words hold its parties' names; words are not stemmed.
        assert!(named("northwind").contains(&"Northwind–Tarn quantum pact".to_owned()));
        assert!(!named("technology").is_empty());
        // A source: its title, publisher, author and dek, not its article.
        let source = &model.sources[0];
        for word in ["universities", "gazette", "quill", "dek"] {
            assert!(named(word).contains(&source.title), "{word}");
        }
        assert!(named("pact").contains(&source.title));
        assert!(
            !named("monday").contains(&source.title),
            "article text is not indexed"
        );
        // Stop words are left out; elasticlunr.js reads the pipeline by name.
        assert!(named("of").is_empty());
        assert!(js.contains(r#""pipeline":["stopWordFilter"]"#), "{js}");
        assert!(js.contains(r#""version":"0.9.5""#));
    }

    #[test]
    fn words_fold_accents_and_case_and_split_as_search_js_does() {
        assert_eq!(
            words("Université de MONTRÉAL (UdeM)—Québec's 2nd"),
            ["universite", "de", "montreal", "udem", "quebec", "s", "2nd"]
        );
        assert_eq!(words("東京大学 · Tōkyō"), ["東京大学", "tokyo"]);
        assert!(words(" ,; ").is_empty());
    }

    #[test]
    fn every_script_of_the_search_page_is_written_and_elasticlunr_keeps_its_licence() {
        let files = scripts();
        let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        assert_eq!(paths, ["static/search.js", "static/elasticlunr.min.js"]);
        let lunr = files[1].1;
        assert!(lunr.starts_with("/**\n * elasticlunr"));
        assert!(lunr.contains("MIT Licensed") && lunr.contains("@license"));
        assert!(!files[0].1.contains("fetch("));
    }

    /// The index file of a model as `index_file` hands it on: path, fingerprint, bytes.
    fn index_of_model(model: &crate::model::Model) -> (String, [u8; 16], Vec<u8>) {
        let out = std::sync::Mutex::new(None);
        let derived = |path: String,
                       fingerprint: super::super::context::Fingerprint,
                       bytes: &dyn Fn() -> Result<Vec<u8>, super::super::RenderError>|
         -> Result<(), super::super::RenderError> {
            *out.lock().unwrap() = Some((path, fingerprint.0, bytes()?));
            Ok(())
        };
        index_file(&Index::new(model), &derived).unwrap();
        out.into_inner().unwrap().unwrap()
    }

    #[test]
    fn the_index_is_known_by_what_it_is_made_from() {
        let model = crate::render::tests::small_model();
        let (path, fingerprint, bytes) = index_of_model(&model);
        assert_eq!(path, INDEX_PATH);
        assert_eq!(bytes, index_js(&Index::new(&model)).unwrap().into_bytes());
        // An article's text is not indexed: same documents, same fingerprint, same file.
        let mut edited = model.clone();
        let first = &mut edited.sources[0].paragraphs[0][0];
        *first = format!("{first} It rained.").into();
        let (_, same, same_bytes) = index_of_model(&edited);
        assert_eq!(same, fingerprint);
        assert_eq!(same_bytes, bytes);
        // A name is: another fingerprint.
        let mut renamed = model.clone();
        renamed.organizations[0].name = "Tarn Polytechnic".into();
        let (_, other, other_bytes) = index_of_model(&renamed);
        assert_ne!(other, fingerprint);
        assert_ne!(other_bytes, bytes);
    }

    /// Times each step of the index for a built site's model:
    /// `ACCORD_MODEL=site/public/data/model.json cargo test --release --lib search_time -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement, run by hand on a large model"]
    fn search_time() {
        let path = std::env::var("ACCORD_MODEL").expect("ACCORD_MODEL names a model.json");
        let model: crate::model::Model =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let ix = Index::new(&model);
        for _ in 0..2 {
            let t = std::time::Instant::now();
            let d = docs(&ix);
            let t1 = t.elapsed();
            index_of(&d);
            let t2 = t.elapsed();
            let js = index_js(&ix).unwrap();
            eprintln!(
                "{} docs: docs {t1:?}, index {:?}; whole index_js {:?}, {} bytes",
                d.len(),
                t2 - t1,
                t.elapsed() - t2,
                js.len()
            );
        }
    }

    #[test]
    fn references_are_base_36_and_filters_are_numbers_into_the_lists() {
        assert_eq!(
            [0, 9, 35, 36, 1295].map(|i| reference(i, 2)),
            ["00", "09", "0z", "10", "zz"]
        );
        assert_eq!(
            [1, 36, 37, 1296, 1297].map(reference_width),
            [1, 1, 2, 2, 3]
        );
        let model = crate::render::tests::small_model();
        let js = index_js(&Index::new(&model)).unwrap();
        let data = data_of(&js);
        let org = data["docs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["n"] == "Northwind University")
            .unwrap();
        assert_eq!(org["h"], "northwind-university");
        let country = org["c"][0].as_u64().unwrap() as usize;
        assert_eq!(data["countries"][country], model.countries[0].id.as_str());
        assert!(
            !js.contains(r#""tf":1.0"#),
            "whole frequencies are written as integers"
        );
    }
}
