//! `citecheck serve`: a small local web page for editors who do not use a terminal. Owns the
//! HTTP side: the listener, the routes, the body-size limit, the checks of `Host` and `Origin`
//! that keep other web sites out, and the pages (`pages.rs`). Each submitted draft becomes one
//! check (`jobs.rs`) run by the same `Verifier`, under the same caps, as `check`.
//!
//! Routes:
//! - `GET /`: the page to paste or upload a draft;
//! - `POST /checks`: a form (`text`, `format`) or a file's raw bytes (`?name=&format=`); answers
//!   `303 See Other` to the check's page, or `413` over `serve.max_body_bytes`;
//! - `GET /checks/ID`: the check's progress, then its verdicts and the HTML report;
//! - `GET /checks/ID/status.json`: the progress as JSON (the page polls it);
//! - `GET /checks/ID/report.html|report.json|report.sarif`: the reports.

mod jobs;
mod pages;

pub use jobs::{CheckLimits, Draft};

use crate::model::InputFormat;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use jobs::{Job, Jobs, State};
use std::net::SocketAddr;
use std::sync::Arc;

/// How the server listens and what it accepts.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: SocketAddr,
    /// Largest request body taken, in bytes.
    pub max_body_bytes: usize,
    /// Checks kept for their pages and downloads; older finished ones are forgotten.
    pub checks_kept: usize,
    /// Checks run at the same time; later ones wait their turn.
    pub checks_at_once: usize,
    pub limits: CheckLimits,
}

struct Server {
    jobs: Arc<Jobs>,
    max_body_bytes: usize,
    /// The `Host` values the server answers to: its address, and `localhost` when it listens
    /// on a loopback address (a rebinding DNS name of another site is refused).
    hosts: Vec<String>,
}

/// Listens on `options.bind` and serves until the process ends. `ready` is called with the
/// address actually bound (port 0 picks a free one) once connections are taken.
pub async fn serve(
    verifier: crate::verify::Verifier,
    options: ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(options.bind).await?;
    let bound = listener.local_addr()?;
    let server = Arc::new(Server {
        jobs: Arc::new(Jobs::new(
            verifier,
            options.limits,
            options.checks_kept,
            options.checks_at_once,
        )),
        max_body_bytes: options.max_body_bytes,
        hosts: allowed_hosts(bound),
    });
    ready(bound);
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // A connection that failed before it was taken (reset, out of descriptors) is not
            // the server's end.
            Err(e) => {
                tracing::warn!("serve: accepting a connection: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let server = server.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let server = server.clone();
                async move { Ok::<_, std::convert::Infallible>(server.handle(req).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            if let Err(e) = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await
            {
                tracing::debug!("serve: connection ended: {e}");
            }
        });
    }
}

fn allowed_hosts(bound: SocketAddr) -> Vec<String> {
    let port = bound.port();
    let mut hosts = vec![match bound {
        SocketAddr::V4(a) => format!("{}:{port}", a.ip()),
        SocketAddr::V6(a) => format!("[{}]:{port}", a.ip()),
    }];
    if bound.ip().is_loopback() {
        hosts.push(format!("localhost:{port}"));
        hosts.push(format!("127.0.0.1:{port}"));
        hosts.push(format!("[::1]:{port}"));
    }
    hosts
}

type Reply = Response<Full<Bytes>>;

fn reply(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Reply {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // `same-origin`, not `no-referrer`: with no referrer a browser sends `Origin: null` on the
    // form's own POST, which the origin check would refuse.
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    r
}

fn page(status: StatusCode, html: String) -> Reply {
    let mut r = reply(status, "text/html; charset=utf-8", html);
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; \
             frame-ancestors 'none'",
        ),
    );
    r
}

fn error_page(status: StatusCode, message: &str) -> Reply {
    page(status, pages::error(status, message))
}

impl Server {
    async fn handle(&self, req: Request<Incoming>) -> Reply {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return error_page(
                StatusCode::MISDIRECTED_REQUEST,
                &format!("this server answers to {} only", self.hosts.join(", ")),
            );
        }
        let path = req.uri().path().to_string();
        let query = req.uri().query().unwrap_or("").to_string();
        match (req.method(), path.as_str()) {
            (&Method::GET, "/") => page(StatusCode::OK, pages::index(self.max_body_bytes)),
            (&Method::GET, "/app.js") => reply(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                pages::APP_JS,
            ),
            (&Method::GET, "/app.css") => {
                reply(StatusCode::OK, "text/css; charset=utf-8", pages::APP_CSS)
            }
            (&Method::POST, "/checks") => self.submit(req, &query).await,
            (&Method::GET, p) if p.starts_with("/checks/") => self.show(&p["/checks/".len()..]),
            (_, "/" | "/checks" | "/app.js" | "/app.css") => {
                let mut r = error_page(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
                r.headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
                r
            }
            _ => error_page(StatusCode::NOT_FOUND, "no such page"),
        }
    }

    /// `POST /checks`: reads the draft under the body limit and starts its check.
    async fn submit(&self, req: Request<Incoming>, query: &str) -> Reply {
        // A form posted from another site's page is refused: browsers send its origin.
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            let own = self
                .hosts
                .iter()
                .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")));
            if !own {
                return error_page(
                    StatusCode::FORBIDDEN,
                    &format!(
                        "a draft may be sent only from this server's own page, not from {origin}"
                    ),
                );
            }
        }
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_body_bytes as u64) {
            return self.too_large(declared);
        }
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        let body = match Limited::new(req.into_body(), self.max_body_bytes)
            .collect()
            .await
        {
            Ok(collected) => collected.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => return self.too_large(None),
            Err(e) => {
                return error_page(StatusCode::BAD_REQUEST, &format!("reading the draft: {e}"))
            }
        };
        let draft = match if form {
            draft_from_form(&body)
        } else {
            draft_from_upload(body.to_vec(), query)
        } {
            Ok(draft) => draft,
            Err(message) => return error_page(StatusCode::UNPROCESSABLE_ENTITY, &message),
        };
        let job = self.jobs.submit(draft);
        let mut r = reply(
            StatusCode::SEE_OTHER,
            "text/plain; charset=utf-8",
            format!("checking: /checks/{}\n", job.id),
        );
        if let Ok(v) = HeaderValue::from_str(&format!("/checks/{}", job.id)) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        r
    }

    fn too_large(&self, declared: Option<u64>) -> Reply {
        let size = declared.map_or_else(|| "larger".to_string(), |n| format!("{n} bytes"));
        error_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "the draft is {size}; this server takes at most {} bytes (serve.max_body_bytes)",
                self.max_body_bytes
            ),
        )
    }

    /// `GET /checks/ID[/...]`.
    fn show(&self, rest: &str) -> Reply {
        let (id, what) = rest.split_once('/').unwrap_or((rest, ""));
        let Some(job) = self.jobs.get(id) else {
            return error_page(
                StatusCode::NOT_FOUND,
                "no such check (the server keeps the newest serve.checks_kept checks)",
            );
        };
        match what {
            "" => page(StatusCode::OK, pages::check(&job)),
            "status.json" => reply(
                StatusCode::OK,
                "application/json",
                status_json(&job).to_string(),
            ),
            "report.html" | "report.json" | "report.sarif" => report(&job, what),
            _ => error_page(StatusCode::NOT_FOUND, "no such page"),
        }
    }
}

fn report(job: &Job, what: &str) -> Reply {
    let Ok(state) = job.state.lock() else {
        return error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the check's state is lost",
        );
    };
    let State::Done(done) = &*state else {
        return error_page(StatusCode::CONFLICT, "the check has not finished");
    };
    let stem = download_stem(&job.name);
    let (body, content_type, file) = match what {
        "report.html" => (done.html.clone(), "text/html; charset=utf-8", None),
        "report.json" => (
            done.json.clone(),
            "application/json",
            Some(format!("{stem}.citecheck.json")),
        ),
        _ => (
            done.sarif.clone(),
            "application/sarif+json",
            Some(format!("{stem}.sarif")),
        ),
    };
    let mut r = reply(StatusCode::OK, content_type, body);
    if let Some(file) = file {
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
            r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    } else {
        // The HTML report carries its own policy (inline script and style with hashes); it
        // may only be framed by the server's own page.
        r.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'self'"),
        );
    }
    r
}

/// A file name stem made of the draft's name, in ASCII letters, digits, `-` and `_`.
fn download_stem(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if safe.trim_matches('_').is_empty() {
        "draft".to_string()
    } else {
        safe
    }
}

/// The progress of a check, as the page's script reads it.
fn status_json(job: &Job) -> serde_json::Value {
    use std::sync::atomic::Ordering::Relaxed;
    let (state, extra) = match job.state.lock().as_deref() {
        Ok(State::Queued) => ("queued", serde_json::json!({})),
        Ok(State::Running) => ("running", serde_json::json!({})),
        Ok(State::Done(d)) => (
            "done",
            serde_json::json!({
                "claims": d.claims,
                "failing": d.failing,
                "sources": d.sources,
                "title_verdict": d.title_verdict.map(crate::model::Verdict::as_str),
            }),
        ),
        Ok(State::Failed(m)) => ("failed", serde_json::json!({ "error": m })),
        Err(_) => (
            "failed",
            serde_json::json!({ "error": "the check's state is lost" }),
        ),
    };
    let mut v = serde_json::json!({
        "id": job.id,
        "name": job.name,
        "state": state,
        "citations": job.counters.citations.load(Relaxed),
        "sources_done": job.counters.sources_done.load(Relaxed),
        "claims_done": job.counters.claims_done.load(Relaxed),
        "elapsed_secs": (job.elapsed().as_secs_f64() * 10.0).round() / 10.0,
    });
    if let (Some(v), serde_json::Value::Object(extra)) = (v.as_object_mut(), extra) {
        v.extend(extra);
    }
    v
}

/// The format a form or query names: `auto` (or nothing) leaves it to the name and the text.
fn format_named(name: &str) -> Result<Option<InputFormat>, String> {
    match name {
        "" | "auto" => Ok(None),
        "text" | "txt" => Ok(Some(InputFormat::Text)),
        "markdown" | "md" => Ok(Some(InputFormat::Markdown)),
        "html" => Ok(Some(InputFormat::Html)),
        other => Err(format!(
            "unknown format {other:?}: use auto, text, markdown or html"
        )),
    }
}

/// A pasted draft: the form's `text`, `format` and optional `name`.
fn draft_from_form(body: &[u8]) -> Result<Draft, String> {
    let mut text = None;
    let mut format = String::new();
    let mut name = String::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        match k.as_ref() {
            "text" => text = Some(v.into_owned()),
            "format" => format = v.into_owned(),
            "name" => name = v.into_owned(),
            _ => {}
        }
    }
    let text = text.ok_or("the form has no text field")?;
    if text.trim().is_empty() {
        return Err("the draft is empty: paste its text or choose a file".into());
    }
    let format = format_named(&format)?;
    let name = safe_name(&name).unwrap_or_else(|| {
        match format {
            Some(InputFormat::Markdown) => "pasted-draft.md",
            Some(InputFormat::Html) => "pasted-draft.html",
            Some(InputFormat::Text) => "pasted-draft.txt",
            None => "pasted-draft",
        }
        .to_string()
    });
    Ok(Draft {
        name,
        bytes: text.into_bytes(),
        format,
    })
}

/// An uploaded file: its raw bytes (any charset), named by `?name=`.
fn draft_from_upload(bytes: Vec<u8>, query: &str) -> Result<Draft, String> {
    let mut name = String::new();
    let mut format = String::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "name" => name = v.into_owned(),
            "format" => format = v.into_owned(),
            _ => {}
        }
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the draft is empty: paste its text or choose a file".into());
    }
    Ok(Draft {
        name: safe_name(&name).unwrap_or_else(|| "uploaded-draft".to_string()),
        bytes,
        format: format_named(&format)?,
    })
}

/// The file name part of what the browser sent, without folders or control characters, at
/// most 100 characters; `None` when nothing is left.
fn safe_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | '"' | '`'))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    (!cleaned.is_empty()).then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_gives_its_text_format_and_a_name() {
        let d =
            draft_from_form(b"text=%E6%8D%AE%E6%96%B0%E5%8D%8E%E7%A4%BE&format=markdown").unwrap();
        assert_eq!(String::from_utf8(d.bytes).unwrap(), "据新华社");
        assert_eq!(d.format, Some(InputFormat::Markdown));
        assert_eq!(d.name, "pasted-draft.md");
        assert!(draft_from_form(b"text=++%0A&format=auto").is_err());
        assert!(draft_from_form(b"format=auto").is_err());
        assert!(draft_from_form(b"text=x&format=pdf")
            .unwrap_err()
            .contains("pdf"));
    }

    #[test]
    fn an_upload_keeps_only_the_file_name() {
        let d = draft_from_upload(b"<p>x</p>".to_vec(), "name=..%2F..%2Fetc%2Fdraft.html").unwrap();
        assert_eq!(d.name, "draft.html");
        let d = draft_from_upload(b"x".to_vec(), "").unwrap();
        assert_eq!(d.name, "uploaded-draft");
        assert!(draft_from_upload(b" \n".to_vec(), "name=a.txt").is_err());
        assert_eq!(
            safe_name("C:\\drafts\\稿件.txt").as_deref(),
            Some("稿件.txt")
        );
        assert_eq!(safe_name("..."), None);
    }

    #[test]
    fn download_names_are_plain_ascii() {
        assert_eq!(download_stem("稿件.txt"), "draft");
        assert_eq!(download_stem("my draft.md"), "my_draft");
        assert_eq!(download_stem("a\"b.html"), "a_b");
    }

    #[test]
    fn a_loopback_server_answers_to_localhost_too() {
        let hosts = allowed_hosts("127.0.0.1:8750".parse().unwrap());
        assert!(hosts.contains(&"localhost:8750".to_string()));
        assert!(hosts.contains(&"127.0.0.1:8750".to_string()));
        let hosts = allowed_hosts("192.0.2.7:80".parse().unwrap());
        assert_eq!(hosts, vec!["192.0.2.7:80".to_string()]);
    }
}
