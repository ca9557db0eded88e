#!/usr/bin/env bash
# Builds the phone app into dist/ and the phieu command, and prints the bundle
# size a phone downloads. Assumes scripts/setup.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
profile="${PHIEU_PROFILE:-dev}"   # the server build: dev for tests, server for real use
cargo build --profile "$profile" -p phieu-cli
trunk build --release --offline
# The office screen (office/) into dist/office/, after the phone, whose build empties dist/.
trunk build --release --offline --config office/Trunk.toml
scripts/bundle-size.sh
