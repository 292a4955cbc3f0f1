//! Run results -> the formats people and pipelines read. One file per format; `Format` picks.

mod human;
mod json;

pub use human::Human;
pub use json::{Json, SCHEMA};

use crate::model::RunResult;
use std::io::{self, Write};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A readable report per document (default).
    Human,
    /// `citecheck.report.v1` JSON.
    Json,
}

/// Writes a run's result in one format.
pub trait Reporter {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()>;
}

/// The reporter for `format`; `color` applies to the human format only.
pub fn reporter(format: Format, color: bool) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(Human { color }),
        Format::Json => Box::new(Json),
    }
}
