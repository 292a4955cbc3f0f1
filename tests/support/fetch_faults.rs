//! A fault server for the fetcher: answers are raw bytes written exactly as given, so a test can
//! send what no well-behaved server would (a body cut short, a drip, a stall, 200 MB, a gzip
//! bomb), and every request is recorded with its arrival and finish times so tests can check
//! the per-host limits. It also works as a forward proxy: absolute-form targets are recorded as
//! sent, so one server can stand in for many host names.
//!
//! Include it with `#[path = "support/fetch_faults.rs"] mod faults;`.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the server does with one request.
pub enum Reply {
    /// Write these bytes, then close.
    Bytes(Vec<u8>),
    /// Write `head`, then `chunk` every `every`, `times` times, then close.
    Drip {
        head: Vec<u8>,
        chunk: Vec<u8>,
        every: Duration,
        times: usize,
    },
    /// Write these bytes, then hold the connection open, sending nothing more.
    Stall(Vec<u8>),
    /// Write `head`, then `total` bytes of filler in 64 KiB writes (never held in memory at
    /// once), then close.
    Stream { head: Vec<u8>, total: u64 },
    /// Wait, then reply.
    Delay(Duration, Box<Reply>),
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The request target as sent (absolute-form through a proxy).
    pub target: String,
    /// The `Host` header, lowercase.
    pub host: String,
    /// The whole request head.
    pub head: String,
    pub arrived: Instant,
    /// When the server started writing its reply (after any delay). The client holds its
    /// limiter slot from before `arrived` until after it has read the reply, so the span
    /// `arrived..finished` lies inside the client's slot: overlaps of these spans never
    /// overcount the client's concurrency.
    pub finished: Option<Instant>,
}

impl Hit {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    /// The path and query of the target, whatever its form.
    pub fn path(&self) -> String {
        match self.target.find("://") {
            Some(start) => {
                let rest = &self.target[start + 3..];
                rest.find('/')
                    .map_or("/".to_owned(), |i| rest[i..].to_owned())
            }
            None => self.target.clone(),
        }
    }
}

pub type FaultHandler = Arc<dyn Fn(&Hit) -> Reply + Send + Sync + 'static>;

/// A fault server on `127.0.0.1:0`, on its own thread and runtime. Stops when dropped.
pub struct FaultServer {
    addr: std::net::SocketAddr,
    hits: Arc<Mutex<Vec<Hit>>>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl FaultServer {
    pub fn start(handler: impl Fn(&Hit) -> Reply + Send + Sync + 'static) -> FaultServer {
        let handler: FaultHandler = Arc::new(handler);
        let hits = Arc::new(Mutex::new(Vec::new()));
        let (stop_tx, stop_rx) = watch::channel(false);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let recorded = Arc::clone(&hits);
        let thread = std::thread::Builder::new()
            .name("fault-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("build fault server runtime");
                rt.block_on(async move {
                    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                    addr_tx
                        .send(listener.local_addr().expect("local addr"))
                        .expect("report address");
                    let mut stop = stop_rx;
                    loop {
                        tokio::select! {
                            _ = stop.changed() => break,
                            accepted = listener.accept() => {
                                let Ok((stream, _)) = accepted else { continue };
                                let handler = Arc::clone(&handler);
                                let hits = Arc::clone(&recorded);
                                tokio::spawn(serve(stream, handler, hits));
                            }
                        }
                    }
                });
                rt.shutdown_timeout(Duration::from_millis(100));
            })
            .expect("spawn fault server thread");
        let addr = addr_rx.recv().expect("fault server started");
        FaultServer {
            addr,
            hits,
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

    /// Every request so far, in arrival order.
    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().expect("hits lock").clone()
    }

    /// The targets of every request so far.
    pub fn targets(&self) -> Vec<String> {
        self.hits().into_iter().map(|h| h.target).collect()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(mut stream: TcpStream, handler: FaultHandler, hits: Arc<Mutex<Vec<Hit>>>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut hit = Hit {
        target,
        host: String::new(),
        head,
        arrived: Instant::now(),
        finished: None,
    };
    hit.host = hit.header("host").unwrap_or_default().to_ascii_lowercase();
    let index = {
        let mut hits = hits.lock().expect("hits lock");
        hits.push(hit.clone());
        hits.len() - 1
    };
    let mut reply = handler(&hit);
    loop {
        if !matches!(reply, Reply::Delay(..)) {
            if let Some(hit) = hits.lock().expect("hits lock").get_mut(index) {
                hit.finished = Some(Instant::now());
            }
        }
        match reply {
            Reply::Delay(wait, next) => {
                tokio::time::sleep(wait).await;
                reply = *next;
            }
            Reply::Bytes(bytes) => {
                let _ = stream.write_all(&bytes).await;
                break;
            }
            Reply::Drip {
                head,
                chunk,
                every,
                times,
            } => {
                if stream.write_all(&head).await.is_ok() {
                    for _ in 0..times {
                        tokio::time::sleep(every).await;
                        if stream.write_all(&chunk).await.is_err() {
                            break;
                        }
                    }
                }
                break;
            }
            Reply::Stall(bytes) => {
                let _ = stream.write_all(&bytes).await;
                // Held until the client gives up (the read sees EOF) or the server stops.
                let mut sink = [0u8; 1024];
                while let Ok(n) = stream.read(&mut sink).await {
                    if n == 0 {
                        break;
                    }
                }
                break;
            }
            Reply::Stream { head, total } => {
                if stream.write_all(&head).await.is_ok() {
                    let filler = vec![b'a'; 64 * 1024];
                    let mut left = total;
                    while left > 0 {
                        let n = left.min(filler.len() as u64) as usize;
                        if stream.write_all(&filler[..n]).await.is_err() {
                            break;
                        }
                        left -= n as u64;
                    }
                }
                break;
            }
        }
    }
    let _ = stream.shutdown().await;
}

/// A response head with `Connection: close` and these headers (no `Content-Length` unless
/// given).
pub fn head(status: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// A complete response with `Content-Length`.
pub fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let length = body.len().to_string();
    let mut all: Vec<(&str, &str)> = vec![("Content-Length", &length)];
    all.extend_from_slice(headers);
    let mut out = head(status, &all);
    out.extend_from_slice(body);
    out
}

/// A UTF-8 HTML page.
pub fn html(status: &str, body: &str) -> Reply {
    Reply::Bytes(response(
        status,
        &[("Content-Type", "text/html; charset=utf-8")],
        body.as_bytes(),
    ))
}

/// A redirect to `location`.
pub fn redirect(location: &str) -> Reply {
    Reply::Bytes(response("302 Found", &[("Location", location)], b""))
}

/// A realistic small article page, with navigation and a footer around the text.
pub fn article(title: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         <nav><a href=\"/\">首页</a> <a href=\"/news\">新闻</a></nav>\
         <article><h1>{title}</h1><p>记者从有关部门获悉，{title}的相关工作已经全面展开。</p></article>\
         <footer>版权所有</footer></body></html>"
    )
}

/// The largest overlap of requests in `hits` (arrival to finish), and the smallest gap between
/// consecutive arrivals.
pub fn overlap_and_gap(hits: &[Hit]) -> (usize, Duration) {
    let mut events: Vec<(Instant, i32)> = Vec::new();
    for hit in hits {
        events.push((hit.arrived, 1));
        events.push((hit.finished.unwrap_or(hit.arrived), -1));
    }
    // Ends sort before starts at the same instant: a request that ends as another arrives
    // does not overlap it.
    events.sort_by_key(|&(at, delta)| (at, delta));
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, delta) in events {
        now += delta;
        peak = peak.max(now);
    }
    let mut arrivals: Vec<Instant> = hits.iter().map(|h| h.arrived).collect();
    arrivals.sort();
    let gap = arrivals
        .windows(2)
        .map(|w| w[1] - w[0])
        .min()
        .unwrap_or(Duration::MAX);
    (peak as usize, gap)
}
