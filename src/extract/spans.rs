//! Spans: where a name starts and ends in a sentence — the longest gazetteer form at a token,
//! or a capitalized phrase with its connectors ("of", "for", "and" inside an of-phrase), name
//! particles and a ministry's comma list.

use super::lexicon::{Entry, Lexicon};
use super::people::PARTICLES;
use super::tokens::Token;

fn lower(t: &Token) -> String {
    t.text.to_lowercase()
}

fn is_head(lex: &Lexicon, t: &Token) -> bool {
    t.word && t.is_cap() && lex.head_kind(t.text).is_some()
}

/// The longest gazetteer match at token `i`: (end token, entry).
pub fn gaz_at(lex: &Lexicon, s: &str, toks: &[Token], i: usize) -> Option<(usize, Entry)> {
    if !toks[i].word {
        return None;
    }
    let max = lex.max_tokens.min(toks.len() - i);
    for len in (1..=max).rev() {
        let last = &toks[i + len - 1];
        if !last.word || toks[i..i + len - 1].iter().any(|t| t.poss) {
            continue;
        }
        let Some(text) = s.get(toks[i].start..last.end) else {
            continue;
        };
        let entries = lex.lookup(text);
        let pick = entries
            .iter()
            .find(|e| matches!(e, Entry::Org(_)))
            .or_else(|| {
                entries
                    .iter()
                    .find(|e| matches!(e, Entry::Person(_)) && len >= 2)
            })
            .or_else(|| entries.iter().find(|e| matches!(e, Entry::Place(_))))
            .or_else(|| entries.iter().find(|e| matches!(e, Entry::Demonym(_))));
        if let Some(e) = pick {
            return Some((i + len, *e));
        }
    }
    None
}

/// The end of the capitalized phrase starting at `i` (exclusive), with connectors ("of",
/// "for", "and" inside an of-phrase, "of the"), name particles, and the comma list of a
/// ministry's name ("Ministry of Trade, Industry and Energy").
pub fn span_end(lex: &Lexicon, s: &str, toks: &[Token], i: usize) -> usize {
    let n = toks.len();
    let mut j = i + 1;
    let mut has_of = false;
    while j < n && !toks[j - 1].poss {
        let t = &toks[j];
        if t.word && t.is_cap() {
            j += 1;
            continue;
        }
        let lw = lower(t);
        let head_so_far = toks[i..j]
            .iter()
            .any(|t| is_head(lex, t) || lex.doc_words.contains(&lower(t)));
        let cap_run_at = |k: usize| -> usize {
            let mut e = k;
            while e < n && toks[e].word && toks[e].is_cap() && !toks[e].poss {
                e += 1;
            }
            e
        };
        match lw.as_str() {
            "of" | "for" | "on" | "für" | "de" | "des" | "du" if lw != "on" || head_so_far => {
                let mut k = j + 1;
                if toks.get(k).is_some_and(|t| t.text == "the") {
                    k += 1;
                }
                if k < n && toks[k].word && toks[k].is_cap() {
                    has_of = true;
                    j = k + 1;
                    continue;
                }
                break;
            }
            "and" | "&" if has_of || lw == "&" => {
                let e = cap_run_at(j + 1);
                let run = &toks[j + 1..e];
                let starts_gaz =
                    j + 1 < n && matches!(gaz_at(lex, s, toks, j + 1), Some((_, Entry::Org(_))));
                if !run.is_empty() && !run.iter().any(|t| is_head(lex, t)) && !starts_gaz {
                    j = e;
                    continue;
                }
                break;
            }
            // "Acme Co., Ltd.", "Zed Holdings, LLC": a company suffix after a comma
            "," if toks
                .get(j + 1)
                .is_some_and(|t| t.word && lex.suffixes.contains(&t.text.to_lowercase()))
                && toks.get(j - 1).is_some_and(|t| t.word && t.is_cap()) =>
            {
                j += 2;
                continue;
            }
            "," if has_of && head_so_far => {
                // a comma list inside the name, closed by "and": "of Economy, Trade and Industry"
                let mut k = j;
                let mut ok = None;
                while k < n && toks[k].text == "," {
                    let e = cap_run_at(k + 1);
                    if e == k + 1 {
                        break;
                    }
                    if toks.get(e).is_some_and(|t| t.text == "and") {
                        let e2 = cap_run_at(e + 1);
                        ok = (e2 > e + 1).then_some(e2);
                        break;
                    }
                    k = e;
                }
                match ok {
                    Some(e) => {
                        j = e;
                        continue;
                    }
                    None => break,
                }
            }
            _ if PARTICLES.contains(&lw.as_str())
                && !head_so_far
                && j + 1 < n
                && toks[j + 1].word =>
            {
                j += 2;
                continue;
            }
            _ => break,
        }
    }
    j
}
