#!/usr/bin/env bash
# Runs every conformance check in order, even after a failure, then prints a summary table of
# counts and times, and exits non-zero if any check failed.
#   1. spec-lint.sh     openapi-spec-validator, Spectral, Redocly on the spec
#   2. schemathesis.sh  contract fuzzing of the live service against its spec
#   3. browser.sh       Swagger UI in headless Chromium: operations listed, Try it out works
#   4. clients.sh       generated Python and TypeScript clients call every operation
#   5. bodymap.sh       body maps rendered in headless Chromium, screenshots kept in .ci/out/bodymap
# Env: EXERCISE_API_BIN (default target/release/exercise-api); see each script for more.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_bin

checks=(spec-lint schemathesis browser clients bodymap)
declare -A status seconds
failed=0

for name in "${checks[@]}"; do
  printf '\n---- %s ----\n' "$name"
  rm -f "$OUT/$name.counts"
  start=$(date +%s)
  if bash "$CONF_DIR/$name.sh"; then
    status[$name]=pass
  else
    status[$name]=FAIL
    failed=$((failed + 1))
  fi
  seconds[$name]=$(( $(date +%s) - start ))
done

# The key=value counts each script left in .ci/out/NAME.counts.
counts() {
  local f="$OUT/$1.counts"
  if [ -f "$f" ]; then cut -d' ' -f3- "$f"; else echo "(no counts: the script stopped early)"; fi
}

printf '\n==== conformance summary ====\n'
printf '%-13s %-6s %6s  %s\n' check result time counts
for name in "${checks[@]}"; do
  printf '%-13s %-6s %5ss  %s\n' "$name" "${status[$name]}" "${seconds[$name]}" "$(counts "$name")"
done
echo "conformance: $(( ${#checks[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
