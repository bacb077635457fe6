#!/usr/bin/env bash
# The test command (README, .ci/run): installs and starts what the tests need, runs every test, stops what it started.
# With LINKFUNCTIONS_TEST_COSMOS set (an emulator or a real account), the local Cosmos server is not started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ -z "${LINKFUNCTIONS_TEST_COSMOS:-}" ]; then
  echo "test: starting the local Cosmos server (tools/cosmos)"
  scripts/cosmos-start.sh
  trap 'scripts/cosmos-stop.sh >/dev/null 2>&1 || true' EXIT
  export LINKFUNCTIONS_TEST_COSMOS="AccountEndpoint=http://127.0.0.1:${COSMOS_PORT:-8081}/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
else
  echo "test: using the Cosmos account in LINKFUNCTIONS_TEST_COSMOS"
fi

echo "test: dotnet test (restore, build, run)"
dotnet test LinkFunctions.slnx -c Release "$@"
echo "test: finished in $(( $(date +%s) - started )) s"
