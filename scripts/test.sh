#!/usr/bin/env bash
# Every test phieu has: installs what is missing, runs the Rust tests, checks
# the example forms, builds the app, and runs the end-to-end tests in Chromium
# against a real `phieu serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

echo "== PostgreSQL (a throwaway cluster for the server's tests)"
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$PHIEU_PG_DIR"' EXIT

echo "== Formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
# The mask module is empty natively: linted as the wasm it is.
cargo clippy --release --target wasm32-unknown-unknown -p phieu-mask -- -D warnings

echo "== Rust tests"
cargo test -p phieu-core -p phieu-cli -p phieu-office

echo "== The server's tests again, on PostgreSQL"
PHIEU_TEST_DB=postgres cargo test -p phieu-cli --test serve

echo "== Build"
scripts/build.sh

echo "== Expressions against SurveyJS (tests/expr-diff)"
node tests/expr-diff/corpus.mjs > /dev/null
node tests/expr-diff/compare.mjs
echo "== Input masks: the corpus is what survey-core gives (cargo test compares phieu with it)"
node tests/mask-diff/surveyjs.mjs --check
echo "== Input masks: the phone's mask module (no_std wasm) answers as the native engine did in cargo test"
node tests/mask-diff/module.mjs

echo "== Example forms and the JSON Schema"
forms=$(ls forms/*.json | grep -v '/index\.json$')
target/debug/phieu check $forms
node --test tests/schema/

echo "== End-to-end tests (Chromium)"
npx playwright test
