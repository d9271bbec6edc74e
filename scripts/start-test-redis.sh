#!/usr/bin/env bash
# Starts a throwaway Redis on 127.0.0.1 for the tests (no persistence, its own port and folder) and prints the
# StackExchange.Redis configuration string for SHARDGATE_TEST_REDIS. Installs Redis from Debian's packages when
# missing.
# Usage: export SHARDGATE_TEST_REDIS=$(scripts/start-test-redis.sh [port])   stop: scripts/stop-test-redis.sh
set -euo pipefail
port="${1:-26379}"
if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2
fi
dir=/tmp/shardgate-test-redis
if [ -f "$dir/port" ]; then
  redis-cli -p "$(cat "$dir/port")" shutdown nosave >/dev/null 2>&1 || true
fi
rm -rf "$dir"
mkdir -p "$dir"
echo "$port" >"$dir/port"
redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
  --dir "$dir" --save '' --appendonly no >&2
for _ in $(seq 1 100); do
  if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
    echo "127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "Redis did not start; its log:" >&2
cat "$dir/redis.log" >&2
exit 1
