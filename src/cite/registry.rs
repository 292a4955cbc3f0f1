//! The outlet registry: which news outlets exist, the names an article may call them by (in any
//! script, width or case), and the domains their pages live on.
//!
//! The shipped list lives in `data/outlets.toml` and is compiled into the binary; users can add
//! or replace entries with [`OutletRegistry::merge`]. Every lookup goes through
//! [`crate::text::fold`], so `環球網`, `环球网` and `ＨＵＡＮＱＩＵ` meet the same key.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::text::{fold, fold_char, is_cjk};

/// What sort of publisher an outlet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutletKind {
    /// A news agency whose copy other outlets carry (新华社, Reuters).
    Wire,
    Newspaper,
    Broadcaster,
    /// A web portal that mostly republishes other outlets' stories (新浪, 网易).
    Portal,
    /// A feed or platform that collects stories and posts (今日头条, Yahoo News).
    Aggregator,
    Magazine,
    /// A news site with no print or broadcast parent (澎湃新闻, Axios).
    Online,
}

/// One news outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outlet {
    /// Stable ASCII id, unique within a registry.
    pub id: String,
    /// Canonical name, as the outlet writes itself.
    pub name: String,
    /// Other names an article may use: Simplified, Traditional, English, abbreviations.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Lowercase domains without scheme or `www.`; subdomains match automatically.
    #[serde(default)]
    pub domains: Vec<String>,
    pub kind: OutletKind,
    /// Where the outlet is based: `cn`, `hk`, `tw`, `us`, `intl`, ...
    pub region: String,
    /// Whether its pages carry a `来源:X` line naming the outlet that wrote the story.
    #[serde(default)]
    pub republishes: bool,
}

impl Outlet {
    /// The canonical name followed by every alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// An occurrence of an outlet's name in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Offset of the first character, counted in chars of the original text.
    pub start: usize,
    /// Offset one past the last character, counted in chars of the original text.
    pub end: usize,
    pub outlet_id: String,
    /// The text as written between `start` and `end`.
    pub matched: String,
}

/// Why a registry file could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The file is not valid TOML or does not have the registry's shape.
    #[error("parsing {source_name}{}: {message}", line_suffix(.line))]
    Parse {
        source_name: String,
        /// 1-based line of the error, when the parser could tell.
        line: Option<usize>,
        message: String,
    },
    /// The file parses but an entry breaks a rule (duplicate id, malformed domain, ...).
    #[error("{source_name}{}: outlet {id:?}: {message}", line_suffix(.line))]
    Invalid {
        source_name: String,
        id: String,
        line: Option<usize>,
        message: String,
    },
}

fn line_suffix(line: &Option<usize>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

/// The outlets citecheck knows, indexed by folded name and by domain.
#[derive(Clone, Debug)]
pub struct OutletRegistry {
    outlets: Vec<Outlet>,
    /// Lookup key of every name and alias -> outlet index.
    exact: HashMap<String, usize>,
    /// Keys with a suffix such as 网/报/News removed -> outlet index, `None` when two outlets
    /// strip to the same key and the short form is therefore ambiguous.
    stripped: HashMap<String, Option<usize>>,
    /// Domain -> outlet index.
    hosts: HashMap<String, usize>,
    /// Built on the first `find_mentions` call; most callers only look names up.
    matcher: OnceLock<MentionMatcher>,
}

#[derive(Clone, Debug)]
struct MentionMatcher {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
struct Pattern {
    outlet: usize,
    /// Length of the folded pattern in chars.
    chars: usize,
    /// The names as written in the registry, for the capitalisation check.
    forms: Vec<String>,
    /// Whether the folded pattern starts / ends with a Latin letter or digit, so the match
    /// must sit on a word boundary on that side.
    word_start: bool,
    word_end: bool,
    /// All CJK and at most two characters: too short to trust inside running Chinese text.
    short_cjk: bool,
    ends_with_bao: bool,
}

/// Suffixes an article may add to an outlet's name, longest first. They are matched against
/// lookup keys, which are folded and have their spaces removed.
const SUFFIXES: &[&str] = &[
    "新闻客户端",
    "newsagency",
    "记者",
    "官方网站",
    "客户端",
    "新闻网",
    "magazine",
    "online",
    "新闻",
    "杂志",
    "官网",
    "news",
    ".com",
    ".cn",
    "app",
    "网",
    "报",
    "社",
];

/// Characters after which a two-character CJK outlet name (央视, 新浪) can start a mention:
/// attribution verbs and function words. After any other CJK character the name is more
/// likely part of an unrelated word (中央视察 contains 央视).
const ATTRIBUTION_CHARS: &str = "据援引自和与及同跟称的在向对被于从经让给受是为由上即如或转载";

/// Characters that, following a name ending in 报, make it part of a word such as 报道 or 报告.
const AFTER_BAO_WORD: &str = "道告名价销警复案表刊";

/// Folds a name into its lookup key: [`fold`], then surrounding quotes, book-title marks and
/// punctuation removed, a leading "the " dropped, and spaces and hyphens removed.
fn lookup_key(s: &str) -> String {
    let folded = fold(s);
    let trimmed = folded.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\''
                    | '《'
                    | '》'
                    | '〈'
                    | '〉'
                    | '<'
                    | '>'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '【'
                    | '】'
                    | ':'
                    | ','
                    | '.'
                    | ';'
                    | '!'
                    | '?'
                    | '·'
            )
    });
    let trimmed = trimmed.strip_prefix("the ").unwrap_or(trimmed);
    trimmed
        .chars()
        .filter(|&c| !c.is_whitespace() && c != '-')
        .collect()
}

/// `key` with one suffix from [`SUFFIXES`] removed, if at least two characters remain.
fn strip_suffix(key: &str) -> Option<&str> {
    SUFFIXES.iter().find_map(|suffix| {
        key.strip_suffix(suffix)
            .filter(|rest| rest.chars().count() >= 2)
    })
}

/// Lowercases a host, drops a scheme, path, port, trailing dot and leading `www.`.
fn normalize_host(host: &str) -> String {
    let mut h = host.trim();
    if let Some(pos) = h.find("://") {
        h = &h[pos + 3..];
    }
    if let Some(pos) = h.find(['/', '?', '#']) {
        h = &h[..pos];
    }
    if let Some(pos) = h.rfind('@') {
        h = &h[pos + 1..];
    }
    if let Some(pos) = h.find(':') {
        h = &h[..pos];
    }
    let h = h.trim_end_matches('.').to_lowercase();
    match h.strip_prefix("www.") {
        Some(rest) => rest.to_string(),
        None => h,
    }
}

/// Whether a character continues a Latin word (so an English name must not match inside it).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphanumeric() && (c as u32) < 0x2E80 && !is_cjk(c))
}

/// Whether `text` (as written) honours the capitals of `form`: each capital letter of the
/// registry name must be a capital in the text, so "time" and "fox" in running prose are not
/// taken for TIME or Fox News. The capital of a leading "The" is exempt ("the Guardian").
fn capitals_match(form: &str, text: &[char]) -> bool {
    let form: Vec<char> = form.chars().collect();
    if form.len() != text.len() {
        return true;
    }
    let skip_the = form.len() > 4 && form[..4].iter().collect::<String>() == "The ";
    form.iter()
        .zip(text)
        .enumerate()
        .all(|(i, (f, t))| !f.is_uppercase() || (i == 0 && skip_the) || t.is_uppercase())
}

impl OutletRegistry {
    /// The registry shipped in `data/outlets.toml`.
    pub fn builtin() -> OutletRegistry {
        Self::builtin_ref().clone()
    }

    /// The shipped registry without copying it.
    pub fn builtin_ref() -> &'static OutletRegistry {
        static BUILTIN: OnceLock<OutletRegistry> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            OutletRegistry::from_toml(include_str!("../../data/outlets.toml"), "data/outlets.toml")
                .expect("the shipped outlet registry is valid: a unit test parses it")
        })
    }

    /// Parses a registry file (`[[outlet]]` tables). `source_name` names the file in errors.
    pub fn from_toml(text: &str, source_name: &str) -> Result<OutletRegistry, RegistryError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct OutletFile {
            #[serde(default)]
            outlet: Vec<Outlet>,
        }

        let file: OutletFile = toml::from_str(text).map_err(|e| RegistryError::Parse {
            source_name: source_name.to_string(),
            line: e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1),
            message: e.message().trim().to_string(),
        })?;
        validate(&file.outlet, text, source_name)?;
        Ok(Self::new(file.outlet))
    }

    /// Builds a registry from outlets already in memory.
    pub fn new(outlets: Vec<Outlet>) -> OutletRegistry {
        let mut registry = OutletRegistry {
            outlets,
            exact: HashMap::new(),
            stripped: HashMap::new(),
            hosts: HashMap::new(),
            matcher: OnceLock::new(),
        };
        registry.rebuild();
        registry
    }

    /// Adds outlets: an outlet with an existing id replaces that entry, a new id is appended.
    /// Where names or domains clash, the later outlet wins, so user entries override shipped ones.
    pub fn merge(&mut self, extra: Vec<Outlet>) {
        for outlet in extra {
            match self.outlets.iter_mut().find(|o| o.id == outlet.id) {
                Some(existing) => *existing = outlet,
                None => self.outlets.push(outlet),
            }
        }
        self.rebuild();
    }

    fn rebuild(&mut self) {
        self.exact.clear();
        self.stripped.clear();
        self.hosts.clear();
        self.matcher = OnceLock::new();
        // Aliases first, then canonical names, so an outlet's own name beats another's alias.
        for (i, outlet) in self.outlets.iter().enumerate() {
            for alias in &outlet.aliases {
                insert_key(&mut self.exact, lookup_key(alias), i);
            }
        }
        for (i, outlet) in self.outlets.iter().enumerate() {
            insert_key(&mut self.exact, lookup_key(&outlet.name), i);
            for domain in &outlet.domains {
                self.hosts.insert(normalize_host(domain), i);
            }
        }
        for (i, outlet) in self.outlets.iter().enumerate() {
            for name in outlet.names() {
                let key = lookup_key(name);
                let mut cur = key.as_str();
                while let Some(shorter) = strip_suffix(cur) {
                    cur = shorter;
                    if self.exact.contains_key(cur) {
                        continue;
                    }
                    let slot = self.stripped.entry(cur.to_string()).or_insert(Some(i));
                    if *slot != Some(i) {
                        *slot = None;
                    }
                }
            }
        }
    }

    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }

    /// The outlet with this id.
    pub fn get(&self, id: &str) -> Option<&Outlet> {
        self.outlets.iter().find(|o| o.id == id)
    }

    /// The outlet a name as written in an article refers to.
    ///
    /// Tolerates width, script, case, spaces, a leading "The", surrounding quotes or 《》, and
    /// suffixes such as 网, 报, 社, 新闻, 客户端, App, News and .com. An exact match of the whole
    /// name is tried first, so 新浪财经 finds its own entry and not 新浪. A bare domain
    /// (`finance.sina.com.cn`) is looked up as a host.
    pub fn lookup(&self, written: &str) -> Option<&Outlet> {
        let key = lookup_key(written);
        if key.is_empty() {
            return None;
        }
        if let Some(&i) = self.exact.get(&key) {
            return Some(&self.outlets[i]);
        }
        if key.contains('.') && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
            if let Some(outlet) = self.by_host(&key) {
                return Some(outlet);
            }
        }
        let mut cur = key.as_str();
        loop {
            if let Some(&Some(i)) = self.stripped.get(cur) {
                return Some(&self.outlets[i]);
            }
            cur = strip_suffix(cur)?;
            if let Some(&i) = self.exact.get(cur) {
                return Some(&self.outlets[i]);
            }
        }
    }

    /// The outlet a host belongs to, by the most specific matching domain: `finance.sina.com.cn`
    /// is 新浪财经, `www.sina.com.cn` is 新浪. Case-insensitive; `www.`, a port or a whole URL
    /// are tolerated.
    pub fn by_host(&self, host: &str) -> Option<&Outlet> {
        let host = normalize_host(host);
        let mut cur = host.as_str();
        loop {
            if let Some(&i) = self.hosts.get(cur) {
                return Some(&self.outlets[i]);
            }
            cur = &cur[cur.find('.')? + 1..];
        }
    }

    /// The outlet a URL's host belongs to; see [`OutletRegistry::by_host`].
    pub fn by_url(&self, url: &str) -> Option<&Outlet> {
        let parsed = url::Url::parse(url).ok()?;
        self.by_host(parsed.host_str()?)
    }

    /// Whether `host` is one of the outlet's domains or a subdomain of one. A more specific
    /// entry elsewhere does not matter here: `finance.sina.com.cn` belongs to 新浪 too.
    pub fn host_belongs_to(&self, outlet: &Outlet, host: &str) -> bool {
        let host = normalize_host(host);
        outlet.domains.iter().any(|domain| {
            let domain = normalize_host(domain);
            host == domain
                || host
                    .strip_suffix(domain.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }

    /// Every occurrence of an outlet name or alias in `text`, in order, non-overlapping, the
    /// longest name winning where two overlap. Matching is fold-aware (width, script, case);
    /// offsets are in chars of the original text. Latin names must stand on word boundaries
    /// and keep their capitals; two-character Chinese names must follow a non-Chinese
    /// character or an attribution word such as 据.
    pub fn find_mentions(&self, text: &str) -> Vec<Mention> {
        let matcher = self.matcher.get_or_init(|| self.build_matcher());
        let original: Vec<char> = text.chars().collect();
        // fast2s converts one char to one char, and fold_char keeps one char, so folded text
        // lines up char for char with the original.
        let folded: Vec<char> = fast2s::convert(text)
            .chars()
            .map(|c| {
                let f = fold_char(c);
                if f.is_whitespace() {
                    ' '
                } else {
                    f
                }
            })
            .collect();
        if folded.len() != original.len() {
            return Vec::new();
        }
        let haystack: String = folded.iter().collect();
        let mut byte_to_char = vec![0; haystack.len() + 1];
        for (ci, (bi, c)) in haystack.char_indices().enumerate() {
            byte_to_char[bi..bi + c.len_utf8()].fill(ci);
        }
        byte_to_char[haystack.len()] = folded.len();

        let mut found: Vec<(usize, usize, usize)> = matcher
            .automaton
            .find_overlapping_iter(&haystack)
            .filter_map(|m| {
                let (start, end) = (byte_to_char[m.start()], byte_to_char[m.end()]);
                let pattern = m.pattern().as_usize();
                matcher.patterns[pattern]
                    .accepts(&folded, &original, start, end)
                    .then_some((start, end, pattern))
            })
            .collect();
        found.sort_by_key(|&(start, end, _)| (std::cmp::Reverse(end - start), start));
        let mut taken = vec![false; folded.len()];
        let mut mentions = Vec::new();
        for (start, end, pattern) in found {
            if taken[start..end].iter().any(|&t| t) {
                continue;
            }
            taken[start..end].fill(true);
            mentions.push(Mention {
                start,
                end,
                outlet_id: self.outlets[matcher.patterns[pattern].outlet].id.clone(),
                matched: original[start..end].iter().collect(),
            });
        }
        mentions.sort_by_key(|m| m.start);
        mentions
    }

    fn build_matcher(&self) -> MentionMatcher {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        for (i, outlet) in self.outlets.iter().enumerate() {
            for name in outlet.names() {
                let key = fold(name);
                let chars: Vec<char> = key.chars().collect();
                if chars.len() < 2 {
                    continue;
                }
                match index.get(&key) {
                    Some(&p) if patterns[p].outlet == i => {
                        patterns[p].forms.push(name.to_string());
                    }
                    Some(&p) => {
                        // A later outlet wins a shared name, as in `lookup`.
                        patterns[p].outlet = i;
                        patterns[p].forms = vec![name.to_string()];
                    }
                    None => {
                        index.insert(key.clone(), patterns.len());
                        patterns.push(Pattern {
                            outlet: i,
                            chars: chars.len(),
                            forms: vec![name.to_string()],
                            word_start: is_word_char(chars[0]),
                            word_end: is_word_char(chars[chars.len() - 1]),
                            short_cjk: chars.len() <= 2 && chars.iter().all(|&c| is_cjk(c)),
                            ends_with_bao: chars[chars.len() - 1] == '报',
                        });
                        keys.push(key);
                    }
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .expect("outlet names are short literal strings, well within automaton limits");
        MentionMatcher {
            automaton,
            patterns,
        }
    }
}

impl Pattern {
    /// Whether a raw match at chars `start..end` is a real mention in context.
    fn accepts(&self, folded: &[char], original: &[char], start: usize, end: usize) -> bool {
        if end - start != self.chars {
            return false;
        }
        let before = start.checked_sub(1).map(|i| folded[i]);
        let after = folded.get(end).copied();
        if self.word_start && before.is_some_and(is_word_char) {
            return false;
        }
        if self.word_end && after.is_some_and(is_word_char) {
            return false;
        }
        if self.short_cjk && before.is_some_and(|c| is_cjk(c) && !ATTRIBUTION_CHARS.contains(c)) {
            return false;
        }
        if self.ends_with_bao && after.is_some_and(|c| AFTER_BAO_WORD.contains(c)) {
            return false;
        }
        let written = &original[start..end];
        self.forms.iter().any(|form| capitals_match(form, written))
    }
}

/// Inserts `key -> i` unless `key` is empty; a later outlet overwrites an earlier one.
fn insert_key(map: &mut HashMap<String, usize>, key: String, i: usize) {
    if !key.is_empty() {
        map.insert(key, i);
    }
}

/// Checks the rules serde cannot: unique non-empty ids, names present, domains in canonical form.
fn validate(outlets: &[Outlet], text: &str, source_name: &str) -> Result<(), RegistryError> {
    let mut seen = std::collections::HashSet::new();
    for outlet in outlets {
        let fail = |message: String| RegistryError::Invalid {
            source_name: source_name.to_string(),
            id: outlet.id.clone(),
            line: text
                .find(&format!("\"{}\"", outlet.id))
                .map(|pos| text[..pos].matches('\n').count() + 1),
            message,
        };
        if outlet.id.is_empty()
            || !outlet
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err(fail(
                "id must be non-empty lowercase ASCII letters, digits, '_' or '-'".into(),
            ));
        }
        if !seen.insert(outlet.id.as_str()) {
            return Err(fail("duplicate id".into()));
        }
        if outlet.name.trim().is_empty() || outlet.aliases.iter().any(|a| a.trim().is_empty()) {
            return Err(fail("names and aliases must not be empty".into()));
        }
        for domain in &outlet.domains {
            let canonical = !domain.is_empty()
                && domain.contains('.')
                && !domain.starts_with("www.")
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && domain
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
            if !canonical {
                return Err(fail(format!(
                    "domain {domain:?} must be a lowercase host name without scheme, path or \"www.\""
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn registry() -> &'static OutletRegistry {
        OutletRegistry::builtin_ref()
    }

    /// `written` looks up the outlet with id `expected` (`None`: no outlet).
    fn check(written: &str, expected: Option<&str>) {
        let got = registry().lookup(written).map(|o| o.id.as_str());
        assert_eq!(got, expected, "lookup({written:?})");
    }

    fn check_host(host: &str, expected: Option<&str>) {
        let got = registry().by_host(host).map(|o| o.id.as_str());
        assert_eq!(got, expected, "by_host({host:?})");
    }

    fn mentions(text: &str) -> Vec<(String, String)> {
        registry()
            .find_mentions(text)
            .into_iter()
            .map(|m| {
                let chars: String = text.chars().skip(m.start).take(m.end - m.start).collect();
                assert_eq!(chars, m.matched, "offsets of {m:?}");
                (m.outlet_id, m.matched)
            })
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn looks_up_names_in_any_script_width_and_case() {
        check("环球网", Some("huanqiu"));
        check("環球網", Some("huanqiu"));
        check("环球时报", Some("huanqiu"));
        check("Global Times", Some("huanqiu"));
        check("the Associated Press", Some("ap"));
        check("AP", Some("ap"));
        check("ap", Some("ap"));
        check("Reuters", Some("reuters"));
        check("路透社", Some("reuters"));
        check("路透", Some("reuters"));
        check("ＢＢＣ", Some("bbc"));
        check("  BBC News  ", Some("bbc"));
        check("鲁中晨报", Some("lznews"));
        check("魯中晨報", Some("lznews"));
        check("The New York Times", Some("nyt"));
        check("New York Times", Some("nyt"));
        check("纽约时报中文网", Some("nyt"));
        check("Guardian", Some("guardian"));
        check("苹果日报(台湾)", Some("appledailytw"));
        check("苹果日报（台湾）", Some("appledailytw"));
    }

    #[test]
    fn traditional_and_full_names_meet_one_entry() {
        check("美國有線電視新聞網", Some("cnn"));
        check("美国有线电视新闻网", Some("cnn"));
        check("美聯社", Some("ap"));
        check("聯合報", Some("udn"));
        check("自由時報", Some("ltn"));
        check("BBC中文網", Some("bbc"));
        check("紐約時報", Some("nyt"));
        check("「自由時報」", Some("ltn"));
        check("工商時報", Some("ctee"));
        check("端傳媒", Some("theinitium"));
        check("中視", Some("ctv"));
        check("今日新聞", Some("nownews"));
        check_host("www.ctee.com.tw", Some("ctee"));
        check_host("theinitium.com", Some("theinitium"));
    }

    #[test]
    fn sub_brands_keep_their_own_entry() {
        check("新浪财经", Some("sinafinance"));
        check("新浪財經", Some("sinafinance"));
        check("新浪", Some("sina"));
        check("新浪新闻", Some("sina"));
        check("央视新闻", Some("cctv"));
        check("央视", Some("cctv"));
        check("CGTN", Some("cgtn"));
    }

    #[test]
    fn tolerates_marks_and_suffixes() {
        check("《人民日报》", Some("people"));
        check("「明報」", Some("mingpao"));
        check("人民日报客户端", Some("people"));
        check("新华社客户端", Some("xinhua"));
        check("新华", Some("xinhua"));
        check("新京报记者", Some("bjnews"));
        check("澎湃", Some("thepaper"));
        check("澎湃新闻App", Some("thepaper"));
        check("Xinhua News Agency", Some("xinhua"));
        check("Xinhua news agency", Some("xinhua"));
        check("Reuters News", Some("reuters"));
        check("reuters.com", Some("reuters"));
        check("finance.sina.com.cn", Some("sinafinance"));
        check("Fox", Some("foxnews"));
        check("环球报", Some("huanqiu"));
    }

    #[test]
    fn unknown_and_ambiguous_names_find_nothing() {
        check("", None);
        check("《》", None);
        check("腾讯财经", None);
        check("中国", None);
        check("Evil Reuters Clone", None);
    }

    #[test]
    fn finds_outlets_by_most_specific_host() {
        check_host("finance.sina.com.cn", Some("sinafinance"));
        check_host("www.sina.com.cn", Some("sina"));
        check_host("news.sina.com.cn", Some("sina"));
        check_host("news.cn", Some("xinhua"));
        check_host("www.news.cn", Some("xinhua"));
        check_host("WWW.Reuters.COM", Some("reuters"));
        check_host("www.reuters.com", Some("reuters"));
        check_host("www.reuters.com:443", Some("reuters"));
        check_host("https://www.reuters.com/world/", Some("reuters"));
        check_host("evil-reuters.com", None);
        check_host("reuters.com.evil.org", None);
        check_host("asia.nikkei.com", Some("nikkeiasia"));
        check_host("www.nikkei.com", Some("nikkei"));
        check_host("example.com", None);
        check_host("", None);
        assert_eq!(
            registry()
                .by_url("https://m.huanqiu.com/article/abc")
                .map(|o| o.id.as_str()),
            Some("huanqiu")
        );
    }

    #[test]
    fn host_belongs_to_matches_domain_and_subdomains_only() {
        let sina = registry().get("sina").expect("sina is shipped");
        assert!(registry().host_belongs_to(sina, "sina.com.cn"));
        assert!(registry().host_belongs_to(sina, "finance.sina.com.cn"));
        assert!(registry().host_belongs_to(sina, "WWW.SINA.CN"));
        assert!(!registry().host_belongs_to(sina, "notsina.com.cn"));
        assert!(!registry().host_belongs_to(sina, "163.com"));
    }

    #[test]
    fn finds_mentions_in_chinese() {
        let text = "据新浪財經报道,环球网援引路透社消息称,中央视察组与《人民日报》无关。";
        assert_eq!(
            mentions(text),
            pairs(&[
                ("sinafinance", "新浪財經"),
                ("huanqiu", "环球网"),
                ("reuters", "路透社"),
                ("people", "人民日报"),
            ])
        );
        // 央视 inside 中央视察 and 明报 inside 说明报告 are not mentions.
        assert_eq!(mentions("中央视察组说明报告"), pairs(&[]));
        assert_eq!(mentions("据央视报道"), pairs(&[("cctv", "央视")]));
    }

    #[test]
    fn finds_mentions_in_english() {
        let text = "The Associated Press and REUTERS said, per the Guardian; \
                    time will tell. Maps (AP) and CNN.";
        assert_eq!(
            mentions(text),
            pairs(&[
                ("ap", "The Associated Press"),
                ("reuters", "REUTERS"),
                ("guardian", "the Guardian"),
                ("ap", "AP"),
                ("cnn", "CNN"),
            ])
        );
        assert_eq!(mentions("a happy ending at the Fox den"), pairs(&[]));
        assert_eq!(mentions("ＢＢＣ报道"), pairs(&[("bbc", "ＢＢＣ")]));
    }

    #[test]
    fn shipped_registry_is_large_and_consistent() {
        let outlets = registry().outlets();
        assert!(outlets.len() >= 200, "only {} outlets", outlets.len());

        let mut ids = HashSet::new();
        let mut keys: HashMap<String, &str> = HashMap::new();
        let mut domains: HashMap<&str, &str> = HashMap::new();
        let mut clashes = Vec::new();
        for outlet in outlets {
            assert!(ids.insert(outlet.id.as_str()), "duplicate id {}", outlet.id);
            for name in outlet.names() {
                let key = lookup_key(name);
                if let Some(other) = keys.insert(key.clone(), &outlet.id) {
                    if other != outlet.id {
                        clashes.push(format!("{name:?} ({key}): {other} and {}", outlet.id));
                    }
                }
            }
            for domain in &outlet.domains {
                assert_eq!(domain, &domain.to_lowercase(), "{}", outlet.id);
                assert!(!domain.contains("://") && !domain.contains('/'), "{domain}");
                if let Some(other) = domains.insert(domain, &outlet.id) {
                    panic!("{domain} listed by {other} and {}", outlet.id);
                }
            }
            // Every outlet finds itself by its own name.
            assert_eq!(
                registry().lookup(&outlet.name).map(|o| o.id.as_str()),
                Some(outlet.id.as_str()),
                "lookup of {}",
                outlet.name
            );
        }
        assert!(
            clashes.is_empty(),
            "names shared by two outlets: {clashes:#?}"
        );
    }

    #[test]
    fn broken_toml_names_file_and_line() {
        let text = "[[outlet]]\nid = \"a\"\nname = \"A\"\nkind = \"wire\nregion = \"us\"\n";
        let err = OutletRegistry::from_toml(text, "extra.toml").unwrap_err();
        match &err {
            RegistryError::Parse {
                source_name, line, ..
            } => {
                assert_eq!(source_name, "extra.toml");
                assert_eq!(*line, Some(4));
            }
            other => panic!("unexpected error {other:?}"),
        }
        assert!(
            err.to_string().starts_with("parsing extra.toml line 4: "),
            "{err}"
        );

        let unknown = "[[outlet]]\nid = \"a\"\nname = \"A\"\nkind = \"wire\"\nregion = \"us\"\nhomepage = \"x\"\n";
        let err = OutletRegistry::from_toml(unknown, "extra.toml").unwrap_err();
        assert!(
            matches!(err, RegistryError::Parse { line: Some(6), .. }),
            "{err:?}"
        );
    }

    #[test]
    fn invalid_entries_are_rejected() {
        let text = "[[outlet]]\nid = \"a\"\nname = \"A\"\ndomains = [\"https://A.com\"]\nkind = \"wire\"\nregion = \"us\"\n";
        let err = OutletRegistry::from_toml(text, "extra.toml").unwrap_err();
        assert!(
            matches!(&err, RegistryError::Invalid { id, line: Some(2), .. } if id == "a"),
            "{err:?}"
        );
    }

    #[test]
    fn merge_replaces_same_id_and_appends_new_ones() {
        let mut registry = OutletRegistry::builtin();
        let count = registry.outlets().len();
        let extra = OutletRegistry::from_toml(
            r#"
[[outlet]]
id = "lznews"
name = "鲁中晨报"
aliases = ["鲁中网"]
domains = ["lznews.com.cn"]
kind = "newspaper"
region = "cn"

[[outlet]]
id = "zibo"
name = "淄博日报"
domains = ["zbnews.example"]
kind = "newspaper"
region = "cn"
"#,
            "extra.toml",
        )
        .expect("valid extra registry");
        registry.merge(extra.outlets().to_vec());
        assert_eq!(registry.outlets().len(), count + 1);
        assert_eq!(
            registry.by_host("www.lznews.com.cn").map(|o| o.id.as_str()),
            Some("lznews")
        );
        assert!(registry.by_host("lznews.cn").is_none());
        assert_eq!(
            registry.lookup("淄博日報").map(|o| o.id.as_str()),
            Some("zibo")
        );
        assert_eq!(
            registry.find_mentions("据淄博日报报道")[0].outlet_id,
            "zibo".to_string()
        );
    }
}
