//! Money: "$110 million", "US$3.87 billion", "€40m", "EUR 250,000", "one million euros",
//! "KRW 1 trillion ($760 million)", "¥10 billion". A stated conversion in parentheses gives the
//! US-dollar value; otherwise the dated rate table in data/currency.toml does, if it has the
//! currency. Counts, percentages, tickers and reading times carry no currency, so they are not
//! money.

use super::lexicon::Lexicon;
use regex::Regex;

/// An amount of money found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    /// The words as written ("more than $3.87 billion").
    pub text: String,
    /// The number, scaled ("3.87 billion" → 3.87e9).
    pub value: f64,
    /// ISO 4217 code.
    pub currency: String,
    /// Value in US dollars: stated, or from the rate table, or none.
    pub usd: Option<f64>,
    /// Byte range in the sentence.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Words before it say it is not money committed ("saving", "revenue", "capital").
    pub not_funding: bool,
}

const NUM: &str = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?";
const WORDNUM: &str = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a|an";
const SCALE: &str = r"thousand|million|billion|trillion|crore|lakh|mn|bn|tn|m|b|k";
const QUALIFIER: &str = r"more than|less than|over|under|about|around|approximately|roughly|nearly|almost|up to|some|at least|an estimated|as much as";

/// Builds the money pattern for the lexicon's currencies.
pub fn pattern(lex: &Lexicon) -> Regex {
    let mut symbols: Vec<&str> = lex
        .currencies
        .iter()
        .flat_map(|c| c.symbols.iter().map(String::as_str))
        .collect();
    let mut words: Vec<&str> = lex
        .currencies
        .iter()
        .flat_map(|c| c.words.iter().map(String::as_str))
        .collect();
    symbols.sort_by_key(|s| std::cmp::Reverse(s.len()));
    words.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let sym = symbols
        .iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|");
    let word = words
        .iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|");
    let p = format!(
        r"(?i:(?P<q>{QUALIFIER})\s+)?(?:(?P<sym>{sym})\s?(?P<n1>{NUM})(?:\s?(?P<s1>(?i:{SCALE}))\b)?|(?P<n2>{NUM}|\b(?i:{WORDNUM}))(?:[\s-]?(?P<s2>(?i:{SCALE}))\b)?\s+(?P<w>(?i:{word}))\b)"
    );
    // ASCII word boundaries keep the regex on its fast engines on text with curly quotes and
    // dashes, where a Unicode boundary sends it to the slow ones (as for the dates). The two
    // differ only beside a non-ASCII letter: `find` rejects any letter before an amount or
    // after its currency word itself, and after a scale word ("5 millionä") no amount is
    // written; after a currency word of the site's own that ends in such a letter, the
    // Unicode boundary stays.
    let ascii_ends = words
        .iter()
        .all(|w| w.chars().next_back().is_none_or(|c| c.is_ascii()));
    let p = if ascii_ends {
        p.replace(r"\b", r"(?-u:\b)")
    } else {
        p
    };
    Regex::new(&p).unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("empty pattern"))
}

fn word_value(w: &str) -> Option<f64> {
    let v = match w.to_lowercase().as_str() {
        "a" | "an" | "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        _ => return None,
    };
    Some(v)
}

fn scale(s: &str) -> f64 {
    match s.to_lowercase().as_str() {
        "thousand" | "k" => 1e3,
        "lakh" => 1e5,
        "million" | "mn" | "m" => 1e6,
        "crore" => 1e7,
        "billion" | "bn" | "b" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => 1.0,
    }
}

fn currency_code<'a>(lex: &'a Lexicon, written: &str, symbol: bool) -> Option<&'a str> {
    lex.currencies
        .iter()
        .find(|c| {
            let list = if symbol { &c.symbols } else { &c.words };
            list.iter().any(|s| s.eq_ignore_ascii_case(written))
        })
        .map(|c| c.code.as_str())
}

/// Finds the amounts of money in a sentence.
pub fn find(lex: &Lexicon, re: &Regex, s: &str) -> Vec<Money> {
    let mut out: Vec<Money> = Vec::new();
    for c in re.captures_iter(s) {
        let Some(all) = c.get(0) else { continue };
        if out.last().is_some_and(|m| all.start() < m.end) {
            continue; // the stated conversion of the amount before
        }
        let before = s[..all.start()].chars().next_back();
        if before.is_some_and(|b| b.is_alphanumeric() || b == '/' || b == '.') {
            continue;
        }
        let (num, sc, code) = if let Some(sym) = c.name("sym") {
            let Some(code) = currency_code(lex, sym.as_str(), true) else {
                continue;
            };
            (c.name("n1"), c.name("s1"), code)
        } else {
            let Some(w) = c.name("w") else { continue };
            // The pattern's boundary after the word is ASCII's (see `pattern`): a letter of
            // any script right after it ends no amount.
            if s[w.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let Some(code) = currency_code(lex, w.as_str(), false) else {
                continue;
            };
            (c.name("n2"), c.name("s2"), code)
        };
        let Some(num) = num else { continue };
        let base = num
            .as_str()
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .or_else(|| word_value(num.as_str()));
        let Some(base) = base else { continue };
        let sc = sc.map_or(1.0, |m| scale(m.as_str()));
        if sc == 1.0
            && c.name("w").is_some()
            && base < 100.0
            && num.as_str().parse::<f64>().is_err()
        {
            continue; // "a dollar"
        }
        let value = base * sc;
        let mut end = all.end();
        let mut usd = None;
        // a stated conversion right after: "(about $67 million)"
        let rest = &s[end..];
        if let Some(open) = rest.strip_prefix(" (").or_else(|| rest.strip_prefix('('))
            && let Some(close) = open.find(')')
            && let Some(conv) = find(lex, re, &open[..close])
                .into_iter()
                .find(|m| m.currency == "USD")
        {
            usd = Some(conv.value);
            end += rest.len() - open.len() + close + 1;
        }
        let rate = lex.currency(code).and_then(|c| c.usd);
        let usd = if code == "USD" {
            Some(value)
        } else {
            usd.or(rate.map(|r| r * value))
        };
        let window: Vec<String> = s[..all.start()]
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .rev()
            .take(6)
            .map(str::to_lowercase)
            .collect();
        // a price or a fee, not a commitment: no scale word and under a thousand
        let petty = sc == 1.0 && value < 1000.0;
        let not_funding = petty || window.iter().any(|w| lex.not_funding.contains(w));
        out.push(Money {
            text: s[all.start()..all.end()].trim().to_owned(),
            value,
            currency: code.to_owned(),
            usd,
            start: all.start(),
            end,
            not_funding,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> Vec<(f64, String, Option<f64>)> {
        let lex = Lexicon::load(None).unwrap();
        let re = pattern(&lex);
        find(&lex, &re, s)
            .into_iter()
            .map(|m| (m.value, m.currency, m.usd))
            .collect()
    }

    #[test]
    fn symbols_codes_and_scales() {
        assert_eq!(
            money("It gave $110 million."),
            [(110e6, "USD".into(), Some(110e6))]
        );
        assert_eq!(money("a US$3.87 billion plant")[0].0, 3.87e9);
        assert_eq!(money("gets €40m")[0].1, "EUR");
        assert_eq!(money("around EUR 250,000 over")[0].0, 250_000.0);
        assert_eq!(money("puts USD 40m behind")[0].0, 40e6);
    }

    #[test]
    fn currency_words_after_the_number() {
        assert_eq!(money("donating one million euros to")[0].0, 1e6);
        assert_eq!(money("spending 240 billion won on")[0].1, "KRW");
        assert_eq!(money("about ¥10 billion")[0].1, "JPY");
        assert_eq!(money("5 bn yen")[0].0, 5e9);
    }

    /// Among curly quotes, dashes and accented names (the text on which the pattern's ASCII
    /// word boundaries matter), amounts are found as in plain text, and a letter against a
    /// number or a word still ends no amount.
    #[test]
    fn amounts_in_text_with_non_ascii_characters() {
        let s =
            "“Zoë’s lab — at Université Ålborg — gets €4 million and 300 million yen,” she said.";
        let found: Vec<f64> = money(s).into_iter().map(|m| m.0).collect();
        assert_eq!(found, [4e6, 300e6]);
        assert!(money("the é5 million dollars").is_empty());
        assert_eq!(money("five million dollarsé and 2 billion yen")[0].0, 2e9);
    }

    #[test]
    fn stated_conversion_gives_usd() {
        let m = money("commit KRW 1 trillion ($760 million) to it");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].2, Some(760e6));
        assert_eq!(money("¥10 billion (about $67 million)")[0].2, Some(67e6));
    }

    #[test]
    fn rate_table_gives_usd_when_nothing_is_stated() {
        assert!(money("€1m")[0].2.is_some());
    }

    #[test]
    fn counts_percentages_and_tickers_are_not_money() {
        assert!(
            money("2 Min Read, 30 to 35 students, 0.4% up, 3,000 learners, USD/KRW 1,310.20")
                .is_empty()
        );
    }

    #[test]
    fn savings_and_capital_are_not_commitments() {
        let lex = Lexicon::load(None).unwrap();
        let re = pattern(&lex);
        assert!(find(&lex, &re, "a saving of about 5 billion won a year")[0].not_funding);
        assert!(!find(&lex, &re, "will invest $5 million in the lab")[0].not_funding);
    }
}
