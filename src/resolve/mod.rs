//! Resolve: one record per real thing across all documents. Every merge goes through maps
//! keyed by folded names (gazetteer identity first, then name and aliases), never through
//! pairwise comparison of records; ids come from a `Slugger` fed in sorted order, and every
//! list is sorted by id, so the same input gives the same model.

use crate::extract::tokens::fold;
use crate::extract::{CommitmentFact, EventFact, Facts, Lexicon, OrgFact, PersonFact};
use crate::model::*;
use crate::slug::Slugger;
use foldhash::{HashMap, HashMapExt, HashSet};
use ids::{ids, is_acronym, sorted, title};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

mod ids;
pub mod kept;

#[derive(Default)]
struct GOrg {
    name: String,
    aliases: BTreeSet<String>,
    kind: OrgKind,
    country: Option<String>,
    /// Gathered as they come; `cap_citations` orders them and drops repeats.
    citations: Vec<Citation>,
}

#[derive(Default)]
struct GPerson {
    name: String,
    aliases: BTreeSet<String>,
    role: Option<String>,
    /// The organization as the first document to name one named it: (document, the
    /// document's own index), found among the merged organizations through `org_map`.
    org: Option<(usize, usize)>,
    country: Option<String>,
    quotes: Vec<(String, Citation)>,
    /// The texts in `quotes`, so a quote told in many documents is kept once.
    quote_texts: HashSet<String>,
    citations: Vec<Citation>,
}

struct GPart {
    parties: Vec<usize>,
    focus: BTreeSet<String>,
    announced: Option<Date>,
    venue: Option<String>,
    occasion: Option<String>,
    citations: Vec<Citation>,
    commitments: Vec<String>,
}

/// Names folded (`fold`), each once: the same organizations and people are named in many
/// documents (110,000 folds at 10,000 documents, of far fewer names), and a fold costs
/// several times a lookup.
#[derive(Default)]
struct Folds(HashMap<String, String>);

impl Folds {
    fn of(&mut self, name: &str) -> String {
        if let Some(folded) = self.0.get(name) {
            return folded.clone();
        }
        let folded = fold(name);
        self.0.insert(name.to_owned(), folded.clone());
        folded
    }
}

/// Merges every document's facts into one model.
pub fn resolve(facts: Vec<Facts>, _lex: &Lexicon) -> Model {
    resolve_routed(facts).0
}

/// Where each document's facts went: for one document, in the order of its own facts of each
/// kind, the place in the model's list of that kind (sorted by id) of the record each was
/// merged into. What `kept` needs to give a record the citations of a document anew.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Routes {
    pub orgs: Vec<u32>,
    pub people: Vec<u32>,
    pub partnerships: Vec<u32>,
    pub commitments: Vec<u32>,
    pub events: Vec<u32>,
}

/// The place of each of `ids` (unique) in their sorted order, the order the model's lists
/// are in.
fn places(ids: &[String]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..ids.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| ids[a as usize].cmp(&ids[b as usize]));
    let mut at = vec![0; ids.len()];
    for (place, &i) in order.iter().enumerate() {
        at[i as usize] = place as u32;
    }
    at
}

/// The order resolve takes documents in, and its model's sources keep: by source id, then
/// path.
pub fn in_order(a: &Facts, b: &Facts) -> std::cmp::Ordering {
    (a.source.id.cmp(&b.source.id)).then(a.source.path.cmp(&b.source.path))
}

/// `resolve`, and where each document's facts went (`Routes`), the documents in the order
/// of the model's sources.
pub fn resolve_routed(mut facts: Vec<Facts>) -> (Model, Vec<Routes>) {
    facts.sort_by(in_order);
    // Each step's time, for `accord build --timings` (listed before resolve's whole).
    let mut step = std::time::Instant::now();
    let mut lap = |name: &'static str| step = crate::timings::step(name, step);
    // Organizations and people are merged side by side: a person's organization is noted as
    // the document named it, and found among the merged ones when the person is made.
    let (org_facts, people_facts): (Vec<_>, Vec<_>) =
        (facts.iter_mut()).map(|f| (&mut f.orgs, &f.people)).unzip();
    let ((orgs, org_map), (people, person_map)) = rayon::join(
        || merge_organizations(org_facts),
        || merge_people(&people_facts),
    );
    lap("  resolve: organizations and people");
    // partnerships: same parties and compatible dates are one
    let mut parts: Vec<GPart> = Vec::new();
    let mut part_keys: HashMap<Vec<usize>, Vec<usize>> = HashMap::new();
    let mut part_map: Vec<Vec<usize>> = Vec::new();
    for (d, f) in facts.iter_mut().enumerate() {
        let mut local = Vec::new();
        for p in &mut f.partnerships {
            let mut parties: Vec<usize> = p.parties.iter().map(|&o| org_map[d][o]).collect();
            parties.sort_unstable();
            parties.dedup();
            let existing = part_keys.get(&parties).and_then(|v| {
                v.iter().copied().find(|&i| {
                    parts[i].announced.is_none()
                        || p.announced.is_none()
                        || parts[i].announced == p.announced
                })
            });
            let g = existing.unwrap_or_else(|| {
                parts.push(GPart {
                    parties: parties.clone(),
                    focus: BTreeSet::new(),
                    announced: None,
                    venue: None,
                    occasion: None,
                    citations: Vec::new(),
                    commitments: Vec::new(),
                });
                part_keys
                    .entry(parties.clone())
                    .or_default()
                    .push(parts.len() - 1);
                parts.len() - 1
            });
            let rec = &mut parts[g];
            rec.focus.extend(std::mem::take(&mut p.focus));
            rec.announced = rec.announced.take().or(p.announced.take());
            rec.venue = rec.venue.take().or(p.venue.take());
            rec.occasion = rec.occasion.take().or(p.occasion.take());
            rec.citations.extend(std::mem::take(&mut p.citations));
            local.push(g);
        }
        part_map.push(local);
    }

    lap("  resolve: partnerships");
    // ids, in name order so they do not depend on document order
    let org_ids = ids(orgs
        .iter()
        .map(|o| (o.name.clone(), o.citations.iter().min().cloned()))
        .collect());
    let person_ids = ids(people
        .iter()
        .map(|p| (p.name.clone(), p.citations.iter().min().cloned()))
        .collect());
    let part_titles: Vec<String> = parts
        .iter()
        .map(|p| {
            title(
                &p.parties
                    .iter()
                    .map(|&o| orgs[o].name.as_str())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let part_ids = ids(parts
        .iter()
        .zip(&part_titles)
        .map(|(p, t)| (t.clone(), p.citations.iter().min().cloned()))
        .collect());

    lap("  resolve: ids");
    // Commitments and events read the records resolved so far and not each other: gathered
    // side by side (only the commitments add to the partnerships).
    let commitment_facts: Vec<_> = (facts.iter_mut())
        .map(|f| std::mem::take(&mut f.commitments))
        .collect();
    let event_facts: Vec<_> = (facts.iter_mut())
        .map(|f| std::mem::take(&mut f.events))
        .collect();
    let ((commitments, commitment_routes), (gathered, event_routes)) = rayon::join(
        || {
            commitments(
                commitment_facts,
                (&org_ids, &org_map),
                (&part_ids, &part_map),
                &mut parts,
            )
        },
        || gather_events(event_facts, &part_titles, &org_map, &person_map, &part_map),
    );
    lap("  resolve: commitments, events gathered");
    // Events are made (their ids handed out in order, on one thread) while the topics,
    // countries and the other records are assembled.
    let ((events, event_ids), mut model) = rayon::join(
        || make_events(gathered, &org_ids, &person_ids, &part_ids),
        || {
            records(
                facts,
                (orgs, &org_ids, &org_map),
                (people, &person_ids),
                (parts, &part_ids, &part_titles),
                commitments,
            )
        },
    );
    model.events = events;
    lap("  resolve: events, topics, countries and records");
    let routes = routes(
        [
            (&org_map[..], &org_ids[..]),
            (&person_map[..], &person_ids[..]),
            (&part_map[..], &part_ids[..]),
        ],
        (commitment_routes, event_routes, &event_ids),
    );
    lap("  resolve: routes");
    model.sources.sort_by(|a, b| a.id.cmp(&b.id));
    model.organizations.sort_by(|a, b| a.id.cmp(&b.id));
    model.people.sort_by(|a, b| a.id.cmp(&b.id));
    model.partnerships.sort_by(|a, b| a.id.cmp(&b.id));
    model.topics.sort_by(|a, b| a.id.cmp(&b.id));
    model.countries.sort_by(|a, b| a.id.cmp(&b.id));
    lap("  resolve: order");
    (model, routes)
}

/// Each document's `Routes`, from where its facts of each kind went: organizations, people
/// and partnerships as indices into their ids, commitments as the places of their ids, and
/// events as indices into `event_ids`.
fn routes(
    by_index: [(&[Vec<usize>], &[String]); 3],
    (commitments, events, event_ids): (Vec<Vec<u32>>, Vec<Vec<u32>>, &[String]),
) -> Vec<Routes> {
    let [orgs, people, parts] = by_index.map(|(map, ids)| {
        let at = places(ids);
        (map.iter())
            .map(|local| {
                let to = |&g: &usize| at.get(g).copied().unwrap_or(u32::MAX);
                local.iter().map(to).collect::<Vec<u32>>()
            })
            .collect::<Vec<_>>()
    });
    let event_at = places(event_ids);
    (orgs
        .into_iter()
        .zip(people)
        .zip(parts)
        .zip(commitments)
        .zip(events))
    .map(
        |((((orgs, people), partnerships), commitments), events)| Routes {
            orgs,
            people,
            partnerships,
            commitments,
            events: events.iter().map(|&e| event_at[e as usize]).collect(),
        },
    )
    .collect()
}

/// One record per organization across all documents (`facts[d]`: the organizations named in
/// document d, whose citations are moved into the records), and where each document's own went.
fn merge_organizations(mut facts: Vec<&mut Vec<OrgFact>>) -> (Vec<GOrg>, Vec<Vec<usize>>) {
    let mut folds = Folds::default();
    let mut orgs: Vec<GOrg> = Vec::new();
    let mut org_keys: HashMap<String, usize> = HashMap::new();
    let mut org_map: Vec<Vec<usize>> = Vec::new(); // per document: local → global
    // A fact's citations are moved into its record: nothing after reads them from `facts`.
    for f in &mut facts {
        let mut local = Vec::new();
        for o in f.iter_mut() {
            let gaz_key = o.gaz.map(|g| format!("gaz:{g}"));
            let mut keys: Vec<String> = gaz_key.into_iter().collect();
            keys.push(folds.of(&o.name));
            keys.extend(
                o.aliases
                    .iter()
                    .filter(|a| !is_acronym(a))
                    .map(|a| folds.of(a)),
            );
            let found = keys.iter().find_map(|k| org_keys.get(k)).copied();
            let g = found.unwrap_or_else(|| {
                orgs.push(GOrg {
                    name: o.name.clone(),
                    kind: o.kind,
                    country: o.country.clone(),
                    ..GOrg::default()
                });
                orgs.len() - 1
            });
            for k in keys {
                org_keys.entry(k).or_insert(g);
            }
            let rec = &mut orgs[g];
            rec.aliases.extend(o.aliases.iter().cloned());
            if o.name != rec.name {
                rec.aliases.insert(o.name.clone());
            }
            if rec.country.is_none() {
                rec.country = o.country.clone();
            }
            if rec.kind == OrgKind::Other {
                rec.kind = o.kind;
            }
            rec.citations.extend(std::mem::take(&mut o.citations));
            local.push(g);
        }
        org_map.push(local);
    }
    for o in &mut orgs {
        let name = o.name.clone();
        o.aliases.remove(&name);
    }

    (orgs, org_map)
}

/// One record per person across all documents (`facts[d]`: the people named in document d),
/// and where each document's own went. A person's organization is left as the document named
/// it (`GPerson::org`).
fn merge_people(facts: &[&Vec<PersonFact>]) -> (Vec<GPerson>, Vec<Vec<usize>>) {
    let mut folds = Folds::default();
    // people: full names first, then one-word names join the one full name that ends with them
    let mut people: Vec<GPerson> = Vec::new();
    // Each person's name folded, as the spelling buckets compare them.
    let mut folded_names: Vec<String> = Vec::new();
    let mut person_keys: HashMap<String, usize> = HashMap::new();
    let mut last_names: HashMap<String, Vec<usize>> = HashMap::new();
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    let mut person_map: Vec<Vec<usize>> = facts.iter().map(|f| vec![usize::MAX; f.len()]).collect();
    for pass in [true, false] {
        for (d, f) in facts.iter().enumerate() {
            for (li, p) in f.iter().enumerate() {
                let full = p.name.split_whitespace().count() >= 2;
                if full != pass {
                    continue;
                }
                let key = folds.of(&p.name);
                // a variant spelling in another document ("Ada Quilbey") joins the person with
                // the same first name whose surname is near: looked up in a bucket keyed by the
                // first name and the surname's first letter, never by scanning everyone
                let bucket = spelling_bucket(&key);
                let found = person_keys.get(&key).copied().or_else(|| {
                    if full {
                        let last = key.rsplit(' ').next().unwrap_or("");
                        let near: Vec<usize> = buckets
                            .get(&bucket)
                            .into_iter()
                            .flatten()
                            .copied()
                            .filter(|&g: &usize| {
                                let other = &folded_names[g];
                                other.split(' ').count() == key.split(' ').count()
                                    && crate::extract::registry::near_folded(
                                        other.rsplit(' ').next().unwrap_or(""),
                                        last,
                                    )
                            })
                            .collect();
                        return (near.len() == 1).then(|| near[0]);
                    }
                    last_names.get(&key).filter(|v| v.len() == 1).map(|v| v[0])
                });
                let g = found.unwrap_or_else(|| {
                    people.push(GPerson {
                        name: p.name.clone(),
                        ..GPerson::default()
                    });
                    folded_names.push(key.clone());
                    people.len() - 1
                });
                if full {
                    let b = buckets.entry(bucket).or_default();
                    if !b.contains(&g) {
                        b.push(g);
                    }
                }
                if full && let Some(last) = key.rsplit(' ').next() {
                    let v = last_names.entry(last.to_owned()).or_default();
                    if !v.contains(&g) {
                        v.push(g);
                    }
                }
                person_keys.insert(key, g);
                for a in &p.aliases {
                    person_keys.entry(folds.of(a)).or_insert(g);
                }
                let rec = &mut people[g];
                rec.aliases.extend(p.aliases.iter().cloned());
                if p.name != rec.name {
                    rec.aliases.insert(p.name.clone());
                }
                if rec.role.is_none() {
                    rec.role = p.role.clone();
                }
                if rec.org.is_none() {
                    rec.org = p.org.map(|o| (d, o));
                }
                if rec.country.is_none() {
                    rec.country = p.country.clone();
                }
                for q in &p.quotes {
                    if rec.quote_texts.insert(q.0.clone()) {
                        rec.quotes.push(q.clone());
                    }
                }
                rec.citations.extend(p.citations.iter().cloned());
                person_map[d][li] = g;
            }
        }
    }

    (people, person_map)
}

/// One commitment per amount and givers, from each document's commitment facts (`facts[d]`),
/// with ids handed out in amount order and in id order; each partnership it goes to notes it.
/// The organizations' and partnerships' ids come each with, per document, where each of the
/// document's own went.
fn commitments(
    facts: Vec<Vec<CommitmentFact>>,
    (org_ids, org_map): (&[String], &[Vec<usize>]),
    (part_ids, part_map): (&[String], &[Vec<usize>]),
    parts: &mut [GPart],
) -> (Vec<Commitment>, Vec<Vec<u32>>) {
    let mut commitments: Vec<Commitment> = Vec::new();
    let mut commit_slugs = Slugger::default();
    // Each with the order it was first met in.
    let mut pending: Vec<(String, Commitment, usize)> = Vec::new();
    let mut pending_keys: HashMap<String, usize> = HashMap::new();
    // Per document, where each of its commitments went: the one first met so.
    let mut routes: Vec<Vec<u32>> = Vec::with_capacity(facts.len());
    for (d, facts) in facts.into_iter().enumerate() {
        let mut local = Vec::with_capacity(facts.len());
        for c in facts {
            let mut from: Vec<String> = c
                .from
                .iter()
                .map(|&o| org_ids[org_map[d][o]].clone())
                .collect();
            from.sort();
            from.dedup();
            let mut to: Vec<String> = c
                .to_partnerships
                .iter()
                .map(|&p| part_ids[part_map[d][p]].clone())
                .collect();
            to.extend(c.to_orgs.iter().map(|&o| org_ids[org_map[d][o]].clone()));
            to.sort();
            to.dedup();
            let key = format!(
                "{}|{:.0}|{}",
                c.amount.currency,
                c.amount.value,
                from.join(",")
            );
            if let Some((_, existing, met)) =
                pending_keys.get(&key).and_then(|&i| pending.get_mut(i))
            {
                existing.citations.extend(c.citations);
                existing.to.extend(to);
                existing.to.sort();
                existing.to.dedup();
                local.push(*met as u32);
                continue;
            }
            pending_keys.insert(key.clone(), pending.len());
            local.push(pending.len() as u32);
            pending.push((
                key,
                Commitment {
                    id: String::new(),
                    amount: c.amount,
                    from,
                    to,
                    purpose: c.purpose,
                    status: c.status,
                    part_of: None,
                    citations: c.citations,
                },
                pending.len(),
            ));
        }
        routes.push(local);
    }
    // Keys are unique, so no two are equal: sorted unstably, on all threads.
    pending.par_sort_unstable_by(|a, b| a.1.amount.text.cmp(&b.1.amount.text).then(a.0.cmp(&b.0)));
    let part_index: HashMap<&str, usize> = part_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    // Slugs and citations are made on all threads; ids are handed out in order.
    let pending: Vec<(Commitment, String, usize)> = pending
        .into_par_iter()
        .map(|(_, mut c, met)| {
            let giver = c.from.first().map_or("", String::as_str);
            let slug = crate::slug::slugify(&format!("{} {giver}", c.amount.text));
            c.citations = cap_citations(std::mem::take(&mut c.citations));
            (c, slug, met)
        })
        .collect();
    let mut ids = vec![String::new(); pending.len()];
    for (mut c, slug, met) in pending {
        c.id = commit_slugs.unique_slug(slug);
        ids[met].clone_from(&c.id);
        for t in &c.to {
            if let Some(&i) = part_index.get(t.as_str()) {
                parts[i].commitments.push(c.id.clone());
            }
        }
        commitments.push(c);
    }
    // Ids are unique (a `Slugger`'s): in id order, as the model keeps every list.
    commitments.par_sort_unstable_by(|a, b| a.id.cmp(&b.id));
    // Each document's, from the order first met to the place in id order.
    let at = places(&ids);
    for local in &mut routes {
        for met in local {
            *met = at[*met as usize];
        }
    }
    (commitments, routes)
}

/// Every record but the events, in the order they were resolved: the sources; the
/// organizations, people and partnerships with their ids; the commitments; and the topics and
/// countries the partnerships and organizations name. The organizations come with, per
/// document, where each of the document's own went (a person's organization is noted so).
fn records(
    facts: Vec<Facts>,
    (orgs, org_ids, org_map): (Vec<GOrg>, &[String], &[Vec<usize>]),
    (people, person_ids): (Vec<GPerson>, &[String]),
    (parts, part_ids, part_titles): (Vec<GPart>, &[String], &[String]),
    commitments: Vec<Commitment>,
) -> Model {
    // topics and countries
    let mut topics: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (i, p) in parts.iter().enumerate() {
        for t in &p.focus {
            topics
                .entry(t.clone())
                .or_default()
                .insert(part_ids[i].clone());
        }
    }
    let topic_ids: BTreeMap<String, String> = topics
        .keys()
        .map(|t| (t.clone(), crate::slug::slugify(t)))
        .collect();
    let mut countries: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (i, o) in orgs.iter().enumerate() {
        if let Some(c) = &o.country {
            countries
                .entry(c.clone())
                .or_default()
                .insert(org_ids[i].clone());
        }
    }

    // Records are assembled on all threads (each on its own; the order is kept).
    let mut model = Model {
        schema: SCHEMA.into(),
        ..Model::default()
    };
    model.sources = facts.into_iter().map(|f| f.source).collect();
    model.organizations = orgs
        .into_par_iter()
        .enumerate()
        .map(|(i, o)| Organization {
            id: org_ids[i].clone(),
            name: o.name,
            aliases: o.aliases.into_iter().collect(),
            kind: o.kind,
            country: o.country,
            citations: cap_citations(o.citations),
        })
        .collect();
    model.people = people
        .into_par_iter()
        .enumerate()
        .map(|(i, p)| {
            let id = person_ids[i].clone();
            let quotes = p
                .quotes
                .into_iter()
                .map(|(text, citation)| Quote {
                    text,
                    speaker: Some(id.clone()),
                    citation,
                })
                .collect();
            Person {
                id,
                name: p.name,
                aliases: p.aliases.into_iter().collect(),
                role: p.role,
                organization: p.org.map(|(d, o)| org_ids[org_map[d][o]].clone()),
                country: p.country,
                quotes,
                citations: cap_citations(p.citations),
            }
        })
        .collect();
    model.partnerships = parts
        .into_par_iter()
        .enumerate()
        .map(|(i, p)| Partnership {
            id: part_ids[i].clone(),
            title: part_titles[i].clone(),
            parties: sorted(p.parties.iter().map(|&o| org_ids[o].clone()).collect()),
            focus: p
                .focus
                .iter()
                .filter_map(|t| topic_ids.get(t).cloned())
                .collect(),
            commitments: sorted(p.commitments),
            announced: p.announced,
            venue: p.venue,
            occasion: p.occasion,
            citations: cap_citations(p.citations),
        })
        .collect();
    model.commitments = commitments;
    model.topics = topics
        .into_iter()
        .map(|(name, ps)| Topic {
            id: topic_ids[&name].clone(),
            name,
            partnerships: ps.into_iter().collect(),
        })
        .collect();
    model.countries = countries
        .into_iter()
        .map(|(name, os)| Country {
            id: crate::slug::slugify(&name),
            name,
            organizations: os.into_iter().collect(),
        })
        .collect();
    model
}

/// The events gathered (`gather_events`), each with what it involves by id, its citations
/// capped and an id handed out in (date, title) order; in id order. With their ids in the
/// order they were first met.
fn make_events(
    gathered: Vec<Told>,
    org_ids: &[String],
    person_ids: &[String],
    part_ids: &[String],
) -> (Vec<Event>, Vec<String>) {
    // Each event's parties, citations and slug are made on all threads; ids are handed out in
    // order.
    let (mut events, slugs): (Vec<Event>, Vec<(String, usize)>) = gathered
        .into_par_iter()
        .map(|((date, title), (involved, citations, met))| {
            let mut involves: Vec<String> = (involved.iter())
                .map(|i| match *i {
                    Involved::Org(g) => org_ids[g].clone(),
                    Involved::Person(g) => person_ids[g].clone(),
                    Involved::Partnership(g) => part_ids[g].clone(),
                })
                .collect();
            involves.sort_unstable();
            involves.dedup();
            // The slug of the date and the title's first eight words.
            let mut named = String::with_capacity(date.0.len() + 1 + title.len());
            named.push_str(&date.0);
            for word in title.split_whitespace().take(8) {
                named.push(' ');
                named.push_str(word);
            }
            let slug = crate::slug::slugify(&named);
            let event = Event {
                id: String::new(),
                date,
                title,
                involves,
                citations: cap_citations(citations),
            };
            (event, (slug, met))
        })
        .unzip();
    let mut event_slugs = Slugger::default();
    let mut ids = vec![String::new(); events.len()];
    for (e, (slug, met)) in events.iter_mut().zip(slugs) {
        e.id = event_slugs.unique_slug(slug);
        ids[met].clone_from(&e.id);
    }
    events.par_sort_unstable_by(|a, b| a.id.cmp(&b.id));

    (events, ids)
}

/// What an event involves, as indices into the records resolved so far.
enum Involved {
    Org(usize),
    Person(usize),
    Partnership(usize),
}

/// An event's parties and citations, gathered from every document that tells it, and the
/// order it was first met in.
type Gathered = (Vec<Involved>, Vec<Citation>, usize);

/// An event as told, (date, title), with what was gathered of it.
type Told = ((Date, String), Gathered);

/// Events, one per date and title, gathered in a hash map (each fact's date and title moved
/// into it, what it involves as indices) from each document's event facts (`facts[d]`), then
/// put in (date, title) order once, the order their ids are handed out in.
fn gather_events(
    facts: Vec<Vec<EventFact>>,
    part_titles: &[String],
    org_map: &[Vec<usize>],
    person_map: &[Vec<usize>],
    part_map: &[Vec<usize>],
) -> (Vec<Told>, Vec<Vec<u32>>) {
    let mut event_at: HashMap<(Date, String), Gathered> = HashMap::new();
    // Per document, where each of its events went: the one first met so.
    let mut routes: Vec<Vec<u32>> = Vec::with_capacity(facts.len());
    for (d, facts) in facts.into_iter().enumerate() {
        let mut local = Vec::with_capacity(facts.len());
        for e in facts {
            let title = if e.title.is_empty() {
                e.partnerships
                    .first()
                    .map(|&p| format!("{} announced", part_titles[part_map[d][p]]))
                    .unwrap_or_default()
            } else {
                e.title
            };
            let met = event_at.len();
            let (involves, citations, first) =
                (event_at.entry((e.date, title))).or_insert_with(|| (Vec::new(), Vec::new(), met));
            local.push(*first as u32);
            involves.extend(e.orgs.iter().map(|&o| Involved::Org(org_map[d][o])));
            involves.extend(
                e.people
                    .iter()
                    .filter(|&&p| person_map[d][p] != usize::MAX)
                    .map(|&p| Involved::Person(person_map[d][p])),
            );
            involves.extend(
                e.partnerships
                    .iter()
                    .map(|&p| Involved::Partnership(part_map[d][p])),
            );
            citations.push(e.citation);
        }
        routes.push(local);
    }
    let mut gathered: Vec<Told> = event_at.into_iter().collect();
    gathered.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (gathered, routes)
}

/// The bucket of possible spellings of a folded full name: first word and the last word's
/// first letter ("gina r").
fn spelling_bucket(folded: &str) -> String {
    let first = folded.split(' ').next().unwrap_or("");
    let last = folded.rsplit(' ').next().unwrap_or("");
    let mut bucket = String::with_capacity(first.len() + 2);
    bucket.push_str(first);
    bucket.push(' ');
    bucket.push(last.chars().next().unwrap_or(' '));
    bucket
}

#[cfg(test)]
mod tests;
