//! Publication dates compared at the day (or the gold text's coarser) granularity.
//!
//! The Chinese set writes dates as `YYYY-MM-DD HH:MM:SS` with missing parts dropped and without
//! zero padding (`2005-5-7 21:23:57`, `1998-3`, `2018`), and `UNKNOWN` (sometimes misspelt, or
//! another field pasted by mistake) when the page shows none. Our `Page.published` is usually
//! `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, but a declared date that could not be parsed is kept as
//! written, so both sides go through the same lenient reader.

use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?)?")
        .expect("valid date regex")
});

/// A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the first date-looking run of `text`.
pub fn normalise(text: &str) -> Option<String> {
    let c = DATE.captures(text.trim())?;
    let year: u32 = c[1].parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let part = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    Some(match (part(2), part(3)) {
        (Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
            format!("{year:04}-{m:02}-{d:02}")
        }
        (Some(m), _) if (1..=12).contains(&m) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    })
}

/// How a page's date came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOutcome {
    /// Same day (or same month/year when the gold date is that coarse).
    Correct,
    /// We gave another date.
    Wrong,
    /// The gold has a date; we found none.
    Missing,
    /// The gold has no date and we gave none.
    CorrectlyAbsent,
    /// The gold has no date but we gave one.
    Spurious,
}

/// Compares our date with the gold text.
pub fn compare(gold: &str, ours: Option<&str>) -> DateOutcome {
    let ours = ours.and_then(normalise);
    match (normalise(gold), ours) {
        (Some(g), Some(o)) if o.starts_with(&g) => DateOutcome::Correct,
        (Some(_), Some(_)) => DateOutcome::Wrong,
        (Some(_), None) => DateOutcome::Missing,
        (None, None) => DateOutcome::CorrectlyAbsent,
        (None, Some(_)) => DateOutcome::Spurious,
    }
}

/// Date figures over a set of pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DateScores {
    /// Pages whose gold text has a date.
    pub with_gold_date: usize,
    pub correct: usize,
    pub wrong: usize,
    pub missing: usize,
    /// `correct / with_gold_date`.
    pub accuracy: f64,
    /// Pages without a gold date (`UNKNOWN`), and how many of them we gave a date anyway.
    pub without_gold_date: usize,
    pub spurious: usize,
}

pub fn aggregate(outcomes: &[DateOutcome]) -> DateScores {
    let mut s = DateScores::default();
    for o in outcomes {
        match o {
            DateOutcome::Correct => s.correct += 1,
            DateOutcome::Wrong => s.wrong += 1,
            DateOutcome::Missing => s.missing += 1,
            DateOutcome::CorrectlyAbsent => s.without_gold_date += 1,
            DateOutcome::Spurious => {
                s.without_gold_date += 1;
                s.spurious += 1;
            }
        }
    }
    s.with_gold_date = s.correct + s.wrong + s.missing;
    if s.with_gold_date > 0 {
        s.accuracy = s.correct as f64 / s.with_gold_date as f64;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<&str>) {
        assert_eq!(normalise(text).as_deref(), expected, "text: {text:?}");
    }

    #[test]
    fn normalising() {
        check("2005-5-7 21:23:57", Some("2005-05-07"));
        check("2005-06-14 03:25:55\n", Some("2005-06-14"));
        check("2022-02-13T07:00", Some("2022-02-13"));
        check("2022年2月13日 07:00", Some("2022-02-13"));
        check("1998-3", Some("1998-03"));
        check("2018", Some("2018"));
        check("UNKNOWN", None);
        check("UNKNWON", None);
        check("", None);
        check("刘涛", None);
    }

    #[test]
    fn outcomes() {
        assert_eq!(
            compare("2005-5-7 21:23:57", Some("2005-05-07T21:23")),
            DateOutcome::Correct
        );
        assert_eq!(compare("1998-3", Some("1998-03-20")), DateOutcome::Correct);
        assert_eq!(compare("2005-5-7", Some("2005-05-08")), DateOutcome::Wrong);
        assert_eq!(compare("2005-5-7", None), DateOutcome::Missing);
        assert_eq!(compare("UNKNOWN", None), DateOutcome::CorrectlyAbsent);
        assert_eq!(
            compare("UNKNOWN", Some("2020-01-01")),
            DateOutcome::Spurious
        );
        let s = aggregate(&[
            DateOutcome::Correct,
            DateOutcome::Wrong,
            DateOutcome::Spurious,
        ]);
        assert_eq!(
            (s.with_gold_date, s.correct, s.without_gold_date, s.spurious),
            (2, 1, 1, 1)
        );
        assert_eq!(s.accuracy, 0.5);
    }
}
