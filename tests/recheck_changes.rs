//! `check --store` then `recheck` against a local news site whose pages change between runs:
//! a headline edited (with a figure in the text), a page removed, a correction added, a
//! redirect to the home page, content moved to a new URL. Days pass through `--now`.

#[path = "support/newsroom.rs"]
mod newsroom;
mod support;

use newsroom::{article, home, Site, ARCHIVE};
use std::path::Path;
use support::{citecheck, describe, parse_report, Response, TestServer};

const BUDGET: &str = "http://news.example.test/2024/05/12/council-budget";
const BRIDGE: &str = "http://news.example.test/2024/05/12/bridge-closure";
const LIBRARY: &str = "http://news.example.test/2024/05/12/library-hours";
const PARK: &str = "http://news.example.test/2024/05/12/park-festival";
const TRAM: &str = "http://news.example.test/2024/05/12/tram-line";
const TRAM_NEW: &str = "http://news.example.test/archive/2024/tram-line";

fn budget(amount: &str, title: &str) -> String {
    article(
        title,
        "2024-05-12",
        &[
            &format!("The city council approved a budget of {amount} for road repairs on Monday."),
            "The vote was seven to two after a long debate about priorities.",
            "Work on the first streets is expected to begin in early summer.",
        ],
    )
}

fn bridge() -> String {
    article(
        "Old bridge closes for repairs",
        "2024-05-12",
        &[
            "The old river bridge will close for six weeks of repairs starting in June.",
            "Drivers are advised to use the northern ring road during the closure.",
        ],
    )
}

fn library(correction: bool) -> String {
    let mut p = vec![
        "The central library will open on Sundays from next month.",
        "The change follows a petition signed by four thousand residents.",
    ];
    if correction {
        p.push(
            "Correction: an earlier version of this article gave the wrong number of signatures.",
        );
    }
    article("Library to open on Sundays", "2024-05-12", &p)
}

fn park() -> String {
    article(
        "Park festival draws record crowds",
        "2024-05-12",
        &[
            "The spring festival in the city park drew a record crowd of twenty thousand visitors.",
            "Organisers plan to extend the festival to three days next year.",
        ],
    )
}

fn tram() -> String {
    article(
        "New tram line opens in the east",
        "2024-05-12",
        &[
            "The new eastern tram line opened on Saturday with eleven stops.",
            "Trams will run every eight minutes during the day.",
        ],
    )
}

const ARTICLE: &str = "# City news roundup\n\n\
The city council approved a budget of 5 million euros for road repairs ([Council approves road budget](http://news.example.test/2024/05/12/council-budget)).\n\n\
The old river bridge will close for six weeks of repairs ([Old bridge closes for repairs](http://news.example.test/2024/05/12/bridge-closure)).\n\n\
The central library will open on Sundays from next month ([Library to open on Sundays](http://news.example.test/2024/05/12/library-hours)).\n\n\
The spring festival drew a record crowd of twenty thousand visitors ([Park festival draws record crowds](http://news.example.test/2024/05/12/park-festival)).\n\n\
The new eastern tram line opened with eleven stops ([New tram line opens in the east](http://news.example.test/2024/05/12/tram-line)).\n";

fn run(args: &[&str], proxy: &TestServer) -> serde_json::Value {
    let output = citecheck()
        .args(args)
        .arg("--proxy")
        .arg(proxy.url())
        .arg("--format")
        .arg("json")
        .output()
        .expect("run citecheck");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        describe(&output)
    );
    parse_report(&output.stdout)
}

fn recheck(store: &Path, now: &str, proxy: &TestServer) -> serde_json::Value {
    recheck_with(store, now, proxy, &[])
}

/// `recheck` with more arguments (more `--format FORMAT=PATH`), its JSON report on stdout.
fn recheck_with(store: &Path, now: &str, proxy: &TestServer, more: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "recheck",
        "--store",
        store.to_str().unwrap(),
        "--now",
        now,
        "--wayback-url",
        ARCHIVE,
        "--host-interval-ms",
        "0",
    ];
    args.extend_from_slice(more);
    run(&args, proxy)
}

/// Every other format of the recheck that changed the budget claim's verdict shows that change.
fn check_change_in_every_format(dir: &Path, new_verdict: &str) {
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let fails = matches!(new_verdict, "not_supported" | "contradicted");
    // The budget claim is on line 3 of the article.
    let sarif: serde_json::Value = serde_json::from_str(&read("r.sarif")).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "change/verdict_changed" && r["properties"]["source"] == BUDGET)
        .unwrap_or_else(|| panic!("no change result in SARIF: {sarif:#}"));
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(result["properties"]["old"], "supported");
    assert_eq!(result["level"], if fails { "error" } else { "note" });
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let i = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[i]["id"], "change/verdict_changed");

    let xml = read("r.xml");
    let doc = roxmltree::Document::parse(&xml).expect("JUnit is XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite") && n.attribute("name") == Some("verdict changes"))
        .unwrap_or_else(|| panic!("no verdict changes suite: {xml}"));
    let case = suite
        .children()
        .find(|n| {
            n.has_tag_name("testcase")
                && n.attribute("name")
                    .is_some_and(|name| name.contains(" line 3: "))
        })
        .expect("a case for the budget claim");
    assert_eq!(
        case.children().any(|n| n.has_tag_name("failure")),
        fails,
        "{xml}"
    );

    let md = read("r.md");
    assert!(md.contains("#### Verdict changes"), "{md}");
    assert!(md.contains("council-budget"), "{md}");
    let gh = read("r.github");
    let line = gh
        .lines()
        .find(|l| l.contains("verdict changed") && l.contains("council-budget"))
        .unwrap_or_else(|| panic!("no annotation: {gh}"));
    assert!(
        line.starts_with(if fails { "::error " } else { "::notice " }),
        "{line}"
    );
    assert!(line.contains(",line=3,"), "{line}");
    let html = read("r.html");
    assert!(html.contains("Verdict changes (") && html.contains("council-budget"));
    let events: Vec<serde_json::Value> = read("r.ndjson")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let event = events
        .iter()
        .find(|e| e["event"] == "verdict_changed" && e["source"] == BUDGET)
        .expect("a verdict_changed event");
    assert_eq!(event["new"], new_verdict);
    assert_eq!(events.last().unwrap()["event"], "end");
    let cq: serde_json::Value = serde_json::from_str(&read("r.codequality.json")).unwrap();
    assert_eq!(
        cq.as_array()
            .unwrap()
            .iter()
            .any(|i| i["check_name"] == "citecheck/verdict_changed"),
        fails,
        "{cq:#}"
    );
    let human = read("r.txt");
    assert!(human.contains("verdict changed"), "{human}");
}

fn source<'a>(report: &'a serde_json::Value, url: &str) -> &'a serde_json::Value {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["url"] == url)
        .unwrap_or_else(|| panic!("no source {url} in {report:#}"))
}

fn classes(s: &serde_json::Value) -> Vec<String> {
    s["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn recheck_detects_each_change() {
    let site = Site::default();
    site.set(
        BUDGET,
        Response::html(budget("5 million euros", "Council approves road budget")),
    );
    site.set(
        BRIDGE,
        Response::html(bridge())
            .header("ETag", "\"bridge-v1\"")
            .header("Last-Modified", "Wed, 01 May 2024 08:00:00 GMT"),
    );
    site.set(LIBRARY, Response::html(library(false)));
    site.set(PARK, Response::html(park()));
    site.set(TRAM, Response::html(tram()));
    site.set("http://news.example.test/", Response::html(home()));
    let proxy = TestServer::start(site.handler());
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("roundup.md");
    std::fs::write(&doc, ARTICLE).unwrap();
    let store = dir.path().join("store.sqlite");
    let store_flag = format!("--store={}", store.display());

    let report = run(
        &[
            "check",
            &store_flag,
            "--now",
            "2024-06-01",
            doc.to_str().unwrap(),
        ],
        &proxy,
    );
    let verdicts: Vec<&str> = report["documents"][0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert!(verdicts.contains(&"supported"), "{report:#}");

    // A first recheck a week later: nothing changed.
    let first = recheck(&store, "2024-06-08", &proxy);
    for url in [BUDGET, BRIDGE, LIBRARY, PARK, TRAM] {
        assert_eq!(source(&first, url)["class"], "unchanged", "{first:#}");
    }
    assert_eq!(first["events"].as_array().unwrap().len(), 0);
    // The headers that matter are kept with each snapshot, from `check` and from `recheck`.
    let conn = rusqlite::Connection::open(&store).unwrap();
    let headers: Vec<(Option<String>, Option<String>)> = conn
        .prepare(
            "SELECT etag, last_modified FROM snapshots WHERE source_url LIKE '%bridge-closure'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(headers.len() >= 2, "{headers:?}");
    for (etag, last_modified) in &headers {
        assert_eq!(etag.as_deref(), Some("\"bridge-v1\""), "{headers:?}");
        assert_eq!(
            last_modified.as_deref(),
            Some("Wed, 01 May 2024 08:00:00 GMT"),
            "{headers:?}"
        );
    }

    // The site changes.
    site.set(
        BUDGET,
        Response::html(budget("3 million euros", "Council trims road budget")),
    );
    site.remove(BRIDGE);
    site.set(LIBRARY, Response::html(library(true)));
    site.set(PARK, Response::redirect(302, "http://news.example.test/"));
    site.set(TRAM, Response::redirect(301, TRAM_NEW));
    site.set(TRAM_NEW, Response::html(tram()));

    let out = dir.path().join("formats");
    std::fs::create_dir(&out).unwrap();
    let spec = |f: &str, name: &str| format!("{f}={}", out.join(name).display());
    let formats = [
        spec("sarif", "r.sarif"),
        spec("junit", "r.xml"),
        spec("markdown", "r.md"),
        spec("github", "r.github"),
        spec("html", "r.html"),
        spec("ndjson", "r.ndjson"),
        spec("codequality", "r.codequality.json"),
        spec("human", "r.txt"),
    ];
    let mut more = Vec::new();
    for f in &formats {
        more.extend(["--format", f.as_str()]);
    }
    let second = recheck_with(&store, "2024-06-15", &proxy, &more);
    let b = source(&second, BUDGET);
    assert_eq!(
        classes(b),
        ["headline_changed", "text_changed"],
        "{second:#}"
    );
    assert_eq!(b["new_title"], "Council trims road budget");
    assert!(b["removed"][0].as_str().unwrap().contains("5 million"));
    assert!(b["added"][0].as_str().unwrap().contains("3 million"));
    assert_eq!(
        source(&second, BRIDGE)["class"],
        "failing",
        "a first 404 is not conclusive"
    );
    let l = source(&second, LIBRARY);
    assert_eq!(l["class"], "corrected", "{second:#}");
    assert!(l["notice"].as_str().unwrap().starts_with("Correction:"));
    assert_eq!(source(&second, PARK)["class"], "soft_404");
    let t = source(&second, TRAM);
    assert_eq!(classes(t), ["moved"], "{second:#}");
    assert_eq!(t["new_url"], TRAM_NEW);

    // The budget claim's figure no longer matches: a verdict change event.
    let events = second["events"].as_array().unwrap();
    let budget_event = events
        .iter()
        .find(|e| e["source"] == BUDGET)
        .unwrap_or_else(|| panic!("no verdict change for the budget: {second:#}"));
    assert_eq!(budget_event["kind"], "verdict_changed");
    assert_eq!(budget_event["old"], "supported");
    assert_ne!(budget_event["new"], "supported");
    assert_eq!(budget_event["line"], 3);
    check_change_in_every_format(&out, budget_event["new"].as_str().unwrap());
    // The soft 404 is verified against the archived copy, which still supports the claim.
    let p = source(&second, PARK);
    assert!(
        p["archived_url"].as_str().unwrap().starts_with(ARCHIVE),
        "{second:#}"
    );

    // The removed page: failures three days apart confirm it dead, then the archive is used.
    let third = recheck(&store, "2024-06-18", &proxy);
    assert_eq!(source(&third, BRIDGE)["class"], "failing");
    assert_eq!(source(&third, BRIDGE)["failures"], 2);
    let early = recheck(&store, "2024-06-19", &proxy);
    assert_eq!(
        source(&early, BRIDGE)["class"],
        "failing",
        "failures a day apart count once"
    );
    let fourth = recheck(&store, "2024-06-21", &proxy);
    let dead = source(&fourth, BRIDGE);
    assert_eq!(dead["class"], "dead", "{fourth:#}");
    assert_eq!(dead["failures"], 3);
    let archived = dead["archived_url"].as_str().unwrap();
    assert!(
        archived.starts_with(&format!("{ARCHIVE}/web/20240512")),
        "{archived}"
    );

    // The timeline of the budget source and of the document.
    let output = citecheck()
        .args(["history", "--store", store.to_str().unwrap(), BUDGET])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("headline_changed"), "{text}");
    assert!(text.contains("2024-06-15"), "{text}");
    let output = citecheck()
        .args([
            "history",
            "--store",
            store.to_str().unwrap(),
            "--format",
            "json",
            doc.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    let v = parse_report(&output.stdout);
    let entries = v["timeline"]["entries"].as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["kind"] == "verdict_changed"),
        "{v:#}"
    );

    // Due policy: right after a recheck nothing live is due; failing sources are due sooner.
    let due = run(
        &[
            "recheck",
            "--store",
            store.to_str().unwrap(),
            "--now",
            "2024-06-22",
            "--due",
            "--wayback-url",
            "",
        ],
        &proxy,
    );
    assert_eq!(due["sources"].as_array().unwrap().len(), 0, "{due:#}");
    let due = run(
        &[
            "recheck",
            "--store",
            store.to_str().unwrap(),
            "--now",
            "2024-06-25",
            "--due",
            "--wayback-url",
            "",
        ],
        &proxy,
    );
    let urls: Vec<&str> = due["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&PARK) && !urls.contains(&TRAM), "{urls:?}");
}

#[test]
fn unknown_history_subject_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.sqlite");
    let history = || {
        citecheck()
            .args([
                "history",
                "--store",
                store.to_str().unwrap(),
                "http://nowhere.example.test/",
            ])
            .output()
            .unwrap()
    };
    let output = history();
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let err = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(
        err.contains("no store at") && err.contains("s.sqlite"),
        "{err}"
    );
    assert!(!store.exists(), "history must not create a store");

    // A real store that has never seen the subject.
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "据新华社报道，港口很忙。\n").unwrap();
    let record = citecheck()
        .args([
            "check",
            "--offline",
            "-q",
            "--store",
            store.to_str().unwrap(),
        ])
        .arg(&article)
        .output()
        .unwrap();
    assert!(store.is_file(), "{}", describe(&record));
    let output = history();
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("neither a recorded source"),
        "{}",
        describe(&output)
    );
}
