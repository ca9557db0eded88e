//! `phieu`: the command-line side of phieu. It runs natively on the same
//! `phieu-core` as the phone, so the server and the checker judge a form and
//! its answers exactly as the app does.

use phieu_cli::{check, eval, schema, serve, users};

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "phieu", version, about = "Offline-first survey and report forms: server and tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the built app and receive its submissions.
    Serve(serve::Options),
    /// Check form definitions; prints file:line:col: error|warning: path: message.
    Check {
        /// Form definition files (JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Evaluate an expression as a form would, and print its value as JSON.
    Eval(eval::Options),
    /// Manage accounts: add, list, revoke, password, link (see docs/office.md).
    Users(users::Options),
    /// Print the JSON Schema of the supported form format (committed as schema/form.schema.json).
    Schema,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve(opts) => match serve::run(opts) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("phieu serve: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Check { files } => check::run(&files),
        Command::Eval(opts) => eval::run(opts),
        Command::Schema => schema::run(),
        Command::Users(opts) => users::run(opts),
    }
}
