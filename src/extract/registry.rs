//! The document's registry: one local record per organization and person named in the
//! document, however often and in whatever form (alias, acronym, surname, misspelling).

use super::lexicon::{Entry, Lexicon};
use super::names::What;
use super::tokens::fold;
use super::{OrgFact, PersonFact, Sent};
use crate::model::{Citation, OrgKind, add_citation};
use foldhash::HashMap;

/// What a located mention refers to, by local index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    /// Index into the document's organizations.
    Org(usize),
    /// Index into the document's people.
    Person(usize),
    /// Index into the lexicon's places.
    Place(usize),
}

/// A resolved mention in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// What it names.
    pub r: Ref,
    /// Byte range in the sentence.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Token range.
    pub t0: usize,
    /// End of the token range.
    pub t1: usize,
}

/// Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    if a.is_ascii() && b.is_ascii() {
        // A character is a byte: compared as they are, without a list of chars for each.
        return distance(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance(&a, &b)
}

/// `edit_distance` of two lists of characters.
fn distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    // The table row by row in one buffer: `d(i, j)` at `i * w + j`.
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d[..w].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// Whether `b` is a plausible misspelling of the name word `a`: same first letter and an edit
/// distance of at most a third of its length (at least 1). Words whose lengths differ by more
/// than that are not compared letter by letter: the distance is at least the difference.
pub fn near(a: &str, b: &str) -> bool {
    near_folded(&fold(a), &fold(b))
}

/// `near` of two words already folded, as the words of a folded name are (letters and digits,
/// which `fold` leaves as they are): resolve compares each full name's surname with those of
/// the names spelled alike, and folding them again was most of the time it took.
pub fn near_folded(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let len = la.max(lb);
    let most = (len / 3).max(1);
    a.chars().next() == b.chars().next()
        && len >= 3
        && la.abs_diff(lb) <= most
        && edit_distance(a, b) <= most
}

#[derive(Default)]
struct Registry {
    orgs: Vec<OrgFact>,
    people: Vec<PersonFact>,
    org_keys: HashMap<String, usize>,
    person_keys: HashMap<String, usize>,
    /// Indexes of people's names and aliases, so a mention is matched by lookups, not by
    /// comparing it with everyone named so far (a long page names thousands).
    forms: FormIndex,
}

/// Where people's names and aliases can be found by their words.
#[derive(Default)]
struct FormIndex {
    /// The first or last words of a form of two words or more ("roe", "jo roe") → people.
    ends: HashMap<String, Vec<usize>>,
    /// (word count, position, word) of a form of two words or more → people.
    words: HashMap<(usize, usize, String), Vec<usize>>,
    /// (first letter, length in letters) of the last word of such a form → people.
    last_word: HashMap<(char, usize), Vec<usize>>,
    /// (word count, position, folded word) of a person's name (as `add_full_person` splits
    /// it) → people.
    name_words: HashMap<(usize, usize, String), Vec<usize>>,
}

fn put<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<usize>>, k: K, i: usize) {
    let v = map.entry(k).or_default();
    if !v.contains(&i) {
        v.push(i);
    }
}

impl FormIndex {
    /// Indexes a name or alias of person `i`.
    fn add_form(&mut self, i: usize, form: &str) {
        let folded = fold(form);
        let pw: Vec<&str> = folded.split(' ').collect();
        if pw.len() < 2 {
            return;
        }
        for k in 1..=pw.len() {
            put(&mut self.ends, pw[..k].join(" "), i);
            put(&mut self.ends, pw[pw.len() - k..].join(" "), i);
        }
        for (j, w) in pw.iter().enumerate() {
            put(&mut self.words, (pw.len(), j, (*w).to_owned()), i);
        }
        let last = pw[pw.len() - 1];
        if let Some(c) = last.chars().next() {
            put(&mut self.last_word, (c, last.chars().count()), i);
        }
    }

    /// Indexes the name of person `i`.
    fn add_name(&mut self, i: usize, name: &str) {
        let words: Vec<&str> = name.split_whitespace().collect();
        for (j, w) in words.iter().enumerate() {
            put(&mut self.name_words, (words.len(), j, fold(w)), i);
        }
        self.add_form(i, name);
    }

    /// People who may have a form that `words` (folded) loosely fits: a form of as many words
    /// with one word the same, or for one word, a form whose last word could be a misspelling
    /// of it (same first letter, a length within a third). A superset, in index order.
    fn loose_candidates(&self, words: &[String]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        if let [w] = words {
            let Some(c) = w.chars().next() else {
                return out;
            };
            let n = w.chars().count();
            for len in (n * 2 / 3).saturating_sub(1)..=n * 3 / 2 + 2 {
                out.extend(self.last_word.get(&(c, len)).into_iter().flatten());
            }
        } else {
            for (j, w) in words.iter().enumerate() {
                let k = (words.len(), j, w.clone());
                out.extend(self.words.get(&k).into_iter().flatten());
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Registry {
    fn add_org(&mut self, lex: &Lexicon, what: &What, cite: &Citation) -> Option<usize> {
        let What::Org {
            name,
            gaz,
            kind,
            country,
            acronym,
            written,
        } = what
        else {
            return None;
        };
        let key = gaz.map_or_else(|| fold(name), |g| format!("gaz:{g}"));
        let idx = self
            .org_keys
            .get(&key)
            .or_else(|| self.org_keys.get(&fold(name)))
            .or_else(|| acronym.as_ref().and_then(|a| self.org_keys.get(&fold(a))))
            .copied();
        let idx = idx.unwrap_or_else(|| {
            self.orgs.push(OrgFact {
                name: name.clone(),
                aliases: Vec::new(),
                kind: *kind,
                country: country.clone(),
                gaz: *gaz,
                citations: Vec::new(),
            });
            self.orgs.len() - 1
        });
        self.org_keys.insert(key, idx);
        self.org_keys.insert(fold(name), idx);
        let org = &mut self.orgs[idx];
        // "Zed Widgets Co., Ltd." is also "Zed Widgets"
        let mut bare: Vec<&str> = name.split_whitespace().collect();
        while bare.len() > 1
            && bare.last().is_some_and(|w| {
                lex.suffixes
                    .contains(&w.trim_end_matches(',').to_lowercase())
            })
        {
            bare.pop();
        }
        let bare = bare.join(" ").trim_end_matches(',').to_owned();
        let bare = (bare != *name && gaz.is_none()).then_some(bare);
        for alias in [Some(written), acronym.as_ref(), bare.as_ref()]
            .into_iter()
            .flatten()
        {
            if alias != &org.name && !alias.is_empty() && !org.aliases.contains(alias) {
                org.aliases.push(alias.clone());
            }
        }
        let keys: Vec<String> = org.aliases.iter().map(|a| fold(a)).collect();
        if org.country.is_none() {
            org.country = country.clone();
        }
        if org.kind == OrgKind::Other && *kind != OrgKind::Other {
            org.kind = *kind;
        }
        add_citation(&mut org.citations, cite);
        for k in keys {
            self.org_keys.entry(k).or_insert(idx);
        }
        Some(idx)
    }

    /// The person a full name (two words or more) names, creating it if new.
    fn add_full_person(&mut self, lex: &Lexicon, name: &str) -> usize {
        let key = fold(name);
        if let Some(&i) = self.person_keys.get(&key) {
            return i;
        }
        let words: Vec<&str> = name.split_whitespace().collect();
        // A misspelling of someone already named in this document is that person: same number
        // of words, each word equal or near (edit distance ≤ a third of its length), and at
        // least one word equal. Only people named earlier are considered, so the first
        // spelling stays the name and later variants become aliases.
        // candidates share a word at the same place; checked in the order they were named
        let mut candidates: Vec<usize> = Vec::new();
        for (j, w) in words.iter().enumerate() {
            let k = (words.len(), j, fold(w));
            candidates.extend(self.forms.name_words.get(&k).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        let similar = candidates.into_iter().find(|&i| {
            let pw: Vec<&str> = self.people[i].name.split_whitespace().collect();
            pw.len() == words.len()
                && pw
                    .iter()
                    .zip(&words)
                    .all(|(a, b)| fold(a) == fold(b) || near(a, b))
                && pw.iter().zip(&words).any(|(a, b)| fold(a) == fold(b))
        });
        let idx = similar.unwrap_or_else(|| {
            let canonical = lex.lookup(name).into_iter().find_map(|e| match e {
                Entry::Person(g) => Some(lex.people[g].clone()),
                _ => None,
            });
            let (pname, role, country) = match canonical {
                Some(g) => (g.name, g.role, g.country),
                None => (name.to_owned(), None, None),
            };
            self.forms.add_name(self.people.len(), &pname);
            self.people.push(PersonFact {
                name: pname,
                role,
                country,
                ..PersonFact::default()
            });
            self.people.len() - 1
        });
        let p = &mut self.people[idx];
        if p.name != name && !p.aliases.iter().any(|a| a == name) {
            p.aliases.push(name.to_owned());
            self.forms.add_form(idx, name);
        }
        self.person_keys.insert(key, idx);
        idx
    }

    /// The person a short or variant form names, if exactly one person fits.
    fn match_person(&self, text: &str) -> Option<usize> {
        let key = fold(text);
        if let Some(&i) = self.person_keys.get(&key) {
            return Some(i);
        }
        let words: Vec<String> = key.split(' ').map(str::to_owned).collect();
        let fits = |exact: bool| -> Vec<usize> {
            let candidates = if exact {
                self.forms.ends.get(&key).cloned().unwrap_or_default()
            } else {
                self.forms.loose_candidates(&words)
            };
            candidates
                .into_iter()
                .map(|i| (i, &self.people[i]))
                .filter(|(_, p)| {
                    std::iter::once(&p.name).chain(&p.aliases).any(|n| {
                        let pw: Vec<String> = fold(n).split(' ').map(str::to_owned).collect();
                        if words.len() > pw.len() || pw.len() < 2 {
                            return false;
                        }
                        let tail = &pw[pw.len() - words.len()..];
                        let head = &pw[..words.len()];
                        if exact {
                            tail == words.as_slice() || head == words.as_slice()
                        } else {
                            (words.len() == 1 && words[0].len() >= 4 && near(&tail[0], &words[0]))
                                || (words.len() == pw.len()
                                    && pw.iter().zip(&words).all(|(a, b)| a == b || near(a, b))
                                    && pw.iter().zip(&words).any(|(a, b)| a == b))
                        }
                    })
                })
                .map(|(i, _)| i)
                .collect()
        };
        let exact = fits(true);
        if exact.len() == 1 {
            return exact.first().copied();
        }
        if !exact.is_empty() {
            return None;
        }
        let loose = fits(false);
        (loose.len() == 1).then(|| loose[0])
    }
}

impl Registry {
    /// Keeps a variant spelling ("Quilby", "Ada Quilbey") of person `i` as an alias; plain
    /// surnames are not kept, since they are part of the name already.
    fn note_variant(&mut self, i: usize, text: &str) {
        let p = &mut self.people[i];
        let inside = p.name.split_whitespace().any(|w| fold(w) == fold(text))
            || fold(&p.name).ends_with(&fold(text));
        if !inside && fold(text) != fold(&p.name) && !p.aliases.iter().any(|a| a == text) {
            p.aliases.push(text.to_owned());
            self.forms.add_form(i, text);
        }
    }
}

/// Whether the mention over tokens [t0, t1) is the name of a list item followed by a dash
/// and a description ("Acme — makes drones").
fn item_name(sent: &Sent, t0: usize, t1: usize) -> bool {
    t0 == 0
        && sent
            .toks
            .get(t1)
            .is_some_and(|t| matches!(t.text, "—" | "–" | "-"))
}

/// Builds the document's organizations and people and resolves every mention in `sents`.
pub fn build(lex: &Lexicon, sents: &mut [Sent]) -> (Vec<OrgFact>, Vec<PersonFact>) {
    let mut reg = Registry::default();
    // organizations first, so short forms and acronyms can find them
    for sent in sents.iter_mut() {
        let cite = sent.citation();
        for m in &sent.mentions {
            let what = match &m.what {
                What::Unknown(text)
                    if sent.list_item
                        && !text.is_empty()
                        && (sent.mentions.len() == 1 || item_name(sent, m.t0, m.t1)) =>
                {
                    What::Org {
                        name: text.clone(),
                        gaz: None,
                        kind: OrgKind::Company,
                        country: None,
                        acronym: None,
                        written: text.clone(),
                    }
                }
                other => other.clone(),
            };
            if let Some(i) = reg.add_org(lex, &what, &cite) {
                sent.refs.push(Located {
                    r: Ref::Org(i),
                    start: m.start,
                    end: m.end,
                    t0: m.t0,
                    t1: m.t1,
                });
            } else if let What::Place(p) = m.what {
                sent.refs.push(Located {
                    r: Ref::Place(p),
                    start: m.start,
                    end: m.end,
                    t0: m.t0,
                    t1: m.t1,
                });
            }
        }
    }
    // people named in full, in document order (so a later misspelling joins the first form)
    for sent in sents.iter_mut() {
        for m in &sent.mentions {
            if let What::Person { name, .. } = &m.what
                && name.split_whitespace().count() >= 2
            {
                let i = reg.add_full_person(lex, name);
                sent.refs.push(Located {
                    r: Ref::Person(i),
                    start: m.start,
                    end: m.end,
                    t0: m.t0,
                    t1: m.t1,
                });
            }
        }
    }
    // short forms: surnames, titles with one name, acronyms of organizations
    for sent in sents.iter_mut() {
        for m in &sent.mentions {
            let loc = |r| Located {
                r,
                start: m.start,
                end: m.end,
                t0: m.t0,
                t1: m.t1,
            };
            match &m.what {
                What::Person { name, titled, .. } if name.split_whitespace().count() == 1 => {
                    if let Some(i) = reg.match_person(name) {
                        reg.note_variant(i, name);
                        sent.refs.push(loc(Ref::Person(i)));
                    } else if *titled
                        || lex
                            .lookup(name)
                            .iter()
                            .any(|e| matches!(e, Entry::Person(_)))
                    {
                        let i = reg.add_full_person(lex, name);
                        sent.refs.push(loc(Ref::Person(i)));
                    }
                }
                What::Unknown(text) if !text.is_empty() => {
                    if let Some(&i) = reg.org_keys.get(&fold(text)).filter(|_| !sent.list_item) {
                        sent.refs.push(loc(Ref::Org(i)));
                    } else if let Some(i) = reg.match_person(text) {
                        reg.note_variant(i, text);
                        sent.refs.push(loc(Ref::Person(i)));
                    }
                }
                _ => {}
            }
        }
        sent.refs.sort_by_key(|l| l.start);
    }
    // roles, organizations of people, and citations
    for sent in sents.iter() {
        let cite = sent.citation();
        for m in &sent.mentions {
            let Some(Ref::Person(i)) = sent
                .refs
                .iter()
                .find(|l| l.start == m.start && l.end == m.end)
                .map(|l| l.r)
            else {
                continue;
            };
            if let What::Person {
                role: Some(role), ..
            } = &m.what
            {
                let p = &mut reg.people[i];
                if p.role.is_none()
                    || p.role
                        .as_deref()
                        .is_some_and(|r| r.split_whitespace().count() <= 1)
                {
                    p.role = Some(lex.expand_role(&role.text));
                }
                if p.org.is_none() {
                    // the organization inside the role ("director at Acme"), or right before
                    // it with at most its acronym between ("Acme (AC) director")
                    let right_before = |l: &Located| {
                        l.end <= role.start
                            && sent.text.get(l.end..role.start).is_some_and(|gap| {
                                let g = gap.trim();
                                g.is_empty()
                                    || (g.starts_with('(')
                                        && g.ends_with(')')
                                        && g.split_whitespace().count() == 1)
                            })
                    };
                    p.org = sent.refs.iter().find_map(|l| match l.r {
                        Ref::Org(o)
                            if (l.start >= role.start && l.end <= role.end) || right_before(l) =>
                        {
                            Some(o)
                        }
                        _ => None,
                    });
                }
            }
        }
        for l in &sent.refs {
            if let Ref::Person(i) = l.r {
                add_citation(&mut reg.people[i].citations, &cite);
            }
        }
    }
    for p in &mut reg.people {
        if p.country.is_none() {
            p.country = p
                .org
                .and_then(|o| reg.orgs.get(o))
                .and_then(|o| o.country.clone());
        }
    }
    (reg.orgs, reg.people)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("Xou", "Xuo"), 1);
        assert_eq!(edit_distance("Quillby", "Quilby"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }

    #[test]
    fn near_names_share_a_first_letter() {
        assert!(near("Darnel", "Darnnel"));
        assert!(!near("Darnel", "Carnel"));
        assert!(near("Dong-seop", "Dong-sul"));
    }

    proptest::proptest! {
        /// Skipping words whose lengths differ too much changes no answer: the distance is
        /// never less than the difference in length.
        #[test]
        fn near_answers_as_the_whole_distance_does(
            a in "[A-Za-zé-]{0,12}",
            b in "[A-Za-zé-]{0,12}",
        ) {
            let (fa, fb) = (fold(&a), fold(&b));
            let len = fa.chars().count().max(fb.chars().count());
            let by_distance = fa.chars().next() == fb.chars().next()
                && len >= 3
                && edit_distance(&fa, &fb) <= (len / 3).max(1);
            proptest::prop_assert_eq!(near(&a, &b), by_distance);
            proptest::prop_assert!(
                edit_distance(&fa, &fb) >= fa.chars().count().abs_diff(fb.chars().count())
            );
        }

        /// A word of a folded name is as `fold` leaves it, so `near_folded` of two such words
        /// is `near` of them.
        #[test]
        fn the_words_of_a_folded_name_fold_to_themselves(name in "\\PC{0,30}", other in "[a-z0-9]{0,10}") {
            for word in fold(&name).split(' ') {
                proptest::prop_assert_eq!(fold(word), word);
                proptest::prop_assert_eq!(near_folded(word, &other), near(word, &other));
            }
        }
    }
}
