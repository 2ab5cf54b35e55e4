import AsyncHTTPClient
import Foundation
import NIOCore
import UnityACME

/// Real Pebble + pebble-challtestsrv on 127.0.0.1 with free ports (Debian package `pebble` 2.4.0),
/// for the ACME module's tests and the app's. Always stopped: use `PebbleServer.with`.
public final class PebbleServer: @unchecked Sendable {
    public struct Options: Sendable {
        /// Share of requests Pebble refuses with badNonce, to exercise the retry.
        public var nonceRejectPercent = 0
        /// Require External Account Binding with `PebbleServer.eabKeys`, as ZeroSSL does.
        public var externalAccountBinding = false
        public init(nonceRejectPercent: Int = 0, externalAccountBinding: Bool = false) {
            self.nonceRejectPercent = nonceRejectPercent
            self.externalAccountBinding = externalAccountBinding
        }
    }

    /// The MAC keys of Pebble's EAB example config (/usr/share/doc/pebble/examples/).
    public static let eabKeys = ["kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"]

    public static let pebblePath = "/usr/bin/pebble"
    public static let challTestSrvPath = "/usr/bin/pebble-challtestsrv"
    public static var installed: Bool { FileManager.default.isExecutableFile(atPath: pebblePath) }
    /// Under CI a missing Pebble must fail the suite, so it runs (and fails in `with`) there.
    public static var shouldRun: Bool { installed || ProcessInfo.processInfo.environment["CI"] != nil }

    public let directory: URL
    public let acmePort: Int, managementPort: Int, challManagementPort: Int, dnsPort: Int
    /// Where Pebble's VA connects for HTTP-01: the app's HTTP-01 listener must use this port.
    public let httpChallengePort: Int
    /// Trust for Pebble's HTTPS listener (a fresh self-signed certificate).
    public let listenerCertPEM: String
    public let http: HTTPClient
    private var processes: [TestChildProcess] = []

    public var directoryURL: String { "https://127.0.0.1:\(acmePort)/dir" }
    public var managementURL: String { "https://127.0.0.1:\(managementPort)" }
    public var challTestSrvURL: String { "http://127.0.0.1:\(challManagementPort)" }

    private init(options: Options) async throws {
        guard Self.installed else {
            throw TestSupportError("pebble is not installed: apt-get install -y --no-install-recommends pebble")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("unity-app-pebble-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ports = try TestPorts.take(5)
        (acmePort, managementPort, challManagementPort, dnsPort, httpChallengePort) = (ports[0], ports[1], ports[2], ports[3], ports[4])
        let cert = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
        _ = try await TestChildProcess.checked("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert])
        listenerCertPEM = try String(contentsOfFile: cert, encoding: .utf8)
        http = try ACMEHTTPClientFactory.make(trustRootsPEM: listenerCertPEM)
        var pebble: [String: Any] = [
            "listenAddress": "127.0.0.1:\(acmePort)", "managementListenAddress": "127.0.0.1:\(managementPort)",
            "certificate": cert, "privateKey": key, "httpPort": httpChallengePort, "tlsPort": 1, "ocspResponderURL": "",
            "externalAccountBindingRequired": options.externalAccountBinding,
        ]
        if options.externalAccountBinding { pebble["externalAccountMACKeys"] = Self.eabKeys }
        let config = directory.appendingPathComponent("pebble-config.json")
        try JSONSerialization.data(withJSONObject: ["pebble": pebble]).write(to: config)
        try start(Self.challTestSrvPath, ["-management", "127.0.0.1:\(challManagementPort)", "-dns01", "127.0.0.1:\(dnsPort)",
                                          "-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""],
                  env: [:], log: "challtestsrv.log")
        try start(Self.pebblePath, ["-config", config.path, "-dnsserver", "127.0.0.1:\(dnsPort)"],
                  env: ["PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "\(options.nonceRejectPercent)", "PEBBLE_AUTHZREUSE": "0"], log: "pebble.log")
    }

    /// Starts both servers, runs `body`, and stops them whether `body` throws or not.
    public static func with<T>(_ options: Options = Options(), _ body: (PebbleServer) async throws -> T) async throws -> T {
        do {
            return try await withOnce(options, body)
        } catch is PortInUse {
            // Another process took a port between our probe and Pebble's bind: new ports, once.
            return try await withOnce(options, body)
        }
    }

    private struct PortInUse: Error {}

    private static func withOnce<T>(_ options: Options, _ body: (PebbleServer) async throws -> T) async throws -> T {
        let server = try await PebbleServer(options: options)
        do {
            do { try await server.waitUntilReady() } catch {
                if (server.log("pebble.log") + server.log("challtestsrv.log")).contains("address already in use") { throw PortInUse() }
                throw error
            }
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    public func log(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    public func get(_ url: String) async throws -> (status: Int, body: String) {
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// Pebble makes a new root on every start.
    public func rootPEM() async throws -> String { try await get(managementURL + "/roots/0").body }

    /// "Valid" or "Revoked", from Pebble's management API.
    public func certificateStatus(serialHex: String) async throws -> String {
        let body = try await get(managementURL + "/cert-status-by-serial/\(serialHex)").body
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return object?["Status"] as? String ?? body
    }

    private func waitUntilReady() async throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let pebble = try? await get(directoryURL), pebble.status == 200,
               let cts = try? await get(challTestSrvURL + "/"), cts.status > 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError("Pebble did not start: \(log("pebble.log")) \(log("challtestsrv.log"))")
    }

    private func start(_ path: String, _ arguments: [String], env: [String: String], log: String) throws {
        let url = directory.appendingPathComponent(log)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        let child = TestChildProcess(path, arguments, environment: env, stdout: handle, stderr: handle)
        try child.start()
        processes.append(child)
    }

    private func stop() async {
        for child in processes { await child.stop() }
        processes.removeAll()
        try? await http.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
