import Foundation
import Testing
import UnityCore
import UnityTestSupport
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// One `curl -N` reading a streamed response (NDJSON or SSE) from the real listener into a file, so
/// a test sees lines as they arrive and can hang up like a browser tab being closed.
final class StreamingCurl: @unchecked Sendable {
    let pid: pid_t
    let output: String
    /// Reaped already: never signal a pid that may have been reused.
    private let reaped = LockedValue(false)

    init(pid: pid_t, output: String) {
        self.pid = pid
        self.output = output
    }

    static func start(_ url: String, headers: [String], limit: Int = 60) throws -> StreamingCurl {
        let output = FileManager.default.temporaryDirectory.appending(path: "live-\(UUID().uuidString)").path
        let file = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let null = open("/dev/null", O_RDWR)
        defer { close(file); close(null) }
        let arguments = ["-sN", "-m", String(limit)] + headers.flatMap { ["-H", $0] } + [url]
        let pid = try ChildProcess.spawn("/usr/bin/curl", arguments, stdin: null, stdout: file, stderr: null)
        return StreamingCurl(pid: pid, output: output)
    }

    var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

    /// Waits until the output contains `needle`; false after `seconds`.
    func waitFor(_ needle: String, seconds: Double = 15) async throws -> Bool {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if text.contains(needle) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return text.contains(needle)
    }

    /// Seconds until curl exited on its own, or nil if it still ran after `limit` (then it is stopped).
    func exitSeconds(within limit: Double) async throws -> Double? {
        let start = Date()
        var status: Int32 = 0
        while Date().timeIntervalSince(start) < limit {
            if waitpid(pid, &status, WNOHANG) == pid {
                reaped.withLock { $0 = true }
                return Date().timeIntervalSince(start)
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        stop()
        return nil
    }

    /// Hangs up (the client goes away) and reaps curl.
    func stop() {
        let first = reaped.withLock { done -> Bool in defer { done = true }; return !done }
        guard first else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// The NDJSON objects received so far (blank keep-alive lines skipped).
    var jsonLines: [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }
}

/// Runs `body` with `app` listening on a free loopback port, and shuts the listener down on every
/// path (a server left running asserts when the application goes).
func withListener<T>(_ app: Application, _ body: (Int) async throws -> T) async throws -> T {
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    guard let port = app.http.server.shared.localAddress?.port else {
        await app.server.shutdown()
        throw ListenerWithoutPort()
    }
    do {
        let result = try await body(port)
        await app.server.shutdown()
        return result
    } catch {
        await app.server.shutdown()
        throw error
    }
}
struct ListenerWithoutPort: Error {}
