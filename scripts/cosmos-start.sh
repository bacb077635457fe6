#!/usr/bin/env bash
# Start the local Cosmos DB test server (tools/cosmos/server.js) in the
# background on http://127.0.0.1:${COSMOS_PORT:-8081}/ and wait until it answers.
# Reuses a server already started by this script if it is alive and answering.
#
# Env: COSMOS_PORT (8081), COSMOS_PID_FILE (<repo>/.tools/cosmos.pid),
#      COSMOS_LOG_FILE (<repo>/.tools/cosmos.log), COSMOS_START_TIMEOUT (30 s).
# Stop it with scripts/cosmos-stop.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="$ROOT/tools/cosmos"
PORT="${COSMOS_PORT:-8081}"
PID_FILE="${COSMOS_PID_FILE:-$ROOT/.tools/cosmos.pid}"
LOG_FILE="${COSMOS_LOG_FILE:-$ROOT/.tools/cosmos.log}"
TIMEOUT="${COSMOS_START_TIMEOUT:-30}"
URL="http://127.0.0.1:$PORT"

die() { echo "cosmos: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not installed (need Node.js >= 20)"
command -v npm >/dev/null 2>&1 || die "npm is not installed"

# Is PID a live tools/cosmos/server.js process (not a recycled PID)?
is_ours() {
  [[ "$1" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$1" 2>/dev/null || return 1
  ps -p "$1" -o args= 2>/dev/null | grep -q 'cosmos/server\.js'
}

# Does the Cosmos server answer GET / on PORT?
answers() {
  node -e '
    const req = require("http").get(process.argv[1], { timeout: 1000 }, res => {
      res.resume();
      process.exit(res.statusCode === 200 ? 0 : 1);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => process.exit(1));
  ' "$URL/" >/dev/null 2>&1
}

# Wait until PID answers on PORT; on failure print the log tail and exit 1
# (and stop PID if this run started it: second argument 1).
wait_ready() {
  local pid="$1" started="$2" deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if answers; then
      echo "cosmos: ready at $URL (pid $pid)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      echo "cosmos: server (pid $pid) exited before answering on $URL; log tail ($LOG_FILE):" >&2
      tail -n 20 "$LOG_FILE" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.2
  done
  echo "cosmos: server (pid $pid) did not answer on $URL within ${TIMEOUT}s; log tail ($LOG_FILE):" >&2
  tail -n 20 "$LOG_FILE" >&2 2>/dev/null || true
  if [[ "$started" == 1 ]]; then
    kill "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
  fi
  exit 1
}

mkdir -p "$(dirname "$PID_FILE")" "$(dirname "$LOG_FILE")"

# Reuse a running server.
if [[ -f "$PID_FILE" ]]; then
  pid="$(tr -d '[:space:]' <"$PID_FILE")"
  if is_ours "$pid"; then
    wait_ready "$pid" 0
    exit 0
  fi
  rm -f "$PID_FILE" # stale
fi

# Install the pinned package when node_modules is missing or was installed
# from a different package-lock.json (a copy of the lock is kept as a stamp).
STAMP="$TOOL/node_modules/.installed-package-lock.json"
if ! cmp -s "$TOOL/package-lock.json" "$STAMP"; then
  if ! npm ci --prefix "$TOOL" --no-audit --no-fund --loglevel=error >"$LOG_FILE.npm" 2>&1; then
    cat "$LOG_FILE.npm" >&2
    die "npm ci in tools/cosmos failed"
  fi
  rm -f "$LOG_FILE.npm"
  cp "$TOOL/package-lock.json" "$STAMP"
fi

if answers; then
  die "something else already answers on $URL (not started by this script); stop it or set COSMOS_PORT"
fi

nohup node "$TOOL/server.js" --port "$PORT" >"$LOG_FILE" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$PID_FILE"
wait_ready "$pid" 1
