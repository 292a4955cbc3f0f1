//! `--format human` for `extract` and `page`: what was found, as plain text to read in a
//! terminal (the JSON forms stay the machine-readable ones).

use super::run::ExtractedDocument;
use crate::model::Page;
use std::io::{self, Write};

/// A value's snake_case name as its serde form gives it (`source_line`, `same_sentence`).
fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One document of `extract`: its citations and its claims with what binds them.
pub(super) fn extracted(out: &mut dyn Write, doc: &ExtractedDocument) -> io::Result<()> {
    writeln!(out, "{}", doc.path)?;
    if let Some(title) = &doc.title {
        writeln!(out, "  {title}")?;
    }
    writeln!(out, "  {}, {}", name(&doc.format), doc.encoding)?;
    writeln!(out)?;
    writeln!(out, "  Citations ({})", doc.citations.len())?;
    for c in &doc.citations {
        let outlet = c
            .registry_outlet
            .as_deref()
            .or(c.outlet.as_deref())
            .unwrap_or("(no outlet)");
        write!(
            out,
            "    {:<4} line {:<5} {:<14} {outlet}",
            c.id,
            format!("{}:{}", c.line, c.column),
            name(&c.kind)
        )?;
        if let Some(h) = &c.headline {
            write!(out, " «{h}»")?;
        }
        if let Some(d) = &c.date {
            write!(out, " {d}")?;
        }
        writeln!(out)?;
        if let Some(u) = &c.url {
            writeln!(out, "         {u}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "  Claims ({})", doc.claims.len())?;
    for k in &doc.claims {
        writeln!(
            out,
            "    {:<4} line {:<5} {:<9} {}",
            k.id,
            k.line,
            name(&k.kind),
            k.text
        )?;
        match k.binding {
            Some(b) => writeln!(
                out,
                "         cites {}: {}",
                k.cited.join(", "),
                b.describe()
            )?,
            None => writeln!(out, "         cites nothing")?,
        }
    }
    Ok(())
}

/// A page as `page` extracted it: where it is from, what it says of itself, its main text.
/// `fetched` is (status, final URL) for a page fetched now.
pub(super) fn page(
    out: &mut dyn Write,
    page: &Page,
    encoding: &str,
    fetched: Option<(u16, &str)>,
) -> io::Result<()> {
    writeln!(out, "{}", page.title.as_deref().unwrap_or("(no title)"))?;
    writeln!(out, "{}", page.url)?;
    if let Some((status, final_url)) = fetched {
        writeln!(out, "fetched: HTTP {status}, final URL {final_url}")?;
    }
    if let Some(c) = page.canonical_url.as_deref().filter(|c| *c != page.url) {
        writeln!(out, "canonical: {c}")?;
    }
    let facts: Vec<String> = [
        ("site", page.site_name.as_deref()),
        ("origin", page.origin_outlet.as_deref()),
        ("published", page.published.as_deref()),
        ("updated", page.updated.as_deref()),
        ("author", page.author.as_deref()),
        ("language", page.language.as_deref()),
        ("encoding", Some(encoding)),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| format!("{k}: {v}")))
    .collect();
    writeln!(out, "{}", facts.join(" · "))?;
    for n in &page.notices {
        writeln!(out, "notice ({}): {}", name(&n.kind), n.text)?;
    }
    writeln!(out)?;
    for p in &page.paragraphs {
        writeln!(out, "{p}")?;
        writeln!(out)?;
    }
    Ok(())
}
