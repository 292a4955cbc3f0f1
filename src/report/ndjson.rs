//! `citecheck.events.v1`: one JSON object per line, written as the run goes so a consumer sees
//! each claim as soon as it is judged. Events, in order: `start`; per document `document`, one
//! `claim` per claim, `document_end` (citations and counts); `failure` per unreadable input;
//! `verdict_changed` per change event (`recheck`); `end` (totals). Claim objects are the JSON report's claim objects plus `path` and `finding`.

use super::{json, Context, Finding, Reporter};
use crate::model::{ClaimResult, DocumentResult, InputFailure, RunResult, VerdictChange};
use serde_json::{json, Value};
use std::io::{self, Write};
use std::sync::Arc;

/// The schema name the `start` event carries.
pub const EVENTS_SCHEMA: &str = "citecheck.events.v1";

/// Writes a finished run as the event stream it would have produced.
pub struct Ndjson {
    pub ctx: Arc<Context>,
}

impl Reporter for Ndjson {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let stream = NdjsonStream {
            ctx: self.ctx.clone(),
        };
        stream.start(out)?;
        for d in &run.documents {
            stream.document(out, &d.path, d.title.as_deref())?;
            for c in &d.claims {
                stream.claim(out, &d.path, c)?;
            }
            stream.document_end(out, d)?;
        }
        for f in &run.failures {
            stream.failure(out, f)?;
        }
        for c in &run.changes {
            stream.change(out, c)?;
        }
        stream.end(out, run)
    }
}

/// The event writer, called by the CLI while the run goes (and by [`Ndjson`] afterwards).
/// Each event is one line, flushed at once.
pub struct NdjsonStream {
    pub ctx: Arc<Context>,
}

fn line(out: &mut dyn Write, v: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, v).map_err(io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn finding_name(f: Finding) -> Value {
    match f {
        Finding::Pass => Value::Null,
        Finding::New => "new".into(),
        Finding::Known => "known".into(),
    }
}

impl NdjsonStream {
    pub fn start(&self, out: &mut dyn Write) -> io::Result<()> {
        line(
            out,
            &json!({"event": "start", "schema": EVENTS_SCHEMA, "version": env!("CARGO_PKG_VERSION")}),
        )
    }

    pub fn document(&self, out: &mut dyn Write, path: &str, title: Option<&str>) -> io::Result<()> {
        line(
            out,
            &json!({"event": "document", "path": path, "title": title}),
        )
    }

    pub fn claim(&self, out: &mut dyn Write, path: &str, c: &ClaimResult) -> io::Result<()> {
        let mut v = json::claim_value(c);
        if let Some(obj) = v.as_object_mut() {
            let mut event = serde_json::Map::new();
            event.insert("event".into(), "claim".into());
            event.insert("path".into(), path.into());
            event.insert("finding".into(), finding_name(self.ctx.finding(path, c)));
            event.append(obj);
            v = Value::Object(event);
        }
        line(out, &v)
    }

    pub fn document_end(&self, out: &mut dyn Write, d: &DocumentResult) -> io::Result<()> {
        line(
            out,
            &json!({
                "event": "document_end",
                "path": d.path,
                "summary": json::summary_value(d),
                "citations": json::citations_value(d),
            }),
        )
    }

    pub fn failure(&self, out: &mut dyn Write, f: &InputFailure) -> io::Result<()> {
        line(
            out,
            &json!({"event": "failure", "path": f.path, "line": f.line, "message": f.message}),
        )
    }

    /// A `verdict_changed` event: the change object of the JSON report plus `event` and
    /// `finding` (`new` when the new verdict fails the policy).
    pub fn change(&self, out: &mut dyn Write, c: &VerdictChange) -> io::Result<()> {
        let mut v = json::change_value(c);
        if let Some(obj) = v.as_object_mut() {
            let mut event = serde_json::Map::new();
            event.insert("event".into(), "verdict_changed".into());
            let failing = super::changes::fails(&self.ctx, c);
            event.insert(
                "finding".into(),
                if failing { "new".into() } else { Value::Null },
            );
            obj.remove("kind");
            event.append(obj);
            v = Value::Object(event);
        }
        line(out, &v)
    }

    pub fn end(&self, out: &mut dyn Write, run: &RunResult) -> io::Result<()> {
        let claims: usize = run.documents.iter().map(|d| d.claims.len()).sum();
        let (mut new, mut known) = (0usize, 0usize);
        for d in &run.documents {
            for c in &d.claims {
                match self.ctx.finding(&d.path, c) {
                    Finding::New => new += 1,
                    Finding::Known => known += 1,
                    Finding::Pass => {}
                }
            }
        }
        let mut end = json!({
            "event": "end",
            "documents": run.documents.len(),
            "claims": claims,
            "failing": new + known,
            "new": new,
            "known": known,
            "input_failures": run.failures.len(),
        });
        if !run.changes.is_empty() {
            end["changes"] = run.changes.len().into();
        }
        line(out, &end)
    }
}
