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
