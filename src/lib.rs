//! accord: turns documents about partnerships into a typed, cited model and a briefing site.

pub mod clean;
pub mod config;
pub mod error;
pub mod extract;
pub mod load;
pub mod model;
pub mod render;
pub mod resolve;
pub mod slug;
