//! Timelines for `citecheck history`: every reading of a source, or every verdict of a
//! document's claims, with the change events between them, oldest first.

use super::{Store, StoreError};
use serde::Serialize;

/// One dated line of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub at: i64,
    /// `snapshot`, `verdict`, `source_changed`, `verdict_changed`.
    pub kind: String,
    /// The source URL or claim id it is about.
    pub subject: String,
    /// The outcome in one word: a change class, a verdict, `ok`, `gone`.
    pub value: String,
    /// Everything else worth showing, as plain words.
    pub detail: String,
    /// The archived copy used, if any.
    pub archived_url: Option<String>,
}

/// The timeline of a source URL or a document path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// `source` or `document`.
    pub kind: &'static str,
    pub subject: String,
    /// The source's current state, or the document's title.
    pub summary: Option<String>,
    pub entries: Vec<Entry>,
}

/// The timeline of `subject`: a recorded source URL, else a recorded document path; `None`
/// when the store knows neither.
pub async fn timeline(store: &dyn Store, subject: &str) -> Result<Option<Timeline>, StoreError> {
    let source = store
        .query(
            "SELECT state, last_class FROM sources WHERE url = $1",
            &[subject.into()],
        )
        .await?;
    if let Some(s) = source.first() {
        let mut entries: Vec<Entry> = store
            .query(
                "SELECT fetched_at, outcome, status, class, title, final_url, error, archived_url \
                 FROM snapshots WHERE source_url = $1 ORDER BY fetched_at, id",
                &[subject.into()],
            )
            .await?
            .iter()
            .map(|r| {
                let mut detail = Vec::new();
                if let Some(st) = r.opt_int(2) {
                    detail.push(format!("http {st}"));
                }
                if let Some(t) = r.opt_text(4).filter(|t| !t.is_empty()) {
                    detail.push(format!("\"{t}\""));
                }
                if let Some(u) = r.opt_text(5).filter(|u| u != subject) {
                    detail.push(format!("at {u}"));
                }
                if let Some(e) = r.opt_text(6) {
                    detail.push(e);
                }
                Entry {
                    at: r.int(0),
                    kind: "snapshot".into(),
                    subject: subject.to_string(),
                    value: r.opt_text(3).unwrap_or_else(|| r.text(1)),
                    detail: detail.join(", "),
                    archived_url: r.opt_text(7),
                }
            })
            .collect();
        entries.extend(events(store, "source_url", subject).await?);
        entries.sort_by_key(|e| e.at);
        return Ok(Some(Timeline {
            kind: "source",
            subject: subject.to_string(),
            summary: Some(format!(
                "{}{}",
                s.text(0),
                s.opt_text(1)
                    .map(|c| format!(" (last: {c})"))
                    .unwrap_or_default()
            )),
            entries,
        }));
    }
    let key = crate::document::path_key(subject);
    let subject = key.as_str();
    let doc = store
        .query(
            "SELECT title FROM documents WHERE path = $1",
            &[subject.into()],
        )
        .await?;
    let Some(d) = doc.first() else {
        return Ok(None);
    };
    let mut entries: Vec<Entry> = store
        .query(
            "SELECT v.at, v.kid, v.verdict, v.score, v.archived_url, k.text FROM verdicts v \
             LEFT JOIN claims k ON k.document_path = v.document_path AND k.kid = v.kid \
             WHERE v.document_path = $1 ORDER BY v.at, v.id",
            &[subject.into()],
        )
        .await?
        .iter()
        .map(|r| Entry {
            at: r.int(0),
            kind: "verdict".into(),
            subject: r.text(1),
            value: r.text(2),
            detail: format!("score {:.2}: {}", r.real(3), r.text(5)),
            archived_url: r.opt_text(4),
        })
        .collect();
    entries.extend(events(store, "document_path", subject).await?);
    entries.sort_by_key(|e| e.at);
    Ok(Some(Timeline {
        kind: "document",
        subject: subject.to_string(),
        summary: d.opt_text(0),
        entries,
    }))
}

async fn events(store: &dyn Store, column: &str, subject: &str) -> Result<Vec<Entry>, StoreError> {
    // `column` is one of two constants above, never user input.
    let sql = format!(
        "SELECT at, kind, source_url, kid, old, new, detail FROM events WHERE {column} = $1 ORDER BY at, id"
    );
    Ok(store
        .query(&sql, &[subject.into()])
        .await?
        .iter()
        .map(|r| {
            let verdict = r.text(1) == "verdict_changed";
            Entry {
                at: r.int(0),
                kind: r.text(1),
                subject: if verdict { r.text(3) } else { r.text(2) },
                value: r.text(5),
                detail: if verdict {
                    format!(
                        "{} -> {} (source {})",
                        r.opt_text(4).unwrap_or_else(|| "none".into()),
                        r.text(5),
                        r.text(2)
                    )
                } else {
                    r.text(6)
                },
                archived_url: None,
            }
        })
        .collect())
}
