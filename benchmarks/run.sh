#!/usr/bin/env bash
# Runs the .NET benchmarks (Release, a short job: a few minutes on 2 cores) and the Node @line/bot-sdk baseline,
# then prints both and a joined table. Not part of CI. Results land in benchmarks/BenchmarkDotNet.Artifacts/ (git-ignored).
#   benchmarks/run.sh                 # everything
#   benchmarks/run.sh '*Webhook*'     # a BenchmarkDotNet filter; the Node baseline always runs
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
filter="${1:-*}"
artifacts="benchmarks/BenchmarkDotNet.Artifacts"

echo "== machine"
echo "nproc: $(nproc)"
lscpu | grep 'Model name' || true
echo "dotnet: $(dotnet --version)"
echo "node: $(node --version)"
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)  (other work on the machine skews the numbers)"

echo
echo "== .NET (BenchmarkDotNet, Release)"
# --job short = 1 launch, 3 warmup and 3 measured iterations; 10 measured iterations give usable error bars.
dotnet run -c Release --project benchmarks/LinkFunctions.Benchmarks -- \
  --filter "$filter" --job short --iterationCount 10 --exporters json --artifacts "$artifacts"

echo
echo "== Node baseline (@line/bot-sdk validateSignature + JSON.parse)"
npm ci --prefix benchmarks/node --no-audit --no-fund
node benchmarks/node/bench.mjs --json "$artifacts/node-results.json"

report="$artifacts/results/LinkFunctions.Benchmarks.WebhookHotPathBenchmarks-report-full-compressed.json"
if [[ -f "$report" ]]; then
  echo
  echo "== .NET webhook hot path vs Node (ratio = Node ns/op ÷ .NET ns/op; target for the app's reader: ≥ 2×)"
  node benchmarks/compare.mjs "$report" "$artifacts/node-results.json"
fi
