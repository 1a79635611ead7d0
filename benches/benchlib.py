#!/usr/bin/env python3
"""Helpers for the shell benchmarks in this folder (standard library only).

Subcommands:
  free-port                       print a free TCP port on 127.0.0.1
  parse-wrk FILE                  print wrk's figures as tab-separated: rps p50_ms p99_ms non2xx socket_errors requests
  startup --runs N [--catalogue F] -- CMD...
                                  spawn CMD (the text {port} in it is replaced by a free port) N times,
                                  poll GET /health every 1 ms; print "median_ms max_ms min_ms vmhwm_mib"
  latency --port P --paths FILE [--passes N]
                                  one keep-alive connection; time every request of FILE (lines
                                  "class<TAB>path"), each pass over the whole file; report p50/p99 per class and pass
  scale-paths --catalogue F --per-class N --out FILE
                                  write distinct request paths per query class for a generated catalogue
  rss PID                         print "VmRSS_kB VmHWM_kB" of a process
  hammer --port P --path PATH --count N [--header "Name: value"]...
                                  N sequential GETs on one keep-alive connection (for callgrind runs)
  wait-idle PID [--timeout S]     wait until PID uses less than 2% of a core for 1 s (background work done)
  cpu-mark [PID...]               print the machine's busy CPU seconds so far, then each PID's CPU seconds
  quiet [--max-busy PCT] [--timeout S]
                                  wait until the machine's other load is low (1 s samples of /proc/stat);
                                  print the busy percentage of the last sample (of all cores)
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                k, v = line.split(":", 1)
                out[k] = int(v.split()[0])
    return out.get("VmRSS", 0), out.get("VmHWM", 0)


TICK = os.sysconf("SC_CLK_TCK")


def busy_seconds():
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal guest guest_nice
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / TICK


def pid_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / TICK
    except OSError:
        return 0.0


def quiet(args):
    """Waits for `args.samples` consecutive 1 s samples at or below `args.max_busy` % busy."""
    start = time.time()
    cores = os.cpu_count() or 1
    calm = 0
    while True:
        b0, t0 = busy_seconds(), time.time()
        time.sleep(1.0)
        pct_busy = (busy_seconds() - b0) / ((time.time() - t0) * cores) * 100
        calm = calm + 1 if pct_busy <= args.max_busy else 0
        if calm >= args.samples:
            print(f"{pct_busy:.0f}")
            return
        if time.time() - start > args.timeout:
            print(f"{pct_busy:.0f}")
            print(f"quiet: the machine is still {pct_busy:.0f}% busy after {args.timeout:.0f} s; "
                  "measuring anyway", file=sys.stderr)
            return


def to_ms(text):
    """wrk latency text such as 812.00us, 1.20ms, 2.01s -> milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def parse_wrk(path):
    rps = p50 = p99 = None
    non2xx = sock = requests = 0
    with open(path) as f:
        for line in f:
            parts = line.split()
            if line.startswith("Requests/sec:"):
                rps = float(parts[1])
            elif len(parts) == 2 and parts[0] == "50%":
                p50 = to_ms(parts[1])
            elif len(parts) == 2 and parts[0] == "99%":
                p99 = to_ms(parts[1])
            elif line.strip().startswith("Non-2xx or 3xx responses:"):
                non2xx = int(parts[-1])
            elif line.strip().startswith("Socket errors:"):
                # Socket errors: connect 0, read 0, write 0, timeout 0
                sock = sum(int(p.strip(",")) for p in parts[3::2])
            elif "requests in" in line:
                requests = int(parts[0])
    if rps is None:
        raise SystemExit(f"parse-wrk: no Requests/sec in {path}")
    return rps, p50, p99, non2xx, sock, requests


def get_health(port, timeout=0.05):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/health")
        res = conn.getresponse()
        res.read()
        return res.status
    finally:
        conn.close()


def startup(args):
    times, peaks = [], []
    for run in range(args.runs):
        port = free_port()
        cmd = [c.replace("{port}", str(port)) for c in args.cmd]
        env = dict(os.environ, RUST_LOG=os.environ.get("RUST_LOG", "warn"))
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = None
        try:
            deadline = t0 + args.timeout
            while time.perf_counter() < deadline:
                try:
                    if get_health(port) == 200:
                        elapsed = time.perf_counter() - t0
                        break
                except OSError:
                    pass
                if proc.poll() is not None:
                    raise SystemExit(f"startup: the process exited with {proc.returncode}")
                time.sleep(0.001)
            if elapsed is None:
                raise SystemExit(f"startup: no 200 from /health within {args.timeout} s")
            peaks.append(rss(proc.pid)[1])
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        times.append(elapsed * 1000)
        print(f"run {run + 1}: {elapsed * 1000:.1f} ms to first 200, VmHWM {peaks[-1] / 1024:.1f} MiB",
              file=sys.stderr)
    # One line for the shell: median_ms max_ms min_ms vmhwm_mib (largest of the runs).
    print(f"{statistics.median(times):.1f}\t{max(times):.1f}\t{min(times):.1f}\t{max(peaks) / 1024:.1f}")


def pct(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


def latency(args):
    with open(args.paths) as f:
        rows = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    results = []  # (pass, class, ms, status, bytes)
    for n in range(args.passes):
        for cls, path in rows:
            t0 = time.perf_counter()
            conn.request("GET", path)
            res = conn.getresponse()
            body = res.read()
            ms = (time.perf_counter() - t0) * 1000
            results.append((n + 1, cls, ms, res.status, len(body)))
    conn.close()
    out = []
    for n in range(1, args.passes + 1):
        for cls in dict.fromkeys(c for c, _ in rows):
            ms = [r[2] for r in results if r[0] == n and r[1] == cls]
            bad = sum(1 for r in results if r[0] == n and r[1] == cls and r[3] != 200)
            size = statistics.mean(r[4] for r in results if r[0] == n and r[1] == cls)
            out.append({"pass": n, "class": cls, "requests": len(ms), "non200": bad,
                        "p50_ms": pct(ms, 50), "p99_ms": pct(ms, 99), "max_ms": max(ms),
                        "mean_bytes": round(size)})
    print(json.dumps(out))


def wait_idle(args):
    start = time.time()
    while time.time() - start < args.timeout:
        c0 = pid_seconds(args.pid)
        time.sleep(1.0)
        if pid_seconds(args.pid) - c0 <= 0.02:
            return
    print(f"wait-idle: pid {args.pid} still busy after {args.timeout:.0f} s", file=sys.stderr)


def hammer(args):
    headers = dict(h.split(": ", 1) for h in args.header)
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
    bad = 0
    for _ in range(args.count):
        conn.request("GET", args.path, headers=headers)
        res = conn.getresponse()
        res.read()
        bad += res.status >= 400
    conn.close()
    if bad:
        raise SystemExit(f"hammer: {bad} responses of {args.count} had an error status")


def typo(word, rng):
    """One edit: swap two neighbouring letters, or replace one letter."""
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    c = rng.choice([x for x in "aeiourstln" if x != word[i]])
    return word[:i] + c + word[i + 1:]


def scale_paths(args):
    with open(args.catalogue) as f:
        doc = json.load(f)
    rng = random.Random(1)
    n = args.per_class
    groups = [m["id"] for m in doc["muscles"] if m["kind"] == "group"]
    equipment = [e["id"] for e in doc["equipment"]]
    difficulties = ["beginner", "intermediate", "advanced"]
    # Query words: words of exercise names (what people search for), 5-10 letters so a typo
    # stays within the 1-2 edit budget.
    words = sorted({w.lower() for e in doc["exercises"][::97] for w in e["name"].split()
                    if w.isalpha() and 5 <= len(w) <= 10})
    rng.shuffle(words)
    rows = []
    for k in range(n):
        g = groups[k % len(groups)]
        rows.append(("muscle=<group>&limit=20",
                     f"/v1/exercises?muscle={g}&limit=20&offset={20 * (k // len(groups))}"))
    for k in range(n):
        e = equipment[k % len(equipment)]
        d = difficulties[(k // len(equipment)) % 3]
        off = 20 * (k // (3 * len(equipment)))
        rows.append(("equipment=..&difficulty=..", f"/v1/exercises?equipment={e}&difficulty={d}&offset={off}"))
    for k in range(n):
        rows.append(("q=<word>", f"/v1/exercises?q={words[k % len(words)]}&offset={20 * (k // len(words))}"))
    for k in range(n):
        w = words[(k + n) % len(words)]
        rows.append(("q=<typo'd word>", f"/v1/exercises?q={typo(w, rng)}"))
    for k in range(n):
        rows.append(("offset=50000&limit=20", f"/v1/exercises?offset={50000 + k}&limit=20"))
    with open(args.out, "w") as f:
        for cls, path in rows:
            f.write(f"{cls}\t{path}\n")
    print(f"scale-paths: {len(rows)} paths in {len(set(c for c, _ in rows))} classes -> {args.out}",
          file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd_name", required=True)
    sub.add_parser("free-port")
    a = sub.add_parser("parse-wrk")
    a.add_argument("file")
    a = sub.add_parser("startup")
    a.add_argument("--runs", type=int, default=10)
    a.add_argument("--timeout", type=float, default=60.0)
    a.add_argument("cmd", nargs="+")
    a = sub.add_parser("latency")
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--paths", required=True)
    a.add_argument("--passes", type=int, default=2)
    a = sub.add_parser("scale-paths")
    a.add_argument("--catalogue", required=True)
    a.add_argument("--per-class", type=int, default=200)
    a.add_argument("--out", required=True)
    a = sub.add_parser("rss")
    a.add_argument("pid", type=int)
    a = sub.add_parser("hammer")
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--path", required=True)
    a.add_argument("--count", type=int, default=1000)
    a.add_argument("--header", action="append", default=[])
    a = sub.add_parser("wait-idle")
    a.add_argument("pid", type=int)
    a.add_argument("--timeout", type=float, default=600.0)
    a = sub.add_parser("cpu-mark")
    a.add_argument("pids", type=int, nargs="*")
    a = sub.add_parser("quiet")
    a.add_argument("--max-busy", type=float, default=10.0)
    a.add_argument("--timeout", type=float, default=300.0)
    a.add_argument("--samples", type=int, default=3)
    args = p.parse_args()
    if args.cmd_name == "free-port":
        print(free_port())
    elif args.cmd_name == "parse-wrk":
        print("\t".join(str(x) for x in parse_wrk(args.file)))
    elif args.cmd_name == "startup":
        startup(args)
    elif args.cmd_name == "latency":
        latency(args)
    elif args.cmd_name == "scale-paths":
        scale_paths(args)
    elif args.cmd_name == "rss":
        print(*rss(args.pid))
    elif args.cmd_name == "hammer":
        hammer(args)
    elif args.cmd_name == "wait-idle":
        wait_idle(args)
    elif args.cmd_name == "cpu-mark":
        print(f"{busy_seconds():.2f}", *(f"{pid_seconds(p):.2f}" for p in args.pids))
    elif args.cmd_name == "quiet":
        quiet(args)


if __name__ == "__main__":
    main()
