//! `data/model.json` made of one piece per record, so that a rebuild copies the pieces of the
//! records that did not change out of the last build's file instead of writing the whole model
//! (a hundred megabytes at ten thousand documents) again.
//!
//! The file is byte for byte what serde_json's pretty printer makes of the whole `Model` (a
//! test holds the two together): an object whose lists hold one record per element, each
//! record indented by four spaces. A record's JSON follows from the record alone, so a piece
//! is known by its kind and the digest of its record (`reads::Answers`); JSON strings never
//! hold a raw line break, so re-indenting a piece is adding spaces after each one.

use super::reads::{Answers, Digest, Records};
use crate::model::Model;
use foldhash::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Where one record's JSON sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub kind: Records,
    pub digest: Digest,
    pub start: u64,
    pub len: u64,
}

/// The model's lists in the order `Model` declares them, which is the order its JSON has.
const SECTIONS: [(&str, Records); 8] = [
    ("sources", Records::Sources),
    ("organizations", Records::Organizations),
    ("people", Records::People),
    ("partnerships", Records::Partnerships),
    ("commitments", Records::Commitments),
    ("events", Records::Events),
    ("topics", Records::Topics),
    ("countries", Records::Countries),
];

/// Records serialized at once: enough to keep every thread busy, few enough that the pieces
/// waiting to be copied into the file stay small beside it.
const BATCH: usize = 512;

/// The JSON of `model` as `super::web_json` writes it, and where each record's piece is;
/// `answers` are the record digests of `model`. `last` is the last build's file with its pieces: a record whose piece is there is copied.
pub fn model_json(
    model: &Model,
    answers: &Answers<'_, '_>,
    last: Option<(&[u8], &[Piece])>,
) -> Result<(Vec<u8>, Vec<Piece>), serde_json::Error> {
    let known: HashMap<(Records, Digest), &[u8]> = last
        .map(|(bytes, pieces)| {
            pieces
                .iter()
                .filter_map(|p| {
                    let start = usize::try_from(p.start).ok()?;
                    let end = start.checked_add(usize::try_from(p.len).ok()?)?;
                    Some(((p.kind, p.digest), bytes.get(start..end)?))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = crate::large_buffer(last.map_or(0, |(b, _)| b.len() + b.len() / 16));
    let mut pieces = Vec::new();
    out.extend_from_slice(b"{\n  \"schema\": ");
    out.extend_from_slice(&super::web_json_compact(&model.schema)?.into_bytes());
    for (name, kind) in SECTIONS {
        out.extend_from_slice(format!(",\n  \"{name}\": [").as_bytes());
        // One digest per record of the kind: `answers` are of this model.
        let digests = answers.of_kind(kind);
        let count = digests.len();
        for from in (0..count).step_by(BATCH) {
            let to = (from + BATCH).min(count);
            let made: Vec<Cow<'_, [u8]>> = (from..to)
                .into_par_iter()
                .map(|at| match known.get(&(kind, digests[at])) {
                    Some(old) => Ok(Cow::Borrowed(*old)),
                    None => record_json(model, kind, at).map(Cow::Owned),
                })
                .collect::<Result<_, _>>()?;
            for (at, piece) in (from..to).zip(made) {
                out.extend_from_slice(if at == 0 { b"\n    " } else { b",\n    " });
                let start = out.len();
                out.extend_from_slice(&piece);
                pieces.push(Piece {
                    kind,
                    digest: digests[at],
                    start: start as u64,
                    len: (out.len() - start) as u64,
                });
            }
        }
        out.extend_from_slice(if count == 0 { b"]" } else { b"\n  ]" });
    }
    out.extend_from_slice(b"\n}\n");
    Ok((out, pieces))
}

/// The `at`-th record of a kind as pretty JSON, indented as an element of its list.
fn record_json(model: &Model, kind: Records, at: usize) -> Result<Vec<u8>, serde_json::Error> {
    fn json<T: Serialize>(all: &[T], at: usize) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::new();
        if let Some(record) = all.get(at) {
            let mut ser = serde_json::Serializer::with_formatter(
                Indented(&mut out),
                super::WebSafe(serde_json::ser::PrettyFormatter::new()),
            );
            record.serialize(&mut ser)?;
        }
        Ok(out)
    }
    let m = model;
    match kind {
        Records::Sources => json(&m.sources, at),
        Records::Organizations => json(&m.organizations, at),
        Records::People => json(&m.people, at),
        Records::Partnerships => json(&m.partnerships, at),
        Records::Commitments => json(&m.commitments, at),
        Records::Events => json(&m.events, at),
        Records::Topics => json(&m.topics, at),
        Records::Countries => json(&m.countries, at),
    }
}

/// A writer that indents every line after the first by four spaces: the pretty printer starts
/// a record at the left margin, and in the file it is two levels in.
struct Indented<'a>(&'a mut Vec<u8>);

impl std::io::Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            self.0.extend_from_slice(&rest[..=i]);
            self.0.extend_from_slice(b"    ");
            rest = &rest[i + 1..];
        }
        self.0.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{index::Index, text::Linker, web_json};
    use super::*;

    fn made(model: &Model, last: Option<(&[u8], &[Piece])>) -> (Vec<u8>, Vec<Piece>) {
        let ix = Index::new(model);
        let linker = Linker::new(model);
        let answers = Answers::new(&ix, &linker);
        model_json(model, &answers, last).unwrap()
    }

    #[test]
    fn the_pieces_make_what_the_whole_model_serializes_to() {
        let full = crate::render::tests::small_model();
        let mut sparse = full.clone();
        sparse.people.clear();
        sparse.countries.clear();
        for model in [full, sparse, Model::default()] {
            let (bytes, pieces) = made(&model, None);
            assert_eq!(
                String::from_utf8(bytes.clone()).unwrap(),
                String::from_utf8(web_json(&model).unwrap()).unwrap()
            );
            for p in &pieces {
                let piece = &bytes[p.start as usize..(p.start + p.len) as usize];
                let value: serde_json::Value = serde_json::from_slice(piece).unwrap();
                assert!(value.is_object(), "a piece is one record");
            }
        }
    }

    #[test]
    fn a_rebuild_copies_unchanged_records_and_makes_changed_ones() {
        let before = crate::render::tests::small_model();
        let (bytes, pieces) = made(&before, None);
        let mut after = before.clone();
        after.organizations[0].name = "Renamed <Institute>".into();
        after.partnerships.pop();
        let (again, _) = made(&after, Some((&bytes, &pieces)));
        assert_eq!(again, web_json(&after).unwrap());
        // An unchanged record is copied, not made again: marked in the last file, the mark
        // comes through.
        let topic = pieces.iter().find(|p| p.kind == Records::Topics).unwrap();
        let mut marked = bytes.clone();
        let at = topic.start as usize + 1;
        assert_eq!(marked[at], b'\n');
        marked[at] = b' ';
        let (copied, _) = made(&after, Some((&marked, &pieces)));
        assert_eq!(copied.len(), again.len());
        assert_ne!(copied, again);
    }
}
