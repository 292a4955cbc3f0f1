//! Document -> citations: the source lists, inline attributions and links an article uses to
//! say where its facts come from. Pure: works on a `Document` and the outlet registry.

mod extract;
mod forms;
mod patterns;
pub mod registry;
#[cfg(test)]
mod tests;

pub use extract::{citations, is_source_line, UNNAMED_SOURCES};
