//! Write: put rendered pages into a fresh folder beside the output, then swap it in, so a
//! failed build leaves the last good site untouched. On Linux the swap is one atomic exchange;
//! elsewhere it is two renames, and a build killed between them has its last good site put
//! back by the next build.
//!
//! A rebuild that changes few files works in place instead: only the changed files go to the
//! staging folder, and the commit writes a journal (what to move in, what to remove) before
//! it touches the output. A build killed after the journal is written has it finished by the
//! next build, before anything else; killed before, the output is as it was.

use std::io;
use std::path::{Path, PathBuf};

/// One file of the site, with its path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write `{0}`: the path would leave the output folder")]
    UnsafePath(String),
    #[error("two files would be written to `{0}`")]
    Duplicate(String),
    #[error("another accord build is writing {0} right now; wait for it to finish and build again")]
    Locked(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "cannot write `{file}` of the new site: {source}\n  {} is left as it was; make room on \
         the disk (or raise the file size limit) and build again",
        output.display()
    )]
    Fill {
        file: String,
        output: PathBuf,
        source: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `rel` is a plain relative path: no root, no `..`, no `.`, no empty part,
/// no backslash, no leading dot in a part (so it cannot hide or climb out).
pub fn safe_relative(rel: &str) -> Result<PathBuf, WriteError> {
    let bad = || WriteError::UnsafePath(rel.to_owned());
    if !plain_parts(rel) {
        return Err(bad());
    }
    let path = PathBuf::from(rel);
    // On Unix the parts checked above are all a path can be made of: no part is empty (so no
    // root), `.` or `..`; std's reading of the path (a test holds the two to the same answer)
    // is left to the other systems, whose paths have prefixes (`C:`) besides. It was a
    // fiftieth of a one-edit rebuild, asked of each of the fifty thousand files kept.
    #[cfg(not(unix))]
    if !path
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Err(bad());
    }
    Ok(path)
}

/// Whether `rel` is parts joined by `/`, none empty, none with a backslash or NUL, none
/// starting with a dot but `.nojekyll` at the top (the one dot-file a site needs). Looked at
/// byte by byte in one pass: it is asked of each of the fifty thousand files a rebuild at
/// 10,000 documents keeps.
fn plain_parts(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .as_bytes()
            .split(|&b| b == b'/')
            .enumerate()
            .all(|(i, part)| {
                let dot_ok = i == 0 && part == b".nojekyll";
                !part.is_empty()
                    && (part[0] != b'.' || dot_ok)
                    && !part.iter().any(|&b| b == b'\\' || b == 0)
            })
}

/// A relative path as the site names it: its parts joined by `/`, whatever the platform.
pub fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a file on disk looked like when accord wrote it, to tell later whether it is still
/// that file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub len: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime: i128,
}

impl Stamp {
    /// The stamp of a file as its metadata gives it.
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        let mtime = meta.modified().ok()?;
        let mtime = match mtime.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Some(Stamp {
            len: meta.len(),
            mtime,
        })
    }

    /// The stamp of the file at `path`, if it is a file.
    pub fn at(path: &Path) -> Option<Stamp> {
        std::fs::symlink_metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| Stamp::of(&m))
    }
}

/// A new site being written beside the output folder. Files go in as they are made, from
/// any thread; `commit` swaps the folder in whole. Dropped without a commit (an error, a
/// panic), it removes itself and the output stays as it was; a killed build's leftovers are
/// removed by the next build.
pub struct Staging {
    /// Held until the end: one build at a time per output.
    /// Taken out by `commit`, which hands it on (`Held`).
    lock: Option<std::fs::File>,
    dir: PathBuf,
    /// `dir` after resolving links, to check that every written folder stays inside it.
    real: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    /// Every file of the new site, written or kept.
    written: std::sync::Mutex<foldhash::HashSet<String>>,
    /// The files written here (the rest of `written` are kept as the output has them): a
    /// rebuild writes few and keeps tens of thousands.
    put: std::sync::Mutex<Vec<String>>,
    /// Folders known to exist and to resolve inside `real`.
    made: std::sync::Mutex<foldhash::HashSet<PathBuf>>,
    /// Whether the commit updates the output in place rather than swapping in a whole site.
    in_place: bool,
    committed: bool,
}

impl Staging {
    /// Takes the output's lock, removes stale staging folders and starts an empty one.
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let name = output
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        // One build at a time per output: the OS releases the lock even if a build is killed.
        let lock_path = parent.join(format!(".{name}.accord-lock"));
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(WriteError::Locked(output.to_path_buf()));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(WriteError::Io {
                    path: lock_path,
                    source: e,
                });
            }
        }
        recover(output, &parent, &name);
        let dir = parent.join(format!(".{name}.accord-new-{}", std::process::id()));
        let at_top = |source| WriteError::Fill {
            file: ".".into(),
            output: output.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(at_top)?;
        let real = dir.canonicalize().map_err(at_top)?;
        Ok(Staging {
            lock: Some(lock),
            dir,
            real,
            output: output.to_path_buf(),
            parent,
            name,
            written: Default::default(),
            put: Default::default(),
            made: Default::default(),
            in_place: false,
            committed: false,
        })
    }

    /// Makes this an in-place update of the existing output: the files written here replace
    /// theirs, files marked with `keep` stay, and everything else in the output is removed on
    /// commit. Without an output folder it stays a whole new site. Call before writing.
    pub fn update_in_place(&mut self) {
        self.in_place = self.output.is_dir();
    }

    /// Whether the commit updates the output in place.
    pub fn is_in_place(&self) -> bool {
        self.in_place
    }

    /// The output folder this staging replaces or updates.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Keeps the output's existing file at `rel` as part of the new site (in place only).
    pub fn keep(&self, rel: &str) -> Result<(), WriteError> {
        if !plain_parts(rel) {
            return Err(WriteError::UnsafePath(rel.to_owned()));
        }
        self.in_place_only(rel, "cannot keep a file when writing a whole new site")?;
        let fresh = self
            .written
            .lock()
            .map_err(|_| WriteError::Duplicate(rel.to_owned()))?
            .insert(rel.to_owned());
        if !fresh {
            return Err(WriteError::Duplicate(rel.to_owned()));
        }
        Ok(())
    }

    /// Writes one file of the new site at `rel` (`/`-separated, checked to stay inside), and
    /// returns its stamp.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<Stamp, WriteError> {
        self.write_with(rel, |file| io::Write::write_all(file, bytes))
    }

    /// Writes one file of the new site at `rel` from `parts`: new bytes, and stretches of the
    /// file the output holds at `rel` now (in place only), copied file to file (the kernel's
    /// `copy_file_range` where the file system has it, which std's `io::copy` uses).
    pub fn splice(&self, rel: &str, parts: &[crate::render::Part]) -> Result<Stamp, WriteError> {
        use crate::render::Part;
        use std::io::{Read, Seek};
        let checked = safe_relative(rel)?;
        self.in_place_only(rel, "cannot copy from the last site when writing a new one")?;
        let from = self.output.join(&checked);
        let mut old = std::fs::File::open(&from).map_err(io_err(&from))?;
        self.write_with(rel, |file| {
            for part in parts {
                match part {
                    Part::New(bytes) => io::Write::write_all(file, bytes)?,
                    Part::Old { start, len } => {
                        old.seek(io::SeekFrom::Start(*start))?;
                        let copied = io::copy(&mut (&mut old).take(*len), file)?;
                        if copied != *len {
                            return Err(io::Error::other(format!(
                                "{} was shorter than the last build left it (changed during \
                                 the build?); build again",
                                from.display()
                            )));
                        }
                    }
                }
            }
            Ok(())
        })
    }

    /// An error about `rel`, saying `why`, unless this updates the output in place.
    fn in_place_only(&self, rel: &str, why: &str) -> Result<(), WriteError> {
        if self.in_place {
            return Ok(());
        }
        Err(WriteError::Io {
            path: self.output.join(rel),
            source: io::Error::other(why),
        })
    }

    /// Creates the file of the new site at `rel`, fills it with `fill`, and returns its stamp.
    fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
    ) -> Result<Stamp, WriteError> {
        let checked = safe_relative(rel)?;
        if !self
            .written
            .lock()
            .map_err(|_| WriteError::Duplicate(rel.to_owned()))?
            .insert(rel.to_owned())
        {
            return Err(WriteError::Duplicate(rel.to_owned()));
        }
        if let Ok(mut put) = self.put.lock() {
            put.push(rel.to_owned());
        }
        let at = |source| WriteError::Fill {
            file: rel.to_owned(),
            output: self.output.clone(),
            source,
        };
        let path = self.dir.join(&checked);
        if let Some(dir) = path.parent() {
            let known = self.made.lock().is_ok_and(|m| m.contains(dir));
            if !known {
                std::fs::create_dir_all(dir).map_err(at)?;
                // Checked after resolution too: a symlinked folder must not lead outside.
                let real = dir.canonicalize().map_err(at)?;
                if !real.starts_with(&self.real) {
                    return Err(WriteError::UnsafePath(rel.to_owned()));
                }
                if let Ok(mut m) = self.made.lock() {
                    m.insert(dir.to_path_buf());
                }
            }
        }
        let mut file = std::fs::File::create(&path).map_err(at)?;
        fill(&mut file).map_err(at)?;
        let meta = file.metadata().map_err(at)?;
        Stamp::of(&meta).ok_or_else(|| at(io::Error::other("no modification time")))
    }

    /// Whether a file was written at `rel`.
    pub fn has(&self, rel: &str) -> bool {
        self.written.lock().is_ok_and(|w| w.contains(rel))
    }

    /// Every path of the new site so far, written or kept.
    pub fn paths(&self) -> foldhash::HashSet<String> {
        self.written.lock().map(|w| w.clone()).unwrap_or_default()
    }

    /// For a whole new site, its folders with their times as a listing notes them (`Listing`),
    /// looked at here before the site is put in place (no one else writes in the staging
    /// folder, and moving the site keeps them), so that the build after this one need not
    /// list them; `None` in place, where the listing at the start of the build noted them.
    /// `paths` are the new site's files.
    pub fn folder_times<'p>(
        &self,
        paths: impl Iterator<Item = &'p str>,
    ) -> Option<Vec<(String, Option<i128>)>> {
        if self.in_place {
            return None;
        }
        #[cfg(target_os = "linux")]
        return Some(walk_at::times(&self.dir, paths, crate::times::now_ns()));
        #[cfg(not(target_os = "linux"))]
        {
            let _ = paths;
            Some(Vec::new())
        }
    }

    /// Replaces the output folder with the new site. In place, `existing` lists the files now
    /// in the output (e.g. from `files_in`); those that are not part of the new site are
    /// removed. The output stays locked while what this returns is held.
    pub fn commit(mut self, existing: &[String]) -> Result<Held, WriteError> {
        if !self.in_place {
            swap(&self.dir, &self.output, &self.parent, &self.name)?;
            self.committed = true;
            return Ok(Held(self.lock.take()));
        }
        let written = self
            .written
            .get_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        let mut journal = Journal {
            put: self.put.get_mut().map(std::mem::take).unwrap_or_default(),
            remove: existing
                .iter()
                .filter(|p| !written.contains(*p))
                .cloned()
                .collect(),
        };
        journal.put.sort();
        journal.remove.sort();
        let path = self.parent.join(format!(
            ".{}.accord-journal-{}",
            self.name,
            std::process::id()
        ));
        let part = path.with_extension("part");
        let bytes = serde_json::to_vec(&journal).map_err(|e| WriteError::Io {
            path: part.clone(),
            source: io::Error::other(e),
        })?;
        let fill = |source| WriteError::Fill {
            file: ".".into(),
            output: self.output.clone(),
            source,
        };
        std::fs::write(&part, bytes).map_err(fill)?;
        // The journal in place is the commit: from here the update is finished, if not by this
        // build then by the next.
        std::fs::rename(&part, &path).map_err(fill)?;
        self.committed = true;
        apply(&journal, &self.dir, &self.output)?;
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(Held(self.lock.take()))
    }
}

/// The files of the output folder, `/`-separated, relative to it, with their stamps (only a
/// regular file has one, as with `Stamp::at`). Hidden files are included (`.nojekyll`);
/// symlinks are listed, not followed.
pub fn files_in(output: &Path) -> Vec<(String, Option<Stamp>)> {
    list_since(output, None).files
}

/// What a listing of the output found: its files, as `files_in` gives them, and its folders,
/// each with its change time when that was settled and the folder was wholly listed (see
/// `Last`).
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<(String, Option<Stamp>)>,
    pub folders: Vec<(String, Option<i128>)>,
}

/// What the output held when the last build ended, as its manifest says: every file that
/// build wrote, and the folders its listing found, each with its change time then if it was
/// settled (far enough behind the listing: `settled`). Putting an entry in a folder or taking
/// one out sets the folder's change time to the present, and nothing can set it back (unlike
/// the modification time, which `touch` and `cp -a` set), so a folder whose change time is
/// still that settled one holds what it held: its files are looked at, its entries not read.
/// (A one-edit rebuild at 10,000 documents finds some 27,000 folders so, each with one look
/// instead of an open, two reads of its entries and a close.) The last build changed the
/// folders of the files it wrote or removed, which are listed again. Only on local file
/// systems known to keep these times (`trusts_times`); elsewhere every folder is listed.
pub struct Last<'a> {
    times: foldhash::HashMap<&'a str, i128>,
    /// By folder: the names of its files and of its folders.
    children: foldhash::HashMap<&'a str, (Vec<&'a str>, Vec<&'a str>)>,
}

impl<'a> Last<'a> {
    /// From the last build's files and its listing's folders.
    pub fn new(
        files: impl Iterator<Item = &'a str>,
        folders: &'a [(String, Option<i128>)],
    ) -> Last<'a> {
        let mut children: foldhash::HashMap<&str, (Vec<&str>, Vec<&str>)> = Default::default();
        let split = |path: &'a str| path.rsplit_once('/').unwrap_or(("", path));
        for path in files {
            let (folder, name) = split(path);
            children.entry(folder).or_default().0.push(name);
        }
        for (path, _) in folders.iter().filter(|(p, _)| !p.is_empty()) {
            let (folder, name) = split(path);
            children.entry(folder).or_default().1.push(name);
        }
        Last {
            times: (folders.iter())
                .filter_map(|(p, t)| Some((p.as_str(), (*t)?)))
                .collect(),
            children,
        }
    }

    /// The settled change time the folder at `rel` had, if known.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn time(&self, rel: &str) -> Option<i128> {
        self.times.get(rel).copied()
    }

    /// The names of the files and of the folders in the folder at `rel`.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn children(&self, rel: &str) -> (&[&'a str], &[&'a str]) {
        self.children
            .get(rel)
            .map_or((&[], &[]), |(f, d)| (f.as_slice(), d.as_slice()))
    }
}

/// Lists the output as `files_in` does, and its folders; with `last`, a folder whose settled
/// time is the last listing's is not listed again (see `Last`). Outside Linux every folder is
/// listed, and none has a time.
pub fn list_since(output: &Path, last: Option<&Last<'_>>) -> Listing {
    let mut out = Listing::default();
    #[cfg(target_os = "linux")]
    walk_at::walk(output, last, crate::times::now_ns(), &mut out);
    #[cfg(not(target_os = "linux"))]
    {
        let _ = last;
        walk(output, "", &mut out.files);
    }
    out
}

/// `files_in` with std's `read_dir` rather than walkdir: std looks up an entry's metadata
/// relative to its open folder (`statx` on the folder's descriptor), walkdir through the
/// entry's whole path (a tenth of the walk's time at 50,000 files).
#[cfg(not(target_os = "linux"))]
fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, Option<Stamp>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else {
            continue;
        };
        let name = e.file_name();
        let name = name.to_string_lossy();
        let path = if rel.is_empty() {
            name.into_owned()
        } else {
            format!("{rel}/{name}")
        };
        if kind.is_dir() {
            walk(&e.path(), &path, out);
        } else {
            let stamp = kind
                .is_file()
                .then(|| e.metadata().ok().and_then(|m| Stamp::of(&m)))
                .flatten();
            out.push((path, stamp));
        }
    }
}

/// `list_since` on Linux: each folder is looked at through the output's descriptor, and opened
/// and listed only when it may have changed, its entries read into one of a few buffers; std's
/// `read_dir` opens each by its whole path (27,000 folders at 10,000 documents, each looked
/// up from `/`) and gives each its own buffer. (walkdir looks at each entry through its whole
/// path too.)
#[cfg(target_os = "linux")]
mod walk_at {
    use super::{Last, Listing, Stamp};
    use crate::times::settled;
    use rustix::fd::OwnedFd;
    use rustix::fs::{self, AtFlags, FileType, Mode, OFlags, RawDir, StatxFlags};
    use std::ffi::{CStr, CString};
    use std::path::Path;

    const DIR: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);

    pub fn walk(root: &Path, last: Option<&Last<'_>>, now: i128, out: &mut Listing) {
        // The output itself may be a link to a folder; nothing in it is followed.
        let open = DIR.difference(OFlags::NOFOLLOW);
        if let Ok(fd) = fs::openat(fs::CWD, root, open, Mode::empty()) {
            let trusted = trusts_times(&fd);
            let mut walk = Walk {
                root: &fd,
                last: last.filter(|_| trusted),
                now: trusted.then_some(now),
                buffers: Vec::new(),
                out,
            };
            walk.visit("", None);
        }
    }

    /// Whether the file system of `fd` is one whose times are trusted (`times::keeps_times`).
    fn trusts_times(fd: &OwnedFd) -> bool {
        fs::fstatfs(fd).is_ok_and(|fs| crate::times::keeps_times(fs.f_type as u32))
    }

    struct Walk<'a, 'l> {
        root: &'a OwnedFd,
        last: Option<&'a Last<'l>>,
        /// The present, when folders' times may be noted (`trusts_times`).
        now: Option<i128>,
        /// Spare buffers for folders' entries.
        buffers: Vec<Vec<u8>>,
        out: &'a mut Listing,
    }

    impl Walk<'_, '_> {
        /// Lists the folder at `rel` ("" for the output) and all in it, and notes its change
        /// time: as the last listing found it, when that time is still the settled one, else
        /// from its entries. `parent` is the open folder it is in and its name there; without
        /// one, it is found by its path from the output (only a folder the last listing
        /// noted, whose path is one accord made). False when it is not a folder.
        fn visit(&mut self, rel: &str, parent: Option<(&OwnedFd, &CStr)>) -> bool {
            // Looked at before its entries are read: a change while they are has a later time.
            let changed = match parent {
                // Times not kept: a folder its listing found need not be looked at.
                Some(_) if self.now.is_none() => Some(0),
                Some((fd, name)) => changed_at(fd, name),
                None => changed_at(self.root, at(rel)),
            };
            let Some(time) = changed else {
                return false;
            };
            let settled = self.now.is_some_and(|now| settled(time, now));
            let (files, folders) = (self.out.files.len(), self.out.folders.len());
            let known = settled && self.last.is_some_and(|l| l.time(rel) == Some(time));
            let whole = if known && self.as_last_found(rel) {
                true
            } else {
                // (A file or folder missing or changed in kind where nothing could have
                // changed: the folder is listed after all.)
                self.out.files.truncate(files);
                self.out.folders.truncate(folders);
                self.list(rel, parent)
            };
            // A folder not wholly listed (one that cannot be opened or read) is listed again
            // next time.
            let time = (settled && whole).then_some(time);
            self.out.folders.push((rel.to_owned(), time));
            true
        }

        /// The folder at `rel` as the last listing found it: each file looked at, each
        /// folder visited. False if one is not what it was.
        fn as_last_found(&mut self, rel: &str) -> bool {
            let Some(last) = self.last else {
                return false;
            };
            let (files, folders) = last.children(rel);
            for name in files {
                let path = join(rel, name);
                match look(self.root, path.as_str()) {
                    Some(l) if l.kind == FileType::RegularFile => {
                        self.out.files.push((path, Some(l.stamp)))
                    }
                    _ => return false,
                }
            }
            folders
                .iter()
                .all(|name| self.visit(&join(rel, name), None))
        }

        /// Reads the entries of the folder at `rel`, then visits its folders, each opened
        /// from this one. False if it could not be wholly read.
        fn list(&mut self, rel: &str, parent: Option<(&OwnedFd, &CStr)>) -> bool {
            let root = self.root;
            let opened;
            let fd = if rel.is_empty() {
                root
            } else {
                let open = match parent {
                    Some((fd, name)) => fs::openat(fd, name, DIR, Mode::empty()),
                    None => fs::openat(root, rel, DIR, Mode::empty()),
                };
                match open {
                    Ok(fd) => {
                        opened = fd;
                        &opened
                    }
                    Err(_) => return false,
                }
            };
            let mut whole = true;
            let mut folders: Vec<(String, CString)> = Vec::new();
            let mut buffer = self
                .buffers
                .pop()
                .unwrap_or_else(|| Vec::with_capacity(8192));
            let mut entries = RawDir::new(fd, buffer.spare_capacity_mut());
            loop {
                let entry = match entries.next() {
                    None => break,
                    Some(Ok(entry)) => entry,
                    // An entry that cannot be read ends the folder's listing, as it ends std's.
                    Some(Err(_)) => {
                        whole = false;
                        break;
                    }
                };
                let name = entry.file_name();
                if matches!(name.to_bytes(), b"." | b"..") {
                    continue;
                }
                let path = join(rel, &String::from_utf8_lossy(name.to_bytes()));
                let (kind, looked) = match entry.file_type() {
                    // A file system that does not say in the listing: asked.
                    FileType::Unknown => match look(fd, name) {
                        Some(l) => (l.kind, Some(l.stamp)),
                        None => {
                            whole = false;
                            continue;
                        }
                    },
                    kind => (kind, None),
                };
                match kind {
                    FileType::Directory => folders.push((path, name.to_owned())),
                    FileType::RegularFile => {
                        let stamp = looked.or_else(|| look(fd, name).map(|l| l.stamp));
                        self.out.files.push((path, stamp));
                    }
                    // Listed, with no stamp: a link is not followed.
                    _ => self.out.files.push((path, None)),
                }
            }
            self.buffers.push(buffer);
            for (path, name) in folders {
                whole &= self.visit(&path, Some((fd, &name)));
            }
            whole
        }
    }

    /// `rel` as a path for a look from the output's descriptor.
    fn at(rel: &str) -> &str {
        if rel.is_empty() { "." } else { rel }
    }

    fn join(rel: &str, name: &str) -> String {
        if rel.is_empty() {
            name.to_owned()
        } else {
            // (`concat` sizes the path once; `format!` spent 760 instructions on each of the
            // 53,000 paths a listing makes.)
            [rel, "/", name].concat()
        }
    }

    /// The change time of the folder `name` in the folder `fd` (a path below it, none of
    /// whose folders is a link), if it is a folder.
    fn changed_at<P: rustix::path::Arg + Copy>(fd: &OwnedFd, name: P) -> Option<i128> {
        look(fd, name)
            .filter(|l| l.kind == FileType::Directory)
            .map(|l| l.changed)
    }

    /// The change time of each folder of the site in `dir` whose files are `paths`, as
    /// `Walk::visit` notes it.
    pub fn times<'p>(
        dir: &Path,
        paths: impl Iterator<Item = &'p str>,
        now: i128,
    ) -> Vec<(String, Option<i128>)> {
        let Ok(fd) = fs::openat(fs::CWD, dir, DIR, Mode::empty()) else {
            return Vec::new();
        };
        if !trusts_times(&fd) {
            return Vec::new();
        }
        let mut folders: foldhash::HashSet<&str> = foldhash::HashSet::default();
        folders.insert("");
        for path in paths {
            let mut rest = path;
            while let Some((folder, _)) = rest.rsplit_once('/') {
                if !folders.insert(folder) {
                    break;
                }
                rest = folder;
            }
        }
        folders
            .into_iter()
            .filter_map(|rel| {
                let time = changed_at(&fd, at(rel))?;
                Some((rel.to_owned(), settled(time, now).then_some(time)))
            })
            .collect()
    }

    /// What a look at an entry found.
    struct Looked {
        kind: FileType,
        /// As `Stamp::of` makes it from std's metadata.
        stamp: Stamp,
        /// Its change time, in nanoseconds since the epoch.
        changed: i128,
    }

    /// What the entry `name` of the folder `fd` is (a path below it, none of whose folders
    /// is a link), from `statx` (as std, too, takes metadata), or from `fstatat` where the
    /// kernel or a sandbox lacks it.
    fn look<P: rustix::path::Arg + Copy>(fd: &OwnedFd, name: P) -> Option<Looked> {
        let want = StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME | StatxFlags::CTIME;
        let time = |sec: i128, nsec: i128| sec * 1_000_000_000 + nsec;
        match fs::statx(fd, name, AtFlags::SYMLINK_NOFOLLOW, want) {
            Ok(s) => Some(Looked {
                kind: FileType::from_raw_mode(s.stx_mode.into()),
                stamp: Stamp {
                    len: s.stx_size,
                    mtime: time(s.stx_mtime.tv_sec.into(), s.stx_mtime.tv_nsec.into()),
                },
                changed: time(s.stx_ctime.tv_sec.into(), s.stx_ctime.tv_nsec.into()),
            }),
            // (The kernel's fields are unsigned on some targets, signed on others.)
            #[allow(clippy::unnecessary_cast)]
            Err(_) => fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW)
                .ok()
                .map(|s| Looked {
                    kind: FileType::from_raw_mode(s.st_mode as _),
                    stamp: Stamp {
                        len: s.st_size as u64,
                        mtime: time(s.st_mtime as i64 as i128, s.st_mtime_nsec as i128),
                    },
                    changed: time(s.st_ctime as i64 as i128, s.st_ctime_nsec as i128),
                }),
        }
    }
}

/// An in-place update, written down before it starts.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Journal {
    /// Files to move from the staging folder into the output.
    put: Vec<String>,
    /// Files of the output to remove.
    remove: Vec<String>,
}

/// Carries out `journal`; safe to run again after a partial run (moved files are skipped).
fn apply(journal: &Journal, staging: &Path, output: &Path) -> Result<(), WriteError> {
    let root = output.canonicalize().map_err(io_err(output))?;
    let mut made = foldhash::HashSet::default();
    for rel in &journal.put {
        let checked = safe_relative(rel)?;
        let from = staging.join(&checked);
        if !from.exists() {
            continue; // moved by an earlier, interrupted run
        }
        let to = output.join(&checked);
        if let Some(dir) = to.parent()
            && !made.contains(dir)
        {
            // A folder of the output replaced by a file or a link is made a folder again;
            // one that resolves outside the output is refused.
            if std::fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(dir).map_err(io_err(dir))?;
            }
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
            let real = dir.canonicalize().map_err(io_err(dir))?;
            if !real.starts_with(&root) {
                return Err(WriteError::UnsafePath(rel.clone()));
            }
            made.insert(dir.to_path_buf());
        }
        if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            std::fs::remove_dir_all(&to).map_err(io_err(&to))?;
        }
        std::fs::rename(&from, &to).map_err(io_err(&to))?;
    }
    for rel in &journal.remove {
        // What the output holds besides the new site, hidden files included, as a whole
        // build would not have it; never a path that climbs out.
        if rel.is_empty() || rel.contains('\\') || rel.split('/').any(|p| p.is_empty() || p == "..")
        {
            continue;
        }
        let checked = PathBuf::from(rel);
        let path = output.join(&checked);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&path)(e)),
        }
        // Folders left empty go too, as a whole build would not have them.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != output) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// Finishes in-place updates whose journal was written before their build was killed.
fn finish_journals(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.accord-journal-");
    let mut found: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.starts_with(&prefix))
        .collect();
    found.sort();
    for (file, path) in found {
        let pid = &file[prefix.len()..];
        if pid.ends_with(".part") {
            let _ = std::fs::remove_file(&path); // never committed
            continue;
        }
        let staging = parent.join(format!(".{name}.accord-new-{pid}"));
        let journal = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Journal>(&b).ok());
        let output = parent.join(name);
        if let Some(journal) = journal
            && output.is_dir()
        {
            let _ = apply(&journal, &staging, &output);
        }
        let _ = std::fs::remove_file(&path);
    }
}

/// The lock on an output folder after its site is in place, held until dropped, so that what
/// a build keeps about the site (its manifest) is in place before another build may start.
pub struct Held(#[allow(dead_code)] Option<std::fs::File>);

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    #[cfg(target_os = "linux")]
    if output.exists() && exchange(staging, output).is_ok() {
        // the old site is now in the staging folder; a kill here leaves it for the next build
        // to remove
        let _ = std::fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = parent.join(format!(".{name}.accord-old-{}", std::process::id()));
    let had_old = output.exists();
    if had_old {
        std::fs::rename(output, &old).map_err(io_err(output))?;
    }
    if let Err(e) = std::fs::rename(staging, output) {
        if had_old {
            let _ = std::fs::rename(&old, output);
        }
        return Err(WriteError::Io {
            path: output.to_path_buf(),
            source: e,
        });
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Swaps two paths in one step, so there is no moment without an output folder.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Cleans up after an interrupted earlier build: puts back the last good site if a build was
/// killed after moving it aside, and removes staging and old folders.
fn recover(output: &Path, parent: &Path, name: &str) {
    finish_journals(parent, name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let new = format!(".{name}.accord-new-");
    let old = format!(".{name}.accord-old-");
    let mut stale: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.starts_with(&new) || n.starts_with(&old))
        .collect();
    stale.sort();
    if !output.exists()
        && let Some(i) = stale.iter().position(|(n, _)| n.starts_with(&old))
        && std::fs::rename(&stale[i].1, output).is_ok()
    {
        stale.remove(i);
    }
    for (_, path) in stale {
        let _ = std::fs::remove_dir_all(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` as the complete new content of `output`, as a build does.
    fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
        let staging = Staging::begin(output)?;
        files
            .iter()
            .try_for_each(|f| staging.put(&f.path, &f.bytes).map(|_| ()))?;
        staging.commit(&[]).map(|_| ())
    }

    fn file(path: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: b"x".to_vec(),
        }
    }

    #[test]
    fn paths_that_climb_or_hide_are_refused() {
        for p in [
            "../x",
            "/etc/x",
            "a/../b",
            "a//b",
            ".git/config",
            "a\\b",
            "",
            "a/./b",
        ] {
            assert!(safe_relative(p).is_err(), "{p}");
        }
        assert!(safe_relative("a/b/index.html").is_ok());
        assert!(safe_relative(".nojekyll").is_ok());
    }

    proptest::proptest! {
        /// Whatever the check lets through, std reads as plain names only: no root, no `.`,
        /// no `..` (the check leaves that reading out on Unix).
        #[test]
        fn a_path_let_through_is_plain_names_to_std(rel in "[a-c./\\\\:]{0,12}") {
            if let Ok(path) = safe_relative(&rel) {
                let plain = path.components().all(|c| matches!(c, std::path::Component::Normal(_)));
                proptest::prop_assert!(plain, "{rel:?}");
            }
        }
    }

    #[test]
    fn new_site_replaces_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("old.html")]).unwrap();
        write_site(&out, &[file("a/index.html")]).unwrap();
        assert!(out.join("a/index.html").exists());
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".accord-lock"))
            .collect();
        assert_eq!(leftovers, vec!["public"], "no staging folders left behind");
    }

    #[test]
    fn unsafe_path_leaves_old_site_intact() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("keep.html")]).unwrap();
        assert!(write_site(&out, &[file("ok.html"), file("../evil")]).is_err());
        assert!(out.join("keep.html").exists());
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn a_second_build_on_the_same_output_is_refused_while_one_runs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let held = std::fs::File::create(dir.path().join(".public.accord-lock")).unwrap();
        held.lock().unwrap();
        let e = write_site(&out, &[file("a.html")]).unwrap_err();
        assert!(matches!(e, WriteError::Locked(_)), "{e}");
        held.unlock().unwrap();
        write_site(&out, &[file("a.html")]).unwrap();
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_build_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("keep.html")]).unwrap();
        // killed between moving the old site aside and moving the new one in
        std::fs::rename(&out, dir.path().join(".public.accord-old-99999")).unwrap();
        std::fs::create_dir(dir.path().join(".public.accord-new-99999")).unwrap();
        recover(&out, dir.path(), "public");
        assert!(out.join("keep.html").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".accord-lock"))
            .collect();
        assert_eq!(names, vec!["public"]);
    }

    #[test]
    fn files_in_lists_every_file_with_the_stamp_a_look_at_it_gives() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file(".nojekyll"), file("a/b/c/index.html"), file("a/x.css")],
        )
        .unwrap();
        std::fs::write(out.join("a/b/big.json"), vec![b'x'; 70_000]).unwrap();
        let mut listed = files_in(&out);
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        let paths: Vec<&str> = listed.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [".nojekyll", "a/b/big.json", "a/b/c/index.html", "a/x.css"]
        );
        for (path, stamp) in &listed {
            assert_eq!(*stamp, Stamp::at(&out.join(path)), "{path}");
            assert!(stamp.is_some(), "{path}");
        }
        // The output may be reached through a link; a link inside it is listed, not followed.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(out.join("a"), out.join("link")).unwrap();
            let through = dir.path().join("through");
            std::os::unix::fs::symlink(&out, &through).unwrap();
            let again = files_in(&through);
            let link = again.iter().find(|(p, _)| p == "link");
            assert_eq!(link, Some(&("link".to_string(), None)));
            assert_eq!(again.len(), listed.len() + 1);
        }
    }

    /// Whether the file system at `path` is one whose folders' times a listing trusts.
    #[cfg(target_os = "linux")]
    fn keeps_times(path: &Path) -> bool {
        let kind = rustix::fs::statfs(path).unwrap().f_type as u32;
        // tmpfs, ext2/3/4, xfs, btrfs, f2fs
        [0x0102_1994, 0xef53, 0x5846_5342, 0x9123_683e, 0xf2f5_2010].contains(&kind)
    }

    fn sorted(mut files: Vec<(String, Option<Stamp>)>) -> Vec<(String, Option<Stamp>)> {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_listing_trusts_a_settled_folder_only_while_its_time_is_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [
            file("top.txt"),
            file("a/b/index.html"),
            file("a/x.css"),
            file("c/index.html"),
        ];
        write_site(&out, &files).unwrap();
        // Just written, no folder is settled: each would be listed again.
        let fresh = list_since(&out, None);
        assert!(fresh.folders.iter().all(|(_, t)| t.is_none()), "{fresh:?}");
        std::thread::sleep(std::time::Duration::from_millis(150));
        let first = list_since(&out, None);
        let mut folders: Vec<&str> = first.folders.iter().map(|(p, _)| p.as_str()).collect();
        folders.sort();
        assert_eq!(folders, ["", "a", "a/b", "c"]);
        // Elsewhere (a network or overlay file system) every folder is listed each time.
        let trusted = keeps_times(&out);
        assert!(
            first.folders.iter().all(|(_, t)| t.is_some() == trusted),
            "{first:?}"
        );
        if !trusted {
            return;
        }
        // What the last build wrote, as its manifest would say, but for a file that nothing
        // else tells of: a settled folder is taken as that said, its files looked at.
        let known = |listing: &Listing, leave: &str| -> Vec<String> {
            (listing.files.iter().map(|(p, _)| p.clone()))
                .filter(|p| p != leave)
                .collect()
        };
        let wrote = known(&first, "a/x.css");
        let last = Last::new(wrote.iter().map(String::as_str), &first.folders);
        let trusted = list_since(&out, Some(&last));
        let without: Vec<_> = (sorted(first.files.clone()).into_iter())
            .filter(|(p, _)| p != "a/x.css")
            .collect();
        assert_eq!(sorted(trusted.files), without);
        // A file put in a folder changes its time: that folder is listed again, the others
        // still trusted.
        std::fs::write(out.join("a/stray.html"), "stray").unwrap();
        let again = sorted(list_since(&out, Some(&last)).files);
        let paths: Vec<&str> = again.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "a/b/index.html",
                "a/stray.html",
                "a/x.css",
                "c/index.html",
                "top.txt"
            ]
        );
        // A file changed in place keeps its folder's time but not its own stamp.
        std::fs::write(out.join("c/index.html"), "longer than before").unwrap();
        let changed = sorted(list_since(&out, Some(&last)).files);
        assert_eq!(changed.last().map(|(p, _)| p.as_str()), Some("top.txt"));
        let stamp = changed.iter().find(|(p, _)| p == "c/index.html").unwrap().1;
        assert_eq!(stamp, Stamp::at(&out.join("c/index.html")));
        assert_eq!(stamp.map(|s| s.len), Some(18));
        // A file said to be there and not found in a settled folder: the folder is listed.
        let phantom = [wrote.clone(), vec!["c/gone.html".to_owned()]].concat();
        let last = Last::new(phantom.iter().map(String::as_str), &first.folders);
        let listed = sorted(list_since(&out, Some(&last)).files);
        assert!(listed.iter().any(|(p, _)| p == "c/index.html"));
        assert!(!listed.iter().any(|(p, _)| p == "c/gone.html"));
    }

    #[test]
    fn an_update_in_place_keeps_and_replaces_files_and_removes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file("keep.html"), file("a/old.html"), file("b.html")],
        )
        .unwrap();
        let mut staging = Staging::begin(&out).unwrap();
        staging.update_in_place();
        staging.keep("keep.html").unwrap();
        staging.put("b.html", b"new").unwrap();
        staging.put("c/new.html", b"new").unwrap();
        let existing: Vec<String> = files_in(&out).into_iter().map(|(p, _)| p).collect();
        staging.commit(&existing).unwrap();
        let mut now: Vec<String> = files_in(&out).into_iter().map(|(p, _)| p).collect();
        now.sort();
        assert_eq!(now, ["b.html", "c/new.html", "keep.html"]);
        assert_eq!(std::fs::read(out.join("b.html")).unwrap(), b"new");
        assert!(!out.join("a").exists(), "an emptied folder is removed");
        assert_eq!(beside_out(dir.path()), ["public"]);
    }

    #[test]
    fn an_update_killed_after_its_journal_is_finished_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("a.html"), file("gone.html")]).unwrap();
        // What a build killed right after writing its journal leaves: the staged files and
        // the journal, the output untouched.
        let staged = dir.path().join(".public.accord-new-4242");
        std::fs::create_dir_all(staged.join("x")).unwrap();
        std::fs::write(staged.join("x/new.html"), "new").unwrap();
        let journal = Journal {
            put: vec!["x/new.html".into()],
            remove: vec!["gone.html".into()],
        };
        std::fs::write(
            dir.path().join(".public.accord-journal-4242"),
            serde_json::to_vec(&journal).unwrap(),
        )
        .unwrap();
        // and one killed while writing its journal: not committed, so not applied
        std::fs::write(dir.path().join(".public.accord-journal-4243.part"), "{").unwrap();
        recover(&out, dir.path(), "public");
        assert_eq!(std::fs::read(out.join("x/new.html")).unwrap(), b"new");
        assert!(!out.join("gone.html").exists());
        assert!(out.join("a.html").exists());
        assert_eq!(beside_out(dir.path()), ["public"]);
    }

    /// What is in `dir` but the lock file.
    fn beside_out(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".accord-lock"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn stale_staging_folder_is_removed_by_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".public.accord-new-99999");
        std::fs::create_dir_all(&stale).unwrap();
        write_site(&dir.path().join("public"), &[file("a.html")]).unwrap();
        assert!(!stale.exists());
    }
}
