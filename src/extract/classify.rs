//! Classify: what a capitalized phrase names when no gazetteer form covers it — a person (a
//! title, a role noun, an appositive, a speech verb), an organization (a head word, a company
//! suffix, a cue noun, an acronym defined after it), or nothing known.

use super::lexicon::Lexicon;
use super::names::{Mention, What, is_head, is_suffix, org_mention};
use super::people::{self, Role};
use super::tokens::Token;
use crate::model::OrgKind;

/// An organization over tokens [a, b) by head word or company suffix, if the phrase is one.
pub(super) fn pattern_org(
    lex: &Lexicon,
    s: &str,
    toks: &[Token],
    a: usize,
    b: usize,
    country: Option<String>,
) -> Option<Mention> {
    let span = &toks[a..b];
    if span.len() < 2 {
        return None;
    }
    let last = span.last()?;
    let lw = last.lower();
    if lex.doc_words.contains(&*lw) || lex.place_words.contains(&*lw) {
        return None;
    }
    let (kind, anchor) = if is_suffix(lex, last) {
        // the suffixes, with a comma between them ("Co., Ltd."), end the name
        let mut k = b - 1;
        while k > a && (is_suffix(lex, &toks[k - 1]) || toks[k - 1].text == ",") {
            k -= 1;
        }
        (OrgKind::Company, k)
    } else {
        let kind = span.iter().rev().find_map(|t| {
            if is_head(lex, t) {
                lex.head_kind(t.text)
            } else {
                None
            }
        })?;
        (kind, a + span.iter().position(|t| is_head(lex, t))?)
    };
    // the name starts at the capitalized run holding the first head word:
    // "Staff of the Grimsby Institute" → "Grimsby Institute"
    let mut start = anchor;
    loop {
        if start > a
            && toks[start - 1].word
            && toks[start - 1].is_cap()
            && !lex.stop_starts.contains(&*toks[start - 1].lower())
        {
            start -= 1;
        } else if start > a + 1
            && toks[start - 2].word
            && toks[start - 2].is_cap()
            && (matches!(toks[start - 1].text, "–" | "-")
                && super::spans::tight_dash(toks, start - 1)
                || toks[start - 1].text == "and" && b > anchor && anchor + 1 == b)
        {
            // "Alpha–Beta Centre"; "Alpha–Beta Trade and Technology Council" (the span
            // finder let "and" in only before a name's final head word)
            start -= 2;
        } else {
            break;
        }
    }
    if b - start < 2 {
        return None;
    }
    let text = s.get(toks[start].start..last.end)?.to_owned();
    // a place in the name gives the country: "University of Oldtown", "Freedonia Space Agency"
    let country = country.or_else(|| {
        toks[start..b]
            .iter()
            .filter(|t| t.word && t.is_cap())
            .find_map(|t| {
                lex.lookup(t.text).into_iter().find_map(|e| match e {
                    super::lexicon::Entry::Place(p) | super::lexicon::Entry::Demonym(p) => {
                        lex.place_country(p).map(str::to_owned)
                    }
                    _ => None,
                })
            })
    });
    Some(org_mention(
        &text,
        None,
        kind,
        country,
        text.clone(),
        toks,
        start,
        b,
    ))
}

/// Classifies the capitalized phrase over tokens [a, b).
pub(super) fn classify(
    lex: &Lexicon,
    s: &str,
    toks: &[Token],
    a: usize,
    b: usize,
    country: Option<String>,
    named: &[bool],
) -> Mention {
    let text_of = |x: usize, y: usize| {
        s.get(toks[x].start..toks[y - 1].end)
            .unwrap_or_default()
            .to_owned()
    };
    let unknown = Mention {
        what: What::Unknown(text_of(a, b)),
        start: toks[a].start,
        end: toks[b - 1].end,
        t0: a,
        t1: b,
    };
    let tl = people::title_len(lex, &toks[a..b]);
    if tl > 0 {
        let mut r = a + tl;
        if toks
            .get(r)
            .is_some_and(|t| matches!(t.text, "of" | "for" | "to" | "on" | "at"))
        {
            // "Secretary of Commerce Jo Roe": the name is the last two words, after at least
            // one word of the title's complement ("Minister for Digital Affairs" names nobody)
            let name_at = b.saturating_sub(2);
            let after_the = name_at > 0 && toks[name_at - 1].text == "the";
            r = if name_at >= r + 2 && !after_the {
                name_at
            } else {
                b
            };
        }
        if r < b && people::name_shaped(&toks[r..b]) && !toks[r..b].iter().any(|t| is_head(lex, t))
        {
            let mut from = a;
            while from > 0 && named.get(from - 1).copied().unwrap_or(false) {
                from -= 1;
            }
            let role_end = toks[r - 1].end;
            let title = s.get(toks[from].start..role_end).map(|t| Role {
                text: t.to_owned(),
                start: toks[from].start,
                end: role_end,
            });
            // an honorific ("Dr.", "Dame") is no role; an appositive or a role before says more
            let honorific = tl == r - a && lex.honorifics.contains(&*toks[a].lower());
            let role = people::role_after(lex, s, toks, b)
                .filter(|_| honorific || tl == 1)
                .or(if honorific { None } else { title })
                .or_else(|| people::role_before(lex, s, toks, from, named));
            return Mention {
                what: What::Person {
                    name: text_of(r, b),
                    role,
                    titled: b - r == 1,
                },
                start: toks[r].start,
                end: toks[b - 1].end,
                t0: r,
                t1: b,
            };
        }
        return Mention {
            what: What::Unknown(String::new()),
            ..unknown
        };
    }
    let prev = a
        .checked_sub(1)
        .map(|i| toks[i].lower())
        .unwrap_or_default();
    if lex.not_org_cues.contains(&*prev) {
        return unknown;
    }
    // "the university's Oldtown campus", "the Oldtown district": a place word after the name
    let next = toks.get(b).map(Token::lower).unwrap_or_default();
    let place_after = toks.get(b).is_some_and(|t| t.is_lower())
        && (lex.doc_words.contains(&*next) || lex.place_words.contains(&*next));
    if place_after {
        return unknown;
    }
    if let Some(m) = pattern_org(lex, s, toks, a, b, country.clone()) {
        return m;
    }
    let words: Vec<String> = toks[a..b].iter().map(|t| t.lower().into_owned()).collect();
    let place_last = words.last().is_some_and(|w| lex.place_words.contains(w));
    if place_last || words.iter().any(|w| lex.doc_words.contains(w)) {
        let defined = toks.get(b).is_some_and(|t| t.text == "(")
            && words.last().is_some_and(|w| w.starts_with("program"));
        // a named partnership with its own acronym is a consortium: "the Zed Partnership (ZP)"
        let acronym = toks.get(b).is_some_and(|t| t.text == "(")
            && toks.get(b + 1).is_some_and(|t| {
                t.word && t.text.chars().filter(|c| c.is_uppercase()).count() >= 2
            })
            && toks.get(b + 2).is_some_and(|t| t.text == ")");
        let named_group =
            b - a >= 2 && words.last().is_some_and(|w| lex.group_words.contains(w)) && acronym;
        if named_group {
            let text = text_of(a, b);
            return org_mention(
                &text,
                None,
                OrgKind::Consortium,
                country,
                text.clone(),
                toks,
                a,
                b,
            );
        }
        if !defined {
            return unknown;
        }
    }
    if let Some(kind) = lex.org_cues.get(&*prev) {
        let text = text_of(a, b);
        return org_mention(&text, None, *kind, country, text.clone(), toks, a, b);
    }
    if people::name_shaped(&toks[a..b]) && b - a <= 5 {
        let role = people::role_after(lex, s, toks, b)
            .or_else(|| people::role_before(lex, s, toks, a, named));
        if role.is_some() || people::person_cue(lex, toks, a, b) {
            return Mention {
                what: What::Person {
                    name: text_of(a, b),
                    role,
                    titled: false,
                },
                ..unknown
            };
        }
    }
    if let Some(kind) = cued_org(lex, toks, a, b) {
        let text = text_of(a, b);
        return org_mention(&text, None, kind, country, text.clone(), toks, a, b);
    }
    let defines = toks.get(b).is_some_and(|t| t.text == "(")
        && toks
            .get(b + 1)
            .is_some_and(|t| t.word && t.text.chars().filter(|c| c.is_uppercase()).count() >= 2)
        && toks.get(b + 2).is_some_and(|t| t.text == ")");
    if defines && b - a >= 2 {
        let text = text_of(a, b);
        return org_mention(
            &text,
            None,
            OrgKind::Other,
            country,
            text.clone(),
            toks,
            a,
            b,
        );
    }
    unknown
}

/// Context cues that make the capitalized phrase over [a, b) an organization though it has no
/// head word or suffix: an appositive ("X, a Freedonian robot maker,"), a role before it
/// ("managing director at X"), a partnership verb after it ("X and Y signed", "X will team
/// up") or before it ("team up with X").
fn cued_org(lex: &Lexicon, toks: &[Token], a: usize, b: usize) -> Option<OrgKind> {
    let lw = |i: usize| {
        toks.get(i)
            .map(|t| t.lower().into_owned())
            .unwrap_or_default()
    };
    // a short name only: a longer capitalized run is more likely a title or a heading
    if b - a > 3 || toks[a..b].iter().any(|t| t.poss && a + 1 < b) {
        return None;
    }
    // appositive: ", a|an [words] NOUN" closed by punctuation or a clause word
    if lw(b) == "," && matches!(lw(b + 1).as_str(), "a" | "an") {
        let mut k = b + 2;
        while k < toks.len() && k < b + 8 && toks[k].word {
            let w = lw(k);
            if let Some(kind) = lex.org_cues.get(&w) {
                let next = toks.get(k + 1);
                let closes = next.is_none_or(|t| {
                    !t.word
                        || matches!(
                            t.text,
                            "that"
                                | "which"
                                | "based"
                                | "headquartered"
                                | "founded"
                                | "known"
                                | "and"
                                | "with"
                                | "in"
                                | "from"
                        )
                });
                if closes {
                    return Some(*kind);
                }
            }
            k += 1;
        }
    }
    // "managing director at X"
    if a >= 2 && lw(a - 1) == "at" && lex.role_words.contains(&lw(a - 2)) {
        return Some(OrgKind::Company);
    }
    // "team up with X", "an agreement with X"
    if a >= 2 && lw(a - 1) == "with" && lex.with_cues.contains(&lw(a - 2)) {
        return Some(OrgKind::Company);
    }
    // "X signed", "X will team up", "X and Y signed"
    let single = b - a == 1 || !super::people::name_shaped(&toks[a..b]);
    let mut k = b;
    if lw(k) == "and" {
        k += 1;
        while toks.get(k).is_some_and(|t| t.word && t.is_cap()) {
            k += 1;
        }
        if k == b + 1 {
            return None;
        }
    }
    if matches!(
        lw(k).as_str(),
        "will" | "has" | "have" | "had" | "also" | "today"
    ) {
        k += 1;
    }
    let verb = lw(k);
    let team = matches!(verb.as_str(), "team" | "join") && lw(k + 1) == "up"
        || verb == "join" && lw(k + 1) == "forces";
    if single && (lex.party_verbs.contains(&verb) || team) {
        return Some(OrgKind::Company);
    }
    // "Y and X signed": X preceded by "and" after a name
    if single && a >= 2 && lw(a - 1) == "and" && toks[a - 2].word && toks[a - 2].is_cap() {
        let mut k = b;
        if matches!(lw(k).as_str(), "will" | "has" | "have" | "had" | "also") {
            k += 1;
        }
        if lex.party_verbs.contains(&lw(k)) || matches!(lw(k).as_str(), "team") {
            return Some(OrgKind::Company);
        }
    }
    None
}
