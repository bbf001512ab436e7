//! Write: put rendered pages into a fresh folder beside the output, then swap it in, so a
//! failed build leaves the last good site untouched. On Linux the swap is one atomic exchange;
//! elsewhere it is two renames, and a build killed between them has its last good site put
//! back by the next build.

use std::io;
use std::path::{Component, Path, PathBuf};

/// One file of the site, with its path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write `{0}`: the path would leave the output folder")]
    UnsafePath(String),
    #[error("two files would be written to `{0}`")]
    Duplicate(String),
    #[error("another accord build is writing {0} right now; wait for it to finish and build again")]
    Locked(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "cannot write `{file}` of the new site: {source}\n  {} is left as it was; make room on \
         the disk (or raise the file size limit) and build again",
        output.display()
    )]
    Fill {
        file: String,
        output: PathBuf,
        source: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `rel` is a plain relative path: no root, no `..`, no `.`, no empty part,
/// no backslash, no leading dot in a part (so it cannot hide or climb out).
pub fn safe_relative(rel: &str) -> Result<PathBuf, WriteError> {
    let bad = || WriteError::UnsafePath(rel.to_owned());
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return Err(bad());
    }
    let path = PathBuf::from(rel);
    for (i, part) in rel.split('/').enumerate() {
        // `.nojekyll` at the top is the one dot-file a site needs.
        let dotfile_ok = i == 0 && part == ".nojekyll";
        if part.is_empty() || (part.starts_with('.') && !dotfile_ok) {
            return Err(bad());
        }
    }
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(bad());
    }
    Ok(path)
}

/// A new site being written beside the output folder. Files go in as they are made, from
/// any thread; `commit` swaps the folder in whole. Dropped without a commit (an error, a
/// panic), it removes itself and the output stays as it was; a killed build's leftovers are
/// removed by the next build.
pub struct Staging {
    /// Held until the end: one build at a time per output.
    _lock: std::fs::File,
    dir: PathBuf,
    /// `dir` after resolving links, to check that every written folder stays inside it.
    real: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    written: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Folders known to exist and to resolve inside `real`.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Takes the output's lock, removes stale staging folders and starts an empty one.
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let name = output
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        // One build at a time per output: the OS releases the lock even if a build is killed.
        let lock_path = parent.join(format!(".{name}.accord-lock"));
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(WriteError::Locked(output.to_path_buf()));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(WriteError::Io {
                    path: lock_path,
                    source: e,
                });
            }
        }
        recover(output, &parent, &name);
        let dir = parent.join(format!(".{name}.accord-new-{}", std::process::id()));
        let at_top = |source| WriteError::Fill {
            file: ".".into(),
            output: output.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(at_top)?;
        let real = dir.canonicalize().map_err(at_top)?;
        Ok(Staging {
            _lock: lock,
            dir,
            real,
            output: output.to_path_buf(),
            parent,
            name,
            written: Default::default(),
            made: Default::default(),
            committed: false,
        })
    }

    /// Writes one file of the new site at `rel` (`/`-separated, checked to stay inside).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let checked = safe_relative(rel)?;
        if !self
            .written
            .lock()
            .map_err(|_| WriteError::Duplicate(rel.to_owned()))?
            .insert(rel.to_owned())
        {
            return Err(WriteError::Duplicate(rel.to_owned()));
        }
        let at = |source| WriteError::Fill {
            file: rel.to_owned(),
            output: self.output.clone(),
            source,
        };
        let path = self.dir.join(&checked);
        if let Some(dir) = path.parent() {
            let known = self.made.lock().is_ok_and(|m| m.contains(dir));
            if !known {
                std::fs::create_dir_all(dir).map_err(at)?;
                // Checked after resolution too: a symlinked folder must not lead outside.
                let real = dir.canonicalize().map_err(at)?;
                if !real.starts_with(&self.real) {
                    return Err(WriteError::UnsafePath(rel.to_owned()));
                }
                if let Ok(mut m) = self.made.lock() {
                    m.insert(dir.to_path_buf());
                }
            }
        }
        std::fs::write(&path, bytes).map_err(at)
    }

    /// Whether a file was written at `rel`.
    pub fn has(&self, rel: &str) -> bool {
        self.written.lock().is_ok_and(|w| w.contains(rel))
    }

    /// Every path written so far.
    pub fn paths(&self) -> std::collections::HashSet<String> {
        self.written.lock().map(|w| w.clone()).unwrap_or_default()
    }

    /// Replaces the output folder with the new site.
    pub fn commit(mut self) -> Result<(), WriteError> {
        swap(&self.dir, &self.output, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    #[cfg(target_os = "linux")]
    if output.exists() && exchange(staging, output).is_ok() {
        // the old site is now in the staging folder; a kill here leaves it for the next build
        // to remove
        let _ = std::fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = parent.join(format!(".{name}.accord-old-{}", std::process::id()));
    let had_old = output.exists();
    if had_old {
        std::fs::rename(output, &old).map_err(io_err(output))?;
    }
    if let Err(e) = std::fs::rename(staging, output) {
        if had_old {
            let _ = std::fs::rename(&old, output);
        }
        return Err(WriteError::Io {
            path: output.to_path_buf(),
            source: e,
        });
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Swaps two paths in one step, so there is no moment without an output folder.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Cleans up after an interrupted earlier build: puts back the last good site if a build was
/// killed after moving it aside, and removes staging and old folders.
fn recover(output: &Path, parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let new = format!(".{name}.accord-new-");
    let old = format!(".{name}.accord-old-");
    let mut stale: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.starts_with(&new) || n.starts_with(&old))
        .collect();
    stale.sort();
    if !output.exists()
        && let Some(i) = stale.iter().position(|(n, _)| n.starts_with(&old))
        && std::fs::rename(&stale[i].1, output).is_ok()
    {
        stale.remove(i);
    }
    for (_, path) in stale {
        let _ = std::fs::remove_dir_all(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` as the complete new content of `output`, as a build does.
    fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
        let staging = Staging::begin(output)?;
        files
            .iter()
            .try_for_each(|f| staging.put(&f.path, &f.bytes))?;
        staging.commit()
    }

    fn file(path: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: b"x".to_vec(),
        }
    }

    #[test]
    fn paths_that_climb_or_hide_are_refused() {
        for p in [
            "../x",
            "/etc/x",
            "a/../b",
            "a//b",
            ".git/config",
            "a\\b",
            "",
            "a/./b",
        ] {
            assert!(safe_relative(p).is_err(), "{p}");
        }
        assert!(safe_relative("a/b/index.html").is_ok());
        assert!(safe_relative(".nojekyll").is_ok());
    }

    #[test]
    fn new_site_replaces_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("old.html")]).unwrap();
        write_site(&out, &[file("a/index.html")]).unwrap();
        assert!(out.join("a/index.html").exists());
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".accord-lock"))
            .collect();
        assert_eq!(leftovers, vec!["public"], "no staging folders left behind");
    }

    #[test]
    fn unsafe_path_leaves_old_site_intact() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("keep.html")]).unwrap();
        assert!(write_site(&out, &[file("ok.html"), file("../evil")]).is_err());
        assert!(out.join("keep.html").exists());
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn a_second_build_on_the_same_output_is_refused_while_one_runs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let held = std::fs::File::create(dir.path().join(".public.accord-lock")).unwrap();
        held.lock().unwrap();
        let e = write_site(&out, &[file("a.html")]).unwrap_err();
        assert!(matches!(e, WriteError::Locked(_)), "{e}");
        held.unlock().unwrap();
        write_site(&out, &[file("a.html")]).unwrap();
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_build_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("keep.html")]).unwrap();
        // killed between moving the old site aside and moving the new one in
        std::fs::rename(&out, dir.path().join(".public.accord-old-99999")).unwrap();
        std::fs::create_dir(dir.path().join(".public.accord-new-99999")).unwrap();
        recover(&out, dir.path(), "public");
        assert!(out.join("keep.html").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".accord-lock"))
            .collect();
        assert_eq!(names, vec!["public"]);
    }

    #[test]
    fn stale_staging_folder_is_removed_by_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".public.accord-new-99999");
        std::fs::create_dir_all(&stale).unwrap();
        write_site(&dir.path().join("public"), &[file("a.html")]).unwrap();
        assert!(!stale.exists());
    }
}
