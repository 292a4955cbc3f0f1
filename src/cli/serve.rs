//! `citecheck serve`: translates the flags and `[serve]` settings into `serve::ServeOptions`,
//! builds the verifier as `check` does (same settings path, same caps and policy), and runs
//! the server until the process is stopped.

use super::args::VerifyArgs;
use super::config::FileConfig;
use super::run::{policy_for, settings_for, ExitStatus};
use anyhow::{bail, Context as _, Result};
use clap::Args;
use std::net::SocketAddr;

/// Default of `serve.bind`.
pub const DEFAULT_BIND: &str = "127.0.0.1:8750";
/// Default of `serve.max_body_bytes`: 8 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 << 20;
/// Default of `serve.checks_kept`.
pub const DEFAULT_CHECKS_KEPT: usize = 50;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one). Default: `serve.bind`, else
    /// 127.0.0.1:8750, which only this computer can reach.
    #[arg(long, value_name = "ADDR:PORT")]
    pub bind: Option<String>,
    /// Largest draft taken, in bytes of the request (default: `serve.max_body_bytes`, 8 MiB).
    #[arg(long, value_name = "BYTES", value_parser = super::ranges::max_body_bytes_flag)]
    pub max_body_bytes: Option<usize>,
    /// Checks run at the same time; later ones wait (default: `serve.checks_at_once`, 1).
    #[arg(long, value_name = "N", value_parser = super::ranges::checks_at_once_flag)]
    pub checks_at_once: Option<usize>,
    /// Sources, judging and policy, as for `check`.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

pub fn serve(args: ServeArgs) -> Result<ExitStatus> {
    let (file, _, _) = FileConfig::load_effective(args.verify.config.as_deref())?;
    let settings = settings_for(&args.verify, &file)?;
    let policy = policy_for(&args.verify, &file)?;
    let bind_text = args
        .bind
        .clone()
        .or_else(|| file.serve.bind.clone())
        .unwrap_or_else(|| DEFAULT_BIND.to_string());
    let bind: SocketAddr = bind_text.parse().with_context(|| {
        format!("--bind / serve.bind: {bind_text:?} is not an address and port (127.0.0.1:8750)")
    })?;
    let checks_kept = file.serve.checks_kept.unwrap_or(DEFAULT_CHECKS_KEPT);
    if checks_kept == 0 {
        bail!("serve.checks_kept must be at least 1");
    }
    let options = crate::serve::ServeOptions {
        bind,
        max_body_bytes: args
            .max_body_bytes
            .or(file.serve.max_body_bytes)
            .unwrap_or(DEFAULT_MAX_BODY_BYTES),
        checks_kept,
        checks_at_once: args
            .checks_at_once
            .or(file.serve.checks_at_once)
            .unwrap_or(1),
        limits: crate::serve::CheckLimits {
            max_input_bytes: settings.max_input_bytes,
            max_citations: settings.max_citations,
            policy,
            excluded: crate::resolve::exclude::Exclusions::new(
                &settings.exclude_outlets,
                &settings.exclude_domains,
            )
            .shown(),
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let verifier = crate::verify::Verifier::from_settings(&settings)?;
    let open_to_others = !bind.ip().is_loopback();
    runtime
        .block_on(crate::serve::serve(verifier, options, |bound| {
            // The first line says where to go; scripts and tests read it.
            println!("citecheck serve: listening on http://{bound}/");
            if open_to_others {
                eprintln!(
                    "citecheck: warning: {bound} is not a loopback address: anyone who can \
                     reach it can submit drafts and read their reports"
                );
            }
            eprintln!("citecheck: press Ctrl-C to stop");
            use std::io::Write as _;
            let _ = std::io::stdout().flush();
        }))
        .with_context(|| format!("serving on {bind}"))?;
    Ok(ExitStatus::Ok)
}
