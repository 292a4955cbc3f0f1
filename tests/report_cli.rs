//! The command line around the reports: `--format`/`--output` pairing, globs and stdin,
//! baselines, `citecheck-ignore` markers, `--min-score`, completions, the man page,
//! `config show` and HTML escaping of hostile article text. Offline, on the embedded corpus.

mod support;

use std::path::Path;
use support::{citecheck, describe, repo_root};

fn article(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("fixtures/articles").join(name)).expect("fixture")
}

/// `citecheck` run in `dir` with a private config home, offline.
fn cmd_in(dir: &Path) -> assert_cmd::Command {
    let mut cmd = citecheck();
    cmd.current_dir(dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"));
    cmd
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

fn claim_texts(report: &serde_json::Value) -> Vec<String> {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["claims"].as_array().unwrap())
        .map(|c| c["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn output_follows_the_format_before_it_and_one_format_owns_stdout() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), article("chipmaker-earnings.md")).unwrap();
    let out = cmd_in(dir.path())
        .args(["check", "--offline", "a.md", "-f", "json", "-o", "r.json"])
        .args(["--format", "sarif", "--output", "r.sarif", "-f", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let r = json(&std::fs::read(dir.path().join("r.json")).unwrap());
    assert_eq!(r["schema"], "citecheck.report.v1");
    let s = json(&std::fs::read(dir.path().join("r.sarif")).unwrap());
    assert_eq!(s["version"], "2.1.0");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("### "),
        "{}",
        describe(&out)
    );

    let out = cmd_in(dir.path())
        .args(["check", "--offline", "a.md", "-f", "json", "-f", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("would all write to stdout"));

    let out = cmd_in(dir.path())
        .args(["check", "--offline", "a.md", "-f", "pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown format"),
        "{}",
        describe(&out)
    );
}

#[test]
fn globs_directories_and_stdin_are_inputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("drafts/sub")).unwrap();
    std::fs::write(
        dir.path().join("drafts/a.md"),
        article("chipmaker-earnings.md"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("drafts/sub/b.txt"),
        article("nvidia-china-orders.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("drafts/notes.json"), "{}").unwrap();
    let out = cmd_in(dir.path())
        .args(["check", "--offline", "-f", "json", "drafts/**/*.*"])
        .output()
        .unwrap();
    let r = json(&out.stdout);
    let paths: Vec<&str> = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["drafts/a.md", "drafts/sub/b.txt"],
        "{}",
        describe(&out)
    );

    let out = cmd_in(dir.path())
        .args(["check", "--offline", "-f", "json", "nothing/*.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let r = json(&out.stdout);
    assert_eq!(r["failures"][0]["path"], "nothing/*.md");
    assert!(r["failures"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no file matches"));

    let out = cmd_in(dir.path())
        .args(["check", "--offline", "-f", "json", "-"])
        .write_stdin(article("chipmaker-earnings.md"))
        .output()
        .unwrap();
    let r = json(&out.stdout);
    assert_eq!(r["documents"][0]["path"], "<stdin>");
    assert!(
        r["documents"][0]["claims"].as_array().unwrap().len() > 5,
        "{}",
        describe(&out)
    );
}

#[test]
fn a_baseline_fails_only_new_findings_and_survives_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = article("chipmaker-earnings.md");
    std::fs::write(dir.path().join("a.md"), &text).unwrap();
    let out = cmd_in(dir.path())
        .args([
            "check",
            "--offline",
            "a.md",
            "-f",
            "json=r.json",
            "--write-baseline",
            "base.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let base = json(&std::fs::read(dir.path().join("base.json")).unwrap());
    assert_eq!(base["schema"], "citecheck.baseline.v1");
    let known = base["findings"].as_array().unwrap().len();
    assert!(known >= 2, "{base:#}");

    // The same findings, two lines lower: nothing new.
    std::fs::write(
        dir.path().join("a.md"),
        text.replacen("\n\n", "\n\n\n\n", 1),
    )
    .unwrap();
    let out = cmd_in(dir.path())
        .args([
            "check",
            "--offline",
            "a.md",
            "--baseline",
            "base.json",
            "-f",
            "github",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(out.stdout.is_empty(), "{}", describe(&out));

    // A new wrong figure in another sentence is a new finding.
    let changed = text.replace(
        "Sales in the data centre unit climbed 19%",
        "Sales in the data centre unit climbed 91%",
    );
    assert_ne!(changed, text);
    std::fs::write(dir.path().join("a.md"), changed).unwrap();
    let out = cmd_in(dir.path())
        .args([
            "check",
            "--offline",
            "a.md",
            "--baseline",
            "base.json",
            "-f",
            "sarif",
        ])
        .output()
        .unwrap();
    let sarif = json(&out.stdout);
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert!(states.contains(&"unchanged"), "{states:?}");
    assert_eq!(
        states.iter().filter(|s| **s == "new").count(),
        1,
        "{states:?}"
    );
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));

    std::fs::write(dir.path().join("bad.json"), "{\"schema\": 3}").unwrap();
    let out = cmd_in(dir.path())
        .args(["check", "--offline", "a.md", "--baseline", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.json"),
        "{}",
        describe(&out)
    );
}

#[test]
fn citecheck_ignore_suppresses_one_claim() {
    let dir = tempfile::tempdir().unwrap();
    let text = article("chipmaker-earnings.md");
    let revenue = "Revenue rose 6.3% to $3.84 billion";
    assert!(text.contains(revenue));
    std::fs::write(dir.path().join("a.md"), &text).unwrap();
    std::fs::write(
        dir.path().join("b.md"),
        text.replace(revenue, &format!("<!-- citecheck-ignore -->\n{revenue}")),
    )
    .unwrap();
    let plain = json(
        &cmd_in(dir.path())
            .args(["check", "--offline", "-f", "json", "a.md"])
            .output()
            .unwrap()
            .stdout,
    );
    let ignored = json(
        &cmd_in(dir.path())
            .args(["check", "--offline", "-f", "json", "b.md"])
            .output()
            .unwrap()
            .stdout,
    );
    let (a, b) = (claim_texts(&plain), claim_texts(&ignored));
    assert!(a.iter().any(|t| t.starts_with(revenue)), "{a:?}");
    assert!(!b.iter().any(|t| t.contains("6.3%")), "{b:?}");
    assert_eq!(a.len(), b.len() + 1, "{a:?}\n{b:?}");

    // The plain-text form on the claim's own line.
    std::fs::write(
        dir.path().join("c.txt"),
        article("nvidia-china-orders.txt").replacen('\n', " // citecheck-ignore\n", 1),
    )
    .unwrap();
    let r = json(
        &cmd_in(dir.path())
            .args(["check", "--offline", "-f", "json", "c.txt"])
            .output()
            .unwrap()
            .stdout,
    );
    assert!(
        r["documents"][0]["claims"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["line"] != 1),
        "{r:#}"
    );
}

#[test]
fn min_score_fails_weak_claims() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), article("chipmaker-earnings.md")).unwrap();
    let out = cmd_in(dir.path())
        .args([
            "check",
            "--offline",
            "a.md",
            "--fail-on",
            "contradicted",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    let r = json(&out.stdout);
    let scores: Vec<f64> = r["documents"][0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["score"].as_f64().unwrap())
        .collect();
    assert_eq!(out.status.code(), Some(1));
    let out = cmd_in(dir.path())
        .args([
            "check",
            "--offline",
            "a.md",
            "--fail-on",
            "unverifiable",
            "-f",
            "github",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let min = scores.iter().cloned().fold(f64::INFINITY, f64::min);
    let out = cmd_in(dir.path())
        .args([
            "check",
            "--offline",
            "a.md",
            "--fail-on",
            "unverifiable",
            "-f",
            "github",
        ])
        .arg("--min-score")
        .arg(format!("{}", min + 0.001))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        1,
        "{}",
        describe(&out)
    );
    let out = cmd_in(dir.path())
        .args(["check", "a.md", "--min-score", "7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = citecheck().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("citecheck") && text.contains("write-baseline"),
            "{shell}: {text}"
        );
    }
    let out = citecheck().arg("man").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(".ie") || text.contains(".TH citecheck"),
        "{text}"
    );
    assert!(
        text.contains("citecheck\\-check") || text.contains("citecheck-check"),
        "{text}"
    );
}

#[test]
fn config_show_names_origins_and_hides_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("citecheck.toml"),
        "[fetch]\nretries = 5\nproxy = \"http://me:hunter2@127.0.0.1:3128\"\n",
    )
    .unwrap();
    let out = cmd_in(dir.path())
        .args(["config", "show", "--concurrency", "3"])
        .env("CITECHECK_FETCH__TIMEOUT_SECS", "7.5")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("retries = 5  # citecheck.toml:2"), "{text}");
    assert!(
        text.contains("timeout_secs = 7.5  # env CITECHECK_FETCH__TIMEOUT_SECS"),
        "{text}"
    );
    assert!(
        text.contains("concurrency = 3  # flag --concurrency"),
        "{text}"
    );
    assert!(text.contains("max_redirects = 10  # default"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");

    // Unknown keys name the file and line, or the variable.
    std::fs::write(
        dir.path().join("citecheck.toml"),
        "[fetch]\nretries = 5\nretry = 1\n",
    )
    .unwrap();
    let out = cmd_in(dir.path())
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("citecheck.toml:3"),
        "{}",
        describe(&out)
    );
    std::fs::remove_file(dir.path().join("citecheck.toml")).unwrap();
    let out = cmd_in(dir.path())
        .args(["config", "show"])
        .env("CITECHECK_FETCH__RETRY", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("CITECHECK_FETCH__RETRY"),
        "{}",
        describe(&out)
    );

    // The user's config directory is read when nothing nearer is given.
    std::fs::create_dir_all(dir.path().join(".config/citecheck")).unwrap();
    std::fs::write(
        dir.path().join(".config/citecheck/config.toml"),
        "[run]\nconcurrency = 2\n",
    )
    .unwrap();
    let out = cmd_in(dir.path())
        .args(["config", "show"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("concurrency = 2  # ") && text.contains(".config/citecheck/config.toml:2"),
        "{text}"
    );
}

#[test]
fn hostile_article_text_is_escaped_in_html_markdown_and_junit() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "Officials said 40% of <img src=x onerror=alert(1)> orders were \"cancelled\" & <script>alert('x')</script> delayed, according to Reuters.";
    std::fs::write(
        dir.path().join("evil.txt"),
        format!("A title about orders\n\n{evil}\n"),
    )
    .unwrap();
    let out = cmd_in(dir.path())
        .args([
            "check",
            "--offline",
            "evil.txt",
            "-f",
            "html=r.html",
            "-f",
            "junit=r.xml",
            "-f",
            "markdown",
        ])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        describe(&out)
    );
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(
        !html.contains("<img src=x"),
        "raw markup in the HTML report"
    );
    assert!(
        !html.contains("<script>alert"),
        "raw script in the HTML report"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the report's own script"
    );
    let xml = std::fs::read_to_string(dir.path().join("r.xml")).unwrap();
    assert!(!xml.contains("<img") && !xml.contains("<script"), "{xml}");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(!md.contains("<img") && !md.contains("<script"), "{md}");
}

#[test]
fn ci_examples_use_only_flags_check_knows() {
    let help = citecheck().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let formats = [
        "human",
        "json",
        "ndjson",
        "sarif",
        "junit",
        "markdown",
        "github",
        "html",
        "codequality",
        "short",
    ];
    // The files that run `citecheck check`: the action, the GitLab template and the hooks
    // (the examples use them).
    let examples = [
        "action.yml",
        "ci/citecheck.gitlab-ci.yml",
        ".pre-commit-hooks.yaml",
        "examples/pre-commit/.pre-commit-hooks.yaml",
    ];
    for example in examples {
        let text = std::fs::read_to_string(repo_root().join(example)).expect(example);
        assert!(text.contains("citecheck check"), "{example}");
        // Each `citecheck check` command with its continuation lines.
        let mut command = String::new();
        let mut in_command = false;
        for line in text.lines() {
            if line.contains("citecheck check") {
                in_command = true;
            }
            if in_command {
                command.push_str(line);
                command.push(' ');
                if !line.trim_end().ends_with('\\') {
                    in_command = false;
                }
            }
        }
        let words: Vec<&str> = command.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            if let Some(flag) = w.strip_prefix("--") {
                let flag = flag.split('=').next().unwrap();
                assert!(
                    help.contains(&format!("--{flag}")),
                    "{example}: --{flag} is not a check flag"
                );
                if flag == "format" {
                    let value = words.get(i + 1).copied().unwrap_or_default();
                    let name = value.split('=').next().unwrap();
                    assert!(formats.contains(&name), "{example}: unknown format {value}");
                }
            }
        }
    }
}

#[test]
fn config_is_found_in_parent_folders_up_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("newsroom");
    let deep = repo.join("drafts").join("2026");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::create_dir(repo.join(".git")).unwrap();
    std::fs::write(repo.join("citecheck.toml"), "[fetch]\nretries = 4\n").unwrap();
    // Above the repository root: never read from inside it.
    std::fs::write(dir.path().join("citecheck.toml"), "[fetch]\nretries = 9\n").unwrap();
    let out = cmd_in(&deep).args(["config", "show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("retries = 4  # ../../citecheck.toml:2"),
        "{text}"
    );

    // Without a citecheck.toml in the repository, the one above it is not used.
    std::fs::remove_file(repo.join("citecheck.toml")).unwrap();
    let out = cmd_in(&deep).args(["config", "show"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("retries = 2  # default"), "{text}");
}

#[test]
fn extract_and_page_also_write_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("port.md");
    std::fs::write(
        &article,
        "# 港口吞吐量创新高\n\n据新华社报道，宁波舟山港一季度集装箱吞吐量同比增长12%。\n\n\
         该报道还指出，港口新增了三条国际航线。\n",
    )
    .unwrap();
    let out = cmd_in(dir.path())
        .args(["extract", "--format", "human", "port.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("port.md\n  港口吞吐量创新高"), "{text}");
    assert!(
        text.contains("Citations (1)") && text.contains("新华社"),
        "{text}"
    );
    assert!(
        text.contains("cites c1: opens as a continuation of a report cited above"),
        "{text}"
    );

    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>港口复工 - 新华网</title>\
         <meta property=\"og:site_name\" content=\"新华网\"></head><body><nav><a href=\"/\">首页</a></nav>\
         <article><h1>港口复工</h1><p>台风过后，宁波舟山港各港区于21日有序恢复生产，\
         集装箱作业全面恢复。</p><p>港口方面表示，海铁联运班列保持正常开行。</p></article>\
         <footer>版权所有</footer></body></html>",
    )
    .unwrap();
    let out = cmd_in(dir.path())
        .args(["page", "--format", "human", "page.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("港口复工\n"), "{text}");
    assert!(text.contains("encoding: UTF-8"), "{text}");
    assert!(text.contains("集装箱作业全面恢复"), "{text}");
    assert!(!text.contains("版权所有"), "{text}");

    let out = cmd_in(dir.path())
        .args(["page", "--format", "xml", "page.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}
