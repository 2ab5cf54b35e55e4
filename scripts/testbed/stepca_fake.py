#!/usr/bin/env python3
"""Contract fake of step-ca's HTTP API for Unity's tests. No step-ca server can run on the test
machine (not packaged in Debian 12), so this plays one on loopback, over TLS, from what
smallstep documents and what its source does:

  GET  /root/{sha256}   {"ca": PEM}            (404 when no root has that fingerprint)
  POST /1.0/sign        {"csr", "ott", "notAfter"?} -> {"crt", "ca", "certChain"}
  POST /1.0/ssh/sign    {"publicKey", "ott", "certType", "keyID", "principals", "validBefore"?} -> {"crt"}

It is strict where step-ca is strict: the one-time token must be an ES256 JWT signed by the
provisioner key, with kid = the key's RFC 7638 thumbprint, iss = the provisioner name, aud = the
exact endpoint URL, sha = the root fingerprint, a live exp and an unused jti; X.509 `sans` must
equal the CSR's names; SSH claims (step.ssh) must equal the request. It really signs: X.509 with
an intermediate under its root (python `cryptography`), SSH with `ssh-keygen -s`.

Like step-ca's `ca.json`, it writes its provisioner to --dir/provisioner.json (name, public
key, encryptedKey: a PBES2-HS256+A128KW / A256GCM JWE of the private JWK under --password) and,
for the plain-JWK path, the private JWK to --dir/provisioner_private.json; the root to
--dir/root.pem and its fingerprint to --dir/root_fingerprint. Prints "PORT <n>" when listening.

A root request for a fingerprint starting with "deadbeef" is answered with the root anyway, as a
man in the middle would: the client must notice the fingerprint does not match.
"""
import argparse, base64, datetime, hashlib, json, os, secrets, ssl, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address

sys.path.insert(0, os.path.dirname(__file__))
from http_receiver import exit_with_parent_and_on_sigterm  # noqa: E402

from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.keywrap import aes_key_wrap


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def make_cert(subject, issuer, issuer_key, public_key, ca, sans=(), days=30, not_after=None):
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now() - datetime.timedelta(minutes=1))
               .not_valid_after(not_after or now() + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def jwk_of(key):
    numbers = key.public_key().public_numbers()
    public = {"crv": "P-256", "kty": "EC", "x": b64u(numbers.x.to_bytes(32, "big")), "y": b64u(numbers.y.to_bytes(32, "big"))}
    private = dict(public, d=b64u(key.private_numbers().private_value.to_bytes(32, "big")))
    return public, private


def encrypt_jwk(private_jwk, password, count=100000):
    """step's `encryptedKey`: RFC 7518 PBES2-HS256+A128KW (§4.8) wrapping an A256GCM key (§5.3)."""
    p2s = secrets.token_bytes(16)
    header = b64u(json.dumps({"alg": "PBES2-HS256+A128KW", "enc": "A256GCM", "p2c": count, "p2s": b64u(p2s),
                              "cty": "jwk+json"}).encode())
    kek = PBKDF2HMAC(hashes.SHA256(), 16, b"PBES2-HS256+A128KW\x00" + p2s, count).derive(password.encode())
    cek, iv = secrets.token_bytes(32), secrets.token_bytes(12)
    sealed = AESGCM(cek).encrypt(iv, json.dumps(private_jwk).encode(), header.encode())
    return ".".join([header, b64u(aes_key_wrap(kek, cek)), b64u(iv), b64u(sealed[:-16]), b64u(sealed[-16:])])


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--provisioner", default="unity@homelab.test")
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    exit_with_parent_and_on_sigterm()
    folder = args.dir

    root_key, inter_key, tls_key, prov_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(4))
    root = make_cert("Fake step-ca Root CA", "Fake step-ca Root CA", root_key, root_key.public_key(), True, days=3650)
    inter = make_cert("Fake step-ca Intermediate CA", "Fake step-ca Root CA", root_key, inter_key.public_key(), True, days=3650)
    tls = make_cert("127.0.0.1", "Fake step-ca Intermediate CA", inter_key, tls_key.public_key(), False,
                    sans=[x509.IPAddress(ip_address("127.0.0.1")), x509.DNSName("localhost")])
    fingerprint = hashlib.sha256(root.public_bytes(serialization.Encoding.DER)).hexdigest()
    public_jwk, private_jwk = jwk_of(prov_key)
    thumbprint = b64u(hashlib.sha256(json.dumps(public_jwk, sort_keys=True, separators=(",", ":")).encode()).digest())
    write = lambda name, text: open(os.path.join(folder, name), "w").write(text)
    write("root.pem", pem(root))
    write("root_fingerprint", fingerprint)
    write("tls.pem", pem(tls) + pem(inter))
    write("tls.key", tls_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()).decode())
    write("provisioner.json", json.dumps({"type": "JWK", "name": args.provisioner, "key": dict(public_jwk, kid=thumbprint),
                                          "encryptedKey": encrypt_jwk(private_jwk, args.password)}))
    write("provisioner_private.json", json.dumps(dict(private_jwk, kid=thumbprint)))
    ssh_ca = os.path.join(folder, "ssh_user_ca")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fake-step-ca", "-f", ssh_ca], check=True)
    used_jti, lock, log = set(), threading.Lock(), open(args.log, "a")

    def verify_ott(token, audience):
        try:
            head, body, signature = token.split(".")
            header, claims, raw = json.loads(unb64u(head)), json.loads(unb64u(body)), unb64u(signature)
        except Exception:
            raise Refused(401, "token is not a JWT")
        if header.get("alg") != "ES256" or header.get("kid") != thumbprint or len(raw) != 64:
            raise Refused(401, "token header: wrong alg or kid")
        try:
            der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
            prov_key.public_key().verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception:
            raise Refused(401, "token signature does not verify with the provisioner key")
        if claims.get("iss") != args.provisioner:
            raise Refused(401, f"token iss {claims.get('iss')!r} is not a provisioner")
        if claims.get("aud") != audience:
            raise Refused(401, f"invalid token: aud {claims.get('aud')!r} is not {audience!r}")
        if claims.get("sha") != fingerprint:
            raise Refused(401, "token sha is not this CA's root fingerprint")
        t = time.time()
        if not (claims.get("nbf", 0) <= t + 60 and t < claims.get("exp", 0) <= t + 600):
            raise Refused(401, "token is not valid now")
        with lock:
            if not claims.get("jti") or claims["jti"] in used_jti:
                raise Refused(401, "token already used")
            used_jti.add(claims["jti"])
        return claims

    def sign_x509(request, base):
        claims = verify_ott(request.get("ott", ""), base + "/1.0/sign")
        csr = x509.load_pem_x509_csr(request["csr"].encode())
        if not csr.is_signature_valid:
            raise Refused(400, "CSR signature is invalid")
        names = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        csr_sans = [n.value for n in names if isinstance(n, x509.DNSName)] + \
                   [str(n.value) for n in names if isinstance(n, x509.IPAddress)]
        if sorted(claims.get("sans", [])) != sorted(csr_sans):
            raise Refused(403, f"certificate request does not contain the valid SANs: {claims.get('sans')} vs {csr_sans}")
        not_after = request.get("notAfter")
        not_after = datetime.datetime.fromisoformat(not_after.replace("Z", "+00:00")) if not_after else None
        leaf = make_cert(claims["sub"], "Fake step-ca Intermediate CA", inter_key, csr.public_key(), False, sans=list(names),
                         days=1, not_after=not_after)
        return {"crt": pem(leaf), "ca": pem(inter), "certChain": [pem(leaf), pem(inter)]}

    def sign_ssh(request, base):
        claims = verify_ott(request.get("ott", ""), base + "/1.0/ssh/sign")
        wanted = claims.get("step", {}).get("ssh", {})
        for field in ("certType", "keyID", "principals"):
            if wanted.get(field) != request.get(field):
                raise Refused(403, f"token step.ssh.{field} does not match the request")
        blob = base64.b64decode(request["publicKey"])
        key_type = blob[4:4 + int.from_bytes(blob[:4], "big")].decode()
        work = os.path.join(folder, "ssh-" + secrets.token_hex(8))
        open(work + ".pub", "w").write(f"{key_type} {request['publicKey']}\n")
        seconds = 16 * 3600
        if request.get("validBefore"):
            until = datetime.datetime.fromisoformat(request["validBefore"].replace("Z", "+00:00"))
            seconds = max(60, int((until - now()).total_seconds()))
        command = ["ssh-keygen", "-q", "-s", ssh_ca, "-I", request["keyID"], "-n", ",".join(request["principals"]),
                   "-z", str(secrets.randbits(63)), "-V", f"-1m:+{seconds}s"]
        if request["certType"] == "host":
            command.append("-h")
        subprocess.run(command + [work + ".pub"], check=True, capture_output=True)
        line = open(work + "-cert.pub").read().split()
        return {"crt": line[1]}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status, body):
            out = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def record(self, status, message=""):
            with lock:
                log.write(json.dumps({"method": self.command, "path": self.path, "status": status, "message": message}) + "\n")
                log.flush()

        def do_GET(self):
            if self.path.startswith("/root/"):
                sha = self.path[len("/root/"):]
                if sha == fingerprint or sha.startswith("deadbeef"):
                    self.record(200)
                    return self.answer(200, {"ca": pem(root)})
            self.record(404)
            self.answer(404, {"status": 404, "message": "not found"})

        def do_POST(self):
            # step-ca accepts tokens only for its configured dnsNames; ours is 127.0.0.1.
            base = f"https://127.0.0.1:{server.server_address[1]}"
            try:
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                if self.path == "/1.0/sign":
                    reply = sign_x509(request, base)
                elif self.path == "/1.0/ssh/sign":
                    reply = sign_ssh(request, base)
                else:
                    raise Refused(404, "not found")
            except Refused as refused:
                self.record(refused.status, refused.message)
                return self.answer(refused.status, {"status": refused.status, "message": refused.message})
            except Exception as error:  # a bug here must show in the test, not hang it
                self.record(500, repr(error))
                return self.answer(500, {"status": 500, "message": repr(error)})
            self.record(201)
            self.answer(201, reply)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(folder, "tls.pem"), os.path.join(folder, "tls.key"))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
