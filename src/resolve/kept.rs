//! Kept: the last build's resolved model, taken again instead of resolving all documents when
//! what changed since is only sources' text and the citations of facts: a corrected sentence,
//! or an added one that cites records already known. Resolving 10,000 documents' facts was a
//! third of such a rebuild.
//!
//! Resolve reads of each document its facts other than the source record, and of the source
//! only its id and path, to order the documents; the sources themselves it only moves into the
//! model (`resolve_routed`). Citations, in turn, decide nothing but the citations of the
//! records they are merged into, capped per source (`cap_citations`, one source's apart from
//! another's), and a record's first, which breaks ties between equal names when ids are
//! handed out. So while each document in order has the same id, path and facts but their
//! citations (`Hashes::structure`), the model is the kept one with, in each record a changed
//! document's facts were merged into (`Routes`), that document's citations made again from
//! its facts — provided every document cites only itself, and no record's first citation
//! moves (else it resolves).
//!
//! The extraction cache notes each document's hashes when it stores its facts (`hashes`). The
//! model is kept after a build resolves, with the hashes and routes of its documents, and is
//! not rewritten while it can be patched. Like the rest of the cache, it never changes what
//! is built (the tests hold cached builds to clean ones), and is safe to delete.

use super::Routes;
use crate::extract::Facts;
use crate::model::{Citation, Model, cap_citations};
use std::path::{Path, PathBuf};

/// At most this many documents changed since the model was kept are patched in; past that,
/// a build resolves and keeps its model anew.
const MOST_PATCHED: usize = 64;

/// What resolve depends on of one document's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hashes {
    /// Of all its facts but the source.
    facts: [u8; 32],
    /// Of the same with the citations of its organizations, people, partnerships,
    /// commitments and events left out (a quote's is kept).
    structure: [u8; 32],
    /// Whether every citation is of the document's own source.
    own: bool,
}

/// The `Hashes` of a document's facts.
pub fn hashes(facts: &Facts) -> Option<Hashes> {
    let (source, named) = facts.clone().split();
    let whole = hash(&named)?;
    let (mut orgs, mut people, mut partnerships, mut commitments, mut events) = named;
    orgs.iter_mut().for_each(|o| o.citations.clear());
    people.iter_mut().for_each(|p| p.citations.clear());
    partnerships.iter_mut().for_each(|p| p.citations.clear());
    commitments.iter_mut().for_each(|c| c.citations.clear());
    let blank = Citation {
        source: "".into(),
        paragraph: 0,
        sentence_index: 0,
        sentence: "".into(),
    };
    events.iter_mut().for_each(|e| e.citation = blank.clone());
    let structure = hash(&(orgs, people, partnerships, commitments, events))?;
    let own = facts.citations().all(|c| *c.source == *source.id);
    Some(Hashes {
        facts: whole,
        structure,
        own,
    })
}

/// The hash of `value`'s encoding.
fn hash<T: serde::Serialize>(value: &T) -> Option<[u8; 32]> {
    Some(*blake3::hash(&postcard::to_allocvec(value).ok()?).as_bytes())
}

/// One document of a kept model.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Doc {
    id: String,
    path: String,
    hashes: Hashes,
}

/// Where a site keeps its resolved model: beside its documents' pack, at `pack`.
pub fn path(pack: &Path) -> PathBuf {
    pack.with_file_name("resolved.bin")
}

/// A model kept by an earlier build (`keep`), without its sources: its documents first, and
/// the model, which is decoded only for documents that may fit.
pub struct Kept {
    head: Head,
    model: Body,
}

/// What a kept model was resolved from.
#[derive(serde::Deserialize)]
struct Head {
    salt: [u8; 32],
    /// Its documents, in the order of its sources.
    docs: Vec<Doc>,
    routes: Vec<Routes>,
}

/// A kept model, decoded or still to be decoded from its file's bytes (the `Head` ends at
/// the second field).
enum Body {
    Decoded(Option<Model>),
    Encoded(Vec<u8>, usize),
}

impl Body {
    fn decode(self) -> Option<Model> {
        match self {
            Body::Decoded(model) => model,
            Body::Encoded(bytes, at) => {
                let model = bytes.get(at..)?;
                crate::timings::time("kept: decode", || postcard::from_bytes(model).ok())
            }
        }
    }
}

/// The model kept at `path` being read ahead, its file, and where to send the documents
/// found (`expect`).
struct Ahead {
    path: PathBuf,
    reading: std::thread::JoinHandle<Option<Kept>>,
    found: std::sync::mpsc::Sender<Vec<(String, String)>>,
}

static AHEAD: std::sync::Mutex<Option<Ahead>> = std::sync::Mutex::new(None);

/// Begins reading the model kept at `path` on a thread of its own, for the `take` that
/// follows: its documents at once, and the model (tens of megabytes at scale, decoded beside
/// the documents' pack) once the documents found (`expect`) are the ones it was resolved
/// from. Otherwise the model is decoded only if `take`'s documents fit it after all: a
/// document was added or removed (it will not fit), or a draft is left out, which the
/// documents found cannot tell.
pub fn read_ahead(path: PathBuf) {
    let (found, expected) = std::sync::mpsc::channel();
    let file = path.clone();
    let reading = std::thread::Builder::new().spawn(move || {
        let mut kept = read(&file)?;
        let same = expected.recv().is_ok_and(|found: Vec<(String, String)>| {
            found.len() == kept.head.docs.len()
                && (found.iter().zip(&kept.head.docs))
                    .all(|((id, path), d)| (id, path) == (&d.id, &d.path))
        });
        if same {
            let model = std::mem::replace(&mut kept.model, Body::Decoded(None));
            kept.model = Body::Decoded(model.decode());
        }
        Some(kept)
    });
    if let Ok(reading) = reading {
        let ahead = Ahead {
            path,
            reading,
            found,
        };
        *AHEAD.lock().unwrap_or_else(|e| e.into_inner()) = Some(ahead);
    }
}

/// Tells the model being read ahead which documents were found: their ids and paths, in
/// any order.
pub fn expect(mut found: Vec<(String, String)>) {
    found.sort_unstable();
    if let Some(ahead) = AHEAD.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        let _ = ahead.found.send(found);
    }
}

/// The kept model at `path`, whole, its documents decoded and its model not yet.
fn read(path: &Path) -> Option<Kept> {
    let bytes = crate::timings::time("kept: read", || crate::read_file(path).ok())?;
    let sealed = crate::cache::sealed(&bytes)?;
    let (head, rest): (Head, &[u8]) = postcard::take_from_bytes(sealed).ok()?;
    let at = bytes.len() - rest.len();
    Some(Kept {
        head,
        model: Body::Encoded(bytes, at),
    })
}

/// The model kept at `path`, if any.
pub fn take(path: &Path) -> Option<Kept> {
    let ahead = AHEAD.lock().unwrap_or_else(|e| e.into_inner()).take();
    match ahead {
        Some(ahead) if ahead.path == path => {
            // Its reader waits for the documents found no longer.
            drop(ahead.found);
            ahead.reading.join().ok().flatten()
        }
        _ => read(path),
    }
}

impl Kept {
    /// The model of `facts` (in resolve's order, with their `hashes`) under the cache's
    /// `salt`, without its sources, when this one can be made so (see the module's note).
    pub fn model_for(
        self,
        salt: &blake3::Hash,
        facts: &[Facts],
        hashes: &[Hashes],
    ) -> Option<Model> {
        let Kept {
            head:
                Head {
                    salt: kept_salt,
                    docs,
                    routes,
                },
            model,
        } = self;
        let fits = kept_salt == *salt.as_bytes()
            && docs.len() == facts.len()
            && hashes.len() == facts.len()
            && routes.len() == facts.len();
        if !fits {
            return None;
        }
        let mut changed = Vec::new();
        for (i, ((f, h), doc)) in facts.iter().zip(hashes).zip(&docs).enumerate() {
            let same = (f.source.id == doc.id && f.source.path == doc.path)
                && h.structure == doc.hashes.structure;
            if !same {
                return None;
            }
            if h.facts != doc.hashes.facts {
                changed.push(i);
            }
        }
        if !changed.is_empty() {
            // The citations of a changed document can be told apart only when every document,
            // as kept and as it is, cites itself alone.
            let own = docs.iter().all(|d| d.hashes.own) && changed.iter().all(|&i| hashes[i].own);
            if !own || changed.len() > MOST_PATCHED {
                return None;
            }
        }
        let mut model = model.decode().filter(|m| m.sources.is_empty())?;
        for i in changed {
            cite_again(&mut model, &facts[i], &routes[i])?;
        }
        Some(model)
    }
}

/// Gives each record that the document of `facts` went into (`routes`) that document's
/// citations anew, from its facts; none when a record is not there or its first citation
/// would change.
fn cite_again(model: &mut Model, facts: &Facts, routes: &Routes) -> Option<()> {
    let id = facts.source.id.as_str();
    cite_in(
        &mut model.organizations,
        |o| &mut o.citations,
        &routes.orgs,
        facts.orgs.iter().map(|o| &o.citations[..]).collect(),
        id,
        true,
    )?;
    cite_in(
        &mut model.people,
        |p| &mut p.citations,
        &routes.people,
        facts.people.iter().map(|p| &p.citations[..]).collect(),
        id,
        true,
    )?;
    cite_in(
        &mut model.partnerships,
        |p| &mut p.citations,
        &routes.partnerships,
        facts
            .partnerships
            .iter()
            .map(|p| &p.citations[..])
            .collect(),
        id,
        true,
    )?;
    cite_in(
        &mut model.commitments,
        |c| &mut c.citations,
        &routes.commitments,
        facts.commitments.iter().map(|c| &c.citations[..]).collect(),
        id,
        false,
    )?;
    cite_in(
        &mut model.events,
        |e| &mut e.citations,
        &routes.events,
        facts
            .events
            .iter()
            .map(|e| std::slice::from_ref(&e.citation))
            .collect(),
        id,
        false,
    )
}

/// In `records` of one kind, gives each record the document `id`'s facts went into (`routes`,
/// one per fact, with the facts' `citations`) those citations, in place of the document's it
/// had, capped as resolve caps them. With `first_fixed`, none when a record's first citation
/// would change (its id may depend on it).
fn cite_in<R>(
    records: &mut [R],
    citations_of: impl Fn(&mut R) -> &mut Vec<Citation>,
    routes: &[u32],
    citations: Vec<&[Citation]>,
    id: &str,
    first_fixed: bool,
) -> Option<()> {
    if routes.len() != citations.len() {
        return None;
    }
    let mut by_record: std::collections::BTreeMap<u32, Vec<Citation>> = Default::default();
    for (&r, cs) in routes.iter().zip(citations) {
        by_record.entry(r).or_default().extend(cs.iter().cloned());
    }
    for (r, new) in by_record {
        let list = citations_of(records.get_mut(r as usize)?);
        let first = list.first().cloned();
        let others = std::mem::take(list)
            .into_iter()
            .filter(|c| *c.source != *id);
        *list = cap_citations(others.chain(new));
        if first_fixed && list.first() != first.as_ref() {
            return None;
        }
    }
    Some(())
}

/// Keeps `model`, resolved from documents with `hashes` (in the order of its sources) going
/// `routes`, at `path` for the next build, under the cache's `salt`, without its sources:
/// encoded here, written on a thread of its own (`cache::wait` waits for it). Failures are
/// ignored: the next build then resolves.
pub fn keep(
    path: PathBuf,
    salt: &blake3::Hash,
    hashes: Vec<Hashes>,
    routes: Vec<Routes>,
    model: &mut Model,
) {
    let sources = std::mem::take(&mut model.sources);
    let docs: Vec<Doc> = (sources.iter().zip(hashes))
        .map(|(s, hashes)| Doc {
            id: s.id.clone(),
            path: s.path.clone(),
            hashes,
        })
        .collect();
    // Encoded in two halves side by side (`cache::seal_halves`), the fields in `Kept`'s order
    // (a `Model`'s are its own, one after another); the events and commitments are half.
    let Model {
        schema,
        sources: no_sources,
        organizations,
        people,
        partnerships,
        commitments,
        events,
        topics,
        countries,
    } = &*model;
    let head = (salt.as_bytes(), &docs, &routes, schema, no_sources);
    let head = (head, organizations, people, partnerships);
    let tail = (commitments, events, topics, countries);
    let bytes = crate::cache::seal_halves(&head, &tail, Vec::new(), 0);
    model.sources = sources;
    crate::done_with((docs, routes));
    if let Some(bytes) = bytes {
        crate::cache::write_beside("resolved model", move || {
            crate::cache::write_whole(&path, &bytes)
        });
    }
}
