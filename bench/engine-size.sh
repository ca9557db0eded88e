#!/usr/bin/env bash
# The engine alone in wasm (bench/engine-size: no UI) and Leptos alone
# (bench/leptos-floor: a field, a condition, a list), built and optimised as
# the app is, beside the app's own wasm: what any renderer must carry, what
# the framework costs before any widget, and what is the app's own.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# One build each: built together, the two would share their dependencies'
# features. Leptos alone is built without the app's `--cfg erase_components`
# (empty RUSTFLAGS, own target folder), its smaller form: type erasure pays
# for itself only in an app with many components (8 kB more here).
cargo build -q --release --target wasm32-unknown-unknown -p phieu-engine-size
RUSTFLAGS="" cargo build -q --release --target wasm32-unknown-unknown -p phieu-leptos-floor --target-dir target/leptos-floor
optimise() { # target folder, crate file name -> $out/$2.wasm, as Trunk does for the app
  wasm-bindgen --target web --no-typescript --out-dir "$out" "$1/wasm32-unknown-unknown/release/$2.wasm"
  wasm-opt -Oz --enable-reference-types "$out/$2_bg.wasm" -o "$out/$2.wasm"
}
optimise target phieu_engine_size
optimise target/leptos-floor phieu-leptos-floor
gz() { gzip -9c "$1" | wc -c; }
row() { printf '%-44s %10s %10s\n' "$@"; }
engine=$(gz "$out/phieu_engine_size.wasm")
floor=$(gz "$out/phieu-leptos-floor.wasm")
row "wasm (optimised)" bytes "gzip -9"
row "engine alone (phieu-core + serde_json)" "$(stat -c %s "$out/phieu_engine_size.wasm")" "$engine"
row "Leptos alone (bench/leptos-floor)" "$(stat -c %s "$out/phieu-leptos-floor.wasm")" "$floor"
row "  and its JS glue" "$(stat -c %s "$out/phieu-leptos-floor.js")" "$(gz "$out/phieu-leptos-floor.js")"
app=$(ls dist/*_bg.wasm 2>/dev/null | head -1 || true)
if [ -n "$app" ]; then
  whole=$(gz "$app")
  row "the app ($(basename "$app"))" "$(stat -c %s "$app")" "$whole"
  row "so the renderer and app shell" "" "$((whole - engine))"
  row "  of which not Leptos's floor" "" "$((whole - engine - floor))"
fi
