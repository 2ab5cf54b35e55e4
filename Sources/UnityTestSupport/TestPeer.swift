import Foundation

public struct PeerError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}


/// Which Python runs the loopback peers. scripts/test.sh exports UNITY_TEST_PYTHON (a venv
/// with aiosmtpd). Without it: CI fails, a laptop uses python3 for the stdlib HTTP receiver
/// and the SMTP tests fail with instructions.
public enum TestPython {
    public static var configured: String? {
        ProcessInfo.processInfo.environment["UNITY_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static func forHTTP() throws -> [String] {
        if let configured { return [configured] }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            throw PeerError(description: "UNITY_TEST_PYTHON is not set (CI must run scripts/test.sh, which creates it)")
        }
        return ["/usr/bin/env", "python3"]
    }

    public static func forSMTP() throws -> [String] {
        guard let configured else {
            throw PeerError(description: """
                UNITY_TEST_PYTHON is not set; the SMTP tests need aiosmtpd:
                python3 -m venv /tmp/alerts-venv && /tmp/alerts-venv/bin/pip install aiosmtpd
                export UNITY_TEST_PYTHON=/tmp/alerts-venv/bin/python
                """)
        }
        return [configured]
    }
}


/// A Python peer (HTTP receiver or SMTP sink) on a free 127.0.0.1 port, in its own temp folder.
/// `withPeer` stops it on every path out of the test.
public final class Peer: @unchecked Sendable {
    let process = Process()
    public let directory: URL
    public let log: URL
    public private(set) var port = 0

    public static let testbed = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "scripts/testbed")

    public init(python: [String], script: String, arguments: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "unity-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        log = directory.appending(path: "records.jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let stdout = directory.appending(path: "stdout")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: python[0])
        process.arguments = Array(python.dropFirst()) + [Self.testbed.appending(path: script).path, "--log", log.path]
            + arguments.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) }
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: directory.appending(path: "stderr").createEmpty())
    }

    public func start() async throws {
        try process.run()
        let stdout = directory.appending(path: "stdout")
        for _ in 0..<200 {
            let text = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }), let port = Int(line.dropFirst(5)) {
                self.port = port
                return
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let stderr = (try? String(contentsOf: directory.appending(path: "stderr"), encoding: .utf8)) ?? ""
        stop()
        throw PeerError(description: "peer did not start: \(stderr.suffix(2000))")
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            // Never wait unboundedly: a peer that ignores SIGTERM gets SIGKILL after 2 s.
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func records() -> [[String: Any]] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// Waits until at least `count` records arrived (the receiver writes after answering).
    public func records(atLeast count: Int, within seconds: Double = 10) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let found = records()
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        return records()
    }
}


public func withPeer<T>(
    smtp: Bool = false, script: String, arguments: [String] = [], _ body: (Peer) async throws -> T
) async throws -> T {
    let peer = try Peer(python: smtp ? TestPython.forSMTP() : TestPython.forHTTP(), script: script, arguments: arguments)
    defer { peer.stop() }
    try await peer.start()
    return try await body(peer)
}


private extension URL {
    func createEmpty() -> URL {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return self
    }
}
