#!/usr/bin/env bash
# Contract test: schemathesis generates requests from the served spec (/openapi.json) and checks
# every response with all of its checks (no 5xx, status codes, content types, headers and bodies
# conform to the spec, invalid input is rejected, valid input accepted, 405 + Allow for
# unsupported methods, ...). All four phases run: examples, coverage, fuzzing, stateful.
# Zero failures required. Reproducible: fixed seed, no example database.
#
# Env: EXERCISE_API_BIN (default target/release/exercise-api), ST_MAX_EXAMPLES (default 100).
# Reports (JSON, JUnit) go to .ci/out/schemathesis/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_venv schemathesis "$PIN_SCHEMATHESIS"
start_service

REPORT_DIR="$OUT/schemathesis"
rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR"

set +e
(
  cd "$REPORT_DIR" # anything schemathesis writes to its working directory stays in .ci/out
  "$VENV/bin/schemathesis" run "$BASE_URL/openapi.json" \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "${ST_MAX_EXAMPLES:-100}" \
    --seed 1 \
    --workers 1 \
    --request-timeout 10 \
    --max-response-time 5 \
    --generation-database none \
    --report json,junit \
    --report-dir "$REPORT_DIR" \
    --report-json-path "$REPORT_DIR/report.json" \
    --report-junit-path "$REPORT_DIR/junit.xml" \
    --no-color
)
rc=$?
set -e

cases="?"
failures="?"
if [ -f "$REPORT_DIR/report.json" ]; then
  cases="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_cases"]["generated"])' "$REPORT_DIR/report.json")"
  failures="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_cases"]["unique_failures"])' "$REPORT_DIR/report.json")"
fi
echo "COUNTS schemathesis cases=$cases unique_failures=$failures exit=$rc" > "$OUT/schemathesis.counts"
echo "schemathesis: $cases test cases generated, $failures unique failures (exit $rc)"
if [ "$rc" -eq 0 ]; then
  echo "schemathesis: 1 passed, 0 failed"
else
  echo "schemathesis: 0 passed, 1 failed"
fi
exit "$rc"
