//! Turning bytes of unknown encoding into text: BOM, declared charset, then detection.
//!
//! Chinese news sites are old and inconsistent: many still serve GBK or Big5, and many declare
//! the wrong charset (a server default of `ISO-8859-1` in the header, a `gb2312` meta tag on a
//! page that was re-encoded to UTF-8). So a declaration is a strong hint, not the last word: when
//! decoding with it breaks the text while detection gives a clean result, detection wins.
//!
//! Both the document loader (local files) and `fetch` (HTTP bodies) use this module, so an article
//! and its sources are decoded by the same rules.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How far into a document to look for a `<meta>` charset declaration, as browsers do.
const META_SCAN_LIMIT: usize = 4096;
/// How much of a file [`looks_binary`] inspects.
const BINARY_SCAN_LIMIT: usize = 8192;

/// Text decoded from bytes, with the name of the encoding that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Canonical encoding name, e.g. `UTF-8`, `GBK`, `Big5`.
    pub encoding: &'static str,
    /// True when malformed sequences had to be replaced.
    pub had_errors: bool,
}

/// Decodes `bytes`: BOM first, then the charset of `content_type` (an HTTP header value), then an
/// HTML `<meta charset>` in the first 4 KiB, then detection (UTF-8 if the bytes are valid UTF-8,
/// otherwise `chardetng`).
///
/// A declared charset loses to detection when it breaks the text and detection does not, and a
/// declared single-byte charset (`ISO-8859-1` and friends) loses when the bytes are clearly a
/// multi-byte encoding such as UTF-8 or GBK. `gb2312`, `gbk` and `x-gbk` all decode as GBK, which
/// `encoding_rs` implements as a GB18030-compatible decoder.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_len..]);
    }

    let mut declared: Vec<&'static Encoding> = Vec::with_capacity(2);
    if let Some(encoding) = content_type.and_then(header_charset) {
        declared.push(encoding);
    }
    if let Some(encoding) = meta_charset(bytes) {
        if !declared.contains(&encoding) {
            declared.push(encoding);
        }
    }

    let sniffed = sniff(bytes);
    let sniffed_decoded = decode_with(sniffed, bytes);
    let mut first_declared: Option<Decoded> = None;
    for &encoding in &declared {
        if encoding == sniffed {
            return sniffed_decoded;
        }
        let decoded = decode_with(encoding, bytes);
        if trustworthy(&decoded, encoding, bytes, &sniffed_decoded, sniffed) {
            return decoded;
        }
        first_declared.get_or_insert(decoded);
    }

    // Nothing declared could be trusted. Detection wins when it decodes cleanly; when it is broken
    // too, the page's own word is the better guess.
    match first_declared {
        Some(declared) if sniffed_decoded.had_errors => declared,
        _ => sniffed_decoded,
    }
}

/// True when `bytes` look like a binary file rather than text: a NUL byte or more than 10% control
/// characters in the first 8 KiB. Text with a UTF-16 byte order mark is not binary, even though
/// its ASCII characters contain NUL bytes.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        if encoding == UTF_16LE || encoding == UTF_16BE {
            return false;
        }
    }
    let sample = &bytes[..bytes.len().min(BINARY_SCAN_LIMIT)];
    if sample.is_empty() {
        return false;
    }
    if sample.contains(&0) {
        return true;
    }
    // Tab, line feed, form feed, carriage return and escape (ISO-2022-JP, ANSI colours) are text.
    let controls = sample
        .iter()
        .filter(|&&b| {
            (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | 0x1b)) || b == 0x7f
        })
        .count();
    controls * 10 > sample.len()
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        had_errors,
    }
}

/// Whether a decode with a declared `encoding` should be believed, given what detection found.
fn trustworthy(
    decoded: &Decoded,
    encoding: &'static Encoding,
    bytes: &[u8],
    sniffed_decoded: &Decoded,
    sniffed: &'static Encoding,
) -> bool {
    if bytes.is_ascii() {
        return true;
    }
    if decoded.had_errors && significant_errors(&decoded.text) && !sniffed_decoded.had_errors {
        return false;
    }
    // Non-ASCII text that is valid UTF-8 is almost never anything else, and a single-byte
    // declaration never produces errors, so it has to be checked against a clean multi-byte guess.
    if sniffed == UTF_8 && !sniffed_decoded.had_errors {
        return false;
    }
    if encoding.is_single_byte() && !sniffed.is_single_byte() && !sniffed_decoded.had_errors {
        return false;
    }
    true
}

/// True when the replacement characters in `text` point to a wrong encoding rather than to a
/// body cut off in the middle of a character (one error at the very end) or a few stray bytes.
fn significant_errors(text: &str) -> bool {
    let errors = text.chars().filter(|&c| c == '\u{fffd}').count();
    if errors == 0 || (errors == 1 && text.ends_with('\u{fffd}')) {
        return false;
    }
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    errors * 50 > non_ascii
}

/// The encoding guessed from the bytes alone: UTF-8 when they are valid UTF-8, else `chardetng`.
fn sniff(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, Utf8Detection::Allow)
}

/// The encoding named by the `charset` parameter of a `Content-Type` header value.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        Encoding::for_label_no_replacement(value.as_bytes())
    })
}

/// The encoding declared by a `<meta charset>` or `<meta http-equiv="Content-Type">` tag in the
/// first 4 KiB of an HTML document.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(META_SCAN_LIMIT)].to_ascii_lowercase();
    let mut rest = head.as_slice();
    while let Some(start) = find(rest, b"<meta") {
        let tag = &rest[start + 5..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        let tag = &tag[..end];
        if let Some(encoding) = charset_in_tag(tag) {
            // As in the HTML spec, a meta tag can't switch to UTF-16: the bytes read so far were
            // ASCII-compatible, so the document must be UTF-8.
            if encoding == UTF_16LE || encoding == UTF_16BE {
                return Some(UTF_8);
            }
            if encoding.name() == "x-user-defined" {
                return Some(WINDOWS_1252);
            }
            return Some(encoding);
        }
        rest = &rest[start + 5 + end..];
    }
    declared_encoding_attr(&head)
}

/// An `encoding="…"` attribute in a tag (`<?xml version="1.0" encoding="gb2312"?>`, or the
/// wrapper element some archivers save pages in): weaker than a meta tag, read only without one.
fn declared_encoding_attr(head: &[u8]) -> Option<&'static Encoding> {
    let mut rest = head;
    while let Some(pos) = find(rest, b"encoding") {
        let before = &rest[..pos];
        rest = &rest[pos + 8..];
        // Inside a tag: a `<` comes after the last `>` before the attribute.
        let open = before.iter().rposition(|&b| b == b'<');
        let close = before.iter().rposition(|&b| b == b'>');
        if open.is_none() || close > open {
            continue;
        }
        let after = trim_start(rest);
        let Some(after) = after.strip_prefix(b"=") else {
            continue;
        };
        let after = trim_start(after);
        let after = after
            .strip_prefix(b"\"")
            .or_else(|| after.strip_prefix(b"'"))
            .unwrap_or(after);
        let len = after
            .iter()
            .position(|&b| matches!(b, b'"' | b'\'' | b'?' | b'>') || b.is_ascii_whitespace())
            .unwrap_or(after.len());
        if let Some(encoding) = Encoding::for_label_no_replacement(&after[..len]) {
            if encoding != UTF_16LE && encoding != UTF_16BE {
                return Some(encoding);
            }
        }
    }
    None
}

/// Finds `charset = value` (quotes optional) inside the attributes of one lowercased meta tag;
/// this covers both `charset="gbk"` and `content="text/html; charset=gbk"`.
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let mut rest = tag;
    while let Some(pos) = find(rest, b"charset") {
        rest = &rest[pos + 7..];
        let after = trim_start(rest);
        let Some(after) = after.strip_prefix(b"=") else {
            continue;
        };
        let after = trim_start(after);
        let after = after
            .strip_prefix(b"\"")
            .or_else(|| after.strip_prefix(b"'"))
            .unwrap_or(after);
        let len = after
            .iter()
            .position(|&b| {
                matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
            })
            .unwrap_or(after.len());
        if let Some(encoding) = Encoding::for_label_no_replacement(&after[..len]) {
            return Some(encoding);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, GBK, SHIFT_JIS};

    const ZH_HANS: &str = "新华社北京电 国务院总理今天主持召开国务院常务会议，部署进一步扩大内需、\
        稳定就业和促进消费的政策措施。会议指出，今年以来我国经济运行总体平稳，\
        但外部环境更趋复杂严峻，必须坚持稳中求进工作总基调。";
    const ZH_HANT: &str = "中央社記者台北電 行政院今天召開院會，通過多項經濟振興措施，\
        並宣布將擴大補助中小企業與青年創業。院長表示，政府會持續關注國際情勢，\
        穩定物價與就業，讓民眾安心過生活。";
    const JA: &str = "東京都は本日、新型感染症の対策本部会議を開き、\
        飲食店への営業時間短縮の要請を延長することを決めました。\
        知事は記者会見で、都民の皆さまにご協力をお願いしたいと述べました。";

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, had_errors) = encoding.encode(text);
        assert!(
            !had_errors,
            "test text must be encodable in {}",
            encoding.name()
        );
        bytes.into_owned()
    }

    fn check(bytes: &[u8], content_type: Option<&str>, encoding: &str, text: &str) {
        let decoded = decode(bytes, content_type);
        assert_eq!(decoded.encoding, encoding);
        assert!(
            decoded.text.contains(text),
            "{:?} does not contain {text:?}",
            decoded.text
        );
        assert!(!decoded.had_errors);
    }

    #[test]
    fn utf8_without_declaration() {
        check("你好，世界".as_bytes(), None, "UTF-8", "你好，世界");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let bytes = [b"\xef\xbb\xbf".as_slice(), "标题".as_bytes()].concat();
        let decoded = decode(&bytes, Some("text/html; charset=gbk"));
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.text, "标题");
    }

    #[test]
    fn utf16_boms() {
        let le = [b"\xff\xfe".as_slice(), &encode_utf16(ZH_HANS, false)].concat();
        check(&le, None, "UTF-16LE", ZH_HANS);
        let be = [b"\xfe\xff".as_slice(), &encode_utf16(ZH_HANS, true)].concat();
        check(&be, None, "UTF-16BE", ZH_HANS);
    }

    fn encode_utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn gbk_with_meta() {
        let html = format!("<html><head><meta charset=\"gb2312\"></head><body>{ZH_HANS}</body>");
        check(&encode(GBK, &html), None, "GBK", ZH_HANS);
    }

    #[test]
    fn gbk_with_http_equiv_meta_unquoted() {
        let html = format!(
            "<HTML><HEAD><META HTTP-EQUIV=Content-Type CONTENT=\"text/html; CHARSET=GBK\">\
             </HEAD><BODY>{ZH_HANS}</BODY>"
        );
        check(&encode(GBK, &html), None, "GBK", ZH_HANS);
    }

    #[test]
    fn gbk_meta_with_spaces_and_single_quotes() {
        let html = format!("<meta charset = 'x-gbk' /><p>{ZH_HANS}</p>");
        check(&encode(GBK, &html), None, "GBK", ZH_HANS);
    }

    #[test]
    fn gbk_without_declaration_is_detected() {
        let html = format!("<html><body><p>{ZH_HANS}</p></body></html>");
        check(&encode(GBK, &html), None, "GBK", ZH_HANS);
    }

    #[test]
    fn gb18030_characters_decode_as_gbk() {
        // encoding_rs decodes GBK as GB18030, so four-byte sequences survive a `gbk` label.
        let bytes = encode(encoding_rs::GB18030, "€㐀");
        check(&bytes, Some("text/html; charset=gbk"), "GBK", "€㐀");
    }

    #[test]
    fn big5_without_declaration_is_detected() {
        check(&encode(BIG5, ZH_HANT), None, "Big5", ZH_HANT);
    }

    #[test]
    fn shift_jis() {
        check(&encode(SHIFT_JIS, JA), None, "Shift_JIS", JA);
        check(
            &encode(SHIFT_JIS, JA),
            Some("text/html; charset=Shift_JIS"),
            "Shift_JIS",
            JA,
        );
    }

    #[test]
    fn header_charset_wins_over_meta() {
        // Both declarations decode without errors here; the header is the one to believe.
        let html = format!("<meta charset=\"big5\"><p>{ZH_HANS}</p>");
        check(
            &encode(GBK, &html),
            Some("text/html; charset=\"GB2312\""),
            "GBK",
            ZH_HANS,
        );
    }

    #[test]
    fn broken_header_charset_falls_back_to_meta() {
        let html = format!("<meta charset=\"gbk\"><p>{ZH_HANS}</p>");
        check(
            &encode(GBK, &html),
            Some("text/html; charset=utf-8"),
            "GBK",
            ZH_HANS,
        );
    }

    #[test]
    fn lying_latin1_declaration_on_utf8() {
        let html = format!("<p>{ZH_HANS}</p>");
        check(
            html.as_bytes(),
            Some("text/html; charset=ISO-8859-1"),
            "UTF-8",
            ZH_HANS,
        );
    }

    #[test]
    fn lying_latin1_declaration_on_gbk() {
        let html = format!("<meta charset=iso-8859-1><p>{ZH_HANS}</p>");
        check(&encode(GBK, &html), None, "GBK", ZH_HANS);
    }

    #[test]
    fn lying_utf8_declaration_on_gbk() {
        let html = format!("<meta charset=\"utf-8\"><p>{ZH_HANS}</p>");
        check(&encode(GBK, &html), None, "GBK", ZH_HANS);
    }

    #[test]
    fn lying_gbk_declaration_on_utf8() {
        let html = format!("<meta charset=\"gb2312\"><p>{ZH_HANS}</p>");
        check(html.as_bytes(), None, "UTF-8", ZH_HANS);
    }

    #[test]
    fn genuine_latin1_is_kept() {
        let bytes = encode(
            WINDOWS_1252,
            "Le café de la gare a fermé ses portes à Noël.",
        );
        check(
            &bytes,
            Some("text/html; charset=iso-8859-1"),
            "windows-1252",
            "café",
        );
    }

    #[test]
    fn utf8_cut_mid_character_keeps_declaration() {
        let text = format!("<p>{ZH_HANS}</p>");
        let bytes = &text.as_bytes()[..text.len() - 5];
        let decoded = decode(bytes, Some("text/html; charset=utf-8"));
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.had_errors);
        assert!(decoded.text.starts_with("<p>新华社"));
    }

    #[test]
    fn unknown_label_is_ignored() {
        check(
            "<meta charset=\"klingon\">你好".as_bytes(),
            Some("text/html; charset=nonsense"),
            "UTF-8",
            "你好",
        );
    }

    #[test]
    fn meta_after_4k_is_ignored() {
        let html = format!("{}<meta charset=\"big5\">{ZH_HANS}", " ".repeat(5000));
        check(&encode(GBK, &html), None, "GBK", ZH_HANS);
    }

    #[test]
    fn ascii_with_declaration() {
        check(
            b"plain text",
            Some("text/plain; charset=gbk"),
            "GBK",
            "plain text",
        );
    }

    #[test]
    fn empty_input() {
        let decoded = decode(b"", None);
        assert_eq!(decoded.text, "");
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(!decoded.had_errors);
        assert!(!looks_binary(b""));
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(looks_binary(
            b"%PDF-1.7\n\x01\x02\x03\x04\x05\x06\x07\x08abc"
        ));
        assert!(looks_binary(&[0x01, 0x02, 0x03, b'a', b'b']));
        assert!(!looks_binary("你好，世界\n\tline two\r\n".as_bytes()));
        assert!(!looks_binary(&encode(GBK, ZH_HANS)));
        assert!(!looks_binary(b"\x1b$B%F%9%H\x1b(B ISO-2022-JP"));
        let utf16 = [b"\xff\xfe".as_slice(), &encode_utf16("hello", false)].concat();
        assert!(!looks_binary(&utf16));
        let utf16be = [b"\xfe\xff".as_slice(), &encode_utf16("hello", true)].concat();
        assert!(!looks_binary(&utf16be));
    }

    #[test]
    fn header_charset_parsing() {
        assert_eq!(header_charset("text/html; charset=UTF-8"), Some(UTF_8));
        assert_eq!(header_charset("text/html;charset=\"gbk\""), Some(GBK));
        assert_eq!(header_charset("text/html; Charset = gb2312 "), Some(GBK));
        assert_eq!(header_charset("text/html"), None);
        assert_eq!(header_charset("charset=gbk"), None);
    }

    #[test]
    fn encoding_attribute_without_meta() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"gb2312\"?><html><body><p>".to_vec();
        let (gbk, _, _) = GBK.encode("中关村在线论坛：这款手机的续航表现如何");
        bytes.extend_from_slice(&gbk);
        bytes.extend_from_slice(b"</p><p>encoding=utf-8 in text is not a declaration</p>");
        let decoded = decode(&bytes, None);
        assert_eq!(decoded.encoding, "GBK");
        assert!(decoded.text.contains("续航表现"));
        assert_eq!(declared_encoding_attr(b"<p>encoding=gbk</p>"), None);
        assert_eq!(
            declared_encoding_attr(b"<text id=\"1\" encoding=\"gb2312\">"),
            Some(GBK)
        );
    }
}
