//! `HttpFetcher` against tiny hand-written HTTP servers on `127.0.0.1`: every response is written
//! byte by byte, so each test shows exactly what the fetcher was given.

use super::http::client_builder;
use super::*;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// What a test server does with one request.
enum Reply {
    /// Write these bytes, then close the connection.
    Send(Vec<u8>),
    /// Write these bytes, then hold the connection open without sending more.
    Stall(Vec<u8>),
}

struct Server {
    /// `http://127.0.0.1:PORT`
    base: String,
    /// The head (request line and headers) of every request received, in order.
    requests: mpsc::UnboundedReceiver<String>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The heads of all requests received so far.
    fn received(&mut self) -> Vec<String> {
        let mut heads = Vec::new();
        while let Ok(head) = self.requests.try_recv() {
            heads.push(head);
        }
        heads
    }
}

/// Starts a server answering each request with `handler(path, request_head)`.
async fn serve<F>(handler: F) -> Server
where
    F: Fn(&str, &str) -> Reply + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sender, requests) = mpsc::unbounded_channel();
    let handler = std::sync::Arc::new(handler);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let handler = handler.clone();
            let sender = sender.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let _ = sender.send(head.clone());
                match handler(&target, &head) {
                    Reply::Send(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Reply::Stall(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        tokio::time::sleep(Duration::from_secs(10)).await;
                    }
                }
            });
        }
    });
    Server { base, requests }
}

/// A complete response with `Content-Length` and `Connection: close`.
fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn html(status: &str, body: &str) -> Reply {
    Reply::Send(response(
        status,
        &[("Content-Type", "text/html; charset=utf-8")],
        body.as_bytes(),
    ))
}

/// Settings for servers on 127.0.0.1: the SSRF guard lifted (these tests are about HTTP, the
/// guard has its own), no robots.txt requests, no rate limit, so each test sees only its own
/// requests.
fn settings() -> FetchSettings {
    FetchSettings {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        retries: 0,
        allow_private: true,
        robots: false,
        per_host_rate: 0.0,
        ..FetchSettings::default()
    }
}

/// A fetcher that ignores proxy environment variables, so the tests reach their local servers
/// whatever the machine's proxy setup.
fn fetcher(settings: &FetchSettings) -> HttpFetcher {
    let client = client_builder(settings)
        .unwrap()
        .no_proxy()
        .build()
        .unwrap();
    HttpFetcher::with_client(client, settings)
}

#[tokio::test]
async fn gbk_page_is_decoded() {
    let text = "新华社北京电 国务院今天召开常务会议，部署稳定就业和促进消费的政策措施。";
    let page = format!("<html><head><title>新闻</title></head><body><p>{text}</p></body></html>");
    let (body, _, _) = encoding_rs::GBK.encode(&page);
    let body = body.into_owned();
    let mut server = serve(move |_, _| {
        Reply::Send(response(
            "200 OK",
            &[("Content-Type", "text/html; charset=GB2312")],
            &body,
        ))
    })
    .await;
    let url = server.url("/news/1.html");
    let page = fetcher(&settings()).get(&url).await.unwrap();
    assert_eq!(page.url, url);
    assert_eq!(page.final_url, url);
    assert_eq!(page.status, 200);
    assert_eq!(page.encoding, "GBK");
    assert_eq!(
        page.content_type.as_deref(),
        Some("text/html; charset=GB2312")
    );
    assert!(page.html.contains(text), "{}", page.html);

    let heads = server.received();
    assert_eq!(heads.len(), 1);
    let head = heads[0].to_ascii_lowercase();
    assert!(head.starts_with("get /news/1.html http/1.1\r\n"), "{head}");
    assert!(
        head.contains("accept-language: zh-cn,zh;q=0.9,en;q=0.8"),
        "{head}"
    );
    assert!(head.contains("accept: text/html,"), "{head}");
    assert!(head.contains("user-agent: citecheck/"), "{head}");
}

#[tokio::test]
async fn missing_content_type_is_sniffed() {
    let server = serve(|path, _| match path {
        "/page" => Reply::Send(response("200 OK", &[], b"<!DOCTYPE html><p>hi</p>")),
        _ => Reply::Send(response("200 OK", &[], b"\x89PNG\r\n\x1a\n")),
    })
    .await;
    let fetcher = fetcher(&settings());
    let page = fetcher.get(&server.url("/page")).await.unwrap();
    assert_eq!(page.content_type, None);
    assert_eq!(page.html, "<!DOCTYPE html><p>hi</p>");
    let error = fetcher.get(&server.url("/image")).await.unwrap_err();
    assert!(matches!(error, FetchError::NotHtml { .. }), "{error:?}");
}

#[tokio::test]
async fn pdf_is_not_html() {
    let server = serve(|_, _| {
        Reply::Send(response(
            "200 OK",
            &[("Content-Type", "application/pdf")],
            b"%PDF-1.4",
        ))
    })
    .await;
    let url = server.url("/a.pdf");
    let error = fetcher(&settings()).get(&url).await.unwrap_err();
    assert_eq!(
        error,
        FetchError::NotHtml {
            url,
            content_type: "application/pdf".to_owned()
        }
    );
}

#[tokio::test]
async fn not_found_is_status_and_not_retried() {
    let mut server = serve(|_, _| html("404 Not Found", "<h1>not found</h1>")).await;
    let settings = FetchSettings {
        retries: 2,
        ..settings()
    };
    let url = server.url("/missing");
    let error = fetcher(&settings).get(&url).await.unwrap_err();
    assert_eq!(error, FetchError::Status { url, status: 404 });
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn challenge_page_is_blocked() {
    let mut server = serve(|_, _| {
        html(
            "403 Forbidden",
            "<!DOCTYPE html><title>Just a moment...</title><script>/* cf */</script>",
        )
    })
    .await;
    let settings = FetchSettings {
        retries: 2,
        ..settings()
    };
    let url = server.url("/article");
    let error = fetcher(&settings).get(&url).await.unwrap_err();
    let FetchError::Blocked {
        url: failed,
        reason,
    } = error
    else {
        panic!("expected blocked, got {error:?}");
    };
    assert_eq!(failed, url);
    assert!(reason.contains("just a moment"), "{reason}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn service_unavailable_is_retried_then_succeeds() {
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let mut server = serve(move |_, _| {
        if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            Reply::Send(response(
                "503 Service Unavailable",
                &[("Retry-After", "0")],
                b"busy",
            ))
        } else {
            html("200 OK", "<p>ok</p>")
        }
    })
    .await;
    let settings = FetchSettings {
        retries: 2,
        ..settings()
    };
    let page = fetcher(&settings).get(&server.url("/")).await.unwrap();
    assert_eq!(page.html, "<p>ok</p>");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn retries_are_bounded() {
    let mut server = serve(|_, _| {
        Reply::Send(response(
            "429 Too Many Requests",
            &[("Retry-After", "0")],
            b"slow down",
        ))
    })
    .await;
    let settings = FetchSettings {
        retries: 2,
        ..settings()
    };
    let error = fetcher(&settings).get(&server.url("/")).await.unwrap_err();
    assert!(matches!(error, FetchError::Blocked { .. }), "{error:?}");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn redirects_are_followed() {
    let server = serve(|path, _| match path {
        "/old" => Reply::Send(response(
            "301 Moved Permanently",
            &[("Location", "/new")],
            b"",
        )),
        _ => html("200 OK", "<p>new</p>"),
    })
    .await;
    let url = server.url("/old");
    let page = fetcher(&settings()).get(&url).await.unwrap();
    assert_eq!(page.url, url);
    assert_eq!(page.final_url, server.url("/new"));
}

#[tokio::test]
async fn redirect_loop_is_too_many_redirects() {
    let mut server = serve(|path, _| {
        let next = if path == "/a" { "/b" } else { "/a" };
        Reply::Send(response("302 Found", &[("Location", next)], b""))
    })
    .await;
    let url = server.url("/a");
    let error = fetcher(&settings()).get(&url).await.unwrap_err();
    assert_eq!(error, FetchError::TooManyRedirects { url });
    // `/a` then `/b`; the way back to `/a` is refused before it is requested.
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn redirect_chain_is_capped() {
    let mut server = serve(|path, _| {
        let n: u32 = path.trim_start_matches("/r").parse().unwrap_or(0);
        let location = format!("/r{}", n + 1);
        Reply::Send(response("302 Found", &[("Location", &location)], b""))
    })
    .await;
    let settings = FetchSettings {
        max_redirects: 3,
        ..settings()
    };
    let url = server.url("/r0");
    let error = fetcher(&settings).get(&url).await.unwrap_err();
    assert_eq!(error, FetchError::TooManyRedirects { url });
    assert_eq!(server.received().len(), 4);
}

#[tokio::test]
async fn credentials_are_not_sent_to_another_host() {
    let mut other = serve(|_, _| html("200 OK", "<p>elsewhere</p>")).await;
    let target = other.url("/landing");
    let mut origin =
        serve(move |_, _| Reply::Send(response("302 Found", &[("Location", &target)], b""))).await;
    let url = origin
        .url("/start")
        .replace("http://", "http://user:secret@");
    let page = fetcher(&settings()).get(&url).await.unwrap();
    assert_eq!(page.final_url, other.url("/landing"));
    let first = origin.received().remove(0).to_ascii_lowercase();
    assert!(first.contains("authorization: basic"), "{first}");
    let second = other.received().remove(0).to_ascii_lowercase();
    assert!(!second.contains("authorization"), "{second}");
}

#[tokio::test]
async fn oversized_body_is_too_large() {
    // No `Content-Length`: the cap must hold while streaming.
    let server = serve(|_, _| {
        let mut bytes =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 64 * 1024));
        Reply::Send(bytes)
    })
    .await;
    let settings = FetchSettings {
        max_body: 1000,
        ..settings()
    };
    let url = server.url("/big");
    let error = fetcher(&settings).get(&url).await.unwrap_err();
    assert_eq!(error, FetchError::TooLarge { url, limit: 1000 });
}

#[tokio::test]
async fn declared_oversized_body_is_too_large() {
    let server = serve(|_, _| html("200 OK", &"x".repeat(5000))).await;
    let settings = FetchSettings {
        max_body: 1000,
        ..settings()
    };
    let url = server.url("/big");
    let error = fetcher(&settings).get(&url).await.unwrap_err();
    assert_eq!(error, FetchError::TooLarge { url, limit: 1000 });
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = serve(|path, _| match path {
        "/silent" => Reply::Stall(Vec::new()),
        _ => Reply::Stall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n<p>"
                .to_vec(),
        ),
    })
    .await;
    let settings = FetchSettings {
        timeout: Duration::from_millis(300),
        retries: 2,
        ..settings()
    };
    let fetcher = fetcher(&settings);
    for path in ["/silent", "/slow-body"] {
        let url = server.url(path);
        let started = Instant::now();
        let error = fetcher.get(&url).await.unwrap_err();
        assert_eq!(error, FetchError::Timeout { url });
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}

#[tokio::test]
async fn refused_connection_is_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let error = fetcher(&settings()).get(&url).await.unwrap_err();
    let FetchError::Connect {
        url: failed,
        message,
    } = error
    else {
        panic!("expected a connect error, got {error:?}");
    };
    assert_eq!(failed, url);
    assert_eq!(message, message.to_lowercase());
    assert!(!message.ends_with('.'), "{message}");
    assert!(message.contains("refused"), "{message}");
}

#[tokio::test]
async fn requests_go_through_the_proxy() {
    let mut proxy = serve(|_, _| html("200 OK", "<p>via proxy</p>")).await;
    let settings = FetchSettings {
        proxy: Some(proxy.base.clone()),
        ..settings()
    };
    let fetcher = HttpFetcher::new(&settings).unwrap();
    let page = fetcher.get("http://example.test/page").await.unwrap();
    assert_eq!(page.html, "<p>via proxy</p>");
    assert_eq!(page.final_url, "http://example.test/page");
    let head = proxy.received().remove(0);
    assert!(
        head.starts_with("GET http://example.test/page HTTP/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase().contains("host: example.test\r\n"),
        "{head}"
    );
}

#[tokio::test]
async fn invalid_url_is_rejected_before_any_request() {
    let error = fetcher(&settings())
        .get("mailto:a@b.test")
        .await
        .unwrap_err();
    assert!(matches!(error, FetchError::InvalidUrl { .. }), "{error:?}");
}
