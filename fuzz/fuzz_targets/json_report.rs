//! The JSON report writer: a run built from arbitrary text (the document's real citations and
//! claims, plus resolutions, evidence and flags carrying arbitrary strings and floats, NaN and
//! infinities included) must serialise to JSON that serde_json parses back, with every claim
//! and citation present and their text unchanged. The human report must not panic either.
#![no_main]

use citecheck::cite::registry::OutletRegistry;
use citecheck::model::{
    CitationStatus, ClaimResult, DocumentResult, Evidence, Flag, FlagKind, InputFailure, Page,
    Resolution, RunResult, ScoredCandidate, Verdict,
};
use citecheck::report::{reporter, Format};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn registry() -> &'static OutletRegistry {
    static REGISTRY: OnceLock<OutletRegistry> = OnceLock::new();
    REGISTRY.get_or_init(OutletRegistry::builtin)
}

/// Takes values from the fuzz input in turn, repeating it when it runs out.
struct Source<'a> {
    bytes: &'a [u8],
    i: usize,
}

impl Source<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.i % self.bytes.len().max(1)).copied().unwrap_or(0);
        self.i += 1;
        b
    }
    fn float(&mut self) -> f64 {
        match self.byte() % 8 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => f64::NEG_INFINITY,
            3 => -0.0,
            4 => f64::MAX,
            _ => f64::from(self.byte()) / 255.0,
        }
    }
    fn text<'t>(&mut self, text: &'t str) -> &'t str {
        let len = text.len();
        if len == 0 {
            return text;
        }
        let mut a = usize::from(self.byte()) * len / 256;
        let mut b = a + usize::from(self.byte()) * (len - a) / 256;
        while !text.is_char_boundary(a) {
            a -= 1;
        }
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        &text[a..b.max(a)]
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut src = Source { bytes: data, i: 0 };
    let Ok(doc) = citecheck::document::parse("fuzz.md", text.as_bytes(), None) else {
        let run = RunResult {
            documents: Vec::new(),
            failures: vec![InputFailure {
                path: text.to_string(),
                line: Some(usize::MAX),
                message: text.to_string(),
            }],
        };
        roundtrip(&run, &[], &[]);
        return;
    };
    let citations = citecheck::cite::citations(&doc, registry());
    let claims = citecheck::claim::claims(&doc, &citations);
    let statuses = [
        CitationStatus::Found,
        CitationStatus::NotFound,
        CitationStatus::Unreachable,
        CitationStatus::Blocked,
    ];
    let resolutions: Vec<Resolution> = citations
        .iter()
        .filter(|_| src.byte() % 5 != 0)
        .map(|c| {
            let chosen = ScoredCandidate {
                url: src.text(text).to_string(),
                title: src.text(text).to_string(),
                score: src.float(),
                title_similarity: Some(src.float()),
                domain_match: src.byte() % 2 == 0,
            };
            Resolution {
                citation_id: c.id.clone(),
                status: statuses[usize::from(src.byte()) % statuses.len()],
                chosen: Some(chosen.clone()),
                candidates: vec![chosen],
                page: Some(Page {
                    url: src.text(text).to_string(),
                    title: Some(src.text(text).to_string()),
                    paragraphs: vec![src.text(text).to_string()],
                    ..Page::default()
                }),
                detail: Some(src.text(text).to_string()),
            }
        })
        .collect();
    let results: Vec<ClaimResult> = claims
        .iter()
        .map(|k| ClaimResult {
            claim: k.clone(),
            verdict: Verdict::ALL[usize::from(src.byte()) % Verdict::ALL.len()],
            score: src.float(),
            reasons: vec![src.text(text).to_string()],
            evidence: k
                .cited
                .iter()
                .map(|id| Evidence {
                    citation: id.clone(),
                    url: src.text(text).to_string(),
                    quote: src.text(text).to_string(),
                    start: usize::from(src.byte()),
                    end: usize::MAX,
                    similarity: src.float(),
                    matched_numbers: usize::from(src.byte()),
                    flags: vec![Flag {
                        kind: FlagKind::EntitySwap,
                        claim: src.text(text).to_string(),
                        source: src.text(text).to_string(),
                        reason: src.text(text).to_string(),
                    }],
                })
                .collect(),
        })
        .collect();
    let run = RunResult {
        documents: vec![DocumentResult {
            path: doc.path.clone(),
            title: doc.title().map(str::to_string),
            citations: citations.clone(),
            resolutions,
            claims: results,
        }],
        failures: Vec::new(),
    };
    roundtrip(&run, &citations, &claims);
});

fn roundtrip(
    run: &RunResult,
    citations: &[citecheck::model::Citation],
    claims: &[citecheck::model::Claim],
) {
    let mut out = Vec::new();
    reporter(Format::Json, false)
        .write(run, &mut out)
        .expect("the JSON report writes to memory");
    let parsed: serde_json::Value =
        serde_json::from_slice(&out).expect("the JSON report parses back");
    assert_eq!(parsed["schema"], "citecheck.report.v1");
    if let Some(doc) = parsed["documents"].get(0) {
        let out_citations = doc["citations"].as_array().expect("citations array");
        assert_eq!(out_citations.len(), citations.len(), "a citation was lost");
        for (c, o) in citations.iter().zip(out_citations) {
            assert_eq!(o["id"], c.id.as_str());
            assert_eq!(o["headline"].as_str(), c.headline.as_deref());
            assert!(o["status"].is_string(), "citation without status: {o}");
        }
        let out_claims = doc["claims"].as_array().expect("claims array");
        assert_eq!(out_claims.len(), claims.len(), "a claim was lost");
        for (k, o) in claims.iter().zip(out_claims) {
            assert_eq!(o["text"], k.text.as_str());
            assert!(o["verdict"].is_string());
        }
    }
    if let Some(f) = run.failures.first() {
        assert_eq!(parsed["failures"][0]["message"], f.message.as_str());
    }
    let mut human = Vec::new();
    reporter(Format::Human, true)
        .write(run, &mut human)
        .expect("the human report writes to memory");
}
