#!/usr/bin/env python3
"""Loopback HTTP receiver for Unity's notification tests (stdlib only).

Records every request (method, path, query, headers, body as text and base64) as one JSON line
in --log, answers with the statuses from --statuses in turn (the last one repeats), and prints
"PORT <n>" once listening so the test knows where to send.

  http_receiver.py --log /tmp/requests.jsonl [--statuses 500,200] [--body '{"ok":true}'] [--port 0]

Routes with a canned JSON answer (Matrix login and alias lookup) are answered by --routes
'METHOD /path=json' pairs, separated by ';;'.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs, unquote


def exit_with_parent_and_on_sigterm():
    """Test peers must never outlive the test: the Swift test process may hand us SIGTERM
    blocked (its mask is inherited), and a crashed test never sends one at all."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--statuses", default="200")
    parser.add_argument("--body", default='{"ok":true}')
    parser.add_argument("--routes", default="")
    parser.add_argument("--hmac-secret", help="record the expected sha256= signature of each body")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before answering")
    args = parser.parse_args()
    exit_with_parent_and_on_sigterm()

    statuses = [int(s) for s in args.statuses.split(",") if s]
    routes = {}
    for entry in filter(None, args.routes.split(";;")):
        key, _, answer = entry.partition("=")
        routes[key.strip()] = answer
    lock = threading.Lock()
    state = {"count": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            record = {
                "received_at": time.time(),
                "method": self.command,
                "path": unquote(parts.path),
                "raw_path": self.path,
                "query": parse_qs(parts.query),
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
                "body_b64": base64.b64encode(body).decode(),
            }
            if args.hmac_secret:
                digest = hmac.new(args.hmac_secret.encode(), body, hashlib.sha256).hexdigest()
                record["expected_signature"] = "sha256=" + digest
            with lock:
                with open(args.log, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record) + "\n")
                route = routes.get(f"{self.command} {unquote(parts.path)}")
                if route is None:
                    status = statuses[min(state["count"], len(statuses) - 1)]
                    state["count"] += 1
                    answer = args.body
                else:
                    status, answer = 200, route
            if args.delay:
                threading.Event().wait(args.delay)
            data = answer.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = handle_any

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
