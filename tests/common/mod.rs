//! Helpers shared by the integration tests: run the binary on a fixture site, read its output.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, whose seeds/ is the bundled site.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site under tests/sites/.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/sites").join(name)
}

/// Runs `accord ARGS...` and returns its output.
pub fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .output()
        .expect("run accord")
}

/// Runs `accord build` for the site at `root` into `out`, whatever the outcome.
pub fn try_build(root: &Path, out: &Path) -> Output {
    accord(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
}

/// Builds the site at `root` into `out`; panics with stderr when the build fails.
pub fn build(root: &Path, out: &Path) -> Output {
    let o = try_build(root, out);
    assert!(
        o.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// The model a build wrote to data/model.json.
pub fn model(out: &Path) -> accord::model::Model {
    serde_json::from_slice(&std::fs::read(out.join("data/model.json")).unwrap()).unwrap()
}

/// What is beside the output folder `out` (its parent's entries), but the lock file that
/// stays by design: after a build, only the output itself.
pub fn beside(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".accord-lock"))
        .collect();
    names.sort();
    names
}

/// Writes a synthetic corpus of `n` documents (bench/gen_corpus.py) into `root/seeds/`.
pub fn gen_corpus(root: &Path, n: usize) {
    let status = Command::new("python3")
        .arg(repo().join("bench/gen_corpus.py"))
        .args(["--n", &n.to_string(), "--out", root.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/gen_corpus.py");
    assert!(status.success());
}
