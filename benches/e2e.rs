//! End-to-end benchmark (issue 9): a batch of 1,000 generated articles (3 linked sources each)
//! checked by the release binary against local sites reached through a forward proxy that
//! answers every request after an injected latency, compared with the ideal that latency and
//! the run's concurrency allow; then throughput and peak memory of each stage in-process on
//! the same articles and pages.
//!
//! `cargo bench --bench e2e` (plain harness, release profile). `E2E_ARTICLES` (default 1000)
//! and `E2E_LATENCY_MS` (default 50) change the batch. Figures go to BENCHMARKS.md by hand.
//! Peak memory per stage is VmHWM after resetting it through /proc/self/clear_refs (Linux).

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "../tests/support/faults_sites.rs"]
mod faults_sites;

use citecheck::cite::registry::OutletRegistry;
use std::time::{Duration, Instant};
use support::TestServer;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Resets the peak resident set of this process (Linux ≥ 4.0); false where unsupported.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn stage<T>(label: &str, items: usize, unit: &str, f: impl FnOnce() -> T) -> T {
    let measured = reset_peak();
    let start = Instant::now();
    let out = f();
    let secs = start.elapsed().as_secs_f64();
    let peak = if measured {
        format!("{:.1} MB", peak_kb() as f64 / 1024.0)
    } else {
        "n/a".to_string()
    };
    println!(
        "| {label} | {items} {unit} | {:.1} ms | {:.0} {unit}/s | {peak} |",
        secs * 1e3,
        items as f64 / secs
    );
    out
}

/// Documents `check` verifies at once, and requests in flight in all (the defaults).
const DOCUMENTS_IN_FLIGHT: usize = 8;
const GLOBAL: usize = 32;

fn main() {
    let n = env_usize("E2E_ARTICLES", 1000);
    let latency = Duration::from_millis(env_usize("E2E_LATENCY_MS", 50) as u64);
    let concurrency = 8;
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).expect("mkdir");
    let paths = faults_sites::write_articles(&articles, n);
    let config = dir.path().join("bench.toml");
    std::fs::write(
        &config,
        format!(
            "[fetch]\ntimeout_secs = 10.0\nretries = 0\nmax_concurrency = {GLOBAL}\n\n[run]\nconcurrency = {concurrency}\ndocuments_in_flight = {DOCUMENTS_IN_FLIGHT}\n"
        ),
    )
    .expect("write config");

    if std::env::var_os("E2E_STAGES_ONLY").is_none() {
        whole_runs(n, latency, concurrency, &articles, &config);
    }
    stages(n, &paths);
}

/// The batch checked by the binary, with and without latency.
fn whole_runs(
    n: usize,
    latency: Duration,
    concurrency: usize,
    articles: &std::path::Path,
    config: &std::path::Path,
) {
    let proxy = TestServer::start(faults_sites::sites(Some(latency), false, 0));
    let mut cmd = support::citecheck_command();
    // A fresh HTTP cache per run (`citecheck_command` gives one): every page is fetched.
    cmd.arg("check")
        .arg(articles)
        .args(["--format", "json", "--config"])
        .arg(config)
        .arg("--proxy")
        .arg(proxy.url());
    let start = Instant::now();
    let (output, peak) = faults_sites::run_measuring_rss(cmd, Duration::from_secs(3600));
    let wall = start.elapsed();
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the run printed a JSON report");
    let docs = report["documents"].as_array().map_or(0, Vec::len);
    let requests = proxy.requests();
    let pages = requests.iter().filter(|r| r.path != "/robots.txt").count();
    let robots = requests.len() - pages;
    let found = report["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["citations"].as_array().into_iter().flatten())
        .filter(|c| c["status"] == "found")
        .count();
    // Requests in a row on one source's critical path (robots.txt, then the page).
    let per_source = requests.len() as f64 / pages.max(1) as f64;
    // One document at a time, its citations concurrently (the pipeline before documents ran
    // in flight together): one source's round trips per document. With every citation of the
    // batch pooled, as many waves as the requests allowed in flight at once need: the
    // documents in flight times their concurrency, capped by the global limit.
    let ideal_sequential = latency.as_secs_f64() * per_source * n as f64;
    let in_flight = (DOCUMENTS_IN_FLIGHT * concurrency).min(GLOBAL);
    let ideal_pooled =
        latency.as_secs_f64() * per_source * (pages as f64 / in_flight as f64).ceil();
    println!(
        "## whole run: {n} articles, latency {} ms, concurrency {concurrency}, {DOCUMENTS_IN_FLIGHT} documents in flight, {GLOBAL} requests at most",
        latency.as_millis()
    );
    println!(
        "exit {:?}, {docs} documents, {found} citations found, {pages} page requests, {robots} robots.txt requests",
        output.status.code()
    );
    println!(
        "| wall | articles/s | peak RSS | ideal, one document at a time | ratio | ideal, {in_flight} requests in flight | ratio |"
    );
    println!(
        "| {:.2} s | {:.1} | {:.1} MB | {:.2} s | {:.2} | {:.2} s | {:.2} |",
        wall.as_secs_f64(),
        n as f64 / wall.as_secs_f64(),
        peak as f64 / 1024.0,
        ideal_sequential,
        wall.as_secs_f64() / ideal_sequential,
        ideal_pooled,
        wall.as_secs_f64() / ideal_pooled
    );
    drop(proxy);

    // The same run with no latency: the pipeline's own cost per article.
    let proxy = TestServer::start(faults_sites::sites(None, false, 0));
    let mut cmd = support::citecheck_command();
    cmd.arg("check")
        .arg(articles)
        .args(["--format", "json", "--config"])
        .arg(config)
        .arg("--proxy")
        .arg(proxy.url());
    let start = Instant::now();
    let (output, peak) = faults_sites::run_measuring_rss(cmd, Duration::from_secs(3600));
    let wall = start.elapsed();
    println!(
        "no latency: exit {:?}, {:.2} s, {:.1} articles/s, peak RSS {:.1} MB",
        output.status.code(),
        wall.as_secs_f64(),
        n as f64 / wall.as_secs_f64(),
        peak as f64 / 1024.0
    );
    drop(proxy);
}

/// Each stage in-process on the same articles and their pages.
fn stages(n: usize, paths: &[std::path::PathBuf]) {
    println!("## stages");
    println!("| stage | items | time | throughput | peak RSS of the process during the stage |");
    let registry = OutletRegistry::builtin();
    let bytes: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).expect("read article"))
        .collect();
    let docs = stage("load (decode, blocks, lines)", n, "articles", || {
        bytes
            .iter()
            .enumerate()
            .map(|(i, b)| {
                citecheck::document::parse(&format!("a{i}.md"), b, None).expect("article parses")
            })
            .collect::<Vec<_>>()
    });
    let cited = stage("citations and claims", n, "articles", || {
        docs.iter()
            .map(|d| {
                let c = citecheck::cite::citations(d, &registry);
                let k = citecheck::claim::claims(d, &c);
                (c, k)
            })
            .collect::<Vec<_>>()
    });
    let html: Vec<(String, String)> = (0..n)
        .flat_map(|i| (0..3).map(move |j| (faults_sites::url_of(i, j), faults_sites::page(i, j))))
        .collect();
    stage(
        "HTML depth cap alone (part of extraction)",
        html.len(),
        "pages",
        || {
            html.iter()
                .map(|(_, h)| {
                    citecheck::limits::cap_html_depth(h, citecheck::limits::MAX_HTML_DEPTH).len()
                })
                .sum::<usize>()
        },
    );
    let pages = stage("page extraction", html.len(), "pages", || {
        html.iter()
            .map(|(url, h)| citecheck::extract::extract_page(h, url))
            .collect::<Vec<_>>()
    });
    // Each claim with the page of every linked citation bound to it.
    let mut pairs = Vec::new();
    for (i, (citations, claims)) in cited.iter().enumerate() {
        let linked: Vec<&citecheck::model::Citation> =
            citations.iter().filter(|c| c.url.is_some()).collect();
        for claim in claims {
            for (j, c) in linked.iter().enumerate().take(3) {
                if claim.cited.contains(&c.id) {
                    pairs.push((claim, i * 3 + j, c.id.as_str()));
                }
            }
        }
    }
    stage(
        "compare claims with their pages",
        pairs.len(),
        "pairs",
        || {
            for (claim, page, id) in &pairs {
                std::hint::black_box(citecheck::compare::best_evidence(claim, &pages[*page], id));
            }
        },
    );
}
