#!/usr/bin/env bash
# Smoke test of a running app (scripts/run-local.sh, or a deployed one): liveness, then LINE's Verify body signed
# with the channel secret (expects 200), then the same body with a wrong signature (expects 401).
#
#   scripts/smoke.sh [baseUrl]            baseUrl defaults to http://localhost:7071
#   scripts/smoke.sh --print-signature    prints the x-line-signature of the Verify body it sends, and nothing else
#
# The channel secret comes from LINE_CHANNEL_SECRET, else from Line__ChannelSecret in local.settings.json (against a
# deployed app, whose secret is in Key Vault, set LINE_CHANNEL_SECRET). The secret is never printed or put on a
# command line: node reads it from its environment. Needs curl and Node.js (the run command needs Node.js already).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
settings="$root/local.settings.json"

# LINE's published example destination; the app does not check it, so any bot user ID would do.
verify_body='{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}'
sample_secret='replace-with-your-messaging-api-channel-secret'

fail() { printf 'smoke: %s\n' "$*" >&2; exit 1; }

channel_secret() {
  if [ -n "${LINE_CHANNEL_SECRET:-}" ]; then
    printf '%s' "$LINE_CHANNEL_SECRET"
    return
  fi
  [ -f "$settings" ] || fail "no LINE_CHANNEL_SECRET and no $settings (scripts/run-local.sh creates it)."
  SMOKE_SETTINGS="$settings" node -e '
    const values = JSON.parse(require("fs").readFileSync(process.env.SMOKE_SETTINGS, "utf8")).Values || {};
    process.stdout.write(values.Line__ChannelSecret || "");'
}

# HMAC-SHA256 of the body's UTF-8 bytes keyed with the secret's UTF-8 bytes, base64: LINE's x-line-signature.
sign() {
  SMOKE_SECRET="$1" SMOKE_BODY="$2" node -e '
    const crypto = require("crypto");
    process.stdout.write(crypto.createHmac("sha256", Buffer.from(process.env.SMOKE_SECRET, "utf8"))
      .update(Buffer.from(process.env.SMOKE_BODY, "utf8")).digest("base64"));'
}

command -v node >/dev/null 2>&1 || fail "Node.js is not installed (https://nodejs.org, version 20 or later)."
secret="$(channel_secret)"
[ -n "$secret" ] || fail "the channel secret is empty: set LINE_CHANNEL_SECRET or Line__ChannelSecret in $settings."

if [ "${1:-}" = "--print-signature" ]; then
  sign "$secret" "$verify_body"
  echo
  exit 0
fi

command -v curl >/dev/null 2>&1 || fail "curl is not installed."
base="${1:-http://localhost:7071}"
base="${base%/}"
failures=0

# check <label> <expected status> <curl arguments...>
check() {
  local label="$1" expected="$2" status
  shift 2
  status="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 15 "$@" 2>/dev/null)" || true
  if [ "$status" = "$expected" ]; then
    printf 'smoke: ok    %-46s -> %s\n' "$label" "$status"
  else
    printf 'smoke: FAIL  %-46s -> %s (expected %s)\n' "$label" "${status:-000}" "$expected"
    failures=$((failures + 1))
  fi
}

post_webhook() {
  curl_args=(-X POST -H 'Content-Type: application/json; charset=utf-8' -H "x-line-signature: $1"
    --data-binary "$verify_body" "$base/api/line/webhook")
}

check "GET  $base/api/health" 200 "$base/api/health"
post_webhook "$(sign "$secret" "$verify_body")"
check "POST /api/line/webhook (signed Verify body)" 200 "${curl_args[@]}"
post_webhook "$(sign "not-$secret" "$verify_body")"
check "POST /api/line/webhook (wrong signature)" 401 "${curl_args[@]}"

if [ "$secret" = "$sample_secret" ]; then
  echo "smoke: note: local.settings.json still holds the sample secret; LINE's Verify button needs your channel's."
fi

if [ "$failures" -gt 0 ]; then
  cat >&2 <<MSG
smoke: $failures check(s) failed against $base.
  000: nothing answers there; start the app with scripts/run-local.sh and wait for the function list.
  401 on the signed body: the app holds another channel secret than this script (LINE_CHANNEL_SECRET or local.settings.json).
  503 on the signed body: the app has no channel secret yet (in Azure: set it in Key Vault, see docs/deploy.md).
MSG
  exit 1
fi
echo "smoke: all checks passed against $base"
