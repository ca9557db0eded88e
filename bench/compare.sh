#!/usr/bin/env bash
# phieu against SurveyJS in Debian's Chromium, side by side: download size,
# cold and warm start on a slow phone, keystroke latency, page changes,
# memory, and Lighthouse. Writes bench/results/latest.md and prints it.
#   bench/compare.sh [--runs 5] [--keys 60] [--cold-all] [--no-lighthouse]
# About 8 minutes on 2 cores; see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # Debian's chromium, never a downloaded one
if [ ! -d node_modules/survey-js-ui ] || [ ! -d node_modules/lighthouse ]; then
  npm ci --no-audit --no-fund
fi
[ -f dist/index.html ] || bash scripts/build.sh
exec node bench/compare.mjs "$@"
