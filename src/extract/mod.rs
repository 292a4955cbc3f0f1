//! HTML of a source page -> `Page`: headline, main text paragraphs, date, site, portal origin.

use crate::model::Page;

/// Extracts the main content of an HTML page fetched from `url`.
pub fn extract_page(html: &str, url: &str) -> Page {
    let _ = html;
    Page {
        url: url.to_string(),
        ..Page::default()
    }
}
