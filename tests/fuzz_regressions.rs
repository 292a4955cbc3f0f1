//! Replays the fuzz targets' checks (`fuzz/checks.rs`, the very functions `cargo fuzz` runs) on
//! the seed corpus (`fuzz/corpus/<target>/`) and on every input a fuzzer ever crashed on
//! (`fixtures/fuzz-regressions/<target>/`, kept after the fix), so a crash found once stays
//! fixed in the ordinary test suite; and a target's minimised corpus where one is kept
//! (`fixtures/fuzz-regressions/<target>.hex`, one input per line).

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::PathBuf;

fn replay(target: &str, check: fn(&[u8])) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut replayed = 0;
    for dir in [
        root.join("fuzz/corpus").join(target),
        root.join("fixtures/fuzz-regressions").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).expect("read fuzz input");
            eprintln!("{target}: {}", file.display());
            check(&bytes);
            replayed += 1;
        }
    }
    // A target's minimised corpus, packed one input per line as hex (`<target>.hex`).
    if let Ok(text) =
        std::fs::read_to_string(root.join(format!("fixtures/fuzz-regressions/{target}.hex")))
    {
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let bytes = unhex(line).unwrap_or_else(|| panic!("{target}.hex:{}: not hex", n + 1));
            check(&bytes);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no inputs for {target}");
}

/// `"6869"` -> `b"hi"`; `None` for an odd length or a character that is not a hex digit.
fn unhex(line: &str) -> Option<Vec<u8>> {
    let digits = line.trim().as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

#[test]
fn load_document() {
    replay("load_document", checks::load_document);
}

#[test]
fn citations_claims() {
    replay("citations_claims", checks::citations_claims);
}

#[test]
fn page_extract() {
    replay("page_extract", checks::page_extract);
}

#[test]
fn json_report() {
    replay("json_report", checks::json_report);
}

#[test]
fn sarif_report() {
    replay("sarif_report", checks::sarif_report);
}

#[test]
fn config_file() {
    replay("config_file", checks::config_file);
}

#[test]
fn pairs_input() {
    replay("pairs_input", checks::pairs_input);
}

#[test]
fn provider_answer() {
    replay("provider_answer", checks::provider_answer);
}
