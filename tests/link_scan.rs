//! The link check's page scanner (`accord::check::scan`, hand-written for speed) reads ids and
//! links as lol_html's spec tokenizer does: on every page of built sites and on awkward markup.

mod common;

use common::*;
use lol_html::{HtmlRewriter, Settings, element};
use std::cell::RefCell;
use std::collections::HashSet;

/// What lol_html finds: the scanner accord used before, kept as the reference.
fn reference(html: &[u8]) -> accord::check::PageLinks {
    let found = RefCell::new(accord::check::PageLinks::default());
    let mut seen: HashSet<String> = HashSet::new();
    let settings =
        Settings::new().append_element_content_handler(element!("[id], [href], [src]", |el| {
            let mut found = found.borrow_mut();
            // A browser keeps the first of a repeated attribute; lol_html reports each.
            let mut names = HashSet::new();
            for attr in el.attributes().iter().filter(|a| names.insert(a.name())) {
                let value = || html_escape::decode_html_entities(&attr.value()).into_owned();
                match attr.name().as_str() {
                    "id" => {
                        found.ids.insert(value());
                    }
                    "href" | "src" => {
                        let link = value();
                        if seen.insert(link.clone()) {
                            found.links.push(link);
                        }
                    }
                    _ => {}
                }
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter.write(html).unwrap();
    rewriter.end().unwrap();
    found.into_inner()
}

fn agree(what: &str, html: &[u8]) {
    assert_eq!(
        accord::check::scan(html),
        reference(html),
        "{what}: {}",
        String::from_utf8_lossy(&html[..html.len().min(300)])
    );
}

#[test]
fn scan_agrees_with_lol_html_on_built_sites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gen_corpus(&site, 120);
    std::fs::write(site.join("accord.toml"), "briefing_limit = 30\n").unwrap();
    let out = dir.path().join("out");
    build(&site, &out);
    let bundled = dir.path().join("bundled");
    build(&repo(), &bundled);
    let mut pages = 0;
    for (name, bytes) in read_tree(&out).into_iter().chain(read_tree(&bundled)) {
        if name.ends_with(".html") {
            agree(&name, &bytes);
            pages += 1;
        }
    }
    assert!(pages > 300, "{pages} pages");
}

#[test]
fn scan_agrees_with_lol_html_on_awkward_markup() {
    let cases: &[&str] = &[
        r#"<a href="a.html">x</a><p id="p1">"#,
        r#"<a href='single.html' id=bare>x</a>"#,
        r#"<A HREF="upper.html" ID="Up">x</A>"#,
        r#"<a href = "spaced.html" >x</a>"#,
        r#"<a href="first.html" href="second.html">x</a>"#,
        r#"<a title="1 > 0" href="after-gt.html">x</a>"#,
        r#"<a title='say "hi"' href="q.html">x</a>"#,
        r#"<a href="x.html?a=1&amp;b=2#f&#111;o">x</a>"#,
        r#"<a href=bare.html>x</a><a href=bare2.html/>"#,
        r#"<img src="i.png"/><img src="i.png">"#,
        r#"<!-- <a href="commented.html"> --><a href="real.html">"#,
        r#"<!--><a href="after-empty-comment.html">"#,
        r#"<!---><a href="after-empty-comment2.html">"#,
        r#"<!-- a --!><a href="after-bang.html">"#,
        r#"<!DOCTYPE html><html lang="en"><a href="d.html">"#,
        r#"<?xml version="1.0"?><a href="pi.html">"#,
        r#"<script>var s = '<a href="in-script.html">';</script><a href="after-script.html">"#,
        r#"<SCRIPT>if (a</b) {}</SCRIPT ><a href="after-upper-script.html">"#,
        r#"<style>a[href="x"] { }</style><a href="after-style.html">"#,
        r#"<title>A <a href="in-title.html"></title><a href="after-title.html">"#,
        r#"<textarea><a href="in-textarea.html"></textarea><a href="t.html">"#,
        r#"<p>1 < 2 and 3 <4</p><a href="lt.html">"#,
        r#"</ a><a href="after-bogus-end.html">"#,
        r#"</><a href="after-empty-end.html">"#,
        r#"</a href="end-tag-attr.html"><a href="ok.html">"#,
        r#"<div id="a" id="b"></div>"#,
        r#"<a href="">empty</a><a href>none</a>"#,
        r#"<a/href="slash.html">"#,
        r#"<a =x href="odd-name.html">"#,
        "<a\thref=\"tab.html\"\nid=\"nl\">",
        r#"<a href="unterminated.html"#,
        r#"<a href="ü.html" id="é">"#,
        r#"<a href="&lt;b&gt;.html">"#,
    ];
    for (i, case) in cases.iter().enumerate() {
        agree(&format!("case {i}"), case.as_bytes());
    }
}
