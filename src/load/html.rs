//! HTML pages saved from a browser: the main article is found by dom_smoothie (a port of
//! Mozilla's Readability, the algorithm behind Firefox's reader view) and handed on as Markdown,
//! with the page's metadata (title, byline, date, site name, canonical URL) as front matter.

use super::{DateValue, FrontMatter};
use crate::error::DocError;
use dom_smoothie::{Config, Readability, TextMode};
use std::path::Path;

/// The article of an HTML page: its front matter and its body as Markdown.
pub fn article(path: &Path, html: &str) -> Result<(FrontMatter, String), DocError> {
    let cfg = Config {
        text_mode: TextMode::Markdown,
        ..Config::default()
    };
    let mut reader = Readability::new(html, None, Some(cfg))
        .map_err(|e| DocError::file(path, format!("cannot read the HTML page: {e}")))?;
    let a = reader.parse().map_err(|e| {
        DocError::file(path, format!("no article text found in the HTML page: {e}"))
            .help("save the page's article as .txt or .md instead")
    })?;
    let text = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let front = FrontMatter {
        title: Some(a.title.trim().to_owned()).filter(|t| !t.is_empty()),
        author: text(a.byline),
        date: text(a.published_time).map(DateValue::Text),
        publisher: text(a.site_name),
        source_url: text(a.url),
        dek: text(a.excerpt),
        lang: text(a.lang),
        ..FrontMatter::default()
    };
    Ok((front, a.text_content.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same page the integration fixture holds.
    const PAGE: &str = include_str!("../../tests/sites/html-page/seeds/saved-page.html");

    #[test]
    fn the_article_and_its_metadata_are_found_and_the_page_chrome_is_not() {
        let (front, body) = article(Path::new("a.html"), PAGE).unwrap();
        assert_eq!(front.date.unwrap().as_text(), "2025-03-10T09:00:00Z");
        assert_eq!(front.publisher.as_deref(), Some("Tidewater News"));
        assert!(
            body.contains("Orbitel Corp. will provide $12 million"),
            "{body}"
        );
        assert!(!body.contains("Cookie settings"), "{body}");
        assert!(!body.contains("Most read"), "{body}");
    }
}
