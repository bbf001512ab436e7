//! Names: organizations, people and places in one sentence. Gazetteer forms are matched first
//! (longest wins); the remaining capitalized phrases are classified by patterns: a title or role
//! makes a person; a head word ("University", "Ministry"), a company suffix, a cue noun
//! ("developer X") or an acronym defined in parentheses makes an organization.

use super::classify::{classify, pattern_org};
use super::lexicon::{Entry, Lexicon};
use super::people::Role;
use super::spans::{gaz_at, span_end};
use super::tokens::Token;
use crate::model::OrgKind;

/// What a mention names.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// An organization.
    Org {
        /// Name as written (or the gazetteer's canonical name).
        name: String,
        /// Gazetteer index.
        gaz: Option<usize>,
        /// Kind.
        kind: OrgKind,
        /// Country, from the gazetteer or a cue next to it.
        country: Option<String>,
        /// Acronym defined right after it ("(NSF)").
        acronym: Option<String>,
        /// The form as written, when it differs from `name`.
        written: String,
    },
    /// A person.
    Person {
        /// Name as written (without title).
        name: String,
        /// Role next to the name.
        role: Option<Role>,
        /// Named with a title only ("President Roe").
        titled: bool,
    },
    /// A place (index into the lexicon's places).
    Place(usize),
    /// A capitalized phrase with no cue; may still be a short form of something named.
    Unknown(String),
}

/// One mention in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// What it names.
    pub what: What,
    /// Byte range in the sentence.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Token range.
    pub t0: usize,
    /// End of the token range.
    pub t1: usize,
}

pub(super) fn is_head(lex: &Lexicon, t: &Token) -> bool {
    t.word && t.is_cap() && lex.head_kind(t.text).is_some()
}

pub(super) fn is_suffix(lex: &Lexicon, t: &Token) -> bool {
    t.word && lex.suffixes.contains(&*t.lower())
}

/// Finds the mentions in one sentence.
pub fn find(lex: &Lexicon, s: &str, toks: &[Token]) -> Vec<Mention> {
    let n = toks.len();
    let mut out: Vec<Mention> = Vec::new();
    let mut named = vec![false; n];
    let mut cue_country: Option<(String, usize)> = None;
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        if let Some((m, entry)) = gaz_at(lex, s, toks, i) {
            let e2 = if m < n && toks[m].is_cap() && !toks[m - 1].poss {
                span_end(lex, s, toks, m)
            } else if m < n
                && matches!(toks[m].text, "–" | "-")
                && super::spans::tight_dash(toks, m)
            {
                // "Gazname–Other Centre": the name goes on past the dash
                span_end(lex, s, toks, i).max(m)
            } else {
                m
            };
            let ext_head = toks[m..e2].iter().any(|t| is_head(lex, t));
            let own_head = toks[i..m].iter().any(|t| is_head(lex, t));
            match entry {
                Entry::Org(g) if !ext_head || own_head => {
                    let org = &lex.orgs[g];
                    let mut end = m;
                    while end < n && is_suffix(lex, &toks[end]) {
                        end += 1;
                    }
                    let last = &toks[end - 1];
                    let first = if lex.stop_starts.contains(&*toks[i].lower()) && end - i > 1 {
                        i + 1
                    } else {
                        i
                    };
                    let written = s
                        .get(toks[first].start..last.start + last.text.len())
                        .unwrap_or_default()
                        .to_owned();
                    out.push(org_mention(
                        &org.name,
                        Some(g),
                        org.kind,
                        org.country.clone(),
                        written,
                        toks,
                        i,
                        end,
                    ));
                    named[i..end].fill(true);
                    i = end;
                    continue;
                }
                Entry::Place(p) | Entry::Demonym(p) if ext_head => {
                    let country = lex.place_country(p).map(str::to_owned);
                    if let Some(mut mention) = pattern_org(lex, s, toks, i, e2, country) {
                        mention_acronym(&mut mention, s, toks);
                        named[i..mention.t1].fill(true);
                        i = mention.t1;
                        out.push(mention);
                        continue;
                    }
                }
                Entry::Org(g) => {
                    let country = lex.orgs[g].country.clone();
                    if let Some(mut mention) = pattern_org(lex, s, toks, i, e2, country) {
                        mention_acronym(&mut mention, s, toks);
                        named[i..mention.t1].fill(true);
                        i = mention.t1;
                        out.push(mention);
                        continue;
                    }
                }
                Entry::Place(p) => {
                    named[i..m].fill(true);
                    if let Some(c) = lex.place_country(p) {
                        cue_country = Some((c.to_owned(), m));
                    }
                    let is_country = lex.places.get(p).is_some_and(|pl| pl.kind == "country");
                    if let Some(gov) = state_of(lex, s, toks, i, m, p) {
                        out.push(gov);
                    } else if is_country
                        && !toks[m - 1].poss
                        && toks.get(m).is_some_and(|t| t.text == "government")
                        && let Some(c) = lex.place_country(p)
                    {
                        // "the UK government"
                        let first = if lex.stop_starts.contains(&*toks[i].lower()) {
                            i + 1
                        } else {
                            i
                        };
                        let written = s
                            .get(toks[first.min(m - 1)].start..toks[m].end)
                            .unwrap_or_default()
                            .to_owned();
                        let name = crate::extract::relations::government_name(c);
                        out.push(org_mention(
                            &name,
                            None,
                            OrgKind::Government,
                            Some(c.to_owned()),
                            written,
                            toks,
                            i,
                            m + 1,
                        ));
                        i = m + 1;
                        continue;
                    } else {
                        out.push(Mention {
                            what: What::Place(p),
                            start: toks[i].start,
                            end: toks[m - 1].end,
                            t0: i,
                            t1: m,
                        });
                    }
                    i = m;
                    continue;
                }
                Entry::Demonym(p) => {
                    named[i..m].fill(true);
                    let country = lex.place_country(p).map(str::to_owned);
                    if toks.get(m).is_some_and(|t| t.text == "government")
                        && let Some(c) = country.clone()
                    {
                        let written = s
                            .get(toks[i].start..toks[m].end)
                            .unwrap_or_default()
                            .to_owned();
                        out.push(org_mention(
                            &crate::extract::relations::government_name(&c),
                            None,
                            OrgKind::Government,
                            Some(c),
                            written,
                            toks,
                            i,
                            m + 1,
                        ));
                        i = m + 1;
                        continue;
                    }
                    cue_country = country.map(|c| (c, m));
                    i = m;
                    continue;
                }
                Entry::Person(_) => {}
            }
        }
        if t.word && t.is_cap() && lex.stop_starts.contains(&*t.lower()) && !t.poss {
            i += 1;
            continue;
        }
        if !(t.word && t.is_cap()) {
            i += 1;
            continue;
        }
        let e = span_end(lex, s, toks, i);
        let country = cue_country
            .as_ref()
            .filter(|(_, at)| i.saturating_sub(*at) <= 4)
            .map(|(c, _)| c.clone());
        let mut mention = classify(lex, s, toks, i, e, country, &named);
        if let What::Org { .. } = mention.what {
            mention_acronym(&mut mention, s, toks);
        }
        if !matches!(mention.what, What::Unknown(_)) {
            named[mention.t0..mention.t1].fill(true);
        }
        i = e.max(i + 1);
        out.push(mention);
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub(super) fn org_mention(
    name: &str,
    gaz: Option<usize>,
    kind: OrgKind,
    country: Option<String>,
    written: String,
    toks: &[Token],
    a: usize,
    b: usize,
) -> Mention {
    Mention {
        what: What::Org {
            name: name.to_owned(),
            gaz,
            kind,
            country,
            acronym: None,
            written,
        },
        start: toks[a].start,
        end: toks[b - 1].end,
        t0: a,
        t1: b,
    }
}

/// "the state of X", "the province of X", "the government of X": a government organization.
fn state_of(
    lex: &Lexicon,
    s: &str,
    toks: &[Token],
    i: usize,
    m: usize,
    p: usize,
) -> Option<Mention> {
    let of = toks.get(i.checked_sub(1)?)?;
    let noun = toks.get(i.checked_sub(2)?)?;
    if of.text != "of"
        || !matches!(
            noun.text,
            "state" | "province" | "government" | "prefecture" | "city" | "State" | "Government"
        )
    {
        return None;
    }
    let place = s.get(toks[i].start..toks[m - 1].end)?;
    let mut label = noun.text.to_owned();
    if let Some(first) = label.get(..1) {
        label = first.to_uppercase() + label.get(1..).unwrap_or("");
    }
    let country = lex.place_country(p).map(str::to_owned);
    let mut mention = org_mention(
        &format!("{label} of {place}"),
        None,
        OrgKind::Government,
        country,
        place.to_owned(),
        toks,
        i - 2,
        m,
    );
    if let What::Org { acronym, .. } = &mut mention.what {
        *acronym = Some(place.to_owned());
    }
    Some(mention)
}

/// An acronym in parentheses right after an organization ("(NSF)") becomes its alias.
fn mention_acronym(m: &mut Mention, _s: &str, toks: &[Token]) {
    // a short name defined in quotes: Acme Widgets GmbH ("Acme")
    let quote = |i: usize| {
        toks.get(i)
            .is_some_and(|t| matches!(t.text, "\"" | "“" | "”"))
    };
    if toks.get(m.t1).is_some_and(|t| t.text == "(")
        && quote(m.t1 + 1)
        && quote(m.t1 + 3)
        && toks.get(m.t1 + 4).is_some_and(|t| t.text == ")")
        && let Some(w) = toks.get(m.t1 + 2).filter(|w| w.word && w.is_cap())
        && let What::Org { acronym, .. } = &mut m.what
    {
        *acronym = Some(w.text.to_owned());
        return;
    }
    let (open, word, close) = (toks.get(m.t1), toks.get(m.t1 + 1), toks.get(m.t1 + 2));
    if let (Some(o), Some(w), Some(c)) = (open, word, close) {
        let caps = w.text.chars().filter(|c| c.is_uppercase()).count();
        if o.text == "("
            && c.text == ")"
            && w.word
            && caps >= 2
            && let What::Org { acronym, .. } = &mut m.what
        {
            *acronym = Some(w.text.to_owned());
        }
    }
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
