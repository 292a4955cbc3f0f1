//! A local collection of saved pages that stands in for the web when there is no network.
//!
//! The corpus is both a search provider (a BM25 index over titles and body text) and a
//! fetcher (it serves the saved HTML for a URL), so an offline run resolves and reads citations
//! the same way an online run does. Pages identify their URL by the `<!-- saved from url=... -->`
//! line browsers write, else by their canonical URL, else by their file path. WARC files
//! (`.warc`, `.warc.gz`) in the folder add each HTML response they hold, under its target URI.

use super::warc::is_warc_name;
use super::{matches_domains, normalize_url, SearchError, SearchProvider, SearchQuery};
use crate::fetch::{FetchError, FetchedPage, Fetcher};
use crate::model::{Candidate, Page};
use crate::text::{fold, is_cjk};
use async_trait::async_trait;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The pages compiled into the binary, so `--offline` works without any files next to it.
static EMBEDDED: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/fixtures/corpus");

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// Title tokens count this many times as much as body tokens.
const TITLE_WEIGHT: u32 = 3;
/// Length of a candidate's snippet, in characters.
const SNIPPET_CHARS: usize = 160;

/// Why a corpus could not be loaded. Each variant names the path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CorpusError {
    #[error("reading {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not a directory", path.display())]
    NotADirectory { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Warc {
        path: PathBuf,
        #[source]
        source: super::warc::WarcError,
    },
}

/// One saved page of the corpus.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CorpusPage {
    /// The URL the page was saved from (or its canonical URL, or a `file://` URL).
    pub url: String,
    /// The canonical URL the page declares, if any.
    pub canonical_url: Option<String>,
    /// The extracted main content.
    pub page: Page,
    /// The decoded HTML, served by the corpus's `Fetcher`.
    pub html: String,
    /// The encoding the file was decoded from.
    pub encoding: String,
    /// Where the page came from: a file path, or a path inside the binary.
    pub source: String,
}

/// A local collection of saved pages with a search index over them.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pages: Vec<CorpusPage>,
    index: Index,
    /// Normalised URL (page URL and canonical URL) -> page index.
    by_url: HashMap<String, usize>,
}

impl Corpus {
    /// Loads every `*.html`/`*.htm` file under `dir`, recursively.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Corpus, CorpusError> {
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
        let mut paths = Vec::new();
        collect_source_files(dir, &mut paths)?;
        paths.sort();
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            files.extend(read_source_file(&path)?);
        }
        Ok(Corpus::from_pages(load_pages(files)))
    }

    /// The pages compiled into the binary from `fixtures/corpus`.
    pub fn embedded() -> Corpus {
        let mut files = Vec::new();
        collect_embedded(&EMBEDDED, &mut files);
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Corpus::from_files(files)
    }

    /// Builds a corpus from `(name, bytes)` pairs, where `name` is a path used for the
    /// `file://` fallback URL. Files are decoded and extracted on several threads.
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Corpus {
        let files = files
            .into_iter()
            .map(|(name, bytes)| RawFile {
                name,
                bytes,
                url: None,
                content_type: None,
            })
            .collect();
        Corpus::from_pages(load_pages(files))
    }

    /// Builds a corpus from pages that are already decoded and extracted.
    pub fn from_pages(pages: Vec<CorpusPage>) -> Corpus {
        let terms: Vec<PageTerms> = pages.iter().map(page_terms).collect();
        Corpus::from_pages_and_terms(pages, &terms)
    }

    /// Builds a corpus from pages and their term counts (one per page, in the same order).
    pub(crate) fn from_pages_and_terms(pages: Vec<CorpusPage>, terms: &[PageTerms]) -> Corpus {
        let mut by_url = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            by_url.entry(normalize_url(&p.url)).or_insert(i);
        }
        // Canonical URLs come second so a page's own URL wins over another page's canonical.
        for (i, p) in pages.iter().enumerate() {
            if let Some(c) = &p.canonical_url {
                by_url.entry(normalize_url(c)).or_insert(i);
            }
        }
        let index = Index::from_terms(terms);
        Corpus {
            pages,
            index,
            by_url,
        }
    }

    /// Number of pages.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether the corpus holds no pages.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// All pages, in load order.
    pub fn pages(&self) -> &[CorpusPage] {
        &self.pages
    }

    /// The page stored under `url` (its own URL or canonical URL), compared after
    /// normalisation (scheme, `www.`, trailing slash and fragment ignored).
    pub fn page_for(&self, url: &str) -> Option<&CorpusPage> {
        self.by_url
            .get(&normalize_url(url))
            .map(|&i| &self.pages[i])
    }

    /// Pages ranked by BM25 for `text`, best first, as `(page index, score)`.
    fn rank(&self, text: &str) -> Vec<(usize, f64)> {
        self.index.rank(text)
    }
}

#[async_trait]
impl SearchProvider for Corpus {
    fn name(&self) -> &str {
        "corpus"
    }

    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
        let limit = query.effective_limit();
        let mut out = Vec::new();
        for (i, _score) in self.rank(&query.text) {
            let p = &self.pages[i];
            if !query.domains.is_empty()
                && !matches_domains(&p.url, &query.domains)
                && !p
                    .canonical_url
                    .as_deref()
                    .is_some_and(|c| matches_domains(c, &query.domains))
            {
                continue;
            }
            out.push(Candidate {
                url: p.url.clone(),
                title: p.page.title.clone().unwrap_or_default(),
                snippet: Some(snippet(&p.page)),
                published: p.page.published.clone(),
                provider: "corpus".to_string(),
            });
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl Fetcher for Corpus {
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError> {
        match self.page_for(url) {
            Some(p) => Ok(FetchedPage {
                url: url.to_string(),
                final_url: url.to_string(),
                status: 200,
                content_type: Some("text/html; charset=utf-8".to_string()),
                html: p.html.clone(),
                encoding: p.encoding.clone(),
                etag: None,
                last_modified: None,
            }),
            None => Err(FetchError::Offline {
                url: url.to_string(),
            }),
        }
    }
}

/// The first characters of the page's body, whitespace collapsed.
fn snippet(page: &Page) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut last_space = true;
    for c in page.paragraphs.iter().flat_map(|p| p.chars().chain([' '])) {
        if n >= SNIPPET_CHARS {
            break;
        }
        if c.is_whitespace() {
            if last_space {
                continue;
            }
            last_space = true;
            out.push(' ');
        } else {
            last_space = false;
            out.push(c);
        }
        n += 1;
    }
    out.trim_end().to_string()
}

pub(crate) fn collect_source_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CorpusError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CorpusError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| CorpusError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|source| CorpusError::Io {
            path: path.clone(),
            source,
        })?;
        // Follow symlinks to files and directories alike.
        let is_dir = kind.is_dir() || (kind.is_symlink() && path.is_dir());
        if is_dir {
            collect_source_files(&path, out)?;
        } else if is_html_name(&path.to_string_lossy()) || is_warc_name(&path.to_string_lossy()) {
            out.push(path);
        }
    }
    Ok(())
}

fn collect_embedded(dir: &include_dir::Dir<'static>, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => collect_embedded(d, out),
            include_dir::DirEntry::File(f) => {
                let name = f.path().display().to_string();
                if is_html_name(&name) {
                    out.push((format!("fixtures/corpus/{name}"), f.contents().to_vec()));
                }
            }
        }
    }
}

fn is_html_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// One saved page before decoding: a file, or a record of a WARC file (which knows its URL
/// and HTTP content type).
#[derive(Debug, Clone)]
pub(crate) struct RawFile {
    /// The file path (for a WARC record, `path#url`).
    pub name: String,
    pub bytes: Vec<u8>,
    pub url: Option<String>,
    pub content_type: Option<String>,
}

/// The pages of one file: itself, or each HTML response of a WARC file.
pub(crate) fn read_source_file(path: &Path) -> Result<Vec<RawFile>, CorpusError> {
    let bytes = std::fs::read(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.display().to_string();
    if !is_warc_name(&name) {
        return Ok(vec![RawFile {
            name,
            bytes,
            url: None,
            content_type: None,
        }]);
    }
    let pages = super::warc::read_warc(&bytes).map_err(|source| CorpusError::Warc {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(pages
        .into_iter()
        .map(|p| RawFile {
            name: format!("{name}#{}", p.url),
            bytes: p.body,
            url: Some(p.url),
            content_type: p.content_type,
        })
        .collect())
}

/// Decodes and extracts every file, spreading the work over the available cores.
pub(crate) fn load_pages(files: Vec<RawFile>) -> Vec<CorpusPage> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(files.len().max(1));
    if threads <= 1 || files.len() < 16 {
        return files.iter().map(load_page).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(load_page).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("loading a corpus page does not panic"))
            .collect()
    })
}

/// Decodes one file and works out its URL: the WARC target URI, else the saved-from line,
/// else the canonical URL, else the file path.
fn load_page(file: &RawFile) -> CorpusPage {
    let name = file.name.as_str();
    let decoded = crate::charset::decode(&file.bytes, file.content_type.as_deref());
    let html = decoded.text;
    let saved_from = file.url.clone().or_else(|| saved_from_url(&html));
    let provisional = saved_from.clone().unwrap_or_else(|| file_url(name));
    let mut page = crate::extract::extract_page(&html, &provisional);
    let canonical_url = page.canonical_url.clone();
    let url = match (saved_from, &canonical_url) {
        (Some(u), _) => u,
        (None, Some(c)) if c.starts_with("http://") || c.starts_with("https://") => c.clone(),
        _ => provisional,
    };
    page.url = url.clone();
    CorpusPage {
        url,
        canonical_url,
        page,
        html,
        encoding: decoded.encoding.to_string(),
        source: name.to_string(),
    }
}

/// The URL of a `<!-- saved from url=(0042)https://... -->` comment on the first line.
fn saved_from_url(html: &str) -> Option<String> {
    let first = html
        .trim_start_matches('\u{feff}')
        .trim_start()
        .lines()
        .next()?;
    let rest = &first[first.find("saved from url=(")? + "saved from url=(".len()..];
    let rest = &rest[rest.find(')')? + 1..];
    let end = rest.find("-->").unwrap_or(rest.len());
    let url = rest[..end].trim();
    (!url.is_empty()).then(|| url.to_string())
}

/// A `file://` URL for a path, absolute when the file exists.
fn file_url(name: &str) -> String {
    let path = Path::new(name);
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    url::Url::from_file_path(&abs)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| format!("file://{}", abs.display()))
}

/// Index tokens of text: folded, CJK character bigrams (a lone CJK character is its own token)
/// and lower-case runs of other letters and digits. Stop words stay: BM25's IDF discounts them.
pub(crate) fn index_tokens(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    fn flush_run(run: &mut Vec<char>, out: &mut Vec<String>) {
        if run.len() == 1 {
            out.push(run[0].to_string());
        } else {
            out.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
        }
        run.clear();
    }
    fn flush_word(word: &mut String, out: &mut Vec<String>) {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    }
    for c in folded.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.push(c);
        } else {
            flush_run(&mut run, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_run(&mut run, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// The weighted term counts of one page (title tokens count [`TITLE_WEIGHT`] times), sorted by
/// term, and its weighted length: what the index needs of a page, and what the cache stores.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct PageTerms {
    pub counts: Vec<(String, u32)>,
    pub length: u32,
}

pub(crate) fn page_terms(p: &CorpusPage) -> PageTerms {
    let title = index_tokens(p.page.title.as_deref().unwrap_or(""));
    let body = index_tokens(&p.page.text());
    let mut counts: HashMap<String, u32> = HashMap::new();
    for t in title.iter().cloned() {
        *counts.entry(t).or_default() += TITLE_WEIGHT;
    }
    for t in body.iter().cloned() {
        *counts.entry(t).or_default() += 1;
    }
    let mut counts: Vec<(String, u32)> = counts.into_iter().collect();
    counts.sort();
    PageTerms {
        counts,
        length: title.len() as u32 * TITLE_WEIGHT + body.len() as u32,
    }
}

/// An inverted index with BM25 scoring.
#[derive(Debug, Clone, Default)]
struct Index {
    terms: HashMap<String, usize>,
    /// Per term: `(page, weighted term frequency)`.
    postings: Vec<Vec<(u32, u32)>>,
    /// Weighted length of each page.
    lengths: Vec<u32>,
    avg_length: f64,
}

impl Index {
    /// The index over pages whose weighted term counts are already known (from the cache).
    fn from_terms(pages: &[PageTerms]) -> Index {
        let mut index = Index::default();
        let mut total: u64 = 0;
        for (doc, p) in pages.iter().enumerate() {
            total += u64::from(p.length);
            index.lengths.push(p.length);
            for (term, tf) in &p.counts {
                let id = match index.terms.get(term.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = index.postings.len();
                        index.terms.insert(term.clone(), id);
                        index.postings.push(Vec::new());
                        id
                    }
                };
                index.postings[id].push((doc as u32, *tf));
            }
        }
        index.avg_length = if pages.is_empty() {
            0.0
        } else {
            total as f64 / pages.len() as f64
        };
        index
    }

    fn rank(&self, query: &str) -> Vec<(usize, f64)> {
        let n = self.lengths.len() as f64;
        let mut terms = index_tokens(query);
        terms.sort();
        terms.dedup();
        let mut scores: HashMap<u32, f64> = HashMap::new();
        for term in &terms {
            let Some(&id) = self.terms.get(term) else {
                continue;
            };
            let postings = &self.postings[id];
            let df = postings.len() as f64;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for &(doc, tf) in postings {
                let tf = f64::from(tf);
                let len = f64::from(self.lengths[doc as usize]);
                let norm = K1 * (1.0 - B + B * len / self.avg_length.max(1.0));
                *scores.entry(doc).or_default() += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        let mut ranked: Vec<(usize, f64)> =
            scores.into_iter().map(|(d, s)| (d as usize, s)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, title: &str, body: &str) -> CorpusPage {
        CorpusPage {
            url: url.to_string(),
            canonical_url: None,
            page: Page {
                url: url.to_string(),
                title: Some(title.to_string()),
                paragraphs: vec![body.to_string()],
                ..Page::default()
            },
            html: format!("<html><title>{title}</title><p>{body}</p></html>"),
            encoding: "UTF-8".to_string(),
            source: "test".to_string(),
        }
    }

    fn corpus() -> Corpus {
        Corpus::from_pages(vec![
            page(
                "https://www.guancha.cn/a.shtml",
                "英伟达暂停H20生产",
                "据报道，英伟达已要求供应商暂停H20芯片生产。",
            ),
            page(
                "https://finance.sina.com.cn/b.shtml",
                "渐失中国市场，不影响英伟达狂飙？",
                "英伟达财报显示数据中心收入增长。",
            ),
            page(
                "https://www.reuters.com/c",
                "Nvidia halts H20 production",
                "Nvidia told suppliers to halt work on the H20 chip.",
            ),
        ])
    }

    fn query(text: &str, domains: &[&str], limit: usize) -> SearchQuery {
        SearchQuery {
            text: text.to_string(),
            domains: domains.iter().map(|d| d.to_string()).collect(),
            language: None,
            limit,
            ..SearchQuery::default()
        }
    }

    #[test]
    fn tokens_are_cjk_bigrams_and_words() {
        assert_eq!(
            index_tokens("英伟达 H20，中"),
            vec!["英伟", "伟达", "h20", "中"]
        );
        assert_eq!(index_tokens("Nvidia's H20"), vec!["nvidia", "s", "h20"]);
    }

    #[test]
    fn reads_saved_from_line() {
        let html = "<!-- saved from url=(0031)https://example.com/a.html -->\n<html>";
        assert_eq!(
            saved_from_url(html).as_deref(),
            Some("https://example.com/a.html")
        );
        assert_eq!(saved_from_url("<html>\n<!-- saved from url=(1)x -->"), None);
    }

    #[tokio::test]
    async fn search_ranks_title_matches_first() {
        let c = corpus();
        let got = c
            .search(&query("渐失中国市场 英伟达", &[], 10))
            .await
            .unwrap();
        assert_eq!(got[0].url, "https://finance.sina.com.cn/b.shtml");
        assert_eq!(got[0].provider, "corpus");
        assert_eq!(got.len(), 2);
        let got = c.search(&query("nvidia h20", &[], 1)).await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].url, "https://www.reuters.com/c");
    }

    #[tokio::test]
    async fn search_honours_domains() {
        let c = corpus();
        let got = c
            .search(&query("英伟达", &["sina.com.cn"], 10))
            .await
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].url, "https://finance.sina.com.cn/b.shtml");
        let got = c
            .search(&query("英伟达", &["guancha.cn"], 10))
            .await
            .unwrap();
        assert_eq!(got[0].url, "https://www.guancha.cn/a.shtml");
        let got = c
            .search(&query("英伟达", &["ina.com.cn"], 10))
            .await
            .unwrap();
        assert!(got.is_empty());
    }

    #[tokio::test]
    async fn fetch_matches_normalised_urls() {
        let c = corpus();
        for url in [
            "https://www.guancha.cn/a.shtml",
            "http://guancha.cn/a.shtml",
            "https://guancha.cn/a.shtml/#top",
        ] {
            let got = c.get(url).await.unwrap();
            assert_eq!(got.status, 200);
            assert_eq!(got.final_url, url);
            assert!(got.html.contains("H20"));
        }
        let err = c.get("https://www.guancha.cn/other").await.unwrap_err();
        assert!(matches!(err, FetchError::Offline { .. }));
    }

    #[test]
    fn from_dir_reads_files_recursively_and_names_missing_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(
            dir.path().join("sub/a.html"),
            "<!-- saved from url=(0025)https://example.com/a -->\n<html><p>hello</p></html>",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.HTM"), "<html><p>world</p></html>").unwrap();
        std::fs::write(dir.path().join("c.txt"), "not a page").unwrap();
        let c = Corpus::from_dir(dir.path()).unwrap();
        assert_eq!(c.len(), 2);
        let urls: Vec<&str> = c.pages().iter().map(|p| p.url.as_str()).collect();
        assert!(urls.contains(&"https://example.com/a"));
        assert!(urls
            .iter()
            .any(|u| u.starts_with("file://") && u.ends_with("b.HTM")));

        let missing = dir.path().join("nope");
        let err = Corpus::from_dir(&missing).unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
    }

    #[test]
    fn builds_a_thousand_pages() {
        // Speed is measured in BENCHMARKS.md (issue 4), not asserted here.
        let body =
            "英伟达公司周四公布财报，数据中心业务收入同比增长，公司预计下一季度营收将继续上升。"
                .repeat(20);
        let pages: Vec<CorpusPage> = (0..1000)
            .map(|i| {
                page(
                    &format!("https://example.com/{i}"),
                    &format!("标题{i}"),
                    &body,
                )
            })
            .collect();
        let c = Corpus::from_pages(pages);
        assert_eq!(c.len(), 1000);
        assert_eq!(c.rank("标题7").first().map(|r| r.0), Some(7));
    }

    #[tokio::test]
    async fn from_dir_reads_warc_files() {
        use crate::search::warc::tests::{gzip, http, record};
        let dir = tempfile::tempdir().unwrap();
        let gbk_page = encoding_rs::GBK
            .encode("<html><head><title>英伟达暂停H20芯片生产</title></head><body><article><p>据报道，英伟达已要求供应商暂停与H20芯片相关的生产工作。</p></article></body></html>")
            .0
            .into_owned();
        let warc: Vec<u8> = [
            record(
                "response",
                "https://www.guancha.cn/economy/2025_08_22_1.shtml",
                "application/http; msgtype=response",
                &http(
                    "200 OK",
                    "Content-Type: text/html; charset=gbk\r\n",
                    &gbk_page,
                ),
            ),
            record(
                "response",
                "https://www.guancha.cn/style.css",
                "application/http; msgtype=response",
                &http("200 OK", "Content-Type: text/css\r\n", b"body{}"),
            ),
        ]
        .iter()
        .flat_map(|r| gzip(r))
        .collect();
        std::fs::write(dir.path().join("crawl.warc.gz"), warc).unwrap();
        std::fs::write(dir.path().join("a.html"), "<html><p>hello</p></html>").unwrap();
        let c = Corpus::from_dir(dir.path()).unwrap();
        assert_eq!(c.len(), 2);
        let got = c
            .search(&query("英伟达暂停H20芯片生产", &["guancha.cn"], 10))
            .await
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].url,
            "https://www.guancha.cn/economy/2025_08_22_1.shtml"
        );
        assert_eq!(got[0].title, "英伟达暂停H20芯片生产");
        let page = c.get(&got[0].url).await.unwrap();
        assert!(page.html.contains("供应商"));

        std::fs::write(
            dir.path().join("broken.warc"),
            "WARC/1.1\r\nContent-Length: 99\r\n\r\nshort",
        )
        .unwrap();
        let err = Corpus::from_dir(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("broken.warc: warc record at byte 0: truncated"),
            "{err}"
        );
    }

    #[test]
    fn embedded_corpus_loads() {
        let c = Corpus::embedded();
        assert!(!c.is_empty());
        for p in c.pages() {
            assert!(!p.url.is_empty());
            assert!(c.page_for(&p.url).is_some(), "{}", p.url);
        }
    }
}
