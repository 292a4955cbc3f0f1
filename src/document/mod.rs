//! Input files -> `Document`: read bytes (the only I/O here), decode the charset, turn text,
//! Markdown or HTML into blocks of visible text that remember their line in the input.

mod html;
mod markdown;
mod plain;

use crate::model::{Document, InputFormat};
use std::io::Read;
use std::path::Path;

/// Default cap on the size of one input article, in bytes.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 20 * 1024 * 1024;

/// Why an input could not be loaded. Every variant names the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("{path}: no such file")]
    Missing { path: String },
    #[error("{path}: cannot read: {message}")]
    Unreadable { path: String, message: String },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error("{path}: looks like a binary file, not text, Markdown or HTML")]
    Binary { path: String },
    #[error("{path}: cannot decode the text (line {line}): not valid in any supported encoding")]
    Undecodable { path: String, line: usize },
    /// `size` is the file's length when the file system says it; standard input and files that
    /// grow while read only show that they are longer than the limit.
    #[error("{path}: {} is over the {limit}-byte limit for one article", size_words(*.size, *.limit))]
    TooLarge {
        path: String,
        size: Option<u64>,
        limit: u64,
    },
}

fn size_words(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) if size > limit => format!("{size} bytes"),
        _ => format!("more than {limit} bytes"),
    }
}

impl InputError {
    /// The 1-based line the problem is on, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            InputError::Undecodable { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Which format a path's extension says it is; unknown extensions are sniffed from the content.
/// How a report shows an input path: as the user gave it, except that an absolute path inside
/// the working folder becomes relative to it (SARIF, Code Quality and chart labels read best
/// relative). Standard input is `<stdin>`.
pub fn shown_path(path: &str) -> String {
    if path == "-" {
        return STDIN_NAME.to_string();
    }
    let p = Path::new(path);
    if p.is_absolute() {
        if let Ok(cwd) = std::env::current_dir() {
            if let Ok(rel) = p.strip_prefix(&cwd) {
                if !rel.as_os_str().is_empty() {
                    return rel.display().to_string();
                }
            }
        }
    }
    path.to_string()
}

/// What a path is when it is not a regular file (a directory, FIFO, socket or device), for the
/// refusal message; `None` for a regular file.
pub fn special_file_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    Some("a special file")
}

/// Reads at most `max_bytes + 1` bytes: the caller tells an oversized input by its length.
pub fn read_bounded(reader: impl Read, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    read_bounded_sized(reader, max_bytes, None)
}

/// [`read_bounded`] with the size the file claims, used only to size the buffer once (a file's
/// metadata is never trusted for the bound itself).
pub fn read_bounded_sized(
    reader: impl Read,
    max_bytes: u64,
    size_hint: Option<u64>,
) -> std::io::Result<Vec<u8>> {
    let capacity = size_hint.map_or(0, |n| n.min(max_bytes).saturating_add(1));
    let mut buf = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// The name standard input is shown and stored under.
pub const STDIN_NAME: &str = "<stdin>";

/// The key a document is stored under: [`shown_path`] without `.` components, so `./a.md`,
/// `a.md` and `$PWD/a.md` are one document.
pub fn path_key(path: &str) -> String {
    let shown = shown_path(path);
    if shown == STDIN_NAME {
        return shown;
    }
    let p = Path::new(&shown);
    let kept: std::path::PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if kept.as_os_str().is_empty() {
        shown
    } else {
        kept.display().to_string()
    }
}

pub fn format_for(path: &str, text: &str) -> InputFormat {
    let lower = path.to_ascii_lowercase();
    let ext = Path::new(&lower)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    match ext {
        "md" | "markdown" | "mdown" | "mkd" => InputFormat::Markdown,
        "html" | "htm" | "xhtml" => InputFormat::Html,
        "txt" | "text" => InputFormat::Text,
        _ => sniff(text),
    }
}

fn sniff(text: &str) -> InputFormat {
    let head = text
        .trim_start()
        .get(..512.min(text.trim_start().len()))
        .unwrap_or("");
    let lower = head.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
    {
        InputFormat::Html
    } else if text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("# ") || l.starts_with("## ") || l.contains("](http")
    }) {
        InputFormat::Markdown
    } else {
        InputFormat::Text
    }
}

/// Reads and parses one input: a file path, or `-` for standard input.
pub fn load(path: &str, max_bytes: u64) -> Result<Document, InputError> {
    let bytes = read_input(path, max_bytes)?;
    parse(path, &bytes, None)
}

/// Reads the bytes of one input (a regular file, or `-` for standard input), never more than
/// `max_bytes`: FIFOs, sockets, devices and directories are refused before they are opened.
pub fn read_input(path: &str, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let mut known_size = None;
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(max_bytes + 1)
            .read_to_end(&mut buf)
            .map_err(|e| InputError::Unreadable {
                path: shown_path(path),
                message: e.to_string(),
            })?;
        buf
    } else {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => InputError::Missing {
                path: shown_path(path),
            },
            _ => InputError::Unreadable {
                path: shown_path(path),
                message: e.to_string(),
            },
        })?;
        if let Some(kind) = special_file_kind(&meta) {
            return Err(InputError::Unreadable {
                path: shown_path(path),
                message: format!("is {kind}, not a regular file"),
            });
        }
        known_size = Some(meta.len());
        // Bounded by reading at most the cap plus one byte: `/dev/zero`-like files and files
        // that grow while read never get past it, whatever the metadata says.
        let file = std::fs::File::open(path).map_err(|e| InputError::Unreadable {
            path: shown_path(path),
            message: e.to_string(),
        })?;
        read_bounded_sized(file, max_bytes, known_size).map_err(|e| InputError::Unreadable {
            path: shown_path(path),
            message: e.to_string(),
        })?
    };
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::TooLarge {
            path: shown_path(path),
            size: known_size,
            limit: max_bytes,
        });
    }
    Ok(bytes)
}

/// [`read_input`] for a file that is not an article (a saved page, a pairs file): the same
/// cap and special-file refusal, and refused when empty or binary.
pub fn read_text_input(path: &str, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let bytes = read_input(path, max_bytes)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty {
            path: shown_path(path),
        });
    }
    if crate::charset::looks_binary(&bytes) {
        return Err(InputError::Binary {
            path: shown_path(path),
        });
    }
    Ok(bytes)
}

/// Parses the bytes of an input (pure). `format` overrides the extension and sniffing.
pub fn parse(
    path: &str,
    bytes: &[u8],
    format: Option<InputFormat>,
) -> Result<Document, InputError> {
    let decoded = decode_input(path, bytes)?;
    parse_decoded(path, &decoded, format)
}

/// [`parse`] of bytes the caller no longer needs, giving the decoded text too (`check` reads
/// `citecheck: ignore` markers in it). The bytes are freed once decoded, so a large input's
/// bytes, text and parsed tree are never all held at once.
pub fn parse_owned(
    path: &str,
    bytes: Vec<u8>,
    format: Option<InputFormat>,
) -> Result<(Document, String), InputError> {
    let decoded = decode_input(path, &bytes)?;
    drop(bytes);
    let doc = parse_decoded(path, &decoded, format)?;
    Ok((doc, decoded.text))
}

/// The input's text: refused when blank, binary, or mostly undecodable.
fn decode_input(path: &str, bytes: &[u8]) -> Result<crate::charset::Decoded, InputError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty {
            path: shown_path(path),
        });
    }
    if crate::charset::looks_binary(bytes) {
        return Err(InputError::Binary {
            path: shown_path(path),
        });
    }
    let decoded = crate::charset::decode(bytes, None);
    if decoded.had_errors {
        let bad = decoded.text.chars().filter(|&c| c == '\u{FFFD}').count();
        let total = decoded.text.chars().count().max(1);
        // A stray bad byte is tolerated; a text that is mostly garbage is refused.
        if bad * 20 > total {
            let line = decoded
                .text
                .lines()
                .position(|l| l.contains('\u{FFFD}'))
                .map_or(1, |i| i + 1);
            return Err(InputError::Undecodable {
                path: shown_path(path),
                line,
            });
        }
    }
    Ok(decoded)
}

/// The document in a decoded input.
fn parse_decoded(
    path: &str,
    decoded: &crate::charset::Decoded,
    format: Option<InputFormat>,
) -> Result<Document, InputError> {
    let text = decoded
        .text
        .strip_prefix('\u{FEFF}')
        .unwrap_or(&decoded.text);
    let format = format.unwrap_or_else(|| format_for(path, text));
    let (blocks, links, cites) = match format {
        InputFormat::Text => (plain::blocks(text), Vec::new(), Vec::new()),
        InputFormat::Markdown => {
            let (blocks, links) = markdown::parse(text);
            (blocks, links, Vec::new())
        }
        InputFormat::Html => html::parse(text),
    };
    if blocks.is_empty() {
        return Err(InputError::Empty {
            path: shown_path(path),
        });
    }
    Ok(Document {
        path: shown_path(path),
        format,
        encoding: decoded.encoding.to_string(),
        blocks,
        links,
        cites,
    })
}

/// Line starts of a text, so that offsets map to lines in O(log n) rather than by rescanning
/// the text from its start for every block (quadratic on a 10 MB article).
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column (characters) of byte offset `offset`.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// 1-based line and column (characters) of byte offset `offset` in `text`.
#[cfg(test)]
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_keys_join_spellings_of_one_file() {
        let cwd = std::env::current_dir().unwrap();
        let abs = cwd.join("drafts/a.md").display().to_string();
        assert_eq!(super::shown_path(&abs), "drafts/a.md");
        assert_eq!(super::shown_path("./drafts/a.md"), "./drafts/a.md");
        assert_eq!(super::shown_path("-"), "<stdin>");
        assert_eq!(super::shown_path("/elsewhere/a.md"), "/elsewhere/a.md");
        for p in [
            "drafts/a.md",
            "./drafts/a.md",
            "drafts/./a.md",
            abs.as_str(),
        ] {
            assert_eq!(super::path_key(p), "drafts/a.md", "{p}");
        }
    }

    use super::*;
    use crate::model::BlockKind;

    #[test]
    fn text_lines_become_blocks_with_lines() {
        let doc = parse("a.txt", "标题\n\n第一段。\n  第二段\n".as_bytes(), None).unwrap();
        assert_eq!(doc.title(), Some("标题"));
        let lines: Vec<(usize, usize)> = doc.blocks.iter().map(|b| (b.line, b.column)).collect();
        assert_eq!(lines, vec![(1, 1), (3, 1), (4, 3)]);
        assert_eq!(doc.blocks[1].kind, BlockKind::Paragraph);
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert!(matches!(
            parse("e.txt", b"  \n ", None),
            Err(InputError::Empty { .. })
        ));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
        assert!(matches!(
            parse("x.txt", png, None),
            Err(InputError::Binary { .. })
        ));
    }

    #[test]
    fn decodes_gbk() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("英伟达正式宣布：停止接受中国新订单\n正文第一句。\n");
        let doc = parse("gbk.txt", &bytes, None).unwrap();
        assert_eq!(doc.title(), Some("英伟达正式宣布：停止接受中国新订单"));
    }

    #[test]
    fn sniffs_formats() {
        assert_eq!(format_for("-", "<!DOCTYPE html><html>"), InputFormat::Html);
        assert_eq!(format_for("-", "# Title\n\ntext"), InputFormat::Markdown);
        assert_eq!(format_for("-", "plain"), InputFormat::Text);
        assert_eq!(format_for("a.MD", ""), InputFormat::Markdown);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n中文x", 9), (2, 3));
        assert_eq!(line_col("ab\n中文x", 8), (2, 2));
        assert_eq!(line_col("", 0), (1, 1));
        let idx = LineIndex::new("ab\n中文x\n");
        assert_eq!(idx.line_col(9), (2, 3));
        assert_eq!(idx.line_col(8), (2, 2));
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(11), (3, 1));
    }

    #[test]
    fn missing_file_is_named() {
        let err = load("/no/such/file.txt", DEFAULT_MAX_INPUT_BYTES).unwrap_err();
        assert_eq!(err.to_string(), "/no/such/file.txt: no such file");
    }
}
