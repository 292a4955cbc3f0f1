//! SARIF 2.1.0 for code scanning: one result per failing claim, located at the claim's region
//! in the draft (start line and column, end line and column, in Unicode code points). Rules:
//! one per verdict (`verdict/<verdict>`, the result's `ruleId`) and one per flag kind
//! (`flag/<kind>`, listed in the result's `properties.flagRules`). The fingerprint is the same
//! as the baseline's, so code scanning tracks a claim across line moves.

use super::text::{claim_region, path_uri, truncate, verdict_words};
use super::{fingerprint, Context, Finding, Reporter};
use crate::model::{ClaimResult, FlagKind, RunResult, Verdict};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::{self, Write};
use std::sync::Arc;

/// Writes SARIF 2.1.0.
pub struct Sarif {
    pub ctx: Arc<Context>,
}

const FLAGS: [FlagKind; 6] = [
    FlagKind::EntitySwap,
    FlagKind::NumberMismatch,
    FlagKind::NegationFlip,
    FlagKind::CertaintyEscalation,
    FlagKind::AttributionShift,
    FlagKind::QuoteMismatch,
];

fn flag_name(k: FlagKind) -> &'static str {
    match k {
        FlagKind::EntitySwap => "entity_swap",
        FlagKind::NumberMismatch => "number_mismatch",
        FlagKind::NegationFlip => "negation_flip",
        FlagKind::CertaintyEscalation => "certainty_escalation",
        FlagKind::AttributionShift => "attribution_shift",
        FlagKind::QuoteMismatch => "quote_mismatch",
    }
}

fn flag_help(k: FlagKind) -> &'static str {
    match k {
        FlagKind::EntitySwap => {
            "A place, organisation or person in the claim is another one in the source."
        }
        FlagKind::NumberMismatch => {
            "A number, amount or date in the claim differs from the source."
        }
        FlagKind::NegationFlip => "The claim negates or reverses what the source states.",
        FlagKind::CertaintyEscalation => "The source hedges and the claim asserts.",
        FlagKind::AttributionShift => "The claim has a different actor or speaker than the source.",
        FlagKind::QuoteMismatch => {
            "Quoted words in the claim are not found verbatim in the source."
        }
    }
}

fn verdict_help(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "The cited sources support the claim.",
        Verdict::PartiallySupported => "The cited sources support part of the claim.",
        Verdict::NotSupported => "The cited sources do not state the claim.",
        Verdict::Contradicted => "A cited source states something the claim contradicts.",
        Verdict::Unverifiable => "No cited source could be read, or the claim cites none.",
    }
}

fn verdict_rule(v: Verdict) -> String {
    format!("verdict/{}", v.as_str())
}

fn flag_rule(k: FlagKind) -> String {
    format!("flag/{}", flag_name(k))
}

fn level(v: Verdict) -> &'static str {
    match v {
        Verdict::Contradicted | Verdict::NotSupported => "error",
        Verdict::PartiallySupported | Verdict::Unverifiable => "warning",
        Verdict::Supported => "note",
    }
}

fn rules() -> Vec<Value> {
    let mut rules: Vec<Value> = Verdict::ALL
        .iter()
        .map(|&v| {
            json!({
                "id": verdict_rule(v),
                "name": v.as_str(),
                "shortDescription": {"text": format!("Claim {}", verdict_words(v))},
                "fullDescription": {"text": verdict_help(v)},
                "defaultConfiguration": {"level": level(v)},
            })
        })
        .collect();
    rules.extend(FLAGS.iter().map(|&k| {
        json!({
            "id": flag_rule(k),
            "name": flag_name(k),
            "shortDescription": {"text": flag_name(k).replace('_', " ")},
            "fullDescription": {"text": flag_help(k)},
            "defaultConfiguration": {"level": "warning"},
        })
    }));
    rules
}

fn rule_index(v: Verdict) -> usize {
    Verdict::ALL.iter().position(|&x| x == v).unwrap_or(0)
}

impl Sarif {
    fn result(&self, path: &str, c: &ClaimResult, finding: Finding) -> Value {
        let doc = self.ctx.document(path);
        let (start_line, start_column, end_line, end_column) = claim_region(doc, &c.claim);
        let flags: BTreeSet<FlagKind> = c
            .evidence
            .iter()
            .flat_map(|e| e.flags.iter().map(|f| f.kind))
            .collect();
        let mut message = format!(
            "Claim {} (score {:.2}): {}",
            verdict_words(c.verdict),
            c.score,
            truncate(&c.claim.text, 200)
        );
        for r in &c.reasons {
            message.push_str("\n- ");
            message.push_str(r);
        }
        let mut result = json!({
            "ruleId": verdict_rule(c.verdict),
            "ruleIndex": rule_index(c.verdict),
            "level": level(c.verdict),
            "message": {"text": message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": path_uri(path)},
                    "region": {
                        "startLine": start_line,
                        "startColumn": start_column,
                        "endLine": end_line,
                        "endColumn": end_column,
                        "snippet": {"text": c.claim.text},
                    },
                },
            }],
            "partialFingerprints": {"citecheckClaim/v1": fingerprint(path, &c.claim.text)},
            "properties": {
                "claimId": c.claim.id,
                "verdict": c.verdict.as_str(),
                "score": c.score,
                "flagRules": flags.iter().map(|&k| flag_rule(k)).collect::<Vec<_>>(),
                "sources": c.evidence.iter().map(|e| e.url.as_str()).collect::<Vec<_>>(),
            },
        });
        if self.ctx.baseline.is_some() {
            result["baselineState"] = match finding {
                Finding::Known => "unchanged",
                _ => "new",
            }
            .into();
        }
        result
    }
}

impl Reporter for Sarif {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let mut results = Vec::new();
        for d in &run.documents {
            for c in &d.claims {
                let finding = self.ctx.finding(&d.path, c);
                if finding.is_failing() {
                    results.push(self.result(&d.path, c, finding));
                }
            }
        }
        let notifications: Vec<Value> = run
            .failures
            .iter()
            .map(|f| {
                let mut n = json!({
                    "level": "error",
                    "message": {"text": f.message},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": path_uri(&f.path)}}}],
                });
                if let Some(line) = f.line {
                    n["locations"][0]["physicalLocation"]["region"] = json!({"startLine": line});
                }
                n
            })
            .collect();
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "citecheck",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/citecheck/citecheck",
                    "rules": rules(),
                }},
                "columnKind": "unicodeCodePoints",
                "invocations": [{
                    "executionSuccessful": run.failures.is_empty(),
                    "toolExecutionNotifications": notifications,
                }],
                "results": results,
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
        writeln!(out)
    }
}
