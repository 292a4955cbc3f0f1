//! Page extraction: arbitrary bytes, decoded under an arbitrary Content-Type charset, then
//! main-text extraction. Never a panic; the page keeps the URL it was given.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("text/html"),
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=gbk"),
    Some("text/html; charset=big5"),
    Some("text/html; charset=shift_jis"),
    Some("text/html; charset=iso-8859-1"),
    Some("text/html; charset=utf-16"),
    Some("text/html; charset=\"nonsense\""),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let content_type = CONTENT_TYPES[selector as usize % CONTENT_TYPES.len()];
    let decoded = citecheck::charset::decode(rest, content_type);
    let url = "https://news.example/2024/05/article.html";
    let page = citecheck::extract::extract_page(&decoded.text, url);
    assert_eq!(page.url, url);
    let _ = page.text();
});
