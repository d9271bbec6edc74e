#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests (trust auth, its own port and folder) and prints
# the connection string for SHARDGATE_TEST_POSTGRES. Installs PostgreSQL from Debian's packages when missing.
# Usage: export SHARDGATE_TEST_POSTGRES=$(scripts/start-test-postgres.sh [port])   stop: scripts/stop-test-postgres.sh
set -euo pipefail
# su keeps the working directory, which the postgres user may not be allowed to enter.
cd /tmp
port="${1:-25432}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
dir=/tmp/shardgate-test-postgres
if [ -f "$dir/data/postmaster.pid" ]; then
  su postgres -c "$bin/pg_ctl -D $dir/data -m fast -w stop" >&2 || true
fi
rm -rf "$dir"
mkdir -p "$dir"
chown postgres:postgres "$dir"
su postgres -c "$bin/initdb -D $dir/data -A trust -U postgres" >/dev/null
su postgres -c "$bin/pg_ctl -D $dir/data -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on' -l $dir/log -w start" >&2
echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
