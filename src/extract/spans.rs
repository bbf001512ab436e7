//! Spans: where a name starts and ends in a sentence — the longest gazetteer form at a token,
//! or a capitalized phrase with its connectors ("of", "for", "and" inside an of-phrase), name
//! particles and a ministry's comma list.

use super::lexicon::{Entry, Lexicon};
use super::people::PARTICLES;
use super::tokens::{Token, fold_into};

fn is_head(lex: &Lexicon, t: &Token) -> bool {
    t.word && t.is_cap() && lex.head_kind(t.text).is_some()
}

/// The longest gazetteer match at token `i`: (end token, entry). Grows the span a token at a
/// time and stops as soon as no known form starts with its words, so most tokens cost one
/// lookup rather than one per possible length.
pub fn gaz_at(lex: &Lexicon, s: &str, toks: &[Token], i: usize) -> Option<(usize, Entry)> {
    if !toks[i].word {
        return None;
    }
    thread_local! {
        /// The span folded, in one buffer for every call on the thread: called at every word
        /// of every sentence, nearly always to fold one word and stop.
        static FOLDED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    FOLDED.with_borrow_mut(|folded| {
        let max = lex.max_tokens.min(toks.len() - i);
        let mut best = None;
        for len in 1..=max {
            // A possessive ends a name: no longer form runs through it.
            if len >= 2 && toks[i + len - 2].poss {
                break;
            }
            let last = &toks[i + len - 1];
            let Some(text) = s.get(toks[i].start..last.end) else {
                continue;
            };
            fold_into(text, folded);
            if !lex.is_prefix(folded) {
                break;
            }
            if !last.word {
                continue;
            }
            let entries = lex.lookup_folded(text, folded);
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
                best = Some((i + len, *e));
            }
        }
        best
    })
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
        let lw = t.lower();
        let head_so_far = toks[i..j]
            .iter()
            .any(|t| is_head(lex, t) || lex.doc_words.contains(&*t.lower()));
        let cap_run_at = |k: usize| -> usize {
            let mut e = k;
            while e < n && toks[e].word && toks[e].is_cap() && !toks[e].poss {
                e += 1;
            }
            e
        };
        // "Alpha–Beta Centre": a dash written tight between two capitalized words
        if matches!(t.text, "–" | "-")
            && tight_dash(toks, j)
            && toks[j - 1].word
            && toks[j - 1].is_cap()
        {
            j += 2;
            continue;
        }
        match lw.as_ref() {
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
            // "Trade and Technology Council": "and" inside a name that ends with a head word
            "and" if !has_of && !head_so_far && and_inside_name(lex, s, toks, i, j) => {
                let mut e = cap_run_at(j + 1);
                while e < n && matches!(toks[e].text, "–" | "-") && tight_dash(toks, e) {
                    e = cap_run_at(e + 1);
                }
                j = e;
                continue;
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
            _ if PARTICLES.contains(&lw.as_ref())
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

/// Whether the dash at token `k` is written tight between two capitalized words.
pub fn tight_dash(toks: &[Token], k: usize) -> bool {
    k > 0
        && toks.get(k + 1).is_some_and(|t| t.word && t.is_cap())
        && toks[k - 1].end == toks[k].start
        && toks[k].end == toks[k + 1].start
}

/// Whether "and" at token `j` joins two parts of one name: the words before it (from `i`)
/// are capitalized and hold no gazetteer organization, and the capitalized run after it is at
/// least two words ending with a head word ("Trade and Technology Council").
fn and_inside_name(lex: &Lexicon, s: &str, toks: &[Token], i: usize, j: usize) -> bool {
    let n = toks.len();
    let mut e = j + 1;
    while e < n && toks[e].word && toks[e].is_cap() && !toks[e].poss {
        e += 1;
    }
    if e < j + 3 || !is_head(lex, &toks[e - 1]) {
        return false;
    }
    if toks[j + 1..e - 1].iter().any(|t| is_head(lex, t)) {
        return false;
    }
    // the part before holds a tight dash ("Alpha–Beta Trade"): anything else may be two
    // organizations ("Acme and Zorblat Institute")
    let dashed = (i..j).any(|k| matches!(toks[k].text, "–" | "-") && tight_dash(toks, k));
    let gaz_inside =
        (i + 1..j).any(|k| matches!(gaz_at(lex, s, toks, k), Some((_, Entry::Org(_)))));
    dashed && !gaz_inside
}
