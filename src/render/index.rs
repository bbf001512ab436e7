//! Lookups over the model, built once per render: records by id and the relations pages need.

use super::format;
use super::reads::{self, List, Query, Records};
use super::views::label;
use crate::model::{
    Citation, Commitment, Country, Event, Model, Organization, Partnership, Person, Quote, Source,
    Topic,
};
use crate::slug::slugify;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
// foldhash, randomly seeded per run like std's SipHash but several times faster: SipHash was
// a tenth of the time spent building pages.
use foldhash::{HashMap, HashSet};

/// Records by id, by name, and who relates to whom; every list keeps the model's order.
///
/// Pages reach the model only through these methods, and each notes what it was asked
/// (`reads::note`), so that a rebuild knows what every page read; see `reads`.
pub struct Index<'m> {
    /// The model the lookups point into.
    model: &'m Model,
    orgs: HashMap<&'m str, &'m Organization>,
    people: HashMap<&'m str, &'m Person>,
    partnerships: HashMap<&'m str, &'m Partnership>,
    commitments: HashMap<&'m str, &'m Commitment>,
    sources: HashMap<&'m str, &'m Source>,
    topics: HashMap<String, &'m Topic>,
    countries: HashMap<String, &'m Country>,
    /// The records that belong to each record (see `Index::lists`).
    lists: Lists<'m>,
    /// What each source is cited for (see `Index::citations`).
    cited: Cited<'m>,
    /// Most partnerships in one briefing book (`briefing_limit`), which divides a briefing
    /// in volumes (`records::volumes`).
    volume_limit: usize,
    /// The partnerships announced in each (year, month), as far as their dates say.
    by_month: ByMonth<'m>,
    /// The events of each year of the timeline (`event_year`), each list in model order.
    by_year: std::collections::BTreeMap<&'m str, Vec<&'m Event>>,
}

/// Partnerships by the year and month of their announcement, each list in model order.
pub type ByMonth<'m> = HashMap<(Option<&'m str>, Option<&'m str>), Vec<&'m Partnership>>;

/// The records that belong to each record, by its id, sorted as pages show them.
#[derive(Default)]
struct Lists<'m> {
    org_partnerships: HashMap<&'m str, Vec<&'m Partnership>>,
    org_people: HashMap<&'m str, Vec<&'m Person>>,
    org_commitments: HashMap<&'m str, Vec<&'m Commitment>>,
    partnership_commitments: HashMap<&'m str, Vec<&'m Commitment>>,
    topic_partnerships: HashMap<&'m str, Vec<&'m Partnership>>,
    country_orgs: HashMap<&'m str, Vec<&'m Organization>>,
    events_of: HashMap<&'m str, Vec<&'m Event>>,
    /// Partnership titles that more than one partnership has.
    shared_titles: HashSet<&'m str>,
}

/// Per source id, what cites it and what it reports.
#[derive(Default)]
struct Cited<'m> {
    /// What cites it, gathered in one pass over every citation.
    cited_in: HashMap<&'m str, SourceFacts<'m>>,
    /// The quotes it reports, in model order (see `quotes_in`).
    quotes_in: HashMap<&'m str, Vec<SourceQuote<'m>>>,
}

/// A quote a source reports, with where its speaker and it sit in the model.
#[derive(Clone, Copy)]
pub struct SourceQuote<'m> {
    /// The speaker's position in the model's people.
    pub person_at: usize,
    /// The quote's position among the speaker's quotes.
    pub quote_at: usize,
    pub person: &'m Person,
    pub quote: &'m Quote,
}

/// What a link to a source and a footnote show of it.
#[derive(Serialize)]
pub struct SourceCard<'m> {
    pub id: &'m str,
    pub title: &'m str,
    /// The document's path in the seeds folder.
    pub path: &'m str,
    /// The web address it was taken from.
    pub url: Option<&'m str>,
}

/// What a link to a partnership shows of it.
#[derive(Serialize)]
pub struct PartnershipCard<'m> {
    pub id: &'m str,
    pub title: &'m str,
    pub announced: Option<&'m crate::model::Date>,
}

/// What a link to an organization, a person, a topic or a country shows of it.
#[derive(Serialize)]
pub struct NameCard<'m> {
    pub id: &'m str,
    pub name: &'m str,
}

fn ids<'m, T>(list: &[&'m T], id: fn(&'m T) -> &'m String) -> Vec<&'m str> {
    list.iter().map(|r| id(r).as_str()).collect()
}

/// A sentence's place in its source: (paragraph, sentence), from 0.
pub type Place = (usize, usize);

/// What the model cites from one source.
#[derive(Default)]
pub struct SourceFacts<'m> {
    /// By (paragraph, sentence), in that order: what each sentence is cited for, in model
    /// order. Mostly a record's own name or title, borrowed from the model.
    pub sentences: Vec<(Place, Vec<Cow<'m, str>>)>,
    pub partnerships: Vec<&'m Partnership>,
    pub organizations: Vec<&'m Organization>,
    pub people: Vec<&'m Person>,
}

impl<'m> SourceFacts<'m> {
    /// What the sentence `sentence` of paragraph `paragraph` is cited for, if anything.
    pub fn cited_for(&self, paragraph: usize, sentence: usize) -> Option<&[Cow<'m, str>]> {
        let at = self
            .sentences
            .binary_search_by_key(&(paragraph, sentence), |(at, _)| *at)
            .ok()?;
        Some(&self.sentences[at].1)
    }
}

/// One page of a long list: its rows, and how many pages the list fills.
pub struct Paged<'a, T> {
    pub rows: &'a [T],
    pub pages: usize,
}

impl<'a, T> Paged<'a, T> {
    /// Page `page` (from 0) of `all`, `size` rows a page.
    fn of(all: &'a [T], page: usize, size: usize) -> Self {
        Paged {
            rows: paging::rows(all, page, size),
            pages: paging::count(all.len(), size),
        }
    }
}

/// Page `page` of every record of a kind, noted as read (`Query::Rows`).
fn paged<T>(of: Records, all: &[T], page: usize, size: usize) -> Paged<'_, T> {
    reads::note(|| Query::Rows(of, page, size));
    Paged::of(all, page, size)
}

/// Splitting a list into pages of `size` rows (0: one page of them all).
pub mod paging {
    /// How many pages `len` rows fill: at least one, which may be empty.
    pub fn count(len: usize, size: usize) -> usize {
        if size == 0 {
            1
        } else {
            len.div_ceil(size).max(1)
        }
    }

    /// The rows of page `page` (from 0); none past the last.
    pub fn rows<T>(all: &[T], page: usize, size: usize) -> &[T] {
        if size == 0 {
            return if page == 0 { all } else { &[] };
        }
        let start = page.saturating_mul(size).min(all.len());
        &all[start..start.saturating_add(size).min(all.len())]
    }
}

/// Lists by key that hold each item once, in the order first added. The `seen` set keeps
/// adding linear: a large organization can be a party to thousands of partnerships.
struct Gather<'m, T> {
    lists: HashMap<&'m str, Vec<&'m T>>,
    seen: HashSet<(&'m str, usize)>,
}

impl<'m, T> Gather<'m, T> {
    fn new() -> Self {
        Gather {
            lists: HashMap::default(),
            seen: HashSet::default(),
        }
    }

    fn push(&mut self, key: &'m str, item: &'m T) {
        // The item's address identifies it: every item is a record borrowed from the model.
        if self.seen.insert((key, std::ptr::from_ref(item) as usize)) {
            self.lists.entry(key).or_default().push(item);
        }
    }
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

impl<'m> Index<'m> {
    /// Builds every lookup in one pass over each list.
    pub fn new(model: &'m Model) -> Self {
        let by_id = |it: &'m str| it;
        let mut ix = Index {
            model,
            orgs: model
                .organizations
                .iter()
                .map(|o| (by_id(&o.id), o))
                .collect(),
            people: model.people.iter().map(|p| (by_id(&p.id), p)).collect(),
            partnerships: model
                .partnerships
                .iter()
                .map(|p| (by_id(&p.id), p))
                .collect(),
            commitments: model
                .commitments
                .iter()
                .map(|c| (by_id(&c.id), c))
                .collect(),
            sources: model.sources.iter().map(|s| (by_id(&s.id), s)).collect(),
            topics: HashMap::default(),
            countries: HashMap::default(),
            lists: Lists::default(),
            cited: Cited::default(),
            volume_limit: crate::config::Config::default().briefing_limit,
            by_month: ByMonth::default(),
            by_year: Default::default(),
        };
        // Names first, ids last, so an id always wins over a name that happens to equal it.
        for t in &model.topics {
            ix.topics.insert(key(&t.name), t);
            ix.topics.insert(slugify(&t.name), t);
        }
        for t in &model.topics {
            ix.topics.insert(t.id.clone(), t);
        }
        for c in &model.countries {
            ix.countries.insert(key(&c.name), c);
            ix.countries.insert(slugify(&c.name), c);
        }
        for c in &model.countries {
            ix.countries.insert(c.id.clone(), c);
        }
        for p in &model.partnerships {
            let at = super::records::year_month(p);
            ix.by_month.entry(at).or_default().push(p);
        }
        for e in &model.events {
            ix.by_year.entry(event_year(&e.date)).or_default().push(e);
        }
        // What each source is cited for, and the lists of each record, are made side by side.
        (ix.cited, ix.lists) = rayon::join(|| Index::citations(model), || ix.lists());
        ix
    }

    /// The index of a site whose briefing books hold at most `limit` partnerships
    /// (`briefing_limit` in accord.toml; the default otherwise).
    pub fn with_volume_limit(mut self, limit: usize) -> Self {
        self.volume_limit = limit;
        self
    }

    /// Most partnerships in one briefing book.
    pub fn volume_limit(&self) -> usize {
        self.volume_limit
    }

    /// The partnerships by year and month of announcement (see `records::year_month`), for
    /// the briefing's volumes: asked once per volume, each would otherwise go through all.
    /// Not noted as a read; a volume's answer is `Query::Volume`.
    pub fn by_month(&self) -> &ByMonth<'m> {
        &self.by_month
    }

    /// The records that belong to each record, found through the id maps built first. The
    /// events of each record (the most: several per document) are gathered and ordered beside
    /// the rest.
    fn lists(&self) -> Lists<'m> {
        let (events_of, lists) = rayon::join(|| self.gather_events(), || self.lists_but_events());
        Lists { events_of, ..lists }
    }

    /// Events by each record they involve, oldest first.
    fn gather_events(&self) -> HashMap<&'m str, Vec<&'m Event>> {
        // The events put in time order once (by date, then id, as `format::by_date` orders
        // them), so that each record's list, made in that order, is in it: sorting every
        // record's list compared dates 100,000 times at 10,000 documents.
        let mut in_time: Vec<&'m Event> = self.model.events.iter().collect();
        in_time.par_sort_by_cached_key(|e| (format::date_key(&e.date), e.id.as_str()));
        let mut events_of = Gather::new();
        for e in in_time {
            for id in &e.involves {
                events_of.push(id, e);
            }
        }
        events_of.lists
    }

    /// Everything in `lists` but `events_of`.
    fn lists_but_events(&self) -> Lists<'m> {
        let (ix, model) = (self, self.model);
        let mut shared_titles = HashSet::default();
        let mut titles = HashSet::default();
        for p in &model.partnerships {
            if !titles.insert(p.title.as_str()) {
                shared_titles.insert(p.title.as_str());
            }
        }
        let mut org_partnerships = Gather::new();
        let mut partnership_commitments = Gather::new();
        let mut topic_partnerships = Gather::new();
        let mut org_people = Gather::new();
        let mut org_commitments = Gather::new();
        let mut country_orgs = Gather::new();
        for p in &model.partnerships {
            for party in &p.parties {
                org_partnerships.push(party, p);
            }
            for c in &p.commitments {
                if let Some(c) = ix.commitments.get(c.as_str()) {
                    partnership_commitments.push(&p.id, *c);
                }
            }
            for f in &p.focus {
                if let Some(t) = ix.find_topic(f) {
                    topic_partnerships.push(&t.id, p);
                }
            }
        }
        for t in &model.topics {
            for pid in &t.partnerships {
                if let Some(p) = ix.partnerships.get(pid.as_str()) {
                    topic_partnerships.push(&t.id, *p);
                }
            }
        }
        for person in &model.people {
            if let Some(org) = &person.organization {
                org_people.push(org, person);
            }
        }
        for c in &model.commitments {
            for id in c.from.iter().chain(&c.to) {
                if ix.orgs.contains_key(id.as_str()) {
                    org_commitments.push(id, c);
                }
                if ix.partnerships.contains_key(id.as_str()) {
                    partnership_commitments.push(id, c);
                }
            }
        }
        for c in &model.countries {
            for oid in &c.organizations {
                if let Some(o) = ix.orgs.get(oid.as_str()) {
                    country_orgs.push(&c.id, *o);
                }
            }
        }
        for o in &model.organizations {
            if let Some(c) = o.country.as_deref().and_then(|n| ix.find_country(n)) {
                country_orgs.push(&c.id, o);
            }
        }
        let mut country_orgs = country_orgs.lists;
        for list in country_orgs.values_mut() {
            list.sort_by_cached_key(|o| (o.name.to_lowercase(), o.id.clone()));
        }
        Lists {
            shared_titles,
            org_partnerships: org_partnerships.lists,
            partnership_commitments: partnership_commitments.lists,
            topic_partnerships: topic_partnerships.lists,
            org_people: org_people.lists,
            org_commitments: org_commitments.lists,
            country_orgs,
            events_of: HashMap::default(),
        }
    }

    /// For every source, which records cite it and what each sentence carries, and the quotes
    /// taken from it.
    ///
    /// Every citation is first noted as a few numbers (its source's place, its sentence, what
    /// cites it), and the notes are sorted by source: each source's facts are then made from
    /// one run of notes. Gathered straight into each source's facts, in model order, every one
    /// of the ~200,000 citations of a 10k site looked up its source's facts and sentence at
    /// random in maps too large for the caches (4-5% of a rebuild's CPU).
    fn citations(model: &'m Model) -> Cited<'m> {
        let mut quotes_in: HashMap<&'m str, Vec<SourceQuote<'m>>> = HashMap::default();
        for (person_at, person) in model.people.iter().enumerate() {
            for (quote_at, quote) in person.quotes.iter().enumerate() {
                quotes_in
                    .entry(&quote.citation.source)
                    .or_default()
                    .push(SourceQuote {
                        person_at,
                        quote_at,
                        person,
                        quote,
                    });
            }
        }
        // Sources by place: the model's, then any other a citation names.
        let mut places: HashMap<&'m str, u32> = model
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i as u32))
            .collect();
        let mut sources: Vec<&'m str> = model.sources.iter().map(|s| s.id.as_str()).collect();
        let mut place = |source: &'m str| {
            *places.entry(source).or_insert_with(|| {
                sources.push(source);
                sources.len() as u32 - 1
            })
        };
        // What each sentence is cited for: (source, paragraph, sentence, what), `what` a place
        // in `whats`, which are in model order.
        let mut whats: Vec<Cow<'m, str>> = Vec::new();
        let mut sentences: Vec<(u32, usize, usize, u32)> = Vec::new();
        let mut mark = |cs: &mut dyn Iterator<Item = &'m Citation>, what: Cow<'m, str>| {
            let at = whats.len() as u32;
            whats.push(what);
            for c in cs {
                sentences.push((place(&c.source), c.paragraph, c.sentence_index, at));
            }
        };
        for p in &model.partnerships {
            mark(&mut p.citations.iter(), label(&p.title, &p.id).into());
        }
        for c in &model.commitments {
            mark(
                &mut c.citations.iter(),
                format!("funding of {}", c.amount.text).into(),
            );
        }
        for o in &model.organizations {
            mark(&mut o.citations.iter(), label(&o.name, &o.id).into());
        }
        for p in &model.people {
            let name = label(&p.name, &p.id);
            mark(&mut p.citations.iter(), name.into());
            mark(
                &mut p.quotes.iter().map(|q| &q.citation),
                format!("quote of {name}").into(),
            );
        }
        for e in &model.events {
            mark(&mut e.citations.iter(), e.title.as_str().into());
        }
        // Which records cite each source: (source, kind, the record's place in its list).
        let mut cite = Vec::new();
        for (i, p) in model.partnerships.iter().enumerate() {
            cite.extend(p.citations.iter().map(|c| (place(&c.source), 0u8, i)));
        }
        for (i, o) in model.organizations.iter().enumerate() {
            cite.extend(o.citations.iter().map(|c| (place(&c.source), 1, i)));
        }
        for (i, p) in model.people.iter().enumerate() {
            let quotes = p.quotes.iter().map(|q| &q.citation);
            cite.extend(
                p.citations
                    .iter()
                    .chain(quotes)
                    .map(|c| (place(&c.source), 2, i)),
            );
        }
        // (Sorted whole, the notes of a sentence keep `what`'s model order; a record cites a
        // source once, at its place in model order.)
        rayon::join(
            || sentences.par_sort_unstable(),
            || cite.par_sort_unstable(),
        );
        cite.dedup();
        // Each source's facts by its place; those of sources nothing cites are left out.
        let mut facts: Vec<Option<SourceFacts<'m>>> = Vec::new();
        facts.resize_with(sources.len(), || None);
        for run in sentences.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2)) {
            let (source, paragraph, sentence, _) = run[0];
            let mut list: Vec<Cow<'m, str>> = Vec::with_capacity(run.len());
            for &(.., what) in run {
                let what = &whats[what as usize];
                if !list.contains(what) {
                    list.push(what.clone());
                }
            }
            let facts = facts[source as usize].get_or_insert_default();
            facts.sentences.push(((paragraph, sentence), list));
        }
        for run in cite.chunk_by(|a, b| a.0 == b.0) {
            let facts = facts[run[0].0 as usize].get_or_insert_default();
            for &(_, kind, i) in run {
                match kind {
                    0 => facts.partnerships.push(&model.partnerships[i]),
                    1 => facts.organizations.push(&model.organizations[i]),
                    _ => facts.people.push(&model.people[i]),
                }
            }
        }
        let cited_in = (sources.into_iter().zip(facts))
            .filter_map(|(source, facts)| Some((source, facts?)))
            .collect();
        Cited {
            cited_in,
            quotes_in,
        }
    }

    /// The whole model; a page that asks for it is read as having read every record whole.
    pub fn model(&self) -> &'m Model {
        for of in Records::ALL {
            reads::note(|| Query::Whole(of));
        }
        self.model
    }

    /// The whole model, not noted as read: for the answers (`reads::Answers`), which note
    /// nothing, and ask for it once for each of a quarter of a million queries at 10,000
    /// documents.
    pub(super) fn model_unnoted(&self) -> &'m Model {
        self.model
    }

    /// Every partnership, in model order, read as lists read them (`reads::Listed`).
    pub fn partnerships(&self) -> &'m [Partnership] {
        reads::note(|| Query::All(Records::Partnerships));
        &self.model.partnerships
    }

    /// Every organization, in model order.
    pub fn organizations(&self) -> &'m [Organization] {
        reads::note(|| Query::All(Records::Organizations));
        &self.model.organizations
    }

    /// Every person, in model order.
    pub fn people(&self) -> &'m [Person] {
        reads::note(|| Query::All(Records::People));
        &self.model.people
    }

    /// Every commitment, in model order.
    pub fn commitments(&self) -> &'m [Commitment] {
        reads::note(|| Query::All(Records::Commitments));
        &self.model.commitments
    }

    /// Every topic, in model order.
    pub fn topics(&self) -> &'m [Topic] {
        reads::note(|| Query::All(Records::Topics));
        &self.model.topics
    }

    /// Every country, in model order.
    pub fn countries(&self) -> &'m [Country] {
        reads::note(|| Query::All(Records::Countries));
        &self.model.countries
    }

    /// Every event, in model order.
    pub fn events(&self) -> &'m [Event] {
        reads::note(|| Query::All(Records::Events));
        &self.model.events
    }

    /// The events of one year of the timeline (`event_year`), in model order.
    pub fn events_in(&self, year: &str) -> &[&'m Event] {
        reads::note(|| Query::EventsIn(year.to_owned()));
        self.by_year.get(year).map_or(&[], Vec::as_slice)
    }

    /// The timeline's years, oldest first ("undated" last), each with its number of events.
    pub fn event_years(&self) -> Vec<(String, usize)> {
        reads::note(|| Query::EventYears);
        // In key order: "undated" sorts after every year's digits.
        (self.by_year.iter())
            .map(|(y, events)| ((*y).to_owned(), events.len()))
            .collect()
    }

    /// Every source, in model order, read as lists read them (`reads::ListedSource`): a page
    /// that shows a source's text looks it up by id (`source`).
    pub fn sources(&self) -> &'m [Source] {
        reads::note(|| Query::All(Records::Sources));
        &self.model.sources
    }

    /// Page `page` (from 0) of every partnership in model order, `size` rows a page, and how
    /// many pages there are: a page of a long list reads only its rows (`Query::Rows`).
    pub fn partnership_rows(&self, page: usize, size: usize) -> Paged<'m, Partnership> {
        paged(Records::Partnerships, &self.model.partnerships, page, size)
    }

    /// As `partnership_rows`, of the organizations.
    pub fn organization_rows(&self, page: usize, size: usize) -> Paged<'m, Organization> {
        paged(
            Records::Organizations,
            &self.model.organizations,
            page,
            size,
        )
    }

    /// As `partnership_rows`, of the people.
    pub fn person_rows(&self, page: usize, size: usize) -> Paged<'m, Person> {
        paged(Records::People, &self.model.people, page, size)
    }

    /// As `partnership_rows`, of the sources (read as `sources`' are).
    pub fn source_rows(&self, page: usize, size: usize) -> Paged<'m, Source> {
        paged(Records::Sources, &self.model.sources, page, size)
    }

    /// The organizations party to partnerships on a topic, each with how many, most first
    /// (`Query::ActiveOn`: a change to one of those partnerships that leaves its parties as
    /// they were leaves this answer alone).
    pub fn active_on(&self, topic: &str) -> Vec<(&'m str, usize)> {
        reads::note(|| Query::ActiveOn(topic.to_owned()));
        let partnerships = reads::quietly(|| self.partnerships_on(topic));
        super::records::partner_counts(partnerships.iter().flat_map(|p| &p.parties), "")
    }

    /// Page `page` (from 0) of the partnerships on a topic, `size` a page
    /// (`Query::ListRows`), and how many pages there are.
    pub fn partnerships_on_rows(
        &self,
        topic: &str,
        page: usize,
        size: usize,
    ) -> Paged<'_, &'m Partnership> {
        reads::note(|| Query::ListRows(List::PartnershipsOn, topic.to_owned(), page, size));
        Paged::of(reads::quietly(|| self.partnerships_on(topic)), page, size)
    }

    /// The partnership with this id.
    pub fn partnership(&self, id: &str) -> Option<&'m Partnership> {
        reads::note(|| Query::Partnership(id.to_owned()));
        self.partnerships.get(id).copied()
    }

    /// The organization with this id.
    pub fn org(&self, id: &str) -> Option<&'m Organization> {
        reads::note(|| Query::Organization(id.to_owned()));
        self.orgs.get(id).copied()
    }

    /// The person with this id.
    pub fn person(&self, id: &str) -> Option<&'m Person> {
        reads::note(|| Query::Person(id.to_owned()));
        self.people.get(id).copied()
    }

    /// The commitment with this id.
    pub fn commitment(&self, id: &str) -> Option<&'m Commitment> {
        reads::note(|| Query::Commitment(id.to_owned()));
        self.commitments.get(id).copied()
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&'m Source> {
        reads::note(|| Query::Source(id.to_owned()));
        self.sources.get(id).copied()
    }

    /// What links and footnotes show of the source with this id: a narrower read than the
    /// whole source, so that editing an article's text leaves the pages that cite it alone.
    pub fn source_card(&self, id: &str) -> Option<SourceCard<'m>> {
        reads::note(|| Query::SourceCard(id.to_owned()));
        self.sources.get(id).map(|s| SourceCard {
            id: &s.id,
            title: &s.title,
            path: &s.path,
            url: s.url.as_deref(),
        })
    }

    /// Where a citation's sentence is in its source, as (paragraph, sentence): where the
    /// citation says, when that place holds a sentence; else (a stale citation) where the
    /// sentence's text is found word for word.
    pub fn sentence_of(&self, c: &Citation) -> Option<(usize, usize)> {
        reads::note(|| Query::Sentence(c.source.to_string(), c.paragraph, c.sentence_index));
        let source = self.sources.get(&*c.source)?;
        if Self::holds_sentence(source, c.paragraph, c.sentence_index) {
            return Some((c.paragraph, c.sentence_index));
        }
        let want = c.sentence.trim();
        source
            .paragraphs
            .iter()
            .enumerate()
            .find_map(|(p, ss)| ss.iter().position(|s| s.trim() == want).map(|s| (p, s)))
    }

    /// Whether `source` has a sentence at (paragraph, sentence).
    pub(super) fn holds_sentence(source: &Source, paragraph: usize, sentence: usize) -> bool {
        source.sentence(paragraph, sentence).is_some()
    }

    /// The quotes a source reports, in model order.
    pub fn quotes_in(&self, source: &str) -> &[SourceQuote<'m>] {
        reads::note(|| Query::QuotesIn(source.to_owned()));
        self.cited.quotes_in.get(source).map_or(&[], Vec::as_slice)
    }

    /// What the model cites from the source with this id.
    pub fn cited_in(&self, source: &str) -> Option<&SourceFacts<'m>> {
        reads::note(|| Query::CitedIn(source.to_owned()));
        self.cited.cited_in.get(source)
    }

    /// True when another partnership has the same title, so links need more to tell them apart.
    pub fn title_is_shared(&self, title: &str) -> bool {
        reads::note(|| Query::TitleShared(title.to_owned()));
        self.lists.shared_titles.contains(title)
    }

    /// A topic by id, by name, or by the slug of a name.
    pub fn topic(&self, id_or_name: &str) -> Option<&'m Topic> {
        reads::note(|| Query::Topic(id_or_name.to_owned()));
        self.find_topic(id_or_name)
    }

    /// What a link to a topic shows of it, found as `topic` finds it.
    pub fn topic_card(&self, id_or_name: &str) -> Option<NameCard<'m>> {
        reads::note(|| Query::TopicCard(id_or_name.to_owned()));
        self.find_topic(id_or_name).map(|t| NameCard {
            id: &t.id,
            name: &t.name,
        })
    }

    fn find_topic(&self, id_or_name: &str) -> Option<&'m Topic> {
        let k = id_or_name.trim();
        self.topics
            .get(k)
            .or_else(|| self.topics.get(&key(k)))
            .or_else(|| self.topics.get(&slugify(k)))
            .copied()
    }

    /// A country by id, by name, or by the slug of a name.
    pub fn country(&self, id_or_name: &str) -> Option<&'m Country> {
        reads::note(|| Query::Country(id_or_name.to_owned()));
        self.find_country(id_or_name)
    }

    /// What a link to a country shows of it, found as `country` finds it.
    pub fn country_card(&self, id_or_name: &str) -> Option<NameCard<'m>> {
        reads::note(|| Query::CountryCard(id_or_name.to_owned()));
        self.find_country(id_or_name).map(|c| NameCard {
            id: &c.id,
            name: &c.name,
        })
    }

    fn find_country(&self, id_or_name: &str) -> Option<&'m Country> {
        let k = id_or_name.trim();
        self.countries
            .get(k)
            .or_else(|| self.countries.get(&key(k)))
            .or_else(|| self.countries.get(&slugify(k)))
            .copied()
    }

    /// Partnerships an organization is a party to. Read as lists read them (`reads::Listed`):
    /// a page that shows a partnership's citations looks it up by id (`partnership`).
    pub fn partnerships_of(&self, org: &str) -> &[&'m Partnership] {
        reads::note(|| Query::List(List::PartnershipsOf, org.to_owned()));
        self.lists
            .org_partnerships
            .get(org)
            .map_or(&[], Vec::as_slice)
    }

    /// People whose organization is `org`.
    pub fn people_of(&self, org: &str) -> &[&'m Person] {
        reads::note(|| Query::List(List::PeopleOf, org.to_owned()));
        self.lists.org_people.get(org).map_or(&[], Vec::as_slice)
    }

    /// Commitments from or to an organization.
    pub fn commitments_of_org(&self, org: &str) -> &[&'m Commitment] {
        reads::note(|| Query::List(List::CommitmentsOfOrg, org.to_owned()));
        self.lists
            .org_commitments
            .get(org)
            .map_or(&[], Vec::as_slice)
    }

    /// Commitments a partnership lists or receives.
    pub fn commitments_of_partnership(&self, p: &str) -> &[&'m Commitment] {
        reads::note(|| Query::List(List::CommitmentsOfPartnership, p.to_owned()));
        self.lists
            .partnership_commitments
            .get(p)
            .map_or(&[], Vec::as_slice)
    }

    /// Partnerships on a topic, by the topic's id; read as `partnerships_of`'s are.
    pub fn partnerships_on(&self, topic: &str) -> &[&'m Partnership] {
        reads::note(|| Query::List(List::PartnershipsOn, topic.to_owned()));
        self.lists
            .topic_partnerships
            .get(topic)
            .map_or(&[], Vec::as_slice)
    }

    /// Organizations of a country, by the country's id, sorted by name.
    pub fn orgs_in(&self, country: &str) -> &[&'m Organization] {
        reads::note(|| Query::List(List::OrgsIn, country.to_owned()));
        self.lists
            .country_orgs
            .get(country)
            .map_or(&[], Vec::as_slice)
    }

    /// Events that involve the record with this id, oldest first.
    pub fn events_of(&self, id: &str) -> &[&'m Event] {
        reads::note(|| Query::List(List::EventsOf, id.to_owned()));
        self.lists.events_of.get(id).map_or(&[], Vec::as_slice)
    }

    /// The ids of a list's records, for a page that shows no more of them than links.
    pub fn ids(&self, list: List, key: &str) -> Vec<&'m str> {
        reads::note(|| Query::Ids(list, key.to_owned()));
        reads::quietly(|| match list {
            List::PartnershipsOf => ids(self.partnerships_of(key), |r| &r.id),
            List::PeopleOf => ids(self.people_of(key), |r| &r.id),
            List::CommitmentsOfOrg => ids(self.commitments_of_org(key), |r| &r.id),
            List::CommitmentsOfPartnership => ids(self.commitments_of_partnership(key), |r| &r.id),
            List::PartnershipsOn => ids(self.partnerships_on(key), |r| &r.id),
            List::OrgsIn => ids(self.orgs_in(key), |r| &r.id),
            List::EventsOf => ids(self.events_of(key), |r| &r.id),
        })
    }

    /// How many records a list holds.
    pub fn count(&self, list: List, key: &str) -> usize {
        reads::note(|| Query::Count(list, key.to_owned()));
        reads::quietly(|| match list {
            List::PartnershipsOf => self.partnerships_of(key).len(),
            List::PeopleOf => self.people_of(key).len(),
            List::CommitmentsOfOrg => self.commitments_of_org(key).len(),
            List::CommitmentsOfPartnership => self.commitments_of_partnership(key).len(),
            List::PartnershipsOn => self.partnerships_on(key).len(),
            List::OrgsIn => self.orgs_in(key).len(),
            List::EventsOf => self.events_of(key).len(),
        })
    }

    /// What a link to a partnership shows of it.
    pub fn partnership_card(&self, id: &str) -> Option<PartnershipCard<'m>> {
        reads::note(|| Query::PartnershipCard(id.to_owned()));
        self.partnerships.get(id).map(|p| PartnershipCard {
            id: &p.id,
            title: &p.title,
            announced: p.announced.as_ref(),
        })
    }

    /// What a link to an organization shows of it.
    pub fn org_card(&self, id: &str) -> Option<NameCard<'m>> {
        reads::note(|| Query::OrgCard(id.to_owned()));
        self.orgs.get(id).map(|o| NameCard {
            id: &o.id,
            name: &o.name,
        })
    }

    /// What a link to a person shows of them.
    pub fn person_card(&self, id: &str) -> Option<NameCard<'m>> {
        reads::note(|| Query::PersonCard(id.to_owned()));
        self.people.get(id).map(|p| NameCard {
            id: &p.id,
            name: &p.name,
        })
    }

    /// Sum in US dollars of the commitments that are not part of another one, and how many.
    pub fn total_usd<'c>(
        &self,
        commitments: impl IntoIterator<Item = &'c Commitment>,
    ) -> Option<f64> {
        let mut total = None;
        for c in commitments {
            let counted_elsewhere = c
                .part_of
                .as_deref()
                .is_some_and(|p| self.commitment(p).is_some());
            if let (false, Some(v)) = (counted_elsewhere, c.amount.usd.filter(|v| v.is_finite())) {
                *total.get_or_insert(0.0) += v;
            }
        }
        total
    }
}

/// The year an event goes under on the timeline: its date's first four characters when they
/// are digits ("2024" of "2024-04-15"), else "undated" (a curated date such as "spring").
pub fn event_year(date: &crate::model::Date) -> &str {
    match date.0.trim().get(..4) {
        Some(y) if y.bytes().all(|b| b.is_ascii_digit()) => y,
        _ => "undated",
    }
}
