#!/usr/bin/env bash
# Soak: a long wrk run against a release build with a mix of endpoints (not run in CI).
#
#   DURATION=600 bash benches/soak.sh
#
# One service (1 worker, core 0, RUST_LOG=warn, embedded catalogue) and wrk -t1 -c64 (core 1)
# with benches/soak.lua, which cycles through every resource of every kind (each exercise, muscle,
# routine with and without expand, condition, source), lists with filters and searches, varies
# Accept-Encoding, sends If-None-Match now and then, and makes every tenth request a page never
# asked before (so the per-worker memo fills up to its bound). RSS is sampled every SAMPLE
# seconds. Targets: no error (non-2xx/3xx responses and socket errors are 0) and RSS at the end
# no more than 10% above RSS after a warm-up of WARMUP seconds (the memo and the compressed
# variants fill up first; the idle RSS right after start is printed too).
#
# Settings (environment): DURATION (600), WARMUP (30), SAMPLE (60), SKIP_BUILD=1.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${DURATION:-600}"
WARMUP="${WARMUP:-30}"
SAMPLE="${SAMPLE:-60}"
MAX_GROWTH_PCT=10

need_tools
if [ -z "${SKIP_BUILD:-}" ]; then build; fi

PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
RUST_LOG=warn start_pinned service "$WORK/service.log" "$BIN" serve --bind "127.0.0.1:$PORT" --workers 1
SVC=$LAST_PID SERVER_PID=$LAST_PID
wait_ok "$BASE/health"
$LIB wait-idle "$SVC" --timeout 60
read -r RSS_IDLE HWM_IDLE < <(rss_mib "$SVC")

# Every path of the mix, from the service itself.
log "collecting paths"
$PY - "$BASE" >"$WORK/paths.txt" <<'EOF'
import json, sys, urllib.request
base = sys.argv[1]
def get(path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)
def ids(path):
    out, offset = [], 0
    while True:
        page = get(f"{path}{'&' if '?' in path else '?'}limit=100&offset={offset}")
        out += [x["id"] for x in page["data"]]
        offset += 100
        if offset >= page["meta"]["total"]:
            return out
paths = ["/health", "/v1/catalogue", "/v1/equipment", "/v1/sources", "/openapi.json",
         "/v1/exercises", "/v1/muscles", "/v1/routines", "/v1/conditions"]
for e in ids("/v1/exercises"):
    paths.append(f"/v1/exercises/{e}")
for m in ids("/v1/muscles"):
    paths += [f"/v1/muscles/{m}", f"/v1/muscles/{m}/exercises", f"/v1/exercises?muscle={m}&limit=20"]
for r in ids("/v1/routines"):
    paths += [f"/v1/routines/{r}", f"/v1/routines/{r}?expand=exercises"]
for c in ids("/v1/conditions"):
    paths += [f"/v1/conditions/{c}", f"/v1/exercises?condition={c}"]
for s in get("/v1/sources")["data"]:
    paths.append(f"/v1/sources/{s['id']}")
for q in ["glute+med", "clamshell", "bridge", "hamstirng", "knee", "calf+raise", "stretch", "band"]:
    paths.append(f"/v1/exercises?q={q}")
for eq in get("/v1/equipment")["data"]:
    for d in ["beginner", "intermediate", "advanced"]:
        paths.append(f"/v1/exercises?equipment={eq['id']}&difficulty={d}")
print("\n".join(paths))
EOF
echo "  $(wc -l <"$WORK/paths.txt") paths (plus a new page every tenth request)" >&2
while read -r p; do
    curl -fsS -o /dev/null "$BASE$p" || { echo "GET $p failed before the soak" >&2; exit 1; }
done <"$WORK/paths.txt"

log "warm-up: ${WARMUP}s"
wrk_run "$WORK/warm.wrk" "$WARMUP" "$BASE/" -s "$BENCH_DIR/soak.lua" -- "$WORK/paths.txt"
read -r RSS_START HWM_START < <(rss_mib "$SVC")

log "soak: ${DURATION}s, RSS every ${SAMPLE}s"
echo "  t=0s RSS ${RSS_START} MiB (HWM ${HWM_START})" >&2
SAMPLES=("0:$RSS_START")
M0=$($LIB cpu-mark "$SVC")
T0=$(date +%s.%N)
wrk_run "$WORK/soak.wrk" "$DURATION" "$BASE/" -s "$BENCH_DIR/soak.lua" -- "$WORK/paths.txt" &
WRK=$!
BENCH_PIDS+=("$WRK")
t=0
while kill -0 "$WRK" 2>/dev/null; do
    sleep 1
    t=$((t + 1))
    if [ $((t % SAMPLE)) -eq 0 ] && kill -0 "$SVC" 2>/dev/null; then
        read -r r h < <(rss_mib "$SVC")
        echo "  t=${t}s RSS $r MiB (HWM $h)" >&2
        SAMPLES+=("$t:$r")
    fi
done
wait "$WRK"
T1=$(date +%s.%N)
M1=$($LIB cpu-mark "$SVC")
OTHER=$(other_cpu "$M0" "$M1" "$WORK/soak.wrk.time" "$T0" "$T1")
kill -0 "$SVC" 2>/dev/null || { echo "the service died during the soak" >&2; exit 1; }
read -r RSS_END HWM_END < <(rss_mib "$SVC")
read -r rps p50 p99 non2xx sock requests < <($LIB parse-wrk "$WORK/soak.wrk")
curl -fsS -o /dev/null "$BASE/health" || { echo "no 200 from /health after the soak" >&2; exit 1; }
stop "$SVC"

growth=$(awk -v a="$RSS_START" -v b="$RSS_END" 'BEGIN { printf "%.1f", (b - a) / a * 100 }')
pf() { awk -v ok="$1" 'BEGIN { print ok ? "PASS" : "FAIL" }'; }
echo
echo "soak: wrk -t1 -c${CONNECTIONS:-64} -d${DURATION}s -s benches/soak.lua (core $CLIENT_CORE); service: 1 worker on core $SERVER_CORE, RUST_LOG=warn, embedded catalogue"
echo
echo "| measure | value |"
echo "|---|---|"
echo "| requests | $requests ($(printf '%.0f' "$rps") req/s; p50 $(printf '%.2f' "$p50") ms, p99 $(printf '%.2f' "$p99") ms; other load during the run ${OTHER} % of the machine) |"
echo "| non-2xx/3xx responses | $non2xx |"
echo "| socket errors | $sock |"
echo "| RSS idle after start | ${RSS_IDLE} MiB (HWM ${HWM_IDLE}) |"
echo "| RSS after ${WARMUP}s warm-up (start) | ${RSS_START} MiB |"
echo "| RSS samples (s:MiB) | ${SAMPLES[*]} |"
echo "| RSS at the end | ${RSS_END} MiB (HWM ${HWM_END}) |"
echo
echo "| target | measured | result |"
echo "|---|---|---|"
echo "| no errors | $non2xx non-2xx/3xx, $sock socket errors | $(pf "$([ "$non2xx" = 0 ] && [ "$sock" = 0 ] && echo 1 || echo 0)") |"
echo "| RSS growth ≤ ${MAX_GROWTH_PCT}% (end vs after warm-up) | ${RSS_START} → ${RSS_END} MiB (${growth}%) | $(pf "$(awk -v g="$growth" -v m="$MAX_GROWTH_PCT" 'BEGIN { print (g <= m) }')") |"
if [ "$non2xx" != 0 ] || [ "$sock" != 0 ]; then
    exit 1
fi
