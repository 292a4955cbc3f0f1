//! Outlets and domains the user excluded (`--exclude-outlet`, `--exclude-domain`, and
//! `run.exclude_outlets`, `run.exclude_domains`). A citation of an excluded outlet, or one whose
//! URL lies on an excluded domain, is reported as `excluded` and is never searched or fetched.
//! A search result on an excluded domain is never a candidate for any citation.
//!
//! This module owns the matching only. `verify` asks it about each citation, and
//! [`ExcludingProvider`] filters what a search provider returns.

use crate::cite::registry::OutletRegistry;
use crate::model::{Candidate, Citation};
use crate::search::{SearchError, SearchProvider, SearchQuery};
use async_trait::async_trait;
use std::sync::Arc;

/// What the user excluded, as given and normalised for matching.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exclusions {
    /// Outlet names as given (`Reuters`, `路透社`, a registry id).
    outlets: Vec<String>,
    /// Domains, lower case, without a leading dot or `www.`.
    domains: Vec<String>,
}

impl Exclusions {
    /// The exclusions for these outlet names and domains. Blank entries are dropped.
    pub fn new(outlets: &[String], domains: &[String]) -> Exclusions {
        Exclusions {
            outlets: outlets
                .iter()
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect(),
            domains: domains
                .iter()
                .map(|d| normalise_domain(d))
                .filter(|d| !d.is_empty())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.outlets.is_empty() && self.domains.is_empty()
    }

    /// The excluded outlet names, as given.
    pub fn outlets(&self) -> &[String] {
        &self.outlets
    }

    /// The excluded domains, normalised.
    pub fn domains(&self) -> &[String] {
        &self.domains
    }

    /// What a report shows as excluded.
    pub fn shown(&self) -> crate::model::Excluded {
        crate::model::Excluded {
            outlets: self.outlets.clone(),
            domains: self.domains.clone(),
        }
    }

    /// Why `citation` is excluded (`excluded outlet Reuters`), or `None` when it is not.
    /// An outlet matches by any name the registry knows it by, so excluding `Reuters` also
    /// excludes a citation of `路透社`. A domain matches the citation's URL.
    pub fn reason(&self, citation: &Citation, registry: &OutletRegistry) -> Option<String> {
        if let Some(url) = citation.url.as_deref() {
            if let Some(domain) = self.domain_of(url) {
                return Some(format!("excluded domain {domain}"));
            }
        }
        let written = [
            citation.outlet.as_deref(),
            citation.registry_outlet.as_deref(),
        ];
        let cited = citation
            .registry_outlet
            .as_deref()
            .or(citation.outlet.as_deref())
            .and_then(|name| registry.lookup(name))
            .or_else(|| citation.url.as_deref().and_then(|u| registry.by_url(u)));
        self.outlets
            .iter()
            .find(|excluded| {
                let same_name = written
                    .iter()
                    .flatten()
                    .any(|w| same_outlet_name(w, excluded));
                let same_outlet = match (cited, registry.lookup(excluded)) {
                    (Some(a), Some(b)) => a.id == b.id,
                    _ => false,
                };
                same_name || same_outlet
            })
            .map(|o| format!("excluded outlet {o}"))
    }

    /// The excluded domain `url` lies on (the domain itself or a subdomain of it).
    pub fn domain_of(&self, url: &str) -> Option<&str> {
        let host = url::Url::parse(url.trim())
            .ok()?
            .host_str()?
            .to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        self.domains
            .iter()
            .find(|d| host == d.as_str() || host.ends_with(&format!(".{d}")))
            .map(String::as_str)
    }
}

/// `Reuters` and `reuters`, `《人民日报》` and `人民日报`: the same name.
fn same_outlet_name(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.trim()
            .trim_matches(|c| matches!(c, '《' | '》' | '「' | '」' | '"' | '“' | '”'))
            .to_lowercase()
    };
    strip(a) == strip(b)
}

/// `https://www.Example.com/x` → `example.com`; `.example.com` → `example.com`.
fn normalise_domain(given: &str) -> String {
    let given = given.trim();
    let host = url::Url::parse(given)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| given.split('/').next().unwrap_or("").to_string());
    let host = host.trim_matches('.').to_ascii_lowercase();
    host.strip_prefix("www.").unwrap_or(&host).to_string()
}

/// A search provider whose results on excluded domains are dropped.
pub struct ExcludingProvider {
    pub inner: Arc<dyn SearchProvider>,
    pub exclusions: Arc<Exclusions>,
}

#[async_trait]
impl SearchProvider for ExcludingProvider {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
        let mut found = self.inner.search(query).await?;
        found.retain(|c| self.exclusions.domain_of(&c.url).is_none());
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CitationKind;

    fn citation(outlet: Option<&str>, url: Option<&str>) -> Citation {
        Citation {
            id: "c1".into(),
            kind: CitationKind::Inline,
            outlet: outlet.map(str::to_string),
            registry_outlet: None,
            headline: None,
            url: url.map(str::to_string),
            date: None,
            line: 1,
            column: 1,
        }
    }

    #[test]
    fn an_outlet_is_excluded_by_any_of_its_names() {
        let registry = OutletRegistry::builtin();
        let ex = Exclusions::new(&["Reuters".into()], &[]);
        assert_eq!(
            ex.reason(&citation(Some("路透社"), None), &registry),
            Some("excluded outlet Reuters".into())
        );
        assert_eq!(
            ex.reason(&citation(Some("reuters"), None), &registry),
            Some("excluded outlet Reuters".into())
        );
        assert_eq!(ex.reason(&citation(Some("新华社"), None), &registry), None);
        // A Reuters URL with no outlet named is Reuters too.
        assert!(ex
            .reason(
                &citation(None, Some("https://www.reuters.com/world/x-2024-01-01/")),
                &registry
            )
            .is_some());
    }

    #[test]
    fn an_unregistered_outlet_is_excluded_by_its_written_name() {
        let registry = OutletRegistry::builtin();
        let ex = Exclusions::new(&["Harbour Gazette".into()], &[]);
        assert!(ex
            .reason(&citation(Some("harbour gazette"), None), &registry)
            .is_some());
        assert!(ex
            .reason(&citation(Some("Harbour Times"), None), &registry)
            .is_none());
    }

    #[test]
    fn a_domain_covers_its_subdomains_and_nothing_else() {
        let ex = Exclusions::new(
            &[],
            &["https://www.Example.com/".into(), " .news.test ".into()],
        );
        assert_eq!(ex.domains(), ["example.com", "news.test"]);
        assert_eq!(ex.domain_of("https://example.com/a"), Some("example.com"));
        assert_eq!(ex.domain_of("http://m.example.com/a"), Some("example.com"));
        assert_eq!(ex.domain_of("https://www.news.test/"), Some("news.test"));
        assert_eq!(ex.domain_of("https://notexample.com/a"), None);
        assert_eq!(ex.domain_of("https://example.com.evil.test/"), None);
        assert_eq!(ex.domain_of("not a url"), None);
        let registry = OutletRegistry::builtin();
        assert_eq!(
            ex.reason(
                &citation(Some("X"), Some("https://a.example.com/p")),
                &registry
            ),
            Some("excluded domain example.com".into())
        );
    }

    #[test]
    fn blank_entries_exclude_nothing() {
        let ex = Exclusions::new(&[" ".into()], &["".into()]);
        assert!(ex.is_empty());
    }
}
