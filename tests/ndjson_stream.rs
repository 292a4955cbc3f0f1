//! `--format ndjson` streams: a claim's event is written as soon as its sources (and every
//! earlier claim's) are resolved, while a slower source of a later claim is still being
//! fetched. The slow page here answers after 40 s; the test reads the stream as it comes and
//! sees the first claim's event while the binary is still running, then stops it.

#[path = "support/newsroom.rs"]
mod newsroom;
mod support;

use newsroom::{article, Site};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use support::{Response, TestServer};

const FAST: &str = "http://news.example.test/2024/05/12/council-budget";
const SLOW: &str = "http://news.example.test/2024/05/12/bridge-closure";

const ARTICLE: &str = "# City news\n\n\
The city council approved a budget of 5 million euros for road repairs ([Council approves road budget](http://news.example.test/2024/05/12/council-budget)).\n\n\
The old river bridge will close for six weeks of repairs ([Old bridge closes for repairs](http://news.example.test/2024/05/12/bridge-closure)).\n";

#[test]
fn a_claim_is_streamed_before_a_later_claims_slow_source_answers() {
    let site = Site::default();
    site.set(
        FAST,
        Response::html(article(
            "Council approves road budget",
            "2024-05-12",
            &["The city council approved a budget of 5 million euros for road repairs."],
        )),
    );
    site.set(
        SLOW,
        Response::html(article(
            "Old bridge closes for repairs",
            "2024-05-12",
            &["The old river bridge will close for six weeks of repairs."],
        ))
        .delay(Duration::from_secs(40)),
    );
    let proxy = TestServer::start(site.handler());
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("news.md");
    std::fs::write(&doc, ARTICLE).unwrap();

    let mut child = Command::new(assert_cmd::cargo::cargo_bin("citecheck"))
        .args(["check", "--format", "ndjson", "--timeout", "90", "--proxy"])
        .arg(proxy.url())
        .arg(&doc)
        .env_remove("CITECHECK_CONFIG")
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start citecheck");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The title (no citation) comes first; then the budget claim, whose source is fast.
    let mut first_claim = None;
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(30)) {
        let event: serde_json::Value = serde_json::from_str(&line).expect("each line is JSON");
        let cites_fast = event["text"]
            .as_str()
            .is_some_and(|t| t.contains("5 million euros"));
        if event["event"] == "claim" && cites_fast {
            first_claim = Some(event);
            break;
        }
    }
    // Per-host politeness spaces the requests by a second: wait until the slow page has been
    // asked for; it answers 40 s later, so the run must still be going.
    let mut asked = false;
    for _ in 0..150 {
        if proxy
            .requests()
            .iter()
            .any(|r| r.url().contains("bridge-closure"))
        {
            asked = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let still_running = child.try_wait().expect("poll citecheck").is_none();
    let _ = child.kill();
    let _ = child.wait();
    let first_claim =
        first_claim.expect("no claim event within 30 s: the stream waits for the slow source");
    assert!(
        first_claim["text"]
            .as_str()
            .unwrap()
            .contains("5 million euros"),
        "{first_claim:#}"
    );
    assert!(asked, "the slow source was never requested");
    assert!(
        still_running,
        "the run ended before the slow source answered: it was not slow"
    );
}

/// Three articles, the first citing a page that answers after 4 s: the others are verified
/// meanwhile (their pages are asked for before the slow one answers), and every report keeps
/// the input order, with the event stream grouped per document.
#[test]
fn documents_are_verified_together_and_reported_in_input_order() {
    let site = Site::default();
    let page = |title: &str, text: &str| Response::html(article(title, "2024-05-12", &[text]));
    site.set(
        "http://slow.example.test/a",
        page("Harbour traffic", "The harbour counted 120 ships in May.")
            .delay(Duration::from_secs(4)),
    );
    site.set(
        "http://fast1.example.test/b",
        page("Tram line", "The tram line opened with eleven stops."),
    );
    site.set(
        "http://fast2.example.test/c",
        page("Library hours", "The library opens on Sundays."),
    );
    let proxy = TestServer::start(site.handler());
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text, url) in [
        (
            "1.md",
            "The harbour counted 120 ships in May",
            "http://slow.example.test/a",
        ),
        (
            "2.md",
            "The tram line opened with eleven stops",
            "http://fast1.example.test/b",
        ),
        (
            "3.md",
            "The library opens on Sundays",
            "http://fast2.example.test/c",
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, format!("# {name}\n\n{text} ([source]({url})).\n")).unwrap();
        paths.push(p);
    }
    let events_path = dir.path().join("events.ndjson");
    let output = support::citecheck()
        .args(["check", "--proxy", &proxy.url(), "--format", "json"])
        .arg(format!("--format=ndjson={}", events_path.display()))
        .args(&paths)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        support::describe(&output)
    );
    let report = support::parse_report(&output.stdout);
    let order: Vec<String> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(order, ["1.md", "2.md", "3.md"]);
    // The stream: document, its claims, document_end, for 1, 2, 3 in turn.
    let events: Vec<serde_json::Value> = std::fs::read_to_string(&events_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut current: Option<String> = None;
    let mut seen = Vec::new();
    for e in &events {
        let path = e["path"]
            .as_str()
            .map(|p| p.rsplit('/').next().unwrap().to_string());
        match e["event"].as_str().unwrap() {
            "document" => {
                assert!(current.is_none(), "documents interleave: {events:#?}");
                current = path.clone();
                seen.extend(path);
            }
            "claim" => assert_eq!(path, current, "a claim outside its document"),
            "document_end" => {
                assert_eq!(path, current);
                current = None;
            }
            _ => {}
        }
    }
    assert_eq!(seen, ["1.md", "2.md", "3.md"]);
    // The fast pages were asked for while the slow one was still pending.
    let requests = proxy.requests();
    let when = |host: &str| {
        requests
            .iter()
            .find(|r| r.hostname() == host && r.path != "/robots.txt")
            .unwrap_or_else(|| panic!("no request to {host}"))
            .received
    };
    let slow = when("slow.example.test");
    for host in ["fast1.example.test", "fast2.example.test"] {
        let gap = when(host).saturating_duration_since(slow);
        assert!(
            gap < Duration::from_secs(3),
            "{host} was asked for {gap:?} after the slow page: documents ran one at a time"
        );
    }
}
