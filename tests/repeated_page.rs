//! A huge page of one paragraph repeated (a scrape gone wrong) gives each fact once, with a
//! bounded number of citations, and small record pages.

mod common;

use accord::model::MAX_CITATIONS_PER_SOURCE;
use common::*;

/// A realistic partnership paragraph: two universities, a funder, an amount, a date, a place
/// and a quote from a named president.
const PARAGRAPH: &str = "Northvale University and the University of Eastmere announced a \
research partnership on marine robotics on March 3, 2024, with a $12 million commitment from \
the Harrowgate Foundation. “This partnership brings our two campuses together,” said Ada \
Kestrel, president of Northvale University. The universities will open a joint laboratory in \
Port Lyle.";

/// About 1 MB: thousands of copies, yet quick in the debug build the tests use. (The 5 MB page
/// of the issue builds in about two seconds of CPU in a release build.)
const BYTES: usize = 1_000_000;

#[test]
fn a_page_of_one_paragraph_repeated_gives_each_fact_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("seeds")).unwrap();
    let mut text = String::from(
        "Two universities join forces on marine robotics\n\nBy Staff Writer\n\nMarch 4, 2024\n\n",
    );
    let mut copies = 0;
    while text.len() < BYTES {
        text.push_str(PARAGRAPH);
        text.push_str("\n\n");
        copies += 1;
    }
    assert!(copies > 2500);
    std::fs::write(site.join("seeds/repeated.txt"), &text).unwrap();
    let out = dir.path().join("public");
    build(&site, &out);

    let m = model(&out);
    let cited: Vec<(&str, &Vec<accord::model::Citation>)> = (m.organizations.iter())
        .map(|o| (o.id.as_str(), &o.citations))
        .chain(m.people.iter().map(|p| (p.id.as_str(), &p.citations)))
        .chain(m.partnerships.iter().map(|p| (p.id.as_str(), &p.citations)))
        .chain(m.commitments.iter().map(|c| (c.id.as_str(), &c.citations)))
        .chain(m.events.iter().map(|e| (e.id.as_str(), &e.citations)))
        .collect();
    assert!(cited.len() >= 5, "{cited:?}");
    for (id, citations) in cited {
        assert!(!citations.is_empty(), "{id} is cited");
        assert!(citations.len() <= MAX_CITATIONS_PER_SOURCE, "{id}");
        let mut sentences: Vec<&str> = citations.iter().map(|c| &*c.sentence).collect();
        sentences.sort();
        sentences.dedup();
        assert_eq!(
            sentences.len(),
            citations.len(),
            "{id}: a sentence cited twice"
        );
        assert!(
            citations.iter().all(|c| c.paragraph == 0),
            "{id}: the first statement is the one cited"
        );
    }
    assert_eq!(m.partnerships.len(), 1, "{:?}", m.partnerships);
    assert_eq!(m.commitments.len(), 1, "{:?}", m.commitments);
    assert!(m.events.len() <= 2, "{:?}", m.events);
    let person = m.people.iter().find(|p| p.name == "Ada Kestrel").unwrap();
    assert_eq!(person.quotes.len(), 1);

    // Every page but the source's own (which holds the whole text) stays small.
    for (path, bytes) in read_tree(&out) {
        if path.starts_with("sources/repeated/") || path == "data/model.json" {
            continue;
        }
        assert!(bytes.len() < 64 * 1024, "{path} is {} bytes", bytes.len());
    }
}
