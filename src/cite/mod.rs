//! Document -> citations: the source lists, inline attributions and links an article uses to
//! say where its facts come from. Pure: works on a `Document` and the outlet registry.

mod extract;
mod forms;
mod patterns;
pub mod registry;
#[cfg(test)]
mod tests;

pub use extract::{citations, is_source_line, UNNAMED_SOURCES};
pub use forms::{after_leading_datetime, is_dated_credit};

use crate::model::{Document, InputFailure};
use registry::OutletRegistry;

/// Refuses an article with more than `max` citations: each costs a search and a fetch, so an
/// article with 100,000 of them (generated, or a pasted bibliography dump) would run for hours.
/// The article is reported as an input failure naming the limit; other inputs are still checked.
/// Otherwise gives the article's number of citations. `check` and `serve` call it before they
/// spend searches and fetches on an article.
pub fn citation_limit(
    doc: &Document,
    registry: &OutletRegistry,
    max: usize,
) -> Result<usize, InputFailure> {
    let count = citations(doc, registry).len();
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
