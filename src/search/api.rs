//! The HTTP side shared by the JSON search APIs (Brave, GDELT, Wayback, Fact Check Tools).
//!
//! Every API answers errors its own way, but the transport rules are the same: a 429 with a
//! short `Retry-After` is waited out once in place; a longer one (or a second 429) puts the
//! provider in a cool-down during which it fails fast without sending anything, so a run never
//! produces a 429 storm; 502/503/504 are retried once; bodies are capped; and an error message
//! never carries the request URL, because some APIs take their key as a query parameter.

use super::SearchError;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// Longest `Retry-After` waited out in place before giving up on the request.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(2);
/// Cool-down after a 429 that names no delay.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(60);
/// Longest cool-down honoured, whatever the server asks for.
pub const MAX_COOLDOWN: Duration = Duration::from_secs(3600);
/// Largest answer read from a search API, in bytes.
pub const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;
/// Pause before the one retry after a 502/503/504.
const RETRY_PAUSE: Duration = Duration::from_millis(200);

/// A successful (2xx) answer.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub content_type: Option<String>,
    pub body: String,
}

impl Answer {
    /// Whether the body is HTML or plain text rather than JSON. Decided by the body, not the
    /// declared type: some APIs label JSON `text/plain` or `text/html`.
    pub fn looks_like_text(&self) -> bool {
        let start = self.body.trim_start_matches('\u{feff}').trim_start();
        !start.is_empty() && !start.starts_with('{') && !start.starts_with('[')
    }
}

/// A non-2xx answer that is not a rate limit.
#[derive(Debug, Clone)]
pub(crate) struct Refusal {
    pub status: u16,
    pub body: String,
}

/// The transport of one provider: its name, a client and its rate-limit state.
#[derive(Debug)]
pub(crate) struct Api {
    pub provider: &'static str,
    pub client: reqwest::Client,
    pub max_wait: Duration,
    cooldown_until: Mutex<Option<Instant>>,
}

impl Api {
    pub fn new(provider: &'static str, client: reqwest::Client) -> Api {
        Api {
            provider,
            client,
            max_wait: DEFAULT_MAX_WAIT,
            cooldown_until: Mutex::new(None),
        }
    }

    pub fn failed(&self, message: impl Into<String>) -> SearchError {
        SearchError::Failed {
            provider: self.provider.to_string(),
            message: message.into(),
        }
    }

    /// Time left in the cool-down, if one is running.
    fn cooling(&self) -> Option<Duration> {
        let guard = self.cooldown_until.lock().expect("cool-down lock");
        let until = (*guard)?;
        until.checked_duration_since(Instant::now())
    }

    fn start_cooldown(&self, wait: Duration) {
        let mut guard = self.cooldown_until.lock().expect("cool-down lock");
        *guard = Some(Instant::now() + wait.min(MAX_COOLDOWN));
    }

    /// GETs `url` with `headers`. 2xx is `Ok(Ok(answer))`; another status that is not a rate
    /// limit is `Ok(Err(refusal))` so the provider can read its error body; rate limits,
    /// transport failures and oversized bodies are `Err`.
    pub async fn get(
        &self,
        url: url::Url,
        headers: &[(&str, &str)],
    ) -> Result<Result<Answer, Refusal>, SearchError> {
        if let Some(left) = self.cooling() {
            return Err(SearchError::RateLimited {
                provider: self.provider.to_string(),
                retry_after: Some(left),
            });
        }
        let mut waited_429 = false;
        let mut retried_5xx = false;
        loop {
            let mut request = self
                .client
                .get(url.clone())
                .header(reqwest::header::ACCEPT, "application/json");
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let response = request.send().await.map_err(|e| {
                if e.is_timeout() {
                    self.failed("request timed out")
                } else {
                    self.failed(format!("request failed: {}", error_chain(&e.without_url())))
                }
            })?;
            let status = response.status().as_u16();
            if status == 429 {
                let wait = retry_after(response.headers(), SystemTime::now());
                match wait {
                    Some(w) if !waited_429 && w <= self.max_wait => {
                        waited_429 = true;
                        tokio::time::sleep(w).await;
                        continue;
                    }
                    _ => {
                        self.start_cooldown(wait.unwrap_or(DEFAULT_COOLDOWN));
                        return Err(SearchError::RateLimited {
                            provider: self.provider.to_string(),
                            retry_after: wait,
                        });
                    }
                }
            }
            if matches!(status, 502..=504) && !retried_5xx {
                retried_5xx = true;
                tokio::time::sleep(RETRY_PAUSE).await;
                continue;
            }
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = read_capped(response).await.map_err(|m| self.failed(m))?;
            return Ok(if (200..300).contains(&status) {
                Ok(Answer { content_type, body })
            } else {
                Err(Refusal { status, body })
            });
        }
    }
}

/// Reads a body up to [`MAX_ANSWER_BYTES`], decoding it as UTF-8 (lossily).
async fn read_capped(mut response: reqwest::Response) -> Result<String, String> {
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(format!("answer larger than {MAX_ANSWER_BYTES} bytes"));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => {
                return Err(format!(
                    "reading the answer failed: {}",
                    error_chain(&e.without_url())
                ))
            }
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The delay a 429 asks for: `Retry-After` in seconds or as an HTTP date, else the first
/// value of `X-RateLimit-Reset` (seconds until the window resets, as Brave sends it).
pub(crate) fn retry_after(
    headers: &reqwest::header::HeaderMap,
    now: SystemTime,
) -> Option<Duration> {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(v) = value("retry-after") {
        return parse_retry_after(v, now);
    }
    let reset = value("x-ratelimit-reset")?;
    let first = reset.split(',').next()?.trim();
    first.parse::<u64>().ok().map(Duration::from_secs)
}

/// `Retry-After`: delay-seconds or an IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`); a date in
/// the past means "now".
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_http_date(value)?;
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs() as i64;
    Some(Duration::from_secs((at - now).max(0) as u64))
}

/// Seconds since the Unix epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(value: &str) -> Option<i64> {
    let rest = value.split_once(',')?.1.trim();
    let parts: Vec<&str> = rest.split_whitespace().collect();
    if parts.len() != 5 || parts[4] != "GMT" {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m.eq_ignore_ascii_case(parts[1]))? as u32
        + 1;
    let year: i64 = parts[2].parse().ok()?;
    let hms: Vec<i64> = parts[3]
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if hms.len() != 3 || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An error and its sources, joined by `: `, so the root cause shows.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
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

/// The first line of a text or HTML error body, tags removed, at most 200 characters.
/// What an API's error answer says: its code and message joined (`code: message`), else an
/// excerpt of the body when the answer names neither.
pub(crate) fn error_detail(parts: [Option<String>; 2], body: &str) -> String {
    let joined = parts.into_iter().flatten().collect::<Vec<_>>().join(": ");
    if joined.is_empty() {
        text_excerpt(body)
    } else {
        joined
    }
}

pub(crate) fn text_excerpt(body: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let line = out
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let words: Vec<&str> = line.split_whitespace().collect();
    words.join(" ").chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
    }

    #[test]
    fn rate_limit_reset_header() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("x-ratelimit-reset", "1, 1419704".parse().unwrap());
        assert_eq!(
            retry_after(&h, SystemTime::now()),
            Some(Duration::from_secs(1))
        );
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(
            retry_after(&h, SystemTime::now()),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    #[test]
    fn excerpts_strip_tags() {
        assert_eq!(
            text_excerpt("<html><body><h1>Invalid query</h1><p>x</p></body></html>"),
            "Invalid query x"
        );
        assert_eq!(
            text_excerpt("\n  The specified phrase is too short.\n"),
            "The specified phrase is too short."
        );
    }
}
