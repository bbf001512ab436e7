//! Check: every internal link, asset and `#fragment` of a rendered site resolves, and every
//! link is page-relative so the site works from disk, at a root and under a sub-path.

use crate::write::OutputFile;
use rayon::prelude::*;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// A link that does not resolve, or that would break somewhere the site is opened.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    /// The page holding the link.
    pub page: String,
    /// The link as written.
    pub link: String,
    /// Why it is broken.
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: link `{}`: {}", self.page, self.link, self.reason)
    }
}

static LINKS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("[href], [src]").expect("static selector"));
static IDS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("[id]").expect("static selector"));

/// Finds every broken internal link among `files` (pages are the `.html` files).
pub fn check_links(files: &[OutputFile]) -> Vec<BrokenLink> {
    // Parsing is the expensive part and each page is independent: parse in parallel.
    let scanned: Vec<(&str, BTreeSet<String>, Vec<String>)> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            let html = Html::parse_document(&String::from_utf8_lossy(&f.bytes));
            let ids = html
                .select(&IDS)
                .filter_map(|el| el.value().attr("id").map(str::to_owned))
                .collect();
            let links = html
                .select(&LINKS)
                .flat_map(|el| {
                    ["href", "src"]
                        .into_iter()
                        .filter_map(move |a| el.value().attr(a))
                })
                .map(str::to_owned)
                .collect();
            (f.path.as_str(), ids, links)
        })
        .collect();
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(&str, String)> = Vec::new();
    for (page, page_ids, page_links) in scanned {
        ids.insert(page, page_ids);
        links.extend(page_links.into_iter().map(|l| (page, l)));
    }
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut broken: Vec<BrokenLink> = links
        .into_iter()
        .filter_map(|(page, link)| {
            let reason = check_one(page, &link, &paths, &ids)?;
            Some(BrokenLink {
                page: page.to_owned(),
                link,
                reason,
            })
        })
        .collect();
    broken.sort();
    broken.dedup();
    broken
}

fn check_one(
    page: &str,
    link: &str,
    paths: &BTreeSet<&str>,
    ids: &BTreeMap<&str, BTreeSet<String>>,
) -> Option<String> {
    if is_external(link) {
        return None;
    }
    if link.starts_with('/') {
        return Some(
            "root-relative links break from disk and under a sub-path; make it page-relative"
                .into(),
        );
    }
    let (path_part, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path_part = path_part.split('?').next().unwrap_or_default();
    let target = if path_part.is_empty() {
        page.to_owned()
    } else {
        match join(page, path_part) {
            Some(t) => t,
            None => return Some("climbs out of the site".into()),
        }
    };
    if target.is_empty()
        || target.ends_with('/')
        || (!paths.contains(target.as_str())
            && paths.contains(format!("{target}/index.html").as_str()))
    {
        return Some("a folder link must name its index.html to work from disk".into());
    }
    if !paths.contains(target.as_str()) {
        return Some(format!("no such file `{target}`"));
    }
    match fragment {
        Some(f) if !f.is_empty() => {
            let found = ids.get(target.as_str()).is_some_and(|set| set.contains(f));
            (!found).then(|| format!("no element with id `{f}` in `{target}`"))
        }
        _ => None,
    }
}

fn is_external(link: &str) -> bool {
    let scheme_end = link.find(':');
    let first_sep = link.find(['/', '?', '#']);
    match (scheme_end, first_sep) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Resolves `rel` against the folder of `page`; `None` when it climbs above the site root.
fn join(page: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let trailing_slash = rel.ends_with('/');
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing_slash {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
        }
    }

    #[test]
    fn resolving_links_and_fragments_pass() {
        let files = [
            page(
                "index.html",
                r##"<a href="a/index.html#x">a</a><a href="https://x.test/">e</a><a href="#top">t</a><p id="top"></p>"##,
            ),
            page(
                "a/index.html",
                r##"<p id="x"></p><a href="../index.html">home</a><link href="../style.css">"##,
            ),
            page("style.css", ""),
        ];
        assert_eq!(check_links(&files), vec![]);
    }

    #[test]
    fn missing_file_fragment_folder_and_root_links_are_reported() {
        let files = [
            page(
                "index.html",
                r##"<a href="b/index.html">1</a><a href="a/index.html#nope">2</a><a href="a/">3</a><a href="/a/index.html">4</a><a href="../../x">5</a>"##,
            ),
            page("a/index.html", ""),
        ];
        let reasons: Vec<_> = check_links(&files).into_iter().map(|b| b.link).collect();
        assert_eq!(
            reasons,
            vec![
                "../../x",
                "/a/index.html",
                "a/",
                "a/index.html#nope",
                "b/index.html"
            ]
        );
    }
}
