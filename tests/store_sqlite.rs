//! The SQLite history store: a `check --store` round trip, migrations applied once, a run
//! killed mid-way that leaves the store consistent and is completed by the next run, and two
//! processes over the same inputs and store that share one run's documents.

#[path = "support/newsroom.rs"]
mod newsroom;
mod support;

use newsroom::{article, Site};
use std::time::{Duration, Instant};
use support::{citecheck, describe, parse_report, Response, TestServer};

fn page_url(i: usize) -> String {
    format!("http://news{}.example.test/2024/05/story-{i}", i % 3)
}

fn write_articles(dir: &std::path::Path, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let path = dir.join(format!("a{i:02}.md"));
            std::fs::write(
                &path,
                format!(
                    "# Story {i}\n\nThe harbour authority counted {} ships in May ([Harbour counts {} ships]({})).\n",
                    100 + i,
                    100 + i,
                    page_url(i)
                ),
            )
            .unwrap();
            path.display().to_string()
        })
        .collect()
}

fn serve(site: &Site, n: usize, delay: Option<Duration>) {
    for i in 0..n {
        let html = article(
            &format!("Harbour counts {} ships", 100 + i),
            "2024-05-20",
            &[&format!(
                "The harbour authority counted {} ships in May, a record for the month.",
                100 + i
            )],
        );
        let mut r = Response::html(html);
        if let Some(d) = delay {
            r = r.delay(d);
        }
        site.set(&page_url(i), r);
    }
}

/// `citecheck ARGS` started in the background with its output captured; `cache` is its HTTP
/// cache folder when given.
fn spawn_check(args: &[String], cache: Option<&std::path::Path>) -> std::process::Child {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin!("citecheck"));
    command
        .args(args)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("CITECHECK_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(cache) = cache {
        command.env("XDG_CACHE_HOME", cache);
    }
    command.spawn().unwrap()
}

fn db(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn check_records_the_run() {
    let site = Site::default();
    serve(&site, 2, None);
    let proxy = TestServer::start(site.handler());
    let dir = tempfile::tempdir().unwrap();
    let files = write_articles(dir.path(), 2);
    let store = dir.path().join("nested").join("store.sqlite");
    let output = citecheck()
        .arg("check")
        .arg(format!("--store={}", store.display()))
        .args(&files)
        .args([
            "--format",
            "json",
            "--proxy",
            &proxy.url(),
            "--now",
            "2024-06-01",
        ])
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        describe(&output)
    );
    let report = parse_report(&output.stdout);
    assert_eq!(report["documents"].as_array().unwrap().len(), 2);

    let conn = db(&store);
    let migrations = citecheck::store::migrations(citecheck::store::Dialect::Sqlite).len() as i64;
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM schema_migrations"),
        migrations
    );
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM runs WHERE state = 'finished'"),
        1
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), 2);
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM citations WHERE status = 'found'"
        ),
        2
    );
    let (url, status, hash, title, body, ctype, fetched): (String, i64, String, String, String, String, i64) = conn
        .query_row(
            "SELECT s.final_url, s.status, s.content_hash, s.title, s.body, s.content_type, s.fetched_at \
             FROM snapshots s WHERE s.source_url = ?1",
            [page_url(0)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .unwrap();
    assert_eq!(url, page_url(0));
    assert_eq!(status, 200);
    assert_eq!(hash.len(), 64);
    assert_eq!(title, "Harbour counts 100 ships");
    assert!(body.contains("counted 100 ships"), "{body}");
    assert!(!body.contains("All rights reserved"), "footer kept: {body}");
    assert!(ctype.starts_with("text/html"));
    assert_eq!(
        fetched,
        citecheck::store::time::parse_instant("2024-06-01").unwrap()
    );
    let supported: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM verdicts v JOIN claims k ON k.document_path = v.document_path \
             AND k.kid = v.kid WHERE v.document_path = ?1 AND v.verdict = 'supported' \
             AND k.text LIKE '%100 ships%'",
            [&files[0]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(supported, 1, "the ships claim and its verdict are stored");
    let due: i64 = conn
        .query_row(
            "SELECT next_due_at - last_checked_at FROM sources WHERE url = ?1",
            [page_url(0)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(due, 7 * 86_400_000, "a live source is due in a week");

    // Opening again applies no migration twice.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(citecheck::store::open(store.to_str().unwrap(), 1))
        .unwrap();
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM schema_migrations"),
        migrations
    );
}

#[test]
fn an_unusable_store_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("store.sqlite");
    std::fs::write(&bad, "this is not a database, just text ".repeat(200)).unwrap();
    let files = write_articles(dir.path(), 1);
    let output = citecheck()
        .arg("check")
        .arg(format!("--store={}", bad.display()))
        .args(&files)
        .arg("--offline")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains(&bad.display().to_string()), "{err}");
}

#[test]
fn a_killed_run_leaves_the_store_consistent_and_the_next_run_completes_it() {
    // Twenty documents of at least 600 ms each: a window of ten seconds between the second
    // commit and the last, so a test process starved on a loaded machine still kills in time.
    const N: usize = 20;
    let site = Site::default();
    serve(&site, N, Some(Duration::from_millis(600)));
    let proxy = TestServer::start(site.handler());
    let dir = tempfile::tempdir().unwrap();
    let files = write_articles(dir.path(), N);
    let store = dir.path().join("store.sqlite");
    let mut cmd_args: Vec<String> = vec!["check".into(), format!("--store={}", store.display())];
    cmd_args.extend(files.iter().cloned());
    cmd_args.extend(["--format", "json", "--proxy", &proxy.url()].map(String::from));
    let spawn = || spawn_check(&cmd_args, None);
    let mut child = spawn();
    // Kill it once a few documents are committed (it needs at least 600 ms per document).
    let start = Instant::now();
    loop {
        if store.exists() {
            if let Ok(conn) = rusqlite::Connection::open(&store) {
                let done: i64 = conn
                    .query_row(
                        "SELECT COUNT(*) FROM run_items WHERE state = 'done'",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap_or(0);
                if done >= 2 {
                    break;
                }
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the run never committed a document"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let conn = db(&store);
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let done = count(&conn, "SELECT COUNT(*) FROM run_items WHERE state = 'done'");
    assert!(
        (2..N as i64).contains(&done),
        "killed too late: {done} of {N} done"
    );
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM runs WHERE state = 'running'"),
        1
    );
    // Every committed document is complete; nothing of an uncommitted one is visible.
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), done);
    assert_eq!(
        count(&conn, "SELECT COUNT(DISTINCT document_path) FROM citations"),
        done
    );
    assert_eq!(
        count(&conn, "SELECT COUNT(DISTINCT document_path) FROM verdicts"),
        done
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM snapshots"), done);
    drop(conn);
    let asked_before = proxy.requests().len();

    let output = spawn().wait_with_output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        describe(&output)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("resuming run"),
        "{}",
        describe(&output)
    );
    let report = parse_report(&output.stdout);
    assert_eq!(report["documents"].as_array().unwrap().len(), N);
    let conn = db(&store);
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM runs"),
        1,
        "the run was resumed, not restarted"
    );
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM runs WHERE state = 'finished'"),
        1
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), N as i64);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM snapshots"), N as i64);
    // Documents already committed were not fetched again.
    let again: Vec<String> = proxy.requests()[asked_before..]
        .iter()
        .map(|r| r.url())
        .filter(|u| u.contains("/story-"))
        .collect();
    assert!(
        again.len() <= N - done as usize,
        "refetched committed work: {again:?}"
    );
}

#[test]
fn two_processes_over_one_store_share_the_work_and_write_no_row_twice() {
    const N: usize = 8;
    let site = Site::default();
    serve(&site, N, Some(Duration::from_millis(400)));
    let proxy = TestServer::start(site.handler());
    let dir = tempfile::tempdir().unwrap();
    let files = write_articles(dir.path(), N);
    let store = dir.path().join("store.sqlite");
    let mut cmd_args: Vec<String> = vec!["check".into(), format!("--store={}", store.display())];
    cmd_args.extend(files.iter().cloned());
    cmd_args.extend(["--format", "json", "--proxy", &proxy.url()].map(String::from));
    let cache = dir.path().join("cache");
    let spawn = || spawn_check(&cmd_args, Some(&cache));
    // Both start at once on a store neither has created: migrations are claimed version by
    // version, and the run by a unique index on running runs.
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for output in [&a, &b] {
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}",
            describe(output)
        );
    }
    assert_eq!(a.status.code(), b.status.code());
    // Both reports hold every document, with the same verdicts.
    let verdicts = |output: &std::process::Output| -> Vec<(String, Vec<String>)> {
        let report = parse_report(&output.stdout);
        report["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let v = d["claims"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["verdict"].to_string())
                    .collect();
                (d["path"].as_str().unwrap().to_string(), v)
            })
            .collect()
    };
    assert_eq!(verdicts(&a).len(), N, "{}", describe(&a));
    assert_eq!(verdicts(&a), verdicts(&b));
    // Each cited page was fetched once, by one of the two.
    for i in 0..N {
        let url = page_url(i);
        let asked = proxy.requests().iter().filter(|r| r.target == url).count();
        assert_eq!(asked, 1, "{url} was fetched {asked} times");
    }
    let conn = db(&store);
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM runs"),
        1,
        "one shared run"
    );
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM run_items WHERE state = 'done'"),
        N as i64
    );
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(DISTINCT lease_owner) FROM run_items WHERE state = 'done'"
        ),
        2,
        "both processes verified documents"
    );
    // No row written twice: one snapshot per page, one document row each.
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM snapshots"), N as i64);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), N as i64);
}
