//! The allowed range of every numeric setting, in one table used by the config file (errors name
//! the file and line), the environment (errors name the variable) and the flags (clap names
//! the flag). A value outside its range is refused before any conversion, so nothing further
//! down (`Duration::from_secs_f64`, a rate's inverse, a day count in milliseconds) can overflow.

/// One numeric setting's range: `min..=max` in `unit`, and optionally 0 with a meaning of its
/// own (no limit, no wait).
#[derive(Debug, Clone, Copy)]
pub(super) struct Bound {
    pub section: &'static str,
    pub key: &'static str,
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
    /// What 0 means when it is allowed below `min`.
    pub zero: Option<&'static str>,
}

const DAY_SECS: f64 = 86_400.0;
const TEN_YEARS_DAYS: f64 = 3_650.0;

const fn bound(
    section: &'static str,
    key: &'static str,
    min: f64,
    max: f64,
    unit: &'static str,
    zero: Option<&'static str>,
) -> Bound {
    Bound {
        section,
        key,
        min,
        max,
        unit,
        zero,
    }
}

/// Every numeric setting of `config.toml`. A key absent here is not a number.
pub(super) const BOUNDS: &[Bound] = &[
    bound("fetch", "timeout_secs", 0.1, DAY_SECS, "seconds", None),
    bound(
        "fetch",
        "connect_timeout_secs",
        0.1,
        DAY_SECS,
        "seconds",
        None,
    ),
    bound(
        "fetch",
        "max_body_bytes",
        1024.0,
        4_294_967_296.0,
        "bytes",
        None,
    ),
    bound("fetch", "max_redirects", 0.0, 50.0, "redirects", None),
    bound("fetch", "retries", 0.0, 20.0, "retries", None),
    bound(
        "fetch",
        "per_host_concurrency",
        1.0,
        1024.0,
        "requests",
        None,
    ),
    bound(
        "fetch",
        "per_host_rate",
        0.001,
        10_000.0,
        "requests per second",
        Some("no limit"),
    ),
    bound("fetch", "max_concurrency", 1.0, 4096.0, "requests", None),
    bound(
        "fetch",
        "retry_after_cap_secs",
        0.1,
        DAY_SECS,
        "seconds",
        Some("never wait"),
    ),
    bound(
        "fetch",
        "min_speed_bytes_per_sec",
        0.0,
        1e12,
        "bytes per second",
        None,
    ),
    bound(
        "fetch",
        "min_speed_window_secs",
        0.1,
        DAY_SECS,
        "seconds",
        None,
    ),
    bound(
        "fetch",
        "cache_ttl_secs",
        1.0,
        TEN_YEARS_DAYS * DAY_SECS,
        "seconds",
        Some("always revalidate"),
    ),
    bound("run", "concurrency", 1.0, 1024.0, "citations", None),
    bound("run", "documents_in_flight", 1.0, 256.0, "documents", None),
    bound(
        "run",
        "max_input_bytes",
        1.0,
        1_073_741_824.0,
        "bytes",
        None,
    ),
    bound("run", "max_citations", 1.0, 1_000_000.0, "citations", None),
    bound("run", "min_score", 0.0, 1.0, "(a score)", None),
    bound(
        "recheck",
        "dead_after_failures",
        1.0,
        1000.0,
        "failures",
        None,
    ),
    bound(
        "recheck",
        "dead_failure_spacing_days",
        0.0001,
        TEN_YEARS_DAYS,
        "days",
        Some("no spacing"),
    ),
    bound(
        "recheck",
        "live_interval_days",
        0.0001,
        TEN_YEARS_DAYS,
        "days",
        None,
    ),
    bound(
        "recheck",
        "failing_interval_days",
        0.0001,
        TEN_YEARS_DAYS,
        "days",
        None,
    ),
    bound(
        "recheck",
        "dead_interval_days",
        0.0001,
        TEN_YEARS_DAYS,
        "days",
        None,
    ),
    bound(
        "recheck",
        "host_interval_ms",
        0.0,
        DAY_SECS * 1000.0,
        "milliseconds",
        None,
    ),
    bound("recheck", "lease_secs", 1.0, DAY_SECS, "seconds", None),
    bound("recheck", "concurrency", 1.0, 1024.0, "sources", None),
    bound("store", "busy_timeout_secs", 0.1, DAY_SECS, "seconds", None),
    bound(
        "serve",
        "max_body_bytes",
        1024.0,
        1_073_741_824.0,
        "bytes",
        None,
    ),
    bound("serve", "checks_kept", 1.0, 10_000.0, "checks", None),
    bound("serve", "checks_at_once", 1.0, 64.0, "checks", None),
    bound(
        "search",
        "wayback_cdx_limit",
        1.0,
        10_000.0,
        "captures",
        None,
    ),
];

impl Bound {
    /// `Ok` when `v` is inside the range (or is an allowed 0), else the reason, without the
    /// setting's name.
    pub fn check(&self, v: f64) -> Result<(), String> {
        let zero_ok = self.zero.is_some() && v == 0.0;
        if v.is_finite() && (zero_ok || (v >= self.min && v <= self.max)) {
            return Ok(());
        }
        let unit = if self.unit.starts_with('(') {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let zero = self
            .zero
            .map_or_else(String::new, |z| format!(", or 0 for {z}"));
        Err(format!(
            "must be from {} to {}{unit}{zero}; got {}",
            number(self.min),
            number(self.max),
            number(v)
        ))
    }

    /// The dotted name, `fetch.timeout_secs`.
    pub fn name(&self) -> String {
        format!("{}.{}", self.section, self.key)
    }
}

/// A number as a person writes it: `86400`, `0.1`, `1e300`.
fn number(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    if v.abs() >= 1e6 || v.abs() < 1e-4 {
        return format!("{v:e}");
    }
    format!("{v}")
}

/// The bound of `section.key`, if it is numeric.
pub(super) fn bound_of(section: &str, key: &str) -> Option<&'static Bound> {
    BOUNDS.iter().find(|b| b.section == section && b.key == key)
}

/// The first numeric setting of `table` out of its range: (`section.key`, reason).
pub(super) fn check_table(table: &toml::Table) -> Result<(), (String, String)> {
    for b in BOUNDS {
        let Some(value) = table
            .get(b.section)
            .and_then(toml::Value::as_table)
            .and_then(|t| t.get(b.key))
        else {
            continue;
        };
        check_value(b, value).map_err(|reason| (b.name(), reason))?;
    }
    Ok(())
}

/// Checks one TOML value against its bound; a value that is not a number is left to serde.
pub(super) fn check_value(b: &Bound, value: &toml::Value) -> Result<(), String> {
    let v = match value {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        _ => return Ok(()),
    };
    b.check(v)
}

/// The line (1-based) of `text` that sets `key` under `[section]`, if there is one.
pub(super) fn line_of(text: &str, section: &str, key: &str) -> Option<usize> {
    use super::config_key::{assigned_key, is_header};
    let dotted = format!("{section}.{key}");
    let mut current = "";
    for (i, line) in text.lines().enumerate() {
        if is_header(line) {
            current = line.trim().trim_matches(['[', ']']).trim();
        } else if let Some(k) = assigned_key(line) {
            if (current == section && k == key) || k == dotted {
                return Some(i + 1);
            }
        }
    }
    None
}

/// A clap value parser for a flag that sets `section.key`: the same range as the file.
fn flag_value(section: &'static str, key: &'static str, raw: &str) -> Result<f64, String> {
    let v: f64 = raw
        .trim()
        .parse()
        .map_err(|_| format!("not a number: {raw:?}"))?;
    bound_of(section, key)
        .expect("every flag's setting has a bound")
        .check(v)?;
    Ok(v)
}

/// `--timeout`: as `fetch.timeout_secs`.
pub(super) fn timeout_flag(raw: &str) -> Result<f64, String> {
    flag_value("fetch", "timeout_secs", raw)
}

/// `--min-score`: as `run.min_score`.
pub(super) fn min_score_flag(raw: &str) -> Result<f64, String> {
    flag_value("run", "min_score", raw)
}

/// `--lease-secs`: as `recheck.lease_secs`.
pub(super) fn lease_flag(raw: &str) -> Result<f64, String> {
    flag_value("recheck", "lease_secs", raw)
}

/// A whole-number flag for `section.key`.
fn count_flag(section: &'static str, key: &'static str, raw: &str) -> Result<usize, String> {
    let n: usize = raw
        .trim()
        .parse()
        .map_err(|_| format!("not a whole number: {raw:?}"))?;
    bound_of(section, key)
        .expect("every flag's setting has a bound")
        .check(n as f64)?;
    Ok(n)
}

/// `check --concurrency`: as `run.concurrency`.
pub(super) fn run_concurrency_flag(raw: &str) -> Result<usize, String> {
    count_flag("run", "concurrency", raw)
}

/// `--documents-in-flight`: as `run.documents_in_flight`.
pub(super) fn documents_in_flight_flag(raw: &str) -> Result<usize, String> {
    count_flag("run", "documents_in_flight", raw)
}

/// `serve --max-body-bytes`: as `serve.max_body_bytes`.
pub(super) fn max_body_bytes_flag(raw: &str) -> Result<usize, String> {
    count_flag("serve", "max_body_bytes", raw)
}

/// `serve --checks-at-once`: as `serve.checks_at_once`.
pub(super) fn checks_at_once_flag(raw: &str) -> Result<usize, String> {
    count_flag("serve", "checks_at_once", raw)
}

/// `recheck --concurrency`: as `recheck.concurrency`.
pub(super) fn recheck_concurrency_flag(raw: &str) -> Result<usize, String> {
    count_flag("recheck", "concurrency", raw)
}

/// `--host-interval-ms`: as `recheck.host_interval_ms`.
pub(super) fn host_interval_flag(raw: &str) -> Result<u64, String> {
    count_flag("recheck", "host_interval_ms", raw).map(|n| n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn extreme_values_are_refused_with_the_range() {
        let b = bound_of("fetch", "timeout_secs").unwrap();
        for v in [0.0, 0.05, -1.0, 1e300, f64::NAN, f64::INFINITY, 86_401.0] {
            let err = b.check(v).unwrap_err();
            assert!(
                err.starts_with("must be from 0.1 to 86400 seconds"),
                "{err}"
            );
        }
        assert!(b.check(0.1).is_ok() && b.check(86_400.0).is_ok() && b.check(30.0).is_ok());
        let rate = bound_of("fetch", "per_host_rate").unwrap();
        assert!(rate.check(0.0).is_ok(), "0 means no limit");
        let err = rate.check(1e-300).unwrap_err();
        assert!(err.contains("or 0 for no limit; got 1e-300"), "{err}");
    }

    #[test]
    fn every_bound_is_a_setting_of_the_shipped_config() {
        let text = include_str!("../../config.toml");
        let table: toml::Table = toml::from_str(text).unwrap();
        for b in BOUNDS {
            let value = table
                .get(b.section)
                .and_then(toml::Value::as_table)
                .and_then(|t| t.get(b.key));
            match value {
                Some(value) => {
                    check_value(b, value).unwrap_or_else(|e| panic!("{}: default {e}", b.name()));
                    assert!(line_of(text, b.section, b.key).is_some(), "{}", b.name());
                }
                // A setting off by default is shown commented out.
                None => assert!(text.contains(&format!("# {} =", b.key)), "{}", b.name()),
            }
        }
    }

    #[test]
    fn line_of_finds_the_key_under_its_table() {
        let text = "[run]\ntimeout_secs = 1\n\n[fetch]\n# c\ntimeout_secs = 2\n";
        assert_eq!(line_of(text, "fetch", "timeout_secs"), Some(6));
        assert_eq!(line_of("fetch.retries = 3\n", "fetch", "retries"), Some(1));
        assert_eq!(line_of(text, "fetch", "retries"), None);
    }

    #[test]
    fn flags_share_the_file_ranges() {
        assert!(timeout_flag("1e300").is_err());
        assert!(timeout_flag("nan").is_err());
        assert!(timeout_flag("abc").unwrap_err().contains("not a number"));
        assert_eq!(timeout_flag("2.5"), Ok(2.5));
        assert!(run_concurrency_flag("0").is_err());
        assert!(lease_flag("1e30").is_err());
        assert!(min_score_flag("1.5").is_err());
        assert_eq!(host_interval_flag("0"), Ok(0));
    }

    proptest! {
        /// Every bound either refuses a value or accepts one that converts without overflow.
        #[test]
        fn any_value_is_refused_or_safe(v in prop::num::f64::ANY, i in 0..BOUNDS.len()) {
            let b = &BOUNDS[i];
            if b.check(v).is_ok() {
                prop_assert!(v.is_finite() && v >= 0.0);
                let seconds = match b.unit {
                    "days" => v * 86_400.0,
                    "milliseconds" => v / 1000.0,
                    "requests per second" if v > 0.0 => 1.0 / v,
                    _ => v,
                };
                prop_assert!(std::time::Duration::try_from_secs_f64(seconds).is_ok());
            }
        }
    }
}
