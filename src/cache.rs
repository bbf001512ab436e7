//! Cache: per-document extraction results kept between builds, keyed by a hash of everything
//! that decides them (accord's own binary, the site's data files, the document's path and
//! bytes). It lives outside the output folder, is safe to delete, and never changes what is
//! built: a missing, stale or unreadable entry is simply extracted again.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The cache folder name at the site root.
pub const DIR: &str = ".accord-cache";

/// The extension of an entry being written (followed by the writer's process id).
const TMP: &str = "tmp";

/// A hash of accord's version and its own binary, which embeds the built-in gazetteer, rules
/// and templates: whatever a rebuilt binary makes is made afresh. Computed once per run, and
/// kept in the cache folder of the site named by `keep_binary_hash_in` (see `BinaryStamp`).
pub fn binary() -> blake3::Hash {
    static HASH: std::sync::OnceLock<blake3::Hash> = std::sync::OnceLock::new();
    *HASH.get_or_init(|| {
        let mut h = blake3::Hasher::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        // Stamp and bytes from one open file, so they are of the same file.
        let exe = std::env::current_exe().ok();
        let Some((exe, mut file)) =
            exe.and_then(|exe| std::fs::File::open(&exe).ok().map(|file| (exe, file)))
        else {
            return h.finalize();
        };
        let stamp = BinaryStamp::of(&exe, &file);
        let memo = BINARY_MEMO.get().map(|dir| dir.join("binary"));
        if let (Some(stamp), Some(memo)) = (&stamp, &memo)
            && let Some(hash) = stamp.recall(memo)
        {
            return hash;
        }
        let mut bytes = Vec::new();
        if std::io::Read::read_to_end(&mut file, &mut bytes).is_err() {
            return h.finalize();
        }
        let hash = h.update(&bytes).finalize();
        if let (Some(stamp), Some(memo)) = (stamp, memo) {
            stamp.remember(&memo, &hash);
        }
        hash
    })
}

/// The cache folder `binary` keeps its hash in, once set.
static BINARY_MEMO: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Keeps `binary`'s hash in the cache folder of the site at `root`. Call before `binary`: once
/// the hash is made, or a folder set (a process builds one site), later calls change nothing.
pub fn keep_binary_hash_in(root: &Path) {
    let _ = BINARY_MEMO.set(root.join(DIR));
}

/// What tells one executable file from another without reading it: its device and inode, its
/// size, and its modification and change times to the nanosecond. A rebuilt accord is a new
/// file (cargo links a new one, as a package manager installs one); one written over in place
/// has a new change time, which a program cannot set. What it assumes: a file system with
/// fine timestamps, and a clock not set back between two builds of the executable (a file
/// written over in place within one tick of a coarse clock, at the same size, would keep its
/// stamp). Outside Unix there is no change time or inode, and no stamp: it is hashed each run.
/// Reading and hashing the 16 MB executable took 30 to 80 ms at the start of every build,
/// before the first document could be looked up in the cache.
#[derive(Debug, PartialEq)]
struct BinaryStamp(String);

impl BinaryStamp {
    #[cfg(unix)]
    fn of(exe: &Path, file: &std::fs::File) -> Option<BinaryStamp> {
        use std::os::unix::fs::MetadataExt;
        let m = file.metadata().ok()?;
        Some(BinaryStamp(format!(
            "{}\n{} {} {} {}.{} {}.{}",
            exe.display(),
            m.dev(),
            m.ino(),
            m.size(),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec()
        )))
    }

    #[cfg(not(unix))]
    fn of(_exe: &Path, _file: &std::fs::File) -> Option<BinaryStamp> {
        None
    }

    /// The hash kept in `memo` for an executable with this stamp, if that is what it holds.
    fn recall(&self, memo: &Path) -> Option<blake3::Hash> {
        let text = std::fs::read_to_string(memo).ok()?;
        let (stamp, hex) = text.trim_end().rsplit_once('\n')?;
        (stamp == self.0)
            .then(|| blake3::Hash::from_hex(hex).ok())
            .flatten()
    }

    /// Keeps `hash` in `memo` for this stamp; failures are ignored (it is hashed again).
    fn remember(&self, memo: &Path, hash: &blake3::Hash) {
        write_whole(memo, format!("{}\n{}\n", self.0, hash.to_hex()).as_bytes());
    }
}

/// A content-addressed store of extraction results.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    /// Hash of what every entry depends on besides the document itself.
    salt: blake3::Hash,
    /// The keys asked for, when kept (`tracking`), so the rest can be removed (`prune`).
    used: Option<std::sync::Arc<std::sync::Mutex<foldhash::HashSet<String>>>>,
}

impl Cache {
    /// A cache in `root/.accord-cache/extract`, salted with this binary and the given data files.
    pub fn open(root: &Path, data_files: &[PathBuf]) -> Cache {
        keep_binary_hash_in(root);
        let dir = root.join(DIR).join("extract");
        let sweep = || {
            remove_unfinished_in(&dir.join(TMP), None);
            remove_unfinished_in(&root.join(DIR), Some("binary"));
        };
        // The folders (ten thousand entries at scale) are swept while the salt is hashed.
        let salt = std::thread::scope(|s| {
            let swept = std::thread::Builder::new().spawn_scoped(s, sweep);
            let mut h = blake3::Hasher::new();
            h.update(binary().as_bytes());
            for f in data_files {
                h.update(f.to_string_lossy().as_bytes());
                h.update(&std::fs::read(f).unwrap_or_default());
            }
            match swept {
                Ok(swept) => {
                    let _ = swept.join();
                }
                // No thread to be had: swept here.
                Err(_) => sweep(),
            }
            h.finalize()
        });
        Cache {
            dir,
            salt,
            used: None,
        }
    }

    /// This cache, noting each key asked for, for `prune`.
    pub fn tracking(mut self) -> Cache {
        self.used = Some(Default::default());
        self
    }

    /// Removes every entry no key asked for since `tracking` (documents changed or removed
    /// since, other settings, older builds of accord), like `hugo --gc`. Returns how many
    /// went. Without tracking, removes nothing.
    pub fn prune(&self) -> usize {
        let Some(used) = self.used.as_ref().and_then(|u| u.lock().ok()) else {
            return 0;
        };
        let mut removed = 0;
        for p in files(&self.dir) {
            let kept = p.extension().is_some_and(|x| x == "bin")
                && p.file_stem()
                    .is_some_and(|k| used.contains(k.to_string_lossy().as_ref()));
            if !kept && std::fs::remove_file(&p).is_ok() {
                removed += 1;
            }
        }
        // Only emptied folders go.
        for sub in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let _ = std::fs::remove_dir(sub.path());
        }
        removed
    }

    /// What every key is made from besides the document: accord's binary and the data files.
    pub fn salt(&self) -> &blake3::Hash {
        &self.salt
    }

    /// Notes `key` as used, for `prune`, when it was found without `get` (in the pack).
    pub fn note_used(&self, key: &str) {
        if let Some(mut used) = self.used.as_ref().and_then(|u| u.lock().ok()) {
            used.insert(key.to_owned());
        }
    }

    /// The key for a document at `rel` with these bytes.
    pub fn key(&self, rel: &str, bytes: &[u8]) -> String {
        let mut h = blake3::Hasher::new();
        h.update(self.salt.as_bytes());
        h.update(rel.as_bytes());
        h.update(&[0]);
        h.update(bytes);
        h.finalize().to_hex().to_string()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.bin"))
    }

    /// The stored entry for `key`, if there is a readable one, sealed: `unseal` opens it.
    ///
    /// Values are kept in postcard, a compact binary serde format: reading ten thousand
    /// documents' facts back from JSON took 0.7 s of CPU, a sixth of a rebuild. postcard does
    /// not describe its fields, so a value reads back only as the type that wrote it; the key
    /// holds accord's binary, and types change only with it. Nor does it notice damage, which
    /// JSON mostly did: an entry starts with a check of the rest (`seal`), and one that does
    /// not match it is a miss.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.note_used(key);
        crate::read_file(&self.path(key)).ok()
    }

    /// Stores `value` under `key`, and hands back the entry as stored (sealed); failures to
    /// write are ignored (the cache is only an optimisation).
    pub fn put<T: Serialize>(&self, key: &str, value: &T) -> Option<Vec<u8>> {
        let bytes = seal(value)?;
        // Written in a folder of their own first, so that sweeping what a stopped build left
        // half-written looks in one folder, not in the ten thousand entries of a large site.
        let tmp = tmp_beside(&self.dir.join(TMP).join(key));
        if let Some(pending) = write_pending_as(&self.path(key), tmp, &bytes) {
            pending.finish();
        }
        Some(bytes)
    }
}

/// Removes the files in the folder `dir` that a build which has stopped left half-written
/// (`<stem>.tmp<pid>`, of any stem when none is given): a running build's, this one's or
/// another's, are left to it.
pub fn remove_unfinished_in(dir: &Path, stem: Option<&str>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        let named = stem.is_none_or(|stem| p.file_stem().is_some_and(|s| s == stem));
        if named && writer(&p).is_some_and(|pid| !is_running(pid)) {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The process writing the file at `path`, if it is one `write_pending` writes
/// (`<name>.tmp<pid>`).
fn writer(path: &Path) -> Option<u32> {
    path.extension()?.to_str()?.strip_prefix(TMP)?.parse().ok()
}

/// Whether the process `pid` is running. Outside Unix only this one is known to be.
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    return (i32::try_from(pid).ok())
        .and_then(rustix::process::Pid::from_raw)
        .is_some_and(|pid| {
            matches!(
                rustix::process::test_kill_process(pid),
                Ok(()) | Err(rustix::io::Errno::PERM)
            )
        });
    #[cfg(not(unix))]
    return false;
}

/// Every file in the cache folder `dir` (one level of key-prefix folders).
fn files(dir: &Path) -> impl Iterator<Item = PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|sub| {
            std::fs::read_dir(sub.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|f| f.path())
}

/// How many bytes lead a sealed value: its check.
pub const CHECK_LEN: usize = 16;

/// The check of a sealed value's bytes: XXH3's 128 bits, which tell damage (a cut, a bit
/// flipped) from a whole value. A check, not a signature: the cache and manifest are the
/// user's own files, as the documents are. (blake3, used before, is several times slower on
/// the 130 MB a 10k rebuild reads back and the 50 MB it writes.)
fn check(bytes: &[u8]) -> [u8; CHECK_LEN] {
    crate::hash128(bytes)
}

/// `value` in postcard, appended to `buf`. (postcard's `to_extend` writes through `Extend`,
/// a call per byte and strings copied byte by byte, which was a third of the time of the
/// records' digests and of the manifest's encoding; its `to_allocvec` cannot start from a
/// buffer of our own.)
pub fn encode_into<T: Serialize + ?Sized>(value: &T, buf: Vec<u8>) -> Option<Vec<u8>> {
    postcard::serialize_with_flavor(value, Appending(buf)).ok()
}

/// A postcard output that appends to a `Vec` with `push` and `extend_from_slice`.
struct Appending(Vec<u8>);

impl postcard::ser_flavors::Flavor for Appending {
    type Output = Vec<u8>;

    #[inline(always)]
    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    #[inline(always)]
    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<Vec<u8>> {
        Ok(self.0)
    }
}

/// `value` in postcard, led by a check of the encoding (see `Cache::get`).
pub fn seal<T: Serialize>(value: &T) -> Option<Vec<u8>> {
    seal_into(value, Vec::new())
}

/// `seal`, into `buf` (empty, with room for what is likely to come).
pub fn seal_into<T: Serialize>(value: &T, mut buf: Vec<u8>) -> Option<Vec<u8>> {
    // Room for the check first, then the value after it.
    buf.resize(CHECK_LEN, 0);
    encode_into(value, buf).map(with_check)
}

/// `seal_into` of a value whose encoding is `head`'s then `tail`'s, each encoded on a thread
/// of its own: postcard writes a struct or tuple as its fields one after another, with nothing
/// around them, so the two encodings joined are the encoding of the whole.
pub fn seal_halves<H: Serialize + Sync, T: Serialize + Sync>(
    head: &H,
    tail: &T,
    mut buf: Vec<u8>,
    tail_room: usize,
) -> Option<Vec<u8>> {
    buf.resize(CHECK_LEN, 0);
    let (head, tail) = rayon::join(
        || encode_into(head, buf),
        || encode_into(tail, crate::large_buffer(tail_room)),
    );
    let mut bytes = head?;
    bytes.extend_from_slice(&tail?);
    Some(with_check(bytes))
}

/// `bytes`, room for the check then an encoded value, with the check of the value written in.
fn with_check(mut bytes: Vec<u8>) -> Vec<u8> {
    let check = check(&bytes[CHECK_LEN..]);
    bytes[..CHECK_LEN].copy_from_slice(&check);
    bytes
}

/// The encoding `seal` made, if `bytes` are whole (for a value read in parts).
pub fn sealed(bytes: &[u8]) -> Option<&[u8]> {
    let (sum, value) = bytes.split_at_checked(CHECK_LEN)?;
    (check(value) == sum).then_some(value)
}

/// The value `seal` made, if `bytes` are whole: a check that does not match is no value.
pub fn unseal<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(sealed(bytes)?).ok()
}

/// Writes `bytes` to `path`, making its folder: to a temporary file first, then renamed, so a
/// killed build never leaves a half-written file; failures are ignored (a cache is only an
/// optimisation) and leave no temporary file behind.
pub fn write_whole(path: &Path, bytes: &[u8]) {
    if let Some(pending) = write_pending(path, bytes) {
        pending.finish();
    }
}

/// `write_whole` up to the rename: the file is written under a temporary name beside `path`,
/// and put in place by `Pending::finish`. `None` when it could not be written.
pub fn write_pending(path: &Path, bytes: &[u8]) -> Option<Pending> {
    write_pending_as(path, tmp_beside(path), bytes)
}

/// The temporary name a file written to `path` has until it is put in place: this process's,
/// so that a sweep can tell a stopped writer's (`is_unfinished`, `remove_unfinished_in`).
fn tmp_beside(path: &Path) -> PathBuf {
    path.with_extension(format!("{TMP}{}", std::process::id()))
}

/// `write_pending`, under the temporary name `tmp` (on the same file system).
fn write_pending_as(path: &Path, tmp: PathBuf, bytes: &[u8]) -> Option<Pending> {
    pending_with(path, tmp, |file| file.write_all(bytes))
}

/// The files being written beside the build (`write_beside`), each with what it is.
static WRITING: std::sync::Mutex<Vec<(&'static str, std::thread::JoinHandle<()>)>> =
    std::sync::Mutex::new(Vec::new());

/// Runs `write` on a thread of its own, beside the build; `wait` waits for it. One of a
/// `kind` is written at a time: a later one waits for the earlier (`serve` builds again while
/// the last build's pack may still be being written). With no thread to be had, nothing is
/// written, which the caches allow.
pub fn write_beside(kind: &'static str, write: impl FnOnce() + Send + 'static) {
    let mut writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(at) = writing.iter().position(|(k, _)| *k == kind) {
        let _ = writing.swap_remove(at).1.join();
    }
    if let Ok(handle) = std::thread::Builder::new().spawn(write) {
        writing.push((kind, handle));
    }
}

/// Waits until every file being written beside the build (`write_beside`) is in place. The
/// writers are joined under the lock, so that a `wait` on another thread meanwhile waits for
/// them too, and no writer of a kind starts while an earlier one may still be writing.
pub fn wait() {
    let mut writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    for (_, handle) in writing.drain(..) {
        let _ = handle.join();
    }
}

/// Writes a file to `path` as `write_whole` does (failures ignored), its bytes from `fill`
/// through a buffer, so a large file need not be gathered in memory first.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let written = pending_with(path, tmp_beside(path), |file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        fill(&mut out)?;
        out.flush()
    });
    if let Some(pending) = written {
        pending.finish();
    }
}

/// The file `path` written under the temporary name `tmp` by `fill`, their folders made
/// first; `None` (and no temporary file left) when it could not be written.
fn pending_with(
    path: &Path,
    tmp: PathBuf,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Option<Pending> {
    for dir in [path.parent()?, tmp.parent()?] {
        std::fs::create_dir_all(dir).ok()?;
    }
    let mut file = std::fs::File::create(&tmp).ok()?;
    // From here on, a failure removes the temporary file (`Pending`'s drop).
    let pending = Pending {
        tmp: Some(tmp),
        path: path.to_path_buf(),
    };
    fill(&mut file).ok()?;
    Some(pending)
}

/// Whether `path` is a file `write_pending` has not finished (`<name>.tmp<pid>`).
pub fn is_unfinished(path: &Path) -> bool {
    writer(path).is_some()
}

/// A file written beside its place (`write_pending`); dropped without `finish`, it is removed.
pub struct Pending {
    /// The temporary file, until it is put in place.
    tmp: Option<PathBuf>,
    path: PathBuf,
}

impl Pending {
    /// Puts the file in place; failures are ignored, as in `write_whole` (and the temporary
    /// file removed).
    pub fn finish(mut self) {
        if let Some(tmp) = &self.tmp
            && std::fs::rename(tmp, &self.path).is_ok()
        {
            self.tmp = None; // in place: nothing left to remove
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value stored under `key`, as the entry `get` gives opens.
    fn value<T: DeserializeOwned>(cache: &Cache, key: &str) -> Option<T> {
        unseal(&cache.get(key)?)
    }

    #[test]
    fn a_value_comes_back_under_its_key_and_changed_bytes_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]);
        let k = cache.key("a.txt", b"hello");
        assert_eq!(value::<Vec<u32>>(&cache, &k), None);
        cache.put(&k, &vec![1u32, 2]);
        assert_eq!(value::<Vec<u32>>(&cache, &k), Some(vec![1, 2]));
        assert_ne!(cache.key("a.txt", b"hello!"), k);
        assert_ne!(cache.key("b.txt", b"hello"), k);
    }

    #[test]
    #[cfg(unix)]
    fn the_binary_hash_is_recalled_only_for_the_same_executable() {
        let dir = tempfile::tempdir().unwrap();
        let (exe, memo) = (dir.path().join("accord"), dir.path().join("binary"));
        std::fs::write(&exe, "one build").unwrap();
        let stamp_of = |p: &Path| BinaryStamp::of(p, &std::fs::File::open(p).unwrap()).unwrap();
        let stamp = stamp_of(&exe);
        assert_eq!(stamp.recall(&memo), None, "nothing kept yet");
        let hash = blake3::hash(b"one build");
        stamp.remember(&memo, &hash);
        assert_eq!(stamp_of(&exe).recall(&memo), Some(hash));
        // Written over at the same size, with another modification time (set, so that a file
        // system with coarse timestamps tells it too).
        std::fs::write(&exe, "two build").unwrap();
        let file = std::fs::File::options().write(true).open(&exe).unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000))
            .unwrap();
        assert_eq!(stamp_of(&exe).recall(&memo), None);
        // Another file with the same bytes is another executable.
        let other = dir.path().join("accord2");
        std::fs::write(&other, "one build").unwrap();
        assert_eq!(stamp_of(&other).recall(&memo), None);
        // A damaged memo is no hash.
        std::fs::write(&memo, "garbage").unwrap();
        assert_eq!(stamp.recall(&memo), None);
    }

    /// What a stopped build left of the memo goes when the cache is opened; this process's
    /// own, which may be being written, stays.
    #[test]
    fn an_unfinished_memo_is_swept_but_for_a_running_process_own() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(DIR);
        std::fs::create_dir_all(&folder).unwrap();
        // (No process has an id over the kernel's largest, 2^22.)
        let stopped = folder.join(format!("binary.{TMP}{STOPPED}"));
        let own = folder.join(format!("binary.{TMP}{}", std::process::id()));
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let running = folder.join(format!("binary.{TMP}{}", child.id()));
        let other = folder.join(format!("notes.{TMP}{STOPPED}"));
        for f in [&stopped, &own, &running, &other] {
            std::fs::write(f, "half").unwrap();
        }
        Cache::open(dir.path(), &[]);
        assert!(!stopped.exists());
        assert!(own.exists());
        assert!(
            running.exists() || cfg!(not(unix)),
            "another build's, still running"
        );
        assert!(other.exists(), "not the memo's");
        let _ = child.kill();
        let _ = child.wait();
    }

    /// A process id no process has.
    const STOPPED: u32 = 999_999_999;

    #[test]
    fn changed_data_files_give_new_keys() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("gazetteer.toml");
        std::fs::write(&data, "a").unwrap();
        let before = Cache::open(dir.path(), std::slice::from_ref(&data)).key("a.txt", b"x");
        std::fs::write(&data, "b").unwrap();
        assert_ne!(Cache::open(dir.path(), &[data]).key("a.txt", b"x"), before);
    }

    #[test]
    fn pruning_keeps_only_what_was_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let old = Cache::open(dir.path(), &[]);
        let (a, b) = (old.key("a.txt", b"a"), old.key("b.txt", b"b"));
        old.put(&a, &1u8);
        old.put(&b, &2u8);
        // An entry of an older accord, in JSON.
        std::fs::write(old.path(&a).with_extension("json"), "1").unwrap();
        assert_eq!(old.prune(), 0, "nothing is removed without tracking");

        let cache = Cache::open(dir.path(), &[]).tracking();
        assert_eq!(value::<u8>(&cache, &a), Some(1));
        assert_eq!(cache.prune(), 2, "b's entry and the JSON one");
        assert_eq!(value::<u8>(&cache, &a), Some(1));
        assert_eq!(value::<u8>(&cache, &b), None);
    }

    #[test]
    fn a_corrupt_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]);
        let k = cache.key("a.txt", b"x");
        cache.put(&k, &1u8);
        let mut bytes = std::fs::read(cache.path(&k)).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(cache.path(&k), &bytes).unwrap();
        assert_eq!(value::<u8>(&cache, &k), None, "one bit flipped");
        std::fs::write(cache.path(&k), b"{not json").unwrap();
        assert_eq!(value::<u8>(&cache, &k), None, "not an entry at all");
    }

    #[test]
    fn an_entry_a_killed_build_left_half_written_is_removed_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]);
        let k = cache.key("a.txt", b"x");
        cache.put(&k, &1u8);
        let half = dir
            .path()
            .join(".accord-cache/extract/tmp")
            .join(format!("{k}.{TMP}{STOPPED}"));
        std::fs::write(&half, b"{\"dra").unwrap();
        let cache = Cache::open(dir.path(), &[]);
        assert!(!half.exists());
        assert_eq!(value::<u8>(&cache, &k), Some(1), "finished entries stay");
    }
}
