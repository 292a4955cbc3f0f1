//! Speed of the corpus provider on generated saved pages: building the index from a folder
//! (cold, with and without the on-disk cache), loading it again unchanged, updating it after a
//! few files change, reading the same pages from a WARC file, and query latency.
//!
//! Run with `cargo bench --bench search [-- PAGES]` (default 2000 pages); figures go to
//! BENCHMARKS.md by hand. A plain harness like `benches/pipeline.rs`.

use citecheck::search::corpus_cache::CACHE_FILE_NAME;
use citecheck::search::{Corpus, SearchProvider, SearchQuery};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Words the generated pages are made of, Chinese and English, so the CJK bigram index and
/// the word index both get exercised.
const ZH: &[&str] = &[
    "英伟达",
    "芯片",
    "出口",
    "管制",
    "市场",
    "供应商",
    "数据中心",
    "营收",
    "同比增长",
    "港口",
    "吞吐量",
    "统计局",
    "失业率",
    "国民经济",
    "政策",
    "银行",
    "降准",
    "消费",
    "投资",
    "制造业",
];
const EN: &[&str] = &[
    "nvidia",
    "chip",
    "export",
    "market",
    "supplier",
    "revenue",
    "growth",
    "port",
    "storm",
    "coast",
    "bank",
    "policy",
    "inflation",
    "factory",
    "orders",
    "quarter",
    "profit",
    "shares",
];

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.next() % words.len()]
    }
}

fn page(i: usize, rng: &mut Rng, revision: usize) -> (String, String) {
    let zh = i % 2 == 0;
    let words = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| if zh { rng.pick(ZH) } else { rng.pick(EN) })
            .collect::<Vec<_>>()
            .join(if zh { "" } else { " " })
    };
    let title = format!("{} {i} r{revision}", words(rng, 6));
    let paragraphs: String = (0..8)
        .map(|_| format!("<p>{}。</p>", words(rng, 40)))
        .collect();
    let url = format!("https://news{}.example/{}/{i}.html", i % 50, 2025);
    let html = format!(
        "<!-- saved from url=({:04}){url} -->\n<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <title>{title}_示例新闻</title></head><body><nav><a href=\"/\">首页</a><a href=\"/n\">新闻</a></nav>\
         <article><h1>{title}</h1><p class=\"meta\">2025-08-{:02} 来源：示例日报</p>{paragraphs}</article>\
         <aside><h3>相关阅读</h3><ul><li><a href=\"/x\">{}</a></li></ul></aside>\
         <footer>版权所有 © 示例新闻</footer></body></html>",
        url.len(),
        1 + i % 28,
        words(rng, 5)
    );
    (url, html)
}

fn time<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(std::hint::black_box(f()));
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "{label:<58} best {:>9.1} ms   median {:>9.1} ms   ({runs} runs)",
        times[0].as_secs_f64() * 1e3,
        times[runs / 2].as_secs_f64() * 1e3
    );
    last.expect("at least one run")
}

fn write_pages(dir: &Path, n: usize) -> Vec<(String, String)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pages: Vec<(String, String)> = (0..n).map(|i| page(i, &mut rng, 0)).collect();
    for (i, (_, html)) in pages.iter().enumerate() {
        std::fs::write(dir.join(format!("p{i:05}.html")), html).expect("write page");
    }
    pages
}

fn warc(pages: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (url, html) in pages {
        let http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
            html.len()
        );
        let record = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(record.as_bytes()).expect("gzip");
        out.extend(gz.finish().expect("gzip"));
    }
    out
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::tempdir().expect("tempdir");
    let pages = write_pages(dir.path(), n);
    let bytes: u64 = pages.iter().map(|(_, h)| h.len() as u64).sum();
    println!("{n} generated pages, {:.1} MB of HTML", bytes as f64 / 1e6);
    let cache = dir.path().join(CACHE_FILE_NAME);

    time(&format!("from_dir, no cache ({n} pages)"), 3, || {
        Corpus::from_dir(dir.path()).expect("corpus").len()
    });
    time(
        &format!("from_dir_cached, cold: build + write cache ({n})"),
        3,
        || {
            let _ = std::fs::remove_file(&cache);
            Corpus::from_dir_cached(dir.path(), &cache)
                .expect("corpus")
                .1
        },
    );
    let size = std::fs::metadata(&cache).map(|m| m.len()).unwrap_or(0);
    println!("cache file: {:.1} MB", size as f64 / 1e6);
    time(
        &format!("from_dir_cached, warm: nothing changed ({n})"),
        5,
        || {
            Corpus::from_dir_cached(dir.path(), &cache)
                .expect("corpus")
                .1
        },
    );
    let changed = (n / 100).max(1);
    let mut revision = 0;
    let stats = time(
        &format!("from_dir_cached, {changed} changed + 1 added + 1 removed"),
        5,
        || {
            revision += 1;
            let mut rng = Rng(revision as u64 + 7);
            for i in 0..changed {
                let (_, html) = page(i * 97 % n, &mut rng, revision);
                std::fs::write(dir.path().join(format!("p{:05}.html", i * 97 % n)), html)
                    .expect("write");
            }
            std::fs::write(dir.path().join(format!("new{revision}.html")), &pages[0].1)
                .expect("write");
            let _ = std::fs::remove_file(dir.path().join(format!("new{}.html", revision - 1)));
            Corpus::from_dir_cached(dir.path(), &cache)
                .expect("corpus")
                .1
        },
    );
    println!("  last update: {stats:?}");

    let warc_dir = tempfile::tempdir().expect("tempdir");
    let warc_bytes = warc(&pages);
    std::fs::write(warc_dir.path().join("crawl.warc.gz"), &warc_bytes).expect("write warc");
    println!(
        "warc file: {:.1} MB gzipped per record",
        warc_bytes.len() as f64 / 1e6
    );
    time(&format!("read_warc only ({n} records)"), 3, || {
        citecheck::search::warc::read_warc(&warc_bytes)
            .expect("warc")
            .len()
    });
    time(
        &format!("from_dir of one .warc.gz ({n} records)"),
        3,
        || Corpus::from_dir(warc_dir.path()).expect("corpus").len(),
    );

    let corpus = Corpus::from_dir(dir.path()).expect("corpus");
    let queries: Vec<SearchQuery> = [
        "英伟达芯片出口管制",
        "数据中心营收同比增长",
        "nvidia chip export orders",
        "port storm coast",
        "统计局 失业率",
    ]
    .iter()
    .map(|t| SearchQuery {
        text: t.to_string(),
        limit: 10,
        ..SearchQuery::default()
    })
    .collect();
    let restricted = SearchQuery {
        domains: vec!["news7.example".to_string()],
        ..queries[0].clone()
    };
    time("query latency, 5 queries (top 10)", 20, || {
        queries
            .iter()
            .map(|q| {
                futures::executor::block_on(corpus.search(q))
                    .expect("search")
                    .len()
            })
            .sum::<usize>()
    });
    time("query latency, 1 query restricted to a domain", 20, || {
        futures::executor::block_on(corpus.search(&restricted))
            .expect("search")
            .len()
    });
}
