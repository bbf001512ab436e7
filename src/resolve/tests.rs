//! Tests of the resolve stage, on invented documents.

use super::*;
use crate::extract::extract;

fn facts(name: &str, body: &str) -> Facts {
    let lex = Lexicon::load(None).unwrap();
    let text = format!("Title line\n\nJune 3, 2021\n\n{body}\n");
    let doc = crate::load::parse(
        std::path::Path::new(name),
        name.into(),
        text.as_bytes(),
        &crate::load::Limits::default(),
    )
    .unwrap();
    extract(&crate::clean::clean(&doc).unwrap(), &lex)
}

fn model(docs: &[(&str, &str)]) -> Model {
    let lex = Lexicon::load(None).unwrap();
    resolve(docs.iter().map(|(n, b)| facts(n, b)).collect(), &lex)
}

#[test]
fn one_organization_per_real_thing_across_documents() {
    let m = model(&[
        (
            "a.txt",
            "The Pellow Institute of Technology (PIT) will work with Zed University on robots.",
        ),
        (
            "b.txt",
            "Staff at the Pellow Institute of Technology agreed to cooperate with Zed University on sensors.",
        ),
    ]);
    let names: Vec<_> = m.organizations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Pellow Institute of Technology", "Zed University"]);
    assert_eq!(m.partnerships.len(), 1, "{:?}", m.partnerships);
    assert_eq!(
        m.partnerships[0].title,
        "Pellow Institute of Technology – Zed University partnership"
    );
}

#[test]
fn surname_in_another_document_joins_the_full_name() {
    let m = model(&[
        (
            "a.txt",
            "“We agree,” said Ada Quill, director of the Pellow Institute.",
        ),
        ("b.txt", "Quill said the lab would grow."),
    ]);
    assert_eq!(m.people.len(), 1, "{:?}", m.people);
    assert_eq!(m.people[0].quotes.len(), 1);
}

#[test]
fn output_is_sorted_and_deterministic() {
    let docs = [
        (
            "b.txt",
            "Zed University and Pellow University signed an agreement on 3 May 2021 to share $5 million.",
        ),
        (
            "a.txt",
            "The Grimsby Council will work with Zed University, said Bo Tran, chairman of the council.",
        ),
    ];
    let one = model(&docs);
    let mut rev = docs;
    rev.reverse();
    assert_eq!(one, model(&rev));
    assert!(one.organizations.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(one.commitments.len(), 1);
    assert!(!one.events.is_empty());
    assert!(!one.countries.is_empty() || one.organizations.iter().all(|o| o.country.is_none()));
}

#[test]
fn misspelled_surname_resolves_to_person_already_named() {
    let m = model(&[(
        "a.txt",
        "Prime Minister Ada Quillby met staff. Later, Prime Minister Quilby left the room.",
    )]);
    assert_eq!(m.people.len(), 1, "{:?}", m.people);
    assert!(m.people[0].aliases.iter().any(|a| a == "Quilby"));
}

#[test]
fn variant_spelling_in_another_document_is_the_same_person() {
    let m = model(&[
        ("a.txt", "Gov. Ada Quillby said the lab would open soon."),
        ("b.txt", "Gov. Ada Quilby said the lab was open now."),
    ]);
    assert_eq!(m.people.len(), 1, "{:?}", m.people);
    assert!(m.people[0].aliases.iter().any(|a| a == "Ada Quilby"));
}
