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
    #[serde(default)]
    pub claims: ClaimsConfig,
    #[serde(default)]
    pub serve: ServeConfig,
}

/// `[serve]`: the local web page (`citecheck serve`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// Address and port to listen on.
    pub bind: Option<String>,
    /// Largest request (a pasted or uploaded draft) taken, in bytes.
    pub max_body_bytes: Option<usize>,
    /// Checks kept for their pages and downloads.
    pub checks_kept: Option<usize>,
    /// Checks run at the same time; later ones wait.
    pub checks_at_once: Option<usize>,
}

/// `[claims]`: which sentences are judged.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClaimsConfig {
    /// Judge opinion and furniture too, as `--check-all` does.
    pub check_all: Option<bool>,
}

/// `[store]`: where runs are recorded.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// SQLite file or postgres:// URL used by `--store` without a value, `recheck`, `history`.
    pub path: Option<String>,
    /// How long a SQLite statement waits for another process's lock before it fails.
    pub busy_timeout_secs: Option<f64>,
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
    /// What fails a recheck (exit code 1): verdicts changed to, and source states.
    pub fail_on: Option<Vec<super::recheck::RecheckFailOn>>,
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
    /// Documents `check` verifies at the same time (a recording run: one).
    pub documents_in_flight: Option<usize>,
    pub max_input_bytes: Option<u64>,
    /// Most citations `check` resolves in one article; an article with more is refused.
    pub max_citations: Option<usize>,
    /// Verdicts that fail a run. Replaces the default list.
    pub fail_on: Option<Vec<VerdictArg>>,
    /// Claims scoring below this (0..1) fail too, unless unverifiable.
    pub min_score: Option<f64>,
    /// Outlets never checked (their citations are `excluded`).
    pub exclude_outlets: Option<Vec<String>>,
    /// Domains never searched or fetched.
    pub exclude_domains: Option<Vec<String>>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {message}")]
    Read { path: String, message: String },
    /// Refused as any file a user names is (a FIFO, a device, a binary file); it names the path.
    #[error("{0}")]
    Input(crate::document::InputError),
    #[error("{path}:{line}: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
}

impl FileConfig {
    /// Parses configuration text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<FileConfig, ConfigError> {
        let config: FileConfig = toml::from_str(text).map_err(|e| {
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
        })?;
        // Ranges after types: a well-typed value can still be out of its range.
        if let Ok(table) = toml::from_str::<toml::Table>(text) {
            super::ranges::check_table(&table).map_err(|(key, reason)| {
                let (section, name) = key.split_once('.').unwrap_or(("", &key));
                ConfigError::Parse {
                    path: path.to_string(),
                    line: super::ranges::line_of(text, section, name).unwrap_or(1),
                    message: format!("{key}: {reason}"),
                }
            })?;
        }
        Ok(config)
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
        let text = read_config_text(path)?;
        let config = FileConfig::parse(&text, &path.display().to_string())?;
        // Only a file that is used can expose a secret: an unknown key is an error, not one.
        super::permissions::warn_if_exposed(path, &text);
        Ok(config)
    }

    /// The file the user meant: `--config`, else `$CITECHECK_CONFIG`, else the nearest
    /// `citecheck.toml` in the working folder or its parents up to the repository root, else
    /// `citecheck/config.toml` in the user's config directory (`$XDG_CONFIG_HOME` or
    /// `~/.config` on Linux) when it exists, else none.
    pub fn locate(flag: Option<&Path>) -> Option<PathBuf> {
        if let Some(p) = flag {
            return Some(p.to_path_buf());
        }
        if let Some(p) = std::env::var_os("CITECHECK_CONFIG").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        if let Some(found) = std::env::current_dir()
            .ok()
            .and_then(|cwd| discover(&cwd, |p| p.is_file(), |d| d.join(".git").exists()))
        {
            return Some(found);
        }
        user_config_file().filter(|p| p.exists())
    }

    /// Applies `CITECHECK_<SECTION>__<KEY>` environment overrides (double underscore between
    /// section and key, e.g. `CITECHECK_FETCH__TIMEOUT_SECS=5`) on top of the file's text.
    /// Values are TOML (`5`, `true`, `["corpus"]`); anything else is taken as a string, and a
    /// list key also accepts comma-separated words. Returns the merged configuration and the
    /// variables applied, as (`section.key`, variable name).
    pub fn with_env(
        text: &str,
        path: &str,
        env: &[(String, String)],
    ) -> Result<(FileConfig, Vec<(String, String)>), ConfigError> {
        // The file alone first, so its errors name its lines.
        FileConfig::parse(text, path)?;
        let mut table: toml::Table = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_string(),
            line: 1,
            message: e.message().trim().to_string(),
        })?;
        let mut applied = Vec::new();
        for (name, raw) in env {
            let Some((section, key)) = env_key(name) else {
                continue;
            };
            let value = env_value(&key, raw);
            let entry = table
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let Some(t) = entry.as_table_mut() else {
                return Err(ConfigError::Env {
                    name: name.clone(),
                    message: format!("{section} is not a table"),
                });
            };
            if let Some(bound) = super::ranges::bound_of(&section, &key) {
                super::ranges::check_value(bound, &value).map_err(|reason| ConfigError::Env {
                    name: name.clone(),
                    message: format!("{section}.{key}: {reason}"),
                })?;
            }
            t.insert(key.clone(), value);
            toml::Value::Table(table.clone())
                .try_into::<FileConfig>()
                .map_err(|e| ConfigError::Env {
                    name: name.clone(),
                    message: e.message().trim().to_string(),
                })?;
            applied.push((format!("{section}.{key}"), name.clone()));
        }
        let config = toml::Value::Table(table)
            .try_into::<FileConfig>()
            .map_err(|e| ConfigError::Parse {
                path: path.to_string(),
                line: 1,
                message: e.message().trim().to_string(),
            })?;
        Ok((config, applied))
    }

    /// Reads the configuration the user meant (see [`FileConfig::locate`]) with the process's
    /// environment overrides applied. Returns it with the file used and the overrides applied.
    pub fn load_effective(flag: Option<&Path>) -> Result<Effective, ConfigError> {
        let path = FileConfig::locate(flag);
        let text = match &path {
            Some(p) => read_config_text(p)?,
            None => String::new(),
        };
        let name = path
            .as_ref()
            .map_or_else(|| "(no file)".to_string(), |p| p.display().to_string());
        let env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("CITECHECK_"))
            .collect();
        let (config, applied) = FileConfig::with_env(&text, &name, &env)?;
        if let Some(p) = &path {
            super::permissions::warn_if_exposed(p, &text);
        }
        Ok((config, path, applied))
    }
}

/// The most a configuration file may hold.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A configuration file's text: read as every file a user names is (special files and binary
/// files refused), at most [`MAX_CONFIG_BYTES`], UTF-8.
fn read_config_text(path: &Path) -> Result<String, ConfigError> {
    let read_error = |message: String| ConfigError::Read {
        path: path.display().to_string(),
        message,
    };
    let bytes = crate::document::read_input(&path.to_string_lossy(), MAX_CONFIG_BYTES).map_err(
        |e| match e {
            // Its message speaks of articles.
            crate::document::InputError::TooLarge { .. } => {
                read_error(format!("larger than {MAX_CONFIG_BYTES} bytes"))
            }
            other => ConfigError::Input(other),
        },
    )?;
    String::from_utf8(bytes).map_err(|e| {
        read_error(format!(
            "not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The `citecheck.toml` nearest to `start`: in it, else in its parents up to the repository
/// root (the first folder holding `.git`, as ruff and editorconfig stop) or the file system's
/// root. Shown relative to `start` (`citecheck.toml`, `../../citecheck.toml`).
fn discover(
    start: &Path,
    is_file: impl Fn(&Path) -> bool,
    is_repo_root: impl Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let mut shown = PathBuf::new();
    let mut dir = Some(start);
    while let Some(d) = dir {
        if is_file(&d.join("citecheck.toml")) {
            return Some(shown.join("citecheck.toml"));
        }
        if is_repo_root(d) {
            return None;
        }
        shown.push("..");
        dir = d.parent();
    }
    None
}

/// A configuration with the file it came from and the environment overrides applied to it
/// (`section.key`, variable name).
pub type Effective = (FileConfig, Option<PathBuf>, Vec<(String, String)>);

/// `citecheck/config.toml` in the user's configuration directory.
pub fn user_config_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("citecheck").join("config.toml"))
}

/// `CITECHECK_FETCH__TIMEOUT_SECS` -> (`fetch`, `timeout_secs`); other variables -> none.
fn env_key(name: &str) -> Option<(String, String)> {
    let rest = name.strip_prefix("CITECHECK_")?;
    let (section, key) = rest.split_once("__")?;
    if section.is_empty() || key.is_empty() {
        return None;
    }
    Some((section.to_ascii_lowercase(), key.to_ascii_lowercase()))
}

/// Keys whose value is a list, so `a,b` means two items.
const LIST_KEYS: &[&str] = &["providers", "fail_on"];

fn env_value(key: &str, raw: &str) -> toml::Value {
    if let Ok(t) = toml::from_str::<toml::Table>(&format!("v = {raw}")) {
        if let Some(v) = t.get("v") {
            if !LIST_KEYS.contains(&key) || v.is_array() {
                return v.clone();
            }
        }
    }
    if LIST_KEYS.contains(&key) {
        return toml::Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| toml::Value::String(s.to_string()))
                .collect(),
        );
    }
    toml::Value::String(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_walks_up_to_the_repository_root() {
        let files = ["/r/citecheck.toml", "/citecheck.toml"];
        let is_file = |p: &Path| files.iter().any(|f| Path::new(f) == p);
        let repo = |d: &Path| d == Path::new("/r");
        assert_eq!(
            discover(Path::new("/r/a/b"), is_file, repo),
            Some(PathBuf::from("../../citecheck.toml"))
        );
        assert_eq!(
            discover(Path::new("/r"), is_file, repo),
            Some(PathBuf::from("citecheck.toml"))
        );
        // Past the repository root nothing is looked for.
        let none = |_: &Path| false;
        assert_eq!(
            discover(Path::new("/s/a"), none, |d: &Path| d == Path::new("/s")),
            None
        );
        let only_root = |p: &Path| p == Path::new("/citecheck.toml");
        assert_eq!(
            discover(Path::new("/q/a"), only_root, |d| d == Path::new("/q")),
            None
        );
        // Without a repository, up to the file system's root.
        assert_eq!(
            discover(Path::new("/q/a"), only_root, |_| false),
            Some(PathBuf::from("../../citecheck.toml"))
        );
    }

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

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn environment_overrides_the_file() {
        let (c, applied) = FileConfig::with_env(
            "[fetch]\ntimeout_secs = 3\n",
            "c.toml",
            &env(&[
                ("CITECHECK_FETCH__TIMEOUT_SECS", "5"),
                ("CITECHECK_RUN__FAIL_ON", "contradicted,not_supported"),
                ("CITECHECK_SEARCH__SEARXNG_URL", "http://127.0.0.1:9"),
                ("CITECHECK_CONFIG", "ignored.toml"),
                ("CITECHECK_LOG", "debug"),
            ]),
        )
        .expect("valid");
        assert_eq!(c.fetch.timeout_secs, Some(5.0));
        assert_eq!(
            c.run.fail_on,
            Some(vec![VerdictArg::Contradicted, VerdictArg::NotSupported])
        );
        assert_eq!(c.search.searxng_url.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(applied.len(), 3);
        assert_eq!(
            applied[0],
            (
                "fetch.timeout_secs".into(),
                "CITECHECK_FETCH__TIMEOUT_SECS".into()
            )
        );
    }

    #[test]
    fn unknown_environment_key_names_the_variable() {
        let err = FileConfig::with_env("", "c.toml", &env(&[("CITECHECK_FETCH__TIMEOUT", "5")]))
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("CITECHECK_FETCH__TIMEOUT"), "{text}");
        assert!(text.contains("timeout"), "{text}");
        let err = FileConfig::with_env(
            "",
            "c.toml",
            &env(&[("CITECHECK_RUN__CONCURRENCY", "many")]),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("CITECHECK_RUN__CONCURRENCY"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_is_an_error() {
        let err = FileConfig::parse("[run]\nconcurrency = \"many\"\n", "c.toml").unwrap_err();
        assert!(err.to_string().starts_with("c.toml:2:"), "{err}");
    }
}
