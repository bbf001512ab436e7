//! Slugs: safe, stable ids for file names and URLs from any name.

use foldhash::HashMap;

/// Longest slug in bytes, before a disambiguating suffix.
const MAX_LEN: usize = 80;

/// Names Windows refuses as file names, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "index",
];

/// Lowercase ASCII words joined by `-`, transliterated (as the `slug` crate does, with
/// deunicode), at most 80 bytes, never empty, never a reserved device name or `index`.
pub fn slugify(name: &str) -> String {
    let mut s = crate_slug(name);
    if s.len() > MAX_LEN {
        let cut = s[..MAX_LEN]
            .rfind('-')
            .filter(|&i| i > MAX_LEN / 2)
            .unwrap_or(MAX_LEN);
        s.truncate(cut);
    }
    if s.is_empty() {
        s.push_str("untitled");
    }
    if RESERVED.contains(&s.as_str()) {
        s.push_str("-1");
    }
    s
}

/// `slug::slugify(name)`, made in one pass over the name's bytes into a buffer of the right
/// size: letters and digits lowercased, every run of other characters one `-`, none at either
/// end, and each non-ASCII character first replaced by its transliteration (deunicode's, or
/// `-` where it has none), as the crate replaces it. The crate pushes char by char, splits no
/// ASCII run apart from the rest and shrinks its buffer at the end; a rebuild at 10,000
/// documents slugs 90,000 names (event titles, mostly), and slugging them was a thirtieth of
/// its instructions. A property test holds the two to the same slugs.
fn crate_slug(name: &str) -> String {
    let mut out = Slug {
        bytes: Vec::with_capacity(name.len()),
        owed: false,
    };
    if name.is_ascii() {
        for &b in name.as_bytes() {
            out.push(b);
        }
    } else {
        for c in name.chars() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                for &t in deunicode::deunicode_char(c).unwrap_or("-").as_bytes() {
                    out.push(t);
                }
            }
        }
    }
    // Only ASCII letters, digits and `-` were put in.
    String::from_utf8(out.bytes).unwrap_or_default()
}

/// What each byte is in a slug: itself lowercased if an ASCII letter or digit, else 0.
const SLUGGED: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// A slug being made of ASCII bytes.
struct Slug {
    bytes: Vec<u8>,
    /// A `-` is owed before the next letter or digit (never at the start).
    owed: bool,
}

impl Slug {
    #[inline(always)]
    fn push(&mut self, b: u8) {
        let s = SLUGGED[usize::from(b)];
        if s == 0 {
            self.owed = !self.bytes.is_empty();
        } else {
            if self.owed {
                self.bytes.push(b'-');
                self.owed = false;
            }
            self.bytes.push(s);
        }
    }
}

/// Hands out unique slugs: the second "Acme" becomes `acme-2`. Deterministic as long as
/// names are offered in a deterministic order.
#[derive(Debug, Default)]
pub struct Slugger {
    used: HashMap<String, usize>,
}

impl Slugger {
    /// A unique slug for `name`.
    pub fn unique(&mut self, name: &str) -> String {
        self.unique_slug(slugify(name))
    }

    /// A unique slug from `base`, already a slug (`slugify`'s): slugs can be made on many
    /// threads and handed out in order on one.
    pub fn unique_slug(&mut self, base: String) -> String {
        use std::collections::hash_map::Entry;
        // Most slugs are new, and looked up once.
        let (base, mut n) = match self.used.entry(base) {
            Entry::Vacant(v) => {
                let slug = v.key().clone();
                v.insert(0);
                return slug;
            }
            Entry::Occupied(o) => (o.key().clone(), *o.get()),
        };
        let candidate = loop {
            n += 1;
            let candidate = format!("{base}-{}", n + 1);
            if !self.used.contains_key(&candidate) {
                break candidate;
            }
        };
        self.used.insert(base, n);
        self.used.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn an_ascii_name_has_the_slug_crate_s_slug(name in "[\\x00-\\x7f]{0,60}") {
            proptest::prop_assert_eq!(crate_slug(&name), slug::slugify(&name));
        }

        #[test]
        fn any_name_has_the_slug_crate_s_slug(name in "\\PC{0,40}") {
            proptest::prop_assert_eq!(crate_slug(&name), slug::slugify(&name));
        }

        #[test]
        fn a_name_of_mixed_scripts_has_the_slug_crate_s_slug(
            name in "[a-zA-Z0-9 .–—’'éüøßÆœ東京大学한국어ÉÎ\\u{a0}\\u{300}\\u{1f600}-]{0,40}"
        ) {
            proptest::prop_assert_eq!(crate_slug(&name), slug::slugify(&name));
        }
    }

    #[test]
    fn slug_is_lowercase_ascii_words() {
        assert_eq!(slugify("Université de Montréal"), "universite-de-montreal");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
    }

    #[test]
    fn japanese_name_transliterates_to_a_nonempty_slug() {
        let s = slugify("東京大学");
        assert!(!s.is_empty() && s.is_ascii(), "{s}");
    }

    #[test]
    fn empty_and_reserved_names_get_safe_slugs() {
        assert_eq!(slugify("!!!"), "untitled");
        assert_eq!(slugify("CON"), "con-1");
    }

    #[test]
    fn long_names_are_bounded() {
        assert!(slugify(&"word ".repeat(100)).len() <= MAX_LEN);
    }

    #[test]
    fn collisions_are_numbered_in_order() {
        let mut s = Slugger::default();
        assert_eq!(s.unique("Acme"), "acme");
        assert_eq!(s.unique("ACME"), "acme-2");
        assert_eq!(s.unique("acme"), "acme-3");
        // A name whose own slug is a numbered one already handed out gets a number of its own.
        assert_eq!(s.unique("Acme 2"), "acme-2-2");
        assert_eq!(s.unique("Acme 4"), "acme-4");
        assert_eq!(s.unique("Acme"), "acme-5");
    }
}
