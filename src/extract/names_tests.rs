//! Tests of the name finder, on invented names.

use super::*;
use crate::extract::tokens::tokenize;

fn lex() -> Lexicon {
    Lexicon::from_toml(
        r#"
        [[orgs]]
        kind = "university"
        country = "Freedonia"
        names = ["University of Zorblat|UZ", "Quarx University|Quarx"]
        [[orgs]]
        kind = "company"
        country = "Freedonia"
        names = ["Blimco", "Zentek Group|Zentek"]
        [[places]]
        kind = "country"
        names = ["Freedonia ; Freedonian"]
        [[places]]
        kind = "city"
        country = "Freedonia"
        names = ["Oldtown"]
        "#,
    )
    .unwrap()
}

fn found(s: &str) -> Vec<(String, &'static str)> {
    let lex = lex();
    let toks = tokenize(s);
    find(&lex, s, &toks)
        .into_iter()
        .filter_map(|m| match m.what {
            What::Org { name, .. } => Some((name, "org")),
            What::Person { name, .. } => Some((name, "person")),
            What::Place(_) => Some((s[m.start..m.end].to_owned(), "place")),
            What::Unknown(_) => None,
        })
        .collect()
}

fn has(s: &str, name: &str, what: &str) -> bool {
    found(s).iter().any(|(n, w)| n == name && *w == what)
}

#[test]
fn gazetteer_names_and_aliases_are_found() {
    let f = found("The University of Zorblat and Quarx will work with Zentek.");
    assert_eq!(
        f,
        [
            ("University of Zorblat".into(), "org"),
            ("Quarx University".into(), "org"),
            ("Zentek Group".into(), "org")
        ]
    );
}

#[test]
fn head_word_patterns_find_unknown_organizations() {
    assert!(has(
        "Staff of the Grimsby Institute of Technology agreed.",
        "Grimsby Institute of Technology",
        "org"
    ));
    assert!(has(
        "It joined Pellow University last year.",
        "Pellow University",
        "org"
    ));
    assert!(has(
        "The Ministry of Trade, Industry and Fishing (MOTIF) agreed.",
        "Ministry of Trade, Industry and Fishing",
        "org"
    ));
}

#[test]
fn two_organizations_joined_by_and_stay_apart() {
    let f = found("The University of Grimsby and Pellow University signed.");
    assert_eq!(f.len(), 2, "{f:?}");
}

#[test]
fn company_suffix_makes_a_company() {
    assert!(has(
        "Shares of Dravo Widgets Inc. rose.",
        "Dravo Widgets Inc.",
        "org"
    ));
}

#[test]
fn titles_make_people_and_keep_the_role() {
    let lex = lex();
    let s = "Freedonian Prime Minister Ada Quill met Gov. Bo Tran.";
    let toks = tokenize(s);
    let ms = find(&lex, s, &toks);
    let people: Vec<_> = ms
        .iter()
        .filter_map(|m| match &m.what {
            What::Person { name, role, .. } => {
                Some((name.clone(), role.as_ref().map(|r| r.text.clone())))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        people,
        [
            ("Ada Quill".into(), Some("Freedonian Prime Minister".into())),
            ("Bo Tran".into(), Some("Gov.".into()))
        ]
    );
}

#[test]
fn appositive_role_and_speech_verbs_make_people() {
    assert!(has(
        "“Yes,” said Ada Quill, director of Blimco.",
        "Ada Quill",
        "person"
    ));
    assert!(has("Bo Tran said the deal was done.", "Bo Tran", "person"));
    assert!(has(
        "Blimco chief executive Cy Dunn spoke.",
        "Cy Dunn",
        "person"
    ));
}

#[test]
fn places_are_not_organizations_or_people() {
    let f = found("Officials in Oldtown welcomed it.");
    assert_eq!(f, [("Oldtown".into(), "place")]);
}

#[test]
fn possessive_country_does_not_join_the_name() {
    assert!(has(
        "Freedonia's Department of Widgets (DOW) agreed.",
        "Department of Widgets",
        "org"
    ));
}

#[test]
fn demonym_before_ministry_joins_the_name() {
    assert!(has(
        "The Freedonian Ministry of Foreign Affairs agreed.",
        "Freedonian Ministry of Foreign Affairs",
        "org"
    ));
}

#[test]
fn state_of_a_place_is_a_government() {
    assert!(has(
        "Blimco and the state of Oldtown agreed.",
        "State of Oldtown",
        "org"
    ));
}

#[test]
fn sub_unit_named_after_a_known_parent_is_its_own_organization() {
    assert!(has(
        "The Blimco Research Institute opened.",
        "Blimco Research Institute",
        "org"
    ));
}

#[test]
fn cue_noun_before_a_name_makes_an_organization() {
    assert!(has(
        "It was built by developer Hask Morrow in the city.",
        "Hask Morrow",
        "org"
    ));
}

#[test]
fn documents_and_events_are_not_organizations() {
    assert!(
        found("They signed the Memorandum of Cooperation at the Oldtown Summit.")
            .iter()
            .all(|(_, w)| *w != "org")
    );
}

#[test]
fn never_panics_on_odd_input() {
    for s in [
        "",
        "(",
        "The",
        "A (B",
        "Ministry of , and",
        "Dr.",
        "“”",
        "東京 University of",
        "of of of",
    ] {
        let _ = found(s);
    }
}

#[test]
fn a_place_in_the_name_gives_the_country() {
    let lex = lex();
    let s = "Staff of the Oldtown Institute of Robotics agreed.";
    let toks = tokenize(s);
    let ms = find(&lex, s, &toks);
    assert!(
        ms.iter()
            .any(|m| matches!(&m.what, What::Org { country: Some(c), .. } if c == "Freedonia"))
    );
}

#[test]
fn context_cues_find_organizations_without_head_words() {
    assert!(has(
        "Plimvex, a Freedonian robot maker, will expand.",
        "Plimvex",
        "org"
    ));
    assert!(has(
        "Soon, Gorvane will team up with Trellix on drones.",
        "Gorvane",
        "org"
    ));
    assert!(has(
        "Soon, Gorvane will team up with Trellix on drones.",
        "Trellix",
        "org"
    ));
    assert!(has(
        "Yesterday Quorbit and Dalmex signed a pact.",
        "Quorbit",
        "org"
    ));
    assert!(has(
        "Yesterday Quorbit and Dalmex signed a pact.",
        "Dalmex",
        "org"
    ));
    assert!(has(
        "Ada Quill, managing director at Vornax, spoke.",
        "Vornax",
        "org"
    ));
    // no cue: no organization
    assert!(!has("Zelbor lies north of the river.", "Zelbor", "org"));
    assert!(!has("Ada Quill, a keen sailor, spoke.", "Ada Quill", "org"));
}

#[test]
fn honorific_without_period_is_not_part_of_the_name() {
    assert!(has(
        "Dr Ada Quill welcomed the plan.",
        "Ada Quill",
        "person"
    ));
}

#[test]
fn a_name_before_a_place_word_is_no_organization() {
    assert!(!has(
        "Classes move to the university's Brellow campus next year.",
        "Brellow",
        "org"
    ));
}

#[test]
fn a_named_partnership_with_an_acronym_is_an_organization() {
    let lex = lex();
    let s = "The Quenby Partnership (QP) has nine members.";
    let toks = tokenize(s);
    let m = find(&lex, s, &toks);
    assert!(m.iter().any(|m| matches!(&m.what,
        What::Org { name, kind: OrgKind::Consortium, .. } if name == "Quenby Partnership")));
}

#[test]
fn dashes_and_inner_and_stay_inside_a_name_ending_with_a_head_word() {
    assert!(has(
        "The Kelvo–Marsh Centre for Tides opened.",
        "Kelvo–Marsh Centre for Tides",
        "org"
    ));
    assert!(has(
        "It met the Freedonia–Ruritania Trade and Technology Council in May.",
        "Freedonia–Ruritania Trade and Technology Council",
        "org"
    ));
    // two organizations joined by "and" stay two
    assert!(has(
        "Kelvo and Marsh Institute signed.",
        "Marsh Institute",
        "org"
    ));
}
