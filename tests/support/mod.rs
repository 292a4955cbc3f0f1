//! Local stand-ins for the outside world, so end-to-end tests never touch the real internet.
//!
//! `TestServer` is a tiny HTTP/1.1 server on `127.0.0.1:0`. It runs on its own thread with its
//! own tokio runtime, so plain `#[test]` functions can start one and then run the binary with
//! `assert_cmd`. Handlers are plain functions from `Request` to `Response`; `searxng` and
//! `news_proxy` build the two handlers the network tests need (a SearXNG JSON endpoint, and a
//! forward proxy that serves saved pages). `corpus_pages` reads `fixtures/corpus/` so network
//! tests serve exactly the pages the embedded corpus holds.

// Each test crate includes this module and uses a different part of it.
#![allow(dead_code)]
pub mod search_apis;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The largest request head the server reads; anything longer is answered with 431.
const MAX_HEAD: usize = 64 * 1024;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target exactly as sent: absolute-form (`http://host/path?q`) when the client
    /// talks to us as a forward proxy, origin-form (`/path?q`) otherwise.
    pub target: String,
    /// Host (with port when one was given) from an absolute-form target, else the Host header.
    pub host: String,
    pub path: String,
    /// Decoded query parameters; the last one wins when a name repeats.
    pub query: HashMap<String, String>,
    /// Header names lowercased.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// When the request head was read.
    pub received: Instant,
}

impl Request {
    /// Whether the target was sent in absolute form, as clients do to a forward proxy.
    pub fn is_absolute_form(&self) -> bool {
        self.target.starts_with("http://") || self.target.starts_with("https://")
    }

    /// The full URL asked for: the target itself in absolute form, else Host + target.
    pub fn url(&self) -> String {
        if self.is_absolute_form() {
            self.target.clone()
        } else {
            format!("http://{}{}", self.host, self.target)
        }
    }

    /// The host without a port.
    pub fn hostname(&self) -> &str {
        host_without_port(&self.host)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// What the server does with a connection instead of (or before) answering normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Keep the connection open and never answer, until the server stops.
    Stall,
    /// Close the connection with a TCP reset, without answering.
    Reset,
    /// Close the connection cleanly, without answering.
    Close,
}

/// The answer to one request.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (or before the fault).
    pub delay: Option<Duration>,
    pub fault: Option<Fault>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body: body.into(),
            delay: None,
            fault: None,
        }
    }

    /// A 200 HTML page, UTF-8 declared.
    pub fn html(body: impl Into<Vec<u8>>) -> Response {
        Response::new(200, "text/html; charset=utf-8", body)
    }

    /// A 200 response with the given content type (e.g. `text/html; charset=gbk`).
    pub fn bytes(content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response::new(200, content_type, body)
    }

    pub fn json(value: &serde_json::Value) -> Response {
        Response::new(200, "application/json", value.to_string())
    }

    /// An empty-bodied (plain text reason) response with this status.
    pub fn status(code: u16) -> Response {
        Response::new(code, "text/plain; charset=utf-8", reason(code))
    }

    pub fn redirect(code: u16, location: &str) -> Response {
        Response::status(code).header("Location", location)
    }

    /// Never answer; hold the connection open until the server stops.
    pub fn stall() -> Response {
        Response::status(200).fault(Fault::Stall)
    }

    /// Reset the connection without answering.
    pub fn reset() -> Response {
        Response::status(200).fault(Fault::Reset)
    }

    /// Close the connection without answering.
    pub fn close() -> Response {
        Response::status(200).fault(Fault::Close)
    }

    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Wait `d` before answering.
    pub fn delay(mut self, d: Duration) -> Response {
        self.delay = Some(d);
        self
    }

    pub fn fault(mut self, fault: Fault) -> Response {
        self.fault = Some(fault);
        self
    }
}

/// A boxed request handler, as `TestServer::start` stores it.
pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync + 'static>;

/// A local HTTP/1.1 server on its own thread. Stops when dropped.
pub struct TestServer {
    addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> TestServer {
        let handler: Handler = Arc::new(handler);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (stop_tx, stop_rx) = watch::channel(false);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let recorded = Arc::clone(&requests);
        let thread = std::thread::Builder::new()
            .name("test-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("build test server runtime");
                rt.block_on(async move {
                    let listener = TcpListener::bind("127.0.0.1:0")
                        .await
                        .expect("bind 127.0.0.1:0");
                    addr_tx
                        .send(listener.local_addr().expect("local addr"))
                        .expect("report address");
                    accept_loop(listener, handler, recorded, stop_rx).await;
                });
                // Dropping the runtime here cancels connections still open (stalled ones).
                rt.shutdown_timeout(Duration::from_millis(100));
            })
            .expect("spawn test server thread");
        let addr = addr_rx.recv().expect("test server started");
        TestServer {
            addr,
            requests,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    handler: Handler,
    requests: Arc<Mutex<Vec<Request>>>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let handler = Arc::clone(&handler);
                let requests = Arc::clone(&requests);
                let stop = stop.clone();
                tokio::spawn(serve_connection(stream, handler, requests, stop));
            }
        }
    }
}

/// Serves one request per connection and closes it; clients open a new connection each time.
async fn serve_connection(
    mut stream: TcpStream,
    handler: Handler,
    requests: Arc<Mutex<Vec<Request>>>,
    mut stop: watch::Receiver<bool>,
) {
    let request = match read_request(&mut stream).await {
        Ok(Some(request)) => request,
        Ok(None) => return,
        Err(code) => {
            let _ = write_response(&mut stream, &Response::status(code), false).await;
            return;
        }
    };
    requests
        .lock()
        .expect("requests lock")
        .push(request.clone());
    let handler_for_call = Arc::clone(&handler);
    let request_for_call = request.clone();
    // A panicking handler must not take the server down; answer 500 instead.
    let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        handler_for_call(&request_for_call)
    }))
    .unwrap_or_else(|_| Response::status(500));
    if let Some(d) = response.delay {
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(d) => {}
        }
    }
    match response.fault {
        Some(Fault::Stall) => {
            let _ = stop.changed().await;
        }
        Some(Fault::Reset) => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Some(Fault::Close) => {
            let _ = stream.shutdown().await;
        }
        None => {
            let _ = write_response(&mut stream, &response, request.method == "HEAD").await;
            let _ = stream.shutdown().await;
        }
    }
}

/// Reads and parses one request; `Ok(None)` when the client closed before sending one,
/// `Err(status)` when the request is malformed.
async fn read_request(stream: &mut TcpStream) -> Result<Option<Request>, u16> {
    let mut buf = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(pos) = find(&buf, b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return Err(431);
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.map_err(|_| 400u16)?;
        if n == 0 {
            return if buf.is_empty() { Ok(None) } else { Err(400) };
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let received = Instant::now();
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| 400u16)?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().ok_or(400u16)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(_version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    let mut headers = HashMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(400u16)?;
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
    }
    let mut body = buf[head_end + 4..].to_vec();
    if let Some(len) = headers.get("content-length") {
        let len: usize = len.parse().map_err(|_| 400u16)?;
        while body.len() < len {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.map_err(|_| 400u16)?;
            if n == 0 {
                return Err(400);
            }
            body.extend_from_slice(&chunk[..n]);
        }
        body.truncate(len);
    }

    let (host, path, query) = if target.starts_with("http://") || target.starts_with("https://") {
        let url = url::Url::parse(target).map_err(|_| 400u16)?;
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let query = url.query_pairs().into_owned().collect();
        (host, url.path().to_string(), query)
    } else {
        let host = headers.get("host").cloned().unwrap_or_default();
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, query),
            None => (target, ""),
        };
        let query = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        (host, path.to_string(), query)
    };
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        host,
        path,
        query,
        headers,
        body,
        received,
    }))
}

async fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    out.push_str("Connection: close\r\n\r\n");
    stream.write_all(out.as_bytes()).await?;
    if !head_only {
        stream.write_all(&response.body).await?;
    }
    stream.flush().await
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn host_without_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

// ---------------------------------------------------------------------------------------------
// SearXNG

/// One result a fake SearXNG can return.
#[derive(Debug, Clone)]
pub struct SearxResult {
    pub url: String,
    pub title: String,
    pub content: String,
    pub published_date: Option<String>,
}

impl SearxResult {
    pub fn new(url: &str, title: &str, content: &str) -> SearxResult {
        SearxResult {
            url: url.to_string(),
            title: title.to_string(),
            content: content.to_string(),
            published_date: None,
        }
    }
}

/// A SearXNG-compatible `GET /search?q=...&format=json` endpoint over a fixed set of results.
///
/// A result is returned when at least 40% of the query's tokens (words of Latin text, single
/// CJK characters) occur in its title or content; results are sorted best first. `site:HOST`
/// operators are removed from the query and keep only results on that host or its subdomains.
/// `format` other than `json` gets 400, like an instance with only JSON enabled would refuse it.
pub fn searxng(
    results: Vec<(String, String, String)>,
) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    searxng_results(
        results
            .into_iter()
            .map(|(url, title, content)| SearxResult::new(&url, &title, &content))
            .collect(),
    )
}

/// `searxng` with full results (publication dates).
pub fn searxng_results(
    results: Vec<SearxResult>,
) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    move |req: &Request| {
        if req.path != "/search" {
            return Response::status(404);
        }
        if req.query.get("format").map(String::as_str) != Some("json") {
            return Response::status(400);
        }
        let q = req.query.get("q").cloned().unwrap_or_default();
        let (text, sites) = split_site_operators(&q);
        let hits = search_results(&results, &text, &sites);
        let results: Vec<serde_json::Value> = hits
            .iter()
            .map(|(r, score)| {
                serde_json::json!({
                    "url": r.url,
                    "title": r.title,
                    "content": r.content,
                    "publishedDate": r.published_date,
                    "engine": "fake",
                    "engines": ["fake"],
                    "score": score,
                    "category": "general",
                })
            })
            .collect();
        Response::json(&serde_json::json!({
            "query": q,
            "number_of_results": results.len(),
            "results": results,
            "answers": [],
            "corrections": [],
            "infoboxes": [],
            "suggestions": [],
            "unresponsive_engines": [],
        }))
    }
}

/// The query without its `site:` operators, and the hosts those operators name.
pub fn split_site_operators(q: &str) -> (String, Vec<String>) {
    let mut words = Vec::new();
    let mut sites = Vec::new();
    for word in q.split_whitespace() {
        match word.strip_prefix("site:") {
            Some(site) if !site.is_empty() => sites.push(site.to_ascii_lowercase()),
            _ => words.push(word),
        }
    }
    (words.join(" "), sites)
}

fn search_results<'a>(
    results: &'a [SearxResult],
    text: &str,
    sites: &[String],
) -> Vec<(&'a SearxResult, f64)> {
    let query_tokens = tokens(text);
    let mut hits: Vec<(&SearxResult, f64)> = results
        .iter()
        .filter(|r| sites.is_empty() || sites.iter().any(|s| on_site(&r.url, s)))
        .filter_map(|r| {
            if query_tokens.is_empty() {
                // A query of only `site:` operators lists the site.
                return (!sites.is_empty()).then_some((r, 1.0));
            }
            let doc = tokens(&format!("{} {}", r.title, r.content));
            let shared = query_tokens.intersection(&doc).count();
            let score = shared as f64 / query_tokens.len() as f64;
            (score >= 0.4).then_some((r, score))
        })
        .collect();
    hits.sort_by(|a, b| b.1.total_cmp(&a.1));
    // One page of results, as an instance returns by default.
    hits.truncate(10);
    hits
}

fn on_site(url: &str, site: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let site = site.trim_end_matches('/');
    host == site || host.ends_with(&format!(".{site}"))
}

/// Lowercased Latin words and digit runs, and single CJK characters; punctuation dropped.
fn tokens(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.insert(std::mem::take(&mut word));
        }
        if c.is_alphanumeric() {
            // Han and other non-ASCII letters: one token per character.
            out.insert(c.to_lowercase().collect());
        }
    }
    if !word.is_empty() {
        out.insert(word);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// News pages behind a forward proxy

/// A forward proxy (and plain page server) over saved pages keyed by URL.
///
/// Looks up the absolute-form target, or `http://Host/path` for origin-form requests; the
/// scheme and a trailing slash are ignored when matching, since tests serve `https://` pages
/// over plain HTTP. Anything else is 404.
pub fn news_proxy(
    pages: HashMap<String, (String, Vec<u8>)>,
) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    let pages: HashMap<String, (String, Vec<u8>)> = pages
        .into_iter()
        .map(|(url, page)| (page_key(&url), page))
        .collect();
    move |req: &Request| match pages.get(&page_key(&req.url())) {
        Some((content_type, body)) => Response::bytes(content_type, body.clone()),
        None => Response::status(404),
    }
}

/// A URL reduced to what page lookup compares: no scheme, no fragment, no trailing slash,
/// lowercase host, no default port.
pub fn page_key(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            u.set_fragment(None);
            let _ = u.set_port(None);
            let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
            let mut key = format!("{host}{}", u.path());
            if let Some(q) = u.query() {
                key.push('?');
                key.push_str(q);
            }
            key.trim_end_matches('/').to_string()
        }
        Err(_) => url.to_string(),
    }
}

/// `https://x/y` -> `http://x/y`: tests reach saved pages over plain HTTP through the proxy.
pub fn http_url(url: &str) -> String {
    match url.strip_prefix("https://") {
        Some(rest) => format!("http://{rest}"),
        None => url.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Corpus pages

/// A saved page from `fixtures/corpus/`.
#[derive(Debug, Clone)]
pub struct CorpusPage {
    /// From the `<!-- saved from url=(NNNN)URL -->` first line.
    pub url: String,
    /// The `<title>` text, decoded.
    pub title: String,
    /// The first paragraphs of the page, decoded, up to about 200 characters: a search snippet.
    pub snippet: String,
    /// `text/html; charset=X` with the charset the page declares (utf-8 when it declares none).
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub path: PathBuf,
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed_article() -> PathBuf {
    repo_root().join("fixtures/articles/nvidia-china-orders.txt")
}

/// Every `fixtures/corpus/**/*.html`, sorted by path.
pub fn corpus_pages() -> Vec<CorpusPage> {
    let mut files = Vec::new();
    collect_html(&repo_root().join("fixtures/corpus"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let url = saved_from_url(&bytes)?;
            let encoding = declared_encoding(&bytes);
            let (html, _, _) = encoding.decode(&bytes);
            let doc = scraper::Html::parse_document(&html);
            let title = select_text(&doc, "title").unwrap_or_default();
            let mut snippet = String::new();
            let p = scraper::Selector::parse("p").expect("valid selector");
            for el in doc.select(&p) {
                let text = el.text().collect::<String>();
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                if !snippet.is_empty() {
                    snippet.push(' ');
                }
                snippet.push_str(text);
                if snippet.chars().count() >= 200 {
                    break;
                }
            }
            let snippet: String = snippet.chars().take(200).collect();
            Some(CorpusPage {
                url,
                title,
                snippet,
                content_type: format!("text/html; charset={}", encoding.name().to_lowercase()),
                bytes,
                path,
            })
        })
        .collect()
}

/// `corpus_pages` as `(url, title, bytes)`.
pub fn corpus_page_tuples() -> Vec<(String, String, Vec<u8>)> {
    corpus_pages()
        .into_iter()
        .map(|p| (p.url, p.title, p.bytes))
        .collect()
}

fn collect_html(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_html(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        {
            out.push(path);
        }
    }
}

/// The URL in a `<!-- saved from url=(0042)https://... -->` first line.
pub fn saved_from_url(bytes: &[u8]) -> Option<String> {
    let first_line = bytes.split(|&b| b == b'\n').next()?;
    let line = String::from_utf8_lossy(first_line);
    let rest = line.split("saved from url=").nth(1)?;
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('(') {
        Some(r) => r.split_once(')')?.1,
        None => rest,
    };
    let url = rest.split("-->").next()?.trim();
    (!url.is_empty()).then(|| url.to_string())
}

/// The charset a page declares in a `<meta>` near its start; when it declares none, UTF-8 if
/// the bytes are valid UTF-8, else what `chardetng` guesses (saved Chinese pages are often GBK
/// with the charset only in the HTTP header that was not saved).
pub fn declared_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let re = regex::Regex::new(r#"charset\s*=\s*["']?([a-z0-9_\-]+)"#).expect("valid regex");
    if let Some(enc) = re
        .captures(&head)
        .and_then(|c| encoding_rs::Encoding::for_label(c[1].as_bytes()))
    {
        return enc;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

fn select_text(doc: &scraper::Html, selector: &str) -> Option<String> {
    let sel = scraper::Selector::parse(selector).ok()?;
    let el = doc.select(&sel).next()?;
    let text = el.text().collect::<String>().trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// The corpus as a search index: `(http URL, title, snippet)` per page. URLs are rewritten to
/// `http://` because the test proxy cannot speak TLS; the page keeps its `https://` canonical.
pub fn corpus_search_results() -> Vec<(String, String, String)> {
    corpus_pages()
        .into_iter()
        .map(|p| (http_url(&p.url), p.title, p.snippet))
        .collect()
}

/// The corpus as pages for `news_proxy`, keyed by URL, served with the charset they are in.
pub fn corpus_page_map() -> HashMap<String, (String, Vec<u8>)> {
    corpus_pages()
        .into_iter()
        .map(|p| (p.url, (p.content_type, p.bytes)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Running the binary

/// A new, empty folder for the binary's HTTP cache (`XDG_CACHE_HOME`), one per run, so no run
/// sees pages another run (a test, a bench) fetched from the same made-up hosts.
pub fn fresh_cache_dir() -> PathBuf {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let cache =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cache-{}-{run}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    cache
}

/// Variables a test run must not inherit: a proxy would take loopback traffic away from the
/// test servers; a user's config or log level would change what the binary does.
const INHERITED_VARS: &[&str] = &[
    "CITECHECK_CONFIG",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "RUST_LOG",
];

/// Gives `cmd` (the binary, or a program that runs it, such as `script`) the environment that
/// keeps it off the real network: no proxy from the environment, loopback always direct, no
/// colour, a fresh HTTP cache.
pub fn isolate(cmd: &mut std::process::Command) -> &mut std::process::Command {
    for var in INHERITED_VARS {
        cmd.env_remove(var);
    }
    cmd.env("XDG_CACHE_HOME", fresh_cache_dir())
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env("NO_COLOR", "1")
}

/// The headless browser for the browser tests: `$CITECHECK_CHROMIUM`, else Debian's
/// `chromium` (which `.ci/run` installs) or another Chrome on the usual paths.
pub fn browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CITECHECK_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// The binary, [`isolate`]d, as a plain `Command` (for a child read or polled while it runs).
pub fn citecheck_command() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("citecheck"));
    isolate(&mut cmd);
    cmd
}

/// The binary, [`isolate`]d, with a 60 s timeout.
pub fn citecheck() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::from_std(citecheck_command());
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// `check FILE --format json` searching through the fake SearXNG `searx` and fetching pages
/// through the forward proxy `proxy`.
pub fn check_via(
    searx: &TestServer,
    proxy: &TestServer,
    file: &std::path::Path,
) -> std::process::Output {
    citecheck()
        .arg("check")
        .arg(file)
        .args(["--format", "json", "--search", "searxng", "--search-url"])
        .arg(searx.url())
        .arg("--proxy")
        .arg(proxy.url())
        .output()
        .expect("run citecheck")
}

/// Parses the binary's stdout as the JSON report, with the output in the panic message if not.
pub fn parse_report(stdout: &[u8]) -> serde_json::Value {
    serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not a JSON report ({e}):\n{}",
            String::from_utf8_lossy(stdout)
        )
    })
}

/// A readable summary of a finished run, for assertion messages.
pub fn describe(output: &std::process::Output) -> String {
    format!(
        "exit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

// ---------------------------------------------------------------------------------------------
// Reading the JSON report

/// `documents[i]` of a report.
pub fn document(report: &serde_json::Value, i: usize) -> &serde_json::Value {
    let docs = report["documents"]
        .as_array()
        .unwrap_or_else(|| panic!("report has no documents array: {report:#}"));
    docs.get(i)
        .unwrap_or_else(|| panic!("report has no document {i}: {report:#}"))
}

pub fn array<'a>(value: &'a serde_json::Value, key: &str) -> &'a Vec<serde_json::Value> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("no array {key:?} in {value:#}"))
}

/// `field` of every item, as strings (`null` as empty).
pub fn strings(items: &[serde_json::Value], field: &str) -> Vec<String> {
    items
        .iter()
        .map(|v| v[field].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The first claim of a document whose text contains `needle`.
pub fn claim_containing<'a>(doc: &'a serde_json::Value, needle: &str) -> &'a serde_json::Value {
    array(doc, "claims")
        .iter()
        .find(|c| c["text"].as_str().is_some_and(|t| t.contains(needle)))
        .unwrap_or_else(|| panic!("no claim containing {needle:?} in {doc:#}"))
}

/// Every flag kind over all evidence of a claim.
pub fn flag_kinds(claim: &serde_json::Value) -> std::collections::BTreeSet<String> {
    array(claim, "evidence")
        .iter()
        .flat_map(|e| array(e, "flags").iter())
        .filter_map(|f| f["kind"].as_str().map(str::to_string))
        .collect()
}

/// Every flag of a claim with this kind, over all its evidence.
pub fn flags_of_kind<'a>(claim: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    array(claim, "evidence")
        .iter()
        .flat_map(|e| array(e, "flags").iter())
        .filter(|f| f["kind"] == kind)
        .collect()
}

/// The three source lines at the end of the seed article, as `(outlet, headline)`.
pub const SEED_CITATIONS: [(&str, &str); 3] = [
    (
        "鲁中晨报",
        "美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片",
    ),
    ("新浪财经", "渐失中国市场,不影响英伟达狂飙?"),
    (
        "环球网",
        "美媒:因美政府扩大对华芯片出口限制,英伟达可能丢掉价值超50亿美元订单",
    ),
];

/// Asserts the seed's three citations, in order, exactly as the article writes them.
pub fn assert_seed_citations(doc: &serde_json::Value) {
    let citations = array(doc, "citations");
    assert_eq!(citations.len(), 3, "citations: {citations:#?}");
    let outlets = strings(citations, "outlet");
    let headlines = strings(citations, "headline");
    let expected_outlets: Vec<&str> = SEED_CITATIONS.iter().map(|c| c.0).collect();
    let expected_headlines: Vec<&str> = SEED_CITATIONS.iter().map(|c| c.1).collect();
    assert_eq!(outlets, expected_outlets, "citations: {citations:#?}");
    assert_eq!(headlines, expected_headlines, "citations: {citations:#?}");
    let lines: Vec<u64> = citations
        .iter()
        .map(|c| c["line"].as_u64().unwrap_or_default())
        .collect();
    assert_eq!(lines, vec![125, 127, 129], "citations: {citations:#?}");
}

/// Asserts the seed's title claim fails and that its evidence names the three distortions:
/// 中国 for 中东, an announcement for "considering", Nvidia for the US government.
pub fn assert_seed_title_claim(doc: &serde_json::Value) {
    let claim = claim_containing(doc, "英伟达正式宣布");
    assert_eq!(claim["line"], 1, "title claim: {claim:#}");
    let verdict = claim["verdict"].as_str().unwrap_or_default();
    assert!(
        verdict == "not_supported" || verdict == "contradicted",
        "title claim verdict {verdict:?}: {claim:#}"
    );
    let kinds = flag_kinds(claim);
    for kind in ["entity_swap", "certainty_escalation", "attribution_shift"] {
        assert!(
            kinds.contains(kind),
            "title claim lacks a {kind} flag (has {kinds:?}): {claim:#}"
        );
    }
    let swaps = flags_of_kind(claim, "entity_swap");
    assert!(
        swaps
            .iter()
            .any(|f| f["claim"].as_str().unwrap_or_default().contains("中国")
                && f["source"].as_str().unwrap_or_default().contains("中东")),
        "no entity_swap of 中国 for 中东: {swaps:#?}"
    );
}
