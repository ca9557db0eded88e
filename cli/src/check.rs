//! `phieu check`: the same loader the app uses, with compiler-style output so
//! editors and CI can jump to the line.

use std::path::PathBuf;
use std::process::ExitCode;

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
        for d in phieu_core::load(&source).diagnostics {
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
