#!/usr/bin/env bash
# The phone's wasm by origin (crate, and module for phieu's own): builds the
# app as rustc links it for release, names kept, and adds up twiggy's sizes.
#   bench/size-breakdown.sh             what is in today's tree
#   bench/size-breakdown.sh REV         the difference from REV (a commit) to today
# Needs twiggy (cargo install twiggy --locked). Builds in target/size-breakdown
# so that it never races scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="$PWD/target/size-breakdown"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/phieu-app.wasm"
build() { cargo build --quiet --release --target wasm32-unknown-unknown --bin phieu-app; }
if [ $# -eq 0 ]; then
  build
  exec python3 bench/size-breakdown.py "$wasm"
fi
tree=$(mktemp -d)
trap 'git worktree remove --force "$tree"' EXIT
git worktree add --quiet --detach "$tree" "$1"
(cd "$tree" && build)
cp "$wasm" "$CARGO_TARGET_DIR/before.wasm"
build
python3 bench/size-breakdown.py "$CARGO_TARGET_DIR/before.wasm" "$wasm"
