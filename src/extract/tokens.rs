//! Tokens: words and punctuation of one sentence, with byte offsets, for the mention finders.

use std::borrow::Cow;

/// One word or punctuation mark of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word without a possessive `'s`.
    pub text: &'a str,
    /// Byte offset of the token in the sentence.
    pub start: usize,
    /// Byte offset just past the token (past the possessive, if any).
    pub end: usize,
    /// The word carried a possessive `'s` (or `’s`).
    pub poss: bool,
    /// A word (letters or digits), not punctuation.
    pub word: bool,
}

impl<'a> Token<'a> {
    /// Starts with an uppercase letter, or has one inside (`iCET`), or is a digit-letter code (`G7`).
    pub fn is_cap(&self) -> bool {
        let mut chars = self.text.chars();
        match chars.next() {
            Some(c) if c.is_uppercase() => true,
            Some(c) if c.is_lowercase() => self.text.chars().skip(1).any(char::is_uppercase),
            _ => false,
        }
    }

    /// All letters lowercase.
    pub fn is_lower(&self) -> bool {
        self.word && self.text.chars().next().is_some_and(char::is_lowercase) && !self.is_cap()
    }

    /// The word lowercased: the word itself when it is plain ASCII with no capital (many
    /// are), which asks for no copy. Extraction looks words up lowercased hundreds of
    /// thousands of times at 1,000 documents.
    pub fn lower(&self) -> Cow<'a, str> {
        if self
            .text
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            Cow::Borrowed(self.text)
        } else {
            Cow::Owned(self.text.to_lowercase())
        }
    }

    /// Appends the word lowercased to `out`; an ASCII word (nearly every one) without a
    /// lowercase copy of its own.
    pub fn push_lower(&self, out: &mut String) {
        if self.text.is_ascii() {
            out.extend(self.text.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            out.push_str(&self.text.to_lowercase());
        }
    }
}

/// Characters that may join two word parts: `U.S`, `TU/e`, `R&D`, `Jae-yong`, `O'Neil`.
fn joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '&' | '/' | '\'' | '’' | '\u{2011}')
}

/// Abbreviations whose final period belongs to the word.
const ABBREV: &[&str] = &[
    "Inc", "Corp", "Co", "Ltd", "Jr", "Sr", "Gov", "Sen", "Rep", "Dr", "Prof", "Mr", "Mrs", "Ms",
    "St", "Mt", "No", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "Ill",
    "Ind", "Wash", "Calif", "Mass", "Gen", "Lt", "Col", "Capt", "Adm", "Pres", "Amb", "Hon", "vs",
    "etc", "approx", "Bros", "Plc", "Pty", "Ave",
];

/// Whether `word` followed by a period is an abbreviation (so the period is not a sentence end).
pub fn is_abbrev(word: &str) -> bool {
    let single_letter = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single_letter || word.contains('.') || ABBREV.contains(&word)
}

/// Splits a sentence into tokens.
pub fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            let end = start + c.len_utf8();
            out.push(Token {
                text: &s[start..end],
                start,
                end,
                poss: false,
                word: false,
            });
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let cj = chars[j].1;
            if cj.is_alphanumeric()
                || (joiner(cj) && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric()))
            {
                j += 1;
            } else {
                break;
            }
        }
        let mut end = chars.get(j).map_or(s.len(), |x| x.0);
        let mut text = &s[start..end];
        let mut poss = false;
        for suffix in ["'s", "’s"] {
            if let Some(stem) = text.strip_suffix(suffix).filter(|t| !t.is_empty()) {
                text = stem;
                poss = true;
            }
        }
        if !poss && chars.get(j).is_some_and(|x| x.1 == '.') && is_abbrev(text) {
            end += 1;
            j += 1;
            text = &s[start..end];
        } else if !poss
            && chars.get(j).is_some_and(|x| x.1 == '’' || x.1 == '\'')
            && text.ends_with('s')
        {
            // plural possessive: "members’ plans"
            let after = chars.get(j + 1).map_or(' ', |x| x.1);
            if !after.is_alphanumeric() {
                poss = true;
                end += chars[j].1.len_utf8();
                j += 1;
            }
        }
        out.push(Token {
            text,
            start,
            end,
            poss,
            word: true,
        });
        i = j;
    }
    out
}

/// Folds a name for lookups: lowercase, accents and punctuation dropped, spaces collapsed,
/// a leading "the" and possessives removed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// `fold` of `s` into `out`, which is cleared first: for a caller that folds many texts one
/// after another, in one buffer.
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.bytes().all(|b| b < 0x7f) {
        fold_plain(s.as_bytes(), out);
    } else {
        out.push_str(&fold_any(s));
    }
}

/// `fold` of plain ASCII short of DEL, which deunicode leaves as it is: the same steps on
/// bytes. Resolve folds every name of every document on one thread (110,000 at 10,000
/// documents, a thirtieth of a rebuild), where going char by char through an iterator that
/// looks ahead for possessives cost several times as much. A test holds the two to the same
/// folds.
fn fold_plain(b: &[u8], out: &mut String) {
    let mut i = 0;
    while i < b.len() {
        let c = b[i].to_ascii_lowercase();
        i += 1;
        match c {
            // drop possessive 's and apostrophes
            b'\'' => {
                let s = b.get(i).is_some_and(|n| n.eq_ignore_ascii_case(&b's'));
                if s && b.get(i + 1).is_none_or(|n| !n.is_ascii_alphanumeric()) {
                    i += 1;
                }
            }
            b'.' => {}
            c if c.is_ascii_alphanumeric() => out.push(char::from(c)),
            _ if !out.ends_with(' ') => out.push(' '),
            _ => {}
        }
    }
    // Trimmed (only a space can be at either end), and a leading "the " dropped.
    if out.ends_with(' ') {
        out.pop();
    }
    let mut start = usize::from(out.starts_with(' '));
    if out[start..].starts_with("the ") {
        start += 4;
    }
    out.drain(..start);
}

/// `fold` of any text: transliterated to ASCII first.
fn fold_any(s: &str) -> String {
    // deunicode's Cow form hands back a text that needs no transliteration (plain ASCII short
    // of DEL: nearly every word looked up) as it is, and what it makes is ASCII, whose
    // lowercase is made char by char below: no copies before the one returned for most
    // words, where `deunicode` and `to_lowercase` made two.
    let plain = deunicode::deunicode_with_tofu_cow(s, "[?]");
    let mut out = String::with_capacity(plain.len());
    let mut chars = plain.chars().map(|c| c.to_ascii_lowercase()).peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // drop possessive 's and apostrophes
            if chars.peek() == Some(&'s') {
                let mut look = chars.clone();
                look.next();
                if look.peek().is_none_or(|n| !n.is_alphanumeric()) {
                    chars.next();
                }
            }
            continue;
        }
        if c == '.' {
            continue;
        }
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    let t = out.trim();
    let t = t.strip_prefix("the ").unwrap_or(t);
    if t.len() == out.len() {
        out
    } else {
        t.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn dotted_acronyms_and_joined_words_stay_whole() {
        assert_eq!(
            words("The U.S. and TU/e met R&D staff."),
            ["The", "U.S.", "and", "TU/e", "met", "R&D", "staff", "."]
        );
    }

    #[test]
    fn possessive_is_split_off_and_marked() {
        let t = tokenize("Acme’s chief and the members’ plan");
        assert_eq!(t[0].text, "Acme");
        assert!(t[0].poss);
        assert_eq!(t[4].text, "members");
        assert!(t[4].poss);
    }

    #[test]
    fn abbreviation_keeps_its_period() {
        assert_eq!(
            words("Gov. Jane Roe of Zed Corp. spoke"),
            ["Gov.", "Jane", "Roe", "of", "Zed", "Corp.", "spoke"]
        );
    }

    proptest::proptest! {
        /// Plain ASCII folds byte by byte as the general fold folds it char by char.
        #[test]
        fn plain_ascii_folds_as_any_text_does(s in "[ -~\\x00-\\x1f]{0,40}|[ .'sStThHeE aAbB1-]{0,16}") {
            proptest::prop_assert_eq!(fold(&s), fold_any(&s));
        }
    }

    #[test]
    fn fold_drops_case_accents_possessives_and_leading_the() {
        assert_eq!(fold("The Université’s Lab"), "universite lab");
        assert_eq!(fold("U.S. Dept."), "us dept");
    }

    #[test]
    fn fold_transliterates_all_of_a_text_that_is_not_plain_ascii() {
        // DEL and the control characters after it are dropped, as deunicode drops them
        // (a fast path for ASCII once kept them and split "Acme\x7fCorp" in two words)
        assert_eq!(fold("Acme\u{7f}Corp"), "acmecorp");
        assert_eq!(fold("Zé\u{1}Lab"), "zelab");
    }

    #[test]
    fn capitalization_tests() {
        let t = tokenize("xQT and imag and Zed");
        assert!(t[0].is_cap());
        assert!(!t[2].is_cap());
        assert!(t[4].is_cap());
    }
}
