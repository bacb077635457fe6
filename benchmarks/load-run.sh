#!/usr/bin/env bash
# The webhook load run (docs/performance.md, "Load run"): the in-process webhook path against the local Cosmos
# server and the LINE fake, with the mix 90% ignored events, 5% link keyword, 4% follow, 1% accountLink (fresh links).
# Prints p50, p99 and the rate reached. CI runs the same test at 300 requests and asserts only correctness.
#   benchmarks/load-run.sh                 # 20000 requests, 8 concurrent callers
#   benchmarks/load-run.sh 50000 16        # requests, concurrency
# COSMOS_PORT picks the local server's port (default 8081), as for scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
report="$root/benchmarks/BenchmarkDotNet.Artifacts/load-run.txt"
mkdir -p "$(dirname "$report")"
rm -f "$report"

export LINKFUNCTIONS_LOAD_REQUESTS="${1:-20000}"
export LINKFUNCTIONS_LOAD_CONCURRENCY="${2:-8}"
export LINKFUNCTIONS_LOAD_REPORT="$report"
echo "load run: $LINKFUNCTIONS_LOAD_REQUESTS requests, concurrency $LINKFUNCTIONS_LOAD_CONCURRENCY; $(nproc) cores; $(lscpu | grep 'Model name' | sed 's/  */ /g' || true)"
log="${report%.txt}.log"
if ! bash scripts/test.sh --filter "FullyQualifiedName~WebhookLoadRunTests" >"$log" 2>&1; then
  tail -40 "$log"
  exit 1
fi
cat "$report"
