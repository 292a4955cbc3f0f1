//! Politeness: how many requests may be in flight, in total and per host, and how often a host
//! may be asked.
//!
//! A request takes, in order, a slot of its host (at most `per_host` at once), a start time on
//! the host's schedule (starts at least `1 / rate` seconds apart), then a slot of the global
//! limit. Taking the host slot first means a busy host never holds global slots while it
//! waits. A host's robots.txt (read once per run) waits for the schedule but takes no turn on
//! it, so the first page follows it at once. Hosts are `host:port`, so two servers on one machine are two hosts. Redirects inside
//! one request count as that request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The longest wait between two requests to one host, whatever the configured rate.
const MAX_INTERVAL: Duration = Duration::from_secs(86_400);

/// Per-host and global request limits, shared by every fetch of a run.
#[derive(Debug)]
pub(crate) struct Limiter {
    global: Arc<Semaphore>,
    per_host: usize,
    interval: Duration,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
}

#[derive(Debug)]
struct HostState {
    slots: Arc<Semaphore>,
    /// The earliest time the next request to this host may start.
    next_start: Mutex<Instant>,
}

/// Held while a request runs; dropping it frees the host and global slots.
#[derive(Debug)]
pub(crate) struct Permit {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Limiter {
    /// Limits of `global` requests at once, `per_host` per host, and `rate` requests per second
    /// per host (0 or less: no rate limit). Zero counts are taken as one.
    pub(crate) fn new(global: usize, per_host: usize, rate: f64) -> Limiter {
        let interval = if rate > 0.0 && rate.is_finite() {
            // A rate so small its interval overflows waits a day, the longest range allowed.
            Duration::try_from_secs_f64(1.0 / rate)
                .unwrap_or(MAX_INTERVAL)
                .min(MAX_INTERVAL)
        } else {
            Duration::ZERO
        };
        Limiter {
            global: Arc::new(Semaphore::new(global.max(1))),
            per_host: per_host.max(1),
            interval,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn host(&self, key: &str) -> Arc<HostState> {
        let mut hosts = self.hosts.lock().expect("limiter lock is never poisoned");
        hosts
            .entry(key.to_owned())
            .or_insert_with(|| {
                Arc::new(HostState {
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    next_start: Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Waits until a request to `host` may start under every limit.
    pub(crate) async fn acquire(&self, host: &str) -> Permit {
        self.acquire_spaced(host, true).await
    }

    /// As [`Limiter::acquire`] for a host's robots.txt, fetched once per run: it waits for its
    /// host and global slots and for the host's schedule, but takes no turn on that schedule,
    /// so the first page follows it at once instead of a rate interval later.
    pub(crate) async fn acquire_for_robots(&self, host: &str) -> Permit {
        self.acquire_spaced(host, false).await
    }

    async fn acquire_spaced(&self, host: &str, takes_turn: bool) -> Permit {
        let state = self.host(host);
        let host_permit = state
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("limiter semaphores are never closed");
        let start = {
            let mut next = state
                .next_start
                .lock()
                .expect("limiter lock is never poisoned");
            let start = (*next).max(Instant::now());
            if takes_turn {
                *next = start + self.interval;
            }
            start
        };
        tokio::time::sleep_until(start).await;
        let global_permit = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("limiter semaphores are never closed");
        Permit {
            _host: host_permit,
            _global: global_permit,
        }
    }
}

/// The key a URL is limited under: its host and port.
pub(crate) fn host_key(url: &url::Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn rate_spaces_starts_per_host() {
        let limiter = Arc::new(Limiter::new(10, 10, 2.0));
        let begin = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..3 {
            let _permit = limiter.acquire("a:80").await;
            starts.push(begin.elapsed());
        }
        // Another host is not held up by the first one's schedule.
        let _other = limiter.acquire("b:80").await;
        let other = begin.elapsed();
        assert_eq!(
            starts,
            vec![
                Duration::ZERO,
                Duration::from_millis(500),
                Duration::from_millis(1000)
            ]
        );
        assert_eq!(other, Duration::from_millis(1000));
    }

    #[tokio::test(start_paused = true)]
    async fn robots_takes_no_turn_on_the_schedule() {
        let limiter = Limiter::new(8, 2, 1.0);
        let t0 = Instant::now();
        drop(limiter.acquire_for_robots("a:80").await);
        drop(limiter.acquire("a:80").await);
        // The page right after robots.txt starts at once; the next page a second later.
        assert!(t0.elapsed() < Duration::from_millis(100));
        drop(limiter.acquire("a:80").await);
        assert!(t0.elapsed() >= Duration::from_millis(990));
    }

    #[tokio::test(start_paused = true)]
    async fn per_host_slots_are_bounded() {
        let limiter = Arc::new(Limiter::new(10, 2, 0.0));
        let a = limiter.acquire("a:80").await;
        let _b = limiter.acquire("a:80").await;
        let third = tokio::time::timeout(Duration::from_secs(1), limiter.acquire("a:80")).await;
        assert!(third.is_err(), "a third request to one host started");
        drop(a);
        let third = tokio::time::timeout(Duration::from_secs(1), limiter.acquire("a:80")).await;
        assert!(third.is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn global_slots_are_bounded() {
        let limiter = Arc::new(Limiter::new(1, 2, 0.0));
        let a = limiter.acquire("a:80").await;
        let other = tokio::time::timeout(Duration::from_secs(1), limiter.acquire("b:80")).await;
        assert!(
            other.is_err(),
            "the global limit let a second request start"
        );
        drop(a);
        assert!(
            tokio::time::timeout(Duration::from_secs(1), limiter.acquire("b:80"))
                .await
                .is_ok()
        );
    }

    #[test]
    fn host_keys() {
        let key = |u: &str| host_key(&url::Url::parse(u).unwrap());
        assert_eq!(key("https://a.test/x"), "a.test:443");
        assert_eq!(key("http://a.test/x"), "a.test:80");
        assert_eq!(key("http://127.0.0.1:8080/"), "127.0.0.1:8080");
    }
}
