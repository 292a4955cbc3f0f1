//! The HTML report in a real browser: headless Chromium (Debian's `chromium`, which `.ci/run`
//! installs) loads the report of every fixture article from a file URL, with one claim selected
//! through `#select=`. The test checks that the page's script ran (`data-ready`), that the
//! browser logged no console message at all (errors, CSP violations, failed loads), that every
//! claim of the JSON report is in the DOM with its detail panel, that the selected claim's panel
//! is shown, and writes a screenshot to target/report-html/. When no browser can be started it
//! says so on stderr and checks nothing else; it never passes silently on a broken page.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{browser, citecheck, describe, repo_root};

/// Runs the browser on `url` with a fresh profile; returns (stdout, stderr).
fn chromium(
    bin: &Path,
    profile: &Path,
    extra: &[String],
    url: &str,
) -> std::io::Result<(String, String, bool)> {
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()?;
    Ok((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    ))
}

/// Console messages the page produced (Chromium logs them as `CONSOLE` lines on stderr).
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(bin) = browser() else {
        eprintln!(
            "SKIPPED html_report_renders_in_headless_chromium: no Chromium found \
             (install Debian's chromium package, or set CITECHECK_CHROMIUM)"
        );
        return;
    };
    let shots = repo_root().join("target/report-html");
    std::fs::create_dir_all(&shots).expect("target/report-html");
    let articles = [
        "chipmaker-earnings.md",
        "nvidia-china-orders.txt",
        "port-inline-zh.md",
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let (html_path, report) = report_of(&articles, dir.path());
    let url = format!("file://{}#select=d0-k2", html_path.display());

    let profile = tempfile::tempdir().expect("profile dir");
    let (dom, stderr, ok) = match chromium(&bin, profile.path(), &["--dump-dom".into()], &url) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "SKIPPED html_report_renders_in_headless_chromium: cannot start {}: {e}",
                bin.display()
            );
            return;
        }
    };
    if !ok && dom.trim().is_empty() {
        eprintln!(
            "SKIPPED html_report_renders_in_headless_chromium: {} did not start:\n{stderr}",
            bin.display()
        );
        return;
    }
    let console = console_lines(&stderr);
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    assert!(
        dom.contains("data-ready=\"1\""),
        "the report's script did not run:\n{}",
        &dom[..dom.len().min(2000)]
    );

    let mut claims = 0;
    for (i, d) in report["documents"].as_array().unwrap().iter().enumerate() {
        for c in d["claims"].as_array().unwrap() {
            let id = format!("d{i}-{}", c["id"].as_str().unwrap());
            assert!(
                dom.contains(&format!("data-claim=\"{id}\"")),
                "claim {id} not highlighted"
            );
            assert!(
                dom.contains(&format!("id=\"{id}\"")),
                "claim {id} has no detail panel"
            );
            claims += 1;
        }
    }
    assert!(claims > 20, "{claims} claims");
    // The selected claim's panel is shown, the others are hidden.
    let panel = dom.find("id=\"d0-k2\"").expect("selected panel");
    let tag_start = dom[..panel].rfind('<').unwrap();
    let tag_end = panel + dom[panel..].find('>').unwrap();
    assert!(
        !dom[tag_start..tag_end].contains("hidden"),
        "{}",
        &dom[tag_start..tag_end]
    );
    let selected = dom
        .find("class=\"claim selected\"")
        .expect("a claim marked selected");
    let selected_tag = &dom[selected..selected + dom[selected..].find('>').unwrap()];
    assert!(
        selected_tag.contains("data-claim=\"d0-k2\""),
        "{selected_tag}"
    );
    // Evidence shows matched words.
    assert!(
        dom.contains("<mark class=\"m\">"),
        "no matching words highlighted"
    );

    let profile = tempfile::tempdir().expect("profile dir");
    let shot = shots.join("report.png");
    let _ = std::fs::remove_file(&shot);
    let (_, stderr, _) = chromium(
        &bin,
        profile.path(),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1300,1800".into(),
        ],
        &url,
    )
    .expect("browser starts a second time");
    let console = console_lines(&stderr);
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "screenshot {} is {size} bytes",
        shot.display()
    );
}

/// The report of `articles` (fixture names) as HTML in a temporary folder, and the run's JSON.
fn report_of(articles: &[&str], dir: &Path) -> (PathBuf, serde_json::Value) {
    let html_path = dir.join("report.html");
    let json_path = dir.join("report.json");
    let out = citecheck()
        .current_dir(repo_root().join("fixtures/articles"))
        .env("XDG_CONFIG_HOME", dir)
        .args(["check", "--offline", "--quiet"])
        .args(articles)
        .arg("--format")
        .arg(format!("html={}", html_path.display()))
        .arg("--format")
        .arg(format!("json={}", json_path.display()))
        .output()
        .expect("run citecheck");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        describe(&out)
    );
    let report = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    (html_path, report)
}

/// The DOM after the script ran, and the console lines, for `url` with `extra` flags.
fn dump(bin: &Path, extra: &[&str], url: &str) -> Option<(String, Vec<String>)> {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut flags: Vec<String> = vec!["--dump-dom".into()];
    flags.extend(extra.iter().map(|s| s.to_string()));
    let (dom, stderr, ok) = chromium(bin, profile.path(), &flags, url).ok()?;
    if !ok && dom.trim().is_empty() {
        return None;
    }
    let console = console_lines(&stderr)
        .into_iter()
        .map(str::to_string)
        .collect();
    Some((dom, console))
}

fn screenshot(bin: &Path, extra: &[&str], url: &str, name: &str) {
    let shots = repo_root().join("target/report-html");
    std::fs::create_dir_all(&shots).expect("target/report-html");
    let shot = shots.join(name);
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().expect("profile dir");
    let mut flags = vec![
        format!("--screenshot={}", shot.display()),
        "--window-size=1300,1600".to_string(),
    ];
    flags.extend(extra.iter().map(|s| s.to_string()));
    let (_, stderr, _) = chromium(bin, profile.path(), &flags, url).expect("browser starts");
    let console = console_lines(&stderr);
    assert!(console.is_empty(), "{name}: {}", console.join("\n"));
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "screenshot {} is {size} bytes",
        shot.display()
    );
}

#[test]
fn html_report_layouts_filter_themes_and_no_network() {
    let Some(bin) = browser() else {
        eprintln!("SKIPPED html_report_layouts_filter_themes_and_no_network: no Chromium found");
        return;
    };
    // One document: no table of contents, singular totals where they are one.
    let one = tempfile::tempdir().unwrap();
    let (single, single_json) = report_of(&["nvidia-china-orders.txt"], one.path());
    let url = format!("file://{}", single.display());
    let Some((dom, console)) = dump(&bin, &[], &url) else {
        eprintln!("SKIPPED: the browser did not start");
        return;
    };
    assert!(console.is_empty(), "{}", console.join("\n"));
    assert!(dom.contains("data-ready=\"1\""));
    assert!(dom.contains("1 document ·"), "no singular total");
    assert!(
        !dom.contains("class=\"toc\""),
        "a table of contents for one document"
    );
    // The citations table: a row per citation, with its status chip.
    let citations = single_json["documents"][0]["citations"].as_array().unwrap();
    assert_eq!(
        dom.matches("<span class=\"chip s-").count(),
        citations.len(),
        "one status chip per citation"
    );
    assert!(dom.contains(&format!("{} citations</summary>", citations.len())));
    assert_eq!(
        dom.matches("class=\"chip s-found\"").count(),
        citations.iter().filter(|c| c["status"] == "found").count()
    );
    assert!(
        dom.contains("data-scheme=\"light\""),
        "light theme by default"
    );
    screenshot(&bin, &[], &url, "single.png");

    // Several documents: a table of contents with each document's counts.
    let many = tempfile::tempdir().unwrap();
    let (multi, multi_json) = report_of(
        &[
            "chipmaker-earnings.md",
            "nvidia-china-orders.txt",
            "port-inline-zh.md",
        ],
        many.path(),
    );
    let url = format!("file://{}", multi.display());
    let (dom, console) = dump(&bin, &[], &url).expect("browser");
    assert!(console.is_empty(), "{}", console.join("\n"));
    let toc_start = dom.find("class=\"toc\"").expect("a table of contents");
    let toc = &dom[toc_start..toc_start + dom[toc_start..].find("</nav>").unwrap()];
    for (i, d) in multi_json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert!(
            toc.contains(&format!(
                "href=\"#doc-{i}\">{}</a>",
                d["path"].as_str().unwrap()
            )),
            "{toc}"
        );
    }
    assert!(dom.contains("3 documents ·"));
    screenshot(&bin, &[], &url, "many.png");

    // The failing-only filter, switched on through the page's own checkbox state.
    let failing_url = format!("{url}#only-failing");
    let (dom, console) = dump(&bin, &[], &failing_url).expect("browser");
    assert!(console.is_empty(), "{}", console.join("\n"));
    assert!(
        dom.contains("<body class=\"only-failing\">"),
        "filter not applied"
    );
    let failing: usize = multi_json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["claims"].as_array().unwrap())
        .filter(|c| c["verdict"] == "not_supported" || c["verdict"] == "contradicted")
        .count();
    assert!(failing > 0);
    assert!(dom.matches("class=\"claim failing\"").count() >= failing);
    screenshot(&bin, &[], &failing_url, "failing-only.png");

    // The dark theme follows the system's.
    let (dom, console) = dump(&bin, &["--force-dark-mode"], &url).expect("browser");
    assert!(console.is_empty(), "{}", console.join("\n"));
    assert!(
        dom.contains("data-scheme=\"dark\""),
        "dark theme not chosen"
    );
    screenshot(&bin, &["--force-dark-mode"], &url, "dark.png");

    // Nothing is fetched: no external resource in the page, and with every request sent to a
    // dead proxy and every name unresolvable the page still renders with no failed load.
    let html = std::fs::read_to_string(&multi).unwrap();
    for external in ["src=\"http", "<link", "url(http", "@import", "src='http"] {
        assert!(!html.contains(external), "the page loads {external}");
    }
    let (dom, console) = dump(
        &bin,
        &[
            "--proxy-server=http://127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ],
        &url,
    )
    .expect("browser");
    assert!(console.is_empty(), "{}", console.join("\n"));
    assert!(dom.contains("data-ready=\"1\""));
}
