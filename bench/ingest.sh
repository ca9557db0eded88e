#!/usr/bin/env bash
# Benchmark: `phieu serve` ingest throughput and latency under wrk on
# loopback, with SQLite in WAL mode, side by side in one run with peers that
# leave parts out (HTTP alone; HTTP + JSON without the store; SQLite alone in
# a Python loop); then on PostgreSQL with one instance and with two on one
# database, and the office's listing over 1,000,000 reports made there with
# generate_series. Prints a table; not a test. See bench/README.md.
#   bench/ingest.sh                                  # 20 s per scenario, 2 threads, 32 connections
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 bench/ingest.sh
#   BENCH_PG=off bench/ingest.sh                     # SQLite only
#   BENCH_OFFICE_ROWS=100000 bench/ingest.sh         # a smaller office listing (0: none)
# PostgreSQL: the one PHIEU_TEST_PG names, else a throwaway cluster (scripts/pg.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${BENCH_SECONDS:-20}"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-32}"
dup_pct="${BENCH_DUP_PCT:-10}"
pg="${BENCH_PG:-on}"
office_rows="${BENCH_OFFICE_ROWS:-1000000}"

if ! command -v wrk >/dev/null; then
  apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
fi
cargo build -q --profile server -p phieu-cli --bin phieu --example office_bench

work=$(mktemp -d)
mkdir "$work/dist"   # empty: only the API is served
server_pids=()
stop_server() {
  local pid
  for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  server_pids=()
}
pg_started=""
cleanup() {
  stop_server
  rm -rf "$work"
  if [ -n "$pg_started" ]; then scripts/pg.sh stop "$PHIEU_PG_DIR"; fi
}
trap cleanup EXIT

# Starts one more server on a database (every server of a run shares it); sets $port and adds it to $ports.
ports=""
servers_started=0
start_server() {
  servers_started=$((servers_started + 1))
  local db="$1" line="" out="$work/server$servers_started"
  target/server/phieu serve --addr 127.0.0.1:0 --db "$db" --dist "$work/dist" --allow-anonymous >"$out.out" 2>"$out.err" &
  server_pids+=($!)
  for _ in $(seq 200); do
    line=$(head -n1 "$out.out" 2>/dev/null || true)
    [[ $line == "phieu serve: listening on http://127.0.0.1:"* ]] && break
    kill -0 "${server_pids[-1]}" 2>/dev/null || { cat "$out.err" >&2; exit 1; }
    sleep 0.05
  done
  [[ $line == *listening* ]] || { echo "phieu serve did not start" >&2; cat "$out.err" >&2; exit 1; }
  port=${line#phieu serve: listening on http://127.0.0.1:}
  port=${port%% *}
  ports="${ports:+$ports,}$port"
}

# psql on one database of the cluster: psql_on DBNAME SQL.
psql_on() {
  PGOPTIONS='-c client_min_messages=warning' psql "${PHIEU_TEST_PG%/*}/$1" -v ON_ERROR_STOP=1 -qAtc "$2"
}

rows_in() {
  case "$1" in
    postgres*) psql "$1" -qAtc "SELECT count(*) FROM submissions" ;;
    *) python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM submissions").fetchone()[0])' "$1" ;;
  esac
}

db_bytes() {
  case "$1" in
    postgres*) psql "$1" -qAtc "SELECT pg_database_size(current_database())" ;;
    *) du -cb "$1"* | tail -1 | cut -f1 ;;
  esac
}

# A new empty PostgreSQL database for one scenario: its URL.
new_pg_db() {
  local name="bench_$1_$nonce"
  psql_on postgres "DROP DATABASE IF EXISTS $name" >&2
  psql_on postgres "CREATE DATABASE $name" >&2
  echo "${PHIEU_TEST_PG%/*}/$name"
}

if [ "$pg" != off ]; then
  if [ -z "${PHIEU_TEST_PG:-}" ]; then
    eval "$(scripts/pg.sh start)"
    pg_started=1
  fi
  pg_version=$(psql "$PHIEU_TEST_PG" -qAtc "SHOW server_version")
fi

load_before=$(cut -d' ' -f1 /proc/loadavg)
nonce=$(( $(date +%s) % 65536 ))
# run SLUG NAME MODE [INSTANCES [DB]]: one wrk run against fresh servers on a
# fresh database (a SQLite file, or the PostgreSQL URL DB); with two
# instances wrk's threads take turns between them (PHIEU_BENCH_PORTS). The
# rows are counted in the database after the servers have stopped.
run() {
  local slug="$1" name="$2" mode="$3" instances="${4:-1}" db="${5:-$work/$1.db}" result rows
  ports=""
  for _ in $(seq "$instances"); do start_server "$db"; done
  echo "== $name: wrk -t$threads -c$connections -d${seconds}s --latency -s bench/ingest/post.lua http://127.0.0.1:$port -- $mode $dup_pct $nonce (ports $ports)" >&2
  PHIEU_BENCH_PORTS="$ports" wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/ingest/post.lua \
    "http://127.0.0.1:$port" -- "$mode" "$dup_pct" "$nonce" >"$work/$slug.wrk"
  stop_server
  result=$(sed -n 's/^RESULT //p' "$work/$slug.wrk")
  [ -n "$result" ] || { cat "$work/$slug.wrk" >&2; exit 1; }
  rows=$(rows_in "$db")
  echo "{\"name\": \"$name\", \"mode\": \"$mode\", \"rows\": $rows, \"db_bytes\": $(db_bytes "$db"), \"wrk\": $result}" >>"$work/results.jsonl"
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
if [ "$pg" != off ]; then
  run pg1new "PostgreSQL x1: POST, new ids" new 1 "$(new_pg_db pg1new)"
  run pg2new "PostgreSQL x2: POST, new ids" new 2 "$(new_pg_db pg2new)"
  run pg2dup "PostgreSQL x2: POST, ${dup_pct}% resent" dup 2 "$(new_pg_db pg2dup)"
fi

status=0
python3 - "$work/results.jsonl" <<'EOF' || status=1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
wrong = False
print()
print(f"{'scenario':<36}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}  rows stored / distinct ids sent")
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
    print(f"{r['name']:<36}{w['rps']:>9.0f}{w['p50_ms']:>9.2f}{w['p99_ms']:>9.2f}{errors:>8}  {stored}")
print()
for r in rows:
    w = r["wrk"]
    if r["mode"] in ("new", "dup"):
        answered = w["st201"] + w["st200"] + w["st400"] + w["other"]
        print(f"{r['name']}: sent {w['sent']} ({w['resent']} resends of an earlier id), answered 201 stored {w['st201']}, "
              f"200 duplicate {w['st200']}, other {w['st400'] + w['other']}; {w['sent'] - answered} in flight when wrk stopped, "
              f"{r['rows'] - w['st201']} of them stored; "
              f"bodies {w['body_bytes'] / max(1, w['sent']):.0f} B on average; p90 {w['p90_ms']:.2f} ms, max {w['max_ms']:.1f} ms; "
              f"database {r['db_bytes'] / 1e6:.0f} MB")
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
# The office's listing over many reports on PostgreSQL: rows made in the
# database with generate_series (as office_bench fills SQLite: 10 units, a
# fifth answered or received, one collaborator's reports answered), then
# timed one request at a time through phieu serve.
if [ "$pg" != off ] && [ "$office_rows" -gt 0 ]; then
  db=$(new_pg_db office)
  admin=$(target/server/phieu users add --db "$db" --name bench-admin --role admin 2>/dev/null | sed -n 's/^token: //p')
  me_out=$(target/server/phieu users add --db "$db" --name ctv-me --role collaborator --unit unit-0 2>/dev/null)
  me=$(echo "$me_out" | sed -n 's/^token: //p')
  me_id=$(echo "$me_out" | sed -n 's/^id: //p')
  echo "== office listing: $office_rows reports made with generate_series on PostgreSQL" >&2
  fill_start=$(date +%s)
  psql "$db" -v ON_ERROR_STOP=1 -q -v me="$me_id" -v n="$office_rows" <<'SQL'
-- The trigram index is made again after the rows, as a bulk load would (quicker than row by row).
DROP INDEX IF EXISTS search_trigrams;
INSERT INTO submissions (id, form_id, form_version, received_at, body, by_id, by_name, by_unit, status)
SELECT format('00000000-0000-4000-8000-%s', lpad(i::text, 12, '0')), 'phan-anh-du-luan', '1',
       format('2026-11-%sT03:00:00.000Z', lpad((1 + i % 28)::text, 2, '0')),
       format('{"id":"00000000-0000-4000-8000-%s","form":{"id":"phan-anh-du-luan","version":"1"},'
              '"startedAt":"2026-11-26T01:00:00.000Z","completedAt":"2026-11-26T01:05:00.000Z",'
              '"answers":{"district":"unit-%s","channels":["zalo","facebook"],"opinion":"%s (%s)","urgent":%s},'
              '"meta":{"locale":"vi","appVersion":"bench"}}',
              lpad(i::text, 12, '0'), i % 10,
              (ARRAY['Đường ngập sau mưa', 'Rác thải ùn ứ ở chợ', 'Giá điện tăng', 'Tiếng ồn công trình ban đêm', 'Hà Đông thiếu chỗ đỗ xe'])[1 + i % 5],
              i, i % 7 = 0),
       CASE WHEN i % 1000 = 0 THEN :'me' ELSE 'ctv-' || (i % 10) END,
       CASE WHEN i % 1000 = 0 THEN 'ctv-me' ELSE 'ctv-' || (i % 10) END,
       CASE WHEN i % 1000 = 0 THEN 'unit-0' ELSE 'unit-' || (i % 10) END,
       CASE WHEN i % 1000 = 0 OR i % 5 = 1 THEN (CASE WHEN i % 2 = 0 THEN 'answered' ELSE 'received' END) ELSE 'new' END
FROM generate_series(0, :n - 1) AS i;
-- The search text as phieu writes it: each answer folded, one per line.
INSERT INTO search (seq, folded)
SELECT seq, format(E'%s\nzalo\nfacebook\n%s (%s)\n', by_unit,
       (ARRAY['duong ngap sau mua', 'rac thai un u o cho', 'gia dien tang', 'tieng on cong trinh ban dem', 'ha dong thieu cho do xe'])[1 + i % 5], i)
FROM (SELECT seq, by_unit, substr(id, 25)::bigint AS i FROM submissions) s;
INSERT INTO events (at, kind, audience, submission, status, reply, by_id, by_name)
SELECT '2026-11-30T00:00:00.000Z', 'status', 'a:' || :'me', id, status, 'Đã chuyển phường xử lý.', 'bench-admin', 'bench-admin'
FROM submissions WHERE by_id = :'me';
INSERT INTO events (at, kind, audience, title, body, unit, by_id, by_name)
SELECT '2026-11-30T00:00:00.000Z', 'announcement', CASE a % 4 WHEN 0 THEN '*' WHEN 1 THEN 'u:unit-0' ELSE 'u:unit-' || (1 + a % 9) END,
       'Thông báo ' || a, 'Nội dung', CASE a % 4 WHEN 0 THEN NULL WHEN 1 THEN 'unit-0' ELSE 'unit-' || (1 + a % 9) END, 'bench-admin', 'bench-admin'
FROM generate_series(0, 199) AS a;
CREATE INDEX search_trigrams ON search USING gin (folded gin_trgm_ops);
VACUUM ANALYZE submissions;
VACUUM ANALYZE search;
VACUUM ANALYZE events;
SQL
  fill_s=$(( $(date +%s) - fill_start ))
  ports=""
  start_server "$db"
  echo
  echo "office listing over $(rows_in "$db") reports on PostgreSQL $pg_version ($(( $(db_bytes "$db") / 1000000 )) MB, made in ${fill_s} s), one request at a time, ${BENCH_OFFICE_ROUNDS:-100} rounds:"
  target/server/examples/office_bench time "http://127.0.0.1:$port" "$admin" "$me" "${BENCH_OFFICE_ROUNDS:-100}" | tee "$work/office.md"
  stop_server
  awk -F'|' '/office list/ { p95 = $4 + 0; printf "target p95 < 50 ms, %s: %.1f ms, %s\n", $2, p95, (p95 < 50 ? "met" : "MISSED") }' "$work/office.md"
fi

sqlite_bundled=$(sed -n '/^name = "libsqlite3-sys"/{n;s/version = //p}' Cargo.lock | tr -d '"')
echo
echo "machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p')), $(free -m | awk '/^Mem:/ {printf "%.1f GB", $2/1024}') memory, $(uname -sr)"
echo "tools: $(rustc --version), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), libsqlite3-sys $sqlite_bundled (bundled SQLite), python3 $(python3 -c 'import sys, sqlite3; print(sys.version.split()[0], "with SQLite", sqlite3.sqlite_version)')"
echo "load: wrk -t$threads -c$connections -d${seconds}s on loopback, client and server on the same $(nproc) cores; a fresh database per scenario"
if [ "$pg" != off ]; then
  echo "PostgreSQL $pg_version at ${PHIEU_TEST_PG%%@*}@… (fsync $(psql "$PHIEU_TEST_PG" -qAtc "SHOW fsync"), synchronous_commit $(psql "$PHIEU_TEST_PG" -qAtc "SHOW synchronous_commit")), on the same cores; x2 = two phieu serve on one database, wrk's threads taking turns"
fi
echo "1-minute load average: $load_before before, $(cut -d' ' -f1 /proc/loadavg) after (above ~$(nproc) means something else was running too)"
exit "$status"
