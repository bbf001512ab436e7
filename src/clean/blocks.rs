//! Blocks: a document body cut into lines of text (paragraphs, headings, list items, quotes)
//! with the file line each starts on. Plain text goes line by line; Markdown goes through
//! pulldown-cmark, keeping text and dropping raw HTML and images.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// What a block was in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A paragraph or a plain line.
    Para,
    /// A heading of this level (1 = title).
    Heading(u8),
    /// A list item.
    Item,
    /// A paragraph inside a block quote.
    Quote,
    /// A horizontal rule.
    Rule,
}

/// One block of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The text, whitespace collapsed.
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
    /// What it was.
    pub kind: Kind,
}

/// Collapses runs of whitespace to one space and trims.
pub fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['.', '!', '?', ':', ';', '"', '”', '’', ')', ']'])
}

/// Blocks of a plain-text body: one block per line, except that a line that starts lowercase
/// continues a previous line that did not end a sentence (a hard-wrapped paragraph).
pub fn text_blocks(body: &str, first_line: usize) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut prev_blank = true;
    for (i, raw) in body.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            prev_blank = true;
            continue;
        }
        let (kind, text) = match list_marker(line) {
            Some(rest) => (Kind::Item, rest),
            None => (Kind::Para, line),
        };
        let continues = !prev_blank
            && kind == Kind::Para
            && text.chars().next().is_some_and(char::is_lowercase)
            && out
                .last()
                .is_some_and(|b| b.kind == Kind::Para && !ends_sentence(&b.text));
        if continues {
            if let Some(last) = out.last_mut() {
                last.text.push(' ');
                last.text.push_str(&squeeze(text));
            }
        } else {
            out.push(Block {
                text: squeeze(text),
                line: first_line + i,
                kind,
            });
        }
        prev_blank = false;
    }
    out
}

/// The text after a list marker ("- ", "* ", "• ", "1. "), if the line has one.
fn list_marker(line: &str) -> Option<&str> {
    for m in ["- ", "* ", "• ", "· ", "– "] {
        if let Some(rest) = line.strip_prefix(m) {
            return Some(rest.trim_start());
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r.trim_start());
        }
    }
    None
}

/// Blocks of a Markdown body. Raw HTML and image descriptions are dropped; link text is kept.
pub fn markdown_blocks(body: &str, first_line: usize) -> Vec<Block> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| {
        first_line
            + line_starts
                .partition_point(|&s| s <= offset)
                .saturating_sub(1)
    };
    let mut out = Vec::new();
    let mut cur: Option<(String, usize, Kind)> = None;
    let mut quote_depth = 0usize;
    let mut image_depth = 0usize;
    let mut item_depth = 0usize;
    let mut skip_depth = 0usize;
    let flush = |cur: &mut Option<(String, usize, Kind)>, out: &mut Vec<Block>| {
        if let Some((text, line, kind)) = cur.take() {
            let text = squeeze(&text);
            if !text.is_empty() {
                out.push(Block { text, line, kind });
            }
        }
    };
    for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if item_depth == 0 || cur.is_none() => {
                flush(&mut cur, &mut out);
                let kind = if item_depth > 0 {
                    Kind::Item
                } else if quote_depth > 0 {
                    Kind::Quote
                } else {
                    Kind::Para
                };
                cur = Some((String::new(), line_of(range.start), kind));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut cur, &mut out);
                cur = Some((
                    String::new(),
                    line_of(range.start),
                    Kind::Heading(level as u8),
                ));
            }
            Event::Start(Tag::Item) => {
                flush(&mut cur, &mut out);
                item_depth += 1;
                cur = Some((String::new(), line_of(range.start), Kind::Item));
            }
            Event::End(TagEnd::Item) => {
                flush(&mut cur, &mut out);
                item_depth = item_depth.saturating_sub(1);
            }
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::End(TagEnd::Paragraph) if item_depth == 0 => flush(&mut cur, &mut out),
            Event::End(TagEnd::Heading(_)) => flush(&mut cur, &mut out),
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::InlineHtml(h) | Event::Html(h) => {
                let tag = h.trim_start_matches('<').trim_start_matches('/');
                let name: String = tag
                    .chars()
                    .take_while(char::is_ascii_alphabetic)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if matches!(
                    name.as_str(),
                    "script" | "style" | "iframe" | "noscript" | "template" | "object" | "svg"
                ) {
                    if h.starts_with("</") {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else if !h.trim_end().ends_with("/>") {
                        skip_depth += 1;
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if image_depth == 0 && skip_depth == 0 => {
                if let Some((text, _, _)) = cur.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((text, _, _)) = cur.as_mut() {
                    text.push(' ');
                }
            }
            Event::Rule => {
                flush(&mut cur, &mut out);
                out.push(Block {
                    text: String::new(),
                    line: line_of(range.start),
                    kind: Kind::Rule,
                });
            }
            _ => {}
        }
    }
    flush(&mut cur, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lines_become_blocks_and_wrapped_lines_join() {
        let b = text_blocks(
            "Title here\n\nA sentence that wraps\nonto the next line.\nNext line.\n- item one\n",
            3,
        );
        let texts: Vec<_> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Title here",
                "A sentence that wraps onto the next line.",
                "Next line.",
                "item one"
            ]
        );
        assert_eq!(b[1].line, 5);
        assert_eq!(b[3].kind, Kind::Item);
    }

    #[test]
    fn markdown_keeps_text_and_drops_html_and_images() {
        let md = "# Head\n\nSome *bold* [link](http://x) text.<script>x()</script>\n\n![alt words](a.png)\n\n- one\n- two\n\n> quoted\n";
        let b = markdown_blocks(md, 1);
        let texts: Vec<_> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Head", "Some bold link text.", "one", "two", "quoted"]
        );
        assert_eq!(b[0].kind, Kind::Heading(1));
        assert_eq!(b[4].kind, Kind::Quote);
        assert_eq!(b[1].line, 3);
    }
}
