#!/usr/bin/env bash
# Generated clients against the live service:
#  - Python: openapi-python-client generates .ci/out/python-client/exercise_api_client from the
#    spec; clients/check.py calls every operation (each GET, and POST /v1/routines/generate)
#    through it with typed arguments (typed models, plus strict JSON Schema 2020-12 validation of
#    every body against the documented response schema).
#  - TypeScript: openapi-typescript generates .ci/out/ts/schema.d.ts; clients/check.ts calls every
#    operation with openapi-fetch typed by it; `tsc --strict --noEmit` must pass, then the
#    emitted JS runs against the service.
# Also requires the served /openapi.json to equal the spec the clients were generated from.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_venv clients "$PIN_OPENAPI_PYTHON_CLIENT" "$PIN_JSONSCHEMA"
PY_VENV="$VENV"
ensure_npm "$PIN_OPENAPI_TYPESCRIPT" "$PIN_OPENAPI_FETCH" "$PIN_TYPESCRIPT" "$PIN_TYPES_NODE"
BIN="$NODE_PREFIX/node_modules/.bin"
SPEC="$(spec_file)"

failed=0
py_calls=0
ts_calls=0

# ---- generate ----
log "generating the Python client"
rm -rf "$OUT/python-client"
mkdir -p "$OUT/python-client"
# openapi-python-client formats its output with ruff, which it finds on PATH.
PATH="$PY_VENV/bin:$PATH" "$PY_VENV/bin/openapi-python-client" generate \
  --path "$SPEC" --output-path "$OUT/python-client/exercise_api_client" --meta none \
  --config "$CONF_DIR/clients/python-client.yaml" \
  > "$OUT/python-client.log" 2>&1 || { cat "$OUT/python-client.log" >&2; die "openapi-python-client failed"; }
if grep -qiE 'warning|error' "$OUT/python-client.log"; then
  log "openapi-python-client reported problems:"; cat "$OUT/python-client.log" >&2
  failed=$((failed + 1))
fi

log "generating TypeScript types"
TS="$OUT/ts"
rm -rf "$TS"
mkdir -p "$TS"
# An absolute path: openapi-typescript takes a bare relative path for a URL.
"$BIN/openapi-typescript" "$SPEC" -o "$TS/schema.d.ts" > "$OUT/openapi-typescript.log" 2>&1 \
  || { cat "$OUT/openapi-typescript.log" >&2; die "openapi-typescript failed"; }
cp "$CONF_DIR/clients/check.ts" "$TS/check.ts"
ln -s "$NODE_PREFIX/node_modules" "$TS/node_modules"
echo '{"private": true, "type": "module"}' > "$TS/package.json"
cat > "$TS/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "strict": true,
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "lib": ["ES2022"],
    "noUnusedLocals": true,
    "noImplicitReturns": true,
    "exactOptionalPropertyTypes": false,
    "outDir": "build"
  },
  "files": ["check.ts"]
}
EOF

log "type-checking clients/check.ts (tsc --strict --noEmit)"
if ! (cd "$TS" && "$BIN/tsc" -p tsconfig.json --strict --noEmit); then
  log "tsc --strict --noEmit failed"
  failed=$((failed + 1))
  TS_OK=0
else
  (cd "$TS" && "$BIN/tsc" -p tsconfig.json)
  TS_OK=1
fi

# ---- run against the service ----
start_service

served="$(mktemp)"
curl -fsS "$BASE_URL/openapi.json" > "$served"
if ! python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' "$SPEC" "$served"; then
  log "the served /openapi.json differs from $SPEC: the clients were generated from another contract"
  failed=$((failed + 1))
fi
rm -f "$served"

log "Python client calls"
set +e
"$PY_VENV/bin/python" "$CONF_DIR/clients/check.py" "$SPEC" "$BASE_URL" "$OUT/python-client" | tee "$OUT/clients-python.log"
rc=${PIPESTATUS[0]}
set -e
py_calls="$(sed -n 's/^COUNTS python calls=\([0-9]*\).*/\1/p' "$OUT/clients-python.log")"
[ "$rc" -eq 0 ] || failed=$((failed + 1))

if [ "$TS_OK" -eq 1 ]; then
  log "TypeScript client calls"
  set +e
  BASE_URL="$BASE_URL" EXERCISE_ID="${BROWSER_EXERCISE_ID:-clamshells}" node "$TS/build/check.js" | tee "$OUT/clients-ts.log"
  rc=${PIPESTATUS[0]}
  set -e
  ts_calls="$(sed -n 's/^COUNTS ts calls=\([0-9]*\).*/\1/p' "$OUT/clients-ts.log")"
  [ "$rc" -eq 0 ] || failed=$((failed + 1))
fi

echo "COUNTS clients python_calls=${py_calls:-0} ts_calls=${ts_calls:-0} failed=$failed" > "$OUT/clients.counts"
echo "clients: ${py_calls:-0} Python client calls, ${ts_calls:-0} TypeScript client calls"
if [ "$failed" -eq 0 ]; then echo "clients: 1 passed, 0 failed"; else echo "clients: 0 passed, 1 failed"; fi
[ "$failed" -eq 0 ]
