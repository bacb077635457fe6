#!/usr/bin/env bash
# Instructions per webhook request, counted by valgrind's callgrind: repeatable whatever else the machine runs, unlike
# the wall-clock figures of run.sh. Each variant runs in a fresh process: a warm-up JIT-compiles every method (at full
# optimisation: no tiering, no ReadyToRun code, so the counts repeat), then only the N requests of the loop are
# instrumented, on every thread (dispatch runs events on the thread pool). Not part of CI.
#   benchmarks/instructions.sh                      # every variant at 1, 10 and 100 events
#   benchmarks/instructions.sh 'app floor' 10       # some variants, one size
#   N=100 benchmarks/instructions.sh                # requests per count (default 200)
# Variants: app (WebhookProcessor: HMAC + reader + dispatch), hmac-reader, floor (HMAC + JsonDocument.Parse), hmac, reader.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
variants="${1:-app hmac-reader floor hmac reader}"
sizes="${2:-1 10 100}"
n="${N:-200}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The loop's start and end, as callgrind client requests the program calls through P/Invoke.
cat >"$out/marks.c" <<'C'
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(void) { CALLGRIND_DUMP_STATS_AT("loop"); CALLGRIND_STOP_INSTRUMENTATION; }
C
gcc -shared -fPIC -O2 -o "$out/libmarks.so" "$out/marks.c"

dotnet build benchmarks/LinkFunctions.Benchmarks -c Release -v q -nologo >/dev/null
dll="benchmarks/LinkFunctions.Benchmarks/bin/Release/net10.0/LinkFunctions.Benchmarks.dll"

printf '%-12s %7s %16s\n' variant events instructions/op
for size in $sizes; do
  for v in $variants; do
    prefix="$out/cg.$v.$size"
    CALLGRIND_MARKS="$out/libmarks.so" DOTNET_TieredCompilation=0 DOTNET_ReadyToRun=0 DOTNET_gcConcurrent=0 \
      valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$prefix" \
      dotnet "$dll" --repeat "$v" "$size" "$n" >/dev/null 2>"$prefix.log"
    total=$(grep -h '^totals:' "$prefix".* 2>/dev/null | head -1 | awk '{print $2}')
    if [[ -z "$total" ]]; then
      printf '%-12s %7s %16s\n' "$v" "$size" "failed"; tail -3 "$prefix.log"; continue
    fi
    printf '%-12s %7s %16d\n' "$v" "$size" $((total / n))
  done
done
