//! accord: turns documents about partnerships into a typed, cited model and a briefing site.
//!
//! The modules follow the data flow: `load` → `clean` → `extract` → `resolve` → `render` →
//! `write`, with `site` running them in order, `check` verifying links and `cli` on top.

pub mod cache;
pub mod check;
pub mod clean;
pub mod cli;
pub mod config;
pub mod curate;
pub mod documents;
pub mod error;
pub mod extract;
pub mod init;
pub mod load;
pub mod manifest;
pub mod model;
pub mod pack;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod site;
pub mod slug;
pub mod times;
pub mod timings;
pub mod write;

/// Whether the process ends as soon as its build is done (`leave_to_exit`).
static LEAVE_TO_EXIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says that the process ends as soon as its one build is done (`accord build`): what the
/// build made for itself is then not freed but left to the OS, which takes a process's memory
/// back whole when it exits. Freed allocation by allocation, the model, the last and the new
/// manifests and the index of a 10k site are millions of frees (0.34 G instructions, 5% of a
/// one-edit rebuild's, on the two cores that are still encoding the manifest and putting the
/// site in place). Compilers do the same (clang's `-disable-free`). `serve` and the tests,
/// which build again in the same process, do not say it, and free everything.
pub fn leave_to_exit() {
    LEAVE_TO_EXIT.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether what a build is done with is left to the OS (`leave_to_exit`).
fn leaving() -> bool {
    LEAVE_TO_EXIT.load(std::sync::atomic::Ordering::Relaxed)
}

/// Frees `value` here, unless the process ends after this build (`leave_to_exit`). Only for
/// plain data: nothing whose drop does more than free memory (a lock, a file) is left.
pub(crate) fn done_with<T>(value: T) {
    if leaving() {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

/// Frees `value` on a thread of its own, unless the process ends after this build
/// (`leave_to_exit`). The model and the manifests of a large site are millions of small
/// allocations, a fifth of a second to free after the site is already written; a build that
/// goes on does not wait for it. (Should no thread start, the value is freed here, as the
/// closure holding it is dropped.)
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    if leaving() {
        std::mem::forget(value);
        return;
    }
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// An empty buffer with room for `capacity` bytes, for the buffers of a build that hold a
/// whole file, some large (the manifest: fifty megabytes at 10,000 documents).
/// On Linux its memory is mapped in one call (MADV_POPULATE_WRITE) rather than by a page fault
/// at each first write to one of its 4 KiB pages, thirty thousand for each hundred megabytes.
pub(crate) fn large_buffer(capacity: usize) -> Vec<u8> {
    let buf = Vec::with_capacity(capacity);
    #[cfg(target_os = "linux")]
    if capacity >= 1 << 20 {
        const PAGE: usize = 4096;
        let start = buf.as_ptr() as usize;
        let from = start.next_multiple_of(PAGE);
        let to = (start + capacity) / PAGE * PAGE;
        if to > from {
            // SAFETY: the range lies inside the buffer's allocation, which is writable;
            // populating it changes neither its contents (not yet initialized) nor who may
            // use it. An older kernel refuses the advice, and the pages fault in as before.
            unsafe {
                libc::madvise(
                    from as *mut libc::c_void,
                    to - from,
                    libc::MADV_POPULATE_WRITE,
                );
            }
        }
    }
    buf
}

/// XXH3's 128 bits of `bytes`: the one non-cryptographic hash of a build, for the checks of
/// sealed cache data (`cache::seal`), the digests of records and answers (`reads::Digest`)
/// and the hashes of output files (`manifest::file_hash`). What it compares is the user's own
/// documents and what accord made of them, so a chance match (2^-128) is all it guards
/// against; blake3 spent several times as long on the hundreds of megabytes a build hashes.
pub(crate) fn hash128(bytes: &[u8]) -> [u8; 16] {
    twox_hash::XxHash3_128::oneshot(bytes).to_le_bytes()
}

/// The bytes of the file at `path`, as `read_sized` reads them.
pub(crate) fn read_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    read_sized(file, size)
}

/// The first `size` bytes of `file` (its length, as its metadata gave it when opened; fewer
/// if it has shrunk since), into a `large_buffer`. Unlike `std::fs::read`, which looks the
/// size up again and reads once more to find the end, one read for a small file: a build
/// reads tens of thousands.
pub(crate) fn read_sized(file: std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = large_buffer(usize::try_from(size).unwrap_or(0));
    file.take(size).read_to_end(&mut bytes)?;
    Ok(bytes)
}
