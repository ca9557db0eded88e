#!/usr/bin/env bash
# The mask module (mask/, crate phieu-mask): what input masks do, which the
# app fetches only when a form with a mask opens. Run by scripts/sw-precache.sh
# in Trunk's staging folder, so every build of the app has it: built, made
# small as Trunk makes the app's wasm (wasm-opt -Oz; names stripped as
# wasm-bindgen strips the app's), named by its content (phieu-mask-HASH.wasm,
# so a phone's caches never hold an old one under a new name), and named in
# the page's <meta name="phieu-mask">, which src/mask.js reads.
#   scripts/build-mask.sh SOURCE_DIR OUT_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
out=$2
(cd "$src" && cargo build --quiet --release --target wasm32-unknown-unknown -p phieu-mask)
target=$(cd "$src" && cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
tmp="$out/phieu-mask.tmp"
"$src/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers --strip-target-features "$target/wasm32-unknown-unknown/release/phieu_mask.wasm" -o "$tmp"
name="phieu-mask-$(sha256sum "$tmp" | cut -c1-16).wasm"
rm -f "$out"/phieu-mask-*.wasm
mv "$tmp" "$out/$name"
sed -i "s/phieu-mask\.wasm/$name/" "$out/index.html"
if ! grep -q "$name" "$out/index.html"; then
  echo "build-mask: index.html has no <meta name=\"phieu-mask\" content=\"phieu-mask.wasm\"> to name $name in" >&2
  exit 1
fi
echo "build-mask: $name ($(wc -c < "$out/$name") B)"
