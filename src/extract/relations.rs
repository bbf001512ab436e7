//! Relations: who partners with whom, when, where and on what occasion. A sentence states a
//! partnership when it has a partnership cue ("partnership", "memorandum", "jointly", "signed",
//! or organizations joined by "and" before a verb such as "launched") and at least two parties:
//! organizations (not those after "part of", "according to" and the like), or, when no
//! organization with a country is named, countries as their governments. "The two sides" and
//! "the deal" refer back to the partnership told last.

use super::registry::Ref;
use super::tokens::fold;
use super::{Lexicon, OrgFact, PartnershipFact, Sent};
use crate::model::{Citation, Date, OrgKind, add_citation};

/// Lowercase words of a sentence outside its quotations, space-padded for phrase search.
pub fn plain_words<'s>(sent: &'s Sent) -> &'s str {
    sent.plain.get_or_init(|| {
        let mut out = String::with_capacity(sent.text.len() + 2);
        out.push(' ');
        for t in &sent.toks {
            if t.word && !sent.in_quote(t.start) {
                t.push_lower(&mut out);
                out.push(' ');
            }
        }
        out
    })
}

/// Whether `words` (as `plain_words` gives them: each word between spaces) holds `phrase` as
/// whole words, i.e. contains `" {phrase} "` — without building that string, which for every
/// cue and every sentence was a tenth of extraction.
pub fn has_words(words: &str, phrase: &str) -> bool {
    let step = phrase.chars().next().map_or(1, char::len_utf8);
    let mut from = 0;
    while let Some(k) = words.get(from..).and_then(|w| w.find(phrase)) {
        let i = from + k;
        if words[..i].ends_with(' ') && words[i + phrase.len()..].starts_with(' ') {
            return true;
        }
        from = i + step;
    }
    false
}

/// "Government of Freedonia", "Government of the United Provinces".
pub fn government_name(country: &str) -> String {
    let the =
        country.starts_with("United ") || country.ends_with('s') || country.contains("Republic");
    if the {
        format!("Government of the {country}")
    } else {
        format!("Government of {country}")
    }
}

/// The government organization of a country, created on first use.
pub fn government(orgs: &mut Vec<OrgFact>, country: &str, written: &str, cite: &Citation) -> usize {
    let name = government_name(country);
    let idx = orgs.iter().position(|o| o.name == name).unwrap_or_else(|| {
        orgs.push(OrgFact {
            name: name.clone(),
            kind: OrgKind::Government,
            country: Some(country.to_owned()),
            ..OrgFact::default()
        });
        orgs.len() - 1
    });
    let written = written
        .strip_prefix("The ")
        .or_else(|| written.strip_prefix("the "))
        .unwrap_or(written);
    let o = &mut orgs[idx];
    if written != o.name && !o.aliases.iter().any(|a| a == written) {
        o.aliases.push(written.to_owned());
    }
    add_citation(&mut o.citations, cite);
    idx
}

/// Whether the organization or place at token `t0` is kept out of the parties by a phrase
/// just before it ("part of the", "according to").
fn excluded(lex: &Lexicon, sent: &Sent, t0: usize) -> bool {
    // the cue right before the name, an article or a comma between at most
    let mut j = t0;
    while j > 0
        && matches!(
            sent.toks[j - 1].text,
            "the" | "a" | "an" | "its" | "," | "their"
        )
    {
        j -= 1;
    }
    let from = j.saturating_sub(4);
    let mut text = String::new();
    for t in sent.toks[from..j].iter().filter(|t| t.word) {
        text.push(' ');
        t.push_lower(&mut text);
    }
    if text.is_empty() {
        text.push(' ');
    }
    // ends with " {cue}", without making that string for every cue
    lex.not_party_cues.iter().any(|c| {
        text.strip_suffix(c.as_str())
            .is_some_and(|rest| rest.ends_with(' '))
    })
}

/// Whether a country is named as a location ("centers in Freedonia and Sylvania").
fn locative(sent: &Sent, t0: usize) -> bool {
    let mut j = t0;
    while j > 0 && matches!(sent.toks[j - 1].text, "the" | "The") {
        j -= 1;
    }
    j > 0
        && matches!(
            sent.toks[j - 1].lower().as_ref(),
            "in" | "from" | "to" | "across" | "at" | "throughout" | "within" | "outside" | "into"
        )
}

/// The organizations and countries that can be parties in a sentence.
pub fn candidates(
    lex: &Lexicon,
    sent: &Sent,
    orgs: &[OrgFact],
) -> (Vec<usize>, Vec<(String, String)>) {
    let mut org_ids = Vec::new();
    let mut countries: Vec<(String, String)> = Vec::new();
    let mut prev_locative = false;
    let mut prev_end = 0usize;
    for l in &sent.refs {
        if sent.in_quote(l.start) {
            continue;
        }
        match l.r {
            Ref::Org(o) if !excluded(lex, sent, l.t0) && !org_ids.contains(&o) => org_ids.push(o),
            Ref::Place(p) if lex.places.get(p).is_some_and(|pl| pl.kind == "country") => {
                let joined = sent.toks[prev_end.min(l.t0)..l.t0]
                    .iter()
                    .all(|t| matches!(t.text, "and" | "," | "the"));
                let loc = locative(sent, l.t0) || (prev_locative && joined);
                prev_locative = loc;
                prev_end = l.t1;
                let name = lex.places[p].name.clone();
                let written = sent.text.get(l.start..l.end).unwrap_or(&name).to_owned();
                if !loc && !excluded(lex, sent, l.t0) && !countries.iter().any(|(c, _)| *c == name)
                {
                    countries.push((name, written));
                }
            }
            _ => {}
        }
    }
    let _ = orgs;
    (org_ids, countries)
}

/// Two parties joined by "and" (an acronym in parentheses may sit between) before a joint
/// verb ("A and B unveiled", "A (AC) and the B will set up").
fn coordinated(lex: &Lexicon, sent: &Sent) -> bool {
    let refs: Vec<_> = sent
        .refs
        .iter()
        .filter(|l| matches!(l.r, Ref::Org(_) | Ref::Place(_)))
        .collect();
    refs.windows(2).any(|w| {
        let between = &sent.toks[w[0].t1.min(w[1].t0)..w[1].t0];
        let joined = between.iter().any(|t| t.text == "and")
            && between.iter().all(|t| {
                matches!(t.text, "and" | "the" | "(" | ")")
                    || (t.word && t.text.chars().filter(|c| c.is_uppercase()).count() >= 2)
            });
        joined
            && sent.toks[w[1].t1..]
                .iter()
                .take(10)
                .any(|t| lex.joint_verbs.contains(&*t.lower()))
    })
}

/// The first date of a sentence outside quotations.
pub fn sentence_date(sent: &Sent) -> Option<Date> {
    sent.dates
        .iter()
        .find(|d| !sent.in_quote(d.start))
        .map(|d| d.date.clone())
}

/// Venue words: "in downtown X", "at X".
fn venue(lex: &Lexicon, sent: &Sent) -> Option<String> {
    let words = plain_words(sent);
    if let Some(pos) = [
        " was the venue",
        " is the venue",
        " will be the venue",
        " were the venue",
    ]
    .iter()
    .find_map(|p| sent.text.find(p))
    {
        let v = sent.text.get(..pos)?.trim();
        let v = v
            .strip_prefix("The ")
            .or_else(|| v.strip_prefix("the "))
            .unwrap_or(v);
        return Some(v.to_owned());
    }
    let _ = words;
    sent.refs.iter().find_map(|l| {
        // a city, not a country or a region ("for hospitals in Europe")
        let Ref::Place(p) = l.r else { return None };
        if lex.places.get(p).is_none_or(|pl| pl.kind != "city") {
            return None;
        }
        let mut j = l.t0;
        while j > 0 && matches!(sent.toks[j - 1].text, "downtown" | "central" | "the") {
            j -= 1;
        }
        // "a startup based in X" says where it is, not where they met
        let based = j > 1
            && matches!(
                sent.toks[j - 2].text,
                "based" | "headquartered" | "located" | "registered"
            );
        (j > 0 && matches!(sent.toks[j - 1].text, "in" | "at") && !based)
            .then(|| sent.text.get(sent.toks[j].start..l.end).map(str::to_owned))?
    })
}

/// Occasion words: "during X", "on the sidelines of X", "at the X summit".
fn occasion(lex: &Lexicon, sent: &Sent) -> Option<String> {
    // "at the Zed Medical trade fair", "at a conference"
    let toks = &sent.toks;
    for i in 0..toks.len().saturating_sub(2) {
        if toks[i].text != "at" || !matches!(toks[i + 1].text, "the" | "a" | "an") {
            continue;
        }
        let mut j = i + 2;
        let mut last_event = None;
        const STOP: &[&str] = &[
            "in", "of", "for", "as", "with", "to", "and", "that", "which", "on", "by",
        ];
        while j < toks.len() && (toks[j].word || matches!(toks[j].text, "–" | "-")) && j - i < 10
        {
            let w = toks[j].lower();
            if lex.event_words.contains(&*w) {
                last_event = Some(j);
            } else if STOP.contains(&w.as_ref()) {
                break;
            }
            j += 1;
        }
        if let Some(e) = last_event {
            return sent
                .text
                .get(toks[i + 2].start..toks[e].end)
                .map(str::to_owned);
        }
    }
    for cue in [
        "during ",
        "on the sidelines of ",
        "on the margins of ",
        "on the occasion of ",
    ] {
        if let Some(pos) = sent.text.find(cue) {
            let rest = sent.text.get(pos + cue.len()..)?;
            let mut end = rest.find([',', ';']).unwrap_or(rest.len());
            for stop in [
                " by ", " in ", " with ", " where ", " when ", " which ", " and ",
            ] {
                if let Some(k) = rest[..end].find(stop) {
                    end = k;
                }
            }
            let o = rest[..end].trim().trim_end_matches('.');
            let o = o.strip_prefix("the ").unwrap_or(o);
            if o.split_whitespace().count() >= 2 {
                return Some(o.to_owned());
            }
        }
    }
    None
}

/// Whether two day dates are at most `days` days apart.
fn days_apart(a: Option<&Date>, b: Option<&Date>, days: i64) -> bool {
    use super::dates::Ymd;
    let day = |d: Option<&Date>| {
        d.filter(|d| d.0.len() == 10)
            .and_then(|d| Ymd::parse(&d.0))
            .map(|y| y.day_number())
    };
    matches!((day(a), day(b)), (Some(x), Some(y)) if (x - y).abs() <= days)
}

/// Adds a partnership, or merges it into one with the same (or a sub- or super-) set of
/// parties and a compatible date; returns its index.
fn add(
    parts: &mut Vec<PartnershipFact>,
    mut set: Vec<usize>,
    date: Option<Date>,
    cite: &Citation,
) -> usize {
    set.sort_unstable();
    let same = parts.iter().position(|p| {
        let sub =
            set.iter().all(|x| p.parties.contains(x)) || p.parties.iter().all(|x| set.contains(x));
        let same_set = p.parties.len() == set.len() && sub;
        sub && (p.announced.is_none()
            || date.is_none()
            || p.announced == date
            || same_set && days_apart(p.announced.as_ref(), date.as_ref(), 7))
    });
    let idx = same.unwrap_or_else(|| {
        parts.push(PartnershipFact::default());
        parts.len() - 1
    });
    let p = &mut parts[idx];
    for x in &set {
        if !p.parties.contains(x) {
            p.parties.push(*x);
        }
    }
    if p.announced.is_none() {
        p.announced = date;
    }
    add_citation(&mut p.citations, cite);
    idx
}

/// The party sets of a sentence's clauses ("…, and …", "…; …") when at least two clauses
/// each state a partnership of their own; otherwise nothing.
fn clauses(lex: &Lexicon, sent: &Sent, orgs: &[OrgFact]) -> Vec<Vec<usize>> {
    let toks = &sent.toks;
    let mut bounds = vec![0];
    for i in 0..toks.len() {
        let joiner = toks
            .get(i + 1)
            .is_some_and(|t| matches!(t.text, "and" | "while" | "whereas" | "but"));
        if toks[i].text == ";" || (toks[i].text == "," && joiner) {
            bounds.push(i + 1);
        }
    }
    bounds.push(toks.len());
    let (set, _) = candidates(lex, sent, orgs);
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        let in_clause: Vec<usize> = sent
            .refs
            .iter()
            .filter(|l| l.t0 >= a && l.t0 < b)
            .filter_map(|l| if let Ref::Org(o) = l.r { Some(o) } else { None })
            .filter(|o| set.contains(o))
            .fold(Vec::new(), |mut v, o| {
                if !v.contains(&o) {
                    v.push(o);
                }
                v
            });
        let mut words = String::from(" ");
        for t in toks[a..b]
            .iter()
            .filter(|t| t.word && !sent.in_quote(t.start))
        {
            t.push_lower(&mut words);
            words.push(' ');
        }
        if in_clause.len() >= 2 && lex.phrases().partnership_cues.any(&words) {
            out.push(in_clause);
        }
    }
    if out.len() >= 2 { out } else { Vec::new() }
}

/// Finds the document's partnerships. `orgs` may grow by governments of countries named as
/// parties.
pub fn partnerships(
    lex: &Lexicon,
    sents: &[Sent],
    orgs: &mut Vec<OrgFact>,
) -> Vec<PartnershipFact> {
    let mut parts: Vec<PartnershipFact> = Vec::new();
    let mut last: Option<usize> = None;
    for sent in sents {
        let words = plain_words(sent);
        let group = lex.phrases().group_refs.any(words);
        // "Under the agreement, A will …" refers back: its cue word is not a new partnership
        let mut own = std::borrow::Cow::Borrowed(words);
        // (with no group reference in the sentence there is nothing to take out)
        if group {
            for g in &lex.group_refs {
                if has_words(&own, g) {
                    own = own.replace(&format!(" {g} "), " ").into();
                }
            }
        }
        let cue = lex.phrases().partnership_cues.any(&own) || coordinated(lex, sent);
        let (mut set, countries) = candidates(lex, sent, orgs);
        let cite = sent.citation();
        let stateless = set
            .iter()
            .all(|&o| orgs[o].country.is_none() && orgs[o].kind == OrgKind::Government);
        if cue && stateless && set.len() + countries.len() >= 2 && !countries.is_empty() {
            for (c, w) in &countries {
                let g = government(orgs, c, w, &cite);
                if !set.contains(&g) {
                    set.push(g);
                }
            }
        }
        let date = sentence_date(sent);
        let clauses = clauses(lex, sent, orgs);
        if clauses.len() >= 2 {
            // "A will work with B, and C and D will set up a school": two partnerships
            for c in clauses {
                last = Some(add(&mut parts, c, date.clone(), &cite));
            }
        } else if cue && set.len() >= 2 {
            set.sort_unstable();
            last = Some(add(&mut parts, set, date.clone(), &cite));
        } else if let (true, Some(li)) = (group, last) {
            // a year alone ("by the end of the year") is a target, not when it was agreed
            let date = date.filter(|d| d.0.len() >= 7);
            // "announced today … signed on Monday": the same partnership, days apart
            let differs = date.is_some()
                && parts[li].announced.is_some()
                && parts[li].announced != date
                && !days_apart(parts[li].announced.as_ref(), date.as_ref(), 7);
            let idx = if differs && cue {
                let parties = parts[li].parties.clone();
                parts.push(PartnershipFact {
                    parties,
                    announced: date.clone(),
                    ..PartnershipFact::default()
                });
                parts.len() - 1
            } else {
                li
            };
            let p = &mut parts[idx];
            if p.announced.is_none() {
                p.announced = date;
            }
            add_citation(&mut p.citations, &cite);
            last = Some(idx);
        } else if words.contains(" partnerships ") || words.contains(" agreements ") {
            // "the announcement of partnerships during …": place and occasion of all of them
            for p in parts
                .iter_mut()
                .filter(|p| p.venue.is_none() && p.occasion.is_none())
            {
                p.venue = venue(lex, sent);
                p.occasion = occasion(lex, sent);
            }
            continue;
        } else {
            continue;
        }
        if let Some(li) = last {
            let p = &mut parts[li];
            if p.venue.is_none() {
                p.venue = venue(lex, sent);
            }
            if p.occasion.is_none() {
                p.occasion = occasion(lex, sent);
            }
        }
    }
    member_lists(lex, sents, orgs, &mut parts);
    for p in &mut parts {
        p.parties.sort_unstable();
        p.citations.dedup();
        let mut focus: Vec<String> = Vec::new();
        for c in &p.citations {
            if let Some(sent) = sents
                .iter()
                .find(|s| s.p == c.paragraph && s.s == c.sentence_index)
            {
                let words = plain_words(sent);
                for t in lex.phrases().topics.groups(words) {
                    let name = &lex.topics[t].0;
                    if !focus.contains(name) {
                        focus.push(name.clone());
                    }
                }
            }
        }
        p.focus = focus;
    }
    parts
}

/// A list of members introduced by a colon ("Ten companies signed up as the first members:")
/// makes a partnership of the listed organizations and those of the introducing paragraph.
fn member_lists(lex: &Lexicon, sents: &[Sent], orgs: &[OrgFact], parts: &mut Vec<PartnershipFact>) {
    for (k, intro) in sents.iter().enumerate() {
        if !intro.text.trim_end().ends_with(':')
            || !lex.phrases().member_cues.any(plain_words(intro))
        {
            continue;
        }
        let mut set: Vec<usize> = Vec::new();
        let mut cites = Vec::new();
        for item in sents[k + 1..].iter().take_while(|s| s.list_item) {
            for l in &item.refs {
                if let Ref::Org(o) = l.r
                    && !set.contains(&o)
                {
                    set.push(o);
                }
            }
            cites.push(item.citation());
        }
        if set.len() < 2 {
            continue;
        }
        let mut date = None;
        for s in sents.iter().filter(|s| s.p == intro.p) {
            for o in candidates(lex, s, orgs).0 {
                if !set.contains(&o) {
                    set.push(o);
                }
            }
            date = date.or_else(|| sentence_date(s));
        }
        set.sort_unstable();
        let mut citations = vec![intro.citation()];
        for c in &cites {
            add_citation(&mut citations, c);
        }
        parts.push(PartnershipFact {
            parties: set,
            announced: date,
            citations,
            ..PartnershipFact::default()
        });
    }
}

/// Organizations a folded name points to among the document's (used by commitments).
pub fn org_by_name(orgs: &[OrgFact], name: &str) -> Option<usize> {
    let k = fold(name);
    orgs.iter()
        .position(|o| fold(&o.name) == k || o.aliases.iter().any(|a| fold(a) == k))
}

#[cfg(test)]
#[path = "relations_tests.rs"]
mod tests;
