//! Document loading: arbitrary bytes as text, Markdown or HTML, under any declared charset
//! (a `<meta charset>` for HTML, a BOM-less legacy label for the others) must give a
//! `Document` or an `InputError`, never a panic, and every block must keep a valid line.
#![no_main]

use citecheck::model::InputFormat;
use libfuzzer_sys::fuzz_target;

const CHARSETS: &[&str] = &[
    "utf-8", "gbk", "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr", "iso-8859-1",
    "windows-1252", "utf-16le", "utf-16be", "koi8-r", "x-user-defined", "bogus",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = match selector % 4 {
        0 => InputFormat::Text,
        1 => InputFormat::Markdown,
        2 => InputFormat::Html,
        _ => {
            // Let the extension and sniffing decide.
            let _ = citecheck::document::parse("fuzz.unknown", rest, None);
            return;
        }
    };
    let charset = CHARSETS[(selector as usize / 4) % CHARSETS.len()];
    let mut bytes = Vec::with_capacity(rest.len() + 64);
    if format == InputFormat::Html && selector & 0x80 != 0 {
        bytes.extend_from_slice(format!("<meta charset=\"{charset}\">").as_bytes());
    }
    bytes.extend_from_slice(rest);
    if let Ok(doc) = citecheck::document::parse("fuzz", &bytes, Some(format)) {
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        for block in &doc.blocks {
            assert!(block.line >= 1, "line {} of block {:?}", block.line, block.text);
            // A UTF-16 input has no b'\n' bytes where its lines end; only check single-byte ones.
            if !doc.encoding.starts_with("UTF-16") {
                assert!(block.line <= lines, "line {} > {lines}", block.line);
            }
            assert!(block.column >= 1);
        }
        let _ = doc.title();
    }
});
