//! The page header: title, dek, byline, date and masthead before the article body, and the
//! dateline ("CITY, State — ", "CITY, Month D, YYYY (WIRE) -- ") that opens the body.

use super::blocks::{Block, Kind};
use super::clutter::{RULES, is_shouting};
use crate::extract::dates::parse_published;
use crate::model::Date;
use regex::Regex;
use std::sync::LazyLock;

/// What the header says about the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Headline.
    pub title: Option<String>,
    /// Subtitle.
    pub dek: Option<String>,
    /// Byline name.
    pub author: Option<String>,
    /// Date on the page.
    pub published: Option<Date>,
    /// Masthead, if one is recognisable.
    pub publisher: Option<String>,
}

static BY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:by|von|par|written by)\s+(.+)$").expect("by"));
static NAME_COMMA_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{L}'’\-]+(?:\s+\p{Lu}[\p{L}'’\-.]+){1,3}),\s+[\p{L}. ]{2,40}$")
        .expect("byline")
});
static PR_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.{2,120}?)\s*(?:--\s*)?(?:\((?:BUSINESS WIRE|GLOBE NEWSWIRE|PRNewswire|PR Newswire|ACCESSWIRE|Newsfile)\)|/\s*PRNewswire\s*/)\s*(?:--|—|–)\s*")
        .expect("pr dateline")
});
static NEWS_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\p{Lu}{2}[\p{Lu}\p{M} .'\-]{0,40}(?:,\s*\p{Lu}[\p{L}.\- ]{1,30}){0,2})\s*(?:—|–|--)\s*",
    )
    .expect("dateline")
});

/// "Oldtown, 18 May 2023 — ": a place and a date before a dash.
static DATED_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[^—–]{4,60}?\d{4})\s*(?:—|–|--)\s*").expect("dated dateline")
});

/// The parts of a header line split at `·` or `|`.
fn segments(text: &str) -> Vec<&str> {
    text.split(['·', '|', '•'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Reads the header blocks (everything before the body).
pub fn parse(blocks: &[Block]) -> Meta {
    let mut meta = Meta::default();
    let heading_title = blocks
        .iter()
        .find(|b| b.kind == Kind::Heading(1))
        .map(|b| b.text.clone());
    for (i, b) in blocks.iter().enumerate() {
        let text = b.text.trim_matches(['*', '_', ' ']);
        if text.is_empty() {
            continue;
        }
        // a short name right above a navigation row is the masthead, not the headline
        let above_nav = blocks.get(i + 1).is_some_and(|n| RULES.is_nav(&n.text));
        if meta.title.is_none() && above_nav && words(text) <= 5 && !text.ends_with(['.', '!', '?'])
        {
            meta.publisher = meta.publisher.or_else(|| Some(text.to_owned()));
            continue;
        }
        let mut meta_line = false;
        for seg in segments(text) {
            if let Some(c) = BY.captures(seg) {
                let name = c.get(1).map_or("", |m| m.as_str());
                let name = name.split(',').next().unwrap_or(name).trim();
                if meta.author.is_none() && (1..=5).contains(&words(name)) {
                    meta.author = Some(name.to_owned());
                }
                meta_line = true;
            } else if words(seg) <= 8
                && seg.chars().any(|c| c.is_ascii_digit())
                && let Some(d) = parse_published(seg)
            {
                if meta.published.is_none() {
                    meta.published = Some(d);
                }
                meta_line = true;
            }
        }
        if meta_line {
            continue;
        }
        if RULES.is_clutter(text) || RULES.is_press(text) {
            if meta.publisher.is_none() && meta.title.is_none() && !RULES.is_press(text) {
                meta.publisher = masthead(text);
            }
            continue;
        }
        if meta.title.is_some()
            && meta.author.is_none()
            && words(text) <= 6
            && let Some(c) = NAME_COMMA_ROLE.captures(text)
        {
            meta.author = c.get(1).map(|m| m.as_str().to_owned());
            continue;
        }
        if meta.title.is_none() {
            if heading_title.is_some() && b.kind != Kind::Heading(1) {
                continue; // a line before the headline: a masthead or a kicker
            }
            if words(text) == 1 {
                continue; // a section label ("Analysis")
            }
            if heading_title.is_none()
                && looks_like_masthead(text)
                && longer_line_follows(&blocks[i + 1..])
            {
                meta.publisher = meta.publisher.or_else(|| Some(text.to_owned()));
                continue;
            }
            meta.title = Some(text.to_owned());
        } else if meta.dek.is_none()
            && words(text) >= 5
            && b.kind != Kind::Heading(1)
            && meta.published.is_none()
        {
            meta.dek = Some(text.to_owned());
        }
    }
    meta
}

/// A short name in title case ("The Zed Chip Review"): every word capitalized but small ones.
fn looks_like_masthead(text: &str) -> bool {
    let small = ["of", "the", "and", "&", "for", "on", "in", "a"];
    words(text) <= 4
        && !text.ends_with(['.', '!', '?', ':'])
        && text
            .split_whitespace()
            .all(|w| small.contains(&w) || w.chars().next().is_some_and(|c| c.is_uppercase()))
}

/// Whether a longer headline-like line comes before the byline or date.
fn longer_line_follows(rest: &[Block]) -> bool {
    for b in rest {
        let t = b.text.trim_matches(['*', '_', ' ']);
        if BY.is_match(t) || (t.chars().any(|c| c.is_ascii_digit()) && parse_published(t).is_some())
        {
            return false;
        }
        if words(t) >= 5 && !RULES.is_clutter(t) {
            return true;
        }
    }
    false
}

/// A masthead's name from a shouting line or a "Name — Section | Section" row.
fn masthead(text: &str) -> Option<String> {
    let first = text.split(['|', '—', '–']).next()?.trim();
    let first = first.split("  ").next()?.trim();
    let ok = (1..=5).contains(&words(first))
        && !first.contains(['>', '›', ':', '['])
        && !RULES.is_press(first);
    (ok && (is_shouting(first) || text.contains('—') || text.contains('–')))
        .then(|| first.to_owned())
}

/// A dateline at the start of the first body paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Dateline {
    /// The paragraph without the dateline.
    pub rest: String,
    /// The place, as written ("OLDTOWN", "TOWNSEND, Ill.").
    pub place: String,
    /// The date in the dateline, if any.
    pub date: Option<Date>,
}

/// What `NEWS_DATELINE` needs of a text, looked at before the pattern is compiled: two
/// capitals first (a superset of `\p{Lu}`: `char::is_uppercase` also takes the few other
/// uppercase letters) and a dash somewhere. Its bounded repeats of Unicode letter classes make
/// an automaton that takes some 50 ms to build; most documents' first paragraphs fail this
/// test, so a rebuild that extracts only such documents never builds it.
fn may_be_news_dateline(text: &str) -> bool {
    let mut chars = text.chars();
    let capitals = (chars.next().is_some_and(char::is_uppercase))
        && (chars.next().is_some_and(char::is_uppercase));
    capitals && (text.contains(['—', '–']) || text.contains("--"))
}

/// Splits a dateline off a paragraph, if it has one.
pub fn dateline(text: &str) -> Option<Dateline> {
    let c = PR_DATELINE
        .captures(text)
        .or_else(|| {
            may_be_news_dateline(text)
                .then(|| NEWS_DATELINE.captures(text))
                .flatten()
        })
        .or_else(|| {
            DATED_DATELINE.captures(text).filter(|c| {
                c.get(1)
                    .is_some_and(|p| parse_published(p.as_str()).is_some())
            })
        })?;
    let (all, pre) = (c.get(0)?, c.get(1)?.as_str());
    let date = parse_published(pre);
    let place = pre
        .split(',')
        .take(2)
        .collect::<Vec<_>>()
        .join(",")
        .trim()
        .to_owned();
    let place = if date.is_some() {
        pre.split(',').next().unwrap_or(pre).trim().to_owned()
    } else {
        place
    };
    Some(Dateline {
        rest: text[all.end()..].to_owned(),
        place,
        date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> Block {
        Block {
            text: text.into(),
            line: 1,
            kind: Kind::Para,
        }
    }

    #[test]
    fn title_dek_byline_and_date_are_recognised() {
        let b: Vec<Block> = [
            "ZED GAZETTE",
            "Home | News | Tech | Arts",
            "Acme and Zorblat team up on robots",
            "The two firms will share a lab in the old mill district",
            "Jo Quill, Staff Writer",
            "March 3, 2021",
            "3 min read",
            "A robot arm on a bench",
            "Photo agency",
        ]
        .iter()
        .map(|t| block(t))
        .collect();
        let m = parse(&b);
        assert_eq!(
            m.title.as_deref(),
            Some("Acme and Zorblat team up on robots")
        );
        assert_eq!(
            m.dek.as_deref(),
            Some("The two firms will share a lab in the old mill district")
        );
        assert_eq!(m.author.as_deref(), Some("Jo Quill"));
        assert_eq!(m.published.unwrap().0, "2021-03-03");
        assert_eq!(m.publisher.as_deref(), Some("ZED GAZETTE"));
    }

    #[test]
    fn combined_byline_date_line_is_split() {
        let m = parse(&[
            block("Headline words here"),
            block("By Jo Quill · Dec. 13, 2023 (GMT+09:00) · 3 Min read"),
        ]);
        assert_eq!(m.author.as_deref(), Some("Jo Quill"));
        assert_eq!(m.published.unwrap().0, "2023-12-13");
    }

    #[test]
    fn wire_dateline_is_split_off_with_its_date() {
        let d = dateline(
            "PLACEVILLE, Ind., April 03, 2024 (GLOBE NEWSWIRE) -- Acme will build a plant.",
        )
        .unwrap();
        assert_eq!(d.rest, "Acme will build a plant.");
        assert_eq!(d.date.unwrap().0, "2024-04-03");
        let d = dateline("TOWNSEND, Ill.--(BUSINESS WIRE)--Two labs agreed.").unwrap();
        assert_eq!(
            (d.rest.as_str(), d.place.as_str()),
            ("Two labs agreed.", "TOWNSEND, Ill.")
        );
    }

    #[test]
    fn news_dateline_is_split_off() {
        let d = dateline("OLDTOWN, Wash. — Two schools agreed.").unwrap();
        assert_eq!(d.rest, "Two schools agreed.");
        assert!(dateline("The University said so — loudly.").is_none());
    }

    #[test]
    fn the_news_dateline_test_passes_every_text_the_pattern_matches() {
        let matching = [
            "OLDTOWN, Wash. — Two schools agreed.",
            "ÅLESUND -- The yard said.",
            "SÃO PAULO, Brazil – A lab opened.",
            "NEW YORK—Talks began.",
        ];
        for text in matching {
            assert!(NEWS_DATELINE.is_match(text), "{text}");
            assert!(may_be_news_dateline(text), "{text}");
        }
        for text in [
            "Oldtown — Two schools agreed.",
            "OLDTOWN: no dash here.",
            "A",
            "",
        ] {
            assert!(!may_be_news_dateline(text), "{text}");
            assert!(!NEWS_DATELINE.is_match(text), "{text}");
        }
    }
}
