//! Limits `check` enforces on an article before it spends searches and fetches on it.

use crate::cite::registry::OutletRegistry;
use crate::model::{Document, InputFailure};

/// Refuses an article with more than `max` citations: each costs a search and a fetch, so an
/// article with 100,000 of them (generated, or a pasted bibliography dump) would run for hours.
/// The article is reported as an input failure naming the limit; other inputs are still checked.
/// Otherwise gives the article's number of citations.
pub(super) fn citation_limit(
    doc: &Document,
    registry: &OutletRegistry,
    max: usize,
) -> Result<usize, InputFailure> {
    let count = crate::cite::citations(doc, registry).len();
    if count <= max {
        return Ok(count);
    }
    Err(InputFailure {
        path: doc.path.clone(),
        line: None,
        message: format!(
            "{}: {count} citations is over the {max}-citation limit for one article \
             (raise run.max_citations in the config)",
            doc.path
        ),
    })
}
