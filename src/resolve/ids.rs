//! Ids and titles: unique slugs handed out in name order, and a partnership's title.

use crate::model::Citation;
use crate::slug::Slugger;
use rayon::prelude::*;

/// Sorted and without duplicates.
pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// A short all-caps form ("UW", "NSF"), which is not a safe key across documents.
pub fn is_acronym(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() <= 6 && letters.iter().filter(|c| c.is_uppercase()).count() * 2 > letters.len()
}

/// Unique slugs for records named `names[i]`, handed out in name order (ties by first citation).
pub fn ids(names: Vec<(String, Option<Citation>)>) -> Vec<String> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    let mut slugs: Vec<String> = names
        .par_iter()
        .map(|(name, _)| crate::slug::slugify(name))
        .collect();
    let mut slugger = Slugger::default();
    let mut out = vec![String::new(); names.len()];
    for i in order {
        out[i] = slugger.unique_slug(std::mem::take(&mut slugs[i]));
    }
    out
}

/// A partnership's title from its parties' names.
pub fn title(parties: &[&str]) -> String {
    match parties.len() {
        0 => "Partnership".to_owned(),
        1 => format!("{} partnership", parties[0]),
        2 | 3 => format!("{} partnership", parties.join(" – ")),
        n => format!("{} and {} more partners", parties[..2].join(" – "), n - 2),
    }
}
