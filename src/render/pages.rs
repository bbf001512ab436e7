//! The pages of the site: which pages there are, and the Tera context of each.

use super::article;
use super::context::{Fingerprint, Mode, PageContext as Context};
use super::index::{self, Index, Paged};
use super::reads::{self, List, Query};
use super::records;
use super::text::Linker;
use super::urls;
use super::views::{Cx, Link, label};
use crate::config::Config;
use crate::model::{Country, Organization, Partnership, Person, Source, Topic};
use serde::Serialize;

/// What a page shows.
pub enum Kind<'m> {
    Home,
    /// A briefing book: the whole site, or the volume of one year.
    Briefing(Option<String>),
    /// The contents of a briefing in volumes.
    Volumes,
    /// A list of every record of a kind: its page `n` (from 0; more than one only past
    /// `paginate_by` rows).
    Partnerships(usize),
    Partnership(&'m Partnership),
    Organizations(usize),
    Organization(&'m Organization),
    People(usize),
    Person(&'m Person),
    Topics,
    /// A topic, and the page of its partnerships (as for a list).
    Topic(&'m Topic, usize),
    Countries,
    Country(&'m Country),
    Sources(usize),
    Source(&'m Source),
    /// Every event on one page.
    Timeline,
    /// The contents of a timeline in years, and the page of one year.
    TimelineYears,
    TimelineYear(String),
    Search,
    NotFound,
}

/// One page to render: where it goes, with which template, showing what.
pub struct Job<'m> {
    pub path: String,
    pub template: &'static str,
    pub kind: Kind<'m>,
}

impl Job<'_> {
    /// Whether the page shows one record (and so is unchanged by most changes elsewhere),
    /// rather than the whole site (overview, lists, timeline, briefing), which nearly any
    /// change touches.
    pub fn is_record(&self) -> bool {
        matches!(
            self.kind,
            Kind::Partnership(_)
                | Kind::Organization(_)
                | Kind::Person(_)
                | Kind::Topic(..)
                | Kind::Country(_)
                | Kind::Source(_)
        )
    }
}

/// Every HTML page of the site for the model `ix` indexes.
pub fn jobs<'m>(ix: &Index<'m>, config: &Config) -> Vec<Job<'m>> {
    let model = reads::quietly(|| ix.model());
    let size = config.paginate_by;
    let job = |path: String, template, kind| Job {
        path,
        template,
        kind,
    };
    // Over the limit, the briefing comes in volumes, one per year (or month), listed at
    // `briefing/`.
    let in_volumes = model.partnerships.len() > config.briefing_limit;
    // Over its limit, the timeline comes as a page per year, listed at `timeline/`.
    let in_years = model.events.len() > config.timeline_limit;
    // A long list goes on over numbered pages: `partnerships/`, `partnerships/page/2/`, ...
    let paged = |first: String, template, rows: usize, kind: &dyn Fn(usize) -> Kind<'m>| {
        (0..index::paging::count(rows, size))
            .map(|n| job(urls::nth_page(&first, n + 1), template, kind(n)))
            .collect::<Vec<_>>()
    };
    let mut out = vec![
        job("index.html".into(), "index.html", Kind::Home),
        job(urls::list("topics"), "topics.html", Kind::Topics),
        job(urls::list("countries"), "countries.html", Kind::Countries),
        job(
            urls::list("timeline"),
            "timeline.html",
            if in_years {
                Kind::TimelineYears
            } else {
                Kind::Timeline
            },
        ),
        if in_volumes {
            job(urls::list("briefing"), "volumes.html", Kind::Volumes)
        } else {
            job(
                urls::list("briefing"),
                "briefing.html",
                Kind::Briefing(None),
            )
        },
        job(urls::list("search"), "search.html", Kind::Search),
        job("404.html".into(), "404.html", Kind::NotFound),
    ];
    // (section, template, rows, the kind of its page n)
    type ListPages<'k> = (&'static str, &'static str, usize, fn(usize) -> Kind<'k>);
    let lists: [ListPages<'m>; 4] = [
        (
            "partnerships",
            "partnerships.html",
            model.partnerships.len(),
            Kind::Partnerships,
        ),
        (
            "organizations",
            "organizations.html",
            model.organizations.len(),
            Kind::Organizations,
        ),
        ("people", "people.html", model.people.len(), Kind::People),
        (
            "sources",
            "sources.html",
            model.sources.len(),
            Kind::Sources,
        ),
    ];
    for (section, template, rows, kind) in lists {
        out.extend(paged(urls::list(section), template, rows, &kind));
    }
    if in_volumes {
        out.extend(
            records::volumes(model, config.briefing_limit)
                .into_iter()
                .map(|(year, _)| {
                    job(
                        urls::list(&format!("briefing/{year}")),
                        "briefing.html",
                        Kind::Briefing(Some(year)),
                    )
                }),
        );
    }
    if in_years {
        let years = reads::quietly(|| ix.event_years());
        out.extend(years.into_iter().map(|(year, _)| {
            job(
                urls::list(&format!("timeline/{year}")),
                "timeline.html",
                Kind::TimelineYear(year),
            )
        }));
    }
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
    for t in &model.topics {
        let rows = reads::quietly(|| ix.partnerships_on(&t.id).len());
        out.extend(paged(
            urls::record("topics", &t.id),
            "topic.html",
            rows,
            &|n| Kind::Topic(t, n),
        ));
    }
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
    ("briefing", "Briefing"),
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

/// Everything a page needs besides its template: the model lookups, the linker, the config.
pub struct Env<'a, 'm> {
    pub ix: &'a Index<'m>,
    pub linker: &'a Linker,
    pub config: &'a Config,
    /// Whether the site has an Atom feed (`atom.xml`), which every page then names.
    pub feed: bool,
}

impl Env<'_, '_> {
    /// The fingerprint of one page's context and, in `Mode::Render`, the Tera context itself.
    pub fn context(&self, job: &Job<'_>, mode: Mode) -> (Fingerprint, Option<tera::Context>) {
        let ix = self.ix;
        // The record a page shows is one of its reads; the rest are noted as they are made.
        match &job.kind {
            Kind::Partnership(p) => reads::note(|| Query::Partnership(p.id.clone())),
            Kind::Organization(o) => reads::note(|| Query::Organization(o.id.clone())),
            Kind::Person(p) => reads::note(|| Query::Person(p.id.clone())),
            Kind::Topic(t, _) => reads::note(|| Query::Topic(t.id.clone())),
            Kind::Country(c) => reads::note(|| Query::Country(c.id.clone())),
            Kind::Source(s) => reads::note(|| Query::Source(s.id.clone())),
            _ => {}
        }
        let root = match (
            &job.kind,
            self.config.base_url.as_deref().and_then(urls::http_url),
        ) {
            // A 404 page is served at any depth, so its links start from the base URL when there
            // is one (else from its own folder, the site's root); its script then finds where
            // the site really is and leads them there (templates/404.html).
            (Kind::NotFound, Some(base)) => format!("{}/", base.trim_end_matches('/')),
            _ => urls::root_for(&job.path),
        };
        let size = self.config.paginate_by;
        let mut cx = Cx::new(ix, root.clone(), &job.path);
        let mut ctx = Context::new(mode, job.template, &job.path);
        // A 404 carries its own styles, which work wherever it is served.
        let inline_css = matches!(job.kind, Kind::NotFound);
        ctx.insert("inline_css", &inline_css.then_some(super::STYLE));
        let (section, title): (&str, String) = match &job.kind {
            Kind::Home => {
                records::home(&mut cx, &mut ctx);
                ("home", self.config.title.clone())
            }
            Kind::Briefing(volume) => {
                let book = match volume {
                    None => records::Book::whole(ix),
                    Some(year) => records::Book::volume(ix, year),
                };
                records::briefing(&mut cx, &mut ctx, &book);
                let title = match volume {
                    None => "Briefing".into(),
                    Some(year) => format!("Briefing, {}", records::volume_title(year)),
                };
                ("briefing", title)
            }
            Kind::Volumes => {
                records::volumes_page(&mut cx, &mut ctx);
                ("briefing", "Briefing".into())
            }
            Kind::Partnerships(n) => {
                let page = ix.partnership_rows(*n, size);
                list_page(
                    &cx,
                    &mut ctx,
                    ("partnerships", "Partnerships"),
                    (*n, size),
                    &page,
                    Cx::partnership_row,
                )
            }
            Kind::Partnership(p) => {
                ctx.insert("partnership", &records::partnership(&mut cx, p));
                ("partnerships", label(&p.title, &p.id).to_owned())
            }
            Kind::Organizations(n) => {
                let page = ix.organization_rows(*n, size);
                list_page(
                    &cx,
                    &mut ctx,
                    ("organizations", "Organizations"),
                    (*n, size),
                    &page,
                    Cx::org_row,
                )
            }
            Kind::Organization(o) => {
                records::organization(&mut cx, &mut ctx, o);
                ("organizations", label(&o.name, &o.id).to_owned())
            }
            Kind::People(n) => {
                let page = ix.person_rows(*n, size);
                list_page(
                    &cx,
                    &mut ctx,
                    ("people", "People"),
                    (*n, size),
                    &page,
                    Cx::person_row,
                )
            }
            Kind::Person(p) => {
                records::person(&mut cx, &mut ctx, p);
                ("people", label(&p.name, &p.id).to_owned())
            }
            Kind::Topics => {
                let rows: Vec<_> = ix
                    .topics()
                    .iter()
                    .map(|t| {
                        count_row(
                            &cx,
                            &t.name,
                            urls::record("topics", &t.id),
                            ix.count(List::PartnershipsOn, &t.id),
                        )
                    })
                    .collect();
                ctx.insert("topics", &rows);
                ("topics", "Topics".into())
            }
            Kind::Topic(t, n) => {
                let page = ix.partnerships_on_rows(&t.id, *n, size);
                records::topic(&mut cx, &mut ctx, t, page.rows, *n == 0);
                let pager = Pager::of(&cx, &urls::record("topics", &t.id), *n, size, &page);
                ctx.insert("pager", &pager);
                ("topics", Pager::title(label(&t.name, &t.id), &pager))
            }
            Kind::Countries => {
                let rows: Vec<_> = ix
                    .countries()
                    .iter()
                    .map(|c| {
                        count_row(
                            &cx,
                            &c.name,
                            urls::record("countries", &c.id),
                            ix.count(List::OrgsIn, &c.id),
                        )
                    })
                    .collect();
                ctx.insert("countries", &rows);
                ("countries", "Countries".into())
            }
            Kind::Country(c) => {
                records::country(&mut cx, &mut ctx, c);
                ("countries", label(&c.name, &c.id).to_owned())
            }
            Kind::Sources(n) => {
                let page = ix.source_rows(*n, size);
                list_page(
                    &cx,
                    &mut ctx,
                    ("sources", "Sources"),
                    (*n, size),
                    &page,
                    Cx::source_row,
                )
            }
            Kind::Source(s) => {
                article::source(&mut cx, &mut ctx, s, self.linker);
                ("sources", label(&s.title, &s.path).to_owned())
            }
            Kind::Timeline => {
                records::timeline(&mut cx, &mut ctx, ix.events().iter().collect());
                ("timeline", "Timeline".into())
            }
            Kind::TimelineYears => {
                records::timeline_years(&mut cx, &mut ctx);
                ("timeline", "Timeline".into())
            }
            Kind::TimelineYear(year) => {
                records::timeline(&mut cx, &mut ctx, ix.events_in(year).to_vec());
                ctx.insert("all_years", &cx.href(&urls::list("timeline")));
                (
                    "timeline",
                    format!("Timeline, {}", records::volume_title(year)),
                )
            }
            Kind::Search => {
                let topics: Vec<_> = ix
                    .topics()
                    .iter()
                    .map(|t| SearchOption {
                        id: &t.id,
                        name: &t.name,
                    })
                    .collect();
                let countries: Vec<_> = ix
                    .countries()
                    .iter()
                    .map(|c| SearchOption {
                        id: &c.id,
                        name: &c.name,
                    })
                    .collect();
                ctx.insert("topics", &topics);
                ctx.insert("countries", &countries);
                ("search", "Search".into())
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
            .map(|b| super::feeds::absolute(b, &job.path));
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
        ctx.insert("search", &cx.href(&urls::list("search")));
        // A record page's own data sits next to it, as index.json (a topic's later pages are
        // two folders further down: `page/2/`).
        let record_json = match job.kind {
            Kind::Topic(t, n) if n > 0 => Some(cx.href(&urls::record_json("topics", &t.id))),
            _ => job.is_record().then(|| urls::RECORD_JSON.to_owned()),
        };
        ctx.insert("record_json", &record_json);
        let exports: Vec<Link> = std::iter::once("model.json")
            .chain(super::exports::FILES.iter().copied())
            .map(|f| Link {
                name: f.to_owned(),
                href: Some(cx.href(&format!("data/{f}"))),
                here: false,
            })
            .collect();
        ctx.insert("exports", &exports);
        // Whether there is a feed follows from the settings (in the manifest's salt) and from
        // whether any partnership is dated.
        reads::note(|| Query::Feed);
        ctx.insert("feed", &self.feed.then(|| cx.href("atom.xml")));
        ctx.insert("notes", &cx.into_notes());
        ctx.finish()
    }
}

/// Page `n` of the list of a `section` (whose title is `list`): its rows (under the section's
/// name) and its pager; gives the section and the page's title.
fn list_page<'a, 'm, T, R: Serialize>(
    cx: &Cx<'a, 'm>,
    ctx: &mut Context,
    (section, list): (&'static str, &str),
    (n, size): (usize, usize),
    page: &Paged<'_, T>,
    row: impl Fn(&Cx<'a, 'm>, &T) -> R,
) -> (&'static str, String) {
    let rows: Vec<R> = page.rows.iter().map(|r| row(cx, r)).collect();
    ctx.insert(section, &rows);
    let pager = Pager::of(cx, &urls::list(section), n, size, page);
    ctx.insert("pager", &pager);
    (section, Pager::title(list, &pager))
}

/// Where a page of a long list is in it, for `components.html`'s `pager`: none when the list
/// fits on one page.
#[derive(Serialize)]
struct Pager {
    /// This page's number, from 1, of `pages`.
    number: usize,
    pages: usize,
    /// The rows it shows, counted from 1 across the whole list.
    first_row: usize,
    last_row: usize,
    prev: Option<String>,
    next: Option<String>,
    /// The first and last pages and those near this one, by number, with a gap (no number)
    /// where pages are left out; this one has no href.
    links: Vec<PageLink>,
}

/// A page of a list in its pager: its number and link, or (neither) a gap.
#[derive(Serialize)]
struct PageLink {
    number: Option<usize>,
    href: Option<String>,
}

/// How many pages on each side of the current one a pager names.
const PAGER_AROUND: usize = 2;

impl Pager {
    /// The pager of page `n` (from 0) of the list whose first page is at `first`.
    fn of<T>(
        cx: &Cx<'_, '_>,
        first: &str,
        n: usize,
        size: usize,
        page: &Paged<'_, T>,
    ) -> Option<Pager> {
        if page.pages < 2 {
            return None;
        }
        let href = |i: usize| cx.href(&urls::nth_page(first, i + 1));
        Some(Pager {
            number: n + 1,
            pages: page.pages,
            first_row: n * size + 1,
            last_row: n * size + page.rows.len(),
            prev: (n > 0).then(|| href(n - 1)),
            next: (n + 1 < page.pages).then(|| href(n + 1)),
            links: {
                // A list of thousands of pages names a few of them, not all on every page.
                let shown =
                    |i: usize| i == 0 || i + 1 == page.pages || i.abs_diff(n) <= PAGER_AROUND;
                let mut links: Vec<PageLink> = Vec::new();
                for i in 0..page.pages {
                    if shown(i) {
                        links.push(PageLink {
                            number: Some(i + 1),
                            href: (i != n).then(|| href(i)),
                        });
                    } else if links.last().is_some_and(|l| l.number.is_some()) {
                        links.push(PageLink {
                            number: None,
                            href: None,
                        });
                    }
                }
                links
            },
        })
    }

    /// A page's title: the list's, and after the first page which page it is.
    fn title(list: &str, pager: &Option<Pager>) -> String {
        match pager {
            Some(p) if p.number > 1 => format!("{list}, page {} of {}", p.number, p.pages),
            _ => list.to_owned(),
        }
    }
}

/// A choice in one of the search page's filters.
#[derive(Serialize)]
struct SearchOption<'a> {
    id: &'a str,
    name: &'a str,
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
