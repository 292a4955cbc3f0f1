//! Which files a command reads: paths, directories (searched for Markdown, HTML and text by
//! extension), glob patterns (`drafts/**/*.md`, expanded here so quoting works on every shell)
//! and `-` for standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

/// An input as given, expanded; `Err` for a pattern that matches nothing or is invalid.
pub fn expand_inputs(inputs: &[String]) -> Vec<Result<String, (String, String)>> {
    let mut out = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if input == "-" || path.exists() && !path.is_dir() {
            out.push(Ok(input.clone()));
        } else if path.is_dir() {
            let mut found = Vec::new();
            collect_articles(path, &mut found);
            found.sort();
            out.extend(found.into_iter().map(|p| Ok(p.display().to_string())));
        } else if input.contains(['*', '?', '[']) {
            match glob::glob(input) {
                Ok(paths) => {
                    let mut found: Vec<PathBuf> = paths
                        .flatten()
                        .filter(|p| p.is_file() && is_article(p))
                        .collect();
                    found.sort();
                    if found.is_empty() {
                        out.push(Err((input.clone(), "no file matches this pattern".into())));
                    }
                    out.extend(found.into_iter().map(|p| Ok(p.display().to_string())));
                }
                Err(e) => out.push(Err((input.clone(), format!("invalid pattern: {e}")))),
            }
        } else {
            // Missing files are reported by the loader, which names them.
            out.push(Ok(input.clone()));
        }
    }
    out
}

fn is_article(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "txt" | "html" | "htm")
    )
}

fn collect_articles(dir: &Path, out: &mut Vec<PathBuf>) {
    // An explicit stack: deep trees never recurse.
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if is_article(&p) {
                out.push(p);
            }
        }
    }
}

/// A loaded input with its raw text (for `citecheck-ignore` markers).
pub struct Loaded {
    pub doc: crate::model::Document,
    pub raw: String,
}

/// Loads an input as `document::load` does, keeping its decoded text; `-` reads stdin once.
pub fn load(path: &str, max_bytes: u64) -> Result<Loaded, crate::document::InputError> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(max_bytes + 1)
            .read_to_end(&mut buf)
            .map_err(|e| crate::document::InputError::Unreadable {
                path: path.to_string(),
                message: e.to_string(),
            })?;
        if buf.len() as u64 > max_bytes {
            return Err(crate::document::InputError::TooLarge {
                path: path.to_string(),
                size: buf.len() as u64,
                limit: max_bytes,
            });
        }
        let doc = crate::document::parse(path, &buf, None)?;
        let raw = crate::charset::decode(&buf, None).text;
        return Ok(Loaded { doc, raw });
    }
    let doc = crate::document::load(path, max_bytes)?;
    let raw = std::fs::read(path)
        .map(|b| crate::charset::decode(&b, None).text)
        .unwrap_or_default();
    Ok(Loaded { doc, raw })
}
