#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser tests (Playwright drives it through ExecutablePath; it
# cannot download a browser of its own here). Prints the executable's path, for SHARDGATE_TEST_CHROMIUM.
# Usage: export SHARDGATE_TEST_CHROMIUM=$(scripts/install-test-browser.sh)
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
command -v chromium
