//! The library's settings: one plain struct with every value resolved (no `Option`s left to
//! guess). The CLI builds it from defaults, `config.toml` and flags; tests build it by hand.

use crate::cite::registry::Outlet;
use crate::fetch::FetchSettings;
use std::path::PathBuf;

/// Default number of citations resolved at the same time.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// Where candidate pages come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ProviderSpec {
    /// Saved pages: the corpus compiled into the binary (`dir: None`) or a folder.
    Corpus { dir: Option<PathBuf> },
    /// A self-hosted SearXNG instance's JSON API.
    Searxng {
        url: String,
        language: Option<String>,
    },
    /// Brave Search, web (`news: false`) or news endpoint.
    Brave {
        url: String,
        key: crate::search::ApiKey,
        news: bool,
        /// `pd`, `pw`, `pm`, `py` or a `YYYY-MM-DDtoYYYY-MM-DD` range.
        freshness: Option<String>,
        language: Option<String>,
    },
    /// GDELT DOC 2.0.
    Gdelt { url: String },
    /// The Wayback Machine: CDX listings of outlet domains as candidates, and archived copies
    /// of dead cited URLs.
    Wayback { url: String, cdx_limit: usize },
    /// Google Fact Check Tools: existing fact-checks reported beside verdicts, never a source.
    FactCheck {
        url: String,
        key: crate::search::ApiKey,
        language: Option<String>,
    },
}

impl ProviderSpec {
    pub fn name(&self) -> &'static str {
        match self {
            ProviderSpec::Corpus { .. } => "corpus",
            ProviderSpec::Searxng { .. } => "searxng",
            ProviderSpec::Brave { news: false, .. } => "brave",
            ProviderSpec::Brave { news: true, .. } => "brave_news",
            ProviderSpec::Gdelt { .. } => "gdelt",
            ProviderSpec::Wayback { .. } => "wayback",
            ProviderSpec::FactCheck { .. } => "factcheck",
        }
    }

    /// The base URL of a provider that is a web service; `None` for the corpus.
    pub fn endpoint(&self) -> Option<&str> {
        match self {
            ProviderSpec::Corpus { .. } => None,
            ProviderSpec::Searxng { url, .. }
            | ProviderSpec::Brave { url, .. }
            | ProviderSpec::Gdelt { url }
            | ProviderSpec::Wayback { url, .. }
            | ProviderSpec::FactCheck { url, .. } => Some(url),
        }
    }
}

/// Everything a verification run needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Search providers, tried in order (later ones are fallbacks).
    pub providers: Vec<ProviderSpec>,
    pub fetch: FetchSettings,
    /// Read only the corpus: never use the network for pages.
    pub offline: bool,
    /// Citations resolved at the same time.
    pub concurrency: usize,
    /// Largest input article accepted, in bytes.
    pub max_input_bytes: u64,
    /// Outlets added to (or replacing, by id) the built-in registry.
    pub extra_outlets: Vec<Outlet>,
    /// Most citations resolved in one article; the CLI refuses an article with more.
    pub max_citations: usize,
    /// Judge every sentence, opinion and furniture too (`--check-all`, `claims.check_all`).
    pub check_all: bool,
    /// Outlets never checked (`--exclude-outlet`, `run.exclude_outlets`).
    pub exclude_outlets: Vec<String>,
    /// Domains never searched or fetched (`--exclude-domain`, `run.exclude_domains`).
    pub exclude_domains: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            providers: vec![ProviderSpec::Corpus { dir: None }],
            fetch: FetchSettings::default(),
            offline: false,
            concurrency: DEFAULT_CONCURRENCY,
            max_input_bytes: crate::document::DEFAULT_MAX_INPUT_BYTES,
            extra_outlets: Vec::new(),
            max_citations: crate::limits::DEFAULT_MAX_CITATIONS,
            check_all: false,
            exclude_outlets: Vec::new(),
            exclude_domains: Vec::new(),
        }
    }
}
