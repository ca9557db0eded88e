#!/usr/bin/env bash
# The office's reads against a full database (issue 12): the listing (first
# page, filtered pages, search) over 100,000 reports, and a collaborator's
# feed (1,000 answered reports, 100 announcements). Traffic to 127.0.0.1
# only, one request at a time, ROUNDS (200) of each. See bench/README.md.
#   bench/office.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
rounds="${1:-200}"
case "$rounds" in ''|*[!0-9]*) echo "usage: bench/office.sh [ROUNDS]" >&2; exit 2 ;; esac

cargo build -q --profile server -p phieu-cli --bin phieu --example office_bench
# Filled in memory where there is a tmpfs: 120,000 commits with fsync would time the disk, not phieu.
work=$(mktemp -d -p "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")")
mkdir "$work/dist"
echo '<!doctype html><title>office</title>' >"$work/dist/index.html"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

target/server/examples/office_bench fill "$work/office.db" >"$work/tokens"
admin=$(sed -n 's/^admin: //p' "$work/tokens")
me=$(sed -n 's/^collaborator: //p' "$work/tokens")
target/server/phieu serve --addr 127.0.0.1:0 --db "$work/office.db" --dist "$work/dist" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=$(wait_for_server "$work/server.out" "$work/server.err") || exit 1
echo "machine: $(nproc) cores; phieu serve (profile server) on $url; round trips on loopback, one at a time, $rounds each"
target/server/examples/office_bench time "$url" "$admin" "$me" "$rounds"
