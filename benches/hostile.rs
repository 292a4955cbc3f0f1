//! Peak memory and time of the binary on hostile inputs at their caps (issue 17): a one-line
//! text at the 20 MiB input cap (with and without attributions), an HTML page and an HTML article
//! at the cap,
//! a page nested 100,000 levels deep, an article with 4,000 citations, and special files.
//!
//! `cargo bench --bench hostile` builds nothing itself: it runs `target/release/citecheck`
//! (build it first with `cargo build --release`). Peak RSS is read from `/usr/bin/time -f %M`
//! when it is installed, else from the child's `VmHWM` sampled every 2 ms. The inputs are
//! written into a temporary folder; nothing touches the network (`--offline`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The release binary next to this bench's target folder.
fn binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("release").join("citecheck")
}

/// A small deterministic generator, so every run measures the same bytes.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        words[(self.0 >> 33) as usize % words.len()]
    }
}

/// Just under `run.max_input_bytes`' default (20 MiB): the largest input a command accepts.
/// The generators stop one word or paragraph short of it.
const AT_CAP: usize = 20 * 1024 * 1024 - 200;

fn one_line(path: &Path, words: &[&str], bytes: usize) {
    let mut rng = Lcg(7);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut n = 0;
    while n < bytes {
        let w = rng.pick(words);
        write!(out, "{w} ").unwrap();
        n += w.len() + 1;
    }
}

fn inputs(dir: &Path) -> Vec<(String, Vec<String>)> {
    let attributed = dir.join("line-attributed.txt");
    one_line(
        &attributed,
        &[
            "据新华社报道",
            "港口",
            "吞吐量",
            "增长",
            "12%",
            "宁波",
            "the",
            "port",
            "said",
            "on",
            "Monday",
            "that",
            "volumes",
            "rose",
        ],
        AT_CAP,
    );
    let plain = dir.join("line-plain.txt");
    one_line(
        &plain,
        &[
            "the",
            "port",
            "said",
            "on",
            "Monday",
            "that",
            "container",
            "volumes",
            "rose",
            "sharply",
            "in",
            "first",
            "quarter",
            "while",
            "exports",
            "of",
            "cars",
            "fell",
        ],
        AT_CAP,
    );
    // One line of short sentences, each with its own attribution: ~210,000 citations and as
    // many claims, each bound to its sentence's citation.
    let sentences = dir.join("line-sentences.txt");
    {
        let unit = "据新华社报道，今年一季度全国规模以上工业增加值同比增长百分之六点一。";
        let count = AT_CAP / unit.len();
        std::fs::write(&sentences, unit.repeat(count)).unwrap();
    }
    let page = dir.join("page.html");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&page).unwrap());
        write!(
            out,
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Port volumes</title></head>\
             <body><nav><a href='/'>Home</a></nav><article><h1>Port volumes rise</h1>"
        )
        .unwrap();
        let mut n = 0;
        let mut i = 0;
        while n < AT_CAP - 200 {
            let p = format!(
                "<p>Paragraph {i}: the port said on Monday that container volumes rose {}% in \
                 the first quarter, officials said.</p>\n",
                i % 97
            );
            n += p.len();
            out.write_all(p.as_bytes()).unwrap();
            i += 1;
        }
        write!(out, "</article><footer>(c) News</footer></body></html>").unwrap();
    }
    let deep = dir.join("deep.html");
    std::fs::write(
        &deep,
        format!(
            "<html><body>{}<p>Deep text, the port said volumes rose.</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    )
    .unwrap();
    let cites = dir.join("cites-4000.md");
    let mut text = String::from("# Port report\n\n");
    for i in 0..4000 {
        text.push_str(&format!(
            "Volumes rose {}% in quarter {i}, according to Reuters.\n\n",
            i % 50
        ));
    }
    std::fs::write(&cites, text).unwrap();
    let s = |p: &Path| p.display().to_string();
    let offline = |p: &Path| vec!["check".into(), "--offline".into(), "-q".into(), s(p)];
    vec![
        (
            "extract, 20 MiB one line, attributions".into(),
            vec!["extract".into(), s(&attributed)],
        ),
        (
            "check, 20 MiB one line, attributions".into(),
            offline(&attributed),
        ),
        (
            "extract, 20 MiB one line, an attribution in every sentence".into(),
            vec!["extract".into(), s(&sentences)],
        ),
        (
            "extract, 20 MiB one line, no attribution".into(),
            vec!["extract".into(), s(&plain)],
        ),
        (
            "check, 20 MiB one line, no attribution".into(),
            offline(&plain),
        ),
        ("page, 20 MiB HTML".into(), vec!["page".into(), s(&page)]),
        (
            "check, 20 MiB HTML article (180,000 paragraphs)".into(),
            offline(&page),
        ),
        (
            "page, 100,000 nested <div>".into(),
            vec!["page".into(), s(&deep)],
        ),
        ("check, 100,000 nested <div>".into(), offline(&deep)),
        ("check, 4,000 citations".into(), offline(&cites)),
        (
            "extract, 4,000 citations".into(),
            vec!["extract".into(), s(&cites)],
        ),
        (
            "check /dev/zero".into(),
            vec!["check".into(), "--offline".into(), "/dev/zero".into()],
        ),
        (
            "page /dev/zero".into(),
            vec!["page".into(), "/dev/zero".into()],
        ),
    ]
}

/// Runs one command; returns (exit code, peak RSS in KB, wall time).
fn measure(bin: &Path, args: &[String]) -> (Option<i32>, u64, Duration) {
    let started = Instant::now();
    if Path::new("/usr/bin/time").exists() {
        let out = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("PEAK_KB=%M")
            .arg(bin)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("run /usr/bin/time");
        let elapsed = started.elapsed();
        let err = String::from_utf8_lossy(&out.stderr);
        let kb = err
            .lines()
            .filter_map(|l| l.strip_prefix("PEAK_KB="))
            .filter_map(|v| v.trim().parse().ok())
            .next_back()
            .unwrap_or(0);
        return (out.status.code(), kb, elapsed);
    }
    let mut child = Command::new(bin)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run citecheck");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            {
                peak = kb;
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            return (status.code(), peak, started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn main() {
    let bin = binary();
    if !bin.exists() {
        eprintln!(
            "{} is missing: run cargo build --release first",
            bin.display()
        );
        std::process::exit(1);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    println!("| input | exit | peak RSS | wall |");
    println!("|---|---|---|---|");
    for (name, args) in inputs(dir.path()) {
        let (code, kb, wall) = measure(&bin, &args);
        println!(
            "| {name} | {} | {:.0} MB | {:.2} s |",
            code.map_or("signal".to_string(), |c| c.to_string()),
            kb as f64 / 1024.0,
            wall.as_secs_f64()
        );
    }
}
