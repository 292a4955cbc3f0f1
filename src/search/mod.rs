//! Finding candidate pages for a citation: the `SearchProvider` trait and its providers.

use crate::model::Candidate;
use async_trait::async_trait;

/// One query to a provider.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// The words to search for.
    pub text: String,
    /// Restrict results to these domains (and their subdomains), when not empty.
    pub domains: Vec<String>,
    /// Language hint such as `zh-CN` or `en`.
    pub language: Option<String>,
    /// At most this many results.
    pub limit: usize,
}

/// Why a search failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    #[error("{provider}: {message}")]
    Failed { provider: String, message: String },
}

/// A search engine or index that returns candidate pages for a query.
#[async_trait]
pub trait SearchProvider: Send + Sync {
    /// Short name shown in reports (`corpus`, `searxng`).
    fn name(&self) -> &str;
    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError>;
}
