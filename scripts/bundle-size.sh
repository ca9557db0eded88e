#!/usr/bin/env bash
# What a phone downloads before the first question: wasm + js + css in dist/,
# each gzipped at level 9 (the service worker itself is left out). The CSS
# is inline in index.html, so the page counts whole.
set -euo pipefail
cd "$(dirname "$0")/.."
total=0
printf '%-48s %10s %10s\n' "bundle (dist/)" "bytes" "gzip -9"
# wasm-bindgen's snippets (src/idb.js) are modules the glue imports: counted too.
# The mask module (dist/phieu-mask-*.wasm) is fetched only when a form with a
# mask opens: it is not part of this total, and is reported on a line of its own.
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html $(find dist/snippets -name '*.js' 2>/dev/null | LC_ALL=C sort); do
  [ -f "$f" ] || continue
  case "$f" in *sw.js | dist/phieu-mask-*.wasm) continue ;; esac
  raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  printf '%-48s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-48s %10s %10d\n' "total" "" "$total"
for f in dist/phieu-mask-*.wasm; do
  [ -f "$f" ] || continue
  printf '%-48s %10d %10d\n' "on demand: mask wasm (not in the total)" "$(wc -c < "$f")" "$(gzip -9c "$f" | wc -c)"
done

# Tables of the standard library that the app leaves to the browser must not
# come back into the wasm: `refuse HEX WHAT HINT` fails when the 64-bit word
# HEX (the table's first entry, little-endian) is in a wasm file.
refuse() {
  for f in dist/*.wasm; do
    if ! node -e 'const b = require("fs").readFileSync(process.argv[1]); const n = Buffer.alloc(8); n.writeBigUInt64LE(BigInt(process.argv[2])); process.exit(b.indexOf(n) >= 0 ? 1 : 0)' "$f" "$1"; then
      echo "bundle-size: $f holds $2." >&2
      echo "bundle-size: $3" >&2
      exit 1
    fi
  done
}
# The float parser's table of powers of five (its first entry is 5^-342).
refuse 0xeef453d6923bd65a "the standard library's float parser (str::parse::<f64>, 10 kB gzip)" \
  "read numbers with phieu_core::num::parse instead (see core/src/num.rs)."
# The float printer (Grisu and Dragon, with their cached powers of ten): the
# app has the browser print numbers (phieu_core::num::set_printer). Formatting
# an f64 with {} or {:?}, or f64::clamp (its panic message does), brings it back.
refuse 0xe61acf033d1a45df "the standard library's float printer (format!(\"{}\", f64), {:?}, f64::clamp; 7 kB gzip)" \
  "print numbers with phieu_core::num (to_js_string, to_plain_string, to_fixed, clamp) instead."

# The phone's first download holds no mask logic: the mask module does
# (mask/, ARCHITECTURE.md). The app's wasm as rustc linked it, names kept,
# must name nothing of phieu_core::mask's engine (mask/engine.rs).
app=target/wasm32-unknown-unknown/release/phieu-app.wasm
if [ -f "$app" ] && grep -q 4mask6engine "$app"; then
  echo "bundle-size: $app holds phieu_core::mask's engine; the app must reach masks only through mask::set_engine (src/mask.js)." >&2
  exit 1
fi

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
