#!/usr/bin/env bash
# Replays the attacker's findings h1-h3 at scale against a release build, on 127.0.0.1 only,
# and prints what each costs the service: CPU time, RSS, file descriptors, and the latency of
# /health while under attack (benches/attack.py does the attacking).
#
#   bash benches/attack.sh
#
# h1: ATTACKERS clients (4) send hostile ids (16 KB generate bodies of unknown ids, 8 KB path
#     ids) back to back for SECONDS (10).
# h2: CONNECTIONS clients (50), each with a 4 KiB receive buffer, pipeline PIPELINED (2000)
#     `GET /v1/catalogue/export` and never read, for 5 s.
# h3: STALLED connections (1000): half send a head announcing a 16,000-byte body and one byte
#     of it, half complete one request then send one byte of the next; then silence.
# The service runs with its defaults and 2 workers; every phase is bounded in time and count,
# and every process started is stopped by PID on exit. SKIP_BUILD=1 uses target/release as is.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ATTACKERS="${ATTACKERS:-4}"
SECONDS_H1="${SECONDS_H1:-10}"
CONNECTIONS="${CONNECTIONS:-50}"
PIPELINED="${PIPELINED:-2000}"
STALLED="${STALLED:-1000}"

command -v curl >/dev/null || need_tools
if [ -z "${SKIP_BUILD:-}" ]; then build; fi
[ -x "$BIN" ] || { echo "missing $BIN" >&2; exit 1; }
echo "git: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo '+dirty')" >&2

PORT=$(free_port)
log "service on 127.0.0.1:$PORT (defaults, --workers 2, default INFO logging to a file)"
env -u RUST_LOG "$BIN" serve --bind "127.0.0.1:$PORT" --workers 2 >"$WORK/service.log" 2>&1 &
SVC=$!
BENCH_PIDS+=("$SVC")
wait_ok "http://127.0.0.1:$PORT/health"
$LIB wait-idle "$SVC" --timeout 60 # the background compression of prepared bodies

timeout 300 "$PY" "$BENCH_DIR/attack.py" "$PORT" "$SVC" --attackers "$ATTACKERS" \
    --seconds "$SECONDS_H1" --connections "$CONNECTIONS" --pipelined "$PIPELINED" \
    --stalled "$STALLED"
echo "log: $(wc -l <"$WORK/service.log") lines; WARN/ERROR lines: $(grep -cE ' (WARN|ERROR) ' "$WORK/service.log" || true)"
grep -E ' (WARN|ERROR) ' "$WORK/service.log" | head -3 || true
stop "$SVC"
