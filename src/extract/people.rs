//! People: the cues that make a capitalized phrase a person (a title before it, a role noun,
//! an appositive, a speech verb) and the role phrase that goes with it.

use super::lexicon::Lexicon;
use super::tokens::Token;

/// Lowercase words that end a role phrase read backwards from a name.
const FUNCTION: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "and", "or", "with", "by", "for", "to", "from",
    "at", "in", "on", "said", "says", "as", "who", "that", "which", "but", "told", "of", "also",
    "is", "was", "were", "are", "joined",
];

/// Particles inside personal names ("Luc Van den hove", "Ursula von der Leyen").
pub const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "du", "dos", "del", "la", "le", "bin", "al",
    "ter",
];

/// Whether a lowercase word is (or ends in) a role noun: "president", "vice-president".
pub fn is_role_word(lex: &Lexicon, w: &str) -> bool {
    let w = w.to_lowercase();
    let w = w.trim_end_matches('.');
    lex.role_words.contains(w)
        || w.rsplit('-')
            .next()
            .is_some_and(|last| lex.role_words.contains(last))
}

/// Whether tokens form a plausible personal name: capitalized words (initials and name
/// particles allowed), no digits, not an all-caps acronym.
pub fn name_shaped(toks: &[Token]) -> bool {
    let particle = |t: &Token| PARTICLES.contains(&t.text.to_lowercase().as_str());
    !toks.is_empty()
        && toks[0].is_cap()
        && toks.iter().enumerate().all(|(i, t)| {
            t.word
                && !t.text.chars().any(|c| c.is_ascii_digit())
                && (t.is_cap() || particle(t) || (i > 0 && particle(&toks[i - 1])))
        })
        && toks.iter().any(|t| {
            t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && t.text.chars().any(char::is_lowercase)
        })
}

/// The length in tokens of the title that starts `toks` ("Prime Minister", "Gov."), if any.
pub fn title_len(lex: &Lexicon, toks: &[Token]) -> usize {
    for title in &lex.titles {
        if title.len() <= toks.len() && title.iter().zip(toks).all(|(w, t)| lower_eq(t.text, w)) {
            return title.len();
        }
    }
    0
}

/// Whether `text` lowercased is `lower`, for ASCII text without making the lowercase copy
/// (this runs for every title at every capitalized word).
fn lower_eq(text: &str, lower: &str) -> bool {
    if text.is_ascii() {
        text.eq_ignore_ascii_case(lower) && !lower.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        text.to_lowercase() == lower
    }
}

/// A role phrase found next to a name, with its byte range in the sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The words.
    pub text: String,
    /// Byte range in the sentence.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

fn role(sentence: &str, toks: &[Token], from: usize, to: usize) -> Option<Role> {
    let (a, b) = (toks.get(from)?, toks.get(to.checked_sub(1)?)?);
    let mut text = sentence.get(a.start..b.end)?.trim().to_owned();
    for article in ["the ", "a ", "an ", "The "] {
        if let Some(rest) = text.strip_prefix(article) {
            text = rest.to_owned();
        }
    }
    (!text.is_empty()).then_some(Role {
        text,
        start: a.start,
        end: b.end,
    })
}

/// The role phrase read backwards from token `i` (exclusive): lowercase words up to a
/// function word, plus an organization, place or demonym just before them ("Acme chief
/// executive", "Freedonian counterpart"). `named` marks tokens inside known names.
pub fn role_before(
    lex: &Lexicon,
    sentence: &str,
    toks: &[Token],
    i: usize,
    named: &[bool],
) -> Option<Role> {
    let mut j = i;
    if j > 0 && toks[j - 1].text == "," {
        j -= 1;
    }
    let end = j;
    let mut has_role = false;
    while j > 0 && end - j < 4 {
        let t = &toks[j - 1];
        let lw = t.text.to_lowercase();
        if !t.word || FUNCTION.contains(&lw.as_str()) || !(t.is_lower() || is_role_word(lex, &lw)) {
            break;
        }
        has_role |= is_role_word(lex, &lw);
        j -= 1;
    }
    if !has_role {
        return None;
    }
    while j > 0 && named.get(j - 1).copied().unwrap_or(false) && end - j < 8 {
        j -= 1;
    }
    role(sentence, toks, j, end)
}

/// The appositive role after a name: ", director of Acme," or ", an analyst at Zed".
pub fn role_after(lex: &Lexicon, sentence: &str, toks: &[Token], end: usize) -> Option<Role> {
    if toks.get(end).is_none_or(|t| t.text != ",") {
        return None;
    }
    let from = end + 1;
    let mut j = from;
    while j < toks.len() && j - from < 14 {
        let t = &toks[j];
        if matches!(t.text, "," | "." | ";" | ":" | "(" | "\"" | "“" | "”") || t.text == "who" {
            break;
        }
        j += 1;
    }
    let has_role = toks[from..j]
        .iter()
        .take(6)
        .any(|t| t.word && is_role_word(lex, t.text));
    if has_role {
        role(sentence, toks, from, j)
    } else {
        None
    }
}

/// Person cues other than roles: ", who", a person verb after, "said" or a dash before, or
/// the name standing as an appositive after a role (", Jo Roe,").
pub fn person_cue(lex: &Lexicon, toks: &[Token], start: usize, end: usize) -> bool {
    let next = toks
        .get(end)
        .map(|t| t.text.to_lowercase())
        .unwrap_or_default();
    let next2 = toks
        .get(end + 1)
        .map(|t| t.text.to_lowercase())
        .unwrap_or_default();
    let prev = start
        .checked_sub(1)
        .and_then(|i| toks.get(i))
        .map(|t| t.text.to_lowercase())
        .unwrap_or_default();
    if (next == "," && next2 == "who") || lex.person_verbs.contains(&next) {
        return true;
    }
    if matches!(prev.as_str(), "said" | "says" | "—" | "–") {
        return true;
    }
    if prev == "," && next == "," {
        // "… a role in Place, Jo Roe, attended": a role word shortly before the first comma
        let mut j = start - 1;
        let mut steps = 0;
        while j > 0 && steps < 6 {
            j -= 1;
            steps += 1;
            let t = &toks[j];
            if matches!(t.text, "," | "." | ";") {
                break;
            }
            if t.word && is_role_word(lex, t.text) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tokens::tokenize;

    fn lex() -> Lexicon {
        Lexicon::load(None).unwrap()
    }

    #[test]
    fn titles_are_matched_longest_first() {
        let lex = lex();
        let t = tokenize("Prime Minister Jo Roe");
        assert_eq!(title_len(&lex, &t), 2);
        assert_eq!(title_len(&lex, &tokenize("Gov. Jo Roe")), 1);
    }

    #[test]
    fn role_after_an_appositive_is_read() {
        let lex = lex();
        let s = "Jo Roe, director of Zed Labs, said so.";
        let t = tokenize(s);
        assert_eq!(
            role_after(&lex, s, &t, 2).unwrap().text,
            "director of Zed Labs"
        );
    }

    #[test]
    fn role_before_a_name_includes_the_organization() {
        let lex = lex();
        let s = "Acme chief executive Jo Roe spoke.";
        let t = tokenize(s);
        let named = [true, false, false, false, false, false, false];
        assert_eq!(
            role_before(&lex, s, &t, 3, &named).unwrap().text,
            "Acme chief executive"
        );
    }

    #[test]
    fn name_shape_rejects_acronyms_and_numbers() {
        assert!(name_shaped(&tokenize("Luc Van den hove")));
        assert!(!name_shaped(&tokenize("ZRX 2000")));
        assert!(!name_shaped(&tokenize("NASA")));
    }

    #[test]
    fn appositive_after_a_role_is_a_person() {
        let lex = lex();
        let t = tokenize("Her ambassador in Zed, Jo Roe, attended.");
        assert!(person_cue(&lex, &t, 5, 7));
    }
}
