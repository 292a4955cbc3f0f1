//! Candidate -> score: how likely a search result is the page a citation names.
//!
//! Two signals decide: the page's title against the cited headline, and whether the page
//! belongs to the cited outlet (its own domain, or a portal that names the outlet as its
//! source). Without a headline, the sentence the citation supports stands in for the title.

use super::anchors::{anchor_share, anchors_of};
use super::date::{date_offset, MAX_DATE_OFFSET_DAYS};
use crate::cite::registry::{Outlet, OutletRegistry};
use crate::model::{Candidate, Citation, Page, ScoredCandidate};
use crate::search::{corpus::index_tokens, host_of};
use crate::text::{fold, is_cjk};
use std::collections::{HashMap, HashSet};

/// A candidate needs at least this overall score to be taken as the cited page.
pub const ACCEPT_SCORE: f64 = 0.6;
/// Title similarity that is enough on its own, whatever the domain.
pub const TITLE_ACCEPT: f64 = 0.75;
/// Title similarity that is enough when the page belongs to the cited outlet. At 0.5 another
/// story about the same company on the same site passes (`Halvern Semiconductor quarterly
/// revenue rises…` against `Halvern Semiconductor revenue slips…` is 0.55), so it is 0.6.
pub const TITLE_ACCEPT_ON_DOMAIN: f64 = 0.6;

/// Days between cited and page date that cost nothing (time zones, late indexing, updates).
const DATE_SLACK_DAYS: i64 = 7;
/// Factor on the score of a page dated more than `DATE_SLACK_DAYS` from the citation.
const DATE_PENALTY: f64 = 0.9;

/// Weight of the title in the overall score when a headline is cited; the domain gets the rest.
const TITLE_WEIGHT: f64 = 0.65;
/// Weight of the context match when no headline is cited; the domain gets the rest.
const CONTEXT_WEIGHT: f64 = 0.6;
/// Score a headline-less candidate needs: on the outlet (0.4) and a context match of at least
/// 0.5, so half the claim's words, or its names and figures, are on the page. A story on the
/// same topic from the same outlet shares a third of them.
pub const CONTEXT_ACCEPT: f64 = 0.7;
/// Factor on the share of names and figures found when the page is in the other language.
const CROSS_LANGUAGE_DAMPING: f64 = 0.7;
/// Figures a claim must state before a page holding none of them is marked down.
const MIN_FIGURES_TO_GATE: usize = 2;
/// Factor on the context match of a page that holds none of the claim's figures.
const FIGURES_MISSING_FACTOR: f64 = 0.5;
/// Names of the claim a page in the other language must hold to match on anchors.
const MIN_CROSS_LANGUAGE_NAMES: usize = 2;

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
/// - without one: `0.6 * context_match + 0.4 * domain_match`, where [`context_match`] measures
///   the context sentence (the claim) against the page text (or the candidate's title and
///   snippet before the page is fetched): its tokens (CJK bigrams, words), names and figures.
///
/// `title_similarity` is the best of Jaro-Winkler (damped, see `similarity`) and
/// character-bigram Sørensen–Dice over the folded, punctuation-free headline and page title,
/// with and without a site suffix (`标题_新浪财经`, `Title - Reuters`), taken over the
/// candidate's title and the fetched page's title. `domain_match` holds when the host belongs to the outlet, or the page is a
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
            let names: Vec<String> = outlet
                .into_iter()
                .flat_map(Outlet::names)
                .map(str::to_string)
                .chain(citation.outlet.iter().cloned())
                .collect();
            let content = context_match(context, &names, &text);
            (
                CONTEXT_WEIGHT * content + (1.0 - CONTEXT_WEIGHT) * domain,
                None,
            )
        }
    };
    let page_date = page
        .and_then(|p| p.published.as_deref())
        .or(candidate.published.as_deref());
    let date_offset_days = date_offset(citation.date.as_deref(), page_date);
    // A page dated a week or more from the citation ranks below one dated right.
    let score = match date_offset_days {
        Some(d) if d.abs() > DATE_SLACK_DAYS => score * DATE_PENALTY,
        _ => score,
    };
    ScoredCandidate {
        url: candidate.url.clone(),
        title,
        score: score.clamp(0.0, 1.0),
        title_similarity,
        domain_match,
        date_offset_days,
    }
}

/// Whether a scored candidate is good enough to be the cited page: its score reaches
/// [`ACCEPT_SCORE`] and its title is close to the headline ([`TITLE_ACCEPT`]), or fairly close
/// ([`TITLE_ACCEPT_ON_DOMAIN`]) on the outlet's own domain. Without a headline, the page must
/// also belong to the outlet and reach [`CONTEXT_ACCEPT`], since a context sentence matches
/// any page on the topic a little.
///
/// A page dated more than [`MAX_DATE_OFFSET_DAYS`] from the cited date is never accepted:
/// outlets reuse headlines (monthly statistics, annual events).
pub fn is_accepted(c: &ScoredCandidate) -> bool {
    if c.score < ACCEPT_SCORE {
        return false;
    }
    if c.date_offset_days
        .is_some_and(|d| d.abs() > MAX_DATE_OFFSET_DAYS)
    {
        return false;
    }
    match c.title_similarity {
        Some(t) => t >= TITLE_ACCEPT || (c.domain_match && t >= TITLE_ACCEPT_ON_DOMAIN),
        None => c.domain_match && c.score >= CONTEXT_ACCEPT,
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

/// Jaro-Winkler below this says nothing: unrelated Chinese headlines that open with the same
/// company name (`英伟达暂停…`, `英伟达要求…`) already reach 0.8.
const JW_FLOOR: f64 = 0.7;

/// The best of (rescaled) Jaro-Winkler and bigram Sørensen–Dice of two cleaned strings.
///
/// Jaro-Winkler rewards a shared prefix and forgives typos, but it is high even for different
/// headlines on the same subject and for a short title that is only a prefix (`Nvidia`), so it
/// is rescaled from `JW_FLOOR..1` to `0..1` and multiplied by the square root of the length
/// ratio before taking the maximum. Dice is used as is.
fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let jw = strsim::jaro_winkler(a, b);
    let (la, lb) = (a.chars().count() as f64, b.chars().count() as f64);
    let length_ratio = (la.min(lb) / la.max(lb)).sqrt();
    let jw = ((jw - JW_FLOOR) / (1.0 - JW_FLOOR)).clamp(0.0, 1.0) * length_ratio;
    jw.max(dice(a, b))
}

/// Sørensen–Dice over character bigrams (multiset). `strsim::sorensen_dice` divides by byte
/// lengths, which pulls Chinese scores down to about a third, so it is not used.
fn dice(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() < 2 || b.len() < 2 {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut counts: HashMap<(char, char), usize> = HashMap::new();
    for w in a.windows(2) {
        *counts.entry((w[0], w[1])).or_default() += 1;
    }
    let mut shared = 0usize;
    for w in b.windows(2) {
        if let Some(n) = counts.get_mut(&(w[0], w[1])) {
            if *n > 0 {
                *n -= 1;
                shared += 1;
            }
        }
    }
    (2 * shared) as f64 / (a.len() + b.len() - 2) as f64
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
/// How well a page's text matches the claim a headline-less citation supports, in 0..1.
///
/// In the claim's own language it is the token overlap ([`context_overlap`], the outlet's names
/// left out), raised towards the share of the claim's names and figures on the page
/// ([`anchor_share`]) when that is higher: a paraphrase keeps its names and figures while its
/// words change. Across languages (a Chinese claim, an English page) no word can overlap, so
/// the anchors alone decide, damped by [`CROSS_LANGUAGE_DAMPING`], and at least two names must
/// be on the page: one name (the company) is on every page about it. A page holding none of
/// the claim's figures (when it states two or more) is marked down by
/// [`FIGURES_MISSING_FACTOR`].
pub fn context_match(context: &str, outlet_names: &[String], text: &str) -> f64 {
    let mut claim = context.to_string();
    let mut names: Vec<&String> = outlet_names.iter().filter(|n| !n.is_empty()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for n in names {
        claim = claim.replace(n.as_str(), " ");
    }
    let overlap = context_overlap(&claim, text);
    let anchors = anchors_of(&claim, &[]);
    if anchors.is_empty() {
        return overlap;
    }
    let found = anchor_share(&anchors, text);
    // Monthly figures, annual events: the same outlet's story of another month shares every
    // word but the numbers. A claim may garble one figure, not all of them.
    let figures_factor = if anchors.figures.len() >= MIN_FIGURES_TO_GATE && found.figures == 0 {
        FIGURES_MISSING_FACTOR
    } else {
        1.0
    };
    if mostly_cjk(&claim) != mostly_cjk(text) {
        if found.names < MIN_CROSS_LANGUAGE_NAMES {
            return overlap * figures_factor;
        }
        return overlap.max(CROSS_LANGUAGE_DAMPING * found.share) * figures_factor;
    }
    overlap.max((overlap + found.share) / 2.0) * figures_factor
}

/// Whether most letters of `text` are Chinese characters.
fn mostly_cjk(text: &str) -> bool {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if is_cjk(c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A Chinese character carries about as much as a short word of three letters.
    cjk * 3 >= latin
}

fn context_overlap(context: &str, text: &str) -> f64 {
    let wanted: HashSet<String> = index_tokens(context).into_iter().collect();
    if wanted.is_empty() {
        return 0.0;
    }
    let have: HashSet<String> = index_tokens(text).into_iter().collect();
    wanted.iter().filter(|t| have.contains(*t)).count() as f64 / wanted.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CitationKind;

    fn citation(outlet: Option<&str>, headline: Option<&str>) -> Citation {
        Citation {
            id: "c1".to_string(),
            kind: CitationKind::SourceLine,
            outlet: outlet.map(str::to_string),
            registry_outlet: None,
            headline: headline.map(str::to_string),
            url: None,
            date: None,
            line: 1,
            column: 1,
        }
    }

    fn candidate(url: &str, title: &str) -> Candidate {
        Candidate {
            url: url.to_string(),
            title: title.to_string(),
            snippet: None,
            published: None,
            provider: "test".to_string(),
        }
    }

    fn score(
        outlet: &str,
        headline: Option<&str>,
        context: &str,
        cand: &Candidate,
        page: Option<&Page>,
    ) -> ScoredCandidate {
        let reg = OutletRegistry::builtin();
        let c = citation(Some(outlet), headline);
        score_candidate_in_context(&c, context, reg.lookup(outlet), &reg, cand, page)
    }

    #[test]
    fn exact_headline_despite_width_and_site_suffix() {
        let cand = candidate(
            "https://finance.sina.com.cn/stock/a.shtml",
            "渐失中国市场，不影响英伟达狂飙？_新浪财经_新浪网",
        );
        let s = score(
            "新浪财经",
            Some("渐失中国市场,不影响英伟达狂飙?"),
            "",
            &cand,
            None,
        );
        assert!(s.domain_match);
        assert!(s.title_similarity.unwrap() >= 0.95, "{s:?}");
        assert!(s.score >= 0.95, "{s:?}");
        assert!(is_accepted(&s));

        // The same title elsewhere is still accepted on the title alone.
        let cand = candidate(
            "https://www.example.com/a",
            "渐失中国市场，不影响英伟达狂飙？",
        );
        let s = score(
            "新浪财经",
            Some("渐失中国市场,不影响英伟达狂飙?"),
            "",
            &cand,
            None,
        );
        assert!(!s.domain_match);
        assert!(s.title_similarity.unwrap() >= 0.95);
        assert!(is_accepted(&s), "{s:?}");
    }

    #[test]
    fn traditional_script_and_english_suffix() {
        assert!(title_similarity("英伟达暂停H20芯片生产", "英偉達暫停H20芯片生產") >= 0.95);
        assert!(
            title_similarity(
                "Nvidia halts H20 production",
                "Nvidia halts H20 production - Reuters"
            ) >= 0.95
        );
        assert!(title_similarity("Nvidia halts H20 production", "Nvidia | Home") < 0.5);
    }

    #[test]
    fn different_headline_on_same_domain_scores_below_accept() {
        for title in [
            "英伟达公布第二季度财报 营收同比增长56%",
            "中国7月CPI同比持平",
        ] {
            let cand = candidate("https://www.guancha.cn/economy/x.shtml", title);
            let s = score("观察者网", Some("英伟达暂停H20芯片生产"), "", &cand, None);
            assert!(s.domain_match);
            assert!(s.score < ACCEPT_SCORE, "{title}: {s:?}");
            assert!(!is_accepted(&s));
        }
    }

    #[test]
    fn related_story_on_same_domain_is_not_accepted() {
        let cases = [
            (
                "观察者网",
                "英伟达暂停H20芯片生产",
                "https://www.guancha.cn/a.shtml",
                "英伟达要求供应商暂停H20相关工作",
            ),
            (
                "Reuters",
                "Halvern Semiconductor quarterly revenue rises 5.3% on data centre demand",
                "https://www.reuters.com/technology/x",
                "Halvern Semiconductor revenue slips as auto chip demand cools",
            ),
        ];
        for (outlet, headline, url, title) in cases {
            let s = score(outlet, Some(headline), "", &candidate(url, title), None);
            assert!(s.domain_match);
            assert!(!is_accepted(&s), "{title}: {s:?}");
        }
        // A reworded headline of the same story on the outlet's site is accepted.
        let s = score(
            "观察者网",
            Some("美国考虑限制英伟达向中东出口AI芯片"),
            "",
            &candidate(
                "https://www.guancha.cn/b.shtml",
                "美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片",
            ),
            None,
        );
        assert!(is_accepted(&s), "{s:?}");
    }

    #[test]
    fn dice_counts_characters_not_bytes() {
        assert!((dice("渐失中国市场", "渐失中国市场") - 1.0).abs() < 1e-9);
        assert!((dice("abcd", "abce") - 2.0 / 3.0).abs() < 1e-9);
        assert!((dice("中国市场", "中国市价") - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(dice("a", "b"), 0.0);
    }

    #[test]
    fn portal_copy_naming_the_outlet_counts_as_its_domain() {
        let cand = candidate(
            "https://news.sina.com.cn/c/x.shtml",
            "国家统计局：7月失业率5.2%",
        );
        let page = Page {
            url: cand.url.clone(),
            title: Some("国家统计局：7月失业率5.2%".to_string()),
            origin_outlet: Some("新华网".to_string()),
            ..Page::default()
        };
        let without = score("新华社", Some("国家统计局：7月失业率5.2%"), "", &cand, None);
        assert!(!without.domain_match);
        let with = score(
            "新华社",
            Some("国家统计局：7月失业率5.2%"),
            "",
            &cand,
            Some(&page),
        );
        assert!(with.domain_match, "{with:?}");
        assert!(with.score >= 0.95);

        let other = Page {
            origin_outlet: Some("观察者网".to_string()),
            ..page
        };
        let s = score(
            "新华社",
            Some("国家统计局：7月失业率5.2%"),
            "",
            &cand,
            Some(&other),
        );
        assert!(!s.domain_match);
    }

    #[test]
    fn page_title_can_rescue_a_poor_search_title() {
        let cand = candidate("https://www.guancha.cn/a.shtml", "观察者网");
        let page = Page {
            title: Some("英伟达暂停H20芯片生产".to_string()),
            ..Page::default()
        };
        let s = score(
            "观察者网",
            Some("英伟达暂停H20芯片生产"),
            "",
            &cand,
            Some(&page),
        );
        assert!(is_accepted(&s), "{s:?}");
        assert_eq!(s.title, "英伟达暂停H20芯片生产");
    }

    #[test]
    fn headline_less_citation_matches_context_on_the_outlet() {
        let context = "7月份全国城镇调查失业率为5.2%，比上月上升0.2个百分点";
        let page = Page {
            title: Some("国家统计局发布7月数据".to_string()),
            paragraphs: vec![
                "国家统计局15日发布数据，7月份全国城镇调查失业率为5.2%，比上月上升0.2个百分点。"
                    .to_string(),
            ],
            ..Page::default()
        };
        let on = candidate("https://www.news.cn/a.htm", "国家统计局发布7月数据");
        let s = score("新华社", None, context, &on, Some(&page));
        assert_eq!(s.title_similarity, None);
        assert!(s.domain_match);
        assert!(is_accepted(&s), "{s:?}");

        let off = candidate("https://www.example.com/a.htm", "国家统计局发布7月数据");
        let s = score("新华社", None, context, &off, Some(&page));
        assert!(!is_accepted(&s), "{s:?}");

        let unrelated = Page {
            paragraphs: vec!["英伟达公布财报。".to_string()],
            ..page
        };
        let s = score("新华社", None, context, &on, Some(&unrelated));
        assert!(!is_accepted(&s), "{s:?}");
    }

    #[test]
    fn a_chinese_claim_matches_an_english_report_on_its_names_and_figures() {
        let context = "据路透社报道，英伟达在中东的订单增长了15%。";
        let page = Page {
            title: Some("Nvidia's Gulf orders jump".to_string()),
            paragraphs: vec![
                "Nvidia's orders from the Middle East grew 15% in the quarter, two people \
                 familiar with the matter told Reuters."
                    .to_string(),
            ],
            ..Page::default()
        };
        let on = candidate(
            "https://www.reuters.com/tech/a",
            "Nvidia's Gulf orders jump",
        );
        let s = score("路透社", None, context, &on, Some(&page));
        assert!(is_accepted(&s), "{s:?}");
        // The same company in another Reuters story is not the report.
        let other = Page {
            title: Some("Nvidia unveils a gaming card".to_string()),
            paragraphs: vec!["Nvidia unveiled a new gaming card on Tuesday in Taipei.".to_string()],
            ..Page::default()
        };
        let s = score("路透社", None, context, &on, Some(&other));
        assert!(!is_accepted(&s), "{s:?}");
    }

    #[test]
    fn a_same_topic_story_from_the_outlet_is_not_clearly_the_report() {
        let context = "据新华社报道，7月份全国城镇调查失业率为5.2%，比上月上升0.2个百分点";
        let page = Page {
            title: Some("国家统计局发布6月数据".to_string()),
            paragraphs: vec!["国家统计局发布数据，6月份全国城镇调查失业率为5.0%。".to_string()],
            ..Page::default()
        };
        let on = candidate("https://www.news.cn/b.htm", "国家统计局发布6月数据");
        let s = score("新华社", None, context, &on, Some(&page));
        assert!(!is_accepted(&s), "{s:?}");
    }

    #[test]
    fn without_an_outlet_the_title_alone_decides() {
        let reg = OutletRegistry::builtin();
        let c = citation(None, Some("英伟达暂停H20芯片生产"));
        let cand = candidate("https://www.example.com/a", "英伟达暂停H20芯片生产");
        let s = score_candidate(&c, None, &reg, &cand, None);
        assert!(!s.domain_match);
        assert_eq!(s.score, 1.0);
        assert!(is_accepted(&s));
    }
}
