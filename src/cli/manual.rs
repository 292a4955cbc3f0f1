//! Shell completions (clap_complete) and the man page (clap_mangen), both generated from the
//! clap definitions so they never drift from the flags.

use super::args::{Cli, CompletionsArgs};
use super::run::ExitStatus;
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::Write;

/// Prints the completion script for a shell.
pub fn completions(args: CompletionsArgs) -> Result<ExitStatus> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "citecheck", &mut out);
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(&out)
        .context("writing the completion script")?;
    lock.flush().context("writing the completion script")?;
    Ok(ExitStatus::Ok)
}

/// Prints the man page of citecheck and its subcommands, as roff.
pub fn man() -> Result<ExitStatus> {
    let cmd = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut out)
        .context("rendering the man page")?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("citecheck-{}", sub.get_name());
        out.extend_from_slice(b"\n");
        clap_mangen::Man::new(sub.clone())
            .title(name)
            .render(&mut out)
            .context("rendering the man page")?;
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(&out).context("writing the man page")?;
    lock.flush().context("writing the man page")?;
    Ok(ExitStatus::Ok)
}
