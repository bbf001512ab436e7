//! Render: one Tera context per page, built from the model, into the pages of the briefing site.
//!
//! Templates are embedded in the binary and each can be replaced by a same-named file in the
//! site's templates folder. Links are page-relative, so the site works from disk, at a domain
//! root and under a sub-path. Autoescaping stays on: source text is data, never markup.
//!
//! Every page's context has `site` (title, description, language), `root` (the prefix back to
//! the site root, e.g. `../../`), `path`, `section`, `title`, `nav`, `canonical`, `feed` and
//! `notes` (the page's numbered citations), `search` (the search page) and, on a record page,
//! `record_json` (its own JSON). Every `href` in a view is already page-relative.
//!
//! Besides the pages: `static/` (style, search script and index), `data/` (model.json, CSV),
//! each record's `index.json`, `robots.txt`, `.nojekyll`, `CNAME` when configured, and with a
//! base URL `sitemap.xml` and `atom.xml`; [`notices`] says what a build leaves out.
//! Beyond that, by template:
//!
//! | template | keys |
//! | --- | --- |
//! | `index.html` | `figures`, `partnerships` (rows), `recent` (events), `sources` (rows) |
//! | `briefing.html` | `volume` (its title: a year, a month; none for the whole site), `scope` (as_of, first, counts), `figures`, `partnerships` (full views, each with its `anchor`), `organizations`, `people`, `topics`, `countries` (a line each: `anchor`, `name`, `about`, `links`, `more`), `events`, `sources`; every link leads inside the page |
//! | `volumes.html` | the briefing's contents when it comes in volumes (`briefing_limit`): `figures`, `volumes` (title, href, partnerships) |
//! | `search.html` | `countries`, `topics` (id, name) for the filters; results come from `static/search.js` |
//! | `partnership.html` | `partnership`: title, cites, parties, focus, announced, venue, occasion, funding, commitments, quotes, also_quoted, events |
//! | `organization.html` | `kind`, `aliases`, `country`, `partners`, `given`, `received`, `partnerships`, `commitments`, `people`, `events`, `cites` |
//! | `person.html` | `role`, `aliases`, `organization`, `country`, `quotes`, `partnerships`, `events`, `cites` |
//! | `topic.html`, `country.html` | `partnerships`; a topic also `organizations` (counted; on its first page only) and `pager` as a list page; a country also `organizations`, `people`, `partner_countries` |
//! | `source.html` | `source`, `dek`, `paragraphs` (sentences with `anchor` and linked `runs`), `mentions` |
//! | `timeline.html` | `years`: each a `year` and its `events`, oldest first; a year's page (over `timeline_limit`) has only its year and `all_years` (href of the list); the list has `volumes` (title, href, events) and no `years` |
//! | list pages | `partnerships`, `organizations`, `people`, `sources` rows (of one page, past `paginate_by`, with `pager`: number, pages, first_row, last_row, prev, next, links); `topics`, `countries` counts |
//!
//! `templates/components.html` holds the shared pieces (`link`, `cites`, `date`, tables).

mod article;
mod briefing_lists;
pub mod context;
mod exports;
mod feeds;
mod format;
mod index;
mod model_json;
pub use model_json::{Part, Piece, identity};
mod pages;
pub mod reads;
mod records;
mod search;
mod text;
mod urls;
mod views;

use crate::config::Config;
use crate::model::Model;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{Context, Tera};

pub use urls::is_safe_path;

/// The built-in templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "partnerships.html",
        include_str!("../../templates/partnerships.html"),
    ),
    (
        "partnership.html",
        include_str!("../../templates/partnership.html"),
    ),
    (
        "organizations.html",
        include_str!("../../templates/organizations.html"),
    ),
    (
        "organization.html",
        include_str!("../../templates/organization.html"),
    ),
    ("people.html", include_str!("../../templates/people.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("topics.html", include_str!("../../templates/topics.html")),
    ("topic.html", include_str!("../../templates/topic.html")),
    (
        "countries.html",
        include_str!("../../templates/countries.html"),
    ),
    ("country.html", include_str!("../../templates/country.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("source.html", include_str!("../../templates/source.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "briefing.html",
        include_str!("../../templates/briefing.html"),
    ),
    ("volumes.html", include_str!("../../templates/volumes.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
];

/// The default stylesheet, written to `static/style.css`.
const STYLE: &str = include_str!("../../static/style.css");

/// What can go wrong while loading templates or rendering pages.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template file in the site's templates folder could not be read.
    #[error("{}: cannot read template: {source}", path.display())]
    Read {
        /// The file or folder that could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A template does not parse, or failed while rendering a page.
    #[error("{location}: error in template {template}{}: {message}", page.as_deref().map(|p| format!(" (rendering {p})")).unwrap_or_default())]
    Template {
        /// The template's name, e.g. `partnership.html`.
        template: String,
        /// The file and, when Tera says, `:line:column`.
        location: String,
        /// The page being rendered, if the error came while rendering.
        page: Option<String>,
        /// Tera's report, with the offending line and a caret.
        message: String,
    },
    /// `cname` in accord.toml is not a bare domain name.
    #[error(
        "cname {0:?} is not a domain name; write it bare, like cname = \"briefing.example.org\""
    )]
    Cname(String),
    /// A page path would leave the output folder.
    #[error("refusing to write unsafe page path {0:?}")]
    UnsafePath(String),
    /// Two pages of the site would go to the same path (ids are unique, so a bug).
    #[error(
        "two files of the site would be written to {0:?}; please report this as a bug in accord"
    )]
    SamePath(String),
    /// The model could not be serialized for `data/model.json`, a record's JSON or the search index.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// One file of the site, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// The file's content.
    pub bytes: Vec<u8>,
    /// For an HTML page, the fingerprint of its context.
    pub fingerprint: Option<context::Fingerprint>,
    /// For an HTML page, what its context read: positions in the query table `render_each`
    /// returns.
    pub reads: Option<Vec<u32>>,
    /// For a file made of one piece per record (`data/model.json`), where each piece is, so
    /// that the next build can copy the pieces of unchanged records.
    pub pieces: Option<Vec<model_json::Piece>>,
}

/// What `render_each` hands on for each file of the site.
#[derive(Debug)]
pub enum Made {
    /// A file, rendered.
    File(Page),
    /// A file made of pieces (`data/model.json`) from parts: stretches of the last build's
    /// file at the same path, which the output still holds, and new bytes, in order.
    Spliced {
        path: String,
        parts: Vec<model_json::Part>,
        pieces: Vec<model_json::Piece>,
    },
    /// A file left as the last build made it: a page none of whose reads changed, or whose
    /// context has the same fingerprint; a record's JSON whose record is the same.
    Unchanged {
        path: String,
        /// For a page, what it read, as in `Page::reads`.
        reads: Option<Vec<u32>>,
    },
}

impl Made {
    /// Where the file goes in the output.
    pub fn path(&self) -> &str {
        match self {
            Made::File(page) => &page.path,
            Made::Spliced { path, .. } | Made::Unchanged { path, .. } => path,
        }
    }
}

/// Hands on a file that follows from what `fingerprint` hashes: `derived(path, fingerprint,
/// bytes)` keeps the last build's file when it was made from the same, and otherwise calls
/// `bytes` for the file's content.
pub type Derived<'a, E> = dyn Fn(String, context::Fingerprint, &dyn Fn() -> Result<Vec<u8>, RenderError>) -> Result<(), E>
    + Sync
    + 'a;

/// What rendering needs of a model before any page: its index, the linker and the records'
/// digests, which depend on the model alone.
pub struct Prepared<'m> {
    model: &'m Model,
    ix: index::Index<'m>,
    linker: text::Linker,
    digests: reads::Digests,
}

impl<'m> Prepared<'m> {
    /// The index, the linker and the records' digests of `model`, made side by side.
    pub fn of(model: &'m Model, config: &Config) -> Prepared<'m> {
        let ((ix, linker), digests) = rayon::join(
            || {
                rayon::join(
                    || {
                        crate::timings::time("r:index", || {
                            index::Index::new(model).with_volume_limit(config.briefing_limit)
                        })
                    },
                    || crate::timings::time("r:linker", || text::Linker::new(model)),
                )
            },
            || crate::timings::time("r:digests", || reads::Digests::of(model)),
        );
        Prepared {
            model,
            ix,
            linker,
            digests,
        }
    }
}

/// What `render_each` made for itself and needs no more: the model's index, the linker, the
/// list of pages. At scale these are millions of small allocations, a twentieth of a second
/// to free; handed back, they are freed beside the work that follows instead of before it.
pub struct Scratch<'m> {
    _index: index::Index<'m>,
    _linker: text::Linker,
    _jobs: Vec<pages::Job<'m>>,
    /// The digest of the names this build's source pages linked (`Linker::digest`).
    names: reads::Digest,
}

impl Scratch<'_> {
    /// The digest of the names this build's source pages linked, for the next build's
    /// manifest (`Previous::linker`).
    pub fn linker(&self) -> reads::Digest {
        self.names
    }
}

/// What the last build of the same output left, as `render_each` asks it.
pub trait Previous: Sync {
    /// Whether the output still holds the file at `path` as the last build made it from a
    /// context (for a page) or a record (for its JSON) with this fingerprint.
    fn unchanged(&self, path: &str, fingerprint: &context::Fingerprint) -> bool;
    /// What the page at `path` read (positions in the query table), when the output still
    /// holds it as the last build made it.
    fn reads(&self, path: &str) -> Option<&[u32]>;
    /// The last build's query table, handed over once (later calls give none): every query
    /// its pages made, with the digest of the answer then.
    fn take_queries(&self) -> Vec<(reads::Query, reads::Digest)>;
    /// The pieces of the last build's file at `path`, made of pieces, when the output still
    /// holds it as made.
    fn pieces(&self, path: &str) -> Option<Vec<model_json::Piece>>;
    /// The digest of the names the last build's source pages linked (`Linker::digest`).
    fn linker(&self) -> Option<reads::Digest>;
}

/// The parsed templates, ready to render any number of models.
pub struct Renderer {
    tera: Tera,
    /// Where each overridden template came from, for error messages.
    origins: BTreeMap<String, PathBuf>,
    /// A hash of every template's name and text.
    hash: blake3::Hash,
}

impl Renderer {
    /// Embedded default templates, each overridden by a same-named file in `site_templates`
    /// (e.g. `site/templates/partnership.html`) when that folder exists. Extra files there are
    /// added too, so an override can include templates of its own.
    pub fn new(site_templates: Option<&Path>) -> Result<Renderer, RenderError> {
        let mut sources: BTreeMap<String, String> = TEMPLATES
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        let mut origins = BTreeMap::new();
        if let Some(dir) = site_templates.filter(|d| d.is_dir()) {
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.map_err(|e| RenderError::Read {
                    path: e.path().unwrap_or(dir).to_owned(),
                    source: e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot walk folder")),
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let path = entry.path();
                let Ok(rel) = path.strip_prefix(dir) else {
                    continue;
                };
                let name = crate::write::slash_path(rel);
                // Hidden files, editor backups and notes are not templates.
                let template_like = [".html", ".htm", ".xml"].iter().any(|x| name.ends_with(x));
                if !template_like || name.split('/').any(|s| s.starts_with('.')) {
                    continue;
                }
                let text = std::fs::read_to_string(path).map_err(|e| RenderError::Read {
                    path: path.to_owned(),
                    source: e,
                })?;
                sources.insert(name.clone(), text);
                origins.insert(name, path.to_owned());
            }
        }
        let mut hash = blake3::Hasher::new();
        for (name, text) in &sources {
            for part in [name, text] {
                hash.update(&(part.len() as u64).to_le_bytes());
                hash.update(part.as_bytes());
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&origins, None, None, &e))?;
        Ok(Renderer {
            tera,
            origins,
            hash: hash.finalize(),
        })
    }

    /// A hash of the templates in use: a page's bytes follow from it and the page's context.
    pub fn templates_hash(&self) -> blake3::Hash {
        self.hash
    }

    /// Every page and asset of the site, in memory, sorted by path, with paths relative to
    /// the output folder (`partnerships/<id>/index.html`, `static/style.css`, `data/model.json`).
    pub fn render(&self, model: &Model, config: &Config) -> Result<Vec<Page>, RenderError> {
        let out = std::sync::Mutex::new(Vec::new());
        self.render_each(Prepared::of(model, config), config, None, |made| {
            if let (Made::File(mut page), Ok(mut out)) = (made, out.lock()) {
                // Positions in a query table this caller has no use for, numbered in the
                // order threads happened to finish pages.
                page.reads = None;
                out.push(page);
            }
            Ok::<(), RenderError>(())
        })?;
        let mut out = out.into_inner().unwrap_or_default();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Renders every page and asset of the site, from what `Prepared::of` made of its model
    /// (a build makes that while the last build's manifest is still being read), and hands
    /// each to `emit` as soon as it is made, from several threads at once, so a large site
    /// never sits whole in memory. Paths are checked to be safe and distinct before a page is
    /// handed on. Stops at the first error, of rendering or of `emit`. Returns the query table
    /// of the pages' reads, and the `Scratch` the caller frees when it suits it.
    ///
    /// With `previous`, a page is handed on as `Made::Unchanged`, not rendered, when none of
    /// what it read last time has a different answer now (`reads`); failing that, its context
    /// is first only fingerprinted, and it is left unrendered when the fingerprint is the
    /// last build's.
    pub fn render_each<'m, E>(
        &self,
        prepared: Prepared<'m>,
        config: &Config,
        previous: Option<&dyn Previous>,
        emit: impl Fn(Made) -> Result<(), E> + Sync,
    ) -> Result<(Vec<(reads::Query, reads::Digest)>, Scratch<'m>), E>
    where
        E: From<RenderError> + Send,
    {
        let Prepared {
            model,
            ix,
            linker,
            digests,
        } = prepared;
        let seen = std::sync::Mutex::new(foldhash::HashSet::default());
        let emit = |made: Made| -> Result<(), E> {
            let path = made.path();
            let fresh = seen
                .lock()
                .map(|mut s| s.insert(path.to_owned()))
                .unwrap_or(false);
            if !urls::is_safe_path(path) {
                return Err(RenderError::UnsafePath(path.to_owned()).into());
            }
            if !fresh {
                return Err(RenderError::SamePath(path.to_owned()).into());
            }
            emit(made)
        };
        let file = |path: String, bytes: Vec<u8>| {
            emit(Made::File(Page {
                path,
                bytes,
                fingerprint: None,
                reads: None,
                pieces: None,
            }))
        };
        let answers = reads::Answers::with(&ix, &linker, digests);
        let names = linker.digest();
        let table = std::sync::Mutex::new(match previous {
            Some(p) => crate::timings::time("r:answers", || {
                let same_names = p.linker() == Some(names);
                reads::Table::from_last(p.take_queries(), &answers, same_names)
            }),
            None => reads::Table::default(),
        });
        let positions = |queries: reads::Noted| {
            table
                .lock()
                .map(|mut t| t.positions(queries))
                .unwrap_or_default()
        };
        let base = config.base_url.as_deref().and_then(urls::http_url);
        let atom = base.and_then(|b| feeds::atom(&ix, b, &config.title, &config.description));
        let env = pages::Env {
            ix: &ix,
            linker: &linker,
            config,
            feed: atom.is_some(),
        };
        let jobs = pages::jobs(&ix, config);
        let page = |job: &pages::Job<'_>| -> Result<(), E> {
            // The whole briefing shows every record in full, so nearly any change reaches it:
            // it is rendered straight away (its file is still kept when the bytes are the same).
            let skippable = !matches!(job.kind, pages::Kind::Briefing(None));
            let mut recorded = None;
            if let Some(previous) = previous.filter(|_| skippable) {
                match previous.reads(&job.path) {
                    Some(old) if !table.lock().map_or(true, |t| t.any_changed(old)) => {
                        // Debug builds (the tests) hold the reads to the rule in `reads`: a
                        // page that read nothing changed has the fingerprint it had.
                        debug_assert!(
                            previous.unchanged(
                                &job.path,
                                &env.context(job, context::Mode::Fingerprint).0
                            ),
                            "{}: unchanged reads but a different context; a lookup escaped \
                             `Index`",
                            job.path
                        );
                        return emit(Made::Unchanged {
                            path: job.path.clone(),
                            reads: Some(old.to_vec()),
                        });
                    }
                    // What it read changed, so it most likely changed too: made straight
                    // away (its file is still kept when the bytes are the same).
                    Some(old) => {
                        if std::env::var_os("ACCORD_EXPLAIN").is_some()
                            && let Ok(t) = table.lock()
                        {
                            let why = t.changed_queries(old);
                            eprintln!("{}: made again, as these changed: {why:?}", job.path);
                        }
                    }
                    // Not made by the last build, or made without a record of its reads:
                    // fingerprinted first, and left alone when the fingerprint is the same.
                    None => {
                        let t = std::time::Instant::now();
                        let ((fingerprint, _), queries) =
                            reads::recording(|| env.context(job, context::Mode::Fingerprint));
                        if crate::timings::on() {
                            let stage = format!("fingerprint {}", job.template);
                            crate::timings::add(stage, t.elapsed().as_micros());
                        }
                        let reads = positions(queries);
                        if previous.unchanged(&job.path, &fingerprint) {
                            return emit(Made::Unchanged {
                                path: job.path.clone(),
                                reads: Some(reads),
                            });
                        }
                        recorded = Some(reads);
                    }
                }
            }
            let t0 = std::time::Instant::now();
            let ((fingerprint, ctx), queries) =
                reads::recording(|| env.context(job, context::Mode::Render));
            let reads = recorded.unwrap_or_else(|| positions(queries));
            let ctx = ctx.unwrap_or_default();
            let t1 = std::time::Instant::now();
            let mut html = self.render_one(job.template, &ctx, &job.path)?;
            if crate::timings::on() {
                crate::timings::add(format!("context {}", job.template), (t1 - t0).as_micros());
                crate::timings::add(format!("tera {}", job.template), t1.elapsed().as_micros());
            }
            if !html.ends_with('\n') {
                html.push('\n');
            }
            emit(Made::File(Page {
                path: job.path.clone(),
                bytes: html.into_bytes(),
                fingerprint: Some(fingerprint),
                reads: Some(reads),
                pieces: None,
            }))
        };
        // The pages of the whole site (briefing, timeline, lists) are few and large: each is
        // a task of its own, started first, so no thread works through several of them while
        // the other idles. The data files are independent of the pages: made alongside.
        let (site_wide, records): (Vec<_>, Vec<_>) = jobs.iter().partition(|j| !j.is_record());
        let (pages, data) = rayon::join(
            || {
                let (a, b) = crate::timings::time("r:pages", || {
                    rayon::join(
                        || {
                            site_wide
                                .par_iter()
                                .with_max_len(1)
                                .try_for_each(|j| page(j))
                        },
                        || records.par_iter().try_for_each(|j| page(j)),
                    )
                });
                a.and(b)
            },
            || {
                // A file that follows from what its fingerprint hashes (and the salt): kept
                // unmade when that is what the last build made it from.
                let derived =
                    |path: String,
                     fingerprint: context::Fingerprint,
                     bytes: &dyn Fn() -> Result<Vec<u8>, RenderError>| {
                        if previous.is_some_and(|p| p.unchanged(&path, &fingerprint)) {
                            return emit(Made::Unchanged { path, reads: None });
                        }
                        emit(Made::File(Page {
                            path,
                            bytes: bytes()?,
                            fingerprint: Some(fingerprint),
                            reads: None,
                            pieces: None,
                        }))
                    };
                // A record's file follows from its record alone.
                let record =
                    |path: String,
                     of: reads::Records,
                     at: usize,
                     bytes: &dyn Fn() -> Result<Vec<u8>, RenderError>| {
                        let fingerprint = answers.record_fingerprint(&path, of, at);
                        derived(path, fingerprint, bytes)
                    };
                // The model's JSON, with the pieces of unchanged records copied from the last
                // build's file.
                let model_json = || {
                    const PATH: &str = "data/model.json";
                    let last = previous.and_then(|p| p.pieces(PATH));
                    let (mut parts, pieces) = crate::timings::time("r:model", || {
                        model_json::model_json(model, &answers, last.as_deref())
                    })
                    .map_err(RenderError::from)?;
                    match parts.as_mut_slice() {
                        [model_json::Part::New(bytes)] => emit(Made::File(Page {
                            path: PATH.into(),
                            bytes: std::mem::take(bytes),
                            fingerprint: None,
                            reads: None,
                            pieces: Some(pieces),
                        })),
                        _ => emit(Made::Spliced {
                            path: PATH.into(),
                            parts,
                            pieces,
                        }),
                    }
                };
                // A file made from what it reads through `Index`, as a page is: kept unmade
                // when none of those answers changed since the last build.
                let read_file = |path: String, make: &dyn Fn() -> Vec<u8>| -> Result<(), E> {
                    if let Some(old) = previous.and_then(|p| p.reads(&path))
                        && !table.lock().map_or(true, |t| t.any_changed(old))
                    {
                        return emit(Made::Unchanged {
                            path,
                            reads: Some(old.to_vec()),
                        });
                    }
                    let (bytes, queries) = reads::recording(make);
                    emit(Made::File(Page {
                        path,
                        bytes,
                        fingerprint: None,
                        reads: Some(positions(queries)),
                        pieces: None,
                    }))
                };
                crate::timings::time("r:data files", || {
                    self.data_files(
                        model,
                        config,
                        &ix,
                        &jobs,
                        base,
                        atom.as_ref(),
                        &file,
                        &record,
                        &read_file,
                        &model_json,
                        &derived,
                    )
                })
            },
        );
        pages.and(data)?;
        let table = table.into_inner().unwrap_or_default();
        let queries = crate::timings::time("r:answers", || table.finish(&answers));
        drop((answers, site_wide, records));
        Ok((
            queries,
            Scratch {
                _index: ix,
                _linker: linker,
                _jobs: jobs,
                names,
            },
        ))
    }

    /// Everything but the HTML pages: sitemap, feed, JSON and CSV exports, search index,
    /// assets, robots.txt, CNAME.
    #[allow(clippy::too_many_arguments)]
    fn data_files<E>(
        &self,
        model: &Model,
        config: &Config,
        ix: &index::Index<'_>,
        jobs: &[pages::Job<'_>],
        base: Option<&str>,
        atom: Option<&tera::Context>,
        emit: &(impl Fn(String, Vec<u8>) -> Result<(), E> + Sync),
        record: &(
             impl Fn(
            String,
            reads::Records,
            usize,
            &dyn Fn() -> Result<Vec<u8>, RenderError>,
        ) -> Result<(), E>
             + Sync
         ),
        read_file: &(impl Fn(String, &dyn Fn() -> Vec<u8>) -> Result<(), E> + Sync),
        model_json: &(impl Fn() -> Result<(), E> + Sync),
        derived: &Derived<'_, E>,
    ) -> Result<(), E>
    where
        E: From<RenderError> + Send,
    {
        let page = |path: &str, bytes: Vec<u8>| emit(path.to_owned(), bytes);
        if let Some(base) = base {
            let paths: Vec<&str> = jobs.iter().map(|j| j.path.as_str()).collect();
            let xml =
                self.render_one("sitemap.xml", &feeds::sitemap(base, &paths), "sitemap.xml")?;
            page("sitemap.xml", xml.into_bytes())?;
        }
        if let Some(ctx) = atom {
            let xml = self.render_one("atom.xml", ctx, "atom.xml")?;
            page("atom.xml", xml.into_bytes())?;
        }
        page("robots.txt", feeds::robots(base).into_bytes())?;
        if let Some(cname) = &config.cname {
            let domain = feeds::domain(cname).ok_or_else(|| RenderError::Cname(cname.clone()))?;
            // GitHub Pages reads the custom domain from this file, one name on one line.
            page("CNAME", format!("{domain}\n").into_bytes())?;
        }
        // GitHub Pages would otherwise run Jekyll, which hides folders starting with `_`.
        page(".nojekyll", Vec::new())?;
        page("static/style.css", style_css(&config.title).into_bytes())?;
        // The four large files, each of the whole model, are made side by side.
        let records = || crate::timings::time("r:records", || exports::record_files(model, record));
        let csv = || {
            crate::timings::time("r:csv", || {
                exports::csv_files(ix, &|name, make| read_file(format!("data/{name}"), make))
            })
        };
        let search = || {
            for (path, text) in search::scripts() {
                page(path, text.into())?;
            }
            search::index_file(ix, derived)
        };
        // The model's JSON first: it is the largest (a hundred megabytes at ten thousand
        // documents, copied in the main from the last build's file in a rebuild), and begun
        // last it was written by one thread after everything else was done.
        let ((a, b), (c, d)) = rayon::join(
            || rayon::join(model_json, search),
            || rayon::join(records, csv),
        );
        a.and(b).and(c).and(d)
    }

    fn render_one(&self, template: &str, ctx: &Context, page: &str) -> Result<String, RenderError> {
        self.tera
            .render(template, ctx)
            .map_err(|e| template_error(&self.origins, Some(template), Some(page), &e))
    }
}

/// One-line notices about what a build with this config leaves out, for the command line to
/// print (e.g. `for n in render::notices(&config) { eprintln!("note: {n}") }`).
pub fn notices(config: &Config) -> Vec<String> {
    match config.base_url.as_deref() {
        None => vec![
            "no base_url: sitemap.xml and atom.xml are left out and pages carry no canonical link; set base_url in accord.toml or pass --base-url".into(),
        ],
        Some(b) if urls::http_url(b).is_none() => vec![format!(
            "base_url {b:?} is not an absolute http(s) URL: sitemap.xml and atom.xml are left out and pages carry no canonical link"
        )],
        Some(_) => Vec::new(),
    }
}

/// `value` as pretty JSON for the web, written in one pass (the model of a large site is a
/// hundred megabytes, too much to hold twice), with a final newline.
fn web_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = web_json_with(value, serde_json::ser::PrettyFormatter::new())?;
    out.push(b'\n');
    Ok(out)
}

/// `value` as compact JSON for the web, for a script to assign.
fn web_json_compact<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let out = web_json_with(value, serde_json::ser::CompactFormatter)?;
    // The formatter writes valid UTF-8: serde_json's own output plus ASCII escapes.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// JSON in `layout` with `<`, `>`, `&` and the two JavaScript line breaks written as `\u`
/// escapes: the same data to any JSON reader, and never markup to anything that sniffs or
/// embeds the file.
fn web_json_with<T: serde::Serialize, F: serde_json::ser::Formatter>(
    value: &T,
    layout: F,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, WebSafe(layout));
    value.serialize(&mut ser)?;
    Ok(out)
}

/// A serde_json layout with the characters `web_json_with` escapes escaped inside strings
/// (outside strings JSON has none of them).
struct WebSafe<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for WebSafe<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // A scan of bytes, not of chars: U+2028 and U+2029 are the only escaped characters
        // whose UTF-8 starts with 0xE2 and goes on with 0x80 0xA8 or 0x80 0xA9. (A search for
        // a set of chars decoded every character, and made model.json half again as slow.)
        // Two of memchr's vector searches, the three ASCII bytes and 0xE2, rather than one
        // byte at a time: most fragments hold none of them.
        let bytes = fragment.as_bytes();
        let next = |at: usize| {
            let rest = &bytes[at..];
            let ascii = memchr::memchr3(b'<', b'>', b'&', rest);
            let e2 = memchr::memchr(0xE2, &rest[..ascii.unwrap_or(rest.len())]);
            e2.or(ascii).map(|i| at + i)
        };
        let mut from = 0;
        let mut at = 0;
        while let Some(i) = next(at) {
            let len = match bytes[i] {
                0xE2 if matches!(bytes.get(i + 1..i + 3), Some([0x80, 0xA8 | 0xA9])) => 3,
                0xE2 => {
                    at = i + 1;
                    continue;
                }
                _ => 1,
            };
            w.write_all(&bytes[from..i])?;
            let c = fragment[i..].chars().next().unwrap_or_default();
            write!(w, "\\u{:04x}", u32::from(c))?;
            from = i + len;
            at = from;
        }
        w.write_all(&bytes[from..])
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// The stylesheet, with the site's title in the printed pages' top margin.
fn style_css(title: &str) -> String {
    format!(
        "{STYLE}\n/* The site title, printed at the top of each page. */\n@page {{\n  @top-left {{\n    content: \"{}\";\n  }}\n}}\n",
        css_string(title)
    )
}

/// Text as the inside of a double-quoted CSS string: quotes, backslashes, line breaks and
/// angle brackets as hex escapes, so no title can end the string, the rule or a `<style>`.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if matches!(c, '"' | '\\' | '<' | '>' | '&') || c.is_control() => {
                out.push_str(&format!("\\{:x} ", c as u32))
            }

            c => out.push(c),
        }
    }
    out
}

/// A Tera error as a RenderError naming the template file and, when known, line and column.
fn template_error(
    origins: &BTreeMap<String, PathBuf>,
    template: Option<&str>,
    page: Option<&str>,
    e: &tera::Error,
) -> RenderError {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    // Checks across templates (a block no parent has, …) come as one message of reports, each
    // pointing ` --> name:line:column`; the first names the place.
    let pointed = match report {
        Some(_) => None,
        None => e.to_string().lines().find_map(|l| {
            let at = l.trim_start().strip_prefix("--> ")?;
            let mut parts = at.rsplitn(3, ':');
            let (col, line, name) = (parts.next()?, parts.next()?, parts.next()?);
            let line: usize = line.trim().parse().ok()?;
            let col: usize = col.trim().parse().ok()?;
            Some((name.to_owned(), line, col))
        }),
    };
    let named = report
        .map(|r| r.filename().to_owned())
        .or_else(|| pointed.as_ref().map(|(n, _, _)| n.clone()))
        .filter(|n| !n.is_empty())
        .or_else(|| template.map(str::to_owned));
    let file = match &named {
        Some(name) => origins
            .get(name)
            .map_or_else(|| format!("templates/{name}"), |p| p.display().to_string()),
        None => "templates".to_owned(),
    };
    let name = named.unwrap_or_else(|| "templates".to_owned());
    let location = match (report, &pointed) {
        (Some(r), _) => format!("{file}:{}:{}", r.span().start_line, r.span().start_col + 1),
        (None, Some((_, line, col))) => format!("{file}:{line}:{col}"),
        (None, None) => file,
    };
    let message = e.to_string();
    RenderError::Template {
        template: name,
        location,
        page: page.map(str::to_owned),
        message,
    }
}

#[cfg(test)]
mod tests;
