//! The "not checked" section every report shares: the sentences of a document that were not
//! judged because they are opinion or furniture, with their class. They never fail a run;
//! `check --check-all` judges them instead.

use super::text::{escape_markdown_cell as cell, escape_markup as esc, truncate};
use crate::model::{DocumentResult, RunResult};
use std::fmt::Write as _;
use std::io::{self, Write};

/// How a class reads in a report: `opinion`, `furniture (heading)`.
fn label(u: &crate::model::Unchecked) -> String {
    match u.class {
        crate::model::SentenceClass::Furniture => {
            format!("furniture ({})", u.why.replace('_', " "))
        }
        c => c.as_str().to_string(),
    }
}

/// The human report's section, after the claims.
pub fn human(d: &DocumentResult, out: &mut dyn Write) -> io::Result<()> {
    if d.not_checked.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "  Not checked ({}): opinion and furniture, never failing (--check-all judges them)",
        d.not_checked.len()
    )?;
    for u in &d.not_checked {
        writeln!(
            out,
            "    line {:<5} {:<24} {}",
            u.line,
            label(u),
            truncate(&u.text, 100)
        )?;
    }
    writeln!(out)
}

/// The Markdown summary's section, after everything else.
pub fn markdown(run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
    let n: usize = run.documents.iter().map(|d| d.not_checked.len()).sum();
    if n == 0 {
        return Ok(());
    }
    writeln!(
        out,
        "\n<details><summary>Not checked ({n}): opinion and furniture</summary>\n"
    )?;
    writeln!(out, "| Where | Class | Sentence |")?;
    writeln!(out, "|---|---|---|")?;
    for d in &run.documents {
        for u in &d.not_checked {
            writeln!(
                out,
                "| {}:{} | {} | {} |",
                cell(&d.path),
                u.line,
                cell(&label(u)),
                cell(&truncate(&u.text, 160))
            )?;
        }
    }
    writeln!(out, "\n</details>")
}

/// The HTML report's section, under the document's article.
pub fn html(d: &DocumentResult, out: &mut String) {
    if d.not_checked.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<details class=\"not-checked\"><summary>Not checked ({}): opinion and furniture</summary><ul>",
        d.not_checked.len()
    );
    for u in &d.not_checked {
        let _ = write!(
            out,
            "<li>line {} · <span class=\"badge\">{}</span> {}</li>",
            u.line,
            esc(&label(u)),
            esc(&u.text)
        );
    }
    out.push_str("</ul></details>");
}
