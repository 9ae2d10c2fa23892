//! The `corridor` command: parse the command line, run, map errors to exit codes.
//!
//! The command line belongs to the binary; the library (`corridor`) knows nothing of it.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
