#!/usr/bin/env bash
# Sets up, builds, and serves the app with the receiving server on
# http://127.0.0.1:8080 (override with PHIEU_ADDR). Submissions go to phieu.db.
# A local demo: anyone may submit (--allow-anonymous); reading the reports
# needs the admin sign-in link the first start prints (docs/office.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
PHIEU_PROFILE=server scripts/build.sh
exec target/server/phieu serve --addr "${PHIEU_ADDR:-127.0.0.1:8080}" --db "${PHIEU_DB:-phieu.db}" --dist dist --allow-anonymous
