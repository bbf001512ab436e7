//! When a partnership was announced, where the text does not say it in the same sentence.

use super::dates::Ymd;
use super::{PartnershipFact, Sent};
use crate::model::Date;

/// Fills dates the text does not state: the first day-precise date of the partnership's first
/// paragraph, else the document's date (to the day for a press release, to the month for news).
pub fn default_dates(
    sents: &[Sent],
    parts: &mut [PartnershipFact],
    published: Option<Ymd>,
    press: bool,
) {
    let first_cite =
        |p: &PartnershipFact| p.citations.first().map(|c| (c.paragraph, c.sentence_index));
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| first_cite(&parts[i]));
    // a partnership told without a date right after one dated within two weeks of the
    // document shares that date ("struck its own agreement on the same visit")
    let mut recent: Option<Date> = None;
    for &i in &order {
        let p = &mut parts[i];
        match &p.announced {
            Some(d)
                if d.0.len() == 10 && published.is_some_and(|pubd| within_days(d, pubd, 14)) =>
            {
                recent = Some(d.clone())
            }
            Some(_) => {}
            None => p.announced = inherit(p, sents, &recent),
        }
    }
    for p in parts.iter_mut().filter(|p| p.announced.is_none()) {
        let para = p.citations.first().map(|c| c.paragraph);
        let in_para = sents
            .iter()
            .filter(|s| Some(s.p) == para)
            .flat_map(|s| s.dates.iter().filter(|d| !s.in_quote(d.start)))
            .find(|d| d.date.0.len() == 10)
            .map(|d| d.date.clone());
        p.announced = in_para.or_else(|| {
            published.map(|d| {
                if press || d.d == 0 {
                    d.to_date()
                } else {
                    Ymd { d: 0, ..d }.to_date()
                }
            })
        });
    }
}

/// The day date of the partnership's paragraph, else the date of the partnership just before.
fn inherit(p: &PartnershipFact, sents: &[Sent], recent: &Option<Date>) -> Option<Date> {
    let para = p.citations.first().map(|c| c.paragraph);
    sents
        .iter()
        .filter(|s| Some(s.p) == para)
        .flat_map(|s| s.dates.iter().filter(|d| !s.in_quote(d.start)))
        .find(|d| d.date.0.len() == 10)
        .map(|d| d.date.clone())
        .or_else(|| overview_date(sents, para))
        .or_else(|| recent.clone())
}

/// The day date of an overview sentence in the paragraph before ("… signed two agreements on
/// 9 May. In the first, …"): a sentence naming agreements or partnerships in the plural.
fn overview_date(sents: &[Sent], para: Option<usize>) -> Option<Date> {
    let prev = para?.checked_sub(1)?;
    sents
        .iter()
        .filter(|s| s.p == prev)
        .filter(|s| {
            let w = super::relations::plain_words(s);
            [
                " agreements ",
                " partnerships ",
                " deals ",
                " memoranda ",
                " accords ",
            ]
            .iter()
            .any(|c| w.contains(c))
        })
        .flat_map(|s| s.dates.iter().filter(|d| !s.in_quote(d.start)))
        .find(|d| d.date.0.len() == 10)
        .map(|d| d.date.clone())
}

/// Whether a day date is within `days` days before (or on) the document's date.
fn within_days(d: &Date, published: Ymd, days: i64) -> bool {
    let Some(x) = Ymd::parse(&d.0) else {
        return false;
    };
    if published.d == 0 {
        return false;
    }
    let diff = published.day_number() - x.day_number();
    (0..=days).contains(&diff)
}

#[cfg(test)]
mod tests {
    use crate::extract::tests_support::facts_of;

    fn announced(body: &str) -> Vec<String> {
        facts_of(body)
            .partnerships
            .iter()
            .map(|p| p.announced.clone().map(|d| d.0).unwrap_or_default())
            .collect()
    }

    #[test]
    fn a_date_in_the_sentence_wins() {
        assert_eq!(
            announced(
                "June 9, 2022\n\nZed University and Pellow University signed an agreement on 3 May 2022 in the hall."
            ),
            ["2022-05-03"]
        );
    }

    #[test]
    fn without_a_date_a_news_partnership_takes_the_month_of_the_page() {
        assert_eq!(
            announced(
                "June 9, 2022\n\nZed University and Pellow University will work together on robots and sensors."
            ),
            ["2022-06"]
        );
    }

    #[test]
    fn a_partnership_told_right_after_a_dated_one_shares_its_date() {
        let a = announced(
            "June 9, 2022\n\nZed University and Pellow University signed an agreement on Tuesday to share robots.\n\n\
             Separately, Grimsby Labs Inc. struck its own agreement with Pellow University on the same trip.",
        );
        assert_eq!(a, ["2022-06-07", "2022-06-07"]);
    }

    #[test]
    fn an_overview_date_in_the_paragraph_before_dates_the_partnerships_after() {
        let a = announced(
            "June 9, 2022\n\nThe two ministries signed two agreements on 3 May 2022 in the capital.\n\n\
             In the first, Zed University will work with Pellow University on robots; in the second, \
             Grimsby Labs Inc. and Quarx Institute will collaborate on sensors.",
        );
        assert_eq!(a, ["2022-05-03", "2022-05-03"]);
    }
}
