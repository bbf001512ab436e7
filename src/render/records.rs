//! The contexts of the pages that show one record (but sources: see `article`), the overview,
//! the briefing and the timeline.

use super::context::PageContext as Context;
use super::format;
use super::index::Index;
use super::reads::{self, List, Query};
use super::urls;
use super::views::{
    CiteRef, CommitmentView, Cx, EventView, Link, QuoteView, SourceRow, label, org_kind,
};
use crate::model::{
    Country, Date, Event, Model, Organization, Partnership, Person, Quote, Source, Topic,
};
use foldhash::HashSet;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Figure {
    label: &'static str,
    value: String,
    href: Option<String>,
    /// A long value (a sum of money) that wants a wider box.
    wide: bool,
}

#[derive(Serialize)]
struct Party {
    link: Link,
    kind: &'static str,
    country: Option<Link>,
}

#[derive(Serialize)]
struct YearGroup<T> {
    year: String,
    events: Vec<T>,
}

/// A link with how often it occurs, e.g. a partner and the partnerships shared with it.
#[derive(Serialize)]
struct Counted {
    link: Link,
    count: usize,
}

/// Ids other than `except`, with how often each occurs, most frequent first, then by id.
pub(super) fn partner_counts<'s>(
    ids: impl Iterator<Item = &'s String>,
    except: &str,
) -> Vec<(&'s str, usize)> {
    // Counted in a map: a large topic has thousands of partnerships among thousands of
    // organizations.
    let mut by_id: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for id in ids.filter(|id| *id != except) {
        *by_id.entry(id.as_str()).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = by_id.into_iter().collect();
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
}

/// How many citation marks a record's name carries; the rest are footnotes only.
const HEADING_CITES: usize = 3;

/// How many of the largest commitments the overview shows.
const LARGEST: usize = 5;

/// How many recent events the overview shows.
const RECENT: usize = 8;

/// How many of the newest partnerships and sources the overview lists; the full lists are
/// their own pages, so the overview stays one page however large the tracker grows.
const OVERVIEW_ROWS: usize = 25;

/// The key figures of the whole model, each linking to its list.
fn figures(cx: &Cx<'_, '_>) -> Vec<Figure> {
    let ix = cx.ix;
    let count = |label, n: usize, section: &str| Figure {
        label,
        value: format::thousands(n as i64),
        href: Some(cx.href(&urls::list(section))),
        wide: false,
    };
    vec![
        count("Partnerships", ix.partnerships().len(), "partnerships"),
        count("Organizations", ix.organizations().len(), "organizations"),
        count("People", ix.people().len(), "people"),
        count("Countries", ix.countries().len(), "countries"),
        count("Sources", ix.sources().len(), "sources"),
        Figure {
            label: "Funding stated (USD)",
            value: ix
                .total_usd(ix.commitments())
                .map_or("—".into(), format::usd),
            href: None,
            wide: true,
        },
    ]
}

/// The `n` most recently announced of `partnerships`, newest first.
fn newest_partnerships(partnerships: &[Partnership], n: usize) -> Vec<&Partnership> {
    newest(partnerships, n, |p| p.announced.as_ref(), |p| &p.id)
}

/// The `n` newest of `items` by `date`, newest first, undated last, ties by `id`. Each date
/// is keyed once, and the few wanted are picked out without sorting the rest (tens of
/// thousands at scale, on the overview, which most edits make again).
fn newest<T>(
    items: &[T],
    n: usize,
    date: impl Fn(&T) -> Option<&Date>,
    id: impl Fn(&T) -> &str,
) -> Vec<&T> {
    let mut keyed: Vec<(Option<Vec<u8>>, &T)> = items
        .iter()
        .map(|x| (date(x).map(format::date_key), x))
        .collect();
    // `None` sorts below any date, so newest first puts the undated last.
    let order = |a: &(Option<Vec<u8>>, &T), b: &(Option<Vec<u8>>, &T)| {
        b.0.cmp(&a.0).then_with(|| id(a.1).cmp(id(b.1)))
    };
    if keyed.len() > n {
        keyed.select_nth_unstable_by(n, order);
        keyed.truncate(n);
    }
    keyed.sort_unstable_by(order);
    keyed.into_iter().map(|(_, x)| x).collect()
}

/// The overview: key figures, partnerships newest first, recent events, sources.
pub fn home(cx: &mut Cx<'_, '_>, ctx: &mut Context) {
    // Each kind read as lists read it: the overview shows rows and sums, no citation's text.
    let ix = cx.ix;
    let (partnerships, sources, commitments) = (ix.partnerships(), ix.sources(), ix.commitments());
    let rows: Vec<_> = (newest_partnerships(partnerships, OVERVIEW_ROWS).into_iter())
        .map(|p| cx.partnership_row(p))
        .collect();
    let newest_sources: Vec<_> =
        newest(sources, OVERVIEW_ROWS, |s| s.published.as_ref(), |s| &s.id)
            .into_iter()
            .map(|s| cx.source_row(s))
            .collect();
    // The largest sums first; parts of a larger commitment would count it twice.
    let mut largest: Vec<_> = (commitments.iter())
        .filter(|c| c.part_of.is_none() && c.amount.usd.is_some())
        .collect();
    largest.sort_by(|a, b| {
        b.amount
            .usd
            .partial_cmp(&a.amount.usd)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    let largest: Vec<_> = largest
        .into_iter()
        .take(LARGEST)
        .map(|c| cx.commitment(c))
        .collect();
    // Citation marks are numbered in page order: largest commitments come before events.
    let recent: Vec<_> = newest(ix.events(), RECENT, |e| Some(&e.date), |e| &e.id)
        .into_iter()
        .map(|e| cx.event(e))
        .collect();
    ctx.insert("figures", &figures(cx));
    ctx.insert("partnerships", &rows);
    ctx.insert("largest", &largest);
    ctx.insert("recent", &recent);
    ctx.insert("sources", &newest_sources);
    ctx.insert(
        "more_partnerships",
        &partnerships.len().saturating_sub(rows.len()),
    );
    ctx.insert(
        "more_sources",
        &sources.len().saturating_sub(newest_sources.len()),
    );
}

/// An organization as the briefing shows it: the facts of its page, in brief.
#[derive(Serialize)]
struct BriefOrg {
    anchor: String,
    name: String,
    cites: Vec<CiteRef>,
    kind: &'static str,
    country: Option<Link>,
    /// Other names, joined, without a final period (the sentence adds one).
    aliases: String,
    partnerships: Vec<Link>,
    people: Vec<BriefPerson>,
    given: Option<String>,
    received: Option<String>,
}

#[derive(Serialize)]
struct BriefPerson {
    name: String,
    role: Option<String>,
}

/// A source as the briefing lists it, with its web address written out for print.
#[derive(Serialize)]
struct BriefSource {
    anchor: String,
    row: SourceRow,
}

/// What the briefing covers, for its cover.
#[derive(Serialize)]
struct Scope {
    /// The latest date anything in the model carries: the briefing is "as of" it.
    as_of: Option<format::DateView>,
    first: Option<format::DateView>,
    partnerships: usize,
    organizations: usize,
    countries: usize,
    sources: usize,
}

/// The records one briefing book covers: the whole site, or, when the site has more
/// partnerships than one book holds well (`briefing_limit` in accord.toml), one volume — the
/// partnerships announced in one year and what they involve.
pub struct Book<'m> {
    /// The volume's year (or "undated"); `None` for the whole site in one book.
    pub volume: Option<String>,
    /// Newest first.
    pub partnerships: Vec<&'m Partnership>,
    pub organizations: Vec<&'m Organization>,
    pub people: Vec<&'m Person>,
    pub topics: Vec<&'m Topic>,
    pub countries: Vec<&'m Country>,
    pub events: Vec<&'m Event>,
    pub sources: Vec<&'m Source>,
}

/// The year and month a partnership was announced, as far as its date gives them.
pub fn year_month(p: &Partnership) -> (Option<&str>, Option<&str>) {
    let Some(d) = p.announced.as_ref().map(|d| d.0.as_str()) else {
        return (None, None);
    };
    let digits = |r: std::ops::Range<usize>| {
        d.get(r.clone())
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
    };
    let year = digits(0..4);
    // A month is two digits from 01 to 12 after the year and a dash, and the end of the date
    // or another dash after it ("2024-03", "2024-03-15"; not "2024-3" or "2024-13").
    let month = year
        .and(d.get(4..5))
        .filter(|&dash| dash == "-")
        .and(digits(5..7))
        .filter(|m| matches!(m.parse::<u8>(), Ok(1..=12)))
        .filter(|_| matches!(d.as_bytes().get(7), None | Some(b'-')));
    (year, month)
}

/// The partnerships of the volume `key`, in model order: "2024" holds a year's partnerships,
/// "2024-03" a month's, "2024-undated" those of 2024 with no month, "undated" those with no
/// year. (A key says what it holds, so a volume is found from its key alone.)
fn in_volume<'m>(ix: &Index<'m>, key: &str) -> Vec<&'m Partnership> {
    let groups = ix.by_month();
    let group = |year, month| groups.get(&(year, month)).into_iter().flatten().copied();
    match key.split_once('-') {
        None if key == "undated" => group(None, None).collect(),
        None => {
            let mut all: Vec<&Partnership> = groups
                .iter()
                .filter(|((y, _), _)| *y == Some(key))
                .flat_map(|(_, ps)| ps.iter().copied())
                .collect();
            all.sort_unstable_by_key(|p| std::ptr::from_ref(*p) as usize);
            all
        }
        Some((y, "undated")) => group(Some(y), None).collect(),
        Some((y, m)) => group(Some(y), Some(m)).collect(),
    }
}

/// The volumes of a briefing in volumes, each with its number of partnerships: one per year
/// of announcement, newest first, and "undated" last; a year with more partnerships than
/// `limit` (`briefing_limit`) comes as a volume per month instead, newest first, then one for
/// its partnerships with no month — so no volume grows with the years' size much past what
/// one book holds well, and a change touches a month's volume, not a year's.
pub fn volumes(model: &Model, limit: usize) -> Vec<(String, usize)> {
    let mut years: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for p in &model.partnerships {
        *years.entry(year_month(p).0).or_default() += 1;
    }
    let split = |year: Option<&str>| year.is_some() && years[&year] > limit;
    // Ranked newest first: year, then a month before the year's month-less volume.
    let mut counts: BTreeMap<(Option<&str>, Option<&str>), usize> = BTreeMap::new();
    for p in &model.partnerships {
        let (year, month) = year_month(p);
        *counts
            .entry((year, month.filter(|_| split(year))))
            .or_default() += 1;
    }
    counts
        .into_iter()
        .rev()
        .map(|((year, month), n)| {
            let key = match (year, month) {
                (None, _) => "undated".to_owned(),
                (Some(y), Some(m)) => format!("{y}-{m}"),
                (Some(y), None) if split(year) => format!("{y}-undated"),
                (Some(y), None) => y.to_owned(),
            };
            (key, n)
        })
        .collect()
}

impl<'m> Book<'m> {
    /// The whole site as one book.
    pub fn whole(ix: &Index<'m>) -> Book<'m> {
        let model = ix.model();
        Book {
            volume: None,
            partnerships: newest_partnerships(&model.partnerships, usize::MAX),
            organizations: model.organizations.iter().collect(),
            people: model.people.iter().collect(),
            topics: model.topics.iter().collect(),
            countries: model.countries.iter().collect(),
            events: model.events.iter().collect(),
            sources: model.sources.iter().collect(),
        }
    }

    /// One year's volume: its partnerships, their parties and the parties' people, their
    /// topics, the countries of those organizations and people, the events that involve the
    /// partnerships, and every source cited for them.
    pub fn volume(ix: &Index<'m>, year: &str) -> Book<'m> {
        // The volume's records are read as one answer (`Query::Volume`), not as the model.
        reads::note(|| Query::Volume(year.to_owned()));
        let mut book = reads::quietly(|| Book::volume_records(ix, year));
        book.partnerships.sort_by(|a, b| {
            format::by_date(b.announced.as_ref(), a.announced.as_ref()).then(a.id.cmp(&b.id))
        });
        book
    }

    /// The records of a volume as its answer (`Query::Volume`) digests them: every list in
    /// model order, the partnerships too, not newest first. The order the volume shows them
    /// in follows from their dates and ids, which their digests hold, and a rebuild answers
    /// every volume (sorting them took a fiftieth of a one-edit rebuild at 10k).
    pub fn volume_records(ix: &Index<'m>, year: &str) -> Book<'m> {
        // Found through the index's lookups from the volume's partnerships, so a volume
        // costs what it holds, not the size of the model.
        let partnerships = in_volume(ix, year);
        let parties: Vec<&str> = partnerships
            .iter()
            .flat_map(|p| p.parties.iter().map(String::as_str))
            .collect();
        let organizations = in_model_order(parties.iter().filter_map(|id| ix.org(id)).collect());
        let people = in_model_order(
            parties
                .iter()
                .flat_map(|id| ix.people_of(id).iter().copied())
                .collect(),
        );
        let topics = in_model_order(
            partnerships
                .iter()
                .flat_map(|p| p.focus.iter().filter_map(|t| ix.topic(t)))
                .collect(),
        );
        let countries = in_model_order(
            organizations
                .iter()
                .filter_map(|o| o.country.as_deref())
                .chain(people.iter().filter_map(|p| p.country.as_deref()))
                .filter_map(|c| ix.country(c))
                .collect(),
        );
        let events = in_model_order(
            partnerships
                .iter()
                .flat_map(|p| ix.events_of(&p.id).iter().copied())
                .collect(),
        );
        let sources = in_model_order(
            partnerships
                .iter()
                .flat_map(|p| {
                    p.citations.iter().chain(
                        ix.commitments_of_partnership(&p.id)
                            .iter()
                            .flat_map(|c| c.citations.iter()),
                    )
                })
                .chain(events.iter().flat_map(|e| e.citations.iter()))
                .filter_map(|c| ix.source(&c.source))
                .collect(),
        );
        Book {
            volume: Some(year.to_owned()),
            partnerships,
            organizations,
            people,
            topics,
            countries,
            events,
            sources,
        }
    }

    /// For a volume, the site paths of the records it holds (links to others are plain
    /// text); `None` for the whole site, which holds every record. Made for the volume's
    /// page only: the answer to `Query::Volume` is of the records, which decide it.
    pub fn holds(&self) -> Option<HashSet<String>> {
        self.volume.as_ref()?;
        let Book {
            partnerships,
            organizations,
            people,
            topics,
            countries,
            sources,
            ..
        } = self;
        Some(
            partnerships
                .iter()
                .map(|p| urls::record("partnerships", &p.id))
                .chain(
                    organizations
                        .iter()
                        .map(|o| urls::record("organizations", &o.id)),
                )
                .chain(people.iter().map(|p| urls::record("people", &p.id)))
                .chain(topics.iter().map(|t| urls::record("topics", &t.id)))
                .chain(countries.iter().map(|c| urls::record("countries", &c.id)))
                .chain(sources.iter().map(|s| urls::record("sources", &s.id)))
                .collect(),
        )
    }
}

/// Records borrowed from one list of the model, each once, in the list's order: the order of
/// their addresses, as a list's records sit side by side in it.
fn in_model_order<T>(mut records: Vec<&T>) -> Vec<&T> {
    records.sort_unstable_by_key(|r| std::ptr::from_ref(*r) as usize);
    records.dedup_by(|a, b| std::ptr::eq(*a, *b));
    records
}

/// A volume as the briefing's contents page lists it.
#[derive(Serialize)]
struct VolumeRow {
    title: String,
    href: String,
    partnerships: usize,
}

/// The contents of a briefing in volumes: one row per volume, newest first.
pub fn volumes_page(cx: &mut Cx<'_, '_>, ctx: &mut Context) {
    reads::note(|| Query::Volumes);
    let rows: Vec<VolumeRow> = reads::quietly(|| volumes(cx.ix.model(), cx.ix.volume_limit()))
        .into_iter()
        .map(|(year, n)| VolumeRow {
            title: volume_title(&year),
            href: cx.href(&urls::list(&format!("briefing/{year}"))),
            partnerships: n,
        })
        .collect();
    let mut figures = figures(cx);
    for f in &mut figures {
        f.href = None;
    }
    ctx.insert("figures", &figures);
    ctx.insert("volumes", &rows);
}

/// How a volume is named: "2024", "March 2024", "2024, month not stated", "Undated".
pub fn volume_title(key: &str) -> String {
    match key.strip_suffix("-undated") {
        _ if key == "undated" => "Undated".into(),
        Some(year) => format!("{year}, month not stated"),
        // "2024" or "2024-03": a date, read as one.
        None => format::date(&crate::model::Date(key.to_owned())).text,
    }
}

/// A briefing book as one document: cover, contents, every partnership, every organization,
/// a line per person, topic and country, the timeline and the sources, with every link kept
/// inside it (links to records a volume does not hold are plain text).
pub fn briefing<'m>(cx: &mut Cx<'_, 'm>, ctx: &mut Context, book: &Book<'m>) {
    let ix = cx.ix;
    cx.keep_links_inside(book.holds());
    let partnerships: Vec<_> = book
        .partnerships
        .iter()
        .map(|p| partnership(cx, p))
        .collect();
    let mut orgs: Vec<&Organization> = book.organizations.clone();
    orgs.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    let organizations: Vec<BriefOrg> = orgs
        .into_iter()
        .map(|o| {
            let own = ix.commitments_of_org(&o.id);
            let mut cites = cx.cite(&o.citations);
            cites.truncate(HEADING_CITES);
            BriefOrg {
                anchor: urls::briefing_anchor(&urls::record("organizations", &o.id))
                    .unwrap_or_default(),
                name: label(&o.name, &o.id).to_owned(),
                cites,
                kind: org_kind(o.kind),
                country: o.country.as_deref().map(|c| cx.country(c)),
                aliases: o.aliases.join(", ").trim_end_matches('.').to_owned(),
                partnerships: ix
                    .ids(List::PartnershipsOf, &o.id)
                    .into_iter()
                    .map(|id| cx.partnership(id))
                    .collect(),
                people: ix
                    .people_of(&o.id)
                    .iter()
                    .map(|p| BriefPerson {
                        name: label(&p.name, &p.id).to_owned(),
                        role: p.role.clone(),
                    })
                    .collect(),
                given: ix
                    .total_usd(own.iter().copied().filter(|c| c.from.contains(&o.id)))
                    .map(format::usd),
                received: ix
                    .total_usd(own.iter().copied().filter(|c| c.to.contains(&o.id)))
                    .map(format::usd),
            }
        })
        .collect();
    let mut events: Vec<_> = book.events.clone();
    events.sort_by(|a, b| format::by_date(Some(&a.date), Some(&b.date)).then(a.id.cmp(&b.id)));
    let events: Vec<_> = events.into_iter().map(|e| cx.event(e)).collect();
    let sources: Vec<_> = book
        .sources
        .iter()
        .map(|s| BriefSource {
            anchor: urls::briefing_anchor(&urls::record("sources", &s.id)).unwrap_or_default(),
            row: cx.source_row(s),
        })
        .collect();
    let dates = book
        .sources
        .iter()
        .filter_map(|s| s.published.as_ref())
        .chain(book.events.iter().map(|e| &e.date))
        .chain(
            book.partnerships
                .iter()
                .filter_map(|p| p.announced.as_ref()),
        );
    let first = dates
        .clone()
        .min_by(|a, b| format::by_date(Some(a), Some(b)));
    let last = dates.max_by(|a, b| format::by_date(Some(a), Some(b)));
    let scope = Scope {
        as_of: last.map(format::date),
        first: first.filter(|f| Some(*f) != last).map(format::date),
        partnerships: book.partnerships.len(),
        organizations: book.organizations.len(),
        countries: book.countries.len(),
        sources: book.sources.len(),
    };
    // The figures link to other pages on the site; here they are plain numbers.
    let mut figures = match book.volume {
        None => figures(cx),
        Some(_) => book_figures(cx, book),
    };
    for f in &mut figures {
        f.href = None;
    }
    ctx.insert("scope", &scope);
    ctx.insert("figures", &figures);
    ctx.insert("partnerships", &partnerships);
    ctx.insert("organizations", &organizations);
    ctx.insert("events", &events);
    ctx.insert("sources", &sources);
    ctx.insert("volume", &book.volume.as_deref().map(volume_title));
    super::briefing_lists::insert(cx, ctx, book);
}

/// The cover figures of one volume: what it holds, and the funding its partnerships state.
fn book_figures(cx: &Cx<'_, '_>, book: &Book<'_>) -> Vec<Figure> {
    let count = |label, n: usize| Figure {
        label,
        value: format::thousands(n as i64),
        href: None,
        wide: false,
    };
    let funding = cx.ix.total_usd(
        book.partnerships
            .iter()
            .flat_map(|p| cx.ix.commitments_of_partnership(&p.id).iter().copied()),
    );
    vec![
        count("Partnerships", book.partnerships.len()),
        count("Organizations", book.organizations.len()),
        count("People", book.people.len()),
        count("Countries", book.countries.len()),
        count("Sources", book.sources.len()),
        Figure {
            label: "Funding stated (USD)",
            value: funding.map_or("—".into(), format::usd),
            href: None,
            wide: true,
        },
    ]
}

/// A partnership with everything its page shows; the briefing shows the same.
#[derive(Serialize)]
pub struct PartnershipView {
    title: String,
    /// The partnership's page, or its section in the briefing.
    href: Option<String>,
    /// The id of its section in the briefing.
    anchor: String,
    cites: Vec<CiteRef>,
    parties: Vec<Party>,
    focus: Vec<Link>,
    announced: Option<format::DateView>,
    venue: Option<String>,
    occasion: Option<String>,
    funding: Option<String>,
    commitments: Vec<CommitmentView>,
    quotes: Vec<QuoteView>,
    also_quoted: Vec<QuoteView>,
    /// Others' quotes left out of `also_quoted` to keep the page short.
    more_quoted: usize,
    events: Vec<EventView>,
}

/// Others' quotes a partnership page shows at most: a long article quotes many people about
/// many things, and their own pages keep every quote.
const MAX_ALSO_QUOTED: usize = 8;

/// The quotes a partnership page shows: its parties' people's (party by party, then in model
/// order) and, apart, everyone else quoted in the sources that report it. A partnership no
/// source reports shows all its parties' people's quotes.
fn partnership_quotes<'m>(
    ix: &super::index::Index<'m>,
    p: &Partnership,
) -> (Vec<&'m Quote>, Vec<&'m Quote>) {
    let party_rank = |person: &Person| {
        person
            .organization
            .as_ref()
            .and_then(|o| p.parties.iter().position(|x| x == o))
    };
    if p.citations.is_empty() {
        let quotes = p
            .parties
            .iter()
            .flat_map(|org| ix.people_of(org))
            .flat_map(|person| &person.quotes)
            .collect();
        return (quotes, Vec::new());
    }
    let sources = crate::model::cited_sources(&p.citations);
    // (party rank, person position, quote position within the person) orders them as the
    // pages always have: by party, then by person, then as the person said them.
    let mut found: Vec<(Option<usize>, usize, usize, &'m Quote)> = Vec::new();
    for source in sources {
        for q in ix.quotes_in(source) {
            found.push((party_rank(q.person), q.person_at, q.quote_at, q.quote));
        }
    }
    found.sort_unstable_by_key(|&(rank, i, at, _)| (rank.is_none(), rank, i, at));
    let (party, others): (Vec<_>, Vec<_>) = found.into_iter().partition(|f| f.0.is_some());
    (
        party.into_iter().map(|f| f.3).collect(),
        others.into_iter().map(|f| f.3).collect(),
    )
}

/// A partnership: parties, focus, funding, dates, venue, occasion, quotes, timeline.
pub fn partnership<'m>(cx: &mut Cx<'_, 'm>, p: &'m Partnership) -> PartnershipView {
    let ix = cx.ix;
    let page = urls::record("partnerships", &p.id);
    let href = cx.target(&page);
    let anchor = urls::briefing_anchor(&page).unwrap_or_default();
    // In the briefing, this partnership's own section is "here" while it is being built.
    let outer = href
        .clone()
        .filter(|h| h.starts_with('#'))
        .map(|h| cx.set_here(h));
    let parties: Vec<Party> = p
        .parties
        .iter()
        .map(|id| {
            let org = ix.org(id.as_str());
            Party {
                link: cx.org(id),
                kind: org.map_or("", |o| org_kind(o.kind)),
                country: org
                    .and_then(|o| o.country.as_deref())
                    .map(|c| cx.country(c)),
            }
        })
        .collect();
    let cites = cx.cite(&p.citations);
    let commitments = ix.commitments_of_partnership(&p.id);
    let funding = ix.total_usd(commitments.iter().copied()).map(format::usd);
    let commitments: Vec<_> = commitments.iter().map(|c| cx.commitment(c)).collect();
    // Quotes of the parties' people, from the sources that report this partnership, party by
    // party; then others quoted in the same reporting (officials, funders), so no voice gets
    // lost. Gathered from the sources' quotes, so the cost follows this partnership's
    // reporting, not the size of the model.
    let (quotes, mut also_quoted) = partnership_quotes(ix, p);
    let more_quoted = also_quoted.len().saturating_sub(MAX_ALSO_QUOTED);
    also_quoted.truncate(MAX_ALSO_QUOTED);
    let mut commitments = commitments;
    for c in &mut commitments {
        // On its own page, "to this partnership" goes without saying.
        let before = c.to.len();
        c.to.retain(|l| !l.here);
        c.shared = c.to.len() < before && !c.to.is_empty();
    }
    let view = PartnershipView {
        title: label(&p.title, &p.id).to_owned(),
        href,
        anchor,
        cites,
        parties,
        focus: p.focus.iter().map(|t| cx.topic(t)).collect(),
        announced: p.announced.as_ref().map(format::date),
        venue: p.venue.clone(),
        occasion: p.occasion.clone(),
        funding,
        commitments,
        quotes: quotes.into_iter().map(|q| cx.quote(q)).collect(),
        also_quoted: also_quoted.into_iter().map(|q| cx.quote(q)).collect(),
        more_quoted,
        events: ix.events_of(&p.id).iter().map(|e| cx.event(e)).collect(),
    };
    if let Some(outer) = outer {
        cx.set_here(outer);
    }
    view
}

/// An organization: kind, country, partnerships, commitments, people, timeline, mentions.
pub fn organization<'m>(cx: &mut Cx<'_, 'm>, ctx: &mut Context, o: &'m Organization) {
    let ix = cx.ix;
    let mut cites = cx.cite(&o.citations);
    // Every mention is a footnote; the name carries only the first few marks.
    cites.truncate(HEADING_CITES);
    let partnerships: Vec<_> = ix
        .partnerships_of(&o.id)
        .iter()
        .map(|p| cx.partnership_row(p))
        .collect();
    let partners = partner_counts(
        ix.partnerships_of(&o.id).iter().flat_map(|p| &p.parties),
        &o.id,
    )
    .into_iter()
    .map(|(id, n)| Counted {
        link: cx.org(id),
        count: n,
    })
    .collect::<Vec<_>>();
    let own = ix.commitments_of_org(&o.id);
    // A commitment made jointly counts in full for each of its givers: the text says so.
    let given = ix.total_usd(own.iter().copied().filter(|c| c.from.contains(&o.id)));
    let received = ix.total_usd(own.iter().copied().filter(|c| c.to.contains(&o.id)));
    let commitments: Vec<_> = own.iter().map(|c| cx.commitment(c)).collect();
    let people: Vec<_> = ix
        .people_of(&o.id)
        .iter()
        .map(|p| cx.person_row(p))
        .collect();
    let events: Vec<_> = ix.events_of(&o.id).iter().map(|e| cx.event(e)).collect();
    ctx.insert("kind", org_kind(o.kind));
    ctx.insert("partners", &partners);
    ctx.insert("given", &given.map(format::usd));
    ctx.insert("received", &received.map(format::usd));
    ctx.insert("aliases", &o.aliases);
    ctx.insert("country", &o.country.as_deref().map(|c| cx.country(c)));
    ctx.insert("partnerships", &partnerships);
    ctx.insert("commitments", &commitments);
    ctx.insert("people", &people);
    ctx.insert("events", &events);
    ctx.insert("cites", &cites);
}

/// A person: role, organization, quotes, their organization's partnerships, timeline.
pub fn person<'m>(cx: &mut Cx<'_, 'm>, ctx: &mut Context, p: &'m Person) {
    let ix = cx.ix;
    let mut cites = cx.cite(&p.citations);
    cites.truncate(HEADING_CITES);
    let quotes: Vec<_> = p.quotes.iter().map(|q| cx.quote(q)).collect();
    let org_partnerships = p
        .organization
        .as_deref()
        .map_or(&[][..], |o| ix.partnerships_of(o));
    let partnerships: Vec<_> = org_partnerships
        .iter()
        .map(|pp| cx.partnership_row(pp))
        .collect();
    let events: Vec<_> = ix.events_of(&p.id).iter().map(|e| cx.event(e)).collect();
    ctx.insert("aliases", &p.aliases);
    ctx.insert("role", &p.role);
    ctx.insert(
        "organization",
        &p.organization.as_deref().map(|o| cx.org(o)),
    );
    ctx.insert("country", &p.country.as_deref().map(|c| cx.country(c)));
    ctx.insert("quotes", &quotes);
    ctx.insert("partnerships", &partnerships);
    ctx.insert("events", &events);
    ctx.insert("cites", &cites);
}

/// A topic: its partnerships and the organizations most active in it.
pub fn topic(
    cx: &mut Cx<'_, '_>,
    ctx: &mut Context,
    t: &Topic,
    page: &[&Partnership],
    first_page: bool,
) {
    // The organizations active on the topic head its first page: of all its partnerships.
    if first_page {
        let active: Vec<Counted> = (cx.ix.active_on(&t.id).into_iter())
            .map(|(id, n)| Counted {
                link: cx.org(id),
                count: n,
            })
            .collect();
        ctx.insert("organizations", &active);
    } else {
        ctx.insert("organizations", &Vec::<Counted>::new());
    }
    let rows: Vec<_> = page.iter().map(|p| cx.partnership_row(p)).collect();
    ctx.insert("partnerships", &rows);
}

/// A country: its organizations, their partnerships, its people.
pub fn country(cx: &mut Cx<'_, '_>, ctx: &mut Context, c: &Country) {
    let ix = cx.ix;
    let orgs = ix.orgs_in(&c.id);
    let mut partnerships: Vec<&Partnership> = Vec::new();
    for o in orgs {
        for p in ix.partnerships_of(&o.id) {
            if !partnerships.iter().any(|x| x.id == p.id) {
                partnerships.push(p);
            }
        }
    }
    partnerships.sort_by(|a, b| a.id.cmp(&b.id));
    // Each other country once per partnership it shares with this one.
    let mut abroad: Vec<String> = Vec::new();
    for p in &partnerships {
        let mut seen: Vec<&str> = Vec::new();
        for party in &p.parties {
            let country = ix
                .org(party.as_str())
                .and_then(|o| o.country.as_deref())
                .and_then(|n| ix.country_card(n));
            if let Some(other) = country.filter(|x| x.id != c.id && !seen.contains(&x.id)) {
                seen.push(other.id);
                abroad.push(other.id.to_owned());
            }
        }
    }
    let partner_countries: Vec<Counted> = partner_counts(abroad.iter(), &c.id)
        .into_iter()
        .map(|(id, n)| Counted {
            link: cx.country(id),
            count: n,
        })
        .collect();
    let from_here = |p: &&Person| {
        p.country
            .as_deref()
            .and_then(|n| ix.country_card(n))
            .is_some_and(|x| x.id == c.id)
            || p.organization
                .as_deref()
                .is_some_and(|o| orgs.iter().any(|x| x.id == o))
    };
    let people: Vec<_> = ix
        .people()
        .iter()
        .filter(from_here)
        .map(|p| cx.person_row(p))
        .collect();
    let orgs: Vec<_> = orgs.iter().map(|o| cx.org_row(o)).collect();
    let partnerships: Vec<_> = partnerships.iter().map(|p| cx.partnership_row(p)).collect();
    ctx.insert("organizations", &orgs);
    ctx.insert("partner_countries", &partner_countries);
    ctx.insert("partnerships", &partnerships);
    ctx.insert("people", &people);
}

/// A year of the timeline as its contents page lists it.
#[derive(Serialize)]
struct YearRow {
    title: String,
    href: String,
    events: usize,
}

/// The contents of a timeline in years: one row per year, oldest first.
pub fn timeline_years(cx: &mut Cx<'_, '_>, ctx: &mut Context) {
    let rows: Vec<YearRow> = (cx.ix.event_years().into_iter())
        .map(|(year, events)| YearRow {
            title: volume_title(&year),
            href: cx.href(&urls::list(&format!("timeline/{year}"))),
            events,
        })
        .collect();
    ctx.insert("years", &Vec::<YearGroup<EventView>>::new());
    ctx.insert("volumes", &rows);
}

/// The dated events given, oldest first, grouped by year.
pub fn timeline<'m>(cx: &mut Cx<'_, 'm>, ctx: &mut Context, mut events: Vec<&'m Event>) {
    // Keyed once per event: a date's sort key is made byte by byte on each comparison.
    events.sort_by_cached_key(|e| (format::date_key(&e.date), &e.id));
    let mut years: Vec<YearGroup<_>> = Vec::new();
    for e in events {
        let year = volume_title(super::index::event_year(&e.date));
        let view = cx.event(e);
        match years.last_mut() {
            Some(g) if g.year == year => g.events.push(view),
            _ => years.push(YearGroup {
                year,
                events: vec![view],
            }),
        }
    }
    ctx.insert("years", &years);
    ctx.insert("volumes", &Vec::<YearRow>::new());
}
