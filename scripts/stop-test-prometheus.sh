#!/usr/bin/env bash
# Stops the Prometheus scripts/start-test-prometheus.sh started.
set -euo pipefail
dir=/tmp/shardgate-test-prometheus
if [ -f "$dir/pid" ]; then
  kill "$(cat "$dir/pid")" 2>/dev/null || true
  rm -f "$dir/pid"
fi
