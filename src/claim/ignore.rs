//! Inline suppression: an editor writes `<!-- citecheck-ignore -->` (Markdown, HTML) or
//! `// citecheck-ignore` (any format) to keep citecheck from reporting one claim. A marker
//! alone on its line suppresses the next claim (the first starting on that line or later); a
//! marker after text on a line suppresses the claims starting on that line. Pure: it reads the
//! input's raw text, since the document drops comments.

use crate::model::Claim;
use std::collections::HashSet;

/// The word every marker form contains.
pub const MARKER: &str = "citecheck-ignore";

/// Where an input's markers are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreMarkers {
    /// Lines holding a marker after text: their claims are suppressed.
    pub same_line: HashSet<usize>,
    /// Lines holding only a marker, sorted: each suppresses the next claim.
    pub standalone: Vec<usize>,
}

impl IgnoreMarkers {
    /// Finds the markers of a raw input text (1-based lines).
    pub fn parse(raw: &str) -> IgnoreMarkers {
        let mut m = IgnoreMarkers::default();
        if !raw.contains(MARKER) {
            return m;
        }
        for (i, line) in raw.lines().enumerate() {
            let Some(at) = line.find(MARKER) else {
                continue;
            };
            let before = line[..at].trim_end();
            let before = before
                .strip_suffix("<!--")
                .or_else(|| before.strip_suffix("//"))
                .map(str::trim_end);
            // Only the two comment forms count: the bare word in prose is not a marker.
            let Some(before) = before else {
                continue;
            };
            let after = line[at + MARKER.len()..].trim();
            let after = after.strip_prefix("-->").unwrap_or(after).trim();
            if before.is_empty() && after.is_empty() {
                m.standalone.push(i + 1);
            } else {
                m.same_line.insert(i + 1);
            }
        }
        m
    }

    pub fn is_empty(&self) -> bool {
        self.same_line.is_empty() && self.standalone.is_empty()
    }

    /// Whether `claim` is suppressed, given the line of the claim before it in article order
    /// (0 for the first). Callers walking claims one at a time use this.
    pub fn suppresses(&self, claim: &Claim, previous_line: usize) -> bool {
        if self.same_line.contains(&claim.line) || claim.text.contains(MARKER) {
            return true;
        }
        self.standalone
            .iter()
            .any(|&l| l > previous_line && l <= claim.line)
    }

    /// The ids of the suppressed claims among `claims` (in article order).
    pub fn suppressed(&self, claims: &[Claim]) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut previous = 0;
        for c in claims {
            if self.suppresses(c, previous) {
                out.insert(c.id.clone());
            }
            previous = c.line;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClaimKind;

    fn claim(id: &str, line: usize) -> Claim {
        Claim {
            id: id.into(),
            kind: ClaimKind::Statement,
            text: format!("claim {id}"),
            line,
            column: 1,
            cited: vec![],
            binding: None,
        }
    }

    fn check(raw: &str, lines: &[usize], expected: &[&str]) {
        let claims: Vec<Claim> = lines
            .iter()
            .enumerate()
            .map(|(i, &l)| claim(&format!("k{}", i + 1), l))
            .collect();
        let got = IgnoreMarkers::parse(raw).suppressed(&claims);
        let mut got: Vec<&str> = got.iter().map(String::as_str).collect();
        got.sort_unstable();
        assert_eq!(got, expected, "{raw:?}");
    }

    #[test]
    fn a_marker_alone_suppresses_the_next_claim_only() {
        check(
            "# T\n\n<!-- citecheck-ignore -->\nA.\n\nB.\n",
            &[1, 4, 6],
            &["k2"],
        );
        check(
            "A.\n// citecheck-ignore\n\nB. C.\nD.\n",
            &[1, 4, 4, 5],
            &["k2"],
        );
    }

    #[test]
    fn a_trailing_marker_suppresses_its_line() {
        check(
            "A. B. <!-- citecheck-ignore -->\nC.\n",
            &[1, 1, 2],
            &["k1", "k2"],
        );
        check("A.\nB. // citecheck-ignore\n", &[1, 2], &["k2"]);
    }

    #[test]
    fn the_bare_word_in_prose_is_not_a_marker() {
        check("We discuss citecheck-ignore here.\nB.\n", &[1, 2], &[]);
        assert!(IgnoreMarkers::parse("no markers").is_empty());
    }
}
