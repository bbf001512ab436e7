//! CSV exports of the model for spreadsheets: one file per kind of record, under `data/`.

use super::RenderError;
use super::index::Index;
use super::reads::Records;
use crate::model::Citation;
use rayon::prelude::*;

/// The CSV files, by name under `data/`, in the order the footer lists them.
pub const FILES: &[&str] = &[
    "partnerships.csv",
    "organizations.csv",
    "people.csv",
    "commitments.csv",
    "events.csv",
];

/// One CSV cell: quoted when needed, and a leading `= + - @` (or tab, CR) defused with `'` so a
/// spreadsheet never runs text from a source as a formula.
/// One CSV cell: a value a spreadsheet would read as a formula gets a leading `'`, and one
/// with a comma, quote or line break is quoted.
#[cfg(test)]
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_cell(&mut out, s);
    out
}

/// Writes `s` as one CSV cell (see `cell`) onto `out`.
fn push_cell(out: &mut String, s: &str) {
    let quoted = s.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        out.push('\'');
    }
    if quoted {
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn number(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn sources(cs: &[Citation]) -> String {
    crate::model::cited_sources(cs).join("; ")
}

struct Table {
    out: String,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Table {
            out: format!("{}\r\n", header.join(",")),
        }
    }

    fn row(&mut self, cells: &[String]) {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_cell(&mut self.out, c);
        }
        self.out.push_str("\r\n");
    }
}

/// Every CSV file, handed to `emit` as its name (as in [`FILES`]) and a way to make its
/// bytes, which `emit` may leave unused when it knows them. The five are handed on side by
/// side, each on one thread, and each reaches the model only through `ix`, so what a file read
/// can be recorded around its maker (`reads::recording`).
pub fn csv_files<E: Send>(
    ix: &Index<'_>,
    emit: &(impl Fn(&'static str, &dyn Fn() -> Vec<u8>) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let org_names = |ids: &[String]| -> String {
        ids.iter()
            .map(|id| ix.org(id.as_str()).map_or(id.as_str(), |o| o.name.as_str()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    // The five tables are made side by side.
    let partnerships = || {
        let mut t = Table::new(&[
            "id",
            "title",
            "parties",
            "party_ids",
            "focus",
            "announced",
            "venue",
            "occasion",
            "funding_usd",
            "sources",
        ]);
        for p in ix.partnerships() {
            let focus: Vec<&str> = p
                .focus
                .iter()
                .map(|f| ix.topic_card(f).map_or(f.as_str(), |t| t.name))
                .collect();
            t.row(&[
                p.id.clone(),
                p.title.clone(),
                org_names(&p.parties),
                p.parties.join("; "),
                focus.join("; "),
                p.announced
                    .as_ref()
                    .map(|d| d.0.clone())
                    .unwrap_or_default(),
                p.venue.clone().unwrap_or_default(),
                p.occasion.clone().unwrap_or_default(),
                number(ix.total_usd(ix.commitments_of_partnership(&p.id).iter().copied())),
                sources(&p.citations),
            ]);
        }
        t.out
    };
    let organizations = || {
        let mut t = Table::new(&[
            "id",
            "name",
            "aliases",
            "kind",
            "country",
            "partnerships",
            "sources",
        ]);
        for o in ix.organizations() {
            t.row(&[
                o.id.clone(),
                o.name.clone(),
                o.aliases.join("; "),
                format!("{:?}", o.kind).to_lowercase(),
                o.country.clone().unwrap_or_default(),
                ix.partnerships_of(&o.id).len().to_string(),
                sources(&o.citations),
            ]);
        }
        t.out
    };
    let people = || {
        let mut t = Table::new(&[
            "id",
            "name",
            "aliases",
            "role",
            "organization",
            "organization_id",
            "country",
            "quotes",
            "sources",
        ]);
        for p in ix.people() {
            let org = p.organization.as_deref();
            t.row(&[
                p.id.clone(),
                p.name.clone(),
                p.aliases.join("; "),
                p.role.clone().unwrap_or_default(),
                org.map(|id| org_names(&[id.to_owned()]))
                    .unwrap_or_default(),
                org.unwrap_or_default().to_owned(),
                p.country.clone().unwrap_or_default(),
                p.quotes.len().to_string(),
                sources(&p.citations),
            ]);
        }
        t.out
    };
    let commitments = || {
        let mut t = Table::new(&[
            "id", "amount", "value", "currency", "usd", "from", "from_ids", "to_ids", "purpose",
            "status", "part_of", "sources",
        ]);
        for c in ix.commitments() {
            t.row(&[
                c.id.clone(),
                c.amount.text.clone(),
                number(Some(c.amount.value)),
                c.amount.currency.clone(),
                number(c.amount.usd),
                org_names(&c.from),
                c.from.join("; "),
                c.to.join("; "),
                c.purpose.clone().unwrap_or_default(),
                format!("{:?}", c.status).to_lowercase(),
                c.part_of.clone().unwrap_or_default(),
                sources(&c.citations),
            ]);
        }
        t.out
    };
    let events = || {
        let mut t = Table::new(&["id", "date", "title", "involves", "sources"]);
        let mut events: Vec<_> = ix.events().iter().collect();
        // Keyed once per event: a date's sort key is made byte by byte on each comparison.
        events.sort_by_cached_key(|e| (super::format::date_key(&e.date), &e.id));
        for e in events {
            t.row(&[
                e.id.clone(),
                e.date.0.clone(),
                e.title.clone(),
                e.involves.join("; "),
                sources(&e.citations),
            ]);
        }
        t.out
    };
    let tables: [&(dyn Fn() -> String + Sync); 5] = [
        &partnerships,
        &organizations,
        &people,
        &commitments,
        &events,
    ];
    FILES
        .par_iter()
        .zip(tables)
        .with_max_len(1)
        .try_for_each(|(name, table)| emit(name, &|| table().into_bytes()))
}

/// Each record's own JSON, next to its page (`partnerships/<id>/index.json`): the record as
/// `data/model.json` holds it, under a key naming its kind, with the schema it follows. Each
/// file is handed to `emit` in parallel, as its path, its record (kind and position in the
/// model) and a way to make its bytes, which `emit` may leave unused when it knows them.
pub fn record_files<E>(
    model: &crate::model::Model,
    emit: impl Fn(String, Records, usize, &dyn Fn() -> Result<Vec<u8>, RenderError>) -> Result<(), E>
    + Sync,
) -> Result<(), E>
where
    E: From<RenderError> + Send,
{
    /// A value of the file's one object, whose keys come out sorted.
    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum Field<'r, T> {
        Schema(&'static str),
        Record(&'r T),
    }
    type Emit<'e, E> = &'e (
            dyn Fn(
        String,
        Records,
        usize,
        &dyn Fn() -> Result<Vec<u8>, RenderError>,
    ) -> Result<(), E>
                + Sync
        );
    fn all<T: serde::Serialize + Sync, E: From<RenderError> + Send>(
        records: &[T],
        of: Records,
        section: &str,
        kind: &'static str,
        id: impl Fn(&T) -> &str + Sync,
        emit: Emit<'_, E>,
    ) -> Result<(), E> {
        records.par_iter().enumerate().try_for_each(|(at, r)| {
            let bytes = || {
                let doc: std::collections::BTreeMap<&str, Field<'_, T>> = [
                    ("schema", Field::Schema(crate::model::SCHEMA)),
                    (kind, Field::Record(r)),
                ]
                .into_iter()
                .collect();
                super::web_json(&doc).map_err(RenderError::from)
            };
            emit(super::urls::record_json(section, id(r)), of, at, &bytes)
        })
    }
    let emit: Emit<'_, E> = &emit;
    let m = model;
    all(
        &m.partnerships,
        Records::Partnerships,
        "partnerships",
        "partnership",
        |r| &r.id,
        emit,
    )?;
    all(
        &m.organizations,
        Records::Organizations,
        "organizations",
        "organization",
        |r| &r.id,
        emit,
    )?;
    all(
        &m.people,
        Records::People,
        "people",
        "person",
        |r| &r.id,
        emit,
    )?;
    all(
        &m.topics,
        Records::Topics,
        "topics",
        "topic",
        |r| &r.id,
        emit,
    )?;
    all(
        &m.countries,
        Records::Countries,
        "countries",
        "country",
        |r| &r.id,
        emit,
    )?;
    all(
        &m.sources,
        Records::Sources,
        "sources",
        "source",
        |r| &r.id,
        emit,
    )
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
    }
}
