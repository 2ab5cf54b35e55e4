import Foundation
import Testing
@testable import UnityCertificates

/// The probe against a real `openssl s_server` on loopback.
@Suite(.enabled(if: OpenSSLTool.available, "needs /usr/bin/openssl (apt-get install -y openssl)"))
struct ProbeTests {
    @Test func returnsThePresentedChainLeafFirst() async throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-probe")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try OpenSSLTool.chain(in: directory)
        let address = Spawn.uniqueLoopbackAddress()
        let port = try Spawn.freePort(on: address)
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let pid = try Spawn.start(OpenSSLTool.path, [
            "s_server", "-accept", "\(address):\(port)", "-cert", files.leaf, "-key", files.leafKey,
            "-cert_chain", files.intermediate, "-www", "-quiet",
        ], stdin: null, stdout: null, stderr: null)
        defer {
            kill(pid, SIGKILL)
            _ = Spawn.wait(pid)
        }
        for _ in 0..<100 {
            if Spawn.canConnect(address, port) { break }
            try await Task.sleep(for: .milliseconds(50))
        }

        let served = try await ServedCertificateProbe().probe(host: address, port: port, serverName: "chain.test.example")
        #expect(served.presented.map(\.subject) == ["CN=chain.test.example", "CN=Test Intermediate"])
        let expected = try OpenSSLTool.run(["x509", "-in", files.leaf, "-noout", "-serial"])
        #expect(expected.lowercased().contains(served.leaf?.serialHex ?? "none"))
        #expect(served.serverName == "chain.test.example")
        #expect(served.tlsVersion == "TLSv1.3")
    }

    @Test func nothingListeningIsATypedFailure() async throws {
        let address = Spawn.uniqueLoopbackAddress()
        let port = try Spawn.freePort(on: address)
        let error = await #expect(throws: CertificateError.self) {
            try await ServedCertificateProbe().probe(host: address, port: port, timeout: .seconds(2))
        }
        guard case .probeFailed(let message) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.contains("\(address):\(port)"))
    }

    /// A plain-TCP listener that never speaks TLS: the probe gives up at its timeout.
    @Test func silentServerTimesOut() async throws {
        let address = Spawn.uniqueLoopbackAddress()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, address, &addr.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        listen(fd, 4)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let started = ContinuousClock.now
        await #expect(throws: CertificateError.probeTimedOut(host: address, port: port)) {
            try await ServedCertificateProbe().probe(host: address, port: port, timeout: .milliseconds(500))
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }
}
