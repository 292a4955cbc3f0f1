//! The command line: flags, configuration merge, commands and exit codes. The library never
//! reads env vars or config files; this module does, then hands it a resolved `Settings`.

mod args;
mod compare;
mod config;
mod run;

pub use args::{Cli, Command};
pub use config::{ConfigError, FileConfig};
pub use run::{main_with, ExitStatus};
