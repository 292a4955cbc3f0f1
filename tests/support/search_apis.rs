//! Local stand-ins for the search APIs, each speaking its documented format: Brave Search (web
//! and news), GDELT DOC 2.0, the Wayback Machine availability and CDX APIs, and Google Fact
//! Check Tools. Each handler serves a fixed set of records and checks what the real API
//! checks (the key, the parameters it needs); `Script` plays a queue of canned answers first,
//! so a test can make the API fail, rate-limit or send garbage on the Nth request.

#![allow(dead_code)]

use super::{Request, Response};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Answers played before the normal handler, one per request, in order.
#[derive(Clone, Default)]
pub struct Script(Arc<Mutex<VecDeque<Response>>>);

impl Script {
    pub fn new(answers: Vec<Response>) -> Script {
        Script(Arc::new(Mutex::new(answers.into())))
    }

    fn next(&self) -> Option<Response> {
        self.0.lock().expect("script lock").pop_front()
    }
}

/// One indexed page of a fake engine.
#[derive(Debug, Clone)]
pub struct Record {
    pub url: String,
    pub title: String,
    pub description: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

impl Record {
    pub fn new(url: &str, title: &str, description: &str, date: &str) -> Record {
        Record {
            url: url.to_string(),
            title: title.to_string(),
            description: description.to_string(),
            date: date.to_string(),
        }
    }

    fn host(&self) -> String {
        url::Url::parse(&self.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// Lower-case words of Latin text and single CJK characters.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.to_lowercase().chars() {
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn in_domain(host: &str, domain: &str) -> bool {
    let domain = domain.trim_start_matches("www.");
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// Records matching a free-text query: `site:D` restricts the host, `"..."` must occur in the
/// title as a phrase, and at least half of the other words must occur in title or description.
fn matching<'a>(records: &'a [Record], q: &str) -> Vec<&'a Record> {
    let mut sites = Vec::new();
    let mut rest = String::new();
    let mut phrase: Option<String> = None;
    let mut text = q.to_string();
    if let (Some(a), Some(b)) = (text.find('"'), text.rfind('"')) {
        if b > a {
            phrase = Some(text[a + 1..b].to_lowercase());
            text = format!("{} {}", &text[..a], &text[b + 1..]);
        }
    }
    for part in text.split_whitespace() {
        match part.strip_prefix("site:") {
            Some(s) => sites.push(s.to_string()),
            None => {
                rest.push_str(part);
                rest.push(' ');
            }
        }
    }
    let wanted = words(&rest);
    records
        .iter()
        .filter(|r| sites.is_empty() || sites.iter().any(|s| in_domain(&r.host(), s)))
        .filter(|r| {
            phrase
                .as_ref()
                .is_none_or(|p| r.title.to_lowercase().contains(p.as_str()))
        })
        .filter(|r| {
            if wanted.is_empty() {
                return true;
            }
            let have = words(&format!("{} {}", r.title, r.description));
            let n = wanted.iter().filter(|w| have.contains(w)).count();
            n * 2 >= wanted.len()
        })
        .collect()
}

/// Brave Search: `/res/v1/web/search` and `/res/v1/news/search`; 401 with Brave's error JSON
/// when `X-Subscription-Token` is not `key`, 422 when `q` is missing.
pub fn brave(
    records: Vec<Record>,
    key: &'static str,
    script: Script,
) -> impl Fn(&Request) -> Response {
    move |req| {
        if let Some(r) = script.next() {
            return r;
        }
        if req.header("x-subscription-token") != Some(key) {
            return Response::new(
                401,
                "application/json",
                json!({"type": "ErrorResponse", "error": {"id": "x", "status": 401,
                    "code": "SUBSCRIPTION_TOKEN_INVALID", "detail": "The provided subscription token is invalid."}})
                .to_string(),
            );
        }
        let Some(q) = req.query.get("q") else {
            return Response::new(
                422,
                "application/json",
                json!({"type": "ErrorResponse",
                "error": {"status": 422, "code": "VALIDATION", "detail": "q is required"}})
                .to_string(),
            );
        };
        let count: usize = req
            .query
            .get("count")
            .and_then(|c| c.parse().ok())
            .unwrap_or(20);
        let items: Vec<Value> = matching(&records, q)
            .into_iter()
            .take(count)
            .map(|r| {
                json!({"type": "search_result", "title": format!("<strong>{}</strong>", r.title),
                    "url": r.url, "description": r.description,
                    "page_age": format!("{}T00:00:00", r.date), "age": "2 days ago",
                    "meta_url": {"hostname": r.host()}})
            })
            .collect();
        match req.path.as_str() {
            "/res/v1/web/search" => Response::json(&json!({
                "type": "search",
                "query": {"original": q},
                "mixed": {"type": "mixed", "main": []},
                "web": {"type": "search", "results": items, "family_friendly": true}
            })),
            "/res/v1/news/search" => Response::json(&json!({
                "type": "news",
                "query": {"original": q},
                "results": items
            })),
            _ => Response::status(404),
        }
    }
}

/// GDELT DOC 2.0 `/api/v2/doc/doc?mode=artlist&format=json`. Like GDELT, a bad query is
/// answered with status 200 and a line of plain text; `domainis:` and `sourcelang:` filter.
pub fn gdelt(records: Vec<Record>, script: Script) -> impl Fn(&Request) -> Response {
    move |req| {
        if let Some(r) = script.next() {
            return r;
        }
        if req.path != "/api/v2/doc/doc" {
            return Response::status(404);
        }
        if req.query.get("mode").map(String::as_str) != Some("artlist")
            || req.query.get("format").map(String::as_str) != Some("json")
        {
            return Response::new(200, "text/html", "Invalid mode or format specified.");
        }
        let q = req.query.get("query").cloned().unwrap_or_default();
        let mut domains = Vec::new();
        let mut text = String::new();
        for part in q.replace(['(', ')'], " ").split_whitespace() {
            if let Some(d) = part.strip_prefix("domainis:") {
                domains.push(d.to_string());
            } else if part.starts_with("sourcelang:") || part == "OR" {
            } else {
                text.push_str(part);
                text.push(' ');
            }
        }
        if text.trim().is_empty() && domains.is_empty() {
            return Response::new(200, "text/html", "The specified phrase is too short.");
        }
        let max: usize = req
            .query
            .get("maxrecords")
            .and_then(|m| m.parse().ok())
            .unwrap_or(75);
        let articles: Vec<Value> = matching(&records, &text)
            .into_iter()
            .filter(|r| domains.is_empty() || domains.iter().any(|d| in_domain(&r.host(), d)))
            .take(max)
            .map(|r| {
                json!({"url": r.url, "url_mobile": "", "title": r.title,
                    "seendate": format!("{}T101500Z", r.date.replace('-', "")),
                    "socialimage": "", "domain": r.host(), "language": "Chinese", "sourcecountry": "China"})
            })
            .collect();
        if articles.is_empty() {
            return Response::json(&json!({}));
        }
        Response::json(&json!({ "articles": articles }))
    }
}

/// One capture of the fake archive: `(original url, timestamp, html)`.
pub type Capture = (String, String, String);

/// The Wayback Machine: `/wayback/available`, `/cdx/search/cdx` and `/web/<ts>id_/<url>`
/// serving the captured HTML.
pub fn wayback(captures: Vec<Capture>, script: Script) -> impl Fn(&Request) -> Response {
    move |req| {
        if let Some(r) = script.next() {
            return r;
        }
        let base = format!("http://{}", req.host);
        match req.path.as_str() {
            "/wayback/available" => {
                let url = req.query.get("url").cloned().unwrap_or_default();
                let ts = req
                    .query
                    .get("timestamp")
                    .cloned()
                    .unwrap_or_else(|| "99999999".into());
                let closest = captures.iter().filter(|c| c.0 == url).min_by_key(|c| {
                    (c.1[..8].parse::<i64>().unwrap_or(0)
                        - ts[..8.min(ts.len())].parse::<i64>().unwrap_or(0))
                    .abs()
                });
                let snapshots = match closest {
                    Some(c) => json!({"closest": {"status": "200", "available": true,
                        "url": format!("{base}/web/{}/{}", c.1, c.0), "timestamp": c.1}}),
                    None => json!({}),
                };
                Response::json(&json!({"url": url, "archived_snapshots": snapshots}))
            }
            "/cdx/search/cdx" => {
                let prefix = req.query.get("url").cloned().unwrap_or_default();
                let domain = prefix.trim_end_matches("/*").to_string();
                let limit: usize = req
                    .query
                    .get("limit")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(10_000);
                if req.query.get("output").map(String::as_str) != Some("json") {
                    return Response::new(
                        200,
                        "text/plain",
                        "com,example)/ 2025 http://x text/html 200 D 1\n",
                    );
                }
                let mut rows = vec![json!([
                    "urlkey",
                    "timestamp",
                    "original",
                    "mimetype",
                    "statuscode",
                    "digest",
                    "length"
                ])];
                for c in captures
                    .iter()
                    .filter(|c| {
                        url::Url::parse(&c.0)
                            .ok()
                            .and_then(|u| u.host_str().map(|h| in_domain(h, &domain)))
                            .unwrap_or(false)
                    })
                    .take(limit)
                {
                    rows.push(json!([
                        "key",
                        c.1,
                        c.0,
                        "text/html",
                        "200",
                        "DIGEST",
                        "1000"
                    ]));
                }
                if rows.len() == 1 {
                    return Response::json(&json!([]));
                }
                Response::json(&Value::Array(rows))
            }
            path if path.starts_with("/web/") => {
                let rest = &req.target["/web/".len()..];
                let Some((ts, original)) = rest.split_once('/') else {
                    return Response::status(404);
                };
                let ts = ts.trim_end_matches("id_");
                match captures.iter().find(|c| c.1 == ts && c.0 == original) {
                    Some(c) => Response::html(c.2.clone()),
                    None => Response::status(404),
                }
            }
            _ => Response::status(404),
        }
    }
}

/// Fact Check Tools `/v1alpha1/claims:search`; 403 in Google's error format for a wrong key.
pub fn factcheck(
    claims: Value,
    key: &'static str,
    script: Script,
) -> impl Fn(&Request) -> Response {
    move |req| {
        if let Some(r) = script.next() {
            return r;
        }
        if req.path != "/v1alpha1/claims:search" {
            return Response::status(404);
        }
        if req.query.get("key").map(String::as_str) != Some(key) {
            return Response::new(
                403,
                "application/json",
                json!({"error": {"code": 403,
                "message": "Method doesn't allow unregistered callers. Please use an API Key.",
                "status": "PERMISSION_DENIED"}})
                .to_string(),
            );
        }
        let q = req.query.get("query").cloned().unwrap_or_default();
        let wanted = words(&q);
        let found: Vec<Value> = claims
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                let have = words(c["text"].as_str().unwrap_or(""));
                let n = wanted.iter().filter(|w| have.contains(w)).count();
                !wanted.is_empty() && n * 2 >= wanted.len()
            })
            .cloned()
            .collect();
        if found.is_empty() {
            return Response::json(&json!({}));
        }
        Response::json(&json!({"claims": found}))
    }
}
