//! `phieu eval`: evaluates an expression exactly as the app would, for
//! authors trying out a condition and for the differential test against
//! SurveyJS (`--batch`).

use phieu_core::expr::{self, Clock};
use serde_json::{json, Map, Value};
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Options {
    /// The expression, e.g. "{age} >= 18 and {district} = 'ba-dinh'".
    #[arg(required_unless_present = "batch")]
    expression: Option<String>,
    /// The answers, as a JSON object.
    #[arg(long, default_value = "{}")]
    values: String,
    /// The moment to evaluate at (RFC 3339); default: now.
    #[arg(long)]
    now: Option<String>,
    /// Local time's offset from UTC in minutes (Vietnam: 420); default 0.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    utc_offset: f64,
    /// Read JSON lines {"expr", "values", "now"} on stdin; write {"value"} or {"error"} per line.
    #[arg(long)]
    batch: bool,
}

pub fn run(opts: Options) -> ExitCode {
    let system_now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64);
    let clock_at = |now: Option<&str>| -> Result<Clock, String> {
        let now_ms = match now {
            None => system_now,
            Some(text) => {
                let t = phieu_core::expr::date_parse(text, &Clock::default());
                if t.is_nan() {
                    return Err(format!("--now '{text}' is not a date-time like 2026-11-26T10:00:00Z"));
                }
                t
            }
        };
        Ok(Clock { now_ms, utc_offset_min: opts.utc_offset })
    };
    if opts.batch {
        return batch(&clock_at);
    }
    let text = opts.expression.unwrap_or_default();
    let values: Map<String, Value> = match serde_json::from_str(&opts.values) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("phieu eval: --values must be a JSON object: {e}");
            return ExitCode::from(2);
        }
    };
    let clock = match clock_at(opts.now.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("phieu eval: {e}");
            return ExitCode::from(2);
        }
    };
    match expr::parse(&text) {
        Ok(e) => {
            println!("{}", expr::evaluate(&e, &values, &clock).to_json());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {}", err.message);
            eprintln!("  {text}");
            eprintln!("  {}^", " ".repeat(err.column.saturating_sub(1)));
            ExitCode::FAILURE
        }
    }
}

fn batch(clock_at: &dyn Fn(Option<&str>) -> Result<Clock, String>) -> ExitCode {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = one(&line, clock_at);
        if writeln!(out, "{answer}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

fn one(line: &str, clock_at: &dyn Fn(Option<&str>) -> Result<Clock, String>) -> Value {
    let input: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return json!({ "error": format!("the line is not JSON: {e}") }),
    };
    let Some(text) = input.get("expr").and_then(Value::as_str) else {
        return json!({ "error": "the line has no \"expr\" string" });
    };
    let empty = Map::new();
    let values = match input.get("values") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => return json!({ "error": "\"values\" must be an object" }),
    };
    let clock = match clock_at(input.get("now").and_then(Value::as_str)) {
        Ok(c) => c,
        Err(e) => return json!({ "error": e }),
    };
    match expr::parse(text) {
        Ok(e) => json!({ "value": expr::evaluate(&e, values, &clock).to_json() }),
        Err(err) => json!({ "error": err.to_string() }),
    }
}
