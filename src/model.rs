//! The plain data that flows between pipeline stages.
//!
//! Every stage is a function from one of these types to the next, so each stage can be tested
//! on values built by hand. Nothing here does I/O.

use serde::{Deserialize, Serialize};

/// How an input file is written; decides how it is turned into blocks of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Text,
    Markdown,
    Html,
}

/// What role a block of text plays in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// The first heading or first line: the article's title.
    Title,
    Heading,
    Paragraph,
    ListItem,
    Quote,
}

/// Where a stretch of a block's text starts in the input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineMark {
    /// Character offset in the block's text.
    pub offset: usize,
    /// 1-based line in the input file.
    pub line: usize,
    /// 1-based column (characters) in that line.
    pub column: usize,
}

/// One visible block of an input document (a paragraph, heading, list item), with markup removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Visible text with markup removed.
    pub text: String,
    /// 1-based line of the block's first character in the input file.
    pub line: usize,
    /// 1-based column (in characters) of the block's first visible character in that line.
    pub column: usize,
    /// Where later stretches of the text start (a paragraph wrapped over several lines);
    /// sorted by offset, the first mark is at offset 0. May be empty: then `line`/`column` hold.
    pub marks: Vec<LineMark>,
}

impl Block {
    /// A block whose text sits on one line.
    pub fn new(kind: BlockKind, text: impl Into<String>, line: usize, column: usize) -> Block {
        Block {
            kind,
            text: text.into(),
            line,
            column,
            marks: Vec::new(),
        }
    }

    /// The input line and column of the character at `offset` (characters) of the block's text.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mark = self
            .marks
            .iter()
            .rev()
            .find(|m| m.offset <= offset)
            .copied()
            .unwrap_or(LineMark {
                offset: 0,
                line: self.line,
                column: self.column,
            });
        (mark.line, mark.column + (offset - mark.offset))
    }
}

/// A hyperlink found in the input's markup (Markdown link or HTML `<a href>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The link text as shown to a reader.
    pub text: String,
    pub url: String,
    /// 1-based line in the input file.
    pub line: usize,
    /// 1-based column (characters) in that line.
    pub column: usize,
}

/// An input article after loading: decoded, markup removed, every block tied to its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The path as the user gave it (`-` for standard input).
    pub path: String,
    pub format: InputFormat,
    /// Name of the character encoding the bytes were decoded from (e.g. `UTF-8`, `GBK`).
    pub encoding: String,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    /// Sources named by HTML markup rather than by a link: `cite="url"` on `<blockquote>` and
    /// `<q>` (url set, text the quoted words) and `<cite>` elements (text set, url empty unless
    /// the element holds a link).
    #[serde(default)]
    pub cites: Vec<Link>,
}

impl Document {
    /// The article's title: the first `Title` block, if any.
    pub fn title(&self) -> Option<&str> {
        self.blocks
            .iter()
            .find(|b| b.kind == BlockKind::Title)
            .map(|b| b.text.as_str())
    }
}

/// How a citation was written in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitationKind {
    /// A line of a source list (`信源来自于X:Y`, `Source: X — "Y"`, `来源:X`).
    SourceLine,
    /// An attribution inside a sentence (`据X报道`, `according to X`).
    Inline,
    /// A hyperlink (`[headline](url)`, `<a href>`).
    Link,
}

/// A citation the article makes: who it names, what headline, which URL, where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Stable id within the document: `c1`, `c2`, ... in order of appearance.
    pub id: String,
    pub kind: CitationKind,
    /// The outlet exactly as written in the article, if one is named.
    pub outlet: Option<String>,
    /// The canonical name of the registry outlet it resolves to, if known.
    pub registry_outlet: Option<String>,
    /// The cited headline exactly as written, if given.
    pub headline: Option<String>,
    pub url: Option<String>,
    /// The publication date as written with the citation (`12 May 2024`, `2024年5月12日`), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// 1-based line and column (characters) where the citation starts in the input.
    pub line: usize,
    pub column: usize,
}

/// What kind of statement a claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    Title,
    Statement,
    /// Quoted speech: must be found near-verbatim in the source.
    Quote,
}

/// A check-worthy statement of the article and the citations that are meant to support it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// Stable id within the document: `k1`, `k2`, ...
    pub id: String,
    pub kind: ClaimKind,
    pub text: String,
    pub line: usize,
    pub column: usize,
    /// Ids of the citations bound to this claim.
    pub cited: Vec<String>,
    /// Why those citations are bound to it; `None` when none is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<Binding>,
}

/// Why a claim is bound to its citations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// A citation is written in the claim's own sentence.
    SameSentence,
    /// An earlier sentence of the same paragraph cites it, and this one goes on with its report.
    SameParagraph,
    /// The sentence opens as the continuation of a report cited in an earlier paragraph of
    /// the same section ("该报道还指出", "The report also notes").
    Continuation,
    /// The article's source list covers it.
    SourceList,
    /// A source note closing its paragraph (`（来源：央视新闻）`).
    TrailingSource,
}

impl Binding {
    /// The reason in words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Binding::SameSentence => "cited in the same sentence",
            Binding::SameParagraph => "continues a report cited earlier in the paragraph",
            Binding::Continuation => "opens as a continuation of a report cited above",
            Binding::SourceList => "covered by the article's source list",
            Binding::TrailingSource => "covered by the source note closing its paragraph",
        }
    }
}

/// What a sentence of the article is, for the check: only checkable claims are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum SentenceClass {
    /// States something a source could confirm or refute.
    Checkable,
    /// Opinion, exhortation, rhetoric or a rhetorical question.
    Opinion,
    /// The article's furniture: headings, bylines, datelines, read-time lines, editor's notes,
    /// calls to share or follow, advice to the reader.
    Furniture,
}

impl SentenceClass {
    pub fn as_str(self) -> &'static str {
        match self {
            SentenceClass::Checkable => "checkable",
            SentenceClass::Opinion => "opinion",
            SentenceClass::Furniture => "furniture",
        }
    }
}

/// A sentence of the article that is not judged (opinion or furniture), with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unchecked {
    pub text: String,
    pub line: usize,
    pub column: usize,
    pub class: SentenceClass,
    /// What decided it: `heading`, `byline`, `editor_note`, `model`, ...
    pub why: String,
}

/// One search result: a page that might be the cited source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub url: String,
    pub title: String,
    /// The provider's snippet of the page, if any.
    pub snippet: Option<String>,
    /// Publication date as the provider gave it, if any.
    pub published: Option<String>,
    /// Name of the provider that returned it (`corpus`, `searxng`, ...).
    pub provider: String,
}

/// A candidate with the scores that decided whether it is the cited page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredCandidate {
    pub url: String,
    pub title: String,
    /// Overall match in 0..1.
    pub score: f64,
    /// Similarity of the page title to the cited headline in 0..1 (null when no headline was cited).
    pub title_similarity: Option<f64>,
    /// Whether the page's host belongs to the cited outlet.
    pub domain_match: bool,
    /// Days between the cited date and the page's date (positive: the page is later), when
    /// both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_offset_days: Option<i64>,
}

/// The main content of a source page, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Page {
    /// The URL the page was fetched from (after redirects).
    pub url: String,
    /// `<link rel=canonical>` or `og:url`, if the page declares one.
    pub canonical_url: Option<String>,
    /// The headline, site suffix removed.
    pub title: Option<String>,
    /// Main body paragraphs, boilerplate removed.
    pub paragraphs: Vec<String>,
    pub published: Option<String>,
    /// `og:site_name` or similar.
    pub site_name: Option<String>,
    /// The original outlet a portal names in its `来源:X` line, if any.
    pub origin_outlet: Option<String>,
    /// When the page says it was last updated (`article:modified_time`, `dateModified`,
    /// a visible `Updated:` / `更新时间：` line).
    #[serde(default)]
    pub updated: Option<String>,
    /// The byline: `<meta name=author>`, JSON-LD `author`, a byline box, `作者：X`, `By X`.
    #[serde(default)]
    pub author: Option<String>,
    /// The page's language: `<html lang>`, `content-language` or `og:locale`, else guessed
    /// from the script of the main text (`zh` or `en`).
    #[serde(default)]
    pub language: Option<String>,
    /// Correction, retraction and update notices the page shows.
    #[serde(default)]
    pub notices: Vec<Notice>,
}

/// A notice a page shows about the article itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    /// The notice's text as shown.
    pub text: String,
}

/// What a [`Notice`] says happened to the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NoticeKind {
    /// `Correction:`, `Clarification:`, `更正`, `勘误`, "An earlier version of this article…".
    Correction,
    /// "This article has been retracted", `撤稿`, `本文已撤回`.
    Retraction,
    /// `Updated:`, `Update:`, `Editor's note`, `更新：`.
    Update,
}

impl Page {
    /// The main text: paragraphs joined by newlines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }
}

/// What became of a citation's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitationStatus {
    /// The cited page was found and read.
    Found,
    /// No page matching the citation was found.
    NotFound,
    /// The page exists (a URL was given or found) but could not be fetched.
    Unreachable,
    /// The page refused us (bot wall, 401/403/429, or a safety rule).
    Blocked,
    /// The user excluded its outlet or domain (`--exclude-outlet`, `--exclude-domain`): not
    /// searched, not fetched.
    Excluded,
}

impl CitationStatus {
    /// The name reports use (`not_found`), as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            CitationStatus::Found => "found",
            CitationStatus::NotFound => "not_found",
            CitationStatus::Unreachable => "unreachable",
            CitationStatus::Blocked => "blocked",
            CitationStatus::Excluded => "excluded",
        }
    }
}

/// A citation together with the source it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    pub citation_id: String,
    pub status: CitationStatus,
    /// The chosen page and how well it matched, when one was chosen.
    pub chosen: Option<ScoredCandidate>,
    /// The best candidates considered, best first (at most a handful).
    pub candidates: Vec<ScoredCandidate>,
    /// The page's content when status is `found`.
    pub page: Option<Page>,
    /// Why the status is what it is, in plain words (errors, near misses).
    pub detail: Option<String>,
}

/// A kind of mismatch between a claim and its best evidence that a lexical score misses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A place, organisation or person in the claim is replaced by another in the source.
    EntitySwap,
    /// A number, amount or date differs.
    NumberMismatch,
    /// One side negates or reverses what the other states.
    NegationFlip,
    /// The source hedges (may, considering, 可能, 考虑) and the claim asserts.
    CertaintyEscalation,
    /// The claim has a different actor or speaker than the source.
    AttributionShift,
    /// Quoted words in the claim are not found verbatim in the source.
    QuoteMismatch,
}

impl FlagKind {
    /// Every kind, most telling first (the order reports list them in).
    pub const ALL: [FlagKind; 6] = [
        FlagKind::EntitySwap,
        FlagKind::NumberMismatch,
        FlagKind::NegationFlip,
        FlagKind::CertaintyEscalation,
        FlagKind::AttributionShift,
        FlagKind::QuoteMismatch,
    ];
}

/// One mismatch found between a claim and a source passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    /// What the claim says (e.g. `中国`).
    pub claim: String,
    /// What the source says instead (e.g. `中东`), empty when the source is silent.
    pub source: String,
    /// A sentence a reader accepts: "the source says 中东, the claim says 中国".
    pub reason: String,
}

/// The best passage of one cited source for one claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub citation: String,
    pub url: String,
    /// The passage quoted from the source's main text.
    pub quote: String,
    /// Character offsets of the quote in the source's main text (`Page::text`).
    pub start: usize,
    pub end: usize,
    /// Lexical similarity of claim and passage in 0..1.
    pub similarity: f64,
    /// How many of the claim's percentages, amounts and years the passage states as well.
    #[serde(default)]
    pub matched_numbers: usize,
    pub flags: Vec<Flag>,
}

/// The judgement on one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Supported,
    PartiallySupported,
    NotSupported,
    Contradicted,
    Unverifiable,
}

impl Verdict {
    pub const ALL: [Verdict; 5] = [
        Verdict::Supported,
        Verdict::PartiallySupported,
        Verdict::NotSupported,
        Verdict::Contradicted,
        Verdict::Unverifiable,
    ];

    /// The verdict written `name` (as [`Verdict::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::PartiallySupported => "partially_supported",
            Verdict::NotSupported => "not_supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

/// A claim with its verdict, score, reasons and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimResult {
    pub claim: Claim,
    pub verdict: Verdict,
    /// How well the cited sources support the claim, in 0..1.
    pub score: f64,
    /// Plain-words reasons for the verdict.
    pub reasons: Vec<String>,
    /// Best evidence per cited source, best first.
    pub evidence: Vec<Evidence>,
}

/// Everything found about one input document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentResult {
    pub path: String,
    pub title: Option<String>,
    pub citations: Vec<Citation>,
    pub resolutions: Vec<Resolution>,
    pub claims: Vec<ClaimResult>,
    /// Existing fact-checks by claim id (only claims that have some), when a fact-checker is
    /// configured. Reported beside verdicts; never a source.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fact_checks: std::collections::BTreeMap<String, Vec<FactCheck>>,
    /// Sentences not judged because they are opinion or furniture (`--check-all` judges them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<Unchecked>,
}

/// An input that could not be checked at all, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFailure {
    pub path: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    pub message: String,
}

/// The result of a whole run over one or more documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RunResult {
    pub documents: Vec<DocumentResult>,
    pub failures: Vec<InputFailure>,
    /// Verdicts that changed since the last run because a source changed (`recheck`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<VerdictChange>,
    /// What the run was told never to check (`--exclude-outlet`, `--exclude-domain`).
    #[serde(default, skip_serializing_if = "Excluded::is_empty")]
    pub excluded: Excluded,
}

/// The outlets and domains a run excluded, as the user gave the outlets and with the domains
/// normalised (`example.com`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    pub outlets: Vec<String>,
    pub domains: Vec<String>,
}

impl Excluded {
    pub fn is_empty(&self) -> bool {
        self.outlets.is_empty() && self.domains.is_empty()
    }
}

/// A claim whose verdict changed because a source it cites changed: what `recheck` finds,
/// reported in every output format as a change event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictChange {
    /// The input path as it was checked.
    pub document: String,
    /// The claim, with its position in the document as it was checked.
    pub claim: Claim,
    /// The source whose change caused it.
    pub source: String,
    /// How the source changed (`text_changed`, `dead`, `retracted`, ...).
    pub class: String,
    /// The verdict before; none when no verdict was recorded.
    pub old: Option<Verdict>,
    pub new: Verdict,
    pub old_score: Option<f64>,
    pub new_score: f64,
    /// The reasons for the new verdict.
    pub reasons: Vec<String>,
    /// The archived copy the new verdict was reached on, if one was used.
    pub archived_url: Option<String>,
}

/// An existing fact-check of a claim (Google Fact Check Tools), reported beside the verdict.
/// Never a source: it does not change the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactCheck {
    /// The claim as the fact-checker worded it.
    pub claim: String,
    /// Who made the claim, if named.
    pub claimant: Option<String>,
    /// The fact-checker's rating as written (`False`, `Mostly true`, `错误`).
    pub rating: String,
    /// The fact-checking organisation.
    pub publisher: String,
    /// The review article.
    pub url: String,
    pub title: Option<String>,
    pub review_date: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::CitationStatus;

    #[test]
    fn citation_status_names_are_the_serialised_ones() {
        for s in [
            CitationStatus::Found,
            CitationStatus::NotFound,
            CitationStatus::Unreachable,
            CitationStatus::Blocked,
            CitationStatus::Excluded,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
