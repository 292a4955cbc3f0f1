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
mod limits;
mod manual;
mod page;
mod permissions;
mod plain;
mod ranges;
mod recheck;
mod run;
mod search;

pub use args::{Cli, Command};
pub use config::{ConfigError, FileConfig};
pub use run::{main_with, ExitStatus};
