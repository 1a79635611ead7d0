#!/usr/bin/env bash
# The whole free-exercise-db import, end to end: import ../shared/datasets/free-exercise-db,
# check the result, serve it layered over the embedded catalogue on 127.0.0.1, and assert the
# counts, that search and filters reach both layers, and that the seed exercises are
# byte-identical to the embedded ones. Skips (exit 0) with a message when ../shared is absent.
#
# Env: EXERCISE_API_BIN (default target/release/exercise-api), SHARED (default ../shared).
set -euo pipefail
source "$(dirname "$0")/conformance/lib.sh"

SHARED="${SHARED:-$ROOT/../shared}"
DATA="$SHARED/datasets/free-exercise-db/exercises.json"
if [ ! -f "$DATA" ]; then
  echo "import: skipped: $DATA is absent"
  exit 0
fi
require_bin

IMPORTED="$OUT/free-exercise-db.catalogue.json"
"$EXERCISE_API_BIN" import free-exercise-db "$DATA" > "$IMPORTED" 2> "$OUT/import.stderr"
cat "$OUT/import.stderr"
"$EXERCISE_API_BIN" check-catalogue "$IMPORTED"

# The embedded catalogue alone, for comparison (its own service).
start_service
EMBEDDED_URL="$BASE_URL"
EMBEDDED_PID="$SERVICE_PID"
SERVICE_PID=""
trap 'kill "$EMBEDDED_PID" 2>/dev/null || true; stop_service' EXIT
start_service --catalogue embedded --catalogue "$IMPORTED"
trap 'kill "$EMBEDDED_PID" 2>/dev/null || true; stop_service' EXIT

python3 "$(dirname "$0")/import_check.py" "$EMBEDDED_URL" "$BASE_URL" "$DATA" "$IMPORTED"
