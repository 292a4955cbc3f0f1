//! Throughput of the pure stages on large inputs, with no network: loading and citation/claim
//! extraction of a 10 MB article, main-text extraction of a 2 MB page, and claim comparison.
//!
//! Run with `cargo bench --bench pipeline`; figures go to BENCHMARKS.md by hand with the date
//! and machine. A plain harness (no criterion) keeps CI's build small: each case runs a few
//! times and the best and median wall times are printed.

use citecheck::cite::registry::OutletRegistry;
use citecheck::model::{Claim, ClaimKind};
use std::time::{Duration, Instant};

fn time<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f());
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "{label:<52} best {:>9.2} ms   median {:>9.2} ms   ({runs} runs)",
        times[0].as_secs_f64() * 1e3,
        times[runs / 2].as_secs_f64() * 1e3
    );
}

fn fixture(path: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::read_to_string(format!("{root}/{path}")).expect("fixture exists")
}

fn main() {
    let registry = OutletRegistry::builtin();

    // A 10 MB Markdown article made of our own fixture articles, repeated.
    let unit = format!(
        "{}\n\n{}\n\n",
        fixture("fixtures/articles/port-inline-zh.md"),
        fixture("fixtures/articles/chipmaker-earnings.md")
    );
    let mut article = String::from("# Benchmark article\n\n");
    while article.len() < 10 * 1024 * 1024 {
        article.push_str(&unit);
    }
    let bytes = article.into_bytes();
    println!("article: {:.1} MB", bytes.len() as f64 / 1048576.0);
    time("load 10 MB Markdown article", 3, || {
        citecheck::document::parse("bench.md", &bytes, None).expect("parses")
    });
    let doc = citecheck::document::parse("bench.md", &bytes, None).expect("parses");
    time("citations of a 10 MB article", 3, || {
        citecheck::cite::citations(&doc, &registry)
    });
    let cites = citecheck::cite::citations(&doc, &registry);
    time("claims of a 10 MB article", 3, || {
        citecheck::claim::claims(&doc, &cites)
    });

    // A 2 MB page: a real-looking corpus page with its body repeated.
    let page = fixture("fixtures/corpus/tech.huanqiu.com/4EfWbC0eXyz.html");
    let (head, tail) = page.split_at(page.find("</p>").map_or(page.len() / 2, |i| i + 4));
    let paragraph = "<p>美国商务部于10月17日公布了更新后的先进计算芯片出口管制规则，英伟达可能丢掉价值超过50亿美元的订单。</p>\n";
    let mut big = String::from(head);
    while big.len() < 2 * 1024 * 1024 {
        big.push_str(paragraph);
    }
    big.push_str(tail);
    println!("page: {:.1} MB", big.len() as f64 / 1048576.0);
    time("extract main text of a 2 MB page", 5, || {
        citecheck::extract::extract_page(&big, "https://tech.huanqiu.com/article/x")
    });

    // Comparing one claim with a typical source page.
    let source = citecheck::extract::extract_page(&page, "https://tech.huanqiu.com/article/x");
    let claim = Claim {
        id: "k1".into(),
        kind: ClaimKind::Title,
        text: "英伟达正式宣布:停止接受中国新订单!".into(),
        line: 1,
        column: 1,
        cited: vec!["c1".into()],
        binding: None,
    };
    time("compare one claim with one page (x1000)", 3, || {
        for _ in 0..1000 {
            std::hint::black_box(citecheck::compare::best_evidence(&claim, &source, "c1"));
        }
    });
}
