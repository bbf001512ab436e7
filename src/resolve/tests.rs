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

mod kept_model {
    use super::*;
    use crate::resolve::kept;

    /// A document's facts as the site sees them: its source id is its name's stem.
    fn doc(name: &str, body: &str) -> Facts {
        let mut f = facts(name, body);
        f.source.id = name.split('.').next().unwrap().to_owned();
        f
    }

    /// Keeps the model resolved from `before` at `at` and asks it for the model of `after`.
    fn kept_for(before: &[Facts], after: &[Facts], at: &std::path::Path) -> Option<Model> {
        let salt = blake3::hash(b"a test's salt");
        let hashes: Vec<_> = before.iter().map(|f| kept::hashes(f).unwrap()).collect();
        let (mut model, routes) = resolve_routed(before.to_vec());
        kept::keep(at.to_path_buf(), &salt, hashes, routes, &mut model);
        crate::cache::wait();
        let hashes: Vec<_> = after.iter().map(|f| kept::hashes(f).unwrap()).collect();
        let mut model = kept::take(at)?.model_for(&salt, after, &hashes)?;
        model.sources = after.iter().map(|f| f.source.clone()).collect();
        Some(model)
    }

    const A: &str = "Zed University and Quorn Institute of Technology signed an agreement on \
                     March 3, 2024 to study robotics. Quorn will give Zed University $4 million.";
    const B: &str = "Pellow College will work with Zed University on sensors. \
                     \"It is a start,\" said Ada Quill, president of Pellow College.";

    #[test]
    fn a_kept_model_given_a_documents_new_citations_is_the_model_resolved_anew() {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().join("resolved.bin");
        let before = [doc("a.txt", A), doc("b.txt", B)];
        let told_again = format!("{B}\n\nThe partners will add two more doctoral fellowships.");
        let after = [doc("a.txt", A), doc("b.txt", &told_again)];
        let cites = |m: &Model| {
            m.partnerships
                .iter()
                .map(|p| p.citations.len())
                .sum::<usize>()
        };
        let anew = resolve(after.to_vec(), &Lexicon::load(None).unwrap());
        assert!(
            cites(&anew) > cites(&resolve(before.to_vec(), &Lexicon::load(None).unwrap())),
            "the added sentence is cited: {:?}",
            anew.partnerships
        );
        let patched = kept_for(&before, &after, &at).expect("only citations changed");
        assert_eq!(patched, anew);

        // Unchanged, it is the model as kept.
        let same = kept_for(&before, &before, &at).expect("nothing changed");
        assert_eq!(
            same,
            resolve(before.to_vec(), &Lexicon::load(None).unwrap())
        );
    }

    #[test]
    fn a_kept_model_is_not_taken_for_new_names_another_salt_or_other_documents() {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().join("resolved.bin");
        let before = [doc("a.txt", A), doc("b.txt", B)];
        let named = format!("{B}\n\nOrrin Labs will join Pellow College in the work.");
        assert_eq!(
            kept_for(&before, &[doc("a.txt", A), doc("b.txt", &named)], &at),
            None
        );
        assert_eq!(kept_for(&before, &[doc("a.txt", A)], &at), None);
        assert_eq!(
            kept_for(&before, &[doc("a.txt", A), doc("c.txt", B)], &at),
            None
        );
        // Another salt (another accord, other data files) is another cache.
        let hashes: Vec<_> = before.iter().map(|f| kept::hashes(f).unwrap()).collect();
        let (mut model, routes) = resolve_routed(before.to_vec());
        kept::keep(
            at.clone(),
            &blake3::hash(b"one"),
            hashes.clone(),
            routes,
            &mut model,
        );
        crate::cache::wait();
        let kept = kept::take(&at).unwrap();
        assert!(
            kept.model_for(&blake3::hash(b"two"), &before, &hashes)
                .is_none()
        );
    }
}
