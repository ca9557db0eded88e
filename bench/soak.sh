#!/usr/bin/env bash
# Soak test: `phieu serve` on 127.0.0.1 under mixed traffic for a bounded
# time (new reports, resends, paged listings, CSV exports, slow and stalled
# clients), then checks that every acknowledged report is stored once and
# as sent, that the server's memory stayed flat, and that SIGTERM stops it
# within seconds. See bench/README.md.
#   bench/soak.sh          # 10 minutes
#   bench/soak.sh 120      # 2 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
seconds="${1:-600}"
case "$seconds" in ''|*[!0-9]*) echo "usage: bench/soak.sh [SECONDS]" >&2; exit 2 ;; esac

cargo build -q --profile server -p phieu-cli --bin phieu --example soak
work=$(mktemp -d)
mkdir "$work/dist"
echo '<!doctype html><title>soak</title><script>void 0</script>' >"$work/dist/index.html"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Reading needs an account; the reports come from nobody in particular.
PHIEU_ADMIN_TOKEN=$(target/server/phieu users add --db "$work/soak.db" --name soak --role admin 2>/dev/null | sed -n 's/^token: //p')
export PHIEU_ADMIN_TOKEN
target/server/phieu serve --addr 127.0.0.1:0 --db "$work/soak.db" --dist "$work/dist" --allow-anonymous \
  --max-connections 64 --header-timeout 5 --body-timeout 10 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=$(wait_for_server "$work/server.out" "$work/server.err") || exit 1
echo "== soak: ${seconds}s against $url (pid $server_pid)" >&2

status=0
target/server/examples/soak "$url" "$server_pid" "$seconds" >"$work/soak.out" || status=$?

start=$(date +%s.%N)
kill -TERM "$server_pid"
for _ in $(seq 200); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$server_pid" 2>/dev/null; then echo "WRONG: still running 10 s after SIGTERM" >&2; status=1; fi
wait "$server_pid" 2>/dev/null || true
server_pid=""
stop_s=$(echo "$(date +%s.%N) - $start" | bc)

python3 - "$work/soak.out" "$stop_s" <<'PY'
import json, sys
r = json.loads(next(l for l in open(sys.argv[1]) if l.startswith("RESULT "))[7:])
m = r["rss_kib"]
print(f"duration {r['seconds']} s: {r['acknowledged']} reports acknowledged, {r['rows']} rows stored, "
      f"lost {r['lost']}, duplicates {r['duplicates']}, changed {r['changed']}")
print(f"resends answered 200: {r['resends_answered_duplicate']}; 503 or network error, retried: {r['busy_or_error_retried']}; other statuses: {r['other_status']}")
print(f"listings {r['listings']} ({r['pages']} pages), CSV exports {r['csv_exports']}; slow headers closed {r['slow_headers_closed']}, "
      f"stalled bodies answered 408 {r['stalled_bodies_408']}, CSV exports never read {r['unread_csv']}")
print(f"server RSS: {m['first']/1024:.1f} MB at start, {m['after_warm_up']/1024:.1f} MB after warm-up, "
      f"{m['peak']/1024:.1f} MB peak, {m['last']/1024:.1f} MB at the end")
print("RSS every minute (MB):", " ".join(f"{s[1]/1024:.0f}" for s in r["rss_samples"] if s[0] % 60 < 5))
print(f"SIGTERM to exit: {float(sys.argv[2]):.2f} s")
PY
echo "machine: $(nproc) cores, $(uname -sr), 1-minute load average $(cut -d' ' -f1 /proc/loadavg) at the end"
[ "$status" = 0 ] && echo "soak: ok" || echo "soak: FAILED"
exit "$status"
