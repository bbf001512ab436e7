//! Files that need absolute URLs, made only when accord.toml gives an http(s) `base_url`:
//! `sitemap.xml` and an Atom feed of the partnerships, newest first.

use super::format;
use super::index::Index;
use super::urls;
use crate::model::{Date, Partnership};
use serde::Serialize;
use tera::Context;

/// How many partnerships the feed carries.
const FEED_LEN: usize = 50;

/// The absolute URL of a site path, with a folder's `index.html` left off.
pub fn absolute(base: &str, path: &str) -> String {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    format!("{}/{path}", base.trim_end_matches('/'))
}

/// A date as an RFC 3339 timestamp at midnight UTC, from its most precise known part.
fn timestamp(d: &Date) -> Option<String> {
    let iso = format::date(d).iso.or_else(|| {
        d.0.get(..4)
            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
    })?;
    let mut parts = iso.split('-');
    let (y, m, day) = (
        parts.next()?,
        parts.next().unwrap_or("01"),
        parts.next().unwrap_or("01"),
    );
    Some(format!("{y}-{m}-{day}T00:00:00Z"))
}

#[derive(Serialize)]
struct Entry {
    title: String,
    url: String,
    updated: String,
    summary: String,
}

/// The context of `sitemap.xml`: every page's absolute URL.
pub fn sitemap(base: &str, paths: &[&str]) -> Context {
    let urls: Vec<String> = paths
        .iter()
        .filter(|p| **p != "404.html")
        .map(|p| absolute(base, p))
        .collect();
    let mut ctx = Context::new();
    ctx.insert("urls", &urls);
    ctx
}

/// Whether any partnership has a date the feed can carry: with a base URL, the site then has
/// an `atom.xml`, which every page names.
pub fn any_dated(ix: &Index<'_>) -> bool {
    ix.partnerships()
        .iter()
        .any(|p| p.announced.as_ref().and_then(timestamp).is_some())
}

/// The context of `atom.xml`, or none when no partnership has a date.
pub fn atom(ix: &Index<'_>, base: &str, title: &str, description: &str) -> Option<Context> {
    let mut dated: Vec<(String, &Partnership)> = ix
        .partnerships()
        .iter()
        .filter_map(|p| Some((timestamp(p.announced.as_ref()?)?, p)))
        .collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    let updated = dated.first()?.0.clone();
    let entries: Vec<Entry> = dated
        .into_iter()
        .take(FEED_LEN)
        .map(|(updated, p)| {
            let parties: Vec<&str> = p
                .parties
                .iter()
                .map(|id| ix.org(id.as_str()).map_or(id.as_str(), |o| o.name.as_str()))
                .collect();
            let funding = ix
                .total_usd(ix.commitments_of_partnership(&p.id).iter().copied())
                .map(format::usd);
            let summary = match funding {
                Some(f) => format!("{}; funding stated: {f}.", parties.join(", ")),
                None => format!("{}.", parties.join(", ")),
            };
            Entry {
                title: p.title.clone(),
                url: absolute(base, &urls::record("partnerships", &p.id)),
                updated,
                summary,
            }
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("title", title);
    ctx.insert("description", description);
    ctx.insert("home", &absolute(base, "index.html"));
    ctx.insert("self_url", &absolute(base, "atom.xml"));
    ctx.insert("updated", &updated);
    ctx.insert("entries", &entries);
    Some(ctx)
}

/// `robots.txt`: everything may be crawled; with an absolute base URL it names the sitemap.
/// (Crawlers read it only at a domain's root; under a sub-path it is harmless and ready to move.)
pub fn robots(base: Option<&str>) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = base {
        out.push_str(&format!("\nSitemap: {}\n", absolute(base, "sitemap.xml")));
    }
    out
}

/// A custom domain as GitHub Pages wants it in `CNAME`: a bare host name, lowercase.
pub fn domain(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    (name.len() <= 253 && name.contains('.') && name.split('.').all(label_ok)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_midnight_timestamps() {
        assert_eq!(
            timestamp(&Date("2024-04-15".into())).unwrap(),
            "2024-04-15T00:00:00Z"
        );
        assert_eq!(
            timestamp(&Date("2024-04".into())).unwrap(),
            "2024-04-01T00:00:00Z"
        );
        assert_eq!(
            timestamp(&Date("2023-summer".into())).unwrap(),
            "2023-01-01T00:00:00Z"
        );
        assert_eq!(timestamp(&Date("soon".into())), None);
    }

    #[test]
    fn folder_urls_leave_off_index_html() {
        assert_eq!(
            absolute("https://x.test/repo/", "people/a/index.html"),
            "https://x.test/repo/people/a/"
        );
        assert_eq!(
            absolute("https://x.test", "404.html"),
            "https://x.test/404.html"
        );
    }

    #[test]
    fn robots_names_the_sitemap_only_with_a_base_url() {
        assert_eq!(robots(None), "User-agent: *\nAllow: /\n");
        assert!(
            robots(Some("https://example.org/REPO/"))
                .ends_with("Sitemap: https://example.org/REPO/sitemap.xml\n")
        );
    }

    #[test]
    fn cname_is_a_bare_domain() {
        assert_eq!(
            domain(" Briefing.Example.org. ").as_deref(),
            Some("briefing.example.org")
        );
        for bad in [
            "https://example.org",
            "example.org/x",
            "localhost",
            "-a.org",
            "a..org",
            "",
        ] {
            assert_eq!(domain(bad), None, "{bad}");
        }
    }
}
