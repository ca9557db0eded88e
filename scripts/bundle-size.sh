#!/usr/bin/env bash
# What a phone downloads before the first question: wasm + js + css in dist/,
# each gzipped at level 9 (the service worker itself is left out). The CSS
# is inline in index.html, so the page counts whole.
set -euo pipefail
cd "$(dirname "$0")/.."
total=0
printf '%-48s %10s %10s\n' "bundle (dist/)" "bytes" "gzip -9"
# wasm-bindgen's snippets (src/idb.js) are modules the glue imports: counted too.
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html $(find dist/snippets -name '*.js' 2>/dev/null | LC_ALL=C sort); do
  [ -f "$f" ] || continue
  case "$f" in *sw.js) continue ;; esac
  raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  printf '%-48s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-48s %10s %10d\n' "total" "" "$total"

# The standard library's float parser brings a 10 kB (gzip) table of powers
# of five; the app reads numbers with phieu_core::num::parse instead. Its
# first entry (5^-342, as 64-bit words) must not be in the wasm.
for f in dist/*.wasm; do
  if node -e 'const b = require("fs").readFileSync(process.argv[1]); const n = Buffer.alloc(8); n.writeBigUInt64LE(0xeef453d6923bd65an); process.exit(b.indexOf(n) >= 0 ? 1 : 0)' "$f"; then :; else
    echo "bundle-size: $f holds the standard library's float parser (str::parse::<f64>, 10 kB gzip)." >&2
    echo "bundle-size: read numbers with phieu_core::num::parse instead (see core/src/num.rs)." >&2
    exit 1
  fi
done

# The standard library's float printer (Grisu and Dragon, with their table
# of cached powers of ten: 7 kB gzip) must not be there either: the app has
# the browser print numbers (phieu_core::num::set_printer). Formatting an f64
# with {} or {:?}, or f64::clamp (its panic message does), brings it back.
for f in dist/*.wasm; do
  if node -e 'const b = require("fs").readFileSync(process.argv[1]); const n = Buffer.alloc(8); n.writeBigUInt64LE(0xe61acf033d1a45dfn); process.exit(b.indexOf(n) >= 0 ? 1 : 0)' "$f"; then :; else
    echo "bundle-size: $f holds the standard library's float printer (format!(\"{}\", f64), {:?}, f64::clamp; 7 kB gzip)." >&2
    echo "bundle-size: print numbers with phieu_core::num (to_js_string, to_plain_string, to_fixed) instead." >&2
    exit 1
  fi
done

# The budget (bench/budget.json): CI fails when the bundle grows past it.
budget=$(sed -n 's/.*"gzipBytes": *\([0-9]*\).*/\1/p' bench/budget.json)
if [ -n "$budget" ]; then
  if [ "$total" -gt "$budget" ]; then
    echo "bundle-size: $total B is over the budget of $budget B in bench/budget.json." >&2
    echo "bundle-size: make the app smaller, or raise the budget in a commit that says why." >&2
    exit 1
  fi
  echo "bundle-size: $total B, within the budget of $budget B (bench/budget.json)"
fi
