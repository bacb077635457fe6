#!/usr/bin/env bash
# Stop the local Cosmos DB test server started by scripts/cosmos-start.sh
# (by the PID in its pid file) and remove the pid file. Data is in memory only.
#
# Env: COSMOS_PID_FILE (<repo>/.tools/cosmos.pid).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PID_FILE="${COSMOS_PID_FILE:-$ROOT/.tools/cosmos.pid}"

if [[ ! -f "$PID_FILE" ]]; then
  echo "cosmos: not running (no $PID_FILE)"
  exit 0
fi

pid="$(tr -d '[:space:]' <"$PID_FILE")"

# Only signal a live tools/cosmos/server.js process, never a recycled PID.
if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'cosmos/server\.js'; then
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  echo "cosmos: stopped (pid $pid)"
else
  echo "cosmos: not running (stale pid file removed)"
fi
rm -f "$PID_FILE"
