//! A page's template context together with its fingerprint: every value put into the context
//! is also written, as JSON, into a hash. Two pages with the same fingerprint, template set and
//! settings render to the same bytes, so an unchanged page need not be rendered again (see
//! `crate::pages_cache`). The fingerprint can be taken alone, without building Tera's values,
//! which is most of what a context costs.

use serde::Serialize;

/// Whether a context is being built for rendering or only fingerprinted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Build Tera's values (and the fingerprint).
    Render,
    /// The fingerprint alone.
    Fingerprint,
}

/// A page's context under construction; used like `tera::Context`.
pub struct PageContext {
    ctx: Option<tera::Context>,
    hasher: blake3::Hasher,
    /// Reused buffer for one value's JSON.
    buf: Vec<u8>,
}

impl PageContext {
    /// An empty context, salted with the page's template and path.
    pub fn new(mode: Mode, template: &str, path: &str) -> PageContext {
        let mut hasher = blake3::Hasher::new();
        hasher.update(template.as_bytes());
        hasher.update(&[0]);
        hasher.update(path.as_bytes());
        hasher.update(&[0]);
        PageContext {
            ctx: (mode == Mode::Render).then(tera::Context::new),
            hasher,
            buf: Vec::new(),
        }
    }

    /// Puts `value` in the context under `key`.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.buf.clear();
        // Serializing plain views into a Vec cannot fail (no maps with non-string keys here);
        // were it to, the half-written value still goes into the hash, and the page is
        // rendered from Tera's own conversion below.
        let _ = serde_json::to_writer(&mut self.buf, value);
        self.hasher.update(key.as_bytes());
        self.hasher.update(&[0]);
        self.hasher.update(&(self.buf.len() as u64).to_le_bytes());
        self.hasher.update(&self.buf);
        if let Some(ctx) = &mut self.ctx {
            ctx.insert(key, value);
        }
    }

    /// The fingerprint of everything inserted, and the context when built for rendering.
    pub fn finish(self) -> (Fingerprint, Option<tera::Context>) {
        (Fingerprint(*self.hasher.finalize().as_bytes()), self.ctx)
    }
}

/// A hash of a page's template name, path and context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);
