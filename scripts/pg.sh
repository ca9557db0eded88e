#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and the bench: a cluster of its own in
# a temporary folder, run by an unprivileged user (PostgreSQL refuses root;
# CI runs as root), trusting connections on 127.0.0.1 only, at a free port.
#
#   eval "$(scripts/pg.sh start)"   # exports PHIEU_TEST_PG=postgres://phieu@127.0.0.1:PORT/postgres and PHIEU_PG_DIR
#   scripts/pg.sh stop              # stops it and removes the folder ($PHIEU_PG_DIR, or give the folder)
#
# Installs Debian's `postgresql` when no initdb is found. What `start` prints
# on standard output is only the export lines; everything else goes to standard error.
# PHIEU_PG_FSYNC=off makes it faster and not crash-safe (never for the bench).
set -euo pipefail

pg_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return
    fi
  done
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin
  bin=$(pg_bin)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "pg.sh: PostgreSQL is not installed; run: sudo apt-get install postgresql" >&2
      exit 1
    fi
    echo "pg.sh: installing Debian's postgresql" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
    bin=$(pg_bin)
    [ -n "$bin" ] || { echo "pg.sh: no initdb under /usr/lib/postgresql/*/bin after installing" >&2; exit 1; }
  fi
  # The owner: the package's `postgres` user, else `nobody`.
  owner=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
  fi
  local dir port
  dir=$(mktemp -d "${TMPDIR:-/tmp}/phieu-pg.XXXXXX")
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown "$owner" "$dir"
  # A free port: one nobody listens on (checked by connecting).
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      break
    fi
  done
  as_owner "$bin/initdb" -D "$dir/data" -U phieu --auth=trust --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = ${PHIEU_PG_FSYNC:-on}
EOF
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >&2 ||
    { cat "$dir/server.log" >&2; exit 1; }
  echo "pg.sh: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port, run by $owner, in $dir" >&2
  echo "export PHIEU_TEST_PG=postgres://phieu@127.0.0.1:$port/postgres"
  echo "export PHIEU_PG_DIR=$dir"
}

stop() {
  local dir=${1:-${PHIEU_PG_DIR:-}}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "pg.sh: no cluster to stop (give its folder, or set PHIEU_PG_DIR)" >&2
    return 0
  fi
  local bin
  bin=$(pg_bin)
  owner=$(stat -c %U "$dir/data")
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
  echo "pg.sh: stopped and removed $dir" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: eval \"\$(scripts/pg.sh start)\"  |  scripts/pg.sh stop [DIR]" >&2
    exit 2
    ;;
esac
