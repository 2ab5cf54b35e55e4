import Foundation
import UnityACMETestSupport
import Testing
@testable import UnityACME

@Suite("HTTP-01 solvers and failures against real Pebble", .enabled(if: PebbleServer.shouldRun), .timeLimit(.minutes(3)))
struct PebbleSolverTests {
    @Test("Webroot HTTP-01: files written through the injected closure are served by another web server, then removed")
    func webroot() async throws {
        try await PebbleSession.with { harness, session in
            let root = harness.directory.appendingPathComponent("www")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let web = TestChildProcess("/usr/bin/python3", ["-m", "http.server", String(harness.httpChallengePort),
                                                        "--bind", "127.0.0.1", "--directory", root.path])
            try web.start()
            do {
                let written = LockedBox<[String]>([])
                let local = WebrootHTTP01Solver.local(webroot: root.path + "/")
                let solver = WebrootHTTP01Solver(webroot: root.path, write: { path, contents in
                    written.withLock { $0.append(path) }
                    try await local.writeForTesting(path, contents)
                }, remove: { path in try FileManager.default.removeItem(atPath: path) })
                try await waitForPort(harness.httpChallengePort)
                let client = try await session.registeredClient()
                let issued = try await client.issueCertificate(CertificateOrderRequest(names: ["www.homelab.test"]),
                                                               solvers: [solver])
                #expect(issued.info.dnsNames == ["www.homelab.test"])
                let paths = written.withLock { $0 }
                #expect(paths.count == 1)
                #expect(paths.allSatisfy { $0.hasPrefix(root.path + "/.well-known/acme-challenge/") })
                #expect(paths.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
                let evil = ChallengeTask(type: "http-01", domain: "x", isWildcard: false, token: "../../etc/passwd",
                                         keyAuthorization: "k")
                await #expect(throws: ACMEError.self) { try await solver.present(evil) }
            } catch {
                await web.stop()
                throw error
            }
            await web.stop()
        }
    }

    @Test("A failed validation surfaces the CA's problem (type, detail, identifier) and still cleans up")
    func failedValidation() async throws {
        try await PebbleSession.with { _, session in
            // Unity's server listens, but not on the port Pebble's VA connects to.
            let server = HTTP01Server(host: "127.0.0.1", port: 0)
            try await server.start()
            do {
                let client = try await session.registeredClient()
                let error = await #expect(throws: ACMEError.self) {
                    try await client.issueCertificate(CertificateOrderRequest(names: ["down.homelab.test"]), solvers: [server])
                }
                guard case .authorizationFailed(let identifier, let problem)? = error else {
                    Issue.record("unexpected \(String(describing: error))")
                    throw TestSupportError("wrong error")
                }
                #expect(identifier == "down.homelab.test")
                #expect(problem?.shortType == "connection")
                #expect(error?.description.contains("down.homelab.test") == true)
                #expect(server.tokenCountForTesting == 0)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }
}

/// Polls until something accepts TCP connections on 127.0.0.1:`port`.
func waitForPort(_ port: Int) async throws {
    for _ in 0..<100 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        close(fd)
        if connected { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestSupportError("nothing listens on \(port)")
}
