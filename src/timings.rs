//! Stage timings for `accord build --timings`: how long each stage of the last build took,
//! printed to stderr, so a slow build can be explained without a profiler.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static ON: AtomicBool = AtomicBool::new(false);
static STAGES: Mutex<Vec<(&'static str, u128)>> = Mutex::new(Vec::new());

/// Turns recording on (off by default).
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
}

/// Runs `f`, recording its duration under `stage` when timings are on.
pub fn time<T>(stage: &'static str, f: impl FnOnce() -> T) -> T {
    if !ON.load(Ordering::Relaxed) {
        return f();
    }
    let started = Instant::now();
    let out = f();
    let ms = started.elapsed().as_millis();
    if let Ok(mut s) = STAGES.lock() {
        s.push((stage, ms));
    }
    out
}

/// The recorded stages in order, as lines for the terminal.
pub fn report() -> Vec<String> {
    let stages = STAGES.lock().map(|s| s.clone()).unwrap_or_default();
    stages
        .iter()
        .map(|(name, ms)| format!("{name:<10} {ms:>7} ms"))
        .collect()
}
