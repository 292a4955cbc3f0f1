//! JUnit XML, as CI systems show test results: a `<testsuite>` per document, a `<testcase>` per
//! claim, a `<failure>` for each new failing claim (a failing claim the baseline knows is
//! `<skipped>`), and an `<error>` suite per input that could not be read.
//!
//! It keeps to the strict schema of Jenkins and Surefire (`junit-10.xsd`), which the tests
//! validate against: the document's path is the suite's `file` and each case's `classname`,
//! and the claim's line is in the case's name (`k3 line 12: …`), since a `<testcase>` has no
//! `file` or `line` attribute there.

use super::text::{escape_markup as esc, truncate, verdict_words};
use super::{Context, Finding, Reporter};
use crate::model::{ClaimResult, RunResult};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::Arc;

/// Writes JUnit XML.
pub struct Junit {
    pub ctx: Arc<Context>,
}

fn case(path: &str, c: &ClaimResult, finding: Finding) -> String {
    let name = format!(
        "{} line {}: {}",
        c.claim.id,
        c.claim.line,
        truncate(&c.claim.text, 120)
    );
    let mut s = format!(
        "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
        esc(&name),
        esc(path)
    );
    let mut body = format!(
        "verdict: {}\nscore: {:.2}\nclaim: {}\n",
        verdict_words(c.verdict),
        c.score,
        c.claim.text
    );
    for r in &c.reasons {
        let _ = writeln!(body, "- {r}");
    }
    for e in &c.evidence {
        let _ = writeln!(body, "evidence [{}] {}: {}", e.citation, e.url, e.quote);
    }
    let message = format!(
        "{}: {}",
        verdict_words(c.verdict),
        c.reasons.first().map_or("", String::as_str)
    );
    match finding {
        Finding::Pass => {
            let _ = write!(
                s,
                ">\n      <system-out>{}</system-out>\n    </testcase>\n",
                esc(&body)
            );
        }
        Finding::New => {
            let _ = write!(
                s,
                ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                c.verdict.as_str(),
                esc(&message),
                esc(&body)
            );
        }
        Finding::Known => {
            let _ = write!(
                s,
                ">\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n    </testcase>\n",
                esc(&format!("in baseline: {message}")),
                esc(&body)
            );
        }
    }
    s
}

impl Reporter for Junit {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let mut suites = String::new();
        let (mut tests, mut failures) = (0usize, 0usize);
        for d in &run.documents {
            let mut cases = String::new();
            let (mut f, mut k) = (0usize, 0usize);
            for c in &d.claims {
                let finding = self.ctx.finding(&d.path, c);
                match finding {
                    Finding::New => f += 1,
                    Finding::Known => k += 1,
                    Finding::Pass => {}
                }
                cases.push_str(&case(&d.path, c, finding));
            }
            tests += d.claims.len();
            failures += f;
            let _ = write!(
                suites,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"0\" skipped=\"{k}\" file=\"{}\">\n{cases}  </testsuite>\n",
                esc(&d.path),
                d.claims.len(),
                esc(&d.path)
            );
        }
        for failure in &run.failures {
            let _ = write!(
                suites,
                "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"read input\" classname=\"{}\">\n      <error type=\"input\" message=\"{}\"/>\n    </testcase>\n  </testsuite>\n",
                esc(&failure.path),
                esc(&failure.path),
                esc(&failure.message)
            );
        }
        if !run.changes.is_empty() {
            let mut cases = String::new();
            let mut f = 0usize;
            for c in &run.changes {
                let name = format!(
                    "{} {} line {}: {}",
                    c.document,
                    c.claim.id,
                    c.claim.line,
                    truncate(&c.claim.text, 120)
                );
                let mut body = super::changes::summary(c);
                body.push('\n');
                for r in &c.reasons {
                    let _ = writeln!(body, "- {r}");
                }
                let _ = writeln!(
                    cases,
                    "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">",
                    esc(&name),
                    esc(&c.document)
                );
                if super::changes::fails(&self.ctx, c) {
                    f += 1;
                    let _ = writeln!(
                        cases,
                        "      <failure type=\"verdict_changed\" message=\"{}\">{}</failure>",
                        esc(&format!(
                            "verdict changed {}",
                            super::changes::transition(c)
                        )),
                        esc(&body)
                    );
                } else {
                    let _ = writeln!(cases, "      <system-out>{}</system-out>", esc(&body));
                }
                cases.push_str("    </testcase>\n");
            }
            tests += run.changes.len();
            failures += f;
            let _ = write!(
                suites,
                "  <testsuite name=\"verdict changes\" tests=\"{}\" failures=\"{f}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n",
                run.changes.len()
            );
        }
        let errors = run.failures.len();
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"citecheck\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n",
            tests + errors
        )
    }
}
