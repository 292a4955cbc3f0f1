//! Shell completions (clap_complete) and the man page (clap_mangen), both generated from the
//! clap definitions so they never drift from the flags.

use super::args::{Cli, CompletionsArgs, ManArgs};
use super::run::ExitStatus;
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::Write;

/// Prints the completion script for a shell.
pub fn completions(args: CompletionsArgs) -> Result<ExitStatus> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "citecheck", &mut out);
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(&out)
        .context("writing the completion script")?;
    lock.flush().context("writing the completion script")?;
    Ok(ExitStatus::Ok)
}

/// Examples for a page, by the page's name: the command line and what it does.
const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "citecheck",
        &[
            (
                "citecheck check draft.md",
                "check one article against the embedded corpus and read the report",
            ),
            (
                "citecheck check drafts/ --format sarif=report.sarif",
                "check a folder of drafts for CI and write SARIF",
            ),
            (
                "citecheck man --dir man/",
                "write one man page per command into man/",
            ),
        ],
    ),
    (
        "citecheck-check",
        &[
            (
                "citecheck check article.md",
                "the human report on stdout; exit 1 when a claim fails",
            ),
            (
                "citecheck check --search searxng --search-url http://127.0.0.1:8888 draft.md",
                "search the web through a SearXNG instance",
            ),
            (
                "citecheck check -f json -o report.json -f github drafts/*.md",
                "a JSON report in a file and GitHub annotations on stdout",
            ),
            (
                "citecheck check --store --exclude-domain example.com draft.html",
                "record the run in the history store and never use pages of example.com",
            ),
            (
                "citecheck check --fail-on contradicted --format short draft.md",
                "fail only on contradictions; one line per claim for editors",
            ),
        ],
    ),
    (
        "citecheck-extract",
        &[
            (
                "citecheck extract draft.md",
                "the citations and claims as JSON, no network",
            ),
            (
                "citecheck extract --format human draft.md",
                "the same for a person to read, with why each claim is bound",
            ),
        ],
    ),
    (
        "citecheck-page",
        &[
            (
                "citecheck page saved.html",
                "title, dates, origin and main text of a saved page",
            ),
            (
                "citecheck page --format human https://example.com/story",
                "fetch a page as check would and show what is read from it",
            ),
        ],
    ),
    (
        "citecheck-recheck",
        &[
            (
                "citecheck recheck --due",
                "fetch again the stored sources that are due, and report what changed",
            ),
            (
                "citecheck recheck --fail-on not_supported,contradicted,dead,retracted",
                "fail a scheduled job when a verdict changed to a failing one, or a source died \
                 or was retracted",
            ),
        ],
    ),
    (
        "citecheck-history",
        &[
            (
                "citecheck history draft.md",
                "the stored timeline of a document's runs",
            ),
            (
                "citecheck history https://example.com/story",
                "the stored snapshots of one source",
            ),
        ],
    ),
    (
        "citecheck-compare",
        &[
            (
                "citecheck compare --claim 'Exports fell 5%' --source page.html",
                "one claim against one saved page",
            ),
            (
                "citecheck compare --pairs pairs.jsonl -o verdicts.jsonl",
                "every {claim, source} pair of a JSON Lines file",
            ),
        ],
    ),
    (
        "citecheck-serve",
        &[
            (
                "citecheck serve",
                "open http://127.0.0.1:8750/ in a browser, paste a draft, read its report",
            ),
            (
                "citecheck serve --bind 127.0.0.1:9000 --corpus saved-pages/",
                "another port, and your own folder of saved pages",
            ),
        ],
    ),
    (
        "citecheck-eval",
        &[(
            "citecheck eval articles DIR --labels LABELS",
            "citations, bindings and check-worthiness against labelled articles",
        )],
    ),
    (
        "citecheck-config-show",
        &[(
            "citecheck config show",
            "every setting, its value and where it came from",
        )],
    ),
    (
        "citecheck-completions",
        &[(
            "citecheck completions bash > /etc/bash_completion.d/citecheck",
            "install bash completions",
        )],
    ),
];

/// What every page ends with: the exit codes, for the pages of commands that have them.
const EXIT_STATUS: &[(&str, &str)] = &[
    (
        "0",
        "every claim held (or no claim failed the --fail-on policy)",
    ),
    ("1", "a claim or a source failed the --fail-on policy"),
    (
        "2",
        "bad input, settings or usage; a store that could not be written",
    ),
];

/// Prints the man page of citecheck and then those of its subcommands, as roff; with
/// `--dir`, writes one page per command into that folder instead (`citecheck.1`,
/// `citecheck-check.1`, `citecheck-eval-fnc1.1`, ...), so every `citecheck-X(1)` a page names
/// exists.
pub fn man(args: ManArgs) -> Result<ExitStatus> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    collect_pages(&cmd, &mut pages);
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            for (name, page) in &pages {
                let path = dir.join(format!("{name}.1"));
                std::fs::write(&path, page)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            eprintln!(
                "citecheck: wrote {} man pages into {}",
                pages.len(),
                dir.display()
            );
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            for (i, (_, page)) in pages.iter().enumerate() {
                if i > 0 {
                    lock.write_all(b"\n").context("writing the man page")?;
                }
                lock.write_all(page).context("writing the man page")?;
            }
            lock.flush().context("writing the man page")?;
        }
    }
    Ok(ExitStatus::Ok)
}

/// Every visible command of the tree, parents first, with its rendered page.
fn collect_pages(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
    let name = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string();
    out.push((name.clone(), render_page(cmd, &name)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_pages(sub, out);
    }
}

/// One page: clap_mangen's sections, then EXAMPLES, EXIT STATUS and SEE ALSO of our own.
fn render_page(cmd: &clap::Command, name: &str) -> Vec<u8> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    let has_args = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_subcommands = cmd.get_subcommands().any(|s| !s.is_hide_set());
    // Rendering into memory cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    if has_args {
        let _ = man.render_options_section(&mut out);
    }
    if has_subcommands {
        let _ = man.render_subcommands_section(&mut out);
    }
    if let Some((_, examples)) = EXAMPLES.iter().find(|(page, _)| *page == name) {
        out.extend_from_slice(b".SH EXAMPLES\n");
        for (command, what) in *examples {
            out.extend_from_slice(
                format!(
                    ".TP\n\\fB{}\\fR\n{}\n",
                    roff_escape(command),
                    roff_escape(what)
                )
                .as_bytes(),
            );
        }
    }
    if matches!(name, "citecheck" | "citecheck-check" | "citecheck-recheck") {
        out.extend_from_slice(b".SH \"EXIT STATUS\"\n");
        for (code, what) in EXIT_STATUS {
            out.extend_from_slice(format!(".TP\n{code}\n{}\n", roff_escape(what)).as_bytes());
        }
    }
    let _ = man.render_version_section(&mut out);
    let mut see_also = vec!["citecheck(1)".to_string()];
    if name == "citecheck" {
        see_also = cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .filter_map(|s| s.get_display_name().map(|d| format!("{d}(1)")))
            .collect();
    }
    out.extend_from_slice(
        format!(".SH \"SEE ALSO\"\n{}\n", roff_escape(&see_also.join(", "))).as_bytes(),
    );
    out
}

/// Text made safe for a roff line: backslashes and hyphens escaped, and a leading `.` or `'`
/// (a control character) guarded.
fn roff_escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
