//! What `check` shows while it works (issue 18). Off a terminal (a CI log): a first line as the
//! run starts, before any source is fetched, and one line per finished document of a
//! multi-document run. On a terminal (a pseudo-terminal from `script`): the progress bar,
//! drawn before the first source answers. `--quiet` shows neither. How soon the first line
//! comes is measured in BENCHMARKS.md, not here.

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;
use support::{citecheck, citecheck_command, isolate, Response, TestServer};

/// A proxy that answers every page request after `delay`.
fn slow_proxy(delay: Duration) -> TestServer {
    TestServer::start(move |_req| {
        Response::html(
            "<html><head><title>Harbour report</title></head><body><article><h1>Harbour report</h1>\
             <p>The port of Harwick handled 412 ships in April, its authority said on Friday.</p>\
             </article></body></html>",
        )
        .delay(delay)
    })
}

fn articles(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    (0..2)
        .map(|i| {
            let path = dir.join(format!("a{i}.md"));
            std::fs::write(
                &path,
                format!(
                    "# Harbour {i}\n\nThe port of Harwick handled 412 ships in April, according to \
                     [the harbour authority](http://harbour-authority.test/report-{i}).\n"
                ),
            )
            .unwrap();
            path
        })
        .collect()
}

#[test]
fn off_a_terminal_the_first_line_comes_before_any_source_answers() {
    let proxy = slow_proxy(Duration::from_secs(3));
    let dir = tempfile::tempdir().unwrap();
    let files = articles(dir.path());
    let mut child = citecheck_command()
        .arg("check")
        .args(&files)
        .args(["--format", "json", "--proxy"])
        .arg(proxy.url())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn citecheck");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    // The pages take 3 s to answer; the line came while the run still waits for them.
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before its first line: {first}"
    );
    assert_eq!(first.trim_end(), "citecheck: checking 2 documents");
    let rest: Vec<String> = stderr.lines().map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    assert!(matches!(status.code(), Some(0 | 1)), "{rest:#?}");
    let done: Vec<&String> = rest.iter().filter(|l| l.contains("] ")).collect();
    assert_eq!(done.len(), 2, "{rest:#?}");
    assert!(
        done[0].starts_with("citecheck: [1/2] ")
            && done[0].contains("a0.md: 1 citations, 1 sources found"),
        "{rest:#?}"
    );
    assert!(done[1].starts_with("citecheck: [2/2] "), "{rest:#?}");
}

#[test]
fn quiet_shows_nothing_while_it_works() {
    let proxy = slow_proxy(Duration::from_millis(10));
    let dir = tempfile::tempdir().unwrap();
    let files = articles(dir.path());
    let output = citecheck()
        .arg("check")
        .args(&files)
        .args(["--format", "json", "-q", "--proxy"])
        .arg(proxy.url())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("citecheck: checking"), "{stderr}");
    assert!(!stderr.contains("citecheck: ["), "{stderr}");
}

#[test]
fn on_a_terminal_the_bar_is_drawn_before_the_first_source_answers() {
    let script = std::path::Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("skipped: no /usr/bin/script to make a pseudo-terminal");
        return;
    }
    let proxy = slow_proxy(Duration::from_secs(2));
    let dir = tempfile::tempdir().unwrap();
    let files = articles(dir.path());
    let out = dir.path().join("report.json");
    let command = format!(
        "{} check {} {} --format json --output {} --proxy {}",
        env!("CARGO_BIN_EXE_citecheck"),
        files[0].display(),
        files[1].display(),
        out.display(),
        proxy.url()
    );
    // `script` runs the command on a pseudo-terminal and copies what it draws to stdout.
    let mut child = isolate(&mut std::process::Command::new(script))
        .args(["-qefc", &command, "/dev/null"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn script");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut seen = Vec::new();
        let mut sent = false;
        let mut buf = [0u8; 256];
        // Read to the end (a closed pipe would kill `script`), telling once the bar shows.
        loop {
            match std::io::Read::read(&mut reader, &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    seen.extend_from_slice(&buf[..n]);
                    if !sent && String::from_utf8_lossy(&seen).contains("documents ·") {
                        let _ = tx.send(String::from_utf8_lossy(&seen).into_owned());
                        sent = true;
                    }
                }
            }
        }
        if !sent {
            let _ = tx.send(String::from_utf8_lossy(&seen).into_owned());
        }
    });
    let drawn = rx.recv_timeout(Duration::from_secs(30)).expect("no output");
    assert!(drawn.contains("0/2 documents ·"), "{drawn:?}");
    // Drawn while the pages were still on their way (they take 2 s).
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before the bar was drawn: {drawn:?}"
    );
    let status = child.wait().unwrap();
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
    assert!(out.exists());
}
