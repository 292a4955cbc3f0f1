//! `citecheck page FILE_OR_URL`: everything extracted from one page, as JSON or plain text.
//!
//! A saved file is read and decoded here; an `http(s)://` URL goes through the same
//! [`HttpFetcher`](crate::fetch::HttpFetcher) `check` builds, with the same `[fetch]` settings
//! and flags (timeouts, proxy, SSRF guard, robots.txt, per-host limits, cache), so what `page`
//! shows for a URL is what `check` would compare claims with.

use super::args::PageArgs;
use super::run::ExitStatus;
use anyhow::{bail, Context, Result};
use std::io::Write;

pub(super) fn page(args: PageArgs) -> Result<ExitStatus> {
    let human = match args.format.as_str() {
        "json" => false,
        "human" => true,
        other => bail!("page supports --format json or human, not {other:?}"),
    };
    let out = if is_url(&args.input) {
        if args.url.is_some() {
            bail!("--url names the address of a saved file; a fetched page keeps its own");
        }
        fetched(&args)?
    } else {
        saved(&args)?
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    if human {
        let fetched = out
            .fetched
            .as_ref()
            .map(|f| (f.status, f.final_url.as_str()));
        super::plain::page(&mut lock, &out.page, &out.encoding, fetched)?;
    } else {
        serde_json::to_writer_pretty(&mut lock, &out)?;
        writeln!(lock)?;
    }
    Ok(ExitStatus::Ok)
}

/// `citecheck.page.v1`: the extracted page, its encoding, and how it was fetched when it was.
#[derive(serde::Serialize)]
struct PageOut {
    schema: &'static str,
    encoding: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fetched: Option<FetchedOut>,
    page: crate::model::Page,
}

#[derive(serde::Serialize)]
struct FetchedOut {
    url: String,
    final_url: String,
    status: u16,
    content_type: Option<String>,
}

fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A saved page: read, decoded, extracted with the URL it was saved from.
fn saved(args: &PageArgs) -> Result<PageOut> {
    let file = super::run::load_config(args.config.as_deref())?;
    let cap = file
        .run
        .max_input_bytes
        .unwrap_or(crate::document::DEFAULT_MAX_INPUT_BYTES);
    let bytes = crate::document::read_text_input(&args.input, cap)?;
    let decoded = crate::charset::decode(&bytes, None);
    drop(bytes);
    let url = args
        .url
        .clone()
        .or_else(|| saved_from_url(&decoded.text))
        .unwrap_or_else(|| format!("file://{}", args.input));
    Ok(PageOut {
        schema: "citecheck.page.v1",
        encoding: decoded.encoding.to_string(),
        page: crate::extract::extract_page_owned(decoded.text, &url),
        fetched: None,
    })
}

/// A URL: fetched as `check` fetches sources, then extracted with its final URL.
fn fetched(args: &PageArgs) -> Result<PageOut> {
    let settings = fetch_settings(args)?;
    let fetcher = crate::fetch::HttpFetcher::new(&settings).context("building the http client")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let got = runtime
        .block_on(crate::fetch::Fetcher::get(&fetcher, &args.input))
        .with_context(|| format!("fetching {}", args.input))?;
    Ok(PageOut {
        schema: "citecheck.page.v1",
        page: crate::extract::extract_page(&got.html, &got.final_url),
        encoding: got.encoding.to_string(),
        fetched: Some(FetchedOut {
            url: got.url,
            final_url: got.final_url,
            status: got.status,
            content_type: got.content_type,
        }),
    })
}

/// Defaults < the config file's `[fetch]` < flags, resolved as `check` resolves them.
fn fetch_settings(args: &PageArgs) -> Result<crate::fetch::FetchSettings> {
    let file = super::run::load_config(args.config.as_deref())?;
    let f = &file.fetch;
    let mut s = crate::fetch::FetchSettings::default();
    super::run::http_basics(f, args.timeout, args.proxy.as_deref(), &mut s)?;
    let flags = super::fetch_settings::FetchFlags {
        allow_private: args.allow_private,
        no_cache: args.no_cache,
    };
    let search_url = file.search.searxng_url.as_deref();
    super::fetch_settings::apply_flags(flags, f, search_url, &mut s)?;
    s.offline = args.offline || f.offline.unwrap_or(false);
    Ok(s)
}

/// The URL in a browser's `<!-- saved from url=(0042)https://… -->` first line.
fn saved_from_url(html: &str) -> Option<String> {
    let head = html.get(..html.len().min(1024)).unwrap_or(html);
    let start = head.find("saved from url=(")?;
    let rest = &head[start..];
    let close = rest.find(')')?;
    let url: String = rest[close + 1..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    // The comment may close right after the URL (`…/a-b-->`); a URL may hold `-` itself.
    let url = url.strip_suffix("-->").unwrap_or(&url);
    (!url.is_empty()).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_files() {
        assert!(is_url("http://example.com/a"));
        assert!(is_url("HTTPS://example.com/a"));
        assert!(!is_url("fixtures/pages/a.html"));
        assert!(!is_url("http"));
        assert!(!is_url("file:///tmp/a.html"));
    }

    #[test]
    fn saved_from_line() {
        assert_eq!(
            saved_from_url("<!-- saved from url=(0022)https://example.com/ -->\n<html>").as_deref(),
            Some("https://example.com/")
        );
        assert_eq!(
            saved_from_url("<!-- saved from url=(0024)https://example.com/a-b-->").as_deref(),
            Some("https://example.com/a-b")
        );
        assert_eq!(saved_from_url("<html>"), None);
    }
}
