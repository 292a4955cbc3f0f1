//! The HTTP edge: fetching a URL politely and safely, decoding its charset.

use async_trait::async_trait;
use std::time::Duration;

/// Default total timeout for one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on a response body, in bytes.
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;
/// Default number of redirects followed.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

/// How the HTTP client behaves. Resolved once from config and flags.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchSettings {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_body: usize,
    pub max_redirects: usize,
    pub user_agent: String,
    /// Explicit proxy URL (`--proxy`); when `None`, the proxy environment variables apply.
    pub proxy: Option<String>,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            user_agent: format!(
                "citecheck/{} (+https://github.com/citecheck/citecheck)",
                env!("CARGO_PKG_VERSION")
            ),
            proxy: None,
        }
    }
}

/// A fetched and decoded HTML page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPage {
    /// The URL asked for.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The body decoded to text.
    pub html: String,
    pub encoding: String,
}

/// Why a fetch failed. Each variant carries the URL that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("{url}: invalid url: {message}")]
    InvalidUrl { url: String, message: String },
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: connection failed: {message}")]
    Connect { url: String, message: String },
    #[error("{url}: http status {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: blocked: {reason}")]
    Blocked { url: String, reason: String },
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: not an html page ({content_type})")]
    NotHtml { url: String, content_type: String },
    #[error("{url}: too many redirects")]
    TooManyRedirects { url: String },
    #[error("{url}: not in the offline corpus or cache")]
    Offline { url: String },
}

/// Anything that can turn a URL into an HTML page. Tests pass fakes.
#[async_trait]
pub trait Fetcher: Send + Sync {
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError>;
}
