#!/usr/bin/env bash
# The phone's wasm by origin (crate, and module for phieu's own): builds the
# app for release, makes it as Trunk ships it (wasm-bindgen, wasm-opt -Oz)
# with its names kept (-g), and adds up twiggy's sizes, with each part's
# share of the gzip a phone downloads estimated from the whole file's ratio.
#   bench/size-breakdown.sh             what is in today's tree
#   bench/size-breakdown.sh REV         the difference from REV (a commit) to today
# Needs twiggy (cargo install twiggy --locked), wasm-bindgen and wasm-opt
# (scripts/setup.sh). Builds in target/size-breakdown so that it never races
# scripts/build.sh (SIZE_TARGET_DIR=target reuses Trunk's warm build instead).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Absolute, so that the REV build in its own worktree writes where ship() reads.
export CARGO_TARGET_DIR="$(realpath -m "${SIZE_TARGET_DIR:-$PWD/target/size-breakdown}")"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/phieu-app.wasm"
out="$CARGO_TARGET_DIR/size-breakdown"
build() { cargo build --quiet --release --target wasm32-unknown-unknown --bin phieu-app; }
# ship NAME: the built wasm as it ships, names kept, as $out/NAME.wasm; sets GZIP_RATIO.
ship() {
  rm -rf "$out/$1" && mkdir -p "$out/$1"
  wasm-bindgen --target web --out-dir "$out/$1" --out-name app "$wasm"
  wasm-opt -Oz "$out/$1/app_bg.wasm" -o "$out/$1/plain.wasm"
  wasm-opt -Oz -g "$out/$1/app_bg.wasm" -o "$out/$1.wasm"
  local raw gz
  raw=$(wc -c < "$out/$1/plain.wasm")
  gz=$(gzip -9c "$out/$1/plain.wasm" | wc -c)
  echo "$1: wasm $raw B, gzip -9 $gz B" >&2
  GZIP_RATIO=$(python3 -c "print($gz / $raw)")
  export GZIP_RATIO
}
if [ $# -eq 0 ]; then
  build && ship today
  exec python3 bench/size-breakdown.py "$out/today.wasm"
fi
tree=$(mktemp -d)
trap 'git worktree remove --force "$tree"' EXIT
git worktree add --quiet --detach "$tree" "$1"
(cd "$tree" && build) && ship before
build && ship today
python3 bench/size-breakdown.py "$out/before.wasm" "$out/today.wasm"
