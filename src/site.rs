//! Site: runs the stages in order — load, clean, extract (in parallel per document),
//! resolve, render, check, write — and collects every document's errors. Documents become a
//! model in `documents`; the rest is here.

use crate::cache::Cache;
use crate::check::{self, BrokenLink, check_links};
use crate::config::Config;
use crate::curate;
use crate::documents::{Options, model_of};
use crate::error::DocError;
use crate::extract::Lexicon;
use crate::load;
use crate::manifest::{self, Ledger, Manifest};
use crate::model::Model;
use crate::pack::{self, Pack};
use crate::render::{self, Made, Renderer};
use crate::timings;
use crate::write::{self, OutputFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a build or check failed; every document's problems are listed, not just the first.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("{}", list(.0))]
    Documents(Vec<DocError>),
    #[error("{0}")]
    Render(String),
    #[error("{} broken link(s):\n{}", .0.len(), list(.0))]
    Links(Vec<BrokenLink>),
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

impl From<crate::render::RenderError> for SiteError {
    fn from(e: crate::render::RenderError) -> Self {
        SiteError::Render(e.to_string())
    }
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A site on disk: its root folder and its settings.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Reuse extraction results of unchanged documents from `.accord-cache/` (see `cache`).
    pub use_cache: bool,
    /// After the documents are read, remove extraction-cache entries they did not use
    /// (`accord build --gc`).
    pub gc: bool,
}

/// What a successful build did, for the summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub files: usize,
    pub partnerships: usize,
    pub organizations: usize,
}

impl Site {
    /// Opens the site at `root`, reading its accord.toml if it has one.
    pub fn open(root: &Path) -> Result<Site, SiteError> {
        let config = Config::load(root).map_err(|e| SiteError::Documents(vec![e]))?;
        Ok(Site {
            root: root.to_path_buf(),
            config,
            use_cache: true,
            gc: false,
        })
    }

    /// The folder of source documents.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join(&self.config.content)
    }

    /// The folder the site is written to.
    pub fn output_dir(&self) -> PathBuf {
        self.root.join(&self.config.output)
    }

    /// The gazetteer and word lists: built in, extended by the site's data/ folder.
    pub fn lexicon(&self) -> Result<Lexicon, SiteError> {
        let data = self.root.join("data");
        Lexicon::load(data.is_dir().then_some(data.as_path()))
            .map_err(|e| SiteError::Documents(vec![e]))
    }

    /// The site's own data files (`data/*.toml`), sorted.
    fn data_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.root.join("data"))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// The model of every document in the content folder, with its facts files applied,
    /// and warnings about corrections that matched nothing. With the cache, the documents'
    /// pack and the kept model may still be being written when it returns: `cache::wait`
    /// waits for them (`build` and `render` do).
    pub fn model(&self) -> Result<(Model, Vec<String>), SiteError> {
        let dir = self.content_dir();
        let limits = self.config.limits();
        let place = self.use_cache.then(|| pack::Place {
            file: Pack::path(&self.root),
            content: dir.clone(),
        });
        if let Some(place) = &place {
            pack::read_ahead(place.file.clone());
            crate::resolve::kept::read_ahead(crate::resolve::kept::path(&place.file));
        }
        let found = timings::time("find", || load::find(&dir, &limits))
            .map_err(|e| SiteError::Documents(vec![e]))?;
        let opts = Options {
            limits,
            skip_drafts: true,
            cache: self.use_cache.then(|| {
                let cache = timings::time("cache", || Cache::open(&self.root, &self.data_files()));
                if self.gc { cache.tracking() } else { cache }
            }),
            day_first: self.config.day_first,
            pack: place,
        };
        // (Side by side on rayon, these four steps began extraction no sooner: 7 alternating
        // one-edit 10k rebuilds, median 107 ms serial against 118.)
        let facts_files = timings::time("find facts files", || curate::find(&dir));
        let lexicon = timings::time("lexicon", || self.lexicon())?;
        let model = model_of(&found, &facts_files, &lexicon, &opts)?;
        if let Some(cache) = opts.cache.as_ref().filter(|_| self.gc) {
            let removed = cache.prune();
            eprintln!("--gc: removed {removed} unused extraction cache entries");
        }
        Ok(model)
    }

    /// Renders the whole site in memory and checks its links; writes nothing. Warnings go to
    /// stderr.
    pub fn render(&self) -> Result<(Model, Vec<OutputFile>), SiteError> {
        let (model, renderer) = self.model_and_renderer()?;
        let pages = timings::time("render", || renderer.render(&model, &self.config))
            .map_err(|e| SiteError::Render(e.to_string()))?;
        let mut files: Vec<OutputFile> = pages
            .into_iter()
            .map(|p| OutputFile {
                path: p.path,
                bytes: p.bytes,
            })
            .collect();
        self.add_static(&mut files)?;
        let broken = timings::time("check", || check_links(&files));
        if !broken.is_empty() {
            return Err(SiteError::Links(broken));
        }
        // The documents' pack, written beside the rendering, is in place before it ends.
        crate::cache::wait();
        Ok((model, files))
    }

    /// The model, with its warnings printed to stderr, and the renderer with the site's
    /// templates.
    fn model_and_renderer(&self) -> Result<(Model, Renderer), SiteError> {
        let (model, warnings) = self.model()?;
        for w in warnings {
            eprintln!("warning: {w}");
        }
        let renderer = Renderer::new(Some(&self.root.join("templates")))
            .map_err(|e| SiteError::Render(e.to_string()))?;
        Ok((model, renderer))
    }

    /// Adds the site's own `static/` files (copied as they are, under `static/`), replacing
    /// built-in assets of the same name, such as `static/style.css`.
    fn add_static(&self, files: &mut Vec<OutputFile>) -> Result<(), SiteError> {
        let mut own = self.own_static()?;
        for f in files.iter_mut() {
            if let Some(bytes) = own.remove(&f.path) {
                f.bytes = bytes;
            }
        }
        files.extend(
            own.into_iter()
                .map(|(path, bytes)| OutputFile { path, bytes }),
        );
        Ok(())
    }

    /// The site's own `static/` files by output path (`static/…`), sorted; they replace
    /// built-in assets of the same name. Hidden files (.DS_Store, .gitkeep) are not published.
    fn own_static(&self) -> Result<BTreeMap<String, Vec<u8>>, SiteError> {
        let dir = self.root.join("static");
        let mut own = BTreeMap::new();
        if !dir.is_dir() {
            return Ok(own);
        }
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .follow_links(false)
        {
            let entry = entry.map_err(|e| SiteError::Render(format!("{}: {e}", dir.display())))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let path = format!("static/{}", write::slash_path(rel));
            if write::safe_relative(&path).is_err() {
                continue;
            }
            let bytes = std::fs::read(entry.path()).map_err(|e| {
                SiteError::Render(format!("{}: cannot read: {e}", entry.path().display()))
            })?;
            own.insert(path, bytes);
        }
        Ok(own)
    }

    /// Builds the site into its output folder, replacing the old one only when all went well.
    /// Pages are written to a staging folder as they are rendered and noted for the link
    /// check, so the site is never held whole in memory nor read back.
    ///
    /// With the cache on, the last build's manifest (see `manifest`) says which pages are
    /// unchanged: those are fingerprinted, not rendered, and the output is updated in place
    /// with only the files that changed.
    pub fn build(&self) -> Result<Summary, SiteError> {
        let output = self.output_dir();
        let mut staging = write::Staging::begin(&output)?;
        // The last build's manifest (tens of megabytes for a large site), and when there is
        // one what the output holds now, are read on a thread of their own while the documents
        // are read and resolved, which leaves a core idle. In place, whatever the new site
        // does not have is removed, as a whole new site would not have it; and a file whose
        // stamp is the one the manifest has is the file the last build wrote.
        if self.use_cache {
            // accord's own hash, which keys the caches, is kept in the cache folder; a new
            // accord reads and hashes its 16 MB executable: begun now, beside loading the word
            // lists, templates and documents.
            // (A thread the system refuses only means it is hashed where first needed.)
            crate::cache::keep_binary_hash_in(&self.root);
            let _ = std::thread::Builder::new().spawn(crate::cache::binary);
        }
        let last = self.use_cache.then(|| {
            let (root, output) = (self.root.clone(), output.clone());
            std::thread::Builder::new().spawn(move || {
                let manifest = Manifest::read(&root, &output)?;
                let listed = (output.is_dir())
                    .then(|| write::list_since(&output, Some(&manifest.last_listing())))
                    .map(Listed::of);
                Some((manifest, listed))
            })
        });
        let (model, renderer) = self.model_and_renderer()?;
        let own = self.own_static()?;
        let salt = manifest::salt(&renderer.templates_hash(), &self.config);
        // What rendering needs of the model alone is made while the manifest may still be
        // being read.
        let prepared = render::Prepared::of(&model, &self.config);
        // Taken out of the cache now: a build that stops half-way leaves no manifest behind.
        let last = timings::time("wait: manifest, listing", || {
            last.and_then(|t| t.ok()?.join().ok().flatten())
        });
        let (mut previous, listed) = match last {
            Some((manifest, listed)) if manifest.salt == salt => (Some(manifest), listed),
            _ => (None, None),
        };
        let manifest_size = Manifest::stored_size(&self.root, &output);
        Manifest::forget(&self.root, &output);
        if previous.is_some() {
            staging.update_in_place();
        }
        if !staging.is_in_place() {
            previous = None;
        }
        let listed = (staging.is_in_place())
            .then(|| listed.unwrap_or_else(|| Listed::of(write::list_since(&output, None))));
        let (existing, stamps, folders) = match listed {
            Some(l) => (l.existing, Some(l.stamps), Some(l.folders)),
            None => Default::default(),
        };
        let ledger = Ledger::with_stamps(&output, previous, salt, stamps);
        let put = |path: String,
                   body: Body<'_>,
                   fingerprint: Option<[u8; 16]>,
                   reads: Option<Vec<u32>>,
                   pieces: Option<Vec<render::Piece>>| {
            // A file made of pieces is known by them (`render::identity`), which the next
            // build can tell without reading it.
            let hash = match &pieces {
                Some(pieces) => render::identity(pieces),
                None => manifest::file_hash(body.bytes()),
            };
            // A file with the bytes the output already holds is left as it is.
            if let Some(old) = ledger.same_bytes(&path, &hash) {
                staging.keep(&path)?;
                let links = check::is_page(&path).then(|| {
                    ledger.old_links(&path).unwrap_or_else(|| {
                        let links = check::scan(body.bytes());
                        ledger.rescanned(&path, &links);
                        check::Links::read(links)
                    })
                });
                let entry = manifest::Entry { fingerprint, ..old };
                ledger.note(path, entry, links, reads, pieces);
                return Ok::<(), SiteError>(());
            }
            let t = std::time::Instant::now();
            let links = check::is_page(&path).then(|| check::scan(body.bytes()));
            if timings::on() {
                timings::add("link scan".into(), t.elapsed().as_micros());
            }
            if let Some(links) = &links {
                ledger.rescanned(&path, links);
            }
            let links = links.map(check::Links::read);
            let stamp = match body {
                Body::Bytes(bytes) => staging.put(&path, bytes)?,
                Body::Parts(parts) => staging.splice(&path, parts)?,
            };
            let entry = manifest::Entry {
                hash,
                stamp,
                fingerprint,
            };
            ledger.note(path, entry, links, reads, pieces);
            Ok(())
        };
        let (queries, scratch) = timings::time("render", || {
            renderer.render_each(
                prepared,
                &self.config,
                ledger
                    .has_previous()
                    .then_some(&ledger as &dyn render::Previous),
                |made| match made {
                    // The site's own static files replace built-in assets of the same name
                    // (the search index included): written as they are, with nothing that
                    // says what the built-in file was made from.
                    made if own.contains_key(made.path()) => {
                        let path = made.path();
                        put(path.to_owned(), Body::Bytes(&own[path]), None, None, None)
                    }
                    Made::File(page) => {
                        let fingerprint = page.fingerprint.map(|f| f.0);
                        put(
                            page.path,
                            Body::Bytes(&page.bytes),
                            fingerprint,
                            page.reads,
                            page.pieces,
                        )
                    }
                    Made::Spliced {
                        path,
                        parts,
                        pieces,
                    } => put(path, Body::Parts(&parts), None, None, Some(pieces)),
                    Made::Unchanged { path, reads } => {
                        staging.keep(&path)?;
                        ledger.keep(path, reads).map_err(SiteError::Render)
                    }
                },
            )
        })?;
        let linker = scratch.linker();
        for (path, bytes) in own.iter().filter(|(p, _)| !staging.has(p)) {
            put(path.clone(), Body::Bytes(bytes), None, None, None)?;
        }
        let paths = staging.paths();
        // Three steps that wait for the whole site, on the build's critical path: the folders'
        // times (a whole new site only) and which links to check on one side, the new
        // manifest on the other.
        let ((times, only), mut next) = rayon::join(
            || {
                let times = (self.use_cache)
                    .then(|| staging.folder_times(paths.iter().map(String::as_str)))
                    .flatten();
                (times, ledger.to_verify(&paths))
            },
            || ledger.finish(queries),
        );
        crate::drop_later(ledger);
        // The output's folders for the next build: a whole new site's as staged, else as
        // this build's listing found them.
        next.folders = times.or(folders).unwrap_or_default();
        next.linker = Some(linker);
        // The manifest is encoded and written while the links are checked and the site put in
        // place, and what rendering made for itself is freed; the manifest is put where the
        // next build looks for it only once the site is in place.
        let (done, (_, staged)) = rayon::join(
            || {
                let broken = timings::time("check", || {
                    check::verify_some(&paths, &next.links, only.as_deref())
                });
                if !broken.is_empty() {
                    return Err(SiteError::Links(broken));
                }
                timings::time("swap", || staging.commit(&existing)).map_err(SiteError::from)
            },
            || {
                rayon::join(
                    || crate::done_with(scratch),
                    || {
                        let bytes = self.use_cache.then(|| {
                            timings::time("manifest", || next.encode_sized(manifest_size))
                        });
                        Manifest::stage(&self.root, &output, &bytes.flatten()?)
                    },
                )
            },
        );
        let held = done?;
        if let Some(manifest) = staged {
            manifest.finish();
        }
        drop(held);
        let summary = Summary {
            documents: model.sources.len(),
            files: paths.len(),
            partnerships: model.partnerships.len(),
            organizations: model.organizations.len(),
        };
        crate::drop_later((model, next, paths));
        // The documents' pack, written beside the build, is in place before it ends.
        crate::cache::wait();
        Ok(summary)
    }
}

/// What the output holds, as a build uses its listing: every file (those the new site lacks
/// are removed), each regular file's stamp (a file whose stamp the manifest has is the one the
/// last build wrote) and the folders. Made where the output is listed, on the thread that reads
/// the manifest while the documents are resolved, so that the build does not wait for it.
struct Listed {
    existing: Vec<String>,
    stamps: foldhash::HashMap<String, write::Stamp>,
    folders: Vec<(String, Option<i128>)>,
}

impl Listed {
    fn of(listing: write::Listing) -> Listed {
        let existing = listing.files.iter().map(|(path, _)| path.clone()).collect();
        let stamps = (listing.files.into_iter())
            .filter_map(|(path, stamp)| Some((path, stamp?)))
            .collect();
        Listed {
            existing,
            stamps,
            folders: listing.folders,
        }
    }
}

/// What a file of the new site is written from: its bytes, or stretches of the last build's
/// file and new bytes (`Made::Spliced`, never a page).
enum Body<'a> {
    Bytes(&'a [u8]),
    Parts(&'a [render::Part]),
}

impl Body<'_> {
    /// The bytes, for a page's link scan and a whole file's hash (a file made of parts is
    /// known by its pieces instead).
    fn bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(bytes) => bytes,
            Body::Parts(_) => &[],
        }
    }
}
