#!/usr/bin/env bash
# Runs the npm openai (Chat Completions and Responses) and @anthropic-ai/sdk clients, and the real clients (Claude Code,
# Codex, LangChain JS, the Vercel AI SDK), against `shardgate demo` (simulated hosts, loopback, a throwaway
# database). Installs the exact versions of the committed lockfile. Prints "N passed, N failed" last.
set -uo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

# The gateway as built by `dotnet test` (scripts/test.sh builds first); run directly so SIGTERM reaches it.
work=$(mktemp -d)
# A stalled host is given up after 2 s (60 s by default), so the stall tests end quickly.
Shardgate__Upstream__InterChunkTimeout=00:00:02 dotnet ../../src/Shardgate/bin/Debug/net10.0/shardgate.dll demo --port 0 --db "$work/demo.db" >"$work/demo.log" 2>&1 &
demo=$!
stop_demo() {
  kill -TERM "$demo" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$demo" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$demo" 2>/dev/null
  wait "$demo" 2>/dev/null
  rm -rf "$work"
}
trap stop_demo EXIT

for _ in $(seq 1 120); do
  grep -q "API key" "$work/demo.log" && break
  sleep 0.5
done
SHARDGATE_URL=$(sed -n 's|^ *Base URL *\(http[^ ]*\)/v1.*|\1|p' "$work/demo.log" | head -n 1)
SHARDGATE_KEY=$(sed -n 's|^ *API key *\([^ ]*\).*|\1|p' "$work/demo.log" | head -n 1)
SHARDGATE_ADMIN_KEY=$(sed -n 's|^ *Admin key *\([^ ]*\).*|\1|p' "$work/demo.log" | head -n 1)
if [ -z "$SHARDGATE_URL" ] || [ -z "$SHARDGATE_KEY" ] || [ -z "$SHARDGATE_ADMIN_KEY" ]; then
  cat "$work/demo.log"
  echo "0 passed, 1 failed"
  exit 1
fi
export SHARDGATE_URL SHARDGATE_KEY SHARDGATE_ADMIN_KEY

node --test --test-reporter=tap ./*.test.mjs | tee "$work/tap.txt"
status=${PIPESTATUS[0]}
passed=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$work/tap.txt")
failed=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$work/tap.txt")
echo "${passed:-0} passed, ${failed:-1} failed"
exit "$status"
