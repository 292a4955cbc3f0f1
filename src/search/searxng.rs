//! A SearXNG instance as a search provider, through its JSON API.
//!
//! SearXNG is a self-hostable metasearch engine, so the tool can search the web without an API
//! key. The JSON output format must be enabled on the instance (`search.formats` in its
//! settings); when it is not, the instance answers 403 or an HTML page, and we say so.

use super::{matches_domains, normalize_url, SearchError, SearchProvider, SearchQuery};
use crate::model::Candidate;
use async_trait::async_trait;
use serde::Deserialize;
use std::collections::HashSet;

/// A SearXNG instance.
#[derive(Debug, Clone)]
pub struct Searxng {
    /// The instance's address, e.g. `http://127.0.0.1:8888`.
    pub base_url: String,
    pub client: reqwest::Client,
    /// Language sent when the query has none (`zh-CN`, `en`, `all`).
    pub language: Option<String>,
}

/// The part of SearXNG's JSON answer we read; everything else is ignored.
#[derive(Debug, Deserialize, Default)]
struct Response {
    #[serde(default)]
    results: Vec<ResultItem>,
}

#[derive(Debug, Deserialize, Default)]
struct ResultItem {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    content: Option<String>,
    /// A date string, or null; any other JSON value is ignored.
    #[serde(default, rename = "publishedDate")]
    published_date: Option<serde_json::Value>,
}

impl Searxng {
    pub fn new(base_url: &str, client: reqwest::Client) -> Searxng {
        Searxng {
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            client,
            language: None,
        }
    }

    /// The same instance, sending `language` with queries that have none.
    pub fn with_language(mut self, language: Option<String>) -> Searxng {
        self.language = language;
        self
    }

    fn failed(&self, message: impl Into<String>) -> SearchError {
        SearchError::Failed {
            provider: "searxng".to_string(),
            message: message.into(),
        }
    }

    /// The request URL for one query text.
    fn request_url(&self, q: &str, language: Option<&str>) -> Result<url::Url, SearchError> {
        let mut url = url::Url::parse(&format!("{}/search", self.base_url))
            .map_err(|e| self.failed(format!("invalid instance url {}: {e}", self.base_url)))?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("q", q);
            pairs.append_pair("format", "json");
            pairs.append_pair("pageno", "1");
            if let Some(lang) = language {
                pairs.append_pair("language", lang);
            }
        }
        Ok(url)
    }

    /// Runs one request and returns its results.
    async fn run(&self, q: &str, language: Option<&str>) -> Result<Vec<Candidate>, SearchError> {
        let url = self.request_url(q, language)?;
        let response = self
            .client
            .get(url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    self.failed(format!("{url}: timed out"))
                } else {
                    self.failed(format!("{url}: request failed: {}", error_chain(&e)))
                }
            })?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if status.as_u16() == 429 {
            return Err(self.failed("rate limited by the instance (http 429)"));
        }
        if status.as_u16() == 403 {
            return Err(
                self.failed("http status 403 (json format may be disabled on this instance)")
            );
        }
        if !status.is_success() {
            return Err(self.failed(format!("http status {}", status.as_u16())));
        }
        let body = response
            .text()
            .await
            .map_err(|e| self.failed(format!("reading the answer failed: {}", error_chain(&e))))?;
        parse_results(&body, content_type.as_deref()).map_err(|m| self.failed(m))
    }
}

/// Parses a SearXNG JSON answer into candidates, or says why it is not one.
pub(crate) fn parse_results(
    body: &str,
    content_type: Option<&str>,
) -> Result<Vec<Candidate>, String> {
    let looks_html = content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html"))
        || body.trim_start().starts_with('<');
    let response: Response = match serde_json::from_str(body) {
        Ok(r) => r,
        Err(_) if looks_html => {
            return Err("json format disabled on this instance (it answered with html)".into())
        }
        Err(e) => return Err(format!("answer is not valid json: {e}")),
    };
    Ok(response
        .results
        .into_iter()
        .filter_map(|r| {
            let url = r.url.filter(|u| !u.trim().is_empty())?;
            Some(Candidate {
                url,
                title: r.title.unwrap_or_default(),
                snippet: r.content.filter(|c| !c.trim().is_empty()),
                published: match r.published_date {
                    Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
                    _ => None,
                },
                provider: "searxng".to_string(),
            })
        })
        .collect())
}

/// An error and its sources, joined by `: `, so the root cause (e.g. "connection refused")
/// shows.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[async_trait]
impl SearchProvider for Searxng {
    fn name(&self) -> &str {
        "searxng"
    }

    /// A phrase query is sent in double quotes, which the engines behind SearXNG read as an
    /// exact phrase. One request per restricted domain (`q site:domain`), because engines behind SearXNG
    /// disagree on `OR`; results are merged in order, deduplicated, and filtered to the domains
    /// again since some engines ignore `site:`.
    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
        let limit = query.effective_limit();
        let language = query.language.as_deref().or(self.language.as_deref());
        let text = if query.phrase {
            format!("\"{}\"", query.text.replace('"', " ").trim())
        } else {
            query.text.clone()
        };
        let texts: Vec<String> = if query.domains.is_empty() {
            vec![text]
        } else {
            query
                .domains
                .iter()
                .map(|d| format!("{text} site:{d}"))
                .collect()
        };
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for text in texts {
            for c in self.run(&text, language).await? {
                if !query.domains.is_empty() && !matches_domains(&c.url, &query.domains) {
                    continue;
                }
                if seen.insert(normalize_url(&c.url)) {
                    out.push(c);
                }
            }
        }
        out.truncate(limit);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const SAMPLE: &str = r#"{
        "query": "英伟达",
        "number_of_results": 0,
        "results": [
            {"url": "https://finance.sina.com.cn/a.shtml", "title": "渐失中国市场", "content": "英伟达财报",
             "publishedDate": "2025-08-28T00:00:00", "engine": "bing", "score": 1.0},
            {"url": "https://www.reuters.com/b", "title": "Nvidia", "publishedDate": null},
            {"title": "no url"},
            {"url": "https://example.com/c", "content": "", "publishedDate": 12}
        ],
        "answers": [], "suggestions": ["x"], "unresponsive_engines": []
    }"#;

    #[test]
    fn parses_results_tolerating_missing_fields() {
        let got = parse_results(SAMPLE, Some("application/json")).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].url, "https://finance.sina.com.cn/a.shtml");
        assert_eq!(got[0].title, "渐失中国市场");
        assert_eq!(got[0].snippet.as_deref(), Some("英伟达财报"));
        assert_eq!(got[0].published.as_deref(), Some("2025-08-28T00:00:00"));
        assert_eq!(got[0].provider, "searxng");
        assert_eq!(got[1].published, None);
        assert_eq!(got[1].snippet, None);
        assert_eq!(got[2].title, "");
        assert_eq!(got[2].published, None);
        assert!(parse_results("{}", None).unwrap().is_empty());
    }

    #[test]
    fn html_answer_means_json_is_disabled() {
        let err = parse_results("<!DOCTYPE html><html></html>", Some("text/html")).unwrap_err();
        assert!(err.contains("json format disabled"), "{err}");
        let err = parse_results("oops", Some("text/plain")).unwrap_err();
        assert!(err.contains("not valid json"), "{err}");
    }

    /// Serves one canned HTTP answer per connection and sends each request line back
    /// through the returned channel.
    async fn serve(
        status: &'static str,
        content_type: &'static str,
        body: &'static str,
    ) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let tx = tx.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 1024];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match sock.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let request = String::from_utf8_lossy(&buf);
                    let _ = tx.send(request.lines().next().unwrap_or("").to_string());
                    let answer = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(answer.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        (format!("http://{addr}/"), rx)
    }

    fn query(text: &str, domains: &[&str]) -> SearchQuery {
        SearchQuery {
            text: text.to_string(),
            domains: domains.iter().map(|d| d.to_string()).collect(),
            language: Some("zh-CN".to_string()),
            limit: 10,
            ..SearchQuery::default()
        }
    }

    #[tokio::test]
    async fn searches_a_local_instance() {
        let (base, mut requests) = serve("200 OK", "application/json", SAMPLE).await;
        let s = Searxng::new(&base, reqwest::Client::new());
        let got = s.search(&query("英伟达 狂飙", &[])).await.unwrap();
        assert_eq!(got.len(), 3);
        let line = requests.recv().await.unwrap();
        assert!(line.starts_with("GET /search?q="), "{line}");
        assert!(line.contains("format=json"), "{line}");
        assert!(line.contains("pageno=1"), "{line}");
        assert!(line.contains("language=zh-CN"), "{line}");
    }

    #[tokio::test]
    async fn restricts_to_domains_with_site_queries() {
        let (base, mut requests) = serve("200 OK", "application/json", SAMPLE).await;
        let s = Searxng::new(&base, reqwest::Client::new());
        let got = s
            .search(&query("英伟达", &["sina.com.cn", "reuters.com"]))
            .await
            .unwrap();
        let urls: Vec<&str> = got.iter().map(|c| c.url.as_str()).collect();
        assert_eq!(
            urls,
            vec![
                "https://finance.sina.com.cn/a.shtml",
                "https://www.reuters.com/b"
            ]
        );
        let first = requests.recv().await.unwrap();
        let second = requests.recv().await.unwrap();
        assert!(first.contains("site%3Asina.com.cn"), "{first}");
        assert!(second.contains("site%3Areuters.com"), "{second}");
    }

    #[tokio::test]
    async fn rate_limit_is_a_clear_error() {
        let (base, _requests) = serve("429 Too Many Requests", "text/plain", "slow down").await;
        let s = Searxng::new(&base, reqwest::Client::new());
        let err = s.search(&query("x", &[])).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "searxng: rate limited by the instance (http 429)"
        );
    }

    #[tokio::test]
    async fn html_answer_is_a_clear_error() {
        let (base, _requests) = serve(
            "200 OK",
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html>hi</html>",
        )
        .await;
        let s = Searxng::new(&base, reqwest::Client::new());
        let err = s.search(&query("x", &[])).await.unwrap_err();
        assert!(
            err.to_string()
                .contains("json format disabled on this instance"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn server_error_and_refused_connection_are_errors() {
        let (base, _requests) = serve("502 Bad Gateway", "text/plain", "bad").await;
        let s = Searxng::new(&base, reqwest::Client::new());
        let err = s.search(&query("x", &[])).await.unwrap_err();
        assert_eq!(err.to_string(), "searxng: http status 502");

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let s = Searxng::new(&format!("http://{addr}"), reqwest::Client::new());
        let err = s.search(&query("x", &[])).await.unwrap_err();
        assert!(err.to_string().contains("request failed"), "{err}");
    }
}
