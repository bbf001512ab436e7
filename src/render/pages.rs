//! The pages of the site: which pages there are, and the Tera context of each.

use super::format;
use super::index::Index;
use super::text::Linker;
use super::urls;
use super::views::{Cx, Link};
use crate::config::Config;
use crate::model::{Country, Model, Organization, Partnership, Person, Source, Topic};
use serde::Serialize;
use tera::Context;

/// What a page shows.
pub enum Kind<'m> {
    Home,
    Partnerships,
    Partnership(&'m Partnership),
    Organizations,
    Organization(&'m Organization),
    People,
    Person(&'m Person),
    Topics,
    Topic(&'m Topic),
    Countries,
    Country(&'m Country),
    Sources,
    Source(&'m Source),
    Timeline,
    NotFound,
}

/// One page to render: where it goes, with which template, showing what.
pub struct Job<'m> {
    pub path: String,
    pub template: &'static str,
    pub kind: Kind<'m>,
}

/// Every HTML page of the site for this model.
pub fn jobs(model: &Model) -> Vec<Job<'_>> {
    let job = |path: String, template, kind| Job {
        path,
        template,
        kind,
    };
    let mut out = vec![
        job("index.html".into(), "index.html", Kind::Home),
        job(
            urls::list("partnerships"),
            "partnerships.html",
            Kind::Partnerships,
        ),
        job(
            urls::list("organizations"),
            "organizations.html",
            Kind::Organizations,
        ),
        job(urls::list("people"), "people.html", Kind::People),
        job(urls::list("topics"), "topics.html", Kind::Topics),
        job(urls::list("countries"), "countries.html", Kind::Countries),
        job(urls::list("sources"), "sources.html", Kind::Sources),
        job(urls::list("timeline"), "timeline.html", Kind::Timeline),
        job("404.html".into(), "404.html", Kind::NotFound),
    ];
    out.extend(model.partnerships.iter().map(|p| {
        job(
            urls::record("partnerships", &p.id),
            "partnership.html",
            Kind::Partnership(p),
        )
    }));
    out.extend(model.organizations.iter().map(|o| {
        job(
            urls::record("organizations", &o.id),
            "organization.html",
            Kind::Organization(o),
        )
    }));
    out.extend(model.people.iter().map(|p| {
        job(
            urls::record("people", &p.id),
            "person.html",
            Kind::Person(p),
        )
    }));
    out.extend(
        model
            .topics
            .iter()
            .map(|t| job(urls::record("topics", &t.id), "topic.html", Kind::Topic(t))),
    );
    out.extend(model.countries.iter().map(|c| {
        job(
            urls::record("countries", &c.id),
            "country.html",
            Kind::Country(c),
        )
    }));
    out.extend(model.sources.iter().map(|s| {
        job(
            urls::record("sources", &s.id),
            "source.html",
            Kind::Source(s),
        )
    }));
    out
}

/// The site's sections, in navigation order: (section, label).
const NAV: &[(&str, &str)] = &[
    ("home", "Overview"),
    ("partnerships", "Partnerships"),
    ("organizations", "Organizations"),
    ("people", "People"),
    ("topics", "Topics"),
    ("countries", "Countries"),
    ("timeline", "Timeline"),
    ("sources", "Sources"),
];

#[derive(Serialize)]
struct NavItem {
    label: &'static str,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
}

#[derive(Serialize)]
struct Figure {
    label: &'static str,
    value: String,
    href: Option<String>,
}

#[derive(Serialize)]
struct Party {
    link: Link,
    kind: &'static str,
    country: Option<Link>,
}

#[derive(Serialize)]
struct SentenceView {
    anchor: String,
    runs: Vec<Link>,
}

#[derive(Serialize)]
struct YearGroup<T> {
    year: String,
    events: Vec<T>,
}

/// Everything a page needs besides its template: the model lookups, the linker, the config.
pub struct Env<'a, 'm> {
    pub ix: &'a Index<'m>,
    pub linker: &'a Linker,
    pub config: &'a Config,
}

impl Env<'_, '_> {
    /// The Tera context of one page.
    pub fn context(&self, job: &Job<'_>) -> Context {
        let ix = self.ix;
        let model = ix.model;
        let root = match (
            &job.kind,
            self.config.base_url.as_deref().and_then(urls::http_url),
        ) {
            // A 404 page is served at any depth, so only an absolute root can find the assets.
            (Kind::NotFound, Some(base)) => format!("{}/", base.trim_end_matches('/')),
            _ => urls::root_for(&job.path),
        };
        let mut cx = Cx::new(ix, root.clone());
        let mut ctx = Context::new();
        let (section, title): (&str, String) = match &job.kind {
            Kind::Home => {
                let total = ix.total_usd(&model.commitments);
                let figures = vec![
                    figure(
                        "Partnerships",
                        model.partnerships.len(),
                        Some(cx.href(&urls::list("partnerships"))),
                    ),
                    figure(
                        "Organizations",
                        model.organizations.len(),
                        Some(cx.href(&urls::list("organizations"))),
                    ),
                    figure(
                        "People",
                        model.people.len(),
                        Some(cx.href(&urls::list("people"))),
                    ),
                    figure(
                        "Countries",
                        model.countries.len(),
                        Some(cx.href(&urls::list("countries"))),
                    ),
                    figure(
                        "Sources",
                        model.sources.len(),
                        Some(cx.href(&urls::list("sources"))),
                    ),
                    Figure {
                        label: "Funding stated (USD)",
                        value: total.map_or("—".into(), format::usd),
                        href: None,
                    },
                ];
                let mut partnerships: Vec<&Partnership> = model.partnerships.iter().collect();
                partnerships.sort_by(|a, b| b.announced.cmp(&a.announced).then(a.id.cmp(&b.id)));
                let rows: Vec<_> = partnerships.iter().map(|p| cx.partnership_row(p)).collect();
                let mut events: Vec<_> = model.events.iter().collect();
                events.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
                let recent: Vec<_> = events.into_iter().take(8).map(|e| cx.event(e)).collect();
                let sources: Vec<_> = model.sources.iter().map(|s| cx.source_row(s)).collect();
                ctx.insert("figures", &figures);
                ctx.insert("partnerships", &rows);
                ctx.insert("recent", &recent);
                ctx.insert("sources", &sources);
                ("home", self.config.title.clone())
            }
            Kind::Partnerships => {
                let rows: Vec<_> = model
                    .partnerships
                    .iter()
                    .map(|p| cx.partnership_row(p))
                    .collect();
                ctx.insert("partnerships", &rows);
                ("partnerships", "Partnerships".into())
            }
            Kind::Partnership(p) => {
                let parties: Vec<Party> = p
                    .parties
                    .iter()
                    .map(|id| Party {
                        link: cx.org(id),
                        kind: ix
                            .orgs
                            .get(id.as_str())
                            .map_or("", |o| super::views::org_kind(o.kind)),
                        country: ix
                            .orgs
                            .get(id.as_str())
                            .and_then(|o| o.country.as_deref())
                            .map(|c| cx.country(c)),
                    })
                    .collect();
                let cites = cx.cite(&p.citations);
                let commitments = ix.commitments_of_partnership(&p.id);
                let funding = ix.total_usd(commitments.iter().copied()).map(format::usd);
                let commitments: Vec<_> = commitments.iter().map(|c| cx.commitment(c)).collect();
                let sources: Vec<&str> = p.citations.iter().map(|c| c.source.as_str()).collect();
                let mut quotes = Vec::new();
                for org in &p.parties {
                    for person in ix.people_of(org) {
                        for q in &person.quotes {
                            if sources.is_empty() || sources.contains(&q.citation.source.as_str()) {
                                quotes.push(q);
                            }
                        }
                    }
                }
                let quotes: Vec<_> = quotes.into_iter().map(|q| cx.quote(q)).collect();
                let events: Vec<_> = ix.events_of(&p.id).iter().map(|e| cx.event(e)).collect();
                ctx.insert("parties", &parties);
                ctx.insert(
                    "focus",
                    &p.focus.iter().map(|t| cx.topic(t)).collect::<Vec<_>>(),
                );
                ctx.insert("announced", &p.announced.as_ref().map(format::date));
                ctx.insert("venue", &p.venue);
                ctx.insert("occasion", &p.occasion);
                ctx.insert("funding", &funding);
                ctx.insert("commitments", &commitments);
                ctx.insert("quotes", &quotes);
                ctx.insert("events", &events);
                ctx.insert("cites", &cites);
                ("partnerships", p.title.clone())
            }
            Kind::Organizations => {
                let rows: Vec<_> = model.organizations.iter().map(|o| cx.org_row(o)).collect();
                ctx.insert("organizations", &rows);
                ("organizations", "Organizations".into())
            }
            Kind::Organization(o) => {
                let cites = cx.cite(&o.citations);
                let partnerships: Vec<_> = ix
                    .partnerships_of(&o.id)
                    .iter()
                    .map(|p| cx.partnership_row(p))
                    .collect();
                let commitments: Vec<_> = ix
                    .commitments_of_org(&o.id)
                    .iter()
                    .map(|c| cx.commitment(c))
                    .collect();
                let people: Vec<_> = ix
                    .people_of(&o.id)
                    .iter()
                    .map(|p| cx.person_row(p))
                    .collect();
                let events: Vec<_> = ix.events_of(&o.id).iter().map(|e| cx.event(e)).collect();
                ctx.insert("kind", super::views::org_kind(o.kind));
                ctx.insert("aliases", &o.aliases);
                ctx.insert("country", &o.country.as_deref().map(|c| cx.country(c)));
                ctx.insert("partnerships", &partnerships);
                ctx.insert("commitments", &commitments);
                ctx.insert("people", &people);
                ctx.insert("events", &events);
                ctx.insert("cites", &cites);
                ("organizations", o.name.clone())
            }
            Kind::People => {
                let rows: Vec<_> = model.people.iter().map(|p| cx.person_row(p)).collect();
                ctx.insert("people", &rows);
                ("people", "People".into())
            }
            Kind::Person(p) => {
                let cites = cx.cite(&p.citations);
                let quotes: Vec<_> = p.quotes.iter().map(|q| cx.quote(q)).collect();
                let partnerships: Vec<_> = p
                    .organization
                    .as_deref()
                    .map(|o| {
                        ix.partnerships_of(o)
                            .iter()
                            .map(|pp| cx.partnership_row(pp))
                            .collect()
                    })
                    .unwrap_or_default();
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
                ("people", p.name.clone())
            }
            Kind::Topics => {
                let rows: Vec<_> = model
                    .topics
                    .iter()
                    .map(|t| {
                        count_row(
                            &cx,
                            &t.name,
                            urls::record("topics", &t.id),
                            ix.partnerships_on(&t.id).len(),
                        )
                    })
                    .collect();
                ctx.insert("topics", &rows);
                ("topics", "Topics".into())
            }
            Kind::Topic(t) => {
                let rows: Vec<_> = ix
                    .partnerships_on(&t.id)
                    .iter()
                    .map(|p| cx.partnership_row(p))
                    .collect();
                ctx.insert("partnerships", &rows);
                ("topics", t.name.clone())
            }
            Kind::Countries => {
                let rows: Vec<_> = model
                    .countries
                    .iter()
                    .map(|c| {
                        count_row(
                            &cx,
                            &c.name,
                            urls::record("countries", &c.id),
                            ix.orgs_in(&c.id).len(),
                        )
                    })
                    .collect();
                ctx.insert("countries", &rows);
                ("countries", "Countries".into())
            }
            Kind::Country(c) => {
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
                let people: Vec<_> = model
                    .people
                    .iter()
                    .filter(|p| {
                        p.country
                            .as_deref()
                            .and_then(|n| ix.country(n))
                            .is_some_and(|x| x.id == c.id)
                            || p.organization
                                .as_deref()
                                .is_some_and(|o| orgs.iter().any(|x| x.id == o))
                    })
                    .map(|p| cx.person_row(p))
                    .collect();
                ctx.insert(
                    "organizations",
                    &orgs.iter().map(|o| cx.org_row(o)).collect::<Vec<_>>(),
                );
                ctx.insert(
                    "partnerships",
                    &partnerships
                        .iter()
                        .map(|p| cx.partnership_row(p))
                        .collect::<Vec<_>>(),
                );
                ctx.insert("people", &people);
                ("countries", c.name.clone())
            }
            Kind::Sources => {
                let rows: Vec<_> = model.sources.iter().map(|s| cx.source_row(s)).collect();
                ctx.insert("sources", &rows);
                ("sources", "Sources".into())
            }
            Kind::Source(s) => {
                let paragraphs: Vec<Vec<SentenceView>> = s
                    .paragraphs
                    .iter()
                    .enumerate()
                    .map(|(pi, sentences)| {
                        sentences
                            .iter()
                            .enumerate()
                            .map(|(si, text)| SentenceView {
                                anchor: urls::sentence_anchor(pi, si),
                                runs: self
                                    .linker
                                    .runs(text)
                                    .into_iter()
                                    .map(|r| Link {
                                        name: r.text,
                                        href: r.target.map(|t| cx.href(&t)),
                                    })
                                    .collect(),
                            })
                            .collect()
                    })
                    .collect();
                let cites_here =
                    |cs: &[crate::model::Citation]| cs.iter().any(|c| c.source == s.id);
                let mentions = Mentions {
                    partnerships: model
                        .partnerships
                        .iter()
                        .filter(|p| cites_here(&p.citations))
                        .map(|p| cx.partnership(&p.id))
                        .collect(),
                    organizations: model
                        .organizations
                        .iter()
                        .filter(|o| cites_here(&o.citations))
                        .map(|o| cx.org(&o.id))
                        .collect(),
                    people: model
                        .people
                        .iter()
                        .filter(|p| {
                            cites_here(&p.citations)
                                || p.quotes.iter().any(|q| q.citation.source == s.id)
                        })
                        .map(|p| cx.person(&p.id))
                        .collect(),
                };
                ctx.insert("source", &cx.source_row(s));
                ctx.insert("dek", &s.dek);
                ctx.insert("paragraphs", &paragraphs);
                ctx.insert("mentions", &mentions);
                ("sources", s.title.clone())
            }
            Kind::Timeline => {
                let mut events: Vec<_> = model.events.iter().collect();
                events.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
                let mut years: Vec<YearGroup<_>> = Vec::new();
                for e in events {
                    let year: String = e.date.0.chars().take(4).collect();
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
                ("timeline", "Timeline".into())
            }
            Kind::NotFound => ("", "Page not found".into()),
        };
        let nav: Vec<NavItem> = NAV
            .iter()
            .map(|(s, label)| NavItem {
                label,
                href: cx.href(&if *s == "home" {
                    "index.html".to_owned()
                } else {
                    urls::list(s)
                }),
                current: *s == section,
            })
            .collect();
        let canonical = self
            .config
            .base_url
            .as_deref()
            .and_then(urls::http_url)
            .filter(|_| !matches!(job.kind, Kind::NotFound))
            .map(|b| {
                format!(
                    "{}/{}",
                    b.trim_end_matches('/'),
                    job.path.strip_suffix("index.html").unwrap_or(&job.path)
                )
            });
        ctx.insert(
            "site",
            &SiteView {
                title: &self.config.title,
                description: &self.config.description,
                language: &self.config.language,
            },
        );
        ctx.insert("root", &root);
        ctx.insert("path", &job.path);
        ctx.insert("section", section);
        ctx.insert("title", &title);
        ctx.insert("nav", &nav);
        ctx.insert("canonical", &canonical);
        ctx.insert("notes", &cx.into_notes());
        ctx
    }
}

#[derive(Serialize)]
struct Mentions {
    partnerships: Vec<Link>,
    organizations: Vec<Link>,
    people: Vec<Link>,
}

#[derive(Serialize)]
struct CountRow {
    name: String,
    href: String,
    count: usize,
}

fn count_row(cx: &Cx<'_, '_>, name: &str, path: String, count: usize) -> CountRow {
    CountRow {
        name: name.to_owned(),
        href: cx.href(&path),
        count,
    }
}

fn figure(label: &'static str, n: usize, href: Option<String>) -> Figure {
    Figure {
        label,
        value: format::thousands(n as i64),
        href,
    }
}
