import Foundation
import UnityCore

/// A real OpenSSH sshd for app-level tests: root login with one authorized key, its own host key,
/// on a free port of a loopback address of its own. (UnitySSH's own tests have a fuller harness.)
///
/// sshd is started with `posix_spawn`, not Foundation's `Process`: sshd closes every inherited
/// descriptor, including the one Foundation's child monitor watches, which then hangs every
/// later `Process` in the test binary.
public final class TestSSHServer: @unchecked Sendable {
    public let directory: String
    public let address: String
    public let port: Int
    private var pid: pid_t?

    /// Tests needing sshd run where it is installed, and always under CI, where its absence fails them.
    public static var enabled: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") || ProcessInfo.processInfo.environment["CI"] != nil
    }

    public init(authorizedKey: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("unity-app-sshd-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        address = "127.77.\(Int.random(in: 1...250)).\(Int.random(in: 1...250))"
        port = try TestPorts.take(1)[0]
        try authorizedKey.write(toFile: directory + "/authorized_keys", atomically: true, encoding: .utf8)
        try rekey()
    }

    /// A new host key: the server now looks like a re-installed (or impersonated) host.
    public func rekey() throws {
        try? FileManager.default.removeItem(atPath: directory + "/host_ed25519")
        try? FileManager.default.removeItem(atPath: directory + "/host_ed25519.pub")
        try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", directory + "/host_ed25519"])
        let config = """
        HostKey \(directory)/host_ed25519
        ListenAddress \(address):\(port)
        PidFile none
        AuthorizedKeysFile \(directory)/authorized_keys
        StrictModes no
        UsePAM no
        PermitRootLogin prohibit-password
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        LogLevel VERBOSE

        """
        try config.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
    }

    public var hostPublicKey: String {
        (try? String(contentsOfFile: directory + "/host_ed25519.pub", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    public func start() async throws {
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: directory + "/sshd.log")
        let pid = try Self.spawn("/usr/sbin/sshd", ["-D", "-f", directory + "/sshd_config", "-E", directory + "/sshd.log"])
        self.pid = pid
        for _ in 0..<100 {
            let log = (try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? ""
            if log.contains("Server listening on") { return }
            guard kill(pid, 0) == 0 else { break }
            try await Task.sleep(for: .milliseconds(30))
        }
        stop()
        throw TestSupportError("sshd did not start on \(address):\(port)")
    }

    /// Kills the listener; its per-connection children end when their connections close.
    public func stop() {
        guard let pid else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        self.pid = nil
    }

    /// UnitySSH's `posix_spawn` (default signal handling, an empty mask) with this process's stdio.
    /// Use it for every long-running test peer: Foundation's `Process` passes the test runner's
    /// blocked signals on, and waits forever once sshd closes the descriptor it watches.
    public static func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
        try ChildProcess.spawn(path, arguments, stdin: STDIN_FILENO, stdout: STDOUT_FILENO, stderr: STDERR_FILENO)
    }

    public func restart() async throws {
        stop()
        try await start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) failed") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
