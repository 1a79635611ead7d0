#!/usr/bin/env bash
# FHIR conformance: fetches FHIR bodies (Accept: application/fhir+json) of several exercises and
# routines from the release binary and validates each with fhir.resources' R4B models (its
# default models are R5; R4B's ActivityDefinition and PlanDefinition are R4's), plus the
# checks of fhir_check.py (content type, references resolve, FMA codings). A deliberately broken
# body must be rejected, so a validator that accepts anything fails the check.
#
# Env: EXERCISE_API_BIN (default target/release/exercise-api).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_venv fhir "$PIN_FHIR_RESOURCES"
start_service

set +e
"$VENV/bin/python" "$CONF_DIR/fhir_check.py" "$BASE_URL" \
  exercises/clamshells exercises/quad-sets exercises/goblet-squat \
  exercises/eccentric-heel-drop exercises/single-leg-deadlift \
  routines/knee-pain-5-best-exercises
rc=$?
set -e
echo "COUNTS fhir exit=$rc" > "$OUT/fhir.counts"
exit "$rc"
