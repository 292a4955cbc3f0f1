//! Dates of citations and candidate pages, for date plausibility.
//!
//! A cited date is written by an editor (`2025年8月22日`, `22 August 2025`, `Aug. 22, 2025`,
//! `2025-08-22`); a candidate's date comes from a search API (`2025-08-22T10:15:00Z`,
//! `20250822T101500Z`) or the page's metadata. Both are read to a calendar day (or month, or
//! year, when that is all they say), and the offset between them says whether the candidate
//! can be the cited page: papers reuse headlines (`7月份国民经济运行稳中有进`) every year.

use crate::search::api::days_from_civil;
use regex::Regex;
use std::sync::LazyLock;

/// A candidate dated further than this from the cited date (both to the day) is not the
/// cited page.
pub const MAX_DATE_OFFSET_DAYS: i64 = 45;

/// A date to the day, month or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilDate {
    pub year: i64,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl CivilDate {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The first and last day it may mean, as days since the Unix epoch.
    fn span(&self) -> (i64, i64) {
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                let x = days_from_civil(self.year, m, d);
                (x, x)
            }
            (Some(m), None) => {
                let start = days_from_civil(self.year, m, 1);
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                (start, days_from_civil(ny, nm, 1) - 1)
            }
            _ => (
                days_from_civil(self.year, 1, 1),
                days_from_civil(self.year, 12, 31),
            ),
        }
    }
}

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?|(\d{2})(\d{2})(?:T|\D|$))?",
    )
    .expect("valid numeric date regex")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b")
        .expect("valid day-month-year regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
        .expect("valid month-day-year regex")
});
static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{4})\b").expect("valid regex"));

fn valid(year: i64, month: Option<u32>, day: Option<u32>) -> Option<CivilDate> {
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let month = month.filter(|m| (1..=12).contains(m));
    let day = month.and(day.filter(|d| (1..=31).contains(d)));
    Some(CivilDate { year, month, day })
}

/// The first date in `text`: numeric (`2025-08-22`, `2025/8/22`, `2025年8月22日`,
/// `20250822T…`), or English (`22 August 2025`, `Aug. 22, 2025`, `August 2025`).
pub fn parse_date(text: &str) -> Option<CivilDate> {
    let mut found: Vec<(usize, CivilDate)> = Vec::new();
    if let Some(c) = NUMERIC.captures(text) {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let year: i64 = c[1].parse().ok()?;
        let date = if c.get(4).is_some() {
            valid(year, n(4), n(5))
        } else {
            valid(year, n(2), n(3))
        };
        if let Some(d) = date {
            found.push((c.get(0).map_or(0, |m| m.start()), d));
        }
    }
    for (re, day_i, month_i) in [(&*DAY_MONTH_YEAR, 1, 2), (&*MONTH_DAY_YEAR, 2, 1)] {
        for c in re.captures_iter(text) {
            let Some(m) = crate::text::english_month(&c[month_i]) else {
                continue;
            };
            let year: i64 = c[3].parse().ok()?;
            if let Some(d) = valid(year, Some(m), c[day_i].parse().ok()) {
                found.push((c.get(0).map_or(0, |m| m.start()), d));
                break;
            }
        }
    }
    {
        for c in MONTH_YEAR.captures_iter(text) {
            if let (Some(m), Ok(y)) = (crate::text::english_month(&c[1]), c[2].parse::<i64>()) {
                if let Some(d) = valid(y, Some(m), None) {
                    found.push((c.get(0).map_or(0, |m| m.start()), d));
                    break;
                }
            }
        }
    }
    found.into_iter().min_by_key(|(p, _)| *p).map(|(_, d)| d)
}

/// Days between two dates, 0 when their spans overlap (`2025-08` and `2025-08-22`), else the
/// gap between the nearest ends; positive when `candidate` is later than `cited`.
pub fn offset_days(cited: &CivilDate, candidate: &CivilDate) -> i64 {
    let (a0, a1) = cited.span();
    let (b0, b1) = candidate.span();
    if b0 > a1 {
        b0 - a1
    } else if a0 > b1 {
        b1 - a0
    } else {
        0
    }
}

/// The offset in days of a candidate's date from the cited date, when both can be read.
pub fn date_offset(cited: Option<&str>, candidate: Option<&str>) -> Option<i64> {
    let a = parse_date(cited?)?;
    let b = parse_date(candidate?)?;
    Some(offset_days(&a, &b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<&str>) {
        assert_eq!(
            parse_date(text).map(|d| d.iso()).as_deref(),
            expected,
            "{text}"
        );
    }

    #[test]
    fn reads_the_forms_editors_and_apis_write() {
        check("2025年8月22日", Some("2025-08-22"));
        check("2025-08-22T10:15:00Z", Some("2025-08-22"));
        check("20250822T101500Z", Some("2025-08-22"));
        check("2025/8/2", Some("2025-08-02"));
        check("22 August 2025", Some("2025-08-22"));
        check("Aug. 22, 2025", Some("2025-08-22"));
        check("September 3rd, 2024", Some("2024-09-03"));
        check("Sept 3 2024", Some("2024-09-03"));
        check("August 2025", Some("2025-08"));
        check("2025年8月", Some("2025-08"));
        check("2025", Some("2025"));
        check("no date here", None);
        check("Mayday 12, 2025", Some("2025"));
        check("1066-10-14", None);
    }

    #[test]
    fn offsets_respect_precision() {
        let d = |s: &str| parse_date(s).unwrap();
        assert_eq!(offset_days(&d("2025-08-22"), &d("2025-08-22T23:00")), 0);
        assert_eq!(offset_days(&d("2025-08-22"), &d("2025-08-25")), 3);
        assert_eq!(offset_days(&d("2025-08-22"), &d("2024-08-22")), -365);
        assert_eq!(offset_days(&d("2025-08"), &d("2025-08-31")), 0);
        assert_eq!(offset_days(&d("2025-08"), &d("2025-09-02")), 2);
        assert_eq!(offset_days(&d("2025"), &d("2024-12-31")), -1);
        assert_eq!(date_offset(Some("2025年8月22日"), None), None);
        assert_eq!(
            date_offset(Some("2025年8月22日"), Some("22 Aug 2025")),
            Some(0)
        );
    }
}
