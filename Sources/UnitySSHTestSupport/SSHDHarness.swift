import Foundation
import UnityCore
import UnitySSH

// Shared by UnitySSHTests and UnityCredentialsTests: one sshd harness, `extraConfig` lines (e.g.
// PubkeyAcceptedAlgorithms) for key-distribution tests.

/// A real OpenSSH sshd on a loopback address and a free port, with its own host keys, for one test.
///
/// Runs as root (tests run as root here and in CI) with `UsePAM no`, `StrictModes no`, an absolute
/// `AuthorizedKeysFile` in its temp dir (so no home directory is touched) and `PermitRootLogin
/// prohibit-password`. Password tests log in as the `unitytest` user, created on demand.
/// Stopped by pid (listener and its per-connection children) by `stop()`, which every test defers.
public final class SSHD: @unchecked Sendable {
    public static let sshdPath = "/usr/sbin/sshd"
    public static let passwordUser = "unitytest"
    public static let password = "Unity-Test-Passw0rd"

    /// Tests needing sshd run where it is installed, and always in CI, where its absence is a failure.
    public static var enabled: Bool {
        FileManager.default.isExecutableFile(atPath: sshdPath) || ProcessInfo.processInfo.environment["CI"] != nil
    }

    public let directory: String
    public let address: String
    public let port: Int
    public let maxSessions: Int
    private(set) var hostKeyTypes: [String]
    private var pid: pid_t?

    public var logPath: String { "\(directory)/sshd.log" }
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    public var authorizedKeysPath: String { "\(directory)/authorized_keys" }

    /// Each sshd gets its own loopback address (all of 127/8 is local), so parallel tests can never
    /// reach each other's servers even if a port is reused.
    private static let counter = NIOLockedCounter()

    public static func uniqueAddress() -> String {
        let n = counter.next()
        // 127.200-255.x.y: apart from UnitySSHTests' 127.100-199 range should both run at once.
        return "127.\(200 + Int(getpid()) % 50).\(n / 250 % 250).\(n % 250 + 1)"
    }

    public let extraConfig: [String]

    public init(address: String = SSHD.uniqueAddress(), hostKeyTypes: [String] = ["ed25519"], maxSessions: Int = 10,
         authorizedKeys: [String], extraConfig: [String] = []) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sshdPath) else {
            throw Shell.Failure(description: "sshd missing: apt-get install -y openssh-server openssh-client")
        }
        directory = try Shell.temporaryDirectory("unity-sshd")
        self.address = address
        self.maxSessions = maxSessions
        self.hostKeyTypes = hostKeyTypes
        self.extraConfig = extraConfig
        port = try Self.freePort(on: address)
        try authorizedKeys.joined(separator: "\n").write(toFile: authorizedKeysPath, atomically: true, encoding: .utf8)
        try generateHostKeys()
        try writeConfig()
    }

    /// Starts sshd and waits until it accepts TCP connections.
    public func start() async throws {
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let pid = try ChildProcess.spawn(Self.sshdPath, ["-D", "-f", "\(directory)/sshd_config", "-E", logPath],
                                         stdin: null, stdout: null, stderr: null)
        self.pid = pid
        for _ in 0..<100 {
            // Ours is listening only once its own log says so; a bare connect could reach someone else.
            if log.contains("Server listening on"), Self.canConnect(address, port) { return }
            guard kill(pid, 0) == 0 else { break }
            try await Task.sleep(for: .milliseconds(30))
        }
        stop()
        throw Shell.Failure(description: "sshd did not start: \(log)")
    }

    /// Kills the listener and every session child, by pid.
    public func stop() {
        for survivor in survivors { kill(survivor, SIGKILL) }
        survivors = []
        guard let pid else { return }
        for child in Shell.descendants(of: pid) { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        _ = ChildProcess.wait(pid)
        self.pid = nil
    }

    /// Kills only the listener: established sessions (their own sshd processes) live on, new logins
    /// are refused. `stop()` still reaps the survivors.
    public func stopListener() {
        guard let pid else { return }
        survivors = Shell.descendants(of: pid)
        kill(pid, SIGKILL)
        _ = ChildProcess.wait(pid)
        self.pid = nil
    }

    private var survivors: [pid_t] = []

    /// New host keys (a re-installed or impersonated host), same address and port.
    public func rekey(_ types: [String]? = nil) throws {
        if let types { hostKeyTypes = types }
        for type in ["ed25519", "ecdsa", "rsa"] {
            try? FileManager.default.removeItem(atPath: "\(directory)/host_\(type)")
            try? FileManager.default.removeItem(atPath: "\(directory)/host_\(type).pub")
        }
        try generateHostKeys()
        try writeConfig()
    }

    /// The pins a careful admin would paste: every host key of this server.
    public func pins() throws -> [HostKeyPin] {
        try hostKeyTypes.map { try HostKeyPin(line: String(contentsOfFile: "\(directory)/host_\($0).pub", encoding: .utf8)) }
    }

    public func target(_ credential: SSHCredential, user: String = "root", policy: HostKeyPolicy? = nil,
                transport: SSHTransportKind = .automatic) throws -> SSHTarget {
        SSHTarget(host: address, port: port, username: user, credential: credential,
                  hostKeyPolicy: try policy ?? .pinned(pins()), transport: transport, connectTimeout: .seconds(5))
    }

    /// Idempotent: the non-root account for password logins and sudo-with-password tests.
    public static func ensurePasswordUser() throws {
        if (try? Shell.run("/usr/bin/id", [passwordUser])) == nil {
            try Shell.run("/usr/sbin/useradd", ["-m", "-s", "/bin/sh", "-p", "*", passwordUser])
        }
        try Shell.run("/usr/sbin/chpasswd", [], stdin: "\(passwordUser):\(password)\n")
    }

    private func generateHostKeys() throws {
        for type in hostKeyTypes {
            var args = ["-q", "-t", type, "-N", "", "-f", "\(directory)/host_\(type)"]
            if type == "rsa" { args += ["-b", "2048"] }
            try Shell.run("/usr/bin/ssh-keygen", args)
        }
    }

    private func writeConfig() throws {
        let config = (hostKeyTypes.map { "HostKey \(directory)/host_\($0)" } + [
            "ListenAddress \(address):\(port)",
            "PidFile none",
            "AuthorizedKeysFile \(authorizedKeysPath)",
            "StrictModes no",
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication yes",
            "KbdInteractiveAuthentication no",
            "MaxSessions \(maxSessions)",
            "AllowTcpForwarding yes",
            "LogLevel VERBOSE",
        ] + extraConfig).joined(separator: "\n") + "\n"
        try config.write(toFile: "\(directory)/sshd_config", atomically: true, encoding: .utf8)
    }

    public static func freePort(on address: String) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, address, &addr.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Shell.Failure(description: "no free port on \(address)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    public static func canConnect(_ address: String, _ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, address, &addr.sin_addr)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// Starts an sshd, runs `body`, stops the sshd on every path.
public func withSSHD<T>(
    hostKeyTypes: [String] = ["ed25519"], maxSessions: Int = 10, authorizedKeys: [String], extraConfig: [String] = [],
    _ body: (SSHD) async throws -> T
) async throws -> T {
    let sshd = try SSHD(hostKeyTypes: hostKeyTypes, maxSessions: maxSessions, authorizedKeys: authorizedKeys,
                        extraConfig: extraConfig)
    defer { sshd.stop() }
    try await sshd.start()
    return try await body(sshd)
}

public final class NIOLockedCounter: @unchecked Sendable {
    public init() {}
    private let lock = NSLock()
    private var value = 0

    public func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
