//! Source text for its page: each sentence split into plain runs and runs that name a known
//! organization or person, which link to its page. Runs stay text; the template escapes them.

use super::urls;
use crate::model::Model;
use aho_corasick::AhoCorasick;
use foldhash::{HashMap, HashMapExt};
use serde::Serialize;

/// A run of a sentence, linked when it names a known entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    /// Site path of the named entity's page (not yet page-relative).
    pub target: Option<String>,
}

/// Finds names of organizations and people in text with one Aho-Corasick automaton over all
/// names: it scans a sentence once whatever the number of names, where a regex alternation of
/// ten thousand names slowed down as the site grew.
pub struct Linker {
    ac: Option<AhoCorasick>,
    /// By pattern id: the name and the site path it links to.
    names: Vec<(String, String)>,
}

/// Names shorter than this are too ambiguous to link.
const MIN_NAME: usize = 2;

impl Linker {
    /// A linker for every name and alias in the model; a name two entities share links to neither.
    pub fn new(model: &Model) -> Self {
        let mut targets: HashMap<String, Option<String>> = HashMap::new();
        let mut add = |name: &str, path: String| {
            let name = name.trim();
            if name.chars().count() < MIN_NAME || !name.chars().any(char::is_alphanumeric) {
                return;
            }
            targets
                .entry(name.to_owned())
                .and_modify(|t| {
                    if t.as_deref() != Some(path.as_str()) {
                        *t = None;
                    }
                })
                .or_insert(Some(path));
        };
        for o in &model.organizations {
            let path = urls::record("organizations", &o.id);
            for n in std::iter::once(&o.name).chain(&o.aliases) {
                add(n, path.clone());
            }
        }
        for p in &model.people {
            let path = urls::record("people", &p.id);
            for n in std::iter::once(&p.name).chain(&p.aliases) {
                add(n, path.clone());
            }
        }
        let targets: HashMap<String, String> = targets
            .into_iter()
            .filter_map(|(n, t)| t.map(|t| (n, t)))
            .collect();
        let mut names: Vec<(String, String)> = targets.into_iter().collect();
        names.sort();
        let ac = (!names.is_empty())
            .then(|| AhoCorasick::new(names.iter().map(|(n, _)| n)).ok())
            .flatten();
        Linker { ac, names }
    }

    /// A digest of every name the linker links and where to: while it is the same, the runs
    /// of a sentence depend on its text alone.
    pub fn digest(&self) -> super::reads::Digest {
        super::reads::digest_of(&self.names)
    }

    /// The linked names in each sentence of `source`: `found(paragraph, sentence, (start,
    /// end, target))` for each, in order. What its page's runs depend on besides the text.
    pub fn links_in(
        &self,
        source: &crate::model::Source,
        mut found: impl FnMut(usize, usize, (usize, usize, &str)),
    ) {
        for (p, sentences) in source.paragraphs.iter().enumerate() {
            for (s, sentence) in sentences.iter().enumerate() {
                for (start, end, id) in self.matches(sentence) {
                    found(p, s, (start, end, &self.names[id].1));
                }
            }
        }
    }

    /// Splits a sentence of the source `source` into runs; the runs' texts joined give the
    /// sentence back.
    pub fn runs(&self, source: &str, sentence: &str) -> Vec<Run> {
        super::reads::note(|| super::reads::Query::LinksIn(source.to_owned()));
        let mut out = Vec::new();
        let mut at = 0;
        for (s, e, id) in self.matches(sentence) {
            if s > at {
                out.push(Run {
                    text: sentence[at..s].to_owned(),
                    target: None,
                });
            }
            out.push(Run {
                text: sentence[s..e].to_owned(),
                target: Some(self.names[id].1.clone()),
            });
            at = e;
        }
        if at < sentence.len() || out.is_empty() {
            out.push(Run {
                text: sentence[at..].to_owned(),
                target: None,
            });
        }
        out
    }

    /// The names linked in `sentence`, left to right, as (start, end, name's position): of
    /// every whole-word occurrence of every name, the longest at the leftmost place, as in
    /// "Northwind Lab" over "Northwind".
    fn matches(&self, sentence: &str) -> Vec<(usize, usize, usize)> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let bytes = sentence.as_bytes();
        let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        let mut found: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(sentence)
            .filter(|m| {
                let (s, e) = (m.start(), m.end());
                // An ASCII word character at a name's edge must not run on into the text; a
                // name that starts or ends otherwise needs no boundary on that side.
                let runs_in = s > 0 && word(bytes.get(s)) && word(bytes.get(s - 1));
                let runs_on = e > s && word(bytes.get(e - 1)) && word(bytes.get(e));
                !runs_in && !runs_on
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut at = 0;
        found.retain(|&(s, e, _)| {
            let keep = s >= at;
            if keep {
                at = e;
            }
            keep
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgKind, Organization};

    fn org(id: &str, name: &str, aliases: &[&str]) -> Organization {
        Organization {
            id: id.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            kind: OrgKind::University,
            country: None,
            citations: vec![],
        }
    }

    #[test]
    fn longest_name_wins_and_words_stay_whole() {
        let model = Model {
            organizations: vec![
                org("north", "Northwind", &["NWU"]),
                org("north-lab", "Northwind Lab", &[]),
            ],
            ..Model::default()
        };
        let runs = Linker::new(&model).runs("src", "The Northwind Lab and NWU, not NWUX.");
        let linked: Vec<_> = runs
            .iter()
            .filter(|r| r.target.is_some())
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(linked, ["Northwind Lab", "NWU"]);
        assert_eq!(
            runs.iter().map(|r| r.text.as_str()).collect::<String>(),
            "The Northwind Lab and NWU, not NWUX."
        );
    }
}
