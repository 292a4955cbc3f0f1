//! `citecheck man --dir DIR` (issue 18): one page per command, each with examples where the
//! command has them, every `citecheck-X(1)` a page names written too, and every page read
//! without a warning by groff, the formatter `man` uses (with preconv for UTF-8, as `man` does).

mod support;

use std::collections::BTreeSet;
use std::process::Command;
use support::{citecheck, describe};

fn pages() -> (tempfile::TempDir, BTreeSet<String>) {
    let dir = tempfile::tempdir().unwrap();
    let out = citecheck()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let names = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    (dir, names)
}

#[test]
fn every_command_has_its_page_and_every_page_named_exists() {
    let (dir, names) = pages();
    for page in [
        "citecheck.1",
        "citecheck-check.1",
        "citecheck-extract.1",
        "citecheck-page.1",
        "citecheck-recheck.1",
        "citecheck-history.1",
        "citecheck-compare.1",
        "citecheck-man.1",
        "citecheck-config.1",
        "citecheck-config-show.1",
        "citecheck-eval.1",
        "citecheck-eval-articles.1",
    ] {
        assert!(names.contains(page), "{page} missing from {names:?}");
    }
    let reference = regex::Regex::new(r"(citecheck(?:\\-[a-z0-9]+)*)\(1\)").unwrap();
    for name in &names {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.contains(".TH "), "{name} has no title");
        for c in reference.captures_iter(&text) {
            let target = format!("{}.1", c[1].replace("\\-", "-"));
            assert!(
                names.contains(&target),
                "{name} names {target}, which was not written"
            );
        }
    }
    let check = std::fs::read_to_string(dir.path().join("citecheck-check.1")).unwrap();
    assert!(check.contains(".SH EXAMPLES"), "{check}");
    assert!(
        check.contains("\\fBcitecheck check article.md\\fR"),
        "{check}"
    );
    assert!(check.contains(".SH \"EXIT STATUS\""), "{check}");
    assert!(check.contains("\\-\\-exclude\\-domain"), "{check}");
}

#[test]
fn groff_reads_every_page_without_a_warning() {
    if Command::new("groff").arg("--version").output().is_err() {
        eprintln!("skipped: groff is not installed");
        return;
    }
    let (dir, names) = pages();
    for name in &names {
        let out = Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.path().join(name))
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {out:?}");
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(warnings.trim().is_empty(), "{name}: {warnings}");
    }
}
