"""The real peers of the UI end-to-end test, started on loopback and always stopped.

`Processes` is a context manager: whatever happens inside (an assertion, an exception, SIGTERM
or Ctrl-C), it kills what it started by PID (process groups), deletes the throwaway user and
removes its work directory.
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def wait_until(predicate, what, timeout=60, every=0.2):
    """Polls `predicate` until it returns something truthy, which is returned; fails naming `what`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout} s")


class Processes:
    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="unity-ui-e2e.")
        os.chmod(self.work, 0o755)
        self.children = []
        self.cleanups = []
        self.user = None

    def __enter__(self):
        # SIGTERM (CI timeout, kill) must still run the cleanup below.
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(SystemExit(143)))
        return self

    def __exit__(self, *exc):
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception as error:
                print(f"cleanup: {error}")
        for name, process in reversed(self.children):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=10)
                except Exception:
                    try:
                        os.killpg(process.pid, signal.SIGKILL)
                    except Exception:
                        pass
        if self.user:
            subprocess.run(["userdel", "-r", self.user], stderr=subprocess.DEVNULL, check=False)
        if exc[0] is not None:
            for log in ("unity.log", "sshd.log"):
                path = os.path.join(self.work, log)
                if os.path.exists(path):
                    print(f"--- last lines of {log}")
                    with open(path, errors="replace") as f:
                        print("".join(f.readlines()[-30:]))
        shutil.rmtree(self.work, ignore_errors=True)
        return False

    def on_cleanup(self, function):
        self.cleanups.append(function)

    def spawn(self, name, argv, **kwargs):
        log = open(os.path.join(self.work, f"{name}.log"), "ab")
        # A new session per child: stopping it stops its whole process group (Chromium's helpers too).
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        self.children.append((name, process))
        return process

    def start_unity(self, binary, admin_password):
        port = free_port()
        run_dir = os.path.join(self.work, "run")
        os.makedirs(run_dir)
        env = dict(os.environ, UNITY_BIND=f"127.0.0.1:{port}", UNITY_ADMIN_PASSWORD=admin_password, UNITY_LOG_LEVEL="info")
        self.spawn("unity", [binary, "serve"], cwd=run_dir, env=env)
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/healthz")
        return base

    def start_sshd(self, user, extra_config=""):
        """A second sshd on a free loopback port that lets `user` in with a fresh ed25519 key
        (`extra_config`: more sshd_config lines, e.g. a ForceCommand)."""
        key = os.path.join(self.work, "client_key")
        host_key = os.path.join(self.work, "ssh_host_ed25519_key")
        for path, comment in ((key, "unity-ui-e2e"), (host_key, "host")):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], check=True)
        fingerprint = subprocess.run(["ssh-keygen", "-lf", key + ".pub"], check=True, capture_output=True, text=True).stdout.split()[1]
        try:
            pwd.getpwnam(user)
        except KeyError:
            # '*' = no password but not locked: sshd with UsePAM no refuses locked accounts.
            subprocess.run(["useradd", "-m", "-s", "/bin/bash", "-p", "*", user], check=True)
            self.user = user  # only a user this script created is deleted again
        home = pwd.getpwnam(user).pw_dir
        ssh_dir = os.path.join(home, ".ssh")
        os.makedirs(ssh_dir, exist_ok=True)
        shutil.copy(key + ".pub", os.path.join(ssh_dir, "authorized_keys"))
        entry = pwd.getpwnam(user)
        for path in (ssh_dir, os.path.join(ssh_dir, "authorized_keys")):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        os.chmod(ssh_dir, 0o700)
        os.chmod(os.path.join(ssh_dir, "authorized_keys"), 0o600)
        os.makedirs("/run/sshd", exist_ok=True)
        port = free_port()
        config = os.path.join(self.work, "sshd_config")
        with open(config, "w") as f:
            f.write(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {self.work}/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers {user}
LogLevel VERBOSE
{extra_config}""")
        subprocess.run(["/usr/sbin/sshd", "-t", "-f", config], check=True)
        self.spawn("sshd", ["/usr/sbin/sshd", "-D", "-e", "-f", config])
        deadline = time.time() + 10
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return port, key, fingerprint
            time.sleep(0.05)
        raise RuntimeError("sshd did not start")

    def start_chromium(self):
        """Headless Chromium whose own traffic cannot leave loopback (TESTBED section 9)."""
        profile = os.path.join(self.work, "profile")
        binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not binary:
            raise RuntimeError("chromium is not installed")
        self.spawn("chromium", [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-pings",
            "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            f"--user-data-dir={profile}", "--window-size=1280,800", "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", "about:blank"])
        # With port 0 Chromium picks a free port and writes it to DevToolsActivePort.
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    first = f.readline().strip()
                if first.isdigit():
                    return int(first)
            time.sleep(0.1)
        raise RuntimeError("chromium did not open its DevTools port")
