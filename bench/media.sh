#!/usr/bin/env bash
# Photos on the phone (issue 14), in Debian's Chromium: a 12 MP photo to its
# thumbnail at 4x slower CPU beside SurveyJS's file question, and the bytes
# 20 reports of 3 photos cost through `phieu serve --faults`. Prints a table.
#   bench/media.sh [--runs 5] [--seeds 1,2,3] [--reports 20] [--nudge 10] [--skip-thumb] [--skip-link]
# About 20 minutes on 2 cores; see bench/README.md. It builds nothing: it
# needs dist/ (scripts/build.sh) and target/debug/phieu (cargo build -p phieu-cli, or PHIEU_BIN).
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # Debian's chromium, never a downloaded one
[ -d node_modules/survey-js-ui ] || npm ci --no-audit --no-fund
[ -x "${PHIEU_BIN:-target/debug/phieu}" ] || { echo "no ${PHIEU_BIN:-target/debug/phieu}: build phieu first" >&2; exit 1; }
exec node bench/media.mjs "$@"
