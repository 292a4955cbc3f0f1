//! The Internet Archive's availability API: the archived copy of a URL closest to a date.
//! `GET {base}/wayback/available?url=URL&timestamp=YYYYMMDD` answers
//! `{"archived_snapshots": {"closest": {"available": true, "url": "…", "timestamp": "…"}}}`.
//! The base URL is configurable, so tests point it at a local server.

/// The public service.
pub const DEFAULT_BASE: &str = "https://archive.org";

/// An archived copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub url: String,
    /// `YYYYMMDDhhmmss`, as the archive gives it.
    pub timestamp: String,
}

/// A small client for the availability API.
#[derive(Debug, Clone)]
pub struct Wayback {
    base: String,
    client: reqwest::Client,
}

impl Wayback {
    pub fn new(base: &str, client: reqwest::Client) -> Wayback {
        Wayback {
            base: base.trim_end_matches('/').to_string(),
            client,
        }
    }

    /// The archived copy of `url` closest to `timestamp` (`YYYYMMDD`), `Ok(None)` when there is
    /// none, `Err` with a message when the archive could not be asked.
    pub async fn closest(&self, url: &str, timestamp: &str) -> Result<Option<Archived>, String> {
        let endpoint = format!("{}/wayback/available", self.base);
        let response = self
            .client
            .get(&endpoint)
            .query(&[("url", url), ("timestamp", timestamp)])
            .send()
            .await
            .map_err(|e| format!("{endpoint}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!(
                "{endpoint}: http status {}",
                response.status().as_u16()
            ));
        }
        let text = response
            .text()
            .await
            .map_err(|e| format!("{endpoint}: {e}"))?;
        let body: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{endpoint}: not JSON: {e}"))?;
        Ok(parse(&body))
    }
}

/// The closest available snapshot in an availability answer.
pub fn parse(body: &serde_json::Value) -> Option<Archived> {
    let closest = body.get("archived_snapshots")?.get("closest")?;
    if closest
        .get("available")
        .and_then(serde_json::Value::as_bool)
        == Some(false)
    {
        return None;
    }
    let url = closest.get("url")?.as_str()?.to_string();
    let timestamp = closest
        .get("timestamp")
        .and_then(|t| t.as_str())
        .unwrap_or_default()
        .to_string();
    (!url.is_empty()).then_some(Archived { url, timestamp })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_answers() {
        let v = serde_json::json!({"url": "x", "archived_snapshots": {"closest": {
            "status": "200", "available": true,
            "url": "http://web.archive.org/web/20240512000000/http://x/", "timestamp": "20240512000000"}}});
        assert_eq!(parse(&v).unwrap().timestamp, "20240512000000");
        assert_eq!(parse(&serde_json::json!({"archived_snapshots": {}})), None);
        let no = serde_json::json!({"archived_snapshots": {"closest": {"available": false, "url": "u"}}});
        assert_eq!(parse(&no), None);
    }
}
