//! GitHub Actions workflow commands: one `::error` annotation per new failing claim, at the
//! claim's line and columns, so the draft shows it inline in the pull request. Values are
//! escaped as the runner expects (`%`, CR and LF in messages; also `:` and `,` in properties).

use super::text::{claim_region, truncate, verdict_words};
use super::{Context, Finding, Reporter};
use crate::model::RunResult;
use std::io::{self, Write};
use std::sync::Arc;

/// Writes workflow commands.
pub struct Github {
    pub ctx: Arc<Context>,
}

/// Escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        for d in &run.documents {
            let doc = self.ctx.document(&d.path);
            for c in &d.claims {
                if self.ctx.finding(&d.path, c) != Finding::New {
                    continue;
                }
                let (line, col, end_line, end_col) = claim_region(doc, &c.claim);
                let title = format!("citecheck: claim {}", verdict_words(c.verdict));
                let mut message = truncate(&c.claim.text, 200);
                for r in &c.reasons {
                    message.push_str("\n- ");
                    message.push_str(r);
                }
                let mut props = format!(
                    "file={},line={line},col={col},endLine={end_line}",
                    escape_property(&d.path)
                );
                if end_line == line {
                    props.push_str(&format!(",endColumn={end_col}"));
                }
                writeln!(
                    out,
                    "::error {props},title={}::{}",
                    escape_property(&title),
                    escape_data(&message)
                )?;
            }
        }
        for c in &run.changes {
            let (line, col, end_line, end_col) = super::changes::region(&self.ctx, c);
            let command = if super::changes::fails(&self.ctx, c) {
                "error"
            } else {
                "notice"
            };
            let mut message = super::changes::summary(c);
            for r in &c.reasons {
                message.push_str("\n- ");
                message.push_str(r);
            }
            let mut props = format!(
                "file={},line={line},col={col},endLine={end_line}",
                escape_property(&c.document)
            );
            if end_line == line {
                props.push_str(&format!(",endColumn={end_col}"));
            }
            writeln!(
                out,
                "::{command} {props},title={}::{}",
                escape_property(&format!(
                    "citecheck: verdict changed ({})",
                    super::changes::transition(c)
                )),
                escape_data(&message)
            )?;
        }
        for f in &run.failures {
            let mut props = format!("file={}", escape_property(&f.path));
            if let Some(line) = f.line {
                props.push_str(&format!(",line={line}"));
            }
            writeln!(
                out,
                "::error {props},title=citecheck%3A input error::{}",
                escape_data(&f.message)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50% up\r\nnext"), "50%25 up%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
