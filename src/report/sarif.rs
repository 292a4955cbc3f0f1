//! SARIF 2.1.0 for code scanning: one result per failing claim, located at the claim's region
//! in the draft (start line and column, end line and column, in Unicode code points).
//!
//! Rule ids are per verdict and flag kind, hierarchical as SARIF §3.27.5 allows:
//! `verdict/<verdict>` for a claim without a mismatch flag, `verdict/<verdict>/<flag>` naming
//! its first flag (in the order of [`FlagKind::ALL`], most telling first) otherwise, so code scanning
//! groups "not supported" findings and still tells an entity swap from a hedge made certain.
//! Every flag a claim carries is also listed as a taxon of the `citecheck-flags` taxonomy
//! (`result.taxa`) and in `properties.tags`. The fingerprint is the same as the baseline's, so
//! code scanning tracks a claim across line moves.

use super::text::{artifact_location, claim_region, truncate, verdict_words};
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

/// Where the rules are explained; each rule's `helpUri` is an anchor in it.
pub const RULES_DOC: &str = "https://github.com/citecheck/citecheck/blob/main/docs/rules.md";

/// The `help` of a rule: what it means and what to do, as text and Markdown.
fn rule_help(v: Verdict, flag: Option<FlagKind>) -> Value {
    let what_to_do = match v {
        Verdict::Supported => "Nothing to do.",
        Verdict::PartiallySupported => {
            "Narrow the claim to what the source says, or cite a source for the rest."
        }
        Verdict::NotSupported => "Fix the sentence, or cite the source that does say it.",
        Verdict::Contradicted => "Correct the sentence: its source says otherwise.",
        Verdict::Unverifiable => {
            "Configure a search provider (--search searxng=URL) or cite a reachable source."
        }
    };
    let mut text = format!("{} {what_to_do}", verdict_help(v));
    if let Some(k) = flag {
        text = format!("{} {}", flag_help(k), text);
    }
    let anchor = flag.map(flag_name).unwrap_or(v.as_str());
    json!({
        "text": text,
        "markdown": format!("{text} [More]({RULES_DOC}#{anchor})"),
    })
}

fn help_uri(v: Verdict, flag: Option<FlagKind>) -> String {
    format!("{RULES_DOC}#{}", flag.map(flag_name).unwrap_or(v.as_str()))
}

fn verdict_rule(v: Verdict) -> String {
    format!("verdict/{}", v.as_str())
}

/// The rule of a claim with verdict `v` whose first flag is `flag`.
fn rule_id(v: Verdict, flag: Option<FlagKind>) -> String {
    match flag {
        None => verdict_rule(v),
        Some(k) => format!("verdict/{}/{}", v.as_str(), flag_name(k)),
    }
}

/// The name of the taxonomy flags are taxa of.
const FLAG_TAXONOMY: &str = "citecheck-flags";

/// Verdicts a mismatch flag can come with (a flag turns "supported" into something else).
const FLAGGED_VERDICTS: [Verdict; 3] = [
    Verdict::PartiallySupported,
    Verdict::NotSupported,
    Verdict::Contradicted,
];

fn level(v: Verdict) -> &'static str {
    match v {
        Verdict::Contradicted | Verdict::NotSupported => "error",
        Verdict::PartiallySupported | Verdict::Unverifiable => "warning",
        Verdict::Supported => "note",
    }
}

/// Every rule, in a fixed order: a rule per verdict, then per flagged verdict and flag kind.
fn rules() -> Vec<(String, Value)> {
    let mut rules: Vec<(String, Value)> = Verdict::ALL
        .iter()
        .map(|&v| {
            let id = verdict_rule(v);
            let rule = json!({
                "id": id,
                "name": v.as_str(),
                "shortDescription": {"text": format!("Claim {}", verdict_words(v))},
                "fullDescription": {"text": verdict_help(v)},
                "help": rule_help(v, None),
                "helpUri": help_uri(v, None),
                "defaultConfiguration": {"level": level(v)},
            });
            (id, rule)
        })
        .collect();
    for v in FLAGGED_VERDICTS {
        for k in FlagKind::ALL {
            let id = rule_id(v, Some(k));
            let rule = json!({
                "id": id,
                "name": format!("{}/{}", v.as_str(), flag_name(k)),
                "shortDescription": {"text": format!(
                    "Claim {}: {}", verdict_words(v), flag_name(k).replace('_', " ")
                )},
                "fullDescription": {"text": format!("{} {}", verdict_help(v), flag_help(k))},
                "help": rule_help(v, Some(k)),
                "helpUri": help_uri(v, Some(k)),
                "defaultConfiguration": {"level": level(v)},
                "properties": {"tags": [v.as_str(), flag_name(k)]},
            });
            rules.push((id, rule));
        }
    }
    rules
}

/// The flag kinds as taxa, indexed as [`FlagKind::ALL`].
fn flag_taxonomy() -> Value {
    let taxa: Vec<Value> = FlagKind::ALL
        .iter()
        .map(|&k| {
            json!({
                "id": flag_name(k),
                "name": flag_name(k),
                "shortDescription": {"text": flag_name(k).replace('_', " ")},
                "fullDescription": {"text": flag_help(k)},
                "defaultConfiguration": {"level": "warning"},
            })
        })
        .collect();
    json!({
        "name": FLAG_TAXONOMY,
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://github.com/citecheck/citecheck/blob/main/docs/reports.md",
        "shortDescription": {"text": "How a claim departs from its cited source."},
        "taxa": taxa,
    })
}

fn flag_index(k: FlagKind) -> usize {
    FlagKind::ALL.iter().position(|&x| x == k).unwrap_or(0)
}

/// The rule of a verdict change event (`recheck`).
const CHANGE_RULE: &str = "change/verdict_changed";

fn change_rule() -> Value {
    json!({
        "id": CHANGE_RULE,
        "name": "verdict_changed",
        "shortDescription": {"text": "Claim's verdict changed because its source changed"},
        "fullDescription": {"text": "A recheck found that a cited source changed (edited, \
            corrected, retracted, moved or gone) and the claim, scored again, has another verdict."},
        "help": {
            "text": "A cited source changed since the draft was checked; read the new evidence and correct the claim or its citation.",
            "markdown": format!("A cited source changed since the draft was checked; read the new evidence and correct the claim or its citation. [More]({RULES_DOC}#verdict_changed)"),
        },
        "helpUri": format!("{RULES_DOC}#verdict_changed"),
        "defaultConfiguration": {"level": "warning"},
    })
}

impl Sarif {
    /// A verdict change: `error` when the new verdict fails the policy, else `note`.
    fn change_result(&self, c: &crate::model::VerdictChange, rule_index: usize) -> Value {
        let (start_line, start_column, end_line, end_column) = super::changes::region(&self.ctx, c);
        let mut message = super::changes::summary(c);
        for r in &c.reasons {
            message.push_str("\n- ");
            message.push_str(r);
        }
        let level = if super::changes::fails(&self.ctx, c) {
            "error"
        } else {
            "note"
        };
        json!({
            "ruleId": CHANGE_RULE,
            "ruleIndex": rule_index,
            "level": level,
            "kind": if level == "note" { "informational" } else { "fail" },
            "message": {"text": message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": artifact_location(&c.document),
                    "region": {
                        "startLine": start_line,
                        "startColumn": start_column,
                        "endLine": end_line,
                        "endColumn": end_column,
                    },
                },
            }],
            "partialFingerprints": {
                "citecheckClaim/v1": fingerprint(&c.document, &c.claim.text),
            },
            "properties": {
                "claimId": c.claim.id,
                "old": c.old.map(|v| v.as_str()),
                "verdict": c.new.as_str(),
                "oldScore": c.old_score,
                "score": c.new_score,
                "source": c.source,
                "sourceChange": c.class,
                "archivedUrl": c.archived_url,
            },
        })
    }

    fn result(
        &self,
        path: &str,
        c: &ClaimResult,
        finding: Finding,
        rule_index: &dyn Fn(&str) -> usize,
    ) -> Value {
        let doc = self.ctx.document(path);
        let (start_line, start_column, end_line, end_column) = claim_region(doc, &c.claim);
        let present: BTreeSet<FlagKind> = c
            .evidence
            .iter()
            .flat_map(|e| e.flags.iter().map(|f| f.kind))
            .collect();
        // In FlagKind::ALL order, most telling first; unknown kinds (none today) last.
        let flags: Vec<FlagKind> = FlagKind::ALL
            .iter()
            .copied()
            .filter(|k| present.contains(k))
            .collect();
        let primary = flags
            .first()
            .copied()
            .filter(|_| FLAGGED_VERDICTS.contains(&c.verdict));
        let rule = rule_id(c.verdict, primary);
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
            "ruleId": rule,
            "ruleIndex": rule_index(&rule),
            "level": level(c.verdict),
            "message": {"text": message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": artifact_location(path),
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
                "flags": flags.iter().map(|&k| flag_name(k)).collect::<Vec<_>>(),
                "tags": std::iter::once(c.verdict.as_str())
                    .chain(flags.iter().map(|&k| flag_name(k)))
                    .collect::<Vec<_>>(),
                "sources": c.evidence.iter().map(|e| e.url.as_str()).collect::<Vec<_>>(),
            },
        });
        if !flags.is_empty() {
            result["taxa"] = flags
                .iter()
                .map(|&k| {
                    json!({
                        "id": flag_name(k),
                        "index": flag_index(k),
                        "toolComponent": {"name": FLAG_TAXONOMY, "index": 0},
                    })
                })
                .collect::<Vec<_>>()
                .into();
        }
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
        let mut rules = rules();
        if !run.changes.is_empty() {
            rules.push((CHANGE_RULE.to_string(), change_rule()));
        }
        let index_of = |id: &str| rules.iter().position(|(r, _)| r == id).unwrap_or(0);
        let mut results = Vec::new();
        for d in &run.documents {
            for c in &d.claims {
                let finding = self.ctx.finding(&d.path, c);
                if finding.is_failing() {
                    results.push(self.result(&d.path, c, finding, &index_of));
                }
            }
        }
        for c in &run.changes {
            results.push(self.change_result(c, index_of(CHANGE_RULE)));
        }
        let notifications: Vec<Value> = run
            .failures
            .iter()
            .map(|f| {
                let mut n = json!({
                    "level": "error",
                    "message": {"text": f.message},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact_location(&f.path)}}],
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
                    "rules": rules.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>(),
                    "supportedTaxonomies": [{"name": FLAG_TAXONOMY, "index": 0}],
                }},
                "taxonomies": [flag_taxonomy()],
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_help_and_a_help_uri_whose_anchor_is_documented() {
        let doc = include_str!("../../docs/rules.md");
        let mut all = rules();
        all.push((CHANGE_RULE.to_string(), change_rule()));
        for (id, rule) in all {
            assert!(
                rule["help"]["text"].as_str().is_some_and(|t| t.len() > 20),
                "{id}"
            );
            let uri = rule["helpUri"].as_str().unwrap();
            let anchor = uri.rsplit_once('#').unwrap().1;
            assert!(uri.starts_with(RULES_DOC), "{id}: {uri}");
            assert!(
                doc.lines()
                    .any(|l| l.trim_start_matches('#').trim() == anchor),
                "{id}: docs/rules.md has no heading {anchor}"
            );
        }
    }

    #[test]
    fn locations_are_relative_to_srcroot_or_file_uris() {
        use crate::report::text::artifact_location;
        assert_eq!(
            artifact_location("drafts/a b.md"),
            json!({"uri": "drafts/a%20b.md", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/srv/news/a.md"),
            json!({"uri": "file:///srv/news/a.md"})
        );
    }
}
