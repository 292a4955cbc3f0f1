//! Run results -> the formats people and pipelines read. One file per format; `Format` picks.
//!
//! Reporters are pure: they get the run's result and a [`Context`] (the loaded input documents,
//! the failure policy, a baseline) and write bytes. The CLI decides where the bytes go.

mod changes;
mod codequality;
mod context;
mod github;
mod html;
mod human;
mod json;
mod junit;
mod markdown;
mod ndjson;
mod not_checked;
mod sarif;
mod short;
mod text;

pub use codequality::CodeQuality;
pub use context::{
    fingerprint, Baseline, BaselineEntry, Context, Finding, Policy, BASELINE_SCHEMA,
};
pub use github::Github;
pub use html::Html;
pub use human::Human;
pub use json::{change_value, Json, SCHEMA};
pub use junit::Junit;
pub use markdown::Markdown;
pub use ndjson::{Ndjson, NdjsonStream, EVENTS_SCHEMA};
pub use sarif::Sarif;
pub use short::Short;
pub use text::{escape_markup, verdict_words};
pub use text::{locate_claim, ClaimSpan};

use crate::model::RunResult;
use std::io::{self, Write};
use std::sync::Arc;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// A readable report per document (default).
    Human,
    /// `citecheck.report.v1` JSON.
    Json,
    /// One JSON event per line, each claim as soon as it is judged (`citecheck.events.v1`).
    Ndjson,
    /// SARIF 2.1.0: one result per failing claim, for code scanning.
    Sarif,
    /// JUnit XML: a suite per document, a case per claim.
    Junit,
    /// A Markdown summary for a pull-request comment.
    Markdown,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
    /// One self-contained HTML page: the article with claims highlighted, evidence side by side.
    Html,
    /// GitLab Code Quality JSON.
    Codequality,
    /// One line per claim, `file:line:col: verdict: claim`, for editors' quickfix lists and grep.
    Short,
}

impl Format {
    /// Every format, in the order the help lists them.
    pub const ALL: [Format; 10] = [
        Format::Human,
        Format::Json,
        Format::Ndjson,
        Format::Sarif,
        Format::Junit,
        Format::Markdown,
        Format::Github,
        Format::Html,
        Format::Codequality,
        Format::Short,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
            Format::Github => "github",
            Format::Html => "html",
            Format::Codequality => "codequality",
            Format::Short => "short",
        }
    }

    /// The format named `name` on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Writes a run's result in one format.
pub trait Reporter {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()>;
}

/// The reporter for `format` with a bare context; `color` applies to the human format only.
pub fn reporter(format: Format, color: bool) -> Box<dyn Reporter> {
    reporter_for(
        format,
        Arc::new(Context {
            color,
            ..Context::default()
        }),
    )
}

/// The reporter for `format`, reading documents, policy and baseline from `ctx`.
pub fn reporter_for(format: Format, ctx: Arc<Context>) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(Human { color: ctx.color }),
        Format::Json => Box::new(Json),
        Format::Ndjson => Box::new(Ndjson { ctx }),
        Format::Sarif => Box::new(Sarif { ctx }),
        Format::Junit => Box::new(Junit { ctx }),
        Format::Markdown => Box::new(Markdown { ctx }),
        Format::Github => Box::new(Github { ctx }),
        Format::Html => Box::new(Html { ctx }),
        Format::Codequality => Box::new(CodeQuality { ctx }),
        Format::Short => Box::new(Short { ctx }),
    }
}
