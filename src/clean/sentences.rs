//! Sentence split: the unit that citations point to. A sentence ends at `.`, `!` or `?` (with
//! any closing quotes or brackets) before a space and a capital, digit or opening quote — unless
//! the period belongs to an abbreviation or an initial ("U.S.", "Gov.", "Michael E. Papka").

use crate::extract::tokens::is_abbrev;

/// A "sentence" longer than this (a page without full stops) is cut at a space before it, so
/// the work on one sentence and the text a citation quotes stay bounded. News sentences run to
/// a few hundred bytes.
pub const MAX_SENTENCE_BYTES: usize = 2000;

/// Splits a paragraph into sentences, each trimmed; the text is never altered otherwise.
pub fn split(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j].1,
                    '"' | '”' | '’' | '\'' | ')' | ']' | '.' | '!' | '?'
                )
            {
                j += 1;
            }
            let at_space = j < chars.len() && chars[j].1.is_whitespace();
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let next_ok = k < chars.len() && {
                let n = chars[k].1;
                n.is_uppercase()
                    || n.is_ascii_digit()
                    || matches!(n, '"' | '“' | '‘' | '(' | '[' | '\'')
            };
            if at_space && next_ok && !(c == '.' && abbreviation_before(text, pos)) {
                let end = chars.get(j).map_or(text.len(), |x| x.0);
                push(&mut out, &text[start..end]);
                start = chars[k].0;
                i = k;
                continue;
            }
            let _ = pos;
        }
        i += 1;
    }
    push(&mut out, &text[start..]);
    out
}

fn push(out: &mut Vec<String>, s: &str) {
    let mut s = s.trim();
    while s.len() > MAX_SENTENCE_BYTES {
        let mut cut = MAX_SENTENCE_BYTES;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        // at the last space before the limit, or mid-word when there is none
        let at = s[..cut]
            .rfind(char::is_whitespace)
            .filter(|&i| i > 0)
            .unwrap_or(cut);
        out.push(s[..at].trim_end().to_owned());
        s = s[at..].trim_start();
    }
    if !s.is_empty() {
        out.push(s.to_owned());
    }
}

/// Whether the word ending just before byte `dot` is an abbreviation.
fn abbreviation_before(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    !word.is_empty() && is_abbrev(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_sentence_ends() {
        assert_eq!(
            split("One here. Two there! Three?"),
            ["One here.", "Two there!", "Three?"]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        let s = "The U.S. Secretary met Gov. Jane Roe and Anna B. Cole in Oldtown D.C. last week. Then they left.";
        assert_eq!(split(s).len(), 2);
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        let s = "“It works,” she said. “We agree.” He nodded.";
        assert_eq!(
            split(s),
            ["“It works,” she said.", "“We agree.”", "He nodded."]
        );
    }

    #[test]
    fn lowercase_after_period_is_not_a_new_sentence() {
        assert_eq!(split("Version 2.5 is out. e.g. this stays.").len(), 1);
    }

    #[test]
    fn never_panics_on_multibyte_text() {
        assert_eq!(split("東京。 Ünïcødé… Ça va? Oui.").len(), 3);
    }

    #[test]
    fn a_run_without_full_stops_is_cut_at_spaces_into_bounded_sentences() {
        let text = "Acme and Zed will build ships, ".repeat(500);
        let parts = split(&text);
        assert!(parts.len() > 5);
        assert!(parts.iter().all(|p| p.len() <= MAX_SENTENCE_BYTES));
        assert_eq!(parts.join(" "), text.trim());
        let word = "東".repeat(1000);
        assert_eq!(
            split(&word).concat(),
            word,
            "no space: cut between characters"
        );
    }
}
