//! Clutter rules: which lines of a page are not article (data/clutter.toml), compiled once.

use regex::{Regex, RegexBuilder};
use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};
use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    drop: Vec<String>,
    end: Vec<String>,
    about: String,
    nav_separators: Vec<String>,
    nav_min_items: usize,
    press: Vec<String>,
}

/// The compiled clutter rules.
#[derive(Debug)]
pub struct Rules {
    drop: Patterns,
    end: Patterns,
    about: Regex,
    nav_separators: Vec<String>,
    nav_min_items: usize,
    press: Vec<Regex>,
}

fn compile(p: &str) -> Regex {
    RegexBuilder::new(p)
        .case_insensitive(true)
        .build()
        .unwrap_or_else(|e| panic!("data/clutter.toml: bad pattern {p:?}: {e}"))
}

/// A list of case-insensitive patterns, asked whether a line matches any of them.
///
/// Every line of every document is asked, so the list is first searched as one regex made of
/// all of them with their word boundaries (`\b` and the like) left out. Leaving out an
/// assertion only lets a pattern match more, so a line that one rejects matches none of the
/// patterns; the few it accepts are then tried one pattern at a time, word boundaries and
/// all. Without word boundaries the one regex runs on the lazy DFA throughout: with them
/// (a `RegexSet` of the patterns as written) the Unicode word boundaries sent it to a slower
/// engine, and a clean 1k build took 19% more instructions than trying each pattern in turn.
#[derive(Debug)]
struct Patterns {
    any: regex_automata::meta::Regex,
    each: Vec<Regex>,
}

impl Patterns {
    fn new(patterns: &[String]) -> Patterns {
        let mut parser = regex_syntax::ParserBuilder::new();
        parser.case_insensitive(true);
        let loose: Vec<Hir> = (patterns.iter())
            .map(|p| {
                let hir = (parser.build().parse(p))
                    .unwrap_or_else(|e| panic!("data/clutter.toml: bad pattern {p:?}: {e}"));
                without_word_boundaries(&hir)
            })
            .collect();
        Patterns {
            any: regex_automata::meta::Regex::builder()
                .build_from_hir(&Hir::alternation(loose))
                .expect("clutter patterns without word boundaries compile"),
            each: patterns.iter().map(|p| compile(p)).collect(),
        }
    }

    fn is_match(&self, line: &str) -> bool {
        self.any.is_match(line) && self.each.iter().any(|r| r.is_match(line))
    }
}

/// `hir` with every word-boundary assertion made empty; the anchors (`^`, `$`) are kept.
fn without_word_boundaries(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(look) => match look {
            Look::Start
            | Look::End
            | Look::StartLF
            | Look::EndLF
            | Look::StartCRLF
            | Look::EndCRLF => hir.clone(),
            _ => Hir::empty(),
        },
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(without_word_boundaries(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(without_word_boundaries(&cap.sub)),
            ..cap.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_word_boundaries).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(without_word_boundaries).collect())
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
    }
}

/// The built-in rules.
pub static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let raw: RawRules =
        toml::from_str(include_str!("../../data/clutter.toml")).expect("data/clutter.toml parses");
    Rules {
        drop: Patterns::new(&raw.drop),
        end: Patterns::new(&raw.end),
        about: Regex::new(&raw.about).expect("about pattern compiles"),
        nav_separators: raw.nav_separators,
        nav_min_items: raw.nav_min_items,
        press: raw.press.iter().map(|p| compile(p)).collect(),
    }
});

impl Rules {
    /// The line is page furniture wherever it appears.
    pub fn is_clutter(&self, line: &str) -> bool {
        self.drop.is_match(line) || self.is_nav(line) || is_shouting(line)
    }

    /// The line ends the article ("About the Author", "###", "Media contacts", "About Acme").
    pub fn is_end(&self, line: &str) -> bool {
        self.end.is_match(line)
            || (self.about.is_match(line) && line.split_whitespace().count() <= 10)
    }

    /// The line marks a press release.
    pub fn is_press(&self, line: &str) -> bool {
        self.press.iter().any(|r| r.is_match(line))
    }

    /// A row of short items separated by `|`, `·` and the like, with no sentence in it.
    pub fn is_nav(&self, line: &str) -> bool {
        self.nav_separators.iter().any(|sep| {
            let items = || {
                line.split(sep.as_str())
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            // (most lines hold no separator: one item, told without counting words)
            (line.contains(sep.as_str()) || self.nav_min_items <= 1)
                && items().count() >= self.nav_min_items
                && items().all(|i| i.split_whitespace().count() <= 8)
        })
    }
}

/// A line in capitals (a masthead, a section label, "ADVERTISEMENT"): at least six letters
/// (so a short acronym in a list survives) and no lowercase letter at all.
pub fn is_shouting(line: &str) -> bool {
    // (stops at the first lowercase letter, which most lines have early)
    let mut letters = line.chars().filter(|c| c.is_alphabetic());
    letters.clone().all(|c| !c.is_lowercase())
        && letters.nth(5).is_some()
        && line.split_whitespace().count() <= 8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    #[test]
    fn reading_time_credit_and_related_lines_are_clutter() {
        for l in [
            "2 Min Read",
            "Photo credit: Northlight Images",
            "Related:Some other headline",
            "Listen to this article (4 min)",
            "ADVERTISEMENT",
        ] {
            assert!(RULES.is_clutter(l), "{l}");
        }
    }

    #[test]
    fn navigation_rows_are_clutter_but_sentences_are_not() {
        assert!(RULES.is_clutter("Home | News | Tech | Sport"));
        assert!(!RULES.is_clutter("The two universities will work together on robotics."));
    }

    #[test]
    fn end_markers_and_about_boilerplate_end_the_article() {
        for l in [
            "About the Author(s)",
            "You May Also Like",
            "###",
            "About Zorblat Labs",
            "Media contacts:",
        ] {
            assert!(RULES.is_end(l), "{l}");
        }
        assert!(!RULES.is_end("About 40 people attended the signing."));
    }

    /// Lines made of the rules' own words, next to letters, digits and marks from other
    /// scripts, where Unicode and ASCII word boundaries disagree.
    fn clutter_like_line() -> impl proptest::strategy::Strategy<Value = String> {
        let piece = proptest::sample::select(vec![
            "subscribe",
            "subscribing",
            "newsletter",
            "cookie",
            "cookies",
            "min",
            "read",
            "2",
            "12",
            "٣",
            "photo",
            "credit",
            "related",
            "share",
            "sponsored",
            ":",
            "|",
            ">",
            "»",
            "›",
            "(",
            ")",
            "[",
            "]",
            "©",
            "###",
            "about",
            "the",
            "author",
            "contacts",
            "media",
            "é",
            "ü",
            "ß",
            "日本",
            "-",
            " ",
            " ",
            " ",
            "\t",
            "Home",
            "epa",
            "reuters",
            "you may also like",
            "read more",
            "copyright",
            "all rights reserved",
            "x",
        ]);
        proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_test_agrees_with_each_pattern(line in clutter_like_line()) {
            for patterns in [&RULES.drop, &RULES.end] {
                let each = patterns.each.iter().any(|r| r.is_match(&line));
                proptest::prop_assert_eq!(patterns.is_match(&line), each);
                // what the one regex rejects, no pattern matches
                proptest::prop_assert!(patterns.any.is_match(&line) || !each);
            }
        }
    }

    #[test]
    fn word_boundaries_still_decide_after_the_one_pass_test() {
        // "cookie" inside a word, after a letter of another script: no word boundary
        assert!(RULES.is_clutter("We use cookies."));
        assert!(!RULES.is_clutter("The Fortunecookies consortium signed."));
        assert!(!RULES.is_clutter("éncookies"));
        assert!(RULES.is_clutter("é cookies"));
    }

    #[test]
    fn wire_markers_make_a_press_release() {
        assert!(RULES.is_press("PLACEVILLE, Calif.--(BUSINESS WIRE)--Acme said"));
    }
}
