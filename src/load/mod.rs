//! Load: walk the content folder, decode strict UTF-8, split front matter from the body.

mod html;

use crate::error::{DocError, line_col};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The formats accord reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A raw text scrape (`.txt`).
    Text,
    /// Markdown (`.md`), optionally with front matter.
    Markdown,
    /// An HTML page saved from a browser (`.html`, `.htm`).
    Html,
}

impl Format {
    /// The format a path's extension names, if accord reads it.
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Metadata a document may state in front matter; these win over what is guessed from the text.
/// Keys other generators use (`weight`, `desk`, ...) are ignored, but a key that looks like a
/// misspelling of one of these (`titel`) is an error: see `check_keys`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub dek: Option<String>,
    pub subtitle: Option<String>,
    pub date: Option<DateValue>,
    pub description: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub source_url: Option<String>,
    pub url: Option<String>,
    /// news | press-release | note
    pub kind: Option<String>,
    pub tags: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
    pub series: Option<String>,
    pub lang: Option<String>,
    /// Shown by many scrapers and site generators; accord keeps it out of the article.
    pub reading_time: Option<String>,
    /// A draft is skipped by `build`, as in Hugo and Zola.
    pub draft: Option<bool>,
    /// Read ambiguous numeric dates ("09/04/2024") day first; overrides the site's setting.
    pub day_first: Option<bool>,
}

/// A front-matter date: a string, or a TOML date/datetime written without quotes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    Text(String),
    Toml(toml::value::Datetime),
}

impl DateValue {
    /// The date as text, as written.
    pub fn as_text(&self) -> String {
        match self {
            DateValue::Text(s) => s.clone(),
            DateValue::Toml(d) => d.to_string(),
        }
    }
}

/// The front-matter keys accord knows, for error messages.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "dek",
    "subtitle",
    "date",
    "description",
    "author",
    "publisher",
    "source_url",
    "url",
    "kind",
    "tags",
    "categories",
    "series",
    "lang",
    "reading_time",
    "draft",
    "day_first",
];

/// Bounds on input, so one huge or runaway folder cannot exhaust the machine. Set in
/// accord.toml (`max_document_bytes`, `max_documents`, `lossy_utf8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest document read, in bytes (default 8 MiB).
    pub max_document_bytes: u64,
    /// Most documents in one site (default 100,000).
    pub max_documents: usize,
    /// Replace invalid UTF-8 with U+FFFD and warn, instead of refusing the document.
    pub lossy_utf8: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 8 * 1024 * 1024,
            max_documents: 100_000,
            lossy_utf8: false,
        }
    }
}

/// A document as read from disk, before cleaning.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as given or found (for messages).
    pub path: PathBuf,
    /// Path relative to the content folder with `/` separators (for ids and display).
    pub rel: String,
    pub format: Format,
    pub front: FrontMatter,
    /// The body after front matter.
    pub body: String,
    /// 1-based line number in the file where `body` starts.
    pub body_line: usize,
    /// Things the user should know that did not stop the document (e.g. replaced bytes).
    pub warnings: Vec<String>,
}

/// A document file to load: its path on disk and its name relative to the content folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the folder it was found under, `/`-separated.
    pub rel: String,
}

/// Finds every document under `dir` (sorted, so builds are deterministic), skipping hidden
/// files and folders, `*.facts.toml` and files of other types. A file path is returned as
/// itself. More than `limits.max_documents` documents is an error.
pub fn find(dir: &Path, limits: &Limits) -> Result<Vec<Found>, DocError> {
    if dir.is_file() {
        let rel = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(vec![Found {
            path: dir.to_path_buf(),
            rel,
        }]);
    }
    if !dir.is_dir() {
        return Err(DocError::file(dir, "content folder not found")
            .help("create it, or point `content` in accord.toml (or --root) at the folder holding your documents"));
    }
    let mut out = Vec::new();
    let walk = WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = entry.map_err(|e| DocError::file(dir, format!("cannot read folder: {e}")))?;
        if entry.file_type().is_file() && Format::of(entry.path()).is_some() {
            if out.len() == limits.max_documents {
                return Err(DocError::file(
                    dir,
                    format!("more than {} documents", limits.max_documents),
                )
                .help("raise `max_documents` in accord.toml, or split the content folder"));
            }
            let rel = relative(entry.path(), dir);
            out.push(Found {
                path: entry.into_path(),
                rel,
            });
        }
    }
    Ok(out)
}

/// A document's file name without its extension ("2024/report.md" → "report"): its title when
/// it has none, and the ground of its source id.
pub fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The id of each found document's source page (`sources/<id>/`), in the order given: the
/// slug of the file's stem, as long as no other document's stem has the same slug; where
/// several do (`2023/report.txt` and `2024/report.md`), the slug of the relative path without
/// the extension (`2023-report`), or with it where that still collides (`report.txt`,
/// `report.md`). Where an id is still shared (a path's slug can equal another file's stem),
/// the file whose stem it is keeps it, and the others get `-2`, `-3` in the order given,
/// which `find` sorts.
pub fn source_ids(found: &[Found]) -> Vec<String> {
    use std::collections::{HashMap, HashSet};
    let stem = |rel: &str| crate::slug::slugify(stem(rel));
    let without_ext = |rel: &str| {
        let cut = rel.rfind('.').filter(|&i| !rel[i..].contains('/'));
        crate::slug::slugify(&rel[..cut.unwrap_or(rel.len())])
    };
    let count = |ids: &[String]| {
        let mut n: HashMap<&str, usize> = HashMap::new();
        for id in ids {
            *n.entry(id).or_default() += 1;
        }
        ids.iter()
            .map(|id| n[id.as_str()] > 1)
            .collect::<Vec<bool>>()
    };
    let mut ids: Vec<String> = found.iter().map(|f| stem(&f.rel)).collect();
    // How far each id had to go from the stem: 0 the stem, 1 the path, 2 with extension.
    let mut tier = vec![0u8; ids.len()];
    let shared = count(&ids);
    for (i, f) in found.iter().enumerate() {
        if shared[i] {
            ids[i] = without_ext(&f.rel);
            tier[i] = 1;
        }
    }
    let shared_again = count(&ids);
    for (i, f) in found.iter().enumerate() {
        if tier[i] == 1 && shared_again[i] {
            ids[i] = crate::slug::slugify(&f.rel);
            tier[i] = 2;
        }
    }
    // Ids still shared are handed out by tier, then order: a file's own stem first, so a
    // file whose stem no other has keeps it; the rest take the first free `-2`, `-3`.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| (tier[i], i));
    let mut taken = HashSet::new();
    let mut out = vec![String::new(); ids.len()];
    for i in order {
        let mut candidate = ids[i].clone();
        let mut n = 1;
        while taken.contains(&candidate) {
            n += 1;
            candidate = format!("{}-{n}", ids[i]);
        }
        taken.insert(candidate.clone());
        out[i] = candidate;
    }
    out
}

fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and splits one document, refusing one larger than `limits.max_document_bytes`.
pub fn load(found: &Found, limits: &Limits) -> Result<Document, DocError> {
    let (bytes, _) = read(found, limits)?;
    parse(&found.path, found.rel.clone(), &bytes, limits)
}

/// Reads a document's bytes, refusing a file larger than `limits.max_document_bytes`.
pub fn read(found: &Found, limits: &Limits) -> Result<(Vec<u8>, std::fs::Metadata), DocError> {
    let path = &found.path;
    let cannot = |e: std::io::Error| DocError::file(path, format!("cannot read file: {e}"));
    // Opened once: its size is looked up on the open file, and what it held then is read.
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let size = meta.len();
    if size > limits.max_document_bytes {
        return Err(DocError::file(
            path,
            format!(
                "the document is {size} bytes, over the limit of {} bytes",
                limits.max_document_bytes
            ),
        )
        .help("raise `max_document_bytes` in accord.toml, or trim the file to the article"));
    }
    Ok((crate::read_sized(file, size).map_err(cannot)?, meta))
}

/// Decodes and splits bytes that came from `path`.
pub fn parse(
    path: &Path,
    rel: String,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Document, DocError> {
    let format = Format::of(path).unwrap_or(Format::Text);
    let mut warnings = Vec::new();
    let lossy;
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) if limits.lossy_utf8 => {
            warnings.push(format!(
                "{}: invalid UTF-8 from byte offset {} replaced with U+FFFD (lossy_utf8 = true)",
                path.display(),
                e.valid_up_to()
            ));
            lossy = String::from_utf8_lossy(bytes).into_owned();
            &lossy
        }
        Err(e) => {
            let good = e.valid_up_to();
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
            let (line, col) = line_col(prefix, good);
            return Err(DocError::at(
                path,
                prefix,
                line,
                col,
                format!("invalid UTF-8 at byte offset {good}"),
            )
            .help("save the file as UTF-8 (for example: iconv -f windows-1252 -t utf-8), or set `lossy_utf8 = true` in accord.toml to replace bad bytes"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(DocError::file(path, "the document is empty")
            .help("add the article text, or delete the file"));
    }
    if format == Format::Html {
        // An HTML page becomes a Markdown document whose front matter is the page's metadata.
        let (front, body) = html::article(path, text)?;
        return Ok(Document {
            path: path.to_path_buf(),
            rel,
            format: Format::Markdown,
            front,
            body,
            body_line: 1,
            warnings,
        });
    }
    let (front, body, body_line) = split_front_matter(path, text)?;
    Ok(Document {
        path: path.to_path_buf(),
        rel,
        format,
        front,
        body: body.to_owned(),
        body_line,
        warnings,
    })
}

/// Splits TOML (`+++`) or YAML (`---`) front matter from the body.
fn split_front_matter<'a>(
    path: &Path,
    text: &'a str,
) -> Result<(FrontMatter, &'a str, usize), DocError> {
    let first = text.lines().next().unwrap_or("").trim_end();
    let fence = match first {
        "+++" => "+++",
        "---" => "---",
        _ => return Ok((FrontMatter::default(), text, 1)),
    };
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    let mut end = None;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == fence {
            end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((fm_end, body_start)) = end else {
        return Err(DocError::at(
            path,
            text,
            1,
            1,
            format!("front matter opened with `{fence}` is never closed"),
        )
        .help(format!(
            "add a line with just `{fence}` after the last front-matter key"
        )));
    };
    let raw = &text[start..fm_end];
    let front_line = 2; // front matter starts on the file's second line
    let keys: Result<std::collections::BTreeMap<String, serde::de::IgnoredAny>, DocError> =
        if fence == "+++" {
            toml::from_str(raw).map_err(|e| {
                let (l, c) = e.span().map_or((1, 1), |s| line_col(raw, s.start));
                front_error(path, text, l + front_line - 1, c, e.message())
            })
        } else {
            serde_saphyr::from_str(raw).map_err(|e| {
                let (l, c) = yaml_location(&e).unwrap_or((1, 1));
                front_error(path, text, l + front_line - 1, c, &e.to_string())
            })
        };
    check_keys(path, text, raw, front_line, keys?.keys())?;
    let front: FrontMatter = if fence == "+++" {
        toml::from_str(raw).map_err(|e| {
            let (l, c) = e.span().map_or((1, 1), |s| line_col(raw, s.start));
            front_error(path, text, l + front_line - 1, c, e.message())
        })?
    } else {
        serde_saphyr::from_str(raw).map_err(|e| {
            let (l, c) = yaml_location(&e).unwrap_or((1, 1));
            front_error(path, text, l + front_line - 1, c, &e.to_string())
        })?
    };
    let body_line = text[..body_start].matches('\n').count() + 1;
    Ok((front, &text[body_start..], body_line))
}

/// Refuses a key that is one or two edits away from a known key: almost surely a typo whose
/// value would otherwise be lost silently. Other unknown keys belong to other tools and pass.
fn check_keys<'k>(
    path: &Path,
    text: &str,
    raw: &str,
    front_line: usize,
    keys: impl Iterator<Item = &'k String>,
) -> Result<(), DocError> {
    for key in keys {
        if FRONT_MATTER_KEYS.contains(&key.as_str()) {
            continue;
        }
        let near = FRONT_MATTER_KEYS.iter().find(|known| {
            let d = strsim::damerau_levenshtein(&key.to_lowercase(), known);
            (key.len() >= 5 && d <= 1) || (key.len() >= 8 && d <= 2)
        });
        if let Some(known) = near {
            let line = raw
                .lines()
                .position(|l| l.trim_start().starts_with(key.as_str()))
                .map_or(front_line, |i| i + front_line);
            let col = text
                .lines()
                .nth(line - 1)
                .map_or(1, |l| l.len() - l.trim_start().len() + 1);
            return Err(DocError::at(
                path,
                text,
                line,
                col,
                format!("unknown front-matter key `{key}`; did you mean `{known}`?"),
            )
            .help(format!("valid keys are: {}", FRONT_MATTER_KEYS.join(", "))));
        }
    }
    Ok(())
}

fn yaml_location(e: &serde_saphyr::Error) -> Option<(usize, usize)> {
    let loc = e.location()?;
    Some((loc.line() as usize, loc.column() as usize))
}

fn front_error(path: &Path, text: &str, line: usize, col: usize, msg: &str) -> DocError {
    let msg = msg.lines().next().unwrap_or(msg).trim().to_owned();
    DocError::at(
        path,
        text,
        line,
        col,
        format!("invalid front matter: {msg}"),
    )
    .help(format!("valid keys are: {}", FRONT_MATTER_KEYS.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_ids_are_stems_unless_shared() {
        let ids = |rels: &[&str]| {
            let found: Vec<Found> = rels
                .iter()
                .map(|rel| Found {
                    path: PathBuf::from(rel),
                    rel: rel.to_string(),
                })
                .collect();
            source_ids(&found)
        };
        assert_eq!(
            ids(&["2023/report.txt", "2024/report.md", "Plain Note.md"]),
            ["2023-report", "2024-report", "plain-note"]
        );
        assert_eq!(
            ids(&["notes/x.md", "notes/x.txt"]),
            ["notes-x-md", "notes-x-txt"]
        );
        // `a/b` would be `a-b`, the top-level file's id; the path with its extension is not.
        assert_eq!(
            ids(&["a-b.txt", "a/b.txt", "b.txt"]),
            ["a-b", "a-b-txt", "b"]
        );
        // Paths whose slugs are the same are told apart by order.
        assert_eq!(ids(&["a b.txt", "a-b.txt"]), ["a-b-txt", "a-b-txt-2"]);
        // A file keeps its own stem, whatever the paths of others slug to.
        assert_eq!(
            ids(&["a/report.md", "a/report.txt", "a-report-md.md"]),
            ["a-report-md-2", "a-report-txt", "a-report-md"]
        );
    }

    fn parse_str(name: &str, s: &str) -> Result<Document, DocError> {
        parse(
            Path::new(name),
            name.to_owned(),
            s.as_bytes(),
            &Limits::default(),
        )
    }

    #[test]
    fn toml_front_matter_is_split_from_body() {
        let d = parse_str(
            "a.md",
            "+++\ntitle = \"T\"\ndate = \"2024-01-02\"\n+++\nBody\n",
        )
        .unwrap();
        assert_eq!(d.front.title.as_deref(), Some("T"));
        assert_eq!(d.body, "Body\n");
        assert_eq!(d.body_line, 5);
    }

    #[test]
    fn unquoted_toml_datetime_is_a_date() {
        let d = parse_str("a.md", "+++\ndate = 2025-04-02T08:30:00+02:00\n+++\nBody\n").unwrap();
        assert_eq!(d.front.date.unwrap().as_text(), "2025-04-02T08:30:00+02:00");
    }

    #[test]
    fn keys_of_other_generators_are_ignored() {
        let d = parse_str(
            "a.md",
            "---\ntitle: T\ndesk: Energy\nweight: 3\nnewsletter: x\n---\nBody\n",
        )
        .unwrap();
        assert_eq!(d.front.title.as_deref(), Some("T"));
    }

    #[test]
    fn yaml_front_matter_is_split_from_body() {
        let d = parse_str(
            "a.md",
            "---\ntitle: T\nsource_url: https://x.test/\n---\n\nBody\n",
        )
        .unwrap();
        assert_eq!(d.front.source_url.as_deref(), Some("https://x.test/"));
        assert_eq!(d.body_line, 5);
    }

    #[test]
    fn misspelled_front_matter_key_names_its_line_and_the_valid_keys() {
        let e = parse_str("a.md", "+++\ntitle = \"T\"\ntitel = \"x\"\n+++\nBody\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.to_string().contains("valid keys are: title"), "{e}");
    }

    #[test]
    fn invalid_utf8_names_line_column_and_byte() {
        let e = parse(
            Path::new("a.txt"),
            "a.txt".into(),
            b"ok\nab\xffc",
            &Limits::default(),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.contains("byte offset 5"));
    }

    #[test]
    fn lossy_option_replaces_bad_bytes_and_warns() {
        let limits = Limits {
            lossy_utf8: true,
            ..Limits::default()
        };
        let d = parse(Path::new("a.txt"), "a.txt".into(), b"ok\nab\xffc", &limits).unwrap();
        assert_eq!(d.body, "ok\nab\u{fffd}c");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn oversized_document_names_its_size_and_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "x".repeat(2000)).unwrap();
        let limits = Limits {
            max_document_bytes: 1000,
            ..Limits::default()
        };
        let e = load(
            &Found {
                path,
                rel: "big.txt".into(),
            },
            &limits,
        )
        .unwrap_err();
        assert!(
            e.message.contains("2000 bytes, over the limit of 1000"),
            "{e}"
        );
    }

    #[test]
    fn too_many_documents_is_an_error_naming_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            std::fs::write(dir.path().join(format!("{i}.txt")), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/x.txt"), "x").unwrap();
        assert_eq!(
            find(dir.path(), &Limits::default()).unwrap().len(),
            3,
            "hidden folders skipped"
        );
        let limits = Limits {
            max_documents: 2,
            ..Limits::default()
        };
        assert!(
            find(dir.path(), &limits)
                .unwrap_err()
                .message
                .contains("more than 2 documents")
        );
    }

    #[test]
    fn empty_document_is_refused() {
        assert!(
            parse_str("a.txt", "  \n\n")
                .unwrap_err()
                .message
                .contains("empty")
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(
            parse_str("a.md", "---\ntitle: x\nBody\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }
}
