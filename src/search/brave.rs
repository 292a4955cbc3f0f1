//! Brave Search as a search provider: the web (`/res/v1/web/search`) and news
//! (`/res/v1/news/search`) endpoints.
//!
//! The subscription token goes in the `X-Subscription-Token` header. The library is handed the
//! token itself; the CLI reads it from the environment variable the config names, so the key is
//! never written in a config file. It is never logged and never part of an error message.

use super::api::{error_detail, text_excerpt, Api};
use super::{matches_domains, normalize_url, SearchError, SearchProvider, SearchQuery};
use crate::model::Candidate;
use async_trait::async_trait;
use serde::Deserialize;
use std::collections::HashSet;

/// Public address of the API.
pub const DEFAULT_BRAVE_URL: &str = "https://api.search.brave.com";
/// Most results the web endpoint returns per request.
const WEB_MAX_COUNT: usize = 20;
/// Most results the news endpoint returns per request.
const NEWS_MAX_COUNT: usize = 50;
/// Domains of one query searched with `site:` (one request each), to spare the quota.
const MAX_SITE_REQUESTS: usize = 3;

/// Which Brave endpoint to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BraveEndpoint {
    Web,
    News,
}

/// A Brave Search API client. Its `Debug` output hides the key.
pub struct Brave {
    api: Api,
    base_url: String,
    key: String,
    endpoint: BraveEndpoint,
    /// `pd`, `pw`, `pm`, `py` or `YYYY-MM-DDtoYYYY-MM-DD`; none by default.
    freshness: Option<String>,
    /// Language used when the query has none.
    language: Option<String>,
}

impl std::fmt::Debug for Brave {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Brave")
            .field("base_url", &self.base_url)
            .field("key", &"<redacted>")
            .field("endpoint", &self.endpoint)
            .field("freshness", &self.freshness)
            .finish()
    }
}

#[derive(Debug, Deserialize, Default)]
struct WebAnswer {
    #[serde(default)]
    web: Option<Results>,
}

#[derive(Debug, Deserialize, Default)]
struct Results {
    #[serde(default)]
    results: Vec<Item>,
}

#[derive(Debug, Deserialize, Default)]
struct Item {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    /// ISO date of the page, when Brave knows it.
    #[serde(default)]
    page_age: Option<String>,
    /// Relative age (`2 days ago`), used when `page_age` is missing.
    #[serde(default)]
    age: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
struct ErrorAnswer {
    #[serde(default)]
    error: Option<ErrorBody>,
}

#[derive(Debug, Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

impl Brave {
    /// A client for `endpoint` at `base_url` (normally [`DEFAULT_BRAVE_URL`]) with `key`.
    pub fn new(
        base_url: &str,
        key: &str,
        endpoint: BraveEndpoint,
        client: reqwest::Client,
    ) -> Brave {
        let name = match endpoint {
            BraveEndpoint::Web => "brave",
            BraveEndpoint::News => "brave_news",
        };
        Brave {
            api: Api::new(name, client),
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            key: key.trim().to_string(),
            endpoint,
            freshness: None,
            language: None,
        }
    }

    /// Restricts results by age (`pd`, `pw`, `pm`, `py`, or a date range).
    pub fn with_freshness(mut self, freshness: Option<String>) -> Brave {
        self.freshness = freshness.filter(|f| !f.trim().is_empty());
        self
    }

    /// Language sent when a query has none.
    pub fn with_language(mut self, language: Option<String>) -> Brave {
        self.language = language;
        self
    }

    fn request_url(
        &self,
        q: &str,
        count: usize,
        language: Option<&str>,
    ) -> Result<url::Url, SearchError> {
        let path = match self.endpoint {
            BraveEndpoint::Web => "/res/v1/web/search",
            BraveEndpoint::News => "/res/v1/news/search",
        };
        let mut url = url::Url::parse(&format!("{}{path}", self.base_url)).map_err(|e| {
            self.api
                .failed(format!("invalid api url {}: {e}", self.base_url))
        })?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("q", q);
            pairs.append_pair("count", &count.to_string());
            if let Some(lang) = language.and_then(search_lang) {
                pairs.append_pair("search_lang", lang);
            }
            if let Some(f) = &self.freshness {
                pairs.append_pair("freshness", f);
            }
        }
        Ok(url)
    }

    async fn run(
        &self,
        q: &str,
        count: usize,
        language: Option<&str>,
    ) -> Result<Vec<Candidate>, SearchError> {
        if self.key.is_empty() {
            return Err(self.api.failed(
                "no api key (set the environment variable named by search.brave_key_env)",
            ));
        }
        let url = self.request_url(q, count, language)?;
        let answer = self
            .api
            .get(url, &[("X-Subscription-Token", self.key.as_str())])
            .await?;
        let answer = match answer {
            Ok(a) => a,
            Err(refusal) => {
                let parts = serde_json::from_str::<ErrorAnswer>(&refusal.body)
                    .ok()
                    .and_then(|e| e.error)
                    .map_or([None, None], |e| [e.code, e.detail]);
                let detail = error_detail(parts, &refusal.body);
                let what = match refusal.status {
                    401 | 403 | 422 => "api key rejected, ",
                    _ => "",
                };
                return Err(self.api.failed(format!(
                    "{what}http status {}{}{detail}",
                    refusal.status,
                    if detail.is_empty() { "" } else { ": " }
                )));
            }
        };
        if answer.body.trim().is_empty() {
            return Ok(Vec::new());
        }
        if answer.looks_like_text() {
            return Err(self.api.failed(format!(
                "answer is not json: {}",
                text_excerpt(&answer.body)
            )));
        }
        parse_answer(self.endpoint, &answer.body, self.api.provider).map_err(|m| self.api.failed(m))
    }
}

/// Parses a Brave answer of `endpoint` into candidates from `provider`, or says why it is not
/// one.
pub(crate) fn parse_answer(
    endpoint: BraveEndpoint,
    body: &str,
    provider: &str,
) -> Result<Vec<Candidate>, String> {
    let items = match endpoint {
        BraveEndpoint::Web => {
            serde_json::from_str::<WebAnswer>(body).map(|a| a.web.unwrap_or_default().results)
        }
        BraveEndpoint::News => serde_json::from_str::<Results>(body).map(|a| a.results),
    }
    .map_err(|e| format!("answer is not valid json: {e}"))?;
    Ok(items
        .into_iter()
        .filter_map(|i| {
            let url = i.url.filter(|u| !u.trim().is_empty())?;
            Some(Candidate {
                url,
                title: strip_markup(&i.title.unwrap_or_default()),
                snippet: i
                    .description
                    .map(|d| strip_markup(&d))
                    .filter(|d| !d.is_empty()),
                published: i.page_age.or(i.age).filter(|a| !a.trim().is_empty()),
                provider: provider.to_string(),
            })
        })
        .collect())
}

/// Brave's `search_lang` code for a language hint: `zh-CN` is `zh-hans`, `zh-TW`/`zh-HK` are
/// `zh-hant`, others their primary subtag (`en`, `ja`); `all` sends none.
fn search_lang(language: &str) -> Option<&str> {
    let lower = language.trim().to_ascii_lowercase();
    match lower.as_str() {
        "" | "all" => None,
        "zh" | "zh-cn" | "zh-sg" | "zh-hans" => Some("zh-hans"),
        "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant" => Some("zh-hant"),
        _ => {
            let primary = language.trim().split(['-', '_']).next().unwrap_or("");
            (!primary.is_empty()).then_some(primary)
        }
    }
}

/// Brave marks query words with `<strong>`; titles and snippets are kept as plain text.
fn strip_markup(s: &str) -> String {
    s.replace("<strong>", "")
        .replace("</strong>", "")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

#[async_trait]
impl SearchProvider for Brave {
    fn name(&self) -> &str {
        self.api.provider
    }

    /// A phrase query is sent in double quotes. Domains become one `site:` request each (the
    /// first three), and results are filtered to the domains again.
    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
        let limit = query.effective_limit();
        let max = match self.endpoint {
            BraveEndpoint::Web => WEB_MAX_COUNT,
            BraveEndpoint::News => NEWS_MAX_COUNT,
        };
        let count = limit.clamp(1, max);
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
                .take(MAX_SITE_REQUESTS)
                .map(|d| format!("{text} site:{d}"))
                .collect()
        };
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for t in texts {
            for c in self.run(&t, count, language).await? {
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

    #[test]
    fn language_codes() {
        assert_eq!(search_lang("zh-CN"), Some("zh-hans"));
        assert_eq!(search_lang("zh-TW"), Some("zh-hant"));
        assert_eq!(search_lang("en"), Some("en"));
        assert_eq!(search_lang("en-GB"), Some("en"));
        assert_eq!(search_lang("all"), None);
    }

    #[test]
    fn markup_is_removed() {
        assert_eq!(
            strip_markup("<strong>Nvidia</strong> halts H20 &amp; more"),
            "Nvidia halts H20 & more"
        );
    }
}
