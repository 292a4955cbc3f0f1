//! The HTTP edge: fetching a URL politely and safely, decoding its charset.
//!
//! Only this module (and search providers, through [`build_client`]) talks to the network. The
//! rest of the pipeline sees a [`Fetcher`]: a URL goes in, a decoded [`FetchedPage`] or a
//! [`FetchError`] comes out, so tests can pass fakes. [`HttpFetcher`] is the real one, built on
//! `reqwest` with bounded timeouts, body size, redirects and retries, and the proxy rules curl
//! users expect. The pure decisions it makes (which status means "blocked", which content types
//! are pages, how long to back off) live in `policy` so they can be tested without a server.

mod http;
mod policy;
#[cfg(test)]
mod tests;

pub use http::{build_client, HttpFetcher};

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
/// Default number of retries after a connection error, a 429 or a 502/503/504.
pub const DEFAULT_RETRIES: u32 = 2;

/// How the HTTP client behaves. Resolved once from config and flags.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchSettings {
    /// Total time for one request, from connecting to the last byte of the body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Largest body accepted, in bytes; a longer one fails with [`FetchError::TooLarge`].
    pub max_body: usize,
    /// Redirects followed before [`FetchError::TooManyRedirects`].
    pub max_redirects: usize,
    pub user_agent: String,
    /// Explicit proxy URL (`--proxy`, `http://`, `https://`, `socks5://` or `socks5h://`); when
    /// `None`, the proxy environment variables apply (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
    /// `NO_PROXY`, upper or lower case, as curl reads them). `NO_PROXY` applies in both cases.
    pub proxy: Option<String>,
    /// Retries after a connection error, a 429 or a 502/503/504, with exponential backoff.
    pub retries: u32,
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
            retries: DEFAULT_RETRIES,
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
    /// Fetches `url` and decodes the page; per-URL failures come back as [`FetchError`].
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError>;
}
