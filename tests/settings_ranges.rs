//! Numeric settings out of range (issue 17, part 3), run through the binary: from the config
//! file (the error names the file and line), the environment (it names the variable) and the
//! flags (it names the flag). Each is exit 2, never a panic (exit 101, which
//! `Duration::from_secs_f64` gave on `1e300` before), and nothing on stdout.

mod support;

use std::path::Path;
use std::process::Output;

use support::{citecheck, describe, seed_article};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_refused(output: &Output, expected: &str, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(2),
        "{what}: {}",
        describe(output)
    );
    assert!(
        stderr(output).contains(expected),
        "{what}: expected {expected:?}: {}",
        describe(output)
    );
    assert!(!stderr(output).contains("panicked"), "{}", describe(output));
    assert!(output.stdout.is_empty(), "{what}: {}", describe(output));
}

fn check_with_config(config: &Path) -> Output {
    citecheck()
        .args(["check", "--offline", "-q", "--config"])
        .arg(config)
        .arg(seed_article())
        .output()
        .expect("run citecheck")
}

#[test]
fn config_values_out_of_range_name_the_file_line_and_range() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            "[fetch]\nretries = 1\ntimeout_secs = 1e300\n",
            ":3: fetch.timeout_secs: must be from 0.1 to 86400 seconds; got 1e300",
        ),
        (
            "[fetch]\ntimeout_secs = 0\n",
            ":2: fetch.timeout_secs: must be from 0.1 to 86400 seconds; got 0",
        ),
        (
            "[fetch]\ntimeout_secs = nan\n",
            ":2: fetch.timeout_secs: must be from 0.1 to 86400 seconds; got nan",
        ),
        (
            "# politeness\n[fetch]\nper_host_rate = 1e-300\n",
            ":3: fetch.per_host_rate: must be from 0.001 to 10000 requests per second, \
             or 0 for no limit; got 1e-300",
        ),
        (
            "[recheck]\nlease_secs = 1e300\n",
            ":2: recheck.lease_secs: must be from 1 to 86400 seconds",
        ),
        (
            "[run]\nconcurrency = 4\n\n[recheck]\nlive_interval_days = 1e300\n",
            ":5: recheck.live_interval_days: must be from 0.0001 to 3650 days",
        ),
        (
            "[fetch]\nconnect_timeout_secs = -inf\n",
            ":2: fetch.connect_timeout_secs: must be from 0.1 to 86400 seconds; got -inf",
        ),
        (
            "[run]\nmin_score = 2\n",
            ":2: run.min_score: must be from 0 to 1; got 2",
        ),
        (
            "[run]\nconcurrency = 0\n",
            ":2: run.concurrency: must be from 1 to 1024 citations; got 0",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let config = dir.path().join(format!("range{i}.toml"));
        std::fs::write(&config, text).expect("write config");
        let output = check_with_config(&config);
        assert_refused(&output, &format!("range{i}.toml{expected}"), text);
    }
}

#[test]
fn environment_values_out_of_range_name_the_variable() {
    let cases = [
        ("CITECHECK_FETCH__TIMEOUT_SECS", "1e300"),
        ("CITECHECK_FETCH__PER_HOST_RATE", "1e-300"),
        ("CITECHECK_RECHECK__LEASE_SECS", "1e300"),
        ("CITECHECK_RECHECK__LIVE_INTERVAL_DAYS", "1e300"),
        ("CITECHECK_FETCH__TIMEOUT_SECS", "0"),
    ];
    for (name, value) in cases {
        let output = citecheck()
            .args(["check", "--offline", "-q"])
            .arg(seed_article())
            .env(name, value)
            .output()
            .expect("run citecheck");
        let key = name
            .strip_prefix("CITECHECK_")
            .unwrap()
            .replace("__", ".")
            .to_ascii_lowercase();
        assert_refused(
            &output,
            &format!("environment variable {name}: {key}: must be from"),
            name,
        );
    }
}

#[test]
fn flag_values_out_of_range_name_the_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("s.sqlite");
    let cases: Vec<Vec<String>> = vec![
        vec!["check".into(), "--timeout".into(), "1e300".into()],
        vec!["check".into(), "--timeout".into(), "0".into()],
        vec!["check".into(), "--timeout".into(), "nan".into()],
        vec!["check".into(), "--min-score".into(), "7".into()],
        vec!["check".into(), "--concurrency".into(), "0".into()],
        vec![
            "check".into(),
            "--documents-in-flight".into(),
            "100000".into(),
        ],
        vec!["page".into(), "--timeout".into(), "1e300".into()],
        vec![
            "recheck".into(),
            "--store".into(),
            store.display().to_string(),
            "--lease-secs".into(),
            "1e300".into(),
        ],
        vec![
            "recheck".into(),
            "--store".into(),
            store.display().to_string(),
            "--timeout".into(),
            "-1".into(),
        ],
    ];
    for args in cases {
        let flag = args
            .iter()
            .rev()
            .nth(1)
            .expect("a flag and its value")
            .clone();
        let mut command = citecheck();
        command.args(&args);
        if args[0] != "recheck" {
            command.arg(seed_article());
        }
        let output = command.output().expect("run citecheck");
        assert_refused(&output, &flag, &args.join(" "));
        assert!(
            stderr(&output).contains("must be from") || stderr(&output).contains("not a number"),
            "{}",
            describe(&output)
        );
        assert!(!store.exists(), "a refused flag opened the store");
    }
}

#[test]
fn an_unknown_key_is_an_error_without_a_secret_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "[search]\nbrave_api_key = \"abc123\"\n").expect("write config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let output = check_with_config(&config);
    assert_refused(
        &output,
        "c.toml:2: search.brave_api_key: unknown field",
        "unknown key",
    );
    assert!(
        !stderr(&output).contains("holds a secret"),
        "{}",
        describe(&output)
    );
}

#[test]
fn values_at_the_ends_of_their_ranges_are_taken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("edge.toml");
    std::fs::write(
        &config,
        "[fetch]\ntimeout_secs = 86400\nconnect_timeout_secs = 0.1\nper_host_rate = 0\n\
         cache_ttl_secs = 0\n\n[recheck]\nlease_secs = 86400\nlive_interval_days = 3650\n",
    )
    .expect("write config");
    let output = check_with_config(&config);
    // The founding article's claims are not supported by its sources: exit 1, not 2.
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
}
