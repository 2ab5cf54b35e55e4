#!/usr/bin/env python3
"""Alert latency bench: a collection result crossing a rule -> the webhook receiver has it.

Runs the real `unity` binary, a real sshd on loopback (the monitored "server" is this machine) and
the loopback HTTP receiver. Each round flips a rule's threshold so the next collection crosses it
(fired) or clears it (resolved), collects once, and measures
  - delivery log: Unity's own latency_ms, from the moment the collection result was parsed (the
    observation) to the receiver's answer — the figure the <= 1 s goal is about, and
  - receiver: time the receiver got the request minus the time the collect request was sent
    (an upper bound that also contains the SSH round trip and the parsing).

  python3 scripts/bench/alert_latency.py --unity .build-release/release/unity --rounds 20
"""
import argparse, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base, method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def wait_for(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise SystemExit(f"timed out waiting for {what}")


def iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--unity", default=os.path.join(ROOT, ".build-release/release/unity"))
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="unity-alert-bench-")
    procs = []
    try:
        # sshd on loopback: this machine is the monitored server.
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{work}/host"], check=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{work}/client"], check=True)
        shutil.copy(f"{work}/client.pub", f"{work}/authorized_keys")
        ssh_port = free_port()
        with open(f"{work}/sshd_config", "w") as f:
            f.write(f"HostKey {work}/host\nListenAddress 127.0.0.1:{ssh_port}\nPidFile none\nAuthorizedKeysFile {work}/authorized_keys\n"
                    "StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\nPasswordAuthentication no\n")
        os.makedirs("/run/sshd", exist_ok=True)
        procs.append(subprocess.Popen(["/usr/sbin/sshd", "-D", "-f", f"{work}/sshd_config", "-E", f"{work}/sshd.log"]))
        # The webhook receiver.
        open(f"{work}/hooks.jsonl", "w").close()
        receiver = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/testbed/http_receiver.py"), "--log", f"{work}/hooks.jsonl"],
                                    stdout=subprocess.PIPE, text=True)
        procs.append(receiver)
        hook_port = int(receiver.stdout.readline().split()[1])
        # Unity itself.
        port = free_port()
        env = dict(os.environ, UNITY_DATA_DIR=f"{work}/data", UNITY_ADMIN_PASSWORD="bench-admin-password", UNITY_SCHEDULER="off",
                   UNITY_LOG_LEVEL="warning", UNITY_BIND=f"127.0.0.1:{port}",
                   # Every round is a real state change; storm grouping would (rightly) fold them after 5.
                   UNITY_NOTIFY_BURST="1000")
        procs.append(subprocess.Popen([args.unity, "serve"], env=env, stdout=open(f"{work}/unity.log", "w"), stderr=subprocess.STDOUT))
        base = f"http://127.0.0.1:{port}"

        def ready():
            try:
                return urllib.request.urlopen(base + "/readyz", timeout=1).status == 200
            except Exception:
                return False
        wait_for(ready, 60, "unity to start")
        token = api(base, "POST", "/api/v1/auth/login", body={"username": "admin", "password": "bench-admin-password"})["access_token"]
        key = api(base, "POST", "/api/v1/ssh-keys", token, {"name": "bench", "private_key": open(f"{work}/client").read()})
        server = api(base, "POST", "/api/v1/servers", token, {"name": "self", "address": "127.0.0.1", "port": ssh_port,
                                                             "username": "root", "ssh_key_id": key["id"]})
        api(base, "POST", "/api/v1/notification-channels", token, {"name": "hook", "url": f"http://127.0.0.1:{hook_port}/hook", "all_rules": False})
        channel = api(base, "GET", "/api/v1/notification-channels", token)["items"][0]["id"]
        rule = api(base, "POST", "/api/v1/alert-rules", token, {"name": "bench", "metric": "filesystem.used_percent", "operator": ">",
                                                               "threshold": 1000, "severity": "info", "channel_ids": [channel],
                                                               "target": {"type": "resources", "resources": [f"filesystem:{server['id']}:/"]}})
        first = api(base, "POST", f"/api/v1/servers/{server['id']}/collect", token)  # first contact pins the host key
        if first["status"] != "online":
            raise SystemExit(f"collection failed: {first}")

        receiver_ms, unity_ms, collect_ms = [], [], []
        for round_ in range(args.rounds):
            threshold = 0 if round_ % 2 == 0 else 1000  # cross, then clear
            api(base, "PATCH", f"/api/v1/alert-rules/{rule['id']}", token, {"threshold": threshold})
            before = sum(1 for _ in open(f"{work}/hooks.jsonl"))
            started = time.time()
            outcome = api(base, "POST", f"/api/v1/servers/{server['id']}/collect", token)
            if outcome["status"] != "online":
                raise SystemExit(f"collection failed: {outcome}")
            collect_ms.append((time.time() - started) * 1000)
            try:
                records = wait_for(lambda: [json.loads(l) for l in open(f"{work}/hooks.jsonl")][before:] or None, 30, "the webhook")
            except SystemExit:
                print("alerts:", api(base, "GET", "/api/v1/alerts", token), file=sys.stderr)
                print("log:", api(base, "GET", "/api/v1/notifications", token), file=sys.stderr)
                print("series:", api(base, "GET", f"/api/v1/servers/{server['id']}/series", token), file=sys.stderr)
                raise
            # API timestamps have whole seconds; the client clock brackets the round instead.
            receiver_ms.append((records[0]["received_at"] - started) * 1000)
            log = api(base, "GET", f"/api/v1/notifications?channel_id={channel}&per_page=1", token)["items"][0]
            unity_ms.append(log["latency_ms"])

        def summary(values):
            values = sorted(values)
            p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
            return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"
        print(f"rounds: {args.rounds} (fired and resolved alternately), binary: {args.unity}")
        print(f"collection result -> receiver answered (Unity's delivery log, latency_ms): {summary(unity_ms)}")
        print(f"collect request sent -> receiver got the request (includes the SSH round trip): {summary(receiver_ms)}")
        print(f"whole collect request (SSH round trip + parse + store + evaluate): {summary(collect_ms)}")
        if max(unity_ms) > 1000:
            print("GOAL MISSED: a notification took longer than 1 s")
            return 1
        return 0
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
