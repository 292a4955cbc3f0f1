//! The readable form of an [`ExtractionReport`]: the figures, the timing and the worst pages.

use super::{ExtractionReport, PageResult};
use std::fmt::Write;

/// Renders `report` for a terminal, listing the `worst` pages with the most errors.
pub fn render_human(report: &ExtractionReport, worst: usize) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_report(&mut out, report, worst);
    out
}

fn write_report(out: &mut String, r: &ExtractionReport, worst: usize) -> std::fmt::Result {
    writeln!(
        out,
        "{} ({} pages), system: {}",
        r.dataset.name(),
        r.pages,
        r.system
    )?;
    if let Some(s) = &r.words {
        writeln!(
            out,
            "  shingles (\\w+ tokens, published metric): precision {:.3}  recall {:.3}  F1 {:.3}  accuracy {:.3}",
            s.precision, s.recall, s.f1, s.accuracy
        )?;
    }
    if let Some(s) = &r.cjk_chars {
        writeln!(
            out,
            "  shingles (one token per CJK character):  precision {:.3}  recall {:.3}  F1 {:.3}  accuracy {:.3}",
            s.precision, s.recall, s.f1, s.accuracy
        )?;
    }
    if let Some(s) = &r.segments {
        let c = s.counts;
        writeln!(
            out,
            "  segments: precision {:.3}  recall {:.3}  accuracy {:.3}  F {:.3}  (tp {} fp {} fn {} tn {})",
            s.precision, s.recall, s.accuracy, s.f_score, c.tp, c.fp, c.fn_, c.tn
        )?;
    }
    if let Some(d) = &r.dates {
        writeln!(
            out,
            "  dates: {}/{} correct ({:.3}), {} wrong, {} missing; {} pages without a gold date, {} given one anyway",
            d.correct, d.with_gold_date, d.accuracy, d.wrong, d.missing, d.without_gold_date, d.spurious
        )?;
    }
    if let Some(t) = &r.timing {
        writeln!(
            out,
            "  time per page (decode + extract): mean {:.1} ms, median {:.1} ms, max {:.1} ms ({}, {} bytes); total {:.0} ms",
            t.mean_ms, t.median_ms, t.max_ms, t.slowest, t.slowest_html_bytes, t.total_ms
        )?;
    }
    if !r.failures.is_empty() {
        writeln!(out, "  {} pages scored as empty output:", r.failures.len())?;
        for f in &r.failures {
            writeln!(out, "    {}: {}", f.id, f.message)?;
        }
    }
    let mut pages: Vec<&PageResult> = r.page_results.iter().collect();
    if r.segments.is_some() {
        pages.sort_by_key(|p| std::cmp::Reverse(p.segments.map_or(0, |s| s.errors())));
        pages.retain(|p| p.segments.is_some_and(|s| s.errors() > 0));
    } else {
        pages.sort_by(|a, b| page_f1(a).total_cmp(&page_f1(b)));
        pages.retain(|p| page_f1(p) < 1.0);
    }
    if worst > 0 && !pages.is_empty() {
        writeln!(out, "  worst pages:")?;
        for p in pages.iter().take(worst) {
            let url = p.url.as_deref().unwrap_or("");
            match (p.words, p.segments) {
                (Some(w), _) => writeln!(
                    out,
                    "    F1 {:.3}  P {:.3}  R {:.3}  ours {} chars, gold {}  {}  {}",
                    w.f1(),
                    w.precision().unwrap_or(0.0),
                    w.recall().unwrap_or(0.0),
                    p.predicted_chars,
                    p.gold_chars,
                    p.id,
                    url
                )?,
                (None, Some(s)) => writeln!(
                    out,
                    "    missed {} kept {} of {}+{}  ours {} chars  {}  {}",
                    s.fn_,
                    s.fp,
                    s.tp + s.fn_,
                    s.fp + s.tn,
                    p.predicted_chars,
                    p.id,
                    url
                )?,
                (None, None) => {}
            }
        }
    }
    Ok(())
}

fn page_f1(p: &PageResult) -> f64 {
    p.words.map_or(0.0, |w| w.f1())
}
