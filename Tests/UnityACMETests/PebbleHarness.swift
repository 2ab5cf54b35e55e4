import Foundation
import Testing
@testable import UnityACME

/// Real Pebble + pebble-challtestsrv on 127.0.0.1 with random ports, one pair per test, stopped
/// on every path. Debian package `pebble` (2.4.0) ships both binaries.
final class PebbleHarness: @unchecked Sendable {
    struct Options {
        var nonceRejectPercent = 0
        var externalAccountBinding = false
    }

    static let pebblePath = "/usr/bin/pebble"
    static let challTestSrvPath = "/usr/bin/pebble-challtestsrv"
    static var installed: Bool { FileManager.default.isExecutableFile(atPath: pebblePath) }
    /// Run the Pebble tests when Pebble is installed, and always under CI so that a missing
    /// install fails there instead of being skipped.
    static var shouldRun: Bool { installed || ProcessInfo.processInfo.environment["CI"] != nil }
    /// The MAC keys of Pebble's EAB example config (/usr/share/doc/pebble/examples/).
    static let eabKeys = ["kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"]

    let directory: URL
    let acmePort: Int
    let managementPort: Int
    let challManagementPort: Int
    let dnsPort: Int
    /// The port Pebble's VA connects to for HTTP-01: Unity's HTTP01Server listens there.
    let httpChallengePort: Int
    let listenerCertPEM: String
    private var processes: [ChildProcess] = []

    var directoryURL: String { "https://127.0.0.1:\(acmePort)/dir" }
    var managementURL: String { "https://127.0.0.1:\(managementPort)" }
    var challTestSrvURL: String { "http://127.0.0.1:\(challManagementPort)" }

    private init(options: Options) async throws {
        guard Self.installed else {
            throw HarnessError("pebble is not installed: apt-get install -y --no-install-recommends pebble")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("unity-pebble-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ports = try FreePorts.take(5)
        (acmePort, managementPort, challManagementPort, dnsPort, httpChallengePort) =
            (ports[0], ports[1], ports[2], ports[3], ports[4])
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        try await Self.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                         "-nodes", "-days", "30", "-subj", "/CN=localhost", "-addext",
                                         "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert])
        listenerCertPEM = try String(contentsOfFile: cert, encoding: .utf8)
        var pebble: [String: Any] = [
            "listenAddress": "127.0.0.1:\(acmePort)", "managementListenAddress": "127.0.0.1:\(managementPort)",
            "certificate": cert, "privateKey": key, "httpPort": httpChallengePort, "tlsPort": 1,
            "ocspResponderURL": "", "externalAccountBindingRequired": options.externalAccountBinding,
        ]
        if options.externalAccountBinding { pebble["externalAccountMACKeys"] = Self.eabKeys }
        let config = directory.appendingPathComponent("pebble-config.json")
        try JSONSerialization.data(withJSONObject: ["pebble": pebble]).write(to: config)

        try start(Self.challTestSrvPath, ["-management", "127.0.0.1:\(challManagementPort)",
                                          "-dns01", "127.0.0.1:\(dnsPort)", "-http01", "", "-https01", "",
                                          "-tlsalpn01", "", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""],
                  env: [:], log: "challtestsrv.log")
        try start(Self.pebblePath, ["-config", config.path, "-dnsserver", "127.0.0.1:\(dnsPort)"],
                  env: ["PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "\(options.nonceRejectPercent)",
                        "PEBBLE_AUTHZREUSE": "0"],
                  log: "pebble.log")
    }

    /// Starts Pebble, runs `body`, and stops everything whether `body` throws or not.
    static func with<T>(_ options: Options = Options(),
                        _ body: (PebbleHarness, PebbleSession) async throws -> T) async throws -> T {
        do {
            return try await withOnce(options, body)
        } catch is PortInUse {
            // Another process took a port between our probe and Pebble's bind: new ports, once.
            return try await withOnce(options, body)
        }
    }

    private struct PortInUse: Error {}

    private static func withOnce<T>(_ options: Options,
                                    _ body: (PebbleHarness, PebbleSession) async throws -> T) async throws -> T {
        let harness = try await PebbleHarness(options: options)
        let session: PebbleSession
        do { session = try PebbleSession(harness: harness) } catch {
            await harness.stop()
            throw error
        }
        do {
            do { try await session.waitUntilReady() } catch {
                if (harness.log("pebble.log") + harness.log("challtestsrv.log")).contains("address already in use") {
                    throw PortInUse()
                }
                throw error
            }
            let value = try await body(harness, session)
            try await session.shutdown()
            await harness.stop()
            return value
        } catch {
            try? await session.shutdown()
            await harness.stop()
            throw error
        }
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    private func start(_ path: String, _ arguments: [String], env: [String: String], log: String) throws {
        let logURL = directory.appendingPathComponent(log)
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logURL)
        let child = ChildProcess(path, arguments, environment: env, stdout: handle, stderr: handle)
        try child.start()
        processes.append(child)
    }

    func stop() async {
        for child in processes { await child.stop() }
        processes.removeAll()
        try? FileManager.default.removeItem(at: directory)
    }

    static func run(_ path: String, _ arguments: [String]) async throws {
        _ = try await ChildProcess.checked(path, arguments)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Free TCP+UDP ports on 127.0.0.1: bound to port 0, read back, closed.
enum FreePorts {
    /// Ports already handed out in this process: the kernel may return a just-closed port again
    /// before the first test's server has bound it, and parallel tests must not share one.
    private static let handedOut = LockedBox<Set<Int>>([])

    static func take(_ count: Int) throws -> [Int] {
        var ports: Set<Int> = []
        while ports.count < count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw HarnessError("socket() failed") }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound else { throw HarnessError("bind() failed") }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if handedOut.withLock({ $0.insert(port).inserted }) { ports.insert(port) }
        }
        return Array(ports)
    }
}
