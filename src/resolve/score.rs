//! Candidate -> score: how likely a search result is the page a citation names.
//!
//! Two signals decide: the page's title against the cited headline, and whether the page
//! belongs to the cited outlet (its own domain, or a portal that names the outlet as its
//! source). Without a headline, the sentence the citation supports stands in for the title.

use crate::cite::registry::{Outlet, OutletRegistry};
use crate::model::{Candidate, Citation, Page, ScoredCandidate};
use crate::search::{corpus::index_tokens, host_of};
use crate::text::{fold, is_cjk};
use std::collections::HashSet;

/// A candidate needs at least this overall score to be taken as the cited page.
pub const ACCEPT_SCORE: f64 = 0.6;
/// Title similarity that is enough on its own, whatever the domain.
pub const TITLE_ACCEPT: f64 = 0.75;
/// Title similarity that is enough when the page belongs to the cited outlet.
pub const TITLE_ACCEPT_ON_DOMAIN: f64 = 0.5;

/// Weight of the title in the overall score when a headline is cited; the domain gets the rest.
const TITLE_WEIGHT: f64 = 0.65;
/// Weight of the context overlap when no headline is cited; the domain gets the rest.
const CONTEXT_WEIGHT: f64 = 0.6;

/// Scores `candidate` for `citation`; see [`score_candidate_in_context`]. Without a context
/// sentence, a headline-less citation can only match on its domain.
pub fn score_candidate(
    citation: &Citation,
    outlet: Option<&Outlet>,
    registry: &OutletRegistry,
    candidate: &Candidate,
    page: Option<&Page>,
) -> ScoredCandidate {
    score_candidate_in_context(citation, "", outlet, registry, candidate, page)
}

/// Scores `candidate` (and its fetched `page`, when there is one) for `citation`.
///
/// The overall score, in 0..1, is:
///
/// - with a cited headline: `0.65 * title_similarity + 0.35 * domain_match`, or just
///   `title_similarity` when the citation names no outlet (nothing to match a domain against);
/// - without one: `0.6 * context_overlap + 0.4 * domain_match`, where `context_overlap` is the
///   share of the context sentence's tokens (CJK bigrams, words) found in the page text (or the
///   candidate's title and snippet before the page is fetched).
///
/// `title_similarity` is the best of Jaro-Winkler and character-bigram Sørensen–Dice over the
/// folded, punctuation-free headline and page title, with and without a site suffix
/// (`标题_新浪财经`, `Title - Reuters`), taken over the candidate's title and the fetched
/// page's title. `domain_match` holds when the host belongs to the outlet, or the page is a
/// portal copy whose `来源:` line names the outlet.
pub fn score_candidate_in_context(
    citation: &Citation,
    context: &str,
    outlet: Option<&Outlet>,
    registry: &OutletRegistry,
    candidate: &Candidate,
    page: Option<&Page>,
) -> ScoredCandidate {
    let domain_match = domain_match(citation, outlet, registry, candidate, page);
    let headline = citation
        .headline
        .as_deref()
        .filter(|h| !h.trim().is_empty());
    let names_outlet = outlet.is_some() || citation.outlet.is_some();
    let domain = if domain_match { 1.0 } else { 0.0 };
    let title = page
        .and_then(|p| p.title.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| candidate.title.clone());
    let (score, title_similarity) = match headline {
        Some(h) => {
            let mut sim = title_similarity(h, &candidate.title);
            if let Some(t) = page.and_then(|p| p.title.as_deref()) {
                sim = sim.max(title_similarity(h, t));
            }
            let score = if names_outlet {
                TITLE_WEIGHT * sim + (1.0 - TITLE_WEIGHT) * domain
            } else {
                sim
            };
            (score, Some(sim))
        }
        None => {
            let text = match page {
                Some(p) => format!("{}\n{}", title, p.text()),
                None => format!(
                    "{}\n{}",
                    candidate.title,
                    candidate.snippet.as_deref().unwrap_or("")
                ),
            };
            let overlap = context_overlap(context, &text);
            (
                CONTEXT_WEIGHT * overlap + (1.0 - CONTEXT_WEIGHT) * domain,
                None,
            )
        }
    };
    ScoredCandidate {
        url: candidate.url.clone(),
        title,
        score: score.clamp(0.0, 1.0),
        title_similarity,
        domain_match,
    }
}

/// Whether a scored candidate is good enough to be the cited page: its score reaches
/// [`ACCEPT_SCORE`] and its title is close to the headline ([`TITLE_ACCEPT`]), or fairly close
/// ([`TITLE_ACCEPT_ON_DOMAIN`]) on the outlet's own domain. Without a headline, the page must
/// also belong to the outlet, since a context sentence alone matches any page on the topic.
pub fn is_accepted(c: &ScoredCandidate) -> bool {
    if c.score < ACCEPT_SCORE {
        return false;
    }
    match c.title_similarity {
        Some(t) => t >= TITLE_ACCEPT || (c.domain_match && t >= TITLE_ACCEPT_ON_DOMAIN),
        None => c.domain_match,
    }
}

/// Whether the candidate belongs to the cited outlet: by host, or as a portal copy naming the
/// outlet in its origin line. When the outlet is not in the registry, the page's site name or
/// origin line must name it as the article did.
fn domain_match(
    citation: &Citation,
    outlet: Option<&Outlet>,
    registry: &OutletRegistry,
    candidate: &Candidate,
    page: Option<&Page>,
) -> bool {
    let hosts: Vec<String> = [
        Some(candidate.url.as_str()),
        page.map(|p| p.url.as_str()),
        page.and_then(|p| p.canonical_url.as_deref()),
    ]
    .into_iter()
    .flatten()
    .filter_map(host_of)
    .collect();
    let origin = page.and_then(|p| p.origin_outlet.as_deref());
    match outlet {
        Some(o) => {
            hosts.iter().any(|h| registry.host_belongs_to(o, h))
                || origin
                    .and_then(|name| registry.lookup(name))
                    .is_some_and(|found| found.id == o.id)
        }
        None => {
            let Some(written) = citation.outlet.as_deref().map(fold) else {
                return false;
            };
            if written.is_empty() {
                return false;
            }
            [origin, page.and_then(|p| p.site_name.as_deref())]
                .into_iter()
                .flatten()
                .any(|n| fold(n) == written)
        }
    }
}

/// Similarity of a cited headline and a page title in 0..1, insensitive to width, script, case,
/// punctuation and a site suffix on the title.
pub fn title_similarity(headline: &str, title: &str) -> f64 {
    let h = clean(&fold(headline));
    if h.is_empty() {
        return 0.0;
    }
    title_variants(title)
        .iter()
        .map(|t| similarity(&h, t))
        .fold(0.0, f64::max)
}

/// The best of Jaro-Winkler and bigram Sørensen–Dice of two cleaned strings.
fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let jw = strsim::jaro_winkler(a, b);
    let dice = strsim::sorensen_dice(a, b);
    jw.max(dice)
}

/// The folded, cleaned title, then the same with each site-suffix split applied: the first
/// part and the longest part of `标题_新浪财经_新浪网`, `Title | Site`, `Title - Site`.
fn title_variants(title: &str) -> Vec<String> {
    let folded = fold(title);
    let mut out = vec![clean(&folded)];
    let parts: Vec<&str> = folded
        .split(['_', '|'])
        .flat_map(|p| p.split(" - "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        out.push(clean(parts[0]));
        if let Some(longest) = parts.iter().max_by_key(|p| p.chars().count()) {
            out.push(clean(longest));
        }
    }
    out.retain(|v| !v.is_empty());
    out.dedup();
    out
}

/// Keeps letters, digits and CJK characters; drops punctuation and whitespace.
fn clean(folded: &str) -> String {
    folded
        .chars()
        .filter(|&c| c.is_alphanumeric() || is_cjk(c))
        .collect()
}

/// The share of `context`'s distinct tokens that occur in `text`.
fn context_overlap(context: &str, text: &str) -> f64 {
    let wanted: HashSet<String> = index_tokens(context).into_iter().collect();
    if wanted.is_empty() {
        return 0.0;
    }
    let have: HashSet<String> = index_tokens(text).into_iter().collect();
    wanted.iter().filter(|t| have.contains(*t)).count() as f64 / wanted.len() as f64
}
