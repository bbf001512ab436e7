//! Property tests: slugs are always safe file names, and no input text makes the per-document
//! stages panic.

use accord::extract::{Lexicon, extract};
use accord::load::{Limits, parse};
use accord::slug::{Slugger, slugify};
use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;

/// Built once: loading the gazetteer per case would dominate the run.
static LEX: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::load(None).expect("built-in data"));

proptest! {
    #[test]
    fn any_name_gives_a_safe_bounded_slug(name in "\\PC{0,200}") {
        let s = slugify(&name);
        prop_assert!(!s.is_empty());
        prop_assert!(s.len() <= 83, "{}", s);
        prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", s);
        prop_assert!(!s.starts_with('-') && !s.ends_with('-'), "{}", s);
        prop_assert!(accord::write::safe_relative(&(s.clone() + "/index.html")).is_ok());
    }

    #[test]
    fn slugger_never_hands_out_a_slug_twice(names in prop::collection::vec("[a-cA-C -]{0,6}", 0..40)) {
        let mut slugger = Slugger::default();
        let mut seen = std::collections::BTreeSet::new();
        for n in &names {
            prop_assert!(seen.insert(slugger.unique(n)));
        }
    }

    #[test]
    fn per_document_stages_never_panic(body in "(\\PC|\\n){0,400}", ext in prop::sample::select(vec!["txt", "md"])) {
        let name = format!("doc.{ext}");
        if let Ok(doc) = parse(Path::new(&name), name.clone(), body.as_bytes(), &Limits::default())
            && let Ok(article) = accord::clean::clean(&doc)
        {
            let _ = extract(&article, &LEX);
        }
    }

    #[test]
    fn money_and_date_shaped_text_never_panics(
        prefix in "(\\$|US\\$|€|£|¥|₩|USD |EUR )?",
        number in "[0-9]{1,4}([.,][0-9]{1,3})?",
        unit in "( million| billion| trillion|bn|m|M| yen| won| euros)?",
        date in "((January|May|Sept\\.?) [0-9]{1,2}, [0-9]{4}|[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4}|last (summer|Tuesday|year))",
    ) {
        let text = format!("Title\n\nAlpha University will give {prefix}{number}{unit} to Beta Institute of Technology on {date}.\n");
        let doc = parse(Path::new("a.txt"), "a.txt".into(), text.as_bytes(), &Limits::default()).unwrap();
        let article = accord::clean::clean(&doc).unwrap();
        let _ = extract(&article, &LEX);
    }
}
