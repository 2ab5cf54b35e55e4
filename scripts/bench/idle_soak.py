#!/usr/bin/env python3
"""Idle soak: `unity serve` with 100 registered servers and nothing else happening.

Samples the server's resident memory (VmRSS from /proc/<pid>/status) every minute, and counts the
database queries it makes (SQL statements logged at trace level), to check issue 13 §0: RSS after
30 minutes within 5 MB of RSS after 1 minute, and scheduler queries proportional to due work.

The 100 servers point at 127.0.0.1 port 9 (nothing listens there) with the longest collection
interval (86400 s): each is tried once right after it is added, and then is not due again during
the soak. SQLite in a scratch data folder.

    scripts/bench/idle_soak.py [--binary .build/debug/unity] [--minutes 30] [--servers 100]
                               [--write-docs docs/benchmarks.md]
"""
import argparse, json, os, re, signal, socket, subprocess, sys, tempfile, time, urllib.request

PASSWORD = "idle-soak-admin-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def call(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return json.loads(text) if text else None


def count_queries(log_path):
    """SQL statements in the trace log: all of them, and those on task_leases."""
    total = leases = 0
    statement = re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE)\b')
    with open(log_path, errors="replace") as f:
        for line in f:
            if " trace " in line and "sql=" in line and statement.search(line):
                total += 1
                if "task_leases" in line:
                    leases += 1
    return total, leases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/unity")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--servers", type=int, default=100)
    parser.add_argument("--write-docs")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="unity-idle-soak-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "UNITY_DATA_DIR": work + "/data", "UNITY_BIND": f"127.0.0.1:{port}",
           "UNITY_ADMIN_PASSWORD": PASSWORD, "UNITY_LOG_LEVEL": "trace"}
    log_path = work + "/unity.log"
    log = open(log_path, "w")
    server = subprocess.Popen([os.path.abspath(args.binary), "serve"], env=env, stdout=log, stderr=log, cwd=work)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except Exception:
                time.sleep(0.2)
        token = call(base, "POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD})["access_token"]
        for index in range(args.servers):
            call(base, "POST", "/api/v1/servers", {"name": f"idle-{index:03d}", "address": "127.0.0.1", "port": 9,
                                                   "username": "unity", "interval_seconds": 86400}, token)
        started = time.monotonic()
        samples = []  # (minute, rss kB, queries so far, lease queries so far)
        minute = 1
        while minute <= args.minutes:
            time.sleep(max(0, started + minute * 60 - time.monotonic()))
            total, leases = count_queries(log_path)
            samples.append((minute, rss_kb(server.pid), total, leases))
            print(f"minute {minute}: RSS {samples[-1][1]} kB, queries {total} (task_leases {leases})", flush=True)
            minute += 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    first, last = samples[0], samples[-1]
    span = (last[0] - first[0]) * 60 or 60
    result = {
        "binary": args.binary, "servers": args.servers, "minutes": args.minutes,
        "rss_first_kb": first[1], "rss_last_kb": last[1], "rss_growth_kb": last[1] - first[1],
        "queries_per_second": round((last[2] - first[2]) / span, 3),
        "lease_queries_per_second": round((last[3] - first[3]) / span, 3),
        "samples": samples,
    }
    print(json.dumps(result))
    if args.write_docs:
        write_docs(args.write_docs, result)
    return 0 if result["rss_growth_kb"] <= 5 * 1024 else 1


def write_docs(path, result):
    series = ", ".join(f"{m} min {rss / 1024:.1f}" for m, rss, _, _ in result["samples"]
                       if m == 1 or m % 5 == 0 or m == result["samples"][-1][0])
    block = f"""<!-- idle-soak:start -->
Command: `scripts/bench/idle_soak.py --binary {result['binary']} --minutes {result['minutes']:g} --write-docs docs/benchmarks.md`,
run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} ({result['servers']} servers at 127.0.0.1:9, collection interval 86400 s,
so each is tried once when added and is not due again; SQLite; trace logging on to count SQL statements).

| | after 1 min | after {result['samples'][-1][0]} min | growth |
|---|---|---|---|
| VmRSS | {result['rss_first_kb'] / 1024:.1f} MB | {result['rss_last_kb'] / 1024:.1f} MB | {result['rss_growth_kb'] / 1024:+.1f} MB |

Database statements from minute 1 on: {result['queries_per_second']} per second in all,
{result['lease_queries_per_second']} per second on `task_leases` (was about 13 per second).
RSS series (MB): {series}.
<!-- idle-soak:end -->"""
    text = open(path).read()
    if "<!-- idle-soak:start -->" in text:
        text = re.sub(r"<!-- idle-soak:start -->.*<!-- idle-soak:end -->", lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## Idle soak\n\n" + block + "\n"
    open(path, "w").write(text)


if __name__ == "__main__":
    sys.exit(main())
