//! Tests of the lexicon.

use super::*;

fn lex() -> Lexicon {
    Lexicon::from_toml(
        r#"
        [[orgs]]
        kind = "lab"
        country = "Freedonia"
        names = ["Zorblat Research Institute|ZRI|Zorblat", "qlab"]
        [[places]]
        kind = "country"
        names = ["Freedonia|Fredonia ; Freedonian"]
        "#,
    )
    .unwrap()
}

#[test]
fn built_in_data_parses() {
    let lex = Lexicon::load(None).unwrap();
    assert!(lex.orgs.len() > 100, "{}", lex.orgs.len());
    assert!(!lex.titles.is_empty() && !lex.currencies.is_empty());
}

#[test]
fn site_data_extends_the_gazetteer() {
    let lex = lex();
    let Entry::Org(i) = lex.lookup("ZRI")[0] else {
        panic!()
    };
    assert_eq!(lex.orgs[i].name, "Zorblat Research Institute");
    assert_eq!(lex.orgs[i].country.as_deref(), Some("Freedonia"));
}

#[test]
fn short_acronyms_match_case_exactly_but_long_names_fold() {
    let lex = lex();
    assert!(lex.lookup("zri").is_empty());
    assert!(!lex.lookup("ZORBLAT research institute").is_empty());
    assert!(!lex.lookup("Qlab").is_empty());
}

#[test]
fn demonyms_and_aliases_give_the_country() {
    let lex = lex();
    assert_eq!(lex.country_of("Freedonian").as_deref(), Some("Freedonia"));
    assert_eq!(lex.country_of("Fredonia").as_deref(), Some("Freedonia"));
}
