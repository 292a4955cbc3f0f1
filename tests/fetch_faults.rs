//! `HttpFetcher` against a local fault server: each status family, slow drips, stalls, redirect
//! loops, truncated bodies, a 200 MB body, a gzip bomb, a wrong charset, binary bodies,
//! robots.txt and 429 with `Retry-After`. Each ends in its documented `FetchError` (or page),
//! within the configured bounds, without a panic; a request log shows the per-host limits hold.

#[path = "support/fetch_faults.rs"]
mod faults;

use citecheck::fetch::{FetchError, FetchSettings, Fetcher, HttpFetcher};
use faults::{article, head, html, overlap_and_gap, redirect, response, FaultServer, Reply};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Small bounds for a server on 127.0.0.1: guard lifted (it has its own tests), no robots.txt
/// unless a test asks, no rate limit, no retries unless a test asks.
fn settings() -> FetchSettings {
    FetchSettings {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        retries: 0,
        allow_private: true,
        robots: false,
        per_host_rate: 0.0,
        min_speed: 1000,
        min_speed_window: Duration::from_millis(300),
        ..FetchSettings::default()
    }
}

async fn get(
    settings: &FetchSettings,
    url: &str,
) -> Result<citecheck::fetch::FetchedPage, FetchError> {
    HttpFetcher::new(settings).unwrap().get(url).await
}

#[tokio::test]
async fn status_families() {
    let server = FaultServer::start(|hit| match hit.path().as_str() {
        "/ok" => html("200 OK", &article("国务院常务会议")),
        "/moved" => redirect("/ok"),
        "/gone" => html("410 Gone", "<p>gone</p>"),
        "/teapot" => html("418 I'm a teapot", "<p>tea</p>"),
        "/login" => html("401 Unauthorized", "<p>login</p>"),
        "/forbidden" => html("403 Forbidden", "<p>no</p>"),
        "/legal" => html("451 Unavailable For Legal Reasons", "<p>no</p>"),
        "/error" => html("500 Internal Server Error", "<p>oops</p>"),
        "/unimplemented" => html("501 Not Implemented", "<p>no</p>"),
        "/info" => Reply::Bytes(
            b"HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
                .to_vec(),
        ),
        _ => html("404 Not Found", "<p>missing</p>"),
    });
    let s = settings();
    let url = |p: &str| format!("{}{p}", server.url());
    let page = get(&s, &url("/ok")).await.unwrap();
    assert!(page.html.contains("国务院常务会议"));
    let page = get(&s, &url("/moved")).await.unwrap();
    assert_eq!(page.final_url, url("/ok"));
    for (path, status) in [
        ("/missing", 404),
        ("/gone", 410),
        ("/teapot", 418),
        ("/error", 500),
        ("/unimplemented", 501),
    ] {
        assert_eq!(
            get(&s, &url(path)).await.unwrap_err(),
            FetchError::Status {
                url: url(path),
                status
            },
            "{path}"
        );
    }
    for (path, reason) in [
        ("/login", "login required (http 401)"),
        ("/forbidden", "access forbidden (http 403)"),
        ("/legal", "unavailable for legal reasons (http 451)"),
    ] {
        assert_eq!(
            get(&s, &url(path)).await.unwrap_err(),
            FetchError::Blocked {
                url: url(path),
                reason: reason.to_owned()
            },
            "{path}"
        );
    }
    // A 1xx interim answer is skipped; the empty 204 after it has no page in it.
    assert_eq!(
        get(&s, &url("/info")).await.unwrap_err(),
        FetchError::NotHtml {
            url: url("/info"),
            content_type: "none, and the body does not look like html".to_owned()
        }
    );
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_and_bounded() {
    let server = FaultServer::start(|_| html("500 Internal Server Error", "<p>oops</p>"));
    let s = FetchSettings {
        retries: 2,
        ..settings()
    };
    let url = format!("{}/a", server.url());
    let error = get(&s, &url).await.unwrap_err();
    assert_eq!(error, FetchError::Status { url, status: 500 });
    let hits = server.hits();
    assert_eq!(hits.len(), 3, "one try and two retries");
    // Backoff starts at 500 ms and doubles.
    assert!(hits[1].arrived - hits[0].arrived >= Duration::from_millis(500));
    assert!(hits[2].arrived - hits[1].arrived >= Duration::from_millis(1000));
}

#[tokio::test]
async fn bot_walls_are_blocked_not_dead_and_not_retried() {
    let server = FaultServer::start(|hit| {
        match hit.path().as_str() {
        "/cf" => html("503 Service Unavailable", "<html><head><title>Just a moment...</title></head><body><div id=\"cf-chl\"></div></body></html>"),
        "/captcha" => html("403 Forbidden", "<html><title>Security check</title><body><div class=\"g-recaptcha\">captcha</div></body></html>"),
        _ => html("403 Forbidden", "<title>Attention Required! | Cloudflare</title>"),
    }
    });
    let s = FetchSettings {
        retries: 3,
        ..settings()
    };
    for path in ["/cf", "/captcha", "/attention"] {
        let url = format!("{}{path}", server.url());
        let error = get(&s, &url).await.unwrap_err();
        assert!(
            matches!(&error, FetchError::Blocked { reason, .. } if reason.contains("challenge") || reason.contains("captcha")),
            "{path}: {error:?}"
        );
    }
    assert_eq!(server.hits().len(), 3, "a challenge page is never retried");
}

#[tokio::test]
async fn too_many_requests_waits_as_retry_after_says() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = FaultServer::start(move |_| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::Bytes(response(
                "429 Too Many Requests",
                &[("Retry-After", "1")],
                b"",
            ))
        } else {
            html("200 OK", &article("降准"))
        }
    });
    let s = FetchSettings {
        retries: 1,
        ..settings()
    };
    let page = get(&s, &format!("{}/a", server.url())).await.unwrap();
    assert!(page.html.contains("降准"));
    let hits = server.hits();
    assert_eq!(hits.len(), 2);
    assert!(hits[1].arrived - hits[0].arrived >= Duration::from_millis(950));
}

#[tokio::test]
async fn retry_after_http_date_is_honoured_and_capped() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = FaultServer::start(move |_| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            // Two seconds from now, as an HTTP date.
            let date =
                httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
            Reply::Bytes(response(
                "503 Service Unavailable",
                &[("Retry-After", &date)],
                b"",
            ))
        } else {
            Reply::Bytes(response(
                "429 Too Many Requests",
                &[("Retry-After", "3600")],
                b"",
            ))
        }
    });
    let s = FetchSettings {
        retries: 2,
        retry_after_cap: Duration::from_millis(300),
        ..settings()
    };
    let url = format!("{}/a", server.url());
    let error = get(&s, &url).await.unwrap_err();
    assert_eq!(
        error,
        FetchError::Blocked {
            url,
            reason: "rate limited (http 429)".to_owned()
        }
    );
    let hits = server.hits();
    assert_eq!(hits.len(), 3);
    // Each wait is capped at 300 ms, whatever the header asked for.
    assert!(hits[1].arrived - hits[0].arrived >= Duration::from_millis(250));
    assert!(hits[2].arrived - hits[1].arrived < Duration::from_secs(3));
}

#[tokio::test]
async fn slow_drip_is_too_slow() {
    let server = FaultServer::start(|_| Reply::Drip {
        head: head(
            "200 OK",
            &[("Content-Type", "text/html"), ("Content-Length", "100000")],
        ),
        chunk: b"<p>x</p>".to_vec(),
        every: Duration::from_millis(100),
        times: 1000,
    });
    let s = settings();
    let url = format!("{}/drip", server.url());
    let started = Instant::now();
    let error = get(&s, &url).await.unwrap_err();
    assert_eq!(
        error,
        FetchError::TooSlow {
            url,
            min_bytes_per_sec: 1000
        }
    );
    assert!(
        started.elapsed() < s.timeout,
        "gave up only at the total timeout"
    );
}

#[tokio::test]
async fn stalled_connection_after_headers_is_too_slow() {
    let server = FaultServer::start(|_| {
        Reply::Stall(head(
            "200 OK",
            &[("Content-Type", "text/html"), ("Content-Length", "5000")],
        ))
    });
    let s = settings();
    let url = format!("{}/stall", server.url());
    let started = Instant::now();
    assert_eq!(
        get(&s, &url).await.unwrap_err(),
        FetchError::TooSlow {
            url,
            min_bytes_per_sec: 1000
        }
    );
    assert!(started.elapsed() < s.timeout);
}

#[tokio::test]
async fn stalled_connection_before_headers_times_out() {
    let server = FaultServer::start(|_| Reply::Stall(Vec::new()));
    let s = FetchSettings {
        timeout: Duration::from_millis(500),
        ..settings()
    };
    let url = format!("{}/stall", server.url());
    assert_eq!(
        get(&s, &url).await.unwrap_err(),
        FetchError::Timeout { url }
    );
}

#[tokio::test]
async fn redirect_loop_and_long_chain_are_too_many_redirects() {
    let server = FaultServer::start(|hit| match hit.path().as_str() {
        "/a" => redirect("/b"),
        "/b" => redirect("/a"),
        path => {
            let n: usize = path.trim_start_matches("/chain").parse().unwrap_or(0);
            redirect(&format!("/chain{}", n + 1))
        }
    });
    let s = FetchSettings {
        max_redirects: 5,
        ..settings()
    };
    let url = format!("{}/a", server.url());
    assert_eq!(
        get(&s, &url).await.unwrap_err(),
        FetchError::TooManyRedirects { url }
    );
    assert_eq!(
        server.hits().len(),
        2,
        "the loop was noticed when it closed"
    );
    let url = format!("{}/chain0", server.url());
    assert_eq!(
        get(&s, &url).await.unwrap_err(),
        FetchError::TooManyRedirects { url }
    );
    assert_eq!(server.hits().len(), 2 + 6);
}

#[tokio::test]
async fn truncated_body_is_an_error_not_half_a_page() {
    let server = FaultServer::start(|hit| {
        let page = article("半截新闻");
        match hit.path().as_str() {
            "/gzip" => {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                encoder.write_all(page.repeat(50).as_bytes()).unwrap();
                let gz = encoder.finish().unwrap();
                let cut = &gz[..gz.len() / 2];
                let mut out = head(
                    "200 OK",
                    &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                );
                out.extend_from_slice(cut);
                Reply::Bytes(out)
            }
            _ => {
                let length = (page.len() * 2).to_string();
                let mut out = head(
                    "200 OK",
                    &[("Content-Type", "text/html"), ("Content-Length", &length)],
                );
                out.extend_from_slice(page.as_bytes());
                Reply::Bytes(out)
            }
        }
    });
    let s = settings();
    for path in ["/plain", "/gzip"] {
        let url = format!("{}{path}", server.url());
        let error = get(&s, &url).await.unwrap_err();
        assert!(
            matches!(&error, FetchError::Truncated { url: u, .. } if *u == url),
            "{path}: {error:?}"
        );
    }
}

#[tokio::test]
async fn body_of_200_mb_stops_at_the_cap() {
    let server = FaultServer::start(|hit| {
        let declared = hit.path() == "/declared";
        let length = (200u64 << 20).to_string();
        let mut headers = vec![("Content-Type", "text/html")];
        if declared {
            headers.push(("Content-Length", &length));
        }
        Reply::Stream {
            head: head("200 OK", &headers),
            total: 200 << 20,
        }
    });
    let s = FetchSettings {
        timeout: Duration::from_secs(20),
        ..settings()
    };
    for path in ["/undeclared", "/declared"] {
        let url = format!("{}{path}", server.url());
        let error = get(&s, &url).await.unwrap_err();
        assert_eq!(
            error,
            FetchError::TooLarge {
                url,
                limit: s.max_body
            },
            "{path}"
        );
    }
}

/// `mb` MiB of zeros, gzipped (about 1 KiB per MiB).
fn gzip_zeros(mb: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..mb {
        encoder.write_all(&zeros).unwrap();
    }
    encoder.finish().unwrap()
}

#[tokio::test]
async fn gzip_bomb_is_too_large_after_decompression() {
    let bomb = Arc::new(gzip_zeros(64));
    assert!(
        bomb.len() < 1 << 20,
        "the bomb is small on the wire: {}",
        bomb.len()
    );
    let body = bomb.clone();
    let server = FaultServer::start(move |_| {
        let length = body.len().to_string();
        let mut out = head(
            "200 OK",
            &[
                ("Content-Type", "text/html"),
                ("Content-Encoding", "gzip"),
                ("Content-Length", &length),
            ],
        );
        out.extend_from_slice(&body);
        Reply::Bytes(out)
    });
    let s = FetchSettings {
        max_body: 4 << 20,
        ..settings()
    };
    let url = format!("{}/bomb", server.url());
    assert_eq!(
        get(&s, &url).await.unwrap_err(),
        FetchError::TooLarge {
            url,
            limit: 4 << 20
        }
    );
}

/// `mb` MiB of spaces compressed as HTTP `deflate` (zlib) or `br`.
fn compressed_spaces(encoding: &str, mb: usize) -> Vec<u8> {
    let spaces = vec![b' '; 1 << 20];
    match encoding {
        "deflate" => {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            for _ in 0..mb {
                encoder.write_all(&spaces).unwrap();
            }
            encoder.finish().unwrap()
        }
        _ => {
            let mut out = Vec::new();
            {
                let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
                for _ in 0..mb {
                    encoder.write_all(&spaces).unwrap();
                }
            }
            out
        }
    }
}

#[tokio::test]
async fn deflate_and_brotli_bombs_are_too_large_after_decompression() {
    for encoding in ["deflate", "br"] {
        let bomb = Arc::new(compressed_spaces(encoding, 64));
        assert!(bomb.len() < 1 << 20, "{encoding}: {}", bomb.len());
        let body = bomb.clone();
        let server = FaultServer::start(move |_| {
            let length = body.len().to_string();
            let mut out = head(
                "200 OK",
                &[
                    ("Content-Type", "text/html"),
                    ("Content-Encoding", encoding),
                    ("Content-Length", &length),
                ],
            );
            out.extend_from_slice(&body);
            Reply::Bytes(out)
        });
        let s = FetchSettings {
            max_body: 4 << 20,
            ..settings()
        };
        let url = format!("{}/bomb", server.url());
        assert_eq!(
            get(&s, &url).await.unwrap_err(),
            FetchError::TooLarge {
                url,
                limit: 4 << 20
            },
            "{encoding}"
        );
    }
}

#[tokio::test]
async fn wrong_declared_charset_is_corrected() {
    let text = "中国人民银行决定下调金融机构存款准备金率0.5个百分点";
    let page = format!("<html><head><title>降准</title></head><body><article><p>{text}</p></article></body></html>");
    let (gbk, _, _) = encoding_rs::GBK.encode(&page);
    let gbk = gbk.into_owned();
    let server = FaultServer::start(move |hit| {
        let declared = if hit.path() == "/latin1" {
            "text/html; charset=iso-8859-1"
        } else {
            "text/html; charset=utf-8"
        };
        Reply::Bytes(response("200 OK", &[("Content-Type", declared)], &gbk))
    });
    let s = settings();
    for path in ["/utf8", "/latin1"] {
        let page = get(&s, &format!("{}{path}", server.url())).await.unwrap();
        assert!(
            page.html.contains(text),
            "{path}: {} {}",
            page.encoding,
            page.html
        );
        assert_eq!(page.encoding, "GBK", "{path}");
    }
}

#[tokio::test]
async fn binary_bodies_are_not_html() {
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &[0u8; 64]].concat();
    let server = FaultServer::start(move |hit| {
        let content_type = match hit.path().as_str() {
            "/png" => "image/png",
            "/octet" => "application/octet-stream",
            _ => "text/html",
        };
        Reply::Bytes(response("200 OK", &[("Content-Type", content_type)], &png))
    });
    let s = settings();
    let url = |p: &str| format!("{}{p}", server.url());
    assert_eq!(
        get(&s, &url("/png")).await.unwrap_err(),
        FetchError::NotHtml {
            url: url("/png"),
            content_type: "image/png".to_owned()
        }
    );
    assert_eq!(
        get(&s, &url("/octet")).await.unwrap_err(),
        FetchError::NotHtml {
            url: url("/octet"),
            content_type: "application/octet-stream".to_owned()
        }
    );
    assert_eq!(
        get(&s, &url("/lying")).await.unwrap_err(),
        FetchError::NotHtml {
            url: url("/lying"),
            content_type: "text/html, but the body is binary".to_owned()
        }
    );
}

#[tokio::test]
async fn robots_txt_is_honoured_once_per_host() {
    let server = FaultServer::start(|hit| match hit.path().as_str() {
        "/robots.txt" => Reply::Bytes(response(
            "200 OK",
            &[("Content-Type", "text/plain")],
            b"User-agent: *\nDisallow: /private/\n\nUser-agent: citecheck\nDisallow: /members/\n",
        )),
        _ => html("200 OK", &article("公开新闻")),
    });
    let s = FetchSettings {
        robots: true,
        ..settings()
    };
    let fetcher = HttpFetcher::new(&s).unwrap();
    let url = |p: &str| format!("{}{p}", server.url());
    assert!(fetcher.get(&url("/news/1")).await.is_ok());
    assert_eq!(
        fetcher.get(&url("/members/2")).await.unwrap_err(),
        FetchError::Blocked {
            url: url("/members/2"),
            reason: "disallowed by robots.txt".to_owned()
        }
    );
    // The group naming citecheck replaces the `*` group.
    assert!(fetcher.get(&url("/private/3")).await.is_ok());
    let targets = server.targets();
    assert_eq!(
        targets,
        ["/robots.txt", "/news/1", "/private/3"],
        "robots.txt fetched once, the disallowed page never"
    );
    // The user agent names citecheck and a contact URL.
    let agent = server.hits()[0].header("user-agent").unwrap();
    assert!(
        agent.starts_with("citecheck/") && agent.contains("(+https://"),
        "{agent}"
    );
}

#[tokio::test]
async fn robots_txt_status_families() {
    // Three servers: robots.txt missing (allow all), failing (disallow all), stalled (the
    // page is as unreachable as the host).
    let missing = FaultServer::start(|hit| match hit.path().as_str() {
        "/robots.txt" => html("404 Not Found", "<p>no robots here</p>"),
        _ => html("200 OK", &article("新闻")),
    });
    let failing = FaultServer::start(|hit| match hit.path().as_str() {
        "/robots.txt" => html("503 Service Unavailable", "<p>down</p>"),
        _ => html("200 OK", &article("新闻")),
    });
    let silent = FaultServer::start(|hit| match hit.path().as_str() {
        "/robots.txt" => Reply::Stall(Vec::new()),
        _ => html("200 OK", &article("新闻")),
    });
    let s = FetchSettings {
        robots: true,
        timeout: Duration::from_millis(800),
        ..settings()
    };
    assert!(get(&s, &format!("{}/a", missing.url())).await.is_ok());
    let url = format!("{}/a", failing.url());
    assert_eq!(
        get(&s, &url).await.unwrap_err(),
        FetchError::Blocked {
            url,
            reason: "robots.txt answered http 503, which disallows all".to_owned()
        }
    );
    let url = format!("{}/a", silent.url());
    assert_eq!(
        get(&s, &url).await.unwrap_err(),
        FetchError::Timeout { url }
    );
    assert_eq!(failing.targets(), ["/robots.txt"]);
    assert_eq!(silent.targets(), ["/robots.txt"]);
}

#[tokio::test]
async fn per_host_concurrency_and_rate_hold() {
    let server = FaultServer::start(|_| {
        Reply::Delay(
            Duration::from_millis(400),
            Box::new(html("200 OK", &article("新闻"))),
        )
    });
    let s = FetchSettings {
        per_host_concurrency: 2,
        per_host_rate: 10.0,
        ..settings()
    };
    let fetcher = Arc::new(HttpFetcher::new(&s).unwrap());
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let fetcher = fetcher.clone();
            let url = format!("{}/p{i}", server.url());
            tokio::spawn(async move { fetcher.get(&url).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let hits = server.hits();
    let (overlap, _) = overlap_and_gap(&hits);
    assert!(overlap <= 2, "{overlap} requests at once on one host");
    assert!(overlap == 2, "the two slots were never both used");
    // 10 per second: eight starts span at least 700 ms, and no three fall within 200 ms. The
    // bounds leave 100 ms for the time between the limiter and the server's clock.
    let mut arrivals: Vec<Instant> = hits.iter().map(|h| h.arrived).collect();
    arrivals.sort();
    let span = arrivals[arrivals.len() - 1] - arrivals[0];
    assert!(
        span >= Duration::from_millis(600),
        "eight requests within {span:?}"
    );
    for w in arrivals.windows(3) {
        assert!(
            w[2] - w[0] >= Duration::from_millis(100),
            "three requests within {:?}",
            w[2] - w[0]
        );
    }
}

#[tokio::test]
async fn global_concurrency_holds_across_hosts() {
    let servers: Vec<FaultServer> = (0..4)
        .map(|_| {
            FaultServer::start(|_| {
                Reply::Delay(
                    Duration::from_millis(150),
                    Box::new(html("200 OK", &article("新闻"))),
                )
            })
        })
        .collect();
    let s = FetchSettings {
        max_concurrency: 3,
        per_host_concurrency: 2,
        ..settings()
    };
    let fetcher = Arc::new(HttpFetcher::new(&s).unwrap());
    let mut tasks = Vec::new();
    for server in &servers {
        for i in 0..3 {
            let fetcher = fetcher.clone();
            let url = format!("{}/p{i}", server.url());
            tasks.push(tokio::spawn(async move { fetcher.get(&url).await }));
        }
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let all: Vec<_> = servers.iter().flat_map(|s| s.hits()).collect();
    assert_eq!(all.len(), 12);
    let (overlap, _) = overlap_and_gap(&all);
    assert!(overlap <= 3, "{overlap} requests at once in total");
    for server in &servers {
        assert!(overlap_and_gap(&server.hits()).0 <= 2);
    }
}
