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
        assert!(
            out.join(format!("organizations/{}/index.html", o.id))
                .is_file()
        );
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
    // The site's static/ replaces the built-in stylesheet.
    let css = std::fs::read_to_string(out.join("static/style.css")).unwrap();
    assert!(css.contains("OVERRIDDEN-CSS-MARKER"));
}

#[test]
fn extract_prints_the_json_contract_for_just_the_given_file() {
    let o = accord(&[
        "extract",
        fixture("small")
            .join("seeds/lakeside-harbor.md")
            .to_str()
            .unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "accord-model/1");
    for key in [
        "sources",
        "organizations",
        "people",
        "partnerships",
        "commitments",
        "events",
        "topics",
        "countries",
    ] {
        assert!(v[key].is_array(), "{key}");
    }
    assert_eq!(v["sources"][0]["path"], "lakeside-harbor.md");
    assert_eq!(
        v["sources"][0]["title"],
        "Lakeside University and Harbor Institute of Technology join forces on robotics"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    // Hidden entries (a fixture's own .accord-cache from an earlier test) are not copied.
    let walk = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for e in walk {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[test]
fn an_analysts_correction_survives_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("small"), &site);
    std::fs::write(
        site.join("seeds/lakeside-harbor.facts.toml"),
        "[[organizations]]\nname = \"Lakeside University\"\ncountry = \"Canada\"\nkind = \"university\"\n\n\
         [[people]]\nname = \"Dana Whitfield\"\nrole = \"Vice-chancellor\"\n",
    )
    .unwrap();
    let out = site.join("public");
    for _ in 0..2 {
        build(&site, &out);
        let m = model(&out);
        let o = m
            .organizations
            .iter()
            .find(|o| o.name == "Lakeside University")
            .expect("org");
        assert_eq!(o.country.as_deref(), Some("Canada"));
        let p = m
            .people
            .iter()
            .find(|p| p.name == "Dana Whitfield")
            .expect("person");
        assert_eq!(p.role.as_deref(), Some("Vice-chancellor"));
    }
}

#[test]
fn extract_toml_prints_a_draft_that_reads_back_as_facts() {
    let o = accord(&[
        "extract",
        fixture("small")
            .join("seeds/lakeside-harbor.md")
            .to_str()
            .unwrap(),
        "--format",
        "toml",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let facts: accord::curate::Facts = toml::from_str(&text).expect("draft parses as a facts file");
    assert!(
        facts
            .organizations
            .iter()
            .any(|o| o.name == "Lakeside University"),
        "{text}"
    );
}

#[test]
fn a_cached_build_is_byte_identical_to_a_clean_one_and_sees_changes() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("small"), &site);
    let root = site.to_str().unwrap();
    let out = |name: &str| dir.path().join(name);
    let clean = accord(&[
        "build",
        "--root",
        root,
        "--output",
        out("clean").to_str().unwrap(),
        "--no-cache",
    ]);
    assert!(clean.status.success());
    assert!(
        !site.join(".accord-cache").exists(),
        "--no-cache writes no cache"
    );
    build(&site, &out("first"));
    assert!(site.join(".accord-cache").is_dir());
    build(&site, &out("cached"));
    assert_eq!(read_tree(&out("clean")), read_tree(&out("cached")));
    assert_eq!(read_tree(&out("first")), read_tree(&out("cached")));

    let doc = site.join("seeds/lakeside-harbor.md");
    let text = std::fs::read_to_string(&doc)
        .unwrap()
        .replace("$12 million", "$15 million");
    std::fs::write(&doc, text).unwrap();
    build(&site, &out("changed"));
    let m = model(&out("changed"));
    assert!(
        m.commitments.iter().any(|c| c.amount.text == "$15 million"),
        "a changed document is extracted again"
    );
}

#[test]
fn a_page_saved_from_a_browser_gives_its_article_and_partnership() {
    let file = fixture("html-page").join("seeds/saved-page.html");
    let o = accord(&["extract", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: accord::model::Model = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(m.sources[0].title, "Lakeside and Harbor team up");
    assert_eq!(m.sources[0].publisher.as_deref(), Some("Tidewater News"));
    let text: String = m.sources[0].paragraphs.concat().join(" ");
    assert!(
        !text.contains("Cookie") && !text.contains("Most read"),
        "{text}"
    );
    assert_eq!(m.partnerships.len(), 1);
    assert!(m.commitments.iter().any(|c| c.amount.text == "$12 million"));
}

/// Two documents with the same file name in different folders (a folder per year is a common
/// way to keep articles) each get a source page of their own, and their citations point at it —
/// also when the second arrives after a cached build made the first's page `sources/report/`.
#[test]
fn documents_sharing_a_file_name_get_pages_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    let article = |title: &str, org: &str| {
        format!(
            "+++\ntitle = \"{title}\"\ndate = \"2025-03-10\"\n+++\n\n{org} University and the \
             Harbor Institute of Technology signed a memorandum of understanding on Monday to \
             jointly research marine robotics.\n"
        )
    };
    std::fs::create_dir_all(root.join("seeds/2023")).unwrap();
    std::fs::create_dir_all(root.join("seeds/2024")).unwrap();
    std::fs::write(root.join("accord.toml"), "title = \"Test\"\n").unwrap();
    std::fs::write(
        root.join("seeds/2023/report.md"),
        article("Lakeside robotics pact", "Lakeside"),
    )
    .unwrap();
    build(&root, &out);
    assert!(out.join("sources/report/index.html").is_file());

    std::fs::write(
        root.join("seeds/2024/report.md"),
        article("Riverside robotics pact", "Riverside"),
    )
    .unwrap();
    build(&root, &out);
    assert!(!out.join("sources/report").exists());
    let page = |id: &str| std::fs::read_to_string(out.join(format!("sources/{id}/index.html")));
    assert!(
        page("2023-report")
            .unwrap()
            .contains("Lakeside robotics pact")
    );
    assert!(
        page("2024-report")
            .unwrap()
            .contains("Riverside robotics pact")
    );
    let m = model(&out);
    let ids: Vec<&str> = m.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["2023-report", "2024-report"]);
    for p in &m.partnerships {
        for c in &p.citations {
            assert!(ids.contains(&&*c.source), "{:?}", c.source);
        }
    }
    assert!(!m.partnerships.is_empty());
}
