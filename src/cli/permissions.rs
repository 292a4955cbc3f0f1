//! A config file holding a secret (an API key, a token, a password, a proxy URL with
//! credentials) that other users can read draws a warning on stderr, as ssh does for keys.
//! The check is advisory: the run goes on, since refusing would break shared read-only setups.

use std::path::Path;

/// Setting names that hold secrets, matched on the key's last part, lowercased.
const SECRET_NAMES: &[&str] = &[
    "key",
    "api_key",
    "apikey",
    "token",
    "secret",
    "password",
    "passwd",
    "credentials",
];

/// Warns on stderr when `text` (the contents of the config file at `path`) holds a secret and
/// the file is readable by its group or others (mode & 0o044). Returns the warning given.
pub(super) fn warn_if_exposed(path: &Path, text: &str) -> Option<String> {
    let key = secret_setting(text)?;
    let mode = file_mode(path)?;
    if mode & 0o044 == 0 {
        return None;
    }
    let warning = format!(
        "citecheck: warning: {}: holds a secret ({key}) but is readable by others \
         (mode {:o}); run chmod 600 {} or set it in the environment",
        path.display(),
        mode & 0o777,
        path.display()
    );
    eprintln!("{warning}");
    Some(warning)
}

#[cfg(unix)]
fn file_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().map(|m| m.permissions().mode())
}

#[cfg(not(unix))]
fn file_mode(_path: &Path) -> Option<u32> {
    None
}

/// The first setting of a TOML text that holds a non-empty secret: a key named like one
/// (`api_key`, `brave_api_key`, `token`, …) or a URL with a password (`http://u:p@host`).
fn secret_setting(text: &str) -> Option<String> {
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
        let value = value.trim().trim_matches(['"', '\'']).trim();
        if value.is_empty() {
            continue;
        }
        let last = key.rsplit('.').next().unwrap_or(&key);
        let named = SECRET_NAMES
            .iter()
            .any(|s| last == *s || last.ends_with(&format!("_{s}")));
        if named || url_has_password(value) {
            return Some(key.to_string());
        }
    }
    None
}

fn url_has_password(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|u| u.password().is_some_and(|p| !p.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<&str>) {
        assert_eq!(secret_setting(text).as_deref(), expected, "{text:?}");
    }

    #[test]
    fn finds_key_like_settings() {
        check("[search]\nbrave_api_key = \"abc\"\n", Some("brave_api_key"));
        check("api_key = 'x'\n", Some("api_key"));
        check("[search]\ntoken = \"t\"\n", Some("token"));
        check(
            "[fetch]\nproxy = \"http://me:pw@proxy.example:3128\"\n",
            Some("proxy"),
        );
        check("[fetch]\nproxy = \"http://proxy.example:3128\"\n", None);
        check("[search]\nbrave_api_key = \"\"\n", None);
        check("# api_key = \"commented\"\n", None);
        check("[run]\nmax_input_bytes = 5\nmonkey = 1\n", None);
    }

    #[cfg(unix)]
    #[test]
    fn warns_only_when_others_can_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.toml");
        let text = "[search]\nbrave_api_key = \"k\"\n";
        std::fs::write(&path, text).expect("write");
        for (mode, warns) in [(0o600, false), (0o640, true), (0o604, true), (0o644, true)] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
            assert_eq!(
                warn_if_exposed(&path, text).is_some(),
                warns,
                "mode {mode:o}"
            );
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(warn_if_exposed(&path, "[run]\nconcurrency = 2\n").is_none());
    }
}
