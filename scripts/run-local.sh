#!/usr/bin/env bash
# The run command (README): local.settings.json from the sample if missing, the local Cosmos server, Azurite, then
# func start. With --simulator, also the local LINE simulator (LinkFunctions.Simulator) on http://localhost:7080, and
# the app pointed at it through environment variables, which win over local.settings.json. Development and demos only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

simulator=false
if [ "${1:-}" = "--simulator" ]; then
  simulator=true
  shift
fi

# First, so that a newcomer who still has tools to install already has the file to fill in meanwhile.
if [ ! -f local.settings.json ]; then
  cp local.settings.sample.json local.settings.json
  echo "run: created local.settings.json from local.settings.sample.json; put your channel ID and secret in it" \
    "(LINE Developers console, your Messaging API channel, Basic settings tab)."
fi

if ! command -v func >/dev/null 2>&1; then
  cat >&2 <<'MSG'
run: Azure Functions Core Tools ('func') is not installed. Install v4, then run this again:
  npm install -g azure-functions-core-tools@4
  (or see https://learn.microsoft.com/azure/azure-functions/functions-run-local#install-the-azure-functions-core-tools)
MSG
  exit 1
fi

scripts/cosmos-start.sh

# AzureWebJobsStorage=UseDevelopmentStorage=true: the timer function (DrainLinkNotifications) keeps its schedule and
# its one-instance lock in storage, so func start needs Azurite, pinned in tools/azurite and installed from npm.
azurite_dir="$root/tools/azurite"
if ! cmp -s "$azurite_dir/package-lock.json" "$azurite_dir/node_modules/.installed-package-lock.json"; then
  npm ci --prefix "$azurite_dir" --no-audit --no-fund --loglevel=error
  cp "$azurite_dir/package-lock.json" "$azurite_dir/node_modules/.installed-package-lock.json"
fi
mkdir -p "$root/.tools/azurite"
"$azurite_dir/node_modules/.bin/azurite" --silent --skipApiVersionCheck --location "$root/.tools/azurite" \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >"$root/.tools/azurite.log" 2>&1 &
azurite_pid=$!
echo "run: Azurite for AzureWebJobsStorage (pid $azurite_pid, log .tools/azurite.log)"
simulator_pid=""
cleanup() {
  if [ -n "$simulator_pid" ]; then kill "$simulator_pid" 2>/dev/null || true; fi
  kill "$azurite_pid" 2>/dev/null || true
  scripts/cosmos-stop.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT

if $simulator; then
  dotnet build LinkFunctions.Simulator/LinkFunctions.Simulator.csproj -c Release -nologo -v quiet
  simulator_dll="LinkFunctions.Simulator/bin/Release/net10.0/LinkFunctions.Simulator.dll"
  # The simulator prints the app settings that point the app at it (LINE base URLs, channels, service pages).
  eval "$(dotnet "$simulator_dll" --app-env)"
  dotnet "$simulator_dll" --urls http://localhost:7080 &
  simulator_pid=$!
  echo "run: LINE simulator on http://localhost:7080 — open it in a browser (never the production path)."
fi

# The app reads local.settings.json from its output folder; the csproj links the root copy there.
cd LinkFunctions
func start --csharp "$@"
