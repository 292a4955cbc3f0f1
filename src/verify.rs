//! Runs the pipeline: the only module that wires the stages together.
//!
//! A `Verifier` holds the outside world (search providers, a fetcher) behind traits, so tests
//! pass fakes. Citations of a document are resolved concurrently; results are put back in
//! article order, so output never depends on timing. One failing source never fails a run.

use crate::cite::registry::OutletRegistry;
use crate::fetch::{FetchError, FetchedPage, Fetcher, HttpFetcher};
use crate::judge::{Bound, Judge};
use crate::model::{Citation, CitationStatus, ClaimResult, Document, DocumentResult, Resolution};
use crate::resolve::exclude::{ExcludingProvider, Exclusions};
use crate::resolve::resolve_citation_with;
use crate::search::corpus::Corpus;
use crate::search::searxng::Searxng;
use crate::search::{Brave, BraveEndpoint, FactCheckTools, Gdelt, SearchProvider, Wayback};
use crate::settings::{ProviderSpec, Settings};
use async_trait::async_trait;
use futures::stream::{self, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;

/// Why a verifier could not be built (bad corpus folder, broken HTTP client).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    #[error("corpus: {0}")]
    Corpus(String),
    #[error("http client: {0}")]
    Client(String),
}

/// The pipeline with its edges attached.
pub struct Verifier {
    registry: OutletRegistry,
    providers: Vec<Arc<dyn SearchProvider>>,
    fetcher: Arc<dyn Fetcher>,
    concurrency: usize,
    /// Archive asked for a copy of a dead cited URL.
    archive: Option<Arc<Wayback>>,
    /// Consulted for existing fact-checks of each claim; never a source.
    fact_checker: Option<(Arc<FactCheckTools>, Option<String>)>,
    /// Judge opinion and furniture too (`--check-all`).
    check_all: bool,
    /// Whether every search provider is a corpus of saved pages (a source not found there may
    /// still be on the web: the detail says how to search it).
    corpus_only: bool,
    /// Outlets and domains the user excluded.
    exclusions: Arc<Exclusions>,
}

impl Verifier {
    /// A verifier from parts (tests pass fakes here).
    pub fn new(
        registry: OutletRegistry,
        providers: Vec<Arc<dyn SearchProvider>>,
        fetcher: Arc<dyn Fetcher>,
        concurrency: usize,
    ) -> Verifier {
        Verifier {
            registry,
            providers,
            fetcher,
            concurrency: concurrency.max(1),
            archive: None,
            fact_checker: None,
            check_all: false,
            corpus_only: false,
            exclusions: Arc::new(Exclusions::default()),
        }
    }

    /// The same verifier, never checking these outlets and domains: their citations are
    /// `excluded`, and search results on the domains are dropped.
    pub fn with_exclusions(mut self, exclusions: Exclusions) -> Verifier {
        let exclusions = Arc::new(exclusions);
        if !exclusions.is_empty() {
            self.providers = self
                .providers
                .into_iter()
                .map(|inner| {
                    Arc::new(ExcludingProvider {
                        inner,
                        exclusions: exclusions.clone(),
                    }) as Arc<dyn SearchProvider>
                })
                .collect();
        }
        self.exclusions = exclusions;
        self
    }

    /// The same verifier, judging every sentence when `check_all` (opinion and furniture too).
    pub fn with_check_all(mut self, check_all: bool) -> Verifier {
        self.check_all = check_all;
        self
    }

    /// The same verifier, reading archived copies of dead cited URLs from `archive`.
    pub fn with_archive(mut self, archive: Option<Arc<Wayback>>) -> Verifier {
        self.archive = archive;
        self
    }

    /// The same verifier, reporting existing fact-checks of each claim (in `language`).
    pub fn with_fact_checker(
        mut self,
        checker: Option<Arc<FactCheckTools>>,
        language: Option<String>,
    ) -> Verifier {
        self.fact_checker = checker.map(|c| (c, language));
        self
    }

    /// A verifier for `settings`: builds the providers and the fetcher they describe. Pages of
    /// any corpus in use are served from the corpus before the network is tried.
    pub fn from_settings(settings: &Settings) -> Result<Verifier, SetupError> {
        let mut registry = OutletRegistry::builtin();
        registry.merge(settings.extra_outlets.clone());
        // Two clients: the services' own requests may reach their configured hosts; cited pages
        // go through a client that trusts no service host.
        let client = crate::fetch::build_service_client(&settings.fetch)
            .map_err(|e| SetupError::Client(e.to_string()))?;
        let page_client = crate::fetch::build_client(&settings.fetch)
            .map_err(|e| SetupError::Client(e.to_string()))?;
        let mut providers: Vec<Arc<dyn SearchProvider>> = Vec::new();
        let mut corpora: Vec<Arc<Corpus>> = Vec::new();
        let mut archive: Option<Arc<Wayback>> = None;
        let mut fact_checker: Option<(Arc<FactCheckTools>, Option<String>)> = None;
        for spec in &settings.providers {
            match spec {
                ProviderSpec::Corpus { dir } => {
                    let corpus = match dir {
                        None => Corpus::embedded(),
                        Some(d) => {
                            // Built once, kept next to the folder, updated file by file.
                            let cache = d.join(crate::search::corpus_cache::CACHE_FILE_NAME);
                            Corpus::from_dir_cached(d, &cache)
                                .map_err(|e| SetupError::Corpus(e.to_string()))?
                                .0
                        }
                    };
                    let corpus = Arc::new(corpus);
                    corpora.push(corpus.clone());
                    providers.push(corpus);
                }
                ProviderSpec::Searxng { url, language } => {
                    providers.push(Arc::new(
                        Searxng::new(url, client.clone()).with_language(language.clone()),
                    ));
                }
                ProviderSpec::Brave {
                    url,
                    key,
                    news,
                    freshness,
                    language,
                } => {
                    let endpoint = if *news {
                        BraveEndpoint::News
                    } else {
                        BraveEndpoint::Web
                    };
                    providers.push(Arc::new(
                        Brave::new(url, &key.0, endpoint, client.clone())
                            .with_freshness(freshness.clone())
                            .with_language(language.clone()),
                    ));
                }
                ProviderSpec::Gdelt { url } => {
                    providers.push(Arc::new(Gdelt::new(url, client.clone())));
                }
                ProviderSpec::Wayback { url, cdx_limit } => {
                    let wayback =
                        Arc::new(Wayback::new(url, client.clone()).with_cdx_limit(*cdx_limit));
                    archive.get_or_insert_with(|| wayback.clone());
                    providers.push(wayback);
                }
                ProviderSpec::FactCheck { url, key, language } => {
                    fact_checker = Some((
                        Arc::new(FactCheckTools::new(url, &key.0, client.clone())),
                        language.clone(),
                    ));
                }
            }
        }
        // Offline, the HTTP fetcher still serves its on-disk cache (and makes no request).
        let http = if settings.offline && settings.fetch.cache_dir.is_none() {
            None
        } else {
            let fetch = crate::fetch::FetchSettings {
                offline: settings.offline || settings.fetch.offline,
                ..settings.fetch.clone()
            };
            Some(HttpFetcher::with_client(page_client, &fetch))
        };
        let fetcher = Arc::new(CorpusFirst { corpora, http });
        let mut verifier =
            Verifier::new(registry, providers, fetcher, settings.concurrency).with_archive(archive);
        verifier.fact_checker = fact_checker;
        verifier.check_all = settings.check_all;
        verifier.corpus_only = !settings.providers.is_empty()
            && settings.providers.iter().all(|p| {
                matches!(
                    p,
                    ProviderSpec::Corpus { .. } | ProviderSpec::FactCheck { .. }
                )
            });
        Ok(verifier.with_exclusions(Exclusions::new(
            &settings.exclude_outlets,
            &settings.exclude_domains,
        )))
    }

    /// The same verifier with its edges wrapped: the history store records fetches and
    /// searches this way, leaving the pipeline unchanged.
    pub fn map_edges(
        mut self,
        fetcher: impl FnOnce(Arc<dyn Fetcher>) -> Arc<dyn Fetcher>,
        provider: impl FnMut(Arc<dyn SearchProvider>) -> Arc<dyn SearchProvider>,
    ) -> Verifier {
        self.fetcher = fetcher(self.fetcher);
        self.providers = self.providers.into_iter().map(provider).collect();
        self
    }

    /// The fetcher in use (corpus pages first, then HTTP), for `recheck`.
    pub fn fetcher(&self) -> Arc<dyn Fetcher> {
        self.fetcher.clone()
    }

    /// The outlet registry in use.
    pub fn registry(&self) -> &OutletRegistry {
        &self.registry
    }

    /// Verifies one loaded document: citations, claims, sources, evidence, verdicts.
    pub async fn verify(&self, doc: &Document) -> DocumentResult {
        self.verify_with(doc, &mut |_| {}, &|_| {}).await
    }

    /// As [`Verifier::verify`], calling `on_claim` with each claim as soon as it is judged, in
    /// article order (streaming reports write it at once), and `on_source` with each citation
    /// as soon as its source is resolved, in completion order (progress bars). A claim is judged
    /// as soon as its own citations and every earlier claim's are resolved: a slow source holds
    /// back only the claims from the first that cites it on, never the whole document.
    pub async fn verify_with(
        &self,
        doc: &Document,
        on_claim: &mut (dyn FnMut(&ClaimResult) + Send),
        on_source: &(dyn Fn(&Resolution) + Sync),
    ) -> DocumentResult {
        let citations = crate::cite::citations(doc, &self.registry);
        let (claims, not_checked) =
            crate::claim::claims_and_unchecked(doc, &citations, self.check_all);
        let index_of: HashMap<&str, usize> = citations
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        // The claims bound to a citation (the first few) give a headline-less citation
        // something to search for and to match pages against: a trailing `（来源：X）` covers
        // every sentence before it, and the first alone may be a short lead-in.
        let mut bound_claims: Vec<Vec<&str>> = vec![Vec::new(); citations.len()];
        for claim in &claims {
            for id in &claim.cited {
                if let Some(&k) = index_of.get(id.as_str()) {
                    if bound_claims[k].len() < MAX_CONTEXT_CLAIMS {
                        bound_claims[k].push(claim.text.as_str());
                    }
                }
            }
        }
        let context_of = |i: usize| -> String { bound_claims[i].join("\n") };
        let claims_of = |i: usize| -> Vec<&crate::model::Claim> {
            claims
                .iter()
                .filter(|c| c.cited.iter().any(|id| id == &citations[i].id))
                .collect()
        };
        let corpus_only = self.corpus_only;
        let mut slots: Vec<Option<Resolution>> = (0..citations.len()).map(|_| None).collect();
        let mut results: Vec<ClaimResult> = Vec::with_capacity(claims.len());
        let mut pending = stream::iter(citations.iter().enumerate())
            .map(|(i, c)| {
                let context = context_of(i);
                let excluded = self.exclusions.reason(c, &self.registry);
                async move {
                    if let Some(reason) = excluded {
                        return (i, excluded_resolution(c, reason));
                    }
                    let r = resolve_citation_with(
                        c,
                        &context,
                        &self.registry,
                        &self.providers,
                        self.fetcher.as_ref(),
                        self.archive.as_deref(),
                    )
                    .await;
                    let tried =
                        || crate::resolve::citation::tried_queries(c, &context, &self.registry);
                    (i, about_its_claims(r, c, &claims_of(i), corpus_only, tried))
                }
            })
            .buffer_unordered(self.concurrency);
        // Claims citing nothing need not wait for the first source: judge before each wait.
        loop {
            judge_ready(
                &claims,
                &citations,
                &index_of,
                &slots,
                &mut results,
                on_claim,
            );
            let Some((i, r)) = pending.next().await else {
                break;
            };
            on_source(&r);
            slots[i] = Some(r);
        }
        drop(pending);
        let fact_checks = self.fact_checks(&claims).await;
        // Every claim was judged, in order: each result takes its claim back.
        debug_assert_eq!(results.len(), claims.len());
        for (result, claim) in results.iter_mut().zip(claims) {
            result.claim = claim;
        }
        let resolutions: Vec<Resolution> = slots.into_iter().flatten().collect();
        DocumentResult {
            path: doc.path.clone(),
            title: doc.title().map(str::to_string),
            citations,
            resolutions,
            claims: results,
            fact_checks,
            not_checked,
        }
    }

    /// Existing fact-checks per claim id, when a fact-checker is configured. A failing lookup
    /// is logged (without the key) and leaves the claim without fact-checks.
    async fn fact_checks(
        &self,
        claims: &[crate::model::Claim],
    ) -> std::collections::BTreeMap<String, Vec<crate::model::FactCheck>> {
        let Some((checker, language)) = &self.fact_checker else {
            return Default::default();
        };
        stream::iter(claims.iter())
            .map(|claim| async move {
                match checker.claims(&claim.text, language.as_deref()).await {
                    Ok(found) => (claim.id.clone(), found),
                    Err(e) => {
                        tracing::warn!("fact-check lookup for {}: {e}", claim.id);
                        (claim.id.clone(), Vec::new())
                    }
                }
            })
            .buffer_unordered(self.concurrency)
            .filter(|(_, found)| futures::future::ready(!found.is_empty()))
            .collect()
            .await
    }
}

/// Serves pages of the corpora in use first, then the network (unless offline).
struct CorpusFirst {
    corpora: Vec<Arc<Corpus>>,
    http: Option<HttpFetcher>,
}

#[async_trait]
impl Fetcher for CorpusFirst {
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError> {
        for corpus in &self.corpora {
            if let Ok(page) = corpus.get(url).await {
                return Ok(page);
            }
        }
        match &self.http {
            Some(http) => http.get(url).await,
            None => Err(FetchError::Offline {
                url: url.to_string(),
            }),
        }
    }
}

/// Judges, in article order, every claim from `results.len()` on whose citations are all
/// resolved, stopping at the first that still waits for one.
/// A citation the user excluded: nothing searched or fetched.
fn excluded_resolution(c: &Citation, reason: String) -> Resolution {
    Resolution {
        citation_id: c.id.clone(),
        status: CitationStatus::Excluded,
        chosen: None,
        candidates: Vec::new(),
        page: None,
        detail: Some(format!("not checked: {reason}")),
    }
}

fn judge_ready(
    claims: &[crate::model::Claim],
    citations: &[crate::model::Citation],
    index_of: &HashMap<&str, usize>,
    slots: &[Option<Resolution>],
    results: &mut Vec<ClaimResult>,
    on_claim: &mut (dyn FnMut(&ClaimResult) + Send),
) {
    while let Some(claim) = claims.get(results.len()) {
        let ready = claim.cited.iter().all(|id| {
            index_of
                .get(id.as_str())
                .is_none_or(|&k| slots[k].is_some())
        });
        if !ready {
            return;
        }
        let mut result = judge_one(claim, citations, index_of, slots);
        on_claim(&result);
        // The claim's text stays `claims[i]`'s until the document is done (see `verify_with`):
        // an article of 170,000 sentences would otherwise hold every sentence twice.
        result.claim.text = String::new();
        results.push(result);
    }
}

/// The verdict on `claim` from its resolved citations, by the one judge.
fn judge_one(
    claim: &crate::model::Claim,
    citations: &[crate::model::Citation],
    index_of: &HashMap<&str, usize>,
    slots: &[Option<Resolution>],
) -> ClaimResult {
    let label_of = |id: &str| -> String {
        index_of
            .get(id)
            .map(|&k| &citations[k])
            .and_then(|c| {
                c.outlet
                    .clone()
                    .or_else(|| c.registry_outlet.clone())
                    .or_else(|| c.url.clone())
            })
            .unwrap_or_else(|| id.to_string())
    };
    let mut labels = Vec::new();
    let mut pages = Vec::new();
    let mut unreadable = Vec::new();
    for id in &claim.cited {
        let Some(&k) = index_of.get(id.as_str()) else {
            continue;
        };
        let Some(res) = slots[k].as_ref() else {
            continue;
        };
        let label = label_of(id);
        match (&res.status, &res.page) {
            (CitationStatus::Found, Some(page)) => {
                labels.push((id.as_str(), label, citations[k].url.is_some()));
                pages.push(page);
            }
            (status, _) => {
                let status = status.as_str();
                let detail = res.detail.clone().unwrap_or_default();
                unreadable.push(format!(
                    "{label}: source {status}{}{detail}",
                    if detail.is_empty() { "" } else { ": " }
                ));
            }
        }
    }
    let bound: Vec<Bound> = labels
        .iter()
        .zip(&pages)
        .map(|((id, label, cited), page)| Bound {
            citation: id,
            label,
            page,
            cited: *cited,
        })
        .collect();
    Judge::shipped().judge(claim, &bound, unreadable)
}

/// Relevance before verdict: a page that search found for a citation but that is about none
/// of the claims bound to it is no evidence, so the citation is `not_found` with that page
/// named as the best near miss. A page the citation names by URL is left to the judge.
fn about_its_claims(
    mut r: Resolution,
    citation: &crate::model::Citation,
    claims: &[&crate::model::Claim],
    corpus_only: bool,
    tried: impl FnOnce() -> String,
) -> Resolution {
    if r.status == CitationStatus::Found && citation.url.is_none() && !claims.is_empty() {
        if let Some(page) = &r.page {
            if !claims.iter().any(|c| Judge::shipped().is_about(c, page)) {
                let title = page.title.clone().unwrap_or_else(|| "untitled".to_string());
                let score = r.chosen.as_ref().map_or(0.0, |c| c.score);
                let mut detail = format!(
                    "best near miss: {title} ({}), score {score:.2}, is not about the claim",
                    page.url
                );
                if let Some(more) = &r.detail {
                    detail.push_str("; ");
                    detail.push_str(more);
                }
                // Described only now: a page found and kept never needs them.
                let tried = tried();
                if !tried.is_empty() && !detail.contains("queries tried:") {
                    detail.push_str("; queries tried: ");
                    detail.push_str(&tried);
                }
                r.status = CitationStatus::NotFound;
                r.page = None;
                r.chosen = None;
                r.detail = Some(detail);
            }
        }
    }
    if r.status == CitationStatus::NotFound && corpus_only {
        let note = format!("the source is not in the offline corpus; {SEARCH_HINT}");
        r.detail = Some(match r.detail.take() {
            Some(d) => format!("{d}; {note}"),
            None => note,
        });
    }
    r
}

/// Claims bound to a citation that make up its search context when it names no headline.
const MAX_CONTEXT_CLAIMS: usize = 3;

/// How to look a source up beyond the saved pages (named when only a corpus was searched).
pub const SEARCH_HINT: &str = "to search the web, run with `--search searxng --search-url URL`, `--search brave` or `--search gdelt`";
