//! Init: write a new site — accord.toml, a sample document, and a GitHub Pages workflow.

use std::path::{Path, PathBuf};

/// The files a new site starts with: path relative to the site folder, and content.
const FILES: &[(&str, &str)] = &[
    ("accord.toml", include_str!("init/accord.toml")),
    ("seeds/sample.md", include_str!("init/sample.md")),
    (
        ".github/workflows/pages.yml",
        include_str!("init/pages.yml"),
    ),
    (".gitignore", "/public\n"),
];

/// Why a site could not be created.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(
        "{0} already exists; accord init will not overwrite it (choose an empty or new folder)"
    )]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The placeholder for the repository the Pages workflow installs accord from, when
/// `--accord-git` is not given; `accord init` tells the user to replace it.
pub const DEFAULT_ACCORD_GIT: &str = "https://github.com/OWNER/accord";

/// Writes a new site into `dir` (created if missing), refusing to overwrite any file.
/// `accord_git` is the repository the Pages workflow installs accord from.
pub fn init(dir: &Path, accord_git: &str) -> Result<Vec<PathBuf>, InitError> {
    for (rel, _) in FILES {
        let path = dir.join(rel);
        if path.exists() {
            return Err(InitError::Exists(path));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let io = |source| InitError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let text = text.replace("{{ACCORD_GIT}}", accord_git);
        std::fs::write(&path, text).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_a_site_that_loads_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("briefing");
        let files = init(&site, "https://git.example/accord").unwrap();
        assert_eq!(files.len(), FILES.len());
        crate::config::Config::load(&site).expect("the written accord.toml is valid");
        let wf = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
        assert!(wf.contains("ACCORD_GIT: \"https://git.example/accord\""));
        // The build gets the Pages site's address from actions/configure-pages, so the sitemap,
        // feed and canonical links are absolute and the 404 page's links work from any depth.
        assert!(wf.contains("uses: actions/configure-pages@v5\n        id: pages"));
        assert!(wf.contains(r#"accord build --base-url "${{ steps.pages.outputs.base_url }}/""#));
        assert!(matches!(init(&site, "x"), Err(InitError::Exists(_))));
    }
}
