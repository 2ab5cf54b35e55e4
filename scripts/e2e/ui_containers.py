"""The containers part of ui_e2e.py: a private dockerd whose socket the SSH user may use, a busybox
image imported from the host's busybox-static (no registry), and then, through the pages only:
enable containers on the server (Unity reaches the engine over the server's SSH connection with
`docker --host unix://SOCKET system dial-stdio`), find the container, read its logs and stats, stop
and start it.
"""
import grp
import io
import os
import pwd
import tarfile

from deploy_engines import DockerEngine

IMAGE = "localhost/busybox:e2e"
APPLETS = ["sh", "echo", "sleep", "printf", "cat"]


def busybox_tarball():
    """A rootfs tar: /bin/busybox and its applet links (what TESTBED §4b builds with tar on the shell)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add("/bin/busybox", arcname="bin/busybox")
        for applet in APPLETS:
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
    return buffer.getvalue()


def start_engine(procs, ssh_user):
    """dockerd on a private socket with the busybox image, usable by the SSH user."""
    engine = DockerEngine(procs)
    path = os.path.join(procs.work, "busybox.tar")
    with open(path, "wb") as f:
        f.write(busybox_tarball())
    engine.cli(["import", "--change", 'CMD ["sh"]', path, IMAGE])
    share_socket(procs, engine, ssh_user)
    return engine


def share_socket(procs, engine, ssh_user):
    """The engine's folder and socket opened to the SSH user's group only (as the docker group would)."""
    group = pwd.getpwnam(ssh_user).pw_gid
    folder = os.path.dirname(engine.socket)
    for entry in (procs.work, folder):
        os.chmod(entry, os.stat(entry).st_mode | 0o010)
        os.chown(entry, -1, group)
    os.chown(engine.socket, -1, group)
    os.chmod(engine.socket, 0o660)
    print(f"  dockerd on {engine.socket}, group {grp.getgrgid(group).gr_name} may use it")


def run(page, base, server_path, procs, ssh_user, check, shoot):
    engine = start_engine(procs, ssh_user)
    engine.cli(["run", "-d", "--name", "e2e-web", "--network", "none", "-e", "E2E_SECRET=do-not-show-e2e", "-v", "e2e-data:/data",
                "--label", "com.docker.compose.project=e2e-shop", IMAGE, "sh", "-c", "echo hello-from-e2e; echo warn-from-e2e >&2; sleep 600"])

    print("containers: the empty page says what to do")
    page.navigate(base + "/containers")
    check("No container hosts yet" in page.html(), "the containers page explains how to enable a host")

    print("enable containers on the server page (engine reached over its SSH connection)")
    page.navigate(base + server_path)
    page.fill("#f-socket_path", engine.socket)
    page.submit(f"form[action='{server_path}/containers'] button[type=submit]")
    notice = page.evaluate("(document.querySelector('.notice') || {}).textContent || ''")
    check(notice.startswith("Containers enabled on loopback-sshd: docker"), f"containers enabled: {notice[:200]!r}")
    check(page.evaluate("!!document.querySelector('#containers a[href^=\"/containers?host_id=\"]')"), "the server page links to its containers")

    print("the containers page lists the container; its page shows configuration, logs and stats")
    page.navigate(base + "/containers")
    check(page.evaluate("[...document.querySelectorAll('table a')].some(a => a.textContent === 'e2e-web')"), "e2e-web is listed")
    shoot("containers")
    page.evaluate("[...document.querySelectorAll('table a')].find(a => a.textContent === 'e2e-web').click()")
    page.wait_for("location.pathname.startsWith('/containers/') && document.readyState === 'complete'", "the container page")
    html = page.html()
    check("E2E_SECRET" in html and "do-not-show-e2e" not in html, "env names shown, values never")
    check("e2e-data" in html and "e2e-shop" in html, "named volume and compose project shown")
    page.wait_for("(document.querySelector('[data-logs-body]') || {}).textContent.includes('warn-from-e2e')", "the log lines", timeout=30)
    check(page.evaluate("!!document.querySelector('[data-logs-body] .log-stderr')"), "stderr lines are marked")
    print("Follow streams the logs (EventSource on the API's SSE route): a line written now appears")
    page.evaluate("(() => { const box = document.querySelector('[data-logs-follow]'); box.checked = true; box.dispatchEvent(new Event('change')); })()")
    page.wait_for("(document.querySelector('[data-container-logs]') || {dataset: {}}).dataset.following === 'stream'", "the log stream open", timeout=30)
    engine.cli(["exec", "e2e-web", "sh", "-c", "echo followed-in-e2e > /proc/1/fd/1"])
    page.wait_for("(document.querySelector('[data-logs-body]') || {}).textContent.includes('followed-in-e2e')", "the followed line", timeout=30)
    check(page.evaluate("document.querySelector('[data-container-logs]').dataset.following") == "stream", "followed without falling back to polling")
    page.evaluate("(() => { const box = document.querySelector('[data-logs-follow]'); box.checked = false; box.dispatchEvent(new Event('change')); })()")
    page.wait_for("Number((document.querySelector('[data-container-stats]') || {dataset: {}}).dataset.samples || 0) >= 1", "a stats sample", timeout=30)
    check(page.evaluate("!!document.querySelector('[data-stats-body] dl.facts')"), "stats shown")
    shoot("container-detail")

    print("stop and start it with the buttons")
    page.submit("form[action$='/stop'] button")
    notice = page.evaluate("(document.querySelector('.notice') || {}).textContent || ''")
    check(notice == "Stop: e2e-web is exited now.", f"stopped: {notice!r}")
    check("exited" in engine.cli(["inspect", "-f", "{{.State.Status}}", "e2e-web"]), "the engine reports it exited")
    page.submit("form[action$='/start'] button")
    check("running" in engine.cli(["inspect", "-f", "{{.State.Status}}", "e2e-web"]), "the engine reports it running again")
