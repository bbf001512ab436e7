//! Documents into a model: each document loaded, cleaned and extracted on all threads — or
//! its extraction taken from the last build's pack or the extraction cache when it is
//! unchanged — then all resolved into one model, with the analyst's facts files applied.

use crate::cache::Cache;
use crate::clean;
use crate::curate;
use crate::error::DocError;
use crate::extract::{self, Lexicon};
use crate::load;
use crate::model::Model;
use crate::pack::{self, Pack};
use crate::resolve::{self, kept};
use crate::site::SiteError;
use crate::timings;
use rayon::prelude::*;
use std::path::PathBuf;

/// How documents are read into a model.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Size and count bounds.
    pub limits: load::Limits,
    /// Leave out documents whose front matter says `draft = true`.
    pub skip_drafts: bool,
    /// Where to keep and find extraction results of unchanged documents.
    pub cache: Option<Cache>,
    /// The site's reading of ambiguous numeric dates, for documents that do not say.
    pub day_first: bool,
    /// Where the last build's pack of the documents is (with a cache only).
    pub pack: Option<pack::Place>,
}

/// One document's facts, the warnings it raised on the way, and the hashes of its facts
/// (`kept::hashes`), when it went through the cache.
type Extracted = (extract::Facts, Vec<String>, Option<kept::Hashes>);

/// What the cache keeps of one document: all that extraction made of it.
#[derive(serde::Serialize, serde::Deserialize)]
struct Cached {
    draft: bool,
    /// With citations packed (`Facts::pack`) when `packed`.
    facts: extract::Facts,
    packed: bool,
    warnings: Vec<String>,
    /// The hashes of the facts, whole (`kept::hashes`), made when stored.
    hashes: Option<kept::Hashes>,
}

impl Cached {
    /// Keeps these facts in `cache` under `key`, their citations packed (`Facts::pack`: a
    /// third of the bytes to write, and later to read back, is sentences stored again), and
    /// hands back the entry as stored.
    fn store(&mut self, cache: &Cache, key: &str) -> Option<Vec<u8>> {
        self.hashes = kept::hashes(&self.facts);
        self.packed = self.facts.pack();
        let entry = cache.put(key, self);
        if std::mem::take(&mut self.packed) {
            // Cannot fail: the paragraphs that packed them are there.
            let whole = self.facts.unpack();
            debug_assert!(whole);
        }
        entry
    }

    /// The facts in a sealed cache entry, whole; none when it is damaged or packed citations
    /// do not fit the document's paragraphs (an entry that is not what `store` wrote).
    fn open(entry: &[u8]) -> Option<Cached> {
        let mut cached: Cached = crate::cache::unseal(entry)?;
        if std::mem::take(&mut cached.packed) && !cached.facts.unpack() {
            return None;
        }
        Some(cached)
    }
}

/// One document's extraction, and what the next pack keeps of it (with a cache).
type Done = (Option<Extracted>, Option<pack::Next>);

/// Loads, cleans and extracts one document as the source `id` (see `load::source_ids`), or
/// takes the result from the cache when the document, its id, the data and accord itself are
/// unchanged: from the last build's pack (`last`) without reading the document when its file
/// is as it was then (`trust`), else under the key of its bytes, from the pack or the cache.
fn extract_one(
    f: &load::Found,
    id: &str,
    lex: &Lexicon,
    opts: &Options,
    last: Option<&Pack>,
    trust: Option<&pack::Trust>,
) -> Result<Done, DocError> {
    let meta = format!(
        "{}|{id}|{}|{}",
        f.rel, opts.limits.lossy_utf8, opts.day_first
    );
    let unchanged = (opts.cache.as_ref())
        .zip(last.and_then(|p| p.unchanged(&f.rel, &f.path, &meta, trust)))
        // Over the size limit (a lowered one) it is read, to say so.
        .filter(|(_, known)| {
            (known.stamp).is_some_and(|s| s.size() <= opts.limits.max_document_bytes)
        })
        .and_then(|(cache, known)| Some((cache, Cached::open(known.entry)?, known)));
    if let Some((cache, cached, known)) = unchanged {
        timings::count("documents from the pack, unread");
        cache.note_used(known.key);
        let next = pack::Next {
            rel: f.rel.clone(),
            meta,
            stamp: known.stamp,
            key: known.key.to_owned(),
            entry: pack::Entry::Last(known.at),
        };
        return Ok((kept(cached, opts), Some(next)));
    }
    timings::count("documents read");
    let (bytes, file) = load::read(f, &opts.limits)?;
    let Some(cache) = &opts.cache else {
        return Ok((kept(extract_fresh(f, id, &bytes, lex, opts)?, opts), None));
    };
    let key = cache.key(&meta, &bytes);
    let found = match last.and_then(|p| p.under(&f.rel, &key)) {
        Some(known) => {
            cache.note_used(&key);
            Cached::open(known.entry).map(|c| (c, Some(pack::Entry::Last(known.at))))
        }
        None => (cache.get(&key))
            .and_then(|entry| Some((Cached::open(&entry)?, Some(pack::Entry::Own(entry))))),
    };
    let (cached, entry) = match found {
        Some(found) => found,
        None => {
            let mut fresh = extract_fresh(f, id, &bytes, lex, opts)?;
            let entry = fresh.store(cache, &key);
            (fresh, entry.map(pack::Entry::Own))
        }
    };
    let next = entry.map(|entry| pack::Next {
        rel: f.rel.clone(),
        meta,
        stamp: (pack::FileStamp::of(&file)).and_then(|s| trust?.settled(s)),
        key,
        entry,
    });
    Ok((kept(cached, opts), next))
}

/// Loads, cleans and extracts the document `f` read as `bytes`, as the source `id`.
fn extract_fresh(
    f: &load::Found,
    id: &str,
    bytes: &[u8],
    lex: &Lexicon,
    opts: &Options,
) -> Result<Cached, DocError> {
    let mut doc = load::parse(&f.path, f.rel.clone(), bytes, &opts.limits)?;
    doc.front.day_first.get_or_insert(opts.day_first);
    let mut article = clean::clean(&doc)?;
    article.source.id = id.to_owned();
    Ok(Cached {
        draft: doc.front.draft == Some(true),
        facts: extract::extract(&article, lex),
        packed: false,
        warnings: doc.warnings,
        hashes: None,
    })
}

/// A document's facts and warnings, unless it is a draft left out.
fn kept(cached: Cached, opts: &Options) -> Option<Extracted> {
    (!(opts.skip_drafts && cached.draft)).then_some((cached.facts, cached.warnings, cached.hashes))
}

/// Loads, cleans and extracts each document in parallel, resolves them into one model and
/// applies the analyst's facts files in order.
/// Every document's errors are returned together; corrections that matched nothing come back
/// as warnings.
pub fn model_of(
    found: &[load::Found],
    facts_files: &[PathBuf],
    lex: &Lexicon,
    opts: &Options,
) -> Result<(Model, Vec<String>), SiteError> {
    let ids = load::source_ids(found);
    let place = opts.pack.as_ref().filter(|_| opts.cache.is_some());
    if place.is_some() {
        // For the last build's model, being read ahead (`kept::read_ahead`).
        kept::expect(
            ids.iter()
                .cloned()
                .zip(found.iter().map(|f| f.rel.clone()))
                .collect(),
        );
    }
    let (last, trust) = timings::time("pack", || {
        let cache = opts.cache.as_ref()?;
        place.map(|p| (Pack::read(&p.file, cache), pack::Trust::of(&p.content)))
    })
    .unwrap_or((None, None));
    let results: Vec<Result<Done, DocError>> = timings::time("extract", || {
        found
            .par_iter()
            .zip(&ids)
            .map(|(f, id)| extract_one(f, id, lex, opts, last.as_ref(), trust.as_ref()))
            .collect()
    });
    let mut facts = Vec::with_capacity(results.len());
    let mut hashes = Vec::with_capacity(results.len());
    let mut next = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for r in results {
        match r {
            Ok((extracted, line)) => {
                if let Some((f, w, hash)) = extracted {
                    facts.push(f);
                    hashes.push(hash);
                    warnings.extend(w);
                }
                next.extend(line);
            }
            Err(e) => errors.push(e),
        }
    }
    if let (Some(place), Some(cache)) = (place, &opts.cache) {
        pack::keep(place.file.clone(), cache, last, next);
    }
    let corrections: Vec<_> = facts_files
        .iter()
        .filter_map(|path| match curate::load(path) {
            Ok(f) => Some((path, f)),
            Err(e) => {
                errors.push(e);
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        return Err(SiteError::Documents(errors));
    }
    let mut model = timings::time("resolve", || resolve_or_keep(facts, hashes, lex, opts));
    for (path, f) in corrections {
        warnings.extend(curate::apply(&mut model, &f, &path.display().to_string()));
    }
    Ok((model, warnings))
}

/// The documents' facts resolved (`resolve::resolve`), each with its hashes; or, when they
/// differ from what the last build resolved only in sources and citations, its model made
/// anew in those (`kept`). With a cache and its pack only.
fn resolve_or_keep(
    facts: Vec<extract::Facts>,
    hashes: Vec<Option<kept::Hashes>>,
    lex: &Lexicon,
    opts: &Options,
) -> Model {
    let place = opts.pack.as_ref().zip(opts.cache.as_ref());
    let hashes: Option<Vec<kept::Hashes>> = hashes.into_iter().collect();
    let (Some((place, cache)), Some(hashes)) = (place, hashes) else {
        return resolve::resolve(facts, lex);
    };
    let mut docs: Vec<_> = facts.into_iter().zip(hashes).collect();
    docs.sort_unstable_by(|(a, _), (b, _)| resolve::in_order(a, b));
    let (facts, hashes): (Vec<_>, Vec<_>) = docs.into_iter().unzip();
    let at = kept::path(&place.file);
    let kept = kept::take(&at).and_then(|k| k.model_for(cache.salt(), &facts, &hashes));
    if let Some(mut model) = kept {
        timings::count("resolved model kept");
        // The facts but the sources are done with (left to the OS at exit: `done_with`).
        let sources = facts.into_iter().map(|f| {
            let (source, named) = f.split();
            crate::done_with(named);
            source
        });
        model.sources = sources.collect();
        return model;
    }
    let (mut model, routes) = resolve::resolve_routed(facts);
    kept::keep(at, cache.salt(), hashes, routes, &mut model);
    model
}
