//! The briefing's short sections for people, topics and countries: one line each, so the
//! briefing grows by a line per entity and stays linear in the size of the model.

use super::context::PageContext as Context;
use super::reads::List;
use super::records::Book;
use super::urls;
use super::views::{Cx, Link, label};
use serde::Serialize;

/// How many partnerships a topic's line, or organizations a country's line, names before
/// "and N more"; the full lists are on the site's topic and country pages.
const NAMED: usize = 5;

/// One entity in a short section of the briefing.
#[derive(Serialize)]
struct Line {
    /// The element id, `person-<id>`, `topic-<id>` or `country-<id>`, which links inside the
    /// briefing lead to.
    anchor: String,
    name: String,
    /// A few words about it: a person's role, a count.
    about: Option<String>,
    /// At most [`NAMED`] related records, linked to their sections in the briefing.
    links: Vec<Link>,
    /// How many related records the line leaves out.
    more: usize,
}

fn anchor(section: &str, id: &str) -> String {
    urls::briefing_anchor(&urls::record(section, id)).unwrap_or_default()
}

fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Inserts `people`, `topics` and `countries` (each a list of lines) into the briefing's
/// context: those the book holds, each naming what else the book holds about it.
pub fn insert(cx: &Cx<'_, '_>, ctx: &mut Context, book: &Book<'_>) {
    let ix = cx.ix;
    // A volume's partnerships and organizations by id, to name only those it holds (a
    // topic's or country's whole list is the site's); the whole book holds every one.
    let partnerships_held: Option<foldhash::HashSet<&str>> =
        (book.volume.is_some()).then(|| book.partnerships.iter().map(|p| p.id.as_str()).collect());
    let orgs_held: Option<foldhash::HashSet<&str>> =
        (book.volume.is_some()).then(|| book.organizations.iter().map(|o| o.id.as_str()).collect());
    let people: Vec<Line> = book
        .people
        .iter()
        .map(|p| Line {
            anchor: anchor("people", &p.id),
            name: label(&p.name, &p.id).to_owned(),
            about: p.role.clone(),
            links: p
                .organization
                .as_deref()
                .map(|o| cx.org(o))
                .into_iter()
                .chain(p.country.as_deref().map(|c| cx.country(c)))
                .collect(),
            more: 0,
        })
        .collect();
    let topics: Vec<Line> = book
        .topics
        .iter()
        .map(|t| {
            let on: Vec<_> = ix
                .ids(List::PartnershipsOn, &t.id)
                .into_iter()
                .filter(|id| partnerships_held.as_ref().is_none_or(|h| h.contains(id)))
                .collect();
            Line {
                anchor: anchor("topics", &t.id),
                name: label(&t.name, &t.id).to_owned(),
                about: Some(counted(on.len(), "partnership", "partnerships")),
                links: on.iter().take(NAMED).map(|id| cx.partnership(id)).collect(),
                more: on.len().saturating_sub(NAMED),
            }
        })
        .collect();
    let countries: Vec<Line> = book
        .countries
        .iter()
        .map(|c| {
            let orgs: Vec<_> = ix
                .ids(List::OrgsIn, &c.id)
                .into_iter()
                .filter(|id| orgs_held.as_ref().is_none_or(|h| h.contains(id)))
                .collect();
            Line {
                anchor: anchor("countries", &c.id),
                name: label(&c.name, &c.id).to_owned(),
                about: Some(counted(orgs.len(), "organization", "organizations")),
                links: orgs.iter().take(NAMED).map(|id| cx.org(id)).collect(),
                more: orgs.len().saturating_sub(NAMED),
            }
        })
        .collect();
    ctx.insert("people", &people);
    ctx.insert("topics", &topics);
    ctx.insert("countries", &countries);
}
