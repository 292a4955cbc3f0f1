//! Many workers on one PostgreSQL store: three `recheck --worker` processes share 2,000 stored
//! sources served by a local site; one is killed mid-run. Each source is processed exactly
//! once, nothing is lost, and the per-host spacing holds across workers.
//!
//! Needs `CITECHECK_TEST_POSTGRES` (e.g. postgres://postgres@127.0.0.1:5432/test; `.ci/run`
//! sets it). Each test works in its own schema. Without the variable the tests say so and
//! return.

mod support;

use citecheck::store::{Stmt, Value};
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::{describe, Response, TestServer};

const HOSTS: usize = 20;
const INTERVAL_MS: u64 = 20;

/// The server URL and a URL whose connections use a fresh schema, or `None` (skipped).
fn database(test: &str) -> Option<(String, String)> {
    let Some(base) = std::env::var("CITECHECK_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        eprintln!("skipped {test}: CITECHECK_TEST_POSTGRES is unset (see .ci/run)");
        return None;
    };
    let schema = format!(
        "t_{}_{}_{}",
        test,
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 1_000_000_000
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
            .await
            .expect("connect to CITECHECK_TEST_POSTGRES");
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .await
            .unwrap();
    });
    let sep = if base.contains('?') { '&' } else { '?' };
    Some((
        base.clone(),
        format!("{base}{sep}options=-csearch_path%3D{schema}"),
    ))
}

fn url(i: usize) -> String {
    format!("http://news{}.example.test/story/{i}", i % HOSTS)
}

fn page(i: usize) -> String {
    format!(
        "<html><head><title>Story {i}</title></head><body><nav><a href=\"/\">Home</a></nav>\
         <article><h1>Story {i}</h1><p>The harbour authority counted {i} ships arriving in May, \
         more than in any month on record.</p><p>Officials expect the trend to continue.</p></article>\
         <footer>© Example News</footer></body></html>"
    )
}

/// Records 2,000 sources, all due, each with a snapshot of what the site serves.
fn seed(store_url: &str, n: usize) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = citecheck::store::open(store_url, 2).await.unwrap();
        let mut stmts = Vec::new();
        for i in 0..n {
            let p = citecheck::extract::extract_page(&page(i), &url(i));
            let title = p.title.clone().unwrap_or_default();
            stmts.push(Stmt::new(
                "INSERT INTO sources (url, host, state, first_seen_at, last_checked_at, next_due_at, spread) \
                 VALUES ($1, $2, 'live', 0, 0, 0, $3)",
                vec![
                    url(i).into(),
                    citecheck::store::host_of(&url(i)).into(),
                    citecheck::store::spread_of(&url(i)).into(),
                ],
            ));
            stmts.push(Stmt::new(
                "INSERT INTO snapshots (source_url, check_key, run_id, fetched_at, outcome, status, \
                 final_url, content_hash, title, body) VALUES ($1, 'seed', 0, 0, 'ok', 200, $1, $2, $3, $4)",
                vec![
                    url(i).into(),
                    citecheck::store::content_hash(&title, &p.text()).into(),
                    title.into(),
                    Value::Text(p.text()),
                ],
            ));
        }
        store.batch(&stmts).await.unwrap();
    });
}

fn worker(store_url: &str, proxy: &TestServer, name: &str) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin!("citecheck"))
        .args([
            "recheck",
            "--worker",
            "--store",
            store_url,
            "--now",
            "2024-06-10",
        ])
        .args([
            "--host-interval-ms",
            &INTERVAL_MS.to_string(),
            "--lease-secs",
            "10",
        ])
        .args([
            "--concurrency",
            "6",
            "--wayback-url",
            "",
            "--format",
            "json",
            "--owner",
            name,
        ])
        .args(["--proxy", &proxy.url()])
        .env("NO_PROXY", "127.0.0.1,localhost")
        // The store's host slots (--host-interval-ms) are the limit under test; the
        // in-process per-host rate (1/s by default) would only slow the test down.
        .env("CITECHECK_FETCH__PER_HOST_RATE", "0")
        .env("CITECHECK_FETCH__ROBOTS", "false")
        .env_remove("CITECHECK_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn query(store_url: &str, sql: &str) -> Vec<tokio_postgres::Row> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(store_url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client.query(sql, &[]).await.unwrap()
    })
}

fn scalar(store_url: &str, sql: &str) -> i64 {
    query(store_url, sql)[0].get::<_, i64>(0)
}

#[test]
fn three_workers_share_two_thousand_sources_and_one_is_killed() {
    const N: usize = 2000;
    let Some((_base, store_url)) = database("workers") else {
        return;
    };
    seed(&store_url, N);
    let proxy = TestServer::start(|req: &support::Request| {
        let path = req.path.trim_start_matches("/story/");
        match path.parse::<usize>() {
            Ok(i) if req.hostname().starts_with("news") => Response::html(page(i)),
            _ => Response::status(404),
        }
    });
    let mut workers: Vec<Child> = ["w1", "w2", "w3"]
        .iter()
        .map(|n| worker(&store_url, &proxy, n))
        .collect();
    // Kill the first worker once some work is done: its leased sources must come back.
    let start = Instant::now();
    while scalar(
        &store_url,
        "SELECT COUNT(*) FROM snapshots WHERE check_key LIKE 'due:%'",
    ) < 300
    {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "workers made no progress"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    workers[0].kill().unwrap();
    workers[0].wait().unwrap();
    for w in workers.drain(1..) {
        let out = w.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", describe(&out));
    }

    // Each source processed exactly once: one result per source for this due date.
    assert_eq!(
        scalar(
            &store_url,
            "SELECT COUNT(*) FROM snapshots WHERE check_key = 'due:0'"
        ),
        N as i64
    );
    assert_eq!(
        scalar(
            &store_url,
            "SELECT COUNT(DISTINCT source_url) FROM snapshots WHERE check_key = 'due:0'"
        ),
        N as i64
    );
    assert_eq!(
        scalar(
            &store_url,
            "SELECT COUNT(*) FROM sources WHERE lease_owner IS NOT NULL"
        ),
        0
    );
    assert_eq!(
        scalar(
            &store_url,
            "SELECT COUNT(*) FROM sources WHERE last_class = 'unchanged'"
        ),
        N as i64
    );
    // All three took part, the killed one included.
    assert_eq!(
        scalar(
            &store_url,
            "SELECT COUNT(DISTINCT run_id) FROM snapshots WHERE check_key = 'due:0'"
        ),
        3
    );

    // Per-host spacing across workers, as the server saw it.
    let mut by_host: HashMap<String, Vec<Instant>> = HashMap::new();
    let mut per_url: HashMap<String, usize> = HashMap::new();
    for r in proxy
        .requests()
        .into_iter()
        .filter(|r| r.path != "/robots.txt")
    {
        by_host
            .entry(r.hostname().to_string())
            .or_default()
            .push(r.received);
        *per_url.entry(r.url()).or_default() += 1;
    }
    assert_eq!(by_host.len(), HOSTS);
    for (host, mut times) in by_host {
        times.sort();
        for w in times.windows(2) {
            let gap = w[1].duration_since(w[0]);
            assert!(
                gap >= Duration::from_millis(INTERVAL_MS),
                "{host}: two requests {gap:?} apart"
            );
        }
    }
    // A source is fetched again only when its lease expired (the killed worker's, or one
    // queued behind a busy host for longer than the lease); its result is still written once.
    let twice = per_url.values().filter(|&&n| n > 1).count();
    assert!(twice <= N / 20, "{twice} sources fetched more than once");
    assert_eq!(per_url.len(), N);
}

#[test]
fn check_records_into_postgres_and_history_reads_it() {
    let Some((_base, store_url)) = database("check") else {
        return;
    };
    let proxy = TestServer::start(|req: &support::Request| {
        if req.path == "/story/7" {
            Response::html(page(7))
        } else {
            Response::status(404)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("a.md");
    std::fs::write(
        &doc,
        format!(
            "# Ships\n\nThe harbour authority counted 7 ships arriving in May ([Story 7]({})).\n",
            url(7)
        ),
    )
    .unwrap();
    let out = support::citecheck()
        .arg("check")
        .arg(format!("--store={store_url}"))
        .arg(&doc)
        .args(["--proxy", &proxy.url(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        describe(&out)
    );
    let out = support::citecheck()
        .args(["history", "--store", &store_url, &url(7)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", describe(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("snapshot") && text.contains("Story 7"),
        "{text}"
    );
}
