//! URLs: page-relative links between the site's pages, safe output paths, and external-link checks.

use crate::slug::slugify;
use std::borrow::Cow;

/// The prefix that leads from the page at `path` back to the site root: "", "../", "../../".
pub fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// An id as a single safe path segment: kept when it is a plain slug, slugified otherwise.
pub fn segment(id: &str) -> Cow<'_, str> {
    let plain = !id.is_empty()
        && id != "."
        && id != ".."
        && id.len() <= 120
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if plain {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(slugify(id))
    }
}

/// Site path of a record page in `section` ("partnerships", "organizations", ...).
pub fn record(section: &str, id: &str) -> String {
    let mut path = String::new();
    record_into(&mut path, section, id);
    path
}

/// `record`, written into `path` (cleared first): for a lookup of many paths in turn.
pub fn record_into(path: &mut String, section: &str, id: &str) {
    path.clear();
    let segment = segment(id);
    // Sized once: grown part by part, a new path was made three times over.
    path.reserve(section.len() + segment.len() + "//index.html".len());
    for part in [section, "/", &segment, "/index.html"] {
        path.push_str(part);
    }
}

/// The file name of a record's own JSON, next to its page.
pub const RECORD_JSON: &str = "index.json";

/// Site path of a record's JSON (`partnerships/<id>/index.json`).
pub fn record_json(section: &str, id: &str) -> String {
    [section, "/", &segment(id), "/", RECORD_JSON].concat()
}

/// Site path of a section's list page.
pub fn list(section: &str) -> String {
    format!("{section}/index.html")
}

/// Site path of page `n` (from 1) of a list whose first page is at `first`
/// (`.../index.html`): the first page itself, then `.../page/2/index.html` and on, as Zola and
/// Hugo number them.
pub fn nth_page(first: &str, n: usize) -> String {
    match (n, first.strip_suffix("index.html")) {
        (0 | 1, _) | (_, None) => first.to_owned(),
        (n, Some(folder)) => format!("{folder}page/{n}/index.html"),
    }
}

/// The briefing's anchor for a record page it holds a section or line for: partnerships,
/// organizations, people, topics, countries and sources; `None` for any other page.
pub fn briefing_anchor(site_path: &str) -> Option<String> {
    let mut parts = site_path.split('#').next()?.split('/');
    let (section, id, file) = (parts.next()?, parts.next()?, parts.next()?);
    if file != "index.html" || parts.next().is_some() {
        return None;
    }
    let kind = match section {
        "partnerships" => "partnership",
        "organizations" => "organization",
        "people" => "person",
        "topics" => "topic",
        "countries" => "country",
        "sources" => "source",
        _ => return None,
    };
    Some([kind, "-", id].concat())
}

/// The page anchor of a sentence in a source page.
pub fn sentence_anchor(paragraph: usize, sentence: usize) -> String {
    format!("p{paragraph}-s{sentence}")
}

/// True when `path` is a relative path that stays inside the output folder.
pub fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// `url` when it is an absolute http or https URL with a host and nothing odd in it; such a
/// URL may become a link, anything else from a source is shown as text.
pub fn http_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let clean = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'));
    (clean && !host.is_empty()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_climbs_one_level_per_folder() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("people/index.html"), "../");
        assert_eq!(root_for("people/ada/index.html"), "../../");
    }

    #[test]
    fn later_pages_of_a_list_are_numbered_under_its_folder() {
        assert_eq!(
            nth_page("partnerships/index.html", 1),
            "partnerships/index.html"
        );
        assert_eq!(
            nth_page("partnerships/index.html", 2),
            "partnerships/page/2/index.html"
        );
        assert_eq!(
            nth_page("topics/ai/index.html", 12),
            "topics/ai/page/12/index.html"
        );
        assert!(is_safe_path(&nth_page("topics/ai/index.html", 3)));
    }

    #[test]
    fn odd_ids_become_safe_segments() {
        assert_eq!(segment("acme-2"), "acme-2");
        assert_eq!(segment("../../etc"), "etc");
        assert_eq!(segment(".."), "untitled");
        assert!(is_safe_path(&record("people", "/root")));
    }

    #[test]
    fn briefing_anchors_name_the_records_it_holds() {
        assert_eq!(
            briefing_anchor(&record("organizations", "acme")).as_deref(),
            Some("organization-acme")
        );
        assert_eq!(
            briefing_anchor("sources/s1/index.html#p1-s0").as_deref(),
            Some("source-s1")
        );
        assert_eq!(
            briefing_anchor(&record("people", "ada")).as_deref(),
            Some("person-ada")
        );
        assert_eq!(
            briefing_anchor(&record("countries", "freedonia")).as_deref(),
            Some("country-freedonia")
        );
        assert_eq!(briefing_anchor("people/index.html"), None);
        assert_eq!(briefing_anchor("timeline/index.html"), None);
    }

    #[test]
    fn unsafe_paths_are_refused() {
        for p in ["/abs", "a/../b", "a//b", "", "c:/x", "a\\b", "./a"] {
            assert!(!is_safe_path(p), "{p}");
        }
        assert!(is_safe_path("sources/x/index.html"));
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(
            http_url(" https://example.org/a "),
            Some("https://example.org/a")
        );
        assert_eq!(http_url("HTTP://example.org"), Some("HTTP://example.org"));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//example.org",
            "https://",
            "https://a b",
            "ftp://x",
        ] {
            assert_eq!(http_url(bad), None, "{bad}");
        }
    }
}
