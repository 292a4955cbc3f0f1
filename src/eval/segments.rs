//! The keep/drop metric of trafilatura's evaluation set.
//!
//! Each page lists short segments the main text must contain (`with`) and boilerplate it must
//! not (`without`). After collapsing whitespace in the output and in each segment, a `with`
//! segment found as a substring is a TP (else an FN) and a `without` segment found is an FP (else
//! a TN). Counts are summed over all pages (micro-average); a crash counts as empty output.

use serde::Serialize;

/// Collapses runs of whitespace to one space and trims.
pub fn normalise_ws(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keep/drop counts, for one page or summed over many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SegmentCounts {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub tn: u64,
}

impl SegmentCounts {
    pub fn add(&mut self, o: SegmentCounts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.tn += o.tn;
    }

    /// Segments this page got wrong (a missing `with` or a kept `without`).
    pub fn errors(&self) -> u64 {
        self.fp + self.fn_
    }
}

/// Scores one page's extracted text against its segments.
pub fn score_page<S: AsRef<str>>(output: &str, with: &[S], without: &[S]) -> SegmentCounts {
    let text = normalise_ws(output);
    let found = |s: &S| text.contains(normalise_ws(s.as_ref()).as_str());
    let tp = with.iter().filter(|s| found(s)).count() as u64;
    let fp = without.iter().filter(|s| found(s)).count() as u64;
    SegmentCounts {
        tp,
        fn_: with.len() as u64 - tp,
        fp,
        tn: without.len() as u64 - fp,
    }
}

/// The published figures from summed counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SegmentScores {
    pub precision: f64,
    pub recall: f64,
    pub accuracy: f64,
    pub f_score: f64,
    pub counts: SegmentCounts,
    pub pages: usize,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

pub fn aggregate(counts: SegmentCounts, pages: usize) -> SegmentScores {
    let SegmentCounts { tp, fp, fn_, tn } = counts;
    SegmentScores {
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
        accuracy: ratio(tp + tn, tp + fp + fn_ + tn),
        f_score: ratio(2 * tp, 2 * tp + fp + fn_),
        counts,
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(output: &str, with: &[&str], without: &[&str], expected: (u64, u64, u64, u64)) {
        let c = score_page(output, with, without);
        assert_eq!((c.tp, c.fp, c.fn_, c.tn), expected, "output: {output:?}");
    }

    #[test]
    fn segments() {
        check(
            "Die GEMA\n  dreht   völlig am Zeiger!",
            &["GEMA dreht völlig"],
            &["Impressum"],
            (1, 0, 0, 1),
        );
        check(
            "Text\nImpressum",
            &["Fehlt"],
            &["Impressum", "Twitter"],
            (0, 1, 1, 1),
        );
        check("", &["a"], &["b"], (0, 0, 1, 1));
        check("a  b", &[" a\tb "], &[], (1, 0, 0, 0));
    }

    #[test]
    fn micro_average() {
        let mut sum = SegmentCounts::default();
        sum.add(SegmentCounts {
            tp: 3,
            fp: 1,
            fn_: 1,
            tn: 2,
        });
        sum.add(SegmentCounts {
            tp: 1,
            fp: 0,
            fn_: 1,
            tn: 1,
        });
        let s = aggregate(sum, 2);
        assert_eq!(s.precision, 0.8);
        assert_eq!(s.recall, 4.0 / 6.0);
        assert_eq!(s.accuracy, 7.0 / 10.0);
        assert_eq!(s.f_score, 8.0 / 11.0);
    }
}
