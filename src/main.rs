//! The `citecheck` binary: all the work is in the library's `cli` module.

fn main() -> std::process::ExitCode {
    let status = citecheck::cli::main_with(std::env::args_os().collect());
    std::process::ExitCode::from(status as u8)
}
