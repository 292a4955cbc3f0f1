//! A small WARC reader: the HTML pages of a web archive file, for the corpus.
//!
//! Reads WARC/1.0 and WARC/1.1 (ISO 28500) as `wget --warc-file`, warcprox, Heritrix and
//! browsertrix write them: uncompressed, or gzip per record (a multi-member gzip file), or the
//! whole file gzipped. `response` records carry an HTTP response; its body is de-chunked and
//! decompressed (gzip, deflate) when the headers say so. `resource` records carry the document
//! itself. Only successful HTML responses become pages; `request`, `metadata`, `revisit`,
//! `warcinfo` records and non-HTML bodies are skipped. Written here because the `warc` crate is
//! unmaintained and the format needs little code.

use flate2::read::{MultiGzDecoder, ZlibDecoder};
use std::io::Read;

/// Largest uncompressed WARC file read, in bytes.
pub const MAX_WARC_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Largest decompressed HTTP body kept, in bytes.
const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// One HTML page found in a WARC file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcPage {
    /// `WARC-Target-URI`.
    pub url: String,
    /// `WARC-Date`.
    pub date: Option<String>,
    /// The HTTP `Content-Type`, when the record had one (it carries the charset).
    pub content_type: Option<String>,
    /// The body, de-chunked and decompressed.
    pub body: Vec<u8>,
}

/// Why a WARC file cannot be read; `offset` is the byte offset (in the uncompressed stream)
/// of the record at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("warc record at byte {offset}: {message}")]
pub struct WarcError {
    pub offset: usize,
    pub message: String,
}

/// Whether a file name is a WARC file (`.warc`, `.warc.gz`).
pub fn is_warc_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".warc") || lower.ends_with(".warc.gz")
}

/// The HTML pages of a WARC file's bytes (gzipped or not).
pub fn read_warc(bytes: &[u8]) -> Result<Vec<WarcPage>, WarcError> {
    let data: Vec<u8> = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        MultiGzDecoder::new(bytes)
            .take(MAX_WARC_BYTES)
            .read_to_end(&mut out)
            .map_err(|e| WarcError {
                offset: 0,
                message: format!("gzip: {e}"),
            })?;
        out
    } else {
        bytes.to_vec()
    };
    parse_records(&data)
}

/// Splits a head (`Name: value` lines) into lower-cased names and trimmed values.
fn parse_headers(head: &str) -> Vec<(String, String)> {
    head.lines()
        .filter_map(|l| {
            let (n, v) = l.split_once(':')?;
            Some((n.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The end of a head: `(end of the head, start of what follows)` at the first blank line
/// (`\r\n\r\n` or `\n\n`). One pass that stops there, so a long record costs its head only.
fn head_end(data: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < data.len() {
        if data[i] == b'\n' {
            match (data.get(i + 1), data.get(i + 2)) {
                (Some(b'\n'), _) => {
                    let stop = if i > from && data[i - 1] == b'\r' {
                        i - 1
                    } else {
                        i
                    };
                    return Some((stop, i + 2));
                }
                (Some(b'\r'), Some(b'\n')) => {
                    let stop = if i > from && data[i - 1] == b'\r' {
                        i - 1
                    } else {
                        i
                    };
                    return Some((stop, i + 3));
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

fn parse_records(data: &[u8]) -> Result<Vec<WarcPage>, WarcError> {
    let mut pages = Vec::new();
    let mut pos = 0;
    loop {
        // Records are separated by two CRLFs; tolerate any whitespace between them.
        while pos < data.len() && data[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= data.len() {
            break;
        }
        let start = pos;
        let err = |message: String| WarcError {
            offset: start,
            message,
        };
        if !data[pos..].starts_with(b"WARC/") {
            return Err(err(
                "expected a WARC/1.0 or WARC/1.1 version line".to_string()
            ));
        }
        let (head_stop, block_start) =
            head_end(data, pos).ok_or_else(|| err("record header never ends".to_string()))?;
        let head = String::from_utf8_lossy(&data[pos..head_stop]);
        let version = head.lines().next().unwrap_or("").trim();
        if !matches!(version, "WARC/1.0" | "WARC/1.1" | "WARC/0.18" | "WARC/0.17") {
            return Err(err(format!("unsupported version {version:?}")));
        }
        let headers = parse_headers(&head);
        let length: usize = header(&headers, "content-length")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| err("missing or invalid Content-Length".to_string()))?;
        let block_end = block_start
            .checked_add(length)
            .filter(|e| *e <= data.len())
            .ok_or_else(|| {
                err(format!(
                    "truncated: Content-Length {length} but {} bytes left",
                    data.len() - block_start
                ))
            })?;
        let block = &data[block_start..block_end];
        pos = block_end;
        let kind = header(&headers, "warc-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(url) = header(&headers, "warc-target-uri")
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .filter(|u| !u.is_empty())
        else {
            continue;
        };
        let date = header(&headers, "warc-date").map(str::to_string);
        let block_type = header(&headers, "content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        match kind.as_str() {
            "response" if block_type.starts_with("application/http") || block_type.is_empty() => {
                if let Some((content_type, body)) = http_response(block) {
                    pages.push(WarcPage {
                        url,
                        date,
                        content_type,
                        body,
                    });
                }
            }
            "resource" if is_html_type(&block_type) => pages.push(WarcPage {
                url,
                date,
                content_type: Some(block_type),
                body: block.to_vec(),
            }),
            _ => {}
        }
    }
    Ok(pages)
}

fn is_html_type(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    ct.contains("text/html") || ct.contains("application/xhtml")
}

/// The content type and decoded body of a successful HTML HTTP response, else `None`.
fn http_response(block: &[u8]) -> Option<(Option<String>, Vec<u8>)> {
    let (head_stop, body_start) = head_end(block, 0)?;
    let head = String::from_utf8_lossy(&block[..head_stop]);
    let status_line = head.lines().next()?;
    let mut parts = status_line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let status: u16 = parts.next()?.parse().ok()?;
    if status != 200 {
        return None;
    }
    let headers = parse_headers(&head);
    let content_type = header(&headers, "content-type").map(str::to_string);
    if content_type.as_deref().is_some_and(|c| !is_html_type(c)) {
        return None;
    }
    let mut body = block[body_start..].to_vec();
    if header(&headers, "transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        body = dechunk(&body)?;
    }
    match header(&headers, "content-encoding").map(|e| e.trim().to_ascii_lowercase()) {
        Some(e) if e == "gzip" || e == "x-gzip" => {
            let mut out = Vec::new();
            MultiGzDecoder::new(&body[..])
                .take(MAX_BODY_BYTES)
                .read_to_end(&mut out)
                .ok()?;
            body = out;
        }
        Some(e) if e == "deflate" => {
            let mut out = Vec::new();
            ZlibDecoder::new(&body[..])
                .take(MAX_BODY_BYTES)
                .read_to_end(&mut out)
                .ok()?;
            body = out;
        }
        Some(e) if e == "identity" || e.is_empty() => {}
        // Brotli and other codings are not read: the page is skipped rather than misread.
        Some(_) => return None,
        None => {}
    }
    Some((content_type, body))
}

/// Removes HTTP/1.1 chunked framing; `None` when the framing is broken.
fn dechunk(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let line_end = data[pos..].windows(2).position(|w| w == b"\r\n")? + pos;
        let size_text = String::from_utf8_lossy(&data[pos..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        pos = line_end + 2;
        if size == 0 {
            return Some(out);
        }
        let end = pos.checked_add(size).filter(|e| *e <= data.len())?;
        out.extend_from_slice(&data[pos..end]);
        pos = end;
        if data[pos..].starts_with(b"\r\n") {
            pos += 2;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    /// One WARC record with a correct Content-Length.
    pub(crate) fn record(kind: &str, url: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\n\
             WARC-Date: 2025-08-22T10:15:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    pub(crate) fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
        out.extend_from_slice(body);
        out
    }

    pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    const PAGE: &[u8] =
        "<html><head><title>英伟达暂停H20芯片生产</title></head><body><p>正文</p></body></html>"
            .as_bytes();

    fn sample_records() -> Vec<Vec<u8>> {
        vec![
            record("warcinfo", "", "application/warc-fields", b"software: wget/1.21\r\n"),
            record(
                "request",
                "https://www.guancha.cn/a.shtml",
                "application/http; msgtype=request",
                b"GET /a.shtml HTTP/1.1\r\nHost: www.guancha.cn\r\n\r\n",
            ),
            record(
                "response",
                "https://www.guancha.cn/a.shtml",
                "application/http; msgtype=response",
                &http("200 OK", "Content-Type: text/html; charset=utf-8\r\n", PAGE),
            ),
            record(
                "response",
                "https://www.guancha.cn/chunked.shtml",
                "application/http; msgtype=response",
                &http(
                    "200 OK",
                    "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
                    &{
                        let z = gzip(PAGE);
                        let mut c = format!("{:x}\r\n", 10).into_bytes();
                        c.extend_from_slice(&z[..10]);
                        c.extend_from_slice(format!("\r\n{:x}\r\n", z.len() - 10).as_bytes());
                        c.extend_from_slice(&z[10..]);
                        c.extend_from_slice(b"\r\n0\r\n\r\n");
                        c
                    },
                ),
            ),
            record(
                "response",
                "https://www.guancha.cn/gone.shtml",
                "application/http; msgtype=response",
                &http("404 Not Found", "Content-Type: text/html\r\n", b"<html>gone</html>"),
            ),
            record(
                "response",
                "https://www.guancha.cn/logo.png",
                "application/http; msgtype=response",
                &http("200 OK", "Content-Type: image/png\r\n", b"\x89PNG"),
            ),
            record("revisit", "https://www.guancha.cn/a.shtml", "application/http", b""),
            record("resource", "https://example.com/saved.html", "text/html", PAGE),
        ]
    }

    fn check(pages: &[WarcPage]) {
        let urls: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://www.guancha.cn/a.shtml",
                "https://www.guancha.cn/chunked.shtml",
                "https://example.com/saved.html"
            ]
        );
        for p in pages {
            assert_eq!(p.body, PAGE, "{}", p.url);
        }
        assert_eq!(
            pages[0].content_type.as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(pages[0].date.as_deref(), Some("2025-08-22T10:15:00Z"));
    }

    #[test]
    fn plain_and_gzip_per_record_and_whole_file() {
        let recs = sample_records();
        check(&read_warc(&recs.concat()).unwrap());
        let per_record: Vec<u8> = recs.iter().flat_map(|r| gzip(r)).collect();
        check(&read_warc(&per_record).unwrap());
        check(&read_warc(&gzip(&recs.concat())).unwrap());
        assert!(read_warc(b"").unwrap().is_empty());
    }

    #[test]
    fn version_1_0_and_bare_newlines() {
        let block = http("200 OK", "Content-Type: text/html\r\n", PAGE);
        let mut rec = format!(
            "WARC/1.0\nWARC-Type: response\nWARC-Target-URI: <https://a.example/x>\nContent-Length: {}\n\n",
            block.len()
        )
        .into_bytes();
        rec.extend_from_slice(&block);
        let pages = read_warc(&rec).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].url, "https://a.example/x");
    }

    #[test]
    fn broken_files_name_the_record() {
        let recs = sample_records();
        let mut truncated = recs.concat();
        truncated.truncate(truncated.len() - 40);
        let err = read_warc(&truncated).unwrap_err();
        assert!(err.message.starts_with("truncated"), "{err}");
        assert!(err.offset > 0);
        let err = read_warc(b"<html>not a warc</html>").unwrap_err();
        assert_eq!(err.offset, 0);
        assert!(err.to_string().contains("expected a WARC/1.0"), "{err}");
        let err = read_warc(b"WARC/1.1\r\nWARC-Type: response\r\n\r\n").unwrap_err();
        assert!(err.message.contains("Content-Length"), "{err}");
        let err = read_warc(b"WARC/9.9\r\nContent-Length: 0\r\n\r\n").unwrap_err();
        assert!(err.message.contains("unsupported version"), "{err}");
        assert!(read_warc(&[0x1f, 0x8b, 0, 1, 2]).is_err());
    }

    #[test]
    fn dechunking() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
        assert_eq!(dechunk(b"ff\r\nabc"), None);
        assert_eq!(dechunk(b"zz\r\n"), None);
    }
}
