#!/usr/bin/env bash
# Start-up and memory of the layered catalogue: the embedded catalogue alone, and with the whole
# free-exercise-db import layered over it (`--catalogue embedded --catalogue IMPORT`). Release
# build, one worker pinned to core 0; start-up is the time to the first 200 on /health, memory
# is VmHWM and VmRSS from /proc two seconds later (after the background compression). Five runs
# each; medians. Needs ../shared/datasets/free-exercise-db (SHARED to override).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED:-../shared}"
DATA="$SHARED/datasets/free-exercise-db/exercises.json"
[ -f "$DATA" ] || { echo "layered: $DATA is absent"; exit 1; }
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --locked
mkdir -p .ci/out
IMPORTED=.ci/out/free-exercise-db.catalogue.json
target/release/exercise-api import free-exercise-db "$DATA" > "$IMPORTED" 2>/dev/null
python3 - "$IMPORTED" <<'PY'
import socket, statistics, subprocess, sys, time, urllib.request

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def run(args):
    port = free_port()
    cmd = ["taskset", "-c", "0", "target/release/exercise-api", "--bind", f"127.0.0.1:{port}", "--workers", "1"] + args
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    sys.exit("the service exited")
                time.sleep(0.002)
        startup = time.monotonic() - t0
        time.sleep(2)
        status = {l.split(":")[0]: int(l.split()[1]) for l in open(f"/proc/{proc.pid}/status") if l.startswith(("VmHWM", "VmRSS"))}
        return startup, status["VmHWM"] / 1024, status["VmRSS"] / 1024
    finally:
        proc.terminate()
        proc.wait()

for name, args in [("embedded", []), ("layered", ["--catalogue", "embedded", "--catalogue", sys.argv[1]])]:
    runs = [run(args) for _ in range(5)]
    med = lambda i: statistics.median(r[i] for r in runs)
    print(f"{name:9} start-up to first 200: median {med(0)*1000:.0f} ms (max {max(r[0] for r in runs)*1000:.0f} ms); VmHWM {med(1):.1f} MiB; VmRSS {med(2):.1f} MiB")
PY
