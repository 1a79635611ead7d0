#!/usr/bin/env bash
# The service on a large synthetic catalogue (100,000 exercises, 500 muscle entries).
#
#   bash benches/scale.sh
#
# Generates the catalogue with examples/generate_catalogue.rs into a temporary folder, checks it
# with `exercise-api check-catalogue`, measures start-up to the first 200 from /health and the
# peak RSS, then times single requests on one keep-alive connection (client on core 1, service
# with one worker on core 0) for five query classes. Every path of a class is distinct, so the
# first pass is uncached (the per-worker memo has never seen it); the second pass repeats the same
# paths (memo hits, while the memo has room). Also one wrk run cycling through all the paths.
#
# Settings (environment): EXERCISES (100000), MUSCLES (500), PER_CLASS (200 paths per class),
# STARTUP_RUNS (3), DURATION (wrk seconds, 10), SKIP_BUILD=1, KEEP_WORK=1 (keep the temp folder).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EXERCISES="${EXERCISES:-100000}"
MUSCLES="${MUSCLES:-500}"
PER_CLASS="${PER_CLASS:-200}"
STARTUP_RUNS="${STARTUP_RUNS:-3}"
DURATION="${DURATION:-10}"
GEN="$ROOT/target/release/examples/generate_catalogue"

MAX_STARTUP_S=3
MAX_HWM_MIB=1024
MAX_LIST_P50_MS=2

need_tools
if [ -z "${SKIP_BUILD:-}" ]; then build --example generate_catalogue; fi
CAT="$WORK/catalogue-$EXERCISES.json"

log "generating $EXERCISES exercises / $MUSCLES muscles"
/usr/bin/time -f '%e s, max RSS %M kB' "$GEN" --exercises "$EXERCISES" --muscles "$MUSCLES" --out "$CAT" 2>&1 | sed 's/^/  /' >&2
CAT_MIB=$(awk -v b="$(stat -c %s "$CAT")" 'BEGIN { printf "%.1f", b / 1048576 }')
log "check-catalogue"
/usr/bin/time -f '  check-catalogue: %e s, max RSS %M kB' "$BIN" check-catalogue "$CAT" >&2

wait_quiet
log "start-up with --catalogue ($CAT_MIB MiB), $STARTUP_RUNS runs"
read -r SU_MED SU_MAX SU_MIN SU_HWM < <($LIB startup --runs "$STARTUP_RUNS" --timeout 120 -- taskset -c "$SERVER_CORE" "$BIN" serve --bind '127.0.0.1:{port}' --workers 1 --catalogue "$CAT")
SU_MED=$(awk -v x="$SU_MED" 'BEGIN { printf "%.2f", x / 1000 }')
SU_MAX=$(awk -v x="$SU_MAX" 'BEGIN { printf "%.2f", x / 1000 }')

log "per-request latency"
$LIB scale-paths --catalogue "$CAT" --per-class "$PER_CLASS" --out "$WORK/paths.tsv"
PORT=$(free_port)
RUST_LOG=warn start_pinned service "$WORK/service.log" "$BIN" serve --bind "127.0.0.1:$PORT" --workers 1 --catalogue "$CAT"
SVC=$LAST_PID
wait_ok "http://127.0.0.1:$PORT/health" 120
$LIB wait-idle "$SVC" --timeout 120
read -r RSS_READY HWM_READY < <(rss_mib "$SVC")
wait_quiet
M0=$($LIB cpu-mark "$SVC")
T0=$(date +%s.%N)
LAT=$(timeout 600 /usr/bin/time -f '%U %S' -o "$WORK/latency.time" \
    taskset -c "$CLIENT_CORE" $LIB latency --port "$PORT" --paths "$WORK/paths.tsv" --passes 2)
T1=$(date +%s.%N)
M1=$($LIB cpu-mark "$SVC")
LAT_OTHER=$(other_cpu "$M0" "$M1" "$WORK/latency.time" "$T0" "$T1")
read -r RSS_LAT HWM_LAT < <(rss_mib "$SVC")

# wrk cycling through every path (mostly memo misses once the memo is full).
cat >"$WORK/cycle.lua" <<EOF
local paths = {}
for line in io.lines("$WORK/paths.tsv") do
  local path = line:match("\t(.*)$")
  if path then paths[#paths + 1] = path end
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
EOF
SERVER_PID=$SVC
wait_quiet
wrk_run "$WORK/cycle.wrk" "$DURATION" "http://127.0.0.1:$PORT/" -s "$WORK/cycle.lua"
read -r C_RPS C_P50 C_P99 C_NON2XX C_SOCK C_REQ < <($LIB parse-wrk "$WORK/cycle.wrk")
read -r RSS_END HWM_END < <(rss_mib "$SVC")
stop "$SVC"

pf() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "PASS" : "FAIL" }'; }
echo
echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo '+dirty')"
echo "catalogue: $EXERCISES exercises, $MUSCLES muscle entries, $CAT_MIB MiB of JSON; service: 1 worker on core $SERVER_CORE, RUST_LOG=warn"
echo
echo "| target | measured | result |"
echo "|---|---|---|"
echo "| start-up to first 200 ≤ ${MAX_STARTUP_S} s | median ${SU_MED} s, max ${SU_MAX} s ($STARTUP_RUNS runs) | $(pf "$SU_MAX" "$MAX_STARTUP_S") |"
echo "| peak RSS (VmHWM) ≤ ${MAX_HWM_MIB} MiB | ${SU_HWM} MiB at first 200; ${HWM_END} MiB after all runs (VmRSS ${RSS_END} MiB) | $(pf "$HWM_END" "$MAX_HWM_MIB") |"
LIST_P50=$($PY -c 'import json,sys; print(next(r["p50_ms"] for r in json.loads(sys.argv[1]) if r["pass"]==1 and r["class"].startswith("muscle=")))' "$LAT")
echo "| filtered list p50 ≤ ${MAX_LIST_P50_MS} ms (muscle=<group>&limit=20, uncached) | $(printf '%.2f' "$LIST_P50") ms | $(pf "$LIST_P50" "$MAX_LIST_P50_MS") |"
echo
echo "Single requests on one keep-alive connection, $PER_CLASS distinct paths per class (python http.client on core $CLIENT_CORE; includes the client's own ~0.1 ms; other load on the machine during the passes: ${LAT_OTHER}%):"
echo
$PY - "$LAT" <<'EOF'
import json, sys
rows = json.loads(sys.argv[1])
print("| query | uncached p50 ms | uncached p99 ms | uncached max ms | repeat p50 ms | repeat p99 ms | mean body bytes | non-200 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    if r["pass"] != 1:
        continue
    again = next(x for x in rows if x["pass"] == 2 and x["class"] == r["class"])
    print(f"| `{r['class']}` | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['max_ms']:.2f} | "
          f"{again['p50_ms']:.2f} | {again['p99_ms']:.2f} | {r['mean_bytes']} | {r['non200'] + again['non200']} |")
EOF
echo
echo "wrk -t1 -c${CONNECTIONS:-64} -d${DURATION}s cycling through all $((5 * PER_CLASS)) paths: $(printf '%.0f' "$C_RPS") req/s, p50 $(printf '%.2f' "$C_P50") ms, p99 $(printf '%.2f' "$C_P99") ms, $C_NON2XX non-2xx, $C_SOCK socket errors (other load ${OTHER_CPU}%)"
echo "RSS: ${RSS_READY} MiB when ready (HWM ${HWM_READY}); ${RSS_LAT} MiB after the latency passes; ${RSS_END} MiB after wrk (HWM ${HWM_END})"
if [ "$C_NON2XX" != 0 ] || [ "$C_SOCK" != 0 ]; then
    echo "something broke: non-2xx responses or socket errors" >&2
    exit 1
fi
