#!/usr/bin/env bash
# Stops the Redis scripts/start-test-redis.sh started.
set -euo pipefail
dir=/tmp/shardgate-test-redis
if [ -f "$dir/port" ]; then
  redis-cli -p "$(cat "$dir/port")" shutdown nosave >/dev/null 2>&1 || true
  rm -f "$dir/port"
fi
