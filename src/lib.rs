//! accord: turns documents about partnerships into a typed, cited model and a briefing site.
//!
//! The modules follow the data flow: `load` → `clean` → `extract` → `resolve` → `render` →
//! `write`, with `site` running them in order, `check` verifying links and `cli` on top.

pub mod cache;
pub mod check;
pub mod clean;
pub mod cli;
pub mod config;
pub mod curate;
pub mod error;
pub mod extract;
pub mod init;
pub mod load;
pub mod manifest;
pub mod model;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod site;
pub mod slug;
pub mod timings;
pub mod write;

/// Frees `value` on a thread of its own. The model and the manifests of a large site are
/// millions of small allocations, a fifth of a second to free after the site is already
/// written; a command that exits next does not wait for it. (Should no thread start, the
/// value is freed here, as the closure holding it is dropped.)
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}
