//! Dates: absolute ("April 9, 2024", "9 April 2024", "2024-04-09", "16.02.2018"), partial
//! ("May 2022", "late 2024", "in 2025") and relative ones ("last summer", "on Friday", "the 12th",
//! "next year"), resolved against the document's date.

use crate::model::Date;
use regex::{Regex, RegexSet};
use std::sync::{LazyLock, OnceLock};

/// A calendar date with optional month and day (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    /// Year.
    pub y: i32,
    /// Month 1–12, or 0.
    pub m: u32,
    /// Day 1–31, or 0.
    pub d: u32,
}

impl Ymd {
    /// Reads "2024-04-15", "2024-04", "2024" or "2024-summer" (the season is dropped).
    pub fn parse(s: &str) -> Option<Ymd> {
        let mut parts = s.split('-');
        let y: i32 = parts.next()?.get(..4)?.parse().ok()?;
        let m: u32 = parts
            .next()
            .and_then(|p| p.get(..2)?.parse().ok())
            .unwrap_or(0);
        let d: u32 = parts
            .next()
            .and_then(|p| p.get(..2)?.parse().ok())
            .unwrap_or(0);
        (m <= 12 && d <= 31).then_some(Ymd { y, m, d })
    }

    /// As a model date with the precision it has.
    pub fn to_date(self) -> Date {
        Date(match (self.m, self.d) {
            (0, _) => format!("{:04}", self.y),
            (m, 0) => format!("{:04}-{:02}", self.y, m),
            (m, d) => format!("{:04}-{:02}-{:02}", self.y, m, d),
        })
    }

    /// Days since 1970-01-01 (missing month or day count as 1).
    pub fn day_number(self) -> i64 {
        self.days()
    }

    fn days(self) -> i64 {
        days_from_civil(self.y, self.m.max(1), self.d.max(1))
    }

    fn from_days(z: i64) -> Ymd {
        let (y, m, d) = civil_from_days(z);
        Ymd { y, m, d }
    }

    /// 0 = Monday … 6 = Sunday.
    fn weekday(self) -> i64 {
        (self.days() + 3).rem_euclid(7)
    }
}

/// Days since 1970-01-01 (proleptic Gregorian), after H. Hinnant's algorithm.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

/// A date found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// The words as written.
    pub text: String,
    /// The date they mean.
    pub date: Date,
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

const MONTHS: &str = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const WEEKDAYS: &str = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

/// Every date pattern, tried in order; earlier ones win where matches overlap. Each is
/// compiled the first time a text holds a match for it (`ANY` tells): a rebuild that extracts
/// one document compiles only those its dates need, and not every pattern a second time
/// beside `ANY` (compiling them was most of the time it took to extract that document).
static PATTERNS: LazyLock<Vec<(Kind, String, OnceLock<Regex>)>> = LazyLock::new(|| {
    let m = MONTHS;
    let w = WEEKDAYS;
    let seasons = r"(spring|summer|fall|autumn|winter)";
    [
        (Kind::Mdy, format!(r"\b{m}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
        (Kind::Dmy, format!(r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{m}\.?,?\s+(\d{{4}})\b")),
        (Kind::Iso, r"\b(\d{4})-(\d{2})-(\d{2})(?:T|\b)".to_owned()),
        (Kind::Dotted, r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b".to_owned()),
        (Kind::Slashed, r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b".to_owned()),
        (Kind::Md, format!(r"\b(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?{m}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")),
        (Kind::My, format!(r"\b{m}\.?,?\s+(\d{{4}})\b")),
        (Kind::SeasonYear, r"(?i)\b(early|mid|late|end of|the end of|first half of|second half of|spring|summer|fall|autumn|winter)(?:\s+of)?\s+(\d{4})\b".to_owned()),
        (Kind::RelSeason, format!(r"(?i)\b(last|this|next|in the|this past|the coming)\s+{seasons}\b")),
        (Kind::RelWeekday, format!(r"\b(?:(last|this|next|on|On|Last|This|Next)\s+)?{w}\b")),
        (Kind::RelMonth, format!(r"\b(last|this|next|in|since|by|for|until|Last|This|Next|In|Since|By)\s+{m}\b")),
        (Kind::RelUnit, r"(?i)\b(last|this|next|past|coming|earlier this|later this|end of the|the end of the|by the end of the)\s+(week|month|year)\b".to_owned()),
        (Kind::Day, r"(?i)\b(today|yesterday|tomorrow)\b".to_owned()),
        (Kind::Nth, r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b".to_owned()),
        (Kind::Year, r"(?:^|[^\w$€£¥₩.,/-])((?:19|20)\d{2})\b(?:[^\w%-]|$)".to_owned()),
    ]
    .into_iter()
    // ASCII word boundaries keep the regexes on their fast engines on text with curly
    // quotes and dashes, where a Unicode boundary sends them to the slow ones.
    .map(|(k, p)| (k, p.replace(r"\b", r"(?-u:\b)"), OnceLock::new()))
    .collect()
});

/// All date patterns in one pass: which of them occur in a text at all, so a sentence is
/// searched only with those (most sentences hold no date).
static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(PATTERNS.iter().map(|(_, p, _)| p)).expect("date patterns compile")
});

/// The date pattern at `i` in `PATTERNS`, compiled.
fn pattern(i: usize) -> (Kind, &'static Regex) {
    let (kind, p, re) = &PATTERNS[i];
    (
        *kind,
        re.get_or_init(|| Regex::new(p).expect("date pattern compiles")),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mdy,
    Dmy,
    Iso,
    Dotted,
    Slashed,
    Md,
    My,
    SeasonYear,
    RelSeason,
    RelWeekday,
    RelMonth,
    RelUnit,
    Day,
    Nth,
    Year,
}

fn month_num(s: &str) -> Option<u32> {
    let k = s.get(..3)?.to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names.iter().position(|n| *n == k).map(|i| i as u32 + 1)
}

fn weekday_num(s: &str) -> Option<i64> {
    let k = s.get(..3)?.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|n| *n == k)
        .map(|i| i as i64)
}

fn season_name(s: &str) -> &'static str {
    match s.to_ascii_lowercase().as_str() {
        "spring" => "spring",
        "summer" => "summer",
        "winter" => "winter",
        _ => "autumn",
    }
}

fn valid(y: i32, m: u32, d: u32) -> Option<Ymd> {
    let ok = (1..=12).contains(&m) && (1..=31).contains(&d) && (1800..=2200).contains(&y);
    ok.then(|| Ymd::from_days(days_from_civil(y, m, d)))
        .filter(|x| x.m == m && x.d == d)
}

/// Whether words around a relative date point to the future ("will", "next", "planned").
fn future_tense(context: &str) -> bool {
    let c = context.to_ascii_lowercase();
    [
        " will ",
        " would ",
        "planned",
        "expected",
        "due ",
        " next ",
        " to be ",
        " plans ",
        " aims ",
        "scheduled",
    ]
    .iter()
    .any(|w| c.contains(w))
}

/// Finds the dates in `text`; relative ones need `anchor` (the document's date).
/// Every date in `text`; `day_first` reads an ambiguous "09/04/2024" as 9 April (else
/// September 4), while a slashed date with a part over 12 is read the only way it can be.
pub fn find_dates(text: &str, anchor: Option<Ymd>, day_first: bool) -> Vec<DateMention> {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    let future = future_tense(&format!(" {text} "));
    let present = ANY.matches(text);
    for (kind, re) in present.iter().map(pattern) {
        for c in re.captures_iter(text) {
            let Some(whole) = c.get(0) else { continue };
            let (mut start, mut end) = (whole.start(), whole.end());
            if kind == Kind::Year {
                let Some(g) = c.get(1) else { continue };
                (start, end) = (g.start(), g.end());
            }
            if taken.iter().any(|&(s, e)| start < e && s < end) {
                continue;
            }
            let g = |i: usize| c.get(i).map_or("", |m| m.as_str());
            let num = |i: usize| g(i).parse::<u32>().unwrap_or(0);
            let year = |i: usize| g(i).parse::<i32>().unwrap_or(0);
            let date: Option<Date> = match kind {
                Kind::Mdy => month_num(g(1))
                    .and_then(|m| valid(year(3), m, num(2)))
                    .map(Ymd::to_date),
                Kind::Dmy => month_num(g(2))
                    .and_then(|m| valid(year(3), m, num(1)))
                    .map(Ymd::to_date),
                Kind::Iso => valid(year(1), num(2), num(3)).map(Ymd::to_date),
                Kind::Dotted => valid(year(3), num(2), num(1)).map(Ymd::to_date),
                Kind::Slashed => match (num(1), num(2)) {
                    (a, b) if a > 12 => valid(year(3), b, a).map(Ymd::to_date),
                    (a, b) if b > 12 => valid(year(3), a, b).map(Ymd::to_date),
                    (a, b) if day_first => valid(year(3), b, a).map(Ymd::to_date),
                    (a, b) => valid(year(3), a, b).map(Ymd::to_date),
                },
                Kind::Md => anchor.and_then(|a| {
                    let m = month_num(g(1))?;
                    // the year that puts the date nearest the document's date
                    [a.y - 1, a.y, a.y + 1]
                        .into_iter()
                        .filter_map(|y| valid(y, m, num(2)))
                        .min_by_key(|x| (x.days() - a.days()).abs())
                        .map(Ymd::to_date)
                }),
                Kind::My => month_num(g(1)).map(|m| {
                    Ymd {
                        y: year(2),
                        m,
                        d: 0,
                    }
                    .to_date()
                }),
                Kind::SeasonYear => {
                    let w = g(1).to_ascii_lowercase();
                    let y = year(2);
                    Some(match w.as_str() {
                        "spring" | "summer" | "fall" | "autumn" | "winter" => {
                            Date(format!("{y:04}-{}", season_name(&w)))
                        }
                        _ => Date(format!("{y:04}")),
                    })
                }
                Kind::RelSeason => anchor.map(|a| {
                    let which = g(1).to_ascii_lowercase();
                    let season = season_name(g(2));
                    let y = match which.as_str() {
                        "last" | "this past" => a.y - 1 + i32::from(season_before(season, a.m)),
                        "next" | "the coming" => a.y + i32::from(season_before(season, a.m)),
                        _ => a.y,
                    };
                    Date(format!("{y:04}-{season}"))
                }),
                Kind::RelWeekday => anchor.filter(|a| a.d > 0).and_then(|a| {
                    let wd = weekday_num(g(2))?;
                    let which = g(1).to_ascii_lowercase();
                    let diff = (a.weekday() - wd).rem_euclid(7);
                    let days = match which.as_str() {
                        "next" => a.days() + (wd - a.weekday()).rem_euclid(7).max(1),
                        "last" => a.days() - if diff == 0 { 7 } else { diff },
                        _ if future => a.days() + (wd - a.weekday()).rem_euclid(7),
                        _ => a.days() - diff,
                    };
                    Some(Ymd::from_days(days).to_date())
                }),
                Kind::RelMonth => anchor.and_then(|a| {
                    let m = month_num(g(2))?;
                    if g(2) == "May"
                        && !matches!(
                            g(1).to_ascii_lowercase().as_str(),
                            "last" | "next" | "this" | "in"
                        )
                    {
                        return None;
                    }
                    let which = g(1).to_ascii_lowercase();
                    let y = match which.as_str() {
                        "last" | "since" => a.y - i32::from(m >= a.m),
                        "next" => a.y + i32::from(m <= a.m),
                        _ if future => a.y + i32::from(m < a.m),
                        _ => a.y - i32::from(m > a.m),
                    };
                    Some(Ymd { y, m, d: 0 }.to_date())
                }),
                Kind::RelUnit => anchor.map(|a| {
                    let which = g(1).to_ascii_lowercase();
                    let unit = g(2).to_ascii_lowercase();
                    let step = match which.as_str() {
                        "last" | "past" => -1,
                        "next" | "coming" => 1,
                        _ => 0,
                    };
                    match unit.as_str() {
                        "year" => Ymd {
                            y: a.y + step,
                            m: 0,
                            d: 0,
                        }
                        .to_date(),
                        "month" if a.m > 0 => {
                            let idx = i64::from(a.y) * 12 + i64::from(a.m) - 1 + step as i64;
                            Ymd {
                                y: idx.div_euclid(12) as i32,
                                m: idx.rem_euclid(12) as u32 + 1,
                                d: 0,
                            }
                            .to_date()
                        }
                        "week" if a.d > 0 => Ymd::from_days(a.days() + 7 * step as i64).to_date(),
                        _ => Ymd {
                            y: a.y,
                            m: a.m,
                            d: 0,
                        }
                        .to_date(),
                    }
                }),
                Kind::Day => anchor.filter(|a| a.d > 0).map(|a| {
                    let step = match g(1).to_ascii_lowercase().as_str() {
                        "yesterday" => -1,
                        "tomorrow" => 1,
                        _ => 0,
                    };
                    Ymd::from_days(a.days() + step).to_date()
                }),
                Kind::Nth => anchor.filter(|a| a.m > 0).and_then(|a| {
                    let d = num(1);
                    let (y, m) = if a.d > 0 && d > a.d {
                        if a.m == 1 {
                            (a.y - 1, 12)
                        } else {
                            (a.y, a.m - 1)
                        }
                    } else {
                        (a.y, a.m)
                    };
                    valid(y, m, d).map(Ymd::to_date)
                }),
                Kind::Year => Some(Date(g(1).to_owned())),
            };
            if let Some(date) = date {
                taken.push((start, end));
                out.push(DateMention {
                    text: text[start..end].to_owned(),
                    date,
                    start,
                    end,
                });
            }
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

/// Whether `season` starts before month `m` in the same year (spring: March).
fn season_before(season: &str, m: u32) -> bool {
    let start = match season {
        "spring" => 3,
        "summer" => 6,
        "autumn" => 9,
        _ => 12,
    };
    m >= start
}

/// The first absolute date in `text` (a dateline, a byline, a front-matter value).
pub fn parse_published(text: &str) -> Option<Date> {
    find_dates(text, None, false)
        .into_iter()
        .find(|d| d.date.0.len() >= 7 || text.trim().len() <= 6)
        .map(|d| d.date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, anchor: &str) -> Vec<String> {
        find_dates(text, Ymd::parse(anchor), false)
            .into_iter()
            .map(|d| d.date.0)
            .collect()
    }

    #[test]
    fn every_date_pattern_compiles_alone_as_in_the_set() {
        assert_eq!(ANY.len(), PATTERNS.len());
        for i in 0..PATTERNS.len() {
            let (_, re) = pattern(i);
            assert_eq!(re.as_str(), ANY.patterns()[i]);
        }
    }

    #[test]
    fn absolute_formats_give_full_dates() {
        assert_eq!(
            at("On April 9, 2024 and 9 April 2024", "2000"),
            ["2024-04-09", "2024-04-09"]
        );
        assert_eq!(
            at("stamp 2024-04-09, 16.02.2018, Feb. 1, 2023", "2000"),
            ["2024-04-09", "2018-02-16", "2023-02-01"]
        );
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        assert_eq!(
            at("In May 2022 they met; it opens in 2025.", "2024-01-01"),
            ["2022-05", "2025"]
        );
        assert_eq!(at("due in fall 2016", "2015-06-19"), ["2016-autumn"]);
        assert_eq!(at("in late 2024", "2025-04-02"), ["2024"]);
    }

    #[test]
    fn relative_dates_resolve_from_the_document_date() {
        assert_eq!(at("signed last summer", "2024-04-15"), ["2023-summer"]);
        assert_eq!(at("unveiled it on Thursday", "2015-06-19"), ["2015-06-18"]);
        assert_eq!(at("signed on Friday", "2018-02-16"), ["2018-02-16"]);
        assert_eq!(at("agreed last May", "2023-02-01"), ["2022-05"]);
        assert_eq!(
            at("signed on the 12th (local time)", "2023-12-13"),
            ["2023-12-12"]
        );
        assert_eq!(at("announced today", "2024-04-03"), ["2024-04-03"]);
        assert_eq!(at("will open next year", "2024-04-03"), ["2025"]);
        assert_eq!(at("starts in the spring", "2024-01-10"), ["2024-spring"]);
    }

    #[test]
    fn month_and_day_without_year_take_the_nearest_year() {
        assert_eq!(at("on Friday, April 5, during", "2024-04"), ["2024-04-05"]);
    }

    #[test]
    fn ambiguous_slashed_dates_follow_the_day_first_setting() {
        let day = |t: &str, df: bool| {
            find_dates(t, None, df)
                .into_iter()
                .map(|d| d.date.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(day("on 09/04/2024", true), vec!["2024-04-09"]);
        assert_eq!(day("on 09/04/2024", false), vec!["2024-09-04"]);
        assert_eq!(day("on 25/04/2024", false), vec!["2024-04-25"]);
    }

    #[test]
    fn future_weekday_looks_forward() {
        assert_eq!(
            at("The council will meet on Friday.", "2024-04-15"),
            ["2024-04-19"]
        );
    }

    #[test]
    fn numbers_that_are_not_years_are_ignored() {
        assert!(at("about 2500 people and $2024 and 2030%", "2024").is_empty());
    }

    #[test]
    fn published_date_from_a_byline() {
        assert_eq!(
            parse_published("By Jo Doe · Dec. 13, 2023 (GMT+09:00)")
                .unwrap()
                .0,
            "2023-12-13"
        );
        assert_eq!(parse_published("Posted: April 2024").unwrap().0, "2024-04");
        assert_eq!(
            parse_published("2025-04-02T08:30:00+02:00").unwrap().0,
            "2025-04-02"
        );
    }
}
