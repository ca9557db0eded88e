#!/usr/bin/env bash
# Benchmark: `phieu serve` ingest throughput and latency under wrk on
# loopback, with SQLite in WAL mode, side by side in one run with peers that
# leave parts out (HTTP alone; HTTP + JSON without the store; SQLite alone in
# a Python loop). Prints a table; not a test. See bench/README.md.
#   bench/ingest.sh                                  # 20 s per scenario, 2 threads, 32 connections
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${BENCH_SECONDS:-20}"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-32}"
dup_pct="${BENCH_DUP_PCT:-10}"

if ! command -v wrk >/dev/null; then
  apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
fi
cargo build -q --profile server -p phieu-cli

work=$(mktemp -d)
mkdir "$work/dist"   # empty: only the API is served
server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT

# Starts a server on a fresh database; sets $port.
start_server() {
  local db="$1" line=""
  target/server/phieu serve --addr 127.0.0.1:0 --db "$db" --dist "$work/dist" --allow-anonymous >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 200); do
    line=$(head -n1 "$work/server.out" 2>/dev/null || true)
    [[ $line == "phieu serve: listening on http://127.0.0.1:"* ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; exit 1; }
    sleep 0.05
  done
  [[ $line == *listening* ]] || { echo "phieu serve did not start" >&2; cat "$work/server.err" >&2; exit 1; }
  port=${line#phieu serve: listening on http://127.0.0.1:}
  port=${port%% *}
}

rows_in() {
  python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM submissions").fetchone()[0])' "$1"
}

load_before=$(cut -d' ' -f1 /proc/loadavg)
nonce=$(( $(date +%s) % 65536 ))
# run SLUG NAME MODE: one wrk run against a fresh server and database; the rows are
# counted in the database file after the server has stopped.
run() {
  local slug="$1" name="$2" mode="$3" db="$work/$1.db" result rows
  start_server "$db"
  echo "== $name: wrk -t$threads -c$connections -d${seconds}s --latency -s bench/ingest/post.lua http://127.0.0.1:$port -- $mode $dup_pct $nonce" >&2
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/ingest/post.lua \
    "http://127.0.0.1:$port" -- "$mode" "$dup_pct" "$nonce" >"$work/$slug.wrk"
  stop_server
  result=$(sed -n 's/^RESULT //p' "$work/$slug.wrk")
  [ -n "$result" ] || { cat "$work/$slug.wrk" >&2; exit 1; }
  rows=$(rows_in "$db")
  echo "{\"name\": \"$name\", \"mode\": \"$mode\", \"rows\": $rows, \"db_bytes\": $(du -cb "$db"* | tail -1 | cut -f1), \"wrk\": $result}" >>"$work/results.jsonl"
}

run health "GET /api/health" health
run reject "POST, 400 before the store" reject
run new "POST, every id new" new
run dup "POST, ${dup_pct}% resent" dup
py_seconds=$(( seconds / 4 > 3 ? seconds / 4 : 3 ))
echo "== SQLite alone: python3 bench/ingest/sqlite_baseline.py, ${py_seconds}s, then ${py_seconds}s with 32 inserts per transaction" >&2
for per_tx in 1 32; do
  r=$(python3 bench/ingest/sqlite_baseline.py "$work/py$per_tx.db" "$py_seconds" "$per_tx" | sed -n 's/^RESULT //p')
  echo "{\"name\": \"sqlite3 in Python, $per_tx/tx\", \"mode\": \"python\", \"rows\": $(rows_in "$work/py$per_tx.db"), \"wrk\": $r}" >>"$work/results.jsonl"
done

status=0
python3 - "$work/results.jsonl" <<'EOF' || status=1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
wrong = False
print()
print(f"{'scenario':<30}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}  rows stored / distinct ids sent")
for r in rows:
    w = r["wrk"]
    if r["mode"] == "health":
        errors, stored = w["socket_errors"] + w["non2xx"], "-"
    elif r["mode"] == "reject":
        # 400 is the expected answer here; anything else is an error.
        errors = w["socket_errors"] + w["st201"] + w["st200"] + w["other"]
        stored = f"{r['rows']} (none expected)"
    elif r["mode"] == "python":
        errors = 0
        stored = f"{r['rows']} / {w['distinct_ids']} " + ("ok" if r["rows"] == w["distinct_ids"] else "WRONG")
    else:
        errors = w["socket_errors"] + w["non2xx"]
        # Every id answered 201 must be stored, and nothing else but the ids
        # still in flight when wrk stopped (the server may or may not have
        # stored those before wrk's sockets closed).
        answered = w["st201"] + w["st200"] + w["st400"] + w["other"]
        ok = w["st201"] <= r["rows"] <= w["distinct_ids"] and r["rows"] - w["st201"] <= w["sent"] - answered
        stored = f"{r['rows']} / {w['distinct_ids']} " + ("ok" if ok else "WRONG")
    wrong = wrong or "WRONG" in stored
    print(f"{r['name']:<30}{w['rps']:>9.0f}{w['p50_ms']:>9.2f}{w['p99_ms']:>9.2f}{errors:>8}  {stored}")
print()
for r in rows:
    w = r["wrk"]
    if r["mode"] in ("new", "dup"):
        answered = w["st201"] + w["st200"] + w["st400"] + w["other"]
        print(f"{r['name']}: sent {w['sent']} ({w['resent']} resends of an earlier id), answered 201 stored {w['st201']}, "
              f"200 duplicate {w['st200']}, other {w['st400'] + w['other']}; {w['sent'] - answered} in flight when wrk stopped, "
              f"{r['rows'] - w['st201']} of them stored; "
              f"bodies {w['body_bytes'] / max(1, w['sent']):.0f} B on average; p90 {w['p90_ms']:.2f} ms, max {w['max_ms']:.1f} ms; "
              f"database + WAL {r['db_bytes'] / 1e6:.0f} MB")
    elif r["mode"] == "python":
        print(f"{r['name']}: {w['requests']} inserts of {w['bytes']} B bodies, SQLite {w['sqlite']}; req/s counts time inside transactions only; latency per insert")
target = 2000
for r in rows:
    if r["mode"] in ("new", "dup"):
        rps = r["wrk"]["rps"]
        print(f"target >= {target} submissions/s, {r['name']}: {rps:.0f}/s, " + ("met" if rps >= target else "MISSED"))
if wrong:
    print("WRONG: the rows stored do not match the ids sent and acknowledged")
    sys.exit(1)
EOF
sqlite_bundled=$(sed -n '/^name = "libsqlite3-sys"/{n;s/version = //p}' Cargo.lock | tr -d '"')
echo
echo "machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p')), $(free -m | awk '/^Mem:/ {printf "%.1f GB", $2/1024}') memory, $(uname -sr)"
echo "tools: $(rustc --version), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), libsqlite3-sys $sqlite_bundled (bundled SQLite), python3 $(python3 -c 'import sys, sqlite3; print(sys.version.split()[0], "with SQLite", sqlite3.sqlite_version)')"
echo "load: wrk -t$threads -c$connections -d${seconds}s on loopback, client and server on the same $(nproc) cores; a fresh database per scenario"
echo "1-minute load average: $load_before before, $(cut -d' ' -f1 /proc/loadavg) after (above ~$(nproc) means something else was running too)"
exit "$status"
