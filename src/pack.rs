//! Pack: what the last build made of each document, in one file in the cache folder, so that
//! a rebuild neither reads a document that has not changed nor opens its cache entry. At
//! 10,000 documents those were forty thousand system calls (open, size, read and close, twice
//! each) and a hash of forty megabytes, all before the first document could be resolved.
//!
//! A document is taken as unchanged when its file has the stamp it had when it was last read
//! (device, inode, size, modification and change times) and that stamp was settled then: its
//! change time far enough behind the read that a write since has set a later one. A program
//! cannot set a change time (`touch`, `cp -p` and `git checkout` set the others), so an edit
//! that keeps the size and puts the modification time back still shows. Stamps are trusted
//! only on local file systems known to keep change times (`times::trusts_times_at`), and only
//! for documents on the same device as the content folder; elsewhere documents are read and
//! hashed as before, and the pack only spares opening their cache entries.
//!
//! What it assumes, as make, ninja and cargo assume of modification times: that documents
//! are changed by writing to them, as editors, git, cp and rsync do. A change made through a
//! shared memory map may leave the times alone (tmpfs never sets them so; ext4 only at the
//! first such write after the page was written back), and a write still going on as the build
//! reads may be read half done. After such a change, touching the file (or deleting the cache
//! folder) has it read again.
//!
//! Like the cache it holds entries of, the pack never changes what is built: what it keeps of
//! a document is the cache entry itself, sealed and checked when read, under the key made of
//! the document's bytes, its place and id, the settings, the data files and accord's binary.
//! It is written beside the build after extraction, once out of date for more than a few
//! documents (`needs_writing`), and is safe to delete.

use crate::cache::{self, Cache};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What tells a document file from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    len: u64,
    /// Modification and change times, in nanoseconds since the epoch.
    mtime: i128,
    ctime: i128,
}

impl FileStamp {
    /// The stamp in `meta`; outside Unix there is no change time, and no stamp.
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<FileStamp> {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Some(FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.size(),
            mtime: ns(meta.mtime(), meta.mtime_nsec()),
            ctime: ns(meta.ctime(), meta.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Option<FileStamp> {
        None
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.len
    }
}

/// When and where documents' stamps can be trusted in this build.
#[derive(Debug, Clone, Copy)]
pub struct Trust {
    /// The device of the content folder, when its file system keeps change times.
    dev: u64,
    /// When documents began to be read, in nanoseconds since the epoch.
    now: i128,
}

impl Trust {
    /// Trust for documents under `dir`, read from now on; none where stamps tell nothing.
    pub fn of(dir: &Path) -> Option<Trust> {
        let meta = std::fs::metadata(dir).ok()?;
        let stamp = FileStamp::of(&meta)?;
        crate::times::trusts_times_at(dir).then(|| Trust {
            dev: stamp.dev,
            now: crate::times::now_ns(),
        })
    }

    /// `stamp`, if a later change to its file would show in it: on the content folder's device,
    /// and changed long enough before the read (`times::settled`).
    pub fn settled(&self, stamp: FileStamp) -> Option<FileStamp> {
        (stamp.dev == self.dev && crate::times::settled(stamp.ctime, self.now)).then_some(stamp)
    }
}

/// One document as the pack keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Line {
    /// The document's path in the content folder (`load::Found::rel`).
    rel: String,
    /// What its cache key was made from besides its bytes (`documents::extract_one`).
    meta: String,
    /// Its file's stamp when read, if settled then.
    stamp: Option<FileStamp>,
    key: String,
    /// The length of its entry, which follows the previous one's.
    len: u64,
}

#[derive(Serialize, Deserialize)]
struct Header {
    /// The cache's salt (accord's binary and the data files): another salt, other keys.
    salt: [u8; 32],
    lines: Vec<Line>,
}

/// The pack the last build left: each document's line and cache entry.
pub struct Pack {
    /// The cache salt it was made with.
    salt: [u8; 32],
    /// The whole file: its header, then the entries.
    bytes: Vec<u8>,
    lines: foldhash::HashMap<String, (Line, Range<usize>)>,
}

/// Where a site keeps its pack, and the folder its documents are in.
#[derive(Debug, Clone)]
pub struct Place {
    pub file: PathBuf,
    pub content: PathBuf,
}

/// A document the pack knew, as it knew it.
pub struct Known<'p> {
    /// Its file's stamp when last read, if settled then.
    pub stamp: Option<FileStamp>,
    /// Its cache key.
    pub key: &'p str,
    /// Its sealed cache entry.
    pub entry: &'p [u8],
    /// Where the entry is in the pack, for the next one.
    pub at: Range<usize>,
}

impl Pack {
    /// The pack of the site at `root`.
    pub fn path(root: &Path) -> PathBuf {
        root.join(cache::DIR).join("documents").join("pack.bin")
    }

    /// Reads the pack at `path` (or takes it from `read_ahead`), if whole and made with
    /// `cache`'s salt.
    pub fn read(path: &Path, cache: &Cache) -> Option<Pack> {
        let ahead = (AHEAD.lock().unwrap_or_else(|e| e.into_inner()).take())
            .filter(|(file, _)| file == path);
        let pack = match ahead {
            Some((_, reading)) => reading.join().ok().flatten(),
            None => Pack::load(path),
        };
        pack.filter(|p| p.salt == *cache.salt().as_bytes())
    }

    /// Reads the pack at `path`, if whole; removes any a stopped build left half-written.
    fn load(path: &Path) -> Option<Pack> {
        if let Some(dir) = path.parent() {
            // The pack's and the kept model's (`resolve::kept`), which live here.
            cache::remove_unfinished_in(dir, None);
        }
        let bytes = crate::read_file(path).ok()?;
        let (size, rest) = bytes.split_first_chunk::<8>()?;
        let size = usize::try_from(u64::from_le_bytes(*size)).ok()?;
        let header: Header = cache::unseal(rest.get(..size)?)?;
        let mut at = 8 + size;
        let mut lines = foldhash::HashMap::default();
        lines.reserve(header.lines.len());
        for line in header.lines {
            let end = at.checked_add(usize::try_from(line.len).ok()?)?;
            lines.insert(line.rel.clone(), (line, at..end));
            at = end;
        }
        (at == bytes.len()).then_some(Pack {
            salt: header.salt,
            bytes,
            lines,
        })
    }

    /// The document `rel`, at `path`, with key text `meta`, if its file has the settled stamp
    /// the pack has for it, looked up now (`trust` says whether it is still settled), and can
    /// be read (as a clean build would find out).
    pub fn unchanged(
        &self,
        rel: &str,
        path: &Path,
        meta: &str,
        trust: Option<&Trust>,
    ) -> Option<Known<'_>> {
        let (line, at) = self.lines.get(rel)?;
        let stamp = line.stamp?;
        if line.meta != meta || trust?.settled(stamp) != Some(stamp) {
            return None;
        }
        let now = FileStamp::of(&std::fs::symlink_metadata(path).ok()?)?;
        (now == stamp && readable(path)).then(|| self.known(line, at))
    }

    /// The document `rel`, if the pack has it under `key`.
    pub fn under(&self, rel: &str, key: &str) -> Option<Known<'_>> {
        let (line, at) = self.lines.get(rel)?;
        (line.key == key).then(|| self.known(line, at))
    }

    fn known<'p>(&'p self, line: &'p Line, at: &Range<usize>) -> Known<'p> {
        Known {
            stamp: line.stamp,
            key: &line.key,
            entry: &self.bytes[at.clone()],
            at: at.clone(),
        }
    }
}

/// The pack being read ahead, and its file.
type Ahead = (PathBuf, std::thread::JoinHandle<Option<Pack>>);

static AHEAD: std::sync::Mutex<Option<Ahead>> = std::sync::Mutex::new(None);

/// Begins reading the pack at `path` on a thread of its own, for the `Pack::read` that
/// follows: tens of megabytes at scale, read while the documents are found and the cache and
/// word lists opened rather than before the first document can be looked at.
pub fn read_ahead(path: PathBuf) {
    let file = path.clone();
    if let Ok(reading) = std::thread::Builder::new().spawn(move || Pack::load(&file)) {
        *AHEAD.lock().unwrap_or_else(|e| e.into_inner()) = Some((path, reading));
    }
}

/// Whether this process may read the file at `path`: one it may not is not taken from the
/// pack, so that the build fails on it as a build reading it would.
fn readable(path: &Path) -> bool {
    #[cfg(unix)]
    return rustix::fs::access(path, rustix::fs::Access::READ_OK).is_ok();
    #[cfg(not(unix))]
    return std::fs::File::open(path).is_ok();
}

/// What the next pack keeps of one document.
#[derive(Clone)]
pub struct Next {
    /// Its path in the content folder.
    pub rel: String,
    pub meta: String,
    /// Its stamp, if settled when it was read (`Trust::settled`).
    pub stamp: Option<FileStamp>,
    pub key: String,
    pub entry: Entry,
}

/// A document's sealed cache entry for the next pack.
#[derive(Clone)]
pub enum Entry {
    /// Where it is in the last pack.
    Last(Range<usize>),
    /// Its bytes.
    Own(Vec<u8>),
}

/// Writes the pack of `next` (documents in order) to `path` on a thread of its own, unless
/// `last` is still near enough (`needs_writing`); `cache::wait` waits for it. Failures are
/// ignored: without a pack the next build reads every document, as without a cache.
pub fn keep(path: PathBuf, cache: &Cache, last: Option<Pack>, next: Vec<Next>) {
    if !needs_writing(last.as_ref(), &next) {
        return;
    }
    let salt = *cache.salt().as_bytes();
    cache::write_beside("pack", move || write(&path, salt, last.as_ref(), next));
}

/// Whether the pack of `next` is to be written rather than `last` kept: when there is no
/// last one, or it is out of date for more than a hundredth of the documents (and more than
/// sixteen). A document it is out of date for (edited, added, read unsettled) is read and
/// hashed by the next build, and its entry read from the cache, as without a pack: for a few,
/// that costs less than writing tens of megabytes again after every edit.
fn needs_writing(last: Option<&Pack>, next: &[Next]) -> bool {
    let Some(last) = last else {
        return true;
    };
    let mut known = 0;
    let mut stale = 0;
    for n in next {
        match last.lines.get(&n.rel) {
            Some((line, _)) => {
                known += 1;
                let same = matches!(n.entry, Entry::Last(_))
                    && line.stamp.is_some()
                    && (line.stamp, &line.meta, &line.key) == (n.stamp, &n.meta, &n.key);
                stale += usize::from(!same);
            }
            None => stale += 1,
        }
    }
    // Documents gone since.
    stale += last.lines.len() - known;
    stale > 16.max(next.len() / 100)
}

fn write(path: &Path, salt: [u8; 32], last: Option<&Pack>, next: Vec<Next>) {
    let mut lines = Vec::with_capacity(next.len());
    let mut entries: Vec<std::borrow::Cow<'_, [u8]>> = Vec::with_capacity(next.len());
    // Each document's names are moved into its line, not copied (tens of thousands of small
    // strings at 10,000 documents).
    for Next {
        rel,
        meta,
        stamp,
        key,
        entry,
    } in next
    {
        let bytes = match entry {
            Entry::Last(at) => last
                .and_then(|l| l.bytes.get(at))
                .map(std::borrow::Cow::from),
            Entry::Own(bytes) => Some(std::borrow::Cow::from(bytes)),
        };
        let Some(bytes) = bytes else {
            continue;
        };
        lines.push(Line {
            rel,
            meta,
            stamp,
            key,
            len: bytes.len() as u64,
        });
        entries.push(bytes);
    }
    let Some(header) = cache::seal(&Header { salt, lines }) else {
        return;
    };
    cache::write_with(path, |out| {
        out.write_all(&(header.len() as u64).to_le_bytes())?;
        out.write_all(&header)?;
        entries.iter().try_for_each(|e| out.write_all(e))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document at `dir/name` with `text`, and its stamp.
    fn doc(dir: &Path, name: &str, text: &str) -> (PathBuf, FileStamp) {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let stamp = FileStamp::of(&std::fs::metadata(&path).unwrap()).unwrap();
        (path, stamp)
    }

    fn rel(path: &Path) -> &str {
        path.file_name().unwrap().to_str().unwrap()
    }

    /// Trust as if documents began to be read a second after `stamp`'s change.
    fn trust_after(stamp: FileStamp) -> Trust {
        Trust {
            dev: stamp.dev,
            now: stamp.ctime + 1_000_000_000,
        }
    }

    fn next(path: &Path, stamp: Option<FileStamp>, entry: &[u8]) -> Next {
        Next {
            rel: rel(path).to_owned(),
            meta: "a.md|a|false|false".into(),
            stamp,
            key: format!("key-{}", path.display()),
            entry: Entry::Own(entry.to_vec()),
        }
    }

    #[test]
    #[cfg(unix)]
    fn a_document_comes_back_from_the_pack_while_its_file_is_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]);
        let (a, stamp) = doc(dir.path(), "a.md", "first text");
        let (b, b_stamp) = doc(dir.path(), "b.md", "other text");
        let file = Pack::path(dir.path());
        let trust = trust_after(stamp);
        let salt = *cache.salt().as_bytes();
        let lines = [
            next(&a, Some(stamp), b"entry a"),
            next(&b, None, b"entry b"),
        ];
        write(&file, salt, None, lines.to_vec());
        let pack = Pack::read(&file, &cache).expect("the pack reads back");
        assert_eq!(pack.lines.len(), 2);
        let meta = "a.md|a|false|false";
        let known = pack
            .unchanged(rel(&a), &a, meta, Some(&trust))
            .expect("unchanged");
        assert_eq!(known.entry, b"entry a");
        assert_eq!(known.key, lines[0].key);
        // Another key text (another id, other settings), or no trust in stamps: read again.
        assert!(
            pack.unchanged(rel(&a), &a, "a.md|a2|false|false", Some(&trust))
                .is_none()
        );
        assert!(pack.unchanged(rel(&a), &a, meta, None).is_none());
        // A stamp not settled when it was read is never taken as unchanged; by its key the
        // entry is still there.
        assert!(
            pack.unchanged(rel(&b), &b, meta, Some(&trust_after(b_stamp)))
                .is_none()
        );
        assert_eq!(
            pack.under(rel(&b), &lines[1].key).unwrap().entry,
            b"entry b"
        );
        assert!(pack.under(rel(&b), "another key").is_none());

        // Written again with the same size and its modification time put back: the change
        // time tells.
        let modified = std::fs::metadata(&a).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&a, "FIRST TEXT").unwrap();
        let f = std::fs::File::options().write(true).open(&a).unwrap();
        f.set_modified(modified).unwrap();
        let now = FileStamp::of(&std::fs::metadata(&a).unwrap()).unwrap();
        assert_eq!((now.len, now.mtime), (stamp.len, stamp.mtime));
        assert!(pack.unchanged(rel(&a), &a, meta, Some(&trust)).is_none());
    }

    #[test]
    fn a_pack_is_written_again_only_when_out_of_date_for_more_than_a_few_documents() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]);
        let file = Pack::path(dir.path());
        let stamp = |i: i128| FileStamp {
            dev: 1,
            ino: 2,
            len: 3,
            mtime: i,
            ctime: i,
        };
        let line = |i: usize| Next {
            rel: format!("doc-{i}.md"),
            meta: format!("doc-{i}.md|{i}|false|false"),
            stamp: Some(stamp(i as i128)),
            key: format!("key-{i}"),
            entry: Entry::Own(b"entry".to_vec()),
        };
        let lines: Vec<Next> = (0..2000).map(line).collect();
        write(&file, *cache.salt().as_bytes(), None, lines.to_vec());
        let last = Pack::read(&file, &cache).unwrap();
        assert!(needs_writing(None, &lines), "no pack yet");
        // As the last build would hand them on, unchanged: taken from the pack.
        let kept = |i: usize| Next {
            entry: Entry::Last(last.lines[&format!("doc-{i}.md")].1.clone()),
            ..line(i)
        };
        let mut next: Vec<Next> = (0..2000).map(kept).collect();
        assert!(!needs_writing(Some(&last), &next));
        // Twenty edited: within a hundredth of 2,000.
        for n in next.iter_mut().take(20) {
            n.stamp = Some(stamp(-1));
            n.entry = Entry::Own(b"new".to_vec());
        }
        assert!(!needs_writing(Some(&last), &next));
        // Twenty more removed, and one added: 41 out of date.
        next.truncate(1980);
        next.push(line(5000));
        assert!(needs_writing(Some(&last), &next));
        // Read unsettled, a document is out of date too.
        let mut next: Vec<Next> = (0..2000).map(kept).collect();
        for n in next.iter_mut().take(21) {
            n.stamp = None;
        }
        assert!(needs_writing(Some(&last), &next));
    }

    #[test]
    fn a_damaged_pack_or_one_of_another_salt_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]);
        let (a, stamp) = doc(dir.path(), "a.md", "text");
        let file = Pack::path(dir.path());
        let lines = [next(&a, Some(stamp), b"entry")];
        write(&file, *cache.salt().as_bytes(), None, lines.to_vec());
        assert!(Pack::read(&file, &cache).is_some());
        let whole = std::fs::read(&file).unwrap();
        for damaged in [
            whole[..whole.len() - 1].to_vec(),
            [&whole[..], b"more"].concat(),
            whole
                .iter()
                .enumerate()
                .map(|(i, b)| if i == 20 { b ^ 1 } else { *b })
                .collect(),
        ] {
            std::fs::write(&file, damaged).unwrap();
            assert!(Pack::read(&file, &cache).is_none());
        }
        write(&file, [7; 32], None, lines.to_vec());
        assert!(Pack::read(&file, &cache).is_none(), "another salt");
    }
}
