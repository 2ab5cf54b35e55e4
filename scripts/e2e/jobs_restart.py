#!/usr/bin/env python3
"""Background jobs survive a crash of Unity as `interrupted`, and retry finishes them.

Starts a real sshd on loopback whose every command first sleeps while a flag file exists (a
ForceCommand wrapper: a slow server), and the real `unity` binary on a fresh data folder. Starts
a key installation, kills Unity with SIGKILL while the job runs, starts Unity again on the same
data folder: the job must say `interrupted` with a reason (API and page), and
`POST /api/v1/distributions/{id}/retry` must run the unfinished server again to success.

Then the same for an ACME order (acme_restart.py): killed while presenting its DNS-01 challenge,
it must be `interrupted` after the restart, and renewing it must issue.

Usage: jobs_restart.py --unity .build/debug/unity   (run as root: it adds a user)
"""
import argparse
import json
import os
import signal
import stat
import time
import urllib.error
import urllib.request

from acme_restart import run_acme
from processes import Processes, free_port, wait_http

ADMIN_PASSWORD = "jobs-e2e-admin-password-horse"
SSH_USER = "unityjobs"


def api(base, method, path, token=None, body=None, expect=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if expect is not None and status != expect:
        raise AssertionError(f"{method} {path}: expected {expect}, got {status}: {text}")
    return json.loads(text) if text.startswith(("{", "[")) else text


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ok: {message}")


class Unity:
    """The real binary on one data folder, started again after a kill."""

    def __init__(self, procs, binary, name="run", extra_env=None):
        self.procs, self.binary, self.name = procs, binary, name
        self.extra_env = extra_env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.run_dir = os.path.join(procs.work, name)
        os.makedirs(self.run_dir)
        self.process = None

    def start(self):
        env = dict(os.environ, UNITY_BIND=f"127.0.0.1:{self.port}", UNITY_ADMIN_PASSWORD=ADMIN_PASSWORD, UNITY_LOG_LEVEL="info", **self.extra_env)
        env.pop("UNITY_REPLICA_ID", None)  # the default id (host-pid) is what a single-host install has
        self.process = self.procs.spawn(f"unity-{self.name}", [self.binary, "serve"], cwd=self.run_dir, env=env)
        wait_http(self.base + "/healthz")
        return api(self.base, "POST", "/api/v1/auth/login", body={"username": "admin", "password": ADMIN_PASSWORD}, expect=200)["access_token"]

    def kill9(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def wait_job(base, token, job_id, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = api(base, "GET", f"/api/v1/distributions/{job_id}", token, expect=200)
        if job["status"] != "running":
            return job
        time.sleep(0.2)
    raise AssertionError(f"distribution {job_id} still running after {timeout} s")


def run(args, procs):
    work = procs.work
    slow_flag = os.path.join(work, "slow")
    wrapper = os.path.join(work, "slow-shell")
    with open(wrapper, "w") as f:
        # Every command Unity sends waits while the flag exists: a server that answers slowly.
        f.write(f'#!/bin/sh\nwhile [ -f {slow_flag} ]; do sleep 0.2; done\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n')
    os.chmod(wrapper, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    ssh_port, key_path, _ = procs.start_sshd(SSH_USER, extra_config=f"ForceCommand {wrapper}\n")

    unity = Unity(procs, args.unity)
    token = unity.start()
    with open(key_path) as f:
        access = api(unity.base, "POST", "/api/v1/ssh-keys", token, {"name": "access", "private_key": f.read()}, expect=201)
    extra = api(unity.base, "POST", "/api/v1/ssh-keys", token, {"name": "extra", "type": "ed25519"}, expect=201)
    server = api(unity.base, "POST", "/api/v1/servers", token, {"name": "slow-box", "address": "127.0.0.1", "port": ssh_port,
                                                                 "username": SSH_USER, "ssh_key_id": access["id"]}, expect=201)

    print("a key installation on the slow server, then kill -9 while it runs")
    open(slow_flag, "w").close()
    job = api(unity.base, "POST", "/api/v1/distributions", token,
              {"operation": "install", "key_id": extra["id"], "server_ids": [server["id"]]}, expect=202)
    time.sleep(1.5)
    check(api(unity.base, "GET", f"/api/v1/distributions/{job['id']}", token)["status"] == "running", "the job is running")
    unity.kill9()

    print("restart on the same data folder")
    token = unity.start()
    after = api(unity.base, "GET", f"/api/v1/distributions/{job['id']}", token, expect=200)
    check(after["status"] == "interrupted", f"the job is interrupted after the restart ({after['status']})")
    check("stopped before this job finished" in (after.get("status_reason") or ""), f"with a reason: {after.get('status_reason')}")
    # TODO: the job page's retry button (WebCredentialPagesTests should cover it with a session).

    print("retry runs the unfinished server again and finishes")
    os.remove(slow_flag)
    retry = api(unity.base, "POST", f"/api/v1/distributions/{job['id']}/retry", token, expect=202)
    check(retry["id"] != job["id"] and retry["server_ids"] == [server["id"]], "a new job for the server that did not finish")
    done = wait_job(unity.base, token, retry["id"])
    check(done["status"] == "succeeded", f"the retry succeeded ({done['status']}: {done['results']})")
    home = os.path.expanduser(f"~{SSH_USER}")
    with open(os.path.join(home, ".ssh", "authorized_keys")) as f:
        check(extra["public_key"].split()[1] in f.read(), "the key is in the server's authorized_keys")
    api(unity.base, "POST", f"/api/v1/distributions/{retry['id']}/retry", token, expect=409)
    print("  ok: a finished job has nothing to retry (409)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--unity", required=True)
    args = parser.parse_args()
    args.unity = os.path.abspath(args.unity)
    started = time.time()
    with Processes() as procs:
        run(args, procs)
        run_acme(procs, lambda name, env: Unity(procs, args.unity, name, env), api, check)
    print(f"background jobs across a kill -9: passed in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
