#!/usr/bin/env bash
# Throughput and latency of the service against a ceiling server, with the embedded catalogue.
#
#   bash benches/load.sh
#
# Builds release, starts `exercise-api serve --workers 1` pinned to core 0 and drives it with
# `wrk -t1 -c64` pinned to core 1; then serves the very same bytes from examples/ceiling.rs (one
# worker, no routing: the service's first response to the request, its header fields and its
# body, replayed) and measures it the same way; and, for comparison, the ceiling serving the
# body alone (only `Content-Type` besides what actix-web writes). Prints a table and PASS/FAIL
# per target; exits 0 unless something broke (build, start, wrk, non-2xx).
#
# Settings (environment): DURATION (seconds per measurement, default 10), WARMUP (default 3),
# LOG_PAIRS (INFO/warn pairs for the logging cost, default 3),
# CONNECTIONS (default 64), STARTUP_RUNS (default 20), SERVER_CORE / CLIENT_CORE (0 / 1),
# TRIES (4) and MAX_OTHER (5, % of the machine used by others during a run) for retries,
# QUIET_MAX_BUSY (10) and QUIET_TIMEOUT (180 s) for the wait for a quiet machine before each run,
# SKIP_BUILD=1 to use the binaries in target/release as they are.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
STARTUP_RUNS="${STARTUP_RUNS:-20}"

ENDPOINTS=(
    "/v1/exercises?muscle=gluteals&limit=20"
    "/v1/exercises/clamshells"
    "/v1/routines/knee-pain-5-best-exercises?expand=exercises"
    "/v1/exercises?q=glute+med"
    "/v1/exercises/clamshells/map.svg"
    "/v1/exercises/clamshells?lang=es"
    "/v1/routines/knee-pain-5-best-exercises?expand=exercises&lang=de"
)
BR_ENDPOINT="${ENDPOINTS[0]}"
# The logging cost is measured on the small body, where a log line weighs most.
LOG_ENDPOINT="${ENDPOINTS[1]}"

# Targets.
MIN_RATIO=0.85
MAX_P99_MS=5
MAX_RSS_MIB=30
MAX_STARTUP_MS=100

need_tools
if [ -z "${SKIP_BUILD:-}" ]; then build --example ceiling; fi
[ -x "$BIN" ] && [ -x "$CEILING" ] || { echo "missing $BIN or $CEILING" >&2; exit 1; }

echo "machine: $(nproc) cores, $(uname -r); $(wrk --version 2>&1 | head -1)" >&2
echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo '+dirty')"

broken=0
declare -A RPS P50 P99 BYTES OTHER

# measure KEY URL [wrk args]: waits for a quiet machine, warms up, then a measured run; fills
# RPS/P50/P99/OTHER[KEY]. SERVER_PID must be the server's PID. When something else used more
# than MAX_OTHER % of the machine during the run, tries again (up to TRIES runs) and keeps the
# least disturbed run.
measure() {
    local key="$1" url="$2"
    shift 2
    local try best_other=1000 rps p50 p99 non2xx sock requests
    for ((try = 1; try <= ${TRIES:-4}; try++)); do
        wait_quiet
        wrk_run "$WORK/warm.txt" "$WARMUP" "$url" "$@"
        wrk_run "$WORK/$key.try" "$DURATION" "$url" "$@"
        read -r rps p50 p99 non2xx sock requests < <($LIB parse-wrk "$WORK/$key.try")
        printf '  %-8s %-58s %8.0f req/s  p50 %6.3f ms  p99 %6.3f ms  (%s requests; before: %s%% busy; other load during: %s%%)\n' \
            "$key" "$url" "$rps" "$p50" "$p99" "$requests" "$BUSY_BEFORE" "$OTHER_CPU" >&2
        if [ "$non2xx" != 0 ] || [ "$sock" != 0 ]; then
            echo "  BROKEN: $non2xx non-2xx/3xx responses, $sock socket errors" >&2
            cat "$WORK/$key.try" >&2
            broken=1
        fi
        if [ "$OTHER_CPU" -lt "$best_other" ]; then
            best_other=$OTHER_CPU
            cp "$WORK/$key.try" "$WORK/$key.wrk"
            RPS[$key]=$rps P50[$key]=$p50 P99[$key]=$p99 OTHER[$key]=$OTHER_CPU
        fi
        [ "$OTHER_CPU" -le "${MAX_OTHER:-5}" ] && break
        echo "  (disturbed by other load; trying again)" >&2
    done
}

# ---- (a) the service at the default log level, and (b) the ceiling on the same bytes ---------
# The default is INFO: one line per request, here to a file (as under a log collector).
PORT=$(free_port)
log "service on 127.0.0.1:$PORT (default INFO logging to a file, --workers 1, core $SERVER_CORE)"
start_pinned service "$WORK/service.log" env -u RUST_LOG "$BIN" serve --bind "127.0.0.1:$PORT" --workers 1
SVC=$LAST_PID SERVER_PID=$LAST_PID
wait_ok "http://127.0.0.1:$PORT/health"
$LIB wait-idle "$SVC" --timeout 60 # the background compression of prepared bodies
read -r RSS_IDLE HWM_IDLE < <(rss_mib "$SVC")

# The service's first response to each request: its body, and its head as curl writes it.
for i in "${!ENDPOINTS[@]}"; do
    url="http://127.0.0.1:$PORT${ENDPOINTS[$i]}"
    curl -fsS -D "$WORK/head$i" -o "$WORK/body$i" "$url"
    BYTES[s$i]=$(stat -c %s "$WORK/body$i")
done
curl -fsS -H 'Accept-Encoding: br' -D "$WORK/head-br" -o "$WORK/body-br" "http://127.0.0.1:$PORT$BR_ENDPOINT"
BYTES[br]=$(stat -c %s "$WORK/body-br")

# ceiling KEY BODY HEAD [wrk args]: the ceiling serving BODY with the header fields of HEAD
# (none but Content-Type when HEAD is empty), measured like the service.
ceiling() {
    local key="$1" body="$2" head="$3"
    shift 3
    local port pid
    port=$(free_port)
    local args=(--bind "127.0.0.1:$port" --body-file "$body")
    [ -n "$head" ] && args+=(--headers-file "$head")
    start_pinned ceiling "$WORK/ceiling.log" "$CEILING" "${args[@]}"
    pid=$LAST_PID
    SERVER_PID=$pid
    wait_ok "http://127.0.0.1:$port/"
    cmp -s "$body" <(curl -fsS "http://127.0.0.1:$port/") || { echo "ceiling body differs" >&2; broken=1; }
    if [ -n "$head" ]; then
        # The same header fields but those that differ per response.
        local fields='/^(date|x-request-id):/Id; /^HTTP/d; s/\r$//'
        cmp -s <(sed -E "$fields" "$head" | sort) \
            <(curl -fsS -D - -o /dev/null "http://127.0.0.1:$port/" | sed -E "$fields" | sort) ||
            { echo "ceiling header fields differ from $head" >&2; broken=1; }
    fi
    measure "$key" "http://127.0.0.1:$port/" "$@"
    stop "$pid"
}

# Each endpoint, then the ceilings on its bytes right after (the idle service stays up), so
# that the runs of a group see the same machine.
for i in "${!ENDPOINTS[@]}"; do
    SERVER_PID=$SVC
    measure "s$i" "http://127.0.0.1:$PORT${ENDPOINTS[$i]}"
    ceiling "c$i" "$WORK/body$i" "$WORK/head$i"
    ceiling "b$i" "$WORK/body$i" ""
done
SERVER_PID=$SVC
measure "s-br" "http://127.0.0.1:$PORT$BR_ENDPOINT" -H 'Accept-Encoding: br'
ceiling "c-br" "$WORK/body-br" "$WORK/head-br" -H 'Accept-Encoding: br'
ceiling "b-br" "$WORK/body-br" "" -H 'Accept-Encoding: br'
SERVER_PID=$SVC
read -r RSS_AFTER HWM_AFTER < <(rss_mib "$SVC")
echo "  service RSS: idle ${RSS_IDLE} MiB (HWM ${HWM_IDLE}); after the runs ${RSS_AFTER} MiB (HWM ${HWM_AFTER})" >&2
stop "$SVC"

# ---- what logging costs: INFO against RUST_LOG=warn, in alternating pairs --------------------
# Two servers side by side on the same core, both idle but when measured: the default (INFO, one
# line per request to a file) and RUST_LOG=warn (no request lines). LOG_PAIRS pairs of runs,
# INFO then warn, back to back; the cost is the median of the pairs' ratios, which is steadier
# than one run of each (the machine's speed drifts by ±10 % over minutes).
LOG_LINES=$(wc -l <"$WORK/service.log")
LOG_BYTES=$(stat -c %s "$WORK/service.log")
echo "  log: $LOG_LINES lines, $LOG_BYTES bytes; last: $(tail -1 "$WORK/service.log")" >&2
INFO_PORT=$(free_port)
log "service on 127.0.0.1:$INFO_PORT (default INFO logging) and, next, with RUST_LOG=warn"
start_pinned service "$WORK/info.log" env -u RUST_LOG "$BIN" serve --bind "127.0.0.1:$INFO_PORT" --workers 1
INFO_SVC=$LAST_PID
WARN_PORT=$(free_port)
RUST_LOG=warn start_pinned service "$WORK/warn.log" "$BIN" serve --bind "127.0.0.1:$WARN_PORT" --workers 1
WARN_SVC=$LAST_PID
wait_ok "http://127.0.0.1:$INFO_PORT/health"
wait_ok "http://127.0.0.1:$WARN_PORT/health"
$LIB wait-idle "$INFO_SVC" --timeout 60
$LIB wait-idle "$WARN_SVC" --timeout 60
LOG_RATIOS=()
for ((k = 1; k <= ${LOG_PAIRS:-3}; k++)); do
    SERVER_PID=$INFO_SVC
    measure "li$k" "http://127.0.0.1:$INFO_PORT$LOG_ENDPOINT"
    : >"$WORK/info.log" # the lines are counted above; keep the disk from filling
    SERVER_PID=$WARN_SVC
    measure "lw$k" "http://127.0.0.1:$WARN_PORT$LOG_ENDPOINT"
    LOG_RATIOS+=("$(awk -v a="${RPS[li$k]}" -v b="${RPS[lw$k]}" 'BEGIN { printf "%.3f", a / b }')")
done
stop "$INFO_SVC"
stop "$WARN_SVC"
# The table's warn row is the median warn run.
read -r WARN_MEDIAN < <(for ((k = 1; k <= ${LOG_PAIRS:-3}; k++)); do echo "${RPS[lw$k]} $k"; done | sort -n | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
RPS[s-warn]=${RPS[lw$WARN_MEDIAN]} P50[s-warn]=${P50[lw$WARN_MEDIAN]}
P99[s-warn]=${P99[lw$WARN_MEDIAN]} OTHER[s-warn]=${OTHER[lw$WARN_MEDIAN]}
LOG_RATIO=$(printf '%s\n' "${LOG_RATIOS[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] }')

# ---- start-up to first 200 ------------------------------------------------------------------
log "start-up: spawn to first 200 from /health, embedded catalogue, $STARTUP_RUNS runs"
wait_quiet
read -r SU_MED SU_MAX SU_MIN SU_HWM < <($LIB startup --runs "$STARTUP_RUNS" -- taskset -c "$SERVER_CORE" "$BIN" serve --bind '127.0.0.1:{port}' --workers 1)

# ---- report -----------------------------------------------------------------------------------
pf() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN { ok = (op == "ge") ? (a >= b) : (a <= b); print ok ? "PASS" : "FAIL" }'; }
row() {
    local label="$1" s="$2" c="$3" b="$4" bytes="$5" target="${6:-yes}" ratio bratio verdict
    ratio=$(awk -v a="${RPS[$s]}" -v b="${RPS[$c]}" 'BEGIN { printf "%.2f", a / b }')
    bratio=$(awk -v a="${RPS[$s]}" -v b="${RPS[$b]}" 'BEGIN { printf "%.2f", a / b }')
    verdict=$(pf "$ratio" "$MIN_RATIO" ge)
    # A configuration row (RUST_LOG=warn) is shown for comparison, not held to the target.
    [ "$target" = yes ] || verdict="(not a target)"
    printf '| %-58s | %6s | %8.0f | %6.2f | %6.2f | %8.0f | %6.2f | %6.2f | %5s | %s | %s | %8.0f | %5s | %s / %s / %s |\n' \
        "$label" "$bytes" "${RPS[$s]}" "${P50[$s]}" "${P99[$s]}" "${RPS[$c]}" "${P50[$c]}" "${P99[$c]}" \
        "$ratio" "$verdict" "$(pf "${P99[$s]}" "$MAX_P99_MS" le)" \
        "${RPS[$b]}" "$bratio" "${OTHER[$s]}" "${OTHER[$c]}" "${OTHER[$b]}"
}
echo
echo "wrk -t1 -c${CONNECTIONS:-64} -d${DURATION}s --latency (core $CLIENT_CORE) after a ${WARMUP}s warm-up; servers: 1 worker on core $SERVER_CORE; default INFO logging (one line per request, to a file) unless noted"
echo "'other load': CPU used during the run by anything but the server and wrk, in % of all cores (another tenant or build); a run above ${MAX_OTHER:-5} % is retried up to ${TRIES:-4} times and the least disturbed one kept"
echo
echo "ceiling: the service's first response replayed (same header fields and body); body-only ceiling: the same body with only Content-Type"
echo
echo "| endpoint | body bytes | req/s | p50 ms | p99 ms | ceiling req/s | ceil p50 | ceil p99 | ratio | ≥ ${MIN_RATIO}× | p99 ≤ ${MAX_P99_MS} ms | body-only ceiling req/s | ratio to it | other load % (svc / ceil / body-only) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|"
for i in "${!ENDPOINTS[@]}"; do
    row "GET ${ENDPOINTS[$i]}" "s$i" "c$i" "b$i" "${BYTES[s$i]}"
done
row "GET $BR_ENDPOINT (Accept-Encoding: br)" "s-br" "c-br" "b-br" "${BYTES[br]}"
row "GET $LOG_ENDPOINT (RUST_LOG=warn: no request lines; median of the pairs)" "s-warn" "c1" "b1" "${BYTES[s1]}" no
echo
echo "| target | measured | result |"
echo "|---|---|---|"
echo "| RSS after the benchmark ≤ ${MAX_RSS_MIB} MiB | VmRSS ${RSS_AFTER} MiB, VmHWM ${HWM_AFTER} MiB (idle: ${RSS_IDLE} MiB, HWM ${HWM_IDLE}) | $(pf "$RSS_AFTER" "$MAX_RSS_MIB" le) (VmRSS; VmHWM $(pf "$HWM_AFTER" "$MAX_RSS_MIB" le)) |"
echo "| start-up to first 200 ≤ ${MAX_STARTUP_MS} ms (embedded, ${STARTUP_RUNS} runs) | median ${SU_MED} ms, max ${SU_MAX} ms (VmHWM ${SU_HWM} MiB) | $(pf "$SU_MAX" "$MAX_STARTUP_MS" le) |"
echo "| default INFO logging costs ≤ 5 % (INFO req/s ≥ 0.95 × RUST_LOG=warn req/s, on $LOG_ENDPOINT) | ${LOG_RATIO}×, the median of ${LOG_PAIRS:-3} back-to-back pairs (each pair's ratio: ${LOG_RATIOS[*]}); $LOG_LINES log lines, $LOG_BYTES bytes in the main INFO run | $(pf "$LOG_RATIO" 0.95 ge) |"
if [ "$broken" != 0 ]; then
    echo "something broke: see the messages above" >&2
    exit 1
fi
