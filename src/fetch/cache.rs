//! The on-disk HTTP cache: one JSON file per URL with the decoded page, its validators
//! (`ETag`, `Last-Modified`) and when it was fetched.
//!
//! Only successful fetches are stored; errors (timeouts, 5xx, blocks) never are, so a transient
//! failure is retried on the next run. An entry younger than the TTL is served without a
//! request; an older one is revalidated with `If-None-Match`/`If-Modified-Since`, and a 304
//! serves it again with a fresh time. Offline, any entry is served whatever its age. A file
//! that cannot be read or parsed is a miss; writes go to a temporary file renamed into place,
//! so a crash never leaves a half entry.

use super::FetchedPage;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A cached page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub(crate) url: String,
    pub(crate) final_url: String,
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) html: String,
    pub(crate) encoding: String,
    pub(crate) etag: Option<String>,
    pub(crate) last_modified: Option<String>,
    /// Seconds since the Unix epoch.
    pub(crate) fetched_at: u64,
}

impl Entry {
    pub(crate) fn new(
        page: &FetchedPage,
        etag: Option<String>,
        last_modified: Option<String>,
        now: SystemTime,
    ) -> Entry {
        Entry {
            url: page.url.clone(),
            final_url: page.final_url.clone(),
            status: page.status,
            content_type: page.content_type.clone(),
            html: page.html.clone(),
            encoding: page.encoding.clone(),
            etag,
            last_modified,
            fetched_at: unix_secs(now),
        }
    }

    pub(crate) fn page(&self) -> FetchedPage {
        FetchedPage {
            url: self.url.clone(),
            final_url: self.final_url.clone(),
            status: self.status,
            content_type: self.content_type.clone(),
            html: self.html.clone(),
            encoding: self.encoding.clone(),
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }

    /// Marks the entry as confirmed by the server at `now` (a 304).
    pub(crate) fn touch(&mut self, now: SystemTime) {
        self.fetched_at = unix_secs(now);
    }

    /// Whether the entry is younger than `ttl` at `now`.
    pub(crate) fn is_fresh(&self, ttl: Duration, now: SystemTime) -> bool {
        unix_secs(now).saturating_sub(self.fetched_at) < ttl.as_secs()
    }
}

fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A cache folder.
#[derive(Debug, Clone)]
pub(crate) struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub(crate) fn new(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
        }
    }

    /// The file of `url`: a stable 64-bit FNV-1a hash of it (the entry inside names the URL, so
    /// a collision is a miss, never a wrong page).
    fn path(&self, url: &str) -> PathBuf {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in url.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.dir.join(format!("{hash:016x}.json"))
    }

    /// The entry for `url`, if there is a readable one.
    pub(crate) async fn load(&self, url: &str) -> Option<Entry> {
        let bytes = tokio::fs::read(self.path(url)).await.ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.url == url).then_some(entry)
    }

    /// Stores `entry`; a cache that cannot be written is only logged, never fails a fetch.
    pub(crate) async fn store(&self, entry: &Entry) {
        let path = self.path(&entry.url);
        let result = async {
            tokio::fs::create_dir_all(&self.dir).await?;
            let json = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            tokio::fs::write(&tmp, json).await?;
            tokio::fs::rename(&tmp, &path).await
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(path = %path.display(), %error, "cannot write the http cache");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str) -> FetchedPage {
        FetchedPage {
            url: url.to_owned(),
            final_url: format!("{url}?final"),
            status: 200,
            content_type: Some("text/html".to_owned()),
            html: "<p>新闻</p>".to_owned(),
            encoding: "UTF-8".to_owned(),
            etag: None,
            last_modified: None,
        }
    }

    #[tokio::test]
    async fn round_trip_and_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(&dir.path().join("sub"));
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(cache.load("http://a.test/").await, None);
        let entry = Entry::new(&page("http://a.test/"), Some("\"v1\"".into()), None, now);
        cache.store(&entry).await;
        assert_eq!(cache.load("http://a.test/").await, Some(entry.clone()));
        assert_eq!(cache.load("http://a.test/other").await, None);
        // The page served from the cache carries the validators it was stored with.
        assert_eq!(
            cache.load("http://a.test/").await.unwrap().page(),
            FetchedPage {
                etag: Some("\"v1\"".into()),
                ..page("http://a.test/")
            }
        );
        // A broken file is a miss.
        tokio::fs::write(cache.path("http://a.test/"), b"{")
            .await
            .unwrap();
        assert_eq!(cache.load("http://a.test/").await, None);
    }

    #[test]
    fn freshness() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let entry = Entry::new(&page("http://a.test/"), None, None, now);
        let ttl = Duration::from_secs(60);
        assert!(entry.is_fresh(ttl, now));
        assert!(entry.is_fresh(ttl, now + Duration::from_secs(59)));
        assert!(!entry.is_fresh(ttl, now + Duration::from_secs(60)));
        assert!(!entry.is_fresh(Duration::ZERO, now));
    }
}
