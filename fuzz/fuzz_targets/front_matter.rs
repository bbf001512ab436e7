//! Fuzzes front-matter splitting and parsing: TOML and YAML fences around arbitrary text.
#![no_main]

use accord::load::{Limits, parse};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for fence in ["+++", "---"] {
        let doc = format!("{fence}\n{text}\n{fence}\nBody.\n");
        let _ = parse(Path::new("a.md"), "a.md".into(), doc.as_bytes(), &Limits::default());
    }
    let _ = parse(Path::new("a.md"), "a.md".into(), data, &Limits::default());
});
