//! A page's template context together with its fingerprint: every value put into the context
//! is also written, in postcard, into a hash. Two pages with the same fingerprint, template set and
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
    hasher: twox_hash::XxHash3_128,
    /// Reused buffer for one value's encoding.
    buf: Vec<u8>,
}

impl PageContext {
    /// An empty context, salted with the page's template and path.
    pub fn new(mode: Mode, template: &str, path: &str) -> PageContext {
        let mut hasher = twox_hash::XxHash3_128::new();
        hasher.write(template.as_bytes());
        hasher.write(&[0]);
        hasher.write(path.as_bytes());
        hasher.write(&[0]);
        PageContext {
            ctx: (mode == Mode::Render).then(tera::Context::new),
            hasher,
            buf: Vec::new(),
        }
    }

    /// Puts `value` in the context under `key`.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.buf.clear();
        // The value as postcard writes it: a faithful encoding (it reads back as the value),
        // with lengths before strings and lists, so two values give the same bytes only when
        // they are the same. Half the time JSON took, which scans every string for characters
        // to escape (a 1k site's contexts: 350M instructions, most of them in serde_json).
        // postcard needs every list's length beforehand; a value with one it cannot know is
        // written as JSON instead, behind a different mark. (Were that to fail too, the
        // half-written value still goes into the hash, and the page is rendered from Tera's
        // own conversion below.)
        let mark = match postcard::to_extend(value, std::mem::take(&mut self.buf)) {
            Ok(buf) => {
                self.buf = buf;
                b'p'
            }
            Err(_) => {
                let _ = serde_json::to_writer(&mut self.buf, value);
                b'j'
            }
        };
        self.hasher.write(&[mark]);
        self.hasher.write(key.as_bytes());
        self.hasher.write(&[0]);
        self.hasher.write(&(self.buf.len() as u64).to_le_bytes());
        self.hasher.write(&self.buf);
        if let Some(ctx) = &mut self.ctx {
            ctx.insert(key, value);
        }
    }

    /// The fingerprint of everything inserted, and the context when built for rendering.
    pub fn finish(self) -> (Fingerprint, Option<tera::Context>) {
        (
            Fingerprint(self.hasher.finish_128().to_le_bytes()),
            self.ctx,
        )
    }
}

/// A hash of a page's template name, path and context: XXH3's 128 bits, as for the digests
/// of answers (`reads::Digest`), and for the same reasons. (blake3, used before, spent a
/// twentieth of a clean build hashing contexts and files.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 16]);

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint<T: Serialize + ?Sized>(value: &T) -> Fingerprint {
        let mut ctx = PageContext::new(Mode::Fingerprint, "page.html", "a/index.html");
        ctx.insert("value", value);
        ctx.finish().0
    }

    /// A list serde is given without its length, which postcard cannot write.
    struct Unsized(Vec<&'static str>);

    impl Serialize for Unsized {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeSeq;
            let mut seq = s.serialize_seq(None)?;
            for x in &self.0 {
                seq.serialize_element(x)?;
            }
            seq.end()
        }
    }

    #[test]
    fn a_fingerprint_changes_with_any_part_of_a_value() {
        let parts = |a: &str, b: Option<&str>| (a.to_owned(), b.map(str::to_owned));
        let values = [
            parts("ab", None),
            parts("a", Some("b")),
            parts("a", Some("")),
            parts("", Some("ab")),
            parts("ab", Some("")),
        ];
        let prints: std::collections::HashSet<Fingerprint> =
            values.iter().map(fingerprint).collect();
        assert_eq!(prints.len(), values.len());
        assert_eq!(fingerprint(&values[1]), fingerprint(&values[1].clone()));
    }

    #[test]
    fn a_value_postcard_cannot_write_is_fingerprinted_whole_all_the_same() {
        let a = fingerprint(&Unsized(vec!["one", "two"]));
        let b = fingerprint(&Unsized(vec!["one", "three"]));
        assert_ne!(a, b);
        assert_eq!(a, fingerprint(&Unsized(vec!["one", "two"])));
        // Not the fingerprint of the same list written whole by postcard.
        assert_ne!(a, fingerprint(&vec!["one", "two"]));
    }
}
