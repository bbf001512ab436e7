//! The `accord` binary: parses the command line and reports errors.

use clap::Parser;

/// mimalloc instead of the system allocator: a build makes and frees millions of small strings
/// from several threads, where glibc's malloc spent a quarter of the CPU time. Built without
/// transparent huge pages (feature `no_thp`): mimalloc asks for them with madvise, and the
/// kernel then zeroes 2 MiB at each first touch; at 10,000 documents that was a sixth of the
/// CPU time, and system time halved without (9 s to 4.5 s of a full build, measured A/B on a
/// machine whose THP setting is `madvise`; where it is `always` the kernel uses huge pages
/// regardless, and the feature changes nothing).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    ignore_file_size_signal();
    // Before any map is made.
    let _ = ahash::random_state::set_random_source(Seeds);
    let cli = accord::cli::Cli::parse();
    let code = match accord::cli::run(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    };
    exit_now(code)
}

/// Seeds for Tera's hash maps, from a counter each thread keeps. ahash's own source is one
/// counter for the process, bumped atomically for every map: Tera makes a map for every
/// record it is given and every component it calls (a quarter of a million at 1,000
/// documents), and on two cores the threads making pages fought over that counter's cache
/// line (1.5% of a clean 10k build's CPU samples, in `gen_hasher_seed`). Each seed still
/// differs from the last, as ahash asks; which seeds a map gets changes nothing built
/// (Tera's maps are looked up by key, and accord's templates iterate none).
struct Seeds;

impl ahash::random_state::RandomSource for Seeds {
    fn gen_hasher_seed(&self) -> usize {
        thread_local! {
            static NEXT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        NEXT.with(|next| {
            // Threads start apart (by their counter's address) and step by an odd constant.
            let seed = next.get().wrapping_add(0x9e37_79b9_7f4a_7c15_u64 as usize);
            next.set(seed);
            seed ^ (next as *const _ as usize)
        })
    }
}

/// Ends the process once everything is written, without the C library's exit handlers.
/// mimalloc's handler frees and returns to the OS every page the build used (at 10,000
/// documents, 0.1 s after the site and the manifest are in place, an eighth of a one-edit
/// rebuild); the OS takes the memory back at once anyway. Nothing of accord's runs at exit:
/// every file is written and closed before `run` returns or waited for here, and standard
/// output is flushed here.
fn exit_now(code: i32) -> ! {
    use std::io::Write;
    // Files written beside the command (the documents' pack, the kept model) are in place
    // first.
    accord::cache::wait();
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(unix)]
    // SAFETY: `_exit` ends the process at once; no Rust code or destructor runs after it.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

/// Past a file size limit (`ulimit -f`) the OS kills a writer with SIGXFSZ unless it is
/// ignored; ignored, the write fails with EFBIG and the build reports it like a full disk,
/// keeping the last good site.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread starts; SIG_IGN installs no code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
