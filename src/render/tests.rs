//! Tests of the render stage on a small hand-built model with invented names.

use super::*;
use crate::model::*;

fn cite(source: &str, paragraph: usize, sentence_index: usize, sentence: &str) -> Citation {
    Citation {
        source: source.into(),
        paragraph,
        sentence_index,
        sentence: sentence.into(),
    }
}

/// Two invented universities partnering on quantum sensing, reported by one article.
pub(super) fn small_model() -> Model {
    let s0 =
        "Northwind University and Tarn Institute of Technology signed a research pact on Monday.";
    let s1 = "The pact carries ¥1.5 billion in funding from Tarn.";
    let s2 = "\"This is a <b>big</b> day,\" said Ada Brightwater, president of Northwind.";
    Model {
        schema: SCHEMA.into(),
        sources: vec![Source {
            id: "pact-story".into(),
            path: "pact-story.txt".into(),
            title: "Universities sign a quantum pact".into(),
            dek: Some("A dek & more".into()),
            author: Some("Jo Quill".into()),
            publisher: Some("The Gazette".into()),
            published: Some(Date("2024-04-15".into())),
            url: Some("https://news.example/pact".into()),
            kind: SourceKind::News,
            paragraphs: vec![vec![s0.into(), s1.into()], vec![s2.into()]],
        }],
        organizations: vec![
            Organization {
                id: "northwind-university".into(),
                name: "Northwind University".into(),
                aliases: vec!["Northwind".into()],
                kind: OrgKind::University,
                country: Some("Freedonia".into()),
                citations: vec![cite("pact-story", 0, 0, s0)],
            },
            Organization {
                id: "tarn-institute-of-technology".into(),
                name: "Tarn Institute of Technology".into(),
                aliases: vec!["Tarn".into()],
                kind: OrgKind::University,
                country: Some("Sylvania".into()),
                citations: vec![cite("pact-story", 0, 0, s0)],
            },
        ],
        people: vec![Person {
            id: "ada-brightwater".into(),
            name: "Ada Brightwater".into(),
            aliases: vec![],
            role: Some("President".into()),
            organization: Some("northwind-university".into()),
            country: None,
            quotes: vec![Quote {
                text: "This is a <b>big</b> day".into(),
                speaker: Some("ada-brightwater".into()),
                citation: cite("pact-story", 1, 0, s2),
            }],
            citations: vec![cite("pact-story", 1, 0, s2)],
        }],
        partnerships: vec![Partnership {
            id: "northwind-tarn-quantum".into(),
            title: "Northwind–Tarn quantum pact".into(),
            parties: vec![
                "northwind-university".into(),
                "tarn-institute-of-technology".into(),
            ],
            focus: vec!["quantum-sensing".into()],
            commitments: vec!["tarn-1-5-billion-yen".into()],
            announced: Some(Date("2024-04-15".into())),
            venue: Some("Harbor Hall".into()),
            occasion: None,
            citations: vec![cite("pact-story", 0, 0, s0)],
        }],
        commitments: vec![Commitment {
            id: "tarn-1-5-billion-yen".into(),
            amount: Amount {
                text: "¥1.5 billion".into(),
                value: 1.5e9,
                currency: "JPY".into(),
                usd: Some(1.0e7),
            },
            from: vec!["tarn-institute-of-technology".into()],
            to: vec!["northwind-tarn-quantum".into()],
            purpose: None,
            status: CommitmentStatus::Announced,
            part_of: None,
            citations: vec![cite("pact-story", 0, 1, s1)],
        }],
        events: vec![Event {
            id: "pact-signed".into(),
            date: Date("2024-04-15".into()),
            title: "Pact signed".into(),
            involves: vec!["northwind-tarn-quantum".into()],
            citations: vec![cite("pact-story", 0, 0, s0)],
        }],
        topics: vec![Topic {
            id: "quantum-sensing".into(),
            name: "Quantum sensing".into(),
            partnerships: vec!["northwind-tarn-quantum".into()],
        }],
        countries: vec![
            Country {
                id: "freedonia".into(),
                name: "Freedonia".into(),
                organizations: vec!["northwind-university".into()],
            },
            Country {
                id: "sylvania".into(),
                name: "Sylvania".into(),
                organizations: vec!["tarn-institute-of-technology".into()],
            },
        ],
    }
}

fn render(model: &Model) -> Vec<Page> {
    render_with(model, &Config::default())
}

fn render_with(model: &Model, config: &Config) -> Vec<Page> {
    Renderer::new(None).unwrap().render(model, config).unwrap()
}

fn page<'p>(pages: &'p [Page], path: &str) -> &'p str {
    let p = pages
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no page {path}"));
    std::str::from_utf8(&p.bytes).unwrap()
}

#[test]
fn partnership_page_links_parties_and_cites_the_sentence() {
    let pages = render(&small_model());
    let html = page(&pages, "partnerships/northwind-tarn-quantum/index.html");
    assert!(
        html.contains(r#"href="../../organizations/northwind-university/index.html""#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="../../topics/quantum-sensing/index.html""#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="../../sources/pact-story/index.html#p0-s0""#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="../../sources/pact-story/index.html#p0-s1""#),
        "{html}"
    );
    assert!(
        html.contains("¥1.5 billion") && html.contains("US$10 million"),
        "{html}"
    );
    assert!(html.contains(r#"href="../../static/style.css""#));
}

#[test]
fn source_page_has_an_anchor_for_every_sentence() {
    let pages = render(&small_model());
    let html = page(&pages, "sources/pact-story/index.html");
    for anchor in ["p0-s0", "p0-s1", "p1-s0"] {
        assert!(html.contains(&format!(r#"id="{anchor}""#)), "{anchor}");
    }
    assert!(html.contains(
        r#"<a class="entity" href="../../people/ada-brightwater/index.html">Ada Brightwater</a>"#
    ));
    assert!(html.contains(r#"href="https://news.example/pact""#));
}

#[test]
fn markup_in_names_and_text_comes_out_escaped() {
    let mut model = small_model();
    model.organizations[0].name = "<script>alert(1)</script> University".into();
    let pages = render(&model);
    for p in &pages {
        let text = String::from_utf8_lossy(&p.bytes);
        if p.path.ends_with(".html") {
            assert!(!text.contains("<script>"), "{} has live markup", p.path);
            assert!(!text.contains("<b>big</b>"), "{} has live markup", p.path);
        }
    }
    assert!(
        page(&pages, "organizations/index.html")
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; University")
    );
}

#[test]
fn only_http_source_urls_become_links() {
    let mut model = small_model();
    model.sources[0].url = Some("javascript:alert(1)".into());
    let pages = render(&model);
    let html = page(&pages, "sources/pact-story/index.html");
    assert!(!html.contains("javascript"), "{html}");
    assert!(html.contains("not a web (http or https) link"));
}

#[test]
fn every_page_path_is_relative_and_inside_the_output() {
    let mut model = small_model();
    model.people[0].id = "../../../etc/passwd".into();
    model.sources[0].id = "/abs".into();
    let pages = render(&model);
    assert!(pages.len() > 15);
    for p in &pages {
        assert!(is_safe_path(&p.path), "{}", p.path);
        assert!(!p.path.contains(".."), "{}", p.path);
    }
}

#[test]
fn internal_links_are_page_relative_and_resolve() {
    let pages = render(&small_model());
    let paths: std::collections::HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let href = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    for p in pages.iter().filter(|p| p.path.ends_with(".html")) {
        let text = std::str::from_utf8(&p.bytes).unwrap();
        let dir = p.path.rsplit_once('/').map_or("", |(d, _)| d);
        for cap in href.captures_iter(text) {
            let link = &cap[1];
            if link.starts_with("https://") {
                continue;
            }
            assert!(
                !link.starts_with('/') && !link.contains("://"),
                "{}: {link}",
                p.path
            );
            let (target, fragment) = link.split_once('#').unwrap_or((link, ""));
            let mut parts: Vec<&str> = if dir.is_empty() {
                vec![]
            } else {
                dir.split('/').collect()
            };
            if target.is_empty() {
                parts.push(p.path.rsplit('/').next().unwrap());
            } else {
                for seg in target.split('/') {
                    if seg == ".." {
                        assert!(parts.pop().is_some(), "{}: {link} climbs out", p.path);
                    } else {
                        parts.push(seg);
                    }
                }
            }
            let resolved = parts.join("/");
            assert!(
                paths.contains(resolved.as_str()),
                "{}: {link} -> {resolved} missing",
                p.path
            );
            if !fragment.is_empty() {
                let target_html = page(&pages, &resolved);
                assert!(
                    target_html.contains(&format!(r#"id="{fragment}""#)),
                    "{}: {link} fragment missing",
                    p.path
                );
            }
        }
    }
}

#[test]
fn same_model_gives_the_same_bytes() {
    let model = small_model();
    assert_eq!(render(&model), render(&model));
}

#[test]
fn site_template_replaces_its_namesake() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("person.html"),
        r#"{% extends "base.html" %}{% block main %}<h1>Custom {{ title }}</h1>{% endblock main %}"#,
    )
    .unwrap();
    let r = Renderer::new(Some(dir.path())).unwrap();
    let pages = r.render(&small_model(), &Config::default()).unwrap();
    assert!(
        page(&pages, "people/ada-brightwater/index.html")
            .contains("<h1>Custom Ada Brightwater</h1>")
    );
    assert!(page(&pages, "organizations/index.html").contains("Northwind University"));
}

#[test]
fn broken_site_template_names_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("topic.html"), "line one\n{% if %}\n").unwrap();
    let e = Renderer::new(Some(dir.path()))
        .err()
        .expect("a syntax error");
    let msg = e.to_string();
    assert!(msg.contains("topic.html:2:"), "{msg}");
}

#[test]
fn a_block_no_parent_has_names_the_site_template_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("person.html");
    std::fs::write(
        &file,
        "{% extends \"base.html\" %}{% block content %}x{% endblock %}",
    )
    .unwrap();
    let msg = Renderer::new(Some(dir.path()))
        .err()
        .expect("an unknown block")
        .to_string();
    let want = format!("{}:1:35: error in template person.html", file.display());
    assert!(msg.starts_with(&want), "{msg}");
    assert!(msg.contains("Block `content` is not defined"), "{msg}");
}

#[test]
fn pages_are_html5_with_one_h1_and_the_configured_language() {
    let config = Config {
        language: "fr".into(),
        ..Config::default()
    };
    let pages = Renderer::new(None)
        .unwrap()
        .render(&small_model(), &config)
        .unwrap();
    for p in pages.iter().filter(|p| p.path.ends_with(".html")) {
        let html = std::str::from_utf8(&p.bytes).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"),
            "{}",
            p.path
        );
        assert_eq!(html.matches("<h1").count(), 1, "{}", p.path);
        assert!(
            html.contains(r##"<a class="skip" href="#main">"##) && html.contains(r#"id="main""#)
        );
    }
}

#[test]
fn model_json_is_the_model() {
    let model = small_model();
    let pages = render(&model);
    let json = page(&pages, "data/model.json");
    assert!(
        !json.contains('<') && json.contains("\\u003cb\\u003ebig"),
        "{json}"
    );
    let back: Model = serde_json::from_str(json).unwrap();
    assert_eq!(back, model);
}

#[test]
fn base_url_adds_sitemap_feed_and_canonical_links() {
    let config = Config {
        base_url: Some("https://briefs.example/repo/".into()),
        ..Config::default()
    };
    let pages = Renderer::new(None)
        .unwrap()
        .render(&small_model(), &config)
        .unwrap();
    let sitemap = page(&pages, "sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://briefs.example/repo/partnerships/northwind-tarn-quantum/</loc>"
        ),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404.html"));
    let atom = page(&pages, "atom.xml");
    assert!(
        atom.contains("<updated>2024-04-15T00:00:00Z</updated>"),
        "{atom}"
    );
    let person = page(&pages, "people/ada-brightwater/index.html");
    assert!(person.contains(
        r#"<link rel="canonical" href="https://briefs.example/repo/people/ada-brightwater/">"#
    ));
    assert!(person.contains(r#"href="../../atom.xml""#));
    let not_found = page(&pages, "404.html");
    assert!(not_found.contains(r#"href="https://briefs.example/repo/index.html""#));
    assert!(not_found.contains(r#"<script data-root="https://briefs.example/repo/">"#));
    assert!(not_found.contains("<style>") && !not_found.contains("static/style.css"));
}

#[test]
fn without_base_url_there_is_no_sitemap_and_no_absolute_link() {
    let pages = render(&small_model());
    assert!(
        !pages
            .iter()
            .any(|p| p.path == "sitemap.xml" || p.path == "atom.xml")
    );
    let not_found = page(&pages, "404.html");
    assert!(!not_found.contains("https://briefs"));
    assert!(not_found.contains("<style>") && !not_found.contains("static/style.css"));
    // Without a base URL, links start from the site's root, where 404.html is; its script
    // leads them there from any depth.
    assert!(
        not_found.contains(r#"<a href="index.html">overview</a>"#),
        "{not_found}"
    );
    assert!(not_found.contains(r#"action="search/index.html""#));
    assert!(not_found.contains(r#"<script data-root="">"#));
    assert!(not_found.contains("static/search.js"));
}

/// The `<main>` of a page: what the templates say about the record, without the shared frame.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("a main end") + "</main>".len();
    &html[start..end]
}

#[test]
fn partnership_page_snapshot() {
    let pages = render(&small_model());
    let html = page(&pages, "partnerships/northwind-tarn-quantum/index.html");
    insta::assert_snapshot!(main_of(html));
}

#[test]
fn source_page_snapshot() {
    let pages = render(&small_model());
    let html = page(&pages, "sources/pact-story/index.html");
    insta::assert_snapshot!(main_of(html));
}

#[test]
fn home_page_snapshot() {
    let pages = render(&small_model());
    insta::assert_snapshot!(page(&pages, "index.html"));
}

#[test]
fn citation_marks_are_numbered_in_reading_order() {
    let pages = render(&small_model());
    let mark = regex::Regex::new(r">\[(\d+)\]</a></sup>").unwrap();
    for p in pages.iter().filter(|p| p.path.ends_with(".html")) {
        let html = std::str::from_utf8(&p.bytes).unwrap();
        let mut first_seen: Vec<usize> = Vec::new();
        for cap in mark.captures_iter(html) {
            let n: usize = cap[1].parse().unwrap();
            if !first_seen.contains(&n) {
                first_seen.push(n);
            }
        }
        let expected: Vec<usize> = (1..=first_seen.len()).collect();
        assert_eq!(first_seen, expected, "{}", p.path);
    }
}

#[test]
fn site_template_failing_at_render_names_the_page_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("topic.html"),
        "<p>ok</p>\n<p>{{ no_such_key.field }}</p>\n",
    )
    .unwrap();
    let r = Renderer::new(Some(dir.path())).unwrap();
    let e = r.render(&small_model(), &Config::default()).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("topic.html:2:"), "{msg}");
    assert!(msg.contains("topics/quantum-sensing/index.html"), "{msg}");
}

#[test]
fn stale_citation_finds_its_sentence_and_unknown_source_stays_text() {
    let mut model = small_model();
    // Indexes off by one paragraph, but the sentence text is still in the article.
    model.partnerships[0].citations[0].paragraph = 7;
    model.people[0].citations = vec![cite("no-such-source", 0, 0, "Said somewhere.")];
    let pages = render(&model);
    let partnership = page(&pages, "partnerships/northwind-tarn-quantum/index.html");
    assert!(
        partnership.contains(r#"href="../../sources/pact-story/index.html#p0-s0""#),
        "{partnership}"
    );
    let person = page(&pages, "people/ada-brightwater/index.html");
    assert!(
        person.contains("Said somewhere.") && !person.contains("no-such-source/index.html"),
        "{person}"
    );
}

#[test]
fn a_page_does_not_link_to_itself() {
    let pages = render(&small_model());
    let person = page(&pages, "people/ada-brightwater/index.html");
    assert!(
        !person.contains(r#"href="../../people/ada-brightwater/index.html""#),
        "{person}"
    );
    assert!(person.contains("— Ada Brightwater, President"), "{person}");
}

#[test]
fn search_page_loads_its_index_by_script_tag_and_every_page_has_a_search_box() {
    let pages = render(&small_model());
    let search = page(&pages, "search/index.html");
    assert!(search.contains("data-search-results"));
    assert!(search.contains(r#"<script src="../static/search-index.js"></script>"#));
    assert!(!search.contains("fetch("));
    let js = page(&pages, "static/search-index.js");
    assert!(js.starts_with("// ") && js.contains("window.accordSearch = {"));
    let deep = page(&pages, "partnerships/northwind-tarn-quantum/index.html");
    assert!(
        deep.contains(r#"<form class="search" role="search" action="../../search/index.html""#)
    );
    assert!(deep.contains(r#"<input type="search""#));
}

/// The `#fragment` every link of `html` leads to, but links to the web; panics naming `what`
/// at a link that leads to another page.
fn inside_targets<'h>(html: &'h str, what: &str) -> Vec<&'h str> {
    html.split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .filter(|href| !href.starts_with("https://"))
        .map(|href| {
            href.strip_prefix('#')
                .unwrap_or_else(|| panic!("{href} leaves {what}"))
        })
        .collect()
}

#[test]
fn briefing_links_stay_inside_it_and_every_target_exists() {
    let pages = render(&small_model());
    let html = main_of(page(&pages, "briefing/index.html"));
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids repeat: {ids:?}");
    for target in inside_targets(html, "the briefing") {
        assert!(ids.contains(&target), "no #{target} in the briefing");
    }
    for part in [
        "Contents",
        "Partnerships",
        "Organizations",
        "People",
        "Topics",
        "Countries",
        "Timeline",
        "Sources",
    ] {
        assert!(html.contains(&format!(">{part}</h2>")), "{part}");
    }
    assert!(html.contains("id=\"organization-tarn-institute-of-technology\""));
    // A line per person, topic and country, named in the contents; links to them stay inside.
    for (heading, id) in [
        ("people", "person-ada-brightwater"),
        ("topics", "topic-quantum-sensing"),
        ("countries", "country-freedonia"),
    ] {
        assert!(
            html.contains(&format!("<a href=\"#{heading}-heading\">")),
            "{heading}"
        );
        assert!(html.contains(&format!("<li id=\"{id}\">")), "{id}");
    }
    assert!(html.contains(r##"<a href="#country-freedonia">Freedonia</a>"##));
    assert!(html.contains(r##"<a href="#topic-quantum-sensing">Quantum sensing</a>"##));
    assert!(!html.contains("print()"));
}

#[test]
fn print_title_in_the_stylesheet_cannot_break_out() {
    assert_eq!(
        super::css_string("a\"b\\c</style>\n"),
        "a\\22 b\\5c c\\3c /style\\3e \\a "
    );
}

#[test]
fn hosting_files_robots_and_cname_and_a_notice_without_base_url() {
    let renderer = Renderer::new(None).unwrap();
    let mut config = Config::default();
    let pages = renderer.render(&small_model(), &config).unwrap();
    assert!(page(&pages, "robots.txt").starts_with("User-agent: *"));
    assert!(!pages.iter().any(|p| p.path == "CNAME"));
    assert_eq!(notices(&config).len(), 1);
    config.base_url = Some("https://example.org/REPO/".into());
    config.cname = Some("briefing.example.org".into());
    let pages = renderer.render(&small_model(), &config).unwrap();
    assert!(page(&pages, "robots.txt").contains("Sitemap: https://example.org/REPO/sitemap.xml"));
    assert_eq!(page(&pages, "CNAME"), "briefing.example.org\n");
    assert!(notices(&config).is_empty());
    config.cname = Some("https://briefing.example.org/".into());
    assert!(matches!(
        renderer.render(&small_model(), &config),
        Err(RenderError::Cname(_))
    ));
}

#[test]
fn each_record_page_links_its_own_json() {
    let pages = render(&small_model());
    let html = page(&pages, "organizations/northwind-university/index.html");
    assert!(html.contains(r#"<a href="index.json">this record as JSON</a>"#));
    let json: serde_json::Value = serde_json::from_str(page(
        &pages,
        "organizations/northwind-university/index.json",
    ))
    .unwrap();
    assert_eq!(json["organization"]["name"], "Northwind University");
    assert_eq!(json["schema"], SCHEMA);
    let quote = page(&pages, "people/ada-brightwater/index.json");
    assert!(!quote.contains('<'), "{quote}");
    assert!(!page(&pages, "people/index.html").contains("index.json"));
}

#[test]
fn autoescape_writes_all_five_html_specials_as_entities() {
    // Short and long inputs: tera's fast_escape takes a SIMD path from 16 bytes on.
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html"]);
    tera.add_raw_template("t.html", "{{ s }}").unwrap();
    for s in [
        "<>&\"'",
        "a long run of plain text, then <script>alert('x & \"y\"')</script> and more plain text",
    ] {
        let mut ctx = tera::Context::new();
        ctx.insert("s", s);
        let out = tera.render("t.html", &ctx).unwrap();
        let expected = s
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        assert_eq!(out, expected);
    }
}

#[test]
fn a_partnership_page_shows_a_few_other_voices_and_counts_the_rest() {
    let mut model = small_model();
    let sentence = "\"We are watching closely,\" said an official.";
    // eleven others quoted in the article; the page shows eight
    for i in 0..11 {
        let id = format!("official-{i:02}");
        model.people.push(Person {
            id: id.clone(),
            name: format!("Official Number{i:02}"),
            aliases: vec![],
            role: None,
            organization: None,
            country: None,
            quotes: vec![Quote {
                text: format!("We are watching closely, part {i}"),
                speaker: Some(id),
                citation: cite("pact-story", 1, 0, sentence),
            }],
            citations: vec![],
        });
    }
    let pages = render(&model);
    let html = page(&pages, "partnerships/northwind-tarn-quantum/index.html");
    assert_eq!(html.matches("We are watching closely, part").count(), 8);
    assert!(html.contains("3 more quotes in the cited sources."));
    // every voice keeps all its quotes on its own page
    let last = page(&pages, "people/official-10/index.html");
    assert!(last.contains("We are watching closely, part 10"));
}

#[test]
fn the_overview_lists_the_newest_partnerships_and_links_to_all() {
    let mut model = small_model();
    let first = model.partnerships[0].clone();
    for i in 1..30 {
        let mut p = first.clone();
        p.id = format!("pact-{i:02}");
        p.title = format!("Pact number {i:02}");
        p.announced = Some(Date(format!("2023-{:02}-01", i % 12 + 1)));
        model.partnerships.push(p);
    }
    let pages = render(&model);
    let home = page(&pages, "index.html");
    // the newest one (announced 2024) is listed, 25 rows in all, and the rest are counted
    assert!(home.contains("Northwind–Tarn quantum pact"));
    assert_eq!(home.matches("<th scope=\"row\">").count(), 25);
    assert!(home.contains("All partnerships</a> (5 more)"));
    let all = page(&pages, "partnerships/index.html");
    assert_eq!(all.matches("<th scope=\"row\">").count(), 30);
}

/// The small model with a second, older partnership of a third university, so the briefing
/// has two years to split into.
fn two_year_model() -> Model {
    let mut m = small_model();
    m.organizations.push(Organization {
        id: "oxbow-college".into(),
        name: "Oxbow College".into(),
        aliases: vec![],
        kind: OrgKind::University,
        country: Some("Freedonia".into()),
        citations: vec![],
    });
    m.partnerships.push(Partnership {
        id: "northwind-oxbow-exchange".into(),
        title: "Northwind–Oxbow exchange".into(),
        parties: vec!["northwind-university".into(), "oxbow-college".into()],
        focus: vec![],
        commitments: vec![],
        announced: Some(Date("2019-09".into())),
        venue: None,
        occasion: None,
        citations: vec![],
    });
    m
}

#[test]
fn a_briefing_over_its_limit_comes_in_volumes_by_year_each_self_contained() {
    let model = two_year_model();
    let config = Config {
        briefing_limit: 1,
        ..Config::default()
    };
    let pages = Renderer::new(None)
        .unwrap()
        .render(&model, &config)
        .unwrap();
    let contents = main_of(page(&pages, "briefing/index.html"));
    let newer = contents.find(r#"briefing/2024/index.html""#).expect("2024");
    let older = contents.find(r#"briefing/2019/index.html""#).expect("2019");
    assert!(newer < older, "newest volume first");

    let v2019 = main_of(page(&pages, "briefing/2019/index.html"));
    assert!(v2019.contains("Northwind–Oxbow exchange"));
    assert!(v2019.contains("Oxbow College"));
    for other in [
        "partnership-northwind-tarn-quantum",
        "organization-tarn-institute-of-technology",
        "topic-quantum-sensing",
        "country-sylvania",
    ] {
        assert!(
            !v2019.contains(&format!("id=\"{other}")),
            "a volume holds only its year's partnerships and what they involve, not {other}"
        );
    }
    // A partner's other partnerships are named, as plain text.
    assert!(v2019.contains("Partnerships: Northwind–Tarn quantum pact, <a href=\"#partnership-northwind-oxbow-exchange\">"));
    assert!(page(&pages, "briefing/2019/index.html").contains("<title>Briefing, 2019"));
    let v2024 = main_of(page(&pages, "briefing/2024/index.html"));
    assert!(v2024.contains("id=\"partnership-northwind-tarn-quantum\""));
    assert!(!v2024.contains("id=\"organization-oxbow-college"));
    // Every link of a volume leads inside it, and a record it does not hold is plain text.
    for volume in [v2019, v2024] {
        for target in inside_targets(volume, "the volume") {
            assert!(
                volume.contains(&format!(" id=\"{target}\"")),
                "no #{target}"
            );
        }
    }
    // At or under the limit, one book as before.
    let whole = render(&model);
    assert!(main_of(page(&whole, "briefing/index.html")).contains("Northwind–Oxbow exchange"));
    assert!(!whole.iter().any(|p| p.path.starts_with("briefing/2019/")));
}

/// In a volume, a record named in other volumes' articles too is cited by the volume's own
/// article, and one the volume's articles do not cite keeps its first citation.
#[test]
fn a_volume_cites_its_own_articles() {
    let mut model = two_year_model();
    let s = "Northwind University and Oxbow College began an exchange.";
    let mut older = model.sources[0].clone();
    older.id = "exchange-story".into();
    older.title = "An exchange begins".into();
    older.url = Some("https://news.example/exchange".into());
    older.paragraphs = vec![vec![s.into()]];
    model.sources.push(older);
    let exchange = cite("exchange-story", 0, 0, s);
    model.partnerships[1].citations = vec![exchange.clone()];
    model.organizations[0].citations.push(exchange.clone());
    let config = Config {
        briefing_limit: 1,
        ..Config::default()
    };
    let pages = Renderer::new(None)
        .unwrap()
        .render(&model, &config)
        .unwrap();
    let v2019 = main_of(page(&pages, "briefing/2019/index.html"));
    let v2024 = main_of(page(&pages, "briefing/2024/index.html"));
    // Northwind is cited in both years' articles: each volume cites its own.
    assert!(v2019.contains("An exchange begins"));
    assert!(
        !v2019.contains("Universities sign a quantum pact"),
        "{v2019}"
    );
    assert!(v2024.contains("Universities sign a quantum pact"));
    assert!(!v2024.contains("An exchange begins"));
    // The whole briefing cites everything.
    let whole = render(&model);
    let book = main_of(page(&whole, "briefing/index.html"));
    assert!(
        book.contains("An exchange begins") && book.contains("Universities sign a quantum pact")
    );
}

#[test]
fn a_year_over_the_limit_comes_in_volumes_by_month() {
    let mut model = two_year_model();
    for (id, date) in [
        ("march-pact", "2019-03-02"),
        ("july-pact", "2019-07"),
        ("year-only-pact", "2019"),
    ] {
        let mut p = model.partnerships[1].clone();
        p.id = id.into();
        p.title = format!("The {id}");
        p.announced = Some(Date(date.into()));
        model.partnerships.push(p);
    }
    let config = Config {
        briefing_limit: 2,
        ..Config::default()
    };
    assert_eq!(
        records::volumes(&model, config.briefing_limit),
        [
            ("2024".to_owned(), 1),
            ("2019-09".to_owned(), 1),
            ("2019-07".to_owned(), 1),
            ("2019-03".to_owned(), 1),
            ("2019-undated".to_owned(), 1),
        ]
    );
    let pages = Renderer::new(None)
        .unwrap()
        .render(&model, &config)
        .unwrap();
    let contents = main_of(page(&pages, "briefing/index.html"));
    let order: Vec<usize> = [
        "2024",
        "September 2019",
        "July 2019",
        "March 2019",
        "2019, month not stated",
    ]
    .iter()
    .map(|t| contents.find(&format!(">{t}</a>")).expect(t))
    .collect();
    assert!(order.is_sorted(), "newest first: {order:?}");
    let march = main_of(page(&pages, "briefing/2019-03/index.html"));
    assert!(march.contains("id=\"partnership-march-pact\""));
    // A partner's other partnerships are named there as plain text, not held.
    assert!(!march.contains("id=\"partnership-july-pact"));
    assert!(page(&pages, "briefing/2019-03/index.html").contains("<title>Briefing, March 2019"));
    let rest = main_of(page(&pages, "briefing/2019-undated/index.html"));
    assert!(rest.contains("id=\"partnership-year-only-pact\""));
    assert!(!rest.contains("id=\"partnership-march-pact"));
    assert!(!pages.iter().any(|p| p.path == "briefing/2019/index.html"));
}

#[test]
fn a_volume_takes_a_month_only_where_the_date_states_one() {
    let mut p = small_model().partnerships[0].clone();
    let mut at = |date: &str| {
        p.announced = Some(Date(date.into()));
        let (y, m) = records::year_month(&p);
        (y.map(str::to_owned), m.map(str::to_owned))
    };
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(at("2019-03-15"), (some("2019"), some("03")));
    assert_eq!(at("2019-12"), (some("2019"), some("12")));
    for no_month in [
        "2019",
        "2019-13",
        "2019-00",
        "2019-3",
        "2019-3-15",
        "2019-031",
        "2019-spring",
    ] {
        assert_eq!(at(no_month), (some("2019"), None), "{no_month}");
    }
    for no_year in ["", "19-03", "２０１９-03", "soon"] {
        assert_eq!(at(no_year), (None, None), "{no_year}");
    }
}

/// Every page of `model`: its path, the fingerprint of its context, and what it read.
fn contexts(model: &Model) -> Vec<(String, context::Fingerprint, reads::Noted)> {
    let config = Config {
        base_url: Some("https://briefing.example/".into()),
        ..Config::default()
    };
    let ix = index::Index::new(model);
    let linker = text::Linker::new(model);
    let env = pages::Env {
        ix: &ix,
        linker: &linker,
        config: &config,
        // As `render_each` decides it: a feed when a partnership has a date.
        feed: feeds::atom(&ix, "https://briefing.example/", "", "").is_some(),
    };
    pages::jobs(&ix, &config)
        .iter()
        .map(|job| {
            let ((fingerprint, _), queries) =
                reads::recording(|| env.context(job, context::Mode::Fingerprint));
            (job.path.clone(), fingerprint, queries)
        })
        .collect()
}

/// The rule incremental builds rest on (see `reads`): when every query a page made has the
/// same answer in a changed model, the page's context is the same. Each change below is one
/// edit of one field; a page that reads it must say so, or a rebuild would leave it stale.
#[test]
fn a_page_whose_reads_have_the_same_answers_has_the_same_context() {
    type Change = fn(&mut Model);
    let changes: &[(&str, Change)] = &[
        ("an organization's name", |m| {
            m.organizations[0].name = "Renamed Org".into()
        }),
        ("an organization's alias", |m| {
            m.organizations[1].aliases.push("Tarn".into())
        }),
        ("an organization's country", |m| {
            m.organizations[0].country = Some("Elsewhere".into())
        }),
        ("a person's name", |m| {
            m.people[0].name = "Renamed Person".into()
        }),
        ("a person's role", |m| {
            m.people[0].role = Some("dean".into())
        }),
        ("a partnership's title", |m| {
            m.partnerships[0].title = "Retitled".into()
        }),
        ("a partnership's date", |m| {
            m.partnerships[0].announced = Some(Date("2023-01-02".into()));
        }),
        ("a partnership's focus", |m| m.partnerships[0].focus.clear()),
        ("no partnership dated any more", |m| {
            for p in &mut m.partnerships {
                p.announced = None;
            }
        }),
        ("a source's title", |m| {
            m.sources[0].title = "Retitled source".into()
        }),
        ("a source's address", |m| {
            m.sources[0].url = Some("https://news.example/b".into())
        }),
        ("a source's text", |m| {
            m.sources[0].paragraphs[1][0] = "Other words.".into()
        }),
        ("a sentence added to a source", |m| {
            m.sources[0].paragraphs[0].push("More.".into())
        }),
        ("a citation's place", |m| {
            m.partnerships[0].citations[0].sentence_index = 9
        }),
        ("a partnership cited once more by the same source", |m| {
            let mut again = m.partnerships[0].citations[0].clone();
            again.sentence_index += 1;
            m.partnerships[0].citations.push(again);
        }),
        ("a partnership cited by one more source", |m| {
            let mut source = m.sources[0].clone();
            source.id = "other-story".into();
            source.path = "other-story.txt".into();
            m.sources.push(source);
            let mut other = m.partnerships[0].citations[0].clone();
            other.source = "other-story".into();
            m.partnerships[0].citations.push(other);
        }),
        ("a topic's name", |m| {
            if let Some(t) = m.topics.first_mut() {
                t.name = "Renamed topic".into();
            }
        }),
        ("a country's name", |m| {
            if let Some(c) = m.countries.first_mut() {
                c.name = "Renamed country".into();
            }
        }),
        ("a commitment's amount", |m| {
            if let Some(c) = m.commitments.first_mut() {
                c.amount.usd = Some(1.0);
            }
        }),
        ("an event's title", |m| {
            if let Some(e) = m.events.first_mut() {
                e.title = "Retitled event".into();
            }
        }),
    ];
    let base = small_model();
    let before = contexts(&base);
    let base_ix = index::Index::new(&base);
    let base_linker = text::Linker::new(&base);
    let base_answers = reads::Answers::new(&base_ix, &base_linker);
    for (what, change) in changes {
        let mut model = base.clone();
        change(&mut model);
        let ix = index::Index::new(&model);
        let linker = text::Linker::new(&model);
        let answers = reads::Answers::new(&ix, &linker);
        let after: std::collections::HashMap<String, context::Fingerprint> = contexts(&model)
            .into_iter()
            .map(|(path, fingerprint, _)| (path, fingerprint))
            .collect();
        let mut reached = 0;
        for (path, fingerprint, queries) in &before {
            let same = queries
                .iter()
                .all(|q| base_answers.answer(q) == answers.answer(q));
            if same {
                assert_eq!(
                    after.get(path),
                    Some(fingerprint),
                    "{what}: {path} read nothing that changed, yet its context changed"
                );
            } else {
                reached += 1;
            }
        }
        assert!(reached > 0, "{what}: no page read what changed");
    }
}

/// A person added to the model (here ahead of everyone, quoted nowhere) leaves the answer about
/// a source's quotes as it was: it says who is quoted there and what, not where the speakers
/// sit among all people, which every person added or removed before them moves.
#[test]
fn the_quotes_in_a_source_do_not_follow_other_peoples_places() {
    let base = small_model();
    let mut model = base.clone();
    let mut newcomer = base.people[0].clone();
    newcomer.id = "aaron-first".into();
    newcomer.name = "Aaron First".into();
    newcomer.aliases.clear();
    newcomer.quotes.clear();
    newcomer.citations.clear();
    model.people.insert(0, newcomer);
    let (base_ix, ix) = (index::Index::new(&base), index::Index::new(&model));
    let (base_linker, linker) = (text::Linker::new(&base), text::Linker::new(&model));
    let base_answers = reads::Answers::new(&base_ix, &base_linker);
    let answers = reads::Answers::new(&ix, &linker);
    let quoted: Vec<&str> = (base.sources.iter())
        .map(|s| s.id.as_str())
        .filter(|id| !base_ix.quotes_in(id).is_empty())
        .collect();
    assert!(!quoted.is_empty(), "the model quotes someone");
    for id in quoted {
        let q = reads::Query::QuotesIn(id.to_owned());
        assert_eq!(base_answers.answer(&q), answers.answer(&q), "{id}");
    }
}

#[test]
fn json_for_the_web_escapes_markup_and_javascript_line_breaks_only() {
    let s = "<b>Tom & Jerry</b>\u{2028}line\u{2029}€ é";
    let out = String::from_utf8(web_json_compact(&s).unwrap().into_bytes()).unwrap();
    assert_eq!(
        out,
        "\"\\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e\\u2028line\\u2029€ é\""
    );
    let back: String = serde_json::from_str(&out).unwrap();
    assert_eq!(back, s);
}

proptest::proptest! {
    /// Whatever the text, and wherever its markup characters, line separators and other
    /// characters that share their first byte (€, ™, “) fall: each of the five characters is
    /// escaped, nothing else is, and the text reads back whole.
    #[test]
    fn json_for_the_web_escapes_exactly_the_five_characters(
        s in "[a<>&\u{2028}\u{2029}€™“ é\\\"\n]{0,40}"
    ) {
        let out = web_json_compact(&s).unwrap();
        let expected = serde_json::to_string(&s)
            .unwrap()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029");
        proptest::prop_assert_eq!(&out, &expected);
        let back: String = serde_json::from_str(&out).unwrap();
        proptest::prop_assert_eq!(back, s);
    }
}

#[test]
fn a_timeline_over_its_limit_comes_as_a_page_per_year() {
    let mut model = small_model();
    let first = model.events[0].clone();
    for (id, date, title) in [
        ("exchange-opened", "2019-09-01", "Exchange opened"),
        ("lab-planned", "2019", "Lab planned"),
        ("talks-began", "spring", "Talks began"),
    ] {
        model.events.push(Event {
            id: id.into(),
            date: Date(date.into()),
            title: title.into(),
            ..first.clone()
        });
    }
    let render = |timeline_limit| {
        let config = Config {
            timeline_limit,
            ..Config::default()
        };
        render_with(&model, &config)
    };
    // Under the limit: one page with every event, no year pages.
    let whole = render(4);
    let all = main_of(page(&whole, "timeline/index.html"));
    for title in [
        "Pact signed",
        "Exchange opened",
        "Lab planned",
        "Talks began",
    ] {
        assert!(all.contains(title), "{title}");
    }
    assert!(!whole.iter().any(|p| p.path.starts_with("timeline/2019/")));

    // Over it: `timeline/` lists the years, oldest first, and links each year's page.
    let pages = render(3);
    let contents = main_of(page(&pages, "timeline/index.html"));
    let order: Vec<usize> = ["2019", "2024", "Undated"]
        .iter()
        .map(|t| contents.find(&format!(">{t}</a>")).expect(t))
        .collect();
    assert!(order.is_sorted(), "oldest first: {order:?}");
    assert!(
        contents.contains("href=\"../timeline/2019/index.html\""),
        "{contents}"
    );
    assert!(
        !contents.contains("Pact signed"),
        "the contents list no events"
    );
    // Each event is on its own year's page only, and a year's page links back to the list.
    let year = |y: &str| main_of(page(&pages, &format!("timeline/{y}/index.html")));
    let (y2019, y2024, undated) = (year("2019"), year("2024"), year("undated"));
    assert!(y2019.contains("Exchange opened") && y2019.contains("Lab planned"));
    assert!(!y2019.contains("Pact signed") && !y2019.contains("Talks began"));
    assert!(y2024.contains("Pact signed") && !y2024.contains("Exchange opened"));
    assert!(undated.contains("Talks began") && !undated.contains("Lab planned"));
    assert!(
        y2019.contains("href=\"../../timeline/index.html\""),
        "{y2019}"
    );
    assert!(page(&pages, "timeline/2019/index.html").contains("<title>Timeline, 2019"));
}

#[test]
fn a_list_longer_than_paginate_by_goes_on_over_numbered_pages() {
    let mut model = small_model();
    let first = model.partnerships[0].clone();
    // Five partnerships on one topic, in model order: Alpha…Echo.
    model.partnerships = ["alpha", "bravo", "charlie", "delta", "echo"]
        .iter()
        .map(|id| Partnership {
            id: format!("pact-{id}"),
            title: format!("Pact {id}"),
            ..first.clone()
        })
        .collect();
    let render = |paginate_by| {
        let config = Config {
            paginate_by,
            ..Config::default()
        };
        render_with(&model, &config)
    };
    let has = |pages: &[Page], path: &str| pages.iter().any(|p| p.path == path);

    // Within the limit (and with 0, no limit): one page, no pager.
    for size in [5, 0] {
        let pages = render(size);
        let list = main_of(page(&pages, "partnerships/index.html"));
        assert!(list.contains("Pact alpha") && list.contains("Pact echo"));
        assert!(!list.contains("class=\"pager\""), "{list}");
        assert!(!has(&pages, "partnerships/page/2/index.html"));
    }

    // Over it: two rows a page at `partnerships/`, `page/2/`, `page/3/`, and no fourth.
    let pages = render(2);
    let nth = |n: usize| match n {
        1 => main_of(page(&pages, "partnerships/index.html")),
        n => main_of(page(&pages, &format!("partnerships/page/{n}/index.html"))),
    };
    let rows = |html: &str| {
        ["alpha", "bravo", "charlie", "delta", "echo"]
            .into_iter()
            .filter(|id| html.contains(&format!(">Pact {id}</a>")))
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(nth(1)), ["alpha", "bravo"]);
    assert_eq!(rows(nth(2)), ["charlie", "delta"]);
    assert_eq!(rows(nth(3)), ["echo"]);
    assert!(!has(&pages, "partnerships/page/4/index.html"));
    // Each page says which rows it holds and links the others, page-relative.
    let second = nth(2);
    assert!(second.contains("Rows 3–4: page 2 of 3"), "{second}");
    assert!(second.contains(r#"<a href="../../../partnerships/index.html" rel="prev">"#));
    assert!(second.contains(r#"<a href="../../../partnerships/page/3/index.html" rel="next">"#));
    assert!(
        second.contains(r#"<a aria-current="page">2</a>"#),
        "{second}"
    );
    assert!(!nth(1).contains("rel=\"prev\"") && !nth(3).contains("rel=\"next\""));
    assert!(
        page(&pages, "partnerships/page/2/index.html")
            .contains("<title>Partnerships, page 2 of 3 ·")
    );

    // A long list's pager names the first and last pages and those near the current one.
    let one_a_page = render(1);
    let first = main_of(page(&one_a_page, "partnerships/index.html"));
    assert!(first.contains("Rows 1–1: page 1 of 5"), "{first}");
    for n in [2, 3, 5] {
        assert!(first.contains(&format!("partnerships/page/{n}/index.html\">{n}</a>")));
    }
    assert!(
        !first.contains("partnerships/page/4/index.html\">4<"),
        "{first}"
    );
    assert!(first.contains("<li>…</li>"), "{first}");

    // A topic's partnerships page the same way; the organizations active on it head its
    // first page only, and every page links the topic's own JSON.
    let topic = "topics/quantum-sensing";
    let first_page = page(&pages, &format!("{topic}/index.html"));
    let third = page(&pages, &format!("{topic}/page/3/index.html"));
    assert_eq!(rows(main_of(third)), ["echo"]);
    assert!(main_of(first_page).contains("<dt>Organizations</dt>"));
    assert!(!main_of(third).contains("<dt>Organizations</dt>"));
    assert!(third.contains(r#"href="../../../../topics/quantum-sensing/index.json""#));
    assert!(first_page.contains(r#"href="index.json""#));
}
