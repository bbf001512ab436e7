//! Faults: a build killed, out of disk space, or failing in a template on some pages leaves the
//! previous site exactly as it was, says why, and the next build leaves no stray folder.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A temp folder with the small fixture site built into `work/public`, and that site's files.
fn previous_site() -> (
    tempfile::TempDir,
    PathBuf,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("work/public");
    build(&fixture("small"), &out);
    let before = read_tree(&out);
    assert!(before.len() > 10);
    (dir, out, before)
}

/// Starts `accord build` of `root` into `out`, quietly.
fn spawn_build(root: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--no-cache", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run accord")
}

/// Whether a build's staging folder for `out` exists, i.e. the build is writing the new site.
fn writing(out: &Path) -> bool {
    std::fs::read_dir(out.parent().unwrap()).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".accord-new-")
    })
}

#[test]
fn a_build_killed_at_any_point_keeps_the_previous_site_and_the_next_build_cleans_up() {
    let (dir, out, before) = previous_site();
    let corpus = dir.path().join("corpus");
    gen_corpus(&corpus, 20);

    // What the corpus builds to when nothing stops it: a kill that comes too late (a fast
    // machine) finds that, never a mix of the two.
    let whole = dir.path().join("whole/public");
    build(&corpus, &whole);
    let after = read_tree(&whole);

    // killed early (reading, extracting), then later
    for delay in [20, 300] {
        let mut child = spawn_build(&corpus, &out);
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL: no chance to clean up
        child.wait().unwrap();
        let now = read_tree(&out);
        assert!(
            now == before || now == after,
            "killed after {delay} ms: the output is neither the previous site nor the new one"
        );
        if now == after {
            build(&fixture("small"), &out);
        }
    }
    let mut child = spawn_build(&corpus, &out);
    let deadline = Instant::now() + Duration::from_secs(300);
    let caught = loop {
        if writing(&out) {
            child.kill().unwrap();
            break true;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let _ = child.kill();
    child.wait().unwrap();
    assert!(
        caught,
        "the build ended before it could be killed while writing"
    );
    assert_eq!(read_tree(&out), before, "killed while writing");
    assert!(writing(&out), "the killed build left its staging folder");

    build(&fixture("small"), &out);
    assert_eq!(read_tree(&out), before);
    assert_eq!(
        beside(&out),
        ["public"],
        "the next build removed the stray folder"
    );
}

#[cfg(unix)]
#[test]
fn a_full_disk_fails_the_build_with_a_clear_error_and_keeps_the_previous_site() {
    let (dir, out, before) = previous_site();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("seeds")).unwrap();
    std::fs::copy(
        fixture("small").join("seeds/lakeside-harbor.md"),
        site.join("seeds/lakeside-harbor.md"),
    )
    .unwrap();
    // A long article, so its pages outgrow the limit below.
    let para = "Lakeside University and the Harbor Institute of Technology opened a robotics \
                lab in Port Lyle on March 3, 2025, the universities said.\n\n";
    std::fs::write(
        site.join("seeds/long.txt"),
        format!("Long\n\n{}", para.repeat(2000)),
    )
    .unwrap();

    // Files past 200 blocks (100 KiB or more) cannot be written, as on a full disk; the OS
    // would kill the writer with SIGXFSZ, which accord ignores to report the failed write.
    let o = Command::new("sh")
        .args(["-c", "ulimit -f 200 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a reported failure, not a kill: {err}"
    );
    assert!(err.contains("cannot write `"), "{err}");
    assert!(err.contains("File too large"), "{err}");
    assert!(
        err.contains(&format!("{} is left as it was", out.display())),
        "{err}"
    );
    assert_eq!(read_tree(&out), before);
    assert_eq!(beside(&out), ["public"], "no staging folder left behind");
    let cache = walkdir::WalkDir::new(site.join(".accord-cache"));
    for e in cache.into_iter().flatten() {
        let name = e.file_name().to_string_lossy();
        assert!(!name.contains(".tmp"), "half-written cache entry {name}");
    }
}

#[test]
fn a_template_failing_on_some_pages_names_the_template_and_keeps_the_previous_site() {
    let (_dir, out, before) = previous_site();
    let o = try_build(&fixture("template-error-some-pages"), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("templates/organization.html:6:"),
        "names the template and line: {err}"
    );
    assert!(
        err.contains("organizations/orbitel-corp/index.html"),
        "names the page: {err}"
    );
    assert!(err.contains("`parent` is not defined"), "{err}");
    assert_eq!(read_tree(&out), before);
    assert_eq!(beside(&out), ["public"]);
}
