//! Finding candidate pages for a citation: the `SearchProvider` trait and its providers.
//!
//! Providers are interchangeable: [`Corpus`] searches saved pages offline (HTML files and WARC
//! files, with an index cached on disk), [`Searxng`] asks a SearXNG instance, [`Brave`] the
//! Brave Search API, [`Gdelt`] GDELT DOC 2.0, [`Wayback`] the Internet Archive's CDX listings
//! (and gives dead URLs their archived copy). [`FactCheckTools`] finds existing fact-checks,
//! which are reported, never used as sources. The HTTP APIs share one transport (`api`) that
//! handles rate limits without storms. `resolve` runs providers in order and decides which
//! candidate is the cited page.

pub(crate) mod api;
pub mod brave;
pub mod corpus;
pub mod corpus_cache;
pub mod factcheck;
pub mod gdelt;
pub mod searxng;
pub mod warc;
pub mod wayback;

pub use brave::{Brave, BraveEndpoint};
pub use corpus::{Corpus, CorpusError, CorpusPage};
pub use corpus_cache::CacheStats;
pub use factcheck::FactCheckTools;
pub use gdelt::Gdelt;
pub use searxng::Searxng;
pub use wayback::{Snapshot, Wayback};

use crate::model::Candidate;
use async_trait::async_trait;

/// An API key: compared and cloned like a string, but its `Debug` output hides it, so settings
/// can be logged.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ApiKey(pub String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "ApiKey(<empty>)"
        } else {
            "ApiKey(<redacted>)"
        })
    }
}

/// Results asked for when a query's `limit` is 0.
pub const DEFAULT_LIMIT: usize = 10;

/// One query to a provider.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// The words to search for.
    pub text: String,
    /// Restrict results to these domains (and their subdomains), when not empty.
    pub domains: Vec<String>,
    /// Language hint such as `zh-CN` or `en`.
    pub language: Option<String>,
    /// At most this many results (0 means [`DEFAULT_LIMIT`]).
    pub limit: usize,
    /// Search `text` as one exact phrase where the engine supports it (a cited headline).
    pub phrase: bool,
    /// The cited date as `YYYY-MM-DD`, for engines that can search a time window around it.
    pub around: Option<String>,
}

impl SearchQuery {
    /// The number of results to return: `limit`, or [`DEFAULT_LIMIT`] when it is 0.
    pub fn effective_limit(&self) -> usize {
        if self.limit == 0 {
            DEFAULT_LIMIT
        } else {
            self.limit
        }
    }
}

/// Why a search failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    #[error("{provider}: {message}")]
    Failed { provider: String, message: String },
    /// The API answered 429 (or the provider is still cooling down from one).
    #[error("{provider}: rate limited (http 429){}", retry_after.map(|d| format!(", retry after {}s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        provider: String,
        retry_after: Option<std::time::Duration>,
    },
}

/// A search engine or index that returns candidate pages for a query.
#[async_trait]
pub trait SearchProvider: Send + Sync {
    /// Short name shown in reports (`corpus`, `searxng`).
    fn name(&self) -> &str;
    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError>;
}

/// A key under which two spellings of the same page URL compare equal: the scheme (http or
/// https), a leading `www.`, a trailing slash, the fragment and tracking parameters (`utm_*`,
/// `fbclid`, `spm`, …) are ignored; the host is lower case. Other schemes keep their scheme. Unparseable input is trimmed and lower-cased.
pub fn normalize_url(url: &str) -> String {
    let trimmed = url.trim();
    let Ok(parsed) = url::Url::parse(trimmed) else {
        let no_fragment = trimmed.split('#').next().unwrap_or(trimmed);
        return no_fragment.trim_end_matches('/').to_lowercase();
    };
    let path = parsed.path().trim_end_matches('/');
    // Tracking parameters say nothing about which page it is.
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let query = if parsed.query().is_none() {
        String::new()
    } else if kept.len() == parsed.query_pairs().count() {
        format!("?{}", parsed.query().unwrap_or(""))
    } else if kept.is_empty() {
        String::new()
    } else {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.extend_pairs(&kept);
        format!("?{}", q.finish())
    };
    match parsed.scheme() {
        "http" | "https" => {
            let host = parsed.host_str().unwrap_or("");
            let host = host.strip_prefix("www.").unwrap_or(host);
            let port = parsed
                .port()
                .filter(|p| *p != 80 && *p != 443)
                .map(|p| format!(":{p}"))
                .unwrap_or_default();
            format!("{host}{port}{path}{query}")
        }
        scheme => {
            let host = parsed.host_str().unwrap_or("");
            format!("{scheme}://{host}{path}{query}")
        }
    }
}

/// Query parameters that only track a visit (`utm_source`, `fbclid`, …).
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_")
        || matches!(
            n.as_str(),
            "fbclid" | "gclid" | "dclid" | "msclkid" | "mc_cid" | "mc_eid" | "spm" | "share_token"
        )
}

/// The lower-case host of `url`, if it has one.
pub fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url.trim())
        .ok()?
        .host_str()
        .map(|h| h.trim_end_matches('.').to_lowercase())
}

/// Whether `host` is `domain` or one of its subdomains.
pub fn host_in_domain(host: &str, domain: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.strip_prefix("www.").unwrap_or(&domain);
    if domain.is_empty() {
        return false;
    }
    host == domain
        || (host.len() > domain.len()
            && host.ends_with(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

/// Whether `url`'s host lies in one of `domains`.
pub fn matches_domains(url: &str, domains: &[String]) -> bool {
    host_of(url).is_some_and(|h| domains.iter().any(|d| host_in_domain(&h, d)))
}

/// For the fuzz targets and their regression test only: parses `body` (served with
/// `content_type`) as the answer of provider `which` (modulo 7: SearXNG, GDELT, Brave web,
/// Brave news, the Wayback CDX, Fact Check Tools, the Wayback availability answer `recheck`
/// reads) and gives the URLs of the results it holds, or why it is not such an answer.
#[doc(hidden)]
pub fn parse_provider_answer(
    which: u8,
    body: &str,
    content_type: Option<&str>,
) -> Result<Vec<String>, String> {
    let urls = |c: Vec<Candidate>| c.into_iter().map(|c| c.url).collect();
    match which % 7 {
        0 => searxng::parse_results(body, content_type).map(urls),
        1 => gdelt::parse_answer(body, content_type).map(urls),
        2 => brave::parse_answer(brave::BraveEndpoint::Web, body, "brave").map(urls),
        3 => brave::parse_answer(brave::BraveEndpoint::News, body, "brave").map(urls),
        4 => wayback::parse_cdx(body, "http://archive.test")
            .map(|s| s.into_iter().map(|s| s.archive_url).collect()),
        5 => factcheck::parse_answer(body).map(|f| f.into_iter().map(|f| f.url).collect()),
        _ => {
            let value: serde_json::Value =
                serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
            Ok(crate::recheck::wayback::parse(&value)
                .map(|a| vec![a.url])
                .unwrap_or_default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: &str, b: &str) {
        assert_eq!(normalize_url(a), normalize_url(b), "{a} vs {b}");
    }

    #[test]
    fn normalised_urls_ignore_scheme_www_slash_fragment() {
        check("https://www.Example.com/a/", "http://example.com/a");
        check("https://example.com/a#x", "https://example.com/a");
        check("https://example.com/", "https://example.com");
        check("https://example.com:443/a", "http://example.com/a");
        assert_ne!(
            normalize_url("https://example.com/a?id=1"),
            normalize_url("https://example.com/a?id=2")
        );
        check(
            "https://example.com/a?utm_source=x&utm_medium=y",
            "https://example.com/a",
        );
        check(
            "https://example.com/a?id=1&fbclid=abc",
            "https://example.com/a?id=1",
        );
        check(
            "https://example.com/a?b=%20c",
            "https://example.com/a?b=%20c",
        );
        assert_ne!(
            normalize_url("file:///a.html"),
            normalize_url("https://a.html")
        );
    }

    #[test]
    fn domains_match_host_and_subdomains() {
        assert!(host_in_domain("finance.sina.com.cn", "sina.com.cn"));
        assert!(host_in_domain("sina.com.cn", "sina.com.cn"));
        assert!(host_in_domain("www.reuters.com", "www.reuters.com"));
        assert!(host_in_domain("reuters.com", "www.reuters.com"));
        assert!(!host_in_domain("notsina.com.cn", "sina.com.cn"));
        assert!(!host_in_domain("sina.com.cn.evil.com", "sina.com.cn"));
        assert!(matches_domains(
            "https://news.163.com/x",
            &["163.com".to_string()]
        ));
        assert!(!matches_domains("not a url", &["163.com".to_string()]));
    }
}
