//! GDELT DOC 2.0 as a search provider (`/api/v2/doc/doc?mode=artlist&format=json`).
//!
//! GDELT monitors news sites worldwide and searches the English machine translation of every
//! article, so a Chinese headline cannot be searched by its words. Queries are built for that:
//! English words are kept (a phrase in quotes), Chinese ones dropped, and the outlet's domains
//! (`domainis:`) and the language of the text (`sourcelang:`) do the narrowing, returning recent
//! articles of the outlet whose original titles `resolve` then scores. GDELT reports a bad query
//! as plain text or HTML with status 200; that becomes a [`SearchError`].

use super::api::{days_from_civil, text_excerpt, Api};
use super::{matches_domains, normalize_url, SearchError, SearchProvider, SearchQuery};
use crate::model::Candidate;
use crate::text::is_cjk;
use async_trait::async_trait;
use serde::Deserialize;
use std::collections::HashSet;

/// Public address of the API.
pub const DEFAULT_GDELT_URL: &str = "https://api.gdeltproject.org";
/// Most records GDELT returns for one request.
const MAX_RECORDS: usize = 250;
/// Days searched either side of a query's date.
const DATE_WINDOW_DAYS: i64 = 7;
/// Shortest keyword GDELT accepts.
const MIN_WORD_CHARS: usize = 3;

/// A GDELT DOC 2.0 client.
#[derive(Debug)]
pub struct Gdelt {
    api: Api,
    base_url: String,
}

#[derive(Debug, Deserialize, Default)]
struct Answer {
    #[serde(default)]
    articles: Vec<Article>,
}

#[derive(Debug, Deserialize, Default)]
struct Article {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    /// `20250822T101500Z`.
    #[serde(default)]
    seendate: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

impl Gdelt {
    pub fn new(base_url: &str, client: reqwest::Client) -> Gdelt {
        Gdelt {
            api: Api::new("gdelt", client),
            base_url: base_url.trim().trim_end_matches('/').to_string(),
        }
    }

    fn request_url(
        &self,
        q: &str,
        records: usize,
        around: Option<&str>,
    ) -> Result<url::Url, SearchError> {
        let mut url =
            url::Url::parse(&format!("{}/api/v2/doc/doc", self.base_url)).map_err(|e| {
                self.api
                    .failed(format!("invalid api url {}: {e}", self.base_url))
            })?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("query", q);
            pairs.append_pair("mode", "artlist");
            pairs.append_pair("format", "json");
            pairs.append_pair("maxrecords", &records.to_string());
            if let Some((start, end)) = around.and_then(date_window) {
                pairs.append_pair("startdatetime", &start);
                pairs.append_pair("enddatetime", &end);
            }
        }
        Ok(url)
    }
}

/// The GDELT query for `query`, or `None` when there is nothing GDELT can search for (only
/// Chinese words and no domain to narrow by).
pub fn gdelt_query(query: &SearchQuery) -> Option<String> {
    let words: Vec<String> = query
        .text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty() && !w.chars().any(is_cjk))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '-').to_string())
        .filter(|w| w.chars().count() >= MIN_WORD_CHARS)
        .collect();
    let mut parts: Vec<String> = Vec::new();
    if query.phrase && words.len() > 1 {
        parts.push(format!("\"{}\"", words.join(" ")));
    } else {
        parts.extend(words);
    }
    let has_words = !parts.is_empty();
    let domains: Vec<String> = query
        .domains
        .iter()
        .map(|d| d.trim().trim_start_matches("www.").to_ascii_lowercase())
        .filter(|d| !d.is_empty() && !d.contains(char::is_whitespace))
        .collect();
    match domains.len() {
        0 => {}
        1 => parts.push(format!("domainis:{}", domains[0])),
        _ => parts.push(format!(
            "({})",
            domains
                .iter()
                .map(|d| format!("domainis:{d}"))
                .collect::<Vec<_>>()
                .join(" OR ")
        )),
    }
    if !has_words && domains.is_empty() {
        return None;
    }
    let cjk_text = query.text.chars().any(is_cjk);
    let lang = query
        .language
        .as_deref()
        .and_then(source_language)
        .or(cjk_text.then_some("chinese"));
    if let Some(lang) = lang {
        parts.push(format!("sourcelang:{lang}"));
    }
    Some(parts.join(" "))
}

/// GDELT's `sourcelang:` name for a language hint.
fn source_language(language: &str) -> Option<&'static str> {
    let primary = language
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "zh" => "chinese",
        "en" => "english",
        "ja" => "japanese",
        "ko" => "korean",
        "fr" => "french",
        "de" => "german",
        "es" => "spanish",
        "ru" => "russian",
        "ar" => "arabic",
        "pt" => "portuguese",
        _ => return None,
    })
}

/// `startdatetime`/`enddatetime` a week either side of a `YYYY-MM-DD` date.
fn date_window(date: &str) -> Option<(String, String)> {
    let mut it = date.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let day = days_from_civil(y, m, d);
    let fmt = |days: i64| {
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}{m:02}{d:02}000000")
    };
    Some((fmt(day - DATE_WINDOW_DAYS), fmt(day + DATE_WINDOW_DAYS)))
}

/// The inverse of `days_from_civil`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `20250822T101500Z` -> `2025-08-22T10:15:00Z`; anything else as given.
fn seen_date(s: &str) -> String {
    let b = s.trim();
    if b.len() == 16 && b.as_bytes()[8] == b'T' && b.is_ascii() {
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            &b[0..4],
            &b[4..6],
            &b[6..8],
            &b[9..11],
            &b[11..13],
            &b[13..15]
        )
    } else {
        b.to_string()
    }
}

/// Parses an artlist answer. GDELT answers an empty list with `{}` or an empty body, and a bad
/// query with a line of text or an HTML page (status 200).
pub(crate) fn parse_answer(
    body: &str,
    content_type: Option<&str>,
) -> Result<Vec<Candidate>, String> {
    let trimmed = body.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Ok(Vec::new());
    }
    // GDELT's status-200 errors are text or HTML; its JSON is recognised by the body, whatever
    // the declared type.
    if !trimmed.starts_with('{') {
        let what = if content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html")) {
            "query refused (html page)"
        } else {
            "query refused"
        };
        return Err(format!("{what}: {}", text_excerpt(trimmed)));
    }
    let answer: Answer =
        serde_json::from_str(trimmed).map_err(|e| format!("answer is not valid json: {e}"))?;
    Ok(answer
        .articles
        .into_iter()
        .filter_map(|a| {
            let url = a.url.filter(|u| !u.trim().is_empty())?;
            let snippet = [a.domain, a.language]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            Some(Candidate {
                url,
                title: a.title.unwrap_or_default().trim().to_string(),
                snippet: (!snippet.is_empty()).then_some(snippet),
                published: a.seendate.as_deref().map(seen_date),
                provider: "gdelt".to_string(),
            })
        })
        .collect())
}

#[async_trait]
impl SearchProvider for Gdelt {
    fn name(&self) -> &str {
        "gdelt"
    }

    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
        let Some(q) = gdelt_query(query) else {
            return Ok(Vec::new());
        };
        let limit = query.effective_limit();
        // Without keywords the domain filter returns the outlet's latest articles: ask for more
        // so the cited one has a chance to be among them.
        let records = if q.starts_with("domainis:") || q.starts_with('(') {
            MAX_RECORDS
        } else {
            limit.clamp(1, MAX_RECORDS)
        };
        let url = self.request_url(&q, records, query.around.as_deref())?;
        let answer = match self.api.get(url, &[]).await? {
            Ok(a) => a,
            Err(refusal) => {
                let detail = text_excerpt(&refusal.body);
                return Err(self.api.failed(format!(
                    "http status {}{}{detail}",
                    refusal.status,
                    if detail.is_empty() { "" } else { ": " }
                )));
            }
        };
        let results = parse_answer(&answer.body, answer.content_type.as_deref())
            .map_err(|m| self.api.failed(m))?;
        let mut seen = HashSet::new();
        let mut out: Vec<Candidate> = results
            .into_iter()
            .filter(|c| query.domains.is_empty() || matches_domains(&c.url, &query.domains))
            .filter(|c| seen.insert(normalize_url(&c.url)))
            .collect();
        if records > limit {
            // Keep the titles closest to the query text rather than the newest.
            let words = crate::search::corpus::index_tokens(&query.text);
            let score = |c: &Candidate| {
                let t = crate::search::corpus::index_tokens(&c.title);
                words.iter().filter(|w| t.contains(w)).count()
            };
            out.sort_by_key(|c| std::cmp::Reverse(score(c)));
        }
        out.truncate(limit);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str, domains: &[&str], language: Option<&str>, phrase: bool) -> SearchQuery {
        SearchQuery {
            text: text.to_string(),
            domains: domains.iter().map(|d| d.to_string()).collect(),
            language: language.map(str::to_string),
            limit: 10,
            phrase,
            around: None,
        }
    }

    #[test]
    fn queries_keep_english_words_and_use_filters() {
        assert_eq!(
            gdelt_query(&q("Nvidia halts H20 production", &[], Some("en"), true)).as_deref(),
            Some("\"Nvidia halts H20 production\" sourcelang:english")
        );
        assert_eq!(
            gdelt_query(&q(
                "英伟达暂停H20芯片生产",
                &["guancha.cn"],
                Some("zh-CN"),
                true
            ))
            .as_deref(),
            Some("domainis:guancha.cn sourcelang:chinese")
        );
        assert_eq!(
            gdelt_query(&q(
                "Nvidia H20 of it",
                &["www.reuters.com", "reuters.com"],
                None,
                false
            ))
            .as_deref(),
            Some("Nvidia H20 (domainis:reuters.com OR domainis:reuters.com)")
        );
        assert_eq!(
            gdelt_query(&q("英伟达暂停芯片生产", &[], Some("zh-CN"), true)),
            None
        );
    }

    #[test]
    fn date_windows_and_seen_dates() {
        assert_eq!(
            date_window("2025-03-02"),
            Some(("20250223000000".to_string(), "20250309000000".to_string()))
        );
        assert_eq!(date_window("2025"), None);
        assert_eq!(seen_date("20250822T101500Z"), "2025-08-22T10:15:00Z");
        for d in [-1000, 0, 11_017, 20_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn answers_and_refusals() {
        let got = parse_answer(
            r#"{"articles":[{"url":"https://www.guancha.cn/a.shtml","title":"英伟达暂停H20芯片生产",
               "seendate":"20250822T101500Z","domain":"guancha.cn","language":"Chinese"},{"title":"no url"}]}"#,
            Some("application/json"),
        )
        .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].published.as_deref(), Some("2025-08-22T10:15:00Z"));
        assert_eq!(got[0].snippet.as_deref(), Some("guancha.cn, Chinese"));
        assert!(parse_answer("{}", None).unwrap().is_empty());
        assert!(parse_answer("", None).unwrap().is_empty());
        let err =
            parse_answer("The specified phrase is too short.", Some("text/plain")).unwrap_err();
        assert_eq!(err, "query refused: The specified phrase is too short.");
        // JSON labelled as HTML is still read.
        assert!(parse_answer("{}", Some("text/html")).unwrap().is_empty());
        let err = parse_answer("{\"articles\": [", None).unwrap_err();
        assert!(err.contains("not valid json"), "{err}");
    }
}
