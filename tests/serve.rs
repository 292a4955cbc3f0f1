//! `citecheck serve` end to end: the binary listens on 127.0.0.1 with the embedded corpus.
//!
//! Over plain HTTP: a pasted form and an uploaded file in a legacy charset are checked and
//! give the founding article's verdict; a body over `--max-body-bytes` gets 413 before the
//! draft is read; a request for another host name (DNS rebinding) gets 421 and a form posted
//! from another site's page gets 403; an empty draft, an unknown check and a bad `--bind` get
//! clear errors.
//!
//! In headless Chromium, driven over the DevTools protocol (`--remote-debugging-pipe`, through
//! two FIFOs, so no socket is opened for it): the form loads, the founding article is pasted into
//! the draft box (`Input.insertText`, what a paste does), the button is pressed, the check's
//! page shows the title's verdict and the HTML report in its frame, and the JSON and SARIF
//! downloads parse. Then a GBK file is chosen in the file input and checked the same way. Every request the browser makes goes to the server, and the page logs no
//! error. When no browser can be started the browser test says so and checks nothing else.

mod support;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::{browser, citecheck, citecheck_command, repo_root};

/// A running `citecheck serve`, stopped when dropped.
struct Served {
    child: Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(extra: &[&str]) -> Served {
    let mut child = citecheck_command()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start citecheck serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("serve printed where it listens");
    let addr = line
        .trim()
        .strip_prefix("citecheck serve: listening on http://")
        .and_then(|r| r.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    Served { child, addr }
}

/// One HTTP/1.1 request (`Connection: close`); gives the status, the headers and the body.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer before the whole body is sent (413): a failed write is fine.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP answer: {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    (status, head, raw[split + 4..].to_vec())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish().into_bytes()
}

fn founding_article() -> String {
    std::fs::read_to_string(repo_root().join("fixtures/articles/nvidia-china-orders.txt"))
        .expect("the founding article fixture")
}

/// Polls a check's status until it ends; gives the last status.
fn wait_done(addr: &str, location: &str) -> Value {
    let started = Instant::now();
    loop {
        let (status, _, body) = request(addr, "GET", &format!("{location}/status.json"), &[], b"");
        assert_eq!(status, 200);
        let v: Value = serde_json::from_slice(&body).expect("status JSON");
        if v["state"] == "done" || v["state"] == "failed" {
            return v;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the check did not end: {v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn submit(addr: &str, headers: &[(&str, &str)], path: &str, body: &[u8]) -> String {
    let (status, head, body) = request(addr, "POST", path, headers, body);
    assert_eq!(status, 303, "{head}\n{}", String::from_utf8_lossy(&body));
    header(&head, "location").expect("a Location").to_string()
}

#[test]
fn a_pasted_draft_and_an_uploaded_file_are_checked_with_their_reports() {
    let server = serve(&[]);
    let addr = server.addr.as_str();
    let (status, head, body) = request(addr, "GET", "/", &[], b"");
    assert_eq!(status, 200);
    let page = String::from_utf8(body).unwrap();
    assert!(
        page.contains("<textarea id=\"draft\" name=\"text\""),
        "{page}"
    );
    assert!(
        header(&head, "content-security-policy").is_some_and(|c| c.contains("default-src 'none'"))
    );

    // Pasted, as the form without script sends it.
    let article = founding_article();
    let location = submit(
        addr,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "/checks",
        &form(&[("text", &article), ("format", "auto")]),
    );
    assert!(location.starts_with("/checks/1-"), "{location}");
    let done = wait_done(addr, &location);
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["title_verdict"], "not_supported", "{done}");
    assert_eq!(done["citations"], 3, "{done}");
    assert_eq!(done["sources_done"], 3, "{done}");
    assert!(done["failing"].as_u64().unwrap() >= 1, "{done}");

    let (status, _, body) = request(addr, "GET", &location, &[], b"");
    assert_eq!(status, 200);
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("data-verdict=\"not_supported\""), "{page}");
    assert!(page.contains("英伟达正式宣布"), "{page}");

    let (status, head, json) = request(addr, "GET", &format!("{location}/report.json"), &[], b"");
    assert_eq!(status, 200);
    assert!(header(&head, "content-disposition").is_some_and(|d| d.contains("attachment")));
    let report: Value = serde_json::from_slice(&json).expect("JSON report");
    assert_eq!(report["schema"], "citecheck.report.v1");
    let doc = &report["documents"][0];
    support::assert_seed_citations(doc);
    support::assert_seed_title_claim(doc);

    let (status, _, sarif) = request(addr, "GET", &format!("{location}/report.sarif"), &[], b"");
    assert_eq!(status, 200);
    let sarif: Value = serde_json::from_slice(&sarif).expect("SARIF");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    let (status, _, html) = request(addr, "GET", &format!("{location}/report.html"), &[], b"");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&html).contains("data-ready"));

    // Uploaded as a file's own bytes, in GBK: the server decodes it as `check` would.
    let (gbk, _, _) = encoding_rs::GBK.encode(&article);
    let location = submit(
        addr,
        &[("Content-Type", "application/octet-stream")],
        "/checks?name=%E7%A8%BF%E4%BB%B6.txt&format=auto",
        &gbk,
    );
    let done = wait_done(addr, &location);
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["name"], "稿件.txt");
    assert_eq!(done["title_verdict"], "not_supported", "{done}");
}

#[test]
fn requests_outside_the_limits_are_refused_with_the_reason() {
    let server = serve(&["--max-body-bytes", "2048"]);
    let addr = server.addr.as_str();
    // Over the body limit: refused from its declared length, before it is read.
    let big = form(&[("text", &"据新华社报道，港口吞吐量增长。".repeat(100))]);
    let (status, _, body) = request(
        addr,
        "POST",
        "/checks",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &big,
    );
    assert_eq!(status, 413);
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains("at most 2048 bytes (serve.max_body_bytes)"),
        "{text}"
    );
    // Another host name pointing here (DNS rebinding) is not served.
    let (status, _, _) = request(addr, "GET", "/", &[("Host", "evil.example:80")], b"");
    assert_eq!(status, 421);
    // A form posted from another site's page is refused.
    let (status, _, body) = request(
        addr,
        "POST",
        "/checks",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "https://evil.example"),
        ],
        &form(&[("text", "据新华社报道，港口吞吐量增长。")]),
    );
    assert_eq!(status, 403);
    assert!(String::from_utf8_lossy(&body).contains("https://evil.example"));
    // An empty draft, and a format nobody knows.
    let (status, _, body) = request(
        addr,
        "POST",
        "/checks",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form(&[("text", "  \n "), ("format", "auto")]),
    );
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&body).contains("the draft is empty"));
    let (status, _, body) = request(
        addr,
        "POST",
        "/checks?format=pdf",
        &[("Content-Type", "application/octet-stream")],
        b"some text",
    );
    assert_eq!(status, 422);
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("unknown format &quot;pdf&quot;"), "{text}");
    // A binary upload is a failed check with the reason `check` gives.
    let location = submit(
        addr,
        &[("Content-Type", "application/octet-stream")],
        "/checks?name=photo.txt",
        &[0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 7, 8],
    );
    let done = wait_done(addr, &location);
    assert_eq!(done["state"], "failed", "{done}");
    assert!(
        done["error"].as_str().unwrap().contains("photo.txt"),
        "{done}"
    );
    // Unknown checks and pages.
    let (status, _, _) = request(addr, "GET", "/checks/99-000000000000", &[], b"");
    assert_eq!(status, 404);
    let (status, head, _) = request(addr, "DELETE", "/checks", &[], b"");
    assert_eq!(status, 405);
    assert!(header(&head, "allow").is_some());
}

#[test]
fn a_bad_bind_address_is_a_usage_error_naming_the_setting() {
    let out = citecheck()
        .args(["serve", "--bind", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", support::describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--bind / serve.bind"), "{err}");
    let out = citecheck()
        .args(["serve", "--max-body-bytes", "10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", support::describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("max-body-bytes"));
}

// ---- the browser --------------------------------------------------------------------------

/// A browser driven over the DevTools protocol on a pipe: messages are JSON, each ended by a
/// NUL byte, commands on the browser's fd 3 and answers and events on its fd 4.
struct Browser {
    child: Child,
    to_browser: std::fs::File,
    from_browser: mpsc::Receiver<Value>,
    next_id: u64,
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn start(bin: &Path) -> Option<Browser> {
        let profile = tempfile::tempdir().ok()?;
        let to = profile.path().join("to-browser");
        let from = profile.path().join("from-browser");
        let made = Command::new("mkfifo").arg(&to).arg(&from).status().ok()?;
        if !made.success() {
            return None;
        }
        let child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<\"$TO_BROWSER\" 4>\"$FROM_BROWSER\"")
            .arg(bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-pipe",
            ])
            .arg(format!(
                "--user-data-dir={}",
                profile.path().join("p").display()
            ))
            .arg("about:blank")
            .env("TO_BROWSER", &to)
            .env("FROM_BROWSER", &from)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        // Opening a FIFO waits for its other end: these return once the browser has both.
        let (opened_tx, opened_rx) = mpsc::channel();
        let (to_path, from_path) = (to.clone(), from.clone());
        std::thread::spawn(move || {
            let writer = std::fs::OpenOptions::new().write(true).open(&to_path);
            let reader = std::fs::File::open(&from_path);
            let _ = opened_tx.send((writer, reader));
        });
        let Ok((Ok(to_browser), Ok(reader))) = opened_rx.recv_timeout(Duration::from_secs(30))
        else {
            return None;
        };
        let (tx, from_browser) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(reader);
            loop {
                let mut message = Vec::new();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                message.pop();
                if let Ok(v) = serde_json::from_slice::<Value>(&message) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
            }
        });
        Some(Browser {
            child,
            to_browser,
            from_browser,
            next_id: 0,
            events: Vec::new(),
            _profile: profile,
        })
    }

    /// Sends one command (to the page's session when given) and waits for its answer.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        self.to_browser
            .write_all(&bytes)
            .expect("write to the browser");
        self.to_browser.flush().unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .from_browser
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no answer from the browser to {method}"));
            if v["id"] == json!(id) {
                if let Some(e) = v.get("error") {
                    panic!("{method} failed: {e}");
                }
                return v["result"].clone();
            }
            self.events.push(v);
        }
    }

    /// Evaluates `expression` in the page (awaiting a promise) and gives its value.
    fn eval(&mut self, session: &str, expression: &str) -> Value {
        let r = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{expression}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Evaluates `expression` until it gives something other than null or false.
    fn wait_for(&mut self, session: &str, expression: &str, what: &str) -> Value {
        let started = Instant::now();
        loop {
            let v = self.eval(session, expression);
            if !v.is_null() && v != json!(false) {
                return v;
            }
            if started.elapsed() > Duration::from_secs(90) {
                let at = self.eval(
                    session,
                    "location.href + '\\n' + (document.body ? document.body.innerText : '')",
                );
                panic!("waited 90 s for {what}; the page: {at}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn an_editor_pastes_the_founding_article_and_reads_its_verdict_in_chromium() {
    let Some(bin) = browser() else {
        eprintln!("no Chromium found (set CITECHECK_CHROMIUM): the browser test checks nothing");
        return;
    };
    let Some(mut b) = Browser::start(&bin) else {
        eprintln!(
            "Chromium at {} did not start: the browser test checks nothing",
            bin.display()
        );
        return;
    };
    let server = serve(&[]);
    let origin = format!("http://{}", server.addr);
    let target = b.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
    let target_id = target["targetId"].as_str().expect("a target").to_string();
    let attached = b.call(
        None,
        "Target.attachToTarget",
        json!({ "targetId": target_id, "flatten": true }),
    );
    let session = attached["sessionId"]
        .as_str()
        .expect("a session")
        .to_string();
    let s = session.as_str();
    b.call(Some(s), "Network.enable", json!({}));
    b.call(Some(s), "Runtime.enable", json!({}));
    b.call(Some(s), "Log.enable", json!({}));
    b.call(
        Some(s),
        "Page.navigate",
        json!({ "url": format!("{origin}/") }),
    );
    b.wait_for(
        s,
        "document.readyState === 'complete' && !!document.getElementById('draft')",
        "the form",
    );

    // The paste: the draft box gets the article as one inserted text, as from the clipboard.
    let article = founding_article();
    b.eval(s, "document.getElementById('draft').focus()");
    b.call(Some(s), "Input.insertText", json!({ "text": article }));
    let pasted = b.eval(s, "document.getElementById('draft').value");
    assert_eq!(
        pasted.as_str().map(|t| t.replace("\r\n", "\n")),
        Some(article.replace("\r\n", "\n")),
        "the draft box holds the article"
    );
    b.eval(s, "document.getElementById('check').click()");

    let verdict = b.wait_for(
        s,
        "(() => { const t = document.getElementById('title-verdict'); \
         const e = document.getElementById('check-error') || document.getElementById('error'); \
         return t ? t.dataset.verdict : (e ? 'error: ' + e.textContent : null); })()",
        "the title's verdict",
    );
    assert_eq!(verdict, json!("not_supported"));
    let shown = b.eval(s, "document.getElementById('title-verdict').textContent");
    let shown = shown.as_str().unwrap_or("");
    assert!(
        shown.contains("英伟达正式宣布") && shown.contains("not supported"),
        "{shown}"
    );
    let outcome = b.eval(s, "document.getElementById('outcome').textContent");
    assert!(
        outcome.as_str().is_some_and(|o| o.contains("fail")),
        "{outcome}"
    );
    // The same HTML report as `check --format html`, in the frame, with its script run. While
    // the frame navigates, its document can exist without a root element or a body yet.
    b.wait_for(
        s,
        "(() => { const d = document.getElementById('report').contentDocument; \
         return !!d && !!d.documentElement && !!d.body \
         && d.documentElement.getAttribute('data-ready') === '1' \
         && d.body.innerText.includes('英伟达'); })()",
        "the report in its frame",
    );
    // The downloads, fetched as the links would.
    let schema = b.eval(
        s,
        "fetch(document.getElementById('download-json').href).then(r => r.json()).then(j => j.schema)",
    );
    assert_eq!(schema, json!("citecheck.report.v1"));
    let version = b.eval(
        s,
        "fetch(document.getElementById('download-sarif').href).then(r => r.json()).then(j => j.version)",
    );
    assert_eq!(version, json!("2.1.0"));

    // An uploaded file in GBK, chosen in the file input: the script sends its own bytes.
    let upload_dir = tempfile::tempdir().unwrap();
    let upload = upload_dir.path().join("稿件-gbk.txt");
    std::fs::write(&upload, encoding_rs::GBK.encode(&article).0).unwrap();
    b.call(
        Some(s),
        "Page.navigate",
        json!({ "url": format!("{origin}/") }),
    );
    b.wait_for(
        s,
        "document.readyState === 'complete' && !!document.getElementById('file')",
        "the form again",
    );
    let input = b.call(
        Some(s),
        "Runtime.evaluate",
        json!({ "expression": "document.getElementById('file')" }),
    );
    let object_id = input["result"]["objectId"]
        .as_str()
        .expect("the file input");
    b.call(
        Some(s),
        "DOM.setFileInputFiles",
        json!({ "files": [upload.display().to_string()], "objectId": object_id }),
    );
    let chosen = b.eval(s, "document.getElementById('file-name').textContent");
    assert!(
        chosen.as_str().is_some_and(|c| c.contains("稿件-gbk.txt")),
        "{chosen}"
    );
    b.eval(s, "document.getElementById('check').click()");
    let verdict = b.wait_for(
        s,
        "(() => { const t = document.getElementById('title-verdict'); \
         const e = document.getElementById('check-error') || document.getElementById('error') \
         || document.getElementById('form-error'); \
         return t ? t.dataset.verdict : (e && !e.hidden && e.textContent ? 'error: ' + e.textContent : null); })()",
        "the uploaded file's verdict",
    );
    assert_eq!(verdict, json!("not_supported"));

    // Nothing left the server: every request went to it, and nothing was logged as an error.
    let mut off_site = Vec::new();
    let mut errors = Vec::new();
    for e in &b.events {
        match e["method"].as_str() {
            Some("Network.requestWillBeSent") => {
                let url = e["params"]["request"]["url"].as_str().unwrap_or("");
                if !url.starts_with(&origin) && !url.starts_with("data:") && url != "about:blank" {
                    off_site.push(url.to_string());
                }
            }
            Some("Log.entryAdded") if e["params"]["entry"]["level"] == "error" => {
                errors.push(e["params"]["entry"].to_string())
            }
            Some("Runtime.exceptionThrown") => errors.push(e["params"].to_string()),
            Some("Runtime.consoleAPICalled") if e["params"]["type"] == "error" => {
                errors.push(e["params"].to_string())
            }
            _ => {}
        }
    }
    assert!(off_site.is_empty(), "requests off the server: {off_site:?}");
    assert!(errors.is_empty(), "the page logged errors: {errors:#?}");
}
