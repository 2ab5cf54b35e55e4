#!/usr/bin/env python3
"""Unity's web UI end to end, in real headless Chromium driven over the DevTools protocol.

Starts a real sshd on loopback (with a throwaway user and key), the real `unity` binary on a
fresh data dir, and Chromium with flags that keep it on loopback. Then, through the pages only:
sign in, import the SSH key, add the server, test and collect it, check the memory total against
/proc/meminfo, issue an internal-CA certificate, install a key with a distribution job, lower an
alert rule, watch the dashboard's live alert panel update, acknowledge the alert, enable containers
on the server and stop and start one (ui_containers.py). Screenshots of the main pages at 1280x800
and 390x844 go to the artifacts folder.
Fails if the page ever asks for anything other than the Unity address.

Usage: ui_e2e.py --unity .build/debug/unity [--artifacts artifacts/ui]   (run as root: it adds a user)
"""
import argparse
import json
import os
import re
import shutil
import time
import urllib.request

import ui_containers
from cdp import Page
from processes import Processes, free_port, wait_http

ADMIN_PASSWORD = "e2e-admin-password-correct-horse"
SSH_USER = "unityui"


def api(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def gib(num_bytes):
    """The way Unity prints sizes (WebFormat.bytes): binary units, one decimal."""
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    amount, unit = float(num_bytes), 0
    while amount >= 1024 and unit < len(units) - 1:
        amount /= 1024
        unit += 1
    return f"{num_bytes} B" if unit == 0 else f"{amount:.1f} {units[unit]}"


def mem_total_bytes():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no MemTotal in /proc/meminfo")


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ok: {message}")


def run(args, procs, work):
    base = procs.start_unity(args.unity, ADMIN_PASSWORD)
    ssh_port, key_path, fingerprint = procs.start_sshd(SSH_USER)
    page = Page(procs.start_chromium())
    procs.on_cleanup(page.close)
    shots = args.artifacts
    os.makedirs(shots, exist_ok=True)

    def shoot(name):
        for width, height in ((1280, 800), (390, 844)):
            scroll_width = page.screenshot(os.path.join(shots, f"{name}-{width}x{height}.png"), width, height)
            check(scroll_width <= width + 1, f"{name} fits {width} px without sideways scrolling (scrollWidth {scroll_width})")

    print("sign in through the form (a protected page sends us to /login and back)")
    page.navigate(base + "/servers")
    check(page.evaluate("location.pathname") == "/login", "signed-out visit lands on /login")
    page.fill("#username", "admin")
    page.fill("#password", ADMIN_PASSWORD)
    page.submit("form[action='/login'] button[type=submit]")
    check(page.evaluate("location.pathname") == "/servers", "back on /servers after signing in")

    print("import the SSH key on the credentials page")
    page.navigate(base + "/credentials")
    page.fill("#f-name", "e2e-key")
    with open(key_path) as f:
        page.fill("#f-private_key", f.read())
    page.submit("form[action='/credentials/ssh-keys'] button[type=submit]")
    html = page.html()
    check("Imported e2e-key" in html and fingerprint in html, f"key imported, fingerprint {fingerprint} shown")
    print("generate an Ed25519 key on the credentials page")
    page.fill("#f-gen_name", "e2e-generated")
    page.submit("form[action='/credentials/ssh-keys/generate'] button[type=submit]")
    html = page.html()
    check("Generated e2e-generated" in html and "ssh-ed25519 " in html, "key generated and its public key shown")
    shoot("credentials")

    print("add the server pointing at the loopback sshd")
    page.navigate(base + "/servers")
    page.fill("#f-name", "loopback-sshd")
    page.fill("#f-address", "127.0.0.1")
    page.fill("#f-port", str(ssh_port))
    page.fill("#f-username", SSH_USER)
    page.evaluate("(() => { const s = document.querySelector('#f-ssh_key_id'); s.value = [...s.options].find(o => o.text === 'e2e-key').value; })()")
    page.submit("form[method=post][action='/servers'] button[type=submit]")
    server_path = page.evaluate("location.pathname")
    problems = page.evaluate("[...document.querySelectorAll('.field-error, .error')].map(e => e.textContent).join('; ')")
    check(re.fullmatch(r"/servers/[0-9a-f-]{36}", server_path) is not None, f"redirected to the server page {server_path} {problems}")

    print("test the connection, then collect now")
    page.submit("form[action$='/test'] button")
    check("Connection OK" in page.html(), "connection test succeeded")
    page.submit("form[action$='/collect'] button")
    check("Collected in" in page.html(), "collection succeeded")
    total = page.evaluate("document.querySelector('#memory-total').dataset.bytes")
    shown = page.evaluate("document.querySelector('#memory-total').textContent")
    expected = mem_total_bytes()
    check(int(total) == expected, f"memory total {total} bytes equals /proc/meminfo MemTotal {expected}")
    check(shown == gib(expected), f"memory total shown as {shown!r} ({gib(expected)!r} expected)")
    check(page.evaluate("document.querySelectorAll('figure.chart').length") >= 4, "CPU, memory, load and filesystem charts present")
    print("discover certificates on the server (nothing is served on loopback; the file scan runs over SSH)")
    page.submit("form[action$='/certificates/discover'] button")
    notice = page.evaluate("(document.querySelector('.notice') || {}).textContent || ''")
    check(notice.startswith("Found "), f"discovery reported what it found: {notice[:160]!r}")
    page.navigate(base + server_path + "?range=1h")
    check(page.evaluate("document.querySelectorAll('polyline.chart-line, circle.chart-line').length") >= 3, "charts drawn for the last hour")
    shoot("server-detail")

    print("issue a certificate from the internal CA and find it in the inventory")
    page.navigate(base + "/certificates")
    page.fill("#f-dns_names", "e2e.home.arpa")
    page.submit("form[action='/certificates/issue'] button[type=submit]")
    check("Issued e2e.home.arpa" in page.html(), "certificate issued through the form")
    page.navigate(base + "/certificates")
    check(page.evaluate("[...document.querySelectorAll('table a')].some(a => a.textContent === 'e2e.home.arpa')"), "the certificate is in the inventory")
    check(page.evaluate("!!document.querySelector('#internal-ca a[href=\"/api/v1/ca/root.pem\"]')"), "the internal CA offers its root certificate")
    shoot("certificates")

    print("install the generated key on the server with a key distribution job")
    page.navigate(base + "/credentials/distributions")
    page.evaluate("(() => { const s = document.querySelector('#f-key_id'); s.value = [...s.options].find(o => o.text === 'e2e-generated').value; })()")
    page.evaluate("document.querySelector('input[name=server_ids]').checked = true")
    page.submit("form[action='/credentials/distributions'] button[type=submit]")
    job_path = page.evaluate("location.pathname")
    check(re.fullmatch(r"/credentials/distributions/[0-9a-f-]{36}", job_path) is not None, f"redirected to the job page {job_path}")
    page.wait_for("document.readyState === 'complete' && !document.querySelector('meta[http-equiv=refresh]') && !!document.querySelector('#servers-done')",
                  "the job page to stop refreshing", timeout=90)
    outcome = page.evaluate("(document.querySelector('.server-result') || {dataset: {}}).dataset.outcome")
    check(outcome == "succeeded", f"the key was installed and proven on the server (outcome {outcome})")
    shoot("distribution-job")

    print("lower the 'Filesystem almost full' rule so that the next collection fires it")
    page.navigate(base + "/alert-rules")
    page.evaluate("[...document.querySelectorAll('a')].find(a => a.textContent === 'Filesystem almost full').click()")
    page.wait_for("location.pathname.startsWith('/alert-rules/') && document.readyState === 'complete'", "the rule page")
    page.fill("#f-threshold", "1")
    page.fill("#f-clear_threshold", "0.5")
    page.fill("#f-for_duration", "0")
    page.submit("form[action^='/alert-rules/'] button[type=submit]:not([formaction])")
    check("Saved Filesystem almost full" in page.html(), "rule saved")

    print("dashboard: the live alert panel updates without a reload when the alert fires")
    page.navigate(base + "/")
    page.wait_for("document.querySelector('[data-live-alerts]').dataset.live === 'connected'", "the alert stream to connect")
    page.evaluate("window.__e2e_same_document = true")
    token = api(base, "POST", "/api/v1/auth/login", body={"username": "admin", "password": ADMIN_PASSWORD})["access_token"]
    api(base, "POST", "/api/v1" + server_path + "/collect", token=token)
    page.wait_for("Number(document.querySelector('#alerts-firing').textContent) > 0", "the panel to show a firing alert", timeout=30)
    check(page.evaluate("window.__e2e_same_document === true"), "panel refreshed live (same document, no reload)")
    page.navigate(base + "/")
    shoot("dashboard")

    print("acknowledge the alert on the alerts page")
    page.navigate(base + "/alerts?status=firing")
    check(page.evaluate("document.querySelectorAll('form[action$=\"/acknowledge\"]').length") > 0, "a firing alert can be acknowledged")
    page.evaluate("document.querySelector('details').open = true")
    page.fill("form[action$='/acknowledge'] input[name=note]", "e2e: looked at it")
    page.evaluate("document.querySelector('form[action$=\"/acknowledge\"] input[name=until_value_changes]').checked = true")
    page.submit("form[action$='/acknowledge'] button[type=submit]")
    html = page.html()
    notice = page.evaluate("location.href + ' ' + document.title + ' ' + (document.querySelector('.notice, main p') || {}).textContent")
    check("Acknowledged:" in html and "e2e: looked at it" in html and "badge-warn\">acknowledged" in html, f"alert acknowledged with its note ({notice})")
    page.navigate(base + "/alerts")
    shoot("alerts")

    print("edit the server through its edit page")
    page.navigate(base + server_path + "/edit")
    page.fill("#f-interval_seconds", "600")
    page.submit(f"form[action='{server_path}/edit'] button[type=submit]")
    check("Saved loopback-sshd." in page.html(), "server saved through the edit form")
    check(api(base, "GET", "/api/v1" + server_path, token=token)["interval_seconds"] == 600, "the new interval is stored")

    ui_containers.run(page, base, server_path, procs, SSH_USER, check, shoot)

    print("every request went to Unity, nowhere else")
    page.pump(0.5)
    foreign = [url for url in page.requests if not (url.startswith(base + "/") or url == base)]
    check(page.requests, f"{len(page.requests)} requests recorded")
    check(not foreign, f"no request left {base}: {foreign[:5]}")
    check(not page.console_errors, f"no script errors: {page.console_errors[:3]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--unity", required=True)
    parser.add_argument("--artifacts", default="artifacts/ui")
    args = parser.parse_args()
    args.unity = os.path.abspath(args.unity)
    started = time.time()
    with Processes() as procs:
        run(args, procs, procs.work)
    print(f"UI end-to-end: passed in {time.time() - started:.1f} s; screenshots in {args.artifacts}")


if __name__ == "__main__":
    main()
