//! `config.toml`: every setting optional, unknown keys refused, errors naming file and line.
//! Merge order: built-in defaults < config file < command-line flags.

use super::args::VerdictArg;
use crate::cite::registry::Outlet;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The configuration file as written. Every field is optional; absent means "the default".
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub fetch: FetchConfig,
    #[serde(default)]
    pub run: RunConfig,
    /// Outlets added to the built-in registry (same id replaces an entry). Appends.
    #[serde(default)]
    pub outlet: Vec<Outlet>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Providers in the order they are tried: `corpus`, `searxng`, `brave`, `brave_news`,
    /// `gdelt`, `wayback`, `factcheck` (advisory, never a source). Replaces the default list.
    pub providers: Option<Vec<String>>,
    /// Folder of saved pages for the corpus provider; empty means the embedded corpus.
    pub corpus_dir: Option<PathBuf>,
    /// Base URL of the SearXNG instance.
    pub searxng_url: Option<String>,
    /// Language hint sent to search engines (`zh-CN`, `en`); empty means none.
    pub language: Option<String>,
    /// Base URL of the Brave Search API.
    pub brave_url: Option<String>,
    /// Name of the environment variable holding the Brave subscription token (never the token).
    pub brave_key_env: Option<String>,
    /// Brave `freshness`: `pd`, `pw`, `pm`, `py` or `YYYY-MM-DDtoYYYY-MM-DD`; empty means none.
    pub brave_freshness: Option<String>,
    /// Base URL of the GDELT API.
    pub gdelt_url: Option<String>,
    /// Base URL of the Wayback Machine (availability and CDX APIs).
    pub wayback_url: Option<String>,
    /// Captures listed per outlet domain by the wayback provider.
    pub wayback_cdx_limit: Option<usize>,
    /// Base URL of Google Fact Check Tools.
    pub factcheck_url: Option<String>,
    /// Name of the environment variable holding the Fact Check Tools API key.
    pub factcheck_key_env: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FetchConfig {
    pub timeout_secs: Option<f64>,
    pub connect_timeout_secs: Option<f64>,
    pub max_body_bytes: Option<usize>,
    pub max_redirects: Option<usize>,
    pub retries: Option<u32>,
    pub user_agent: Option<String>,
    pub proxy: Option<String>,
    pub offline: Option<bool>,
    /// Lift the SSRF guard (loopback, private, link-local, metadata destinations).
    pub allow_private: Option<bool>,
    pub per_host_concurrency: Option<usize>,
    /// Requests started per second on one host; 0 means no limit.
    pub per_host_rate: Option<f64>,
    pub max_concurrency: Option<usize>,
    /// Honour robots.txt.
    pub robots: Option<bool>,
    /// Contact URL named in the default User-Agent.
    pub contact_url: Option<String>,
    pub retry_after_cap_secs: Option<f64>,
    pub min_speed_bytes_per_sec: Option<u64>,
    pub min_speed_window_secs: Option<f64>,
    /// Use the on-disk HTTP cache.
    pub cache: Option<bool>,
    /// Folder of the HTTP cache; empty means the user cache folder.
    pub cache_dir: Option<PathBuf>,
    pub cache_ttl_secs: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    pub concurrency: Option<usize>,
    pub max_input_bytes: Option<u64>,
    /// Most citations `check` resolves in one article; an article with more is refused.
    pub max_citations: Option<usize>,
    /// Verdicts that fail a run. Replaces the default list.
    pub fail_on: Option<Vec<VerdictArg>>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {message}")]
    Read { path: String, message: String },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
}

impl FileConfig {
    /// Parses configuration text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<FileConfig, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            ConfigError::Parse {
                path: path.to_string(),
                line,
                message: match e
                    .span()
                    .and_then(|s| super::config_key::key_at(text, s.start))
                {
                    Some(key) => format!("{key}: {}", e.message().trim()),
                    None => e.message().trim().to_string(),
                },
            }
        })
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        super::permissions::warn_if_exposed(path, &text);
        FileConfig::parse(&text, &path.display().to_string())
    }

    /// The file the user meant: `--config`, else `$CITECHECK_CONFIG`, else `./citecheck.toml`
    /// when it exists, else none.
    pub fn locate(flag: Option<&Path>) -> Option<PathBuf> {
        if let Some(p) = flag {
            return Some(p.to_path_buf());
        }
        if let Some(p) = std::env::var_os("CITECHECK_CONFIG").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        let local = PathBuf::from("citecheck.toml");
        local.exists().then_some(local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_is_valid() {
        let text = include_str!("../../config.toml");
        FileConfig::parse(text, "config.toml").expect("config.toml parses");
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let err = FileConfig::parse("[fetch]\ntimeout_secs = 3\ntimeout_sec = 4\n", "c.toml")
            .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("c.toml:3:"), "{text}");
        assert!(text.contains("timeout_sec"), "{text}");
    }

    #[test]
    fn wrong_type_is_an_error() {
        let err = FileConfig::parse("[run]\nconcurrency = \"many\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().starts_with("c.toml:2:"), "{err}");
    }
}
