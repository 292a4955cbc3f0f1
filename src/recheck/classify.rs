//! Old snapshot vs new fetch → what changed. Pure.

use super::cues;
use crate::fetch::FetchError;
use crate::model::Page;
use crate::search::normalize_url;
use serde::Serialize;
use std::collections::HashSet;

/// Passages listed per side in a `text_changed` result, at most.
pub const MAX_PASSAGES: usize = 10;
/// Share of the old paragraphs a page at a new URL must still hold to count as moved.
pub const MOVED_OVERLAP: f64 = 0.8;

/// How a failed fetch counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Failure {
    /// 404/410 or a host that no longer resolves: counts towards `dead`.
    Gone,
    /// 401/403/429 or a bot wall: unverifiable, never dead.
    Blocked,
    /// Timeouts, resets, 5xx: recorded, never conclusive.
    Transient,
    /// Anything else that is not a page (not HTML, too large, bad URL, offline).
    Other,
}

impl Failure {
    pub fn as_str(self) -> &'static str {
        match self {
            Failure::Gone => "gone",
            Failure::Blocked => "blocked",
            Failure::Transient => "transient",
            Failure::Other => "error",
        }
    }
}

/// How a fetch error counts.
pub fn failure_of(e: &FetchError) -> Failure {
    match e {
        FetchError::Status {
            status: 404 | 410, ..
        } => Failure::Gone,
        FetchError::Status {
            status: 401 | 403 | 429,
            ..
        }
        | FetchError::Blocked { .. } => Failure::Blocked,
        FetchError::Status { .. }
        | FetchError::Timeout { .. }
        | FetchError::TooManyRedirects { .. } => Failure::Transient,
        FetchError::Connect { message, .. } => {
            let m = message.to_ascii_lowercase();
            if [
                "dns error",
                "failed to lookup address",
                "name or service not known",
                "no such host",
                "nodename nor servname",
            ]
            .iter()
            .any(|p| m.contains(p))
            {
                Failure::Gone
            } else {
                Failure::Transient
            }
        }
        _ => Failure::Other,
    }
}

/// What a recheck concluded about a source. Several can hold at once (a moved page whose
/// headline was edited); [`Classification::classes`] lists them most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeClass {
    /// Confirmed gone after repeated failures spread over time.
    Dead,
    Retracted,
    /// Redirected to the home page, or an error page served with 200.
    Soft404,
    Corrected,
    /// A paywall or bot wall: unverifiable, not dead.
    Blocked,
    /// The same content at a new URL.
    Moved,
    HeadlineChanged,
    TextChanged,
    /// Gone (404/410, no host) but not yet confirmed dead.
    Failing,
    /// A timeout, reset or server error: recorded, never conclusive.
    Transient,
    Unchanged,
}

impl ChangeClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeClass::Dead => "dead",
            ChangeClass::Retracted => "retracted",
            ChangeClass::Soft404 => "soft_404",
            ChangeClass::Corrected => "corrected",
            ChangeClass::Blocked => "blocked",
            ChangeClass::Moved => "moved",
            ChangeClass::HeadlineChanged => "headline_changed",
            ChangeClass::TextChanged => "text_changed",
            ChangeClass::Failing => "failing",
            ChangeClass::Transient => "transient",
            ChangeClass::Unchanged => "unchanged",
        }
    }

    /// The content changed or went away: claims citing it are scored again.
    pub fn rescores(self) -> bool {
        matches!(
            self,
            ChangeClass::Dead
                | ChangeClass::Retracted
                | ChangeClass::Soft404
                | ChangeClass::Corrected
                | ChangeClass::Moved
                | ChangeClass::HeadlineChanged
                | ChangeClass::TextChanged
        )
    }

    /// The live page no longer holds the cited content: verify against an archived copy.
    pub fn needs_archive(self) -> bool {
        matches!(
            self,
            ChangeClass::Dead
                | ChangeClass::Soft404
                | ChangeClass::Retracted
                | ChangeClass::Corrected
                | ChangeClass::HeadlineChanged
                | ChangeClass::TextChanged
        )
    }
}

/// The last good reading of a source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// The URL that was fetched.
    pub url: String,
    /// Where it ended up after redirects.
    pub final_url: String,
    pub title: String,
    /// Main text, paragraphs separated by newlines.
    pub text: String,
}

/// What a new fetch saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation<'a> {
    Page {
        /// The URL asked for.
        url: &'a str,
        final_url: &'a str,
        page: &'a Page,
    },
    Failed(Failure),
}

/// The classes found, with what supports them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// Most important first; never empty.
    pub classes: Vec<ChangeClass>,
    /// Plain-words reason for the first class.
    pub reason: String,
    /// Paragraphs of the old text no longer on the page.
    pub removed: Vec<String>,
    /// Paragraphs on the page that the old text did not have.
    pub added: Vec<String>,
    /// The new headline, when it changed.
    pub new_title: Option<String>,
    /// The new URL, when the page moved or was redirected.
    pub new_url: Option<String>,
    /// The notice text, when a correction or retraction appeared.
    pub notice: Option<String>,
}

impl Classification {
    pub fn class(&self) -> ChangeClass {
        self.classes
            .first()
            .copied()
            .unwrap_or(ChangeClass::Unchanged)
    }

    fn only(class: ChangeClass, reason: impl Into<String>) -> Classification {
        Classification {
            classes: vec![class],
            reason: reason.into(),
            removed: Vec::new(),
            added: Vec::new(),
            new_title: None,
            new_url: None,
            notice: None,
        }
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn paragraphs(text: &str) -> Vec<String> {
    text.lines().map(squash).filter(|p| !p.is_empty()).collect()
}

/// Whether `url` is a site's home page (path `/` or an index file, no query).
fn is_home(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(u) => {
            let p = u.path().trim_end_matches('/');
            u.query().is_none_or(str::is_empty)
                && (p.is_empty()
                    || ["/index.html", "/index.htm", "/index.php", "/home"].contains(&p))
        }
        Err(_) => false,
    }
}

/// Classifies a new fetch of a source against its last good snapshot. `dead_confirmed` says
/// whether the failure policy confirms a `Gone` failure as dead (see `policy`).
pub fn classify(
    old: Option<&Snapshot>,
    new: &Observation<'_>,
    dead_confirmed: bool,
) -> Classification {
    let (url, final_url, page) = match new {
        Observation::Failed(Failure::Gone) if dead_confirmed => {
            return Classification::only(
                ChangeClass::Dead,
                "the page is gone (404/410 or no such host), confirmed by repeated failures",
            )
        }
        Observation::Failed(Failure::Gone) => {
            return Classification::only(
                ChangeClass::Failing,
                "the page is gone (404/410 or no such host); not yet confirmed",
            )
        }
        Observation::Failed(Failure::Blocked) => {
            return Classification::only(
                ChangeClass::Blocked,
                "the site refused us (401/403/429 or a bot wall): unverifiable, not dead",
            )
        }
        Observation::Failed(_) => {
            return Classification::only(
                ChangeClass::Transient,
                "the fetch failed (timeout, reset, server error): recorded, not conclusive",
            )
        }
        Observation::Page {
            url,
            final_url,
            page,
        } => (*url, *final_url, *page),
    };
    let title = page.title.clone().unwrap_or_default();
    let text = page.text();
    let old_title = old.map(|o| o.title.as_str()).unwrap_or_default();
    let old_text = old.map(|o| o.text.as_str()).unwrap_or_default();

    if let Some(w) = cues::wall(&title, &text).filter(|_| cues::wall(old_title, old_text).is_none())
    {
        return Classification::only(
            ChangeClass::Blocked,
            format!("a paywall or bot wall appeared (\"{w}\"): unverifiable, not dead"),
        );
    }
    let redirected = normalize_url(final_url) != normalize_url(url);
    if redirected && is_home(final_url) && !is_home(url) {
        let mut c = Classification::only(
            ChangeClass::Soft404,
            format!("redirected to the home page {final_url}"),
        );
        c.new_url = Some(final_url.to_string());
        return c;
    }
    if cues::error_page(&title, &text) && !cues::error_page(old_title, old_text) {
        let mut c = Classification::only(
            ChangeClass::Soft404,
            "an error page is served in place of the article",
        );
        c.new_url = redirected.then(|| final_url.to_string());
        return c;
    }

    let old_paras = paragraphs(old_text);
    let new_paras = paragraphs(&text);
    let old_set: HashSet<&str> = old_paras.iter().map(String::as_str).collect();
    let new_set: HashSet<&str> = new_paras.iter().map(String::as_str).collect();
    let removed: Vec<String> = old_paras
        .iter()
        .filter(|p| !new_set.contains(p.as_str()))
        .take(MAX_PASSAGES)
        .cloned()
        .collect();
    let added: Vec<String> = new_paras
        .iter()
        .filter(|p| !old_set.contains(p.as_str()))
        .take(MAX_PASSAGES)
        .cloned()
        .collect();

    let mut classes = Vec::new();
    let mut notice = None;
    let old_para_iter = || old_paras.iter().map(String::as_str);
    if let Some(n) = cues::retraction(&title, new_paras.iter().map(String::as_str))
        .filter(|_| cues::retraction(old_title, old_para_iter()).is_none())
    {
        classes.push(ChangeClass::Retracted);
        notice = Some(n);
    }
    if let Some(n) = cues::correction(&title, new_paras.iter().map(String::as_str))
        .filter(|_| cues::correction(old_title, old_para_iter()).is_none())
    {
        classes.push(ChangeClass::Corrected);
        notice.get_or_insert(n);
    }
    let Some(old) = old else {
        return Classification::only(ChangeClass::Unchanged, "no earlier reading to compare with");
    };
    let moved_from = if old.final_url.is_empty() {
        &old.url
    } else {
        &old.final_url
    };
    let new_location = if redirected { final_url } else { url };
    let kept = if old_paras.is_empty() {
        1.0
    } else {
        (old_paras.len() - removed.len().min(old_paras.len())) as f64 / old_paras.len() as f64
    };
    let new_url = (normalize_url(new_location) != normalize_url(moved_from))
        .then(|| new_location.to_string());
    if new_url.is_some() && kept >= MOVED_OVERLAP {
        classes.push(ChangeClass::Moved);
    }
    let headline_changed = squash(&title) != squash(old_title) && !old_title.trim().is_empty();
    if headline_changed {
        classes.push(ChangeClass::HeadlineChanged);
    }
    if !removed.is_empty() || !added.is_empty() {
        classes.push(ChangeClass::TextChanged);
    }
    classes.sort();
    classes.dedup();
    if classes.is_empty() {
        classes.push(ChangeClass::Unchanged);
    }
    let reason = match classes[0] {
        ChangeClass::Retracted => format!(
            "a retraction notice appeared: {}",
            notice.clone().unwrap_or_default()
        ),
        ChangeClass::Corrected => format!(
            "a correction notice appeared: {}",
            notice.clone().unwrap_or_default()
        ),
        ChangeClass::Moved => format!(
            "the same content is now at {}",
            new_url.clone().unwrap_or_default()
        ),
        ChangeClass::HeadlineChanged => format!(
            "the headline changed from \"{}\" to \"{}\"",
            old_title.trim(),
            title.trim()
        ),
        ChangeClass::TextChanged => format!(
            "the text changed: {} paragraph(s) removed, {} added",
            removed.len(),
            added.len()
        ),
        _ => "the page is as it was".to_string(),
    };
    Classification {
        reason,
        new_title: headline_changed.then(|| title.clone()),
        new_url,
        notice,
        removed,
        added,
        classes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://news.example.test/2024/05/budget";

    fn old() -> Snapshot {
        Snapshot {
            url: URL.into(),
            final_url: URL.into(),
            title: "Council approves budget".into(),
            text: "The council approved the budget on Monday.\nSpending rises by 4%.\nThe mayor welcomed it.".into(),
        }
    }

    fn page(title: &str, text: &str) -> Page {
        Page {
            url: URL.into(),
            title: Some(title.into()),
            paragraphs: text.lines().map(str::to_string).collect(),
            ..Page::default()
        }
    }

    fn check(final_url: &str, p: &Page, expected: &[ChangeClass]) -> Classification {
        let o = old();
        let c = classify(
            Some(&o),
            &Observation::Page {
                url: URL,
                final_url,
                page: p,
            },
            false,
        );
        assert_eq!(c.classes, expected, "{c:?}");
        c
    }

    #[test]
    fn unchanged() {
        check(
            URL,
            &page("Council approves budget", &old().text),
            &[ChangeClass::Unchanged],
        );
        // Whitespace is not a change.
        check(
            URL,
            &page(" Council  approves budget", &old().text.replace(' ', "  ")),
            &[ChangeClass::Unchanged],
        );
    }

    #[test]
    fn headline_and_text() {
        let c = check(
            URL,
            &page("Council delays budget", &old().text),
            &[ChangeClass::HeadlineChanged],
        );
        assert_eq!(c.new_title.as_deref(), Some("Council delays budget"));
        let text = old().text.replace("4%", "2%");
        let c = check(
            URL,
            &page("Council approves budget", &text),
            &[ChangeClass::TextChanged],
        );
        assert_eq!(c.removed, vec!["Spending rises by 4%."]);
        assert_eq!(c.added, vec!["Spending rises by 2%."]);
    }

    #[test]
    fn notices_moves_and_soft_404() {
        let text = format!(
            "{}\nCorrection: an earlier version gave the wrong day.",
            old().text
        );
        let c = check(
            URL,
            &page("Council approves budget", &text),
            &[ChangeClass::Corrected, ChangeClass::TextChanged],
        );
        assert!(c.notice.unwrap().starts_with("Correction:"));
        let c = check(
            "http://news.example.test/archive/budget",
            &page("Council approves budget", &old().text),
            &[ChangeClass::Moved],
        );
        assert_eq!(
            c.new_url.as_deref(),
            Some("http://news.example.test/archive/budget")
        );
        check(
            "http://news.example.test/",
            &page("Example News", "Top stories"),
            &[ChangeClass::Soft404],
        );
        check(
            URL,
            &page("Page not found", "Sorry."),
            &[ChangeClass::Soft404],
        );
        check(
            URL,
            &page("Council approves budget", "Subscribe to continue reading."),
            &[ChangeClass::Blocked],
        );
    }

    #[test]
    fn failures() {
        let o = old();
        let f = |x, dead| classify(Some(&o), &Observation::Failed(x), dead).class();
        assert_eq!(f(Failure::Gone, false), ChangeClass::Failing);
        assert_eq!(f(Failure::Gone, true), ChangeClass::Dead);
        assert_eq!(f(Failure::Transient, true), ChangeClass::Transient);
        assert_eq!(f(Failure::Blocked, true), ChangeClass::Blocked);
        let e = FetchError::Status {
            url: URL.into(),
            status: 410,
        };
        assert_eq!(failure_of(&e), Failure::Gone);
        let e = FetchError::Status {
            url: URL.into(),
            status: 503,
        };
        assert_eq!(failure_of(&e), Failure::Transient);
    }
}
