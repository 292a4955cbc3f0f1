//! Google Fact Check Tools (`/v1alpha1/claims:search`): existing fact-checks of a claim.
//!
//! Optional and advisory: what fact-checkers said about a claim is reported beside the verdict
//! and never used as a source. The API key is a query parameter, so it never appears in an
//! error message (the shared transport drops URLs from errors) and the `Debug` output hides it.
//! As a [`SearchProvider`] it returns the review articles, for callers that want them as pages;
//! `verify` never puts it among the source providers.

use super::api::{error_detail, text_excerpt, Api};
use super::{SearchError, SearchProvider, SearchQuery};
use crate::model::{Candidate, FactCheck};
use async_trait::async_trait;
use serde::Deserialize;

/// Public address of the API.
pub const DEFAULT_FACTCHECK_URL: &str = "https://factchecktools.googleapis.com";
/// Claims asked for per request.
const PAGE_SIZE: usize = 10;
/// Longest claim text sent, in characters (the API refuses very long queries).
const MAX_QUERY_CHARS: usize = 200;

/// A Fact Check Tools client.
pub struct FactCheckTools {
    api: Api,
    base_url: String,
    key: String,
}

impl std::fmt::Debug for FactCheckTools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FactCheckTools")
            .field("base_url", &self.base_url)
            .field("key", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Deserialize, Default)]
struct Answer {
    #[serde(default)]
    claims: Vec<ClaimItem>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ClaimItem {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    claimant: Option<String>,
    #[serde(default)]
    claim_review: Vec<Review>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Review {
    #[serde(default)]
    publisher: Option<Publisher>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    review_date: Option<String>,
    #[serde(default)]
    textual_rating: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Publisher {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    site: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
struct ErrorAnswer {
    #[serde(default)]
    error: Option<ErrorBody>,
}

#[derive(Debug, Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

impl FactCheckTools {
    pub fn new(base_url: &str, key: &str, client: reqwest::Client) -> FactCheckTools {
        FactCheckTools {
            api: Api::new("factcheck", client),
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            key: key.trim().to_string(),
        }
    }

    /// Fact-checks of claims like `text`, one per review, in the API's order.
    pub async fn claims(
        &self,
        text: &str,
        language: Option<&str>,
    ) -> Result<Vec<FactCheck>, SearchError> {
        if self.key.is_empty() {
            return Err(self.api.failed(
                "no api key (set the environment variable named by search.factcheck_key_env)",
            ));
        }
        let text: String = text.trim().chars().take(MAX_QUERY_CHARS).collect();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut url = url::Url::parse(&format!("{}/v1alpha1/claims:search", self.base_url))
            .map_err(|e| {
                self.api
                    .failed(format!("invalid api url {}: {e}", self.base_url))
            })?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("query", &text);
            if let Some(lang) = language.filter(|l| !l.trim().is_empty() && *l != "all") {
                pairs.append_pair("languageCode", lang);
            }
            pairs.append_pair("pageSize", &PAGE_SIZE.to_string());
            pairs.append_pair("key", &self.key);
        }
        let answer = match self.api.get(url, &[]).await? {
            Ok(a) => a,
            Err(r) => {
                let parts = serde_json::from_str::<ErrorAnswer>(&r.body)
                    .ok()
                    .and_then(|e| e.error)
                    .map_or([None, None], |e| [e.status, e.message]);
                let detail = error_detail(parts, &r.body);
                // Google's messages can quote the request; keep the key out of them.
                let detail = detail.replace(&self.key, "<redacted>");
                return Err(self.api.failed(format!(
                    "http status {}{}{detail}",
                    r.status,
                    if detail.is_empty() { "" } else { ": " }
                )));
            }
        };
        if answer.body.trim().is_empty() {
            return Ok(Vec::new());
        }
        if answer.looks_like_text() {
            return Err(self.api.failed(format!(
                "answer is not json: {}",
                text_excerpt(&answer.body)
            )));
        }
        parse_answer(&answer.body).map_err(|m| self.api.failed(m))
    }
}

pub(crate) fn parse_answer(body: &str) -> Result<Vec<FactCheck>, String> {
    let answer: Answer =
        serde_json::from_str(body).map_err(|e| format!("answer is not valid json: {e}"))?;
    let mut out = Vec::new();
    for c in answer.claims {
        let claim = c.text.unwrap_or_default().trim().to_string();
        for r in c.claim_review {
            let Some(url) = r.url.filter(|u| !u.trim().is_empty()) else {
                continue;
            };
            let publisher = r
                .publisher
                .and_then(|p| p.name.or(p.site))
                .unwrap_or_default();
            out.push(FactCheck {
                claim: claim.clone(),
                claimant: c.claimant.clone().filter(|s| !s.trim().is_empty()),
                rating: r.textual_rating.unwrap_or_default().trim().to_string(),
                publisher,
                url,
                title: r.title.filter(|t| !t.trim().is_empty()),
                review_date: r.review_date,
            });
        }
    }
    Ok(out)
}

#[async_trait]
impl SearchProvider for FactCheckTools {
    fn name(&self) -> &str {
        "factcheck"
    }

    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
        let checks = self.claims(&query.text, query.language.as_deref()).await?;
        Ok(checks
            .into_iter()
            .take(query.effective_limit())
            .map(|f| Candidate {
                title: f.title.clone().unwrap_or_else(|| f.claim.clone()),
                snippet: Some(format!("{}: {}", f.publisher, f.rating)),
                published: f.review_date,
                url: f.url,
                provider: "factcheck".to_string(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_become_fact_checks() {
        let body = r#"{"claims":[{"text":"5G spreads the virus","claimant":"social media","claimDate":"2020-03-01T00:00:00Z",
            "claimReview":[{"publisher":{"name":"Example Check","site":"check.example"},"url":"https://check.example/5g",
            "title":"No, 5G does not spread viruses","reviewDate":"2020-03-02T00:00:00Z","textualRating":"False","languageCode":"en"},
            {"publisher":{"site":"other.example"},"textualRating":"Misleading"}]}],"nextPageToken":"x"}"#;
        let got = parse_answer(body).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].rating, "False");
        assert_eq!(got[0].publisher, "Example Check");
        assert_eq!(got[0].claimant.as_deref(), Some("social media"));
        assert!(parse_answer("{}").unwrap().is_empty());
        assert!(parse_answer("{\"claims\":").is_err());
    }

    #[test]
    fn debug_hides_the_key() {
        let f = FactCheckTools::new("http://127.0.0.1:1", "SECRET-KEY", reqwest::Client::new());
        assert!(!format!("{f:?}").contains("SECRET"));
    }
}
