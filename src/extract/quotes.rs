//! Quotes: quoted words and who said them — a speaker named after the quote (`," said Jo
//! Roe`), before it (`Jo Roe told them: "…"`, `Roe called it "…"`), by pronoun or role (`," he
//! said`, `," the dean said` → the person named last), continuing a quote in the same paragraph,
//! or on the next line after a dash (a block quote's attribution).

use super::registry::Ref;
use super::{Lexicon, PersonFact, Sent};

/// A quotation found in a paragraph, with its place.
#[derive(Debug, Clone, PartialEq)]
struct Span {
    text: String,
    /// Sentence index (within `sents`) and byte offsets in that sentence's text.
    first: usize,
    start: usize,
    last: usize,
    end: usize,
}

/// Quotation marks that open and close a quote.
fn closing(c: char) -> Option<char> {
    match c {
        '“' => Some('”'),
        '"' => Some('"'),
        '«' => Some('»'),
        '„' => Some('“'),
        _ => None,
    }
}

/// The quoted spans of a paragraph (its sentences are `sents[range]`).
fn spans(sents: &[Sent], range: std::ops::Range<usize>) -> Vec<Span> {
    // positions: (sentence index, byte offset, char)
    let mut chars: Vec<(usize, usize, char)> = Vec::new();
    for si in range {
        chars.extend(sents[si].text.char_indices().map(|(o, c)| (si, o, c)));
        chars.push((si, sents[si].text.len(), ' '));
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (si, off, c) = chars[i];
        let Some(close) = closing(c) else {
            i += 1;
            continue;
        };
        let Some(j) = (i + 1..chars.len()).find(|&j| chars[j].2 == close) else {
            break;
        };
        let text: String = chars[i + 1..j].iter().map(|x| x.2).collect();
        let text = text
            .trim()
            .trim_end_matches([',', '.', ' '])
            .trim()
            .to_owned();
        if !text.is_empty() {
            out.push(Span {
                text,
                first: si,
                start: off,
                last: chars[j].0,
                end: chars[j].1 + close.len_utf8(),
            });
        }
        i = j + 1;
    }
    out
}

fn person_refs<'s>(sent: &'s Sent<'_>) -> impl Iterator<Item = (usize, usize, usize)> + 's {
    sent.refs.iter().filter_map(|l| match l.r {
        Ref::Person(p) => Some((p, l.start, l.end)),
        _ => None,
    })
}

fn has_speech_verb(lex: &Lexicon, text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| lex.speech_verbs.contains(&w.to_lowercase()))
}

/// Attaches every attributed quote of the document to its speaker.
pub fn attach(lex: &Lexicon, sents: &[Sent], people: &mut [PersonFact]) {
    let mut last_person: Option<usize> = None;
    // "Jo Roe, the dean, said:" closing a paragraph introduces the quote that follows
    let mut introduced: Option<usize> = None;
    let mut si = 0;
    while si < sents.len() {
        let p = sents[si].p;
        let end = (si..sents.len())
            .find(|&k| sents[k].p != p)
            .unwrap_or(sents.len());
        let mut prev_speaker: Option<usize> = None;
        let mut people_seen: Vec<(usize, usize, usize)> = Vec::new(); // (sentence, offset, person)
        for (k, sent) in sents.iter().enumerate().take(end).skip(si) {
            people_seen.extend(person_refs(sent).map(|(pp, s, _)| (k, s, pp)));
        }
        for q in spans(sents, si..end) {
            // in document order, so the people before the quote are a prefix
            let n = people_seen.partition_point(|(k, off, _)| (*k, *off) < (q.first, q.start));
            let before_q = n.checked_sub(1).map(|i| people_seen[i].2);
            let recent = before_q.or(last_person);
            let after_text = sents[q.last].text.get(q.end..).unwrap_or("");
            let after_near: String = after_text.chars().take(60).collect();
            let after_person = person_refs(&sents[q.last])
                .find(|(_, s, _)| *s >= q.end && *s <= q.end + 60)
                .map(|x| x.0);
            let before_text = sents[q.first].text.get(..q.start).unwrap_or("");
            let before_person = person_refs(&sents[q.first])
                .filter(|(_, _, e)| *e <= q.start)
                .map(|x| x.0)
                .last();
            // attribution right after the quote: ", said Jo Roe", " he said", " the dean said"
            let after_words: String = after_text
                .split_whitespace()
                .take(8)
                .collect::<Vec<_>>()
                .join(" ");
            let said_after = has_speech_verb(lex, &after_words);
            let dash_after = after_near.trim_start().starts_with(['—', '–']);
            let before_said = has_speech_verb(lex, before_text);
            let speaker = if (said_after || dash_after) && after_person.is_some() {
                after_person
            } else if said_after {
                recent
            } else if before_person.is_some()
                && (before_said || before_text.trim_end().ends_with(':'))
            {
                before_person
            } else if (before_said || before_text.trim().is_empty()) && prev_speaker.is_some() {
                prev_speaker
            } else if before_text.trim().is_empty() && after_text.trim().is_empty() {
                // a block quote: the attribution follows on the next line after a dash
                sents
                    .get(end)
                    .filter(|n| n.text.starts_with(['—', '–', '-']))
                    .and_then(|n| person_refs(n).map(|x| x.0).next())
                    .or(introduced)
            } else if has_speech_verb(lex, before_text)
                && before_person.is_none()
                && before_text.trim_end().ends_with(':')
            {
                recent
            } else {
                None
            };
            if let Some(sp) = speaker {
                if let Some(person) = people.get_mut(sp) {
                    let cite = sents[q.first].citation();
                    if !person.quotes.iter().any(|(t, _)| *t == q.text) {
                        person.quotes.push((q.text.clone(), cite));
                    }
                }
                prev_speaker = Some(sp);
            }
        }
        if let Some(&(_, _, pp)) = people_seen.last() {
            last_person = Some(pp);
        }
        let closing = &sents[end - 1];
        introduced = if closing.text.trim_end().ends_with(':') && has_speech_verb(lex, closing.text)
        {
            person_refs(closing).map(|x| x.0).last()
        } else {
            None
        };
        si = end;
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests_support::facts_of;

    fn quotes(body: &str) -> Vec<(String, Vec<String>)> {
        let f = facts_of(body);
        f.people
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.quotes.iter().map(|q| q.0.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn speaker_after_the_quote() {
        let q = quotes(
            "“We will build it together,” said Ada Quill, director of the Pellow Institute.",
        );
        assert_eq!(
            q,
            [(
                "Ada Quill".to_owned(),
                vec!["We will build it together".to_owned()]
            )]
        );
    }

    #[test]
    fn speaker_before_the_quote_with_a_colon() {
        let q = quotes(
            "Bo Tran, the president of Pellow University, told reporters: “This is a first.”",
        );
        assert_eq!(q[0].1, ["This is a first"]);
    }

    #[test]
    fn pronoun_after_the_quote_refers_to_the_last_person_named() {
        let q = quotes("Bo Tran said the deal was done. “It took a year,” he said.");
        assert_eq!(q[0].1, ["It took a year"]);
    }

    #[test]
    fn second_quote_in_a_paragraph_keeps_the_speaker() {
        let q = quotes("“First part,” said Bo Tran, chairman of Zed Labs. “Second part.”");
        assert_eq!(q[0].1, ["First part", "Second part"]);
    }

    #[test]
    fn a_paragraph_ending_in_said_colon_introduces_the_next_quote() {
        let q = quotes("Bo Tran, chairman of Zed Labs, said:\n\n“We will open in May.”");
        assert_eq!(q[0].1, ["We will open in May"]);
    }

    #[test]
    fn scare_quotes_without_a_speech_verb_are_not_quotes() {
        let q = quotes("Bo Tran, chairman of Zed Labs, runs what he terms a “skunkworks” unit.");
        assert!(q[0].1.is_empty(), "{q:?}");
    }
}
