#!/usr/bin/env bash
# Lints the OpenAPI document with three independent tools; zero errors and zero warnings required.
#   openapi-spec-validator  structural validity against the OpenAPI 3.1 meta-schema
#   Spectral (spectral:oas) style and correctness rules          config: .spectral.yaml
#   Redocly (recommended)   style and correctness rules          config: redocly.yaml
# Lints openapi/openapi.json, or `$EXERCISE_API_BIN openapi` output when that file is missing.
# Prints one line of counts per tool and "spec-lint: N passed, N failed".
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_venv lint "$PIN_OPENAPI_SPEC_VALIDATOR"
ensure_npm "$PIN_SPECTRAL" "$PIN_REDOCLY"
BIN="$NODE_PREFIX/node_modules/.bin"

SPEC="$(spec_file)"
log "linting $SPEC"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

failed=0
summary=()

# ---- openapi-spec-validator ----
set +e
"$VENV/bin/python" - "$SPEC" > "$WORK/osv.txt" 2>&1 <<'EOF'
import json, sys
from openapi_spec_validator import OpenAPIV31SpecValidator
spec = json.load(open(sys.argv[1]))
if not str(spec.get("openapi", "")).startswith("3.1"):
    print(f"error: expected an OpenAPI 3.1 document, got openapi={spec.get('openapi')!r}")
    print("COUNT 1")
    sys.exit(0)
n = 0
for err in OpenAPIV31SpecValidator(spec).iter_errors():
    n += 1
    path = "/".join(str(p) for p in err.absolute_path)
    print(f"error: #/{path}: {err.message[:300]}")
print(f"COUNT {n}")
EOF
rc=$?
set -e
cat "$WORK/osv.txt" | grep -v '^COUNT ' >&2 || true
osv_errors="$(sed -n 's/^COUNT //p' "$WORK/osv.txt")"
if [ "$rc" -ne 0 ] || [ -z "$osv_errors" ]; then osv_errors=1; fi
echo "openapi-spec-validator: $osv_errors errors"
summary+=("openapi-spec-validator $osv_errors errors")
[ "$osv_errors" -eq 0 ] || failed=$((failed + 1))

# ---- Spectral ----
set +e
"$BIN/spectral" lint --quiet -r "$CONF_DIR/.spectral.yaml" -f json -o "$WORK/spectral.json" "$SPEC" >/dev/null 2>"$WORK/spectral.err"
rc=$?
set -e
if [ ! -s "$WORK/spectral.json" ]; then
  cat "$WORK/spectral.err" >&2
  die "spectral produced no report (exit $rc)"
fi
# Severity: 0 error, 1 warning, 2 info, 3 hint.
node -e '
const r = require(process.argv[1]);
for (const p of r) {
  const sev = ["error", "warning", "info", "hint"][p.severity];
  console.error(`spectral ${sev} ${p.code} at #/${p.path.join("/")}: ${p.message}`);
}' "$WORK/spectral.json"
sp_err="$(node -p 'require(process.argv[1]).filter(p => p.severity === 0).length' "$WORK/spectral.json")"
sp_warn="$(node -p 'require(process.argv[1]).filter(p => p.severity === 1).length' "$WORK/spectral.json")"
sp_info="$(node -p 'require(process.argv[1]).filter(p => p.severity >= 2).length' "$WORK/spectral.json")"
echo "spectral: $sp_err errors, $sp_warn warnings, $sp_info infos/hints"
summary+=("spectral $sp_err errors $sp_warn warnings")
[ "$sp_err" -eq 0 ] && [ "$sp_warn" -eq 0 ] || failed=$((failed + 1))

# ---- Redocly ----
set +e
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$BIN/redocly" lint --config "$CONF_DIR/redocly.yaml" --format=json "$SPEC" \
  > "$WORK/redocly.json" 2>"$WORK/redocly.err"
rc=$?
set -e
if ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$WORK/redocly.json" 2>/dev/null; then
  cat "$WORK/redocly.err" >&2
  die "redocly produced no JSON report (exit $rc)"
fi
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const p of r.problems) {
  console.error(`redocly ${p.severity} ${p.ruleId} at ${(p.location[0] || {}).pointer}: ${p.message}`);
}' "$WORK/redocly.json"
rd_err="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).problems.filter(p => p.severity === "error").length' "$WORK/redocly.json")"
rd_warn="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).problems.filter(p => p.severity === "warn").length' "$WORK/redocly.json")"
echo "redocly: $rd_err errors, $rd_warn warnings"
summary+=("redocly $rd_err errors $rd_warn warnings")
[ "$rd_err" -eq 0 ] && [ "$rd_warn" -eq 0 ] || failed=$((failed + 1))

# Machine-readable totals for run-all.sh.
echo "COUNTS spec-lint osv_errors=$osv_errors spectral_errors=$sp_err spectral_warnings=$sp_warn redocly_errors=$rd_err redocly_warnings=$rd_warn" > "$OUT/spec-lint.counts"
echo "spec-lint: $((3 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
