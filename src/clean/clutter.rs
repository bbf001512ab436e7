//! Clutter rules: which lines of a page are not article (data/clutter.toml), compiled once.

use regex::{Regex, RegexBuilder};
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
    drop: Vec<Regex>,
    end: Vec<Regex>,
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

/// The built-in rules.
pub static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let raw: RawRules =
        toml::from_str(include_str!("../../data/clutter.toml")).expect("data/clutter.toml parses");
    Rules {
        drop: raw.drop.iter().map(|p| compile(p)).collect(),
        end: raw.end.iter().map(|p| compile(p)).collect(),
        about: Regex::new(&raw.about).expect("about pattern compiles"),
        nav_separators: raw.nav_separators,
        nav_min_items: raw.nav_min_items,
        press: raw.press.iter().map(|p| compile(p)).collect(),
    }
});

impl Rules {
    /// The line is page furniture wherever it appears.
    pub fn is_clutter(&self, line: &str) -> bool {
        self.drop.iter().any(|r| r.is_match(line)) || self.is_nav(line) || is_shouting(line)
    }

    /// The line ends the article ("About the Author", "###", "Media contacts", "About Acme").
    pub fn is_end(&self, line: &str) -> bool {
        self.end.iter().any(|r| r.is_match(line))
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

    #[test]
    fn wire_markers_make_a_press_release() {
        assert!(RULES.is_press("PLACEVILLE, Calif.--(BUSINESS WIRE)--Acme said"));
    }
}
