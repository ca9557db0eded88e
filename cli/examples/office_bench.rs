//! The office's reads under a full database (issue 12), driven by
//! `bench/office.sh`: fills a database through phieu's own store (100,000
//! reports from 10 units, a fifth of them answered; one collaborator with
//! 1,000 reports, each answered, and 100 announcements for it among 200), then times requests against a
//! `phieu serve` on 127.0.0.1, one at a time, and prints percentiles.
//!
//!   office_bench fill DB            # prints the admin's and the collaborator's tokens
//!   office_bench time URL ADMIN COLLABORATOR [ROUNDS]

use phieu_cli::store::{Location, Role, Store};
use serde_json::json;
use std::time::{Duration, Instant};

const REPORTS: usize = 100_000;
const UNITS: usize = 10;
const MINE: usize = 1_000;
const ANNOUNCEMENTS: usize = 100;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("fill") => fill(&Location::parse(&args[2])),
        Some("time") => time(&args[2], &args[3], &args[4], args.get(5).and_then(|n| n.parse().ok()).unwrap_or(200)),
        _ => {
            eprintln!("usage: office_bench fill DB | office_bench time URL ADMIN_TOKEN COLLABORATOR_TOKEN [ROUNDS]");
            std::process::exit(2);
        }
    }
}

fn fill(db: &Location) {
    let t = Instant::now();
    let mut s = Store::open(db).expect("the database");
    let now = "2026-11-30T00:00:00.000Z";
    let (admin, admin_token) = s.add_account("bench-admin", Role::Admin, None, now).unwrap();
    let collaborators: Vec<_> =
        (0..UNITS).map(|u| s.add_account(&format!("ctv-{u}"), Role::Collaborator, Some(&format!("unit-{u}")), now).unwrap()).collect();
    let (me, my_token) = s.add_account("ctv-me", Role::Collaborator, Some("unit-0"), now).unwrap();
    let opinions = ["Đường ngập sau mưa", "Rác thải ùn ứ ở chợ", "Giá điện tăng", "Tiếng ồn công trình ban đêm", "Hà Đông thiếu chỗ đỗ xe"];
    for i in 0..REPORTS {
        let (by, unit) = if i % (REPORTS / MINE) == 0 { (&me, 0) } else { (&collaborators[i % UNITS].0, i % UNITS) };
        let id = format!("00000000-0000-4000-8000-{i:012}");
        let day = 1 + i % 28;
        let body = json!({
            "id": id, "form": {"id": "phan-anh-du-luan", "version": "1"},
            "startedAt": "2026-11-26T01:00:00.000Z", "completedAt": "2026-11-26T01:05:00.000Z",
            "answers": {"district": format!("unit-{unit}"), "channels": ["zalo", "facebook"], "opinion": format!("{} ({i})", opinions[i % opinions.len()]), "urgent": i % 7 == 0},
            "meta": {"locale": "vi", "appVersion": "bench"}
        });
        let received_at = format!("2026-11-{day:02}T03:00:00.000Z");
        let report = phieu_cli::store::Arrival {
            id: &id,
            form_id: "phan-anh-du-luan",
            form_version: "1",
            body: &body,
            received_at: &received_at,
            by: Some(by),
        };
        s.insert(&report).unwrap();
        // A fifth of the others' reports and every one of mine get an answer.
        if std::ptr::eq(by, &me) || i % 5 == 1 {
            s.set_status(&id, None, Some(if i % 2 == 0 { "answered" } else { "received" }), Some("Đã chuyển phường xử lý."), &admin, now)
                .unwrap();
        }
    }
    // Half to everyone, half to my unit, and as many again to other units.
    for a in 0..ANNOUNCEMENTS * 2 {
        let unit = match a % 4 {
            0 => None,
            1 => Some("unit-0".to_string()),
            _ => Some(format!("unit-{}", 1 + a % (UNITS - 1))),
        };
        s.announce("announcement", &format!("Thông báo {a}"), "Nội dung", unit.as_deref(), &admin, now).unwrap();
    }
    eprintln!("filled {REPORTS} reports in {:.1} s", t.elapsed().as_secs_f64());
    println!("admin: {admin_token}");
    println!("collaborator: {my_token}");
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(30))).build().into()
}

/// Times `rounds` GETs of one path (after a few to warm up): p50, p95, max, bytes.
fn measure(agent: &ureq::Agent, url: &str, token: &str, rounds: usize) -> (Duration, Duration, Duration, usize) {
    let mut times = Vec::with_capacity(rounds);
    let mut bytes = 0;
    for i in 0..rounds + 5 {
        let t = Instant::now();
        let mut res = agent.get(url).header("authorization", format!("Bearer {token}")).call().expect("an answer");
        assert_eq!(res.status().as_u16(), 200, "{url}");
        bytes = res.body_mut().with_config().limit(1 << 30).read_to_vec().unwrap().len();
        if i >= 5 {
            times.push(t.elapsed());
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1).min(times.len() - 1)];
    (at(0.5), at(0.95), *times.last().unwrap(), bytes)
}

fn time(base: &str, admin: &str, me: &str, rounds: usize) {
    let agent = agent();
    let cases: &[(&str, &str, &str)] = &[
        ("office list, first page (100, newest first)", "/api/submissions", admin),
        ("office list, filtered page (status=answered, unit=unit-6)", "/api/submissions?status=answered&unit=unit-6", admin),
        ("office list, a filter nothing matches (status=answered, unit=unit-3)", "/api/submissions?status=answered&unit=unit-3", admin),
        (
            "office list, filtered page (form, since, status=received)",
            "/api/submissions?form=phan-anh-du-luan&since=2026-11-20T00:00:00Z&status=received",
            admin,
        ),
        ("office list, search q=cho (\"chợ\", 1 in 5 match)", "/api/submissions?q=cho", admin),
        ("office list, search q=ha dong (1 in 5 match)", "/api/submissions?q=ha%20dong", admin),
        ("office list, search of a rare word (q=00000099999)", "/api/submissions?q=99999", admin),
        ("feed of a collaborator, first page (100)", "/api/feed", me),
        ("feed of a collaborator, everything (limit=500, from 0)", "/api/feed?limit=500", me),
        ("feed of a collaborator, up to date (since the end)", "/api/feed?since=999999999", me),
    ];
    println!("| request | p50 ms | p95 ms | max ms | bytes |");
    println!("|---|---:|---:|---:|---:|");
    for (what, path, token) in cases {
        let (p50, p95, max, bytes) = measure(&agent, &format!("{base}{path}"), token, rounds);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!("| {what} | {:.1} | {:.1} | {:.1} | {bytes} |", ms(p50), ms(p95), ms(max));
    }
}
