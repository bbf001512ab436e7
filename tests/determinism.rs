//! The same input gives the same bytes: across runs and whatever the number of threads.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

/// Builds `root` into `out` with `threads` worker threads, extracting every document afresh.
fn build_with_threads(root: &Path, out: &Path, threads: usize) {
    let o = Command::new(env!("CARGO_BIN_EXE_accord"))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args([
            "build",
            "--no-cache",
            "--base-url",
            "https://example.test/briefing/",
        ])
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run accord");
    assert!(
        o.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gen_corpus(&site, 6);
    // odd names whose slugs collide and are disambiguated, and a saved web page
    for (fixture_site, f) in [
        ("small", "lakeside-harbor.md"),
        ("hostile", "names-with-slashes.txt"),
        ("hostile", "japanese-names.md"),
        ("html-page", "saved-page.html"),
    ] {
        let from = fixture(fixture_site).join("seeds").join(f);
        std::fs::copy(from, site.join("seeds").join(f)).unwrap();
    }
    let one = dir.path().join("one");
    let four = dir.path().join("four");
    let again = dir.path().join("again");
    build_with_threads(&site, &one, 1);
    build_with_threads(&site, &four, 4);
    build_with_threads(&site, &again, 4);
    let reference = read_tree(&one);
    assert!(reference.len() > 50, "{} files", reference.len());
    for (name, out) in [("4 threads", &four), ("a second run", &again)] {
        let tree = read_tree(out);
        let differ: Vec<&String> = reference
            .keys()
            .chain(tree.keys())
            .filter(|k| reference.get(*k) != tree.get(*k))
            .collect();
        assert!(differ.is_empty(), "{name}: these files differ: {differ:?}");
    }
}
