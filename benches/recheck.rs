//! Recheck throughput: 2,000 stored sources on 50 hosts served by a local site, rechecked by
//! 1, 2 and 3 `recheck --worker` processes sharing one PostgreSQL store; and the pure
//! classification step alone.
//!
//! `CITECHECK_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test cargo bench --bench recheck`
//! (without the variable only the classification figure is printed).

#[path = "../tests/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use citecheck::model::Page;
use citecheck::recheck::{classify, Observation, Snapshot};
use citecheck::store::{Stmt, Value};
use std::process::{Command, Stdio};
use std::time::Instant;
use support::{Response, TestServer};

const N: usize = 2000;
const HOSTS: usize = 50;

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

fn classify_bench() {
    let text: String = (0..200)
        .map(|i| format!("Paragraph {i} of the article says something about the harbour."))
        .collect::<Vec<_>>()
        .join("\n");
    let old = Snapshot {
        url: url(1),
        final_url: url(1),
        title: "Story".into(),
        text: text.clone(),
    };
    let new = Page {
        url: url(1),
        title: Some("Story, updated".into()),
        paragraphs: text
            .replace("Paragraph 7 ", "Paragraph seven ")
            .lines()
            .map(str::to_string)
            .collect(),
        ..Page::default()
    };
    let rounds = 2000;
    let start = Instant::now();
    for _ in 0..rounds {
        let c = classify(
            Some(&old),
            &Observation::Page {
                url: &old.url,
                final_url: &old.url,
                page: &new,
            },
            false,
        );
        std::hint::black_box(c);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "classify: {rounds} comparisons of 200-paragraph pages in {secs:.3} s ({:.0}/s)",
        rounds as f64 / secs
    );
}

fn main() {
    classify_bench();
    let Some(base) = std::env::var("CITECHECK_BENCH_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        println!("workers: skipped (set CITECHECK_BENCH_POSTGRES)");
        return;
    };
    let proxy = TestServer::start(|req: &support::Request| {
        match req.path.trim_start_matches("/story/").parse::<usize>() {
            Ok(i) => Response::html(page(i)),
            Err(_) => Response::status(404),
        }
    });
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Two politeness settings: none (the workers' own throughput: per-host rate off in the
    // fetcher, no spacing in the store) and the defaults (1 request a second per host, one
    // request in flight per host across all workers), whose ideal is N / HOSTS seconds.
    let unthrottled =
        std::env::temp_dir().join(format!("citecheck-bench-{}.toml", std::process::id()));
    std::fs::write(
        &unthrottled,
        "[fetch]\nper_host_rate = 0.0\nper_host_concurrency = 8\n",
    )
    .unwrap();
    let polite = std::env::temp_dir().join(format!(
        "citecheck-bench-{}-polite.toml",
        std::process::id()
    ));
    std::fs::write(&polite, "").unwrap();
    let modes = [
        ("unthrottled", &unthrottled, "0"),
        ("default politeness", &polite, "1000"),
    ];
    println!(
        "ideal with the default politeness: {N} sources / {HOSTS} hosts x 1 s = {} s",
        N / HOSTS
    );
    for (mode, config, interval) in modes {
        for workers in 1..=3 {
            let schema = format!("bench_{}_{}_{workers}", std::process::id(), interval);
            let store_url = rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            let store_url = format!("{base}{sep}options=-csearch_path%3D{schema}");
            let store = citecheck::store::open(&store_url, 2).await.unwrap();
            let mut stmts = Vec::new();
            for i in 0..N {
                let p = citecheck::extract::extract_page(&page(i), &url(i));
                stmts.push(Stmt::new(
                    "INSERT INTO sources (url, host, state, first_seen_at, last_checked_at, next_due_at, spread) \
                     VALUES ($1, $2, 'live', 0, 0, 0, $3)",
                    vec![url(i).into(), citecheck::store::host_of(&url(i)).into(), citecheck::store::spread_of(&url(i)).into()],
                ));
                stmts.push(Stmt::new(
                    "INSERT INTO snapshots (source_url, check_key, run_id, fetched_at, outcome, status, final_url, title, body) \
                     VALUES ($1, 'seed', 0, 0, 'ok', 200, $1, $2, $3)",
                    vec![url(i).into(), p.title.clone().unwrap_or_default().into(), Value::Text(p.text())],
                ));
            }
            store.batch(&stmts).await.unwrap();
            store_url
        });
            let start = Instant::now();
            let children: Vec<_> = (0..workers)
                .map(|w| {
                    Command::new(env!("CARGO_BIN_EXE_citecheck"))
                        .args([
                            "recheck",
                            "--worker",
                            "--store",
                            &store_url,
                            "--now",
                            "2024-06-10",
                        ])
                        .args([
                            "--host-interval-ms",
                            interval,
                            "--concurrency",
                            "8",
                            "--wayback-url",
                            "",
                        ])
                        .arg("--config")
                        .arg(config)
                        .args([
                            "--format",
                            "json",
                            "--owner",
                            &format!("bench{w}"),
                            "--proxy",
                            &proxy.url(),
                        ])
                        .env("NO_PROXY", "127.0.0.1,localhost")
                        .stdout(Stdio::null())
                        .spawn()
                        .unwrap()
                })
                .collect();
            for mut c in children {
                assert!(c.wait().unwrap().success());
            }
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{mode}: workers={workers}: {N} sources in {secs:.2} s ({:.0} sources/s)",
                N as f64 / secs
            );
        }
    }
    let _ = std::fs::remove_file(&unthrottled);
    let _ = std::fs::remove_file(&polite);
}
