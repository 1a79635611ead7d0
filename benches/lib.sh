# Shared by load.sh, scale.sh and soak.sh: sourced, not run.
# Every process started here is recorded in BENCH_PIDS and stopped by PID on exit.

set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
BIN="$ROOT/target/release/exercise-api"
CEILING="$ROOT/target/release/examples/ceiling"
PY="${PYTHON:-python3}"
LIB="$PY $BENCH_DIR/benchlib.py"
SERVER_CORE="${SERVER_CORE:-0}"
CLIENT_CORE="${CLIENT_CORE:-1}"
BENCH_PIDS=()
# The service's graceful shutdown waits this long on SIGTERM before closing; not needed here.
export EXERCISE_API_SHUTDOWN_DRAIN_DELAY=0
WORK="$(mktemp -d "${TMPDIR:-/tmp}/exercise-api-bench.XXXXXX")"

cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]:-}"; do
        [ -n "$pid" ] || continue
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '\n== %s\n' "$*" >&2; }

# need_tools: installs wrk (and GNU time) from Debian's packages when missing.
need_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    [ -x /usr/bin/time ] || missing+=(time)
    command -v curl >/dev/null || missing+=(curl)
    command -v taskset >/dev/null || missing+=(util-linux)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# build [cargo args...]: a release build of the binary plus the given targets.
build() {
    log "cargo build --release --bins $*"
    (cd "$ROOT" && cargo build --release --bins "$@")
}

free_port() { $LIB free-port; }

# start_pinned NAME LOGFILE CMD...: starts CMD on SERVER_CORE in the background; sets LAST_PID.
start_pinned() {
    local name="$1" logfile="$2"
    shift 2
    taskset -c "$SERVER_CORE" "$@" >"$logfile" 2>&1 &
    LAST_PID=$!
    BENCH_PIDS+=("$LAST_PID")
    echo "started $name (pid $LAST_PID): $*" >&2
}

# stop PID: stops one process started here.
stop() {
    local pid="$1"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}

# wait_ok URL [SECONDS]: waits for a 200 from URL.
wait_ok() {
    local url="$1" limit="${2:-60}" start
    start=$(date +%s)
    until curl -fsS -o /dev/null "$url" 2>/dev/null; do
        if [ $(($(date +%s) - start)) -ge "$limit" ]; then
            echo "no 200 from $url within ${limit}s" >&2
            return 1
        fi
        sleep 0.05
    done
}

# rss_mib PID: prints "VmRSS VmHWM" in MiB.
rss_mib() {
    $LIB rss "$1" | awk '{printf "%.1f %.1f\n", $1/1024, $2/1024}'
}

# wait_quiet: waits (up to QUIET_TIMEOUT s, default 180) until the machine's own load, before we
# start anything, is at most QUIET_MAX_BUSY % (default 10) of all cores; sets BUSY_BEFORE.
wait_quiet() {
    BUSY_BEFORE=$($LIB quiet --max-busy "${QUIET_MAX_BUSY:-10}" --timeout "${QUIET_TIMEOUT:-180}")
}

# wrk_run OUT SECONDS URL [wrk args...] [-- script args...]: wrk on CLIENT_CORE, 1 thread, CONNECTIONS (64)
# connections, bounded by timeout; output in OUT. Sets OTHER_CPU: the CPU used during the run by
# anything but SERVER_PID and wrk, as a percentage of all cores (other tenants, a build...).
wrk_run() {
    local out="$1" secs="$2" url="$3"
    shift 3
    local m0 m1 t0 t1 a pre=() post=() after=0
    for a in "$@"; do
        if [ "$after" = 1 ]; then post+=("$a"); elif [ "$a" = "--" ]; then after=1; else pre+=("$a"); fi
    done
    [ "$after" = 1 ] && post=(-- "${post[@]}")
    m0=$($LIB cpu-mark "${SERVER_PID:-1}")
    t0=$(date +%s.%N)
    timeout $((secs + 60)) /usr/bin/time -f '%U %S' -o "$out.time" taskset -c "$CLIENT_CORE" \
        wrk -t1 -c"${CONNECTIONS:-64}" -d"${secs}s" --latency "${pre[@]}" "$url" "${post[@]}" >"$out" 2>&1 || {
        echo "wrk failed on $url:" >&2
        cat "$out" >&2
        return 1
    }
    t1=$(date +%s.%N)
    m1=$($LIB cpu-mark "${SERVER_PID:-1}")
    OTHER_CPU=$(other_cpu "$m0" "$m1" "$out.time" "$t0" "$t1")
}

# other_cpu "BUSY0 PID0" "BUSY1 PID1" WRK_TIME_FILE T0 T1: % of all cores used between T0 and T1
# by anything but the PID (cpu-mark marks) and wrk (user and system seconds in the file).
other_cpu() {
    echo "$1 $2 $(tail -1 "$3") $4 $5 $(nproc)" | awk '{
        other = ($3 - $1) - ($4 - $2) - ($5 + $6);
        pct = other / (($8 - $7) * $9) * 100; if (pct < 0) pct = 0; printf "%.0f", pct }'
}
