//! The lexicon: gazetteer, places, role titles, cue words and currencies, parsed once from
//! data/*.toml (built in) and extended by a site's own data/*.toml files.

use super::tokens::{fold, tokenize};
use crate::error::DocError;
use crate::model::OrgKind;
use foldhash::{HashMap, HashSet};
use serde::Deserialize;
use std::path::Path;

/// The built-in data files, embedded in the binary.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "data/gazetteer.toml",
        include_str!("../../data/gazetteer.toml"),
    ),
    ("data/places.toml", include_str!("../../data/places.toml")),
    ("data/roles.toml", include_str!("../../data/roles.toml")),
    ("data/cues.toml", include_str!("../../data/cues.toml")),
    (
        "data/currency.toml",
        include_str!("../../data/currency.toml"),
    ),
];

/// One data file; every section is optional so a site file may hold any subset.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct DataFile {
    orgs: Vec<OrgGroup>,
    people: Vec<PersonEntry>,
    places: Vec<PlaceGroup>,
    heads: HashMap<String, OrgKind>,
    company_suffixes: Vec<String>,
    org_cues: HashMap<String, OrgKind>,
    stop_starts: Vec<String>,
    doc_words: Vec<String>,
    place_words: Vec<String>,
    not_org_cues: Vec<String>,
    party_verbs: Vec<String>,
    group_words: Vec<String>,
    with_cues: Vec<String>,
    titles: Vec<String>,
    role_words: Vec<String>,
    partnership_cues: Vec<String>,
    joint_verbs: Vec<String>,
    not_party_cues: Vec<String>,
    group_refs: Vec<String>,
    member_cues: Vec<String>,
    event_words: Vec<String>,
    abbreviations: Vec<String>,
    honorifics: Vec<String>,
    speech_verbs: Vec<String>,
    person_verbs: Vec<String>,
    not_funding: Vec<String>,
    topics: Vec<String>,
    rates_date: Option<String>,
    currencies: Vec<Currency>,
}

/// Gazetteer organizations sharing a kind and a country; each name is `"Name|alias|alias"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgGroup {
    kind: OrgKind,
    #[serde(default)]
    country: Option<String>,
    names: Vec<String>,
}

/// Places of one kind; a country's entry is `"Name|alias ; demonym|demonym"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceGroup {
    kind: String,
    #[serde(default)]
    country: Option<String>,
    names: Vec<String>,
}

/// A known person.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    /// Full name.
    pub name: String,
    /// Other forms (surname, title and surname).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Title or position.
    #[serde(default)]
    pub role: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
}

/// A currency: how it is written and its value in US dollars on `rates_date`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Currency {
    /// ISO 4217 code.
    pub code: String,
    /// Symbols written before the number ("$", "US$", "€").
    #[serde(default)]
    pub symbols: Vec<String>,
    /// Words written after the number ("euros", "won").
    #[serde(default)]
    pub words: Vec<String>,
    /// US dollars per unit, if known.
    #[serde(default)]
    pub usd: Option<f64>,
}

/// A known organization.
#[derive(Debug, Clone)]
pub struct GazOrg {
    /// Canonical name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Kind.
    pub kind: OrgKind,
    /// Country, if it has one.
    pub country: Option<String>,
}

/// A known place.
#[derive(Debug, Clone)]
pub struct Place {
    /// Name.
    pub name: String,
    /// country | region | city
    pub kind: String,
    /// The country it is in (itself for a country).
    pub country: Option<String>,
}

/// What a gazetteer form names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Index into `Lexicon::orgs`.
    Org(usize),
    /// Index into `Lexicon::people`.
    Person(usize),
    /// Index into `Lexicon::places`.
    Place(usize),
    /// A demonym of the place at this index ("Freedonian").
    Demonym(usize),
}

/// Word lists and the gazetteer that extraction uses: built-in data, extended by a site's data/.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Known organizations.
    pub orgs: Vec<GazOrg>,
    /// Known people.
    pub people: Vec<PersonEntry>,
    /// Known places.
    pub places: Vec<Place>,
    /// Folded form → (form as written, entry).
    index: HashMap<String, Vec<(String, Entry)>>,
    /// Every leading run of whole words of a folded form ("a", "a b" for "a b c"), so a
    /// lookup that grows word by word can stop as soon as no form starts that way.
    prefixes: HashSet<String>,
    /// Longest form, in tokens.
    pub max_tokens: usize,
    /// Org head words (lowercase) and the kind they give.
    pub heads: HashMap<String, OrgKind>,
    /// Company suffixes, lowercase ("inc.", "gmbh").
    pub suffixes: HashSet<String>,
    /// Lowercase nouns that announce an organization name after them ("developer").
    pub org_cues: HashMap<String, OrgKind>,
    /// Lowercase nouns that announce a name that is not an organization ("daily", "newspaper").
    pub not_org_cues: HashSet<String>,
    /// Verbs right after a name that make it a party, so an organization ("X signed").
    pub party_verbs: HashSet<String>,
    /// Document words that name a group when it defines an acronym ("the Zed Partnership (ZP)").
    pub group_words: HashSet<String>,
    /// Words right before "with X" that make X a party, so an organization ("team up with X").
    pub with_cues: HashSet<String>,
    /// Capitalized words that start a sentence but not a name (lowercase).
    pub stop_starts: HashSet<String>,
    /// Words that make a capitalized phrase a document or event, not an organization.
    pub doc_words: HashSet<String>,
    /// Words that make a capitalized phrase a place ("District", "Valley").
    pub place_words: HashSet<String>,
    /// Titles before a name, as lowercase token lists, longest first.
    pub titles: Vec<Vec<String>>,
    /// Lowercase role nouns ("president", "counsel").
    pub role_words: HashSet<String>,
    /// Lowercase words/phrases that signal a partnership in a sentence.
    pub partnership_cues: Vec<String>,
    /// Verbs that make coordinated subjects partners ("signed", "launched").
    pub joint_verbs: HashSet<String>,
    /// Phrases that put the organization after them outside the parties ("part of").
    pub not_party_cues: Vec<String>,
    /// Phrases that refer back to the last partnership's parties ("the two sides").
    pub group_refs: Vec<String>,
    /// Words that introduce a list of members.
    pub member_cues: Vec<String>,
    /// Nouns that name an occasion ("summit", "fair", "conference"), lowercase.
    pub event_words: HashSet<String>,
    /// Titles that are courtesy, not a position ("Dr.", "Dame"), lowercase.
    pub honorifics: HashSet<String>,
    /// Abbreviated titles and their full forms ("Gov." → "Governor").
    pub abbreviations: Vec<(String, String)>,
    /// Verbs that introduce speech.
    pub speech_verbs: HashSet<String>,
    /// Verbs that follow a person's name.
    pub person_verbs: HashSet<String>,
    /// Words before an amount that make it not a commitment ("revenue", "saving").
    pub not_funding: HashSet<String>,
    /// Topics: name and the lowercase forms that signal it.
    pub topics: Vec<(String, Vec<String>)>,
    /// Currencies.
    pub currencies: Vec<Currency>,
    /// The date of the rates in `currencies`.
    pub rates_date: Option<String>,
    /// The money pattern for `currencies`, built on first use.
    money: std::sync::OnceLock<regex::Regex>,
    /// The cue lists as automata, built on first use.
    phrases: std::sync::OnceLock<PhraseSets>,
}

/// The lexicon's phrase lists, each searched in one pass over a sentence.
#[derive(Debug, Clone)]
pub struct PhraseSets {
    pub partnership_cues: Phrases,
    pub group_refs: Phrases,
    pub member_cues: Phrases,
    /// Each form's topic is its index in `Lexicon::topics`.
    pub topics: Phrases,
}

/// Phrases found as whole words in a sentence's words as `relations::plain_words` gives them
/// (`" w1 w2 … "`): one Aho-Corasick automaton over `" phrase "` forms instead of one
/// substring search per phrase and sentence, which was a tenth of extraction.
#[derive(Debug, Clone)]
pub struct Phrases {
    automaton: Option<aho_corasick::AhoCorasick>,
    /// For each pattern, the group (e.g. topic) it belongs to.
    group: Vec<usize>,
}

impl Phrases {
    /// Phrases, each with the group it stands for.
    pub fn new<'a>(phrases: impl IntoIterator<Item = (usize, &'a str)>) -> Phrases {
        let (group, patterns): (Vec<usize>, Vec<String>) = phrases
            .into_iter()
            .map(|(g, p)| (g, format!(" {p} ")))
            .unzip();
        Phrases {
            automaton: aho_corasick::AhoCorasick::new(&patterns).ok(),
            group,
        }
    }

    /// Whether `words` holds any of the phrases.
    pub fn any(&self, words: &str) -> bool {
        self.automaton.as_ref().is_some_and(|a| a.is_match(words))
    }

    /// The groups of every phrase `words` holds, sorted, each once.
    pub fn groups(&self, words: &str) -> Vec<usize> {
        let Some(a) = &self.automaton else {
            return Vec::new();
        };
        let mut out: Vec<usize> = a
            .find_overlapping_iter(words)
            .map(|m| self.group[m.pattern().as_usize()])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Lexicon {
    /// The built-in data, extended by `site_data/*.toml` where that folder exists.
    pub fn load(site_data: Option<&Path>) -> Result<Lexicon, DocError> {
        let mut lex = Lexicon::default();
        for (name, text) in BUILT_IN {
            let file: DataFile = toml::from_str(text)
                .map_err(|e| DocError::file(*name, format!("built-in data: {}", e.message())))?;
            lex.add(file);
        }
        if let Some(dir) = site_data.filter(|d| d.is_dir()) {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| DocError::file(dir, format!("cannot read data folder: {e}")))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| DocError::file(&path, format!("cannot read data file: {e}")))?;
                // a copy of a built-in file adds nothing; clutter.toml belongs to the clean stage
                let is_clutter = path.file_name().is_some_and(|n| n == "clutter.toml");
                if is_clutter || BUILT_IN.iter().any(|(_, b)| *b == text) {
                    continue;
                }
                let file: DataFile = toml::from_str(&text).map_err(|e| {
                    let (line, col) = e.span().map_or((1, 1), |s| crate::error::line_col(&text, s.start));
                    DocError::at(&path, &text, line, col, format!("invalid data file: {}", e.message()))
                        .help("data files hold [[orgs]], [[people]], [[places]] and word lists; see data/ in accord's source")
                })?;
                lex.add(file);
            }
        }
        Ok(lex)
    }

    /// Builds a lexicon from TOML text alone (tests and tools).
    pub fn from_toml(text: &str) -> Result<Lexicon, String> {
        let mut lex = Lexicon::default();
        for (_, t) in BUILT_IN {
            lex.add(toml::from_str(t).map_err(|e: toml::de::Error| e.to_string())?);
        }
        lex.add(toml::from_str(text).map_err(|e: toml::de::Error| e.to_string())?);
        Ok(lex)
    }

    fn add(&mut self, f: DataFile) {
        for g in f.orgs {
            for entry in g.names {
                let mut parts = entry.split('|').map(str::trim).filter(|s| !s.is_empty());
                let Some(name) = parts.next() else { continue };
                let aliases: Vec<String> = parts.map(str::to_owned).collect();
                let idx = self.orgs.len();
                self.index_form(name, Entry::Org(idx));
                for a in &aliases {
                    self.index_form(a, Entry::Org(idx));
                }
                self.orgs.push(GazOrg {
                    name: name.to_owned(),
                    aliases,
                    kind: g.kind,
                    country: g.country.clone(),
                });
            }
        }
        for p in f.people {
            let idx = self.people.len();
            self.index_form(&p.name, Entry::Person(idx));
            for a in &p.aliases {
                self.index_form(a, Entry::Person(idx));
            }
            self.people.push(p);
        }
        for g in f.places {
            for entry in g.names {
                let (names, demonyms) = entry.split_once(';').unwrap_or((&entry, ""));
                let mut parts = names.split('|').map(str::trim).filter(|s| !s.is_empty());
                let Some(name) = parts.next() else { continue };
                let idx = self.places.len();
                let country = if g.kind == "country" {
                    Some(name.to_owned())
                } else {
                    g.country.clone()
                };
                self.places.push(Place {
                    name: name.to_owned(),
                    kind: g.kind.clone(),
                    country,
                });
                self.index_form(name, Entry::Place(idx));
                for a in parts {
                    self.index_form(a, Entry::Place(idx));
                }
                for d in demonyms.split('|').map(str::trim).filter(|s| !s.is_empty()) {
                    self.index_form(d, Entry::Demonym(idx));
                }
            }
        }
        self.heads
            .extend(f.heads.into_iter().map(|(k, v)| (k.to_lowercase(), v)));
        self.suffixes
            .extend(f.company_suffixes.iter().map(|s| s.to_lowercase()));
        self.org_cues
            .extend(f.org_cues.into_iter().map(|(k, v)| (k.to_lowercase(), v)));
        self.not_org_cues
            .extend(f.not_org_cues.iter().map(|s| s.to_lowercase()));
        self.party_verbs
            .extend(f.party_verbs.iter().map(|s| s.to_lowercase()));
        self.group_words
            .extend(f.group_words.iter().map(|s| s.to_lowercase()));
        self.with_cues
            .extend(f.with_cues.iter().map(|s| s.to_lowercase()));
        self.stop_starts
            .extend(f.stop_starts.iter().map(|s| s.to_lowercase()));
        self.doc_words
            .extend(f.doc_words.iter().map(|s| s.to_lowercase()));
        self.place_words
            .extend(f.place_words.iter().map(|s| s.to_lowercase()));
        for t in f.titles {
            let toks: Vec<String> = tokenize(&t).iter().map(|x| x.text.to_lowercase()).collect();
            if !toks.is_empty() {
                self.titles.push(toks);
            }
        }
        self.titles
            .sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        self.titles.dedup();
        self.role_words
            .extend(f.role_words.iter().map(|s| s.to_lowercase()));
        self.partnership_cues
            .extend(f.partnership_cues.iter().map(|s| s.to_lowercase()));
        self.joint_verbs
            .extend(f.joint_verbs.iter().map(|s| s.to_lowercase()));
        self.not_party_cues
            .extend(f.not_party_cues.iter().map(|s| s.to_lowercase()));
        self.group_refs
            .extend(f.group_refs.iter().map(|s| s.to_lowercase()));
        self.event_words
            .extend(f.event_words.iter().map(|s| s.to_lowercase()));
        self.honorifics
            .extend(f.honorifics.iter().map(|s| s.to_lowercase()));
        self.member_cues
            .extend(f.member_cues.iter().map(|s| s.to_lowercase()));
        for a in f.abbreviations {
            if let Some((short, long)) = a.split_once('=') {
                self.abbreviations
                    .push((short.trim().to_owned(), long.trim().to_owned()));
            }
        }
        self.abbreviations
            .sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        self.speech_verbs
            .extend(f.speech_verbs.iter().map(|s| s.to_lowercase()));
        self.person_verbs
            .extend(f.person_verbs.iter().map(|s| s.to_lowercase()));
        self.not_funding
            .extend(f.not_funding.iter().map(|s| s.to_lowercase()));
        for t in f.topics {
            let mut parts = t.split('|').map(str::trim).filter(|s| !s.is_empty());
            if let Some(name) = parts.next() {
                let mut forms: Vec<String> = vec![name.to_lowercase()];
                forms.extend(parts.map(str::to_owned));
                self.topics.push((name.to_owned(), forms));
            }
        }
        if f.rates_date.is_some() {
            self.rates_date = f.rates_date;
        }
        for c in f.currencies {
            self.currencies.retain(|x| x.code != c.code);
            self.currencies.push(c);
        }
    }

    fn index_form(&mut self, form: &str, entry: Entry) {
        let key = fold(form);
        if key.is_empty() {
            return;
        }
        self.max_tokens = self.max_tokens.max(tokenize(form).len());
        let mut end = 0;
        while let Some(sp) = key[end..].find(' ') {
            end += sp;
            self.prefixes.insert(key[..end].to_owned());
            end += 1;
        }
        self.prefixes.insert(key.clone());
        let list = self.index.entry(key).or_default();
        if !list.iter().any(|(f, e)| f == form && *e == entry) {
            list.push((form.to_owned(), entry));
        }
    }

    /// True when some known form starts with the folded words `folded` (whole words), so a
    /// longer written form beginning with them might still be known. A leading "the" is
    /// dropped by folding, so "the" alone may start anything.
    pub fn is_prefix(&self, folded: &str) -> bool {
        folded.is_empty() || folded == "the" || self.prefixes.contains(folded)
    }

    /// The entries a written form names. Short all-caps forms and forms that start lowercase
    /// must match case exactly; others also match when only the case differs.
    pub fn lookup(&self, written: &str) -> Vec<Entry> {
        self.lookup_folded(written, &fold(written))
    }

    /// `lookup` for a caller that has already folded the written form.
    pub fn lookup_folded(&self, written: &str, folded: &str) -> Vec<Entry> {
        let Some(list) = self.index.get(folded) else {
            return Vec::new();
        };
        let starts_upper = written.chars().next().is_some_and(char::is_uppercase);
        let written_plain = written.trim_end_matches(['\'', '’', 's']).to_owned();
        list.iter()
            .filter(|(form, _)| {
                if form == written
                    || *form == written_plain
                    || form.trim_end_matches('.') == written.trim_end_matches('.')
                {
                    return true;
                }
                let letters = form.chars().filter(|c| c.is_alphabetic()).count();
                let all_caps = form
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
                let lower_form = form.chars().next().is_some_and(char::is_lowercase);
                (starts_upper || lower_form) && letters >= 4 && !(all_caps && letters <= 5)
            })
            .map(|(_, e)| *e)
            .collect()
    }

    /// A role with abbreviated titles spelled out: "Gov." → "Governor".
    pub fn expand_role(&self, role: &str) -> String {
        let words: Vec<&str> = role.split(' ').collect();
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let two = words.get(i + 1).map(|w| format!("{} {w}", words[i]));
            if let Some((_, long)) = two
                .as_ref()
                .and_then(|t| self.abbreviations.iter().find(|(s, _)| s == t))
            {
                out.push(long.clone());
                i += 2;
            } else if let Some((_, long)) = self.abbreviations.iter().find(|(s, _)| s == words[i]) {
                out.push(long.clone());
                i += 1;
            } else {
                out.push(words[i].to_owned());
                i += 1;
            }
        }
        out.join(" ")
    }

    /// The org kind a head word gives.
    pub fn head_kind(&self, word: &str) -> Option<OrgKind> {
        self.heads.get(&word.to_lowercase()).copied()
    }

    /// The country a place is in.
    pub fn place_country(&self, idx: usize) -> Option<&str> {
        self.places.get(idx).and_then(|p| p.country.as_deref())
    }

    /// The country a name denotes, if it is a country (or one of its aliases or demonyms).
    pub fn country_of(&self, written: &str) -> Option<String> {
        self.lookup(written).into_iter().find_map(|e| match e {
            Entry::Place(i) | Entry::Demonym(i) if self.places[i].kind == "country" => {
                self.places[i].country.clone()
            }
            _ => None,
        })
    }

    /// The money pattern for this lexicon's currencies (built once).
    pub fn money_pattern(&self) -> &regex::Regex {
        self.money.get_or_init(|| super::money::pattern(self))
    }

    /// The cue lists as automata.
    pub fn phrases(&self) -> &PhraseSets {
        self.phrases.get_or_init(|| {
            let list = |l: &[String]| Phrases::new(l.iter().map(|p| (0, p.as_str())));
            PhraseSets {
                partnership_cues: list(&self.partnership_cues),
                group_refs: list(&self.group_refs),
                member_cues: list(&self.member_cues),
                topics: Phrases::new(
                    self.topics
                        .iter()
                        .enumerate()
                        .flat_map(|(i, (_, forms))| forms.iter().map(move |f| (i, f.as_str()))),
                ),
            }
        })
    }

    /// A currency by code.
    pub fn currency(&self, code: &str) -> Option<&Currency> {
        self.currencies
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }
}

#[cfg(test)]
#[path = "lexicon_tests.rs"]
mod tests;
