//! The HTTP edge: fetching a URL politely and safely, decoding its charset.
//!
//! Only this module (and search providers, through [`build_client`]) talks to the network. The
//! rest of the pipeline sees a [`Fetcher`]: a URL goes in, a decoded [`FetchedPage`] or a
//! [`FetchError`] comes out, so tests can pass fakes. [`HttpFetcher`] is the real one, built on
//! `reqwest` with bounded timeouts, transfer speed, body size, redirects and retries, and the
//! proxy rules curl users expect. Its parts, each small:
//!
//! - `guard`: the SSRF guard (private, loopback, metadata... destinations refused, on the
//!   resolved address and on every redirect);
//! - `limits`: per-host and global concurrency, per-host rate;
//! - `robots`: robots.txt rules per RFC 9309, fetched once per host;
//! - `cache`: the on-disk HTTP cache with revalidation;
//! - `policy`: the pure decisions (which status means "blocked", which content types are pages,
//!   how long to back off), testable without a server.

mod cache;
mod guard;
mod http;
mod limits;
mod policy;
mod robots;
#[cfg(test)]
mod tests;

pub use http::{build_client, build_service_client, HttpFetcher};

use async_trait::async_trait;
use std::path::PathBuf;
use std::time::Duration;

/// Default total timeout for one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on a response body, in bytes.
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;
/// Default number of redirects followed.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;
/// Default number of retries after a connection error, a 429 or a 500/502/503/504.
pub const DEFAULT_RETRIES: u32 = 2;
/// Default number of requests in flight to one host.
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
/// Default number of requests started per second on one host.
pub const DEFAULT_PER_HOST_RATE: f64 = 1.0;
/// Default number of requests in flight in total.
pub const DEFAULT_MAX_CONCURRENCY: usize = 32;
/// Default longest wait a `Retry-After` header can ask for.
pub const DEFAULT_RETRY_AFTER_CAP: Duration = Duration::from_secs(10);
/// Default slowest transfer accepted, in bytes per second, averaged over [`DEFAULT_MIN_SPEED_WINDOW`].
pub const DEFAULT_MIN_SPEED: u64 = 512;
/// Default window over which the transfer speed is measured.
pub const DEFAULT_MIN_SPEED_WINDOW: Duration = Duration::from_secs(10);
/// Default age below which a cached page is served without asking the server.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// Default contact URL named in the User-Agent.
pub const DEFAULT_CONTACT_URL: &str = "https://github.com/citecheck/citecheck";

/// The User-Agent citecheck sends: its name, version and a contact URL for site operators.
pub fn user_agent_with_contact(contact_url: &str) -> String {
    format!("citecheck/{} (+{contact_url})", env!("CARGO_PKG_VERSION"))
}

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
    /// Retries after a connection error, a 429 or a 500/502/503/504, with exponential backoff.
    pub retries: u32,
    /// Lift the SSRF guard: allow loopback, private, link-local and metadata destinations.
    pub allow_private: bool,
    /// Host names the SSRF guard lets through unchecked on every request: the proxies (all
    /// traffic goes to them). The `proxy` host is added automatically.
    pub trusted_hosts: Vec<String>,
    /// Host names of configured services (search engines, the Wayback endpoint) that the guard
    /// lets through for those services' own requests only ([`build_service_client`]), never for
    /// a cited page.
    pub service_hosts: Vec<String>,
    /// Requests in flight to one host (`host:port`) at once.
    pub per_host_concurrency: usize,
    /// Requests started per second on one host; 0 means no limit.
    pub per_host_rate: f64,
    /// Requests in flight in total.
    pub max_concurrency: usize,
    /// Honour robots.txt (RFC 9309).
    pub robots: bool,
    /// Longest wait honoured from a `Retry-After` header.
    pub retry_after_cap: Duration,
    /// Slowest body transfer accepted, in bytes per second over `min_speed_window`; 0 turns the
    /// check off. A slower body fails with [`FetchError::TooSlow`].
    pub min_speed: u64,
    pub min_speed_window: Duration,
    /// Folder of the on-disk HTTP cache; `None` means no cache.
    pub cache_dir: Option<PathBuf>,
    /// Age below which a cached page is served without a request.
    pub cache_ttl: Duration,
    /// Serve only cached pages; never make a request.
    pub offline: bool,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            user_agent: user_agent_with_contact(DEFAULT_CONTACT_URL),
            proxy: None,
            retries: DEFAULT_RETRIES,
            allow_private: false,
            trusted_hosts: Vec::new(),
            service_hosts: Vec::new(),
            per_host_concurrency: DEFAULT_PER_HOST_CONCURRENCY,
            per_host_rate: DEFAULT_PER_HOST_RATE,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            robots: true,
            retry_after_cap: DEFAULT_RETRY_AFTER_CAP,
            min_speed: DEFAULT_MIN_SPEED,
            min_speed_window: DEFAULT_MIN_SPEED_WINDOW,
            cache_dir: None,
            cache_ttl: DEFAULT_CACHE_TTL,
            offline: false,
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
    /// The response's `ETag`, if any (kept in stored snapshots and the HTTP cache).
    pub etag: Option<String>,
    /// The response's `Last-Modified`, if any.
    pub last_modified: Option<String>,
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
    /// The body stopped before its declared end (or its compressed stream was cut).
    #[error("{url}: truncated body: {message}")]
    Truncated { url: String, message: String },
    /// The body arrived slower than `min_speed` bytes per second over the window.
    #[error("{url}: transfer slower than {min_bytes_per_sec} bytes/s")]
    TooSlow { url: String, min_bytes_per_sec: u64 },
}

/// Anything that can turn a URL into an HTML page. Tests pass fakes.
#[async_trait]
pub trait Fetcher: Send + Sync {
    /// Fetches `url` and decodes the page; per-URL failures come back as [`FetchError`].
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError>;
}
