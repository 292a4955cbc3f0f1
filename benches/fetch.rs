//! Fetch throughput and memory (`cargo bench --bench fetch`).
//!
//! Throughput: 1,000 pages on 50 local hosts (50 listeners on the loopback addresses
//! 127.0.0.1 to 127.0.0.50, so 50 distinct host names for citecheck's and lychee's per-host
//! limits alike), every answer delayed by 50 ms. Measured wall
//! time is set against the ideal for the limits in force: with a per-host rate the busiest host
//! needs a robots.txt round trip (it takes no turn on the host's schedule) plus
//! `(pages - 1) / rate + latency`; without one, `requests / effective concurrency *
//! latency`, where the effective concurrency is `min(global, hosts * per-host)`. When `lychee`
//! is found (`$LYCHEE`, the `PATH`, or `/tmp/lychee/bin/lychee`) it checks the same URL list.
//!
//! Memory: the peak resident set (`VmHWM`) of a child process that only fetches a 200 MB body
//! or a gzip bomb (1 GiB decompressed), against one that fetches a small page.

use citecheck::fetch::{FetchError, FetchSettings, Fetcher, HttpFetcher};
use futures::stream::{self, StreamExt};
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const HOSTS: usize = 50;
const PAGES: usize = 1000;
const LATENCY: Duration = Duration::from_millis(50);

/// What a bench server sends.
#[derive(Clone)]
enum Body {
    /// A small article after the injected latency; robots.txt is a 404.
    Page(Arc<Vec<u8>>),
    /// 200 MB of text, no `Content-Length`.
    Huge,
    /// A gzip stream, as `Content-Encoding: gzip`.
    Gzip(Arc<Vec<u8>>),
}

async fn serve(mut stream: TcpStream, body: Body) {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let robots = head.windows(11).any(|w| w == b"/robots.txt");
    match body {
        Body::Page(page) => {
            tokio::time::sleep(LATENCY).await;
            let (status, body): (&str, &[u8]) = if robots {
                ("404 Not Found", b"")
            } else {
                ("200 OK", &page)
            };
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.write_all(body).await;
        }
        Body::Huge => {
            let _ = stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
                )
                .await;
            let filler = vec![b'a'; 64 * 1024];
            for _ in 0..(200 * 1024 * 1024 / filler.len()) {
                if stream.write_all(&filler).await.is_err() {
                    break;
                }
            }
        }
        Body::Gzip(gz) => {
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                gz.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.write_all(&gz).await;
        }
    }
    let _ = stream.shutdown().await;
}

/// A server on `ip` (any 127/8 address is loopback on Linux), on a free port.
async fn listen(ip: &str, body: Body) -> u16 {
    let listener = TcpListener::bind((ip, 0)).await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, body.clone()));
        }
    });
    port
}

fn page() -> Vec<u8> {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>示例新闻</title></head><body>\
         <nav><a href=\"/\">首页</a><a href=\"/news\">新闻</a></nav><article><h1>示例新闻</h1>",
    );
    for i in 0..40 {
        html.push_str(&format!(
            "<p>第{i}段：记者从有关部门获悉，相关工作已经全面展开，各项措施正在落实。</p>"
        ));
    }
    html.push_str("</article><footer>版权所有</footer></body></html>");
    html.into_bytes()
}

fn base_settings() -> FetchSettings {
    FetchSettings {
        allow_private: true,
        retries: 0,
        ..FetchSettings::default()
    }
}

/// Fetches every URL with `settings`, as many at once as the limits allow; returns the wall
/// time and the number of pages that failed.
async fn run(settings: &FetchSettings, urls: &[String]) -> (Duration, usize) {
    let fetcher = HttpFetcher::new(settings).expect("fetcher");
    let started = Instant::now();
    let failures = stream::iter(urls.iter())
        .map(|url| {
            let fetcher = &fetcher;
            async move { fetcher.get(url).await.is_err() }
        })
        .buffer_unordered(PAGES)
        .filter(|failed| std::future::ready(*failed))
        .count()
        .await;
    (started.elapsed(), failures)
}

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One memory case, in this (child) process: prints the outcome and the peak RSS.
fn memory_case(case: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let body = match case {
            "small" => Body::Page(Arc::new(page())),
            "huge" => Body::Huge,
            _ => {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                let spaces = vec![b' '; 1 << 20];
                for _ in 0..1024 {
                    encoder.write_all(&spaces).expect("gzip");
                }
                Body::Gzip(Arc::new(encoder.finish().expect("gzip")))
            }
        };
        let before = vm_hwm_kib();
        let port = listen("127.0.0.1", body).await;
        let settings = FetchSettings {
            robots: false,
            ..base_settings()
        };
        let started = Instant::now();
        let result = HttpFetcher::new(&settings)
            .expect("fetcher")
            .get(&format!("http://127.0.0.1:{port}/x"))
            .await;
        let outcome = match result {
            Ok(page) => format!("page of {} bytes", page.html.len()),
            Err(FetchError::TooLarge { limit, .. }) => format!("TooLarge (cap {limit} bytes)"),
            Err(error) => format!("{error}"),
        };
        println!(
            "{case}\t{outcome}\t{:?}\tVmHWM before fetch {} KiB, after {} KiB",
            started.elapsed(),
            before,
            vm_hwm_kib()
        );
    });
}

/// `$LYCHEE`, else `lychee` on the `PATH` (`cargo install lychee` puts it in ~/.cargo/bin),
/// else /tmp/lychee/bin/lychee.
fn lychee_path() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("LYCHEE") {
        let p = std::path::PathBuf::from(p);
        return p.exists().then_some(p);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("lychee"))
            .find(|p| p.exists())
    });
    on_path.or_else(|| {
        let p = std::path::PathBuf::from("/tmp/lychee/bin/lychee");
        p.exists().then_some(p)
    })
}

fn main() {
    if let Ok(case) = std::env::var("CITECHECK_BENCH_MEMORY_CASE") {
        memory_case(&case);
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let urls: Vec<String> = rt.block_on(async {
        let body = Body::Page(Arc::new(page()));
        let mut hosts = Vec::new();
        for h in 0..HOSTS {
            let ip = format!("127.0.0.{}", h + 1);
            let port = listen(&ip, body.clone()).await;
            hosts.push(format!("{ip}:{port}"));
        }
        (0..PAGES)
            .map(|i| format!("http://{}/news/{}.html", hosts[i % HOSTS], i / HOSTS))
            .collect()
    });
    let per_host_pages = PAGES / HOSTS;
    println!("fetch: {PAGES} pages on {HOSTS} hosts, {LATENCY:?} latency per answer");
    println!("config\twall\tideal\tfailures");
    let configs: Vec<(&str, FetchSettings)> = vec![
        (
            "defaults (2/host, 1 req/s/host, 32 global, robots on)",
            base_settings(),
        ),
        (
            "no rate limit, 2/host, 32 global, robots on",
            FetchSettings {
                per_host_rate: 0.0,
                ..base_settings()
            },
        ),
        (
            "no rate limit, 2/host, 100 global, robots off",
            FetchSettings {
                per_host_rate: 0.0,
                max_concurrency: 100,
                robots: false,
                ..base_settings()
            },
        ),
    ];
    for (name, settings) in &configs {
        let requests_per_host = per_host_pages + usize::from(settings.robots);
        let ideal = if settings.per_host_rate > 0.0 {
            // robots.txt takes no turn on the host's schedule: one round trip, then the pages
            // `1 / rate` apart.
            let robots = if settings.robots {
                LATENCY
            } else {
                Duration::ZERO
            };
            robots
                + Duration::from_secs_f64((per_host_pages - 1) as f64 / settings.per_host_rate)
                + LATENCY
        } else {
            let concurrency = settings
                .max_concurrency
                .min(HOSTS * settings.per_host_concurrency);
            // robots.txt comes first on each host, then its pages.
            let total = HOSTS * requests_per_host;
            LATENCY.mul_f64((total as f64 / concurrency as f64).ceil())
        };
        let (wall, failures) = rt.block_on(run(settings, &urls));
        println!("{name}\t{wall:.2?}\t{ideal:.2?}\t{failures}");
    }

    match lychee_path() {
        Some(lychee) => {
            let list =
                std::env::temp_dir().join(format!("citecheck-bench-{}.txt", std::process::id()));
            std::fs::write(&list, urls.join("\n")).expect("write url list");
            // The same three limit sets as citecheck's rows: 50 host names, so lychee's
            // per-host limits (keyed by host name) mean what citecheck's do. lychee checks
            // robots.txt never, so its ideal has one request fewer per host.
            for (host, interval, total) in
                [("2", "1s", "32"), ("2", "0ms", "32"), ("2", "0ms", "100")]
            {
                let started = Instant::now();
                let output = std::process::Command::new(&lychee)
                    .args(["--no-progress", "--max-retries", "0", "--timeout", "20"])
                    .args(["--method", "get", "--host-concurrency", host])
                    .args([
                        "--host-request-interval",
                        interval,
                        "--max-concurrency",
                        total,
                    ])
                    .arg(&list)
                    .output()
                    .expect("run lychee");
                let wall = started.elapsed();
                let stdout = String::from_utf8_lossy(&output.stdout);
                let summary = stdout
                    .lines()
                    .filter(|l| {
                        l.contains("Total") || l.contains("Successful") || l.contains("Error")
                    })
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(" ");
                println!(
                    "lychee {host}/host, {interval} interval, {total} in all\t{wall:.2?}\texit {:?}\t{summary}",
                    output.status.code()
                );
            }
            let _ = std::fs::remove_file(&list);
        }
        None => println!("lychee not found (set LYCHEE or install to /tmp/lychee)"),
    }

    let exe = std::env::current_exe().expect("current exe");
    for case in ["small", "huge", "bomb"] {
        let output = std::process::Command::new(&exe)
            .env("CITECHECK_BENCH_MEMORY_CASE", case)
            .output()
            .expect("run memory case");
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
}
