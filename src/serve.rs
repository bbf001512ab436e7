//! Serve: build, serve the output folder on localhost, rebuild when a source, template, data
//! file or accord.toml changes, and reload open pages after each good build.

use crate::site::Site;
use notify_debouncer_mini::notify::{self, RecursiveMode, Watcher};
use notify_debouncer_mini::{Config, DebounceEventResult, new_debouncer_opt};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The path pages poll for the build number; never a file of the site.
const VERSION_PATH: &str = "/__accord/version";

/// Polls the build number and reloads when it changes. Injected into HTML responses by the
/// server only; never written to the output folder.
const RELOAD_SCRIPT: &str = r#"<script>(function(){var v=null;setInterval(function(){fetch("/__accord/version").then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},1000)})();</script>"#;

/// Builds the site, then serves it at `interface:port` until interrupted, rebuilding on change.
pub fn serve(site: Site, interface: &str, port: u16) -> anyhow::Result<()> {
    let version = Arc::new(AtomicU64::new(0));
    rebuild(&site, &version);
    let output = site.output_dir();
    let inputs = Inputs::of(&site);
    let watched = inputs.watched();
    let v = Arc::clone(&version);
    let mut debouncer = new_debouncer_opt::<_, Changes>(
        Config::default().with_timeout(Duration::from_millis(250)),
        move |res: DebounceEventResult| {
            if let Ok(events) = res
                && let Some(e) = events.iter().find(|e| inputs.has(&e.path))
            {
                eprintln!("change: {}", e.path.display());
                // accord.toml is read again for every build, so a changed setting shows
                // without a restart; the folder being served stays the one served.
                match Site::open(&site.root) {
                    Ok(mut fresh) => {
                        if fresh.config.output != site.config.output {
                            eprintln!(
                                "note: accord.toml names another output folder; restart accord serve to serve it"
                            );
                            fresh.config.output.clone_from(&site.config.output);
                        }
                        rebuild(&fresh, &v);
                    }
                    Err(e) => eprintln!("{e}\n\nbuild failed; still serving the last good site"),
                }
            }
        },
    )?;
    for (path, mode) in &watched {
        debouncer.watcher().watch(path, *mode)?;
    }
    let server = tiny_http::Server::http((interface, port))
        .map_err(|e| anyhow::anyhow!("cannot listen on {interface}:{port}: {e}"))?;
    eprintln!(
        "serving {} at http://{interface}:{port}/ (Ctrl-C to stop)",
        output.display()
    );
    for request in server.incoming_requests() {
        let response = respond(&output, request.url(), &version);
        let _ = request.respond(response);
    }
    Ok(())
}

fn rebuild(site: &Site, version: &AtomicU64) {
    let started = Instant::now();
    match site.build() {
        Ok(s) => {
            version.fetch_add(1, Ordering::SeqCst);
            eprintln!(
                "built {} files from {} documents in {} ms",
                s.files,
                s.documents,
                started.elapsed().as_millis()
            );
        }
        Err(e) => eprintln!("{e}\n\nbuild failed; still serving the last good site"),
    }
}

/// `path` with links and `..` resolved, as the watcher reports it; as given if it is not there.
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Where the build's inputs are, by their real paths: a site given by a relative `--root`
/// (or through a link) is reported by the watcher under the paths it watches.
struct Inputs {
    /// The site root, for accord.toml.
    root: PathBuf,
    /// The content, templates and data folders.
    dirs: [PathBuf; 3],
    output: PathBuf,
}

impl Inputs {
    fn of(site: &Site) -> Inputs {
        Inputs {
            root: real(&site.root),
            dirs: [
                site.content_dir(),
                site.root.join("templates"),
                site.root.join("data"),
            ]
            .map(|d| real(&d)),
            output: real(&site.output_dir()),
        }
    }

    /// What to watch: the root for accord.toml, and each input folder there is.
    fn watched(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let folders = self.dirs.iter().filter(|d| d.is_dir());
        std::iter::once((self.root.clone(), RecursiveMode::NonRecursive))
            .chain(folders.map(|d| (d.clone(), RecursiveMode::Recursive)))
            .collect()
    }

    /// Whether a changed path is an input of the build (and not, say, the output being
    /// swapped).
    fn has(&self, path: &Path) -> bool {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden || path.starts_with(&self.output) {
            return false;
        }
        path == self.root.join(crate::config::FILE) || self.dirs.iter().any(|d| path.starts_with(d))
    }
}

/// The platform's watcher, passing on changes only: on Linux it also reports every file opened
/// or closed unwritten, and each build opens accord.toml and the input folders, so a rebuild
/// set off the next one, without end.
struct Changes(notify::RecommendedWatcher);

impl Watcher for Changes {
    fn new<F: notify::EventHandler>(
        mut handler: F,
        config: notify::Config,
    ) -> notify::Result<Changes> {
        let changes = move |event: notify::Result<notify::Event>| {
            let read = matches!(&event, Ok(e) if matches!(e.kind, notify::EventKind::Access(_)));
            if !read {
                handler.handle_event(event);
            }
        };
        notify::RecommendedWatcher::new(changes, config).map(Changes)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> notify::WatcherKind {
        notify::RecommendedWatcher::kind()
    }
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

fn respond(output: &Path, url: &str, version: &AtomicU64) -> Response {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == VERSION_PATH {
        return text(
            200,
            "text/plain",
            version.load(Ordering::SeqCst).to_string().into_bytes(),
        );
    }
    let Some(file) = resolve_url(output, path) else {
        return not_found(output);
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let mime = mime_of(&file);
            let bytes = if mime.starts_with("text/html") {
                inject_reload(bytes)
            } else {
                bytes
            };
            text(200, mime, bytes)
        }
        Err(_) => not_found(output),
    }
}

/// Maps a URL path to a file in `output`; folders give their index.html. Paths that climb
/// out (`..`), hidden files and undecodable paths give none.
fn resolve_url(output: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if !rel
        .components()
        .all(|c| matches!(c, Component::Normal(n) if !n.to_string_lossy().starts_with('.')))
    {
        return None;
    }
    let file = output.join(rel);
    if file.is_dir() {
        Some(file.join("index.html"))
    } else {
        Some(file)
    }
}

fn not_found(output: &Path) -> Response {
    let body = std::fs::read(output.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
    text(404, "text/html; charset=utf-8", inject_reload(body))
}

fn inject_reload(bytes: Vec<u8>) -> Vec<u8> {
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, RELOAD_SCRIPT),
        None => html.push_str(RELOAD_SCRIPT),
    }
    html.into_bytes()
}

fn text(status: u16, mime: &str, bytes: Vec<u8>) -> Response {
    let header = tiny_http::Header::from_bytes("Content-Type", mime).expect("static header");
    tiny_http::Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header)
}

fn mime_of(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_files_and_never_climb_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        let out = dir.path();
        assert_eq!(resolve_url(out, "/a/"), Some(out.join("a/index.html")));
        assert_eq!(resolve_url(out, "/a/x.css"), Some(out.join("a/x.css")));
        assert_eq!(resolve_url(out, "/"), Some(out.join("index.html")));
        assert_eq!(resolve_url(out, "/../etc/passwd"), None);
        assert_eq!(resolve_url(out, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve_url(out, "/.git/config"), None);
    }

    #[test]
    fn reload_script_goes_before_the_body_ends() {
        let html = String::from_utf8(inject_reload(
            b"<html><body><p>x</p></body></html>".to_vec(),
        ))
        .unwrap();
        assert!(html.ends_with("</script></body></html>"));
    }
}
