//! [`HttpFetcher`], the real [`Fetcher`], and [`build_client`], the one place a `reqwest` client
//! is configured.
//!
//! Everything that can make a run hang or balloon is bounded here: connect and total timeouts,
//! a minimum transfer speed, the body size (counted on the decompressed stream while it
//! arrives, so a gzip bomb stops at the cap), the number of redirects (and loops), and the
//! number of retries. Before a request goes out the SSRF guard, the cache and robots.txt are
//! consulted, and the per-host limits are waited for.

use super::cache::{Cache, Entry};
use super::guard::{self, GuardRefusal, GuardedResolver};
use super::limits::{host_key, Limiter};
use super::policy::{self, ContentKind};
use super::robots::{self, RobotsCache};
use super::{FetchError, FetchSettings, FetchedPage, Fetcher};
use crate::charset;
use async_trait::async_trait;
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED, LOCATION, RETRY_AFTER,
};
use reqwest::redirect::Policy;
use reqwest::Response;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use url::Url;

const ACCEPT_VALUE: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5";
const ACCEPT_LANGUAGE_VALUE: &str = "zh-CN,zh;q=0.9,en;q=0.8";
/// How much of an error page is read to look for challenge markers.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Builds a `reqwest` client with the timeouts, user agent, `Accept` headers, redirect policy,
/// SSRF guard and proxy of `settings`, so search providers talk to the network exactly as
/// [`HttpFetcher`] does.
///
/// With `settings.proxy` set, every request goes through that proxy except hosts listed in
/// `NO_PROXY`/`no_proxy`. Without it, `reqwest` reads the environment as curl does: `HTTPS_PROXY`,
/// `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, upper or lower case (`HTTP_PROXY` is ignored when
/// running as a CGI script, where it could be set by a request header).
///
/// Unless `settings.allow_private`, names are resolved through the guard (private addresses
/// dropped, `settings.trusted_hosts` and the proxy host exempt) and redirects to blocked
/// destinations are refused. IP-literal URLs asked for directly are not checked by the client:
/// [`HttpFetcher`] checks them. This is the client of cited pages: a configured search or
/// archive host is not trusted here (see [`build_service_client`]).
///
/// Fails with [`FetchError::InvalidUrl`] for a malformed proxy URL, and with
/// [`FetchError::Connect`] (URL `(http client)`) when the TLS backend can't be set up.
pub fn build_client(settings: &FetchSettings) -> Result<reqwest::Client, FetchError> {
    finish(settings, client_builder(settings)?)
}

/// [`build_client`] for a configured service's own requests (search providers, the Wayback
/// endpoint): `settings.service_hosts` are trusted too. Cited pages never go through it.
pub fn build_service_client(settings: &FetchSettings) -> Result<reqwest::Client, FetchError> {
    let mut service = settings.clone();
    service
        .trusted_hosts
        .extend(settings.service_hosts.iter().cloned());
    finish(settings, client_builder(&service)?)
}

fn finish(
    settings: &FetchSettings,
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::Client, FetchError> {
    builder.build().map_err(|error| {
        match &settings.proxy {
            // Building fails on a proxy URL that parsed but can't be used.
            Some(proxy) => FetchError::InvalidUrl {
                url: proxy.clone(),
                message: format!("unusable proxy: {}", error_chain(&error)),
            },
            None => FetchError::Connect {
                url: "(http client)".to_owned(),
                message: error_chain(&error),
            },
        }
    })
}

/// The configuration of [`build_client`], before building; tests adjust it.
pub(super) fn client_builder(
    settings: &FetchSettings,
) -> Result<reqwest::ClientBuilder, FetchError> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_VALUE));
    headers.insert(
        ACCEPT_LANGUAGE,
        HeaderValue::from_static(ACCEPT_LANGUAGE_VALUE),
    );
    let mut builder = reqwest::Client::builder()
        .user_agent(settings.user_agent.clone())
        .default_headers(headers)
        .timeout(settings.timeout)
        .connect_timeout(settings.connect_timeout)
        .redirect(redirect_policy(
            settings.max_redirects,
            !settings.allow_private,
        ));
    let mut trusted = settings.trusted_hosts.clone();
    if let Some(proxy) = &settings.proxy {
        let proxy_config = reqwest::Proxy::all(proxy.as_str())
            .map_err(|error| FetchError::InvalidUrl {
                url: proxy.clone(),
                message: format!("invalid proxy: {}", error_chain(&error)),
            })?
            .no_proxy(reqwest::NoProxy::from_env());
        builder = builder.proxy(proxy_config);
        if let Some(host) = Url::parse(proxy)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
        {
            trusted.push(host);
        }
    }
    if !settings.allow_private {
        builder = builder.dns_resolver(Arc::new(GuardedResolver::new(trusted)));
    }
    Ok(builder)
}

/// Fetches pages over HTTP(S) with `reqwest`: guarded, polite, cached, bounded, retried where
/// it helps, charset-decoded. Clones share the limits, robots rules and cache.
#[derive(Debug, Clone)]
pub struct HttpFetcher {
    client: reqwest::Client,
    settings: Arc<FetchSettings>,
    limiter: Arc<Limiter>,
    robots: Arc<RobotsCache>,
    cache: Option<Cache>,
}

/// A successful request: a page with its validators, or "not modified" for a cached one.
enum Got {
    Page {
        page: FetchedPage,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// The cached entry still holds, with its time refreshed.
    NotModified(Entry),
}

impl HttpFetcher {
    /// A fetcher with its own client built by [`build_client`].
    pub fn new(settings: &FetchSettings) -> Result<HttpFetcher, FetchError> {
        Ok(HttpFetcher::with_client(build_client(settings)?, settings))
    }

    /// A fetcher on an existing client (from [`build_client`]), sharing its connection pool;
    /// `settings` gives the limits, caps, retries, robots and cache.
    pub fn with_client(client: reqwest::Client, settings: &FetchSettings) -> HttpFetcher {
        HttpFetcher {
            client,
            limiter: Arc::new(Limiter::new(
                settings.max_concurrency,
                settings.per_host_concurrency,
                settings.per_host_rate,
            )),
            robots: Arc::new(RobotsCache::default()),
            cache: settings.cache_dir.as_deref().map(Cache::new),
            settings: Arc::new(settings.clone()),
        }
    }

    /// The underlying client, for callers that make their own requests (search providers).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// `Err(Blocked)` when robots.txt of `parsed`'s origin disallows it. The rules are fetched
    /// once per origin, under the same limits as pages.
    async fn check_robots(&self, url: &str, parsed: &Url) -> Result<(), FetchError> {
        let origin = parsed.origin().ascii_serialization();
        let cell = self.robots.cell(&origin);
        let rules = cell
            .get_or_init(|| async {
                let robots_url = format!("{origin}/robots.txt");
                let _permit = self.limiter.acquire_for_robots(&host_key(parsed)).await;
                let answer = async {
                    let mut response = self
                        .client
                        .get(&robots_url)
                        .send()
                        .await
                        .map_err(|error| map_error(&robots_url, &error))?;
                    let status = response.status().as_u16();
                    let body = read_capped(&mut response, robots::ROBOTS_MAX_BYTES)
                        .await
                        .map(|(body, _)| body)
                        .unwrap_or_default();
                    Ok((status, body))
                }
                .await;
                tracing::debug!(%robots_url, status = ?answer.as_ref().map(|a| a.0), "robots.txt");
                robots::rules_from(
                    answer
                        .as_ref()
                        .map(|(status, body)| (*status, body.as_slice()))
                        .map_err(Clone::clone),
                )
            })
            .await;
        rules
            .check(parsed.as_str())
            .map_err(|refusal| match refusal {
                robots::Refusal::Disallowed(reason) => FetchError::Blocked {
                    url: url.to_owned(),
                    reason,
                },
                // The host did not answer for robots.txt: the page is as unreachable as it was.
                robots::Refusal::Unreachable(FetchError::Timeout { .. }) => FetchError::Timeout {
                    url: url.to_owned(),
                },
                robots::Refusal::Unreachable(FetchError::Blocked { reason, .. }) => {
                    FetchError::Blocked {
                        url: url.to_owned(),
                        reason,
                    }
                }
                robots::Refusal::Unreachable(error) => FetchError::Connect {
                    url: url.to_owned(),
                    message: format!("robots.txt unreachable: {error}"),
                },
            })
    }

    /// One request, without retries; `cached` gives validators for a conditional request.
    async fn attempt(&self, url: &str, parsed: &Url, cached: Option<&Entry>) -> Outcome {
        let mut request = self.client.get(parsed.clone());
        if let Some(entry) = cached {
            if let Some(etag) = &entry.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(date) = &entry.last_modified {
                request = request.header(IF_MODIFIED_SINCE, date);
            }
        }
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(error) => {
                let retry = error.is_connect()
                    && !error.is_timeout()
                    && find_source::<GuardRefusal>(&error).is_none();
                let error = map_error(url, &error);
                return if retry {
                    Outcome::Retry {
                        error,
                        retry_after: None,
                    }
                } else {
                    Outcome::Done(Err(error))
                };
            }
        };
        let status = response.status().as_u16();
        let content_type = header_str(&response, CONTENT_TYPE);
        if let (304, Some(entry)) = (status, cached) {
            let mut entry = entry.clone();
            entry.touch(SystemTime::now());
            return Outcome::Done(Ok(Got::NotModified(entry)));
        }

        if (300..400).contains(&status) {
            // `reqwest` follows every http(s) redirect, so one left here points elsewhere.
            if let Some(location) = header_str(&response, LOCATION) {
                return Outcome::Done(Err(FetchError::InvalidUrl {
                    url: url.to_owned(),
                    message: format!("redirect to an unsupported location {location}"),
                }));
            }
        }
        if !(200..300).contains(&status) {
            let retry_after = header_str(&response, RETRY_AFTER).as_deref().and_then(|v| {
                policy::parse_retry_after(v, SystemTime::now(), self.settings.retry_after_cap)
            });
            // The body only serves to spot a challenge page, so a cut or failed read is fine.
            let body = match read_capped(&mut response, ERROR_BODY_LIMIT).await {
                Ok((body, _)) => body,
                Err(_) => Vec::new(),
            };
            let text = charset::decode(&body, content_type.as_deref()).text;
            let error = policy::status_error(url, status, &text);
            return if policy::retryable_status(status, &error) {
                Outcome::Retry { error, retry_after }
            } else {
                Outcome::Done(Err(error))
            };
        }

        let kind = policy::content_kind(content_type.as_deref());
        if kind == ContentKind::Other {
            return Outcome::Done(Err(FetchError::NotHtml {
                url: url.to_owned(),
                content_type: content_type.unwrap_or_default(),
            }));
        }
        let max_body = self.settings.max_body;
        let too_large = FetchError::TooLarge {
            url: url.to_owned(),
            limit: max_body,
        };
        if response
            .content_length()
            .is_some_and(|length| length > max_body as u64)
        {
            return Outcome::Done(Err(too_large));
        }
        let final_url = response.url().to_string();
        let etag = header_str(&response, ETAG);
        let last_modified = header_str(&response, LAST_MODIFIED);
        let speed = (self.settings.min_speed > 0)
            .then_some((self.settings.min_speed, self.settings.min_speed_window));
        let body = match read_body(&mut response, max_body, speed).await {
            Ok((_, true)) => return Outcome::Done(Err(too_large)),
            Ok((body, false)) => body,
            Err(BodyError::TooSlow) => {
                return Outcome::Done(Err(FetchError::TooSlow {
                    url: url.to_owned(),
                    min_bytes_per_sec: self.settings.min_speed,
                }))
            }
            Err(BodyError::Http(error)) => return Outcome::Done(Err(map_body_error(url, &error))),
        };
        if charset::looks_binary(&body) {
            return Outcome::Done(Err(FetchError::NotHtml {
                url: url.to_owned(),
                content_type: format!(
                    "{}, but the body is binary",
                    content_type.as_deref().unwrap_or("no content type")
                ),
            }));
        }
        if kind == ContentKind::Unknown && !policy::sniff_html(&body) {
            return Outcome::Done(Err(FetchError::NotHtml {
                url: url.to_owned(),
                content_type: "none, and the body does not look like html".to_owned(),
            }));
        }
        let decoded = charset::decode(&body, content_type.as_deref());
        Outcome::Done(Ok(Got::Page {
            page: FetchedPage {
                url: url.to_owned(),
                final_url,
                status,
                content_type,
                html: decoded.text,
                encoding: decoded.encoding.to_owned(),
                etag: etag.clone(),
                last_modified: last_modified.clone(),
            },
            etag,
            last_modified,
        }))
    }
}

#[async_trait]
impl Fetcher for HttpFetcher {
    /// Fetches `url`: refuses it when the SSRF guard or robots.txt says so
    /// ([`FetchError::Blocked`]); serves a fresh cached copy (or, offline, any cached copy);
    /// waits for the per-host and global limits; then requests it, retrying up to
    /// `settings.retries` times after a connection error, a 429 or a 500/502/503/504 (never after a
    /// 404 or a challenge page), waiting as `Retry-After` asks (capped) or with exponential
    /// backoff and jitter from 500 ms. Only successes are cached.
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError> {
        let parsed = parse_url(url)?;
        if !self.settings.allow_private {
            if let Some(reason) = guard::blocked_url(&parsed) {
                return Err(FetchError::Blocked {
                    url: url.to_owned(),
                    reason: GuardRefusal { reason }.to_string(),
                });
            }
        }
        let cached = match &self.cache {
            Some(cache) => cache.load(url).await,
            None => None,
        };
        if let Some(entry) = &cached {
            if self.settings.offline || entry.is_fresh(self.settings.cache_ttl, SystemTime::now()) {
                return Ok(entry.page());
            }
        }
        if self.settings.offline {
            return Err(FetchError::Offline {
                url: url.to_owned(),
            });
        }
        if self.settings.robots {
            self.check_robots(url, &parsed).await?;
        }
        let key = host_key(&parsed);
        let mut retry = 0;
        loop {
            let permit = self.limiter.acquire(&key).await;
            let outcome = self.attempt(url, &parsed, cached.as_ref()).await;
            drop(permit);
            match outcome {
                Outcome::Done(Ok(got)) => {
                    let (page, entry) = match got {
                        Got::NotModified(entry) => (entry.page(), entry),
                        Got::Page {
                            page,
                            etag,
                            last_modified,
                        } => {
                            let entry = Entry::new(&page, etag, last_modified, SystemTime::now());
                            (page, entry)
                        }
                    };
                    if let Some(cache) = &self.cache {
                        cache.store(&entry).await;
                    }
                    return Ok(page);
                }
                Outcome::Done(Err(error)) => return Err(error),
                Outcome::Retry { error, retry_after } => {
                    if retry >= self.settings.retries {
                        return Err(error);
                    }
                    let wait = policy::backoff(retry, retry_after, policy::jitter());
                    tracing::debug!(url, %error, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                    retry += 1;
                }
            }
        }
    }
}

/// What one request came to: a final answer, or an error worth another try.
enum Outcome {
    Done(Result<Got, FetchError>),
    Retry {
        error: FetchError,
        retry_after: Option<Duration>,
    },
}

fn parse_url(url: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(url).map_err(|error| FetchError::InvalidUrl {
        url: url.to_owned(),
        message: policy::tidy_message(&error.to_string()),
    })?;
    match parsed.scheme() {
        "http" | "https" => Ok(parsed),
        scheme => Err(FetchError::InvalidUrl {
            url: url.to_owned(),
            message: format!("unsupported scheme {scheme}"),
        }),
    }
}

fn header_str(response: &Response, name: reqwest::header::HeaderName) -> Option<String> {
    let value = response.headers().get(name)?;
    Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// Reads the body chunk by chunk, stopping once it passes `limit` bytes; the flag says whether
/// it did (the bytes returned are then the first `limit`).
async fn read_capped(
    response: &mut Response,
    limit: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    match read_body(response, limit, None).await {
        Ok(read) => Ok(read),
        Err(BodyError::Http(error)) => Err(error),
        Err(BodyError::TooSlow) => unreachable!("no speed check without a minimum speed"),
    }
}

/// Why reading a body stopped early.
enum BodyError {
    Http(reqwest::Error),
    TooSlow,
}

/// Reads the (decompressed) body chunk by chunk, stopping once it passes `limit` bytes (the
/// flag says so; the bytes returned are then the first `limit`). With `speed` = (bytes per
/// second, window), fails when a window passes with fewer than its share of bytes, including a
/// window in which nothing arrives at all (a stalled connection).
async fn read_body(
    response: &mut Response,
    limit: usize,
    speed: Option<(u64, Duration)>,
) -> Result<(Vec<u8>, bool), BodyError> {
    let mut body = Vec::new();
    let mut window_start = Instant::now();
    let mut window_bytes: u64 = 0;
    loop {
        let next = match speed {
            Some((_, window)) => tokio::time::timeout_at(window_start + window, response.chunk())
                .await
                .ok(),
            None => Some(response.chunk().await),
        };
        let chunk = match next {
            Some(Ok(Some(chunk))) => Some(chunk),
            Some(Ok(None)) => return Ok((body, false)),
            Some(Err(error)) => return Err(BodyError::Http(error)),
            None => None,
        };
        if let Some(chunk) = &chunk {
            if body.len() + chunk.len() > limit {
                body.extend_from_slice(&chunk[..limit - body.len()]);
                return Ok((body, true));
            }
            body.extend_from_slice(chunk);
            window_bytes += chunk.len() as u64;
        }
        if let Some((min, window)) = speed {
            let elapsed = window_start.elapsed();
            if elapsed >= window {
                if (window_bytes as f64) < min as f64 * elapsed.as_secs_f64() {
                    return Err(BodyError::TooSlow);
                }
                window_start = Instant::now();
                window_bytes = 0;
            }
        }
    }
}

/// Turns an error while reading a body into a [`FetchError`]: a cut stream is
/// [`FetchError::Truncated`], never half a page.
fn map_body_error(url: &str, error: &reqwest::Error) -> FetchError {
    if error.is_timeout() {
        return FetchError::Timeout {
            url: url.to_owned(),
        };
    }
    if error.is_body() || error.is_decode() {
        return FetchError::Truncated {
            url: url.to_owned(),
            message: error_chain(error),
        };
    }
    map_error(url, error)
}

/// Turns a `reqwest` error into a [`FetchError`] for `url`.
fn map_error(url: &str, error: &reqwest::Error) -> FetchError {
    let url = url.to_owned();
    if let Some(refusal) = find_source::<GuardRefusal>(error) {
        return FetchError::Blocked {
            url,
            reason: refusal.to_string(),
        };
    }
    if let Some(refusal) = find_source::<RedirectRefusal>(error) {
        return match refusal {
            RedirectRefusal::TooMany | RedirectRefusal::Loop => {
                FetchError::TooManyRedirects { url }
            }
            RedirectRefusal::Credentials => FetchError::InvalidUrl {
                url,
                message: refusal.to_string(),
            },
        };
    }
    if error.is_timeout() {
        return FetchError::Timeout { url };
    }
    if error.is_builder() || error.is_redirect() {
        // A redirect error that isn't ours is a bad `Location` (unparsable or not http).
        return FetchError::InvalidUrl {
            url,
            message: error_chain(error),
        };
    }
    FetchError::Connect {
        url,
        message: error_chain(error),
    }
}

/// The causes of `error` joined with `: `, lowercase, without trailing periods. The top-level
/// `reqwest` message ("error sending request for url (...)") repeats the URL the caller already
/// has, so it is used only when there is no cause.
fn error_chain(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = error.source();
    while let Some(cause) = source {
        let part = policy::tidy_message(&cause.to_string());
        if !part.is_empty() && parts.last() != Some(&part) {
            parts.push(part);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        let mut error = error.to_string();
        if let Some(start) = error.find(" for url (") {
            error.truncate(start);
        }
        parts.push(policy::tidy_message(&error));
    }
    parts.join(": ")
}

fn find_source<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(cause) = current {
        if let Some(found) = cause.downcast_ref::<T>() {
            return Some(found);
        }
        // An `io::Error` wrapping a custom error reports the inner error's source, skipping the
        // inner error itself; look at it directly.
        if let Some(found) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<T>())
        {
            return Some(found);
        }
        current = cause.source();
    }
    None
}

/// Why the redirect policy refused to follow a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RedirectRefusal {
    /// More than `max_redirects` redirects.
    TooMany,
    /// A URL already visited in this chain.
    Loop,
    /// A `Location` carrying a user name or password to a different host than the one that sent
    /// it.
    Credentials,
}

impl fmt::Display for RedirectRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RedirectRefusal::TooMany => "too many redirects",
            RedirectRefusal::Loop => "redirect loop",
            RedirectRefusal::Credentials => "redirect would send credentials to another host",
        })
    }
}

impl StdError for RedirectRefusal {}

/// Follows at most `max` redirects and refuses loops and cross-host credentials, and, when
/// `guarded`, destinations the SSRF guard refuses (IP literals and internal names; names are
/// checked again on their addresses by the resolver). `reqwest` itself drops `Authorization`
/// and `Cookie` headers (which is where credentials in the original URL go) on a redirect to
/// another host or port.
fn redirect_policy(max: usize, guarded: bool) -> Policy {
    Policy::custom(move |attempt| {
        if let Some(refusal) = check_redirect(attempt.url(), attempt.previous(), max) {
            return attempt.error(refusal);
        }
        if guarded {
            if let Some(reason) = guard::blocked_url(attempt.url()) {
                let reason = format!("redirect to {}: {reason}", attempt.url());
                return attempt.error(GuardRefusal { reason });
            }
        }
        attempt.follow()
    })
}

/// Whether to refuse a redirect to `next`, given the URLs `previous`ly visited in this chain
/// (the original request first, the one that answered with this redirect last).
fn check_redirect(next: &Url, previous: &[Url], max: usize) -> Option<RedirectRefusal> {
    let without_fragment = |url: &Url| {
        let mut url = url.clone();
        url.set_fragment(None);
        url
    };
    let next_plain = without_fragment(next);
    if previous
        .iter()
        .any(|url| without_fragment(url) == next_plain)
    {
        return Some(RedirectRefusal::Loop);
    }
    if previous.len() > max {
        return Some(RedirectRefusal::TooMany);
    }
    let has_credentials = !next.username().is_empty() || next.password().is_some();
    let cross_host = previous.last().is_some_and(|from| {
        from.host_str() != next.host_str()
            || from.port_or_known_default() != next.port_or_known_default()
    });
    if has_credentials && cross_host {
        return Some(RedirectRefusal::Credentials);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(list: &[&str]) -> Vec<Url> {
        list.iter().map(|u| Url::parse(u).unwrap()).collect()
    }

    fn check(next: &str, previous: &[&str], max: usize, expected: Option<RedirectRefusal>) {
        let next = Url::parse(next).unwrap();
        assert_eq!(check_redirect(&next, &urls(previous), max), expected);
    }

    #[test]
    fn redirects() {
        check("http://a.test/2", &["http://a.test/1"], 10, None);
        check("https://b.test/", &["http://a.test/1"], 1, None);
        check(
            "http://a.test/3",
            &["http://a.test/1", "http://a.test/2"],
            1,
            Some(RedirectRefusal::TooMany),
        );
        check(
            "http://a.test/1#top",
            &["http://a.test/1", "http://a.test/2"],
            10,
            Some(RedirectRefusal::Loop),
        );
        check(
            "http://user:pw@b.test/",
            &["http://a.test/1"],
            10,
            Some(RedirectRefusal::Credentials),
        );
        check("http://user:pw@a.test/2", &["http://a.test/1"], 10, None);
        check(
            "http://user@a.test:8080/",
            &["http://a.test/1"],
            10,
            Some(RedirectRefusal::Credentials),
        );
    }

    #[test]
    fn url_parsing() {
        assert!(parse_url("https://example.test/a?b=c").is_ok());
        assert_eq!(
            parse_url("ftp://example.test/").unwrap_err().to_string(),
            "ftp://example.test/: invalid url: unsupported scheme ftp"
        );
        assert_eq!(
            parse_url("not a url").unwrap_err().to_string(),
            "not a url: invalid url: relative url without a base"
        );
    }

    #[test]
    fn bad_proxy_is_invalid_url() {
        let settings = FetchSettings {
            proxy: Some("http://[::1".to_owned()),
            ..FetchSettings::default()
        };
        let error = build_client(&settings).unwrap_err();
        assert!(
            matches!(&error, FetchError::InvalidUrl { url, .. } if url == "http://[::1"),
            "{error:?}"
        );
    }
}
