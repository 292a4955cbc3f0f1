//! The pure decisions behind a fetch: what a status code means, which bodies are pages, when
//! and how long to wait before trying again.
//!
//! Kept apart from the HTTP code so each rule is a small function with tiny tests.

use super::FetchError;
use std::time::{Duration, SystemTime};

/// First retry waits about this long; each further retry doubles it.
pub(crate) const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// No wait, whether computed or asked for by `Retry-After`, is longer than this.
pub(crate) const BACKOFF_CAP: Duration = Duration::from_secs(10);

/// Markers of bot-challenge and captcha pages, lowercase, with the reason reported for each.
const CHALLENGE_MARKERS: &[(&str, &str)] = &[
    ("just a moment", "cloudflare challenge (\"just a moment\")"),
    (
        "attention required",
        "cloudflare challenge (\"attention required\")",
    ),
    ("cf-chl", "cloudflare challenge"),
    ("cf_chl", "cloudflare challenge"),
    ("/cdn-cgi/challenge-platform", "cloudflare challenge"),
    ("cf-browser-verification", "cloudflare challenge"),
    ("captcha", "captcha page"),
    ("访问验证", "verification page (\"访问验证\")"),
    ("安全验证", "verification page (\"安全验证\")"),
];

/// How much of a page is searched for challenge markers: they sit in the title or a script near
/// the top, and searching a whole article for "captcha" would only find false alarms.
const CHALLENGE_SCAN_LIMIT: usize = 16 * 1024;

/// The reason a challenge or captcha page gives itself away, if `body` is one.
pub(crate) fn detect_challenge(body: &str) -> Option<&'static str> {
    let mut end = body.len().min(CHALLENGE_SCAN_LIMIT);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let head = body[..end].to_lowercase();
    CHALLENGE_MARKERS
        .iter()
        .find(|(marker, _)| head.contains(marker))
        .map(|&(_, reason)| reason)
}

/// The error for a response with a non-2xx `status` and (the start of) its decoded `body`:
/// [`FetchError::Blocked`] when the site refuses us (401, 403, 429, 451, or a 503 challenge
/// page), otherwise [`FetchError::Status`].
pub(crate) fn status_error(url: &str, status: u16, body: &str) -> FetchError {
    let challenge = detect_challenge(body);
    let reason = match (status, challenge) {
        (401 | 403 | 429 | 451 | 503, Some(challenge)) => format!("{challenge} (http {status})"),
        (401, None) => "login required (http 401)".to_owned(),
        (403, None) => "access forbidden (http 403)".to_owned(),
        (429, None) => "rate limited (http 429)".to_owned(),
        (451, None) => "unavailable for legal reasons (http 451)".to_owned(),
        _ => {
            return FetchError::Status {
                url: url.to_owned(),
                status,
            }
        }
    };
    FetchError::Blocked {
        url: url.to_owned(),
        reason,
    }
}

/// Whether a response with `status`, turned into `error` by [`status_error`], is worth another
/// try: rate limits, server errors and gateway trouble pass; a 404, a 501 or a challenge page
/// will not.
pub(crate) fn retryable_status(status: u16, error: &FetchError) -> bool {
    match status {
        429 | 500 | 502 | 504 => true,
        503 => matches!(error, FetchError::Status { .. }),
        _ => false,
    }
}

/// What a response's `Content-Type` says about whether it is a page we can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContentKind {
    /// HTML, XHTML or plain text.
    Page,
    /// No content type: sniff the body.
    Unknown,
    /// Anything else (images, PDF, JSON, ...).
    Other,
}

/// Classifies a `Content-Type` header value (parameters and case ignored).
pub(crate) fn content_kind(content_type: Option<&str>) -> ContentKind {
    let Some(content_type) = content_type else {
        return ContentKind::Unknown;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "" => ContentKind::Unknown,
        "text/html" | "application/xhtml+xml" | "text/plain" => ContentKind::Page,
        _ => ContentKind::Other,
    }
}

/// Whether a body without a content type starts like HTML, after the tag openings of the WHATWG
/// MIME sniffing algorithm.
pub(crate) fn sniff_html(body: &[u8]) -> bool {
    const TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
        b"<meta",
    ];
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = &body[start..body.len().min(start + 32)];
    TAGS.iter().any(|tag| {
        head.len() > tag.len()
            && head[..tag.len()].eq_ignore_ascii_case(tag)
            // The tag name must end here: `<a ` or `<a>`, not `<abbr`; a comment needs nothing.
            && (tag == b"<!--" || matches!(head[tag.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r'))
    })
}

/// Parses a `Retry-After` header, given in seconds or as an HTTP date (read against `now`),
/// capped at `cap`. A date in the past means no wait; anything unreadable gives `None`, which
/// falls back to the usual backoff.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime, cap: Duration) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let date = httpdate::parse_http_date(value).ok()?;
            date.duration_since(now).unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(cap))
}

/// How long to wait before retry number `attempt` (0 for the first retry): `Retry-After` when the
/// server gave one (already capped by [`parse_retry_after`]), else `BACKOFF_BASE * 2^attempt`
/// plus up to half of that again as jitter (`jitter` in `0.0..1.0`), never more than
/// [`BACKOFF_CAP`].
pub(crate) fn backoff(attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    if let Some(wait) = retry_after {
        return wait;
    }
    let base = BACKOFF_BASE.saturating_mul(1u32 << attempt.min(16));
    let extra = base.mul_f64(jitter.clamp(0.0, 1.0) / 2.0);
    (base + extra).min(BACKOFF_CAP)
}

/// A random number in `0.0..1.0` for jitter, from the standard library's randomly keyed hasher
/// so no random-number crate is needed.
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Lowercases a message from another crate and drops its trailing period, so it reads like ours
/// (`connection refused (os error 111)`).
pub(crate) fn tidy_message(message: &str) -> String {
    message.trim().trim_end_matches('.').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_status(status: u16, body: &str, expected: &str) {
        let error = status_error("http://x.test/", status, body);
        assert_eq!(error.to_string(), expected);
    }

    #[test]
    fn status_mapping() {
        check_status(404, "", "http://x.test/: http status 404");
        check_status(500, "", "http://x.test/: http status 500");
        check_status(503, "maintenance", "http://x.test/: http status 503");
        check_status(
            401,
            "",
            "http://x.test/: blocked: login required (http 401)",
        );
        check_status(
            403,
            "<h1>Forbidden</h1>",
            "http://x.test/: blocked: access forbidden (http 403)",
        );
        check_status(429, "", "http://x.test/: blocked: rate limited (http 429)");
        check_status(
            451,
            "",
            "http://x.test/: blocked: unavailable for legal reasons (http 451)",
        );
        check_status(
            503,
            "<title>Just a moment...</title>",
            "http://x.test/: blocked: cloudflare challenge (\"just a moment\") (http 503)",
        );
        check_status(
            403,
            "<title>Attention Required! | Cloudflare</title>",
            "http://x.test/: blocked: cloudflare challenge (\"attention required\") (http 403)",
        );
        // A challenge marker on a 404 is just a page that mentions it.
        check_status(404, "captcha", "http://x.test/: http status 404");
    }

    #[test]
    fn challenge_detection() {
        assert_eq!(
            detect_challenge("<title>请输入CAPTCHA</title>"),
            Some("captcha page")
        );
        assert_eq!(
            detect_challenge("<title>访问验证</title>"),
            Some("verification page (\"访问验证\")")
        );
        assert_eq!(
            detect_challenge("<p>请完成安全验证</p>"),
            Some("verification page (\"安全验证\")")
        );
        assert_eq!(
            detect_challenge("<form id=\"challenge-form\" action=\"/?__cf_chl_f_tk=1\">"),
            Some("cloudflare challenge")
        );
        assert_eq!(detect_challenge("<p>an ordinary article</p>"), None);
        let late = format!("{}captcha", "中".repeat(10_000));
        assert_eq!(detect_challenge(&late), None);
    }

    #[test]
    fn retryable_statuses() {
        let retry = |status: u16, body: &str| {
            retryable_status(status, &status_error("http://x.test/", status, body))
        };
        assert!(retry(429, ""));
        assert!(retry(502, ""));
        assert!(retry(503, ""));
        assert!(retry(504, ""));
        assert!(!retry(503, "Just a moment"));
        assert!(!retry(404, ""));
        assert!(retry(500, ""));
        assert!(!retry(501, ""));
        assert!(!retry(403, ""));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_kind(Some("text/html")), ContentKind::Page);
        assert_eq!(
            content_kind(Some("Text/HTML; charset=GBK")),
            ContentKind::Page
        );
        assert_eq!(
            content_kind(Some("application/xhtml+xml")),
            ContentKind::Page
        );
        assert_eq!(
            content_kind(Some("text/plain;charset=utf-8")),
            ContentKind::Page
        );
        assert_eq!(content_kind(None), ContentKind::Unknown);
        assert_eq!(content_kind(Some("  ")), ContentKind::Unknown);
        assert_eq!(content_kind(Some("application/pdf")), ContentKind::Other);
        assert_eq!(content_kind(Some("image/png")), ContentKind::Other);
        assert_eq!(content_kind(Some("application/json")), ContentKind::Other);
    }

    #[test]
    fn html_sniffing() {
        assert!(sniff_html(b"<!DOCTYPE html><html>"));
        assert!(sniff_html(b"\xef\xbb\xbf\n  <HTML lang=zh>"));
        assert!(sniff_html(b"<!-- comment --><p>"));
        assert!(sniff_html(b"<p>text</p>"));
        assert!(!sniff_html(b"<abbr>"));
        assert!(!sniff_html(b"%PDF-1.4"));
        assert!(!sniff_html(b"{\"json\": true}"));
        assert!(!sniff_html(b""));
        assert!(!sniff_html(b"<html"));
    }

    #[test]
    fn retry_after_parsing() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let parse = |v: &str| parse_retry_after(v, now, BACKOFF_CAP);
        assert_eq!(parse("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse("3600"), Some(BACKOFF_CAP));
        assert_eq!(
            parse_retry_after("3600", now, Duration::from_secs(60)),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:28:05 GMT"),
            Some(Duration::from_secs(5))
        );
        assert_eq!(parse("Wed, 21 Oct 2015 09:28:00 GMT"), Some(BACKOFF_CAP));
        assert_eq!(parse("Wed, 21 Oct 2015 07:00:00 GMT"), Some(Duration::ZERO));
        // The obsolete RFC 850 and asctime forms are HTTP dates too.
        assert_eq!(
            parse("Wednesday, 21-Oct-15 07:28:02 GMT"),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            parse("Wed Oct 21 07:28:01 2015"),
            Some(Duration::from_secs(1))
        );
        assert_eq!(parse("-1"), None);
        assert_eq!(parse("soon"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0, None, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(1, None, 0.0), Duration::from_millis(1000));
        assert_eq!(backoff(1, None, 1.0), Duration::from_millis(1500));
        assert_eq!(backoff(10, None, 0.5), BACKOFF_CAP);
        assert_eq!(backoff(40, None, 0.5), BACKOFF_CAP);
        assert_eq!(
            backoff(0, Some(Duration::from_secs(2)), 0.9),
            Duration::from_secs(2)
        );
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }

    #[test]
    fn messages_are_tidied() {
        assert_eq!(
            tidy_message("Connection refused (os error 111)."),
            "connection refused (os error 111)"
        );
        assert_eq!(
            tidy_message("client error (Connect)"),
            "client error (connect)"
        );
        assert_eq!(tidy_message(""), "");
    }
}
