#!/usr/bin/env bash
# Swagger UI end to end in headless Chromium (Debian's package, driven by playwright-core):
# every operation of the spec is listed at /docs/, and "Try it out" -> "Execute" works on
# GET /v1/exercises and GET /v1/exercises/{id} (id from BROWSER_EXERCISE_ID, default clamshells;
# any listed id while the catalogue lacks it), both as pre-filled from the documented examples
# and with every list parameter broadened, and on POST /v1/routines/generate with its example
# body. Screenshots go to .ci/out/swagger*.png.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_chromium
ensure_npm "$PIN_PLAYWRIGHT_CORE"
start_service

set +e
BASE_URL="$BASE_URL" NODE_PREFIX="$NODE_PREFIX" OUT_DIR="$OUT" \
  node "$CONF_DIR/browser.mjs" | tee "$OUT/browser.log"
rc=${PIPESTATUS[0]}
set -e
grep '^COUNTS ' "$OUT/browser.log" | tail -1 > "$OUT/browser.counts" || echo "COUNTS browser assertions=0 failed=1" > "$OUT/browser.counts"
if [ "$rc" -eq 0 ]; then echo "browser: 1 passed, 0 failed"; else echo "browser: 0 passed, 1 failed"; fi
exit "$rc"
