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
