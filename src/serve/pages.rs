//! The pages of `serve`: the draft form, a check's page (progress, then verdicts, downloads and
//! the HTML report in a frame), and error pages. Plain HTML that works without script; the
//! script (`APP_JS`) adds file upload by choosing or dropping a file, and progress that moves
//! without reloading. No page loads anything from another host.

use super::jobs::{Job, State};
use crate::report::{escape_markup as escape, verdict_words};
use hyper::StatusCode;

fn shell(title: &str, head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<title>{}</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/app.css\">\n{head}</head>\n<body>\n\
         <header class=\"bar\"><a class=\"brand\" href=\"/\">citecheck</a>\
         <span class=\"tag\">source-citation checker</span></header>\n<main>\n{body}\n</main>\n\
         <script src=\"/app.js\"></script>\n</body>\n</html>\n",
        escape(title)
    )
}

/// Bytes in words (`5 MiB`, `700 KiB`).
fn size_words(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// The form: paste a draft or choose a file, pick its format, check it.
pub fn index(max_body_bytes: usize) -> String {
    let body = format!(
        r#"<h1>Check a draft's sources</h1>
<p class="lede">Paste an article or a draft (Chinese or English; plain text, Markdown or HTML),
or choose its file. citecheck finds the sources it cites, reads them, and says for each claim
whether they support it, with the evidence quoted.</p>
<form id="draft-form" method="post" action="/checks" enctype="application/x-www-form-urlencoded" data-max-bytes="{max_body_bytes}">
<label for="draft">Draft</label>
<textarea id="draft" name="text" rows="18" required placeholder="Paste the draft here, or drop its file on this box"></textarea>
<div class="row">
<label for="file" class="file">Or choose a file <input id="file" type="file" accept=".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html"></label>
<span id="file-name" class="muted"></span>
</div>
<div class="row">
<label for="format">Format</label>
<select id="format" name="format">
<option value="auto" selected>detect</option>
<option value="text">plain text</option>
<option value="markdown">Markdown</option>
<option value="html">HTML</option>
</select>
<button id="check" type="submit">Check sources</button>
</div>
<p class="muted">At most {limit} per draft. The draft stays on this computer: only the pages it
cites are looked up.</p>
<p id="form-error" class="error" role="alert" hidden></p>
</form>"#,
        limit = size_words(max_body_bytes)
    );
    shell("citecheck: check a draft", "", &body)
}

/// A check's page: progress while it runs (refreshed by the script, or by the page itself
/// without script), then its outcome.
pub fn check(job: &Job) -> String {
    use std::sync::atomic::Ordering::Relaxed;
    let name = escape(&job.name);
    let id = escape(&job.id);
    let state = job.state.lock();
    let (head, body) = match state.as_deref() {
        Ok(State::Queued | State::Running) => {
            let queued = matches!(state.as_deref(), Ok(State::Queued));
            let citations = job.counters.citations.load(Relaxed);
            let done = job.counters.sources_done.load(Relaxed);
            let status = if queued {
                "Waiting for an earlier check to finish…".to_string()
            } else if citations == 0 {
                "Reading the draft…".to_string()
            } else {
                format!("Looking up sources: {done} of {citations} done")
            };
            (
                "<noscript><meta http-equiv=\"refresh\" content=\"1\"></noscript>\n".to_string(),
                format!(
                    r#"<h1>Checking <span class="name">{name}</span></h1>
<section id="progress" data-check="{id}" data-state="running" aria-live="polite">
<progress id="progress-bar" max="{max}" value="{done}"></progress>
<p id="progress-text">{status}</p>
<p class="muted"><span id="elapsed">{elapsed:.1}</span> s</p>
</section>"#,
                    max = citations.max(1),
                    elapsed = job.elapsed().as_secs_f64(),
                ),
            )
        }
        Ok(State::Failed(message)) => (
            String::new(),
            format!(
                r#"<h1>Could not check <span class="name">{name}</span></h1>
<section id="progress" data-check="{id}" data-state="failed">
<p class="error" id="check-error">{}</p>
<p><a href="/">Check another draft</a></p>
</section>"#,
                escape(message)
            ),
        ),
        Ok(State::Done(done)) => {
            let outcome = if done.failing == 0 {
                format!(
                    "<p class=\"outcome pass\" id=\"outcome\">No claim fails: {} checked \
                     against {} source{}.</p>",
                    plural(done.claims, "claim"),
                    done.sources,
                    if done.sources == 1 { "" } else { "s" }
                )
            } else {
                format!(
                    "<p class=\"outcome fail\" id=\"outcome\">{} of {} fail{} the policy \
                     (as <code>citecheck check</code> would exit 1).</p>",
                    done.failing,
                    plural(done.claims, "claim"),
                    if done.failing == 1 { "s" } else { "" }
                )
            };
            let title = match (&done.title, &done.title_verdict) {
                (Some(t), Some(v)) => format!(
                    "<p id=\"title-verdict\" data-verdict=\"{}\">Title <q>{}</q>: \
                     <strong class=\"verdict v-{}\">{}</strong></p>",
                    v.as_str(),
                    escape(t),
                    v.as_str(),
                    verdict_words(*v)
                ),
                _ => String::new(),
            };
            (
                String::new(),
                format!(
                    r#"<h1>Sources of <span class="name">{name}</span></h1>
<section id="progress" data-check="{id}" data-state="done">
{outcome}
{title}
<p class="downloads">
<a id="download-json" href="/checks/{id}/report.json" download>Download JSON</a>
<a id="download-sarif" href="/checks/{id}/report.sarif" download>Download SARIF</a>
<a id="open-report" href="/checks/{id}/report.html" target="_blank" rel="noopener">Open the report alone</a>
<a href="/">Check another draft</a>
</p>
</section>
<iframe id="report" src="/checks/{id}/report.html" title="The report of {name}"></iframe>"#
                ),
            )
        }
        Err(_) => (
            String::new(),
            "<p class=\"error\">The check's state is lost.</p>".to_string(),
        ),
    };
    shell(&format!("citecheck: {}", job.name), &head, &body)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// An error page with the status and what went wrong.
pub fn error(status: StatusCode, message: &str) -> String {
    let body = format!(
        "<h1>{} {}</h1>\n<p class=\"error\" id=\"error\">{}</p>\n<p><a href=\"/\">Back to the \
         form</a></p>",
        status.as_u16(),
        escape(status.canonical_reason().unwrap_or("")),
        escape(message)
    );
    shell(&format!("citecheck: {}", status.as_u16()), "", &body)
}

pub const APP_CSS: &str = r#":root { --fg: #1d1f23; --bg: #fbfbfa; --muted: #5d636b; --line: #d8dbe0;
  --accent: #1f5fbf; --pass: #1c7c3c; --fail: #b3261e; --panel: #ffffff; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e8eb; --bg: #15171a; --muted: #a2a8b0; --line: #353a41;
    --accent: #7fb0ff; --pass: #6fd08f; --fail: #ff8a80; --panel: #1d2024; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif;
  color: var(--fg); background: var(--bg); }
.bar { display: flex; gap: 1em; align-items: baseline; padding: .6em 1.2em;
  border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { font-weight: 700; color: var(--fg); text-decoration: none; }
.tag, .muted { color: var(--muted); font-size: .9em; }
main { max-width: 72em; margin: 0 auto; padding: 1em 1.2em 3em; }
h1 { font-size: 1.5em; margin: .4em 0; }
.name { font-family: ui-monospace, monospace; font-size: .85em; }
label { display: block; font-weight: 600; margin: .6em 0 .3em; }
.row { display: flex; gap: 1em; align-items: center; flex-wrap: wrap; margin: .6em 0; }
.row label { display: inline; margin: 0; }
textarea { width: 100%; font: 15px/1.5 ui-monospace, monospace; padding: .6em;
  border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--fg); }
textarea.dropping { outline: 3px dashed var(--accent); }
select, button { font: inherit; padding: .35em .8em; border-radius: 6px;
  border: 1px solid var(--line); background: var(--panel); color: var(--fg); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button:disabled { opacity: .6; cursor: progress; }
.error { color: var(--fail); font-weight: 600; }
progress { width: 100%; height: 1.1em; }
.outcome { font-size: 1.15em; font-weight: 600; }
.outcome.pass { color: var(--pass); }
.outcome.fail { color: var(--fail); }
.verdict.v-supported { color: var(--pass); }
.verdict.v-not_supported, .verdict.v-contradicted { color: var(--fail); }
.downloads { display: flex; gap: 1.2em; flex-wrap: wrap; }
a { color: var(--accent); }
iframe#report { width: 100%; height: 75vh; border: 1px solid var(--line); border-radius: 6px;
  background: #fff; }
"#;

pub const APP_JS: &str = r#""use strict";
(function () {
  var form = document.getElementById("draft-form");
  if (form) {
    var box = document.getElementById("draft");
    var fileInput = document.getElementById("file");
    var fileName = document.getElementById("file-name");
    var errorLine = document.getElementById("form-error");
    var chosen = null;
    var showError = function (message) {
      errorLine.textContent = message;
      errorLine.hidden = false;
    };
    var choose = function (file) {
      chosen = file;
      fileName.textContent = file ? file.name + " (" + file.size + " bytes)" : "";
      box.required = !file;
    };
    fileInput.addEventListener("change", function () {
      choose(fileInput.files.length ? fileInput.files[0] : null);
    });
    box.addEventListener("dragover", function (e) {
      e.preventDefault();
      box.classList.add("dropping");
    });
    box.addEventListener("dragleave", function () { box.classList.remove("dropping"); });
    box.addEventListener("drop", function (e) {
      e.preventDefault();
      box.classList.remove("dropping");
      if (e.dataTransfer.files.length) { choose(e.dataTransfer.files[0]); }
    });
    box.addEventListener("input", function () { if (box.value) { choose(null); fileInput.value = ""; } });
    form.addEventListener("submit", function (e) {
      var max = Number(form.dataset.maxBytes);
      var button = document.getElementById("check");
      if (!chosen) {
        // A pasted draft goes as the form itself; only its size is checked here first.
        if (new Blob([box.value]).size > max) {
          e.preventDefault();
          showError("The draft is larger than this server takes (" + max + " bytes).");
          return;
        }
        button.disabled = true;
        return;
      }
      e.preventDefault();
      if (chosen.size > max) {
        showError(chosen.name + " is " + chosen.size + " bytes; this server takes at most " + max + ".");
        return;
      }
      button.disabled = true;
      // A file goes as its own bytes, so a legacy charset (GBK, Big5) is decoded by the server.
      var url = "/checks?name=" + encodeURIComponent(chosen.name) +
        "&format=" + encodeURIComponent(document.getElementById("format").value);
      fetch(url, { method: "POST", body: chosen, headers: { "Content-Type": "application/octet-stream" } })
        .then(function (r) {
          if (r.redirected || r.ok) { window.location.assign(r.url); return; }
          return r.text().then(function (t) {
            var doc = new DOMParser().parseFromString(t, "text/html");
            var why = doc.getElementById("error");
            showError(why ? why.textContent : "The server answered " + r.status + ".");
            button.disabled = false;
          });
        })
        .catch(function (err) { showError("Sending the file failed: " + err); button.disabled = false; });
    });
  }
  var progress = document.getElementById("progress");
  if (progress && progress.dataset.state === "running") {
    var id = progress.dataset.check;
    var bar = document.getElementById("progress-bar");
    var text = document.getElementById("progress-text");
    var elapsed = document.getElementById("elapsed");
    var poll = function () {
      fetch("/checks/" + encodeURIComponent(id) + "/status.json", { cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          elapsed.textContent = s.elapsed_secs.toFixed(1);
          if (s.state === "done" || s.state === "failed") { window.location.reload(); return; }
          if (s.state === "queued") {
            text.textContent = "Waiting for an earlier check to finish…";
          } else if (s.citations > 0) {
            bar.max = s.citations;
            bar.value = s.sources_done;
            text.textContent = "Looking up sources: " + s.sources_done + " of " + s.citations +
              " done, " + s.claims_done + " claims judged";
          }
          window.setTimeout(poll, 400);
        })
        .catch(function () { window.setTimeout(poll, 1000); });
    };
    window.setTimeout(poll, 200);
  }
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let page = error(StatusCode::NOT_FOUND, "<script>alert(1)</script>");
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("404 Not Found"));
    }

    #[test]
    fn the_form_states_its_limit() {
        assert!(index(8 << 20).contains("At most 8 MiB per draft"));
        assert!(index(700 << 10).contains("700 KiB"));
    }
}
