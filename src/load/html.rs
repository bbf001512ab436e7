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

    const PAGE: &str = r#"<!doctype html><html lang="en"><head>
<title>Lakeside and Harbor team up | Tidewater News</title>
<meta property="og:site_name" content="Tidewater News">
<meta property="article:published_time" content="2025-03-10T09:00:00Z">
<meta name="author" content="Test Writer">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Lakeside and Harbor team up</h1>
<p>Lakeside University and the Harbor Institute of Technology signed an agreement on Monday to study tides together, the two schools said in a joint statement.</p>
<p>Orbitel Corp. will provide $12 million over five years to support the work, which starts in the autumn with twelve researchers on each side.</p>
<p>"Robots that can read the sea will change how we protect it," said Dana Whitfield, president of Lakeside University.</p>
</article>
<aside>Most read: Something else entirely</aside>
<footer>Copyright Tidewater News. Cookie settings.</footer>
</body></html>"#;

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
