#!/usr/bin/env bash
# What a phone downloads before the first question: wasm + js + css in dist/,
# each gzipped at level 9 (the service worker itself is left out).
set -euo pipefail
cd "$(dirname "$0")/.."
total=0
printf '%-48s %10s %10s\n' "bundle (dist/)" "bytes" "gzip -9"
for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -f "$f" ] || continue
  case "$f" in *sw.js) continue ;; esac
  raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  printf '%-48s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-48s %10s %10d\n' "total" "" "$total"
