//! The bundled seed site builds end to end, and what a reader relies on holds in it.

mod common;

use accord::check::check_links;
use accord::write::OutputFile;
use common::*;
use scraper::{Html, Selector};

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&repo(), &out);
    (dir, out)
}

#[test]
fn bundled_site_builds_with_home_and_model() {
    let (_d, out) = built();
    assert!(out.join("index.html").is_file());
    let m = model(&out);
    assert_eq!(m.schema, "accord-model/1");
    assert!(!m.sources.is_empty());
}

#[test]
fn every_internal_link_and_fragment_resolves_on_disk() {
    let (_d, out) = built();
    let files: Vec<OutputFile> = read_tree(&out)
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect();
    let broken = check_links(&files);
    assert!(broken.is_empty(), "{broken:#?}");
    let html = files.iter().filter(|f| f.path.ends_with(".html")).count();
    assert!(html >= 8, "only {html} pages");
}

#[test]
fn no_link_is_root_relative_or_absolute_to_the_site() {
    let (_d, out) = built();
    let links = Selector::parse("[href], [src]").unwrap();
    for (path, bytes) in read_tree(&out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        for el in doc.select(&links) {
            let v = el.value().attr("href").or(el.value().attr("src")).unwrap();
            assert!(!v.starts_with('/'), "{path}: {v}");
        }
    }
}

#[test]
fn each_seed_partnership_and_organization_has_its_page() {
    let (_d, out) = built();
    let m = model(&out);
    for p in &m.partnerships {
        assert!(
            out.join("partnerships")
                .join(&p.id)
                .join("index.html")
                .is_file(),
            "{}",
            p.id
        );
    }
    for o in &m.organizations {
        assert!(
            out.join("organizations")
                .join(&o.id)
                .join("index.html")
                .is_file(),
            "{}",
            o.id
        );
    }
    let org = |name: &str| {
        m.organizations
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("no organization {name}"))
            .id
            .clone()
    };
    // The seed's two partnerships, with exactly these parties.
    for pair in [
        ["University of Washington", "University of Tsukuba"],
        ["Carnegie Mellon University", "Keio University"],
    ] {
        let mut want: Vec<String> = pair.iter().map(|n| org(n)).collect();
        want.sort();
        let found = m.partnerships.iter().any(|p| {
            let mut got = p.parties.clone();
            got.sort();
            got == want
        });
        assert!(found, "no partnership of {pair:?}");
    }
}

#[test]
fn a_citation_link_leads_to_the_sentence_it_cites() {
    let (_d, out) = built();
    let m = model(&out);
    let p = m.partnerships.first().expect("a partnership");
    let page =
        std::fs::read_to_string(out.join("partnerships").join(&p.id).join("index.html")).unwrap();
    let doc = Html::parse_document(&page);
    let a = Selector::parse("a[href*='sources/']").unwrap();
    let mut checked = 0;
    for el in doc.select(&a) {
        let href = el.value().attr("href").unwrap();
        let Some((file, frag)) = href.split_once('#') else {
            continue;
        };
        let target = out.join("partnerships").join(&p.id).join(file);
        let src = Html::parse_document(&std::fs::read_to_string(&target).unwrap());
        let sel = Selector::parse(&format!("[id='{frag}']")).unwrap();
        let text: String = src
            .select(&sel)
            .next()
            .expect("anchor exists")
            .text()
            .collect();
        // The anchor's text is exactly the sentence the model cites at that place.
        let source = file
            .trim_end_matches("/index.html")
            .rsplit('/')
            .next()
            .unwrap();
        let citations = all_citations(&m);
        let cited = citations.iter().find(|c| {
            &*c.source == source && format!("p{}-s{}", c.paragraph, c.sentence_index) == frag
        });
        let cited =
            cited.unwrap_or_else(|| panic!("{href}: no citation in the model points there"));
        assert_eq!(text.trim(), cited.sentence.trim(), "{href}");
        checked += 1;
    }
    assert!(checked > 0, "the partnership page links no source sentence");
}

fn all_citations(m: &accord::model::Model) -> Vec<accord::model::Citation> {
    let mut all = Vec::new();
    all.extend(m.partnerships.iter().flat_map(|p| p.citations.clone()));
    all.extend(m.organizations.iter().flat_map(|p| p.citations.clone()));
    all.extend(m.people.iter().flat_map(|p| p.citations.clone()));
    all.extend(
        m.people
            .iter()
            .flat_map(|p| p.quotes.iter().map(|q| q.citation.clone())),
    );
    all.extend(m.commitments.iter().flat_map(|p| p.citations.clone()));
    all.extend(m.events.iter().flat_map(|p| p.citations.clone()));
    all
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let (_a, out_a) = built();
    let (_b, out_b) = built();
    assert_eq!(read_tree(&out_a), read_tree(&out_b));
}

#[test]
fn check_command_writes_nothing_and_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("seeds")).unwrap();
    for f in std::fs::read_dir(repo().join("seeds")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), site.join("seeds").join(f.file_name())).unwrap();
    }
    let o = accord(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!site.join("public").exists());
}
