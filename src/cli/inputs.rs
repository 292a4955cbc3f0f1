//! Which files a command reads: paths, directories (searched for Markdown, HTML and text by
//! extension), glob patterns (`drafts/**/*.md`, expanded here so quoting works on every shell)
//! and `-` for standard input.

use std::path::{Path, PathBuf};

/// An input as given, expanded; `Err` for a pattern that matches nothing or is invalid, or a
/// directory that holds no article. Each file is listed once however it is reached (two
/// paths, a link, a directory and a file in it); directory links are followed only inside
/// the directories given.
pub fn expand_inputs(inputs: &[String]) -> Vec<Result<String, (String, String)>> {
    expand_inputs_with(inputs, false)
}

/// [`expand_inputs`]; `follow_outside` also follows links that leave the given directories.
pub fn expand_inputs_with(
    inputs: &[String],
    follow_outside: bool,
) -> Vec<Result<String, (String, String)>> {
    let mut out = Vec::new();
    let mut seen = Seen::default();
    for input in inputs {
        let path = Path::new(input);
        if input == "-" || path.exists() && !path.is_dir() {
            if input == "-" || seen.first_time(path) {
                out.push(Ok(input.clone()));
            }
        } else if path.is_dir() {
            let mut found = Vec::new();
            collect_articles(path, follow_outside, &mut found);
            found.sort();
            if found.is_empty() {
                out.push(Err((
                    input.clone(),
                    format!("no articles found in {input} (looked for {ARTICLE_PATTERNS})"),
                )));
            }
            out.extend(
                found
                    .into_iter()
                    .filter(|p| seen.first_time(p))
                    .map(|p| Ok(p.display().to_string())),
            );
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
                    out.extend(
                        found
                            .into_iter()
                            .filter(|p| seen.first_time(p))
                            .map(|p| Ok(p.display().to_string())),
                    );
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

/// Files and directories already reached, by device and inode (by canonical path where the
/// platform has no inodes).
#[derive(Default)]
struct Seen(std::collections::HashSet<(u64, u64, PathBuf)>);

impl Seen {
    fn first_time(&mut self, p: &Path) -> bool {
        match identity(p) {
            Some(id) => self.0.insert(id),
            None => true,
        }
    }
}

fn identity(p: &Path) -> Option<(u64, u64, PathBuf)> {
    let meta = std::fs::metadata(p).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino(), PathBuf::new()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0, std::fs::canonicalize(p).ok()?))
    }
}

/// The file names a directory is searched for, as the empty-directory error names them.
const ARTICLE_PATTERNS: &str = "*.md, *.markdown, *.txt, *.html, *.htm";

fn is_article(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "txt" | "html" | "htm")
    )
}

fn collect_articles(dir: &Path, follow_outside: bool, out: &mut Vec<PathBuf>) {
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut visited = Seen::default();
    visited.first_time(dir);
    // An explicit stack: deep trees never recurse.
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
            if is_link && !follow_outside {
                // A link is followed only when it stays inside the directory given.
                match std::fs::canonicalize(&p) {
                    Ok(target) if target.starts_with(&root) => {}
                    _ => continue,
                }
            }
            let Ok(meta) = std::fs::metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                // A directory reached twice (a link loop, two links to one folder) is walked once.
                if visited.first_time(&p) {
                    stack.push(p);
                }
            } else if meta.is_file() && is_article(&p) {
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
/// The bytes are read once, under the cap.
pub fn load(path: &str, max_bytes: u64) -> Result<Loaded, crate::document::InputError> {
    let bytes = crate::document::read_input(path, max_bytes)?;
    let (doc, raw) = crate::document::parse_owned(path, bytes, None)?;
    Ok(Loaded { doc, raw })
}
