"""An ACME order survives a kill -9 of Unity as `interrupted`, and renewing finishes it.

A real Pebble and pebble-challtestsrv on loopback; DNS-01 through an admin's hook (from
`UNITY_DNS_HOOKS_DIR`) that waits while a flag file exists, so Unity is killed while the attempt is
presenting its challenge. After the restart the attempt must be `interrupted` (not `running`, which
would block the order: one attempt per order), and `POST /acme/certificates/{id}/renew` must issue.
Called by jobs_restart.py, which shares the Unity process helper.
"""
import json
import os
import stat
import subprocess
import time

from processes import free_port, wait_until


def start_pebble(procs):
    """Pebble with its DNS resolver pointed at challtestsrv; returns (directory URL, listener cert PEM, challtestsrv URL)."""
    work = os.path.join(procs.work, "pebble")
    os.makedirs(work)
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    acme, management, chall, dns = free_port(), free_port(), free_port(), free_port()
    config = os.path.join(work, "pebble-config.json")
    with open(config, "w") as f:
        json.dump({"pebble": {"listenAddress": f"127.0.0.1:{acme}", "managementListenAddress": f"127.0.0.1:{management}",
                              "certificate": cert, "privateKey": key, "httpPort": free_port(), "tlsPort": 1,
                              "ocspResponderURL": ""}}, f)
    procs.spawn("challtestsrv", ["pebble-challtestsrv", "-management", f"127.0.0.1:{chall}", "-dns01", f"127.0.0.1:{dns}",
                                 "-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""])
    procs.spawn("pebble", ["pebble", "-config", config, "-dnsserver", f"127.0.0.1:{dns}"],
                env=dict(os.environ, PEBBLE_VA_NOSLEEP="1", PEBBLE_AUTHZREUSE="0"))
    deadline = time.time() + 30
    while time.time() < deadline:
        if subprocess.run(["curl", "-sfk", f"https://127.0.0.1:{acme}/dir"], capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("Pebble did not start")
    with open(cert) as f:
        return f"https://127.0.0.1:{acme}/dir", f.read(), f"http://127.0.0.1:{chall}"


def write_slow_hook(hooks_dir, flag, started):
    """lego's exec convention (`present|cleanup <fqdn> <value>`); `present` waits while `flag` exists."""
    os.makedirs(hooks_dir, mode=0o755)
    os.chmod(hooks_dir, 0o755)
    hook = os.path.join(hooks_dir, "slow-challtestsrv.sh")
    with open(hook, "w") as f:
        f.write(f"""#!/bin/sh
case "$1" in
  present)
    touch '{started}'
    while [ -f '{flag}' ]; do sleep 0.2; done
    exec curl -sf -X POST -d "{{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}}" "$HOOK_CHALLTESTSRV/set-txt" ;;
  cleanup) exec curl -sf -X POST -d "{{\\"host\\":\\"$2\\"}}" "$HOOK_CHALLTESTSRV/clear-txt" ;;
esac
""")
    os.chmod(hook, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return os.path.basename(hook)


def run_acme(procs, make_unity, api, check):
    directory_url, pebble_cert, challtestsrv = start_pebble(procs)
    hooks = os.path.join(procs.work, "hooks")
    flag, started = os.path.join(procs.work, "acme-slow"), os.path.join(procs.work, "acme-hook-started")
    hook = write_slow_hook(hooks, flag, started)
    unity = make_unity("acme", {"UNITY_DNS_HOOKS_DIR": hooks})
    token = unity.start()
    account = api(unity.base, "POST", "/api/v1/acme/accounts", token, {
        "name": "pebble", "preset": "custom", "directory_url": directory_url, "email": "ops@homelab.test",
        "trusted_roots_pem": pebble_cert, "terms_of_service_agreed": True}, expect=201)

    print("an ACME order whose DNS hook stalls, then kill -9 while it presents the challenge")
    open(flag, "w").close()
    order = api(unity.base, "POST", "/api/v1/acme/certificates", token, {
        "account_id": account["id"], "names": ["restart.lab.test"], "challenge": "dns-01",
        "dns_provider": {"type": "exec", "settings": {"hook": hook}, "secrets": {"HOOK_CHALLTESTSRV": challtestsrv}}}, expect=202)
    wait_until(lambda: os.path.exists(started), "the hook was started")
    attempt = api(unity.base, "GET", f"/api/v1/acme/certificates/{order['id']}", token, expect=200)["attempt"]
    check(attempt["outcome"] == "running" and attempt["phase"] == "presenting_challenges",
          f"the attempt is running, presenting its challenge ({attempt['outcome']}, {attempt['phase']})")
    unity.kill9()

    print("restart on the same data folder")
    token = unity.start()
    after = api(unity.base, "GET", f"/api/v1/acme/certificates/{order['id']}", token, expect=200)["attempt"]
    check(after["id"] == attempt["id"] and after["outcome"] == "interrupted", f"the attempt is interrupted ({after['outcome']})")
    check(bool(after.get("error")), f"with a reason: {after.get('error')}")

    print("renewing the order issues the certificate")
    os.remove(flag)
    renewed = api(unity.base, "POST", f"/api/v1/acme/certificates/{order['id']}/renew", token, expect=202)
    check(renewed["attempt"]["id"] != attempt["id"], "a new attempt")

    def ended():
        current = api(unity.base, "GET", f"/api/v1/acme/certificates/{order['id']}", token, expect=200)
        return current if current["attempt"]["outcome"] != "running" else None
    done = wait_until(ended, "the renewal ended", timeout=120)
    check(done["attempt"]["outcome"] == "succeeded" and done["status"] == "valid",
          f"the order is valid ({done['status']}, {done['attempt']['outcome']}: {done['attempt'].get('error')})")
    check(bool(done.get("certificate_id")), "with a certificate in the inventory")
