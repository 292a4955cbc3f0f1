//! One line per claim, as compilers print diagnostics: `file:line:col: verdict: claim`, so an
//! editor's quickfix list (Vim's `errorformat`, Emacs' compilation mode, VS Code's problem
//! matchers) jumps to it and `grep "not supported"` finds it. Claims that fail the policy say
//! so (`not supported [fails]`); inputs that could not be read are `file:line:1: error: …`.
//! Verdict change events of a recheck are one line each too.

use super::text::{claim_region, verdict_words};
use super::{Context, Finding, Reporter};
use crate::model::RunResult;
use std::io::{self, Write};
use std::sync::Arc;

/// Writes one line per claim.
pub struct Short {
    pub ctx: Arc<Context>,
}

/// The claim text on one line, at most `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    super::text::truncate(&flat, max)
}

impl Reporter for Short {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        for f in &run.failures {
            writeln!(
                out,
                "{}:{}:1: error: {}",
                f.path,
                f.line.unwrap_or(1),
                one_line(&f.message, 300)
            )?;
        }
        for d in &run.documents {
            let doc = self.ctx.document(&d.path);
            for c in &d.claims {
                let (line, col, _, _) = claim_region(doc, &c.claim);
                let marker = match self.ctx.finding(&d.path, c) {
                    Finding::New => " [fails]",
                    Finding::Known => " [baselined]",
                    Finding::Pass => "",
                };
                writeln!(
                    out,
                    "{}:{line}:{col}: {}{marker}: {}",
                    d.path,
                    verdict_words(c.verdict),
                    one_line(&c.claim.text, 200)
                )?;
            }
        }
        for c in &run.changes {
            let (line, col, _, _) = super::changes::region(&self.ctx, c);
            writeln!(
                out,
                "{}:{line}:{col}: changed to {}: {}",
                c.document,
                verdict_words(c.new),
                one_line(&c.claim.text, 200)
            )?;
        }
        Ok(())
    }
}
