//! Formatting for people: dates with their precision, sums of money, counts.

use crate::model::{Amount, Date};
use serde::Serialize;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date ready for a template: readable text, and the machine form for `<time>` when valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    /// "April 15, 2024", "April 2024", "2023", "Summer 2023".
    pub text: String,
    /// "2024-04-15", "2024-04" or "2023" when the date is one of those forms, else none.
    pub iso: Option<String>,
}

/// Formats a model date, keeping its precision; unknown shapes are shown as written.
pub fn date(d: &Date) -> DateView {
    let s = d.0.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let year = parts
        .first()
        .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
    let Some(year) = year else {
        return DateView {
            text: s.to_owned(),
            iso: None,
        };
    };
    let number =
        |p: &str, max: u32| p.len() == 2 && p.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
    match parts.as_slice() {
        [_] => DateView {
            text: (*year).to_owned(),
            iso: Some((*year).to_owned()),
        },
        [_, m] if number(m, 12) => {
            let month = MONTHS[m.parse::<usize>().unwrap_or(1) - 1];
            DateView {
                text: format!("{month} {year}"),
                iso: Some(s.to_owned()),
            }
        }
        [_, m, day] if number(m, 12) && number(day, 31) => {
            let month = MONTHS[m.parse::<usize>().unwrap_or(1) - 1];
            let day = day.trim_start_matches('0');
            DateView {
                text: format!("{month} {day}, {year}"),
                iso: Some(s.to_owned()),
            }
        }
        [_, rest @ ..] => {
            let rest = rest.join(" ");
            let mut words = rest.chars();
            let cap = words
                .next()
                .map(|c| c.to_uppercase().chain(words).collect::<String>())
                .unwrap_or_default();
            DateView {
                text: format!("{cap} {year}"),
                iso: None,
            }
        }
        [] => DateView {
            text: s.to_owned(),
            iso: None,
        },
    }
}

/// The key that sorts dates in time order: "2023" < "2023-03" < "2023-spring" < "2023-06-01";
/// a season sorts at its first month, an unknown part before any month. Made byte by byte as
/// it is compared: sorting thousands of records by date would otherwise build two strings per
/// comparison.
fn key_bytes(d: &Date) -> impl Iterator<Item = u8> + '_ {
    let mut parts = d.0.trim().split('-');
    let year = parts.next().unwrap_or_default();
    let month: &[u8] = match parts.next() {
        None => b"00",
        Some(m) => month_key(m),
    };
    let day = parts.next().filter(|x| two_digits(x)).unwrap_or("00");
    // The year is zero-padded to four characters, as `{year:0>4}` would.
    std::iter::repeat_n(b'0', 4usize.saturating_sub(year.chars().count()))
        .chain(year.bytes())
        .chain(*b"-")
        .chain(month.iter().copied())
        .chain(*b"-")
        .chain(day.bytes())
        .chain(*b"|")
        .chain(d.0.bytes())
}

/// The bytes `by_date` compares a date by, as one key (to sort by a cached key).
pub fn date_key(d: &Date) -> Vec<u8> {
    let Some(k) = short_key(d) else {
        return key_bytes(d).collect();
    };
    // "YYYY-MM-DD|" and the date, as `key_bytes` yields it, put together at once.
    let mut key = Vec::with_capacity(11 + d.0.len());
    key.extend_from_slice(&k[..4]);
    key.push(b'-');
    key.extend_from_slice(&k[4..6]);
    key.push(b'-');
    key.extend_from_slice(&k[6..]);
    key.push(b'|');
    key.extend_from_slice(d.0.as_bytes());
    key
}

/// Orders two optional dates in time order, none first.
pub fn by_date(a: Option<&Date>, b: Option<&Date>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match (short_key(a), short_key(b)) {
            (Some(ka), Some(kb)) => ka.cmp(&kb).then_with(|| a.0.as_bytes().cmp(b.0.as_bytes())),
            _ => key_bytes(a).cmp(key_bytes(b)),
        },
        _ => a.is_some().cmp(&b.is_some()),
    }
}

/// For a date whose year is four ASCII characters (all but a made-up one), the part of its
/// `key_bytes` before the date itself, without the separators: year, month and day, eight
/// bytes. Every such key is "YYYY-MM-DD|" and then the date, so two of them compare as these
/// eight bytes and then the dates do. (The chained iterator `key_bytes` compares byte by
/// byte, and sorting the events of a 10k site's records compared it a million times.)
fn short_key(d: &Date) -> Option<[u8; 8]> {
    let mut key = [b'0'; 8];
    let (year, rest) = part(d.0.trim());
    if year.len() != 4 || !year.is_ascii() {
        return None;
    }
    key[..4].copy_from_slice(year.as_bytes());
    let Some(rest) = rest else {
        key[4..6].copy_from_slice(b"00");
        return Some(key);
    };
    let (month, rest) = part(rest);
    key[4..6].copy_from_slice(month_key(month));
    if let Some(day) = rest.map(|r| part(r).0).filter(|x| two_digits(x)) {
        key[6..].copy_from_slice(day.as_bytes());
    }
    Some(key)
}

/// The two bytes a month part of a date sorts as: its number, or a season's first month.
fn month_key(m: &str) -> &[u8] {
    match m {
        m if m.eq_ignore_ascii_case("spring") => b"03",
        m if m.eq_ignore_ascii_case("summer") => b"06",
        m if m.eq_ignore_ascii_case("autumn") || m.eq_ignore_ascii_case("fall") => b"09",
        m if m.eq_ignore_ascii_case("winter") => b"12",
        m if two_digits(m) => m.as_bytes(),
        _ => b"00",
    }
}

/// The first part of `s` up to a `-`, and the rest after it, if any: the parts as
/// `key_bytes` splits them, each found with one `split_once`.
fn part(s: &str) -> (&str, Option<&str>) {
    s.split_once('-').map_or((s, None), |(a, b)| (a, Some(b)))
}

fn two_digits(x: &str) -> bool {
    x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit())
}

/// A sum in US dollars, short: "US$12.5 million", "US$1.2 billion", "US$950,000".
pub fn usd(value: f64) -> String {
    let (n, unit) = if value.abs() >= 1e12 {
        (value / 1e12, " trillion")
    } else if value.abs() >= 1e9 {
        (value / 1e9, " billion")
    } else if value.abs() >= 1e6 {
        (value / 1e6, " million")
    } else {
        return format!("US${}", thousands(value.round() as i64));
    };
    let text = format!("{n:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("US${text}{unit}")
}

/// An integer with comma thousands separators.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// An amount as written, with its dollar value when the source currency is another one.
pub fn amount(a: &Amount) -> (String, Option<String>) {
    let usd_text = match a.usd {
        Some(v) if !a.currency.eq_ignore_ascii_case("USD") && v.is_finite() => {
            Some(format!("≈ {}", usd(v)))
        }
        _ => None,
    };
    (a.text.clone(), usd_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> DateView {
        date(&Date(s.into()))
    }

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(d("2024-04-15").text, "April 15, 2024");
        assert_eq!(d("2024-04-05").text, "April 5, 2024");
        assert_eq!(d("2024-04").text, "April 2024");
        assert_eq!(d("2023").iso.as_deref(), Some("2023"));
        assert_eq!(
            d("2023-summer"),
            DateView {
                text: "Summer 2023".into(),
                iso: None
            }
        );
        assert_eq!(d("soon").text, "soon");
        assert_eq!(d("2024-13-01").iso, None);
    }

    #[test]
    fn seasons_sort_at_their_first_month() {
        let mut dates: Vec<Date> = ["2015-06-18", "2015-spring", "2015", "2014-12", "2015-03"]
            .iter()
            .map(|s| Date((*s).into()))
            .collect();
        dates.sort_by(|a, b| by_date(Some(a), Some(b)));
        let order: Vec<&str> = dates.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(
            order,
            ["2014-12", "2015", "2015-03", "2015-spring", "2015-06-18"]
        );
        assert_eq!(by_date(None, Some(&dates[0])), std::cmp::Ordering::Less);
        // Odd years sort as if zero-padded to four characters.
        assert_eq!(
            by_date(Some(&Date("999".into())), Some(&Date("1000".into()))),
            std::cmp::Ordering::Less
        );
    }

    #[test]
    fn dates_compare_as_their_whole_keys_do() {
        // `by_date` takes a short cut for four-character years; it must order every pair
        // as the whole keys (`key_bytes`) do, odd dates and mixed pairs included.
        let texts = [
            "2024-04-15",
            "2024-04",
            "2024",
            "2024-spring",
            "2024-Summer",
            "2024-fall",
            "2024-winter",
            "2024-13",
            "2024-04-5",
            "2024-04-15-x",
            " 2024-04 ",
            "2024-",
            "999",
            "12345",
            "20é4",
            "2024-xx-01",
            "1999-12-31",
            "soon",
            "",
            "-04",
        ];
        for a in texts {
            for b in texts {
                let (da, db) = (Date(a.into()), Date(b.into()));
                assert_eq!(
                    by_date(Some(&da), Some(&db)),
                    key_bytes(&da).cmp(key_bytes(&db)),
                    "{a:?} against {b:?}"
                );
                assert_eq!(date_key(&da), key_bytes(&da).collect::<Vec<u8>>(), "{a:?}");
            }
        }
    }

    #[test]
    fn dollars_read_short() {
        assert_eq!(usd(1.2e9), "US$1.2 billion");
        assert_eq!(usd(12_500_000.0), "US$12.5 million");
        assert_eq!(usd(950_000.0), "US$950,000");
        assert_eq!(usd(110e6), "US$110 million");
    }
}
