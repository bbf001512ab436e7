//! Small fixture sites: a document of our own becomes pages, and templates can be overridden.

mod common;

use common::*;

#[test]
fn small_site_has_a_page_per_partnership_and_organization() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&fixture("small"), &out);
    let m = model(&out);
    assert!(!m.partnerships.is_empty(), "no partnership found");
    for o in &m.organizations {
        assert!(out.join(format!("organizations/{}/index.html", o.id)).is_file());
    }
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("Small test site"), "config title shown");
}

#[test]
fn a_site_template_overrides_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&fixture("override"), &out);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("OVERRIDDEN-HOME-MARKER"), "{home}");
    // Pages whose templates were not overridden keep the built-in ones.
    assert!(out.join("partnerships/index.html").is_file());
}

#[test]
fn extract_prints_the_json_contract_for_just_the_given_file() {
    let o = accord(&["extract", fixture("small").join("seeds/lakeside-harbor.md").to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "accord-model/1");
    for key in ["sources", "organizations", "people", "partnerships", "commitments", "events", "topics", "countries"] {
        assert!(v[key].is_array(), "{key}");
    }
    assert_eq!(v["sources"][0]["path"], "lakeside-harbor.md");
    assert_eq!(v["sources"][0]["title"], "Lakeside University and Harbor Institute of Technology join forces on robotics");
}
