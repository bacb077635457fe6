#!/usr/bin/env bash
# Cold start: publishes benchmarks/LinkFunctions.ColdStart (the app's composition in a minimal ASP.NET Core host that
# serves the webhook function), then times fresh processes from start to the 200 of the first signed webhook
# (benchmarks/coldstart.mjs). Not part of CI. See docs/performance.md, "Cold start".
#   benchmarks/coldstart.sh            # ReadyToRun as LinkFunctions.csproj publishes it, then plain JIT, RUNS=10 each
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="benchmarks/BenchmarkDotNet.Artifacts/coldstart"
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"

for variant in r2r jit; do
  r2r=$([[ $variant == r2r ]] && echo true || echo false)
  dotnet publish benchmarks/LinkFunctions.ColdStart -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun="$r2r" -o "$out/$variant" -v q -nologo >/dev/null
  echo "== $variant (PublishReadyToRun=$r2r)"
  node benchmarks/coldstart.mjs "$out/$variant/LinkFunctions.ColdStart"
done
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
