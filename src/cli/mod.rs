//! The command line: flags, configuration merge, commands and exit codes. The library never
//! reads env vars or config files; this module does, then hands it a resolved `Settings`.

mod args;
mod check;
mod config;
mod config_show;
mod inputs;
mod manual;
mod run;

pub use args::{Cli, Command};
pub use config::{ConfigError, FileConfig};
pub use run::{main_with, ExitStatus};
