//! Extraction never panics: `document::parse` + `cite::citations` + `claim::claims` on arbitrary
//! Unicode text, text built from the pieces citation forms are made of, and arbitrary bytes, as
//! plain text, Markdown and HTML. Every citation and claim must point at a real line.

use citecheck::cite::{citations, registry::OutletRegistry};
use citecheck::claim::claims;
use citecheck::document::parse;
use proptest::prelude::*;

fn extract(path: &str, bytes: &[u8]) {
    let Ok(doc) = parse(path, bytes, None) else {
        return;
    };
    let registry = OutletRegistry::builtin_ref();
    let cites = citations(&doc, registry);
    let found = claims(&doc, &cites);
    let lines = String::from_utf8_lossy(bytes).lines().count().max(1);
    for c in &cites {
        assert!(c.line >= 1 && c.column >= 1, "{c:?}");
        // HTML may place a citation on the last line of the source; never past it.
        assert!(c.line <= lines + 1, "{c:?} past line {lines}");
    }
    for k in &found {
        assert!(k.line >= 1 && k.column >= 1, "{k:?}");
        for id in &k.cited {
            assert!(
                cites.iter().any(|c| &c.id == id),
                "{k:?} cites unknown {id}"
            );
        }
    }
}

/// Pieces of the forms the extractor looks for, so random text reaches its deeper paths.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("据".to_string()),
        Just("報導".to_string()),
        Just("报道称".to_string()),
        Just("援引".to_string()),
        Just("综合".to_string()),
        Just("、".to_string()),
        Just("新华社".to_string()),
        Just("Reuters".to_string()),
        Just("the Associated Press".to_string()),
        Just(" according to ".to_string()),
        Just(" said".to_string()),
        Just("信源来自于".to_string()),
        Just("来源：".to_string()),
        Just("原标题：".to_string()),
        Just("Sources: ".to_string()),
        Just("[1] ".to_string()),
        Just("1. ".to_string()),
        Just("(AP) — ".to_string()),
        Just("（记者 ".to_string()),
        Just("5月12日电".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("「".to_string()),
        Just("』".to_string()),
        Just("《".to_string()),
        Just("》".to_string()),
        Just("\"".to_string()),
        Just("。".to_string()),
        Just("……".to_string()),
        Just(". ".to_string()),
        Just("5.3%".to_string()),
        Just("U.S.".to_string()),
        Just("https://www.reuters.com/a".to_string()),
        Just("[t](https://apnews.com/b)".to_string()),
        Just("<a href=\"https://x.com\">".to_string()),
        Just("<cite>".to_string()),
        Just("<blockquote cite=\"https://www.bbc.com/c\">".to_string()),
        // The forms of issue 15: section tags, quoted outlet and headline, full and short
        // names, an outlet and a URL in brackets, a link inside an attribution.
        Just("【".to_string()),
        Just("】".to_string()),
        Just("〔".to_string()),
        Just("」".to_string()),
        Just("以".to_string()),
        Just("为题".to_string()),
        Just("題為".to_string()),
        Just("另据".to_string()),
        Just("（CNN）".to_string()),
        Just("(BBC) reported".to_string()),
        Just("（新华社，https://www.news.cn/a）".to_string()),
        Just("(Reuters, https://archive.ph/x)".to_string()),
        Just("[路透](https://archive.ph/y)".to_string()),
        Just("😀".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("- ".to_string()),
        Just("**".to_string()),
        "\\PC{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_unicode(text in "\\PC{0,400}|(?s).{0,200}") {
        for path in ["a.txt", "a.md", "a.html"] {
            extract(path, text.as_bytes());
        }
    }

    #[test]
    fn never_panics_on_citation_like_text(pieces in prop::collection::vec(piece(), 0..60)) {
        let text = pieces.concat();
        for path in ["a.txt", "a.md", "a.html"] {
            extract(path, text.as_bytes());
        }
    }

    #[test]
    fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for path in ["a.txt", "a.md", "a.html"] {
            extract(path, &bytes);
        }
    }
}
