//! The soak driver of `bench/soak.sh`: mixed traffic against one `phieu serve`
//! on loopback for a bounded time, then a check that every acknowledged
//! report is stored exactly once, and the server's memory over the run.
//!
//!     soak URL SERVER_PID SECONDS
//!
//! Traffic, all at once: 4 senders posting new reports (one in ten a resend
//! of one of their earlier ids, which must answer 200), a lister paging
//! through `/api/submissions` and taking the CSV now and then, and slow
//! clients: half a header, a body that stops, a CSV export never read.
//! Only 127.0.0.1 is accepted as a target. Prints `RESULT {json}`.

use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, pid, seconds] = args.as_slice() else {
        eprintln!("usage: soak URL SERVER_PID SECONDS");
        std::process::exit(2);
    };
    let Some(addr) = url.strip_prefix("http://127.0.0.1:").map(|p| format!("127.0.0.1:{}", p.trim_end_matches('/'))) else {
        eprintln!("soak: only http://127.0.0.1:PORT is accepted as a target");
        std::process::exit(2);
    };
    let pid: u32 = pid.parse().expect("SERVER_PID");
    let duration = Duration::from_secs(seconds.parse().expect("SECONDS"));
    let base = format!("http://{addr}");
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let counts: Arc<HashMap<&'static str, AtomicU64>> = Arc::new(
        ["new", "duplicate", "busy", "other", "lists", "pages", "csv", "slow_closed", "stalled_body_408", "unread_csv"]
            .into_iter()
            .map(|k| (k, AtomicU64::new(0)))
            .collect(),
    );
    let count = |c: &HashMap<&str, AtomicU64>, k: &str| c[k].fetch_add(1, Ordering::Relaxed);
    let mut threads = Vec::new();

    for sender in 0..4 {
        let (base, stop, acked, counts) = (base.clone(), stop.clone(), acked.clone(), counts.clone());
        threads.push(std::thread::spawn(move || {
            let agent = agent();
            let mut mine: Vec<(String, String)> = Vec::new();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // At most 50 a second each: a busy day for a district, and a
                // table that still lists in seconds after 10 minutes.
                std::thread::sleep(Duration::from_millis(20));
                n += 1;
                let resend = n.is_multiple_of(10) && !mine.is_empty();
                let (id, body) = if resend {
                    mine[(n as usize / 10) % mine.len()].clone()
                } else {
                    let id = format!("soak-{sender}-{n}");
                    (id.clone(), report(&id, n).to_string())
                };
                let res = agent
                    .post(format!("{base}/api/submissions"))
                    .header("content-type", "application/json")
                    .header("idempotency-key", &id)
                    .send(body.as_str());
                match res.map(|r| r.status().as_u16()) {
                    Ok(201) if !resend => {
                        count(&counts, "new");
                        acked.lock().unwrap().insert(id.clone(), body.clone());
                        mine.push((id, body));
                    }
                    Ok(200) if resend => {
                        count(&counts, "duplicate");
                    }
                    Ok(503) | Err(_) => {
                        count(&counts, "busy");
                        std::thread::sleep(Duration::from_millis(200));
                    }
                    Ok(s) => {
                        count(&counts, "other");
                        eprintln!("soak: {id} answered {s} (resend: {resend})");
                    }
                }
            }
        }));
    }

    {
        let (base, stop, counts) = (base.clone(), stop.clone(), counts.clone());
        threads.push(std::thread::spawn(move || {
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                let pages = list_all(&base, 500, &stop);
                counts["pages"].fetch_add(pages.1, Ordering::Relaxed);
                count(&counts, "lists");
                if round.is_multiple_of(5) {
                    let csv = agent().get(format!("{base}/api/submissions.csv?form=soak")).header("authorization", bearer()).call();
                    if let Ok(mut r) = csv {
                        let _ = r.body_mut().with_config().limit(1 << 30).read_to_vec();
                        count(&counts, "csv");
                    }
                }
            }
        }));
    }

    {
        let (addr, stop, counts) = (addr.clone(), stop.clone(), counts.clone());
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                // Half a header each: the server must close them.
                let held: Vec<TcpStream> = (0..16)
                    .filter_map(|_| {
                        let mut c = TcpStream::connect(&addr).ok()?;
                        c.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n").ok()?;
                        c.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
                        Some(c)
                    })
                    .collect();
                // A body that stops half way: 408.
                if let Ok(mut c) = TcpStream::connect(&addr) {
                    let _ = c.write_all(
                        b"POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 800\r\n\r\n{\"id\":",
                    );
                    let _ = c.set_read_timeout(Some(Duration::from_secs(30)));
                    let mut buf = [0u8; 64];
                    if c.read(&mut buf).is_ok_and(|n| buf[..n].starts_with(b"HTTP/1.1 408")) {
                        count(&counts, "stalled_body_408");
                    }
                }
                // A CSV export asked for and never read.
                if let Ok(mut c) = TcpStream::connect(&addr) {
                    let request = format!("GET /api/submissions.csv?form=soak HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\n\r\n", bearer());
                    let _ = c.write_all(request.as_bytes());
                    count(&counts, "unread_csv");
                    std::thread::sleep(Duration::from_secs(2));
                    drop(c);
                }
                for mut c in held {
                    let mut buf = [0u8; 64];
                    if c.read(&mut buf).is_ok() {
                        count(&counts, "slow_closed");
                    }
                }
            }
        }));
    }

    // Memory every 5 s.
    let started = Instant::now();
    let mut rss: Vec<(u64, u64)> = Vec::new();
    while started.elapsed() < duration {
        rss.push((started.elapsed().as_secs(), rss_kib(pid)));
        std::thread::sleep(Duration::from_secs(5).min(duration.saturating_sub(started.elapsed())));
    }
    rss.push((started.elapsed().as_secs(), rss_kib(pid)));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }

    // Everything acknowledged is there, once, as sent.
    let (rows, _) = list_all(&base, 1000, &AtomicBool::new(false));
    let acked = acked.lock().unwrap();
    let mut seen = HashSet::new();
    let mut duplicates = 0;
    let mut changed = 0;
    for r in &rows {
        let id = r["submission"]["id"].as_str().unwrap_or("").to_string();
        if !seen.insert(id.clone()) {
            duplicates += 1;
        }
        if let Some(sent) = acked.get(&id) {
            if serde_json::from_str::<Value>(sent).ok().as_ref() != Some(&r["submission"]) {
                changed += 1;
            }
        }
    }
    let lost = acked.keys().filter(|id| !seen.contains(*id)).count();
    let warm = rss.iter().find(|(t, _)| *t >= duration.as_secs() / 10).map_or(rss[0].1, |s| s.1);
    let peak = rss.iter().map(|s| s.1).max().unwrap_or(0);
    let last = rss.last().map_or(0, |s| s.1);
    let c = |k: &str| counts[k].load(Ordering::Relaxed);
    let result = json!({
        "seconds": started.elapsed().as_secs(),
        "acknowledged": acked.len(), "rows": rows.len(), "lost": lost, "duplicates": duplicates, "changed": changed,
        "new": c("new"), "resends_answered_duplicate": c("duplicate"), "busy_or_error_retried": c("busy"), "other_status": c("other"),
        "listings": c("lists"), "pages": c("pages"), "csv_exports": c("csv"),
        "slow_headers_closed": c("slow_closed"), "stalled_bodies_408": c("stalled_body_408"), "unread_csv": c("unread_csv"),
        "rss_kib": {"first": rss[0].1, "after_warm_up": warm, "peak": peak, "last": last},
        "rss_samples": rss,
    });
    println!("RESULT {result}");
    let flat = last <= warm + warm / 2 + 16 * 1024;
    if lost > 0 || duplicates > 0 || changed > 0 || c("other") > 0 || !flat {
        eprintln!("soak: FAILED (lost {lost}, duplicates {duplicates}, changed {changed}, other {}, rss flat {flat})", c("other"));
        std::process::exit(1);
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(60))).build().into()
}

/// The credential that reads: an admin's token, from PHIEU_ADMIN_TOKEN (bench/soak.sh makes the account).
fn bearer() -> String {
    format!("Bearer {}", std::env::var("PHIEU_ADMIN_TOKEN").unwrap_or_default())
}

/// Every row, page by page; and how many pages.
fn list_all(base: &str, limit: usize, stop: &AtomicBool) -> (Vec<Value>, u64) {
    let agent = agent();
    let (mut rows, mut pages, mut cursor) = (Vec::new(), 0, String::new());
    loop {
        let url = format!("{base}/api/submissions?order=oldest&limit={limit}{cursor}");
        let Ok(mut res) = agent.get(&url).header("authorization", bearer()).call() else { return (rows, pages) };
        let Ok(page) = res.body_mut().with_config().limit(1 << 30).read_json::<Value>() else { return (rows, pages) };
        pages += 1;
        rows.extend(page["submissions"].as_array().cloned().unwrap_or_default());
        match page["next"].as_str() {
            Some(next) if !stop.load(Ordering::Relaxed) => cursor = format!("&cursor={next}"),
            _ => return (rows, pages),
        }
    }
}

fn report(id: &str, n: u64) -> Value {
    let district = ["ba-dinh", "ha-dong", "tay-ho"][n as usize % 3];
    json!({
        "id": id,
        "form": {"id": "soak", "version": "1"},
        "startedAt": "2026-11-26T01:00:00.000Z",
        "completedAt": "2026-11-26T01:05:00.000Z",
        "answers": {
            "district": district,
            "people": n % 97, "ratio": (n % 7) as f64 / 4.0,
            "opinion": "Người dân phản ánh việc thu gom rác thải không đúng giờ; đề nghị điều chỉnh lịch. \"=1+1\"",
            "channels": ["zalo", "facebook"]
        },
        "meta": {"locale": "vi", "appVersion": "0.1.0"}
    })
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse().ok()).unwrap_or(0)
}
