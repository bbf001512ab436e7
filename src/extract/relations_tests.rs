//! Tests of partnership finding, on invented names.

use super::has_words;
use crate::extract::tests_support::facts_of;

fn party_names(body: &str) -> Vec<Vec<String>> {
    let f = facts_of(body);
    f.partnerships
        .iter()
        .map(|p| p.parties.iter().map(|&i| f.orgs[i].name.clone()).collect())
        .collect()
}

#[test]
fn two_organizations_and_a_cue_make_a_partnership() {
    let p = party_names("The University of Grimsby will work with Pellow University on robotics.");
    assert_eq!(p, [["University of Grimsby", "Pellow University"]]);
}

#[test]
fn coordinated_subjects_before_a_joint_verb_are_partners() {
    let p = party_names(
        "The University of Grimsby and Pellow University unveiled the plan on Thursday.",
    );
    assert_eq!(p.len(), 1);
}

#[test]
fn organizations_without_a_cue_are_not_partners() {
    assert!(
        party_names("The University of Grimsby and Pellow University are both old.").is_empty()
    );
}

#[test]
fn part_of_keeps_an_organization_out() {
    let p = party_names(
        "The Grimsby Council, part of the Pellow Association, signed a memorandum with Zed University.",
    );
    assert_eq!(p, [["Grimsby Council", "Zed University"]]);
}

#[test]
fn two_countries_agreeing_are_their_governments() {
    let p = party_names("The United States and India formally launched the initiative on Tuesday.");
    assert_eq!(
        p,
        [["Government of the United States", "Government of India"]]
    );
}

#[test]
fn countries_as_locations_are_not_parties() {
    assert!(
        party_names("Two centers in the United States and Japan have agreed to cooperate.")
            .is_empty()
    );
}

#[test]
fn the_two_sides_refers_to_the_last_partnership() {
    let f = facts_of(
        "Zed University and the Pellow Institute agreed to cooperate. The two sides signed an agreement on 3 March 2021.",
    );
    assert_eq!(f.partnerships.len(), 1);
    assert_eq!(
        f.partnerships[0].announced.as_ref().unwrap().0,
        "2021-03-03"
    );
}

#[test]
fn list_items_with_a_description_are_members() {
    let p = party_names(
        "Three firms signed up as founding members:\n\n1. Quarvex — makes drones\n\n2. TELMA — builds sensors\n\n3. Drobble Works — writes software\n",
    );
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].len(), 3, "{p:?}");
}

#[test]
fn a_person_before_whom_an_organization_and_its_acronym_stand_works_there() {
    let f = facts_of("The Grimsby Institute (GI) director Lu Marn said the work would start soon.");
    let p = f
        .people
        .iter()
        .find(|p| p.name == "Lu Marn")
        .expect("person");
    assert_eq!(
        p.org.map(|o| f.orgs[o].name.as_str()),
        Some("Grimsby Institute")
    );
}

#[test]
fn an_announcement_and_its_signing_days_before_are_one_partnership() {
    let p = party_names(
        "Oldtown, March 20, 2025 — Grimsby Labs Inc. today announced a partnership with Pellow University.\n\n\
         Grimsby Labs Inc. and Pellow University signed the agreement on Monday.",
    );
    assert_eq!(p.len(), 1, "{p:?}");
}

#[test]
fn words_are_found_whole_as_the_spaced_string_would_be() {
    let cases = [
        (" they signed an agreement ", "an agreement", true),
        (" they signed an agreements ", "an agreement", false),
        (" the plan ", "plan", true),
        (" xab ab ab ", "ab ab", true), // an earlier partial match overlaps a whole one
        (" xab abc ", "ab", false),
        (" écoles é ", "é", true),
    ];
    for (words, phrase, want) in cases {
        assert_eq!(has_words(words, phrase), want, "{phrase:?} in {words:?}");
        assert_eq!(
            words.contains(&format!(" {phrase} ")),
            want,
            "{phrase:?} in {words:?}"
        );
    }
}

#[test]
fn phrase_sets_find_what_the_spaced_strings_find() {
    use crate::extract::lexicon::Phrases;
    let phrases = Phrases::new([(0, "an agreement"), (1, "plan"), (1, "ab ab"), (2, "é")]);
    for words in [
        " they signed an agreement ",
        " they signed an agreements ",
        " the plan and an agreement ",
        " xab ab ab ",
        " écoles é ",
        " nothing here ",
    ] {
        let want: Vec<usize> = [(0, "an agreement"), (1, "plan"), (1, "ab ab"), (2, "é")]
            .iter()
            .filter(|(_, p)| words.contains(&format!(" {p} ")))
            .map(|(g, _)| *g)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(phrases.groups(words), want, "{words:?}");
        assert_eq!(phrases.any(words), !want.is_empty(), "{words:?}");
    }
}
