//! Bad documents are all reported with file:line, and a failed build keeps the last good site.

mod common;

use common::*;

#[test]
fn every_bad_document_is_reported_with_its_line_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let o = try_build(&fixture("broken-documents"), &out);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("misspelled-key.md:3:"), "{err}");
    assert!(err.contains("valid keys are:"), "{err}");
    assert!(err.contains("broken-yaml.md:"), "{err}");
    assert!(
        err.contains("empty.txt: error: the document is empty"),
        "{err}"
    );
    assert!(!err.contains("fine.txt"), "{err}");
    assert!(!out.exists(), "nothing is written when a document is bad");
}

#[test]
fn failed_build_keeps_the_previous_site_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&fixture("small"), &out);
    let before = read_tree(&out);
    let o = try_build(&fixture("broken-documents"), &out);
    assert!(!o.status.success());
    assert_eq!(read_tree(&out), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".accord-lock"))
        .collect();
    assert_eq!(names, vec!["public"], "no staging folder left behind");
}

#[test]
fn unknown_config_key_names_the_valid_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("accord.toml"),
        "title = \"x\"\nbase_ulr = \"https://x.test/\"\n",
    )
    .unwrap();
    let o = accord(&["check", "--root", dir.path().to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("accord.toml:2:1"), "{err}");
    assert!(err.contains("base_url"), "{err}");
}

#[test]
fn missing_content_folder_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let o = accord(&["check", "--root", dir.path().to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("content folder not found"));
}
