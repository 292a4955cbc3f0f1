//! Citation and claim extraction on arbitrary text (as text, Markdown and HTML): never a
//! panic, ids unique, every claim's citation ids point at a citation, lines inside the input.
#![no_main]

use citecheck::cite::registry::OutletRegistry;
use citecheck::model::InputFormat;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use std::sync::OnceLock;

fn registry() -> &'static OutletRegistry {
    static REGISTRY: OnceLock<OutletRegistry> = OnceLock::new();
    REGISTRY.get_or_init(OutletRegistry::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = match selector % 3 {
        0 => InputFormat::Text,
        1 => InputFormat::Markdown,
        _ => InputFormat::Html,
    };
    let Ok(doc) = citecheck::document::parse("fuzz", text.as_bytes(), Some(format)) else {
        return;
    };
    let citations = citecheck::cite::citations(&doc, registry());
    let claims = citecheck::claim::claims(&doc, &citations);
    let lines = text.matches('\n').count() + 1;
    let ids: HashSet<&str> = citations.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), citations.len(), "duplicate citation ids");
    for c in &citations {
        assert!(c.line >= 1 && c.line <= lines, "citation line {} of {lines}", c.line);
    }
    let claim_ids: HashSet<&str> = claims.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(claim_ids.len(), claims.len(), "duplicate claim ids");
    for k in &claims {
        assert!(k.line >= 1 && k.line <= lines, "claim line {} of {lines}", k.line);
        for id in &k.cited {
            assert!(ids.contains(id.as_str()), "claim cites unknown {id}");
        }
    }
});
