//! The fetcher's politeness, safety and cache settings: from `[fetch]` in the config and the
//! flags into `FetchSettings`. Kept apart from `run.rs` so the fetch options live in one place.
//!
//! This is also where the environment is read for the fetcher (the library never reads it):
//! the default cache folder (`$XDG_CACHE_HOME/citecheck/http`, else
//! `$HOME/.cache/citecheck/http`) and the proxy variables, whose hosts the SSRF guard trusts.

use super::args::VerifyArgs;
use super::config::FetchConfig;
use crate::fetch::{user_agent_with_contact, FetchSettings};
use anyhow::{bail, Result};
use std::path::PathBuf;
use std::time::Duration;

/// The per-host and global limits and robots.txt from `[fetch]`, checked. Shared by `check` and
/// `recheck`.
pub(super) fn politeness(f: &FetchConfig, s: &mut FetchSettings) -> Result<()> {
    if let Some(n) = f.per_host_concurrency {
        if n == 0 {
            bail!("fetch.per_host_concurrency must be at least 1");
        }
        s.per_host_concurrency = n;
    }
    if let Some(rate) = f.per_host_rate {
        if !(rate.is_finite() && rate >= 0.0) {
            bail!("fetch.per_host_rate must be a number of requests per second, 0 or more, got {rate}");
        }
        s.per_host_rate = rate;
    }
    if let Some(n) = f.max_concurrency {
        if n == 0 {
            bail!("fetch.max_concurrency must be at least 1");
        }
        s.max_concurrency = n;
    }
    s.robots = f.robots.unwrap_or(s.robots);
    Ok(())
}

/// The fetch flags every command that fetches pages shares (`check`, `page`).
#[derive(Debug, Clone, Copy)]
pub(super) struct FetchFlags {
    pub allow_private: bool,
    pub no_cache: bool,
}

/// Applies the fetch settings of `f` and `args` to `s` (flags win over the file).
/// `search_url` is the configured search URL, whose host the guard trusts for searches.
pub(super) fn apply(
    args: &VerifyArgs,
    f: &FetchConfig,
    search_url: Option<&str>,
    s: &mut FetchSettings,
) -> Result<()> {
    let flags = FetchFlags {
        allow_private: args.allow_private,
        no_cache: args.no_cache,
    };
    apply_flags(flags, f, search_url, s)
}

/// [`apply`] for any command: the flags as a plain struct.
pub(super) fn apply_flags(
    flags: FetchFlags,
    f: &FetchConfig,
    search_url: Option<&str>,
    s: &mut FetchSettings,
) -> Result<()> {
    s.allow_private = flags.allow_private || f.allow_private.unwrap_or(false);
    politeness(f, s)?;
    if f.user_agent.as_deref().is_none_or(str::is_empty) {
        if let Some(contact) = f.contact_url.as_deref().filter(|c| !c.is_empty()) {
            s.user_agent = user_agent_with_contact(contact);
        }
    }
    if let Some(v) = f.retry_after_cap_secs {
        s.retry_after_cap = seconds(v, "fetch.retry_after_cap_secs", true)?;
    }
    if let Some(v) = f.min_speed_bytes_per_sec {
        s.min_speed = v;
    }
    if let Some(v) = f.min_speed_window_secs {
        s.min_speed_window = seconds(v, "fetch.min_speed_window_secs", false)?;
    }
    if let Some(v) = f.cache_ttl_secs {
        s.cache_ttl = seconds(v, "fetch.cache_ttl_secs", true)?;
    }
    let cache_on = !flags.no_cache && f.cache.unwrap_or(true);
    s.cache_dir = if cache_on {
        f.cache_dir
            .clone()
            .filter(|d| !d.as_os_str().is_empty())
            .or_else(default_cache_dir)
    } else {
        None
    };

    let mut trusted: Vec<String> = [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .filter_map(|var| std::env::var(var).ok())
    .filter_map(|url| host_of(&url))
    .collect();
    trusted.sort();
    trusted.dedup();
    s.trusted_hosts.extend(trusted);
    // The search endpoint is trusted for the search's own requests, never for a cited page.
    s.service_hosts.extend(search_url.and_then(host_of));
    Ok(())
}

/// The host of a URL (or of `host:port` without a scheme, as proxy variables are often given).
fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url)
        .ok()
        .filter(|u| u.has_host())
        .or_else(|| url::Url::parse(&format!("http://{url}")).ok())?;
    parsed.host_str().map(str::to_owned)
}

fn seconds(v: f64, what: &str, zero_ok: bool) -> Result<Duration> {
    if !(v.is_finite() && (v > 0.0 || (zero_ok && v == 0.0))) {
        bail!("{what} must be a positive number of seconds, got {v}");
    }
    Duration::try_from_secs_f64(v).map_err(|_| anyhow::anyhow!("{what} is too large: {v} seconds"))
}

/// `$XDG_CACHE_HOME/citecheck/http`, else `$HOME/.cache/citecheck/http`; none without either.
fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })?;
    Some(base.join("citecheck").join("http"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_proxy_values() {
        assert_eq!(host_of("http://proxy.corp:3128"), Some("proxy.corp".into()));
        assert_eq!(
            host_of("socks5h://localhost:1080"),
            Some("localhost".into())
        );
        assert_eq!(host_of("proxy.corp:3128"), Some("proxy.corp".into()));
        assert_eq!(host_of("http://127.0.0.1:8888/"), Some("127.0.0.1".into()));
    }

    fn applied(flags: &[&str], config: &str) -> Result<FetchSettings> {
        use super::super::args::{Cli, Command};
        use clap::Parser;
        let mut argv = vec!["citecheck", "check", "a.md"];
        argv.extend_from_slice(flags);
        let Command::Check(args) = Cli::try_parse_from(argv).unwrap().command else {
            panic!("not a check command");
        };
        let file = super::super::config::FileConfig::parse(config, "c.toml").unwrap();
        let mut s = FetchSettings::default();
        apply(
            &args.verify,
            &file.fetch,
            Some("http://searx.example.test:8888"),
            &mut s,
        )?;
        Ok(s)
    }

    #[test]
    fn config_and_flags_reach_the_settings() {
        let s = applied(
            &[],
            "[fetch]\nper_host_concurrency = 4\nper_host_rate = 0.5\nmax_concurrency = 9\n\
             robots = false\ncontact_url = \"mailto:ops@example.test\"\n\
             retry_after_cap_secs = 30\nmin_speed_bytes_per_sec = 100\n\
             min_speed_window_secs = 5\ncache_dir = \"/tmp/cc\"\ncache_ttl_secs = 60\n",
        )
        .unwrap();
        assert!(!s.allow_private);
        assert_eq!(s.per_host_concurrency, 4);
        assert_eq!(s.per_host_rate, 0.5);
        assert_eq!(s.max_concurrency, 9);
        assert!(!s.robots);
        assert!(s.user_agent.starts_with("citecheck/"));
        assert!(s.user_agent.ends_with("(+mailto:ops@example.test)"));
        assert_eq!(s.retry_after_cap, Duration::from_secs(30));
        assert_eq!(s.min_speed, 100);
        assert_eq!(s.min_speed_window, Duration::from_secs(5));
        assert_eq!(s.cache_dir, Some(PathBuf::from("/tmp/cc")));
        assert_eq!(s.cache_ttl, Duration::from_secs(60));
        assert!(s.service_hosts.contains(&"searx.example.test".to_owned()));
        assert!(!s.trusted_hosts.contains(&"searx.example.test".to_owned()));

        let s = applied(
            &["--allow-private", "--no-cache"],
            "[fetch]\ncache_dir = \"/tmp/cc\"\n",
        )
        .unwrap();
        assert!(s.allow_private);
        assert_eq!(s.cache_dir, None);
        let s = applied(&[], "[fetch]\nallow_private = true\ncache = false\n").unwrap();
        assert!(s.allow_private);
        assert_eq!(s.cache_dir, None);
        // Out-of-range values are refused when the file is parsed (`ranges.rs`), and again here
        // for settings built without a file.
        for text in ["per_host_concurrency = 0", "per_host_rate = -1"] {
            let text = format!("[fetch]\n{text}\n");
            assert!(super::super::config::FileConfig::parse(&text, "c.toml").is_err());
            let file: super::super::config::FileConfig = toml::from_str(&text).unwrap();
            let mut s = FetchSettings::default();
            assert!(politeness(&file.fetch, &mut s).is_err(), "{text}");
        }
    }

    #[test]
    fn seconds_are_checked() {
        assert!(seconds(0.0, "x", true).is_ok());
        assert!(seconds(0.0, "x", false).is_err());
        assert!(seconds(-1.0, "x", true).is_err());
        assert!(seconds(f64::NAN, "x", true).is_err());
    }
}
