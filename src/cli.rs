//! Cli: the `accord` command line (clap) and what each subcommand does.

use crate::curate;
use crate::documents;
use crate::load;
use crate::site::{Site, SiteError};
use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Instant;

/// accord turns documents about partnerships into a cited briefing site.
#[derive(Debug, Parser)]
#[command(name = "accord", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the briefing site from the content folder (seeds/ by default) into public/.
    Build {
        /// The site's folder (holding accord.toml, seeds/, templates/, data/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site, instead of the config's `output` (default public/).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Absolute URL the site will be served from (for sitemap, feed and canonical links).
        #[arg(long)]
        base_url: Option<String>,
        /// Extract every document afresh instead of reusing `.accord-cache/` for unchanged ones.
        #[arg(long)]
        no_cache: bool,
        /// Remove the extraction cache's entries this build did not use (documents changed or
        /// removed since, older accord versions), as `hugo --gc` does.
        #[arg(long)]
        gc: bool,
        /// Print how long each stage of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Print the model of just the given documents or folders (JSON contract, or TOML).
    Extract {
        /// Files or folders of documents.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// The site whose gazetteer (data/) is applied.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build, serve the site on localhost, and rebuild and reload pages when inputs change.
    Serve {
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Create a new site: accord.toml, a sample document, and a GitHub Pages workflow.
    Init {
        /// The folder to create the site in (made if missing; existing files are never overwritten).
        dir: PathBuf,
        /// The git repository the Pages workflow installs accord from.
        #[arg(long, default_value = crate::init::DEFAULT_ACCORD_GIT)]
        accord_git: String,
    },
    /// Load, extract and render the whole site in memory and check every internal link; writes nothing.
    Check {
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Output formats of `accord extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Toml,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            no_cache,
            gc,
            timings,
        } => {
            let started = Instant::now();
            // The process ends once the site is built (`main`): what the build made for
            // itself is left to the OS rather than freed.
            crate::leave_to_exit();
            if timings {
                crate::timings::enable();
            }
            let mut site = Site::open(&root).map_err(report)?;
            site.use_cache = !no_cache;
            site.gc = gc;
            if let Some(o) = output {
                // --output is taken as given (relative to the working folder), like Zola's.
                site.config.output = std::path::absolute(&o).context("resolving --output")?;
            }
            if base_url.is_some() {
                site.config.base_url = base_url;
            }
            let s = site.build().map_err(report)?;
            for n in crate::render::notices(&site.config) {
                eprintln!("note: {n}");
            }
            eprintln!(
                "built {} files from {} documents ({} partnerships, {} organizations) into {} in {} ms",
                s.files,
                s.documents,
                s.partnerships,
                s.organizations,
                site.output_dir().display(),
                started.elapsed().as_millis()
            );
            for line in crate::timings::report() {
                eprintln!("  {line}");
            }
        }
        Command::Extract {
            paths,
            format,
            root,
        } => {
            let site = Site::open(&root).map_err(report)?;
            let lex = site.lexicon().map_err(report)?;
            let mut found = Vec::new();
            let mut facts = Vec::new();
            for p in &paths {
                if !p.exists() {
                    bail!("{}: no such file or folder", p.display());
                }
                found.extend(
                    load::find(p, &site.config.limits()).map_err(|e| anyhow::anyhow!("{e}"))?,
                );
                facts.extend(facts_for(p));
            }
            let (model, warnings) = documents::model_of(
                &found,
                &facts,
                &lex,
                &documents::Options {
                    limits: site.config.limits(),
                    skip_drafts: false,
                    cache: None,
                    day_first: site.config.day_first,
                    pack: None,
                },
            )
            .map_err(report)?;
            for w in warnings {
                eprintln!("warning: {w}");
            }
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&model)?,
                Format::Toml => {
                    draft_header(&paths) + &toml::to_string_pretty(&curate::draft(&model))?
                }
            };
            println!("{text}");
        }
        Command::Serve {
            root,
            interface,
            port,
        } => {
            let site = Site::open(&root).map_err(report)?;
            crate::serve::serve(site, &interface, port)?;
        }
        Command::Init { dir, accord_git } => {
            let written = crate::init::init(&dir, &accord_git)?;
            for p in &written {
                eprintln!("  created {}", p.display());
            }
            if accord_git == crate::init::DEFAULT_ACCORD_GIT {
                eprintln!(
                    "note: set ACCORD_GIT in .github/workflows/pages.yml to the repository accord is installed from"
                );
            }
            eprintln!(
                "next: cd {} && accord build, then open public/index.html",
                dir.display()
            );
        }
        Command::Check { root } => {
            let site = Site::open(&root).map_err(report)?;
            let (model, files) = site.render().map_err(report)?;
            eprintln!(
                "ok: {} documents, {} files, every internal link resolves",
                model.sources.len(),
                files.len()
            );
        }
    }
    Ok(())
}

/// The facts files that go with a command-line path: those under a folder, or the one beside
/// a file (`article.facts.toml` for `article.txt`).
fn facts_for(p: &std::path::Path) -> Vec<PathBuf> {
    if p.is_dir() {
        return curate::find(p);
    }
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let beside = p.with_file_name(format!("{stem}{}", curate::SUFFIX));
    if beside.is_file() {
        vec![beside]
    } else {
        vec![]
    }
}

fn draft_header(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!(
        "# Draft corrections for {}.\n# Review, keep what you want to fix, and save beside the document as NAME{}.\n# Format: README.md, \"Correcting facts\".\n\n",
        names.join(", "),
        curate::SUFFIX
    )
}

/// Prints every error of a failed run, then turns it into the one-line top-level error.
fn report(e: SiteError) -> anyhow::Error {
    eprintln!("{e}\n");
    match &e {
        SiteError::Documents(errs) => {
            anyhow::anyhow!("{} document error(s); nothing was written", errs.len())
        }
        SiteError::Links(l) => anyhow::anyhow!("{} broken link(s); nothing was written", l.len()),
        _ => anyhow::anyhow!("build failed; nothing was written"),
    }
}
