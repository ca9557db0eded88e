//! `phieu check`: the same loader the app uses, with compiler-style output so
//! editors and CI can jump to the line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Reads a form definition with the lists it names (`choicesByUrl`), each
/// a file at its path relative to the form's file: what the phone fetches
/// beside the form's address. `phieu serve` checks reports with the same.
pub fn load_form(file: &Path, source: &str) -> phieu_core::Loaded {
    let first = phieu_core::load(source);
    if first.lists.is_empty() {
        return first;
    }
    let dir = file.parent().unwrap_or(Path::new("."));
    // Without a byte-order mark, as a browser's `Response.text()` gives it: the same text, the same version.
    let read = |a: &String| std::fs::read_to_string(dir.join(a)).map(|t| t.trim_start_matches('\u{feff}').to_string());
    let lists: Vec<phieu_core::read::List> =
        first.lists.iter().map(|a| (a.clone(), read(a).map_err(|e| format!("{}: {e}", dir.join(a).display())))).collect();
    phieu_core::load_with(source, &lists)
}

pub fn run(files: &[PathBuf]) -> ExitCode {
    let (mut errors, mut warnings) = (0, 0);
    for file in files {
        let name = file.display();
        let source = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                println!("{name}: error: cannot read the file: {e}");
                errors += 1;
                continue;
            }
        };
        for d in load_form(file, &source).diagnostics {
            if d.is_error() {
                errors += 1;
            } else {
                warnings += 1;
            }
            println!("{name}:{d}");
        }
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    eprintln!("checked {}: {}, {}", plural(files.len(), "file"), plural(errors, "error"), plural(warnings, "warning"));
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
