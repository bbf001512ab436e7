//! Source text for its page: each sentence split into plain runs and runs that name a known
//! organization or person, which link to its page. Runs stay text; the template escapes them.

use super::urls;
use crate::model::Model;
use regex::Regex;
use serde::Serialize;
use std::collections::HashMap;

/// A run of a sentence, linked when it names a known entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    /// Site path of the named entity's page (not yet page-relative).
    pub target: Option<String>,
}

/// Finds names of organizations and people in text; one regex for all names, longest first.
pub struct Linker {
    re: Option<Regex>,
    targets: HashMap<String, String>,
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
        let mut names: Vec<&String> = targets.keys().collect();
        names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        // ASCII word boundaries keep the regex on its fast engines; a name that starts or
        // ends with a non-ASCII letter simply goes without a boundary on that side.
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let alternatives: Vec<String> = names
            .iter()
            .map(|n| {
                let start = if word(n.chars().next()) {
                    r"(?-u:\b)"
                } else {
                    ""
                };
                let end = if word(n.chars().next_back()) {
                    r"(?-u:\b)"
                } else {
                    ""
                };
                format!("{start}{}{end}", regex::escape(n))
            })
            .collect();
        let re = (!alternatives.is_empty())
            .then(|| {
                regex::RegexBuilder::new(&alternatives.join("|"))
                    .size_limit(64 << 20)
                    .dfa_size_limit(64 << 20)
                    .build()
                    .ok()
            })
            .flatten();
        Linker { re, targets }
    }

    /// Splits a sentence into runs; the runs' texts joined give the sentence back.
    pub fn runs(&self, sentence: &str) -> Vec<Run> {
        let mut out = Vec::new();
        let mut at = 0;
        if let Some(re) = &self.re {
            for m in re.find_iter(sentence) {
                let Some(target) = self.targets.get(m.as_str()) else {
                    continue;
                };
                if m.start() > at {
                    out.push(Run {
                        text: sentence[at..m.start()].to_owned(),
                        target: None,
                    });
                }
                out.push(Run {
                    text: m.as_str().to_owned(),
                    target: Some(target.clone()),
                });
                at = m.end();
            }
        }
        if at < sentence.len() || out.is_empty() {
            out.push(Run {
                text: sentence[at..].to_owned(),
                target: None,
            });
        }
        out
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
        let runs = Linker::new(&model).runs("The Northwind Lab and NWU, not NWUX.");
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
