//! A Markdown summary for a pull-request comment: one table row per document with its verdict
//! counts, then a table of the failing claims with the reason. Every cell is escaped, so article
//! text cannot inject HTML, links or mentions into the comment.

use super::text::{escape_markdown_cell as cell, truncate, verdict_words};
use super::{Context, Finding, Reporter};
use crate::model::{RunResult, Verdict};
use std::io::{self, Write};
use std::sync::Arc;

/// Writes the Markdown summary.
pub struct Markdown {
    pub ctx: Arc<Context>,
}

/// The most failing claims listed; the rest are counted.
const MAX_ROWS: usize = 50;

impl Reporter for Markdown {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let claims: usize = run.documents.iter().map(|d| d.claims.len()).sum();
        let mut failing = Vec::new();
        for d in &run.documents {
            for c in &d.claims {
                let f = self.ctx.finding(&d.path, c);
                if f.is_failing() {
                    failing.push((d, c, f));
                }
            }
        }
        let new = failing
            .iter()
            .filter(|(_, _, f)| *f == Finding::New)
            .count();
        let unread = run.failures.len();
        let claims_word = if claims == 1 { "claim" } else { "claims" };
        let mut headline = if new == 0 && unread == 0 {
            format!("✅ citecheck: no failing claims among {claims} {claims_word}")
        } else if new == 0 {
            format!("❌ citecheck: no failing claims among {claims} checked")
        } else {
            let verb = if new == 1 { "fails" } else { "fail" };
            format!("❌ citecheck: {new} of {claims} {claims_word} {verb}")
        };
        if unread > 0 {
            let inputs = if unread == 1 { "input" } else { "inputs" };
            headline.push_str(&format!("; {unread} {inputs} could not be checked"));
        }
        writeln!(out, "### {headline}\n")?;
        write!(out, "| Document |")?;
        for v in Verdict::ALL {
            write!(out, " {} |", verdict_words(v))?;
        }
        writeln!(out, " citations found |")?;
        write!(out, "|---|")?;
        for _ in Verdict::ALL {
            write!(out, "---:|")?;
        }
        writeln!(out, "---:|")?;
        for d in &run.documents {
            write!(out, "| {} |", cell(&d.path))?;
            for v in Verdict::ALL {
                let n = d.claims.iter().filter(|c| c.verdict == v).count();
                write!(out, " {n} |")?;
            }
            let found = d
                .resolutions
                .iter()
                .filter(|r| r.status == crate::model::CitationStatus::Found)
                .count();
            writeln!(out, " {found} of {} |", d.citations.len())?;
        }
        for f in &run.failures {
            write!(out, "| {} |", cell(&f.path))?;
            for _ in Verdict::ALL {
                write!(out, " |")?;
            }
            writeln!(out, " error: {} |", cell(&f.message))?;
        }
        if !failing.is_empty() {
            writeln!(out, "\n#### Failing claims\n")?;
            writeln!(out, "| Where | Verdict | Score | Claim | Why |")?;
            writeln!(out, "|---|---|---:|---|---|")?;
            for (d, c, f) in failing.iter().take(MAX_ROWS) {
                let known = if *f == Finding::Known {
                    " (baseline)"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "| {}:{} | {}{known} | {:.2} | {} | {} |",
                    cell(&d.path),
                    c.claim.line,
                    verdict_words(c.verdict),
                    c.score,
                    cell(&truncate(&c.claim.text, 160)),
                    cell(&truncate(&c.reasons.join("; "), 200)),
                )?;
            }
            if failing.len() > MAX_ROWS {
                writeln!(out, "\n…and {} more.", failing.len() - MAX_ROWS)?;
            }
        }
        if !run.changes.is_empty() {
            writeln!(out, "\n#### Verdict changes\n")?;
            writeln!(out, "| Where | Change | Claim | Source | Why |")?;
            writeln!(out, "|---|---|---|---|---|")?;
            for c in run.changes.iter().take(MAX_ROWS) {
                let mark = if super::changes::fails(&self.ctx, c) {
                    "❌ "
                } else {
                    ""
                };
                writeln!(
                    out,
                    "| {}:{} | {mark}{} | {} | {} ({}) | {} |",
                    cell(&c.document),
                    c.claim.line,
                    cell(&super::changes::transition(c)),
                    cell(&truncate(&c.claim.text, 160)),
                    cell(&c.source),
                    cell(&c.class.replace('_', " ")),
                    cell(&truncate(&c.reasons.join("; "), 200)),
                )?;
            }
            if run.changes.len() > MAX_ROWS {
                writeln!(out, "\n…and {} more.", run.changes.len() - MAX_ROWS)?;
            }
        }
        super::not_checked::markdown(run, out)?;
        Ok(())
    }
}
