//! Citation -> Resolution: fetch a cited URL, or search for the cited page, score the
//! candidates, read the best ones and choose.

use super::query::queries_for;
use super::score::{is_accepted, score_candidate_in_context};
use super::soft404::soft_404_reason;
use crate::cite::registry::{Outlet, OutletRegistry};
use crate::extract::extract_page;
use crate::fetch::{FetchError, FetchedPage, Fetcher};
use crate::model::{Candidate, Citation, CitationStatus, Page, Resolution, ScoredCandidate};
use crate::search::{normalize_url, SearchProvider, Wayback};
use std::collections::HashSet;
use std::sync::Arc;

/// Candidates read (fetched) before choosing, best preliminary score first.
pub const FETCH_TOP: usize = 3;
/// Candidates kept in a resolution, best first.
pub const KEEP_TOP: usize = 5;
/// Below this title similarity, a directly linked page is reported as not matching its
/// cited headline.
const LINK_TITLE_WARN: f64 = 0.5;

/// Resolves `citation` to the page it cites.
///
/// A cited URL is fetched directly. Otherwise (or when that fetch fails and there is something
/// to search for) the queries from [`queries_for`] run over `providers` in order, stopping at
/// the first query whose results include an accepted candidate; a failing provider is noted in
/// `detail` and the next one is tried. The candidates are deduplicated by URL, the best
/// [`FETCH_TOP`] are fetched and rescored with their content, and the best accepted one is
/// chosen. Failure is data: this never panics and never returns an error.
pub async fn resolve_citation(
    citation: &Citation,
    context: &str,
    registry: &OutletRegistry,
    providers: &[Arc<dyn SearchProvider>],
    fetcher: &dyn Fetcher,
) -> Resolution {
    resolve_citation_with(citation, context, registry, providers, fetcher, None).await
}

/// [`resolve_citation`] with an archive: a cited URL that is dead (not blocked) is looked up
/// in the Wayback Machine, and the capture closest to the citation's date is read instead. The
/// chosen URL is then the capture's and `detail` says so.
pub async fn resolve_citation_with(
    citation: &Citation,
    context: &str,
    registry: &OutletRegistry,
    providers: &[Arc<dyn SearchProvider>],
    fetcher: &dyn Fetcher,
    archive: Option<&Wayback>,
) -> Resolution {
    let outlet = find_outlet(citation, registry);
    let mut notes: Vec<String> = Vec::new();

    let mut link_failure: Option<(CitationStatus, ScoredCandidate)> = None;
    if let Some(url) = citation.url.as_deref().filter(|u| !u.trim().is_empty()) {
        let candidate = Candidate {
            url: url.to_string(),
            title: citation.headline.clone().unwrap_or_default(),
            snippet: None,
            published: None,
            provider: "link".to_string(),
        };
        let attempt = match fetcher.get(url).await {
            Ok(fetched) => {
                let page = page_of(&fetched);
                match soft_404_reason(&page, &fetched, url) {
                    Some(reason) => Err((
                        CitationStatus::NotFound,
                        format!("{url}: soft 404: {reason}"),
                    )),
                    None => Ok((fetched, page)),
                }
            }
            Err(e) => Err((failure_status(&e), e.to_string())),
        };
        match attempt {
            Ok((fetched, page)) => {
                let mut chosen = score_candidate_in_context(
                    citation,
                    context,
                    outlet,
                    registry,
                    &candidate,
                    Some(&page),
                );
                chosen.url = chosen_url(&fetched, &page);
                if let Some(t) = page.title.clone().filter(|t| !t.trim().is_empty()) {
                    chosen.title = t;
                }
                // The article names this page itself, so it is the source whatever its title;
                // a title that differs from the cited headline is reported, not rejected.
                chosen.score = 1.0;
                let detail = chosen
                    .title_similarity
                    .filter(|s| *s < LINK_TITLE_WARN)
                    .map(|s| {
                        format!(
                            "the linked page's title differs from the cited headline \
                             (similarity {s:.2})"
                        )
                    });
                return Resolution {
                    citation_id: citation.id.clone(),
                    status: CitationStatus::Found,
                    chosen: Some(chosen.clone()),
                    candidates: vec![chosen],
                    page: Some(page),
                    detail,
                };
            }
            Err((status, message)) => {
                if status != CitationStatus::Blocked {
                    if let Some(r) = archived_copy(
                        citation, context, registry, outlet, &candidate, fetcher, archive, &message,
                    )
                    .await
                    {
                        return r;
                    }
                }
                notes.push(message);
                let scored = score_candidate_in_context(
                    citation, context, outlet, registry, &candidate, None,
                );
                let chosen = ScoredCandidate {
                    score: 1.0,
                    ..scored
                };
                // A refused destination (SSRF guard, robots.txt) or a bot wall: the cited page
                // is `blocked`, unverifiable. Another page found by search is not what the
                // article cites, so it must not make the citation `found`.
                if status == CitationStatus::Blocked {
                    return failed_link(citation, status, chosen, notes);
                }
                link_failure = Some((status, chosen));
            }
        }
    }

    let queries = queries_for(citation, outlet, context);
    if queries.is_empty() {
        if let Some((status, chosen)) = link_failure {
            return failed_link(citation, status, chosen, notes);
        }
        let detail =
            if citation.headline.is_none() && (outlet.is_some() || citation.outlet.is_some()) {
                "no headline or context to search for"
            } else {
                "no outlet, headline or url to search for"
            };
        return Resolution {
            citation_id: citation.id.clone(),
            status: CitationStatus::NotFound,
            chosen: None,
            candidates: Vec::new(),
            page: None,
            detail: Some(detail.to_string()),
        };
    }

    // Search: providers in order, queries in order, until something is accepted.
    let mut found: Vec<Candidate> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    'providers: for provider in providers {
        for query in &queries {
            match provider.search(query).await {
                Ok(results) => {
                    let mut accepted = false;
                    for c in results {
                        if !seen.insert(normalize_url(&c.url)) {
                            continue;
                        }
                        let scored = score_candidate_in_context(
                            citation, context, outlet, registry, &c, None,
                        );
                        accepted |= is_accepted(&scored);
                        found.push(c);
                    }
                    if accepted {
                        break 'providers;
                    }
                }
                Err(e) => {
                    notes.push(e.to_string());
                    continue 'providers;
                }
            }
        }
    }

    // Preliminary ranking, then read the best few so portal origin lines and real titles count.
    let mut ranked: Vec<(ScoredCandidate, &Candidate)> = found
        .iter()
        .map(|c| {
            (
                score_candidate_in_context(citation, context, outlet, registry, c, None),
                c,
            )
        })
        .collect();
    sort_best_first(&mut ranked);
    let fetches = ranked
        .iter()
        .take(FETCH_TOP)
        .map(|(_, c)| fetcher.get(&c.url));
    let fetched: Vec<Result<FetchedPage, FetchError>> = futures::future::join_all(fetches).await;

    let mut outcomes: Vec<Outcome> = Vec::new();
    for (i, (prelim, c)) in ranked.iter().enumerate() {
        let outcome = match fetched.get(i) {
            Some(Ok(f)) => {
                let page = page_of(f);
                match soft_404_reason(&page, f, &c.url) {
                    Some(reason) => {
                        notes.push(format!("{}: soft 404: {reason}", c.url));
                        Outcome {
                            scored: prelim.clone(),
                            page: None,
                            error: None,
                        }
                    }
                    None => {
                        let mut scored = score_candidate_in_context(
                            citation,
                            context,
                            outlet,
                            registry,
                            c,
                            Some(&page),
                        );
                        scored.url = chosen_url(f, &page);
                        Outcome {
                            scored,
                            page: Some(page),
                            error: None,
                        }
                    }
                }
            }
            Some(Err(e)) => Outcome {
                scored: prelim.clone(),
                page: None,
                error: Some(e.clone()),
            },
            None => Outcome {
                scored: prelim.clone(),
                page: None,
                error: None,
            },
        };
        outcomes.push(outcome);
    }
    // Stable sorts: on equal scores, the earlier provider and query win.
    outcomes.sort_by(|a, b| b.scored.score.total_cmp(&a.scored.score));
    // Two results can be the same page under different URLs (found via canonical URLs).
    let mut urls = HashSet::new();
    outcomes.retain(|o| urls.insert(normalize_url(&o.scored.url)));
    let candidates: Vec<ScoredCandidate> = outcomes
        .iter()
        .take(KEEP_TOP)
        .map(|o| o.scored.clone())
        .collect();

    if let Some(best) = outcomes
        .iter()
        .find(|o| o.page.is_some() && is_accepted(&o.scored))
    {
        return Resolution {
            citation_id: citation.id.clone(),
            status: CitationStatus::Found,
            chosen: Some(best.scored.clone()),
            candidates,
            page: best.page.clone(),
            detail: join_notes(notes),
        };
    }

    if let Some((status, chosen)) = link_failure {
        let mut r = failed_link(citation, status, chosen, notes);
        r.candidates
            .extend(candidates.into_iter().take(KEEP_TOP - 1));
        return r;
    }

    let failed: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.error.is_some() && is_accepted(&o.scored))
        .collect();
    if let Some(first) = failed.first() {
        let all_blocked = failed.iter().all(|o| {
            matches!(
                o.error.as_ref().map(failure_status),
                Some(CitationStatus::Blocked)
            )
        });
        let status = if all_blocked {
            CitationStatus::Blocked
        } else {
            CitationStatus::Unreachable
        };
        for o in &failed {
            if let Some(e) = &o.error {
                notes.insert(0, e.to_string());
            }
        }
        return Resolution {
            citation_id: citation.id.clone(),
            status,
            chosen: Some(first.scored.clone()),
            candidates,
            page: None,
            detail: join_notes(notes),
        };
    }

    let summary = match candidates.first() {
        Some(best) => format!(
            "best near miss: {} ({}), score {:.2}",
            if best.title.is_empty() {
                "untitled"
            } else {
                &best.title
            },
            best.url,
            best.score
        ),
        None => "no candidates found".to_string(),
    };
    notes.insert(0, summary);
    // What was searched for, so a reader can try it by hand or see what was missing.
    notes.push(format!("queries tried: {}", describe_queries(&queries)));
    Resolution {
        citation_id: citation.id.clone(),
        status: CitationStatus::NotFound,
        chosen: None,
        candidates,
        page: None,
        detail: join_notes(notes),
    }
}

/// The queries [`resolve_citation_with`] tries for `citation`, as a person would type them:
/// `«words» (site:a.com, site:b.com)`, in order; empty when there is nothing to search for.
pub fn tried_queries(citation: &Citation, context: &str, registry: &OutletRegistry) -> String {
    describe_queries(&queries_for(
        citation,
        find_outlet(citation, registry),
        context,
    ))
}

fn describe_queries(queries: &[crate::search::SearchQuery]) -> String {
    queries
        .iter()
        .map(|q| {
            let sites = if q.domains.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = q.domains.iter().map(|d| format!("site:{d}")).collect();
                format!(" ({})", list.join(", "))
            };
            format!("«{}»{sites}", q.text)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The archived copy of a dead cited URL, read and scored, when the archive has one.
#[expect(
    clippy::too_many_arguments,
    reason = "the resolver state is passed as plain values, like resolve_citation_with"
)]
async fn archived_copy(
    citation: &Citation,
    context: &str,
    registry: &OutletRegistry,
    outlet: Option<&Outlet>,
    candidate: &Candidate,
    fetcher: &dyn Fetcher,
    archive: Option<&Wayback>,
    live_error: &str,
) -> Option<Resolution> {
    let archive = archive?;
    let date = citation
        .date
        .as_deref()
        .and_then(super::date::parse_date)
        .map(|d| d.iso());
    let snapshot = match archive
        .closest_snapshot(&candidate.url, date.as_deref())
        .await
    {
        Ok(Some(s)) => s,
        Ok(None) => return None,
        Err(e) => {
            tracing::debug!("archive lookup for {}: {e}", candidate.url);
            return None;
        }
    };
    let raw = snapshot.raw_url(archive.base_url());
    let fetched = fetcher.get(&raw).await.ok()?;
    let mut page = page_of(&fetched);
    // The page is the cited one as it was; keep its own URL so domain and canonical checks
    // see the outlet, not the archive.
    page.url = candidate.url.clone();
    if soft_404_reason(&page, &fetched, &raw).is_some() {
        return None;
    }
    let mut chosen =
        score_candidate_in_context(citation, context, outlet, registry, candidate, Some(&page));
    chosen.url = snapshot.archive_url.clone();
    if let Some(t) = page.title.clone().filter(|t| !t.trim().is_empty()) {
        chosen.title = t;
    }
    chosen.score = 1.0;
    Some(Resolution {
        citation_id: citation.id.clone(),
        status: CitationStatus::Found,
        chosen: Some(chosen.clone()),
        candidates: vec![chosen],
        page: Some(page),
        detail: Some(format!(
            "{live_error}; read the archived copy of {} ({})",
            snapshot
                .date()
                .unwrap_or_else(|| snapshot.timestamp.clone()),
            snapshot.archive_url
        )),
    })
}

/// One candidate after the fetch stage.
struct Outcome {
    scored: ScoredCandidate,
    page: Option<Page>,
    error: Option<FetchError>,
}

/// The registry outlet the citation names, by its registry name or as written.
fn find_outlet<'r>(citation: &Citation, registry: &'r OutletRegistry) -> Option<&'r Outlet> {
    citation
        .registry_outlet
        .as_deref()
        .and_then(|n| registry.lookup(n))
        .or_else(|| citation.outlet.as_deref().and_then(|n| registry.lookup(n)))
}

/// A Resolution for a cited URL that could not be fetched.
fn failed_link(
    citation: &Citation,
    status: CitationStatus,
    chosen: ScoredCandidate,
    notes: Vec<String>,
) -> Resolution {
    // A page that turned out not to exist (soft 404) is not chosen, only listed.
    let keep = status != CitationStatus::NotFound;
    Resolution {
        citation_id: citation.id.clone(),
        status,
        chosen: keep.then(|| chosen.clone()),
        candidates: vec![chosen],
        page: None,
        detail: join_notes(notes),
    }
}

/// How a fetch failure counts: refusals are `Blocked`, everything else `Unreachable`.
fn failure_status(e: &FetchError) -> CitationStatus {
    match e {
        FetchError::Blocked { .. } => CitationStatus::Blocked,
        FetchError::Status {
            status: 401 | 403 | 429,
            ..
        } => CitationStatus::Blocked,
        _ => CitationStatus::Unreachable,
    }
}

/// The page's content, extracted from the HTML as served from its final URL.
fn page_of(f: &FetchedPage) -> Page {
    let url = if f.final_url.is_empty() {
        &f.url
    } else {
        &f.final_url
    };
    let mut page = extract_page(&f.html, url);
    if page.url.is_empty() {
        page.url = url.clone();
    }
    page
}

/// The URL to report for a fetched page: its canonical URL when it declares a different
/// (absolute web) one, else the URL after redirects.
fn chosen_url(f: &FetchedPage, page: &Page) -> String {
    let final_url = if f.final_url.is_empty() {
        f.url.clone()
    } else {
        f.final_url.clone()
    };
    match page.canonical_url.as_deref() {
        Some(c)
            if (c.starts_with("http://") || c.starts_with("https://"))
                && normalize_url(c) != normalize_url(&final_url) =>
        {
            c.to_string()
        }
        _ => final_url,
    }
}

fn sort_best_first(ranked: &mut [(ScoredCandidate, &Candidate)]) {
    ranked.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
}

fn join_notes(notes: Vec<String>) -> Option<String> {
    let mut seen = HashSet::new();
    let notes: Vec<String> = notes
        .into_iter()
        .filter(|n| seen.insert(n.clone()))
        .collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CitationKind;
    use crate::search::{SearchError, SearchQuery};
    use async_trait::async_trait;
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// A provider that answers every query the same way and counts the queries.
    struct FakeProvider {
        name: &'static str,
        answer: Result<Vec<Candidate>, SearchError>,
        asked: Mutex<Vec<SearchQuery>>,
    }

    impl FakeProvider {
        fn ok(results: Vec<Candidate>) -> Arc<FakeProvider> {
            Arc::new(FakeProvider {
                name: "fake",
                answer: Ok(results),
                asked: Mutex::new(Vec::new()),
            })
        }

        fn failing(message: &str) -> Arc<FakeProvider> {
            Arc::new(FakeProvider {
                name: "broken",
                answer: Err(SearchError::Failed {
                    provider: "broken".to_string(),
                    message: message.to_string(),
                }),
                asked: Mutex::new(Vec::new()),
            })
        }

        fn asked(&self) -> usize {
            self.asked.lock().unwrap().len()
        }
    }

    #[async_trait]
    impl SearchProvider for FakeProvider {
        fn name(&self) -> &str {
            self.name
        }

        async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
            self.asked.lock().unwrap().push(query.clone());
            self.answer.clone()
        }
    }

    /// A fetcher serving fixed answers by exact URL; anything else is offline.
    #[derive(Default)]
    struct FakeFetcher {
        pages: HashMap<String, Result<String, FetchError>>,
        /// URL asked for -> URL it redirects to (whose page is served).
        redirects: HashMap<String, String>,
    }

    impl FakeFetcher {
        fn with(mut self, url: &str, answer: Result<String, FetchError>) -> FakeFetcher {
            self.pages.insert(url.to_string(), answer);
            self
        }

        fn redirect(mut self, from: &str, to: &str) -> FakeFetcher {
            self.redirects.insert(from.to_string(), to.to_string());
            self
        }
    }

    #[async_trait]
    impl Fetcher for FakeFetcher {
        async fn get(&self, url: &str) -> Result<FetchedPage, FetchError> {
            let target = self.redirects.get(url).map_or(url, String::as_str);
            match self.pages.get(target) {
                Some(Ok(html)) => Ok(FetchedPage {
                    url: url.to_string(),
                    final_url: target.to_string(),
                    status: 200,
                    content_type: Some("text/html".to_string()),
                    html: html.clone(),
                    encoding: "UTF-8".to_string(),
                    etag: None,
                    last_modified: None,
                }),
                Some(Err(e)) => Err(e.clone()),
                None => Err(FetchError::Offline {
                    url: url.to_string(),
                }),
            }
        }
    }

    fn one(p: &Arc<FakeProvider>) -> Vec<Arc<dyn SearchProvider>> {
        vec![p.clone()]
    }

    fn html(title: &str, body: &str) -> String {
        format!(
            "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
             <p>{body}</p></article></body></html>"
        )
    }

    fn citation(outlet: Option<&str>, headline: Option<&str>, url: Option<&str>) -> Citation {
        Citation {
            id: "c1".to_string(),
            kind: CitationKind::SourceLine,
            outlet: outlet.map(str::to_string),
            registry_outlet: None,
            headline: headline.map(str::to_string),
            url: url.map(str::to_string),
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
            provider: "fake".to_string(),
        }
    }

    const HEADLINE: &str = "英伟达暂停H20芯片生产";
    const URL: &str = "https://www.guancha.cn/economy/2025_08_22_1.shtml";
    const BODY: &str = "据报道，英伟达已要求供应商暂停与H20芯片相关的生产工作。";

    async fn run(
        c: &Citation,
        providers: &[Arc<dyn SearchProvider>],
        fetcher: &FakeFetcher,
    ) -> Resolution {
        resolve_citation(c, "", &OutletRegistry::builtin(), providers, fetcher).await
    }

    #[tokio::test]
    async fn found_by_search() {
        let provider = FakeProvider::ok(vec![
            candidate(
                "https://www.guancha.cn/other.shtml",
                "英伟达公布第二季度财报",
            ),
            candidate(URL, "英伟达暂停H20芯片生产_观察者网"),
        ]);
        let fetcher = FakeFetcher::default().with(URL, Ok(html(HEADLINE, BODY)));
        let c = citation(Some("观察者网"), Some(HEADLINE), None);
        let r = run(&c, &one(&provider), &fetcher).await;
        assert_eq!(r.status, CitationStatus::Found, "{r:?}");
        let chosen = r.chosen.unwrap();
        assert_eq!(chosen.url, URL);
        assert!(chosen.domain_match);
        assert!(r.page.unwrap().text().contains("H20"));
        assert_eq!(r.candidates.len(), 2);
        assert_eq!(r.candidates[0].url, URL);
        // The first query already found it.
        assert_eq!(provider.asked(), 1);
    }

    #[tokio::test]
    async fn not_found_names_the_best_near_miss() {
        let provider = FakeProvider::ok(vec![candidate(
            "https://www.guancha.cn/other.shtml",
            "英伟达公布第二季度财报",
        )]);
        let c = citation(Some("观察者网"), Some(HEADLINE), None);
        let r = run(&c, &one(&provider), &FakeFetcher::default()).await;
        assert_eq!(r.status, CitationStatus::NotFound);
        assert!(r.chosen.is_none());
        let detail = r.detail.unwrap();
        assert!(
            detail.starts_with(
                "best near miss: 英伟达公布第二季度财报 (https://www.guancha.cn/other.shtml), score 0."
            ),
            "{detail}"
        );
        // Every query was tried before giving up.
        assert_eq!(provider.asked(), 3);
    }

    #[tokio::test]
    async fn provider_error_falls_back_to_the_next_provider() {
        let broken = FakeProvider::failing("rate limited by the instance (http 429)");
        let good = FakeProvider::ok(vec![candidate(URL, HEADLINE)]);
        let fetcher = FakeFetcher::default().with(URL, Ok(html(HEADLINE, BODY)));
        let c = citation(Some("观察者网"), Some(HEADLINE), None);
        let providers: Vec<Arc<dyn SearchProvider>> = vec![broken.clone(), good.clone()];
        let r = run(&c, &providers, &fetcher).await;
        assert_eq!(r.status, CitationStatus::Found, "{r:?}");
        assert_eq!(
            r.detail.as_deref(),
            Some("broken: rate limited by the instance (http 429)")
        );
        assert_eq!(broken.asked(), 1);
        assert_eq!(good.asked(), 1);
    }

    #[tokio::test]
    async fn cited_url_is_fetched_directly() {
        let fetcher = FakeFetcher::default().with(URL, Ok(html(HEADLINE, BODY)));
        let provider = FakeProvider::ok(Vec::new());
        let c = citation(Some("观察者网"), Some(HEADLINE), Some(URL));
        let r = run(&c, &one(&provider), &fetcher).await;
        assert_eq!(r.status, CitationStatus::Found);
        let chosen = r.chosen.unwrap();
        assert_eq!(chosen.url, URL);
        assert_eq!(chosen.score, 1.0);
        assert!(chosen.domain_match);
        assert_eq!(r.detail, None);
        assert_eq!(provider.asked(), 0);
    }

    #[tokio::test]
    async fn cited_url_keeps_the_canonical_url() {
        let page = "<html><head><title>英伟达暂停H20芯片生产</title>\
            <link rel=\"canonical\" href=\"https://www.guancha.cn/economy/canonical.shtml\">\
            </head><body><article><p>据报道，英伟达已要求供应商暂停与H20芯片相关的生产工作。</p>\
            </article></body></html>";
        let url = "https://m.guancha.cn/economy/2025_08_22_1.shtml?s=app";
        let fetcher = FakeFetcher::default().with(url, Ok(page.to_string()));
        let c = citation(Some("观察者网"), Some(HEADLINE), Some(url));
        let r = run(&c, &[], &fetcher).await;
        assert_eq!(r.status, CitationStatus::Found);
        assert_eq!(
            r.chosen.unwrap().url,
            "https://www.guancha.cn/economy/canonical.shtml"
        );
    }

    #[tokio::test]
    async fn cited_url_unreachable() {
        let fetcher = FakeFetcher::default().with(
            URL,
            Err(FetchError::Timeout {
                url: URL.to_string(),
            }),
        );
        let c = citation(Some("观察者网"), None, Some(URL));
        let r = run(&c, &[], &fetcher).await;
        assert_eq!(r.status, CitationStatus::Unreachable);
        assert_eq!(r.detail, Some(format!("{URL}: timed out")));
        assert_eq!(r.chosen.unwrap().url, URL);
        assert!(r.page.is_none());
    }

    #[tokio::test]
    async fn cited_url_blocked_is_not_searched_for() {
        let fetcher = FakeFetcher::default().with(
            URL,
            Err(FetchError::Blocked {
                url: URL.to_string(),
                reason: "captcha".to_string(),
            }),
        );
        let provider = FakeProvider::ok(Vec::new());
        let c = citation(Some("观察者网"), Some(HEADLINE), Some(URL));
        let r = run(&c, &one(&provider), &fetcher).await;
        assert_eq!(r.status, CitationStatus::Blocked);
        assert!(r.detail.unwrap().contains("blocked: captcha"));
        assert_eq!(provider.asked(), 0);
    }

    #[tokio::test]
    async fn cited_url_blocked_stays_blocked_when_search_has_a_copy() {
        // The SSRF guard refuses the cited address; search knows a page with the same
        // headline elsewhere. The article cites the refused URL: the citation is blocked.
        let copy = "https://www.guancha.cn/copy.shtml";
        let fetcher = FakeFetcher::default()
            .with(
                URL,
                Err(FetchError::Blocked {
                    url: URL.to_string(),
                    reason: "destination 10.0.0.7 is a private address".to_string(),
                }),
            )
            .with(copy, Ok(html(HEADLINE, BODY)));
        let provider = FakeProvider::ok(vec![candidate(copy, HEADLINE)]);
        let c = citation(Some("观察者网"), Some(HEADLINE), Some(URL));
        let r = run(&c, &one(&provider), &fetcher).await;
        assert_eq!(r.status, CitationStatus::Blocked);
        assert_eq!(r.chosen.unwrap().url, URL);
        assert!(r.page.is_none());
        assert!(r.detail.unwrap().contains("private address"));
        assert_eq!(provider.asked(), 0);
    }

    #[tokio::test]
    async fn cited_url_unreachable_but_a_copy_is_found() {
        let copy = "https://www.guancha.cn/copy.shtml";
        let fetcher = FakeFetcher::default()
            .with(
                URL,
                Err(FetchError::Status {
                    url: URL.to_string(),
                    status: 404,
                }),
            )
            .with(copy, Ok(html(HEADLINE, BODY)));
        let provider = FakeProvider::ok(vec![candidate(copy, HEADLINE)]);
        let c = citation(Some("观察者网"), Some(HEADLINE), Some(URL));
        let r = run(&c, &[provider], &fetcher).await;
        assert_eq!(r.status, CitationStatus::Found);
        assert_eq!(r.chosen.unwrap().url, copy);
        assert_eq!(r.detail, Some(format!("{URL}: http status 404")));
    }

    #[tokio::test]
    async fn accepted_candidate_that_blocks_us() {
        let fetcher = FakeFetcher::default().with(
            URL,
            Err(FetchError::Blocked {
                url: URL.to_string(),
                reason: "http 403".to_string(),
            }),
        );
        let provider = FakeProvider::ok(vec![candidate(URL, HEADLINE)]);
        let c = citation(Some("观察者网"), Some(HEADLINE), None);
        let r = run(&c, &[provider], &fetcher).await;
        assert_eq!(r.status, CitationStatus::Blocked);
        assert_eq!(r.chosen.unwrap().url, URL);
        assert!(r.page.is_none());
    }

    #[tokio::test]
    async fn unnamed_source_has_nothing_to_search_for() {
        let provider = FakeProvider::ok(vec![candidate(URL, HEADLINE)]);
        let c = Citation {
            kind: CitationKind::Inline,
            ..citation(None, None, None)
        };
        let r = resolve_citation(
            &c,
            "知情人士称，英伟达已暂停H20芯片生产。",
            &OutletRegistry::builtin(),
            &one(&provider),
            &FakeFetcher::default(),
        )
        .await;
        assert_eq!(r.status, CitationStatus::NotFound);
        assert_eq!(
            r.detail.as_deref(),
            Some("no outlet, headline or url to search for")
        );
        assert_eq!(provider.asked(), 0);
    }

    #[tokio::test]
    async fn inline_citation_found_through_a_portal_copy() {
        let portal = "https://news.sina.com.cn/c/2025-08-15/doc-1.shtml";
        let page = "<html><head><title>7月份国民经济运行稳中有进_新浪新闻</title></head><body>\
            <article><h1>7月份国民经济运行稳中有进</h1>\
            <p>来源：新华社</p>\
            <p>国家统计局15日发布数据，7月份全国城镇调查失业率为5.2%，比上月上升0.2个百分点。</p>\
            </article></body></html>";
        let fetcher = FakeFetcher::default().with(portal, Ok(page.to_string()));
        let provider = FakeProvider::ok(vec![candidate(portal, "7月份国民经济运行稳中有进")]);
        let c = Citation {
            kind: CitationKind::Inline,
            ..citation(Some("新华社"), None, None)
        };
        let r = resolve_citation(
            &c,
            "据新华社报道，7月份全国城镇调查失业率为5.2%，比上月上升0.2个百分点。",
            &OutletRegistry::builtin(),
            &[provider],
            &fetcher,
        )
        .await;
        assert_eq!(r.status, CitationStatus::Found, "{r:?}");
        let chosen = r.chosen.unwrap();
        assert!(chosen.domain_match);
        assert_eq!(chosen.title_similarity, None);
    }

    #[tokio::test]
    async fn cited_url_redirected_to_the_home_page_is_not_found() {
        let home = "https://www.guancha.cn/";
        let copy = "https://www.guancha.cn/copy.shtml";
        let fetcher = FakeFetcher::default()
            .redirect(URL, home)
            .with(home, Ok(html("观察者网", "首页 导航 热点")))
            .with(copy, Ok(html(HEADLINE, BODY)));
        // Nothing to search: the soft 404 is reported as not found, not found-and-read.
        let c = citation(Some("观察者网"), None, Some(URL));
        let r = run(&c, &[], &fetcher).await;
        assert_eq!(r.status, CitationStatus::NotFound, "{r:?}");
        assert!(r.chosen.is_none());
        assert!(r.page.is_none());
        assert_eq!(
            r.detail.as_deref(),
            Some(format!("{URL}: soft 404: redirected to the home page {home}").as_str())
        );
        assert_eq!(r.candidates.len(), 1);
        // With a headline, the search finds a live copy instead.
        let provider = FakeProvider::ok(vec![candidate(copy, HEADLINE)]);
        let c = citation(Some("观察者网"), Some(HEADLINE), Some(URL));
        let r = run(&c, &one(&provider), &fetcher).await;
        assert_eq!(r.status, CitationStatus::Found, "{r:?}");
        assert_eq!(r.chosen.unwrap().url, copy);
    }

    #[tokio::test]
    async fn error_page_candidates_are_not_chosen() {
        let gone = "https://www.guancha.cn/gone.shtml";
        let provider = FakeProvider::ok(vec![candidate(gone, HEADLINE)]);
        let fetcher = FakeFetcher::default().with(
            gone,
            Ok("<html><head><title>404 - 页面不存在</title></head><body>\
                <p>抱歉，您访问的页面不存在或已被删除。</p></body></html>"
                .to_string()),
        );
        let c = citation(Some("观察者网"), Some(HEADLINE), None);
        let r = run(&c, &one(&provider), &fetcher).await;
        assert_eq!(r.status, CitationStatus::NotFound, "{r:?}");
        let detail = r.detail.unwrap();
        assert!(detail.contains("soft 404: error page titled"), "{detail}");
    }

    #[tokio::test]
    async fn a_reused_headline_from_another_year_is_a_near_miss() {
        let last_year = "https://www.news.cn/2024-08/15/c_1.htm";
        let this_year = "https://www.news.cn/2025-08/15/c_2.htm";
        let headline = "7月份国民经济运行稳中有进";
        let dated = |title: &str, date: &str| {
            format!(
                "<html><head><title>{title}</title>\
                 <meta property=\"article:published_time\" content=\"{date}\"></head>\
                 <body><article><h1>{title}</h1><p>国家统计局发布数据，7月份国民经济运行稳中有进。</p>\
                 </article></body></html>"
            )
        };
        let fetcher = FakeFetcher::default()
            .with(last_year, Ok(dated(headline, "2024-08-15T10:00:00+08:00")))
            .with(this_year, Ok(dated(headline, "2025-08-15T10:00:00+08:00")));
        let mut c = citation(Some("新华社"), Some(headline), None);
        c.date = Some("2025年8月15日".to_string());

        let provider = FakeProvider::ok(vec![candidate(last_year, headline)]);
        let r = run(&c, &one(&provider), &fetcher).await;
        assert_eq!(r.status, CitationStatus::NotFound, "{r:?}");
        assert_eq!(r.candidates[0].date_offset_days, Some(-365));
        assert!(r.detail.unwrap().starts_with("best near miss: "));

        let provider = FakeProvider::ok(vec![
            candidate(last_year, headline),
            candidate(this_year, headline),
        ]);
        let r = run(&c, &one(&provider), &fetcher).await;
        assert_eq!(r.status, CitationStatus::Found, "{r:?}");
        let chosen = r.chosen.unwrap();
        assert_eq!(chosen.url, this_year);
        assert_eq!(chosen.date_offset_days, Some(0));
        assert_eq!(r.candidates.len(), 2);
    }
}
