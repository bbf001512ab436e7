//! Markup: source text is data, so HTML tags never reach the article (a scrape or a Markdown
//! entity may still hold them), and only http, https and mailto links are kept.

use std::borrow::Cow;

/// Elements whose content is code, not text: dropped with their content.
const CODE_ELEMENTS: &[&str] = &[
    "script", "style", "iframe", "noscript", "template", "svg", "object", "embed",
];

/// The text without HTML tags (and without the content of script-like elements).
pub fn strip_tags(s: &str) -> Cow<'_, str> {
    if !s.contains('<') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let is_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        if !is_tag {
            out.push('<');
            rest = after;
            continue;
        }
        let Some(close) = after.find('>') else {
            // an unclosed tag: nothing after it is text
            rest = "";
            break;
        };
        let name: String = after
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &after[close + 1..];
        if !after.starts_with('/') && CODE_ELEMENTS.contains(&name.as_str()) {
            let lower = rest.to_ascii_lowercase();
            let end_tag = format!("</{name}");
            rest = match lower.find(&end_tag) {
                Some(i) => rest[i..].find('>').map_or("", |j| &rest[i + j + 1..]),
                None => "",
            };
        }
    }
    out.push_str(rest);
    Cow::Owned(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The URL if it is an http, https or mailto link.
pub fn safe_url(u: &str) -> Option<String> {
    let t = u.trim();
    let lower = t.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
        .then(|| t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_script_content_are_removed() {
        assert_eq!(
            strip_tags("Acme <script>alert(1)</script> and <b>Zed</b>"),
            "Acme and Zed"
        );
        assert_eq!(strip_tags("<img src=x onerror=alert(1)>Jo Roe"), "Jo Roe");
        assert_eq!(strip_tags("a < b and <unclosed onerror=x"), "a < b and");
    }

    #[test]
    fn only_web_and_mail_links_are_kept() {
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JaVaScRiPt:x").is_none());
        assert_eq!(
            safe_url("https://x.test/a").as_deref(),
            Some("https://x.test/a")
        );
    }
}
