//! Small views for templates: links, citation marks, and summary rows, each built for one page.

use super::format::{self, DateView};
use super::index::Index;
use super::reads::List;
use super::urls;
use crate::model::{
    Citation, Commitment, CommitmentStatus, Event, OrgKind, Organization, Partnership, Person,
    Quote, Source, SourceKind,
};
use serde::Serialize;
use std::sync::Arc;
// foldhash, randomly seeded per run like std's SipHash but several times faster: SipHash was
// a tenth of the time spent building pages.
use foldhash::{HashMap, HashSet};

/// How many parties a row in a list of partnerships names before "and N more".
const ROW_PARTIES: usize = 4;

/// A name that links to its page when there is one.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub href: Option<String>,
    /// True when the link would lead to the page it is on; it then has no href.
    #[serde(skip)]
    pub here: bool,
}

/// A citation mark next to a fact: its footnote number, the sentence it links to.
#[derive(Debug, Clone, Serialize)]
pub struct CiteRef {
    pub n: usize,
    pub href: Option<String>,
    /// The cited sentence, for the tooltip; empty in the briefing, whose endnotes hold it.
    pub title: Arc<str>,
}

/// A footnote at the foot of a page: the sentence, where it is, and a link to it.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub n: usize,
    pub href: Option<String>,
    pub sentence: Arc<str>,
    pub source: Link,
    /// 1-based paragraph number, for people.
    pub paragraph: usize,
    /// The source's own web address, printed with the note.
    pub url: Option<String>,
}

/// One page's view builder: links relative to the page, citations numbered in order of use.
pub struct Cx<'a, 'm> {
    pub ix: &'a Index<'m>,
    /// Prefix from this page back to the site root.
    pub root: String,
    /// The href of this page itself, so lists can leave out a link to where the reader is.
    here: String,
    notes: Vec<Note>,
    /// Each cited sentence's note number, by (source, paragraph, sentence index, sentence).
    seen: HashMap<(&'m str, usize, usize, &'m str), usize>,
    /// True on the briefing: links go to its own sections, never to other pages.
    inside: bool,
    /// In a briefing volume, the site paths of the records it holds; links to others are
    /// plain text.
    holds: Option<HashSet<String>>,
}

impl<'a, 'm> Cx<'a, 'm> {
    /// A builder for the page at site path `page` whose root prefix is `root`.
    pub fn new(ix: &'a Index<'m>, root: impl Into<String>, page: &str) -> Self {
        let root = root.into();
        Cx {
            ix,
            here: [root.as_str(), page].concat(),
            root,
            notes: Vec::new(),
            seen: HashMap::default(),
            inside: false,
            holds: None,
        }
    }

    /// The page-relative href of a site path. (Joined with `concat`, not `format!`: a
    /// page makes hundreds, and `format!` costs several times more for two strings.)
    pub fn href(&self, site_path: &str) -> String {
        [self.root.as_str(), site_path].concat()
    }

    /// From now on, links lead to sections of this page (`#partnership-<id>`,
    /// `#organization-<id>`, `#source-<id>`, `#cite-<n>`) and records it lacks are plain text,
    /// so the briefing reads, prints and saves as one self-contained document. `holds` lists
    /// the records' site paths when the page holds only some (a volume).
    pub fn keep_links_inside(&mut self, holds: Option<HashSet<String>>) {
        self.inside = true;
        self.holds = holds;
    }

    /// Treats links to `href` as links to where the reader is (so they become plain text) and
    /// returns what was treated so before; the briefing sets it to each section it builds.
    pub fn set_here(&mut self, href: String) -> String {
        std::mem::replace(&mut self.here, href)
    }

    /// Where a link to the page at `site_path` goes from this page, if anywhere.
    pub fn target(&self, site_path: &str) -> Option<String> {
        if self.inside {
            let page = site_path.split('#').next().unwrap_or_default();
            if self.holds.as_ref().is_some_and(|h| !h.contains(page)) {
                return None;
            }
            urls::briefing_anchor(site_path).map(|a| ["#", &a].concat())
        } else {
            Some(self.href(site_path))
        }
    }

    fn link(&self, name: &str, site_path: Option<String>) -> Link {
        let href = site_path.and_then(|p| self.target(&p));
        let here = href.as_deref() == Some(self.here.as_str());
        Link {
            name: name.to_owned(),
            href: href.filter(|_| !here),
            here,
        }
    }

    /// Link to an organization by id; unknown ids show as text.
    pub fn org(&self, id: &str) -> Link {
        match self.ix.org_card(id) {
            Some(o) => self.link(
                label(o.name, o.id),
                Some(urls::record("organizations", o.id)),
            ),
            None => self.link(id, None),
        }
    }

    /// Link to a person by id.
    pub fn person(&self, id: &str) -> Link {
        match self.ix.person_card(id) {
            Some(p) => self.link(label(p.name, p.id), Some(urls::record("people", p.id))),
            None => self.link(id, None),
        }
    }

    /// Link to a partnership by id.
    pub fn partnership(&self, id: &str) -> Link {
        match self.ix.partnership_card(id) {
            Some(p) => {
                let mut name = label(p.title, p.id).to_owned();
                if let Some(d) = p.announced.filter(|_| self.ix.title_is_shared(p.title)) {
                    name = format!("{name} ({})", format::date(d).text);
                }
                self.link(&name, Some(urls::record("partnerships", p.id)))
            }
            None => self.link(id, None),
        }
    }

    /// Link to a topic by id or name.
    pub fn topic(&self, id_or_name: &str) -> Link {
        match self.ix.topic_card(id_or_name) {
            Some(t) => self.link(t.name, Some(urls::record("topics", t.id))),
            None => self.link(id_or_name, None),
        }
    }

    /// Link to a country by id or name.
    pub fn country(&self, id_or_name: &str) -> Link {
        match self.ix.country_card(id_or_name) {
            Some(c) => self.link(c.name, Some(urls::record("countries", c.id))),
            None => self.link(id_or_name, None),
        }
    }

    /// Link to a source by id, named by its title.
    pub fn source(&self, id: &str) -> Link {
        match self.ix.source_card(id) {
            Some(s) => self.link(label(s.title, s.path), Some(urls::record("sources", s.id))),
            None => self.link(id, None),
        }
    }

    /// Link to whatever record has this id: partnership, organization, person, topic or country.
    pub fn entity(&self, id: &str) -> Link {
        if self.ix.partnership_card(id).is_some() {
            self.partnership(id)
        } else if self.ix.org_card(id).is_some() {
            self.org(id)
        } else if self.ix.person_card(id).is_some() {
            self.person(id)
        } else if self.ix.topic_card(id).is_some() {
            self.topic(id)
        } else {
            self.country(id)
        }
    }

    /// Where a citation points: the sentence's anchor in its source page. A stale index is
    /// mended by finding the sentence text; an unknown sentence links to the page top.
    fn cite_target(&self, c: &Citation) -> Option<String> {
        let source = self.ix.source_card(&c.source)?;
        let page = urls::record("sources", source.id);
        if self.inside {
            return self.target(&page);
        }
        Some(match self.ix.sentence_of(c) {
            Some((p, s)) => {
                let mut href = self.href(&page);
                href.push('#');
                href.push_str(&urls::sentence_anchor(p, s));
                href
            }
            None => self.href(&page),
        })
    }

    /// Citation marks for a fact, registering each citation as a footnote of this page.
    ///
    /// In a briefing volume, a fact is cited by the volume's own sources (the articles it
    /// holds) when any of them cites it, and otherwise by its first citation alone: an
    /// organization named in hundreds of articles would otherwise bring them all into every
    /// volume it appears in, and a volume's endnotes would grow with the whole site.
    pub fn cite(&mut self, citations: &'m [Citation]) -> Vec<CiteRef> {
        let citations: Vec<&'m Citation> = match &self.holds {
            Some(holds) => {
                let mut path = String::new();
                let held = |c: &&Citation| {
                    urls::record_into(&mut path, "sources", &c.source);
                    holds.contains(path.as_str())
                };
                let inside: Vec<&Citation> = citations.iter().filter(held).collect();
                if inside.is_empty() {
                    citations.iter().take(1).collect()
                } else {
                    inside
                }
            }
            None => citations.iter().collect(),
        };
        let mut out: Vec<CiteRef> = Vec::new();
        let mut marked = HashSet::default();
        for c in citations {
            let key = (&*c.source, c.paragraph, c.sentence_index, &*c.sentence);
            let n = match self.seen.get(&key) {
                Some(n) => *n,
                None => {
                    let n = self.notes.len() + 1;
                    self.notes.push(Note {
                        n,
                        href: self.cite_target(c),
                        sentence: c.sentence.clone(),
                        source: self.source(&c.source),
                        paragraph: c.paragraph + 1,
                        url: self
                            .ix
                            .source_card(&c.source)
                            .and_then(|s| s.url)
                            .and_then(urls::http_url)
                            .map(str::to_owned),
                    });
                    self.seen.insert(key, n);
                    n
                }
            };
            if marked.insert(n) {
                let note = &self.notes[n - 1];
                out.push(CiteRef {
                    n,
                    href: if self.inside {
                        Some(format!("#cite-{n}"))
                    } else {
                        note.href.clone()
                    },
                    // In the briefing the mark leads to its endnote, which reads the sentence
                    // out; a tooltip copy of it on every mark would double a large briefing.
                    title: if self.inside {
                        Arc::from("")
                    } else {
                        note.sentence.clone()
                    },
                });
            }
        }
        out
    }

    /// The footnotes this page registered, in number order.
    pub fn into_notes(self) -> Vec<Note> {
        self.notes
    }

    /// A summary row for a list of partnerships.
    pub fn partnership_row(&self, p: &Partnership) -> PartnershipRow {
        let commitments = self.ix.commitments_of_partnership(&p.id);
        PartnershipRow {
            title: label(&p.title, &p.id).to_owned(),
            href: self.href(&urls::record("partnerships", &p.id)),
            parties: p
                .parties
                .iter()
                .take(ROW_PARTIES)
                .map(|id| self.org(id))
                .collect(),
            more_parties: p.parties.len().saturating_sub(ROW_PARTIES),
            focus: p.focus.iter().map(|id| self.topic(id)).collect(),
            announced: p.announced.as_ref().map(format::date),
            funding: self
                .ix
                .total_usd(commitments.iter().copied())
                .map(format::usd),
            commitments: commitments.len(),
        }
    }

    /// A summary row for a list of organizations.
    pub fn org_row(&self, o: &Organization) -> OrgRow {
        OrgRow {
            name: label(&o.name, &o.id).to_owned(),
            href: self.href(&urls::record("organizations", &o.id)),
            kind: org_kind(o.kind),
            country: o.country.as_deref().map(|c| self.country(c)),
            partnerships: self.ix.count(List::PartnershipsOf, &o.id),
            people: self.ix.count(List::PeopleOf, &o.id),
            commitments: self.ix.count(List::CommitmentsOfOrg, &o.id),
        }
    }

    /// A summary row for a list of people.
    pub fn person_row(&self, p: &Person) -> PersonRow {
        PersonRow {
            name: label(&p.name, &p.id).to_owned(),
            href: self.href(&urls::record("people", &p.id)),
            role: p.role.clone(),
            organization: p.organization.as_deref().map(|o| self.org(o)),
            quotes: p.quotes.len(),
        }
    }

    /// A summary row for a list of sources.
    pub fn source_row(&self, s: &Source) -> SourceRow {
        SourceRow {
            title: label(&s.title, &s.path).to_owned(),
            href: self.href(&urls::record("sources", &s.id)),
            publisher: s.publisher.clone(),
            author: s.author.clone(),
            published: s.published.as_ref().map(format::date),
            kind: source_kind(s.kind),
            url: s.url.as_deref().and_then(urls::http_url).map(str::to_owned),
            url_withheld: s
                .url
                .as_deref()
                .is_some_and(|u| urls::http_url(u).is_none()),
            paragraphs: s.paragraphs.len(),
        }
    }

    /// A dated event with its links and citation marks.
    pub fn event(&mut self, e: &'m Event) -> EventView {
        EventView {
            date: format::date(&e.date),
            title: e.title.clone(),
            involves: e
                .involves
                .iter()
                .map(|id| self.entity(id))
                .filter(|l| !l.here)
                .collect(),
            cites: self
                .cite(&e.citations)
                .into_iter()
                .map(|mut c| {
                    // An event told in its cited sentence's own words needs no tooltip of it.
                    if c.title.trim() == e.title.trim() {
                        c.title = Arc::from("");
                    }
                    c
                })
                .collect(),
        }
    }

    /// A commitment of money with who gives, who receives, and its citations.
    pub fn commitment(&mut self, c: &'m Commitment) -> CommitmentView {
        let (amount, usd) = format::amount(&c.amount);
        CommitmentView {
            amount,
            usd,
            from: c.from.iter().map(|id| self.org(id)).collect(),
            to: c.to.iter().map(|id| self.entity(id)).collect(),
            purpose: c.purpose.clone(),
            status: commitment_status(c.status),
            part_of: c
                .part_of
                .as_deref()
                .and_then(|id| self.ix.commitment(id))
                .map(|p| p.amount.text.clone()),
            shared: false,
            cites: self.cite(&c.citations),
        }
    }

    /// A quote with its speaker and citation mark.
    pub fn quote(&mut self, q: &'m Quote) -> QuoteView {
        let speaker = q.speaker.as_deref().and_then(|id| self.ix.person(id));
        QuoteView {
            text: q.text.clone(),
            speaker: speaker.map(|p| self.person(&p.id)),
            role: speaker.and_then(|p| p.role.clone()),
            cites: self.cite(std::slice::from_ref(&q.citation)),
        }
    }
}

/// A record's name for people, or its id when the name is blank.
pub fn label<'s>(name: &'s str, id: &'s str) -> &'s str {
    if name.trim().is_empty() { id } else { name }
}

/// A partnership in a list.
#[derive(Debug, Serialize)]
pub struct PartnershipRow {
    pub title: String,
    pub href: String,
    /// The first few parties; `more_parties` says how many are left out.
    pub parties: Vec<Link>,
    pub more_parties: usize,
    pub focus: Vec<Link>,
    pub announced: Option<DateView>,
    /// Total in US dollars where amounts are known.
    pub funding: Option<String>,
    pub commitments: usize,
}

/// An organization in a list.
#[derive(Debug, Serialize)]
pub struct OrgRow {
    pub name: String,
    pub href: String,
    pub kind: &'static str,
    pub country: Option<Link>,
    pub partnerships: usize,
    pub people: usize,
    pub commitments: usize,
}

/// A person in a list.
#[derive(Debug, Serialize)]
pub struct PersonRow {
    pub name: String,
    pub href: String,
    pub role: Option<String>,
    pub organization: Option<Link>,
    pub quotes: usize,
}

/// A source in a list, or the head of its own page.
#[derive(Debug, Serialize)]
pub struct SourceRow {
    pub title: String,
    pub href: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateView>,
    pub kind: &'static str,
    /// The original URL, only when it is http or https.
    pub url: Option<String>,
    /// True when the source names an address that is not http or https; it is not shown.
    pub url_withheld: bool,
    pub paragraphs: usize,
}

/// An event on a timeline.
#[derive(Debug, Serialize)]
pub struct EventView {
    pub date: DateView,
    pub title: String,
    pub involves: Vec<Link>,
    pub cites: Vec<CiteRef>,
}

/// A commitment of money.
#[derive(Debug, Serialize)]
pub struct CommitmentView {
    /// The amount as the source writes it.
    pub amount: String,
    /// Its value in US dollars when the source currency is another one.
    pub usd: Option<String>,
    pub from: Vec<Link>,
    pub to: Vec<Link>,
    pub purpose: Option<String>,
    pub status: &'static str,
    /// The amount of the larger commitment this one is part of.
    pub part_of: Option<String>,
    /// True on a partnership's page when the money also goes to the other recipients listed.
    pub shared: bool,
    pub cites: Vec<CiteRef>,
}

/// A quote.
#[derive(Debug, Serialize)]
pub struct QuoteView {
    pub text: String,
    pub speaker: Option<Link>,
    pub role: Option<String>,
    pub cites: Vec<CiteRef>,
}

/// A readable label for an organization kind.
pub fn org_kind(k: OrgKind) -> &'static str {
    match k {
        OrgKind::University => "University",
        OrgKind::Company => "Company",
        OrgKind::Government => "Government",
        OrgKind::Lab => "Laboratory",
        OrgKind::Nonprofit => "Nonprofit",
        OrgKind::Consortium => "Consortium",
        OrgKind::Other => "Organization",
    }
}

/// A readable label for a source kind.
pub fn source_kind(k: SourceKind) -> &'static str {
    match k {
        SourceKind::News => "News article",
        SourceKind::PressRelease => "Press release",
        SourceKind::Note => "Note",
    }
}

/// A readable label for a commitment status.
pub fn commitment_status(s: CommitmentStatus) -> &'static str {
    match s {
        CommitmentStatus::Announced => "announced",
        CommitmentStatus::Pledged => "pledged",
        CommitmentStatus::Invested => "invested",
        CommitmentStatus::Other => "other",
    }
}
