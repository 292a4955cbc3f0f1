//! [`HttpFetcher`], the real [`Fetcher`], and [`build_client`], the one place a `reqwest` client
//! is configured.
//!
//! Everything that can make a run hang or balloon is bounded here: connect and total timeouts,
//! the body size (enforced while streaming, not after), the number of redirects (and loops), and
//! the number of retries.

use super::policy::{self, ContentKind};
use super::{FetchError, FetchSettings, FetchedPage, Fetcher};
use crate::charset;
use async_trait::async_trait;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, RETRY_AFTER};
use reqwest::redirect::Policy;
use reqwest::Response;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;
use url::Url;

const ACCEPT_VALUE: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5";
const ACCEPT_LANGUAGE_VALUE: &str = "zh-CN,zh;q=0.9,en;q=0.8";
/// How much of an error page is read to look for challenge markers.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Builds a `reqwest` client with the timeouts, user agent, `Accept` headers, redirect policy and
/// proxy of `settings`, so search providers talk to the network exactly as [`HttpFetcher`] does.
///
/// With `settings.proxy` set, every request goes through that proxy except hosts listed in
/// `NO_PROXY`/`no_proxy`. Without it, `reqwest` reads the environment as curl does: `HTTPS_PROXY`,
/// `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, upper or lower case (`HTTP_PROXY` is ignored when
/// running as a CGI script, where it could be set by a request header).
///
/// Fails with [`FetchError::InvalidUrl`] for a malformed proxy URL, and with
/// [`FetchError::Connect`] (URL `(http client)`) when the TLS backend can't be set up.
pub fn build_client(settings: &FetchSettings) -> Result<reqwest::Client, FetchError> {
    client_builder(settings)?.build().map_err(|error| {
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
        .redirect(redirect_policy(settings.max_redirects));
    if let Some(proxy) = &settings.proxy {
        let proxy_config = reqwest::Proxy::all(proxy.as_str())
            .map_err(|error| FetchError::InvalidUrl {
                url: proxy.clone(),
                message: format!("invalid proxy: {}", error_chain(&error)),
            })?
            .no_proxy(reqwest::NoProxy::from_env());
        builder = builder.proxy(proxy_config);
    }
    Ok(builder)
}

/// Fetches pages over HTTP(S) with `reqwest`: bounded, retried where it helps, charset-decoded.
#[derive(Debug, Clone)]
pub struct HttpFetcher {
    client: reqwest::Client,
    max_body: usize,
    retries: u32,
}

impl HttpFetcher {
    /// A fetcher with its own client built by [`build_client`].
    pub fn new(settings: &FetchSettings) -> Result<HttpFetcher, FetchError> {
        Ok(HttpFetcher::with_client(build_client(settings)?, settings))
    }

    /// A fetcher on an existing client (from [`build_client`]), sharing its connection pool;
    /// `settings` gives the body cap and retry count.
    pub fn with_client(client: reqwest::Client, settings: &FetchSettings) -> HttpFetcher {
        HttpFetcher {
            client,
            max_body: settings.max_body,
            retries: settings.retries,
        }
    }

    /// The underlying client, for callers that make their own requests (search providers).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// One request, without retries.
    async fn attempt(&self, url: &str, parsed: &Url) -> Outcome {
        let mut response = match self.client.get(parsed.clone()).send().await {
            Ok(response) => response,
            Err(error) => {
                let retry = error.is_connect() && !error.is_timeout();
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

        if !(200..300).contains(&status) {
            let retry_after = header_str(&response, RETRY_AFTER)
                .as_deref()
                .and_then(policy::parse_retry_after);
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
        let too_large = FetchError::TooLarge {
            url: url.to_owned(),
            limit: self.max_body,
        };
        if response
            .content_length()
            .is_some_and(|length| length > self.max_body as u64)
        {
            return Outcome::Done(Err(too_large));
        }
        let final_url = response.url().to_string();
        let body = match read_capped(&mut response, self.max_body).await {
            Ok((_, true)) => return Outcome::Done(Err(too_large)),
            Ok((body, false)) => body,
            Err(error) => return Outcome::Done(Err(map_error(url, &error))),
        };
        if kind == ContentKind::Unknown && !policy::sniff_html(&body) {
            return Outcome::Done(Err(FetchError::NotHtml {
                url: url.to_owned(),
                content_type: "none, and the body does not look like html".to_owned(),
            }));
        }
        let decoded = charset::decode(&body, content_type.as_deref());
        Outcome::Done(Ok(FetchedPage {
            url: url.to_owned(),
            final_url,
            status,
            content_type,
            html: decoded.text,
            encoding: decoded.encoding.to_owned(),
        }))
    }
}

#[async_trait]
impl Fetcher for HttpFetcher {
    /// Fetches `url`, retrying up to `settings.retries` times after a connection error, a 429 or
    /// a 502/503/504 (never after a 404 or a challenge page), waiting as `Retry-After` asks (at
    /// most 10 s) or with exponential backoff and jitter from 500 ms.
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError> {
        let parsed = parse_url(url)?;
        let mut retry = 0;
        loop {
            match self.attempt(url, &parsed).await {
                Outcome::Done(result) => return result,
                Outcome::Retry { error, retry_after } => {
                    if retry >= self.retries {
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
    Done(Result<FetchedPage, FetchError>),
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
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            body.extend_from_slice(&chunk[..limit - body.len()]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// Turns a `reqwest` error into a [`FetchError`] for `url`.
fn map_error(url: &str, error: &reqwest::Error) -> FetchError {
    let url = url.to_owned();
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

/// Follows at most `max` redirects and refuses loops and cross-host credentials. `reqwest`
/// itself drops `Authorization` and `Cookie` headers (which is where credentials in the
/// original URL go) on a redirect to another host or port.
fn redirect_policy(max: usize) -> Policy {
    Policy::custom(
        move |attempt| match check_redirect(attempt.url(), attempt.previous(), max) {
            Some(refusal) => attempt.error(refusal),
            None => attempt.follow(),
        },
    )
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
