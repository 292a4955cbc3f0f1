//! Secrets (issue 9): API keys set in the environment and a proxy password set in the config
//! never appear in the logs (at trace level) or in the reports; a config file holding a secret
//! that others can read draws a warning naming the file, and one only its owner reads does not.

mod support;

use std::process::Output;

use support::{citecheck, describe, seed_article, TestServer};

const FAKE_KEYS: [(&str, &str); 4] = [
    ("BRAVE_API_KEY", "BSAfakeBraveKey0123456789"),
    ("CITECHECK_BRAVE_API_KEY", "BSAfakeBraveKey9876543210"),
    ("SEARXNG_API_KEY", "sx-fake-searxng-key-4242"),
    ("OPENAI_API_KEY", "sk-fake-openai-key-31337"),
];
const PROXY_PASSWORD: &str = "Pr0xyPassw0rdFake";

fn run(format: &str, config: &std::path::Path, searx: &TestServer) -> Output {
    let mut cmd = citecheck();
    for (name, value) in FAKE_KEYS {
        cmd.env(name, value);
    }
    cmd.env("CITECHECK_LOG", "trace")
        .arg("check")
        .arg(seed_article())
        .args(["--format", format, "--search", "searxng", "--search-url"])
        .arg(searx.url())
        .arg("--config")
        .arg(config)
        .output()
        .expect("run citecheck")
}

fn assert_no_secret(output: &Output) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for (name, value) in FAKE_KEYS {
        assert!(!all.contains(value), "{name} leaked: {}", describe(output));
    }
    assert!(
        !all.contains(PROXY_PASSWORD),
        "proxy password leaked: {}",
        describe(output)
    );
}

#[cfg(unix)]
fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn keys_and_proxy_password_stay_out_of_logs_and_reports() {
    let searx = TestServer::start(support::searxng(support::corpus_search_results()));
    let proxy = TestServer::start(support::news_proxy(support::corpus_page_map()));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("citecheck.toml");
    let proxy_url = proxy
        .url()
        .replace("http://", &format!("http://reader:{PROXY_PASSWORD}@"));
    std::fs::write(&config, format!("[fetch]\nproxy = \"{proxy_url}\"\n")).expect("write");
    chmod(&config, 0o600);
    for format in ["json", "human"] {
        let output = run(format, &config, &searx);
        assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
        assert_no_secret(&output);
        // Trace logging was on, so the absence means something.
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("TRACE")
                || String::from_utf8_lossy(&output.stderr).contains("DEBUG"),
            "no trace output: {}",
            describe(&output)
        );
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains("warning: "),
            "owner-only config warned: {}",
            describe(&output)
        );
    }
    // The pages really went through the proxy that was given the password.
    assert!(
        proxy.requests().iter().any(|r| r.is_absolute_form()),
        "proxy not used"
    );
}

#[cfg(unix)]
#[test]
fn config_with_a_secret_readable_by_others_draws_a_warning() {
    let searx = TestServer::start(support::searxng(support::corpus_search_results()));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("shared.toml");
    std::fs::write(
        &config,
        format!(
            "[fetch]\nproxy = \"http://reader:{PROXY_PASSWORD}@127.0.0.1:9\"\noffline = true\n"
        ),
    )
    .expect("write");
    for mode in [0o644, 0o640, 0o604] {
        chmod(&config, mode);
        let output = run("json", &config, &searx);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("warning: ")
                && stderr.contains("shared.toml")
                && stderr.contains("readable by others"),
            "mode {mode:o}: {}",
            describe(&output)
        );
        assert_no_secret(&output);
    }
    // Without a secret, a world-readable config is fine.
    std::fs::write(&config, "[fetch]\noffline = true\n").expect("write");
    chmod(&config, 0o644);
    let output = run("json", &config, &searx);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("readable by others"),
        "{}",
        describe(&output)
    );
}
