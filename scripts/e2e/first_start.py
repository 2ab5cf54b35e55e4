#!/usr/bin/env python3
"""The first start, as a newcomer sees it (issue 13 §8), on the real binary.

* `unity --help` and every command's `--help` leave the current folder empty: no database, no
  master.key, no data folder.
* `unity serve --bind 127.0.0.1:PORT` on a fresh data folder prints a few lines only: one summary for
  the migrations, no warning or error, and a banner with the URL of the address actually bound, the
  admin user, a one-time password that signs in, and the data folder.

Usage: first_start.py --unity .build/debug/unity
"""
import argparse
import json
import os
import re
import subprocess
import time
import urllib.request

from processes import Processes, free_port, wait_http


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ok: {message}")


def help_touches_nothing(binary, work):
    folder = os.path.join(work, "help")
    os.makedirs(folder)
    env = {"PATH": os.environ["PATH"], "HOME": folder}
    commands = subprocess.run([binary, "--help"], cwd=folder, env=env, capture_output=True, text=True, timeout=60).stdout
    names = re.findall(r"^\s+([a-z][a-z-]+) ", commands, re.MULTILINE)
    check(len(names) >= 5, f"--help lists the commands ({', '.join(names)})")
    for name in names:
        subprocess.run([binary, name, "--help"], cwd=folder, env=env, capture_output=True, timeout=60)
    check(os.listdir(folder) == [], f"--help of unity and of {len(names)} commands left the folder empty ({os.listdir(folder)})")


def first_start(procs, binary):
    port = free_port()
    data = os.path.join(procs.work, "data")
    run_dir = os.path.join(procs.work, "run")
    os.makedirs(run_dir)
    env = {"PATH": os.environ["PATH"], "HOME": run_dir, "UNITY_DATA_DIR": data}
    procs.spawn("unity", [binary, "serve", "--bind", f"127.0.0.1:{port}"], cwd=run_dir, env=env)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/healthz")
    log_path = os.path.join(procs.work, "unity.log")
    deadline = time.time() + 10
    while "shown only once" not in open(log_path, errors="replace").read() and time.time() < deadline:
        time.sleep(0.1)
    lines = [line for line in open(log_path, errors="replace").read().splitlines() if line.strip()]
    log_lines = [line for line in lines if re.match(r"^\d{4}-\d\d-\d\dT", line)]
    check(len(log_lines) <= 4, f"{len(log_lines)} log lines before the banner: {log_lines}")
    check(sum("migration" in line for line in log_lines) == 1, "one summary line for the migrations")
    check(not any(re.search(r"\b(warning|error|critical)\b", line) for line in log_lines), "no warning or error")
    banner = "\n".join(lines)
    check(f"URL:      {base}" in banner, f"the banner names the bound address {base}")
    check(re.search(r"Username: admin\b", banner) is not None, "the banner names the admin user")
    check(f"Data:     {data}" in banner, "the banner names the data folder")
    password = re.search(r"Password: (\S+)", banner)
    check(password is not None, "the banner shows a one-time password")
    request = urllib.request.Request(base + "/api/v1/auth/login", method="POST",
                                     data=json.dumps({"username": "admin", "password": password.group(1)}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        check(response.status == 200 and "access_token" in json.load(response), "the password signs in")
    check(sorted(os.listdir(run_dir)) == [], f"nothing was written to the current folder ({os.listdir(run_dir)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--unity", required=True)
    args = parser.parse_args()
    binary = os.path.abspath(args.unity)
    started = time.time()
    with Processes() as procs:
        help_touches_nothing(binary, procs.work)
        first_start(procs, binary)
    print(f"first start: passed in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
