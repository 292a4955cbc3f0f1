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
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub recheck: RecheckConfig,
}

/// `[store]`: where runs are recorded.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// SQLite file or postgres:// URL used by `--store` without a value, `recheck`, `history`.
    pub path: Option<String>,
}

/// `[recheck]`: the re-verification policy.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecheckConfig {
    pub dead_after_failures: Option<usize>,
    pub dead_failure_spacing_days: Option<f64>,
    pub live_interval_days: Option<f64>,
    pub failing_interval_days: Option<f64>,
    pub dead_interval_days: Option<f64>,
    pub host_interval_ms: Option<u64>,
    pub lease_secs: Option<f64>,
    pub concurrency: Option<usize>,
    pub wayback_url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Providers in the order they are tried: `corpus`, `searxng`. Replaces the default list.
    pub providers: Option<Vec<String>>,
    /// Folder of saved pages for the corpus provider; empty means the embedded corpus.
    pub corpus_dir: Option<PathBuf>,
    /// Base URL of the SearXNG instance.
    pub searxng_url: Option<String>,
    /// Language hint sent to search engines (`zh-CN`, `en`); empty means none.
    pub language: Option<String>,
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
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    pub concurrency: Option<usize>,
    pub max_input_bytes: Option<u64>,
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
                message: e.message().trim().to_string(),
            }
        })
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
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
