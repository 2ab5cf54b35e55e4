#!/usr/bin/env python3
"""Container inventory over SSH: Unity versus the docker CLI over ssh, in the same run (issue 15).

Starts a private dockerd (shared/TESTBED.md §4b) with N busybox containers (image imported from the
host's busybox-static, no registry), a real sshd on 127.0.0.1–127.0.0.10 whose sessions reach that
dockerd (`SetEnv DOCKER_HOST`), and `unity serve` on a scratch SQLite data folder. Then:

- Unity warm: one container host (a monitored server reached over SSH), `POST
  /api/v1/container-hosts/{id}/discover` repeated (the pooled SSH connection and kept dial-stdio
  channel are warm after the first); the time is the HTTP round trip, so it includes listing,
  inspecting every container, reconciling the rows and answering.
- docker CLI: `docker -H ssh://user@127.0.0.1:PORT ps -aq` then `docker -H … inspect` of them all,
  the way a script inventories a host over SSH (a new SSH connection per command, as the CLI does).
- Fleet: 10 container hosts (10 servers on 10 loopback addresses, each its own SSH connection) ×
  N containers discovered at once; wall time, and Unity's RSS growth for the 10 × N rows.

    scripts/bench/container_inventory.py [--binary .build/release/unity] [--containers 100] [--rounds 10]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from deploy_engines import DockerEngine  # noqa: E402
from processes import Processes  # noqa: E402
from ui_containers import IMAGE, busybox_tarball, share_socket  # noqa: E402

PASSWORD = "container-bench-admin-password"
USER = "unitybench"
HOSTS = 10


def call(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response) if response.status != 204 else None


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def timed(function):
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def summary(values):
    values = sorted(values)
    return f"median {statistics.median(values):.1f} ms, min {values[0]:.1f}, max {values[-1]:.1f} (n={len(values)})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/unity")
    parser.add_argument("--containers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--perf", help="record `perf` call graphs of Unity during the warm rounds into this file")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)

    with Processes() as procs:
        engine = DockerEngine(procs)
        tarball = os.path.join(procs.work, "busybox.tar")
        with open(tarball, "wb") as f:
            f.write(busybox_tarball())
        engine.cli(["import", "--change", 'CMD ["sh"]', tarball, IMAGE])
        print(f"starting {args.containers} containers")
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda i: engine.cli(["run", "-d", "--name", f"bench-{i:03d}", "--network", "none",
                                                "--label", f"com.docker.compose.project=bench{i % 5}", "-e", "TZ=UTC",
                                                "-v", f"bench-data-{i}:/data", IMAGE, "sleep", "3600"]), range(args.containers)))
        listen = "\n".join(f"ListenAddress 127.0.0.{n}" for n in range(2, HOSTS + 1))
        port, key, _ = procs.start_sshd(USER, extra_config=f"{listen}\nSetEnv DOCKER_HOST=unix://{engine.socket}\nMaxSessions 20\n")
        share_socket(procs, engine, USER)

        base = procs.start_unity(binary, PASSWORD)
        pid = next(process.pid for name, process in procs.children if name == "unity")
        token = call(base, "POST", "/api/v1/auth/login", body={"username": "admin", "password": PASSWORD})["access_token"]
        with open(key) as f:
            key_id = call(base, "POST", "/api/v1/ssh-keys", token, {"name": "bench", "private_key": f.read()})["id"]
        servers = []
        for n in range(1, HOSTS + 1):
            server = call(base, "POST", "/api/v1/servers", token, {"name": f"docker-{n}", "address": f"127.0.0.{n}", "port": port,
                                                                    "username": USER, "ssh_key_id": key_id, "interval_seconds": 86400})
            assert call(base, "POST", f"/api/v1/servers/{server['id']}/test", token)["ok"], "ssh test failed"
            servers.append(server["id"])
        time.sleep(1)
        rss_before = rss_mb(pid)

        first = call(base, "POST", "/api/v1/container-hosts", token, {"server_id": servers[0]})
        assert first["status"] == "up", first
        host = first["id"]
        listed = call(base, "GET", f"/api/v1/containers?host_id={host}", token)
        assert len(listed) == args.containers, f"{len(listed)} containers inventoried"
        profiler = subprocess.Popen(["perf", "record", "-g", "-o", args.perf, "-p", str(pid)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if args.perf else None
        unity_warm = [timed(lambda: call(base, "POST", f"/api/v1/container-hosts/{host}/discover", token)) for _ in range(args.rounds)]
        if profiler:
            profiler.send_signal(2)
            profiler.wait()
        print(f"Unity warm full inventory of {args.containers}: {summary(unity_warm)}")

        home = tempfile.mkdtemp(prefix="bench-home.", dir=procs.work)
        os.makedirs(os.path.join(home, ".ssh"))
        with open(os.path.join(home, ".ssh", "config"), "w") as f:
            f.write(f"Host 127.0.0.1\n  IdentityFile {key}\n  StrictHostKeyChecking accept-new\n"
                    f"  UserKnownHostsFile {home}/.ssh/known_hosts\n  BatchMode yes\n")
        # OpenSSH reads ~/.ssh/config of the passwd entry, not $HOME: an `ssh` first in PATH passes -F.
        wrapper = os.path.join(home, "bin")
        os.makedirs(wrapper)
        with open(os.path.join(wrapper, "ssh"), "w") as f:
            f.write(f'#!/bin/sh\nexec /usr/bin/ssh -F {home}/.ssh/config "$@"\n')
        os.chmod(os.path.join(wrapper, "ssh"), 0o755)
        env = {k: v for k, v in os.environ.items() if k != "DOCKER_HOST"}
        env["HOME"] = home
        env["PATH"] = wrapper + ":" + env["PATH"]
        remote = f"ssh://{USER}@127.0.0.1:{port}"

        def cli_inventory():
            listed = subprocess.run(["docker", "-H", remote, "ps", "-aq"], env=env, capture_output=True, text=True)
            assert listed.returncode == 0, f"docker over ssh: {listed.stderr.strip()[-600:]}"
            ids = listed.stdout.split()
            assert len(ids) == args.containers, f"CLI saw {len(ids)}"
            subprocess.run(["docker", "-H", remote, "inspect", *ids], env=env, check=True, capture_output=True)

        cli_inventory()  # known_hosts written, page cache warm
        cli = [timed(cli_inventory) for _ in range(max(3, args.rounds // 2))]
        print(f"docker CLI over ssh (ps -aq + inspect all): {summary(cli)}")
        print(f"ratio: Unity warm is {statistics.median(cli) / statistics.median(unity_warm):.1f}x faster")

        hosts = [host] + [call(base, "POST", "/api/v1/container-hosts", token, {"server_id": s})["id"] for s in servers[1:]]

        def fleet_round():
            threads = [threading.Thread(target=call, args=(base, "POST", f"/api/v1/container-hosts/{h}/discover", token)) for h in hosts]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        fleet_round()
        fleet = [timed(fleet_round) for _ in range(5)]
        rows = len(call(base, "GET", "/api/v1/containers", token))
        time.sleep(1)
        rss_after = rss_mb(pid)
        print(f"{HOSTS} hosts x {args.containers} containers at once (warm): {summary(fleet)}; {rows} rows")
        print(f"Unity RSS: {rss_before:.1f} MB before any container host, {rss_after:.1f} MB with {rows} inventoried "
              f"(+{rss_after - rss_before:.1f} MB)")


if __name__ == "__main__":
    main()
