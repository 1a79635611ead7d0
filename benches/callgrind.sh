#!/usr/bin/env bash
# Instructions per request, service against ceiling, counted by valgrind's callgrind: unlike
# req/s these counts do not depend on what else the machine is doing, so they compare builds
# (and the service with the ceiling) even on a busy machine. User-space instructions only: the
# kernel's share (socket writes, the same for both servers) is not counted.
#
#   bash benches/callgrind.sh
#
# For each endpoint of load.sh: the service (RUST_LOG=warn, 1 worker) under callgrind with
# instrumentation switched on only around COUNT sequential keep-alive requests (after start-up
# work has finished and 200 warm-up requests), then the ceiling serving the same bytes, the same way. Prints Ir/request
# and the service's costliest functions (self cost) for each endpoint.
#
# Settings (environment): COUNT (requests measured per endpoint, default 2000), TOP (functions
# listed per endpoint, default 12), SKIP_BUILD=1, KEEP_WORK=1 (keep the callgrind.out files),
# ENDPOINTS_LIST (space-separated paths instead of the four above, e.g. a body map or ?lang=es).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COUNT="${COUNT:-2000}"
TOP="${TOP:-12}"
if [ -n "${ENDPOINTS_LIST:-}" ]; then read -ra ENDPOINTS <<< "$ENDPOINTS_LIST"; else ENDPOINTS=(
    "/v1/exercises?muscle=gluteals&limit=20"
    "/v1/exercises/clamshells"
    "/v1/routines/knee-pain-5-best-exercises?expand=exercises"
    "/v1/exercises?q=glute+med"
); fi

command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
need_tools
if [ -z "${SKIP_BUILD:-}" ]; then build --example ceiling; fi

# profile NAME PATH OUTFILE CMD...: runs CMD (a server on $PORT) under callgrind and counts
# COUNT requests for PATH; sets IR to the total instructions counted.
profile() {
    local name="$1" path="$2" out="$3"
    shift 3
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" "$@" \
        >"$WORK/$name.vg.log" 2>&1 &
    local pid=$!
    BENCH_PIDS+=("$pid")
    wait_ok "http://127.0.0.1:$PORT$path" 120
    # The service compresses its prepared bodies in a background thread after start: let it
    # finish first, or its work is counted with the requests.
    $LIB wait-idle "$pid"
    $LIB hammer --port "$PORT" --path "$path" --count 200
    callgrind_control -i on "$pid" >/dev/null
    $LIB hammer --port "$PORT" --path "$path" --count "$COUNT"
    callgrind_control -i off "$pid" >/dev/null
    stop "$pid"
    IR=$(callgrind_annotate --auto=no "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done { gsub(",", "", $1); print $1; done = 1 }')
}

rows=()
for i in "${!ENDPOINTS[@]}"; do
    path="${ENDPOINTS[$i]}"
    log "callgrind: $path"
    PORT=$(free_port)
    RUST_LOG=warn profile "svc$i" "$path" "$WORK/svc$i.out" "$BIN" serve --bind "127.0.0.1:$PORT" --workers 1
    svc_ir=$IR
    # The bytes the service sends for this path, for the ceiling.
    PORT=$(free_port)
    RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:$PORT" --workers 1 >/dev/null 2>&1 &
    pid=$!
    BENCH_PIDS+=("$pid")
    wait_ok "http://127.0.0.1:$PORT/health"
    curl -fsS -o "$WORK/body$i" "http://127.0.0.1:$PORT$path"
    stop "$pid"
    PORT=$(free_port)
    profile "ceil$i" "$path" "$WORK/ceil$i.out" "$CEILING" --bind "127.0.0.1:$PORT" --body-file "$WORK/body$i"
    ceil_ir=$IR
    rows+=("$(awk -v p="$path" -v b="$(stat -c %s "$WORK/body$i")" -v s="$svc_ir" -v c="$ceil_ir" -v n="$COUNT" \
        'BEGIN { printf "| %s | %d | %.0f | %.0f | %.0f | %.2f |", p, b, s / n, c / n, (s - c) / n, c / s }')")
    echo "  service's costliest functions (self, Ir per request):" >&2
    callgrind_annotate --auto=no "$WORK/svc$i.out" 2>/dev/null |
        awk -v n="$COUNT" -v top="$TOP" '/file:function/ { on = 1; next } on && $1 ~ /^[0-9,]+$/ && k < top {
            ir = $1; gsub(",", "", ir); line = $0
            sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, "", line); sub(/ \[.*$/, "", line)
            printf "    %8.0f  %s\n", ir / n, substr(line, 1, 150); k++ }' >&2
done

echo
echo "callgrind, $COUNT sequential keep-alive GETs per endpoint after 200 warm-up requests; user-space instructions (Ir) per request"
echo
echo "| endpoint | body bytes | service Ir/req | ceiling Ir/req | difference | ceiling/service |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
