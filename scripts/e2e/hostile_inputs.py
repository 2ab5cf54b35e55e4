#!/usr/bin/env python3
"""Black-box pass of hostile inputs against a running `unity serve` (CI runs it after schemathesis).

Each check talks to the real binary over HTTP, as an attacker or a low-privilege user would, and
fails loudly with what came back. Standard library only.

  hostile_inputs.py --base http://127.0.0.1:PORT --admin-key unity_…

Checks:
  * open redirect after sign-in: hostile `next` values never produce a Location that a browser
    resolves to another host (tabs, newlines, backslashes, encoded slashes, schemes);
  * channel URL redaction: a viewer and a read-scope key see neither the secret path segment nor the
    secret query value of a webhook URL, nor an ntfy topic;
  * alert streams (SSE) end when the key that opened them is revoked and when the user is disabled.
"""
import argparse
import http.client
import json
import re
import secrets
import sys
import threading
import time
import urllib.parse

FAILURES = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        FAILURES.append(message)


class Unity:
    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port

    def request(self, method, path, body=None, token=None, headers=None, raw_body=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = "Bearer " + token
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), payload

    def json(self, method, path, body=None, token=None, expect=(200, 201)):
        status, _, payload = self.request(method, path, body=body, token=token)
        if status not in expect:
            raise SystemExit(f"{method} {path} answered {status}: {payload[:300]!r}")
        return json.loads(payload) if payload else None


def login_redirect(unity, username, password, next_value):
    """Signs in through the browser form with `next_value` and returns the Location header."""
    status, headers, _ = unity.request("GET", "/login")
    cookie = headers.get("set-cookie", "")
    match = re.search(r"unity_login_csrf=([^;]+)", cookie)
    if not match:
        raise SystemExit(f"GET /login set no CSRF cookie ({status})")
    csrf = match.group(1)
    form = urllib.parse.urlencode({"username": username, "password": password,
                                   "next": next_value, "csrf_token": csrf})
    status, headers, payload = unity.request(
        "POST", "/login", raw_body=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"unity_login_csrf={csrf}"})
    if status not in (302, 303, 307):
        raise SystemExit(f"sign-in with next={next_value!r} answered {status}: {payload[:200]!r}")
    return headers.get("location", "")


def browser_host(location):
    """The host a browser would navigate to for this Location, or None for a same-origin path.
    Follows the WHATWG URL parser's rules that matter here: tab/CR/LF are removed, leading C0
    controls and spaces trimmed, and a backslash counts as a slash in special URLs."""
    cleaned = re.sub(r"[\t\r\n]", "", location).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                      "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    cleaned = cleaned.replace("\\", "/")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", cleaned):
        return urllib.parse.urlsplit(cleaned).hostname or "(scheme)"
    if cleaned.startswith("//"):
        return urllib.parse.urlsplit("http:" + cleaned).hostname or "(empty host)"
    return None


def open_redirects(unity, username, password):
    hostile = ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example",
               "//evil.example", "/%09/evil.example", "/%2F%2Fevil.example", "https://evil.example/",
               "javascript:alert(1)", " /\t/evil.example", "\t//evil.example", "/\x00/evil.example",
               "http:evil.example", "/.//evil.example"]
    for value in hostile:
        location = login_redirect(unity, username, password, value)
        host = browser_host(location)
        check(host is None and location.startswith("/") and not re.search(r"[\x00-\x20\\]", location),
              f"sign-in with next={value!r} redirects within Unity (Location {location!r})")
    location = login_redirect(unity, username, password, "/servers?status=down")
    check(location == "/servers?status=down", f"a safe next is kept (Location {location!r})")


def redaction(unity, admin_key, viewer_token, read_key):
    secret_path = "opensesame-" + secrets.token_hex(4)
    secret_query = "hunter2" + secrets.token_hex(4)
    topic = "topic-" + secrets.token_hex(6)
    webhook = unity.json("POST", "/api/v1/notification-channels", token=admin_key, body={
        "name": "hostile-webhook",
        "url": f"generic+http://127.0.0.1:9/a/{secret_path}/b?code={secret_query}&token=t0k3n{secrets.token_hex(4)}"})
    ntfy = unity.json("POST", "/api/v1/notification-channels", token=admin_key, body={
        "name": "hostile-ntfy", "url": f"ntfy://ntfy.example/{topic}"})
    for who, token in (("viewer", viewer_token), ("read key", read_key)):
        for path in ("/api/v1/notification-channels", f"/api/v1/notification-channels/{webhook['id']}",
                     f"/api/v1/notification-channels/{ntfy['id']}"):
            status, _, payload = unity.request("GET", path, token=token)
            text = payload.decode("utf-8", "replace")
            check(status == 200 and secret_path not in text and secret_query not in text and topic not in text,
                  f"{who}: GET {path} shows no secret path, query value or ntfy topic ({status})")
    for channel in (webhook, ntfy):
        unity.request("DELETE", f"/api/v1/notification-channels/{channel['id']}", token=admin_key)


def stream_ends(unity, token, revoke, label, timeout):
    """Opens the alert stream with `token`, runs `revoke`, and checks the stream ends in time."""
    ended = threading.Event()
    opened = threading.Event()
    status_box = {}

    def reader():
        conn = http.client.HTTPConnection(unity.host, unity.port, timeout=timeout + 30)
        conn.request("GET", "/api/v1/alerts/stream", headers={"Authorization": "Bearer " + token,
                                                             "Accept": "text/event-stream"})
        resp = conn.getresponse()
        status_box["status"] = resp.status
        opened.set()
        try:
            while resp.read1(1024) if hasattr(resp, "read1") else resp.read(1):
                pass
        except Exception:
            pass
        ended.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    opened.wait(15)
    check(status_box.get("status") == 200, f"{label}: the stream opens ({status_box.get('status')})")
    time.sleep(0.5)
    started = time.monotonic()
    revoke()
    check(ended.wait(timeout), f"{label}: the stream ends after revocation "
          f"({'%.1f s' % (time.monotonic() - started) if ended.is_set() else 'still open after %d s' % timeout})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--stream-timeout", type=int, default=40,
                        help="seconds a stream may stay open after revocation (a heartbeat or two)")
    args = parser.parse_args()
    unity = Unity(args.base)

    password = "hostile-" + secrets.token_hex(12)
    name = "hostile" + secrets.token_hex(3)
    viewer = unity.json("POST", "/api/v1/users", token=args.admin_key,
                        body={"username": name, "role": "viewer", "password": password})["user"]
    viewer_token = unity.json("POST", "/api/v1/auth/login", body={"username": name, "password": password})["access_token"]
    read_key = unity.json("POST", "/api/v1/api-keys", token=viewer_token, body={"name": "hostile", "scopes": ["read"]})

    print("== open redirect after sign-in")
    open_redirects(unity, name, password)
    print("== channel URL redaction for viewers and read keys")
    redaction(unity, args.admin_key, viewer_token, read_key["token"])
    print("== alert streams end on revocation")
    stream_ends(unity, read_key["token"],
                lambda: unity.request("DELETE", f"/api/v1/api-keys/{read_key['key']['id']}", token=args.admin_key),
                "revoked API key", args.stream_timeout)
    second = unity.json("POST", "/api/v1/api-keys", token=viewer_token, body={"name": "hostile-2", "scopes": ["read"]})
    stream_ends(unity, second["token"],
                lambda: unity.request("PATCH", f"/api/v1/users/{viewer['id']}", token=args.admin_key,
                                      body={"disabled": True}),
                "disabled user", args.stream_timeout)

    total = len(FAILURES)
    print(f"hostile inputs: {'all checks passed' if total == 0 else str(total) + ' checks failed'}")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
