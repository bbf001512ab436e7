//! The `accord` binary: parses the command line and reports errors.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = accord::cli::Cli::parse();
    match accord::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
