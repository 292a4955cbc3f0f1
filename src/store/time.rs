//! Instants as milliseconds since the Unix epoch, and the few calendar conversions the store
//! and its commands need (UTC only), without a date-time dependency.

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// The wall clock now. Callers read it once and pass the value on (tests pass their own).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `2026-12-01T14:03:09Z`.
pub fn format_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS][Z]` (UTC) or `@SECONDS` into milliseconds.
pub fn parse_instant(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Some(secs) = t.strip_prefix('@') {
        return secs.parse::<i64>().ok().map(|s| s * 1000);
    }
    let t = t.trim_end_matches('Z');
    let (date, clock) = match t.split_once(['T', ' ']) {
        Some((d, c)) => (d, Some(c)),
        None => (t, None),
    };
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(c) = clock {
        let mut f = c.split(':');
        let h: i64 = f.next()?.parse().ok()?;
        let min: i64 = f.next()?.parse().ok()?;
        let s: i64 = match f.next() {
            Some(s) => s.split('.').next()?.parse().ok()?,
            None => 0,
        };
        if h > 23 || min > 59 || s > 60 {
            return None;
        }
        secs += h * 3600 + min * 60 + s;
    }
    Some(secs * 1000)
}

/// The first `YYYY-MM-DD` (or `YYYY年M月D日`, `YYYY/MM/DD`) date in free text, as `YYYYMMDD`,
/// for the Wayback Machine's `timestamp` parameter.
pub fn date_digits(text: &str) -> Option<String> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
            .expect("date pattern is valid")
    });
    let c = DATE.captures(text)?;
    let m: u32 = c[2].parse().ok()?;
    let d: u32 = c[3].parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{}{m:02}{d:02}", &c[1]))
}

/// `YYYYMMDD` of an instant.
pub fn ms_digits(ms: i64) -> String {
    format_ms(ms)[..10].replace('-', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let ms = parse_instant("2026-12-01T14:03:09Z").unwrap();
        assert_eq!(format_ms(ms), "2026-12-01T14:03:09Z");
        assert_eq!(parse_instant("1970-01-01"), Some(0));
        assert_eq!(parse_instant("2000-03-01").unwrap() / DAY_MS, 11_017);
        assert_eq!(parse_instant("@86400"), Some(DAY_MS));
        assert_eq!(
            format_ms(parse_instant("2024-02-29").unwrap()),
            "2024-02-29T00:00:00Z"
        );
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_instant("yesterday"), None);
        assert_eq!(parse_instant("2024-13-01"), None);
        assert_eq!(parse_instant("2024-01-01T25:00"), None);
    }

    #[test]
    fn dates_in_text() {
        assert_eq!(
            date_digits("Published 2024-05-12 09:00").as_deref(),
            Some("20240512")
        );
        assert_eq!(
            date_digits("2025年8月22日 10:31").as_deref(),
            Some("20250822")
        );
        assert_eq!(date_digits("no date"), None);
        assert_eq!(ms_digits(0), "19700101");
    }
}
