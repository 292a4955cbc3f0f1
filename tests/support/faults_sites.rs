//! Generated articles and the news sites they cite, for fault and load runs (issue 9).
//!
//! `write_articles` writes `n` Markdown articles, each citing three pages by URL on hosts of
//! their own (`s{article}-{source}.test`, so per-host politeness never serialises the run).
//! `sites` answers for every such page through the forward proxy: a page that supports the
//! claim, or (for one in three when faults are on) one of ten failures: a stalled connection,
//! a reset, a close without answer, 500, 503, 429, a bot wall, a wrong charset, a body over the
//! cap, or a redirect loop. Some articles' first source states another figure, so the run has
//! failing claims and exits 1. `run_measuring_rss` runs a child and polls its peak RSS.

use crate::support::{Request, Response};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Ports, in article order; the article's place name.
const PORTS: &[&str] = &[
    "宁波舟山",
    "上海",
    "深圳",
    "青岛",
    "广州",
    "天津",
    "厦门",
    "大连",
    "苏州",
    "连云港",
];

/// How a source fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteFault {
    Stall,
    Reset,
    Close,
    Status500,
    Status503,
    TooMany,
    BotWall,
    BadCharset,
    HugeBody,
    RedirectLoop,
}

pub const ALL_FAULTS: [SiteFault; 10] = [
    SiteFault::Stall,
    SiteFault::Reset,
    SiteFault::Close,
    SiteFault::Status500,
    SiteFault::Status503,
    SiteFault::TooMany,
    SiteFault::BotWall,
    SiteFault::BadCharset,
    SiteFault::HugeBody,
    SiteFault::RedirectLoop,
];

/// The fault of source `j` of article `i`: one source in three fails, the kinds in turn.
pub fn fault_of(i: usize, j: usize) -> Option<SiteFault> {
    let k = i * 3 + j;
    (k % 3 == 1).then(|| ALL_FAULTS[(k / 3) % ALL_FAULTS.len()])
}

/// Whether article `i`'s first source states another figure than the article (a claim that
/// fails the default policy).
pub fn is_misquoted(i: usize) -> bool {
    i % 7 == 0
}

fn port(i: usize) -> &'static str {
    PORTS[i % PORTS.len()]
}

fn growth(i: usize) -> usize {
    i % 30 + 3
}

pub fn url_of(i: usize, j: usize) -> String {
    let section = ["news", "world", "article"][j];
    format!("http://s{i}-{j}.test/{section}/{i}-{j}.html")
}

/// The three sentences of article `i`, one per source.
fn sentences(i: usize) -> [String; 3] {
    let p = port(i);
    [
        format!(
            "{p}港一季度集装箱吞吐量同比增长{}%，创下历史同期新高。",
            growth(i)
        ),
        format!(
            "港口负责人表示，新开通的{}条国际航线带来了{}万标箱的增量。",
            i % 9 + 2,
            i * 3 + 40
        ),
        format!(
            "{p}港计划在{}年前建成三座新的自动化集装箱泊位。",
            2027 + i % 4
        ),
    ]
}

/// Article `i` in Markdown: a title and three attributed paragraphs, each with a link.
pub fn article(i: usize) -> String {
    let s = sentences(i);
    let p = port(i);
    format!(
        "# {p}港一季度吞吐量同比增长{g}%\n\n\
         据[新华社]({u0})报道，{s0}\n\n\
         [路透社]({u1})援引知情人士的话称，{s1}\n\n\
         据[环球网]({u2})报道，{s2}\n",
        g = growth(i),
        u0 = url_of(i, 0),
        u1 = url_of(i, 1),
        u2 = url_of(i, 2),
        s0 = s[0],
        s1 = s[1],
        s2 = s[2],
    )
}

/// Writes articles `0..n` as `article-NNN.md` under `dir`.
pub fn write_articles(dir: &Path, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let path = dir.join(format!("article-{i:04}.md"));
            std::fs::write(&path, article(i)).expect("write article");
            path
        })
        .collect()
}

/// The page of source `j` of article `i`, as its site serves it: navigation, the article, a
/// related list and a footer.
pub fn page(i: usize, j: usize) -> String {
    let mut s = sentences(i);
    if j == 0 && is_misquoted(i) {
        s[0] = format!(
            "{}港一季度集装箱吞吐量同比下降{}%，为近年来同期最低。",
            port(i),
            growth(i) + 7
        );
    }
    let outlet = ["新华网", "路透中文网", "环球网"][j];
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{p}港吞吐量数据发布_{outlet}</title>\
         <meta property=\"og:title\" content=\"{p}港吞吐量数据发布\"></head><body>\
         <nav><a href=\"/\">首页</a> <a href=\"/finance\">财经</a> <a href=\"/world\">国际</a></nav>\
         <article><h1>{p}港吞吐量数据发布</h1><p class=\"byline\">2024-05-12 08:30 来源：{outlet}</p>\
         <p>{sentence}</p><p>业内人士认为，区域贸易回暖和航运价格企稳是主要原因，港口方面将继续扩大对外开放。</p>\
         <p>记者了解到，港区今年还将推进智慧码头建设，提升装卸效率和通关便利化水平。</p></article>\
         <aside class=\"related\"><h3>相关阅读</h3><ul><li><a href=\"/r/1\">航运指数连续三周上涨</a></li>\
         <li><a href=\"/r/2\">多地港口一季度数据亮眼</a></li></ul></aside>\
         <footer>版权所有 © {outlet} 未经授权禁止转载</footer></body></html>",
        p = port(i),
        sentence = s[j],
    )
}

/// Parses `/section/{i}-{j}.html` (or `…-hop.html` for a redirect loop's second page).
fn source_of(req: &Request) -> Option<(usize, usize)> {
    let name = req.path.rsplit('/').next()?.strip_suffix(".html")?;
    let name = name.strip_suffix("-hop").unwrap_or(name);
    let (i, j) = name.split_once('-')?;
    Some((i.parse().ok()?, j.parse().ok()?))
}

/// The handler for every cited site (used as the forward proxy). `latency` delays every
/// answer; `faults` turns the failing third on; `huge` is the size of an oversized body.
pub fn sites(
    latency: Option<Duration>,
    faults: bool,
    huge: usize,
) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    let huge_body: std::sync::Arc<Vec<u8>> = std::sync::Arc::new({
        let mut b = b"<html><body><p>".to_vec();
        b.resize(huge, b'x');
        b
    });
    move |req: &Request| {
        let response = answer(req, faults, &huge_body);
        match latency {
            Some(d) => response.delay(d),
            None => response,
        }
    }
}

fn answer(req: &Request, faults: bool, huge_body: &[u8]) -> Response {
    if req.path == "/robots.txt" {
        return Response::status(404);
    }
    let Some((i, j)) = source_of(req) else {
        return Response::status(404);
    };
    let fault = if faults { fault_of(i, j) } else { None };
    match fault {
        None => Response::html(page(i, j)),
        Some(SiteFault::Stall) => Response::stall(),
        Some(SiteFault::Reset) => Response::reset(),
        Some(SiteFault::Close) => Response::close(),
        Some(SiteFault::Status500) => Response::status(500),
        Some(SiteFault::Status503) => Response::status(503).header("Retry-After", "3600"),
        Some(SiteFault::TooMany) => Response::status(429).header("Retry-After", "3600"),
        Some(SiteFault::BotWall) => Response::new(
            403,
            "text/html; charset=utf-8",
            "<html><head><title>Just a moment...</title></head><body>\
             <div id=\"cf-browser-verification\">Checking your browser</div>\
             <script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1\"></script></body></html>",
        ),
        Some(SiteFault::BadCharset) => {
            // GBK bytes served as UTF-8, with a meta tag naming a charset that does not exist.
            let html = page(i, j).replace("charset=\"utf-8\"", "charset=\"x-no-such-charset\"");
            let (bytes, _, _) = encoding_rs::GBK.encode(&html);
            Response::bytes("text/html; charset=utf-8", bytes.into_owned())
        }
        Some(SiteFault::HugeBody) => Response::bytes("text/html; charset=utf-8", huge_body.to_vec()),
        Some(SiteFault::RedirectLoop) => {
            let here = req.url();
            let next = if here.contains("-hop.html") {
                here.replace("-hop.html", ".html")
            } else {
                here.replace(".html", "-hop.html")
            };
            Response::redirect(302, &next)
        }
    }
}

/// Runs `cmd` to the end, polling `/proc/<pid>/status` for its peak resident set (VmHWM, in
/// KiB; 0 where /proc is missing). Kills it after `limit`.
pub fn run_measuring_rss(mut cmd: Command, limit: Duration) -> (Output, u64) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("spawn citecheck");
    let pid = child.id();
    // Drain the pipes on threads so a large report cannot block the child.
    let mut stdout = child.stdout.take().expect("stdout piped");
    let mut stderr = child.stderr.take().expect("stderr piped");
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).expect("read stdout");
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).expect("read stderr");
        buf
    });
    let started = std::time::Instant::now();
    let mut peak = 0u64;
    let status = loop {
        if let Some(kb) = vm_hwm(pid) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait for citecheck") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            break child.wait().expect("wait for killed citecheck");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: out_thread.join().expect("stdout thread"),
        stderr: err_thread.join().expect("stderr thread"),
    };
    (output, peak)
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
