//! Manifest: what the last build wrote into an output folder — each file's content hash and
//! stamp (size and modification time), each page's context fingerprint and its ids and links.
//! The next build renders a page again only when its fingerprint changed, and leaves a file in
//! place when its bytes are the same, so a rebuild after a small change writes a few files
//! instead of the whole site.
//!
//! It lives in the cache folder (`.accord-cache/site/`), one per output folder, and is safe to
//! delete. It never changes what is built: a page is kept only when its context, the templates,
//! the settings and accord itself are what they were, and the file in the output is still the
//! one written (same size and modification time); otherwise it is made again. A build takes
//! the manifest out of the cache when it starts and puts the new one back only when the site
//! is complete, so a build that stops half-way leaves none, and the next one starts afresh.

use crate::check::{Links, PageLinks};
use crate::render::Piece;
use crate::render::context::Fingerprint;
use crate::render::reads::{Digest, Query};
use crate::write::Stamp;
use foldhash::HashMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What tells a file's bytes from others (`crate::hash128`). blake3, used before, spent a
/// twentieth of a clean build on the 770 MB a 10k site writes.
pub type FileHash = [u8; 16];

/// The hash of a file's bytes.
pub fn file_hash(bytes: &[u8]) -> FileHash {
    crate::hash128(bytes)
}

/// One file of the output as the build left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The hash of the file's bytes (`file_hash`); for a file made of pieces (model.json),
    /// the hash of its pieces, which decide its bytes (`render::identity`). (Bytes, not hex:
    /// an entry is copied for each of fifty thousand kept files a rebuild, and read and
    /// written whole.)
    #[serde(with = "serde_bytes")]
    pub hash: FileHash,
    pub stamp: Stamp,
    /// For a page, the fingerprint of its context.
    #[serde(with = "serde_bytes")]
    pub fingerprint: Option<[u8; 16]>,
}

/// Every file of one output folder, and the links of its pages.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// What every entry depends on besides its own context: accord, templates, settings.
    pub salt: String,
    #[serde(deserialize_with = "sized::map")]
    pub files: HashMap<String, Entry>,
    #[serde(deserialize_with = "sized::map")]
    pub links: HashMap<String, Links>,
    /// Every query the pages made of the model, with the digest of its answer.
    #[serde(with = "answered")]
    pub queries: Vec<(Query, Digest)>,
    /// Per page, what its context read: positions in `queries`.
    #[serde(with = "positions")]
    pub reads: HashMap<String, Vec<u32>>,
    /// Per file made of one piece per record, where each piece is.
    #[serde(deserialize_with = "sized::map")]
    pub pieces: HashMap<String, Vec<Piece>>,
    /// The output's folders as this build's listing found them, each with its time when
    /// settled (`write::Last`).
    #[serde(deserialize_with = "sized::vec")]
    pub folders: Vec<(String, Option<i128>)>,
    /// The digest of every name the source pages linked and where to (`Linker::digest`):
    /// while it is the same, a source's links change only with its text.
    #[serde(with = "serde_bytes")]
    pub linker: Option<Digest>,
}

/// The manifest's hashes and digests are written as byte strings (`serde_bytes`), one length
/// and the bytes, rather than as serde writes an array, item by item: a 10k site's manifest
/// holds 340,000 of them, and reading and writing them a byte at a time was a twentieth of a
/// one-edit rebuild.
mod answered {
    use super::sized;
    use crate::render::reads::{Digest, Query};
    use serde::{Deserializer, Serializer};
    use serde_bytes::{ByteArray, Bytes};

    pub fn serialize<S: Serializer>(queries: &[(Query, Digest)], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(queries.iter().map(|(q, d)| (q, Bytes::new(d))))
    }

    /// The queries, to be written as `serialize` writes them.
    pub struct Written<'a>(pub &'a [(Query, Digest)]);

    impl serde::Serialize for Written<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, s)
        }
    }

    /// The queries, with room for a few more: a rebuild's pages add their new queries to
    /// them (`reads::Table`), and a list made exactly as long as the last build's was
    /// copied whole (236,000 queries at 10,000 documents) to add the first.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(Query, Digest)>, D::Error> {
        sized::vec_as(
            d,
            |n| n / 32 + 64,
            |(q, d): (Query, ByteArray<16>)| (q, d.into_array()),
        )
    }
}

/// The pages' reads written as one byte string a page, four bytes (little-endian) for each
/// position, rather than as serde writes a list, a varint at a time: a 10k site's pages make
/// a million and a half reads, and writing and reading them one by one was half the time of
/// encoding the manifest at the end of every rebuild.
mod positions {
    use super::HashMap;
    use serde::de::{Deserializer, Error, Visitor};
    use serde::{Serialize, Serializer};
    use std::cell::RefCell;

    pub fn serialize<S: Serializer>(
        reads: &HashMap<String, Vec<u32>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(reads.iter().map(|(page, at)| (page, Positions(at))))
    }

    /// The reads, to be written as `serialize` writes them.
    pub struct Written<'a>(pub &'a HashMap<String, Vec<u32>>);

    impl Serialize for Written<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, s)
        }
    }

    /// One page's positions as their bytes.
    struct Positions<'a>(&'a [u32]);

    impl Serialize for Positions<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            thread_local! {
                static BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
            }
            BYTES.with_borrow_mut(|bytes| {
                bytes.clear();
                bytes.extend(self.0.iter().flat_map(|at| at.to_le_bytes()));
                s.serialize_bytes(bytes)
            })
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<HashMap<String, Vec<u32>>, D::Error> {
        /// A page's positions, from their bytes.
        struct Read(Vec<u32>);
        impl From<Read> for Vec<u32> {
            fn from(read: Read) -> Vec<u32> {
                read.0
            }
        }
        impl<'de> serde::Deserialize<'de> for Read {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Read, D::Error> {
                d.deserialize_bytes(Read(Vec::new()))
            }
        }
        impl Visitor<'_> for Read {
            type Value = Read;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("positions, four bytes each")
            }
            fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Read, E> {
                let (at, rest) = bytes.as_chunks::<4>();
                if !rest.is_empty() {
                    return Err(E::invalid_length(bytes.len(), &self));
                }
                Ok(Read(at.iter().map(|b| u32::from_le_bytes(*b)).collect()))
            }
        }
        super::sized::map_as::<D, String, Read, Vec<u32>, _>(d)
    }
}

/// The manifest's maps and lists decoded into room made for all their items at once. serde's
/// own impls trust a length read from the input only up to a megabyte's worth of items (a
/// guard against hostile input) and grow from there: at 10,000 documents the files' map was
/// rehashed three times over and the query table copied as often, at the start of every
/// rebuild. A manifest is read only once its check holds (`cache::unseal`), so its lengths
/// are the ones written; room is still made for at most `MOST` at once.
mod sized {
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::hash::{BuildHasher, Hash};
    use std::marker::PhantomData;

    /// The most items room is made for at once: more than a site of 10,000 documents holds
    /// (236,000 queries), and some 100 MB at most reserved should a manifest (one with a valid
    /// check but made by hand) state more; past it, a map or list grows as serde's would.
    const MOST: usize = 1 << 20;

    pub fn map<'de, D, K, V, S>(d: D) -> Result<std::collections::HashMap<K, V, S>, D::Error>
    where
        D: Deserializer<'de>,
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        S: BuildHasher + Default,
    {
        map_as::<D, K, V, V, S>(d)
    }

    /// `map`, each value read as a `W` and kept as the `V` it makes.
    pub fn map_as<'de, D, K, W, V, S>(d: D) -> Result<std::collections::HashMap<K, V, S>, D::Error>
    where
        D: Deserializer<'de>,
        K: Deserialize<'de> + Eq + Hash,
        W: Deserialize<'de> + Into<V>,
        S: BuildHasher + Default,
    {
        struct Items<K, W, V, S>(PhantomData<(K, W, V, S)>);
        impl<'de, K, W, V, S> Visitor<'de> for Items<K, W, V, S>
        where
            K: Deserialize<'de> + Eq + Hash,
            W: Deserialize<'de> + Into<V>,
            S: BuildHasher + Default,
        {
            type Value = std::collections::HashMap<K, V, S>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
                let room = items.size_hint().unwrap_or(0).min(MOST);
                let mut map =
                    std::collections::HashMap::with_capacity_and_hasher(room, S::default());
                while let Some((k, w)) = items.next_entry::<K, W>()? {
                    map.insert(k, w.into());
                }
                Ok(map)
            }
        }
        d.deserialize_map(Items::<K, W, V, S>(PhantomData))
    }

    pub fn vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        vec_as(d, |_| 0, |item: T| item)
    }

    /// `vec`, each item read as a `W` and kept as the `T` that `make` makes of it, with room
    /// for `more(n)` items past the `n` read.
    pub fn vec_as<'de, D, W, T>(
        d: D,
        more: fn(usize) -> usize,
        make: fn(W) -> T,
    ) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        W: Deserialize<'de>,
    {
        struct Items<W, T> {
            more: fn(usize) -> usize,
            make: fn(W) -> T,
        }
        impl<'de, W: Deserialize<'de>, T> Visitor<'de> for Items<W, T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Vec<T>, A::Error> {
                let n = items.size_hint().unwrap_or(0).min(MOST);
                let mut vec = Vec::with_capacity(n + (self.more)(n));
                while let Some(item) = items.next_element::<W>()? {
                    vec.push((self.make)(item));
                }
                Ok(vec)
            }
        }
        d.deserialize_seq(Items { more, make })
    }
}

/// The salt of a build: accord's binary, the templates in use and the settings.
pub fn salt(templates: &blake3::Hash, config: &crate::config::Config) -> String {
    let mut h = blake3::Hasher::new();
    // The manifest's own format, should accord's binary not be readable to hash (then only
    // the version stands for it): links LZ4-compressed, pieced files known by their pieces,
    // answers' digests in XXH3, sealed with an XXH3 check, hashes as bytes, folders' times,
    // the linker's names, reads as bytes.
    h.update(b"manifest format 9\0");
    h.update(crate::cache::binary().as_bytes());
    h.update(templates.as_bytes());
    h.update(format!("{config:?}").as_bytes());
    h.finalize().to_hex().to_string()
}

/// How many bytes postcard encodes `value` in.
fn encoded_size<T: Serialize>(value: &T) -> Option<usize> {
    postcard::experimental::serialized_size(value).ok()
}

/// Where the manifest of `output` is kept under the site at `root`.
fn path(root: &Path, output: &Path) -> PathBuf {
    // Known by its folder's real path and its name: a first build puts the output in place
    // only at its end, often while its manifest is being kept, and the output's own real path
    // (or, missing, the path as given) named the same folder two ways.
    let parent = (output.parent())
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let output = match output.file_name() {
        Some(name) => parent.canonicalize().map(|p| p.join(name)),
        None => output.canonicalize(),
    }
    .unwrap_or_else(|_| output.to_path_buf());
    let id = blake3::hash(output.to_string_lossy().as_bytes()).to_hex();
    root.join(crate::cache::DIR)
        .join("site")
        .join(format!("{}.bin", &id[..16]))
}

impl Manifest {
    /// Takes the manifest of `output` out of the cache (it is deleted) when it is readable and
    /// was made with `salt`.
    pub fn take(root: &Path, output: &Path, salt: &str) -> Option<Manifest> {
        let manifest = Manifest::read(root, output);
        Manifest::forget(root, output);
        manifest.filter(|m| m.salt == salt)
    }

    /// Reads the manifest of `output`, leaving it in the cache, whatever its salt: a build
    /// reads it while the documents are extracted, and `forget`s it once it knows the salt.
    pub fn read(root: &Path, output: &Path) -> Option<Manifest> {
        let bytes = crate::read_file(&path(root, output)).ok()?;
        // Sealed with a check (`cache::seal`): a damaged manifest is no manifest, as the pages'
        // links in it are decoded only when a check looks at them.
        crate::timings::time("manifest", || crate::cache::unseal(&bytes))
    }

    /// Deletes the manifest of `output`, if any, and any a stopped build left unfinished.
    pub fn forget(root: &Path, output: &Path) {
        let path = path(root, output);
        let _ = std::fs::remove_file(&path);
        let (Some(dir), Some(stem)) = (path.parent(), path.file_stem()) else {
            return;
        };
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.file_stem() == Some(stem) && crate::cache::is_unfinished(&p) {
                let _ = std::fs::remove_file(p);
            }
        }
    }

    /// This manifest as `store` keeps it: in postcard, a compact binary serde format (for a
    /// large site the manifest is tens of megabytes, which JSON took several times longer to
    /// write and read back), led by a check of it (`cache::seal`).
    pub fn encode(&self) -> Option<Vec<u8>> {
        crate::cache::seal(self)
    }

    /// `encode`, into a buffer made with room for `size` bytes: the last manifest's size,
    /// when there is one; else each half is measured first (`postcard`'s size flavor, a pass
    /// that writes nothing). Grown by doubling instead, the buffer of a first build at 10,000
    /// documents was copied and first-touched up to twice its 46 MB: the stage took ~123 ms
    /// (median of 8 builds) against ~92 ms measured first. Encoded in two halves side by side
    /// (`cache::seal_halves`): first the files, their links and the queries; then the pages'
    /// reads and the pieces. (Written a varint at a time, the reads, a sixth of the bytes,
    /// were half the time; at 10k each half took about 30 ms, where the whole took 55 to 60 at
    /// the end of every rebuild. They are now written as bytes: `positions`.)
    pub fn encode_sized(&self, size: Option<u64>) -> Option<Vec<u8>> {
        // The fields in `Manifest`'s order, which its derived encoding follows. A field added
        // fails to compile here; the order is held by a test (encoded whole, the same bytes).
        let Manifest {
            salt,
            files,
            links,
            queries,
            reads,
            pieces,
            folders,
            linker,
        } = self;
        // The queries and the linker's digest as their fields' attributes write them.
        let queries = answered::Written(queries);
        let linker = linker.as_ref().map(|d| serde_bytes::Bytes::new(d));
        let (head, tail) = (
            &(salt, files, links, queries),
            &(positions::Written(reads), pieces, folders, linker),
        );
        let (room, tail_room) = match size {
            Some(size) => {
                let room = usize::try_from(size + size / 8).unwrap_or(0);
                (room, room / 4)
            }
            None => {
                let (head, tail) = rayon::join(|| encoded_size(head), || encoded_size(tail));
                let (head, tail) = (head?, tail?);
                (crate::cache::CHECK_LEN + head + tail, tail)
            }
        };
        crate::cache::seal_halves(head, tail, crate::large_buffer(room), tail_room)
    }

    /// The size of the stored manifest of `output`, if there is one.
    pub fn stored_size(root: &Path, output: &Path) -> Option<u64> {
        std::fs::metadata(path(root, output)).ok().map(|m| m.len())
    }

    /// Keeps an encoded manifest for the next build of `output` at once (builds `stage` it).
    #[cfg(test)]
    pub fn store(root: &Path, output: &Path, bytes: &[u8]) {
        crate::cache::write_whole(&path(root, output), bytes);
    }

    /// Keeps an encoded manifest for the next build of `output` once `finish` is called on
    /// what this returns (the site is in place); dropped unfinished, it is removed. Failures
    /// are ignored (the next build then makes every page).
    pub fn stage(root: &Path, output: &Path, bytes: &[u8]) -> Option<crate::cache::Pending> {
        crate::cache::write_pending(&path(root, output), bytes)
    }

    /// What the output held when the build that made this manifest ended, for the next
    /// listing (`write::list_since`).
    pub fn last_listing(&self) -> crate::write::Last<'_> {
        crate::write::Last::new(self.files.keys().map(String::as_str), &self.folders)
    }

    /// The entry of `rel` if the file in `output` is still the one it describes.
    pub fn valid(&self, output: &Path, rel: &str) -> Option<&Entry> {
        let entry = self.files.get(rel)?;
        (Stamp::at(&output.join(rel)) == Some(entry.stamp)).then_some(entry)
    }
}

/// One build's bookkeeping, shared by the threads that render: the last build's manifest, when
/// the output is being updated in place, and the manifest of the site being made.
pub struct Ledger {
    output: PathBuf,
    /// What the output held when the build started, each file with its stamp, when listed
    /// then; otherwise each file is looked at when asked about.
    stamps: Option<HashMap<String, Stamp>>,
    previous: Option<Manifest>,
    /// The last build's page links, taken out as pages are kept.
    previous_links: Mutex<HashMap<String, Links>>,
    /// The last build's queries, taken out to be answered anew (`Previous::take_queries`).
    previous_queries: Mutex<Vec<(Query, Digest)>>,
    next: Mutex<Manifest>,
    /// Pages whose links were read anew from their bytes in this build.
    rescanned: Mutex<Vec<String>>,
    /// Whether a page made again lacks an id its last version had, which a kept page may
    /// link to.
    lost_ids: std::sync::atomic::AtomicBool,
}

/// An empty map with room for `len` items.
fn room<K, V>(len: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(len, Default::default())
}

impl Ledger {
    /// Bookkeeping for a build of `output` with `salt`, after the last build's `previous`.
    pub fn new(output: &Path, previous: Option<Manifest>, salt: String) -> Ledger {
        Ledger::with_stamps(output, previous, salt, None)
    }

    /// As `new`, with the output's files and their stamps as listed at the start of the build
    /// (`write::files_in`), which spares a look at each file.
    pub fn with_stamps(
        output: &Path,
        mut previous: Option<Manifest>,
        salt: String,
        stamps: Option<HashMap<String, Stamp>>,
    ) -> Ledger {
        let (links, queries) = previous
            .as_mut()
            .map(|p| (std::mem::take(&mut p.links), std::mem::take(&mut p.queries)))
            .unwrap_or_default();
        // The new maps start at the last build's sizes, so noting pages (a rebuild's last
        // step) does not rehash them as they grow.
        let next = Manifest {
            salt,
            files: room(previous.as_ref().map_or(0, |p| p.files.len())),
            links: room(links.len()),
            reads: room(previous.as_ref().map_or(0, |p| p.reads.len())),
            pieces: room(previous.as_ref().map_or(0, |p| p.pieces.len())),
            ..Manifest::default()
        };
        Ledger {
            output: output.to_path_buf(),
            stamps,
            previous,
            previous_links: Mutex::new(links),
            previous_queries: Mutex::new(queries),
            next: Mutex::new(next),
            rescanned: Mutex::new(Vec::new()),
            lost_ids: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The last build's entry of `rel` if the file in the output is still the one it
    /// describes.
    fn valid(&self, rel: &str) -> Option<&Entry> {
        let previous = self.previous.as_ref()?;
        match &self.stamps {
            Some(stamps) => {
                let entry = previous.files.get(rel)?;
                (stamps.get(rel) == Some(&entry.stamp)).then_some(entry)
            }
            None => previous.valid(&self.output, rel),
        }
    }

    /// Whether there is a last build to compare with.
    pub fn has_previous(&self) -> bool {
        self.previous.is_some()
    }

    /// The last build's entry of the file at `path` when the output still holds it as made
    /// (and, for a page, its links are known).
    fn kept(&self, path: &str) -> Option<&Entry> {
        self.valid(path).filter(|_| {
            !crate::check::is_page(path)
                || self
                    .previous_links
                    .lock()
                    .is_ok_and(|l| l.contains_key(path))
        })
    }

    /// The last build's entry for `path` when the output still holds a file with these bytes
    /// (their `file_hash`).
    pub fn same_bytes(&self, path: &str, hash: &FileHash) -> Option<Entry> {
        self.valid(path).filter(|e| e.hash == *hash).copied()
    }

    /// Takes the last build's links of the page at `path`.
    pub fn old_links(&self, path: &str) -> Option<Links> {
        self.previous_links.lock().ok()?.remove(path)
    }

    /// Notes that the links of the page at `path` were read anew, as `links`.
    pub fn rescanned(&self, path: &str, links: &PageLinks) {
        if let Some(old) = self.old_links(path)
            && !old.get().ids.is_subset(&links.ids)
        {
            self.lost_ids
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        if let Ok(mut r) = self.rescanned.lock() {
            r.push(path.to_owned());
        }
    }

    /// The pages whose links need checking in a site of `paths`: those read anew, when the
    /// last build's site was whole and checked (it had a manifest) and the new one keeps every
    /// file it had and every id of the pages made again — so the links of kept pages, which
    /// all led somewhere then, still do. `None`: every page.
    pub fn to_verify(&self, paths: &foldhash::HashSet<String>) -> Option<Vec<String>> {
        let previous = self.previous.as_ref()?;
        let kept_all = previous.files.keys().all(|p| paths.contains(p));
        let lost = self.lost_ids.load(std::sync::atomic::Ordering::Relaxed);
        (kept_all && !lost).then(|| self.rescanned.lock().map(|r| r.clone()).unwrap_or_default())
    }

    /// Notes a file kept from the last build as it was, with its entry, and for a page its
    /// links and what it read.
    pub fn keep(&self, path: String, reads: Option<Vec<u32>>) -> Result<(), String> {
        let entry = self
            .previous
            .as_ref()
            .and_then(|p| p.files.get(&path).copied());
        let links = if crate::check::is_page(&path) {
            self.old_links(&path).map(Some)
        } else {
            Some(None)
        };
        match (entry, links) {
            (Some(entry), Some(links)) => {
                self.note(path, entry, links, reads, None);
                Ok(())
            }
            _ => Err(format!(
                "{path}: no record of the page in the last build's manifest"
            )),
        }
    }

    /// Notes a file of the new site, and for a page its links and reads, for a file of
    /// pieces where they are.
    pub fn note(
        &self,
        path: String,
        entry: Entry,
        links: Option<Links>,
        reads: Option<Vec<u32>>,
        pieces: Option<Vec<Piece>>,
    ) {
        if let Ok(mut next) = self.next.lock() {
            if let Some(pieces) = pieces {
                next.pieces.insert(path.clone(), pieces);
            }
            if let Some(links) = links {
                next.links.insert(path.clone(), links);
            }
            if let Some(reads) = reads {
                next.reads.insert(path.clone(), reads);
            }
            next.files.insert(path, entry);
        }
    }

    /// The manifest of the new site, whose pages' reads are positions in `queries`. Queries
    /// no page made any more are dropped. Taken out of the ledger, which the build drops
    /// afterwards (`drop_later`: the last build's manifest in it is as large as the new one),
    /// so that it can be made while other threads still ask the ledger (`to_verify`).
    pub fn finish(&self, queries: Vec<(Query, Digest)>) -> Manifest {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicBool, Ordering};
        let mut next = (self.next.lock())
            .map(|mut next| std::mem::take(&mut *next))
            .unwrap_or_default();
        // The reads are a million and a half positions at 10,000 documents: gone through on
        // every thread.
        let used: Vec<AtomicBool> = (0..queries.len()).map(|_| AtomicBool::new(false)).collect();
        next.reads.par_iter().for_each(|(_, reads)| {
            for &i in reads {
                if let Some(u) = used.get(i as usize) {
                    u.store(true, Ordering::Relaxed);
                }
            }
        });
        let mut renumber = vec![u32::MAX; queries.len()];
        // (Room made once: grown by doubling, the list was copied some eighteen times.)
        let mut kept = Vec::with_capacity(queries.len());
        for (i, q) in queries.into_iter().enumerate() {
            if used[i].load(Ordering::Relaxed) {
                renumber[i] = kept.len() as u32;
                kept.push(q);
            }
        }
        next.reads.par_iter_mut().for_each(|(_, reads)| {
            for i in reads.iter_mut() {
                *i = renumber.get(*i as usize).copied().unwrap_or(u32::MAX);
            }
        });
        next.queries = kept;
        next
    }
}

impl crate::render::Previous for Ledger {
    fn unchanged(&self, path: &str, fingerprint: &Fingerprint) -> bool {
        self.kept(path)
            .is_some_and(|e| e.fingerprint == Some(fingerprint.0))
    }

    fn reads(&self, path: &str) -> Option<&[u32]> {
        self.kept(path)?;
        self.previous.as_ref()?.reads.get(path).map(Vec::as_slice)
    }

    fn take_queries(&self) -> Vec<(Query, Digest)> {
        (self.previous_queries.lock())
            .map(|mut q| std::mem::take(&mut *q))
            .unwrap_or_default()
    }

    fn linker(&self) -> Option<Digest> {
        self.previous.as_ref()?.linker
    }

    fn pieces(&self, path: &str) -> Option<Vec<Piece>> {
        // The stamp says the file is the one written, as for every file kept: one changed by
        // hand with its size and modification time put back would be copied from, as such a
        // page would be kept. (Its bytes were hashed again here before it was spliced; that
        // read and hash were a tenth of a one-edit rebuild.) It is known by its pieces.
        self.kept(path)?;
        self.previous.as_ref()?.pieces.get(path).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn save(m: &Manifest, root: &Path, output: &Path) {
        Manifest::store(root, output, &m.encode().unwrap());
    }

    /// A site folder with an empty output folder, `public`, in it.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        (dir, out)
    }

    /// An empty manifest with this salt.
    fn salted(salt: &str) -> Manifest {
        Manifest {
            salt: salt.into(),
            ..Manifest::default()
        }
    }

    /// A manifest written beside its place is kept only once finished; one a stopped build
    /// left half-way is removed by the next build's `forget`, with the last manifest.
    #[test]
    fn a_staged_manifest_is_kept_only_when_finished() {
        let (dir, out) = site();
        let m = salted("a");
        let bytes = m.encode().unwrap();
        drop(Manifest::stage(dir.path(), &out, &bytes).unwrap());
        assert!(
            Manifest::read(dir.path(), &out).is_none(),
            "dropped unfinished"
        );
        let site = path(dir.path(), &out).parent().unwrap().to_path_buf();
        assert_eq!(
            std::fs::read_dir(&site).unwrap().count(),
            0,
            "nothing left behind"
        );
        Manifest::stage(dir.path(), &out, &bytes).unwrap().finish();
        assert_eq!(Manifest::read(dir.path(), &out).unwrap().salt, "a");
        // A killed build's temporary, and the manifest, go with `forget`.
        let stopped = path(dir.path(), &out).with_extension("tmp999999999");
        std::fs::write(&stopped, b"half").unwrap();
        Manifest::forget(dir.path(), &out);
        assert_eq!(std::fs::read_dir(&site).unwrap().count(), 0);
    }

    /// A page's links come back from a stored manifest as they went in, decoded when asked;
    /// a manifest with one byte changed is no manifest.
    #[test]
    fn stored_links_come_back_and_a_damaged_manifest_is_refused() {
        let (dir, out) = site();
        let links = PageLinks {
            ids: ["top".to_string(), "s1".to_string()].into_iter().collect(),
            links: vec!["../a/index.html#s1".into(), "https://example.org/".into()],
        };
        let mut m = salted("a");
        m.links.insert("p.html".into(), Links::read(links.clone()));
        save(&m, dir.path(), &out);
        let back = Manifest::read(dir.path(), &out).unwrap();
        assert_eq!(back.links["p.html"].get(), &links);
        // Stored again without being looked at, and read back once more.
        save(&back, dir.path(), &out);
        let again = Manifest::read(dir.path(), &out).unwrap();
        assert_eq!(again.links["p.html"].get(), &links);

        let file = path(dir.path(), &out);
        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        assert!(Manifest::read(dir.path(), &out).is_none());
    }

    /// A page's reads whose bytes are not whole positions (four bytes each) are no reads: the
    /// manifest does not decode.
    #[test]
    fn reads_of_a_length_not_a_multiple_of_four_do_not_decode() {
        #[derive(serde::Deserialize)]
        struct Reads(#[serde(with = "positions")] HashMap<String, Vec<u32>>);
        let encode = |len: usize| {
            let mut pages = std::collections::BTreeMap::new();
            pages.insert("a/index.html", serde_bytes::ByteBuf::from(vec![1; len]));
            postcard::to_allocvec(&pages).unwrap()
        };
        let whole = postcard::from_bytes::<Reads>(&encode(8)).unwrap();
        assert_eq!(whole.0["a/index.html"], [0x0101_0101, 0x0101_0101]);
        assert!(postcard::from_bytes::<Reads>(&encode(7)).is_err());
    }

    /// Encoded in halves on two threads (`encode_sized`), a manifest is byte for byte what it
    /// is encoded whole, and reads back.
    #[test]
    fn a_manifest_encoded_in_halves_is_the_manifest_encoded_whole() {
        let mut m = salted("s");
        let stamp = Stamp { len: 7, mtime: 1 };
        for (i, page) in ["a/index.html", "b/index.html", "model.json"]
            .iter()
            .enumerate()
        {
            let entry = Entry {
                hash: [i as u8; 16],
                stamp,
                fingerprint: (i < 2).then_some([9; 16]),
            };
            m.files.insert(page.to_string(), entry);
            m.reads.insert(page.to_string(), vec![i as u32, 300]);
        }
        m.reads.insert("c/index.html".into(), Vec::new());
        m.reads
            .insert("d/index.html".into(), vec![70_000, u32::MAX, 0]);
        let links = PageLinks {
            ids: ["top".to_string()].into_iter().collect(),
            links: vec!["../b/index.html".into()],
        };
        m.links.insert("a/index.html".into(), Links::read(links));
        m.queries.push((Query::Organization("o".into()), [3; 16]));
        m.queries.push((Query::Sentence("s".into(), 2, 1), [4; 16]));
        m.pieces.insert(
            "model.json".into(),
            vec![crate::render::Piece {
                kind: crate::render::reads::Records::People,
                digest: [5; 16],
                start: 10,
                len: 20,
            }],
        );
        m.folders = vec![("a".into(), Some(12)), ("b".into(), None)];
        let whole = m.encode().unwrap();
        for size in [None, Some(0), Some(whole.len() as u64), Some(1 << 20)] {
            assert_eq!(
                m.encode_sized(size).unwrap(),
                whole,
                "room for {size:?} bytes"
            );
        }
        // Measured first, the buffer is made to size: never grown, nothing to spare.
        let measured = m.encode_sized(None).unwrap();
        assert_eq!(measured.capacity(), measured.len());
        let back: Manifest = crate::cache::unseal(&whole).unwrap();
        assert_eq!(back.files, m.files);
        assert_eq!(back.reads, m.reads);
        assert_eq!(back.queries, m.queries);
        assert_eq!(back.pieces, m.pieces);
        assert_eq!(back.folders, m.folders);
    }

    #[test]
    fn a_manifest_is_taken_once_and_only_with_its_salt() {
        let (dir, out) = site();
        let m = salted("a");
        save(&m, dir.path(), &out);
        assert!(
            Manifest::take(dir.path(), &out, "b").is_none(),
            "other salt"
        );
        save(&m, dir.path(), &out);
        assert!(Manifest::take(dir.path(), &out, "a").is_some());
        assert!(
            Manifest::take(dir.path(), &out, "a").is_none(),
            "taken out: a build that stops half-way leaves none"
        );
    }

    #[test]
    fn an_entry_is_valid_only_while_its_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.html");
        std::fs::write(&file, "one").unwrap();
        let mut m = Manifest::default();
        m.files.insert(
            "a.html".into(),
            Entry {
                hash: [0; 16],
                stamp: Stamp::at(&file).unwrap(),
                fingerprint: None,
            },
        );
        assert!(m.valid(dir.path(), "a.html").is_some());
        std::fs::write(&file, "two!").unwrap();
        assert!(m.valid(dir.path(), "a.html").is_none(), "edited by hand");
        std::fs::remove_file(&file).unwrap();
        assert!(m.valid(dir.path(), "a.html").is_none(), "deleted");
    }

    #[test]
    fn with_the_output_listed_at_the_start_a_file_is_judged_by_its_listed_stamp() {
        let stamp = Stamp { len: 3, mtime: 7 };
        let previous = || Manifest {
            files: [(
                "a.json".to_string(),
                Entry {
                    hash: [1; 16],
                    stamp,
                    fingerprint: None,
                },
            )]
            .into_iter()
            .collect(),
            ..Manifest::default()
        };
        let listed = |s: Stamp| Some([("a.json".to_string(), s)].into_iter().collect());
        // No file on disk at all: only the listing is asked.
        let dir = Path::new("nowhere");
        let ledger = Ledger::with_stamps(dir, Some(previous()), String::new(), listed(stamp));
        assert!(ledger.same_bytes("a.json", &[1; 16]).is_some());
        assert!(ledger.same_bytes("a.json", &[2; 16]).is_none());
        let touched = Stamp { len: 3, mtime: 8 };
        let ledger = Ledger::with_stamps(dir, Some(previous()), String::new(), listed(touched));
        assert!(
            ledger.same_bytes("a.json", &[1; 16]).is_none(),
            "touched since"
        );
        let ledger = Ledger::with_stamps(
            dir,
            Some(previous()),
            String::new(),
            Some(HashMap::default()),
        );
        assert!(ledger.same_bytes("a.json", &[1; 16]).is_none(), "gone");
    }

    #[test]
    fn the_pieces_of_a_file_are_offered_only_while_it_is_the_one_written() {
        use crate::render::Previous;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("model.json");
        std::fs::write(&file, "[1, 2]").unwrap();
        let piece = Piece {
            kind: crate::render::reads::Records::Topics,
            digest: [7; 16],
            start: 1,
            len: 1,
        };
        let written = Stamp::at(&file).unwrap();
        let manifest = || Manifest {
            files: [(
                "model.json".to_string(),
                Entry {
                    hash: file_hash(b"[1, 2]"),
                    stamp: written,
                    fingerprint: None,
                },
            )]
            .into_iter()
            .collect(),
            pieces: [("model.json".to_string(), vec![piece])]
                .into_iter()
                .collect(),
            ..Manifest::default()
        };
        let ledger = Ledger::new(dir.path(), Some(manifest()), String::new());
        assert_eq!(ledger.pieces("model.json"), Some(vec![piece]));
        assert_eq!(ledger.pieces("other.json"), None);
        // Written again (another size, another time): the pieces no longer say where
        // anything is.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, "[3, 4, 5]").unwrap();
        let ledger = Ledger::new(dir.path(), Some(manifest()), String::new());
        assert_eq!(ledger.pieces("model.json"), None);
        // Same size, another time: none either.
        std::fs::write(&file, "[1, 2]").unwrap();
        let ledger = Ledger::new(dir.path(), Some(manifest()), String::new());
        assert_eq!(ledger.pieces("model.json"), None);
    }

    #[test]
    fn a_rebuild_checks_only_pages_read_anew_unless_a_link_target_may_be_gone() {
        let links = |ids: &[&str]| PageLinks {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            links: vec!["b.html#x".into()],
        };
        let entry = Entry {
            hash: [0; 16],
            stamp: Stamp { len: 0, mtime: 0 },
            fingerprint: None,
        };
        let previous = || Manifest {
            files: [("a.html", entry), ("b.html", entry)]
                .into_iter()
                .map(|(p, e)| (p.to_string(), e))
                .collect(),
            links: [("a.html", links(&[])), ("b.html", links(&["x", "y"]))]
                .into_iter()
                .map(|(p, l)| (p.to_string(), Links::read(l)))
                .collect(),
            ..Manifest::default()
        };
        let both: foldhash::HashSet<String> =
            ["a.html", "b.html"].map(String::from).into_iter().collect();
        let dir = std::path::Path::new("out");

        let ledger = Ledger::new(dir, Some(previous()), String::new());
        ledger.rescanned("b.html", &links(&["x", "y", "z"]));
        assert_eq!(ledger.to_verify(&both), Some(vec!["b.html".to_string()]));

        let ledger = Ledger::new(dir, Some(previous()), String::new());
        ledger.rescanned("b.html", &links(&["y"]));
        assert_eq!(
            ledger.to_verify(&both),
            None,
            "b.html lost the id a.html links to"
        );

        let ledger = Ledger::new(dir, Some(previous()), String::new());
        let only_a: foldhash::HashSet<String> = ["a.html".to_string()].into_iter().collect();
        assert_eq!(ledger.to_verify(&only_a), None, "b.html is gone");

        let ledger = Ledger::new(dir, None, String::new());
        assert_eq!(ledger.to_verify(&both), None, "no last build: every page");
    }
}
