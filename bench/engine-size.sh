#!/usr/bin/env bash
# The engine alone in wasm (bench/engine-size: no UI), built and optimised
# as the app is, beside the app's own wasm: how much of the bundle any
# renderer must carry, and how much is the renderer's.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build -q --release --target wasm32-unknown-unknown -p phieu-engine-size
wasm-bindgen --target web --no-typescript --out-dir "$out" target/wasm32-unknown-unknown/release/phieu_engine_size.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$out/phieu_engine_size_bg.wasm" -o "$out/engine.wasm"
engine=$(gzip -9c "$out/engine.wasm" | wc -c)
app=$(ls dist/*_bg.wasm 2>/dev/null | head -1 || true)
printf '%-40s %10s %10s\n' "wasm (optimised)" bytes "gzip -9"
printf '%-40s %10d %10d\n' "engine alone (phieu-core + serde_json)" "$(stat -c %s "$out/engine.wasm")" "$engine"
if [ -n "$app" ]; then
  whole=$(gzip -9c "$app" | wc -c)
  printf '%-40s %10d %10d\n' "the app ($app)" "$(stat -c %s "$app")" "$whole"
  printf '%-40s %10s %10d\n' "so the renderer and app shell" "" "$((whole - engine))"
fi
