//! The default report: per document, its citations and what became of them, then each claim
//! with its verdict, score, best evidence and the reasons in plain words.

use super::Reporter;
use crate::model::{CitationStatus, DocumentResult, RunResult, Verdict};
use std::io::{self, Write};

/// A readable report; `color` adds ANSI colours (the caller decides: terminal and no NO_COLOR).
pub struct Human {
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const MAGENTA: &str = "\x1b[35m";

impl Human {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn verdict(&self, v: Verdict) -> String {
        let label = v.as_str().replace('_', " ").to_uppercase();
        let code = match v {
            Verdict::Supported => GREEN,
            Verdict::PartiallySupported => YELLOW,
            Verdict::NotSupported => RED,
            Verdict::Contradicted => MAGENTA,
            Verdict::Unverifiable => DIM,
        };
        self.paint(code, &format!("{label:<19}"))
    }

    fn status(&self, s: CitationStatus) -> String {
        let (label, code) = match s {
            CitationStatus::Found => ("found", GREEN),
            CitationStatus::NotFound => ("not found", YELLOW),
            CitationStatus::Unreachable => ("unreachable", RED),
            CitationStatus::Blocked => ("blocked", RED),
            CitationStatus::Excluded => ("excluded", DIM),
        };
        self.paint(code, &format!("{label:<11}"))
    }

    fn document(&self, d: &DocumentResult, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.paint(BOLD, &d.path))?;
        if let Some(t) = &d.title {
            writeln!(out, "  {t}")?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "  {}",
            self.paint(BOLD, &format!("Citations ({})", d.citations.len()))
        )?;
        if d.citations.is_empty() {
            writeln!(out, "    (the article cites no source)")?;
        }
        for c in &d.citations {
            let r = d.resolutions.iter().find(|r| r.citation_id == c.id);
            let who = c
                .outlet
                .clone()
                .or_else(|| c.registry_outlet.clone())
                .unwrap_or_else(|| "(no outlet named)".to_string());
            let status = r.map_or(CitationStatus::NotFound, |r| r.status);
            writeln!(
                out,
                "    {:<4} line {:<4} {} {}{}",
                c.id,
                c.line,
                self.status(status),
                who,
                c.headline
                    .as_deref()
                    .map(|h| format!(": {h}"))
                    .unwrap_or_default()
            )?;
            if let Some(r) = r {
                if let Some(chosen) = &r.chosen {
                    writeln!(
                        out,
                        "{}",
                        self.paint(
                            DIM,
                            &format!("         -> {} (match {:.2})", chosen.url, chosen.score)
                        )
                    )?;
                }
                if r.status != CitationStatus::Found {
                    if let Some(detail) = &r.detail {
                        writeln!(out, "{}", self.paint(DIM, &format!("         {detail}")))?;
                    }
                }
            }
        }
        writeln!(out)?;
        writeln!(
            out,
            "  {}",
            self.paint(BOLD, &format!("Claims ({})", d.claims.len()))
        )?;
        for c in &d.claims {
            writeln!(
                out,
                "    {:<4} line {:<4} {} {:.2}  {}",
                c.claim.id,
                c.claim.line,
                self.verdict(c.verdict),
                c.score,
                c.claim.text
            )?;
            if let Some(e) = c.evidence.first() {
                let quote: String = e.quote.chars().take(160).collect();
                let ellipsis = if e.quote.chars().count() > 160 {
                    "…"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{}",
                    self.paint(
                        DIM,
                        &format!("         evidence [{}]: “{quote}{ellipsis}”", e.citation)
                    )
                )?;
            }
            for reason in &c.reasons {
                writeln!(out, "         - {reason}")?;
            }
        }
        writeln!(out)?;
        super::not_checked::human(d, out)?;
        let mut counts = Vec::new();
        for v in Verdict::ALL {
            let n = d.claims.iter().filter(|c| c.verdict == v).count();
            if n > 0 {
                counts.push(format!("{n} {}", v.as_str().replace('_', " ")));
            }
        }
        let found = d
            .resolutions
            .iter()
            .filter(|r| r.status == CitationStatus::Found)
            .count();
        writeln!(
            out,
            "  Summary: {} of {} citations found; claims: {}",
            found,
            d.citations.len(),
            if counts.is_empty() {
                "none".to_string()
            } else {
                counts.join(", ")
            }
        )?;
        writeln!(out)
    }
}

impl Reporter for Human {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        for d in &run.documents {
            self.document(d, out)?;
        }
        if !run.excluded.is_empty() {
            let mut parts = Vec::new();
            if !run.excluded.outlets.is_empty() {
                parts.push(format!("outlets {}", run.excluded.outlets.join(", ")));
            }
            if !run.excluded.domains.is_empty() {
                parts.push(format!("domains {}", run.excluded.domains.join(", ")));
            }
            writeln!(out, "Excluded by your settings: {}", parts.join("; "))?;
        }
        for f in &run.failures {
            match f.line {
                Some(line) => writeln!(out, "error: {}:{line}: {}", f.path, f.message)?,
                None => writeln!(out, "error: {}", f.message)?,
            }
        }
        if !run.changes.is_empty() {
            writeln!(
                out,
                "{}",
                self.paint(BOLD, &format!("Verdict changes ({})", run.changes.len()))
            )?;
            for c in &run.changes {
                writeln!(
                    out,
                    "  {}:{} {} {}",
                    c.document,
                    c.claim.line,
                    self.verdict(c.new),
                    super::changes::summary(c)
                )?;
                for reason in &c.reasons {
                    writeln!(out, "         - {reason}")?;
                }
            }
        }
        Ok(())
    }
}
