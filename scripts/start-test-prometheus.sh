#!/usr/bin/env bash
# Starts a throwaway Prometheus on 127.0.0.1 for the tests, with deploy/prometheus/ci.yml (it scrapes the test
# gateway on 127.0.0.1:29464 every second), and prints its URL for SHARDGATE_TEST_PROMETHEUS. Installs Prometheus
# from Debian's packages when missing.
# Usage: export SHARDGATE_TEST_PROMETHEUS=$(scripts/start-test-prometheus.sh [port])   stop: scripts/stop-test-prometheus.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${1:-29090}"
if ! command -v prometheus >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
fi
dir=/tmp/shardgate-test-prometheus
if [ -f "$dir/pid" ]; then
  kill "$(cat "$dir/pid")" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$(cat "$dir/pid")" 2>/dev/null || break; sleep 0.1; done
fi
rm -rf "$dir"
mkdir -p "$dir"
nohup prometheus --config.file="$root/deploy/prometheus/ci.yml" --web.listen-address="127.0.0.1:$port" \
  --storage.tsdb.path="$dir/data" >"$dir/log" 2>&1 &
echo $! >"$dir/pid"
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
    echo "http://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "Prometheus did not become ready; its log:" >&2
cat "$dir/log" >&2
exit 1
