//! Hostile input: scripts, event handlers and dangerous URLs in sources never become live
//! markup, and odd names still give safe, stable file names.

mod common;

use common::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&fixture("hostile"), &out);
    (dir, out)
}

#[test]
fn no_output_file_holds_live_markup_from_a_source() {
    let (_d, out) = built();
    let tree = read_tree(&out);
    assert!(tree.len() > 5);
    // accord's own scripts (the search page loads three from static/) are not from a source.
    let own = regex::Regex::new(r#"<script src="(\.\./)*static/[a-z.-]+\.js"></script>"#).unwrap();
    // Nor is the 404 page's own script, which finds the site's root; no source text is in it.
    let not_found =
        regex::Regex::new(r#"(?s)<script data-root="">\n// accord 404: [^<]*</script>"#).unwrap();
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        let text = if path == "404.html" {
            not_found.replace(&text, "")
        } else {
            text
        };
        let text = own.replace_all(&text, "").to_lowercase();
        // The payloads all call alert(); none may appear inside live markup.
        for bad in [
            "<script",
            "<iframe",
            "<svg",
            "onerror=",
            "onclick=",
            "onload=",
            "onmouseover=",
            "javascript:",
            "vbscript:",
        ] {
            assert!(!text.contains(bad), "{path} contains `{bad}`");
        }
    }
}

#[test]
fn the_search_index_holds_no_markup_from_sources() {
    let (_d, out) = built();
    let index = std::fs::read_to_string(out.join("static/search-index.js")).unwrap();
    assert!(!index.contains('<'), "raw `<` in the search index");
}

#[test]
fn odd_names_give_safe_file_names_inside_the_output() {
    let (_d, out) = built();
    for path in read_tree(&out).keys() {
        assert!(path.is_ascii(), "{path}");
        for part in path.split('/') {
            assert!(
                !part.is_empty() && part != ".." && !part.starts_with('.') || part == ".nojekyll",
                "{path}"
            );
            let stem = part.split('.').next().unwrap().to_ascii_lowercase();
            assert!(
                !["con", "prn", "aux", "nul"].contains(&stem.as_str()),
                "{path}"
            );
        }
    }
}

#[test]
fn japanese_titles_are_kept_as_written() {
    let (_d, out) = built();
    let m = model(&out);
    let s = m
        .sources
        .iter()
        .find(|s| s.path == "japanese-names.md")
        .expect("source");
    assert_eq!(s.title, "東京大学と北海大学、AI研究で提携");
    assert!(s.id.is_ascii() && !s.id.is_empty());
    let page = std::fs::read_to_string(out.join("sources").join(&s.id).join("index.html")).unwrap();
    assert!(page.contains("東京大学と北海大学、AI研究で提携"));
}
