//! Citation -> the page it cites: query building, candidate scoring, choosing, fetching.
//!
//! A citation names an outlet, a headline, a URL, or some of these. `query` turns it into search
//! queries, `score` says how well a search result matches it, and `citation` runs the whole
//! resolution: fetch a cited URL directly, or search, read the best candidates and choose one.
//! Failure is data here: every outcome is a [`Resolution`](crate::model::Resolution).

pub mod anchors;
pub mod citation;
pub mod date;
pub mod exclude;
pub mod query;
pub mod score;
pub mod soft404;

pub use citation::{resolve_citation, resolve_citation_with, FETCH_TOP, KEEP_TOP};
pub use query::{key_terms, queries_for, QUERY_LIMIT};
pub use score::{
    is_accepted, score_candidate, score_candidate_in_context, title_similarity, ACCEPT_SCORE,
    TITLE_ACCEPT, TITLE_ACCEPT_ON_DOMAIN,
};
