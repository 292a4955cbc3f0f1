//! `citecheck config show`: every setting's effective value and where it came from (the
//! built-in default, a file and line, an environment variable or a flag), secrets redacted.
//! The defaults are the shipped `config.toml`, which a test keeps valid.

use super::args::ConfigShowArgs;
use super::config::FileConfig;
use super::run::ExitStatus;
use anyhow::Result;
use std::fmt::Write as _;
use std::io::Write;

const SHIPPED: &str = include_str!("../../config.toml");

/// Where a value came from.
#[derive(Debug, Clone, PartialEq)]
enum Origin {
    Default,
    File(String, usize),
    Env(String),
    Flag(&'static str),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::File(p, l) => write!(f, "{p}:{l}"),
            Origin::Env(v) => write!(f, "env {v}"),
            Origin::Flag(n) => write!(f, "flag {n}"),
        }
    }
}

/// The line of `key` inside `[section]` of a TOML text, if written there.
fn line_of(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            current = name.trim().to_string();
        } else if current == section {
            if let Some((k, _)) = t.split_once('=') {
                if k.trim() == key {
                    return Some(i + 1);
                }
            }
        }
    }
    None
}

/// Hides passwords in URLs (`http://user:***@host`) and whole values of secret-looking keys.
fn redact(key: &str, value: &toml::Value) -> String {
    let lower = key.to_ascii_lowercase();
    if ["password", "secret", "token", "api_key", "apikey"]
        .iter()
        .any(|s| lower.contains(s))
    {
        return "\"***\"".into();
    }
    match value {
        toml::Value::String(s) => match url::Url::parse(s) {
            Ok(mut u) if u.password().is_some() || !u.username().is_empty() => {
                if u.password().is_some() {
                    let _ = u.set_password(Some("***"));
                }
                toml::Value::String(u.to_string()).to_string()
            }
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

/// Runs `config show`.
pub fn show(args: ConfigShowArgs) -> Result<ExitStatus> {
    let (_, path, applied) = FileConfig::load_effective(args.config.as_deref())?;
    let file_text = match &path {
        Some(p) => std::fs::read_to_string(p).unwrap_or_default(),
        None => String::new(),
    };
    let file_table: toml::Table = toml::from_str(&file_text).unwrap_or_default();
    let defaults: toml::Table = toml::from_str(SHIPPED).unwrap_or_default();
    let env: std::collections::HashMap<String, String> = std::env::vars().collect();
    let flag = |section: &str, key: &str| -> Option<(toml::Value, &'static str)> {
        let v = match (section, key) {
            ("fetch", "timeout_secs") => args.timeout.map(|v| (toml::Value::Float(v), "--timeout")),
            ("run", "concurrency") => args
                .concurrency
                .map(|v| (toml::Value::Integer(v as i64), "--concurrency")),
            ("fetch", "proxy") => args
                .proxy
                .clone()
                .map(|v| (toml::Value::String(v), "--proxy")),
            ("search", "searxng_url") => args
                .search_url
                .clone()
                .map(|v| (toml::Value::String(v), "--search-url")),
            ("search", "corpus_dir") => args
                .corpus
                .as_ref()
                .map(|v| (toml::Value::String(v.display().to_string()), "--corpus")),
            ("fetch", "offline") => args
                .offline
                .then_some((toml::Value::Boolean(true), "--offline")),
            ("run", "min_score") => args
                .min_score
                .map(|v| (toml::Value::Float(v), "--min-score")),
            _ => None,
        };
        v
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# effective citecheck configuration; file: {}",
        path.as_ref()
            .map_or_else(|| "none".to_string(), |p| p.display().to_string())
    );
    let _ = writeln!(
        out,
        "# each value's origin follows it; secrets are redacted"
    );
    // Every key of the shipped defaults, plus the optional ones it leaves unset.
    let mut sections: Vec<(String, Vec<String>)> = defaults
        .iter()
        .filter_map(|(s, v)| {
            v.as_table()
                .map(|t| (s.clone(), t.keys().cloned().collect::<Vec<_>>()))
        })
        .collect();
    for (s, keys) in &mut sections {
        if s == "run" && !keys.iter().any(|k| k == "min_score") {
            keys.push("min_score".into());
        }
    }
    for (section, keys) in &sections {
        let _ = writeln!(out, "\n[{section}]");
        for key in keys {
            let name = format!(
                "CITECHECK_{}__{}",
                section.to_uppercase(),
                key.to_uppercase()
            );
            let from_file = file_table.get(section).and_then(|t| t.get(key)).cloned();
            let (value, origin) = if let Some((v, f)) = flag(section, key) {
                (Some(v), Origin::Flag(f))
            } else if applied
                .iter()
                .any(|(k, _)| k == &format!("{section}.{key}"))
            {
                let raw = env.get(&name).cloned().unwrap_or_default();
                let v = toml::from_str::<toml::Table>(&format!("v = {raw}"))
                    .ok()
                    .and_then(|t| t.get("v").cloned())
                    .unwrap_or(toml::Value::String(raw));
                (Some(v), Origin::Env(name.clone()))
            } else if let Some(v) = from_file {
                let line = line_of(&file_text, section, key).unwrap_or(1);
                let p = path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                (Some(v), Origin::File(p, line))
            } else {
                (
                    defaults.get(section).and_then(|t| t.get(key)).cloned(),
                    Origin::Default,
                )
            };
            match value {
                Some(v) => {
                    let _ = writeln!(out, "{key} = {}  # {origin}", redact(key, &v));
                }
                None => {
                    let _ = writeln!(out, "# {key} is unset  # {origin}");
                }
            }
        }
    }
    let outlets = file_table
        .get("outlet")
        .and_then(|o| o.as_array())
        .map_or(0, Vec::len);
    if outlets > 0 {
        let _ = writeln!(out, "\n# {outlets} extra [[outlet]] entries from the file");
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(out.as_bytes())?;
    lock.flush()?;
    Ok(ExitStatus::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_passwords_are_redacted() {
        let v = toml::Value::String("http://me:hunter2@proxy.test:3128".into());
        let shown = redact("proxy", &v);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("me:***@proxy.test"), "{shown}");
        assert_eq!(redact("api_token", &v), "\"***\"");
    }

    #[test]
    fn finds_the_line_of_a_key() {
        let text = "[search]\nlanguage = \"en\"\n[fetch]\n# c\nretries = 4\n";
        assert_eq!(line_of(text, "fetch", "retries"), Some(5));
        assert_eq!(line_of(text, "search", "retries"), None);
    }
}
