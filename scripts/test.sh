#!/usr/bin/env bash
# Builds and runs every test project, then the npm client tests (tests/clients-node, against the demo), and prints
# one summary line: "N passed, N failed, N skipped".
# The PostgreSQL suite runs when SHARDGATE_TEST_POSTGRES holds a connection string (scripts/start-test-postgres.sh
# prints one); without it those tests are reported as skipped, with the reason.
# Extra arguments go to `dotnet test` (for example: --filter "FullyQualifiedName~Routing").
set -uo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet test Shardgate.slnx --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # The TRX logger leaves skipped tests out of "executed" without counting them anywhere else.
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(( ${t:-0} - ${e:-0} ))
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${n:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before any result was written: count that as a failure.
  failed=1
fi

# The npm SDKs and the real clients (Claude Code, Codex, LangChain JS, the AI SDK) against the demo (tests/clients-node/run.sh).
if command -v npm >/dev/null 2>&1; then
  # Through a file, not a pipe, so its output is complete before the summary line below.
  bash tests/clients-node/run.sh >"$results/node.txt" 2>&1
  node_status=$?
  cat "$results/node.txt"
  node_summary=$(tail -n 1 "$results/node.txt")
  np=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$node_summary")
  nf=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$node_summary")
  passed=$((passed + ${np:-0}))
  failed=$((failed + ${nf:-1}))
  [ "$node_status" -eq 0 ] || status=1
else
  echo "node and npm are needed for the client tests in tests/clients-node" >&2
  failed=$((failed + 1))
  status=1
fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
