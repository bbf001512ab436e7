//! Stage timings for `accord build --timings`: how long each stage of the last build took,
//! printed to stderr, so a slow build can be explained without a profiler.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

static ON: AtomicBool = AtomicBool::new(false);
/// Each stage's name, when it began (ms since `enable`) and how long it took (ms).
static STAGES: Mutex<Vec<(&'static str, u128, u128)>> = Mutex::new(Vec::new());
static STARTED: OnceLock<Instant> = OnceLock::new();
static TOTALS: Mutex<BTreeMap<String, u128>> = Mutex::new(BTreeMap::new());
static COUNTS: Mutex<BTreeMap<&'static str, u64>> = Mutex::new(BTreeMap::new());

/// Turns recording on (off by default).
pub fn enable() {
    STARTED.get_or_init(Instant::now);
    ON.store(true, Ordering::Relaxed);
}

/// Milliseconds from `enable` to `at`.
fn offset(at: Instant) -> u128 {
    STARTED
        .get()
        .map_or(0, |s| at.saturating_duration_since(*s).as_millis())
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
        s.push((stage, offset(started), ms));
    }
    out
}

/// Records that `stage`, a step of a stage being timed, took `since` until now (wall time),
/// and returns now, the start of the next step.
pub fn step(stage: &'static str, since: Instant) -> Instant {
    let now = Instant::now();
    if ON.load(Ordering::Relaxed)
        && let Ok(mut s) = STAGES.lock()
    {
        s.push((stage, offset(since), (now - since).as_millis()));
    }
    now
}

/// Adds `micros` to the running total of `stage` (for work spread over many threads, such as
/// one template's pages); totals are CPU time summed over threads.
pub fn add(stage: String, micros: u128) {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(mut t) = TOTALS.lock() {
        *t.entry(stage).or_default() += micros;
    }
}

/// Counts one more of `what` (documents read, ...), when timings are on.
pub fn count(what: &'static str) {
    if ON.load(Ordering::Relaxed)
        && let Ok(mut c) = COUNTS.lock()
    {
        *c.entry(what).or_default() += 1;
    }
}

/// Whether timings are being recorded.
pub fn on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// The recorded stages in order, as lines for the terminal.
pub fn report() -> Vec<String> {
    let stages = STAGES.lock().map(|s| s.clone()).unwrap_or_default();
    let totals = TOTALS.lock().map(|t| t.clone()).unwrap_or_default();
    let mut lines: Vec<String> = stages
        .iter()
        .map(|(name, at, ms)| format!("{name:<32} {ms:>7} ms  (from {at} ms)"))
        .collect();
    lines.extend(
        totals
            .iter()
            .map(|(name, us)| format!("  {name:<30} {:>7} ms (CPU, all threads)", us / 1000)),
    );
    let counts = COUNTS.lock().map(|c| c.clone()).unwrap_or_default();
    lines.extend(counts.iter().map(|(what, n)| format!("{what:<32} {n:>7}")));
    lines
}
