import Foundation
import UnityACMETestSupport
@testable import UnityACME

/// A throwaway Knot DNS (Debian `knot`) authoritative for lab.test on 127.0.0.1, accepting
/// TSIG-signed updates; `dig` (Debian `bind9-dnsutils`) reads the result back.
final class KnotHarness: @unchecked Sendable {
    static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/knotd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/dig")
    }

    let directory: URL
    let port: Int
    private let process: TestChildProcess

    init(secret: String) throws {
        guard Self.installed else { throw TestSupportError("apt-get install -y --no-install-recommends knot bind9-dnsutils") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("unity-knot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try TestPorts.take(1)[0]
        let dir = directory.path
        try """
        $ORIGIN lab.test.
        $TTL 60
        @ SOA ns.lab.test. admin.lab.test. 1 60 60 3600 60
        @ NS ns.lab.test.
        ns A 127.0.0.1
        """.write(toFile: dir + "/lab.test.zone", atomically: true, encoding: .utf8)
        try """
        server:
            listen: 127.0.0.1@\(port)
            rundir: \(dir)
        control:
            listen: \(dir)/knot.sock
        database:
            storage: \(dir)
        log:
          - target: stderr
            any: info
        key:
          - id: unity-key
            algorithm: hmac-sha256
            secret: \(secret)
        acl:
          - id: acme
            key: unity-key
            action: update
        zone:
          - domain: lab.test
            storage: \(dir)
            file: lab.test.zone
            acl: acme
            zonefile-sync: -1
        """.write(toFile: dir + "/knot.conf", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: dir + "/knot.log", contents: nil)
        let log = FileHandle(forWritingAtPath: dir + "/knot.log") ?? FileHandle.nullDevice
        process = TestChildProcess("/usr/sbin/knotd", ["-c", dir + "/knot.conf"], stdout: log, stderr: log)
        try process.start()
    }

    func waitUntilReady() async throws {
        for _ in 0..<100 {
            if (try? await dig("lab.test", type: "SOA"))?.isEmpty == false { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: directory.path + "/knot.log", encoding: .utf8)) ?? ""
        throw TestSupportError("knotd did not answer: \(log)")
    }

    /// TXT values at `name`, unquoted.
    func txt(_ name: String) async throws -> [String] {
        try await dig(name, type: "TXT").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }

    private func dig(_ name: String, type: String) async throws -> [String] {
        let output = try await TestChildProcess.checked(
            "/usr/bin/dig", ["+short", "+time=1", "+tries=1", "-p", String(port), "@127.0.0.1", name, type])
        return output.split(separator: "\n").map(String.init)
    }

    func stop() async {
        await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
