//! Clean: strip page clutter from a loaded document and keep the article — title, dek, byline,
//! date and body paragraphs, each paragraph split into sentences.

pub mod blocks;
pub mod clutter;
pub mod header;
pub mod markup;
pub mod sentences;

use crate::error::DocError;
use crate::extract::dates::parse_published;
use crate::load::{Document, Format};
use crate::model::{Source, SourceKind};
use blocks::{Block, Kind};
use clutter::RULES;
use std::sync::Arc;

/// A cleaned document: its `Source` record (metadata and paragraphs of sentences) plus where
/// each paragraph came from in the file, for error messages.
#[derive(Debug, Clone)]
pub struct Article {
    /// The source record: metadata and the body as paragraphs of sentences.
    pub source: Source,
    /// 1-based line in the file of each paragraph in `source.paragraphs`.
    pub lines: Vec<usize>,
    /// Read an ambiguous "09/04/2024" as 9 April (front matter `day_first`, else the site's).
    pub day_first: bool,
}

/// Cleans one document.
pub fn clean(doc: &Document) -> Result<Article, DocError> {
    let blocks = match doc.format {
        Format::Text => blocks::text_blocks(&doc.body, doc.body_line),
        // load turns an HTML page into Markdown (its main article, found by dom_smoothie).
        Format::Markdown | Format::Html => blocks::markdown_blocks(&doc.body, doc.body_line),
    };
    // tags never reach the article, whatever the format
    let blocks: Vec<Block> = blocks
        .into_iter()
        .map(|b| Block {
            text: markup::strip_tags(&b.text).into_owned(),
            ..b
        })
        .filter(|b| !b.text.trim().is_empty() || b.kind == Kind::Rule)
        .collect();
    let press = blocks.iter().any(|b| RULES.is_press(&b.text));
    let start = body_start(&blocks);
    let meta = header::parse(&blocks[..start]);
    let mut paragraphs = Vec::new();
    let mut lines = Vec::new();
    let mut dateline_date = None;
    for b in &blocks[start..] {
        let text = b.text.trim_matches(['*', '_', ' ']);
        if RULES.is_end(text) {
            break;
        }
        if matches!(b.kind, Kind::Rule | Kind::Heading(_))
            || text.is_empty()
            || RULES.is_clutter(text)
        {
            continue;
        }
        let mut text = text.to_owned();
        if paragraphs.is_empty()
            && let Some(d) = header::dateline(&text)
        {
            dateline_date = d.date;
            text = d.rest;
        }
        let sentences = sentences::split(&text);
        if !sentences.is_empty() {
            paragraphs.push(sentences.into_iter().map(Arc::from).collect());
            lines.push(b.line);
        }
    }
    let front = &doc.front;
    let stem = crate::load::stem(&doc.rel);
    let published = front
        .date
        .as_ref()
        .map(|d| d.as_text())
        .and_then(|t| parse_published(&t))
        .or(meta.published)
        .or(dateline_date);
    let kind = match front.kind.as_deref() {
        Some("press-release") => SourceKind::PressRelease,
        Some("note") => SourceKind::Note,
        Some("news") => SourceKind::News,
        _ if press => SourceKind::PressRelease,
        _ => SourceKind::News,
    };
    let text = |v: Option<&String>| {
        v.map(|t| markup::strip_tags(t).trim().to_owned())
            .filter(|t| !t.is_empty())
    };
    let source = Source {
        id: crate::slug::slugify(stem),
        path: doc.rel.clone(),
        title: text(front.title.as_ref())
            .or(meta.title)
            .unwrap_or_else(|| stem.to_owned()),
        dek: text(front.dek.as_ref())
            .or_else(|| text(front.subtitle.as_ref()))
            .or_else(|| text(front.description.as_ref()))
            .or(meta.dek),
        author: text(front.author.as_ref()).or(meta.author),
        publisher: text(front.publisher.as_ref()).or(meta.publisher),
        published,
        url: front
            .source_url
            .as_deref()
            .or(front.url.as_deref())
            .and_then(markup::safe_url),
        kind,
        paragraphs,
    };
    Ok(Article {
        source,
        lines,
        day_first: doc.front.day_first.unwrap_or(false),
    })
}

/// Index of the first block of article prose: a sentence of at least eight words that is not
/// clutter. Everything before it is header.
fn body_start(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .position(|b| {
            let t = b.text.trim_matches(['*', '_', ' ']);
            matches!(b.kind, Kind::Para | Kind::Quote)
                && t.split_whitespace().count() >= 8
                && t.ends_with(['.', '!', '?', '"', '”', '’', ':'])
                && !RULES.is_clutter(t)
                && !RULES.is_end(t)
        })
        .map(|start| summary_list_start(blocks, start))
        .unwrap_or(blocks.len().min(1))
}

/// A summary list right before the first prose (headings may sit between) belongs to the
/// body: its items are sentences ("- Acme opens a lab"), at least two of three words or more.
fn summary_list_start(blocks: &[Block], start: usize) -> usize {
    let mut k = start;
    while k > 0 && matches!(blocks[k - 1].kind, Kind::Item | Kind::Heading(2..)) {
        k -= 1;
    }
    let items = || blocks[k..start].iter().filter(|b| b.kind == Kind::Item);
    let sentences = items().all(|b| b.text.split_whitespace().count() >= 3);
    if items().count() >= 2 && sentences {
        k + blocks[k..start]
            .iter()
            .position(|b| b.kind == Kind::Item)
            .unwrap_or(0)
    } else {
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn doc(name: &str, body: &str) -> Document {
        crate::load::parse(
            Path::new(name),
            name.to_owned(),
            body.as_bytes(),
            &crate::load::Limits::default(),
        )
        .unwrap()
    }

    const PAGE: &str = "ZED GAZETTE\nHome | News | Tech | Arts\n\nAcme and Zorblat team up on robots\n\n\
        The two firms will share a lab in the old mill district\n\nJo Quill, Staff Writer\n\nMarch 3, 2021\n\n\
        3 Min Read\nA robot arm on a bench\nPhoto Agency Images\n\n\
        OLDTOWN, Wash. — Acme Robotics and the University of Zorblat will build robots together. They start in May.\n\n\
        Related:Another story about robots\n\n\
        “We are thrilled,” said Mo Fenn, the dean.\n\n\
        About the Author\n\nJo Quill\n\nJo Quill writes about robots for Zed Gazette.\n\nYou May Also Like\n";

    #[test]
    fn clutter_is_dropped_and_the_article_kept() {
        let a = clean(&doc("news/acme-zorblat.txt", PAGE)).unwrap();
        let s = &a.source;
        assert_eq!(s.id, "acme-zorblat");
        assert_eq!(s.title, "Acme and Zorblat team up on robots");
        assert_eq!(s.author.as_deref(), Some("Jo Quill"));
        assert_eq!(s.published.as_ref().unwrap().0, "2021-03-03");
        assert_eq!(s.paragraphs.len(), 2, "{:?}", s.paragraphs);
        assert_eq!(
            &*s.paragraphs[0][0],
            "Acme Robotics and the University of Zorblat will build robots together."
        );
        assert_eq!(a.lines.len(), 2);
    }

    #[test]
    fn front_matter_wins_over_the_text() {
        let a = clean(&doc("a.md", "+++\ntitle = \"Given\"\ndate = 2020-01-02\nkind = \"note\"\n+++\n# Other\n\nSome body text that is long enough to count here.\n")).unwrap();
        assert_eq!(a.source.title, "Given");
        assert_eq!(a.source.published.unwrap().0, "2020-01-02");
        assert_eq!(a.source.kind, SourceKind::Note);
    }

    #[test]
    fn press_release_boilerplate_ends_the_article() {
        let body = "Acme picks a site\n\nTOWNSEND, Ill.--(BUSINESS WIRE)--Acme and Zorblat Labs signed an agreement to build a plant.\n\n\
            About Acme\nAcme makes anvils.\n\nContacts\nJo Quill\n###\n";
        let a = clean(&doc("pr.txt", body)).unwrap();
        assert_eq!(a.source.kind, SourceKind::PressRelease);
        assert_eq!(
            a.source.paragraphs,
            vec![vec![Arc::<str>::from(
                "Acme and Zorblat Labs signed an agreement to build a plant."
            )]]
        );
    }

    #[test]
    fn an_html_page_gives_its_article_text() {
        let page = "<html><head><title>Acme news</title></head><body><article>\
            <p>Acme and Zorblat Labs signed an agreement to build a plant in the north of the country next year.</p>\
            <p>The plant will employ two hundred people once it opens, the companies said on Monday.</p>\
            </article></body></html>";
        let a = clean(&doc("a.html", page)).unwrap();
        let text = a.source.paragraphs.concat().join(" ");
        assert!(text.contains("Acme and Zorblat Labs signed"), "{text}");
        assert!(!text.contains('<'), "{text}");
    }

    #[test]
    fn markdown_raw_html_never_reaches_the_text() {
        let a = clean(&doc("a.md", "# T\n\nA long enough paragraph with <b>html</b> inside it, to be kept.\n\n<script>alert(1)</script>\n")).unwrap();
        let all = a.source.paragraphs.concat().join(" ");
        assert!(!all.contains('<'), "{all}");
    }

    #[test]
    fn a_summary_list_before_the_prose_is_kept() {
        let a = clean(&doc(
            "a.md",
            "---\ntitle: Given\n---\n\n- Acme opens a new lab\n- Zorblat joins the effort\n\n## Details\n\nThe two firms said the lab would open in the spring of next year.\n",
        ))
        .unwrap();
        let first: Vec<&str> = a.source.paragraphs.iter().map(|p| &*p[0]).collect();
        assert_eq!(
            first[..2],
            ["Acme opens a new lab", "Zorblat joins the effort"]
        );
    }
}
