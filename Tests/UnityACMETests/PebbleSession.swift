import Foundation
import UnityACMETestSupport
import Testing
@testable import UnityACME

/// The HTTP side of a running Pebble: an HTTPClient that trusts only Pebble's listener
/// certificate (verification stays on), plus Pebble's and challtestsrv's management APIs.
final class PebbleSession: @unchecked Sendable {
    let harness: PebbleServer
    let http: HTTPTransport

    init(harness: PebbleServer) throws {
        self.harness = harness
        http = HTTPTransport(client: try ACMEHTTPClientFactory.make(trustRootsPEM: harness.listenerCertPEM))
    }

    /// Pebble with a session on it for `body`; both stopped on every path.
    static func with<T>(_ options: PebbleServer.Options = PebbleServer.Options(),
                        _ body: (PebbleServer, PebbleSession) async throws -> T) async throws -> T {
        try await PebbleServer.with(options) { server in
            let session = try PebbleSession(harness: server)
            do {
                let value = try await body(server, session)
                try await session.shutdown()
                return value
            } catch {
                try? await session.shutdown()
                throw error
            }
        }
    }

    func shutdown() async throws {
        try await http.client.shutdown()
    }

    func client(key: ACMEAccountKey = .generateP256(), accountURL: String? = nil) -> ACMEClient {
        ACMEClient(directoryURL: harness.directoryURL, accountKey: key, accountURL: accountURL,
                   httpClient: http.client)
    }

    func registeredClient(key: ACMEAccountKey = .generateP256()) async throws -> ACMEClient {
        let client = client(key: key)
        try await client.register(contact: ["mailto:admin@homelab.test"], termsOfServiceAgreed: true)
        return client
    }

    /// Pebble makes a new root on every start: fetch it from the management port.
    func rootPEM() async throws -> String {
        let result = try await http.send(.GET, harness.managementURL + "/roots/0")
        guard result.status == 200 else { throw TestSupportError("roots/0: HTTP \(result.status)") }
        return result.text
    }

    /// "Valid" or "Revoked", from Pebble's management API.
    func certificateStatus(serialHex: String) async throws -> String {
        let result = try await http.send(.GET, harness.managementURL + "/cert-status-by-serial/\(serialHex)")
        let object = try JSONSerialization.jsonObject(with: result.body) as? [String: Any]
        return object?["Status"] as? String ?? "HTTP \(result.status): \(result.text)"
    }
}

/// Test-only DNS-01 solver backed by challtestsrv's `/set-txt` and `/clear-txt`.
struct ChallTestSrvSolver: ChallengeSolver {
    let challengeType = "dns-01"
    let http: HTTPTransport
    let baseURL: String

    func present(_ task: ChallengeTask) async throws {
        _ = try await http.postJSON(baseURL + "/set-txt", ["host": task.dnsRecordName, "value": task.dnsTXTValue],
                                    provider: "challtestsrv")
    }

    func cleanUp(_ task: ChallengeTask) async {
        _ = try? await http.postJSON(baseURL + "/clear-txt", ["host": task.dnsRecordName], provider: "challtestsrv")
    }
}

/// Verifies a chain with `openssl verify` against Pebble's root, as an independent check.
func opensslVerify(chainPEM: String, rootPEM: String) async throws -> Bool {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-verify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let blocks = CertificateInfo.splitPEM(chainPEM)
    guard let leaf = blocks.first else { return false }
    try leaf.write(to: dir.appendingPathComponent("leaf.pem"), atomically: true, encoding: .utf8)
    try blocks.dropFirst().joined(separator: "\n")
        .write(to: dir.appendingPathComponent("chain.pem"), atomically: true, encoding: .utf8)
    try rootPEM.write(to: dir.appendingPathComponent("root.pem"), atomically: true, encoding: .utf8)
    do {
        try await TestChildProcess.checked("/usr/bin/openssl", ["verify", "-CAfile", dir.appendingPathComponent("root.pem").path,
                                                   "-untrusted", dir.appendingPathComponent("chain.pem").path,
                                                   dir.appendingPathComponent("leaf.pem").path])
        return true
    } catch {
        return false
    }
}
