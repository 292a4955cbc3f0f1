//! `citecheck history URL_OR_DOCUMENT`: the stored timeline of a source or a document.

use super::recheck::{store_spec, StoreFormat};
use super::run::{load_config, ExitStatus};
use crate::store::history::timeline;
use crate::store::time::format_ms;
use anyhow::{Context, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// A source URL or a document path, as recorded.
    pub subject: String,
    /// The history store (default: store.path, else the user data folder's
    /// citecheck/store.sqlite).
    #[arg(long, value_name = "PATH|URL")]
    pub store: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = StoreFormat::Human)]
    pub format: StoreFormat,
    /// Configuration file.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub(super) fn history(args: HistoryArgs) -> Result<ExitStatus> {
    let file = load_config(args.config.as_deref())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let spec = store_spec(args.store.as_deref(), &file);
    let store = super::recheck::open_store_for_reading(&runtime, &spec)?;
    let Some(t) = runtime.block_on(timeline(store.as_ref(), &args.subject))? else {
        eprintln!(
            "citecheck: error: {} is neither a recorded source nor a recorded document in the store {spec}",
            args.subject
        );
        return Ok(ExitStatus::Error);
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        StoreFormat::Json => {
            let v = serde_json::json!({"schema": "citecheck.history.v1", "timeline": t});
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        StoreFormat::Human => {
            writeln!(
                out,
                "{} {}{}",
                t.kind,
                t.subject,
                t.summary
                    .as_ref()
                    .map(|s| format!(": {s}"))
                    .unwrap_or_default()
            )?;
            for e in &t.entries {
                writeln!(
                    out,
                    "{}  {:<16} {:<20} {}{}{}",
                    format_ms(e.at),
                    e.kind,
                    e.value,
                    if t.kind == "document" || e.kind == "verdict_changed" {
                        format!("{} ", e.subject)
                    } else {
                        String::new()
                    },
                    e.detail,
                    e.archived_url
                        .as_ref()
                        .map(|a| format!(" [archived: {a}]"))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitStatus::Ok)
}
