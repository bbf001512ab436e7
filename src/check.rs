//! Check: every internal link, asset and `#fragment` of a rendered site resolves, and every
//! link is page-relative so the site works from disk, at a root and under a sub-path.

use crate::write::OutputFile;
use lol_html::{HtmlRewriter, Settings, element};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

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

/// What link checking needs of one page: the ids it holds and the links it makes (each once,
/// in page order; `mailto:` and other external links included, they are skipped later).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PageLinks {
    pub ids: HashSet<String>,
    pub links: Vec<String>,
}

/// The ids and links of an HTML page. lol_html tokenizes the page as a stream without
/// building a tree, which is several times faster than a full parse on tens of thousands of
/// pages; the page is read, never rewritten.
pub fn scan(html: &[u8]) -> PageLinks {
    let found = RefCell::new(PageLinks::default());
    let mut seen: HashSet<String> = HashSet::new();
    let settings =
        Settings::new().append_element_content_handler(element!("[id], [href], [src]", |el| {
            let mut found = found.borrow_mut();
            for attr in el.attributes() {
                // lol_html gives values as written; a browser decodes their entities.
                let value = || {
                    let v = attr.value();
                    if v.contains('&') {
                        html_escape::decode_html_entities(&v).into_owned()
                    } else {
                        v
                    }
                };
                match attr.name().as_str() {
                    "id" => {
                        found.ids.insert(value());
                    }
                    "href" | "src" => {
                        let link = value();
                        if !seen.contains(&link) {
                            seen.insert(link.clone());
                            found.links.push(link);
                        }
                    }
                    _ => {}
                }
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // The tokenizer only fails on memory limits or handler errors, and neither applies: a
    // page it cannot read shows up as missing ids and links, which the check then reports.
    let _ = rewriter.write(html);
    let _ = rewriter.end();
    found.into_inner()
}

/// Finds every broken internal link among `files` (pages are the `.html` files).
pub fn check_links(files: &[OutputFile]) -> Vec<BrokenLink> {
    let pages: HashMap<String, PageLinks> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.clone(), scan(&f.bytes)))
        .collect();
    let paths: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    verify(&paths, &pages)
}

/// The broken links among `pages` (page path → its ids and links) in a site holding the
/// files at `paths`; sorted, each once.
pub fn verify(paths: &HashSet<String>, pages: &HashMap<String, PageLinks>) -> Vec<BrokenLink> {
    let mut broken: Vec<BrokenLink> = pages
        .par_iter()
        .flat_map_iter(|(page, found)| {
            found.links.iter().filter_map(move |link| {
                let reason = check_one(page, link, paths, pages)?;
                Some(BrokenLink {
                    page: page.clone(),
                    link: link.clone(),
                    reason,
                })
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
    paths: &HashSet<String>,
    pages: &HashMap<String, PageLinks>,
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
            let found = pages
                .get(target.as_str())
                .is_some_and(|p| p.ids.contains(f));
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

    #[test]
    fn entities_in_attributes_are_decoded_as_a_browser_would() {
        let files = [
            page(
                "index.html",
                r##"<a href="a&#x2F;index.html#x&amp;y">1</a><p id="q&amp;r"></p><a href="#q&amp;r">2</a>"##,
            ),
            page("a/index.html", r#"<p id="x&y"></p>"#),
        ];
        assert_eq!(check_links(&files), vec![]);
    }
}
