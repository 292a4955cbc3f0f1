//! Search providers beyond `corpus` and `searxng` from the config and flags: base URLs, and API
//! keys read from the environment variables the config names (a key itself is never accepted
//! in the config, and never printed).

use super::args::{SearchChoice, VerifyArgs};
use super::config::FileConfig;
use crate::search::{brave, factcheck, gdelt, wayback, ApiKey};
use crate::settings::ProviderSpec;
use anyhow::{bail, Context, Result};

/// Default variable holding the Brave subscription token.
pub const DEFAULT_BRAVE_KEY_ENV: &str = "BRAVE_API_KEY";
/// Default variable holding the Fact Check Tools API key.
pub const DEFAULT_FACTCHECK_KEY_ENV: &str = "FACTCHECK_API_KEY";

/// The config name of a `--search` choice.
pub fn choice_name(choice: SearchChoice) -> &'static str {
    match choice {
        SearchChoice::Corpus => "corpus",
        SearchChoice::Searxng => "searxng",
        SearchChoice::Brave => "brave",
        SearchChoice::BraveNews => "brave_news",
        SearchChoice::Gdelt => "gdelt",
        SearchChoice::Wayback => "wayback",
    }
}

/// The provider named `name` (not `corpus` or `searxng`, which `run` builds).
pub fn provider_spec(
    name: &str,
    args: &VerifyArgs,
    file: &FileConfig,
    language: Option<String>,
) -> Result<ProviderSpec> {
    let cfg = &file.search;
    // `--search-url` applies to the provider `--search` chose.
    let flag_url = args
        .search
        .filter(|c| choice_name(*c) == name)
        .and(args.search_url.clone());
    let base = |configured: &Option<String>, default: &str| -> Result<String> {
        let url = flag_url
            .clone()
            .or_else(|| configured.clone())
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| default.to_string());
        url::Url::parse(&url).with_context(|| format!("invalid {name} url {url}"))?;
        Ok(url)
    };
    Ok(match name {
        "brave" | "brave_news" => ProviderSpec::Brave {
            url: base(&cfg.brave_url, brave::DEFAULT_BRAVE_URL)?,
            key: key_from_env(
                name,
                "search.brave_key_env",
                &cfg.brave_key_env,
                DEFAULT_BRAVE_KEY_ENV,
            )?,
            news: name == "brave_news",
            freshness: cfg.brave_freshness.clone().filter(|f| !f.trim().is_empty()),
            language,
        },
        "gdelt" => ProviderSpec::Gdelt {
            url: base(&cfg.gdelt_url, gdelt::DEFAULT_GDELT_URL)?,
        },
        "wayback" => ProviderSpec::Wayback {
            url: base(&cfg.wayback_url, wayback::DEFAULT_WAYBACK_URL)?,
            cdx_limit: match cfg.wayback_cdx_limit {
                Some(0) => bail!("search.wayback_cdx_limit must be at least 1"),
                Some(n) => n,
                None => wayback::DEFAULT_CDX_LIMIT,
            },
        },
        "factcheck" => ProviderSpec::FactCheck {
            url: base(&cfg.factcheck_url, factcheck::DEFAULT_FACTCHECK_URL)?,
            key: key_from_env(
                name,
                "search.factcheck_key_env",
                &cfg.factcheck_key_env,
                DEFAULT_FACTCHECK_KEY_ENV,
            )?,
            language,
        },
        other => bail!(
            "unknown search provider {other:?} (known: corpus, searxng, brave, brave_news, \
             gdelt, wayback, factcheck)"
        ),
    })
}

/// The key in the environment variable named by `setting` (or `default`). The error names the
/// variable, never a value.
fn key_from_env(
    provider: &str,
    setting: &str,
    configured: &Option<String>,
    default: &str,
) -> Result<ApiKey> {
    let var = configured
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or(default);
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(ApiKey(v.trim().to_string())),
        _ => bail!(
            "{provider} needs an api key: set the environment variable {var} (named by {setting})"
        ),
    }
}
