#!/usr/bin/env python3
"""Loopback SMTP sink for Unity's SMTP client tests (aiosmtpd from PyPI).

  smtp_sink.py --log /tmp/mail.jsonl --certdir DIR --mode starttls|implicit|plain [--user U --password P]

Generates a self-signed certificate for 127.0.0.1/localhost in --certdir (ca.pem is what the
client must trust), requires STARTTLS before AUTH (starttls mode) or speaks TLS from the first
byte (implicit mode), and requires AUTH when --user is given. Every accepted message is written
as one JSON line: envelope, whether TLS and AUTH were used, the raw message and its parsed
headers and body. Prints "PORT <n>" when ready.
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def make_cert(certdir):
    cert, key = os.path.join(certdir, "ca.pem"), os.path.join(certdir, "key.pem")
    if not os.path.exists(cert):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout", key, "-out", cert,
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True)
    return cert, key


class Sink:
    def __init__(self, log):
        self.log = log
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            # session.ssl is only set by STARTTLS; an implicit-TLS transport carries an ssl_object.
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "auth_user": getattr(session, "auth_data", None) and session.auth_data.login.decode(),
            "headers": {k: str(v) for k, v in message.items()},
            "body": body.get_content() if body is not None else "",
            "raw": raw.decode("utf-8", "replace"),
        }
        with self.lock:
            with open(self.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        return "250 2.0.0 Ok: queued as UNITYTEST"


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
    parser.add_argument("--certdir", required=True)
    parser.add_argument("--mode", choices=["starttls", "implicit", "plain"], default="starttls")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    exit_with_parent_and_on_sigterm()

    cert, key = make_cert(args.certdir)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and args.user is not None \
            and auth_data.login.decode() == args.user and auth_data.password.decode() == args.password
        # handled=False makes aiosmtpd answer 535 itself (its default, handled=True, answers nothing).
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    # Controller.start() connects to its own port to check it is up, so it needs a real number.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    kwargs = dict(hostname="127.0.0.1", port=free_port, auth_exclude_mechanism=["CRAM-MD5"])
    if args.user:
        # aiosmtpd only counts STARTTLS as "TLS" for auth_require_tls; an implicit-TLS session
        # would never be offered AUTH, so the check is left to the TLS listener itself there.
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=args.mode == "starttls")
    if args.mode == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.mode == "implicit":
        kwargs.update(ssl_context=context)
    controller = Controller(Sink(args.log), **kwargs)
    controller.start()
    print(f"PORT {free_port}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
