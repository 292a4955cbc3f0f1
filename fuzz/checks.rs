//! The checks behind the fuzz targets, one function per target. Shared by `fuzz_targets/*.rs`
//! (through `#[path]`) and by the main package's `tests/fuzz_regressions.rs`, which replays the
//! seed corpus and every crash input kept in `fixtures/fuzz-regressions/<target>/`.

#![allow(dead_code)]

use citecheck::cite::registry::OutletRegistry;
use citecheck::model::{
    CitationStatus, ClaimResult, DocumentResult, Evidence, Flag, FlagKind, InputFailure,
    InputFormat, Page, Resolution, RunResult, ScoredCandidate, Verdict, VerdictChange,
};
use citecheck::report::{reporter, Format};
use std::collections::HashSet;
use std::sync::OnceLock;

const CHARSETS: &[&str] = &[
    "utf-8",
    "gbk",
    "gb18030",
    "big5",
    "shift_jis",
    "euc-jp",
    "euc-kr",
    "iso-8859-1",
    "windows-1252",
    "utf-16le",
    "utf-16be",
    "koi8-r",
    "x-user-defined",
    "bogus",
];

/// Document loading: arbitrary bytes as text, Markdown or HTML, under any declared charset
/// (a `<meta charset>` for HTML, a BOM-less legacy label for the others) must give a
/// `Document` or an `InputError`, never a panic, and every block must keep a valid line.
pub fn load_document(data: &[u8]) {
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
            assert!(
                block.line >= 1,
                "line {} of block {:?}",
                block.line,
                block.text
            );
            // A UTF-16 input has no b'\n' bytes where its lines end; only check single-byte ones.
            if !doc.encoding.starts_with("UTF-16") {
                assert!(block.line <= lines, "line {} > {lines}", block.line);
            }
            assert!(block.column >= 1);
        }
        let _ = doc.title();
    }
}

fn registry() -> &'static OutletRegistry {
    static REGISTRY: OnceLock<OutletRegistry> = OnceLock::new();
    REGISTRY.get_or_init(OutletRegistry::builtin)
}

/// Citation and claim extraction on arbitrary text (as text, Markdown and HTML): never a
/// panic, ids unique, every claim's citation ids point at a citation, lines inside the input.
pub fn citations_claims(data: &[u8]) {
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
        assert!(
            c.line >= 1 && c.line <= lines,
            "citation line {} of {lines}",
            c.line
        );
    }
    let claim_ids: HashSet<&str> = claims.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(claim_ids.len(), claims.len(), "duplicate claim ids");
    for k in &claims {
        assert!(
            k.line >= 1 && k.line <= lines,
            "claim line {} of {lines}",
            k.line
        );
        for id in &k.cited {
            assert!(ids.contains(id.as_str()), "claim cites unknown {id}");
        }
    }
}

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

/// Page extraction: arbitrary bytes, decoded under an arbitrary Content-Type charset, then
/// main-text extraction. Never a panic; the page keeps the URL it was given.
pub fn page_extract(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let content_type = CONTENT_TYPES[selector as usize % CONTENT_TYPES.len()];
    let decoded = citecheck::charset::decode(rest, content_type);
    let url = "https://news.example/2024/05/article.html";
    let page = citecheck::extract::extract_page(&decoded.text, url);
    assert_eq!(page.url, url);
    let _ = page.text();
}

/// Takes values from the fuzz input in turn, repeating it when it runs out.
struct Source<'a> {
    bytes: &'a [u8],
    i: usize,
}

impl Source<'_> {
    fn byte(&mut self) -> u8 {
        let b = self
            .bytes
            .get(self.i % self.bytes.len().max(1))
            .copied()
            .unwrap_or(0);
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

/// What the report fuzz targets write: a run built from arbitrary text (the document's real
/// citations and claims, plus resolutions, evidence and flags carrying arbitrary strings and
/// floats, NaN and infinities included), with the citations and claims it must keep.
struct Built {
    run: RunResult,
    citations: Vec<citecheck::model::Citation>,
    claims: Vec<citecheck::model::Claim>,
    /// The rest of the input, for more arbitrary values.
    rest: Vec<u8>,
}

fn build_run(data: &[u8]) -> Option<Built> {
    let Ok(text) = std::str::from_utf8(data) else {
        return None;
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
            changes: Vec::new(),
            excluded: Default::default(),
        };
        return Some(Built {
            run,
            citations: Vec::new(),
            claims: Vec::new(),
            rest: data.to_vec(),
        });
    };
    let citations = citecheck::cite::citations(&doc, registry());
    let claims = citecheck::claim::claims(&doc, &citations);
    let statuses = [
        CitationStatus::Found,
        CitationStatus::NotFound,
        CitationStatus::Unreachable,
        CitationStatus::Blocked,
    ];
    let mut resolutions: Vec<Resolution> = Vec::new();
    for c in &citations {
        // Some citations get no resolution at all: the report must still give them a status.
        if src.byte() % 5 == 0 {
            continue;
        }
        let chosen = ScoredCandidate {
            url: src.text(text).to_string(),
            title: src.text(text).to_string(),
            score: src.float(),
            title_similarity: Some(src.float()),
            domain_match: src.byte() % 2 == 0,
            date_offset_days: None,
        };
        resolutions.push(Resolution {
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
        });
    }
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
                        kind: FlagKind::ALL[usize::from(src.byte()) % FlagKind::ALL.len()],
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
            fact_checks: Default::default(),
            not_checked: Vec::new(),
        }],
        failures: Vec::new(),
        changes: Vec::new(),
        excluded: Default::default(),
    };
    Some(Built {
        run,
        citations,
        claims,
        rest: data.get(src.i..).unwrap_or_default().to_vec(),
    })
}

/// The JSON report writer: the arbitrary run must serialise to JSON that serde_json parses
/// back, with every claim and citation present and their text unchanged. The human report
/// must not panic either.
pub fn json_report(data: &[u8]) {
    if let Some(b) = build_run(data) {
        roundtrip(&b.run, &b.citations, &b.claims);
    }
}

/// The official SARIF 2.1.0 schema, compiled once.
fn sarif_schema() -> &'static (boon::Schemas, boon::SchemaIndex) {
    static SCHEMA: OnceLock<(boon::Schemas, boon::SchemaIndex)> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let value: serde_json::Value =
            serde_json::from_str(include_str!("../tests/schemas/sarif-schema-2.1.0.json"))
                .expect("the SARIF schema is JSON");
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler
            .add_resource("urn:sarif-2.1.0", value)
            .expect("schema added");
        let index = compiler
            .compile("urn:sarif-2.1.0", &mut schemas)
            .expect("the SARIF schema compiles");
        (schemas, index)
    })
}

/// The SARIF writer: the arbitrary run, with verdict change events on its claims, must give
/// SARIF that parses back, validates against the official 2.1.0 schema, and holds one result
/// per failing claim and per change event, each with the rule its `ruleIndex` points at, a
/// region of positive lines and columns, and a message.
pub fn sarif_report(data: &[u8]) {
    let Some(mut b) = build_run(data) else {
        return;
    };
    let rest = std::mem::take(&mut b.rest);
    let text = String::from_utf8_lossy(&rest).into_owned();
    let mut src = Source {
        bytes: text.as_bytes(),
        i: 0,
    };
    for k in b.claims.iter().take(4) {
        if src.byte() % 2 == 0 {
            continue;
        }
        b.run.changes.push(VerdictChange {
            document: "fuzz.md".into(),
            claim: k.clone(),
            source: src.text(&text).to_string(),
            class: src.text(&text).to_string(),
            old: Verdict::ALL.get(usize::from(src.byte()) % 6).copied(),
            new: Verdict::ALL[usize::from(src.byte()) % Verdict::ALL.len()],
            old_score: Some(src.float()),
            new_score: src.float(),
            reasons: vec![src.text(&text).to_string()],
            archived_url: (src.byte() % 2 == 0).then(|| src.text(&text).to_string()),
        });
    }
    let mut out = Vec::new();
    reporter(Format::Sarif, false)
        .write(&b.run, &mut out)
        .expect("the SARIF report writes to memory");
    let parsed: serde_json::Value = serde_json::from_slice(&out).expect("SARIF parses back");
    let (schemas, index) = sarif_schema();
    if let Err(e) = schemas.validate(&parsed, *index) {
        panic!("SARIF does not validate against the 2.1.0 schema: {e:#}");
    }
    assert_eq!(parsed["version"], "2.1.0");
    let run = &parsed["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let policy = citecheck::report::Policy::default();
    let failing: usize = b
        .run
        .documents
        .iter()
        .map(|d| d.claims.iter().filter(|c| policy.fails(c)).count())
        .sum();
    assert_eq!(
        results.len(),
        failing + b.run.changes.len(),
        "a failing claim or a change event was lost"
    );
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "ruleIndex names another rule");
        let region = &r["locations"][0]["physicalLocation"]["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap_or(0) >= 1, "{key}: {region}");
        }
        assert!(r["message"]["text"].is_string());
    }
}

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

/// The configuration file: arbitrary text as `config.toml` gives a `FileConfig` or an error
/// that names the file and a line inside it, never a panic.
pub fn config_file(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match citecheck::cli::FileConfig::parse(&text, "fuzz.toml") {
        Ok(_) => {}
        Err(citecheck::cli::ConfigError::Parse {
            path,
            line,
            message,
        }) => {
            assert_eq!(path, "fuzz.toml");
            let lines = text.matches('\n').count() + 1;
            assert!(
                (1..=lines).contains(&line),
                "line {line} outside 1..={lines}: {message}"
            );
            assert!(!message.trim().is_empty());
        }
        Err(other) => panic!("parsing text gave a non-parse error: {other}"),
    }
}

/// The `compare --pairs` input: arbitrary JSON Lines give the pairs or an error naming the
/// file and the line (`pairs.jsonl:N:`), and every accepted pair came from a line with both
/// string fields.
pub fn pairs_input(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match citecheck::cli::parse_pairs_for_fuzzing(&text, "pairs.jsonl") {
        Ok(pairs) => {
            let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
            assert_eq!(pairs.len(), lines, "every non-blank line is one pair");
        }
        Err(message) => {
            let rest = message
                .strip_prefix("pairs.jsonl:")
                .unwrap_or_else(|| panic!("error does not name the file: {message}"));
            let n: usize = rest
                .split(':')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("error does not name the line: {message}"));
            assert!(n >= 1 && n <= text.lines().count().max(1), "{message}");
        }
    }
}

/// Search provider answers: arbitrary bytes, served as any Content-Type, as the answer of
/// each provider (SearXNG, GDELT, Brave web and news, the Wayback CDX and availability answers,
/// Fact Check Tools) give results or a reason, never a panic; no result has a blank URL.
pub fn provider_answer(data: &[u8]) {
    const TYPES: &[Option<&str>] = &[
        None,
        Some("application/json"),
        Some("text/html; charset=utf-8"),
        Some("text/plain"),
    ];
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let body = String::from_utf8_lossy(rest);
    let content_type = TYPES[(selector as usize / 7) % TYPES.len()];
    match citecheck::search::parse_provider_answer(selector, &body, content_type) {
        Ok(urls) => {
            for url in urls {
                assert!(!url.trim().is_empty(), "a result with a blank URL");
            }
        }
        Err(reason) => assert!(!reason.trim().is_empty(), "an error with no reason"),
    }
}
