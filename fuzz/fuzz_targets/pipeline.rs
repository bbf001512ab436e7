//! Fuzzes load → clean → extract on arbitrary bytes, as a .txt scrape and as Markdown.
#![no_main]

use accord::extract::{Lexicon, extract};
use accord::load::{Limits, parse};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::LazyLock;

static LEX: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::load(None).expect("built-in data"));

fuzz_target!(|data: &[u8]| {
    for name in ["doc.txt", "doc.md"] {
        if let Ok(doc) = parse(Path::new(name), name.into(), data, &Limits::default()) {
            if let Ok(article) = accord::clean::clean(&doc) {
                let _ = extract(&article, &LEX);
            }
        }
    }
});
