//! GitLab Code Quality: a JSON array of issues (`description`, `check_name`, `fingerprint`,
//! `severity`, `location.path`, `location.lines.begin`), one per new failing claim, so merge
//! requests show them in the Code Quality widget.

use super::text::{truncate, verdict_words};
use super::{fingerprint, Context, Finding, Reporter};
use crate::model::{RunResult, Verdict};
use serde_json::json;
use std::io::{self, Write};
use std::sync::Arc;

/// Writes a Code Quality report.
pub struct CodeQuality {
    pub ctx: Arc<Context>,
}

fn severity(v: Verdict) -> &'static str {
    match v {
        Verdict::Contradicted => "critical",
        Verdict::NotSupported => "major",
        Verdict::PartiallySupported => "minor",
        Verdict::Unverifiable | Verdict::Supported => "info",
    }
}

impl Reporter for CodeQuality {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let mut issues = Vec::new();
        for d in &run.documents {
            for c in &d.claims {
                if self.ctx.finding(&d.path, c) != Finding::New {
                    continue;
                }
                let mut description = format!(
                    "Claim {}: {}",
                    verdict_words(c.verdict),
                    truncate(&c.claim.text, 160)
                );
                if let Some(r) = c.reasons.first() {
                    description.push_str(" — ");
                    description.push_str(r);
                }
                issues.push(json!({
                    "type": "issue",
                    "description": description,
                    "check_name": format!("citecheck/{}", c.verdict.as_str()),
                    "categories": ["Bug Risk"],
                    "fingerprint": fingerprint(&d.path, &c.claim.text),
                    "severity": severity(c.verdict),
                    "location": {"path": d.path, "lines": {"begin": c.claim.line}},
                }));
            }
        }
        for c in run
            .changes
            .iter()
            .filter(|c| super::changes::fails(&self.ctx, c))
        {
            issues.push(json!({
                "type": "issue",
                "description": super::changes::summary(c),
                "check_name": "citecheck/verdict_changed",
                "categories": ["Bug Risk"],
                "fingerprint": fingerprint(
                    &c.document,
                    &format!("{}\u{1f}{}\u{1f}{}", c.claim.text, c.source, c.new.as_str())
                ),
                "severity": severity(c.new),
                "location": {"path": c.document, "lines": {"begin": c.claim.line}},
            }));
        }
        serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::other)?;
        writeln!(out)
    }
}
