//! The Internet Archive's Wayback Machine: the availability API (the snapshot of a URL closest
//! to a date) and the CDX API (captured URLs under a domain).
//!
//! Two uses: [`Wayback::closest_snapshot`] gives a dead cited URL a second life (`resolve`
//! reads the archived copy), and as a search provider the CDX listing of an outlet's domain
//! yields pages whose URL slug (`/2025/08/22/nvidia-halts-h20-production/`) matches the query.
//! Sites with numeric URLs give no slug and hence no candidates: the CDX API has no titles.

use super::api::{text_excerpt, Api};
use super::{normalize_url, SearchError, SearchProvider, SearchQuery};
use crate::model::Candidate;
use async_trait::async_trait;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// Public address of both APIs.
pub const DEFAULT_WAYBACK_URL: &str = "https://web.archive.org";
/// Captures listed per domain by default.
pub const DEFAULT_CDX_LIMIT: usize = 2000;
/// Domains of one query listed (one CDX request each).
const MAX_DOMAINS: usize = 3;

/// One archived capture of a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The URL as it was captured.
    pub original: String,
    /// `YYYYMMDDhhmmss`.
    pub timestamp: String,
    /// The archive's address of the capture (with the archive's toolbar).
    pub archive_url: String,
    /// HTTP status of the capture, when known.
    pub status: Option<u16>,
}

impl Snapshot {
    /// The capture as originally served, without the archive's toolbar (`id_` modifier).
    pub fn raw_url(&self, base_url: &str) -> String {
        format!(
            "{}/web/{}id_/{}",
            base_url.trim_end_matches('/'),
            self.timestamp,
            self.original
        )
    }

    /// The capture's date as `YYYY-MM-DD`.
    pub fn date(&self) -> Option<String> {
        let t = &self.timestamp;
        (t.len() >= 8 && t.is_ascii() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("{}-{}-{}", &t[0..4], &t[4..6], &t[6..8]))
    }
}

/// A Wayback Machine client.
#[derive(Debug)]
pub struct Wayback {
    api: Api,
    base_url: String,
    cdx_limit: usize,
    /// CDX listings already fetched this run, by domain: every query of every citation of an
    /// outlet lists the same domain, so it is asked once.
    listings: std::sync::Mutex<HashMap<String, Vec<Snapshot>>>,
}

#[derive(Debug, Deserialize, Default)]
struct Availability {
    #[serde(default)]
    archived_snapshots: Snapshots,
}

#[derive(Debug, Deserialize, Default)]
struct Snapshots {
    #[serde(default)]
    closest: Option<Closest>,
}

#[derive(Debug, Deserialize, Default)]
struct Closest {
    #[serde(default)]
    available: bool,
    #[serde(default)]
    url: String,
    #[serde(default)]
    timestamp: String,
    #[serde(default)]
    status: Option<String>,
}

impl Wayback {
    pub fn new(base_url: &str, client: reqwest::Client) -> Wayback {
        Wayback {
            api: Api::new("wayback", client),
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            cdx_limit: DEFAULT_CDX_LIMIT,
            listings: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Captures listed per domain when searching.
    pub fn with_cdx_limit(mut self, limit: usize) -> Wayback {
        self.cdx_limit = limit.max(1);
        self
    }

    /// The base URL, for [`Snapshot::raw_url`].
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn url(&self, path: &str, pairs: &[(&str, &str)]) -> Result<url::Url, SearchError> {
        let mut url = url::Url::parse(&format!("{}{path}", self.base_url)).map_err(|e| {
            self.api
                .failed(format!("invalid api url {}: {e}", self.base_url))
        })?;
        url.query_pairs_mut().extend_pairs(pairs);
        Ok(url)
    }

    async fn get_json(&self, url: url::Url) -> Result<String, SearchError> {
        match self.api.get(url, &[]).await? {
            Ok(a) if a.body.trim().is_empty() => Ok(String::new()),
            Ok(a) if a.looks_like_text() => Err(self
                .api
                .failed(format!("answer is not json: {}", text_excerpt(&a.body)))),
            Ok(a) => Ok(a.body),
            Err(r) => {
                let detail = text_excerpt(&r.body);
                Err(self.api.failed(format!(
                    "http status {}{}{detail}",
                    r.status,
                    if detail.is_empty() { "" } else { ": " }
                )))
            }
        }
    }

    /// The capture of `url` closest to `date` (`YYYY-MM-DD`, or any text starting with one;
    /// the latest capture when `None`), or `None` when the archive has none.
    pub async fn closest_snapshot(
        &self,
        url: &str,
        date: Option<&str>,
    ) -> Result<Option<Snapshot>, SearchError> {
        let stamp: Option<String> = date.map(|d| {
            d.chars()
                .filter(char::is_ascii_digit)
                .take(8)
                .collect::<String>()
        });
        let mut pairs = vec![("url", url.trim())];
        if let Some(s) = stamp.as_deref().filter(|s| s.len() >= 4) {
            pairs.push(("timestamp", s));
        }
        let body = self
            .get_json(self.url("/wayback/available", &pairs)?)
            .await?;
        if body.is_empty() {
            return Ok(None);
        }
        let answer: Availability = serde_json::from_str(&body)
            .map_err(|e| self.api.failed(format!("answer is not valid json: {e}")))?;
        Ok(answer.archived_snapshots.closest.and_then(|c| {
            if !c.available || c.url.is_empty() || c.timestamp.is_empty() {
                return None;
            }
            let status = c.status.as_deref().and_then(|s| s.parse().ok());
            if status.is_some_and(|s: u16| !(200..300).contains(&s)) {
                return None;
            }
            Some(Snapshot {
                original: original_of(&c.url, &c.timestamp).unwrap_or_else(|| url.to_string()),
                timestamp: c.timestamp,
                archive_url: c.url,
                status,
            })
        }))
    }

    /// Captures with status 200 under `domain` (`domain/*`), at most `limit`, one per URL.
    pub async fn domain_pages(
        &self,
        domain: &str,
        limit: usize,
    ) -> Result<Vec<Snapshot>, SearchError> {
        let prefix = format!("{}/*", domain.trim().trim_end_matches('/'));
        let limit = limit.max(1).to_string();
        let url = self.url(
            "/cdx/search/cdx",
            &[
                ("url", prefix.as_str()),
                ("output", "json"),
                ("filter", "statuscode:200"),
                ("collapse", "urlkey"),
                ("limit", limit.as_str()),
            ],
        )?;
        let body = self.get_json(url).await?;
        if body.is_empty() {
            return Ok(Vec::new());
        }
        parse_cdx(&body, &self.base_url).map_err(|m| self.api.failed(m))
    }
}

/// The original URL inside an archive URL `…/web/<timestamp>/<original>`.
fn original_of(archive_url: &str, timestamp: &str) -> Option<String> {
    let marker = format!("/{timestamp}/");
    let at = archive_url.find(&marker)?;
    Some(archive_url[at + marker.len()..].to_string())
}

/// Parses CDX JSON output: an array of rows, the first naming the columns. HTML captures only
/// (or rows without a MIME type).
pub(crate) fn parse_cdx(body: &str, base_url: &str) -> Result<Vec<Snapshot>, String> {
    let rows: Vec<Vec<String>> =
        serde_json::from_str(body).map_err(|e| format!("answer is not valid json: {e}"))?;
    let Some((header, rows)) = rows.split_first() else {
        return Ok(Vec::new());
    };
    let col: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let (Some(&ts), Some(&orig)) = (col.get("timestamp"), col.get("original")) else {
        return Err("cdx answer has no timestamp/original columns".to_string());
    };
    let mime = col.get("mimetype").copied();
    let status = col.get("statuscode").copied();
    Ok(rows
        .iter()
        .filter_map(|r| {
            let timestamp = r.get(ts)?.clone();
            let original = r.get(orig)?.clone();
            if let Some(m) = mime.and_then(|i| r.get(i)) {
                if !(m.contains("html") || m == "unk" || m.is_empty()) {
                    return None;
                }
            }
            Some(Snapshot {
                archive_url: format!("{base_url}/web/{timestamp}/{original}"),
                status: status.and_then(|i| r.get(i)).and_then(|s| s.parse().ok()),
                original,
                timestamp,
            })
        })
        .collect())
}

/// The words of a URL's path (`/2025/08/nvidia-halts-h20.html` -> `nvidia halts h20`), or
/// an empty string when the path has fewer than two alphabetic words (numeric article ids).
pub fn slug_words(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return String::new();
    };
    let words: Vec<String> = parsed
        .path()
        .split(['/', '-', '_', '.', '+'])
        .filter(|w| !w.is_empty())
        .filter(|w| !matches!(*w, "html" | "htm" | "shtml" | "php" | "aspx" | "index"))
        .map(percent_decode)
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words
        .iter()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .count()
        < 2
    {
        return String::new();
    }
    words.join(" ")
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

#[async_trait]
impl SearchProvider for Wayback {
    fn name(&self) -> &str {
        "wayback"
    }

    /// Lists the captures of each query domain and keeps those whose URL words share the most
    /// tokens with the query. A query without domains has nothing to list.
    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
        if query.domains.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: HashSet<String> = crate::search::corpus::index_tokens(&query.text)
            .into_iter()
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let mut scored: Vec<(usize, Candidate)> = Vec::new();
        let mut seen = HashSet::new();
        for domain in query.domains.iter().take(MAX_DOMAINS) {
            let key = domain.trim().to_ascii_lowercase();
            let known = self
                .listings
                .lock()
                .expect("listings lock")
                .get(&key)
                .cloned();
            let listing = match known {
                Some(l) => l,
                None => {
                    let l = self.domain_pages(domain, self.cdx_limit).await?;
                    self.listings
                        .lock()
                        .expect("listings lock")
                        .insert(key, l.clone());
                    l
                }
            };
            for s in listing {
                if !seen.insert(normalize_url(&s.original)) {
                    continue;
                }
                let words = slug_words(&s.original);
                if words.is_empty() {
                    continue;
                }
                let have: HashSet<String> = crate::search::corpus::index_tokens(&words)
                    .into_iter()
                    .collect();
                let shared = wanted.iter().filter(|w| have.contains(*w)).count();
                if shared == 0 {
                    continue;
                }
                scored.push((
                    shared,
                    Candidate {
                        url: s.original.clone(),
                        title: words,
                        snippet: Some(format!("archived capture {}", s.archive_url)),
                        published: s.date(),
                        provider: "wayback".to_string(),
                    },
                ));
            }
        }
        // Stable: on ties, the archive's (URL key) order stays.
        scored.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
        Ok(scored
            .into_iter()
            .take(query.effective_limit())
            .map(|(_, c)| c)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug_words(
                "https://www.reuters.com/technology/nvidia-halts-h20-production-2025-08-22/"
            ),
            "technology nvidia halts h20 production"
        );
        assert_eq!(
            slug_words("https://www.guancha.cn/economy/2025_08_22_1.shtml"),
            ""
        );
        assert_eq!(slug_words("not a url"), "");
    }

    #[test]
    fn cdx_rows() {
        let body = r#"[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
            ["com,example)/a","20250822101500","https://example.com/a","text/html","200","X","1"],
            ["com,example)/b.png","20250822101500","https://example.com/b.png","image/png","200","Y","1"]]"#;
        let got = parse_cdx(body, "https://web.archive.org").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].original, "https://example.com/a");
        assert_eq!(got[0].status, Some(200));
        assert_eq!(got[0].date().as_deref(), Some("2025-08-22"));
        assert_eq!(
            got[0].raw_url("https://web.archive.org/"),
            "https://web.archive.org/web/20250822101500id_/https://example.com/a"
        );
        assert!(parse_cdx("[]", "x").unwrap().is_empty());
        assert!(parse_cdx("[[\"urlkey\"]]", "x")
            .unwrap_err()
            .contains("no timestamp"));
        assert!(parse_cdx("[[", "x").unwrap_err().contains("not valid json"));
    }

    #[test]
    fn original_inside_archive_url() {
        assert_eq!(
            original_of(
                "http://web.archive.org/web/20130919044612/http://example.com/",
                "20130919044612"
            )
            .as_deref(),
            Some("http://example.com/")
        );
    }
}
