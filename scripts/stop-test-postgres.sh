#!/usr/bin/env bash
# Stops the cluster started by start-test-postgres.sh.
set -u
# su keeps the working directory, which the postgres user may not be allowed to enter.
cd /tmp
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -f /tmp/shardgate-test-postgres/data/postmaster.pid ] && su postgres -c "$bin/pg_ctl -D /tmp/shardgate-test-postgres/data -m fast -w stop" >/dev/null 2>&1
exit 0
