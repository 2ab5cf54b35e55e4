"""Container engines and a base image for deploy_e2e.py, all private to the run.

`DockerEngine` is a dockerd on its own socket and data root (shared/TESTBED.md §4b: no bridge, no
iptables); `PodmanEngine` uses its own storage and containers.conf (§5: runc, cgroupfs, lower ulimits,
host network). Both are removed with the run's work folder. `base_image_tarball` makes the
debian:bookworm-slim stand-in once per cache folder.
"""
import os
import shutil
import subprocess
import time

SLIM_DPKG_EXCLUDES = """path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
"""


def base_image_tarball(cache):
    """debootstrap --variant=minbase bookworm, trimmed like Debian's slim images; cached in `cache`."""
    tarball = os.path.join(cache, "debian-bookworm-slim.tar")
    if os.path.exists(tarball):
        return tarball
    os.makedirs(cache, exist_ok=True)
    rootfs = os.path.join(cache, "rootfs")
    shutil.rmtree(rootfs, ignore_errors=True)
    subprocess.run(["debootstrap", "--variant=minbase", "bookworm", rootfs, "http://deb.debian.org/debian"],
                   check=True, capture_output=True, timeout=900)
    for folder in ("usr/share/doc", "usr/share/man", "usr/share/info", "var/lib/apt/lists", "var/cache/apt/archives"):
        path = os.path.join(rootfs, folder)
        for entry in os.listdir(path):
            if entry not in ("partial", "lock"):
                full = os.path.join(path, entry)
                shutil.rmtree(full) if os.path.isdir(full) and not os.path.islink(full) else os.remove(full)
    locale = os.path.join(rootfs, "usr/share/locale")
    for entry in os.listdir(locale):
        if entry != "locale.alias":
            shutil.rmtree(os.path.join(locale, entry), ignore_errors=True)
    for name in os.listdir(os.path.join(rootfs, "var/cache/apt")):
        if name.endswith(".bin"):
            os.remove(os.path.join(rootfs, "var/cache/apt", name))
    with open(os.path.join(rootfs, "etc/dpkg/dpkg.cfg.d/slim"), "w") as f:
        f.write(SLIM_DPKG_EXCLUDES)
    partial = tarball + ".partial"
    subprocess.run(["tar", "-C", rootfs, "-cf", partial, "."], check=True)
    os.rename(partial, tarball)
    shutil.rmtree(rootfs)
    return tarball


class DockerEngine:
    def __init__(self, procs):
        folder = os.path.join(procs.work, "docker")
        os.makedirs(folder)
        self.socket = os.path.join(folder, "docker.sock")
        with open(os.path.join(folder, "daemon.json"), "w") as f:
            f.write(f'{{"data-root":"{folder}/data","exec-root":"{folder}/exec","pidfile":"{folder}/docker.pid",'
                    f'"hosts":["unix://{self.socket}"],"iptables":false,"ip6tables":false,"bridge":"none",'
                    f'"ip-forward":false,"ip-masq":false,"storage-driver":"overlay2","log-level":"warn"}}')
        # Registered first, so it runs after every other cleanup of the run (they run in reverse).
        procs.on_cleanup(lambda: self.stop(folder))
        self.process = procs.spawn("dockerd", ["dockerd", "--config-file", os.path.join(folder, "daemon.json")])
        self.env = dict(os.environ, DOCKER_HOST=f"unix://{self.socket}", DOCKER_BUILDKIT="1")
        deadline = time.time() + 60
        while subprocess.run(["/usr/bin/docker", "version"], env=self.env, capture_output=True).returncode != 0:
            if time.time() > deadline:
                raise RuntimeError("dockerd did not start")
            time.sleep(0.2)
        # Before dockerd is stopped: nothing of this run may keep running.
        procs.on_cleanup(lambda: subprocess.run("docker rm -f $(docker ps -aq) 2>/dev/null", shell=True, env=self.env,
                                                capture_output=True, timeout=120))

    def stop(self, folder):
        """dockerd stopped here, not by the run's generic kill: its netns mount must go before the folder."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        with open("/proc/mounts") as f:
            mounts = [line.split()[1] for line in f if line.split()[1].startswith(folder + "/")]
        for mount in sorted(mounts, key=len, reverse=True):
            subprocess.run(["umount", "-l", mount], capture_output=True)

    def cli(self, arguments, stderr=False):
        result = subprocess.run(["/usr/bin/docker", *arguments], env=self.env, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise AssertionError(f"docker {' '.join(arguments)}: {result.stderr.strip()}")
        return result.stdout + (result.stderr if stderr else "")

    def build(self, context, tag, arguments):
        # Host networking: the runtime stage's apt-get reaches Debian's mirror without a bridge.
        self.cli(["build", "--network", "host", "-t", tag, *arguments, context])


class PodmanEngine:
    def __init__(self, procs):
        folder = os.path.join(procs.work, "podman")
        os.makedirs(folder)
        files = {
            "containers.conf": '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\nnetns = "host"\n'
                               '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n',
            "storage.conf": f'[storage]\ndriver = "overlay"\ngraphroot = "{folder}/storage"\nrunroot = "{folder}/run"\n',
            "registries.conf": "unqualified-search-registries = []\n",
        }
        for name, text in files.items():
            with open(os.path.join(folder, name), "w") as f:
                f.write(text)
        self.env = dict(os.environ, CONTAINERS_CONF=f"{folder}/containers.conf", CONTAINERS_STORAGE_CONF=f"{folder}/storage.conf",
                        CONTAINERS_REGISTRIES_CONF=f"{folder}/registries.conf")
        # Unmounts and deletes this store only (the config above names it).
        procs.on_cleanup(lambda: self.cli(["system", "reset", "--force"], check=False))

    def cli(self, arguments, check=True):
        result = subprocess.run(["podman", *arguments], env=self.env, capture_output=True, text=True, timeout=600)
        if check and result.returncode != 0:
            raise AssertionError(f"podman {' '.join(arguments)}: {result.stderr.strip()}")
        return result.stdout

    def load_from(self, archive):
        self.cli(["load", "-i", archive])
