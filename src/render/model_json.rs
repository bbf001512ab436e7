//! `data/model.json` made of one piece per record, so that a rebuild takes the pieces of the
//! records that did not change from the last build's file instead of writing the whole model
//! (a hundred megabytes at ten thousand documents) again.
//!
//! The file is byte for byte what serde_json's pretty printer makes of the whole `Model` (a
//! test holds the two together): an object whose lists hold one record per element, each
//! record indented by four spaces. A record's JSON follows from the record alone, so a piece
//! is known by its kind and the digest of its record (`reads::Answers`), and is printed at the
//! depth it has in the file (`record_json`).
//!
//! A rebuild does not read the last file: it says which runs of it to copy (`Part::Old`,
//! copied file to file by the kernel where it can) between the bytes it makes (`Part::New`).
//! Reading, hashing, assembling and hashing again a hundred megabytes took a third of a
//! second of a one-edit rebuild. For the same reason the manifest knows the file by its
//! pieces (`identity`), not by a hash of its bytes: the pieces decide the bytes.

use super::reads::{Answers, Digest, Records};
use crate::model::Model;
use foldhash::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Where one record's JSON sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub kind: Records,
    #[serde(with = "serde_bytes")]
    pub digest: Digest,
    pub start: u64,
    pub len: u64,
}

/// A stretch of the new file: bytes of the last build's file, or bytes made now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Old { start: u64, len: u64 },
    New(Vec<u8>),
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
/// waiting to be put in the file stay small beside it.
const BATCH: usize = 512;

/// The JSON of `model` as `super::web_json` writes it, in parts, and where each record's piece
/// is; `answers` are the record digests of `model`. `last` are the pieces of the last build's
/// file, which the output still holds as made: a record whose piece is there is copied from it.
/// Without `last`, the file is one `Part::New`.
pub fn model_json(
    model: &Model,
    answers: &Answers<'_, '_>,
    last: Option<&[Piece]>,
) -> Result<(Vec<Part>, Vec<Piece>), serde_json::Error> {
    // Each known piece with its place in the last file's list, to tell which are neighbours.
    let known: HashMap<(Records, Digest), (usize, &Piece)> = last
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| ((p.kind, p.digest), (i, p)))
        .collect();
    let mut out = Parts::default();
    let mut pieces = Vec::new();
    out.made(b"{\n  \"schema\": ");
    out.made(super::web_json_compact(&model.schema)?.as_bytes());
    for (name, kind) in SECTIONS {
        out.made(format!(",\n  \"{name}\": [").as_bytes());
        // One digest per record of the kind: `answers` are of this model.
        let digests = answers.of_kind(kind);
        let count = digests.len();
        // The last file's piece just put, when it was: the next one in that file follows it
        // there as it does here, separator included, and the two are one run to copy.
        let mut after: Option<usize> = None;
        for from in (0..count).step_by(BATCH) {
            let to = (from + BATCH).min(count);
            let made: Vec<Result<(usize, &Piece), Vec<u8>>> = (from..to)
                .into_par_iter()
                .map(|at| match known.get(&(kind, digests[at])) {
                    Some(&old) => Ok(Ok(old)),
                    None => record_json(model, kind, at).map(Err),
                })
                .collect::<Result<_, _>>()?;
            for (at, piece) in (from..to).zip(made) {
                let separator: &[u8] = if at == 0 { b"\n    " } else { b",\n    " };
                let len = match piece {
                    Ok((i, old)) => {
                        if at > 0 && after.is_some_and(|a| a + 1 == i) {
                            let n = separator.len() as u64;
                            out.copied(old.start - n, n);
                        } else {
                            out.made(separator);
                        }
                        out.copied(old.start, old.len);
                        after = Some(i);
                        old.len
                    }
                    Err(bytes) => {
                        out.made(separator);
                        out.made(&bytes);
                        after = None;
                        bytes.len() as u64
                    }
                };
                pieces.push(Piece {
                    kind,
                    digest: digests[at],
                    start: out.len - len,
                    len,
                });
            }
        }
        out.made(if count == 0 { b"]" } else { b"\n  ]" });
    }
    out.made(b"\n}\n");
    Ok((out.parts, pieces))
}

/// What stands for the file's bytes in the manifest: a hash of its pieces, which decide them
/// (with accord itself, which the manifest's salt holds).
pub fn identity(pieces: &[Piece]) -> crate::manifest::FileHash {
    let mut h = twox_hash::XxHash3_128::new();
    h.write(b"model.json pieces\0");
    // Each piece's fields joined and hashed in one call (the stream is the same): a hundred
    // thousand pieces at 10,000 documents, and a call for each field cost more than the hash.
    let mut piece = [0; 33];
    for p in pieces {
        piece[0] = p.kind as u8;
        piece[1..17].copy_from_slice(&p.digest);
        piece[17..25].copy_from_slice(&p.start.to_le_bytes());
        piece[25..].copy_from_slice(&p.len.to_le_bytes());
        h.write(&piece);
    }
    h.finish_128().to_le_bytes()
}

/// The file's bytes from its parts and the last build's file (what `Staging::splice` writes).
#[cfg(test)]
fn assemble(parts: &[Part], last: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for part in parts {
        match part {
            Part::New(bytes) => out.extend_from_slice(bytes),
            Part::Old { start, len } => {
                let start = usize::try_from(*start).ok()?;
                let end = start.checked_add(usize::try_from(*len).ok()?)?;
                out.extend_from_slice(last.get(start..end)?);
            }
        }
    }
    Some(out)
}

/// The parts of a file as they are put one after another: runs of new bytes, and of old bytes
/// that follow each other in the last file, each made one part.
#[derive(Default)]
struct Parts {
    parts: Vec<Part>,
    len: u64,
}

impl Parts {
    fn made(&mut self, bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if let Some(Part::New(last)) = self.parts.last_mut() {
            last.extend_from_slice(bytes);
        } else {
            self.parts.push(Part::New(bytes.to_vec()));
        }
    }

    fn copied(&mut self, start: u64, len: u64) {
        self.len += len;
        match self.parts.last_mut() {
            Some(Part::Old { start: s, len: l }) if *s + *l == start => *l += len,
            _ => self.parts.push(Part::Old { start, len }),
        }
    }
}

/// The `at`-th record of a kind as pretty JSON, indented as an element of its list.
fn record_json(model: &Model, kind: Records, at: usize) -> Result<Vec<u8>, serde_json::Error> {
    fn json<T: Serialize>(all: &[T], at: usize) -> Result<Vec<u8>, serde_json::Error> {
        use serde_json::ser::Formatter;
        let mut out = Vec::new();
        if let Some(record) = all.get(at) {
            // The pretty printer is told it is two lists deep, where a record is in the file,
            // and so indents the record's lines as the whole model's printer would. (The
            // lists' brackets go nowhere.) Re-indenting its output instead, by a writer that
            // added spaces after each line break, went through every one of its many small
            // writes: a thirtieth of a clean build.
            let mut layout = serde_json::ser::PrettyFormatter::new();
            for _ in 0..2 {
                layout
                    .begin_array(&mut std::io::sink())
                    .map_err(serde_json::Error::io)?;
            }
            let mut ser = serde_json::Serializer::with_formatter(&mut out, super::WebSafe(layout));
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

#[cfg(test)]
mod tests {
    use super::super::{index::Index, text::Linker, web_json};
    use super::*;

    /// The parts of the file made of `model` after the last one's `pieces`, and its pieces.
    fn parts_of(model: &Model, last: Option<&[Piece]>) -> (Vec<Part>, Vec<Piece>) {
        let ix = Index::new(model);
        let linker = Linker::new(model);
        let answers = Answers::new(&ix, &linker);
        model_json(model, &answers, last).unwrap()
    }

    /// The file made of `model` after the last one (`bytes`, made of `pieces`), and its pieces.
    fn made(model: &Model, last: Option<(&[u8], &[Piece])>) -> (Vec<u8>, Vec<Piece>) {
        let (parts, pieces) = parts_of(model, last.map(|(_, p)| p));
        let bytes = assemble(&parts, last.map_or(&[][..], |(b, _)| b)).unwrap();
        (bytes, pieces)
    }

    #[test]
    fn the_pieces_make_what_the_whole_model_serializes_to() {
        let full = crate::render::tests::small_model();
        let mut sparse = full.clone();
        sparse.people.clear();
        sparse.countries.clear();
        for model in [full, sparse, Model::default()] {
            let (parts, pieces) = parts_of(&model, None);
            assert!(
                matches!(parts.as_slice(), [Part::New(_)]),
                "one run of new bytes"
            );
            let bytes = assemble(&parts, &[]).unwrap();
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
        // Unchanged, the file is copied whole, in one run.
        let (parts, same) = parts_of(&before, Some(&pieces));
        assert_eq!(same, pieces);
        assert_eq!(identity(&same), identity(&pieces));
        let old = parts
            .iter()
            .filter(|p| matches!(p, Part::Old { .. }))
            .count();
        let sections = SECTIONS
            .iter()
            .filter(|(_, kind)| pieces.iter().any(|p| p.kind == *kind))
            .count();
        assert_eq!(old, sections, "neighbours are one run a list: {parts:?}");
        assert_eq!(assemble(&parts, &bytes).unwrap(), bytes);
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
        // A changed record changes what the file is known by.
        let (_, changed) = made(&after, Some((&bytes, &pieces)));
        assert_ne!(identity(&changed), identity(&pieces));
    }
}
