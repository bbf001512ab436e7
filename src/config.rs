//! Config: the optional accord.toml at the site root.

use crate::error::{DocError, line_col};
use crate::load::Limits;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The name of the config file at the site root.
pub const FILE: &str = "accord.toml";

/// The keys accord.toml accepts, for error messages.
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "content",
    "output",
    "cname",
    "max_document_bytes",
    "max_documents",
    "lossy_utf8",
    "day_first",
    "briefing_limit",
    "timeline_limit",
    "paginate_by",
];

/// Site settings; every key is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The site's title, shown on every page.
    pub title: String,
    /// One line on what the briefing covers.
    pub description: String,
    /// Absolute URL the site is served from; used only where a URL must be absolute.
    pub base_url: Option<String>,
    /// The pages' `lang`.
    pub language: String,
    /// Folder of source documents, relative to the site root.
    pub content: PathBuf,
    /// Folder the site is written to, relative to the site root.
    pub output: PathBuf,
    /// Custom domain for GitHub Pages; when set, a `CNAME` file holding it is written.
    pub cname: Option<String>,
    /// Read ambiguous numeric dates ("09/04/2024") day first, unless a document says otherwise.
    pub day_first: bool,
    /// Largest document read, in bytes.
    pub max_document_bytes: u64,
    /// Most documents in one site.
    pub max_documents: usize,
    /// Replace invalid UTF-8 with U+FFFD and warn, instead of refusing the document.
    pub lossy_utf8: bool,
    /// Most partnerships in one briefing book; a site with more has its briefing in volumes,
    /// one per year announced (`briefing/2024/`), listed at `briefing/`, and a year with more
    /// one per month (`briefing/2024-03/`).
    pub briefing_limit: usize,
    /// Most events on one timeline page; a site with more has a timeline page per year
    /// (`timeline/2024/`), listed at `timeline/`.
    pub timeline_limit: usize,
    /// Most rows on one page of a long list (the partnerships, organizations, people and
    /// sources, and a topic's partnerships); a longer list goes on over numbered pages
    /// (`partnerships/page/2/`), as Zola's `paginate_by` and Hugo's pager do. 0: one page.
    pub paginate_by: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Partnership briefing".into(),
            description: "Who partners with whom, on what, with what money — every fact cited."
                .into(),
            base_url: None,
            language: "en".into(),
            content: "seeds".into(),
            output: "public".into(),
            cname: None,
            day_first: false,
            max_document_bytes: Limits::default().max_document_bytes,
            max_documents: Limits::default().max_documents,
            lossy_utf8: false,
            briefing_limit: 250,
            timeline_limit: 1000,
            paginate_by: 500,
        }
    }
}

impl Config {
    /// The input bounds these settings give.
    pub fn limits(&self) -> Limits {
        Limits {
            max_document_bytes: self.max_document_bytes,
            max_documents: self.max_documents,
            lossy_utf8: self.lossy_utf8,
        }
    }

    /// Reads `root/accord.toml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, DocError> {
        let path = root.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(DocError::file(&path, format!("cannot read config: {e}"))),
        };
        Self::parse(&path, &text)
    }

    /// Parses config text that came from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, DocError> {
        toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            let msg = e.message().lines().next().unwrap_or_default().to_owned();
            DocError::at(path, text, line, col, format!("invalid config: {msg}"))
                .help(format!("valid keys are: {}", KEYS.join(", ")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_rejected_with_the_valid_keys() {
        let e =
            Config::parse(Path::new("accord.toml"), "title = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.to_string().contains("valid keys are: title, description"),
            "{e}"
        );
    }

    #[test]
    fn missing_keys_take_defaults() {
        let c = Config::parse(Path::new("accord.toml"), "title = \"Mine\"\n").unwrap();
        assert_eq!(c.title, "Mine");
        assert_eq!(c.output, PathBuf::from("public"));
    }
}
