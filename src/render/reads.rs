//! What a page read from the model, so that a rebuild can tell a page is unchanged without
//! building it.
//!
//! Every lookup a page's context makes goes through `Index`, which notes it here as a `Query`
//! ("the organization with id X", "the partnerships of X", "every source") while a page is
//! being recorded. A query's `Digest` is a hash of its answer in one model. The manifest keeps
//! each page's queries and the digests of their answers; the next build answers the same
//! queries in the new model, and a page none of whose answers changed would come out the same,
//! so it is neither built nor fingerprinted. A page whose answers changed is built again (and
//! still kept when its fingerprint is the same).
//!
//! `ACCORD_EXPLAIN=1 accord build` prints, for each page made again, the queries whose
//! answers changed.
//!
//! Soundness rests on one rule: page code reaches the model only through `Index`'s methods
//! (its maps and the model are private to it), and every method notes what it answered.
//! Records reached through an answer (the partnerships of X) are part of that answer's digest.
//! Debug builds check the rule: a page skipped by its reads is also fingerprinted, and the
//! fingerprint must be the one the last build recorded (see `render_each`).

use super::index::{Index, paging};
use super::records::{self, Book};
use super::text::Linker;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::hash::BuildHasher;

/// A hash of one answer: XXH3's 128 bits. Not a cryptographic hash, and none is needed: the
/// digests compare one build's answers with the last's, of documents the user put there, and
/// a chance match of two different answers is 2^-128. (blake3, used before, spent several
/// times as long on the hundred thousand small inputs of a rebuild, mostly on setting up its
/// hasher for each.)
pub type Digest = [u8; 16];

/// The kinds of record, for queries about all of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Records {
    Partnerships,
    Organizations,
    People,
    Commitments,
    Topics,
    Countries,
    Events,
    Sources,
}

impl Records {
    pub const ALL: [Records; 8] = [
        Records::Partnerships,
        Records::Organizations,
        Records::People,
        Records::Commitments,
        Records::Topics,
        Records::Countries,
        Records::Events,
        Records::Sources,
    ];
}

/// One lookup of a page in the model.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Query {
    /// A record by id; the answer says whether there is one, and what it holds.
    Partnership(String),
    Organization(String),
    Person(String),
    Commitment(String),
    Source(String),
    /// What links and footnotes show of a source (`Index::source_card`).
    SourceCard(String),
    /// Where a citation's sentence is in a source: (source, paragraph, sentence).
    Sentence(String, usize, usize),
    /// A topic or country by id, name or the slug of a name.
    Topic(String),
    Country(String),
    /// What links to a topic or country show of it (`Index::topic_card`, `country_card`):
    /// its id and name, not the records it lists, so that a partnership added or removed
    /// remakes the topic's and the country's pages, not every page that links them.
    TopicCard(String),
    CountryCard(String),
    /// Every record of a kind, in model order, as lists read them (`Listed`).
    All(Records),
    /// Every record of a kind, in model order, whole: what the whole model (`Index::model`)
    /// holds of it.
    Whole(Records),
    /// One page of every record of a kind: (kind, page from 0, rows a page). The answer is
    /// the page's rows and how many pages there are, not the whole list's length, so a
    /// changed record remakes only its page (one added or removed shifts the pages after it).
    Rows(Records, usize, usize),
    /// One page of one of `Index`'s lists: (list, key, page from 0, rows a page).
    ListRows(List, String, usize, usize),
    /// What links to a record show of it (`Index::partnership_card`, `org_card`,
    /// `person_card`): narrower than the whole record.
    PartnershipCard(String),
    OrgCard(String),
    PersonCard(String),
    /// One of `Index`'s lists by the key it was asked for: its records, only their ids, or
    /// only how many there are.
    List(List, String),
    Ids(List, String),
    Count(List, String),
    /// The organizations active on a topic, with their counts (`Index::active_on`).
    ActiveOn(String),
    CitedIn(String),
    QuotesIn(String),
    TitleShared(String),
    /// The records of one briefing volume (a year's or a month's): whole, but its sources as lists
    /// read them (`ListedSource`; the volume lists them, and quotes sentences by citation).
    Volume(String),
    /// The events of one year of the timeline (`index::event_year`).
    EventsIn(String),
    /// The timeline's years, each with how many events it holds.
    EventYears,
    /// The volumes of a briefing in volumes, with their sizes.
    Volumes,
    /// The names a source page links in the source's text, where they are and where they lead
    /// (`Linker::links_in`): not every name the site links, so that a document that brings
    /// new names remakes the pages whose text holds them, not every source page.
    LinksIn(String),
    /// Whether any partnership has a date for the Atom feed (`feeds::any_dated`).
    Feed,
}

/// The lists `Index` keeps by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum List {
    /// Partnerships an organization is a party to.
    PartnershipsOf,
    /// People of an organization.
    PeopleOf,
    /// Commitments from or to an organization.
    CommitmentsOfOrg,
    /// Commitments a partnership lists or receives.
    CommitmentsOfPartnership,
    /// Partnerships on a topic.
    PartnershipsOn,
    /// Organizations of a country.
    OrgsIn,
    /// Events that involve a record.
    EventsOf,
}

thread_local! {
    /// The queries of the page being recorded on this thread, if any.
    static READS: RefCell<Option<Vec<Query>>> = const { RefCell::new(None) };
}

/// Notes a query of the page being recorded on this thread; `query` is made only then.
pub fn note(query: impl FnOnce() -> Query) {
    READS.with(|r| {
        if let Some(reads) = r.borrow_mut().as_mut() {
            reads.push(query());
        }
    });
}

/// Runs `f` (which builds one page's context) and returns what it gives with the queries it
/// made, each once, in the order first made. Recordings nest: an inner one does not leak
/// into the outer.
pub fn recording<R>(f: impl FnOnce() -> R) -> (R, Noted) {
    let outer = READS.with(|r| r.borrow_mut().replace(Vec::new()));
    let out = f();
    let mut reads = READS.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    (out, each_once(reads.take().unwrap_or_default()))
}

/// The hash queries are found by, in a recording and in the query table: one hasher for the
/// process, so a query is hashed once, on the thread that recorded it; seeded at random, as a
/// map's own would be, so no document can be written to make queries collide.
fn query_hash(q: &Query) -> u64 {
    static STATE: std::sync::LazyLock<foldhash::fast::RandomState> =
        std::sync::LazyLock::new(foldhash::fast::RandomState::default);
    STATE.hash_one(q)
}

/// A page's queries, each once, in the order first made, each with its hash (`query_hash`).
/// Reads as the list of queries.
#[derive(Debug, Default)]
pub struct Noted {
    queries: Vec<Query>,
    hashes: Vec<u64>,
}

impl std::ops::Deref for Noted {
    type Target = [Query];

    fn deref(&self) -> &[Query] {
        &self.queries
    }
}

/// `queries` without repeats, each where it first came. Found by hash, not by sorting: a
/// page notes a query at each lookup, and sorting them compared ids and names string by
/// string (a fortieth of a clean build).
fn each_once(queries: Vec<Query>) -> Noted {
    let mut seen: hashbrown::HashTable<usize> = hashbrown::HashTable::with_capacity(queries.len());
    let mut once = Noted {
        queries: Vec::with_capacity(queries.len()),
        hashes: Vec::with_capacity(queries.len()),
    };
    for q in queries {
        let hash = query_hash(&q);
        if seen.find(hash, |&i| once.queries[i] == q).is_none() {
            seen.insert_unique(hash, once.queries.len(), |&i| once.hashes[i]);
            once.queries.push(q);
            once.hashes.push(hash);
        }
    }
    once
}

/// Runs `f` without noting its queries: for a lookup whose whole result is noted as one query
/// (a briefing volume).
pub fn quietly<R>(f: impl FnOnce() -> R) -> R {
    let outer = READS.with(|r| r.borrow_mut().take());
    let out = f();
    READS.with(|r| *r.borrow_mut() = outer);
    out
}

/// The digest of a record (any serializable value): of its postcard encoding, made in a
/// buffer each thread keeps and hashed whole. (A postcard flavor that fed a `blake3::Hasher`
/// as it went spent more on copying than on hashing: the hasher, nearly two kilobytes, moves
/// with the flavor through postcard's serializer for every record.)
pub fn digest_of<T: Serialize + ?Sized>(value: &T) -> Digest {
    thread_local! {
        static BUF: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    // Serializing model records cannot fail; were it to, the digest matches no other build's,
    // so a page that read it is made again.
    let (digest, mut buf) = match crate::cache::encode_into(value, BUF.take()) {
        Some(bytes) => (hash(&bytes), bytes),
        None => (unmatched(), Vec::new()),
    };
    // Kept for the next record, unless a large value (the search index's inputs) grew it.
    if buf.capacity() <= 1 << 20 {
        buf.clear();
        BUF.set(buf);
    }
    digest
}

fn hash(bytes: &[u8]) -> Digest {
    crate::hash128(bytes)
}

/// The fingerprint of the file at `path` made from a value with the digest `made_from` alone
/// (and the salt): a record's JSON file, the search index. (blake3, used before, spent its
/// time setting up a hasher for each of 30,000 record files a 10k build looks at.)
pub fn derived_fingerprint(path: &str, made_from: &Digest) -> super::context::Fingerprint {
    let mut m = Mix::new("derived");
    m.add(path.as_bytes()).add(made_from);
    super::context::Fingerprint(hash(&m.0))
}

/// A hash of several parts, each length-prefixed so that parts never run together. The parts
/// are gathered and hashed at once: most mixes are of a few digests. The buffer they are
/// gathered in is one the thread keeps (a rebuild at 10,000 documents mixes a quarter of a
/// million answers, each of which allocated one).
struct Mix(Vec<u8>);

thread_local! {
    /// The buffer of the last mix done on this thread, for the next.
    static SPARE_MIX: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Mix {
    fn new(tag: &str) -> Mix {
        let mut buffer = SPARE_MIX.take();
        buffer.clear();
        buffer.reserve(128);
        let mut m = Mix(buffer);
        m.add(tag.as_bytes());
        m
    }

    fn add(&mut self, bytes: &[u8]) -> &mut Mix {
        self.n(bytes.len());
        self.0.extend_from_slice(bytes);
        self
    }

    fn n(&mut self, n: usize) -> &mut Mix {
        self.0.extend_from_slice(&(n as u64).to_le_bytes());
        self
    }

    fn done(&self) -> Digest {
        hash(&self.0)
    }
}

impl Drop for Mix {
    fn drop(&mut self) {
        // Kept unless a long list grew it.
        if self.0.capacity() <= 1 << 16 {
            SPARE_MIX.set(std::mem::take(&mut self.0));
        }
    }
}

/// A digest no answer of another build has.
fn unmatched() -> Digest {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Mix::new("unmatched")
        .n(std::process::id() as usize)
        .n(n as usize)
        .add(&t.to_le_bytes())
        .done()
}

/// Where `item`, a record borrowed from `all`, sits in it.
fn position<T>(all: &[T], item: &T) -> Option<usize> {
    let size = std::mem::size_of::<T>();
    let start = all.as_ptr() as usize;
    let at = std::ptr::from_ref(item) as usize;
    (size > 0 && at >= start && at < start + std::mem::size_of_val(all))
        .then(|| (at - start) / size)
}

/// The digest of every record of a model, and the answers to queries in it.
pub struct Answers<'a, 'm> {
    ix: &'a Index<'m>,
    linker: &'a Linker,
    digests: Digests,
}

fn digests<T: Serialize + Sync>(all: &[T]) -> Vec<Digest> {
    all.par_iter().map(digest_of).collect()
}

/// The digest of what `view` shows of each record of `all`.
fn digests_as<'a, T: Sync, V: Serialize>(
    all: &'a [T],
    view: impl Fn(&'a T) -> V + Sync,
) -> Vec<Digest> {
    all.par_iter().map(|x| digest_of(&view(x))).collect()
}

/// The digest of every record of a model, by kind, in model order.
pub struct Digests {
    partnerships: Vec<Digest>,
    /// Of each partnership as lists show it (`Listed`).
    partnerships_listed: Vec<Digest>,
    /// Of each source as lists show it (`ListedSource`).
    sources_listed: Vec<Digest>,
    organizations: Vec<Digest>,
    people: Vec<Digest>,
    commitments: Vec<Digest>,
    topics: Vec<Digest>,
    countries: Vec<Digest>,
    events: Vec<Digest>,
    sources: Vec<Digest>,
}

impl Digests {
    /// Digests every record of `m`, on all threads (needs no index, so it can be made while
    /// the index is).
    pub fn of(m: &crate::model::Model) -> Digests {
        Digests {
            partnerships: digests(&m.partnerships),
            partnerships_listed: digests_as(&m.partnerships, Listed::of),
            organizations: digests(&m.organizations),
            people: digests(&m.people),
            commitments: digests(&m.commitments),
            topics: digests(&m.topics),
            countries: digests(&m.countries),
            events: digests(&m.events),
            sources: digests(&m.sources),
            sources_listed: digests_as(&m.sources, ListedSource::of),
        }
    }
}

/// A partnership as the lists that hold it read it — rows of the lists of partnerships, of an
/// organization's, a person's organization's, a country's or a topic's, the overview's, the
/// CSV table: the record without its citations, of which only which sources cite it stands.
/// A sentence added to a document that cites a partnership (a correction that says more
/// about it) changes its record, and with it its own page, its briefing volume and its
/// sources' pages, which show the sentence; the lists that name it show none of that.
/// (Before, such an edit of one document of 10,000 remade a dozen list pages and the CSV
/// tables.) What reads a partnership's citations reads it by id (`Query::Partnership`) or
/// in a briefing volume (`Query::Volume`), whose answers digest the whole record.
#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    parties: &'a [String],
    focus: &'a [String],
    commitments: &'a [String],
    announced: Option<&'a crate::model::Date>,
    venue: Option<&'a str>,
    occasion: Option<&'a str>,
    /// The sources that cite it, each once, in id order.
    sources: Vec<&'a str>,
}

impl<'a> Listed<'a> {
    fn of(p: &'a crate::model::Partnership) -> Listed<'a> {
        // Every field named: one added to the record fails to compile here until it is put
        // in what lists read, or left out of it knowingly.
        let crate::model::Partnership {
            id,
            title,
            parties,
            focus,
            commitments,
            announced,
            venue,
            occasion,
            citations,
        } = p;
        let sources = crate::model::cited_sources(citations);
        Listed {
            id,
            title,
            parties,
            focus,
            commitments,
            announced: announced.as_ref(),
            venue: venue.as_deref(),
            occasion: occasion.as_deref(),
            sources,
        }
    }
}

/// A source as the lists that hold it read it — rows of the list of sources, of the
/// overview's, of a briefing volume's: the record without its text, of which only how many
/// paragraphs it has stands. A correction to an article's words changes its own page (and
/// the pages quoting a sentence it changed, which read that sentence); the lists show none
/// of it. What reads a source's text reads it by id (`Query::Source`).
#[derive(Serialize)]
struct ListedSource<'a> {
    id: &'a str,
    path: &'a str,
    title: &'a str,
    dek: Option<&'a str>,
    author: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<&'a crate::model::Date>,
    url: Option<&'a str>,
    kind: crate::model::SourceKind,
    paragraphs: usize,
}

impl<'a> ListedSource<'a> {
    fn of(s: &'a crate::model::Source) -> ListedSource<'a> {
        // Every field named, as in `Listed::of`.
        let crate::model::Source {
            id,
            path,
            title,
            dek,
            author,
            publisher,
            published,
            url,
            kind,
            paragraphs,
        } = s;
        ListedSource {
            id,
            path,
            title,
            dek: dek.as_deref(),
            author: author.as_deref(),
            publisher: publisher.as_deref(),
            published: published.as_ref(),
            url: url.as_deref(),
            kind: *kind,
            paragraphs: paragraphs.len(),
        }
    }
}

impl<'a, 'm> Answers<'a, 'm> {
    /// Digests every record of the model `ix` indexes, on all threads.
    pub fn new(ix: &'a Index<'m>, linker: &'a Linker) -> Self {
        Answers::with(ix, linker, quietly(|| Digests::of(ix.model())))
    }

    /// Answers queries on the model `ix` indexes, whose records have `digests`.
    pub fn with(ix: &'a Index<'m>, linker: &'a Linker, digests: Digests) -> Self {
        Answers {
            ix,
            linker,
            digests,
        }
    }

    /// The digests of every record of a kind, in model order.
    pub fn of_kind(&self, of: Records) -> &[Digest] {
        match of {
            Records::Partnerships => &self.digests.partnerships,
            Records::Organizations => &self.digests.organizations,
            Records::People => &self.digests.people,
            Records::Commitments => &self.digests.commitments,
            Records::Topics => &self.digests.topics,
            Records::Countries => &self.digests.countries,
            Records::Events => &self.digests.events,
            Records::Sources => &self.digests.sources,
        }
    }

    /// What a record's own JSON file (at `path`) is made from: the `at`-th record of its kind.
    pub fn record_fingerprint(
        &self,
        path: &str,
        of: Records,
        at: usize,
    ) -> super::context::Fingerprint {
        let d = self.of_kind(of);
        derived_fingerprint(path, &d.get(at).copied().unwrap_or_else(unmatched))
    }

    /// The digest of `items`, records borrowed from `all` whose digests are `digests`.
    fn list<T>(&self, all: &[T], digests: &[Digest], items: &[&T]) -> Digest {
        let mut mix = Mix::new("list");
        mix.n(items.len());
        for item in items {
            match position(all, item) {
                Some(i) => mix.add(&digests[i]),
                // Not a record of the model (never so today): an answer that matches no
                // other, so pages that read it are always made again.
                None => mix.add(&unmatched()),
            };
        }
        mix.done()
    }

    /// The digest of a record found by id, or of its absence.
    fn one<T>(&self, all: &[T], digests: &[Digest], item: Option<&T>) -> Digest {
        let mut mix = Mix::new("one");
        match item.and_then(|r| position(all, r)) {
            Some(i) => mix.add(&digests[i]),
            None => mix.add(b"none"),
        };
        mix.done()
    }

    /// The digests of every record of a kind as lists read them: of the partnerships,
    /// `Listed`; of the sources, `ListedSource`; of the rest, the whole records.
    fn listed(&self, of: Records) -> &[Digest] {
        match of {
            Records::Partnerships => &self.digests.partnerships_listed,
            Records::Sources => &self.digests.sources_listed,
            of => self.of_kind(of),
        }
    }

    fn all(&self, of: Records) -> Digest {
        let mut mix = Mix::new("all");
        mix.n(of as usize).add(&self.all_of(self.listed(of)));
        mix.done()
    }

    /// The digest of a whole list of records' digests.
    fn all_of(&self, d: &[Digest]) -> Digest {
        let mut mix = Mix::new("records");
        mix.n(d.len());
        for x in d {
            mix.add(x);
        }
        mix.done()
    }

    /// The digest of one of `Index`'s lists, or with `size` of its page `page` and how many
    /// pages it fills.
    fn list_of(&self, list: List, key: &str, page: usize, size: usize) -> Digest {
        let ix = self.ix;
        let m = ix.model_unnoted();
        match list {
            List::PartnershipsOf => self.page_of(
                &m.partnerships,
                &self.digests.partnerships_listed,
                ix.partnerships_of(key),
                (page, size),
            ),
            List::PeopleOf => self.page_of(
                &m.people,
                &self.digests.people,
                ix.people_of(key),
                (page, size),
            ),
            List::CommitmentsOfOrg => self.page_of(
                &m.commitments,
                &self.digests.commitments,
                ix.commitments_of_org(key),
                (page, size),
            ),
            List::CommitmentsOfPartnership => self.page_of(
                &m.commitments,
                &self.digests.commitments,
                ix.commitments_of_partnership(key),
                (page, size),
            ),
            List::PartnershipsOn => self.page_of(
                &m.partnerships,
                &self.digests.partnerships_listed,
                ix.partnerships_on(key),
                (page, size),
            ),
            List::OrgsIn => self.page_of(
                &m.organizations,
                &self.digests.organizations,
                ix.orgs_in(key),
                (page, size),
            ),
            List::EventsOf => self.page_of(
                &m.events,
                &self.digests.events,
                ix.events_of(key),
                (page, size),
            ),
        }
    }

    /// The digest of `items` (as `list`), or with a page size of its page `page` and how many
    /// pages it fills.
    fn page_of<T>(
        &self,
        all: &[T],
        digests: &[Digest],
        items: &[&T],
        (page, size): (usize, usize),
    ) -> Digest {
        if size == 0 {
            return self.list(all, digests, items);
        }
        let rows = self.list(all, digests, paging::rows(items, page, size));
        (Mix::new("list-rows"))
            .n(paging::count(items.len(), size))
            .add(&rows)
            .done()
    }

    /// The digest of the answer to `q` in this model.
    pub fn answer(&self, q: &Query) -> Digest {
        quietly(|| self.answer_quietly(q))
    }

    fn answer_quietly(&self, q: &Query) -> Digest {
        let ix = self.ix;
        let m = ix.model_unnoted();
        match q {
            Query::Partnership(id) => self.one(
                &m.partnerships,
                &self.digests.partnerships,
                ix.partnership(id),
            ),
            Query::Organization(id) => {
                self.one(&m.organizations, &self.digests.organizations, ix.org(id))
            }
            Query::Person(id) => self.one(&m.people, &self.digests.people, ix.person(id)),
            Query::Commitment(id) => {
                self.one(&m.commitments, &self.digests.commitments, ix.commitment(id))
            }
            Query::Source(id) => self.one(&m.sources, &self.digests.sources, ix.source(id)),
            Query::SourceCard(id) => digest_of(&ix.source_card(id)),
            Query::Sentence(id, p, s) => {
                // The answer of nearly every one, made once.
                static THERE: std::sync::LazyLock<Digest> =
                    std::sync::LazyLock::new(|| Mix::new("sentence").add(b"there").done());
                let source = ix.source(id);
                if source.is_some_and(|source| Index::holds_sentence(source, *p, *s)) {
                    return *THERE;
                }
                let mut mix = Mix::new("sentence");
                match source {
                    None => mix.add(b"none"),
                    // A stale citation is found by its text, anywhere in the source.
                    source => mix.add(&self.one(&m.sources, &self.digests.sources, source)),
                };
                mix.done()
            }
            Query::Topic(name) => self.one(&m.topics, &self.digests.topics, ix.topic(name)),
            Query::Country(name) => {
                self.one(&m.countries, &self.digests.countries, ix.country(name))
            }
            Query::TopicCard(name) => digest_of(&ix.topic_card(name)),
            Query::CountryCard(name) => digest_of(&ix.country_card(name)),
            Query::All(of) => self.all(*of),
            Query::Whole(of) => {
                let mut mix = Mix::new("whole");
                mix.n(*of as usize).add(&self.all_of(self.of_kind(*of)));
                mix.done()
            }
            Query::PartnershipCard(id) => digest_of(&ix.partnership_card(id)),
            Query::OrgCard(id) => digest_of(&ix.org_card(id)),
            Query::PersonCard(id) => digest_of(&ix.person_card(id)),
            Query::List(list, key) => self.list_of(*list, key, 0, 0),
            Query::Rows(of, page, size) => {
                let d = self.listed(*of);
                let mut mix = Mix::new("rows");
                mix.n(*of as usize).n(paging::count(d.len(), *size));
                for x in paging::rows(d, *page, *size) {
                    mix.add(x);
                }
                mix.done()
            }
            Query::ListRows(list, key, page, size) => self.list_of(*list, key, *page, *size),
            Query::ActiveOn(topic) => digest_of(&ix.active_on(topic)),
            Query::Ids(list, key) => digest_of(&ix.ids(*list, key)),
            Query::Count(list, key) => digest_of(&ix.count(*list, key)),
            Query::CitedIn(id) => {
                let mut mix = Mix::new("cited");
                if let Some(f) = ix.cited_in(id) {
                    mix.n(f.sentences.len());
                    for ((p, s), what) in &f.sentences {
                        mix.n(*p).n(*s).n(what.len());
                        for w in what {
                            mix.add(w.as_bytes());
                        }
                    }
                    // Which records the source is cited for, by id: its page links them, and
                    // reads what the links show (their cards) itself. Their whole records
                    // change with any document that cites them too (a citation added), which
                    // remade the page of every other source citing them. (The search index
                    // reads more of them, but is known by the digest of all it is made from,
                    // not by its reads.)
                    let ids = (f.partnerships.iter().map(|p| &p.id))
                        .chain(f.organizations.iter().map(|o| &o.id))
                        .chain(f.people.iter().map(|p| &p.id));
                    mix.n(f.partnerships.len())
                        .n(f.organizations.len())
                        .n(f.people.len());
                    for id in ids {
                        mix.add(id.as_bytes());
                    }
                }
                mix.done()
            }
            Query::QuotesIn(id) => {
                // The quotes in model order, each by its speaker's record and its place among
                // the speaker's quotes. Not by the speaker's place among all people: pages
                // sort quotes by it, but that order is the people's ids' (resolve and the
                // facts files keep people sorted by id), which their records carry; the place
                // itself moves for every person added or removed before them, and with it
                // every page quoting them (5,380 at 10,000 documents).
                let mut mix = Mix::new("quotes");
                for q in ix.quotes_in(id) {
                    let person: &[_] = &[q.person];
                    mix.n(q.quote_at);
                    mix.add(&self.list(&m.people, &self.digests.people, person));
                }
                mix.done()
            }
            Query::TitleShared(title) => Mix::new("shared")
                .n(usize::from(ix.title_is_shared(title)))
                .done(),
            Query::Volume(year) => {
                let book = Book::volume_records(ix, year);
                let mut mix = Mix::new("volume");
                mix.add(&self.list(
                    &m.partnerships,
                    &self.digests.partnerships,
                    &book.partnerships,
                ));
                mix.add(&self.list(
                    &m.organizations,
                    &self.digests.organizations,
                    &book.organizations,
                ));
                mix.add(&self.list(&m.people, &self.digests.people, &book.people));
                mix.add(&self.list(&m.topics, &self.digests.topics, &book.topics));
                mix.add(&self.list(&m.countries, &self.digests.countries, &book.countries));
                mix.add(&self.list(&m.events, &self.digests.events, &book.events));
                mix.add(&self.list(&m.sources, &self.digests.sources_listed, &book.sources));
                mix.done()
            }
            Query::EventsIn(year) => self.list(&m.events, &self.digests.events, ix.events_in(year)),
            Query::EventYears => {
                let mut mix = Mix::new("event-years");
                for (year, n) in ix.event_years() {
                    mix.add(year.as_bytes()).n(n);
                }
                mix.done()
            }
            Query::Volumes => {
                let mut mix = Mix::new("volumes");
                for (year, n) in records::volumes(m, ix.volume_limit()) {
                    mix.add(year.as_bytes()).n(n);
                }
                mix.done()
            }
            Query::LinksIn(id) => {
                let mut mix = Mix::new("links");
                match ix.source(id) {
                    Some(source) => self.linker.links_in(source, |p, s, (start, end, to)| {
                        mix.n(p).n(s).n(start).n(end).add(to.as_bytes());
                    }),
                    None => {
                        mix.add(b"none");
                    }
                }
                mix.done()
            }
            Query::Feed => Mix::new("feed")
                .n(usize::from(super::feeds::any_dated(ix)))
                .done(),
        }
    }
}

/// The queries pages made, each once, with the digest of its answer: the last build's, and
/// those this build adds. A page's reads are positions in it.
#[derive(Default)]
pub struct Table {
    queries: Vec<(Query, Digest)>,
    /// Which of the last build's answers differ in this model.
    changed: Vec<bool>,
    /// Where each query is in `queries`, found by the query's hash: a map from queries to
    /// positions would hold a second copy of every query, made and freed each build.
    at: hashbrown::HashTable<u32>,
    /// How many queries came from the last build (the rest are answered at the end).
    answered: usize,
}

impl Table {
    /// The last build's queries answered in this model: a page that read none of the
    /// changed ones is unchanged. With `same_names` (the linker links the names the last
    /// build's did, to the same pages), the links in a source whose record is unchanged are
    /// unchanged too, and are not looked for again in its text (twenty megabytes at 10,000
    /// documents, a tenth of a second at every rebuild).
    pub fn from_last(
        mut queries: Vec<(Query, Digest)>,
        answers: &Answers<'_, '_>,
        same_names: bool,
    ) -> Table {
        // Where each query is, found on one thread while the others answer them.
        let (at, mut now) = rayon::join(
            || {
                let mut at = hashbrown::HashTable::with_capacity(queries.len());
                let rehash = |&j: &u32| query_hash(&queries[j as usize].0);
                for (i, (q, _)) in queries.iter().enumerate() {
                    at.insert_unique(query_hash(q), i as u32, rehash);
                }
                at
            },
            || {
                (queries.par_iter())
                    .map(|(q, _)| match q {
                        Query::LinksIn(_) if same_names => None,
                        q => Some(answers.answer(q)),
                    })
                    .collect::<Vec<Option<Digest>>>()
            },
        );
        // The links in a source, when the names are the same: the last answer stands where
        // the source's record, which holds its text, was asked for and is unchanged; else they
        // are looked for. (Only the links are left unanswered above.)
        let find = |q: &Query| {
            at.find(query_hash(q), |&j| queries[j as usize].0 == *q)
                .map(|&j| j as usize)
        };
        let links: Vec<(usize, Digest)> = (now.par_iter().enumerate())
            .filter(|(_, now)| now.is_none())
            .map(|(i, _)| {
                let (q, then) = &queries[i];
                let stands = matches!(q, Query::LinksIn(id)
                    if find(&Query::Source(id.clone()))
                        .is_some_and(|j| now[j] == Some(queries[j].1)));
                (i, if stands { *then } else { answers.answer(q) })
            })
            .collect();
        for (i, answer) in links {
            now[i] = Some(answer);
        }
        let changed = (queries.iter_mut().zip(now))
            .map(|((_, then), now)| {
                let now = now.unwrap_or_else(unmatched);
                std::mem::replace(then, now) != now
            })
            .collect();
        Table {
            answered: queries.len(),
            queries,
            changed,
            at,
        }
    }

    /// The queries among `reads` whose answers changed, for `ACCORD_EXPLAIN=1`.
    pub fn changed_queries(&self, reads: &[u32]) -> Vec<&Query> {
        reads
            .iter()
            .filter(|&&i| self.changed.get(i as usize).copied().unwrap_or(true))
            .filter_map(|&i| self.queries.get(i as usize).map(|(q, _)| q))
            .collect()
    }

    /// Whether a page that made these reads (positions) may have changed.
    pub fn any_changed(&self, reads: &[u32]) -> bool {
        reads
            .iter()
            .any(|&i| self.changed.get(i as usize).copied().unwrap_or(true))
    }

    /// The positions of `noted`, adding those not yet in the table. (Called under a lock by
    /// every thread making pages: the queries come hashed, by the thread that noted them.)
    pub fn positions(&mut self, noted: Noted) -> Vec<u32> {
        let Table {
            queries: table, at, ..
        } = self;
        (noted.queries.into_iter().zip(noted.hashes))
            .map(|(q, hash)| {
                if let Some(&i) = at.find(hash, |&i| table[i as usize].0 == q) {
                    return i;
                }
                let i = table.len() as u32;
                table.push((q, [0; 16]));
                at.insert_unique(hash, i, |&j| query_hash(&table[j as usize].0));
                i
            })
            .collect()
    }

    /// Every query with the digest of its answer in this model.
    pub fn finish(mut self, answers: &Answers<'_, '_>) -> Vec<(Query, Digest)> {
        let fresh = self.queries.split_off(self.answered);
        let fresh: Vec<(Query, Digest)> = fresh
            .into_par_iter()
            .map(|(q, _)| {
                let d = answers.answer(&q);
                (q, d)
            })
            .collect();
        self.queries.extend(fresh);
        self.queries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_xxh3_128() {
        // The reference value of XXH3-128 for no input (xxHash's own tests): a digest stays
        // XXH3 whichever crate computes it, so manifests and packs keep their meaning.
        assert_eq!(
            hash(b""),
            0x99aa06d3014798d86001c324468d497f_u128.to_le_bytes()
        );
    }

    #[test]
    fn a_recording_keeps_each_query_once_where_it_came_first() {
        let ((), reads) = recording(|| {
            for q in [
                Query::Organization("b".into()),
                Query::All(Records::Sources),
                Query::Organization("a".into()),
                Query::Organization("b".into()),
                Query::All(Records::Sources),
            ] {
                note(|| q);
            }
        });
        assert_eq!(
            *reads,
            [
                Query::Organization("b".into()),
                Query::All(Records::Sources),
                Query::Organization("a".into()),
            ]
        );
    }

    /// A file made from a value is known by its path and the value's digest, each of which
    /// changes its fingerprint; the same two give the same one, build after build.
    #[test]
    fn a_derived_fingerprint_follows_its_path_and_digest() {
        let f = derived_fingerprint("data/a.json", &[1; 16]);
        assert_eq!(f, derived_fingerprint("data/a.json", &[1; 16]));
        assert_ne!(f, derived_fingerprint("data/b.json", &[1; 16]));
        assert_ne!(f, derived_fingerprint("data/a.json", &[2; 16]));
        assert_ne!(f.0[..16], f.0[16..], "two halves, differently seeded");
    }
}
