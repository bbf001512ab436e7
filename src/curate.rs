//! Curate: an analyst's corrections (`*.facts.toml`) applied to the resolved model. An entry
//! adds a record or fixes the fields it names on the record it matches; `merge` folds
//! entities together and `suppress` removes wrong ones. Nothing is dropped silently: an entry
//! that matches nothing is reported.

use crate::error::{DocError, line_col};
use crate::model::{Model, OrgKind, Organization, Partnership, Person};
use crate::slug::slugify;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The file-name suffix of a facts file: `article.facts.toml` sits beside `article.txt`.
pub const SUFFIX: &str = ".facts.toml";

/// One facts file: corrections an analyst made by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Facts {
    /// Organizations to add, or to correct when one with this name or alias exists.
    pub organizations: Vec<OrgEntry>,
    /// People to add or correct, matched by name or alias.
    pub people: Vec<PersonEntry>,
    /// Partnerships to add or correct, matched by their set of parties.
    pub partnerships: Vec<PartnershipEntry>,
    /// Entities to fold into one.
    pub merge: Vec<Merge>,
    /// Entities that are wrong and must go, by name, alias or id.
    pub suppress: Vec<String>,
}

/// An organization as an analyst states it; fields left out are left as extracted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgEntry {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<OrgKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A person as an analyst states them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Organization name, alias or id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A partnership as an analyst states it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnershipEntry {
    /// Organization names, aliases or ids.
    pub parties: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub announced: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occasion: Option<String>,
}

/// Fold `names` into the entity called `into`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    pub into: String,
    pub names: Vec<String>,
}

/// Reads a facts file, with errors located to the line.
pub fn load(path: &Path) -> Result<Facts, DocError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DocError::file(path, format!("cannot read facts file: {e}")))?;
    toml::from_str(&text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(&text, s.start));
        let msg = e.message().lines().next().unwrap_or_default().to_owned();
        DocError::at(path, &text, line, col, format!("invalid facts file: {msg}")).help(
            "top-level keys are organizations, people, partnerships, merge, suppress; see README.md, \"Correcting facts\"",
        )
    })
}

/// Every facts file under `dir`, sorted by path.
pub fn find(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(SUFFIX))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// Lowercased name for matching, with a leading "the " dropped.
fn key(name: &str) -> String {
    let k = name.trim().to_lowercase();
    k.strip_prefix("the ").map(str::to_owned).unwrap_or(k)
}

/// Applies `facts` (read from `file`) to `model`; returns warnings for entries that matched nothing.
pub fn apply(model: &mut Model, facts: &Facts, file: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    for m in &facts.merge {
        merge(model, m, file, &mut warnings);
    }
    for name in &facts.suppress {
        if !suppress(model, name) {
            warnings.push(format!(
                "{file}: suppress `{name}`: no organization, person or partnership has that name"
            ));
        }
    }
    for o in &facts.organizations {
        upsert_org(model, o);
    }
    for p in &facts.people {
        upsert_person(model, p, file, &mut warnings);
    }
    for p in &facts.partnerships {
        upsert_partnership(model, p, file, &mut warnings);
    }
    tidy(model);
    warnings
}

fn org_index(model: &Model, name: &str) -> Option<usize> {
    let k = key(name);
    model
        .organizations
        .iter()
        .position(|o| o.id == name || key(&o.name) == k || o.aliases.iter().any(|a| key(a) == k))
}

fn person_index(model: &Model, name: &str) -> Option<usize> {
    let k = key(name);
    model
        .people
        .iter()
        .position(|p| p.id == name || key(&p.name) == k || p.aliases.iter().any(|a| key(a) == k))
}

fn unique_id(taken: impl Iterator<Item = String>, name: &str) -> String {
    let taken: BTreeSet<String> = taken.collect();
    let base = slugify(name);
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// The analyst's spelling becomes the name; the extracted one stays as an alias.
fn adopt_name(name: &mut String, aliases: &mut Vec<String>, analyst: &str) {
    if name != analyst {
        aliases.push(std::mem::replace(name, analyst.to_owned()));
    }
}

fn upsert_org(model: &mut Model, e: &OrgEntry) {
    let i = match org_index(model, &e.name) {
        Some(i) => i,
        None => {
            let id = unique_id(model.organizations.iter().map(|o| o.id.clone()), &e.name);
            model.organizations.push(Organization {
                id,
                name: e.name.clone(),
                aliases: vec![],
                kind: OrgKind::Other,
                country: None,
                citations: vec![],
            });
            model.organizations.len() - 1
        }
    };
    let o = &mut model.organizations[i];
    adopt_name(&mut o.name, &mut o.aliases, &e.name);
    o.aliases.extend(e.aliases.iter().cloned());
    if let Some(k) = e.kind {
        o.kind = k;
    }
    if let Some(c) = &e.country {
        o.country = Some(c.clone());
    }
}

fn upsert_person(model: &mut Model, e: &PersonEntry, file: &str, warnings: &mut Vec<String>) {
    let org = match &e.organization {
        Some(name) => match org_index(model, name) {
            Some(i) => Some(model.organizations[i].id.clone()),
            None => {
                warnings.push(format!(
                    "{file}: person `{}`: no organization `{name}`",
                    e.name
                ));
                None
            }
        },
        None => None,
    };
    let i = match person_index(model, &e.name) {
        Some(i) => i,
        None => {
            let id = unique_id(model.people.iter().map(|p| p.id.clone()), &e.name);
            model.people.push(Person {
                id,
                name: e.name.clone(),
                aliases: vec![],
                role: None,
                organization: None,
                country: None,
                quotes: vec![],
                citations: vec![],
            });
            model.people.len() - 1
        }
    };
    let p = &mut model.people[i];
    adopt_name(&mut p.name, &mut p.aliases, &e.name);
    p.aliases.extend(e.aliases.iter().cloned());
    if e.role.is_some() {
        p.role.clone_from(&e.role);
    }
    if org.is_some() {
        p.organization = org;
    }
    if e.country.is_some() {
        p.country.clone_from(&e.country);
    }
}

fn upsert_partnership(
    model: &mut Model,
    e: &PartnershipEntry,
    file: &str,
    warnings: &mut Vec<String>,
) {
    let mut parties = Vec::new();
    for name in &e.parties {
        let i = match org_index(model, name) {
            Some(i) => i,
            None => {
                upsert_org(
                    model,
                    &OrgEntry {
                        name: name.clone(),
                        ..Default::default()
                    },
                );
                model.organizations.len() - 1
            }
        };
        parties.push(model.organizations[i].id.clone());
    }
    parties.sort();
    parties.dedup();
    if parties.len() < 2 {
        warnings.push(format!(
            "{file}: a partnership needs two parties; got {:?}",
            e.parties
        ));
        return;
    }
    let found = model.partnerships.iter().position(|p| {
        let mut q = p.parties.clone();
        q.sort();
        q == parties
    });
    let i = match found {
        Some(i) => i,
        None => {
            let names: Vec<&str> = parties
                .iter()
                .filter_map(|id| {
                    model
                        .organizations
                        .iter()
                        .find(|o| &o.id == id)
                        .map(|o| o.name.as_str())
                })
                .collect();
            let title = format!("{} partnership", names.join(" – "));
            let id = unique_id(model.partnerships.iter().map(|p| p.id.clone()), &title);
            model.partnerships.push(Partnership {
                id,
                title,
                parties: parties.clone(),
                focus: vec![],
                commitments: vec![],
                announced: None,
                venue: None,
                occasion: None,
                // Stated by the analyst, not by a source sentence: no citation to invent.
                citations: vec![],
            });
            model.partnerships.len() - 1
        }
    };
    let p = &mut model.partnerships[i];
    if let Some(t) = &e.title {
        p.title = t.clone();
    }
    if !e.focus.is_empty() {
        p.focus = e.focus.iter().map(|f| slugify(f)).collect();
        for (f, id) in e.focus.iter().zip(p.focus.clone()) {
            if !model.topics.iter().any(|t| t.id == id) {
                model.topics.push(crate::model::Topic {
                    id,
                    name: f.clone(),
                    partnerships: vec![],
                });
            }
        }
    }
    let p = &mut model.partnerships[i];
    if let Some(d) = &e.announced {
        p.announced = Some(crate::model::Date(d.clone()));
    }
    if e.venue.is_some() {
        p.venue.clone_from(&e.venue);
    }
    if e.occasion.is_some() {
        p.occasion.clone_from(&e.occasion);
    }
}

/// Replaces every reference to organization `from` by `to`.
fn rewrite_org_refs(model: &mut Model, from: &str, to: &str) {
    let swap = |v: &mut Vec<String>| {
        for x in v.iter_mut() {
            if x == from {
                *x = to.to_owned();
            }
        }
    };
    for p in &mut model.partnerships {
        swap(&mut p.parties);
    }
    for c in &mut model.commitments {
        swap(&mut c.from);
        swap(&mut c.to);
    }
    for e in &mut model.events {
        swap(&mut e.involves);
    }
    for p in &mut model.people {
        if p.organization.as_deref() == Some(from) {
            p.organization = Some(to.to_owned());
        }
    }
}

fn merge(model: &mut Model, m: &Merge, file: &str, warnings: &mut Vec<String>) {
    if let Some(into) = org_index(model, &m.into) {
        for name in &m.names {
            match org_index(model, name) {
                Some(i) if i != into => {
                    let gone = model.organizations[i].clone();
                    let target = &mut model.organizations[into];
                    target.aliases.push(gone.name.clone());
                    target.aliases.extend(gone.aliases);
                    target.citations.extend(gone.citations);
                    let to = target.id.clone();
                    rewrite_org_refs(model, &gone.id, &to);
                    model.organizations.retain(|o| o.id != gone.id);
                    return merge_rest(model, m, file, warnings);
                }
                Some(_) => {}
                None => warnings.push(format!(
                    "{file}: merge into `{}`: no organization `{name}`",
                    m.into
                )),
            }
        }
    } else if let Some(into) = person_index(model, &m.into) {
        let into_id = model.people[into].id.clone();
        for name in &m.names {
            match person_index(model, name) {
                Some(i) if model.people[i].id != into_id => {
                    let gone = model.people.remove(i);
                    let j = model
                        .people
                        .iter()
                        .position(|p| p.id == into_id)
                        .expect("target kept");
                    let target = &mut model.people[j];
                    target.aliases.push(gone.name);
                    target.aliases.extend(gone.aliases);
                    target.citations.extend(gone.citations);
                    target.quotes.extend(gone.quotes.into_iter().map(|mut q| {
                        q.speaker = Some(into_id.clone());
                        q
                    }));
                    for e in &mut model.events {
                        for x in e.involves.iter_mut() {
                            if *x == gone.id {
                                x.clone_from(&into_id);
                            }
                        }
                    }
                }
                Some(_) => {}
                None => warnings.push(format!(
                    "{file}: merge into `{}`: no person `{name}`",
                    m.into
                )),
            }
        }
    } else {
        warnings.push(format!(
            "{file}: merge into `{}`: no organization or person has that name",
            m.into
        ));
    }
}

/// Merging one organization shifts indexes; the rest of the names are merged afresh.
fn merge_rest(model: &mut Model, m: &Merge, file: &str, warnings: &mut Vec<String>) {
    let rest: Vec<String> = m
        .names
        .iter()
        .filter(|n| org_index(model, n).is_some_and(|i| Some(i) != org_index(model, &m.into)))
        .cloned()
        .collect();
    if !rest.is_empty() {
        merge(
            model,
            &Merge {
                into: m.into.clone(),
                names: rest,
            },
            file,
            warnings,
        );
    }
}

fn suppress(model: &mut Model, name: &str) -> bool {
    if let Some(i) = org_index(model, name) {
        let id = model.organizations.remove(i).id;
        for p in &mut model.partnerships {
            p.parties.retain(|x| *x != id);
        }
        model.partnerships.retain(|p| p.parties.len() >= 2);
        for c in &mut model.commitments {
            c.from.retain(|x| *x != id);
            c.to.retain(|x| *x != id);
        }
        for e in &mut model.events {
            e.involves.retain(|x| *x != id);
        }
        for p in &mut model.people {
            if p.organization.as_deref() == Some(id.as_str()) {
                p.organization = None;
            }
        }
        return true;
    }
    if let Some(i) = person_index(model, name) {
        let id = model.people.remove(i).id;
        for e in &mut model.events {
            e.involves.retain(|x| *x != id);
        }
        return true;
    }
    let k = key(name);
    let before = model.partnerships.len();
    model
        .partnerships
        .retain(|p| p.id != name && key(&p.title) != k);
    before != model.partnerships.len()
}

/// Restores the model's invariants after edits: sorted lists, deduplicated aliases, and
/// topic/country back-references recomputed.
fn tidy(model: &mut Model) {
    let ids: BTreeSet<&str> = model
        .partnerships
        .iter()
        .map(|p| p.id.as_str())
        .chain(model.organizations.iter().map(|o| o.id.as_str()))
        .collect();
    for c in &mut model.commitments {
        c.to.retain(|t| ids.contains(t.as_str()));
    }
    for o in &mut model.organizations {
        let name = key(&o.name);
        let mut seen = BTreeSet::new();
        o.aliases.retain(|a| key(a) != name && seen.insert(key(a)));
    }
    for p in &mut model.people {
        let name = key(&p.name);
        let mut seen = BTreeSet::new();
        p.aliases.retain(|a| key(a) != name && seen.insert(key(a)));
    }
    let mut by_topic: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in &model.partnerships {
        for f in &p.focus {
            by_topic.entry(f.clone()).or_default().push(p.id.clone());
        }
    }
    for t in &mut model.topics {
        t.partnerships = by_topic.remove(&t.id).unwrap_or_default();
    }
    model.organizations.sort_by(|a, b| a.id.cmp(&b.id));
    model.people.sort_by(|a, b| a.id.cmp(&b.id));
    model.partnerships.sort_by(|a, b| a.id.cmp(&b.id));
    model.topics.sort_by(|a, b| a.id.cmp(&b.id));
    let mut by_country: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for o in &model.organizations {
        if let Some(c) = &o.country {
            by_country.entry(c.clone()).or_default().push(o.id.clone());
        }
    }
    model.countries = by_country
        .into_iter()
        .map(|(name, organizations)| crate::model::Country {
            id: slugify(&name),
            name,
            organizations,
        })
        .collect();
}

/// A draft facts file for `model`, for an analyst to review and edit instead of typing it.
pub fn draft(model: &Model) -> Facts {
    let org_name = |id: &str| {
        model
            .organizations
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_owned(), |o| o.name.clone())
    };
    let topic_name = |id: &str| {
        model
            .topics
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_owned(), |t| t.name.clone())
    };
    Facts {
        organizations: model
            .organizations
            .iter()
            .map(|o| OrgEntry {
                name: o.name.clone(),
                aliases: o.aliases.clone(),
                kind: Some(o.kind),
                country: o.country.clone(),
            })
            .collect(),
        people: model
            .people
            .iter()
            .map(|p| PersonEntry {
                name: p.name.clone(),
                aliases: p.aliases.clone(),
                role: p.role.clone(),
                organization: p.organization.as_deref().map(org_name),
                country: p.country.clone(),
            })
            .collect(),
        partnerships: model
            .partnerships
            .iter()
            .map(|p| PartnershipEntry {
                parties: p.parties.iter().map(|id| org_name(id)).collect(),
                title: Some(p.title.clone()),
                focus: p.focus.iter().map(|id| topic_name(id)).collect(),
                announced: p.announced.as_ref().map(|d| d.0.clone()),
                venue: p.venue.clone(),
                occasion: p.occasion.clone(),
            })
            .collect(),
        merge: vec![],
        suppress: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str, name: &str) -> Organization {
        Organization {
            id: id.into(),
            name: name.into(),
            aliases: vec![],
            kind: OrgKind::Other,
            country: None,
            citations: vec![],
        }
    }

    fn model() -> Model {
        let mut m = Model {
            organizations: vec![
                org("lakeside-u", "Lakeside University"),
                org("lakeside", "Lakesde"),
                org("g9", "G9 Summit"),
            ],
            ..Model::default()
        };
        m.partnerships = vec![Partnership {
            id: "p".into(),
            title: "t".into(),
            parties: vec!["lakeside".into(), "g9".into()],
            focus: vec![],
            commitments: vec![],
            announced: None,
            venue: None,
            occasion: None,
            citations: vec![],
        }];
        m
    }

    fn facts(text: &str) -> Facts {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn an_entry_fixes_only_the_fields_it_names() {
        let mut m = model();
        let w = apply(
            &mut m,
            &facts("[[organizations]]\nname = \"Lakeside University\"\ncountry = \"Canada\"\n"),
            "f",
        );
        assert!(w.is_empty());
        let o = m
            .organizations
            .iter()
            .find(|o| o.id == "lakeside-u")
            .unwrap();
        assert_eq!(o.country.as_deref(), Some("Canada"));
        assert_eq!(o.kind, OrgKind::Other);
        assert_eq!(m.countries.len(), 1);
    }

    #[test]
    fn merge_folds_a_misspelling_and_rewrites_its_references() {
        let mut m = model();
        apply(
            &mut m,
            &facts("[[merge]]\ninto = \"Lakeside University\"\nnames = [\"Lakesde\"]\n"),
            "f",
        );
        assert_eq!(m.organizations.len(), 2);
        let o = m
            .organizations
            .iter()
            .find(|o| o.id == "lakeside-u")
            .unwrap();
        assert_eq!(o.aliases, vec!["Lakesde"]);
        assert!(
            m.partnerships[0]
                .parties
                .contains(&"lakeside-u".to_string())
        );
    }

    #[test]
    fn suppress_removes_an_entity_and_partnerships_left_with_one_party() {
        let mut m = model();
        let w = apply(&mut m, &facts("suppress = [\"G9 Summit\"]\n"), "f");
        assert!(w.is_empty());
        assert!(m.organizations.iter().all(|o| o.id != "g9"));
        assert!(m.partnerships.is_empty());
    }

    #[test]
    fn an_added_partnership_creates_its_missing_parties() {
        let mut m = model();
        let f = facts(
            "[[partnerships]]\nparties = [\"Lakeside University\", \"Northwind Labs\"]\nfocus = [\"Tidal energy\"]\nannounced = \"2025-01\"\n",
        );
        apply(&mut m, &f, "f");
        let p = m
            .partnerships
            .iter()
            .find(|p| p.parties.contains(&"northwind-labs".to_string()))
            .unwrap();
        assert_eq!(p.focus, vec!["tidal-energy"]);
        assert_eq!(m.topics[0].partnerships, vec![p.id.clone()]);
    }

    #[test]
    fn entries_that_match_nothing_are_reported_not_dropped() {
        let mut m = model();
        let w = apply(
            &mut m,
            &facts("suppress = [\"Nobody\"]\n[[merge]]\ninto = \"Nothing\"\nnames = [\"x\"]\n"),
            "f",
        );
        assert_eq!(w.len(), 2, "{w:?}");
    }

    #[test]
    fn a_draft_round_trips_through_toml() {
        let m = model();
        let text = toml::to_string_pretty(&draft(&m)).unwrap();
        let back: Facts = toml::from_str(&text).unwrap();
        assert_eq!(back.organizations.len(), 3);
    }
}
