#!/usr/bin/env python3
"""Every install path, for real: the image, Compose (SQLite and PostgreSQL), the Helm chart, systemd.

No image can be pulled on the CI machine, so this makes its own base: `debootstrap --variant=minbase
bookworm`, trimmed as Debian's slim images are, imported as `debian:bookworm-slim` (the exact name the
Dockerfile's runtime stage uses) into a Docker Engine this script starts on its own socket
(shared/TESTBED.md §4b). The runtime stage users build is the one built here; only the binary comes
from CI's toolchain (`--build-arg UNITY_BINARY_FROM=prebuilt`, the stripped release binary at
.docker-bin/unity). Then:

* hadolint on the Dockerfile;
* the image: non-root, /healthz, HEALTHCHECK healthy, sign-in with the banner's password, data kept
  across `docker rm` + a new container on the same volume, SIGTERM → exit 0 within 10 s;
* `docker-compose` 1.29 with deploy/compose/compose.yaml: healthy → sign-in → down → up → same data;
  with compose.postgres.yaml on a PostgreSQL image built here the same way (Debian's PostgreSQL 15
  behind the official image's POSTGRES_* contract: scripts/e2e/deploy/postgres-standin.Dockerfile);
* the Helm chart linted and rendered offline (PyPI helm-python-sdk), deploy/kubernetes/ identical to a
  fresh render, and the rendered Deployment + PVC run by `podman kube play` (TESTBED §5), /healthz;
* `systemd-analyze verify` of deploy/systemd/unity.service.

Usage: deploy_e2e.py --binary .docker-bin/unity --cache DIR   (root; DIR keeps the rootfs tarball)
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

from deploy_engines import DockerEngine, PodmanEngine, base_image_tarball
from processes import Processes, free_port, wait_http, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMAGE = "localhost/unity:e2e"
RESULTS = {}


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ok: {message}")


def login(base, password):
    request = urllib.request.Request(base + "/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
                                     data=json.dumps({"username": "admin", "password": password}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status == 200 and "access_token" in json.load(response)


def banner_password(logs):
    found = re.search(r"Password: (\S+)", logs)
    return found.group(1) if found else None


def hadolint():
    print("hadolint")
    linter = shutil.which("hadolint") or os.path.join(os.path.dirname(sys.executable), "hadolint")
    result = subprocess.run([linter, os.path.join(ROOT, "Dockerfile")], capture_output=True, text=True)
    check(result.returncode == 0, f"hadolint is clean {result.stdout.strip()}")


def image(docker, binary):
    print("the image")
    staged = os.path.join(ROOT, ".docker-bin", "unity")
    if os.path.abspath(binary) != staged:
        os.makedirs(os.path.dirname(staged), exist_ok=True)
        shutil.copy(binary, staged)
    revision = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    docker.build(ROOT, IMAGE, ["--build-arg", "UNITY_BINARY_FROM=prebuilt", "--build-arg", f"REVISION={revision}"])
    size = int(docker.cli(["image", "inspect", IMAGE, "--format", "{{.Size}}"]).strip())
    RESULTS["image_mb"] = size / 1e6
    labels = json.loads(docker.cli(["image", "inspect", IMAGE, "--format", "{{json .Config.Labels}}"]))
    check(labels.get("org.opencontainers.image.licenses") == "Apache-2.0" and labels.get("org.opencontainers.image.revision") == revision,
          f"OCI labels ({size / 1e6:.0f} MB uncompressed)")

    port = free_port()
    run = ["run", "-d", "--network", "host", "-e", f"UNITY_BIND=127.0.0.1:{port}", "-v", "unity-e2e-data:/data"]
    started = time.time()
    docker.cli(run + ["--name", "unity-e2e", IMAGE])
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/healthz")
    RESULTS["cold_start_s"] = time.time() - started
    check(docker.cli(["exec", "unity-e2e", "id", "-u"]).strip() == "10001", "runs as the unprivileged user 10001")
    password = wait_until(lambda: banner_password(docker.cli(["logs", "unity-e2e"], stderr=True)), "the banner", timeout=90)
    check(login(base, password), f"/healthz answers after {RESULTS['cold_start_s']:.1f} s and the banner's password signs in")
    wait_until(lambda: docker.cli(["inspect", "unity-e2e", "--format", "{{.State.Health.Status}}"]).strip() == "healthy",
             "HEALTHCHECK healthy", timeout=60)
    print("  ok: HEALTHCHECK reports healthy")
    stopping = time.time()
    docker.cli(["stop", "-t", "10", "unity-e2e"])
    took = time.time() - stopping
    code = docker.cli(["inspect", "unity-e2e", "--format", "{{.State.ExitCode}}"]).strip()
    check(code == "0" and took < 10, f"SIGTERM stops it cleanly: exit {code} in {took:.1f} s")
    docker.cli(["rm", "unity-e2e"])
    docker.cli(run + ["--name", "unity-e2e-2", IMAGE])
    wait_http(base + "/healthz")
    check(login(base, password), "a new container on the same volume keeps the data (the first password still signs in)")
    check(banner_password(docker.cli(["logs", "unity-e2e-2"], stderr=True)) is None, "and creates no second admin")
    docker.cli(["rm", "-f", "unity-e2e-2"])
    docker.cli(["volume", "rm", "unity-e2e-data"])


def compose(docker, procs, variant):
    print(f"docker-compose 1.29, {variant}")
    folder = os.path.join(procs.work, f"compose-{variant}")
    shutil.copytree(os.path.join(ROOT, "deploy", "compose"), folder)
    port = free_port()
    env = dict(docker.env, UNITY_IMAGE=IMAGE, UNITY_PORT=str(port), POSTGRES_IMAGE="localhost/postgres-standin:e2e")
    files = ["-f", "compose.yaml"]
    unity_env = ""
    if variant == "postgres":
        files += ["-f", "compose.postgres.yaml"]
        with open(os.path.join(folder, "postgres.env"), "w") as f:
            f.write("POSTGRES_PASSWORD=compose-e2e-pw\n")
        unity_env = "DATABASE_URL=postgres://unity:compose-e2e-pw@postgres:5432/unity\n"
    with open(os.path.join(folder, "unity.env"), "w") as f:
        f.write(unity_env)
    project = f"unitye2e{variant}"

    def run(*args):
        subprocess.run(["docker-compose", "-p", project, *files, *args], cwd=folder, env=env, check=True, capture_output=True, timeout=300)
    procs.on_cleanup(lambda: subprocess.run(["docker-compose", "-p", project, *files, "down", "-v", "-t", "5"], cwd=folder, env=env,
                                            capture_output=True, timeout=120))
    run("up", "-d")
    base = f"http://127.0.0.1:{port}"
    container = f"{project}_unity_1"
    wait_until(lambda: docker.cli(["inspect", container, "--format", "{{.State.Health.Status}}"]).strip() == "healthy", "compose healthy", timeout=90)
    password = banner_password(docker.cli(["logs", container], stderr=True))
    check(password and login(base, password), "healthy, and the banner's password signs in")
    if variant == "postgres":
        count = docker.cli(["exec", f"{project}_postgres_1", "psql", "-U", "unity", "-d", "unity", "-h", "/tmp", "-tAc",
                            "select count(*) from users"]).strip()
        check(count == "1", "the admin is stored in the PostgreSQL service")
    run("down")
    run("up", "-d")
    wait_http(base + "/healthz")
    check(login(base, password), "down + up keeps the data")
    run("down", "-v", "-t", "5")


def helm_chart(podman, procs):
    print("the Helm chart")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "deploy", "render_manifests.py"), "--check"], check=True)
    print("  ok: helm lint is clean and deploy/kubernetes/ matches a fresh render")
    import helm_python as helm
    chart = helm.Chart.load(os.path.join(ROOT, "deploy", "helm", "unity"))
    for values, why in (({"replicaCount": 2}, "replicaCount > 1 needs database.type=postgres"),
                        ({"database": {"type": "postgres", "postgres": {"existingSecret": "db"}}}, "needs masterKey.existingSecret")):
        try:
            chart.render(values, name="unity")
            raise AssertionError(f"the chart rendered {values}")
        except helm.HelmError as error:
            check(why in str(error), f"the chart refuses {values}")
    port = free_port()
    rendered = chart.render({"hostNetwork": True, "port": port, "image": {"repository": "localhost/unity", "tag": "e2e", "pullPolicy": "Never"}},
                            name="unity", namespace="unity")
    manifest = os.path.join(procs.work, "kube.yaml")
    with open(manifest, "w") as f:
        f.write("".join(f"---\n{rendered[path]}" for path in sorted(rendered) if path.endswith(".yaml") and rendered[path].strip()))
    podman.load_from(podman_image_archive(procs))
    procs.on_cleanup(lambda: podman.cli(["kube", "down", manifest], check=False))
    podman.cli(["kube", "play", manifest])
    wait_http(f"http://127.0.0.1:{port}/healthz", timeout=90)
    print("  ok: podman kube play of the rendered Deployment + PVC: /healthz answers")
    volumes = podman.cli(["volume", "ls", "--format", "{{.Name}}"]).split()
    check("unity" in volumes, f"the PVC became a volume ({volumes})")


def podman_image_archive(procs):
    return os.path.join(procs.work, "unity-image.tar")


def systemd_unit(procs, binary):
    print("the systemd unit")
    unit = os.path.join(procs.work, "unity.service")
    with open(os.path.join(ROOT, "deploy", "systemd", "unity.service")) as f:
        # verify checks that ExecStart's program exists: point it at the binary under test.
        text = f.read().replace("/usr/local/bin/unity", os.path.abspath(binary))
    with open(unit, "w") as f:
        f.write(text)
    result = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True)
    check(result.returncode == 0 and not result.stderr.strip(), f"systemd-analyze verify is clean {result.stderr.strip()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--results", help="write the measured image size and cold start here (JSON)")
    args = parser.parse_args()
    started = time.time()
    hadolint()
    with Processes() as procs:
        systemd_unit(procs, args.binary)
        docker = DockerEngine(procs)
        docker.cli(["import", "--change", 'CMD ["bash"]', base_image_tarball(args.cache), "debian:bookworm-slim"])
        image(docker, args.binary)
        docker.build(os.path.join(ROOT, "scripts", "e2e", "deploy"), "localhost/postgres-standin:e2e",
                     ["-f", os.path.join(ROOT, "scripts", "e2e", "deploy", "postgres-standin.Dockerfile")])
        compose(docker, procs, "sqlite")
        compose(docker, procs, "postgres")
        docker.cli(["save", IMAGE, "-o", podman_image_archive(procs)])
        helm_chart(PodmanEngine(procs), procs)
    if args.results:
        with open(args.results, "w") as f:
            json.dump(RESULTS, f)
    print(f"install paths: passed in {time.time() - started:.1f} s ({json.dumps({k: round(v, 1) for k, v in RESULTS.items()})})")


if __name__ == "__main__":
    main()
