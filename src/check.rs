//! Check: every internal link, asset and `#fragment` of a rendered site resolves, and every
//! link is page-relative so the site works from disk, at a root and under a sub-path.

use crate::write::OutputFile;
use foldhash::{HashMap, HashSet};
use rayon::prelude::*;
use std::borrow::Cow;
use std::hash::BuildHasher;

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

/// A page's links as a build's manifest holds them: read from the page in this build, or as
/// the last build's manifest stored them (encoded), decoded only when a check looks at them —
/// a rebuild keeps most pages as they were and never looks at their links.
///
/// They are kept LZ4-compressed (lz4_flex): a page's links repeat the same few folders, and
/// compressed they are a quarter of the size, so the manifest, which every rebuild reads,
/// hashes, encodes and writes whole, shrinks by a third (81 MB to 50 MB at 10,000 documents).
/// A page's links are compressed when it is read, on the thread that made the page.
#[derive(Debug, Default)]
pub struct Links {
    raw: Vec<u8>,
    decoded: std::sync::OnceLock<PageLinks>,
}

impl Links {
    /// Links read from a page.
    pub fn read(links: PageLinks) -> Links {
        let raw = postcard::to_allocvec(&links)
            .map(|bytes| lz4_flex::compress_prepend_size(&bytes))
            .unwrap_or_default();
        Links {
            raw,
            decoded: std::sync::OnceLock::from(links),
        }
    }

    /// The ids and links. Stored links that do not decode read as none (the manifest they
    /// came from is checked whole when read, so only a bug in accord would show here).
    pub fn get(&self) -> &PageLinks {
        self.decoded.get_or_init(|| {
            lz4_flex::decompress_size_prepended(&self.raw)
                .ok()
                .and_then(|bytes| postcard::from_bytes(&bytes).ok())
                .unwrap_or_default()
        })
    }
}

impl serde::Serialize for Links {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.raw)
    }
}

impl<'de> serde::Deserialize<'de> for Links {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Links, D::Error> {
        let raw = serde_bytes::ByteBuf::deserialize(d)?;
        Ok(Links {
            raw: raw.into_vec(),
            decoded: std::sync::OnceLock::new(),
        })
    }
}

/// What holds a page's links, for `verify`.
pub trait HasLinks: Sync {
    fn links(&self) -> &PageLinks;
}

impl HasLinks for PageLinks {
    fn links(&self) -> &PageLinks {
        self
    }
}

impl HasLinks for Links {
    fn links(&self) -> &PageLinks {
        self.get()
    }
}

/// The ids and links of an HTML page.
///
/// Written here rather than taken from an HTML crate: lol_html, which did this before, runs a
/// full tokenizer with selector matching and was a sixth of a large build's CPU time, and a
/// tree parser is slower still. This follows the tokenizer of the HTML standard (WHATWG
/// §13.2.5) only as far as links need: markup declarations and comments are skipped, start
/// tags are read with their attributes (quoted, single-quoted and bare values; the first of a
/// repeated attribute wins), and the text of raw-text and RCDATA elements (`script`, `style`,
/// `textarea`, `title`, …) is skipped to its end tag. Values have their character references
/// decoded, as a browser would. `tests::scan_agrees_with_lol_html` holds it to lol_html's
/// reading on whole built sites and on awkward markup.
pub fn scan(html: &[u8]) -> PageLinks {
    let mut found = PageLinks::default();
    // Which links are in `found.links` already, by position: a set of their own would hold a
    // copy of each.
    let hasher = foldhash::fast::RandomState::default();
    let mut seen: hashbrown::HashTable<usize> = hashbrown::HashTable::new();
    let mut attrs: Vec<(&[u8], &[u8])> = Vec::new();
    let mut i = 0;
    let n = html.len();
    while let Some(k) = memchr::memchr(b'<', &html[i..]) {
        i += k;
        let rest = &html[i..];
        if rest.starts_with(b"<!--") {
            // A comment ends at the first `-->` or `--!>`; `<!-->` and `<!--->` are empty.
            let body = i + 4;
            i = if html[body..].starts_with(b">") {
                body + 1
            } else if html[body..].starts_with(b"->") {
                body + 2
            } else {
                // `--!>` is looked for only before the first `-->`, so each comment is read
                // once, however many the page has.
                let close = find(&html[body..], b"-->").map_or(n, |e| body + e + 3);
                let bang = find(&html[body..close], b"--!>").map(|e| body + e + 4);
                bang.unwrap_or(close)
            };
            continue;
        }
        // A declaration (`<!DOCTYPE …>`), a processing instruction or a `</` that names no
        // tag is a bogus comment, ending at the next `>`.
        let bogus = rest.starts_with(b"<!")
            || rest.starts_with(b"<?")
            || (rest.starts_with(b"</") && !rest.get(2).is_some_and(u8::is_ascii_alphabetic));
        if bogus {
            i = find(&html[i + 2..], b">").map_or(n, |e| i + 2 + e + 1);
            continue;
        }
        let end_tag = rest.starts_with(b"</");
        let name_at = if end_tag { i + 2 } else { i + 1 };
        if !html.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i += 1; // a `<` that opens no tag is text
            continue;
        }
        let mut j = name_at;
        while j < n
            && !matches!(
                html[j],
                b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'
            )
        {
            j += 1;
        }
        let name = &html[name_at..j];
        attrs.clear();
        // A tag the page ends inside is no tag.
        let Some(after) = attributes(html, j, &mut attrs) else {
            break;
        };
        i = after;
        if end_tag {
            continue;
        }
        // The first of a repeated attribute wins.
        let (mut id, mut href, mut src) = (false, false, false);
        for (attr, value) in &attrs {
            let value = || {
                // (`from_utf8` first: its check of ASCII runs a word at a time, and a page
                // written by accord is UTF-8; `from_utf8_lossy` goes a character at a time.)
                let v = match std::str::from_utf8(value) {
                    Ok(v) => Cow::Borrowed(v),
                    Err(_) => String::from_utf8_lossy(value),
                };
                if v.contains('&') {
                    html_escape::decode_html_entities(&v).into_owned()
                } else {
                    v.into_owned()
                }
            };
            let first = |taken: &mut bool| !std::mem::replace(taken, true);
            if attr.eq_ignore_ascii_case(b"id") {
                if first(&mut id) {
                    found.ids.insert(value());
                }
            } else if (attr.eq_ignore_ascii_case(b"href") && first(&mut href))
                || (attr.eq_ignore_ascii_case(b"src") && first(&mut src))
            {
                let link = value();
                let hash = hasher.hash_one(&link);
                if seen.find(hash, |&k| found.links[k] == link).is_none() {
                    let links = &found.links;
                    seen.insert_unique(hash, links.len(), |&k| hasher.hash_one(&links[k]));
                    found.links.push(link);
                }
            }
        }
        const RAW: &[&[u8]] = &[
            b"script",
            b"style",
            b"textarea",
            b"title",
            b"xmp",
            b"iframe",
            b"noembed",
            b"noframes",
            b"noscript",
        ];
        if let Some(raw) = RAW.iter().find(|r| name.eq_ignore_ascii_case(r)) {
            i = skip_to_end_tag(html, i, raw);
        } else if name.eq_ignore_ascii_case(b"plaintext") {
            i = n;
        }
    }
    found
}

/// Reads a tag's attributes from `at` (just after its name) to its `>`; returns the index
/// after the `>`, or `None` when the page ends first. Names are as written (any case).
fn attributes<'h>(
    html: &'h [u8],
    mut at: usize,
    out: &mut Vec<(&'h [u8], &'h [u8])>,
) -> Option<usize> {
    let n = html.len();
    let space = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    loop {
        while at < n && (space(html[at]) || html[at] == b'/') {
            at += 1;
        }
        if at >= n {
            return None;
        }
        if html[at] == b'>' {
            return Some(at + 1);
        }
        // The name: up to a space, `/`, `>` or `=` (a `=` first is part of the name).
        let start = at;
        at += 1;
        while at < n && !space(html[at]) && !matches!(html[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        let name = &html[start..at];
        while at < n && space(html[at]) {
            at += 1;
        }
        let mut value: &[u8] = &[];
        if at < n && html[at] == b'=' {
            at += 1;
            while at < n && space(html[at]) {
                at += 1;
            }
            match html.get(at) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &html[at + 1..])? + at + 1;
                    value = &html[at + 1..end];
                    at = end + 1;
                }
                Some(b'>') | None => {}
                Some(_) => {
                    let start = at;
                    while at < n && !space(html[at]) && html[at] != b'>' {
                        at += 1;
                    }
                    value = &html[start..at];
                }
            }
        }
        out.push((name, value));
    }
}

/// The index after the end tag `</name` (any case) that closes a raw-text element's content
/// starting at `at`, skipping to the tag's `>`.
fn skip_to_end_tag(html: &[u8], mut at: usize, name: &[u8]) -> usize {
    let n = html.len();
    while let Some(k) = find(&html[at..], b"</") {
        let t = at + k + 2;
        let closes = html.len() >= t + name.len()
            && html[t..t + name.len()].eq_ignore_ascii_case(name)
            && html
                .get(t + name.len())
                .is_none_or(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'));
        if closes {
            let mut sink = Vec::new();
            return attributes(html, t + name.len(), &mut sink).unwrap_or(n);
        }
        at = t;
    }
    n
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Finds every broken internal link among `files` (pages are the `.html` files).
pub fn check_links(files: &[OutputFile]) -> Vec<BrokenLink> {
    let pages: HashMap<String, PageLinks> = files
        .par_iter()
        .filter(|f| is_page(&f.path))
        .map(|f| (f.path.clone(), scan(&f.bytes)))
        .collect();
    let paths: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    verify(&paths, &pages)
}

/// Whether the file at `path` is a page, whose links are checked.
pub fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

/// The broken links among `pages` (page path → its ids and links) in a site holding the
/// files at `paths`; sorted, each once.
pub fn verify<L: HasLinks>(paths: &HashSet<String>, pages: &HashMap<String, L>) -> Vec<BrokenLink> {
    verify_some(paths, pages, None)
}

/// As `verify`, but only the links of the pages `only` names, when given: a rebuild knows
/// that the pages it kept link only to what is still there.
pub fn verify_some<L: HasLinks>(
    paths: &HashSet<String>,
    pages: &HashMap<String, L>,
    only: Option<&[String]>,
) -> Vec<BrokenLink> {
    let some: Vec<(&String, &L)> = match only {
        Some(only) => only
            .iter()
            .filter_map(|p| pages.get_key_value(p.as_str()))
            .collect(),
        None => pages.iter().collect(),
    };
    let mut broken: Vec<BrokenLink> = some
        .into_par_iter()
        .flat_map_iter(|(page, found)| {
            found.links().links.iter().filter_map(move |link| {
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

fn check_one<L: HasLinks>(
    page: &str,
    link: &str,
    paths: &HashSet<String>,
    pages: &HashMap<String, L>,
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
        Cow::Borrowed(page)
    } else {
        match resolve(page, path_part) {
            Some(t) => t,
            None => return Some("climbs out of the site".into()),
        }
    };
    let exists = paths.contains(&*target);
    if target.is_empty()
        || target.ends_with('/')
        || (!exists && paths.contains(format!("{target}/index.html").as_str()))
    {
        return Some("a folder link must name its index.html to work from disk".into());
    }
    if !exists {
        return Some(format!("no such file `{target}`"));
    }
    match fragment {
        Some(f) if !f.is_empty() => {
            let found = pages
                .get(&*target)
                .is_some_and(|p| p.links().ids.contains(f));
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

/// `join`, without making a new string for the link nearly every link is: one that climbs
/// from the page's folder to the site's root and goes down from there by plain segments
/// ("../../organizations/acme/index.html" from a page two folders deep), which leads to
/// what follows the climb. (Millions of links in a large site.)
fn resolve<'a>(page: &str, rel: &'a str) -> Option<Cow<'a, str>> {
    let depth = page.bytes().filter(|&b| b == b'/').count();
    let mut rest = rel;
    for _ in 0..depth {
        rest = match rest.strip_prefix("../") {
            Some(r) => r,
            None => return join(page, rel).map(Cow::Owned),
        };
    }
    let mut segments = rest.split('/').peekable();
    while let Some(seg) = segments.next() {
        let last = segments.peek().is_none();
        let plain = !matches!(seg, "." | "..") && (!seg.is_empty() || (last && !rest.is_empty()));
        if !plain {
            return join(page, rel).map(Cow::Owned);
        }
    }
    Some(Cow::Borrowed(rest))
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

    #[test]
    fn a_link_leads_where_joining_it_to_its_page_leads() {
        // Every link of up to five segments among these, from pages at each depth.
        let segments = ["..", ".", "", "a", "index.html"];
        let mut links = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = (links.iter())
                .flat_map(|l| segments.iter().map(move |s| format!("{l}{s}/")))
                .collect();
            links.extend(longer);
        }
        let links = links
            .iter()
            .flat_map(|l| [l.clone(), l.trim_end_matches('/').to_owned()]);
        let pages = [
            "index.html",
            "a/index.html",
            "a/b/index.html",
            "a/b/c/x.html",
        ];
        for link in links.filter(|l| !l.is_empty()) {
            for page in pages {
                let resolved = resolve(page, &link).map(Cow::into_owned);
                assert_eq!(resolved, join(page, &link), "{link} from {page}");
            }
        }
        assert!(matches!(
            resolve("a/b/index.html", "../../organizations/acme/index.html"),
            Some(Cow::Borrowed("organizations/acme/index.html"))
        ));
    }

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
