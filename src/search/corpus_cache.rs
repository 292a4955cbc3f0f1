//! The corpus of a folder, built once and kept on disk, updated file by file.
//!
//! Decoding and extracting saved pages is the slow part of loading a corpus (HTML parsing,
//! readability scoring), so the result is cached: one JSON file holding, per source file (by
//! path relative to the folder, size and modification time), its extracted pages and their
//! index term counts. On the next load only files that were added or changed are read again;
//! removed files drop out; the inverted index is rebuilt from the stored term counts, which
//! takes a fraction of the extraction time. A cache of another version, or unreadable, is
//! ignored and rewritten; failing to write it is logged, never fatal.

use super::corpus::{
    collect_source_files, load_pages, page_terms, read_source_file, Corpus, CorpusError,
    CorpusPage, PageTerms,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Bump when the cached data (extraction, tokens) would differ for the same files.
pub const CACHE_VERSION: u32 = 1;
/// Name of the cache file written inside the corpus folder by default.
pub const CACHE_FILE_NAME: &str = ".citecheck-index.json";

/// What a cached load did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    /// Files whose pages came from the cache.
    pub reused: usize,
    /// Files read and extracted (new, changed, or no usable cache).
    pub loaded: usize,
    /// Files in the cache that no longer exist.
    pub removed: usize,
    /// Whether the cache file was (re)written.
    pub written: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    files: Vec<CachedFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedFile {
    /// Path relative to the corpus folder, `/`-separated.
    path: String,
    size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    mtime_ns: u128,
    pages: Vec<CachedPage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedPage {
    page: CorpusPage,
    terms: PageTerms,
}

/// A file to read: its place in path order, its identity, and its raw pages.
type Pending = (usize, (String, u64, u128), Vec<super::corpus::RawFile>);

/// The identity of a file on disk: relative path, size, modification time.
fn stamp(dir: &Path, path: &Path) -> Result<(String, u64, u128), CorpusError> {
    let meta = std::fs::metadata(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let rel = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Ok((rel, meta.len(), mtime))
}

fn read_cache(path: &Path) -> Option<CacheFile> {
    let bytes = std::fs::read(path).ok()?;
    let cache: CacheFile = serde_json::from_slice(&bytes).ok()?;
    (cache.version == CACHE_VERSION).then_some(cache)
}

/// Writes the cache next to its final name and renames it into place, so a reader never sees
/// half a file.
fn write_cache(path: &Path, cache: &CacheFile) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let bytes = serde_json::to_vec(cache).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

impl Corpus {
    /// [`Corpus::from_dir`] with the cache at `cache` (usually
    /// `dir/`[`CACHE_FILE_NAME`]): unchanged files come from it, the rest are read, and the
    /// cache is rewritten when anything changed.
    pub fn from_dir_cached(
        dir: impl AsRef<Path>,
        cache: &Path,
    ) -> Result<(Corpus, CacheStats), CorpusError> {
        let dir = dir.as_ref();
        let meta = std::fs::metadata(dir).map_err(|source| CorpusError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(CorpusError::NotADirectory {
                path: dir.to_path_buf(),
            });
        }
        let mut paths: Vec<PathBuf> = Vec::new();
        collect_source_files(dir, &mut paths)?;
        paths.sort();
        let old = read_cache(cache);
        let cache_was_usable = old.is_some();
        let mut old_files: HashMap<String, CachedFile> = old
            .map(|c| c.files.into_iter().map(|f| (f.path.clone(), f)).collect())
            .unwrap_or_default();

        let mut stats = CacheStats::default();
        // Per file in path order: either its cached entry or the raw files to load.
        let mut entries: Vec<Option<CachedFile>> = Vec::with_capacity(paths.len());
        let mut to_load: Vec<Pending> = Vec::new();
        for (i, path) in paths.iter().enumerate() {
            let id = stamp(dir, path)?;
            match old_files.remove(&id.0) {
                Some(f) if f.size == id.1 && f.mtime_ns == id.2 => {
                    stats.reused += 1;
                    entries.push(Some(f));
                }
                _ => {
                    stats.loaded += 1;
                    entries.push(None);
                    to_load.push((i, id, read_source_file(path)?));
                }
            }
        }
        stats.removed = old_files.len();

        // Extract every new or changed file in one parallel pass, then split the pages back.
        let counts: Vec<usize> = to_load.iter().map(|(_, _, raw)| raw.len()).collect();
        let raw: Vec<super::corpus::RawFile> = to_load
            .iter_mut()
            .flat_map(|(_, _, r)| std::mem::take(r))
            .collect();
        let mut loaded = load_pages(raw).into_iter();
        for ((i, (path, size, mtime_ns), _), n) in to_load.into_iter().zip(counts) {
            let pages = loaded
                .by_ref()
                .take(n)
                .map(|page| CachedPage {
                    terms: page_terms(&page),
                    page,
                })
                .collect();
            entries[i] = Some(CachedFile {
                path,
                size,
                mtime_ns,
                pages,
            });
        }
        let files: Vec<CachedFile> = entries.into_iter().flatten().collect();

        if stats.loaded > 0 || stats.removed > 0 || !cache_was_usable {
            let file = CacheFile {
                version: CACHE_VERSION,
                files,
            };
            match write_cache(cache, &file) {
                Ok(()) => stats.written = true,
                Err(e) => tracing::warn!("cannot write corpus cache {}: {e}", cache.display()),
            }
            return Ok((build(file.files, dir), stats));
        }
        Ok((build(files, dir), stats))
    }
}

/// The corpus from cached entries. Page sources are made absolute again (they were read from
/// `dir`, which may have moved).
fn build(files: Vec<CachedFile>, dir: &Path) -> Corpus {
    let mut pages = Vec::new();
    let mut terms = Vec::new();
    for f in files {
        for p in f.pages {
            let mut page = p.page;
            if page.source.is_empty() {
                page.source = dir.join(&f.path).display().to_string();
            }
            pages.push(page);
            terms.push(p.terms);
        }
    }
    Corpus::from_pages_and_terms(pages, &terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{SearchProvider, SearchQuery};

    fn html(url: &str, title: &str, body: &str) -> String {
        format!(
            "<!-- saved from url=({:04}){url} -->\n<html><head><title>{title}</title></head>\
             <body><article><h1>{title}</h1><p>{body}</p></article></body></html>",
            url.len()
        )
    }

    async fn titles(c: &Corpus, q: &str) -> Vec<String> {
        c.search(&SearchQuery {
            text: q.to_string(),
            limit: 10,
            ..SearchQuery::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.title)
        .collect()
    }

    #[tokio::test]
    async fn cache_is_built_once_then_updated_file_by_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join(CACHE_FILE_NAME);
        let write = |name: &str, url: &str, title: &str, body: &str| {
            std::fs::write(dir.path().join(name), html(url, title, body)).unwrap();
        };
        write(
            "a.html",
            "https://a.example/1",
            "英伟达暂停H20芯片生产",
            "英伟达要求供应商暂停生产。",
        );
        write(
            "b.html",
            "https://b.example/2",
            "Storm hits coast",
            "A storm hit the coast on Monday.",
        );

        let (c, stats) = Corpus::from_dir_cached(dir.path(), &cache).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!((stats.reused, stats.loaded, stats.removed), (0, 2, 0));
        assert!(stats.written && cache.exists());
        let fresh = Corpus::from_dir(dir.path()).unwrap();
        assert_eq!(
            titles(&c, "英伟达 芯片").await,
            titles(&fresh, "英伟达 芯片").await
        );

        // Nothing changed: everything comes from the cache and nothing is written.
        let (c2, stats) = Corpus::from_dir_cached(dir.path(), &cache).unwrap();
        assert_eq!((stats.reused, stats.loaded, stats.written), (2, 0, false));
        assert_eq!(c2.pages(), c.pages());

        // One file changed (size differs), one added, one removed.
        write(
            "a.html",
            "https://a.example/1",
            "英伟达恢复H20芯片生产",
            "英伟达已恢复生产工作。",
        );
        write(
            "c.html",
            "https://c.example/3",
            "Port reopens",
            "The port reopened after the storm.",
        );
        std::fs::remove_file(dir.path().join("b.html")).unwrap();
        let (c3, stats) = Corpus::from_dir_cached(dir.path(), &cache).unwrap();
        assert_eq!((stats.reused, stats.loaded, stats.removed), (0, 2, 1));
        assert_eq!(c3.len(), 2);
        assert_eq!(titles(&c3, "恢复生产").await, ["英伟达恢复H20芯片生产"]);
        assert!(titles(&c3, "Storm hits coast")
            .await
            .iter()
            .all(|t| t != "Storm hits coast"));
        assert!(c3.page_for("https://c.example/3").is_some());
        assert!(c3.page_for("https://b.example/2").is_none());
        let (_, stats) = Corpus::from_dir_cached(dir.path(), &cache).unwrap();
        assert_eq!((stats.reused, stats.loaded), (2, 0));
    }

    #[test]
    fn a_corrupt_or_old_cache_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join(CACHE_FILE_NAME);
        std::fs::write(
            dir.path().join("a.html"),
            html("https://a.example/1", "T", "x"),
        )
        .unwrap();
        std::fs::write(&cache, "{not json").unwrap();
        let (c, stats) = Corpus::from_dir_cached(dir.path(), &cache).unwrap();
        assert_eq!((c.len(), stats.loaded, stats.written), (1, 1, true));
        std::fs::write(&cache, "{\"version\": 999, \"files\": []}").unwrap();
        let (_, stats) = Corpus::from_dir_cached(dir.path(), &cache).unwrap();
        assert_eq!((stats.loaded, stats.written), (1, true));
        // The cache file itself is never taken for a page.
        assert!(!CACHE_FILE_NAME.ends_with(".html"));
    }

    #[test]
    fn an_unwritable_cache_is_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.html"),
            html("https://a.example/1", "T", "x"),
        )
        .unwrap();
        let cache = dir.path().join("no-such-dir").join("index.json");
        let (c, stats) = Corpus::from_dir_cached(dir.path(), &cache).unwrap();
        assert_eq!(c.len(), 1);
        assert!(!stats.written);
    }
}
