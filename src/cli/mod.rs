//! The command line: flags, configuration merge, commands and exit codes. The library never
//! reads env vars or config files; this module does, then hands it a resolved `Settings`.

mod args;
mod check;
mod compare;
mod config;
mod config_key;
mod config_show;
mod fetch_settings;
mod history;
mod inputs;
mod manual;
mod page;
mod permissions;
mod plain;
mod ranges;
mod recheck;
mod run;
mod search;
mod serve;

pub use args::{Cli, Command};
pub use config::{ConfigError, FileConfig};
pub use run::{main_with, ExitStatus};

/// For the fuzz targets and their regression test only: parses `text` as a `compare --pairs`
/// file named `name`, giving each pair's claim and source, or the error naming the file and
/// line.
#[doc(hidden)]
pub fn parse_pairs_for_fuzzing(text: &str, name: &str) -> Result<Vec<(String, String)>, String> {
    compare::parse_pairs(text, name)
        .map(|pairs| pairs.into_iter().map(|p| (p.claim, p.source)).collect())
        .map_err(|e| format!("{e:#}"))
}
