//! Throughput of the comparison engine on the 49,972 FNC-1 training pairs: each body prepared
//! once, every pair judged by the one judge (relevance, retrieval, features, combiner, flags), on
//! all cores.
//!
//! `CITECHECK_FNC1=../shared/data/fnc1 cargo bench --bench compare`. Without the variable it
//! times 49,972 pairs built from the repository's own fixture pages instead, so the bench
//! always runs. The Python reference with rapidfuzz is `benches/compare_reference.py`.

use citecheck::eval::fnc1;
use std::time::Instant;

fn main() {
    let data = match std::env::var_os("CITECHECK_FNC1") {
        Some(dir) => fnc1::load(std::path::Path::new(&dir)).expect("FNC-1 folder readable"),
        None => synthetic(),
    };
    let judge = citecheck::judge::Judge::shipped();
    for run in 0..3 {
        let start = Instant::now();
        let pages = fnc1::pages(&data);
        let judged = fnc1::judge_all(&data, &pages, judge);
        let secs = start.elapsed().as_secs_f64();
        std::hint::black_box(&judged);
        println!(
            "run {run}: {} pairs ({} bodies) judged in {secs:.2}s = {:.0} pairs/s on {} threads",
            judged.len(),
            data.bodies.len(),
            judged.len() as f64 / secs,
            rayon::current_num_threads()
        );
    }
}

/// Pairs from our own fixture articles: every sentence of each page against other pages.
fn synthetic() -> fnc1::Fnc1 {
    let root = env!("CARGO_MANIFEST_DIR");
    let texts: Vec<String> = [
        "fixtures/articles/port-inline-zh.md",
        "fixtures/articles/chipmaker-earnings.md",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(format!("{root}/{p}")).expect("fixture exists"))
    .collect();
    let mut data = fnc1::Fnc1 {
        bodies: texts.clone(),
        pairs: Vec::new(),
    };
    let lines: Vec<String> = texts
        .iter()
        .flat_map(|t| t.lines().filter(|l| l.len() > 20).map(str::to_string))
        .collect();
    let mut i = 0usize;
    while data.pairs.len() < 49_972 {
        data.pairs.push(fnc1::StancePair {
            headline: lines[i % lines.len()].clone(),
            body: i % data.bodies.len(),
            body_id: (i % data.bodies.len()).to_string(),
            stance: 3,
        });
        i += 1;
    }
    data
}
