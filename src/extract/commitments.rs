//! Commitments and events: money given by whom to whom or to which partnership, and the dated
//! happenings of the timeline.

use super::registry::Ref;
use super::relations::{has_words, plain_words, sentence_date};
use super::{CommitmentFact, EventFact, Lexicon, OrgFact, PartnershipFact, Sent};
use crate::model::{Amount, CommitmentStatus, add_citation};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// Words that make the commitment "invested" or "pledged".
const INVESTED: &[&str] = &["invested", "spent", "spending", "invests"];
const PLEDGED: &[&str] = &[
    "pledge",
    "pledged",
    "pledges",
    "commit",
    "committed",
    "commits",
    "will",
    "promised",
    "plans",
];

/// The partnerships cited in paragraph `p`.
fn partnerships_in(parts: &[PartnershipFact], p: usize) -> Vec<usize> {
    (0..parts.len())
        .filter(|&i| parts[i].citations.iter().any(|c| c.paragraph == p))
        .collect()
}

/// Finds the money committed in the document (each value once, with every place it is stated).
pub fn find(
    lex: &Lexicon,
    sents: &[Sent],
    orgs: &[OrgFact],
    parts: &[PartnershipFact],
) -> Vec<CommitmentFact> {
    let mut out: Vec<CommitmentFact> = Vec::new();
    for sent in sents {
        let words = plain_words(sent);
        for m in sent.money.iter().filter(|m| !m.not_funding) {
            let cite = sent.citation();
            let same = out.iter_mut().find(|c| {
                c.amount.currency == m.currency
                    && (c.amount.value - m.value).abs() <= 1e-6 * m.value.abs()
            });
            if let Some(c) = same {
                add_citation(&mut c.citations, &cite);
                if c.amount.usd.is_none() {
                    c.amount.usd = m.usd;
                }
                continue;
            }
            // givers are named after the amount before this one ("A gives $1m, while B gives $2m")
            let clause_start = sent
                .money
                .iter()
                .filter(|x| x.end <= m.start)
                .map(|x| x.end)
                .max()
                .unwrap_or(0);
            let org_refs = sent.refs.iter().filter_map(|l| match l.r {
                Ref::Org(o) => Some((o, l)),
                _ => None,
            });
            let mut from: Vec<usize> = Vec::new();
            let mut to_orgs: Vec<usize> = Vec::new();
            let mut givers_after: Vec<usize> = Vec::new();
            for (o, l) in org_refs {
                let just_before = |words: &[&str]| {
                    sent.toks[l.t0.saturating_sub(3)..l.t0]
                        .iter()
                        .any(|t| words.contains(&t.text))
                };
                let between = sent.text.get(m.end.min(l.start)..l.start).unwrap_or("");
                let close =
                    !between.contains([',', ';', '(']) && between.split_whitespace().count() <= 4;
                if l.start >= m.end && close && just_before(&["from", "by"]) {
                    // "a £12 million grant from X", "funded by X"
                    if !givers_after.contains(&o) {
                        givers_after.push(o);
                    }
                } else if l.end <= m.start && l.start >= clause_start {
                    if !from.contains(&o) {
                        from.push(o);
                    }
                } else if l.start >= m.end {
                    let before = sent.toks[l.t0.saturating_sub(3)..l.t0]
                        .iter()
                        .any(|t| matches!(t.text, "to" | "into" | "for" | "toward" | "towards"));
                    if before && !to_orgs.contains(&o) {
                        to_orgs.push(o);
                    }
                }
            }
            if !givers_after.is_empty() {
                to_orgs.extend(from.iter().filter(|o| !givers_after.contains(o)));
                from = givers_after;
            }
            let mut to_partnerships = partnerships_in(parts, sent.p);
            if from.is_empty()
                && lex.phrases().group_refs.any(words)
                && let Some(&last) = to_partnerships.last()
            {
                from = parts[last].parties.clone(); // "the two companies will invest …"
            }
            let cited_before = |i: &usize| {
                parts[*i]
                    .citations
                    .iter()
                    .any(|c| (c.paragraph, c.sentence_index) <= (sent.p, sent.s))
            };
            if to_partnerships.is_empty()
                && from.is_empty()
                && lex.phrases().group_refs.any(words)
                && let Some(last) = (0..parts.len()).rev().find(cited_before)
            {
                to_partnerships.push(last);
                from = parts[last].parties.clone();
            }
            if to_partnerships.is_empty() && to_orgs.is_empty() {
                let supports = [
                    " funded ",
                    " support ",
                    " fund ",
                    " funding ",
                    " research efforts ",
                    " partnerships ",
                ]
                .iter()
                .any(|w| words.contains(w));
                let outsiders = from
                    .iter()
                    .all(|o| !parts.iter().any(|p| p.parties.contains(o)));
                if supports && outsiders {
                    // the partnerships told so far, which the money is said to support
                    to_partnerships = (0..parts.len()).filter(cited_before).collect();
                }
            }
            let status = if INVESTED.iter().any(|w| has_words(words, w)) {
                CommitmentStatus::Invested
            } else if PLEDGED.iter().any(|w| has_words(words, w)) {
                CommitmentStatus::Pledged
            } else {
                CommitmentStatus::Announced
            };
            let purpose = sent
                .text
                .get(m.end..)
                .map(|r| r.trim().trim_end_matches('.').trim())
                .filter(|r| r.split_whitespace().count() >= 2)
                .map(|r| {
                    let r: String = r.chars().take(140).collect();
                    r
                });
            let _ = orgs;
            out.push(CommitmentFact {
                amount: Amount {
                    text: m.text.clone(),
                    value: m.value,
                    currency: m.currency.clone(),
                    usd: m.usd,
                },
                from,
                to_orgs,
                to_partnerships,
                purpose,
                status,
                citations: vec![cite],
            });
        }
    }
    out
}

/// The dated happenings: each partnership's announcement, and each dated sentence that names
/// an organization or a person.
pub fn events(sents: &[Sent], parts: &[PartnershipFact]) -> Vec<EventFact> {
    let mut out: Vec<EventFact> = Vec::new();
    // a dated sentence repeated word for word is one happening, and an announcement is not
    // told again by the sentence that states it
    let mut seen: HashSet<(String, &str)> = HashSet::new();
    // the partnerships each sentence states, by (paragraph, sentence)
    let mut stated: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        for c in &p.citations {
            stated
                .entry((c.paragraph, c.sentence_index))
                .or_default()
                .push(i);
        }
        if let (Some(date), Some(cite)) = (&p.announced, p.citations.first()) {
            seen.insert((date.0.clone(), &*cite.sentence));
            out.push(EventFact {
                date: date.clone(),
                title: String::new(),
                orgs: p.parties.clone(),
                people: Vec::new(),
                partnerships: vec![i],
                citation: cite.clone(),
            });
        }
    }
    for sent in sents {
        let Some(date) = sentence_date(sent) else {
            continue;
        };
        let orgs: Vec<usize> = sent
            .refs
            .iter()
            .filter_map(|l| if let Ref::Org(o) = l.r { Some(o) } else { None })
            .collect();
        let people: Vec<usize> = sent
            .refs
            .iter()
            .filter_map(|l| {
                if let Ref::Person(o) = l.r {
                    Some(o)
                } else {
                    None
                }
            })
            .collect();
        if orgs.is_empty() && people.is_empty() {
            continue;
        }
        if !seen.insert((date.0.clone(), sent.text)) {
            continue;
        }
        let partnerships = stated.get(&(sent.p, sent.s)).cloned().unwrap_or_default();
        let cite = sent.citation();
        let title: String = sent.text.chars().take(200).collect();
        out.push(EventFact {
            date,
            title,
            orgs,
            people,
            partnerships,
            citation: cite,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::tests_support::facts_of;

    fn givers(body: &str) -> Vec<(String, Vec<String>)> {
        let f = facts_of(body);
        f.commitments
            .iter()
            .map(|c| {
                (
                    c.amount.text.clone(),
                    c.from.iter().map(|&o| f.orgs[o].name.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn givers_are_named_before_the_amount_in_their_clause() {
        let g = givers(
            "The Pellow Foundation will give $2 million, while the Grimsby Council will add $1 million.",
        );
        assert_eq!(
            g[0],
            (
                "$2 million".to_owned(),
                vec!["Pellow Foundation".to_owned()]
            )
        );
        assert_eq!(
            g[1],
            ("$1 million".to_owned(), vec!["Grimsby Council".to_owned()])
        );
    }

    #[test]
    fn a_grant_from_names_its_giver_after_the_amount() {
        let g =
            givers("Zed University won a £3 million grant from the Pellow Foundation for its lab.");
        assert_eq!(g[0].1, ["Pellow Foundation"]);
    }

    #[test]
    fn the_same_amount_said_twice_is_one_commitment() {
        let f = facts_of("Zed University will get $4 million. The $4 million comes from donors.");
        assert_eq!(f.commitments.len(), 1);
        assert_eq!(f.commitments[0].citations.len(), 2);
    }

    #[test]
    fn savings_and_prices_are_not_commitments() {
        assert!(
            facts_of("It could save about $3 million a year. Shares rose to $12.30 today.")
                .commitments
                .is_empty()
        );
    }

    #[test]
    fn money_for_the_partnership_is_linked_to_it() {
        let f = facts_of(
            "Zed University and Pellow University signed an agreement. The two sides will invest $9 million in it.",
        );
        assert_eq!(f.commitments[0].to_partnerships, [0]);
        assert_eq!(f.commitments[0].from.len(), 2);
    }
}
