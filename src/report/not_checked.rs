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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SentenceClass, Unchecked};

    fn run_with(text: &str) -> RunResult {
        RunResult {
            documents: vec![DocumentResult {
                path: "a.md".into(),
                title: None,
                citations: vec![],
                resolutions: vec![],
                claims: vec![],
                fact_checks: Default::default(),
                not_checked: vec![Unchecked {
                    text: text.into(),
                    line: 3,
                    column: 1,
                    class: SentenceClass::Furniture,
                    why: "editor_note".into(),
                }],
            }],
            failures: vec![],
            changes: vec![],
            excluded: Default::default(),
        }
    }

    #[test]
    fn every_format_lists_the_sentence_with_its_class_escaped() {
        let run = run_with("<script>x</script> | @team");
        let mut md = Vec::new();
        markdown(&run, &mut md).expect("written");
        let md = String::from_utf8(md).expect("utf-8");
        assert!(md.contains("| a.md:3 | furniture (editor note) |"), "{md}");
        assert!(!md.contains("<script>") && !md.contains(" | @team"), "{md}");
        let mut html_out = String::new();
        html(&run.documents[0], &mut html_out);
        assert!(html_out.contains("&lt;script&gt;"), "{html_out}");
        assert!(!html_out.contains("<script>"), "{html_out}");
        let mut human_out = Vec::new();
        human(&run.documents[0], &mut human_out).expect("written");
        let human_out = String::from_utf8(human_out).expect("utf-8");
        assert!(human_out.contains("Not checked (1)"), "{human_out}");
        assert!(human_out.contains("line 3"), "{human_out}");
    }

    #[test]
    fn nothing_is_written_when_everything_was_judged() {
        let mut run = run_with("x");
        run.documents[0].not_checked.clear();
        let mut md = Vec::new();
        markdown(&run, &mut md).expect("written");
        assert!(md.is_empty());
        let mut h = String::new();
        html(&run.documents[0], &mut h);
        assert!(h.is_empty());
    }
}
