import Foundation
import UnityContainers
import UnityCore
#if canImport(Glibc)
import Glibc
#endif

/// Real container engines for tests: ONE dockerd (shared/TESTBED.md §4b) and ONE Podman service (§5)
/// per test process, each on its own socket and store under a temp dir, shared by every test, and
/// stopped by pid when the process exits. Missing packages are installed with apt-get, as
/// scripts/test.sh does. Never touches a system daemon or /var/lib/docker.
public final class TestEngine: @unchecked Sendable {
    public let kind: ContainerEngineKind
    public let directory: String
    public let socketPath: String
    public let pid: pid_t
    /// Environment for the engine's own CLI (the image import and test set-up run through it).
    public let cliEnvironment: [String: String]

    init(kind: ContainerEngineKind, directory: String, socketPath: String, pid: pid_t, cliEnvironment: [String: String]) {
        self.kind = kind
        self.directory = directory
        self.socketPath = socketPath
        self.pid = pid
        self.cliEnvironment = cliEnvironment
    }

    public var transport: UnixSocketTransport { UnixSocketTransport(path: socketPath) }

    /// The shared dockerd, started on first use.
    public static func docker() throws -> TestEngine { try sharedDocker.get() }
    /// The shared Podman service, started on first use.
    public static func podman() throws -> TestEngine { try sharedPodman.get() }

    private static let sharedDocker = Result { try startDocker(importImage: true) }
    private static let sharedPodman = Result { try startPodman() }

    /// A private dockerd for tests that kill it (the caller stops it with `kill()`).
    public static func privateDocker(importImage: Bool = false) throws -> TestEngine { try startDocker(importImage: importImage) }

    /// The busybox image every test container runs (imported, no registry).
    public static let image = "localhost/busybox:test"

    /// Runs the engine's CLI (`docker` / `podman`) against this engine; returns stdout.
    @discardableResult
    public func cli(_ arguments: [String]) throws -> String {
        let program = kind == .docker ? "/usr/bin/docker" : "/usr/bin/podman"
        let args = kind == .docker ? ["-H", "unix://\(socketPath)"] + arguments : arguments
        return try TestCommand.run(program, args, environment: cliEnvironment)
    }

    /// SIGKILL of the daemon and everything it started (the "daemon died" case).
    public func kill() {
        for child in TestCommand.descendants(of: pid) { Glibc.kill(child, SIGKILL) }
        Glibc.kill(pid, SIGKILL)
        _ = ChildProcess.wait(pid)
    }

    // MARK: start-up

    /// `extraConfig`: more daemon.json members, each starting with a comma (TLS hosts and files).
    static func startDocker(importImage: Bool, extraConfig: String = "", extraHosts: [String] = [],
                            extraArguments: [String] = []) throws -> TestEngine {
        try TestCommand.ensurePackages(["/usr/sbin/dockerd": "docker.io", "/usr/sbin/runc": "runc", "/bin/busybox": "busybox-static"])
        let dir = try TestCommand.temporaryDirectory("unity-docker")
        let socket = "\(dir)/docker.sock"
        let config = """
        {"data-root":"\(dir)/data","exec-root":"\(dir)/exec","pidfile":"\(dir)/docker.pid","hosts":\(["unix://\(socket)"] + extraHosts),
         "iptables":false,"ip6tables":false,"bridge":"none","ip-forward":false,"ip-masq":false,
         "storage-driver":"overlay2","log-level":"warn","shutdown-timeout":1\(extraConfig)}
        """
        try config.write(toFile: "\(dir)/daemon.json", atomically: true, encoding: .utf8)
        let log = open("\(dir)/dockerd.log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(log); close(null) }
        let pid = try ChildProcess.spawn("/usr/sbin/dockerd", ["--config-file", "\(dir)/daemon.json"] + extraArguments, stdin: null, stdout: log, stderr: log)
        let engine = TestEngine(kind: .docker, directory: dir, socketPath: socket, pid: pid, cliEnvironment: [:])
        Reaper.register(engine)
        try waitUntilReady(engine, log: "\(dir)/dockerd.log")
        if importImage { try engine.importBusybox() }
        return engine
    }

    private static func startPodman() throws -> TestEngine {
        try TestCommand.ensurePackages(["/usr/bin/podman": "podman", "/usr/sbin/runc": "runc", "/usr/bin/conmon": "conmon",
                                        "/usr/bin/catatonit": "catatonit", "/bin/busybox": "busybox-static"])
        let dir = try TestCommand.temporaryDirectory("unity-podman")
        // §5's workarounds: runc (crun refuses the hybrid cgroup layout), ulimits under the hard
        // limits, host networking (no CNI bridge or iptables), file events; config files only.
        try """
        [containers]
        default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
        netns = "host"
        [engine]
        runtime = "runc"
        cgroup_manager = "cgroupfs"
        events_logger = "file"
        """.write(toFile: "\(dir)/containers.conf", atomically: true, encoding: .utf8)
        try "[storage]\ndriver = \"overlay\"\ngraphroot = \"\(dir)/storage\"\nrunroot = \"\(dir)/run\"\n"
            .write(toFile: "\(dir)/storage.conf", atomically: true, encoding: .utf8)
        // The test registries listen on 127.0.0.1 with plain HTTP; containers/image's prefix match lets
        // `127.0.0.1` cover every port, so pulls through the Docker-compatible API reach them.
        try "unqualified-search-registries = []\n[[registry]]\nlocation = \"127.0.0.1\"\ninsecure = true\n"
            .write(toFile: "\(dir)/registries.conf", atomically: true, encoding: .utf8)
        let environment = ["CONTAINERS_CONF": "\(dir)/containers.conf", "CONTAINERS_STORAGE_CONF": "\(dir)/storage.conf",
                           "CONTAINERS_REGISTRIES_CONF": "\(dir)/registries.conf"]
        let socket = "\(dir)/podman.sock"
        let log = open("\(dir)/service.log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(log); close(null) }
        let pid = try ChildProcess.spawn("/usr/bin/podman", ["system", "service", "--time=0", "unix://\(socket)"],
                                         stdin: null, stdout: log, stderr: log, environment: environment)
        let engine = TestEngine(kind: .podman, directory: dir, socketPath: socket, pid: pid, cliEnvironment: environment)
        Reaper.register(engine)
        try waitUntilReady(engine, log: "\(dir)/service.log")
        try engine.importBusybox()
        return engine
    }

    private static func waitUntilReady(_ engine: TestEngine, log: String) throws {
        for _ in 0..<300 {
            if FileManager.default.fileExists(atPath: engine.socketPath), (try? engine.cli(["version"])) != nil { return }
            guard Glibc.kill(engine.pid, 0) == 0 else { break }
            usleep(100_000)
        }
        throw TestCommand.Failure(description: "\(engine.kind) did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    private func importBusybox() throws {
        let tarball = try BusyboxRootfs.tarball()
        try cli(["import", "--change", "CMD [\"/bin/sh\"]", "--change", "ENV PATH=/bin", tarball, Self.image])
    }

    /// Removes this engine's containers, then stops the daemon by pid (containerd/conmon with it).
    func shutDown() {
        if kind == .podman { _ = try? cli(["rm", "-a", "-f", "-t", "0"]) }
        Glibc.kill(pid, SIGTERM)
        for _ in 0..<100 {
            if waitpid(pid, nil, WNOHANG) == pid { break }
            usleep(50_000)
        }
        for child in TestCommand.descendants(of: pid) { Glibc.kill(child, SIGKILL) }
        Glibc.kill(pid, SIGKILL)
        // dockerd's last goroutines may still write under exec-root right after it exits: retry.
        for _ in 0..<10 where FileManager.default.fileExists(atPath: directory) {
            _ = try? TestCommand.run("/bin/rm", ["-rf", directory])
            usleep(100_000)
        }
    }
}

/// Stops every started engine at process exit (atexit), by pid.
enum Reaper {
    private static let engines = LockedValue<[TestEngine]>([])
    private static let installed = LockedValue(false)

    static func register(_ engine: TestEngine) {
        engines.withLock { $0.append(engine) }
        let first = installed.withLock { done -> Bool in defer { done = true }; return !done }
        if first { atexit { Reaper.stopAll() } }
    }

    static func stopAll() {
        for engine in engines.withLock({ list -> [TestEngine] in defer { list = [] }; return list }) { engine.shutDown() }
    }
}

/// The busybox-static rootfs tarball (TESTBED §5), made once per process.
enum BusyboxRootfs {
    private static let made = Result { () throws -> String in
        let dir = try TestCommand.temporaryDirectory("unity-rootfs")
        let root = "\(dir)/rootfs"
        for sub in ["bin", "etc", "tmp", "proc", "sys", "dev"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(sub)", withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: "\(root)/bin/busybox")
        for applet in ["sh", "ls", "cat", "echo", "sleep", "id", "uname", "hostname", "ps", "httpd", "wget", "env", "top", "true", "false"] {
            try FileManager.default.createSymbolicLink(atPath: "\(root)/bin/\(applet)", withDestinationPath: "busybox")
        }
        try "root:x:0:0:root:/root:/bin/sh\n".write(toFile: "\(root)/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\n".write(toFile: "\(root)/etc/group", atomically: true, encoding: .utf8)
        try TestCommand.run("/bin/tar", ["-C", root, "-cf", "\(dir)/rootfs.tar", "."])
        return "\(dir)/rootfs.tar"
    }

    static func tarball() throws -> String { try made.get() }
}
